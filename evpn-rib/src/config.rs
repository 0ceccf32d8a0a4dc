//! Configuration of the RIB and of its EVPN instances.

use core::net::IpAddr;
use core::time::Duration;

use bgp_evpn_wire::extcomm::RouteTarget;
use bgp_evpn_wire::types::{EthernetTag, RouteDistinguisher};
use macaddr::MacAddr6;

use crate::error::{ConfigProblem, Error};
use crate::types::{EviId, IpVrfId, MAX_VNI};

/// How the source site signals a migration in progress.
///
/// * [`SignallingMode::InProgressFlag`] (the paper): the re-advertised
///   MAC/IP route carries a MAC Mobility community with the
///   migration-in-progress bit (0x02). Receivers that understand it report
///   the re-pointing as [`FdbCause::InProgress`](crate::FdbCause) and a
///   rollback as [`FdbCause::Rollback`](crate::FdbCause). A standard RFC 7432
///   speaker ignores the bit and sees an ordinary implicit replace of the
///   route with a new next hop, so it converges too. **But** a speaker that
///   reads any non-zero flags octet as sticky (GoBGP 3.10 shows 0x02 as
///   sticky and, when it relays, rewrites the octet to 0x01) turns the
///   migration route into a static MAC: the destination's local learn is
///   then a sticky violation and is not advertised, so the migration rolls
///   back at the deadline. Do not use this mode across such a speaker.
///   FRR 8.4 reads only the sticky bit and relays the flags octet
///   unchanged, so the mode works across FRR. (Both observed with real
///   daemons: `tests/migration_interop.rs` migrates VMs between three RIBs
///   through FRR and through gobgpd; across gobgpd, the resumed VM stays
///   unreachable until its next frame is learned at the destination.)
/// * [`SignallingMode::PlainReadvertise`]: the same re-advertisement (next
///   hop = destination, same sequence number) without any flag; a zero
///   sequence number then carries no MAC Mobility community at all. Every
///   RFC 7432 speaker, GoBGP included, re-points on it. The price: no
///   receiver can tell an in-progress move from a completed one, so FDB
///   outputs say [`FdbCause::Move`](crate::FdbCause) instead of
///   `InProgress`/`Rollback`, and a rollback is indistinguishable from a
///   move back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum SignallingMode {
    /// The MAC Mobility migration-in-progress flag, as in the paper.
    #[default]
    InProgressFlag,
    /// A plain re-advertisement without the flag.
    PlainReadvertise,
}

/// What happens to a MAC found to be a duplicate (RFC 7432 section 15.1,
/// RFC 7432bis section 15.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum DuplicateAction {
    /// RFC 7432 section 15.1: raise the alarm, then stop advertising and
    /// processing MAC/IP routes for the MAC; the FDB keeps what it had.
    #[default]
    StopAdvertising,
    /// RFC 7432bis section 15.3 loop protection: additionally install the
    /// MAC as a drop (black-hole) entry, which breaks a layer-2 loop.
    Drop,
}

/// Duplicate MAC detection parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DuplicateConfig {
    /// N: moves that make a duplicate (default 5).
    pub moves: u32,
    /// M: the window the N moves must fall in (default 180 s).
    pub window: Duration,
    /// What to do with a duplicate.
    pub action: DuplicateAction,
    /// R: when the duplicate state is lifted by itself. RFC 7432bis section
    /// 15.3 asks for at least 3 * M; `None` freezes the MAC until the
    /// operator clears it or the remote routes are withdrawn. Default:
    /// `Some(3 * window)`.
    pub retry: Option<Duration>,
}

impl Default for DuplicateConfig {
    fn default() -> Self {
        DuplicateConfig {
            moves: 5,
            window: Duration::from_secs(180),
            action: DuplicateAction::StopAdvertising,
            retry: Some(Duration::from_secs(540)),
        }
    }
}

/// Migration parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MigrationConfig {
    /// How the in-progress re-advertisement is signalled.
    pub signalling: SignallingMode,
    /// Added to a migration's expected downtime to make its deadline: if no
    /// route from the destination arrives by then, the source rolls back.
    /// Default 2 s (several WAN round trips at the paper's 214 ms).
    pub grace: Duration,
    /// Whether controller-initiated migrations count as moves for duplicate
    /// detection. Default `true`: a VM migrated back and forth N times in M
    /// seconds is reported like any other flapping MAC, because the RIB
    /// cannot tell a buggy orchestrator from a loop, and the other PEs
    /// (which see plain moves) count them anyway. Set `false` for
    /// orchestrators that migrate on purpose faster than that.
    pub count_as_moves: bool,
}

impl Default for MigrationConfig {
    fn default() -> Self {
        MigrationConfig {
            signalling: SignallingMode::InProgressFlag,
            grace: Duration::from_secs(2),
            count_as_moves: true,
        }
    }
}

