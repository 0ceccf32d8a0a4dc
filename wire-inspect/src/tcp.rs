//! TCP stream reassembly, one direction at a time.
//!
//! A [`HalfStream`] turns the segments of one direction of a connection into
//! the contiguous byte stream the application sent:
//!
//! - a SYN fixes the initial sequence number; data starts at ISN + 1;
//! - a stream seen mid-way (no SYN) starts at the first segment that carries
//!   data (or a FIN);
//! - retransmitted and overlapping bytes are ignored (the first copy wins);
//! - out-of-order segments are buffered until the gap before them fills, up
//!   to [`HalfStream::new`]'s `max_buffered` bytes per direction: beyond that
//!   the direction is given up ([`SegmentError::BufferLimit`]) until a new SYN;
//! - sequence numbers are compared modulo 2^32, so streams may wrap around;
//! - the direction ends when the FIN's sequence number is reached, or at once
//!   on RST. Segments after the end are ignored unless they open a new
//!   connection (SYN with another ISN).
//!
//! Positions are kept as 64-bit stream offsets (bytes since the first byte of
//! the stream), so ordering never depends on sequence-number wrap-around.

use std::collections::BTreeMap;

/// Default bound on out-of-order bytes buffered per direction (1 MiB).
pub const DEFAULT_MAX_BUFFERED: usize = 1 << 20;

/// The state of one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Nothing seen yet.
    Idle,
    /// Receiving: `next_seq` is the sequence number of stream offset `delivered`.
    Open { next_seq: u32 },
    /// FIN reached or RST seen.
    Closed,
    /// Out-of-order buffer overflowed; waiting for a new SYN.
    GivenUp,
}

/// The TCP fields [`HalfStream::segment`] looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    /// Sequence number.
    pub seq: u32,
    /// SYN flag.
    pub syn: bool,
    /// FIN flag.
    pub fin: bool,
    /// RST flag.
    pub rst: bool,
    /// Payload.
    pub payload: &'a [u8],
}

/// What a segment did to the stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// A SYN with a new ISN restarted the direction: bytes delivered before
    /// belong to the previous connection.
    pub restarted: bool,
    /// The direction ended with this segment (FIN reached, or RST).
    pub ended: bool,
    /// Bytes that were buffered out of order and can now never be delivered
    /// because the stream ended (RST) before the gap filled.
    pub lost: Option<Gap>,
}

/// Data that could not be delivered because bytes before it never arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// Stream offset of the first missing byte.
    pub missing_at: u64,
    /// Out-of-order bytes buffered after the gap, now dropped.
    pub buffered: usize,
}

/// A problem that stops reassembly of a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentError {
    /// Buffering this segment would exceed the out-of-order limit; the
    /// buffered data was dropped and the direction is ignored until a SYN.
    BufferLimit {
        /// Stream offset of the first missing byte.
        missing_at: u64,
        /// The limit in bytes.
        limit: usize,
    },
}

impl std::fmt::Display for SegmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SegmentError::BufferLimit { missing_at, limit } => write!(
                f,
                "TCP out-of-order data exceeds {limit} bytes while waiting for stream \
                 offset {missing_at}; direction given up until the next SYN"
            ),
        }
    }
}

impl std::error::Error for SegmentError {}

/// Reassembles one direction of a TCP connection.
#[derive(Clone, Debug)]
pub struct HalfStream {
    state: State,
    isn: Option<u32>,
    /// Stream offset of the next byte to deliver.
    delivered: u64,
    /// Out-of-order data by stream offset.
    pending: BTreeMap<u64, Vec<u8>>,
    pending_bytes: usize,
    max_buffered: usize,
    /// Stream offset of the FIN, once seen.
    fin_at: Option<u64>,
}

impl HalfStream {
    /// A new direction that buffers at most `max_buffered` out-of-order bytes.
    pub fn new(max_buffered: usize) -> HalfStream {
        HalfStream {
            state: State::Idle,
            isn: None,
            delivered: 0,
            pending: BTreeMap::new(),
            pending_bytes: 0,
            max_buffered,
            fin_at: None,
        }
    }

    /// Whether the direction has ended (FIN reached or RST).
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Stream offset of the next byte expected.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Bytes currently buffered out of order.
    pub fn buffered(&self) -> usize {
        self.pending_bytes
    }

    fn reset_to(&mut self, next_seq: u32) {
        self.state = State::Open { next_seq };
        self.delivered = 0;
        self.pending.clear();
        self.pending_bytes = 0;
        self.fin_at = None;
    }

    /// Data that will never be delivered because of a gap, if any.
    pub fn gap(&self) -> Option<Gap> {
        (self.pending_bytes > 0).then_some(Gap {
            missing_at: self.delivered,
            buffered: self.pending_bytes,
        })
    }

    /// Ends the direction now (RST or end of capture); reports undeliverable data.
    pub fn close(&mut self) -> Option<Gap> {
        let gap = self.gap();
        self.pending.clear();
        self.pending_bytes = 0;
        self.state = State::Closed;
        gap
    }

