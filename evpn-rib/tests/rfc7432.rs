//! Scenario tests for the rules of RFC 7432 section 15, RFC 7432bis
//! sections 7.13.1 and 15.1-15.3, and RFC 9721, one test per rule, named
//! with its section.

mod common;

use bgp_evpn_wire::evpn::EvpnRoute;
use bgp_evpn_wire::extcomm::{DefaultGateway, MacMobility};
use bgp_evpn_wire::types::Esi;
use common::*;
use evpn_rib::{
    Alarm, ClearReason, DuplicateAction, Error, FdbCause, FdbTarget, Input, LearnKind, Output,
    PathRef, PeerId,
};

fn esi(n: u8) -> Esi {
    Esi::Arbitrary([0, 0, 0, 0, 0, 0, 0, 0, n])
}

#[test]
fn rfc7432_s15_first_advertisement_carries_no_mac_mobility() {
    let mut r = rib(1);
    r.handle(ms(0), learn_ip(mac(1), host(1), 7)).unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out), vec![(local(7), FdbCause::Learn)]);
    let ads = ads(&out);
    assert_eq!(ads.len(), 2, "MAC-only and MAC/IP routes");
    for ad in &ads {
        assert_eq!(mobility(ad), None);
        assert_eq!(ad.next_hop, pe(1));
        let EvpnRoute::MacIp(m) = &ad.route else {
            panic!("not MAC/IP")
        };
        assert_eq!(m.label1.vni(), VNI);
        assert_eq!(m.rd, rd(1));
    }
    // A refresh changes nothing.
    r.handle(ms(10), learn_ip(mac(1), host(1), 7)).unwrap();
    assert_eq!(drain(&mut r), vec![]);
}

#[test]
fn rfc7432_s15_move_advertises_highest_received_sequence_plus_one() {
    let mut r = rib(1);
    r.handle(ms(0), remote(2, mac(1)).seq(3).update()).unwrap();
    r.handle(ms(1), remote(3, mac(1)).seq(5).update()).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        fdbs(&out),
        vec![
            (remote_target(2), FdbCause::Learn),
            (remote_target(3), FdbCause::Move)
        ]
    );
    r.handle(ms(2), learn(mac(1), 4)).unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out), vec![(local(4), FdbCause::Move)]);
    let ads = ads(&out);
    assert_eq!(ads.len(), 1);
    assert_eq!(mobility(ads[0]), Some(MacMobility::new(6)));
}

#[test]
fn rfc7432_s15_withdraw_own_route_when_a_better_one_arrives() {
    let mut r = rib(1);
    r.handle(ms(0), learn(mac(1), 4)).unwrap();
    let first = ads(&drain(&mut r))[0].route.clone();
    r.handle(ms(5), remote(2, mac(1)).seq(1).update()).unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out), vec![(remote_target(2), FdbCause::Move)]);
    assert_eq!(withdrawn(&out), vec![first]);
    assert!(
        r.mac(EVI, mac(1)).unwrap().local.is_none(),
        "local entry flushed"
    );
    // A stale lower sequence number from a third PE changes nothing.
    r.handle(ms(6), remote(3, mac(1)).update()).unwrap();
    assert_eq!(drain(&mut r), vec![]);
}

#[test]
fn rfc7432_s15_equal_sequence_lowest_originator_address_wins() {
    // PE 2 holds the MAC with sequence 2.
    let mut r = rib(2);
    r.handle(ms(0), remote(5, mac(1)).seq(1).update()).unwrap();
    r.handle(ms(1), learn(mac(1), 4)).unwrap();
    let out = drain(&mut r);
    assert_eq!(mobility(ads(&out)[0]), Some(MacMobility::new(2)));
    // PE 3 (higher address) claims it with the same number: PE 2 keeps it.
    r.handle(ms(2), remote(3, mac(1)).seq(2).update()).unwrap();
    assert_eq!(drain(&mut r), vec![]);
    assert_eq!(r.fdb(EVI, mac(1)), Some(&local(4)));
    // PE 1 (lower address) claims it with the same number: PE 1 wins, PE 2
    // withdraws.
    r.handle(ms(3), remote(1, mac(1)).seq(2).update()).unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out), vec![(remote_target(1), FdbCause::Move)]);
    assert_eq!(withdrawn(&out).len(), 1);
}

