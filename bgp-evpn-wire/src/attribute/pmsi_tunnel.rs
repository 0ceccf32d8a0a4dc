//! PMSI_TUNNEL (type 22, RFC 6514 section 5; EVPN use in RFC 7432 section
//! 11.2: Ingress Replication towards the originator's VTEP).
//!
//! ```text
//! +---------------------------------+
//! |  Flags (1 octet)                |  0x01 Leaf Information Required
//! +---------------------------------+
//! |  Tunnel Type (1 octet)          |  6 = Ingress Replication
//! +---------------------------------+
//! |  MPLS Label (3 octets)          |  (the VNI with VXLAN, RFC 8365)
//! +---------------------------------+
//! |  Tunnel Identifier (variable)   |  layout set by the tunnel type
//! +---------------------------------+
//! ```
//!
//! Tunnel identifiers by type (IANA "P-Multicast Service Interface Tunnel
//! (PMSI Tunnel) Tunnel Types"); "addr" is an IPv4 or IPv6 address, told
//! apart by the identifier's length:
//!
//! | type | name | identifier | octets |
//! |---|---|---|---|
//! | 0 | No tunnel information present | empty | 0 |
//! | 1 | RSVP-TE P2MP LSP | P2MP ID (4), Reserved (2), Tunnel ID (2), Extended Tunnel ID (addr) | 12, 24 |
//! | 2 | mLDP P2MP LSP | P2MP FEC element (RFC 6388 2.3): type 0x06 (1), address family (2), address length (1), root node (addr), opaque length (2), opaque value | 10+n, 22+n |
//! | 3 | PIM-SSM tree | sender (addr), P-multicast group (addr), same family | 8, 32 |
//! | 4 | PIM-SM tree | as PIM-SSM | 8, 32 |
//! | 5 | BIDIR-PIM tree | as PIM-SSM | 8, 32 |
//! | 6 | Ingress Replication | endpoint (addr) | 4, 16 |
//! | 7 | mLDP MP2MP LSP | MP2MP FEC element (RFC 6388 3.2): as type 2 with element type 0x07 (up) or 0x08 (down) | 10+n, 22+n |
//! | 8 | Transport Tunnel (RFC 7524 section 14.1) | source PE (addr), local number (as long as the address) | 8, 32 |
//! | 10 | Assisted Replication (RFC 9574, Replicator-AR route) | AR-IP (addr) of the AR-REPLICATOR | 4, 16 |
//! | 11 | BIER (RFC 8556 section 2.1) | sub-domain-id (1), BFR-id (2), BFR-prefix (addr) | 7, 19 |
//!
//! Types 8, 10 and 11 as the RFCs define them (the unit tests hold byte
//! vectors written from these layouts; the section of RFC 9574 that
//! defines the Replicator-AR route's attribute is not pinned here yet):
//! * 8: RFC 7524 section 14.1 makes the identifier the tuple `<Source PE
//!   Address, Local Number>`, the Local Number as long as the address: 4
//!   octets after an IPv4 address, 16 after an IPv6 one. Nothing says which
//!   family; the total length (8 or 32) tells.
//! * 10: RFC 9574 carries the AR-REPLICATOR's AR-IP (IPv4 or IPv6) as the
//!   identifier of its Replicator-AR route; the AR type and the BM/U bits
//!   it adds live in the Flags octet, which is kept whole.
//! * 11: RFC 8556 section 2.1: one octet sub-domain-id, two octets BFR-id,
//!   then the BFR-prefix, a /32 IPv4 or /128 IPv6 address "inferred from the
//!   total length" (7 or 19 octets); the label field then holds an
//!   upstream-assigned label, kept as a [`LabelField`] like any other.
//!
//! RFC 6514 names the RSVP-TE fields as `<Extended Tunnel ID, Reserved,
//! Tunnel ID, P2MP ID>` "as carried in the RSVP-TE P2MP LSP SESSION
//! Object"; the octets follow that object (RFC 4875 section 19.1: P2MP ID
//! first, Extended Tunnel ID last), as OpenDaylight and Wireshark read them.
//!
//! Decoding never loses a byte: an identifier whose length or inner fields
//! do not fit its type's layout (and every other type: 9, 12 and up) is kept
//! as [`PmsiTunnelIdentifier::Other`] and re-encoded unchanged. The one
//! exception, kept from before the other types were typed, is Ingress
//! Replication, which EVPN relies on to build flood lists: an identifier
//! that is not 4 or 16 octets is malformed (treat-as-withdraw: the
//! attribute affects the route's forwarding). A value shorter than 5
//! octets is malformed too.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::BufMut;

use crate::attribute::type_code;
use crate::error::{Error, Result};
use crate::types::LabelField;

/// Tunnel type 0: no tunnel information present.
pub const NO_TUNNEL_INFORMATION: u8 = 0;
/// Tunnel type 1: RSVP-TE P2MP LSP.
pub const RSVP_TE_P2MP_LSP: u8 = 1;
/// Tunnel type 2: mLDP P2MP LSP.
pub const MLDP_P2MP_LSP: u8 = 2;
/// Tunnel type 3: PIM-SSM tree.
pub const PIM_SSM_TREE: u8 = 3;
/// Tunnel type 4: PIM-SM tree.
pub const PIM_SM_TREE: u8 = 4;
/// Tunnel type 5: BIDIR-PIM tree.
pub const BIDIR_PIM_TREE: u8 = 5;
/// Tunnel type 6: Ingress Replication.
pub const INGRESS_REPLICATION: u8 = 6;
/// Tunnel type 7: mLDP MP2MP LSP.
pub const MLDP_MP2MP_LSP: u8 = 7;
/// Tunnel type 8: Transport Tunnel (RFC 7524).
pub const TRANSPORT_TUNNEL: u8 = 8;
/// Tunnel type 10: Assisted Replication tunnel (RFC 9574).
pub const ASSISTED_REPLICATION: u8 = 10;
/// Tunnel type 11: BIER (RFC 8556).
pub const BIER: u8 = 11;

