//! ROLE_REQUEST (type 24) / ROLE_REPLY (type 25).
//!
//! ```text
//! | role (4) | pad (4) | generation_id (8) |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// A controller role request or reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Role {
    /// `OFPCR_ROLE_*` (0 nochange, 1 equal, 2 master, 3 slave).
    pub role: u32,
    /// Master election generation id.
    pub generation_id: u64,
}

impl Role {
    /// Body length.
    pub const LEN: usize = 16;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let role = r.u32("role")?;
        r.skip(4, "role pad")?;
        Ok(Role {
            role,
            generation_id: r.u64("generation_id")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.role);
        b.put_u32(0);
        b.put_u64(self.generation_id);
        Ok(())
    }
}
