//! Conformance against vectors written by other projects.
//!
//! The vectors are NOT part of this repository. They are read from
//! `$EVPN_VECTORS_DIR`, or from `../shared/vectors` beside the workspace
//! (see that folder's README for provenance and licences):
//!
//! * `yabgp/bgp/yabgp-vectors.json` (smartbgp/yabgp unit tests, Apache-2.0):
//!   EVPN NLRI of route types 1-5, ESI types 0-5, MP_REACH_NLRI with a
//!   MAC/IP route, and extended communities with their expected values;
//! * `curated/bgp/*.json`: EVPN extended communities from the unit tests of
//!   yabgp, NetGauze and OpenDaylight bgpcep with TShark 4.0.17's decode,
//!   and the communities seen in the captures;
//! * `os-ken/bgp/pcap/evpn_*.pcap`, `exabgp/bgp/qa-decoding.pcap`,
//!   `netgauze/bgp/pcap/bmp-evpn/evpn.pcap`: BGP UPDATEs with EVPN NLRI in
//!   MP_REACH_NLRI / MP_UNREACH_NLRI, checked against TShark's route types.
//!
//! * message layer: every BGP message of the 25 os-ken captures (OPEN,
//!   KEEPALIVE, UPDATE v4/v6/VPNv6, EVPN, FlowSpec kept raw), the ExaBGP
//!   qa-decoding messages (checked against ExaBGP's JSON: message type,
//!   attribute set, AS path, next hop, NLRI count), yabgp's whole UPDATE
//!   vectors, the NetGauze multi-session capture and the BGP messages
//!   embedded in its BMP capture decode and re-encode byte-identical.
//!
//! Every test is ignored by default; `scripts/conformance.sh` runs them.

use std::net::IpAddr;
use std::path::PathBuf;

use bgp_evpn_wire::evpn::{EvpnRoute, decode_nlris, encode_nlris};
use bgp_evpn_wire::extcomm::{
    ExtendedCommunity, GlobalAdmin, TunnelType, decode_extended_communities,
    encode_extended_communities,
};
use bgp_evpn_wire::types::{Esi, RouteDistinguisher};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("EVPN_VECTORS_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors")
}

