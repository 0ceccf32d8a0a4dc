//! Seed helpers shared by the `make_seeds` and `pcap_seeds` programs.
//!
//! Seeds are written per fuzz target, one file per input, named by a content
//! hash so that the same frame never lands twice.
//!
//! - `vxlan_decap` and `vxlan_roundtrip` get the whole Ethernet II frame
//!   (`vxlan_decap` also tries the frame as IP input, so no separate seed).
//! - `vxlan_view` gets the UDP payload: the 8-byte VXLAN header and the inner
//!   frame, found here by a small hand-written parser so that seeds do not
//!   depend on the code under test.

use std::fs;
use std::io;
use std::path::Path;

/// Fuzz targets that take whole outer frames.
pub const FRAME_TARGETS: [&str; 2] = ["vxlan_decap", "vxlan_roundtrip"];
/// Fuzz target that takes the UDP payload (VXLAN header + inner frame).
pub const VIEW_TARGET: &str = "vxlan_view";

/// Offset of the UDP payload in an Ethernet II frame carrying UDP over IPv4
/// or IPv6 (up to two VLAN tags, IPv4 options; no IPv6 extension headers).
/// `None` when the frame is not UDP or is too short.
pub fn udp_payload_offset(frame: &[u8]) -> Option<usize> {
    let mut off = 12;
    let mut ether_type = u16::from_be_bytes([*frame.get(off)?, *frame.get(off + 1)?]);
    off += 2;
    let mut tags = 0;
    while matches!(ether_type, 0x8100 | 0x88a8) && tags < 2 {
        ether_type = u16::from_be_bytes([*frame.get(off + 2)?, *frame.get(off + 3)?]);
        off += 4;
        tags += 1;
    }
    let udp = match ether_type {
        0x0800 => {
            let first = *frame.get(off)?;
            let ihl = usize::from(first & 0x0f) * 4;
            if first >> 4 != 4 || ihl < 20 || *frame.get(off + 9)? != 17 {
                return None;
            }
            off + ihl
        }
        0x86dd => {
            if *frame.get(off)? >> 4 != 6 || *frame.get(off + 6)? != 17 {
                return None;
            }
            off + 40
        }
        _ => return None,
    };
    (frame.len() >= udp + 8).then_some(udp + 8)
}

/// FNV-1a, 64 bit: a stable file name for a seed.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Writes `data` as a seed of `target` under `root/target/`.
pub fn write_seed(root: &Path, target: &str, prefix: &str, data: &[u8]) -> io::Result<()> {
    let dir = root.join(target);
    fs::create_dir_all(&dir)?;
    fs::write(dir.join(format!("{prefix}-{:016x}", fnv1a(data))), data)
}

/// Writes one outer Ethernet frame as seeds for every target.
/// Returns whether a `vxlan_view` seed (UDP payload) was found in it.
pub fn write_frame_seeds(root: &Path, prefix: &str, frame: &[u8]) -> io::Result<bool> {
    for t in FRAME_TARGETS {
        write_seed(root, t, prefix, frame)?;
    }
    match udp_payload_offset(frame) {
        Some(off) if frame.len() >= off + 8 => {
            write_seed(root, VIEW_TARGET, prefix, &frame[off..])?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Reads the Ethernet II (link type 1) frames of a pcap or pcapng file.
pub fn ethernet_frames(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    use pcap_parser::traits::PcapNGPacketBlock;
    use pcap_parser::{Block, Linktype, PcapBlockOwned, PcapError};

    let file = fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut reader = pcap_parser::create_reader(1 << 20, file)
        .map_err(|e| format!("{}: not a capture: {e:?}", path.display()))?;
    let mut frames = Vec::new();
    let mut legacy_link = Linktype::ETHERNET;
    let mut ng_links: Vec<Linktype> = Vec::new();
    loop {
        match reader.next() {
            Ok((len, block)) => {
                match block {
                    PcapBlockOwned::LegacyHeader(h) => legacy_link = h.network,
                    PcapBlockOwned::Legacy(b) if legacy_link == Linktype::ETHERNET => {
                        frames.push(b.data.to_vec());
                    }
                    PcapBlockOwned::NG(Block::SectionHeader(_)) => ng_links.clear(),
                    PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                        ng_links.push(idb.linktype);
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(epb))
                        if ng_links.get(epb.if_id as usize) == Some(&Linktype::ETHERNET) =>
                    {
                        frames.push(epb.packet_data().to_vec());
                    }
                    PcapBlockOwned::NG(Block::SimplePacket(spb))
                        if ng_links.first() == Some(&Linktype::ETHERNET) =>
                    {
                        frames.push(spb.packet_data().to_vec());
                    }
                    _ => {}
                }
                reader.consume(len);
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => reader
                .refill()
                .map_err(|e| format!("{}: {e:?}", path.display()))?,
            Err(e) => return Err(format!("{}: {e:?}", path.display())),
        }
    }
    Ok(frames)
}
