//! NOTIFICATION (RFC 4271 section 4.5): error code, subcode and data, with
//! the names of every code and subcode of the IANA "BGP Error (Notification)
//! Codes" and "BGP Error Subcodes" registries.
//!
//! ```text
//! +-----------------+--------------------+------------------+
//! | Error code (1)  | Error subcode (1)  | Data (variable)  |
//! +-----------------+--------------------+------------------+
//! ```

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;

/// A NOTIFICATION body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Notification {
    /// Error code.
    pub code: u8,
    /// Error subcode.
    pub subcode: u8,
    /// Data (its meaning depends on code and subcode).
    pub data: Vec<u8>,
}

impl Notification {
    /// 1: Message Header Error.
    pub const MESSAGE_HEADER_ERROR: u8 = 1;
    /// 2: OPEN Message Error.
    pub const OPEN_MESSAGE_ERROR: u8 = 2;
    /// 3: UPDATE Message Error.
    pub const UPDATE_MESSAGE_ERROR: u8 = 3;
    /// 4: Hold Timer Expired.
    pub const HOLD_TIMER_EXPIRED: u8 = 4;
    /// 5: Finite State Machine Error.
    pub const FSM_ERROR: u8 = 5;
    /// 6: Cease.
    pub const CEASE: u8 = 6;
    /// 7: ROUTE-REFRESH Message Error.
    pub const ROUTE_REFRESH_ERROR: u8 = 7;

    /// A NOTIFICATION.
    pub fn new(code: u8, subcode: u8, data: Vec<u8>) -> Self {
        Notification {
            code,
            subcode,
            data,
        }
    }

    /// The NOTIFICATION a speaker sends for a decode error (RFC 4271 section
    /// 6 data: the bad length, the bad type, the supported version 4, the
    /// missing attribute's type code). `None` when the error does not reset
    /// a session. For attribute errors found in an UPDATE, the
    /// [`UpdateOutcome`](crate::message::UpdateOutcome) carries the data
    /// with the erroneous attribute.
    pub fn for_error(e: &Error) -> Option<Self> {
        let (code, subcode) = e.notification_code()?;
        let data = match e {
            Error::BadMessageLength { length, .. } => length.to_be_bytes().to_vec(),
            Error::BadMessageType { msg_type, .. } => alloc::vec![*msg_type],
            Error::UnsupportedVersion { .. } => alloc::vec![0, 4],
            Error::MissingWellKnownAttribute { type_code } => alloc::vec![*type_code],
            _ => Vec::new(),
        };
        Some(Notification::new(code, subcode, data))
    }

