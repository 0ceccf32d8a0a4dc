//! Helpers for the integration tests: hand-written pcap/pcapng files and
//! frames, and running the binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use etherparse::PacketBuilder;

pub const CLIENT: [u8; 4] = [192, 0, 2, 1];
pub const SERVER: [u8; 4] = [192, 0, 2, 2];
pub const MAC_A: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0a];
pub const MAC_B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0b];

/// TCP flags for [`tcp_ip`].
#[derive(Clone, Copy, Default)]
pub struct Flags {
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
}

/// An IPv4 + TCP packet (no link header).
pub fn tcp_ip(
    src: ([u8; 4], u16),
    dst: ([u8; 4], u16),
    seq: u32,
    flags: Flags,
    payload: &[u8],
) -> Vec<u8> {
    let mut b = PacketBuilder::ipv4(src.0, dst.0, 64).tcp(src.1, dst.1, seq, 65535);
    if flags.syn {
        b = b.syn();
    }
    if flags.fin {
        b = b.fin();
    }
    if flags.rst {
        b = b.rst();
    }
    let mut out = Vec::new();
    b.write(&mut out, payload).expect("build packet");
    out
}

/// An Ethernet II frame around an IPv4 packet.
pub fn ethernet(ip: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&MAC_B);
    f.extend_from_slice(&MAC_A);
    f.extend_from_slice(&[0x08, 0x00]);
    f.extend_from_slice(ip);
    f
}

/// A Linux cooked (SLL, link type 113) frame around an IPv4 packet.
pub fn sll(ip: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 0, 0, 1, 0, 6];
    f.extend_from_slice(&MAC_A);
    f.extend_from_slice(&[0, 0, 0x08, 0x00]);
    f.extend_from_slice(ip);
    f
}

/// A classic little-endian microsecond pcap file.
pub fn pcap(linktype: u32, frames: &[(u32, u32, Vec<u8>)]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&4u16.to_le_bytes());
    v.extend_from_slice(&0i32.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    v.extend_from_slice(&262_144u32.to_le_bytes());
    v.extend_from_slice(&linktype.to_le_bytes());
    for (secs, usecs, data) in frames {
        v.extend_from_slice(&secs.to_le_bytes());
        v.extend_from_slice(&usecs.to_le_bytes());
        let len = data.len() as u32;
        v.extend_from_slice(&len.to_le_bytes());
        v.extend_from_slice(&len.to_le_bytes());
        v.extend_from_slice(data);
    }
    v
}

fn pcapng_block(block_type: u32, body: &[u8]) -> Vec<u8> {
    let mut body = body.to_vec();
    while !body.len().is_multiple_of(4) {
        body.push(0);
    }
    let total = (body.len() + 12) as u32;
    let mut v = Vec::new();
    v.extend_from_slice(&block_type.to_le_bytes());
    v.extend_from_slice(&total.to_le_bytes());
    v.extend_from_slice(&body);
    v.extend_from_slice(&total.to_le_bytes());
    v
}

/// A little-endian pcapng file with one interface of the given link type
/// (default microsecond resolution); frames carry microseconds since the epoch.
pub fn pcapng(linktype: u16, frames: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    shb.extend_from_slice(&1u16.to_le_bytes());
    shb.extend_from_slice(&0u16.to_le_bytes());
    shb.extend_from_slice(&(-1i64).to_le_bytes());
    let mut v = pcapng_block(0x0a0d_0d0a, &shb);
    let mut idb = Vec::new();
    idb.extend_from_slice(&linktype.to_le_bytes());
    idb.extend_from_slice(&0u16.to_le_bytes());
    idb.extend_from_slice(&262_144u32.to_le_bytes());
    v.extend(pcapng_block(1, &idb));
    for (micros, data) in frames {
        let mut epb = Vec::new();
        epb.extend_from_slice(&0u32.to_le_bytes());
        epb.extend_from_slice(&((micros >> 32) as u32).to_le_bytes());
        epb.extend_from_slice(&(*micros as u32).to_le_bytes());
        let len = data.len() as u32;
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(&len.to_le_bytes());
        epb.extend_from_slice(data);
        v.extend(pcapng_block(6, &epb));
    }
    v
}

/// Writes `bytes` to a fresh file in the temporary directory.
pub fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wire-inspect-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path
}

/// The result of running the binary.
pub struct Run {
    pub status: i32,
    pub lines: Vec<serde_json::Value>,
    pub stderr: String,
}

impl Run {
    /// The last line of standard error (the summary).
    pub fn summary(&self) -> &str {
        self.stderr.lines().last().unwrap_or("")
    }
}

/// Runs `wire-inspect` with the given arguments.
pub fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_wire-inspect"))
        .args(args)
        .output()
        .expect("run wire-inspect");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect();
    Run {
        status: out.status.code().expect("exit code"),
        lines,
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// A BGP KEEPALIVE.
pub fn keepalive() -> Vec<u8> {
    let mut v = vec![0xff; 16];
    v.extend_from_slice(&[0, 19, 4]);
    v
}

/// An OpenFlow 1.3 HELLO with the given xid.
pub fn of_hello(xid: u32) -> Vec<u8> {
    let mut v = vec![4, 0, 0, 8];
    v.extend_from_slice(&xid.to_be_bytes());
    v
}