/// One EVPN broadcast domain: an EVI of VLAN-based service (RFC 7432
/// section 6.1, one bridge domain, Ethernet tag 0, one VNI), or one bridge
/// domain of a VLAN-aware bundle (RFC 7432 section 6.3, RFC 8365 section
/// 5.1.2).
///
/// A **VLAN-aware bundle** is configured as one `EviConfig` per bridge
/// domain, all with the bundle's RD and route targets, each with its own
/// non-zero Ethernet tag (the normalized VLAN ID, or the VNI) and its own
/// VNI; [`EviConfig::bridge_domain`] makes the sibling configurations.
/// Each has its own [`EviId`], MAC table, flood list and inclusive
/// multicast route (RFC 7432 section 11: one per bridge domain). A
/// received MAC/IP, inclusive multicast or per-EVI Ethernet A-D route is
/// imported into the broadcast domains that carry one of its route targets
/// **and** its Ethernet tag; per-ES Ethernet A-D routes (tag `MAX_ET`)
/// into every one carrying a route target. Two broadcast domains with the
/// same RD must have different Ethernet tags (their routes would collide).
///
/// IP prefix (type 5) routes are not imported here but into
/// [`IpVrfConfig`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EviConfig {
    /// The embedder's id for the EVI.
    pub id: EviId,
    /// The RD of every route this site originates in the EVI.
    pub rd: RouteDistinguisher,
    /// Routes carrying any of these route targets are imported.
    pub import_rts: Vec<RouteTarget>,
    /// Route targets attached to routes this site originates.
    pub export_rts: Vec<RouteTarget>,
    /// The Ethernet Tag of the bridge domain (0 for VLAN-based service).
    pub ethernet_tag: EthernetTag,
    /// The L2 VNI.
    pub vni: u32,
    /// The site's VTEP address: next hop of its routes, ingress replication
    /// endpoint of its inclusive multicast route.
    pub local_vtep: IpAddr,
    /// The site's Router's MAC (RFC 9135), attached to its MAC/IP routes.
    pub router_mac: Option<MacAddr6>,
}

impl EviConfig {
    /// A VLAN-based EVI with one route target used for import and export.
    pub fn new(
        id: EviId,
        rd: RouteDistinguisher,
        route_target: RouteTarget,
        vni: u32,
        local_vtep: IpAddr,
    ) -> Self {
        EviConfig {
            id,
            rd,
            import_rts: vec![route_target],
            export_rts: vec![route_target],
            ethernet_tag: EthernetTag::ZERO,
            vni,
            local_vtep,
            router_mac: None,
        }
    }

    /// Another bridge domain of the same VLAN-aware bundle: the same RD,
    /// route targets, VTEP and Router's MAC, its own id, Ethernet tag and
    /// VNI.
    ///
    /// ```
    /// use core::net::{IpAddr, Ipv4Addr};
    /// use bgp_evpn_wire::extcomm::RouteTarget;
    /// use bgp_evpn_wire::types::{EthernetTag, RouteDistinguisher};
    /// use evpn_rib::{EviConfig, EviId, RibConfig};
    ///
    /// let vtep = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    /// let rd = RouteDistinguisher::Ipv4 { addr: Ipv4Addr::new(192, 0, 2, 1), number: 7 };
    /// let mut blue = EviConfig::new(EviId(10), rd, RouteTarget::as2(65000, 7), 10010, vtep);
    /// blue.ethernet_tag = EthernetTag(10);
    /// let green = blue.bridge_domain(EviId(20), EthernetTag(20), 10020);
    /// let config = RibConfig::new(vtep).with_evi(blue).with_evi(green);
    /// assert!(evpn_rib::Rib::new(config).is_ok());
    /// ```
    #[must_use]
    pub fn bridge_domain(&self, id: EviId, ethernet_tag: EthernetTag, vni: u32) -> EviConfig {
        EviConfig {
            id,
            ethernet_tag,
            vni,
            ..self.clone()
        }
    }

    /// Whether a route with this Ethernet tag belongs to this broadcast
    /// domain (per-ES A-D routes, tag `MAX_ET`, belong to every one).
    pub(crate) fn carries_tag(&self, tag: EthernetTag) -> bool {
        tag == self.ethernet_tag || tag == EthernetTag::MAX_ET
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.vni > MAX_VNI {
            return Err(Error::InvalidVni(self.vni));
        }
        check_import_rts(&self.import_rts)
    }

    pub(crate) fn imports(&self, rt: &RouteTarget) -> bool {
        imports(&self.import_rts, rt)
    }
}

/// At least one import route target (an EVI or IP-VRF importing nothing is
/// a configuration error).
fn check_import_rts(rts: &[RouteTarget]) -> Result<(), Error> {
    if rts.is_empty() {
        return Err(Error::InvalidConfig(ConfigProblem::NoImportRouteTarget));
    }
    Ok(())
}

