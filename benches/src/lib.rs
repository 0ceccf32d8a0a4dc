//! Benchmark support for the workspace's criterion benches.
//!
//! The benches live in `benches/benches/*.rs`; this library holds what they
//! share, so that it is compiled, linted and unit-tested like any other code:
//!
//! - [`vxlan`]: test frames (outer Ethernet/IPv4 or IPv6/UDP/VXLAN around an
//!   inner Ethernet/IPv4/UDP frame) and three decoders of the same fields —
//!   `vxlan-wire`, `etherparse`, and a bounds-checked fixed-offset baseline —
//!   whose outputs are checked to agree before anything is timed.
//!
//! - [`bgp`]: BGP messages (UPDATEs of EVPN type-2 and type-5 routes, a
//!   mixed stream) and the same decode/encode through `bgp-evpn-wire` and
//!   NetGauze (`netgauze-bgp-pkt`), checked to agree.
//!
//! Run with `cargo bench -p benches`; see `benches/README.md`.

pub mod bgp;
pub mod openflow;
pub mod rib;
pub mod vxlan;
