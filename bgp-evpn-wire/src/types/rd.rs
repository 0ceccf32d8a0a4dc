//! Route Distinguisher (RFC 4364 section 4.2): 8 octets, a 2-octet type and a
//! 6-octet value.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Type (0/1/2)         |  Administrator (2 or 4 bytes) |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |       ... Assigned Number (4 or 2 bytes, the rest)            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use core::fmt;
use core::net::Ipv4Addr;

use bytes::BufMut;

use crate::error::{Result, Section};
use crate::parse::Cursor;

/// A Route Distinguisher. Types 0, 1 and 2 are typed; any other type is kept
/// raw and re-encoded unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RouteDistinguisher {
    /// Type 0: 2-octet AS number and 4-octet assigned number.
    As2 {
        /// Administrator: AS number.
        asn: u16,
        /// Assigned number.
        number: u32,
    },
    /// Type 1: IPv4 address and 2-octet assigned number.
    Ipv4 {
        /// Administrator: IPv4 address (the originator's router ID for EVPN).
        addr: Ipv4Addr,
        /// Assigned number.
        number: u16,
    },
    /// Type 2: 4-octet AS number and 2-octet assigned number.
    As4 {
        /// Administrator: AS number.
        asn: u32,
        /// Assigned number.
        number: u16,
    },
    /// Any other type, kept raw. `rd_type` is never 0, 1 or 2 when decoded;
    /// building one with those types encodes bytes that decode as the typed
    /// variant.
    Unknown {
        /// The 2-octet type.
        rd_type: u16,
        /// The 6-octet value.
        value: [u8; 6],
    },
}

impl RouteDistinguisher {
    /// Encoded length: always 8.
    pub const LEN: usize = 8;

    /// Decodes exactly 8 bytes.
    pub fn decode(buf: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::Nlri);
        let rd = Self::read(&mut cur)?;
        cur.finish("route distinguisher")?;
        Ok(rd)
    }

    pub(crate) fn read(cur: &mut Cursor<'_>) -> Result<Self> {
        let raw: [u8; 8] = cur.array("route distinguisher")?;
        Ok(Self::from_bytes(raw))
    }

    /// Interprets 8 bytes (never fails: unknown types are kept raw).
    #[inline]
    pub fn from_bytes(raw: [u8; 8]) -> Self {
        Self::from_array_ref(&raw)
    }

    /// [`Self::from_bytes`] reading in place.
    #[inline(always)]
    pub(crate) fn from_array_ref(raw: &[u8; 8]) -> Self {
        let rd_type = u16::from_be_bytes([raw[0], raw[1]]);
        let v = &raw[2..];
        match rd_type {
            0 => RouteDistinguisher::As2 {
                asn: u16::from_be_bytes([v[0], v[1]]),
                number: u32::from_be_bytes([v[2], v[3], v[4], v[5]]),
            },
            1 => RouteDistinguisher::Ipv4 {
                addr: Ipv4Addr::new(v[0], v[1], v[2], v[3]),
                number: u16::from_be_bytes([v[4], v[5]]),
            },
            2 => RouteDistinguisher::As4 {
                asn: u32::from_be_bytes([v[0], v[1], v[2], v[3]]),
                number: u16::from_be_bytes([v[4], v[5]]),
            },
            _ => RouteDistinguisher::Unknown {
                rd_type,
                value: [v[0], v[1], v[2], v[3], v[4], v[5]],
            },
        }
    }

    /// The 8 bytes on the wire.
    #[inline]
    pub fn to_bytes(&self) -> [u8; 8] {
        self.to_u64().to_be_bytes()
    }

    /// The 8 bytes as one big-endian word, computed from the fields (no
    /// byte-wise temporary read back wide).
    #[inline(always)]
    pub(crate) fn to_u64(self) -> u64 {
        match self {
            RouteDistinguisher::As2 { asn, number } => (u64::from(asn) << 32) | u64::from(number),
            RouteDistinguisher::Ipv4 { addr, number } => {
                (1 << 48) | (u64::from(addr.to_bits()) << 16) | u64::from(number)
            }
            RouteDistinguisher::As4 { asn, number } => {
                (2 << 48) | (u64::from(asn) << 16) | u64::from(number)
            }
            RouteDistinguisher::Unknown { rd_type, value } => {
                let [a, b, c, d, e, f] = value;
                let t = rd_type.to_be_bytes();
                u64::from_be_bytes([t[0], t[1], a, b, c, d, e, f])
            }
        }
    }

    /// Encoded length: always 8.
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the 8 bytes.
    #[inline]
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u64(self.to_u64());
    }

    /// The type field.
    pub fn rd_type(&self) -> u16 {
        match self {
            RouteDistinguisher::As2 { .. } => 0,
            RouteDistinguisher::Ipv4 { .. } => 1,
            RouteDistinguisher::As4 { .. } => 2,
            RouteDistinguisher::Unknown { rd_type, .. } => *rd_type,
        }
    }
}

impl fmt::Display for RouteDistinguisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteDistinguisher::As2 { asn, number } => write!(f, "{asn}:{number}"),
            RouteDistinguisher::Ipv4 { addr, number } => write!(f, "{addr}:{number}"),
            RouteDistinguisher::As4 { asn, number } => write!(f, "{asn}L:{number}"),
            RouteDistinguisher::Unknown { rd_type, value } => {
                write!(f, "type{rd_type}:")?;
                for b in value {
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::{check_roundtrip, hex};
    use proptest::prelude::*;

    pub(crate) fn arb_rd() -> impl Strategy<Value = RouteDistinguisher> {
        prop_oneof![
            (any::<u16>(), any::<u32>())
                .prop_map(|(asn, number)| RouteDistinguisher::As2 { asn, number }),
            (any::<[u8; 4]>(), any::<u16>()).prop_map(|(a, number)| RouteDistinguisher::Ipv4 {
                addr: Ipv4Addr::from(a),
                number
            }),
            (any::<u32>(), any::<u16>())
                .prop_map(|(asn, number)| RouteDistinguisher::As4 { asn, number }),
            (3u16.., any::<[u8; 6]>())
                .prop_map(|(rd_type, value)| RouteDistinguisher::Unknown { rd_type, value }),
        ]
    }

    #[test]
    fn rfc_layouts() {
        let rd = RouteDistinguisher::decode(&hex("0000fde800000064")).unwrap();
        assert_eq!(
            rd,
            RouteDistinguisher::As2 {
                asn: 65000,
                number: 100
            }
        );
        assert_eq!(rd.to_string(), "65000:100");
        let rd = RouteDistinguisher::decode(&hex("0001c0000201000a")).unwrap();
        assert_eq!(
            rd,
            RouteDistinguisher::Ipv4 {
                addr: Ipv4Addr::new(192, 0, 2, 1),
                number: 10
            }
        );
        assert_eq!(rd.to_string(), "192.0.2.1:10");
        let rd = RouteDistinguisher::decode(&hex("00020001000a0005")).unwrap();
        assert_eq!(
            rd,
            RouteDistinguisher::As4 {
                asn: 65546,
                number: 5
            }
        );
        let raw = hex("0009010203040506");
        let rd = RouteDistinguisher::decode(&raw).unwrap();
        assert_eq!(rd.rd_type(), 9);
        assert_eq!(rd.to_bytes().to_vec(), raw);
        assert!(RouteDistinguisher::decode(&hex("000001")).is_err());
        assert!(RouteDistinguisher::decode(&hex("000000000000000000")).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(rd in arb_rd()) {
            check_roundtrip(&rd)?;
        }
    }
}
