//! BGP extended communities (RFC 4360) that EVPN uses, typed, and every
//! other one kept raw.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |I|T|  Type     |   Sub-Type    |          Value                |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                        Value (cont.)                          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!  I = IANA authority bit, T = 1 for non-transitive.
//! ```

pub mod evpn;
pub mod ipv6_specific;
pub mod opaque;
pub mod route_target;

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;
use macaddr::MacAddr6;

pub use evpn::{
    ArpNd, DfElection, EVPN_TYPE, EsImportRouteTarget, EsiLabel, Layer2Attributes, MacMobility,
    RouterMac,
};
pub use ipv6_specific::{
    Ipv6ExtendedCommunity, decode_ipv6_extended_communities, encode_ipv6_extended_communities,
};
pub use opaque::{DefaultGateway, Encapsulation, OPAQUE_TYPE, TunnelType};
pub use route_target::{GlobalAdmin, RouteOrigin, RouteTarget};

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;
use crate::types::LabelMeaning;

/// One 8-octet extended community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ExtendedCommunity {
    /// Route Target (types 0x00/0x01/0x02 and their non-transitive 0x4x forms, sub-type 0x02).
    RouteTarget(RouteTarget),
    /// Route Origin (same types, sub-type 0x03).
    RouteOrigin(RouteOrigin),
    /// EVPN MAC Mobility (0x06/0x00).
    MacMobility(MacMobility),
    /// EVPN ESI Label (0x06/0x01).
    EsiLabel(EsiLabel),
    /// EVPN ES-Import Route Target (0x06/0x02).
    EsImportRouteTarget(EsImportRouteTarget),
    /// EVPN Router's MAC (0x06/0x03).
    RouterMac(RouterMac),
    /// EVPN Layer 2 Attributes (0x06/0x04).
    Layer2Attributes(Layer2Attributes),
    /// EVPN DF Election (0x06/0x06).
    DfElection(DfElection),
    /// EVPN ARP/ND (0x06/0x08).
    ArpNd(ArpNd),
    /// BGP Encapsulation (0x03/0x0c).
    Encapsulation(Encapsulation),
    /// Default Gateway (0x03/0x0d).
    DefaultGateway(DefaultGateway),
    /// Any other community (including unknown EVPN sub-types), kept raw.
    /// Never holds a type/sub-type pair listed above when decoded.
    Unknown {
        /// Type octet.
        type_byte: u8,
        /// Sub-type octet.
        subtype: u8,
        /// The 6 value octets.
        value: [u8; 6],
    },
}

impl ExtendedCommunity {
    /// Encoded length: always 8.
    pub const LEN: usize = 8;

    /// Interprets 8 octets. Never fails: anything not typed is kept raw.
    pub fn from_bytes(raw: [u8; 8]) -> Self {
        Self::from_bytes_inline(raw)
    }

    #[inline(always)]
    fn from_bytes_inline(raw: [u8; 8]) -> Self {
        let (t, s) = (raw[0], raw[1]);
        let value = [raw[2], raw[3], raw[4], raw[5], raw[6], raw[7]];
        if let Some(rt) = RouteTarget::from_parts(t, s, value) {
            return ExtendedCommunity::RouteTarget(rt);
        }
        if let Some(ro) = RouteOrigin::from_parts(t, s, value) {
            return ExtendedCommunity::RouteOrigin(ro);
        }
        let mac = MacAddr6::from(value);
        match (t, s) {
            (EVPN_TYPE, MacMobility::SUBTYPE) => {
                ExtendedCommunity::MacMobility(MacMobility::from_value(value))
            }
            (EVPN_TYPE, EsiLabel::SUBTYPE) => {
                ExtendedCommunity::EsiLabel(EsiLabel::from_value(value))
            }
            (EVPN_TYPE, EsImportRouteTarget::SUBTYPE) => {
                ExtendedCommunity::EsImportRouteTarget(EsImportRouteTarget(mac))
            }
            (EVPN_TYPE, RouterMac::SUBTYPE) => ExtendedCommunity::RouterMac(RouterMac(mac)),
            (EVPN_TYPE, Layer2Attributes::SUBTYPE) => {
                ExtendedCommunity::Layer2Attributes(Layer2Attributes::from_value(value))
            }
            (EVPN_TYPE, DfElection::SUBTYPE) => {
                ExtendedCommunity::DfElection(DfElection::from_value(value))
            }
            (EVPN_TYPE, ArpNd::SUBTYPE) => ExtendedCommunity::ArpNd(ArpNd::from_value(value)),
            (OPAQUE_TYPE, Encapsulation::SUBTYPE) => {
                ExtendedCommunity::Encapsulation(Encapsulation::from_value(value))
            }
            (OPAQUE_TYPE, DefaultGateway::SUBTYPE) => {
                ExtendedCommunity::DefaultGateway(DefaultGateway { value })
            }
            (type_byte, subtype) => ExtendedCommunity::Unknown {
                type_byte,
                subtype,
                value,
            },
        }
    }

