//! AS_PATH (type 2, RFC 4271 section 5.1.2) and AS4_PATH (type 17,
//! RFC 6793): a sequence of segments.
//!
//! ```text
//! +--------------+-----------------+-------------------------------+
//! | Seg. type (1)| Seg. length (1) | ASNs (length x 2 or 4 octets) |
//! +--------------+-----------------+-------------------------------+
//! Types: 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET
//! ```
//!
//! AS numbers are 2 octets on a session without the 4-octet AS capability
//! and 4 octets with it; AS4_PATH always uses 4. RFC 7606 section 7.2: an
//! unknown segment type, a zero segment length, an overrun or a single
//! trailing octet make the path malformed.

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;

/// AS_TRANS (RFC 6793): written in 2-octet fields for AS numbers above 65535.
pub const AS_TRANS: u16 = 23456;

/// A segment type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum AsSegmentType {
    /// 1: unordered set.
    Set,
    /// 2: ordered sequence.
    Sequence,
    /// 3: ordered sequence of member ASes of a confederation (RFC 5065).
    ConfedSequence,
    /// 4: unordered set of member ASes of a confederation (RFC 5065).
    ConfedSet,
}

impl AsSegmentType {
    /// The wire value.
    pub fn code(self) -> u8 {
        match self {
            AsSegmentType::Set => 1,
            AsSegmentType::Sequence => 2,
            AsSegmentType::ConfedSequence => 3,
            AsSegmentType::ConfedSet => 4,
        }
    }

    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            1 => AsSegmentType::Set,
            2 => AsSegmentType::Sequence,
            3 => AsSegmentType::ConfedSequence,
            4 => AsSegmentType::ConfedSet,
            _ => return None,
        })
    }
}

/// One segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AsSegment {
    /// Segment type.
    pub kind: AsSegmentType,
    /// AS numbers. A segment longer than 255 is written as several
    /// consecutive segments of the same type.
    pub asns: Vec<u32>,
}

/// An AS path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AsPath {
    /// Segments in wire order.
    pub segments: Vec<AsSegment>,
}

impl AsPath {
    /// A path of one AS_SEQUENCE (empty `asns`: the empty path of iBGP).
    pub fn sequence(asns: impl IntoIterator<Item = u32>) -> Self {
        let asns: Vec<u32> = asns.into_iter().collect();
        if asns.is_empty() {
            return AsPath::default();
        }
        AsPath {
            segments: alloc::vec![AsSegment {
                kind: AsSegmentType::Sequence,
                asns,
            }],
        }
    }

    /// The path length used in best-path selection (RFC 4271 section
    /// 9.1.2.2: an AS_SET counts 1, confederation segments 0).
    pub fn path_len(&self) -> usize {
        self.segments
            .iter()
            .map(|s| match s.kind {
                AsSegmentType::Sequence => s.asns.len(),
                AsSegmentType::Set => 1,
                AsSegmentType::ConfedSequence | AsSegmentType::ConfedSet => 0,
            })
            .sum()
    }

    /// The first AS of the path (the neighbour), if it starts with a sequence.
    pub fn first_asn(&self) -> Option<u32> {
        let s = self.segments.first()?;
        (s.kind == AsSegmentType::Sequence).then(|| s.asns.first().copied())?
    }

    /// The originating AS: the last AS of the last AS_SEQUENCE.
    pub fn origin_asn(&self) -> Option<u32> {
        let s = self.segments.last()?;
        (s.kind == AsSegmentType::Sequence).then(|| s.asns.last().copied())?
    }

