//! Nicira (Open vSwitch) extension actions: experimenter 0x00002320 plus a
//! 16-bit subtype. Layouts follow Open vSwitch's `nicira-ext.h` /
//! `ofp-actions.c`.
//!
//! ```text
//! | 0xffff | len | 0x00002320 | subtype (2) | body ... | zero pad to 8 |
//! resubmit (1):        | in_port (2) | pad (4) |                          16
//! resubmit_table (14): | in_port (2) | table (1) | pad (3) |             16
//! reg_move (6):  | n_bits (2) | src_ofs (2) | dst_ofs (2) | src (4) | dst (4) | 24
//! reg_load (7):  | ofs_nbits (2) | dst (4) | value (8) |                  24
//! note (8):      | note bytes ... | pad |                               >= 16
//! output_reg (15): | ofs_nbits (2) | src (4) | max_len (2) | zero (6) |    24
//! learn (16):    | idle (2) | hard (2) | prio (2) | cookie (8) | flags (2)
//!                | table (1) | pad (1) | fin_idle (2) | fin_hard (2) | specs | pad
//! dec_ttl (18):  | pad (6) |                                              16
//! dec_ttl_cnt_ids (21): | n (2) | zero (4) | ids (2 each) | pad |
//! output_reg2 (32): | ofs_nbits (2) | max_len (2) | src header (4/8) | pad | 24
//! reg_load2 (33): | OXM TLV (value+mask) | pad |
//! conjunction (34): | clause (1) | n_clauses (1) | id (4) |              16
//! ct (35): | flags (2) | zone_src (4) | zone (2) | recirc_table (1) | pad (3)
//!          | alg (2) | nested actions |
//! nat (36): | pad (2) | flags (2) | range_present (2) | ranges ... | pad |
//! ct_clear (43): | pad (6) |                                             16
//! fin_timeout (19): | fin_idle (2) | fin_hard (2) | pad (2) |            16
//! controller (20): | max_len (2) | controller_id (2) | reason (1) | zero (1) | 16
//! controller2 (37): | pad (6) | properties (type, len, value, pad to 8) ... |
//! stack_push (27) / stack_pop (28): | offset (2) | field (4/8) | n_bits (2) | zero | 24
//! sample (29): | probability (2) | collector_set (4) | obs_domain (4) | obs_point (4) | 24
//! sample2 (38) / sample3 (41): | sample | sampling_port (2) | direction (1, 41 only) | zero | 32
//! output_trunc (39): | port (2) | max_len (4) |                              16
//! resubmit_table_ct (44): | in_port (2) | table (1) | pad (3) |              16
//! ofs_nbits = ofs << 6 | (n_bits - 1)
//! ```

use core::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;

use super::{Action, MAX_ACTION_DEPTH, list_len, write_list};
use crate::Error;
use crate::codec::{Reader, len16, pad8};
use crate::oxm::{Oxm, OxmHeader};

/// Nicira's experimenter (vendor) id.
pub const NX_VENDOR_ID: u32 = 0x0000_2320;

mod subtype {
    pub const RESUBMIT: u16 = 1;
    pub const REG_MOVE: u16 = 6;
    pub const REG_LOAD: u16 = 7;
    pub const NOTE: u16 = 8;
    pub const RESUBMIT_TABLE: u16 = 14;
    pub const OUTPUT_REG: u16 = 15;
    pub const LEARN: u16 = 16;
    pub const DEC_TTL: u16 = 18;
    pub const DEC_TTL_CNT_IDS: u16 = 21;
    pub const OUTPUT_REG2: u16 = 32;
    pub const REG_LOAD2: u16 = 33;
    pub const CONJUNCTION: u16 = 34;
    pub const CT: u16 = 35;
    pub const NAT: u16 = 36;
    pub const CT_CLEAR: u16 = 43;
    pub const FIN_TIMEOUT: u16 = 19;
    pub const CONTROLLER: u16 = 20;
    pub const STACK_PUSH: u16 = 27;
    pub const STACK_POP: u16 = 28;
    pub const SAMPLE: u16 = 29;
    pub const CONTROLLER2: u16 = 37;
    pub const SAMPLE2: u16 = 38;
    pub const SAMPLE3: u16 = 41;
    pub const RESUBMIT_TABLE_CT: u16 = 44;
    pub const OUTPUT_TRUNC: u16 = 39;
}

/// A Nicira extension action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum NxAction {
    /// `resubmit(in_port)` (subtype 1): search the current table again as
    /// if the packet came in on `in_port` (0xfff8 = the real one).
    Resubmit {
        /// 16-bit port (OpenFlow 1.0 numbering).
        in_port: u16,
    },
    /// `resubmit(in_port,table)` (subtype 14).
    ResubmitTable {
        /// 16-bit port (0xfff8 = the real ingress port).
        in_port: u16,
        /// Table (255 = the current one).
        table: u8,
    },
    /// `move` (subtype 6): copy `n_bits` from `src[src_ofs..]` to `dst[dst_ofs..]`.
    RegMove {
        /// Number of bits.
        n_bits: u16,
        /// Source bit offset.
        src_ofs: u16,
        /// Destination bit offset.
        dst_ofs: u16,
        /// Source field (NXM/OXM header).
        src: OxmHeader,
        /// Destination field.
        dst: OxmHeader,
    },
    /// `load` (subtype 7): write `value` into `dst[ofs..ofs + n_bits]`.
    RegLoad {
        /// Destination field.
        dst: OxmHeader,
        /// Bit offset (0-1023).
        ofs: u16,
        /// Number of bits (1-64).
        n_bits: u8,
        /// The value.
        value: u64,
    },
    /// `load` / `set_field` with an OXM TLV (subtype 33, value and mask).
    RegLoad2(Oxm),
    /// `note` (subtype 8): opaque bytes. Trailing zero bytes that fall in
    /// the padding are not part of the note.
    Note(Vec<u8>),
    /// `output(src[ofs..])` (subtype 15).
    OutputReg {
        /// Field holding the port.
        src: OxmHeader,
        /// Bit offset.
        ofs: u16,
        /// Number of bits (1-64).
        n_bits: u8,
        /// Bytes to the controller.
        max_len: u16,
    },
    /// `output(src[ofs..])` with an OXM header (subtype 32).
    OutputReg2 {
        /// Field holding the port.
        src: OxmHeader,
        /// The experimenter id following `src` when its class is 0xffff
        /// (must be `Some` exactly then).
        src_experimenter: Option<u32>,
        /// Bit offset.
        ofs: u16,
        /// Number of bits (1-64).
        n_bits: u8,
        /// Bytes to the controller.
        max_len: u16,
    },
    /// `learn(...)` (subtype 16).
    Learn(LearnAction),
    /// `dec_ttl` (subtype 18).
    DecTtl,
    /// `dec_ttl(id,...)` (subtype 21): controller ids to notify.
    DecTtlCntIds(Vec<u16>),
    /// `conjunction(id, clause/n_clauses)` (subtype 34). `clause` is
    /// 0-based on the wire (Open vSwitch prints it 1-based).
    Conjunction {
        /// Clause number, 0-based.
        clause: u8,
        /// Number of clauses.
        n_clauses: u8,
        /// Conjunction id.
        id: u32,
    },
    /// `ct(...)` (subtype 35).
    Ct(CtAction),
    /// `nat(...)` (subtype 36), normally inside `ct`.
    Nat(NatAction),
    /// `ct_clear` (subtype 43).
    CtClear,
    /// `fin_timeout(idle_timeout=..,hard_timeout=..)` (subtype 19).
    FinTimeout {
        /// Idle timeout after a TCP FIN or RST, seconds.
        fin_idle_timeout: u16,
        /// Hard timeout after a TCP FIN or RST, seconds.
        fin_hard_timeout: u16,
    },
    /// `controller(...)` (subtype 20).
    Controller {
        /// Bytes of the packet to send.
        max_len: u16,
        /// Controller connection id.
        controller_id: u16,
        /// `OFPR_*` reason in the packet-in.
        reason: u8,
    },
    /// `controller(...)` with properties (subtype 37).
    Controller2(Vec<Controller2Prop>),
    /// `push:field[ofs..]` (subtype 27).
    StackPush(StackAction),
    /// `pop:field[ofs..]` (subtype 28).
    StackPop(StackAction),
    /// `sample(...)` (subtype 29).
    Sample(SampleAction),
    /// `sample(...)` with a sampling port (subtype 38).
    Sample2(SampleAction),
    /// `sample(...)` with a sampling port and direction (subtype 41).
    Sample3(SampleAction),
    /// `output(port=..,max_len=..)` (subtype 39): output a truncated packet.
    OutputTrunc {
        /// 16-bit port (OpenFlow 1.0 numbering).
        port: u16,
        /// Bytes of the packet to keep.
        max_len: u32,
    },
    /// `resubmit(in_port,table,ct)` (subtype 44): resubmit with the
    /// conntrack original-direction tuple.
    ResubmitTableCt {
        /// 16-bit port (0xfff8 = the real ingress port).
        in_port: u16,
        /// Table (255 = the current one).
        table: u8,
    },
}

