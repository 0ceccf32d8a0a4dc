//! OpenFlow messages: the 8-byte header plus a typed body.
//!
//! HELLO is decoded in every version (its format is shared); every other
//! message of a version other than 1.3 (0x04), and every 1.3 message type
//! this crate does not know, is kept raw in [`Body::Raw`].

mod async_config;
mod config;
mod error_msg;
mod experimenter;
mod features;
mod flow_mod;
mod flow_removed;
mod group_mod;
mod meter_mod;
mod multipart;
mod packet_in;
mod packet_out;
mod port;
mod queue;
mod role;
mod table_mod;

pub use async_config::AsyncConfig;
pub use config::SwitchConfig;
pub use error_msg::*;
pub use experimenter::ExperimenterMsg;
pub use features::FeaturesReply;
pub(crate) use flow_mod::read_flow_mod_fixed;
pub use flow_mod::{FlowMod, OFP_NO_BUFFER, OFPFF_SEND_FLOW_REM, OFPG_ANY, commands};
pub use flow_removed::FlowRemoved;
pub use group_mod::{Bucket, GroupMod, group_commands, group_types};
pub use meter_mod::{MeterBand, MeterMod};
pub(crate) use multipart::read_flow_stats_fixed;
pub(crate) use multipart::read_header as read_multipart_header;
pub use multipart::{
    AggregateStats, BucketCounter, Desc, FlowStats, FlowStatsRequest, GroupDesc, GroupFeatures,
    GroupStats, ItemId, MeterBandStats, MeterConfig, MeterFeatures, MeterStats, MultipartReply,
    MultipartReplyBody, MultipartRequest, MultipartRequestBody, OFPM_ALL, OFPMPF_REPLY_MORE,
    OFPMPF_REQ_MORE, OFPQ_ALL, OFPTT_ALL, OxmId, PortStats, QueueStats, Reassembler,
    TableFeatureProp, TableFeatures, TableStats, mp_types,
};
pub use packet_in::PacketIn;
pub(crate) use packet_in::read_packet_in_fixed;
pub use packet_out::PacketOut;
pub use port::{Port, PortMod, PortStatus};
pub use queue::{PacketQueue, QueueGetConfigReply, QueueProperty};
pub use role::Role;
pub use table_mod::TableMod;

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, Scratch, len16, overwrite};
use crate::header::{HEADER_LEN, Header, OFP_VERSION_1_3};
use crate::hello::Hello;

/// `OFPT_*` message type numbers of OpenFlow 1.3.
pub mod msg_types {
    /// HELLO.
    pub const HELLO: u8 = 0;
    /// ERROR.
    pub const ERROR: u8 = 1;
    /// ECHO_REQUEST.
    pub const ECHO_REQUEST: u8 = 2;
    /// ECHO_REPLY.
    pub const ECHO_REPLY: u8 = 3;
    /// EXPERIMENTER.
    pub const EXPERIMENTER: u8 = 4;
    /// FEATURES_REQUEST.
    pub const FEATURES_REQUEST: u8 = 5;
    /// FEATURES_REPLY.
    pub const FEATURES_REPLY: u8 = 6;
    /// GET_CONFIG_REQUEST.
    pub const GET_CONFIG_REQUEST: u8 = 7;
    /// GET_CONFIG_REPLY.
    pub const GET_CONFIG_REPLY: u8 = 8;
    /// SET_CONFIG.
    pub const SET_CONFIG: u8 = 9;
    /// PACKET_IN.
    pub const PACKET_IN: u8 = 10;
    /// FLOW_REMOVED.
    pub const FLOW_REMOVED: u8 = 11;
    /// PORT_STATUS.
    pub const PORT_STATUS: u8 = 12;
    /// PACKET_OUT.
    pub const PACKET_OUT: u8 = 13;
    /// FLOW_MOD.
    pub const FLOW_MOD: u8 = 14;
    /// GROUP_MOD.
    pub const GROUP_MOD: u8 = 15;
    /// PORT_MOD.
    pub const PORT_MOD: u8 = 16;
    /// TABLE_MOD.
    pub const TABLE_MOD: u8 = 17;
    /// MULTIPART_REQUEST.
    pub const MULTIPART_REQUEST: u8 = 18;
    /// MULTIPART_REPLY.
    pub const MULTIPART_REPLY: u8 = 19;
    /// BARRIER_REQUEST.
    pub const BARRIER_REQUEST: u8 = 20;
    /// BARRIER_REPLY.
    pub const BARRIER_REPLY: u8 = 21;
    /// QUEUE_GET_CONFIG_REQUEST.
    pub const QUEUE_GET_CONFIG_REQUEST: u8 = 22;
    /// QUEUE_GET_CONFIG_REPLY.
    pub const QUEUE_GET_CONFIG_REPLY: u8 = 23;
    /// ROLE_REQUEST.
    pub const ROLE_REQUEST: u8 = 24;
    /// ROLE_REPLY.
    pub const ROLE_REPLY: u8 = 25;
    /// GET_ASYNC_REQUEST.
    pub const GET_ASYNC_REQUEST: u8 = 26;
    /// GET_ASYNC_REPLY.
    pub const GET_ASYNC_REPLY: u8 = 27;
    /// SET_ASYNC.
    pub const SET_ASYNC: u8 = 28;
    /// METER_MOD.
    pub const METER_MOD: u8 = 29;
}

