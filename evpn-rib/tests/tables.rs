//! Flood lists (inclusive multicast + PMSI), multihoming (aliasing, mass
//! withdraw), the IP-VRF, peer down, and the UPDATE helpers.

mod common;

use bgp_evpn_wire::attribute::{AttributeValue, PmsiTunnel};
use bgp_evpn_wire::evpn::{
    EthernetAdRoute, EvpnRoute, InclusiveMulticastRoute, IpPrefixRoute, PrefixAndGateway,
};
use bgp_evpn_wire::extcomm::MacMobility;
use bgp_evpn_wire::message::{DecodingContext, Message};
use bgp_evpn_wire::types::{Esi, EthernetTag, LabelField};
use common::*;
use core::net::Ipv4Addr;
use evpn_rib::{
    FdbCause, FdbTarget, FloodList, Input, IpVrfConfig, IpVrfId, Output, PeerId, PrefixNextHop,
    PrefixUpdate, RemoteVtep, RouteAttributes, inputs_from_update, update_for,
};

const VRF: IpVrfId = IpVrfId(7);

fn imet(from: u8) -> Input {
    Input::RouteUpdate {
        peer: PeerId(pe(from)),
        route: EvpnRoute::InclusiveMulticast(InclusiveMulticastRoute {
            rd: rd(from),
            ethernet_tag: EthernetTag::ZERO,
            originator: pe(from),
        }),
        attributes: RouteAttributes::new(pe(from))
            .community(rt())
            .community(bgp_evpn_wire::extcomm::Encapsulation::new(
                bgp_evpn_wire::extcomm::TunnelType::VXLAN,
            ))
            .pmsi(PmsiTunnel::ingress_replication(
                LabelField::from_vni(VNI + u32::from(from)).unwrap(),
                pe(from + 100),
            )),
    }
}

fn flood(vteps: &[u8]) -> Output {
    Output::FloodList(FloodList {
        evi: EVI,
        vni: VNI,
        vteps: vteps
            .iter()
            .map(|n| RemoteVtep {
                vtep: pe(n + 100),
                vni: VNI + u32::from(*n),
            })
            .collect(),
    })
}

#[test]
fn the_rib_advertises_its_inclusive_multicast_route_at_start() {
    let mut r = evpn_rib::Rib::new(config(1)).unwrap();
    let out = drain(&mut r);
    let [Output::Advertise(ad)] = out.as_slice() else {
        panic!("{out:?}")
    };
    assert_eq!(
        ad.pmsi,
        Some(PmsiTunnel::ingress_replication(
            LabelField::from_vni(VNI).unwrap(),
            pe(1)
        ))
    );
    assert!(matches!(ad.route, EvpnRoute::InclusiveMulticast(_)));
}

#[test]
fn flood_list_follows_inclusive_multicast_routes_and_peer_down() {
    let mut r = rib(1);
    r.handle(ms(0), imet(3)).unwrap();
    r.handle(ms(1), imet(2)).unwrap();
    r.handle(ms(2), imet(2)).unwrap();
    assert_eq!(drain(&mut r), vec![flood(&[3]), flood(&[2, 3])]);
    r.handle(
        ms(3),
        Input::RouteWithdraw {
            peer: PeerId(pe(3)),
            key: EvpnRoute::InclusiveMulticast(InclusiveMulticastRoute {
                rd: rd(3),
                ethernet_tag: EthernetTag::ZERO,
                originator: pe(3),
            })
            .key(),
        },
    )
    .unwrap();
    assert_eq!(drain(&mut r), vec![flood(&[2])]);
    r.handle(ms(3), remote(2, mac(1)).update()).unwrap();
    drain(&mut r);
    r.handle(
        ms(4),
        Input::PeerDown {
            peer: PeerId(pe(2)),
        },
    )
    .unwrap();
    let out = drain(&mut r);
    assert!(out.contains(&flood(&[])));
    assert_eq!(fdbs(&out), vec![(FdbTarget::Remove, FdbCause::Withdraw)]);
    assert_eq!(r.flood_list(EVI), Some(&[][..]));
}

fn es() -> Esi {
    Esi::Arbitrary([0, 0, 0, 0, 0, 0, 0, 0, 7])
}

