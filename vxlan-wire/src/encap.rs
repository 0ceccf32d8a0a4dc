//! Encapsulation of an inner Ethernet frame into Ethernet / IPv4 or IPv6 /
//! UDP / VXLAN, written straight into a [`BufMut`] without allocating.
//!
//! Field semantics:
//! * outer EtherType follows the address family; one optional VLAN tag;
//! * IPv4: IHL 5 (no options), TOS = `dscp << 2 | ecn`, identification as
//!   given (0 by default: with DF set, RFC 6864 lets atomic datagrams use
//!   any value), DF per `dont_fragment` (default on: RFC 7348 section 4.3
//!   says VTEPs must not fragment), TTL `ttl`, header checksum computed;
//! * IPv6: traffic class = `dscp << 2 | ecn`, `flow_label` (20 bits), hop
//!   limit `ttl`, no extension headers;
//! * UDP: destination `dst_port` (4789 by default), source `src_port` or
//!   [`source_port`] of the inner frame; checksum 0 over IPv4 (RFC 7348;
//!   computed if `ipv4_udp_checksum`), always computed over IPv6;
//! * VXLAN: standard header (I flag, reserved zero), or GBP with the G
//!   flag when `gbp` is set.

use core::net::IpAddr;

use bytes::BufMut;
use macaddr::MacAddr6;

use crate::checksum::Checksum;
use crate::ethernet::{ETHERNET_HEADER_LEN, EtherType, VLAN_TAG_LEN, VlanTag};
use crate::flow::source_port;
use crate::header::{FLAG_I, GBP_FLAG_A, GBP_FLAG_D, GBP_FLAG_G, HEADER_LEN, VxlanHeader};
use crate::ipv4::{IP_PROTO_UDP, IPV4_HEADER_LEN};
use crate::ipv6::IPV6_HEADER_LEN;
use crate::udp::{UDP_HEADER_LEN, VXLAN_PORT};
use crate::{Error, Vni};

/// Group Based Policy fields to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GbpParams {
    /// Group Policy ID (sent with the G flag set).
    pub group_policy_id: u16,
    /// D flag.
    pub dont_learn: bool,
    /// A flag.
    pub policy_applied: bool,
}

/// Everything [`encapsulate`] needs besides the inner frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EncapParams {
    /// Outer source MAC.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub src_mac: MacAddr6,
    /// Outer destination MAC.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub dst_mac: MacAddr6,
    /// Optional outer VLAN tag.
    pub vlan: Option<VlanTag>,
    /// Local VTEP address.
    pub src_ip: IpAddr,
    /// Remote VTEP address (same family as `src_ip`).
    pub dst_ip: IpAddr,
    /// VNI.
    pub vni: Vni,
    /// UDP destination port, default 4789.
    pub dst_port: u16,
    /// Fixed UDP source port; `None` hashes the inner flow into 49152-65535.
    pub src_port: Option<u16>,
    /// IPv4 TTL / IPv6 hop limit, default 64.
    pub ttl: u8,
    /// DSCP, 0..=63, default 0.
    pub dscp: u8,
    /// ECN, 0..=3, default 0.
    pub ecn: u8,
    /// IPv4 DF bit, default true.
    pub dont_fragment: bool,
    /// IPv4 identification, default 0.
    pub identification: u16,
    /// IPv6 flow label, 0..=0xFFFFF, default 0.
    pub flow_label: u32,
    /// Compute the UDP checksum over IPv4 too (default false: zero).
    pub ipv4_udp_checksum: bool,
    /// Send a GBP header with these fields.
    pub gbp: Option<GbpParams>,
}

