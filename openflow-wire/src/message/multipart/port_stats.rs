//! OFPMP_PORT_STATS (4) reply entry.
//!
//! ```text
//! | port_no (4) | pad (4) | rx_packets | tx_packets | rx_bytes | tx_bytes
//! | rx_dropped | tx_dropped | rx_errors | tx_errors | rx_frame_err
//! | rx_over_err | rx_crc_err | collisions (8 each) | duration_sec (4)
//! | duration_nsec (4) |                                                 112
//! ```
//! The request is `| port_no (4) | pad (4) |`.

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// Counters of one port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PortStats {
    /// Port number.
    pub port_no: u32,
    /// Packets received.
    pub rx_packets: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets dropped on receive.
    pub rx_dropped: u64,
    /// Packets dropped on send.
    pub tx_dropped: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Send errors.
    pub tx_errors: u64,
    /// Frame alignment errors.
    pub rx_frame_err: u64,
    /// Overruns.
    pub rx_over_err: u64,
    /// CRC errors.
    pub rx_crc_err: u64,
    /// Collisions.
    pub collisions: u64,
    /// Seconds the port has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
}

impl PortStats {
    /// Encoded length.
    pub const LEN: usize = 112;

    /// Encoded length (for list helpers).
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    fn counters(&self) -> [u64; 12] {
        [
            self.rx_packets,
            self.tx_packets,
            self.rx_bytes,
            self.tx_bytes,
            self.rx_dropped,
            self.tx_dropped,
            self.rx_errors,
            self.tx_errors,
            self.rx_frame_err,
            self.rx_over_err,
            self.rx_crc_err,
            self.collisions,
        ]
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.need(Self::LEN, "port stats")?;
        let port_no = r.u32("port stats port_no")?;
        r.skip(4, "port stats pad")?;
        let mut c = [0u64; 12];
        for v in &mut c {
            *v = r.u64("port counter")?;
        }
        Ok(PortStats {
            port_no,
            rx_packets: c[0],
            tx_packets: c[1],
            rx_bytes: c[2],
            tx_bytes: c[3],
            rx_dropped: c[4],
            tx_dropped: c[5],
            rx_errors: c[6],
            tx_errors: c[7],
            rx_frame_err: c[8],
            rx_over_err: c[9],
            rx_crc_err: c[10],
            collisions: c[11],
            duration_sec: r.u32("duration_sec")?,
            duration_nsec: r.u32("duration_nsec")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.port_no);
        b.put_u32(0);
        for v in self.counters() {
            b.put_u64(v);
        }
        b.put_u32(self.duration_sec);
        b.put_u32(self.duration_nsec);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_stats_layout() {
        let p = PortStats {
            port_no: 2,
            rx_packets: 103766,
            collisions: 7,
            duration_sec: 1,
            duration_nsec: 1_000_000,
            ..PortStats::default()
        };
        let mut v = Vec::new();
        p.write(&mut v).unwrap();
        assert_eq!(v.len(), PortStats::LEN);
        assert_eq!(&v[..8], [0, 0, 0, 2, 0, 0, 0, 0]);
        assert_eq!(&v[96..104], 7u64.to_be_bytes());
        assert_eq!(PortStats::read(&mut Reader::new(&v)).unwrap(), p);
        assert!(PortStats::read(&mut Reader::new(&v[..111])).is_err());
    }
}
