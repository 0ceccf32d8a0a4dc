//! Route type 2: MAC/IP Advertisement (RFC 7432 section 7.2).
//!
//! ```text
//! +---------------------------------------+
//! |  RD (8 octets)                        |
//! +---------------------------------------+
//! |Ethernet Segment Identifier (10 octets)|
//! +---------------------------------------+
//! |  Ethernet Tag ID (4 octets)           |
//! +---------------------------------------+
//! |  MAC Address Length (1 octet) = 48    |
//! +---------------------------------------+
//! |  MAC Address (6 octets)               |
//! +---------------------------------------+
//! |  IP Address Length (1 octet) 0/32/128 |
//! +---------------------------------------+
//! |  IP Address (0, 4, or 16 octets)      |
//! +---------------------------------------+
//! |  MPLS Label1 (3 octets)               |
//! +---------------------------------------+
//! |  MPLS Label2 (0 or 3 octets)          |
//! +---------------------------------------+
//! ```

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::BufMut;
use macaddr::MacAddr6;

use crate::error::{Error, Result, Section};
use crate::evpn::label_u24;
use crate::parse::{Cursor, ip_field_len, put_ip_with_len};
use crate::types::{Esi, EthernetTag, LabelField, RouteDistinguisher};

/// A MAC/IP Advertisement route.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MacIpRoute {
    /// Route Distinguisher.
    pub rd: RouteDistinguisher,
    /// Ethernet Segment Identifier ([`Esi::ZERO`] when single-homed).
    pub esi: Esi,
    /// Ethernet Tag ID.
    pub ethernet_tag: EthernetTag,
    /// The MAC address (length 48 bits on the wire).
    pub mac: MacAddr6,
    /// The IP address bound to the MAC, if any.
    pub ip: Option<IpAddr>,
    /// Label1: the L2 label (MPLS) or L2 VNI (VXLAN).
    pub label1: LabelField,
    /// Label2: the L3 label / L3 VNI (symmetric IRB, RFC 9135), if present.
    pub label2: Option<LabelField>,
}

impl MacIpRoute {
    /// Route type code.
    pub const ROUTE_TYPE: u8 = 2;

    /// Length of the smallest well-formed value (no IP, one label).
    pub(crate) const MIN_LEN: usize = 33;

    /// A route with no IP address and no second label.
    pub fn new(
        rd: RouteDistinguisher,
        ethernet_tag: EthernetTag,
        mac: MacAddr6,
        label1: LabelField,
    ) -> Self {
        MacIpRoute {
            rd,
            esi: Esi::ZERO,
            ethernet_tag,
            mac,
            ip: None,
            label1,
            label2: None,
        }
    }

    /// The key a RIB indexes MAC/IP routes of one EVI by.
    pub fn key(&self) -> (EthernetTag, MacAddr6, Option<IpAddr>) {
        (self.ethernet_tag, self.mac, self.ip)
    }

    /// Decodes a route value (without the type and length octets).
    /// Offsets in errors are relative to `value`.
    pub fn decode(value: &[u8]) -> Result<Self> {
        Self::decode_at(value, 0)
    }

    #[inline]
    pub(crate) fn decode_at(value: &[u8], base: usize) -> Result<Self> {
        match Self::decode_fast(value) {
            Some(r) => Ok(r),
            None => Self::decode_checked(value, base),
        }
    }

    /// The well-formed case at fixed offsets, in one pass over the bytes;
    /// `None` for anything [`Self::decode_checked`] must look at (it then
    /// finds the error, or the same route).
    #[inline(always)]
    pub(crate) fn decode_fast(value: &[u8]) -> Option<Self> {
        Self::decode_fast_with(value, |e| Some(Esi::from_array_ref(e)))
    }

