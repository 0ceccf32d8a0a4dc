//! BGP path attributes (RFC 4271 section 4.3 and the RFCs of each type).
//!
//! ```text
//! +----------------+----------------+------------------------------+
//! | Attr. Flags (1)| Attr. Type (1) | Length (1, or 2 if Extended  |
//! |                |                |  Length flag)  | Value ...   |
//! +----------------+----------------+------------------------------+
//! Flags: 0x80 Optional, 0x40 Transitive, 0x20 Partial, 0x10 Extended Length,
//!        low four bits unused (kept as received).
//! ```
//!
//! The flags octet is kept exactly as received: an attribute sent with the
//! Extended Length flag although its value is short re-encodes with a
//! two-octet length. The flag is added on encode when the value is longer
//! than 255 octets.

pub mod aggregator;
pub mod as_path;
pub mod atomic_aggregate;
pub mod cluster_list;
pub mod communities;
pub mod large_community;
pub mod local_pref;
pub mod med;
pub mod mp_reach;
pub mod mp_unreach;
pub mod next_hop;
pub mod origin;
pub mod originator_id;
pub mod pmsi_tunnel;
pub mod unknown;

use alloc::vec::Vec;
use core::net::Ipv4Addr;

use bytes::BufMut;

pub use aggregator::Aggregator;
pub use as_path::{AS_TRANS, AsPath, AsSegment, AsSegmentType};
pub use communities::Community;
pub use large_community::LargeCommunity;
pub use mp_reach::{MpNextHop, MpNlri, MpReach, OtherNlri, RawNextHop};
pub use mp_unreach::MpUnreach;
pub use origin::Origin;
pub use pmsi_tunnel::{PmsiTunnel, PmsiTunnelIdentifier, RawTunnelIdentifier};
pub use unknown::UnknownAttribute;

use crate::error::{Error, Result, Section};
use crate::extcomm::ipv6_specific::{
    Ipv6ExtendedCommunity, decode_ipv6_extended_communities, encode_ipv6_extended_communities,
};
use crate::extcomm::{
    ExtendedCommunity, decode_extended_communities, encode_extended_communities,
    extended_communities_len,
};
use crate::message::context::{DecodingContext, Dir};
use crate::parse::Cursor;

/// Attribute type codes (IANA "BGP Path Attributes").
pub mod type_code {
    /// ORIGIN (RFC 4271).
    pub const ORIGIN: u8 = 1;
    /// AS_PATH (RFC 4271).
    pub const AS_PATH: u8 = 2;
    /// NEXT_HOP (RFC 4271).
    pub const NEXT_HOP: u8 = 3;
    /// MULTI_EXIT_DISC (RFC 4271).
    pub const MULTI_EXIT_DISC: u8 = 4;
    /// LOCAL_PREF (RFC 4271).
    pub const LOCAL_PREF: u8 = 5;
    /// ATOMIC_AGGREGATE (RFC 4271).
    pub const ATOMIC_AGGREGATE: u8 = 6;
    /// AGGREGATOR (RFC 4271).
    pub const AGGREGATOR: u8 = 7;
    /// COMMUNITIES (RFC 1997).
    pub const COMMUNITIES: u8 = 8;
    /// ORIGINATOR_ID (RFC 4456).
    pub const ORIGINATOR_ID: u8 = 9;
    /// CLUSTER_LIST (RFC 4456).
    pub const CLUSTER_LIST: u8 = 10;
    /// MP_REACH_NLRI (RFC 4760).
    pub const MP_REACH_NLRI: u8 = 14;
    /// MP_UNREACH_NLRI (RFC 4760).
    pub const MP_UNREACH_NLRI: u8 = 15;
    /// EXTENDED COMMUNITIES (RFC 4360).
    pub const EXTENDED_COMMUNITIES: u8 = 16;
    /// AS4_PATH (RFC 6793).
    pub const AS4_PATH: u8 = 17;
    /// AS4_AGGREGATOR (RFC 6793).
    pub const AS4_AGGREGATOR: u8 = 18;
    /// PMSI_TUNNEL (RFC 6514).
    pub const PMSI_TUNNEL: u8 = 22;
    /// IPv6 Address Specific Extended Community (RFC 5701).
    pub const IPV6_EXTENDED_COMMUNITIES: u8 = 25;
    /// LARGE_COMMUNITY (RFC 8092).
    pub const LARGE_COMMUNITY: u8 = 32;