fn ad_input(from: u8, per_es: bool, withdraw: bool) -> Input {
    let route = EvpnRoute::EthernetAd(EthernetAdRoute {
        rd: rd(from),
        esi: es(),
        ethernet_tag: if per_es {
            EthernetTag::MAX_ET
        } else {
            EthernetTag::ZERO
        },
        label: LabelField::from_vni(if per_es { 0 } else { VNI }).unwrap(),
    });
    if withdraw {
        Input::RouteWithdraw {
            peer: PeerId(pe(from)),
            key: route.key(),
        }
    } else {
        Input::RouteUpdate {
            peer: PeerId(pe(from)),
            route,
            // The Remote builder's attributes: RT, VXLAN, next hop PE `from`.
            attributes: remote(from, mac(0)).attrs,
        }
    }
}

fn target(primary: u8, aliases: &[u8]) -> FdbTarget {
    FdbTarget::Remote {
        vtep: RemoteVtep {
            vtep: pe(primary),
            vni: VNI,
        },
        aliases: aliases
            .iter()
            .map(|n| RemoteVtep {
                vtep: pe(*n),
                vni: VNI,
            })
            .collect(),
        router_mac: None,
    }
}

#[test]
fn rfc7432_s8_4_aliasing_and_s8_2_mass_withdraw() {
    let mut r = rib(1);
    for pe_n in [2, 3] {
        r.handle(ms(0), ad_input(pe_n, true, false)).unwrap();
        r.handle(ms(0), ad_input(pe_n, false, false)).unwrap();
    }
    // Only PE 2 advertises the MAC; PE 3 is on the same ES: aliasing.
    r.handle(ms(1), remote(2, mac(1)).esi(es()).seq(1).update())
        .unwrap();
    r.handle(ms(1), remote(2, mac(2)).esi(es()).update())
        .unwrap();
    let out = drain(&mut r);
    assert_eq!(
        fdbs(&out),
        vec![
            (target(2, &[3]), FdbCause::Learn),
            (target(2, &[3]), FdbCause::Learn)
        ]
    );
    // PE 2 loses the ES (per-ES A-D route withdrawn): every MAC of the ES
    // moves to PE 3 at once, before the MAC routes are withdrawn.
    r.handle(ms(2), ad_input(2, true, true)).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        fdbs(&out),
        vec![
            (target(3, &[]), FdbCause::Withdraw),
            (target(3, &[]), FdbCause::Withdraw)
        ]
    );
    // PE 3 loses it too: nothing left.
    r.handle(ms(3), ad_input(3, true, true)).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        fdbs(&out),
        vec![
            (FdbTarget::Remove, FdbCause::Withdraw),
            (FdbTarget::Remove, FdbCause::Withdraw)
        ]
    );
    // PE 2 comes back.
    r.handle(ms(4), ad_input(2, true, false)).unwrap();
    let out = drain(&mut r);
    assert_eq!(
        fdbs(&out),
        vec![
            (target(2, &[]), FdbCause::Learn),
            (target(2, &[]), FdbCause::Learn)
        ]
    );
}

fn prefix_input(from: u8, local_pref: Option<u32>, withdraw: bool) -> Input {
    let route = EvpnRoute::IpPrefix(IpPrefixRoute {
        rd: rd(from),
        esi: Esi::ZERO,
        ethernet_tag: EthernetTag::ZERO,
        prefix: PrefixAndGateway::V4 {
            prefix: "10.1.0.0/16".parse().unwrap(),
            gateway: Ipv4Addr::UNSPECIFIED,
        },
        label: LabelField::from_vni(50000).unwrap(),
    });
    if withdraw {
        return Input::RouteWithdraw {
            peer: PeerId(pe(from)),
            key: route.key(),
        };
    }
    let mut attributes = remote(from, mac(0)).attrs;
    attributes.local_pref = local_pref;
    Input::RouteUpdate {
        peer: PeerId(pe(from)),
        route,
        attributes,
    }
}

