//! The outer IPv4 header.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version|  IHL  |   DSCP    |ECN|          Total Length         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Identification        |R|D|M|     Fragment Offset     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Time to Live |    Protocol   |         Header Checksum       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       Source Address                          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Destination Address                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Options (0-40 bytes)                       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! [`Ipv4Header`] holds what cannot be derived: IHL comes from the options,
//! Total Length from the payload, Protocol from what the caller encodes, the
//! checksum is computed.

use alloc::vec::Vec;
use core::net::Ipv4Addr;

use bytes::BufMut;

use crate::Error;
use crate::checksum::{Checksum, internet_checksum};
use crate::error::{Layer, rd};

/// Length of an IPv4 header without options.
pub const IPV4_HEADER_LEN: usize = 20;
/// Largest IPv4 header (IHL 15).
pub const IPV4_MAX_HEADER_LEN: usize = 60;
/// IP protocol number of UDP.
pub const IP_PROTO_UDP: u8 = 17;

/// IPv4 option bytes: a multiple of 4, at most 40 bytes, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OptionsHex", into = "OptionsHex"))]
pub struct Ipv4Options(Vec<u8>);

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
struct OptionsHex(#[serde(with = "crate::serde_util::hex")] Vec<u8>);

#[cfg(feature = "serde")]
impl TryFrom<OptionsHex> for Ipv4Options {
    type Error = Error;
    fn try_from(h: OptionsHex) -> Result<Self, Error> {
        Ipv4Options::new(h.0)
    }
}

#[cfg(feature = "serde")]
impl From<Ipv4Options> for OptionsHex {
    fn from(o: Ipv4Options) -> Self {
        OptionsHex(o.0)
    }
}

impl Ipv4Options {
    /// No options.
    pub const fn empty() -> Self {
        Ipv4Options(Vec::new())
    }

    /// Validates option bytes (length a multiple of 4, at most 40).
    pub fn new(bytes: Vec<u8>) -> Result<Self, Error> {
        if !bytes.len().is_multiple_of(4) || bytes.len() > IPV4_MAX_HEADER_LEN - IPV4_HEADER_LEN {
            return Err(Error::InvalidLength {
                field: "IPv4 options",
                len: bytes.len(),
                expected: "a multiple of 4, at most 40",
            });
        }
        Ok(Ipv4Options(bytes))
    }

    /// The option bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Their length.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The non-derived fields of an IPv4 header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ipv4Header {
    /// Type of service octet: DSCP (high 6 bits) and ECN (low 2 bits).
    pub tos: u8,
    /// Identification.
    pub identification: u16,
    /// The reserved ("evil") flag bit, 0x8000 of the flags/fragment word.
    pub reserved_flag: bool,
    /// DF, don't fragment.
    pub dont_fragment: bool,
    /// MF, more fragments.
    pub more_fragments: bool,
    /// Fragment offset in 8-byte units; only the low 13 bits are written.
    pub fragment_offset: u16,
    /// Time to live.
    pub ttl: u8,
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Options, kept verbatim.
    pub options: Ipv4Options,
}

/// What the decoder learned besides [`Ipv4Header`]: the derived fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Info {
    /// Protocol field.
    pub protocol: u8,
    /// Header length in bytes (IHL * 4).
    pub header_len: usize,
    /// Total Length field.
    pub total_len: usize,
    /// The checksum that was in the header.
    pub checksum: u16,
}

/// Low-level validation of an IPv4 header at `buf[off..]`, without copying
/// anything. Offsets in errors are relative to `buf`.
#[inline]
pub(crate) fn check_at(buf: &[u8], off: usize, verify_checksum: bool) -> Result<Ipv4Info, Error> {
    let h: [u8; IPV4_HEADER_LEN] = rd::array(buf, off, Layer::Ipv4Header)?;
    let version = h[0] >> 4;
    if version != 4 {
        return Err(Error::IpVersionMismatch {
            offset: off,
            expected: 4,
            found: version,
        });
    }
    let ihl = h[0] & 0x0F;
    if ihl < 5 {
        return Err(Error::Ipv4HeaderLength { offset: off, ihl });
    }
    let header_len = usize::from(ihl) * 4;
    let header = rd::slice(buf, off, off, header_len, Layer::Ipv4Options)?;
    let total = u16::from_be_bytes([h[2], h[3]]);
    let total_len = usize::from(total);
    if total_len < header_len {
        return Err(Error::Ipv4TotalLength {
            offset: off,
            total_length: total,
            header_len,
        });
    }
    rd::slice(buf, off, off, total_len, Layer::Ipv4Packet)?;
    let checksum = u16::from_be_bytes([h[10], h[11]]);
    if verify_checksum && internet_checksum(header) != 0 {
        let mut c = Checksum::new();
        c.add(header.get(..10).unwrap_or(&[]));
        c.add(header.get(12..).unwrap_or(&[]));
        return Err(Error::Ipv4Checksum {
            offset: off,
            found: checksum,
            expected: c.finish(),
        });
    }
    Ok(Ipv4Info {
        protocol: h[9],
        header_len,
        total_len,
        checksum,
    })
}

