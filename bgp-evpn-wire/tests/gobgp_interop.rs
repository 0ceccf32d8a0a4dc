//! Interoperability with GoBGP (`gobgpd`/`gobgp` 3.10, Debian package
//! `gobgpd`), a real EVPN speaker nobody here wrote, with `tshark` as a
//! second, independent decoder.
//!
//! Every daemon runs on the host's loopback only: gobgpd "A" (AS 65001)
//! listens on 127.0.0.1, gobgpd "B" (AS 65002) connects to it from
//! 127.0.0.2, and the test speaker (AS 65003) listens on 127.0.0.3 for A.
//! Ports are free ones picked at run time (BGP port 179 only when writing
//! the sample); the gRPC APIs listen on 127.0.0.1, pprof is disabled, and
//! every process is killed on drop, also when a test fails.
//!
//! * `gobgp_cli_routes_decode_like_tshark`: A and B peer over l2vpn-evpn
//!   while dumpcap records the session. The `gobgp` CLI originates every
//!   EVPN route kind it can make (MAC/IP with and without IP, IPv4 and
//!   IPv6, one and two labels, ESIs of several types, route targets,
//!   VXLAN encapsulation, Router's MAC, Default Gateway; Inclusive
//!   Multicast with PMSI ingress replication; IP Prefix with gateway; A-D
//!   with ESI label; Ethernet Segment), makes GoBGP attach MAC Mobility
//!   sequence numbers itself (the same MAC learned locally after a remote
//!   advertisement, RFC 7432 section 15), then withdraws some routes. Every
//!   captured BGP message must decode with this crate field by field like
//!   tshark decodes it (message type and length, OPEN fields and
//!   capabilities, attribute types and flags, origin, AS path, next hop,
//!   AFI/SAFI, PMSI tunnel; per EVPN NLRI route type, length, RD, ESI and
//!   its typed parts, Ethernet tag, MAC, IP, prefix, gateway, originator,
//!   labels; per extended community type, sub-type and values, MAC
//!   Mobility flags/sticky/sequence) and re-encode byte-identical.
//! * `our_speaker_updates_land_in_gobgp_rib`: a test-only BGP speaker
//!   (plain `std::net::TcpStream`, every message built and parsed by this
//!   crate, framed with its `Framer`) peers with A and sends UPDATEs this
//!   crate encodes; `gobgp global rib -a evpn -j` must show exactly what we
//!   meant. The session (and A's re-advertisement to B) is captured and
//!   checked against tshark like the first test.
//!
//! # What GoBGP does with the migration-in-progress flag
//!
//! GoBGP 3.10 decodes the MAC Mobility flags octet into a single boolean,
//! `IsSticky = flags != 0`. A MAC Mobility community with only the
//! paper's in-progress bit (flags 0x02) therefore shows up in its RIB as
//! sticky (`"is_sticky": true`), and when it re-advertises the route it
//! writes flags 0x01: the in-progress bit is lost and a sticky bit appears
//! in its place. The second test asserts both: what A's RIB reports and the
//! flags octet on the wire from A to B. A controller that relies on the
//! in-progress bit must not let such a speaker (or route reflector) sit
//! between the sites, and must not read sticky from a GoBGP-relayed route
//! as "static MAC" without care.
//!
//! Labels: GoBGP stores and shows the 3-octet label field of EVPN routes as
//! a raw 24-bit number (`label 10100` puts 0x002774 on the wire, which
//! tshark shows as MPLS label 631); the tests assert this too.
//!
//! These tests need `gobgpd`/`gobgp` (Debian `gobgpd`), `tshark` and
//! `dumpcap` (Debian `tshark`) and the right to capture on `lo` (root);
//! they are `#[ignore]`d so that a plain `cargo test` skips them and fail
//! with a clear message when a tool is missing. CI runs
//! `cargo test -p bgp-evpn-wire --test gobgp_interop -- --ignored --test-threads=1`.
//!
//! With `WRITE_SAMPLE=/path/to/file.pcapng` the second test uses BGP port
//! 179 for both sessions (so tools decode it without hints) and, after
//! checking it, writes its capture there: that is how
//! `samples/bgp-evpn-gobgp.pcapng` is made (see `samples/README.md` and
//! `scripts/interop.sh bgp`).

mod routes;

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use bgp_evpn_wire::attribute::{
    AS_TRANS, Aggregator, AsPath, AttributeValue, MpNextHop, MpNlri, MpUnreach,
    PmsiTunnelIdentifier,
};
use bgp_evpn_wire::evpn::{EvpnNlri, EvpnRoute};
use bgp_evpn_wire::extcomm::{
    EsImportRouteTarget, ExtendedCommunities, ExtendedCommunity, GlobalAdmin, MacMobility,
    RouteTarget, RouterMac, TunnelType,
};
use bgp_evpn_wire::message::{
    Capability, DecodingContext, Frame, Framer, Message, Open, OptionalParameter, Update,
};
use bgp_evpn_wire::types::{Esi, EthernetTag, LabelField, LabelMeaning, RouteDistinguisher};
use macaddr::MacAddr6;
use routes::*;
use serde_json::Value;
use testkit::bgp::{GobgpNeighbor as Neighbor, Gobgpd, Speaker, evpn_open};
use testkit::{
    Capture, Preflight, TempDir, free_tcp_port, pcapng_frames, run, tcp_port_filter, tcp_segment,
};

const IGNORE_NOTE: &str = "These tests are #[ignore]d for that reason; CI runs them via `.ci/run` \
     (Debian packages: gobgpd, tshark).";

// ---------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------

/// Fails loudly (never skips) when the environment cannot run the test.
fn preflight() {
    Preflight::new("GoBGP interop test")
        .tools(&[
            ("gobgpd", "gobgpd"),
            ("gobgp", "gobgpd"),
            ("dumpcap", "tshark (wireshark-common)"),
            ("tshark", "tshark"),
        ])
        .root("to capture on `lo` with dumpcap")
        .note(IGNORE_NOTE)
        .check();
}

// ---------------------------------------------------------------------------
// gobgpd
// ---------------------------------------------------------------------------

const A_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const B_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
const S_ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
const A_AS: u32 = 65001;
const B_AS: u32 = 65002;

// ---------------------------------------------------------------------------
// Reading the capture: pcapng -> TCP payload per direction -> BGP messages
// ---------------------------------------------------------------------------

type Flow = (SocketAddr, SocketAddr);

/// The byte stream of every TCP direction, in capture order. Fails on a
/// gap or a retransmission (none on loopback).
fn tcp_streams(file: &[u8]) -> BTreeMap<Flow, Vec<u8>> {
    let mut next_seq: BTreeMap<Flow, u32> = BTreeMap::new();
    let mut streams: BTreeMap<Flow, Vec<u8>> = BTreeMap::new();
    for frame in pcapng_frames(file) {
        let Some(segment) = tcp_segment(&frame) else {
            continue;
        };
        let (flow, seq, payload) = ((segment.src, segment.dst), segment.seq, segment.payload);
        if segment.syn() {
            next_seq.insert(flow, seq.wrapping_add(1));
            streams.entry(flow).or_default();
            continue;
        }
        if payload.is_empty() {
            continue;
        }
        let expected = *next_seq
            .get(&flow)
            .unwrap_or_else(|| panic!("data before SYN on {flow:?}"));
        assert_eq!(seq, expected, "TCP gap or retransmission on {flow:?}");
        next_seq.insert(flow, seq.wrapping_add(payload.len() as u32));
        streams.entry(flow).or_default().extend_from_slice(payload);
    }
    streams
}

