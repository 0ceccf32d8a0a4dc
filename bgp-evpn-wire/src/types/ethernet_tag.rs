//! Ethernet Tag ID (RFC 7432 section 7): a 4-octet field that identifies a
//! broadcast domain inside an EVI (a VLAN ID, or a VNI for VLAN-aware bundle
//! services per RFC 8365 section 5.1.2).

use core::fmt;

use bytes::BufMut;

use crate::error::{Result, Section};
use crate::parse::Cursor;

/// A 4-octet Ethernet Tag ID. Every 32-bit value is valid on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct EthernetTag(pub u32);

impl EthernetTag {
    /// Tag 0, used by VLAN-based services.
    pub const ZERO: EthernetTag = EthernetTag(0);
    /// MAX-ET (0xFFFFFFFF), used by per-ES Ethernet A-D routes (RFC 7432 section 8.2.1).
    pub const MAX_ET: EthernetTag = EthernetTag(u32::MAX);
    /// Encoded length: always 4.
    pub const LEN: usize = 4;

    /// The tag value.
    pub fn value(self) -> u32 {
        self.0
    }

    /// Decodes exactly 4 bytes.
    pub fn decode(buf: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::Nlri);
        let tag = Self::read(&mut cur)?;
        cur.finish("ethernet tag")?;
        Ok(tag)
    }

    pub(crate) fn read(cur: &mut Cursor<'_>) -> Result<Self> {
        Ok(EthernetTag(cur.u32("ethernet tag")?))
    }

    /// Encoded length: always 4.
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the 4 bytes.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u32(self.0);
    }
}

impl From<u32> for EthernetTag {
    fn from(v: u32) -> Self {
        EthernetTag(v)
    }
}

impl fmt::Display for EthernetTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{check_roundtrip, hex};
    use proptest::prelude::*;

    #[test]
    fn layout() {
        assert_eq!(
            EthernetTag::decode(&hex("ffffffff")).unwrap(),
            EthernetTag::MAX_ET
        );
        assert_eq!(EthernetTag::decode(&hex("0000006c")).unwrap().value(), 108);
        assert!(EthernetTag::decode(&hex("000000")).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(v in any::<u32>()) {
            check_roundtrip(&EthernetTag(v))?;
        }
    }
}
