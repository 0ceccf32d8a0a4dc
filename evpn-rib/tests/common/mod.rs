//! Shared helpers of the scenario tests.
#![allow(dead_code)]

use core::net::{IpAddr, Ipv4Addr};
use core::time::Duration;

use bgp_evpn_wire::evpn::{EvpnRoute, MacIpRoute};
use bgp_evpn_wire::extcomm::{
    Encapsulation, ExtendedCommunities, ExtendedCommunity, MacMobility, RouteTarget, TunnelType,
};
use bgp_evpn_wire::types::{Esi, EthernetTag, LabelField, RouteDistinguisher};
use evpn_rib::{
    Advertisement, Alarm, EviConfig, EviId, FdbCause, FdbTarget, Input, LearnKind, Output, PeerId,
    PortId, RemoteVtep, Rib, RibConfig, RouteAttributes, Timestamp,
};
use macaddr::MacAddr6;

pub const EVI: EviId = EviId(100);
pub const VNI: u32 = 10100;

pub fn rt() -> RouteTarget {
    RouteTarget::as2(65000, 100)
}

/// PE / VTEP / router id number `n`: 192.0.2.n.
pub fn pe(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, n))
}

pub fn rd(n: u8) -> RouteDistinguisher {
    RouteDistinguisher::Ipv4 {
        addr: Ipv4Addr::new(192, 0, 2, n),
        number: 100,
    }
}

pub fn mac(n: u8) -> MacAddr6 {
    MacAddr6::new(0x52, 0x54, 0, 0, 0, n)
}

pub fn host(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(10, 0, 0, n))
}

pub fn ms(t: u64) -> Timestamp {
    Timestamp::from_millis(t)
}

pub fn secs(s: u64) -> Timestamp {
    Timestamp::from_millis(s * 1000)
}

pub fn evi_config(n: u8) -> EviConfig {
    EviConfig::new(EVI, rd(n), rt(), VNI, pe(n))
}

pub fn config(n: u8) -> RibConfig {
    RibConfig::new(pe(n)).with_evi(evi_config(n))
}

/// The RIB of PE `n`, its start-up outputs drained.
pub fn rib_with(cfg: RibConfig) -> Rib {
    let mut rib = Rib::new(cfg).expect("valid config");
    drain(&mut rib);
    rib
}

pub fn rib(n: u8) -> Rib {
    rib_with(config(n))
}

pub fn drain(rib: &mut Rib) -> Vec<Output> {
    core::iter::from_fn(|| rib.poll_output()).collect()
}

pub fn learn(m: MacAddr6, port: u32) -> Input {
    learn_full(m, None, port, Esi::ZERO, LearnKind::Dynamic)
}

pub fn learn_ip(m: MacAddr6, ip: IpAddr, port: u32) -> Input {
    learn_full(m, Some(ip), port, Esi::ZERO, LearnKind::Dynamic)
}

pub fn learn_full(m: MacAddr6, ip: Option<IpAddr>, port: u32, esi: Esi, kind: LearnKind) -> Input {
    Input::LocalLearn {
        evi: EVI,
        mac: m,
        ip,
        port: PortId(port),
        esi,
        kind,
    }
}

pub fn age(m: MacAddr6) -> Input {
    Input::LocalAge {
        evi: EVI,
        mac: m,
        ip: None,
    }
}

/// A remote MAC/IP route as PE `from` sends it (next hop and originator
/// PE `from`, RD of PE `from`).
pub struct Remote {
    pub from: u8,
    pub route: MacIpRoute,
    pub attrs: RouteAttributes,
}

pub fn remote(from: u8, m: MacAddr6) -> Remote {
    Remote {
        from,
        route: MacIpRoute::new(
            rd(from),
            EthernetTag::ZERO,
            m,
            LabelField::from_vni(VNI).unwrap(),
        ),
        attrs: RouteAttributes::new(pe(from))
            .community(rt())
            .community(Encapsulation::new(TunnelType::VXLAN)),
    }
}

impl Remote {
    pub fn ip(mut self, ip: IpAddr) -> Self {
        self.route.ip = Some(ip);
        self
    }
    pub fn seq(self, seq: u32) -> Self {
        self.mobility(MacMobility::new(seq))
    }
    pub fn mobility(mut self, m: MacMobility) -> Self {
        self.attrs
            .communities
            .push(ExtendedCommunity::MacMobility(m));
        self
    }
    pub fn community(mut self, c: impl Into<ExtendedCommunity>) -> Self {
        self.attrs.communities.push(c.into());
        self
    }
    pub fn next_hop(mut self, nh: IpAddr) -> Self {
        self.attrs.next_hop = nh;
        self
    }
    pub fn originator(mut self, o: IpAddr) -> Self {
        self.attrs.originator = o;
        self
    }
    pub fn esi(mut self, esi: Esi) -> Self {
        self.route.esi = esi;
        self
    }
    pub fn update(self) -> Input {
        Input::RouteUpdate {
            peer: PeerId(pe(self.from)),
            route: EvpnRoute::MacIp(self.route),
            attributes: self.attrs,
        }
    }
    pub fn withdraw(self) -> Input {
        Input::RouteWithdraw {
            peer: PeerId(pe(self.from)),
            key: EvpnRoute::MacIp(self.route).key(),
        }
    }
}

pub fn fdbs(outs: &[Output]) -> Vec<(FdbTarget, FdbCause)> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Fdb(f) => Some((f.target.clone(), f.cause)),
            _ => None,
        })
        .collect()
}

pub fn ads(outs: &[Output]) -> Vec<&Advertisement> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Advertise(a) => Some(a),
            _ => None,
        })
        .collect()
}

pub fn withdrawn(outs: &[Output]) -> Vec<EvpnRoute> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Withdraw(w) => Some(w.route.clone()),
            _ => None,
        })
        .collect()
}

pub fn alarms(outs: &[Output]) -> Vec<Alarm> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Alarm(a) => Some(a.clone()),
            _ => None,
        })
        .collect()
}

pub fn mobility(ad: &Advertisement) -> Option<MacMobility> {
    ad.communities.as_slice().mac_mobility()
}

pub fn local(port: u32) -> FdbTarget {
    FdbTarget::Local { port: PortId(port) }
}

pub fn remote_target(n: u8) -> FdbTarget {
    FdbTarget::Remote {
        vtep: RemoteVtep {
            vtep: pe(n),
            vni: VNI,
        },
        aliases: vec![],
        router_mac: None,
    }
}

pub fn dur_s(s: u64) -> Duration {
    Duration::from_secs(s)
}