/// The field operand of the `push` / `pop` stack actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StackAction {
    /// The field.
    pub field: OxmHeader,
    /// The experimenter id after `field` (`Some` exactly for class 0xffff).
    pub experimenter: Option<u32>,
    /// Bit offset into the field.
    pub offset: u16,
    /// Number of bits.
    pub n_bits: u16,
}

/// The `sample` actions (subtypes 29, 38, 41). `sampling_port` and
/// `direction` are on the wire only in subtypes 38 and 41 (`direction`
/// only in 41); they must be 0 for subtype 29 (and `direction` for 38).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SampleAction {
    /// Packets sampled per 65535.
    pub probability: u16,
    /// IPFIX collector set.
    pub collector_set_id: u32,
    /// IPFIX observation domain.
    pub obs_domain_id: u32,
    /// IPFIX observation point.
    pub obs_point_id: u32,
    /// Port the sampling is about (0 = none).
    pub sampling_port: u16,
    /// `NX_ACTION_SAMPLE_*` direction (0 default, 1 ingress, 2 egress).
    pub direction: u8,
}

/// A property of `controller2` (`ofpprop`: type, length, value, zero pad
/// to 8). A property whose value does not have the size its type defines
/// is kept as [`Controller2Prop::Unknown`], so it re-encodes unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Controller2Prop {
    /// `NXAC2PT_MAX_LEN` (0).
    MaxLen(u16),
    /// `NXAC2PT_CONTROLLER_ID` (1).
    ControllerId(u16),
    /// `NXAC2PT_REASON` (2).
    Reason(u8),
    /// `NXAC2PT_USERDATA` (3).
    Userdata(Vec<u8>),
    /// `NXAC2PT_PAUSE` (4).
    Pause,
    /// `NXAC2PT_METER_ID` (5).
    MeterId(u32),
    /// Any other property (or a known one of an unexpected size), raw.
    Unknown {
        /// Property type.
        prop_type: u16,
        /// Value bytes (padding excluded).
        data: Vec<u8>,
    },
}

impl Controller2Prop {
    fn value_len(&self) -> usize {
        match self {
            Controller2Prop::MaxLen(_) | Controller2Prop::ControllerId(_) => 2,
            Controller2Prop::Reason(_) => 1,
            Controller2Prop::Userdata(d) | Controller2Prop::Unknown { data: d, .. } => d.len(),
            Controller2Prop::Pause => 0,
            Controller2Prop::MeterId(_) => 4,
        }
    }

    fn encoded_len(&self) -> usize {
        pad8(4 + self.value_len())
    }

    fn read(r: &mut Reader<'_>) -> Result<Controller2Prop, Error> {
        let mut p = r.tlv(2, 4, "controller2 property", "at least 4")?;
        let len = p.remaining();
        let prop_type = p.u16("controller2 property type")?;
        p.skip(2, "controller2 property length")?;
        let v = p.rest();
        let prop = match (prop_type, v.len()) {
            (0, 2) => Controller2Prop::MaxLen(u16::from_be_bytes([v[0], v[1]])),
            (1, 2) => Controller2Prop::ControllerId(u16::from_be_bytes([v[0], v[1]])),
            (2, 1) => Controller2Prop::Reason(v[0]),
            (3, _) => Controller2Prop::Userdata(v.to_vec()),
            (4, 0) => Controller2Prop::Pause,
            (5, 4) => Controller2Prop::MeterId(u32::from_be_bytes([v[0], v[1], v[2], v[3]])),
            _ => Controller2Prop::Unknown {
                prop_type,
                data: v.to_vec(),
            },
        };
        r.skip(pad8(len) - len, "controller2 property padding")?;
        Ok(prop)
    }

    fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = 4 + self.value_len();
        let t = match self {
            Controller2Prop::MaxLen(_) => 0,
            Controller2Prop::ControllerId(_) => 1,
            Controller2Prop::Reason(_) => 2,
            Controller2Prop::Userdata(_) => 3,
            Controller2Prop::Pause => 4,
            Controller2Prop::MeterId(_) => 5,
            Controller2Prop::Unknown { prop_type, .. } => *prop_type,
        };
        b.put_u16(t);
        b.put_u16(len16(len, "controller2 property")?);
        match self {
            Controller2Prop::MaxLen(v) | Controller2Prop::ControllerId(v) => b.put_u16(*v),
            Controller2Prop::Reason(v) => b.put_u8(*v),
            Controller2Prop::Userdata(d) | Controller2Prop::Unknown { data: d, .. } => {
                b.put_slice(d)
            }
            Controller2Prop::Pause => {}
            Controller2Prop::MeterId(v) => b.put_u32(*v),
        }
        b.put_bytes(0, pad8(len) - len);
        Ok(())
    }
}

/// Where `ct` takes its zone from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CtZone {
    /// An immediate zone.
    Immediate(u16),
    /// Bits of a field.
    Field {
        /// The field.
        field: OxmHeader,
        /// Bit offset.
        ofs: u16,
        /// Number of bits (1-64).
        n_bits: u8,
    },
}

/// The `ct` action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CtAction {
    /// `NX_CT_F_*` flags (1 = commit, 2 = force).
    pub flags: u16,
    /// Connection tracking zone.
    pub zone: CtZone,
    /// Table to recirculate to (255 = none).
    pub recirc_table: u8,
    /// ALG (e.g. 21 = FTP).
    pub alg: u16,
    /// Nested actions (nat, set_field of ct_mark / ct_label).
    pub actions: Vec<Action>,
}

