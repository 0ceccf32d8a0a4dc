//! `wire-inspect`: decode BGP-EVPN, OpenFlow and VXLAN messages out of pcap
//! and pcapng captures into JSON lines, with byte-exact round-trip checking.
//!
//! # Usage
//!
//! ```text
//! wire-inspect [--roundtrip] [--vxlan-port N]... [--bgp-as2] FILE...
//! wire-inspect [--roundtrip] [--bgp-as2] --hex PROTO HEX   (PROTO: vxlan, vxlan-ip, bgp, openflow)
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
//!   ([`framing`]). Framing errors (bad BGP marker, impossible length) are
//!   errors.
//! - **BGP** messages are decoded by the `bgp-evpn-wire` crate ([`bgp`]),
//!   each with the decoding context (4-octet AS, Add-Path, Extended
//!   Message) its connection negotiated in the two OPENs, or a documented
//!   default while OPENs are missing; the context used is part of the
//!   decoded value. An UPDATE that does not decode is an error line
//!   carrying its RFC 7606 outcome (what could be decoded, and per problem
//!   the action: session reset, AFI/SAFI disable, treat-as-withdraw,
//!   attribute discard). `--bgp-as2` makes 2-octet AS numbers the default.
//! - **OpenFlow** messages are decoded by the `openflow-wire` crate
//!   ([`openflow`]): every OpenFlow 1.3 message, and HELLO of any version.
//!   Messages of other versions are framed and reported raw with
//!   `"decoded": null`, `"decoder": "unavailable"` and the reason in
//!   `"unavailable"`: they count as messages, not as decoded and not as
//!   errors (exit status 0).
//!
//! # Choices worth knowing
//!
//! - **Which datagrams are VXLAN.** Every UDP datagram with a VXLAN port as
//!   source *or* destination is handed to `vxlan-wire`, which recognises
//!   VXLAN by the destination port; a datagram that is not VXLAN after all
//!   (for example one sent *from* port 4789) is reported as an error line
//!   whose `error` carries vxlan-wire's `not_vxlan` reason.
//! - **Nesting.** Only the outermost VXLAN layer of a frame is decoded;
//!   VXLAN inside VXLAN shows up in the `inner` bytes of the outer layer,
//!   not as a message of its own (one line per captured frame). Other UDP
//!   tunnels (Geneve on 6081, ...) are not opened, so VXLAN carried inside
//!   them is not reported.
//! - **IP fragments** of the outer packet are skipped (no IP reassembly).
//! - **TCP.** Streams are reassembled per direction ([`tcp`]); a stream seen
//!   without its SYN starts at the first segment carrying data. A framing
//!   error stops framing that direction until a new SYN. Out-of-order data
//!   is bounded per direction (1 MiB); past the bound the direction is
//!   given up with an error line. When a direction ends (FIN, RST, end of
//!   the capture) inside a message, or with data stuck behind a gap, that
//!   is an error line too.
//! - **Timestamps** are strings (`"ts":"1700000000.123456"`) so that the
//!   capture's precision is kept exactly, as tshark's JSON does.
//! - **Several files** are inspected independently (TCP state does not
//!   carry over) and frame numbers restart at 1 in each; the summary covers
//!   them all. A file that cannot be read, or that breaks off, gets a
//!   diagnostic on standard error and exit status 2, after whatever it held
//!   was reported. Frames of unsupported link types are skipped with one
//!   diagnostic per file and link type.
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
//! // An OpenFlow 1.3 HELLO, then an OpenFlow 1.0 FEATURES_REQUEST.
//! let bytes = [4u8, 0, 0, 8, 0, 0, 0, 1, 1, 5, 0, 8, 0, 0, 0, 2];
//! let mut lines = Vec::new();
//! inspect_bytes(Protocol::OpenFlow, &bytes, &Options::default(), &mut |r| lines.push(r));
//! assert_eq!(lines.len(), 2);
//! let Outcome::Decoded { value, .. } = &lines[0].outcome else { panic!("decoded") };
//! assert_eq!(value["xid"], 1);
//! assert_eq!(lines[1].info["version"], 1);
//! assert!(matches!(lines[1].outcome, Outcome::Unavailable(_)));
//! ```

pub mod bgp;
pub mod capture;
pub mod cli;
pub mod framing;
pub mod inspect;
pub mod openflow;
pub mod packet;
pub mod protocol;
pub mod report;
pub mod tcp;
pub mod vxlan;
