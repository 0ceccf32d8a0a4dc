//! Ethernet II headers with up to two VLAN tags (802.1Q, 802.1ad / QinQ),
//! used for the outer frame and for building inner frames.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Destination MAC Address                    |
//! +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                               |                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//! |                      Source MAC Address                       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |   TPID 0x88A8 / 0x8100 / 0x9100 | PCP |D|        VID         |  optional, 0-2 times
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          EtherType            |  payload ...
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! A tag's TPID is a [`VlanTpid`], one of the three values the decoders
//! take as a tag, so every header that can be built encodes to bytes that
//! decode back to it.
//!
//! ```
//! use vxlan_wire::{EtherType, EthernetFrame, EthernetHeader, VlanId, VlanTag, VlanTpid};
//! use macaddr::MacAddr6;
//! let s_tag = VlanTag { tpid: VlanTpid::Dot1Ad, ..VlanTag::new(VlanId::new(10).unwrap()) };
//! let hdr = EthernetHeader::new(MacAddr6::broadcast(), MacAddr6::new(2, 0, 0, 0, 0, 1), EtherType::ARP)
//!     .with_vlan(s_tag)
//!     .with_vlan(VlanTag::new(VlanId::new(100).unwrap()));
//! let mut out = Vec::new();
//! EthernetFrame { header: hdr, payload: &[1, 2, 3] }.encode(&mut out);
//! assert_eq!(out.len(), 22 + 3);
//! assert_eq!(out[12..14], [0x88, 0xa8]);
//! assert_eq!(out[16..18], [0x81, 0x00]);
//! let back = EthernetFrame::decode(&out).unwrap();
//! assert_eq!(back.header, hdr);
//! assert_eq!(back.payload, &[1, 2, 3]);
//! ```

use core::fmt;

use bytes::BufMut;
use macaddr::MacAddr6;

use crate::Error;
use crate::error::{Layer, rd};

/// Length of an untagged Ethernet II header.
pub const ETHERNET_HEADER_LEN: usize = 14;
/// Length of one VLAN tag.
pub const VLAN_TAG_LEN: usize = 4;
/// Minimum Ethernet frame length without the FCS.
pub const ETHERNET_MIN_FRAME_LEN: usize = 60;

/// A 16-bit EtherType (or TPID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct EtherType(pub u16);

impl EtherType {
    /// IPv4.
    pub const IPV4: EtherType = EtherType(0x0800);
    /// ARP.
    pub const ARP: EtherType = EtherType(0x0806);
    /// IPv6.
    pub const IPV6: EtherType = EtherType(0x86DD);
    /// 802.1Q customer VLAN tag.
    pub const VLAN: EtherType = EtherType(0x8100);
    /// 802.1ad service VLAN tag (QinQ outer tag).
    pub const QINQ: EtherType = EtherType(0x88A8);
    /// Pre-standard QinQ outer tag used by some switches.
    pub const QINQ_LEGACY: EtherType = EtherType(0x9100);

    /// Whether this value announces a VLAN tag, i.e. is one of the
    /// [`VlanTpid`] values.
    pub const fn is_vlan_tpid(self) -> bool {
        VlanTpid::from_u16(self.0).is_some()
    }
}

impl From<VlanTpid> for EtherType {
    fn from(t: VlanTpid) -> EtherType {
        t.ether_type()
    }
}

impl fmt::Display for EtherType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#06x}", self.0)
    }
}

/// The TPID of a VLAN tag: one of the three values the decoders take as
/// announcing a tag, so a [`VlanTag`] always encodes to bytes that decode
/// back as a tag.
///
/// With the `serde` feature it is (de)serialized as its number (`33024`
/// for 802.1Q), as [`EtherType`] is; deserializing any other number fails.
///
/// ```
/// use vxlan_wire::{EtherType, VlanTpid};
/// assert_eq!(VlanTpid::from_u16(0x88a8), Some(VlanTpid::Dot1Ad));
/// assert_eq!(VlanTpid::from_u16(0x0800), None);
/// assert_eq!(VlanTpid::QinQ9100.to_u16(), 0x9100);
/// assert_eq!(EtherType::from(VlanTpid::Dot1Q), EtherType::VLAN);
/// assert!(VlanTpid::try_from(EtherType::IPV4).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum VlanTpid {
    /// 0x8100: 802.1Q customer VLAN tag (C-tag).
    #[default]
    Dot1Q,
    /// 0x88A8: 802.1ad service VLAN tag (S-tag, QinQ outer tag).
    Dot1Ad,
    /// 0x9100: pre-standard QinQ outer tag used by some switches.
    QinQ9100,
}

