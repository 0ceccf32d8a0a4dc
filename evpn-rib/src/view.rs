//! Read-only views of the tables (show commands) and a serde snapshot.

use core::net::IpAddr;

use bgp_evpn_wire::evpn::{EthernetSegmentRoute, RouteKey};
use bgp_evpn_wire::types::{EthernetTag, RouteDistinguisher};
use ipnetwork::IpNetwork;
use macaddr::MacAddr6;

use crate::config::{EviConfig, IpVrfConfig, RibConfig};
use crate::io::{Advertisement, FdbTarget, PrefixNextHop};
use crate::rib::{
    AdPath, LocalState, MacEntry, PrefixEntry, PrefixPath, Rib, Shared, mac_ip_advertisement,
};
use crate::state::{DuplicateState, LocalMac, PathRef, RemotePath};
use crate::types::{EviId, IpVrfId, PeerId, RemoteVtep};

/// One received MAC/IP path.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RemotePathView {
    /// From this peer.
    pub peer: PeerId,
    /// The path.
    pub path: RemotePath,
}

/// Everything the RIB knows about one MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MacView {
    /// Ethernet tag.
    pub ethernet_tag: EthernetTag,
    /// MAC.
    pub mac: MacAddr6,
    /// The local path.
    pub local: Option<LocalMac>,
    /// Received paths, by peer, RD and IP.
    pub remote: Vec<RemotePathView>,
    /// The best path, as last decided.
    pub best: Option<PathRef>,
    /// The routes this site advertises for the MAC.
    pub advertised: Vec<Advertisement>,
    /// The FDB entry.
    pub fdb: Option<FdbTarget>,
    /// The duplicate state.
    pub duplicate: Option<DuplicateState>,
}

impl MacView {
    fn new(
        key: (EthernetTag, MacAddr6),
        e: &MacEntry,
        evi: &EviConfig,
        cfg: &RibConfig,
        shared: &Shared,
    ) -> Self {
        MacView {
            ethernet_tag: key.0,
            mac: key.1,
            local: e.local.as_deref().map(LocalState::to_local_mac),
            remote: e
                .remote
                .iter()
                .map(|(id, p)| RemotePathView {
                    peer: id.0.0,
                    path: p.to_remote_path(key, id),
                })
                .collect(),
            best: e.last_best().map(|(b, _)| b),
            advertised: e
                .advertised
                .iter()
                .map(|(ip, src)| mac_ip_advertisement(evi, cfg, key, *ip, src))
                .collect(),
            fdb: e.fdb().map(|(t, _)| shared.fdb.get(t).clone()),
            duplicate: e.duplicate().copied(),
        }
    }
}

/// A received Ethernet A-D route.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AdView {
    /// From this peer.
    pub peer: PeerId,
    /// Its key.
    pub key: RouteKey,
    /// What it says.
    pub path: AdPath,
}

/// The paths of one IP prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PrefixView {
    /// Prefix.
    pub prefix: IpNetwork,
    /// Paths by peer and RD.
    pub paths: Vec<(PeerId, RouteDistinguisher, PrefixPath)>,
    /// The chosen next hop.
    pub best: Option<PrefixNextHop>,
}

/// One EVI's tables.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct EviView {
    /// Configuration.
    pub config: EviConfig,
    /// MAC-VRF, ordered by Ethernet tag and MAC.
    pub macs: Vec<MacView>,
    /// BUM flood list.
    pub flood_list: Vec<RemoteVtep>,
    /// Ethernet A-D routes.
    pub ethernet_ad: Vec<AdView>,
    /// (ES, PE) pairs under mass withdraw.
    pub es_down: Vec<(bgp_evpn_wire::types::Esi, IpAddr)>,
}

/// One IP-VRF.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IpVrfView {
    /// Configuration.
    pub config: IpVrfConfig,
    /// Its prefixes, ordered.
    pub prefixes: Vec<PrefixView>,
}

/// The whole RIB, serializable (behind the `serde` feature) for show
/// commands, debugging and golden tests.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Snapshot {
    /// Router id.
    pub router_id: IpAddr,
    /// Every EVI, ordered by id.
    pub evis: Vec<EviView>,
    /// Every IP-VRF, ordered by id.
    pub ip_vrfs: Vec<IpVrfView>,
    /// Ethernet Segment routes: peer, route, next hop.
    pub es_routes: Vec<(PeerId, EthernetSegmentRoute, IpAddr)>,
}

impl PrefixView {
    fn new((prefix, p): (&IpNetwork, &PrefixEntry)) -> Self {
        PrefixView {
            prefix: *prefix,
            paths: p
                .paths
                .iter()
                .map(|((peer, rd), path)| (*peer, *rd, path.clone()))
                .collect(),
            best: p.best.clone(),
        }
    }
}

impl Rib {
    /// An IP prefix's paths and best next hop in an IP-VRF.
    pub fn prefix(&self, vrf: IpVrfId, prefix: IpNetwork) -> Option<PrefixView> {
        let v = self.ip_vrfs.get(&vrf)?;
        v.prefixes.get_key_value(&prefix).map(PrefixView::new)
    }

    /// The MAC's view in an EVI's bridge domain (its configured Ethernet tag).
    pub fn mac(&self, evi: EviId, mac: MacAddr6) -> Option<MacView> {
        let e = self.evis.get(&evi)?;
        let key = (e.cfg.ethernet_tag, mac);
        e.macs
            .get(&key)
            .map(|m| MacView::new(key, m, &e.cfg, self.config(), &self.shared))
    }

    /// The FDB entry of a MAC in an EVI's bridge domain.
    pub fn fdb(&self, evi: EviId, mac: MacAddr6) -> Option<&FdbTarget> {
        let e = self.evis.get(&evi)?;
        e.macs
            .get(&(e.cfg.ethernet_tag, mac))
            .and_then(|m| m.fdb().map(|(t, _)| self.shared.fdb.get(t)))
    }

    /// The BUM flood list of an EVI.
    pub fn flood_list(&self, evi: EviId) -> Option<&[RemoteVtep]> {
        self.evis.get(&evi).map(|e| e.flood.as_slice())
    }

    /// The MACs of an EVI, ordered.
    pub fn macs(&self, evi: EviId) -> impl Iterator<Item = MacView> + '_ {
        self.evis.get(&evi).into_iter().flat_map(|e| {
            e.macs
                .iter()
                .map(|(k, m)| MacView::new(*k, m, &e.cfg, self.config(), &self.shared))
        })
    }

    /// Every table.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            router_id: self.config().router_id,
            evis: self
                .evis
                .values()
                .map(|e| EviView {
                    config: e.cfg.clone(),
                    macs: e
                        .macs
                        .iter()
                        .map(|(k, m)| MacView::new(*k, m, &e.cfg, self.config(), &self.shared))
                        .collect(),
                    flood_list: e.flood.clone(),
                    ethernet_ad: e
                        .es
                        .ad
                        .iter()
                        .map(|((peer, key), path)| AdView {
                            peer: *peer,
                            key: key.clone(),
                            path: path.clone(),
                        })
                        .collect(),
                    es_down: e.es.down.iter().copied().collect(),
                })
                .collect(),
            ip_vrfs: self
                .ip_vrfs
                .values()
                .map(|v| IpVrfView {
                    config: v.cfg.clone(),
                    prefixes: v.prefixes.iter().map(PrefixView::new).collect(),
                })
                .collect(),
            es_routes: self
                .es_routes
                .iter()
                .map(|((peer, _), (r, nh))| (*peer, r.clone(), *nh))
                .collect(),
        }
    }
}
