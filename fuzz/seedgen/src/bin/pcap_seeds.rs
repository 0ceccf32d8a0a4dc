//! `pcap_seeds OUT_DIR CAPTURE...`: extracts the Ethernet frames of pcap or
//! pcapng captures into per-target seed folders under `OUT_DIR`.
//!
//! `scripts/fuzz.sh` runs it at fuzz time on other projects' captures into a
//! temporary folder; those seeds are never committed.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pcap_seeds OUT_DIR CAPTURE...");
        return ExitCode::from(2);
    };
    let (mut frames, mut views) = (0usize, 0usize);
    for path in args.map(PathBuf::from) {
        let prefix = path
            .file_stem()
            .map_or_else(|| "pcap".into(), |s| s.to_string_lossy().into_owned());
        match evpn_wire_fuzz_seedgen::ethernet_frames(&path) {
            Ok(list) => {
                for f in &list {
                    match evpn_wire_fuzz_seedgen::write_frame_seeds(&out, &prefix, f) {
                        Ok(view) => {
                            frames += 1;
                            views += usize::from(view);
                        }
                        Err(e) => {
                            eprintln!("pcap_seeds: {}: {e}", out.display());
                            return ExitCode::FAILURE;
                        }
                    }
                }
            }
            // A capture we cannot read is not fatal for fuzzing: skip it.
            Err(e) => eprintln!("pcap_seeds: skipped {e}"),
        }
    }
    println!(
        "pcap_seeds: {frames} frames, {views} UDP payloads -> {}",
        out.display()
    );
    ExitCode::SUCCESS
}