impl VlanTpid {
    /// All three values.
    pub const ALL: [VlanTpid; 3] = [VlanTpid::Dot1Q, VlanTpid::Dot1Ad, VlanTpid::QinQ9100];

    /// The TPID for a wire value; `None` when `v` does not announce a VLAN
    /// tag.
    #[inline]
    pub const fn from_u16(v: u16) -> Option<VlanTpid> {
        match v {
            0x8100 => Some(VlanTpid::Dot1Q),
            0x88A8 => Some(VlanTpid::Dot1Ad),
            0x9100 => Some(VlanTpid::QinQ9100),
            _ => None,
        }
    }

    /// The wire value.
    #[inline]
    pub const fn to_u16(self) -> u16 {
        match self {
            VlanTpid::Dot1Q => 0x8100,
            VlanTpid::Dot1Ad => 0x88A8,
            VlanTpid::QinQ9100 => 0x9100,
        }
    }

    /// The wire value as an [`EtherType`].
    #[inline]
    pub const fn ether_type(self) -> EtherType {
        EtherType(self.to_u16())
    }
}

impl From<VlanTpid> for u16 {
    fn from(t: VlanTpid) -> u16 {
        t.to_u16()
    }
}

/// Returned by `VlanTpid::try_from` for a value that is not a VLAN TPID;
/// holds that value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NotVlanTpid(pub u16);

impl fmt::Display for NotVlanTpid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:#06x} is not a VLAN TPID, expected 0x8100, 0x88a8 or 0x9100",
            self.0
        )
    }
}

impl core::error::Error for NotVlanTpid {}

impl TryFrom<u16> for VlanTpid {
    type Error = NotVlanTpid;
    fn try_from(v: u16) -> Result<VlanTpid, NotVlanTpid> {
        VlanTpid::from_u16(v).ok_or(NotVlanTpid(v))
    }
}

impl TryFrom<EtherType> for VlanTpid {
    type Error = NotVlanTpid;
    fn try_from(v: EtherType) -> Result<VlanTpid, NotVlanTpid> {
        VlanTpid::try_from(v.0)
    }
}

impl fmt::Display for VlanTpid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#06x}", self.to_u16())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for VlanTpid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.to_u16())
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for VlanTpid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<VlanTpid, D::Error> {
        let v = u16::deserialize(d)?;
        VlanTpid::try_from(v).map_err(serde::de::Error::custom)
    }
}

/// A 12-bit VLAN identifier, `0..=4095`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u16", into = "u16"))]
pub struct VlanId(u16);

impl VlanId {
    /// Largest value, 4095.
    pub const MAX: VlanId = VlanId(0xFFF);

    /// Validates a 12-bit value.
    pub const fn new(v: u16) -> Result<VlanId, Error> {
        if v > 0xFFF {
            Err(Error::OutOfRange {
                field: "VLAN ID",
                value: v as u64,
                max: 0xFFF,
            })
        } else {
            Ok(VlanId(v))
        }
    }

    /// The numeric value.
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for VlanId {
    type Error = Error;
    fn try_from(v: u16) -> Result<VlanId, Error> {
        VlanId::new(v)
    }
}

impl From<VlanId> for u16 {
    fn from(v: VlanId) -> u16 {
        v.0
    }
}

impl fmt::Display for VlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// One VLAN tag: TPID and TCI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VlanTag {
    /// Tag protocol identifier (0x8100, 0x88A8 or 0x9100).
    pub tpid: VlanTpid,
    /// Priority code point; only the low 3 bits are written.
    pub pcp: u8,
    /// Drop eligible indicator.
    pub dei: bool,
    /// VLAN identifier.
    pub vid: VlanId,
}

