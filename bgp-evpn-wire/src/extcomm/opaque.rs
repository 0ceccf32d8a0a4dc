//! Transitive opaque extended communities (type 0x03) used by EVPN:
//! BGP Encapsulation (sub-type 0x0c, RFC 9012 section 4.1, formerly
//! RFC 5512) and Default Gateway (sub-type 0x0d, RFC 7432 section 7.8).
//!
//! ```text
//!  0x03 0x0c Encapsulation   | reserved (4)              | tunnel type (2) |
//!  0x03 0x0d Default Gateway | 6 octets (zero on send, kept on receive)    |
//! ```

use core::fmt;

use crate::types::LabelMeaning;

/// The type octet of transitive opaque extended communities.
pub const OPAQUE_TYPE: u8 = 0x03;

/// A tunnel type from the IANA "BGP Tunnel Encapsulation Attribute Tunnel
/// Types" registry. Any 16-bit value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct TunnelType(pub u16);

impl TunnelType {
    /// VXLAN (RFC 8365).
    pub const VXLAN: TunnelType = TunnelType(8);
    /// NVGRE (RFC 8365).
    pub const NVGRE: TunnelType = TunnelType(9);
    /// MPLS (RFC 9012).
    pub const MPLS: TunnelType = TunnelType(10);
    /// MPLS in GRE (RFC 9012).
    pub const MPLS_IN_GRE: TunnelType = TunnelType(11);
    /// VXLAN-GPE (RFC 8365).
    pub const VXLAN_GPE: TunnelType = TunnelType(12);

    /// How the label fields of an EVPN route with this encapsulation read
    /// (RFC 8365 section 5.1.3): VXLAN, VXLAN-GPE and NVGRE carry a 24-bit
    /// VNI/VSID, everything else an MPLS label.
    pub fn label_meaning(self) -> LabelMeaning {
        match self {
            TunnelType::VXLAN | TunnelType::VXLAN_GPE | TunnelType::NVGRE => LabelMeaning::Vni,
            _ => LabelMeaning::MplsLabel,
        }
    }
}

impl fmt::Display for TunnelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TunnelType::VXLAN => f.write_str("vxlan"),
            TunnelType::NVGRE => f.write_str("nvgre"),
            TunnelType::MPLS => f.write_str("mpls"),
            TunnelType::MPLS_IN_GRE => f.write_str("mpls-in-gre"),
            TunnelType::VXLAN_GPE => f.write_str("vxlan-gpe"),
            TunnelType(other) => write!(f, "tunnel-type-{other}"),
        }
    }
}

/// BGP Encapsulation extended community (sub-type 0x0c).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Encapsulation {
    /// The four reserved octets, as received.
    pub reserved: [u8; 4],
    /// Tunnel type.
    pub tunnel_type: TunnelType,
}

impl Encapsulation {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x0c;

    /// An Encapsulation community with zero reserved octets.
    pub fn new(tunnel_type: TunnelType) -> Self {
        Encapsulation {
            reserved: [0; 4],
            tunnel_type,
        }
    }

    pub(crate) fn from_value(v: [u8; 6]) -> Self {
        Encapsulation {
            reserved: [v[0], v[1], v[2], v[3]],
            tunnel_type: TunnelType(u16::from_be_bytes([v[4], v[5]])),
        }
    }

    pub(crate) fn value(&self) -> [u8; 6] {
        let r = self.reserved;
        let t = self.tunnel_type.0.to_be_bytes();
        [r[0], r[1], r[2], r[3], t[0], t[1]]
    }
}

/// Default Gateway extended community (sub-type 0x0d, RFC 7432 section
/// 7.8): marks a MAC/IP route as the (anycast) default gateway of its
/// subnet. The six value octets are zero on send and kept as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DefaultGateway {
    /// The six value octets, as received.
    pub value: [u8; 6],
}

impl DefaultGateway {
    /// Sub-type code.
    pub const SUBTYPE: u8 = 0x0d;

    /// A Default Gateway community with zero value octets.
    pub fn new() -> Self {
        DefaultGateway::default()
    }
}
