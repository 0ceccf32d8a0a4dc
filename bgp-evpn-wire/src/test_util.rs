//! Helpers shared by the unit tests.

use core::fmt::Debug;

use macaddr::MacAddr6;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use crate::error::Result;

/// Parses a hex string (spaces allowed) into bytes.
pub(crate) fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    assert!(digits.len().is_multiple_of(2), "odd hex length");
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(core::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}

pub(crate) fn arb_mac() -> impl Strategy<Value = MacAddr6> {
    any::<[u8; 6]>().prop_map(MacAddr6::from)
}

/// The three calls every wire object offers.
pub(crate) trait Codec: Sized + PartialEq + Debug {
    fn decode_bytes(buf: &[u8]) -> Result<Self>;
    fn len(&self) -> usize;
    fn write_slice(&self, buf: &mut &mut [u8]);
    fn write_vec(&self, buf: &mut Vec<u8>);
}

macro_rules! impl_codec {
    ($($t:ty),* $(,)?) => {$(
        impl Codec for $t {
            fn decode_bytes(buf: &[u8]) -> Result<Self> {
                <$t>::decode(buf)
            }
            fn len(&self) -> usize {
                self.encoded_len()
            }
            fn write_slice(&self, buf: &mut &mut [u8]) {
                self.encode(buf)
            }
            fn write_vec(&self, buf: &mut Vec<u8>) {
                self.encode(buf)
            }
        }
    )*};
}

impl_codec!(
    crate::types::RouteDistinguisher,
    crate::types::Esi,
    crate::types::EthernetTag,
    crate::types::LabelField,
    crate::evpn::EthernetAdRoute,
    crate::evpn::MacIpRoute,
    crate::evpn::InclusiveMulticastRoute,
    crate::evpn::EthernetSegmentRoute,
    crate::evpn::IpPrefixRoute,
    crate::evpn::SmetRoute,
    crate::evpn::IgmpJoinSyncRoute,
    crate::evpn::IgmpLeaveSyncRoute,
    crate::evpn::EvpnRoute,
    crate::extcomm::ExtendedCommunity,
    crate::extcomm::Ipv6ExtendedCommunity,
);

/// Encodes into a buffer pre-filled with 0xA5, checks the exact length,
/// decodes back, and checks that every truncation is an error.
pub(crate) fn check_roundtrip<T: Codec>(value: &T) -> Result<Vec<u8>, TestCaseError> {
    check_roundtrip_opts(value, true)
}

/// Like [`check_roundtrip`], for route values whose length only the
/// enclosing NLRI knows (a MAC/IP route cut after Label1 is a valid route):
/// truncations are not checked here but on the whole NLRI.
pub(crate) fn check_roundtrip_body<T: Codec>(value: &T) -> Result<Vec<u8>, TestCaseError> {
    check_roundtrip_opts(value, false)
}

fn check_roundtrip_opts<T: Codec>(value: &T, truncations: bool) -> Result<Vec<u8>, TestCaseError> {
    let len = value.len();
    let mut storage = vec![0xA5u8; len + 8];
    {
        let mut slice = &mut storage[..len];
        value.write_slice(&mut slice);
        prop_assert!(slice.is_empty(), "encode wrote less than encoded_len()");
    }
    prop_assert_eq!(&storage[len..], &[0xA5u8; 8][..]);
    let mut v = Vec::new();
    value.write_vec(&mut v);
    prop_assert_eq!(v.len(), len, "encoded_len() is not exact");
    prop_assert_eq!(&v[..], &storage[..len]);
    let decoded = T::decode_bytes(&v);
    prop_assert_eq!(decoded.as_ref(), Ok(value));
    for cut in (0..len).filter(|_| truncations) {
        prop_assert!(
            T::decode_bytes(&v[..cut]).is_err(),
            "truncation to {} bytes decoded",
            cut
        );
    }
    Ok(v)
}
