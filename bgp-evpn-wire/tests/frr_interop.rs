//! Interoperability with FRR `bgpd` (8.4, Debian package `frr`), the second
//! real EVPN speaker after GoBGP (`gobgp_interop.rs`).
//!
//! One `bgpd` (AS 65010) runs on the host's loopback without zebra (`-Z`:
//! no kernel, no interfaces), its BGP port a free one on 127.0.0.1 and its
//! vty a unix socket in a temporary directory. It connects to two test
//! speakers of ours (plain `std::net`, every message built and parsed by
//! this crate): S1 (AS 65003) on 127.0.0.3 and S2 (AS 65004) on 127.0.0.4.
//!
//! `our_updates_land_in_frr_and_come_back_unchanged`: S1 sends the same
//! UPDATEs as the GoBGP test (every route type, both label meanings, MAC
//! Mobility with sequence numbers, sticky and the paper's
//! migration-in-progress flag, Default Gateway, Router's MAC, PMSI ingress
//! replication, ESIs of several types). Then:
//!
//! * `show bgp l2vpn evpn route detail json` must show every route with the
//!   RD, route type, Ethernet tag, MAC, IP, ESI, label(s), next hop, PMSI
//!   tunnel and extended communities we meant (rendered the way FRR prints
//!   them);
//! * FRR relays every route to S2, where this crate decodes it: the NLRI,
//!   next hop, PMSI tunnel and extended communities must be those S1 sent
//!   (AS path prepended with 65010) — with one exception FRR makes, below;
//! * S1 withdraws two routes with MP_UNREACH_NLRI: they leave FRR's table
//!   and S2 receives their withdrawal (FRR writes withdrawn MAC/IP routes
//!   with label 0 and ESI 0, which are not part of the route key).
//!
//! # What FRR 8.4 does, as asserted here
//!
//! * **The migration-in-progress flag survives.** FRR reads only the sticky
//!   bit (0x01) of the MAC Mobility flags: a route with flags 0x02 and
//!   sequence 8 is shown as `MM:8` (not sticky), and it is relayed with the
//!   flags octet untouched (0x02). GoBGP, in contrast, reads any non-zero
//!   flags octet as sticky and rewrites it to 0x01. An FRR route reflector
//!   between the sites therefore keeps the paper's signalling intact.
//! * **Labels are VNIs to FRR.** It shows the 3-octet label field as a
//!   24-bit number whatever the encapsulation: a route with MPLS label 1000
//!   (bottom of stack) and no Encapsulation community shows `VNI 16001`
//!   (0x003E81), the misreading of FRR issue 4047. On the wire the field is
//!   relayed unchanged.
//! * **The gateway IP of an IP Prefix route is dropped.** FRR stores a type
//!   5 route without its gateway IP overlay index (nothing in its JSON) and
//!   relays it with gateway 0.0.0.0. A controller that needs the gateway IP
//!   (RFC 9136 section 4.4.2, recursive resolution) cannot rely on it
//!   crossing an FRR speaker.
//!
//! The test needs `/usr/lib/frr/bgpd` and `vtysh` (Debian `frr`); it is
//! `#[ignore]`d so that a plain `cargo test` skips it, and fails with a
//! clear message when a tool is missing. CI runs `scripts/interop.sh bgp`.

mod routes;

use std::net::{Ipv4Addr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use bgp_evpn_wire::attribute::{
    AsPath, AttributeValue, MpNextHop, MpNlri, MpUnreach, PmsiTunnel, PmsiTunnelIdentifier,
};
use bgp_evpn_wire::evpn::{EvpnNlri, EvpnRoute, PrefixAndGateway};
use bgp_evpn_wire::extcomm::{ExtendedCommunities, ExtendedCommunity, GlobalAdmin};
use bgp_evpn_wire::message::{Message, Update};
use bgp_evpn_wire::types::{Esi, LabelField, RouteDistinguisher};
use routes::*;
use serde_json::Value;
use testkit::bgp::{FRR_BGPD, Frr, FrrNeighbor, Speaker, evpn_open};
use testkit::{Preflight, TempDir};

const FRR_AS: u32 = 65010;
const S2_AS: u32 = 65004;
const FRR_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const S1_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
const S2_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 4);

