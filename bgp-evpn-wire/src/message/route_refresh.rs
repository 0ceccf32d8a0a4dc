//! ROUTE-REFRESH (RFC 2918 section 3; the subtype octet of RFC 7313
//! section 3.2: 0 normal request, 1 Begin-of-RR, 2 End-of-RR, others kept).
//!
//! ```text
//! +---------+-----------------+----------+
//! | AFI (2) | Subtype / Res. (1) | SAFI (1) |
//! +---------+-----------------+----------+
//! ```
//!
//! A body other than 4 octets is an error (NOTIFICATION 7/1, RFC 7313 section 5).

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::types::{Afi, AfiSafi, Safi};

/// A ROUTE-REFRESH body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RouteRefresh {
    /// Family.
    pub family: AfiSafi,
    /// Message subtype (RFC 7313), the reserved octet of RFC 2918.
    pub subtype: u8,
}

impl RouteRefresh {
    /// Subtype 0: route refresh request.
    pub const REQUEST: u8 = 0;
    /// Subtype 1: Begin-of-Route-Refresh.
    pub const BORR: u8 = 1;
    /// Subtype 2: End-of-Route-Refresh.
    pub const EORR: u8 = 2;

    /// A plain request for a family.
    pub fn request(family: AfiSafi) -> Self {
        RouteRefresh {
            family,
            subtype: Self::REQUEST,
        }
    }

    /// Body length: always 4.
    pub fn encoded_len(&self) -> usize {
        4
    }

    /// Writes the body.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u16(self.family.afi.0);
        buf.put_u8(self.subtype);
        buf.put_u8(self.family.safi.0);
    }

    /// Decodes a body (after the header).
    pub fn decode(body: &[u8]) -> Result<Self> {
        Self::decode_at(body, 0)
    }

    pub(crate) fn decode_at(body: &[u8], base: usize) -> Result<Self> {
        if body.len() != 4 {
            return Err(Error::InvalidMessageLength {
                section: Section::RouteRefresh,
                offset: base,
                len: body.len() + 19,
                expected: 23,
            });
        }
        Ok(RouteRefresh {
            family: AfiSafi::new(Afi(u16::from_be_bytes([body[0], body[1]])), Safi(body[3])),
            subtype: body[2],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;

    #[test]
    fn rfc7313_layout() {
        let r = RouteRefresh::decode(&hex("0019 01 46")).unwrap();
        assert_eq!(
            r,
            RouteRefresh {
                family: AfiSafi::EVPN,
                subtype: RouteRefresh::BORR
            }
        );
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, hex("0019 01 46"));
        let e = RouteRefresh::decode(&hex("0019 01")).unwrap_err();
        assert_eq!(e.notification_code(), Some((7, 1)));
        assert!(RouteRefresh::decode(&hex("0019 01 46 00")).is_err());
    }
}
