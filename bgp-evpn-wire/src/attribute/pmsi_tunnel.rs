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
//! |  Tunnel Identifier (variable)   |  IR: the endpoint, IPv4 or IPv6
//! +---------------------------------+
//! ```
//!
//! Other tunnel types are kept with their raw identifier. A value shorter
//! than 5 octets, or an Ingress Replication identifier that is not 4 or 16
//! octets, is malformed (treat-as-withdraw: the attribute affects the
//! route's forwarding).

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use bytes::BufMut;

use crate::attribute::type_code;
use crate::error::{Error, Result};
use crate::types::LabelField;

/// Tunnel type of Ingress Replication.
pub const INGRESS_REPLICATION: u8 = 6;

/// A tunnel identifier of a type other than Ingress Replication, kept raw.
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
    /// A raw identifier. Fails for Ingress Replication (typed) and for
    /// identifiers that do not fit an attribute.
    pub fn new(tunnel_type: u8, identifier: Vec<u8>) -> Result<Self> {
        if tunnel_type == INGRESS_REPLICATION {
            return Err(Error::InvalidValue {
                what: "raw PMSI tunnel type",
                reason: "Ingress Replication has a typed variant",
            });
        }
        if identifier.len() > 65535 - 5 {
            return Err(Error::OutOfRange {
                what: "tunnel identifier length",
                value: identifier.len() as u64,
                max: 65535 - 5,
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

/// The tunnel type and identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum PmsiTunnelIdentifier {
    /// Type 6: Ingress Replication to this endpoint.
    IngressReplication(IpAddr),
    /// Any other type.
    Other(RawTunnelIdentifier),
}

/// The PMSI_TUNNEL attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PmsiTunnel {
    /// Flags octet, kept whole (0x01: Leaf Information Required).
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
        match &self.tunnel {
            PmsiTunnelIdentifier::IngressReplication(_) => INGRESS_REPLICATION,
            PmsiTunnelIdentifier::Other(r) => r.tunnel_type,
        }
    }

    /// Bytes of the attribute value.
    pub fn encoded_len(&self) -> usize {
        5 + match &self.tunnel {
            PmsiTunnelIdentifier::IngressReplication(IpAddr::V4(_)) => 4,
            PmsiTunnelIdentifier::IngressReplication(IpAddr::V6(_)) => 16,
            PmsiTunnelIdentifier::Other(r) => r.identifier.len(),
        }
    }

    /// Writes the attribute value.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.flags);
        buf.put_u8(self.tunnel_type());
        self.label.encode(buf);
        match &self.tunnel {
            PmsiTunnelIdentifier::IngressReplication(IpAddr::V4(a)) => buf.put_slice(&a.octets()),
            PmsiTunnelIdentifier::IngressReplication(IpAddr::V6(a)) => buf.put_slice(&a.octets()),
            PmsiTunnelIdentifier::Other(r) => buf.put_slice(&r.identifier),
        }
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
        let id = &value[5..];
        let tunnel = match value[1] {
            INGRESS_REPLICATION => PmsiTunnelIdentifier::IngressReplication(match id.len() {
                4 => IpAddr::V4(Ipv4Addr::new(id[0], id[1], id[2], id[3])),
                16 => {
                    let mut o = [0u8; 16];
                    o.copy_from_slice(id);
                    IpAddr::V6(Ipv6Addr::from(o))
                }
                _ => return Err(bad("9 or 21 for Ingress Replication")),
            }),
            t => PmsiTunnelIdentifier::Other(RawTunnelIdentifier {
                tunnel_type: t,
                identifier: id.to_vec(),
            }),
        };
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
    use crate::test_util::hex;

    #[test]
    fn rfc6514_layouts() {
        // IR, VNI 10100 (0x002774) in the label field, endpoint 192.0.2.7
        let b = hex("00 06 002774 c0000207");
        let p = PmsiTunnel::decode_value(&b, 0).unwrap();
        assert_eq!(p.label.vni(), 10100);
        assert_eq!(
            p.tunnel,
            PmsiTunnelIdentifier::IngressReplication(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)))
        );
        assert!(!p.leaf_info_required());
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, b);
        assert_eq!(p.encoded_len(), b.len());
        // mLDP P2MP (2) with an opaque FEC, leaf info required.
        let b = hex("01 02 000000 06 0001 04 c0000201 0000");
        let p = PmsiTunnel::decode_value(&b, 0).unwrap();
        assert!(p.leaf_info_required());
        assert_eq!(p.tunnel_type(), 2);
        let mut out = Vec::new();
        p.encode(&mut out);
        assert_eq!(out, b);
        // No tunnel information (0), empty identifier.
        assert!(PmsiTunnel::decode_value(&hex("00 00 000000"), 0).is_ok());
        assert!(PmsiTunnel::decode_value(&hex("00 06 000000 c00002"), 0).is_err());
        assert!(PmsiTunnel::decode_value(&hex("00 06 0000"), 0).is_err());
        assert!(RawTunnelIdentifier::new(6, vec![]).is_err());
    }
}
