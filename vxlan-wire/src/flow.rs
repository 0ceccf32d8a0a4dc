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
//! must hash alike). The hash is a fixed 64-bit multiply-fold mix (wyhash style): deterministic across platforms, runs and versions of
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

/// The key in the integer form the hash consumes; both the frame parser
/// and [`FlowKey`] go through it, so [`source_port`] (which never builds a
/// `FlowKey`) and [`FlowKey::source_port`] agree by construction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct RawKey {
    /// dst MAC << 16 | EtherType.
    w0: u64,
    /// src MAC << 16 | 0x8000 | VID when tagged.
    w1: u64,
    /// family (0 none, 1 IPv4, 2 IPv6), high and low address words.
    src: (u64, u64, u64),
    dst: (u64, u64, u64),
    protocol: Option<u8>,
    ports: Option<(u16, u16)>,
}

/// Eight big-endian bytes of a 14-byte header starting at `at` (0 or 6).
#[inline(always)]
fn be64(h: &[u8; 14], at: usize) -> u64 {
    let mut w = [0u8; 8];
    if let Some(s) = h.get(at..at + 8) {
        w.copy_from_slice(s);
    }
    u64::from_be_bytes(w)
}

fn mac_word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    if let Some(src) = b.get(..6) {
        w[2..].copy_from_slice(src);
    }
    u64::from_be_bytes(w)
}

fn v6_words(b: &[u8]) -> (u64, u64, u64) {
    let mut hi = [0u8; 8];
    let mut lo = [0u8; 8];
    if let (Some(h), Some(l)) = (b.get(..8), b.get(8..16)) {
        hi.copy_from_slice(h);
        lo.copy_from_slice(l);
    }
    (2, u64::from_be_bytes(hi), u64::from_be_bytes(lo))
}

