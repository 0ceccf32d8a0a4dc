//! Model-based property test: three PEs in full mesh, random local learns,
//! ages, moves, migrations (started, aborted, completed or expired) and
//! waits, BGP messages encoded, decoded and delivered with random delays
//! (in order per session, like TCP). After quiescence every PE agrees on
//! where each MAC is, no FDB entry is stale, each RIB's FDB outputs add up
//! to its table, refused inputs changed nothing, and a second run gives the
//! same outputs.

mod common;

use core::time::Duration;
use std::collections::BTreeMap;

use bgp_evpn_wire::message::{DecodingContext, Message};
use common::*;
use evpn_rib::{
    DuplicateAction, DuplicateConfig, Error, FdbTarget, Input, Output, PeerId, RemoteVtep, Rib,
    SignallingMode, Timestamp, inputs_from_update, update_for,
};
use macaddr::MacAddr6;
use proptest::prelude::*;

const SITES: usize = 3;

#[derive(Debug, Clone)]
enum Op {
    Learn {
        site: usize,
        mac: u8,
        ip: Option<u8>,
        port: u32,
    },
    Age {
        site: usize,
        mac: u8,
    },
    Start {
        site: usize,
        mac: u8,
        dest: usize,
        downtime: u64,
    },
    Abort {
        site: usize,
        mac: u8,
    },
    Wait,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..SITES, 1..4u8, proptest::option::of(1..3u8), 1..3u32)
            .prop_map(|(site, mac, ip, port)| Op::Learn { site, mac, ip, port }),
        2 => (0..SITES, 1..4u8).prop_map(|(site, mac)| Op::Age { site, mac }),
        3 => (0..SITES, 1..4u8, 1..SITES, 0..3000u64)
            .prop_map(|(site, mac, d, downtime)| Op::Start { site, mac, dest: (site + d) % SITES, downtime }),
        1 => (0..SITES, 1..4u8).prop_map(|(site, mac)| Op::Abort { site, mac }),
        1 => Just(Op::Wait),
    ]
}

struct Net {
    ribs: Vec<Rib>,
    wire: BTreeMap<(Timestamp, u64), (usize, usize, Vec<u8>)>,
    last_on_link: BTreeMap<(usize, usize), Timestamp>,
    delays: Vec<u64>,
    sent: u64,
    now: Timestamp,
    log: Vec<(Timestamp, usize, Output)>,
    fdb: Vec<BTreeMap<MacAddr6, FdbTarget>>,
}

fn ctx() -> DecodingContext {
    DecodingContext::new().with_four_octet_as(true)
}

impl Net {
    fn new(delays: Vec<u64>, signalling: SignallingMode, dup: Option<DuplicateConfig>) -> Net {
        let ribs = (1..=SITES as u8)
            .map(|n| {
                let mut cfg = config(n);
                cfg.migration.signalling = signalling;
                // Without `dup`, moves are random and must not freeze MACs.
                cfg.duplicate = dup.unwrap_or(DuplicateConfig {
                    moves: 10_000,
                    ..DuplicateConfig::default()
                });
                Rib::new(cfg).unwrap()
            })
            .collect();
        let mut net = Net {
            ribs,
            wire: BTreeMap::new(),
            last_on_link: BTreeMap::new(),
            delays,
            sent: 0,
            now: Timestamp::ZERO,
            log: Vec::new(),
            fdb: vec![BTreeMap::new(); SITES],
        };
        net.flush();
        net
    }

