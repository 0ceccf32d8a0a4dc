//! `make_openflow_seeds [OUT_DIR]`: writes the committed seeds of the
//! OpenFlow fuzz targets, every one built here with `openflow-wire` (never
//! copied from other projects' vectors). `OUT_DIR` defaults to `fuzz/seeds`.
//!
//! * `openflow_message`: whole messages: HELLOs with version bitmaps (1.3
//!   and 1.5 headers, and one sent without element padding), FEATURES
//!   request/reply, VXLAN tunnel FLOW_MODs (`builder::TunnelFlow`, IPv4 and
//!   IPv6 VTEPs) and a conntrack FLOW_MOD with Nicira actions, the BUM
//!   flood GROUP_MOD (`builder::vtep_flood_group`), METER_MOD, PACKET_IN,
//!   PACKET_OUT (`builder::packet_out`), PORT_STATUS, FLOW_REMOVED, ERROR,
//!   ECHO, BARRIER, ROLE, SET_ASYNC, an OpenFlow 1.0 message (kept raw),
//!   MULTIPART requests (desc, flow, aggregate, port stats, group desc,
//!   meter config, table features, port desc) and replies (desc, flow
//!   stats, aggregate, port stats, group desc, meter config, table
//!   features, port desc, the last also cut with the MORE flag).
//! * `openflow_match`: the OXM match of every FLOW_MOD and PACKET_IN above
//!   and of a few more (masked IPv4/IPv6, VLAN, tunnel metadata, ct_state,
//!   registers, an experimenter field).
//! * `openflow_actions`: the action lists of those flows, buckets and
//!   packet-outs, and their instructions one after another.
//! * `openflow_framer`: default maximum, chunk sizes, then a stream of
//!   several of the messages above.
//!
//! Every seed is checked to decode and re-encode exactly before it is
//! written. Run from the repository root:
//! `cargo run --manifest-path fuzz/Cargo.toml -p evpn-wire-fuzz-seedgen --bin make_openflow_seeds`

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;
use std::process::ExitCode;

use evpn_wire_fuzz_seedgen::write_seed;
use macaddr::MacAddr6;
use openflow_wire::action::ports;
use openflow_wire::action::{CtAction, CtZone, NatAction};
use openflow_wire::builder::{TunnelFlow, TunnelKey, packet_out, tunnel_actions, vtep_flood_group};
use openflow_wire::instruction::Instruction;
use openflow_wire::message::{
    AggregateStats, AsyncConfig, Desc, ErrorKind, ErrorMsg, FeaturesReply, FlowMod, FlowRemoved,
    FlowStats, FlowStatsRequest, GroupDesc, ItemId, MeterBand, MeterConfig, MeterMod,
    MultipartReply, MultipartReplyBody, MultipartRequest, MultipartRequestBody, OFPMPF_REPLY_MORE,
    OxmId, PacketIn, Port, PortStats, PortStatus, Role, TableFeatureProp, TableFeatures,
};
use openflow_wire::oxm::Masked;
use openflow_wire::{Action, Body, Hello, Match, Message, NxAction, Oxm};

const MAC_A: MacAddr6 = MacAddr6::new(0x02, 0, 0, 0, 0, 0x0a);
const MAC_B: MacAddr6 = MacAddr6::new(0x02, 0, 0, 0, 0, 0x0b);
const VTEP1: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1));
const VTEP2: IpAddr = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2));
const VTEP6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2));

fn masked<T>(value: T, mask: T) -> Masked<T> {
    Masked {
        value,
        mask: Some(mask),
    }
}

fn tunnel_flow(key: TunnelKey, vtep: IpAddr) -> FlowMod {
    TunnelFlow {
        key,
        eth_dst: MAC_A,
        remote_vtep: vtep,
        vni: 5000,
        vxlan_port: 10,
        table_id: 1,
        priority: 100,
        cookie: 0x0102_0304,
    }
    .flow_mod()
    .expect("valid tunnel flow")
}

