//! The command line: argument parsing, output, summary and exit status.

use std::fs::File;
use std::io::{BufReader, Write};

use crate::capture::read_capture;
use crate::inspect::{Inspector, Options, inspect_bytes};
use crate::protocol::Protocol;
use crate::report::{Record, Summary, parse_hex};

/// Exit status: everything decoded (and round-tripped).
pub const EXIT_OK: i32 = 0;
/// Exit status: an error line or a round-trip difference.
pub const EXIT_FAILED: i32 = 1;
/// Exit status: usage error, or a file that could not be read.
pub const EXIT_USAGE: i32 = 2;

/// The `--help` text.
pub const HELP: &str = "\
wire-inspect: decode VXLAN, BGP and OpenFlow messages from captures into JSON lines

Usage:
  wire-inspect [--roundtrip] [--vxlan-port N]... [--bgp-as2] FILE...
  wire-inspect [--roundtrip] [--bgp-as2] --hex PROTO HEX
  wire-inspect --help

FILE is a pcap or pcapng capture (link types Ethernet, Linux SLL/SLL2,
BSD NULL/LOOP, raw IP; IPv4 and IPv6).

  --roundtrip      re-encode every decoded message and compare it byte for byte
                   with the original (\"roundtrip\" field in each JSON line)
  --vxlan-port N   also decode UDP port N as VXLAN (repeatable; 4789, 8472 and
                   4790 (VXLAN-GPE) always are)
  --bgp-as2        BGP messages whose session OPENs were not seen (and --hex
                   bgp input without an OPEN) are decoded with 2-octet AS
                   numbers first; by default 4-octet first. If the first
                   width fails, the other is tried
  --hex PROTO HEX  decode one message given in hex; PROTO is vxlan (Ethernet
                   frame), vxlan-ip (IP packet), bgp or openflow. Several BGP
                   messages may follow each other; an OPEN among them sets
                   the context of the messages after it
  -h, --help       print this help

Messages: UDP 4789/8472/4790 (VXLAN, outermost layer only), TCP 179 (BGP),
TCP 6653/6633 (OpenFlow); TCP streams are reassembled per direction. BGP is
decoded with the context negotiated by the connection's two OPENs (4-octet
AS, Add-Path, Extended Message), reported in \"decoded\".\"context\"; an
UPDATE that does not decode is an error line carrying its RFC 7606 outcome.
OpenFlow 1.3 (and HELLO of any version) is decoded; messages of other
versions are framed and printed raw with \"decoder\":\"unavailable\" and the
reason in \"unavailable\": such lines count as messages, neither decoded nor
errors.

Output: one JSON object per message on stdout; on stderr, diagnostics and,
last, exactly one line:
  summary: messages=N decoded=N errors=N roundtrip_identical=N roundtrip_different=N
messages counts every JSON line; errors counts the error lines.

Exit status: 0 all good; 1 any error line or round-trip difference;
2 usage error (no summary) or unreadable file (the other files are still
read and the summary is printed).
";

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Print the help.
    Help,
    /// Inspect capture files.
    Files {
        /// Round trip every decoded message.
        roundtrip: bool,
        /// Extra VXLAN ports.
        vxlan_ports: Vec<u16>,
        /// `--bgp-as2`.
        bgp_as2: bool,
        /// The capture paths.
        files: Vec<String>,
    },
    /// Decode one hex message.
    Hex {
        /// Round trip the decoded message.
        roundtrip: bool,
        /// Extra VXLAN ports.
        vxlan_ports: Vec<u16>,
        /// `--bgp-as2`.
        bgp_as2: bool,
        /// The protocol.
        protocol: Protocol,
        /// The message bytes.
        bytes: Vec<u8>,
    },
}