/// The `nat` action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NatAction {
    /// `NX_NAT_F_*` flags (src 1, dst 2, persistent 4, proto_hash 8, proto_random 16).
    pub flags: u16,
    /// IPv4 range start.
    pub ipv4_min: Option<Ipv4Addr>,
    /// IPv4 range end.
    pub ipv4_max: Option<Ipv4Addr>,
    /// IPv6 range start.
    pub ipv6_min: Option<Ipv6Addr>,
    /// IPv6 range end.
    pub ipv6_max: Option<Ipv6Addr>,
    /// L4 port range start.
    pub proto_min: Option<u16>,
    /// L4 port range end.
    pub proto_max: Option<u16>,
}

impl NatAction {
    fn range_present(&self) -> u16 {
        u16::from(self.ipv4_min.is_some())
            | u16::from(self.ipv4_max.is_some()) << 1
            | u16::from(self.ipv6_min.is_some()) << 2
            | u16::from(self.ipv6_max.is_some()) << 3
            | u16::from(self.proto_min.is_some()) << 4
            | u16::from(self.proto_max.is_some()) << 5
    }

    fn ranges_len(&self) -> usize {
        4 * (usize::from(self.ipv4_min.is_some()) + usize::from(self.ipv4_max.is_some()))
            + 16 * (usize::from(self.ipv6_min.is_some()) + usize::from(self.ipv6_max.is_some()))
            + 2 * (usize::from(self.proto_min.is_some()) + usize::from(self.proto_max.is_some()))
    }
}

/// The `learn` action: adds or modifies a flow built from the packet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LearnAction {
    /// Idle timeout of the learned flow.
    pub idle_timeout: u16,
    /// Hard timeout of the learned flow.
    pub hard_timeout: u16,
    /// Priority of the learned flow.
    pub priority: u16,
    /// Cookie of the learned flow.
    pub cookie: u64,
    /// `NX_LEARN_F_*` flags.
    pub flags: u16,
    /// Table of the learned flow.
    pub table_id: u8,
    /// `fin_idle_timeout`.
    pub fin_idle_timeout: u16,
    /// `fin_hard_timeout`.
    pub fin_hard_timeout: u16,
    /// The flow_mod_specs.
    pub specs: Vec<LearnSpec>,
}

/// One `nx_flow_mod_spec` of `learn`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LearnSpec {
    /// Number of bits (10 bits on the wire).
    pub n_bits: u16,
    /// Where the bits come from.
    pub src: LearnSrc,
    /// Where they go.
    pub dst: LearnDst,
}

/// Source of a learn spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LearnSrc {
    /// Bits of a field of the packet.
    Field {
        /// The field.
        field: OxmHeader,
        /// Bit offset.
        ofs: u16,
    },
    /// An immediate value: `2 * ceil(n_bits / 16)` bytes, big-endian.
    Immediate(Vec<u8>),
}

/// Destination of a learn spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LearnDst {
    /// A match field of the learned flow.
    Match {
        /// The field.
        field: OxmHeader,
        /// Bit offset.
        ofs: u16,
    },
    /// A `load` action in the learned flow.
    Load {
        /// The field.
        field: OxmHeader,
        /// Bit offset.
        ofs: u16,
    },
    /// An `output` action in the learned flow.
    Output,
}

impl LearnSpec {
    fn encoded_len(&self) -> usize {
        2 + match &self.src {
            LearnSrc::Field { .. } => 6,
            LearnSrc::Immediate(v) => v.len(),
        } + match self.dst {
            LearnDst::Match { .. } | LearnDst::Load { .. } => 6,
            LearnDst::Output => 0,
        }
    }

    fn imm_len(n_bits: u16) -> usize {
        2 * usize::from(n_bits).div_ceil(16)
    }

    fn read(r: &mut Reader<'_>, header: u16, offset: usize) -> Result<LearnSpec, Error> {
        // Bits 14-15 are reserved; n_bits is 10 bits wide (Open vSwitch's
        // NX_LEARN_N_BITS_MASK 0x3ff), so bit 10 is unused too: a header
        // with any of them set is rejected rather than read without them
        // (which would not re-encode to the input).
        if header & 0xc400 != 0 {
            return Err(Error::BadValue {
                what: "learn spec header",
                offset,
                value: header.into(),
                expected: "bits 10 and 14-15 clear",
            });
        }
        let n_bits = header & 0x3ff;
        let src = if header & 0x2000 == 0 {
            LearnSrc::Field {
                field: OxmHeader::from_u32(r.u32("learn src field")?),
                ofs: r.u16("learn src ofs")?,
            }
        } else {
            LearnSrc::Immediate(r.bytes(Self::imm_len(n_bits), "learn immediate")?.to_vec())
        };
        let dst = match (header >> 11) & 3 {
            0 => LearnDst::Match {
                field: OxmHeader::from_u32(r.u32("learn dst field")?),
                ofs: r.u16("learn dst ofs")?,
            },
            1 => LearnDst::Load {
                field: OxmHeader::from_u32(r.u32("learn dst field")?),
                ofs: r.u16("learn dst ofs")?,
            },
            2 => LearnDst::Output,
            _ => {
                return Err(Error::BadValue {
                    what: "learn spec destination",
                    offset,
                    value: 3,
                    expected: "0 (match), 1 (load) or 2 (output)",
                });
            }
        };
        Ok(LearnSpec { n_bits, src, dst })
    }

    fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        if self.n_bits > 0x3ff {
            return Err(Error::OutOfRange {
                field: "learn spec n_bits",
                value: self.n_bits.into(),
                max: 0x3ff,
            });
        }
        let mut header = self.n_bits;
        if let LearnSrc::Immediate(v) = &self.src {
            header |= 0x2000;
            if v.len() != Self::imm_len(self.n_bits) {
                return Err(Error::OutOfRange {
                    field: "learn immediate length (2 * ceil(n_bits / 16))",
                    value: v.len() as u64,
                    max: Self::imm_len(self.n_bits) as u64,
                });
            }
        }
        header |= match self.dst {
            LearnDst::Match { .. } => 0,
            LearnDst::Load { .. } => 1 << 11,
            LearnDst::Output => 2 << 11,
        };
        if header == 0 {
            return Err(Error::OutOfRange {
                field: "learn spec (an all-zero header ends the list)",
                value: 0,
                max: 0,
            });
        }
        b.put_u16(header);
        match &self.src {
            LearnSrc::Field { field, ofs } => {
                b.put_u32(field.to_u32());
                b.put_u16(*ofs);
            }
            LearnSrc::Immediate(v) => b.put_slice(v),
        }
        if let LearnDst::Match { field, ofs } | LearnDst::Load { field, ofs } = self.dst {
            b.put_u32(field.to_u32());
            b.put_u16(ofs);
        }
        Ok(())
    }
}

fn split_ofs_nbits(v: u16) -> (u16, u8) {
    (v >> 6, (v & 0x3f) as u8 + 1)
}

