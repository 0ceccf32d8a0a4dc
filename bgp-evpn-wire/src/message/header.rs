//! The BGP message header (RFC 4271 section 4.1).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                                                               |
//! +                       Marker (16 octets, all ones)            +
//! |                                                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Length (2)           |   Type (1)    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! Length counts the whole message: 19 to 4096, or to 65535 with Extended
//! Message (RFC 8654; OPEN and KEEPALIVE stay within 4096).

use bytes::BufMut;

use crate::error::{Error, Result};

/// Message type codes.
pub mod message_type {
    /// OPEN.
    pub const OPEN: u8 = 1;
    /// UPDATE.
    pub const UPDATE: u8 = 2;
    /// NOTIFICATION.
    pub const NOTIFICATION: u8 = 3;
    /// KEEPALIVE.
    pub const KEEPALIVE: u8 = 4;
    /// ROUTE-REFRESH (RFC 2918).
    pub const ROUTE_REFRESH: u8 = 5;
}

/// A decoded header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Header {
    /// Length of the whole message.
    pub length: u16,
    /// Message type.
    pub msg_type: u8,
}

impl Header {
    /// Header length.
    pub const LEN: usize = 19;
    /// The marker.
    pub const MARKER: [u8; 16] = [0xff; 16];

    /// The length range RFC 4271 section 6.1 (and RFC 8654) allow for a type,
    /// given the session's maximum.
    pub fn length_range(msg_type: u8, max: u16) -> (u16, u16) {
        let cap = max.min(4096);
        match msg_type {
            message_type::OPEN => (29, cap),
            message_type::UPDATE => (23, max),
            message_type::NOTIFICATION => (21, max),
            message_type::KEEPALIVE => (19, 19),
            _ => (19, max),
        }
    }

    /// Checks as much of a marker as `buf` holds.
    #[inline]
    pub(crate) fn check_marker(buf: &[u8]) -> Result<()> {
        // A whole marker in one 16-octet compare (the byte loop was ~9 %
        // of a one-route UPDATE decode); a shorter buffer byte by byte.
        let ok = match buf.first_chunk::<16>() {
            Some(m) => u128::from_ne_bytes(*m) == u128::MAX,
            None => buf.iter().all(|&b| b == 0xff),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::BadMarker { offset: 0 })
        }
    }

    /// Decodes and checks a header (`buf` may hold more): marker all ones
    /// (else 1/1), length within the type's range and `max` (else 1/2).
    /// Unknown types are accepted here; see
    /// [`UnknownMessage`](crate::message::UnknownMessage).
    pub fn decode(buf: &[u8], max: u16) -> Result<Self> {
        Self::check_marker(buf)?;
        if buf.len() < Self::LEN {
            return Err(Error::Truncated {
                section: crate::error::Section::Header,
                offset: buf.len().min(Self::LEN),
                what: "message header",
                needed: Self::LEN,
                available: buf.len(),
            });
        }
        let length = u16::from_be_bytes([buf[16], buf[17]]);
        let msg_type = buf[18];
        let (min, max) = Self::length_range(msg_type, max);
        if length < min || length > max {
            return Err(Error::BadMessageLength {
                offset: 16,
                length,
                min,
                max,
            });
        }
        Ok(Header { length, msg_type })
    }

    /// Writes the header.
    #[inline]
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        let mut h = [0xff; Self::LEN];
        let [.., l0, l1, t] = &mut h;
        [*l0, *l1] = self.length.to_be_bytes();
        *t = self.msg_type;
        buf.put_slice(&h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;

    #[test]
    fn rfc4271_layout() {
        let ka = hex("ffffffffffffffffffffffffffffffff 0013 04");
        assert_eq!(
            Header::decode(&ka, 4096),
            Ok(Header {
                length: 19,
                msg_type: 4
            })
        );
        let mut out = Vec::new();
        Header {
            length: 19,
            msg_type: 4,
        }
        .encode(&mut out);
        assert_eq!(out, ka);
    }

    #[test]
    fn errors() {
        let mut bad = hex("ffffffffffffffffffffffffffffffff 0013 04");
        bad[3] = 0xfe;
        assert_eq!(
            Header::decode(&bad, 4096),
            Err(Error::BadMarker { offset: 0 })
        );
        let e = Header::decode(&hex("ffffffffffffffffffffffffffffffff 0014 04"), 4096).unwrap_err();
        assert_eq!(e.notification_code(), Some((1, 2)));
        // UPDATE over 4096 only with Extended Message; OPEN never.
        let big = hex("ffffffffffffffffffffffffffffffff 2000 02");
        assert!(Header::decode(&big, 4096).is_err());
        assert!(Header::decode(&big, 65535).is_ok());
        let big_open = hex("ffffffffffffffffffffffffffffffff 2000 01");
        assert!(Header::decode(&big_open, 65535).is_err());
        assert!(matches!(
            Header::decode(&hex("ffff"), 4096),
            Err(Error::Truncated { available: 2, .. })
        ));
        // NOTIFICATION of 20 octets.
        assert!(Header::decode(&hex("ffffffffffffffffffffffffffffffff 0014 03"), 4096).is_err());
    }
}