/// Splits a stream into BGP messages with the crate's framer.
fn frame_messages(stream: &[u8]) -> Vec<Vec<u8>> {
    let mut framer = Framer::new();
    framer.push(stream);
    let mut out = Vec::new();
    while let Frame::Message(m) = framer.poll().expect("well-framed BGP stream") {
        out.push(m);
    }
    assert_eq!(
        framer.buffered(),
        0,
        "partial BGP message at the end of a stream"
    );
    out
}

// ---------------------------------------------------------------------------
// Field views: ours and tshark's, over the same field names
// ---------------------------------------------------------------------------

/// tshark field name -> values (a multiset, sorted).
type Fields = BTreeMap<String, Vec<String>>;

/// One BGP message as a set of fields: message-level fields, and one group
/// of fields per EVPN NLRI (reachable or withdrawn) and per extended
/// community.
#[derive(Debug, Default, PartialEq, Eq)]
struct View {
    message: Fields,
    groups: Vec<(String, Fields)>,
}

impl View {
    fn normalize(&mut self) {
        for v in self.message.values_mut() {
            v.sort();
        }
        for (_, g) in &mut self.groups {
            for v in g.values_mut() {
                v.sort();
            }
        }
        self.groups.sort();
    }
}

/// The tshark fields compared, message level.
const MESSAGE_FIELDS: &[&str] = &[
    "bgp.type",
    "bgp.length",
    "bgp.open.version",
    "bgp.open.myas",
    "bgp.open.holdtime",
    "bgp.open.identifier",
    "bgp.cap.type",
    "bgp.cap.mp.afi",
    "bgp.cap.mp.safi",
    "bgp.cap.4as",
    "bgp.update.path_attribute.type_code",
    "bgp.update.path_attribute.flags",
    "bgp.update.path_attribute.origin",
    "bgp.update.path_attribute.as_path_segment.type",
    "bgp.update.path_attribute.as_path_segment.as4",
    "bgp.update.path_attribute.mp_reach_nlri.afi",
    "bgp.update.path_attribute.mp_reach_nlri.safi",
    "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4",
    "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6",
    "bgp.update.path_attribute.mp_unreach_nlri.afi",
    "bgp.update.path_attribute.mp_unreach_nlri.safi",
    "bgp.update.path_attribute.pmsi.tunnel.flags",
    "bgp.update.path_attribute.pmsi.tunnel.type",
    "bgp.update.path_attribute.pmsi.ingress_rep_ip",
    "bgp.update.path_attribute.mpls_label_value_20bits",
    "bgp.evpn.nlri.vni",
    "bgp.notify.major_error",
];

/// Per EVPN NLRI.
const NLRI_FIELDS: &[&str] = &[
    "bgp.evpn.nlri.rt",
    "bgp.evpn.nlri.len",
    "bgp.evpn.nlri.rd",
    "bgp.evpn.nlri.esi",
    "bgp.evpn.nlri.esi.type",
    "bgp.evpn.nlri.esi.lacp_mac",
    "bgp.evpn.nlri.esi.lacp_portkey",
    "bgp.evpn.nlri.esi.root_bridge",
    "bgp.evpn.nlri.esi.rb_prio",
    "bgp.evpn.nlri.esi.system_mac",
    "bgp.evpn.nlri.esi.router_id",
    "bgp.evpn.nlri.esi.asn",
    "bgp.evpn.nlri.etag",
    "bgp.evpn.nlri.maclen",
    "bgp.evpn.nlri.mac_addr",
    "bgp.evpn.nlri.iplen",
    "bgp.evpn.nlri.prefix_len",
    "bgp.evpn.nlri.ip.addr",
    "bgp.evpn.nlri.ipv6.addr",
    "bgp.evpn.nlri.ipv4.gtw_addr",
    "bgp.evpn.nlri.ipv6.gtw_addr",
    "bgp.evpn.nlri.mpls_ls1",
    "bgp.evpn.nlri.mpls_ls2",
    "bgp.update.path_attribute.mpls_label_value",
    "bgp.evpn.nlri.vni",
];

/// Per extended community.
const COMMUNITY_FIELDS: &[&str] = &[
    "bgp.ext_com.type",
    "bgp.ext_com.stype_tr_evpn",
    "bgp.ext_com.stype_tr_as2",
    "bgp.ext_com.stype_tr_as4",
    "bgp.ext_com.stype_tr_IP4",
    "bgp.ext_com.stype_tr_opaque",
    "bgp.ext_com.value_as2",
    "bgp.ext_com.value_as4",
    "bgp.ext_com.value_IP4",
    "bgp.ext_com.value_an2",
    "bgp.ext_com.value_an4",
    "bgp.ext_com.tunnel_type",
    "bgp.ext_com_evpn.mmac.flags",
    "bgp.ext_com_evpn.mmac.flags.sticky",
    "bgp.ext_com_evpn.mmac.seq",
    "bgp.ext_com_evpn.esi.rt",
    "bgp.ext_com_evpn.esi.router_mac",
    "bgp.ext_com_l2.esi_label_flag",
    "bgp.update.path_attribute.mpls_label_value",
    "bgp.update.path_attribute.mpls_label_value_20bits",
    "bgp.update.path_attribute.mpls_bottom_stack",
];