/// A message body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Body {
    /// HELLO (any version).
    Hello(Hello),
    /// ERROR.
    Error(ErrorMsg),
    /// ECHO_REQUEST with its payload.
    EchoRequest(Vec<u8>),
    /// ECHO_REPLY with its payload.
    EchoReply(Vec<u8>),
    /// EXPERIMENTER.
    Experimenter(ExperimenterMsg),
    /// FEATURES_REQUEST.
    FeaturesRequest,
    /// FEATURES_REPLY.
    FeaturesReply(FeaturesReply),
    /// GET_CONFIG_REQUEST.
    GetConfigRequest,
    /// GET_CONFIG_REPLY.
    GetConfigReply(SwitchConfig),
    /// SET_CONFIG.
    SetConfig(SwitchConfig),
    /// PACKET_IN.
    PacketIn(PacketIn),
    /// FLOW_REMOVED.
    FlowRemoved(FlowRemoved),
    /// PORT_STATUS.
    PortStatus(PortStatus),
    /// PACKET_OUT.
    PacketOut(PacketOut),
    /// FLOW_MOD.
    FlowMod(FlowMod),
    /// GROUP_MOD.
    GroupMod(GroupMod),
    /// PORT_MOD.
    PortMod(PortMod),
    /// TABLE_MOD.
    TableMod(TableMod),
    /// MULTIPART_REQUEST.
    MultipartRequest(MultipartRequest),
    /// MULTIPART_REPLY.
    MultipartReply(MultipartReply),
    /// BARRIER_REQUEST.
    BarrierRequest,
    /// BARRIER_REPLY.
    BarrierReply,
    /// QUEUE_GET_CONFIG_REQUEST for this port.
    QueueGetConfigRequest {
        /// Port (`OFPP_ANY` = all).
        port: u32,
    },
    /// QUEUE_GET_CONFIG_REPLY.
    QueueGetConfigReply(QueueGetConfigReply),
    /// ROLE_REQUEST.
    RoleRequest(Role),
    /// ROLE_REPLY.
    RoleReply(Role),
    /// GET_ASYNC_REQUEST.
    GetAsyncRequest,
    /// GET_ASYNC_REPLY.
    GetAsyncReply(AsyncConfig),
    /// SET_ASYNC.
    SetAsync(AsyncConfig),
    /// METER_MOD.
    MeterMod(MeterMod),
    /// A message of another version, or of a type unknown in 1.3, kept raw.
    Raw {
        /// Message type.
        msg_type: u8,
        /// The body after the header.
        data: Vec<u8>,
    },
}

