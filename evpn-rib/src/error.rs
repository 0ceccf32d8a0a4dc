//! The crate's error type.

use core::net::IpAddr;

use macaddr::MacAddr6;

use crate::time::Timestamp;
use crate::types::{EviId, IpVrfId};

/// Why an input was refused. A refused input changes nothing: no state, no
/// output, no timer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Error {
    /// `now` is earlier than the `now` of an input already handled.
    #[error("time went backwards: {now} is before {last}")]
    TimeWentBackwards {
        /// The refused time.
        now: Timestamp,
        /// The latest time already handled.
        last: Timestamp,
    },
    /// The input names an EVI that is not configured.
    #[error("unknown EVI {0}")]
    UnknownEvi(EviId),
    /// An EVI with this id is already configured.
    #[error("EVI {0} is already configured")]
    DuplicateEvi(EviId),
    /// An IP-VRF with this id exists already.
    #[error("IP-VRF {0} is already configured")]
    DuplicateIpVrf(IpVrfId),
    /// Two broadcast domains share an RD and an Ethernet tag (a VLAN-aware
    /// bundle's bridge domains need distinct tags).
    #[error("EVI {evi} has the RD and Ethernet tag of EVI {existing}")]
    SameBridgeDomain {
        /// The EVI being configured.
        evi: EviId,
        /// The EVI it collides with.
        existing: EviId,
    },
    /// The configuration is inconsistent.
    #[error("invalid configuration: {0}")]
    InvalidConfig(ConfigProblem),
    /// A VNI does not fit 24 bits.
    #[error("VNI {0} does not fit 24 bits")]
    InvalidVni(u32),
    /// The MAC is not learned locally (a migration can only start at the
    /// site where the VM runs).
    #[error("MAC {mac} is not local in EVI {evi}")]
    MacNotLocal {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
    /// The MAC is static (sticky) or a default gateway, which never moves.
    #[error("MAC {mac} in EVI {evi} is static or a default gateway and cannot migrate")]
    MacNotMovable {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
    /// A migration of this MAC is already in progress.
    #[error("a migration of MAC {mac} in EVI {evi} is already in progress")]
    MigrationInProgress {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
    /// No migration of this MAC is in progress.
    #[error("no migration of MAC {mac} in EVI {evi} is in progress")]
    NoMigration {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
    /// The migration destination is this site's own VTEP.
    #[error("migration destination {0} is the local VTEP")]
    DestinationIsLocal(IpAddr),
    /// The MAC is in the duplicate state (RFC 7432 section 15.1), so it
    /// cannot migrate.
    #[error("MAC {mac} in EVI {evi} is a duplicate")]
    MacIsDuplicate {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
    /// The operator cleared a MAC that is not in the duplicate state.
    #[error("MAC {mac} in EVI {evi} is not a duplicate")]
    NotDuplicate {
        /// EVI.
        evi: EviId,
        /// MAC.
        mac: MacAddr6,
    },
}

/// What is wrong with a configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum ConfigProblem {
    /// Duplicate detection needs at least 2 moves.
    #[error("duplicate detection needs at least 2 moves")]
    TooFewMoves,
    /// The duplicate detection window M is zero.
    #[error("the duplicate detection window is zero")]
    ZeroWindow,
    /// The retry timer R is shorter than 3 * M (RFC 7432bis section 15.3).
    #[error("the duplicate retry timer must be at least 3 times the window (RFC 7432bis 15.3)")]
    RetryTooShort,
    /// An EVI or IP-VRF has no import route target.
    #[error("an EVI or IP-VRF needs an import route target")]
    NoImportRouteTarget,
}
