//! Conformance against VXLAN vectors written by other projects.
//!
//! The vectors are not part of this repository. They are read from the folder
//! named by `EVPN_VECTORS_DIR`, or from `../shared/vectors` beside the
//! workspace; `scripts/conformance.sh` runs these tests with `--ignored`.
//! Provenance (see the vector folder's README):
//! - `zeek/vxlan/*.pcap`: Zeek's tunnel tests (BSD-3), with Zeek's own
//!   `tunnel.log` baselines and TShark 4.0.17 decodes (`*.tshark.txt`) beside them;
//! - `gopacket/vxlan/testPacketVXLAN.*`: gopacket's `TestPacketVXLAN` (BSD-3),
//!   with the field values its test asserts;
//! - `curated/vxlan/vxlan-header-vectors.json`: header vectors from gopacket
//!   and os-ken unit tests, with their expected values.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use vxlan_wire::{Decap, DecapConfig, HeaderFlavour, VxlanHeader, VxlanPacket, decapsulate};

fn vectors_dir() -> PathBuf {
    let dir = std::env::var_os("EVPN_VECTORS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"));
    assert!(
        dir.is_dir(),
        "vector folder {} not found: set EVPN_VECTORS_DIR or put shared/ beside the checkout",
        dir.display()
    );
    dir
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

fn to_hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Frames of a classic pcap file with an Ethernet link type.
fn ethernet_frames(path: &Path) -> Vec<Vec<u8>> {
    let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let capture = pcap_parser::PcapCapture::from_file(&data)
        .unwrap_or_else(|e| panic!("{}: not a pcap file: {e:?}", path.display()));
    assert_eq!(
        capture.header.network,
        pcap_parser::Linktype::ETHERNET,
        "{}",
        path.display()
    );
    capture.blocks.iter().map(|b| b.data.to_vec()).collect()
}

/// What TShark printed for the outermost layers of one frame.
#[derive(Debug, Default)]
struct TsharkFrame {
    /// First "Src Port, Dst Port" of a UDP header.
    udp_ports: Option<(u16, u16)>,
    /// First IPv4/IPv6 source and destination.
    ip: Option<(IpAddr, IpAddr)>,
    /// VNI of the outermost VXLAN header.
    vni: Option<u32>,
    /// The 16-bit flags field of the outermost VXLAN header.
    vxlan_flags: Option<u16>,
    /// The outermost "Group Policy ID".
    group_policy_id: Option<u16>,
    /// Inner Ethernet source and destination (the Ethernet after the first VXLAN).
    inner_macs: Option<(String, String)>,
}

/// Reads TShark's verbose text (`tshark -V`) frame by frame, keeping the
/// first (outermost) occurrence of each field.
fn tshark_frames(path: &Path) -> Vec<TsharkFrame> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut frames: Vec<TsharkFrame> = Vec::new();
    for line in text.lines() {
        if line.starts_with("Frame ") && line.contains(" bytes on wire") {
            frames.push(TsharkFrame::default());
            continue;
        }
        let Some(f) = frames.last_mut() else { continue };
        if let Some(rest) = line.strip_prefix("User Datagram Protocol, Src Port: ") {
            if f.udp_ports.is_none() {
                let (src, dst) = rest.split_once(", Dst Port: ").expect("udp line");
                f.udp_ports = Some((src.trim().parse().unwrap(), dst.trim().parse().unwrap()));
            }
        } else if let Some(rest) = line
            .strip_prefix("Internet Protocol Version 4, Src: ")
            .or_else(|| line.strip_prefix("Internet Protocol Version 6, Src: "))
        {
            if f.ip.is_none() {
                let (src, dst) = rest.split_once(", Dst: ").expect("ip line");
                f.ip = Some((src.trim().parse().unwrap(), dst.trim().parse().unwrap()));
            }
        } else if let Some(rest) = line.strip_prefix("    VXLAN Network Identifier (VNI): ") {
            if f.vni.is_none() {
                f.vni = Some(rest.trim().parse().unwrap());
            }
        } else if let Some(rest) = line.strip_prefix("    Flags: 0x") {
            // Only the VXLAN flags line looks like "Flags: 0x0800, VXLAN Network ID (VNI)".
            if f.vni.is_none() && f.vxlan_flags.is_none() && rest.contains("VXLAN Network ID") {
                f.vxlan_flags = Some(u16::from_str_radix(&rest[..4], 16).unwrap());
            }
        } else if let Some(rest) = line.strip_prefix("    Group Policy ID: ") {
            if f.group_policy_id.is_none() {
                f.group_policy_id = Some(rest.trim().parse().unwrap());
            }
        } else if let Some(rest) = line.strip_prefix("Ethernet II, Src: ") {
            // The first Ethernet after a VXLAN header is the inner frame.
            if f.vxlan_flags.is_some() && f.inner_macs.is_none() {
                let mac_in_parens = |s: &str| {
                    let open = s.rfind('(').expect("mac in parentheses");
                    s[open + 1..s.len() - 1].to_string()
                };
                let (src, dst) = rest.split_once(", Dst: ").expect("ethernet line");
                f.inner_macs = Some((mac_in_parens(src.trim()), mac_in_parens(dst.trim())));
            }
        }
    }
    frames
}

