//! Frames and decoders for the VXLAN benches.
//!
//! Every decoder returns a [`Summary`] of the same fields: the VNI, the outer
//! source/destination IP addresses and UDP ports, the inner destination and
//! source MAC addresses, and the inner frame length. The benches time the
//! decoders on the same bytes, so their ratios compare like with like.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use etherparse::{
    EtherType, Ethernet2Header, IpNumber, Ipv4Header, LinkSlice, NetSlice, PacketBuilder,
    SlicedPacket, TransportSlice, UdpHeader,
};
use vxlan_wire::{Decap, DecapConfig, EncapParams, EthernetHeader, Vni, decapsulate};

/// The IANA VXLAN UDP port.
pub const VXLAN_PORT: u16 = 4789;
/// The VNI every bench frame carries.
pub const BENCH_VNI: u32 = 0x00ab_cdef;
/// Outer source MAC of the bench frames.
pub const OUTER_SRC_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
/// Outer destination MAC of the bench frames.
pub const OUTER_DST_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
/// Inner source MAC of the bench frames (the VM).
pub const INNER_SRC_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
/// Inner destination MAC of the bench frames (its peer).
pub const INNER_DST_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x65, 0x43, 0x21];
/// Outer IPv4 source (local VTEP).
pub const VTEP4_SRC: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
/// Outer IPv4 destination (remote VTEP).
pub const VTEP4_DST: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 7);
/// Outer IPv6 source (local VTEP).
pub const VTEP6_SRC: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1);
/// Outer IPv6 destination (remote VTEP).
pub const VTEP6_DST: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0, 2, 0, 0, 0, 7);

/// The fields every decoder extracts from an outer VXLAN frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// The 24-bit VXLAN Network Identifier.
    pub vni: u32,
    /// Outer IP source address.
    pub outer_src: IpAddr,
    /// Outer IP destination address.
    pub outer_dst: IpAddr,
    /// Outer UDP source port (the entropy hash).
    pub src_port: u16,
    /// Outer UDP destination port.
    pub dst_port: u16,
    /// Inner Ethernet destination MAC.
    pub inner_dst: [u8; 6],
    /// Inner Ethernet source MAC.
    pub inner_src: [u8; 6],
    /// Length of the inner Ethernet frame in bytes.
    pub inner_len: usize,
}

/// Builds an inner Ethernet II / IPv4 / UDP frame of exactly `len` bytes
/// (at least 42), VM to peer, with a patterned payload and a valid UDP
/// checksum, so that every decoder can parse it down to UDP.
pub fn inner_frame(len: usize) -> Vec<u8> {
    const HEADERS: usize = 14 + 20 + 8;
    assert!(len >= HEADERS, "inner frame needs at least {HEADERS} bytes");
    let payload: Vec<u8> = (0..len - HEADERS).map(|i| (i % 251) as u8).collect();
    let builder = PacketBuilder::ethernet2(INNER_SRC_MAC, INNER_DST_MAC)
        .ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .udp(40000, 5001);
    let mut frame = Vec::with_capacity(len);
    builder
        .write(&mut frame, &payload)
        .expect("writing into a Vec cannot fail");
    debug_assert_eq!(frame.len(), len);
    frame
}

/// The encapsulation parameters of the bench frames: IPv4 or IPv6 underlay,
/// VNI [`BENCH_VNI`], port 4789, source port hashed from the inner frame.
pub fn encap_params(ipv6: bool) -> EncapParams {
    let (src, dst) = if ipv6 {
        (IpAddr::V6(VTEP6_SRC), IpAddr::V6(VTEP6_DST))
    } else {
        (IpAddr::V4(VTEP4_SRC), IpAddr::V4(VTEP4_DST))
    };
    let vni = Vni::new(BENCH_VNI).expect("BENCH_VNI fits in 24 bits");
    EncapParams::new(OUTER_SRC_MAC.into(), OUTER_DST_MAC.into(), src, dst, vni)
}

/// A whole outer frame around [`inner_frame`]`(inner_len)`, built with
/// `vxlan_wire::encapsulate`.
pub fn outer_frame(inner_len: usize, ipv6: bool) -> Vec<u8> {
    let inner = inner_frame(inner_len);
    let params = encap_params(ipv6);
    let mut frame = Vec::with_capacity(params.encoded_len(inner.len()));
    vxlan_wire::encapsulate(&inner, &params, &mut frame).expect("bench parameters are valid");
    frame
}

/// Decodes with `vxlan-wire`: `decapsulate` on the outer frame, then the
/// inner MACs with `Decapsulated::inner_dst_mac`/`inner_src_mac` (fixed
/// offsets in the inner frame; `None` if it is shorter than 12 bytes).
#[inline]
pub fn decode_vxlan_wire(frame: &[u8], cfg: &DecapConfig) -> Option<Summary> {
    let Decap::Vxlan(d) = decapsulate(frame, cfg).ok()? else {
        return None;
    };
    Some(Summary {
        vni: d.vni().get(),
        outer_src: d.outer_src_ip(),
        outer_dst: d.outer_dst_ip(),
        src_port: d.udp_src_port(),
        dst_port: d.udp_dst_port(),
        inner_dst: d.inner_dst_mac()?.into_array(),
        inner_src: d.inner_src_mac()?.into_array(),
        inner_len: d.inner().len(),
    })
}