/// A conntrack flow as an OVS VTEP pipeline uses: commit with NAT, resubmit.
fn ct_flow() -> FlowMod {
    let ct = CtAction {
        flags: 1,
        zone: CtZone::Immediate(7),
        recirc_table: 2,
        alg: 0,
        actions: vec![Action::Nicira(NxAction::Nat(NatAction {
            flags: 1,
            ipv4_min: Some(Ipv4Addr::new(203, 0, 113, 1)),
            ipv4_max: Some(Ipv4Addr::new(203, 0, 113, 9)),
            proto_min: Some(1024),
            proto_max: Some(65535),
            ..NatAction::default()
        }))],
    };
    FlowMod {
        table_id: 2,
        priority: 200,
        idle_timeout: 30,
        r#match: Match::new()
            .with(Oxm::EthType(0x0800.into()))
            .with(Oxm::CtState(masked(0x21, 0x21)))
            .with(Oxm::NxReg(0, 5.into())),
        instructions: vec![
            Instruction::ApplyActions(vec![
                Action::Nicira(NxAction::Ct(ct)),
                Action::Nicira(NxAction::ResubmitTable {
                    in_port: 0xfff8,
                    table: 3,
                }),
                Action::Nicira(NxAction::DecTtl),
                Action::SetField(Oxm::TunId(5000.into())),
            ]),
            Instruction::WriteMetadata {
                metadata: 0x10,
                mask: 0xff,
            },
            Instruction::Meter(1),
            Instruction::GotoTable(4),
        ],
        ..FlowMod::default()
    }
}

fn matches() -> Vec<(&'static str, Match)> {
    vec![
        (
            "ipv4-masked",
            Match::new()
                .with(Oxm::InPort(3.into()))
                .with(Oxm::EthType(0x0800.into()))
                .with(Oxm::Ipv4Dst(masked(
                    Ipv4Addr::new(10, 0, 0, 0),
                    Ipv4Addr::new(255, 255, 255, 0),
                )))
                .with(Oxm::IpProto(6.into()))
                .with(Oxm::TcpDst(443.into())),
        ),
        (
            "ipv6-nd",
            Match::new()
                .with(Oxm::EthType(0x86dd.into()))
                .with(Oxm::Ipv6Src(masked(
                    Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
                    Ipv6Addr::new(0xffff, 0xffff, 0, 0, 0, 0, 0, 0),
                )))
                .with(Oxm::IpProto(58.into()))
                .with(Oxm::Icmpv6Type(135.into()))
                .with(Oxm::Ipv6NdTarget(
                    Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1).into(),
                )),
        ),
        (
            "vlan-arp",
            Match::new()
                .with(Oxm::VlanVid(masked(0x1000 | 100, 0x1fff)))
                .with(Oxm::EthType(0x0806.into()))
                .with(Oxm::ArpOp(1.into()))
                .with(Oxm::ArpTpa(Ipv4Addr::new(10, 0, 0, 1).into())),
        ),
        (
            "tunnel-metadata",
            Match::new()
                .with(Oxm::TunnelId(masked(5000, 0xff_ffff)))
                .with(Oxm::TunIpv4Src(Ipv4Addr::new(198, 51, 100, 1).into()))
                .with(Oxm::TunIpv6Dst(
                    Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 2).into(),
                ))
                .with(Oxm::Metadata(masked(0x10, 0xff)))
                .with(Oxm::EthSrc(masked(
                    MAC_B,
                    MacAddr6::new(0xff, 0xff, 0xff, 0, 0, 0),
                ))),
        ),
        (
            "ct-regs",
            Match::new()
                .with(Oxm::CtState(masked(0x22, 0x3f)))
                .with(Oxm::CtZone(7.into()))
                .with(Oxm::CtMark(masked(1, 1)))
                .with(Oxm::CtLabel(masked(1u128 << 64, u128::MAX)))
                .with(Oxm::NxReg(3, masked(0x10, 0xf0)))
                .with(Oxm::Xreg(1, 0xdead_beef.into()))
                .with(Oxm::ConjId(9.into())),
        ),
        (
            "experimenter",
            Match::new()
                .with(Oxm::EthType(0x0800.into()))
                .with(Oxm::Experimenter {
                    experimenter: 0x4f4e_4600,
                    field: 1,
                    has_mask: false,
                    data: vec![0, 0, 0, 5],
                }),
        ),
    ]
}

fn port(no: u32) -> Port {
    let mut name = [0u8; 16];
    let text = format!("vxlan{no}");
    name[..text.len()].copy_from_slice(text.as_bytes());
    Port {
        port_no: no,
        hw_addr: MacAddr6::new(0x02, 0, 0, 0, 1, no as u8),
        name,
        config: 0,
        state: 4,
        curr: 0x2820,
        advertised: 0,
        supported: 0,
        peer: 0,
        curr_speed: 10_000_000,
        max_speed: 0,
    }
}