impl RawKey {
    #[inline]
    fn parse(frame: &[u8]) -> RawKey {
        let eth: [u8; 14] = match frame.first_chunk::<14>() {
            Some(h) => *h,
            None => {
                let mut e = [0u8; 14];
                for (d, s) in e.iter_mut().zip(frame) {
                    *d = *s;
                }
                e
            }
        };
        let mut ethertype = u16::from_be_bytes([eth[12], eth[13]]);
        let mut key = RawKey {
            w0: be64(&eth, 0) & !0xFFFF,
            w1: be64(&eth, 6) & !0xFFFF,
            ..RawKey::default()
        };
        let mut l3 = 14;
        for i in 0..2 {
            if !EtherType(ethertype).is_vlan_tpid() || frame.len() < l3 + 4 {
                break;
            }
            if i == 0 {
                key.w1 |= 0x8000 | u64::from(rd::be16(frame, l3) & 0xFFF);
            }
            ethertype = rd::be16(frame, l3 + 2);
            l3 += 4;
        }
        key.w0 |= u64::from(ethertype);
        let Some(ip) = frame.get(l3..) else {
            return key;
        };
        let l4 = match EtherType(ethertype) {
            EtherType::IPV4 => key.ipv4(ip),
            EtherType::IPV6 => key.ipv6(ip),
            _ => None,
        };
        if let (Some(l4), Some(p)) = (l4, key.protocol)
            && has_ports(p)
            && let Some(&[a, b, c, d]) = ip.get(l4..l4 + 4)
        {
            key.ports = Some((u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d])));
        }
        key
    }

    /// Fills IPv4 fields; returns the L4 offset when ports may be read.
    #[inline]
    fn ipv4(&mut self, ip: &[u8]) -> Option<usize> {
        let h: &[u8; 20] = ip.first_chunk()?;
        if h[0] >> 4 != 4 || h[0] & 0xF < 5 {
            return None;
        }
        self.src = (
            1,
            u64::from(u32::from_be_bytes([h[12], h[13], h[14], h[15]])),
            0,
        );
        self.dst = (
            1,
            u64::from(u32::from_be_bytes([h[16], h[17], h[18], h[19]])),
            0,
        );
        self.protocol = Some(h[9]);
        let fragmented = u16::from_be_bytes([h[6], h[7]]) & 0x3FFF != 0;
        (!fragmented).then_some(usize::from(h[0] & 0xF) * 4)
    }

    /// Fills IPv6 fields; returns the L4 offset when ports may be read.
    fn ipv6(&mut self, ip: &[u8]) -> Option<usize> {
        let h: &[u8; 40] = ip.first_chunk()?;
        if h[0] >> 4 != 6 {
            return None;
        }
        self.src = v6_words(&h[8..24]);
        self.dst = v6_words(&h[24..40]);
        let mut next = h[6];
        let mut pos = 40;
        // Bounded walk: at most 8 extension headers.
        for _ in 0..8 {
            let Some(kind) = Ipv6ExtKind::from_next_header(next) else {
                break;
            };
            if ip.len() < pos + 8 {
                self.protocol = Some(next);
                return None;
            }
            let len_byte = usize::from(rd::byte(ip, pos + 1));
            let len = match kind {
                Ipv6ExtKind::Fragment => {
                    self.protocol = Some(rd::byte(ip, pos));
                    return None;
                }
                Ipv6ExtKind::Authentication => (len_byte + 2) * 4,
                _ => (len_byte + 1) * 8,
            };
            next = rd::byte(ip, pos);
            pos += len;
        }
        self.protocol = Some(next);
        Some(pos)
    }

    /// wyhash-style mix: 64x64->128 multiplies folded by xor; the first
    /// three products are independent, so they pipeline.
    #[inline]
    fn hash(&self) -> u32 {
        const S: [u64; 8] = [
            0xa076_1d64_78bd_642f,
            0xe703_7ed1_a0b4_28db,
            0x8ebc_6af0_9c88_c6e3,
            0x5899_65cc_7537_4cc3,
            0x1d8e_4e27_c47d_124f,
            0x9e37_79b9_7f4a_7c15,
            0xbf58_476d_1ce4_e5b9,
            0x94d0_49bb_1331_11eb,
        ];
        #[inline(always)]
        fn mum(a: u64, b: u64) -> u64 {
            let r = u128::from(a) * u128::from(b);
            (r as u64) ^ ((r >> 64) as u64)
        }
        let last = (self.src.0 << 60)
            | (self.dst.0 << 58)
            | self
                .protocol
                .map_or(0, |p| (1 << 48) | (u64::from(p) << 40))
            | self
                .ports
                .map_or(0, |(s, d)| (1 << 32) | (u64::from(s) << 16) | u64::from(d));
        let h = mum(self.w0 ^ S[0], self.w1 ^ S[1])
            ^ mum(self.src.1 ^ S[2], self.src.2 ^ S[3])
            ^ mum(self.dst.1 ^ S[4], self.dst.2 ^ S[5]);
        let h = mum(h ^ S[6], last ^ S[7]);
        (h ^ (h >> 32)) as u32
    }
}

fn words_to_ip(w: (u64, u64, u64)) -> Option<IpAddr> {
    match w.0 {
        1 => Some(IpAddr::V4(Ipv4Addr::from(w.1 as u32))),
        2 => Some(IpAddr::V6(Ipv6Addr::from(
            (u128::from(w.1) << 64) | u128::from(w.2),
        ))),
        _ => None,
    }
}

fn ip_to_words(a: Option<IpAddr>) -> (u64, u64, u64) {
    match a {
        None => (0, 0, 0),
        Some(IpAddr::V4(v)) => (1, u64::from(u32::from(v)), 0),
        Some(IpAddr::V6(v)) => {
            let x = u128::from(v);
            (2, (x >> 64) as u64, x as u64)
        }
    }
}

fn word_to_mac(w: u64) -> MacAddr6 {
    let b = w.to_be_bytes();
    MacAddr6::new(b[0], b[1], b[2], b[3], b[4], b[5])
}