    /// [`Self::decode_fast`] with the ESI made by `esi` from its 10
    /// octets, `None` when `esi` declines them (the caller passes a
    /// one-variant constructor for the type it checked, so the route is
    /// built with one layout).
    #[inline(always)]
    pub(crate) fn decode_fast_with(
        value: &[u8],
        esi: impl FnOnce(&[u8; 10]) -> Option<Esi>,
    ) -> Option<Self> {
        let (head, rest) = value.split_first_chunk::<30>()?;
        if head[22] != 48 {
            return None;
        }
        let (ip, rest) = match head[29] {
            0 => (None, rest),
            32 => {
                let (a, r) = rest.split_first_chunk::<4>()?;
                (Some(IpAddr::V4(Ipv4Addr::from(*a))), r)
            }
            128 => {
                let (a, r) = rest.split_first_chunk::<16>()?;
                (Some(IpAddr::V6(Ipv6Addr::from(*a))), r)
            }
            _ => return None,
        };
        // Each label as the low 3 octets of the word that ends with it,
        // taken apart in registers (a 3-octet copy is stored as a byte and
        // a word, which wider loads of the route then wait for).
        let label_at = |end: usize| -> Option<LabelField> {
            let w = u32::from_be_bytes(*value.get(..end)?.last_chunk::<4>()?);
            let [_, a, b, c] = w.to_be_bytes();
            Some(LabelField([a, b, c]))
        };
        let n = value.len();
        let (label1, label2) = match rest.len() {
            3 => (label_at(n)?, None),
            6 => (label_at(n - 3)?, Some(label_at(n)?)),
            _ => return None,
        };
        let (rd, h) = head.split_first_chunk::<8>()?;
        let (esi_bytes, h) = h.split_first_chunk::<10>()?;
        let (tag, h) = h.split_first_chunk::<4>()?;
        let mac: [u8; 6] = *h.get(1..7)?.first_chunk::<6>()?;
        Some(MacIpRoute {
            rd: RouteDistinguisher::from_array_ref(rd),
            esi: esi(esi_bytes)?,
            ethernet_tag: EthernetTag(u32::from_be_bytes(*tag)),
            mac: MacAddr6::from(mac),
            ip,
            label1,
            label2,
        })
    }

    /// A 37-octet value (MAC, IPv4 address, one label) with a type-0 ESI
    /// at fixed offsets; `None` for anything else.
    #[inline(always)]
    pub(crate) fn decode_v4_one_label_esi0(value: &[u8]) -> Option<Self> {
        let v: &[u8; 37] = value.try_into().ok()?;
        let (rd, r) = v.split_first_chunk::<8>()?;
        let (esi, r) = r.split_first_chunk::<10>()?;
        let (tag, r) = r.split_first_chunk::<4>()?;
        let (&mac_len, r) = r.split_first()?;
        let (mac, r) = r.split_first_chunk::<6>()?;
        let (&ip_len, r) = r.split_first()?;
        let (ip, _) = r.split_first_chunk::<4>()?;
        let [0, esi @ ..] = *esi else {
            return None;
        };
        if mac_len != 48 || ip_len != 32 {
            return None;
        }
        // The label as the low 3 octets of the last word (see the IP
        // Prefix decoder).
        let [_, l0, l1, l2] = u32::from_be_bytes(*v.last_chunk::<4>()?).to_be_bytes();
        Some(MacIpRoute {
            rd: RouteDistinguisher::from_array_ref(rd),
            esi: Esi::Arbitrary(esi),
            ethernet_tag: EthernetTag(u32::from_be_bytes(*tag)),
            mac: MacAddr6::from(*mac),
            ip: Some(IpAddr::V4(Ipv4Addr::from(*ip))),
            label1: LabelField([l0, l1, l2]),
            label2: None,
        })
    }

