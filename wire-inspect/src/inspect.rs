//! Ties capture frames, reassembly, framing and decoders together.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::bgp::{BgpContext, Opens, open_of};
use crate::capture::{Frame, Timestamp};
use crate::framing::{Framed, StreamProtocol};
use crate::packet::{Flow, LinkType, Sliced, TcpSegment, Transport, slice};
use crate::protocol::{DecodeError, Decoders, Outcome, Protocol, decode_bgp};
use crate::report::{MAX_ERROR_HEX, Record};
use crate::tcp::{DEFAULT_MAX_BUFFERED, Gap, HalfStream, Segment};
use crate::vxlan::VxlanInput;

/// The outcome of a record under construction, replaced before it is emitted.
const PENDING: &str = "not decoded yet";

/// What to do, as given on the command line.
#[derive(Clone, Debug)]
pub struct Options {
    /// Re-encode every decoded message and compare bytes.
    pub roundtrip: bool,
    /// UDP ports decoded as VXLAN besides the standard ones (4789, 8472, and 4790 for GPE).
    pub extra_vxlan_ports: Vec<u16>,
    /// Out-of-order bytes buffered per TCP direction.
    pub max_out_of_order: usize,
    /// BGP messages with no OPEN known are decoded with 2-octet AS numbers
    /// first (`--bgp-as2`; 4-octet first otherwise).
    pub bgp_two_octet_as: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            roundtrip: false,
            extra_vxlan_ports: Vec::new(),
            max_out_of_order: DEFAULT_MAX_BUFFERED,
            bgp_two_octet_as: false,
        }
    }
}

impl Options {
    /// The decoder configuration these options describe.
    pub fn decoders(&self) -> Decoders {
        let mut vxlan = vxlan_wire::DecapConfig::default();
        for &p in &self.extra_vxlan_ports {
            vxlan.add_port(p, vxlan_wire::HeaderFlavour::Standard);
        }
        Decoders {
            vxlan,
            bgp_two_octet_as: self.bgp_two_octet_as,
        }
    }
}

/// Where and when a message was completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    frame: u64,
    ts: Option<Timestamp>,
}

/// One direction of a BGP or OpenFlow connection.
#[derive(Debug)]
struct Stream {
    flow: Flow,
    protocol: StreamProtocol,
    half: HalfStream,
    /// Reassembled bytes not framed yet.
    buf: Vec<u8>,
    /// A framing error made the rest of the direction unreadable.
    desynced: bool,
    /// Last frame that carried a segment of this direction.
    last: Seen,
}

/// Decodes the frames of one capture into [`Record`]s.
#[derive(Debug)]
pub struct Inspector {
    opts: Options,
    decoders: Decoders,
    vxlan_ports: BTreeSet<u16>,
    file: Option<String>,
    streams: BTreeMap<Flow, Stream>,
    /// The OPENs of the BGP connections, for their decoding contexts.
    bgp_opens: Opens,
    unsupported_linktypes: BTreeSet<i32>,
}

impl Inspector {
    /// A new inspector; `file` is reported in every line it makes.
    pub fn new(opts: &Options, file: Option<String>) -> Inspector {
        let mut vxlan_ports: BTreeSet<u16> = [4789, 8472, 4790].into_iter().collect();
        vxlan_ports.extend(opts.extra_vxlan_ports.iter().copied());
        Inspector {
            decoders: opts.decoders(),
            opts: opts.clone(),
            vxlan_ports,
            file,
            streams: BTreeMap::new(),
            bgp_opens: Opens::new(opts.bgp_two_octet_as),
            unsupported_linktypes: BTreeSet::new(),
        }
    }