    fn flush(&mut self) {
        for from in 0..SITES {
            while let Some(out) = self.ribs[from].poll_output() {
                if let Some(update) = update_for(&out) {
                    let mut bytes = Vec::new();
                    Message::Update(update).encode(&ctx(), &mut bytes);
                    for to in (0..SITES).filter(|t| *t != from) {
                        let delay = self.delays[(self.sent as usize) % self.delays.len()];
                        self.sent += 1;
                        let link = self.last_on_link.entry((from, to)).or_default();
                        let at = (self.now + Duration::from_millis(delay)).max(*link);
                        *link = at;
                        self.wire.insert((at, self.sent), (from, to, bytes.clone()));
                    }
                }
                if let Output::Fdb(f) = &out {
                    if f.target == FdbTarget::Remove {
                        self.fdb[from].remove(&f.mac);
                    } else {
                        self.fdb[from].insert(f.mac, f.target.clone());
                    }
                }
                self.log.push((self.now, from, out));
            }
        }
    }

    /// Delivers messages and fires timers up to `until` (`None`: until
    /// nothing is left).
    fn run(&mut self, until: Option<Timestamp>) {
        for _ in 0..100_000 {
            let next_msg = self.wire.keys().next().map(|k| k.0);
            let next_timer = self.ribs.iter().filter_map(Rib::poll_timeout).min();
            let Some(t) = next_msg.into_iter().chain(next_timer).min() else {
                if let Some(u) = until {
                    self.now = self.now.max(u);
                }
                return;
            };
            if until.is_some_and(|u| t > u) {
                self.now = self.now.max(until.unwrap());
                return;
            }
            self.now = self.now.max(t);
            if next_timer == Some(t) {
                for r in &mut self.ribs {
                    r.handle_timeout(self.now).unwrap();
                }
            } else {
                let (_, (from, to, bytes)) = self.wire.pop_first().unwrap();
                let Message::Update(update) = Message::decode(&bytes, &ctx()).unwrap() else {
                    panic!("not an UPDATE")
                };
                for input in inputs_from_update(&update, PeerId(pe(from as u8 + 1))) {
                    self.ribs[to].handle(self.now, input).unwrap();
                }
            }
            self.flush();
        }
        panic!("no quiescence: the PEs keep exchanging routes");
    }

    fn apply(&mut self, dt: u64, op: &Op) {
        let at = self.now + Duration::from_millis(dt);
        self.run(Some(at));
        let (site, input) = match *op {
            Op::Learn {
                site,
                mac: m,
                ip: None,
                port,
            } => (site, learn(mac(m), port)),
            Op::Learn {
                site,
                mac: m,
                ip: Some(i),
                port,
            } => (site, learn_ip(mac(m), host(i), port)),
            Op::Age { site, mac: m } => (site, age(mac(m))),
            Op::Start {
                site,
                mac: m,
                dest,
                downtime,
            } => (
                site,
                Input::MigrationStart {
                    evi: EVI,
                    mac: mac(m),
                    destination: pe(dest as u8 + 1),
                    destination_vni: VNI,
                    destination_router_mac: None,
                    expected_downtime: Duration::from_millis(downtime),
                },
            ),
            Op::Abort { site, mac: m } => (
                site,
                Input::MigrationAbort {
                    evi: EVI,
                    mac: mac(m),
                },
            ),
            Op::Wait => return,
        };
        let before = self.ribs[site].snapshot();
        match self.ribs[site].handle(self.now, input) {
            Ok(()) => {}
            Err(
                Error::MacNotLocal { .. }
                | Error::NoMigration { .. }
                | Error::MigrationInProgress { .. }
                | Error::MacIsDuplicate { .. },
            ) => {
                assert_eq!(
                    self.ribs[site].snapshot(),
                    before,
                    "a refused input changed state"
                );
                assert_eq!(self.ribs[site].poll_output(), None);
            }
            Err(e) => panic!("unexpected error {e}"),
        }
        self.flush();
    }

