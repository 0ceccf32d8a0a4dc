//! LARGE_COMMUNITY (type 32, RFC 8092): a sequence of 12-octet communities
//! (Global Administrator, Local Data Part 1, Local Data Part 2). A length
//! that is not a non-zero multiple of 12 is malformed (RFC 8092 section 5:
//! treat-as-withdraw).

use alloc::vec::Vec;
use core::fmt;

use bytes::BufMut;

use crate::attribute::type_code;
use crate::error::{Error, Result};

/// One large community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LargeCommunity {
    /// Global Administrator (an AS number).
    pub global_admin: u32,
    /// Local Data Part 1.
    pub local_data1: u32,
    /// Local Data Part 2.
    pub local_data2: u32,
}

impl LargeCommunity {
    pub(crate) fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u32(self.global_admin);
        buf.put_u32(self.local_data1);
        buf.put_u32(self.local_data2);
    }
}

impl fmt::Display for LargeCommunity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.global_admin, self.local_data1, self.local_data2
        )
    }
}

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<Vec<LargeCommunity>> {
    if value.is_empty() || !value.len().is_multiple_of(12) {
        return Err(Error::InvalidAttributeLength {
            offset: base,
            type_code: type_code::LARGE_COMMUNITY,
            len: value.len(),
            expected: "a non-zero multiple of 12",
        });
    }
    let u = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Ok(value
        .chunks_exact(12)
        .map(|c| LargeCommunity {
            global_admin: u(&c[0..4]),
            local_data1: u(&c[4..8]),
            local_data2: u(&c[8..12]),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;
    use alloc::string::ToString;

    #[test]
    fn rfc8092() {
        let c = decode_value(&hex("0000fde9 00000001 00000002"), 0).unwrap();
        assert_eq!(c[0].to_string(), "65001:1:2");
        let mut out = Vec::new();
        c[0].encode(&mut out);
        assert_eq!(out, hex("0000fde9 00000001 00000002"));
        assert!(decode_value(&[], 0).is_err());
        assert!(decode_value(&[0; 13], 0).is_err());
    }
}
