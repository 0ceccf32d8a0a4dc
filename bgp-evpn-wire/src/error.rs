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

    /// What RFC 7606 section 7 (and RFC 4760, RFC 6793, RFC 8092, RFC 6514
    /// for PMSI_TUNNEL) prescribes for a malformed attribute of this type:
    ///
    /// * ORIGIN, AS_PATH, NEXT_HOP, MULTI_EXIT_DISC, LOCAL_PREF, COMMUNITIES,
    ///   ORIGINATOR_ID, CLUSTER_LIST, EXTENDED COMMUNITIES, PMSI_TUNNEL,
    ///   IPv6 Address Specific Extended Community, LARGE_COMMUNITY:
    ///   treat-as-withdraw;
    /// * ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR and unknown
    ///   attributes: attribute discard;
    /// * MP_REACH_NLRI, MP_UNREACH_NLRI: AFI/SAFI disable (or session reset).
    pub fn for_attribute(type_code: u8) -> Rfc7606Action {
        match type_code {
            1 | 2 | 3 | 4 | 5 | 8 | 9 | 10 | 16 | 22 | 25 | 32 => Rfc7606Action::TreatAsWithdraw,
            14 | 15 => Rfc7606Action::AfiSafiDisable,
            _ => Rfc7606Action::AttributeDiscard,
        }
    }
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
    /// The 19-octet message header.
    Header,
    /// An OPEN message (fixed fields and optional parameters).
    Open,
    /// A capability inside an OPEN's Capabilities optional parameter.
    Capability,
    /// The withdrawn routes, the path attribute list or the NLRI field of an UPDATE.
    Update,
    /// The value of the path attribute with this type code.
    Attribute(u8),
    /// A NOTIFICATION message.
    Notification,
    /// A ROUTE-REFRESH message.
    RouteRefresh,
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
    /// The 16-octet marker is not all ones (NOTIFICATION 1/1, Connection Not
    /// Synchronized).
    #[error("message header at offset {offset}: marker is not all ones")]
    BadMarker {
        /// Offset of the marker.
        offset: usize,
    },
    /// The header's length field is out of range for the message type or the
    /// session's maximum (NOTIFICATION 1/2, Bad Message Length; the data is the
    /// length field).
    #[error("message length {length} at offset {offset} not in {min}..={max}")]
    BadMessageLength {
        /// Offset of the length field.
        offset: usize,
        /// The length field.
        length: u16,
        /// Smallest length allowed for the type.
        min: u16,
        /// Largest length allowed (type and session).
        max: u16,
    },
    /// A message type the receiver does not know (NOTIFICATION 1/3, Bad
    /// Message Type; the data is the type octet).
    #[error("bad message type {msg_type} at offset {offset}")]
    BadMessageType {
        /// Offset of the type octet.
        offset: usize,
        /// The type octet.
        msg_type: u8,
    },
    /// An OPEN with a version other than 4 (NOTIFICATION 2/1; the data is the
    /// largest supported version, 4, on two octets).
    #[error("unsupported BGP version {version} at offset {offset}")]
    UnsupportedVersion {
        /// Offset of the version octet.
        offset: usize,
        /// The version found.
        version: u8,
    },
    /// An OPEN with a hold time of 1 or 2 seconds (NOTIFICATION 2/6).
    #[error("unacceptable hold time {hold_time} at offset {offset}")]
    UnacceptableHoldTime {
        /// Offset of the hold time field.
        offset: usize,
        /// The hold time found.
        hold_time: u16,
    },
    /// A known capability whose value does not fit its layout (NOTIFICATION 2/0).
    #[error("capability {code} at offset {offset} has length {len}, expected {expected}")]
    InvalidCapabilityLength {
        /// Offset of the capability code.
        offset: usize,
        /// Capability code.
        code: u8,
        /// Length found.
        len: usize,
        /// Lengths allowed.
        expected: &'static str,
    },
    /// The UPDATE's length fields or attribute list do not add up
    /// (NOTIFICATION 3/1, Malformed Attribute List).
    #[error("malformed attribute list at offset {offset}: {reason}")]
    MalformedAttributeList {
        /// Offset where the inconsistency was found.
        offset: usize,
        /// What is inconsistent.
        reason: &'static str,
    },
    /// An attribute that appears a second time (RFC 7606 section 3.g).
    #[error("duplicate attribute {type_code} at offset {offset}")]
    DuplicateAttribute {
        /// Offset of the second occurrence's flags octet.
        offset: usize,
        /// Attribute type code.
        type_code: u8,
    },
    /// A well-known mandatory attribute is missing from an UPDATE that
    /// carries NLRI (NOTIFICATION 3/3; the data is the type code).
    #[error("missing well-known attribute {type_code}")]
    MissingWellKnownAttribute {
        /// Type code of the missing attribute.
        type_code: u8,
    },
    /// Attribute flags that conflict with the attribute type (NOTIFICATION
    /// 3/4, RFC 7606 section 3.c).
    #[error("attribute {type_code} at offset {offset} has flags {flags:#04x}")]
    AttributeFlags {
        /// Offset of the flags octet.
        offset: usize,
        /// Attribute type code.
        type_code: u8,
        /// The flags found.
        flags: u8,
    },
    /// An attribute whose length does not fit its type (NOTIFICATION 3/5).
    #[error("attribute {type_code} at offset {offset} has length {len}, expected {expected}")]
    InvalidAttributeLength {
        /// Offset of the attribute value.
        offset: usize,
        /// Attribute type code.
        type_code: u8,
        /// Length found.
        len: usize,
        /// Lengths allowed.
        expected: &'static str,
    },
    /// An ORIGIN value other than 0, 1, 2 (NOTIFICATION 3/6).
    #[error("invalid ORIGIN {value} at offset {offset}")]
    InvalidOrigin {
        /// Offset of the value.
        offset: usize,
        /// The value found.
        value: u8,
    },
    /// A malformed AS_PATH or AS4_PATH (NOTIFICATION 3/11, RFC 7606 section 7.2).
    #[error("malformed AS path at offset {offset}: {reason}")]
    MalformedAsPath {
        /// Offset of the offending segment.
        offset: usize,
        /// AS_PATH (2) or AS4_PATH (17).
        type_code: u8,
        /// What is wrong.
        reason: &'static str,
    },
    /// A next hop field that cannot be decoded (NEXT_HOP: NOTIFICATION 3/8;
    /// in MP_REACH_NLRI: 3/9).
    #[error("invalid next hop at offset {offset}: length {len}")]
    InvalidNextHop {
        /// Offset of the next hop (or its length octet).
        offset: usize,
        /// Attribute it was found in (3 or 14).
        type_code: u8,
        /// Length found.
        len: usize,
    },
    /// An IPv4/IPv6 prefix whose length exceeds the address (NOTIFICATION 3/10,
    /// Invalid Network Field).
    #[error("{section:?}: prefix length {len} at offset {offset} exceeds {max}")]
    InvalidNetworkField {
        /// Where the prefix was found.
        section: Section,
        /// Offset of the prefix length octet.
        offset: usize,
        /// Prefix length found.
        len: u8,
        /// Longest allowed.
        max: u8,
    },
    /// A message whose length is wrong for its type outside the header checks
    /// (ROUTE-REFRESH: NOTIFICATION 7/1, RFC 7313).
    #[error("{section:?} message at offset {offset} has length {len}, expected {expected}")]
    InvalidMessageLength {
        /// Which message.
        section: Section,
        /// Offset of the message.
        offset: usize,
        /// Length found.
        len: usize,
        /// Length expected.
        expected: usize,
    },
}

