//! JSON lines and the summary.
//!
//! Every [`Record`] becomes one JSON object on one line, with the fields in
//! this order (absent ones skipped as noted):
//!
//! | field | value |
//! |---|---|
//! | `file` | capture path (absent in `--hex` mode) |
//! | `frame` | 1-based number of the frame that completed the message (`null` in `--hex` mode) |
//! | `ts` | that frame's timestamp as a string of seconds with the capture's own precision, e.g. `"1700000000.123456"` (`null` if unknown) |
//! | `flow` | `"src ip:port -> dst ip:port"` (`null` if unknown) |
//! | `protocol` | `"vxlan"`, `"bgp"` or `"openflow"` |
//! | header fields | `input` (VXLAN: `"ethernet"`/`"ip"`), `type`, `type_name`, `version`, `xid` (from the message header), `len` (bytes handed to the decoder) |
//! | `hex` | the raw message (BGP, OpenFlow and every error line) |
//! | `decoder` | `"vxlan-wire"`, `"bgp-evpn-wire"`, `"openflow-wire"`, or `"unavailable"` for a message the decoder only frames (OpenFlow of a version other than 1.3, see [`crate::openflow`]) |
//! | `decoded` | the decoded value; `null` when the decoder is unavailable; absent on error lines |
//! | `unavailable` | why the decoder is unavailable (only on such lines) |
//! | `error` | `{"text": .., "offset": ..}` (offset in the message, or `null`) on error lines, plus protocol detail (`not_vxlan`; BGP `rfc7606` or `notification`, see [`crate::bgp`]) |
//! | `roundtrip` | with `--roundtrip`, on decoded lines: `"identical"` or the differences |
//!
//! The [`Summary`] counts lines: `messages` is every line printed (decoded,
//! decoder unavailable, or error); `decoded` the lines with a decoded value;
//! `errors` the error lines. A message whose decoder is unavailable counts
//! only under `messages`.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::capture::Timestamp;
use crate::packet::Flow;
use crate::protocol::{DecodeError, Outcome, Protocol, RoundTrip};

/// Most bytes of hex printed for an error line whose bytes are a stream remainder.
pub const MAX_ERROR_HEX: usize = 256;

/// One output line.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Capture file, if reading one.
    pub file: Option<String>,
    /// Number of the frame that completed the message.
    pub frame: Option<u64>,
    /// Timestamp of that frame.
    pub ts: Option<Timestamp>,
    /// Transport flow the message travelled on.
    pub flow: Option<Flow>,
    /// The protocol.
    pub protocol: Protocol,
    /// Header fields (`input`, `type`, `type_name`, `version`, `xid`, `len`...).
    pub info: Map<String, Value>,
    /// Raw bytes to print in hex, if any.
    pub hex: Option<Vec<u8>>,
    /// What decoding gave.
    pub outcome: Outcome,
}

#[derive(Serialize)]
struct Line<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    frame: Option<u64>,
    ts: Option<String>,
    flow: Option<String>,
    protocol: &'static str,
    #[serde(flatten)]
    info: &'a Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hex: Option<String>,
    decoder: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    decoded: Option<Option<&'a Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unavailable: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    roundtrip: Option<Value>,
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Parses hex (upper or lower case; spaces, colons and a `0x` prefix allowed).
pub fn parse_hex(s: &str) -> Result<Vec<u8>, String> {
    let s = s.trim();
    let s = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let digits: Vec<u8> = s
        .bytes()
        .filter(|b| !matches!(b, b' ' | b':' | b'\n' | b'\t' | b'\r'))
        .collect();
    if !digits.len().is_multiple_of(2) {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let hi = (pair[0] as char).to_digit(16);
            let lo = (pair[1] as char).to_digit(16);
            match (hi, lo) {
                (Some(h), Some(l)) => Ok((h * 16 + l) as u8),
                _ => Err(format!(
                    "not a hex digit pair: {:?}",
                    String::from_utf8_lossy(pair)
                )),
            }
        })
        .collect()
}

impl Record {
    /// An error line.
    pub fn error(protocol: Protocol, error: DecodeError) -> Record {
        Record {
            file: None,
            frame: None,
            ts: None,
            flow: None,
            protocol,
            info: Map::new(),
            hex: None,
            outcome: Outcome::Error(error),
        }
    }