fn hex_colon(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn mac_text(m: &MacAddr6) -> String {
    hex_colon(&m.into_array())
}

fn put(f: &mut Fields, name: &str, value: impl ToString) {
    f.entry(name.to_owned())
        .or_default()
        .push(value.to_string());
}

fn put_ip(f: &mut Fields, v4: &str, v6: &str, ip: IpAddr) {
    match ip {
        IpAddr::V4(a) => put(f, v4, a),
        IpAddr::V6(a) => put(f, v6, a),
    }
}

fn esi_fields(f: &mut Fields, esi: &Esi) {
    put(f, "bgp.evpn.nlri.esi", hex_colon(&esi.to_bytes()));
    put(f, "bgp.evpn.nlri.esi.type", esi.esi_type());
    match esi {
        Esi::Lacp {
            system_mac,
            port_key,
            ..
        } => {
            put(f, "bgp.evpn.nlri.esi.lacp_mac", mac_text(system_mac));
            put(f, "bgp.evpn.nlri.esi.lacp_portkey", port_key);
        }
        Esi::L2Bridge {
            root_bridge_mac,
            priority,
            ..
        } => {
            put(
                f,
                "bgp.evpn.nlri.esi.root_bridge",
                mac_text(root_bridge_mac),
            );
            put(f, "bgp.evpn.nlri.esi.rb_prio", priority);
        }
        Esi::MacBased { system_mac, .. } => {
            put(f, "bgp.evpn.nlri.esi.system_mac", mac_text(system_mac));
        }
        Esi::RouterId { router_id, .. } => put(f, "bgp.evpn.nlri.esi.router_id", router_id),
        Esi::As { asn, .. } => put(f, "bgp.evpn.nlri.esi.asn", asn),
        _ => {}
    }
}

/// `vni`: whether tshark reads labels as VNIs here: it does when an
/// Encapsulation community saying VXLAN came *before* the NLRI in the
/// captured frame (wire order of the attributes; earlier UPDATEs of the same
/// TCP segment count too), and shows them as 20-bit MPLS labels otherwise.
fn nlri_fields(route: &EvpnRoute, vni: bool) -> Fields {
    let mut f = Fields::new();
    put(&mut f, "bgp.evpn.nlri.rt", route.route_type());
    put(&mut f, "bgp.evpn.nlri.len", route.encoded_len() - 2);
    if let Some(rd) = route.rd() {
        put(&mut f, "bgp.evpn.nlri.rd", hex_colon(&rd.to_bytes()));
    }
    if let Some(esi) = route.esi() {
        esi_fields(&mut f, esi);
    }
    if let Some(tag) = route.ethernet_tag() {
        put(&mut f, "bgp.evpn.nlri.etag", tag.value());
    }
    match route {
        EvpnRoute::EthernetAd(r) => label_field(&mut f, "bgp.evpn.nlri.mpls_ls1", r.label, vni),
        EvpnRoute::MacIp(r) => {
            put(&mut f, "bgp.evpn.nlri.maclen", 48);
            put(&mut f, "bgp.evpn.nlri.mac_addr", mac_text(&r.mac));
            match r.ip {
                None => put(&mut f, "bgp.evpn.nlri.iplen", 0),
                Some(ip) => {
                    put(
                        &mut f,
                        "bgp.evpn.nlri.iplen",
                        if ip.is_ipv4() { 32 } else { 128 },
                    );
                    put_ip(
                        &mut f,
                        "bgp.evpn.nlri.ip.addr",
                        "bgp.evpn.nlri.ipv6.addr",
                        ip,
                    );
                }
            }
            label_field(&mut f, "bgp.evpn.nlri.mpls_ls1", r.label1, vni);
            if let Some(l2) = r.label2 {
                label_field(&mut f, "bgp.evpn.nlri.mpls_ls2", l2, vni);
            }
        }
        EvpnRoute::InclusiveMulticast(r) => {
            let ip = r.originator;
            put(
                &mut f,
                "bgp.evpn.nlri.iplen",
                if ip.is_ipv4() { 32 } else { 128 },
            );
            put_ip(
                &mut f,
                "bgp.evpn.nlri.ip.addr",
                "bgp.evpn.nlri.ipv6.addr",
                ip,
            );
        }
        EvpnRoute::EthernetSegment(r) => {
            let ip = r.originator;
            put(
                &mut f,
                "bgp.evpn.nlri.iplen",
                if ip.is_ipv4() { 32 } else { 128 },
            );
            put_ip(
                &mut f,
                "bgp.evpn.nlri.ip.addr",
                "bgp.evpn.nlri.ipv6.addr",
                ip,
            );
        }
        EvpnRoute::IpPrefix(r) => {
            let prefix = r.prefix.prefix();
            put(&mut f, "bgp.evpn.nlri.prefix_len", prefix.prefix());
            put_ip(
                &mut f,
                "bgp.evpn.nlri.ip.addr",
                "bgp.evpn.nlri.ipv6.addr",
                prefix.ip(),
            );
            put_ip(
                &mut f,
                "bgp.evpn.nlri.ipv4.gtw_addr",
                "bgp.evpn.nlri.ipv6.gtw_addr",
                r.prefix.gateway(),
            );
            // tshark shows the whole 24-bit field here, under either name.
            let name = if vni {
                "bgp.evpn.nlri.vni"
            } else {
                "bgp.update.path_attribute.mpls_label_value"
            };
            put(&mut f, name, r.label.vni());
        }
        other => panic!(
            "route type {} not expected from GoBGP here",
            other.route_type()
        ),
    }
    f
}

fn label_field(f: &mut Fields, mpls_name: &str, label: LabelField, vni: bool) {
    if vni {
        put(f, "bgp.evpn.nlri.vni", label.vni());
    } else {
        put(f, mpls_name, label.mpls_label());
    }
}

fn community_fields(c: &ExtendedCommunity) -> Fields {
    let mut f = Fields::new();
    let t = c.type_byte();
    put(&mut f, "bgp.ext_com.type", format!("0x{t:02x}"));
    let stype = match t {
        0x00 => "bgp.ext_com.stype_tr_as2",
        0x01 => "bgp.ext_com.stype_tr_IP4",
        0x02 => "bgp.ext_com.stype_tr_as4",
        0x03 => "bgp.ext_com.stype_tr_opaque",
        0x06 => "bgp.ext_com.stype_tr_evpn",
        other => panic!("extended community type {other:#04x} not expected here"),
    };
    put(&mut f, stype, format!("0x{:02x}", c.subtype()));
    match c {
        ExtendedCommunity::RouteTarget(rt) => match rt.admin {
            GlobalAdmin::As2 { asn, local } => {
                put(&mut f, "bgp.ext_com.value_as2", asn);
                put(&mut f, "bgp.ext_com.value_an4", local);
            }
            GlobalAdmin::Ipv4 { addr, local } => {
                put(&mut f, "bgp.ext_com.value_IP4", addr);
                put(&mut f, "bgp.ext_com.value_an2", local);
            }
            GlobalAdmin::As4 { asn, local } => {
                put(&mut f, "bgp.ext_com.value_as4", asn);
                put(&mut f, "bgp.ext_com.value_an2", local);
            }
        },
        ExtendedCommunity::Encapsulation(e) => {
            put(&mut f, "bgp.ext_com.tunnel_type", e.tunnel_type.0)
        }
        ExtendedCommunity::MacMobility(m) => {
            put(
                &mut f,
                "bgp.ext_com_evpn.mmac.flags",
                format!("0x{:02x}", m.flags),
            );
            put(
                &mut f,
                "bgp.ext_com_evpn.mmac.flags.sticky",
                u8::from(m.is_sticky()),
            );
            put(&mut f, "bgp.ext_com_evpn.mmac.seq", m.sequence);
        }
        ExtendedCommunity::RouterMac(RouterMac(mac)) => {
            put(&mut f, "bgp.ext_com_evpn.esi.router_mac", mac_text(mac));
        }
        ExtendedCommunity::EsImportRouteTarget(EsImportRouteTarget(mac)) => {
            put(&mut f, "bgp.ext_com_evpn.esi.rt", mac_text(mac));
        }
        ExtendedCommunity::EsiLabel(l) => {
            put(
                &mut f,
                "bgp.ext_com_l2.esi_label_flag",
                u8::from(l.is_single_active()),
            );
            // tshark: the 24-bit field, its 20 label bits and the S bit.
            put(
                &mut f,
                "bgp.update.path_attribute.mpls_label_value",
                l.label.vni(),
            );
            put(
                &mut f,
                "bgp.update.path_attribute.mpls_label_value_20bits",
                l.label.mpls_label(),
            );
            put(
                &mut f,
                "bgp.update.path_attribute.mpls_bottom_stack",
                u8::from(l.label.bottom_of_stack()),
            );
        }
        ExtendedCommunity::DefaultGateway(_) => {}
        other => panic!("extended community {other:?} not expected here"),
    }
    f
}

/// Our view of a message, from this crate's decode. `vni`: whether tshark
/// already reads labels as VNIs when it starts on this message (see
/// [`nlri_fields`]: its state lives as long as the captured frame, so an
/// Encapsulation community of an earlier UPDATE in the same TCP segment
/// counts too); returned updated.
fn our_view(msg: &Message, ctx: &DecodingContext, mut vni: bool) -> (View, bool) {
    let mut v = View::default();
    let m = &mut v.message;
    put(m, "bgp.type", msg.msg_type());
    put(m, "bgp.length", msg.encoded_len(ctx));
    match msg {
        Message::Open(o) => {
            put(m, "bgp.open.version", o.version);
            put(m, "bgp.open.myas", o.my_as);
            put(m, "bgp.open.holdtime", o.hold_time);
            put(m, "bgp.open.identifier", o.bgp_id);
            for c in o.capabilities() {
                put(m, "bgp.cap.type", c.code());
                match c {
                    Capability::Multiprotocol { family, .. } => {
                        put(m, "bgp.cap.mp.afi", family.afi.0);
                        put(m, "bgp.cap.mp.safi", family.safi.0);
                    }
                    Capability::FourOctetAs(asn) => put(m, "bgp.cap.4as", asn),
                    _ => {}
                }
            }
        }
        Message::Update(u) => {
            assert!(
                u.withdrawn.is_empty() && u.nlri.is_empty(),
                "IPv4 NLRI from GoBGP"
            );
            for a in &u.attributes {
                put(m, "bgp.update.path_attribute.type_code", a.type_code());
                put(
                    m,
                    "bgp.update.path_attribute.flags",
                    format!("0x{:02x}", a.flags.0),
                );
                match &a.value {
                    AttributeValue::Origin(o) => {
                        put(m, "bgp.update.path_attribute.origin", o.code())
                    }
                    AttributeValue::AsPath(p) => {
                        assert!(ctx.four_octet_as, "sessions here are 4-octet AS");
                        for s in &p.segments {
                            put(
                                m,
                                "bgp.update.path_attribute.as_path_segment.type",
                                s.kind.code(),
                            );
                            for asn in &s.asns {
                                put(m, "bgp.update.path_attribute.as_path_segment.as4", asn);
                            }
                        }
                    }
                    AttributeValue::MpReach(r) => {
                        let fam = r.family();
                        put(m, "bgp.update.path_attribute.mp_reach_nlri.afi", fam.afi.0);
                        put(
                            m,
                            "bgp.update.path_attribute.mp_reach_nlri.safi",
                            fam.safi.0,
                        );
                        match &r.next_hop {
                            MpNextHop::Ipv4(a) => put(
                                m,
                                "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4",
                                a,
                            ),
                            MpNextHop::Ipv6 { global, .. } => put(
                                m,
                                "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6",
                                global,
                            ),
                            other => panic!("next hop {other:?} not expected here"),
                        }
                        let MpNlri::Evpn(nlris) = &r.nlri else {
                            panic!("non-EVPN MP_REACH_NLRI from GoBGP: {r:?}")
                        };
                        for n in nlris {
                            v.groups.push(("nlri".into(), nlri_fields(&n.route, vni)));
                        }
                    }
                    AttributeValue::MpUnreach(r) => {
                        let fam = r.family();
                        put(
                            m,
                            "bgp.update.path_attribute.mp_unreach_nlri.afi",
                            fam.afi.0,
                        );
                        put(
                            m,
                            "bgp.update.path_attribute.mp_unreach_nlri.safi",
                            fam.safi.0,
                        );
                        let MpNlri::Evpn(nlris) = &r.nlri else {
                            panic!("non-EVPN MP_UNREACH_NLRI from GoBGP: {r:?}")
                        };
                        for n in nlris {
                            v.groups
                                .push(("withdrawn".into(), nlri_fields(&n.route, vni)));
                        }
                    }
                    AttributeValue::ExtendedCommunities(cs) => {
                        vni |= cs.label_meaning() == LabelMeaning::Vni;
                        for c in cs {
                            v.groups.push(("community".into(), community_fields(c)));
                        }
                    }
                    AttributeValue::PmsiTunnel(p) => {
                        put(m, "bgp.update.path_attribute.pmsi.tunnel.flags", p.flags);
                        put(
                            m,
                            "bgp.update.path_attribute.pmsi.tunnel.type",
                            p.tunnel_type(),
                        );
                        // Like the NLRI labels (see nlri_fields).
                        if vni {
                            put(m, "bgp.evpn.nlri.vni", p.label.vni());
                        } else {
                            let name = "bgp.update.path_attribute.mpls_label_value_20bits";
                            put(m, name, p.label.mpls_label());
                        }
                        match &p.tunnel {
                            PmsiTunnelIdentifier::IngressReplication(IpAddr::V4(a)) => {
                                put(m, "bgp.update.path_attribute.pmsi.ingress_rep_ip", a)
                            }
                            other => panic!("PMSI tunnel {other:?} not expected here"),
                        }
                    }
                    other => panic!("attribute {other:?} not expected from GoBGP here"),
                }
            }
        }
        Message::Notification(n) => put(m, "bgp.notify.major_error", n.code),
        Message::Keepalive => {}
        other => panic!("message {other:?} not expected from GoBGP here"),
    }
    v.normalize();
    (v, vni)
}

/// Collects tshark's leaves of one message into groups.
fn walk_tshark(key: &str, v: &Value, in_unreach: bool, view: &mut View) {
    match v {
        Value::String(s) if MESSAGE_FIELDS.contains(&key) => put(&mut view.message, key, s),
        Value::Array(items) => {
            for item in items {
                walk_tshark(key, item, in_unreach, view);
            }
        }
        Value::Object(map) => {
            let group = if map.contains_key("bgp.evpn.nlri.rt") {
                Some((if in_unreach { "withdrawn" } else { "nlri" }, NLRI_FIELDS))
            } else if map.contains_key("bgp.ext_com.type") {
                Some(("community", COMMUNITY_FIELDS))
            } else {
                None
            };
            if let Some((kind, names)) = group {
                let mut f = Fields::new();
                collect_leaves(v, names, &mut f);
                view.groups.push((kind.to_owned(), f));
                return;
            }
            for (k, child) in map {
                let unreach = in_unreach || k == "bgp.update.path_attribute.mp_unreach_nlri";
                walk_tshark(k, child, unreach, view);
            }
        }
        _ => {}
    }
}

fn collect_leaves(v: &Value, names: &[&str], f: &mut Fields) {
    fn go(key: &str, v: &Value, names: &[&str], f: &mut Fields) {
        match v {
            Value::String(s) if names.contains(&key) => put(f, key, s),
            Value::Array(items) => items.iter().for_each(|i| go(key, i, names, f)),
            Value::Object(map) => map.iter().for_each(|(k, c)| go(k, c, names, f)),
            _ => {}
        }
    }
    go("", v, names, f);
}

fn tshark_view(msg: &Value) -> View {
    let mut view = View::default();
    walk_tshark("", msg, false, &mut view);
    view.normalize();
    view
}

/// tshark's BGP messages per TCP direction, in order, with their frame number.
fn tshark_messages(file: &Path, ports: &[u16]) -> BTreeMap<Flow, Vec<(u64, Value)>> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r").arg(file).arg("-n");
    for p in ports {
        cmd.args(["-d", &format!("tcp.port=={p},bgp")]);
    }
    cmd.args(["-T", "json", "--no-duplicate-keys"]);
    let out = run(&mut cmd);
    let frames: Value = serde_json::from_str(&out).expect("tshark JSON");
    let mut by_flow: BTreeMap<Flow, Vec<(u64, Value)>> = BTreeMap::new();
    for frame in frames.as_array().expect("tshark JSON array") {
        let layers = &frame["_source"]["layers"];
        let Some(bgp) = layers.get("bgp") else {
            continue;
        };
        let field = |layer: &str, name: &str| -> String {
            layers[layer][name]
                .as_str()
                .unwrap_or_else(|| panic!("tshark frame without {name}"))
                .to_owned()
        };
        let addr = |ip: String, port: String| {
            SocketAddr::new(ip.parse().expect("IP"), port.parse().expect("port"))
        };
        let flow = (
            addr(field("ip", "ip.src"), field("tcp", "tcp.srcport")),
            addr(field("ip", "ip.dst"), field("tcp", "tcp.dstport")),
        );
        let number: u64 = field("frame", "frame.number")
            .parse()
            .expect("frame number");
        let list = by_flow.entry(flow).or_default();
        match bgp {
            Value::Array(msgs) => list.extend(msgs.iter().map(|m| (number, m.clone()))),
            one => list.push((number, one.clone())),
        }
    }
    by_flow
}

