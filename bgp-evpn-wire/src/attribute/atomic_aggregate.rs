//! ATOMIC_AGGREGATE (type 6, RFC 4271 section 5.1.6): no value. A non-zero
//! length is malformed (RFC 7606 section 7.6: attribute discard).

use crate::attribute::{expect_len, type_code};
use crate::error::Result;

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<()> {
    expect_len(value, base, type_code::ATOMIC_AGGREGATE, 0, "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(decode_value(&[], 0), Ok(()));
        assert!(decode_value(&[0], 0).is_err());
    }
}
