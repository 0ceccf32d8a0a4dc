//! MP_REACH_NLRI (type 14, RFC 4760 section 3), with the NLRI of the
//! families this crate decodes: EVPN (AFI 25 / SAFI 70, RFC 7432), IPv4 and
//! IPv6 unicast. Other families keep their next hop and NLRI raw.
//!
//! ```text
//! +---------------------------------------------------------+
//! | AFI (2) | SAFI (1) | Next Hop Length (1)                |
//! +---------------------------------------------------------+
//! | Next Hop (variable: 4 IPv4, 16 IPv6, 32 IPv6 + link-    |
//! |   local, 12/24/48 the same preceded by an 8-octet RD)   |
//! +---------------------------------------------------------+
//! | Reserved (1, kept as received)                          |
//! +---------------------------------------------------------+
//! | NLRI (variable)                                         |
//! +---------------------------------------------------------+
//! ```
//!
//! A malformed value calls for AFI/SAFI disable, or a session reset when
//! the AFI/SAFI cannot be read (RFC 7606 section 7.11, RFC 4760 section 7).

use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::evpn::{EvpnNlri, decode_nlris, encode_nlris, nlris_encoded_len};
use crate::message::context::Dir;
use crate::parse::Cursor;
use crate::prefix::{
    Ipv4Prefix, Ipv6Prefix, encode_ipv4_prefixes, encode_ipv6_prefixes, ipv4_prefixes_len,
    ipv6_prefixes_len, read_ipv4_prefixes, read_ipv6_prefixes,
};
use crate::types::{Afi, AfiSafi, RouteDistinguisher, Safi};

const MP_REACH: u8 = 14;

/// A next hop of a length none of the typed forms has, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<u8>"))]
pub struct RawNextHop(Vec<u8>);

impl RawNextHop {
    /// A raw next hop. Fails for the lengths of the typed forms (4, 12, 16,
    /// 24, 32, 48) and above 255.
    pub fn new(bytes: Vec<u8>) -> Result<Self> {
        if matches!(bytes.len(), 4 | 12 | 16 | 24 | 32 | 48) {
            return Err(Error::InvalidValue {
                what: "raw next hop",
                reason: "this length has a typed variant",
            });
        }
        if bytes.len() > 255 {
            return Err(Error::OutOfRange {
                what: "next hop length",
                value: bytes.len() as u64,
                max: 255,
            });
        }
        Ok(RawNextHop(bytes))
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl TryFrom<Vec<u8>> for RawNextHop {
    type Error = Error;
    fn try_from(v: Vec<u8>) -> Result<Self> {
        RawNextHop::new(v)
    }
}

/// The next hop of MP_REACH_NLRI, typed by its length.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MpNextHop {
    /// 4 octets.
    Ipv4(Ipv4Addr),
    /// 16 octets, or 32 with a link-local address (RFC 2545).
    Ipv6 {
        /// Global address.
        global: Ipv6Addr,
        /// Link-local address.
        link_local: Option<Ipv6Addr>,
    },
    /// 12 octets: RD (usually zero) and IPv4 (RFC 4364).
    VpnIpv4 {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Address.
        addr: Ipv4Addr,
    },
    /// 24 octets, or 48 with a link-local address (RFC 4659).
    VpnIpv6 {
        /// Route Distinguisher of the global address.
        rd: RouteDistinguisher,
        /// Global address.
        global: Ipv6Addr,
        /// RD and link-local address.
        link_local: Option<(RouteDistinguisher, Ipv6Addr)>,
    },
    /// Any other length (0 for FlowSpec).
    Raw(RawNextHop),
}

fn rd_at(b: &[u8]) -> RouteDistinguisher {
    let mut r = [0u8; 8];
    r.copy_from_slice(&b[..8]);
    RouteDistinguisher::from_bytes(r)
}

fn v6_at(b: &[u8]) -> Ipv6Addr {
    let mut r = [0u8; 16];
    r.copy_from_slice(&b[..16]);
    Ipv6Addr::from(r)
}

impl MpNextHop {
    /// Length of the next hop field.
    pub fn encoded_len(&self) -> usize {
        match self {
            MpNextHop::Ipv4(_) => 4,
            MpNextHop::Ipv6 { link_local, .. } => 16 * (1 + usize::from(link_local.is_some())),
            MpNextHop::VpnIpv4 { .. } => 12,
            MpNextHop::VpnIpv6 { link_local, .. } => 24 * (1 + usize::from(link_local.is_some())),
            MpNextHop::Raw(r) => r.0.len(),
        }
    }

