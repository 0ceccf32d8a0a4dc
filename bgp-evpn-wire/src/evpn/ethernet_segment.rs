//! Route type 4: Ethernet Segment (RFC 7432 section 7.4).
//!
//! ```text
//! +---------------------------------------+
//! |  RD (8 octets)                        |
//! +---------------------------------------+
//! |Ethernet Segment Identifier (10 octets)|
//! +---------------------------------------+
//! |  IP Address Length (1 octet) 32/128   |
//! +---------------------------------------+
//! |  Originating Router's IP Address      |
//! |          (4 or 16 octets)             |
//! +---------------------------------------+
//! ```

use core::net::IpAddr;

use bytes::BufMut;

use crate::error::{Result, Section};
use crate::parse::{Cursor, ip_field_len, put_ip_with_len};
use crate::types::{Esi, RouteDistinguisher};

/// An Ethernet Segment route, used for multi-homing DF election.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EthernetSegmentRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Segment Identifier.
    pub esi: Esi,
    /// Originating router's IP address.
    pub originator: IpAddr,
}

impl EthernetSegmentRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 4;

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let route = EthernetSegmentRoute {
            rd: RouteDistinguisher::read(&mut cur)?,
            esi: Esi::read(&mut cur)?,
            originator: cur.ip_with_len("originating router's IP address")?,
        };
        cur.finish("Ethernet Segment route")?;
        Ok(route)
    }

    /// Length of the route value.
    pub fn encoded_len(&self) -> usize {
        8 + 10 + ip_field_len(Some(&self.originator))
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.esi.encode(buf);
        put_ip_with_len(buf, Some(&self.originator));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::evpn::mac_ip::tests::arb_ip;
    use crate::test_util::{check_roundtrip, hex};
    use crate::types::esi::tests::arb_esi;
    use crate::types::rd::tests::arb_rd;
    use core::net::Ipv4Addr;
    use proptest::prelude::*;

    pub(crate) fn arb_route() -> impl Strategy<Value = EthernetSegmentRoute> {
        (arb_rd(), arb_esi(), arb_ip()).prop_map(|(rd, esi, originator)| EthernetSegmentRoute {
            rd,
            esi,
            originator,
        })
    }

    #[test]
    fn layout() {
        let v = hex("0001c00002010001 0000000000000000000a 20 c0000201");
        let r = EthernetSegmentRoute::decode(&v).unwrap();
        assert_eq!(r.esi, Esi::Arbitrary([0, 0, 0, 0, 0, 0, 0, 0, 0x0a]));
        assert_eq!(r.originator, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(r.encoded_len(), 23);
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);
        assert!(EthernetSegmentRoute::decode(&v[..22]).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(r in arb_route()) {
            check_roundtrip(&r)?;
        }
    }
}
