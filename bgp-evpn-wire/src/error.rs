//! The crate's error type and the RFC 7606 action each error calls for.

/// What RFC 7606 (and draft-ietf-bess-rfc7432bis section 7.14 for EVPN)
/// prescribes when an error is found inside a BGP UPDATE.
///
/// The message layer uses this to decide between tearing the session down,
/// disabling the address family, withdrawing the routes of the UPDATE, or
/// dropping just the attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Rfc7606Action {
    /// Send a NOTIFICATION with this error code and subcode and close the session.
    SessionReset {
        /// NOTIFICATION error code (3 = UPDATE Message Error).
        code: u8,
        /// NOTIFICATION error subcode.
        subcode: u8,
    },
    /// Disable the AFI/SAFI on this session (RFC 7606 section 5.3 / RFC 4760 section 7).
    AfiSafiDisable,
    /// Treat every route of the UPDATE as withdrawn (RFC 7606 section 2).
    TreatAsWithdraw,
    /// Discard the attribute and go on (RFC 7606 section 2).
    AttributeDiscard,
}

impl Rfc7606Action {
    /// The session reset to fall back to when a malformed NLRI is found and
    /// AFI/SAFI disable is not supported: UPDATE Message Error (3),
    /// Optional Attribute Error (9), as RFC 4760 section 7 prescribes for
    /// MP_REACH_NLRI / MP_UNREACH_NLRI.
    pub const NLRI_SESSION_RESET: Rfc7606Action = Rfc7606Action::SessionReset {
        code: 3,
        subcode: 9,
    };
}

/// Which part of an UPDATE an error was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Section {
    /// An EVPN NLRI (inside MP_REACH_NLRI or MP_UNREACH_NLRI).
    Nlri,
    /// The EXTENDED COMMUNITIES attribute (RFC 4360).
    ExtendedCommunities,
    /// The IPv6 Address Specific Extended Community attribute (RFC 5701).
    Ipv6ExtendedCommunities,
}

/// Every error this crate returns.
///
/// Offsets are byte offsets relative to the start of the slice handed to the
/// public decode function (use [`Error::shifted`] to make them relative to an
/// enclosing buffer). Text lives only in `Display`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended before a field was complete.
    #[error("truncated {what} at offset {offset}: need {needed} byte(s), {available} available")]
    Truncated {
        /// Part of the UPDATE being decoded.
        section: Section,
        /// Offset where the field starts.
        offset: usize,
        /// Name of the field.
        what: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// Bytes were left after a complete object.
    #[error("{count} trailing byte(s) after {what} at offset {offset}")]
    TrailingBytes {
        /// Part of the UPDATE being decoded.
        section: Section,
        /// Offset of the first trailing byte.
        offset: usize,
        /// The object that was complete.
        what: &'static str,
        /// Number of bytes left over.
        count: usize,
    },
    /// An EVPN route's length field does not fit its route type.
    #[error(
        "EVPN route type {route_type} at offset {offset} has length {len}, expected {expected}"
    )]
    InvalidRouteLength {
        /// Offset of the route's length octet.
        offset: usize,
        /// EVPN route type.
        route_type: u8,
        /// Length that was found.
        len: usize,
        /// Lengths the route type allows.
        expected: &'static str,
    },
    /// A MAC address length other than 48 bits (RFC 7432 section 7.2).
    #[error("MAC address length {bits} bits at offset {offset}, expected 48")]
    InvalidMacLength {
        /// Offset of the length octet.
        offset: usize,
        /// Length that was found, in bits.
        bits: u8,
    },
    /// An IP address length field with a value the field does not allow.
    #[error("{what} length {bits} bits at offset {offset}, expected {expected}")]
    InvalidIpLength {
        /// Offset of the length octet.
        offset: usize,
        /// Name of the address field.
        what: &'static str,
        /// Length that was found, in bits.
        bits: u8,
        /// Lengths allowed.
        expected: &'static str,
    },
    /// An IP prefix length longer than the address (RFC 9136 section 3.1).
    #[error("IP prefix length {len} at offset {offset} exceeds {max}")]
    InvalidPrefixLength {
        /// Offset of the prefix length octet.
        offset: usize,
        /// Prefix length that was found.
        len: u8,
        /// Longest prefix allowed for the address family.
        max: u8,
    },
    /// An attribute whose length is not a multiple of its element size
    /// (RFC 7606 sections 7.14 and 7.15).
    #[error("{section:?} attribute length {len} at offset {offset} is not a multiple of {unit}")]
    AttributeLength {
        /// Which attribute.
        section: Section,
        /// Offset of the attribute value.
        offset: usize,
        /// Length that was found.
        len: usize,
        /// Element size (8 or 20).
        unit: usize,
    },
    /// Two MAC Mobility extended communities with different sequence numbers
    /// on one route (draft-ietf-bess-rfc7432bis section 7.7 / 7.14).
    #[error(
        "conflicting MAC Mobility communities at offset {offset}: sequence {first} vs {second}"
    )]
    ConflictingMacMobility {
        /// Offset of the second MAC Mobility community.
        offset: usize,
        /// Sequence number of the first one.
        first: u32,
        /// Sequence number of the second one.
        second: u32,
    },
    /// A value handed to a constructor does not fit its field.
    #[error("{what} value {value} out of range (max {max})")]
    OutOfRange {
        /// Name of the field.
        what: &'static str,
        /// Value that was given.
        value: u64,
        /// Largest value allowed.
        max: u64,
    },
    /// A value handed to a constructor is not allowed for another reason.
    #[error("invalid {what}: {reason}")]
    InvalidValue {
        /// Name of the field.
        what: &'static str,
        /// Why it is not allowed.
        reason: &'static str,
    },
}

