//! The 24-bit VXLAN Network Identifier.

use core::fmt;

use crate::Error;

/// A VXLAN Network Identifier: 24 bits, `0..=0xFF_FFFF`.
///
/// ```
/// use vxlan_wire::Vni;
/// let vni = Vni::new(4242).unwrap();
/// assert_eq!(vni.get(), 4242);
/// assert!(Vni::new(0x100_0000).is_err());
/// assert_eq!(Vni::try_from(0xFF_FFFF).unwrap(), Vni::MAX);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u32", into = "u32"))]
pub struct Vni(u32);

impl Vni {
    /// The largest VNI, `0xFF_FFFF`.
    pub const MAX: Vni = Vni(0xFF_FFFF);
    /// VNI 0.
    pub const ZERO: Vni = Vni(0);

    /// Validates a 24-bit value.
    pub const fn new(value: u32) -> Result<Vni, Error> {
        if value > Self::MAX.0 {
            Err(Error::OutOfRange {
                field: "VNI",
                value: value as u64,
                max: Self::MAX.0 as u64,
            })
        } else {
            Ok(Vni(value))
        }
    }

    /// The numeric value.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Reads the VNI from its three big-endian wire bytes.
    pub const fn from_be_bytes(b: [u8; 3]) -> Vni {
        Vni(((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32)
    }

    /// The three big-endian wire bytes.
    pub const fn to_be_bytes(self) -> [u8; 3] {
        let b = self.0.to_be_bytes();
        [b[1], b[2], b[3]]
    }
}

impl TryFrom<u32> for Vni {
    type Error = Error;
    fn try_from(value: u32) -> Result<Vni, Error> {
        Vni::new(value)
    }
}

impl From<Vni> for u32 {
    fn from(v: Vni) -> u32 {
        v.0
    }
}

impl fmt::Display for Vni {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn bounds() {
        assert_eq!(Vni::new(0).unwrap().get(), 0);
        assert_eq!(Vni::new(0xFF_FFFF).unwrap(), Vni::MAX);
        assert_eq!(
            Vni::new(0x100_0000),
            Err(Error::OutOfRange {
                field: "VNI",
                value: 0x100_0000,
                max: 0xFF_FFFF
            })
        );
        assert!(Vni::try_from(u32::MAX).is_err());
        assert_eq!(u32::from(Vni::new(7).unwrap()), 7);
        assert_eq!(Vni::new(1_193_046).unwrap().to_string(), "1193046");
    }

    #[test]
    fn wire_bytes() {
        let v = Vni::new(0x12_3456).unwrap();
        assert_eq!(v.to_be_bytes(), [0x12, 0x34, 0x56]);
        assert_eq!(Vni::from_be_bytes([0x12, 0x34, 0x56]), v);
        assert_eq!(Vni::from_be_bytes([0xff; 3]), Vni::MAX);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_validates() {
        let v: Vni = serde_json::from_str("255").unwrap();
        assert_eq!(v.get(), 255);
        assert_eq!(serde_json::to_string(&v).unwrap(), "255");
        assert!(serde_json::from_str::<Vni>("16777216").is_err());
    }
}
