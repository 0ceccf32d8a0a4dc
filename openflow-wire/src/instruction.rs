//! OpenFlow 1.3 instructions.
//!
//! ```text
//! GOTO_TABLE (1):     | 1 | 8 | table_id (1) | pad (3) |
//! WRITE_METADATA (2): | 2 | 24 | pad (4) | metadata (8) | mask (8) |
//! WRITE_ACTIONS (3), APPLY_ACTIONS (4), CLEAR_ACTIONS (5):
//!                     | type | len | pad (4) | actions ... |
//! METER (6):          | 6 | 8 | meter_id (4) |
//! EXPERIMENTER:       | 0xffff | len | experimenter (4) | data |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::action::{self, Action};
use crate::codec::{Reader, Scratch, impl_codec, len16};
use crate::view::InstructionRef;

/// One instruction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Instruction {
    /// Go to this table next.
    GotoTable(u8),
    /// Write `metadata` under `mask`.
    WriteMetadata {
        /// The value.
        metadata: u64,
        /// Bits to write.
        mask: u64,
    },
    /// Merge these actions into the action set.
    WriteActions(Vec<Action>),
    /// Apply these actions now.
    ApplyActions(Vec<Action>),
    /// Clear the action set.
    ClearActions,
    /// Apply this meter.
    Meter(u32),
    /// An experimenter instruction, kept raw.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Bytes after the experimenter id.
        data: Vec<u8>,
    },
    /// An instruction type this crate does not know, kept raw.
    Unknown {
        /// Instruction type.
        instruction_type: u16,
        /// Bytes after the 4-byte header.
        data: Vec<u8>,
    },
}

impl_codec!(Instruction, "instruction");