    /// Feeds one segment; newly contiguous bytes are appended to `out`.
    pub fn segment(
        &mut self,
        seg: &Segment<'_>,
        out: &mut Vec<u8>,
    ) -> Result<Progress, SegmentError> {
        let mut progress = Progress::default();
        let mut data_seq = seg.seq;
        if seg.syn {
            data_seq = seg.seq.wrapping_add(1);
            if self.isn != Some(seg.seq) {
                progress.restarted = self.state != State::Idle;
                self.isn = Some(seg.seq);
                self.reset_to(data_seq);
            }
        }
        let next_seq = match self.state {
            State::Open { next_seq } => next_seq,
            State::Idle if !seg.payload.is_empty() || seg.fin => {
                self.reset_to(data_seq);
                data_seq
            }
            State::Idle | State::Closed | State::GivenUp => return Ok(progress),
        };
        if seg.rst {
            progress.lost = self.close();
            progress.ended = true;
            return Ok(progress);
        }
        // Signed distance from the next expected byte, modulo 2^32.
        let rel = i64::from(data_seq.wrapping_sub(next_seq) as i32);
        let start = self.delivered as i64 + rel;
        let end = start + seg.payload.len() as i64;
        if seg.fin && end >= 0 {
            self.fin_at = Some(end as u64);
        }
        if end > self.delivered as i64 {
            if start <= self.delivered as i64 {
                let skip = (self.delivered as i64 - start) as usize;
                self.deliver(&seg.payload[skip..], out);
                self.drain_pending(out);
            } else {
                self.buffer(start as u64, seg.payload)?;
            }
        }
        if self.fin_at.is_some_and(|f| self.delivered >= f) {
            self.state = State::Closed;
            progress.ended = true;
            progress.lost = self.gap();
            self.pending.clear();
            self.pending_bytes = 0;
        }
        Ok(progress)
    }

    fn deliver(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(bytes);
        self.delivered += bytes.len() as u64;
        if let State::Open { next_seq } = &mut self.state {
            *next_seq = next_seq.wrapping_add(bytes.len() as u32);
        }
    }

    fn drain_pending(&mut self, out: &mut Vec<u8>) {
        while let Some(entry) = self.pending.first_entry() {
            let at = *entry.key();
            if at > self.delivered {
                break;
            }
            let bytes = entry.remove();
            self.pending_bytes -= bytes.len();
            let end = at + bytes.len() as u64;
            if end > self.delivered {
                let skip = (self.delivered - at) as usize;
                self.deliver(&bytes[skip..], out);
            }
        }
    }

    fn buffer(&mut self, at: u64, bytes: &[u8]) -> Result<(), SegmentError> {
        if let Some(existing) = self.pending.get(&at)
            && existing.len() >= bytes.len()
        {
            return Ok(());
        }
        let replaced = self.pending.get(&at).map_or(0, Vec::len);
        if self.pending_bytes - replaced + bytes.len() > self.max_buffered {
            let missing_at = self.delivered;
            self.pending.clear();
            self.pending_bytes = 0;
            self.state = State::GivenUp;
            return Err(SegmentError::BufferLimit {
                missing_at,
                limit: self.max_buffered,
            });
        }
        self.pending_bytes = self.pending_bytes - replaced + bytes.len();
        self.pending.insert(at, bytes.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(seq: u32, payload: &[u8]) -> Segment<'_> {
        Segment {
            seq,
            syn: false,
            fin: false,
            rst: false,
            payload,
        }
    }

    fn syn(seq: u32) -> Segment<'static> {
        Segment {
            seq,
            syn: true,
            fin: false,
            rst: false,
            payload: &[],
        }
    }