/// Parses the arguments (without the program name).
pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut roundtrip = false;
    let mut bgp_as2 = false;
    let mut vxlan_ports = Vec::new();
    let mut files = Vec::new();
    let mut hex: Option<(Protocol, Vec<u8>)> = None;
    let mut it = args.iter();
    let mut options_done = false;
    while let Some(arg) = it.next() {
        if options_done || !arg.starts_with('-') || arg == "-" {
            files.push(arg.clone());
            continue;
        }
        match arg.as_str() {
            "--" => options_done = true,
            "-h" | "--help" => return Ok(Command::Help),
            "--roundtrip" => roundtrip = true,
            "--bgp-as2" => bgp_as2 = true,
            "--vxlan-port" => {
                let v = it.next().ok_or("--vxlan-port needs a port number")?;
                let port: u16 = v
                    .parse()
                    .map_err(|_| format!("--vxlan-port: {v:?} is not a port number"))?;
                if port == 0 {
                    return Err("--vxlan-port: port 0 is not a port".into());
                }
                vxlan_ports.push(port);
            }
            "--hex" => {
                if hex.is_some() {
                    return Err("--hex given twice".into());
                }
                let p = it.next().ok_or("--hex needs PROTO and HEX")?;
                let protocol = Protocol::from_arg(p).ok_or_else(|| {
                    format!("--hex: unknown PROTO {p:?} (vxlan, vxlan-ip, bgp, openflow)")
                })?;
                let h = it.next().ok_or("--hex needs PROTO and HEX")?;
                let bytes = parse_hex(h).map_err(|e| format!("--hex: {e}"))?;
                hex = Some((protocol, bytes));
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    match (hex, files.is_empty()) {
        (Some(_), false) => Err("--hex takes no FILE arguments".into()),
        (Some((protocol, bytes)), true) => Ok(Command::Hex {
            roundtrip,
            vxlan_ports,
            bgp_as2,
            protocol,
            bytes,
        }),
        (None, true) => Err("no FILE given".into()),
        (None, false) => Ok(Command::Files {
            roundtrip,
            vxlan_ports,
            bgp_as2,
            files,
        }),
    }
}

/// Runs the tool; returns the exit status.
pub fn run(args: &[String], out: &mut impl Write, err: &mut impl Write) -> i32 {
    let command = match parse_args(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "wire-inspect: {e}\nTry 'wire-inspect --help'.");
            return EXIT_USAGE;
        }
    };
    let mut summary = Summary::default();
    let mut write_failed = None;
    let mut emit = |r: Record| {
        summary.count(&r);
        if write_failed.is_none()
            && let Err(e) = writeln!(out, "{}", r.to_json_line())
        {
            write_failed = Some(e);
        }
    };
    let mut status = EXIT_OK;
    match command {
        Command::Help => {
            let _ = out.write_all(HELP.as_bytes());
            return EXIT_OK;
        }
        Command::Hex {
            roundtrip,
            vxlan_ports,
            bgp_as2,
            protocol,
            bytes,
        } => {
            let opts = Options {
                roundtrip,
                extra_vxlan_ports: vxlan_ports,
                bgp_two_octet_as: bgp_as2,
                ..Options::default()
            };
            inspect_bytes(protocol, &bytes, &opts, &mut emit);
        }
        Command::Files {
            roundtrip,
            vxlan_ports,
            bgp_as2,
            files,
        } => {
            let opts = Options {
                roundtrip,
                extra_vxlan_ports: vxlan_ports,
                bgp_two_octet_as: bgp_as2,
                ..Options::default()
            };
            for path in files {
                let mut inspector = Inspector::new(&opts, Some(path.clone()));
                let read = File::open(&path).map_err(|e| e.to_string()).and_then(|f| {
                    read_capture(BufReader::new(f), |frame| inspector.frame(frame, &mut emit))
                        .map_err(|e| e.to_string())
                });
                // Whatever was read is reported, even if the file broke off.
                inspector.finish(&mut emit);
                for lt in inspector.unsupported_linktypes() {
                    let _ = writeln!(
                        err,
                        "wire-inspect: {path}: link type {lt} is not supported; its frames were skipped"
                    );
                }
                if let Err(e) = read {
                    let _ = writeln!(err, "wire-inspect: {path}: {e}");
                    status = EXIT_USAGE;
                }
            }
        }
    }
    if let Some(e) = write_failed {
        let _ = writeln!(err, "wire-inspect: writing output failed: {e}");
        status = EXIT_USAGE;
    }
    if let Err(e) = out.flush() {
        let _ = writeln!(err, "wire-inspect: writing output failed: {e}");
        status = EXIT_USAGE;
    }
    let _ = writeln!(err, "{summary}");
    if status == EXIT_OK && summary.failed() {
        status = EXIT_FAILED;
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn parses_files_and_flags() {
        assert_eq!(
            parse_args(&args(&[
                "--roundtrip",
                "a.pcap",
                "--vxlan-port",
                "4000",
                "b.pcapng"
            ])),
            Ok(Command::Files {
                roundtrip: true,
                vxlan_ports: vec![4000],
                bgp_as2: false,
                files: args(&["a.pcap", "b.pcapng"]),
            })
        );
        assert_eq!(
            parse_args(&args(&["--bgp-as2", "--hex", "bgp", "ffff"])),
            Ok(Command::Hex {
                roundtrip: false,
                vxlan_ports: vec![],
                bgp_as2: true,
                protocol: Protocol::Bgp,
                bytes: vec![0xff, 0xff],
            })
        );
        assert_eq!(
            parse_args(&args(&["--", "--odd-name"])),
            Ok(Command::Files {
                roundtrip: false,
                vxlan_ports: vec![],
                bgp_as2: false,
                files: args(&["--odd-name"]),
            })
        );
        assert_eq!(parse_args(&args(&["x", "--help"])), Ok(Command::Help));
    }

    #[test]
    fn usage_errors() {
        for bad in [
            &[][..],
            &["--vxlan-port"][..],
            &["--vxlan-port", "70000", "f"][..],
            &["--hex", "ospf", "00"][..],
            &["--hex", "bgp", "0"][..],
            &["--hex", "bgp", "00", "file"][..],
            &["--frobnicate", "f"][..],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn usage_error_exits_2_without_summary() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(run(&args(&["--bogus"]), &mut out, &mut err), EXIT_USAGE);
        let err = String::from_utf8(err).unwrap();
        assert!(!err.contains("summary:"), "{err}");
        assert!(out.is_empty());
    }

    #[test]
    fn missing_file_exits_2_with_summary() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = run(
            &args(&["/nonexistent/wire-inspect-test.pcap"]),
            &mut out,
            &mut err,
        );
        assert_eq!(status, EXIT_USAGE);
        let err = String::from_utf8(err).unwrap();
        assert!(err.ends_with(
            "summary: messages=0 decoded=0 errors=0 roundtrip_identical=0 roundtrip_different=0\n"
        ));
    }

    #[test]
    fn hex_keepalive_decodes() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let hex = format!("{}0013{:02x}", "ff".repeat(16), 4);
        let status = run(
            &args(&["--roundtrip", "--hex", "bgp", &hex]),
            &mut out,
            &mut err,
        );
        assert_eq!(status, EXIT_OK);
        let out = String::from_utf8(out).unwrap();
        let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(v["type_name"], "KEEPALIVE");
        assert_eq!(v["decoder"], "bgp-evpn-wire");
        assert_eq!(v["decoded"]["message"], "Keepalive");
        assert_eq!(v["roundtrip"], "identical");
        assert_eq!(v["hex"], hex.as_str());
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "summary: messages=1 decoded=1 errors=0 roundtrip_identical=1 roundtrip_different=0\n"
        );
    }

    #[test]
    fn hex_bgp_as2_picks_the_first_as_width() {
        // UPDATE: ORIGIN IGP, AS_PATH, NEXT_HOP, NLRI 10/8. The AS_PATH reads
        // as one sequence of two 4-octet AS numbers (65538, 33619971) or as
        // two sequences of 2-octet ones ([1, 2], [3]): both widths decode.
        let body = "0000 0018 400101 00 40020a 0202 0001 0002 0201 0003 400304 c0000201 080a";
        let body = parse_hex(body).unwrap();
        let hex = format!(
            "{}{:04x}02{}",
            "ff".repeat(16),
            19 + body.len(),
            crate::report::hex(&body)
        );
        for (flag, four, asns) in [
            (None, true, serde_json::json!([65538, 33619971])),
            (Some("--bgp-as2"), false, serde_json::json!([1, 2])),
        ] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let mut a: Vec<&str> = flag.into_iter().collect();
            a.extend(["--roundtrip", "--hex", "bgp", &hex]);
            assert_eq!(run(&args(&a), &mut out, &mut err), EXIT_OK);
            let v: serde_json::Value =
                serde_json::from_str(String::from_utf8(out).unwrap().trim()).unwrap();
            assert_eq!(v["decoded"]["context"]["four_octet_as"], four);
            assert_eq!(v["roundtrip"], "identical");
            let text = v["decoded"]["message"].to_string();
            let want = asns.to_string();
            assert!(text.contains(&want), "{want} in {text}");
        }
    }

    #[test]
    fn hex_bad_marker_is_an_error() {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let hex = format!("{}00{}0013{:02x}", "ff".repeat(3), "ff".repeat(12), 4);
        let status = run(&args(&["--hex", "bgp", &hex]), &mut out, &mut err);
        assert_eq!(status, EXIT_FAILED);
        let v: serde_json::Value =
            serde_json::from_str(String::from_utf8(out).unwrap().trim()).unwrap();
        assert_eq!(v["error"]["offset"], 3);
        assert!(String::from_utf8(err).unwrap().contains("errors=1"));
    }
}
