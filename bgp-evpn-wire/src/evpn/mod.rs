//! EVPN NLRI (AFI 25 L2VPN, SAFI 70 EVPN): the route types and sequences of
//! them as carried in MP_REACH_NLRI / MP_UNREACH_NLRI.
//!
//! ```text
//! +-----------------------------------+
//! |    Route Type (1 octet)           |
//! +-----------------------------------+
//! |     Length (1 octet)              |
//! +-----------------------------------+
//! | Route Type specific (variable)    |
//! +-----------------------------------+
//! ```
//!
//! With Add-Path (RFC 7911) negotiated for L2VPN/EVPN, every NLRI is preceded
//! by a 4-octet Path Identifier.

pub mod ethernet_ad;
pub mod ethernet_segment;
pub mod igmp_join_sync;
pub mod igmp_leave_sync;
pub mod inclusive_multicast;
pub mod ip_prefix;
pub mod mac_ip;
pub mod multicast;
pub mod smet;

use alloc::vec::Vec;
use core::net::IpAddr;

use bytes::BufMut;
use ipnetwork::IpNetwork;
use macaddr::MacAddr6;

pub use ethernet_ad::EthernetAdRoute;
pub use ethernet_segment::EthernetSegmentRoute;
pub use igmp_join_sync::IgmpJoinSyncRoute;
pub use igmp_leave_sync::IgmpLeaveSyncRoute;
pub use inclusive_multicast::InclusiveMulticastRoute;
pub use ip_prefix::{IpPrefixRoute, PrefixAndGateway};
pub use mac_ip::MacIpRoute;
pub use multicast::MulticastFlags;
pub use smet::SmetRoute;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;
use crate::types::{Esi, EthernetTag, LabelField, RouteDistinguisher};

/// A route of a type this crate does not know, kept raw and re-encoded
/// unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "UnknownRouteRepr"))]
pub struct UnknownRoute {
    route_type: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct UnknownRouteRepr {
    route_type: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<UnknownRouteRepr> for UnknownRoute {
    type Error = Error;
    fn try_from(r: UnknownRouteRepr) -> Result<Self> {
        UnknownRoute::new(r.route_type, r.value)
    }
}

impl UnknownRoute {
    /// A raw route. Fails when `route_type` is one this crate decodes
    /// (1 to 8) or when `value` is longer than 255 octets.
    pub fn new(route_type: u8, value: Vec<u8>) -> Result<Self> {
        if (1..=8).contains(&route_type) {
            return Err(Error::InvalidValue {
                what: "unknown route type",
                reason: "route types 1 to 8 have typed variants",
            });
        }
        if value.len() > 255 {
            return Err(Error::OutOfRange {
                what: "route value length",
                value: value.len() as u64,
                max: 255,
            });
        }
        Ok(UnknownRoute { route_type, value })
    }

    /// The route type code.
    pub fn route_type(&self) -> u8 {
        self.route_type
    }

    /// The route value, as received.
    pub fn value(&self) -> &[u8] {
        &self.value
    }
}

/// One EVPN route (NLRI).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum EvpnRoute {
    /// Type 1: Ethernet Auto-discovery.
    EthernetAd(EthernetAdRoute),
    /// Type 2: MAC/IP Advertisement.
    MacIp(MacIpRoute),
    /// Type 3: Inclusive Multicast Ethernet Tag.
    InclusiveMulticast(InclusiveMulticastRoute),
    /// Type 4: Ethernet Segment.
    EthernetSegment(EthernetSegmentRoute),
    /// Type 5: IP Prefix.
    IpPrefix(IpPrefixRoute),
    /// Type 6: Selective Multicast Ethernet Tag.
    Smet(SmetRoute),
    /// Type 7: IGMP Join Synch.
    IgmpJoinSync(IgmpJoinSyncRoute),
    /// Type 8: IGMP Leave Synch.
    IgmpLeaveSync(IgmpLeaveSyncRoute),
    /// Any other route type, kept raw.
    Unknown(UnknownRoute),
}

/// The part of a route that identifies it in a RIB (RFC 7432 section 7 and
/// RFC 9136 section 3.1: labels, ESI of type 2 and 5 routes, gateway IP and
/// flags are attributes of the route, not part of its key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum RouteKey {
    /// Type 1 key.
    EthernetAd {
        /// RD.
        rd: RouteDistinguisher,
        /// ESI.
        esi: Esi,
        /// Ethernet Tag.
        ethernet_tag: EthernetTag,
    },
    /// Type 2 key.
    MacIp {
        /// RD.
        rd: RouteDistinguisher,
        /// Ethernet Tag.
        ethernet_tag: EthernetTag,
        /// MAC address.
        mac: MacAddr6,
        /// IP address.
        ip: Option<IpAddr>,
    },
    /// Type 3 key.
    InclusiveMulticast {
        /// RD.
        rd: RouteDistinguisher,
        /// Ethernet Tag.
        ethernet_tag: EthernetTag,
        /// Originating router.
        originator: IpAddr,
    },
    /// Type 4 key.
    EthernetSegment {
        /// RD.
        rd: RouteDistinguisher,
        /// ESI.
        esi: Esi,
        /// Originating router.
        originator: IpAddr,
    },
    /// Type 5 key.
    IpPrefix {
        /// RD.
        rd: RouteDistinguisher,
        /// Ethernet Tag.
        ethernet_tag: EthernetTag,
        /// Prefix.
        prefix: IpNetwork,
    },
    /// Type 6, 7 and 8 keys.
    Multicast {
        /// Route type (6, 7 or 8).
        route_type: u8,
        /// RD.
        rd: RouteDistinguisher,
        /// ESI (zero for type 6).
        esi: Esi,
        /// Ethernet Tag.
        ethernet_tag: EthernetTag,
        /// Source.
        source: Option<IpAddr>,
        /// Group.
        group: IpAddr,
        /// Originating router.
        originator: IpAddr,
    },
    /// Unknown route types: the whole value.
    Unknown(UnknownRoute),
}