fn mac_text(mac: macaddr::MacAddr6) -> String {
    to_hex(mac.as_bytes())
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(":")
}

/// Decodes every frame of a capture, checks it against TShark's decode and
/// re-encodes it byte for byte. Returns the number of VXLAN frames and the
/// outer (src ip, src port, dst ip, dst port) of those whose inner frame is IP.
fn check_capture(pcap: &Path, tshark_txt: &Path) -> (usize, BTreeSet<(IpAddr, u16, IpAddr, u16)>) {
    let frames = ethernet_frames(pcap);
    let expected = tshark_frames(tshark_txt);
    assert_eq!(
        frames.len(),
        expected.len(),
        "{}: frame count",
        pcap.display()
    );
    let cfg = DecapConfig::default();
    let mut tunnels = BTreeSet::new();
    let mut vxlan_frames = 0;
    for (n, (frame, want)) in frames.iter().zip(&expected).enumerate() {
        let at = format!("{} frame {}", pcap.display(), n + 1);
        let is_vxlan = want.vni.is_some() && want.udp_ports.is_some_and(|(_, d)| d == 4789);
        let decoded = decapsulate(frame, &cfg);
        if !is_vxlan {
            assert!(
                !matches!(decoded, Ok(Decap::Vxlan(_))),
                "{at}: tshark sees no outer VXLAN, we decoded one"
            );
            continue;
        }
        let d = match decoded {
            Ok(Decap::Vxlan(d)) => d,
            other => panic!("{at}: expected VXLAN, got {other:?}"),
        };
        vxlan_frames += 1;
        assert_eq!(Some(d.vni().get()), want.vni, "{at}: VNI");
        assert_eq!(
            Some((d.udp_src_port(), d.udp_dst_port())),
            want.udp_ports,
            "{at}: ports"
        );
        assert_eq!(
            Some((d.outer_src_ip(), d.outer_dst_ip())),
            want.ip,
            "{at}: outer IP"
        );
        let raw = &frame[d.vxlan_offset()..d.vxlan_offset() + 8];
        assert_eq!(
            Some(u16::from_be_bytes([raw[0], raw[1]])),
            want.vxlan_flags,
            "{at}: VXLAN flags field"
        );
        assert_eq!(
            Some(u16::from_be_bytes([raw[2], raw[3]])),
            want.group_policy_id,
            "{at}: bytes 2-3 (group policy ID)"
        );
        let inner = d.inner();
        assert!(inner.len() >= 14, "{at}: inner frame too short");
        let inner_dst =
            macaddr::MacAddr6::new(inner[0], inner[1], inner[2], inner[3], inner[4], inner[5]);
        let inner_src =
            macaddr::MacAddr6::new(inner[6], inner[7], inner[8], inner[9], inner[10], inner[11]);
        assert_eq!(
            Some((mac_text(inner_src), mac_text(inner_dst))),
            want.inner_macs,
            "{at}: inner MACs"
        );
        // Byte-exact re-encode of the owned form, and encoded_len agrees.
        let owned = d.to_owned();
        let mut out = Vec::new();
        owned.encode(&mut out);
        assert_eq!(out.len(), owned.encoded_len(), "{at}: encoded_len");
        assert_eq!(to_hex(&out), to_hex(frame), "{at}: re-encode differs");
        // Zeek logs a tunnel when an IP connection runs through it: collect
        // the tunnels whose inner frame carries IPv4 or IPv6.
        if matches!(u16::from_be_bytes([inner[12], inner[13]]), 0x0800 | 0x86dd) {
            tunnels.insert((
                d.outer_src_ip(),
                d.udp_src_port(),
                d.outer_dst_ip(),
                d.udp_dst_port(),
            ));
        }
    }
    println!(
        "{}: {vxlan_frames} VXLAN frames agree with tshark",
        pcap.display()
    );
    (vxlan_frames, tunnels)
}

