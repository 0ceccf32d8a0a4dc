//! VXLAN decapsulation and encapsulation: `vxlan-wire` side by side with
//! `etherparse` and a fixed-offset baseline, in the same criterion groups so
//! that one run gives the ratios. See `benches/README.md`.

use std::hint::black_box;
use std::time::Duration;

use benches::vxlan::{
    decode_etherparse, decode_fixed_offset, decode_vxlan_wire, decode_vxlan_wire_ethernet_header,
    encap_etherparse_ipv4, encap_params, inner_frame, outer_frame,
};
use bytes::BytesMut;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use vxlan_wire::{DecapConfig, decapsulate, encapsulate, source_port};

/// Inner frame sizes: a minimum-size frame and a full 1500-byte frame.
const INNER_LENS: [usize; 2] = [64, 1500];

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

fn underlay(ipv6: bool) -> &'static str {
    if ipv6 { "ipv6" } else { "ipv4" }
}

/// Decapsulation: the same fields (VNI, outer IPs and ports, inner MACs)
/// out of the same bytes, three ways.
fn decap(c: &mut Criterion) {
    let cfg = DecapConfig::default();
    for ipv6 in [false, true] {
        for len in INNER_LENS {
            let frame = outer_frame(len, ipv6);
            // Never time decoders that disagree.
            let want = decode_fixed_offset(&frame).expect("baseline decodes the bench frame");
            assert_eq!(decode_vxlan_wire(&frame, &cfg), Some(want));
            assert_eq!(decode_vxlan_wire_ethernet_header(&frame, &cfg), Some(want));
            assert_eq!(decode_etherparse(&frame), Some(want));

            let mut g = c.benchmark_group(format!("decap/{}/inner{len}", underlay(ipv6)));
            g.bench_function("vxlan_wire", |b| {
                b.iter(|| decode_vxlan_wire(black_box(&frame), black_box(&cfg)))
            });
            // The core alone, for attribution: `decapsulate` without the
            // accessors and the inner Ethernet header decode.
            g.bench_function("vxlan_wire/decapsulate_only", |b| {
                b.iter(|| decapsulate(black_box(&frame), black_box(&cfg)))
            });
            // The inner MACs through `EthernetHeader::decode` instead.
            g.bench_function("vxlan_wire/ethernet_header", |b| {
                b.iter(|| decode_vxlan_wire_ethernet_header(black_box(&frame), black_box(&cfg)))
            });
            g.bench_function("etherparse", |b| {
                b.iter(|| decode_etherparse(black_box(&frame)))
            });
            g.bench_function("fixed_offset", |b| {
                b.iter(|| decode_fixed_offset(black_box(&frame)))
            });
            g.finish();
        }
    }
}

/// Encapsulation into a reused buffer, cleared each iteration: IPv4 header
/// checksum always; source port hashed from the inner frame unless fixed.
fn encap(c: &mut Criterion) {
    for len in INNER_LENS {
        let inner = inner_frame(len);
        let hashed = encap_params(false);
        let mut fixed = hashed;
        fixed.src_port = Some(source_port(&inner));
        let cap = hashed.encoded_len(len);

        let mut g = c.benchmark_group(format!("encap/ipv4/inner{len}"));
        let mut vec = Vec::with_capacity(cap);
        g.bench_function("vxlan_wire/vec", |b| {
            b.iter(|| {
                vec.clear();
                encapsulate(black_box(&inner), black_box(&hashed), &mut vec)
            })
        });
        let mut bm = BytesMut::with_capacity(cap);
        g.bench_function("vxlan_wire/bytesmut", |b| {
            b.iter(|| {
                bm.clear();
                encapsulate(black_box(&inner), black_box(&hashed), &mut bm)
            })
        });
        g.bench_function("vxlan_wire/vec_fixed_port", |b| {
            b.iter(|| {
                vec.clear();
                encapsulate(black_box(&inner), black_box(&fixed), &mut vec)
            })
        });
        let port = source_port(&inner);
        g.bench_function("etherparse/vec_fixed_port", |b| {
            b.iter(|| {
                vec.clear();
                encap_etherparse_ipv4(black_box(&inner), black_box(port), &mut vec)
            })
        });
        g.finish();
    }

    let mut g = c.benchmark_group("encap/ipv6");
    for len in INNER_LENS {
        let inner = inner_frame(len);
        let params = encap_params(true);
        let mut vec = Vec::with_capacity(params.encoded_len(len));
        g.bench_with_input(
            BenchmarkId::new("vxlan_wire/vec", len),
            &inner,
            |b, inner| {
                b.iter(|| {
                    vec.clear();
                    encapsulate(black_box(inner), black_box(&params), &mut vec)
                })
            },
        );
    }
    g.finish();

    // The source-port hash alone (parses the inner frame's flow key).
    let mut g = c.benchmark_group("source_port");
    for len in INNER_LENS {
        let inner = inner_frame(len);
        g.bench_with_input(BenchmarkId::from_parameter(len), &inner, |b, inner| {
            b.iter(|| source_port(black_box(inner)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = decap, encap
}
criterion_main!(benches);