fn text(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn flow_stats(fm: &FlowMod) -> FlowStats {
    FlowStats {
        table_id: fm.table_id,
        duration_sec: 12,
        duration_nsec: 5000,
        priority: fm.priority,
        idle_timeout: fm.idle_timeout,
        cookie: fm.cookie,
        packet_count: 42,
        byte_count: 4200,
        r#match: fm.r#match.clone(),
        instructions: fm.instructions.clone(),
        ..FlowStats::default()
    }
}

fn table_features() -> TableFeatures {
    let mut name = [0u8; 32];
    name[..8].copy_from_slice(b"classify");
    TableFeatures {
        table_id: 0,
        name,
        metadata_match: u64::MAX,
        metadata_write: u64::MAX,
        config: 0,
        max_entries: 1_000_000,
        properties: vec![
            TableFeatureProp::Instructions {
                miss: false,
                ids: vec![ItemId::new(1), ItemId::new(4)],
            },
            TableFeatureProp::NextTables {
                miss: false,
                tables: vec![1, 2, 3],
            },
            TableFeatureProp::ApplyActions {
                miss: true,
                ids: vec![ItemId::new(0), ItemId::new(25)],
            },
            TableFeatureProp::Match(vec![
                OxmId::new(Oxm::InPort(0.into()).header()),
                OxmId::new(Oxm::EthDst(MAC_A.into()).header()),
            ]),
        ],
    }
}

/// Every seed message, named.
fn messages() -> Vec<(String, Message)> {
    let mut out: Vec<(String, Message)> = Vec::new();
    let mut add = |name: &str, body: Body| {
        let xid = out.len() as u32 + 1;
        out.push((name.to_string(), Message::new(xid, body)));
    };
    let tunnel_v4 = tunnel_flow(TunnelKey::InPort(1), VTEP2);
    let tunnel_v6 = tunnel_flow(TunnelKey::TunnelId(5000), VTEP6);
    let ct = ct_flow();
    add("hello-13", Body::Hello(Hello::with_versions(&[4])));
    add("features-request", Body::FeaturesRequest);
    add(
        "features-reply",
        Body::FeaturesReply(FeaturesReply {
            datapath_id: 0x0000_0242_ac11_0002,
            n_buffers: 0,
            n_tables: 254,
            auxiliary_id: 0,
            capabilities: 0x4f,
            reserved: 0,
        }),
    );
    add("flow-mod-tunnel-v4", Body::FlowMod(tunnel_v4.clone()));
    add("flow-mod-tunnel-v6", Body::FlowMod(tunnel_v6.clone()));
    add("flow-mod-ct", Body::FlowMod(ct.clone()));
    for (name, m) in matches() {
        add(
            &format!("flow-mod-{name}"),
            Body::FlowMod(FlowMod {
                r#match: m,
                instructions: vec![Instruction::ApplyActions(vec![Action::output(2)])],
                ..FlowMod::default()
            }),
        );
    }
    add(
        "group-mod-flood",
        Body::GroupMod(vtep_flood_group(7, 5000, &[VTEP1, VTEP2, VTEP6], 10).expect("group")),
    );
    add(
        "meter-mod",
        Body::MeterMod(MeterMod {
            command: 0,
            flags: 1 | 4 | 8,
            meter_id: 1,
            bands: vec![
                MeterBand::Drop {
                    rate: 10_000,
                    burst_size: 1000,
                },
                MeterBand::DscpRemark {
                    rate: 5_000,
                    burst_size: 500,
                    prec_level: 1,
                },
            ],
        }),
    );
    let frame: Vec<u8> = [
        MAC_A.as_bytes(),
        MAC_B.as_bytes(),
        &[0x08, 0x06],
        &[0, 1, 8, 0, 6, 4, 0, 1],
        MAC_B.as_bytes(),
        &[10, 0, 0, 2],
        &[0; 6],
        &[10, 0, 0, 1],
    ]
    .concat();
    add(
        "packet-in",
        Body::PacketIn(PacketIn {
            buffer_id: 0xffff_ffff,
            total_len: frame.len() as u16,
            reason: 1,
            table_id: 0,
            cookie: 0x99,
            r#match: Match::new()
                .with(Oxm::InPort(3.into()))
                .with(Oxm::TunnelId(5000.into())),
            data: frame.clone(),
        }),
    );
    add(
        "packet-out",
        Body::PacketOut(packet_out(
            frame.clone(),
            Some(3),
            tunnel_actions(VTEP2, 5000, 10).expect("actions"),
        )),
    );
    add(
        "port-status",
        Body::PortStatus(PortStatus {
            reason: 2,
            desc: port(10),
        }),
    );
    add(
        "flow-removed",
        Body::FlowRemoved(FlowRemoved {
            cookie: 0x0102_0304,
            priority: 100,
            reason: 0,
            table_id: 1,
            duration_sec: 30,
            idle_timeout: 30,
            packet_count: 7,
            byte_count: 700,
            r#match: tunnel_v4.r#match.clone(),
            ..FlowRemoved::default()
        }),
    );
    add(
        "error-bad-match",
        Body::Error(ErrorMsg {
            kind: ErrorKind::from_type_code(4, 3),
            data: Message::new(9, Body::FlowMod(tunnel_v4.clone()))
                .to_bytes()
                .expect("encodes")[..64]
                .to_vec(),
        }),
    );
    add("echo-request", Body::EchoRequest(vec![1, 2, 3, 4]));
    add("echo-reply", Body::EchoReply(vec![1, 2, 3, 4]));
    add("barrier-request", Body::BarrierRequest);
    add("barrier-reply", Body::BarrierReply);
    add(
        "role-request",
        Body::RoleRequest(Role {
            role: 2,
            generation_id: 7,
        }),
    );
    add("set-async", Body::SetAsync(AsyncConfig::default()));

    let request = |body| Body::MultipartRequest(MultipartRequest { flags: 0, body });
    add("mp-request-desc", request(MultipartRequestBody::Desc));
    add(
        "mp-request-flow",
        request(MultipartRequestBody::Flow(FlowStatsRequest {
            table_id: 1,
            r#match: Match::new().with(Oxm::TunnelId(5000.into())),
            ..FlowStatsRequest::default()
        })),
    );
    add(
        "mp-request-aggregate",
        request(MultipartRequestBody::Aggregate(FlowStatsRequest::default())),
    );
    add(
        "mp-request-port-stats",
        request(MultipartRequestBody::PortStats {
            port_no: ports::ANY,
        }),
    );
    add(
        "mp-request-group-desc",
        request(MultipartRequestBody::GroupDesc),
    );
    add(
        "mp-request-meter-config",
        request(MultipartRequestBody::MeterConfig {
            meter_id: 0xffff_ffff,
        }),
    );
    add(
        "mp-request-table-features",
        request(MultipartRequestBody::TableFeatures(vec![table_features()])),
    );
    add(
        "mp-request-port-desc",
        request(MultipartRequestBody::PortDesc),
    );

    let reply = |body| Body::MultipartReply(MultipartReply { flags: 0, body });
    add(
        "mp-reply-desc",
        reply(MultipartReplyBody::Desc(Box::new(Desc {
            mfr_desc: text("evpn-migration-wire"),
            hw_desc: text("seed"),
            sw_desc: text("0.1.0"),
            serial_num: text("none"),
            dp_desc: text("vtep0"),
        }))),
    );
    add(
        "mp-reply-flow",
        reply(MultipartReplyBody::Flow(vec![
            flow_stats(&tunnel_v4),
            flow_stats(&ct),
        ])),
    );
    add(
        "mp-reply-aggregate",
        reply(MultipartReplyBody::Aggregate(AggregateStats {
            packet_count: 42,
            byte_count: 4200,
            flow_count: 2,
        })),
    );
    add(
        "mp-reply-port-stats",
        reply(MultipartReplyBody::PortStats(vec![PortStats {
            port_no: 10,
            rx_packets: 5,
            tx_packets: 6,
            rx_bytes: 500,
            tx_bytes: 600,
            duration_sec: 9,
            ..PortStats::default()
        }])),
    );
    let flood = vtep_flood_group(7, 5000, &[VTEP1, VTEP2], 10).expect("group");
    add(
        "mp-reply-group-desc",
        reply(MultipartReplyBody::GroupDesc(vec![GroupDesc {
            group_type: flood.group_type,
            group_id: flood.group_id,
            buckets: flood.buckets.clone(),
        }])),
    );
    add(
        "mp-reply-meter-config",
        reply(MultipartReplyBody::MeterConfig(vec![MeterConfig {
            flags: 1,
            meter_id: 1,
            bands: vec![MeterBand::Drop {
                rate: 10_000,
                burst_size: 1000,
            }],
        }])),
    );
    add(
        "mp-reply-table-features",
        reply(MultipartReplyBody::TableFeatures(vec![table_features()])),
    );
    let ports = MultipartReply {
        flags: 0,
        body: MultipartReplyBody::PortDesc(vec![port(1), port(2), port(10)]),
    };
    add("mp-reply-port-desc", Body::MultipartReply(ports.clone()));
    add(
        "mp-reply-port-desc-more",
        Body::MultipartReply(MultipartReply {
            flags: OFPMPF_REPLY_MORE,
            body: MultipartReplyBody::PortDesc(vec![port(1)]),
        }),
    );
    out.push((
        "hello-15".to_string(),
        Message {
            version: 6,
            xid: 1000,
            body: Body::Hello(Hello::with_versions(&[1, 4, 5, 6])),
        },
    ));
    out.push((
        "of10-features-request".to_string(),
        Message {
            version: 1,
            xid: 1001,
            body: Body::Raw {
                msg_type: 5,
                data: Vec::new(),
            },
        },
    ));
    out
}

/// The action lists of the seed messages, and their instruction lists.
fn action_and_instruction_lists(msgs: &[(String, Message)]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut actions = |name: &str, list: &[Action]| {
        if list.is_empty() {
            return;
        }
        let mut bytes = Vec::new();
        Action::encode_list(list, &mut bytes).expect("actions encode");
        assert_eq!(Action::decode_list(&bytes).as_deref(), Ok(list));
        out.push((format!("actions-{name}"), bytes));
    };
    let mut instructions = Vec::new();
    for (name, m) in msgs {
        match &m.body {
            Body::FlowMod(f) => {
                let mut bytes = Vec::new();
                for i in &f.instructions {
                    if let Instruction::ApplyActions(a) | Instruction::WriteActions(a) = i {
                        actions(name, a);
                    }
                    bytes.extend(i.to_bytes().expect("instruction encodes"));
                }
                instructions.push((format!("instructions-{name}"), bytes));
            }
            Body::GroupMod(g) => {
                for (n, b) in g.buckets.iter().enumerate() {
                    actions(&format!("{name}-bucket{n}"), &b.actions);
                }
            }
            Body::PacketOut(p) => actions(name, &p.actions),
            _ => {}
        }
    }
    out.extend(instructions);
    out
}

fn run(out: &std::path::Path) -> std::io::Result<usize> {
    let msgs = messages();
    // The same bytes under two names would be the same seed twice.
    let mut seen = std::collections::BTreeSet::new();
    let mut write_seed = |out: &std::path::Path, target: &'static str, name: &str, bytes: &[u8]| {
        if seen.insert((target, bytes.to_vec())) {
            write_seed(out, target, name, bytes)?;
        }
        Ok::<(), std::io::Error>(())
    };
    let mut stream = Vec::new();
    for (name, m) in &msgs {
        let bytes = m.to_bytes().expect("seed message encodes");
        assert_eq!(bytes.len(), m.encoded_len(), "{name}");
        assert_eq!(Message::decode(&bytes).as_ref(), Ok(m), "{name}");
        write_seed(out, "openflow_message", name, &bytes)?;
        let r#match = match &m.body {
            Body::FlowMod(f) => Some(&f.r#match),
            Body::PacketIn(p) => Some(&p.r#match),
            _ => None,
        };
        if let Some(mt) = r#match {
            let bytes = mt.to_bytes().expect("match encodes");
            assert_eq!(Match::decode(&bytes).as_ref(), Ok(mt), "{name}");
            write_seed(out, "openflow_match", name, &bytes)?;
        }
        if stream.len() < 1500 {
            stream.extend(&bytes);
        }
    }
    // An unpadded HELLO (two 12-byte bitmap elements back to back), which
    // the crate accepts and re-encodes padded: written by hand.
    let unpadded = [
        4u8, 0, 0, 32, 0, 0, 0, 77, 0, 1, 0, 12, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 1, 0, 12, 0, 0, 0,
        0x12, 0, 0, 0, 0,
    ];
    assert!(Message::decode(&unpadded).is_ok());
    write_seed(out, "openflow_message", "hello-unpadded", &unpadded)?;
    for (name, bytes) in action_and_instruction_lists(&msgs) {
        write_seed(out, "openflow_actions", &name, &bytes)?;
    }
    // Framer: default maximum (0), chunk sizes 1, 7, 64, 3, then the stream.
    let mut framer = vec![0u8, 4, 1, 7, 64, 3];
    framer.extend(&stream);
    write_seed(out, "openflow_framer", "stream-chunks", &framer)?;
    // One chunk for everything, under a 256-byte maximum (selector 16).
    let mut whole = vec![16u8, 0];
    whole.extend(&stream);
    write_seed(out, "openflow_framer", "stream-max256", &whole)?;
    Ok(seen.len())
}

fn main() -> ExitCode {
    let out = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("fuzz/seeds"), PathBuf::from);
    match run(&out) {
        Ok(n) => {
            println!(
                "make_openflow_seeds: wrote {n} seeds under {}",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("make_openflow_seeds: {e}");
            ExitCode::FAILURE
        }
    }
}
