//! Inputs the RIB handles and outputs it produces.

use core::net::IpAddr;
use core::time::Duration;

use bgp_evpn_wire::attribute::PmsiTunnel;
use bgp_evpn_wire::evpn::{EvpnRoute, RouteKey};
use bgp_evpn_wire::extcomm::ExtendedCommunity;
use bgp_evpn_wire::types::{Esi, EthernetTag};
use ipnetwork::IpNetwork;
use macaddr::MacAddr6;

use crate::config::{EviConfig, IpVrfConfig};
use crate::types::{EviId, IpVrfId, PeerId, PortId, RemoteVtep};

/// How a MAC was learned locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum LearnKind {
    /// Learned from traffic (or from the hypervisor); moves and ages.
    #[default]
    Dynamic,
    /// Configured static MAC: advertised sticky (RFC 7432 section 15.2).
    Static,
    /// The site's (anycast) default gateway MAC: advertised with the Default
    /// Gateway community (RFC 7432 section 10.1) and preferred first.
    DefaultGateway,
}

/// The path attributes of a received route that the RIB uses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RouteAttributes {
    /// MP_REACH_NLRI next hop: the advertising VTEP.
    pub next_hop: IpAddr,
    /// The PE that originated the route (ORIGINATOR_ID, else the router id
    /// in a type 1 RD, else the peer): compared in the lowest-address
    /// tie-break, which is decided on the originator and never on the next
    /// hop (a migrating route's next hop is the destination).
    pub originator: IpAddr,
    /// Every extended community.
    pub communities: Vec<ExtendedCommunity>,
    /// The PMSI tunnel attribute (inclusive multicast routes).
    pub pmsi: Option<PmsiTunnel>,
    /// LOCAL_PREF, if received.
    pub local_pref: Option<u32>,
}

impl RouteAttributes {
    /// Attributes with only a next hop, originated by the next hop.
    pub fn new(next_hop: IpAddr) -> Self {
        RouteAttributes {
            next_hop,
            originator: next_hop,
            communities: Vec::new(),
            pmsi: None,
            local_pref: None,
        }
    }

    /// Sets the originator (builder style).
    #[must_use]
    pub fn originator(mut self, originator: IpAddr) -> Self {
        self.originator = originator;
        self
    }

    /// Adds an extended community (builder style).
    #[must_use]
    pub fn community(mut self, c: impl Into<ExtendedCommunity>) -> Self {
        self.communities.push(c.into());
        self
    }

    /// Sets the PMSI tunnel attribute (builder style).
    #[must_use]
    pub fn pmsi(mut self, pmsi: PmsiTunnel) -> Self {
        self.pmsi = Some(pmsi);
        self
    }
}

/// An event for the RIB. The time comes as the `now` argument of
/// [`Rib::handle`](crate::Rib::handle).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Input {
    /// Configure one more EVI (its inclusive multicast route is advertised).
    AddEvi(EviConfig),
    /// Configure one more IP-VRF (IP prefix routes already received are
    /// not replayed into it: add IP-VRFs before their peers' routes arrive,
    /// or ask the peers for a route refresh).
    AddIpVrf(IpVrfConfig),
    /// A MAC (optionally with an IP) seen on a local port.
    LocalLearn {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
        /// IP bound to the MAC (ARP/ND), if any.
        ip: Option<IpAddr>,
        /// Attachment port.
        port: PortId,
        /// The Ethernet segment of the port ([`Esi::ZERO`] when single-homed).
        esi: Esi,
        /// Dynamic, static or default gateway.
        kind: LearnKind,
    },
    /// A local MAC (or only its IP binding) aged out.
    LocalAge {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
        /// `Some(ip)`: only this IP binding aged; `None`: the whole MAC.
        ip: Option<IpAddr>,
    },
    /// A route received from a peer (advertisement or implicit replace).
    RouteUpdate {
        /// The peer it came from.
        peer: PeerId,
        /// The route.
        route: EvpnRoute,
        /// Its attributes.
        attributes: RouteAttributes,
    },
    /// A route withdrawn by a peer.
    RouteWithdraw {
        /// The peer.
        peer: PeerId,
        /// The withdrawn route's key.
        key: RouteKey,
    },
    /// The session to a peer went down: all its routes are withdrawn.
    PeerDown {
        /// The peer.
        peer: PeerId,
    },
    /// The VM behind a local MAC enters stop-and-copy towards another site
    /// (the paper's proactive migration, at the source site).
    MigrationStart {
        /// EVI.
        evi: EviId,
        /// The VM's MAC.
        mac: MacAddr6,
        /// The destination site's VTEP.
        destination: IpAddr,
        /// The VNI at the destination.
        destination_vni: u32,
        /// The destination's Router's MAC, if it has one.
        destination_router_mac: Option<MacAddr6>,
        /// How long the VM is expected to be down; the migration rolls back
        /// if no route from the destination arrives within this plus
        /// [`MigrationConfig::grace`](crate::MigrationConfig).
        expected_downtime: Duration,
    },
    /// The migration failed or was cancelled: roll back.
    MigrationAbort {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
    /// The operator clears a duplicate MAC (RFC 7432 section 15.1
    /// "corrective action").
    ClearDuplicate {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
    /// Nothing happened but time passed: fire due timers (same as
    /// [`Rib::handle_timeout`](crate::Rib::handle_timeout)).
    Timeout,
}

/// A route to advertise, with everything the UPDATE needs
/// ([`Advertisement::to_update`](crate::Advertisement::to_update) builds it).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Advertisement {
    /// The EVI the route belongs to.
    pub evi: EviId,
    /// The route (NLRI).
    pub route: EvpnRoute,
    /// MP_REACH_NLRI next hop.
    pub next_hop: IpAddr,
    /// Extended communities (route targets first).
    pub communities: Vec<ExtendedCommunity>,
    /// PMSI tunnel attribute (inclusive multicast routes).
    pub pmsi: Option<PmsiTunnel>,
}

