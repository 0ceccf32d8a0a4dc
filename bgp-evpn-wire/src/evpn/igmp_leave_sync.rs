//! Route type 8: Multicast Leave Synch, a.k.a. IGMP Leave Synch
//! (RFC 9251 section 9.3). Synchronizes IGMP/MLD leave state between the
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
//! |  Leave Group Synchronization # (4 octets)        |
//! +--------------------------------------------------+
//! |  Maximum Response Time (1 octet)                 |
//! +--------------------------------------------------+
//! |  Flags (1 octet)                                 |
//! +--------------------------------------------------+
//! ```
//!
//! Some speakers (e.g. the route in ExaBGP's QA decoding corpus) send the
//! route without the trailing Flags octet, as earlier drafts of RFC 9251
//! did; such a route decodes with `flags: None` and re-encodes unchanged.

use core::net::IpAddr;

use bytes::BufMut;

use super::multicast::MulticastFlags;
use crate::error::{Result, Section};
use crate::parse::{Cursor, ip_field_len, put_ip_with_len};
use crate::types::{Esi, EthernetTag, RouteDistinguisher};

/// An IGMP (or MLD) Leave Synch route.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IgmpLeaveSyncRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Segment Identifier of the segment the leave came in on.
    pub esi: Esi,
    /// Ethernet Tag ID.
    pub ethernet_tag: EthernetTag,
    /// Multicast source; `None` for (*,G).
    pub source: Option<IpAddr>,
    /// Multicast group.
    pub group: IpAddr,
    /// Originator router address.
    pub originator: IpAddr,
    /// Leave Group Synchronization sequence number.
    pub leave_group_sync: u32,
    /// Maximum Response Time, as in the IGMP/MLD query.
    pub max_response_time: u8,
    /// IGMP/MLD version and exclude flags; `None` when the octet is absent.
    pub flags: Option<MulticastFlags>,
}

impl IgmpLeaveSyncRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 8;

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let route = IgmpLeaveSyncRoute {
            rd: RouteDistinguisher::read(&mut cur)?,
            esi: Esi::read(&mut cur)?,
            ethernet_tag: EthernetTag::read(&mut cur)?,
            source: cur.opt_ip_with_len("multicast source address")?,
            group: cur.ip_with_len("multicast group address")?,
            originator: cur.ip_with_len("originator router address")?,
            leave_group_sync: cur.u32("leave group synchronization number")?,
            max_response_time: cur.u8("maximum response time")?,
            flags: None,
        };
        let route = if cur.remaining() > 0 {
            IgmpLeaveSyncRoute {
                flags: Some(MulticastFlags(cur.u8("flags")?)),
                ..route
            }
        } else {
            route
        };
        cur.finish("IGMP Leave Synch route")?;
        Ok(route)
    }

    /// Length of the route value.
    pub fn encoded_len(&self) -> usize {
        8 + 10
            + 4
            + ip_field_len(self.source.as_ref())
            + ip_field_len(Some(&self.group))
            + ip_field_len(Some(&self.originator))
            + 4
            + 1
            + usize::from(self.flags.is_some())
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.esi.encode(buf);
        self.ethernet_tag.encode(buf);
        put_ip_with_len(buf, self.source.as_ref());
        put_ip_with_len(buf, Some(&self.group));
        put_ip_with_len(buf, Some(&self.originator));
        buf.put_u32(self.leave_group_sync);
        buf.put_u8(self.max_response_time);
        if let Some(flags) = self.flags {
            buf.put_u8(flags.0);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::evpn::mac_ip::tests::arb_ip;
    use crate::test_util::{check_roundtrip_body, hex};
    use crate::types::esi::tests::arb_esi;
    use crate::types::rd::tests::arb_rd;
    use core::net::Ipv6Addr;
    use proptest::prelude::*;

    pub(crate) fn arb_route() -> impl Strategy<Value = IgmpLeaveSyncRoute> {
        (
            (arb_rd(), arb_esi(), any::<u32>()),
            (proptest::option::of(arb_ip()), arb_ip(), arb_ip()),
            (any::<u32>(), any::<u8>(), proptest::option::of(any::<u8>())),
        )
            .prop_map(
                |((rd, esi, tag), (source, group, originator), (seq, mrt, flags))| {
                    IgmpLeaveSyncRoute {
                        rd,
                        esi,
                        ethernet_tag: EthernetTag(tag),
                        source,
                        group,
                        originator,
                        leave_group_sync: seq,
                        max_response_time: mrt,
                        flags: flags.map(MulticastFlags),
                    }
                },
            )
    }

    #[test]
    fn mld_star_g() {
        // (*, ff0e::1) MLDv2 from 2001:db8::2, sync #7, max response time 100.
        let v = hex("0000fde800000001 00000000000000000000 00000000 00 \
             80 ff0e0000000000000000000000000001 80 20010db8000000000000000000000002 \
             00000007 64 02");
        let r = IgmpLeaveSyncRoute::decode(&v).unwrap();
        assert_eq!(r.source, None);
        assert_eq!(
            r.group,
            IpAddr::V6(Ipv6Addr::new(0xff0e, 0, 0, 0, 0, 0, 0, 1))
        );
        assert_eq!(r.leave_group_sync, 7);
        assert_eq!(r.max_response_time, 100);
        assert!(r.flags.unwrap().v2());
        assert_eq!(r.encoded_len(), v.len());
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);
        // Without the Flags octet.
        let short = &v[..v.len() - 1];
        let r = IgmpLeaveSyncRoute::decode(short).unwrap();
        assert_eq!(r.flags, None);
        assert_eq!(r.encoded_len(), short.len());
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, short);
    }

    proptest! {
        #[test]
        fn roundtrip(r in arb_route()) {
            check_roundtrip_body(&r)?;
        }
    }
}
