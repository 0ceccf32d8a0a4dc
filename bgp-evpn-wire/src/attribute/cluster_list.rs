//! CLUSTER_LIST (type 10, RFC 4456): a sequence of 4-octet CLUSTER_IDs.
//! A length that is not a multiple of 4 is malformed (RFC 7606 section
//! 7.10: treat-as-withdraw).

use alloc::vec::Vec;
use core::net::Ipv4Addr;

use crate::attribute::{expect_multiple, type_code};
use crate::error::Result;

pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<Vec<Ipv4Addr>> {
    expect_multiple(value, base, type_code::CLUSTER_LIST, 4, "a multiple of 4")?;
    Ok(value
        .chunks_exact(4)
        .map(|c| Ipv4Addr::new(c[0], c[1], c[2], c[3]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        assert_eq!(
            decode_value(&[1, 1, 1, 1, 2, 2, 2, 2], 0).unwrap(),
            [Ipv4Addr::new(1, 1, 1, 1), Ipv4Addr::new(2, 2, 2, 2)]
        );
        assert!(decode_value(&[], 0).unwrap().is_empty());
        assert!(decode_value(&[1, 1, 1, 1, 2], 0).is_err());
    }
}
