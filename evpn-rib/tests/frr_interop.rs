//! The paper's migration through a real BGP speaker: three RIBs, DC-1
//! (source), DC-2 (destination) and DC-3 (remote), each behind a test BGP
//! speaker of ours (`testkit::bgp::Speaker`: `std::net`, every message
//! encoded and decoded with bgp-evpn-wire), all peering over eBGP with one
//! FRR `bgpd` 8.4 (Debian package `frr`) that relays between them — the
//! "standard RFC 7432 speaker on the path". FRR runs without zebra on
//! 127.0.0.1, the speakers listen on 127.0.0.11-13; the VTEP addresses in
//! the routes (192.0.2.x) are data only, never a packet's destination.
//!
//! * `proactive_migration_through_frr`: in [`SignallingMode::InProgressFlag`]
//!   DC-3 re-points the VM's MAC to DC-2 with cause `InProgress` while the
//!   VM is still in stop-and-copy (before DC-2 learns it); after DC-2's
//!   local learn every site agrees on DC-2, DC-1's route is withdrawn
//!   (FRR's table holds only DC-2's), and a second VM whose migration is
//!   aborted rolls back everywhere (cause `Rollback`). FRR reads only the
//!   sticky bit and relays the flag octet unchanged, so the paper's
//!   signalling works across it.
//! * `plain_readvertise_migration_through_frr`: the same with
//!   [`SignallingMode::PlainReadvertise`]: DC-3 re-points early too, seen as
//!   an ordinary move.
//!
//! The tests need FRR (`/usr/lib/frr/bgpd`, `vtysh`) and root; they are
//! `#[ignore]`d so that a plain `cargo test` skips them. CI runs
//! `scripts/interop.sh frr`.

use core::net::{IpAddr, Ipv4Addr};
use core::time::Duration;
use std::net::TcpListener;
use std::time::Instant;

use bgp_evpn_wire::attribute::{AsPath, AttributeValue};
use bgp_evpn_wire::message::Message;
use bgp_evpn_wire::types::{Esi, RouteDistinguisher};
use evpn_rib::{
    EviConfig, EviId, FdbCause, FdbTarget, FdbUpdate, Input, LearnKind, MigrationOutcome, Output,
    PeerId, PortId, RemoteVtep, Rib, RibConfig, SignallingMode, Timestamp, inputs_from_update,
    update_for,
};
use macaddr::MacAddr6;
use serde_json::Value;
use testkit::bgp::{FRR_BGPD, Frr, FrrNeighbor, Speaker, evpn_open};
use testkit::{Preflight, TempDir};

const EVI: EviId = EviId(100);
const VNI: u32 = 10100;
const FRR_AS: u32 = 65010;
const FRR_ADDR: Ipv4Addr = Ipv4Addr::LOCALHOST;
/// How long the sites must be silent to count as settled: longer than
/// FRR's update-group coalesce time.
const QUIET: Duration = Duration::from_millis(1500);

/// VTEP / router id of DC-n: 192.0.2.n.
fn pe(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, n))
}

fn vm(n: u8) -> MacAddr6 {
    MacAddr6::new(0x52, 0x54, 0, 0, 0x0d, n)
}

fn tunnel(n: u8) -> FdbTarget {
    FdbTarget::Remote {
        vtep: RemoteVtep {
            vtep: pe(n),
            vni: VNI,
        },
        aliases: vec![],
        router_mac: None,
    }
}

fn local(port: u32) -> FdbTarget {
    FdbTarget::Local { port: PortId(port) }
}

/// One data center: its RIB and the speaker that carries its UPDATEs to
/// and from FRR.
struct Site {
    n: u8,
    rib: Rib,
    speaker: Speaker,
    outputs: Vec<Output>,
}

struct World {
    _dir: TempDir,
    frr: Frr,
    sites: Vec<Site>,
    start: Instant,
}

impl World {
    fn new(signalling: SignallingMode) -> World {
        Preflight::new("FRR migration test")
            .file(FRR_BGPD, "frr")
            .tools(&[("vtysh", "frr")])
            .root("to run FRR bgpd")
            .note(
                "These tests are #[ignore]d for that reason; CI runs them via `.ci/run` \
                 (Debian package: frr).",
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
        let frr = Frr::start(dir.path(), FRR_AS, &neighbors);
        let sites = listeners
            .iter()
            .map(|(n, l)| {
                let IpAddr::V4(id) = pe(*n) else {
                    unreachable!()
                };
                let speaker = Speaker::accept(
                    l,
                    FRR_ADDR,
                    evpn_open(65000 + u32::from(*n), id),
                    FRR_AS,
                    "FRR bgpd",
                    || frr.log_text(),
                );
                let rd = RouteDistinguisher::Ipv4 {
                    addr: id,
                    number: 100,
                };
                let evi = EviConfig::new(
                    EVI,
                    rd,
                    bgp_evpn_wire::extcomm::RouteTarget::as2(65000, 100),
                    VNI,
                    pe(*n),
                );
                let mut cfg = RibConfig::new(pe(*n)).with_evi(evi);
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
            frr,
            sites,
            start: Instant::now(),
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
            self.frr.assert_running();
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
                        for input in inputs_from_update(&u, PeerId(IpAddr::V4(FRR_ADDR))) {
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
                expected_downtime: Duration::from_secs(30),
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
        let text = self.frr.vtysh("show bgp l2vpn evpn route detail json");
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

fn migrate_through_frr(signalling: SignallingMode) -> World {
    let mut w = World::new(signalling);
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
    w
}

#[test]
#[ignore = "needs FRR bgpd; run by .ci/run"]
fn proactive_migration_through_frr() {
    let mut w = migrate_through_frr(SignallingMode::InProgressFlag);
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
    migrate_through_frr(SignallingMode::PlainReadvertise);
}
