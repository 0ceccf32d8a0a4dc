//! EVPN extended communities: type 0x06, one struct per sub-type
//! (RFC 7432 section 7.5 to 7.9, RFC 9135, RFC 8214, RFC 8584, RFC 9047).
//!
//! ```text
//!  0x06 0x00 MAC Mobility   | flags | reserved | sequence number (4)   |
//!  0x06 0x01 ESI Label      | flags | reserved (2)     | label (3)     |
//!  0x06 0x02 ES-Import RT   | ES-Import MAC address (6)                |
//!  0x06 0x03 Router's MAC   | router MAC address (6)                   |
//!  0x06 0x04 L2 Attributes  | control flags (2) | L2 MTU (2) | rsv (2) |
//!  0x06 0x06 DF Election    |RSV|alg| bitmap (2)   | reserved (3)      |
//!  0x06 0x08 ARP/ND         | flags | reserved (5)                     |
//! ```
//!
//! Flag bits a peer sent that this crate gives no name to, and reserved
//! octets, are kept and re-encoded unchanged.

use macaddr::MacAddr6;

use crate::error::{Error, Result};
use crate::types::LabelField;

/// The type octet of every EVPN extended community.
pub const EVPN_TYPE: u8 = 0x06;

/// MAC Mobility (sub-type 0x00, RFC 7432 section 7.7).
///
/// The flags octet has the sticky/static bit (0x01, RFC 7432) and, as the
/// experimental extension of the paper "EVPN/SDN Assisted Live VM Migration
/// between Geo-Distributed Data Centers" (Alizadeh Noghani, Kassler,
/// Gopannan), the migration-in-progress bit
/// ([`MacMobility::MIGRATION_IN_PROGRESS`], 0x02): a source-site controller
/// sets it when the VM enters stop-and-copy and advertises the MAC/IP route
/// pointing at the destination VTEP, so remote sites re-point their flows
/// before the VM resumes. Every other bit is preserved.
///
/// Interop note (gobgpd 3.10, observed in `tests/gobgp_interop.rs`): GoBGP
/// reads any non-zero flags octet as sticky. A route with flags 0x02 (in
/// progress) and sequence 8 shows in its RIB as `"is_sticky": true`, and
/// when GoBGP relays it to another peer the flags octet on the wire becomes
/// 0x01: the in-progress bit is lost and a sticky bit appears. With GoBGP on
/// the path between sites, signal migrations with plain re-advertisement
/// (evpn-rib's `SignallingMode::PlainReadvertise`) rather than this bit. See
/// the crate docs, "Interoperability notes".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MacMobility {
    /// The flags octet, all bits as received.
    pub flags: u8,
    /// The reserved octet, as received.
    pub reserved: u8,
    /// Sequence number.
    pub sequence: u32,
}

impl MacMobility {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x00;
    /// Sticky/static MAC flag (RFC 7432 section 7.7).
    pub const STICKY: u8 = 0x01;
    /// Migration in progress: experimental extension from the paper
    /// "EVPN/SDN Assisted Live VM Migration between Geo-Distributed Data
    /// Centers". 1 while the VM is in stop-and-copy, 0 once it moved.
    pub const MIGRATION_IN_PROGRESS: u8 = 0x02;

    /// A MAC Mobility community with this sequence number and no flags.
    pub fn new(sequence: u32) -> Self {
        MacMobility {
            flags: 0,
            reserved: 0,
            sequence,
        }
    }

    /// Sets or clears the sticky/static flag.
    #[must_use]
    pub fn sticky(mut self, on: bool) -> Self {
        self.set_flag(Self::STICKY, on);
        self
    }

    /// Sets or clears the migration-in-progress flag.
    #[must_use]
    pub fn migration_in_progress(mut self, on: bool) -> Self {
        self.set_flag(Self::MIGRATION_IN_PROGRESS, on);
        self
    }

    fn set_flag(&mut self, bit: u8, on: bool) {
        if on {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
    }

    /// Whether the sticky/static flag (0x01) is set.
    pub fn is_sticky(&self) -> bool {
        self.flags & Self::STICKY != 0
    }

    /// Whether the migration-in-progress flag (0x02) is set.
    pub fn is_migration_in_progress(&self) -> bool {
        self.flags & Self::MIGRATION_IN_PROGRESS != 0
    }

    /// The sequence number.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    pub(crate) fn from_value(v: [u8; 6]) -> Self {
        MacMobility {
            flags: v[0],
            reserved: v[1],
            sequence: u32::from_be_bytes([v[2], v[3], v[4], v[5]]),
        }
    }

    pub(crate) fn value(&self) -> [u8; 6] {
        let s = self.sequence.to_be_bytes();
        [self.flags, self.reserved, s[0], s[1], s[2], s[3]]
    }
}