    /// The type octet.
    pub fn type_byte(&self) -> u8 {
        match self {
            ExtendedCommunity::RouteTarget(c) => c.type_byte(),
            ExtendedCommunity::RouteOrigin(c) => c.type_byte(),
            ExtendedCommunity::MacMobility(_)
            | ExtendedCommunity::EsiLabel(_)
            | ExtendedCommunity::EsImportRouteTarget(_)
            | ExtendedCommunity::RouterMac(_)
            | ExtendedCommunity::Layer2Attributes(_)
            | ExtendedCommunity::DfElection(_)
            | ExtendedCommunity::ArpNd(_) => EVPN_TYPE,
            ExtendedCommunity::Encapsulation(_) | ExtendedCommunity::DefaultGateway(_) => {
                OPAQUE_TYPE
            }
            ExtendedCommunity::Unknown { type_byte, .. } => *type_byte,
        }
    }

    /// The sub-type octet.
    pub fn subtype(&self) -> u8 {
        match self {
            ExtendedCommunity::RouteTarget(_) => RouteTarget::SUBTYPE,
            ExtendedCommunity::RouteOrigin(_) => RouteOrigin::SUBTYPE,
            ExtendedCommunity::MacMobility(_) => MacMobility::SUBTYPE,
            ExtendedCommunity::EsiLabel(_) => EsiLabel::SUBTYPE,
            ExtendedCommunity::EsImportRouteTarget(_) => EsImportRouteTarget::SUBTYPE,
            ExtendedCommunity::RouterMac(_) => RouterMac::SUBTYPE,
            ExtendedCommunity::Layer2Attributes(_) => Layer2Attributes::SUBTYPE,
            ExtendedCommunity::DfElection(_) => DfElection::SUBTYPE,
            ExtendedCommunity::ArpNd(_) => ArpNd::SUBTYPE,
            ExtendedCommunity::Encapsulation(_) => Encapsulation::SUBTYPE,
            ExtendedCommunity::DefaultGateway(_) => DefaultGateway::SUBTYPE,
            ExtendedCommunity::Unknown { subtype, .. } => *subtype,
        }
    }

    /// The 6 value octets.
    pub fn value(&self) -> [u8; 6] {
        match self {
            ExtendedCommunity::RouteTarget(c) => c.admin.value(),
            ExtendedCommunity::RouteOrigin(c) => c.admin.value(),
            ExtendedCommunity::MacMobility(c) => c.value(),
            ExtendedCommunity::EsiLabel(c) => c.value(),
            ExtendedCommunity::EsImportRouteTarget(EsImportRouteTarget(mac))
            | ExtendedCommunity::RouterMac(RouterMac(mac)) => mac.into_array(),
            ExtendedCommunity::Layer2Attributes(c) => c.value(),
            ExtendedCommunity::DfElection(c) => c.value(),
            ExtendedCommunity::ArpNd(c) => c.value(),
            ExtendedCommunity::Encapsulation(c) => c.value(),
            ExtendedCommunity::DefaultGateway(c) => c.value,
            ExtendedCommunity::Unknown { value, .. } => *value,
        }
    }