impl EncapParams {
    /// Parameters with the defaults listed on each field.
    pub const fn new(
        src_mac: MacAddr6,
        dst_mac: MacAddr6,
        src_ip: IpAddr,
        dst_ip: IpAddr,
        vni: Vni,
    ) -> Self {
        EncapParams {
            src_mac,
            dst_mac,
            vlan: None,
            src_ip,
            dst_ip,
            vni,
            dst_port: VXLAN_PORT,
            src_port: None,
            ttl: 64,
            dscp: 0,
            ecn: 0,
            dont_fragment: true,
            identification: 0,
            flow_label: 0,
            ipv4_udp_checksum: false,
            gbp: None,
        }
    }

    /// The VXLAN header these parameters produce.
    #[inline]
    pub const fn header(&self) -> VxlanHeader {
        match self.gbp {
            Some(g) => {
                VxlanHeader::gbp(self.vni, g.group_policy_id, g.dont_learn, g.policy_applied)
            }
            None => VxlanHeader::new(self.vni),
        }
    }

    /// Outer overhead in bytes: 50 (IPv4) or 70 (IPv6), plus 4 with a VLAN.
    pub const fn overhead(&self) -> usize {
        let ip = match self.dst_ip {
            IpAddr::V4(_) => IPV4_HEADER_LEN,
            IpAddr::V6(_) => IPV6_HEADER_LEN,
        };
        ETHERNET_HEADER_LEN
            + if self.vlan.is_some() { VLAN_TAG_LEN } else { 0 }
            + ip
            + UDP_HEADER_LEN
            + HEADER_LEN
    }

    /// Total bytes [`encapsulate`] writes for an inner frame of `inner_len`.
    pub const fn encoded_len(&self, inner_len: usize) -> usize {
        self.overhead() + inner_len
    }

    /// `u64::from_be_bytes(self.header().to_bytes())`, from the fields.
    #[inline(always)]
    fn header_word(&self) -> u64 {
        let vni = u64::from(self.vni.get()) << 8;
        match self.gbp {
            None => (u64::from(FLAG_I) << 56) | vni,
            Some(g) => {
                let flags2 = if g.dont_learn { GBP_FLAG_D } else { 0 }
                    | if g.policy_applied { GBP_FLAG_A } else { 0 };
                (u64::from(FLAG_I | GBP_FLAG_G) << 56)
                    | (u64::from(flags2) << 48)
                    | (u64::from(g.group_policy_id) << 32)
                    | vni
            }
        }
    }

    #[inline]
    fn validate(&self) -> Result<(), Error> {
        let check = |field, value: u64, max: u64| {
            if value > max {
                Err(Error::OutOfRange { field, value, max })
            } else {
                Ok(())
            }
        };
        check("DSCP", u64::from(self.dscp), 63)?;
        check("ECN", u64::from(self.ecn), 3)?;
        check("IPv6 flow label", u64::from(self.flow_label), 0xF_FFFF)?;
        if let Some(t) = self.vlan {
            check("VLAN PCP", u64::from(t.pcp), 7)?;
        }
        Ok(())
    }
}

/// A MAC address as the low 48 bits of a u64.
#[inline(always)]
fn mac48(m: MacAddr6) -> u64 {
    let b = m.into_array();
    u64::from_be_bytes([0, 0, b[0], b[1], b[2], b[3], b[4], b[5]])
}

/// The one's complement sum of a u64's four 16-bit words, unfolded.
#[inline(always)]
const fn sum64(w: u64) -> u64 {
    (w >> 32) + (w & 0xFFFF_FFFF)
}

/// Folds an unfolded one's complement sum to 16 bits.
#[inline(always)]
const fn fold(mut s: u64) -> u16 {
    s = (s & 0xFFFF_FFFF) + (s >> 32);
    s = (s & 0xFFFF) + (s >> 16);
    s = (s & 0xFFFF) + (s >> 16);
    s = (s & 0xFFFF) + (s >> 16);
    s as u16
}