impl Instruction {
    /// The instruction type on the wire.
    pub fn instruction_type(&self) -> u16 {
        match self {
            Instruction::GotoTable(_) => 1,
            Instruction::WriteMetadata { .. } => 2,
            Instruction::WriteActions(_) => 3,
            Instruction::ApplyActions(_) => 4,
            Instruction::ClearActions => 5,
            Instruction::Meter(_) => 6,
            Instruction::Experimenter { .. } => 0xffff,
            Instruction::Unknown {
                instruction_type, ..
            } => *instruction_type,
        }
    }

    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        match self {
            Instruction::GotoTable(_) | Instruction::Meter(_) | Instruction::ClearActions => 8,
            Instruction::WriteMetadata { .. } => 24,
            Instruction::WriteActions(a) | Instruction::ApplyActions(a) => 8 + action::list_len(a),
            Instruction::Experimenter { data, .. } => 8 + data.len(),
            Instruction::Unknown { data, .. } => 4 + data.len(),
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Instruction, Error> {
        // The header and the fixed bodies are read once, for this and for
        // the borrowed view; action lists are decoded here.
        Ok(match InstructionRef::read_head(r)? {
            InstructionRef::WriteActions(a) => {
                Instruction::WriteActions(Action::read_list(&mut a.reader(), 0)?)
            }
            InstructionRef::ApplyActions(a) => {
                Instruction::ApplyActions(Action::read_list(&mut a.reader(), 0)?)
            }
            other => other.to_instruction(),
        })
    }

    /// The fast path of [`Instruction::write`] (see [`Scratch`]); `None`
    /// for experimenter and unknown instructions (which may be unaligned),
    /// actions without a fast path, or a full `s`.
    #[inline]
    pub(crate) fn write_scratch<const N: usize>(&self, s: &mut Scratch<N>) -> Option<()> {
        match self {
            Instruction::GotoTable(t) => s.put([0, 1, 0, 8, *t, 0, 0, 0]),
            Instruction::WriteMetadata { metadata, mask } => {
                s.put([0, 2, 0, 24, 0, 0, 0, 0])?;
                s.put(metadata.to_be_bytes())?;
                s.put(mask.to_be_bytes())
            }
            Instruction::WriteActions(a) | Instruction::ApplyActions(a) => {
                let start = s.pos();
                // Type 3 or 4, the length patched in after the actions.
                let t = if matches!(self, Instruction::WriteActions(_)) {
                    3
                } else {
                    4
                };
                s.put([0, t, 0, 0, 0, 0, 0, 0])?;
                for x in a {
                    x.write_scratch(s)?;
                }
                s.patch_len(start, 2).map(|_| ())
            }
            Instruction::ClearActions => s.put([0, 5, 0, 8, 0, 0, 0, 0]),
            Instruction::Meter(m) => {
                let m = m.to_be_bytes();
                s.put([0, 6, 0, 8, m[0], m[1], m[2], m[3]])
            }
            Instruction::Experimenter { .. } | Instruction::Unknown { .. } => None,
        }
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = self.encoded_len();
        if !len.is_multiple_of(8) {
            return Err(Error::Unaligned {
                what: "instruction",
                len,
            });
        }
        b.put_u16(self.instruction_type());
        b.put_u16(len16(len, "instruction")?);
        match self {
            Instruction::GotoTable(t) => {
                b.put_u8(*t);
                b.put_bytes(0, 3);
            }
            Instruction::WriteMetadata { metadata, mask } => {
                b.put_u32(0);
                b.put_u64(*metadata);
                b.put_u64(*mask);
            }
            Instruction::WriteActions(a) | Instruction::ApplyActions(a) => {
                b.put_u32(0);
                action::write_list(a, b)?;
            }
            Instruction::ClearActions => b.put_u32(0),
            Instruction::Meter(m) => b.put_u32(*m),
            Instruction::Experimenter { experimenter, data } => {
                b.put_u32(*experimenter);
                b.put_slice(data);
            }
            Instruction::Unknown { data, .. } => b.put_slice(data),
        }
        Ok(())
    }

    pub(crate) fn read_list(r: &mut Reader<'_>) -> Result<Vec<Instruction>, Error> {
        let mut out = Vec::new();
        Instruction::read_list_to(r, &mut out)?;
        Ok(out)
    }

    /// Decodes the list into `out` (replaced), not moved out as a result.
    pub(crate) fn read_list_to(
        r: &mut Reader<'_>,
        out: &mut Vec<Instruction>,
    ) -> Result<(), Error> {
        let mut list = Vec::with_capacity(r.count_tlvs(2));
        while !r.is_empty() {
            list.push(Instruction::read(r)?);
        }
        *out = list;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_from_spec_layout() {
        for (i, b) in [
            (Instruction::GotoTable(3), vec![0, 1, 0, 8, 3, 0, 0, 0]),
            (Instruction::ClearActions, vec![0, 5, 0, 8, 0, 0, 0, 0]),
            (Instruction::Meter(9), vec![0, 6, 0, 8, 0, 0, 0, 9]),
            (
                Instruction::WriteMetadata {
                    metadata: 1,
                    mask: 0xff,
                },
                vec![
                    0, 2, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xff,
                ],
            ),
            (
                Instruction::ApplyActions(vec![Action::output(1)]),
                vec![
                    0, 4, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 0, 0, 0,
                ],
            ),
            (
                Instruction::WriteActions(vec![]),
                vec![0, 3, 0, 8, 0, 0, 0, 0],
            ),
            (
                Instruction::Experimenter {
                    experimenter: 0x2320,
                    data: vec![1, 2, 3, 4, 5, 6, 7, 8],
                },
                vec![0xff, 0xff, 0, 16, 0, 0, 0x23, 0x20, 1, 2, 3, 4, 5, 6, 7, 8],
            ),
        ] {
            assert_eq!(i.to_bytes().unwrap(), b, "{i:?}");
            assert_eq!(Instruction::decode(&b).unwrap(), i);
        }
    }

    #[test]
    fn instruction_errors() {
        assert!(matches!(
            Instruction::decode(&[0, 1, 0, 0]),
            Err(Error::BadLength { length: 0, .. })
        ));
        assert!(matches!(
            Instruction::decode(&[0, 1, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            Err(Error::BadLength { length: 16, .. })
        ));
        assert!(matches!(
            Instruction::Experimenter {
                experimenter: 1,
                data: vec![1]
            }
            .to_bytes(),
            Err(Error::Unaligned { len: 9, .. })
        ));
        let raw = [0, 77, 0, 8, 9, 9, 9, 9];
        let i = Instruction::decode(&raw).unwrap();
        assert_eq!(
            i,
            Instruction::Unknown {
                instruction_type: 77,
                data: vec![9; 4]
            }
        );
        assert_eq!(i.to_bytes().unwrap(), raw);
    }
}
