//! Route Target (sub-type 0x02) and Route Origin (sub-type 0x03) extended
//! communities (RFC 4360 section 4, RFC 5668, RFC 7153) for the
//! two-octet-AS (type 0x00/0x40), IPv4-address (0x01/0x41) and
//! four-octet-AS (0x02/0x42) specific types.
//!
//! ```text
//!  type 0x00 | sub-type | AS (2)       | local administrator (4) |
//!  type 0x01 | sub-type | IPv4 address (4)        | local (2)     |
//!  type 0x02 | sub-type | AS (4)                  | local (2)     |
//! ```
//!
//! Bit 0x40 of the type octet marks the community non-transitive; it is
//! kept as received.

use core::fmt;
use core::net::Ipv4Addr;

/// The global and local administrator of an AS- or IPv4-specific community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum GlobalAdmin {
    /// Two-octet AS specific (type 0x00 / 0x40).
    As2 {
        /// AS number.
        asn: u16,
        /// Local administrator.
        local: u32,
    },
    /// IPv4 address specific (type 0x01 / 0x41).
    Ipv4 {
        /// IPv4 address.
        addr: Ipv4Addr,
        /// Local administrator.
        local: u16,
    },
    /// Four-octet AS specific (type 0x02 / 0x42, RFC 5668).
    As4 {
        /// AS number.
        asn: u32,
        /// Local administrator.
        local: u16,
    },
}

impl GlobalAdmin {
    /// Low 6 bits of the type octet (0, 1 or 2).
    pub fn type_low(&self) -> u8 {
        match self {
            GlobalAdmin::As2 { .. } => 0x00,
            GlobalAdmin::Ipv4 { .. } => 0x01,
            GlobalAdmin::As4 { .. } => 0x02,
        }
    }

    /// Interprets the 6 value octets for type low bits 0, 1 or 2.
    pub(crate) fn from_value(type_low: u8, v: [u8; 6]) -> Option<Self> {
        match type_low {
            0x00 => Some(GlobalAdmin::As2 {
                asn: u16::from_be_bytes([v[0], v[1]]),
                local: u32::from_be_bytes([v[2], v[3], v[4], v[5]]),
            }),
            0x01 => Some(GlobalAdmin::Ipv4 {
                addr: Ipv4Addr::new(v[0], v[1], v[2], v[3]),
                local: u16::from_be_bytes([v[4], v[5]]),
            }),
            0x02 => Some(GlobalAdmin::As4 {
                asn: u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
                local: u16::from_be_bytes([v[4], v[5]]),
            }),
            _ => None,
        }
    }

    /// The 6 value octets.
    pub fn value(&self) -> [u8; 6] {
        let mut out = [0u8; 6];
        match *self {
            GlobalAdmin::As2 { asn, local } => {
                out[..2].copy_from_slice(&asn.to_be_bytes());
                out[2..].copy_from_slice(&local.to_be_bytes());
            }
            GlobalAdmin::Ipv4 { addr, local } => {
                out[..4].copy_from_slice(&addr.octets());
                out[4..].copy_from_slice(&local.to_be_bytes());
            }
            GlobalAdmin::As4 { asn, local } => {
                out[..4].copy_from_slice(&asn.to_be_bytes());
                out[4..].copy_from_slice(&local.to_be_bytes());
            }
        }
        out
    }
}

impl fmt::Display for GlobalAdmin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GlobalAdmin::As2 { asn, local } => write!(f, "{asn}:{local}"),
            GlobalAdmin::Ipv4 { addr, local } => write!(f, "{addr}:{local}"),
            GlobalAdmin::As4 { asn, local } => write!(f, "{asn}L:{local}"),
        }
    }
}