    /// Type codes this crate decodes into typed values.
    pub const KNOWN: [u8; 18] = [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 22, 25, 32,
    ];
}

/// The Attribute Flags octet, kept whole (including the unused low bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AttributeFlags(pub u8);

impl AttributeFlags {
    /// Optional bit.
    pub const OPTIONAL: u8 = 0x80;
    /// Transitive bit.
    pub const TRANSITIVE: u8 = 0x40;
    /// Partial bit.
    pub const PARTIAL: u8 = 0x20;
    /// Extended Length bit.
    pub const EXTENDED_LENGTH: u8 = 0x10;

    /// Optional (not well-known).
    pub fn optional(self) -> bool {
        self.0 & Self::OPTIONAL != 0
    }
    /// Transitive.
    pub fn transitive(self) -> bool {
        self.0 & Self::TRANSITIVE != 0
    }
    /// Partial: some speaker on the path did not recognise the attribute.
    pub fn partial(self) -> bool {
        self.0 & Self::PARTIAL != 0
    }
    /// Two-octet length.
    pub fn extended_length(self) -> bool {
        self.0 & Self::EXTENDED_LENGTH != 0
    }

    /// The Optional and Transitive bits RFC 4271 and the attribute's RFC fix
    /// for a known type code (`None` for unknown types).
    pub fn expected_for(type_code: u8) -> Option<u8> {
        match type_code {
            1 | 2 | 3 | 5 | 6 => Some(Self::TRANSITIVE),
            4 | 9 | 10 | 14 | 15 => Some(Self::OPTIONAL),
            7 | 8 | 16 | 17 | 18 | 22 | 25 | 32 => Some(Self::OPTIONAL | Self::TRANSITIVE),
            _ => None,
        }
    }

    /// The flags a speaker sends for a new attribute of this type (unknown
    /// types: optional transitive).
    pub fn default_for(type_code: u8) -> AttributeFlags {
        AttributeFlags(Self::expected_for(type_code).unwrap_or(Self::OPTIONAL | Self::TRANSITIVE))
    }

    /// RFC 4271 section 6.3 / RFC 7606 section 3.c: Optional and Transitive
    /// bits must match the type; Partial must be clear on well-known and
    /// optional non-transitive attributes.
    pub fn valid_for(self, type_code: u8) -> bool {
        match Self::expected_for(type_code) {
            None => true,
            Some(e) => {
                self.0 & (Self::OPTIONAL | Self::TRANSITIVE) == e
                    && (e == Self::OPTIONAL | Self::TRANSITIVE || !self.partial())
            }
        }
    }
}

/// A typed attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum AttributeValue {
    /// ORIGIN (1).
    Origin(Origin),
    /// AS_PATH (2), 2- or 4-octet AS numbers as the session negotiated.
    AsPath(AsPath),
    /// NEXT_HOP (3).
    NextHop(Ipv4Addr),
    /// MULTI_EXIT_DISC (4).
    MultiExitDisc(u32),
    /// LOCAL_PREF (5).
    LocalPref(u32),
    /// ATOMIC_AGGREGATE (6).
    AtomicAggregate,
    /// AGGREGATOR (7).
    Aggregator(Aggregator),
    /// COMMUNITIES (8).
    Communities(Vec<Community>),
    /// ORIGINATOR_ID (9).
    OriginatorId(Ipv4Addr),
    /// CLUSTER_LIST (10).
    ClusterList(Vec<Ipv4Addr>),
    /// MP_REACH_NLRI (14).
    MpReach(MpReach),
    /// MP_UNREACH_NLRI (15).
    MpUnreach(MpUnreach),
    /// EXTENDED COMMUNITIES (16).
    ExtendedCommunities(Vec<ExtendedCommunity>),
    /// AS4_PATH (17), always 4-octet AS numbers.
    As4Path(AsPath),
    /// AS4_AGGREGATOR (18).
    As4Aggregator(Aggregator),
    /// PMSI_TUNNEL (22).
    PmsiTunnel(PmsiTunnel),
    /// IPv6 Address Specific Extended Community (25).
    Ipv6ExtendedCommunities(Vec<Ipv6ExtendedCommunity>),
    /// LARGE_COMMUNITY (32).
    LargeCommunities(Vec<LargeCommunity>),
    /// Any other type, kept raw.
    Unknown(UnknownAttribute),
}

