//! Decodes arbitrary bytes as one BGP message with each of a few decoding
//! contexts: 2-octet AS (RFC 4271 defaults), 4-octet AS, 4-octet AS with
//! Add-Path for EVPN and IPv4 unicast, and 4-octet AS with Extended Message.
//!
//! The bytes are tried twice: as a whole message (marker, length and type
//! from the input), and as a body after a valid header made here (first
//! byte: message type), so the fuzzer spends its time inside the bodies.
//!
//! Invariants:
//! - `Message::decode` never panics;
//! - when it succeeds, `encode` gives back exactly the input bytes,
//!   `encoded_len` is their length, and decoding them again gives the same
//!   message;
//! - the error of a failure has an offset inside the message (or none) and
//!   a `Display`.
#![no_main]

use bgp_evpn_wire::message::{DecodingContext, Message};
use bgp_evpn_wire::types::AfiSafi;
use libfuzzer_sys::fuzz_target;

fn contexts() -> [DecodingContext; 4] {
    [
        DecodingContext::new(),
        DecodingContext::new().with_four_octet_as(true),
        DecodingContext::new()
            .with_four_octet_as(true)
            .with_add_path(AfiSafi::EVPN)
            .with_add_path(AfiSafi::IPV4_UNICAST),
        DecodingContext::new()
            .with_four_octet_as(true)
            .with_extended_message(true),
    ]
}

fn check(msg: &[u8]) {
    for ctx in contexts() {
        match Message::decode(msg, &ctx) {
            Ok(m) => {
                let mut out = Vec::new();
                m.encode(&ctx, &mut out);
                assert_eq!(
                    out, msg,
                    "re-encoding with {ctx:?} differs from the input: {m:?}"
                );
                assert_eq!(m.encoded_len(&ctx), msg.len());
                assert_eq!(m.to_bytes(&ctx), out);
                assert_eq!(usize::from(msg[18]), usize::from(m.msg_type()));
                assert_eq!(Message::decode(&out, &ctx).as_ref(), Ok(&m));
            }
            Err(e) => {
                if let Some(off) = e.offset() {
                    assert!(
                        off <= msg.len(),
                        "offset {off} past {} bytes: {e}",
                        msg.len()
                    );
                }
                let _ = e.to_string();
                let _ = e.notification_code();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    if let Some((&msg_type, body)) = data.split_first() {
        let len = 19 + body.len();
        if let Ok(len) = u16::try_from(len) {
            let mut msg = vec![0xff; 16];
            msg.extend_from_slice(&len.to_be_bytes());
            msg.push(msg_type);
            msg.extend_from_slice(body);
            check(&msg);
        }
    }
});
