//! OFPMP_TABLE (3) reply entry.
//!
//! ```text
//! | table_id (1) | pad (3) | active_count (4) | lookup_count (8) | matched_count (8) |  24
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// Counters of one flow table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TableStats {
    /// Table id.
    pub table_id: u8,
    /// Active entries.
    pub active_count: u32,
    /// Packets looked up in the table.
    pub lookup_count: u64,
    /// Packets that hit the table.
    pub matched_count: u64,
}

impl TableStats {
    /// Encoded length.
    pub const LEN: usize = 24;

    /// Encoded length (for list helpers).
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.need(Self::LEN, "table stats")?;
        let table_id = r.u8("table stats table_id")?;
        r.skip(3, "table stats pad")?;
        Ok(TableStats {
            table_id,
            active_count: r.u32("active_count")?,
            lookup_count: r.u64("lookup_count")?,
            matched_count: r.u64("matched_count")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u8(self.table_id);
        b.put_bytes(0, 3);
        b.put_u32(self.active_count);
        b.put_u64(self.lookup_count);
        b.put_u64(self.matched_count);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_stats_layout() {
        let t = TableStats {
            table_id: 1,
            active_count: 12,
            lookup_count: 513,
            matched_count: 257,
        };
        let mut v = Vec::new();
        t.write(&mut v).unwrap();
        assert_eq!(
            v,
            [
                1, 0, 0, 0, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0, 1, 1
            ]
        );
        assert_eq!(TableStats::read(&mut Reader::new(&v)).unwrap(), t);
        assert!(TableStats::read(&mut Reader::new(&v[..23])).is_err());
    }
}