    /// Writes the next hop field (without its length octet).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        match self {
            MpNextHop::Ipv4(a) => buf.put_slice(&a.octets()),
            MpNextHop::Ipv6 { global, link_local } => {
                buf.put_slice(&global.octets());
                if let Some(ll) = link_local {
                    buf.put_slice(&ll.octets());
                }
            }
            MpNextHop::VpnIpv4 { rd, addr } => {
                rd.encode(buf);
                buf.put_slice(&addr.octets());
            }
            MpNextHop::VpnIpv6 {
                rd,
                global,
                link_local,
            } => {
                rd.encode(buf);
                buf.put_slice(&global.octets());
                if let Some((rd2, ll)) = link_local {
                    rd2.encode(buf);
                    buf.put_slice(&ll.octets());
                }
            }
            MpNextHop::Raw(r) => buf.put_slice(&r.0),
        }
    }

    /// Decodes a next hop field by its length.
    pub fn decode(b: &[u8]) -> Self {
        match b.len() {
            4 => MpNextHop::Ipv4(Ipv4Addr::new(b[0], b[1], b[2], b[3])),
            16 => MpNextHop::Ipv6 {
                global: v6_at(b),
                link_local: None,
            },
            32 => MpNextHop::Ipv6 {
                global: v6_at(b),
                link_local: Some(v6_at(&b[16..])),
            },
            12 => MpNextHop::VpnIpv4 {
                rd: rd_at(b),
                addr: Ipv4Addr::new(b[8], b[9], b[10], b[11]),
            },
            24 => MpNextHop::VpnIpv6 {
                rd: rd_at(b),
                global: v6_at(&b[8..]),
                link_local: None,
            },
            48 => MpNextHop::VpnIpv6 {
                rd: rd_at(b),
                global: v6_at(&b[8..]),
                link_local: Some((rd_at(&b[24..]), v6_at(&b[32..]))),
            },
            _ => MpNextHop::Raw(RawNextHop(b.to_vec())),
        }
    }

    /// The global address as an [`IpAddr`](core::net::IpAddr) (`None` for raw).
    pub fn addr(&self) -> Option<core::net::IpAddr> {
        match self {
            MpNextHop::Ipv4(a) | MpNextHop::VpnIpv4 { addr: a, .. } => Some((*a).into()),
            MpNextHop::Ipv6 { global, .. } | MpNextHop::VpnIpv6 { global, .. } => {
                Some((*global).into())
            }
            MpNextHop::Raw(_) => None,
        }
    }
}

/// NLRI of a family this crate does not decode, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OtherRepr"))]
pub struct OtherNlri {
    family: AfiSafi,
    nlri: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct OtherRepr {
    family: AfiSafi,
    nlri: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<OtherRepr> for OtherNlri {
    type Error = Error;
    fn try_from(r: OtherRepr) -> Result<Self> {
        OtherNlri::new(r.family, r.nlri)
    }
}

impl OtherNlri {
    /// Raw NLRI of `family`. Fails for the families with typed variants.
    pub fn new(family: AfiSafi, nlri: Vec<u8>) -> Result<Self> {
        if MpNlri::is_typed(family) {
            return Err(Error::InvalidValue {
                what: "raw NLRI family",
                reason: "this AFI/SAFI has a typed variant",
            });
        }
        Ok(OtherNlri { family, nlri })
    }

    /// The family.
    pub fn family(&self) -> AfiSafi {
        self.family
    }

    /// The NLRI bytes as received (Path Identifiers included).
    pub fn nlri(&self) -> &[u8] {
        &self.nlri
    }
}

/// The NLRI of MP_REACH_NLRI or MP_UNREACH_NLRI, by family.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MpNlri {
    /// AFI 1 / SAFI 1.
    Ipv4Unicast(Vec<Ipv4Prefix>),
    /// AFI 2 / SAFI 1.
    Ipv6Unicast(Vec<Ipv6Prefix>),
    /// AFI 25 / SAFI 70.
    Evpn(Vec<EvpnNlri>),
    /// Any other family.
    Other(OtherNlri),
}

impl MpNlri {
    pub(crate) fn is_typed(af: AfiSafi) -> bool {
        matches!(
            af,
            AfiSafi::IPV4_UNICAST | AfiSafi::IPV6_UNICAST | AfiSafi::EVPN
        )
    }

