//! LOCAL_PREF (type 5, RFC 4271 section 5.1.5): a 4-octet preference.
//! Another length is malformed (RFC 7606 section 7.5: treat-as-withdraw).

use crate::attribute::{expect_len, type_code};
use crate::error::Result;

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<u32> {
    expect_len(value, base, type_code::LOCAL_PREF, 4, "4")?;
    Ok(u32::from_be_bytes([value[0], value[1], value[2], value[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(decode_value(&[0, 0, 0, 100], 0), Ok(100));
        assert!(decode_value(&[0, 100], 0).is_err());
    }
}
