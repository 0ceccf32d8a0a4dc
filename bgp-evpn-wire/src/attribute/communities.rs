//! COMMUNITIES (type 8, RFC 1997): a sequence of 4-octet communities. A
//! length that is not a multiple of 4 is malformed (RFC 7606 section 7.8:
//! treat-as-withdraw). Well-known values carry their IANA names.

use alloc::vec::Vec;
use core::fmt;

use crate::attribute::{expect_multiple, type_code};
use crate::error::Result;

/// A community: 2-octet AS and 2-octet value, as one `u32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Community(pub u32);

impl Community {
    /// GRACEFUL_SHUTDOWN (RFC 8326).
    pub const GRACEFUL_SHUTDOWN: Community = Community(0xFFFF_0000);
    /// ACCEPT_OWN (RFC 7611).
    pub const ACCEPT_OWN: Community = Community(0xFFFF_0001);
    /// LLGR_STALE (RFC 9494).
    pub const LLGR_STALE: Community = Community(0xFFFF_0006);
    /// NO_LLGR (RFC 9494).
    pub const NO_LLGR: Community = Community(0xFFFF_0007);
    /// BLACKHOLE (RFC 7999).
    pub const BLACKHOLE: Community = Community(0xFFFF_029A);
    /// NO_EXPORT (RFC 1997).
    pub const NO_EXPORT: Community = Community(0xFFFF_FF01);
    /// NO_ADVERTISE (RFC 1997).
    pub const NO_ADVERTISE: Community = Community(0xFFFF_FF02);
    /// NO_EXPORT_SUBCONFED (RFC 1997).
    pub const NO_EXPORT_SUBCONFED: Community = Community(0xFFFF_FF03);
    /// NOPEER (RFC 3765).
    pub const NOPEER: Community = Community(0xFFFF_FF04);

    /// A community from its AS and value halves.
    pub fn new(asn: u16, value: u16) -> Self {
        Community(u32::from(asn) << 16 | u32::from(value))
    }

    /// The high half (AS number).
    pub fn asn(self) -> u16 {
        (self.0 >> 16) as u16
    }

    /// The low half.
    pub fn value(self) -> u16 {
        self.0 as u16
    }

    /// The IANA name of a well-known community.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0xFFFF_0000 => "GRACEFUL_SHUTDOWN",
            0xFFFF_0001 => "ACCEPT_OWN",
            0xFFFF_0002 => "ROUTE_FILTER_TRANSLATED_v4",
            0xFFFF_0003 => "ROUTE_FILTER_v4",
            0xFFFF_0004 => "ROUTE_FILTER_TRANSLATED_v6",
            0xFFFF_0005 => "ROUTE_FILTER_v6",
            0xFFFF_0006 => "LLGR_STALE",
            0xFFFF_0007 => "NO_LLGR",
            0xFFFF_0008 => "accept-own-nexthop",
            0xFFFF_0009 => "Standby PE",
            0xFFFF_029A => "BLACKHOLE",
            0xFFFF_FF01 => "NO_EXPORT",
            0xFFFF_FF02 => "NO_ADVERTISE",
            0xFFFF_FF03 => "NO_EXPORT_SUBCONFED",
            0xFFFF_FF04 => "NOPEER",
            _ => return None,
        })
    }
}

impl fmt::Display for Community {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => f.write_str(n),
            None => write!(f, "{}:{}", self.asn(), self.value()),
        }
    }
}

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<Vec<Community>> {
    expect_multiple(value, base, type_code::COMMUNITIES, 4, "a multiple of 4")?;
    Ok(value
        .chunks_exact(4)
        .map(|c| Community(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;
    use alloc::string::ToString;

    #[test]
    fn rfc1997() {
        let c = decode_value(&hex("fde90064 ffffff01 ffff029a"), 0).unwrap();
        assert_eq!(c[0], Community::new(65001, 100));
        assert_eq!(c[0].to_string(), "65001:100");
        assert_eq!(c[1], Community::NO_EXPORT);
        assert_eq!(c[1].to_string(), "NO_EXPORT");
        assert_eq!(c[2].name(), Some("BLACKHOLE"));
        assert!(decode_value(&hex("fde900"), 0).is_err());
    }
}