    /// Whether the community is transitive (bit 0x40 of the type clear).
    pub fn is_transitive(&self) -> bool {
        self.type_byte() & 0x40 == 0
    }

    /// The 8 octets on the wire.
    pub fn to_bytes(&self) -> [u8; 8] {
        let v = self.value();
        [
            self.type_byte(),
            self.subtype(),
            v[0],
            v[1],
            v[2],
            v[3],
            v[4],
            v[5],
        ]
    }

    /// Decodes exactly 8 octets.
    pub fn decode(buf: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::ExtendedCommunities);
        let c = Self::from_bytes(cur.array("extended community")?);
        cur.finish("extended community")?;
        Ok(c)
    }

    /// Encoded length: always 8.
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the 8 octets.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(&self.to_bytes());
    }
}

macro_rules! from_community {
    ($($t:ident),* $(,)?) => {$(
        impl From<$t> for ExtendedCommunity {
            fn from(c: $t) -> Self {
                ExtendedCommunity::$t(c)
            }
        }
    )*};
}

from_community!(
    RouteTarget,
    RouteOrigin,
    MacMobility,
    EsiLabel,
    EsImportRouteTarget,
    RouterMac,
    Layer2Attributes,
    DfElection,
    ArpNd,
    Encapsulation,
    DefaultGateway,
);