#[test]
fn ip_prefix_routes_pick_local_pref_then_lowest_originator() {
    let mut r = rib_with(config(1).with_ip_vrf(IpVrfConfig::new(VRF, rt())));
    let via = |n: u8| {
        Some(PrefixNextHop {
            vtep: RemoteVtep {
                vtep: pe(n),
                vni: 50000,
            },
            router_mac: None,
            gateway_ip: Ipv4Addr::UNSPECIFIED.into(),
        })
    };
    let upd = |next_hop| {
        Output::Prefix(PrefixUpdate {
            vrf: VRF,
            prefix: "10.1.0.0/16".parse().unwrap(),
            next_hop,
        })
    };
    r.handle(ms(0), prefix_input(3, None, false)).unwrap();
    r.handle(ms(0), prefix_input(2, None, false)).unwrap();
    r.handle(ms(0), prefix_input(4, Some(200), false)).unwrap();
    assert_eq!(drain(&mut r), vec![upd(via(3)), upd(via(2)), upd(via(4))]);
    r.handle(ms(1), prefix_input(4, None, true)).unwrap();
    r.handle(ms(1), prefix_input(3, None, true)).unwrap();
    r.handle(ms(1), prefix_input(2, None, true)).unwrap();
    assert_eq!(drain(&mut r), vec![upd(via(2)), upd(None)]);
}

#[test]
fn updates_built_from_outputs_decode_back_into_the_same_inputs() {
    let mut src = rib(1);
    src.handle(ms(0), remote(2, mac(1)).seq(6).update())
        .unwrap();
    src.handle(ms(1), learn_ip(mac(1), host(1), 4)).unwrap();
    src.handle(
        ms(2),
        Input::LocalAge {
            evi: EVI,
            mac: mac(1),
            ip: Some(host(1)),
        },
    )
    .unwrap();
    let out = drain(&mut src);
    let ctx = DecodingContext::new().with_four_octet_as(true);
    let mut dst = rib(3);
    let mut inputs = Vec::new();
    for o in &out {
        let Some(u) = update_for(o) else { continue };
        let mut bytes = Vec::new();
        Message::Update(u).encode(&ctx, &mut bytes);
        let Message::Update(u) = Message::decode(&bytes, &ctx).unwrap() else {
            panic!()
        };
        inputs.extend(inputs_from_update(&u, PeerId(pe(1))));
    }
    // Two advertisements (MAC, MAC/IP), one withdraw (the IP).
    assert_eq!(inputs.len(), 3);
    let Input::RouteUpdate {
        attributes, route, ..
    } = &inputs[0]
    else {
        panic!()
    };
    assert_eq!(attributes.next_hop, pe(1));
    assert_eq!(attributes.originator, pe(1), "from the type 1 RD");
    assert_eq!(
        bgp_evpn_wire::ExtendedCommunities::mac_mobility(attributes.communities.as_slice()),
        Some(MacMobility::new(7))
    );
    assert!(matches!(route, EvpnRoute::MacIp(_)));
    assert!(matches!(inputs[2], Input::RouteWithdraw { .. }));
    for i in inputs {
        dst.handle(ms(5), i).unwrap();
    }
    assert_eq!(dst.fdb(EVI, mac(1)), Some(&remote_target(1)));
    assert_eq!(dst.mac(EVI, mac(1)).unwrap().remote.len(), 1);

    // ORIGINATOR_ID (a route reflector) takes precedence over the RD.
    let ad = out
        .iter()
        .find_map(|o| match o {
            Output::Advertise(a) => Some(a.clone()),
            _ => None,
        })
        .unwrap();
    let mut u = ad.to_update();
    u.attributes
        .push(bgp_evpn_wire::attribute::PathAttribute::new(
            AttributeValue::OriginatorId(Ipv4Addr::new(192, 0, 2, 77)),
        ));
    let Input::RouteUpdate { attributes, .. } = &inputs_from_update(&u, PeerId(pe(9)))[0] else {
        panic!()
    };
    assert_eq!(attributes.originator, pe(77));
}

