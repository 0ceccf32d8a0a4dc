//! Builds `EncapParams` and an inner frame from fuzzer bytes (`arbitrary`),
//! encapsulates, decapsulates and checks every field came back.
//!
//! Invariants:
//! - `encapsulate` fails exactly when the parameters are out of range (DSCP,
//!   ECN, flow label, VLAN PCP, mixed address families) or the datagram is
//!   too large for its 16-bit length field, and then writes nothing;
//! - otherwise it writes `encoded_len()` bytes, the result decapsulates (with
//!   the IPv4 checksum checked) to the same parameters and inner frame, and
//!   `to_owned().encode()` reproduces the bytes exactly;
//! - `VxlanFrame::decode`, `decapsulate_ip` on the IP part, and the header
//!   view over the UDP payload agree.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vxlan_wire::{
    Decap, DecapConfig, EncapParams, GbpParams, HeaderFlavour, OuterIp, VlanId, VlanTag, VlanTpid,
    Vlans, Vni, VxlanFrame, VxlanPacket, decapsulate, decapsulate_ip, encapsulate, source_port,
};

#[derive(Arbitrary, Debug)]
struct Input {
    src_mac: [u8; 6],
    dst_mac: [u8; 6],
    /// (TPID choice, PCP, DEI, VID).
    vlan: Option<(u8, u8, bool, u16)>,
    family: Family,
    vni: u32,
    dst_port: u16,
    src_port: Option<u16>,
    ttl: u8,
    dscp: u8,
    ecn: u8,
    dont_fragment: bool,
    identification: u16,
    flow_label: u32,
    ipv4_udp_checksum: bool,
    gbp: Option<(u16, bool, bool)>,
    /// Zero bytes appended to the inner frame, to reach the 64 KiB limit.
    pad: Option<u16>,
    inner: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Family {
    V4([u8; 4], [u8; 4]),
    V6([u8; 16], [u8; 16]),
    /// Source and destination of different families: always an error.
    Mixed([u8; 4], [u8; 16], bool),
}

fuzz_target!(|input: Input| {
    let (src_ip, dst_ip) = match input.family {
        Family::V4(s, d) => (
            IpAddr::from(Ipv4Addr::from(s)),
            IpAddr::from(Ipv4Addr::from(d)),
        ),
        Family::V6(s, d) => (
            IpAddr::from(Ipv6Addr::from(s)),
            IpAddr::from(Ipv6Addr::from(d)),
        ),
        Family::Mixed(a, b, swap) => {
            let (a, b) = (
                IpAddr::from(Ipv4Addr::from(a)),
                IpAddr::from(Ipv6Addr::from(b)),
            );
            if swap { (b, a) } else { (a, b) }
        }
    };
    let vni = Vni::new(input.vni & 0xff_ffff).expect("masked to 24 bits");
    assert!(Vni::new(input.vni).is_ok() == (input.vni <= 0xff_ffff));
    let mut p = EncapParams::new(
        input.src_mac.into(),
        input.dst_mac.into(),
        src_ip,
        dst_ip,
        vni,
    );
    p.vlan = input.vlan.map(|(t, pcp, dei, vid)| VlanTag {
        tpid: VlanTpid::ALL[usize::from(t) % VlanTpid::ALL.len()],
        pcp,
        dei,
        vid: VlanId::new(vid & 0x0fff).expect("masked to 12 bits"),
    });
    p.dst_port = input.dst_port;
    p.src_port = input.src_port;
    p.ttl = input.ttl;
    p.dscp = input.dscp;
    p.ecn = input.ecn;
    p.dont_fragment = input.dont_fragment;
    p.identification = input.identification;
    p.flow_label = input.flow_label;
    p.ipv4_udp_checksum = input.ipv4_udp_checksum;
    p.gbp = input
        .gbp
        .map(|(group_policy_id, dont_learn, policy_applied)| GbpParams {
            group_policy_id,
            dont_learn,
            policy_applied,
        });
    let mut inner = input.inner;
    if let Some(n) = input.pad {
        inner.resize(inner.len() + usize::from(n), 0);
    }

    let ipv6 = dst_ip.is_ipv6();
    let ip_len = 8 + 8 + inner.len() + if ipv6 { 0 } else { 20 };
    let must_fail = p.dscp > 63
        || p.ecn > 3
        || (ipv6 && p.flow_label > 0xf_ffff)
        || p.vlan.is_some_and(|t| t.pcp > 7)
        || src_ip.is_ipv6() != ipv6
        || ip_len > 0xffff;
    // An out-of-range flow label on an IPv4 underlay is unused: rejecting it
    // and ignoring it are both fine.
    let may_fail = must_fail || p.flow_label > 0xf_ffff;

    let mut out = Vec::new();
    let n = match encapsulate(&inner, &p, &mut out) {
        Ok(n) => n,
        Err(e) => {
            assert!(may_fail, "unexpected error {e:?} for {p:?}");
            assert!(out.is_empty(), "wrote {} bytes before failing", out.len());
            let _ = e.to_string();
            return;
        }
    };
    assert!(!must_fail, "accepted invalid parameters {p:?}");
    assert_eq!(n, out.len());
    assert_eq!(n, p.encoded_len(inner.len()));
    assert_eq!(n, p.overhead() + inner.len());

    // Decapsulate with exactly this port configured (as GBP when sent so).
    let cfg = DecapConfig::empty()
        .with_port(p.dst_port, HeaderFlavour::Standard)
        .with_gbp(p.gbp.is_some())
        .with_ipv4_checksum_check(true);
    let d = match decapsulate(&out, &cfg) {
        Ok(Decap::Vxlan(d)) => d,
        other => panic!("encapsulated frame does not decapsulate: {other:?}"),
    };
    assert_eq!(d.vni(), vni);
    assert_eq!(d.header(), &p.header());
    assert_eq!(d.inner(), &inner[..]);
    assert!(d.trailer().is_empty());
    assert_eq!(d.outer_src_mac(), Some(p.src_mac));
    assert_eq!(d.outer_dst_mac(), Some(p.dst_mac));
    let want_vlans = match p.vlan {
        Some(mut t) => {
            t.pcp &= 7;
            Vlans::Single(t)
        }
        None => Vlans::None,
    };
    assert_eq!(d.vlans(), want_vlans);
    assert_eq!(d.outer_src_ip(), src_ip);
    assert_eq!(d.outer_dst_ip(), dst_ip);
    assert_eq!(d.udp_dst_port(), p.dst_port);
    assert_eq!(
        d.udp_src_port(),
        p.src_port.unwrap_or_else(|| source_port(&inner))
    );
    if p.src_port.is_none() {
        assert!(d.udp_src_port() >= vxlan_wire::SOURCE_PORT_MIN);
    }
    assert_eq!(d.ttl(), p.ttl);
    assert_eq!(d.tos(), (p.dscp << 2) | p.ecn);
    assert_eq!(d.ip_version(), if ipv6 { 6 } else { 4 });
    let udp_ck = d.udp_checksum();
    if ipv6 || p.ipv4_udp_checksum {
        assert_ne!(udp_ck, 0, "a computed UDP checksum is never sent as 0");
    } else {
        assert_eq!(udp_ck, 0);
    }

    let owned = d.to_owned();
    match &owned.ip {
        OuterIp::V4(h) => {
            assert_eq!(h.identification, p.identification);
            assert_eq!(h.dont_fragment, p.dont_fragment);
            assert!(!h.more_fragments && h.fragment_offset == 0);
        }
        OuterIp::V6(h) => assert_eq!(h.flow_label, p.flow_label),
    }
    let mut again = Vec::new();
    owned.encode(&mut again);
    assert_eq!(again, out, "to_owned().encode() changed the frame");
    assert_eq!(owned.encoded_len(), n);
    assert_eq!(
        VxlanFrame::decode(&out, &cfg).as_ref(),
        Ok(&Some(owned.clone()))
    );

    // The IP part alone decapsulates to the same frame minus Ethernet.
    let ip = d.ip_packet();
    let from_ip = VxlanFrame::decode_ip(ip, &cfg)
        .expect("IP part decodes")
        .expect("IP part is VXLAN");
    assert!(from_ip.ethernet.is_none());
    assert_eq!(
        VxlanFrame {
            ethernet: owned.ethernet,
            ..from_ip
        },
        owned
    );
    let Ok(Decap::Vxlan(d_ip)) = decapsulate_ip(ip, &cfg) else {
        panic!("decapsulate_ip disagrees with VxlanFrame::decode_ip");
    };
    assert_eq!(d_ip.inner(), &inner[..]);

    // The header view over the UDP payload agrees.
    let view = VxlanPacket::new_checked(&out[d.vxlan_offset()..]).expect("valid header");
    assert_eq!(view.vni(), vni);
    assert_eq!(view.payload(), &inner[..]);
});
