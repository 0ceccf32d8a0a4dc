//! The crate's single error type.
//!
//! Every variant that is caused by input bytes carries the byte `offset` of
//! the offending structure, relative to the start of the buffer handed to the
//! public function that failed, and says what was expected there.

use core::fmt;

/// The protocol structure a [`Error::Truncated`] error was reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Layer {
    /// The 14-byte Ethernet II header (two MACs and the EtherType).
    EthernetHeader,
    /// The 4 bytes after an 802.1Q / 802.1ad TPID: TCI and the next EtherType.
    VlanTag,
    /// The fixed 20-byte IPv4 header.
    Ipv4Header,
    /// IPv4 options (the header length given by IHL).
    Ipv4Options,
    /// The IPv4 packet as long as its Total Length field says.
    Ipv4Packet,
    /// The fixed 40-byte IPv6 header.
    Ipv6Header,
    /// The IPv6 payload as long as its Payload Length field says.
    Ipv6Payload,
    /// An IPv6 extension header.
    Ipv6ExtensionHeader,
    /// The 8-byte UDP header.
    UdpHeader,
    /// The 8-byte VXLAN header.
    VxlanHeader,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layer::EthernetHeader => "Ethernet header",
            Layer::VlanTag => "VLAN tag",
            Layer::Ipv4Header => "IPv4 header",
            Layer::Ipv4Options => "IPv4 options",
            Layer::Ipv4Packet => "IPv4 packet",
            Layer::Ipv6Header => "IPv6 header",
            Layer::Ipv6Payload => "IPv6 payload",
            Layer::Ipv6ExtensionHeader => "IPv6 extension header",
            Layer::UdpHeader => "UDP header",
            Layer::VxlanHeader => "VXLAN header",
        })
    }
}

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended before a structure was complete.
    #[error("truncated {layer} at byte {offset}: need {needed} bytes, {available} available")]
    Truncated {
        /// What was being read.
        layer: Layer,
        /// Where the structure starts.
        offset: usize,
        /// How many bytes the structure needs from `offset`.
        needed: usize,
        /// How many bytes the input has from `offset`.
        available: usize,
    },
    /// A VXLAN header whose I flag (0x08 of the first byte) is clear.
    #[error(
        "VXLAN header at byte {offset} has the I flag clear (flags {flags:#04x}), expected 0x08 set"
    )]
    VniFlagClear {
        /// Offset of the VXLAN header.
        offset: usize,
        /// The flags byte that was found.
        flags: u8,
    },
    /// A third VLAN tag where at most two (QinQ) are supported.
    #[error("third VLAN tag at byte {offset}, expected at most two")]
    TooManyVlanTags {
        /// Offset of the third tag's TPID.
        offset: usize,
    },
    /// The IP version nibble disagrees with the EtherType that announced it.
    #[error("IP version {found} at byte {offset}, expected {expected}")]
    IpVersionMismatch {
        /// Offset of the IP header.
        offset: usize,
        /// Version implied by the EtherType.
        expected: u8,
        /// Version nibble found.
        found: u8,
    },
    /// The IP version nibble is neither 4 nor 6.
    #[error("unknown IP version {found} at byte {offset}, expected 4 or 6")]
    UnknownIpVersion {
        /// Offset of the IP header.
        offset: usize,
        /// Version nibble found.
        found: u8,
    },
    /// IPv4 IHL below 5 words.
    #[error("IPv4 header at byte {offset} has IHL {ihl}, expected at least 5")]
    Ipv4HeaderLength {
        /// Offset of the IPv4 header.
        offset: usize,
        /// The IHL found (in 32-bit words).
        ihl: u8,
    },
    /// IPv4 Total Length shorter than the header itself.
    #[error(
        "IPv4 header at byte {offset} has total length {total_length}, expected at least its header length {header_len}"
    )]
    Ipv4TotalLength {
        /// Offset of the IPv4 header.
        offset: usize,
        /// The Total Length field.
        total_length: u16,
        /// The header length given by IHL.
        header_len: usize,
    },
    /// The IPv4 header checksum is wrong (only checked on request).
    #[error("IPv4 header at byte {offset} has checksum {found:#06x}, expected {expected:#06x}")]
    Ipv4Checksum {
        /// Offset of the IPv4 header.
        offset: usize,
        /// Checksum in the header.
        found: u16,
        /// Checksum computed over the header.
        expected: u16,
    },
    /// An IPv6 extension header does not fit in the IPv6 payload.
    #[error(
        "IPv6 extension header at byte {offset} needs {needed} bytes, the IPv6 payload has {available} left"
    )]
    Ipv6ExtensionLength {
        /// Offset of the extension header.
        offset: usize,
        /// Its length.
        needed: usize,
        /// Payload bytes left from `offset` according to Payload Length.
        available: usize,
    },
    /// The UDP length field disagrees with the IP payload length.
    #[error(
        "UDP header at byte {offset} has length {udp_length}, expected {ip_payload_len} (the IP payload length, at least 8)"
    )]
    UdpLength {
        /// Offset of the UDP header.
        offset: usize,
        /// The UDP Length field.
        udp_length: u16,
        /// The payload length the IP header gives to UDP.
        ip_payload_len: usize,
    },
    /// A value does not fit the width of its field.
    #[error("{field} value {value:#x} is out of range, expected at most {max:#x}")]
    OutOfRange {
        /// Field name.
        field: &'static str,
        /// Value given.
        value: u64,
        /// Largest allowed value.
        max: u64,
    },
    /// A byte string has a length the field cannot carry.
    #[error("{field} length {len} is invalid, expected {expected}")]
    InvalidLength {
        /// Field name.
        field: &'static str,
        /// Length given.
        len: usize,
        /// What lengths are allowed.
        expected: &'static str,
    },
    /// Outer source and destination IP addresses are of different families.
    #[error("outer source and destination addresses must both be IPv4 or both IPv6")]
    AddressFamilyMismatch,
    /// The encapsulated datagram would exceed what the length fields can say.
    #[error("encapsulated {field} would be {len} bytes, expected at most {max}")]
    TooLarge {
        /// Which length field overflows.
        field: &'static str,
        /// The length it would need.
        len: usize,
        /// The largest it can carry.
        max: usize,
    },
    /// The output buffer cannot hold the encoding.
    #[error("output buffer has room for {available} bytes, expected {needed}")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available in the `BufMut`.
        available: usize,
    },
}