    /// The family.
    pub fn family(&self) -> AfiSafi {
        match self {
            MpNlri::Ipv4Unicast(_) => AfiSafi::IPV4_UNICAST,
            MpNlri::Ipv6Unicast(_) => AfiSafi::IPV6_UNICAST,
            MpNlri::Evpn(_) => AfiSafi::EVPN,
            MpNlri::Other(o) => o.family,
        }
    }

    /// Number of routes (`None` for raw NLRI).
    pub fn route_count(&self) -> Option<usize> {
        match self {
            MpNlri::Ipv4Unicast(v) => Some(v.len()),
            MpNlri::Ipv6Unicast(v) => Some(v.len()),
            MpNlri::Evpn(v) => Some(v.len()),
            MpNlri::Other(_) => None,
        }
    }

    /// Whether there is no route (an End-of-RIB marker in MP_UNREACH_NLRI).
    pub fn is_empty(&self) -> bool {
        match self {
            MpNlri::Other(o) => o.nlri.is_empty(),
            n => n.route_count() == Some(0),
        }
    }

    pub(crate) fn encoded_len(&self, dir: Dir<'_>) -> usize {
        let ap = dir.add_path(self.family());
        match self {
            MpNlri::Ipv4Unicast(v) => ipv4_prefixes_len(v, ap),
            MpNlri::Ipv6Unicast(v) => ipv6_prefixes_len(v, ap),
            MpNlri::Evpn(v) => nlris_encoded_len(v, ap),
            MpNlri::Other(o) => o.nlri.len(),
        }
    }

    pub(crate) fn encode<B: BufMut>(&self, dir: Dir<'_>, buf: &mut B) {
        let ap = dir.add_path(self.family());
        match self {
            MpNlri::Ipv4Unicast(v) => encode_ipv4_prefixes(v, ap, buf),
            MpNlri::Ipv6Unicast(v) => encode_ipv6_prefixes(v, ap, buf),
            MpNlri::Evpn(v) => encode_nlris(v, ap, buf),
            MpNlri::Other(o) => buf.put_slice(&o.nlri),
        }
    }

    pub(crate) fn decode(
        af: AfiSafi,
        b: &[u8],
        base: usize,
        dir: Dir<'_>,
        type_code: u8,
    ) -> Result<Self> {
        let ap = dir.add_path(af);
        let section = Section::Attribute(type_code);
        Ok(match af {
            AfiSafi::IPV4_UNICAST => MpNlri::Ipv4Unicast(read_ipv4_prefixes(b, base, ap, section)?),
            AfiSafi::IPV6_UNICAST => MpNlri::Ipv6Unicast(read_ipv6_prefixes(b, base, ap, section)?),
            AfiSafi::EVPN => MpNlri::Evpn(decode_nlris(b, ap).map_err(|e| e.shifted(base))?),
            family => MpNlri::Other(OtherNlri {
                family,
                nlri: b.to_vec(),
            }),
        })
    }
}

/// Reads the AFI/SAFI at the start of an MP_REACH/MP_UNREACH value, if present.
pub(crate) fn peek_family(value: &[u8]) -> Option<AfiSafi> {
    Some(AfiSafi::new(
        Afi(u16::from_be_bytes([*value.first()?, *value.get(1)?])),
        Safi(*value.get(2)?),
    ))
}

/// The MP_REACH_NLRI attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MpReach {
    /// Next hop.
    pub next_hop: MpNextHop,
    /// The reserved octet (formerly the number of SNPAs), kept as received.
    pub reserved: u8,
    /// Routes; their family is the attribute's AFI/SAFI.
    pub nlri: MpNlri,
}

impl MpReach {
    /// Routes with a next hop, reserved octet zero.
    pub fn new(next_hop: MpNextHop, nlri: MpNlri) -> Self {
        MpReach {
            next_hop,
            reserved: 0,
            nlri,
        }
    }

    /// The family.
    pub fn family(&self) -> AfiSafi {
        self.nlri.family()
    }

    pub(crate) fn encoded_len(&self, dir: Dir<'_>) -> usize {
        5 + self.next_hop.encoded_len() + self.nlri.encoded_len(dir)
    }

    pub(crate) fn encode<B: BufMut>(&self, dir: Dir<'_>, buf: &mut B) {
        let af = self.family();
        buf.put_u16(af.afi.0);
        buf.put_u8(af.safi.0);
        buf.put_u8(self.next_hop.encoded_len() as u8);
        self.next_hop.encode(buf);
        buf.put_u8(self.reserved);
        self.nlri.encode(dir, buf);
    }

