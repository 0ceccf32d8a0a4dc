//! The replay example: the example log under `examples/` replays to the
//! golden output beside it (regenerate it with
//! `cargo run -p evpn-rib --features serde --example replay -- evpn-rib/examples/migration-source.jsonl > evpn-rib/examples/migration-source.out.jsonl`
//! after a deliberate behaviour change).
#![cfg(feature = "serde")]

#[path = "../examples/replay.rs"]
mod replay;

use evpn_rib::{MigrationOutcome, Output};
use replay::OutLine;

const LOG: &str = include_str!("../examples/migration-source.jsonl");
const GOLDEN: &str = include_str!("../examples/migration-source.out.jsonl");

#[test]
fn the_example_log_replays_to_the_golden_output() {
    let mut out = Vec::new();
    replay::replay(LOG.as_bytes(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text, GOLDEN);

    let lines: Vec<OutLine> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcomes: Vec<(u64, MigrationOutcome)> = lines
        .iter()
        .filter_map(|l| match l {
            OutLine::Output {
                now,
                output: Output::Migration(m),
            } => Some((now.as_millis(), m.outcome)),
            _ => None,
        })
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (1000, MigrationOutcome::Started),
            (2214, MigrationOutcome::Completed),
            (3001, MigrationOutcome::Started),
            // Deadline 3001 + 1 s downtime + 2 s grace, fired before the
            // event at 7000.
            (6001, MigrationOutcome::DeadlineExpired),
        ]
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| matches!(l, OutLine::Error { .. }))
            .count(),
        1,
        "the second start of the same migration is refused"
    );
}

#[test]
fn replaying_twice_gives_the_same_bytes() {
    let run = || {
        let mut out = Vec::new();
        replay::replay(LOG.as_bytes(), &mut out).unwrap();
        out
    };
    assert_eq!(run(), run());
}

#[test]
fn malformed_logs_name_the_line() {
    let event = LOG.lines().nth(1).unwrap();
    let config = LOG.lines().next().unwrap();
    let mut sink = Vec::new();
    assert_eq!(
        replay::replay(event.as_bytes(), &mut sink),
        Err("line 1: an event before the configuration".to_string())
    );
    let twice = format!("{config}\n{config}\n");
    assert_eq!(
        replay::replay(twice.as_bytes(), &mut sink),
        Err("line 2: a second configuration".to_string())
    );
    let garbage = format!("{config}\n{{\"event\": 5}}\n");
    let err = replay::replay(garbage.as_bytes(), &mut sink).unwrap_err();
    assert!(err.starts_with("line 2: "), "{err}");
}
