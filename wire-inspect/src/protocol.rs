//! The decoder registry: which crate decodes which message, and round trips.
//!
//! Each message format is a [`Codec`]: `decode` turns the exact bytes of one
//! message into a typed value (serialised to JSON with serde) or a
//! [`DecodeError`] with a byte offset; `encode` writes the typed value back
//! so `--roundtrip` can compare bytes. [`Protocol::decode`] is the registry:
//! one match arm per protocol. A message the decoder crate only frames and
//! keeps raw (OpenFlow of a version other than 1.3, see [`crate::openflow`])
//! answers [`Outcome::Unavailable`] with the reason, which is neither a
//! decode nor an error.
//!
//! To plug in a decoder, implement [`Codec`] for a small adapter type and
//! add a match arm `Protocol::X => run(&XCodec, bytes, roundtrip)`, as VXLAN
//! ([`crate::vxlan`]), BGP ([`crate::bgp`]) and OpenFlow
//! ([`crate::openflow`]) are. BGP needs the session's OPENs:
//! [`Protocol::decode`] uses the default context, the inspector passes each
//! connection's own through [`decode_bgp`].

use serde::Serialize;
use serde_json::{Value, json};

use crate::bgp::{BgpCodec, BgpContext};
use crate::framing::StreamProtocol;
use crate::openflow::decode_openflow;
use crate::vxlan::{VxlanCodec, VxlanInput};

/// Most byte differences listed in a round-trip report.
pub const MAX_LISTED_DIFFERENCES: usize = 64;

/// A message decoder and encoder for one format.
pub trait Codec {
    /// The decoded, typed form of one message.
    type Message: Serialize;
    /// Decodes exactly one message from `bytes`.
    fn decode(&self, bytes: &[u8]) -> Result<Self::Message, DecodeError>;
    /// Encodes `msg` back to bytes (for `--roundtrip`).
    fn encode(&self, msg: &Self::Message) -> Vec<u8>;
}

/// Why a message could not be decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    /// Human-readable description (the decoder's `Display`).
    pub text: String,
    /// Offset of the problem in the bytes handed to the decoder, if known.
    pub offset: Option<usize>,
    /// Extra structured detail (for example VXLAN's `NotVxlan` reason).
    pub detail: Option<(&'static str, Value)>,
}

impl DecodeError {
    /// An error with text and offset only.
    pub fn new(text: impl Into<String>, offset: Option<usize>) -> DecodeError {
        DecodeError {
            text: text.into(),
            offset,
            detail: None,
        }
    }

    /// The `"error"` object of a JSON line.
    pub fn to_json(&self) -> Value {
        let mut v = json!({ "text": self.text, "offset": self.offset });
        if let (Some((key, detail)), Some(obj)) = (&self.detail, v.as_object_mut()) {
            obj.insert((*key).to_string(), detail.clone());
        }
        v
    }
}

/// The result of comparing re-encoded bytes with the original ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoundTrip {
    /// Byte for byte the same.
    Identical,
    /// Some bytes or the length differ.
    Different {
        /// The first [`MAX_LISTED_DIFFERENCES`] differing offsets.
        listed: Vec<ByteDiff>,
        /// How many offsets differ in total (a missing byte counts).
        count: usize,
        /// Length of the original bytes.
        len_expected: usize,
        /// Length of the re-encoded bytes.
        len_actual: usize,
    },
}

/// One differing byte. `None` where one side is shorter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteDiff {
    /// Offset in the message.
    pub offset: usize,
    /// The original byte.
    pub expected: Option<u8>,
    /// The re-encoded byte.
    pub actual: Option<u8>,
}

impl RoundTrip {
    /// Compares the original bytes with the re-encoded ones.
    pub fn compare(expected: &[u8], actual: &[u8]) -> RoundTrip {
        let n = expected.len().max(actual.len());
        let mut listed = Vec::new();
        let mut count = 0;
        for offset in 0..n {
            let (e, a) = (expected.get(offset).copied(), actual.get(offset).copied());
            if e != a {
                count += 1;
                if listed.len() < MAX_LISTED_DIFFERENCES {
                    listed.push(ByteDiff {
                        offset,
                        expected: e,
                        actual: a,
                    });
                }
            }
        }
        if count == 0 {
            RoundTrip::Identical
        } else {
            RoundTrip::Different {
                listed,
                count,
                len_expected: expected.len(),
                len_actual: actual.len(),
            }
        }
    }

