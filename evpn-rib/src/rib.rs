//! The RIB state machine.

use core::cmp::{Ordering, Reverse};
use core::net::IpAddr;
use core::ops::Deref;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use bgp_evpn_wire::attribute::{PmsiTunnel, PmsiTunnelIdentifier};
use bgp_evpn_wire::evpn::{
    EthernetAdRoute, EthernetSegmentRoute, EvpnRoute, InclusiveMulticastRoute, IpPrefixRoute,
    MacIpRoute, RouteKey,
};
use bgp_evpn_wire::extcomm::{
    DefaultGateway, Encapsulation, ExtendedCommunities, ExtendedCommunity, MacMobility, RouterMac,
    TunnelType,
};
use bgp_evpn_wire::types::{Esi, EthernetTag, LabelField, LabelMeaning, RouteDistinguisher};
use ipnetwork::IpNetwork;
use macaddr::MacAddr6;

use crate::config::{
    DuplicateAction, EviConfig, IpVrfConfig, RibConfig, SignallingMode, check_bridge_domain,
};
use crate::error::Error;
use crate::intern::{ArcSet, Id, Interner};
use crate::io::{
    Advertisement, Alarm, ClearReason, FdbCause, FdbTarget, FdbUpdate, FloodList, Input, LearnKind,
    MigrationEvent, MigrationOutcome, Output, PrefixNextHop, PrefixUpdate, RouteAttributes,
    Withdrawal,
};
use crate::mac_table::MacTable;
use crate::state::{DuplicateState, LocalMac, Migration, PathRef, RemotePath};
use crate::time::Timestamp;
use crate::types::{EviId, IpVrfId, MAX_VNI, PeerId, PortId, RemoteVtep};
use crate::vec_map::{VecMap, VecSet};

pub(crate) type MacKey = (EthernetTag, MacAddr6);
/// Who sent a path: the peer and the RD, one `Arc` shared by every path
/// with the same pair ([`Shared::sources`]).
pub(crate) type Source = Arc<(PeerId, RouteDistinguisher)>;
/// A received path's key: ordered as (peer, RD, IP), like the
/// [`PathRef::Remote`] it stands for.
pub(crate) type PathId = (Source, Option<IpAddr>);

/// Compares a path's key with (peer, RD, IP), in the keys' order.
fn path_cmp(
    peer: PeerId,
    rd: RouteDistinguisher,
    ip: Option<IpAddr>,
) -> impl Fn(&PathId) -> Ordering {
    move |k: &PathId| (&k.0.0, &k.0.1, &k.1).cmp(&(&peer, &rd, &ip))
}

/// Per MAC: its local path, the paths received from every PE, what this
/// site advertises for it and what the FDB holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct MacEntry {
    /// Boxed: most MACs of a large table are remote only.
    pub(crate) local: Option<Box<LocalState>>,
    pub(crate) remote: VecMap<PathId, StoredPath>,
    /// What each advertised route (by IP) was built from; the route itself
    /// is rebuilt when needed ([`mac_ip_advertisement`]).
    /// The sources are shared ([`Shared::ads`]): most MACs advertise
    /// with the same sequence number, ESI and kind.
    pub(crate) advertised: VecMap<Option<IpAddr>, Arc<AdSource>>,
    /// The FDB entry ([`MacEntry::fdb`]): the target interned in
    /// [`Shared::fdb`] (most MACs share a few targets, one per remote VTEP
    /// or local port) and the cause of its last change (`None`: no entry).
    /// With the best path below, in separate fields rather than in an
    /// `Option<(Id, FdbCause)>` and an enum, so they share their padding
    /// (32 bytes instead of 40).
    fdb_target: Id,
    fdb_cause: Option<FdbCause>,
    /// The best path as last decided ([`MacEntry::last_best`]): the
    /// source and IP of a remote path (no source: the local path), and
    /// [`MacEntry::BEST`] and [`MacEntry::BEST_IN_PROGRESS`].
    best_source: Option<Source>,
    best_ip: Option<IpAddr>,
    best_flags: u8,
    /// The move window and the duplicate state, out of line (8 bytes in
    /// the entry): most MACs never move. `None` until the first move and
    /// again once a duplicate state is cleared.
    pub(crate) rare: Option<Box<Rare>>,
}

/// The per-MAC state of duplicate detection.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rare {
    /// The moves within the detection window.
    moves: VecDeque<Timestamp>,
    duplicate: Option<DuplicateState>,
}

/// A received MAC/IP path as the RIB stores it: a [`RemotePath`] without
/// the route's RD, Ethernet tag, MAC and IP, which the tables' keys already
/// hold, and with the attributes that the paths of one PE have in common
/// shared ([`PathAttrs`], one `Arc` per distinct set in
/// [`Shared::attrs`]): 24 bytes; [`StoredPath::to_remote_path`] rebuilds
/// the public form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredPath {
    attrs: Arc<PathAttrs>,
    seq: u32,
    received: Timestamp,
}

impl Deref for StoredPath {
    type Target = PathAttrs;

    fn deref(&self) -> &PathAttrs {
        &self.attrs
    }
}

/// What a received path says besides its key, sequence number and time of
/// receipt.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PathAttrs {
    esi: Esi,
    label1: LabelField,
    label2: Option<LabelField>,
    next_hop: IpAddr,
    originator: IpAddr,
    /// [`PathAttrs::STICKY`] and the other flags.
    flags: u8,
    router_mac: Option<MacAddr6>,
    local_pref: u32,
}

impl StoredPath {
    fn new(
        r: &MacIpRoute,
        attrs: &RouteAttributes,
        local_pref: u32,
        received: Timestamp,
        shared: &mut ArcSet<PathAttrs>,
    ) -> StoredPath {
        StoredPath {
            attrs: shared.get(&PathAttrs::new(r, attrs, local_pref)),
            seq: attrs.communities.as_slice().sequence(),
            received,
        }
    }

    /// The path as [`RemotePath`], its route rebuilt from the MAC's key
    /// and the path's id.
    pub(crate) fn to_remote_path(&self, key: MacKey, id: &PathId) -> RemotePath {
        RemotePath {
            route: MacIpRoute {
                rd: id.0.1,
                esi: self.esi,
                ethernet_tag: key.0,
                mac: key.1,
                ip: id.1,
                label1: self.label1,
                label2: self.label2,
            },
            next_hop: self.next_hop,
            originator: self.originator,
            vni: self.vni(),
            seq: self.seq,
            sticky: self.sticky(),
            in_progress: self.in_progress(),
            default_gateway: self.default_gateway(),
            router_mac: self.router_mac,
            local_pref: self.local_pref,
            received: self.received,
        }
    }
}

impl PathAttrs {
    const STICKY: u8 = 1;
    const IN_PROGRESS: u8 = 2;
    const DEFAULT_GATEWAY: u8 = 4;
    /// Label 1 is an MPLS label, not a VNI (the Encapsulation community
    /// says so): the VNI of [`RemotePath`] is computed from it.
    const MPLS: u8 = 8;

    fn new(r: &MacIpRoute, attrs: &RouteAttributes, local_pref: u32) -> PathAttrs {
        let comms = attrs.communities.as_slice();
        let mpls = matches!(
            comms.encapsulation(),
            Some(t) if t.label_meaning() == LabelMeaning::MplsLabel
        );
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        PathAttrs {
            esi: r.esi,
            label1: r.label1,
            label2: r.label2,
            next_hop: attrs.next_hop,
            originator: attrs.originator,
            flags: flag(comms.is_sticky(), Self::STICKY)
                | flag(comms.is_migration_in_progress(), Self::IN_PROGRESS)
                | flag(comms.is_default_gateway(), Self::DEFAULT_GATEWAY)
                | flag(mpls, Self::MPLS),
            router_mac: comms.router_mac(),
            local_pref,
        }
    }

    fn sticky(&self) -> bool {
        self.flags & Self::STICKY != 0
    }

    fn in_progress(&self) -> bool {
        self.flags & Self::IN_PROGRESS != 0
    }

    fn default_gateway(&self) -> bool {
        self.flags & Self::DEFAULT_GATEWAY != 0
    }

    /// The VNI of label 1 (as [`vni_of`] reads it on receipt).
    fn vni(&self) -> u32 {
        if self.flags & Self::MPLS != 0 {
            self.label1.mpls_label()
        } else {
            self.label1.vni()
        }
    }
}

/// A locally learned MAC as the RIB stores it: a [`LocalMac`] with its IPs
/// (in a boxed slice) and its migration out of line (40 bytes instead of
/// 104); [`LocalState::to_local_mac`] gives the public form.
#[derive(Debug, Clone)]
pub(crate) struct LocalState {
    pub(crate) port: PortId,
    pub(crate) esi: Esi,
    pub(crate) kind: LearnKind,
    pub(crate) seq: u32,
    pub(crate) learned: Timestamp,
    /// The IPs and the migration, out of line (8 bytes); `None` when the
    /// MAC has neither.
    extra: Option<Box<LocalExtra>>,
}

/// What a local MAC with IPs or in migration has besides the rest (24
/// bytes: the migration, rarer still, out of line again).
#[derive(Debug, Clone, Default)]
struct LocalExtra {
    ips: VecSet<IpAddr>,
    migration: Option<Box<Migration>>,
}

