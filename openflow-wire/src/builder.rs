//! Builders for a VTEP controller's daily work: the VXLAN tunnel flow, the
//! ALL group that floods BUM traffic to every remote VTEP, and a
//! packet-out of a given frame.
//!
//! The tunnel destination is set with Nicira's `tun_dst` / `tun_ipv6_dst`
//! through SET_FIELD and the VNI with the OpenFlow `tunnel_id` field, which
//! is how Open vSwitch drives a flow-based VXLAN port
//! (`options:remote_ip=flow options:key=flow`).

use core::net::IpAddr;

use macaddr::MacAddr6;

use crate::Error;
use crate::action::{Action, ports};
use crate::instruction::Instruction;
use crate::message::{
    Bucket, FlowMod, GroupMod, OFP_NO_BUFFER, PacketOut, group_commands, group_types,
};
use crate::oxm::{Match, Oxm};

/// The largest VNI (24 bits).
pub const MAX_VNI: u32 = 0xff_ffff;

/// What the tunnel flow matches besides the destination MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TunnelKey {
    /// Traffic that arrived on a tunnel with this id (VNI).
    TunnelId(u64),
    /// Traffic from a local port.
    InPort(u32),
}

/// A flow sending frames for one MAC to a remote VTEP over VXLAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TunnelFlow {
    /// What to match besides `eth_dst`.
    pub key: TunnelKey,
    /// Destination MAC (the remote VM).
    pub eth_dst: MacAddr6,
    /// The remote VTEP's address.
    pub remote_vtep: IpAddr,
    /// The VNI to send with (24 bits).
    pub vni: u32,
    /// The local flow-based VXLAN port.
    pub vxlan_port: u32,
    /// Table of the flow.
    pub table_id: u8,
    /// Priority of the flow.
    pub priority: u16,
    /// Cookie of the flow (e.g. the EVPN route it came from).
    pub cookie: u64,
}

fn check_vni(vni: u32) -> Result<(), Error> {
    if vni > MAX_VNI {
        return Err(Error::OutOfRange {
            field: "VNI",
            value: vni.into(),
            max: MAX_VNI.into(),
        });
    }
    Ok(())
}

/// The actions that send a frame to `remote_vtep` with `vni` through
/// `vxlan_port`: set tun_dst, set tunnel_id, output.
pub fn tunnel_actions(
    remote_vtep: IpAddr,
    vni: u32,
    vxlan_port: u32,
) -> Result<Vec<Action>, Error> {
    check_vni(vni)?;
    let dst = match remote_vtep {
        IpAddr::V4(a) => Oxm::TunIpv4Dst(a.into()),
        IpAddr::V6(a) => Oxm::TunIpv6Dst(a.into()),
    };
    Ok(vec![
        Action::SetField(dst),
        Action::SetField(Oxm::TunnelId(u64::from(vni).into())),
        Action::output(vxlan_port),
    ])
}

impl TunnelFlow {
    /// The FLOW_MOD (ADD) installing this flow.
    pub fn flow_mod(&self) -> Result<FlowMod, Error> {
        let first = match self.key {
            TunnelKey::TunnelId(id) => Oxm::TunnelId(id.into()),
            TunnelKey::InPort(p) => Oxm::InPort(p.into()),
        };
        Ok(FlowMod {
            cookie: self.cookie,
            table_id: self.table_id,
            priority: self.priority,
            r#match: Match::new()
                .with(first)
                .with(Oxm::EthDst(self.eth_dst.into())),
            instructions: vec![Instruction::ApplyActions(tunnel_actions(
                self.remote_vtep,
                self.vni,
                self.vxlan_port,
            )?)],
            ..FlowMod::default()
        })
    }
}

/// An ALL group with one bucket per remote VTEP, each setting tun_dst and
/// the VNI and outputting to `vxlan_port`: BUM flooding (ingress
/// replication) for one VNI.
pub fn vtep_flood_group(
    group_id: u32,
    vni: u32,
    remote_vteps: &[IpAddr],
    vxlan_port: u32,
) -> Result<GroupMod, Error> {
    let buckets = remote_vteps
        .iter()
        .map(|vtep| tunnel_actions(*vtep, vni, vxlan_port).map(Bucket::new))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(GroupMod {
        command: group_commands::ADD,
        group_type: group_types::ALL,
        group_id,
        buckets,
    })
}

