//! Decapsulation: from a captured outer frame to the VXLAN header and the
//! borrowed inner frame, without allocating.
//!
//! The walk is Ethernet II (0-2 VLAN tags) -> IPv4 (any options) or IPv6
//! (hop-by-hop, routing, destination options, AH and first-fragment headers
//! skipped) -> UDP -> VXLAN. Every read is a bounds-checked read at an
//! offset computed from the headers before it; for the common untagged
//! IPv4-without-options frame that is a handful of fixed offsets.
//!
//! Outcomes:
//! * `Ok(Decap::Vxlan(_))`: a VXLAN datagram on a configured UDP port;
//! * `Ok(Decap::NotVxlan(reason))`: well-formed as far as it was read, but
//!   not VXLAN (another EtherType, another protocol, another port, a
//!   fragment that needs reassembly);
//! * `Err(_)`: truncated or malformed, with the byte offset.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use macaddr::MacAddr6;

use crate::error::{Layer, rd};
use crate::ethernet::{
    ETHERNET_HEADER_LEN, EtherType, EthernetHeader, VLAN_TAG_LEN, VlanTag, VlanTpid, Vlans,
};
use crate::frame::{OuterEthernet, OuterIp, VxlanFrame};
use crate::header::{GbpHeader, GpeHeader, HEADER_LEN, HeaderFlavour, VxlanHeader};
use crate::ipv4::{IP_PROTO_UDP, Ipv4Header};
use crate::ipv6::{self, IPV6_HEADER_LEN, Ipv6Header};
use crate::udp::{
    UDP_HEADER_LEN, UdpChecksum, UdpHeader, VXLAN_GPE_PORT, VXLAN_LINUX_LEGACY_PORT, VXLAN_PORT,
};
use crate::{Error, Vni, ipv4};

/// Which UDP destination ports carry VXLAN, and how to read the header.
///
/// ```
/// use vxlan_wire::{DecapConfig, HeaderFlavour};
/// let mut cfg = DecapConfig::default();
/// assert_eq!(cfg.flavour_for(4789), Some(HeaderFlavour::Standard));
/// assert_eq!(cfg.flavour_for(4790), Some(HeaderFlavour::Gpe));
/// cfg.gbp = true; // read standard ports as GBP (Linux `gbp` option)
/// assert_eq!(cfg.flavour_for(8472), Some(HeaderFlavour::Gbp));
/// cfg.remove_port(8472);
/// cfg.add_port(6633, HeaderFlavour::Standard);
/// assert_eq!(cfg.flavour_for(8472), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DecapConfig {
    ports: Vec<(u16, HeaderFlavour)>,
    /// Read ports configured as [`HeaderFlavour::Standard`] as GBP.
    pub gbp: bool,
    /// Check the outer IPv4 header checksum ([`Error::Ipv4Checksum`]).
    pub verify_ipv4_checksum: bool,
}

impl Default for DecapConfig {
    /// 4789 and 8472 standard, 4790 GPE, no GBP, no checksum check.
    fn default() -> Self {
        DecapConfig {
            ports: alloc::vec![
                (VXLAN_PORT, HeaderFlavour::Standard),
                (VXLAN_LINUX_LEGACY_PORT, HeaderFlavour::Standard),
                (VXLAN_GPE_PORT, HeaderFlavour::Gpe),
            ],
            gbp: false,
            verify_ipv4_checksum: false,
        }
    }
}

impl DecapConfig {
    /// No ports at all.
    pub fn empty() -> Self {
        DecapConfig {
            ports: Vec::new(),
            gbp: false,
            verify_ipv4_checksum: false,
        }
    }

    /// Adds or changes a port.
    pub fn add_port(&mut self, port: u16, flavour: HeaderFlavour) -> &mut Self {
        match self.ports.iter_mut().find(|(p, _)| *p == port) {
            Some(e) => e.1 = flavour,
            None => self.ports.push((port, flavour)),
        }
        self
    }

    /// Builder form of setting [`DecapConfig::gbp`].
    pub fn with_gbp(mut self, gbp: bool) -> Self {
        self.gbp = gbp;
        self
    }

    /// Builder form of setting [`DecapConfig::verify_ipv4_checksum`].
    pub fn with_ipv4_checksum_check(mut self, verify: bool) -> Self {
        self.verify_ipv4_checksum = verify;
        self
    }

    /// Builder form of [`DecapConfig::add_port`].
    pub fn with_port(mut self, port: u16, flavour: HeaderFlavour) -> Self {
        self.add_port(port, flavour);
        self
    }

    /// Removes a port; returns the flavour it had.
    pub fn remove_port(&mut self, port: u16) -> Option<HeaderFlavour> {
        let i = self.ports.iter().position(|(p, _)| *p == port)?;
        Some(self.ports.remove(i).1)
    }

    /// Configured ports and their flavours, as configured (before `gbp`).
    pub fn ports(&self) -> &[(u16, HeaderFlavour)] {
        &self.ports
    }

    /// The flavour for a destination port, with `gbp` applied.
    #[inline]
    pub fn flavour_for(&self, port: u16) -> Option<HeaderFlavour> {
        let f = self.ports.iter().find(|(p, _)| *p == port)?.1;
        Some(match f {
            HeaderFlavour::Standard if self.gbp => HeaderFlavour::Gbp,
            other => other,
        })
    }
}

/// Why a well-formed frame is not VXLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "reason", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum NotVxlan {
    /// The EtherType after the VLAN tags is neither IPv4 nor IPv6.
    NonIpEthertype {
        /// The EtherType.
        ethertype: u16,
    },
    /// More than two VLAN tags.
    TooManyVlanTags,
    /// The IP protocol (IPv6: first Next Header after the walked extension
    /// headers) is not UDP.
    NotUdp {
        /// The protocol number.
        protocol: u8,
    },
    /// A UDP datagram whose destination port is not configured.
    UdpPortNotConfigured {
        /// Source port.
        src_port: u16,
        /// Destination port.
        dst_port: u16,
    },
    /// An IP fragment other than the first: no UDP header in it.
    NonFirstFragment {
        /// Fragment offset in 8-byte units.
        fragment_offset: u16,
    },
    /// The first fragment of a fragmented datagram: the datagram needs
    /// reassembly, which this sans-IO decoder does not do.
    FirstFragment,
}

/// Result of [`decapsulate`] / [`decapsulate_ip`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decap<'a> {
    /// A VXLAN datagram.
    Vxlan(Decapsulated<'a>),
    /// Something else, and why.
    NotVxlan(NotVxlan),
}

impl<'a> Decap<'a> {
    /// The decapsulated frame, if it was VXLAN.
    pub fn vxlan(self) -> Option<Decapsulated<'a>> {
        match self {
            Decap::Vxlan(d) => Some(d),
            Decap::NotVxlan(_) => None,
        }
    }
}

