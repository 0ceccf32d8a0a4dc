//! Cutting a reassembled TCP byte stream into protocol messages.
//!
//! - BGP (RFC 4271 §4.1): 16-byte marker of all ones, 2-byte length at
//!   offset 16 (19..=65535, header included), 1-byte type at offset 18.
//! - OpenFlow (all versions): 1-byte version, 1-byte type, 2-byte length at
//!   offset 2 (at least 8, header included), 4-byte xid.
//!
//! A marker that is not all ones or an impossible length is a framing error:
//! the stream cannot be resynchronised from there (OpenFlow has no marker),
//! so the caller stops framing that direction.

use serde_json::{Map, Value, json};

/// A protocol carried over TCP whose messages this tool frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StreamProtocol {
    /// BGP-4 (TCP port 179).
    Bgp,
    /// OpenFlow (TCP ports 6653 and 6633).
    OpenFlow,
}

/// The result of looking at the start of a byte stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Framed {
    /// Not enough bytes yet for a whole message.
    Incomplete {
        /// Total bytes needed, when the header already tells.
        needed: Option<usize>,
    },
    /// A whole message of this many bytes starts the stream.
    Message(usize),
    /// The stream does not start with a valid header.
    Error(FramingError),
}

/// An invalid message header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FramingError {
    /// What is wrong.
    pub text: String,
    /// Offset of the offending field in the message.
    pub offset: usize,
}

/// BGP header length.
pub const BGP_HEADER_LEN: usize = 19;
/// OpenFlow header length.
pub const OPENFLOW_HEADER_LEN: usize = 8;

impl StreamProtocol {
    /// The name used in the `"protocol"` field of the JSON lines.
    pub fn name(self) -> &'static str {
        match self {
            StreamProtocol::Bgp => "bgp",
            StreamProtocol::OpenFlow => "openflow",
        }
    }

    /// The protocol a TCP port pair belongs to, if any (either port counts).
    pub fn for_ports(a: u16, b: u16) -> Option<StreamProtocol> {
        let of = |p| match p {
            179 => Some(StreamProtocol::Bgp),
            6653 | 6633 => Some(StreamProtocol::OpenFlow),
            _ => None,
        };
        of(a).or_else(|| of(b))
    }

    /// Looks for a complete message at the start of `buf`.
    pub fn frame(self, buf: &[u8]) -> Framed {
        match self {
            StreamProtocol::Bgp => frame_bgp(buf),
            StreamProtocol::OpenFlow => frame_openflow(buf),
        }
    }

    /// Header fields of a framed message, for the JSON line: `"type"`,
    /// `"type_name"` and, for OpenFlow, `"version"` and `"xid"`.
    pub fn header_info(self, msg: &[u8]) -> Map<String, Value> {
        let mut m = Map::new();
        match self {
            StreamProtocol::Bgp => {
                if let Some(&t) = msg.get(18) {
                    m.insert("type".into(), json!(t));
                    m.insert("type_name".into(), json!(bgp_type_name(t)));
                }
            }
            StreamProtocol::OpenFlow => {
                if msg.len() >= OPENFLOW_HEADER_LEN {
                    let (v, t) = (msg[0], msg[1]);
                    m.insert("version".into(), json!(v));
                    m.insert("type".into(), json!(t));
                    m.insert("type_name".into(), json!(openflow_type_name(v, t)));
                    let xid = u32::from_be_bytes([msg[4], msg[5], msg[6], msg[7]]);
                    m.insert("xid".into(), json!(xid));
                }
            }
        }
        m
    }
}

fn frame_bgp(buf: &[u8]) -> Framed {
    // Check the marker bytes we have, so garbage is reported early.
    if let Some(i) = buf.iter().take(16).position(|&b| b != 0xff) {
        return Framed::Error(FramingError {
            text: format!("BGP marker byte {i} is {:#04x}, expected 0xff", buf[i]),
            offset: i,
        });
    }
    if buf.len() < BGP_HEADER_LEN {
        return Framed::Incomplete { needed: None };
    }
    let len = usize::from(u16::from_be_bytes([buf[16], buf[17]]));
    if len < BGP_HEADER_LEN {
        return Framed::Error(FramingError {
            text: format!("BGP message length {len} is less than the 19-byte header"),
            offset: 16,
        });
    }
    if buf.len() < len {
        Framed::Incomplete { needed: Some(len) }
    } else {
        Framed::Message(len)
    }
}

