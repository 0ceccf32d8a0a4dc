//! `make_bgp_seeds [OUT_DIR]`: writes the committed seeds of the BGP fuzz
//! targets, every one built here with `bgp-evpn-wire` (never copied from
//! other projects' vectors). `OUT_DIR` defaults to `fuzz/seeds`.
//!
//! * `bgp_message`: whole messages: OPENs with capabilities, KEEPALIVE,
//!   UPDATEs carrying each EVPN route type (with and without Add-Path) with
//!   extended, standard and large communities and PMSI_TUNNEL, an IPv4
//!   unicast UPDATE, a withdraw, End-of-RIB, NOTIFICATIONs, ROUTE-REFRESH.
//! * `bgp_evpn_nlri`: the NLRI field of each route type, without and with
//!   Path Identifiers.
//! * `bgp_update_outcome`: context selector octet + UPDATE body (see the
//!   target: bit 0 4-octet AS, bit 2 Add-Path EVPN).
//! * `bgp_framer`: flags octet, chunk-size count, chunk sizes, then a
//!   stream of several messages.
//!
//! Run from the repository root:
//! `cargo run --manifest-path fuzz/Cargo.toml -p evpn-wire-fuzz-seedgen --bin make_bgp_seeds`

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::process::ExitCode;

use bgp_evpn_wire::attribute::{
    AsPath, AttributeValue, Community, LargeCommunity, MpNextHop, MpNlri, MpReach, MpUnreach,
    Origin, PmsiTunnel,
};
use bgp_evpn_wire::evpn::{
    EthernetAdRoute, EthernetSegmentRoute, EvpnNlri, EvpnRoute, IgmpJoinSyncRoute,
    IgmpLeaveSyncRoute, InclusiveMulticastRoute, IpPrefixRoute, MacIpRoute, MulticastFlags,
    PrefixAndGateway, SmetRoute, UnknownRoute, encode_nlris,
};
use bgp_evpn_wire::extcomm::{
    Encapsulation, EsiLabel, ExtendedCommunity, MacMobility, RouteTarget, TunnelType,
};
use bgp_evpn_wire::message::{
    AddPathEntry, AddPathMode, Capability, DecodingContext, Message, Notification, Open,
    OptionalParameter, RouteRefresh, Update,
};
use bgp_evpn_wire::prefix::Ipv4Prefix;
use bgp_evpn_wire::types::{AfiSafi, Esi, EthernetTag, LabelField, RouteDistinguisher};
use evpn_wire_fuzz_seedgen::write_seed;
use ipnetwork::Ipv4Network;
use macaddr::MacAddr6;

const V4: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

fn rd() -> RouteDistinguisher {
    RouteDistinguisher::Ipv4 {
        addr: Ipv4Addr::new(192, 0, 2, 1),
        number: 100,
    }
}

fn vni(v: u32) -> LabelField {
    LabelField::from_vni(v).expect("VNI fits 24 bits")
}

/// One route of each type (and an unknown one), with varied ESI types.
fn routes() -> Vec<(&'static str, EvpnRoute)> {
    let esi_lacp = Esi::from_bytes([1, 0x52, 0x54, 0, 1, 2, 3, 0, 7, 0]);
    let esi_as = Esi::from_bytes([5, 0, 0, 0xfd, 0xe9, 0, 0, 0, 1, 0]);
    let mut mac_ip = MacIpRoute::new(
        rd(),
        EthernetTag::ZERO,
        MacAddr6::new(0x52, 0x54, 0x00, 0x12, 0x34, 0x56),
        vni(10100),
    );
    mac_ip.ip = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5)));
    let mut mac_ip6 = mac_ip.clone();
    mac_ip6.ip = Some(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 5)));
    mac_ip6.label2 = Some(vni(50000));
    mac_ip6.esi = esi_lacp;
    let group = IpAddr::V4(Ipv4Addr::new(239, 1, 1, 1));
    vec![
        (
            "rt1",
            EvpnRoute::from(EthernetAdRoute {
                rd: rd(),
                esi: esi_as,
                ethernet_tag: EthernetTag::MAX_ET,
                label: vni(0),
            }),
        ),
        ("rt2", EvpnRoute::from(mac_ip)),
        ("rt2-v6-l2", EvpnRoute::from(mac_ip6)),
        (
            "rt3",
            EvpnRoute::from(InclusiveMulticastRoute {
                rd: rd(),
                ethernet_tag: EthernetTag(100),
                originator: V4,
            }),
        ),
        (
            "rt4",
            EvpnRoute::from(EthernetSegmentRoute {
                rd: rd(),
                esi: esi_lacp,
                originator: IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
            }),
        ),
        (
            "rt5",
            EvpnRoute::from(IpPrefixRoute {
                rd: rd(),
                esi: Esi::ZERO,
                ethernet_tag: EthernetTag::ZERO,
                prefix: PrefixAndGateway::V4 {
                    prefix: Ipv4Network::new(Ipv4Addr::new(10, 1, 0, 0), 16).expect("prefix"),
                    gateway: Ipv4Addr::new(10, 1, 0, 1),
                },
                label: vni(20000),
            }),
        ),
        (
            "rt6",
            EvpnRoute::from(SmetRoute {
                rd: rd(),
                ethernet_tag: EthernetTag::ZERO,
                source: Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 9))),
                group,
                originator: V4,
                flags: MulticastFlags(MulticastFlags::V2),
            }),
        ),
        (
            "rt7",
            EvpnRoute::from(IgmpJoinSyncRoute {
                rd: rd(),
                esi: esi_as,
                ethernet_tag: EthernetTag::ZERO,
                source: None,
                group,
                originator: V4,
                flags: MulticastFlags(MulticastFlags::V1),
            }),
        ),
        (
            "rt8",
            EvpnRoute::from(IgmpLeaveSyncRoute {
                rd: rd(),
                esi: esi_as,
                ethernet_tag: EthernetTag::ZERO,
                source: None,
                group,
                originator: V4,
                leave_group_sync: 3,
                max_response_time: 10,
                flags: Some(MulticastFlags(MulticastFlags::V2)),
            }),
        ),
        (
            "rt-unknown",
            EvpnRoute::from(UnknownRoute::new(42, vec![1, 2, 3, 4, 5]).expect("unknown type")),
        ),
    ]
}

