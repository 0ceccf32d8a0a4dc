//! Messages and decoders for the BGP benches.
//!
//! The messages are built with `bgp-evpn-wire` and encoded once; both
//! `bgp-evpn-wire` and NetGauze (`netgauze-bgp-pkt`) then decode and encode
//! the same bytes. [`Seen`] is what a decoder found (routes and MACs), so the
//! tests can check that both decoders agree before anything is timed.
//!
//! Session context of every message: 4-octet AS numbers, no Add-Path, no
//! Extended Message (NetGauze's `BgpParsingContext::default()` is the same).

use std::net::{IpAddr, Ipv4Addr};

use bgp_evpn_wire::attribute::{AsPath, AttributeValue, MpNextHop, MpNlri, MpReach, Origin};
use bgp_evpn_wire::evpn::{EvpnNlri, EvpnRoute, IpPrefixRoute, MacIpRoute, PrefixAndGateway};
use bgp_evpn_wire::extcomm::{
    Encapsulation, ExtendedCommunity, MacMobility, RouteTarget, TunnelType,
};
use bgp_evpn_wire::message::{
    Capability, DecodingContext, Frame, FrameLen, Framer, Message, Notification, Open,
    OptionalParameter, Update, frame_len,
};
use bgp_evpn_wire::types::{AfiSafi, Esi, EthernetTag, LabelField, RouteDistinguisher};
use macaddr::MacAddr6;
use netgauze_bgp_pkt::BgpMessage;
use netgauze_bgp_pkt::nlri::L2EvpnRoute;
use netgauze_bgp_pkt::path_attribute::{MpReach as NgMpReach, PathAttributeValue};
use netgauze_bgp_pkt::wire::deserializer::BgpParsingContext;
use netgauze_parse_utils::WritablePdu;
use netgauze_parse_utils::reader::SliceReader;
use netgauze_parse_utils::traits::ParseFromWithOneInput;

/// Numbers of type-2 routes per UPDATE in the benches.
pub const ROUTE_COUNTS: [usize; 3] = [1, 10, 100];
/// Messages in the mixed stream.
pub const STREAM_MESSAGES: usize = 10_000;
/// Size of the pieces the stream is fed to the framer in (a TCP MSS).
pub const STREAM_CHUNK: usize = 1460;
/// Our AS.
pub const ASN: u32 = 65001;
/// The L2 VNI of the type-2 routes.
pub const VNI: u32 = 10100;
/// The L3 VNI of the type-5 routes.
pub const L3_VNI: u32 = 50000;
/// Next hop of every UPDATE (the advertising VTEP).
pub const VTEP: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 7);

/// The session context of the bench messages for `bgp-evpn-wire`.
pub fn context() -> DecodingContext {
    DecodingContext::new().with_four_octet_as(true)
}

/// The same context for NetGauze (4-octet AS, no Add-Path).
pub fn netgauze_context() -> BgpParsingContext {
    let ctx = BgpParsingContext::default();
    assert!(ctx.asn4(), "NetGauze's default context is 4-octet AS");
    ctx
}

fn rd() -> RouteDistinguisher {
    RouteDistinguisher::Ipv4 {
        addr: Ipv4Addr::new(192, 0, 2, 1),
        number: 100,
    }
}

/// The MAC of type-2 route `i`.
pub fn mac(i: usize) -> [u8; 6] {
    let b = (i as u32).to_be_bytes();
    [0x52, 0x54, 0x00, b[1], b[2], b[3]]
}

/// Type-2 route `i`: MAC [`mac`]`(i)`, IPv4 10.0.0.0 + `i` + 1, label 1 =
/// [`VNI`].
pub fn mac_ip_route(i: usize) -> EvpnNlri {
    let b = (i as u32 + 1).to_be_bytes();
    let mut r = MacIpRoute::new(
        rd(),
        EthernetTag::ZERO,
        MacAddr6::from(mac(i)),
        LabelField::from_vni(VNI).expect("24-bit VNI"),
    );
    r.ip = Some(IpAddr::V4(Ipv4Addr::new(10, b[1], b[2], b[3])));
    EvpnNlri::from(EvpnRoute::from(r))
}