/// Largest tunnel identifier an attribute value can hold.
const MAX_IDENTIFIER: usize = 65535 - 5;

/// LDP FEC element type of the P2MP FEC element (RFC 6388).
const FEC_P2MP: u8 = 0x06;
/// LDP FEC element type of the MP2MP-up FEC element (RFC 6388).
const FEC_MP2MP_UP: u8 = 0x07;
/// LDP FEC element type of the MP2MP-down FEC element (RFC 6388).
const FEC_MP2MP_DOWN: u8 = 0x08;
/// Address family numbers (IANA) of the FEC element's root node.
const AF_IPV4: u16 = 1;
const AF_IPV6: u16 = 2;

fn addr_len(a: &IpAddr) -> usize {
    match a {
        IpAddr::V4(_) => 4,
        IpAddr::V6(_) => 16,
    }
}

fn put_addr<B: BufMut>(buf: &mut B, a: &IpAddr) {
    match a {
        IpAddr::V4(a) => buf.put_slice(&a.octets()),
        IpAddr::V6(a) => buf.put_slice(&a.octets()),
    }
}

/// An IPv4 (4 octets) or IPv6 (16 octets) address; `None` for other lengths.
fn addr_from(b: &[u8]) -> Option<IpAddr> {
    if let Ok(o) = <[u8; 4]>::try_from(b) {
        Some(IpAddr::V4(Ipv4Addr::from(o)))
    } else if let Ok(o) = <[u8; 16]>::try_from(b) {
        Some(IpAddr::V6(Ipv6Addr::from(o)))
    } else {
        None
    }
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// A tunnel identifier kept as received: a type without a typed variant, or
/// an identifier that does not fit its type's layout.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawRepr"))]
pub struct RawTunnelIdentifier {
    tunnel_type: u8,
    identifier: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawRepr {
    tunnel_type: u8,
    identifier: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawRepr> for RawTunnelIdentifier {
    type Error = Error;
    fn try_from(r: RawRepr) -> Result<Self> {
        RawTunnelIdentifier::new(r.tunnel_type, r.identifier)
    }
}

impl RawTunnelIdentifier {
    /// A raw identifier. Fails for Ingress Replication, for a type and
    /// identifier that decode as a typed [`PmsiTunnelIdentifier`] variant
    /// (so that decoding what is encoded gives back the same value), and for
    /// identifiers that do not fit an attribute.
    pub fn new(tunnel_type: u8, identifier: Vec<u8>) -> Result<Self> {
        if tunnel_type == INGRESS_REPLICATION {
            return Err(Error::InvalidValue {
                what: "raw PMSI tunnel type",
                reason: "Ingress Replication has a typed variant",
            });
        }
        if identifier.len() > MAX_IDENTIFIER {
            return Err(Error::OutOfRange {
                what: "tunnel identifier length",
                value: identifier.len() as u64,
                max: MAX_IDENTIFIER as u64,
            });
        }
        if PmsiTunnelIdentifier::typed(tunnel_type, &identifier).is_some() {
            return Err(Error::InvalidValue {
                what: "raw PMSI tunnel identifier",
                reason: "this type and identifier have a typed variant",
            });
        }
        Ok(RawTunnelIdentifier {
            tunnel_type,
            identifier,
        })
    }

    /// The tunnel type (RFC 6514 / IANA "P-Multicast Service Interface Tunnel Types").
    pub fn tunnel_type(&self) -> u8 {
        self.tunnel_type
    }

    /// The identifier as received.
    pub fn identifier(&self) -> &[u8] {
        &self.identifier
    }
}

/// RSVP-TE P2MP LSP (type 1): the P2MP SESSION object's identifying fields
/// (RFC 4875 section 19.1), in its order on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RsvpTeP2mpLsp {
    /// P2MP ID (4 octets), unique within the ingress LSR.
    pub p2mp_id: u32,
    /// The Reserved (must be zero) field, kept as received.
    pub reserved: u16,
    /// Tunnel ID.
    pub tunnel_id: u16,
    /// Extended Tunnel ID: IPv4 (4 octets) or IPv6 (16 octets), normally an
    /// address of the ingress.
    pub extended_tunnel_id: IpAddr,
}

impl RsvpTeP2mpLsp {
    fn encoded_len(&self) -> usize {
        8 + addr_len(&self.extended_tunnel_id)
    }

    fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u32(self.p2mp_id);
        buf.put_u16(self.reserved);
        buf.put_u16(self.tunnel_id);
        put_addr(buf, &self.extended_tunnel_id);
    }

    fn decode(id: &[u8]) -> Option<Self> {
        if id.len() < 8 {
            return None;
        }
        Some(RsvpTeP2mpLsp {
            p2mp_id: be32(id),
            reserved: be16(&id[4..]),
            tunnel_id: be16(&id[6..]),
            extended_tunnel_id: addr_from(&id[8..])?,
        })
    }
}

/// An mLDP FEC element's root node and opaque value (RFC 6388 sections 2.3
/// and 3.2). The element type, address family (1 IPv4, 2 IPv6), address
/// length and opaque length are derived on encode.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "MldpFecRepr"))]
pub struct MldpFec {
    root: IpAddr,
    opaque: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct MldpFecRepr {
    root: IpAddr,
    opaque: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<MldpFecRepr> for MldpFec {
    type Error = Error;
    fn try_from(r: MldpFecRepr) -> Result<Self> {
        MldpFec::new(r.root, r.opaque)
    }
}

impl MldpFec {
    /// A FEC element with this root node and opaque value (the opaque value
    /// holds LDP MP opaque value elements, RFC 6388 section 2.3, kept as
    /// bytes). Fails if the element would not fit an attribute.
    pub fn new(root: IpAddr, opaque: Vec<u8>) -> Result<Self> {
        let max = MAX_IDENTIFIER - 6 - addr_len(&root);
        if opaque.len() > max {
            return Err(Error::OutOfRange {
                what: "mLDP opaque value length",
                value: opaque.len() as u64,
                max: max as u64,
            });
        }
        Ok(MldpFec { root, opaque })
    }

    /// The root node address.
    pub fn root(&self) -> IpAddr {
        self.root
    }

    /// The opaque value.
    pub fn opaque(&self) -> &[u8] {
        &self.opaque
    }

    fn encoded_len(&self) -> usize {
        6 + addr_len(&self.root) + self.opaque.len()
    }

    fn encode<B: BufMut>(&self, element_type: u8, buf: &mut B) {
        buf.put_u8(element_type);
        let (af, len) = match self.root {
            IpAddr::V4(_) => (AF_IPV4, 4),
            IpAddr::V6(_) => (AF_IPV6, 16),
        };
        buf.put_u16(af);
        buf.put_u8(len);
        put_addr(buf, &self.root);
        // Bounded by `new`.
        buf.put_u16(self.opaque.len() as u16);
        buf.put_slice(&self.opaque);
    }

    /// The element type and the FEC, if `id` is exactly one well-formed
    /// element with an IPv4 or IPv6 root.
    fn decode(id: &[u8]) -> Option<(u8, Self)> {
        let (&element_type, rest) = id.split_first()?;
        if rest.len() < 3 {
            return None;
        }
        let af = be16(rest);
        let alen = usize::from(rest[2]);
        let rest = &rest[3..];
        let expected = match af {
            AF_IPV4 => 4,
            AF_IPV6 => 16,
            _ => return None,
        };
        if alen != expected || rest.len() < alen + 2 {
            return None;
        }
        let root = addr_from(&rest[..alen])?;
        let rest = &rest[alen..];
        let olen = usize::from(be16(rest));
        let opaque = &rest[2..];
        if opaque.len() != olen {
            return None;
        }
        Some((
            element_type,
            MldpFec {
                root,
                opaque: opaque.to_vec(),
            },
        ))
    }
}

/// Which MP2MP FEC element an mLDP MP2MP LSP identifier carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Mp2mpDirection {
    /// MP2MP-up FEC element (type 0x07).
    Upstream,
    /// MP2MP-down FEC element (type 0x08).
    Downstream,
}

impl Mp2mpDirection {
    fn element_type(self) -> u8 {
        match self {
            Mp2mpDirection::Upstream => FEC_MP2MP_UP,
            Mp2mpDirection::Downstream => FEC_MP2MP_DOWN,
        }
    }
}

/// A PIM tree (types 3, 4, 5): `<Sender Address, P-Multicast Group>`, both
/// of one address family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PimTree {
    /// IPv4 sender and group (8 octets).
    V4 {
        /// Sender address (for BIDIR-PIM, RFC 6514 names it so too).
        sender: Ipv4Addr,
        /// P-multicast group.
        group: Ipv4Addr,
    },
    /// IPv6 sender and group (32 octets).
    V6 {
        /// Sender address.
        sender: Ipv6Addr,
        /// P-multicast group.
        group: Ipv6Addr,
    },
}

impl PimTree {
    /// The sender address.
    pub fn sender(&self) -> IpAddr {
        match *self {
            PimTree::V4 { sender, .. } => IpAddr::V4(sender),
            PimTree::V6 { sender, .. } => IpAddr::V6(sender),
        }
    }

    /// The P-multicast group.
    pub fn group(&self) -> IpAddr {
        match *self {
            PimTree::V4 { group, .. } => IpAddr::V4(group),
            PimTree::V6 { group, .. } => IpAddr::V6(group),
        }
    }

    fn encoded_len(&self) -> usize {
        match self {
            PimTree::V4 { .. } => 8,
            PimTree::V6 { .. } => 32,
        }
    }

    fn encode<B: BufMut>(&self, buf: &mut B) {
        match self {
            PimTree::V4 { sender, group } => {
                buf.put_slice(&sender.octets());
                buf.put_slice(&group.octets());
            }
            PimTree::V6 { sender, group } => {
                buf.put_slice(&sender.octets());
                buf.put_slice(&group.octets());
            }
        }
    }

    fn decode(id: &[u8]) -> Option<Self> {
        if let Ok(o) = <[u8; 8]>::try_from(id) {
            Some(PimTree::V4 {
                sender: Ipv4Addr::new(o[0], o[1], o[2], o[3]),
                group: Ipv4Addr::new(o[4], o[5], o[6], o[7]),
            })
        } else if let Ok(o) = <[u8; 32]>::try_from(id) {
            let mut s = [0u8; 16];
            let mut g = [0u8; 16];
            s.copy_from_slice(&o[..16]);
            g.copy_from_slice(&o[16..]);
            Some(PimTree::V6 {
                sender: Ipv6Addr::from(s),
                group: Ipv6Addr::from(g),
            })
        } else {
            None
        }
    }
}

/// A Transport Tunnel (type 8, RFC 7524 section 14.1): `<Source PE Address,
/// Local Number>`, the local number as long as the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TransportTunnel {
    /// IPv4 source PE, 4-octet local number (8 octets).
    V4 {
        /// Address of the PE that set the tunnel up.
        source_pe: Ipv4Addr,
        /// Number unique to the source PE.
        local_number: u32,
    },
    /// IPv6 source PE, 16-octet local number (32 octets).
    V6 {
        /// Address of the PE that set the tunnel up.
        source_pe: Ipv6Addr,
        /// Number unique to the source PE.
        local_number: u128,
    },
}

