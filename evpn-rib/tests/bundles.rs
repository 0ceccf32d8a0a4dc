//! VLAN-aware bundles (RFC 7432 section 6.3, RFC 8365 section 5.1.2):
//! several bridge domains sharing one RD and route targets, told apart by
//! their Ethernet tag; and IP-VRFs importing IP prefix routes (RFC 9136).

mod common;

use bgp_evpn_wire::attribute::PmsiTunnel;
use bgp_evpn_wire::evpn::{
    EthernetAdRoute, EvpnRoute, InclusiveMulticastRoute, IpPrefixRoute, PrefixAndGateway,
};
use bgp_evpn_wire::extcomm::{RouteTarget, RouterMac};
use bgp_evpn_wire::types::{Esi, EthernetTag, LabelField};
use common::*;
use core::net::Ipv4Addr;
use evpn_rib::{
    EviConfig, EviId, FdbCause, FdbTarget, FloodList, Input, IpVrfConfig, IpVrfId, LearnKind,
    Output, PeerId, PortId, PrefixNextHop, PrefixUpdate, RemoteVtep, Rib, RibConfig,
};
use macaddr::MacAddr6;

const BLUE: EviId = EviId(10);
const GREEN: EviId = EviId(20);
const BLUE_TAG: EthernetTag = EthernetTag(10);
const GREEN_TAG: EthernetTag = EthernetTag(20);
const BLUE_VNI: u32 = 10010;
const GREEN_VNI: u32 = 10020;

/// PE `n` with a VLAN-aware bundle of two bridge domains (blue, green).
fn bundle_config(n: u8) -> RibConfig {
    let mut blue = EviConfig::new(BLUE, rd(n), rt(), BLUE_VNI, pe(n));
    blue.ethernet_tag = BLUE_TAG;
    let green = blue.bridge_domain(GREEN, GREEN_TAG, GREEN_VNI);
    RibConfig::new(pe(n)).with_evi(blue).with_evi(green)
}

fn mac_route(from: u8, tag: EthernetTag, m: MacAddr6, vni: u32) -> Remote {
    let mut r = remote(from, m);
    r.route.ethernet_tag = tag;
    r.route.label1 = LabelField::from_vni(vni).unwrap();
    r
}

fn fdb_updates(out: &[Output]) -> Vec<(EviId, u32, EthernetTag, MacAddr6, FdbTarget, FdbCause)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Fdb(f) => Some((
                f.evi,
                f.vni,
                f.ethernet_tag,
                f.mac,
                f.target.clone(),
                f.cause,
            )),
            _ => None,
        })
        .collect()
}

fn tunnel(n: u8, vni: u32) -> FdbTarget {
    FdbTarget::Remote {
        vtep: RemoteVtep { vtep: pe(n), vni },
        aliases: vec![],
        router_mac: None,
    }
}

#[test]
fn each_bridge_domain_advertises_its_own_inclusive_multicast_route() {
    let mut r = Rib::new(bundle_config(1)).unwrap();
    let out = drain(&mut r);
    let imets: Vec<_> = ads(&out)
        .iter()
        .map(|a| {
            let EvpnRoute::InclusiveMulticast(route) = &a.route else {
                panic!("{a:?}")
            };
            let pmsi = a.pmsi.as_ref().unwrap();
            (a.evi, route.rd, route.ethernet_tag, pmsi.label.vni())
        })
        .collect();
    assert_eq!(
        imets,
        vec![
            (BLUE, rd(1), BLUE_TAG, BLUE_VNI),
            (GREEN, rd(1), GREEN_TAG, GREEN_VNI)
        ]
    );
}

