//! MULTIPART_REQUEST (type 18) / MULTIPART_REPLY (type 19), with the body
//! kept raw (the per-type bodies are not decoded by this version).
//!
//! ```text
//! | type (2) | flags (2) | pad (4) | body ... |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::Reader;

/// A multipart request or reply; `body` is the raw per-type body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Multipart {
    /// `OFPMP_*` type (0 DESC, 1 FLOW, 2 AGGREGATE, ..., 13 PORT_DESC, 0xffff EXPERIMENTER).
    pub mp_type: u16,
    /// `OFPMPF_*_MORE` flags.
    pub flags: u16,
    /// The raw body.
    pub body: Vec<u8>,
}

impl Multipart {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        8 + self.body.len()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mp_type = r.u16("multipart type")?;
        let flags = r.u16("multipart flags")?;
        r.skip(4, "multipart pad")?;
        Ok(Multipart {
            mp_type,
            flags,
            body: r.rest().to_vec(),
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(self.mp_type);
        b.put_u16(self.flags);
        b.put_u32(0);
        b.put_slice(&self.body);
        Ok(())
    }
}
