//! BGP sessions in hand-written captures: OPENs both ways negotiating
//! 4-octet AS and Add-Path for EVPN, then an EVPN UPDATE with a MAC/IP route
//! and a MAC Mobility community, all built with `bgp-evpn-wire`.

mod common;

use core::net::{IpAddr, Ipv4Addr};

use bgp_evpn_wire::attribute::{AsPath, AttributeValue, MpNextHop, MpNlri, MpReach, Origin};
use bgp_evpn_wire::evpn::{EvpnNlri, EvpnRoute, MacIpRoute};
use bgp_evpn_wire::extcomm::{
    Encapsulation, ExtendedCommunity, MacMobility, RouteTarget, TunnelType,
};
use bgp_evpn_wire::message::{
    AddPathEntry, AddPathMode, Capability, DecodingContext, Message, Open, OptionalParameter,
    Update,
};
use bgp_evpn_wire::types::{AfiSafi, EthernetTag, LabelField, RouteDistinguisher};
use common::*;
use macaddr::MacAddr6;
use serde_json::{Value, json};

const CLIENT_AS: u32 = 4_200_000_001;
const SERVER_AS: u32 = 65002;
const MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const SEQUENCE: u32 = 7;
const PATH_ID: u32 = 9;

fn open(asn: u32, id: u8, add_path: bool) -> Message {
    let mut caps = vec![
        Capability::multiprotocol(AfiSafi::EVPN),
        Capability::FourOctetAs(asn),
    ];
    if add_path {
        caps.push(Capability::AddPath(vec![AddPathEntry {
            family: AfiSafi::EVPN,
            mode: AddPathMode::BOTH,
        }]));
    }
    let two_octet = u32::from(u16::try_from(asn).unwrap_or(23456)); // AS_TRANS
    Message::Open(
        Open::new(two_octet, 90, Ipv4Addr::new(192, 0, 2, id))
            .with_parameter(OptionalParameter::Capabilities(caps)),
    )
}

/// The context both speakers end up with: 4-octet AS, Add-Path for EVPN.
fn session() -> DecodingContext {
    DecodingContext::new()
        .with_four_octet_as(true)
        .with_add_path(AfiSafi::EVPN)
}

/// An UPDATE moving the VM's MAC/IP to VTEP 198.51.100.7, in progress,
/// with the given MAC Mobility communities.
fn update(mobility: &[MacMobility]) -> Message {
    let mut route = MacIpRoute::new(
        RouteDistinguisher::Ipv4 {
            addr: Ipv4Addr::new(192, 0, 2, 1),
            number: 100,
        },
        EthernetTag::ZERO,
        MacAddr6::from(MAC),
        LabelField::from_vni(10100).unwrap(),
    );
    route.ip = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5)));
    let mut comms = vec![
        ExtendedCommunity::from(RouteTarget::as2(65001, 10100)),
        ExtendedCommunity::from(Encapsulation::new(TunnelType::VXLAN)),
    ];
    comms.extend(mobility.iter().map(|&m| ExtendedCommunity::from(m)));
    Message::Update(Update::with_attributes([
        AttributeValue::Origin(Origin::Igp),
        // Only readable with 4-octet AS numbers.
        AttributeValue::AsPath(AsPath::sequence([CLIENT_AS])),
        AttributeValue::ExtendedCommunities(comms),
        AttributeValue::MpReach(MpReach::new(
            MpNextHop::Ipv4(Ipv4Addr::new(198, 51, 100, 7)),
            MpNlri::Evpn(vec![EvpnNlri {
                path_id: Some(PATH_ID),
                route: EvpnRoute::from(route),
            }]),
        )),
    ]))
}

fn bytes(m: &Message) -> Vec<u8> {
    m.to_bytes(&session())
}

const C: ([u8; 4], u16) = (CLIENT, 40000);
const S: ([u8; 4], u16) = (SERVER, 179);

/// One TCP segment per message; each direction starts with a SYN.
/// `server_open`: whether the server's OPEN is in the capture.
fn session_frames(server_open: Option<Message>, upd: &Message) -> Vec<(u32, u32, Vec<u8>)> {
    let syn = Flags {
        syn: true,
        ..Flags::default()
    };
    let mut c_seq = 1001;
    let mut s_seq = 5001;
    let mut frames = vec![
        ethernet(&tcp_ip(C, S, 1000, syn, &[])),
        ethernet(&tcp_ip(S, C, 5000, syn, &[])),
    ];
    let mut send = |from_client: bool, m: &Message| {
        let b = bytes(m);
        let (src, dst, seq) = if from_client {
            (C, S, &mut c_seq)
        } else {
            (S, C, &mut s_seq)
        };
        frames.push(ethernet(&tcp_ip(src, dst, *seq, Flags::default(), &b)));
        *seq += b.len() as u32;
    };
    send(true, &open(CLIENT_AS, 1, true));
    if let Some(o) = &server_open {
        send(false, o);
    }
    send(false, &Message::Keepalive);
    send(true, &Message::Keepalive);
    send(true, upd);
    frames
        .into_iter()
        .enumerate()
        .map(|(i, f)| (1_700_000_000, i as u32, f))
        .collect()
}