/// Type-5 route `i`: IPv4 prefix 10.i.0.0/24 (i as 16 bits), gateway 0,
/// label = [`L3_VNI`].
pub fn ip_prefix_route(i: usize) -> EvpnNlri {
    let b = (i as u16).to_be_bytes();
    let prefix = PrefixAndGateway::V4 {
        prefix: ipnet4(Ipv4Addr::new(10, b[0], b[1], 0), 24),
        gateway: Ipv4Addr::UNSPECIFIED,
    };
    EvpnNlri::from(EvpnRoute::from(IpPrefixRoute {
        rd: rd(),
        esi: Esi::ZERO,
        ethernet_tag: EthernetTag::ZERO,
        prefix,
        label: LabelField::from_vni(L3_VNI).expect("24-bit VNI"),
    }))
}

fn ipnet4(addr: Ipv4Addr, len: u8) -> ipnetwork::Ipv4Network {
    ipnetwork::Ipv4Network::new(addr, len).expect("valid prefix")
}

/// An UPDATE advertising `routes` with ORIGIN IGP, AS_PATH [`ASN`], the
/// extended communities `comms` and MP_REACH_NLRI (next hop [`VTEP`]).
pub fn evpn_update(routes: Vec<EvpnNlri>, comms: Vec<ExtendedCommunity>) -> Message {
    Message::Update(Update::with_attributes([
        AttributeValue::Origin(Origin::Igp),
        AttributeValue::AsPath(AsPath::sequence([ASN])),
        AttributeValue::ExtendedCommunities(comms),
        AttributeValue::MpReach(MpReach::new(MpNextHop::Ipv4(VTEP), MpNlri::Evpn(routes))),
    ]))
}

/// An UPDATE of `n` type-2 routes with Route Target, MAC Mobility
/// (sequence 7) and Encapsulation VXLAN.
pub fn type2_update(n: usize) -> Message {
    evpn_update(
        (0..n).map(mac_ip_route).collect(),
        vec![
            ExtendedCommunity::from(RouteTarget::as2(ASN as u16, VNI)),
            ExtendedCommunity::from(MacMobility::new(7)),
            ExtendedCommunity::from(Encapsulation::new(TunnelType::VXLAN)),
        ],
    )
}

/// An UPDATE of type-5 routes of exactly 4096 bytes (the RFC 4271
/// maximum): as many 36-byte routes as fit, and as many extra Route
/// Targets (8 bytes each) as fill the rest.
pub fn type5_update_4096() -> Message {
    let ctx = context();
    let build =
        |n: usize, extra_rts: usize| {
            let mut comms = vec![
                ExtendedCommunity::from(RouteTarget::as2(ASN as u16, L3_VNI)),
                ExtendedCommunity::from(Encapsulation::new(TunnelType::VXLAN)),
            ];
            comms.extend((0..extra_rts).map(|i| {
                ExtendedCommunity::from(RouteTarget::as2(ASN as u16, L3_VNI + 1 + i as u32))
            }));
            evpn_update((0..n).map(ip_prefix_route).collect(), comms)
        };
    let fixed = build(0, 0).encoded_len(&ctx);
    let route_len = ip_prefix_route(0).route.encoded_len();
    let n = (4096 - fixed) / route_len;
    let spare = 4096 - fixed - n * route_len;
    // The MP_REACH header grows from 3 to 4 bytes (extended length) once
    // the routes pass 255 bytes; fill with Route Targets after that.
    let probe = build(n, 0).encoded_len(&ctx);
    let (n, spare) = if probe > 4096 {
        (n - 1, spare + route_len - (probe - fixed - n * route_len))
    } else {
        (n, 4096 - probe)
    };
    assert_eq!(spare % 8, 0, "the rest must be whole communities");
    let msg = build(n, spare / 8);
    assert_eq!(msg.encoded_len(&ctx), 4096);
    msg
}