/// A checked capture: every message of every direction, decoded.
struct Checked {
    /// Per direction: (raw bytes, decoded message).
    flows: BTreeMap<Flow, Vec<(Vec<u8>, Message)>>,
    /// Messages compared with tshark.
    compared: usize,
}

impl Checked {
    fn updates(&self, from: Ipv4Addr, to: Ipv4Addr) -> Vec<&Update> {
        self.flows
            .iter()
            .filter(|((s, d), _)| s.ip() == IpAddr::V4(from) && d.ip() == IpAddr::V4(to))
            .flat_map(|(_, msgs)| msgs.iter())
            .filter_map(|(_, m)| match m {
                Message::Update(u) => Some(u),
                _ => None,
            })
            .collect()
    }
}

/// Decodes every BGP message of the capture with this crate, checks that it
/// re-encodes byte-identical and that tshark decodes it to the same fields.
fn check_capture(file: &Path, bytes: &[u8], ports: &[u16]) -> Checked {
    let streams = tcp_streams(bytes);
    let tshark = tshark_messages(file, ports);
    let mut flows = BTreeMap::new();
    let mut compared = 0;
    let raw: BTreeMap<Flow, Vec<Vec<u8>>> = streams
        .iter()
        .map(|(f, s)| (*f, frame_messages(s)))
        .collect();
    let open_of = |flow: &Flow| -> Open {
        let first = raw
            .get(flow)
            .and_then(|m| m.first())
            .unwrap_or_else(|| panic!("no message on {flow:?}"));
        match Message::decode(first, &DecodingContext::new()) {
            Ok(Message::Open(o)) => o,
            other => panic!("first message on {flow:?} is not an OPEN: {other:?}"),
        }
    };
    for (flow, msgs) in &raw {
        if msgs.is_empty() {
            continue;
        }
        let reverse = (flow.1, flow.0);
        // Received by flow.1: its OPEN is the local one.
        let ctx = DecodingContext::from_opens(&open_of(&reverse), &open_of(flow));
        let theirs = tshark.get(flow).cloned().unwrap_or_default();
        assert_eq!(
            msgs.len(),
            theirs.len(),
            "{flow:?}: we framed {} BGP messages, tshark {}",
            msgs.len(),
            theirs.len()
        );
        let mut decoded = Vec::new();
        let mut frame = 0;
        let mut vni = false;
        for (i, (raw_msg, (number, t))) in msgs.iter().zip(&theirs).enumerate() {
            if *number != frame {
                frame = *number;
                vni = false;
            }
            let msg = Message::decode(raw_msg, &ctx).unwrap_or_else(|e| {
                panic!(
                    "{flow:?} message {i}: decode failed: {e}\n{}",
                    hex_colon(raw_msg)
                )
            });
            let again = msg.to_bytes(&ctx.reversed());
            assert_eq!(
                hex_colon(&again),
                hex_colon(raw_msg),
                "{flow:?} message {i}: re-encoding differs\n{msg:#?}"
            );
            let (ours, vni_after) = our_view(&msg, &ctx, vni);
            vni = vni_after;
            let tsh = tshark_view(t);
            assert_eq!(
                ours, tsh,
                "{flow:?} message {i}: our decode (left) and tshark's (right) differ\n{msg:#?}"
            );
            compared += 1;
            decoded.push((raw_msg.clone(), msg));
        }
        flows.insert(*flow, decoded);
    }
    Checked { flows, compared }
}