    /// Link types met that this tool cannot slice (their frames were skipped).
    pub fn unsupported_linktypes(&self) -> impl Iterator<Item = i32> + '_ {
        self.unsupported_linktypes.iter().copied()
    }

    fn record(
        &self,
        seen: Seen,
        flow: Option<Flow>,
        protocol: Protocol,
        info: Map<String, Value>,
        hex: Option<Vec<u8>>,
        outcome: Outcome,
    ) -> Record {
        Record {
            file: self.file.clone(),
            frame: Some(seen.frame),
            ts: seen.ts,
            flow,
            protocol,
            info,
            hex,
            outcome,
        }
    }

    /// Handles one captured frame.
    pub fn frame(&mut self, frame: &Frame<'_>, emit: &mut impl FnMut(Record)) {
        let Some(link) = LinkType::from_linktype(frame.linktype) else {
            self.unsupported_linktypes.insert(frame.linktype);
            return;
        };
        let seen = Seen {
            frame: frame.number,
            ts: frame.ts,
        };
        match slice(link, frame.data) {
            Sliced::Packet(p) => {
                let flow = p.flow();
                match p.transport {
                    Transport::Udp { src_port, dst_port } => {
                        if self.is_vxlan_port(src_port, dst_port) {
                            let bytes = if link == LinkType::Ethernet {
                                frame.data
                            } else {
                                p.ip_packet
                            };
                            let r = self.vxlan_record(seen, Some(flow), link, bytes);
                            emit(r);
                        }
                    }
                    Transport::Tcp(seg) => {
                        if let Some(sp) = StreamProtocol::for_ports(seg.src_port, seg.dst_port) {
                            self.tcp(seen, flow, sp, &seg, emit);
                        }
                    }
                }
            }
            Sliced::Ignored => {}
            Sliced::Broken {
                flow: Some((flow, is_tcp)),
                ip_offset,
                text,
            } => {
                let (sp, dp) = (flow.src.port(), flow.dst.port());
                if !is_tcp && self.is_vxlan_port(sp, dp) {
                    // Let vxlan-wire say precisely what is wrong.
                    let bytes = if link == LinkType::Ethernet {
                        frame.data
                    } else {
                        frame.data.get(ip_offset.unwrap_or(0)..).unwrap_or(&[])
                    };
                    let r = self.vxlan_record(seen, Some(flow), link, bytes);
                    emit(r);
                } else if let (true, Some(stream)) = (is_tcp, StreamProtocol::for_ports(sp, dp)) {
                    let err = DecodeError::new(
                        format!(
                            "TCP segment unreadable, its data is missing from the stream: {text}"
                        ),
                        None,
                    );
                    let r = self.record(
                        seen,
                        Some(flow),
                        stream.into(),
                        Map::new(),
                        Some(frame.data.to_vec()),
                        Outcome::Error(err),
                    );
                    emit(r);
                }
            }
            Sliced::Broken { flow: None, .. } => {}
        }
    }

    fn is_vxlan_port(&self, a: u16, b: u16) -> bool {
        self.vxlan_ports.contains(&a) || self.vxlan_ports.contains(&b)
    }

    fn vxlan_record(&self, seen: Seen, flow: Option<Flow>, link: LinkType, bytes: &[u8]) -> Record {
        let (protocol, input) = if link == LinkType::Ethernet {
            (Protocol::Vxlan, VxlanInput::Ethernet)
        } else {
            (Protocol::VxlanIp, VxlanInput::Ip)
        };
        vxlan_line(
            self.record(
                seen,
                flow,
                protocol,
                Map::new(),
                None,
                Outcome::Unavailable(PENDING),
            ),
            input,
            bytes,
            &self.decoders,
            self.opts.roundtrip,
        )
    }

    fn tcp(
        &mut self,
        seen: Seen,
        flow: Flow,
        protocol: StreamProtocol,
        seg: &TcpSegment<'_>,
        emit: &mut impl FnMut(Record),
    ) {
        let max = self.opts.max_out_of_order;
        let stream = self.streams.entry(flow).or_insert_with(|| Stream {
            flow,
            protocol,
            half: HalfStream::new(max),
            buf: Vec::new(),
            desynced: false,
            last: seen,
        });
        stream.last = seen;
        let segment = Segment {
            seq: seg.seq,
            syn: seg.syn,
            fin: seg.fin,
            rst: seg.rst,
            payload: seg.payload,
        };
        let mut data = Vec::new();
        let mut records = Vec::new();
        match stream.half.segment(&segment, &mut data) {
            Err(e) => {
                records.push(stream_error(stream, e.to_string(), None, Vec::new()));
                stream.buf.clear();
            }
            Ok(progress) => {
                if progress.restarted {
                    if !stream.buf.is_empty() && !stream.desynced {
                        let rest = std::mem::take(&mut stream.buf);
                        records.push(stream_error(
                            stream,
                            format!(
                                "connection restarted (new SYN) with {} bytes of an unfinished message",
                                rest.len()
                            ),
                            Some(rest.len()),
                            rest,
                        ));
                    }
                    stream.buf.clear();
                    stream.desynced = false;
                    // A new connection negotiates afresh.
                    self.bgp_opens.forget(&flow);
                }
                if !stream.desynced {
                    stream.buf.extend_from_slice(&data);
                    self.frame_stream(flow, &mut records);
                }
                if let Some(stream) = self.streams.get_mut(&flow) {
                    if let Some(gap) = progress.lost {
                        records.push(gap_error(stream, gap));
                    }
                    if progress.ended {
                        let why = if seg.rst {
                            "connection reset"
                        } else {
                            "connection closed"
                        };
                        records.extend(end_of_stream(stream, why));
                    }
                }
            }
        }
        if seg.rst {
            // RST aborts the whole connection: the other direction ends too.
            if let Some(rev) = self.streams.get_mut(&flow.reverse())
                && !rev.half.is_closed()
            {
                rev.last = seen;
                if let Some(gap) = rev.half.close() {
                    records.push(gap_error(rev, gap));
                }
                records.extend(end_of_stream(rev, "connection reset"));
            }
        }
        for mut r in records {
            r.file.clone_from(&self.file);
            emit(r);
        }
    }

    /// Cuts complete messages off the front of a stream's buffer.
    fn frame_stream(&mut self, flow: Flow, records: &mut Vec<Record>) {
        let Some(stream) = self.streams.get_mut(&flow) else {
            return;
        };
        let mut consumed = 0;
        let mut messages = Vec::new();
        let mut error = None;
        loop {
            match stream.protocol.frame(&stream.buf[consumed..]) {
                Framed::Message(len) => {
                    messages.push(stream.buf[consumed..consumed + len].to_vec());
                    consumed += len;
                }
                Framed::Incomplete { .. } => break,
                Framed::Error(e) => {
                    let rest = stream.buf[consumed..].to_vec();
                    error = Some(stream_error(stream, e.text, Some(e.offset), rest));
                    stream.desynced = true;
                    consumed = stream.buf.len();
                    break;
                }
            }
        }
        stream.buf.drain(..consumed);
        let (protocol, last) = (stream.protocol, stream.last);
        for msg in messages {
            let base = self.record(
                last,
                Some(flow),
                protocol.into(),
                Map::new(),
                None,
                Outcome::Unavailable(PENDING),
            );
            let bgp = (protocol == StreamProtocol::Bgp).then(|| self.bgp_opens.context(&flow));
            if bgp.is_some() {
                self.bgp_opens.observe(flow, &msg);
            }
            records.push(stream_message(
                base,
                protocol,
                msg,
                &self.decoders,
                bgp.as_ref(),
                self.opts.roundtrip,
            ));
        }
        records.extend(error);
    }

    /// End of the capture: reports unfinished messages and undelivered data.
    pub fn finish(&mut self, emit: &mut impl FnMut(Record)) {
        let mut records = Vec::new();
        for stream in self.streams.values_mut() {
            if stream.half.is_closed() {
                continue;
            }
            if let Some(gap) = stream.half.close() {
                records.push(gap_error(stream, gap));
            }
            records.extend(end_of_stream(stream, "capture ended"));
        }
        for mut r in records {
            r.file.clone_from(&self.file);
            emit(r);
        }
    }
}