    #[cold]
    #[inline(never)]
    fn decode_checked(value: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Nlri);
        let rd = RouteDistinguisher::read(&mut cur)?;
        let esi = Esi::read(&mut cur)?;
        let ethernet_tag = EthernetTag::read(&mut cur)?;
        let at = cur.offset();
        let mac_len = cur.u8("MAC address length")?;
        if mac_len != 48 {
            return Err(Error::InvalidMacLength {
                offset: at,
                bits: mac_len,
            });
        }
        let mac = cur.mac("MAC address")?;
        let ip = cur.opt_ip_with_len("IP address")?;
        let label1 = LabelField::read(&mut cur)?;
        let label2 = match cur.remaining() {
            0 => None,
            3 => Some(LabelField::read(&mut cur)?),
            _ => {
                return Err(Error::InvalidRouteLength {
                    offset: base,
                    route_type: Self::ROUTE_TYPE,
                    len: value.len(),
                    expected: "33, 36, 37, 40, 49 or 52",
                });
            }
        };
        Ok(MacIpRoute {
            rd,
            esi,
            ethernet_tag,
            mac,
            ip,
            label1,
            label2,
        })
    }

    /// Length of the route value.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        8 + 10 + 4 + 1 + 6 + ip_field_len(self.ip.as_ref()) + 3 + self.label2.map_or(0, |_| 3)
    }

    /// Writes the whole NLRI (type, length, value) in a few wide stores
    /// of words computed from the fields: the first 32 octets (type
    /// through IP length) as two `u128`, then the IP and labels.
    #[inline(always)]
    pub(crate) fn put_nlri<B: BufMut>(&self, buf: &mut B) {
        let esi = self.esi.wire_bits();
        let m = self.mac.as_bytes();
        let mac = u64::from_be_bytes([0, 0, m[0], m[1], m[2], m[3], m[4], m[5]]);
        let ip_len: u8 = match self.ip {
            None => 0,
            Some(IpAddr::V4(_)) => 32,
            Some(IpAddr::V6(_)) => 128,
        };
        let w0 = (u128::from(Self::ROUTE_TYPE) << 120)
            | ((self.encoded_len() as u128) << 112)
            | (u128::from(self.rd.to_u64()) << 48)
            | (esi >> 32);
        let w1 = ((esi & 0xffff_ffff) << 96)
            | (u128::from(self.ethernet_tag.0) << 64)
            | (48 << 56)
            | (u128::from(mac) << 8)
            | u128::from(ip_len);
        buf.put_u128(w0);
        buf.put_u128(w1);
        let l1 = u64::from(label_u24(self.label1));
        // Label1, then Label2 if present: 3 or 6 octets.
        let (labels, labels_len) = match self.label2 {
            None => (l1, 3),
            Some(l2) => ((l1 << 24) | u64::from(label_u24(l2)), 6),
        };
        match self.ip {
            None => buf.put_uint(labels, labels_len),
            Some(IpAddr::V4(a)) => {
                if labels_len == 3 {
                    buf.put_uint((u64::from(a.to_bits()) << 24) | labels, 7);
                } else {
                    buf.put_u32(a.to_bits());
                    buf.put_uint(labels, 6);
                }
            }
            Some(IpAddr::V6(a)) => {
                buf.put_u128(a.to_bits());
                buf.put_uint(labels, labels_len);
            }
        }
    }

    /// Writes the route value (without the type and length octets).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        self.rd.encode(buf);
        self.esi.encode(buf);
        self.ethernet_tag.encode(buf);
        buf.put_u8(48);
        buf.put_slice(self.mac.as_bytes());
        put_ip_with_len(buf, self.ip.as_ref());
        self.label1.encode(buf);
        if let Some(l) = &self.label2 {
            l.encode(buf);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::{arb_mac, check_roundtrip_body, hex};
    use crate::types::esi::tests::arb_esi;
    use crate::types::rd::tests::arb_rd;
    use proptest::prelude::*;

    pub(crate) fn arb_ip() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(|a| IpAddr::V4(Ipv4Addr::from(a))),
            any::<[u8; 16]>().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
        ]
    }

    pub(crate) fn arb_route() -> impl Strategy<Value = MacIpRoute> {
        (
            arb_rd(),
            arb_esi(),
            any::<u32>(),
            arb_mac(),
            proptest::option::of(arb_ip()),
            any::<[u8; 3]>(),
            proptest::option::of(any::<[u8; 3]>()),
        )
            .prop_map(|(rd, esi, tag, mac, ip, l1, l2)| MacIpRoute {
                rd,
                esi,
                ethernet_tag: EthernetTag(tag),
                mac,
                ip,
                label1: LabelField(l1),
                label2: l2.map(LabelField),
            })
    }

    #[test]
    fn mac_only_and_mac_ipv4_two_labels() {
        // RD 65000:1, zero ESI, tag 0, MAC 00:11:22:33:44:55, no IP, VNI 10100.
        let v = hex("0000fde800000001 00000000000000000000 00000000 30 001122334455 00 002774");
        let r = MacIpRoute::decode(&v).unwrap();
        assert_eq!(r.mac, MacAddr6::new(0, 0x11, 0x22, 0x33, 0x44, 0x55));
        assert_eq!(r.ip, None);
        assert_eq!(r.label1.vni(), 10100);
        assert_eq!(r.label2, None);
        assert_eq!(r.encoded_len(), 33);
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, v);

        // Same with IPv4 10.0.0.5 and an L3 VNI 50000 (0x00c350).
        let v = hex(
            "0000fde800000001 00000000000000000000 00000064 30 001122334455 20 0a000005 002774 00c350",
        );
        let r = MacIpRoute::decode(&v).unwrap();
        assert_eq!(r.ip, Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5))));
        assert_eq!(r.label2.unwrap().vni(), 50000);
        assert_eq!(
            r.key(),
            (
                EthernetTag(100),
                r.mac,
                Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5)))
            )
        );
        assert_eq!(r.encoded_len(), 40);
    }

    #[test]
    fn rejects_bad_lengths() {
        let bad_mac =
            hex("0000fde800000001 00000000000000000000 00000000 2f 001122334455 00 002774");
        assert_eq!(
            MacIpRoute::decode(&bad_mac),
            Err(Error::InvalidMacLength {
                offset: 22,
                bits: 47
            })
        );
        let bad_ip =
            hex("0000fde800000001 00000000000000000000 00000000 30 001122334455 18 0a0000 002774");
        assert!(matches!(
            MacIpRoute::decode(&bad_ip),
            Err(Error::InvalidIpLength {
                offset: 29,
                bits: 24,
                ..
            })
        ));
        let bad_tail =
            hex("0000fde800000001 00000000000000000000 00000000 30 001122334455 00 002774 00");
        assert!(matches!(
            MacIpRoute::decode(&bad_tail),
            Err(Error::InvalidRouteLength { len: 34, .. })
        ));
    }

    proptest! {
        #[test]
        fn roundtrip(r in arb_route()) {
            check_roundtrip_body(&r)?;
        }

        /// The fixed-offset decoders give what the field-by-field decoder
        /// gives (or decline), on encodings with a few octets changed too;
        /// half of the routes have the layout of the 37-octet one.
        #[test]
        fn fast_decoders_agree_with_the_checked_one(
            mut r in arb_route(),
            usual in any::<bool>(),
            v4 in any::<[u8; 4]>(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
        ) {
            if usual {
                r.esi = Esi::ZERO;
                r.ip = Some(IpAddr::V4(Ipv4Addr::from(v4)));
                r.label2 = None;
            }
            let mut b = Vec::new();
            r.encode(&mut b);
            for (at, byte) in edits {
                let i = at % b.len();
                b[i] = byte;
            }
            let checked = MacIpRoute::decode_checked(&b, 0);
            if let Some(fast) = MacIpRoute::decode_fast(&b) {
                prop_assert_eq!(Ok(&fast), checked.as_ref());
            }
            if let Some(fast) = MacIpRoute::decode_v4_one_label_esi0(&b) {
                prop_assert_eq!(b.len(), 37);
                prop_assert_eq!(b[8], 0);
                prop_assert_eq!(Ok(&fast), checked.as_ref());
            }
        }
    }
}
