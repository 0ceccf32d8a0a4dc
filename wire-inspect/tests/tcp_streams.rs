//! BGP and OpenFlow over TCP, in pcap and pcapng files written by hand.

mod common;

use common::*;
use serde_json::json;

const SUMMARY_TWO_DECODED: &str =
    "summary: messages=2 decoded=2 errors=0 roundtrip_identical=0 roundtrip_different=0";

/// A KEEPALIVE split in two segments; the second half arrives first and is
/// retransmitted after the first half completes the message.
fn split_keepalive_frames(link: fn(&[u8]) -> Vec<u8>) -> Vec<Vec<u8>> {
    let k = keepalive();
    let (c, s) = ((CLIENT, 40000), (SERVER, 179));
    let isn = 1000;
    vec![
        link(&tcp_ip(
            c,
            s,
            isn,
            Flags {
                syn: true,
                ..Flags::default()
            },
            &[],
        )),
        link(&tcp_ip(c, s, isn + 1 + 10, Flags::default(), &k[10..])),
        link(&tcp_ip(c, s, isn + 1, Flags::default(), &k[..10])),
        link(&tcp_ip(c, s, isn + 1 + 10, Flags::default(), &k[10..])),
        // A second KEEPALIVE and the FIN, in one segment.
        link(&tcp_ip(
            c,
            s,
            isn + 1 + 19,
            Flags {
                fin: true,
                ..Flags::default()
            },
            &k,
        )),
    ]
}

fn check_keepalives(r: &Run, file: &str, ts3: &str, ts5: &str) {
    assert_eq!(r.status, 0, "stderr: {}", r.stderr);
    assert_eq!(r.stderr, format!("{SUMMARY_TWO_DECODED}\n"));
    assert_eq!(r.lines.len(), 2, "{:?}", r.lines);
    let hex = "ffffffffffffffffffffffffffffffff001304";
    let expect = |frame: u64, ts: &str| {
        json!({
            "file": file,
            "frame": frame,
            "ts": ts,
            "flow": "192.0.2.1:40000 -> 192.0.2.2:179",
            "protocol": "bgp",
            "type": 4,
            "type_name": "KEEPALIVE",
            "len": 19,
            "hex": hex,
            "decoder": "bgp-evpn-wire",
            "decoded": {
                "context": {
                    "from": "default",
                    "four_octet_as": true,
                    "extended_message": true,
                    "add_path": [],
                },
                "message": "Keepalive",
            },
        })
    };
    // Frame 3 completes the first message; the retransmission (frame 4) adds nothing.
    assert_eq!(r.lines[0], expect(3, ts3));
    assert_eq!(r.lines[1], expect(5, ts5));
}

#[test]
fn bgp_keepalive_out_of_order_with_retransmission_pcap_ethernet() {
    let frames: Vec<(u32, u32, Vec<u8>)> = split_keepalive_frames(ethernet)
        .into_iter()
        .enumerate()
        .map(|(i, f)| (1_700_000_000 + i as u32, 250 + i as u32, f))
        .collect();
    let path = temp_file("bgp-eth.pcap", &pcap(1, &frames));
    let p = path.to_str().unwrap();
    let r = run(&[p]);
    check_keepalives(&r, p, "1700000002.000252", "1700000004.000254");
    // With --roundtrip, both KEEPALIVEs re-encode identical.
    let r = run(&["--roundtrip", p]);
    assert_eq!(r.status, 0, "stderr: {}", r.stderr);
    assert_eq!(
        r.summary(),
        "summary: messages=2 decoded=2 errors=0 roundtrip_identical=2 roundtrip_different=0"
    );
    assert!(r.lines.iter().all(|l| l["roundtrip"] == "identical"));
}

#[test]
fn bgp_keepalive_out_of_order_with_retransmission_pcapng_sll() {
    let frames: Vec<(u64, Vec<u8>)> = split_keepalive_frames(sll)
        .into_iter()
        .enumerate()
        .map(|(i, f)| (1_600_000_000_000_000 + i as u64 * 1_500_000, f))
        .collect();
    let path = temp_file("bgp-sll.pcapng", &pcapng(113, &frames));
    let p = path.to_str().unwrap();
    let r = run(&[p]);
    check_keepalives(&r, p, "1600000003.000000", "1600000006.000000");
}

fn two_hellos_frame(link: fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    // Seen mid-stream: no SYN, the stream starts at this segment.
    let mut payload = of_hello(7);
    payload.extend(of_hello(8));
    link(&tcp_ip(
        (SERVER, 6653),
        (CLIENT, 50000),
        0xffff_fff0,
        Flags::default(),
        &payload,
    ))
}

