//! evpn-rib workloads: a RIB of one EVI, and the inputs of the timed runs
//! (local learns, remote MAC/IP route updates from a few peers, moves),
//! built once outside the timed part; plus the `HashMap`/`BTreeMap`
//! baseline of the same number of inserts of the same keys.

use core::net::{IpAddr, Ipv4Addr};
use std::collections::{BTreeMap, HashMap};

use bgp_evpn_wire::evpn::{EvpnRoute, MacIpRoute};
use bgp_evpn_wire::extcomm::{
    Encapsulation, ExtendedCommunity, MacMobility, RouteTarget, TunnelType,
};
use bgp_evpn_wire::types::{Esi, EthernetTag, LabelField, RouteDistinguisher};
use evpn_rib::{
    EviConfig, EviId, Input, LearnKind, PeerId, PortId, Rib, RibConfig, RouteAttributes, Timestamp,
};
use macaddr::MacAddr6;

/// The EVI of every workload.
pub const EVI: EviId = EviId(100);
/// Its VNI.
pub const VNI: u32 = 10100;
/// Remote PEs sending routes (PE numbers 2..=PEERS+1; the RIB is PE 1).
pub const PEERS: u32 = 4;
/// The sizes of the timed runs.
pub const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
/// The sizes of the move runs.
pub const MOVE_SIZES: [usize; 2] = [10_000, 100_000];

/// PE / VTEP / router id number `n`: 192.0.2.n.
pub fn pe(n: u32) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, n as u8))
}

fn rd(n: u32) -> RouteDistinguisher {
    RouteDistinguisher::Ipv4 {
        addr: Ipv4Addr::new(192, 0, 2, n as u8),
        number: 100,
    }
}

fn rt() -> RouteTarget {
    RouteTarget::as2(65000, 100)
}

/// MAC number `i` (distinct for every `i < 2^32`).
pub fn mac(i: usize) -> MacAddr6 {
    let b = (i as u32).to_be_bytes();
    MacAddr6::new(0x52, 0x54, b[0], b[1], b[2], b[3])
}

/// Time `t` milliseconds after the epoch.
pub fn ms(t: u64) -> Timestamp {
    Timestamp::from_millis(t)
}

/// The RIB of PE 1 with the one EVI, its start-up output drained.
pub fn rib() -> Rib {
    let evi = EviConfig::new(EVI, rd(1), rt(), VNI, pe(1));
    let mut rib = Rib::new(RibConfig::new(pe(1)).with_evi(evi)).expect("valid config");
    drain(&mut rib);
    rib
}

/// Drains the outputs, returning how many there were.
pub fn drain(rib: &mut Rib) -> usize {
    let mut n = 0;
    while rib.poll_output().is_some() {
        n += 1;
    }
    n
}

/// Handles every input at `now`, draining the outputs after each one as an
/// embedder would; returns the number of outputs.
pub fn apply(rib: &mut Rib, now: Timestamp, inputs: impl IntoIterator<Item = Input>) -> usize {
    let mut outputs = 0;
    for input in inputs {
        rib.handle(now, input).expect("bench inputs are valid");
        outputs += drain(rib);
    }
    outputs
}

/// `n` local learns of distinct MACs (dynamic, no IP, single-homed).
pub fn local_learns(n: usize) -> Vec<Input> {
    (0..n)
        .map(|i| Input::LocalLearn {
            evi: EVI,
            mac: mac(i),
            ip: None,
            port: PortId(1 + (i % 48) as u32),
            esi: Esi::ZERO,
            kind: LearnKind::Dynamic,
        })
        .collect()
}

/// The MAC/IP route for MAC `i` as PE `from` sends it: next hop and
/// originator PE `from`, its RD, route target and VXLAN encapsulation,
/// and a MAC Mobility community when `seq > 0`.
pub fn route_update(from: u32, i: usize, seq: u32) -> Input {
    let route = MacIpRoute::new(
        rd(from),
        EthernetTag::ZERO,
        mac(i),
        LabelField::from_vni(VNI).expect("24-bit VNI"),
    );
    let mut attributes = RouteAttributes::new(pe(from))
        .community(rt())
        .community(Encapsulation::new(TunnelType::VXLAN));
    if seq > 0 {
        attributes = attributes.community(ExtendedCommunity::MacMobility(MacMobility::new(seq)));
    }
    Input::RouteUpdate {
        peer: PeerId(pe(from)),
        route: EvpnRoute::MacIp(route),
        attributes,
    }
}

/// The peer (PE number) that first advertises MAC `i`.
pub fn first_peer(i: usize) -> u32 {
    2 + (i as u32 % PEERS)
}

/// `n` route updates of distinct MACs, spread over [`PEERS`] peers.
pub fn remote_updates(n: usize) -> Vec<Input> {
    (0..n).map(|i| route_update(first_peer(i), i, 0)).collect()
}

/// `n` moves of the MACs of [`remote_updates`]: each MAC advertised by the
/// next peer with MAC Mobility sequence number 1.
pub fn remote_moves(n: usize) -> Vec<Input> {
    (0..n)
        .map(|i| route_update(2 + (first_peer(i) - 1) % PEERS, i, 1))
        .collect()
}

/// A RIB holding the `n` remote MACs of [`remote_updates`] (the starting
/// state of the move runs).
pub fn rib_with_remote(n: usize) -> Rib {
    let mut rib = rib();
    apply(&mut rib, ms(0), remote_updates(n));
    rib
}

/// The key of the baseline maps: (EVI, Ethernet tag, MAC).
pub type BaselineKey = (u32, u32, MacAddr6);

/// The value of the baseline maps: 64 bytes, about what a MAC's location
/// needs (next hop, VNI, sequence number, flags, Router's MAC, time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BaselineValue(pub [u64; 8]);

/// The baseline keys: the same (EVI, tag, MAC) as the RIB runs.
pub fn baseline_keys(n: usize) -> Vec<BaselineKey> {
    (0..n).map(|i| (EVI.0, 0, mac(i))).collect()
}

fn value(i: usize) -> BaselineValue {
    BaselineValue([i as u64; 8])
}

/// Inserts every key into a fresh `HashMap`.
pub fn hashmap_inserts(keys: &[BaselineKey]) -> HashMap<BaselineKey, BaselineValue> {
    let mut m = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        m.insert(*k, value(i));
    }
    m
}

/// Inserts every key into a fresh `BTreeMap`.
pub fn btreemap_inserts(keys: &[BaselineKey]) -> BTreeMap<BaselineKey, BaselineValue> {
    let mut m = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        m.insert(*k, value(i));
    }
    m
}

/// A size as the benches name it: `10k`, `100k`, `1M`.
pub fn size_name(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(1_000_000) {
        format!("{}M", n / 1_000_000)
    } else if n >= 1000 && n.is_multiple_of(1000) {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}