impl AttributeValue {
    /// The attribute type code.
    pub fn type_code(&self) -> u8 {
        use type_code as t;
        match self {
            AttributeValue::Origin(_) => t::ORIGIN,
            AttributeValue::AsPath(_) => t::AS_PATH,
            AttributeValue::NextHop(_) => t::NEXT_HOP,
            AttributeValue::MultiExitDisc(_) => t::MULTI_EXIT_DISC,
            AttributeValue::LocalPref(_) => t::LOCAL_PREF,
            AttributeValue::AtomicAggregate => t::ATOMIC_AGGREGATE,
            AttributeValue::Aggregator(_) => t::AGGREGATOR,
            AttributeValue::Communities(_) => t::COMMUNITIES,
            AttributeValue::OriginatorId(_) => t::ORIGINATOR_ID,
            AttributeValue::ClusterList(_) => t::CLUSTER_LIST,
            AttributeValue::MpReach(_) => t::MP_REACH_NLRI,
            AttributeValue::MpUnreach(_) => t::MP_UNREACH_NLRI,
            AttributeValue::ExtendedCommunities(_) => t::EXTENDED_COMMUNITIES,
            AttributeValue::As4Path(_) => t::AS4_PATH,
            AttributeValue::As4Aggregator(_) => t::AS4_AGGREGATOR,
            AttributeValue::PmsiTunnel(_) => t::PMSI_TUNNEL,
            AttributeValue::Ipv6ExtendedCommunities(_) => t::IPV6_EXTENDED_COMMUNITIES,
            AttributeValue::LargeCommunities(_) => t::LARGE_COMMUNITY,
            AttributeValue::Unknown(u) => u.type_code(),
        }
    }

    pub(crate) fn value_len(&self, dir: Dir<'_>) -> usize {
        match self {
            AttributeValue::Origin(_) => 1,
            AttributeValue::AsPath(p) => p.encoded_len(dir.four_octet_as),
            AttributeValue::As4Path(p) => p.encoded_len(true),
            AttributeValue::NextHop(_)
            | AttributeValue::MultiExitDisc(_)
            | AttributeValue::LocalPref(_)
            | AttributeValue::OriginatorId(_) => 4,
            AttributeValue::AtomicAggregate => 0,
            AttributeValue::Aggregator(a) => a.encoded_len(dir.four_octet_as),
            AttributeValue::As4Aggregator(a) => a.encoded_len(true),
            AttributeValue::Communities(c) => c.len() * 4,
            AttributeValue::ClusterList(c) => c.len() * 4,
            AttributeValue::MpReach(m) => m.encoded_len(dir),
            AttributeValue::MpUnreach(m) => m.encoded_len(dir),
            AttributeValue::ExtendedCommunities(c) => extended_communities_len(c),
            AttributeValue::PmsiTunnel(p) => p.encoded_len(),
            AttributeValue::Ipv6ExtendedCommunities(c) => c.len() * 20,
            AttributeValue::LargeCommunities(c) => c.len() * 12,
            AttributeValue::Unknown(u) => u.value().len(),
        }
    }