#[cfg(feature = "serde")]
#[test]
fn snapshot_inputs_and_outputs_round_trip_through_json() {
    let mut r = rib(1);
    let inputs = vec![
        imet(2),
        remote(2, mac(1)).seq(3).update(),
        learn_ip(mac(1), host(1), 4),
        ad_input(2, true, false),
        prefix_input(2, None, false),
    ];
    for i in inputs {
        let json = serde_json::to_string(&i).unwrap();
        let back: Input = serde_json::from_str(&json).unwrap();
        assert_eq!(back, i);
        r.handle(ms(1), back).unwrap();
    }
    for o in drain(&mut r) {
        let back: Output = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
    }
    let snap = r.snapshot();
    let back: evpn_rib::Snapshot =
        serde_json::from_str(&serde_json::to_string(&snap).unwrap()).unwrap();
    assert_eq!(back, snap);
    assert_eq!(snap.evis[0].macs.len(), 1);
}

#[test]
fn own_routes_reflected_back_are_ignored() {
    let mut r = rib(1);
    r.handle(ms(0), learn(mac(1), 4)).unwrap();
    drain(&mut r);
    // Our route, reflected by a route reflector (ORIGINATOR_ID = us) with a
    // higher sequence number, as if another PE had it.
    r.handle(ms(1), remote(5, mac(1)).seq(9).originator(pe(1)).update())
        .unwrap();
    assert_eq!(drain(&mut r), vec![]);
    assert!(r.mac(EVI, mac(1)).unwrap().remote.is_empty());
}

#[test]
fn routes_are_imported_by_route_target_and_evis_can_be_added() {
    let mut r = rib(1);
    // Another route target: not imported.
    let mut other = remote(2, mac(1));
    other.attrs.communities[0] = bgp_evpn_wire::extcomm::RouteTarget::as2(65000, 200).into();
    r.handle(ms(0), other.update()).unwrap();
    assert_eq!(drain(&mut r), vec![]);
    assert!(r.mac(EVI, mac(1)).is_none());

    // An EVI importing 65000:200 is added: it advertises its inclusive
    // multicast route, and the next such route lands in it.
    let mut cfg = evpn_rib::EviConfig::new(
        evpn_rib::EviId(200),
        rd(1),
        bgp_evpn_wire::extcomm::RouteTarget::as2(65000, 200),
        20200,
        pe(1),
    );
    cfg.rd = bgp_evpn_wire::types::RouteDistinguisher::Ipv4 {
        addr: Ipv4Addr::new(192, 0, 2, 1),
        number: 200,
    };
    r.handle(ms(1), Input::AddEvi(cfg)).unwrap();
    let out = drain(&mut r);
    assert!(matches!(
        &out[..],
        [Output::Advertise(a)] if a.evi == evpn_rib::EviId(200)
            && matches!(a.route, EvpnRoute::InclusiveMulticast(_))
    ));
    let mut other = remote(2, mac(1));
    other.attrs.communities[0] = bgp_evpn_wire::extcomm::RouteTarget::as2(65000, 200).into();
    r.handle(ms(2), other.update()).unwrap();
    let out = drain(&mut r);
    assert!(matches!(
        &out[..],
        [Output::Fdb(f)] if f.evi == evpn_rib::EviId(200) && f.vni == 20200
    ));
    assert!(r.mac(EVI, mac(1)).is_none());
    assert!(r.mac(evpn_rib::EviId(200), mac(1)).is_some());
    // A bad EVI is refused.
    let mut bad = evi_config(1);
    bad.id = evpn_rib::EviId(300);
    bad.vni = 1 << 24;
    assert_eq!(
        r.handle(ms(3), Input::AddEvi(bad)),
        Err(evpn_rib::Error::InvalidVni(1 << 24))
    );
}

#[test]
fn ethernet_segment_routes_are_kept_for_show_commands() {
    let mut r = rib(1);
    let route = EvpnRoute::EthernetSegment(bgp_evpn_wire::evpn::EthernetSegmentRoute {
        rd: rd(2),
        esi: es(),
        originator: pe(2),
    });
    r.handle(
        ms(0),
        Input::RouteUpdate {
            peer: PeerId(pe(2)),
            route: route.clone(),
            attributes: RouteAttributes::new(pe(2)),
        },
    )
    .unwrap();
    assert_eq!(r.snapshot().es_routes.len(), 1);
    r.handle(
        ms(1),
        Input::RouteWithdraw {
            peer: PeerId(pe(2)),
            key: route.key(),
        },
    )
    .unwrap();
    assert!(r.snapshot().es_routes.is_empty());
    assert_eq!(drain(&mut r), vec![]);
}
