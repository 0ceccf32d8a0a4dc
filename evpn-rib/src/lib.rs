//! Sans-IO EVPN RIB: the paper's L2VPN-Service.

#![forbid(unsafe_code)]

mod bgp;
mod config;
mod error;
mod io;
mod rib;
mod state;
mod time;
mod types;
mod view;

pub use bgp::{inputs_from_update, update_for};
pub use config::{
    DuplicateAction, DuplicateConfig, EviConfig, MigrationConfig, RibConfig, SignallingMode,
};
pub use error::Error;
pub use io::{
    Advertisement, Alarm, ClearReason, FdbCause, FdbTarget, FdbUpdate, FloodList, Input, LearnKind,
    MigrationEvent, MigrationOutcome, Output, PrefixNextHop, PrefixUpdate, RouteAttributes,
    Withdrawal,
};
pub use rib::{AdPath, PrefixPath, Rib};
pub use state::{DuplicateState, LocalMac, Migration, PathRef, RemotePath};
pub use time::Timestamp;
pub use types::{EviId, MAX_VNI, PeerId, PortId, RemoteVtep};
pub use view::{AdView, EviView, MacView, PrefixView, RemotePathView, Snapshot};
