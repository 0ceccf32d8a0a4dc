//! BGP decode and encode: `bgp-evpn-wire` side by side with NetGauze
//! (`netgauze-bgp-pkt`) on the same bytes, in the same criterion groups so
//! that one run gives the ratios. See `benches/README.md`.

use std::hint::black_box;
use std::time::Duration;

use benches::bgp::{
    ROUTE_COUNTS, context, decode_netgauze, decode_ours, encode_netgauze, encode_ours,
    mixed_stream, netgauze_context, seen_netgauze, seen_ours, stream_netgauze, stream_ours_framer,
    stream_ours_slices, to_bytes, type2_update, type5_update_4096,
};
use bgp_evpn_wire::message::Message;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

/// Decode and encode of one UPDATE, both libraries, one group each.
fn update_pair(c: &mut Criterion, name: &str, msg: &Message, routes: usize) {
    let ctx = context();
    let mut ng_ctx = netgauze_context();
    let bytes = to_bytes(msg);
    // Never time decoders that disagree (the tests check more).
    let ours = decode_ours(&bytes, &ctx);
    let theirs = decode_netgauze(&bytes, &mut ng_ctx);
    assert_eq!(seen_ours(&ours), seen_netgauze(&theirs));
    assert_eq!(seen_ours(&ours).routes, routes);

    let mut g = c.benchmark_group(format!("bgp_decode/{name}"));
    g.throughput(Throughput::Elements(routes as u64));
    g.bench_function("bgp_evpn_wire", |b| {
        b.iter(|| decode_ours(black_box(&bytes), black_box(&ctx)))
    });
    g.bench_function("netgauze", |b| {
        b.iter(|| decode_netgauze(black_box(&bytes), black_box(&mut ng_ctx)))
    });
    g.finish();

    let mut out = Vec::with_capacity(bytes.len());
    let mut g = c.benchmark_group(format!("bgp_encode/{name}"));
    g.throughput(Throughput::Elements(routes as u64));
    g.bench_function("bgp_evpn_wire", |b| {
        b.iter(|| encode_ours(black_box(&ours), black_box(&ctx), &mut out))
    });
    g.bench_function("netgauze", |b| {
        b.iter(|| encode_netgauze(black_box(&theirs), &mut out))
    });
    g.finish();
}

fn updates(c: &mut Criterion) {
    for n in ROUTE_COUNTS {
        update_pair(c, &format!("type2x{n}"), &type2_update(n), n);
    }
    let full = type5_update_4096();
    let routes = seen_ours(&full).routes;
    update_pair(c, "type5_4096B", &full, routes);
}

/// 10,000 mixed messages (OPEN, KEEPALIVE, UPDATE, NOTIFICATION).
fn stream(c: &mut Criterion) {
    let stream = mixed_stream();
    let ctx = context();
    let mut ng_ctx = netgauze_context();
    let want = stream_ours_framer(&stream, &ctx);
    assert_eq!(stream_ours_slices(&stream, &ctx), want);
    assert_eq!(stream_netgauze(&stream, &mut ng_ctx), want);

    let mut g = c.benchmark_group("bgp_stream/mixed10000");
    g.throughput(Throughput::Elements(want.messages() as u64));
    g.bench_function("bgp_evpn_wire/framer", |b| {
        b.iter(|| stream_ours_framer(black_box(&stream), black_box(&ctx)))
    });
    g.bench_function("bgp_evpn_wire/frame_len", |b| {
        b.iter(|| stream_ours_slices(black_box(&stream), black_box(&ctx)))
    });
    g.bench_function("netgauze", |b| {
        b.iter(|| stream_netgauze(black_box(&stream), black_box(&mut ng_ctx)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = updates, stream
}
criterion_main!(benches);