impl FlowKey {
    /// Extracts the key from an inner Ethernet frame. Never fails: missing or
    /// malformed layers leave their fields `None` (a frame shorter than 14
    /// bytes reads missing MAC/EtherType bytes as zero).
    pub fn from_frame(frame: &[u8]) -> FlowKey {
        let r = RawKey::parse(frame);
        FlowKey {
            dst_mac: word_to_mac(r.w0),
            src_mac: word_to_mac(r.w1),
            vlan: (r.w1 & 0x8000 != 0)
                .then(|| VlanId::new((r.w1 & 0xFFF) as u16).unwrap_or_default()),
            ethertype: EtherType(r.w0 as u16),
            src_ip: words_to_ip(r.src),
            dst_ip: words_to_ip(r.dst),
            protocol: r.protocol,
            src_port: r.ports.map(|p| p.0),
            dst_port: r.ports.map(|p| p.1),
        }
    }

    fn raw(&self) -> RawKey {
        let mac = |m: MacAddr6| mac_word(&m.into_array());
        RawKey {
            w0: (mac(self.dst_mac) << 16) | u64::from(self.ethertype.0),
            w1: (mac(self.src_mac) << 16) | self.vlan.map_or(0, |v| 0x8000 | u64::from(v.get())),
            src: ip_to_words(self.src_ip),
            dst: ip_to_words(self.dst_ip),
            protocol: self.protocol,
            ports: match (self.src_port, self.dst_port) {
                (Some(s), Some(d)) => Some((s, d)),
                (Some(s), None) => Some((s, 0)),
                (None, Some(d)) => Some((0, d)),
                (None, None) => None,
            },
        }
    }

    /// The deterministic 32-bit hash of the key.
    pub fn hash(&self) -> u32 {
        self.raw().hash()
    }

    /// The UDP source port for this flow, in 49152..=65535.
    pub fn source_port(&self) -> u16 {
        port_of(self.raw().hash())
    }
}

#[inline]
fn port_of(hash: u32) -> u16 {
    SOURCE_PORT_MIN | (hash as u16 & 0x3FFF)
}

/// The UDP source port for an inner Ethernet frame (RFC 7348 section 5):
/// equal to `FlowKey::from_frame(inner).source_port()`, without building
/// the key. Untagged or single-tagged IPv4 (no options) and IPv6 (no
/// extension headers) frames are read at fixed offsets; anything else takes
/// the general parse behind [`FlowKey::from_frame`].
#[inline]
pub fn source_port(inner: &[u8]) -> u16 {
    match RawKey::fast(inner) {
        Some(k) => port_of(k.hash()),
        None => source_port_general(inner),
    }
}

/// The general parse, out of line so that the fast path stays small where
/// it is inlined (in `encapsulate`).
#[inline(never)]
fn source_port_general(inner: &[u8]) -> u16 {
    port_of(RawKey::parse(inner).hash())
}

