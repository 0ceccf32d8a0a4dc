//! [`VxlanFrame`]: the owned meaning of a whole VXLAN frame, outer stack
//! included, for logs, tests and byte-exact re-encoding of captures.
//!
//! Kept: MACs, VLAN tags, IPv4 TOS / identification / flags / fragment
//! offset / TTL / options, IPv6 traffic class / flow label / hop limit /
//! extension headers, UDP ports, whether the UDP checksum was zero,
//! computed, or an offload pseudo-header sum ([`UdpChecksum`]), the
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ethernet::tests::arb_vlans;
    use crate::header::{HeaderFlavour, tests::arb_header};
    use crate::ipv4::tests::arb_ipv4;
    use crate::ipv6::Ipv6ExtKind;
    use crate::ipv6::tests::arb_ipv6;
    use crate::udp::UdpChecksum;
    use proptest::prelude::*;

    /// Frames that decapsulate: no IP fragmentation, a port matching the
    /// header flavour.
    fn arb_frame() -> impl Strategy<Value = (VxlanFrame, DecapConfig)> {
        let ip = prop_oneof![
            arb_ipv4().prop_map(|h| OuterIp::V4(Ipv4Header {
                more_fragments: false,
                fragment_offset: 0,
                ..h
            })),
            arb_ipv6().prop_map(|mut h| {
                // first fragment only, and with M clear (an atomic fragment)
                h.extensions.retain(|e| e.fragment() != Some((0, true)));
                OuterIp::V6(h)
            }),
        ];
        (
            prop::option::of((any::<[u8; 6]>(), any::<[u8; 6]>(), arb_vlans())),
            ip,
            (any::<u16>(), 0u8..3, any::<bool>()),
            arb_header(),
            prop::collection::vec(any::<u8>(), 0..120),
            prop::collection::vec(any::<u8>(), 0..8),
        )
            .prop_map(|(eth, ip, (src_port, ck, legacy), vxlan, inner, trailer)| {
                let (dst_port, cfg) = match vxlan.flavour() {
                    HeaderFlavour::Standard => {
                        (if legacy { 8472 } else { 4789 }, DecapConfig::default())
                    }
                    HeaderFlavour::Gbp => (4789, DecapConfig::default().with_gbp(true)),
                    HeaderFlavour::Gpe => (4790, DecapConfig::default()),
                };
                let frame = VxlanFrame {
                    ethernet: eth.map(|(d, s, vlans)| OuterEthernet {
                        dst: d.into(),
                        src: s.into(),
                        vlans,
                    }),
                    ip,
                    udp: UdpHeader {
                        src_port,
                        dst_port,
                        checksum: [
                            UdpChecksum::Zero,
                            UdpChecksum::Computed,
                            UdpChecksum::Partial,
                        ][usize::from(ck)],
                    },
                    vxlan,
                    inner,
                    trailer,
                };
                (frame, cfg.with_ipv4_checksum_check(true))
            })
    }

    fn decode<'a>(buf: &'a [u8], with_eth: bool, cfg: &DecapConfig) -> Result<Decap<'a>, Error> {
        if with_eth {
            decapsulate(buf, cfg)
        } else {
            decapsulate_ip(buf, cfg)
        }
    }

    proptest! {
        #[test]
        fn round_trip((frame, cfg) in arb_frame()) {
            let len = frame.encoded_len();
            let mut buf = alloc::vec![0xA5u8; len];
            frame.encode(&mut &mut buf[..]);
            let mut grown = Vec::new();
            prop_assert_eq!(frame.try_encode(&mut grown), Ok(len));
            prop_assert_eq!(&grown, &buf);
            let eth = frame.ethernet.is_some();
            if frame.udp.checksum == UdpChecksum::Partial
                && let Ok(Decap::Vxlan(d)) = decode(&buf, eth, &cfg)
            {
                // about 1 in 65536: the pseudo-header sum is also the right checksum
                let datagram = &buf[d.udp_offset()..d.ip_end()];
                let dst = match &frame.ip {
                    OuterIp::V4(h) => IpAddr::V4(h.dst),
                    OuterIp::V6(h) => IpAddr::V6(h.pseudo_header_dst()),
                };
                prop_assume!(UdpChecksum::classify(frame.ip.src(), dst, datagram) == UdpChecksum::Partial);
            }
            let back = if eth { VxlanFrame::decode(&buf, &cfg) } else { VxlanFrame::decode_ip(&buf, &cfg) };
            prop_assert_eq!(back, Ok(Some(frame.clone())));
            // every cut before the trailer is a truncation error
            for cut in 0..len - frame.trailer.len() {
                let r = decode(&buf[..cut], eth, &cfg);
                let is_truncated = matches!(r, Err(Error::Truncated { .. }));
                prop_assert!(is_truncated, "cut {} of {}: {:?}", cut, len, r);
            }
        }

        #[test]
        fn corrupted_frames_never_panic((frame, cfg) in arb_frame(), flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
            let mut buf = Vec::new();
            frame.encode(&mut buf);
            for (i, v) in flips {
                let i = i.index(buf.len());
                buf[i] = v;
            }
            for eth in [true, false] {
                if let Ok(Decap::Vxlan(d)) = decode(&buf, eth, &cfg) {
                    // whatever decoded must re-encode to a decodable frame
                    let owned = d.to_owned();
                    let mut again = Vec::new();
                    owned.encode(&mut again);
                    prop_assert_eq!(again.len(), owned.encoded_len());
                    prop_assert_eq!(decode(&again, eth, &cfg.clone().with_ipv4_checksum_check(false))?.vxlan().map(|d| d.to_owned()), Some(owned));
                }
            }
        }

        #[test]
        fn fast_path_equivalence((frame, cfg) in arb_frame(), flips in prop::collection::vec((0usize..50, any::<u8>()), 0..3)) {
            let mut buf = Vec::new();
            frame.encode(&mut buf);
            for (i, v) in flips {
                if let Some(b) = buf.get_mut(i) {
                    *b = v;
                }
            }
            let cfg = cfg.with_ipv4_checksum_check(false);
            prop_assert_eq!(decapsulate(&buf, &cfg), crate::decap::decapsulate_general(&buf, &cfg));
        }

        #[test]
        fn random_bytes_never_panic(buf in prop::collection::vec(any::<u8>(), 0..200)) {
            let cfg = DecapConfig::default();
            let _ = decapsulate(&buf, &cfg);
            let _ = decapsulate_ip(&buf, &cfg);
            if let Ok(Decap::Vxlan(d)) = decapsulate(&buf, &cfg) {
                prop_assert!(d.inner_offset() <= d.ip_end() && d.ip_end() <= buf.len());
            }
            // every standalone decoder is total too
            for f in [HeaderFlavour::Standard, HeaderFlavour::Gbp, HeaderFlavour::Gpe] {
                let _ = VxlanHeader::decode(&buf, f);
            }
            let p = crate::header::VxlanPacket::new_unchecked(&buf[..]);
            let _ = (p.vni(), p.reserved1(), p.gbp_group_policy_id(), p.gpe_next_protocol(), p.payload(), p.header_bytes());
            let _ = crate::ethernet::EthernetFrame::decode(&buf);
            let _ = Ipv4Header::decode(&buf, true);
            let _ = Ipv6Header::decode(&buf);
            let _ = UdpHeader::decode(&buf);
            let _ = crate::flow::FlowKey::from_frame(&buf);
        }
    }

    #[test]
    fn length_limits() {
        let mut f = VxlanFrame {
            ethernet: None,
            ip: OuterIp::V6(Ipv6Header::new(
                core::net::Ipv6Addr::LOCALHOST,
                core::net::Ipv6Addr::LOCALHOST,
            )),
            udp: UdpHeader {
                src_port: 1,
                dst_port: 4789,
                checksum: UdpChecksum::Computed,
            },
            vxlan: VxlanHeader::new(Vni::MAX),
            inner: alloc::vec![0; 65535 - 16],
            trailer: Vec::new(),
        };
        assert_eq!(f.check_lengths(), Ok(()));
        f.inner.push(0);
        assert_eq!(
            f.try_encode(&mut Vec::new()),
            Err(Error::TooLarge {
                field: "IPv6 payload length",
                len: 65536,
                max: 65535
            })
        );
        f.inner.truncate(10);
        let mut small = [0u8; 10];
        assert_eq!(
            f.try_encode(&mut &mut small[..]),
            Err(Error::BufferTooSmall {
                needed: 40 + 26,
                available: 10
            })
        );
        assert_eq!(VxlanFrame::IPV4_MIN_OVERHEAD, 50);
        let _ = Ipv6ExtKind::Fragment;
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_json_round_trip() {
        use crate::ethernet::{VlanId, VlanTag};
        let f = VxlanFrame {
            ethernet: Some(OuterEthernet {
                dst: MacAddr6::new(0, 0x11, 0x22, 0x33, 0x44, 0x55),
                src: MacAddr6::new(0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb),
                vlans: Vlans::Single(VlanTag::new(VlanId::new(10).unwrap())),
            }),
            ip: OuterIp::V4(Ipv4Header::new([10, 0, 0, 1].into(), [10, 0, 0, 2].into())),
            udp: UdpHeader {
                src_port: 50000,
                dst_port: 4789,
                checksum: UdpChecksum::Zero,
            },
            vxlan: VxlanHeader::new(Vni::new(100).unwrap()),
            inner: alloc::vec![0xde, 0xad],
            trailer: Vec::new(),
        };
        let s = serde_json::to_string(&f).unwrap();
        assert!(s.contains(r#""inner":"dead""#), "{s}");
        assert!(s.contains(r#""dst":"00:11:22:33:44:55""#), "{s}");
        assert!(s.contains(r#""vni":100"#), "{s}");
        assert!(s.contains(r#""tpid":33024"#), "{s}");
        assert_eq!(serde_json::from_str::<VxlanFrame>(&s).unwrap(), f);
    }
}
