//! The flags octet shared by route types 6, 7 and 8 (RFC 9251 section 9).
//!
//! ```text
//!   0   1   2   3   4   5   6   7
//! +---+---+---+---+---+---+---+---+
//! |   reserved    |IE |v3 |v2 |v1 |
//! +---+---+---+---+---+---+---+---+
//! ```
//!
//! For an IPv6 group the bits mean MLD versions (v1 = MLDv1, v2 = MLDv2).

use core::fmt;

/// Multicast flags of SMET / IGMP Join Synch / IGMP Leave Synch routes.
/// Every bit, including the reserved ones, is kept as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct MulticastFlags(pub u8);

impl MulticastFlags {
    /// IGMPv1 (or MLDv1 for IPv6 groups).
    pub const V1: u8 = 0x01;
    /// IGMPv2 (or MLDv2 for IPv6 groups).
    pub const V2: u8 = 0x02;
    /// IGMPv3.
    pub const V3: u8 = 0x04;
    /// Exclude mode for the (S,G) (only meaningful with v3).
    pub const EXCLUDE: u8 = 0x08;

    /// Whether the v1 bit is set.
    pub fn v1(self) -> bool {
        self.0 & Self::V1 != 0
    }

    /// Whether the v2 bit is set.
    pub fn v2(self) -> bool {
        self.0 & Self::V2 != 0
    }

    /// Whether the v3 bit is set.
    pub fn v3(self) -> bool {
        self.0 & Self::V3 != 0
    }

    /// Whether the IE (exclude) bit is set.
    pub fn exclude(self) -> bool {
        self.0 & Self::EXCLUDE != 0
    }

    /// The same flags with `bit` set or cleared.
    #[must_use]
    pub fn with(self, bit: u8, on: bool) -> Self {
        if on {
            MulticastFlags(self.0 | bit)
        } else {
            MulticastFlags(self.0 & !bit)
        }
    }
}

impl fmt::Display for MulticastFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#04x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits() {
        let f = MulticastFlags(0x0c);
        assert!(f.v3() && f.exclude() && !f.v1() && !f.v2());
        let g = f
            .with(MulticastFlags::V2, true)
            .with(MulticastFlags::V3, false);
        assert_eq!(g, MulticastFlags(0x0a));
        assert!(g.v2());
        assert_eq!(g.to_string(), "0x0a");
    }
}