impl Body {
    /// The message type number.
    pub fn msg_type(&self) -> u8 {
        use msg_types::*;
        match self {
            Body::Hello(_) => HELLO,
            Body::Error(_) => ERROR,
            Body::EchoRequest(_) => ECHO_REQUEST,
            Body::EchoReply(_) => ECHO_REPLY,
            Body::Experimenter(_) => EXPERIMENTER,
            Body::FeaturesRequest => FEATURES_REQUEST,
            Body::FeaturesReply(_) => FEATURES_REPLY,
            Body::GetConfigRequest => GET_CONFIG_REQUEST,
            Body::GetConfigReply(_) => GET_CONFIG_REPLY,
            Body::SetConfig(_) => SET_CONFIG,
            Body::PacketIn(_) => PACKET_IN,
            Body::FlowRemoved(_) => FLOW_REMOVED,
            Body::PortStatus(_) => PORT_STATUS,
            Body::PacketOut(_) => PACKET_OUT,
            Body::FlowMod(_) => FLOW_MOD,
            Body::GroupMod(_) => GROUP_MOD,
            Body::PortMod(_) => PORT_MOD,
            Body::TableMod(_) => TABLE_MOD,
            Body::MultipartRequest(_) => MULTIPART_REQUEST,
            Body::MultipartReply(_) => MULTIPART_REPLY,
            Body::BarrierRequest => BARRIER_REQUEST,
            Body::BarrierReply => BARRIER_REPLY,
            Body::QueueGetConfigRequest { .. } => QUEUE_GET_CONFIG_REQUEST,
            Body::QueueGetConfigReply(_) => QUEUE_GET_CONFIG_REPLY,
            Body::RoleRequest(_) => ROLE_REQUEST,
            Body::RoleReply(_) => ROLE_REPLY,
            Body::GetAsyncRequest => GET_ASYNC_REQUEST,
            Body::GetAsyncReply(_) => GET_ASYNC_REPLY,
            Body::SetAsync(_) => SET_ASYNC,
            Body::MeterMod(_) => METER_MOD,
            Body::Raw { msg_type, .. } => *msg_type,
        }
    }