#[test]
fn rfc7432_s15_tie_break_is_decided_on_the_originator_not_the_next_hop() {
    let mut r = rib(9);
    // Originator 192.0.2.1 behind next hop .8; originator .2 behind next hop .3.
    r.handle(
        ms(0),
        remote(2, mac(1))
            .seq(4)
            .next_hop(pe(3))
            .originator(pe(2))
            .update(),
    )
    .unwrap();
    r.handle(
        ms(1),
        remote(1, mac(1))
            .seq(4)
            .next_hop(pe(8))
            .originator(pe(1))
            .update(),
    )
    .unwrap();
    let out = drain(&mut r);
    assert_eq!(
        fdbs(&out),
        vec![
            (remote_target(3), FdbCause::Learn),
            (remote_target(8), FdbCause::Move)
        ]
    );
    assert_eq!(
        r.mac(EVI, mac(1)).unwrap().best,
        Some(PathRef::Remote {
            peer: PeerId(pe(1)),
            rd: rd(1),
            ip: None
        })
    );
}

#[test]
fn frr_10468_remote_next_hop_updated_even_with_a_lower_sequence_than_cached() {
    // FRR issue 10468: a PE re-advertising its route with a lower sequence
    // number (after a restart) and a new next hop must still be followed:
    // the new version replaces the old one (implicit withdraw), it is not
    // compared with it.
    let mut r = rib(1);
    r.handle(ms(0), remote(2, mac(1)).seq(5).update()).unwrap();
    drain(&mut r);
    r.handle(ms(1), remote(2, mac(1)).next_hop(pe(7)).update())
        .unwrap();
    assert_eq!(
        fdbs(&drain(&mut r)),
        vec![(remote_target(7), FdbCause::Move)]
    );
    assert_eq!(r.mac(EVI, mac(1)).unwrap().remote.len(), 1);
}

#[test]
fn rfc7432_s15_same_non_zero_esi_is_not_a_move() {
    let mut r = rib(1);
    // The remote PE of the same ES already has the MAC with sequence 3: the
    // local learn on the ES advertises 3, not 4, and counts no move.
    r.handle(ms(0), remote(2, mac(1)).seq(3).esi(esi(1)).update())
        .unwrap();
    drain(&mut r);
    r.handle(
        ms(1),
        learn_full(mac(1), None, 4, esi(1), LearnKind::Dynamic),
    )
    .unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out), vec![(local(4), FdbCause::Move)]);
    assert_eq!(mobility(ads(&out)[0]), Some(MacMobility::new(3)));
    let EvpnRoute::MacIp(m) = &ads(&out)[0].route else {
        panic!()
    };
    assert_eq!(m.esi, esi(1));
    // The peer on the ES moves to 4 (a move elsewhere it saw): we follow
    // with 4 and keep the MAC local, no withdraw.
    r.handle(ms(2), remote(2, mac(1)).seq(4).esi(esi(1)).update())
        .unwrap();
    let out = drain(&mut r);
    assert_eq!(withdrawn(&out), vec![]);
    assert_eq!(fdbs(&out), vec![]);
    assert_eq!(mobility(ads(&out)[0]), Some(MacMobility::new(4)));
    assert!(r.mac(EVI, mac(1)).unwrap().local.is_some());
}

#[test]
fn rfc7432_s15_2_local_learn_of_a_remote_sticky_mac_is_not_advertised() {
    let mut r = rib(1);
    r.handle(
        ms(0),
        remote(2, mac(1))
            .mobility(MacMobility::new(0).sticky(true))
            .update(),
    )
    .unwrap();
    drain(&mut r);
    r.handle(ms(1), learn(mac(1), 4)).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        out,
        vec![Output::Alarm(Alarm::StickyViolation {
            evi: EVI,
            mac: mac(1),
            remote: pe(2)
        })]
    );
    assert_eq!(r.fdb(EVI, mac(1)), Some(&remote_target(2)));
}

