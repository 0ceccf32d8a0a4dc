//! Attributes of a type this crate does not decode, kept raw with their
//! flags (in [`PathAttribute`](crate::attribute::PathAttribute)) and
//! re-encoded unchanged.

use alloc::vec::Vec;

use crate::attribute::type_code;
use crate::error::{Error, Result};

/// An attribute of an unknown type: its code and value as received.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "UnknownRepr"))]
pub struct UnknownAttribute {
    type_code: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct UnknownRepr {
    type_code: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<UnknownRepr> for UnknownAttribute {
    type Error = Error;
    fn try_from(r: UnknownRepr) -> Result<Self> {
        UnknownAttribute::new(r.type_code, r.value)
    }
}

impl UnknownAttribute {
    /// A raw attribute. Fails for the type codes this crate decodes and for
    /// values longer than 65535 octets.
    pub fn new(type_code: u8, value: Vec<u8>) -> Result<Self> {
        if type_code::KNOWN.contains(&type_code) {
            return Err(Error::InvalidValue {
                what: "unknown attribute type",
                reason: "this type code has a typed variant",
            });
        }
        if value.len() > 65535 {
            return Err(Error::OutOfRange {
                what: "attribute length",
                value: value.len() as u64,
                max: 65535,
            });
        }
        Ok(UnknownAttribute { type_code, value })
    }

    pub(crate) fn raw(type_code: u8, value: Vec<u8>) -> Self {
        UnknownAttribute { type_code, value }
    }

    /// The type code.
    pub fn type_code(&self) -> u8 {
        self.type_code
    }

    /// The value, as received.
    pub fn value(&self) -> &[u8] {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::{AttributeValue, PathAttribute};
    use crate::message::context::DecodingContext;
    use crate::test_util::hex;

    #[test]
    fn kept_raw() {
        // AIGP (26), optional non-transitive, with a TLV.
        let b = hex("80 1a 0b 01000b 0000000000000064");
        let ctx = DecodingContext::new();
        let a = PathAttribute::decode(&b, &ctx).unwrap();
        let AttributeValue::Unknown(u) = &a.value else {
            panic!("{a:?}")
        };
        assert_eq!(u.type_code(), 26);
        assert_eq!(u.value().len(), 11);
        let mut out = Vec::new();
        a.encode(&ctx, &mut out);
        assert_eq!(out, b);
        assert!(UnknownAttribute::new(2, vec![]).is_err());
        assert!(UnknownAttribute::new(26, vec![0; 65536]).is_err());
    }
}
