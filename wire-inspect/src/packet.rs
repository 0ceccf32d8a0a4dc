//! From a captured frame to addresses, ports and transport payload.
//!
//! Link-layer, IP, TCP and UDP headers are sliced with [`etherparse`].
//! Supported link types: Ethernet (1), Linux cooked SLL (113) and SLL2 (276),
//! BSD loopback NULL (0, host byte order) and LOOP (108, network byte order),
//! raw IP (101, and 228/229 for IPv4/IPv6 only).

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use etherparse::{EtherType, LaxSlicedPacket, NetSlice, SlicedPacket, TransportSlice};

/// A link type this tool can slice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkType {
    /// `LINKTYPE_ETHERNET` (1): Ethernet II, VLAN tags allowed.
    Ethernet,
    /// `LINKTYPE_LINUX_SLL` (113): 16-byte Linux cooked header.
    LinuxSll,
    /// `LINKTYPE_LINUX_SLL2` (276): 20-byte Linux cooked header v2.
    LinuxSll2,
    /// `LINKTYPE_NULL` (0): 4-byte address family in the capturing host's byte order.
    Null,
    /// `LINKTYPE_LOOP` (108): 4-byte address family in network byte order.
    Loop,
    /// `LINKTYPE_RAW` (101), `LINKTYPE_IPV4` (228), `LINKTYPE_IPV6` (229): no link header.
    RawIp,
}

impl LinkType {
    /// Maps a `LINKTYPE_*` number to a supported link type.
    pub fn from_linktype(value: i32) -> Option<LinkType> {
        Some(match value {
            1 => LinkType::Ethernet,
            113 => LinkType::LinuxSll,
            276 => LinkType::LinuxSll2,
            0 => LinkType::Null,
            108 => LinkType::Loop,
            101 | 228 | 229 => LinkType::RawIp,
            _ => return None,
        })
    }
}

/// A transport-level view of one frame.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    /// Source IP address (outermost IP header).
    pub src: IpAddr,
    /// Destination IP address (outermost IP header).
    pub dst: IpAddr,
    /// The bytes from the start of the IP header to the end of the captured
    /// frame (what `vxlan_wire::decapsulate_ip` gets for non-Ethernet links).
    pub ip_packet: &'a [u8],
    /// TCP or UDP header fields and payload.
    pub transport: Transport<'a>,
}

/// The transport layer of a [`Packet`].
#[derive(Clone, Copy, Debug)]
pub enum Transport<'a> {
    /// A TCP segment.
    Tcp(TcpSegment<'a>),
    /// A UDP datagram.
    Udp {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
}

/// The parts of a TCP segment that stream reassembly needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpSegment<'a> {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Sequence number.
    pub seq: u32,
    /// SYN flag.
    pub syn: bool,
    /// FIN flag.
    pub fin: bool,
    /// RST flag.
    pub rst: bool,
    /// Segment payload.
    pub payload: &'a [u8],
}

/// A transport flow seen in one direction: `src ip:port -> dst ip:port`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flow {
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
}

impl Flow {
    /// The same flow seen from the other end.
    pub fn reverse(self) -> Flow {
        Flow {
            src: self.dst,
            dst: self.src,
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.src, self.dst)
    }
}

impl Packet<'_> {
    /// The flow of this packet, from its addresses and ports.
    pub fn flow(&self) -> Flow {
        let (sp, dp) = match self.transport {
            Transport::Tcp(t) => (t.src_port, t.dst_port),
            Transport::Udp { src_port, dst_port } => (src_port, dst_port),
        };
        Flow {
            src: SocketAddr::new(self.src, sp),
            dst: SocketAddr::new(self.dst, dp),
        }
    }
}

/// What slicing a frame gave.
#[derive(Clone, Debug)]
pub enum Sliced<'a> {
    /// An IPv4/IPv6 packet with TCP or UDP inside.
    Packet(Packet<'a>),
    /// Something else (ARP, ICMP, a non-first IP fragment, an unsupported
    /// link type...): nothing for this tool.
    Ignored,
    /// The headers are cut short or invalid. `flow` is what could still be
    /// read (with lenient slicing), so a frame on a port of interest can be
    /// reported; `text` says what is wrong.
    Broken {
        /// The flow, if the IP and transport ports could be read.
        flow: Option<(Flow, bool)>,
        /// Where the IP packet starts in the frame, if known.
        ip_offset: Option<usize>,
        /// Description of the problem (etherparse's error text).
        text: String,
    },
}

