//! The outer IPv6 header and its extension headers.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version| Traffic Class |           Flow Label                  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Payload Length        |  Next Header  |   Hop Limit   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                 Source Address (16 bytes)                     |
//! |                 Destination Address (16 bytes)                |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Next Header   |  Hdr Ext Len  |  data ...   (extension headers:
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-   hop-by-hop 0, routing 43,
//!                                              fragment 44, dest opts 60,
//!                                              AH 51)
//! ```
//!
//! Next Header fields and length fields are derived on encode from the list
//! of extension headers and the upper-layer protocol.

use alloc::vec::Vec;
use core::net::Ipv6Addr;

use bytes::BufMut;

use crate::Error;
use crate::error::{Layer, rd};

/// Length of the fixed IPv6 header.
pub const IPV6_HEADER_LEN: usize = 40;

/// The extension headers this crate walks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Ipv6ExtKind {
    /// Hop-by-hop options, 0.
    HopByHop,
    /// Routing, 43.
    Routing,
    /// Fragment, 44.
    Fragment,
    /// Destination options, 60.
    DestinationOptions,
    /// Authentication header, 51.
    Authentication,
}

impl Ipv6ExtKind {
    /// From a Next Header value, if it is one of the walked kinds.
    pub const fn from_next_header(v: u8) -> Option<Self> {
        Some(match v {
            0 => Ipv6ExtKind::HopByHop,
            43 => Ipv6ExtKind::Routing,
            44 => Ipv6ExtKind::Fragment,
            60 => Ipv6ExtKind::DestinationOptions,
            51 => Ipv6ExtKind::Authentication,
            _ => return None,
        })
    }

    /// The Next Header value that announces this kind.
    pub const fn next_header(self) -> u8 {
        match self {
            Ipv6ExtKind::HopByHop => 0,
            Ipv6ExtKind::Routing => 43,
            Ipv6ExtKind::Fragment => 44,
            Ipv6ExtKind::DestinationOptions => 60,
            Ipv6ExtKind::Authentication => 51,
        }
    }

    /// Total wire length of an extension header of this kind whose second
    /// byte is `len_byte`.
    const fn wire_len(self, len_byte: u8) -> usize {
        match self {
            Ipv6ExtKind::Fragment => 8,
            Ipv6ExtKind::Authentication => (len_byte as usize + 2) * 4,
            _ => (len_byte as usize + 1) * 8,
        }
    }
}

