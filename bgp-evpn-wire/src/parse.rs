//! Internal reader over a length-bounded slice. nom does the byte work; the
//! cursor turns nom's errors into this crate's [`Error`] with offsets.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use macaddr::MacAddr6;
use nom::Parser;
use nom::bytes::complete::take;
use nom::number::complete::{be_u8, be_u16, be_u32};

use crate::error::{Error, Result, Section};

type NomError<'a> = nom::error::Error<&'a [u8]>;

/// Reader over a slice that knows where the slice sits in the caller's view.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    input: &'a [u8],
    start_len: usize,
    base: usize,
    section: Section,
}

impl<'a> Cursor<'a> {
    /// Cursor over `input`, whose first byte is at offset `base`.
    pub(crate) fn new(input: &'a [u8], base: usize, section: Section) -> Self {
        Cursor {
            input,
            start_len: input.len(),
            base,
            section,
        }
    }

    /// Offset of the next byte, in the caller's view.
    pub(crate) fn offset(&self) -> usize {
        self.base + (self.start_len - self.input.len())
    }

    /// Bytes not yet read.
    pub(crate) fn remaining(&self) -> usize {
        self.input.len()
    }

    fn truncated(&self, what: &'static str, needed: usize) -> Error {
        Error::Truncated {
            section: self.section,
            offset: self.offset(),
            what,
            needed,
            available: self.input.len(),
        }
    }

    fn run<T>(
        &mut self,
        what: &'static str,
        needed: usize,
        mut parser: impl Parser<&'a [u8], Output = T, Error = NomError<'a>>,
    ) -> Result<T> {
        match parser.parse(self.input) {
            Ok((rest, value)) => {
                self.input = rest;
                Ok(value)
            }
            Err(_) => Err(self.truncated(what, needed)),
        }
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8> {
        self.run(what, 1, be_u8)
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16> {
        self.run(what, 2, be_u16)
    }

    /// The unread bytes, without consuming them.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.input
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32> {
        self.run(what, 4, be_u32)
    }

    pub(crate) fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8]> {
        self.run(what, n, take(n))
    }

    pub(crate) fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N]> {
        let bytes = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    pub(crate) fn mac(&mut self, what: &'static str) -> Result<MacAddr6> {
        Ok(MacAddr6::from(self.array::<6>(what)?))
    }

    pub(crate) fn ipv4(&mut self, what: &'static str) -> Result<Ipv4Addr> {
        Ok(Ipv4Addr::from(self.array::<4>(what)?))
    }

    pub(crate) fn ipv6(&mut self, what: &'static str) -> Result<Ipv6Addr> {
        Ok(Ipv6Addr::from(self.array::<16>(what)?))
    }

    /// A one-octet length in bits followed by an address of 32 or 128 bits.
    pub(crate) fn ip_with_len(&mut self, what: &'static str) -> Result<IpAddr> {
        let at = self.offset();
        match self.u8(what)? {
            32 => Ok(IpAddr::V4(self.ipv4(what)?)),
            128 => Ok(IpAddr::V6(self.ipv6(what)?)),
            bits => Err(Error::InvalidIpLength {
                offset: at,
                what,
                bits,
                expected: "32 or 128",
            }),
        }
    }

    /// A one-octet length in bits followed by nothing (0) or an address of 32 or 128 bits.
    pub(crate) fn opt_ip_with_len(&mut self, what: &'static str) -> Result<Option<IpAddr>> {
        let at = self.offset();
        match self.u8(what)? {
            0 => Ok(None),
            32 => Ok(Some(IpAddr::V4(self.ipv4(what)?))),
            128 => Ok(Some(IpAddr::V6(self.ipv6(what)?))),
            bits => Err(Error::InvalidIpLength {
                offset: at,
                what,
                bits,
                expected: "0, 32 or 128",
            }),
        }
    }

    /// Fails unless every byte was read.
    pub(crate) fn finish(&self, what: &'static str) -> Result<()> {
        if self.input.is_empty() {
            Ok(())
        } else {
            Err(Error::TrailingBytes {
                section: self.section,
                offset: self.offset(),
                what,
                count: self.input.len(),
            })
        }
    }
}

/// Encoded length of an address field with its one-octet length prefix.
#[inline]
pub(crate) fn ip_field_len(ip: Option<&IpAddr>) -> usize {
    1 + match ip {
        None => 0,
        Some(IpAddr::V4(_)) => 4,
        Some(IpAddr::V6(_)) => 16,
    }
}

/// Writes a one-octet length in bits and the address (nothing for `None`).
pub(crate) fn put_ip_with_len<B: bytes::BufMut>(buf: &mut B, ip: Option<&IpAddr>) {
    match ip {
        None => buf.put_u8(0),
        Some(IpAddr::V4(a)) => {
            buf.put_u8(32);
            buf.put_slice(&a.octets());
        }
        Some(IpAddr::V6(a)) => {
            buf.put_u8(128);
            buf.put_slice(&a.octets());
        }
    }
}
