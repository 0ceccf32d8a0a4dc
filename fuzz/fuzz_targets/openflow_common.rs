//! Checks shared by the OpenFlow fuzz targets (a module of each target).
#![allow(dead_code)]

use openflow_wire::Error;

/// `openflow-wire` reads padding and reserved bytes without keeping them
/// and writes them as zero: that is the only normalisation besides HELLO
/// element padding. So a re-encoding of a decoded input has its length,
/// and where it differs from the input it holds zero.
pub fn assert_same_but_zeroed(input: &[u8], out: &[u8], what: &str) {
    assert_eq!(
        out.len(),
        input.len(),
        "{what}: re-encoding has another length"
    );
    for (i, (a, b)) in input.iter().zip(out).enumerate() {
        assert!(
            a == b || *b == 0,
            "{what}: byte {i} re-encodes as {b:#04x}, input {a:#04x}"
        );
    }
}

/// The byte offset an input error carries, checked to lie inside the input.
pub fn check_error(e: &Error, len: usize) {
    let offset = match e {
        Error::Truncated { offset, .. }
        | Error::BadLength { offset, .. }
        | Error::BadValue { offset, .. }
        | Error::TrailingBytes { offset, .. }
        | Error::TooDeep { offset, .. } => Some(*offset),
        _ => None,
    };
    if let Some(off) = offset {
        assert!(off <= len, "error offset {off} past {len} bytes: {e}");
    }
    let _ = e.to_string();
}