impl TransportTunnel {
    /// The source PE address.
    pub fn source_pe(&self) -> IpAddr {
        match *self {
            TransportTunnel::V4 { source_pe, .. } => IpAddr::V4(source_pe),
            TransportTunnel::V6 { source_pe, .. } => IpAddr::V6(source_pe),
        }
    }

    fn encoded_len(&self) -> usize {
        match self {
            TransportTunnel::V4 { .. } => 8,
            TransportTunnel::V6 { .. } => 32,
        }
    }

    fn encode<B: BufMut>(&self, buf: &mut B) {
        match self {
            TransportTunnel::V4 {
                source_pe,
                local_number,
            } => {
                buf.put_slice(&source_pe.octets());
                buf.put_u32(*local_number);
            }
            TransportTunnel::V6 {
                source_pe,
                local_number,
            } => {
                buf.put_slice(&source_pe.octets());
                buf.put_u128(*local_number);
            }
        }
    }

    fn decode(id: &[u8]) -> Option<Self> {
        if let Ok(o) = <[u8; 8]>::try_from(id) {
            Some(TransportTunnel::V4 {
                source_pe: Ipv4Addr::new(o[0], o[1], o[2], o[3]),
                local_number: be32(&o[4..]),
            })
        } else if let Ok(o) = <[u8; 32]>::try_from(id) {
            let mut a = [0u8; 16];
            let mut n = [0u8; 16];
            a.copy_from_slice(&o[..16]);
            n.copy_from_slice(&o[16..]);
            Some(TransportTunnel::V6 {
                source_pe: Ipv6Addr::from(a),
                local_number: u128::from_be_bytes(n),
            })
        } else {
            None
        }
    }
}

