//! BGP messages (RFC 4271 section 4): header, framing, OPEN with
//! capabilities, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH, and the
//! RFC 7606 decode of UPDATE.
//!
//! [`Message::decode`] takes one whole message (as [`Framer`] returns it)
//! and the session's [`DecodingContext`]; [`Message::encode`] writes it
//! back byte for byte.

pub mod capability;
pub mod context;
pub mod framer;
pub mod header;
pub mod notification;
pub mod open;
pub mod outcome;
pub mod route_refresh;
pub mod update;

use alloc::vec::Vec;

use bytes::BufMut;

pub use capability::{
    AddPathEntry, AddPathMode, Capability, GracefulRestart, GracefulRestartFamily,
    UnknownCapability,
};
pub use context::DecodingContext;
pub use framer::{Frame, FrameLen, Framer, frame_len};
pub use header::{Header, message_type};
pub use notification::Notification;
pub use open::{Open, OptionalParameter, UnknownParameter};
pub use outcome::{UpdateAction, UpdateOutcome, UpdateProblem};
pub use route_refresh::RouteRefresh;
pub use update::Update;

use crate::error::{Error, Result};

/// A message of a type this crate does not know, kept raw.
///
/// An RFC 4271 speaker answers it with NOTIFICATION 1/3 (Bad Message Type):
/// [`UnknownMessage::error`] gives the error to turn into it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "UnknownRepr"))]
pub struct UnknownMessage {
    msg_type: u8,
    body: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct UnknownRepr {
    msg_type: u8,
    body: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<UnknownRepr> for UnknownMessage {
    type Error = Error;
    fn try_from(r: UnknownRepr) -> Result<Self> {
        UnknownMessage::new(r.msg_type, r.body)
    }
}

impl UnknownMessage {
    /// A raw message. Fails for types 1 to 5 and bodies over 65516 octets.
    pub fn new(msg_type: u8, body: Vec<u8>) -> Result<Self> {
        if (1..=5).contains(&msg_type) {
            return Err(Error::InvalidValue {
                what: "unknown message type",
                reason: "types 1 to 5 have typed variants",
            });
        }
        if body.len() > 65535 - Header::LEN {
            return Err(Error::OutOfRange {
                what: "message body length",
                value: body.len() as u64,
                max: (65535 - Header::LEN) as u64,
            });
        }
        Ok(UnknownMessage { msg_type, body })
    }

    /// The type octet.
    pub fn msg_type(&self) -> u8 {
        self.msg_type
    }

    /// The body as received.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The Bad Message Type error (NOTIFICATION 1/3, data: the type).
    pub fn error(&self) -> Error {
        Error::BadMessageType {
            offset: 18,
            msg_type: self.msg_type,
        }
    }
}

/// A BGP message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Message {
    /// OPEN (1).
    Open(Open),
    /// UPDATE (2).
    Update(Update),
    /// NOTIFICATION (3).
    Notification(Notification),
    /// KEEPALIVE (4).
    Keepalive,
    /// ROUTE-REFRESH (5).
    RouteRefresh(RouteRefresh),
    /// Any other type.
    Unknown(UnknownMessage),
}

impl From<Update> for Message {
    fn from(u: Update) -> Self {
        Message::Update(u)
    }
}

impl From<Open> for Message {
    fn from(o: Open) -> Self {
        Message::Open(o)
    }
}

impl From<Notification> for Message {
    fn from(n: Notification) -> Self {
        Message::Notification(n)
    }
}

impl Message {
    /// The type octet.
    pub fn msg_type(&self) -> u8 {
        match self {
            Message::Open(_) => message_type::OPEN,
            Message::Update(_) => message_type::UPDATE,
            Message::Notification(_) => message_type::NOTIFICATION,
            Message::Keepalive => message_type::KEEPALIVE,
            Message::RouteRefresh(_) => message_type::ROUTE_REFRESH,
            Message::Unknown(u) => u.msg_type,
        }
    }

    fn body_len(&self, ctx: &DecodingContext) -> usize {
        match self {
            Message::Open(o) => o.encoded_len(),
            Message::Update(u) => u.encoded_len(ctx),
            Message::Notification(n) => n.encoded_len(),
            Message::Keepalive => 0,
            Message::RouteRefresh(r) => r.encoded_len(),
            Message::Unknown(u) => u.body.len(),
        }
    }

    /// Bytes written by [`Self::encode`], header included. The caller
    /// checks it against [`DecodingContext::max_message_len`] before
    /// sending (a longer UPDATE must be split).
    pub fn encoded_len(&self, ctx: &DecodingContext) -> usize {
        Header::LEN + self.body_len(ctx)
    }

    /// Writes the whole message as sent on a session with context `ctx`.
    pub fn encode<B: BufMut>(&self, ctx: &DecodingContext, buf: &mut B) {
        if let Message::Update(u) = self {
            return u.encode_message(ctx, buf);
        }
        let len = self.encoded_len(ctx);
        Header {
            length: u16::try_from(len).unwrap_or(u16::MAX),
            msg_type: self.msg_type(),
        }
        .encode(buf);
        match self {
            Message::Open(o) => o.encode(buf),
            Message::Update(u) => u.encode(ctx, buf),
            Message::Notification(n) => n.encode(buf),
            Message::Keepalive => {}
            Message::RouteRefresh(r) => r.encode(buf),
            Message::Unknown(u) => buf.put_slice(&u.body),
        }
    }

    /// The message as a new `Vec`.
    pub fn to_bytes(&self, ctx: &DecodingContext) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len(ctx));
        self.encode(ctx, &mut v);
        v
    }

    /// Decodes one whole message (marker to last byte) as received on a
    /// session with context `ctx`. Offsets in errors count from the marker.
    pub fn decode(bytes: &[u8], ctx: &DecodingContext) -> Result<Self> {
        let h = Header::decode(bytes, ctx.max_message_len())?;
        outcome::check_length(bytes, h)?;
        let body = &bytes[Header::LEN..];
        let base = Header::LEN;
        Ok(match h.msg_type {
            message_type::OPEN => Message::Open(Open::decode_at(body, base)?),
            message_type::UPDATE => Message::Update(Update::decode_at(body, base, ctx)?),
            message_type::NOTIFICATION => {
                Message::Notification(Notification::decode_at(body, base)?)
            }
            message_type::KEEPALIVE => Message::Keepalive,
            message_type::ROUTE_REFRESH => {
                Message::RouteRefresh(RouteRefresh::decode_at(body, base)?)
            }
            t => Message::Unknown(UnknownMessage {
                msg_type: t,
                body: body.to_vec(),
            }),
        })
    }
}

#[cfg(test)]
mod tests;