impl EvpnRoute {
    /// Route type 1.
    pub const ETHERNET_AD: u8 = 1;
    /// Route type 2.
    pub const MAC_IP: u8 = 2;
    /// Route type 3.
    pub const INCLUSIVE_MULTICAST: u8 = 3;
    /// Route type 4.
    pub const ETHERNET_SEGMENT: u8 = 4;
    /// Route type 5.
    pub const IP_PREFIX: u8 = 5;
    /// Route type 6.
    pub const SMET: u8 = 6;
    /// Route type 7.
    pub const IGMP_JOIN_SYNC: u8 = 7;
    /// Route type 8.
    pub const IGMP_LEAVE_SYNC: u8 = 8;

    /// The route type code.
    pub fn route_type(&self) -> u8 {
        match self {
            EvpnRoute::EthernetAd(_) => Self::ETHERNET_AD,
            EvpnRoute::MacIp(_) => Self::MAC_IP,
            EvpnRoute::InclusiveMulticast(_) => Self::INCLUSIVE_MULTICAST,
            EvpnRoute::EthernetSegment(_) => Self::ETHERNET_SEGMENT,
            EvpnRoute::IpPrefix(_) => Self::IP_PREFIX,
            EvpnRoute::Smet(_) => Self::SMET,
            EvpnRoute::IgmpJoinSync(_) => Self::IGMP_JOIN_SYNC,
            EvpnRoute::IgmpLeaveSync(_) => Self::IGMP_LEAVE_SYNC,
            EvpnRoute::Unknown(u) => u.route_type,
        }
    }

    /// The Route Distinguisher (`None` for unknown route types).
    pub fn rd(&self) -> Option<&RouteDistinguisher> {
        match self {
            EvpnRoute::EthernetAd(r) => Some(&r.rd),
            EvpnRoute::MacIp(r) => Some(&r.rd),
            EvpnRoute::InclusiveMulticast(r) => Some(&r.rd),
            EvpnRoute::EthernetSegment(r) => Some(&r.rd),
            EvpnRoute::IpPrefix(r) => Some(&r.rd),
            EvpnRoute::Smet(r) => Some(&r.rd),
            EvpnRoute::IgmpJoinSync(r) => Some(&r.rd),
            EvpnRoute::IgmpLeaveSync(r) => Some(&r.rd),
            EvpnRoute::Unknown(_) => None,
        }
    }

    /// The ESI, for route types that carry one.
    pub fn esi(&self) -> Option<&Esi> {
        match self {
            EvpnRoute::EthernetAd(r) => Some(&r.esi),
            EvpnRoute::MacIp(r) => Some(&r.esi),
            EvpnRoute::EthernetSegment(r) => Some(&r.esi),
            EvpnRoute::IpPrefix(r) => Some(&r.esi),
            EvpnRoute::IgmpJoinSync(r) => Some(&r.esi),
            EvpnRoute::IgmpLeaveSync(r) => Some(&r.esi),
            EvpnRoute::InclusiveMulticast(_) | EvpnRoute::Smet(_) | EvpnRoute::Unknown(_) => None,
        }
    }