macro_rules! admin_community {
    ($name:ident, $subtype:expr, $doc:expr) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name {
            /// Administrator fields.
            pub admin: GlobalAdmin,
            /// `false` when bit 0x40 of the type octet (non-transitive) is set.
            pub transitive: bool,
        }

        impl $name {
            /// Sub-type code.
            pub const SUBTYPE: u8 = $subtype;

            /// A transitive two-octet-AS specific community.
            pub fn as2(asn: u16, local: u32) -> Self {
                $name {
                    admin: GlobalAdmin::As2 { asn, local },
                    transitive: true,
                }
            }

            /// A transitive IPv4-address specific community.
            pub fn ipv4(addr: Ipv4Addr, local: u16) -> Self {
                $name {
                    admin: GlobalAdmin::Ipv4 { addr, local },
                    transitive: true,
                }
            }

            /// A transitive four-octet-AS specific community.
            pub fn as4(asn: u32, local: u16) -> Self {
                $name {
                    admin: GlobalAdmin::As4 { asn, local },
                    transitive: true,
                }
            }

            /// The type octet.
            pub fn type_byte(&self) -> u8 {
                self.admin.type_low() | if self.transitive { 0 } else { 0x40 }
            }

            /// Interprets type, sub-type and value when they are this community.
            pub(crate) fn from_parts(type_byte: u8, subtype: u8, value: [u8; 6]) -> Option<Self> {
                if subtype != Self::SUBTYPE || type_byte & 0x80 != 0 {
                    return None;
                }
                Some($name {
                    admin: GlobalAdmin::from_value(type_byte & 0x3f, value)?,
                    transitive: type_byte & 0x40 == 0,
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.admin, f)
            }
        }
    };
}

admin_community!(
    RouteTarget,
    0x02,
    "A Route Target extended community (sub-type 0x02)."
);
admin_community!(
    RouteOrigin,
    0x03,
    "A Route Origin extended community (sub-type 0x03)."
);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::extcomm::ExtendedCommunity;
    use crate::test_util::{check_roundtrip, hex};
    use proptest::prelude::*;

    pub(crate) fn arb_admin() -> impl Strategy<Value = GlobalAdmin> {
        prop_oneof![
            (any::<u16>(), any::<u32>()).prop_map(|(asn, local)| GlobalAdmin::As2 { asn, local }),
            (any::<[u8; 4]>(), any::<u16>()).prop_map(|(a, local)| GlobalAdmin::Ipv4 {
                addr: Ipv4Addr::from(a),
                local
            }),
            (any::<u32>(), any::<u16>()).prop_map(|(asn, local)| GlobalAdmin::As4 { asn, local }),
        ]
    }

    #[test]
    fn rfc4360_layouts() {
        let c = ExtendedCommunity::decode(&hex("0002fde800000064")).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::RouteTarget(RouteTarget::as2(65000, 100))
        );
        assert_eq!(c.to_string(), "rt 65000:100");
        let c = ExtendedCommunity::decode(&hex("0102c00002010064")).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::RouteTarget(RouteTarget::ipv4(Ipv4Addr::new(192, 0, 2, 1), 100))
        );
        let c = ExtendedCommunity::decode(&hex("02020001000a0064")).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::RouteTarget(RouteTarget::as4(65546, 100))
        );
        let c = ExtendedCommunity::decode(&hex("0003fde800000001")).unwrap();
        assert_eq!(
            c,
            ExtendedCommunity::RouteOrigin(RouteOrigin::as2(65000, 1))
        );
        // Non-transitive two-octet-AS route target keeps its 0x40 bit.
        let raw = hex("4002fde800000064");
        let c = ExtendedCommunity::decode(&raw).unwrap();
        let ExtendedCommunity::RouteTarget(rt) = c else {
            panic!("not a route target: {c:?}")
        };
        assert!(!rt.transitive);
        assert_eq!(rt.type_byte(), 0x40);
        assert_eq!(c.to_bytes().to_vec(), raw);
        assert!(!c.is_transitive());
        // Type 0x03 sub-type 0x02 is not a route target.
        assert!(matches!(
            ExtendedCommunity::decode(&hex("0302000000000000")).unwrap(),
            ExtendedCommunity::Unknown { .. }
        ));
    }

    proptest! {
        #[test]
        fn roundtrip(admin in arb_admin(), transitive in any::<bool>(), origin in any::<bool>()) {
            let c = if origin {
                ExtendedCommunity::RouteOrigin(RouteOrigin { admin, transitive })
            } else {
                ExtendedCommunity::RouteTarget(RouteTarget { admin, transitive })
            };
            check_roundtrip(&c)?;
        }
    }
}
