//! The paper's three-site scenario: DC-1 (source), DC-2 (destination),
//! DC-3 (remote), each with its own RIB, full-mesh BGP whose every UPDATE
//! is encoded and decoded with bgp-evpn-wire and delayed by the WAN.

mod common;

use core::time::Duration;
use std::collections::BTreeMap;

use bgp_evpn_wire::attribute::AttributeValue;
use bgp_evpn_wire::extcomm::ExtendedCommunity;
use bgp_evpn_wire::message::{DecodingContext, Message, Update};
use common::*;
use evpn_rib::{
    FdbCause, FdbTarget, FdbUpdate, Input, Output, PeerId, Rib, SignallingMode, Timestamp,
    inputs_from_update, update_for,
};

const WAN: u64 = 214;
const DOWNTIME: u64 = 1000;

/// Rewrites an UPDATE in flight (a speaker on the path).
type Relay = fn(&mut Update);

struct Net {
    ribs: Vec<Rib>,
    /// (delivery time, sequence) -> (from, to, bytes)
    wire: BTreeMap<(Timestamp, u64), (usize, usize, Vec<u8>)>,
    sent: u64,
    relay: Option<Relay>,
    log: Vec<(Timestamp, usize, Output)>,
    now: Timestamp,
}

fn ctx() -> DecodingContext {
    DecodingContext::new().with_four_octet_as(true)
}

impl Net {
    fn new(signalling: SignallingMode, relay: Option<Relay>) -> Net {
        let ribs = (1..=3)
            .map(|n| {
                let mut cfg = config(n);
                cfg.migration.signalling = signalling;
                Rib::new(cfg).unwrap()
            })
            .collect();
        let mut net = Net {
            ribs,
            wire: BTreeMap::new(),
            sent: 0,
            relay,
            log: Vec::new(),
            now: Timestamp::ZERO,
        };
        net.flush();
        net
    }

    /// Drains every RIB: BGP outputs go on the wire, the rest to the log.
    fn flush(&mut self) {
        for from in 0..self.ribs.len() {
            while let Some(out) = self.ribs[from].poll_output() {
                if let Some(update) = update_for(&out) {
                    let mut bytes = Vec::new();
                    Message::Update(update).encode(&ctx(), &mut bytes);
                    for to in (0..self.ribs.len()).filter(|t| *t != from) {
                        self.sent += 1;
                        let at = self.now + Duration::from_millis(WAN);
                        self.wire.insert((at, self.sent), (from, to, bytes.clone()));
                    }
                }
                self.log.push((self.now, from, out));
            }
        }
    }

    /// Runs deliveries and timers up to `until`.
    fn run(&mut self, until: Timestamp) {
        loop {
            let next_msg = self.wire.keys().next().map(|k| k.0);
            let next_timer = self.ribs.iter().filter_map(Rib::poll_timeout).min();
            let Some(t) = next_msg.into_iter().chain(next_timer).min() else {
                break;
            };
            if t > until {
                break;
            }
            self.now = t;
            if next_timer == Some(t) {
                for r in &mut self.ribs {
                    r.handle_timeout(t).unwrap();
                }
            } else {
                let (k, (from, to, bytes)) = self.wire.pop_first().unwrap();
                assert_eq!(k.0, t);
                let Message::Update(mut update) = Message::decode(&bytes, &ctx()).unwrap() else {
                    panic!("not an UPDATE");
                };
                if let Some(relay) = self.relay {
                    relay(&mut update);
                }
                for input in inputs_from_update(&update, PeerId(pe(from as u8 + 1))) {
                    self.ribs[to].handle(t, input).unwrap();
                }
            }
            self.flush();
        }
        self.now = until;
    }

    fn input(&mut self, at: Timestamp, site: usize, input: Input) {
        self.run(at);
        self.ribs[site].handle(at, input).unwrap();
        self.flush();
    }

    /// FDB updates of a site for MAC 1, with their time.
    fn fdb_log(&self, site: usize) -> Vec<(Timestamp, FdbTarget, FdbCause)> {
        self.log
            .iter()
            .filter_map(|(t, s, o)| match o {
                Output::Fdb(FdbUpdate {
                    mac: m,
                    target,
                    cause,
                    ..
                }) if *s == site && *m == mac(1) => Some((*t, target.clone(), *cause)),
                _ => None,
            })
            .collect()
    }

