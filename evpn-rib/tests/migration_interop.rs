//! The paper's migration through real BGP speakers: three RIBs, DC-1
//! (source), DC-2 (destination) and DC-3 (remote), each behind a test BGP
//! speaker of ours (`testkit::bgp::Speaker`: `std::net`, every message
//! encoded and decoded with bgp-evpn-wire), all peering over eBGP with one
//! transit speaker that relays between them — the "standard RFC 7432
//! speaker on the path": FRR `bgpd` 8.4 (without zebra) or `gobgpd` 3.10
//! (route server). The transit runs on 127.0.0.1, our speakers listen on
//! 127.0.0.11-13; the VTEP addresses in the routes (192.0.2.x) are data
//! only, never a packet's destination.
//!
//! Through FRR (it reads only the sticky bit of the MAC Mobility flags and
//! relays the octet unchanged):
//!
//! * `proactive_migration_through_frr`: in
//!   [`SignallingMode::InProgressFlag`] DC-3 re-points the VM's MAC to DC-2
//!   with cause `InProgress` while the VM is still in stop-and-copy (before
//!   DC-2 learns it); after DC-2's local learn every site agrees on DC-2,
//!   DC-1's route is withdrawn (FRR's table holds only DC-2's, sequence 1),
//!   and a second VM whose migration is aborted rolls back everywhere
//!   (cause `Rollback`).
//! * `plain_readvertise_migration_through_frr`: the same with
//!   [`SignallingMode::PlainReadvertise`]: DC-3 re-points early too, as an
//!   ordinary move.
//!
//! Through GoBGP (it reads any non-zero flags octet as sticky and relays
//! flags 0x02 as 0x01):
//!
//! * `plain_readvertise_migration_through_gobgp`: plain mode converges as
//!   through FRR — the mode to use across such a speaker.
//! * `in_progress_flag_through_gobgp_breaks_as_documented`: the flag mode
//!   fails the way `SignallingMode` documents: DC-3 and DC-2 receive the
//!   in-progress route as a *sticky* one, DC-2's local learn of the resumed
//!   VM is a sticky violation and is ignored, DC-1 rolls back at the
//!   deadline, and every site ends up pointing at DC-1 while the VM runs at
//!   DC-2, until the VM's next frame is learned at DC-2 afresh.
//!
//! The tests need FRR (`/usr/lib/frr/bgpd`, `vtysh`), gobgpd and root; they
//! are `#[ignore]`d so that a plain `cargo test` skips them. CI runs
//! `scripts/interop.sh rib`.

mod common;

use core::net::{IpAddr, Ipv4Addr};
use core::time::Duration;
use std::net::TcpListener;
use std::time::Instant;

use bgp_evpn_wire::attribute::{AsPath, AttributeValue};
use bgp_evpn_wire::message::Message;
use bgp_evpn_wire::types::Esi;
use common::*;
use evpn_rib::{
    Alarm, FdbCause, FdbTarget, FdbUpdate, Input, LearnKind, MigrationOutcome, Output, PeerId,
    PortId, Rib, SignallingMode, Timestamp, inputs_from_update, update_for,
};
use macaddr::MacAddr6;
use serde_json::Value;
use testkit::bgp::{FRR_BGPD, Frr, FrrNeighbor, GobgpNeighbor, Gobgpd, Speaker, evpn_open};
use testkit::{Preflight, TempDir};

const TRANSIT_AS: u32 = 65010;
const TRANSIT_ADDR: Ipv4Addr = Ipv4Addr::LOCALHOST;
/// How long the sites must be silent to count as settled: longer than
/// FRR's update-group coalesce time.
const QUIET: Duration = Duration::from_millis(1500);

fn vm(n: u8) -> MacAddr6 {
    MacAddr6::new(0x52, 0x54, 0, 0, 0x0d, n)
}

/// The tunnel to DC-n.
fn tunnel(n: u8) -> FdbTarget {
    remote_target(n)
}

/// One data center: its RIB and the speaker that carries its UPDATEs to
/// and from FRR.
struct Site {
    n: u8,
    rib: Rib,
    speaker: Speaker,
    outputs: Vec<Output>,
}

/// The speaker between the sites.
enum Transit {
    Frr(Frr),
    Gobgp(Gobgpd),
}

impl Transit {
    fn assert_running(&mut self) {
        match self {
            Transit::Frr(f) => f.assert_running(),
            Transit::Gobgp(g) => g.assert_running(),
        }
    }

