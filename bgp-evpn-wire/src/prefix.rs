//! IPv4 and IPv6 unicast prefixes as BGP carries them (RFC 4271 section 4.3,
//! RFC 4760 section 5): a one-octet length in bits followed by the fewest
//! octets that hold it; with Add-Path (RFC 7911) a 4-octet Path Identifier
//! comes first.
//!
//! ```text
//! +---------------------------+
//! | Path Identifier (4, opt.) |
//! +---------------------------+
//! |   Length (1 octet, bits)  |
//! +---------------------------+
//! |   Prefix (ceil(len/8))    |
//! +---------------------------+
//! ```
//!
//! Bits of the last octet beyond the prefix length are kept as received
//! (the network's address is not masked), so a prefix re-encodes unchanged.

use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;
use ipnetwork::{Ipv4Network, Ipv6Network};

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;

macro_rules! prefix_type {
    ($(#[$doc:meta])* $name:ident, $net:ty, $addr:ty, $bytes:expr, $bits:expr,
     $decode:ident, $encode:ident, $len:ident, $read:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name {
            /// Path Identifier (RFC 7911); `Some` exactly when Add-Path is in
            /// use for the family in this direction.
            pub path_id: Option<u32>,
            /// The prefix; host bits beyond the length are kept as received.
            pub network: $net,
        }

        impl $name {
            /// A prefix without Path Identifier.
            pub fn new(network: $net) -> Self {
                $name { path_id: None, network }
            }

            /// Bytes written by [`Self::encode`].
            pub fn encoded_len(&self, add_path: bool) -> usize {
                usize::from(add_path) * 4 + 1 + usize::from(self.network.prefix()).div_ceil(8)
            }

            /// Writes the prefix (with its Path Identifier, 0 when unset, if
            /// `add_path`).
            pub fn encode<B: BufMut>(&self, add_path: bool, buf: &mut B) {
                if add_path {
                    buf.put_u32(self.path_id.unwrap_or(0));
                }
                let len = self.network.prefix();
                buf.put_u8(len);
                let octets = self.network.ip().octets();
                buf.put_slice(&octets[..usize::from(len).div_ceil(8)]);
            }

            pub(crate) fn read(cur: &mut Cursor<'_>, add_path: bool, section: Section) -> Result<Self> {
                let path_id = if add_path { Some(cur.u32("path identifier")?) } else { None };
                let at = cur.offset();
                let len = cur.u8("prefix length")?;
                if len > $bits {
                    return Err(Error::InvalidNetworkField { section, offset: at, len, max: $bits });
                }
                let bytes = cur.take(usize::from(len).div_ceil(8), "prefix")?;
                let mut octets = [0u8; $bytes];
                octets[..bytes.len()].copy_from_slice(bytes);
                let network = <$net>::new(<$addr>::from(octets), len)
                    .map_err(|_| Error::InvalidNetworkField { section, offset: at, len, max: $bits })?;
                Ok($name { path_id, network })
            }
        }

        pub(crate) fn $read(buf: &[u8], base: usize, add_path: bool, section: Section) -> Result<Vec<$name>> {
            let mut cur = Cursor::new(buf, base, section);
            let mut out = Vec::new();
            while cur.remaining() > 0 {
                out.push($name::read(&mut cur, add_path, section)?);
            }
            Ok(out)
        }

        /// Decodes a sequence of prefixes filling `buf` (offsets relative to `buf`).
        pub fn $decode(buf: &[u8], add_path: bool) -> Result<Vec<$name>> {
            $read(buf, 0, add_path, Section::Update)
        }

        /// Writes a sequence of prefixes.
        pub fn $encode<B: BufMut>(prefixes: &[$name], add_path: bool, buf: &mut B) {
            for p in prefixes {
                p.encode(add_path, buf);
            }
        }

        /// Bytes written by the matching encode function.
        pub fn $len(prefixes: &[$name], add_path: bool) -> usize {
            prefixes.iter().map(|p| p.encoded_len(add_path)).sum()
        }
    };
}

prefix_type!(
    /// An IPv4 prefix, optionally with a Path Identifier.
    Ipv4Prefix, Ipv4Network, Ipv4Addr, 4, 32,
    decode_ipv4_prefixes, encode_ipv4_prefixes, ipv4_prefixes_len, read_ipv4_prefixes
);
prefix_type!(
    /// An IPv6 prefix, optionally with a Path Identifier.
    Ipv6Prefix, Ipv6Network, Ipv6Addr, 16, 128,
    decode_ipv6_prefixes, encode_ipv6_prefixes, ipv6_prefixes_len, read_ipv6_prefixes
);

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::hex;
    use proptest::prelude::*;

    pub(crate) fn arb_v4(add_path: bool) -> impl Strategy<Value = Ipv4Prefix> {
        (any::<u32>(), any::<[u8; 4]>(), 0u8..=32).prop_map(move |(id, a, len)| {
            // Bytes past the prefix length are not on the wire.
            let mut o = [0u8; 4];
            let n = usize::from(len).div_ceil(8);
            o[..n].copy_from_slice(&a[..n]);
            Ipv4Prefix {
                path_id: add_path.then_some(id),
                network: Ipv4Network::new(Ipv4Addr::from(o), len).unwrap(),
            }
        })
    }

    pub(crate) fn arb_v6(add_path: bool) -> impl Strategy<Value = Ipv6Prefix> {
        (any::<u32>(), any::<[u8; 16]>(), 0u8..=128).prop_map(move |(id, a, len)| {
            let mut o = [0u8; 16];
            let n = usize::from(len).div_ceil(8);
            o[..n].copy_from_slice(&a[..n]);
            Ipv6Prefix {
                path_id: add_path.then_some(id),
                network: Ipv6Network::new(Ipv6Addr::from(o), len).unwrap(),
            }
        })
    }

    #[test]
    fn rfc4271_layout() {
        // 10.0.0.0/8, 192.168.1.0/24, 0.0.0.0/0, 10.1.2.3/32
        let b = hex("08 0a  18 c0a801  00  20 0a010203");
        let p = decode_ipv4_prefixes(&b, false).unwrap();
        assert_eq!(p.len(), 4);
        assert_eq!(
            p[1].network,
            "192.168.1.0/24".parse::<Ipv4Network>().unwrap()
        );
        assert_eq!(p[2].network.prefix(), 0);
        let mut out = Vec::new();
        encode_ipv4_prefixes(&p, false, &mut out);
        assert_eq!(out, b);
        assert_eq!(ipv4_prefixes_len(&p, false), b.len());
    }

    #[test]
    fn host_bits_kept_and_add_path() {
        // 10.0.0.1/7 with a set host bit; path id 7.
        let b = hex("00000007 07 0b");
        let p = decode_ipv4_prefixes(&b, true).unwrap();
        assert_eq!(p[0].path_id, Some(7));
        assert_eq!(p[0].network.ip(), Ipv4Addr::new(11, 0, 0, 0));
        let mut out = Vec::new();
        encode_ipv4_prefixes(&p, true, &mut out);
        assert_eq!(out, b);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            decode_ipv4_prefixes(&hex("21 0a000000 00"), false),
            Err(Error::InvalidNetworkField {
                offset: 0,
                len: 33,
                max: 32,
                ..
            })
        ));
        assert!(matches!(
            decode_ipv6_prefixes(&hex("40 2001 0db8"), false),
            Err(Error::Truncated {
                offset: 1,
                needed: 8,
                available: 4,
                ..
            })
        ));
        assert!(decode_ipv4_prefixes(&hex("0000"), true).is_err());
        let v6 = decode_ipv6_prefixes(&hex("40 20010db8 00000001"), false).unwrap();
        assert_eq!(
            v6[0].network,
            "2001:db8:0:1::/64".parse::<Ipv6Network>().unwrap()
        );
    }

    proptest! {
        #[test]
        fn roundtrip(v4 in proptest::collection::vec(arb_v4(true), 0..5),
                     v6 in proptest::collection::vec(arb_v6(false), 0..5)) {
            let mut b = Vec::new();
            encode_ipv4_prefixes(&v4, true, &mut b);
            prop_assert_eq!(b.len(), ipv4_prefixes_len(&v4, true));
            prop_assert_eq!(decode_ipv4_prefixes(&b, true).unwrap(), v4);
            let mut b = Vec::new();
            encode_ipv6_prefixes(&v6, false, &mut b);
            prop_assert_eq!(b.len(), ipv6_prefixes_len(&v6, false));
            prop_assert_eq!(decode_ipv6_prefixes(&b, false).unwrap(), v6.clone());
            if let Some(last) = v6.last() {
                // Cutting inside the last prefix is an error.
                let cut = b.len() - last.encoded_len(false) + 1;
                if cut < b.len() {
                    prop_assert!(decode_ipv6_prefixes(&b[..cut], false).is_err());
                }
            }
        }
    }
}