/// A BIER tunnel (type 11, RFC 8556 section 2.1): `<Sub-domain-id, BFR-ID,
/// BFR-prefix>` of the BFIR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BierTunnel {
    /// BIER sub-domain (1 octet).
    pub sub_domain_id: u8,
    /// BFR-ID of the originator in that sub-domain (2 octets).
    pub bfr_id: u16,
    /// BFR-prefix of the originator: IPv4 (4 octets) or IPv6 (16 octets).
    pub bfr_prefix: IpAddr,
}

impl BierTunnel {
    fn encoded_len(&self) -> usize {
        3 + addr_len(&self.bfr_prefix)
    }

    fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.sub_domain_id);
        buf.put_u16(self.bfr_id);
        put_addr(buf, &self.bfr_prefix);
    }

    fn decode(id: &[u8]) -> Option<Self> {
        if id.len() < 3 {
            return None;
        }
        Some(BierTunnel {
            sub_domain_id: id[0],
            bfr_id: be16(&id[1..]),
            bfr_prefix: addr_from(&id[3..])?,
        })
    }
}

/// The tunnel type and identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum PmsiTunnelIdentifier {
    /// Type 0: no tunnel information present (empty identifier).
    NoTunnelInformation,
    /// Type 1: RSVP-TE P2MP LSP.
    RsvpTeP2mp(RsvpTeP2mpLsp),
    /// Type 2: mLDP P2MP LSP (P2MP FEC element, type 0x06).
    MldpP2mp(MldpFec),
    /// Type 3: PIM-SSM tree.
    PimSsm(PimTree),
    /// Type 4: PIM-SM tree.
    PimSm(PimTree),
    /// Type 5: BIDIR-PIM tree.
    BidirPim(PimTree),
    /// Type 6: Ingress Replication to this endpoint.
    IngressReplication(IpAddr),
    /// Type 7: mLDP MP2MP LSP (MP2MP-up or MP2MP-down FEC element).
    MldpMp2mp {
        /// Which MP2MP FEC element.
        direction: Mp2mpDirection,
        /// Root node and opaque value.
        fec: MldpFec,
    },
    /// Type 8: Transport Tunnel (RFC 7524).
    TransportTunnel(TransportTunnel),
    /// Type 10: Assisted Replication (RFC 9574), the AR-REPLICATOR's AR-IP.
    AssistedReplication(IpAddr),
    /// Type 11: BIER (RFC 8556).
    Bier(BierTunnel),
    /// Any other type, or an identifier that does not fit its type's layout.
    Other(RawTunnelIdentifier),
}

impl PmsiTunnelIdentifier {
    /// The tunnel type code.
    pub fn tunnel_type(&self) -> u8 {
        use PmsiTunnelIdentifier as P;
        match self {
            P::NoTunnelInformation => NO_TUNNEL_INFORMATION,
            P::RsvpTeP2mp(_) => RSVP_TE_P2MP_LSP,
            P::MldpP2mp(_) => MLDP_P2MP_LSP,
            P::PimSsm(_) => PIM_SSM_TREE,
            P::PimSm(_) => PIM_SM_TREE,
            P::BidirPim(_) => BIDIR_PIM_TREE,
            P::IngressReplication(_) => INGRESS_REPLICATION,
            P::MldpMp2mp { .. } => MLDP_MP2MP_LSP,
            P::TransportTunnel(_) => TRANSPORT_TUNNEL,
            P::AssistedReplication(_) => ASSISTED_REPLICATION,
            P::Bier(_) => BIER,
            P::Other(r) => r.tunnel_type,
        }
    }

