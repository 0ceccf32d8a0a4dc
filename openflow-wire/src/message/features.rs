//! FEATURES_REPLY (type 6).
//!
//! ```text
//! | datapath_id (8) | n_buffers (4) | n_tables (1) | auxiliary_id (1) | pad (2)
//! | capabilities (4) | reserved (4) |                                   24 bytes
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// The switch's answer to FEATURES_REQUEST.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FeaturesReply {
    /// Datapath id (low 48 bits usually a MAC).
    pub datapath_id: u64,
    /// Packets the switch can buffer.
    pub n_buffers: u32,
    /// Number of tables.
    pub n_tables: u8,
    /// Auxiliary connection id (0 = main).
    pub auxiliary_id: u8,
    /// `OFPC_*` capability bits.
    pub capabilities: u32,
    /// The reserved word (kept as sent).
    pub reserved: u32,
}

impl FeaturesReply {
    /// Body length.
    pub const LEN: usize = 24;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let datapath_id = r.u64("datapath_id")?;
        let n_buffers = r.u32("n_buffers")?;
        let n_tables = r.u8("n_tables")?;
        let auxiliary_id = r.u8("auxiliary_id")?;
        r.skip(2, "features pad")?;
        Ok(FeaturesReply {
            datapath_id,
            n_buffers,
            n_tables,
            auxiliary_id,
            capabilities: r.u32("capabilities")?,
            reserved: r.u32("reserved")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u64(self.datapath_id);
        b.put_u32(self.n_buffers);
        b.put_u8(self.n_tables);
        b.put_u8(self.auxiliary_id);
        b.put_u16(0);
        b.put_u32(self.capabilities);
        b.put_u32(self.reserved);
        Ok(())
    }
}