/// A decapsulated VXLAN frame: offsets into the borrowed input plus the
/// decoded VXLAN header. Outer fields are read on demand, at offsets found
/// by [`decapsulate`], so the accessors are a bounds-checked load each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decapsulated<'a> {
    buf: &'a [u8],
    // Offsets are bounded by construction (at most 2 tags + a 40-byte IPv6
    // header + a 65535-byte payload, or a 65535-byte IPv4 packet), so u32
    // always holds them, whatever the length of `buf`.
    l3: u32,
    udp: u32,
    ip_end: u32,
    /// `F_ETHERNET | F_IPV6 | vlan_count << F_VLAN_SHIFT`.
    flags: u8,
    header: VxlanHeader,
}

const F_ETHERNET: u8 = 0x01;
const F_IPV6: u8 = 0x02;
const F_VLAN_SHIFT: u32 = 2;

impl<'a> Decapsulated<'a> {
    /// Offsets fit in u32 (see the struct); `as` cannot truncate them.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn new(
        buf: &'a [u8],
        has_ethernet: bool,
        vlan_count: u8,
        ipv6: bool,
        l3: usize,
        udp: usize,
        ip_end: usize,
        header: VxlanHeader,
    ) -> Self {
        debug_assert!(ip_end <= u32::MAX as usize && udp <= ip_end && l3 <= udp);
        Decapsulated {
            buf,
            l3: l3 as u32,
            udp: udp as u32,
            ip_end: ip_end as u32,
            flags: u8::from(has_ethernet) | (u8::from(ipv6) << 1) | (vlan_count << F_VLAN_SHIFT),
            header,
        }
    }
}

/// Decapsulates an Ethernet II frame (see the module docs).
///
/// ```
/// use vxlan_wire::{decapsulate, encapsulate, Decap, DecapConfig, EncapParams, Vni};
/// let p = EncapParams::new(
///     [2, 0, 0, 0, 0, 1].into(), [2, 0, 0, 0, 0, 2].into(),
///     "192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap(), Vni::new(100).unwrap());
/// let mut frame = Vec::new();
/// encapsulate(&[0xAA; 64], &p, &mut frame).unwrap();
/// let Decap::Vxlan(d) = decapsulate(&frame, &DecapConfig::default()).unwrap() else { panic!() };
/// assert_eq!(d.vni().get(), 100);
/// assert_eq!(d.inner(), &[0xAA; 64]);
/// ```
// Always inlined, like `encapsulate`: the result is built in the caller
// instead of being returned through memory and copied with wide loads.
#[inline(always)]
pub fn decapsulate<'a>(frame: &'a [u8], cfg: &DecapConfig) -> Result<Decap<'a>, Error> {
    let fast = match frame.get(12..14) {
        Some([0x08, 0x00]) => fast_path(frame, cfg),
        Some([0x86, 0xDD]) => fast_path_v6(frame, cfg),
        _ => None,
    };
    match fast {
        Some(d) => Ok(Decap::Vxlan(d)),
        None => decapsulate_general(frame, cfg),
    }
}

/// Untagged Ethernet + IPv4 without options + UDP + VXLAN, all valid: fixed
/// offsets in the first 50 bytes. Anything else (including every error and
/// every `NotVxlan`) is left to the general walk, which gives the same
/// answer for the frames accepted here.
#[inline(always)]
fn fast_path<'a>(frame: &'a [u8], cfg: &DecapConfig) -> Option<Decapsulated<'a>> {
    const OUTER: usize = ETHERNET_HEADER_LEN + ipv4::IPV4_HEADER_LEN + UDP_HEADER_LEN + HEADER_LEN;
    let h: &[u8; OUTER] = frame.first_chunk()?;
    let be = |i: usize| u16::from_be_bytes([h[i], h[i + 1]]);
    // EtherType IPv4, version 4 / IHL 5, protocol UDP, not a fragment,
    // VXLAN I flag set, checksum not to be verified.
    if be(12) != 0x0800 || h[14] != 0x45 || h[23] != IP_PROTO_UDP || be(20) & 0x3FFF != 0 {
        return None;
    }
    if h[42] & crate::header::FLAG_I == 0 || cfg.verify_ipv4_checksum {
        return None;
    }
    let total = usize::from(be(16));
    let ip_end = ETHERNET_HEADER_LEN + total;
    if total < OUTER - ETHERNET_HEADER_LEN || ip_end > frame.len() {
        return None;
    }
    if usize::from(be(38)) != total - ipv4::IPV4_HEADER_LEN {
        return None;
    }
    let flavour = cfg.flavour_for(be(36))?;
    let vx: [u8; HEADER_LEN] = *h.last_chunk()?;
    Some(Decapsulated::new(
        frame,
        true,
        0,
        false,
        ETHERNET_HEADER_LEN,
        ETHERNET_HEADER_LEN + ipv4::IPV4_HEADER_LEN,
        ip_end,
        VxlanHeader::from_array_with_i(vx, flavour),
    ))
}

/// Untagged Ethernet + IPv6 whose Next Header is UDP (no extension
/// headers) + UDP + VXLAN, all valid: fixed offsets in the first 70 bytes.
/// Like [`fast_path`], everything else goes to the general walk, which
/// gives the same answer for the frames accepted here.
#[inline(always)]
fn fast_path_v6<'a>(frame: &'a [u8], cfg: &DecapConfig) -> Option<Decapsulated<'a>> {
    const UDP: usize = ETHERNET_HEADER_LEN + IPV6_HEADER_LEN;
    const OUTER: usize = UDP + UDP_HEADER_LEN + HEADER_LEN;
    let h: &[u8; OUTER] = frame.first_chunk()?;
    let be = |i: usize| u16::from_be_bytes([h[i], h[i + 1]]);
    // EtherType IPv6, version 6, Next Header UDP, VXLAN I flag set.
    if be(12) != 0x86DD || h[14] >> 4 != 6 || h[20] != IP_PROTO_UDP {
        return None;
    }
    if h[UDP + UDP_HEADER_LEN] & crate::header::FLAG_I == 0 {
        return None;
    }
    let payload = usize::from(be(18));
    let ip_end = UDP + payload;
    if payload < UDP_HEADER_LEN + HEADER_LEN || ip_end > frame.len() {
        return None;
    }
    if usize::from(be(UDP + 4)) != payload {
        return None;
    }
    let flavour = cfg.flavour_for(be(UDP + 2))?;
    let vx: [u8; HEADER_LEN] = *h.last_chunk()?;
    Some(Decapsulated::new(
        frame,
        true,
        0,
        true,
        ETHERNET_HEADER_LEN,
        UDP,
        ip_end,
        VxlanHeader::from_array_with_i(vx, flavour),
    ))
}