/// The previous form of [`decode_vxlan_wire`], kept for attribution: the
/// inner MACs through `EthernetHeader::decode`, which also walks VLAN tags
/// and builds the whole header.
#[inline]
pub fn decode_vxlan_wire_ethernet_header(frame: &[u8], cfg: &DecapConfig) -> Option<Summary> {
    let Decap::Vxlan(d) = decapsulate(frame, cfg).ok()? else {
        return None;
    };
    let inner = d.inner();
    let (eth, _) = EthernetHeader::decode(inner).ok()?;
    Some(Summary {
        vni: d.vni().get(),
        outer_src: d.outer_src_ip(),
        outer_dst: d.outer_dst_ip(),
        src_port: d.udp_src_port(),
        dst_port: d.udp_dst_port(),
        inner_dst: eth.dst.into_array(),
        inner_src: eth.src.into_array(),
        inner_len: inner.len(),
    })
}

/// Encapsulates over IPv4 with `etherparse`'s header types (Ethernet II,
/// IPv4 with its header checksum, UDP with checksum 0) and a hand-written
/// VXLAN header, using the given UDP source port: the peer of
/// `vxlan_wire::encapsulate` with a fixed source port.
pub fn encap_etherparse_ipv4(inner: &[u8], src_port: u16, out: &mut Vec<u8>) -> Option<usize> {
    let start = out.len();
    let udp_len = u16::try_from(8 + 8 + inner.len()).ok()?;
    Ethernet2Header {
        source: OUTER_SRC_MAC,
        destination: OUTER_DST_MAC,
        ether_type: EtherType::IPV4,
    }
    .write(out)
    .ok()?;
    Ipv4Header::new(
        udp_len,
        64,
        IpNumber::UDP,
        VTEP4_SRC.octets(),
        VTEP4_DST.octets(),
    )
    .ok()?
    .write(out)
    .ok()?;
    UdpHeader {
        source_port: src_port,
        destination_port: VXLAN_PORT,
        length: udp_len,
        checksum: 0,
    }
    .write(out)
    .ok()?;
    let vni = BENCH_VNI.to_be_bytes();
    out.extend_from_slice(&[0x08, 0, 0, 0, vni[1], vni[2], vni[3], 0]);
    out.extend_from_slice(inner);
    Some(out.len() - start)
}