impl LocalState {
    fn new(
        port: PortId,
        esi: Esi,
        kind: LearnKind,
        seq: u32,
        ip: Option<IpAddr>,
        learned: Timestamp,
    ) -> LocalState {
        let mut l = LocalState {
            port,
            esi,
            kind,
            seq,
            learned,
            extra: None,
        };
        if let Some(ip) = ip {
            l.insert_ip(ip);
        }
        l
    }

    pub(crate) fn to_local_mac(&self) -> LocalMac {
        LocalMac {
            port: self.port,
            esi: self.esi,
            kind: self.kind,
            seq: self.seq,
            ips: self.ips().copied().collect(),
            learned: self.learned,
            migration: self.migration().cloned(),
        }
    }

    /// The IPs bound to the MAC, in order.
    fn ips(&self) -> impl Iterator<Item = &IpAddr> + Clone {
        self.extra.iter().flat_map(|e| e.ips.iter())
    }

    fn has_ip(&self, ip: &IpAddr) -> bool {
        self.extra.as_ref().is_some_and(|e| e.ips.contains(ip))
    }

    fn insert_ip(&mut self, ip: IpAddr) {
        self.extra.get_or_insert_default().ips.insert(ip);
    }

    fn remove_ip(&mut self, ip: &IpAddr) {
        if let Some(e) = self.extra.as_mut() {
            e.ips.remove(ip);
        }
        self.drop_empty_extra();
    }

    fn migration(&self) -> Option<&Migration> {
        self.extra.as_ref().and_then(|e| e.migration.as_deref())
    }

    fn set_migration(&mut self, m: Migration) {
        self.extra.get_or_insert_default().migration = Some(Box::new(m));
    }

    fn take_migration(&mut self) -> Option<Migration> {
        let m = self.extra.as_mut().and_then(|e| e.migration.take());
        let m = m.map(|m| *m);
        self.drop_empty_extra();
        m
    }

    fn drop_empty_extra(&mut self) {
        if self
            .extra
            .as_ref()
            .is_some_and(|e| e.ips.is_empty() && e.migration.is_none())
        {
            self.extra = None;
        }
    }
}

/// What an advertised MAC/IP route is built from, besides the EVI's and
/// the RIB's configuration (which do not change) and the route's IP: the
/// route is a function of these, and different values give different
/// routes (the ESI is the advertised one: zero during a migration), so
/// comparing them compares the routes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct AdSource {
    seq: u32,
    esi: Esi,
    kind: LearnKind,
    /// Destination VTEP, VNI and Router's MAC of a migration in progress;
    /// out of line (8 bytes instead of 28): rare.
    migration: Option<Box<(IpAddr, u32, Option<MacAddr6>)>>,
}

impl AdSource {
    fn of(l: &LocalState) -> AdSource {
        let migration = l
            .migration()
            .map(|m| Box::new((m.destination, m.vni, m.router_mac)));
        AdSource {
            seq: l.seq,
            esi: if migration.is_some() {
                Esi::ZERO
            } else {
                l.esi
            },
            kind: l.kind,
            migration,
        }
    }
}

impl MacEntry {
    /// There is a last best path.
    const BEST: u8 = 1;
    /// It was a migration in progress.
    const BEST_IN_PROGRESS: u8 = 2;

    /// The FDB entry: its interned target and the cause of its last
    /// change.
    pub(crate) fn fdb(&self) -> Option<(Id, FdbCause)> {
        self.fdb_cause.map(|c| (self.fdb_target, c))
    }

    pub(crate) fn set_fdb(&mut self, fdb: Option<(Id, FdbCause)>) {
        (self.fdb_target, self.fdb_cause) = match fdb {
            Some((t, c)) => (t, Some(c)),
            None => (0, None),
        };
    }

    /// The best path as last decided, and whether it was a migration in
    /// progress.
    pub(crate) fn last_best(&self) -> Option<(PathRef, bool)> {
        if self.best_flags & Self::BEST == 0 {
            return None;
        }
        let path = match &self.best_source {
            None => PathRef::Local,
            Some(source) => PathRef::Remote {
                peer: source.0,
                rd: source.1,
                ip: self.best_ip,
            },
        };
        Some((path, self.best_flags & Self::BEST_IN_PROGRESS != 0))
    }

    /// Records the best path (one of the entry's paths).
    fn set_last_best(&mut self, best: Option<(PathRef, bool)>) {
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        (self.best_source, self.best_ip, self.best_flags) = match best {
            None => (None, None, 0),
            Some((PathRef::Local, in_progress)) => (
                None,
                None,
                Self::BEST | flag(in_progress, Self::BEST_IN_PROGRESS),
            ),
            Some((PathRef::Remote { peer, rd, ip }, in_progress)) => {
                let ((source, _), _) = self
                    .remote
                    .get_by(path_cmp(peer, rd, ip))
                    .expect("the best path is one of the MAC's paths");
                (
                    Some(source.clone()),
                    ip,
                    Self::BEST | flag(in_progress, Self::BEST_IN_PROGRESS),
                )
            }
        };
    }

    /// The duplicate state, if the MAC is a duplicate.
    pub(crate) fn duplicate(&self) -> Option<&DuplicateState> {
        self.rare.as_ref().and_then(|r| r.duplicate.as_ref())
    }

    fn is_empty(&self) -> bool {
        self.local.is_none()
            && self.remote.is_empty()
            && self.advertised.is_empty()
            && self.fdb_cause.is_none()
            && self.rare.is_none()
    }
}

/// An Ethernet A-D route as the RIB keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AdPath {
    /// Ethernet segment.
    pub esi: Esi,
    /// Advertising VTEP.
    pub next_hop: IpAddr,
    /// Per-ES route (Ethernet tag MAX-ET) rather than per-EVI.
    pub per_es: bool,
    /// VNI of its label (per-EVI routes: the VNI to use when aliasing).
    pub vni: u32,
}

/// Multihoming state of an EVI: Ethernet A-D routes, and the (ES, PE)
/// pairs whose per-ES route was withdrawn (mass withdraw).
#[derive(Debug, Clone, Default)]
pub(crate) struct EsTable {
    pub(crate) ad: BTreeMap<(PeerId, RouteKey), AdPath>,
    pub(crate) down: BTreeSet<(Esi, IpAddr)>,
}

impl EsTable {
    /// Whether a path is unusable because its PE withdrew the ES.
    fn is_down(&self, esi: &Esi, next_hop: IpAddr) -> bool {
        !esi.is_zero() && self.down.contains(&(*esi, next_hop))
    }

    /// Whether a path can be used: its PE has not withdrawn the ES, or
    /// other PEs of the ES can take its MACs (aliasing / backup path).
    fn usable(&self, esi: &Esi, next_hop: IpAddr) -> bool {
        !self.is_down(esi, next_hop) || !self.aliases(esi, next_hop, 0).is_empty()
    }

    /// The other VTEPs through which an ES is reachable (aliasing, RFC 7432
    /// section 8.4): PEs with a per-ES route and, if any PE sent per-EVI
    /// routes for the ES, only those among them.
    fn aliases(&self, esi: &Esi, primary: IpAddr, default_vni: u32) -> Vec<RemoteVtep> {
        if esi.is_zero() {
            return Vec::new();
        }
        let per_es: BTreeSet<IpAddr> = self
            .ad
            .values()
            .filter(|a| a.per_es && a.esi == *esi)
            .map(|a| a.next_hop)
            .collect();
        let per_evi: BTreeMap<IpAddr, u32> = self
            .ad
            .values()
            .filter(|a| !a.per_es && a.esi == *esi)
            .map(|a| (a.next_hop, a.vni))
            .collect();
        per_es
            .into_iter()
            .filter(|nh| *nh != primary && (per_evi.is_empty() || per_evi.contains_key(nh)))
            .map(|nh| RemoteVtep {
                vtep: nh,
                vni: per_evi.get(&nh).copied().unwrap_or(default_vni),
            })
            .collect()
    }
}

/// A received IP prefix route.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PrefixPath {
    /// Where it leads.
    pub next_hop: PrefixNextHop,
    /// Originating PE.
    pub originator: IpAddr,
    /// LOCAL_PREF.
    pub local_pref: u32,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct PrefixEntry {
    pub(crate) paths: BTreeMap<(PeerId, RouteDistinguisher), PrefixPath>,
    pub(crate) best: Option<PrefixNextHop>,
}

#[derive(Debug, Clone)]
pub(crate) struct Evi {
    pub(crate) cfg: EviConfig,
    /// Ordered by key; the entries in a slab (a B-tree node holds 11
    /// 32-bit slot numbers rather than 11 entries, most of them empty).
    pub(crate) macs: MacTable,
    pub(crate) imet: BTreeMap<(PeerId, RouteKey), RemoteVtep>,
    pub(crate) flood: Vec<RemoteVtep>,
    pub(crate) es: EsTable,
    /// IP -> MACs that may hold it, locally or in a received route (a
    /// superset, pruned as it is read), so IP mobility does not scan the
    /// whole MAC-VRF.
    pub(crate) ip_index: BTreeMap<IpAddr, BTreeSet<MacKey>>,
}

/// An IP-VRF: its IP prefix routes.
#[derive(Debug, Clone)]
pub(crate) struct IpVrf {
    pub(crate) cfg: IpVrfConfig,
    pub(crate) prefixes: BTreeMap<IpNetwork, PrefixEntry>,
}

