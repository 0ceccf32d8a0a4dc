//! OpenFlow 1.3 over TCP through `openflow-wire`, in hand-built captures
//! whose messages are built with `openflow-wire` itself: a HELLO exchange
//! with version bitmaps, FEATURES_REPLY, a tunnel FLOW_MOD from
//! `builder::TunnelFlow`, and a PORT_DESC MULTIPART reply cut across three
//! TCP segments; plus OpenFlow 1.0 (framed, not decoded) and a broken 1.3
//! message.

mod common;

use std::net::{IpAddr, Ipv4Addr};

use common::*;
use openflow_wire::builder::{TunnelFlow, TunnelKey};
use openflow_wire::message::{FeaturesReply, MultipartReply, MultipartReplyBody, Port};
use openflow_wire::{Body, Hello, Message};
use serde_json::{Value, json};

const CTRL: ([u8; 4], u16) = (CLIENT, 6653);
const SWITCH: ([u8; 4], u16) = (SERVER, 41000);

fn bytes(msg: &Message) -> Vec<u8> {
    msg.to_bytes().expect("encodes")
}

/// The switch's HELLO: header version 6 (1.5), bitmap {1, 4, 5, 6}, as
/// Open vSwitch 3.x sends it.
fn switch_hello() -> Message {
    Message {
        version: 6,
        xid: 1,
        body: Body::Hello(Hello::with_versions(&[1, 4, 5, 6])),
    }
}

fn features_reply() -> Message {
    Message::new(
        2,
        Body::FeaturesReply(FeaturesReply {
            datapath_id: 0x0000_0242_ac11_0002,
            n_buffers: 0,
            n_tables: 254,
            auxiliary_id: 0,
            capabilities: 0x4f,
            reserved: 0,
        }),
    )
}

fn tunnel_flow_mod() -> Message {
    let flow = TunnelFlow {
        key: TunnelKey::InPort(1),
        eth_dst: [0x02, 0, 0, 0, 0, 0x0a].into(),
        remote_vtep: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2)),
        vni: 5000,
        vxlan_port: 10,
        table_id: 0,
        priority: 100,
        cookie: 0x1,
    };
    Message::new(3, Body::FlowMod(flow.flow_mod().expect("valid flow")))
}

fn port(no: u32) -> Port {
    let mut name = [0u8; 16];
    let text = format!("vxlan{no}");
    name[..text.len()].copy_from_slice(text.as_bytes());
    Port {
        port_no: no,
        hw_addr: [0x02, 0, 0, 0, 1, no as u8].into(),
        name,
        config: 0,
        state: 4,
        curr: 0x2820,
        advertised: 0,
        supported: 0,
        peer: 0,
        curr_speed: 10_000_000,
        max_speed: 0,
    }
}

fn port_desc_reply() -> Message {
    Message::new(
        4,
        Body::MultipartReply(MultipartReply {
            flags: 0,
            body: MultipartReplyBody::PortDesc(vec![port(1), port(2), port(10)]),
        }),
    )
}

/// The session as frames, with the sequence number of each direction
/// continuing: controller HELLO, switch HELLO, FEATURES_REPLY and the
/// PORT_DESC reply cut at bytes 5 and 70 (three segments, the middle one
/// in a frame of its own), then the controller's FLOW_MOD.
fn session(link: fn(&[u8]) -> Vec<u8>) -> Vec<Vec<u8>> {
    let ctrl_hello = bytes(&Message::new(1, Body::Hello(Hello::with_versions(&[4]))));
    let mut from_switch = bytes(&switch_hello());
    from_switch.extend(bytes(&features_reply()));
    let reply = bytes(&port_desc_reply());
    let flow_mod = bytes(&tunnel_flow_mod());
    let (mut c_seq, mut s_seq) = (100u32, 9000u32);
    let mut frames = Vec::new();
    let mut push = |from_ctrl: bool, payload: &[u8]| {
        let (src, dst, seq) = if from_ctrl {
            (CTRL, SWITCH, &mut c_seq)
        } else {
            (SWITCH, CTRL, &mut s_seq)
        };
        frames.push(link(&tcp_ip(src, dst, *seq, Flags::default(), payload)));
        *seq += payload.len() as u32;
    };
    push(true, &ctrl_hello);
    // The switch's HELLO, FEATURES_REPLY and the first 5 bytes of the reply.
    push(false, &[from_switch.as_slice(), &reply[..5]].concat());
    push(false, &reply[5..70]);
    push(false, &reply[70..]);
    push(true, &flow_mod);
    frames
}

fn pcap_of(name: &str, frames: Vec<Vec<u8>>) -> std::path::PathBuf {
    let frames: Vec<(u32, u32, Vec<u8>)> = frames
        .into_iter()
        .enumerate()
        .map(|(i, f)| (1_700_000_000, i as u32, f))
        .collect();
    temp_file(name, &pcap(1, &frames))
}

