//! IPv6 Address Specific Extended Community attribute (RFC 5701): 20-octet
//! communities, attribute type 25.
//!
//! ```text
//! | type (1) | sub-type (1) | global administrator: IPv6 address (16) | local (2) |
//! ```
//!
//! Type 0x00 is transitive, 0x40 non-transitive. Route Target (0x02) and
//! Route Origin (0x03) are typed; everything else is kept raw.

use alloc::vec::Vec;
use core::net::Ipv6Addr;

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;

/// One IPv6 Address Specific extended community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Ipv6ExtendedCommunity {
    /// Route Target (sub-type 0x02).
    RouteTarget {
        /// `false` when the type is 0x40.
        transitive: bool,
        /// Global administrator.
        addr: Ipv6Addr,
        /// Local administrator.
        local: u16,
    },
    /// Route Origin (sub-type 0x03).
    RouteOrigin {
        /// `false` when the type is 0x40.
        transitive: bool,
        /// Global administrator.
        addr: Ipv6Addr,
        /// Local administrator.
        local: u16,
    },
    /// Anything else, kept raw. Never holds type 0x00/0x40 with sub-type
    /// 0x02/0x03 when decoded.
    Unknown {
        /// Type octet.
        type_byte: u8,
        /// Sub-type octet.
        subtype: u8,
        /// The 18 value octets.
        value: [u8; 18],
    },
}

impl Ipv6ExtendedCommunity {
    /// Encoded length: always 20.
    pub const LEN: usize = 20;

    /// Interprets 20 octets (never fails).
    pub fn from_bytes(raw: [u8; 20]) -> Self {
        let mut value = [0u8; 18];
        value.copy_from_slice(&raw[2..]);
        let mut addr = [0u8; 16];
        addr.copy_from_slice(&raw[2..18]);
        let addr = Ipv6Addr::from(addr);
        let local = u16::from_be_bytes([raw[18], raw[19]]);
        let transitive = raw[0] == 0x00;
        match (raw[0], raw[1]) {
            (0x00 | 0x40, 0x02) => Ipv6ExtendedCommunity::RouteTarget {
                transitive,
                addr,
                local,
            },
            (0x00 | 0x40, 0x03) => Ipv6ExtendedCommunity::RouteOrigin {
                transitive,
                addr,
                local,
            },
            (type_byte, subtype) => Ipv6ExtendedCommunity::Unknown {
                type_byte,
                subtype,
                value,
            },
        }
    }

    /// The 20 octets on the wire.
    pub fn to_bytes(&self) -> [u8; 20] {
        let mut out = [0u8; 20];
        let (t, s, value) = match *self {
            Ipv6ExtendedCommunity::RouteTarget {
                transitive,
                addr,
                local,
            }
            | Ipv6ExtendedCommunity::RouteOrigin {
                transitive,
                addr,
                local,
            } => {
                let mut v = [0u8; 18];
                v[..16].copy_from_slice(&addr.octets());
                v[16..].copy_from_slice(&local.to_be_bytes());
                let sub = if matches!(self, Ipv6ExtendedCommunity::RouteTarget { .. }) {
                    0x02
                } else {
                    0x03
                };
                (if transitive { 0x00 } else { 0x40 }, sub, v)
            }
            Ipv6ExtendedCommunity::Unknown {
                type_byte,
                subtype,
                value,
            } => (type_byte, subtype, value),
        };
        out[0] = t;
        out[1] = s;
        out[2..].copy_from_slice(&value);
        out
    }

    /// Decodes exactly 20 octets.
    pub fn decode(buf: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::Ipv6ExtendedCommunities);
        let c = Self::from_bytes(cur.array("IPv6 address specific extended community")?);
        cur.finish("IPv6 address specific extended community")?;
        Ok(c)
    }

    /// Encoded length: always 20.
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the 20 octets.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(&self.to_bytes());
    }
}

