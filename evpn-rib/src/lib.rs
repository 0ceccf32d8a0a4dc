//! A sans-IO EVPN RIB: the L2VPN-Service of "EVPN/SDN Assisted Live VM
//! Migration between Geo-Distributed Data Centers", built on
//! [`bgp_evpn_wire`].
//!
//! No clock, no thread, no I/O (the quinn-proto model): every input comes
//! with its `now` ([`Timestamp`], milliseconds since an epoch you choose)
//! through [`Rib::handle`]; work comes out of [`Rib::poll_output`];
//! [`Rib::poll_timeout`] says when to call [`Rib::handle_timeout`]. The same
//! inputs give the same outputs in the same order (every visible iteration
//! is over ordered maps). Inputs, outputs, configuration and the
//! [`Snapshot`] of the tables derive serde behind the `serde` feature, so a
//! production event log can be replayed.
//!
//! # What it holds
//!
//! * EVIs ([`EviConfig`]): RD, import/export route targets, Ethernet tag,
//!   VNI, local VTEP, Router's MAC. An `EviConfig` is one broadcast domain:
//!   a VLAN-based EVI, or one bridge domain of a VLAN-aware bundle (the
//!   bundle's RD and route targets, its own Ethernet tag and VNI; see
//!   [`EviConfig::bridge_domain`]). A received route is imported into every
//!   broadcast domain that carries one of its route targets and its
//!   Ethernet tag (per-ES A-D routes: every one with the route target).
//! * Per broadcast domain a MAC-VRF: MAC/IP routes keyed by (Ethernet tag,
//!   MAC, IP), the paths of every advertising PE competing in one table
//!   (stored per peer and RD, so a re-advertisement replaces its earlier
//!   version); the flood list of the VNI from inclusive multicast routes
//!   (ingress replication endpoint and VNI from the PMSI tunnel attribute);
//!   Ethernet A-D routes for aliasing and mass withdraw. Ethernet Segment
//!   routes are kept for show commands.
//! * IP-VRFs ([`IpVrfConfig`]): IP prefix (type 5) routes imported by
//!   route target, best next hop per prefix ([`Output::Prefix`]).
//! * Aging belongs to the data plane (or the hypervisor): the RIB keeps no
//!   aging timer and removes a local MAC on [`Input::LocalAge`].
//! * A route whose originator is this RIB's router id is its own route
//!   reflected back and is ignored (RFC 4456 section 8).
//!
//! # Decision process of one MAC
//!
//! Best path (RFC 7432bis section 7.13.1, RFC 7432 section 15), over the
//! local path and every usable received path of the MAC (MAC-only and
//! MAC/IP routes alike, so there is one location per MAC):
//!
//! 1. default gateway routes first, the local one among them;
//! 2. then sticky (static) routes;
//! 3. then the highest MAC Mobility sequence number;
//! 4. then the highest LOCAL_PREF;
//! 5. then the lowest *originator* address (ORIGINATOR_ID, or the router id
//!    of a type 1 RD, or the peer) — never the next hop, which for a
//!    migrating route is the destination;
//! 6. then, for determinism, the local path, then the lowest (peer, RD, IP).
//!
//! A received path of the same non-zero ESI as the local MAC does not
//! compete with it (the MAC is multihomed, not moving); a path whose PE
//! withdrew its per-ES A-D route is only usable through the other PEs of
//! the ES.
//!
//! # States of a MAC
//!
//! ```text
//!              LocalLearn (no remote: seq 0, no MAC Mobility community;
//!                          remote: highest received + 1, one move)
//!   Absent ──────────────────────────────────────────────► Local(seq)
//!     │  ▲                                                  │  │  ▲
//!     │  │ withdraw / age                better route arrives │  │  │ Rollback (abort,
//!     ▼  │                          (move; own route withdrawn)│  │  │ deadline): next hop
//!   Remote(best path) ◄──────────────────────────────────────┘  │  │ self, flag clear
//!     │                 route from the destination (any seq)    │  │
//!     │                ◄───────────── Migrating(dest, seq) ◄────┘  │
//!     │                                      MigrationStart        │
//!     └── N moves within M ──► Duplicate (frozen; Drop with loop ──┘
//!                              protection) ── retry timer R, operator,
//!                                             remote withdraw ──► re-decided
//! ```
//!
//! * **Advertisement (RFC 7432 section 15).** The first advertisement of a
//!   MAC carries no MAC Mobility community; after a move its number is the
//!   highest received plus one; static MACs carry the sticky flag; default
//!   gateway MACs carry the Default Gateway community and never move. When
//!   a better route arrives the own route is withdrawn and the local entry
//!   flushed. A local learn of a MAC that a remote PE advertises as sticky
//!   (or as default gateway) is not advertised and raises an [`Alarm`].
//! * **IP mobility (RFC 9721).** All routes of a MAC carry the MAC's
//!   number; an IP moving to a new MAC outbids the highest number seen for
//!   the IP, and a local binding of the IP to another MAC is withdrawn.
//! * **Sequence number wrap.** There is none: a move past `u32::MAX` stays
//!   at `u32::MAX` and raises [`Alarm::SequenceExhausted`]; from then on the
//!   lowest originator address decides, so the PEs still agree on one
//!   location (a wrapped 0 would lose to every stale route instead).
//! * **Duplicate detection (RFC 7432 section 15.1, RFC 7432bis 15.3).** A
//!   move is a local learn while remote paths exist, or the local path
//!   losing to a remote one. N moves (default 5) within M (default 180 s)
//!   raise [`Alarm::DuplicateMac`]; the MAC is then frozen: nothing new is
//!   advertised or installed for it (a route no longer backed by a local
//!   MAC is still withdrawn). With [`DuplicateAction::Drop`] the FDB entry
//!   becomes [`FdbTarget::Drop`]. The state ends when the retry timer R
//!   (at least 3 M, or never) fires, on [`Input::ClearDuplicate`], or when
//!   the last remote route for the MAC is withdrawn; the MAC is then
//!   decided afresh.
//!
//! # The paper's proactive migration
//!
//! * At the source, [`Input::MigrationStart`] (the VM enters
//!   stop-and-copy) re-advertises the VM's routes — the same NLRI, so they
//!   replace the old ones everywhere — with the destination VTEP as next
//!   hop, the destination's VNI and Router's MAC, the **same** sequence
//!   number (so it never outbids the destination's own advertisement after
//!   resume) and, in [`SignallingMode::InProgressFlag`], the MAC Mobility
//!   migration-in-progress flag. The source's own FDB points at the
//!   destination at once ([`FdbCause::InProgress`]).
//! * A RIB receiving that route re-points the MAC at once
//!   ([`FdbCause::InProgress`]), before the VM resumes. The destination's
//!   RIB sees a route pointing at itself and keeps its FDB until the VM's
//!   local learn, which then advertises sequence + 1 with the flag clear
//!   ([`FdbCause::Complete`]).
//! * The source completes (withdraws its routes) as soon as *any* route for
//!   the MAC whose next hop or originator is the destination arrives,
//!   whatever its sequence number: a standard destination may have
//!   forgotten the number and advertise 0 or 1.
//! * [`Input::MigrationAbort`], or the deadline (expected downtime +
//!   [`MigrationConfig::grace`]) passing without such a route, rolls back:
//!   the source re-advertises itself as next hop, flag clear, same number;
//!   every RIB re-points back ([`FdbCause::Rollback`]).
//! * A standard RFC 7432 speaker ignoring the flag sees an implicit replace
//!   with a new next hop, so it converges too. Speakers that read any
//!   non-zero flags octet as sticky (GoBGP) break the flag mode: see
//!   [`SignallingMode`] for the trade-off and the plain re-advertisement
//!   mode.
//! * Controller-initiated migrations count toward duplicate detection
//!   unless [`MigrationConfig::count_as_moves`] is off.
//!
//! # Example
//!
//! Two sites: a MAC learned at PE 1 is advertised, the UPDATE is encoded
//! and decoded with bgp-evpn-wire, and PE 2 programs a tunnel to PE 1.
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use bgp_evpn_wire::extcomm::RouteTarget;
//! use bgp_evpn_wire::message::{DecodingContext, Message};
//! use bgp_evpn_wire::types::{Esi, RouteDistinguisher};
//! use evpn_rib::{
//!     EviConfig, EviId, FdbCause, FdbTarget, Input, LearnKind, Output, PeerId, PortId,
//!     RemoteVtep, Rib, RibConfig, Timestamp, inputs_from_update, update_for,
//! };
//! use macaddr::MacAddr6;
//!
//! let pe = |n| IpAddr::V4(Ipv4Addr::new(192, 0, 2, n));
//! let site = |n| {
//!     let rd = RouteDistinguisher::Ipv4 { addr: Ipv4Addr::new(192, 0, 2, n), number: 1 };
//!     let evi = EviConfig::new(EviId(1), rd, RouteTarget::as2(65000, 1), 10100, pe(n));
//!     Rib::new(RibConfig::new(pe(n)).with_evi(evi))
//! };
//! let (mut pe1, mut pe2) = (site(1)?, site(2)?);
//! let vm = MacAddr6::new(0x52, 0x54, 0, 0, 0, 1);
//!
//! pe1.handle(Timestamp::from_millis(0), Input::LocalLearn {
//!     evi: EviId(1), mac: vm, ip: None, port: PortId(3), esi: Esi::ZERO,
//!     kind: LearnKind::Dynamic,
//! })?;
//!
//! // Carry PE 1's BGP outputs to PE 2 as real UPDATE bytes.
//! let ctx = DecodingContext::new().with_four_octet_as(true);
//! while let Some(out) = pe1.poll_output() {
//!     let Some(update) = update_for(&out) else { continue };
//!     let mut bytes = Vec::new();
//!     Message::Update(update).encode(&ctx, &mut bytes);
//!     let Ok(Message::Update(update)) = Message::decode(&bytes, &ctx) else { panic!() };
//!     for input in inputs_from_update(&update, PeerId(pe(1))) {
//!         pe2.handle(Timestamp::from_millis(50), input)?;
//!     }
//! }
//!
//! let fdb: Vec<_> = core::iter::from_fn(|| pe2.poll_output())
//!     .filter_map(|o| match o { Output::Fdb(f) => Some(f), _ => None })
//!     .collect();
//! assert_eq!(fdb.len(), 1);
//! assert_eq!(fdb[0].cause, FdbCause::Learn);
//! assert_eq!(fdb[0].target, FdbTarget::Remote {
//!     vtep: RemoteVtep { vtep: pe(1), vni: 10100 },
//!     aliases: vec![],
//!     router_mac: None,
//! });
//! // PE 1's inclusive multicast route made it PE 2's flood list.
//! assert_eq!(pe2.flood_list(EviId(1)), Some(&[RemoteVtep { vtep: pe(1), vni: 10100 }][..]));
//! # Ok::<(), evpn_rib::Error>(())
//! ```
//!
//! # Features
//!
//! * `serde`: `Serialize`/`Deserialize` on inputs, outputs, configuration
//!   and [`Snapshot`].

#![forbid(unsafe_code)]

mod bgp;
mod config;
mod error;
mod intern;
mod io;
mod mac_table;
mod rib;
mod state;
mod time;
mod types;
mod vec_map;
mod view;

pub use bgp::{inputs_from_update, update_for};
pub use config::{
    DuplicateAction, DuplicateConfig, EviConfig, IpVrfConfig, MigrationConfig, RibConfig,
    SignallingMode,
};
pub use error::{ConfigProblem, Error};
pub use io::{
    Advertisement, Alarm, ClearReason, FdbCause, FdbTarget, FdbUpdate, FloodList, Input, LearnKind,
    MigrationEvent, MigrationOutcome, Output, PrefixNextHop, PrefixUpdate, RouteAttributes,
    Withdrawal,
};
pub use rib::{AdPath, PrefixPath, Rib};
pub use state::{DuplicateState, LocalMac, Migration, PathRef, RemotePath};
pub use time::Timestamp;
pub use types::{EviId, IpVrfId, MAX_VNI, PeerId, PortId, RemoteVtep};
pub use view::{AdView, EviView, IpVrfView, MacView, PrefixView, RemotePathView, Snapshot};
