//! Small identifiers used in inputs and outputs.

use core::fmt;
use core::net::IpAddr;

/// An EVPN instance, as the embedder numbers it (often the VNI or the RD's
/// assigned number). In a VLAN-aware bundle it names one broadcast domain
/// of the bundle (see [`EviConfig`](crate::EviConfig)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct EviId(pub u32);

impl fmt::Display for EviId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An IP-VRF (the tenant's routing table of symmetric IRB, RFC 9135), as
/// the embedder numbers it (often the L3 VNI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct IpVrfId(pub u32);

impl fmt::Display for IpVrfId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A local attachment port (an OpenFlow port number on the site's VTEP
/// switch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct PortId(pub u32);

/// A BGP peer (its session address): paths are stored per peer, so a route
/// re-advertised by the same peer replaces its earlier version (RFC 4271
/// implicit withdraw) and a peer going down removes exactly its paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct PeerId(pub IpAddr);

/// A VXLAN tunnel endpoint and the VNI to put in the VXLAN header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RemoteVtep {
    /// The VTEP address (`tun_dst` of the tunnel flow).
    pub vtep: IpAddr,
    /// The VNI (`tun_id` of the tunnel flow).
    pub vni: u32,
}

/// The largest VNI (24 bits).
pub const MAX_VNI: u32 = (1 << 24) - 1;