    /// The `"roundtrip"` value of a JSON line: `"identical"` or
    /// `{"different":[{"offset","expected","actual"}...],"count","len_expected","len_actual"}`
    /// (bytes as two hex digits, `null` past the end of the shorter side).
    pub fn to_json(&self) -> Value {
        match self {
            RoundTrip::Identical => json!("identical"),
            RoundTrip::Different {
                listed,
                count,
                len_expected,
                len_actual,
            } => {
                let hex = |b: Option<u8>| b.map(|b| format!("{b:02x}"));
                let different: Vec<Value> = listed
                    .iter()
                    .map(|d| {
                        json!({
                            "offset": d.offset,
                            "expected": hex(d.expected),
                            "actual": hex(d.actual),
                        })
                    })
                    .collect();
                json!({
                    "different": different,
                    "count": count,
                    "len_expected": len_expected,
                    "len_actual": len_actual,
                })
            }
        }
    }
}

/// What the registry made of one message.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Decoded; `roundtrip` is set when round trips were asked for.
    Decoded {
        /// The decoded message, serialised.
        value: Value,
        /// Comparison of the re-encoded bytes with the original ones.
        roundtrip: Option<RoundTrip>,
    },
    /// The decoder does not decode this message (an OpenFlow version other
    /// than 1.3, see [`crate::openflow`]): it is framed and reported raw,
    /// with the reason. Counted as a message, neither decoded nor an error.
    Unavailable(&'static str),
    /// The message (or frame) is invalid.
    Error(DecodeError),
}

/// Runs a codec on one message.
pub fn run<C: Codec>(codec: &C, bytes: &[u8], roundtrip: bool) -> Outcome {
    match codec.decode(bytes) {
        Ok(msg) => match serde_json::to_value(&msg) {
            Ok(value) => Outcome::Decoded {
                value,
                roundtrip: roundtrip.then(|| RoundTrip::compare(bytes, &codec.encode(&msg))),
            },
            Err(e) => Outcome::Error(DecodeError::new(
                format!("decoded, but the value does not serialise to JSON: {e}"),
                None,
            )),
        },
        Err(e) => Outcome::Error(e),
    }
}

/// Every message kind the tool knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// VXLAN, given the whole Ethernet frame.
    Vxlan,
    /// VXLAN, given the outer IP packet.
    VxlanIp,
    /// BGP message.
    Bgp,
    /// OpenFlow message.
    OpenFlow,
}

impl Protocol {
    /// The value of the `"protocol"` field of a JSON line.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::Vxlan | Protocol::VxlanIp => "vxlan",
            Protocol::Bgp => "bgp",
            Protocol::OpenFlow => "openflow",
        }
    }

    /// Parses the PROTO argument of `--hex`: `vxlan`, `vxlan-ip`, `bgp`, `openflow`.
    pub fn from_arg(s: &str) -> Option<Protocol> {
        Some(match s {
            "vxlan" => Protocol::Vxlan,
            "vxlan-ip" => Protocol::VxlanIp,
            "bgp" => Protocol::Bgp,
            "openflow" => Protocol::OpenFlow,
            _ => return None,
        })
    }

    /// The TCP protocol, for BGP and OpenFlow.
    pub fn stream(self) -> Option<StreamProtocol> {
        match self {
            Protocol::Bgp => Some(StreamProtocol::Bgp),
            Protocol::OpenFlow => Some(StreamProtocol::OpenFlow),
            Protocol::Vxlan | Protocol::VxlanIp => None,
        }
    }

    /// The registry: decodes one message of this protocol.
    pub fn decode(self, bytes: &[u8], decoders: &Decoders, roundtrip: bool) -> Outcome {
        match self {
            Protocol::Vxlan => run(
                &VxlanCodec::new(&decoders.vxlan, VxlanInput::Ethernet),
                bytes,
                roundtrip,
            ),
            Protocol::VxlanIp => run(
                &VxlanCodec::new(&decoders.vxlan, VxlanInput::Ip),
                bytes,
                roundtrip,
            ),
            Protocol::Bgp => decode_bgp(
                bytes,
                &BgpContext::default_context(decoders.bgp_two_octet_as),
                roundtrip,
            ),
            Protocol::OpenFlow => decode_openflow(bytes, roundtrip),
        }
    }

    /// The decoder reported in the `"decoder"` field of a JSON line.
    pub fn decoder_name(self) -> &'static str {
        match self {
            Protocol::Vxlan | Protocol::VxlanIp => "vxlan-wire",
            Protocol::Bgp => "bgp-evpn-wire",
            Protocol::OpenFlow => "openflow-wire",
        }
    }
}