    /// The Ethernet Tag, for route types that carry one.
    pub fn ethernet_tag(&self) -> Option<EthernetTag> {
        match self {
            EvpnRoute::EthernetAd(r) => Some(r.ethernet_tag),
            EvpnRoute::MacIp(r) => Some(r.ethernet_tag),
            EvpnRoute::InclusiveMulticast(r) => Some(r.ethernet_tag),
            EvpnRoute::IpPrefix(r) => Some(r.ethernet_tag),
            EvpnRoute::Smet(r) => Some(r.ethernet_tag),
            EvpnRoute::IgmpJoinSync(r) => Some(r.ethernet_tag),
            EvpnRoute::IgmpLeaveSync(r) => Some(r.ethernet_tag),
            EvpnRoute::EthernetSegment(_) | EvpnRoute::Unknown(_) => None,
        }
    }

    /// For a MAC/IP route, its `(EthernetTag, MAC, IP)` key.
    pub fn mac_ip_key(&self) -> Option<(EthernetTag, MacAddr6, Option<IpAddr>)> {
        match self {
            EvpnRoute::MacIp(r) => Some(r.key()),
            _ => None,
        }
    }

    /// The route's RIB key.
    pub fn key(&self) -> RouteKey {
        match self {
            EvpnRoute::EthernetAd(r) => RouteKey::EthernetAd {
                rd: r.rd,
                esi: r.esi,
                ethernet_tag: r.ethernet_tag,
            },
            EvpnRoute::MacIp(r) => RouteKey::MacIp {
                rd: r.rd,
                ethernet_tag: r.ethernet_tag,
                mac: r.mac,
                ip: r.ip,
            },
            EvpnRoute::InclusiveMulticast(r) => RouteKey::InclusiveMulticast {
                rd: r.rd,
                ethernet_tag: r.ethernet_tag,
                originator: r.originator,
            },
            EvpnRoute::EthernetSegment(r) => RouteKey::EthernetSegment {
                rd: r.rd,
                esi: r.esi,
                originator: r.originator,
            },
            EvpnRoute::IpPrefix(r) => RouteKey::IpPrefix {
                rd: r.rd,
                ethernet_tag: r.ethernet_tag,
                prefix: r.prefix.prefix(),
            },
            EvpnRoute::Smet(r) => RouteKey::Multicast {
                route_type: Self::SMET,
                rd: r.rd,
                esi: Esi::ZERO,
                ethernet_tag: r.ethernet_tag,
                source: r.source,
                group: r.group,
                originator: r.originator,
            },
            EvpnRoute::IgmpJoinSync(r) => RouteKey::Multicast {
                route_type: Self::IGMP_JOIN_SYNC,
                rd: r.rd,
                esi: r.esi,
                ethernet_tag: r.ethernet_tag,
                source: r.source,
                group: r.group,
                originator: r.originator,
            },
            EvpnRoute::IgmpLeaveSync(r) => RouteKey::Multicast {
                route_type: Self::IGMP_LEAVE_SYNC,
                rd: r.rd,
                esi: r.esi,
                ethernet_tag: r.ethernet_tag,
                source: r.source,
                group: r.group,
                originator: r.originator,
            },
            EvpnRoute::Unknown(u) => RouteKey::Unknown(u.clone()),
        }
    }

    /// Decodes exactly one NLRI (type, length, value). Offsets in errors are
    /// relative to `nlri`.
    pub fn decode(nlri: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(nlri, 0, Section::Nlri);
        let route = Self::read(&mut cur)?;
        cur.finish("EVPN NLRI")?;
        Ok(route)
    }

