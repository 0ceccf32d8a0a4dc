//! EXPERIMENTER (type 4).
//!
//! ```text
//! | experimenter (4) | exp_type (4) | data ... |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// An experimenter message, kept raw after its two ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ExperimenterMsg {
    /// Experimenter id.
    pub experimenter: u32,
    /// Experimenter-defined type.
    pub exp_type: u32,
    /// The rest of the body.
    pub data: Vec<u8>,
}

impl ExperimenterMsg {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        8 + self.data.len()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(ExperimenterMsg {
            experimenter: r.u32("experimenter")?,
            exp_type: r.u32("exp_type")?,
            data: r.rest().to_vec(),
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.experimenter);
        b.put_u32(self.exp_type);
        b.put_slice(&self.data);
        Ok(())
    }
}
