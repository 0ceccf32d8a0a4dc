//! Messages and decoders for the OpenFlow benches.
//!
//! The messages are built with `openflow-wire` and encoded once:
//!
//! - the VXLAN tunnel FLOW_MOD of [`openflow_wire::builder::TunnelFlow`]
//!   with two more match fields (in_port, eth_dst, eth_type, vlan_vid) and
//!   its three actions (set tun_dst, set tunnel_id, output);
//! - a PACKET_IN (match in_port and tunnel_id) carrying a 128-byte frame;
//! - a MULTIPART_REPLY FLOW with [`FLOW_STATS_ENTRIES`] tunnel flows;
//! - a stream of [`STREAM_MESSAGES`] of those (and ECHO / BARRIER).
//!
//! `rovs-openflow` 0.2 gets the same flow through its own builder
//! ([`rovs_flow`]). It has no SET_FIELD of `tun_dst` (nor of the OpenFlow
//! `tunnel_id`), so it says the same with Nicira `reg_load` of
//! `NXM_NX_TUN_IPV4_DST` and `reg_load2` of `NXM_NX_TUN_ID`: other bytes,
//! same effect in Open vSwitch. It has no FLOW_MOD decoder either; its
//! decoders of the parts (header, match, instruction list) stand in.

use std::net::{IpAddr, Ipv4Addr};

use bytes::{Buf, Bytes};
use openflow_wire::builder::{TunnelFlow, TunnelKey};
use openflow_wire::instruction::Instruction;
use openflow_wire::message::{
    FlowMod, FlowStats, MultipartReply, MultipartReplyBody, OFP_NO_BUFFER, PacketIn,
};
use openflow_wire::oxm::{Match, OFPVID_PRESENT, Oxm};
use openflow_wire::view::{BodyRef, InstructionRef, MatchRef};
use openflow_wire::{Body, Framed, FramedRef, Framer, Message, MessageRef};

/// Flow entries in the FLOW stats reply bench.
pub const FLOW_STATS_ENTRIES: usize = 100;
/// Messages in the mixed stream.
pub const STREAM_MESSAGES: usize = 10_000;
/// Flow entries in each FLOW stats reply of the stream.
pub const STREAM_STATS_ENTRIES: usize = 10;
/// Size of the pieces the stream is fed to the framer in (a TCP MSS).
pub const STREAM_CHUNK: usize = 1460;
/// Length of the frame in the PACKET_IN.
pub const PACKET_IN_FRAME: usize = 128;
/// The local port the flow matches.
pub const IN_PORT: u32 = 1;
/// The VLAN the flow matches.
pub const VLAN: u16 = 100;
/// The EtherType the flow matches (IPv4).
pub const ETH_TYPE: u16 = 0x0800;
/// The remote VTEP.
pub const REMOTE_VTEP: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 2);
/// The VNI.
pub const VNI: u32 = 5000;
/// The local flow-based VXLAN port.
pub const VXLAN_PORT: u32 = 10;
/// `NXM_NX_TUN_IPV4_DST` as a Nicira field header (class 1, field 32, 4 bytes).
pub const NXM_NX_TUN_IPV4_DST: u32 = 0x0001_4004;

/// The `i`-th remote MAC (locally administered).
pub fn mac(i: usize) -> [u8; 6] {
    let b = (i as u32).to_be_bytes();
    [0x02, 0, b[0], b[1], b[2], b[3]]
}

/// The tunnel flow for MAC `i`.
pub fn tunnel_flow(i: usize) -> TunnelFlow {
    TunnelFlow {
        key: TunnelKey::InPort(IN_PORT),
        eth_dst: mac(i).into(),
        remote_vtep: IpAddr::V4(REMOTE_VTEP),
        vni: VNI,
        vxlan_port: VXLAN_PORT,
        table_id: 0,
        priority: 100,
        cookie: i as u64,
    }
}

/// The FLOW_MOD of [`tunnel_flow`]`(i)` with eth_type and vlan_vid added
/// to the match: 4 match fields, 3 actions, 144 bytes on the wire.
pub fn flow_mod(i: usize) -> FlowMod {
    let mut fm = tunnel_flow(i).flow_mod().expect("valid tunnel flow");
    fm.r#match.fields.push(Oxm::EthType(ETH_TYPE.into()));
    fm.r#match
        .fields
        .push(Oxm::VlanVid((OFPVID_PRESENT | VLAN).into()));
    fm
}