    pub(crate) fn read(cur: &mut Cursor<'_>) -> Result<Self> {
        let route_type = cur.u8("EVPN route type")?;
        let len = cur.u8("EVPN route length")?;
        let base = cur.offset();
        let value = cur.take(len.into(), "EVPN route value")?;
        Ok(match route_type {
            Self::ETHERNET_AD => EvpnRoute::EthernetAd(EthernetAdRoute::decode_at(value, base)?),
            Self::MAC_IP => EvpnRoute::MacIp(MacIpRoute::decode_at(value, base)?),
            Self::INCLUSIVE_MULTICAST => {
                EvpnRoute::InclusiveMulticast(InclusiveMulticastRoute::decode_at(value, base)?)
            }
            Self::ETHERNET_SEGMENT => {
                EvpnRoute::EthernetSegment(EthernetSegmentRoute::decode_at(value, base)?)
            }
            Self::IP_PREFIX => EvpnRoute::IpPrefix(IpPrefixRoute::decode_at(value, base)?),
            Self::SMET => EvpnRoute::Smet(SmetRoute::decode_at(value, base)?),
            Self::IGMP_JOIN_SYNC => {
                EvpnRoute::IgmpJoinSync(IgmpJoinSyncRoute::decode_at(value, base)?)
            }
            Self::IGMP_LEAVE_SYNC => {
                EvpnRoute::IgmpLeaveSync(IgmpLeaveSyncRoute::decode_at(value, base)?)
            }
            route_type => EvpnRoute::Unknown(UnknownRoute {
                route_type,
                value: value.to_vec(),
            }),
        })
    }

    #[inline]
    fn value_len(&self) -> usize {
        match self {
            EvpnRoute::EthernetAd(r) => r.encoded_len(),
            EvpnRoute::MacIp(r) => r.encoded_len(),
            EvpnRoute::InclusiveMulticast(r) => r.encoded_len(),
            EvpnRoute::EthernetSegment(r) => r.encoded_len(),
            EvpnRoute::IpPrefix(r) => r.encoded_len(),
            EvpnRoute::Smet(r) => r.encoded_len(),
            EvpnRoute::IgmpJoinSync(r) => r.encoded_len(),
            EvpnRoute::IgmpLeaveSync(r) => r.encoded_len(),
            EvpnRoute::Unknown(u) => u.value.len(),
        }
    }

    /// Length of the whole NLRI: 2 + value length.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        2 + self.value_len()
    }

    /// Writes the whole NLRI (type, length, value). Every route value fits
    /// the one-octet length: typed routes are at most 79 octets and
    /// [`UnknownRoute`] is limited to 255.
    #[inline]
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        match self {
            EvpnRoute::MacIp(r) => r.put_nlri(buf),
            EvpnRoute::IpPrefix(r) => r.put_nlri(buf),
            _ => self.encode_fields(buf),
        }
    }

    /// [`Self::encode`] field by field (the route types without a fixed
    /// layout writer).
    #[inline(never)]
    fn encode_fields<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.route_type());
        // Value lengths are bounded by construction (see above).
        buf.put_u8(self.value_len() as u8);
        match self {
            EvpnRoute::EthernetAd(r) => r.encode(buf),
            EvpnRoute::MacIp(r) => r.encode(buf),
            EvpnRoute::InclusiveMulticast(r) => r.encode(buf),
            EvpnRoute::EthernetSegment(r) => r.encode(buf),
            EvpnRoute::IpPrefix(r) => r.encode(buf),
            EvpnRoute::Smet(r) => r.encode(buf),
            EvpnRoute::IgmpJoinSync(r) => r.encode(buf),
            EvpnRoute::IgmpLeaveSync(r) => r.encode(buf),
            EvpnRoute::Unknown(u) => buf.put_slice(&u.value),
        }
    }
}

macro_rules! from_route {
    ($($t:ident => $v:ident),* $(,)?) => {$(
        impl From<$t> for EvpnRoute {
            fn from(r: $t) -> Self {
                EvpnRoute::$v(r)
            }
        }
    )*};
}

from_route!(
    EthernetAdRoute => EthernetAd,
    MacIpRoute => MacIp,
    InclusiveMulticastRoute => InclusiveMulticast,
    EthernetSegmentRoute => EthernetSegment,
    IpPrefixRoute => IpPrefix,
    SmetRoute => Smet,
    IgmpJoinSyncRoute => IgmpJoinSync,
    IgmpLeaveSyncRoute => IgmpLeaveSync,
    UnknownRoute => Unknown,
);

/// One NLRI of a sequence, with its Add-Path identifier when Add-Path is
/// negotiated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EvpnNlri {
    /// Path Identifier (RFC 7911); `Some` exactly when Add-Path is in use.
    pub path_id: Option<u32>,
    /// The route.
    pub route: EvpnRoute,
}

impl From<EvpnRoute> for EvpnNlri {
    fn from(route: EvpnRoute) -> Self {
        EvpnNlri {
            path_id: None,
            route,
        }
    }
}