impl fmt::Display for ExtendedCommunity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtendedCommunity::RouteTarget(c) => write!(f, "rt {c}"),
            ExtendedCommunity::RouteOrigin(c) => write!(f, "soo {c}"),
            ExtendedCommunity::MacMobility(c) => write!(
                f,
                "mac-mobility seq {}{}{}",
                c.sequence,
                if c.is_sticky() { " sticky" } else { "" },
                if c.is_migration_in_progress() {
                    " migration-in-progress"
                } else {
                    ""
                }
            ),
            ExtendedCommunity::EsiLabel(c) => write!(
                f,
                "esi-label {}{}",
                c.label,
                if c.is_single_active() {
                    " single-active"
                } else {
                    ""
                }
            ),
            ExtendedCommunity::EsImportRouteTarget(c) => write!(f, "es-import {}", c.0),
            ExtendedCommunity::RouterMac(c) => write!(f, "router-mac {}", c.0),
            ExtendedCommunity::Layer2Attributes(c) => write!(
                f,
                "l2-attributes flags {:#06x} mtu {}",
                c.control_flags, c.l2_mtu
            ),
            ExtendedCommunity::DfElection(c) => write!(
                f,
                "df-election alg {} bitmap {:#06x}",
                c.algorithm(),
                c.bitmap()
            ),
            ExtendedCommunity::ArpNd(c) => write!(f, "arp-nd flags {:#04x}", c.flags),
            ExtendedCommunity::Encapsulation(c) => write!(f, "encap {}", c.tunnel_type),
            ExtendedCommunity::DefaultGateway(_) => f.write_str("default-gateway"),
            ExtendedCommunity::Unknown { .. } => {
                f.write_str("ext ")?;
                for b in self.to_bytes() {
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// Decodes the value of an EXTENDED COMMUNITIES attribute. A length that is
/// not a multiple of 8 is an error whose [`Error::rfc7606_action`] is
/// treat-as-withdraw (RFC 7606 section 7.14). Unknown communities are kept,
/// never rejected.
pub fn decode_extended_communities(attr: &[u8]) -> Result<Vec<ExtendedCommunity>> {
    if !attr.len().is_multiple_of(ExtendedCommunity::LEN) {
        return Err(Error::AttributeLength {
            section: Section::ExtendedCommunities,
            offset: 0,
            len: attr.len(),
            unit: ExtendedCommunity::LEN,
        });
    }
    // Each community built inline and pushed (from an out-of-line
    // `from_bytes` it came back through memory written with narrow stores
    // and read with a 16-byte load: a store-forwarding stall per community).
    let mut out = Vec::with_capacity(attr.len() / ExtendedCommunity::LEN);
    for c in attr.chunks_exact(ExtendedCommunity::LEN) {
        let raw: &[u8; 8] = c.try_into().unwrap_or(&[0; 8]);
        // The two EVPN ones every MAC/IP route carries, each with its own
        // push and its fields taken from one word, so that no byte-wise
        // temporary is read back wide.
        let w = u64::from_be_bytes(*raw);
        match (raw[0], raw[1]) {
            (EVPN_TYPE, MacMobility::SUBTYPE) => {
                out.push(ExtendedCommunity::MacMobility(MacMobility {
                    flags: (w >> 40) as u8,
                    reserved: (w >> 32) as u8,
                    sequence: w as u32,
                }));
            }
            (OPAQUE_TYPE, Encapsulation::SUBTYPE) => {
                out.push(ExtendedCommunity::Encapsulation(Encapsulation {
                    reserved: ((w >> 16) as u32).to_be_bytes(),
                    tunnel_type: TunnelType(w as u16),
                }));
            }
            // Route Targets (types 0x00-0x02, 0x40-0x42), the same way.
            (t, RouteTarget::SUBTYPE) if t & 0x80 == 0 && t & 0x3f <= 2 => {
                let admin = match t & 0x3f {
                    0 => GlobalAdmin::As2 {
                        asn: (w >> 32) as u16,
                        local: w as u32,
                    },
                    1 => GlobalAdmin::Ipv4 {
                        addr: core::net::Ipv4Addr::from((w >> 16) as u32),
                        local: w as u16,
                    },
                    _ => GlobalAdmin::As4 {
                        asn: (w >> 16) as u32,
                        local: w as u16,
                    },
                };
                out.push(ExtendedCommunity::RouteTarget(RouteTarget {
                    admin,
                    transitive: t & 0x40 == 0,
                }));
            }
            _ => out.push(ExtendedCommunity::from_bytes_inline(*raw)),
        }
    }
    Ok(out)
}

/// Length of the attribute value written by [`encode_extended_communities`].
pub fn extended_communities_len(comms: &[ExtendedCommunity]) -> usize {
    comms.len() * ExtendedCommunity::LEN
}

/// Writes the value of an EXTENDED COMMUNITIES attribute.
pub fn encode_extended_communities<B: BufMut>(comms: &[ExtendedCommunity], buf: &mut B) {
    for c in comms {
        c.encode(buf);
    }
}

/// Checks the EVPN rules on a route's communities that make it malformed:
/// two MAC Mobility communities with different sequence numbers
/// (draft-ietf-bess-rfc7432bis section 7.7; the error's
/// [`Error::rfc7606_action`] is treat-as-withdraw). Offsets count 8 octets
/// per community from the start of the attribute value.
pub fn validate_evpn_communities(comms: &[ExtendedCommunity]) -> Result<()> {
    let mut first: Option<u32> = None;
    for (i, c) in comms.iter().enumerate() {
        if let ExtendedCommunity::MacMobility(m) = c {
            match first {
                None => first = Some(m.sequence),
                Some(seq) if seq != m.sequence => {
                    return Err(Error::ConflictingMacMobility {
                        offset: i * ExtendedCommunity::LEN,
                        first: seq,
                        second: m.sequence,
                    });
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// Readers over the communities of one route, so a controller can ask
/// `comms.sequence()` or `comms.is_migration_in_progress()` directly.
pub trait ExtendedCommunities {
    /// The first MAC Mobility community.
    fn mac_mobility(&self) -> Option<MacMobility>;
    /// The MAC Mobility sequence number; 0 when the community is absent
    /// (RFC 7432 section 15.1).
    fn sequence(&self) -> u32;
    /// Whether a MAC Mobility community has the sticky/static flag.
    fn is_sticky(&self) -> bool;
    /// Whether a MAC Mobility community has the migration-in-progress flag
    /// (the paper's experimental extension).
    fn is_migration_in_progress(&self) -> bool;
    /// Whether the Default Gateway community is present.
    fn is_default_gateway(&self) -> bool;
    /// The Router's MAC, if present.
    fn router_mac(&self) -> Option<MacAddr6>;
    /// The tunnel type of the first BGP Encapsulation community.
    fn encapsulation(&self) -> Option<TunnelType>;
    /// How to read the route's label fields: VNI when the encapsulation is
    /// VXLAN, VXLAN-GPE or NVGRE, MPLS label otherwise (also when no
    /// Encapsulation community is present, RFC 8365 section 5.1.3).
    fn label_meaning(&self) -> LabelMeaning;
    /// The ESI Label community, if present.
    fn esi_label(&self) -> Option<EsiLabel>;
    /// Every Route Target.
    fn route_targets(&self) -> impl Iterator<Item = RouteTarget>;
}

impl ExtendedCommunities for [ExtendedCommunity] {
    fn mac_mobility(&self) -> Option<MacMobility> {
        self.iter().find_map(|c| match c {
            ExtendedCommunity::MacMobility(m) => Some(*m),
            _ => None,
        })
    }

    fn sequence(&self) -> u32 {
        self.mac_mobility().map_or(0, |m| m.sequence)
    }

    fn is_sticky(&self) -> bool {
        self.mac_mobility().is_some_and(|m| m.is_sticky())
    }

    fn is_migration_in_progress(&self) -> bool {
        self.mac_mobility()
            .is_some_and(|m| m.is_migration_in_progress())
    }

    fn is_default_gateway(&self) -> bool {
        self.iter()
            .any(|c| matches!(c, ExtendedCommunity::DefaultGateway(_)))
    }

    fn router_mac(&self) -> Option<MacAddr6> {
        self.iter().find_map(|c| match c {
            ExtendedCommunity::RouterMac(m) => Some(m.0),
            _ => None,
        })
    }

    fn encapsulation(&self) -> Option<TunnelType> {
        self.iter().find_map(|c| match c {
            ExtendedCommunity::Encapsulation(e) => Some(e.tunnel_type),
            _ => None,
        })
    }

    fn label_meaning(&self) -> LabelMeaning {
        self.encapsulation()
            .map_or(LabelMeaning::MplsLabel, TunnelType::label_meaning)
    }

    fn esi_label(&self) -> Option<EsiLabel> {
        self.iter().find_map(|c| match c {
            ExtendedCommunity::EsiLabel(e) => Some(*e),
            _ => None,
        })
    }

    fn route_targets(&self) -> impl Iterator<Item = RouteTarget> {
        self.iter().filter_map(|c| match c {
            ExtendedCommunity::RouteTarget(rt) => Some(*rt),
            _ => None,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::error::Rfc7606Action;
    use crate::extcomm::route_target::tests::arb_admin;
    use crate::test_util::{arb_mac, check_roundtrip, hex};
    use crate::types::LabelField;
    use proptest::prelude::*;

    fn is_typed(t: u8, s: u8) -> bool {
        matches!((t & 0xbf, s), (0x00..=0x02, 0x02 | 0x03))
            || (t == EVPN_TYPE && matches!(s, 0x00..=0x04 | 0x06 | 0x08))
            || (t == OPAQUE_TYPE && matches!(s, 0x0c | 0x0d))
    }

    pub(crate) fn arb_community() -> impl Strategy<Value = ExtendedCommunity> {
        prop_oneof![
            (arb_admin(), any::<bool>()).prop_map(|(admin, transitive)| {
                ExtendedCommunity::RouteTarget(RouteTarget { admin, transitive })
            }),
            (arb_admin(), any::<bool>()).prop_map(|(admin, transitive)| {
                ExtendedCommunity::RouteOrigin(RouteOrigin { admin, transitive })
            }),
            (any::<u8>(), any::<u8>(), any::<u32>()).prop_map(|(flags, reserved, sequence)| {
                ExtendedCommunity::MacMobility(MacMobility {
                    flags,
                    reserved,
                    sequence,
                })
            }),
            (any::<u8>(), any::<[u8; 2]>(), any::<[u8; 3]>()).prop_map(|(flags, reserved, l)| {
                ExtendedCommunity::EsiLabel(EsiLabel {
                    flags,
                    reserved,
                    label: LabelField(l),
                })
            }),
            arb_mac().prop_map(|m| ExtendedCommunity::EsImportRouteTarget(EsImportRouteTarget(m))),
            arb_mac().prop_map(|m| ExtendedCommunity::RouterMac(RouterMac(m))),
            (any::<u16>(), any::<u16>(), any::<[u8; 2]>()).prop_map(|(f, m, r)| {
                ExtendedCommunity::Layer2Attributes(Layer2Attributes {
                    control_flags: f,
                    l2_mtu: m,
                    reserved: r,
                })
            }),
            (0u8..=31, any::<u16>(), 0u8..=7, any::<[u8; 3]>()).prop_map(|(a, b, rb, r)| {
                ExtendedCommunity::DfElection(
                    DfElection::new(a, b).unwrap().with_reserved(rb, r).unwrap(),
                )
            }),
            (any::<u8>(), any::<[u8; 5]>())
                .prop_map(|(flags, reserved)| ExtendedCommunity::ArpNd(ArpNd { flags, reserved })),
            (any::<[u8; 4]>(), any::<u16>()).prop_map(|(reserved, t)| {
                ExtendedCommunity::Encapsulation(Encapsulation {
                    reserved,
                    tunnel_type: TunnelType(t),
                })
            }),
            any::<[u8; 6]>()
                .prop_map(|value| ExtendedCommunity::DefaultGateway(DefaultGateway { value })),
            (any::<u8>(), any::<u8>(), any::<[u8; 6]>())
                .prop_filter("typed pair", |(t, s, _)| !is_typed(*t, *s))
                .prop_map(|(type_byte, subtype, value)| ExtendedCommunity::Unknown {
                    type_byte,
                    subtype,
                    value
                }),
        ]
    }

    #[test]
    fn mac_mobility_layouts() {
        // RFC 7432 7.7: flags 0x01 sticky, sequence 500.
        let c = ExtendedCommunity::decode(&hex("06000100000001f4")).unwrap();
        assert_eq!(c, MacMobility::new(500).sticky(true).into());
        // Migration in progress, sequence 7.
        let m = MacMobility::new(7).migration_in_progress(true);
        let c = ExtendedCommunity::from(m);
        assert_eq!(c.to_bytes(), [0x06, 0x00, 0x02, 0x00, 0, 0, 0, 7]);
        assert_eq!(c.to_string(), "mac-mobility seq 7 migration-in-progress");
        // Unnamed flag bits and the reserved octet survive.
        let raw = hex("0600f3aa00000009");
        let c = ExtendedCommunity::decode(&raw).unwrap();
        let ExtendedCommunity::MacMobility(m) = c else {
            panic!("{c:?}")
        };
        assert!(m.is_sticky() && m.is_migration_in_progress());
        assert_eq!((m.flags, m.reserved, m.sequence()), (0xf3, 0xaa, 9));
        assert_eq!(c.to_bytes().to_vec(), raw);
        let cleared = m.sticky(false).migration_in_progress(false);
        assert_eq!(cleared.flags, 0xf0);
    }

    #[test]
    fn other_evpn_subtypes() {
        let c = ExtendedCommunity::decode(&hex("0601010000000141")).unwrap();
        let ExtendedCommunity::EsiLabel(e) = c else {
            panic!("{c:?}")
        };
        assert!(e.is_single_active());
        assert_eq!(e.label.mpls_label(), 20);
        assert_eq!(
            e,
            EsiLabel::new(LabelField::from_mpls_label(20, true).unwrap(), true)
        );
        let c = ExtendedCommunity::decode(&hex("0602aabbccddeeff")).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::EsImportRouteTarget(EsImportRouteTarget(MacAddr6::new(
                0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
            )))
        );
        let c = ExtendedCommunity::decode(&hex("0603020000000001")).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::RouterMac(RouterMac(MacAddr6::new(2, 0, 0, 0, 0, 1)))
        );
        let c = ExtendedCommunity::decode(&hex("0604000605dc0000")).unwrap();
        let ExtendedCommunity::Layer2Attributes(l) = c else {
            panic!("{c:?}")
        };
        assert!(l.is_primary() && l.control_word() && !l.is_backup());
        assert_eq!(l.l2_mtu, 1500);
        let c = ExtendedCommunity::decode(&hex("0606e14000000000")).unwrap();
        let ExtendedCommunity::DfElection(d) = c else {
            panic!("{c:?}")
        };
        assert_eq!(d.algorithm(), DfElection::ALG_HRW);
        assert_eq!(d.reserved_bits(), 7);
        assert!(d.ac_df());
        assert_eq!(c.to_bytes().to_vec(), hex("0606e14000000000"));
        assert!(DfElection::new(32, 0).is_err());
        let c = ExtendedCommunity::decode(&hex("0608050000000000")).unwrap();
        let ExtendedCommunity::ArpNd(a) = c else {
            panic!("{c:?}")
        };
        assert!(a.is_router() && !a.is_override() && a.is_immutable());
        // Unknown EVPN sub-type: kept, never rejected.
        let raw = hex("0605010203040506");
        let c = ExtendedCommunity::decode(&raw).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::Unknown {
                type_byte: 0x06,
                subtype: 0x05,
                value: [1, 2, 3, 4, 5, 6]
            }
        );
        assert_eq!(c.to_bytes().to_vec(), raw);
    }

    #[test]
    fn opaque_subtypes() {
        let c = ExtendedCommunity::decode(&hex("030c000000000008")).unwrap();
        assert_eq!(c, Encapsulation::new(TunnelType::VXLAN).into());
        assert_eq!(c.to_string(), "encap vxlan");
        let raw = hex("030c01020304002a");
        let c = ExtendedCommunity::decode(&raw).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::Encapsulation(Encapsulation {
                reserved: [1, 2, 3, 4],
                tunnel_type: TunnelType(42)
            })
        );
        assert_eq!(c.to_bytes().to_vec(), raw);
        let c = ExtendedCommunity::decode(&hex("030d000000000000")).unwrap();
        assert_eq!(c, DefaultGateway::new().into());
        let raw = hex("030d000000000001");
        assert_eq!(
            ExtendedCommunity::decode(&raw).unwrap().to_bytes().to_vec(),
            raw
        );
    }

    #[test]
    fn route_readers() {
        let comms: Vec<ExtendedCommunity> = vec![
            RouteTarget::as2(65000, 100).into(),
            Encapsulation::new(TunnelType::VXLAN).into(),
            MacMobility::new(3).migration_in_progress(true).into(),
            RouterMac(MacAddr6::new(2, 0, 0, 0, 0, 0xfe)).into(),
            DefaultGateway::new().into(),
        ];
        assert_eq!(comms.sequence(), 3);
        assert!(comms.is_migration_in_progress());
        assert!(!comms.is_sticky());
        assert!(comms.is_default_gateway());
        assert_eq!(comms.router_mac(), Some(MacAddr6::new(2, 0, 0, 0, 0, 0xfe)));
        assert_eq!(comms.encapsulation(), Some(TunnelType::VXLAN));
        assert_eq!(comms.label_meaning(), LabelMeaning::Vni);
        assert_eq!(comms.route_targets().count(), 1);
        assert_eq!(comms.esi_label(), None);
        assert!(validate_evpn_communities(&comms).is_ok());

        let none: [ExtendedCommunity; 0] = [];
        assert_eq!(none.sequence(), 0);
        assert_eq!(none.label_meaning(), LabelMeaning::MplsLabel);
        let mpls = [ExtendedCommunity::from(Encapsulation::new(
            TunnelType::MPLS,
        ))];
        assert_eq!(mpls.label_meaning(), LabelMeaning::MplsLabel);
        let gpe = [ExtendedCommunity::from(Encapsulation::new(
            TunnelType::VXLAN_GPE,
        ))];
        assert_eq!(gpe.label_meaning(), LabelMeaning::Vni);
    }

    #[test]
    fn attribute_errors() {
        let mut attr = Vec::new();
        let comms = [
            ExtendedCommunity::from(MacMobility::new(1)),
            ExtendedCommunity::from(MacMobility::new(2)),
        ];
        encode_extended_communities(&comms, &mut attr);
        assert_eq!(attr.len(), extended_communities_len(&comms));
        let decoded = decode_extended_communities(&attr).unwrap();
        assert_eq!(decoded, comms);
        let err = validate_evpn_communities(&decoded).unwrap_err();
        assert_eq!(
            err,
            Error::ConflictingMacMobility {
                offset: 8,
                first: 1,
                second: 2
            }
        );
        assert_eq!(err.rfc7606_action(), Some(Rfc7606Action::TreatAsWithdraw));
        let err = decode_extended_communities(&attr[..12]).unwrap_err();
        assert!(matches!(
            err,
            Error::AttributeLength {
                len: 12,
                unit: 8,
                ..
            }
        ));
        assert_eq!(err.rfc7606_action(), Some(Rfc7606Action::TreatAsWithdraw));
        let err = ExtendedCommunity::decode(&attr[..5]).unwrap_err();
        assert_eq!(err.rfc7606_action(), Some(Rfc7606Action::TreatAsWithdraw));
    }

    proptest! {
        /// The list decoder (with its own pushes for MAC Mobility and
        /// Encapsulation) gives what `from_bytes` gives for any octets.
        #[test]
        fn list_decode_matches_from_bytes(
            raw in proptest::collection::vec(
                prop_oneof![
                    any::<[u8; 8]>(),
                    any::<[u8; 6]>().prop_map(|v| {
                        let mut r = [EVPN_TYPE, MacMobility::SUBTYPE, 0, 0, 0, 0, 0, 0];
                        r[2..].copy_from_slice(&v);
                        r
                    }),
                    any::<[u8; 6]>().prop_map(|v| {
                        let mut r = [OPAQUE_TYPE, Encapsulation::SUBTYPE, 0, 0, 0, 0, 0, 0];
                        r[2..].copy_from_slice(&v);
                        r
                    }),
                    (any::<u8>(), any::<[u8; 6]>()).prop_map(|(t, v)| {
                        let mut r = [t, RouteTarget::SUBTYPE, 0, 0, 0, 0, 0, 0];
                        r[2..].copy_from_slice(&v);
                        r
                    }),
                ],
                0..6,
            )
        ) {
            let bytes: Vec<u8> = raw.iter().flatten().copied().collect();
            let want: Vec<_> = raw.iter().map(|r| ExtendedCommunity::from_bytes(*r)).collect();
            prop_assert_eq!(decode_extended_communities(&bytes), Ok(want));
        }

        #[test]
        fn roundtrip(c in arb_community()) {
            let bytes = check_roundtrip(&c)?;
            prop_assert_eq!(&c.to_bytes()[..], &bytes[..]);
        }

        #[cfg(feature = "serde")]
        #[test]
        fn serde_roundtrip(c in arb_community()) {
            let text = serde_json::to_string(&c).unwrap();
            let back: ExtendedCommunity = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(back, c);
        }

        #[test]
        fn any_eight_bytes_roundtrip(raw in any::<[u8; 8]>()) {
            prop_assert_eq!(ExtendedCommunity::from_bytes(raw).to_bytes(), raw);
        }

        #[test]
        fn random_attribute_never_panics(buf in proptest::collection::vec(any::<u8>(), 0..100)) {
            match decode_extended_communities(&buf) {
                Ok(list) => {
                    let mut out = Vec::new();
                    encode_extended_communities(&list, &mut out);
                    prop_assert_eq!(out, buf);
                }
                Err(e) => prop_assert!(!buf.len().is_multiple_of(8), "{e}"),
            }
        }
    }
}