    /// Length of the body (header excluded).
    pub fn encoded_len(&self) -> usize {
        match self {
            Body::Hello(h) => h.encoded_len(),
            Body::Error(e) => e.encoded_len(),
            Body::EchoRequest(d) | Body::EchoReply(d) | Body::Raw { data: d, .. } => d.len(),
            Body::Experimenter(e) => e.encoded_len(),
            Body::FeaturesRequest
            | Body::GetConfigRequest
            | Body::BarrierRequest
            | Body::BarrierReply
            | Body::GetAsyncRequest => 0,
            Body::FeaturesReply(_) => FeaturesReply::LEN,
            Body::GetConfigReply(_) | Body::SetConfig(_) => SwitchConfig::LEN,
            Body::PacketIn(p) => p.encoded_len(),
            Body::FlowRemoved(f) => f.encoded_len(),
            Body::PortStatus(_) => PortStatus::LEN,
            Body::PacketOut(p) => p.encoded_len(),
            Body::FlowMod(f) => f.encoded_len(),
            Body::GroupMod(g) => g.encoded_len(),
            Body::PortMod(_) => PortMod::LEN,
            Body::TableMod(_) => TableMod::LEN,
            Body::MultipartRequest(m) => m.encoded_len(),
            Body::MultipartReply(m) => m.encoded_len(),
            Body::QueueGetConfigRequest { .. } => 8,
            Body::QueueGetConfigReply(q) => q.encoded_len(),
            Body::RoleRequest(_) | Body::RoleReply(_) => Role::LEN,
            Body::GetAsyncReply(_) | Body::SetAsync(_) => AsyncConfig::LEN,
            Body::MeterMod(m) => m.encoded_len(),
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>, version: u8, msg_type: u8) -> Result<Body, Error> {
        use msg_types::*;
        if msg_type == HELLO {
            return Hello::read(r).map(Body::Hello);
        }
        if version != OFP_VERSION_1_3 {
            return Ok(Body::Raw {
                msg_type,
                data: r.rest().to_vec(),
            });
        }
        Ok(match msg_type {
            ERROR => Body::Error(ErrorMsg::read(r)?),
            ECHO_REQUEST => Body::EchoRequest(r.rest().to_vec()),
            ECHO_REPLY => Body::EchoReply(r.rest().to_vec()),
            EXPERIMENTER => Body::Experimenter(ExperimenterMsg::read(r)?),
            FEATURES_REQUEST => Body::FeaturesRequest,
            FEATURES_REPLY => Body::FeaturesReply(FeaturesReply::read(r)?),
            GET_CONFIG_REQUEST => Body::GetConfigRequest,
            GET_CONFIG_REPLY => Body::GetConfigReply(SwitchConfig::read(r)?),
            SET_CONFIG => Body::SetConfig(SwitchConfig::read(r)?),
            PACKET_IN => Body::PacketIn(PacketIn::read(r)?),
            FLOW_REMOVED => Body::FlowRemoved(FlowRemoved::read(r)?),
            PORT_STATUS => Body::PortStatus(PortStatus::read(r)?),
            PACKET_OUT => Body::PacketOut(PacketOut::read(r)?),
            FLOW_MOD => Body::FlowMod(FlowMod::read(r)?),
            GROUP_MOD => Body::GroupMod(GroupMod::read(r)?),
            PORT_MOD => Body::PortMod(PortMod::read(r)?),
            TABLE_MOD => Body::TableMod(TableMod::read(r)?),
            MULTIPART_REQUEST => Body::MultipartRequest(MultipartRequest::read(r)?),
            MULTIPART_REPLY => Body::MultipartReply(MultipartReply::read(r)?),
            BARRIER_REQUEST => Body::BarrierRequest,
            BARRIER_REPLY => Body::BarrierReply,
            QUEUE_GET_CONFIG_REQUEST => {
                let port = r.u32("queue port")?;
                r.skip(4, "queue_get_config pad")?;
                Body::QueueGetConfigRequest { port }
            }
            QUEUE_GET_CONFIG_REPLY => Body::QueueGetConfigReply(QueueGetConfigReply::read(r)?),
            ROLE_REQUEST => Body::RoleRequest(Role::read(r)?),
            ROLE_REPLY => Body::RoleReply(Role::read(r)?),
            GET_ASYNC_REQUEST => Body::GetAsyncRequest,
            GET_ASYNC_REPLY => Body::GetAsyncReply(AsyncConfig::read(r)?),
            SET_ASYNC => Body::SetAsync(AsyncConfig::read(r)?),
            METER_MOD => Body::MeterMod(MeterMod::read(r)?),
            _ => Body::Raw {
                msg_type,
                data: r.rest().to_vec(),
            },
        })
    }

    fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        match self {
            Body::Hello(h) => h.write(b),
            Body::Error(e) => e.write(b),
            Body::EchoRequest(d) | Body::EchoReply(d) | Body::Raw { data: d, .. } => {
                b.put_slice(d);
                Ok(())
            }
            Body::Experimenter(e) => e.write(b),
            Body::FeaturesRequest
            | Body::GetConfigRequest
            | Body::BarrierRequest
            | Body::BarrierReply
            | Body::GetAsyncRequest => Ok(()),
            Body::FeaturesReply(f) => f.write(b),
            Body::GetConfigReply(c) | Body::SetConfig(c) => c.write(b),
            Body::PacketIn(p) => p.write(b),
            Body::FlowRemoved(f) => f.write(b),
            Body::PortStatus(p) => p.write(b),
            Body::PacketOut(p) => p.write(b),
            Body::FlowMod(f) => f.write(b),
            Body::GroupMod(g) => g.write(b),
            Body::PortMod(p) => p.write(b),
            Body::TableMod(t) => t.write(b),
            Body::MultipartRequest(m) => m.write(b),
            Body::MultipartReply(m) => m.write(b),
            Body::QueueGetConfigRequest { port } => {
                b.put_u32(*port);
                b.put_u32(0);
                Ok(())
            }
            Body::QueueGetConfigReply(q) => q.write(b),
            Body::RoleRequest(r) | Body::RoleReply(r) => r.write(b),
            Body::GetAsyncReply(a) | Body::SetAsync(a) => a.write(b),
            Body::MeterMod(m) => m.write(b),
        }
    }
}

