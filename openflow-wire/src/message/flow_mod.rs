//! FLOW_MOD (type 14).
//!
//! ```text
//! | cookie (8) | cookie_mask (8) | table_id (1) | command (1) | idle_timeout (2)
//! | hard_timeout (2) | priority (2) | buffer_id (4) | out_port (4)
//! | out_group (4) | flags (2) | pad (2) | match (padded to 8) | instructions |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, Scratch};
use crate::instruction::Instruction;
use crate::oxm::Match;

/// `OFPFC_*` flow-mod commands.
pub mod commands {
    /// Add a flow.
    pub const ADD: u8 = 0;
    /// Modify matching flows.
    pub const MODIFY: u8 = 1;
    /// Modify the flow with exactly this match and priority.
    pub const MODIFY_STRICT: u8 = 2;
    /// Delete matching flows.
    pub const DELETE: u8 = 3;
    /// Delete the flow with exactly this match and priority.
    pub const DELETE_STRICT: u8 = 4;
}

/// `OFP_NO_BUFFER`.
pub const OFP_NO_BUFFER: u32 = 0xffff_ffff;
/// `OFPG_ANY`: no group (wildcard in deletes).
pub const OFPG_ANY: u32 = 0xffff_ffff;
/// `OFPFF_SEND_FLOW_REM`.
pub const OFPFF_SEND_FLOW_REM: u16 = 1;

/// Sets the scalar fields of a FLOW_MOD's 40-byte fixed part `b` on `f`,
/// a [`FlowMod`] or the view's `FlowModRef` (same field names): the one
/// list of offsets for both decoders.
macro_rules! read_flow_mod_fixed {
    ($f:expr, $b:expr) => {{
        let (f, b): (_, &[u8; 40]) = ($f, $b);
        let w = $crate::codec::Fixed(&b[..]);
        f.cookie = w.u64_at(0);
        f.cookie_mask = w.u64_at(8);
        f.table_id = b[16];
        f.command = b[17];
        f.idle_timeout = w.u16_at(18);
        f.hard_timeout = w.u16_at(20);
        f.priority = w.u16_at(22);
        f.buffer_id = w.u32_at(24);
        f.out_port = w.u32_at(28);
        f.out_group = w.u32_at(32);
        f.flags = w.u16_at(36);
    }};
}
pub(crate) use read_flow_mod_fixed;

/// Add, change or delete flow entries.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowMod {
    /// Cookie.
    pub cookie: u64,
    /// Cookie bits that must match (modify/delete).
    pub cookie_mask: u64,
    /// Table id (0xff = all, for deletes).
    pub table_id: u8,
    /// One of [`commands`].
    pub command: u8,
    /// Idle timeout, seconds.
    pub idle_timeout: u16,
    /// Hard timeout, seconds.
    pub hard_timeout: u16,
    /// Priority.
    pub priority: u16,
    /// Buffered packet to apply to ([`OFP_NO_BUFFER`] = none).
    pub buffer_id: u32,
    /// Output port filter for deletes (`OFPP_ANY` = none).
    pub out_port: u32,
    /// Output group filter for deletes ([`OFPG_ANY`] = none).
    pub out_group: u32,
    /// `OFPFF_*` flags.
    pub flags: u16,
    /// The match.
    pub r#match: Match,
    /// The instructions.
    pub instructions: Vec<Instruction>,
}

impl Default for FlowMod {
    fn default() -> Self {
        FlowMod {
            cookie: 0,
            cookie_mask: 0,
            table_id: 0,
            command: commands::ADD,
            idle_timeout: 0,
            hard_timeout: 0,
            priority: 0x8000,
            buffer_id: OFP_NO_BUFFER,
            out_port: crate::action::ports::ANY,
            out_group: OFPG_ANY,
            flags: 0,
            r#match: Match::new(),
            instructions: Vec::new(),
        }
    }
}

impl FlowMod {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        40 + self.r#match.encoded_len()
            + self
                .instructions
                .iter()
                .map(Instruction::encoded_len)
                .sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut f = FlowMod::default();
        Self::read_to(r, &mut f)?;
        Ok(f)
    }

    /// Decodes into `f` (a default or otherwise empty FLOW_MOD): the
    /// match and instructions are written into it, not moved through the
    /// stack as results.
    pub(crate) fn read_to(r: &mut Reader<'_>, f: &mut FlowMod) -> Result<(), Error> {
        // The fixed part in one bounds check, read from the input (a copy
        // into a stack array was read back with overlapping loads: a
        // store-forwarding stall in the profile).
        let Some(b) = r.take_array::<40>() else {
            // Field by field, for the same error as ever.
            *f = Self::read_fields(r)?;
            return Ok(());
        };
        read_flow_mod_fixed!(&mut *f, b);
        Match::read_to(r, &mut f.r#match)?;
        Instruction::read_list_to(r, &mut f.instructions)
    }

    pub(crate) fn read_fields(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut f = FlowMod {
            cookie: r.u64("cookie")?,
            cookie_mask: r.u64("cookie_mask")?,
            table_id: r.u8("table_id")?,
            command: r.u8("command")?,
            idle_timeout: r.u16("idle_timeout")?,
            hard_timeout: r.u16("hard_timeout")?,
            priority: r.u16("priority")?,
            buffer_id: r.u32("buffer_id")?,
            out_port: r.u32("out_port")?,
            out_group: r.u32("out_group")?,
            flags: r.u16("flags")?,
            ..FlowMod::default()
        };
        r.skip(2, "flow_mod pad")?;
        f.r#match = Match::read(r)?;
        f.instructions = Instruction::read_list(r)?;
        Ok(f)
    }

    /// The fast path of [`FlowMod::write`] (see [`Scratch`]).
    #[inline]
    pub(crate) fn write_scratch<const N: usize>(&self, s: &mut Scratch<N>) -> Option<()> {
        let fixed = s.take_array::<40>()?;
        self.fill_fixed(fixed);
        self.r#match.write_scratch(s)?;
        for i in &self.instructions {
            i.write_scratch(s)?;
        }
        Some(())
    }

    /// The 40-byte fixed part into `fixed` (zeroed: the pad is left).
    #[inline(always)]
    fn fill_fixed(&self, fixed: &mut [u8; 40]) {
        fixed[..8].copy_from_slice(&self.cookie.to_be_bytes());
        fixed[8..16].copy_from_slice(&self.cookie_mask.to_be_bytes());
        fixed[16] = self.table_id;
        fixed[17] = self.command;
        fixed[18..20].copy_from_slice(&self.idle_timeout.to_be_bytes());
        fixed[20..22].copy_from_slice(&self.hard_timeout.to_be_bytes());
        fixed[22..24].copy_from_slice(&self.priority.to_be_bytes());
        fixed[24..28].copy_from_slice(&self.buffer_id.to_be_bytes());
        fixed[28..32].copy_from_slice(&self.out_port.to_be_bytes());
        fixed[32..36].copy_from_slice(&self.out_group.to_be_bytes());
        fixed[36..38].copy_from_slice(&self.flags.to_be_bytes());
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        // The fixed part in one write.
        let mut fixed = [0u8; 40];
        self.fill_fixed(&mut fixed);
        b.put_slice(&fixed);
        self.r#match.write(b)?;
        for i in &self.instructions {
            i.write(b)?;
        }
        Ok(())
    }
}