/// Result alias with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// Byte offset of the error, when it came from decoding.
    pub fn offset(&self) -> Option<usize> {
        match self {
            Error::Truncated { offset, .. }
            | Error::TrailingBytes { offset, .. }
            | Error::InvalidRouteLength { offset, .. }
            | Error::InvalidMacLength { offset, .. }
            | Error::InvalidIpLength { offset, .. }
            | Error::InvalidPrefixLength { offset, .. }
            | Error::AttributeLength { offset, .. }
            | Error::ConflictingMacMobility { offset, .. } => Some(*offset),
            Error::OutOfRange { .. } | Error::InvalidValue { .. } => None,
        }
    }

    /// The same error with `base` added to its offset, for a caller that
    /// decoded a sub-slice starting at `base` of its own buffer.
    #[must_use]
    pub fn shifted(mut self, base: usize) -> Self {
        match &mut self {
            Error::Truncated { offset, .. }
            | Error::TrailingBytes { offset, .. }
            | Error::InvalidRouteLength { offset, .. }
            | Error::InvalidMacLength { offset, .. }
            | Error::InvalidIpLength { offset, .. }
            | Error::InvalidPrefixLength { offset, .. }
            | Error::AttributeLength { offset, .. }
            | Error::ConflictingMacMobility { offset, .. } => *offset += base,
            Error::OutOfRange { .. } | Error::InvalidValue { .. } => {}
        }
        self
    }

    /// Part of the UPDATE the error belongs to, when it came from decoding.
    pub fn section(&self) -> Option<Section> {
        match self {
            Error::Truncated { section, .. }
            | Error::TrailingBytes { section, .. }
            | Error::AttributeLength { section, .. } => Some(*section),
            Error::InvalidRouteLength { .. }
            | Error::InvalidMacLength { .. }
            | Error::InvalidIpLength { .. }
            | Error::InvalidPrefixLength { .. } => Some(Section::Nlri),
            Error::ConflictingMacMobility { .. } => Some(Section::ExtendedCommunities),
            Error::OutOfRange { .. } | Error::InvalidValue { .. } => None,
        }
    }

    /// What RFC 7606 prescribes when this error is found inside an UPDATE.
    ///
    /// * Malformed EVPN NLRI (inside MP_REACH_NLRI / MP_UNREACH_NLRI):
    ///   [`Rfc7606Action::AfiSafiDisable`] (RFC 7606 section 5.3); a speaker
    ///   that cannot disable one AFI/SAFI falls back to
    ///   [`Rfc7606Action::NLRI_SESSION_RESET`].
    /// * Malformed EXTENDED COMMUNITIES or IPv6 Address Specific Extended
    ///   Community attribute, and conflicting MAC Mobility communities:
    ///   [`Rfc7606Action::TreatAsWithdraw`] (RFC 7606 sections 7.14, 7.15;
    ///   draft-ietf-bess-rfc7432bis section 7.14).
    ///
    /// `None` for errors that only constructors return.
    pub fn rfc7606_action(&self) -> Option<Rfc7606Action> {
        match self.section()? {
            Section::Nlri => Some(Rfc7606Action::AfiSafiDisable),
            Section::ExtendedCommunities | Section::Ipv6ExtendedCommunities => {
                Some(Rfc7606Action::TreatAsWithdraw)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_adds_base_and_actions_follow_section() {
        let e = Error::InvalidMacLength {
            offset: 3,
            bits: 47,
        };
        assert_eq!(e.clone().shifted(10).offset(), Some(13));
        assert_eq!(e.rfc7606_action(), Some(Rfc7606Action::AfiSafiDisable));
        let e = Error::AttributeLength {
            section: Section::ExtendedCommunities,
            offset: 0,
            len: 7,
            unit: 8,
        };
        assert_eq!(e.rfc7606_action(), Some(Rfc7606Action::TreatAsWithdraw));
        let e = Error::OutOfRange {
            what: "VNI",
            value: 1 << 24,
            max: (1 << 24) - 1,
        };
        assert_eq!(e.clone().shifted(5), e);
        assert_eq!(e.rfc7606_action(), None);
        assert_eq!(
            Rfc7606Action::NLRI_SESSION_RESET,
            Rfc7606Action::SessionReset {
                code: 3,
                subcode: 9
            }
        );
    }
}