/// Result alias with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

impl Error {
    /// Byte offset of the error, when it came from decoding.
    pub fn offset(&self) -> Option<usize> {
        // Every field of `Error` is plain data, so the copy allocates nothing.
        self.clone().offset_mut().map(|o| *o)
    }

    /// The same error with `base` added to its offset, for a caller that
    /// decoded a sub-slice starting at `base` of its own buffer.
    #[must_use]
    pub fn shifted(mut self, base: usize) -> Self {
        if let Some(offset) = self.offset_mut() {
            *offset += base;
        }
        self
    }

    /// The offset field of the variants that carry one: the single list
    /// that [`Error::offset`] and [`Error::shifted`] both use.
    fn offset_mut(&mut self) -> Option<&mut usize> {
        match self {
            Error::Truncated { offset, .. }
            | Error::TrailingBytes { offset, .. }
            | Error::InvalidRouteLength { offset, .. }
            | Error::InvalidMacLength { offset, .. }
            | Error::InvalidIpLength { offset, .. }
            | Error::InvalidPrefixLength { offset, .. }
            | Error::AttributeLength { offset, .. }
            | Error::ConflictingMacMobility { offset, .. }
            | Error::BadMarker { offset }
            | Error::BadMessageLength { offset, .. }
            | Error::BadMessageType { offset, .. }
            | Error::UnsupportedVersion { offset, .. }
            | Error::UnacceptableHoldTime { offset, .. }
            | Error::InvalidCapabilityLength { offset, .. }
            | Error::MalformedAttributeList { offset, .. }
            | Error::DuplicateAttribute { offset, .. }
            | Error::AttributeFlags { offset, .. }
            | Error::InvalidAttributeLength { offset, .. }
            | Error::InvalidOrigin { offset, .. }
            | Error::MalformedAsPath { offset, .. }
            | Error::InvalidNextHop { offset, .. }
            | Error::InvalidNetworkField { offset, .. }
            | Error::InvalidMessageLength { offset, .. } => Some(offset),
            Error::OutOfRange { .. }
            | Error::InvalidValue { .. }
            | Error::MissingWellKnownAttribute { .. } => None,
        }
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
            Error::BadMarker { .. }
            | Error::BadMessageLength { .. }
            | Error::BadMessageType { .. } => Some(Section::Header),
            Error::UnsupportedVersion { .. } | Error::UnacceptableHoldTime { .. } => {
                Some(Section::Open)
            }
            Error::InvalidCapabilityLength { .. } => Some(Section::Capability),
            Error::MalformedAttributeList { .. } | Error::DuplicateAttribute { .. } => {
                Some(Section::Update)
            }
            Error::MissingWellKnownAttribute { type_code }
            | Error::AttributeFlags { type_code, .. }
            | Error::InvalidAttributeLength { type_code, .. }
            | Error::InvalidNextHop { type_code, .. }
            | Error::MalformedAsPath { type_code, .. } => Some(Section::Attribute(*type_code)),
            Error::InvalidOrigin { .. } => Some(Section::Attribute(1)),
            Error::InvalidNetworkField { section, .. }
            | Error::InvalidMessageLength { section, .. } => Some(*section),
            Error::OutOfRange { .. } | Error::InvalidValue { .. } => None,
        }
    }

    /// The NOTIFICATION error code and subcode (RFC 4271 section 6, RFC 7313,
    /// RFC 4760) a speaker sends when this error resets the session.
    ///
    /// `None` for errors found inside a NOTIFICATION (no NOTIFICATION answers
    /// a NOTIFICATION) and for errors only constructors return.
    pub fn notification_code(&self) -> Option<(u8, u8)> {
        Some(match self {
            Error::BadMarker { .. } => (1, 1),
            Error::BadMessageLength { .. } => (1, 2),
            Error::BadMessageType { .. } => (1, 3),
            Error::UnsupportedVersion { .. } => (2, 1),
            Error::UnacceptableHoldTime { .. } => (2, 6),
            Error::MalformedAttributeList { .. } | Error::DuplicateAttribute { .. } => (3, 1),
            Error::MissingWellKnownAttribute { .. } => (3, 3),
            Error::AttributeFlags { .. } => (3, 4),
            Error::InvalidAttributeLength { .. } | Error::AttributeLength { .. } => (3, 5),
            Error::InvalidOrigin { .. } => (3, 6),
            Error::InvalidNextHop { type_code: 3, .. } => (3, 8),
            Error::InvalidNextHop { .. } => (3, 9),
            Error::MalformedAsPath { .. } => (3, 11),
            Error::OutOfRange { .. } | Error::InvalidValue { .. } => return None,
            Error::InvalidNetworkField { section, .. } => match section {
                Section::Attribute(_) => (3, 9),
                _ => (3, 10),
            },
            _ => match self.section()? {
                Section::Header => (1, 2),
                Section::Open | Section::Capability => (2, 0),
                Section::Update => (3, 1),
                Section::Attribute(2 | 17) => (3, 11),
                Section::Attribute(_)
                | Section::Nlri
                | Section::ExtendedCommunities
                | Section::Ipv6ExtendedCommunities => (3, 9),
                Section::RouteRefresh => (7, 1),
                Section::Notification => return None,
            },
        })
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
            Section::Attribute(type_code) => {
                if let Error::MissingWellKnownAttribute { .. } = self {
                    return Some(Rfc7606Action::TreatAsWithdraw);
                }
                Some(Rfc7606Action::for_attribute(type_code))
            }
            Section::Update => {
                let (code, subcode) = self.notification_code()?;
                Some(Rfc7606Action::SessionReset { code, subcode })
            }
            Section::Header
            | Section::Open
            | Section::Capability
            | Section::Notification
            | Section::RouteRefresh => None,
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
