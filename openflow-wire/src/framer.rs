//! A streaming framer for an OpenFlow TCP byte stream.
//!
//! Feed it whatever the socket gave you; take out whole messages (of any
//! version) or learn how many more bytes the next one needs. A length below
//! 8 or above the configured maximum is a framing error after which the
//! stream cannot be trusted: close the connection.

use crate::header::{HEADER_LEN, Header};
use crate::view::MessageRef;
use crate::{Error, Message};

/// The default largest message the framer accepts (the most a 16-bit
/// length can say).
pub const DEFAULT_MAX_LEN: usize = u16::MAX as usize;

/// What [`Framer::next_frame`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// One whole message, header included.
    Message(Vec<u8>),
    /// The next message needs this many more bytes (at least 1).
    NeedMore(usize),
}

/// What [`Framer::next_message`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framed {
    /// One whole, decoded message.
    Message(Message),
    /// The next message needs this many more bytes (at least 1).
    NeedMore(usize),
}

/// What [`Framer::next_message_ref`] found: a message borrowing from the
/// framer's buffer (drop it before the next [`Framer::feed`]).
#[derive(Debug, Clone, PartialEq)]
pub enum FramedRef<'a> {
    /// A whole message, decoded as a [`MessageRef`].
    Message(MessageRef<'a>),
    /// At least this many more bytes are needed.
    NeedMore(usize),
}

/// A sans-IO framer: [`feed`](Framer::feed) bytes, take out messages.
#[derive(Debug, Clone)]
pub struct Framer {
    buf: Vec<u8>,
    start: usize,
    consumed: u64,
    max_len: usize,
}

impl Default for Framer {
    fn default() -> Self {
        Framer::new()
    }
}

impl Framer {
    /// A framer accepting messages up to [`DEFAULT_MAX_LEN`] bytes.
    pub fn new() -> Self {
        Framer::with_max_len(DEFAULT_MAX_LEN)
    }

    /// A framer rejecting messages longer than `max_len` (at least 8).
    pub fn with_max_len(max_len: usize) -> Self {
        Framer {
            buf: Vec::new(),
            start: 0,
            consumed: 0,
            max_len: max_len.max(HEADER_LEN),
        }
    }

    /// Appends bytes read from the stream.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes fed but not yet taken out as messages.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Takes out the next whole message as bytes, or says how many more
    /// bytes it needs. Errors (length below 8 or above the maximum) are
    /// fatal for the stream: the bytes stay buffered and the same error
    /// comes back on every call.
    pub fn next_frame(&mut self) -> Result<Frame, Error> {
        Ok(match self.next_range()? {
            Ok(r) => Frame::Message(self.buf[r].to_vec()),
            Err(n) => Frame::NeedMore(n),
        })
    }

    /// The next whole message's place in the buffer, consumed (or how
    /// many more bytes are needed).
    fn next_range(&mut self) -> Result<Result<core::ops::Range<usize>, usize>, Error> {
        let pending = &self.buf[self.start..];
        if pending.len() < HEADER_LEN {
            return Ok(Err(HEADER_LEN - pending.len()));
        }
        let header = Header::decode(pending).map_err(|e| match e {
            Error::BadLength {
                what,
                length,
                expected,
                ..
            } => Error::BadLength {
                what,
                offset: usize::try_from(self.consumed).unwrap_or(usize::MAX),
                length,
                expected,
            },
            other => other,
        })?;
        let len = usize::from(header.length);
        if len > self.max_len {
            return Err(Error::MessageTooLong {
                offset: self.consumed,
                length: len,
                max: self.max_len,
            });
        }
        if pending.len() < len {
            return Ok(Err(len - pending.len()));
        }
        let range = self.start..self.start + len;
        self.start += len;
        self.consumed += len as u64;
        Ok(Ok(range))
    }

    /// Takes out and decodes the next whole message. A decode error
    /// consumes that message only (the framing is intact, so the stream
    /// can go on, e.g. after answering with an OpenFlow ERROR); framing
    /// errors are as for [`next_frame`](Framer::next_frame).
    pub fn next_message(&mut self) -> Result<Framed, Error> {
        // Decoded from the buffer (not from a copy of the frame, one
        // allocation and copy per message less); consumed either way.
        match self.next_range()? {
            Err(n) => Ok(Framed::NeedMore(n)),
            Ok(r) => Message::decode(&self.buf[r]).map(Framed::Message),
        }
    }

    /// As [`Framer::next_message`], but the message is a [`MessageRef`]
    /// borrowing from the framer's buffer: a PACKET_IN's frame, a
    /// FLOW_MOD's match and instructions and a FLOW reply's entries are
    /// checked but neither copied nor collected.
    pub fn next_message_ref(&mut self) -> Result<FramedRef<'_>, Error> {
        match self.next_range()? {
            Err(n) => Ok(FramedRef::NeedMore(n)),
            Ok(r) => MessageRef::decode(&self.buf[r]).map(FramedRef::Message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_across_feeds() {
        let mut f = Framer::new();
        assert_eq!(f.next_frame().unwrap(), Frame::NeedMore(8));
        // An echo request of 12 bytes, then a version 6 hello of 8 bytes.
        let stream = [
            4u8, 2, 0, 12, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef, 6, 0, 0, 8, 0, 0, 0, 2,
        ];
        f.feed(&stream[..5]);
        assert_eq!(f.next_frame().unwrap(), Frame::NeedMore(3));
        f.feed(&stream[5..10]);
        assert_eq!(f.next_frame().unwrap(), Frame::NeedMore(2));
        f.feed(&stream[10..]);
        assert_eq!(
            f.next_frame().unwrap(),
            Frame::Message(stream[..12].to_vec())
        );
        let Framed::Message(m) = f.next_message().unwrap() else {
            panic!("expected a message")
        };
        assert_eq!(m.version, 6);
        assert_eq!(m.xid, 2);
        assert_eq!(f.next_frame().unwrap(), Frame::NeedMore(8));
        assert_eq!(f.buffered(), 0);
    }

    #[test]
    fn framing_errors() {
        let mut f = Framer::new();
        f.feed(&[4, 0, 0, 4, 0, 0, 0, 0]);
        assert!(matches!(
            f.next_frame(),
            Err(Error::BadLength { length: 4, .. })
        ));
        let mut f = Framer::with_max_len(100);
        f.feed(&[4, 0, 0, 8, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0, 0, 0]);
        assert!(matches!(f.next_frame(), Ok(Frame::Message(_))));
        assert_eq!(
            f.next_frame(),
            Err(Error::MessageTooLong {
                offset: 8,
                length: 256,
                max: 100
            })
        );
    }
}