/// A route to withdraw.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Withdrawal {
    /// The EVI the route belonged to.
    pub evi: EviId,
    /// The route as it was advertised (MP_UNREACH_NLRI carries the NLRI).
    pub route: EvpnRoute,
}

impl Withdrawal {
    /// The withdrawn route's key.
    pub fn key(&self) -> RouteKey {
        self.route.key()
    }
}

/// Where frames for a MAC go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum FdbTarget {
    /// Out of a local port.
    Local {
        /// The port.
        port: PortId,
    },
    /// Into a VXLAN tunnel.
    Remote {
        /// The tunnel (`tun_dst`, `tun_id`).
        vtep: RemoteVtep,
        /// Other VTEPs of the MAC's Ethernet segment (aliasing, RFC 7432
        /// section 8.4), sorted; empty when single-homed.
        aliases: Vec<RemoteVtep>,
        /// The Router's MAC of the remote PE (symmetric IRB), if advertised.
        router_mac: Option<MacAddr6>,
    },
    /// Dropped (duplicate MAC under loop protection).
    Drop,
    /// No entry any more.
    Remove,
}

/// Why an FDB entry changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum FdbCause {
    /// First learned (locally or from a route).
    Learn,
    /// The MAC moved.
    Move,
    /// Re-pointed to the destination of a migration in progress.
    InProgress,
    /// A migration rolled back.
    Rollback,
    /// A migration completed.
    Complete,
    /// The route was withdrawn.
    Withdraw,
    /// The local entry aged out.
    Age,
    /// The MAC is a duplicate and is dropped (loop protection).
    Duplicate,
}

/// An FDB change: everything an OpenFlow tunnel flow needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FdbUpdate {
    /// EVI.
    pub evi: EviId,
    /// The bridge domain's VNI (match `tun_id` on decap).
    pub vni: u32,
    /// Ethernet tag.
    pub ethernet_tag: EthernetTag,
    /// MAC.
    pub mac: MacAddr6,
    /// Where frames go now.
    pub target: FdbTarget,
    /// Why.
    pub cause: FdbCause,
}

/// The set of VTEPs to replicate BUM traffic of a VNI to (ingress
/// replication, from inclusive multicast routes).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FloodList {
    /// EVI.
    pub evi: EviId,
    /// The local VNI of the bridge domain.
    pub vni: u32,
    /// Remote VTEPs, sorted, each with the VNI it expects.
    pub vteps: Vec<RemoteVtep>,
}

/// Where an IP prefix (route type 5) goes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PrefixNextHop {
    /// The tunnel to the PE (L3 VNI).
    pub vtep: RemoteVtep,
    /// Its Router's MAC (inner destination MAC), if advertised.
    pub router_mac: Option<MacAddr6>,
    /// The route's gateway IP (zero when not used).
    pub gateway_ip: IpAddr,
}

/// An IP-VRF change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PrefixUpdate {
    /// The IP-VRF.
    pub vrf: IpVrfId,
    /// Prefix.
    pub prefix: IpNetwork,
    /// The best next hop, `None` when the prefix is gone.
    pub next_hop: Option<PrefixNextHop>,
}

/// Why a duplicate state ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ClearReason {
    /// The retry timer R expired.
    Timer,
    /// The operator cleared it.
    Operator,
    /// Every remote route for the MAC was withdrawn.
    Withdraw,
}

/// Something the operator should know.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Alarm {
    /// N moves within M: the MAC is a duplicate (RFC 7432 section 15.1).
    DuplicateMac {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
        /// Moves counted in the window.
        moves: u32,
    },
    /// A duplicate state ended.
    DuplicateCleared {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
        /// Why.
        reason: ClearReason,
    },
    /// A MAC that a remote PE advertises as static was seen locally, or a
    /// local MAC was overridden by a remote static one (RFC 7432 section
    /// 15.2).
    StickyViolation {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
        /// The PE with the static MAC.
        remote: IpAddr,
    },
    /// A MAC is a default gateway on one side and not on the other.
    DefaultGatewayMismatch {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
        /// The remote PE involved.
        remote: IpAddr,
    },
    /// The MAC Mobility sequence number would wrap: it stays at
    /// `u32::MAX`, and the lowest originator address decides from then on.
    SequenceExhausted {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
}

/// How a migration ended (or that it started).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MigrationOutcome {
    /// The in-progress route was advertised.
    Started,
    /// A route from the destination arrived; the source withdrew its route.
    Completed,
    /// The operator (or orchestrator) aborted it; the source is next hop again.
    Aborted,
    /// The deadline passed without a route from the destination.
    DeadlineExpired,
    /// Another PE won the MAC with a higher sequence number meanwhile.
    Superseded,
}

/// A migration event at the source site.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MigrationEvent {
    /// EVI.
    pub evi: EviId,
    /// MAC.
    pub mac: MacAddr6,
    /// Destination VTEP.
    pub destination: IpAddr,
    /// What happened.
    pub outcome: MigrationOutcome,
}

/// Work for the embedder, drained with [`Rib::poll_output`](crate::Rib::poll_output).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Output {
    /// Advertise (or re-advertise, replacing) a route.
    Advertise(Advertisement),
    /// Withdraw a route.
    Withdraw(Withdrawal),
    /// Program the forwarding table.
    Fdb(FdbUpdate),
    /// New BUM replication list for a VNI.
    FloodList(FloodList),
    /// New best next hop of an IP prefix.
    Prefix(PrefixUpdate),
    /// An alarm.
    Alarm(Alarm),
    /// A migration event.
    Migration(MigrationEvent),
}
