//! Sans-IO wire formats of MP-BGP EVPN: the EVPN NLRI (AFI 25 / SAFI 70,
//! RFC 7432, RFC 9136, RFC 9251) and the extended communities EVPN relies on
//! (RFC 4360, RFC 5701, RFC 7432, RFC 8214, RFC 8584, RFC 9012, RFC 9047,
//! RFC 9135), including the MAC Mobility "migration in progress" flag of
//! "EVPN/SDN Assisted Live VM Migration between Geo-Distributed Data Centers".
//!
//! No I/O, no clock, no threads: values in, bytes out, and back.
//!
//! # Byte layouts
//!
//! An EVPN NLRI, as carried in MP_REACH_NLRI / MP_UNREACH_NLRI (with
//! Add-Path, each one is preceded by a 4-octet Path Identifier):
//!
//! ```text
//! +----------------+----------------+-------------------------------+
//! | Route Type (1) |   Length (1)   | Route Type specific (Length)  |
//! +----------------+----------------+-------------------------------+
//!
//! Route type 2, MAC/IP Advertisement (RFC 7432 section 7.2):
//! | RD (8) | ESI (10) | Ethernet Tag (4) | MAC len (1) = 48 | MAC (6) |
//! | IP len (1) = 0/32/128 | IP (0/4/16) | Label1 (3) | Label2 (0/3) |
//! ```
//!
//! An extended community is 8 octets (RFC 4360):
//!
//! ```text
//! +----------+-------------+---------------------------------------+
//! | Type (1) | Sub-Type (1)| Value (6)                             |
//! +----------+-------------+---------------------------------------+
//!
//! MAC Mobility (type 0x06, sub-type 0x00, RFC 7432 section 7.7):
//! | 0x06 | 0x00 | Flags (1) | Reserved (1) | Sequence Number (4)   |
//!   Flags: 0x01 sticky/static (RFC 7432),
//!          0x02 migration in progress (the paper's experimental bit),
//!          other bits kept as received.
//! ```
//!
//! # Example
//!
//! Build a MAC/IP route and a MAC Mobility community marking the move as in
//! progress, encode both, decode them back:
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use bgp_evpn_wire::evpn::{decode_nlris, encode_nlris, EvpnNlri, EvpnRoute, MacIpRoute};
//! use bgp_evpn_wire::extcomm::{
//!     decode_extended_communities, encode_extended_communities, Encapsulation,
//!     ExtendedCommunities, ExtendedCommunity, MacMobility, TunnelType,
//! };
//! use bgp_evpn_wire::types::{EthernetTag, LabelField, LabelMeaning, RouteDistinguisher};
//! use macaddr::MacAddr6;
//!
//! let mut route = MacIpRoute::new(
//!     RouteDistinguisher::Ipv4 { addr: Ipv4Addr::new(192, 0, 2, 1), number: 100 },
//!     EthernetTag::ZERO,
//!     MacAddr6::new(0x52, 0x54, 0x00, 0x12, 0x34, 0x56),
//!     LabelField::from_vni(10100)?,
//! );
//! route.ip = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5)));
//! let nlris = vec![EvpnNlri::from(EvpnRoute::from(route))];
//!
//! let comms = vec![
//!     ExtendedCommunity::from(Encapsulation::new(TunnelType::VXLAN)),
//!     ExtendedCommunity::from(MacMobility::new(4).migration_in_progress(true)),
//! ];
//!
//! let mut nlri_bytes = Vec::new();
//! encode_nlris(&nlris, false, &mut nlri_bytes);
//! let mut comm_bytes = Vec::new();
//! encode_extended_communities(&comms, &mut comm_bytes);
//! assert_eq!(&comm_bytes[8..], &[0x06, 0x00, 0x02, 0x00, 0, 0, 0, 4]);
//!
//! let decoded = decode_nlris(&nlri_bytes, false)?;
//! let decoded_comms = decode_extended_communities(&comm_bytes)?;
//! assert_eq!(decoded, nlris);
//! assert_eq!(decoded_comms, comms);
//!
//! assert!(decoded_comms.is_migration_in_progress());
//! assert_eq!(decoded_comms.sequence(), 4);
//! assert_eq!(decoded_comms.label_meaning(), LabelMeaning::Vni);
//! let EvpnRoute::MacIp(r) = &decoded[0].route else { unreachable!() };
//! assert_eq!(r.label1.value(decoded_comms.label_meaning()), 10100);
//! # Ok::<(), bgp_evpn_wire::Error>(())
//! ```
//!
//! # Errors and RFC 7606
//!
//! Every decode error is an [`Error`] with the byte offset and what was
//! expected; [`Error::rfc7606_action`] tells the message layer what to do
//! when it is found inside an UPDATE: AFI/SAFI disable (or session reset)
//! for a malformed EVPN NLRI, treat-as-withdraw for a malformed extended
//! community attribute or conflicting MAC Mobility communities.
//!
//! Decoding is total: no input panics, loops or allocates more than a small
//! multiple of its size. Unknown route types, ESI/RD types and communities
//! are kept raw and re-encoded unchanged; reserved bits are preserved.
//!
//! # Features
//!
//! * `std` (default): `std` support in dependencies.
//! * `serde`: `Serialize`/`Deserialize` on every public value type.

#![forbid(unsafe_code)]

extern crate alloc;

pub mod attribute;
pub mod error;
pub mod evpn;
pub mod extcomm;
pub mod message;
pub(crate) mod parse;
pub mod prefix;
pub mod types;

#[cfg(test)]
pub(crate) mod test_util;

pub use error::{Error, Result, Rfc7606Action, Section};
pub use evpn::{EvpnNlri, EvpnRoute, RouteKey, decode_nlris, encode_nlris, nlris_encoded_len};
pub use extcomm::{
    ExtendedCommunities, ExtendedCommunity, decode_extended_communities,
    encode_extended_communities,
};