/// Number of bytes in front of the IP header for link types with a fixed
/// header, and the header itself checked; `None` if the frame carries no IP.
fn fixed_link_header(link: LinkType, data: &[u8]) -> Option<usize> {
    match link {
        LinkType::RawIp => Some(0),
        LinkType::Null | LinkType::Loop => {
            let raw: [u8; 4] = data.get(..4)?.try_into().ok()?;
            let family = if link == LinkType::Loop {
                u32::from_be_bytes(raw)
            } else {
                // Host byte order of the capturing machine: accept either.
                let le = u32::from_le_bytes(raw);
                if le < 256 {
                    le
                } else {
                    u32::from_be_bytes(raw)
                }
            };
            // AF_INET, and AF_INET6 as numbered by the BSDs, Darwin and Linux.
            matches!(family, 2 | 10 | 24 | 28 | 30).then_some(4)
        }
        LinkType::LinuxSll2 => {
            let proto = u16::from_be_bytes(data.get(..2)?.try_into().ok()?);
            (proto == 0x0800 || proto == 0x86dd).then_some(20)
        }
        LinkType::LinuxSll => {
            let proto = u16::from_be_bytes(data.get(14..16)?.try_into().ok()?);
            (proto == 0x0800 || proto == 0x86dd).then_some(16)
        }
        LinkType::Ethernet => None,
    }
}

/// Slices one frame of the given link type.
pub fn slice(link: LinkType, data: &[u8]) -> Sliced<'_> {
    let strict = match link {
        LinkType::Ethernet => SlicedPacket::from_ethernet(data),
        LinkType::LinuxSll => SlicedPacket::from_linux_sll(data),
        LinkType::LinuxSll2 => {
            if data.len() < 20 {
                return Sliced::Broken {
                    flow: None,
                    ip_offset: None,
                    text: "frame shorter than the 20-byte SLL2 header".into(),
                };
            }
            let proto = u16::from_be_bytes([data[0], data[1]]);
            SlicedPacket::from_ether_type(EtherType(proto), &data[20..])
        }
        LinkType::Null | LinkType::Loop => match fixed_link_header(link, data) {
            Some(n) => SlicedPacket::from_ip(&data[n..]),
            None => return Sliced::Ignored,
        },
        LinkType::RawIp => SlicedPacket::from_ip(data),
    };
    match strict {
        Ok(p) => from_sliced(link, data, &p),
        Err(e) => broken(link, data, e.to_string()),
    }
}

/// The IP packet's offset in `data` for Ethernet frames (after VLAN tags).
fn ethernet_ip_offset(data: &[u8], ip_len: usize) -> usize {
    // The sliced IP packet runs to the end of the frame minus any trailer
    // etherparse cut off; the link header is what precedes it. Compute it
    // by walking the EtherType chain ourselves (at most a few VLAN tags).
    let mut off = 12;
    while let Some(t) = data.get(off..off + 2) {
        let et = u16::from_be_bytes([t[0], t[1]]);
        if matches!(et, 0x8100 | 0x88a8 | 0x9100) {
            off += 4;
        } else {
            return off + 2;
        }
    }
    data.len().saturating_sub(ip_len)
}

fn ip_offset(link: LinkType, data: &[u8], ip_len: usize) -> usize {
    match link {
        LinkType::Ethernet => ethernet_ip_offset(data, ip_len),
        other => fixed_link_header(other, data).unwrap_or(0),
    }
}

fn from_sliced<'a>(link: LinkType, data: &'a [u8], p: &SlicedPacket<'a>) -> Sliced<'a> {
    let Some(net) = &p.net else {
        return Sliced::Ignored;
    };
    let (src, dst, ip_len) = match net {
        NetSlice::Ipv4(v4) => (
            IpAddr::V4(v4.header().source_addr()),
            IpAddr::V4(v4.header().destination_addr()),
            v4.header().slice().len() + v4.payload().payload.len(),
        ),
        NetSlice::Ipv6(v6) => (
            IpAddr::V6(v6.header().source_addr()),
            IpAddr::V6(v6.header().destination_addr()),
            v6.header().slice().len() + v6.payload().payload.len(),
        ),
        NetSlice::Arp(_) => return Sliced::Ignored,
    };
    let transport = match &p.transport {
        Some(TransportSlice::Tcp(t)) => Transport::Tcp(TcpSegment {
            src_port: t.source_port(),
            dst_port: t.destination_port(),
            seq: t.sequence_number(),
            syn: t.syn(),
            fin: t.fin(),
            rst: t.rst(),
            payload: t.payload(),
        }),
        Some(TransportSlice::Udp(u)) => Transport::Udp {
            src_port: u.source_port(),
            dst_port: u.destination_port(),
        },
        _ => return Sliced::Ignored,
    };
    let start = ip_offset(link, data, ip_len).min(data.len());
    Sliced::Packet(Packet {
        src,
        dst,
        ip_packet: &data[start..],
        transport,
    })
}