/// One extension header, without its Next Header byte and, except for the
/// fragment header, without its length byte (both derived on encode).
///
/// For the fragment header, `data()` is the 7 bytes after Next Header
/// (reserved byte, offset/flags, identification).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "ExtRepr", into = "ExtRepr"))]
pub struct Ipv6ExtHeader {
    kind: Ipv6ExtKind,
    data: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct ExtRepr {
    kind: Ipv6ExtKind,
    #[serde(with = "crate::serde_util::hex")]
    data: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<ExtRepr> for Ipv6ExtHeader {
    type Error = Error;
    fn try_from(r: ExtRepr) -> Result<Self, Error> {
        Ipv6ExtHeader::new(r.kind, r.data)
    }
}

#[cfg(feature = "serde")]
impl From<Ipv6ExtHeader> for ExtRepr {
    fn from(h: Ipv6ExtHeader) -> Self {
        ExtRepr {
            kind: h.kind,
            data: h.data,
        }
    }
}

impl Ipv6ExtHeader {
    /// Validates the data length for the kind: fragment exactly 7 bytes;
    /// AH `data.len() + 2` a multiple of 4 between 8 and 1028; the others
    /// `data.len() + 2` a multiple of 8 up to 2048.
    pub fn new(kind: Ipv6ExtKind, data: Vec<u8>) -> Result<Self, Error> {
        let total = data.len() + 2;
        let ok = match kind {
            Ipv6ExtKind::Fragment => data.len() == 7,
            Ipv6ExtKind::Authentication => {
                total.is_multiple_of(4) && (8..=257 * 4).contains(&total)
            }
            _ => total.is_multiple_of(8) && total <= 256 * 8,
        };
        if !ok {
            return Err(Error::InvalidLength {
                field: "IPv6 extension header data",
                len: data.len(),
                expected: "fragment: 7; AH: 6 + 4n (n <= 255); others: 6 + 8n (n <= 255)",
            });
        }
        Ok(Ipv6ExtHeader { kind, data })
    }

    /// Which extension header.
    pub fn kind(&self) -> Ipv6ExtKind {
        self.kind
    }

    /// The bytes kept (see the type docs).
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Wire length.
    pub fn encoded_len(&self) -> usize {
        match self.kind {
            Ipv6ExtKind::Fragment => 8,
            _ => self.data.len() + 2,
        }
    }

    /// For a fragment header: (fragment offset in 8-byte units, M flag).
    pub fn fragment(&self) -> Option<(u16, bool)> {
        match (self.kind, self.data.get(1..3)) {
            (Ipv6ExtKind::Fragment, Some(&[a, b])) => {
                Some((u16::from_be_bytes([a, b]) >> 3, b & 1 != 0))
            }
            _ => None,
        }
    }

    fn encode(&self, next: u8, out: &mut impl BufMut) {
        out.put_u8(next);
        match self.kind {
            Ipv6ExtKind::Fragment => {}
            Ipv6ExtKind::Authentication => out.put_u8(((self.data.len() + 2) / 4 - 2) as u8),
            _ => out.put_u8(((self.data.len() + 2) / 8 - 1) as u8),
        }
        out.put_slice(&self.data);
    }
}

/// The non-derived fields of an IPv6 header, with its extension headers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ipv6Header {
    /// Traffic class: DSCP (high 6 bits) and ECN (low 2 bits).
    pub traffic_class: u8,
    /// Flow label; only the low 20 bits are written.
    pub flow_label: u32,
    /// Hop limit.
    pub hop_limit: u8,
    /// Source address.
    pub src: Ipv6Addr,
    /// Destination address.
    pub dst: Ipv6Addr,
    /// Extension headers in wire order.
    pub extensions: Vec<Ipv6ExtHeader>,
}

/// The derived facts the decoder found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv6Info {
    /// The first Next Header value that is not a walked extension header.
    pub protocol: u8,
    /// Fixed header plus extension headers.
    pub header_len: usize,
    /// Payload Length field.
    pub payload_len: usize,
    /// Fragment header values (offset in 8-byte units, M flag), if present.
    pub fragment: Option<(u16, bool)>,
}

/// Walks the header at `buf[off..]` without copying. Stops at the first
/// non-extension Next Header, or right after a fragment header whose offset
/// is not zero (what follows is not a header then).
#[inline]
pub(crate) fn check_at(buf: &[u8], off: usize) -> Result<Ipv6Info, Error> {
    walk_at(buf, off, |_, _| {})
}

pub(crate) fn walk_at(
    buf: &[u8],
    off: usize,
    mut each: impl FnMut(Ipv6ExtKind, &[u8]),
) -> Result<Ipv6Info, Error> {
    let h: [u8; IPV6_HEADER_LEN] = rd::array(buf, off, Layer::Ipv6Header)?;
    let version = h[0] >> 4;
    if version != 6 {
        return Err(Error::IpVersionMismatch {
            offset: off,
            expected: 6,
            found: version,
        });
    }
    let payload_len = usize::from(u16::from_be_bytes([h[4], h[5]]));
    let end = off + IPV6_HEADER_LEN + payload_len;
    rd::slice(
        buf,
        off,
        off,
        IPV6_HEADER_LEN + payload_len,
        Layer::Ipv6Payload,
    )?;
    let mut next = h[6];
    let mut pos = off + IPV6_HEADER_LEN;
    let mut fragment = None;
    while let Some(kind) = Ipv6ExtKind::from_next_header(next) {
        let min = if kind == Ipv6ExtKind::Fragment { 8 } else { 2 };
        if end - pos < min {
            return Err(Error::Ipv6ExtensionLength {
                offset: pos,
                needed: min,
                available: end - pos,
            });
        }
        let len = kind.wire_len(rd::byte(buf, pos + 1));
        if end - pos < len {
            return Err(Error::Ipv6ExtensionLength {
                offset: pos,
                needed: len,
                available: end - pos,
            });
        }
        let whole = buf.get(pos..pos + len).unwrap_or(&[]);
        next = rd::byte(buf, pos);
        pos += len;
        if kind == Ipv6ExtKind::Fragment {
            let fo = rd::be16(whole, 2);
            each(kind, whole);
            fragment = Some((fo >> 3, fo & 1 != 0));
            if fo >> 3 != 0 {
                break;
            }
        } else {
            each(kind, whole);
        }
    }
    Ok(Ipv6Info {
        protocol: next,
        header_len: pos - off,
        payload_len,
        fragment,
    })
}