    fn assert_converged_at_dc2(&self) {
        assert_eq!(self.ribs[0].fdb(EVI, mac(1)), Some(&remote_target(2)));
        assert_eq!(self.ribs[1].fdb(EVI, mac(1)), Some(&local(5)));
        assert_eq!(self.ribs[2].fdb(EVI, mac(1)), Some(&remote_target(2)));
        for (i, r) in self.ribs.iter().enumerate() {
            let m = r.mac(EVI, mac(1)).unwrap();
            // Only DC-2 still advertises the MAC, and nobody holds an
            // in-progress route any more.
            assert_eq!(m.advertised.is_empty(), i != 1, "site {}", i + 1);
            assert!(m.remote.iter().all(|p| !p.path.in_progress));
            assert!(m.remote.iter().all(|p| p.path.next_hop == pe(2)));
        }
    }
}

/// The VM runs at DC-1 port 1; stop-and-copy starts at 1 s (proactive
/// start if `proactive`), the VM resumes at DC-2 port 5 at 2 s.
fn migrate(net: &mut Net, proactive: bool) {
    net.input(ms(0), 0, learn_ip(mac(1), host(1), 1));
    net.run(ms(900));
    assert_eq!(net.ribs[2].fdb(EVI, mac(1)), Some(&remote_target(1)));
    if proactive {
        net.input(
            ms(1000),
            0,
            Input::MigrationStart {
                evi: EVI,
                mac: mac(1),
                destination: pe(2),
                destination_vni: VNI,
                destination_router_mac: None,
                expected_downtime: Duration::from_millis(DOWNTIME),
            },
        );
    }
    net.input(ms(1000 + DOWNTIME), 1, learn_ip(mac(1), host(1), 5));
    net.run(ms(10_000));
}

#[test]
fn proactive_mode_repoints_dc3_before_the_vm_resumes() {
    let mut net = Net::new(SignallingMode::InProgressFlag, None);
    migrate(&mut net, true);
    let dc3 = net.fdb_log(2);
    assert_eq!(
        dc3,
        vec![
            (ms(WAN), remote_target(1), FdbCause::Learn),
            (ms(1000 + WAN), remote_target(2), FdbCause::InProgress),
            (ms(2000 + WAN), remote_target(2), FdbCause::Complete),
        ]
    );
    assert!(dc3[1].0 < ms(1000 + DOWNTIME), "before the VM resumes");
    assert_eq!(
        net.fdb_log(0),
        vec![
            (ms(0), local(1), FdbCause::Learn),
            (ms(1000), remote_target(2), FdbCause::InProgress),
            (ms(2000 + WAN), remote_target(2), FdbCause::Complete),
        ]
    );
    assert_eq!(
        net.fdb_log(1),
        vec![
            (ms(WAN), remote_target(1), FdbCause::Learn),
            (ms(2000), local(5), FdbCause::Complete),
        ]
    );
    net.assert_converged_at_dc2();
}

#[test]
fn plain_evpn_repoints_dc3_only_after_the_vm_resumes() {
    let mut net = Net::new(SignallingMode::InProgressFlag, None);
    migrate(&mut net, false);
    assert_eq!(
        net.fdb_log(2),
        vec![
            (ms(WAN), remote_target(1), FdbCause::Learn),
            (ms(2000 + WAN), remote_target(2), FdbCause::Move),
        ]
    );
    net.assert_converged_at_dc2();
}

#[test]
fn aborted_migration_rolls_back_everywhere() {
    let mut net = Net::new(SignallingMode::InProgressFlag, None);
    net.input(ms(0), 0, learn_ip(mac(1), host(1), 1));
    net.input(
        ms(1000),
        0,
        Input::MigrationStart {
            evi: EVI,
            mac: mac(1),
            destination: pe(2),
            destination_vni: VNI,
            destination_router_mac: None,
            expected_downtime: Duration::from_millis(DOWNTIME),
        },
    );
    net.input(
        ms(1500),
        0,
        Input::MigrationAbort {
            evi: EVI,
            mac: mac(1),
        },
    );
    net.run(ms(10_000));
    assert_eq!(
        net.fdb_log(2),
        vec![
            (ms(WAN), remote_target(1), FdbCause::Learn),
            (ms(1000 + WAN), remote_target(2), FdbCause::InProgress),
            (ms(1500 + WAN), remote_target(1), FdbCause::Rollback),
        ]
    );
    assert_eq!(
        net.fdb_log(0).last(),
        Some(&(ms(1500), local(1), FdbCause::Rollback))
    );
    for r in &net.ribs[1..] {
        assert_eq!(r.fdb(EVI, mac(1)), Some(&remote_target(1)));
    }
}