impl VlanTag {
    /// An 802.1Q tag with priority 0.
    pub const fn new(vid: VlanId) -> Self {
        VlanTag {
            tpid: VlanTpid::Dot1Q,
            pcp: 0,
            dei: false,
            vid,
        }
    }

    /// The 16-bit TCI.
    pub const fn tci(&self) -> u16 {
        ((self.pcp as u16 & 7) << 13) | ((self.dei as u16) << 12) | self.vid.0
    }

    /// Splits a TCI.
    pub const fn from_tpid_tci(tpid: VlanTpid, tci: u16) -> Self {
        VlanTag {
            tpid,
            pcp: (tci >> 13) as u8,
            dei: tci & 0x1000 != 0,
            vid: VlanId(tci & 0xFFF),
        }
    }

    /// The 4 wire bytes.
    pub const fn to_bytes(&self) -> [u8; 4] {
        let t = self.tpid.to_u16().to_be_bytes();
        let c = self.tci().to_be_bytes();
        [t[0], t[1], c[0], c[1]]
    }
}

/// The VLAN tags of a frame, outermost first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Vlans {
    /// Untagged.
    #[default]
    None,
    /// One tag.
    Single(VlanTag),
    /// Two tags (QinQ): outer (service) then inner (customer).
    Double([VlanTag; 2]),
}

impl Vlans {
    /// The tags, outermost first.
    pub fn tags(&self) -> &[VlanTag] {
        match self {
            Vlans::None => &[],
            Vlans::Single(t) => core::slice::from_ref(t),
            Vlans::Double(t) => t,
        }
    }

    /// Number of tags.
    pub fn len(&self) -> usize {
        self.tags().len()
    }

    /// True when untagged.
    pub fn is_empty(&self) -> bool {
        matches!(self, Vlans::None)
    }

    /// The outermost tag.
    pub fn outer(&self) -> Option<&VlanTag> {
        self.tags().first()
    }

    /// Adds a tag inside the existing ones; `None` when there are already two.
    pub fn push(self, tag: VlanTag) -> Option<Vlans> {
        match self {
            Vlans::None => Some(Vlans::Single(tag)),
            Vlans::Single(o) => Some(Vlans::Double([o, tag])),
            Vlans::Double(_) => None,
        }
    }

    /// Bytes the tags take on the wire.
    pub fn encoded_len(&self) -> usize {
        self.len() * VLAN_TAG_LEN
    }

    /// Reads the tags at `off` in `buf`, given the EtherType/TPID at `off - 2`.
    /// Returns the tags, the final EtherType and its offset; `Ok(None)` when a
    /// third tag follows (not supported).
    pub(crate) fn decode_at(
        buf: &[u8],
        off: usize,
        first: u16,
    ) -> Result<Option<(Vlans, EtherType, usize)>, Error> {
        let mut vlans = Vlans::None;
        let mut ethertype = first;
        let mut et_off = off - 2;
        while let Some(tpid) = VlanTpid::from_u16(ethertype) {
            let tag_off = et_off + 2;
            let t: [u8; 4] = rd::array(buf, tag_off, Layer::VlanTag)?;
            let tag = VlanTag::from_tpid_tci(tpid, u16::from_be_bytes([t[0], t[1]]));
            vlans = match vlans.push(tag) {
                Some(v) => v,
                None => return Ok(None),
            };
            ethertype = u16::from_be_bytes([t[2], t[3]]);
            et_off = tag_off + 2;
        }
        Ok(Some((vlans, EtherType(ethertype), et_off)))
    }

    /// Writes the tags.
    pub fn encode(&self, out: &mut impl BufMut) {
        for t in self.tags() {
            out.put_slice(&t.to_bytes());
        }
    }
}

/// An Ethernet II header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EthernetHeader {
    /// Destination MAC.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub dst: MacAddr6,
    /// Source MAC.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::mac"))]
    pub src: MacAddr6,
    /// VLAN tags, outermost first.
    pub vlans: Vlans,
    /// EtherType of the payload (after the tags).
    pub ethertype: EtherType,
}

