//! The 8-byte header every OpenFlow message of every version starts with.
//!
//! ```text
//!  0        1        2                 4                                 8
//! +--------+--------+--------+--------+--------+--------+--------+--------+
//! |version |  type  |     length      |               xid                 |
//! +--------+--------+--------+--------+--------+--------+--------+--------+
//! ```
//!
//! `length` counts the whole message, header included, so it is at least 8.

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// Length of the OpenFlow header.
pub const HEADER_LEN: usize = 8;

/// The wire version of OpenFlow 1.3.
pub const OFP_VERSION_1_3: u8 = 0x04;

/// The OpenFlow header as read from the wire (the length is kept here
/// because the header alone is what a framer needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Header {
    /// Wire version (0x01 = 1.0, ..., 0x04 = 1.3, 0x06 = 1.5).
    pub version: u8,
    /// Message type (its meaning depends on the version).
    pub msg_type: u8,
    /// Length of the whole message, header included.
    pub length: u16,
    /// Transaction id.
    pub xid: u32,
}

impl Header {
    /// Reads a header from the first 8 bytes of `buf` (the rest is ignored)
    /// and checks that `length` is at least 8.
    pub fn decode(buf: &[u8]) -> Result<Header, Error> {
        Self::read(&mut Reader::new(buf))
    }

    #[inline]
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Header, Error> {
        let offset = r.offset();
        // The 8 bytes in one bounds check, read from the input.
        let Some(b) = r.take_array::<HEADER_LEN>() else {
            r.need(HEADER_LEN, "OpenFlow header")?;
            unreachable!("take_array fails only on fewer than 8 bytes");
        };
        let h = Header {
            version: b[0],
            msg_type: b[1],
            length: u16::from_be_bytes([b[2], b[3]]),
            xid: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
        };
        if usize::from(h.length) < HEADER_LEN {
            return Err(Error::BadLength {
                what: "OpenFlow message",
                offset,
                length: h.length.into(),
                expected: "at least 8 (the header)",
            });
        }
        Ok(h)
    }

    /// Writes the 8 header bytes.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.version);
        buf.put_u8(self.msg_type);
        buf.put_u16(self.length);
        buf.put_u32(self.xid);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip() {
        let bytes = [0x04, 0x0e, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78];
        let h = Header::decode(&bytes).unwrap();
        assert_eq!(
            h,
            Header {
                version: 4,
                msg_type: 14,
                length: 80,
                xid: 0x1234_5678
            }
        );
        let mut out = Vec::new();
        h.encode(&mut out);
        assert_eq!(out, bytes);
    }

    #[test]
    fn header_errors() {
        assert!(matches!(
            Header::decode(&[4, 0, 0]),
            Err(Error::Truncated {
                needed: 8,
                available: 3,
                ..
            })
        ));
        assert!(matches!(
            Header::decode(&[4, 0, 0, 7, 0, 0, 0, 0]),
            Err(Error::BadLength { length: 7, .. })
        ));
    }
}