    /// Name of the error code.
    pub fn code_name(&self) -> Option<&'static str> {
        Some(match self.code {
            1 => "Message Header Error",
            2 => "OPEN Message Error",
            3 => "UPDATE Message Error",
            4 => "Hold Timer Expired",
            5 => "Finite State Machine Error",
            6 => "Cease",
            7 => "ROUTE-REFRESH Message Error",
            8 => "Send Hold Timer Expired",
            _ => return None,
        })
    }

    /// Name of the subcode within the code.
    pub fn subcode_name(&self) -> Option<&'static str> {
        Some(match (self.code, self.subcode) {
            (1..=3 | 4 | 8, 0) => "Unspecific",
            (1, 1) => "Connection Not Synchronized",
            (1, 2) => "Bad Message Length",
            (1, 3) => "Bad Message Type",
            (2, 1) => "Unsupported Version Number",
            (2, 2) => "Bad Peer AS",
            (2, 3) => "Bad BGP Identifier",
            (2, 4) => "Unsupported Optional Parameter",
            (2, 5) => "Authentication Failure (deprecated)",
            (2, 6) => "Unacceptable Hold Time",
            (2, 7) => "Unsupported Capability",
            (2, 8..=10) => "Deprecated",
            (2, 11) => "Role Mismatch",
            (3, 1) => "Malformed Attribute List",
            (3, 2) => "Unrecognized Well-known Attribute",
            (3, 3) => "Missing Well-known Attribute",
            (3, 4) => "Attribute Flags Error",
            (3, 5) => "Attribute Length Error",
            (3, 6) => "Invalid ORIGIN Attribute",
            (3, 7) => "AS Routing Loop (deprecated)",
            (3, 8) => "Invalid NEXT_HOP Attribute",
            (3, 9) => "Optional Attribute Error",
            (3, 10) => "Invalid Network Field",
            (3, 11) => "Malformed AS_PATH",
            (5, 0) => "Unspecified Error",
            (5, 1) => "Receive Unexpected Message in OpenSent State",
            (5, 2) => "Receive Unexpected Message in OpenConfirm State",
            (5, 3) => "Receive Unexpected Message in Established State",
            (6, 0) => "Reserved",
            (6, 1) => "Maximum Number of Prefixes Reached",
            (6, 2) => "Administrative Shutdown",
            (6, 3) => "Peer De-configured",
            (6, 4) => "Administrative Reset",
            (6, 5) => "Connection Rejected",
            (6, 6) => "Other Configuration Change",
            (6, 7) => "Connection Collision Resolution",
            (6, 8) => "Out of Resources",
            (6, 9) => "Hard Reset",
            (6, 10) => "BFD Down",
            (7, 0) => "Reserved",
            (7, 1) => "Invalid Message Length",
            _ => return None,
        })
    }

    /// The most specific name known: the subcode's, else the code's.
    pub fn name(&self) -> &'static str {
        self.subcode_name()
            .filter(|n| !matches!(*n, "Unspecific" | "Reserved"))
            .or_else(|| self.code_name())
            .unwrap_or("Unknown")
    }

    /// The Shutdown Communication (RFC 9003) of a Cease / Administrative
    /// Shutdown or Administrative Reset, if the data holds valid UTF-8.
    pub fn shutdown_communication(&self) -> Option<&str> {
        if self.code != 6 || !matches!(self.subcode, 2 | 4) {
            return None;
        }
        let (&len, rest) = self.data.split_first()?;
        core::str::from_utf8(rest.get(..usize::from(len))?).ok()
    }

    /// Bytes of the body.
    pub fn encoded_len(&self) -> usize {
        2 + self.data.len()
    }

    /// Writes the body.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.code);
        buf.put_u8(self.subcode);
        buf.put_slice(&self.data);
    }

    /// Decodes a body (after the header).
    pub fn decode(body: &[u8]) -> Result<Self> {
        Self::decode_at(body, 0)
    }

    pub(crate) fn decode_at(body: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(body, base, Section::Notification);
        let code = cur.u8("error code")?;
        let subcode = cur.u8("error subcode")?;
        Ok(Notification::new(code, subcode, cur.rest().to_vec()))
    }
}

impl fmt::Display for Notification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} / {} ({}/{})",
            self.code_name().unwrap_or("Unknown"),
            self.subcode_name().unwrap_or("Unknown"),
            self.code,
            self.subcode
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;
    use alloc::string::ToString;
    use proptest::prelude::*;

    #[test]
    fn layout_and_names() {
        let b = hex("0602 0a 676f6f6420627965 21 21");
        let n = Notification::decode(&b).unwrap();
        assert_eq!(n.name(), "Administrative Shutdown");
        assert_eq!(n.shutdown_communication(), Some("good bye!!"));
        let mut out = Vec::new();
        n.encode(&mut out);
        assert_eq!(out, b);
        let n = Notification::new(3, 11, vec![]);
        assert_eq!(
            n.to_string(),
            "UPDATE Message Error / Malformed AS_PATH (3/11)"
        );
        assert_eq!(Notification::new(4, 0, vec![]).name(), "Hold Timer Expired");
        assert_eq!(Notification::new(9, 0, vec![]).name(), "Unknown");
        assert!(Notification::decode(&[6]).is_err());
        let e = Error::BadMessageLength {
            offset: 16,
            length: 5000,
            min: 19,
            max: 4096,
        };
        assert_eq!(
            Notification::for_error(&e),
            Some(Notification::new(1, 2, vec![0x13, 0x88]))
        );
    }

    proptest! {
        #[test]
        fn roundtrip(code in any::<u8>(), subcode in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..20)) {
            let n = Notification::new(code, subcode, data);
            let mut v = vec![0xA5; n.encoded_len()];
            {
                let mut s = &mut v[..];
                n.encode(&mut s);
                prop_assert!(s.is_empty());
            }
            prop_assert_eq!(Notification::decode(&v).unwrap(), n);
            prop_assert!(Notification::decode(&v[..1]).is_err());
        }
    }
}