/// Encapsulates `inner` and writes the whole outer frame to `out`; returns
/// the number of bytes written (see the module docs for field semantics).
///
/// Errors: source and destination of different families, DSCP/ECN/flow
/// label/PCP out of range, an inner frame too large for the length fields,
/// or `out` without room for [`EncapParams::encoded_len`] bytes (nothing is
/// written then).
///
/// ```
/// use vxlan_wire::{encapsulate, EncapParams, Vni};
/// let p = EncapParams::new(
///     [2, 0, 0, 0, 0, 1].into(), [2, 0, 0, 0, 0, 2].into(),
///     "10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap(), Vni::new(42).unwrap());
/// let mut buf = [0u8; 128];
/// let n = encapsulate(&[0x11; 60], &p, &mut &mut buf[..]).unwrap();
/// assert_eq!(n, 50 + 60);
/// assert_eq!(&buf[12..14], &[0x08, 0x00]);
/// assert_eq!(&buf[42..50], &[0x08, 0, 0, 0, 0, 0, 42, 0]);
/// ```
// Always inlined: returned from an out-of-line call, the 40-byte
// `Result<usize, Error>` goes through memory, and a caller that copies it
// whole (as `black_box` does) reads it back with wider loads than the
// stores that wrote it (a store-forwarding stall of ~20 cycles).
#[inline(always)]
pub fn encapsulate(
    inner: &[u8],
    params: &EncapParams,
    out: &mut impl BufMut,
) -> Result<usize, Error> {
    params.validate()?;
    let udp_len = UDP_HEADER_LEN + HEADER_LEN + inner.len();
    let total = params.encoded_len(inner.len());
    let (ip_field, ip_len) = match params.dst_ip {
        IpAddr::V4(_) => ("IPv4 total length", IPV4_HEADER_LEN + udp_len),
        IpAddr::V6(_) => ("IPv6 payload length", udp_len),
    };
    if ip_len > usize::from(u16::MAX) {
        return Err(Error::TooLarge {
            field: ip_field,
            len: ip_len,
            max: usize::from(u16::MAX),
        });
    }
    // The addresses as integers; both families must agree.
    let addrs = match (params.src_ip, params.dst_ip) {
        (IpAddr::V4(s), IpAddr::V4(d)) => Addrs::V4(u32::from(s), u32::from(d)),
        (IpAddr::V6(s), IpAddr::V6(d)) => Addrs::V6(u128::from(s), u128::from(d)),
        _ => return Err(Error::AddressFamilyMismatch),
    };
    if out.remaining_mut() < total {
        return Err(Error::BufferTooSmall {
            needed: total,
            available: out.remaining_mut(),
        });
    }
    let sport = params.src_port.unwrap_or_else(|| source_port(inner));
    let vx = params.header_word();
    let tos = u64::from((params.dscp << 2) | params.ecn);
    // Checked above: fits in 16 bits.
    let udp_len = udp_len as u64;
    let ip_len = ip_len as u64;
    let ttl = u64::from(params.ttl);
    let proto = u64::from(IP_PROTO_UDP);

    // Every field is known as a value: checksums are summed from the values
    // and the header is written in a few wide stores, never read back.
    let udp_sum =
        sum64((u64::from(sport) << 48) | (u64::from(params.dst_port) << 32)) + udp_len + sum64(vx);
    let dst = mac48(params.dst_mac);
    let src = mac48(params.src_mac);
    out.put_u64((dst << 16) | (src >> 32));
    out.put_u32(src as u32);
    if let Some(t) = params.vlan {
        out.put_u32(u32::from_be_bytes(t.to_bytes()));
    }
    let pseudo = match addrs {
        Addrs::V4(s, d) => {
            let (s, d) = (u64::from(s), u64::from(d));
            let flags = if params.dont_fragment { 0x4000 } else { 0 };
            let w0 = (0x4500 | tos) << 48
                | ip_len << 32
                | u64::from(params.identification) << 16
                | flags;
            let csum = !fold(sum64(w0) + ((ttl << 8) | proto) + sum64(s << 32 | d));
            out.put_u16(EtherType::IPV4.0);
            out.put_u64(w0);
            out.put_u32(((((ttl << 8) | proto) << 16) as u32) | u32::from(csum));
            out.put_u64(s << 32 | d);
            sum64(s << 32 | d) + proto + udp_len
        }
        Addrs::V6(s, d) => {
            let vtf = (6u64 << 28) | (tos << 20) | u64::from(params.flow_label);
            out.put_u16(EtherType::IPV6.0);
            out.put_u64(vtf << 32 | udp_len << 16 | proto << 8 | ttl);
            out.put_u128(s);
            out.put_u128(d);
            let half = |x: u128| sum64((x >> 64) as u64) + sum64(x as u64);
            half(s) + half(d) + udp_len + proto
        }
    };
    let checksum = if matches!(addrs, Addrs::V6(..)) || params.ipv4_udp_checksum {
        let mut c = Checksum::with_sum(pseudo + udp_sum);
        c.add(inner);
        match c.finish() {
            0 => 0xFFFF,
            v => v,
        }
    } else {
        0
    };
    out.put_u64(
        (u64::from(sport) << 48)
            | (u64::from(params.dst_port) << 32)
            | udp_len << 16
            | u64::from(checksum),
    );
    out.put_u64(vx);
    out.put_slice(inner);
    Ok(total)
}