/// The FLOW_MOD message.
pub fn flow_mod_message(i: usize) -> Message {
    Message::new(i as u32, Body::FlowMod(flow_mod(i)))
}

/// The 128-byte frame of the PACKET_IN (an Ethernet/IPv4/UDP frame's
/// bytes; only the length matters).
pub fn frame() -> Vec<u8> {
    (0..PACKET_IN_FRAME).map(|i| i as u8).collect()
}

/// A PACKET_IN (not buffered, reason ACTION) of [`frame`] from port 1 of
/// tunnel 5000.
pub fn packet_in_message(xid: u32) -> Message {
    Message::new(
        xid,
        Body::PacketIn(PacketIn {
            buffer_id: OFP_NO_BUFFER,
            total_len: PACKET_IN_FRAME as u16,
            reason: 1,
            table_id: 0,
            cookie: 7,
            r#match: Match::new()
                .with(Oxm::InPort(IN_PORT.into()))
                .with(Oxm::TunnelId(u64::from(VNI).into())),
            data: frame(),
        }),
    )
}

/// A FLOW stats reply of `n` tunnel flows with counters.
pub fn flow_stats_message(xid: u32, n: usize) -> Message {
    let flows = (0..n)
        .map(|i| {
            let fm = flow_mod(i);
            FlowStats {
                table_id: fm.table_id,
                duration_sec: 3600 + i as u32,
                duration_nsec: 500_000,
                priority: fm.priority,
                idle_timeout: 0,
                hard_timeout: 0,
                flags: 0,
                cookie: fm.cookie,
                packet_count: 1000 * i as u64,
                byte_count: 1_500_000 * i as u64,
                r#match: fm.r#match,
                instructions: fm.instructions,
            }
        })
        .collect();
    Message::new(
        xid,
        Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(flows))),
    )
}

/// Encodes a message into a new vector.
pub fn to_bytes(msg: &Message) -> Vec<u8> {
    msg.to_bytes().expect("bench messages encode")
}

/// Decodes one message with `openflow-wire`.
pub fn decode_ours(bytes: &[u8]) -> Message {
    Message::decode(bytes).expect("bench messages decode")
}

/// Encodes a message with `openflow-wire` into `out` (cleared first).
pub fn encode_ours(msg: &Message, out: &mut Vec<u8>) {
    out.clear();
    msg.encode(out).expect("bench messages encode");
}

/// The same flow through `rovs-openflow`'s builder: the same fixed part
/// and match; tun_dst through Nicira `reg_load` and the VNI through
/// Nicira `reg_load2` of `tun_id` (its `set_tunnel_id`), then output.
pub fn rovs_flow(i: usize) -> rovs_openflow::Flow {
    use rovs_openflow::{ActionList, Flow, Match, OutputPort};
    Flow::add()
        .table(0)
        .priority(100)
        .cookie(i as u64)
        .match_fields(
            Match::new()
                .in_port(IN_PORT)
                .eth_dst(mac(i))
                .eth_type(ETH_TYPE)
                .vlan_vid(VLAN),
        )
        .actions(
            ActionList::new()
                .load_field(NXM_NX_TUN_IPV4_DST, 0, 32, u32::from(REMOTE_VTEP).into())
                .set_tunnel_id(VNI.into())
                .output(OutputPort::Port(VXLAN_PORT)),
        )
}

/// Encodes a `rovs-openflow` flow as a whole FLOW_MOD message (its
/// `Flow::to_message(..).encode()`, the only way it offers).
pub fn encode_rovs(flow: &rovs_openflow::Flow, xid: u32) -> bytes::BytesMut {
    flow.to_message(rovs_openflow::Version::Of13, xid).encode()
}

/// What `rovs-openflow` decodes of a FLOW_MOD (it has no FLOW_MOD
/// decoder): header, match and instruction list; the 40-byte fixed part
/// is read by hand (cookie and priority).
#[derive(Debug)]
pub struct RovsFlowMod {
    /// The header.
    pub header: rovs_openflow::Header,
    /// Cookie.
    pub cookie: u64,
    /// Priority.
    pub priority: u16,
    /// The match.
    pub r#match: rovs_openflow::Match,
    /// The instructions.
    pub instructions: rovs_openflow::InstructionList,
}