fn preflight() {
    Preflight::new("FRR interop test")
        .file(FRR_BGPD, "frr")
        .tools(&[("vtysh", "frr")])
        .root("to run FRR bgpd")
        .note(
            "This test is #[ignore]d for that reason; CI runs it via `.ci/run` \
             (Debian package: frr).",
        )
        .check();
}

/// FRR's EVPN table, one entry per route: (RD, FRR's route JSON).
fn evpn_routes(frr: &Frr) -> Vec<(String, Value)> {
    let text = frr.vtysh("show bgp l2vpn evpn route detail json");
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("FRR's JSON does not parse ({e}): {text}"));
    let mut out = Vec::new();
    for (rd, routes) in v.as_object().expect("object by RD") {
        let Some(routes) = routes.as_object() else {
            continue; // numPrefix, numPaths
        };
        for (key, route) in routes {
            if key != "rd" {
                out.push((rd.clone(), route.clone()));
            }
        }
    }
    out
}

/// Waits until FRR's table has `n` routes.
fn wait_routes(frr: &mut Frr, n: usize) -> Vec<(String, Value)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        frr.assert_running();
        let routes = evpn_routes(frr);
        if routes.len() == n {
            return routes;
        }
        assert!(
            Instant::now() < deadline,
            "FRR holds {} EVPN routes, not {n}: {routes:#?}",
            routes.len()
        );
        thread::sleep(Duration::from_millis(200));
    }
}

/// An RD as FRR prints it (4-octet AS numbers without the `L`).
fn frr_rd(rd: &RouteDistinguisher) -> String {
    match rd {
        RouteDistinguisher::As4 { asn, number } => format!("{asn}:{number}"),
        other => other.to_string(),
    }
}

/// The label field(s) as FRR shows them: always the 24-bit number.
fn frr_vni(labels: &[LabelField]) -> String {
    labels
        .iter()
        .map(|l| l.vni().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Our extended communities rendered the way FRR prints them.
fn frr_communities(comms: &[ExtendedCommunity]) -> String {
    let words: Vec<String> = comms
        .iter()
        .map(|c| match c {
            ExtendedCommunity::RouteTarget(rt) => match rt.admin {
                GlobalAdmin::As2 { asn, local } => format!("RT:{asn}:{local}"),
                other => panic!("no FRR rendering written for {other:?}"),
            },
            ExtendedCommunity::Encapsulation(e) => format!("ET:{}", e.tunnel_type.0),
            ExtendedCommunity::MacMobility(m) => {
                // FRR looks at the sticky bit only.
                let sticky = if m.flags & 0x01 != 0 {
                    ", sticky MAC"
                } else {
                    ""
                };
                format!("MM:{}{sticky}", m.sequence)
            }
            ExtendedCommunity::DefaultGateway(_) => "Default Gateway".into(),
            ExtendedCommunity::RouterMac(r) => format!("Rmac:{}", mac_text(&r.0)),
            ExtendedCommunity::EsiLabel(l) => {
                format!(
                    "ESI-label-Rt:{}",
                    if l.is_single_active() { "SA" } else { "AA" }
                )
            }
            ExtendedCommunity::EsImportRouteTarget(es) => {
                format!("ES-Import-Rt:{}", mac_text(&es.0))
            }
            other => panic!("no FRR rendering written for {other:?}"),
        })
        .collect();
    words.join(" ")
}

/// A MAC as FRR prints it: lower-case hex.
fn mac_text(m: &macaddr::MacAddr6) -> String {
    m.to_string().to_lowercase()
}

/// FRR's entry for one of our routes, found by RD, type and identifying
/// fields.
fn find<'a>(frr: &'a [(String, Value)], o: &Ours) -> &'a Value {
    let rd = frr_rd(o.route.rd().expect("our routes have an RD"));
    let found: Vec<&Value> = frr
        .iter()
        .filter(|(r, v)| {
            *r == rd
                && v["routeType"] == u64::from(o.route.route_type())
                && match &o.route {
                    EvpnRoute::MacIp(m) => {
                        v["mac"] == mac_text(&m.mac)
                            && v["ip"] == m.ip.map_or(Value::Null, |ip| ip.to_string().into())
                    }
                    EvpnRoute::InclusiveMulticast(m) => v["ip"] == m.originator.to_string(),
                    EvpnRoute::IpPrefix(p) => {
                        let net = p.prefix.prefix();
                        v["ip"] == net.ip().to_string() && v["ipLen"] == net.prefix()
                    }
                    EvpnRoute::EthernetAd(a) => prefix_has(v, &a.esi),
                    EvpnRoute::EthernetSegment(s) => prefix_has(v, &s.esi),
                    other => panic!("no FRR lookup written for {other:?}"),
                }
        })
        .map(|(_, v)| v)
        .collect();
    assert_eq!(found.len(), 1, "{}: FRR entries {found:#?}", o.what);
    found[0]
}