impl From<StreamProtocol> for Protocol {
    fn from(p: StreamProtocol) -> Protocol {
        match p {
            StreamProtocol::Bgp => Protocol::Bgp,
            StreamProtocol::OpenFlow => Protocol::OpenFlow,
        }
    }
}

/// Decodes one BGP message with a session context (see [`crate::bgp`]).
pub fn decode_bgp(bytes: &[u8], ctx: &BgpContext, roundtrip: bool) -> Outcome {
    run(&BgpCodec::new(ctx), bytes, roundtrip)
}

/// Configuration shared by the decoders.
#[derive(Clone, Debug, Default)]
pub struct Decoders {
    /// Which UDP ports are VXLAN (and which are VXLAN-GPE).
    pub vxlan: vxlan_wire::DecapConfig,
    /// BGP messages with no OPEN known are decoded with 2-octet AS numbers
    /// first (4-octet first otherwise); `--bgp-as2`.
    pub bgp_two_octet_as: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_round_trip() {
        assert_eq!(RoundTrip::compare(b"abc", b"abc"), RoundTrip::Identical);
        assert_eq!(RoundTrip::Identical.to_json(), json!("identical"));
    }

    #[test]
    fn differences_are_listed_with_lengths() {
        let rt = RoundTrip::compare(&[1, 2, 3, 4], &[1, 9, 3]);
        assert_eq!(
            rt.to_json(),
            json!({
                "different": [
                    {"offset": 1, "expected": "02", "actual": "09"},
                    {"offset": 3, "expected": "04", "actual": null},
                ],
                "count": 2,
                "len_expected": 4,
                "len_actual": 3,
            })
        );
    }

    #[test]
    fn listed_differences_are_capped() {
        let a = vec![0u8; 100];
        let b = vec![1u8; 100];
        match RoundTrip::compare(&a, &b) {
            RoundTrip::Different { listed, count, .. } => {
                assert_eq!(listed.len(), MAX_LISTED_DIFFERENCES);
                assert_eq!(count, 100);
            }
            RoundTrip::Identical => panic!("they differ"),
        }
    }

    #[test]
    fn bgp_and_openflow_decode() {
        let keepalive = [[0xffu8; 16].as_slice(), &[0, 19, 4]].concat();
        let d = Decoders::default();
        let Outcome::Decoded { value, roundtrip } = Protocol::Bgp.decode(&keepalive, &d, true)
        else {
            panic!("KEEPALIVE decodes")
        };
        assert_eq!(value["message"], "Keepalive");
        assert_eq!(value["context"]["from"], "default");
        assert_eq!(roundtrip, Some(RoundTrip::Identical));
        let hello = [4u8, 0, 0, 8, 0, 0, 0, 1];
        let Outcome::Decoded { value, roundtrip } = Protocol::OpenFlow.decode(&hello, &d, true)
        else {
            panic!("HELLO decodes")
        };
        assert_eq!(value["body"]["Hello"]["elements"], json!([]));
        assert_eq!(roundtrip, Some(RoundTrip::Identical));
        assert_eq!(Protocol::OpenFlow.decoder_name(), "openflow-wire");
        // OpenFlow 1.0 BARRIER_REQUEST: framed, not decoded.
        assert!(matches!(
            Protocol::OpenFlow.decode(&[1, 18, 0, 8, 0, 0, 0, 1], &d, true),
            Outcome::Unavailable(_)
        ));
        assert_eq!(Protocol::from_arg("vxlan-ip"), Some(Protocol::VxlanIp));
        assert_eq!(Protocol::from_arg("ospf"), None);
    }
}