/// One OpenFlow message: version, transaction id and body (the header's
/// type and length are derived from the body).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Message {
    /// Wire version (0x04 for every typed body but HELLO).
    pub version: u8,
    /// Transaction id.
    pub xid: u32,
    /// The body.
    pub body: Body,
}

/// Size of the stack buffer of the fast encode path: a FLOW_MOD or the
/// head of a PACKET_IN up to this size is written there and copied out
/// in one piece; larger ones take the general path.
const FAST_LEN: usize = 256;

impl Message {
    /// Encodes the OpenFlow message into `buf`, returning the bytes
    /// written (always [`Self::encoded_len`]).
    pub fn encode<B: BufMut>(&self, buf: &mut B) -> Result<usize, Error> {
        if self.has_fast_path() {
            let mut s = Scratch::<FAST_LEN>::new();
            if let Some(tail) = self.write_scratch(&mut s) {
                // Written without error, so the general path would fail
                // only on a short buffer too.
                let needed = s.pos() + tail.len();
                if buf.remaining_mut() < needed {
                    return Err(Error::BufferTooSmall {
                        needed,
                        available: buf.remaining_mut(),
                    });
                }
                buf.put_slice(s.bytes());
                buf.put_slice(tail);
                return Ok(needed);
            }
        }
        self.encode_general(buf)
    }

    /// Encodes the OpenFlow message into a new vector.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        if self.has_fast_path() {
            let mut s = Scratch::<FAST_LEN>::new();
            if let Some(tail) = self.write_scratch(&mut s) {
                let mut out = Vec::with_capacity(s.pos() + tail.len());
                out.extend_from_slice(s.bytes());
                out.extend_from_slice(tail);
                return Ok(out);
            }
        }
        let needed = self.encoded_len();
        let mut out = Vec::with_capacity(needed);
        self.write_sized(&mut out, needed)?;
        Ok(out)
    }

    /// The general encode path: every body, every error.
    pub(crate) fn encode_general<B: BufMut>(&self, buf: &mut B) -> Result<usize, Error> {
        let needed = self.encoded_len();
        if buf.remaining_mut() < needed {
            return Err(Error::BufferTooSmall {
                needed,
                available: buf.remaining_mut(),
            });
        }
        self.write_sized(buf, needed)?;
        Ok(needed)
    }

    /// Whether the body has a fast encode path ([`Message::write_scratch`]).
    #[inline(always)]
    fn has_fast_path(&self) -> bool {
        matches!(self.body, Body::FlowMod(_) | Body::PacketIn(_))
    }

    /// The fast encode path (see [`Scratch`]): an OpenFlow 1.3 FLOW_MOD or
    /// PACKET_IN made of fields, instructions and actions that cannot fail
    /// to encode, written into `s` with every length patched in once
    /// known. Returns the bytes to write after `s` (a PACKET_IN's frame),
    /// or `None` (nothing about the message decided) for the general path.
    #[inline]
    fn write_scratch<'a, const N: usize>(&'a self, s: &mut Scratch<N>) -> Option<&'a [u8]> {
        if self.version != OFP_VERSION_1_3 {
            return None;
        }
        let x = self.xid.to_be_bytes();
        s.put([
            OFP_VERSION_1_3,
            self.body.msg_type(),
            0,
            0,
            x[0],
            x[1],
            x[2],
            x[3],
        ])?;
        let tail: &[u8] = match &self.body {
            Body::FlowMod(f) => {
                f.write_scratch(s)?;
                &[]
            }
            Body::PacketIn(p) => p.write_scratch(s)?,
            _ => return None,
        };
        s.patch_u16(2, u16::try_from(s.pos() + tail.len()).ok()?)?;
        Some(tail)
    }

    /// Decodes exactly one OpenFlow message filling `buf`.
    pub fn decode(buf: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(buf);
        if let Some(h) = buf.get(2..4)
            && usize::from(u16::from_be_bytes([h[0], h[1]])) == buf.len()
        {
            // The length field says the message fills `buf`: a message
            // that decodes leaves nothing, so the result is returned as
            // decoded (not moved again behind a trailing-bytes check).
            return Message::read(&mut r);
        }
        let v = Message::read(&mut r)?;
        r.finish("OpenFlow message")?;
        Ok(v)
    }
}

