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
//! Run with `cargo bench -p benches`; see `benches/README.md`.

pub mod vxlan;