/// Decodes a FLOW_MOD message's parts with `rovs-openflow` (from a
/// `Bytes`, as its connection hands messages out).
pub fn decode_rovs_flow_mod(mut bytes: Bytes) -> rovs_openflow::Result<RovsFlowMod> {
    let header = rovs_openflow::Header::decode(&mut bytes)?;
    if bytes.len() < 40 {
        return Err(rovs_openflow::Error::Parse("flow_mod too short".into()));
    }
    let cookie = (&bytes[..8]).get_u64();
    let priority = (&bytes[22..24]).get_u16();
    let (r#match, match_len) = rovs_openflow::Match::decode(&bytes[40..])?;
    let rest = bytes
        .get(40 + match_len..)
        .ok_or_else(|| rovs_openflow::Error::Parse("flow_mod match padding".into()))?;
    let instructions = rovs_openflow::InstructionList::decode(rest)?;
    Ok(RovsFlowMod {
        header,
        cookie,
        priority,
        r#match,
        instructions,
    })
}

/// Decodes a PACKET_IN message with `rovs-openflow` (header, then
/// `PacketIn::parse` of the body).
pub fn decode_rovs_packet_in(mut bytes: Bytes) -> rovs_openflow::Result<rovs_openflow::PacketIn> {
    rovs_openflow::Header::decode(&mut bytes)?;
    rovs_openflow::PacketIn::parse(bytes)
}

/// The entries of a MULTIPART_REPLY FLOW body with `rovs-openflow`:
/// what its (private) `parse_flow_stats_reply` does, through the public
/// `FlowStatsEntry::decode` (it leaves each entry's instructions as raw
/// bytes). The 8-byte multipart header is checked by hand.
pub fn rovs_flow_stats_entries(
    body: &[u8],
) -> rovs_openflow::Result<Vec<rovs_openflow::FlowStatsEntry>> {
    if body.len() < 8 || body[..2] != [0, 1] {
        return Err(rovs_openflow::Error::Parse("not a FLOW reply".into()));
    }
    let mut entries = Vec::new();
    let mut rest = &body[8..];
    while rest.len() >= 4 {
        let (entry, used) = rovs_openflow::FlowStatsEntry::decode(rest)?;
        if used == 0 {
            return Err(rovs_openflow::Error::Parse("zero-length flow entry".into()));
        }
        entries.push(entry);
        rest = &rest[used..];
    }
    Ok(entries)
}

/// Decodes a FLOW stats reply message with `rovs-openflow`
/// ([`rovs_flow_stats_entries`]); with `instructions`, each entry's
/// `decoded_instructions()` too. Returns the entries and the number of
/// actions decoded.
pub fn decode_rovs_flow_stats(
    mut bytes: Bytes,
    instructions: bool,
) -> rovs_openflow::Result<(Vec<rovs_openflow::FlowStatsEntry>, usize)> {
    rovs_openflow::Header::decode(&mut bytes)?;
    let entries = rovs_flow_stats_entries(&bytes)?;
    let mut actions = 0;
    if instructions {
        for e in &entries {
            for i in e.decoded_instructions()?.instructions() {
                if let rovs_openflow::Instruction::ApplyActions(a) = i {
                    actions += a.len();
                }
            }
        }
    }
    Ok((entries, actions))
}

/// A stream of [`STREAM_MESSAGES`] messages; per 10: 5 PACKET_IN, 2
/// FLOW_MOD, 1 ECHO_REQUEST (8-byte payload), 1 BARRIER_REPLY, 1 FLOW
/// stats reply of [`STREAM_STATS_ENTRIES`] flows.
pub fn mixed_stream() -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..STREAM_MESSAGES {
        let xid = i as u32;
        let msg = match i % 10 {
            0 | 2 | 4 | 6 | 8 => packet_in_message(xid),
            1 | 5 => flow_mod_message(i),
            3 => Message::new(xid, Body::EchoRequest(vec![0; 8])),
            7 => Message::new(xid, Body::BarrierReply),
            _ => flow_stats_message(xid, STREAM_STATS_ENTRIES),
        };
        msg.encode(&mut out).expect("stream messages encode");
    }
    out
}

