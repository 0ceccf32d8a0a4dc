//! `ofp_match` of type OXM (1): a list of OXM TLVs padded to 8 bytes.
//!
//! ```text
//! | type = 1 (2) | length (2) | OXM TLVs ... | pad to 8 |
//!   length counts type, length and the TLVs, not the padding
//! ```

use bytes::BufMut;

use super::field::Oxm;
use crate::Error;
use crate::codec::{Reader, Scratch, impl_codec, len16, pad8};

/// `OFPMT_OXM`, the only match type of OpenFlow 1.3.
pub const OFPMT_OXM: u16 = 1;

/// An OXM match: the fields in wire order. An empty match is "match all".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Match {
    /// The OXM TLVs, in wire order.
    pub fields: Vec<Oxm>,
}

impl_codec!(Match, "OXM match");

impl FromIterator<Oxm> for Match {
    fn from_iter<I: IntoIterator<Item = Oxm>>(iter: I) -> Match {
        Match {
            fields: iter.into_iter().collect(),
        }
    }
}

impl Match {
    /// The empty match (matches every packet).
    pub fn new() -> Match {
        Match::default()
    }

    /// Adds a field (builder style).
    pub fn with(mut self, field: Oxm) -> Match {
        self.fields.push(field);
        self
    }

    /// The first field with this class and field number.
    pub fn get(&self, class: u16, field: u8) -> Option<&Oxm> {
        self.fields
            .iter()
            .find(|o| o.class() == class && o.field() == field)
    }

    /// The match's length field (type, length and the TLVs, no padding).
    pub fn length(&self) -> usize {
        4 + self.fields.iter().map(Oxm::encoded_len).sum::<usize>()
    }

    /// Encoded length, padding included.
    pub fn encoded_len(&self) -> usize {
        pad8(self.length())
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Match, Error> {
        let mut m = Match::new();
        Match::read_to(r, &mut m)?;
        Ok(m)
    }

    /// Checks the match header and takes the whole match (without its
    /// padding) from `r`: the reader of its TLVs and the length field.
    /// Shared by the decoder and [`crate::view::MatchRef`].
    #[inline(always)]
    pub(crate) fn read_head<'a>(r: &mut Reader<'a>) -> Result<(Reader<'a>, usize), Error> {
        let offset = r.offset();
        r.need(4, "match header")?;
        let match_type = r.peek_u16(0, "match type")?;
        if match_type != OFPMT_OXM {
            return Err(Error::BadValue {
                what: "match type",
                offset,
                value: match_type.into(),
                expected: "1 (OFPMT_OXM)",
            });
        }
        let len = usize::from(r.peek_u16(2, "match length")?);
        if len < 4 {
            return Err(Error::BadLength {
                what: "match",
                offset,
                length: len,
                expected: "at least 4",
            });
        }
        let mut m = r.sub(len, "match")?;
        m.skip(4, "match header")?;
        Ok((m, len))
    }

    /// Skips the padding after a match whose length field is `len` (after
    /// its TLVs were decoded, so that their errors come first).
    #[inline]
    pub(crate) fn skip_padding(r: &mut Reader<'_>, len: usize) -> Result<(), Error> {
        r.skip(pad8(len) - len, "match padding")
    }

    /// Decodes into `out` (its fields replaced), not moved out as a result.
    pub(crate) fn read_to(r: &mut Reader<'_>, out: &mut Match) -> Result<(), Error> {
        let (mut m, len) = Match::read_head(r)?;
        // Sized and filled with cheap placeholders first, then each field
        // decoded over its slot (no `Oxm` moved through the stack).
        let n = m.count_oxms();
        let mut fields: Vec<Oxm> = (0..n).map(|_| Oxm::PLACEHOLDER).collect();
        let mut i = 0;
        while !m.is_empty() {
            if i == fields.len() {
                fields.push(Oxm::PLACEHOLDER);
            }
            Oxm::read_to(&mut m, &mut fields[i])?;
            i += 1;
        }
        fields.truncate(i);
        Match::skip_padding(r, len)?;
        out.fields = fields;
        Ok(())
    }

    /// The fast path of [`Match::write`] (see [`Scratch`]): the length
    /// patched in after the fields, the padding skipped.
    #[inline]
    pub(crate) fn write_scratch<const N: usize>(&self, s: &mut Scratch<N>) -> Option<()> {
        let start = s.pos();
        s.put([0, OFPMT_OXM as u8, 0, 0])?;
        for f in &self.fields {
            f.write_scratch(s)?;
        }
        s.patch_len(start, 2)?;
        s.pad8_from(start)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = self.length();
        b.put_u16(OFPMT_OXM);
        b.put_u16(len16(len, "match")?);
        for f in &self.fields {
            f.write(b)?;
        }
        b.put_bytes(0, pad8(len) - len);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxm::Masked;

    #[test]
    fn empty_match_is_8_bytes() {
        let m = Match::new();
        assert_eq!(m.to_bytes().unwrap(), [0, 1, 0, 4, 0, 0, 0, 0]);
        assert_eq!(Match::decode(&[0, 1, 0, 4, 0, 0, 0, 0]).unwrap(), m);
    }

    #[test]
    fn match_with_fields_and_padding() {
        let m = Match::new()
            .with(Oxm::InPort(1.into()))
            .with(Oxm::EthType(0x0800.into()))
            .with(Oxm::TunnelId(Masked::with_mask(5, 0xffff)));
        let bytes = m.to_bytes().unwrap();
        // 4 + 8 + 6 + 20 = 38 -> 40
        assert_eq!(&bytes[..4], [0, 1, 0, 38]);
        assert_eq!(bytes.len(), 40);
        assert_eq!(&bytes[38..], [0, 0]);
        assert_eq!(Match::decode(&bytes).unwrap(), m);
        assert_eq!(m.get(0x8000, 5), Some(&Oxm::EthType(0x0800.into())));
    }

    #[test]
    fn match_errors() {
        assert!(matches!(
            Match::decode(&[0, 0, 0, 8, 0, 0, 0, 0]),
            Err(Error::BadValue { value: 0, .. })
        ));
        assert!(matches!(
            Match::decode(&[0, 1, 0, 2, 0, 0, 0, 0]),
            Err(Error::BadLength { length: 2, .. })
        ));
        // Missing padding.
        assert!(matches!(
            Match::decode(&[0, 1, 0, 5, 0]),
            Err(Error::Truncated { .. })
        ));
    }
}
