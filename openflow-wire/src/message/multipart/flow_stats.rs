//! OFPMP_FLOW (1) and OFPMP_AGGREGATE (2): the request both share, the
//! flow stats entry and the aggregate reply.
//!
//! ```text
//! request (32 + match): | table_id (1) | pad (3) | out_port (4) | out_group (4)
//!   | pad (4) | cookie (8) | cookie_mask (8) | match (padded to 8) |
//! flow stats entry:     | length (2) | table_id (1) | pad (1) | duration_sec (4)
//!   | duration_nsec (4) | priority (2) | idle_timeout (2) | hard_timeout (2)
//!   | flags (2) | pad (4) | cookie (8) | packet_count (8) | byte_count (8)
//!   | match (padded to 8) | instructions ... |
//! aggregate reply (24): | packet_count (8) | byte_count (8) | flow_count (4) | pad (4) |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::action::ports;
use crate::codec::{Reader, len16, overwrite};
use crate::instruction::Instruction;
use crate::message::OFPG_ANY;
use crate::oxm::Match;

/// `OFPTT_ALL`: every table.
pub const OFPTT_ALL: u8 = 0xff;

/// The body of a FLOW or AGGREGATE request: which flows to report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowStatsRequest {
    /// Table ([`OFPTT_ALL`] = every table).
    pub table_id: u8,
    /// Only flows that output to this port (`OFPP_ANY` = no filter).
    pub out_port: u32,
    /// Only flows that output to this group (`OFPG_ANY` = no filter).
    pub out_group: u32,
    /// Only flows whose cookie matches under `cookie_mask`.
    pub cookie: u64,
    /// Cookie bits that must match (0 = no filter).
    pub cookie_mask: u64,
    /// Only flows this match covers.
    pub r#match: Match,
}

impl Default for FlowStatsRequest {
    fn default() -> Self {
        FlowStatsRequest {
            table_id: OFPTT_ALL,
            out_port: ports::ANY,
            out_group: OFPG_ANY,
            cookie: 0,
            cookie_mask: 0,
            r#match: Match::new(),
        }
    }
}

impl FlowStatsRequest {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        32 + self.r#match.encoded_len()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let table_id = r.u8("flow stats table_id")?;
        r.skip(3, "flow stats request pad")?;
        let out_port = r.u32("flow stats out_port")?;
        let out_group = r.u32("flow stats out_group")?;
        r.skip(4, "flow stats request pad")?;
        Ok(FlowStatsRequest {
            table_id,
            out_port,
            out_group,
            cookie: r.u64("flow stats cookie")?,
            cookie_mask: r.u64("flow stats cookie_mask")?,
            r#match: Match::read(r)?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u8(self.table_id);
        b.put_bytes(0, 3);
        b.put_u32(self.out_port);
        b.put_u32(self.out_group);
        b.put_u32(0);
        b.put_u64(self.cookie);
        b.put_u64(self.cookie_mask);
        self.r#match.write(b)
    }
}

/// Sets the scalar fields of a FLOW stats entry's 48-byte fixed part `b`
/// on `s`, a [`FlowStats`] or the view's `FlowStatsRef` (same field
/// names): the one list of offsets for both decoders.
macro_rules! read_flow_stats_fixed {
    ($s:expr, $b:expr) => {{
        let (s, b): (_, &[u8; 48]) = ($s, $b);
        let w = $crate::codec::Fixed(&b[..]);
        s.table_id = b[2];
        s.duration_sec = w.u32_at(4);
        s.duration_nsec = w.u32_at(8);
        s.priority = w.u16_at(12);
        s.idle_timeout = w.u16_at(14);
        s.hard_timeout = w.u16_at(16);
        s.flags = w.u16_at(18);
        s.cookie = w.u64_at(24);
        s.packet_count = w.u64_at(32);
        s.byte_count = w.u64_at(40);
    }};
}
pub(crate) use read_flow_stats_fixed;

/// One flow entry of a FLOW reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowStats {
    /// Table of the flow.
    pub table_id: u8,
    /// Seconds the flow has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// Priority.
    pub priority: u16,
    /// Idle timeout, seconds.
    pub idle_timeout: u16,
    /// Hard timeout, seconds.
    pub hard_timeout: u16,
    /// `OFPFF_*` flags.
    pub flags: u16,
    /// Cookie.
    pub cookie: u64,
    /// Packets matched.
    pub packet_count: u64,
    /// Bytes matched.
    pub byte_count: u64,
    /// The flow's match.
    pub r#match: Match,
    /// The flow's instructions.
    pub instructions: Vec<Instruction>,
}