fn nlris(route: &EvpnRoute, add_path: bool) -> Vec<EvpnNlri> {
    vec![EvpnNlri {
        path_id: add_path.then_some(7),
        route: route.clone(),
    }]
}

fn open(add_path: bool, extended: bool) -> Message {
    let mut caps = vec![
        Capability::multiprotocol(AfiSafi::EVPN),
        Capability::multiprotocol(AfiSafi::IPV4_UNICAST),
        Capability::RouteRefresh,
        Capability::EnhancedRouteRefresh,
        Capability::FourOctetAs(4_200_000_001),
    ];
    if add_path {
        caps.push(Capability::AddPath(vec![AddPathEntry {
            family: AfiSafi::EVPN,
            mode: AddPathMode::BOTH,
        }]));
    }
    if extended {
        caps.push(Capability::ExtendedMessage);
    }
    Message::Open(
        Open::new(23456, 90, Ipv4Addr::new(192, 0, 2, 1))
            .with_parameter(OptionalParameter::Capabilities(caps)),
    )
}

/// An EVPN UPDATE for one route, with the communities a migration uses.
fn evpn_update(route: &EvpnRoute, add_path: bool, mobility: MacMobility) -> Message {
    let mut attrs = vec![
        AttributeValue::Origin(Origin::Igp),
        AttributeValue::AsPath(AsPath::sequence([4_200_000_001, 65001])),
        AttributeValue::Communities(vec![Community::new(65001, 100)]),
        AttributeValue::ExtendedCommunities(vec![
            ExtendedCommunity::from(RouteTarget::as2(65001, 10100)),
            ExtendedCommunity::from(Encapsulation::new(TunnelType::VXLAN)),
            ExtendedCommunity::from(mobility),
            ExtendedCommunity::from(EsiLabel::new(vni(0), true)),
            // Default Gateway (RFC 7432 section 7.8).
            ExtendedCommunity::from_bytes([0x03, 0x0d, 0, 0, 0, 0, 0, 0]),
        ]),
        AttributeValue::LargeCommunities(vec![LargeCommunity {
            global_admin: 4_200_000_001,
            local_data1: 1,
            local_data2: 2,
        }]),
        AttributeValue::MpReach(MpReach::new(
            MpNextHop::Ipv4(Ipv4Addr::new(198, 51, 100, 7)),
            MpNlri::Evpn(nlris(route, add_path)),
        )),
    ];
    if matches!(route, EvpnRoute::InclusiveMulticast(_)) {
        attrs.push(AttributeValue::PmsiTunnel(PmsiTunnel::ingress_replication(
            vni(10100),
            IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)),
        )));
    }
    Message::Update(Update::with_attributes(attrs))
}

fn ctx(add_path: bool) -> DecodingContext {
    let c = DecodingContext::new().with_four_octet_as(true);
    if add_path {
        c.with_add_path(AfiSafi::EVPN)
    } else {
        c
    }
}

