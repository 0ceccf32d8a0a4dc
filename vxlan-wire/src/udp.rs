//! The outer UDP header.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Source Port          |       Destination Port        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |            Length             |           Checksum            |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! Length is derived from the payload; the checksum is either zero (allowed
//! for VXLAN over IPv4 by RFC 7348 and over IPv6 by RFC 6935/6936) or
//! computed over the pseudo-header.

use core::net::IpAddr;

use bytes::BufMut;

use crate::Error;
use crate::checksum::Checksum;
use crate::error::{Layer, rd};

/// UDP header length.
pub const UDP_HEADER_LEN: usize = 8;
/// IANA VXLAN port.
pub const VXLAN_PORT: u16 = 4789;
/// Port the Linux kernel used before IANA assigned 4789.
pub const VXLAN_LINUX_LEGACY_PORT: u16 = 8472;
/// IANA VXLAN-GPE port.
pub const VXLAN_GPE_PORT: u16 = 4790;

/// Whether the UDP checksum field is zero or computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum UdpChecksum {
    /// Checksum field 0 ("no checksum").
    #[default]
    Zero,
    /// Checksum computed over pseudo-header, header and payload (a computed
    /// 0 is sent as 0xFFFF).
    Computed,
    /// The folded pseudo-header sum alone, not inverted: what a sender that
    /// offloads the UDP checksum to its NIC (Linux `CHECKSUM_PARTIAL`)
    /// leaves in the packet, and so what captures taken on that sender show.
    Partial,
}

impl UdpChecksum {
    /// Classifies the checksum of a captured UDP datagram (header included)
    /// sent from `src` to `dst` (pseudo-header addresses): zero, correct
    /// (`Computed`), or the offload pseudo-header sum (`Partial`). A field
    /// that is none of these is reported as `Computed`: re-encoding then
    /// writes the correct value.
    pub fn classify(src: IpAddr, dst: IpAddr, datagram: &[u8]) -> UdpChecksum {
        let field = rd::be16(datagram, 6);
        if field == 0 {
            return UdpChecksum::Zero;
        }
        let pseudo = pseudo_header(src, dst, datagram.len());
        let mut full = pseudo;
        full.add(datagram);
        if full.finish() == 0 {
            UdpChecksum::Computed
        } else if field == pseudo.sum() {
            UdpChecksum::Partial
        } else {
            UdpChecksum::Computed
        }
    }
}

/// The non-derived fields of a UDP header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UdpHeader {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Checksum mode.
    pub checksum: UdpChecksum,
}

/// The raw fields read by the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpInfo {
    /// Length field.
    pub length: u16,
    /// Checksum field.
    pub checksum: u16,
}

/// The UDP checksum over an IPv4 or IPv6 pseudo-header and the UDP datagram
/// given in pieces (header first, with a zero checksum field). A computed 0
/// is returned as 0xFFFF.
pub fn udp_checksum(src: IpAddr, dst: IpAddr, pieces: &[&[u8]]) -> u16 {
    let len: usize = pieces.iter().map(|p| p.len()).sum();
    let mut c = pseudo_header(src, dst, len);
    for p in pieces {
        c.add(p);
    }
    match c.finish() {
        0 => 0xFFFF,
        v => v,
    }
}

/// The pseudo-header sum (RFC 768 for IPv4, RFC 8200 8.1 for IPv6; mixed
/// families use the IPv4-mapped IPv6 form).
fn pseudo_header(src: IpAddr, dst: IpAddr, len: usize) -> Checksum {
    let mut c = Checksum::new();
    match (src, dst) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            c.add(&s.octets());
            c.add(&d.octets());
            c.add_u16(17);
            c.add_u16(len as u16);
        }
        (s, d) => {
            c.add(&ip6_octets(s));
            c.add(&ip6_octets(d));
            c.add(&(len as u32).to_be_bytes());
            c.add(&[0, 0, 0, 17]);
        }
    }
    c
}

fn ip6_octets(a: IpAddr) -> [u8; 16] {
    match a {
        IpAddr::V4(v) => v.to_ipv6_mapped().octets(),
        IpAddr::V6(v) => v.octets(),
    }
}

impl UdpHeader {
    /// Decodes the header at the start of `buf`; the length is not checked
    /// against anything here (see [`crate::decapsulate`]).
    pub fn decode(buf: &[u8]) -> Result<(UdpHeader, UdpInfo), Error> {
        let b: [u8; UDP_HEADER_LEN] = rd::array(buf, 0, Layer::UdpHeader)?;
        let checksum = u16::from_be_bytes([b[6], b[7]]);
        Ok((
            UdpHeader {
                src_port: u16::from_be_bytes([b[0], b[1]]),
                dst_port: u16::from_be_bytes([b[2], b[3]]),
                checksum: if checksum == 0 {
                    UdpChecksum::Zero
                } else {
                    UdpChecksum::Computed
                },
            },
            UdpInfo {
                length: u16::from_be_bytes([b[4], b[5]]),
                checksum,
            },
        ))
    }

    /// The 8 wire bytes for a datagram whose payload is `payload` (in
    /// pieces) between `src` and `dst` (the pseudo-header addresses).
    pub fn to_bytes(&self, src: IpAddr, dst: IpAddr, payload: &[&[u8]]) -> [u8; UDP_HEADER_LEN] {
        let len = (UDP_HEADER_LEN + payload.iter().map(|p| p.len()).sum::<usize>()) as u16;
        let s = self.src_port.to_be_bytes();
        let d = self.dst_port.to_be_bytes();
        let l = len.to_be_bytes();
        let mut h = [s[0], s[1], d[0], d[1], l[0], l[1], 0, 0];
        if self.checksum == UdpChecksum::Partial {
            let c = pseudo_header(src, dst, usize::from(len));
            h[6..8].copy_from_slice(&c.sum().to_be_bytes());
        } else if self.checksum == UdpChecksum::Computed {
            let mut c = pseudo_header(src, dst, usize::from(len));
            c.add(&h);
            for p in payload {
                c.add(p);
            }
            let ck = match c.finish() {
                0 => 0xFFFF,
                v => v,
            };
            h[6..8].copy_from_slice(&ck.to_be_bytes());
        }
        h
    }