    pub(crate) fn encode_value<B: BufMut>(&self, dir: Dir<'_>, buf: &mut B) {
        match self {
            AttributeValue::Origin(o) => buf.put_u8(o.code()),
            AttributeValue::AsPath(p) => p.encode(dir.four_octet_as, buf),
            AttributeValue::As4Path(p) => p.encode(true, buf),
            AttributeValue::NextHop(a) | AttributeValue::OriginatorId(a) => {
                buf.put_slice(&a.octets())
            }
            AttributeValue::MultiExitDisc(v) | AttributeValue::LocalPref(v) => buf.put_u32(*v),
            AttributeValue::AtomicAggregate => {}
            AttributeValue::Aggregator(a) => a.encode(dir.four_octet_as, buf),
            AttributeValue::As4Aggregator(a) => a.encode(true, buf),
            AttributeValue::Communities(c) => c.iter().for_each(|c| buf.put_u32(c.0)),
            AttributeValue::ClusterList(c) => c.iter().for_each(|a| buf.put_slice(&a.octets())),
            AttributeValue::MpReach(m) => m.encode(dir, buf),
            AttributeValue::MpUnreach(m) => m.encode(dir, buf),
            AttributeValue::ExtendedCommunities(c) => encode_extended_communities(c, buf),
            AttributeValue::PmsiTunnel(p) => p.encode(buf),
            AttributeValue::Ipv6ExtendedCommunities(c) => encode_ipv6_extended_communities(c, buf),
            AttributeValue::LargeCommunities(c) => c.iter().for_each(|c| c.encode(buf)),
            AttributeValue::Unknown(u) => buf.put_slice(u.value()),
        }
    }

    /// Decodes the value of an attribute of type `code`; `base` is the
    /// value's offset in the caller's view.
    pub(crate) fn decode_value(
        code: u8,
        value: &[u8],
        base: usize,
        dir: Dir<'_>,
    ) -> Result<AttributeValue> {
        use type_code as t;
        let shift = |e: Error| e.shifted(base);
        Ok(match code {
            t::ORIGIN => AttributeValue::Origin(Origin::decode_value(value, base)?),
            t::AS_PATH => {
                AttributeValue::AsPath(AsPath::decode_value(value, base, dir.four_octet_as, code)?)
            }
            t::AS4_PATH => AttributeValue::As4Path(AsPath::decode_value(value, base, true, code)?),
            t::NEXT_HOP => AttributeValue::NextHop(next_hop::decode_value(value, base)?),
            t::MULTI_EXIT_DISC => AttributeValue::MultiExitDisc(med::decode_value(value, base)?),
            t::LOCAL_PREF => AttributeValue::LocalPref(local_pref::decode_value(value, base)?),
            t::ATOMIC_AGGREGATE => {
                atomic_aggregate::decode_value(value, base)?;
                AttributeValue::AtomicAggregate
            }
            t::AGGREGATOR => AttributeValue::Aggregator(Aggregator::decode_value(
                value,
                base,
                dir.four_octet_as,
                t::AGGREGATOR,
            )?),
            t::AS4_AGGREGATOR => AttributeValue::As4Aggregator(Aggregator::decode_value(
                value,
                base,
                true,
                t::AS4_AGGREGATOR,
            )?),
            t::COMMUNITIES => AttributeValue::Communities(communities::decode_value(value, base)?),
            t::ORIGINATOR_ID => {
                AttributeValue::OriginatorId(originator_id::decode_value(value, base)?)
            }
            t::CLUSTER_LIST => {
                AttributeValue::ClusterList(cluster_list::decode_value(value, base)?)
            }
            t::MP_REACH_NLRI => AttributeValue::MpReach(MpReach::decode_value(value, base, dir)?),
            t::MP_UNREACH_NLRI => {
                AttributeValue::MpUnreach(MpUnreach::decode_value(value, base, dir)?)
            }
            t::EXTENDED_COMMUNITIES => AttributeValue::ExtendedCommunities(
                decode_extended_communities(value).map_err(shift)?,
            ),
            t::PMSI_TUNNEL => AttributeValue::PmsiTunnel(PmsiTunnel::decode_value(value, base)?),
            t::IPV6_EXTENDED_COMMUNITIES => AttributeValue::Ipv6ExtendedCommunities(
                decode_ipv6_extended_communities(value).map_err(shift)?,
            ),
            t::LARGE_COMMUNITY => {
                AttributeValue::LargeCommunities(large_community::decode_value(value, base)?)
            }
            other => AttributeValue::Unknown(UnknownAttribute::raw(other, value.to_vec())),
        })
    }
}

