//! Reading pcap and pcapng captures frame by frame.
//!
//! The container formats are parsed by the [`pcap_parser`] crate; this module
//! only keeps the per-file state the frames need (link type, time resolution
//! and offset of each pcapng interface) and hands every captured frame to a
//! callback, numbered from 1 like Wireshark does.

use std::fmt;
use std::io::Read;

use pcap_parser::pcapng::Block;
use pcap_parser::traits::PcapNGPacketBlock;
use pcap_parser::{PcapBlockOwned, PcapError, create_reader};

/// Initial size of the read buffer; grown on demand for larger records.
const INITIAL_BUFFER: usize = 1 << 16;
/// Largest record the reader accepts (the buffer never grows past this).
const MAX_BUFFER: usize = 64 << 20;

/// A capture timestamp, exactly as precise as the capture stored it.
///
/// Displayed as seconds, a dot and `digits` fractional digits
/// (`1700000000.123456` for a microsecond pcap, nine digits for nanosecond
/// captures and for pcapng interfaces whose resolution is a power of two).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Whole seconds since the Unix epoch (pcapng `if_tsoffset` included).
    pub secs: i64,
    /// Fractional part, in units of `10^-digits` seconds.
    pub frac: u64,
    /// Number of fractional digits (0..=19).
    pub digits: u8,
}

impl Timestamp {
    /// A timestamp from a tick count at `ticks_per_sec` ticks per second.
    ///
    /// Powers of ten keep their own precision; any other resolution (pcapng
    /// allows powers of two) is converted to nanoseconds.
    pub fn from_ticks(ticks: u64, ticks_per_sec: u64, offset_secs: i64) -> Option<Timestamp> {
        if ticks_per_sec == 0 {
            return None;
        }
        let secs = i64::try_from(ticks / ticks_per_sec)
            .ok()?
            .checked_add(offset_secs)?;
        let rem = ticks % ticks_per_sec;
        let (frac, digits) = match decimal_digits(ticks_per_sec) {
            Some(d) => (rem, d),
            None => {
                let nanos = u128::from(rem) * 1_000_000_000 / u128::from(ticks_per_sec);
                (u64::try_from(nanos).ok()?, 9)
            }
        };
        Some(Timestamp { secs, frac, digits })
    }
}

/// `Some(k)` when `n == 10^k`.
fn decimal_digits(mut n: u64) -> Option<u8> {
    let mut k = 0;
    while n > 1 {
        if !n.is_multiple_of(10) {
            return None;
        }
        n /= 10;
        k += 1;
    }
    Some(k)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits == 0 {
            write!(f, "{}", self.secs)
        } else {
            write!(
                f,
                "{}.{:0width$}",
                self.secs,
                self.frac,
                width = usize::from(self.digits)
            )
        }
    }
}

/// One captured frame as handed to the callback of [`read_capture`].
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// 1-based position of the frame in the file (packet blocks only).
    pub number: u64,
    /// When the frame was captured; `None` for pcapng simple packet blocks.
    pub ts: Option<Timestamp>,
    /// The link type (`LINKTYPE_*` value) of the interface that captured it.
    pub linktype: i32,
    /// The captured bytes, starting with the link-layer header.
    pub data: &'a [u8],
    /// Length of the frame on the wire (more than `data.len()` if snapped).
    pub orig_len: u32,
}

/// Why a capture could not be read (completely).
#[derive(Debug)]
pub enum CaptureError {
    /// Reading the underlying file failed.
    Io(std::io::Error),
    /// The input is neither pcap nor pcapng (or is empty).
    NotACapture(String),
    /// The file ends in the middle of a record.
    Truncated,
    /// A record is malformed; `text` comes from `pcap-parser` or says what is wrong.
    Malformed(String),
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptureError::Io(e) => write!(f, "read error: {e}"),
            CaptureError::NotACapture(why) => write!(f, "not a pcap or pcapng file: {why}"),
            CaptureError::Truncated => write!(f, "file ends in the middle of a record"),
            CaptureError::Malformed(why) => write!(f, "malformed capture: {why}"),
        }
    }
}

impl std::error::Error for CaptureError {}

