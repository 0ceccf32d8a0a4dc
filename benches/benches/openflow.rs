//! OpenFlow 1.3 encode and decode: `openflow-wire` side by side with
//! `rovs-openflow`, in the same criterion groups so that one run gives the
//! ratios. See `benches/README.md` (OpenFlow) and `src/openflow.rs`.

use std::hint::black_box;
use std::time::Duration;

use benches::openflow::{
    FLOW_STATS_ENTRIES, decode_ours, decode_ours_read_all, decode_rovs_flow_mod,
    decode_rovs_flow_stats, decode_rovs_packet_in, decode_view, decode_view_read_all, encode_ours,
    encode_rovs, flow_mod_message, flow_stats_message, mixed_stream, packet_in_message, rovs_flow,
    stream_ours_framer, stream_ours_slices, stream_rovs, stream_view_framer, stream_view_slices,
    to_bytes,
};
use bytes::Bytes;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

/// `openflow-wire`'s four decode rows: owned, owned then every field read,
/// the borrowed view, the view then every field read.
fn our_decoders(g: &mut BenchmarkGroup<'_, WallTime>, bytes: &[u8]) {
    g.bench_function("openflow_wire", |b| {
        b.iter(|| decode_ours(black_box(bytes)))
    });
    g.bench_function("openflow_wire/read_all", |b| {
        b.iter(|| decode_ours_read_all(black_box(bytes)))
    });
    g.bench_function("openflow_wire/view", |b| {
        b.iter(|| decode_view(black_box(bytes)))
    });
    g.bench_function("openflow_wire/view_read_all", |b| {
        b.iter(|| decode_view_read_all(black_box(bytes)))
    });
}

/// The VXLAN tunnel FLOW_MOD (4 match fields, 3 actions).
fn flow_mod(c: &mut Criterion) {
    let msg = flow_mod_message(3);
    let bytes = to_bytes(&msg);
    let flow = rovs_flow(3);
    let rovs_bytes = encode_rovs(&flow, 3).freeze();
    let ours_bytes = Bytes::from(bytes.clone());

    let mut g = c.benchmark_group("of_flow_mod/encode");
    let mut out = Vec::with_capacity(msg.encoded_len());
    g.bench_function("openflow_wire/vec", |b| {
        b.iter(|| encode_ours(black_box(&msg), &mut out))
    });
    g.bench_function("openflow_wire/to_bytes", |b| {
        b.iter(|| to_bytes(black_box(&msg)))
    });
    g.bench_function("rovs_openflow", |b| {
        b.iter(|| encode_rovs(black_box(&flow), 3))
    });
    g.finish();

    let mut g = c.benchmark_group("of_flow_mod/decode");
    our_decoders(&mut g, &bytes);
    // rovs has no FLOW_MOD decoder: header, match and instruction list.
    g.bench_function("rovs_openflow/parts_own_bytes", |b| {
        b.iter(|| decode_rovs_flow_mod(black_box(&rovs_bytes).clone()).unwrap())
    });
    g.bench_function("rovs_openflow/parts_our_bytes", |b| {
        b.iter(|| decode_rovs_flow_mod(black_box(&ours_bytes).clone()).unwrap())
    });
    g.finish();
}

/// A PACKET_IN carrying a 128-byte frame (rovs: decode only).
fn packet_in(c: &mut Criterion) {
    let msg = packet_in_message(9);
    let bytes = to_bytes(&msg);
    let shared = Bytes::from(bytes.clone());

    let mut g = c.benchmark_group("of_packet_in/encode");
    let mut out = Vec::with_capacity(msg.encoded_len());
    g.bench_function("openflow_wire/vec", |b| {
        b.iter(|| encode_ours(black_box(&msg), &mut out))
    });
    g.finish();

    let mut g = c.benchmark_group("of_packet_in/decode");
    our_decoders(&mut g, &bytes);
    g.bench_function("rovs_openflow", |b| {
        b.iter(|| decode_rovs_packet_in(black_box(&shared).clone()).unwrap())
    });
    g.finish();
}

/// MULTIPART_REPLY FLOW with 100 entries (rovs: decode only).
fn flow_stats(c: &mut Criterion) {
    let msg = flow_stats_message(5, FLOW_STATS_ENTRIES);
    let bytes = to_bytes(&msg);
    let shared = Bytes::from(bytes.clone());
    let name = format!("of_flow_stats{FLOW_STATS_ENTRIES}");

    let mut g = c.benchmark_group(format!("{name}/encode"));
    let mut out = Vec::with_capacity(msg.encoded_len());
    g.bench_function("openflow_wire/vec", |b| {
        b.iter(|| encode_ours(black_box(&msg), &mut out))
    });
    g.finish();

    let mut g = c.benchmark_group(format!("{name}/decode"));
    our_decoders(&mut g, &bytes);
    g.bench_function("rovs_openflow/raw_instructions", |b| {
        b.iter(|| decode_rovs_flow_stats(black_box(&shared).clone(), false).unwrap())
    });
    g.bench_function("rovs_openflow/decoded_instructions", |b| {
        b.iter(|| decode_rovs_flow_stats(black_box(&shared).clone(), true).unwrap())
    });
    g.finish();
}

/// 10,000 mixed messages.
fn stream(c: &mut Criterion) {
    let stream = mixed_stream();
    let mut g = c.benchmark_group("of_stream/mixed10000");
    g.throughput(Throughput::Bytes(stream.len() as u64));
    g.bench_function("openflow_wire/framer", |b| {
        b.iter(|| stream_ours_framer(black_box(&stream)))
    });
    g.bench_function("openflow_wire/slices", |b| {
        b.iter(|| stream_ours_slices(black_box(&stream)))
    });
    g.bench_function("openflow_wire/framer_view", |b| {
        b.iter(|| stream_view_framer(black_box(&stream)))
    });
    g.bench_function("openflow_wire/slices_view", |b| {
        b.iter(|| stream_view_slices(black_box(&stream)))
    });
    g.bench_function("rovs_openflow", |b| {
        b.iter(|| stream_rovs(black_box(&stream)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = flow_mod, packet_in, flow_stats, stream
}
criterion_main!(benches);