    fn check_converged(&self) {
        // RFC 9721: after quiescence an IP is bound to one MAC at one site.
        for i in 1..3u8 {
            let holders: Vec<(usize, MacAddr6)> = (0..SITES)
                .flat_map(|s| {
                    self.ribs[s]
                        .macs(EVI)
                        .filter(|v| v.local.as_ref().is_some_and(|l| l.ips.contains(&host(i))))
                        .map(move |v| (s, v.mac))
                })
                .collect();
            assert!(holders.len() <= 1, "{} bound at {holders:?}", host(i));
        }
        for m in 1..4u8 {
            let mac = mac(m);
            // Sites where the MAC is local, in the FDB and in the RIB.
            let owners: Vec<usize> = (0..SITES)
                .filter(|s| matches!(self.ribs[*s].fdb(EVI, mac), Some(FdbTarget::Local { .. })))
                .collect();
            assert!(
                owners.len() <= 1,
                "{mac}: local at several sites {owners:?}"
            );
            for s in 0..SITES {
                let view = self.ribs[s].mac(EVI, mac);
                // Outputs add up to the table.
                assert_eq!(
                    self.fdb[s].get(&mac),
                    self.ribs[s].fdb(EVI, mac),
                    "site {s} {mac}"
                );
                let local = view.as_ref().and_then(|v| v.local.clone());
                assert!(
                    local.as_ref().is_none_or(|l| l.migration.is_none()),
                    "migration left"
                );
                assert_eq!(local.is_some(), owners.contains(&s), "site {s} {mac}");
                match owners.first() {
                    Some(&o) if o != s => assert_eq!(
                        self.ribs[s].fdb(EVI, mac),
                        Some(&FdbTarget::Remote {
                            vtep: RemoteVtep {
                                vtep: pe(o as u8 + 1),
                                vni: VNI
                            },
                            aliases: vec![],
                            router_mac: None,
                        }),
                        "site {s} disagrees on {mac} (owner {o})"
                    ),
                    Some(_) => {}
                    None => assert_eq!(
                        self.ribs[s].fdb(EVI, mac),
                        None,
                        "stale FDB at site {s} for {mac}"
                    ),
                }
                if let Some(v) = view {
                    // Only the owner advertises, and only routes pointing at itself.
                    assert_eq!(!v.advertised.is_empty(), owners.contains(&s));
                    assert!(v.advertised.iter().all(|a| a.next_hop == pe(s as u8 + 1)));
                    assert!(v.remote.iter().all(|p| !p.path.in_progress));
                }
            }
        }
    }
}

fn scenario(
    ops: &[(u64, Op)],
    delays: &[u64],
    signalling: SignallingMode,
    dup: Option<DuplicateConfig>,
) -> Net {
    let mut net = Net::new(delays.to_vec(), signalling, dup);
    for (dt, op) in ops {
        net.apply(*dt, op);
    }
    net.run(None);
    net
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn all_pes_agree_after_quiescence(
        ops in proptest::collection::vec((0..1500u64, op()), 1..40),
        delays in proptest::collection::vec(1..400u64, 1..8),
        plain in any::<bool>(),
    ) {
        let signalling = if plain { SignallingMode::PlainReadvertise } else { SignallingMode::InProgressFlag };
        let net = scenario(&ops, &delays, signalling, None);
        net.check_converged();
        let again = scenario(&ops, &delays, signalling, None);
        prop_assert_eq!(&net.log, &again.log, "outputs are deterministic");
    }

    /// With duplicate detection on a hair trigger (3 moves in 10 s, retry
    /// after 30 s, loop protection dropping), once the retry timers have
    /// fired the PEs still agree.
    #[test]
    fn duplicate_states_end_and_the_pes_agree(
        ops in proptest::collection::vec((0..1500u64, op()), 1..40),
        delays in proptest::collection::vec(1..400u64, 1..8),
    ) {
        let dup = DuplicateConfig {
            moves: 3,
            window: Duration::from_secs(10),
            action: DuplicateAction::Drop,
            retry: Some(Duration::from_secs(30)),
        };
        let net = scenario(&ops, &delays, SignallingMode::InProgressFlag, Some(dup));
        net.check_converged();
    }
}
