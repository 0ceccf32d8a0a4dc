//! Decodes arbitrary bytes as an OXM match (`ofp_match`), as the TLVs of a
//! match behind a valid match header made here, and as one OXM TLV.
//!
//! Invariants:
//! - `Match::decode` and `Oxm::decode` never panic; error offsets lie in
//!   the input;
//! - a decoded match or OXM has an exact `encoded_len`, re-encodes to the
//!   input except padding written as zero, and decodes again to the same
//!   value (decode-encode-decode);
//! - `Match::validate()` never panics, on any decoded match, and a match
//!   rebuilt field by field with `Match::with` is the same match.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openflow_wire::{Match, Oxm};

mod openflow_common;
use openflow_common::{assert_same_but_zeroed, check_error};

fn check_match(bytes: &[u8]) {
    let m = match Match::decode(bytes) {
        Ok(m) => m,
        Err(e) => return check_error(&e, bytes.len()),
    };
    let out = m.to_bytes().expect("a decoded match encodes");
    assert_eq!(out.len(), m.encoded_len());
    assert!(m.length() <= out.len() && out.len() - m.length() < 8);
    assert_same_but_zeroed(bytes, &out, "match");
    assert_eq!(Match::decode(&out).as_ref(), Ok(&m));
    let problems = m.validate();
    for p in &problems {
        let _ = format!("{p:?}");
    }
    let rebuilt = m.fields.iter().cloned().fold(Match::new(), Match::with);
    assert_eq!(rebuilt, m);
    for o in &m.fields {
        let _ = (o.name(), o.maskable(), o.payload_len());
        let h = o.header();
        assert_eq!(
            (h.class, h.field, h.has_mask),
            (o.class(), o.field(), o.has_mask())
        );
        assert_eq!(m.get(o.class(), o.field()).map(Oxm::class), Some(o.class()));
    }
}

fn check_oxm(bytes: &[u8]) {
    let o = match Oxm::decode(bytes) {
        Ok(o) => o,
        Err(e) => return check_error(&e, bytes.len()),
    };
    let out = o.to_bytes().expect("a decoded OXM encodes");
    assert_eq!(out.len(), o.encoded_len());
    assert_same_but_zeroed(bytes, &out, "OXM");
    assert_eq!(Oxm::decode(&out).as_ref(), Ok(&o));
    let _ = Match::new().with(o).validate();
}

fuzz_target!(|data: &[u8]| {
    check_match(data);
    check_oxm(data);
    // The TLVs behind a valid header (type 1, length), padded to 8.
    if let Ok(len) = u16::try_from(4 + data.len()) {
        let mut m = vec![0, 1];
        m.extend_from_slice(&len.to_be_bytes());
        m.extend_from_slice(data);
        m.resize(m.len().next_multiple_of(8), 0);
        check_match(&m);
    }
});
