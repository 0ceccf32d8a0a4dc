//! ORIGIN (type 1, RFC 4271 section 5.1.1): one octet, 0 IGP, 1 EGP,
//! 2 INCOMPLETE. Any other value or length is malformed (RFC 7606 section
//! 7.1: treat-as-withdraw).

use core::fmt;

use crate::attribute::{expect_len, type_code};
use crate::error::{Error, Result};

/// The ORIGIN value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Origin {
    /// 0: learned from an interior protocol.
    Igp,
    /// 1: learned via EGP.
    Egp,
    /// 2: learned some other way.
    Incomplete,
}

impl Origin {
    /// The wire value.
    pub fn code(self) -> u8 {
        match self {
            Origin::Igp => 0,
            Origin::Egp => 1,
            Origin::Incomplete => 2,
        }
    }

    pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<Self> {
        expect_len(value, base, type_code::ORIGIN, 1, "1")?;
        match value[0] {
            0 => Ok(Origin::Igp),
            1 => Ok(Origin::Egp),
            2 => Ok(Origin::Incomplete),
            v => Err(Error::InvalidOrigin {
                offset: base,
                value: v,
            }),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Origin::Igp => "igp",
            Origin::Egp => "egp",
            Origin::Incomplete => "incomplete",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(Origin::decode_value(&[2], 0), Ok(Origin::Incomplete));
        assert_eq!(Origin::Egp.code(), 1);
        assert_eq!(
            Origin::decode_value(&[3], 5),
            Err(Error::InvalidOrigin {
                offset: 5,
                value: 3
            })
        );
        assert!(matches!(
            Origin::decode_value(&[0, 0], 0),
            Err(Error::InvalidAttributeLength {
                type_code: 1,
                len: 2,
                ..
            })
        ));
    }
}