/// Whether `rt` matches one of the import route targets (by its global and
/// local administrator; the transitive bit is not compared).
fn imports(import_rts: &[RouteTarget], rt: &RouteTarget) -> bool {
    import_rts.iter().any(|i| i.admin == rt.admin)
}

/// An IP-VRF: the tenant routing table that received IP prefix (type 5,
/// RFC 9136) routes are imported into, by route target. Its best next hops
/// come out as [`Output::Prefix`](crate::Output). Originating the IP-VRF's
/// own prefixes is left to the embedder (an
/// [`IpPrefixRoute`](bgp_evpn_wire::evpn::IpPrefixRoute) with the L3 VNI
/// as label and the Router's MAC community, built with `bgp-evpn-wire`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IpVrfConfig {
    /// The embedder's id for the IP-VRF.
    pub id: IpVrfId,
    /// IP prefix routes carrying any of these route targets are imported.
    pub import_rts: Vec<RouteTarget>,
}

impl IpVrfConfig {
    /// An IP-VRF importing one route target.
    pub fn new(id: IpVrfId, route_target: RouteTarget) -> Self {
        IpVrfConfig {
            id,
            import_rts: vec![route_target],
        }
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_import_rts(&self.import_rts)
    }

    pub(crate) fn imports(&self, rt: &RouteTarget) -> bool {
        imports(&self.import_rts, rt)
    }
}

/// The whole RIB's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RibConfig {
    /// This site's router address: the originator of its routes in the
    /// lowest-address tie-break of RFC 7432 section 15.
    pub router_id: IpAddr,
    /// LOCAL_PREF given to local routes in best path selection, and to
    /// received routes that carry none (default 100).
    pub local_preference: u32,
    /// Duplicate MAC detection.
    pub duplicate: DuplicateConfig,
    /// Proactive migration.
    pub migration: MigrationConfig,
    /// The EVIs (broadcast domains) configured at start.
    pub evis: Vec<EviConfig>,
    /// The IP-VRFs configured at start.
    #[cfg_attr(feature = "serde", serde(default))]
    pub ip_vrfs: Vec<IpVrfConfig>,
}

impl RibConfig {
    /// Defaults around a router id, no EVI.
    pub fn new(router_id: IpAddr) -> Self {
        RibConfig {
            router_id,
            local_preference: 100,
            duplicate: DuplicateConfig::default(),
            migration: MigrationConfig::default(),
            evis: Vec::new(),
            ip_vrfs: Vec::new(),
        }
    }

    /// Adds an EVI (builder style).
    #[must_use]
    pub fn with_evi(mut self, evi: EviConfig) -> Self {
        self.evis.push(evi);
        self
    }

    /// Adds an IP-VRF (builder style).
    #[must_use]
    pub fn with_ip_vrf(mut self, vrf: IpVrfConfig) -> Self {
        self.ip_vrfs.push(vrf);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        let d = &self.duplicate;
        if d.moves < 2 {
            return Err(Error::InvalidConfig(ConfigProblem::TooFewMoves));
        }
        if d.window.is_zero() {
            return Err(Error::InvalidConfig(ConfigProblem::ZeroWindow));
        }
        if let Some(r) = d.retry
            && r < d.window * 3
        {
            return Err(Error::InvalidConfig(ConfigProblem::RetryTooShort));
        }
        if let Some(id) = first_duplicate(self.evis.iter().map(|e| e.id)) {
            return Err(Error::DuplicateEvi(id));
        }
        self.evis.iter().try_for_each(EviConfig::validate)?;
        for (i, evi) in self.evis.iter().enumerate() {
            check_bridge_domain(evi, &self.evis[..i])?;
        }
        if let Some(id) = first_duplicate(self.ip_vrfs.iter().map(|v| v.id)) {
            return Err(Error::DuplicateIpVrf(id));
        }
        self.ip_vrfs.iter().try_for_each(IpVrfConfig::validate)
    }
}

/// The lowest id that occurs more than once.
fn first_duplicate<T: Ord + Copy>(ids: impl Iterator<Item = T>) -> Option<T> {
    let mut ids: Vec<T> = ids.collect();
    ids.sort();
    ids.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// Two broadcast domains with the same RD and Ethernet tag would originate
/// the same NLRIs.
pub(crate) fn check_bridge_domain<'a>(
    evi: &EviConfig,
    others: impl IntoIterator<Item = &'a EviConfig>,
) -> Result<(), Error> {
    match others
        .into_iter()
        .find(|o| o.rd == evi.rd && o.ethernet_tag == evi.ethernet_tag)
    {
        Some(o) => Err(Error::SameBridgeDomain {
            evi: evi.id,
            existing: o.id,
        }),
        None => Ok(()),
    }
}
