//! `wire-inspect`: decode BGP-EVPN, OpenFlow and VXLAN messages out of pcap
//! and pcapng captures into JSON lines, with byte-exact round-trip checking.
//!
//! # Usage
//!
//! ```text
//! wire-inspect [--roundtrip] [--vxlan-port N]... FILE...
//! wire-inspect [--roundtrip] --hex PROTO HEX      (PROTO: vxlan, vxlan-ip, bgp, openflow)
//! ```
//!
//! Every message found becomes one JSON object on one line of standard
//! output (see [`report`] for the fields); standard error ends with exactly
//! one line
//!
//! ```text
//! summary: messages=N decoded=N errors=N roundtrip_identical=N roundtrip_different=N
//! ```
//!
//! Exit status: 0 when everything decoded (and, with `--roundtrip`,
//! re-encoded byte for byte); 1 when there was any error line or round-trip
//! difference; 2 for a usage error or a file that could not be read (the
//! other files are still inspected, and the summary line is still printed;
//! a usage error prints no summary).
//!
//! # What is decoded
//!
//! - **VXLAN**: every UDP datagram from or to port 4789, 8472 or 4790 (GPE),
//!   plus the ports given with `--vxlan-port`, through the `vxlan-wire` crate
//!   ([`vxlan`]). Only the outermost VXLAN layer of a frame is decoded.
//! - **BGP** (TCP port 179) and **OpenFlow** (TCP ports 6653 and 6633): TCP
//!   streams are reassembled per direction ([`tcp`]) and cut into messages
//!   ([`framing`]). Until the `bgp-evpn-wire` and `openflow-wire` decoders
//!   are plugged into the registry ([`protocol`]), these messages are
//!   reported raw with `"decoded": null` and `"decoder": "unavailable"`:
//!   they count as messages, not as decoded and not as errors. Framing
//!   errors (bad BGP marker, impossible length) are errors.
//!
//! # Library layout
//!
//! [`capture`] reads pcap/pcapng with `pcap-parser`; [`packet`] slices link,
//! IP, TCP and UDP headers with `etherparse`; [`inspect::Inspector`] drives
//! everything for one capture; [`cli`] is the command line.
//!
//! ```
//! use wire_inspect::inspect::{Options, inspect_bytes};
//! use wire_inspect::protocol::{Outcome, Protocol};
//!
//! // Two OpenFlow 1.3 HELLOs back to back.
//! let bytes = [4u8, 0, 0, 8, 0, 0, 0, 1, 4, 0, 0, 8, 0, 0, 0, 2];
//! let mut lines = Vec::new();
//! inspect_bytes(Protocol::OpenFlow, &bytes, &Options::default(), &mut |r| lines.push(r));
//! assert_eq!(lines.len(), 2);
//! assert_eq!(lines[1].info["xid"], 2);
//! assert_eq!(lines[0].outcome, Outcome::Unavailable);
//! ```

pub mod capture;
pub mod cli;
pub mod framing;
pub mod inspect;
pub mod packet;
pub mod protocol;
pub mod report;
pub mod tcp;
pub mod vxlan;
