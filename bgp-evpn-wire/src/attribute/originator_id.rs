//! ORIGINATOR_ID (type 9, RFC 4456): the 4-octet BGP Identifier of the
//! route's originator in the AS. Another length is malformed (RFC 7606
//! section 7.9: treat-as-withdraw).

use core::net::Ipv4Addr;

use crate::attribute::{expect_len, type_code};
use crate::error::Result;

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<Ipv4Addr> {
    expect_len(value, base, type_code::ORIGINATOR_ID, 4, "4")?;
    Ok(Ipv4Addr::new(value[0], value[1], value[2], value[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(
            decode_value(&[10, 0, 0, 1], 0),
            Ok(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert!(decode_value(&[10, 0, 0], 0).is_err());
    }
}