// ---------------------------------------------------------------------------
// Test 1: routes originated with the gobgp CLI, A -> B
// ---------------------------------------------------------------------------

/// The EVPN routes originated on A with the CLI (after `global rib -a evpn add`).
const CLI_ROUTES: &[&str] = &[
    // MAC only, VNI label, RT, VXLAN.
    "macadv 52:54:00:00:00:01 0.0.0.0 etag 0 label 10100 rd 192.0.2.1:100 rt 65001:100 encap vxlan",
    // MAC + IPv4, AS-based ESI, Ethernet tag, two labels (L2 and L3 VNI), two RTs,
    // Default Gateway, VXLAN, Router's MAC. (`default-gateway` is placed in the
    // RT list because 3.10's argument parser rejects it after `router-mac`;
    // GoBGP then writes the Default Gateway community twice.)
    "macadv 52:54:00:00:00:02 10.0.0.2 esi AS 65001 7 etag 10 label 10100,50001 rd 192.0.2.1:100 \
     rt 65001:100 65001:50001 default-gateway encap vxlan router-mac 02:00:00:00:00:aa",
    // MAC + IPv6, AS2 RD, MSTP (L2 bridge) ESI.
    "macadv 52:54:00:00:00:03 2001:db8::3 esi MSTP 02:00:00:00:00:bb 4096 etag 0 label 10100 \
     rd 65001:100 rt 65001:100 encap vxlan",
    // Inclusive Multicast with PMSI ingress replication, IPv4 and IPv6 originators.
    "multicast 127.0.0.1 etag 0 rd 192.0.2.1:100 rt 65001:100 encap vxlan pmsi ingress-repl 10100 127.0.0.1",
    "multicast 2001:db8::1 etag 5 rd 192.0.2.1:101 rt 65001:100 encap mpls \
     pmsi ingress-repl leaf-info-required 100 127.0.0.1",
    // IP Prefix (type 5) with gateway, IPv4 and IPv6, arbitrary ESI.
    "prefix 10.1.0.0/24 gw 10.0.0.254 etag 0 label 50001 rd 192.0.2.1:200 rt 65001:200 encap vxlan \
     router-mac 02:00:00:00:00:aa",
    "prefix 2001:db8:1::/64 gw 2001:db8::1 esi ARBITRARY 11:22:33:44:55:66:77:88:99 etag 0 label 50001 \
     rd 65001:200 rt 65001:200 encap vxlan router-mac 02:00:00:00:00:aa",
    // Ethernet A-D with ESI label (LACP and router-ID ESIs, max Ethernet tag).
    "a-d esi LACP aa:bb:cc:dd:ee:ff 100 etag 0 label 10100 rd 192.0.2.1:100 rt 65001:100 encap vxlan",
    "a-d esi ROUTERID 192.0.2.1 9 etag 4294967295 label 0 rd 192.0.2.1:1 rt 65001:100 esi-label 400",
    // Ethernet Segment with MAC-based ESI (GoBGP adds the ES-Import RT).
    "esi 127.0.0.1 esi MAC aa:bb:cc:dd:ee:ff 100 rd 192.0.2.1:100 rt 65001:100 encap vxlan",
];

const MOVING_MAC: &str = "52:54:00:00:00:99";

