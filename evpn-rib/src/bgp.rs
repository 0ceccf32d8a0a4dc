//! Glue to bgp-evpn-wire's message layer: inputs from a decoded UPDATE,
//! UPDATEs from outputs.

use core::net::IpAddr;

use bgp_evpn_wire::attribute::{
    AsPath, AttributeValue, MpNextHop, MpNlri, MpReach, MpUnreach, Origin, type_code,
};
use bgp_evpn_wire::evpn::EvpnNlri;
use bgp_evpn_wire::message::Update;
use bgp_evpn_wire::types::RouteDistinguisher;

use crate::io::{Advertisement, Input, Output, RouteAttributes, Withdrawal};
use crate::types::PeerId;

/// The RIB inputs carried by one decoded UPDATE from `peer`: a
/// [`Input::RouteWithdraw`] per EVPN route of MP_UNREACH_NLRI, then a
/// [`Input::RouteUpdate`] per EVPN route of MP_REACH_NLRI. Other families
/// are skipped, and so is an MP_REACH_NLRI whose next hop has no address.
///
/// The originator of each route (for the lowest-address tie-break) is the
/// ORIGINATOR_ID attribute if present (a route reflector was on the way),
/// else the router id in a type 1 RD, else the peer's address.
pub fn inputs_from_update(update: &Update, peer: PeerId) -> Vec<Input> {
    let mut inputs = Vec::new();
    if let Some(MpUnreach {
        nlri: MpNlri::Evpn(nlris),
    }) = update.mp_unreach()
    {
        inputs.extend(nlris.iter().map(|n| Input::RouteWithdraw {
            peer,
            key: n.route.key(),
        }));
    }
    let Some(reach) = update.mp_reach() else {
        return inputs;
    };
    let (MpNlri::Evpn(nlris), Some(next_hop)) = (&reach.nlri, reach.next_hop.addr()) else {
        return inputs;
    };
    let originator_id = match update.attribute(type_code::ORIGINATOR_ID) {
        Some(AttributeValue::OriginatorId(a)) => Some(IpAddr::V4(*a)),
        _ => None,
    };
    let local_pref = match update.attribute(type_code::LOCAL_PREF) {
        Some(AttributeValue::LocalPref(p)) => Some(*p),
        _ => None,
    };
    let pmsi = match update.attribute(type_code::PMSI_TUNNEL) {
        Some(AttributeValue::PmsiTunnel(p)) => Some(p.clone()),
        _ => None,
    };
    let communities = update.extended_communities().unwrap_or(&[]).to_vec();
    for n in nlris {
        let originator = originator_id.unwrap_or_else(|| match n.route.rd() {
            Some(RouteDistinguisher::Ipv4 { addr, .. }) => IpAddr::V4(*addr),
            _ => peer.0,
        });
        inputs.push(Input::RouteUpdate {
            peer,
            route: n.route.clone(),
            attributes: RouteAttributes {
                next_hop,
                originator,
                communities: communities.clone(),
                pmsi: pmsi.clone(),
                local_pref,
            },
        });
    }
    inputs
}

fn mp_next_hop(addr: IpAddr) -> MpNextHop {
    match addr {
        IpAddr::V4(a) => MpNextHop::Ipv4(a),
        IpAddr::V6(a) => MpNextHop::Ipv6 {
            global: a,
            link_local: None,
        },
    }
}

impl Advertisement {
    /// An UPDATE advertising the route: ORIGIN IGP, an empty AS_PATH (add
    /// your AS for eBGP), the extended communities, the PMSI tunnel if any,
    /// and MP_REACH_NLRI with the next hop. Ready for
    /// [`Message::Update`](bgp_evpn_wire::Message::Update) and `encode`.
    pub fn to_update(&self) -> Update {
        let mut attrs = vec![
            AttributeValue::Origin(Origin::Igp),
            AttributeValue::AsPath(AsPath::default()),
            AttributeValue::ExtendedCommunities(self.communities.clone()),
        ];
        if let Some(p) = &self.pmsi {
            attrs.push(AttributeValue::PmsiTunnel(p.clone()));
        }
        attrs.push(AttributeValue::MpReach(MpReach::new(
            mp_next_hop(self.next_hop),
            MpNlri::Evpn(vec![EvpnNlri::from(self.route.clone())]),
        )));
        Update::with_attributes(attrs)
    }
}

impl Withdrawal {
    /// An UPDATE withdrawing the route (MP_UNREACH_NLRI only).
    pub fn to_update(&self) -> Update {
        Update::with_attributes([AttributeValue::MpUnreach(MpUnreach {
            nlri: MpNlri::Evpn(vec![EvpnNlri::from(self.route.clone())]),
        })])
    }
}

/// The UPDATE for an [`Output::Advertise`] or [`Output::Withdraw`]; `None`
/// for the other outputs.
pub fn update_for(output: &Output) -> Option<Update> {
    match output {
        Output::Advertise(a) => Some(a.to_update()),
        Output::Withdraw(w) => Some(w.to_update()),
        _ => None,
    }
}
