//! PACKET_OUT (type 13).
//!
//! ```text
//! | buffer_id (4) | in_port (4) | actions_len (2) | pad (6) | actions | frame |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::action::{self, Action};
use crate::codec::{Reader, len16};

/// Send a packet (a buffered one, or `data`) through `actions`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PacketOut {
    /// Buffer id (0xffffffff = the frame is in `data`).
    pub buffer_id: u32,
    /// Ingress port the actions see (`OFPP_CONTROLLER` when none).
    pub in_port: u32,
    /// The actions.
    pub actions: Vec<Action>,
    /// The frame.
    pub data: Vec<u8>,
}

impl PacketOut {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        16 + action::list_len(&self.actions) + self.data.len()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let buffer_id = r.u32("buffer_id")?;
        let in_port = r.u32("in_port")?;
        let actions_len = usize::from(r.u16("actions_len")?);
        r.skip(6, "packet_out pad")?;
        let mut a = r.sub(actions_len, "packet_out actions")?;
        let actions = Action::read_list(&mut a, 0)?;
        Ok(PacketOut {
            buffer_id,
            in_port,
            actions,
            data: r.rest().to_vec(),
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.buffer_id);
        b.put_u32(self.in_port);
        b.put_u16(len16(
            action::list_len(&self.actions),
            "packet_out actions",
        )?);
        b.put_bytes(0, 6);
        action::write_list(&self.actions, b)?;
        b.put_slice(&self.data);
        Ok(())
    }
}