#[test]
#[ignore = "needs gobgpd/tshark; run by .ci/run"]
fn gobgp_cli_routes_decode_like_tshark() {
    preflight();
    let dir = TempDir::new("gobgp-interop-cli");
    let port = free_tcp_port(A_ADDR);
    let file = dir.path().join("cli.pcapng");
    let cap = Capture::start(None, "lo", Some(&tcp_port_filter(&[port])), &file);
    let a = Gobgpd::start(
        dir.path(),
        "A",
        A_AS,
        A_ADDR,
        Some(port),
        &[Neighbor {
            addr: B_ADDR,
            peer_as: B_AS,
            local: A_ADDR,
            remote_port: None,
            route_server_client: false,
        }],
    );
    let b = Gobgpd::start(
        dir.path(),
        "B",
        B_AS,
        B_ADDR,
        None,
        &[Neighbor {
            addr: A_ADDR,
            peer_as: A_AS,
            local: B_ADDR,
            remote_port: Some(port),
            route_server_client: false,
        }],
    );
    a.wait_established(B_ADDR, Duration::from_secs(60));
    b.wait_established(A_ADDR, Duration::from_secs(10));

    for r in CLI_ROUTES {
        a.evpn(&format!("add {r}"));
    }
    b.wait_rib_len(CLI_ROUTES.len(), Duration::from_secs(10));

    // MAC mobility made by GoBGP itself (RFC 7432 section 15): B
    // advertises a MAC; A then learns it locally and advertises it with
    // sequence 0, so B withdraws its own route; B learns it back and
    // advertises sequence 1, so A withdraws its route.
    let on_b = format!(
        "macadv {MOVING_MAC} 10.0.0.99 etag 0 label 10100 rd 192.0.2.2:100 rt 65001:100 encap vxlan"
    );
    let on_a = format!(
        "macadv {MOVING_MAC} 10.0.0.99 etag 0 label 10100 rd 192.0.2.1:100 rt 65001:100 encap vxlan"
    );
    fn moving(rd: &'static str) -> impl Fn(&Value) -> bool {
        move |p: &Value| {
            p.pointer("/nlri/value/mac").and_then(Value::as_str) == Some(MOVING_MAC)
                && p.pointer("/nlri/value/rd/admin").and_then(Value::as_str) == Some(rd)
        }
    }
    b.evpn(&format!("add {on_b}"));
    a.wait_for("B's moving MAC", |rib| rib.iter().any(moving("192.0.2.2")));
    a.evpn(&format!("add {on_a}"));
    b.wait_for("A's moving MAC replacing B's", |rib| {
        rib.iter().any(moving("192.0.2.1")) && !rib.iter().any(moving("192.0.2.2"))
    });
    b.evpn(&format!("add {on_b}"));
    a.wait_for("B's moving MAC replacing A's", |rib| {
        rib.iter().any(moving("192.0.2.2")) && !rib.iter().any(moving("192.0.2.1"))
    });

    // Withdrawals: a MAC/IP route, the IPv6 multicast route, an A-D route.
    a.evpn("del macadv 52:54:00:00:00:01 0.0.0.0 etag 0 label 10100 rd 192.0.2.1:100");
    a.evpn("del multicast 2001:db8::1 etag 5 rd 192.0.2.1:101");
    a.evpn("del a-d esi LACP aa:bb:cc:dd:ee:ff 100 etag 0 label 10100 rd 192.0.2.1:100");
    // 10 originated, 3 withdrawn, plus B's own moving MAC.
    b.wait_rib_len(CLI_ROUTES.len() - 3 + 1, Duration::from_secs(10));

    let bytes = cap.stop();
    drop(b);
    drop(a);

    let checked = check_capture(&file, &bytes, &[port]);
    let a_to_b = checked.updates(A_ADDR, B_ADDR);
    let b_to_a = checked.updates(B_ADDR, A_ADDR);

    // Every route kind and community made it to the wire and was decoded.
    let reach: Vec<&EvpnRoute> = a_to_b
        .iter()
        .filter_map(|u| u.mp_reach())
        .flat_map(|r| match &r.nlri {
            MpNlri::Evpn(n) => n.iter().map(|n| &n.route).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect();
    for t in 1..=5 {
        assert!(
            reach.iter().any(|r| r.route_type() == t),
            "no route of type {t} from A"
        );
    }
    let withdrawn: usize = a_to_b
        .iter()
        .filter_map(|u| u.mp_unreach())
        .map(|r| r.nlri.route_count().unwrap_or(0))
        .sum();
    assert!(
        withdrawn >= 3,
        "A withdrew {withdrawn} routes, expected 3 or more"
    );

    // The Default Gateway route, as GoBGP encodes it.
    let dgw = a_to_b
        .iter()
        .find(|u| {
            u.extended_communities()
                .is_some_and(|c| c.is_default_gateway())
        })
        .expect("Default Gateway route from A");
    let comms = dgw.extended_communities().unwrap();
    assert_eq!(comms.router_mac(), Some(MacAddr6::new(2, 0, 0, 0, 0, 0xaa)));
    assert_eq!(comms.encapsulation(), Some(TunnelType::VXLAN));
    let EvpnRoute::MacIp(r) = &evpn_routes(dgw)[0] else {
        panic!("Default Gateway on a non-MAC/IP route")
    };
    // GoBGP writes `label 10100` as the raw 24-bit value: the VNI.
    assert_eq!(r.label1.vni(), 10100);
    assert_eq!(r.label2.map(LabelField::vni), Some(50001));
    assert_eq!(
        r.esi,
        Esi::As {
            asn: 65001,
            local_discriminator: 7,
            reserved: 0
        }
    );
    assert_eq!(r.ethernet_tag, EthernetTag(10));

    // MAC Mobility sequence numbers GoBGP attached itself.
    let seq_of = |updates: &[&Update]| -> Vec<u32> {
        updates
            .iter()
            .filter(|u| {
                evpn_routes(u)
                    .iter()
                    .any(|r| matches!(r, EvpnRoute::MacIp(m) if mac_text(&m.mac) == MOVING_MAC))
            })
            .filter_map(|u| u.extended_communities().and_then(|c| c.mac_mobility()))
            .map(|m| {
                assert_eq!(m.flags, 0, "GoBGP set MAC Mobility flags {:#04x}", m.flags);
                m.sequence
            })
            .collect()
    };
    assert_eq!(
        seq_of(&a_to_b),
        vec![0],
        "A's MAC Mobility sequence numbers"
    );
    assert_eq!(
        seq_of(&b_to_a),
        vec![1],
        "B's MAC Mobility sequence numbers"
    );
    eprintln!(
        "gobgp CLI session: {} BGP messages decoded like tshark and re-encoded identically",
        checked.compared
    );
}

fn evpn_routes(u: &Update) -> Vec<EvpnRoute> {
    match u.mp_reach().map(|r| &r.nlri) {
        Some(MpNlri::Evpn(n)) => n.iter().map(|n| n.route.clone()).collect(),
        _ => Vec::new(),
    }
}

// ---------------------------------------------------------------------------
// Test 2: our own speaker
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs gobgpd/tshark; run by .ci/run"]
fn our_speaker_updates_land_in_gobgp_rib() {
    preflight();
    let sample = std::env::var_os("WRITE_SAMPLE").map(PathBuf::from);
    let dir = TempDir::new("gobgp-interop-speaker");
    // The sample uses the BGP port so that tools decode it without hints.
    let (a_port, s_port) = match sample {
        Some(_) => (179, 179),
        None => (free_tcp_port(A_ADDR), free_tcp_port(S_ADDR)),
    };
    let listener = TcpListener::bind((S_ADDR, s_port))
        .unwrap_or_else(|e| panic!("bind our speaker to {S_ADDR}:{s_port}: {e}"));
    let ports: Vec<u16> = if a_port == s_port {
        vec![a_port]
    } else {
        vec![a_port, s_port]
    };
    let file = dir.path().join("speaker.pcapng");
    let cap = Capture::start(None, "lo", Some(&tcp_port_filter(&ports)), &file);
    let a = Gobgpd::start(
        dir.path(),
        "A",
        A_AS,
        A_ADDR,
        Some(a_port),
        &[
            Neighbor {
                addr: B_ADDR,
                peer_as: B_AS,
                local: A_ADDR,
                remote_port: None,
                route_server_client: false,
            },
            Neighbor {
                addr: S_ADDR,
                peer_as: S_AS,
                local: A_ADDR,
                remote_port: Some(s_port),
                route_server_client: false,
            },
        ],
    );
    let b = Gobgpd::start(
        dir.path(),
        "B",
        B_AS,
        B_ADDR,
        None,
        &[Neighbor {
            addr: A_ADDR,
            peer_as: A_AS,
            local: B_ADDR,
            remote_port: Some(a_port),
            route_server_client: false,
        }],
    );
    let mut s = Speaker::accept(
        &listener,
        A_ADDR,
        evpn_open(S_AS, S_ROUTER_ID),
        A_AS,
        "gobgpd",
        || a.log_text(),
    );
    a.wait_established(S_ADDR, Duration::from_secs(10));
    a.wait_established(B_ADDR, Duration::from_secs(60));

    let ours = our_routes();
    for o in &ours {
        s.send(&o.update());
    }
    let rib = a.wait_rib_len(ours.len(), Duration::from_secs(10));
    b.wait_rib_len(ours.len(), Duration::from_secs(10));

    // GoBGP stored exactly what we meant: NLRI, communities, next hop, PMSI.
    for o in &ours {
        let (want_nlri, want_comms) = gobgp_json(o);
        let path = rib
            .iter()
            .find(|p| p.pointer("/nlri/value") == Some(&want_nlri))
            .unwrap_or_else(|| {
                panic!(
                    "{}: no path in A's RIB with NLRI {want_nlri}\nRIB: {}",
                    o.what,
                    serde_json::to_string_pretty(&rib).unwrap_or_default()
                )
            });
        assert_eq!(
            path["nlri"]["type"],
            Value::from(o.route.route_type()),
            "{}",
            o.what
        );
        assert_eq!(
            path["neighbor-ip"],
            Value::from(S_ADDR.to_string()),
            "{}",
            o.what
        );
        let attr = |t: u64| {
            path["attrs"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|a| a["type"] == t)
                .cloned()
        };
        let comms = attr(16).map(|c| c["value"].clone()).unwrap_or(Value::Null);
        assert_eq!(comms, Value::Array(want_comms), "{}: communities", o.what);
        let mp = attr(14).unwrap_or_else(|| panic!("{}: no MP_REACH_NLRI", o.what));
        assert_eq!(
            mp["nexthop"],
            Value::from(o.next_hop.to_string()),
            "{}",
            o.what
        );
        let pmsi = attr(22);
        match &o.pmsi {
            None => assert_eq!(pmsi, None, "{}", o.what),
            Some(p) => {
                let PmsiTunnelIdentifier::IngressReplication(ep) = &p.tunnel else {
                    unreachable!()
                };
                assert_eq!(
                    pmsi,
                    Some(serde_json::json!({
                        "type": 22,
                        "is-leaf-info-required": p.leaf_info_required(),
                        "tunnel-type": p.tunnel_type(),
                        "label": p.label.vni(),
                        "tunnel-id": ep.to_string(),
                    })),
                    "{}: PMSI tunnel",
                    o.what
                );
            }
        }
    }
    // The in-progress flag (0x02) as GoBGP reads it: sticky.
    let in_progress = rib
        .iter()
        .find(|p| p.pointer("/nlri/value/mac") == Some(&Value::from("52:54:00:aa:00:04")))
        .expect("in-progress route in A's RIB");
    let mm = in_progress["attrs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["value"].as_array())
        .flatten()
        .find(|c| c["type"] == 6 && c["subtype"] == 0)
        .expect("MAC Mobility community in A's RIB");
    assert_eq!(mm["sequence"], Value::from(8));
    assert_eq!(
        mm["is_sticky"],
        Value::from(true),
        "GoBGP reads flags 0x02 as sticky"
    );

    // Withdraw the MPLS-labelled route with MP_UNREACH_NLRI.
    let gone = &ours[1];
    s.send(&Message::Update(Update::with_attributes([
        AttributeValue::MpUnreach(MpUnreach {
            nlri: MpNlri::Evpn(vec![EvpnNlri::from(gone.route.clone())]),
        }),
    ])));
    let gone_json = gobgp_json(gone).0;
    a.wait_for("the withdrawal", |rib| {
        rib.len() == ours.len() - 1 && !rib.iter().any(|p| p["nlri"]["value"] == gone_json)
    });
    b.wait_rib_len(ours.len() - 1, Duration::from_secs(10));

    // gobgpd's own Default Gateway route, received and decoded by our speaker.
    a.evpn(
        "add macadv 00:00:5e:00:01:01 10.30.0.254 etag 0 label 10300 rd 192.0.2.1:300 \
         rt 65001:300 default-gateway encap vxlan",
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let got = loop {
        let found = s.received.iter().find_map(|m| match m {
            Message::Update(u)
                if u.extended_communities()
                    .is_some_and(|c| c.is_default_gateway()) =>
            {
                Some(u.clone())
            }
            _ => None,
        });
        if let Some(u) = found {
            break u;
        }
        assert!(
            Instant::now() < deadline,
            "no Default Gateway route from gobgpd"
        );
        let _ = s.try_next(Duration::from_millis(200));
    };
    let EvpnRoute::MacIp(r) = &evpn_routes(&got)[0] else {
        panic!("Default Gateway on a non-MAC/IP route: {got:?}")
    };
    assert_eq!(r.mac, MacAddr6::new(0, 0, 0x5e, 0, 1, 1));
    assert_eq!(r.ip, Some(IpAddr::V4(Ipv4Addr::new(10, 30, 0, 254))));
    assert_eq!(r.label1.vni(), 10300);
    let comms = got.extended_communities().expect("communities");
    assert_eq!(comms.encapsulation(), Some(TunnelType::VXLAN));
    assert_eq!(comms.label_meaning(), LabelMeaning::Vni);
    assert!(comms.contains(&rt_as2(65001, 300)));
    s.drain(Duration::from_millis(300));

    let bytes = cap.stop();
    drop(s);
    drop(b);
    drop(a);
    let checked = check_capture(&file, &bytes, &ports);

    // Our UPDATEs on the wire are exactly what we encoded (and tshark agreed).
    let sent: Vec<&Update> = checked.updates(S_ADDR, A_ADDR);
    for o in &ours {
        let Message::Update(want) = o.update() else {
            unreachable!()
        };
        assert!(
            sent.contains(&&want),
            "{}: not on the wire as encoded",
            o.what
        );
    }
    // What A relays to B in place of our in-progress flag: sticky (0x01).
    let relayed: Vec<MacMobility> = checked
        .updates(A_ADDR, B_ADDR)
        .into_iter()
        .filter(|u| {
            evpn_routes(u)
                .iter()
                .any(|r| matches!(r, EvpnRoute::MacIp(m) if m.mac == mac(4)))
        })
        .filter_map(|u| u.extended_communities().and_then(|c| c.mac_mobility()))
        .collect();
    assert_eq!(
        relayed.len(),
        1,
        "A relayed the in-progress route once: {relayed:?}"
    );
    assert_eq!(relayed[0].sequence, 8);
    assert_eq!(
        relayed[0].flags,
        MacMobility::STICKY,
        "GoBGP relays flags 0x02 as {:#04x}",
        relayed[0].flags
    );
    assert!(!relayed[0].is_migration_in_progress());

    if let Some(path) = sample {
        assert!(bytes.len() < 30 * 1024, "sample is {} bytes", bytes.len());
        std::fs::write(&path, &bytes)
            .unwrap_or_else(|e| panic!("write sample {}: {e}", path.display()));
        eprintln!(
            "sample written to {} ({} bytes)",
            path.display(),
            bytes.len()
        );
    }
    eprintln!(
        "speaker session: {} BGP messages decoded like tshark and re-encoded identically",
        checked.compared
    );
}

fn rt_as2(asn: u16, n: u32) -> ExtendedCommunity {
    ExtendedCommunity::from(RouteTarget::as2(asn, n))
}

fn gobgp_rd(rd: &RouteDistinguisher) -> Value {
    match *rd {
        RouteDistinguisher::As2 { asn, number } => {
            serde_json::json!({"type": 0, "admin": asn, "assigned": number})
        }
        RouteDistinguisher::Ipv4 { addr, number } => {
            serde_json::json!({"type": 1, "admin": addr.to_string(), "assigned": number})
        }
        RouteDistinguisher::As4 { asn, number } => {
            serde_json::json!({"type": 2, "admin": asn, "assigned": number})
        }
        RouteDistinguisher::Unknown { .. } => panic!("unknown RD type not used here"),
    }
}

fn gobgp_esi(esi: &Esi) -> String {
    match esi {
        e if e.is_zero() => "single-homed".to_owned(),
        Esi::Lacp {
            system_mac,
            port_key,
            ..
        } => format!(
            "ESI_LACP | system mac {}, port key {port_key}",
            mac_text(system_mac)
        ),
        Esi::As {
            asn,
            local_discriminator,
            ..
        } => format!("ESI_AS | as {asn}, local discriminator {local_discriminator}"),
        other => panic!("ESI {other:?} not used here"),
    }
}

/// How GoBGP's JSON shows one of our routes: its NLRI value and its
/// communities. Labels are raw 24-bit numbers there; GoBGP turns any
/// non-zero MAC Mobility flags octet into `is_sticky: true`.
fn gobgp_json(o: &Ours) -> (Value, Vec<Value>) {
    use serde_json::json;
    let nlri = match &o.route {
        EvpnRoute::EthernetAd(r) => json!({
            "rd": gobgp_rd(&r.rd), "esi": gobgp_esi(&r.esi),
            "etag": r.ethernet_tag.value(), "label": r.label.vni(),
        }),
        EvpnRoute::MacIp(r) => {
            let mut labels = vec![r.label1.vni()];
            labels.extend(r.label2.map(LabelField::vni));
            json!({
                "rd": gobgp_rd(&r.rd), "esi": gobgp_esi(&r.esi), "etag": r.ethernet_tag.value(),
                "mac": mac_text(&r.mac),
                "ip": r.ip.map_or("<nil>".to_owned(), |ip| ip.to_string()),
                "labels": labels,
            })
        }
        EvpnRoute::InclusiveMulticast(r) => json!({
            "rd": gobgp_rd(&r.rd), "etag": r.ethernet_tag.value(), "ip": r.originator.to_string(),
        }),
        EvpnRoute::EthernetSegment(r) => json!({
            "rd": gobgp_rd(&r.rd), "esi": gobgp_esi(&r.esi), "ip": r.originator.to_string(),
        }),
        EvpnRoute::IpPrefix(r) => json!({
            "rd": gobgp_rd(&r.rd), "esi": gobgp_esi(&r.esi), "etag": r.ethernet_tag.value(),
            "prefix": r.prefix.prefix().to_string(), "gateway": r.prefix.gateway().to_string(),
            "label": r.label.vni(),
        }),
        other => panic!("route {other:?} not used here"),
    };
    let comms = o
        .comms
        .iter()
        .map(|c| match c {
            ExtendedCommunity::RouteTarget(rt) => match rt.admin {
                GlobalAdmin::As2 { asn, local } => {
                    json!({"type": 0, "subtype": 2, "value": format!("{asn}:{local}")})
                }
                other => panic!("RT {other:?} not used here"),
            },
            ExtendedCommunity::Encapsulation(e) => {
                json!({"type": 3, "subtype": 12, "tunnel_type": e.tunnel_type.0})
            }
            ExtendedCommunity::DefaultGateway(_) => json!({"type": 3, "subtype": 13}),
            ExtendedCommunity::MacMobility(m) => json!({
                "type": 6, "subtype": 0, "sequence": m.sequence, "is_sticky": m.flags != 0,
            }),
            ExtendedCommunity::RouterMac(RouterMac(mac)) => {
                json!({"type": 6, "subtype": 3, "mac": mac_text(mac)})
            }
            ExtendedCommunity::EsiLabel(l) => json!({
                "type": 6, "subtype": 1, "label": l.label.vni(),
                "is_single_active": l.is_single_active(),
            }),
            ExtendedCommunity::EsImportRouteTarget(EsImportRouteTarget(mac)) => {
                json!({"type": 6, "subtype": 2, "value": mac_text(mac)})
            }
            other => panic!("community {other:?} not used here"),
        })
        .collect();
    (nlri, comms)
}

/// GoBGP with a 4-octet AS (4200000001) toward our speaker, which does not
/// offer the 4-octet AS capability: GoBGP writes AS_TRANS in AS_PATH and
/// AGGREGATOR and adds AS4_PATH and AS4_AGGREGATOR (RFC 6793);
/// `Update::reconcile_as4` gives back the path and aggregator GoBGP holds.
#[test]
#[ignore = "needs gobgpd; run by scripts/interop.sh bgp"]
fn gobgp_as4_path_to_a_2_octet_speaker() {
    const G_AS: u32 = 4_200_000_001;
    preflight();
    let dir = TempDir::new("gobgp-interop-as4");
    let s_port = free_tcp_port(S_ADDR);
    let listener = TcpListener::bind((S_ADDR, s_port))
        .unwrap_or_else(|e| panic!("bind our speaker to {S_ADDR}:{s_port}: {e}"));
    let g = Gobgpd::start(
        dir.path(),
        "G4",
        G_AS,
        A_ADDR,
        None,
        &[Neighbor {
            addr: S_ADDR,
            peer_as: S_AS,
            local: A_ADDR,
            remote_port: Some(s_port),
            route_server_client: false,
        }],
    );
    // Our OPEN without the 4-octet AS capability: a 2-octet ("OLD") speaker.
    let open =
        Open::new(S_AS, 90, S_ROUTER_ID).with_parameter(OptionalParameter::Capabilities(vec![
            Capability::multiprotocol(bgp_evpn_wire::types::AfiSafi::EVPN),
            Capability::RouteRefresh,
        ]));
    let mut s = Speaker::accept(&listener, A_ADDR, open, G_AS, "gobgpd", || g.log_text());
    assert!(!s.ctx.four_octet_as);
    g.wait_established(S_ADDR, Duration::from_secs(10));

    g.evpn(
        "add macadv 52:54:00:00:00:44 0.0.0.0 etag 0 label 10100 rd 192.0.2.1:100 \
         rt 65001:100 encap vxlan aspath 65010,4200000003 aggregator 4200000003:192.0.2.9",
    );
    let update = loop {
        match s.next_message(Duration::from_secs(10)) {
            Message::Update(u) if u.mp_reach().is_some() => break u,
            _ => {}
        }
    };
    let trans = u32::from(AS_TRANS);
    // On the wire: 2-octet AS numbers, the real ones in the AS4 attributes.
    assert_eq!(
        update.as_path(),
        Some(&AsPath::sequence([trans, 65010, trans])),
        "{update:?}"
    );
    let real = AsPath::sequence([G_AS, 65010, 4_200_000_003]);
    let as4_path = update.attribute(bgp_evpn_wire::attribute::type_code::AS4_PATH);
    assert!(
        matches!(as4_path, Some(AttributeValue::As4Path(p)) if p.asns().eq(real.asns())),
        "AS4_PATH {as4_path:?}"
    );
    let mut reconciled = update.clone();
    assert!(reconciled.reconcile_as4(s.ctx.four_octet_as));
    assert_eq!(reconciled.as_path(), Some(&real));
    let aggregator = reconciled.attribute(bgp_evpn_wire::attribute::type_code::AGGREGATOR);
    assert_eq!(
        aggregator,
        Some(&AttributeValue::Aggregator(Aggregator {
            asn: 4_200_000_003,
            address: Ipv4Addr::new(192, 0, 2, 9),
        })),
        "{update:?}"
    );
    // GoBGP's own view of the path it sent.
    let rib = g.wait_rib_len(1, Duration::from_secs(10));
    let text = serde_json::to_string(&rib).unwrap_or_default();
    assert!(text.contains("4200000003"), "GoBGP's RIB: {text}");
}
