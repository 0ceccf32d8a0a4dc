//! Splitting a TCP byte stream into BGP messages.
//!
//! Feed the bytes as they arrive with [`Framer::push`]; [`Framer::poll`]
//! returns each whole message, or how many more bytes the next one needs.
//! A bad marker or length is a typed [`Error`] whose
//! [`Error::notification_code`] (and
//! [`Notification::for_error`](crate::message::Notification::for_error)) is
//! the NOTIFICATION to send before closing; the framer then stays failed.

use alloc::vec::Vec;

use crate::error::{Error, Result};
use crate::message::header::Header;

/// What [`Framer::poll`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A whole message, header included, ready for
    /// [`Message::decode`](crate::message::Message::decode).
    Message(Vec<u8>),
    /// At least this many more bytes are needed for the next message.
    NeedMore(usize),
}

/// Where the first message of `buf` ends, without copying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameLen {
    /// The first message is `buf[..len]`.
    Complete(usize),
    /// At least this many more bytes are needed.
    Incomplete(usize),
}

/// Finds the first message in `buf`, checking marker and length against
/// `max` (4096, or 65535 with Extended Message).
pub fn frame_len(buf: &[u8], max: u16) -> Result<FrameLen> {
    Header::check_marker(buf)?;
    if buf.len() < Header::LEN {
        return Ok(FrameLen::Incomplete(Header::LEN - buf.len()));
    }
    let h = Header::decode(buf, max)?;
    let len = usize::from(h.length);
    Ok(if buf.len() >= len {
        FrameLen::Complete(len)
    } else {
        FrameLen::Incomplete(len - buf.len())
    })
}

/// A reassembly buffer for one direction of a BGP session.
#[derive(Debug, Clone)]
pub struct Framer {
    buf: Vec<u8>,
    start: usize,
    max: u16,
    failed: Option<Error>,
}

impl Default for Framer {
    fn default() -> Self {
        Framer::new()
    }
}

impl Framer {
    /// A framer accepting messages up to 4096 octets.
    pub fn new() -> Self {
        Framer {
            buf: Vec::new(),
            start: 0,
            max: 4096,
            failed: None,
        }
    }

    /// Accept messages up to 65535 octets once Extended Message is negotiated.
    pub fn set_extended_message(&mut self, on: bool) {
        self.max = if on { 65535 } else { 4096 };
    }

    /// Appends bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes buffered and not yet returned.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// The next whole message, or how many bytes are missing. After an
    /// error every call returns the same error.
    pub fn poll(&mut self) -> Result<Frame> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let pending = &self.buf[self.start..];
        match frame_len(pending, self.max) {
            Ok(FrameLen::Complete(n)) => {
                let msg = pending[..n].to_vec();
                self.start += n;
                Ok(Frame::Message(msg))
            }
            Ok(FrameLen::Incomplete(n)) => Ok(Frame::NeedMore(n)),
            Err(e) => {
                self.failed = Some(e.clone());
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;
    use proptest::prelude::*;

    fn keepalive() -> Vec<u8> {
        hex("ffffffffffffffffffffffffffffffff 0013 04")
    }

    #[test]
    fn byte_by_byte() {
        let notif = hex("ffffffffffffffffffffffffffffffff 0017 03 0602 0000");
        let stream: Vec<u8> = [keepalive(), notif.clone(), keepalive()].concat();
        let mut f = Framer::new();
        let mut got = Vec::new();
        let mut needs = Vec::new();
        for b in &stream {
            f.push(core::slice::from_ref(b));
            loop {
                match f.poll().unwrap() {
                    Frame::Message(m) => got.push(m),
                    Frame::NeedMore(n) => {
                        needs.push(n);
                        break;
                    }
                }
            }
        }
        assert_eq!(got, [keepalive(), notif, keepalive()]);
        assert_eq!(needs[0], 18);
        assert_eq!(f.buffered(), 0);
    }

    #[test]
    fn errors_stick() {
        let mut f = Framer::new();
        f.push(&[0xff, 0xff, 0x00]);
        assert_eq!(f.poll(), Err(Error::BadMarker { offset: 0 }));
        f.push(&keepalive());
        assert!(f.poll().is_err());
        let mut f = Framer::new();
        f.push(&hex("ffffffffffffffffffffffffffffffff 1001 02"));
        assert!(matches!(
            f.poll(),
            Err(Error::BadMessageLength { length: 4097, .. })
        ));
        let mut f = Framer::new();
        f.set_extended_message(true);
        f.push(&hex("ffffffffffffffffffffffffffffffff 1001 02"));
        assert_eq!(f.poll(), Ok(Frame::NeedMore(4097 - 19)));
    }

    proptest! {
        #[test]
        fn random_chunks_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200), split in 0usize..200) {
            let mut f = Framer::new();
            let s = split.min(data.len());
            f.push(&data[..s]);
            let _ = f.poll();
            f.push(&data[s..]);
            for _ in 0..20 {
                match f.poll() {
                    Ok(Frame::Message(m)) => prop_assert!(m.len() >= 19),
                    _ => break,
                }
            }
        }
    }
}