impl EthernetHeader {
    /// An untagged header.
    pub const fn new(dst: MacAddr6, src: MacAddr6, ethertype: EtherType) -> Self {
        EthernetHeader {
            dst,
            src,
            vlans: Vlans::None,
            ethertype,
        }
    }

    /// Adds a VLAN tag inside the existing ones (a third tag is ignored;
    /// use [`Vlans::push`] to detect that).
    pub fn with_vlan(mut self, tag: VlanTag) -> Self {
        if let Some(v) = self.vlans.push(tag) {
            self.vlans = v;
        }
        self
    }

    /// Header length: 14, 18 or 22.
    pub fn encoded_len(&self) -> usize {
        ETHERNET_HEADER_LEN + self.vlans.encoded_len()
    }

    /// Decodes a header from the start of `buf`; returns it and its length.
    ///
    /// A frame with three or more VLAN tags is an error
    /// ([`Error::TooManyVlanTags`]).
    pub fn decode(buf: &[u8]) -> Result<(EthernetHeader, usize), Error> {
        let b: [u8; ETHERNET_HEADER_LEN] = rd::array(buf, 0, Layer::EthernetHeader)?;
        let dst = MacAddr6::new(b[0], b[1], b[2], b[3], b[4], b[5]);
        let src = MacAddr6::new(b[6], b[7], b[8], b[9], b[10], b[11]);
        let first = u16::from_be_bytes([b[12], b[13]]);
        match Vlans::decode_at(buf, ETHERNET_HEADER_LEN, first)? {
            Some((vlans, ethertype, et_off)) => Ok((
                EthernetHeader {
                    dst,
                    src,
                    vlans,
                    ethertype,
                },
                et_off + 2,
            )),
            None => Err(Error::TooManyVlanTags {
                offset: ETHERNET_HEADER_LEN - 2 + 2 * VLAN_TAG_LEN,
            }),
        }
    }

    /// Writes the header.
    pub fn encode(&self, out: &mut impl BufMut) {
        out.put_slice(&self.dst.into_array());
        out.put_slice(&self.src.into_array());
        self.vlans.encode(out);
        out.put_u16(self.ethertype.0);
    }
}

/// An Ethernet frame: header and borrowed payload (everything after the
/// EtherType, no FCS handling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EthernetFrame<'a> {
    /// The header.
    pub header: EthernetHeader,
    /// The payload.
    pub payload: &'a [u8],
}

impl<'a> EthernetFrame<'a> {
    /// Splits a frame into header and payload.
    pub fn decode(buf: &'a [u8]) -> Result<Self, Error> {
        let (header, len) = EthernetHeader::decode(buf)?;
        Ok(EthernetFrame {
            header,
            payload: buf.get(len..).unwrap_or(&[]),
        })
    }

    /// Header plus payload length.
    pub fn encoded_len(&self) -> usize {
        self.header.encoded_len() + self.payload.len()
    }

    /// Writes header and payload.
    pub fn encode(&self, out: &mut impl BufMut) {
        self.header.encode(out);
        out.put_slice(self.payload);
    }

    /// Length written by [`EthernetFrame::encode_padded`]: at least 60 bytes.
    pub fn padded_len(&self) -> usize {
        self.encoded_len().max(ETHERNET_MIN_FRAME_LEN)
    }