/// Lenient second look at a frame the strict slicer rejected: find out the
/// flow (and whether it is TCP) so the caller can report the problem.
fn broken(link: LinkType, data: &[u8], text: String) -> Sliced<'_> {
    let lax = match link {
        LinkType::Ethernet => LaxSlicedPacket::from_ethernet(data).ok(),
        LinkType::LinuxSll | LinkType::LinuxSll2 | LinkType::Null | LinkType::Loop => {
            match fixed_link_header(link, data) {
                Some(n) => LaxSlicedPacket::from_ip(&data[n..]).ok(),
                None => None,
            }
        }
        LinkType::RawIp => LaxSlicedPacket::from_ip(data).ok(),
    };
    let flow = lax.as_ref().and_then(|p| {
        let (src, dst) = match &p.net {
            Some(etherparse::LaxNetSlice::Ipv4(v4)) => (
                IpAddr::V4(v4.header().source_addr()),
                IpAddr::V4(v4.header().destination_addr()),
            ),
            Some(etherparse::LaxNetSlice::Ipv6(v6)) => (
                IpAddr::V6(v6.header().source_addr()),
                IpAddr::V6(v6.header().destination_addr()),
            ),
            _ => return None,
        };
        let (sp, dp, tcp) = match &p.transport {
            Some(TransportSlice::Tcp(t)) => (t.source_port(), t.destination_port(), true),
            Some(TransportSlice::Udp(u)) => (u.source_port(), u.destination_port(), false),
            _ => return None,
        };
        Some((
            Flow {
                src: SocketAddr::new(src, sp),
                dst: SocketAddr::new(dst, dp),
            },
            tcp,
        ))
    });
    let ip_offset = match link {
        LinkType::Ethernet => Some(ethernet_ip_offset(data, 0)),
        other => fixed_link_header(other, data),
    };
    Sliced::Broken {
        flow,
        ip_offset,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IPv4 + UDP from 10.0.0.1:1000 to 10.0.0.2:4789 with a 2-byte payload.
    fn ipv4_udp() -> Vec<u8> {
        let mut v = vec![
            0x45, 0, 0, 30, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ];
        v.extend_from_slice(&1000u16.to_be_bytes());
        v.extend_from_slice(&4789u16.to_be_bytes());
        v.extend_from_slice(&10u16.to_be_bytes());
        v.extend_from_slice(&[0, 0, 0xab, 0xcd]);
        v
    }

    fn expect_udp(s: Sliced<'_>, ip: &[u8]) {
        let Sliced::Packet(p) = s else {
            panic!("not a packet: {s:?}")
        };
        assert_eq!(p.flow().to_string(), "10.0.0.1:1000 -> 10.0.0.2:4789");
        assert_eq!(p.ip_packet, ip);
        assert!(matches!(
            p.transport,
            Transport::Udp {
                src_port: 1000,
                dst_port: 4789
            }
        ));
    }

    #[test]
    fn every_link_type_finds_the_ip_packet() {
        let ip = ipv4_udp();
        // Ethernet with one VLAN tag.
        let mut eth = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x81, 0, 0, 5, 0x08, 0];
        eth.extend_from_slice(&ip);
        expect_udp(slice(LinkType::Ethernet, &eth), &ip);
        // SLL: packet type, ARPHRD, addr len, 8 addr bytes, protocol.
        let mut sll = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0];
        sll.extend_from_slice(&ip);
        expect_udp(slice(LinkType::LinuxSll, &sll), &ip);
        let mut sll2 = vec![
            0x08, 0, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0,
        ];
        sll2.extend_from_slice(&ip);
        expect_udp(slice(LinkType::LinuxSll2, &sll2), &ip);
        let mut null = 2u32.to_le_bytes().to_vec();
        null.extend_from_slice(&ip);
        expect_udp(slice(LinkType::Null, &null), &ip);
        let mut lo = 2u32.to_be_bytes().to_vec();
        lo.extend_from_slice(&ip);
        expect_udp(slice(LinkType::Loop, &lo), &ip);
        expect_udp(slice(LinkType::RawIp, &ip), &ip);
    }

    #[test]
    fn truncated_frame_is_broken_but_keeps_its_flow() {
        let mut ip = ipv4_udp();
        ip[3] = 60; // claims more than captured
        match slice(LinkType::RawIp, &ip) {
            Sliced::Broken { flow, .. } => {
                let (flow, tcp) = flow.expect("lax slicing finds the ports");
                assert!(!tcp);
                assert_eq!(flow.dst.port(), 4789);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_ip_is_ignored() {
        let arp_like = [0u8; 4];
        assert!(matches!(slice(LinkType::Null, &arp_like), Sliced::Ignored));
        assert_eq!(LinkType::from_linktype(147), None);
        assert_eq!(LinkType::from_linktype(276), Some(LinkType::LinuxSll2));
    }
}
