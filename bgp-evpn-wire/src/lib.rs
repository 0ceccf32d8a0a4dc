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
//! # Message layer
//!
//! [`message`] holds the BGP messages (RFC 4271) around the EVPN pieces:
//! the header and a streaming [`message::Framer`], OPEN with typed
//! capabilities (RFC 5492, 4760, 2918, 7313, 6793, 7911, 8654, 4724) and
//! RFC 9072 extended parameter lengths, UPDATE with typed path attributes
//! ([`attribute`]), NOTIFICATION with IANA names, KEEPALIVE, ROUTE-REFRESH,
//! and unknown types kept raw. Every message carries the session's
//! [`message::DecodingContext`] (4-octet AS, Add-Path per family and
//! direction, Extended Message), computed from the two OPENs with
//! [`message::DecodingContext::from_opens`].
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                 Marker (16 octets, all ones)                  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |        Length (2, 19..=4096 or 65535) |  Type (1)  | body ...
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! Types: 1 OPEN, 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH
//!
//! UPDATE body: Withdrawn Routes Length (2) | Withdrawn Routes |
//!              Total Path Attribute Length (2) | Path Attributes | NLRI
//! Path attribute: Flags (1) | Type (1) | Length (1, or 2 with the
//!                 Extended Length flag) | Value
//! ```
//!
//! [`message::UpdateOutcome::decode`] applies RFC 7606: it returns what
//! could be decoded and, per problem, the action to take (session reset
//! with the NOTIFICATION, AFI/SAFI disable, treat-as-withdraw with the
//! routes, attribute discard).
//!
//! An UPDATE advertising a MAC/IP route whose move is in progress, with
//! its route target and VXLAN encapsulation, encoded and decoded back:
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use bgp_evpn_wire::attribute::{AsPath, AttributeValue, MpNextHop, MpNlri, MpReach, Origin};
//! use bgp_evpn_wire::evpn::{EvpnNlri, EvpnRoute, MacIpRoute};
//! use bgp_evpn_wire::extcomm::{
//!     Encapsulation, ExtendedCommunities, ExtendedCommunity, MacMobility, RouteTarget,
//!     TunnelType,
//! };
//! use bgp_evpn_wire::message::{DecodingContext, Message, Update};
//! use bgp_evpn_wire::types::{EthernetTag, LabelField, RouteDistinguisher};
//! use macaddr::MacAddr6;
//!
//! let mut route = MacIpRoute::new(
//!     RouteDistinguisher::Ipv4 { addr: Ipv4Addr::new(192, 0, 2, 1), number: 100 },
//!     EthernetTag::ZERO,
//!     MacAddr6::new(0x52, 0x54, 0x00, 0x12, 0x34, 0x56),
//!     LabelField::from_vni(10100)?,
//! );
//! route.ip = Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5)));
//!
//! let update = Update::with_attributes([
//!     AttributeValue::Origin(Origin::Igp),
//!     AttributeValue::AsPath(AsPath::sequence([65001])),
//!     AttributeValue::ExtendedCommunities(vec![
//!         ExtendedCommunity::from(RouteTarget::as2(65001, 10100)),
//!         ExtendedCommunity::from(MacMobility::new(7).migration_in_progress(true)),
//!         ExtendedCommunity::from(Encapsulation::new(TunnelType::VXLAN)),
//!     ]),
//!     // Next hop: the destination VTEP.
//!     AttributeValue::MpReach(MpReach::new(
//!         MpNextHop::Ipv4(Ipv4Addr::new(198, 51, 100, 7)),
//!         MpNlri::Evpn(vec![EvpnNlri::from(EvpnRoute::from(route))]),
//!     )),
//! ]);
//! let msg = Message::Update(update);
//!
//! let ctx = DecodingContext::new().with_four_octet_as(true);
//! let mut bytes = Vec::new();
//! msg.encode(&ctx, &mut bytes);
//! assert_eq!(bytes.len(), msg.encoded_len(&ctx));
//! assert_eq!(&bytes[..16], &[0xff; 16]);
//! assert_eq!(bytes[18], 2); // UPDATE
//!
//! let decoded = Message::decode(&bytes, &ctx)?;
//! assert_eq!(decoded, msg);
//! let Message::Update(u) = decoded else { unreachable!() };
//! let comms = u.extended_communities().unwrap();
//! assert!(comms.is_migration_in_progress());
//! assert_eq!(comms.sequence(), 7);
//! assert_eq!(u.mp_reach().unwrap().next_hop.addr(), Some(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7))));
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
//! # Interoperability notes
//!
//! Observed with gobgpd 3.10 in this crate's interop test
//! (`tests/gobgp_interop.rs`):
//!
//! * GoBGP reads any non-zero [MAC Mobility](extcomm::MacMobility) flags
//!   octet as sticky. A route with flags 0x02 (the paper's migration in
//!   progress) and sequence 8 shows in its RIB as `"is_sticky": true`; when
//!   GoBGP relays that route to another peer the flags octet on the wire is
//!   0x01: the in-progress bit is lost and a sticky bit appears.
//! * GoBGP stores EVPN labels as raw 24-bit values: label 10100 is VNI
//!   10100 on the wire (0x002774), and an MPLS label 1000 with bottom of
//!   stack (0x003e81) shows as 16001.
//!
//! Observed with FRR `bgpd` 8.4 (`tests/frr_interop.rs`: our UPDATEs sent
//! to it, its table read with `vtysh`, its re-advertisement decoded by a
//! second speaker of ours):
//!
//! * FRR looks at the sticky bit (0x01) of the MAC Mobility flags only: the
//!   route with flags 0x02 and sequence 8 shows as `MM:8`, and FRR relays
//!   it with the flags octet untouched, so the in-progress bit survives an
//!   FRR speaker or route reflector.
//! * FRR too shows the label field as a 24-bit number (`VNI 16001` for MPLS
//!   label 1000), whatever the Encapsulation community says; it relays the
//!   field unchanged, and writes withdrawn MAC/IP routes with label 0 and
//!   ESI 0 (not part of the route key).
//! * FRR drops the gateway IP of an IP Prefix route: it stores none and
//!   relays the route with gateway 0.0.0.0.
//!
//! Consequence for controllers: in a network with GoBGP on the path
//! between sites, signal migrations with plain re-advertisement (evpn-rib's
//! `SignallingMode::PlainReadvertise`) rather than the in-progress flag bit;
//! across FRR the flag bit arrives intact.
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
pub use message::{DecodingContext, Message, UpdateOutcome};