/// A line for one framed BGP or OpenFlow message; `bgp` is the decoding
/// context of a BGP message's direction.
fn stream_message(
    mut base: Record,
    protocol: StreamProtocol,
    msg: Vec<u8>,
    decoders: &Decoders,
    bgp: Option<&BgpContext>,
    roundtrip: bool,
) -> Record {
    base.info = protocol.header_info(&msg);
    base.info.insert("len".into(), json!(msg.len()));
    base.outcome = match bgp {
        Some(ctx) => decode_bgp(&msg, ctx, roundtrip),
        None => Protocol::from(protocol).decode(&msg, decoders, roundtrip),
    };
    base.hex = Some(msg);
    base
}

/// A line for one VXLAN frame or packet.
fn vxlan_line(
    mut base: Record,
    input: VxlanInput,
    bytes: &[u8],
    decoders: &Decoders,
    roundtrip: bool,
) -> Record {
    base.info.insert("input".into(), json!(input.name()));
    base.info.insert("len".into(), json!(bytes.len()));
    base.outcome = base.protocol.decode(bytes, decoders, roundtrip);
    if matches!(base.outcome, Outcome::Error(_)) {
        base.hex = Some(bytes.to_vec());
    }
    base
}

fn stream_error(stream: &Stream, text: String, offset: Option<usize>, bytes: Vec<u8>) -> Record {
    let mut info = Map::new();
    if !bytes.is_empty() {
        info.insert("len".into(), json!(bytes.len()));
    }
    let mut bytes = bytes;
    bytes.truncate(MAX_ERROR_HEX);
    Record {
        file: None,
        frame: Some(stream.last.frame),
        ts: stream.last.ts,
        flow: Some(stream.flow),
        protocol: stream.protocol.into(),
        info,
        hex: (!bytes.is_empty()).then_some(bytes),
        outcome: Outcome::Error(DecodeError::new(text, offset)),
    }
}