#[test]
fn rfc7432_s15_2_sticky_beats_a_higher_sequence_and_static_macs_are_advertised_sticky() {
    let mut r = rib(1);
    r.handle(
        ms(0),
        learn_full(mac(1), None, 4, Esi::ZERO, LearnKind::Static),
    )
    .unwrap();
    let out = drain(&mut r);
    assert_eq!(
        mobility(ads(&out)[0]),
        Some(MacMobility::new(0).sticky(true))
    );
    // A dynamic route with a much higher sequence number does not move it.
    r.handle(ms(1), remote(2, mac(1)).seq(40).update()).unwrap();
    assert_eq!(drain(&mut r), vec![]);
    assert_eq!(r.fdb(EVI, mac(1)), Some(&local(4)));

    // A locally learned dynamic MAC overridden by a remote static one:
    // withdrawn, alarm.
    r.handle(ms(2), learn(mac(2), 5)).unwrap();
    drain(&mut r);
    r.handle(
        ms(3),
        remote(3, mac(2))
            .mobility(MacMobility::new(0).sticky(true))
            .update(),
    )
    .unwrap();
    let out = drain(&mut r);
    assert!(alarms(&out).contains(&Alarm::StickyViolation {
        evi: EVI,
        mac: mac(2),
        remote: pe(3)
    }));
    assert_eq!(withdrawn(&out).len(), 1);
    assert_eq!(r.fdb(EVI, mac(2)), Some(&remote_target(3)));
}

#[test]
fn rfc7432bis_7_13_1_default_gateway_first_and_local_among_them() {
    let mut r = rib(1);
    r.handle(ms(0), remote(2, mac(1)).seq(9).update()).unwrap();
    r.handle(
        ms(1),
        remote(3, mac(1)).community(DefaultGateway::new()).update(),
    )
    .unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out).last(), Some(&(remote_target(3), FdbCause::Move)));
    // The local anycast gateway wins over the remote gateway.
    r.handle(
        ms(2),
        learn_full(mac(1), None, 1, Esi::ZERO, LearnKind::DefaultGateway),
    )
    .unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out), vec![(local(1), FdbCause::Move)]);
    let ad = ads(&out)[0];
    assert!(ad.communities.contains(&DefaultGateway::new().into()));
    assert_eq!(mobility(ad), None, "gateway MACs do not move");
    // A remote route for our gateway MAC without the community is a mismatch.
    r.handle(ms(3), remote(4, mac(1)).seq(20).update()).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        alarms(&out),
        vec![Alarm::DefaultGatewayMismatch {
            evi: EVI,
            mac: mac(1),
            remote: pe(4)
        }]
    );
    assert_eq!(r.fdb(EVI, mac(1)), Some(&local(1)));
    // And a local dynamic learn of a remote gateway MAC is not advertised.
    r.handle(
        ms(4),
        remote(3, mac(2)).community(DefaultGateway::new()).update(),
    )
    .unwrap();
    drain(&mut r);
    r.handle(ms(5), learn(mac(2), 6)).unwrap();
    assert_eq!(
        drain(&mut r),
        vec![Output::Alarm(Alarm::DefaultGatewayMismatch {
            evi: EVI,
            mac: mac(2),
            remote: pe(3)
        })]
    );
}

/// Bounces a MAC between the local port and PE 2 `moves` times, one second
/// apart from `start`; returns the outputs.
fn bounce(r: &mut evpn_rib::Rib, start: u64, moves: u32, step_ms: u64) -> Vec<Output> {
    let mut out = Vec::new();
    let mut t = start;
    let mut seq = r
        .mac(EVI, mac(1))
        .map(|m| {
            m.remote
                .iter()
                .map(|p| p.path.seq)
                .chain(m.local.iter().map(|l| l.seq))
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0);
    for i in 0..moves {
        if i % 2 == 0 {
            r.handle(ms(t), learn(mac(1), 4)).unwrap();
            seq += 1;
        } else {
            seq += 1;
            r.handle(ms(t), remote(2, mac(1)).seq(seq).update())
                .unwrap();
        }
        out.extend(drain(r));
        t += step_ms;
    }
    out
}

#[test]
fn rfc7432_s15_1_duplicate_after_n_moves_within_m_seconds() {
    let mut r = rib(1);
    r.handle(ms(0), remote(2, mac(1)).update()).unwrap();
    drain(&mut r);
    // Moves 1..=4: no alarm.
    let out = bounce(&mut r, 1000, 4, 1000);
    assert!(alarms(&out).is_empty());
    // Move 5 (a local learn at 5 s): alarm, and the learn is not advertised.
    r.handle(ms(5000), learn(mac(1), 4)).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        out,
        vec![Output::Alarm(Alarm::DuplicateMac {
            evi: EVI,
            mac: mac(1),
            moves: 5
        })]
    );
    // Further routes for the MAC are not processed.
    r.handle(ms(6000), remote(2, mac(1)).seq(100).update())
        .unwrap();
    assert_eq!(drain(&mut r), vec![]);
    assert!(r.mac(EVI, mac(1)).unwrap().duplicate.is_some());
}