/// Decodes the value of an IPv6 Address Specific Extended Community
/// attribute. A length that is not a multiple of 20 is an error whose
/// [`Error::rfc7606_action`] is treat-as-withdraw (RFC 7606 section 7.15).
pub fn decode_ipv6_extended_communities(attr: &[u8]) -> Result<Vec<Ipv6ExtendedCommunity>> {
    if !attr.len().is_multiple_of(Ipv6ExtendedCommunity::LEN) {
        return Err(Error::AttributeLength {
            section: Section::Ipv6ExtendedCommunities,
            offset: 0,
            len: attr.len(),
            unit: Ipv6ExtendedCommunity::LEN,
        });
    }
    Ok(attr
        .chunks_exact(Ipv6ExtendedCommunity::LEN)
        .map(|c| {
            let mut raw = [0u8; 20];
            raw.copy_from_slice(c);
            Ipv6ExtendedCommunity::from_bytes(raw)
        })
        .collect())
}

/// Writes the value of an IPv6 Address Specific Extended Community attribute.
pub fn encode_ipv6_extended_communities<B: BufMut>(comms: &[Ipv6ExtendedCommunity], buf: &mut B) {
    for c in comms {
        c.encode(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Rfc7606Action;
    use crate::test_util::{check_roundtrip, hex};
    use proptest::prelude::*;

    fn arb() -> impl Strategy<Value = Ipv6ExtendedCommunity> {
        prop_oneof![
            (any::<bool>(), any::<[u8; 16]>(), any::<u16>()).prop_map(|(transitive, a, local)| {
                Ipv6ExtendedCommunity::RouteTarget {
                    transitive,
                    addr: Ipv6Addr::from(a),
                    local,
                }
            }),
            (any::<bool>(), any::<[u8; 16]>(), any::<u16>()).prop_map(|(transitive, a, local)| {
                Ipv6ExtendedCommunity::RouteOrigin {
                    transitive,
                    addr: Ipv6Addr::from(a),
                    local,
                }
            }),
            (any::<u8>(), any::<u8>(), any::<[u8; 18]>())
                .prop_filter("typed", |(t, s, _)| {
                    !(matches!(t, 0x00 | 0x40) && matches!(s, 0x02 | 0x03))
                })
                .prop_map(
                    |(type_byte, subtype, value)| Ipv6ExtendedCommunity::Unknown {
                        type_byte,
                        subtype,
                        value
                    }
                ),
        ]
    }

    #[test]
    fn rfc5701_layout() {
        let raw = hex("0002 20010db8000000000000000000000001 0064");
        let c = Ipv6ExtendedCommunity::decode(&raw).unwrap();
        assert_eq!(
            c,
            Ipv6ExtendedCommunity::RouteTarget {
                transitive: true,
                addr: "2001:db8::1".parse().unwrap(),
                local: 100
            }
        );
        let nt = hex("4003 20010db8000000000000000000000001 0001");
        let c = Ipv6ExtendedCommunity::decode(&nt).unwrap();
        assert!(matches!(
            c,
            Ipv6ExtendedCommunity::RouteOrigin {
                transitive: false,
                local: 1,
                ..
            }
        ));
        assert_eq!(c.to_bytes().to_vec(), nt);
        let unknown = hex("000b 20010db8000000000000000000000001 0001");
        let c = Ipv6ExtendedCommunity::decode(&unknown).unwrap();
        assert!(matches!(
            c,
            Ipv6ExtendedCommunity::Unknown { subtype: 0x0b, .. }
        ));
        assert_eq!(c.to_bytes().to_vec(), unknown);

        let mut attr = raw.clone();
        attr.extend_from_slice(&nt);
        let list = decode_ipv6_extended_communities(&attr).unwrap();
        assert_eq!(list.len(), 2);
        let mut out = Vec::new();
        encode_ipv6_extended_communities(&list, &mut out);
        assert_eq!(out, attr);
        let err = decode_ipv6_extended_communities(&attr[..39]).unwrap_err();
        assert_eq!(err.rfc7606_action(), Some(Rfc7606Action::TreatAsWithdraw));
    }

    proptest! {
        #[test]
        fn roundtrip(c in arb()) {
            check_roundtrip(&c)?;
        }
    }
}