impl Ipv6Header {
    /// A header with hop limit 64 and nothing else set.
    pub const fn new(src: Ipv6Addr, dst: Ipv6Addr) -> Self {
        Ipv6Header {
            traffic_class: 0,
            flow_label: 0,
            hop_limit: 64,
            src,
            dst,
            extensions: Vec::new(),
        }
    }

    /// Fixed header plus extension headers.
    pub fn header_len(&self) -> usize {
        IPV6_HEADER_LEN
            + self
                .extensions
                .iter()
                .map(Ipv6ExtHeader::encoded_len)
                .sum::<usize>()
    }

    /// The destination the upper-layer pseudo-header uses (RFC 8200 8.1):
    /// the final destination of a routing header that still has segments
    /// left (types 0 and 2: its last address; type 4, SRH: segment 0),
    /// otherwise `dst`.
    pub fn pseudo_header_dst(&self) -> Ipv6Addr {
        for e in &self.extensions {
            if e.kind != Ipv6ExtKind::Routing {
                continue;
            }
            let (ty, left) = (rd::byte(&e.data, 0), rd::byte(&e.data, 1));
            if left == 0 {
                continue;
            }
            let addr = match ty {
                0 | 2 => e.data.len().checked_sub(16).and_then(|s| e.data.get(s..)),
                4 => e.data.get(6..22),
                _ => None,
            };
            if let Some(a) = addr.and_then(|a| <[u8; 16]>::try_from(a).ok()) {
                return Ipv6Addr::from(a);
            }
        }
        self.dst
    }

    /// Decodes the header at the start of `buf`, walking extension headers.
    pub fn decode(buf: &[u8]) -> Result<(Ipv6Header, Ipv6Info), Error> {
        Self::decode_at(buf, 0)
    }

    pub(crate) fn decode_at(buf: &[u8], off: usize) -> Result<(Ipv6Header, Ipv6Info), Error> {
        let mut extensions = Vec::new();
        let info = walk_at(buf, off, |kind, whole| {
            let data = match kind {
                Ipv6ExtKind::Fragment => whole.get(1..),
                _ => whole.get(2..),
            };
            extensions.push(Ipv6ExtHeader {
                kind,
                data: data.unwrap_or(&[]).to_vec(),
            });
        })?;
        let h: [u8; IPV6_HEADER_LEN] = rd::array(buf, off, Layer::Ipv6Header)?;
        let mut s = [0u8; 16];
        let mut d = [0u8; 16];
        s.copy_from_slice(&h[8..24]);
        d.copy_from_slice(&h[24..40]);
        Ok((
            Ipv6Header {
                traffic_class: (h[0] << 4) | (h[1] >> 4),
                flow_label: u32::from_be_bytes([0, h[1] & 0x0F, h[2], h[3]]),
                hop_limit: h[7],
                src: s.into(),
                dst: d.into(),
                extensions,
            },
            info,
        ))
    }

