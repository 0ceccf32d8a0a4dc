//! OFPMP_QUEUE (5) request and reply entry.
//!
//! ```text
//! request: | port_no (4) | queue_id (4) |
//! entry:   | port_no (4) | queue_id (4) | tx_bytes (8) | tx_packets (8)
//!          | tx_errors (8) | duration_sec (4) | duration_nsec (4) |       40
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// `OFPQ_ALL`: every queue.
pub const OFPQ_ALL: u32 = 0xffff_ffff;

/// Counters of one queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QueueStats {
    /// Port.
    pub port_no: u32,
    /// Queue.
    pub queue_id: u32,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Packets dropped for overrun.
    pub tx_errors: u64,
    /// Seconds the queue has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
}

impl QueueStats {
    /// Encoded length.
    pub const LEN: usize = 40;

    /// Encoded length (for list helpers).
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.need(Self::LEN, "queue stats")?;
        Ok(QueueStats {
            port_no: r.u32("queue stats port_no")?,
            queue_id: r.u32("queue stats queue_id")?,
            tx_bytes: r.u64("tx_bytes")?,
            tx_packets: r.u64("tx_packets")?,
            tx_errors: r.u64("tx_errors")?,
            duration_sec: r.u32("duration_sec")?,
            duration_nsec: r.u32("duration_nsec")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.port_no);
        b.put_u32(self.queue_id);
        b.put_u64(self.tx_bytes);
        b.put_u64(self.tx_packets);
        b.put_u64(self.tx_errors);
        b.put_u32(self.duration_sec);
        b.put_u32(self.duration_nsec);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_stats_layout() {
        let q = QueueStats {
            port_no: 3,
            queue_id: 1,
            tx_bytes: 302,
            tx_packets: 1,
            tx_errors: 0,
            duration_sec: 100,
            duration_nsec: 500_000_000,
        };
        let mut v = Vec::new();
        q.write(&mut v).unwrap();
        assert_eq!(v.len(), QueueStats::LEN);
        assert_eq!(&v[..8], [0, 0, 0, 3, 0, 0, 0, 1]);
        assert_eq!(QueueStats::read(&mut Reader::new(&v)).unwrap(), q);
        assert!(QueueStats::read(&mut Reader::new(&v[..39])).is_err());
    }
}