fn main() -> ExitCode {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/seeds".into()),
    );
    match run(&out) {
        Ok(n) => {
            println!("make_bgp_seeds: wrote {n} seeds under {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_bgp_seeds: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(out: &std::path::Path) -> std::io::Result<usize> {
    let mut n = 0;
    let mut seed = |target: &str, prefix: &str, data: &[u8]| {
        n += 1;
        write_seed(out, target, prefix, data)
    };
    let mut messages: Vec<(String, Vec<u8>, bool)> = Vec::new();
    let plain = ctx(false);
    messages.push(("open".into(), open(false, false).to_bytes(&plain), false));
    messages.push((
        "open-addpath-ext".into(),
        open(true, true).to_bytes(&plain),
        false,
    ));
    messages.push((
        "keepalive".into(),
        Message::Keepalive.to_bytes(&plain),
        false,
    ));
    messages.push((
        "notification-cease".into(),
        Message::Notification(Notification::new(6, 2, b"maintenance".to_vec())).to_bytes(&plain),
        false,
    ));
    messages.push((
        "notification-update".into(),
        Message::Notification(Notification::new(3, 1, vec![])).to_bytes(&plain),
        false,
    ));
    messages.push((
        "route-refresh".into(),
        Message::RouteRefresh(RouteRefresh {
            family: AfiSafi::EVPN,
            subtype: 0,
        })
        .to_bytes(&plain),
        false,
    ));
    for (name, route) in routes() {
        for add_path in [false, true] {
            let mob = MacMobility::new(5).migration_in_progress(name == "rt2");
            let m = evpn_update(&route, add_path, mob);
            let tag = if add_path { "-addpath" } else { "" };
            messages.push((
                format!("update-{name}{tag}"),
                m.to_bytes(&ctx(add_path)),
                add_path,
            ));
            let mut nlri = Vec::new();
            encode_nlris(&nlris(&route, add_path), add_path, &mut nlri);
            seed("bgp_evpn_nlri", &format!("{name}{tag}"), &nlri)?;
        }
    }
    // Withdraw, End-of-RIB, IPv4 unicast.
    let withdraw = Message::Update(Update::with_attributes([AttributeValue::MpUnreach(
        MpUnreach {
            nlri: MpNlri::Evpn(nlris(&routes()[1].1, false)),
        },
    )]));
    messages.push(("update-withdraw".into(), withdraw.to_bytes(&plain), false));
    let eor = Message::Update(Update::with_attributes([AttributeValue::MpUnreach(
        MpUnreach {
            nlri: MpNlri::Evpn(vec![]),
        },
    )]));
    messages.push(("update-eor".into(), eor.to_bytes(&plain), false));
    let mut v4 = Update::with_attributes([
        AttributeValue::Origin(Origin::Incomplete),
        AttributeValue::AsPath(AsPath::sequence([65001])),
        AttributeValue::NextHop(Ipv4Addr::new(192, 0, 2, 1)),
        AttributeValue::MultiExitDisc(10),
        AttributeValue::LocalPref(100),
    ]);
    v4.nlri = vec![Ipv4Prefix::new(
        Ipv4Network::new(Ipv4Addr::new(10, 2, 0, 0), 16).expect("prefix"),
    )];
    messages.push((
        "update-ipv4".into(),
        Message::Update(v4).to_bytes(&plain),
        false,
    ));

    let mut stream = Vec::new();
    for (name, bytes, add_path) in &messages {
        // Every seed is a message the crate accepts and re-encodes exactly.
        let c = ctx(*add_path);
        let m = Message::decode(bytes, &c)
            .unwrap_or_else(|e| panic!("seed {name} does not decode: {e}"));
        assert_eq!(&m.to_bytes(&c), bytes, "seed {name} does not round-trip");
        seed("bgp_message", name, bytes)?;
        if bytes[18] == 2 {
            // Context selector: 4-octet AS, Add-Path for EVPN when used.
            let selector = if *add_path { 0b101 } else { 0b001 };
            let body = [&[selector][..], &bytes[19..]].concat();
            seed("bgp_update_outcome", name, &body)?;
        }
        if !add_path && stream.len() < 2048 {
            stream.extend_from_slice(bytes);
        }
    }
    // Framer: the stream whole, in 1-byte chunks, and in 7/19/250 chunks.
    for (name, chunks) in [
        ("whole", &[][..]),
        ("bytes", &[1][..]),
        ("mixed", &[7, 19, 250][..]),
    ] {
        let mut input = vec![0, chunks.len() as u8];
        input.extend_from_slice(chunks);
        input.extend_from_slice(&stream);
        seed("bgp_framer", name, &input)?;
    }
    Ok(n)
}