    /// The JSON object of this line.
    pub fn to_json(&self) -> Value {
        // Serialising a map-like struct of JSON values cannot fail.
        serde_json::to_value(self.line()).unwrap_or(Value::Null)
    }

    /// The line as a compact JSON string (no newline).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(&self.line()).unwrap_or_else(|_| "null".to_string())
    }

    fn line(&self) -> Line<'_> {
        let (decoder, decoded, unavailable, error, roundtrip) = match &self.outcome {
            Outcome::Decoded { value, roundtrip } => (
                self.protocol.decoder_name(),
                Some(Some(value)),
                None,
                None,
                roundtrip.as_ref().map(RoundTrip::to_json),
            ),
            Outcome::Unavailable(why) => ("unavailable", Some(None), Some(*why), None, None),
            Outcome::Error(e) => (
                self.protocol.decoder_name(),
                None,
                None,
                Some(e.to_json()),
                None,
            ),
        };
        Line {
            file: self.file.as_deref(),
            frame: self.frame,
            ts: self.ts.map(|t| t.to_string()),
            flow: self.flow.map(|f| f.to_string()),
            protocol: self.protocol.name(),
            info: &self.info,
            hex: self.hex.as_deref().map(hex),
            decoder,
            decoded,
            unavailable,
            error,
            roundtrip,
        }
    }
}

/// Counts over all lines printed; see the module docs for the semantics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines printed (every message, whatever became of it, and every error).
    pub messages: u64,
    /// Messages decoded by a decoder crate.
    pub decoded: u64,
    /// Error lines (framing, decoding, reassembly, not-VXLAN).
    pub errors: u64,
    /// Decoded messages whose re-encoding is byte-identical.
    pub roundtrip_identical: u64,
    /// Decoded messages whose re-encoding differs.
    pub roundtrip_different: u64,
}

impl Summary {
    /// Counts one line.
    pub fn count(&mut self, r: &Record) {
        self.messages += 1;
        match &r.outcome {
            Outcome::Decoded { roundtrip, .. } => {
                self.decoded += 1;
                match roundtrip {
                    Some(RoundTrip::Identical) => self.roundtrip_identical += 1,
                    Some(RoundTrip::Different { .. }) => self.roundtrip_different += 1,
                    None => {}
                }
            }
            Outcome::Unavailable(_) => {}
            Outcome::Error(_) => self.errors += 1,
        }
    }

    /// Whether the run found errors or round-trip differences (exit status 1).
    pub fn failed(&self) -> bool {
        self.errors > 0 || self.roundtrip_different > 0
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "summary: messages={} decoded={} errors={} roundtrip_identical={} roundtrip_different={}",
            self.messages,
            self.decoded,
            self.errors,
            self.roundtrip_identical,
            self.roundtrip_different
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hex_both_ways() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(parse_hex("0x00AB10").unwrap(), vec![0, 0xab, 0x10]);
        assert_eq!(parse_hex("00:ab 10").unwrap(), vec![0, 0xab, 0x10]);
        assert!(parse_hex("abc").is_err());
        assert!(parse_hex("zz").is_err());
    }

    #[test]
    fn unavailable_line_shape_and_counting() {
        let mut info = Map::new();
        info.insert("type".into(), json!(4));
        let r = Record {
            file: Some("x.pcap".into()),
            frame: Some(3),
            ts: Some(Timestamp {
                secs: 1,
                frac: 5,
                digits: 6,
            }),
            flow: Some(Flow {
                src: "10.0.0.1:179".parse().unwrap(),
                dst: "10.0.0.2:40000".parse().unwrap(),
            }),
            protocol: Protocol::OpenFlow,
            info,
            hex: Some(vec![0x01, 0x00]),
            outcome: Outcome::Unavailable("not 1.3"),
        };
        assert_eq!(
            r.to_json_line(),
            r#"{"file":"x.pcap","frame":3,"ts":"1.000005","flow":"10.0.0.1:179 -> 10.0.0.2:40000","protocol":"openflow","type":4,"hex":"0100","decoder":"unavailable","decoded":null,"unavailable":"not 1.3"}"#
        );
        let mut s = Summary::default();
        s.count(&r);
        s.count(&Record::error(
            Protocol::OpenFlow,
            DecodeError::new("bad", Some(2)),
        ));
        assert_eq!(
            s.to_string(),
            "summary: messages=2 decoded=0 errors=1 roundtrip_identical=0 roundtrip_different=0"
        );
        assert!(s.failed());
    }
}