fn ofs_nbits(ofs: u16, n_bits: u8) -> Result<u16, Error> {
    if ofs > 0x3ff {
        return Err(Error::OutOfRange {
            field: "ofs",
            value: ofs.into(),
            max: 0x3ff,
        });
    }
    if !(1..=64).contains(&n_bits) {
        return Err(Error::OutOfRange {
            field: "n_bits (1-64)",
            value: n_bits.into(),
            max: 64,
        });
    }
    Ok(ofs << 6 | u16::from(n_bits - 1))
}

fn note_trimmed(bytes: &[u8], total: usize) -> Vec<u8> {
    let mut n = bytes.len();
    while n > 0 && bytes[n - 1] == 0 && pad8(10 + n - 1) == total {
        n -= 1;
    }
    bytes[..n].to_vec()
}

impl NxAction {
    /// The Nicira subtype.
    pub fn subtype(&self) -> u16 {
        use subtype::*;
        match self {
            NxAction::Resubmit { .. } => RESUBMIT,
            NxAction::ResubmitTable { .. } => RESUBMIT_TABLE,
            NxAction::RegMove { .. } => REG_MOVE,
            NxAction::RegLoad { .. } => REG_LOAD,
            NxAction::RegLoad2(_) => REG_LOAD2,
            NxAction::Note(_) => NOTE,
            NxAction::OutputReg { .. } => OUTPUT_REG,
            NxAction::OutputReg2 { .. } => OUTPUT_REG2,
            NxAction::Learn(_) => LEARN,
            NxAction::DecTtl => DEC_TTL,
            NxAction::DecTtlCntIds(_) => DEC_TTL_CNT_IDS,
            NxAction::Conjunction { .. } => CONJUNCTION,
            NxAction::Ct(_) => CT,
            NxAction::Nat(_) => NAT,
            NxAction::CtClear => CT_CLEAR,
            NxAction::FinTimeout { .. } => FIN_TIMEOUT,
            NxAction::Controller { .. } => CONTROLLER,
            NxAction::Controller2(_) => CONTROLLER2,
            NxAction::StackPush(_) => STACK_PUSH,
            NxAction::StackPop(_) => STACK_POP,
            NxAction::Sample(_) => SAMPLE,
            NxAction::Sample2(_) => SAMPLE2,
            NxAction::Sample3(_) => SAMPLE3,
            NxAction::ResubmitTableCt { .. } => RESUBMIT_TABLE_CT,
            NxAction::OutputTrunc { .. } => OUTPUT_TRUNC,
        }
    }

    /// Encoded length of the whole action, header included.
    pub fn encoded_len(&self) -> usize {
        match self {
            NxAction::Resubmit { .. }
            | NxAction::ResubmitTable { .. }
            | NxAction::DecTtl
            | NxAction::CtClear
            | NxAction::Conjunction { .. }
            | NxAction::FinTimeout { .. }
            | NxAction::Controller { .. }
            | NxAction::ResubmitTableCt { .. }
            | NxAction::OutputTrunc { .. } => 16,
            NxAction::Controller2(props) => {
                16 + props
                    .iter()
                    .map(Controller2Prop::encoded_len)
                    .sum::<usize>()
            }
            NxAction::Sample2(_) | NxAction::Sample3(_) => 32,
            NxAction::StackPush(_) | NxAction::StackPop(_) | NxAction::Sample(_) => 24,
            NxAction::RegMove { .. }
            | NxAction::RegLoad { .. }
            | NxAction::OutputReg { .. }
            | NxAction::OutputReg2 { .. } => 24,
            NxAction::RegLoad2(oxm) => pad8(10 + oxm.encoded_len()),
            NxAction::Note(n) => pad8(10 + n.len()),
            NxAction::Learn(l) => {
                pad8(32 + l.specs.iter().map(LearnSpec::encoded_len).sum::<usize>())
            }
            NxAction::DecTtlCntIds(ids) => pad8(16 + 2 * ids.len()),
            NxAction::Ct(ct) => 24 + list_len(&ct.actions),
            NxAction::Nat(nat) => pad8(16 + nat.ranges_len()),
        }
    }