fn has_ip(e: &MacEntry, ip: IpAddr) -> bool {
    e.remote.keys().any(|(_, i)| *i == Some(ip)) || e.local.as_ref().is_some_and(|l| l.has_ip(&ip))
}

impl Evi {
    fn index_ip(&mut self, ip: IpAddr, key: MacKey) {
        self.ip_index.entry(ip).or_default().insert(key);
    }

    /// The MACs other than `except` holding `ip`.
    fn macs_with_ip(&mut self, ip: IpAddr, except: MacKey) -> Vec<MacKey> {
        let Some(set) = self.ip_index.get_mut(&ip) else {
            return Vec::new();
        };
        let macs = &self.macs;
        set.retain(|k| macs.get(k).is_some_and(|e| has_ip(e, ip)));
        let out = set.iter().filter(|k| **k != except).copied().collect();
        if set.is_empty() {
            self.ip_index.remove(&ip);
        }
        out
    }

    fn unindex_if_gone(&mut self, ip: IpAddr, key: MacKey) {
        if self.macs.get(&key).is_some_and(|e| has_ip(e, ip)) {
            return;
        }
        if let Some(set) = self.ip_index.get_mut(&ip) {
            set.remove(&key);
            if set.is_empty() {
                self.ip_index.remove(&ip);
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Migration(EviId, EthernetTag, MacAddr6),
    DuplicateRetry(EviId, EthernetTag, MacAddr6),
}

/// Values many MAC entries share, interned once for the whole RIB.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shared {
    /// FDB targets ([`MacEntry::fdb`]).
    pub(crate) fdb: Interner<FdbTarget>,
    /// The peers and RDs of received paths ([`Source`]).
    sources: ArcSet<(PeerId, RouteDistinguisher)>,
    /// The attributes of received paths ([`StoredPath`]).
    attrs: ArcSet<PathAttrs>,
    /// What advertised routes are built from ([`MacEntry::advertised`]).
    ads: ArcSet<AdSource>,
}

/// What the handlers share: configuration, time, the output queue, the
/// timers and the interned values.
struct Ctx<'a> {
    cfg: &'a RibConfig,
    now: Timestamp,
    out: &'a mut VecDeque<Output>,
    timers: &'a mut BTreeSet<(Timestamp, Timer)>,
    shared: &'a mut Shared,
}

/// The EVPN RIB of one site (the paper's L2VPN-Service). See the
/// [crate documentation](crate) for the state machine.
#[derive(Debug, Clone)]
pub struct Rib {
    cfg: RibConfig,
    last_now: Option<Timestamp>,
    pub(crate) evis: BTreeMap<EviId, Evi>,
    pub(crate) ip_vrfs: BTreeMap<IpVrfId, IpVrf>,
    pub(crate) es_routes: BTreeMap<(PeerId, RouteKey), (EthernetSegmentRoute, IpAddr)>,
    timers: BTreeSet<(Timestamp, Timer)>,
    out: VecDeque<Output>,
    pub(crate) shared: Shared,
}

impl Rib {
    /// A RIB with its configuration. The inclusive multicast route of every
    /// EVI is queued for advertisement.
    pub fn new(config: RibConfig) -> Result<Rib, Error> {
        config.validate()?;
        let mut rib = Rib {
            cfg: config.clone(),
            last_now: None,
            evis: BTreeMap::new(),
            ip_vrfs: BTreeMap::new(),
            es_routes: BTreeMap::new(),
            timers: BTreeSet::new(),
            out: VecDeque::new(),
            shared: Shared::default(),
        };
        for evi in config.evis {
            rib.insert_evi(evi);
        }
        for vrf in config.ip_vrfs {
            rib.insert_ip_vrf(vrf);
        }
        Ok(rib)
    }

    /// The configuration (EVIs added later with [`Input::AddEvi`] are in
    /// [`Rib::evi_config`], not here).
    pub fn config(&self) -> &RibConfig {
        &self.cfg
    }

    /// An EVI's configuration.
    pub fn evi_config(&self, evi: EviId) -> Option<&EviConfig> {
        self.evis.get(&evi).map(|e| &e.cfg)
    }

    /// An IP-VRF's configuration.
    pub fn ip_vrf_config(&self, vrf: IpVrfId) -> Option<&IpVrfConfig> {
        self.ip_vrfs.get(&vrf).map(|v| &v.cfg)
    }

    /// The next output, if any.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When [`Rib::handle_timeout`] must be called next.
    pub fn poll_timeout(&self) -> Option<Timestamp> {
        self.timers.first().map(|(t, _)| *t)
    }

    /// Fires the timers due at `now` (migration deadlines, duplicate retry
    /// timers).
    pub fn handle_timeout(&mut self, now: Timestamp) -> Result<(), Error> {
        self.handle(now, Input::Timeout)
    }

    /// Handles one input at time `now`. On error nothing changed: no state,
    /// no output, no timer.
    pub fn handle(&mut self, now: Timestamp, input: Input) -> Result<(), Error> {
        if let Some(last) = self.last_now
            && now < last
        {
            return Err(Error::TimeWentBackwards { now, last });
        }
        match input {
            Input::AddEvi(cfg) => self.add_evi(cfg)?,
            Input::AddIpVrf(cfg) => self.add_ip_vrf(cfg)?,
            Input::LocalLearn {
                evi,
                mac,
                ip,
                port,
                esi,
                kind,
            } => self.local_learn(now, evi, mac, ip, port, esi, kind)?,
            Input::LocalAge { evi, mac, ip } => self.local_age(now, evi, mac, ip)?,
            Input::RouteUpdate {
                peer,
                route,
                attributes,
            } => self.route_update(now, peer, route, attributes),
            Input::RouteWithdraw { peer, key } => self.route_withdraw(now, peer, &key),
            Input::PeerDown { peer } => self.peer_down(now, peer),
            Input::MigrationStart {
                evi,
                mac,
                destination,
                destination_vni,
                destination_router_mac,
                expected_downtime,
            } => {
                let m = Migration {
                    destination,
                    vni: destination_vni,
                    router_mac: destination_router_mac,
                    started: now,
                    deadline: now + expected_downtime + self.cfg.migration.grace,
                };
                self.migration_start(now, evi, mac, m)?
            }
            Input::MigrationAbort { evi, mac } => self.migration_abort(now, evi, mac)?,
            Input::ClearDuplicate { evi, mac } => self.clear_duplicate_input(now, evi, mac)?,
            Input::Timeout => self.fire_timers(now),
        }
        self.last_now = Some(now);
        Ok(())
    }

    fn insert_evi(&mut self, cfg: EviConfig) {
        let imet = imet_advertisement(&cfg);
        self.out.push_back(Output::Advertise(imet));
        self.evis.insert(
            cfg.id,
            Evi {
                cfg,
                macs: MacTable::default(),
                imet: BTreeMap::new(),
                flood: Vec::new(),
                es: EsTable::default(),
                ip_index: BTreeMap::new(),
            },
        );
    }

    fn add_evi(&mut self, cfg: EviConfig) -> Result<(), Error> {
        cfg.validate()?;
        if self.evis.contains_key(&cfg.id) {
            return Err(Error::DuplicateEvi(cfg.id));
        }
        check_bridge_domain(&cfg, self.evis.values().map(|e| &e.cfg))?;
        self.insert_evi(cfg);
        Ok(())
    }

    fn insert_ip_vrf(&mut self, cfg: IpVrfConfig) {
        self.ip_vrfs.insert(
            cfg.id,
            IpVrf {
                cfg,
                prefixes: BTreeMap::new(),
            },
        );
    }

    fn add_ip_vrf(&mut self, cfg: IpVrfConfig) -> Result<(), Error> {
        cfg.validate()?;
        if self.ip_vrfs.contains_key(&cfg.id) {
            return Err(Error::DuplicateIpVrf(cfg.id));
        }
        self.insert_ip_vrf(cfg);
        Ok(())
    }

    /// The EVIs, the IP-VRFs and what the handlers share, borrowed apart.
    fn split_all(
        &mut self,
        now: Timestamp,
    ) -> (
        &mut BTreeMap<EviId, Evi>,
        &mut BTreeMap<IpVrfId, IpVrf>,
        Ctx<'_>,
    ) {
        (
            &mut self.evis,
            &mut self.ip_vrfs,
            Ctx {
                cfg: &self.cfg,
                now,
                out: &mut self.out,
                timers: &mut self.timers,
                shared: &mut self.shared,
            },
        )
    }

    fn split(&mut self, now: Timestamp) -> (&mut BTreeMap<EviId, Evi>, Ctx<'_>) {
        let (evis, _, ctx) = self.split_all(now);
        (evis, ctx)
    }

    // ---------------------------------------------------------------- local

