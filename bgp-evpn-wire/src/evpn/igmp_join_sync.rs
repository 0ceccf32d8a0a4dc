//! Route type 7: Multicast Membership Report Synch, a.k.a. IGMP Join Synch
//! (RFC 9251 section 9.2). Synchronizes IGMP/MLD join state between the
//! PEs of a multi-homed Ethernet segment.
//!
//! ```text
//! +--------------------------------------------------+
//! |  RD (8 octets)                                   |
//! +--------------------------------------------------+
//! |  Ethernet Segment Identifier (10 octets)         |
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
use crate::types::{Esi, EthernetTag, RouteDistinguisher};

/// An IGMP (or MLD) Join Synch route.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpJoinSyncRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Segment Identifier of the segment the join came in on.
    pub esi: Esi,
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

impl IgmpJoinSyncRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 7;

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let route = IgmpJoinSyncRoute {
            rd: RouteDistinguisher::read(&mut cur)?,
            esi: Esi::read(&mut cur)?,
            ethernet_tag: EthernetTag::read(&mut cur)?,
            source: cur.opt_ip_with_len("multicast source address")?,
            group: cur.ip_with_len("multicast group address")?,
            originator: cur.ip_with_len("originator router address")?,
            flags: MulticastFlags(cur.u8("flags")?),
        };
        cur.finish("IGMP Join Synch route")?;
        Ok(route)
    }

    /// Length of the route value.
    pub fn encoded_len(&self) -> usize {
        8 + 10
            + 4
            + ip_field_len(self.source.as_ref())
            + ip_field_len(Some(&self.group))
            + ip_field_len(Some(&self.originator))
            + 1
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.esi.encode(buf);
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
    use crate::evpn::mac_ip::tests::arb_ip;
    use crate::test_util::{check_roundtrip, hex};
    use crate::types::esi::tests::arb_esi;
    use crate::types::rd::tests::arb_rd;
    use core::net::Ipv4Addr;
    use proptest::prelude::*;

    pub(crate) fn arb_route() -> impl Strategy<Value = IgmpJoinSyncRoute> {
        (
            arb_rd(),
            arb_esi(),
            any::<u32>(),
            proptest::option::of(arb_ip()),
            arb_ip(),
            arb_ip(),
            any::<u8>(),
        )
            .prop_map(|(rd, esi, tag, source, group, originator, flags)| {
                IgmpJoinSyncRoute {
                    rd,
                    esi,
                    ethernet_tag: EthernetTag(tag),
                    source,
                    group,
                    originator,
                    flags: MulticastFlags(flags),
                }
            })
    }

    #[test]
    fn s_g_igmpv3_include() {
        // (10.0.0.9, 232.1.1.1), ESI type 0 ...01, originator 192.0.2.3, IGMPv3 include.
        let v = hex(
            "0000fde800000001 00000000000000000001 0000000a 20 0a000009 20 e8010101 20 c0000203 04",
        );
        let r = IgmpJoinSyncRoute::decode(&v).unwrap();
        assert_eq!(r.source, Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9))));
        assert_eq!(r.group, IpAddr::V4(Ipv4Addr::new(232, 1, 1, 1)));
        assert_eq!(r.ethernet_tag, EthernetTag(10));
        assert!(r.flags.v3() && !r.flags.exclude());
        assert_eq!(r.encoded_len(), v.len());
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);
        assert!(IgmpJoinSyncRoute::decode(&v[..v.len() - 1]).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(r in arb_route()) {
            check_roundtrip(&r)?;
        }
    }
}
