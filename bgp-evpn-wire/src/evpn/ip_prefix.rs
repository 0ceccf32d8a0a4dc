//! Route type 5: IP Prefix (RFC 9136 section 3.1).
//!
//! ```text
//! +---------------------------------------+
//! |      RD (8 octets)                    |
//! +---------------------------------------+
//! |Ethernet Segment Identifier (10 octets)|
//! +---------------------------------------+
//! |  Ethernet Tag ID (4 octets)           |
//! +---------------------------------------+
//! |  IP Prefix Length (1 octet, 0 to 32   |
//! |               or 0 to 128)            |
//! +---------------------------------------+
//! |  IP Prefix (4 or 16 octets)           |
//! +---------------------------------------+
//! |  GW IP Address (4 or 16 octets)       |
//! +---------------------------------------+
//! |  MPLS Label (3 octets)                |
//! +---------------------------------------+
//! ```
//!
//! The route value is 34 octets long for IPv4 and 58 for IPv6; the length
//! decides the address family. Prefix address bits beyond the prefix length
//! are kept as received.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::BufMut;
use ipnetwork::{IpNetwork, Ipv4Network, Ipv6Network};

use crate::error::{Error, Result, Section};
use crate::evpn::label_u24;
use crate::parse::Cursor;
use crate::types::{Esi, EthernetTag, LabelField, RouteDistinguisher};

/// The prefix and the gateway IP of an IP Prefix route: always the same
/// address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PrefixAndGateway {
    /// IPv4 prefix (route value of 34 octets).
    V4 {
        /// The prefix (address bits past the length kept as received).
        prefix: Ipv4Network,
        /// Gateway IP (0.0.0.0 when none).
        gateway: Ipv4Addr,
    },
    /// IPv6 prefix (route value of 58 octets).
    V6 {
        /// The prefix (address bits past the length kept as received).
        prefix: Ipv6Network,
        /// Gateway IP (:: when none).
        gateway: Ipv6Addr,
    },
}

impl PrefixAndGateway {
    /// The prefix.
    pub fn prefix(&self) -> IpNetwork {
        match self {
            PrefixAndGateway::V4 { prefix, .. } => IpNetwork::V4(*prefix),
            PrefixAndGateway::V6 { prefix, .. } => IpNetwork::V6(*prefix),
        }
    }

    /// The gateway IP address.
    pub fn gateway(&self) -> IpAddr {
        match self {
            PrefixAndGateway::V4 { gateway, .. } => IpAddr::V4(*gateway),
            PrefixAndGateway::V6 { gateway, .. } => IpAddr::V6(*gateway),
        }
    }
}

/// An IP Prefix route.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IpPrefixRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Segment Identifier (an overlay index when non-zero).
    pub esi: Esi,
    /// Ethernet Tag ID.
    pub ethernet_tag: EthernetTag,
    /// Prefix and gateway IP.
    pub prefix: PrefixAndGateway,
    /// MPLS label or L3 VNI.
    pub label: LabelField,
}