    #[allow(clippy::too_many_arguments)]
    fn local_learn(
        &mut self,
        now: Timestamp,
        evi_id: EviId,
        mac: MacAddr6,
        ip: Option<IpAddr>,
        port: PortId,
        esi: Esi,
        kind: LearnKind,
    ) -> Result<(), Error> {
        let (evis, mut ctx) = self.split(now);
        let evi = evis.get_mut(&evi_id).ok_or(Error::UnknownEvi(evi_id))?;
        let key = (evi.cfg.ethernet_tag, mac);

        // IP mobility (RFC 9721): an IP moving to this MAC must outbid the
        // highest sequence number seen for the IP on any other MAC; a local
        // binding of the IP to another MAC is stale.
        let mut ip_floor: Option<u32> = None;
        if let Some(ip) = ip
            && !evi
                .macs
                .get(&key)
                .and_then(|e| e.local.as_ref())
                .is_some_and(|l| l.has_ip(&ip))
        {
            let candidates = evi.macs_with_ip(ip, key);
            let stale: Vec<MacKey> = candidates
                .iter()
                .filter_map(|k| evi.macs.get(k).map(|e| (k, e)))
                .filter_map(|(k, e)| {
                    let remote = e
                        .remote
                        .iter()
                        .filter(|((_, i), _)| *i == Some(ip))
                        .map(|(_, p)| p.seq)
                        .max();
                    let local = e.local.as_ref().filter(|l| l.has_ip(&ip)).map(|l| l.seq);
                    if let Some(s) = remote.max(local) {
                        ip_floor = Some(ip_floor.map_or(s, |f| f.max(s)));
                    }
                    local.map(|_| *k)
                })
                .collect();
            for k in stale {
                let entry = evi.macs.get_mut(&k).expect("collected above");
                if let Some(l) = entry.local.as_mut() {
                    l.remove_ip(&ip);
                }
                reconcile(evi_id, &evi.cfg, &evi.es, k, entry, None, &mut ctx);
            }
        }

        if let Some(ip) = ip {
            evi.index_ip(ip, key);
        }
        let entry = evi.macs.get_or_default(key);
        let mut hint = None;
        if let Some(l) = entry.local.as_mut() {
            if l.migration().is_none() {
                l.esi = esi;
                l.kind = kind;
            }
            l.port = port;
            l.learned = now;
            if let Some(ip) = ip {
                l.insert_ip(ip);
            }
        } else {
            let same_es = |p: &StoredPath| !esi.is_zero() && p.esi == esi;
            let competing = entry.remote.values().filter(|p| !same_es(p));
            let remote_best = competing
                .clone()
                .filter(|p| evi.es.usable(&p.esi, p.next_hop))
                .max_by_key(|p| remote_rank(p));
            if kind != LearnKind::DefaultGateway
                && let Some(rb) = remote_best
            {
                if rb.sticky() {
                    ctx.out.push_back(Output::Alarm(Alarm::StickyViolation {
                        evi: evi_id,
                        mac,
                        remote: rb.originator,
                    }));
                    return Ok(());
                }
                if rb.default_gateway() {
                    ctx.out
                        .push_back(Output::Alarm(Alarm::DefaultGatewayMismatch {
                            evi: evi_id,
                            mac,
                            remote: rb.originator,
                        }));
                    return Ok(());
                }
            }
            if kind == LearnKind::DefaultGateway
                && let Some(rb) = remote_best.filter(|p| !p.default_gateway())
            {
                ctx.out
                    .push_back(Output::Alarm(Alarm::DefaultGatewayMismatch {
                        evi: evi_id,
                        mac,
                        remote: rb.originator,
                    }));
            }
            let competing_max = competing.map(|p| p.seq).max();
            let same_es_max = entry
                .remote
                .values()
                .filter(|p| same_es(p))
                .map(|p| p.seq)
                .max()
                .unwrap_or(0);
            let expected = remote_best.is_some_and(|p| p.next_hop == evi.cfg.local_vtep);
            let seq = match (kind, competing_max) {
                (LearnKind::DefaultGateway, _) | (_, None) => same_es_max,
                (_, Some(max)) => next_seq(max, evi_id, mac, &mut ctx),
            };
            let is_move = competing_max.is_some() && kind != LearnKind::DefaultGateway;
            if is_move && (!expected || ctx.cfg.migration.count_as_moves) {
                record_move(evi_id, &evi.cfg, key, entry, &mut ctx);
            }
            if expected {
                hint = Some(FdbCause::Complete);
            }
            entry.local = Some(Box::new(LocalState::new(port, esi, kind, seq, ip, now)));
        }
        if let (Some(floor), Some(l)) = (ip_floor, entry.local.as_mut())
            && l.seq <= floor
        {
            l.seq = next_seq(floor, evi_id, mac, &mut ctx);
        }
        reconcile(evi_id, &evi.cfg, &evi.es, key, entry, hint, &mut ctx);
        Ok(())
    }

    fn local_age(
        &mut self,
        now: Timestamp,
        evi_id: EviId,
        mac: MacAddr6,
        ip: Option<IpAddr>,
    ) -> Result<(), Error> {
        let (evis, mut ctx) = self.split(now);
        let evi = evis.get_mut(&evi_id).ok_or(Error::UnknownEvi(evi_id))?;
        let key = (evi.cfg.ethernet_tag, mac);
        let Some(entry) = evi.macs.get_mut(&key).filter(|e| e.local.is_some()) else {
            return Err(Error::MacNotLocal { evi: evi_id, mac });
        };
        let l = entry.local.as_mut().expect("filtered");
        let aged: Vec<IpAddr> = match ip {
            Some(ip) => vec![ip],
            None => l.ips().copied().collect(),
        };
        match ip {
            Some(ip) => {
                l.remove_ip(&ip);
            }
            // A migrating VM is stopped, so its MAC goes silent: aging is
            // ignored until the migration completes or rolls back.
            None if l.migration().is_some() => return Ok(()),
            None => entry.local = None,
        }
        reconcile(
            evi_id,
            &evi.cfg,
            &evi.es,
            key,
            entry,
            Some(FdbCause::Age),
            &mut ctx,
        );
        for ip in aged {
            evi.unindex_if_gone(ip, key);
        }
        cleanup(&mut evi.macs, key);
        Ok(())
    }

    // ------------------------------------------------------------ migration

    fn migration_start(
        &mut self,
        now: Timestamp,
        evi_id: EviId,
        mac: MacAddr6,
        m: Migration,
    ) -> Result<(), Error> {
        let (evis, mut ctx) = self.split(now);
        let evi = evis.get_mut(&evi_id).ok_or(Error::UnknownEvi(evi_id))?;
        if m.destination == evi.cfg.local_vtep {
            return Err(Error::DestinationIsLocal(m.destination));
        }
        if m.vni > MAX_VNI {
            return Err(Error::InvalidVni(m.vni));
        }
        let key = (evi.cfg.ethernet_tag, mac);
        let Some(entry) = evi.macs.get_mut(&key).filter(|e| e.local.is_some()) else {
            return Err(Error::MacNotLocal { evi: evi_id, mac });
        };
        if entry.duplicate().is_some() {
            return Err(Error::MacIsDuplicate { evi: evi_id, mac });
        }
        let l = entry.local.as_mut().expect("filtered");
        if l.kind != LearnKind::Dynamic {
            return Err(Error::MacNotMovable { evi: evi_id, mac });
        }
        if l.migration().is_some() {
            return Err(Error::MigrationInProgress { evi: evi_id, mac });
        }
        ctx.timers
            .insert((m.deadline, Timer::Migration(evi_id, key.0, mac)));
        ctx.out.push_back(Output::Migration(MigrationEvent {
            evi: evi_id,
            mac,
            destination: m.destination,
            outcome: MigrationOutcome::Started,
        }));
        l.set_migration(m);
        reconcile(evi_id, &evi.cfg, &evi.es, key, entry, None, &mut ctx);
        Ok(())
    }

    fn migration_abort(
        &mut self,
        now: Timestamp,
        evi_id: EviId,
        mac: MacAddr6,
    ) -> Result<(), Error> {
        let (evis, mut ctx) = self.split(now);
        let evi = evis.get_mut(&evi_id).ok_or(Error::UnknownEvi(evi_id))?;
        let key = (evi.cfg.ethernet_tag, mac);
        let Some(entry) = evi
            .macs
            .get_mut(&key)
            .filter(|e| e.local.as_ref().is_some_and(|l| l.migration().is_some()))
        else {
            return Err(Error::NoMigration { evi: evi_id, mac });
        };
        rollback(
            evi_id,
            &evi.cfg,
            &evi.es,
            key,
            entry,
            MigrationOutcome::Aborted,
            &mut ctx,
        );
        Ok(())
    }

    fn fire_timers(&mut self, now: Timestamp) {
        while let Some(&(at, timer)) = self.timers.first() {
            if at > now {
                break;
            }
            self.timers.remove(&(at, timer));
            let (evis, mut ctx) = self.split(now);
            match timer {
                Timer::Migration(evi_id, tag, mac) => {
                    let Some(evi) = evis.get_mut(&evi_id) else {
                        continue;
                    };
                    let key = (tag, mac);
                    if let Some(entry) = evi.macs.get_mut(&key)
                        && entry
                            .local
                            .as_ref()
                            .and_then(|l| l.migration())
                            .is_some_and(|m| m.deadline == at)
                    {
                        rollback(
                            evi_id,
                            &evi.cfg,
                            &evi.es,
                            key,
                            entry,
                            MigrationOutcome::DeadlineExpired,
                            &mut ctx,
                        );
                    }
                }
                Timer::DuplicateRetry(evi_id, tag, mac) => {
                    let Some(evi) = evis.get_mut(&evi_id) else {
                        continue;
                    };
                    let key = (tag, mac);
                    if let Some(entry) = evi.macs.get_mut(&key)
                        && entry.duplicate().is_some_and(|d| d.retry_at == Some(at))
                    {
                        clear_duplicate(
                            evi_id,
                            &evi.cfg,
                            &evi.es,
                            key,
                            entry,
                            ClearReason::Timer,
                            &mut ctx,
                        );
                        resolve_ip_conflicts(evi, key, &mut ctx);
                        cleanup(&mut evi.macs, key);
                    }
                }
            }
        }
    }

