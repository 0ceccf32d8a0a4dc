//! `make_seeds [OUT_DIR] [CAPTURE...]`: writes the committed fuzz seeds.
//!
//! Every seed is made by this project: frames built here with
//! `vxlan_wire::encapsulate` (IPv4/IPv6 underlay, VLAN, GBP, UDP checksum,
//! a GPE variant patched from a standard frame), plus the frames of any
//! captures given on the command line, which must be captures the project
//! recorded itself (e.g. `samples/vxlan-kernel.pcapng`), never other
//! projects' test vectors. `OUT_DIR` defaults to `fuzz/seeds`.
//!
//! Run from the repository root:
//! `cargo run --manifest-path fuzz/Cargo.toml -p evpn-wire-fuzz-seedgen --bin make_seeds`

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use vxlan_wire::{EncapParams, GbpParams, VlanId, VlanTag, Vni, encapsulate};

/// A small inner Ethernet II / IPv4 / UDP frame (checksums left zero: the
/// decoder under test does not look inside the inner frame).
fn inner_frame(payload_len: usize) -> Vec<u8> {
    let ip_len = 20 + 8 + payload_len;
    let mut f = vec![
        0x52,
        0x54,
        0x00,
        0x65,
        0x43,
        0x21, // dst
        0x52,
        0x54,
        0x00,
        0x12,
        0x34,
        0x56, // src
        0x08,
        0x00, // IPv4
        0x45,
        0x00,
        (ip_len >> 8) as u8,
        ip_len as u8,
        0,
        0,
        0x40,
        0,
        64,
        17,
        0,
        0,
        10,
        0,
        0,
        1,
        10,
        0,
        0,
        2, // IPv4 header
        0x9c,
        0x40,
        0x13,
        0x89,
        ((8 + payload_len) >> 8) as u8,
        (8 + payload_len) as u8,
        0,
        0, // UDP header
    ];
    f.extend((0..payload_len).map(|i| i as u8));
    f
}

fn params(v6: bool) -> EncapParams {
    let (s, d): (IpAddr, IpAddr) = if v6 {
        (
            "2001:db8:0:1::1".parse().unwrap(),
            "2001:db8:0:2::7".parse().unwrap(),
        )
    } else {
        (
            "192.0.2.1".parse().unwrap(),
            "198.51.100.7".parse().unwrap(),
        )
    };
    EncapParams::new(
        [0x02, 0, 0, 0, 0, 1].into(),
        [0x02, 0, 0, 0, 0, 2].into(),
        s,
        d,
        Vni::new(5000).unwrap(),
    )
}

fn encap(inner: &[u8], p: &EncapParams) -> Vec<u8> {
    let mut out = Vec::new();
    encapsulate(inner, p, &mut out).expect("seed parameters are valid");
    out
}

fn frames() -> Vec<(&'static str, Vec<u8>)> {
    let small = inner_frame(22); // 64-byte inner frame
    let mut list = Vec::new();

    list.push(("v4", encap(&small, &params(false))));
    list.push(("v6", encap(&small, &params(true))));

    let mut p = params(false);
    p.vlan = Some(VlanTag {
        pcp: 5,
        ..VlanTag::new(VlanId::new(100).unwrap())
    });
    p.gbp = Some(GbpParams {
        group_policy_id: 0x1234,
        dont_learn: true,
        policy_applied: false,
    });
    p.dscp = 46;
    p.ecn = 1;
    p.src_port = Some(54321);
    list.push(("v4-vlan-gbp", encap(&small, &p)));

    let mut p = params(false);
    p.ipv4_udp_checksum = true;
    p.dst_port = 8472;
    p.identification = 0xbeef;
    p.dont_fragment = false;
    list.push(("v4-udpck-8472", encap(&inner_frame(100), &p)));

    let mut p = params(true);
    p.flow_label = 0xabcde;
    p.vni = Vni::MAX;
    p.vlan = Some(VlanTag::new(VlanId::new(4094).unwrap()));
    list.push(("v6-vlan-flow", encap(&inner_frame(200), &p)));

    // VXLAN-GPE on 4790: patch a standard IPv4 frame (UDP checksum is 0,
    // so only the port and the VXLAN header change).
    let mut gpe = encap(&small, &params(false));
    gpe[36..38].copy_from_slice(&4790u16.to_be_bytes());
    gpe[42] = 0x0c; // I + P
    gpe[45] = 0x03; // next protocol: Ethernet
    list.push(("v4-gpe", gpe));

    list
}

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let out = args
        .next()
        .map_or_else(|| PathBuf::from("fuzz/seeds"), PathBuf::from);
    let mut count = 0;
    for (name, frame) in frames() {
        if let Err(e) =
            evpn_wire_fuzz_seedgen::write_frame_seeds(&out, &format!("encap-{name}"), &frame)
        {
            eprintln!("make_seeds: {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
        count += 1;
    }
    for path in args.map(PathBuf::from) {
        let prefix = path
            .file_stem()
            .map_or_else(|| "sample".into(), |s| s.to_string_lossy().into_owned());
        let list = match evpn_wire_fuzz_seedgen::ethernet_frames(&path) {
            Ok(list) => list,
            Err(e) => {
                eprintln!("make_seeds: {e}");
                return ExitCode::FAILURE;
            }
        };
        for f in list.iter().filter(|f| f.len() <= 4096) {
            if let Err(e) = evpn_wire_fuzz_seedgen::write_frame_seeds(&out, &prefix, f) {
                eprintln!("make_seeds: {}: {e}", out.display());
                return ExitCode::FAILURE;
            }
            count += 1;
        }
    }
    println!("make_seeds: {count} frames -> {}", out.display());
    ExitCode::SUCCESS
}