#[test]
fn rfc7432_s15_1_moves_spread_over_more_than_m_are_not_a_duplicate() {
    let mut r = rib(1);
    r.handle(ms(0), remote(2, mac(1)).update()).unwrap();
    drain(&mut r);
    // 10 moves, 46 s apart: never 5 within 180 s.
    let out = bounce(&mut r, 1000, 10, 46_000);
    assert!(alarms(&out).is_empty());
    // 45.1 s apart would be 5 moves within 180.4 s: still fine; 45 s apart
    // puts the 5th exactly at 180 s, which is within the window.
    let mut r = rib(1);
    r.handle(ms(0), remote(2, mac(1)).update()).unwrap();
    drain(&mut r);
    let out = bounce(&mut r, 1000, 5, 45_000);
    assert_eq!(alarms(&out).len(), 1);
}

#[test]
fn rfc7432bis_15_3_loop_protection_drop_then_retry_timer() {
    let mut cfg = config(1);
    cfg.duplicate.action = DuplicateAction::Drop;
    cfg.duplicate.moves = 3;
    cfg.duplicate.window = dur_s(10);
    cfg.duplicate.retry = Some(dur_s(30));
    let mut r = rib_with(cfg);
    r.handle(ms(0), remote(2, mac(1)).update()).unwrap();
    drain(&mut r);
    let out = bounce(&mut r, 1000, 3, 1000);
    assert_eq!(
        fdbs(&out).last(),
        Some(&(FdbTarget::Drop, FdbCause::Duplicate))
    );
    assert_eq!(r.fdb(EVI, mac(1)), Some(&FdbTarget::Drop));
    // The retry timer R is 30 s after detection at 3 s.
    assert_eq!(r.poll_timeout(), Some(ms(33_000)));
    r.handle_timeout(ms(32_999)).unwrap();
    assert_eq!(drain(&mut r), vec![]);
    r.handle_timeout(ms(33_000)).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        alarms(&out),
        vec![Alarm::DuplicateCleared {
            evi: EVI,
            mac: mac(1),
            reason: ClearReason::Timer
        }]
    );
    // The third move was a local learn at sequence 3 over PE 2's 2: local.
    assert_eq!(fdbs(&out), vec![(local(4), FdbCause::Move)]);
    assert_eq!(mobility(ads(&out)[0]), Some(MacMobility::new(3)));
    assert_eq!(r.poll_timeout(), None);
}

#[test]
fn rfc7432bis_15_3_permanent_freeze_cleared_by_operator_or_remote_withdraw() {
    let mut cfg = config(1);
    cfg.duplicate.action = DuplicateAction::Drop;
    cfg.duplicate.moves = 2;
    cfg.duplicate.retry = None;
    let mut r = rib_with(cfg.clone());
    r.handle(ms(0), remote(2, mac(1)).update()).unwrap();
    let out = bounce(&mut r, 1000, 2, 1000);
    assert!(!alarms(&out).is_empty());
    assert_eq!(r.poll_timeout(), None, "permanent: no retry timer");
    r.handle(
        ms(5000),
        Input::ClearDuplicate {
            evi: EVI,
            mac: mac(1),
        },
    )
    .unwrap();
    let out = drain(&mut r);
    assert!(alarms(&out).contains(&Alarm::DuplicateCleared {
        evi: EVI,
        mac: mac(1),
        reason: ClearReason::Operator
    }));
    assert_ne!(r.fdb(EVI, mac(1)), Some(&FdbTarget::Drop));
    assert_eq!(
        r.handle(
            ms(5001),
            Input::ClearDuplicate {
                evi: EVI,
                mac: mac(1)
            }
        ),
        Err(Error::NotDuplicate {
            evi: EVI,
            mac: mac(1)
        })
    );

    // Cleared by the withdraw of the remote route.
    let mut r = rib_with(cfg);
    r.handle(ms(0), remote(2, mac(1)).update()).unwrap();
    bounce(&mut r, 1000, 2, 1000);
    r.handle(ms(4000), remote(2, mac(1)).withdraw()).unwrap();
    let out = drain(&mut r);
    assert!(alarms(&out).contains(&Alarm::DuplicateCleared {
        evi: EVI,
        mac: mac(1),
        reason: ClearReason::Withdraw
    }));
    assert_eq!(r.fdb(EVI, mac(1)), Some(&local(4)));
}