    /// Bytes of the tunnel identifier (without flags, type and label).
    pub fn encoded_len(&self) -> usize {
        use PmsiTunnelIdentifier as P;
        match self {
            P::NoTunnelInformation => 0,
            P::RsvpTeP2mp(r) => r.encoded_len(),
            P::MldpP2mp(f) | P::MldpMp2mp { fec: f, .. } => f.encoded_len(),
            P::PimSsm(t) | P::PimSm(t) | P::BidirPim(t) => t.encoded_len(),
            P::IngressReplication(a) | P::AssistedReplication(a) => addr_len(a),
            P::TransportTunnel(t) => t.encoded_len(),
            P::Bier(b) => b.encoded_len(),
            P::Other(r) => r.identifier.len(),
        }
    }

    /// Writes the tunnel identifier (without flags, type and label).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        use PmsiTunnelIdentifier as P;
        match self {
            P::NoTunnelInformation => {}
            P::RsvpTeP2mp(r) => r.encode(buf),
            P::MldpP2mp(f) => f.encode(FEC_P2MP, buf),
            P::MldpMp2mp { direction, fec } => fec.encode(direction.element_type(), buf),
            P::PimSsm(t) | P::PimSm(t) | P::BidirPim(t) => t.encode(buf),
            P::IngressReplication(a) | P::AssistedReplication(a) => put_addr(buf, a),
            P::TransportTunnel(t) => t.encode(buf),
            P::Bier(b) => b.encode(buf),
            P::Other(r) => buf.put_slice(&r.identifier),
        }
    }

    /// Decodes the identifier of a tunnel type. Never fails: what does not
    /// fit the type's layout is kept as [`PmsiTunnelIdentifier::Other`];
    /// only an Ingress Replication identifier that is not an address is
    /// refused (`None`), since no raw value may carry type 6.
    pub(crate) fn decode(tunnel_type: u8, identifier: &[u8]) -> Option<Self> {
        match Self::typed(tunnel_type, identifier) {
            Some(t) => Some(t),
            None if tunnel_type == INGRESS_REPLICATION => None,
            None => Some(PmsiTunnelIdentifier::Other(RawTunnelIdentifier {
                tunnel_type,
                identifier: identifier.to_vec(),
            })),
        }
    }

    /// The typed variant, if the identifier fits the type's layout.
    fn typed(tunnel_type: u8, id: &[u8]) -> Option<Self> {
        use PmsiTunnelIdentifier as P;
        Some(match tunnel_type {
            NO_TUNNEL_INFORMATION if id.is_empty() => P::NoTunnelInformation,
            RSVP_TE_P2MP_LSP => P::RsvpTeP2mp(RsvpTeP2mpLsp::decode(id)?),
            MLDP_P2MP_LSP => match MldpFec::decode(id)? {
                (FEC_P2MP, fec) => P::MldpP2mp(fec),
                _ => return None,
            },
            PIM_SSM_TREE => P::PimSsm(PimTree::decode(id)?),
            PIM_SM_TREE => P::PimSm(PimTree::decode(id)?),
            BIDIR_PIM_TREE => P::BidirPim(PimTree::decode(id)?),
            INGRESS_REPLICATION => P::IngressReplication(addr_from(id)?),
            MLDP_MP2MP_LSP => match MldpFec::decode(id)? {
                (FEC_MP2MP_UP, fec) => P::MldpMp2mp {
                    direction: Mp2mpDirection::Upstream,
                    fec,
                },
                (FEC_MP2MP_DOWN, fec) => P::MldpMp2mp {
                    direction: Mp2mpDirection::Downstream,
                    fec,
                },
                _ => return None,
            },
            TRANSPORT_TUNNEL => P::TransportTunnel(TransportTunnel::decode(id)?),
            ASSISTED_REPLICATION => P::AssistedReplication(addr_from(id)?),
            BIER => P::Bier(BierTunnel::decode(id)?),
            _ => return None,
        })
    }
}

/// The PMSI_TUNNEL attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PmsiTunnel {
    /// Flags octet, kept whole (0x01: Leaf Information Required; RFC 9574
    /// gives Assisted Replication further bits).
    pub flags: u8,
    /// MPLS label field (a VNI for VXLAN).
    pub label: LabelField,
    /// Tunnel.
    pub tunnel: PmsiTunnelIdentifier,
}

impl PmsiTunnel {
    /// Leaf Information Required flag.
    pub const LEAF_INFO_REQUIRED: u8 = 0x01;

    /// An Ingress Replication tunnel, no flags.
    pub fn ingress_replication(label: LabelField, endpoint: IpAddr) -> Self {
        PmsiTunnel {
            flags: 0,
            label,
            tunnel: PmsiTunnelIdentifier::IngressReplication(endpoint),
        }
    }

    /// Whether Leaf Information Required is set.
    pub fn leaf_info_required(&self) -> bool {
        self.flags & Self::LEAF_INFO_REQUIRED != 0
    }

    /// The tunnel type code.
    pub fn tunnel_type(&self) -> u8 {
        self.tunnel.tunnel_type()
    }

    /// Bytes of the attribute value.
    pub fn encoded_len(&self) -> usize {
        5 + self.tunnel.encoded_len()
    }