/// An OPEN as a VTEP sends it: AS [`ASN`], hold time 90, capabilities
/// L2VPN/EVPN, route refresh and 4-octet AS in one parameter.
pub fn open() -> Message {
    Message::Open(
        Open::new(ASN, 90, Ipv4Addr::new(192, 0, 2, 1)).with_parameter(
            OptionalParameter::Capabilities(vec![
                Capability::multiprotocol(AfiSafi::EVPN),
                Capability::RouteRefresh,
                Capability::FourOctetAs(ASN),
            ]),
        ),
    )
}

/// A NOTIFICATION Cease / Administrative Shutdown with an RFC 9003
/// shutdown communication.
pub fn notification() -> Message {
    let text = b"maintenance window";
    let mut data = vec![text.len() as u8];
    data.extend_from_slice(text);
    Message::Notification(Notification::new(6, 2, data))
}

/// The message as bytes (context [`context`]).
pub fn to_bytes(msg: &Message) -> Vec<u8> {
    msg.to_bytes(&context())
}

/// The mixed stream: [`STREAM_MESSAGES`] messages cycling through OPEN,
/// KEEPALIVE, UPDATE (1 type-2 route), KEEPALIVE, UPDATE (10),
/// KEEPALIVE, UPDATE (1), UPDATE (10), KEEPALIVE, NOTIFICATION.
pub fn mixed_stream() -> Vec<u8> {
    let cycle = [
        open(),
        Message::Keepalive,
        type2_update(1),
        Message::Keepalive,
        type2_update(10),
        Message::Keepalive,
        type2_update(1),
        type2_update(10),
        Message::Keepalive,
        notification(),
    ];
    let cycle: Vec<Vec<u8>> = cycle.iter().map(to_bytes).collect();
    let mut out = Vec::new();
    for i in 0..STREAM_MESSAGES {
        out.extend_from_slice(&cycle[i % cycle.len()]);
    }
    out
}

/// What a decoder found in a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    /// EVPN routes advertised.
    pub routes: usize,
    /// MACs of the type-2 routes, in order.
    pub macs: Vec<[u8; 6]>,
}

/// What `bgp-evpn-wire` found in a decoded message.
pub fn seen_ours(msg: &Message) -> Seen {
    let mut s = Seen::default();
    if let Message::Update(u) = msg
        && let Some(MpReach {
            nlri: MpNlri::Evpn(routes),
            ..
        }) = u.mp_reach()
    {
        s.routes = routes.len();
        s.macs = routes
            .iter()
            .filter_map(|r| r.route.mac_ip_key().map(|(_, m, _)| m.into_array()))
            .collect();
    }
    s
}

/// What NetGauze found in a decoded message.
pub fn seen_netgauze(msg: &BgpMessage) -> Seen {
    let mut s = Seen::default();
    if let BgpMessage::Update(u) = msg {
        for a in u.path_attributes() {
            if let PathAttributeValue::MpReach(NgMpReach::L2Evpn { nlri, .. }) = a.value() {
                s.routes += nlri.len();
                s.macs.extend(nlri.iter().filter_map(|n| match n.route() {
                    L2EvpnRoute::MacIpAdvertisement(m) => Some(*m.mac().value()),
                    _ => None,
                }));
            }
        }
    }
    s
}

/// `bgp-evpn-wire`: decodes one whole message.
#[inline]
pub fn decode_ours(bytes: &[u8], ctx: &DecodingContext) -> Message {
    Message::decode(bytes, ctx).expect("bgp-evpn-wire decodes the bench message")
}

/// NetGauze: decodes one whole message.
#[inline]
pub fn decode_netgauze(bytes: &[u8], ctx: &mut BgpParsingContext) -> BgpMessage {
    BgpMessage::parse(&mut SliceReader::new(bytes), ctx)
        .expect("NetGauze decodes the bench message")
}

