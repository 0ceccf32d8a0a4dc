//! Route type 3: Inclusive Multicast Ethernet Tag (RFC 7432 section 7.3).
//!
//! ```text
//! +---------------------------------------+
//! |  RD (8 octets)                        |
//! +---------------------------------------+
//! |  Ethernet Tag ID (4 octets)           |
//! +---------------------------------------+
//! |  IP Address Length (1 octet) 32/128   |
//! +---------------------------------------+
//! |  Originating Router's IP Address      |
//! |          (4 or 16 octets)             |
//! +---------------------------------------+
//! ```
//!
//! The PMSI Tunnel attribute that goes with it (ingress replication to the
//! VTEP) is a path attribute, decoded by the message layer.

use core::net::IpAddr;

use bytes::BufMut;

use crate::error::{Result, Section};
use crate::parse::{Cursor, ip_field_len, put_ip_with_len};
use crate::types::{EthernetTag, RouteDistinguisher};

/// An Inclusive Multicast Ethernet Tag route: "send BUM traffic of this
/// broadcast domain to me".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct InclusiveMulticastRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Tag ID.
    pub ethernet_tag: EthernetTag,
    /// Originating router's IP address (the VTEP address for VXLAN).
    pub originator: IpAddr,
}

impl InclusiveMulticastRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 3;

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let route = InclusiveMulticastRoute {
            rd: RouteDistinguisher::read(&mut cur)?,
            ethernet_tag: EthernetTag::read(&mut cur)?,
            originator: cur.ip_with_len("originating router's IP address")?,
        };
        cur.finish("Inclusive Multicast Ethernet Tag route")?;
        Ok(route)
    }

    /// Length of the route value.
    pub fn encoded_len(&self) -> usize {
        8 + 4 + ip_field_len(Some(&self.originator))
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.ethernet_tag.encode(buf);
        put_ip_with_len(buf, Some(&self.originator));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::error::Error;
    use crate::evpn::mac_ip::tests::arb_ip;
    use crate::test_util::{check_roundtrip, hex};
    use crate::types::rd::tests::arb_rd;
    use core::net::{Ipv4Addr, Ipv6Addr};
    use proptest::prelude::*;

    pub(crate) fn arb_route() -> impl Strategy<Value = InclusiveMulticastRoute> {
        (arb_rd(), any::<u32>(), arb_ip()).prop_map(|(rd, tag, originator)| {
            InclusiveMulticastRoute {
                rd,
                ethernet_tag: EthernetTag(tag),
                originator,
            }
        })
    }

    #[test]
    fn ipv4_and_ipv6_originators() {
        let v = hex("0000fde800000001 00000000 20 c0000202");
        let r = InclusiveMulticastRoute::decode(&v).unwrap();
        assert_eq!(r.originator, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)));
        assert_eq!(r.encoded_len(), 17);
        let v6 = hex("0000fde800000001 00000000 80 20010db8000000000000000000000001");
        let r6 = InclusiveMulticastRoute::decode(&v6).unwrap();
        assert_eq!(
            r6.originator,
            IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))
        );
        let mut out = Vec::new();
        r6.encode(&mut out);
        assert_eq!(out, v6);
        assert!(matches!(
            InclusiveMulticastRoute::decode(&hex("0000fde800000001 00000000 00")),
            Err(Error::InvalidIpLength {
                offset: 12,
                bits: 0,
                ..
            })
        ));
        assert!(matches!(
            InclusiveMulticastRoute::decode(&hex("0000fde800000001 00000000 20 c000020200")),
            Err(Error::TrailingBytes {
                offset: 17,
                count: 1,
                ..
            })
        ));
    }

    proptest! {
        #[test]
        fn roundtrip(r in arb_route()) {
            check_roundtrip(&r)?;
        }
    }
}
