//! The BGP bench messages decode to the same routes and MACs with
//! `bgp-evpn-wire` and NetGauze, both encoders give the input bytes back,
//! and `bgp-evpn-wire` allocates no more per decode when an UPDATE carries
//! more routes (counted with `allocation-counter`, whose global allocator
//! this test binary gets by naming the crate).

use benches::bgp::{
    ROUTE_COUNTS, STREAM_MESSAGES, Seen, context, decode_netgauze, decode_ours, encode_netgauze,
    encode_ours, mac, mixed_stream, netgauze_context, netgauze_len, notification, open,
    seen_netgauze, seen_ours, stream_netgauze, stream_ours_framer, stream_ours_slices, to_bytes,
    type2_update, type5_update_4096,
};
use bgp_evpn_wire::message::Message;

fn check_both(msg: &Message, want_routes: usize) -> Vec<u8> {
    let ctx = context();
    let mut ng_ctx = netgauze_context();
    let bytes = to_bytes(msg);

    let ours = decode_ours(&bytes, &ctx);
    // (Flags come back as sent: Extended Length on MP_REACH_NLRI.)
    assert_eq!(seen_ours(&ours), seen_ours(msg));
    let theirs = decode_netgauze(&bytes, &mut ng_ctx);
    let seen = seen_ours(&ours);
    assert_eq!(seen.routes, want_routes);
    assert_eq!(
        seen,
        seen_netgauze(&theirs),
        "both decoders see the same routes"
    );

    let mut out = Vec::new();
    encode_ours(&ours, &ctx, &mut out);
    assert_eq!(out, bytes, "bgp-evpn-wire re-encodes the input");
    encode_netgauze(&theirs, &mut out);
    assert_eq!(out, bytes, "NetGauze re-encodes the input");
    assert_eq!(netgauze_len(&theirs), bytes.len());
    bytes
}

#[test]
fn type2_updates_agree_and_roundtrip() {
    for n in ROUTE_COUNTS {
        let msg = type2_update(n);
        check_both(&msg, n);
        let Seen { macs, .. } = seen_ours(&msg);
        assert_eq!(macs, (0..n).map(mac).collect::<Vec<_>>());
    }
    // 100 routes still fit a 4096-byte message.
    assert!(to_bytes(&type2_update(100)).len() <= 4096);
}

#[test]
fn full_type5_update_agrees_and_roundtrips() {
    let msg = type5_update_4096();
    let routes = seen_ours(&msg).routes;
    assert!(routes > 100, "{routes} type-5 routes");
    let bytes = check_both(&msg, routes);
    assert_eq!(bytes.len(), 4096);
}

#[test]
fn open_keepalive_notification_roundtrip() {
    for msg in [open(), Message::Keepalive, notification()] {
        check_both(&msg, 0);
    }
}

#[test]
fn mixed_stream_counts_agree() {
    let stream = mixed_stream();
    let ctx = context();
    let framed = stream_ours_framer(&stream, &ctx);
    assert_eq!(framed.messages(), STREAM_MESSAGES);
    assert_eq!(framed.open, STREAM_MESSAGES / 10);
    assert_eq!(framed.keepalive, 4 * STREAM_MESSAGES / 10);
    assert_eq!(framed.update, 4 * STREAM_MESSAGES / 10);
    assert_eq!(framed.notification, STREAM_MESSAGES / 10);
    assert_eq!(framed.routes, 22 * STREAM_MESSAGES / 10);
    assert_eq!(stream_ours_slices(&stream, &ctx), framed);
    assert_eq!(stream_netgauze(&stream, &mut netgauze_context()), framed);
}

/// Heap allocations of one decode of an UPDATE with `n` type-2 routes.
fn decode_allocations(n: usize) -> u64 {
    let ctx = context();
    let bytes = to_bytes(&type2_update(n));
    let mut msg = None;
    let info = allocation_counter::measure(|| {
        msg = Some(decode_ours(&bytes, &ctx));
    });
    drop(msg);
    info.count_total
}

#[test]
fn decode_allocations_do_not_grow_with_routes() {
    let counts: Vec<u64> = ROUTE_COUNTS
        .iter()
        .map(|&n| decode_allocations(n))
        .collect();
    println!("bgp-evpn-wire allocations per decode for {ROUTE_COUNTS:?} routes: {counts:?}");
    assert!(
        counts.windows(2).all(|w| w[0] == w[1]),
        "allocations per decode must not depend on the route count: {counts:?}"
    );
}

#[test]
fn encode_into_a_reserved_vec_does_not_allocate() {
    let ctx = context();
    for n in ROUTE_COUNTS {
        let msg = type2_update(n);
        let mut out = Vec::with_capacity(msg.encoded_len(&ctx));
        let info = allocation_counter::measure(|| encode_ours(&msg, &ctx, &mut out));
        assert_eq!(info.count_total, 0, "{n} routes");
    }
}