    fn log_text(&self) -> String {
        match self {
            Transit::Frr(f) => f.log_text(),
            Transit::Gobgp(g) => g.log_text(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TransitKind {
    Frr,
    Gobgp,
}

struct World {
    _dir: TempDir,
    transit: Transit,
    sites: Vec<Site>,
    start: Instant,
    /// The expected downtime given to `MigrationStart`.
    downtime: Duration,
}

impl World {
    fn new(kind: TransitKind, signalling: SignallingMode, downtime: Duration) -> World {
        Preflight::new("migration interop test")
            .file(FRR_BGPD, "frr")
            .tools(&[("vtysh", "frr"), ("gobgpd", "gobgpd"), ("gobgp", "gobgpd")])
            .root("to run FRR bgpd")
            .note(
                "These tests are #[ignore]d for that reason; CI runs them via `.ci/run` \
                 (Debian packages: frr, gobgpd).",
            )
            .check();
        let dir = TempDir::new("frr-rib");
        let listeners: Vec<(u8, TcpListener)> = (1..=3)
            .map(|n| {
                let addr = Ipv4Addr::new(127, 0, 0, 10 + n);
                (n, TcpListener::bind((addr, 0)).expect("bind speaker"))
            })
            .collect();
        let neighbors: Vec<FrrNeighbor> = listeners
            .iter()
            .map(|(n, l)| FrrNeighbor {
                addr: Ipv4Addr::new(127, 0, 0, 10 + n),
                asn: 65000 + u32::from(*n),
                port: l.local_addr().expect("local address").port(),
            })
            .collect();
        let transit = match kind {
            TransitKind::Frr => Transit::Frr(Frr::start(dir.path(), TRANSIT_AS, &neighbors)),
            TransitKind::Gobgp => {
                let clients: Vec<GobgpNeighbor> = neighbors
                    .iter()
                    .map(|n| GobgpNeighbor {
                        addr: n.addr,
                        peer_as: n.asn,
                        local: TRANSIT_ADDR,
                        remote_port: Some(n.port),
                        route_server_client: true,
                    })
                    .collect();
                Transit::Gobgp(Gobgpd::start(
                    dir.path(),
                    "transit",
                    TRANSIT_AS,
                    TRANSIT_ADDR,
                    None,
                    &clients,
                ))
            }
        };
        let sites = listeners
            .iter()
            .map(|(n, l)| {
                let IpAddr::V4(id) = pe(*n) else {
                    unreachable!()
                };
                let speaker = Speaker::accept(
                    l,
                    TRANSIT_ADDR,
                    evpn_open(65000 + u32::from(*n), id),
                    TRANSIT_AS,
                    "the transit speaker",
                    || transit.log_text(),
                );
                // RD 192.0.2.n:100, RT 65000:100, VNI 10100, VTEP 192.0.2.n.
                let mut cfg = config(*n);
                cfg.migration.signalling = signalling;
                Site {
                    n: *n,
                    rib: Rib::new(cfg).expect("valid config"),
                    speaker,
                    outputs: Vec::new(),
                }
            })
            .collect();
        let mut w = World {
            _dir: dir,
            transit,
            sites,
            start: Instant::now(),
            downtime,
        };
        w.settle();
        w
    }

    fn now(&self) -> Timestamp {
        Timestamp::from_millis(self.start.elapsed().as_millis() as u64)
    }

    /// Moves UPDATEs between the RIBs and FRR, and fires due timers, until
    /// nothing has happened for [`QUIET`] (20 s at most).
    fn settle(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut quiet_since = Instant::now();
        while quiet_since.elapsed() < QUIET {
            assert!(Instant::now() < deadline, "the sites never went quiet");
            self.transit.assert_running();
            let now = self.now();
            for s in &mut self.sites {
                if s.rib.poll_timeout().is_some_and(|t| t <= now) {
                    s.rib.handle_timeout(now).expect("timeout");
                }
                let asn = 65000 + u32::from(s.n);
                while let Some(out) = s.rib.poll_output() {
                    if let Some(mut update) = update_for(&out) {
                        // eBGP: the sender's AS first in AS_PATH.
                        for a in &mut update.attributes {
                            if let AttributeValue::AsPath(p) = &mut a.value {
                                *p = AsPath::sequence([asn]);
                            }
                        }
                        s.speaker.send(&Message::Update(update));
                        quiet_since = Instant::now();
                    }
                    s.outputs.push(out);
                }
                while let Some(msg) = s.speaker.try_next(Duration::from_millis(10)) {
                    if let Message::Update(u) = msg {
                        for input in inputs_from_update(&u, PeerId(IpAddr::V4(TRANSIT_ADDR))) {
                            s.rib.handle(now, input).expect("route input");
                        }
                        quiet_since = Instant::now();
                    }
                }
            }
        }
    }

    fn input(&mut self, site: u8, input: Input) {
        let now = self.now();
        self.sites[usize::from(site - 1)]
            .rib
            .handle(now, input)
            .expect("input accepted");
        self.settle();
    }

    fn learn(&mut self, site: u8, mac: MacAddr6, port: u32) {
        self.input(
            site,
            Input::LocalLearn {
                evi: EVI,
                mac,
                ip: None,
                port: PortId(port),
                esi: Esi::ZERO,
                kind: LearnKind::Dynamic,
            },
        );
    }

    fn start_migration(&mut self, mac: MacAddr6) {
        self.input(
            1,
            Input::MigrationStart {
                evi: EVI,
                mac,
                destination: pe(2),
                destination_vni: VNI,
                destination_router_mac: None,
                expected_downtime: self.downtime,
            },
        );
    }

    fn fdb(&self, site: u8) -> impl Fn(MacAddr6) -> Option<FdbTarget> + '_ {
        move |mac| self.sites[usize::from(site - 1)].rib.fdb(EVI, mac).cloned()
    }

    /// The last FDB change a site made for a MAC.
    fn last_fdb(&self, site: u8, mac: MacAddr6) -> Option<(FdbTarget, FdbCause)> {
        self.sites[usize::from(site - 1)]
            .outputs
            .iter()
            .rev()
            .find_map(|o| match o {
                Output::Fdb(FdbUpdate {
                    mac: m,
                    target,
                    cause,
                    ..
                }) if *m == mac => Some((target.clone(), *cause)),
                _ => None,
            })
    }

    /// FRR's paths for a MAC: (RD, next hop, extended communities).
    fn frr_paths(&self, mac: MacAddr6) -> Vec<(String, String, String)> {
        let Transit::Frr(frr) = &self.transit else {
            panic!("not FRR")
        };
        let text = frr.vtysh("show bgp l2vpn evpn route detail json");
        let v: Value = serde_json::from_str(&text).expect("FRR's JSON");
        let mac = mac.to_string().to_lowercase();
        let mut out = Vec::new();
        for (rd, routes) in v.as_object().expect("object") {
            let Some(routes) = routes.as_object() else {
                continue;
            };
            for route in routes.values() {
                if route["mac"].as_str() == Some(mac.as_str()) {
                    let p = &route["paths"][0][0];
                    out.push((
                        rd.clone(),
                        p["nexthops"][0]["ip"].as_str().unwrap_or("").to_owned(),
                        p["extendedCommunity"]["string"]
                            .as_str()
                            .unwrap_or("")
                            .to_owned(),
                    ));
                }
            }
        }
        out
    }
}

/// A VM at DC-1 migrates to DC-2 and resumes there: every site must end
/// up agreeing on DC-2, DC-3 having re-pointed before the resume.
fn migrate(kind: TransitKind, signalling: SignallingMode) -> World {
    let mut w = World::new(kind, signalling, Duration::from_secs(30));
    let a = vm(1);
    w.learn(1, a, 1);
    assert_eq!(w.fdb(2)(a), Some(tunnel(1)));
    assert_eq!(w.fdb(3)(a), Some(tunnel(1)));

    // Stop-and-copy starts: DC-3 follows the VM to DC-2 at once.
    w.start_migration(a);
    let early = match signalling {
        SignallingMode::InProgressFlag => FdbCause::InProgress,
        _ => FdbCause::Move,
    };
    assert_eq!(w.last_fdb(3, a), Some((tunnel(2), early)));
    assert_eq!(w.fdb(1)(a), Some(tunnel(2)));
    if kind == TransitKind::Frr {
        // FRR holds DC-1's route, re-pointed at DC-2, same sequence number 0.
        let paths = w.frr_paths(a);
        assert_eq!(paths.len(), 1, "{paths:?}");
        assert_eq!(paths[0].0, "192.0.2.1:100");
        assert_eq!(paths[0].1, "192.0.2.2");
        let mm = if signalling == SignallingMode::InProgressFlag {
            " MM:0"
        } else {
            ""
        };
        assert_eq!(paths[0].2, format!("RT:65000:100 ET:8{mm}"));
    }

    // The VM resumes at DC-2.
    w.learn(2, a, 7);
    assert_eq!(w.fdb(1)(a), Some(tunnel(2)));
    assert_eq!(w.fdb(2)(a), Some(local(7)));
    assert_eq!(w.fdb(3)(a), Some(tunnel(2)));
    assert!(
        w.sites[0].outputs.iter().any(|o| matches!(
            o,
            Output::Migration(e) if e.mac == a && e.outcome == MigrationOutcome::Completed
        )),
        "DC-1 completed the migration: {:#?}",
        w.sites[0].outputs
    );
    if kind == TransitKind::Frr {
        let paths = w.frr_paths(a);
        assert_eq!(
            paths,
            vec![(
                "192.0.2.2:100".to_owned(),
                "192.0.2.2".to_owned(),
                "RT:65000:100 ET:8 MM:1".to_owned()
            )],
            "only DC-2's route, sequence 1, is left"
        );
    }
    w
}

#[test]
#[ignore = "needs FRR bgpd; run by .ci/run"]
fn proactive_migration_through_frr() {
    let mut w = migrate(TransitKind::Frr, SignallingMode::InProgressFlag);
    assert_eq!(w.last_fdb(3, vm(1)), Some((tunnel(2), FdbCause::Complete)));

    // A second VM's migration is aborted: everyone points back at DC-1.
    let b = vm(2);
    w.learn(1, b, 2);
    w.start_migration(b);
    assert_eq!(w.last_fdb(3, b), Some((tunnel(2), FdbCause::InProgress)));
    w.input(1, Input::MigrationAbort { evi: EVI, mac: b });
    assert_eq!(w.fdb(1)(b), Some(local(2)));
    assert_eq!(w.fdb(2)(b), Some(tunnel(1)));
    assert_eq!(w.last_fdb(3, b), Some((tunnel(1), FdbCause::Rollback)));
    let paths = w.frr_paths(b);
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert_eq!(paths[0].1, "192.0.2.1", "DC-1 is next hop again");
}

#[test]
#[ignore = "needs FRR bgpd; run by .ci/run"]
fn plain_readvertise_migration_through_frr() {
    migrate(TransitKind::Frr, SignallingMode::PlainReadvertise);
}

#[test]
#[ignore = "needs gobgpd; run by .ci/run"]
fn plain_readvertise_migration_through_gobgp() {
    migrate(TransitKind::Gobgp, SignallingMode::PlainReadvertise);
}

#[test]
#[ignore = "needs gobgpd; run by .ci/run"]
fn in_progress_flag_through_gobgp_breaks_as_documented() {
    // A short expected downtime: the deadline (downtime + 2 s grace) passes
    // within the test.
    let mut w = World::new(
        TransitKind::Gobgp,
        SignallingMode::InProgressFlag,
        Duration::from_millis(500),
    );
    let a = vm(1);
    w.learn(1, a, 1);
    assert_eq!(w.fdb(3)(a), Some(tunnel(1)));
    w.start_migration(a);
    // DC-3 re-points, but GoBGP turned the in-progress flag into sticky: to
    // DC-3 it is an ordinary move to a static MAC.
    assert_eq!(w.last_fdb(3, a), Some((tunnel(2), FdbCause::Move)));
    let dc3 = w.sites[2].rib.mac(EVI, a).expect("DC-3 knows the MAC");
    assert!(
        dc3.remote
            .iter()
            .all(|p| p.path.sticky && !p.path.in_progress)
    );
    // The VM resumes at DC-2: a local learn of a MAC a remote PE holds
    // sticky is a violation and is not advertised.
    w.learn(2, a, 7);
    assert!(
        w.sites[1].outputs.iter().any(|o| matches!(
            o,
            Output::Alarm(Alarm::StickyViolation { mac, .. }) if *mac == a
        )),
        "DC-2 raises a sticky violation"
    );
    // No route from DC-2 reaches DC-1: the deadline passes and DC-1 rolls
    // back, re-advertising itself.
    std::thread::sleep(Duration::from_millis(2600));
    w.settle();
    assert!(
        w.sites[0].outputs.iter().any(|o| matches!(
            o,
            Output::Migration(e) if e.mac == a && e.outcome == MigrationOutcome::DeadlineExpired
        )),
        "DC-1's migration expired"
    );
    // The VM runs at DC-2, but every site points at DC-1: DC-2's RIB
    // ignored the learn that violated the (spurious) sticky route, as RFC
    // 7432 section 15.2 protects static MACs.
    assert_eq!(w.fdb(2)(a), Some(tunnel(1)));
    assert_eq!(w.fdb(3)(a), Some(tunnel(1)));
    // Only the VM's next frame at DC-2, learned afresh, repairs it: an
    // ordinary move with sequence 1.
    w.learn(2, a, 7);
    assert_eq!(w.fdb(1)(a), Some(tunnel(2)));
    assert_eq!(w.fdb(2)(a), Some(local(7)));
    assert_eq!(w.fdb(3)(a), Some(tunnel(2)));
}