#[test]
fn mac_routes_are_imported_into_the_bridge_domain_of_their_tag_only() {
    let mut r = rib_with(bundle_config(1));
    let vm = mac(1);
    r.handle(ms(0), mac_route(2, GREEN_TAG, vm, GREEN_VNI + 5).update())
        .unwrap();
    assert_eq!(
        fdb_updates(&drain(&mut r)),
        vec![(
            GREEN,
            GREEN_VNI,
            GREEN_TAG,
            vm,
            tunnel(2, GREEN_VNI + 5),
            FdbCause::Learn
        )]
    );
    assert!(r.mac(BLUE, vm).is_none());
    assert_eq!(r.fdb(GREEN, vm), Some(&tunnel(2, GREEN_VNI + 5)));

    // A tag no bridge domain carries is not imported, though the RT matches.
    r.handle(ms(1), mac_route(3, EthernetTag(30), mac(2), 1).update())
        .unwrap();
    assert_eq!(drain(&mut r), vec![]);
    assert_eq!(
        r.snapshot()
            .evis
            .iter()
            .map(|e| e.macs.len())
            .sum::<usize>(),
        1
    );

    // The same MAC in the blue domain is another entry: learning it locally
    // there is a first learn (sequence 0, no MAC Mobility community), not a
    // move of the green one.
    r.handle(
        ms(2),
        Input::LocalLearn {
            evi: BLUE,
            mac: vm,
            ip: None,
            port: PortId(4),
            esi: Esi::ZERO,
            kind: LearnKind::Dynamic,
        },
    )
    .unwrap();
    let out = drain(&mut r);
    let [ad] = ads(&out)[..] else {
        panic!("{out:?}")
    };
    let EvpnRoute::MacIp(route) = &ad.route else {
        panic!("{ad:?}")
    };
    assert_eq!(
        (ad.evi, route.ethernet_tag, route.label1.vni()),
        (BLUE, BLUE_TAG, BLUE_VNI)
    );
    assert_eq!(mobility(ad), None);
    assert_eq!(
        fdb_updates(&out),
        vec![(BLUE, BLUE_VNI, BLUE_TAG, vm, local(4), FdbCause::Learn)]
    );
    assert_eq!(r.fdb(GREEN, vm), Some(&tunnel(2, GREEN_VNI + 5)));

    // Withdrawing the green route leaves the blue MAC alone.
    r.handle(ms(3), mac_route(2, GREEN_TAG, vm, GREEN_VNI + 5).withdraw())
        .unwrap();
    assert_eq!(
        fdb_updates(&drain(&mut r)),
        vec![(
            GREEN,
            GREEN_VNI,
            GREEN_TAG,
            vm,
            FdbTarget::Remove,
            FdbCause::Withdraw
        )]
    );
    assert_eq!(r.fdb(BLUE, vm), Some(&local(4)));
}

#[test]
fn flood_lists_are_per_bridge_domain() {
    let mut r = rib_with(bundle_config(1));
    let imet = |from: u8, tag: EthernetTag, vni: u32| Input::RouteUpdate {
        peer: PeerId(pe(from)),
        route: EvpnRoute::InclusiveMulticast(InclusiveMulticastRoute {
            rd: rd(from),
            ethernet_tag: tag,
            originator: pe(from),
        }),
        attributes: remote(from, mac(0))
            .attrs
            .pmsi(PmsiTunnel::ingress_replication(
                LabelField::from_vni(vni).unwrap(),
                pe(from),
            )),
    };
    r.handle(ms(0), imet(2, BLUE_TAG, BLUE_VNI)).unwrap();
    r.handle(ms(0), imet(3, GREEN_TAG, GREEN_VNI)).unwrap();
    r.handle(ms(0), imet(4, GREEN_TAG, GREEN_VNI)).unwrap();
    let flood = |evi, vni, vteps: &[u8]| {
        Output::FloodList(FloodList {
            evi,
            vni,
            vteps: vteps
                .iter()
                .map(|n| RemoteVtep { vtep: pe(*n), vni })
                .collect(),
        })
    };
    assert_eq!(
        drain(&mut r),
        vec![
            flood(BLUE, BLUE_VNI, &[2]),
            flood(GREEN, GREEN_VNI, &[3]),
            flood(GREEN, GREEN_VNI, &[3, 4]),
        ]
    );
    assert_eq!(
        r.flood_list(BLUE),
        Some(
            &[RemoteVtep {
                vtep: pe(2),
                vni: BLUE_VNI
            }][..]
        )
    );
    r.handle(
        ms(1),
        Input::PeerDown {
            peer: PeerId(pe(3)),
        },
    )
    .unwrap();
    assert_eq!(drain(&mut r), vec![flood(GREEN, GREEN_VNI, &[4])]);
}