impl FlowStats {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        48 + self.r#match.encoded_len()
            + self
                .instructions
                .iter()
                .map(Instruction::encoded_len)
                .sum::<usize>()
    }

    /// A cheap value to decode over (no heap data to drop).
    const PLACEHOLDER: FlowStats = FlowStats {
        table_id: 0,
        duration_sec: 0,
        duration_nsec: 0,
        priority: 0,
        idle_timeout: 0,
        hard_timeout: 0,
        flags: 0,
        cookie: 0,
        packet_count: 0,
        byte_count: 0,
        r#match: Match { fields: Vec::new() },
        instructions: Vec::new(),
    };

    /// Decodes the entries filling `r`: counted first and allocated once,
    /// each decoded over its slot (no 100-byte `Result<FlowStats>` moved
    /// through the stack and into a growing vector).
    pub(crate) fn read_list(r: &mut Reader<'_>) -> Result<Vec<FlowStats>, Error> {
        let n = r.count_tlvs_min(0, 56);
        let mut out: Vec<FlowStats> = (0..n).map(|_| FlowStats::PLACEHOLDER).collect();
        let mut i = 0;
        while !r.is_empty() {
            if i == out.len() {
                out.push(FlowStats::PLACEHOLDER);
            }
            FlowStats::read_to(r, &mut out[i])?;
            i += 1;
        }
        out.truncate(i);
        Ok(out)
    }

    /// Reads one entry into `s`, a placeholder: the fixed part from the
    /// entry in one bounds check (always there: an entry is at least 56
    /// bytes), match and instructions decoded into it.
    fn read_to(r: &mut Reader<'_>, s: &mut FlowStats) -> Result<(), Error> {
        let mut e = r.tlv(0, 56, "flow stats entry", "at least 56")?;
        let Some(b) = e.take_array::<48>() else {
            overwrite(s, Self::read_entry(e)?);
            return Ok(());
        };
        read_flow_stats_fixed!(&mut *s, b);
        Match::read_to(&mut e, &mut s.r#match)?;
        Instruction::read_list_to(&mut e, &mut s.instructions)
    }

    #[cfg(test)]
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut s = FlowStats::PLACEHOLDER;
        Self::read_to(r, &mut s)?;
        Ok(s)
    }

    /// The entry `e` (its length checked), field by field.
    pub(crate) fn read_entry(mut e: Reader<'_>) -> Result<Self, Error> {
        e.skip(2, "flow stats length")?;
        let table_id = e.u8("flow stats table_id")?;
        e.skip(1, "flow stats pad")?;
        let duration_sec = e.u32("duration_sec")?;
        let duration_nsec = e.u32("duration_nsec")?;
        let priority = e.u16("priority")?;
        let idle_timeout = e.u16("idle_timeout")?;
        let hard_timeout = e.u16("hard_timeout")?;
        let flags = e.u16("flow stats flags")?;
        e.skip(4, "flow stats pad")?;
        Ok(FlowStats {
            table_id,
            duration_sec,
            duration_nsec,
            priority,
            idle_timeout,
            hard_timeout,
            flags,
            cookie: e.u64("cookie")?,
            packet_count: e.u64("packet_count")?,
            byte_count: e.u64("byte_count")?,
            r#match: Match::read(&mut e)?,
            instructions: Instruction::read_list(&mut e)?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(len16(self.encoded_len(), "flow stats entry")?);
        b.put_u8(self.table_id);
        b.put_u8(0);
        b.put_u32(self.duration_sec);
        b.put_u32(self.duration_nsec);
        b.put_u16(self.priority);
        b.put_u16(self.idle_timeout);
        b.put_u16(self.hard_timeout);
        b.put_u16(self.flags);
        b.put_u32(0);
        b.put_u64(self.cookie);
        b.put_u64(self.packet_count);
        b.put_u64(self.byte_count);
        self.r#match.write(b)?;
        for i in &self.instructions {
            i.write(b)?;
        }
        Ok(())
    }
}

/// The AGGREGATE reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AggregateStats {
    /// Packets matched by the flows.
    pub packet_count: u64,
    /// Bytes matched by the flows.
    pub byte_count: u64,
    /// Number of flows.
    pub flow_count: u32,
}

impl AggregateStats {
    /// Encoded length.
    pub const LEN: usize = 24;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let a = AggregateStats {
            packet_count: r.u64("aggregate packet_count")?,
            byte_count: r.u64("aggregate byte_count")?,
            flow_count: r.u32("aggregate flow_count")?,
        };
        r.skip(4, "aggregate pad")?;
        Ok(a)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u64(self.packet_count);
        b.put_u64(self.byte_count);
        b.put_u32(self.flow_count);
        b.put_u32(0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;
    use crate::oxm::Oxm;

    #[test]
    fn flow_stats_entry_layout() {
        let f = FlowStats {
            table_id: 2,
            duration_sec: 358,
            priority: 65534,
            r#match: Match::new().with(Oxm::EthType(0x0806.into())),
            instructions: vec![Instruction::ApplyActions(vec![Action::Output {
                port: ports::NORMAL,
                max_len: 0,
            }])],
            ..FlowStats::default()
        };
        let mut v = Vec::new();
        f.write(&mut v).unwrap();
        assert_eq!(v.len(), 88);
        assert_eq!(f.encoded_len(), 88);
        assert_eq!(&v[..4], [0, 88, 2, 0]);
        assert_eq!(&v[48..52], [0, 1, 0, 10]);
        assert_eq!(FlowStats::read(&mut Reader::new(&v)).unwrap(), f);
        // A length below the fixed part cannot advance.
        v[1] = 0;
        assert!(matches!(
            FlowStats::read(&mut Reader::new(&v)),
            Err(Error::BadLength { length: 0, .. })
        ));
    }

    #[test]
    fn request_and_aggregate_layout() {
        let q = FlowStatsRequest::default();
        let mut v = Vec::new();
        q.write(&mut v).unwrap();
        assert_eq!(v.len(), 40);
        assert_eq!(
            &v[..12],
            [
                0xff, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
            ]
        );
        assert_eq!(FlowStatsRequest::read(&mut Reader::new(&v)).unwrap(), q);
        let a = AggregateStats {
            packet_count: 121,
            byte_count: 19279,
            flow_count: 3,
        };
        let mut v = Vec::new();
        a.write(&mut v).unwrap();
        assert_eq!(v.len(), AggregateStats::LEN);
        assert_eq!(AggregateStats::read(&mut Reader::new(&v)).unwrap(), a);
    }
}