/// ESI Label (sub-type 0x01, RFC 7432 section 7.5), carried with per-ES
/// Ethernet A-D routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EsiLabel {
    /// The flags octet, all bits as received.
    pub flags: u8,
    /// The two reserved octets, as received.
    pub reserved: [u8; 2],
    /// The ESI label (MPLS label or VNI).
    pub label: LabelField,
}

impl EsiLabel {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x01;
    /// Single-active redundancy mode flag (0 = all-active).
    pub const SINGLE_ACTIVE: u8 = 0x01;

    /// An ESI Label community.
    pub fn new(label: LabelField, single_active: bool) -> Self {
        EsiLabel {
            flags: if single_active {
                Self::SINGLE_ACTIVE
            } else {
                0
            },
            reserved: [0; 2],
            label,
        }
    }

    /// Whether the segment is single-active.
    pub fn is_single_active(&self) -> bool {
        self.flags & Self::SINGLE_ACTIVE != 0
    }

    pub(crate) fn from_value(v: [u8; 6]) -> Self {
        EsiLabel {
            flags: v[0],
            reserved: [v[1], v[2]],
            label: LabelField([v[3], v[4], v[5]]),
        }
    }

    pub(crate) fn value(&self) -> [u8; 6] {
        let l = self.label.0;
        [
            self.flags,
            self.reserved[0],
            self.reserved[1],
            l[0],
            l[1],
            l[2],
        ]
    }
}

/// ES-Import Route Target (sub-type 0x02, RFC 7432 section 7.6): the MAC
/// derived from the ESI, carried with Ethernet Segment routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EsImportRouteTarget(pub MacAddr6);

impl EsImportRouteTarget {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x02;
}

/// Router's MAC (sub-type 0x03, RFC 9135 section 8.1): the MAC of the
/// advertising PE's IRB, used as the inner destination MAC for
/// symmetric-IRB VXLAN traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RouterMac(pub MacAddr6);

impl RouterMac {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x03;
}

/// Layer 2 Attributes (sub-type 0x04, RFC 8214 section 3.1), for EVPN VPWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Layer2Attributes {
    /// Control flags, all 16 bits as received.
    pub control_flags: u16,
    /// L2 MTU (0 = not checked).
    pub l2_mtu: u16,
    /// The two reserved octets, as received.
    pub reserved: [u8; 2],
}

impl Layer2Attributes {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x04;
    /// B: backup PE.
    pub const BACKUP: u16 = 0x0001;
    /// P: primary PE.
    pub const PRIMARY: u16 = 0x0002;
    /// C: control word must be present.
    pub const CONTROL_WORD: u16 = 0x0004;

    /// Whether the B (backup) flag is set.
    pub fn is_backup(&self) -> bool {
        self.control_flags & Self::BACKUP != 0
    }

    /// Whether the P (primary) flag is set.
    pub fn is_primary(&self) -> bool {
        self.control_flags & Self::PRIMARY != 0
    }

    /// Whether the C (control word) flag is set.
    pub fn control_word(&self) -> bool {
        self.control_flags & Self::CONTROL_WORD != 0
    }

    pub(crate) fn from_value(v: [u8; 6]) -> Self {
        Layer2Attributes {
            control_flags: u16::from_be_bytes([v[0], v[1]]),
            l2_mtu: u16::from_be_bytes([v[2], v[3]]),
            reserved: [v[4], v[5]],
        }
    }

    pub(crate) fn value(&self) -> [u8; 6] {
        let f = self.control_flags.to_be_bytes();
        let m = self.l2_mtu.to_be_bytes();
        [f[0], f[1], m[0], m[1], self.reserved[0], self.reserved[1]]
    }
}

/// DF Election (sub-type 0x06, RFC 8584 section 2.2).
///
/// The first value octet holds 3 reserved bits and the 5-bit DF algorithm;
/// both are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "DfElectionRepr", into = "DfElectionRepr")
)]
pub struct DfElection {
    reserved_bits: u8,
    algorithm: u8,
    bitmap: u16,
    reserved: [u8; 3],
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct DfElectionRepr {
    reserved_bits: u8,
    algorithm: u8,
    bitmap: u16,
    reserved: [u8; 3],
}

#[cfg(feature = "serde")]
impl TryFrom<DfElectionRepr> for DfElection {
    type Error = Error;
    fn try_from(r: DfElectionRepr) -> Result<Self> {
        DfElection::new(r.algorithm, r.bitmap)?.with_reserved(r.reserved_bits, r.reserved)
    }
}

#[cfg(feature = "serde")]
impl From<DfElection> for DfElectionRepr {
    fn from(d: DfElection) -> Self {
        DfElectionRepr {
            reserved_bits: d.reserved_bits,
            algorithm: d.algorithm,
            bitmap: d.bitmap,
            reserved: d.reserved,
        }
    }
}

impl DfElection {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x06;
    /// DF algorithm 0: default (modulus-based, RFC 7432 section 8.5).
    pub const ALG_DEFAULT: u8 = 0;
    /// DF algorithm 1: highest random weight (RFC 8584 section 3).
    pub const ALG_HRW: u8 = 1;
    /// DF algorithm 2: preference-based (RFC 9785).
    pub const ALG_PREFERENCE: u8 = 2;
    /// Bitmap bit 1: AC-influenced DF election (RFC 8584 section 4).
    pub const AC_DF: u16 = 0x4000;
    /// Largest DF algorithm value (5 bits).
    pub const MAX_ALGORITHM: u8 = 0x1f;

