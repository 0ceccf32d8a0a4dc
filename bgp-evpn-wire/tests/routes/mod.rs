//! The EVPN routes our test speakers send to real implementations: every
//! route type, both label meanings, MAC Mobility with sequence numbers,
//! sticky and the migration-in-progress flag, Default Gateway, Router's
//! MAC, PMSI ingress replication, ESIs of several types.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};

use bgp_evpn_wire::attribute::{
    AsPath, AttributeValue, MpNextHop, MpNlri, MpReach, Origin, PmsiTunnel,
};
use bgp_evpn_wire::evpn::{
    EthernetAdRoute, EthernetSegmentRoute, EvpnNlri, EvpnRoute, InclusiveMulticastRoute,
    IpPrefixRoute, MacIpRoute, PrefixAndGateway,
};
use bgp_evpn_wire::extcomm::{
    DefaultGateway, Encapsulation, EsImportRouteTarget, EsiLabel, ExtendedCommunity, MacMobility,
    RouteTarget, RouterMac, TunnelType,
};
use bgp_evpn_wire::message::{Message, Update};
use bgp_evpn_wire::types::{Esi, EthernetTag, LabelField, RouteDistinguisher};
use macaddr::MacAddr6;

/// Our speaker's AS.
pub const S_AS: u32 = 65003;
pub const S_ROUTER_ID: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 3);
/// The VTEP our routes point at (a documentation address: only data in
/// BGP attributes, never a destination of any packet).
pub const VTEP: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 7);

pub fn rd_ip(n: u16) -> RouteDistinguisher {
    RouteDistinguisher::Ipv4 {
        addr: S_ROUTER_ID,
        number: n,
    }
}

pub fn vni(v: u32) -> LabelField {
    LabelField::from_vni(v).expect("VNI fits 24 bits")
}

pub fn mac(last: u8) -> MacAddr6 {
    MacAddr6::new(0x52, 0x54, 0x00, 0xaa, 0x00, last)
}

pub fn mac_ip(
    rd: RouteDistinguisher,
    m: MacAddr6,
    ip: Option<IpAddr>,
    label: LabelField,
) -> EvpnRoute {
    let mut r = MacIpRoute::new(rd, EthernetTag::ZERO, m, label);
    r.ip = ip;
    EvpnRoute::from(r)
}

/// One UPDATE of ours: the route, its communities, its next hop, a PMSI tunnel.
pub struct Ours {
    /// What it shows, for messages.
    pub what: &'static str,
    /// The NLRI.
    pub route: EvpnRoute,
    /// Its extended communities.
    pub comms: Vec<ExtendedCommunity>,
    /// MP_REACH next hop.
    pub next_hop: Ipv4Addr,
    /// PMSI tunnel attribute.
    pub pmsi: Option<PmsiTunnel>,
}

impl Ours {
    /// The UPDATE that carries it.
    pub fn update(&self) -> Message {
        let mut attrs = vec![
            AttributeValue::Origin(Origin::Igp),
            AttributeValue::AsPath(AsPath::sequence([S_AS])),
            AttributeValue::ExtendedCommunities(self.comms.clone()),
        ];
        if let Some(p) = &self.pmsi {
            attrs.push(AttributeValue::PmsiTunnel(p.clone()));
        }
        attrs.push(AttributeValue::MpReach(MpReach::new(
            MpNextHop::Ipv4(self.next_hop),
            MpNlri::Evpn(vec![EvpnNlri::from(self.route.clone())]),
        )));
        Message::Update(Update::with_attributes(attrs))
    }
}

pub fn rt(n: u32) -> ExtendedCommunity {
    ExtendedCommunity::from(RouteTarget::as2(65003, n))
}

pub fn vxlan() -> ExtendedCommunity {
    ExtendedCommunity::from(Encapsulation::new(TunnelType::VXLAN))
}