    pub(crate) fn decode_value(value: &[u8], base: usize, dir: Dir<'_>) -> Result<Self> {
        let mut cur = Cursor::new(value, base, Section::Attribute(MP_REACH));
        let afi = Afi(cur.u16("AFI")?);
        let safi = Safi(cur.u8("SAFI")?);
        let af = AfiSafi::new(afi, safi);
        let nh_at = cur.offset();
        let nh_len = usize::from(cur.u8("next hop length")?);
        let nh = cur.take(nh_len, "next hop")?;
        let next_hop = MpNextHop::decode(nh);
        if MpNlri::is_typed(af) && matches!(next_hop, MpNextHop::Raw(_)) {
            return Err(Error::InvalidNextHop {
                offset: nh_at,
                type_code: MP_REACH,
                len: nh_len,
            });
        }
        let reserved = cur.u8("reserved")?;
        let at = cur.offset();
        let nlri = MpNlri::decode(af, cur.rest(), at, dir, MP_REACH)?;
        Ok(MpReach {
            next_hop,
            reserved,
            nlri,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::attribute::{AttributeValue, PathAttribute};
    use crate::evpn::EvpnRoute;
    use crate::message::context::DecodingContext;
    use crate::test_util::hex;

    #[test]
    fn evpn_ipv4_next_hop() {
        // AFI 25, SAFI 70, NH 4 = 192.0.2.1, reserved 0, RT3:
        // RD 1:1 (type 0), tag 0, IP len 32, 192.0.2.1
        let b = hex("800e 1c 0019 46 04 c0000201 00 \
             03 11 0000 0001 00000001 00000000 20 c0000201");
        let ctx = DecodingContext::new();
        let a = PathAttribute::decode(&b, &ctx).unwrap();
        let AttributeValue::MpReach(m) = &a.value else {
            panic!()
        };
        assert_eq!(m.family(), AfiSafi::EVPN);
        assert_eq!(m.next_hop, MpNextHop::Ipv4(Ipv4Addr::new(192, 0, 2, 1)));
        let MpNlri::Evpn(n) = &m.nlri else { panic!() };
        assert!(matches!(n[0].route, EvpnRoute::InclusiveMulticast(_)));
        let mut out = Vec::new();
        a.encode(&ctx, &mut out);
        assert_eq!(out, b);
    }

    #[test]
    fn next_hop_forms() {
        for len in [4usize, 12, 16, 24, 32, 48, 0, 5] {
            let bytes: Vec<u8> = (0..len as u8).collect();
            let nh = MpNextHop::decode(&bytes);
            assert_eq!(nh.encoded_len(), len);
            let mut out = Vec::new();
            nh.encode(&mut out);
            assert_eq!(out, bytes);
            assert_eq!(
                matches!(nh, MpNextHop::Raw(_)),
                RawNextHop::new(bytes).is_ok()
            );
        }
    }

    #[test]
    fn errors() {
        let ctx = DecodingContext::new();
        let dir = ctx.rx();
        // EVPN with a 5-octet next hop.
        assert!(matches!(
            MpReach::decode_value(&hex("0019 46 05 0000000000 00"), 10, dir),
            Err(Error::InvalidNextHop {
                offset: 13,
                type_code: 14,
                len: 5
            })
        ));
        // Next hop overruns.
        assert!(MpReach::decode_value(&hex("0001 01 04 0a00"), 0, dir).is_err());
        // Missing reserved octet.
        assert!(MpReach::decode_value(&hex("0001 01 04 0a000001"), 0, dir).is_err());
        // IPv6 prefix too long.
        assert!(matches!(
            MpReach::decode_value(
                &hex("0002 01 10 20010db8000000000000000000000001 00 81"),
                0,
                dir
            ),
            Err(Error::InvalidNetworkField {
                offset: 21,
                len: 129,
                ..
            })
        ));
        // Other families kept raw, whatever the next hop.
        let m = MpReach::decode_value(&hex("0001 85 00 00 0701180a0000"), 0, dir).unwrap();
        assert_eq!(m.family(), AfiSafi::new(Afi::IPV4, Safi::FLOWSPEC));
        assert!(OtherNlri::new(AfiSafi::EVPN, vec![]).is_err());
    }
}