    /// Reads the body after the experimenter id; `None` (nothing consumed)
    /// when this is not a Nicira action of a subtype decoded here.
    pub(crate) fn read(
        a: &mut Reader<'_>,
        experimenter: u32,
        offset: usize,
        depth: usize,
    ) -> Result<Option<NxAction>, Error> {
        use subtype::*;
        if experimenter != NX_VENDOR_ID || a.remaining() < 2 {
            return Ok(None);
        }
        let sub = a.peek_u16(0, "Nicira subtype")?;
        let total = a.remaining() + 8;
        let exact = |want: usize| {
            if total == want {
                Ok(())
            } else {
                Err(Error::BadLength {
                    what: "Nicira action",
                    offset,
                    length: total,
                    expected: match want {
                        16 => "16",
                        24 => "24",
                        _ => "32",
                    },
                })
            }
        };
        let known = matches!(
            sub,
            RESUBMIT
                | REG_MOVE
                | REG_LOAD
                | NOTE
                | RESUBMIT_TABLE
                | OUTPUT_REG
                | LEARN
                | DEC_TTL
                | DEC_TTL_CNT_IDS
                | OUTPUT_REG2
                | REG_LOAD2
                | CONJUNCTION
                | CT
                | NAT
                | CT_CLEAR
                | FIN_TIMEOUT
                | CONTROLLER
                | CONTROLLER2
                | STACK_PUSH
                | STACK_POP
                | SAMPLE
                | SAMPLE2
                | SAMPLE3
                | RESUBMIT_TABLE_CT
                | OUTPUT_TRUNC
        );
        if !known {
            return Ok(None);
        }
        a.skip(2, "Nicira subtype")?;
        let nx = match sub {
            RESUBMIT => {
                exact(16)?;
                NxAction::Resubmit {
                    in_port: a.u16("resubmit in_port")?,
                }
            }
            RESUBMIT_TABLE => {
                exact(16)?;
                NxAction::ResubmitTable {
                    in_port: a.u16("resubmit in_port")?,
                    table: a.u8("resubmit table")?,
                }
            }
            REG_MOVE => {
                exact(24)?;
                NxAction::RegMove {
                    n_bits: a.u16("reg_move n_bits")?,
                    src_ofs: a.u16("reg_move src_ofs")?,
                    dst_ofs: a.u16("reg_move dst_ofs")?,
                    src: OxmHeader::from_u32(a.u32("reg_move src")?),
                    dst: OxmHeader::from_u32(a.u32("reg_move dst")?),
                }
            }
            REG_LOAD => {
                exact(24)?;
                let (ofs, n_bits) = split_ofs_nbits(a.u16("reg_load ofs_nbits")?);
                NxAction::RegLoad {
                    dst: OxmHeader::from_u32(a.u32("reg_load dst")?),
                    ofs,
                    n_bits,
                    value: a.u64("reg_load value")?,
                }
            }
            REG_LOAD2 => {
                let oxm = Oxm::read(a)?;
                if total != pad8(10 + oxm.encoded_len()) {
                    return Err(Error::BadLength {
                        what: "Nicira reg_load2 action",
                        offset,
                        length: total,
                        expected: "10 plus the OXM TLV, padded to 8",
                    });
                }
                NxAction::RegLoad2(oxm)
            }
            NOTE => NxAction::Note(note_trimmed(a.rest(), total)),
            OUTPUT_REG => {
                exact(24)?;
                let (ofs, n_bits) = split_ofs_nbits(a.u16("output_reg ofs_nbits")?);
                NxAction::OutputReg {
                    src: OxmHeader::from_u32(a.u32("output_reg src")?),
                    ofs,
                    n_bits,
                    max_len: a.u16("output_reg max_len")?,
                }
            }
            OUTPUT_REG2 => {
                exact(24)?;
                let (ofs, n_bits) = split_ofs_nbits(a.u16("output_reg2 ofs_nbits")?);
                let max_len = a.u16("output_reg2 max_len")?;
                let src = OxmHeader::from_u32(a.u32("output_reg2 src")?);
                let src_experimenter = if src.class == 0xffff {
                    Some(a.u32("output_reg2 src experimenter")?)
                } else {
                    None
                };
                NxAction::OutputReg2 {
                    src,
                    src_experimenter,
                    ofs,
                    n_bits,
                    max_len,
                }
            }
            LEARN => {
                if total < 32 {
                    return Err(Error::BadLength {
                        what: "Nicira learn action",
                        offset,
                        length: total,
                        expected: "at least 32",
                    });
                }
                let mut l = LearnAction {
                    idle_timeout: a.u16("learn idle_timeout")?,
                    hard_timeout: a.u16("learn hard_timeout")?,
                    priority: a.u16("learn priority")?,
                    cookie: a.u64("learn cookie")?,
                    flags: a.u16("learn flags")?,
                    table_id: a.u8("learn table_id")?,
                    ..LearnAction::default()
                };
                a.skip(1, "learn pad")?;
                l.fin_idle_timeout = a.u16("learn fin_idle_timeout")?;
                l.fin_hard_timeout = a.u16("learn fin_hard_timeout")?;
                while a.remaining() >= 2 {
                    let spec_offset = a.offset();
                    let header = a.u16("learn spec header")?;
                    if header == 0 {
                        break;
                    }
                    l.specs.push(LearnSpec::read(a, header, spec_offset)?);
                }
                let rest_offset = a.offset();
                let rest = a.rest();
                if rest.iter().any(|b| *b != 0)
                    || total != pad8(NxAction::Learn(l.clone()).encoded_len())
                {
                    return Err(Error::BadLength {
                        what: "Nicira learn action",
                        offset: rest_offset,
                        length: total,
                        expected: "the specs followed by zero padding to 8",
                    });
                }
                NxAction::Learn(l)
            }
            DEC_TTL => {
                exact(16)?;
                NxAction::DecTtl
            }
            CT_CLEAR => {
                exact(16)?;
                NxAction::CtClear
            }
            RESUBMIT_TABLE_CT => {
                exact(16)?;
                NxAction::ResubmitTableCt {
                    in_port: a.u16("resubmit in_port")?,
                    table: a.u8("resubmit table")?,
                }
            }
            OUTPUT_TRUNC => {
                exact(16)?;
                NxAction::OutputTrunc {
                    port: a.u16("output_trunc port")?,
                    max_len: a.u32("output_trunc max_len")?,
                }
            }
            FIN_TIMEOUT => {
                exact(16)?;
                NxAction::FinTimeout {
                    fin_idle_timeout: a.u16("fin_idle_timeout")?,
                    fin_hard_timeout: a.u16("fin_hard_timeout")?,
                }
            }
            CONTROLLER => {
                exact(16)?;
                NxAction::Controller {
                    max_len: a.u16("controller max_len")?,
                    controller_id: a.u16("controller_id")?,
                    reason: a.u8("controller reason")?,
                }
            }
            CONTROLLER2 => {
                a.skip(6, "controller2 pad")?;
                let mut props = Vec::new();
                while !a.is_empty() {
                    props.push(Controller2Prop::read(a)?);
                }
                NxAction::Controller2(props)
            }
            STACK_PUSH | STACK_POP => {
                exact(24)?;
                let offset = a.u16("stack offset")?;
                let field = OxmHeader::from_u32(a.u32("stack field")?);
                let experimenter = if field.class == 0xffff {
                    Some(a.u32("stack field experimenter")?)
                } else {
                    None
                };
                let s = StackAction {
                    field,
                    experimenter,
                    offset,
                    n_bits: a.u16("stack n_bits")?,
                };
                if sub == STACK_PUSH {
                    NxAction::StackPush(s)
                } else {
                    NxAction::StackPop(s)
                }
            }
            SAMPLE | SAMPLE2 | SAMPLE3 => {
                exact(if sub == SAMPLE { 24 } else { 32 })?;
                let mut s = SampleAction {
                    probability: a.u16("sample probability")?,
                    collector_set_id: a.u32("sample collector_set_id")?,
                    obs_domain_id: a.u32("sample obs_domain_id")?,
                    obs_point_id: a.u32("sample obs_point_id")?,
                    ..SampleAction::default()
                };
                if sub == SAMPLE {
                    NxAction::Sample(s)
                } else {
                    s.sampling_port = a.u16("sample sampling_port")?;
                    if sub == SAMPLE3 {
                        s.direction = a.u8("sample direction")?;
                        NxAction::Sample3(s)
                    } else {
                        NxAction::Sample2(s)
                    }
                }
            }
            DEC_TTL_CNT_IDS => {
                let n = usize::from(a.u16("dec_ttl n_controllers")?);
                a.skip(4, "dec_ttl zero")?;
                if total != pad8(16 + 2 * n) {
                    return Err(Error::BadLength {
                        what: "Nicira dec_ttl_cnt_ids action",
                        offset,
                        length: total,
                        expected: "16 plus 2 per controller id, padded to 8",
                    });
                }
                let mut ids = Vec::with_capacity(n);
                for _ in 0..n {
                    ids.push(a.u16("dec_ttl controller id")?);
                }
                NxAction::DecTtlCntIds(ids)
            }
            CONJUNCTION => {
                exact(16)?;
                NxAction::Conjunction {
                    clause: a.u8("conjunction clause")?,
                    n_clauses: a.u8("conjunction n_clauses")?,
                    id: a.u32("conjunction id")?,
                }
            }
            CT => {
                if total < 24 {
                    return Err(Error::BadLength {
                        what: "Nicira ct action",
                        offset,
                        length: total,
                        expected: "at least 24",
                    });
                }
                if depth >= MAX_ACTION_DEPTH {
                    return Err(Error::TooDeep {
                        what: "Nicira ct action",
                        offset,
                        max: MAX_ACTION_DEPTH,
                    });
                }
                let flags = a.u16("ct flags")?;
                let zone_src = a.u32("ct zone_src")?;
                let zone_v = a.u16("ct zone")?;
                let zone = if zone_src == 0 {
                    CtZone::Immediate(zone_v)
                } else {
                    let (ofs, n_bits) = split_ofs_nbits(zone_v);
                    CtZone::Field {
                        field: OxmHeader::from_u32(zone_src),
                        ofs,
                        n_bits,
                    }
                };
                let recirc_table = a.u8("ct recirc_table")?;
                a.skip(3, "ct pad")?;
                let alg = a.u16("ct alg")?;
                let actions = Action::read_list(a, depth + 1)?;
                NxAction::Ct(CtAction {
                    flags,
                    zone,
                    recirc_table,
                    alg,
                    actions,
                })
            }
            _ => {
                // NAT
                a.skip(2, "nat pad")?;
                let flags = a.u16("nat flags")?;
                let present = a.u16("nat range_present")?;
                if present & !0x3f != 0 {
                    return Err(Error::BadValue {
                        what: "nat range_present",
                        offset: a.offset() - 2,
                        value: present.into(),
                        expected: "only bits 0-5",
                    });
                }
                let mut nat = NatAction {
                    flags,
                    ..NatAction::default()
                };
                if present & 1 != 0 {
                    nat.ipv4_min = Some(a.array::<4>("nat ipv4_min")?.into());
                }
                if present & 2 != 0 {
                    nat.ipv4_max = Some(a.array::<4>("nat ipv4_max")?.into());
                }
                if present & 4 != 0 {
                    nat.ipv6_min = Some(a.array::<16>("nat ipv6_min")?.into());
                }
                if present & 8 != 0 {
                    nat.ipv6_max = Some(a.array::<16>("nat ipv6_max")?.into());
                }
                if present & 16 != 0 {
                    nat.proto_min = Some(a.u16("nat proto_min")?);
                }
                if present & 32 != 0 {
                    nat.proto_max = Some(a.u16("nat proto_max")?);
                }
                if total != pad8(16 + nat.ranges_len()) {
                    return Err(Error::BadLength {
                        what: "Nicira nat action",
                        offset,
                        length: total,
                        expected: "16 plus the ranges present, padded to 8",
                    });
                }
                NxAction::Nat(nat)
            }
        };
        a.rest();
        Ok(Some(nx))
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = self.encoded_len();
        b.put_u16(0xffff);
        b.put_u16(len16(len, "Nicira action")?);
        b.put_u32(NX_VENDOR_ID);
        b.put_u16(self.subtype());
        let body_start = 10;
        let written = match self {
            NxAction::Resubmit { in_port } => {
                b.put_u16(*in_port);
                2
            }
            NxAction::ResubmitTable { in_port, table } => {
                b.put_u16(*in_port);
                b.put_u8(*table);
                3
            }
            NxAction::RegMove {
                n_bits,
                src_ofs,
                dst_ofs,
                src,
                dst,
            } => {
                b.put_u16(*n_bits);
                b.put_u16(*src_ofs);
                b.put_u16(*dst_ofs);
                b.put_u32(src.to_u32());
                b.put_u32(dst.to_u32());
                14
            }
            NxAction::RegLoad {
                dst,
                ofs,
                n_bits,
                value,
            } => {
                b.put_u16(ofs_nbits(*ofs, *n_bits)?);
                b.put_u32(dst.to_u32());
                b.put_u64(*value);
                14
            }
            NxAction::RegLoad2(oxm) => {
                oxm.write(b)?;
                oxm.encoded_len()
            }
            NxAction::Note(n) => {
                b.put_slice(n);
                n.len()
            }
            NxAction::OutputReg {
                src,
                ofs,
                n_bits,
                max_len,
            } => {
                b.put_u16(ofs_nbits(*ofs, *n_bits)?);
                b.put_u32(src.to_u32());
                b.put_u16(*max_len);
                8
            }
            NxAction::OutputReg2 {
                src,
                src_experimenter,
                ofs,
                n_bits,
                max_len,
            } => {
                if (src.class == 0xffff) != src_experimenter.is_some() {
                    return Err(Error::OutOfRange {
                        field: "output_reg2 src_experimenter (Some exactly for class 0xffff)",
                        value: src.class.into(),
                        max: 0xfffe,
                    });
                }
                b.put_u16(ofs_nbits(*ofs, *n_bits)?);
                b.put_u16(*max_len);
                b.put_u32(src.to_u32());
                if let Some(e) = src_experimenter {
                    b.put_u32(*e);
                    12
                } else {
                    8
                }
            }
            NxAction::Learn(l) => {
                b.put_u16(l.idle_timeout);
                b.put_u16(l.hard_timeout);
                b.put_u16(l.priority);
                b.put_u64(l.cookie);
                b.put_u16(l.flags);
                b.put_u8(l.table_id);
                b.put_u8(0);
                b.put_u16(l.fin_idle_timeout);
                b.put_u16(l.fin_hard_timeout);
                for s in &l.specs {
                    s.write(b)?;
                }
                22 + l.specs.iter().map(LearnSpec::encoded_len).sum::<usize>()
            }
            NxAction::DecTtl | NxAction::CtClear => 0,
            NxAction::ResubmitTableCt { in_port, table } => {
                b.put_u16(*in_port);
                b.put_u8(*table);
                3
            }
            NxAction::OutputTrunc { port, max_len } => {
                b.put_u16(*port);
                b.put_u32(*max_len);
                6
            }
            NxAction::FinTimeout {
                fin_idle_timeout,
                fin_hard_timeout,
            } => {
                b.put_u16(*fin_idle_timeout);
                b.put_u16(*fin_hard_timeout);
                4
            }
            NxAction::Controller {
                max_len,
                controller_id,
                reason,
            } => {
                b.put_u16(*max_len);
                b.put_u16(*controller_id);
                b.put_u8(*reason);
                5
            }
            NxAction::Controller2(props) => {
                b.put_bytes(0, 6);
                for p in props {
                    p.write(b)?;
                }
                6 + props
                    .iter()
                    .map(Controller2Prop::encoded_len)
                    .sum::<usize>()
            }
            NxAction::StackPush(s) | NxAction::StackPop(s) => {
                if (s.field.class == 0xffff) != s.experimenter.is_some() {
                    return Err(Error::OutOfRange {
                        field: "stack field experimenter (Some exactly for class 0xffff)",
                        value: s.field.class.into(),
                        max: 0xfffe,
                    });
                }
                b.put_u16(s.offset);
                b.put_u32(s.field.to_u32());
                if let Some(e) = s.experimenter {
                    b.put_u32(e);
                }
                b.put_u16(s.n_bits);
                if s.experimenter.is_some() { 12 } else { 8 }
            }
            NxAction::Sample(s) | NxAction::Sample2(s) | NxAction::Sample3(s) => {
                let sub = self.subtype();
                if (sub == subtype::SAMPLE && s.sampling_port != 0)
                    || (sub != subtype::SAMPLE3 && s.direction != 0)
                {
                    return Err(Error::OutOfRange {
                        field: "sample sampling_port/direction (not on the wire of this subtype)",
                        value: u64::from(s.sampling_port.max(s.direction.into())),
                        max: 0,
                    });
                }
                b.put_u16(s.probability);
                b.put_u32(s.collector_set_id);
                b.put_u32(s.obs_domain_id);
                b.put_u32(s.obs_point_id);
                match sub {
                    subtype::SAMPLE => 14,
                    subtype::SAMPLE2 => {
                        b.put_u16(s.sampling_port);
                        16
                    }
                    _ => {
                        b.put_u16(s.sampling_port);
                        b.put_u8(s.direction);
                        17
                    }
                }
            }
            NxAction::DecTtlCntIds(ids) => {
                b.put_u16(len16(ids.len(), "dec_ttl controller ids")?);
                b.put_bytes(0, 4);
                for id in ids {
                    b.put_u16(*id);
                }
                6 + 2 * ids.len()
            }
            NxAction::Conjunction {
                clause,
                n_clauses,
                id,
            } => {
                b.put_u8(*clause);
                b.put_u8(*n_clauses);
                b.put_u32(*id);
                6
            }
            NxAction::Ct(ct) => {
                b.put_u16(ct.flags);
                match ct.zone {
                    CtZone::Immediate(z) => {
                        b.put_u32(0);
                        b.put_u16(z);
                    }
                    CtZone::Field { field, ofs, n_bits } => {
                        if field.to_u32() == 0 {
                            return Err(Error::OutOfRange {
                                field: "ct zone field (0 means immediate)",
                                value: 0,
                                max: 0,
                            });
                        }
                        b.put_u32(field.to_u32());
                        b.put_u16(ofs_nbits(ofs, n_bits)?);
                    }
                }
                b.put_u8(ct.recirc_table);
                b.put_bytes(0, 3);
                b.put_u16(ct.alg);
                write_list(&ct.actions, b)?;
                14 + list_len(&ct.actions)
            }
            NxAction::Nat(nat) => {
                b.put_u16(0);
                b.put_u16(nat.flags);
                b.put_u16(nat.range_present());
                let addrs4 = [nat.ipv4_min, nat.ipv4_max];
                for a in addrs4.iter().flatten() {
                    b.put_slice(&a.octets());
                }
                let addrs6 = [nat.ipv6_min, nat.ipv6_max];
                for a in addrs6.iter().flatten() {
                    b.put_slice(&a.octets());
                }
                for p in [nat.proto_min, nat.proto_max].iter().flatten() {
                    b.put_u16(*p);
                }
                6 + nat.ranges_len()
            }
        };
        b.put_bytes(0, len - body_start - written);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(a: Action, bytes: &[u8]) {
        assert_eq!(a.to_bytes().unwrap(), bytes, "{a:?}");
        assert_eq!(Action::decode(bytes).unwrap(), a);
        assert_eq!(a.encoded_len(), bytes.len());
    }

    const HDR: [u8; 8] = [0xff, 0xff, 0, 0, 0, 0, 0x23, 0x20];

    fn nx(len: u8, subtype: u8, body: &[u8]) -> Vec<u8> {
        let mut v = HDR.to_vec();
        v[3] = len;
        v.extend_from_slice(&[0, subtype]);
        v.extend_from_slice(body);
        v.resize(len.into(), 0);
        v
    }

    #[test]
    fn resubmit_and_table() {
        rt(
            Action::Nicira(NxAction::Resubmit { in_port: 0xfff8 }),
            &nx(16, 1, &[0xff, 0xf8]),
        );
        rt(
            Action::Nicira(NxAction::ResubmitTable {
                in_port: 0xfff8,
                table: 3,
            }),
            &nx(16, 14, &[0xff, 0xf8, 3]),
        );
    }

    #[test]
    fn reg_load_and_move() {
        // load:0x5->NXM_NX_REG0[0..15]: ofs 0, n_bits 16 -> 0x000f
        rt(
            Action::Nicira(NxAction::RegLoad {
                dst: OxmHeader::from_u32(0x0001_0004),
                ofs: 0,
                n_bits: 16,
                value: 5,
            }),
            &nx(24, 7, &[0, 0x0f, 0, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 5]),
        );
        rt(
            Action::Nicira(NxAction::RegMove {
                n_bits: 48,
                src_ofs: 0,
                dst_ofs: 0,
                src: OxmHeader::from_u32(0x0000_0406),
                dst: OxmHeader::from_u32(0x0000_0206),
            }),
            &nx(24, 6, &[0, 48, 0, 0, 0, 0, 0, 0, 4, 6, 0, 0, 2, 6]),
        );
        // n_bits 0 cannot be encoded.
        assert!(
            Action::Nicira(NxAction::RegLoad {
                dst: OxmHeader::from_u32(0x0001_0004),
                ofs: 0,
                n_bits: 0,
                value: 5,
            })
            .to_bytes()
            .is_err()
        );
    }

    #[test]
    fn note_padding_is_trimmed() {
        rt(
            Action::Nicira(NxAction::Note(vec![1, 2, 3])),
            &nx(16, 8, &[1, 2, 3]),
        );
        rt(
            Action::Nicira(NxAction::Note(vec![1; 7])),
            &nx(24, 8, &[1; 7]),
        );
    }

    #[test]
    fn ct_with_nat_and_set_field() {
        let nat = NatAction {
            flags: 1,
            ipv4_min: Some(Ipv4Addr::new(10, 0, 0, 1)),
            ipv4_max: Some(Ipv4Addr::new(10, 0, 0, 9)),
            proto_min: Some(1000),
            ..NatAction::default()
        };
        let ct = Action::Nicira(NxAction::Ct(CtAction {
            flags: 1,
            zone: CtZone::Immediate(7),
            recirc_table: 255,
            alg: 0,
            actions: vec![
                Action::Nicira(NxAction::Nat(nat)),
                Action::SetField(Oxm::CtMark(9.into())),
            ],
        }));
        let bytes = ct.to_bytes().unwrap();
        // ct 24 + nat pad8(16 + 10) = 32 + set_field 16
        assert_eq!(bytes.len(), 72);
        assert_eq!(&bytes[..4], [0xff, 0xff, 0, 72]);
        assert_eq!(&bytes[24..36], &nx(32, 36, &[0, 0, 0, 1, 0, 0x13])[..12]);
        assert_eq!(Action::decode(&bytes).unwrap(), ct);
    }

    #[test]
    fn ct_nesting_is_bounded() {
        let mut a = Action::Nicira(NxAction::CtClear);
        for _ in 0..=MAX_ACTION_DEPTH {
            a = Action::Nicira(NxAction::Ct(CtAction {
                flags: 0,
                zone: CtZone::Immediate(0),
                recirc_table: 255,
                alg: 0,
                actions: vec![a],
            }));
        }
        let bytes = a.to_bytes().unwrap();
        assert!(matches!(Action::decode(&bytes), Err(Error::TooDeep { .. })));
    }

    #[test]
    fn learn_specs() {
        let l = LearnAction {
            idle_timeout: 10,
            priority: 5,
            table_id: 2,
            specs: vec![
                LearnSpec {
                    n_bits: 48,
                    src: LearnSrc::Field {
                        field: OxmHeader::from_u32(0x0000_0406),
                        ofs: 0,
                    },
                    dst: LearnDst::Match {
                        field: OxmHeader::from_u32(0x0000_0206),
                        ofs: 0,
                    },
                },
                LearnSpec {
                    n_bits: 16,
                    src: LearnSrc::Immediate(vec![0, 7]),
                    dst: LearnDst::Load {
                        field: OxmHeader::from_u32(0x0001_0004),
                        ofs: 0,
                    },
                },
                LearnSpec {
                    n_bits: 16,
                    src: LearnSrc::Field {
                        field: OxmHeader::from_u32(0x0000_0002),
                        ofs: 0,
                    },
                    dst: LearnDst::Output,
                },
            ],
            ..LearnAction::default()
        };
        let a = Action::Nicira(NxAction::Learn(l));
        let bytes = a.to_bytes().unwrap();
        // 32 + 14 + 10 + 8 = 64
        assert_eq!(bytes.len(), 64);
        assert_eq!(&bytes[32..34], [0, 48]);
        assert_eq!(&bytes[46..48], [0x28, 16]);
        assert_eq!(&bytes[56..58], [0x10, 16]);
        assert_eq!(Action::decode(&bytes).unwrap(), a);
    }

    #[test]
    fn conjunction_dec_ttl_output_reg() {
        rt(
            Action::Nicira(NxAction::Conjunction {
                clause: 1,
                n_clauses: 2,
                id: 0xabcd,
            }),
            &nx(16, 34, &[1, 2, 0, 0, 0xab, 0xcd]),
        );
        rt(Action::Nicira(NxAction::DecTtl), &nx(16, 18, &[]));
        rt(
            Action::Nicira(NxAction::DecTtlCntIds(vec![1, 2, 3])),
            &nx(24, 21, &[0, 3, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3]),
        );
        rt(
            Action::Nicira(NxAction::OutputReg {
                src: OxmHeader::from_u32(0x0001_0004),
                ofs: 0,
                n_bits: 16,
                max_len: 0,
            }),
            &nx(24, 15, &[0, 0x0f, 0, 1, 0, 4]),
        );
        rt(
            Action::Nicira(NxAction::OutputReg2 {
                src: OxmHeader::from_u32(0xffff_0108),
                src_experimenter: Some(0x4f4e_4600),
                ofs: 0,
                n_bits: 32,
                max_len: 0xffff,
            }),
            &nx(
                24,
                32,
                &[0, 0x1f, 0xff, 0xff, 0xff, 0xff, 1, 8, 0x4f, 0x4e, 0x46, 0],
            ),
        );
        rt(
            Action::Nicira(NxAction::RegLoad2(Oxm::TunId(5.into()))),
            &nx(24, 33, &[0, 1, 0x20, 8, 0, 0, 0, 0, 0, 0, 0, 5]),
        );
    }

    #[test]
    fn controller_fin_timeout_resubmit_ct() {
        rt(
            Action::Nicira(NxAction::Controller {
                max_len: 0xffff,
                controller_id: 3,
                reason: 1,
            }),
            &nx(16, 20, &[0xff, 0xff, 0, 3, 1]),
        );
        rt(
            Action::Nicira(NxAction::FinTimeout {
                fin_idle_timeout: 10,
                fin_hard_timeout: 20,
            }),
            &nx(16, 19, &[0, 10, 0, 20]),
        );
        rt(
            Action::Nicira(NxAction::OutputTrunc {
                port: 1,
                max_len: 100,
            }),
            &nx(16, 39, &[0, 1, 0, 0, 0, 100]),
        );
        rt(
            Action::Nicira(NxAction::ResubmitTableCt {
                in_port: 0xfff8,
                table: 4,
            }),
            &nx(16, 44, &[0xff, 0xf8, 4]),
        );
    }

    #[test]
    fn controller2_properties() {
        let a = Action::Nicira(NxAction::Controller2(vec![
            Controller2Prop::MaxLen(128),
            Controller2Prop::Userdata(vec![1, 2, 3, 4, 5]),
            Controller2Prop::Pause,
        ]));
        let mut body = vec![0; 6];
        body.extend_from_slice(&[0, 0, 0, 6, 0, 128, 0, 0]);
        body.extend_from_slice(&[0, 3, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0]);
        body.extend_from_slice(&[0, 4, 0, 4, 0, 0, 0, 0]);
        rt(a, &nx(48, 37, &body));
        // os-ken writes MAX_LEN with length 8 (value and its padding): kept
        // raw so it re-encodes unchanged.
        let mut body = vec![0; 6];
        body.extend_from_slice(&[0, 0, 0, 8, 0, 128, 0, 0]);
        rt(
            Action::Nicira(NxAction::Controller2(vec![Controller2Prop::Unknown {
                prop_type: 0,
                data: vec![0, 128, 0, 0],
            }])),
            &nx(24, 37, &body),
        );
        // A zero-length property cannot advance.
        let mut body = vec![0; 6];
        body.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(matches!(
            Action::decode(&nx(24, 37, &body)),
            Err(Error::BadLength { length: 0, .. })
        ));
    }

    #[test]
    fn stack_and_sample() {
        let s = StackAction {
            field: OxmHeader::from_u32(0x0001_0004),
            experimenter: None,
            offset: 0,
            n_bits: 32,
        };
        rt(
            Action::Nicira(NxAction::StackPush(s)),
            &nx(24, 27, &[0, 0, 0, 1, 0, 4, 0, 32]),
        );
        rt(
            Action::Nicira(NxAction::StackPop(s)),
            &nx(24, 28, &[0, 0, 0, 1, 0, 4, 0, 32]),
        );
        let x = StackAction {
            field: OxmHeader::from_u32(0xffff_0108),
            experimenter: Some(0x4f4e_4600),
            offset: 8,
            n_bits: 16,
        };
        rt(
            Action::Nicira(NxAction::StackPush(x)),
            &nx(
                24,
                27,
                &[0, 8, 0xff, 0xff, 1, 8, 0x4f, 0x4e, 0x46, 0, 0, 16],
            ),
        );
        let sm = SampleAction {
            probability: 0xffff,
            collector_set_id: 1,
            obs_domain_id: 2,
            obs_point_id: 3,
            sampling_port: 0,
            direction: 0,
        };
        let fixed = [0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3];
        rt(Action::Nicira(NxAction::Sample(sm)), &nx(24, 29, &fixed));
        let sm2 = SampleAction {
            sampling_port: 5,
            ..sm
        };
        let mut b2 = fixed.to_vec();
        b2.extend_from_slice(&[0, 5]);
        rt(Action::Nicira(NxAction::Sample2(sm2)), &nx(32, 38, &b2));
        let sm3 = SampleAction {
            direction: 2,
            ..sm2
        };
        b2.push(2);
        rt(Action::Nicira(NxAction::Sample3(sm3)), &nx(32, 41, &b2));
        // Fields the subtype does not carry cannot be encoded.
        assert!(Action::Nicira(NxAction::Sample(sm2)).to_bytes().is_err());
        assert!(Action::Nicira(NxAction::Sample2(sm3)).to_bytes().is_err());
        assert!(matches!(
            Action::decode(&nx(24, 38, &[])),
            Err(Error::BadLength { length: 24, .. })
        ));
    }

    #[test]
    fn unknown_nicira_subtype_is_raw() {
        let bytes = nx(16, 99, &[1, 2, 3]);
        let a = Action::decode(&bytes).unwrap();
        assert!(matches!(
            a,
            Action::Experimenter {
                experimenter: NX_VENDOR_ID,
                ..
            }
        ));
        assert_eq!(a.to_bytes().unwrap(), bytes);
        // known subtype with a wrong length is an error
        assert!(matches!(
            Action::decode(&nx(24, 1, &[])),
            Err(Error::BadLength { length: 24, .. })
        ));
    }
}