fn frame_openflow(buf: &[u8]) -> Framed {
    if buf.len() < 4 {
        return Framed::Incomplete { needed: None };
    }
    let len = usize::from(u16::from_be_bytes([buf[2], buf[3]]));
    if len < OPENFLOW_HEADER_LEN {
        return Framed::Error(FramingError {
            text: format!("OpenFlow message length {len} is less than the 8-byte header"),
            offset: 2,
        });
    }
    if buf.len() < len {
        Framed::Incomplete { needed: Some(len) }
    } else {
        Framed::Message(len)
    }
}

/// RFC 4271 / RFC 2918 message type names.
pub fn bgp_type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "OPEN",
        2 => "UPDATE",
        3 => "NOTIFICATION",
        4 => "KEEPALIVE",
        5 => "ROUTE-REFRESH",
        _ => return None,
    })
}

/// OpenFlow message type names per wire version (0x01 = 1.0 ... 0x06 = 1.5).
pub fn openflow_type_name(version: u8, t: u8) -> Option<&'static str> {
    const COMMON: [&str; 15] = [
        "HELLO",
        "ERROR",
        "ECHO_REQUEST",
        "ECHO_REPLY",
        "EXPERIMENTER",
        "FEATURES_REQUEST",
        "FEATURES_REPLY",
        "GET_CONFIG_REQUEST",
        "GET_CONFIG_REPLY",
        "SET_CONFIG",
        "PACKET_IN",
        "FLOW_REMOVED",
        "PORT_STATUS",
        "PACKET_OUT",
        "FLOW_MOD",
    ];
    const OF10_REST: [&str; 7] = [
        "PORT_MOD",
        "STATS_REQUEST",
        "STATS_REPLY",
        "BARRIER_REQUEST",
        "BARRIER_REPLY",
        "QUEUE_GET_CONFIG_REQUEST",
        "QUEUE_GET_CONFIG_REPLY",
    ];
    const OF11_REST: [&str; 21] = [
        "GROUP_MOD",
        "PORT_MOD",
        "TABLE_MOD",
        "STATS_REQUEST",
        "STATS_REPLY",
        "BARRIER_REQUEST",
        "BARRIER_REPLY",
        "QUEUE_GET_CONFIG_REQUEST",
        "QUEUE_GET_CONFIG_REPLY",
        "ROLE_REQUEST",
        "ROLE_REPLY",
        "GET_ASYNC_REQUEST",
        "GET_ASYNC_REPLY",
        "SET_ASYNC",
        "METER_MOD",
        "ROLE_STATUS",
        "TABLE_STATUS",
        "REQUESTFORWARD",
        "BUNDLE_CONTROL",
        "BUNDLE_ADD_MESSAGE",
        "CONTROLLER_STATUS",
    ];
    let t = usize::from(t);
    if version == 1 && t == 4 {
        return Some("VENDOR");
    }
    if let Some(name) = COMMON.get(t) {
        return (1..=6).contains(&version).then_some(*name);
    }
    let rest = t - COMMON.len();
    let (table, last): (&[&str], usize) = match version {
        1 => (&OF10_REST, 21),
        2 => (&OF11_REST, 23),
        3 => (&OF11_REST, 25),
        4 => (&OF11_REST, 29),
        5 => (&OF11_REST, 34),
        6 => (&OF11_REST, 35),
        _ => return None,
    };
    let name = *table.get(rest)?;
    if t > last {
        return None;
    }
    // OpenFlow 1.3 renamed STATS_* to MULTIPART_*.
    Some(match (version >= 4, name) {
        (true, "STATS_REQUEST") => "MULTIPART_REQUEST",
        (true, "STATS_REPLY") => "MULTIPART_REPLY",
        _ => name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keepalive() -> Vec<u8> {
        let mut v = vec![0xff; 16];
        v.extend_from_slice(&[0, 19, 4]);
        v
    }

    #[test]
    fn bgp_keepalive_frames_after_19_bytes() {
        let k = keepalive();
        for cut in 0..19 {
            assert!(
                matches!(
                    StreamProtocol::Bgp.frame(&k[..cut]),
                    Framed::Incomplete { .. }
                ),
                "cut {cut}"
            );
        }
        assert_eq!(StreamProtocol::Bgp.frame(&k), Framed::Message(19));
        let mut two = k.clone();
        two.extend_from_slice(&k);
        assert_eq!(StreamProtocol::Bgp.frame(&two), Framed::Message(19));
        let info = StreamProtocol::Bgp.header_info(&k);
        assert_eq!(info["type"], 4);
        assert_eq!(info["type_name"], "KEEPALIVE");
    }

    #[test]
    fn bgp_bad_marker_and_length_are_errors() {
        let mut k = keepalive();
        k[5] = 0xfe;
        assert_eq!(
            StreamProtocol::Bgp.frame(&k[..7]),
            Framed::Error(FramingError {
                text: "BGP marker byte 5 is 0xfe, expected 0xff".into(),
                offset: 5
            })
        );
        let mut k = keepalive();
        k[17] = 18;
        match StreamProtocol::Bgp.frame(&k) {
            Framed::Error(e) => assert_eq!(e.offset, 16),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bgp_length_tells_how_much_is_needed() {
        let mut update = vec![0xff; 16];
        update.extend_from_slice(&[0, 23, 2, 0, 0, 0]);
        assert_eq!(
            StreamProtocol::Bgp.frame(&update),
            Framed::Incomplete { needed: Some(23) }
        );
        update.push(0);
        assert_eq!(StreamProtocol::Bgp.frame(&update), Framed::Message(23));
    }

    #[test]
    fn openflow_hello_and_bad_length() {
        let hello = [4u8, 0, 0, 8, 0, 0, 0, 7];
        assert_eq!(StreamProtocol::OpenFlow.frame(&hello), Framed::Message(8));
        assert_eq!(
            StreamProtocol::OpenFlow.frame(&hello[..3]),
            Framed::Incomplete { needed: None }
        );
        let info = StreamProtocol::OpenFlow.header_info(&hello);
        assert_eq!(info["type_name"], "HELLO");
        assert_eq!(info["version"], 4);
        assert_eq!(info["xid"], 7);
        let bad = [4u8, 0, 0, 7, 0, 0, 0, 0];
        match StreamProtocol::OpenFlow.frame(&bad) {
            Framed::Error(e) => assert_eq!(e.offset, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn openflow_type_names_follow_the_version() {
        assert_eq!(openflow_type_name(1, 4), Some("VENDOR"));
        assert_eq!(openflow_type_name(4, 4), Some("EXPERIMENTER"));
        assert_eq!(openflow_type_name(1, 16), Some("STATS_REQUEST"));
        assert_eq!(openflow_type_name(4, 18), Some("MULTIPART_REQUEST"));
        assert_eq!(openflow_type_name(1, 22), None);
        assert_eq!(openflow_type_name(4, 29), Some("METER_MOD"));
        assert_eq!(openflow_type_name(4, 30), None);
        assert_eq!(openflow_type_name(6, 35), Some("CONTROLLER_STATUS"));
        assert_eq!(openflow_type_name(9, 0), None);
    }

    #[test]
    fn ports_choose_the_protocol() {
        assert_eq!(
            StreamProtocol::for_ports(179, 40000),
            Some(StreamProtocol::Bgp)
        );
        assert_eq!(
            StreamProtocol::for_ports(40000, 6633),
            Some(StreamProtocol::OpenFlow)
        );
        assert_eq!(StreamProtocol::for_ports(80, 443), None);
    }
}
