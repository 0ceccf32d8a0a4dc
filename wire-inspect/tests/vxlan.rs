//! VXLAN frames built with `vxlan_wire::encapsulate`, in pcap and pcapng
//! files written by hand, alone and mixed with BGP and OpenFlow streams.

mod common;

use common::*;
use serde_json::{Value, json};
use vxlan_wire::{EncapParams, Vni, encapsulate};

/// An inner Ethernet frame (broadcast, EtherType 0x88b5 local experimental).
fn inner() -> Vec<u8> {
    let mut f = vec![0xff; 6];
    f.extend_from_slice(&[0x02, 0, 0, 0, 0, 0x33, 0x88, 0xb5]);
    f.extend((0u8..46).collect::<Vec<u8>>());
    f
}

fn params(vni: u32) -> EncapParams {
    EncapParams::new(
        MAC_A.into(),
        MAC_B.into(),
        "192.0.2.1".parse().unwrap(),
        "192.0.2.2".parse().unwrap(),
        Vni::new(vni).unwrap(),
    )
}

fn vxlan_frame(p: &EncapParams) -> Vec<u8> {
    let mut frame = Vec::new();
    encapsulate(&inner(), p, &mut frame).expect("encapsulate");
    frame
}

fn check_vxlan_line(line: &Value, frame: u64, input: &str, len: usize, vni: u32) {
    assert_eq!(line["frame"], frame);
    assert_eq!(line["protocol"], "vxlan");
    assert_eq!(line["input"], input);
    assert_eq!(line["len"], len);
    assert_eq!(line["decoder"], "vxlan-wire");
    assert_eq!(line["decoded"]["vxlan"]["vni"], vni);
    let src_port = line["decoded"]["udp"]["src_port"].as_u64().unwrap();
    assert_eq!(
        line["flow"],
        format!("192.0.2.1:{src_port} -> 192.0.2.2:4789")
    );
    assert_eq!(
        line["decoded"]["inner"],
        inner()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    assert_eq!(line["roundtrip"], "identical");
    assert!(line.get("error").is_none());
}

#[test]
fn vxlan_in_pcap_ethernet_round_trips() {
    let frame = vxlan_frame(&params(100));
    let path = temp_file("vxlan-eth.pcap", &pcap(1, &[(10, 20, frame.clone())]));
    let r = run(&["--roundtrip", path.to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.lines.len(), 1);
    check_vxlan_line(&r.lines[0], 1, "ethernet", frame.len(), 100);
    assert_eq!(r.lines[0]["ts"], "10.000020");
    assert_eq!(
        r.stderr,
        "summary: messages=1 decoded=1 errors=0 roundtrip_identical=1 roundtrip_different=0\n"
    );
    // Without --roundtrip: decoded, no round-trip field, none counted.
    let r = run(&[path.to_str().unwrap()]);
    assert_eq!(r.status, 0);
    assert!(r.lines[0].get("roundtrip").is_none());
    assert_eq!(
        r.summary(),
        "summary: messages=1 decoded=1 errors=0 roundtrip_identical=0 roundtrip_different=0"
    );
}

#[test]
fn vxlan_in_pcapng_sll_is_decoded_from_the_ip_packet() {
    let frame = vxlan_frame(&params(0xabcdef));
    let ip = &frame[14..];
    let path = temp_file("vxlan-sll.pcapng", &pcapng(113, &[(5_000_001, sll(ip))]));
    let r = run(&["--roundtrip", path.to_str().unwrap()]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    check_vxlan_line(&r.lines[0], 1, "ip", ip.len(), 0xabcdef);
    assert_eq!(r.lines[0]["ts"], "5.000001");
    assert_eq!(
        r.summary(),
        "summary: messages=1 decoded=1 errors=0 roundtrip_identical=1 roundtrip_different=0"
    );
}

#[test]
fn udp_from_a_vxlan_port_that_is_not_vxlan_is_an_error() {
    let mut ip = Vec::new();
    etherparse::PacketBuilder::ipv4(CLIENT, SERVER, 64)
        .udp(4789, 5000)
        .write(&mut ip, b"hello")
        .unwrap();
    let path = temp_file("not-vxlan.pcap", &pcap(1, &[(1, 0, ethernet(&ip))]));
    let r = run(&[path.to_str().unwrap()]);
    assert_eq!(r.status, 1);
    assert_eq!(r.lines.len(), 1);
    let err = &r.lines[0]["error"];
    assert_eq!(err["offset"], Value::Null);
    assert_eq!(err["not_vxlan"]["reason"], "udp_port_not_configured");
    assert!(
        err["text"]
            .as_str()
            .unwrap()
            .starts_with("not a VXLAN frame"),
        "{err}"
    );
    assert_eq!(r.lines[0]["flow"], "192.0.2.1:4789 -> 192.0.2.2:5000");
    assert!(r.lines[0].get("decoded").is_none());
    assert_eq!(
        r.summary(),
        "summary: messages=1 decoded=0 errors=1 roundtrip_identical=0 roundtrip_different=0"
    );
}

#[test]
fn truncated_vxlan_frame_gets_vxlan_wire_error_with_offset() {
    let frame = vxlan_frame(&params(7));
    let cut = &frame[..frame.len() - 20];
    let path = temp_file("vxlan-cut.pcap", &pcap(1, &[(1, 0, cut.to_vec())]));
    let r = run(&[path.to_str().unwrap()]);
    assert_eq!(r.status, 1);
    assert_eq!(r.lines.len(), 1);
    assert!(r.lines[0]["error"]["offset"].is_u64(), "{}", r.lines[0]);
    assert_eq!(r.lines[0]["len"], cut.len());
    assert!(r.summary().contains(" errors=1 "));
}

#[test]
fn extra_vxlan_port() {
    let mut p = params(42);
    p.dst_port = 9999;
    let path = temp_file("vxlan-9999.pcap", &pcap(1, &[(1, 0, vxlan_frame(&p))]));
    let path = path.to_str().unwrap();
    let r = run(&[path]);
    assert_eq!(r.status, 0);
    assert!(r.lines.is_empty());
    assert_eq!(
        r.summary(),
        "summary: messages=0 decoded=0 errors=0 roundtrip_identical=0 roundtrip_different=0"
    );
    let r = run(&["--roundtrip", "--vxlan-port", "9999", path]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.lines[0]["decoded"]["vxlan"]["vni"], 42);
    assert_eq!(r.lines[0]["roundtrip"], "identical");
}

#[test]
fn hex_mode_vxlan_and_vxlan_ip() {
    let frame = vxlan_frame(&params(5));
    let hex: String = frame.iter().map(|b| format!("{b:02x}")).collect();
    let r = run(&["--roundtrip", "--hex", "vxlan", &hex]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.lines.len(), 1);
    assert_eq!(r.lines[0]["frame"], Value::Null);
    assert_eq!(r.lines[0]["ts"], Value::Null);
    assert!(r.lines[0].get("file").is_none());
    assert_eq!(r.lines[0]["decoded"]["vxlan"]["vni"], 5);
    assert_eq!(r.lines[0]["roundtrip"], "identical");
    assert!(
        r.lines[0]["flow"]
            .as_str()
            .unwrap()
            .ends_with(" -> 192.0.2.2:4789")
    );
    let r = run(&["--roundtrip", "--hex", "vxlan-ip", &hex[28..]]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.lines[0]["input"], "ip");
    assert_eq!(r.lines[0]["roundtrip"], "identical");
    // An Ethernet frame given as an IP packet is not one.
    let r = run(&["--hex", "vxlan-ip", &hex]);
    assert_eq!(r.status, 1);
    assert!(r.lines[0]["error"]["text"].is_string());
    assert_eq!(
        r.summary(),
        "summary: messages=1 decoded=0 errors=1 roundtrip_identical=0 roundtrip_different=0"
    );
}

/// (a) a VXLAN frame, (b) a BGP KEEPALIVE split in two segments delivered
/// out of order plus a retransmission, (c) an OpenFlow 1.3 HELLO and an
/// OpenFlow 1.0 ECHO_REQUEST (framed, not decoded) in one segment.
fn mixed(link: fn(&[u8]) -> Vec<u8>, vxlan: Vec<u8>) -> Vec<Vec<u8>> {
    let k = keepalive();
    let (c, s) = ((CLIENT, 40000), (SERVER, 179));
    let mut hellos = of_hello(1);
    hellos.extend([1, 2, 0, 8, 0, 0, 0, 2]);
    let syn = Flags {
        syn: true,
        ..Flags::default()
    };
    vec![
        vxlan,
        // The SYN fixes the initial sequence number (499; data from 500).
        link(&tcp_ip(c, s, 499, syn, &[])),
        link(&tcp_ip(c, s, 500 + 10, Flags::default(), &k[10..])),
        link(&tcp_ip(
            (SERVER, 6633),
            (CLIENT, 50001),
            1,
            Flags::default(),
            &hellos,
        )),
        link(&tcp_ip(c, s, 500, Flags::default(), &k[..10])),
        link(&tcp_ip(c, s, 500 + 10, Flags::default(), &k[10..])),
    ]
}

fn check_mixed(r: &Run, input: &str, vxlan_len: usize) {
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "summary: messages=4 decoded=3 errors=0 roundtrip_identical=3 roundtrip_different=0\n"
    );
    assert_eq!(r.lines.len(), 4, "{:?}", r.lines);
    check_vxlan_line(&r.lines[0], 1, input, vxlan_len, 77);
    let summary: Vec<(u64, &str, &str, Value)> = r.lines[1..]
        .iter()
        .map(|l| {
            if l["protocol"] == "bgp" {
                assert_eq!(l["decoder"], "bgp-evpn-wire");
                assert_eq!(l["decoded"]["message"], "Keepalive");
                assert_eq!(l["roundtrip"], "identical");
            } else if l["version"] == 4 {
                assert_eq!(l["decoder"], "openflow-wire");
                assert_eq!(l["decoded"]["body"]["Hello"]["elements"], json!([]));
                assert_eq!(l["roundtrip"], "identical");
            } else {
                assert_eq!(l["version"], 1);
                assert_eq!(l["decoded"], Value::Null);
                assert_eq!(l["decoder"], "unavailable");
                assert!(l["unavailable"].as_str().unwrap().contains("1.3"));
                assert!(l.get("roundtrip").is_none());
            }
            (
                l["frame"].as_u64().unwrap(),
                l["protocol"].as_str().unwrap(),
                l["type_name"].as_str().unwrap(),
                l["xid"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (4, "openflow", "HELLO", json!(1)),
            (4, "openflow", "ECHO_REQUEST", json!(2)),
            (5, "bgp", "KEEPALIVE", Value::Null),
        ]
    );
}

#[test]
fn mixed_capture_pcap_ethernet() {
    let v = vxlan_frame(&params(77));
    let frames: Vec<(u32, u32, Vec<u8>)> = mixed(ethernet, v.clone())
        .into_iter()
        .enumerate()
        .map(|(i, f)| (100, i as u32, f))
        .collect();
    let path = temp_file("mixed-eth.pcap", &pcap(1, &frames));
    check_mixed(
        &run(&["--roundtrip", path.to_str().unwrap()]),
        "ethernet",
        v.len(),
    );
}

#[test]
fn mixed_capture_pcapng_sll() {
    let v = vxlan_frame(&params(77));
    let frames: Vec<(u64, Vec<u8>)> = mixed(sll, sll(&v[14..]))
        .into_iter()
        .enumerate()
        .map(|(i, f)| (i as u64, f))
        .collect();
    let path = temp_file("mixed-sll.pcapng", &pcapng(113, &frames));
    check_mixed(
        &run(&["--roundtrip", path.to_str().unwrap()]),
        "ip",
        v.len() - 14,
    );
}