fn zeek_dir() -> PathBuf {
    vectors_dir().join("zeek/vxlan")
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn zeek_captures_match_tshark_and_round_trip() {
    let dir = zeek_dir();
    let mut checked = 0;
    for name in [
        "vxlan",
        "vxlan-encapsulated-http",
        "vxlan-encapsulated-igmp-v2",
        "vxlan-inner-tcp-bad-checksum",
        "vxlan-triple-v2",
        "geneve-vxlan-dns-truncated",
    ] {
        let (vxlan_frames, _) = check_capture(
            &dir.join(format!("{name}.pcap")),
            &dir.join(format!("{name}.tshark.txt")),
        );
        if name == "geneve-vxlan-dns-truncated" {
            // The outer layer is Geneve (UDP 6081); VXLAN sits inside it.
            assert_eq!(vxlan_frames, 0);
        } else {
            assert!(vxlan_frames > 0, "{name}: no VXLAN frame decoded");
        }
        checked += 1;
    }
    assert_eq!(checked, 6);
}

/// Zeek's own expected output: the VXLAN tunnels its `tunnel.log` baseline
/// lists for `vxlan.pcap` are exactly the outer 4-tuples we decode.
#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn zeek_tunnel_log_baseline() {
    let dir = zeek_dir();
    let (_, ours) = check_capture(&dir.join("vxlan.pcap"), &dir.join("vxlan.tshark.txt"));
    let log = std::fs::read_to_string(dir.join("baseline/core.tunnels.vxlan/tunnel.log")).unwrap();
    let mut zeek = BTreeSet::new();
    for line in log.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() >= 8 && cols[6] == "Tunnel::VXLAN" && cols[7] == "Tunnel::DISCOVER" {
            zeek.insert((
                cols[2].parse::<IpAddr>().unwrap(),
                cols[3].parse::<u16>().unwrap(),
                cols[4].parse::<IpAddr>().unwrap(),
                cols[5].parse::<u16>().unwrap(),
            ));
        }
    }
    assert_eq!(zeek.len(), 2, "baseline lists two tunnels");
    assert_eq!(ours, zeek);
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn gopacket_test_packet_vxlan() {
    let dir = vectors_dir().join("gopacket/vxlan");
    let case: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("testPacketVXLAN.case.json")).unwrap())
            .unwrap();
    let bin = std::fs::read(dir.join("testPacketVXLAN.bin")).unwrap();
    assert_eq!(to_hex(&bin), case["hex"].as_str().unwrap());
    assert_eq!(bin.len() as u64, case["length"].as_u64().unwrap());
    let exp = &case["expected_vxlan"];

    let Ok(Decap::Vxlan(d)) = decapsulate(&bin, &DecapConfig::default()) else {
        panic!("gopacket frame is VXLAN");
    };
    let off = d.vxlan_offset();
    assert_eq!(
        to_hex(&bin[off..off + 8]),
        exp["header_hex"].as_str().unwrap()
    );
    assert_eq!(u64::from(d.vni().get()), exp["VNI"].as_u64().unwrap());
    assert_eq!(d.inner().len() as u64, exp["payload_len"].as_u64().unwrap());
    let i_flag = bin[off] & 0x08 != 0;
    assert_eq!(i_flag, exp["ValidIDFlag"].as_bool().unwrap());
    assert_eq!(d.header().flavour(), HeaderFlavour::Standard);
    // gopacket reads the GBP fields whatever the port: with the standard
    // header they are reserved bits, all zero here.
    assert!(!exp["GBPExtension"].as_bool().unwrap() && !exp["GBPApplied"].as_bool().unwrap());
    assert!(!exp["GBPDontLearn"].as_bool().unwrap());
    assert_eq!(exp["GBPGroupPolicyID"].as_u64().unwrap(), 0);
    assert_eq!(&bin[off + 1..off + 4], [0, 0, 0]);

    // The same frame decoded with the GBP flavour gives gopacket's GBP view.
    let gbp = DecapConfig::default().with_gbp(true);
    let Ok(Decap::Vxlan(g)) = decapsulate(&bin, &gbp) else {
        panic!("gopacket frame is VXLAN-GBP too");
    };
    let fields = g.gbp().expect("GBP fields with the GBP flavour");
    assert_eq!(
        fields.group_policy_present,
        exp["GBPExtension"].as_bool().unwrap()
    );
    assert_eq!(fields.dont_learn, exp["GBPDontLearn"].as_bool().unwrap());
    assert_eq!(fields.policy_applied, exp["GBPApplied"].as_bool().unwrap());
    assert_eq!(
        u64::from(fields.group_policy_id),
        exp["GBPGroupPolicyID"].as_u64().unwrap()
    );

    let mut out = Vec::new();
    d.to_owned().encode(&mut out);
    assert_eq!(out, bin);
    // The pcap wrapping the same bytes decodes the same.
    let frames = ethernet_frames(&dir.join("testPacketVXLAN.pcap"));
    assert_eq!(frames, vec![bin]);
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn curated_header_vectors() {
    let path = vectors_dir().join("curated/vxlan/vxlan-header-vectors.json");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 3);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let bytes = hex(v["hex"].as_str().unwrap());
        let exp = &v["expected"];
        match name {
            "gopacket-testPacketVXLAN" => {
                let Ok(Decap::Vxlan(d)) = decapsulate(&bytes, &DecapConfig::default()) else {
                    panic!("{name}: VXLAN expected");
                };
                assert_eq!(
                    d.vxlan_offset() as u64,
                    exp["vxlan_header_offset"].as_u64().unwrap()
                );
                let off = d.vxlan_offset();
                assert_eq!(bytes[off] & 0x08 != 0, exp["flags_I"].as_bool().unwrap());
                assert_eq!(u64::from(d.vni().get()), exp["vni"].as_u64().unwrap());
                assert_eq!(
                    u64::from(d.udp_dst_port()),
                    exp["udp_dst_port"].as_u64().unwrap()
                );
                let inner = d.inner();
                assert_eq!(
                    format!("0x{:04x}", u16::from_be_bytes([inner[12], inner[13]])),
                    exp["inner_ethertype"].as_str().unwrap()
                );
                assert_eq!(exp["gbp_flags"].as_u64().unwrap(), 0);
                assert_eq!(exp["group_policy_id"].as_u64().unwrap(), 0);
                assert_eq!(&bytes[off + 1..off + 4], [0, 0, 0]);
            }
            "os-ken-test_vxlan-parser" => {
                let packet = VxlanPacket::new_checked(&bytes[..]).expect("valid header");
                assert_eq!(packet.vni_flag(), exp["flags_I"].as_bool().unwrap());
                assert_eq!(u64::from(packet.vni().get()), exp["vni"].as_u64().unwrap());
                assert_eq!(packet.payload(), exp["rest"].as_str().unwrap().as_bytes());
                assert_eq!(exp["next_protocol"].as_str().unwrap(), "ethernet");
                // The owned header re-encodes the same 8 bytes.
                let header = VxlanHeader::parse(&packet, HeaderFlavour::Standard).unwrap();
                assert_eq!(header.vni(), packet.vni());
                let mut out = Vec::new();
                header.encode(&mut out);
                assert_eq!(out, bytes[..8]);
            }
            "os-ken-test_vxlan-invalid-flags" => {
                assert!(exp["parse_error"].as_bool().unwrap());
                let err = VxlanPacket::new_checked(&bytes[..])
                    .expect_err("I flag clear must be rejected");
                assert_eq!(err.offset(), Some(0), "{err}");
            }
            other => panic!("unknown curated vector {other}"),
        }
    }
}