    fn clear_duplicate_input(
        &mut self,
        now: Timestamp,
        evi_id: EviId,
        mac: MacAddr6,
    ) -> Result<(), Error> {
        let (evis, mut ctx) = self.split(now);
        let evi = evis.get_mut(&evi_id).ok_or(Error::UnknownEvi(evi_id))?;
        let key = (evi.cfg.ethernet_tag, mac);
        let Some(entry) = evi.macs.get_mut(&key).filter(|e| e.duplicate().is_some()) else {
            return Err(Error::NotDuplicate { evi: evi_id, mac });
        };
        clear_duplicate(
            evi_id,
            &evi.cfg,
            &evi.es,
            key,
            entry,
            ClearReason::Operator,
            &mut ctx,
        );
        resolve_ip_conflicts(evi, key, &mut ctx);
        cleanup(&mut evi.macs, key);
        Ok(())
    }

    // --------------------------------------------------------------- remote

    fn route_update(
        &mut self,
        now: Timestamp,
        peer: PeerId,
        route: EvpnRoute,
        attrs: RouteAttributes,
    ) {
        if attrs.originator == self.cfg.router_id {
            // Our own route reflected back (RFC 4456 section 8): ignored,
            // like a BGP speaker recognizing its ORIGINATOR_ID. Without
            // this, a migrating source would see its in-progress route as
            // another PE's.
            return;
        }
        if let EvpnRoute::EthernetSegment(r) = &route {
            // ES routes are imported by the ES-Import RT, not by EVI.
            self.es_routes
                .insert((peer, route.key()), (r.clone(), attrs.next_hop));
            return;
        }
        if let EvpnRoute::IpPrefix(r) = &route {
            // IP prefix routes belong to IP-VRFs (RFC 9136), by RT.
            let (vrfs, mut ctx) = self.split_vrfs(now);
            for vrf in vrfs.values_mut() {
                if attrs
                    .communities
                    .route_targets()
                    .any(|rt| vrf.cfg.imports(&rt))
                {
                    prefix_update(vrf, peer, r, &attrs, &mut ctx);
                }
            }
            return;
        }
        let tag = match &route {
            EvpnRoute::MacIp(r) => r.ethernet_tag,
            EvpnRoute::InclusiveMulticast(r) => r.ethernet_tag,
            EvpnRoute::EthernetAd(r) => r.ethernet_tag,
            // Multicast and unknown route types are not used by the
            // MAC-VRF; accepting them keeps the session up.
            _ => return,
        };
        let (evis, mut ctx) = self.split(now);
        for evi in evis.values_mut() {
            // A broadcast domain imports by route target and Ethernet tag
            // (VLAN-aware bundles share the route targets).
            if !evi.cfg.carries_tag(tag)
                || !attrs
                    .communities
                    .route_targets()
                    .any(|rt| evi.cfg.imports(&rt))
            {
                continue;
            }
            match &route {
                EvpnRoute::MacIp(r) => mac_ip_update(evi, peer, r, &attrs, &mut ctx),
                EvpnRoute::InclusiveMulticast(r) => imet_update(evi, peer, r, &attrs, &mut ctx),
                EvpnRoute::EthernetAd(r) => ad_update(evi, peer, r, &attrs, &mut ctx),
                _ => {}
            }
        }
    }

    fn split_vrfs(&mut self, now: Timestamp) -> (&mut BTreeMap<IpVrfId, IpVrf>, Ctx<'_>) {
        let (_, vrfs, ctx) = self.split_all(now);
        (vrfs, ctx)
    }

    fn route_withdraw(&mut self, now: Timestamp, peer: PeerId, key: &RouteKey) {
        if matches!(key, RouteKey::EthernetSegment { .. }) {
            self.es_routes.remove(&(peer, key.clone()));
            return;
        }
        if let RouteKey::IpPrefix { rd, prefix, .. } = key {
            let (vrfs, mut ctx) = self.split_vrfs(now);
            for vrf in vrfs.values_mut() {
                prefix_withdraw(vrf, peer, *rd, *prefix, &mut ctx);
            }
            return;
        }
        let (evis, mut ctx) = self.split(now);
        for evi in evis.values_mut() {
            withdraw_in_evi(evi, peer, key, &mut ctx);
        }
    }