fn check_hellos(r: &Run, file: &str) {
    assert_eq!(r.status, 0, "stderr: {}", r.stderr);
    assert_eq!(r.stderr, format!("{SUMMARY_TWO_DECODED}\n"));
    assert_eq!(r.lines.len(), 2);
    for (line, xid) in r.lines.iter().zip([7u32, 8]) {
        assert_eq!(
            *line,
            json!({
                "file": file,
                "frame": 1,
                "ts": "1.000002",
                "flow": "192.0.2.2:6653 -> 192.0.2.1:50000",
                "protocol": "openflow",
                "version": 4,
                "type": 0,
                "type_name": "HELLO",
                "xid": xid,
                "len": 8,
                "hex": format!("04000008{xid:08x}"),
                "decoder": "openflow-wire",
                "decoded": {"version": 4, "xid": xid, "body": {"Hello": {"elements": []}}},
            })
        );
    }
}

#[test]
fn two_openflow_hellos_in_one_segment_pcapng_sll() {
    let path = temp_file(
        "of-sll.pcapng",
        &pcapng(113, &[(1_000_002, two_hellos_frame(sll))]),
    );
    let p = path.to_str().unwrap();
    check_hellos(&run(&[p]), p);
}

#[test]
fn two_openflow_hellos_in_one_segment_pcap_ethernet() {
    let path = temp_file(
        "of-eth.pcap",
        &pcap(1, &[(1, 2, two_hellos_frame(ethernet))]),
    );
    let p = path.to_str().unwrap();
    check_hellos(&run(&[p]), p);
}

#[test]
fn bad_bgp_marker_is_an_error_and_exits_1() {
    let mut bad = keepalive();
    bad[0] = 0;
    let mut payload = keepalive();
    payload.extend(&bad);
    let frame = ethernet(&tcp_ip(
        (CLIENT, 179),
        (SERVER, 41000),
        5,
        Flags::default(),
        &payload,
    ));
    let path = temp_file("bgp-bad.pcap", &pcap(1, &[(3, 0, frame)]));
    let p = path.to_str().unwrap();
    let r = run(&[p]);
    assert_eq!(r.status, 1);
    assert_eq!(
        r.summary(),
        "summary: messages=2 decoded=1 errors=1 roundtrip_identical=0 roundtrip_different=0"
    );
    assert_eq!(r.lines[0]["type_name"], "KEEPALIVE");
    assert_eq!(r.lines[0]["decoded"]["message"], "Keepalive");
    assert_eq!(
        r.lines[1]["error"],
        json!({"text": "BGP marker byte 0 is 0x00, expected 0xff", "offset": 0})
    );
    assert_eq!(r.lines[1]["frame"], 1);
    assert_eq!(r.lines[1]["hex"], "00ffffffffffffffffffffffffffffff001304");
}

#[test]
fn capture_ending_inside_a_message_is_an_error() {
    let k = keepalive();
    let frame = ethernet(&tcp_ip(
        (CLIENT, 40001),
        (SERVER, 179),
        77,
        Flags::default(),
        &k[..12],
    ));
    let path = temp_file("bgp-cut.pcap", &pcap(1, &[(3, 0, frame)]));
    let r = run(&[path.to_str().unwrap()]);
    assert_eq!(r.status, 1);
    assert_eq!(r.lines.len(), 1);
    assert_eq!(
        r.lines[0]["error"]["text"],
        "capture ended inside a message: 12 bytes received"
    );
    assert!(r.summary().contains(" errors=1 "));
}