    /// Writes the header (see [`UdpHeader::to_bytes`]).
    pub fn encode(&self, src: IpAddr, dst: IpAddr, payload: &[&[u8]], out: &mut impl BufMut) {
        out.put_slice(&self.to_bytes(src, dst, payload));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use core::net::{Ipv4Addr, Ipv6Addr};
    use proptest::prelude::*;

    #[test]
    fn checksum_verifies_to_zero() {
        let src = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        let dst = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
        let h = UdpHeader {
            src_port: 50000,
            dst_port: VXLAN_PORT,
            checksum: UdpChecksum::Computed,
        };
        let payload = [1u8, 2, 3, 4, 5];
        let b = h.to_bytes(src, dst, &[&payload]);
        assert_eq!(&b[..6], &[0xC3, 0x50, 0x12, 0xB5, 0, 13]);
        // Recomputing with the checksum in place gives 0 (i.e. field 0xFFFF after the swap rule).
        let mut c = Checksum::new();
        c.add(&[10, 0, 0, 1, 10, 0, 0, 2, 0, 17, 0, 13]);
        c.add(&b);
        c.add(&payload);
        assert_eq!(c.finish(), 0);
        let mut zeroed = b;
        zeroed[6] = 0;
        zeroed[7] = 0;
        assert_eq!(
            udp_checksum(src, dst, &[&zeroed, &payload]),
            u16::from_be_bytes([b[6], b[7]])
        );
        let (back, info) = UdpHeader::decode(&b).unwrap();
        assert_eq!(back, h);
        assert_eq!(info.length, 13);
        let z = UdpHeader {
            checksum: UdpChecksum::Zero,
            ..h
        }
        .to_bytes(src, dst, &[&payload]);
        assert_eq!(&z[6..], &[0, 0]);
        assert_eq!(UdpHeader::decode(&z).unwrap().0.checksum, UdpChecksum::Zero);
        assert_eq!(
            UdpHeader::decode(&z[..7]).unwrap_err(),
            Error::Truncated {
                layer: Layer::UdpHeader,
                offset: 0,
                needed: 8,
                available: 7
            }
        );
    }

    #[test]
    fn classify_offload_partial_sum() {
        let src = IpAddr::V4(Ipv4Addr::new(172, 30, 0, 1));
        let dst = IpAddr::V4(Ipv4Addr::new(172, 30, 0, 2));
        let payload = [0x08u8, 0, 0, 0, 0, 0, 0x10, 0, 0xAB, 0xCD, 0xEF];
        for mode in [
            UdpChecksum::Zero,
            UdpChecksum::Computed,
            UdpChecksum::Partial,
        ] {
            let h = UdpHeader {
                src_port: 48036,
                dst_port: VXLAN_PORT,
                checksum: mode,
            };
            let mut d = h.to_bytes(src, dst, &[&payload]).to_vec();
            d.extend_from_slice(&payload);
            assert_eq!(UdpChecksum::classify(src, dst, &d), mode);
        }
        // The partial sum is the folded pseudo-header: 172.30.0.1 + 172.30.0.2
        // + 17 + length 19.
        let h = UdpHeader {
            src_port: 1,
            dst_port: 2,
            checksum: UdpChecksum::Partial,
        };
        let b = h.to_bytes(src, dst, &[&payload]);
        let expected = {
            let mut s: u32 = 0xac1e + 0x0001 + 0xac1e + 0x0002 + 17 + 19;
            s = (s & 0xFFFF) + (s >> 16);
            s as u16
        };
        assert_eq!(u16::from_be_bytes([b[6], b[7]]), expected);
        // a wrong checksum is reported as Computed (re-encoded correctly)
        let mut d = UdpHeader {
            checksum: UdpChecksum::Computed,
            ..h
        }
        .to_bytes(src, dst, &[&payload])
        .to_vec();
        d[7] ^= 1;
        d.extend_from_slice(&payload);
        assert_eq!(UdpChecksum::classify(src, dst, &d), UdpChecksum::Computed);
    }

    proptest! {
        #[test]
        fn v6_checksum_matches_oneshot(s in any::<[u8; 16]>(), d in any::<[u8; 16]>(), sp in any::<u16>(), dp in any::<u16>(),
                                       payload in prop::collection::vec(any::<u8>(), 0..64)) {
            let (src, dst) = (IpAddr::V6(Ipv6Addr::from(s)), IpAddr::V6(Ipv6Addr::from(d)));
            let h = UdpHeader { src_port: sp, dst_port: dp, checksum: UdpChecksum::Computed };
            let mut out = Vec::new();
            h.encode(src, dst, &[&payload[..]], &mut out);
            let mut zeroed = out.clone();
            zeroed[6] = 0;
            zeroed[7] = 0;
            prop_assert_eq!(udp_checksum(src, dst, &[&zeroed, &payload]), u16::from_be_bytes([out[6], out[7]]));
            prop_assert_ne!(u16::from_be_bytes([out[6], out[7]]), 0);
            prop_assert_eq!(UdpHeader::decode(&out).unwrap().0, h);
        }
    }
}