fn check_session(r: &Run) {
    assert_eq!(r.status, 0, "stderr: {}", r.stderr);
    assert_eq!(
        r.stderr,
        "summary: messages=5 decoded=5 errors=0 roundtrip_identical=5 roundtrip_different=0\n"
    );
    let heads: Vec<(u64, &str, u64, u64)> = r
        .lines
        .iter()
        .map(|l| {
            assert_eq!(l["protocol"], "openflow");
            assert_eq!(l["decoder"], "openflow-wire");
            assert_eq!(l["roundtrip"], "identical");
            assert_eq!(l["decoded"]["version"], l["version"]);
            assert_eq!(l["decoded"]["xid"], l["xid"]);
            (
                l["frame"].as_u64().unwrap(),
                l["type_name"].as_str().unwrap(),
                l["version"].as_u64().unwrap(),
                l["len"].as_u64().unwrap(),
            )
        })
        .collect();
    let reply_len = port_desc_reply().encoded_len() as u64;
    let flow_mod_len = tunnel_flow_mod().encoded_len() as u64;
    assert_eq!(
        heads,
        vec![
            (1, "HELLO", 4, 16),
            (2, "HELLO", 6, 16),
            (2, "FEATURES_REPLY", 4, 32),
            // Completed by the third segment, in frame 4.
            (4, "MULTIPART_REPLY", 4, reply_len),
            (5, "FLOW_MOD", 4, flow_mod_len),
        ]
    );
    let flows: Vec<&str> = r
        .lines
        .iter()
        .map(|l| l["flow"].as_str().unwrap())
        .collect();
    assert_eq!(flows[0], "192.0.2.1:6653 -> 192.0.2.2:41000");
    assert_eq!(flows[1], "192.0.2.2:41000 -> 192.0.2.1:6653");

    // HELLO bitmaps: {4} from the controller, {1, 4, 5, 6} = 0x72 from the switch.
    assert_eq!(
        r.lines[0]["decoded"]["body"],
        json!({"Hello": {"elements": [{"VersionBitmap": [0x10]}]}})
    );
    assert_eq!(r.lines[0]["hex"], "04000010000000010001000800000010");
    assert_eq!(
        r.lines[1]["decoded"]["body"]["Hello"]["elements"][0]["VersionBitmap"],
        json!([0x72])
    );

    assert_eq!(
        r.lines[2]["decoded"]["body"],
        json!({"FeaturesReply": {
            "datapath_id": 0x0000_0242_ac11_0002u64,
            "n_buffers": 0,
            "n_tables": 254,
            "auxiliary_id": 0,
            "capabilities": 0x4f,
            "reserved": 0,
        }})
    );

    let mp = &r.lines[3]["decoded"]["body"]["MultipartReply"];
    assert_eq!(mp["flags"], 0);
    let ports = mp["body"]["PortDesc"].as_array().unwrap();
    let numbers: Vec<&Value> = ports.iter().map(|p| &p["port_no"]).collect();
    assert_eq!(numbers, [&json!(1), &json!(2), &json!(10)]);
    assert_eq!(ports[2]["curr_speed"], 10_000_000);
    assert_eq!(ports[2]["state"], 4);

    // The FLOW_MOD: the decoded value is openflow-wire's serde form of the
    // message the builder made, field for field.
    assert_eq!(
        r.lines[4]["decoded"],
        serde_json::to_value(tunnel_flow_mod()).unwrap()
    );
    let fm = &r.lines[4]["decoded"]["body"]["FlowMod"];
    assert_eq!(fm["priority"], 100);
    assert_eq!(fm["cookie"], 1);
    assert_eq!(
        fm["match"]["fields"],
        json!([
            {"InPort": {"value": 1, "mask": null}},
            {"EthDst": {"value": [2, 0, 0, 0, 0, 10], "mask": null}},
        ])
    );
    assert_eq!(
        fm["instructions"],
        json!([{"ApplyActions": [
            {"SetField": {"TunIpv4Dst": {"value": "198.51.100.2", "mask": null}}},
            {"SetField": {"TunnelId": {"value": 5000, "mask": null}}},
            {"Output": {"port": 10, "max_len": 65535}},
        ]}])
    );
}

#[test]
fn openflow13_session_decodes_and_round_trips() {
    let path = pcap_of("of13-session.pcap", session(ethernet));
    let r = run(&["--roundtrip", path.to_str().unwrap()]);
    check_session(&r);
    // Without --roundtrip: the same lines, no "roundtrip" field.
    let r = run(&[path.to_str().unwrap()]);
    assert_eq!(r.status, 0);
    assert_eq!(
        r.summary(),
        "summary: messages=5 decoded=5 errors=0 roundtrip_identical=0 roundtrip_different=0"
    );
    assert!(r.lines.iter().all(|l| l.get("roundtrip").is_none()));
}