/// `bgp-evpn-wire`: encodes into `out` (cleared first).
#[inline]
pub fn encode_ours(msg: &Message, ctx: &DecodingContext, out: &mut Vec<u8>) {
    out.clear();
    msg.encode(ctx, out);
}

/// NetGauze: encodes into `out` (cleared first).
#[inline]
pub fn encode_netgauze(msg: &BgpMessage, out: &mut Vec<u8>) {
    out.clear();
    msg.write(out).expect("NetGauze encodes the bench message");
}

/// NetGauze's own idea of the encoded length.
pub fn netgauze_len(msg: &BgpMessage) -> usize {
    msg.len()
}

/// Counts of a stream's messages by type, and its EVPN routes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// OPEN messages.
    pub open: usize,
    /// UPDATE messages.
    pub update: usize,
    /// NOTIFICATION messages.
    pub notification: usize,
    /// KEEPALIVE messages.
    pub keepalive: usize,
    /// EVPN routes in the UPDATEs.
    pub routes: usize,
}

impl Tally {
    fn add_ours(&mut self, msg: &Message) {
        match msg {
            Message::Open(_) => self.open += 1,
            Message::Update(u) => {
                self.update += 1;
                if let Some(m) = u.mp_reach() {
                    self.routes += m.nlri.route_count().unwrap_or(0);
                }
            }
            Message::Notification(_) => self.notification += 1,
            Message::Keepalive => self.keepalive += 1,
            _ => {}
        }
    }

    fn add_netgauze(&mut self, msg: &BgpMessage) {
        match msg {
            BgpMessage::Open(_) => self.open += 1,
            BgpMessage::Update(u) => {
                self.update += 1;
                for a in u.path_attributes() {
                    if let PathAttributeValue::MpReach(NgMpReach::L2Evpn { nlri, .. }) = a.value() {
                        self.routes += nlri.len();
                    }
                }
            }
            BgpMessage::Notification(_) => self.notification += 1,
            BgpMessage::KeepAlive => self.keepalive += 1,
            BgpMessage::RouteRefresh(_) => {}
        }
    }

    /// Messages counted.
    pub fn messages(&self) -> usize {
        self.open + self.update + self.notification + self.keepalive
    }
}

/// `bgp-evpn-wire`: the stream pushed into a [`Framer`] in
/// [`STREAM_CHUNK`]-byte pieces, every message polled out and decoded.
pub fn stream_ours_framer(stream: &[u8], ctx: &DecodingContext) -> Tally {
    let mut framer = Framer::new();
    let mut t = Tally::default();
    for chunk in stream.chunks(STREAM_CHUNK) {
        framer.push(chunk);
        while let Frame::Message(m) = framer.poll().expect("framer accepts the bench stream") {
            t.add_ours(&decode_ours(&m, ctx));
        }
    }
    t
}

/// `bgp-evpn-wire`: the stream as one buffer, split with [`frame_len`]
/// (no copy), every message decoded.
pub fn stream_ours_slices(mut stream: &[u8], ctx: &DecodingContext) -> Tally {
    let mut t = Tally::default();
    while !stream.is_empty() {
        match frame_len(stream, ctx.max_message_len()).expect("bench stream frames") {
            FrameLen::Complete(n) => {
                t.add_ours(&decode_ours(&stream[..n], ctx));
                stream = &stream[n..];
            }
            FrameLen::Incomplete(_) => panic!("bench stream ends inside a message"),
        }
    }
    t
}

/// NetGauze: the stream as one buffer, one `BgpMessage::parse` after the
/// other on the same reader (it reads the header's length itself).
pub fn stream_netgauze(stream: &[u8], ctx: &mut BgpParsingContext) -> Tally {
    let mut t = Tally::default();
    let mut reader = SliceReader::new(stream);
    while !reader.is_empty() {
        let msg = BgpMessage::parse(&mut reader, &mut *ctx).expect("NetGauze decodes the stream");
        t.add_netgauze(&msg);
    }
    t
}
