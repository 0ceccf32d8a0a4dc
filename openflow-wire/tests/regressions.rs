//! Inputs found by the fuzz targets in `fuzz/` that once broke an invariant,
//! kept as small files under `tests/regressions/`. The file name's prefix
//! says how the bytes are decoded: `actions-` (an action list), `message-`
//! (one message), `match-` (an OXM match), `instruction-` (one instruction).
//!
//! Every file must decode without panicking, and whatever decodes must
//! re-encode to the input (padding written as zero) and decode again to the
//! same value. [`EXPECTED`] says, per file, what the fixed crate answers.

use std::path::PathBuf;

use openflow_wire::{Action, Error, Instruction, Match, Message};

/// What each regression file must give now: `Ok` (decodes) or the error.
const EXPECTED: &[(&str, Result<(), &str>)] = &[
    // A Nicira learn action whose third spec header (0x3400) has bit 10
    // set: n_bits is 10 bits wide, so the bit was dropped on decode and the
    // action re-encoded as 0x3000. Now the spec header is rejected.
    (
        "actions-learn-spec-header-bit10.bin",
        Err("learn spec header at byte 32 is 0x3400, expected bits 10 and 14-15 clear"),
    ),
];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/regressions")
}

/// Re-encodes to the input except bytes written as zero (padding).
fn same_but_zeroed(input: &[u8], out: &[u8]) {
    assert_eq!(out.len(), input.len(), "re-encoding has another length");
    for (i, (a, b)) in input.iter().zip(out).enumerate() {
        assert!(
            a == b || *b == 0,
            "byte {i}: input {a:#04x}, re-encoded {b:#04x}"
        );
    }
}

/// Decodes `bytes` as the file name says, checks the round trip, and
/// returns the outcome.
fn check(name: &str, bytes: &[u8]) -> Result<(), Error> {
    if name.starts_with("actions-") {
        let list = Action::decode_list(bytes)?;
        let mut out = Vec::new();
        Action::encode_list(&list, &mut out).expect("encodes");
        same_but_zeroed(bytes, &out);
        assert_eq!(Action::decode_list(&out), Ok(list));
    } else if name.starts_with("message-") {
        let m = Message::decode(bytes)?;
        let out = m.to_bytes().expect("encodes");
        same_but_zeroed(bytes, &out);
        assert_eq!(Message::decode(&out), Ok(m));
    } else if name.starts_with("match-") {
        let m = Match::decode(bytes)?;
        let out = m.to_bytes().expect("encodes");
        same_but_zeroed(bytes, &out);
        assert_eq!(Match::decode(&out), Ok(m));
    } else if name.starts_with("instruction-") {
        let i = Instruction::decode(bytes)?;
        let out = i.to_bytes().expect("encodes");
        same_but_zeroed(bytes, &out);
        assert_eq!(Instruction::decode(&out), Ok(i));
    } else {
        panic!("{name}: unknown prefix (actions-, message-, match-, instruction-)");
    }
    Ok(())
}

#[test]
fn every_regression_file_has_its_expected_outcome() {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/regressions")
        .map(|e| e.expect("entry").file_name().into_string().expect("UTF-8"))
        .collect();
    names.sort();
    let mut listed: Vec<&str> = EXPECTED.iter().map(|(n, _)| *n).collect();
    listed.sort_unstable();
    assert_eq!(
        names, listed,
        "every file has an expected outcome, and only those"
    );
    for (name, expected) in EXPECTED {
        let bytes = std::fs::read(dir().join(name)).expect("read");
        let got = check(name, &bytes).map_err(|e| e.to_string());
        assert_eq!(got, expected.map_err(str::to_string), "{name}");
    }
}

#[test]
fn learn_spec_with_n_bits_below_bit_10_still_round_trips() {
    // The same action with the third spec header 0x3000 (output from an
    // immediate of 0 bits, bit 10 clear) decodes and re-encodes exactly.
    let mut bytes = std::fs::read(dir().join("actions-learn-spec-header-bit10.bin")).unwrap();
    assert_eq!(bytes[32..34], [0x34, 0x00]);
    bytes[32] = 0x30;
    let list = Action::decode_list(&bytes).expect("decodes");
    let mut out = Vec::new();
    Action::encode_list(&list, &mut out).unwrap();
    assert_eq!(out, bytes);
}
