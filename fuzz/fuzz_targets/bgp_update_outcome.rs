//! The RFC 7606 decode of arbitrary UPDATE bodies: the first input byte
//! picks the decoding context, the rest is the body after a valid UPDATE
//! header made here.
//!
//! Invariants:
//! - `UpdateOutcome::decode` never panics, and fails only for a bad header;
//! - it agrees with `Message::decode`: when that succeeds, the outcome's
//!   UPDATE is the same value, and its only problems are semantic (missing
//!   well-known attributes); when the outcome has no problem at all, the
//!   strict decode succeeds and re-encodes to the input;
//! - the decoded part re-encodes (within the session's length limit, as it
//!   is a subset of the input) and decodes, through the outcome again, to
//!   the same UPDATE; what is left to report then is semantic only
//!   (missing well-known attributes, conflicting MAC Mobility);
//! - the readers (`worst_action`, `session_reset`, `treat_as_withdraw`)
//!   never panic and agree with the problem list.
#![no_main]

use bgp_evpn_wire::Error;
use bgp_evpn_wire::message::{DecodingContext, Message, UpdateAction, UpdateOutcome};
use bgp_evpn_wire::types::AfiSafi;
use libfuzzer_sys::fuzz_target;

fn context(selector: u8) -> DecodingContext {
    let mut ctx = DecodingContext::new()
        .with_four_octet_as(selector & 1 != 0)
        .with_extended_message(selector & 2 != 0);
    if selector & 4 != 0 {
        ctx = ctx.with_add_path(AfiSafi::EVPN);
    }
    if selector & 8 != 0 {
        ctx = ctx.with_add_path(AfiSafi::IPV4_UNICAST);
    }
    ctx
}

fn semantic(e: &Error) -> bool {
    matches!(
        e,
        Error::MissingWellKnownAttribute { .. } | Error::ConflictingMacMobility { .. }
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let ctx = context(selector);
    let Ok(len) = u16::try_from(19 + body.len()) else {
        return;
    };
    let mut msg = vec![0xff; 16];
    msg.extend_from_slice(&len.to_be_bytes());
    msg.push(2);
    msg.extend_from_slice(body);

    let outcome = match UpdateOutcome::decode(&msg, &ctx) {
        Ok(o) => o,
        Err(e) => {
            // Only the header can fail: too short or too long an UPDATE.
            assert!(
                matches!(e, Error::BadMessageLength { .. }),
                "body error escaped the outcome: {e}"
            );
            assert!(Message::decode(&msg, &ctx).is_err());
            return;
        }
    };

    // Agreement with the strict decode.
    match Message::decode(&msg, &ctx) {
        Ok(Message::Update(u)) => {
            assert_eq!(u, outcome.update);
            assert!(
                outcome
                    .problems
                    .iter()
                    .all(|p| matches!(p.error, Error::MissingWellKnownAttribute { .. })),
                "strict decode accepted {:?}",
                outcome.problems
            );
        }
        Ok(other) => panic!("an UPDATE decoded as {other:?}"),
        Err(e) => assert!(
            !outcome.is_clean(),
            "strict decode failed ({e}) on a clean outcome"
        ),
    }
    if outcome.is_clean() {
        assert_eq!(Message::Update(outcome.update.clone()).to_bytes(&ctx), msg);
    }

    // The readers agree with the problem list.
    assert_eq!(
        outcome.worst_action().is_none(),
        outcome.problems.is_empty()
    );
    assert_eq!(
        outcome.session_reset().is_some(),
        outcome
            .problems
            .iter()
            .any(|p| matches!(p.action, UpdateAction::SessionReset { .. }))
    );
    let _ = outcome.treat_as_withdraw();
    for p in &outcome.problems {
        let _ = p.error.to_string();
    }

    // The decoded part re-encodes and decodes to the same value.
    let partial = Message::Update(outcome.update.clone());
    let bytes = partial.to_bytes(&ctx);
    assert_eq!(bytes.len(), partial.encoded_len(&ctx));
    assert!(bytes.len() <= msg.len(), "the decoded part grew");
    let again = UpdateOutcome::decode(&bytes, &ctx).expect("re-encoded header is valid");
    assert_eq!(again.update, outcome.update);
    assert!(
        again.problems.iter().all(|p| semantic(&p.error)),
        "re-encoded decoded part has wire problems: {:?}",
        again.problems
    );
});