    fn feed(h: &mut HalfStream, segs: &[Segment<'_>]) -> Vec<u8> {
        let mut out = Vec::new();
        for s in segs {
            h.segment(s, &mut out).unwrap();
        }
        out
    }

    #[test]
    fn in_order_after_syn() {
        let mut h = HalfStream::new(1000);
        let out = feed(&mut h, &[syn(100), data(101, b"abc"), data(104, b"def")]);
        assert_eq!(out, b"abcdef");
        assert_eq!(h.delivered(), 6);
    }

    #[test]
    fn out_of_order_is_buffered_until_the_gap_fills() {
        let mut h = HalfStream::new(1000);
        let mut out = Vec::new();
        h.segment(&syn(0), &mut out).unwrap();
        h.segment(&data(4, b"def"), &mut out).unwrap();
        h.segment(&data(7, b"ghi"), &mut out).unwrap();
        assert!(out.is_empty());
        assert_eq!(h.buffered(), 6);
        assert_eq!(
            h.gap(),
            Some(Gap {
                missing_at: 0,
                buffered: 6
            })
        );
        h.segment(&data(1, b"abc"), &mut out).unwrap();
        assert_eq!(out, b"abcdefghi");
        assert_eq!(h.buffered(), 0);
    }

    #[test]
    fn retransmission_with_overlap_keeps_first_copy() {
        let mut h = HalfStream::new(1000);
        let out = feed(
            &mut h,
            &[
                syn(9),
                data(10, b"abcd"),
                data(10, b"abcd"),   // exact retransmission
                data(12, b"XXefgh"), // overlaps 2 old bytes, adds 4
                data(11, b"Y"),      // entirely old
            ],
        );
        assert_eq!(out, b"abcdefgh");
    }

    #[test]
    fn overlapping_out_of_order_segments() {
        let mut h = HalfStream::new(1000);
        let out = feed(
            &mut h,
            &[syn(0), data(5, b"efgh"), data(3, b"cdEF"), data(1, b"ab")],
        );
        assert_eq!(out, b"abcdEFgh");
    }

    #[test]
    fn mid_stream_starts_at_first_data_segment() {
        let mut h = HalfStream::new(1000);
        let mut out = Vec::new();
        // A bare ACK does not start the stream.
        h.segment(&data(50, b""), &mut out).unwrap();
        h.segment(&data(77, b"xyz"), &mut out).unwrap();
        h.segment(&data(80, b"!"), &mut out).unwrap();
        // Data from before the first segment seen is old.
        h.segment(&data(70, b"1234567"), &mut out).unwrap();
        assert_eq!(out, b"xyz!");
    }

    #[test]
    fn sequence_numbers_wrap_around() {
        let mut h = HalfStream::new(1000);
        let isn = u32::MAX - 2;
        let out = feed(
            &mut h,
            &[
                syn(isn),
                data(isn.wrapping_add(1), b"ab"),
                data(2, b"ef"), // after the wrap, out of order
                data(isn.wrapping_add(3), b"cd"),
            ],
        );
        assert_eq!(out, b"abcdef");
        assert_eq!(h.delivered(), 6);
    }

    #[test]
    fn fin_ends_the_stream_once_reached() {
        let mut h = HalfStream::new(1000);
        let mut out = Vec::new();
        h.segment(&syn(0), &mut out).unwrap();
        let fin = Segment {
            fin: true,
            ..data(4, b"def")
        };
        let p = h.segment(&fin, &mut out).unwrap();
        assert!(!p.ended, "FIN arrived before the gap filled");
        let p = h.segment(&data(1, b"abc"), &mut out).unwrap();
        assert!(p.ended);
        assert!(h.is_closed());
        assert_eq!(out, b"abcdef");
        // Late retransmissions after the end are ignored.
        h.segment(&data(1, b"abc"), &mut out).unwrap();
        assert_eq!(out, b"abcdef");
    }

    #[test]
    fn rst_ends_and_reports_lost_data() {
        let mut h = HalfStream::new(1000);
        let mut out = Vec::new();
        h.segment(&syn(0), &mut out).unwrap();
        h.segment(&data(4, b"def"), &mut out).unwrap();
        let rst = Segment {
            rst: true,
            ..data(7, b"")
        };
        let p = h.segment(&rst, &mut out).unwrap();
        assert!(p.ended);
        assert_eq!(
            p.lost,
            Some(Gap {
                missing_at: 0,
                buffered: 3
            })
        );
    }

    #[test]
    fn new_syn_restarts_the_direction() {
        let mut h = HalfStream::new(1000);
        let mut out = Vec::new();
        h.segment(&syn(0), &mut out).unwrap();
        h.segment(&data(1, b"old"), &mut out).unwrap();
        // Retransmitted SYN with the same ISN changes nothing.
        assert!(!h.segment(&syn(0), &mut out).unwrap().restarted);
        let p = h.segment(&syn(5000), &mut out).unwrap();
        assert!(p.restarted);
        h.segment(&data(5001, b"new"), &mut out).unwrap();
        assert_eq!(out, b"oldnew");
        assert_eq!(h.delivered(), 3);
    }

    #[test]
    fn out_of_order_buffer_is_bounded() {
        let mut h = HalfStream::new(8);
        let mut out = Vec::new();
        h.segment(&syn(0), &mut out).unwrap();
        h.segment(&data(10, b"12345"), &mut out).unwrap();
        // Same offset, shorter: not buffered twice.
        h.segment(&data(10, b"123"), &mut out).unwrap();
        assert_eq!(h.buffered(), 5);
        let err = h.segment(&data(20, b"6789"), &mut out).unwrap_err();
        assert_eq!(
            err,
            SegmentError::BufferLimit {
                missing_at: 0,
                limit: 8
            }
        );
        assert_eq!(h.buffered(), 0);
        // Given up: even the missing bytes are ignored now...
        h.segment(&data(1, b"abcdefghi"), &mut out).unwrap();
        assert!(out.is_empty());
        // ...until a new connection starts.
        h.segment(&syn(100), &mut out).unwrap();
        h.segment(&data(101, b"ok"), &mut out).unwrap();
        assert_eq!(out, b"ok");
    }

    #[test]
    fn syn_with_data_delivers_after_the_isn() {
        let mut h = HalfStream::new(100);
        let s = Segment {
            payload: b"tfo",
            ..syn(41)
        };
        let out = feed(&mut h, &[s, data(45, b"!")]);
        assert_eq!(out, b"tfo!");
    }
}
