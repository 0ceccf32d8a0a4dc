//! Property tests: reassembly is order-independent, and no input panics.

use proptest::prelude::*;
use wire_inspect::capture::{Frame, Timestamp, read_capture};
use wire_inspect::inspect::{Inspector, Options, inspect_bytes};
use wire_inspect::packet::{LinkType, slice};
use wire_inspect::protocol::Protocol;
use wire_inspect::tcp::{HalfStream, Segment};

fn seg(seq: u32, payload: &[u8]) -> Segment<'_> {
    Segment {
        seq,
        syn: false,
        fin: false,
        rst: false,
        payload,
    }
}

proptest! {
    /// Any cutting, reordering and duplication of a stream's segments gives
    /// back the stream, whatever the initial sequence number (wrap included).
    #[test]
    fn reassembly_is_order_independent(
        data in proptest::collection::vec(any::<u8>(), 1..600),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        order in any::<u64>(),
        dups in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
        isn in any::<u32>(),
    ) {
        let mut points: Vec<usize> = cuts.iter().map(|i| i.index(data.len())).collect();
        points.push(0);
        points.push(data.len());
        points.sort_unstable();
        points.dedup();
        let mut pieces: Vec<(usize, usize)> = points.windows(2).map(|w| (w[0], w[1])).collect();
        for d in &dups {
            let p = pieces[d.index(pieces.len())];
            pieces.push(p);
        }
        // Deterministic shuffle from `order`.
        let mut state = order | 1;
        for i in (1..pieces.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            pieces.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut h = HalfStream::new(1 << 20);
        let mut out = Vec::new();
        h.segment(&Segment { syn: true, ..seg(isn, &[]) }, &mut out).unwrap();
        for (a, b) in pieces {
            let s = isn.wrapping_add(1).wrapping_add(a as u32);
            h.segment(&seg(s, &data[a..b]), &mut out).unwrap();
        }
        prop_assert_eq!(out, data);
        prop_assert_eq!(h.buffered(), 0);
    }

    /// Arbitrary bytes are never a panic for the capture reader.
    #[test]
    fn capture_reader_total(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_capture(&bytes[..], |_| {});
        // Also behind a valid pcap header.
        let mut file = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
        file.extend_from_slice(&bytes);
        let _ = read_capture(&file[..], |_| {});
    }

    /// Arbitrary frames of every link type are never a panic, through the
    /// whole inspector (slicing, reassembly, framing, VXLAN decoding).
    #[test]
    fn inspector_total(
        frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 1..8),
        linktype in prop::sample::select(vec![0i32, 1, 101, 108, 113, 228, 229, 276]),
    ) {
        let opts = Options { roundtrip: true, ..Options::default() };
        let mut insp = Inspector::new(&opts, None);
        let mut n = 0;
        for (i, data) in frames.iter().enumerate() {
            let _ = slice(LinkType::from_linktype(linktype).unwrap(), data);
            let f = Frame {
                number: i as u64 + 1,
                ts: Some(Timestamp { secs: 0, frac: 0, digits: 6 }),
                linktype,
                data,
                orig_len: data.len() as u32,
            };
            insp.frame(&f, &mut |_| n += 1);
        }
        insp.finish(&mut |_| n += 1);
        for p in [Protocol::Vxlan, Protocol::VxlanIp, Protocol::Bgp, Protocol::OpenFlow] {
            inspect_bytes(p, &frames[0], &opts, &mut |r| {
                let _ = r.to_json_line();
            });
        }
    }
}

proptest! {
    /// Random TCP segments on the BGP and OpenFlow ports (random sequence
    /// numbers, flags and payloads, marker-heavy bytes) never panic and only
    /// ever produce lines that serialise.
    #[test]
    fn tcp_streams_total(
        segs in proptest::collection::vec(
            (any::<bool>(), any::<u32>(), 0u8..8, proptest::collection::vec(
                prop::sample::select(vec![0xffu8, 0, 19, 4, 8, 1]), 0..60)),
            1..20),
        base in any::<u32>(),
    ) {
        let opts = Options { roundtrip: true, max_out_of_order: 64, ..Options::default() };
        let mut insp = Inspector::new(&opts, Some("fuzz".into()));
        let mut lines = Vec::new();
        for (i, (bgp, seq_off, flags, payload)) in segs.iter().enumerate() {
            let port = if *bgp { 179 } else { 6653 };
            let mut b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
                .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
                .tcp(40000, port, base.wrapping_add(seq_off % 200), 1000);
            if flags & 1 != 0 { b = b.syn(); }
            if flags & 2 != 0 { b = b.fin(); }
            if flags & 4 != 0 && i % 3 == 0 { b = b.rst(); }
            let mut frame = Vec::new();
            b.write(&mut frame, payload).unwrap();
            let f = Frame { number: i as u64 + 1, ts: None, linktype: 1, data: &frame, orig_len: frame.len() as u32 };
            insp.frame(&f, &mut |r| lines.push(r.to_json_line()));
        }
        insp.finish(&mut |r| lines.push(r.to_json_line()));
        for l in lines {
            let v: serde_json::Value = serde_json::from_str(&l).unwrap();
            prop_assert!(v["protocol"] == "bgp" || v["protocol"] == "openflow");
        }
    }
}