fn read(rel: &str) -> Vec<u8> {
    let path = vectors_dir().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn json(rel: &str) -> Value {
    serde_json::from_slice(&read(rel)).expect("valid JSON")
}

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

fn rd_text(rd: &RouteDistinguisher) -> String {
    match rd {
        RouteDistinguisher::As4 { asn, number } => format!("{asn}:{number}"),
        other => other.to_string(),
    }
}

fn mac_text(mac: &macaddr::MacAddr6) -> String {
    mac.as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Decodes a sequence of NLRI, re-encodes it and checks the bytes.
fn nlri_roundtrip(bytes: &[u8], add_path: bool) -> Vec<EvpnRoute> {
    let nlris = decode_nlris(bytes, add_path)
        .unwrap_or_else(|e| panic!("decode of {} failed: {e}", hex(bytes)));
    let mut out = Vec::new();
    encode_nlris(&nlris, add_path, &mut out);
    assert_eq!(hex(&out), hex(bytes), "re-encode differs");
    nlris.into_iter().map(|n| n.route).collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Checks a yabgp expected route description against our decode.
fn check_yabgp_route(route: &EvpnRoute, want: &Value) {
    assert_eq!(
        u64::from(route.route_type()),
        want["type"].as_u64().unwrap()
    );
    let v = &want["value"];
    if let Some(rd) = v["rd"].as_str() {
        assert_eq!(rd_text(route.rd().unwrap()), rd);
    }
    if let Some(tag) = v["eth_tag_id"].as_u64() {
        assert_eq!(u64::from(route.ethernet_tag().unwrap().value()), tag);
    }
    if let Some(esi) = v.get("esi") {
        let zero = esi.as_u64() == Some(0)
            || (esi["type"].as_u64() == Some(0) && esi["value"].as_u64() == Some(0));
        assert!(zero, "only zero ESIs in these vectors");
        assert!(route.esi().unwrap().is_zero());
    }
    let label = v["label"]
        .as_array()
        .and_then(|l| l.first())
        .and_then(Value::as_u64);
    match route {
        EvpnRoute::EthernetAd(r) => {
            assert_eq!(u64::from(r.label.mpls_label()), label.unwrap());
        }
        EvpnRoute::MacIp(r) => {
            let want_mac = v["mac"].as_str().unwrap().replace('-', ":").to_lowercase();
            assert_eq!(mac_text(&r.mac), want_mac);
            let want_ip = v["ip"].as_str().map(|s| s.parse::<IpAddr>().unwrap());
            assert_eq!(r.ip, want_ip);
            assert_eq!(u64::from(r.label1.mpls_label()), label.unwrap());
        }
        EvpnRoute::InclusiveMulticast(r) => {
            assert_eq!(
                r.originator,
                v["ip"].as_str().unwrap().parse::<IpAddr>().unwrap()
            );
        }
        EvpnRoute::EthernetSegment(r) => {
            assert_eq!(
                r.originator,
                v["ip"].as_str().unwrap().parse::<IpAddr>().unwrap()
            );
        }
        EvpnRoute::IpPrefix(r) => {
            assert_eq!(r.prefix.prefix().to_string(), v["prefix"].as_str().unwrap());
            assert_eq!(
                r.prefix.gateway(),
                v["gateway"].as_str().unwrap().parse::<IpAddr>().unwrap()
            );
            assert_eq!(u64::from(r.label.mpls_label()), label.unwrap());
        }
        other => panic!("unexpected route {other:?}"),
    }
}

/// Walks the path attributes of one BGP UPDATE message (starting at its
/// marker) and returns the EVPN NLRI fields and the EXTENDED COMMUNITIES
/// values; `None` for messages this small walker cannot follow (non-EVPN
/// UPDATEs in the mixed corpora).
/// EVPN NLRI fields and EXTENDED COMMUNITIES values of one UPDATE.
type UpdateParts = (Vec<Vec<u8>>, Vec<Vec<u8>>);

fn update_parts(msg: &[u8]) -> Option<UpdateParts> {
    let mut nlri_fields = Vec::new();
    let mut ext_comms = Vec::new();
    let body = msg.get(19..)?;
    let wlen = usize::from(u16::from_be_bytes([*body.first()?, *body.get(1)?]));
    let alen = usize::from(u16::from_be_bytes([
        *body.get(2 + wlen)?,
        *body.get(3 + wlen)?,
    ]));
    let mut attrs = body.get(4 + wlen..4 + wlen + alen)?;
    while !attrs.is_empty() {
        let (flags, code) = (attrs[0], *attrs.get(1)?);
        let (len, hdr) = if flags & 0x10 != 0 {
            (
                usize::from(u16::from_be_bytes([*attrs.get(2)?, *attrs.get(3)?])),
                4,
            )
        } else {
            (usize::from(*attrs.get(2)?), 3)
        };
        let value = attrs.get(hdr..hdr + len)?;
        match code {
            14 if value.get(..3)? == [0, 25, 70] => {
                let nh = usize::from(value[3]);
                nlri_fields.push(value.get(4 + nh + 1..)?.to_vec());
            }
            15 if value.get(..3)? == [0, 25, 70] => nlri_fields.push(value[3..].to_vec()),
            16 => ext_comms.push(value.to_vec()),
            _ => {}
        }
        attrs = &attrs[hdr + len..];
    }
    Some((nlri_fields, ext_comms))
}

/// Every BGP UPDATE in a capture file, found by its 16-octet marker.
fn updates_in(file: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 19 <= file.len() {
        if file[i..i + 16].iter().all(|&b| b == 0xff) {
            let len = usize::from(u16::from_be_bytes([file[i + 16], file[i + 17]]));
            if (19..=4096).contains(&len) && i + len <= file.len() {
                if file[i + 18] == 2 {
                    out.push(file[i..i + len].to_vec());
                }
                i += len;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn yabgp_evpn_nlri_and_esi() {
    let doc = json("yabgp/bgp/yabgp-vectors.json");
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        if case["file"] != "test_evpn.py" {
            continue;
        }
        let test = case["test"].as_str().unwrap();
        let bytes: Vec<Vec<u8>> = case["bytes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| unhex(b.as_str().unwrap()))
            .collect();
        if test.contains("ethernet_segment_identifier") {
            for raw in &bytes {
                let esi = Esi::decode(raw).unwrap();
                assert_eq!(esi.to_bytes().to_vec(), *raw);
                assert_eq!(esi.esi_type(), raw[0]);
                checked += 1;
            }
            let last = Esi::decode(bytes.last().unwrap()).unwrap();
            let want = &case["values"]["date_list"]["value"];
            let Esi::As {
                asn,
                local_discriminator,
                ..
            } = last
            else {
                panic!("{last:?}")
            };
            assert_eq!(u64::from(asn), want["as_num"].as_u64().unwrap());
            assert_eq!(
                u64::from(local_discriminator),
                want["ld_value"].as_u64().unwrap()
            );
            continue;
        }
        let routes = nlri_roundtrip(&bytes[0], false);
        let want = case["values"]["data_list"].as_array().unwrap();
        assert_eq!(routes.len(), want.len(), "{test}");
        for (r, w) in routes.iter().zip(want) {
            check_yabgp_route(r, w);
        }
        checked += 1;
    }
    assert!(checked >= 16, "only {checked} vectors checked");
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn yabgp_mp_reach_and_communities() {
    let doc = json("yabgp/bgp/yabgp-vectors.json");
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let test = case["test"].as_str().unwrap();
        let bytes: Vec<Vec<u8>> = case["bytes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| unhex(b.as_str().unwrap()))
            .collect();
        if file == "test_mpreachnlri.py" && test.contains("l2vpn_evpn") {
            // An MP_REACH_NLRI attribute: flags, type, length (1 or 2 octets).
            let attr = &bytes[0];
            let hdr = if attr[0] & 0x10 != 0 { 4 } else { 3 };
            let value = &attr[hdr..];
            assert_eq!(&value[..3], &[0, 25, 70]);
            let nh = usize::from(value[3]);
            let routes = nlri_roundtrip(&value[4 + nh + 1..], false);
            let want = case["values"]["data_dict"]["nlri"].as_array().unwrap();
            for (r, w) in routes.iter().zip(want) {
                check_yabgp_route(r, w);
            }
            checked += 1;
        } else if file == "test_extcommunity.py" {
            for raw in &bytes {
                // Some vectors include the attribute header c0 10 08.
                let value = if raw.len() == 11 { &raw[3..] } else { &raw[..] };
                match decode_extended_communities(value) {
                    Ok(list) => {
                        let mut out = Vec::new();
                        encode_extended_communities(&list, &mut out);
                        assert_eq!(out, value, "{test}");
                        checked += 1;
                    }
                    Err(e) => {
                        assert!(test.contains("invalid_length"), "{test}: {e}");
                        checked += 1;
                    }
                }
            }
            if let Some(list) = case["values"]["community_list"].as_array() {
                let value = if bytes[0].len() == 11 {
                    &bytes[0][3..]
                } else {
                    &bytes[0][..]
                };
                let ours = decode_extended_communities(value).unwrap();
                let code = list[0][0].as_u64().unwrap();
                assert_eq!(
                    code,
                    u64::from(ours[0].type_byte()) << 8 | u64::from(ours[0].subtype())
                );
                match ours[0] {
                    ExtendedCommunity::MacMobility(m) => {
                        assert_eq!(u64::from(m.flags), list[0][1].as_u64().unwrap());
                        assert_eq!(u64::from(m.sequence()), list[0][2].as_u64().unwrap());
                    }
                    ExtendedCommunity::EsiLabel(e) => {
                        assert_eq!(u64::from(e.flags), list[0][1].as_u64().unwrap());
                        assert_eq!(
                            u64::from(e.label.mpls_label()),
                            list[0][2].as_u64().unwrap()
                        );
                    }
                    ExtendedCommunity::Encapsulation(e) => {
                        assert_eq!(u64::from(e.tunnel_type.0), list[0][1].as_u64().unwrap());
                    }
                    ExtendedCommunity::EsImportRouteTarget(m) => {
                        let want = list[0][1].as_str().unwrap().replace('-', ":");
                        assert_eq!(mac_text(&m.0), want.to_lowercase());
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(checked >= 20, "only {checked} vectors checked");
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn curated_extended_communities() {
    let doc = json("curated/bgp/evpn-extcommunities-from-unit-tests.json");
    let vectors = doc["vectors"].as_array().unwrap();
    for v in vectors {
        let raw = unhex(v["full_hex"].as_str().unwrap());
        let c = ExtendedCommunity::decode(&raw).unwrap();
        assert_eq!(c.to_bytes().to_vec(), raw);
        let f = &v["tshark_4_0_17_fields"];
        let field = |k: &str| f[k].as_str().map(str::to_owned);
        let num = |k: &str| {
            field(k).map(|s| {
                s.strip_prefix("0x").map_or_else(
                    || s.parse::<u64>().unwrap(),
                    |h| u64::from_str_radix(h, 16).unwrap(),
                )
            })
        };
        assert_eq!(num("bgp.ext_com.type"), Some(u64::from(c.type_byte())));
        match c {
            ExtendedCommunity::MacMobility(m) => {
                assert_eq!(
                    num("bgp.ext_com_evpn.mmac.seq"),
                    Some(u64::from(m.sequence()))
                );
                assert_eq!(num("bgp.ext_com_evpn.mmac.flags"), Some(u64::from(m.flags)));
                assert_eq!(
                    num("bgp.ext_com_evpn.mmac.flags.sticky"),
                    Some(u64::from(m.is_sticky()))
                );
            }
            ExtendedCommunity::EsiLabel(e) => {
                assert_eq!(
                    num("bgp.ext_com_l2.esi_label_flag"),
                    Some(u64::from(e.is_single_active()))
                );
                if let Some(l) = num("bgp.update.path_attribute.mpls_label_value_20bits") {
                    assert_eq!(l, u64::from(e.label.mpls_label()));
                }
                if let Some(l) = num("bgp.update.path_attribute.mpls_label_value") {
                    assert_eq!(l, u64::from(e.label.vni()));
                }
            }
            ExtendedCommunity::EsImportRouteTarget(m) => {
                assert_eq!(field("bgp.ext_com_evpn.esi.rt"), Some(mac_text(&m.0)));
            }
            ExtendedCommunity::RouterMac(m) => {
                assert_eq!(
                    field("bgp.ext_com_evpn.esi.router_mac"),
                    Some(mac_text(&m.0))
                );
            }
            ExtendedCommunity::Layer2Attributes(l) => {
                assert_eq!(
                    num("bgp.ext_com_evpn.l2attr.l2_mtu"),
                    Some(u64::from(l.l2_mtu))
                );
                assert_eq!(
                    num("bgp.ext_com_evpn.l2attr.flags"),
                    Some(u64::from(l.control_flags))
                );
            }
            ExtendedCommunity::Encapsulation(e) => {
                assert_eq!(
                    num("bgp.ext_com.tunnel_type"),
                    Some(u64::from(e.tunnel_type.0))
                );
                assert_eq!(e.tunnel_type, TunnelType::VXLAN);
            }
            ExtendedCommunity::DefaultGateway(d) => assert_eq!(d.value, [0; 6]),
            other => panic!("unexpected community {other:?}"),
        }
    }
    assert_eq!(vectors.len(), 17);

    let doc = json("curated/bgp/extcommunities-from-captures.json");
    let all = doc["communities"].as_array().unwrap();
    for c in all {
        let raw = unhex(c["hex"].as_str().unwrap());
        let ours = ExtendedCommunity::decode(&raw).unwrap();
        assert_eq!(ours.to_bytes().to_vec(), raw);
        let f = &c["tshark_fields"];
        let admin = match ours {
            ExtendedCommunity::RouteTarget(rt) => Some(rt.admin),
            ExtendedCommunity::RouteOrigin(ro) => Some(ro.admin),
            _ => None,
        };
        if let Some(GlobalAdmin::As2 { asn, local }) = admin {
            assert_eq!(
                f["bgp.ext_com.value_as2"].as_str(),
                Some(asn.to_string().as_str())
            );
            assert_eq!(
                f["bgp.ext_com.value_an4"].as_str(),
                Some(local.to_string().as_str())
            );
        }
        if raw[0] == 0x06 {
            assert!(
                !matches!(ours, ExtendedCommunity::Unknown { .. }),
                "{ours:?}"
            );
        }
    }
    assert_eq!(all.len(), 35);
}

/// Route types TShark names in a `.tshark.txt` decode.
fn tshark_route_types(rel: &str) -> Vec<u8> {
    let text = String::from_utf8(read(rel)).unwrap();
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("Route Type: "))
        .filter_map(|l| {
            let open = l.rfind('(')?;
            l[open + 1..l.len() - 1].parse().ok()
        })
        .collect()
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn captures_with_evpn_updates() {
    let captures = [
        ("os-ken/bgp/pcap/evpn_esi_arbitrary", false),
        ("os-ken/bgp/pcap/evpn_esi_as_based", false),
        ("os-ken/bgp/pcap/evpn_esi_l2_bridge", false),
        ("os-ken/bgp/pcap/evpn_esi_lacp", false),
        ("os-ken/bgp/pcap/evpn_esi_mac_base", false),
        ("os-ken/bgp/pcap/evpn_esi_router_id", false),
        ("os-ken/bgp/pcap/evpn_nlri_eth_a-d", false),
        ("os-ken/bgp/pcap/evpn_nlri_eth_seg", false),
        ("os-ken/bgp/pcap/evpn_nlri_inc_multi_eth_tag", false),
        ("os-ken/bgp/pcap/evpn_nlri_ip_prefix", false),
        ("os-ken/bgp/pcap/evpn_nlri_mac_ip_ad", false),
        ("exabgp/bgp/qa-decoding", false),
        ("netgauze/bgp/pcap/bmp-evpn/evpn", false),
    ];
    let mut esi_types = std::collections::BTreeSet::new();
    for (base, add_path) in captures {
        let file = read(&format!("{base}.pcap"));
        let mut ours = Vec::new();
        let mut comms = 0;
        for msg in updates_in(&file) {
            let Some((fields, ext)) = update_parts(&msg) else {
                continue;
            };
            for field in fields {
                for route in nlri_roundtrip(&field, add_path) {
                    if let Some(esi) = route.esi() {
                        esi_types.insert(esi.esi_type());
                    }
                    ours.push(route.route_type());
                }
            }
            for value in ext {
                let list = decode_extended_communities(&value).unwrap();
                let mut out = Vec::new();
                encode_extended_communities(&list, &mut out);
                assert_eq!(out, value);
                comms += list.len();
            }
        }
        let theirs = tshark_route_types(&format!("{base}.tshark.txt"));
        assert_eq!(ours, theirs, "{base}: route types differ from tshark");
        assert!(!ours.is_empty(), "{base}: no EVPN route found");
        eprintln!(
            "{base}: {} EVPN routes, {comms} communities, byte-identical",
            ours.len()
        );
    }
    assert_eq!(
        esi_types.into_iter().collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4, 5]
    );
}

// ---------------------------------------------------------------------------
// Message layer: every BGP message of the captures and hex vectors decodes
// and re-encodes byte-identical.

use bgp_evpn_wire::attribute::{AttributeValue, MpNlri, type_code};
use bgp_evpn_wire::message::{DecodingContext, Message, UpdateOutcome};
use bgp_evpn_wire::types::AfiSafi;

/// Every BGP message in a capture, found by marker (any type).
fn messages_in(file: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 19 <= file.len() {
        if file[i..i + 16].iter().all(|&b| b == 0xff) {
            let len = usize::from(u16::from_be_bytes([file[i + 16], file[i + 17]]));
            if (19..=4096).contains(&len)
                && i + len <= file.len()
                && (1..=5).contains(&file[i + 18])
            {
                out.push(file[i..i + len].to_vec());
                i += len;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The contexts tried, in order: 4-octet AS (today's default), then 2-octet.
fn contexts() -> [DecodingContext; 2] {
    [
        DecodingContext::new().with_four_octet_as(true),
        DecodingContext::new(),
    ]
}

/// Decodes with the first context that accepts the message and re-encodes.
fn decode_identical(msg: &[u8]) -> Result<(Message, DecodingContext), String> {
    let mut errs = Vec::new();
    for ctx in contexts() {
        match Message::decode(msg, &ctx) {
            Ok(m) => {
                let out = m.to_bytes(&ctx);
                if out == msg {
                    return Ok((m, ctx));
                }
                errs.push(format!("re-encode differs: {}", hex(&out)));
            }
            Err(e) => errs.push(e.to_string()),
        }
    }
    Err(errs.join("; "))
}

/// Decodes a message of a capture strictly; the result must re-encode
/// byte-identical. The os-ken EVPN captures carry MP_REACH_NLRI alone:
/// `Message::decode` accepts them (a missing well-known attribute is not a
/// wire-format problem) and the RFC 7606 outcome reports only the missing
/// attributes.
fn decode_capture_message(msg: &[u8]) -> Message {
    match decode_identical(msg) {
        Ok((m, ctx)) => {
            if m.msg_type() == 2 {
                let o = UpdateOutcome::decode(msg, &ctx).unwrap();
                assert_eq!(Message::Update(o.update.clone()), m);
                assert!(
                    o.problems.iter().all(|p| matches!(
                        p.error,
                        bgp_evpn_wire::Error::MissingWellKnownAttribute { .. }
                    )),
                    "{}: {:?}",
                    hex(msg),
                    o.problems
                );
            }
            m
        }
        Err(strict) => panic!("{}: {strict}", hex(msg)),
    }
}

/// The messages of one capture, by TCP payload: a minimal pcap reader
/// (Ethernet, IPv4/IPv6, TCP) that joins each flow's payloads in order.
fn tcp_streams(file: &[u8]) -> Vec<Vec<u8>> {
    use std::collections::BTreeMap;
    let mut flows: BTreeMap<Vec<u8>, (Option<u32>, Vec<u8>)> = BTreeMap::new();
    let mut i = 24;
    while i + 16 <= file.len() {
        let incl = u32::from_le_bytes(file[i + 8..i + 12].try_into().unwrap()) as usize;
        let pkt = &file[i + 16..(i + 16 + incl).min(file.len())];
        i += 16 + incl;
        let mut off = 12;
        let mut ethertype = u16::from_be_bytes([pkt[off], pkt[off + 1]]);
        while ethertype == 0x8100 {
            off += 4;
            ethertype = u16::from_be_bytes([pkt[off], pkt[off + 1]]);
        }
        off += 2;
        let (src, dst, proto, l4) = match ethertype {
            0x0800 => {
                let ihl = usize::from(pkt[off] & 0x0f) * 4;
                let total = usize::from(u16::from_be_bytes([pkt[off + 2], pkt[off + 3]]));
                let ip = &pkt[off..(off + total).min(pkt.len())];
                (ip[12..16].to_vec(), ip[16..20].to_vec(), ip[9], &ip[ihl..])
            }
            0x86dd => {
                let plen = usize::from(u16::from_be_bytes([pkt[off + 4], pkt[off + 5]]));
                let ip = &pkt[off..(off + 40 + plen).min(pkt.len())];
                (ip[8..24].to_vec(), ip[24..40].to_vec(), ip[6], &ip[40..])
            }
            _ => continue,
        };
        if proto != 6 || l4.len() < 20 {
            continue;
        }
        let seq = u32::from_be_bytes(l4[4..8].try_into().unwrap());
        let payload = &l4[usize::from(l4[12] >> 4) * 4..];
        let key = [src, l4[0..2].to_vec(), dst, l4[2..4].to_vec()].concat();
        let (next, data) = flows.entry(key).or_default();
        if payload.is_empty() {
            continue;
        }
        let skip = match *next {
            Some(n) => n.wrapping_sub(seq) as usize,
            None => 0,
        };
        if skip < payload.len() {
            data.extend_from_slice(&payload[skip..]);
            *next = Some(seq.wrapping_add(payload.len() as u32));
        } else if next.is_none() {
            *next = Some(seq.wrapping_add(payload.len() as u32));
        }
    }
    flows.into_values().map(|(_, d)| d).collect()
}

/// A capture's BGP messages: whole TCP streams split at BGP markers.
fn capture_messages(rel: &str) -> Vec<Vec<u8>> {
    tcp_streams(&read(rel))
        .iter()
        .flat_map(|s| messages_in(s))
        .collect()
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn oskn_captures_every_message() {
    let mut files: Vec<String> = std::fs::read_dir(vectors_dir().join("os-ken/bgp/pcap"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".pcap"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 25);
    for f in files {
        let msgs = capture_messages(&format!("os-ken/bgp/pcap/{f}"));
        assert!(!msgs.is_empty(), "{f}");
        for raw in msgs {
            let m = decode_capture_message(&raw);
            match (f.split(['-', '_', '.']).next().unwrap(), &m) {
                ("bgp4", Message::Keepalive) => assert!(f.contains("keepalive")),
                ("bgp4", Message::Open(o)) => {
                    assert!(f.contains("open"));
                    assert_eq!(o.version, 4);
                }
                ("bgp4", Message::Update(u)) => {
                    assert!(f.contains("update"));
                    let v6 = f.contains("ipv6") || f.contains("vpnv6");
                    let mp = u.mp_reach().is_some() || u.mp_unreach().is_some();
                    assert_eq!(mp, v6, "{f}");
                }
                ("evpn", Message::Update(u)) => {
                    let r = u.mp_reach().unwrap();
                    assert_eq!(r.family(), AfiSafi::EVPN);
                    assert!(matches!(r.nlri, MpNlri::Evpn(ref n) if n.len() == 1));
                }
                ("flowspec", Message::Update(u)) => {
                    let fam = u.mp_reach().unwrap().family();
                    assert!(matches!(fam.safi.0, 133 | 134), "{f}: {fam}");
                    assert!(matches!(u.mp_reach().unwrap().nlri, MpNlri::Other(_)));
                }
                (_, other) => panic!("{f}: unexpected {other:?}"),
            }
        }
        eprintln!("{f}: byte-identical");
    }
}

/// ExaBGP's attribute names in its JSON, by type code.
fn exabgp_name(code: u8) -> &'static str {
    match code {
        1 => "origin",
        2 => "as-path",
        4 => "med",
        5 => "local-preference",
        6 => "atomic-aggregate",
        7 => "aggregator",
        8 => "community",
        9 => "originator-id",
        10 => "cluster-list",
        16 => "extended-community",
        23 => "tunnel-encap",
        29 => "bgp-ls",
        32 => "large-community",
        40 => "bgp-prefix-sid",
        _ => "other",
    }
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn exabgp_qa_decoding_messages() {
    let cases = json("exabgp/bgp/qa-decoding.cases.json");
    let mut checked = 0;
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let msg = unhex(case["hex"].as_str().unwrap());
        let kind = case["kind"].as_str().unwrap();
        if kind.starts_with("nlri") {
            // A bare BGP-LS NLRI wrapped in a header: not an UPDATE.
            let e = Message::decode(&msg, &contexts()[0]).unwrap_err();
            assert_eq!(e.notification_code(), Some((3, 1)), "{name}");
            continue;
        }
        let (m, _) = decode_identical(&msg).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = &case["expected_exabgp_json"];
        match m {
            Message::Open(o) => {
                assert!(kind.starts_with("open"));
                assert_eq!(o.version, 4);
            }
            Message::Update(u) => {
                assert!(kind.starts_with("update"), "{name}");
                let want = &expected["neighbor"]["message"]["update"];
                let want_attrs: std::collections::BTreeSet<String> = want["attribute"]
                    .as_object()
                    .map(|o| o.keys().cloned().collect())
                    .unwrap_or_default();
                let ours: std::collections::BTreeSet<String> = u
                    .attributes
                    .iter()
                    .filter(|a| !matches!(a.type_code(), 3 | 14 | 15))
                    .filter(
                        |a| !matches!(&a.value, AttributeValue::AsPath(p) if p.segments.is_empty()),
                    )
                    .map(|a| exabgp_name(a.type_code()).to_string())
                    .collect();
                assert_eq!(ours, want_attrs, "{name}: attribute set");
                if let Some(path) = want["attribute"]["as-path"]["0"]["value"].as_array() {
                    let want: Vec<u32> = path.iter().map(|v| v.as_u64().unwrap() as u32).collect();
                    assert_eq!(
                        u.as_path().unwrap().asns().collect::<Vec<_>>(),
                        want,
                        "{name}"
                    );
                }
                for (dir, fams) in want.as_object().unwrap() {
                    let Some(fams) = fams.as_object().filter(|_| dir != "attribute") else {
                        continue;
                    };
                    for (fam, v) in fams {
                        let (nh, count) = match (dir.as_str(), v) {
                            ("announce", Value::Object(by_nh)) => {
                                assert_eq!(by_nh.len(), 1, "{name}");
                                let (nh, list) = by_nh.iter().next().unwrap();
                                (Some(nh.clone()), list.as_array().unwrap().len())
                            }
                            (_, Value::Array(list)) => (None, list.len()),
                            other => panic!("{name}: {other:?}"),
                        };
                        let (our_nh, nlri) = if fam == "ipv4 unicast" {
                            (u.next_hop().map(|a| a.to_string()), Some(u.nlri.len()))
                        } else if dir == "announce" {
                            let r = u.mp_reach().unwrap();
                            let nh = r
                                .next_hop
                                .addr()
                                .map_or("no-nexthop".into(), |a| a.to_string());
                            (Some(nh), r.nlri.route_count())
                        } else {
                            (None, u.mp_unreach().unwrap().nlri.route_count())
                        };
                        if let Some(nh) = nh {
                            assert_eq!(our_nh.as_deref(), Some(nh.as_str()), "{name}: next hop");
                        }
                        if let Some(n) = nlri {
                            assert_eq!(n, count, "{name}: NLRI count of {fam}");
                        }
                    }
                }
            }
            other => panic!("{name}: {other:?}"),
        }
        checked += 1;
    }
    assert_eq!(checked, 21);
    // The capture of the same messages, split from its TCP streams.
    let msgs = capture_messages("exabgp/bgp/qa-decoding.pcap");
    let decoded = msgs.iter().filter(|m| decode_identical(m).is_ok()).count();
    assert_eq!((msgs.len(), decoded), (22, 21));
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn yabgp_whole_messages() {
    let v = json("yabgp/bgp/yabgp-vectors.json");
    let mut n = 0;
    for case in v["cases"].as_array().unwrap() {
        for b in case["bytes"].as_array().unwrap() {
            let b = b.as_str().unwrap();
            if !b
                .to_lowercase()
                .starts_with("ffffffffffffffffffffffffffffffff")
            {
                continue;
            }
            let msg = unhex(b);
            let (m, _) = decode_identical(&msg).unwrap_or_else(|e| panic!("{}: {e}", case["test"]));
            let Message::Update(u) = m else { panic!() };
            let hoped = &case["values"]["data_hoped"];
            let attrs = hoped.get("attr").unwrap_or(hoped);
            if let Some(o) = attrs["1"].as_u64() {
                assert_eq!(u64::from(u.origin().unwrap() as u8), o);
            }
            if let Some(lp) = attrs["5"].as_u64() {
                assert_eq!(
                    u.attribute(type_code::LOCAL_PREF),
                    Some(&AttributeValue::LocalPref(lp as u32))
                );
            }
            if let Some(med) = attrs["4"].as_u64() {
                assert_eq!(
                    u.attribute(type_code::MULTI_EXIT_DISC),
                    Some(&AttributeValue::MultiExitDisc(med as u32))
                );
            }
            if let Some(af) = attrs["14"]["afi_safi"].as_array() {
                let fam = u.mp_reach().unwrap().family();
                assert_eq!(
                    (u64::from(fam.afi.0), u64::from(fam.safi.0)),
                    (af[0].as_u64().unwrap(), af[1].as_u64().unwrap())
                );
            }
            n += 1;
        }
    }
    assert_eq!(n, 3);
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn netgauze_multi_session_capture() {
    let msgs = capture_messages("netgauze/bgp/pcap/bgp-multiple-sessions/traffic.pcap");
    let mut types = std::collections::BTreeMap::new();
    for raw in &msgs {
        let m = decode_capture_message(raw);
        *types.entry(m.msg_type()).or_insert(0) += 1;
        if let Message::Open(o) = &m {
            assert_eq!(o.version, 4);
        }
    }
    eprintln!(
        "netgauze multi-session: {} messages by type {types:?}, byte-identical",
        msgs.len()
    );
    assert!(types.contains_key(&1) && types.contains_key(&2) && types.contains_key(&4));
}

#[test]
#[ignore = "needs ../shared/vectors; run by scripts/conformance.sh"]
fn netgauze_bmp_embedded_messages() {
    // BMP Route Monitoring messages embed BGP UPDATEs; the peers use 4-octet AS.
    let msgs = capture_messages("netgauze/bgp/pcap/bmp-evpn/evpn.pcap");
    let mut evpn = 0;
    for raw in &msgs {
        if let Message::Update(u) = decode_capture_message(raw)
            && u.mp_reach().is_some_and(|r| r.family() == AfiSafi::EVPN)
        {
            evpn += 1;
        }
    }
    eprintln!(
        "netgauze BMP: {} embedded messages, {evpn} EVPN UPDATEs, byte-identical",
        msgs.len()
    );
    assert!(evpn > 0);
}
