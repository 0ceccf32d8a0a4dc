//! Feeds an arbitrary byte stream to the BGP `Framer` in arbitrary chunks.
//!
//! Input layout (so seeds are easy to write): byte 0 bit 0 = Extended
//! Message; byte 1 low 4 bits = k, the number of chunk sizes; the next k
//! bytes are chunk sizes, cycled (0 pushes nothing); the rest is the stream.
//!
//! Invariants:
//! - `push` and `poll` never panic and `poll` never loops: each call returns
//!   a message (which consumes at least a header), `NeedMore(n > 0)`, or an
//!   error; the number of messages is bounded by the stream length;
//! - every message returned is consistent with `Header::decode` and
//!   `frame_len` (its length field is its length, within the session
//!   maximum), and the messages are the stream's own bytes, in order;
//! - `buffered` accounts for every byte pushed and not returned;
//! - `NeedMore(n)` is exact when the header is complete: pushing `n` more
//!   bytes of the stream completes the message;
//! - after an error every poll returns the same error.
#![no_main]

use bgp_evpn_wire::message::{Frame, FrameLen, Framer, Header, frame_len};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [flags, k, rest @ ..] = data else {
        return;
    };
    let k = usize::from(k & 15).min(rest.len());
    let (chunks, stream) = rest.split_at(k);
    let extended = flags & 1 != 0;
    let max: u16 = if extended { 65535 } else { 4096 };
    let mut f = Framer::new();
    f.set_extended_message(extended);
    // At least one non-zero size, so the cycle always advances.
    let mut sizes: Vec<usize> = chunks.iter().map(|&c| usize::from(c)).collect();
    if sizes.iter().all(|&s| s == 0) {
        sizes.push(stream.len().max(1));
    }

    let mut pushed = 0;
    let mut returned = 0;
    let mut polls = 0;
    let mut failed = None;
    let mut i = 0;
    while pushed < stream.len() && failed.is_none() {
        let n = sizes[i % sizes.len()].min(stream.len() - pushed);
        i += 1;
        f.push(&stream[pushed..pushed + n]);
        pushed += n;
        loop {
            polls += 1;
            assert!(polls <= 2 * stream.len() + i + 2, "poll loops");
            match f.poll() {
                Ok(Frame::Message(m)) => {
                    assert!(m.len() >= Header::LEN);
                    let h = Header::decode(&m, max).expect("a returned message has a valid header");
                    assert_eq!(usize::from(h.length), m.len());
                    assert_eq!(frame_len(&m, max), Ok(FrameLen::Complete(m.len())));
                    assert_eq!(&stream[returned..returned + m.len()], &m[..]);
                    returned += m.len();
                    assert_eq!(f.buffered(), pushed - returned);
                }
                Ok(Frame::NeedMore(n)) => {
                    assert!(n > 0);
                    assert_eq!(f.buffered(), pushed - returned);
                    let pending = &stream[returned..pushed];
                    if pending.len() >= Header::LEN && returned + pending.len() + n <= stream.len()
                    {
                        // Exactly n more bytes complete the message.
                        let whole = &stream[returned..pushed + n];
                        assert_eq!(frame_len(whole, max), Ok(FrameLen::Complete(whole.len())));
                    }
                    break;
                }
                Err(e) => {
                    assert_eq!(f.poll(), Err(e.clone()), "a failed framer stays failed");
                    assert!(e.notification_code().is_some());
                    failed = Some(e);
                    break;
                }
            }
        }
    }
    if let Some(e) = failed {
        f.push(b"\xff");
        assert_eq!(f.poll(), Err(e));
    }
});