fn gap_error(stream: &Stream, gap: Gap) -> Record {
    stream_error(
        stream,
        format!(
            "TCP data missing at stream offset {}: {} bytes received after the gap were never delivered",
            gap.missing_at, gap.buffered
        ),
        None,
        Vec::new(),
    )
}

/// The direction ended: an unfinished message in the buffer is an error.
fn end_of_stream(stream: &mut Stream, why: &str) -> Option<Record> {
    if stream.desynced || stream.buf.is_empty() {
        stream.buf.clear();
        return None;
    }
    let rest = std::mem::take(&mut stream.buf);
    let need = match stream.protocol.frame(&rest) {
        Framed::Incomplete { needed: Some(n) } => format!(" of {n}"),
        _ => String::new(),
    };
    Some(stream_error(
        stream,
        format!(
            "{why} inside a message: {} bytes{need} received",
            rest.len()
        ),
        Some(rest.len()),
        rest,
    ))
}

/// Decodes one message given as bytes (`--hex` mode). BGP and OpenFlow input
/// may hold several messages back to back; each gets a line. They are taken
/// as one direction of a connection: a BGP OPEN among them is the sender's
/// OPEN for the messages after it (see [`crate::bgp`]).
pub fn inspect_bytes(
    protocol: Protocol,
    bytes: &[u8],
    opts: &Options,
    emit: &mut impl FnMut(Record),
) {
    let decoders = opts.decoders();
    let base = Record {
        file: None,
        frame: None,
        ts: None,
        flow: None,
        protocol,
        info: Map::new(),
        hex: None,
        outcome: Outcome::Unavailable(PENDING),
    };
    match protocol.stream() {
        None => {
            let (link, input) = if protocol == Protocol::Vxlan {
                (LinkType::Ethernet, VxlanInput::Ethernet)
            } else {
                (LinkType::RawIp, VxlanInput::Ip)
            };
            let flow = match slice(link, bytes) {
                Sliced::Packet(p) => Some(p.flow()),
                Sliced::Broken { flow, .. } => flow.map(|(f, _)| f),
                Sliced::Ignored => None,
            };
            let base = Record { flow, ..base };
            emit(vxlan_line(base, input, bytes, &decoders, opts.roundtrip));
        }
        Some(sp) => {
            let mut at = 0;
            let mut sender_open = None;
            while at < bytes.len() {
                match sp.frame(&bytes[at..]) {
                    Framed::Message(len) => {
                        let msg = bytes[at..at + len].to_vec();
                        let bgp = (sp == StreamProtocol::Bgp).then(|| {
                            BgpContext::for_direction(
                                sender_open.as_ref(),
                                None,
                                opts.bgp_two_octet_as,
                            )
                        });
                        if bgp.is_some()
                            && let Some(open) = open_of(&msg)
                        {
                            sender_open = Some(open);
                        }
                        emit(stream_message(
                            base.clone(),
                            sp,
                            msg,
                            &decoders,
                            bgp.as_ref(),
                            opts.roundtrip,
                        ));
                        at += len;
                    }
                    Framed::Incomplete { needed } => {
                        let need = needed.map(|n| format!(" of {n}")).unwrap_or_default();
                        let rest = &bytes[at..];
                        let mut r = Record::error(
                            protocol,
                            DecodeError::new(
                                format!("input ends inside a message: {} bytes{need}", rest.len()),
                                Some(rest.len()),
                            ),
                        );
                        r.info.insert("len".into(), json!(rest.len()));
                        r.hex = Some(rest.to_vec());
                        emit(r);
                        break;
                    }
                    Framed::Error(e) => {
                        let rest = &bytes[at..];
                        let mut r =
                            Record::error(protocol, DecodeError::new(e.text, Some(e.offset)));
                        r.info.insert("len".into(), json!(rest.len()));
                        r.hex = Some(rest.to_vec());
                        emit(r);
                        break;
                    }
                }
            }
            if bytes.is_empty() {
                emit(Record::error(
                    protocol,
                    DecodeError::new("empty input", Some(0)),
                ));
            }
        }
    }
}