    /// Writes the header and its extension headers for an upper-layer
    /// payload of `upper_len` bytes carried as `protocol`. The caller keeps
    /// the payload length within 65535.
    pub fn encode(&self, protocol: u8, upper_len: usize, out: &mut impl BufMut) {
        let payload = (self.header_len() - IPV6_HEADER_LEN + upper_len) as u16;
        let first = self
            .extensions
            .first()
            .map_or(protocol, |e| e.kind.next_header());
        let vtf =
            (6u32 << 28) | (u32::from(self.traffic_class) << 20) | (self.flow_label & 0xF_FFFF);
        let mut h = [0u8; IPV6_HEADER_LEN];
        h[0..4].copy_from_slice(&vtf.to_be_bytes());
        h[4..6].copy_from_slice(&payload.to_be_bytes());
        h[6] = first;
        h[7] = self.hop_limit;
        h[8..24].copy_from_slice(&self.src.octets());
        h[24..40].copy_from_slice(&self.dst.octets());
        out.put_slice(&h);
        for (i, e) in self.extensions.iter().enumerate() {
            let next = self
                .extensions
                .get(i + 1)
                .map_or(protocol, |n| n.kind.next_header());
            e.encode(next, out);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v6(last: u8) -> Ipv6Addr {
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, u16::from(last))
    }

    #[test]
    fn fixed_header() {
        let mut h = Ipv6Header::new(v6(1), v6(2));
        h.traffic_class = 0xB8;
        h.flow_label = 0xABCDE;
        let mut out = Vec::new();
        h.encode(17, 8, &mut out);
        assert_eq!(&out[..8], &[0x6B, 0x8A, 0xBC, 0xDE, 0, 8, 17, 64]);
        out.extend_from_slice(&[0; 8]);
        let (back, info) = Ipv6Header::decode(&out).unwrap();
        assert_eq!(back, h);
        assert_eq!(
            info,
            Ipv6Info {
                protocol: 17,
                header_len: 40,
                payload_len: 8,
                fragment: None
            }
        );
    }

    #[test]
    fn extension_chain() {
        let mut h = Ipv6Header::new(v6(1), v6(2));
        h.extensions = alloc::vec![
            Ipv6ExtHeader::new(Ipv6ExtKind::HopByHop, alloc::vec![1, 4, 0, 0, 0, 0]).unwrap(),
            Ipv6ExtHeader::new(Ipv6ExtKind::DestinationOptions, alloc::vec![0; 14]).unwrap(),
            Ipv6ExtHeader::new(Ipv6ExtKind::Fragment, alloc::vec![0, 0, 0, 0, 0, 0, 7]).unwrap(),
            Ipv6ExtHeader::new(Ipv6ExtKind::Authentication, alloc::vec![0; 10]).unwrap(),
        ];
        let mut out = Vec::new();
        h.encode(17, 0, &mut out);
        assert_eq!(out.len(), h.header_len());
        assert_eq!(out[6], 0);
        assert_eq!(&out[40..42], &[60, 0]);
        assert_eq!(&out[48..50], &[44, 1]);
        assert_eq!(&out[64..66], &[51, 0]);
        assert_eq!(&out[72..74], &[17, 1]);
        let (back, info) = Ipv6Header::decode(&out).unwrap();
        assert_eq!(back, h);
        assert_eq!(info.protocol, 17);
        assert_eq!(info.fragment, Some((0, false)));
        assert_eq!(info.header_len, 40 + 8 + 16 + 8 + 12);
    }

    #[test]
    fn non_first_fragment_stops_the_walk() {
        let mut h = Ipv6Header::new(v6(1), v6(2));
        // offset 185 (x8 = 1480), M set
        h.extensions = alloc::vec![
            Ipv6ExtHeader::new(
                Ipv6ExtKind::Fragment,
                alloc::vec![0, 0x05, 0xC9, 0, 0, 0, 1]
            )
            .unwrap()
        ];
        assert_eq!(h.extensions[0].fragment(), Some((185, true)));
        let mut out = Vec::new();
        // pretend the payload starts with a hop-by-hop next header value
        h.encode(0, 8, &mut out);
        out.extend_from_slice(&[0xFF; 8]);
        let info = check_at(&out, 0).unwrap();
        assert_eq!(info.fragment, Some((185, true)));
        assert_eq!(info.protocol, 0);
        assert_eq!(info.header_len, 48);
    }

    #[test]
    fn malformed() {
        let mut h = Ipv6Header::new(v6(1), v6(2));
        h.extensions =
            alloc::vec![Ipv6ExtHeader::new(Ipv6ExtKind::Routing, alloc::vec![0; 22]).unwrap()];
        let mut out = Vec::new();
        h.encode(17, 0, &mut out);
        // Payload Length shorter than the routing header
        out[5] = 16;
        out.truncate(56);
        assert_eq!(
            check_at(&out, 0).unwrap_err(),
            Error::Ipv6ExtensionLength {
                offset: 40,
                needed: 24,
                available: 16
            }
        );
        out[5] = 1;
        assert_eq!(
            check_at(&out, 0).unwrap_err(),
            Error::Ipv6ExtensionLength {
                offset: 40,
                needed: 2,
                available: 1
            }
        );
        out[5] = 200;
        assert_eq!(
            check_at(&out, 0).unwrap_err(),
            Error::Truncated {
                layer: Layer::Ipv6Payload,
                offset: 0,
                needed: 240,
                available: 56
            }
        );
        out[0] = 0x45;
        assert_eq!(
            check_at(&out, 0).unwrap_err(),
            Error::IpVersionMismatch {
                offset: 0,
                expected: 6,
                found: 4
            }
        );
        assert!(Ipv6ExtHeader::new(Ipv6ExtKind::Fragment, alloc::vec![0; 6]).is_err());
        assert!(Ipv6ExtHeader::new(Ipv6ExtKind::Routing, alloc::vec![0; 8]).is_err());
        assert!(Ipv6ExtHeader::new(Ipv6ExtKind::Authentication, alloc::vec![0; 2]).is_err());
        assert!(Ipv6ExtHeader::new(Ipv6ExtKind::Authentication, alloc::vec![0; 10]).is_ok());
    }

    #[test]
    fn pseudo_header_destination() {
        let mut h = Ipv6Header::new(v6(1), v6(2));
        assert_eq!(h.pseudo_header_dst(), v6(2));
        // SRH: type 4, segments left 1, last entry 1, flags, tag, then segments [v6(9), v6(2)]
        let mut srh = alloc::vec![4, 1, 1, 0, 0, 0];
        srh.extend_from_slice(&v6(9).octets());
        srh.extend_from_slice(&v6(2).octets());
        h.extensions = alloc::vec![Ipv6ExtHeader::new(Ipv6ExtKind::Routing, srh).unwrap()];
        assert_eq!(h.pseudo_header_dst(), v6(9));
        // type 2 (mobile IPv6), one address
        let mut t2 = alloc::vec![2, 1, 0, 0, 0, 0];
        t2.extend_from_slice(&v6(7).octets());
        h.extensions = alloc::vec![Ipv6ExtHeader::new(Ipv6ExtKind::Routing, t2.clone()).unwrap()];
        assert_eq!(h.pseudo_header_dst(), v6(7));
        t2[1] = 0;
        h.extensions = alloc::vec![Ipv6ExtHeader::new(Ipv6ExtKind::Routing, t2).unwrap()];
        assert_eq!(h.pseudo_header_dst(), v6(2));
    }

    fn arb_ext() -> impl Strategy<Value = Ipv6ExtHeader> {
        prop_oneof![
            (0usize..4)
                .prop_flat_map(|n| prop::collection::vec(any::<u8>(), 6 + 8 * n))
                .prop_map(|d| Ipv6ExtHeader::new(Ipv6ExtKind::HopByHop, d).unwrap()),
            (0usize..4)
                .prop_flat_map(|n| prop::collection::vec(any::<u8>(), 6 + 8 * n))
                .prop_map(|d| Ipv6ExtHeader::new(Ipv6ExtKind::DestinationOptions, d).unwrap()),
            (0usize..4)
                .prop_flat_map(|n| prop::collection::vec(any::<u8>(), 6 + 8 * n))
                .prop_map(|d| Ipv6ExtHeader::new(Ipv6ExtKind::Routing, d).unwrap()),
            (0usize..4)
                .prop_flat_map(|n| prop::collection::vec(any::<u8>(), 6 + 4 * n))
                .prop_map(|d| Ipv6ExtHeader::new(Ipv6ExtKind::Authentication, d).unwrap()),
            // first fragment only: offset 0, any M flag, any identification
            (any::<u8>(), any::<bool>(), 0u8..4, any::<[u8; 4]>()).prop_map(|(r, m, res, id)| {
                Ipv6ExtHeader::new(
                    Ipv6ExtKind::Fragment,
                    alloc::vec![r, 0, (res << 1) | u8::from(m), id[0], id[1], id[2], id[3]],
                )
                .unwrap()
            }),
        ]
    }

    pub(crate) fn arb_ipv6() -> impl Strategy<Value = Ipv6Header> {
        (
            any::<u8>(),
            0u32..0x10_0000,
            any::<u8>(),
            any::<[u8; 16]>(),
            any::<[u8; 16]>(),
            prop::collection::vec(arb_ext(), 0..4),
        )
            .prop_map(|(traffic_class, flow_label, hop_limit, s, d, extensions)| {
                Ipv6Header {
                    traffic_class,
                    flow_label,
                    hop_limit,
                    src: s.into(),
                    dst: d.into(),
                    extensions,
                }
            })
    }

    proptest! {
        #[test]
        fn round_trip(h in arb_ipv6(), payload in 0usize..32) {
            let len = h.header_len() + payload;
            let mut buf = alloc::vec![0xA5u8; len];
            h.encode(17, payload, &mut &mut buf[..]);
            let (back, info) = Ipv6Header::decode(&buf).unwrap();
            prop_assert_eq!(&back, &h);
            prop_assert_eq!(info.protocol, 17);
            prop_assert_eq!(info.header_len, h.header_len());
            for cut in 0..len {
                prop_assert!(Ipv6Header::decode(&buf[..cut]).is_err());
            }
        }
    }
}
