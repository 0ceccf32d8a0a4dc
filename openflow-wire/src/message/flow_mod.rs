//! FLOW_MOD (type 14).
//!
//! ```text
//! | cookie (8) | cookie_mask (8) | table_id (1) | command (1) | idle_timeout (2)
//! | hard_timeout (2) | priority (2) | buffer_id (4) | out_port (4)
//! | out_group (4) | flags (2) | pad (2) | match (padded to 8) | instructions |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;
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

    #[inline]
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        if r.remaining() < 40 {
            // Field by field, for the same error as ever.
            return Self::read_fields(r);
        }
        // The fixed part in one bounds check.
        let f: [u8; 40] = r.array("flow_mod")?;
        let u16_at = |i: usize| u16::from_be_bytes([f[i], f[i + 1]]);
        let u32_at = |i: usize| u32::from_be_bytes([f[i], f[i + 1], f[i + 2], f[i + 3]]);
        let u64_at = |i: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&f[i..i + 8]);
            u64::from_be_bytes(a)
        };
        Ok(FlowMod {
            cookie: u64_at(0),
            cookie_mask: u64_at(8),
            table_id: f[16],
            command: f[17],
            idle_timeout: u16_at(18),
            hard_timeout: u16_at(20),
            priority: u16_at(22),
            buffer_id: u32_at(24),
            out_port: u32_at(28),
            out_group: u32_at(32),
            flags: u16_at(36),
            r#match: Match::read(r)?,
            instructions: Instruction::read_list(r)?,
        })
    }

    fn read_fields(r: &mut Reader<'_>) -> Result<Self, Error> {
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

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        // The fixed part in one write.
        let mut fixed = [0u8; 40];
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
        b.put_slice(&fixed);
        self.r#match.write(b)?;
        for i in &self.instructions {
            i.write(b)?;
        }
        Ok(())
    }
}