    fn peer_down(&mut self, now: Timestamp, peer: PeerId) {
        self.es_routes.retain(|(p, _), _| *p != peer);
        let (vrfs, mut ctx) = self.split_vrfs(now);
        for vrf in vrfs.values_mut() {
            let gone: Vec<(RouteDistinguisher, IpNetwork)> = vrf
                .prefixes
                .iter()
                .flat_map(|(prefix, e)| {
                    e.paths
                        .keys()
                        .filter(|(p, _)| *p == peer)
                        .map(|(_, rd)| (*rd, *prefix))
                })
                .collect();
            for (rd, prefix) in gone {
                prefix_withdraw(vrf, peer, rd, prefix, &mut ctx);
            }
        }
        let (evis, mut ctx) = self.split(now);
        for evi in evis.values_mut() {
            let mut keys: BTreeSet<RouteKey> = BTreeSet::new();
            for ((tag, mac), e) in evi.macs.iter() {
                for (source, ip) in e.remote.keys() {
                    let (p, rd) = **source;
                    if p == peer {
                        keys.insert(RouteKey::MacIp {
                            rd,
                            ethernet_tag: *tag,
                            mac: *mac,
                            ip: *ip,
                        });
                    }
                }
            }
            keys.extend(
                evi.imet
                    .keys()
                    .filter(|(p, _)| *p == peer)
                    .map(|(_, k)| k.clone()),
            );
            keys.extend(
                evi.es
                    .ad
                    .keys()
                    .filter(|(p, _)| *p == peer)
                    .map(|(_, k)| k.clone()),
            );
            for key in keys {
                withdraw_in_evi(evi, peer, &key, &mut ctx);
            }
        }
    }
}

fn withdraw_in_evi(evi: &mut Evi, peer: PeerId, key: &RouteKey, ctx: &mut Ctx<'_>) {
    match key {
        RouteKey::MacIp {
            rd,
            ethernet_tag,
            mac,
            ip,
        } => {
            let mkey = (*ethernet_tag, *mac);
            let Some(entry) = evi.macs.get_mut(&mkey) else {
                return;
            };
            if entry.remote.remove_by(path_cmp(peer, *rd, *ip)).is_none() {
                return;
            }
            if entry.duplicate().is_some() && entry.remote.is_empty() {
                clear_duplicate(
                    evi.cfg.id,
                    &evi.cfg,
                    &evi.es,
                    mkey,
                    entry,
                    ClearReason::Withdraw,
                    ctx,
                );
                resolve_ip_conflicts(evi, mkey, ctx);
            } else {
                reconcile(
                    evi.cfg.id,
                    &evi.cfg,
                    &evi.es,
                    mkey,
                    entry,
                    Some(FdbCause::Withdraw),
                    ctx,
                );
            }
            if let Some(ip) = ip {
                evi.unindex_if_gone(*ip, mkey);
            }
            cleanup(&mut evi.macs, mkey);
        }
        RouteKey::InclusiveMulticast { .. } if evi.imet.remove(&(peer, key.clone())).is_some() => {
            update_flood(evi, ctx);
        }
        RouteKey::EthernetAd { .. } => {
            let Some(ad) = evi.es.ad.remove(&(peer, key.clone())) else {
                return;
            };
            if ad.per_es
                && !evi
                    .es
                    .ad
                    .values()
                    .any(|a| a.per_es && a.esi == ad.esi && a.next_hop == ad.next_hop)
            {
                // Mass withdraw (RFC 7432 section 8.2): every MAC of the ES
                // behind this PE is unusable now.
                evi.es.down.insert((ad.esi, ad.next_hop));
            }
            reconcile_es(evi, &ad.esi, Some(FdbCause::Withdraw), ctx);
        }
        _ => {}
    }
}

/// After a duplicate state ends: drops the local MAC's IP bindings that a
/// better route binds to another MAC (RFC 9721) — routes that arrived while
/// the MAC was frozen and were not processed then.
fn resolve_ip_conflicts(evi: &mut Evi, key: MacKey, ctx: &mut Ctx<'_>) {
    let Some(l) = evi.macs.get(&key).and_then(|e| e.local.as_ref()) else {
        return;
    };
    let router_id = ctx.cfg.router_id;
    let lost: Vec<IpAddr> = l
        .ips()
        .copied()
        .filter(|ip| {
            evi.ip_index
                .get(ip)
                .into_iter()
                .flatten()
                .filter(|k| **k != key)
                .filter_map(|k| evi.macs.get(k))
                .any(|e| {
                    e.remote.iter().any(|((_, i), p)| {
                        *i == Some(*ip)
                            && (p.seq > l.seq || (p.seq == l.seq && p.originator < router_id))
                    })
                })
        })
        .collect();
    if lost.is_empty() {
        return;
    }
    let entry = evi.macs.get_mut(&key).expect("checked above");
    if let Some(l) = entry.local.as_mut() {
        for ip in &lost {
            l.remove_ip(ip);
        }
    }
    reconcile(evi.cfg.id, &evi.cfg, &evi.es, key, entry, None, ctx);
    for ip in lost {
        evi.unindex_if_gone(ip, key);
    }
}

fn vni_of(label: LabelField, comms: &[ExtendedCommunity]) -> u32 {
    // VXLAN semantics unless the route says it is MPLS (a VXLAN-only
    // controller: RFC 8365 routes without the community read as VNI here).
    match comms.encapsulation() {
        Some(t) if t.label_meaning() == LabelMeaning::MplsLabel => label.mpls_label(),
        _ => label.vni(),
    }
}

fn mac_ip_update(
    evi: &mut Evi,
    peer: PeerId,
    r: &MacIpRoute,
    attrs: &RouteAttributes,
    ctx: &mut Ctx<'_>,
) {
    let path = StoredPath::new(
        r,
        attrs,
        attrs.local_pref.unwrap_or(ctx.cfg.local_preference),
        ctx.now,
        &mut ctx.shared.attrs,
    );
    let evi_id = evi.cfg.id;
    let key = (r.ethernet_tag, r.mac);

    // IP mobility (RFC 9721): a better route binding a local MAC's IP to
    // another MAC makes the local binding stale.
    if let Some(ip) = r.ip {
        let router_id = ctx.cfg.router_id;
        let candidates = evi.macs_with_ip(ip, key);
        let stale: Vec<MacKey> = candidates
            .iter()
            .filter_map(|k| evi.macs.get(k).map(|e| (k, e)))
            .filter(|(_, e)| {
                e.duplicate().is_none()
                    && e.local.as_ref().is_some_and(|l| {
                        l.has_ip(&ip)
                            && (path.seq > l.seq
                                || (path.seq == l.seq && path.originator < router_id))
                    })
            })
            .map(|(k, _)| *k)
            .collect();
        for k in stale {
            let entry = evi.macs.get_mut(&k).expect("collected above");
            if let Some(l) = entry.local.as_mut() {
                l.remove_ip(&ip);
            }
            reconcile(evi_id, &evi.cfg, &evi.es, k, entry, None, ctx);
        }
        evi.index_ip(ip, key);
    }

    let entry = evi.macs.get_or_default(key);
    if let Some(l) = &entry.local
        && l.kind == LearnKind::DefaultGateway
        && !path.default_gateway()
    {
        ctx.out
            .push_back(Output::Alarm(Alarm::DefaultGatewayMismatch {
                evi: evi_id,
                mac: r.mac,
                remote: path.originator,
            }));
    }
    let mut hint = None;
    let completes = entry
        .local
        .as_ref()
        .filter(|_| entry.duplicate().is_none())
        .and_then(|l| l.migration())
        .filter(|m| {
            // The source withdraws its in-progress route as soon as any
            // route for the MAC from the destination arrives, whatever its
            // sequence number.
            !path.in_progress()
                && (path.next_hop == m.destination || path.originator == m.destination)
        })
        .map(|m| (m.destination, m.deadline));
    if let Some((destination, deadline)) = completes {
        ctx.timers
            .remove(&(deadline, Timer::Migration(evi_id, key.0, key.1)));
        entry.local = None;
        ctx.out.push_back(Output::Migration(MigrationEvent {
            evi: evi_id,
            mac: r.mac,
            destination,
            outcome: MigrationOutcome::Completed,
        }));
        hint = Some(FdbCause::Complete);
        if ctx.cfg.migration.count_as_moves {
            record_move(evi_id, &evi.cfg, key, entry, ctx);
        }
    } else if entry.duplicate().is_none()
        && let Some(l) = entry.local.as_mut()
        && l.migration().is_none()
        && !l.esi.is_zero()
        && l.esi == path.esi
        && path.seq > l.seq
    {
        // Same ES (RFC 7432 section 15): not a move; the PEs of the ES
        // advertise the same sequence number.
        l.seq = path.seq;
    }
    // A new version of a path keeps its key; a new path takes its shared
    // source.
    match entry.remote.get_mut_by(path_cmp(peer, r.rd, r.ip)) {
        Some(old) => *old = path,
        None => {
            let source = ctx.shared.sources.get(&(peer, r.rd));
            entry.remote.insert((source, r.ip), path);
        }
    }
    reconcile(evi_id, &evi.cfg, &evi.es, key, entry, hint, ctx);
    // No `cleanup`: the entry holds the path just inserted, so it is not
    // empty (and a second lookup in a large table is not free).
}

fn imet_update(
    evi: &mut Evi,
    peer: PeerId,
    r: &InclusiveMulticastRoute,
    attrs: &RouteAttributes,
    ctx: &mut Ctx<'_>,
) {
    let (vtep, vni) = match &attrs.pmsi {
        Some(PmsiTunnel {
            label,
            tunnel: PmsiTunnelIdentifier::IngressReplication(endpoint),
            ..
        }) => (*endpoint, vni_of(*label, &attrs.communities)),
        // Other tunnel types are not ingress replication: nothing to flood to.
        Some(_) => return,
        None => (attrs.next_hop, evi.cfg.vni),
    };
    let key = (peer, EvpnRoute::InclusiveMulticast(r.clone()).key());
    evi.imet.insert(key, RemoteVtep { vtep, vni });
    update_flood(evi, ctx);
}

fn update_flood(evi: &mut Evi, ctx: &mut Ctx<'_>) {
    let vteps: BTreeSet<RemoteVtep> = evi
        .imet
        .values()
        .filter(|v| v.vtep != evi.cfg.local_vtep)
        .copied()
        .collect();
    let vteps: Vec<RemoteVtep> = vteps.into_iter().collect();
    if vteps != evi.flood {
        evi.flood = vteps.clone();
        ctx.out.push_back(Output::FloodList(FloodList {
            evi: evi.cfg.id,
            vni: evi.cfg.vni,
            vteps,
        }));
    }
}

fn ad_update(
    evi: &mut Evi,
    peer: PeerId,
    r: &EthernetAdRoute,
    attrs: &RouteAttributes,
    ctx: &mut Ctx<'_>,
) {
    let ad = AdPath {
        esi: r.esi,
        next_hop: attrs.next_hop,
        per_es: r.ethernet_tag == EthernetTag::MAX_ET,
        vni: vni_of(r.label, &attrs.communities),
    };
    let key = (peer, EvpnRoute::EthernetAd(r.clone()).key());
    evi.es.ad.insert(key, ad.clone());
    if ad.per_es {
        evi.es.down.remove(&(ad.esi, ad.next_hop));
    }
    reconcile_es(evi, &ad.esi, None, ctx);
}

fn reconcile_es(evi: &mut Evi, esi: &Esi, hint: Option<FdbCause>, ctx: &mut Ctx<'_>) {
    if esi.is_zero() {
        return;
    }
    let keys: Vec<MacKey> = evi
        .macs
        .iter()
        .filter(|(_, e)| e.remote.values().any(|p| p.esi == *esi))
        .map(|(k, _)| *k)
        .collect();
    for key in keys {
        let entry = evi.macs.get_mut(&key).expect("collected above");
        reconcile(evi.cfg.id, &evi.cfg, &evi.es, key, entry, hint, ctx);
        cleanup(&mut evi.macs, key);
    }
}

fn prefix_update(
    vrf: &mut IpVrf,
    peer: PeerId,
    r: &IpPrefixRoute,
    attrs: &RouteAttributes,
    ctx: &mut Ctx<'_>,
) {
    let comms = attrs.communities.as_slice();
    let path = PrefixPath {
        next_hop: PrefixNextHop {
            vtep: RemoteVtep {
                vtep: attrs.next_hop,
                vni: vni_of(r.label, comms),
            },
            router_mac: comms.router_mac(),
            gateway_ip: r.prefix.gateway(),
        },
        originator: attrs.originator,
        local_pref: attrs.local_pref.unwrap_or(ctx.cfg.local_preference),
    };
    let prefix = r.prefix.prefix();
    let entry = vrf.prefixes.entry(prefix).or_default();
    entry.paths.insert((peer, r.rd), path);
    update_prefix_best(vrf.cfg.id, prefix, entry, ctx);
}

fn prefix_withdraw(
    vrf: &mut IpVrf,
    peer: PeerId,
    rd: RouteDistinguisher,
    prefix: IpNetwork,
    ctx: &mut Ctx<'_>,
) {
    let Some(entry) = vrf.prefixes.get_mut(&prefix) else {
        return;
    };
    if entry.paths.remove(&(peer, rd)).is_some() {
        update_prefix_best(vrf.cfg.id, prefix, entry, ctx);
        if entry.paths.is_empty() {
            vrf.prefixes.remove(&prefix);
        }
    }
}

fn update_prefix_best(vrf: IpVrfId, prefix: IpNetwork, entry: &mut PrefixEntry, ctx: &mut Ctx<'_>) {
    let best = entry
        .paths
        .iter()
        .max_by_key(|(id, p)| (p.local_pref, Reverse(p.originator), Reverse(*id)))
        .map(|(_, p)| p.next_hop.clone());
    if best != entry.best {
        entry.best = best.clone();
        ctx.out.push_back(Output::Prefix(PrefixUpdate {
            vrf,
            prefix,
            next_hop: best,
        }));
    }
}

// ------------------------------------------------------------ decision

/// Best path ranking (RFC 7432bis section 7.13.1 and RFC 7432 section 15),
/// highest first: default gateway routes, the local one among them; then
/// sticky; then the highest sequence number; then LOCAL_PREF; then the
/// lowest originator address; then (determinism) the local path, then the
/// lowest path id.
type Rank<'a> = (
    bool,
    bool,
    bool,
    u32,
    u32,
    Reverse<IpAddr>,
    Reverse<Option<(&'a (PeerId, RouteDistinguisher), &'a Option<IpAddr>)>>,
);