    /// A DF Election community with zero reserved fields.
    pub fn new(algorithm: u8, bitmap: u16) -> Result<Self> {
        if algorithm > Self::MAX_ALGORITHM {
            return Err(Error::OutOfRange {
                what: "DF algorithm",
                value: algorithm.into(),
                max: Self::MAX_ALGORITHM.into(),
            });
        }
        Ok(DfElection {
            reserved_bits: 0,
            algorithm,
            bitmap,
            reserved: [0; 3],
        })
    }

    /// The same community with the 3 reserved bits of the first octet and
    /// the 3 reserved octets set.
    pub fn with_reserved(mut self, reserved_bits: u8, reserved: [u8; 3]) -> Result<Self> {
        if reserved_bits > 0x07 {
            return Err(Error::OutOfRange {
                what: "DF Election reserved bits",
                value: reserved_bits.into(),
                max: 7,
            });
        }
        self.reserved_bits = reserved_bits;
        self.reserved = reserved;
        Ok(self)
    }

    /// DF algorithm (5 bits).
    pub fn algorithm(&self) -> u8 {
        self.algorithm
    }

    /// Capability bitmap.
    pub fn bitmap(&self) -> u16 {
        self.bitmap
    }

    /// Whether AC-influenced DF election is requested.
    pub fn ac_df(&self) -> bool {
        self.bitmap & Self::AC_DF != 0
    }

    /// The 3 reserved bits above the algorithm.
    pub fn reserved_bits(&self) -> u8 {
        self.reserved_bits
    }

    /// The 3 trailing reserved octets.
    pub fn reserved(&self) -> [u8; 3] {
        self.reserved
    }

    pub(crate) fn from_value(v: [u8; 6]) -> Self {
        DfElection {
            reserved_bits: v[0] >> 5,
            algorithm: v[0] & Self::MAX_ALGORITHM,
            bitmap: u16::from_be_bytes([v[1], v[2]]),
            reserved: [v[3], v[4], v[5]],
        }
    }

    pub(crate) fn value(&self) -> [u8; 6] {
        let b = self.bitmap.to_be_bytes();
        [
            (self.reserved_bits << 5) | self.algorithm,
            b[0],
            b[1],
            self.reserved[0],
            self.reserved[1],
            self.reserved[2],
        ]
    }
}

/// ARP/ND (sub-type 0x08, RFC 9047 section 3.1), carried with MAC/IP routes
/// of IPv6 (and IPv4) bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ArpNd {
    /// The flags octet, all bits as received.
    pub flags: u8,
    /// The five reserved octets, as received.
    pub reserved: [u8; 5],
}

impl ArpNd {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x08;
    /// R: the IPv6 address belongs to a router (NA Router flag).
    pub const ROUTER: u8 = 0x01;
    /// O: the NA Override flag.
    pub const OVERRIDE: u8 = 0x02;
    /// I: immutable ARP/ND binding.
    pub const IMMUTABLE: u8 = 0x04;

    /// An ARP/ND community with the given flag bits and zero reserved octets.
    pub fn new(flags: u8) -> Self {
        ArpNd {
            flags,
            reserved: [0; 5],
        }
    }

    /// Whether R is set.
    pub fn is_router(&self) -> bool {
        self.flags & Self::ROUTER != 0
    }

    /// Whether O is set.
    pub fn is_override(&self) -> bool {
        self.flags & Self::OVERRIDE != 0
    }

    /// Whether I is set.
    pub fn is_immutable(&self) -> bool {
        self.flags & Self::IMMUTABLE != 0
    }

    pub(crate) fn from_value(v: [u8; 6]) -> Self {
        ArpNd {
            flags: v[0],
            reserved: [v[1], v[2], v[3], v[4], v[5]],
        }
    }

    pub(crate) fn value(&self) -> [u8; 6] {
        let r = self.reserved;
        [self.flags, r[0], r[1], r[2], r[3], r[4]]
    }
}
