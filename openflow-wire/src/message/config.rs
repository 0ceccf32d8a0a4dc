//! GET_CONFIG_REPLY (type 8) and SET_CONFIG (type 9).
//!
//! ```text
//! | flags (2) | miss_send_len (2) |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// The switch configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SwitchConfig {
    /// `OFPC_FRAG_*` flags.
    pub flags: u16,
    /// Bytes of a table-miss packet sent to the controller.
    pub miss_send_len: u16,
}

impl SwitchConfig {
    /// Body length.
    pub const LEN: usize = 4;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(SwitchConfig {
            flags: r.u16("config flags")?,
            miss_send_len: r.u16("miss_send_len")?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(self.flags);
        b.put_u16(self.miss_send_len);
        Ok(())
    }
}
