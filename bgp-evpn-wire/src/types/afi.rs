//! Address Family Identifier (IANA "Address Family Numbers") and Subsequent
//! Address Family Identifier (IANA "SAFI Values"), as carried in
//! MP_REACH_NLRI, MP_UNREACH_NLRI, capabilities and ROUTE-REFRESH.

use core::fmt;

/// An AFI (2 octets). Any value is kept; the constants name the ones this
/// crate decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Afi(pub u16);

impl Afi {
    /// IPv4.
    pub const IPV4: Afi = Afi(1);
    /// IPv6.
    pub const IPV6: Afi = Afi(2);
    /// Layer-2 VPN (EVPN, VPLS).
    pub const L2VPN: Afi = Afi(25);
}

/// A SAFI (1 octet). Any value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Safi(pub u8);

impl Safi {
    /// Unicast.
    pub const UNICAST: Safi = Safi(1);
    /// Multicast.
    pub const MULTICAST: Safi = Safi(2);
    /// EVPN (RFC 7432).
    pub const EVPN: Safi = Safi(70);
    /// MPLS-labeled VPN (RFC 4364).
    pub const MPLS_VPN: Safi = Safi(128);
    /// Flow Specification (RFC 8955).
    pub const FLOWSPEC: Safi = Safi(133);
}

/// An (AFI, SAFI) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AfiSafi {
    /// Address family.
    pub afi: Afi,
    /// Subsequent address family.
    pub safi: Safi,
}

impl AfiSafi {
    /// IPv4 unicast: the family of the UPDATE's own NLRI and withdrawn routes fields.
    pub const IPV4_UNICAST: AfiSafi = AfiSafi::new(Afi::IPV4, Safi::UNICAST);
    /// IPv6 unicast.
    pub const IPV6_UNICAST: AfiSafi = AfiSafi::new(Afi::IPV6, Safi::UNICAST);
    /// L2VPN EVPN.
    pub const EVPN: AfiSafi = AfiSafi::new(Afi::L2VPN, Safi::EVPN);

    /// The pair.
    pub const fn new(afi: Afi, safi: Safi) -> Self {
        AfiSafi { afi, safi }
    }
}

impl fmt::Display for Afi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Afi::IPV4 => f.write_str("ipv4"),
            Afi::IPV6 => f.write_str("ipv6"),
            Afi::L2VPN => f.write_str("l2vpn"),
            Afi(v) => write!(f, "afi-{v}"),
        }
    }
}

impl fmt::Display for Safi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Safi::UNICAST => f.write_str("unicast"),
            Safi::MULTICAST => f.write_str("multicast"),
            Safi::EVPN => f.write_str("evpn"),
            Safi::MPLS_VPN => f.write_str("mpls-vpn"),
            Safi::FLOWSPEC => f.write_str("flowspec"),
            Safi(v) => write!(f, "safi-{v}"),
        }
    }
}

impl fmt::Display for AfiSafi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.afi, self.safi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn names() {
        assert_eq!(AfiSafi::EVPN.to_string(), "l2vpn/evpn");
        assert_eq!(
            AfiSafi::new(Afi(16388), Safi(71)).to_string(),
            "afi-16388/safi-71"
        );
        assert_eq!(AfiSafi::IPV4_UNICAST, AfiSafi::new(Afi(1), Safi(1)));
    }
}