/// One path attribute: its flags octet as received and its typed value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PathAttribute {
    /// The flags octet. The Extended Length bit is kept as received and set
    /// on encode when the value needs it.
    pub flags: AttributeFlags,
    /// The value.
    pub value: AttributeValue,
}

impl From<AttributeValue> for PathAttribute {
    fn from(value: AttributeValue) -> Self {
        PathAttribute::new(value)
    }
}

/// An attribute as found on the wire, before its value is decoded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawAttribute<'a> {
    pub(crate) flags: u8,
    pub(crate) type_code: u8,
    /// The whole attribute (flags, type, length, value): NOTIFICATION data.
    pub(crate) bytes: &'a [u8],
    pub(crate) value: &'a [u8],
    /// Offset of the flags octet.
    pub(crate) offset: usize,
    /// Offset of the value.
    pub(crate) value_offset: usize,
}

impl<'a> RawAttribute<'a> {
    /// Reads one attribute header and value; an attribute that overruns the
    /// input (RFC 7606 section 4) is a [`Error::MalformedAttributeList`].
    pub(crate) fn read(cur: &mut Cursor<'a>) -> Result<Self> {
        let offset = cur.offset();
        let all = cur.rest();
        let overrun = |reason| Error::MalformedAttributeList { offset, reason };
        if all.len() < 3 {
            return Err(overrun("fewer than 3 octets left for an attribute"));
        }
        let flags = all[0];
        let type_code = all[1];
        let (len, hdr) = if flags & AttributeFlags::EXTENDED_LENGTH != 0 {
            if all.len() < 4 {
                return Err(overrun(
                    "fewer than 4 octets left for an extended-length attribute",
                ));
            }
            (usize::from(u16::from_be_bytes([all[2], all[3]])), 4)
        } else {
            (usize::from(all[2]), 3)
        };
        if all.len() < hdr + len {
            return Err(overrun("attribute length overruns the path attributes"));
        }
        let bytes = cur.take(hdr + len, "path attribute")?;
        Ok(RawAttribute {
            flags,
            type_code,
            bytes,
            value: &bytes[hdr..],
            offset,
            value_offset: offset + hdr,
        })
    }

    /// [`Self::decode`] pushing the attribute onto `out` (nothing pushed
    /// on error). The attributes of an EVPN UPDATE are built and pushed in
    /// their own branches: returned through memory, the ~100-octet value
    /// was copied into the list with wide loads of narrowly stored fields,
    /// a store-forwarding stall per attribute.
    #[inline]
    pub(crate) fn decode_into(&self, dir: Dir<'_>, out: &mut Vec<PathAttribute>) -> Result<()> {
        use type_code as t;
        if !AttributeFlags(self.flags).valid_for(self.type_code) {
            return Err(Error::AttributeFlags {
                offset: self.offset,
                type_code: self.type_code,
                flags: self.flags,
            });
        }
        let flags = AttributeFlags(self.flags);
        let (value, base) = (self.value, self.value_offset);
        match self.type_code {
            t::ORIGIN => {
                let o = Origin::decode_value(value, base)?;
                out.push(PathAttribute {
                    flags,
                    value: AttributeValue::Origin(o),
                });
            }
            t::AS_PATH => {
                let p = AsPath::decode_value(value, base, dir.four_octet_as, t::AS_PATH)?;
                out.push(PathAttribute {
                    flags,
                    value: AttributeValue::AsPath(p),
                });
            }
            t::MP_REACH_NLRI => {
                let m = MpReach::decode_value(value, base, dir)?;
                out.push(PathAttribute {
                    flags,
                    value: AttributeValue::MpReach(m),
                });
            }
            t::EXTENDED_COMMUNITIES => {
                let c = decode_extended_communities(value).map_err(|e| e.shifted(base))?;
                out.push(PathAttribute {
                    flags,
                    value: AttributeValue::ExtendedCommunities(c),
                });
            }
            code => {
                let value = AttributeValue::decode_value(code, value, base, dir)?;
                out.push(PathAttribute { flags, value });
            }
        }
        Ok(())
    }

