//! AGGREGATOR (type 7, RFC 4271 section 5.1.7; 8 octets with 4-octet AS,
//! RFC 6793) and AS4_AGGREGATOR (type 18, always 8 octets).
//!
//! ```text
//! +------------------------------+----------------------+
//! | AS number (2, or 4 w/ 4-oct) | IPv4 address (4)     |
//! +------------------------------+----------------------+
//! ```
//!
//! A wrong length is malformed (RFC 7606 section 7.7: attribute discard).

use core::net::Ipv4Addr;

use bytes::BufMut;

use crate::attribute::as_path::AS_TRANS;
use crate::attribute::expect_len;
use crate::error::Result;

/// The AS and BGP speaker that formed an aggregate route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Aggregator {
    /// AS number.
    pub asn: u32,
    /// The speaker's IPv4 address (BGP Identifier).
    pub address: Ipv4Addr,
}

impl Aggregator {
    /// Bytes written by [`Self::encode`].
    pub fn encoded_len(&self, four_octet: bool) -> usize {
        if four_octet { 8 } else { 6 }
    }

    /// Writes the value; in 2-octet form an AS above 65535 becomes AS_TRANS.
    pub fn encode<B: BufMut>(&self, four_octet: bool, buf: &mut B) {
        if four_octet {
            buf.put_u32(self.asn);
        } else {
            buf.put_u16(u16::try_from(self.asn).unwrap_or(AS_TRANS));
        }
        buf.put_slice(&self.address.octets());
    }

    pub(crate) fn decode_value(
        value: &[u8],
        base: usize,
        four_octet: bool,
        type_code: u8,
    ) -> Result<Self> {
        let (len, expected) = if four_octet { (8, "8") } else { (6, "6") };
        expect_len(value, base, type_code, len, expected)?;
        let (asn, addr) = if four_octet {
            (
                u32::from_be_bytes([value[0], value[1], value[2], value[3]]),
                &value[4..],
            )
        } else {
            (
                u32::from(u16::from_be_bytes([value[0], value[1]])),
                &value[2..],
            )
        };
        Ok(Aggregator {
            asn,
            address: Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3]),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::test_util::hex;

    #[test]
    fn layouts() {
        let a = Aggregator::decode_value(&hex("fde9 c0000201"), 0, false, 7).unwrap();
        assert_eq!(
            a,
            Aggregator {
                asn: 65001,
                address: Ipv4Addr::new(192, 0, 2, 1)
            }
        );
        let a4 = Aggregator::decode_value(&hex("fa56ea00 c0000201"), 0, true, 18).unwrap();
        assert_eq!(a4.asn, 4_200_000_000);
        let mut out = Vec::new();
        a4.encode(false, &mut out);
        assert_eq!(out, hex("5ba0 c0000201"));
        assert!(matches!(
            Aggregator::decode_value(&hex("fde9 c0000201"), 3, true, 7),
            Err(Error::InvalidAttributeLength {
                offset: 3,
                type_code: 7,
                len: 6,
                ..
            })
        ));
    }
}