    /// The AS path of a route learned over a session without the 4-octet
    /// AS capability, rebuilt from its AS_PATH (`self`, AS numbers above
    /// 65535 written as AS_TRANS) and its AS4_PATH (RFC 6793 section
    /// 4.2.3):
    ///
    /// * confederation segments of the AS4_PATH are dropped (it must not
    ///   carry them, RFC 6793 section 6);
    /// * if the AS_PATH counts fewer AS numbers than the AS4_PATH (counted
    ///   as in best-path selection, [`AsPath::path_len`]), the AS4_PATH is
    ///   ignored and the AS_PATH returned;
    /// * otherwise the leading part of the AS_PATH that makes up the
    ///   difference (the ASes added by 2-octet speakers after the last
    ///   4-octet one; confederation segments on the way are kept, an
    ///   AS_SET counts one) is put before the AS4_PATH, so that the result
    ///   counts as many AS numbers as the AS_PATH. A sequence taken from
    ///   the AS_PATH and a sequence starting the AS4_PATH join into one.
    ///
    /// Whether to use the AS4_PATH at all also depends on the AGGREGATOR
    /// ([`crate::message::Update::reconcile_as4`] applies both rules).
    ///
    /// ```
    /// use bgp_evpn_wire::attribute::{AsPath, AS_TRANS};
    ///
    /// // 65001 (2-octet) prepended to a path through 4200000001.
    /// let as_path = AsPath::sequence([65001, u32::from(AS_TRANS), 65010]);
    /// let as4_path = AsPath::sequence([4200000001, 65010]);
    /// assert_eq!(
    ///     as_path.merge_as4(&as4_path),
    ///     AsPath::sequence([65001, 4200000001, 65010])
    /// );
    /// ```
    pub fn merge_as4(&self, as4_path: &AsPath) -> AsPath {
        let is_confed = |s: &AsSegment| {
            matches!(
                s.kind,
                AsSegmentType::ConfedSequence | AsSegmentType::ConfedSet
            )
        };
        let as4: Vec<&AsSegment> = as4_path.segments.iter().filter(|s| !is_confed(s)).collect();
        let as4_len: usize = as4
            .iter()
            .map(|s| match s.kind {
                AsSegmentType::Set => 1,
                _ => s.asns.len(),
            })
            .sum();
        let Some(mut need) = self.path_len().checked_sub(as4_len) else {
            return self.clone();
        };
        let mut out: Vec<AsSegment> = Vec::new();
        for s in &self.segments {
            match s.kind {
                AsSegmentType::ConfedSequence | AsSegmentType::ConfedSet => out.push(s.clone()),
                _ if need == 0 => break,
                AsSegmentType::Set => {
                    out.push(s.clone());
                    need -= 1;
                }
                AsSegmentType::Sequence => {
                    let take = need.min(s.asns.len());
                    if take > 0 {
                        out.push(AsSegment {
                            kind: AsSegmentType::Sequence,
                            asns: s.asns[..take].to_vec(),
                        });
                    }
                    need -= take;
                }
            }
        }
        for s in as4 {
            match out.last_mut() {
                Some(last)
                    if last.kind == AsSegmentType::Sequence
                        && s.kind == AsSegmentType::Sequence =>
                {
                    last.asns.extend_from_slice(&s.asns);
                }
                _ => out.push(s.clone()),
            }
        }
        AsPath { segments: out }
    }

    /// Every AS number in wire order.
    pub fn asns(&self) -> impl Iterator<Item = u32> + '_ {
        self.segments.iter().flat_map(|s| s.asns.iter().copied())
    }

    /// Bytes written by [`Self::encode`].
    pub fn encoded_len(&self, four_octet: bool) -> usize {
        let w = if four_octet { 4 } else { 2 };
        self.segments
            .iter()
            .map(|s| s.asns.len().div_ceil(255).max(1) * 2 + s.asns.len() * w)
            .sum()
    }

    /// Writes the path; in 2-octet form AS numbers above 65535 become AS_TRANS.
    pub fn encode<B: BufMut>(&self, four_octet: bool, buf: &mut B) {
        for s in &self.segments {
            let mut chunks = s.asns.chunks(255).peekable();
            if chunks.peek().is_none() {
                buf.put_u8(s.kind.code());
                buf.put_u8(0);
            }
            for chunk in chunks {
                buf.put_u8(s.kind.code());
                buf.put_u8(chunk.len() as u8);
                for &asn in chunk {
                    if four_octet {
                        buf.put_u32(asn);
                    } else {
                        buf.put_u16(u16::try_from(asn).unwrap_or(AS_TRANS));
                    }
                }
            }
        }
    }

    /// Decodes an attribute value; `base` is its offset in the caller's view,
    /// `type_code` 2 or 17.
    pub(crate) fn decode_value(
        value: &[u8],
        base: usize,
        four_octet: bool,
        type_code: u8,
    ) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Attribute(type_code));
        let mut segments = Vec::new();
        let w = if four_octet { 4 } else { 2 };
        while cur.remaining() > 0 {
            let offset = cur.offset();
            let bad = |reason| Error::MalformedAsPath {
                offset,
                type_code,
                reason,
            };
            if cur.remaining() < 2 {
                return Err(bad("a single octet left after the last segment"));
            }
            let code = cur.u8("segment type")?;
            let n = usize::from(cur.u8("segment length")?);
            let kind = AsSegmentType::from_code(code).ok_or(bad("unknown segment type"))?;
            if n == 0 {
                return Err(bad("segment length zero"));
            }
            if cur.remaining() < n * w {
                return Err(bad("segment overruns the attribute"));
            }
            let mut asns = Vec::with_capacity(n);
            for _ in 0..n {
                asns.push(if four_octet {
                    cur.u32("AS number")?
                } else {
                    u32::from(cur.u16("AS number")?)
                });
            }
            segments.push(AsSegment { kind, asns });
        }
        Ok(AsPath { segments })
    }

    /// Decodes an AS_PATH value with 2- or 4-octet AS numbers.
    pub fn decode(value: &[u8], four_octet: bool) -> Result<Self> {
        Self::decode_value(value, 0, four_octet, 2)
    }
}

