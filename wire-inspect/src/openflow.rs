//! OpenFlow through the `openflow-wire` crate.
//!
//! `openflow-wire` decodes OpenFlow 1.3 (wire version 0x04) completely and
//! HELLO (type 0, whose format every version shares) in any version. Every
//! other message it frames and keeps raw ([`Body::Raw`]): a message of
//! another version (1.0, 1.4, ...) and a 1.3 message of a type 1.3 does not
//! define. Those re-encode identically, but only because nothing was
//! understood, so this tool does not call them decoded:
//!
//! | message | outcome | line |
//! |---|---|---|
//! | OpenFlow 1.3, known type; HELLO of any version | decoded | `"decoder":"openflow-wire"`, `"decoded":{"version","xid","body"}` (openflow-wire's serde form) |
//! | another version, not HELLO | unavailable | `"decoder":"unavailable"`, `"decoded":null`, `"unavailable":"`[`VERSION_NOT_IMPLEMENTED`]`"` |
//! | OpenFlow 1.3, type 30 or above | unavailable | as above with [`TYPE_UNKNOWN`] |
//! | a message `openflow-wire` rejects | error | `"error":{"text","offset"}` |
//!
//! An unavailable line counts as a message, neither decoded nor an error
//! (exit status 0), and gets no round trip; its `version` and `type` are in
//! the header fields of the line.
//!
//! With `--roundtrip` a decoded message is re-encoded with
//! `Message::to_bytes`. Where `openflow-wire` normalises (a HELLO element
//! without its padding to 8 re-encodes padded, non-zero padding reads back
//! as zero) the round trip shows the differing bytes.

use openflow_wire::{Body, Error, Message};

use crate::protocol::{Codec, DecodeError, Outcome, run};

/// Why a message of a version other than 1.3 (and not a HELLO) is not decoded.
pub const VERSION_NOT_IMPLEMENTED: &str = "openflow-wire decodes OpenFlow 1.3 (version 4) and HELLO of any version; this version is framed and kept raw";

/// Why a 1.3 message of an undefined type is not decoded.
pub const TYPE_UNKNOWN: &str =
    "message type not defined by OpenFlow 1.3; openflow-wire keeps it raw";

/// [`Codec`] for one OpenFlow message, over `openflow-wire`.
#[derive(Clone, Copy, Debug, Default)]
pub struct OpenFlowCodec;

impl Codec for OpenFlowCodec {
    type Message = Message;

    fn decode(&self, bytes: &[u8]) -> Result<Message, DecodeError> {
        Message::decode(bytes).map_err(|e| DecodeError::new(e.to_string(), error_offset(&e)))
    }

    fn encode(&self, msg: &Message) -> Vec<u8> {
        // Only a message over 65535 bytes fails to encode, and a decoded one
        // is never that long; an empty re-encoding would show as different.
        msg.to_bytes().unwrap_or_default()
    }
}

/// The byte offset a decoding error carries, if any.
fn error_offset(e: &Error) -> Option<usize> {
    match e {
        Error::Truncated { offset, .. }
        | Error::BadLength { offset, .. }
        | Error::BadValue { offset, .. }
        | Error::TrailingBytes { offset, .. }
        | Error::TooDeep { offset, .. } => Some(*offset),
        _ => None,
    }
}

/// Decodes one framed OpenFlow message (see the module docs for what is
/// decoded, unavailable or an error).
pub fn decode_openflow(bytes: &[u8], roundtrip: bool) -> Outcome {
    match Message::decode(bytes) {
        Ok(Message {
            version,
            body: Body::Raw { .. },
            ..
        }) => Outcome::Unavailable(if version == openflow_wire::header::OFP_VERSION_1_3 {
            TYPE_UNKNOWN
        } else {
            VERSION_NOT_IMPLEMENTED
        }),
        _ => run(&OpenFlowCodec, bytes, roundtrip),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::RoundTrip;
    use openflow_wire::Hello;

    #[test]
    fn hello_of_any_version_decodes() {
        for version in [1u8, 4, 6] {
            let msg = Message {
                version,
                xid: 7,
                body: Body::Hello(Hello::with_versions(&[1, 4])),
            };
            let bytes = msg.to_bytes().unwrap();
            let Outcome::Decoded { value, roundtrip } = decode_openflow(&bytes, true) else {
                panic!("HELLO of version {version} decodes")
            };
            assert_eq!(value["version"], version);
            assert_eq!(value["xid"], 7);
            assert_eq!(
                value["body"]["Hello"]["elements"][0]["VersionBitmap"][0],
                0x12
            );
            assert_eq!(roundtrip, Some(RoundTrip::Identical));
        }
    }

    #[test]
    fn raw_messages_are_unavailable_and_broken_ones_errors() {
        // OpenFlow 1.0 FEATURES_REQUEST.
        assert_eq!(
            decode_openflow(&[1, 5, 0, 8, 0, 0, 0, 1], true),
            Outcome::Unavailable(VERSION_NOT_IMPLEMENTED)
        );
        // OpenFlow 1.3 type 99.
        assert_eq!(
            decode_openflow(&[4, 99, 0, 9, 0, 0, 0, 1, 0xaa], true),
            Outcome::Unavailable(TYPE_UNKNOWN)
        );
        // OpenFlow 1.3 ROLE_REQUEST cut short.
        let Outcome::Error(e) = decode_openflow(&[4, 24, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2], true)
        else {
            panic!("a short ROLE_REQUEST is an error")
        };
        assert!(e.offset.is_some(), "{e:?}");
    }

    #[test]
    fn unpadded_hello_round_trip_shows_the_padding() {
        // A 12-byte bitmap element (two words) without its 4 bytes of padding.
        let bytes = [
            4u8, 0, 0, 20, 0, 0, 0, 1, 0, 1, 0, 12, 0, 0, 0, 0x10, 0, 0, 0, 0,
        ];
        let Outcome::Decoded { roundtrip, .. } = decode_openflow(&bytes, true) else {
            panic!("decodes")
        };
        let Some(RoundTrip::Different {
            len_expected,
            len_actual,
            ..
        }) = roundtrip
        else {
            panic!("re-encodes padded")
        };
        assert_eq!((len_expected, len_actual), (20, 24));
    }
}