/// Decodes the NLRI field of an MP_REACH_NLRI / MP_UNREACH_NLRI for
/// AFI 25 / SAFI 70. `add_path` says whether the peer sends Path
/// Identifiers (RFC 7911) for this address family. Offsets in errors are
/// relative to `buf`; [`Error::rfc7606_action`] gives AFI/SAFI disable.
///
/// Every NLRI is at least 2 octets, so at most `buf.len() / 2` routes are
/// allocated and the loop always advances.
pub fn decode_nlris(buf: &[u8], add_path: bool) -> Result<Vec<EvpnNlri>> {
    // One allocation for the whole sequence (see `capacity_for`).
    let mut out = Vec::with_capacity(capacity_for(buf, add_path));
    let mut pos = match (add_path, buf.first()) {
        (false, Some(&EvpnRoute::MAC_IP)) => push_mac_ip_run(buf, &mut out),
        (false, Some(&EvpnRoute::IP_PREFIX)) => push_ip_prefix_run(buf, &mut out),
        _ => 0,
    };
    while pos < buf.len() {
        let rest = &buf[pos..];
        if let Some(n) = push_fast(rest, add_path, &mut out) {
            pos += n;
            continue;
        }
        let mut cur = Cursor::new(rest, pos, Section::Nlri);
        let path_id = if add_path {
            Some(cur.u32("path identifier")?)
        } else {
            None
        };
        let route = EvpnRoute::read(&mut cur)?;
        out.push(EvpnNlri { path_id, route });
        pos = cur.offset();
    }
    Ok(out)
}

/// The leading run of well-formed MAC/IP routes with a type-0 ESI and no
/// Path Identifier (the common UPDATE), in a loop of its own: a smaller
/// loop body than the dispatch in [`push_fast`], fewer values spilled.
/// Returns the bytes used; the general loop goes on from there.
#[inline(always)]
fn push_mac_ip_run(buf: &[u8], out: &mut Vec<EvpnNlri>) -> usize {
    let mut pos = 0;
    while let Some([EvpnRoute::MAC_IP, len, r @ ..]) = buf.get(pos..) {
        // MAC and IPv4 address, one label: the usual MAC/IP route, at
        // fixed offsets with no length cases; its length octet matched as
        // a constant, so that the next position does not wait for its load
        // (a predicted branch instead of a data dependency).
        if *len == 37
            && let Some(route) = r.get(..37).and_then(MacIpRoute::decode_v4_one_label_esi0)
        {
            out.push(EvpnNlri {
                path_id: None,
                route: EvpnRoute::MacIp(route),
            });
            pos += 2 + 37;
            continue;
        }
        let Some(value) = r.get(..usize::from(*len)) else {
            break;
        };
        if value.get(8) != Some(&0) {
            break;
        }
        let Some(route) = MacIpRoute::decode_fast_with(value, |e| match e {
            [0, v @ ..] => Some(Esi::Arbitrary(*v)),
            _ => None,
        }) else {
            break;
        };
        out.push(EvpnNlri {
            path_id: None,
            route: EvpnRoute::MacIp(route),
        });
        pos += 2 + value.len();
    }
    pos
}

/// [`push_mac_ip_run`] for IPv4 IP Prefix routes with a type-0 ESI.
#[inline(always)]
fn push_ip_prefix_run(buf: &[u8], out: &mut Vec<EvpnNlri>) -> usize {
    const LEN: u8 = IpPrefixRoute::LEN_V4 as u8;
    let mut pos = 0;
    // The length octet matched as a constant: the next position does not
    // wait for its load (a predicted branch instead of a data dependency).
    while let Some([EvpnRoute::IP_PREFIX, LEN, r @ ..]) = buf.get(pos..) {
        let Some(value) = r.get(..usize::from(LEN)) else {
            break;
        };
        let Some(route) = IpPrefixRoute::decode_fast_v4_with(value, |e| match e {
            [0, v @ ..] => Some(Esi::Arbitrary(*v)),
            _ => None,
        }) else {
            break;
        };
        out.push(EvpnNlri {
            path_id: None,
            route: EvpnRoute::IpPrefix(route),
        });
        pos += 2 + value.len();
    }
    pos
}