impl fmt::Display for AsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.segments {
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            let (open, close) = match s.kind {
                AsSegmentType::Sequence => ("", ""),
                AsSegmentType::Set => ("{", "}"),
                AsSegmentType::ConfedSequence => ("(", ")"),
                AsSegmentType::ConfedSet => ("[", "]"),
            };
            f.write_str(open)?;
            for (i, a) in s.asns.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{a}")?;
            }
            f.write_str(close)?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn seg(kind: AsSegmentType, asns: &[u32]) -> AsSegment {
        AsSegment {
            kind,
            asns: asns.to_vec(),
        }
    }

    const T: u32 = AS_TRANS as u32;

    #[test]
    fn merge_as4_takes_the_leading_2_octet_ases() {
        // RFC 6793 section 4.2.3: 65001 and 65002 (2-octet speakers after
        // the last 4-octet one) lead; the rest is the AS4_PATH.
        let as_path = AsPath::sequence([65001, 65002, T, T, 65010]);
        let as4 = AsPath::sequence([4_200_000_001, 4_200_000_002, 65010]);
        assert_eq!(
            as_path.merge_as4(&as4),
            AsPath::sequence([65001, 65002, 4_200_000_001, 4_200_000_002, 65010])
        );
        // Same length: the AS4_PATH is the path.
        let as_path = AsPath::sequence([T, 65010]);
        let as4 = AsPath::sequence([4_200_000_001, 65010]);
        assert_eq!(as_path.merge_as4(&as4), as4);
    }

    proptest::proptest! {
        /// A path whose 4-octet part went through 2-octet speakers (which
        /// wrote AS_TRANS and prepended their own 2-octet ASes, `lead`)
        /// comes back whole.
        #[test]
        fn merge_as4_rebuilds_a_path_through_2_octet_speakers(
            lead in proptest::collection::vec(1u32..65536, 0..5),
            real in proptest::collection::vec(proptest::prelude::any::<u32>(), 0..8),
        ) {
            let two_octet = |a: u32| if a > 65535 { T } else { a };
            let as_path = AsPath::sequence(lead.iter().copied().chain(real.iter().copied().map(two_octet)));
            let as4 = AsPath::sequence(real.iter().copied());
            proptest::prop_assert_eq!(
                as_path.merge_as4(&as4),
                AsPath::sequence(lead.iter().chain(&real).copied())
            );
        }
    }

    #[test]
    fn merge_as4_ignores_a_longer_as4_path() {
        let as_path = AsPath::sequence([65001, T]);
        let as4 = AsPath::sequence([4_200_000_001, 4_200_000_002, 65010]);
        assert_eq!(as_path.merge_as4(&as4), as_path);
    }

    #[test]
    fn merge_as4_counts_sets_as_one_and_keeps_confederation_segments() {
        use AsSegmentType::*;
        // AS_PATH: confed seq (counts 0), seq 65001 T (2), set {T, 65003}
        // (1) = 3; AS4_PATH: a confed seq (dropped), set {4200000001,
        // 65003} (1): one AS taken from the front.
        let as_path = AsPath {
            segments: alloc::vec![
                seg(ConfedSequence, &[64512]),
                seg(Sequence, &[65001, T]),
                seg(Set, &[T, 65003]),
            ],
        };
        let as4 = AsPath {
            segments: alloc::vec![
                seg(ConfedSequence, &[64999]),
                seg(Sequence, &[4_200_000_001]),
                seg(Set, &[4_200_000_002, 65003]),
            ],
        };
        assert_eq!(
            as_path.merge_as4(&as4),
            AsPath {
                segments: alloc::vec![
                    seg(ConfedSequence, &[64512]),
                    seg(Sequence, &[65001, 4_200_000_001]),
                    seg(Set, &[4_200_000_002, 65003]),
                ],
            }
        );
        // An AS_SET in the leading part is taken whole.
        let as_path = AsPath {
            segments: alloc::vec![seg(Set, &[65001, 65002]), seg(Sequence, &[T])],
        };
        let as4 = AsPath::sequence([4_200_000_001]);
        assert_eq!(
            as_path.merge_as4(&as4),
            AsPath {
                segments: alloc::vec![seg(Set, &[65001, 65002]), seg(Sequence, &[4_200_000_001])],
            }
        );
        // Empty AS4_PATH: the AS_PATH.
        assert_eq!(as_path.merge_as4(&AsPath::default()), as_path);
    }
    use crate::test_util::hex;
    use alloc::string::ToString;
    use proptest::prelude::*;

    pub(crate) fn arb(four_octet: bool) -> impl Strategy<Value = AsPath> {
        let asn = if four_octet {
            any::<u32>().boxed()
        } else {
            any::<u16>().prop_map(u32::from).boxed()
        };
        let seg = (1u8..=4, proptest::collection::vec(asn, 1..8)).prop_map(|(k, asns)| AsSegment {
            kind: AsSegmentType::from_code(k).unwrap(),
            asns,
        });
        proptest::collection::vec(seg, 0..4).prop_map(|segments| AsPath { segments })
    }

    #[test]
    fn rfc4271_and_rfc6793_layouts() {
        // AS_SEQUENCE 65001 65002, AS_SET {100 200}
        let b = hex("02 02 fde9 fdea 01 02 0064 00c8");
        let p = AsPath::decode(&b, false).unwrap();
        assert_eq!(p.to_string(), "65001 65002 {100 200}");
        assert_eq!(p.path_len(), 3);
        assert_eq!(p.first_asn(), Some(65001));
        assert_eq!(p.origin_asn(), None);
        let mut out = Vec::new();
        p.encode(false, &mut out);
        assert_eq!(out, b);
        // 4-octet: confed sequence (64512), sequence 4200000000
        let b = hex("03 01 0000fc00 02 01 fa56ea00");
        let p = AsPath::decode(&b, true).unwrap();
        assert_eq!(p.to_string(), "(64512) 4200000000");
        assert_eq!(p.origin_asn(), Some(4_200_000_000));
        let mut out = Vec::new();
        p.encode(true, &mut out);
        assert_eq!(out, b);
        // Same path in 2-octet form: AS_TRANS.
        let mut out = Vec::new();
        p.encode(false, &mut out);
        assert_eq!(out, hex("03 01 fc00 02 01 5ba0"));
        assert_eq!(AsPath::sequence([]).encoded_len(true), 0);
    }

    #[test]
    fn rfc7606_malformed() {
        for (b, reason_off) in [
            ("05 01 0001", 0),    // unknown type
            ("02 00", 0),         // zero length
            ("02 02 0001", 0),    // overrun
            ("02 01 0001 02", 4), // single octet left
        ] {
            match AsPath::decode(&hex(b), false) {
                Err(Error::MalformedAsPath {
                    offset,
                    type_code: 2,
                    ..
                }) => assert_eq!(offset, reason_off),
                other => panic!("{b}: {other:?}"),
            }
        }
    }

    #[test]
    fn long_segments_split() {
        let p = AsPath::sequence(1..=300);
        let mut out = Vec::new();
        p.encode(true, &mut out);
        assert_eq!(out.len(), p.encoded_len(true));
        assert_eq!(out.len(), 4 + 300 * 4);
        let back = AsPath::decode(&out, true).unwrap();
        assert_eq!(back.segments.len(), 2);
        assert_eq!(
            back.asns().collect::<Vec<_>>(),
            p.asns().collect::<Vec<_>>()
        );
    }

    proptest! {
        #[test]
        fn roundtrip((four, p) in any::<bool>().prop_flat_map(|f| (Just(f), arb(f)))) {
            let mut out = vec![];
            p.encode(four, &mut out);
            prop_assert_eq!(out.len(), p.encoded_len(four));
            prop_assert_eq!(AsPath::decode(&out, four).unwrap(), p);
        }

        #[test]
        fn random_bytes(b in proptest::collection::vec(any::<u8>(), 0..64), four in any::<bool>()) {
            if let Ok(p) = AsPath::decode(&b, four) {
                let mut out = vec![];
                p.encode(four, &mut out);
                prop_assert_eq!(out, b);
            }
        }
    }
}