#[test]
fn rfc7432bis_15_3_retry_timer_must_be_at_least_three_windows() {
    let mut cfg = config(1);
    cfg.duplicate.retry = Some(cfg.duplicate.window * 3 - core::time::Duration::from_millis(1));
    assert!(matches!(
        evpn_rib::Rib::new(cfg),
        Err(Error::InvalidConfig(evpn_rib::ConfigProblem::RetryTooShort))
    ));
}

#[test]
fn rfc7432_s15_sequence_wrap_saturates_with_an_alarm() {
    let mut r = rib(2);
    r.handle(ms(0), remote(3, mac(1)).seq(u32::MAX).update())
        .unwrap();
    drain(&mut r);
    r.handle(ms(1), learn(mac(1), 4)).unwrap();
    let out = drain(&mut r);
    assert!(alarms(&out).contains(&Alarm::SequenceExhausted {
        evi: EVI,
        mac: mac(1)
    }));
    // u32::MAX again; equal numbers: the lower address (ours, .2) wins.
    assert_eq!(mobility(ads(&out)[0]), Some(MacMobility::new(u32::MAX)));
    assert_eq!(r.fdb(EVI, mac(1)), Some(&local(4)));
    // Against a lower address the saturated learn loses.
    r.handle(ms(2), remote(1, mac(1)).seq(u32::MAX).update())
        .unwrap();
    assert_eq!(r.fdb(EVI, mac(1)), Some(&remote_target(1)));
}

#[test]
fn rfc9721_ip_moving_to_a_new_mac_outbids_the_ip_sequence() {
    let mut r = rib(1);
    // 10.0.0.1 was on MAC 1 at PE 2 with sequence 7.
    r.handle(ms(0), remote(2, mac(1)).ip(host(1)).seq(7).update())
        .unwrap();
    drain(&mut r);
    // The IP shows up locally on MAC 2 (a new NIC): both of MAC 2's routes
    // carry 8 (RFC 9721: MAC/IP routes take the MAC's number).
    r.handle(ms(1), learn_ip(mac(2), host(1), 4)).unwrap();
    let out = drain(&mut r);
    let ads = ads(&out);
    assert_eq!(ads.len(), 2);
    assert!(ads.iter().all(|a| mobility(a) == Some(MacMobility::new(8))));
    // A local IP moving between local MACs: the old binding is withdrawn.
    r.handle(ms(2), learn_ip(mac(3), host(1), 5)).unwrap();
    let out = drain(&mut r);
    let gone = withdrawn(&out);
    assert_eq!(gone.len(), 1);
    let EvpnRoute::MacIp(w) = &gone[0] else {
        panic!()
    };
    assert_eq!((w.mac, w.ip), (mac(2), Some(host(1))));
    assert!(ads_contains_seq(&out, 9));
    // A remote route binding the IP to another MAC with a higher number
    // makes the local binding stale.
    r.handle(ms(3), remote(2, mac(4)).ip(host(1)).seq(10).update())
        .unwrap();
    let out = drain(&mut r);
    let gone = withdrawn(&out);
    assert_eq!(gone.len(), 1);
    let EvpnRoute::MacIp(w) = &gone[0] else {
        panic!()
    };
    assert_eq!((w.mac, w.ip), (mac(3), Some(host(1))));
    assert!(r.mac(EVI, mac(3)).unwrap().local.unwrap().ips.is_empty());
}

fn ads_contains_seq(out: &[Output], seq: u32) -> bool {
    ads(out)
        .iter()
        .any(|a| mobility(a) == Some(MacMobility::new(seq)))
}

#[test]
fn local_age_withdraws_and_falls_back_to_remote() {
    let mut r = rib(1);
    r.handle(ms(0), learn_ip(mac(1), host(1), 4)).unwrap();
    drain(&mut r);
    r.handle(
        ms(1),
        Input::LocalAge {
            evi: EVI,
            mac: mac(1),
            ip: Some(host(1)),
        },
    )
    .unwrap();
    let out = drain(&mut r);
    assert_eq!(withdrawn(&out).len(), 1);
    assert_eq!(fdbs(&out), vec![]);
    r.handle(ms(2), age(mac(1))).unwrap();
    let out = drain(&mut r);
    assert_eq!(withdrawn(&out).len(), 1);
    assert_eq!(fdbs(&out), vec![(FdbTarget::Remove, FdbCause::Age)]);
    assert!(r.mac(EVI, mac(1)).is_none(), "entry removed");
}