/// The general walk behind [`decapsulate`].
pub(crate) fn decapsulate_general<'a>(
    frame: &'a [u8],
    cfg: &DecapConfig,
) -> Result<Decap<'a>, Error> {
    let eth: [u8; ETHERNET_HEADER_LEN] = rd::array(frame, 0, Layer::EthernetHeader)?;
    let mut ethertype = u16::from_be_bytes([eth[12], eth[13]]);
    let mut l3 = ETHERNET_HEADER_LEN;
    let mut vlan_count = 0u8;
    while EtherType(ethertype).is_vlan_tpid() {
        if vlan_count == 2 {
            return Ok(Decap::NotVxlan(NotVxlan::TooManyVlanTags));
        }
        let t: [u8; VLAN_TAG_LEN] = rd::array(frame, l3, Layer::VlanTag)?;
        ethertype = u16::from_be_bytes([t[2], t[3]]);
        l3 += VLAN_TAG_LEN;
        vlan_count += 1;
    }
    match EtherType(ethertype) {
        EtherType::IPV4 => from_ipv4(frame, l3, true, vlan_count, cfg),
        EtherType::IPV6 => from_ipv6(frame, l3, true, vlan_count, cfg),
        _ => Ok(Decap::NotVxlan(NotVxlan::NonIpEthertype { ethertype })),
    }
}

/// Decapsulates starting at an IPv4 or IPv6 header (raw-IP, Linux cooked
/// or loopback captures after their link header); the version nibble picks
/// the family.
pub fn decapsulate_ip<'a>(packet: &'a [u8], cfg: &DecapConfig) -> Result<Decap<'a>, Error> {
    match packet.first().map(|b| b >> 4) {
        Some(4) => from_ipv4(packet, 0, false, 0, cfg),
        Some(6) => from_ipv6(packet, 0, false, 0, cfg),
        Some(found) => Err(Error::UnknownIpVersion { offset: 0, found }),
        None => Err(Error::truncated(
            Layer::Ipv4Header,
            packet,
            0,
            ipv4::IPV4_HEADER_LEN,
        )),
    }
}

#[inline]
fn from_ipv4<'a>(
    buf: &'a [u8],
    l3: usize,
    eth: bool,
    vlans: u8,
    cfg: &DecapConfig,
) -> Result<Decap<'a>, Error> {
    let info = ipv4::check_at(buf, l3, cfg.verify_ipv4_checksum)?;
    if info.protocol != IP_PROTO_UDP {
        return Ok(Decap::NotVxlan(NotVxlan::NotUdp {
            protocol: info.protocol,
        }));
    }
    let ff = rd::be16(buf, l3 + 6);
    if ff & 0x1FFF != 0 {
        return Ok(Decap::NotVxlan(NotVxlan::NonFirstFragment {
            fragment_offset: ff & 0x1FFF,
        }));
    }
    if ff & 0x2000 != 0 {
        return Ok(Decap::NotVxlan(NotVxlan::FirstFragment));
    }
    from_udp(
        buf,
        l3,
        l3 + info.header_len,
        l3 + info.total_len,
        eth,
        vlans,
        false,
        cfg,
    )
}

fn from_ipv6<'a>(
    buf: &'a [u8],
    l3: usize,
    eth: bool,
    vlans: u8,
    cfg: &DecapConfig,
) -> Result<Decap<'a>, Error> {
    let info = ipv6::check_at(buf, l3)?;
    match info.fragment {
        Some((off, _)) if off != 0 => {
            return Ok(Decap::NotVxlan(NotVxlan::NonFirstFragment {
                fragment_offset: off,
            }));
        }
        _ => {}
    }
    if info.protocol != IP_PROTO_UDP {
        return Ok(Decap::NotVxlan(NotVxlan::NotUdp {
            protocol: info.protocol,
        }));
    }
    if let Some((_, true)) = info.fragment {
        return Ok(Decap::NotVxlan(NotVxlan::FirstFragment));
    }
    let end = l3 + IPV6_HEADER_LEN + info.payload_len;
    from_udp(buf, l3, l3 + info.header_len, end, eth, vlans, true, cfg)
}

#[inline]
#[allow(clippy::too_many_arguments)]
fn from_udp<'a>(
    buf: &'a [u8],
    l3: usize,
    udp: usize,
    ip_end: usize,
    has_ethernet: bool,
    vlan_count: u8,
    ipv6: bool,
    cfg: &DecapConfig,
) -> Result<Decap<'a>, Error> {
    // The IP layer guaranteed buf.len() >= ip_end; read UDP within it.
    let ip = buf.get(..ip_end).unwrap_or(buf);
    let u: [u8; UDP_HEADER_LEN] = rd::array(ip, udp, Layer::UdpHeader)?;
    let dst_port = u16::from_be_bytes([u[2], u[3]]);
    let Some(flavour) = cfg.flavour_for(dst_port) else {
        return Ok(Decap::NotVxlan(NotVxlan::UdpPortNotConfigured {
            src_port: u16::from_be_bytes([u[0], u[1]]),
            dst_port,
        }));
    };
    let udp_length = u16::from_be_bytes([u[4], u[5]]);
    if usize::from(udp_length) != ip_end - udp {
        return Err(Error::UdpLength {
            offset: udp,
            udp_length,
            ip_payload_len: ip_end - udp,
        });
    }
    let header = VxlanHeader::decode_at(ip, udp + UDP_HEADER_LEN, flavour)?;
    Ok(Decap::Vxlan(Decapsulated::new(
        buf,
        has_ethernet,
        vlan_count,
        ipv6,
        l3,
        udp,
        ip_end,
        header,
    )))
}

impl<'a> Decapsulated<'a> {
    /// `N` bytes at `off`, zeros if out of range (never, for the offsets
    /// `decapsulate` validated).
    #[inline(always)]
    fn array_at<const N: usize>(&self, off: usize) -> [u8; N] {
        match self.buf.get(off..).and_then(<[u8]>::first_chunk::<N>) {
            Some(a) => *a,
            None => [0; N],
        }
    }
    #[inline(always)]
    fn be16_at(&self, off: usize) -> u16 {
        u16::from_be_bytes(self.array_at(off))
    }
    #[inline(always)]
    fn mac_at(&self, off: usize) -> MacAddr6 {
        MacAddr6::from(self.array_at::<6>(off))
    }
    #[inline(always)]
    fn l3(&self) -> usize {
        self.l3 as usize
    }
    #[inline(always)]
    fn udp(&self) -> usize {
        self.udp as usize
    }
    #[inline(always)]
    fn is_ipv6(&self) -> bool {
        self.flags & F_IPV6 != 0
    }

