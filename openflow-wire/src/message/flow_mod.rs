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

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
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
        b.put_u64(self.cookie);
        b.put_u64(self.cookie_mask);
        b.put_u8(self.table_id);
        b.put_u8(self.command);
        b.put_u16(self.idle_timeout);
        b.put_u16(self.hard_timeout);
        b.put_u16(self.priority);
        b.put_u32(self.buffer_id);
        b.put_u32(self.out_port);
        b.put_u32(self.out_group);
        b.put_u16(self.flags);
        b.put_u16(0);
        self.r#match.write(b)?;
        for i in &self.instructions {
            i.write(b)?;
        }
        Ok(())
    }
}