impl Ipv4Header {
    /// A header with TTL 64, DF set, no options, identification 0.
    pub const fn new(src: Ipv4Addr, dst: Ipv4Addr) -> Self {
        Ipv4Header {
            tos: 0,
            identification: 0,
            reserved_flag: false,
            dont_fragment: true,
            more_fragments: false,
            fragment_offset: 0,
            ttl: 64,
            src,
            dst,
            options: Ipv4Options::empty(),
        }
    }

    /// DSCP, the high 6 bits of the TOS octet.
    pub const fn dscp(&self) -> u8 {
        self.tos >> 2
    }

    /// ECN, the low 2 bits of the TOS octet.
    pub const fn ecn(&self) -> u8 {
        self.tos & 3
    }

    /// Header length: 20 plus options.
    pub fn header_len(&self) -> usize {
        IPV4_HEADER_LEN + self.options.len()
    }

    /// Decodes and validates the header at the start of `buf`: version 4,
    /// IHL >= 5, header and Total Length within `buf`, checksum if asked.
    pub fn decode(buf: &[u8], verify_checksum: bool) -> Result<(Ipv4Header, Ipv4Info), Error> {
        Self::decode_at(buf, 0, verify_checksum)
    }

    pub(crate) fn decode_at(
        buf: &[u8],
        off: usize,
        verify: bool,
    ) -> Result<(Ipv4Header, Ipv4Info), Error> {
        let info = check_at(buf, off, verify)?;
        let h: [u8; IPV4_HEADER_LEN] = rd::array(buf, off, Layer::Ipv4Header)?;
        let opts = rd::slice(
            buf,
            off,
            off + IPV4_HEADER_LEN,
            info.header_len - IPV4_HEADER_LEN,
            Layer::Ipv4Options,
        )?;
        let ff = u16::from_be_bytes([h[6], h[7]]);
        Ok((
            Ipv4Header {
                tos: h[1],
                identification: u16::from_be_bytes([h[4], h[5]]),
                reserved_flag: ff & 0x8000 != 0,
                dont_fragment: ff & 0x4000 != 0,
                more_fragments: ff & 0x2000 != 0,
                fragment_offset: ff & 0x1FFF,
                ttl: h[8],
                src: Ipv4Addr::new(h[12], h[13], h[14], h[15]),
                dst: Ipv4Addr::new(h[16], h[17], h[18], h[19]),
                options: Ipv4Options(opts.to_vec()),
            },
            info,
        ))
    }

    /// The fixed 20 bytes with Total Length and checksum filled in.
    pub(crate) fn fixed_bytes(&self, protocol: u8, payload_len: usize) -> [u8; IPV4_HEADER_LEN] {
        let total = (self.header_len() + payload_len) as u16;
        let ihl = (self.header_len() / 4) as u8;
        let ff = (u16::from(self.reserved_flag) << 15)
            | (u16::from(self.dont_fragment) << 14)
            | (u16::from(self.more_fragments) << 13)
            | (self.fragment_offset & 0x1FFF);
        let t = total.to_be_bytes();
        let id = self.identification.to_be_bytes();
        let f = ff.to_be_bytes();
        let s = self.src.octets();
        let d = self.dst.octets();
        let mut h = [
            0x40 | ihl,
            self.tos,
            t[0],
            t[1],
            id[0],
            id[1],
            f[0],
            f[1],
            self.ttl,
            protocol,
            0,
            0,
            s[0],
            s[1],
            s[2],
            s[3],
            d[0],
            d[1],
            d[2],
            d[3],
        ];
        let mut c = Checksum::new();
        c.add(&h);
        c.add(self.options.as_bytes());
        h[10..12].copy_from_slice(&c.finish().to_be_bytes());
        h
    }