/// A PACKET_OUT of `frame` (not buffered) through `actions`, as if it came
/// in on `in_port` (`None`: from the controller).
pub fn packet_out(frame: Vec<u8>, in_port: Option<u32>, actions: Vec<Action>) -> PacketOut {
    PacketOut {
        buffer_id: OFP_NO_BUFFER,
        in_port: in_port.unwrap_or(ports::CONTROLLER),
        actions,
        data: frame,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Body, Message};
    use core::net::{Ipv4Addr, Ipv6Addr};

    fn flow() -> TunnelFlow {
        TunnelFlow {
            key: TunnelKey::InPort(1),
            eth_dst: MacAddr6::new(0x02, 0, 0, 0, 0, 0x0a),
            remote_vtep: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2)),
            vni: 5000,
            vxlan_port: 10,
            table_id: 0,
            priority: 100,
            cookie: 7,
        }
    }

    #[test]
    fn tunnel_flow_bytes() {
        let fm = flow().flow_mod().unwrap();
        let bytes = Message::new(1, Body::FlowMod(fm.clone()))
            .to_bytes()
            .unwrap();
        // header 8 + fixed 40 + match (4 + 8 + 10 = 22 -> 24)
        // + apply_actions (8 + 16 + 16 + 16) = 128
        assert_eq!(bytes.len(), 128);
        assert_eq!(&bytes[..4], [4, 14, 0, 128]);
        // The match: in_port 1, eth_dst.
        assert_eq!(
            &bytes[48..72],
            [
                0, 1, 0, 22, 0x80, 0, 0, 4, 0, 0, 0, 1, 0x80, 0, 6, 6, 2, 0, 0, 0, 0, 0x0a, 0, 0
            ]
        );
        // set_field tun_dst (NXM_NX_TUN_IPV4_DST = 0x00014004).
        assert_eq!(
            &bytes[80..92],
            [0, 25, 0, 16, 0, 1, 0x40, 4, 198, 51, 100, 2]
        );
        // set_field tunnel_id = 5000.
        assert_eq!(
            &bytes[96..112],
            [0, 25, 0, 16, 0x80, 0, 0x4c, 8, 0, 0, 0, 0, 0, 0, 0x13, 0x88]
        );
        let Body::FlowMod(back) = Message::decode(&bytes).unwrap().body else {
            panic!("not a flow mod")
        };
        assert_eq!(back, fm);
        assert_eq!(fm.r#match.validate(), vec![]);
    }

    #[test]
    fn tunnel_flow_by_tunnel_id_over_ipv6() {
        let mut f = flow();
        f.key = TunnelKey::TunnelId(5000);
        f.remote_vtep = IpAddr::V6(Ipv6Addr::LOCALHOST);
        let fm = f.flow_mod().unwrap();
        assert_eq!(fm.r#match.fields[0], Oxm::TunnelId(5000.into()));
        let Instruction::ApplyActions(a) = &fm.instructions[0] else {
            panic!("not apply")
        };
        assert_eq!(
            a[0],
            Action::SetField(Oxm::TunIpv6Dst(Ipv6Addr::LOCALHOST.into()))
        );
        f.vni = 1 << 24;
        assert!(matches!(f.flow_mod(), Err(Error::OutOfRange { .. })));
    }

    #[test]
    fn flood_group() {
        let vteps = [
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)),
        ];
        let g = vtep_flood_group(42, 5000, &vteps, 10).unwrap();
        assert_eq!(g.buckets.len(), 2);
        let bytes = Message::new(2, Body::GroupMod(g.clone()))
            .to_bytes()
            .unwrap();
        // 8 + 8 + 2 * (16 + 48)
        assert_eq!(bytes.len(), 144);
        assert_eq!(&bytes[8..16], [0, 0, 0, 0, 0, 0, 0, 42]);
        let Body::GroupMod(back) = Message::decode(&bytes).unwrap().body else {
            panic!("not a group mod")
        };
        assert_eq!(back, g);
    }

    #[test]
    fn packet_out_frame() {
        let p = packet_out(vec![0xff; 60], None, vec![Action::output(3)]);
        let bytes = Message::new(3, Body::PacketOut(p.clone()))
            .to_bytes()
            .unwrap();
        assert_eq!(bytes.len(), 8 + 16 + 16 + 60);
        assert_eq!(
            &bytes[8..18],
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfd, 0, 16]
        );
        assert_eq!(Message::decode(&bytes).unwrap().body, Body::PacketOut(p));
    }
}
