//! One OXM TLV: every OpenFlow-basic field, the Nicira NXM_0 and NXM_1
//! fields an OVS VTEP controller sees, OpenFlow 1.5 packet registers, experimenter OXM,
//! and unknown classes/fields kept raw.
//!
//! ```text
//!  0                 2              3          4
//! +--------+--------+-------------+-+----------+----------------------+
//! |   oxm_class     | oxm_field |M|  length  | value [mask]          |
//! +--------+--------+-------------+-+----------+----------------------+
//!   class 0xffff (experimenter): | experimenter id (4) | data ... |
//! ```

use core::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;
use macaddr::MacAddr6;

use super::value::{Isid, Masked, OxmValue};
use crate::Error;
use crate::codec::{Reader, Scratch, impl_codec, overwrite};

/// OXM class of the OpenFlow-basic fields.
pub const OFPXMC_OPENFLOW_BASIC: u16 = 0x8000;
/// OXM class of OpenFlow 1.5 packet registers (`xreg`).
pub const OFPXMC_PACKET_REGS: u16 = 0x8001;
/// OXM class of Nicira's NXM_0 (`NXM_OF_*`) fields.
pub const OFPXMC_NXM_0: u16 = 0x0000;
/// OXM class of Nicira's NXM_1 (`NXM_NX_*`) fields.
pub const OFPXMC_NXM_1: u16 = 0x0001;
/// OXM class of experimenter fields.
pub const OFPXMC_EXPERIMENTER: u16 = 0xffff;

/// `OFPVID_PRESENT`: the bit of `vlan_vid` saying a VLAN tag is present.
pub const OFPVID_PRESENT: u16 = 0x1000;
/// `OFPVID_NONE`: `vlan_vid` value matching packets without a VLAN tag.
pub const OFPVID_NONE: u16 = 0x0000;

/// The 4-byte header of an OXM TLV, also how Nicira actions name a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OxmHeader {
    /// OXM class.
    pub class: u16,
    /// Field within the class (7 bits).
    pub field: u8,
    /// Whether a mask follows the value.
    pub has_mask: bool,
    /// Payload length (value, plus mask when `has_mask`).
    pub length: u8,
}

impl OxmHeader {
    /// The header from its 32-bit wire form.
    pub const fn from_u32(v: u32) -> OxmHeader {
        OxmHeader {
            class: (v >> 16) as u16,
            field: ((v >> 9) & 0x7f) as u8,
            has_mask: v & 0x100 != 0,
            length: v as u8,
        }
    }

    /// The 32-bit wire form (the field is truncated to 7 bits).
    pub const fn to_u32(self) -> u32 {
        ((self.class as u32) << 16)
            | (((self.field & 0x7f) as u32) << 9)
            | ((self.has_mask as u32) << 8)
            | self.length as u32
    }

    /// The width in bits of the field's value (the payload without mask).
    pub const fn n_bits(self) -> u32 {
        let len = if self.has_mask {
            self.length / 2
        } else {
            self.length
        };
        len as u32 * 8
    }
}

/// The value and optional mask of a fixed-size field from its payload, or
/// `None` when the payload is not the value's size (twice that with a mask).
#[inline(always)]
fn masked<T: OxmValue>(p: &[u8], has_mask: bool) -> Option<Masked<T>> {
    if has_mask {
        if p.len() != 2 * T::LEN {
            return None;
        }
        let (value, mask) = T::read_pair(p);
        Some(Masked {
            value,
            mask: Some(mask),
        })
    } else if p.len() == T::LEN {
        Some(Masked {
            value: T::read(p),
            mask: None,
        })
    } else {
        None
    }
}

/// The error of a typed field whose payload has the wrong size.
#[cold]
#[inline(never)]
fn bad_value_len(what: &'static str, offset: usize, length: usize) -> Error {
    Error::BadLength {
        what,
        offset,
        length,
        expected: "the field's value size (twice that with a mask)",
    }
}

fn put_masked<T: OxmValue, B: BufMut>(m: &Masked<T>, b: &mut B) {
    m.value.write(b);
    if let Some(mask) = &m.mask {
        mask.write(b);
    }
}

fn masked_len<T: OxmValue>(m: &Masked<T>) -> usize {
    T::LEN * (1 + usize::from(m.mask.is_some()))
}

