//! The paper's proactive migration, one RIB at a time: source, destination
//! and remote sides, rollback, and bad inputs.

mod common;

use core::time::Duration;

use bgp_evpn_wire::evpn::EvpnRoute;
use bgp_evpn_wire::extcomm::{MacMobility, RouterMac};
use common::*;
use evpn_rib::{
    Error, FdbCause, FdbTarget, Input, MigrationEvent, MigrationOutcome, Output, RemoteVtep,
    SignallingMode,
};
use macaddr::MacAddr6;

const DEST_RMAC: MacAddr6 = MacAddr6::new(0x02, 0, 0, 0, 0, 2);

fn start(m: MacAddr6) -> Input {
    Input::MigrationStart {
        evi: EVI,
        mac: m,
        destination: pe(2),
        destination_vni: VNI,
        destination_router_mac: Some(DEST_RMAC),
        expected_downtime: Duration::from_secs(1),
    }
}

fn dest_target() -> FdbTarget {
    FdbTarget::Remote {
        vtep: RemoteVtep {
            vtep: pe(2),
            vni: VNI,
        },
        aliases: vec![],
        router_mac: Some(DEST_RMAC),
    }
}

fn event(outcome: MigrationOutcome) -> Output {
    Output::Migration(MigrationEvent {
        evi: EVI,
        mac: mac(1),
        destination: pe(2),
        outcome,
    })
}

/// Source RIB (PE 1) with the VM's MAC local at sequence 3.
fn source(signalling: SignallingMode) -> evpn_rib::Rib {
    let mut cfg = config(1);
    cfg.migration.signalling = signalling;
    let mut r = rib_with(cfg);
    r.handle(ms(0), remote(3, mac(1)).seq(2).update()).unwrap();
    r.handle(ms(1), learn_ip(mac(1), host(1), 7)).unwrap();
    r.handle(ms(2), remote(3, mac(1)).seq(2).withdraw())
        .unwrap();
    let out = drain(&mut r);
    assert!(
        ads(&out)
            .iter()
            .all(|a| mobility(a) == Some(MacMobility::new(3)))
    );
    r
}

#[test]
fn source_advertises_the_destination_with_the_flag_and_the_same_sequence() {
    let mut r = source(SignallingMode::InProgressFlag);
    r.handle(secs(10), start(mac(1))).unwrap();
    let out = drain(&mut r);
    assert_eq!(out[0], event(MigrationOutcome::Started));
    assert_eq!(fdbs(&out), vec![(dest_target(), FdbCause::InProgress)]);
    let ads = ads(&out);
    assert_eq!(ads.len(), 2, "MAC-only and MAC/IP routes");
    for ad in ads {
        assert_eq!(ad.next_hop, pe(2));
        assert_eq!(
            mobility(ad),
            Some(MacMobility::new(3).migration_in_progress(true))
        );
        assert!(ad.communities.contains(&RouterMac(DEST_RMAC).into()));
        let EvpnRoute::MacIp(m) = &ad.route else {
            panic!()
        };
        assert_eq!(m.rd, rd(1), "same route, so it replaces the old one");
    }
    assert_eq!(withdrawn(&out), vec![]);
    // Deadline: expected downtime 1 s + grace 2 s.
    assert_eq!(r.poll_timeout(), Some(secs(13)));
}

#[test]
fn source_in_plain_mode_readvertises_without_the_flag() {
    let mut r = source(SignallingMode::PlainReadvertise);
    r.handle(secs(10), start(mac(1))).unwrap();
    let out = drain(&mut r);
    for ad in ads(&out) {
        assert_eq!(ad.next_hop, pe(2));
        assert_eq!(mobility(ad), Some(MacMobility::new(3)));
    }
}

#[test]
fn source_withdraws_on_any_route_from_the_destination_whatever_its_sequence() {
    for dest_seq in [0, 1, 4] {
        let mut r = source(SignallingMode::InProgressFlag);
        r.handle(secs(10), start(mac(1))).unwrap();
        drain(&mut r);
        // A standard destination that forgot the sequence number.
        let mut route = remote(2, mac(1));
        if dest_seq > 0 {
            route = route.seq(dest_seq);
        }
        r.handle(secs(11), route.update()).unwrap();
        let out = drain(&mut r);
        assert_eq!(out[0], event(MigrationOutcome::Completed), "seq {dest_seq}");
        assert_eq!(withdrawn(&out).len(), 2, "seq {dest_seq}");
        assert_eq!(ads(&out), Vec::<&evpn_rib::Advertisement>::new());
        assert_eq!(
            fdbs(&out),
            vec![(remote_target(2), FdbCause::Complete)],
            "seq {dest_seq}"
        );
        assert_eq!(r.poll_timeout(), None, "deadline cancelled");
        assert!(r.mac(EVI, mac(1)).unwrap().local.is_none());
    }
}

