//! HELLO (type 0, the same in every version) with its elements, and
//! version negotiation (OpenFlow 1.3.5 section 6.3.1).
//!
//! ```text
//! element: | type (2) | length (2) | data ... | pad to 8 |
//!          length counts type, length and data, not the padding
//! bitmap (type 1): data = 32-bit words; bit i of word j = version 32*j+i
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, impl_codec, len16, pad8};

/// Element type of the version bitmap.
pub const HELLO_ELEM_VERSIONBITMAP: u16 = 1;

/// One HELLO element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum HelloElement {
    /// The versions the sender supports, as 32-bit bitmap words.
    VersionBitmap(Vec<u32>),
    /// An element type this crate does not know, kept raw.
    Unknown {
        /// Element type.
        element_type: u16,
        /// Bytes after the 4-byte element header, padding excluded.
        data: Vec<u8>,
    },
}

impl HelloElement {
    fn body_len(&self) -> usize {
        match self {
            HelloElement::VersionBitmap(w) => 4 * w.len(),
            HelloElement::Unknown { data, .. } => data.len(),
        }
    }

    /// Encoded length, padding included.
    pub fn encoded_len(&self) -> usize {
        pad8(4 + self.body_len())
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let offset = r.offset();
        let len = usize::from(r.peek_u16(2, "HELLO element")?);
        if len < 4 {
            return Err(Error::BadLength {
                what: "HELLO element",
                offset,
                length: len,
                expected: "at least 4",
            });
        }
        let mut e = r.sub(len, "HELLO element")?;
        let element_type = e.u16("HELLO element type")?;
        e.skip(2, "HELLO element length")?;
        let out = if element_type == HELLO_ELEM_VERSIONBITMAP {
            if !(len - 4).is_multiple_of(4) {
                return Err(Error::BadLength {
                    what: "HELLO version bitmap",
                    offset,
                    length: len,
                    expected: "4 plus a multiple of 4",
                });
            }
            let mut words = Vec::with_capacity((len - 4) / 4);
            while !e.is_empty() {
                words.push(e.u32("version bitmap word")?);
            }
            HelloElement::VersionBitmap(words)
        } else {
            HelloElement::Unknown {
                element_type,
                data: e.rest().to_vec(),
            }
        };
        // Padding to 8. A sender that leaves out the padding (loxigen, or
        // the last element cut short) is accepted: the padding is skipped
        // only when those bytes are zero, and zero bytes cannot start an
        // element (its length would be 0). Such a HELLO re-encodes padded.
        let pad = (pad8(len) - len).min(r.remaining());
        let mut peek = r.clone();
        if peek
            .bytes(pad, "HELLO element padding")?
            .iter()
            .all(|b| *b == 0)
        {
            r.skip(pad, "HELLO element padding")?;
        }
        Ok(out)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = 4 + self.body_len();
        let len16 = len16(len, "HELLO element")?;
        match self {
            HelloElement::VersionBitmap(words) => {
                b.put_u16(HELLO_ELEM_VERSIONBITMAP);
                b.put_u16(len16);
                for w in words {
                    b.put_u32(*w);
                }
            }
            HelloElement::Unknown { element_type, data } => {
                b.put_u16(*element_type);
                b.put_u16(len16);
                b.put_slice(data);
            }
        }
        b.put_bytes(0, pad8(len) - len);
        Ok(())
    }
}

/// The body of a HELLO message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Hello {
    /// The elements, in wire order.
    pub elements: Vec<HelloElement>,
}

impl_codec!(Hello, "HELLO body");

impl Hello {
    /// A HELLO with one version bitmap element listing `versions`.
    pub fn with_versions(versions: &[u8]) -> Hello {
        let words = versions.iter().map(|v| usize::from(*v) / 32).max();
        let mut bitmap = vec![0u32; words.map_or(0, |w| w + 1)];
        for v in versions {
            bitmap[usize::from(*v) / 32] |= 1 << (v % 32);
        }
        Hello {
            elements: vec![HelloElement::VersionBitmap(bitmap)],
        }
    }

    /// The versions of the first version bitmap element, ascending, or
    /// `None` when the HELLO has no bitmap.
    pub fn versions(&self) -> Option<Vec<u8>> {
        self.elements.iter().find_map(|e| match e {
            HelloElement::VersionBitmap(words) => Some(
                (0..words.len().min(8) * 32)
                    .filter(|v| words[v / 32] & (1 << (v % 32)) != 0)
                    .map(|v| v as u8)
                    .collect(),
            ),
            HelloElement::Unknown { .. } => None,
        })
    }