/// Decodes with `etherparse`: `SlicedPacket::from_ethernet` on the outer
/// frame, the VXLAN header read by hand from the UDP payload (etherparse has
/// no VXLAN support), then `SlicedPacket::from_ethernet` on the inner frame.
pub fn decode_etherparse(frame: &[u8]) -> Option<Summary> {
    let outer = SlicedPacket::from_ethernet(frame).ok()?;
    let (outer_src, outer_dst) = match outer.net.as_ref()? {
        NetSlice::Ipv4(v4) => (
            IpAddr::V4(v4.header().source_addr()),
            IpAddr::V4(v4.header().destination_addr()),
        ),
        NetSlice::Ipv6(v6) => (
            IpAddr::V6(v6.header().source_addr()),
            IpAddr::V6(v6.header().destination_addr()),
        ),
        NetSlice::Arp(_) => return None,
    };
    let Some(TransportSlice::Udp(udp)) = outer.transport.as_ref() else {
        return None;
    };
    if udp.destination_port() != VXLAN_PORT {
        return None;
    }
    let payload = udp.payload();
    let vxlan = payload.get(..8)?;
    if vxlan[0] & 0x08 == 0 {
        return None;
    }
    let vni = u32::from_be_bytes([0, vxlan[4], vxlan[5], vxlan[6]]);
    let inner_bytes = &payload[8..];
    let inner = SlicedPacket::from_ethernet(inner_bytes).ok()?;
    let Some(LinkSlice::Ethernet2(eth)) = inner.link.as_ref() else {
        return None;
    };
    Some(Summary {
        vni,
        outer_src,
        outer_dst,
        src_port: udp.source_port(),
        dst_port: udp.destination_port(),
        inner_dst: eth.destination(),
        inner_src: eth.source(),
        inner_len: inner_bytes.len(),
    })
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn mac(b: &[u8], at: usize) -> Option<[u8; 6]> {
    b.get(at..at + 6)?.try_into().ok()
}

/// The floor: a bounds-checked fixed-offset decoder with no VLAN, IPv4
/// options or extension-header support and no validation beyond what is
/// needed to find the fields (IP version, protocol, port, I flag).
pub fn decode_fixed_offset(frame: &[u8]) -> Option<Summary> {
    let (outer_src, outer_dst, udp) = match be16(frame, 12)? {
        0x0800 => {
            let ip = frame.get(14..34)?;
            if ip[0] != 0x45 || ip[9] != 17 {
                return None;
            }
            let src: [u8; 4] = ip[12..16].try_into().ok()?;
            let dst: [u8; 4] = ip[16..20].try_into().ok()?;
            (IpAddr::from(src), IpAddr::from(dst), 34)
        }
        0x86dd => {
            let ip = frame.get(14..54)?;
            if ip[0] >> 4 != 6 || ip[6] != 17 {
                return None;
            }
            let src: [u8; 16] = ip[8..24].try_into().ok()?;
            let dst: [u8; 16] = ip[24..40].try_into().ok()?;
            (IpAddr::from(src), IpAddr::from(dst), 54)
        }
        _ => return None,
    };
    let dst_port = be16(frame, udp + 2)?;
    if dst_port != VXLAN_PORT {
        return None;
    }
    let vxlan = frame.get(udp + 8..udp + 16)?;
    if vxlan[0] & 0x08 == 0 {
        return None;
    }
    let inner = frame.get(udp + 16..)?;
    Some(Summary {
        vni: u32::from_be_bytes([0, vxlan[4], vxlan[5], vxlan[6]]),
        outer_src,
        outer_dst,
        src_port: be16(frame, udp)?,
        dst_port,
        inner_dst: mac(inner, 0)?,
        inner_src: mac(inner, 6)?,
        inner_len: inner.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(inner_len: usize, ipv6: bool, src_port: u16) -> Summary {
        let (outer_src, outer_dst) = if ipv6 {
            (IpAddr::V6(VTEP6_SRC), IpAddr::V6(VTEP6_DST))
        } else {
            (IpAddr::V4(VTEP4_SRC), IpAddr::V4(VTEP4_DST))
        };
        Summary {
            vni: BENCH_VNI,
            outer_src,
            outer_dst,
            src_port,
            dst_port: VXLAN_PORT,
            inner_dst: INNER_DST_MAC,
            inner_src: INNER_SRC_MAC,
            inner_len,
        }
    }

    #[test]
    fn inner_frame_has_the_requested_length_and_parses() {
        for len in [42, 64, 1500] {
            let f = inner_frame(len);
            assert_eq!(f.len(), len);
            let p = SlicedPacket::from_ethernet(&f).unwrap();
            assert!(matches!(p.transport, Some(TransportSlice::Udp(_))));
        }
    }

    #[test]
    fn the_three_decoders_agree() {
        let cfg = DecapConfig::default();
        for ipv6 in [false, true] {
            for len in [64, 1500] {
                let frame = outer_frame(len, ipv6);
                let port = vxlan_wire::source_port(&inner_frame(len));
                let want = expected(len, ipv6, port);
                assert_eq!(
                    decode_vxlan_wire(&frame, &cfg),
                    Some(want),
                    "ours {ipv6} {len}"
                );
                assert_eq!(
                    decode_vxlan_wire_ethernet_header(&frame, &cfg),
                    Some(want),
                    "ours, EthernetHeader {ipv6} {len}"
                );
                assert_eq!(
                    decode_etherparse(&frame),
                    Some(want),
                    "etherparse {ipv6} {len}"
                );
                assert_eq!(
                    decode_fixed_offset(&frame),
                    Some(want),
                    "fixed {ipv6} {len}"
                );
            }
        }
    }

    #[test]
    fn the_decoders_reject_what_is_not_vxlan() {
        let cfg = DecapConfig::default();
        let mut frame = outer_frame(64, false);
        // UDP destination port 4789 -> 4788.
        frame[37] = 0xb4;
        assert_eq!(decode_vxlan_wire(&frame, &cfg), None);
        assert_eq!(decode_vxlan_wire_ethernet_header(&frame, &cfg), None);
        assert_eq!(decode_etherparse(&frame), None);
        assert_eq!(decode_fixed_offset(&frame), None);
        // Truncated inside the UDP header.
        let frame = outer_frame(64, false);
        for cut in [0, 13, 33, 40] {
            assert_eq!(decode_vxlan_wire(&frame[..cut], &cfg), None, "cut {cut}");
            assert_eq!(
                decode_vxlan_wire_ethernet_header(&frame[..cut], &cfg),
                None,
                "cut {cut}"
            );
            assert_eq!(decode_etherparse(&frame[..cut]), None, "cut {cut}");
            assert_eq!(decode_fixed_offset(&frame[..cut]), None, "cut {cut}");
        }
    }

    #[test]
    fn etherparse_encap_matches_vxlan_wire_encap_byte_for_byte() {
        for len in [64, 1500] {
            let inner = inner_frame(len);
            let mut params = encap_params(false);
            params.src_port = Some(50_000);
            let mut ours = Vec::new();
            let n = vxlan_wire::encapsulate(&inner, &params, &mut ours).unwrap();
            let mut theirs = Vec::new();
            let m = encap_etherparse_ipv4(&inner, 50_000, &mut theirs).unwrap();
            assert_eq!((n, m), (ours.len(), theirs.len()));
            assert_eq!(ours, theirs);
        }
    }
}