/// What a stream decode found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// PACKET_INs.
    pub packet_in: usize,
    /// FLOW_MODs.
    pub flow_mod: usize,
    /// FLOW stats replies.
    pub flow_stats: usize,
    /// Other messages.
    pub other: usize,
    /// Bytes of frames in the PACKET_INs.
    pub frame_bytes: usize,
    /// Flow entries in the stats replies.
    pub flows: usize,
}

impl Tally {
    /// Messages seen.
    pub fn messages(&self) -> usize {
        self.packet_in + self.flow_mod + self.flow_stats + self.other
    }

    fn add(&mut self, msg: &Message) {
        match &msg.body {
            Body::PacketIn(p) => {
                self.packet_in += 1;
                self.frame_bytes += p.data.len();
            }
            Body::FlowMod(_) => self.flow_mod += 1,
            Body::MultipartReply(MultipartReply {
                body: MultipartReplyBody::Flow(f),
                ..
            }) => {
                self.flow_stats += 1;
                self.flows += f.len();
            }
            _ => self.other += 1,
        }
    }

    fn add_view(&mut self, msg: &MessageRef<'_>) {
        match &msg.body {
            BodyRef::PacketIn(p) => {
                self.packet_in += 1;
                self.frame_bytes += p.data.len();
            }
            BodyRef::FlowMod(_) => self.flow_mod += 1,
            BodyRef::FlowStatsReply(s) => {
                self.flow_stats += 1;
                self.flows += s.entries.len();
            }
            _ => self.other += 1,
        }
    }
}

/// Decodes a message with `openflow-wire` into the borrowed view
/// (`MessageRef::decode`: every field checked, nothing collected).
pub fn decode_view(bytes: &[u8]) -> MessageRef<'_> {
    MessageRef::decode(bytes).expect("bench messages decode")
}

/// Sums what a reader of every field gets: each OXM field's number and
/// each action's type, through the view's iterators.
fn read_match(m: &MatchRef<'_>) -> usize {
    m.iter().map(|o| usize::from(o.field())).sum()
}

fn read_instructions<'a>(list: impl Iterator<Item = InstructionRef<'a>>) -> usize {
    list.map(|i| match i {
        InstructionRef::ApplyActions(a) | InstructionRef::WriteActions(a) => {
            a.iter().map(|a| usize::from(a.action_type())).sum()
        }
        _ => 1,
    })
    .sum()
}