    /// Writes header and payload, then zero padding up to the 60-byte
    /// Ethernet minimum (without FCS), as a NIC would send it.
    pub fn encode_padded(&self, out: &mut impl BufMut) {
        self.encode(out);
        out.put_bytes(0, self.padded_len() - self.encoded_len());
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    const A: MacAddr6 = MacAddr6::new(0, 0x16, 0x3e, 8, 0x71, 0xcf);
    const B: MacAddr6 = MacAddr6::new(0x36, 0xdc, 0x85, 0x1e, 0xb3, 0x40);

    #[test]
    fn untagged() {
        let mut buf = Vec::new();
        buf.extend_from_slice(&A.into_array());
        buf.extend_from_slice(&B.into_array());
        buf.extend_from_slice(&[0x08, 0x00, 0x45]);
        let f = EthernetFrame::decode(&buf).unwrap();
        assert_eq!(f.header, EthernetHeader::new(A, B, EtherType::IPV4));
        assert_eq!(f.payload, &[0x45]);
        let mut out = Vec::new();
        f.encode(&mut out);
        assert_eq!(out, buf);
    }

    #[test]
    fn qinq() {
        let hex = [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, // macs
            0x88, 0xa8, 0xa0, 0x64, // S-tag pcp 5 vid 100
            0x81, 0x00, 0x30, 0xc8, // C-tag pcp 1 dei 1 vid 200
            0x86, 0xdd,
        ];
        let (h, len) = EthernetHeader::decode(&hex).unwrap();
        assert_eq!(len, 22);
        assert_eq!(h.ethertype, EtherType::IPV6);
        let t = h.vlans.tags();
        assert_eq!(t.len(), 2);
        assert_eq!(
            (t[0].tpid, t[0].pcp, t[0].dei, t[0].vid.get()),
            (VlanTpid::Dot1Ad, 5, false, 100)
        );
        assert_eq!(
            (t[1].tpid, t[1].pcp, t[1].dei, t[1].vid.get()),
            (VlanTpid::Dot1Q, 1, true, 200)
        );
        let mut out = Vec::new();
        h.encode(&mut out);
        assert_eq!(out, hex);
        assert_eq!(h.encoded_len(), 22);
    }

    #[test]
    fn three_tags_and_truncation() {
        let mut b = [0u8; 26];
        b[12..14].copy_from_slice(&[0x81, 0]);
        b[16..18].copy_from_slice(&[0x81, 0]);
        b[20..22].copy_from_slice(&[0x81, 0]);
        assert_eq!(
            EthernetHeader::decode(&b),
            Err(Error::TooManyVlanTags { offset: 20 })
        );
        assert_eq!(
            EthernetHeader::decode(&b[..13]),
            Err(Error::Truncated {
                layer: Layer::EthernetHeader,
                offset: 0,
                needed: 14,
                available: 13
            })
        );
        assert_eq!(
            EthernetHeader::decode(&b[..17]),
            Err(Error::Truncated {
                layer: Layer::VlanTag,
                offset: 14,
                needed: 4,
                available: 3
            })
        );
    }

    #[test]
    fn vlan_id_bounds_and_padding() {
        assert!(VlanId::new(4096).is_err());
        assert_eq!(VlanId::MAX.get(), 4095);
        let h = EthernetHeader::new(A, B, EtherType::ARP);
        let f = EthernetFrame {
            header: h,
            payload: &[1; 28],
        };
        let mut out = Vec::new();
        f.encode_padded(&mut out);
        assert_eq!(out.len(), 60);
        assert!(out[42..].iter().all(|&b| b == 0));
        assert_eq!(
            Vlans::Double([VlanTag::new(VlanId::MAX); 2]).push(VlanTag::new(VlanId::MAX)),
            None
        );
    }

    #[test]
    fn vlan_tpid_values() {
        for v in 0..=u16::MAX {
            let t = VlanTpid::from_u16(v);
            assert_eq!(t.is_some(), matches!(v, 0x8100 | 0x88A8 | 0x9100), "{v:#x}");
            assert_eq!(t.is_some(), EtherType(v).is_vlan_tpid());
            assert_eq!(VlanTpid::try_from(v).ok(), t);
            assert_eq!(VlanTpid::try_from(EtherType(v)).ok(), t);
            if let Some(t) = t {
                assert_eq!(t.to_u16(), v);
                assert_eq!(u16::from(t), v);
                assert_eq!(EtherType::from(t), EtherType(v));
            } else {
                assert_eq!(VlanTpid::try_from(v), Err(NotVlanTpid(v)));
            }
        }
        for t in VlanTpid::ALL {
            assert_eq!(VlanTpid::from_u16(t.to_u16()), Some(t));
            assert_eq!(
                VlanTag::from_tpid_tci(t, 0x2064).to_bytes()[..2],
                t.to_u16().to_be_bytes()
            );
        }
        assert_eq!(VlanTpid::Dot1Q.ether_type(), EtherType::VLAN);
        assert_eq!(VlanTpid::Dot1Ad.ether_type(), EtherType::QINQ);
        assert_eq!(VlanTpid::QinQ9100.ether_type(), EtherType::QINQ_LEGACY);
        assert_eq!(VlanTpid::default(), VlanTpid::Dot1Q);
        assert_eq!(alloc::format!("{}", VlanTpid::Dot1Ad), "0x88a8");
        assert_eq!(
            alloc::format!("{}", NotVlanTpid(0x800)),
            "0x0800 is not a VLAN TPID, expected 0x8100, 0x88a8 or 0x9100"
        );
    }

    #[cfg(feature = "serde")]
    #[test]
    fn vlan_tpid_serde_as_number() {
        for t in VlanTpid::ALL {
            let s = serde_json::to_string(&t).unwrap();
            assert_eq!(s, alloc::format!("{}", t.to_u16()));
            assert_eq!(serde_json::from_str::<VlanTpid>(&s).unwrap(), t);
        }
        let e = serde_json::from_str::<VlanTpid>("2048").unwrap_err();
        assert!(e.to_string().contains("not a VLAN TPID"), "{e}");
        assert!(serde_json::from_str::<VlanTpid>("70000").is_err());
        assert!(serde_json::from_str::<VlanTpid>(r#""Dot1Q""#).is_err());
        let tag = VlanTag {
            tpid: VlanTpid::Dot1Ad,
            pcp: 5,
            dei: true,
            vid: VlanId::new(100).unwrap(),
        };
        let s = serde_json::to_string(&tag).unwrap();
        assert_eq!(s, r#"{"tpid":34984,"pcp":5,"dei":true,"vid":100}"#);
        assert_eq!(serde_json::from_str::<VlanTag>(&s).unwrap(), tag);
        let bad = r#"{"tpid":2048,"pcp":5,"dei":true,"vid":100}"#;
        assert!(serde_json::from_str::<VlanTag>(bad).is_err());
    }

    pub(crate) fn arb_tpid() -> impl Strategy<Value = VlanTpid> {
        prop::sample::select(&VlanTpid::ALL[..])
    }

    fn arb_tag() -> impl Strategy<Value = VlanTag> {
        (arb_tpid(), 0u8..8, any::<bool>(), 0u16..4096).prop_map(|(tpid, pcp, dei, vid)| VlanTag {
            tpid,
            pcp,
            dei,
            vid: VlanId::new(vid).unwrap(),
        })
    }

    pub(crate) fn arb_vlans() -> impl Strategy<Value = Vlans> {
        prop_oneof![
            Just(Vlans::None),
            arb_tag().prop_map(Vlans::Single),
            (arb_tag(), arb_tag()).prop_map(|(a, b)| Vlans::Double([a, b])),
        ]
    }

    proptest! {
        #[test]
        fn header_round_trip(dst in any::<[u8; 6]>(), src in any::<[u8; 6]>(), vlans in arb_vlans(),
                             et in any::<u16>().prop_filter("not a tpid", |e| !EtherType(*e).is_vlan_tpid()),
                             payload in prop::collection::vec(any::<u8>(), 0..80)) {
            let header = EthernetHeader { dst: dst.into(), src: src.into(), vlans, ethertype: EtherType(et) };
            let f = EthernetFrame { header, payload: &payload };
            let mut buf = alloc::vec![0xA5u8; f.encoded_len()];
            f.encode(&mut &mut buf[..]);
            let back = EthernetFrame::decode(&buf).unwrap();
            prop_assert_eq!(back, f);
            for cut in 0..header.encoded_len() {
                let is_truncated = matches!(EthernetHeader::decode(&buf[..cut]), Err(Error::Truncated { .. }));
                prop_assert!(is_truncated);
            }
        }
    }
}