#[test]
fn unreadable_file_exits_2_but_still_summarises() {
    let good = temp_file(
        "of-good.pcap",
        &pcap(1, &[(1, 2, two_hellos_frame(ethernet))]),
    );
    let junk = temp_file("junk.pcap", b"this is not a capture file at all");
    let r = run(&[junk.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(r.status, 2);
    assert_eq!(r.lines.len(), 2, "the readable file is still inspected");
    let mut err = r.stderr.lines();
    assert!(
        err.next().unwrap().contains("not a pcap or pcapng file"),
        "{}",
        r.stderr
    );
    assert_eq!(err.next(), Some(SUMMARY_TWO_DECODED));
    assert_eq!(err.next(), None);
}

#[test]
fn truncated_file_reports_what_was_read() {
    let mut file = pcap(1, &[(1, 2, two_hellos_frame(ethernet))]);
    file.extend_from_slice(&[1, 0, 0, 0, 2, 0]); // half a record header
    let path = temp_file("of-trunc.pcap", &file);
    let r = run(&[path.to_str().unwrap()]);
    assert_eq!(r.status, 2);
    assert_eq!(r.lines.len(), 2);
    assert_eq!(r.summary(), SUMMARY_TWO_DECODED);
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let r = run(&[]);
    assert_eq!(r.status, 2);
    assert!(!r.stderr.contains("summary:"));
    let r = run(&["--hex", "bgp"]);
    assert_eq!(r.status, 2);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wire-inspect"))
        .arg("--help")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("wire-inspect [--roundtrip] [--vxlan-port N]... [--bgp-as2] FILE..."));
    assert!(help.contains("wire-inspect [--roundtrip] [--bgp-as2] --hex PROTO HEX"));
}

#[test]
fn hex_mode_openflow() {
    let r = run(&["--hex", "openflow", "0400000800000009"]);
    assert_eq!(r.status, 0);
    assert_eq!(
        r.lines,
        vec![json!({
            "frame": null,
            "ts": null,
            "flow": null,
            "protocol": "openflow",
            "version": 4,
            "type": 0,
            "type_name": "HELLO",
            "xid": 9,
            "len": 8,
            "hex": "0400000800000009",
            "decoder": "openflow-wire",
            "decoded": {"version": 4, "xid": 9, "body": {"Hello": {"elements": []}}},
        })]
    );
    assert_eq!(
        r.stderr,
        "summary: messages=1 decoded=1 errors=0 roundtrip_identical=0 roundtrip_different=0\n"
    );
}

#[test]
fn ipv6_over_null_loop_and_raw_links() {
    let ip6 = |payload: &[u8]| {
        let mut out = Vec::new();
        etherparse::PacketBuilder::ipv6(
            [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
            [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
            64,
        )
        .tcp(6633, 33000, 9, 1000)
        .write(&mut out, payload)
        .unwrap();
        out
    };
    let hello = ip6(&of_hello(1));
    // NULL: AF_INET6 as numbered on macOS (30), host byte order (little endian here).
    let mut null = 30u32.to_le_bytes().to_vec();
    null.extend_from_slice(&hello);
    // LOOP: network byte order (OpenBSD AF_INET6 = 24).
    let mut lo = 24u32.to_be_bytes().to_vec();
    lo.extend_from_slice(&hello);
    for (linktype, frame) in [(0, null), (108, lo), (101, hello.clone()), (229, hello)] {
        let path = temp_file(
            &format!("of6-{linktype}.pcap"),
            &pcap(linktype, &[(1, 0, frame)]),
        );
        let r = run(&[path.to_str().unwrap()]);
        assert_eq!(r.status, 0, "link type {linktype}: {}", r.stderr);
        assert_eq!(r.lines.len(), 1, "link type {linktype}");
        assert_eq!(
            r.lines[0]["flow"],
            "[2001:db8::1]:6633 -> [2001:db8::2]:33000"
        );
        assert_eq!(r.lines[0]["type_name"], "HELLO");
    }
}

#[test]
fn rst_ends_both_directions_and_reports_unfinished_messages() {
    let k = keepalive();
    let frames = vec![
        (
            1,
            0,
            ethernet(&tcp_ip(
                (CLIENT, 40002),
                (SERVER, 179),
                10,
                Flags::default(),
                &k[..5],
            )),
        ),
        (
            2,
            0,
            ethernet(&tcp_ip(
                (SERVER, 179),
                (CLIENT, 40002),
                90,
                Flags::default(),
                &k[..7],
            )),
        ),
        (
            3,
            0,
            ethernet(&tcp_ip(
                (SERVER, 179),
                (CLIENT, 40002),
                97,
                Flags {
                    rst: true,
                    ..Flags::default()
                },
                &[],
            )),
        ),
    ];
    let path = temp_file("bgp-rst.pcap", &pcap(1, &frames));
    let r = run(&[path.to_str().unwrap()]);
    assert_eq!(r.status, 1);
    let texts: Vec<(&str, &str)> = r
        .lines
        .iter()
        .map(|l| {
            (
                l["flow"].as_str().unwrap(),
                l["error"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        texts,
        vec![
            (
                "192.0.2.2:179 -> 192.0.2.1:40002",
                "connection reset inside a message: 7 bytes received"
            ),
            (
                "192.0.2.1:40002 -> 192.0.2.2:179",
                "connection reset inside a message: 5 bytes received"
            ),
        ]
    );
    // Both errors are reported at the RST frame.
    assert_eq!(r.lines[0]["frame"], 3);
    assert_eq!(r.lines[1]["frame"], 3);
    assert_eq!(
        r.summary(),
        "summary: messages=2 decoded=0 errors=2 roundtrip_identical=0 roundtrip_different=0"
    );
}
