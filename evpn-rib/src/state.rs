//! The RIB's tables, readable through [`Rib`](crate::Rib)'s accessors and
//! [`Snapshot`](crate::Snapshot).

use core::net::IpAddr;
use std::collections::BTreeSet;

use bgp_evpn_wire::evpn::MacIpRoute;
use bgp_evpn_wire::types::{Esi, RouteDistinguisher};
use macaddr::MacAddr6;

use crate::io::LearnKind;
use crate::time::Timestamp;
use crate::types::{PeerId, PortId};

/// A migration this site started (source side).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Migration {
    /// Destination VTEP.
    pub destination: IpAddr,
    /// VNI at the destination.
    pub vni: u32,
    /// Destination's Router's MAC.
    pub router_mac: Option<MacAddr6>,
    /// When it started.
    pub started: Timestamp,
    /// When it rolls back unless the destination has advertised the MAC.
    pub deadline: Timestamp,
}

/// A locally learned MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LocalMac {
    /// Attachment port.
    pub port: PortId,
    /// Ethernet segment of the port.
    pub esi: Esi,
    /// How it was learned.
    pub kind: LearnKind,
    /// The MAC Mobility sequence number of all its routes (RFC 9721: the
    /// MAC/IP routes of a MAC take the MAC's sequence number).
    pub seq: u32,
    /// IPs bound to it (one MAC/IP route each, besides the MAC-only route).
    pub ips: BTreeSet<IpAddr>,
    /// Last learned or refreshed.
    pub learned: Timestamp,
    /// The migration in progress, if any.
    pub migration: Option<Migration>,
}

/// A MAC/IP route received from a peer, as the RIB uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RemotePath {
    /// The route as received.
    pub route: MacIpRoute,
    /// Next hop (VTEP).
    pub next_hop: IpAddr,
    /// Originating PE.
    pub originator: IpAddr,
    /// The VNI of label 1.
    pub vni: u32,
    /// MAC Mobility sequence number (0 without the community).
    pub seq: u32,
    /// Sticky/static flag.
    pub sticky: bool,
    /// Migration-in-progress flag.
    pub in_progress: bool,
    /// Default Gateway community present.
    pub default_gateway: bool,
    /// Router's MAC community.
    pub router_mac: Option<MacAddr6>,
    /// LOCAL_PREF (the configured default when not received).
    pub local_pref: u32,
    /// When it was received.
    pub received: Timestamp,
}

/// Identifies one path of a MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PathRef {
    /// The local path.
    Local,
    /// A received path.
    Remote {
        /// From this peer.
        peer: PeerId,
        /// With this RD.
        rd: RouteDistinguisher,
        /// For this IP (MAC-only route: `None`).
        ip: Option<IpAddr>,
    },
}

/// The duplicate state of a MAC (RFC 7432 section 15.1, RFC 7432bis 15.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DuplicateState {
    /// When it was detected.
    pub since: Timestamp,
    /// When the retry timer lifts it (`None`: permanent until cleared).
    pub retry_at: Option<Timestamp>,
}
