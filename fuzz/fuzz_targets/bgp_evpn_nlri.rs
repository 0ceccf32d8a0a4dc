//! Decodes arbitrary bytes as the EVPN NLRI field of MP_REACH_NLRI /
//! MP_UNREACH_NLRI, with and without Add-Path.
//!
//! Invariants:
//! - `decode_nlris` never panics;
//! - when it succeeds, every NLRI has a Path Identifier exactly when
//!   Add-Path is on, `encode_nlris` reproduces the input byte for byte,
//!   `nlris_encoded_len` is its length, and each route's own
//!   `encoded_len` adds up;
//! - an error's offset lies inside the input.
#![no_main]

use bgp_evpn_wire::evpn::{decode_nlris, encode_nlris, nlris_encoded_len};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for add_path in [false, true] {
        match decode_nlris(data, add_path) {
            Ok(nlris) => {
                assert!(
                    nlris.len() <= data.len() / 2,
                    "more routes than pairs of bytes"
                );
                assert!(nlris.iter().all(|n| n.path_id.is_some() == add_path));
                let mut out = Vec::new();
                encode_nlris(&nlris, add_path, &mut out);
                assert_eq!(out, data, "add_path={add_path}: {nlris:?}");
                assert_eq!(nlris_encoded_len(&nlris, add_path), data.len());
                let per_route: usize = nlris
                    .iter()
                    .map(|n| n.route.encoded_len() + if add_path { 4 } else { 0 })
                    .sum();
                assert_eq!(per_route, data.len());
                assert_eq!(decode_nlris(&out, add_path).as_ref(), Ok(&nlris));
            }
            Err(e) => {
                if let Some(off) = e.offset() {
                    assert!(
                        off <= data.len(),
                        "offset {off} past {} bytes: {e}",
                        data.len()
                    );
                }
                let _ = e.to_string();
                let _ = e.rfc7606_action();
            }
        }
    }
});
