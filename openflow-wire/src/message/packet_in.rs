//! PACKET_IN (type 10).
//!
//! ```text
//! | buffer_id (4) | total_len (2) | reason (1) | table_id (1) | cookie (8)
//! | match (padded to 8) | pad (2) | frame ... |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, Scratch};
use crate::oxm::Match;

/// Sets the scalar fields of a PACKET_IN's 16-byte fixed part `b` on `p`,
/// a [`PacketIn`] or the view's `PacketInRef` (same field names): the
/// one list of offsets for both decoders.
macro_rules! read_packet_in_fixed {
    ($p:expr, $b:expr) => {{
        let (p, b): (_, &[u8; 16]) = ($p, $b);
        let w = $crate::codec::Fixed(&b[..]);
        p.buffer_id = w.u32_at(0);
        p.total_len = w.u16_at(4);
        p.reason = b[6];
        p.table_id = b[7];
        p.cookie = w.u64_at(8);
    }};
}
pub(crate) use read_packet_in_fixed;

/// A packet the switch sends to the controller.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PacketIn {
    /// Buffer id (0xffffffff = not buffered).
    pub buffer_id: u32,
    /// Full length of the frame.
    pub total_len: u16,
    /// `OFPR_*` reason (0 no match, 1 action, 2 invalid TTL).
    pub reason: u8,
    /// Table the packet was in.
    pub table_id: u8,
    /// Cookie of the flow that sent it.
    pub cookie: u64,
    /// Pipeline fields (in_port, tunnel metadata, ...).
    pub r#match: Match,
    /// The frame (or its first bytes).
    pub data: Vec<u8>,
}

impl PacketIn {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        16 + self.r#match.encoded_len() + 2 + self.data.len()
    }

    /// Decodes into `p` (a default PACKET_IN): the fixed part in one
    /// bounds check, the match and the frame written into it, not moved
    /// through the stack as results (store-forwarding stalls in the
    /// profile).
    pub(crate) fn read_to(r: &mut Reader<'_>, p: &mut PacketIn) -> Result<(), Error> {
        let Some(b) = r.take_array::<16>() else {
            // Field by field, for the same error as ever.
            *p = Self::read(r)?;
            return Ok(());
        };
        read_packet_in_fixed!(&mut *p, b);
        Match::read_to(r, &mut p.r#match)?;
        r.skip(2, "packet_in pad")?;
        p.data = r.rest().to_vec();
        Ok(())
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let buffer_id = r.u32("buffer_id")?;
        let total_len = r.u16("total_len")?;
        let reason = r.u8("reason")?;
        let table_id = r.u8("table_id")?;
        let cookie = r.u64("cookie")?;
        let m = Match::read(r)?;
        r.skip(2, "packet_in pad")?;
        Ok(PacketIn {
            buffer_id,
            total_len,
            reason,
            table_id,
            cookie,
            r#match: m,
            data: r.rest().to_vec(),
        })
    }

    /// The fast path of [`PacketIn::write`] (see [`Scratch`]): all but
    /// the frame, which is returned to be written after it.
    #[inline]
    pub(crate) fn write_scratch<const N: usize>(&self, s: &mut Scratch<N>) -> Option<&[u8]> {
        let f = s.take_array::<16>()?;
        f[..4].copy_from_slice(&self.buffer_id.to_be_bytes());
        f[4..6].copy_from_slice(&self.total_len.to_be_bytes());
        f[6] = self.reason;
        f[7] = self.table_id;
        f[8..].copy_from_slice(&self.cookie.to_be_bytes());
        self.r#match.write_scratch(s)?;
        s.skip(2)?;
        Some(&self.data)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.buffer_id);
        b.put_u16(self.total_len);
        b.put_u8(self.reason);
        b.put_u8(self.table_id);
        b.put_u64(self.cookie);
        self.r#match.write(b)?;
        b.put_u16(0);
        b.put_slice(&self.data);
        Ok(())
    }
}