impl IpPrefixRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 5;
    /// Length of the route value for IPv4.
    pub const LEN_V4: usize = 34;
    /// Length of the route value for IPv6.
    pub const LEN_V6: usize = 58;

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    #[inline]
    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        match Self::decode_fast_v4(value) {
            Some(r) => Ok(r),
            None => Self::decode_checked(value, base),
        }
    }

    /// A well-formed IPv4 route at fixed offsets; `None` for anything
    /// else ([`Self::decode_checked`] then decodes it or finds the error).
    #[inline(always)]
    pub(crate) fn decode_fast_v4(value: &[u8]) -> Option<Self> {
        Self::decode_fast_v4_with(value, |e| Some(Esi::from_array_ref(e)))
    }

    /// [`Self::decode_fast_v4`] with the ESI made by `esi` from its 10
    /// octets, `None` when `esi` declines them (as
    /// `MacIpRoute::decode_fast_with`).
    #[inline(always)]
    pub(crate) fn decode_fast_v4_with(
        value: &[u8],
        esi: impl FnOnce(&[u8; 10]) -> Option<Esi>,
    ) -> Option<Self> {
        let v: &[u8; Self::LEN_V4] = value.try_into().ok()?;
        let (rd, r) = v.split_first_chunk::<8>()?;
        let (esi_bytes, r) = r.split_first_chunk::<10>()?;
        let (tag, r) = r.split_first_chunk::<4>()?;
        let (&len, r) = r.split_first()?;
        let (addr, r) = r.split_first_chunk::<4>()?;
        let (gw, _) = r.split_first_chunk::<4>()?;
        // The label as the low 3 octets of the last word (the gateway's
        // last octet and the label), taken apart in registers.
        let last = u32::from_be_bytes(*v.last_chunk::<4>()?);
        let [_, l0, l1, l2] = last.to_be_bytes();
        let prefix = Ipv4Network::new(Ipv4Addr::from(*addr), len).ok()?;
        Some(IpPrefixRoute {
            rd: RouteDistinguisher::from_array_ref(rd),
            esi: esi(esi_bytes)?,
            ethernet_tag: EthernetTag(u32::from_be_bytes(*tag)),
            prefix: PrefixAndGateway::V4 {
                prefix,
                gateway: Ipv4Addr::from(*gw),
            },
            label: LabelField([l0, l1, l2]),
        })
    }

    #[cold]
    #[inline(never)]
    fn decode_checked(value: &[u8], base: usize) -> Result<Self> {
        let v6 = match value.len() {
            Self::LEN_V4 => false,
            Self::LEN_V6 => true,
            len => {
                return Err(Error::InvalidRouteLength {
                    offset: base,
                    route_type: Self::ROUTE_TYPE,
                    len,
                    expected: "34 or 58",
                });
            }
        };
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let rd = RouteDistinguisher::read(&mut cur)?;
        let esi = Esi::read(&mut cur)?;
        let ethernet_tag = EthernetTag::read(&mut cur)?;
        let at = cur.offset();
        let len = cur.u8("IP prefix length")?;
        let max = if v6 { 128 } else { 32 };
        let bad_len = Error::InvalidPrefixLength {
            offset: at,
            len,
            max,
        };
        let prefix = if v6 {
            let addr = cur.ipv6("IP prefix")?;
            let gateway = cur.ipv6("gateway IP address")?;
            PrefixAndGateway::V6 {
                prefix: Ipv6Network::new(addr, len).map_err(|_| bad_len)?,
                gateway,
            }
        } else {
            let addr = cur.ipv4("IP prefix")?;
            let gateway = cur.ipv4("gateway IP address")?;
            PrefixAndGateway::V4 {
                prefix: Ipv4Network::new(addr, len).map_err(|_| bad_len)?,
                gateway,
            }
        };
        let label = LabelField::read(&mut cur)?;
        cur.finish("IP Prefix route")?;
        Ok(IpPrefixRoute {
            rd,
            esi,
            ethernet_tag,
            prefix,
            label,
        })
    }

    /// Length of the route value: 34 or 58.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        match self.prefix {
            PrefixAndGateway::V4 { .. } => Self::LEN_V4,
            PrefixAndGateway::V6 { .. } => Self::LEN_V6,
        }
    }

    /// Writes the whole NLRI (type, length, value) in a few wide stores
    /// of words computed from the fields (36 octets for IPv4: two `u128`
    /// and a `u32`; 60 for IPv6).
    #[inline(always)]
    pub(crate) fn put_nlri<B: BufMut>(&self, buf: &mut B) {
        let esi = self.esi.wire_bits();
        let len = match self.prefix {
            PrefixAndGateway::V4 { .. } => Self::LEN_V4,
            PrefixAndGateway::V6 { .. } => Self::LEN_V6,
        };
        let w0 = (u128::from(Self::ROUTE_TYPE) << 120)
            | ((len as u128) << 112)
            | (u128::from(self.rd.to_u64()) << 48)
            | (esi >> 32);
        // ESI low 4 octets, Ethernet Tag, prefix length.
        let w1_head = ((esi & 0xffff_ffff) << 96) | (u128::from(self.ethernet_tag.0) << 64);
        let label = label_u24(self.label);
        match &self.prefix {
            PrefixAndGateway::V4 { prefix, gateway } => {
                let gw = gateway.to_bits();
                let w1 = w1_head
                    | (u128::from(prefix.prefix()) << 56)
                    | (u128::from(prefix.ip().to_bits()) << 24)
                    | u128::from(gw >> 8);
                buf.put_u128(w0);
                buf.put_u128(w1);
                buf.put_u32((gw << 24) | label);
            }
            PrefixAndGateway::V6 { prefix, gateway } => {
                let ip = prefix.ip().to_bits();
                let gw = gateway.to_bits();
                let w1 = w1_head | (u128::from(prefix.prefix()) << 56) | (ip >> 72);
                // Last 9 octets of the prefix, first 7 of the gateway.
                let w2 = (ip << 56) | (gw >> 72);
                buf.put_u128(w0);
                buf.put_u128(w1);
                buf.put_u128(w2);
                // Last 9 octets of the gateway, the label.
                buf.put_u64((gw >> 8) as u64);
                buf.put_u32(((gw as u32) << 24) | label);
            }
        }
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.esi.encode(buf);
        self.ethernet_tag.encode(buf);
        match &self.prefix {
            PrefixAndGateway::V4 { prefix, gateway } => {
                buf.put_u8(prefix.prefix());
                buf.put_slice(&prefix.ip().octets());
                buf.put_slice(&gateway.octets());
            }
            PrefixAndGateway::V6 { prefix, gateway } => {
                buf.put_u8(prefix.prefix());
                buf.put_slice(&prefix.ip().octets());
                buf.put_slice(&gateway.octets());
            }
        }
        self.label.encode(buf);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::{check_roundtrip_body, hex};
    use crate::types::esi::tests::arb_esi;
    use crate::types::rd::tests::arb_rd;
    use proptest::prelude::*;

    fn arb_prefix() -> impl Strategy<Value = PrefixAndGateway> {
        prop_oneof![
            (any::<[u8; 4]>(), 0u8..=32, any::<[u8; 4]>()).prop_map(|(a, l, g)| {
                PrefixAndGateway::V4 {
                    prefix: Ipv4Network::new(Ipv4Addr::from(a), l).unwrap(),
                    gateway: Ipv4Addr::from(g),
                }
            }),
            (any::<[u8; 16]>(), 0u8..=128, any::<[u8; 16]>()).prop_map(|(a, l, g)| {
                PrefixAndGateway::V6 {
                    prefix: Ipv6Network::new(Ipv6Addr::from(a), l).unwrap(),
                    gateway: Ipv6Addr::from(g),
                }
            }),
        ]
    }

    pub(crate) fn arb_route() -> impl Strategy<Value = IpPrefixRoute> {
        (
            arb_rd(),
            arb_esi(),
            any::<u32>(),
            arb_prefix(),
            any::<[u8; 3]>(),
        )
            .prop_map(|(rd, esi, tag, prefix, l)| IpPrefixRoute {
                rd,
                esi,
                ethernet_tag: EthernetTag(tag),
                prefix,
                label: LabelField(l),
            })
    }

    #[test]
    fn ipv4_prefix() {
        // 10.1.0.0/16, no gateway, L3 VNI 5000 (0x001388).
        let v = hex("0000fde800000005 00000000000000000000 00000000 10 0a010000 00000000 001388");
        let r = IpPrefixRoute::decode(&v).unwrap();
        assert_eq!(
            r.prefix.prefix(),
            "10.1.0.0/16".parse::<IpNetwork>().unwrap()
        );
        assert_eq!(r.prefix.gateway(), IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(r.label.vni(), 5000);
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);
    }

    #[test]
    fn ipv6_prefix_with_gateway() {
        let v = hex(
            "0000fde800000005 00000000000000000000 00000000 40 20010db8000100000000000000000000 20010db8000000000000000000000001 000010",
        );
        let r = IpPrefixRoute::decode(&v).unwrap();
        assert_eq!(
            r.prefix.prefix(),
            "2001:db8:1::/64".parse::<IpNetwork>().unwrap()
        );
        assert_eq!(r.prefix.gateway(), "2001:db8::1".parse::<IpAddr>().unwrap());
        assert_eq!(r.encoded_len(), 58);
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);
    }

    #[test]
    fn rejects_bad_lengths() {
        let v = hex("0000fde800000005 00000000000000000000 00000000 21 0a010000 00000000 001388");
        assert_eq!(
            IpPrefixRoute::decode(&v),
            Err(Error::InvalidPrefixLength {
                offset: 22,
                len: 33,
                max: 32
            })
        );
        assert!(matches!(
            IpPrefixRoute::decode(&v[..33]),
            Err(Error::InvalidRouteLength { len: 33, .. })
        ));
    }

    proptest! {
        #[test]
        fn roundtrip(r in arb_route()) {
            check_roundtrip_body(&r)?;
        }

        /// The fixed-offset decoders (any ESI, and the type-0 one the
        /// NLRI loop uses) give what the field-by-field decoder gives, on
        /// encodings with a few octets changed too.
        #[test]
        fn fast_decoders_agree_with_the_checked_one(
            r in arb_route(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
        ) {
            let mut b = Vec::new();
            r.encode(&mut b);
            for (at, byte) in edits {
                let i = at % b.len();
                b[i] = byte;
            }
            let checked = IpPrefixRoute::decode_checked(&b, 0);
            if let Some(fast) = IpPrefixRoute::decode_fast_v4(&b) {
                prop_assert_eq!(Ok(&fast), checked.as_ref());
            }
            let type0 = IpPrefixRoute::decode_fast_v4_with(&b, |e| match e {
                [0, v @ ..] => Some(Esi::Arbitrary(*v)),
                _ => None,
            });
            if let Some(fast) = type0 {
                prop_assert_eq!(b[8], 0);
                prop_assert_eq!(Ok(&fast), checked.as_ref());
            }
        }
    }
}
