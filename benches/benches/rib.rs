//! evpn-rib: local learns, remote route updates and moves at 10k, 100k and
//! 1M MACs (outputs drained after every input), side by side with the same
//! number of inserts of the same keys into a `HashMap` and a `BTreeMap`.
//! Each iteration is a whole run on a fresh RIB (inputs built beforehand,
//! outside the timed part); throughput is in inputs. See
//! `benches/README.md`.

use std::hint::black_box;
use std::time::Duration;

use benches::rib::{
    MOVE_SIZES, SIZES, apply, baseline_keys, btreemap_inserts, hashmap_inserts, local_learns, ms,
    remote_moves, remote_updates, rib, rib_with_remote, size_name,
};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use evpn_rib::Input;

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(10)
}

/// Times `inputs` applied to a fresh copy of `start` (the copy and the
/// inputs' clone are made outside the timed part, the RIB is dropped
/// outside it too).
fn bench_rib(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    start: &evpn_rib::Rib,
    inputs: &[Input],
) {
    g.bench_function(name, |b| {
        b.iter_batched(
            || (start.clone(), inputs.to_vec()),
            |(mut rib, inputs)| {
                let outputs = apply(&mut rib, ms(1000), inputs);
                black_box(outputs);
                rib
            },
            BatchSize::PerIteration,
        )
    });
}

/// Learn and advertise, apply route updates, and the map baselines, per
/// size: one group per size so the ratios come from one run.
fn inserts(c: &mut Criterion) {
    let empty = rib();
    for n in SIZES {
        let learns = local_learns(n);
        let updates = remote_updates(n);
        let keys = baseline_keys(n);
        let mut g = c.benchmark_group(format!("rib/{}", size_name(n)));
        g.throughput(Throughput::Elements(n as u64));
        bench_rib(&mut g, "local_learn", &empty, &learns);
        bench_rib(&mut g, "route_update", &empty, &updates);
        g.bench_function("hashmap_insert", |b| {
            b.iter_batched(
                || (),
                |()| hashmap_inserts(black_box(&keys)),
                BatchSize::PerIteration,
            )
        });
        g.bench_function("btreemap_insert", |b| {
            b.iter_batched(
                || (),
                |()| btreemap_inserts(black_box(&keys)),
                BatchSize::PerIteration,
            )
        });
        g.finish();
    }
}

/// Moves of `n` remote MACs: to another peer with a higher sequence
/// number, and local learns of remote MACs.
fn moves(c: &mut Criterion) {
    for n in MOVE_SIZES {
        let start = rib_with_remote(n);
        let remote = remote_moves(n);
        let local = local_learns(n);
        let mut g = c.benchmark_group(format!("rib/moves/{}", size_name(n)));
        g.throughput(Throughput::Elements(n as u64));
        bench_rib(&mut g, "remote_move", &start, &remote);
        bench_rib(&mut g, "local_learn_of_remote", &start, &local);
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = config();
    targets = inserts, moves
}
criterion_main!(benches);