    /// Writes the attribute value.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.flags);
        buf.put_u8(self.tunnel_type());
        self.label.encode(buf);
        self.tunnel.encode(buf);
    }

    pub(crate) fn decode_value(value: &[u8], base: usize) -> Result<Self> {
        let bad = |expected| Error::InvalidAttributeLength {
            offset: base,
            type_code: type_code::PMSI_TUNNEL,
            len: value.len(),
            expected,
        };
        if value.len() < 5 {
            return Err(bad("at least 5"));
        }
        let tunnel = PmsiTunnelIdentifier::decode(value[1], &value[5..])
            .ok_or_else(|| bad("9 or 21 for Ingress Replication"))?;
        Ok(PmsiTunnel {
            flags: value[0],
            label: LabelField([value[2], value[3], value[4]]),
            tunnel,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::tests::check_attr;
    use crate::attribute::{AttributeValue, PathAttribute};
    use crate::message::DecodingContext;
    use crate::test_util::hex;
    use proptest::prelude::*;

    /// Decodes, checks the typed value, re-encodes byte-identical.
    fn typed(b: &str, want: PmsiTunnelIdentifier) -> PmsiTunnel {
        let b = hex(b);
        let p = PmsiTunnel::decode_value(&b, 0).unwrap();
        assert_eq!(p.tunnel, want);
        assert_eq!(p.tunnel_type(), b[1]);
        assert_eq!(p.encoded_len(), b.len());
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, b);
        p
    }

    /// Decodes as `Other` with the identifier as received, re-encodes.
    fn raw(b: &str) {
        let b = hex(b);
        let p = PmsiTunnel::decode_value(&b, 0).unwrap();
        let PmsiTunnelIdentifier::Other(r) = &p.tunnel else {
            panic!("typed: {p:?}");
        };
        assert_eq!(r.tunnel_type(), b[1]);
        assert_eq!(r.identifier(), &b[5..]);
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, b);
    }

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    fn v6(last: u16) -> IpAddr {
        IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, last))
    }

    #[test]
    fn ingress_replication() {
        // IR, VNI 10100 (0x002774) in the label field, endpoint 192.0.2.7
        let p = typed(
            "00 06 002774 c0000207",
            PmsiTunnelIdentifier::IngressReplication(v4(192, 0, 2, 7)),
        );
        assert_eq!(p.label.vni(), 10100);
        assert!(!p.leaf_info_required());
        typed(
            "00 06 002774 20010db8000000000000000000000007",
            PmsiTunnelIdentifier::IngressReplication(v6(7)),
        );
        // Malformed IR stays an error (treat-as-withdraw).
        assert_eq!(
            PmsiTunnel::decode_value(&hex("00 06 000000 c00002"), 7),
            Err(Error::InvalidAttributeLength {
                offset: 7,
                type_code: 22,
                len: 8,
                expected: "9 or 21 for Ingress Replication"
            })
        );
        assert!(PmsiTunnel::decode_value(&hex("00 06 000000"), 0).is_err());
        assert!(matches!(
            PmsiTunnel::decode_value(&hex("00 06 0000"), 3),
            Err(Error::InvalidAttributeLength { offset: 3, .. })
        ));
        assert!(RawTunnelIdentifier::new(6, vec![]).is_err());
        assert!(RawTunnelIdentifier::new(6, vec![1, 2, 3]).is_err());
    }

    #[test]
    fn no_tunnel_information() {
        typed("00 00 000000", PmsiTunnelIdentifier::NoTunnelInformation);
        raw("00 00 000000 01");
        assert!(RawTunnelIdentifier::new(0, vec![]).is_err());
        assert!(RawTunnelIdentifier::new(0, vec![1]).is_ok());
    }

    #[test]
    fn rsvp_te_p2mp() {
        // P2MP ID 1111111111 (0x423a35c7), reserved 0, tunnel ID 11111
        // (0x2b67), extended tunnel ID 10.10.10.10; leaf info required.
        let p = typed(
            "01 01 004e38 423a35c7 0000 2b67 0a0a0a0a",
            PmsiTunnelIdentifier::RsvpTeP2mp(RsvpTeP2mpLsp {
                p2mp_id: 1_111_111_111,
                reserved: 0,
                tunnel_id: 11111,
                extended_tunnel_id: v4(10, 10, 10, 10),
            }),
        );
        assert!(p.leaf_info_required());
        // Reserved bits kept; IPv6 extended tunnel ID.
        typed(
            "00 01 000000 00000001 8001 0002 20010db8000000000000000000000009",
            PmsiTunnelIdentifier::RsvpTeP2mp(RsvpTeP2mpLsp {
                p2mp_id: 1,
                reserved: 0x8001,
                tunnel_id: 2,
                extended_tunnel_id: v6(9),
            }),
        );
        raw("00 01 000000 00000001 0000 0002 0a0a0a");
        raw("00 01 000000 00000001 0000 0002");
    }

    #[test]
    fn mldp() {
        // P2MP FEC element: type 6, AF 1, length 4, root 192.0.2.1, opaque
        // length 7: generic LSP identifier TLV (type 1, length 4, value 1).
        let fec = MldpFec::new(v4(192, 0, 2, 1), hex("01 0004 00000001")).unwrap();
        typed(
            "01 02 000000 06 0001 04 c0000201 0007 01000400000001",
            PmsiTunnelIdentifier::MldpP2mp(fec.clone()),
        );
        // Empty opaque value, IPv6 root.
        typed(
            "00 02 000000 06 0002 10 20010db8000000000000000000000001 0000",
            PmsiTunnelIdentifier::MldpP2mp(MldpFec::new(v6(1), vec![]).unwrap()),
        );
        // MP2MP-up and MP2MP-down under type 7.
        typed(
            "00 07 000000 07 0001 04 c0000201 0007 01000400000001",
            PmsiTunnelIdentifier::MldpMp2mp {
                direction: Mp2mpDirection::Upstream,
                fec: fec.clone(),
            },
        );
        typed(
            "00 07 000000 08 0001 04 c0000201 0007 01000400000001",
            PmsiTunnelIdentifier::MldpMp2mp {
                direction: Mp2mpDirection::Downstream,
                fec,
            },
        );
        // The element with no opaque value is typed too.
        typed(
            "01 02 000000 06 0001 04 c0000201 0000",
            PmsiTunnelIdentifier::MldpP2mp(MldpFec::new(v4(192, 0, 2, 1), vec![]).unwrap()),
        );
        // Kept raw: the element type of the other tunnel type, unknown
        // family, address length or family disagreeing, opaque length
        // disagreeing, cut short.
        raw("00 02 000000 07 0001 04 c0000201 0000");
        raw("00 07 000000 06 0001 04 c0000201 0000");
        raw("00 02 000000 06 0003 04 c0000201 0000");
        raw("00 02 000000 06 0001 10 c0000201 0000");
        raw("00 02 000000 06 0002 04 c0000201 0000");
        raw("00 02 000000 06 0001 04 c0000201 0002 ff");
        raw("00 02 000000 06 0001 04 c0000201 0000 ff");
        raw("00 02 000000 06 0001 04 c0000201 00");
        raw("00 02 000000 06 0001");
        raw("00 02 000000 06");
        raw("00 02 000000");
    }

    #[test]
    fn pim_trees() {
        // Sender 11.12.13.14, group 232.1.1.1.
        let t = PimTree::V4 {
            sender: Ipv4Addr::new(11, 12, 13, 14),
            group: Ipv4Addr::new(232, 1, 1, 1),
        };
        assert_eq!(t.sender(), v4(11, 12, 13, 14));
        assert_eq!(t.group(), v4(232, 1, 1, 1));
        typed(
            "00 03 000000 0b0c0d0e e8010101",
            PmsiTunnelIdentifier::PimSsm(t),
        );
        typed(
            "00 04 000000 0b0c0d0e e8010101",
            PmsiTunnelIdentifier::PimSm(t),
        );
        typed(
            "00 05 000000 0b0c0d0e e8010101",
            PmsiTunnelIdentifier::BidirPim(t),
        );
        typed(
            "00 03 000000 20010db8000000000000000000000001 ff3e0000000000000000000000000001",
            PmsiTunnelIdentifier::PimSsm(PimTree::V6 {
                sender: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
                group: Ipv6Addr::new(0xff3e, 0, 0, 0, 0, 0, 0, 1),
            }),
        );
        // Mixed families (20 octets) and other lengths stay raw.
        raw("00 03 000000 0b0c0d0e ff3e0000000000000000000000000001");
        raw("00 04 000000 0b0c0d0e");
        raw("00 05 000000");
    }

    #[test]
    fn transport_tunnel() {
        // Source PE 192.0.2.9, local number 42.
        typed(
            "00 08 000000 c0000209 0000002a",
            PmsiTunnelIdentifier::TransportTunnel(TransportTunnel::V4 {
                source_pe: Ipv4Addr::new(192, 0, 2, 9),
                local_number: 42,
            }),
        );
        let t = typed(
            "00 08 000000 20010db8000000000000000000000009 0000000000000000000000000000002a",
            PmsiTunnelIdentifier::TransportTunnel(TransportTunnel::V6 {
                source_pe: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9),
                local_number: 42,
            }),
        );
        let PmsiTunnelIdentifier::TransportTunnel(t) = t.tunnel else {
            unreachable!()
        };
        assert_eq!(t.source_pe(), v6(9));
        raw("00 08 000000 c0000209 002a");
        raw("00 08 000000 20010db8000000000000000000000009 0000002a");
    }

    #[test]
    fn assisted_replication() {
        // AR-REPLICATOR with AR-IP 192.0.2.20, VNI 10100.
        typed(
            "08 0a 002774 c0000214",
            PmsiTunnelIdentifier::AssistedReplication(v4(192, 0, 2, 20)),
        );
        typed(
            "00 0a 002774 20010db8000000000000000000000014",
            PmsiTunnelIdentifier::AssistedReplication(v6(0x14)),
        );
        raw("00 0a 002774 c00002");
        raw("00 0a 002774");
    }

    #[test]
    fn bier() {
        // Sub-domain 0, BFR-ID 1, BFR-prefix 10.0.0.1.
        typed(
            "00 0b 000010 00 0001 0a000001",
            PmsiTunnelIdentifier::Bier(BierTunnel {
                sub_domain_id: 0,
                bfr_id: 1,
                bfr_prefix: v4(10, 0, 0, 1),
            }),
        );
        typed(
            "00 0b 000010 05 0102 20010db8000000000000000000000001",
            PmsiTunnelIdentifier::Bier(BierTunnel {
                sub_domain_id: 5,
                bfr_id: 0x0102,
                bfr_prefix: v6(1),
            }),
        );
        raw("00 0b 000010 00 0001 0a00");
        raw("00 0b 000010 00 00");
    }

    #[test]
    fn unregistered_types_raw() {
        raw("00 09 000000 0102");
        raw("00 0c 000000 c0000201");
        raw("00 ff 000000");
        assert!(RawTunnelIdentifier::new(11, hex("00 0001 0a000001")).is_err());
        assert!(RawTunnelIdentifier::new(12, hex("00 0001 0a000001")).is_ok());
        assert!(RawTunnelIdentifier::new(1, vec![0; MAX_IDENTIFIER + 1]).is_err());
        assert!(MldpFec::new(v4(1, 2, 3, 4), vec![0; MAX_IDENTIFIER - 10]).is_ok());
        assert!(MldpFec::new(v4(1, 2, 3, 4), vec![0; MAX_IDENTIFIER - 9]).is_err());
        assert!(MldpFec::new(v6(1), vec![0; MAX_IDENTIFIER - 21]).is_err());
    }

    fn arb_ip() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(|a| IpAddr::V4(Ipv4Addr::from(a))),
            any::<[u8; 16]>().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
        ]
    }

    fn arb_pim() -> impl Strategy<Value = PimTree> {
        prop_oneof![
            any::<([u8; 4], [u8; 4])>().prop_map(|(s, g)| PimTree::V4 {
                sender: s.into(),
                group: g.into()
            }),
            any::<([u8; 16], [u8; 16])>().prop_map(|(s, g)| PimTree::V6 {
                sender: s.into(),
                group: g.into()
            }),
        ]
    }

    fn arb_fec() -> impl Strategy<Value = MldpFec> {
        (arb_ip(), proptest::collection::vec(any::<u8>(), 0..12))
            .prop_map(|(r, o)| MldpFec::new(r, o).unwrap())
    }

    fn arb_tunnel() -> impl Strategy<Value = PmsiTunnelIdentifier> {
        use PmsiTunnelIdentifier as P;
        prop_oneof![
            Just(P::NoTunnelInformation),
            (any::<(u32, u16, u16)>(), arb_ip()).prop_map(|((p, r, t), e)| P::RsvpTeP2mp(
                RsvpTeP2mpLsp {
                    p2mp_id: p,
                    reserved: r,
                    tunnel_id: t,
                    extended_tunnel_id: e
                }
            )),
            arb_fec().prop_map(P::MldpP2mp),
            arb_pim().prop_map(P::PimSsm),
            arb_pim().prop_map(P::PimSm),
            arb_pim().prop_map(P::BidirPim),
            arb_ip().prop_map(P::IngressReplication),
            (any::<bool>(), arb_fec()).prop_map(|(up, fec)| P::MldpMp2mp {
                direction: if up {
                    Mp2mpDirection::Upstream
                } else {
                    Mp2mpDirection::Downstream
                },
                fec
            }),
            prop_oneof![
                any::<([u8; 4], u32)>().prop_map(|(a, n)| TransportTunnel::V4 {
                    source_pe: a.into(),
                    local_number: n
                }),
                any::<([u8; 16], u128)>().prop_map(|(a, n)| TransportTunnel::V6 {
                    source_pe: a.into(),
                    local_number: n
                }),
            ]
            .prop_map(P::TransportTunnel),
            arb_ip().prop_map(P::AssistedReplication),
            (any::<(u8, u16)>(), arb_ip()).prop_map(|((s, b), p)| P::Bier(BierTunnel {
                sub_domain_id: s,
                bfr_id: b,
                bfr_prefix: p
            })),
            (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40))
                .prop_filter_map("typed", |(t, id)| RawTunnelIdentifier::new(t, id).ok())
                .prop_map(P::Other),
        ]
    }

    proptest! {
        #[test]
        fn identifier_roundtrip(tunnel in arb_tunnel()) {
            let len = tunnel.encoded_len();
            let mut storage = vec![0xA5u8; len + 8];
            {
                let mut slice = &mut storage[..len];
                tunnel.encode(&mut slice);
                prop_assert!(slice.is_empty(), "encode wrote less than encoded_len()");
            }
            prop_assert_eq!(&storage[len..], &[0xA5u8; 8][..]);
            let back = PmsiTunnelIdentifier::decode(tunnel.tunnel_type(), &storage[..len]);
            prop_assert_eq!(back.as_ref(), Some(&tunnel));
        }

        #[test]
        fn value_roundtrip(flags: u8, label: [u8; 3], tunnel in arb_tunnel()) {
            let p = PmsiTunnel { flags, label: LabelField(label), tunnel };
            let len = p.encoded_len();
            let mut storage = vec![0xA5u8; len + 8];
            {
                let mut slice = &mut storage[..len];
                p.encode(&mut slice);
                prop_assert!(slice.is_empty());
            }
            prop_assert_eq!(&storage[len..], &[0xA5u8; 8][..]);
            let v = &storage[..len];
            let back = PmsiTunnel::decode_value(v, 0);
            prop_assert_eq!(back.as_ref(), Ok(&p));
            // A cut value is a typed error, or (for a shorter identifier) a
            // different value that re-encodes to exactly the cut bytes.
            for cut in 0..len {
                match PmsiTunnel::decode_value(&v[..cut], 9) {
                    Err(Error::InvalidAttributeLength { offset: 9, type_code: 22, len: l, .. }) => {
                        prop_assert_eq!(l, cut);
                        prop_assert!(cut < 5 || p.tunnel_type() == INGRESS_REPLICATION);
                    }
                    Err(e) => prop_assert!(false, "unexpected error {:?}", e),
                    Ok(q) => {
                        prop_assert_ne!(&q, &p);
                        let mut out = Vec::new();
                        q.encode(&mut out);
                        prop_assert_eq!(&out[..], &v[..cut]);
                    }
                }
            }
            // As a whole attribute: every truncation fails.
            let attr = PathAttribute::new(AttributeValue::PmsiTunnel(p));
            check_attr(&attr, &DecodingContext::new())?;
        }

        /// Any well-formed value with any identifier decodes (Ingress
        /// Replication aside) and re-encodes byte-identical.
        #[test]
        fn any_identifier_lossless(
            flags: u8,
            tunnel_type in prop_oneof![0u8..=12, any::<u8>()],
            label: [u8; 3],
            id in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let mut v = vec![flags, tunnel_type];
            v.extend_from_slice(&label);
            v.extend_from_slice(&id);
            match PmsiTunnel::decode_value(&v, 0) {
                Ok(p) => {
                    prop_assert_eq!(p.encoded_len(), v.len());
                    let mut out = Vec::new();
                    p.encode(&mut out);
                    prop_assert_eq!(out, v);
                }
                Err(_) => prop_assert!(
                    tunnel_type == INGRESS_REPLICATION && id.len() != 4 && id.len() != 16
                ),
            }
        }
    }
}
