//! Route type 1: Ethernet Auto-discovery (RFC 7432 section 7.1).
//!
//! ```text
//! +---------------------------------------+
//! |  Route Distinguisher (RD) (8 octets)  |
//! +---------------------------------------+
//! |Ethernet Segment Identifier (10 octets)|
//! +---------------------------------------+
//! |  Ethernet Tag ID (4 octets)           |
//! +---------------------------------------+
//! |  MPLS Label (3 octets)                |
//! +---------------------------------------+
//! ```

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;
use crate::types::{Esi, EthernetTag, LabelField, RouteDistinguisher};

/// An Ethernet A-D route (per-ES with [`EthernetTag::MAX_ET`], or per-EVI).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EthernetAdRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Segment Identifier.
    pub esi: Esi,
    /// Ethernet Tag ID.
    pub ethernet_tag: EthernetTag,
    /// MPLS label (or VNI, RFC 8365).
    pub label: LabelField,
}

impl EthernetAdRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 1;
    /// Length of the route value.
    pub const LEN: usize = 25;

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        if value.len() != Self::LEN {
            return Err(Error::InvalidRouteLength {
                offset: base,
                route_type: Self::ROUTE_TYPE,
                len: value.len(),
                expected: "25",
            });
        }
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let route = EthernetAdRoute {
            rd: RouteDistinguisher::read(&mut cur)?,
            esi: Esi::read(&mut cur)?,
            ethernet_tag: EthernetTag::read(&mut cur)?,
            label: LabelField::read(&mut cur)?,
        };
        cur.finish("Ethernet A-D route")?;
        Ok(route)
    }

    /// Length of the route value.
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.esi.encode(buf);
        self.ethernet_tag.encode(buf);
        self.label.encode(buf);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::{check_roundtrip, hex};
    use crate::types::esi::tests::arb_esi;
    use crate::types::rd::tests::arb_rd;
    use core::net::Ipv4Addr;
    use proptest::prelude::*;

    pub(crate) fn arb_route() -> impl Strategy<Value = EthernetAdRoute> {
        (arb_rd(), arb_esi(), any::<u32>(), any::<[u8; 3]>()).prop_map(|(rd, esi, tag, l)| {
            EthernetAdRoute {
                rd,
                esi,
                ethernet_tag: EthernetTag(tag),
                label: LabelField(l),
            }
        })
    }

    #[test]
    fn per_es_route() {
        // RD 192.0.2.1:1, ESI type 3, MAX-ET, label 0.
        let v = hex("0001c00002010001 03aabbccddeeff000001 ffffffff 000000");
        let r = EthernetAdRoute::decode(&v).unwrap();
        assert_eq!(
            r.rd,
            RouteDistinguisher::Ipv4 {
                addr: Ipv4Addr::new(192, 0, 2, 1),
                number: 1
            }
        );
        assert_eq!(r.esi.esi_type(), 3);
        assert_eq!(r.ethernet_tag, EthernetTag::MAX_ET);
        assert_eq!(r.label.mpls_label(), 0);
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);
        assert!(matches!(
            EthernetAdRoute::decode(&v[..24]),
            Err(Error::InvalidRouteLength { len: 24, .. })
        ));
    }

    proptest! {
        #[test]
        fn roundtrip(r in arb_route()) {
            check_roundtrip(&r)?;
        }
    }
}