/// The common well-formed routes (MAC/IP, IPv4 IP Prefix) decoded at fixed
/// offsets and pushed; returns the bytes used, or `None` (nothing pushed)
/// for anything the general decode must look at.
#[inline(always)]
fn push_fast(rest: &[u8], add_path: bool, out: &mut Vec<EvpnNlri>) -> Option<usize> {
    let (path_id, r) = if add_path {
        let (id, r) = rest.split_first_chunk::<4>()?;
        (Some(u32::from_be_bytes(*id)), r)
    } else {
        (None, rest)
    };
    let [route_type, len, r @ ..] = r else {
        return None;
    };
    let value = r.get(..usize::from(*len))?;
    let used = rest.len() - r.len() + value.len();
    let route = match *route_type {
        // Type-0 ESI (single-homed, all zero; also operator-set values) in
        // its own branch and push: the route has one layout there and is
        // written straight into the Vec, not through a temporary of the
        // ESI enum read back with wider loads.
        EvpnRoute::MAC_IP if value.get(8) == Some(&0) => {
            let route = MacIpRoute::decode_fast_with(value, |e| match e {
                [0, v @ ..] => Some(Esi::Arbitrary(*v)),
                _ => None,
            })?;
            out.push(EvpnNlri {
                path_id,
                route: EvpnRoute::MacIp(route),
            });
            return Some(used);
        }
        EvpnRoute::MAC_IP => EvpnRoute::MacIp(MacIpRoute::decode_fast(value)?),
        // The same for IP Prefix routes with a type-0 ESI.
        EvpnRoute::IP_PREFIX if value.get(8) == Some(&0) => {
            let route = IpPrefixRoute::decode_fast_v4_with(value, |e| match e {
                [0, v @ ..] => Some(Esi::Arbitrary(*v)),
                _ => None,
            })?;
            out.push(EvpnNlri {
                path_id,
                route: EvpnRoute::IpPrefix(route),
            });
            return Some(used);
        }
        EvpnRoute::IP_PREFIX => EvpnRoute::IpPrefix(IpPrefixRoute::decode_fast_v4(value)?),
        _ => return None,
    };
    out.push(EvpnNlri { path_id, route });
    Some(used)
}

/// The capacity [`decode_nlris`] reserves. A sequence that starts with a
/// MAC/IP or IP Prefix route (an UPDATE carries routes of one type as a
/// rule) gets room for as many routes of that type's smallest well-formed
/// size as fit `buf`: never too little when every route is of that type,
/// at most ~10 % too much for IPv4 MAC/IP routes (exact for IPv4 IP Prefix
/// ones), and at most `buf.len() / 35` routes. This costs nothing per
/// route, where the walk of the length octets in [`count_nlris`] (used for
/// the other types) is a chain of dependent loads, ~12 % of a 100-route
/// decode. A sequence that mixes in smaller routes still decodes the same;
/// the `Vec` then grows.
#[inline]
fn capacity_for(buf: &[u8], add_path: bool) -> usize {
    let skip = if add_path { 4 } else { 0 };
    let min_value = match buf.get(skip) {
        Some(&EvpnRoute::MAC_IP) => MacIpRoute::MIN_LEN,
        Some(&EvpnRoute::IP_PREFIX) => IpPrefixRoute::LEN_V4,
        _ => return count_nlris(buf, add_path),
    };
    buf.len() / (skip + 2 + min_value)
}

/// How many NLRI a walk over the length octets finds before the end of
/// `buf` or the first one that overruns it (at most `buf.len() / 2`).
fn count_nlris(buf: &[u8], add_path: bool) -> usize {
    let skip = if add_path { 4 } else { 0 };
    let mut n = 0;
    let mut pos = 0;
    while let Some(&len) = buf.get(pos + skip + 1) {
        pos += skip + 2 + usize::from(len);
        if pos > buf.len() {
            break;
        }
        n += 1;
    }
    n
}

/// Length of a sequence written by [`encode_nlris`].
#[inline]
pub fn nlris_encoded_len(nlris: &[EvpnNlri], add_path: bool) -> usize {
    nlris
        .iter()
        .map(|n| n.route.encoded_len() + if add_path { 4 } else { 0 })
        .sum()
}

/// Writes a sequence of NLRI. With `add_path`, each NLRI is preceded by its
/// Path Identifier (0 when `path_id` is `None`); without it, `path_id` is
/// ignored.
pub fn encode_nlris<B: BufMut>(nlris: &[EvpnNlri], add_path: bool, buf: &mut B) {
    for n in nlris {
        if add_path {
            buf.put_u32(n.path_id.unwrap_or(0));
        }
        n.route.encode(buf);
    }
}