pub fn our_routes() -> Vec<Ours> {
    let esi_as = Esi::As {
        asn: S_AS,
        local_discriminator: 42,
        reserved: 0,
    };
    let v4 = |o: u8| Some(IpAddr::V4(Ipv4Addr::new(10, 10, 0, o)));
    let mut mpls = MacIpRoute::new(
        RouteDistinguisher::As2 {
            asn: 65003,
            number: 200,
        },
        EthernetTag(100),
        mac(2),
        LabelField::from_mpls_label(1000, true).expect("20-bit label"),
    );
    mpls.esi = Esi::Lacp {
        system_mac: MacAddr6::new(2, 0, 0, 0, 0, 0xcc),
        port_key: 7,
        reserved: 0,
    };
    let mut irb = MacIpRoute::new(
        RouteDistinguisher::As4 {
            asn: 4_200_000_003,
            number: 7,
        },
        EthernetTag::ZERO,
        mac(6),
        vni(10100),
    );
    irb.ip = Some(IpAddr::V6("2001:db8::6".parse().expect("IPv6")));
    irb.label2 = Some(vni(50001));
    vec![
        Ours {
            what: "MAC/IP, VNI, MAC Mobility seq 7",
            route: mac_ip(rd_ip(100), mac(1), v4(1), vni(10100)),
            comms: vec![rt(100), vxlan(), MacMobility::new(7).into()],
            next_hop: VTEP,
            pmsi: None,
        },
        Ours {
            what: "MAC only, MPLS label, LACP ESI, no Encapsulation",
            route: EvpnRoute::from(mpls),
            comms: vec![rt(100)],
            next_hop: VTEP,
            pmsi: None,
        },
        Ours {
            what: "MAC/IP, sticky",
            route: mac_ip(rd_ip(100), mac(3), v4(3), vni(10100)),
            comms: vec![rt(100), vxlan(), MacMobility::new(0).sticky(true).into()],
            next_hop: VTEP,
            pmsi: None,
        },
        Ours {
            what: "MAC/IP, migration in progress (flags 0x02), seq 8, destination VTEP",
            route: mac_ip(rd_ip(100), mac(4), v4(4), vni(10100)),
            comms: vec![
                rt(100),
                vxlan(),
                MacMobility::new(8).migration_in_progress(true).into(),
            ],
            next_hop: Ipv4Addr::new(198, 51, 100, 8),
            pmsi: None,
        },
        Ours {
            what: "MAC/IP, Default Gateway",
            route: mac_ip(
                rd_ip(100),
                MacAddr6::new(0, 0, 0x5e, 0, 1, 1),
                v4(254),
                vni(10100),
            ),
            comms: vec![rt(100), vxlan(), DefaultGateway::new().into()],
            next_hop: VTEP,
            pmsi: None,
        },
        Ours {
            what: "MAC/IPv6, two VNIs, Router's MAC, AS4 RD",
            route: EvpnRoute::from(irb),
            comms: vec![
                rt(100),
                rt(50001),
                vxlan(),
                RouterMac(MacAddr6::new(2, 0, 0, 0, 0, 0xdd)).into(),
            ],
            next_hop: VTEP,
            pmsi: None,
        },
        Ours {
            what: "Inclusive Multicast, PMSI ingress replication",
            route: EvpnRoute::from(InclusiveMulticastRoute {
                rd: rd_ip(100),
                ethernet_tag: EthernetTag::ZERO,
                originator: IpAddr::V4(VTEP),
            }),
            comms: vec![rt(100), vxlan()],
            next_hop: VTEP,
            pmsi: Some(PmsiTunnel::ingress_replication(
                vni(10100),
                IpAddr::V4(VTEP),
            )),
        },
        Ours {
            what: "IP Prefix with gateway, L3 VNI, Router's MAC",
            route: EvpnRoute::from(IpPrefixRoute {
                rd: rd_ip(200),
                esi: Esi::ZERO,
                ethernet_tag: EthernetTag::ZERO,
                prefix: PrefixAndGateway::V4 {
                    prefix: "10.20.0.0/24".parse().expect("prefix"),
                    gateway: Ipv4Addr::new(10, 20, 0, 1),
                },
                label: vni(50001),
            }),
            comms: vec![
                rt(200),
                vxlan(),
                RouterMac(MacAddr6::new(2, 0, 0, 0, 0, 0xdd)).into(),
            ],
            next_hop: VTEP,
            pmsi: None,
        },
        Ours {
            what: "Ethernet A-D, AS ESI, ESI label single-active",
            route: EvpnRoute::from(EthernetAdRoute {
                rd: rd_ip(1),
                esi: esi_as,
                ethernet_tag: EthernetTag::MAX_ET,
                label: vni(0),
            }),
            comms: vec![rt(100), vxlan(), EsiLabel::new(vni(10100), true).into()],
            next_hop: VTEP,
            pmsi: None,
        },
        Ours {
            what: "Ethernet Segment, ES-Import RT",
            route: EvpnRoute::from(EthernetSegmentRoute {
                rd: rd_ip(1),
                esi: esi_as,
                originator: IpAddr::V4(VTEP),
            }),
            comms: vec![
                vxlan(),
                EsImportRouteTarget(MacAddr6::new(2, 0, 0, 0, 0, 0xee)).into(),
            ],
            next_hop: VTEP,
            pmsi: None,
        },
    ]
}