#[test]
fn a_per_es_ad_withdraw_is_a_mass_withdraw_in_every_bridge_domain() {
    let mut r = rib_with(bundle_config(1));
    let es = Esi::Arbitrary([0, 0, 0, 0, 0, 0, 0, 0, 9]);
    let ad = |from: u8, tag: EthernetTag, vni: u32| {
        EvpnRoute::EthernetAd(EthernetAdRoute {
            rd: rd(from),
            esi: es,
            ethernet_tag: tag,
            label: LabelField::from_vni(vni).unwrap(),
        })
    };
    let update = |from: u8, route: EvpnRoute| Input::RouteUpdate {
        peer: PeerId(pe(from)),
        route,
        attributes: remote(from, mac(0)).attrs,
    };
    // PEs 2 and 3 share the ES in both bridge domains.
    for from in [2, 3] {
        r.handle(ms(0), update(from, ad(from, EthernetTag::MAX_ET, 0)))
            .unwrap();
        r.handle(ms(0), update(from, ad(from, BLUE_TAG, BLUE_VNI)))
            .unwrap();
        r.handle(ms(0), update(from, ad(from, GREEN_TAG, GREEN_VNI)))
            .unwrap();
    }
    r.handle(
        ms(0),
        mac_route(2, BLUE_TAG, mac(1), BLUE_VNI).esi(es).update(),
    )
    .unwrap();
    r.handle(
        ms(0),
        mac_route(2, GREEN_TAG, mac(2), GREEN_VNI).esi(es).update(),
    )
    .unwrap();
    drain(&mut r);
    let via = |primary: u8, alias: Option<u8>, vni: u32| FdbTarget::Remote {
        vtep: RemoteVtep {
            vtep: pe(primary),
            vni,
        },
        aliases: alias
            .map(|n| RemoteVtep { vtep: pe(n), vni })
            .into_iter()
            .collect(),
        router_mac: None,
    };
    // Aliasing (RFC 7432 section 8.4) in each domain with its own VNI.
    assert_eq!(r.fdb(BLUE, mac(1)), Some(&via(2, Some(3), BLUE_VNI)));
    assert_eq!(r.fdb(GREEN, mac(2)), Some(&via(2, Some(3), GREEN_VNI)));

    // PE 2 loses the ES: one per-ES withdraw moves both domains' MACs to
    // PE 3 (RFC 7432 section 8.2).
    r.handle(
        ms(1),
        Input::RouteWithdraw {
            peer: PeerId(pe(2)),
            key: ad(2, EthernetTag::MAX_ET, 0).key(),
        },
    )
    .unwrap();
    let moved: Vec<_> = fdb_updates(&drain(&mut r))
        .into_iter()
        .map(|(evi, _, _, m, target, _)| (evi, m, target))
        .collect();
    assert_eq!(
        moved,
        vec![
            (BLUE, mac(1), via(3, None, BLUE_VNI)),
            (GREEN, mac(2), via(3, None, GREEN_VNI)),
        ]
    );
}

#[test]
fn bridge_domains_with_the_same_rd_need_distinct_tags() {
    let mut cfg = bundle_config(1);
    let clash = cfg.evis[0].bridge_domain(EviId(30), BLUE_TAG, 10030);
    let err = Rib::new(cfg.clone().with_evi(clash.clone())).unwrap_err();
    assert_eq!(
        err,
        evpn_rib::Error::SameBridgeDomain {
            evi: EviId(30),
            existing: BLUE
        }
    );
    // The same through AddEvi: refused, nothing changes.
    let mut r = rib_with(cfg.clone());
    let before = r.snapshot();
    assert_eq!(
        r.handle(ms(0), Input::AddEvi(clash)),
        Err(evpn_rib::Error::SameBridgeDomain {
            evi: EviId(30),
            existing: BLUE
        })
    );
    assert_eq!(r.snapshot(), before);
    assert_eq!(drain(&mut r), vec![]);
    // Another RD may reuse the tag (another EVI).
    let mut other = cfg.evis[0].bridge_domain(EviId(30), BLUE_TAG, 10030);
    other.rd = rd(9);
    other.import_rts = vec![RouteTarget::as2(65000, 30)];
    cfg = cfg.with_evi(other);
    assert!(Rib::new(cfg).is_ok());
}

fn prefix_route(from: u8, prefix: &str, vni: u32) -> EvpnRoute {
    EvpnRoute::IpPrefix(IpPrefixRoute {
        rd: rd(from),
        esi: Esi::ZERO,
        ethernet_tag: EthernetTag::ZERO,
        prefix: PrefixAndGateway::V4 {
            prefix: prefix.parse().unwrap(),
            gateway: Ipv4Addr::UNSPECIFIED,
        },
        label: LabelField::from_vni(vni).unwrap(),
    })
}

