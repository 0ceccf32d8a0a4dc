//! NEXT_HOP (type 3, RFC 4271 section 5.1.3): a 4-octet IPv4 address.
//! A length other than 4 is an Attribute Length Error (RFC 7606 section
//! 7.3: treat-as-withdraw).

use core::net::Ipv4Addr;

use crate::attribute::{expect_len, type_code};
use crate::error::Result;

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<Ipv4Addr> {
    expect_len(value, base, type_code::NEXT_HOP, 4, "4")?;
    Ok(Ipv4Addr::new(value[0], value[1], value[2], value[3]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn layout() {
        assert_eq!(
            decode_value(&[192, 0, 2, 1], 0),
            Ok(Ipv4Addr::new(192, 0, 2, 1))
        );
        assert!(matches!(
            decode_value(&[1, 2, 3], 7),
            Err(Error::InvalidAttributeLength {
                offset: 7,
                type_code: 3,
                len: 3,
                ..
            })
        ));
    }
}