/// [`decode_view`], then every match field and action decoded from the
/// view (what a caller reading the whole message pays on top).
pub fn decode_view_read_all(bytes: &[u8]) -> usize {
    match decode_view(bytes).body {
        BodyRef::FlowMod(f) => read_match(&f.r#match) + read_instructions(f.instructions.iter()),
        BodyRef::PacketIn(p) => read_match(&p.r#match) + p.data.len(),
        BodyRef::FlowStatsReply(s) => s
            .entries
            .iter()
            .map(|e| {
                read_match(&e.r#match)
                    + read_instructions(e.instructions.iter())
                    + e.packet_count as usize
            })
            .sum(),
        _ => 0,
    }
}

fn read_owned_match(m: &Match) -> usize {
    m.fields.iter().map(|o| usize::from(o.field())).sum()
}

fn read_owned_instructions(list: &[Instruction]) -> usize {
    list.iter()
        .map(|i| match i {
            Instruction::ApplyActions(a) | Instruction::WriteActions(a) => {
                a.iter().map(|a| usize::from(a.action_type())).sum()
            }
            _ => 1,
        })
        .sum()
}

/// [`decode_ours`], then the same reading as [`decode_view_read_all`]
/// (every match field and action), from the owned message.
pub fn decode_ours_read_all(bytes: &[u8]) -> usize {
    match decode_ours(bytes).body {
        Body::FlowMod(f) => read_owned_match(&f.r#match) + read_owned_instructions(&f.instructions),
        Body::PacketIn(p) => read_owned_match(&p.r#match) + p.data.len(),
        Body::MultipartReply(MultipartReply {
            body: MultipartReplyBody::Flow(entries),
            ..
        }) => entries
            .iter()
            .map(|e| {
                read_owned_match(&e.r#match)
                    + read_owned_instructions(&e.instructions)
                    + e.packet_count as usize
            })
            .sum(),
        _ => 0,
    }
}

/// The stream fed to a [`Framer`] in [`STREAM_CHUNK`]-byte pieces; after
/// each piece `take` is called until it finds no whole message.
fn stream_framer_with(
    stream: &[u8],
    mut take: impl FnMut(&mut Framer, &mut Tally) -> bool,
) -> Tally {
    let mut framer = Framer::new();
    let mut tally = Tally::default();
    for chunk in stream.chunks(STREAM_CHUNK) {
        framer.feed(chunk);
        while take(&mut framer, &mut tally) {}
    }
    assert_eq!(framer.buffered(), 0);
    tally
}

/// The stream cut by the header's length field in place (no framer, no
/// copy), each message given to `add`.
fn stream_slices_with(mut stream: &[u8], mut add: impl FnMut(&mut Tally, &[u8])) -> Tally {
    let mut tally = Tally::default();
    while !stream.is_empty() {
        let len = usize::from(u16::from_be_bytes([stream[2], stream[3]]));
        let (msg, rest) = stream.split_at(len);
        add(&mut tally, msg);
        stream = rest;
    }
    tally
}

/// The stream through `openflow-wire`'s [`Framer`], fed in
/// [`STREAM_CHUNK`]-byte pieces, every message decoded
/// (`Framer::next_message`).
pub fn stream_ours_framer(stream: &[u8]) -> Tally {
    stream_framer_with(stream, |framer, tally| {
        match framer.next_message().expect("stream decodes") {
            Framed::Message(msg) => {
                tally.add(&msg);
                true
            }
            Framed::NeedMore(_) => false,
        }
    })
}

/// As [`stream_ours_framer`], each message a borrowed view
/// (`Framer::next_message_ref`).
pub fn stream_view_framer(stream: &[u8]) -> Tally {
    stream_framer_with(stream, |framer, tally| {
        match framer.next_message_ref().expect("stream decodes") {
            FramedRef::Message(msg) => {
                tally.add_view(&msg);
                true
            }
            FramedRef::NeedMore(_) => false,
        }
    })
}

/// The stream cut by the header's length field in place and each message
/// decoded with `Message::decode` (no framer, no copy).
pub fn stream_ours_slices(stream: &[u8]) -> Tally {
    stream_slices_with(stream, |tally, msg| tally.add(&decode_ours(msg)))
}

/// As [`stream_ours_slices`], each message a borrowed view.
pub fn stream_view_slices(stream: &[u8]) -> Tally {
    stream_slices_with(stream, |tally, msg| tally.add_view(&decode_view(msg)))
}

/// The stream through `rovs-openflow`: each message cut as its
/// connection's `recv_message` does (header decoded, body copied into a
/// `Bytes`), then PACKET_IN by `PacketIn::parse`, FLOW stats replies by
/// `parse_flow_stats_reply` (instructions left raw) and FLOW_MODs by
/// their parts ([`decode_rovs_flow_mod`]); the rest only by header.
pub fn stream_rovs(mut stream: &[u8]) -> Tally {
    use rovs_openflow::{Header, MessageType};
    let mut tally = Tally::default();
    while !stream.is_empty() {
        let mut head = Bytes::copy_from_slice(&stream[..Header::SIZE]);
        let header = Header::decode(&mut head).expect("rovs decodes the header");
        let len = usize::from(header.length);
        let whole = Bytes::copy_from_slice(&stream[..len]);
        let body = whole.slice(Header::SIZE..);
        match header.msg_type {
            MessageType::PacketIn => {
                let p = rovs_openflow::PacketIn::parse(body).expect("rovs packet_in");
                tally.packet_in += 1;
                tally.frame_bytes += p.data.len();
            }
            MessageType::FlowMod => {
                decode_rovs_flow_mod(whole).expect("rovs flow_mod parts");
                tally.flow_mod += 1;
            }
            MessageType::MultipartReply => {
                let entries = rovs_flow_stats_entries(&body).expect("rovs stats");
                tally.flow_stats += 1;
                tally.flows += entries.len();
            }
            _ => tally.other += 1,
        }
        stream = &stream[len..];
    }
    tally
}