    /// Writes the header for a payload of `payload_len` bytes carried as
    /// `protocol`, computing Total Length and the header checksum. The
    /// caller keeps `header_len() + payload_len` within 65535.
    pub fn encode(&self, protocol: u8, payload_len: usize, out: &mut impl BufMut) {
        out.put_slice(&self.fixed_bytes(protocol, payload_len));
        out.put_slice(self.options.as_bytes());
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn textbook_header() {
        let hex = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
            0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ];
        let mut buf = hex.to_vec();
        buf.resize(0x73, 0);
        let (h, info) = Ipv4Header::decode(&buf, true).unwrap();
        assert_eq!(
            h,
            Ipv4Header {
                ttl: 64,
                ..Ipv4Header::new([192, 168, 0, 1].into(), [192, 168, 0, 199].into())
            }
        );
        assert_eq!(
            info,
            Ipv4Info {
                protocol: 17,
                header_len: 20,
                total_len: 0x73,
                checksum: 0xb861
            }
        );
        let mut out = Vec::new();
        h.encode(17, 0x73 - 20, &mut out);
        assert_eq!(out, hex);
    }

    #[test]
    fn malformed() {
        let mut buf = [0u8; 40];
        buf[0] = 0x44;
        assert_eq!(
            Ipv4Header::decode(&buf, false).unwrap_err(),
            Error::Ipv4HeaderLength { offset: 0, ihl: 4 }
        );
        buf[0] = 0x65;
        assert_eq!(
            Ipv4Header::decode(&buf, false).unwrap_err(),
            Error::IpVersionMismatch {
                offset: 0,
                expected: 4,
                found: 6
            }
        );
        buf[0] = 0x46;
        buf[3] = 20;
        assert_eq!(
            Ipv4Header::decode(&buf, false).unwrap_err(),
            Error::Ipv4TotalLength {
                offset: 0,
                total_length: 20,
                header_len: 24
            }
        );
        buf[3] = 41;
        assert_eq!(
            Ipv4Header::decode(&buf, false).unwrap_err(),
            Error::Truncated {
                layer: Layer::Ipv4Packet,
                offset: 0,
                needed: 41,
                available: 40
            }
        );
        buf[0] = 0x4F;
        buf[3] = 40;
        assert_eq!(
            Ipv4Header::decode(&buf, false).unwrap_err(),
            Error::Truncated {
                layer: Layer::Ipv4Options,
                offset: 0,
                needed: 60,
                available: 40
            }
        );
        buf[0] = 0x45;
        assert!(Ipv4Header::decode(&buf, false).is_ok());
        match Ipv4Header::decode(&buf, true).unwrap_err() {
            Error::Ipv4Checksum {
                offset: 0,
                found: 0,
                expected,
            } => {
                buf[10..12].copy_from_slice(&expected.to_be_bytes());
                assert!(Ipv4Header::decode(&buf, true).is_ok());
            }
            e => panic!("{e:?}"),
        }
        assert!(Ipv4Options::new(alloc::vec![1, 2, 3]).is_err());
        assert!(Ipv4Options::new(alloc::vec![0; 44]).is_err());
    }

    pub(crate) fn arb_ipv4() -> impl Strategy<Value = Ipv4Header> {
        (
            any::<u8>(),
            any::<u16>(),
            any::<[bool; 3]>(),
            0u16..0x2000,
            any::<u8>(),
            any::<[u8; 4]>(),
            any::<[u8; 4]>(),
            (0usize..=10).prop_flat_map(|n| prop::collection::vec(any::<u8>(), n * 4)),
        )
            .prop_map(|(tos, identification, f, fragment_offset, ttl, s, d, o)| {
                Ipv4Header {
                    tos,
                    identification,
                    reserved_flag: f[0],
                    dont_fragment: f[1],
                    more_fragments: f[2],
                    fragment_offset,
                    ttl,
                    src: s.into(),
                    dst: d.into(),
                    options: Ipv4Options::new(o).unwrap(),
                }
            })
    }

    proptest! {
        #[test]
        fn round_trip(h in arb_ipv4(), proto in any::<u8>(), payload in 0usize..64) {
            let len = h.header_len() + payload;
            let mut buf = alloc::vec![0xA5u8; len];
            h.encode(proto, payload, &mut &mut buf[..]);
            let (back, info) = Ipv4Header::decode(&buf, true).unwrap();
            prop_assert_eq!(back, h.clone());
            prop_assert_eq!(info.protocol, proto);
            prop_assert_eq!(info.total_len, len);
            for cut in 0..len {
                let is_truncated = matches!(Ipv4Header::decode(&buf[..cut], true), Err(Error::Truncated { offset: 0, .. }));
                prop_assert!(is_truncated);
            }
        }
    }
}