impl RawKey {
    /// The key of the common frames at fixed offsets: at most one VLAN tag,
    /// then IPv4 with IHL 5 or IPv6 whose Next Header is not an extension
    /// header, with the whole L3 header (and the ports, if the protocol has
    /// them and the packet is not a fragment) present. `None` for anything
    /// else; when `Some`, equal to [`RawKey::parse`] (tested).
    #[inline(always)]
    fn fast(frame: &[u8]) -> Option<RawKey> {
        let eth: &[u8; 18] = frame.first_chunk()?;
        let be16 = |i: usize| u64::from(u16::from_be_bytes([eth[i], eth[i + 1]]));
        let head = u64::from_be_bytes([
            eth[0], eth[1], eth[2], eth[3], eth[4], eth[5], eth[6], eth[7],
        ]);
        let src = u64::from_be_bytes([eth[6], eth[7], eth[8], eth[9], eth[10], eth[11], 0, 0]);
        let mut ethertype = be16(12);
        let (w1, l3) = if EtherType(ethertype as u16).is_vlan_tpid() {
            ethertype = be16(16);
            if EtherType(ethertype as u16).is_vlan_tpid() {
                return None;
            }
            (src | 0x8000 | (be16(14) & 0xFFF), 18)
        } else {
            (src, 14)
        };
        let ip = frame.get(l3..)?;
        let mut key = RawKey {
            w0: (head & !0xFFFF) | ethertype,
            w1,
            ..RawKey::default()
        };
        let (protocol, l4) = match ethertype {
            0x0800 => {
                let h: &[u8; 20] = ip.first_chunk()?;
                if h[0] != 0x45 {
                    return None;
                }
                let addrs =
                    u64::from_be_bytes([h[12], h[13], h[14], h[15], h[16], h[17], h[18], h[19]]);
                key.src = (1, addrs >> 32, 0);
                key.dst = (1, addrs & 0xFFFF_FFFF, 0);
                let fragmented = u16::from_be_bytes([h[6], h[7]]) & 0x3FFF != 0;
                (h[9], (!fragmented).then_some(20))
            }
            0x86DD => {
                let h: &[u8; 40] = ip.first_chunk()?;
                let next = h[6];
                if h[0] >> 4 != 6 || Ipv6ExtKind::from_next_header(next).is_some() {
                    return None;
                }
                let w = |i: usize| {
                    u64::from_be_bytes([
                        h[i],
                        h[i + 1],
                        h[i + 2],
                        h[i + 3],
                        h[i + 4],
                        h[i + 5],
                        h[i + 6],
                        h[i + 7],
                    ])
                };
                key.src = (2, w(8), w(16));
                key.dst = (2, w(24), w(32));
                (next, Some(40))
            }
            _ => return None,
        };
        key.protocol = Some(protocol);
        if let Some(l4) = l4
            && has_ports(protocol)
        {
            let p: &[u8; 4] = ip.get(l4..)?.first_chunk()?;
            key.ports = Some((
                u16::from_be_bytes([p[0], p[1]]),
                u16::from_be_bytes([p[2], p[3]]),
            ));
        }
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    const PINNED_HASH: u32 = 2_203_805_285;
    const PINNED_EMPTY: u16 = 63607;

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
        // Pinned so that a change of the hash is a visible, deliberate act
        // (the port a flow takes through the underlay would change).
        let k = FlowKey::from_frame(&ipv4_tcp(1234, 80, 0x4000));
        assert_eq!(k.hash(), PINNED_HASH);
        assert_eq!(
            source_port(&ipv4_tcp(1234, 80, 0x4000)),
            SOURCE_PORT_MIN | (PINNED_HASH as u16 & 0x3FFF)
        );
        assert_eq!(source_port(&[]), PINNED_EMPTY);
    }

    #[test]
    fn key_and_frame_agree() {
        let frames = [
            ipv4_tcp(1, 2, 0),
            ipv4_tcp(1, 2, 0x2000),
            eth(0x86DD),
            eth(0x8100),
            Vec::new(),
        ];
        for f in &frames {
            let k = FlowKey::from_frame(f);
            assert_eq!(k.raw(), RawKey::parse(f));
            assert_eq!(k.source_port(), source_port(f));
        }
    }