/// The 3 label octets as the low 24 bits of a word.
#[inline(always)]
pub(crate) fn label_u24(l: LabelField) -> u32 {
    let [a, b, c] = l.0;
    u32::from_be_bytes([0, a, b, c])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::{check_roundtrip, hex};
    use crate::types::LabelField;
    use core::net::Ipv4Addr;
    use proptest::prelude::*;

    pub(crate) fn arb_unknown() -> impl Strategy<Value = UnknownRoute> {
        (9u8.., proptest::collection::vec(any::<u8>(), 0..=255))
            .prop_map(|(t, v)| UnknownRoute::new(t, v).unwrap())
    }

    pub(crate) fn arb_route() -> impl Strategy<Value = EvpnRoute> {
        prop_oneof![
            ethernet_ad::tests::arb_route().prop_map(EvpnRoute::from),
            mac_ip::tests::arb_route().prop_map(EvpnRoute::from),
            inclusive_multicast::tests::arb_route().prop_map(EvpnRoute::from),
            ethernet_segment::tests::arb_route().prop_map(EvpnRoute::from),
            ip_prefix::tests::arb_route().prop_map(EvpnRoute::from),
            smet::tests::arb_route().prop_map(EvpnRoute::from),
            igmp_join_sync::tests::arb_route().prop_map(EvpnRoute::from),
            igmp_leave_sync::tests::arb_route().prop_map(EvpnRoute::from),
            arb_unknown().prop_map(EvpnRoute::from),
        ]
    }

    #[test]
    fn sequence_with_and_without_add_path() {
        let rt3 = "03 11 0000fde800000001 00000000 20 c0000202";
        let rt2 = "02 21 0000fde800000001 00000000000000000000 00000000 30 001122334455 00 002774";
        let plain = hex(&format!("{rt3} {rt2}"));
        let nlris = decode_nlris(&plain, false).unwrap();
        assert_eq!(nlris.len(), 2);
        assert_eq!(nlris[0].route.route_type(), 3);
        assert_eq!(nlris[1].route.route_type(), 2);
        assert_eq!(nlris[1].path_id, None);
        assert_eq!(
            nlris[1].route.mac_ip_key(),
            Some((
                EthernetTag(0),
                MacAddr6::new(0, 0x11, 0x22, 0x33, 0x44, 0x55),
                None
            ))
        );
        let mut out = Vec::new();
        encode_nlris(&nlris, false, &mut out);
        assert_eq!(out, plain);
        assert_eq!(nlris_encoded_len(&nlris, false), plain.len());

        let with_ids = hex(&format!("00000001 {rt3} 00000002 {rt2}"));
        let nlris = decode_nlris(&with_ids, true).unwrap();
        assert_eq!(nlris[0].path_id, Some(1));
        assert_eq!(nlris[1].path_id, Some(2));
        let mut out = Vec::new();
        encode_nlris(&nlris, true, &mut out);
        assert_eq!(out, with_ids);
        assert_eq!(nlris_encoded_len(&nlris, true), with_ids.len());
    }

    #[test]
    fn error_offsets_are_relative_to_the_sequence() {
        // Second NLRI has a MAC length of 47 bits.
        let buf = hex("03 11 0000fde800000001 00000000 20 c0000202 \
             02 21 0000fde800000001 00000000000000000000 00000000 2f 001122334455 00 002774");
        let err = decode_nlris(&buf, false).unwrap_err();
        assert_eq!(
            err,
            Error::InvalidMacLength {
                offset: 19 + 2 + 22,
                bits: 47
            }
        );
        assert_eq!(
            err.rfc7606_action(),
            Some(crate::error::Rfc7606Action::AfiSafiDisable)
        );
        // Length octet running past the end.
        let err = decode_nlris(&hex("02 21 0000"), false).unwrap_err();
        assert!(matches!(
            err,
            Error::Truncated {
                offset: 2,
                needed: 33,
                ..
            }
        ));
    }

    #[test]
    fn unknown_route_type_kept_raw() {
        let buf = hex("0b 03 010203");
        let r = EvpnRoute::decode(&buf).unwrap();
        assert_eq!(r.route_type(), 11);
        assert_eq!(r.rd(), None);
        let mut out = Vec::new();
        r.encode(&mut out);
        assert_eq!(out, buf);
        // A zero-length unknown route still advances.
        let nlris = decode_nlris(&hex("0c00 0c00"), false).unwrap();
        assert_eq!(nlris.len(), 2);
        assert!(UnknownRoute::new(2, vec![]).is_err());
        assert!(UnknownRoute::new(9, vec![0; 256]).is_err());
    }

    #[test]
    fn keys_ignore_labels() {
        let mut a = MacIpRoute::new(
            RouteDistinguisher::Ipv4 {
                addr: Ipv4Addr::new(192, 0, 2, 1),
                number: 1,
            },
            EthernetTag(0),
            MacAddr6::new(2, 0, 0, 0, 0, 1),
            LabelField::from_vni(100).unwrap(),
        );
        let k1 = EvpnRoute::from(a.clone()).key();
        a.label1 = LabelField::from_vni(200).unwrap();
        a.esi = Esi::MAX;
        assert_eq!(EvpnRoute::from(a).key(), k1);
    }

    #[test]
    fn mac_ip_fast_decode_reads_the_esi_type_octet() {
        // All-zero MAC/IP routes that differ only in the ESI type: the
        // type-0 fast path must not take the others.
        let lacp = Esi::Lacp {
            system_mac: MacAddr6::nil(),
            port_key: 0,
            reserved: 0,
        };
        let unknown = Esi::Unknown {
            esi_type: 9,
            value: [0; 9],
        };
        for esi in [Esi::ZERO, lacp, unknown] {
            let mut r = MacIpRoute::new(
                RouteDistinguisher::As2 { asn: 0, number: 0 },
                EthernetTag::ZERO,
                MacAddr6::nil(),
                LabelField([0; 3]),
            );
            r.esi = esi;
            for add_path in [false, true] {
                let nlris = vec![EvpnNlri {
                    path_id: add_path.then_some(0),
                    route: EvpnRoute::from(r.clone()),
                }];
                let mut b = Vec::new();
                encode_nlris(&nlris, add_path, &mut b);
                assert_eq!(decode_nlris(&b, add_path), Ok(nlris));
            }
        }
    }

    proptest! {
        #[test]
        fn route_roundtrip(r in arb_route()) {
            check_roundtrip(&r)?;
        }

        #[test]
        fn sequence_roundtrip(routes in proptest::collection::vec((any::<u32>(), arb_route()), 0..6),
                              add_path in any::<bool>()) {
            let nlris: Vec<EvpnNlri> = routes
                .into_iter()
                .map(|(id, route)| EvpnNlri { path_id: add_path.then_some(id), route })
                .collect();
            let len = nlris_encoded_len(&nlris, add_path);
            let mut storage = vec![0xA5u8; len];
            {
                let mut slice = &mut storage[..];
                encode_nlris(&nlris, add_path, &mut slice);
                prop_assert!(slice.is_empty());
            }
            prop_assert_eq!(decode_nlris(&storage, add_path), Ok(nlris));
        }

        #[test]
        fn fixed_layout_writers_match_field_by_field(r in arb_route(), id in any::<u32>()) {
            let mut fields = Vec::new();
            r.encode_fields(&mut fields);
            prop_assert_eq!(fields.len(), r.encoded_len());
            let mut fast = Vec::new();
            r.encode(&mut fast);
            prop_assert_eq!(&fast, &fields);
            let nlri = EvpnNlri { path_id: Some(id), route: r };
            let mut with_id = id.to_be_bytes().to_vec();
            with_id.extend_from_slice(&fields);
            let mut fast = Vec::new();
            encode_nlris(core::slice::from_ref(&nlri), true, &mut fast);
            prop_assert_eq!(fast, with_id);
        }

        #[test]
        fn mutated_encodings_never_panic(r in arb_route(),
                                         edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
            let mut buf = Vec::new();
            r.encode(&mut buf);
            for (at, byte) in edits {
                let i = at % buf.len();
                buf[i] = byte;
            }
            if let Ok(nlris) = decode_nlris(&buf, false) {
                let mut out = Vec::new();
                encode_nlris(&nlris, false, &mut out);
                prop_assert_eq!(out, buf);
            }
        }

        #[cfg(feature = "serde")]
        #[test]
        fn serde_roundtrip(r in arb_route()) {
            let text = serde_json::to_string(&r).unwrap();
            let back: EvpnRoute = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(back, r);
        }

        #[test]
        fn random_bytes_never_panic(buf in proptest::collection::vec(any::<u8>(), 0..300),
                                    add_path in any::<bool>()) {
            if let Ok(nlris) = decode_nlris(&buf, add_path) {
                prop_assert!(nlris.len() <= buf.len() / 2);
                let mut out = Vec::new();
                encode_nlris(&nlris, add_path, &mut out);
                prop_assert_eq!(out, buf);
            }
        }
    }
}
