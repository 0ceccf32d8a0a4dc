//! Feeds an arbitrary byte stream to the OpenFlow `Framer` in arbitrary
//! chunks.
//!
//! Input layout (so seeds are easy to write): byte 0 = maximum message
//! length selector (0: the default 65535, else 16 times it; the framer
//! raises anything below 8 to 8); byte 1 low 4 bits = k, the number of
//! chunk sizes; the next k bytes are chunk sizes, cycled (0 feeds
//! nothing); the rest is the stream.
//!
//! Invariants:
//! - `feed`, `next_frame` and `next_message` never panic and never loop:
//!   each call returns a message (at least a header long), `NeedMore(n > 0)`
//!   or an error; the number of messages is bounded by the stream length;
//! - every frame has a valid `Header` whose length is its own and within
//!   the maximum, and the frames are the stream's own bytes, in order;
//! - `next_message` agrees with `next_frame` followed by `Message::decode`,
//!   and `next_message_ref` (the borrowed view) with `next_message`;
//! - `buffered` accounts for every byte fed and not taken out;
//! - `NeedMore(n)` is exact: before the header, `n` completes the header;
//!   after it, `n` more bytes complete the message;
//! - after a framing error every call returns the same error, also after
//!   more bytes are fed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openflow_wire::framer::DEFAULT_MAX_LEN;
use openflow_wire::header::HEADER_LEN;
use openflow_wire::{Frame, Framed, FramedRef, Framer, Header, Message};

fuzz_target!(|data: &[u8]| {
    let [max_sel, k, rest @ ..] = data else {
        return;
    };
    let k = usize::from(k & 15).min(rest.len());
    let (chunks, stream) = rest.split_at(k);
    let max = match max_sel {
        0 => DEFAULT_MAX_LEN,
        s => (usize::from(*s) * 16).max(HEADER_LEN),
    };
    let mut f = if *max_sel == 0 {
        Framer::new()
    } else {
        Framer::with_max_len(usize::from(*max_sel) * 16)
    };
    // At least one non-zero size, so the cycle always advances.
    let mut sizes: Vec<usize> = chunks.iter().map(|&c| usize::from(c)).collect();
    if sizes.iter().all(|&s| s == 0) {
        sizes.push(stream.len().max(1));
    }

    let (mut fed, mut taken, mut polls, mut i) = (0, 0, 0, 0);
    let mut failed = None;
    while fed < stream.len() && failed.is_none() {
        let n = sizes[i % sizes.len()].min(stream.len() - fed);
        i += 1;
        f.feed(&stream[fed..fed + n]);
        fed += n;
        loop {
            polls += 1;
            assert!(polls <= 2 * stream.len() + i + 2, "the framer loops");
            let mut g = f.clone();
            let via_message = g.next_message();
            let mut v = f.clone();
            let via_view = match v.next_message_ref() {
                Ok(FramedRef::Message(m)) => Ok(Framed::Message(m.to_message())),
                Ok(FramedRef::NeedMore(n)) => Ok(Framed::NeedMore(n)),
                Err(e) => Err(e),
            };
            assert_eq!(via_view, via_message, "the view disagrees");
            assert_eq!(v.buffered(), g.buffered());
            match f.next_frame() {
                Ok(Frame::Message(m)) => {
                    assert!(m.len() >= HEADER_LEN && m.len() <= max);
                    let h = Header::decode(&m).expect("a frame has a valid header");
                    assert_eq!(usize::from(h.length), m.len());
                    assert_eq!(&stream[taken..taken + m.len()], &m[..]);
                    taken += m.len();
                    assert_eq!(f.buffered(), fed - taken);
                    assert_eq!(via_message, Message::decode(&m).map(Framed::Message));
                    // A decode error consumed the message too.
                    assert_eq!(g.buffered(), f.buffered());
                }
                Ok(Frame::NeedMore(n)) => {
                    assert!(n > 0);
                    assert_eq!(via_message, Ok(Framed::NeedMore(n)));
                    assert_eq!(f.buffered(), fed - taken);
                    let pending = &stream[taken..fed];
                    if pending.len() < HEADER_LEN {
                        assert_eq!(n, HEADER_LEN - pending.len());
                    } else {
                        let h = Header::decode(pending).expect("a valid pending header");
                        assert_eq!(usize::from(h.length), pending.len() + n);
                    }
                    break;
                }
                Err(e) => {
                    assert_eq!(via_message, Err(e.clone()));
                    assert_eq!(
                        f.next_frame(),
                        Err(e.clone()),
                        "a failed framer stays failed"
                    );
                    assert_eq!(f.buffered(), fed - taken, "the bad bytes stay buffered");
                    failed = Some(e);
                    break;
                }
            }
        }
    }
    assert!(taken <= fed);
    if let Some(e) = failed {
        f.feed(&[4, 0, 0, 8, 0, 0, 0, 0]);
        assert_eq!(f.next_frame(), Err(e.clone()));
        assert_eq!(f.next_message(), Err(e));
    }
});