fn write(name: &str, frames: &[(u32, u32, Vec<u8>)]) -> String {
    temp_file(name, &pcap(1, frames))
        .to_str()
        .unwrap()
        .to_string()
}

/// The MAC/IP route of a decoded UPDATE value.
fn mac_ip_nlri(update: &Value) -> &Value {
    let attrs = update["attributes"].as_array().unwrap();
    let reach = attrs
        .iter()
        .find_map(|a| a["value"].get("MpReach"))
        .expect("MP_REACH_NLRI");
    &reach["nlri"]["Evpn"][0]
}

fn mobility_of(update: &Value) -> Vec<Value> {
    let attrs = update["attributes"].as_array().unwrap();
    let comms = attrs
        .iter()
        .find_map(|a| a["value"].get("ExtendedCommunities"))
        .expect("EXTENDED COMMUNITIES");
    comms
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.get("MacMobility").cloned())
        .collect()
}

#[test]
fn evpn_session_with_add_path_decodes_with_the_negotiated_context() {
    let upd = update(&[MacMobility::new(SEQUENCE).migration_in_progress(true)]);
    let p = write(
        "bgp-session.pcap",
        &session_frames(Some(open(SERVER_AS, 2, true)), &upd),
    );
    let r = run(&["--roundtrip", &p]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "summary: messages=5 decoded=5 errors=0 roundtrip_identical=5 roundtrip_different=0\n"
    );
    let names: Vec<&str> = r
        .lines
        .iter()
        .map(|l| l["type_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["OPEN", "OPEN", "KEEPALIVE", "KEEPALIVE", "UPDATE"]);
    for l in &r.lines {
        assert_eq!(l["decoder"], "bgp-evpn-wire");
        assert_eq!(l["roundtrip"], "identical");
    }
    // The client's OPEN, decoded: its 4-octet AS capability.
    assert!(
        r.lines[0]["decoded"]["message"]["Open"]
            .to_string()
            .contains(&format!("{{\"FourOctetAs\":{CLIENT_AS}}}"))
    );
    // The client's OPEN comes first: nothing known before it.
    assert_eq!(r.lines[0]["decoded"]["context"]["from"], "default");
    // The server's OPEN follows the client's: only the receiver's is known.
    assert_eq!(r.lines[1]["decoded"]["context"]["from"], "receiver-open");

    let u = &r.lines[4];
    assert_eq!(u["flow"], "192.0.2.1:40000 -> 192.0.2.2:179");
    assert_eq!(u["frame"], 7);
    assert_eq!(
        u["decoded"]["context"],
        json!({
            "from": "opens",
            "four_octet_as": true,
            "extended_message": false,
            "add_path": ["l2vpn/evpn"],
        })
    );
    let update = &u["decoded"]["message"]["Update"];
    let nlri = mac_ip_nlri(update);
    assert_eq!(nlri["path_id"], PATH_ID);
    assert_eq!(nlri["route"]["MacIp"]["mac"], json!(MAC));
    assert_eq!(nlri["route"]["MacIp"]["ip"], "10.0.0.5");
    assert_eq!(
        mobility_of(update),
        [json!({"flags": 2, "reserved": 0, "sequence": SEQUENCE})]
    );
    assert!(update.to_string().contains(&CLIENT_AS.to_string()));
    // Well-formed with every mandatory attribute: no RFC 7606 problem.
    assert!(u["decoded"].get("rfc7606").is_none());
    assert_eq!(
        u["hex"],
        bytes(&upd)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
}

#[test]
fn context_follows_what_each_open_advertised() {
    let upd = update(&[MacMobility::new(SEQUENCE)]);
    // Only the client's OPEN in the capture: its own capabilities count.
    let p = write("bgp-one-open.pcap", &session_frames(None, &upd));
    let r = run(&["--roundtrip", &p]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let u = r.lines.last().unwrap();
    assert_eq!(u["decoded"]["context"]["from"], "sender-open");
    assert_eq!(u["decoded"]["context"]["add_path"], json!(["l2vpn/evpn"]));
    assert_eq!(
        mac_ip_nlri(&u["decoded"]["message"]["Update"])["path_id"],
        PATH_ID
    );
    assert_eq!(u["roundtrip"], "identical");

    // The server does not do Add-Path, yet the client sends Path
    // Identifiers: read without them, the EVPN NLRI is malformed, and
    // RFC 7606 says to disable the EVPN family on the session.
    let p = write(
        "bgp-no-add-path.pcap",
        &session_frames(Some(open(SERVER_AS, 2, false)), &upd),
    );
    let r = run(&["--roundtrip", &p]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert_eq!(
        r.summary(),
        "summary: messages=5 decoded=4 errors=1 roundtrip_identical=4 roundtrip_different=0"
    );
    assert_no_add_path_error(r.lines.last().unwrap());
}

/// The error line of the UPDATE with Path Identifiers read without Add-Path.
fn assert_no_add_path_error(u: &Value) {
    assert_eq!(u["type_name"], "UPDATE");
    assert!(u.get("decoded").is_none());
    let problems = u["error"]["rfc7606"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["action"], "afi-safi-disable");
    assert_eq!(problems[0]["family"], "l2vpn/evpn");
    assert_eq!(problems[0]["notification"], json!([3, 9]));
    // The attributes before MP_REACH_NLRI were decoded.
    let update = &u["error"]["rfc7606"]["update"];
    assert_eq!(mobility_of(update)[0]["sequence"], SEQUENCE);
}

#[test]
fn new_syn_forgets_the_opens() {
    let upd = update(&[MacMobility::new(SEQUENCE)]);
    let mut frames = session_frames(Some(open(SERVER_AS, 2, true)), &upd);
    // The client reconnects from the same port and sends a KEEPALIVE at once.
    let syn = Flags {
        syn: true,
        ..Flags::default()
    };
    let k = bytes(&Message::Keepalive);
    frames.push((1_700_000_001, 0, ethernet(&tcp_ip(C, S, 90_000, syn, &[]))));
    frames.push((
        1_700_000_001,
        1,
        ethernet(&tcp_ip(C, S, 90_001, Flags::default(), &k)),
    ));
    let p = write("bgp-reconnect.pcap", &frames);
    let r = run(&[&p]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.lines.len(), 6);
    assert_eq!(r.lines[4]["decoded"]["context"]["from"], "opens");
    assert_eq!(r.lines[5]["decoded"]["context"]["from"], "default");
}

#[test]
fn conflicting_mac_mobility_is_an_error_line_with_the_rfc7606_outcome() {
    // Two MAC Mobility communities with different sequence numbers:
    // treat-as-withdraw (RFC 7432bis 7.14).
    let upd = update(&[MacMobility::new(SEQUENCE), MacMobility::new(SEQUENCE + 1)]);
    let p = write(
        "bgp-conflict.pcap",
        &session_frames(Some(open(SERVER_AS, 2, true)), &upd),
    );
    let r = run(&["--roundtrip", &p]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert_eq!(
        r.summary(),
        "summary: messages=5 decoded=4 errors=1 roundtrip_identical=4 roundtrip_different=0"
    );
    let u = r.lines.last().unwrap();
    assert_eq!(u["type_name"], "UPDATE");
    assert!(u.get("decoded").is_none());
    assert!(u.get("roundtrip").is_none());
    assert_eq!(u["decoder"], "bgp-evpn-wire");
    let err = &u["error"];
    assert!(
        err["text"].as_str().unwrap().contains("MAC Mobility"),
        "{err}"
    );
    assert!(err["offset"].as_u64().unwrap() > 19);
    let rfc = &err["rfc7606"];
    let problems = rfc["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["action"], "treat-as-withdraw");
    assert_eq!(problems[0]["routes"], 1);
    assert_eq!(problems[0]["text"], err["text"]);
    // What could be decoded is there: the route being withdrawn.
    let nlri = mac_ip_nlri(&rfc["update"]);
    assert_eq!(nlri["route"]["MacIp"]["mac"], json!(MAC));
    assert_eq!(nlri["path_id"], PATH_ID);
    assert_eq!(mobility_of(&rfc["update"]).len(), 2);
}

#[test]
fn hex_mode_open_then_update() {
    // An OPEN and the UPDATE back to back: the OPEN is the sender's.
    let upd = update(&[MacMobility::new(SEQUENCE).migration_in_progress(true)]);
    let mut input = bytes(&open(CLIENT_AS, 1, true));
    input.extend(bytes(&upd));
    let hex: String = input.iter().map(|b| format!("{b:02x}")).collect();
    let r = run(&["--roundtrip", "--hex", "bgp", &hex]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.summary(),
        "summary: messages=2 decoded=2 errors=0 roundtrip_identical=2 roundtrip_different=0"
    );
    assert_eq!(r.lines[1]["decoded"]["context"]["from"], "sender-open");
    let update = &r.lines[1]["decoded"]["message"]["Update"];
    assert_eq!(mobility_of(update)[0]["sequence"], SEQUENCE);
    assert_eq!(mac_ip_nlri(update)["path_id"], PATH_ID);

    // The UPDATE alone: the default context has no Add-Path.
    let only: String = bytes(&upd).iter().map(|b| format!("{b:02x}")).collect();
    let r = run(&["--roundtrip", "--hex", "bgp", &only]);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert_eq!(r.lines.len(), 1);
    assert_no_add_path_error(&r.lines[0]);
}
