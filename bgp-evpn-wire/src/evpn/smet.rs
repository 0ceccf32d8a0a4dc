//! Route type 6: Selective Multicast Ethernet Tag (RFC 9251 section 9.1).
//!
//! ```text
//! +--------------------------------------------------+
//! |  RD (8 octets)                                   |
//! +--------------------------------------------------+
//! |  Ethernet Tag ID (4 octets)                      |
//! +--------------------------------------------------+
//! |  Multicast Source Length (1 octet) 0/32/128      |
//! +--------------------------------------------------+
//! |  Multicast Source Address (variable)             |
//! +--------------------------------------------------+
//! |  Multicast Group Length (1 octet) 32/128         |
//! +--------------------------------------------------+
//! |  Multicast Group Address (variable)              |
//! +--------------------------------------------------+
//! |  Originator Router Length (1 octet) 32/128       |
//! +--------------------------------------------------+
//! |  Originator Router Address (variable)            |
//! +--------------------------------------------------+
//! |  Flags (1 octet)                                 |
//! +--------------------------------------------------+
//! ```

use core::net::IpAddr;

use bytes::BufMut;

use super::multicast::MulticastFlags;
use crate::error::{Result, Section};
use crate::parse::{Cursor, ip_field_len, put_ip_with_len};
use crate::types::{EthernetTag, RouteDistinguisher};

/// A Selective Multicast Ethernet Tag route: a PE's interest in (S,G) or (*,G).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SmetRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Tag ID.
    pub ethernet_tag: EthernetTag,
    /// Multicast source; `None` for (*,G).
    pub source: Option<IpAddr>,
    /// Multicast group.
    pub group: IpAddr,
    /// Originator router address.
    pub originator: IpAddr,
    /// IGMP/MLD version and exclude flags.
    pub flags: MulticastFlags,
}

impl SmetRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 6;

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let route = SmetRoute {
            rd: RouteDistinguisher::read(&mut cur)?,
            ethernet_tag: EthernetTag::read(&mut cur)?,
            source: cur.opt_ip_with_len("multicast source address")?,
            group: cur.ip_with_len("multicast group address")?,
            originator: cur.ip_with_len("originator router address")?,
            flags: MulticastFlags(cur.u8("flags")?),
        };
        cur.finish("SMET route")?;
        Ok(route)
    }

    /// Length of the route value.
    pub fn encoded_len(&self) -> usize {
        8 + 4
            + ip_field_len(self.source.as_ref())
            + ip_field_len(Some(&self.group))
            + ip_field_len(Some(&self.originator))
            + 1
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.ethernet_tag.encode(buf);
        put_ip_with_len(buf, self.source.as_ref());
        put_ip_with_len(buf, Some(&self.group));
        put_ip_with_len(buf, Some(&self.originator));
        buf.put_u8(self.flags.0);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::error::Error;
    use crate::evpn::mac_ip::tests::arb_ip;
    use crate::test_util::{check_roundtrip, hex};
    use crate::types::rd::tests::arb_rd;
    use core::net::Ipv4Addr;
    use proptest::prelude::*;

    pub(crate) fn arb_route() -> impl Strategy<Value = SmetRoute> {
        (
            arb_rd(),
            any::<u32>(),
            proptest::option::of(arb_ip()),
            arb_ip(),
            arb_ip(),
            any::<u8>(),
        )
            .prop_map(|(rd, tag, source, group, originator, flags)| SmetRoute {
                rd,
                ethernet_tag: EthernetTag(tag),
                source,
                group,
                originator,
                flags: MulticastFlags(flags),
            })
    }

    #[test]
    fn star_g_igmpv2() {
        // (*, 239.1.1.1) from 192.0.2.1, IGMPv2, reserved bit 0x80 kept.
        let v = hex("0000fde800000001 00000000 00 20 ef010101 20 c0000201 82");
        let r = SmetRoute::decode(&v).unwrap();
        assert_eq!(r.source, None);
        assert_eq!(r.group, IpAddr::V4(Ipv4Addr::new(239, 1, 1, 1)));
        assert_eq!(r.originator, IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        assert!(r.flags.v2() && !r.flags.v3());
        assert_eq!(r.flags.0, 0x82);
        assert_eq!(r.encoded_len(), v.len());
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);
        let no_group = hex("0000fde800000001 00000000 00 00 20 c0000201 82");
        assert!(matches!(
            SmetRoute::decode(&no_group),
            Err(Error::InvalidIpLength {
                offset: 13,
                bits: 0,
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
