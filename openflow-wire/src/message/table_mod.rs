//! TABLE_MOD (type 17).
//!
//! ```text
//! | table_id (1) | pad (3) | config (4) |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// Configure a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TableMod {
    /// Table id (0xff = all).
    pub table_id: u8,
    /// `OFPTC_*` config bits.
    pub config: u32,
}

impl TableMod {
    /// Body length.
    pub const LEN: usize = 8;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let table_id = r.u8("table_id")?;
        r.skip(3, "table_mod pad")?;
        Ok(TableMod {
            table_id,
            config: r.u32("table config")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u8(self.table_id);
        b.put_bytes(0, 3);
        b.put_u32(self.config);
        Ok(())
    }
}
