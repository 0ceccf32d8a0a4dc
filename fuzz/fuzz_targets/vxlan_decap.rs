//! Decapsulates arbitrary bytes as an Ethernet II frame (`decapsulate`) and
//! as an IP packet (`decapsulate_ip`), with the default configuration, with
//! GBP, and with the IPv4 header checksum checked.
//!
//! Invariants, whenever the result is `Decap::Vxlan`:
//! - the borrowed accessors agree with the offsets and the input bytes;
//! - the owned `VxlanFrame` agrees with the borrowed view, `encoded_len()`
//!   is the input length, and `encode`/`try_encode` write exactly that many
//!   bytes;
//! - the re-encoded bytes equal the input everywhere except the IPv4 header
//!   checksum and UDP checksum fields (recomputed on encode);
//! - decapsulating the re-encoded bytes (now with correct checksums, so also
//!   with the IPv4 checksum check on) gives the same `VxlanFrame`, and
//!   encoding that again is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vxlan_wire::{
    Decap, DecapConfig, Error, HeaderFlavour, OuterIp, VxlanHeader, decapsulate, decapsulate_ip,
};

type DecapFn = for<'a> fn(&'a [u8], &DecapConfig) -> Result<Decap<'a>, Error>;

fuzz_target!(|data: &[u8]| {
    let configs = [
        DecapConfig::default(),
        DecapConfig::default().with_gbp(true),
        DecapConfig::default().with_ipv4_checksum_check(true),
    ];
    let entry_points: [(DecapFn, bool); 2] = [(decapsulate, true), (decapsulate_ip, false)];
    for cfg in &configs {
        for (decap, ethernet) in entry_points {
            check(decap, ethernet, data, cfg);
        }
    }
});

fn check(decap: DecapFn, ethernet: bool, data: &[u8], cfg: &DecapConfig) {
    let d = match decap(data, cfg) {
        Ok(Decap::Vxlan(d)) => d,
        Ok(Decap::NotVxlan(_)) => return,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };

    // Borrowed view: offsets are ordered and inside the input.
    assert_eq!(d.frame(), data);
    assert_eq!(d.has_ethernet(), ethernet);
    assert!(d.ip_offset() < d.udp_offset());
    assert_eq!(d.vxlan_offset(), d.udp_offset() + 8);
    assert_eq!(d.inner_offset(), d.vxlan_offset() + 8);
    assert!(d.inner_offset() <= d.ip_end() && d.ip_end() <= data.len());
    assert_eq!(d.inner(), &data[d.inner_offset()..d.ip_end()]);
    assert_eq!(d.trailer(), &data[d.ip_end()..]);
    assert_eq!(d.ip_packet(), &data[d.ip_offset()..d.ip_end()]);
    assert_eq!(
        VxlanHeader::decode(&data[d.vxlan_offset()..], d.flavour()).as_ref(),
        Ok(d.header())
    );
    let port = u16::from_be_bytes([data[d.udp_offset() + 2], data[d.udp_offset() + 3]]);
    assert_eq!(d.udp_dst_port(), port);
    assert_eq!(cfg.flavour_for(port), Some(d.flavour()));
    assert_eq!(d.gbp().is_some(), d.flavour() == HeaderFlavour::Gbp);
    assert_eq!(d.gpe().is_some(), d.flavour() == HeaderFlavour::Gpe);
    assert_eq!(d.ethernet().is_some(), ethernet);
    assert_eq!(d.outer_src_mac().is_some(), ethernet);

    // Owned value agrees with the view.
    let owned = d.to_owned();
    assert_eq!(owned.vni(), d.vni());
    assert_eq!(&owned.vxlan, d.header());
    assert_eq!(owned.inner, d.inner());
    assert_eq!(owned.trailer, d.trailer());
    assert_eq!(owned.ip.src(), d.outer_src_ip());
    assert_eq!(owned.ip.dst(), d.outer_dst_ip());
    assert_eq!(owned.udp.src_port, d.udp_src_port());
    assert_eq!(owned.udp.dst_port, d.udp_dst_port());
    assert_eq!(owned.ethernet.is_some(), ethernet);
    if let Some(e) = &owned.ethernet {
        assert_eq!(Some(e.dst), d.outer_dst_mac());
        assert_eq!(Some(e.src), d.outer_src_mac());
        assert_eq!(e.vlans, d.vlans());
    }
    assert_eq!(owned.ip.header_len(), d.udp_offset() - d.ip_offset());
    assert_eq!(owned.encoded_len(), data.len());

    // Encode: exact length, both entry points.
    let mut out = Vec::new();
    owned.encode(&mut out);
    assert_eq!(out.len(), owned.encoded_len());
    let mut out2 = Vec::new();
    assert_eq!(owned.try_encode(&mut out2), Ok(out.len()));
    assert_eq!(out2, out);

    // Byte-exact except the checksums, which encode recomputes.
    let mut masked_in = data.to_vec();
    let mut masked_out = out.clone();
    let mut mask = |at: usize| {
        masked_in[at..at + 2].fill(0);
        masked_out[at..at + 2].fill(0);
    };
    if let OuterIp::V4(_) = owned.ip {
        mask(d.ip_offset() + 10);
    }
    mask(d.udp_offset() + 6);
    assert_eq!(
        masked_out, masked_in,
        "re-encoding changed more than checksums"
    );
    // A zero UDP checksum stays zero.
    let udp_ck = d.udp_offset() + 6;
    if data[udp_ck..udp_ck + 2] == [0, 0] {
        assert_eq!(out[udp_ck..udp_ck + 2], [0, 0]);
    }

    // Re-decapsulating the encoded bytes gives the same frame, also with the
    // IPv4 checksum verified (encode wrote a correct one).
    let strict = cfg.clone().with_ipv4_checksum_check(true);
    for c in [cfg, &strict] {
        match decap(&out, c) {
            Ok(Decap::Vxlan(again)) => {
                let again = again.to_owned();
                assert_eq!(again, owned);
                let mut out3 = Vec::new();
                again.encode(&mut out3);
                assert_eq!(out3, out, "encode is not a fixed point");
            }
            other => panic!("re-encoded frame does not decapsulate: {other:?}"),
        }
    }
}