    /// The whole input buffer.
    #[inline]
    pub fn frame(&self) -> &'a [u8] {
        self.buf
    }
    /// Whether the input started with an Ethernet header.
    #[inline]
    pub fn has_ethernet(&self) -> bool {
        self.flags & F_ETHERNET != 0
    }
    /// Outer destination MAC.
    #[inline]
    pub fn outer_dst_mac(&self) -> Option<MacAddr6> {
        self.has_ethernet().then(|| self.mac_at(0))
    }
    /// Outer source MAC.
    #[inline]
    pub fn outer_src_mac(&self) -> Option<MacAddr6> {
        self.has_ethernet().then(|| self.mac_at(6))
    }
    /// Outer VLAN tags, outermost first (none without Ethernet).
    pub fn vlans(&self) -> Vlans {
        let tag = |i: usize| {
            let o = ETHERNET_HEADER_LEN - 2 + i * VLAN_TAG_LEN;
            // The walk only counted tags behind one of the three TPIDs.
            let tpid = VlanTpid::from_u16(self.be16_at(o)).unwrap_or_default();
            VlanTag::from_tpid_tci(tpid, self.be16_at(o + 2))
        };
        match self.flags >> F_VLAN_SHIFT {
            0 => Vlans::None,
            1 => Vlans::Single(tag(0)),
            _ => Vlans::Double([tag(0), tag(1)]),
        }
    }
    /// The outer Ethernet header, if any.
    pub fn ethernet(&self) -> Option<EthernetHeader> {
        self.has_ethernet().then(|| EthernetHeader {
            dst: self.mac_at(0),
            src: self.mac_at(6),
            vlans: self.vlans(),
            ethertype: if self.is_ipv6() {
                EtherType::IPV6
            } else {
                EtherType::IPV4
            },
        })
    }
    /// 4 or 6.
    #[inline]
    pub fn ip_version(&self) -> u8 {
        if self.is_ipv6() { 6 } else { 4 }
    }
    #[inline(always)]
    fn ip_at(&self, v4: usize, v6: usize) -> IpAddr {
        if self.is_ipv6() {
            IpAddr::V6(Ipv6Addr::from(self.array_at::<16>(self.l3() + v6)))
        } else {
            IpAddr::V4(Ipv4Addr::from(self.array_at::<4>(self.l3() + v4)))
        }
    }
    /// Outer source IP.
    #[inline]
    pub fn outer_src_ip(&self) -> IpAddr {
        self.ip_at(12, 8)
    }
    /// Outer destination IP (the header field, not a routing header's final
    /// destination).
    #[inline]
    pub fn outer_dst_ip(&self) -> IpAddr {
        self.ip_at(16, 24)
    }
    /// Outer IPv4 TTL or IPv6 hop limit.
    #[inline]
    pub fn ttl(&self) -> u8 {
        rd::byte(self.buf, self.l3() + if self.is_ipv6() { 7 } else { 8 })
    }
    /// Outer IPv4 TOS or IPv6 traffic class.
    #[inline]
    pub fn tos(&self) -> u8 {
        if self.is_ipv6() {
            (self.be16_at(self.l3()) >> 4) as u8
        } else {
            rd::byte(self.buf, self.l3() + 1)
        }
    }
    /// UDP source port.
    #[inline]
    pub fn udp_src_port(&self) -> u16 {
        self.be16_at(self.udp())
    }
    /// UDP destination port.
    #[inline]
    pub fn udp_dst_port(&self) -> u16 {
        self.be16_at(self.udp() + 2)
    }
    /// UDP checksum field as captured (not verified).
    #[inline]
    pub fn udp_checksum(&self) -> u16 {
        self.be16_at(self.udp() + 6)
    }
    /// The VXLAN header.
    #[inline]
    pub fn header(&self) -> &VxlanHeader {
        &self.header
    }
    /// The VNI.
    #[inline]
    pub fn vni(&self) -> Vni {
        self.header.vni()
    }
    /// The header flavour the port was configured with.
    #[inline]
    pub fn flavour(&self) -> HeaderFlavour {
        self.header.flavour()
    }
    /// GBP fields, when decoded as GBP.
    #[inline]
    pub fn gbp(&self) -> Option<&GbpHeader> {
        self.header.as_gbp()
    }
    /// GPE fields, when decoded as GPE.
    #[inline]
    pub fn gpe(&self) -> Option<&GpeHeader> {
        self.header.as_gpe()
    }
    /// The inner frame (borrowed): the UDP payload after the VXLAN header.
    ///
    /// It may be shorter than an Ethernet header: `decapsulate` checks the
    /// outer stack only.
    #[inline]
    pub fn inner(&self) -> &'a [u8] {
        self.buf
            .get(self.inner_offset()..self.ip_end())
            .unwrap_or(&[])
    }
    /// Inner destination MAC (the first 6 bytes of [`Decapsulated::inner`]),
    /// `None` when the inner frame is shorter than 6 bytes.
    ///
    /// ```
    /// use vxlan_wire::{decapsulate, encapsulate, Decap, DecapConfig, EncapParams, EtherType, Vni};
    /// let p = EncapParams::new(
    ///     [2, 0, 0, 0, 0, 1].into(), [2, 0, 0, 0, 0, 2].into(),
    ///     "192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap(), Vni::new(7).unwrap());
    /// let inner = [[0x52, 0x54, 0, 0, 0, 2], [0x52, 0x54, 0, 0, 0, 1]].concat();
    /// let mut frame = Vec::new();
    /// encapsulate(&[&inner[..], &[0x08, 0x06], &[0; 46]].concat(), &p, &mut frame).unwrap();
    /// let d = decapsulate(&frame, &DecapConfig::default()).unwrap().vxlan().unwrap();
    /// assert_eq!(d.inner_dst_mac(), Some([0x52, 0x54, 0, 0, 0, 2].into()));
    /// assert_eq!(d.inner_src_mac(), Some([0x52, 0x54, 0, 0, 0, 1].into()));
    /// assert_eq!(d.inner_ethertype(), Some(EtherType::ARP));
    /// ```
    #[inline]
    pub fn inner_dst_mac(&self) -> Option<MacAddr6> {
        self.inner_array::<6>(0).map(MacAddr6::from)
    }
    /// Inner source MAC (bytes 6-11 of [`Decapsulated::inner`]), `None` when
    /// the inner frame is shorter than 12 bytes.
    #[inline]
    pub fn inner_src_mac(&self) -> Option<MacAddr6> {
        self.inner_array::<6>(6).map(MacAddr6::from)
    }
    /// Bytes 12-13 of the inner frame: its EtherType, or the TPID of its
    /// first VLAN tag (see [`EtherType::is_vlan_tpid`]); `None` when the
    /// inner frame is shorter than 14 bytes.
    #[inline]
    pub fn inner_ethertype(&self) -> Option<EtherType> {
        self.inner_array::<2>(12)
            .map(|b| EtherType(u16::from_be_bytes(b)))
    }
    #[inline(always)]
    fn inner_array<const N: usize>(&self, off: usize) -> Option<[u8; N]> {
        self.inner()
            .get(off..)
            .and_then(<[u8]>::first_chunk)
            .copied()
    }
    /// Bytes after the outer IP packet (Ethernet padding, FCS, ...).
    #[inline]
    pub fn trailer(&self) -> &'a [u8] {
        self.buf.get(self.ip_end()..).unwrap_or(&[])
    }
    /// The outer IP packet.
    #[inline]
    pub fn ip_packet(&self) -> &'a [u8] {
        self.buf.get(self.l3()..self.ip_end()).unwrap_or(&[])
    }
    /// Offset of the outer IP header.
    #[inline]
    pub fn ip_offset(&self) -> usize {
        self.l3()
    }
    /// Offset of the UDP header.
    #[inline]
    pub fn udp_offset(&self) -> usize {
        self.udp()
    }
    /// Offset of the VXLAN header.
    #[inline]
    pub fn vxlan_offset(&self) -> usize {
        self.udp() + UDP_HEADER_LEN
    }
    /// Offset of the inner frame.
    #[inline]
    pub fn inner_offset(&self) -> usize {
        self.udp() + UDP_HEADER_LEN + HEADER_LEN
    }
    /// Offset just past the outer IP packet.
    #[inline]
    pub fn ip_end(&self) -> usize {
        self.ip_end as usize
    }

    /// The owned meaning of the whole frame; `VxlanFrame::encode` gives the
    /// input bytes back when the captured checksums were right.
    #[allow(clippy::wrong_self_convention, clippy::should_implement_trait)]
    pub fn to_owned(&self) -> VxlanFrame {
        let ethernet = self.has_ethernet().then(|| OuterEthernet {
            dst: self.mac_at(0),
            src: self.mac_at(6),
            vlans: self.vlans(),
        });
        // The headers were validated by `decapsulate`; decoding them again
        // cannot fail, the fallbacks only keep this function total.
        let ip = if self.is_ipv6() {
            OuterIp::V6(match Ipv6Header::decode_at(self.buf, self.l3()) {
                Ok((h, _)) => h,
                Err(_) => Ipv6Header::new(Ipv6Addr::UNSPECIFIED, Ipv6Addr::UNSPECIFIED),
            })
        } else {
            OuterIp::V4(match Ipv4Header::decode_at(self.buf, self.l3(), false) {
                Ok((h, _)) => h,
                Err(_) => Ipv4Header::new(Ipv4Addr::UNSPECIFIED, Ipv4Addr::UNSPECIFIED),
            })
        };
        let datagram = self.buf.get(self.udp()..self.ip_end()).unwrap_or(&[]);
        let checksum = match &ip {
            _ if self.udp_checksum() == 0 => UdpChecksum::Zero,
            OuterIp::V4(h) => UdpChecksum::classify(h.src.into(), h.dst.into(), datagram),
            OuterIp::V6(h) => {
                UdpChecksum::classify(h.src.into(), h.pseudo_header_dst().into(), datagram)
            }
        };
        VxlanFrame {
            ethernet,
            ip,
            udp: UdpHeader {
                src_port: self.udp_src_port(),
                dst_port: self.udp_dst_port(),
                checksum,
            },
            vxlan: self.header,
            inner: self.inner().to_vec(),
            trailer: self.trailer().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encap::{EncapParams, encapsulate};
    use crate::ethernet::VlanId;
    use crate::header::NextProtocol;
    use crate::ipv6::{Ipv6ExtHeader, Ipv6ExtKind};
    use alloc::vec::Vec;

    /// Composed by hand from the RFC 791 / 768 / 7348 layouts.
    fn hand_frame() -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&[
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x08, 0x00,
        ]);
        // IPv4: total 76, id 0x1234, DF, TTL 64, UDP, checksum 0xa469, 192.0.2.1 -> 192.0.2.2
        f.extend_from_slice(&[
            0x45, 0x00, 0x00, 0x4c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x11, 0xa4, 0x69, 0xc0, 0x00,
            0x02, 0x01, 0xc0, 0x00, 0x02, 0x02,
        ]);
        // UDP 54321 -> 4789, length 56, checksum 0
        f.extend_from_slice(&[0xd4, 0x31, 0x12, 0xb5, 0x00, 0x38, 0x00, 0x00]);
        // VXLAN, VNI 12345
        f.extend_from_slice(&[0x08, 0x00, 0x00, 0x00, 0x00, 0x30, 0x39, 0x00]);
        // inner: 40 bytes, an ARP-typed Ethernet frame
        f.extend_from_slice(&[0x02, 0, 0, 0, 0, 0xbb, 0x02, 0, 0, 0, 0, 0xaa, 0x08, 0x06]);
        f.extend((0u8..26).map(|i| i * 3));
        f
    }

    fn vx(r: Result<Decap<'_>, Error>) -> Decapsulated<'_> {
        match r {
            Ok(Decap::Vxlan(d)) => d,
            other => panic!("expected VXLAN, got {other:?}"),
        }
    }

    fn not(r: Result<Decap<'_>, Error>) -> NotVxlan {
        match r {
            Ok(Decap::NotVxlan(n)) => n,
            other => panic!("expected NotVxlan, got {other:?}"),
        }
    }

    #[test]
    fn hand_built_ipv4_frame() {
        let f = hand_frame();
        let cfg = DecapConfig::default().with_ipv4_checksum_check(true);
        let d = vx(decapsulate(&f, &cfg));
        assert_eq!(
            d.outer_dst_mac(),
            Some(MacAddr6::new(0, 0x11, 0x22, 0x33, 0x44, 0x55))
        );
        assert_eq!(
            d.outer_src_mac(),
            Some(MacAddr6::new(0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb))
        );
        assert_eq!(d.vlans(), Vlans::None);
        assert_eq!(d.outer_src_ip(), IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(d.outer_dst_ip(), IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)));
        assert_eq!(
            (d.udp_src_port(), d.udp_dst_port(), d.udp_checksum()),
            (54321, 4789, 0)
        );
        assert_eq!((d.ttl(), d.tos(), d.ip_version()), (64, 0, 4));
        assert_eq!(d.vni().get(), 12345);
        assert_eq!(d.flavour(), HeaderFlavour::Standard);
        assert_eq!(d.gbp(), None);
        assert_eq!(
            (
                d.ip_offset(),
                d.udp_offset(),
                d.vxlan_offset(),
                d.inner_offset()
            ),
            (14, 34, 42, 50)
        );
        assert_eq!(d.inner(), &f[50..]);
        assert_eq!(d.trailer(), &[] as &[u8]);
        assert_eq!(d.ip_packet().len(), 76);
        let owned = d.to_owned();
        let OuterIp::V4(ip) = &owned.ip else { panic!() };
        assert_eq!(
            (ip.identification, ip.dont_fragment, ip.ttl),
            (0x1234, true, 64)
        );
        let mut out = Vec::new();
        owned.encode(&mut out);
        assert_eq!(out, f);
        // A wrong checksum only matters when asked for.
        let mut bad = f.clone();
        bad[24] ^= 0xff;
        assert_eq!(
            decapsulate(&bad, &cfg).unwrap_err(),
            Error::Ipv4Checksum {
                offset: 14,
                found: 0x5b69,
                expected: 0xa469
            }
        );
        assert!(decapsulate(&bad, &DecapConfig::default()).is_ok());
    }

    #[test]
    fn fast_path_agrees_with_general_walk() {
        let f = hand_frame();
        let cfg = DecapConfig::default();
        assert!(fast_path(&f, &cfg).is_some());
        assert_eq!(decapsulate(&f, &cfg), decapsulate_general(&f, &cfg));
        // every single-byte change in the outer 50 bytes: same answer both ways
        for i in 0..50 {
            for v in [0u8, 1, 0x08, 0x11, 0x45, 0x80, 0xff] {
                let mut m = f.clone();
                m[i] = v;
                for cfg in [
                    DecapConfig::default(),
                    DecapConfig::default().with_ipv4_checksum_check(true),
                ] {
                    if let Some(d) = fast_path(&m, &cfg) {
                        assert_eq!(
                            Ok(Decap::Vxlan(d)),
                            decapsulate_general(&m, &cfg),
                            "byte {i} = {v:#x}"
                        );
                    }
                    assert_eq!(decapsulate(&m, &cfg), decapsulate_general(&m, &cfg));
                }
            }
        }
    }

    /// An IPv6 frame the v6 fast path accepts, with a 40-byte inner frame.
    fn v6_frame() -> Vec<u8> {
        let mut f = Vec::new();
        let inner: Vec<u8> = (0u8..40).collect();
        encapsulate(&inner, &v6_params(), &mut f).unwrap();
        f
    }

    /// Both fast paths against the general walk: same answer, for any
    /// config and any frame given.
    fn assert_fast_paths_agree(m: &[u8]) {
        for cfg in [
            DecapConfig::default(),
            DecapConfig::default().with_ipv4_checksum_check(true),
            DecapConfig::default().with_gbp(true),
            DecapConfig::empty().with_port(4789, HeaderFlavour::Gpe),
        ] {
            for d in [fast_path(m, &cfg), fast_path_v6(m, &cfg)]
                .into_iter()
                .flatten()
            {
                assert_eq!(Ok(Decap::Vxlan(d)), decapsulate_general(m, &cfg), "{m:x?}");
            }
            assert_eq!(decapsulate(m, &cfg), decapsulate_general(m, &cfg), "{m:x?}");
        }
    }

    #[test]
    fn fast_path_v6_agrees_with_general_walk() {
        let f = v6_frame();
        let cfg = DecapConfig::default();
        assert!(fast_path_v6(&f, &cfg).is_some());
        assert!(fast_path(&f, &cfg).is_none());
        assert_eq!(decapsulate(&f, &cfg), decapsulate_general(&f, &cfg));
        // every single-byte change in the outer 70 bytes, and a trailer
        for i in 0..70 {
            for v in [0u8, 1, 0x08, 0x0f, 0x10, 0x11, 0x30, 0x60, 0x80, 0xdd, 0xff] {
                let mut m = f.clone();
                m[i] = v;
                assert_fast_paths_agree(&m);
                m.extend_from_slice(&[0; 3]);
                assert_fast_paths_agree(&m);
            }
        }
        for cut in 0..f.len() {
            assert_fast_paths_agree(&f[..cut]);
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_agree_on_mutated_frames(
            v6 in proptest::prelude::any::<bool>(),
            inner_len in 0usize..80,
            edits in proptest::collection::vec((0usize..80, proptest::prelude::any::<u8>()), 0..4),
            extra in 0usize..4,
            cut in proptest::prelude::any::<proptest::sample::Index>(),
            do_cut in proptest::prelude::any::<bool>(),
        ) {
            let mut p = v6_params();
            if !v6 {
                p.src_ip = "10.0.0.1".parse().unwrap();
                p.dst_ip = "10.0.0.2".parse().unwrap();
            }
            let inner: Vec<u8> = (0..inner_len).map(|i| i as u8).collect();
            let mut f = Vec::new();
            encapsulate(&inner, &p, &mut f).unwrap();
            f.resize(f.len() + extra, 0);
            for (i, v) in edits {
                if let Some(b) = f.get_mut(i) {
                    *b = v;
                }
            }
            if do_cut {
                f.truncate(cut.index(f.len() + 1));
            }
            assert_fast_paths_agree(&f);
        }

        #[test]
        fn fast_paths_agree_on_random_bytes(
            v6 in proptest::prelude::any::<bool>(),
            mut f in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120),
        ) {
            // Steer random bytes towards the fast paths' preconditions.
            if f.len() >= 64 {
                if v6 {
                    f[12..14].copy_from_slice(&[0x86, 0xDD]);
                    f[14] = 0x60 | (f[14] & 0x0f);
                    f[20] = 17;
                    f[56..58].copy_from_slice(&4789u16.to_be_bytes());
                } else {
                    f[12..14].copy_from_slice(&[0x08, 0x00]);
                    f[14] = 0x45;
                    f[23] = 17;
                    f[36..38].copy_from_slice(&4789u16.to_be_bytes());
                }
            }
            assert_fast_paths_agree(&f);
        }
    }

    #[test]
    fn inner_accessors() {
        let f = hand_frame();
        let d = vx(decapsulate(&f, &DecapConfig::default()));
        assert_eq!(d.inner_dst_mac(), Some(MacAddr6::new(2, 0, 0, 0, 0, 0xbb)));
        assert_eq!(d.inner_src_mac(), Some(MacAddr6::new(2, 0, 0, 0, 0, 0xaa)));
        assert_eq!(d.inner_ethertype(), Some(EtherType::ARP));
        let (eth, _) = EthernetHeader::decode(d.inner()).unwrap();
        assert_eq!(
            (Some(eth.dst), Some(eth.src)),
            (d.inner_dst_mac(), d.inner_src_mac())
        );
        let g = v6_frame();
        let d = vx(decapsulate(&g, &DecapConfig::default()));
        assert_eq!(d.inner_dst_mac(), Some(MacAddr6::new(0, 1, 2, 3, 4, 5)));
        assert_eq!(d.inner_src_mac(), Some(MacAddr6::new(6, 7, 8, 9, 10, 11)));
        assert_eq!(d.inner_ethertype(), Some(EtherType(0x0c0d)));
        // Short inner frames: None, never a panic.
        for len in 0..14 {
            let mut out = Vec::new();
            let inner: Vec<u8> = (1..=len).collect();
            encapsulate(&inner, &v6_params(), &mut out).unwrap();
            let d = vx(decapsulate(&out, &DecapConfig::default()));
            assert_eq!(d.inner().len(), usize::from(len));
            assert_eq!(d.inner_dst_mac().is_some(), len >= 6);
            assert_eq!(d.inner_src_mac().is_some(), len >= 12);
            assert_eq!(d.inner_ethertype().is_some(), len >= 14);
        }
    }

    #[test]
    fn every_truncation_is_a_typed_error() {
        let f = hand_frame();
        for cut in 0..f.len() {
            let e = decapsulate(&f[..cut], &DecapConfig::default()).unwrap_err();
            let expected_layer = match cut {
                0..14 => Layer::EthernetHeader,
                14..34 => Layer::Ipv4Header,
                _ => Layer::Ipv4Packet,
            };
            let expected_offset = if cut < 14 { 0 } else { 14 };
            assert_eq!(
                e,
                Error::Truncated {
                    layer: expected_layer,
                    offset: expected_offset,
                    needed: if cut < 14 {
                        14
                    } else if cut < 34 {
                        20
                    } else {
                        76
                    },
                    available: cut - expected_offset,
                },
                "cut {cut}"
            );
        }
        for cut in 0..f.len() - 14 {
            let e = decapsulate_ip(&f[14..14 + cut], &DecapConfig::default()).unwrap_err();
            assert_eq!(e.offset(), Some(0), "cut {cut}");
        }
    }

    #[test]
    fn malformed_lengths() {
        let f = hand_frame();
        let cfg = DecapConfig::default();
        let mut m = f.clone();
        m[14] = 0x44;
        assert_eq!(
            decapsulate(&m, &cfg).unwrap_err(),
            Error::Ipv4HeaderLength { offset: 14, ihl: 4 }
        );
        let mut m = f.clone();
        m[17] = 19;
        assert_eq!(
            decapsulate(&m, &cfg).unwrap_err(),
            Error::Ipv4TotalLength {
                offset: 14,
                total_length: 19,
                header_len: 20
            }
        );
        let mut m = f.clone();
        m[14] = 0x65;
        assert_eq!(
            decapsulate(&m, &cfg).unwrap_err(),
            Error::IpVersionMismatch {
                offset: 14,
                expected: 4,
                found: 6
            }
        );
        // UDP length larger and smaller than the IP payload
        for len in [57u8, 55, 7, 0] {
            let mut m = f.clone();
            m[39] = len;
            assert_eq!(
                decapsulate(&m, &cfg).unwrap_err(),
                Error::UdpLength {
                    offset: 34,
                    udp_length: u16::from(len),
                    ip_payload_len: 56
                }
            );
        }
        // IP total length that leaves no room for UDP
        let mut m = f.clone();
        m[17] = 24;
        assert_eq!(
            decapsulate(&m, &cfg).unwrap_err(),
            Error::Truncated {
                layer: Layer::UdpHeader,
                offset: 34,
                needed: 8,
                available: 4
            }
        );
        // IP total length that cuts the VXLAN header
        let mut m = f.clone();
        m[17] = 32;
        m[39] = 12;
        assert_eq!(
            decapsulate(&m, &cfg).unwrap_err(),
            Error::Truncated {
                layer: Layer::VxlanHeader,
                offset: 42,
                needed: 8,
                available: 4
            }
        );
        // I flag clear
        let mut m = f.clone();
        m[42] = 0;
        assert_eq!(
            decapsulate(&m, &cfg).unwrap_err(),
            Error::VniFlagClear {
                offset: 42,
                flags: 0
            }
        );
    }

    #[test]
    fn not_vxlan_reasons() {
        let f = hand_frame();
        let cfg = DecapConfig::default();
        let mut m = f.clone();
        m[12..14].copy_from_slice(&[0x08, 0x06]);
        assert_eq!(
            not(decapsulate(&m, &cfg)),
            NotVxlan::NonIpEthertype { ethertype: 0x0806 }
        );
        let mut m = f.clone();
        m[23] = 6;
        assert_eq!(not(decapsulate(&m, &cfg)), NotVxlan::NotUdp { protocol: 6 });
        let mut m = f.clone();
        m[36..38].copy_from_slice(&53u16.to_be_bytes());
        m[38] = 0xff; // a broken UDP length does not matter for other ports
        assert_eq!(
            not(decapsulate(&m, &cfg)),
            NotVxlan::UdpPortNotConfigured {
                src_port: 54321,
                dst_port: 53
            }
        );
        assert_eq!(
            not(decapsulate(&f, &DecapConfig::empty())),
            NotVxlan::UdpPortNotConfigured {
                src_port: 54321,
                dst_port: 4789
            }
        );
        let mut m = f.clone();
        m[20..22].copy_from_slice(&[0x00, 0xb9]);
        assert_eq!(
            not(decapsulate(&m, &cfg)),
            NotVxlan::NonFirstFragment {
                fragment_offset: 185
            }
        );
        let mut m = f.clone();
        m[20] = 0x20;
        assert_eq!(not(decapsulate(&m, &cfg)), NotVxlan::FirstFragment);
        // three VLAN tags
        let mut m = f[..12].to_vec();
        for _ in 0..3 {
            m.extend_from_slice(&[0x81, 0x00, 0x00, 0x01]);
        }
        m.extend_from_slice(&f[12..]);
        assert_eq!(not(decapsulate(&m, &cfg)), NotVxlan::TooManyVlanTags);
    }

    #[test]
    fn vlan_tags_and_trailer() {
        let f = hand_frame();
        let mut m = f[..12].to_vec();
        m.extend_from_slice(&[0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0xe0, 0x14]);
        m.extend_from_slice(&f[12..]);
        m.extend_from_slice(&[0, 0, 0, 0]); // padding / FCS after the IP packet
        let d = vx(decapsulate(&m, &DecapConfig::default()));
        let tags = d.vlans();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags.tags()[0].vid, VlanId::new(10).unwrap());
        assert_eq!(tags.tags()[0].tpid, VlanTpid::Dot1Ad);
        assert_eq!((tags.tags()[1].vid.get(), tags.tags()[1].pcp), (20, 7));
        assert_eq!(d.ip_offset(), 22);
        assert_eq!(d.inner(), &f[50..]);
        assert_eq!(d.trailer(), &[0, 0, 0, 0]);
        assert_eq!(d.ethernet().unwrap().ethertype, EtherType::IPV4);
        let mut out = Vec::new();
        d.to_owned().encode(&mut out);
        assert_eq!(out, m);
    }

    #[test]
    fn ipv4_options_and_decapsulate_ip() {
        let f = hand_frame();
        let mut ip = f[14..].to_vec();
        ip[0] = 0x46;
        ip[3] += 4;
        ip.splice(20..20, [0x94, 0x04, 0x00, 0x00]); // router alert
        let d = vx(decapsulate_ip(&ip, &DecapConfig::default()));
        assert!(!d.has_ethernet());
        assert_eq!(d.outer_src_mac(), None);
        assert_eq!(d.ethernet(), None);
        assert_eq!(d.udp_offset(), 24);
        assert_eq!(d.inner(), &f[50..]);
        let owned = d.to_owned();
        let OuterIp::V4(h) = &owned.ip else { panic!() };
        assert_eq!(h.options.as_bytes(), &[0x94, 0x04, 0, 0]);
        assert_eq!(owned.ethernet, None);
        let mut out = Vec::new();
        owned.encode(&mut out);
        // the checksum was not updated by hand above: equal except bytes 10-11
        assert_eq!(out.len(), ip.len());
        assert_eq!(out[..10], ip[..10]);
        assert_eq!(out[12..], ip[12..]);
        assert_eq!(
            decapsulate_ip(&[0x55], &DecapConfig::default()).unwrap_err(),
            Error::UnknownIpVersion {
                offset: 0,
                found: 5
            }
        );
        assert!(matches!(
            decapsulate_ip(&[], &DecapConfig::default()).unwrap_err(),
            Error::Truncated {
                offset: 0,
                available: 0,
                ..
            }
        ));
    }

    fn v6_params() -> EncapParams {
        EncapParams::new(
            MacAddr6::new(2, 0, 0, 0, 0, 1),
            MacAddr6::new(2, 0, 0, 0, 0, 2),
            "2001:db8::1".parse().unwrap(),
            "2001:db8::2".parse().unwrap(),
            Vni::new(0xABCDEF).unwrap(),
        )
    }

    #[test]
    fn ipv6_with_extension_headers() {
        let inner = [0x5Au8; 30];
        let mut f = Vec::new();
        encapsulate(&inner, &v6_params(), &mut f).unwrap();
        let mut owned = vx(decapsulate(&f, &DecapConfig::default())).to_owned();
        let OuterIp::V6(h) = &mut owned.ip else {
            panic!()
        };
        h.extensions = alloc::vec![
            Ipv6ExtHeader::new(Ipv6ExtKind::HopByHop, alloc::vec![5, 2, 0, 0, 1, 0]).unwrap(),
            Ipv6ExtHeader::new(Ipv6ExtKind::Fragment, alloc::vec![0, 0, 0, 0, 0, 0, 9]).unwrap(),
            Ipv6ExtHeader::new(
                Ipv6ExtKind::DestinationOptions,
                alloc::vec![1, 4, 0, 0, 0, 0]
            )
            .unwrap(),
        ];
        let mut g = Vec::new();
        owned.encode(&mut g);
        let d = vx(decapsulate(&g, &DecapConfig::default()));
        assert_eq!(d.udp_offset(), 14 + 40 + 24);
        assert_eq!(d.inner(), &inner);
        assert_eq!(d.vni().get(), 0xABCDEF);
        assert_eq!(d.to_owned(), owned);
        // UDP checksum is valid over the pseudo-header
        let udp = &g[d.udp_offset()..d.ip_end()];
        assert_eq!(
            crate::udp::udp_checksum(d.outer_src_ip(), d.outer_dst_ip(), &[udp]),
            0xFFFF
        );
        // M flag set -> first fragment
        let mut m = g.clone();
        m[14 + 40 + 8 + 3] |= 1;
        assert_eq!(
            not(decapsulate(&m, &DecapConfig::default())),
            NotVxlan::FirstFragment
        );
        // offset != 0 -> non-first fragment
        let mut m = g.clone();
        m[14 + 40 + 8 + 2] = 0x01;
        assert_eq!(
            not(decapsulate(&m, &DecapConfig::default())),
            NotVxlan::NonFirstFragment {
                fragment_offset: 32
            }
        );
        // ESP is not UDP
        let mut m = g.clone();
        m[14 + 40 + 16] = 50;
        assert_eq!(
            not(decapsulate(&m, &DecapConfig::default())),
            NotVxlan::NotUdp { protocol: 50 }
        );
        for cut in 0..g.len() {
            assert!(matches!(
                decapsulate(&g[..cut], &DecapConfig::default()),
                Err(Error::Truncated { .. })
            ));
        }
    }

    #[test]
    fn port_flavours() {
        let mut p = v6_params();
        p.src_ip = "10.0.0.1".parse().unwrap();
        p.dst_ip = "10.0.0.2".parse().unwrap();
        p.gbp = Some(crate::encap::GbpParams {
            group_policy_id: 0x0bad,
            dont_learn: true,
            policy_applied: false,
        });
        let mut f = Vec::new();
        encapsulate(&[1, 2, 3], &p, &mut f).unwrap();
        // Without gbp the reserved bits are kept in a standard header.
        let d = vx(decapsulate(&f, &DecapConfig::default()));
        assert_eq!(d.gbp(), None);
        let VxlanHeader::Standard(s) = d.header() else {
            panic!()
        };
        assert_eq!((s.reserved_flags, s.reserved1), (0x80, [0x40, 0x0b, 0xad]));
        let d = vx(decapsulate(&f, &DecapConfig::default().with_gbp(true)));
        let g = d.gbp().unwrap();
        assert!(g.group_policy_present && g.dont_learn && !g.policy_applied);
        assert_eq!(g.group_policy_id, 0x0bad);
        let cfg = DecapConfig::empty().with_port(4789, HeaderFlavour::Gpe);
        let d = vx(decapsulate(&f, &cfg));
        assert_eq!(d.gpe().unwrap().next_protocol, NextProtocol::Unknown(0xad));
        assert_eq!(cfg.ports(), &[(4789, HeaderFlavour::Gpe)]);
        let mut cfg = DecapConfig::default();
        assert_eq!(cfg.remove_port(4789), Some(HeaderFlavour::Standard));
        assert_eq!(cfg.remove_port(4789), None);
        cfg.add_port(8472, HeaderFlavour::Gbp);
        assert_eq!(cfg.flavour_for(8472), Some(HeaderFlavour::Gbp));
        assert_eq!(cfg.ports().len(), 2);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn not_vxlan_serializes() {
        let s = serde_json::to_string(&NotVxlan::UdpPortNotConfigured {
            src_port: 1,
            dst_port: 2,
        })
        .unwrap();
        assert_eq!(
            s,
            r#"{"reason":"udp_port_not_configured","src_port":1,"dst_port":2}"#
        );
        let s = serde_json::to_string(&NotVxlan::FirstFragment).unwrap();
        assert_eq!(s, r#"{"reason":"first_fragment"}"#);
        let c = serde_json::to_string(&DecapConfig::default()).unwrap();
        assert_eq!(
            serde_json::from_str::<DecapConfig>(&c).unwrap(),
            DecapConfig::default()
        );
    }
}