/// Outer addresses of one family, as integers.
#[derive(Clone, Copy)]
enum Addrs {
    V4(u32, u32),
    V6(u128, u128),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::internet_checksum;
    use crate::decap::{Decap, DecapConfig, decapsulate};
    use crate::ethernet::{VlanId, VlanTpid, Vlans};
    use crate::frame::{OuterEthernet, OuterIp, VxlanFrame};
    use crate::header::HeaderFlavour;
    use crate::ipv4::Ipv4Header;
    use crate::ipv6::Ipv6Header;
    use crate::udp::{UdpChecksum, UdpHeader, udp_checksum};
    use alloc::vec::Vec;
    use core::net::{Ipv4Addr, Ipv6Addr};
    use proptest::prelude::*;

    fn params(v6: bool) -> EncapParams {
        let (s, d): (IpAddr, IpAddr) = if v6 {
            (
                "2001:db8::a".parse().unwrap(),
                "2001:db8::b".parse().unwrap(),
            )
        } else {
            (
                "203.0.113.10".parse().unwrap(),
                "203.0.113.11".parse().unwrap(),
            )
        };
        EncapParams::new(
            MacAddr6::new(2, 0, 0, 0, 0, 0xa),
            MacAddr6::new(2, 0, 0, 0, 0, 0xb),
            s,
            d,
            Vni::new(7).unwrap(),
        )
    }

    #[test]
    fn ipv4_fields() {
        let mut p = params(false);
        p.dscp = 46;
        p.ecn = 1;
        p.ttl = 5;
        p.identification = 0xBEEF;
        p.dont_fragment = false;
        p.src_port = Some(50000);
        p.vlan = Some(VlanTag {
            pcp: 3,
            ..VlanTag::new(VlanId::new(300).unwrap())
        });
        let inner = [0xEEu8; 20];
        let mut out = alloc::vec![0xA5u8; p.encoded_len(inner.len())];
        let n = encapsulate(&inner, &p, &mut &mut out[..]).unwrap();
        assert_eq!(n, 54 + 20);
        assert_eq!(&out[0..12], &[2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa]);
        assert_eq!(&out[12..18], &[0x81, 0x00, 0x61, 0x2c, 0x08, 0x00]);
        let ip = &out[18..38];
        assert_eq!(
            &ip[..10],
            &[0x45, 46 << 2 | 1, 0, 56, 0xBE, 0xEF, 0, 0, 5, 17]
        );
        assert_eq!(internet_checksum(ip), 0);
        assert_eq!(&out[38..46], &[0xC3, 0x50, 0x12, 0xB5, 0, 36, 0, 0]);
        assert_eq!(&out[46..54], &[0x08, 0, 0, 0, 0, 0, 7, 0]);
        assert_eq!(&out[54..], &inner);
    }