#[test]
fn source_ignores_its_own_in_progress_route_reflected_back() {
    let mut r = source(SignallingMode::InProgressFlag);
    r.handle(secs(10), start(mac(1))).unwrap();
    drain(&mut r);
    // An in-progress route whose next hop is the destination does not
    // complete the migration.
    r.handle(
        secs(11),
        remote(5, mac(1))
            .next_hop(pe(2))
            .originator(pe(1))
            .mobility(MacMobility::new(3).migration_in_progress(true))
            .update(),
    )
    .unwrap();
    let out = drain(&mut r);
    assert!(!out.contains(&event(MigrationOutcome::Completed)));
}

#[test]
fn deadline_without_the_destination_rolls_back() {
    let mut r = source(SignallingMode::InProgressFlag);
    r.handle(secs(10), start(mac(1))).unwrap();
    drain(&mut r);
    r.handle_timeout(ms(12_999)).unwrap();
    assert_eq!(drain(&mut r), vec![]);
    r.handle_timeout(secs(13)).unwrap();
    let out = drain(&mut r);
    assert_eq!(out[0], event(MigrationOutcome::DeadlineExpired));
    assert_eq!(fdbs(&out), vec![(local(7), FdbCause::Rollback)]);
    for ad in ads(&out) {
        assert_eq!(ad.next_hop, pe(1));
        assert_eq!(
            mobility(ad),
            Some(MacMobility::new(3)),
            "flag clear, same sequence"
        );
    }
    assert_eq!(r.poll_timeout(), None);
}

#[test]
fn abort_rolls_back_and_bad_migration_inputs_are_typed_errors() {
    let mut r = source(SignallingMode::InProgressFlag);
    let before = r.snapshot();
    let bad = [
        (
            Input::MigrationAbort {
                evi: EVI,
                mac: mac(1),
            },
            Error::NoMigration {
                evi: EVI,
                mac: mac(1),
            },
        ),
        (
            start(mac(9)),
            Error::MacNotLocal {
                evi: EVI,
                mac: mac(9),
            },
        ),
        (
            Input::MigrationStart {
                evi: EVI,
                mac: mac(1),
                destination: pe(1),
                destination_vni: VNI,
                destination_router_mac: None,
                expected_downtime: Duration::ZERO,
            },
            Error::DestinationIsLocal(pe(1)),
        ),
        (
            Input::MigrationStart {
                evi: EVI,
                mac: mac(1),
                destination: pe(2),
                destination_vni: 1 << 24,
                destination_router_mac: None,
                expected_downtime: Duration::ZERO,
            },
            Error::InvalidVni(1 << 24),
        ),
    ];
    for (input, err) in bad {
        assert_eq!(r.handle(secs(5), input), Err(err));
    }
    assert_eq!(r.snapshot(), before);
    assert_eq!(drain(&mut r), vec![]);

    r.handle(secs(10), start(mac(1))).unwrap();
    drain(&mut r);
    assert_eq!(
        r.handle(secs(10), start(mac(1))),
        Err(Error::MigrationInProgress {
            evi: EVI,
            mac: mac(1)
        })
    );
    r.handle(
        secs(11),
        Input::MigrationAbort {
            evi: EVI,
            mac: mac(1),
        },
    )
    .unwrap();
    let out = drain(&mut r);
    assert_eq!(out[0], event(MigrationOutcome::Aborted));
    assert_eq!(fdbs(&out), vec![(local(7), FdbCause::Rollback)]);
    assert!(ads(&out).iter().all(|a| a.next_hop == pe(1)));
    assert_eq!(r.poll_timeout(), None);
}

#[test]
fn remote_rib_repoints_at_once_on_an_in_progress_route_and_back_on_rollback() {
    let mut r = rib(3);
    let from_source = || remote(1, mac(1)).seq(3);
    r.handle(ms(0), from_source().update()).unwrap();
    assert_eq!(
        fdbs(&drain(&mut r)),
        vec![(remote_target(1), FdbCause::Learn)]
    );
    // In progress: the same route from PE 1, next hop PE 2.
    r.handle(
        ms(10),
        remote(1, mac(1))
            .next_hop(pe(2))
            .mobility(MacMobility::new(3).migration_in_progress(true))
            .update(),
    )
    .unwrap();
    assert_eq!(
        fdbs(&drain(&mut r)),
        vec![(remote_target(2), FdbCause::InProgress)]
    );
    // Rollback: PE 1 is the next hop again, flag clear.
    r.handle(ms(20), from_source().update()).unwrap();
    assert_eq!(
        fdbs(&drain(&mut r)),
        vec![(remote_target(1), FdbCause::Rollback)]
    );
}

