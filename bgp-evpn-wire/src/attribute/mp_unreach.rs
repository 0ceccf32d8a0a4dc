//! MP_UNREACH_NLRI (type 15, RFC 4760 section 4): the routes of a family
//! that are withdrawn. An empty list is the family's End-of-RIB marker
//! (RFC 4724 section 2).
//!
//! ```text
//! +-----------------------------------------+
//! | AFI (2) | SAFI (1) | Withdrawn (variable) |
//! +-----------------------------------------+
//! ```

use bytes::BufMut;

use crate::attribute::mp_reach::MpNlri;
use crate::error::{Result, Section};
use crate::message::context::Dir;
use crate::parse::Cursor;
use crate::types::{Afi, AfiSafi, Safi};

const MP_UNREACH: u8 = 15;

/// The MP_UNREACH_NLRI attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MpUnreach {
    /// Withdrawn routes; their family is the attribute's AFI/SAFI.
    pub nlri: MpNlri,
}

impl MpUnreach {
    /// The family.
    pub fn family(&self) -> AfiSafi {
        self.nlri.family()
    }

    /// Whether this is an End-of-RIB marker (no withdrawn route).
    pub fn is_end_of_rib(&self) -> bool {
        self.nlri.is_empty()
    }

    pub(crate) fn encoded_len(&self, dir: Dir<'_>) -> usize {
        3 + self.nlri.encoded_len(dir)
    }

    pub(crate) fn encode<B: BufMut>(&self, dir: Dir<'_>, buf: &mut B) {
        let af = self.family();
        buf.put_u16(af.afi.0);
        buf.put_u8(af.safi.0);
        self.nlri.encode(dir, buf);
    }

    pub(crate) fn decode_value(value: &[u8], base: usize, dir: Dir<'_>) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Attribute(MP_UNREACH));
        let afi = Afi(cur.u16("AFI")?);
        let safi = Safi(cur.u8("SAFI")?);
        let at = cur.offset();
        let nlri = MpNlri::decode(AfiSafi::new(afi, safi), cur.rest(), at, dir, MP_UNREACH)?;
        Ok(MpUnreach { nlri })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::{AttributeValue, PathAttribute};
    use crate::error::Error;
    use crate::message::context::DecodingContext;
    use crate::test_util::hex;

    #[test]
    fn rfc4760_layout() {
        // Withdraw 2001:db8::/32 with Add-Path id 9.
        let b = hex("800f 0c 0002 01 00000009 20 20010db8");
        let ctx = DecodingContext::new().with_add_path(AfiSafi::IPV6_UNICAST);
        let a = PathAttribute::decode(&b, &ctx).unwrap();
        let AttributeValue::MpUnreach(m) = &a.value else {
            panic!()
        };
        let MpNlri::Ipv6Unicast(p) = &m.nlri else {
            panic!()
        };
        assert_eq!(p[0].path_id, Some(9));
        let mut out = Vec::new();
        a.encode(&ctx, &mut out);
        assert_eq!(out, b);
        // EVPN End-of-RIB.
        let eor = PathAttribute::decode(&hex("800f 03 0019 46"), &ctx).unwrap();
        let AttributeValue::MpUnreach(m) = &eor.value else {
            panic!()
        };
        assert!(m.is_end_of_rib());
        // Without Add-Path the same bytes are a bad prefix.
        assert!(PathAttribute::decode(&b, &DecodingContext::new()).is_err());
        assert!(matches!(
            MpUnreach::decode_value(&hex("0019"), 4, ctx.rx()),
            Err(Error::Truncated { offset: 6, .. })
        ));
    }
}
