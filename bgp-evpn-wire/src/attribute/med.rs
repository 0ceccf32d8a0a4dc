//! MULTI_EXIT_DISC (type 4, RFC 4271 section 5.1.4): a 4-octet metric.
//! Another length is malformed (RFC 7606 section 7.4: treat-as-withdraw).

use crate::attribute::{expect_len, type_code};
use crate::error::Result;

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<u32> {
    expect_len(value, base, type_code::MULTI_EXIT_DISC, 4, "4")?;
    Ok(u32::from_be_bytes([value[0], value[1], value[2], value[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(decode_value(&[0, 0, 1, 0], 0), Ok(256));
        assert!(decode_value(&[0, 0, 1, 0, 0], 0).is_err());
        assert!(decode_value(&[], 0).is_err());
    }
}