    /// Checks the flags and decodes the value.
    pub(crate) fn decode(&self, dir: Dir<'_>) -> Result<PathAttribute> {
        if !AttributeFlags(self.flags).valid_for(self.type_code) {
            return Err(Error::AttributeFlags {
                offset: self.offset,
                type_code: self.type_code,
                flags: self.flags,
            });
        }
        Ok(PathAttribute {
            flags: AttributeFlags(self.flags),
            value: AttributeValue::decode_value(
                self.type_code,
                self.value,
                self.value_offset,
                dir,
            )?,
        })
    }
}

impl PathAttribute {
    /// An attribute with the flags a speaker sends for its type (Extended
    /// Length is added on encode when needed).
    pub fn new(value: AttributeValue) -> Self {
        PathAttribute {
            flags: AttributeFlags::default_for(value.type_code()),
            value,
        }
    }

    /// The attribute type code.
    pub fn type_code(&self) -> u8 {
        self.value.type_code()
    }

    fn wire_flags(&self, value_len: usize) -> u8 {
        if value_len > 255 {
            self.flags.0 | AttributeFlags::EXTENDED_LENGTH
        } else {
            self.flags.0
        }
    }

    /// Flags, type and length octets before a value of `value_len` octets.
    #[inline]
    pub(crate) fn header_len(&self, value_len: usize) -> usize {
        if self.wire_flags(value_len) & AttributeFlags::EXTENDED_LENGTH != 0 {
            4
        } else {
            3
        }
    }

    pub(crate) fn len_dir(&self, dir: Dir<'_>) -> usize {
        let v = self.value.value_len(dir);
        self.header_len(v) + v
    }

    pub(crate) fn encode_dir<B: BufMut>(&self, dir: Dir<'_>, buf: &mut B) {
        self.encode_with_value_len(self.value.value_len(dir), dir, buf)
    }

    /// [`Self::encode_dir`] with the value length already computed (`v`
    /// must be `self.value.value_len(dir)`).
    #[inline]
    pub(crate) fn encode_with_value_len<B: BufMut>(&self, v: usize, dir: Dir<'_>, buf: &mut B) {
        let flags = self.wire_flags(v);
        if flags & AttributeFlags::EXTENDED_LENGTH != 0 {
            buf.put_u32(u32::from_be_bytes([
                flags,
                self.type_code(),
                (v >> 8) as u8,
                v as u8,
            ]));
        } else {
            buf.put_slice(&[flags, self.type_code(), v as u8]);
        }
        self.value.encode_value(dir, buf);
    }

    /// Bytes written by [`Self::encode`] (send direction of `ctx`).
    pub fn encoded_len(&self, ctx: &DecodingContext) -> usize {
        self.len_dir(ctx.tx())
    }

    /// Writes the attribute as sent on a session with context `ctx`.
    pub fn encode<B: BufMut>(&self, ctx: &DecodingContext, buf: &mut B) {
        self.encode_dir(ctx.tx(), buf)
    }

    /// Decodes exactly one attribute as received on a session with context `ctx`.
    pub fn decode(buf: &[u8], ctx: &DecodingContext) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::Update);
        let raw = RawAttribute::read(&mut cur)?;
        let attr = raw.decode(ctx.rx())?;
        cur.finish("path attribute")?;
        Ok(attr)
    }
}

/// Checks a fixed-length attribute value.
pub(crate) fn expect_len(
    value: &[u8],
    base: usize,
    type_code: u8,
    len: usize,
    expected: &'static str,
) -> Result<()> {
    if value.len() == len {
        Ok(())
    } else {
        Err(Error::InvalidAttributeLength {
            offset: base,
            type_code,
            len: value.len(),
            expected,
        })
    }
}