impl Error {
    /// Byte offset of the offending structure in the decoded input, when the
    /// error comes from input bytes.
    pub fn offset(&self) -> Option<usize> {
        match *self {
            Error::Truncated { offset, .. }
            | Error::VniFlagClear { offset, .. }
            | Error::TooManyVlanTags { offset }
            | Error::IpVersionMismatch { offset, .. }
            | Error::UnknownIpVersion { offset, .. }
            | Error::Ipv4HeaderLength { offset, .. }
            | Error::Ipv4TotalLength { offset, .. }
            | Error::Ipv4Checksum { offset, .. }
            | Error::Ipv6ExtensionLength { offset, .. }
            | Error::UdpLength { offset, .. } => Some(offset),
            Error::OutOfRange { .. }
            | Error::InvalidLength { .. }
            | Error::AddressFamilyMismatch
            | Error::TooLarge { .. }
            | Error::BufferTooSmall { .. } => None,
        }
    }

    /// Shorthand used by the decoders.
    pub(crate) fn truncated(layer: Layer, buf: &[u8], offset: usize, needed: usize) -> Error {
        Error::Truncated {
            layer,
            offset,
            needed,
            available: buf.len().saturating_sub(offset),
        }
    }
}

/// Bounds-checked big-endian readers shared by the decoders.
pub(crate) mod rd {
    use super::{Error, Layer};

    /// `buf[off..off + len]`, or a truncation error for `layer` starting at `start`.
    #[inline(always)]
    pub(crate) fn slice(
        buf: &[u8],
        start: usize,
        off: usize,
        len: usize,
        layer: Layer,
    ) -> Result<&[u8], Error> {
        off.checked_add(len)
            .and_then(|end| buf.get(off..end))
            .ok_or_else(|| {
                Error::truncated(
                    layer,
                    buf,
                    start,
                    off.saturating_sub(start).saturating_add(len),
                )
            })
    }

    /// A fixed-size array at `off`, or a truncation error for `layer` at `off`.
    #[inline(always)]
    pub(crate) fn array<const N: usize>(
        buf: &[u8],
        off: usize,
        layer: Layer,
    ) -> Result<[u8; N], Error> {
        off.checked_add(N)
            .and_then(|end| buf.get(off..end))
            .and_then(|s| <[u8; N]>::try_from(s).ok())
            .ok_or_else(|| Error::truncated(layer, buf, off, N))
    }

    /// Reads a big-endian u16 from an array slice known to be long enough;
    /// returns 0 instead of panicking if it is not.
    #[inline(always)]
    pub(crate) fn be16(buf: &[u8], off: usize) -> u16 {
        match buf.get(off..off.wrapping_add(2)) {
            Some(&[a, b]) => u16::from_be_bytes([a, b]),
            _ => 0,
        }
    }

    /// One byte, 0 when out of range.
    #[inline(always)]
    pub(crate) fn byte(buf: &[u8], off: usize) -> u8 {
        buf.get(off).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn offset_is_reported_for_input_errors_only() {
        let e = Error::Truncated {
            layer: Layer::UdpHeader,
            offset: 34,
            needed: 8,
            available: 3,
        };
        assert_eq!(e.offset(), Some(34));
        assert_eq!(
            e.to_string(),
            "truncated UDP header at byte 34: need 8 bytes, 3 available"
        );
        assert_eq!(Error::AddressFamilyMismatch.offset(), None);
        assert_eq!(
            Error::VniFlagClear {
                offset: 42,
                flags: 0
            }
            .offset(),
            Some(42)
        );
    }

    #[test]
    fn readers_never_panic() {
        let b = [1u8, 2, 3];
        assert_eq!(rd::be16(&b, 1), 0x0203);
        assert_eq!(rd::be16(&b, 2), 0);
        assert_eq!(rd::be16(&b, usize::MAX), 0);
        assert_eq!(rd::byte(&b, 9), 0);
        assert!(rd::array::<4>(&b, 0, Layer::VlanTag).is_err());
        assert_eq!(rd::array::<2>(&b, 1, Layer::VlanTag), Ok([2, 3]));
        assert_eq!(
            rd::slice(&b, 1, 2, 5, Layer::Ipv4Options),
            Err(Error::Truncated {
                layer: Layer::Ipv4Options,
                offset: 1,
                needed: 6,
                available: 2
            })
        );
        assert!(rd::slice(&b, 0, usize::MAX, 2, Layer::Ipv4Options).is_err());
    }
}
