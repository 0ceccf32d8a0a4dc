//! Replays an event log through a RIB, deterministically.
//!
//! Input: JSON lines. The first line configures the RIB, every other line
//! is a timestamped input:
//!
//! ```text
//! {"config": <RibConfig>}
//! {"event": {"now": 1000, "input": <Input>}}
//! ```
//!
//! Output: one JSON line per RIB output or refused input, with the time it
//! happened at. Timers due before an event fire first, at their own time,
//! as a correct embedder would have fired them.
//!
//! ```text
//! {"output": {"now": 1000, "output": <Output>}}
//! {"error": {"now": 1000, "error": <Error>}}
//! ```
//!
//! Run: `cargo run -p evpn-rib --features serde --example replay -- evpn-rib/examples/migration-source.jsonl`
//! (reads standard input without an argument).

use std::io::{BufRead, BufReader, Write};

use evpn_rib::{Error, Input, Output, Rib, RibConfig, Timestamp};
use serde::{Deserialize, Serialize};

/// A timestamped input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    /// When.
    pub now: Timestamp,
    /// What.
    pub input: Input,
}

/// One line of the event log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLine {
    /// The RIB's configuration (first line).
    Config(RibConfig),
    /// An input.
    Event(Event),
}

/// One line of the replay's output.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutLine {
    /// An output of the RIB.
    Output {
        /// When.
        now: Timestamp,
        /// What.
        output: Output,
    },
    /// An input the RIB refused (nothing changed).
    Error {
        /// When.
        now: Timestamp,
        /// Why.
        error: Error,
    },
}

fn emit(rib: &mut Rib, now: Timestamp, out: &mut impl Write) -> Result<(), String> {
    while let Some(output) = rib.poll_output() {
        let line =
            serde_json::to_string(&OutLine::Output { now, output }).map_err(|e| e.to_string())?;
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Replays a log; the error names the offending line.
pub fn replay(input: impl BufRead, out: &mut impl Write) -> Result<(), String> {
    let mut rib: Option<Rib> = None;
    for (n, line) in input.lines().enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: LogLine =
            serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", n + 1))?;
        match (parsed, rib.as_mut()) {
            (LogLine::Config(cfg), None) => {
                let mut r = Rib::new(cfg).map_err(|e| format!("line {}: {e}", n + 1))?;
                emit(&mut r, Timestamp::ZERO, out)?;
                rib = Some(r);
            }
            (LogLine::Config(_), Some(_)) => {
                return Err(format!("line {}: a second configuration", n + 1));
            }
            (LogLine::Event(_), None) => {
                return Err(format!("line {}: an event before the configuration", n + 1));
            }
            (LogLine::Event(ev), Some(r)) => {
                while let Some(t) = r.poll_timeout().filter(|t| *t <= ev.now) {
                    r.handle_timeout(t)
                        .map_err(|e| format!("line {}: {e}", n + 1))?;
                    emit(r, t, out)?;
                }
                if let Err(error) = r.handle(ev.now, ev.input) {
                    let line = serde_json::to_string(&OutLine::Error { now: ev.now, error })
                        .map_err(|e| e.to_string())?;
                    writeln!(out, "{line}").map_err(|e| e.to_string())?;
                }
                emit(r, ev.now, out)?;
            }
        }
    }
    Ok(())
}

#[allow(dead_code)]
fn main() {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match std::env::args().nth(1) {
        Some(path) => match std::fs::File::open(&path) {
            Ok(f) => replay(BufReader::new(f), &mut out),
            Err(e) => Err(format!("{path}: {e}")),
        },
        None => replay(std::io::stdin().lock(), &mut out),
    };
    if let Err(e) = result {
        eprintln!("replay: {e}");
        std::process::exit(1);
    }
}