    #[test]
    fn hashed_source_port_and_ipv4_udp_checksum() {
        let mut p = params(false);
        let inner = [0x11u8; 64];
        let mut out = Vec::new();
        encapsulate(&inner, &p, &mut out).unwrap();
        assert_eq!(u16::from_be_bytes([out[34], out[35]]), source_port(&inner));
        assert_eq!(&out[20..22], &[0x40, 0]);
        p.ipv4_udp_checksum = true;
        let mut out = Vec::new();
        encapsulate(&inner, &p, &mut out).unwrap();
        let Ok(Decap::Vxlan(d)) = decapsulate(&out, &DecapConfig::default()) else {
            panic!()
        };
        assert_ne!(d.udp_checksum(), 0);
        assert_eq!(
            udp_checksum(d.outer_src_ip(), d.outer_dst_ip(), &[&out[34..]]),
            0xFFFF
        );
    }

    #[test]
    fn ipv6_fields() {
        let mut p = params(true);
        p.flow_label = 0x12345;
        p.dscp = 10;
        p.ttl = 255;
        let inner = [0x22u8; 33];
        let mut out = Vec::new();
        let n = encapsulate(&inner, &p, &mut out).unwrap();
        assert_eq!(n, 70 + 33);
        assert_eq!(&out[12..14], &[0x86, 0xDD]);
        assert_eq!(
            &out[14..22],
            &[
                0x60 | (40 >> 4),
                ((40 & 0xF) << 4) | 0x1,
                0x23,
                0x45,
                0,
                49,
                17,
                255
            ]
        );
        let Ok(Decap::Vxlan(d)) = decapsulate(&out, &DecapConfig::default()) else {
            panic!()
        };
        assert_eq!(d.tos(), 40);
        assert_eq!(d.ttl(), 255);
        assert_eq!(d.inner(), &inner);
        assert_eq!(
            udp_checksum(d.outer_src_ip(), d.outer_dst_ip(), &[&out[54..]]),
            0xFFFF
        );
    }

    #[test]
    fn errors() {
        let inner = [0u8; 10];
        let mut p = params(false);
        p.dst_ip = "::1".parse().unwrap();
        assert_eq!(
            encapsulate(&inner, &p, &mut Vec::new()),
            Err(Error::AddressFamilyMismatch)
        );
        let mut p = params(false);
        p.dscp = 64;
        assert!(matches!(
            encapsulate(&inner, &p, &mut Vec::new()),
            Err(Error::OutOfRange { field: "DSCP", .. })
        ));
        let mut p = params(false);
        p.ecn = 4;
        assert!(matches!(
            encapsulate(&inner, &p, &mut Vec::new()),
            Err(Error::OutOfRange { field: "ECN", .. })
        ));
        let mut p = params(true);
        p.flow_label = 0x10_0000;
        assert!(matches!(
            encapsulate(&inner, &p, &mut Vec::new()),
            Err(Error::OutOfRange { .. })
        ));
        let big = alloc::vec![0u8; 65535 - 36 + 1];
        assert_eq!(
            encapsulate(&big, &params(false), &mut Vec::new()),
            Err(Error::TooLarge {
                field: "IPv4 total length",
                len: 65536,
                max: 65535
            })
        );
        let fits = alloc::vec![0u8; 65535 - 36];
        assert_eq!(
            encapsulate(&fits, &params(false), &mut Vec::new()),
            Ok(65535 + 14)
        );
        let mut small = [0xA5u8; 40];
        assert_eq!(
            encapsulate(&inner, &params(false), &mut &mut small[..]),
            Err(Error::BufferTooSmall {
                needed: 60,
                available: 40
            })
        );
        assert_eq!(small, [0xA5; 40]);
    }

