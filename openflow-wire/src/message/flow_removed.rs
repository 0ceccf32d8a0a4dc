//! FLOW_REMOVED (type 11).
//!
//! ```text
//! | cookie (8) | priority (2) | reason (1) | table_id (1) | duration_sec (4)
//! | duration_nsec (4) | idle_timeout (2) | hard_timeout (2) | packet_count (8)
//! | byte_count (8) | match (padded to 8) |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;
use crate::oxm::Match;

/// A flow entry the switch removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowRemoved {
    /// Cookie.
    pub cookie: u64,
    /// Priority.
    pub priority: u16,
    /// `OFPRR_*` reason.
    pub reason: u8,
    /// Table id.
    pub table_id: u8,
    /// Seconds alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// Idle timeout.
    pub idle_timeout: u16,
    /// Hard timeout.
    pub hard_timeout: u16,
    /// Packets matched.
    pub packet_count: u64,
    /// Bytes matched.
    pub byte_count: u64,
    /// The flow's match.
    pub r#match: Match,
}

impl FlowRemoved {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        40 + self.r#match.encoded_len()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(FlowRemoved {
            cookie: r.u64("cookie")?,
            priority: r.u16("priority")?,
            reason: r.u8("reason")?,
            table_id: r.u8("table_id")?,
            duration_sec: r.u32("duration_sec")?,
            duration_nsec: r.u32("duration_nsec")?,
            idle_timeout: r.u16("idle_timeout")?,
            hard_timeout: r.u16("hard_timeout")?,
            packet_count: r.u64("packet_count")?,
            byte_count: r.u64("byte_count")?,
            r#match: Match::read(r)?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u64(self.cookie);
        b.put_u16(self.priority);
        b.put_u8(self.reason);
        b.put_u8(self.table_id);
        b.put_u32(self.duration_sec);
        b.put_u32(self.duration_nsec);
        b.put_u16(self.idle_timeout);
        b.put_u16(self.hard_timeout);
        b.put_u64(self.packet_count);
        b.put_u64(self.byte_count);
        self.r#match.write(b)
    }
}