#[test]
fn ip_prefix_routes_go_to_the_ip_vrfs_of_their_route_targets() {
    let red = IpVrfId(1);
    let black = IpVrfId(2);
    let red_rt = RouteTarget::as2(65000, 5001);
    let cfg = config(1)
        .with_ip_vrf(IpVrfConfig::new(red, red_rt))
        .with_ip_vrf(IpVrfConfig::new(black, RouteTarget::as2(65000, 5002)));
    let mut r = rib_with(cfg);
    let router_mac = MacAddr6::new(0x02, 0, 0, 0, 0, 2);
    let update = |from: u8, route: EvpnRoute, rt: RouteTarget| Input::RouteUpdate {
        peer: PeerId(pe(from)),
        route,
        attributes: remote(from, mac(0))
            .attrs
            .community(rt)
            .community(RouterMac(router_mac)),
    };
    r.handle(
        ms(0),
        update(2, prefix_route(2, "10.9.0.0/16", 5001), red_rt),
    )
    .unwrap();
    // The EVI's route target alone (no IP-VRF imports it): not imported.
    r.handle(ms(0), update(3, prefix_route(3, "10.8.0.0/16", 5001), rt()))
        .unwrap();
    let hop = PrefixNextHop {
        vtep: RemoteVtep {
            vtep: pe(2),
            vni: 5001,
        },
        router_mac: Some(router_mac),
        gateway_ip: Ipv4Addr::UNSPECIFIED.into(),
    };
    assert_eq!(
        drain(&mut r),
        vec![Output::Prefix(PrefixUpdate {
            vrf: red,
            prefix: "10.9.0.0/16".parse().unwrap(),
            next_hop: Some(hop.clone()),
        })]
    );
    let view = r.prefix(red, "10.9.0.0/16".parse().unwrap()).unwrap();
    assert_eq!(view.best, Some(hop));
    assert!(r.prefix(black, "10.9.0.0/16".parse().unwrap()).is_none());
    let snap = r.snapshot();
    assert_eq!(snap.ip_vrfs.len(), 2);
    assert_eq!(snap.ip_vrfs[0].prefixes.len(), 1);
    assert!(snap.ip_vrfs[1].prefixes.is_empty());

    // An IP-VRF added later imports what arrives from then on.
    let late = IpVrfId(3);
    r.handle(
        ms(1),
        Input::AddIpVrf(IpVrfConfig::new(late, RouteTarget::as2(65000, 5003))),
    )
    .unwrap();
    assert_eq!(
        r.handle(
            ms(1),
            Input::AddIpVrf(IpVrfConfig::new(late, RouteTarget::as2(65000, 5003)))
        ),
        Err(evpn_rib::Error::DuplicateIpVrf(late))
    );
    r.handle(
        ms(2),
        update(
            4,
            prefix_route(4, "10.7.0.0/16", 5003),
            RouteTarget::as2(65000, 5003),
        ),
    )
    .unwrap();
    let out = drain(&mut r);
    assert!(
        matches!(&out[..], [Output::Prefix(PrefixUpdate { vrf, next_hop: Some(_), .. })] if *vrf == late),
        "{out:?}"
    );

    // Withdraw and peer down empty the IP-VRFs.
    r.handle(
        ms(3),
        Input::RouteWithdraw {
            peer: PeerId(pe(2)),
            key: prefix_route(2, "10.9.0.0/16", 5001).key(),
        },
    )
    .unwrap();
    r.handle(
        ms(3),
        Input::PeerDown {
            peer: PeerId(pe(4)),
        },
    )
    .unwrap();
    let gone: Vec<_> = drain(&mut r)
        .into_iter()
        .map(|o| match o {
            Output::Prefix(p) => (p.vrf, p.prefix.to_string(), p.next_hop),
            o => panic!("{o:?}"),
        })
        .collect();
    assert_eq!(
        gone,
        vec![
            (red, "10.9.0.0/16".to_string(), None),
            (late, "10.7.0.0/16".to_string(), None)
        ]
    );
    assert!(r.snapshot().ip_vrfs.iter().all(|v| v.prefixes.is_empty()));
}
