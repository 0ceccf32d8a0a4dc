//! GET_ASYNC_REPLY (type 27) / SET_ASYNC (type 28).
//!
//! ```text
//! | packet_in_mask[2] (8) | port_status_mask[2] (8) | flow_removed_mask[2] (8) |
//! ```
//! Element 0 applies in the master/equal role, element 1 in the slave role.

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// Which asynchronous messages the controller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AsyncConfig {
    /// PACKET_IN reasons, [master/equal, slave].
    pub packet_in_mask: [u32; 2],
    /// PORT_STATUS reasons.
    pub port_status_mask: [u32; 2],
    /// FLOW_REMOVED reasons.
    pub flow_removed_mask: [u32; 2],
}

impl AsyncConfig {
    /// Body length.
    pub const LEN: usize = 24;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut v = [0u32; 6];
        for x in &mut v {
            *x = r.u32("async mask")?;
        }
        Ok(AsyncConfig {
            packet_in_mask: [v[0], v[1]],
            port_status_mask: [v[2], v[3]],
            flow_removed_mask: [v[4], v[5]],
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        for m in [
            self.packet_in_mask,
            self.port_status_mask,
            self.flow_removed_mask,
        ] {
            b.put_u32(m[0]);
            b.put_u32(m[1]);
        }
        Ok(())
    }
}
