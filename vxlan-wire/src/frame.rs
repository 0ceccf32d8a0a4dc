//! [`VxlanFrame`]: the owned meaning of a whole VXLAN frame, outer stack
//! included, for logs, tests and byte-exact re-encoding of captures.
//!
//! Kept: MACs, VLAN tags, IPv4 TOS / identification / flags / fragment
//! offset / TTL / options, IPv6 traffic class / flow label / hop limit /
//! extension headers, UDP ports, whether the UDP checksum was zero, the
//! VXLAN header with its reserved bits, the inner frame and any trailer
//! after the IP packet. Derived on encode: EtherType, IHL, lengths, IPv4
//! protocol / IPv6 next headers, IPv4 header checksum, UDP checksum.
//!
//! Limitation: the UDP checksum over IPv4 uses the header's destination
//! address even when a source-route option names another final destination.

use alloc::vec::Vec;
use core::net::IpAddr;

use bytes::BufMut;
use macaddr::MacAddr6;

use crate::decap::{Decap, DecapConfig, decapsulate, decapsulate_ip};
use crate::ethernet::{ETHERNET_HEADER_LEN, EtherType, Vlans};
use crate::header::{HEADER_LEN, VxlanHeader};
use crate::ipv4::{IP_PROTO_UDP, IPV4_HEADER_LEN, Ipv4Header};
use crate::ipv6::{IPV6_HEADER_LEN, Ipv6Header};
use crate::udp::{UDP_HEADER_LEN, UdpHeader};
use crate::{Error, Vni};

/// Outer Ethernet header without its EtherType (derived from the IP version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OuterEthernet {
    /// Destination MAC (next hop).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub dst: MacAddr6,
    /// Source MAC (the VTEP's interface).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub src: MacAddr6,
    /// VLAN tags, outermost first.
    pub vlans: Vlans,
}

/// The outer IP header.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum OuterIp {
    /// IPv4.
    V4(Ipv4Header),
    /// IPv6.
    V6(Ipv6Header),
}

impl OuterIp {
    /// Header length including options / extension headers.
    pub fn header_len(&self) -> usize {
        match self {
            OuterIp::V4(h) => h.header_len(),
            OuterIp::V6(h) => h.header_len(),
        }
    }
    /// Source address.
    pub fn src(&self) -> IpAddr {
        match self {
            OuterIp::V4(h) => h.src.into(),
            OuterIp::V6(h) => h.src.into(),
        }
    }
    /// Destination address (header field).
    pub fn dst(&self) -> IpAddr {
        match self {
            OuterIp::V4(h) => h.dst.into(),
            OuterIp::V6(h) => h.dst.into(),
        }
    }
}

/// An owned VXLAN frame.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VxlanFrame {
    /// Outer Ethernet; `None` when decoded with [`decapsulate_ip`].
    pub ethernet: Option<OuterEthernet>,
    /// Outer IP header.
    pub ip: OuterIp,
    /// Outer UDP header.
    pub udp: UdpHeader,
    /// VXLAN header.
    pub vxlan: VxlanHeader,
    /// Inner frame bytes.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::hex"))]
    pub inner: Vec<u8>,
    /// Bytes after the outer IP packet (Ethernet padding / FCS) kept from a
    /// capture; usually empty.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::hex", default))]
    pub trailer: Vec<u8>,
}

impl VxlanFrame {
    /// Decodes an Ethernet frame; `Ok(None)` when it is not VXLAN (call
    /// [`decapsulate`] to learn why).
    pub fn decode(frame: &[u8], cfg: &DecapConfig) -> Result<Option<VxlanFrame>, Error> {
        Ok(match decapsulate(frame, cfg)? {
            Decap::Vxlan(d) => Some(d.to_owned()),
            Decap::NotVxlan(_) => None,
        })
    }

    /// Decodes from the IP header on; `Ok(None)` when not VXLAN.
    pub fn decode_ip(packet: &[u8], cfg: &DecapConfig) -> Result<Option<VxlanFrame>, Error> {
        Ok(match decapsulate_ip(packet, cfg)? {
            Decap::Vxlan(d) => Some(d.to_owned()),
            Decap::NotVxlan(_) => None,
        })
    }

    /// The VNI.
    pub fn vni(&self) -> Vni {
        self.vxlan.vni()
    }

    /// Bytes of the UDP datagram (header, VXLAN header, inner frame).
    pub fn udp_len(&self) -> usize {
        UDP_HEADER_LEN + HEADER_LEN + self.inner.len()
    }

    /// Exact length [`VxlanFrame::encode`] writes.
    pub fn encoded_len(&self) -> usize {
        self.ethernet
            .as_ref()
            .map_or(0, |e| ETHERNET_HEADER_LEN + e.vlans.encoded_len())
            + self.ip.header_len()
            + self.udp_len()
            + self.trailer.len()
    }

    /// Checks that the lengths fit their 16-bit fields.
    pub fn check_lengths(&self) -> Result<(), Error> {
        let (field, len) = match &self.ip {
            OuterIp::V4(h) => ("IPv4 total length", h.header_len() + self.udp_len()),
            OuterIp::V6(h) => (
                "IPv6 payload length",
                h.header_len() - IPV6_HEADER_LEN + self.udp_len(),
            ),
        };
        if len > usize::from(u16::MAX) {
            return Err(Error::TooLarge {
                field,
                len,
                max: usize::from(u16::MAX),
            });
        }
        Ok(())
    }

    /// Writes the frame. Lengths and checksums are computed.
    ///
    /// # Panics
    /// Like [`BufMut::put_slice`], if `out` has less than
    /// [`VxlanFrame::encoded_len`] bytes of room. Lengths that overflow
    /// their fields (an inner frame near 64 KiB) are written truncated; use
    /// [`VxlanFrame::try_encode`] to get errors instead.
    pub fn encode(&self, out: &mut impl BufMut) {
        if let Some(e) = &self.ethernet {
            out.put_slice(&e.dst.into_array());
            out.put_slice(&e.src.into_array());
            e.vlans.encode(out);
            let et = match self.ip {
                OuterIp::V4(_) => EtherType::IPV4,
                OuterIp::V6(_) => EtherType::IPV6,
            };
            out.put_u16(et.0);
        }
        let vx = self.vxlan.to_bytes();
        let payload: [&[u8]; 2] = [&vx, &self.inner];
        let udp = match &self.ip {
            OuterIp::V4(h) => {
                h.encode(IP_PROTO_UDP, self.udp_len(), out);
                self.udp.to_bytes(h.src.into(), h.dst.into(), &payload)
            }
            OuterIp::V6(h) => {
                h.encode(IP_PROTO_UDP, self.udp_len(), out);
                self.udp
                    .to_bytes(h.src.into(), h.pseudo_header_dst().into(), &payload)
            }
        };
        out.put_slice(&udp);
        out.put_slice(&vx);
        out.put_slice(&self.inner);
        out.put_slice(&self.trailer);
    }

    /// Checks lengths and room in `out`, then encodes; returns bytes written.
    pub fn try_encode(&self, out: &mut impl BufMut) -> Result<usize, Error> {
        self.check_lengths()?;
        let needed = self.encoded_len();
        if out.remaining_mut() < needed {
            return Err(Error::BufferTooSmall {
                needed,
                available: out.remaining_mut(),
            });
        }
        self.encode(out);
        Ok(needed)
    }

    /// The minimal IPv4 fixed header length, for reference in docs/tests.
    pub const IPV4_MIN_OVERHEAD: usize =
        ETHERNET_HEADER_LEN + IPV4_HEADER_LEN + UDP_HEADER_LEN + HEADER_LEN;
}