/// Checks that a list attribute's length is a multiple of `unit`.
pub(crate) fn expect_multiple(
    value: &[u8],
    base: usize,
    type_code: u8,
    unit: usize,
    expected: &'static str,
) -> Result<()> {
    if value.len().is_multiple_of(unit) {
        Ok(())
    } else {
        Err(Error::InvalidAttributeLength {
            offset: base,
            type_code,
            len: value.len(),
            expected,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::hex;
    use proptest::prelude::*;

    /// Encodes into a 0xA5-prefilled buffer, checks the length, decodes back,
    /// and checks every truncation of the value fails or differs.
    pub(crate) fn check_attr(
        attr: &PathAttribute,
        ctx: &DecodingContext,
    ) -> Result<Vec<u8>, TestCaseError> {
        let len = attr.encoded_len(ctx);
        let mut storage = vec![0xA5u8; len + 4];
        {
            let mut slice = &mut storage[..len];
            attr.encode(ctx, &mut slice);
            prop_assert!(slice.is_empty());
        }
        prop_assert_eq!(&storage[len..], &[0xA5u8; 4][..]);
        let bytes = storage[..len].to_vec();
        let back = PathAttribute::decode(&bytes, ctx);
        prop_assert_eq!(back.as_ref(), Ok(attr));
        for cut in 0..len {
            prop_assert!(PathAttribute::decode(&bytes[..cut], ctx).is_err());
        }
        Ok(bytes)
    }

    #[test]
    fn flags_kept_and_checked() {
        let ctx = DecodingContext::new();
        // MED with Extended Length although short.
        let b = hex("90 04 0004 00000064");
        let a = PathAttribute::decode(&b, &ctx).unwrap();
        assert_eq!(a.value, AttributeValue::MultiExitDisc(100));
        assert!(a.flags.extended_length());
        let mut out = Vec::new();
        a.encode(&ctx, &mut out);
        assert_eq!(out, b);
        // Unused low bits kept.
        let b = hex("47 01 01 00");
        let a = PathAttribute::decode(&b, &ctx).unwrap();
        assert_eq!(a.flags, AttributeFlags(0x47));
        let mut out = Vec::new();
        a.encode(&ctx, &mut out);
        assert_eq!(out, b);
        // ORIGIN marked optional: flags error.
        assert_eq!(
            PathAttribute::decode(&hex("c0 01 01 00"), &ctx),
            Err(Error::AttributeFlags {
                offset: 0,
                type_code: 1,
                flags: 0xc0
            })
        );
        // Partial on a well-known attribute.
        assert!(PathAttribute::decode(&hex("60 01 01 00"), &ctx).is_err());
        // Partial on optional transitive is fine.
        assert!(PathAttribute::decode(&hex("e0 08 04 ffffff01"), &ctx).is_ok());
        // Overrun.
        assert!(matches!(
            PathAttribute::decode(&hex("40 01 02 00"), &ctx),
            Err(Error::MalformedAttributeList { offset: 0, .. })
        ));
    }

    #[test]
    fn long_value_gets_extended_length() {
        let ctx = DecodingContext::new();
        let attr = PathAttribute::new(AttributeValue::Communities(vec![Community(1); 70]));
        let mut out = Vec::new();
        attr.encode(&ctx, &mut out);
        assert_eq!(&out[..4], &[0xd0, 8, 1, 24]);
        assert_eq!(out.len(), attr.encoded_len(&ctx));
        let back = PathAttribute::decode(&out, &ctx).unwrap();
        assert_eq!(back.flags.0, 0xd0);
        assert_eq!(back.value, attr.value);
    }

    #[test]
    fn default_flags() {
        assert_eq!(AttributeFlags::default_for(1).0, 0x40);
        assert_eq!(AttributeFlags::default_for(4).0, 0x80);
        assert_eq!(AttributeFlags::default_for(16).0, 0xc0);
        assert_eq!(AttributeFlags::default_for(200).0, 0xc0);
        assert!(AttributeFlags(0x80).valid_for(99));
    }
}