impl Message {
    /// An OpenFlow 1.3 message.
    pub fn new(xid: u32, body: Body) -> Message {
        Message {
            version: OFP_VERSION_1_3,
            xid,
            body,
        }
    }

    /// The header this message is written with.
    pub fn header(&self) -> Header {
        Header {
            version: self.version,
            msg_type: self.body.msg_type(),
            length: self.encoded_len().min(usize::from(u16::MAX)) as u16,
            xid: self.xid,
        }
    }

    /// Encoded length, header included.
    pub fn encoded_len(&self) -> usize {
        HEADER_LEN + self.body.encoded_len()
    }

    /// Reads the header and takes the body the length field counts, as a
    /// reader of its own (shared with [`crate::view::MessageRef`]).
    #[inline]
    pub(crate) fn read_frame<'a>(r: &mut Reader<'a>) -> Result<(Header, Reader<'a>), Error> {
        let offset = r.offset();
        let header = Header::read(r)?;
        let body = r
            .sub(usize::from(header.length) - HEADER_LEN, "message body")
            .map_err(|e| match e {
                Error::Truncated { available, .. } => Error::Truncated {
                    what: "OpenFlow message",
                    offset,
                    needed: header.length.into(),
                    available: available + HEADER_LEN,
                },
                other => other,
            })?;
        Ok((header, body))
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Message, Error> {
        let (header, mut body) = Message::read_frame(r)?;
        if header.version == OFP_VERSION_1_3
            && matches!(header.msg_type, msg_types::FLOW_MOD | msg_types::PACKET_IN)
        {
            // The common bodies decoded in place (no FlowMod or PacketIn,
            // then Body, moved through the stack).
            let mut msg = Message {
                version: header.version,
                xid: header.xid,
                body: Body::BarrierReply,
            };
            match header.msg_type {
                msg_types::FLOW_MOD => {
                    overwrite(&mut msg.body, Body::FlowMod(FlowMod::default()));
                    if let Body::FlowMod(f) = &mut msg.body {
                        FlowMod::read_to(&mut body, f)?;
                    }
                }
                _ => {
                    overwrite(&mut msg.body, Body::PacketIn(PacketIn::default()));
                    if let Body::PacketIn(p) = &mut msg.body {
                        PacketIn::read_to(&mut body, p)?;
                    }
                }
            }
            body.finish("message body")?;
            return Ok(msg);
        }
        let b = Body::read(&mut body, header.version, header.msg_type)?;
        body.finish("message body")?;
        Ok(Message {
            version: header.version,
            xid: header.xid,
            body: b,
        })
    }

    /// Writes the message whose `encoded_len()` is `len`.
    fn write_sized<B: BufMut>(&self, b: &mut B, len: usize) -> Result<(), Error> {
        let len = len16(len, "OpenFlow message")?;
        if self.version != OFP_VERSION_1_3
            && !matches!(self.body, Body::Hello(_) | Body::Raw { .. })
        {
            return Err(Error::OutOfRange {
                field: "version of a typed OpenFlow 1.3 body",
                value: self.version.into(),
                max: OFP_VERSION_1_3.into(),
            });
        }
        let mut head = [0u8; HEADER_LEN];
        head[0] = self.version;
        head[1] = self.body.msg_type();
        head[2..4].copy_from_slice(&len.to_be_bytes());
        head[4..].copy_from_slice(&self.xid.to_be_bytes());
        b.put_slice(&head);
        self.body.write(b)
    }
}