fn remote_rank_with_id<'a>(id: &'a PathId, p: &StoredPath) -> Rank<'a> {
    (
        p.default_gateway(),
        false,
        p.sticky(),
        p.seq,
        p.local_pref,
        Reverse(p.originator),
        Reverse(Some((&*id.0, &id.1))),
    )
}

fn remote_rank(p: &StoredPath) -> (bool, bool, u32, u32, Reverse<IpAddr>) {
    (
        p.default_gateway(),
        p.sticky(),
        p.seq,
        p.local_pref,
        Reverse(p.originator),
    )
}

fn local_rank(l: &LocalState, cfg: &RibConfig) -> Rank<'static> {
    let dg = l.kind == LearnKind::DefaultGateway;
    (
        dg,
        dg,
        l.kind == LearnKind::Static,
        l.seq,
        cfg.local_preference,
        Reverse(cfg.router_id),
        Reverse(None),
    )
}

fn best_path(entry: &MacEntry, es: &EsTable, cfg: &RibConfig) -> Option<PathRef> {
    let local_esi = entry.local.as_ref().map(|l| l.esi).filter(|e| !e.is_zero());
    let remote = entry
        .remote
        .iter()
        .filter(|(_, p)| es.usable(&p.esi, p.next_hop))
        .filter(|(_, p)| local_esi != Some(p.esi))
        .map(|(id, p)| (remote_rank_with_id(id, p), PathRef::from_id(id)));
    let local = entry
        .local
        .as_ref()
        .map(|l| (local_rank(l, cfg), PathRef::Local));
    remote
        .chain(local)
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, r)| r)
}

impl PathRef {
    fn from_id(id: &PathId) -> PathRef {
        PathRef::Remote {
            peer: id.0.0,
            rd: id.0.1,
            ip: id.1,
        }
    }
}

/// The sequence number after `max`: one more, or (sequence wrap policy)
/// `u32::MAX` again with a [`Alarm::SequenceExhausted`] alarm, so the
/// lowest originator address decides from then on instead of a wrapped
/// number losing to every stale route.
fn next_seq(max: u32, evi: EviId, mac: MacAddr6, ctx: &mut Ctx<'_>) -> u32 {
    match max.checked_add(1) {
        Some(s) => s,
        None => {
            ctx.out
                .push_back(Output::Alarm(Alarm::SequenceExhausted { evi, mac }));
            u32::MAX
        }
    }
}

/// Counts a move (RFC 7432 section 15.1); returns whether the MAC became a
/// duplicate.
fn record_move(
    evi_id: EviId,
    evi: &EviConfig,
    key: MacKey,
    entry: &mut MacEntry,
    ctx: &mut Ctx<'_>,
) -> bool {
    let d = ctx.cfg.duplicate;
    let now = ctx.now;
    let window = &mut entry.rare.get_or_insert_default().moves;
    window.push_back(now);
    while window
        .front()
        .is_some_and(|t| now.saturating_since(*t) > d.window)
    {
        window.pop_front();
    }
    let moves = u32::try_from(window.len()).unwrap_or(u32::MAX);
    if moves < d.moves || entry.duplicate().is_some() {
        return false;
    }
    let retry_at = d.retry.map(|r| now + r);
    entry.rare.as_mut().expect("a move recorded").duplicate = Some(DuplicateState {
        since: now,
        retry_at,
    });
    if let Some(at) = retry_at {
        ctx.timers
            .insert((at, Timer::DuplicateRetry(evi_id, key.0, key.1)));
    }
    ctx.out.push_back(Output::Alarm(Alarm::DuplicateMac {
        evi: evi_id,
        mac: key.1,
        moves,
    }));
    if d.action == DuplicateAction::Drop {
        emit_fdb(
            evi_id,
            evi,
            key,
            entry,
            FdbTarget::Drop,
            FdbCause::Duplicate,
            ctx,
        );
    }
    true
}

fn clear_duplicate(
    evi_id: EviId,
    evi: &EviConfig,
    es: &EsTable,
    key: MacKey,
    entry: &mut MacEntry,
    reason: ClearReason,
    ctx: &mut Ctx<'_>,
) {
    let Some(d) = entry.rare.as_mut().and_then(|r| r.duplicate.take()) else {
        return;
    };
    if let Some(at) = d.retry_at {
        ctx.timers
            .remove(&(at, Timer::DuplicateRetry(evi_id, key.0, key.1)));
    }
    entry.rare = None;
    ctx.out.push_back(Output::Alarm(Alarm::DuplicateCleared {
        evi: evi_id,
        mac: key.1,
        reason,
    }));
    reconcile(evi_id, evi, es, key, entry, None, ctx);
}

fn rollback(
    evi_id: EviId,
    evi: &EviConfig,
    es: &EsTable,
    key: MacKey,
    entry: &mut MacEntry,
    outcome: MigrationOutcome,
    ctx: &mut Ctx<'_>,
) {
    let Some(m) = entry.local.as_mut().and_then(|l| l.take_migration()) else {
        return;
    };
    ctx.timers
        .remove(&(m.deadline, Timer::Migration(evi_id, key.0, key.1)));
    ctx.out.push_back(Output::Migration(MigrationEvent {
        evi: evi_id,
        mac: key.1,
        destination: m.destination,
        outcome,
    }));
    reconcile(evi_id, evi, es, key, entry, Some(FdbCause::Rollback), ctx);
}

fn emit_fdb(
    evi_id: EviId,
    evi: &EviConfig,
    key: MacKey,
    entry: &mut MacEntry,
    target: FdbTarget,
    cause: FdbCause,
    ctx: &mut Ctx<'_>,
) {
    if let Some((old, _)) = entry.fdb() {
        ctx.shared.fdb.release(old);
        entry.set_fdb(None);
    }
    if target != FdbTarget::Remove {
        entry.set_fdb(Some((ctx.shared.fdb.intern(&target), cause)));
    }
    ctx.out.push_back(Output::Fdb(FdbUpdate {
        evi: evi_id,
        vni: evi.vni,
        ethernet_tag: key.0,
        mac: key.1,
        target,
        cause,
    }));
}