#[test]
fn missed_deadline_rolls_back_everywhere() {
    let mut net = Net::new(SignallingMode::InProgressFlag, None);
    net.input(ms(0), 0, learn(mac(1), 1));
    net.input(
        ms(1000),
        0,
        Input::MigrationStart {
            evi: EVI,
            mac: mac(1),
            destination: pe(2),
            destination_vni: VNI,
            destination_router_mac: None,
            expected_downtime: Duration::from_millis(DOWNTIME),
        },
    );
    net.run(ms(10_000));
    // Deadline: 1 s + downtime 1 s + grace 2 s.
    assert_eq!(
        net.fdb_log(0).last(),
        Some(&(ms(4000), local(1), FdbCause::Rollback))
    );
    assert_eq!(
        net.fdb_log(2).last(),
        Some(&(ms(4000 + WAN), remote_target(1), FdbCause::Rollback))
    );
}

/// A standard RFC 7432 speaker relaying the routes: the unknown flag bit is
/// dropped.
fn strip_flag(u: &mut Update) {
    rewrite_flags(u, |f| f & 0x01);
}

/// GoBGP 3.10 relaying: any non-zero flags octet becomes 0x01 (sticky).
fn gobgp(u: &mut Update) {
    rewrite_flags(u, |f| if f != 0 { 0x01 } else { 0 });
}

fn rewrite_flags(u: &mut Update, f: fn(u8) -> u8) {
    for a in &mut u.attributes {
        if let AttributeValue::ExtendedCommunities(cs) = &mut a.value {
            for c in cs {
                if let ExtendedCommunity::MacMobility(m) = c {
                    m.flags = f(m.flags);
                }
            }
        }
    }
}

#[test]
fn a_speaker_ignoring_the_flag_still_converges() {
    let mut net = Net::new(SignallingMode::InProgressFlag, Some(strip_flag));
    migrate(&mut net, true);
    assert_eq!(
        net.fdb_log(2),
        vec![
            (ms(WAN), remote_target(1), FdbCause::Learn),
            (ms(1000 + WAN), remote_target(2), FdbCause::Move),
        ]
    );
    net.assert_converged_at_dc2();
}

#[test]
fn plain_readvertise_mode_converges_across_a_gobgp_relay() {
    let mut net = Net::new(SignallingMode::PlainReadvertise, Some(gobgp));
    migrate(&mut net, true);
    assert_eq!(
        net.fdb_log(2),
        vec![
            (ms(WAN), remote_target(1), FdbCause::Learn),
            (ms(1000 + WAN), remote_target(2), FdbCause::Move),
        ]
    );
    net.assert_converged_at_dc2();
}

#[test]
fn flag_mode_across_a_gobgp_relay_turns_sticky_and_rolls_back() {
    // The documented trade-off: GoBGP rewrites 0x02 to 0x01, so DC-2 sees a
    // static MAC and refuses the VM's local learn; DC-1 rolls back.
    let mut net = Net::new(SignallingMode::InProgressFlag, Some(gobgp));
    migrate(&mut net, true);
    let alarms: Vec<_> = net
        .log
        .iter()
        .filter(|(_, s, o)| {
            *s == 1 && matches!(o, Output::Alarm(evpn_rib::Alarm::StickyViolation { .. }))
        })
        .collect();
    assert_eq!(alarms.len(), 1);
    assert_eq!(
        net.fdb_log(0).last(),
        Some(&(ms(4000), local(1), FdbCause::Rollback))
    );
}

#[test]
fn the_scenario_is_deterministic() {
    let run = || {
        let mut net = Net::new(SignallingMode::InProgressFlag, None);
        migrate(&mut net, true);
        net.log
    };
    assert_eq!(run(), run());
}