    /// Encoded length of the body (header excluded).
    pub fn encoded_len(&self) -> usize {
        self.elements.iter().map(HelloElement::encoded_len).sum()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut elements = Vec::new();
        while !r.is_empty() {
            elements.push(HelloElement::read(r)?);
        }
        Ok(Hello { elements })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        for e in &self.elements {
            e.write(b)?;
        }
        Ok(())
    }
}

/// The version both ends settle on, from each side's HELLO header version
/// and body (OpenFlow 1.3.5 section 6.3.1), or `None` when they have none
/// in common (answer with an ERROR HELLO_FAILED / INCOMPATIBLE and close).
///
/// * both HELLOs carry a version bitmap: the highest version set in both;
/// * otherwise: the smaller of the two header versions, provided every
///   bitmap that was sent contains it (a side without a bitmap supports
///   its header version).
///
/// Open vSwitch 3.x sends header version 6 with a bitmap, so a 1.3-only
/// controller that sends header version 4 and a bitmap `{4}` gets 4.
pub fn negotiate_version(
    our_version: u8,
    ours: &Hello,
    their_version: u8,
    theirs: &Hello,
) -> Option<u8> {
    let (a, b) = (ours.versions(), theirs.versions());
    if let (Some(a), Some(b)) = (&a, &b) {
        return a.iter().rev().find(|v| b.contains(v)).copied();
    }
    let v = our_version.min(their_version);
    let ok = |set: &Option<Vec<u8>>, header: u8| match set {
        Some(s) => s.contains(&v),
        None => v <= header,
    };
    (ok(&a, our_version) && ok(&b, their_version)).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmap_hello_bytes() {
        // OVS: versions 1, 4, 5, 6 => bitmap 0x72.
        let h = Hello::with_versions(&[1, 4, 5, 6]);
        let bytes = h.to_bytes().unwrap();
        assert_eq!(bytes, [0, 1, 0, 8, 0, 0, 0, 0x72]);
        assert_eq!(Hello::decode(&bytes).unwrap(), h);
        assert_eq!(h.versions(), Some(vec![1, 4, 5, 6]));
    }

    #[test]
    fn unknown_element_is_padded_and_kept() {
        let h = Hello {
            elements: vec![
                HelloElement::Unknown {
                    element_type: 9,
                    data: vec![1, 2, 3],
                },
                HelloElement::VersionBitmap(vec![0x10, 0x1]),
            ],
        };
        let bytes = h.to_bytes().unwrap();
        assert_eq!(
            bytes,
            [
                0, 9, 0, 7, 1, 2, 3, 0, // unknown, padded to 8
                0, 1, 0, 12, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0
            ]
        );
        assert_eq!(h.encoded_len(), bytes.len());
        assert_eq!(Hello::decode(&bytes).unwrap(), h);
        assert_eq!(h.versions(), Some(vec![4, 32]));
    }

    #[test]
    fn unpadded_elements_are_accepted() {
        // Two 12-byte version bitmap elements without padding (loxigen).
        let bytes = [
            0, 1, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 12, 0, 0, 0, 3, 0, 0, 0, 4,
        ];
        let h = Hello::decode(&bytes).unwrap();
        assert_eq!(
            h.elements,
            vec![
                HelloElement::VersionBitmap(vec![1, 2]),
                HelloElement::VersionBitmap(vec![3, 4])
            ]
        );
        assert_eq!(h.encoded_len(), 32);
    }

    #[test]
    fn zero_length_element_is_an_error() {
        assert!(matches!(
            Hello::decode(&[0, 1, 0, 0, 0, 0, 0, 0]),
            Err(Error::BadLength { length: 0, .. })
        ));
        assert!(matches!(
            Hello::decode(&[0, 1, 0, 6, 0, 0, 0, 0]),
            Err(Error::BadLength { length: 6, .. })
        ));
    }

    #[test]
    fn negotiation() {
        let ovs = Hello::with_versions(&[1, 4, 5, 6]);
        let us = Hello::with_versions(&[4]);
        assert_eq!(negotiate_version(4, &us, 6, &ovs), Some(4));
        // No bitmap on their side: the smaller header version, if we have it.
        let empty = Hello::default();
        assert_eq!(negotiate_version(4, &us, 6, &empty), Some(4));
        assert_eq!(negotiate_version(4, &us, 1, &empty), None);
        assert_eq!(negotiate_version(4, &empty, 1, &empty), Some(1));
        // Bitmaps with nothing in common.
        let only1 = Hello::with_versions(&[1]);
        assert_eq!(negotiate_version(4, &us, 1, &only1), None);
        // Highest common, not the header.
        let both = Hello::with_versions(&[1, 3, 4]);
        assert_eq!(negotiate_version(6, &ovs, 4, &both), Some(4));
        // Their bitmap must hold the header-derived version.
        assert_eq!(negotiate_version(3, &empty, 6, &ovs), None);
    }
}