#[test]
fn remote_rib_reports_completion_when_the_destination_advertises() {
    let mut r = rib(3);
    r.handle(ms(0), remote(1, mac(1)).seq(3).update()).unwrap();
    r.handle(
        ms(10),
        remote(1, mac(1))
            .next_hop(pe(2))
            .mobility(MacMobility::new(3).migration_in_progress(true))
            .update(),
    )
    .unwrap();
    drain(&mut r);
    r.handle(ms(20), remote(2, mac(1)).seq(4).update()).unwrap();
    assert_eq!(
        fdbs(&drain(&mut r)),
        vec![(remote_target(2), FdbCause::Complete)]
    );
    // The source's withdraw changes nothing more.
    r.handle(ms(30), remote(1, mac(1)).withdraw()).unwrap();
    assert_eq!(drain(&mut r), vec![]);
    assert_eq!(r.fdb(EVI, mac(1)), Some(&remote_target(2)));
}

#[test]
fn destination_expects_the_vm_and_advertises_sequence_plus_one_flag_clear() {
    let mut r = rib(2);
    r.handle(ms(0), remote(1, mac(1)).seq(3).update()).unwrap();
    drain(&mut r);
    // The in-progress route points at us: the FDB stays until the VM shows up.
    r.handle(
        ms(10),
        remote(1, mac(1))
            .next_hop(pe(2))
            .mobility(MacMobility::new(3).migration_in_progress(true))
            .update(),
    )
    .unwrap();
    assert_eq!(drain(&mut r), vec![]);
    r.handle(ms(1000), learn(mac(1), 9)).unwrap();
    let out = drain(&mut r);
    assert_eq!(fdbs(&out), vec![(local(9), FdbCause::Complete)]);
    assert_eq!(mobility(ads(&out)[0]), Some(MacMobility::new(4)));
    assert_eq!(ads(&out)[0].next_hop, pe(2));
}

#[test]
fn migrations_count_toward_duplicate_detection_unless_configured_otherwise() {
    for count in [true, false] {
        let mut cfg = config(1);
        cfg.duplicate.moves = 2;
        cfg.migration.count_as_moves = count;
        let mut r = rib_with(cfg);
        r.handle(ms(0), learn(mac(1), 7)).unwrap();
        for i in 0..2u64 {
            // Out to PE 2 by migration...
            r.handle(secs(10 * i + 1), start(mac(1))).unwrap();
            r.handle(
                secs(10 * i + 2),
                remote(2, mac(1)).seq(2 * i as u32 + 1).update(),
            )
            .unwrap();
            // ...and back by a plain move.
            r.handle(secs(10 * i + 3), remote(2, mac(1)).withdraw())
                .unwrap();
            r.handle(secs(10 * i + 4), learn(mac(1), 7)).unwrap();
        }
        let dup = alarms(&drain(&mut r))
            .iter()
            .any(|a| matches!(a, evpn_rib::Alarm::DuplicateMac { .. }));
        assert_eq!(dup, count);
    }
}

#[test]
fn time_going_backwards_and_unknown_evi_change_nothing() {
    let mut r = rib(1);
    r.handle(secs(5), learn(mac(1), 1)).unwrap();
    drain(&mut r);
    let before = r.snapshot();
    assert_eq!(
        r.handle(secs(4), learn(mac(2), 1)),
        Err(Error::TimeWentBackwards {
            now: secs(4),
            last: secs(5)
        })
    );
    let unknown = Input::LocalLearn {
        evi: evpn_rib::EviId(7),
        mac: mac(2),
        ip: None,
        port: evpn_rib::PortId(1),
        esi: Default::default(),
        kind: Default::default(),
    };
    assert_eq!(
        r.handle(secs(6), unknown),
        Err(Error::UnknownEvi(evpn_rib::EviId(7)))
    );
    assert_eq!(
        r.handle(secs(6), age(mac(3))),
        Err(Error::MacNotLocal {
            evi: EVI,
            mac: mac(3)
        })
    );
    assert_eq!(
        r.handle(secs(6), Input::AddEvi(evi_config(1))),
        Err(Error::DuplicateEvi(EVI))
    );
    assert_eq!(r.snapshot(), before);
    assert_eq!(drain(&mut r), vec![]);
    // Time may stand still.
    r.handle(secs(5), Input::Timeout).unwrap();
}