/// Per-interface state of a pcapng section.
#[derive(Clone, Copy, Debug)]
struct Interface {
    linktype: i32,
    ticks_per_sec: Option<u64>,
    offset_secs: i64,
}

/// Reads a pcap or pcapng capture and calls `on_frame` for every packet.
///
/// Returns the number of frames read. On error, the frames before the
/// problem have already been handed to `on_frame`.
pub fn read_capture<R, F>(input: R, mut on_frame: F) -> Result<u64, CaptureError>
where
    R: Read + Send,
    F: FnMut(&Frame<'_>),
{
    let mut reader = match create_reader(INITIAL_BUFFER, input) {
        Ok(r) => r,
        Err(PcapError::Eof) => return Err(CaptureError::NotACapture("empty file".into())),
        Err(PcapError::ReadError) => {
            return Err(CaptureError::Io(std::io::Error::other("read failed")));
        }
        Err(PcapError::Incomplete(_)) => {
            return Err(CaptureError::NotACapture("file too short".into()));
        }
        Err(e) => return Err(CaptureError::NotACapture(e.to_string())),
    };
    let mut capacity = INITIAL_BUFFER;
    let mut number = 0u64;
    // Legacy pcap: (link type, ticks per second).
    let mut legacy: Option<(i32, u64)> = None;
    let mut interfaces: Vec<Interface> = Vec::new();
    loop {
        let (consumed, result) = match reader.next() {
            Ok((offset, block)) => {
                let result = handle_block(
                    block,
                    &mut legacy,
                    &mut interfaces,
                    &mut number,
                    &mut on_frame,
                );
                (offset, result)
            }
            Err(PcapError::Eof) => return Ok(number),
            Err(PcapError::Incomplete(_)) => {
                reader.refill().map_err(|e| {
                    CaptureError::Io(std::io::Error::other(format!("refill failed: {e}")))
                })?;
                continue;
            }
            Err(PcapError::UnexpectedEof) => return Err(CaptureError::Truncated),
            Err(PcapError::BufferTooSmall) => {
                if capacity >= MAX_BUFFER {
                    return Err(CaptureError::Malformed(format!(
                        "record larger than {MAX_BUFFER} bytes"
                    )));
                }
                capacity *= 2;
                if !reader.grow(capacity) {
                    return Err(CaptureError::Malformed(
                        "could not grow the read buffer".into(),
                    ));
                }
                reader.refill().map_err(|e| {
                    CaptureError::Io(std::io::Error::other(format!("refill failed: {e}")))
                })?;
                continue;
            }
            Err(PcapError::ReadError) => {
                return Err(CaptureError::Io(std::io::Error::other("read failed")));
            }
            Err(e) => return Err(CaptureError::Malformed(e.to_string())),
        };
        result?;
        reader.consume(consumed);
    }
}

fn handle_block<F>(
    block: PcapBlockOwned<'_>,
    legacy: &mut Option<(i32, u64)>,
    interfaces: &mut Vec<Interface>,
    number: &mut u64,
    on_frame: &mut F,
) -> Result<(), CaptureError>
where
    F: FnMut(&Frame<'_>),
{
    match block {
        PcapBlockOwned::LegacyHeader(h) => {
            let ticks = if h.is_nanosecond_precision() {
                1_000_000_000
            } else {
                1_000_000
            };
            *legacy = Some((h.network.0, ticks));
        }
        PcapBlockOwned::Legacy(b) => {
            let Some((linktype, ticks_per_sec)) = *legacy else {
                return Err(CaptureError::Malformed("record before file header".into()));
            };
            *number += 1;
            // A fraction of a second or more in the sub-second field (seen
            // in some writers) carries into the seconds.
            let ticks = u64::from(b.ts_sec) * ticks_per_sec + u64::from(b.ts_usec);
            let ts = Timestamp::from_ticks(ticks, ticks_per_sec, 0);
            on_frame(&Frame {
                number: *number,
                ts,
                linktype,
                data: b.data,
                orig_len: b.origlen,
            });
        }
        PcapBlockOwned::NG(Block::SectionHeader(_)) => interfaces.clear(),
        PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => interfaces.push(Interface {
            linktype: idb.linktype.0,
            ticks_per_sec: idb.ts_resolution(),
            offset_secs: idb.ts_offset(),
        }),
        PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
            let Some(iface) = usize::try_from(epb.if_id)
                .ok()
                .and_then(|i| interfaces.get(i))
            else {
                return Err(CaptureError::Malformed(format!(
                    "packet on undeclared interface {}",
                    epb.if_id
                )));
            };
            *number += 1;
            let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
            let ts = iface
                .ticks_per_sec
                .and_then(|t| Timestamp::from_ticks(ticks, t, iface.offset_secs));
            on_frame(&Frame {
                number: *number,
                ts,
                linktype: iface.linktype,
                data: epb.packet_data(),
                orig_len: epb.origlen,
            });
        }
        PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
            let Some(iface) = interfaces.first() else {
                return Err(CaptureError::Malformed(
                    "simple packet block without an interface".into(),
                ));
            };
            *number += 1;
            on_frame(&Frame {
                number: *number,
                ts: None,
                linktype: iface.linktype,
                data: spb.packet_data(),
                orig_len: spb.origlen,
            });
        }
        // Statistics, name resolution, secrets, custom blocks: nothing to decode.
        PcapBlockOwned::NG(_) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_their_precision() {
        let t = Timestamp::from_ticks(1_700_000_000_123_456, 1_000_000, 0).unwrap();
        assert_eq!(t.to_string(), "1700000000.123456");
        let t = Timestamp::from_ticks(5_000_000_007, 1_000_000_000, 10).unwrap();
        assert_eq!(t.to_string(), "15.000000007");
        // 2^-10 resolution: half a second is 512 ticks.
        let t = Timestamp::from_ticks(3 * 1024 + 512, 1024, 0).unwrap();
        assert_eq!(t.to_string(), "3.500000000");
        let t = Timestamp::from_ticks(42, 1, 0).unwrap();
        assert_eq!(t.to_string(), "42");
        assert!(Timestamp::from_ticks(1, 0, 0).is_none());
    }

    #[test]
    fn garbage_is_not_a_capture() {
        let err = read_capture(&b"hello world, not a pcap at all"[..], |_| {}).unwrap_err();
        assert!(matches!(err, CaptureError::NotACapture(_)), "{err}");
        let err = read_capture(&b""[..], |_| {}).unwrap_err();
        assert!(matches!(err, CaptureError::NotACapture(_)), "{err}");
    }

    fn legacy_pcap(records: &[&[u8]]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        v.extend_from_slice(&2u16.to_le_bytes());
        v.extend_from_slice(&4u16.to_le_bytes());
        v.extend_from_slice(&0i32.to_le_bytes());
        v.extend_from_slice(&0u32.to_le_bytes());
        v.extend_from_slice(&65535u32.to_le_bytes());
        v.extend_from_slice(&101u32.to_le_bytes());
        for (i, r) in records.iter().enumerate() {
            v.extend_from_slice(&(10 + i as u32).to_le_bytes());
            // The second record has an out-of-range fraction that must carry.
            let usec: u32 = if i == 1 { 1_500_000 } else { 7 };
            v.extend_from_slice(&usec.to_le_bytes());
            v.extend_from_slice(&(r.len() as u32).to_le_bytes());
            v.extend_from_slice(&(r.len() as u32).to_le_bytes());
            v.extend_from_slice(r);
        }
        v
    }

    #[test]
    fn legacy_records_are_numbered_and_timed() {
        let file = legacy_pcap(&[b"abc", b"defg"]);
        let mut seen = Vec::new();
        let n = read_capture(&file[..], |f| {
            seen.push((
                f.number,
                f.ts.unwrap().to_string(),
                f.linktype,
                f.data.to_vec(),
            ))
        })
        .unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            seen,
            vec![
                (1, "10.000007".to_string(), 101, b"abc".to_vec()),
                (2, "12.500000".to_string(), 101, b"defg".to_vec()),
            ]
        );
    }

    #[test]
    fn truncated_file_reports_frames_before_the_cut() {
        let file = legacy_pcap(&[b"abc", b"defg"]);
        let mut count = 0;
        let err = read_capture(&file[..file.len() - 2], |_| count += 1).unwrap_err();
        assert!(matches!(err, CaptureError::Truncated), "{err}");
        assert_eq!(count, 1);
    }
}