macro_rules! oxm_fields {
    ($(
        $(#[doc = $doc:literal])*
        $var:ident($ty:ty) = $class:literal, $field:literal, $name:literal, maskable: $maskable:literal;
    )*) => {
        /// One OXM TLV. Typed variants carry the value and optional mask;
        /// what this crate does not know is kept raw.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub enum Oxm {
            $( $(#[doc = $doc])* $var(Masked<$ty>), )*
            /// `NXM_NX_REG0`..`NXM_NX_REG15` (class 0x0001, fields 0-15,
            /// 32 bits, maskable): the register index and the value.
            NxReg(u8, Masked<u32>),
            /// `xreg0`.. (class 0x8001 `OFPXMC_PACKET_REGS`, 64 bits,
            /// maskable): the register index (the OXM field) and the value.
            Xreg(u8, Masked<u64>),
            /// An experimenter OXM (class 0xffff), kept raw.
            Experimenter {
                /// Experimenter id (e.g. ONF 0x4f4e4600).
                experimenter: u32,
                /// The OXM field (7 bits).
                field: u8,
                /// The hasmask bit.
                has_mask: bool,
                /// Payload after the experimenter id.
                data: Vec<u8>,
            },
            /// An OXM class/field this crate does not know, kept raw.
            Unknown {
                /// OXM class (not 0xffff).
                class: u16,
                /// The OXM field (7 bits).
                field: u8,
                /// The hasmask bit.
                has_mask: bool,
                /// The payload (value and mask).
                data: Vec<u8>,
            },
        }

        impl Oxm {
            /// The OXM class.
            pub fn class(&self) -> u16 {
                match self {
                    $( Oxm::$var(_) => $class, )*
                    Oxm::NxReg(..) => OFPXMC_NXM_1,
                    Oxm::Xreg(..) => OFPXMC_PACKET_REGS,
                    Oxm::Experimenter { .. } => OFPXMC_EXPERIMENTER,
                    Oxm::Unknown { class, .. } => *class,
                }
            }

            /// The OXM field within its class.
            pub fn field(&self) -> u8 {
                match self {
                    $( Oxm::$var(_) => $field, )*
                    Oxm::NxReg(i, _) | Oxm::Xreg(i, _) => *i,
                    Oxm::Experimenter { field, .. } | Oxm::Unknown { field, .. } => *field,
                }
            }

            /// Whether the TLV carries a mask.
            pub fn has_mask(&self) -> bool {
                match self {
                    $( Oxm::$var(m) => m.mask.is_some(), )*
                    Oxm::NxReg(_, m) => m.mask.is_some(),
                    Oxm::Xreg(_, m) => m.mask.is_some(),
                    Oxm::Experimenter { has_mask, .. } | Oxm::Unknown { has_mask, .. } => *has_mask,
                }
            }

            /// The field's name as Open vSwitch spells it (`"unknown"` for raw ones).
            pub fn name(&self) -> &'static str {
                match self {
                    $( Oxm::$var(_) => $name, )*
                    Oxm::NxReg(..) => "reg",
                    Oxm::Xreg(..) => "xreg",
                    Oxm::Experimenter { .. } => "experimenter",
                    Oxm::Unknown { .. } => "unknown",
                }
            }

            /// Whether OpenFlow (or Nicira) allows a mask on this field.
            pub fn maskable(&self) -> bool {
                match self {
                    $( Oxm::$var(_) => $maskable, )*
                    Oxm::NxReg(..) | Oxm::Xreg(..) => true,
                    Oxm::Experimenter { has_mask, .. } | Oxm::Unknown { has_mask, .. } => *has_mask,
                }
            }

            /// The payload length (the header's length byte).
            pub fn payload_len(&self) -> usize {
                match self {
                    $( Oxm::$var(m) => masked_len(m), )*
                    Oxm::NxReg(_, m) => masked_len(m),
                    Oxm::Xreg(_, m) => masked_len(m),
                    Oxm::Experimenter { data, .. } => 4 + data.len(),
                    Oxm::Unknown { data, .. } => data.len(),
                }
            }

            /// Writes a typed field in one dispatch (header from the
            /// variant's constants, then value and mask); `false` for the
            /// register, experimenter and raw forms, which take the
            /// checked path of [`Oxm::write`].
            #[inline]
            fn write_typed<B: BufMut>(&self, b: &mut B) -> bool {
                match self {
                    $( Oxm::$var(m) => {
                        const HEADER: u32 = (($class as u32) << 16) | ((($field as u32) & 0x7f) << 9);
                        let has_mask = m.mask.is_some();
                        let len = <$ty as OxmValue>::LEN * (1 + usize::from(has_mask));
                        b.put_u32(HEADER | (u32::from(has_mask) << 8) | len as u32);
                        put_masked(m, b);
                        true
                    } )*
                    _ => false,
                }
            }

            /// The fast path of [`Oxm::write`]: a typed field into `s`
            /// in one dispatch; `None` for the register, experimenter and
            /// raw forms (which take the checked general path) or when
            /// `s` is full.
            #[inline]
            pub(crate) fn write_scratch<const N: usize>(&self, s: &mut Scratch<N>) -> Option<()> {
                match self {
                    $( Oxm::$var(m) => {
                        const HEADER: u32 = (($class as u32) << 16) | ((($field as u32) & 0x7f) << 9);
                        const LEN: usize = <$ty as OxmValue>::LEN;
                        match &m.mask {
                            None => {
                                s.put((HEADER | LEN as u32).to_be_bytes())?;
                                m.value.put_to(s.take(LEN)?);
                            }
                            Some(mask) => {
                                s.put((HEADER | 0x100 | (2 * LEN) as u32).to_be_bytes())?;
                                m.value.put_to(s.take(LEN)?);
                                mask.put_to(s.take(LEN)?);
                            }
                        }
                        Some(())
                    } )*
                    _ => None,
                }
            }

            fn write_payload<B: BufMut>(&self, b: &mut B) {
                match self {
                    $( Oxm::$var(m) => put_masked(m, b), )*
                    Oxm::NxReg(_, m) => put_masked(m, b),
                    Oxm::Xreg(_, m) => put_masked(m, b),
                    Oxm::Experimenter { experimenter, data, .. } => {
                        b.put_u32(*experimenter);
                        b.put_slice(data);
                    }
                    Oxm::Unknown { data, .. } => b.put_slice(data),
                }
            }

            /// Decodes the payload `p` (exactly the header's length) into
            /// `slot`: each arm writes its field there (a vector's last
            /// element, for lists), instead of moving a `Result<Oxm, Error>`
            /// through the stack and again into the vector.
            fn read_payload_into(
                p: &[u8],
                class: u16,
                field: u8,
                has_mask: bool,
                offset: usize,
                slot: &mut Oxm,
            ) -> Result<(), Error> {
                let len = p.len();
                debug_assert!(slot.is_heap_free(), "decoding over {slot:?}");
                let v = match (class, field) {
                    // Each typed arm writes its own variant into the slot
                    // (merged into one tail, the values went through the
                    // stack and were read back with partly overlapping
                    // loads: a store-forwarding stall in the profile).
                    $( ($class, $field) => match masked::<$ty>(p, has_mask) {
                        Some(m) => {
                            overwrite(slot, Oxm::$var(m));
                            return Ok(());
                        }
                        None => return Err(bad_value_len($name, offset, len)),
                    }, )*
                    (OFPXMC_NXM_1, 0..=15) => match masked::<u32>(p, has_mask) {
                        Some(m) => (Oxm::NxReg(field, m)),
                        None => return Err(bad_value_len("reg", offset, len)),
                    },
                    (OFPXMC_PACKET_REGS, _) => match masked::<u64>(p, has_mask) {
                        Some(m) => (Oxm::Xreg(field, m)),
                        None => return Err(bad_value_len("xreg", offset, len)),
                    },
                    (OFPXMC_EXPERIMENTER, _) => {
                        let Some((id, data)) = p.split_first_chunk::<4>() else {
                            return Err(Error::BadLength {
                                what: "experimenter OXM",
                                offset,
                                length: len,
                                expected: "at least 4 (the experimenter id)",
                            });
                        };
                        (Oxm::Experimenter {
                            experimenter: u32::from_be_bytes(*id),
                            field,
                            has_mask,
                            data: data.to_vec(),
                        })
                    }
                    _ => (Oxm::Unknown {
                        class,
                        field,
                        has_mask,
                        data: p.to_vec(),
                    }),
                };
                overwrite(slot, v);
                Ok(())
            }

            /// Checks a payload of `len` bytes as [`Oxm::read_payload_into`]
            /// does (the same error for the same header and length: only
            /// sizes can be wrong), without building the value. For the
            /// borrowed views, which decode the fields only when asked.
            #[inline(always)]
            fn check_payload(
                len: usize,
                class: u16,
                field: u8,
                has_mask: bool,
                offset: usize,
            ) -> Result<(), Error> {
                if class == OFPXMC_EXPERIMENTER {
                    return if len < 4 {
                        Err(Error::BadLength {
                            what: "experimenter OXM",
                            offset,
                            length: len,
                            expected: "at least 4 (the experimenter id)",
                        })
                    } else {
                        Ok(())
                    };
                }
                // The value size of each typed field, 0 for the raw ones:
                // a table lookup per class, not a jump per field.
                let size: u8 = match (class, field) {
                    $( ($class, $field) => <$ty as OxmValue>::LEN as u8, )*
                    (OFPXMC_NXM_1, 0..=15) => 4,
                    (OFPXMC_PACKET_REGS, _) => 8,
                    _ => 0,
                };
                if size == 0 || len == usize::from(size) << usize::from(has_mask) {
                    Ok(())
                } else {
                    Err(Oxm::bad_payload_len(class, field, offset, len))
                }
            }

            /// The error of a typed field (register, xreg) whose payload
            /// has the wrong size, named as the decoder names it.
            #[cold]
            #[inline(never)]
            fn bad_payload_len(class: u16, field: u8, offset: usize, len: usize) -> Error {
                let name = match (class, field) {
                    $( ($class, $field) => $name, )*
                    (OFPXMC_NXM_1, 0..=15) => "reg",
                    _ => "xreg",
                };
                bad_value_len(name, offset, len)
            }
        }
    };
}

oxm_fields! {
    /// `in_port`: ingress port (32 bits).
    InPort(u32) = 0x8000, 0, "in_port", maskable: false;
    /// `in_phy_port`: physical ingress port (32 bits).
    InPhyPort(u32) = 0x8000, 1, "in_phy_port", maskable: false;
    /// `metadata` passed between tables (64 bits, maskable).
    Metadata(u64) = 0x8000, 2, "metadata", maskable: true;
    /// `eth_dst` (maskable).
    EthDst(MacAddr6) = 0x8000, 3, "eth_dst", maskable: true;
    /// `eth_src` (maskable).
    EthSrc(MacAddr6) = 0x8000, 4, "eth_src", maskable: true;
    /// `eth_type`.
    EthType(u16) = 0x8000, 5, "eth_type", maskable: false;
    /// `vlan_vid`: 12-bit VID with [`OFPVID_PRESENT`] (maskable).
    VlanVid(u16) = 0x8000, 6, "vlan_vid", maskable: true;
    /// `vlan_pcp` (3 bits).
    VlanPcp(u8) = 0x8000, 7, "vlan_pcp", maskable: false;
    /// `ip_dscp` (6 bits).
    IpDscp(u8) = 0x8000, 8, "ip_dscp", maskable: false;
    /// `ip_ecn` (2 bits).
    IpEcn(u8) = 0x8000, 9, "ip_ecn", maskable: false;
    /// `ip_proto`.
    IpProto(u8) = 0x8000, 10, "ip_proto", maskable: false;
    /// `ipv4_src` (maskable).
    Ipv4Src(Ipv4Addr) = 0x8000, 11, "ipv4_src", maskable: true;
    /// `ipv4_dst` (maskable).
    Ipv4Dst(Ipv4Addr) = 0x8000, 12, "ipv4_dst", maskable: true;
    /// `tcp_src`.
    TcpSrc(u16) = 0x8000, 13, "tcp_src", maskable: false;
    /// `tcp_dst`.
    TcpDst(u16) = 0x8000, 14, "tcp_dst", maskable: false;
    /// `udp_src`.
    UdpSrc(u16) = 0x8000, 15, "udp_src", maskable: false;
    /// `udp_dst`.
    UdpDst(u16) = 0x8000, 16, "udp_dst", maskable: false;
    /// `sctp_src`.
    SctpSrc(u16) = 0x8000, 17, "sctp_src", maskable: false;
    /// `sctp_dst`.
    SctpDst(u16) = 0x8000, 18, "sctp_dst", maskable: false;
    /// `icmpv4_type`.
    Icmpv4Type(u8) = 0x8000, 19, "icmpv4_type", maskable: false;
    /// `icmpv4_code`.
    Icmpv4Code(u8) = 0x8000, 20, "icmpv4_code", maskable: false;
    /// `arp_op`.
    ArpOp(u16) = 0x8000, 21, "arp_op", maskable: false;
    /// `arp_spa` (maskable).
    ArpSpa(Ipv4Addr) = 0x8000, 22, "arp_spa", maskable: true;
    /// `arp_tpa` (maskable).
    ArpTpa(Ipv4Addr) = 0x8000, 23, "arp_tpa", maskable: true;
    /// `arp_sha` (maskable).
    ArpSha(MacAddr6) = 0x8000, 24, "arp_sha", maskable: true;
    /// `arp_tha` (maskable).
    ArpTha(MacAddr6) = 0x8000, 25, "arp_tha", maskable: true;
    /// `ipv6_src` (maskable).
    Ipv6Src(Ipv6Addr) = 0x8000, 26, "ipv6_src", maskable: true;
    /// `ipv6_dst` (maskable).
    Ipv6Dst(Ipv6Addr) = 0x8000, 27, "ipv6_dst", maskable: true;
    /// `ipv6_flabel` (20 bits in 32, maskable).
    Ipv6Flabel(u32) = 0x8000, 28, "ipv6_flabel", maskable: true;
    /// `icmpv6_type`.
    Icmpv6Type(u8) = 0x8000, 29, "icmpv6_type", maskable: false;
    /// `icmpv6_code`.
    Icmpv6Code(u8) = 0x8000, 30, "icmpv6_code", maskable: false;
    /// `ipv6_nd_target`.
    Ipv6NdTarget(Ipv6Addr) = 0x8000, 31, "ipv6_nd_target", maskable: false;
    /// `ipv6_nd_sll`.
    Ipv6NdSll(MacAddr6) = 0x8000, 32, "ipv6_nd_sll", maskable: false;
    /// `ipv6_nd_tll`.
    Ipv6NdTll(MacAddr6) = 0x8000, 33, "ipv6_nd_tll", maskable: false;
    /// `mpls_label` (20 bits in 32).
    MplsLabel(u32) = 0x8000, 34, "mpls_label", maskable: false;
    /// `mpls_tc` (3 bits).
    MplsTc(u8) = 0x8000, 35, "mpls_tc", maskable: false;
    /// `mpls_bos` (1 bit).
    MplsBos(u8) = 0x8000, 36, "mpls_bos", maskable: false;
    /// `pbb_isid` (24 bits, maskable).
    PbbIsid(Isid) = 0x8000, 37, "pbb_isid", maskable: true;
    /// `tunnel_id` (64 bits, maskable).
    TunnelId(u64) = 0x8000, 38, "tunnel_id", maskable: true;
    /// `ipv6_exthdr` pseudo-field (9 bits in 16, maskable).
    Ipv6Exthdr(u16) = 0x8000, 39, "ipv6_exthdr", maskable: true;
    /// Nicira `tun_id` (`NXM_NX_TUN_ID`, 64 bits, maskable).
    TunId(u64) = 0x0001, 16, "tun_id", maskable: true;
    /// Nicira `tun_src` (`NXM_NX_TUN_IPV4_SRC`, maskable).
    TunIpv4Src(Ipv4Addr) = 0x0001, 31, "tun_src", maskable: true;
    /// Nicira `tun_dst` (`NXM_NX_TUN_IPV4_DST`, maskable).
    TunIpv4Dst(Ipv4Addr) = 0x0001, 32, "tun_dst", maskable: true;
    /// Nicira `pkt_mark` (`NXM_NX_PKT_MARK`, 32 bits, maskable).
    PktMark(u32) = 0x0001, 33, "pkt_mark", maskable: true;
    /// Nicira `tun_flags` (`NXM_NX_TUN_FLAGS`, 16 bits, maskable).
    TunFlags(u16) = 0x0001, 104, "tun_flags", maskable: true;
    /// Nicira `ct_state` (`NXM_NX_CT_STATE`, 32 bits, maskable).
    CtState(u32) = 0x0001, 105, "ct_state", maskable: true;
    /// Nicira `ct_zone` (`NXM_NX_CT_ZONE`, 16 bits).
    CtZone(u16) = 0x0001, 106, "ct_zone", maskable: false;
    /// Nicira `ct_mark` (`NXM_NX_CT_MARK`, 32 bits, maskable).
    CtMark(u32) = 0x0001, 107, "ct_mark", maskable: true;
    /// Nicira `tun_ipv6_src` (`NXM_NX_TUN_IPV6_SRC`, maskable).
    TunIpv6Src(Ipv6Addr) = 0x0001, 109, "tun_ipv6_src", maskable: true;
    /// Nicira `tun_ipv6_dst` (`NXM_NX_TUN_IPV6_DST`, maskable).
    TunIpv6Dst(Ipv6Addr) = 0x0001, 110, "tun_ipv6_dst", maskable: true;
    /// Nicira `ct_label` (`NXM_NX_CT_LABEL`, 128 bits, maskable).
    CtLabel(u128) = 0x0001, 108, "ct_label", maskable: true;
    /// Nicira `conj_id` (`NXM_NX_CONJ_ID`, 32 bits).
    ConjId(u32) = 0x0001, 37, "conj_id", maskable: false;
    /// Nicira `arp_sha` (`NXM_NX_ARP_SHA`, maskable).
    NxArpSha(MacAddr6) = 0x0001, 17, "arp_sha", maskable: true;
    /// Nicira `arp_tha` (`NXM_NX_ARP_THA`, maskable).
    NxArpTha(MacAddr6) = 0x0001, 18, "arp_tha", maskable: true;
    /// Nicira `ipv6_src` (`NXM_NX_IPV6_SRC`, maskable).
    NxIpv6Src(Ipv6Addr) = 0x0001, 19, "ipv6_src", maskable: true;
    /// Nicira `ipv6_dst` (`NXM_NX_IPV6_DST`, maskable).
    NxIpv6Dst(Ipv6Addr) = 0x0001, 20, "ipv6_dst", maskable: true;
    /// Nicira `icmpv6_type` (`NXM_NX_ICMPV6_TYPE`).
    NxIcmpv6Type(u8) = 0x0001, 21, "icmpv6_type", maskable: false;
    /// Nicira `icmpv6_code` (`NXM_NX_ICMPV6_CODE`).
    NxIcmpv6Code(u8) = 0x0001, 22, "icmpv6_code", maskable: false;
    /// Nicira `nd_target` (`NXM_NX_ND_TARGET`, maskable).
    NxNdTarget(Ipv6Addr) = 0x0001, 23, "nd_target", maskable: true;
    /// Nicira `nd_sll` (`NXM_NX_ND_SLL`, maskable).
    NxNdSll(MacAddr6) = 0x0001, 24, "nd_sll", maskable: true;
    /// Nicira `nd_tll` (`NXM_NX_ND_TLL`, maskable).
    NxNdTll(MacAddr6) = 0x0001, 25, "nd_tll", maskable: true;
    /// Nicira `ip_frag` (`NXM_NX_IP_FRAG`, 2 bits in 8, maskable).
    NxIpFrag(u8) = 0x0001, 26, "ip_frag", maskable: true;
    /// Nicira `ipv6_label` (`NXM_NX_IPV6_LABEL`, 20 bits in 32, maskable).
    NxIpv6Label(u32) = 0x0001, 27, "ipv6_label", maskable: true;
    /// Nicira `nw_ecn` (`NXM_NX_IP_ECN`).
    NxIpEcn(u8) = 0x0001, 28, "nw_ecn", maskable: false;
    /// Nicira `nw_ttl` (`NXM_NX_IP_TTL`).
    NxIpTtl(u8) = 0x0001, 29, "nw_ttl", maskable: false;
    /// Nicira `tcp_flags` (`NXM_NX_TCP_FLAGS`, 12 bits in 16, maskable).
    NxTcpFlags(u16) = 0x0001, 34, "tcp_flags", maskable: true;
    /// Nicira `dp_hash` (`NXM_NX_DP_HASH`, maskable).
    NxDpHash(u32) = 0x0001, 35, "dp_hash", maskable: true;
    /// Nicira `recirc_id` (`NXM_NX_RECIRC_ID`).
    NxRecircId(u32) = 0x0001, 36, "recirc_id", maskable: false;
    /// Nicira `tun_gbp_id` (`NXM_NX_TUN_GBP_ID`, maskable).
    NxTunGbpId(u16) = 0x0001, 38, "tun_gbp_id", maskable: true;
    /// Nicira `tun_gbp_flags` (`NXM_NX_TUN_GBP_FLAGS`, maskable).
    NxTunGbpFlags(u8) = 0x0001, 39, "tun_gbp_flags", maskable: true;
    /// `NXM_OF_IN_PORT` (class 0x0000): 16-bit OpenFlow 1.0 port.
    NxmInPort(u16) = 0x0000, 0, "in_port", maskable: false;
    /// `NXM_OF_ETH_DST` (maskable).
    NxmEthDst(MacAddr6) = 0x0000, 1, "eth_dst", maskable: true;
    /// `NXM_OF_ETH_SRC` (maskable).
    NxmEthSrc(MacAddr6) = 0x0000, 2, "eth_src", maskable: true;
    /// `NXM_OF_ETH_TYPE`.
    NxmEthType(u16) = 0x0000, 3, "eth_type", maskable: false;
    /// `NXM_OF_VLAN_TCI`: the whole TCI (PCP, CFI = present, VID), maskable.
    NxmVlanTci(u16) = 0x0000, 4, "vlan_tci", maskable: true;
    /// `NXM_OF_IP_TOS` (DSCP in the upper 6 bits).
    NxmIpTos(u8) = 0x0000, 5, "nw_tos", maskable: false;
    /// `NXM_OF_IP_PROTO`.
    NxmIpProto(u8) = 0x0000, 6, "nw_proto", maskable: false;
    /// `NXM_OF_IP_SRC` (maskable).
    NxmIpSrc(Ipv4Addr) = 0x0000, 7, "ip_src", maskable: true;
    /// `NXM_OF_IP_DST` (maskable).
    NxmIpDst(Ipv4Addr) = 0x0000, 8, "ip_dst", maskable: true;
    /// `NXM_OF_TCP_SRC` (maskable).
    NxmTcpSrc(u16) = 0x0000, 9, "tcp_src", maskable: true;
    /// `NXM_OF_TCP_DST` (maskable).
    NxmTcpDst(u16) = 0x0000, 10, "tcp_dst", maskable: true;
    /// `NXM_OF_UDP_SRC` (maskable).
    NxmUdpSrc(u16) = 0x0000, 11, "udp_src", maskable: true;
    /// `NXM_OF_UDP_DST` (maskable).
    NxmUdpDst(u16) = 0x0000, 12, "udp_dst", maskable: true;
    /// `NXM_OF_ICMP_TYPE`.
    NxmIcmpType(u8) = 0x0000, 13, "icmp_type", maskable: false;
    /// `NXM_OF_ICMP_CODE`.
    NxmIcmpCode(u8) = 0x0000, 14, "icmp_code", maskable: false;
    /// `NXM_OF_ARP_OP`.
    NxmArpOp(u16) = 0x0000, 15, "arp_op", maskable: false;
    /// `NXM_OF_ARP_SPA` (maskable).
    NxmArpSpa(Ipv4Addr) = 0x0000, 16, "arp_spa", maskable: true;
    /// `NXM_OF_ARP_TPA` (maskable).
    NxmArpTpa(Ipv4Addr) = 0x0000, 17, "arp_tpa", maskable: true;
}

impl_codec!(Oxm, "OXM TLV");

impl Oxm {
    /// The 4-byte header this field is written with.
    pub fn header(&self) -> OxmHeader {
        OxmHeader {
            class: self.class(),
            field: self.field(),
            has_mask: self.has_mask(),
            length: self.payload_len().min(255) as u8,
        }
    }

    /// Encoded length: the 4-byte header plus the payload.
    pub fn encoded_len(&self) -> usize {
        4 + self.payload_len()
    }

    /// A cheap value to decode over (no heap data to drop).
    pub(crate) const PLACEHOLDER: Oxm = Oxm::EthType(Masked {
        value: 0,
        mask: None,
    });

    /// Whether the value owns no heap data (what
    /// [`Oxm::read_to`] may decode over).
    pub(crate) fn is_heap_free(&self) -> bool {
        !matches!(self, Oxm::Experimenter { .. } | Oxm::Unknown { .. })
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Oxm, Error> {
        let mut o = Oxm::PLACEHOLDER;
        Oxm::read_to(r, &mut o)?;
        Ok(o)
    }

    /// Reads one OXM TLV into `slot` (left as it was on error), which
    /// must own no heap data (it is overwritten, not dropped).
    ///
    /// The fields of a VTEP's flows take [`Oxm::read_common`], inlined
    /// into the list decoders; everything else (and every error) the
    /// general [`Oxm::read_to_general`].
    #[inline(always)]
    pub(crate) fn read_to(r: &mut Reader<'_>, slot: &mut Oxm) -> Result<(), Error> {
        if Oxm::read_common(r, slot) {
            return Ok(());
        }
        Oxm::read_to_general(r, slot)
    }

    /// The fast path of [`Oxm::read_to`]: a whole TLV whose 4-byte header
    /// (class, field, hasmask and length as one word) is one of the
    /// common fields with its exact size, decoded in one bounds check and
    /// one compare per candidate instead of the general path's bytewise
    /// header, class branch and jump table on the field (the indirect
    /// jump was the peak of the FLOW_MOD decode profile). Returns `false`,
    /// having read nothing, for anything else or a TLV that does not fit;
    /// what it decodes is what the general path decodes (proptest
    /// `read_common_is_read_general`).
    #[inline(always)]
    fn read_common(r: &mut Reader<'_>, slot: &mut Oxm) -> bool {
        let Some(h) = r.peek_array::<4>() else {
            return false;
        };
        /// Takes the header and a `$len`-byte value as a `[u8; 4 + $len]`.
        macro_rules! tlv {
            ($len:literal) => {
                match r.take_array::<{ 4 + $len }>() {
                    Some(t) => t,
                    None => return false,
                }
            };
        }
        let be32 = |t: &[u8], i: usize| u32::from_be_bytes([t[i], t[i + 1], t[i + 2], t[i + 3]]);
        let be16 = |t: &[u8], i: usize| u16::from_be_bytes([t[i], t[i + 1]]);
        let be64 = |t: &[u8], i: usize| u64::from(be32(t, i)) << 32 | u64::from(be32(t, i + 4));
        debug_assert!(slot.is_heap_free(), "decoding over {slot:?}");
        let h = u32::from_be_bytes(*h);
        let v = match h {
            // in_port
            0x8000_0004 => Oxm::InPort(Masked::exact(be32(tlv!(4), 4))),
            // eth_dst, eth_dst/mask
            0x8000_0606 => Oxm::EthDst(Masked::exact(MacAddr6::read(&tlv!(6)[4..]))),
            0x8000_070c => {
                let t = tlv!(12);
                Oxm::EthDst(Masked::with_mask(
                    MacAddr6::read(&t[4..10]),
                    MacAddr6::read(&t[10..]),
                ))
            }
            // eth_type
            0x8000_0a02 => Oxm::EthType(Masked::exact(be16(tlv!(2), 4))),
            // vlan_vid, vlan_vid/mask
            0x8000_0c02 => Oxm::VlanVid(Masked::exact(be16(tlv!(2), 4))),
            0x8000_0d04 => {
                let t = tlv!(4);
                Oxm::VlanVid(Masked::with_mask(be16(t, 4), be16(t, 6)))
            }
            // ipv4_dst
            0x8000_1804 => Oxm::Ipv4Dst(Masked::exact(Ipv4Addr::from(be32(tlv!(4), 4)))),
            // tunnel_id
            0x8000_4c08 => Oxm::TunnelId(Masked::exact(be64(tlv!(8), 4))),
            // NXM_NX_TUN_ID
            0x0001_2008 => Oxm::TunId(Masked::exact(be64(tlv!(8), 4))),
            // NXM_NX_TUN_IPV4_DST
            0x0001_4004 => Oxm::TunIpv4Dst(Masked::exact(Ipv4Addr::from(be32(tlv!(4), 4)))),
            // NXM_NX_REG0..15 (the index in the field's low 4 bits)
            _ if h & !(0xf << 9) == 0x0001_0004 => {
                Oxm::NxReg(((h >> 9) & 0xf) as u8, Masked::exact(be32(tlv!(4), 4)))
            }
            _ => return false,
        };
        overwrite(slot, v);
        true
    }

    /// [`Oxm::read_to`] for every OXM: the general path.
    #[inline(never)]
    fn read_to_general(r: &mut Reader<'_>, slot: &mut Oxm) -> Result<(), Error> {
        let offset = r.offset();
        let header = OxmHeader::from_u32(r.peek_u32(0, "OXM header")?);
        let len = usize::from(header.length);
        let t = r.bytes(4 + len, "OXM TLV")?;
        Oxm::read_payload_into(
            &t[4..],
            header.class,
            header.field,
            header.has_mask,
            offset,
            slot,
        )
    }

    /// Checks one OXM TLV and skips it: the same error as
    /// [`Oxm::read_to`] for the same bytes, nothing built.
    #[inline(always)]
    pub(crate) fn check(r: &mut Reader<'_>) -> Result<(), Error> {
        let offset = r.offset();
        // The header in one load (the error from the checked read).
        let header = match r.peek_array::<4>() {
            Some(h) => OxmHeader::from_u32(u32::from_be_bytes(*h)),
            None => OxmHeader::from_u32(r.peek_u32(0, "OXM header")?),
        };
        let len = usize::from(header.length);
        r.skip(4 + len, "OXM TLV")?;
        Oxm::check_payload(len, header.class, header.field, header.has_mask, offset)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        // Typed fields cannot fail: their field numbers are below 0x80 and
        // their payloads at most 32 bytes.
        if self.write_typed(b) {
            return Ok(());
        }
        let field = self.field();
        match self {
            Oxm::NxReg(i, _) if *i > 15 => {
                return Err(Error::OutOfRange {
                    field: "reg index",
                    value: (*i).into(),
                    max: 15,
                });
            }
            Oxm::Unknown { class, .. } if *class == OFPXMC_EXPERIMENTER => {
                return Err(Error::OutOfRange {
                    field: "unknown OXM class",
                    value: (*class).into(),
                    max: 0xfffe,
                });
            }
            _ if field > 0x7f => {
                return Err(Error::OutOfRange {
                    field: "OXM field",
                    value: field.into(),
                    max: 0x7f,
                });
            }
            _ => {}
        }
        let len = self.payload_len();
        if len > 255 {
            return Err(Error::TooLarge {
                what: "OXM payload",
                len,
                max: 255,
            });
        }
        b.put_u32(self.header().to_u32());
        self.write_payload(b);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;

    /// The headers [`Oxm::read_common`] takes, each also with one bit
    /// flipped (another field, class, mask bit or length).
    fn common_header() -> impl Strategy<Value = u32> {
        let common = prop_oneof![
            Just(0x8000_0004u32),
            Just(0x8000_0606),
            Just(0x8000_070c),
            Just(0x8000_0a02),
            Just(0x8000_0c02),
            Just(0x8000_0d04),
            Just(0x8000_1804),
            Just(0x8000_4c08),
            Just(0x0001_2008),
            Just(0x0001_4004),
            (0u32..16).prop_map(|i| 0x0001_0004 | i << 9),
        ];
        prop_oneof![
            3 => common.clone(),
            2 => (common, 0u32..32).prop_map(|(h, bit)| h ^ (1 << bit)),
            1 => any::<u32>(),
        ]
    }

    proptest! {
        /// The fast path decodes what the general path does, or leaves
        /// the reader and slot untouched for the general path; and
        /// `read_to` (both) is the general path: same value, same error,
        /// same bytes consumed.
        #[test]
        fn read_common_is_read_general(h in common_header(), tail in vec(any::<u8>(), 0..24)) {
            let mut bytes = h.to_be_bytes().to_vec();
            bytes.extend_from_slice(&tail);
            for cut in 0..=bytes.len() {
                let b = &bytes[..cut];
                let mut rg = Reader::new(b);
                let mut general = Oxm::PLACEHOLDER;
                let g = Oxm::read_to_general(&mut rg, &mut general);
                let mut rf = Reader::new(b);
                let mut fast = Oxm::PLACEHOLDER;
                if Oxm::read_common(&mut rf, &mut fast) {
                    prop_assert_eq!(&g, &Ok(()));
                    prop_assert_eq!(&fast, &general);
                    prop_assert_eq!(rf.offset(), rg.offset());
                } else {
                    prop_assert_eq!(rf.offset(), 0);
                    prop_assert_eq!(&fast, &Oxm::PLACEHOLDER);
                }
                let mut r = Reader::new(b);
                let mut both = Oxm::PLACEHOLDER;
                prop_assert_eq!(Oxm::read_to(&mut r, &mut both), g);
                prop_assert_eq!(&both, &general);
                prop_assert_eq!(r.offset(), rg.offset());
            }
        }
    }

    #[test]
    fn header_bits() {
        // OXM_OF_ETH_DST_W: class 0x8000, field 3, hasmask, length 12.
        let h = OxmHeader::from_u32(0x8000_070c);
        assert_eq!(
            h,
            OxmHeader {
                class: 0x8000,
                field: 3,
                has_mask: true,
                length: 12
            }
        );
        assert_eq!(h.to_u32(), 0x8000_070c);
        assert_eq!(h.n_bits(), 48);
    }

    #[test]
    fn typed_fields_from_spec_layout() {
        // in_port = 1
        let b = [0x80, 0x00, 0x00, 0x04, 0, 0, 0, 1];
        assert_eq!(Oxm::decode(&b).unwrap(), Oxm::InPort(1.into()));
        // eth_dst/mask
        let b = [
            0x80, 0x00, 0x07, 0x0c, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0xff, 0xff, 0xff, 0, 0, 0,
        ];
        let o = Oxm::decode(&b).unwrap();
        assert_eq!(
            o,
            Oxm::EthDst(Masked::with_mask(
                [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff].into(),
                [0xff, 0xff, 0xff, 0, 0, 0].into()
            ))
        );
        assert_eq!(o.to_bytes().unwrap(), b);
        // NXM_NX_TUN_IPV4_DST = 192.0.2.1: class 1, field 32 => 0x0001_4004
        let b = [0x00, 0x01, 0x40, 0x04, 192, 0, 2, 1];
        let o = Oxm::decode(&b).unwrap();
        assert_eq!(o, Oxm::TunIpv4Dst(Ipv4Addr::new(192, 0, 2, 1).into()));
        assert_eq!(o.name(), "tun_dst");
        // NXM_NX_REG3 = 5
        let b = [0x00, 0x01, 0x06, 0x04, 0, 0, 0, 5];
        assert_eq!(Oxm::decode(&b).unwrap(), Oxm::NxReg(3, 5.into()));
        // pbb_isid 3 bytes
        let b = [0x80, 0x00, 0x4a, 0x03, 0x12, 0x34, 0x56];
        assert_eq!(
            Oxm::decode(&b).unwrap(),
            Oxm::PbbIsid(Isid::new(0x123456).unwrap().into())
        );
    }

    #[test]
    fn nicira_fields_typed() {
        // NXM_OF_VLAN_TCI_W 0x1000/0x1000: class 0, field 4, hasmask, 4.
        let b = [0x00, 0x00, 0x09, 0x04, 0x10, 0x00, 0x10, 0x00];
        let o = Oxm::decode(&b).unwrap();
        assert_eq!(o, Oxm::NxmVlanTci(Masked::with_mask(0x1000, 0x1000)));
        assert_eq!(o.name(), "vlan_tci");
        assert_eq!(o.to_bytes().unwrap(), b);
        // NXM_NX_CT_LABEL (field 108, 16 bytes): 0x0001_d810.
        let mut b = vec![0x00, 0x01, 0xd8, 0x10];
        b.extend_from_slice(&1u128.to_be_bytes());
        assert_eq!(Oxm::decode(&b).unwrap(), Oxm::CtLabel(1.into()));
        // NXM_NX_CONJ_ID = 7: 0x0001_4a04.
        let b = [0x00, 0x01, 0x4a, 0x04, 0, 0, 0, 7];
        assert_eq!(Oxm::decode(&b).unwrap(), Oxm::ConjId(7.into()));
        // NXM_OF_IN_PORT with a 4-byte value is a length error.
        assert!(matches!(
            Oxm::decode(&[0, 0, 0, 4, 0, 0, 0, 1]),
            Err(Error::BadLength { .. })
        ));
    }

    #[test]
    fn raw_fields_kept() {
        // ONF experimenter field 0x4f4e4600, field 2 (pbb_uca), 1 byte.
        let b = [0xff, 0xff, 0x04, 0x05, 0x4f, 0x4e, 0x46, 0x00, 0x01];
        let o = Oxm::decode(&b).unwrap();
        assert_eq!(
            o,
            Oxm::Experimenter {
                experimenter: 0x4f4e_4600,
                field: 2,
                has_mask: false,
                data: vec![1]
            }
        );
        assert_eq!(o.to_bytes().unwrap(), b);
        // NXM_0 (class 0) field 40 (none) kept raw.
        let b = [0x00, 0x00, 0x50, 0x02, 0x12, 0x34];
        let o = Oxm::decode(&b).unwrap();
        assert!(matches!(
            o,
            Oxm::Unknown {
                class: 0,
                field: 40,
                ..
            }
        ));
        assert_eq!(o.to_bytes().unwrap(), b);
    }

    #[test]
    fn placeholder_decodes_over() {
        // Lists decode each field over a placeholder slot.
        let mut slot = Oxm::PLACEHOLDER;
        let b = [0x80, 0x00, 0x00, 0x04, 0, 0, 0, 1];
        Oxm::read_to(&mut Reader::new(&b), &mut slot).unwrap();
        assert_eq!(slot, Oxm::InPort(1.into()));
        // Left as it was on error.
        let b = [0x80, 0x00, 0x00, 0x03, 0, 0, 1];
        assert!(Oxm::read_to(&mut Reader::new(&b), &mut slot).is_err());
        assert_eq!(slot, Oxm::InPort(1.into()));
        // The largest typed payload (a masked 128-bit value) sets the size.
        assert!(core::mem::size_of::<Oxm>() <= 64);
    }

    #[test]
    fn bad_lengths() {
        // in_port with length 3
        assert!(matches!(
            Oxm::decode(&[0x80, 0x00, 0x00, 0x03, 0, 0, 1]),
            Err(Error::BadLength {
                what: "in_port",
                length: 3,
                ..
            })
        ));
        // experimenter with length 2
        assert!(matches!(
            Oxm::decode(&[0xff, 0xff, 0x00, 0x02, 0, 0]),
            Err(Error::BadLength { .. })
        ));
        // truncated payload
        assert!(matches!(
            Oxm::decode(&[0x80, 0x00, 0x00, 0x04, 0]),
            Err(Error::Truncated { needed: 8, .. })
        ));
        assert!(Oxm::NxReg(16, 1.into()).to_bytes().is_err());
    }
}