    #[test]
    fn every_vlan_tpid_reads_back_as_a_tag() {
        let inner = [0x11u8; 60];
        // Every TPID encapsulate can be given is one decapsulate takes as a tag.
        for tpid in VlanTpid::ALL {
            let mut p = params(false);
            p.vlan = Some(VlanTag {
                tpid,
                ..VlanTag::new(VlanId::new(10).unwrap())
            });
            let mut out = alloc::vec![0xA5u8; 200];
            let n = encapsulate(&inner, &p, &mut &mut out[..]).unwrap();
            assert_eq!(n, 54 + 60);
            assert_eq!(out[12..14], tpid.to_u16().to_be_bytes());
            let Ok(Decap::Vxlan(d)) = decapsulate(&out[..n], &DecapConfig::default()) else {
                panic!("{tpid:?}")
            };
            assert_eq!(d.vlans().tags()[0].tpid, tpid);
            assert_eq!(d.vlans(), Vlans::Single(p.vlan.unwrap()));
            assert_eq!(d.inner(), &inner);
        }
    }

    #[test]
    fn checksums_match_the_byte_wise_computation() {
        // The header sums come from field values; check them against a sum
        // over the bytes written, for both families and odd inner lengths.
        for v6 in [false, true] {
            for len in [0usize, 1, 7, 8, 9, 63, 64, 1499, 1500] {
                let inner: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
                let mut p = params(v6);
                p.ipv4_udp_checksum = true;
                p.identification = 0xFFFF;
                p.ttl = 0xFF;
                p.dscp = 63;
                p.ecn = 3;
                p.src_port = Some(0xFFFF);
                p.dst_port = 0xFFFF;
                p.src_ip = if v6 {
                    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff".parse().unwrap()
                } else {
                    "255.255.255.255".parse().unwrap()
                };
                let mut out = Vec::new();
                encapsulate(&inner, &p, &mut out).unwrap();
                let (ip, udp) = if v6 { (14..54, 54) } else { (14..34, 34) };
                if !v6 {
                    assert_eq!(internet_checksum(&out[ip]), 0);
                }
                assert_eq!(
                    udp_checksum(p.src_ip, p.dst_ip, &[&out[udp..]]),
                    0xFFFF,
                    "v6 {v6} len {len}"
                );
                assert_ne!(&out[udp + 6..udp + 8], &[0, 0]);
            }
        }
    }

    fn arb_params() -> impl Strategy<Value = EncapParams> {
        (
            any::<bool>(),
            any::<[u8; 16]>(),
            any::<[u8; 16]>(),
            0u32..=0xFF_FFFF,
            any::<(u16, Option<u16>, u8, u16, bool, bool)>(),
            (
                0u8..64,
                0u8..4,
                0u32..0x10_0000,
                prop::option::of(0u16..4096),
            ),
            prop::option::of(any::<(u16, bool, bool)>()),
        )
            .prop_map(
                |(v6, s, d, vni, (dport, sport, ttl, id, df, ck), (dscp, ecn, fl, vlan), gbp)| {
                    let (src_ip, dst_ip): (IpAddr, IpAddr) = if v6 {
                        (Ipv6Addr::from(s).into(), Ipv6Addr::from(d).into())
                    } else {
                        (
                            Ipv4Addr::new(s[0], s[1], s[2], s[3]).into(),
                            Ipv4Addr::new(d[0], d[1], d[2], d[3]).into(),
                        )
                    };
                    EncapParams {
                        vlan: vlan.map(|v| VlanTag::new(VlanId::new(v).unwrap())),
                        dst_port: dport,
                        src_port: sport,
                        ttl,
                        dscp,
                        ecn,
                        dont_fragment: df,
                        identification: id,
                        flow_label: fl,
                        ipv4_udp_checksum: ck,
                        gbp: gbp.map(|(group_policy_id, dont_learn, policy_applied)| GbpParams {
                            group_policy_id,
                            dont_learn,
                            policy_applied,
                        }),
                        ..EncapParams::new(
                            MacAddr6::from(<[u8; 6]>::try_from(&s[..6]).unwrap()),
                            MacAddr6::from(<[u8; 6]>::try_from(&d[..6]).unwrap()),
                            src_ip,
                            dst_ip,
                            Vni::new(vni).unwrap(),
                        )
                    }
                },
            )
    }