/// Brings what is advertised and what the FDB holds in line with the
/// paths of one MAC. `hint` names the event's cause when the paths alone
/// cannot tell (age, withdraw, completion at the destination, rollback).
fn reconcile(
    evi_id: EviId,
    evi: &EviConfig,
    es: &EsTable,
    key: MacKey,
    entry: &mut MacEntry,
    mut hint: Option<FdbCause>,
    ctx: &mut Ctx<'_>,
) {
    if entry.duplicate().is_some() {
        // Frozen (RFC 7432 section 15.1): nothing new is advertised or
        // installed; a route that is no longer backed by a local MAC is
        // still withdrawn.
        let keep: Vec<Option<IpAddr>> = match &entry.local {
            Some(l) => core::iter::once(None)
                .chain(l.ips().copied().map(Some))
                .collect(),
            None => Vec::new(),
        };
        withdraw_unless(evi_id, evi, key, entry, |k| keep.contains(k), ctx);
        return;
    }

    let mut best = best_path(entry, es, ctx.cfg);
    let lost = match (&entry.local, best) {
        (Some(l), Some(PathRef::Remote { peer, rd, ip })) => {
            let (_, p) = entry
                .remote
                .get_by(path_cmp(peer, rd, ip))
                .expect("the best path");
            Some((
                p.sticky(),
                p.default_gateway() && l.kind != LearnKind::DefaultGateway,
                p.originator,
                l.migration().map(|m| (m.destination, m.deadline)),
            ))
        }
        _ => None,
    };
    if let Some((sticky, dg_mismatch, remote, migration)) = lost {
        // The local path lost: the MAC moved away (RFC 7432 section 15), or
        // a static / default gateway route overrides it.
        if sticky {
            ctx.out.push_back(Output::Alarm(Alarm::StickyViolation {
                evi: evi_id,
                mac: key.1,
                remote,
            }));
        }
        if dg_mismatch {
            ctx.out
                .push_back(Output::Alarm(Alarm::DefaultGatewayMismatch {
                    evi: evi_id,
                    mac: key.1,
                    remote,
                }));
        }
        if record_move(evi_id, evi, key, entry, ctx) {
            return;
        }
        if let Some((destination, deadline)) = migration {
            ctx.timers
                .remove(&(deadline, Timer::Migration(evi_id, key.0, key.1)));
            ctx.out.push_back(Output::Migration(MigrationEvent {
                evi: evi_id,
                mac: key.1,
                destination,
                outcome: MigrationOutcome::Superseded,
            }));
        }
        entry.local = None;
        hint = hint.or(Some(FdbCause::Move));
        best = best_path(entry, es, ctx.cfg);
    }

    // Advertisements.
    // In key order (`None` first, then the IPs in order), like `keep`.
    let desired: Vec<(Option<IpAddr>, AdSource)> = match (&entry.local, best) {
        (Some(l), Some(PathRef::Local)) => {
            let src = AdSource::of(l);
            core::iter::once(None)
                .chain(l.ips().copied().map(Some))
                .map(|ip| (ip, src.clone()))
                .collect()
        }
        _ => Vec::new(),
    };

    // FDB.
    let (target, in_progress) = match best {
        None => (Some(FdbTarget::Remove), false),
        Some(PathRef::Local) => {
            let l = entry.local.as_ref().expect("best is local");
            match l.migration() {
                Some(m) => (
                    Some(FdbTarget::Remote {
                        vtep: RemoteVtep {
                            vtep: m.destination,
                            vni: m.vni,
                        },
                        aliases: Vec::new(),
                        router_mac: m.router_mac,
                    }),
                    true,
                ),
                None => (Some(FdbTarget::Local { port: l.port }), false),
            }
        }
        Some(PathRef::Remote { peer, rd, ip }) => {
            let (_, p) = entry
                .remote
                .get_by(path_cmp(peer, rd, ip))
                .expect("the best path");
            if p.next_hop == evi.local_vtep {
                // A route pointing at this site (a migration towards it,
                // announced by the source): keep the FDB as it is until the
                // VM shows up locally.
                (None, p.in_progress())
            } else {
                let mut aliases = es.aliases(&p.esi, p.next_hop, evi.vni);
                let vtep = if es.is_down(&p.esi, p.next_hop) {
                    // Mass withdraw: the PE lost the ES; another PE of the
                    // ES takes the MAC (`usable` made sure there is one).
                    aliases.remove(0)
                } else {
                    RemoteVtep {
                        vtep: p.next_hop,
                        vni: p.vni(),
                    }
                };
                (
                    Some(FdbTarget::Remote {
                        vtep,
                        aliases,
                        router_mac: p.router_mac,
                    }),
                    p.in_progress(),
                )
            }
        }
    };
    let last_best = entry.last_best();
    let auto = match (best, last_best) {
        (None, _) => FdbCause::Withdraw,
        (Some(_), _) if in_progress => FdbCause::InProgress,
        (Some(b), Some((prev, true))) if matches!(b, PathRef::Remote { .. }) => {
            if prev == b {
                FdbCause::Rollback
            } else {
                FdbCause::Complete
            }
        }
        _ if entry.fdb().is_none() => FdbCause::Learn,
        _ => FdbCause::Move,
    };
    let cause = match auto {
        FdbCause::InProgress | FdbCause::Rollback | FdbCause::Complete => auto,
        _ => hint.unwrap_or(auto),
    };
    if last_best != best.map(|b| (b, in_progress)) {
        entry.set_last_best(best.map(|b| (b, in_progress)));
    }
    if let Some(target) = target {
        let changed = match entry.fdb() {
            None => target != FdbTarget::Remove,
            Some((t, c)) => {
                *ctx.shared.fdb.get(t) != target
                    || (c != cause
                        && matches!(
                            cause,
                            FdbCause::InProgress | FdbCause::Rollback | FdbCause::Complete
                        ))
            }
        };
        if changed {
            emit_fdb(evi_id, evi, key, entry, target, cause, ctx);
        }
    }

    let keep = |k: &Option<IpAddr>| desired.binary_search_by(|(ip, _)| ip.cmp(k)).is_ok();
    withdraw_unless(evi_id, evi, key, entry, keep, ctx);
    for (ip, src) in desired {
        if entry.advertised.get(&ip).map(|a| &**a) != Some(&src) {
            ctx.out.push_back(Output::Advertise(mac_ip_advertisement(
                evi, ctx.cfg, key, ip, &src,
            )));
            entry.advertised.insert(ip, ctx.shared.ads.get(&src));
        }
    }
}

fn withdraw_unless(
    evi_id: EviId,
    evi: &EviConfig,
    key: MacKey,
    entry: &mut MacEntry,
    keep: impl Fn(&Option<IpAddr>) -> bool,
    ctx: &mut Ctx<'_>,
) {
    if entry.advertised.keys().all(&keep) {
        return;
    }
    let gone: Vec<Option<IpAddr>> = entry
        .advertised
        .keys()
        .filter(|k| !keep(k))
        .copied()
        .collect();
    for ip in gone {
        let src = entry.advertised.remove(&ip).expect("listed above");
        ctx.out.push_back(Output::Withdraw(Withdrawal {
            evi: evi_id,
            route: mac_ip_advertisement(evi, ctx.cfg, key, ip, &src).route,
        }));
    }
}

fn cleanup(macs: &mut MacTable, key: MacKey) {
    if macs.get(&key).is_some_and(|e| e.is_empty()) {
        macs.remove(&key);
    }
}

fn label(vni: u32) -> LabelField {
    LabelField::from_vni(vni).expect("VNIs are validated to 24 bits")
}

fn base_communities(evi: &EviConfig) -> Vec<ExtendedCommunity> {
    evi.export_rts
        .iter()
        .map(|rt| ExtendedCommunity::RouteTarget(*rt))
        .chain(core::iter::once(ExtendedCommunity::Encapsulation(
            Encapsulation::new(TunnelType::VXLAN),
        )))
        .collect()
}

/// The route this site advertises for a local MAC (and IP): RFC 7432
/// section 15 — no MAC Mobility community on the first advertisement
/// (sequence 0, not static), the sticky flag for static MACs, and during a
/// migration the destination as next hop with the same sequence number
/// and, in [`SignallingMode::InProgressFlag`], the in-progress flag.
pub(crate) fn mac_ip_advertisement(
    evi: &EviConfig,
    cfg: &RibConfig,
    key: MacKey,
    ip: Option<IpAddr>,
    l: &AdSource,
) -> Advertisement {
    let migration = l.migration.as_deref();
    let mut route = MacIpRoute::new(
        evi.rd,
        key.0,
        key.1,
        label(migration.map_or(evi.vni, |m| m.1)),
    );
    route.ip = ip;
    route.esi = l.esi;
    let mut communities = base_communities(evi);
    let in_progress =
        migration.is_some() && cfg.migration.signalling == SignallingMode::InProgressFlag;
    let sticky = l.kind == LearnKind::Static;
    if l.seq > 0 || sticky || in_progress {
        communities.push(ExtendedCommunity::MacMobility(
            MacMobility::new(l.seq)
                .sticky(sticky)
                .migration_in_progress(in_progress),
        ));
    }
    if l.kind == LearnKind::DefaultGateway {
        communities.push(ExtendedCommunity::DefaultGateway(DefaultGateway::new()));
    }
    let router_mac = match migration {
        Some(m) => m.2,
        None => evi.router_mac,
    };
    if let Some(rm) = router_mac {
        communities.push(ExtendedCommunity::RouterMac(RouterMac(rm)));
    }
    Advertisement {
        evi: evi.id,
        route: EvpnRoute::MacIp(route),
        next_hop: migration.map_or(evi.local_vtep, |m| m.0),
        communities,
        pmsi: None,
    }
}

/// The inclusive multicast route of an EVI, with ingress replication to
/// the local VTEP (RFC 7432 section 11, RFC 8365 section 5.1.3).
fn imet_advertisement(evi: &EviConfig) -> Advertisement {
    Advertisement {
        evi: evi.id,
        route: EvpnRoute::InclusiveMulticast(InclusiveMulticastRoute {
            rd: evi.rd,
            ethernet_tag: evi.ethernet_tag,
            originator: evi.local_vtep,
        }),
        next_hop: evi.local_vtep,
        communities: base_communities(evi),
        pmsi: Some(PmsiTunnel::ingress_replication(
            label(evi.vni),
            evi.local_vtep,
        )),
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;
    use core::mem::size_of;

    /// The per-MAC structures stay small (`cargo test -p evpn-rib --lib
    /// size -- --nocapture` prints them): a remote MAC holds a `MacEntry`
    /// (in the EVI's slab) and one `(PathId, StoredPath)`, a local one a
    /// `MacEntry`, a boxed `LocalState` and one advertised source.
    #[test]
    fn per_mac_struct_sizes() {
        let sizes = [
            ("MacEntry", size_of::<MacEntry>(), 80),
            (
                "(PathId, StoredPath)",
                size_of::<(PathId, StoredPath)>(),
                56,
            ),
            ("StoredPath", size_of::<StoredPath>(), 24),
            (
                "(Option<IpAddr>, Arc<AdSource>)",
                size_of::<(Option<IpAddr>, Arc<AdSource>)>(),
                32,
            ),
            ("LocalState", size_of::<LocalState>(), 40),
            ("LocalExtra", size_of::<LocalExtra>(), 24),
        ];
        for (name, size, max) in sizes {
            println!("{name}: {size} B");
            assert!(size <= max, "{name}: {size} B > {max} B");
        }
    }
}