fn prefix_has(v: &Value, esi: &Esi) -> bool {
    v["prefix"]
        .as_str()
        .is_some_and(|p| p.contains(&esi.to_string()))
}

/// Checks FRR's stored path against what we sent.
fn check_frr_route(v: &Value, o: &Ours) {
    let paths = v["paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 1, "{}: {v:#}", o.what);
    let p = &paths[0][0];
    let what = o.what;
    assert_eq!(p["valid"], true, "{what}: {p:#}");
    assert_eq!(p["aspath"]["string"], S_AS.to_string(), "{what}");
    assert_eq!(
        p["nexthops"][0]["ip"],
        o.next_hop.to_string(),
        "{what}: next hop"
    );
    assert_eq!(
        p["extendedCommunity"]["string"],
        frr_communities(&o.comms),
        "{what}: extended communities"
    );
    match &o.route {
        EvpnRoute::MacIp(m) => {
            assert_eq!(v["ethTag"], m.ethernet_tag.0, "{what}: Ethernet tag");
            let labels: Vec<LabelField> =
                [Some(m.label1), m.label2].into_iter().flatten().collect();
            assert_eq!(p["vni"], frr_vni(&labels), "{what}: label(s)");
            if !m.esi.is_zero() {
                assert_eq!(p["esi"], m.esi.to_string(), "{what}: ESI");
            }
        }
        EvpnRoute::IpPrefix(r) => assert_eq!(p["vni"], frr_vni(&[r.label]), "{what}: label"),
        EvpnRoute::InclusiveMulticast(m) => {
            assert_eq!(v["ethTag"], m.ethernet_tag.0, "{what}: Ethernet tag");
            let pmsi = o.pmsi.as_ref().expect("our IMET has a PMSI tunnel");
            assert!(matches!(
                pmsi.tunnel,
                PmsiTunnelIdentifier::IngressReplication(_)
            ));
            assert_eq!(p["pmsi"]["tunnelType"], "Ingress Replication", "{what}");
            assert_eq!(p["pmsi"]["label"], pmsi.label.vni(), "{what}: PMSI label");
        }
        _ => {}
    }
}

/// The EVPN routes S2 received, each with its next hop, extended
/// communities, PMSI tunnel and AS path.
struct Relayed {
    route: EvpnRoute,
    next_hop: MpNextHop,
    comms: Vec<ExtendedCommunity>,
    pmsi: Option<PmsiTunnel>,
    as_path: Option<AsPath>,
}

fn relayed(msgs: &[Message]) -> (Vec<Relayed>, Vec<EvpnRoute>) {
    let mut reach = Vec::new();
    let mut unreach = Vec::new();
    for m in msgs {
        let Message::Update(u) = m else { continue };
        let mut comms = Vec::new();
        let mut pmsi = None;
        let mut as_path = None;
        for a in &u.attributes {
            match &a.value {
                AttributeValue::ExtendedCommunities(c) => comms = c.clone(),
                AttributeValue::PmsiTunnel(p) => pmsi = Some(p.clone()),
                AttributeValue::AsPath(p) => as_path = Some(p.clone()),
                _ => {}
            }
        }
        for a in &u.attributes {
            match &a.value {
                AttributeValue::MpReach(r) => {
                    let MpNlri::Evpn(nlris) = &r.nlri else {
                        panic!("non-EVPN MP_REACH from FRR: {r:?}")
                    };
                    reach.extend(nlris.iter().map(|n| Relayed {
                        route: n.route.clone(),
                        next_hop: r.next_hop.clone(),
                        comms: comms.clone(),
                        pmsi: pmsi.clone(),
                        as_path: as_path.clone(),
                    }));
                }
                AttributeValue::MpUnreach(r) => {
                    let MpNlri::Evpn(nlris) = &r.nlri else {
                        panic!("non-EVPN MP_UNREACH from FRR: {r:?}")
                    };
                    unreach.extend(nlris.iter().map(|n| n.route.clone()));
                }
                _ => {}
            }
        }
    }
    (reach, unreach)
}

/// What FRR relays for one of our routes: the same, except that an IP
/// Prefix route loses its gateway IP.
fn as_frr_relays(route: &EvpnRoute) -> EvpnRoute {
    let mut route = route.clone();
    if let EvpnRoute::IpPrefix(p) = &mut route {
        p.prefix = match p.prefix {
            PrefixAndGateway::V4 { prefix, .. } => PrefixAndGateway::V4 {
                prefix,
                gateway: Ipv4Addr::UNSPECIFIED,
            },
            PrefixAndGateway::V6 { prefix, .. } => PrefixAndGateway::V6 {
                prefix,
                gateway: core::net::Ipv6Addr::UNSPECIFIED,
            },
        };
    }
    route
}

/// Reads from both speakers until S2 has `want` EVPN routes in MP_REACH
/// and `gone` in MP_UNREACH, or 20 s pass.
fn pump(s1: &mut Speaker, s2: &mut Speaker, want: usize, gone: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        s1.drain(Duration::from_millis(50));
        s2.drain(Duration::from_millis(50));
        let (reach, unreach) = relayed(&s2.received);
        if reach.len() >= want && unreach.len() >= gone {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "S2 got {} routes and {} withdrawals from FRR, expected {want} and {gone}",
            reach.len(),
            unreach.len()
        );
    }
}

#[test]
#[ignore = "needs FRR bgpd; run by .ci/run"]
fn our_updates_land_in_frr_and_come_back_unchanged() {
    preflight();
    let dir = TempDir::new("frr");
    let l1 = TcpListener::bind((S1_ADDR, 0)).expect("bind S1");
    let l2 = TcpListener::bind((S2_ADDR, 0)).expect("bind S2");
    let port = |l: &TcpListener| l.local_addr().expect("local address").port();
    let mut frr = Frr::start(
        dir.path(),
        FRR_AS,
        &[
            FrrNeighbor {
                addr: S1_ADDR,
                asn: S_AS,
                port: port(&l1),
            },
            FrrNeighbor {
                addr: S2_ADDR,
                asn: S2_AS,
                port: port(&l2),
            },
        ],
    );
    let open1 = evpn_open(S_AS, S_ROUTER_ID);
    let mut s1 = Speaker::accept(&l1, FRR_ADDR, open1, FRR_AS, "FRR bgpd", || frr.log_text());
    let open2 = evpn_open(S2_AS, Ipv4Addr::new(192, 0, 2, 4));
    let mut s2 = Speaker::accept(&l2, FRR_ADDR, open2, FRR_AS, "FRR bgpd", || frr.log_text());

    let ours = our_routes();
    for o in &ours {
        s1.send(&o.update());
    }

    // FRR stored exactly what we meant.
    let table = wait_routes(&mut frr, ours.len());
    for o in &ours {
        check_frr_route(find(&table, o), o);
    }
    let in_progress = ours
        .iter()
        .find(|o| o.comms.as_slice().is_migration_in_progress())
        .expect("one route carries the in-progress flag");
    let p = &find(&table, in_progress)["paths"][0][0];
    assert_eq!(
        p["extendedCommunity"]["string"], "RT:65003:100 ET:8 MM:8",
        "FRR shows flags 0x02 as a plain MAC Mobility community, not sticky"
    );

    // FRR relays every route to S2 as we sent it.
    pump(&mut s1, &mut s2, ours.len(), 0);
    let (reach, _) = relayed(&s2.received);
    assert_eq!(reach.len(), ours.len(), "one relayed route per route");
    for o in &ours {
        let want = as_frr_relays(&o.route);
        let r = reach
            .iter()
            .find(|r| r.route == want)
            .unwrap_or_else(|| panic!("{}: not relayed as {want:?}", o.what));
        assert_eq!(r.next_hop, MpNextHop::Ipv4(o.next_hop), "{}", o.what);
        assert_eq!(
            r.comms, o.comms,
            "{}: communities relayed unchanged",
            o.what
        );
        assert_eq!(r.pmsi, o.pmsi, "{}: PMSI tunnel", o.what);
        assert_eq!(
            r.as_path,
            Some(AsPath::sequence([FRR_AS, S_AS])),
            "{}",
            o.what
        );
    }
    let flags = reach
        .iter()
        .find_map(|r| {
            r.comms
                .as_slice()
                .mac_mobility()
                .filter(|m| m.sequence == 8)
        })
        .expect("the in-progress route came back");
    assert_eq!(flags.flags, 0x02, "FRR relays the flags octet untouched");
    let prefix = ours
        .iter()
        .find(|o| matches!(o.route, EvpnRoute::IpPrefix(_)))
        .expect("an IP Prefix route");
    assert!(
        !reach.iter().any(|r| r.route == prefix.route),
        "FRR relays the IP Prefix route without its gateway IP"
    );

    // Withdraw two routes: they leave FRR and S2 hears of it.
    let gone: Vec<&Ours> = vec![&ours[0], &ours[1]];
    s1.send(&Message::Update(Update::with_attributes([
        AttributeValue::MpUnreach(MpUnreach {
            nlri: MpNlri::Evpn(
                gone.iter()
                    .map(|o| EvpnNlri::from(o.route.clone()))
                    .collect(),
            ),
        }),
    ])));
    pump(&mut s1, &mut s2, ours.len(), gone.len());
    let table = wait_routes(&mut frr, ours.len() - gone.len());
    for o in &gone {
        let rd = frr_rd(o.route.rd().expect("our routes have an RD"));
        assert!(
            !table.iter().any(|(r, v)| *r == rd
                && v["mac"]
                    == mac_text(match &o.route {
                        EvpnRoute::MacIp(m) => &m.mac,
                        _ => unreachable!("the first two routes are MAC/IP routes"),
                    })),
            "{}: still in FRR's table",
            o.what
        );
    }
    // FRR writes withdrawals with label 0 and ESI 0: not part of the key
    // (RFC 7432 section 7.2), so compare the keys.
    let (_, unreach) = relayed(&s2.received);
    for o in &gone {
        assert!(
            unreach.iter().any(|r| r.key() == o.route.key()),
            "{}: withdrawal not relayed: {unreach:?}",
            o.what
        );
    }
}