    /// The same frame, described as a [`VxlanFrame`].
    fn as_frame(p: &EncapParams, inner: &[u8]) -> VxlanFrame {
        let tos = (p.dscp << 2) | p.ecn;
        let ip = match (p.src_ip, p.dst_ip) {
            (IpAddr::V4(s), IpAddr::V4(d)) => OuterIp::V4(Ipv4Header {
                tos,
                identification: p.identification,
                dont_fragment: p.dont_fragment,
                ttl: p.ttl,
                ..Ipv4Header::new(s, d)
            }),
            (IpAddr::V6(s), IpAddr::V6(d)) => OuterIp::V6(Ipv6Header {
                traffic_class: tos,
                flow_label: p.flow_label,
                hop_limit: p.ttl,
                ..Ipv6Header::new(s, d)
            }),
            _ => unreachable!(),
        };
        VxlanFrame {
            ethernet: Some(OuterEthernet {
                dst: p.dst_mac,
                src: p.src_mac,
                vlans: p.vlan.map_or(Vlans::None, Vlans::Single),
            }),
            udp: UdpHeader {
                src_port: p.src_port.unwrap_or_else(|| source_port(inner)),
                dst_port: p.dst_port,
                checksum: if p.ipv4_udp_checksum || p.dst_ip.is_ipv6() {
                    UdpChecksum::Computed
                } else {
                    UdpChecksum::Zero
                },
            },
            ip,
            vxlan: p.header(),
            inner: inner.to_vec(),
            trailer: Vec::new(),
        }
    }

    proptest! {
        #[test]
        fn matches_vxlan_frame_and_decapsulates(p in arb_params(), inner in prop::collection::vec(any::<u8>(), 0..200)) {
            let len = p.encoded_len(inner.len());
            let mut out = alloc::vec![0xA5u8; len];
            let n = encapsulate(&inner, &p, &mut &mut out[..]).unwrap();
            prop_assert_eq!(n, len);
            prop_assert_eq!(p.header_word().to_be_bytes(), p.header().to_bytes());
            let frame = as_frame(&p, &inner);
            prop_assert_eq!(frame.encoded_len(), len);
            let mut other = Vec::new();
            frame.encode(&mut other);
            prop_assert_eq!(&other, &out);
            let flavour = if p.gbp.is_some() { HeaderFlavour::Gbp } else { HeaderFlavour::Standard };
            let cfg = DecapConfig::empty().with_port(p.dst_port, flavour).with_ipv4_checksum_check(true);
            match decapsulate(&out, &cfg).unwrap() {
                Decap::Vxlan(d) => {
                    prop_assert_eq!(d.vni(), p.vni);
                    prop_assert_eq!(d.inner(), &inner[..]);
                    prop_assert_eq!(d.outer_src_ip(), p.src_ip);
                    prop_assert_eq!(d.outer_dst_ip(), p.dst_ip);
                    prop_assert_eq!(d.outer_src_mac(), Some(p.src_mac));
                    prop_assert_eq!(d.udp_dst_port(), p.dst_port);
                    prop_assert!(p.src_port.is_some() || d.udp_src_port() >= 49152);
                    prop_assert_eq!(d.to_owned(), frame);
                }
                Decap::NotVxlan(n) => prop_assert!(false, "not VXLAN: {:?}", n),
            }
        }
    }
}