    #[test]
    fn fast_key_covers_common_frames() {
        // Untagged and tagged IPv4 TCP, fragments, IPv6 UDP: fixed offsets,
        // and the same key as the general parse.
        let mut tagged = ipv4_tcp(1, 2, 0);
        tagged.splice(12..12, [0x81, 0x00, 0x20, 0x64]);
        let mut v6 = eth(0x86DD);
        v6.extend_from_slice(&[0x60, 0, 0, 0, 0, 8, 17, 64]);
        v6.extend((0u8..32).map(|i| i * 7));
        v6.extend_from_slice(&[0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0]);
        let mut icmp = ipv4_tcp(1, 2, 0);
        icmp[23] = 1;
        let frames = [ipv4_tcp(1, 2, 0), ipv4_tcp(1, 2, 0x2000), tagged, v6, icmp];
        for f in &frames {
            let k = RawKey::fast(f).expect("fast path");
            assert_eq!(k, RawKey::parse(f));
            assert_eq!(FlowKey::from_frame(f).source_port(), source_port(f));
        }
        assert_eq!(RawKey::fast(&frames[3]).unwrap().ports, Some((12345, 53)));
        assert_eq!(RawKey::fast(&frames[4]).unwrap().ports, None);
        // Left to the general parse: options, extension headers, QinQ, ARP.
        let mut opts = ipv4_tcp(1, 2, 0);
        opts[14] = 0x46;
        let mut ext = frames[3].clone();
        ext[20] = 0;
        let mut qinq = frames[2].clone();
        qinq.splice(12..12, [0x88, 0xa8, 0x00, 0x01]);
        for f in [opts, ext, qinq, eth(0x0806)] {
            assert_eq!(RawKey::fast(&f), None);
        }
    }

    /// Frames shaped like the fast path's input, with the fields it looks
    /// at drawn from values on both sides of each of its checks.
    fn arb_flow_frame() -> impl Strategy<Value = Vec<u8>> {
        let tpid = prop::sample::select(alloc::vec![0x8100u16, 0x88a8, 0x9100, 0x0800, 0x86dd]);
        (
            any::<[u8; 12]>(),
            prop::option::of((tpid.clone(), any::<u16>())),
            prop::option::of((tpid, any::<u16>())),
            prop::sample::select(alloc::vec![0x0800u16, 0x86dd, 0x0806, 0x8100]),
            prop::sample::select(alloc::vec![0x45u8, 0x46, 0x44, 0x55, 0x60, 0x6f, 0x40]),
            prop::sample::select(alloc::vec![6u8, 17, 132, 136, 1, 0, 43, 44, 51, 59, 60]),
            prop::sample::select(alloc::vec![0u16, 0x4000, 0x2000, 0x0001, 0x1fff]),
            any::<[u8; 64]>(),
            any::<prop::sample::Index>(),
            any::<bool>(),
        )
            .prop_map(
                |(macs, tag1, tag2, et, b0, proto, frag, rest, cut, do_cut)| {
                    let mut f = macs.to_vec();
                    for (tpid, tci) in [tag1, tag2].into_iter().flatten() {
                        f.extend_from_slice(&tpid.to_be_bytes());
                        f.extend_from_slice(&tci.to_be_bytes());
                    }
                    f.extend_from_slice(&et.to_be_bytes());
                    let l3 = f.len();
                    f.extend_from_slice(&rest);
                    f[l3] = b0;
                    if et == 0x86dd {
                        f[l3 + 6] = proto;
                    } else {
                        f[l3 + 6..l3 + 8].copy_from_slice(&frag.to_be_bytes());
                        f[l3 + 9] = proto;
                    }
                    if do_cut {
                        f.truncate(cut.index(f.len() + 1));
                    }
                    f
                },
            )
    }

    proptest! {
        #[test]
        fn port_in_range_and_deterministic(f in prop::collection::vec(any::<u8>(), 0..120)) {
            let p = source_port(&f);
            prop_assert_eq!(FlowKey::from_frame(&f).raw(), RawKey::parse(&f));
            prop_assert_eq!(FlowKey::from_frame(&f).source_port(), p);
            prop_assert!(p >= SOURCE_PORT_MIN);
            prop_assert_eq!(p, source_port(&f.clone()));
        }

        #[test]
        fn fast_key_agrees_with_parse(f in arb_flow_frame()) {
            if let Some(k) = RawKey::fast(&f) {
                prop_assert_eq!(k, RawKey::parse(&f));
            }
            prop_assert_eq!(FlowKey::from_frame(&f).source_port(), source_port(&f));
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