#[test]
fn openflow13_session_in_pcapng_sll() {
    let frames: Vec<(u64, Vec<u8>)> = session(sll)
        .into_iter()
        .enumerate()
        .map(|(i, f)| (1_700_000_000_000_000 + i as u64, f))
        .collect();
    let path = temp_file("of13-session.pcapng", &pcapng(113, &frames));
    check_session(&run(&["--roundtrip", path.to_str().unwrap()]));
}

#[test]
fn hex_mode_decodes_each_message() {
    let mut all = bytes(&features_reply());
    all.extend(bytes(&tunnel_flow_mod()));
    let hex: String = all.iter().map(|b| format!("{b:02x}")).collect();
    let r = run(&["--roundtrip", "--hex", "openflow", &hex]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.summary(),
        "summary: messages=2 decoded=2 errors=0 roundtrip_identical=2 roundtrip_different=0"
    );
    assert_eq!(r.lines[0]["type_name"], "FEATURES_REPLY");
    assert_eq!(r.lines[1]["type_name"], "FLOW_MOD");
    assert_eq!(r.lines[1]["frame"], Value::Null);
    assert_eq!(
        r.lines[1]["decoded"],
        serde_json::to_value(tunnel_flow_mod()).unwrap()
    );
}

#[test]
fn other_versions_are_unavailable_not_errors() {
    // OpenFlow 1.0: HELLO (decoded: its format is every version's), then
    // FEATURES_REQUEST and an ECHO_REQUEST with data (framed, kept raw).
    let hello10 = bytes(&Message {
        version: 1,
        xid: 5,
        body: Body::Hello(Hello::default()),
    });
    let mut payload = hello10.clone();
    payload.extend([1, 5, 0, 8, 0, 0, 0, 6]);
    payload.extend([1, 2, 0, 12, 0, 0, 0, 7, 0xde, 0xad, 0xbe, 0xef]);
    let frame = ethernet(&tcp_ip(
        SWITCH,
        (CLIENT, 6633),
        1,
        Flags::default(),
        &payload,
    ));
    let path = pcap_of("of10.pcap", vec![frame]);
    let r = run(&["--roundtrip", path.to_str().unwrap()]);
    assert_eq!(r.status, 0, "unavailable is not an error: {}", r.stderr);
    assert_eq!(
        r.summary(),
        "summary: messages=3 decoded=1 errors=0 roundtrip_identical=1 roundtrip_different=0"
    );
    assert_eq!(r.lines[0]["decoder"], "openflow-wire");
    assert_eq!(r.lines[0]["decoded"]["version"], 1);
    assert_eq!(r.lines[0]["roundtrip"], "identical");
    for (line, (name, hex)) in r.lines[1..].iter().zip([
        ("FEATURES_REQUEST", "0105000800000006"),
        ("ECHO_REQUEST", "0102000c00000007deadbeef"),
    ]) {
        assert_eq!(line["version"], 1);
        assert_eq!(line["type_name"], name);
        assert_eq!(line["hex"], hex);
        assert_eq!(line["decoder"], "unavailable");
        assert_eq!(line["decoded"], Value::Null);
        assert_eq!(
            line["unavailable"],
            wire_inspect::openflow::VERSION_NOT_IMPLEMENTED
        );
        assert!(line.get("roundtrip").is_none());
        assert!(line.get("error").is_none());
    }
}

#[test]
fn broken_openflow13_message_is_an_error_and_exits_1() {
    // A FEATURES_REPLY four bytes short (length says 28: framed, but the
    // body is 20 bytes, not 24), then a good BARRIER_REQUEST.
    let mut short = bytes(&features_reply());
    short.truncate(28);
    short[3] = 28;
    let mut payload = short.clone();
    payload.extend([4, 20, 0, 8, 0, 0, 0, 9]);
    let hex: String = payload.iter().map(|b| format!("{b:02x}")).collect();
    let r = run(&["--roundtrip", "--hex", "openflow", &hex]);
    assert_eq!(r.status, 1);
    assert_eq!(
        r.summary(),
        "summary: messages=2 decoded=1 errors=1 roundtrip_identical=1 roundtrip_different=0"
    );
    let err = &r.lines[0];
    assert_eq!(err["decoder"], "openflow-wire");
    assert!(err.get("decoded").is_none());
    assert_eq!(err["hex"], hex[..56]);
    assert!(err["error"]["text"].as_str().unwrap().contains("truncated"));
    assert!(err["error"]["offset"].as_u64().unwrap() >= 8);
    assert_eq!(r.lines[1]["type_name"], "BARRIER_REQUEST");
    assert_eq!(r.lines[1]["decoded"]["body"], "BarrierRequest");
}
