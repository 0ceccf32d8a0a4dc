//! Property tests: for every OXM field, action, instruction and message,
//! `decode(encode(x)) == x`, `encoded_len` is exact, the encoding into a
//! 0xA5-prefilled buffer writes exactly those bytes (padding included),
//! every truncation is an error, and random bytes never panic.

use core::net::{Ipv4Addr, Ipv6Addr};

use macaddr::MacAddr6;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::strategy::Union;

use crate::action::{CtAction, CtZone, LearnAction, LearnDst, LearnSpec, LearnSrc, NatAction};
use crate::hello::HelloElement;
use crate::message::*;
use crate::oxm::{Isid, Masked, OxmHeader};
use crate::*;

fn mac() -> impl Strategy<Value = MacAddr6> + Clone {
    any::<[u8; 6]>().prop_map(MacAddr6::from)
}
fn ip4() -> impl Strategy<Value = Ipv4Addr> + Clone {
    any::<u32>().prop_map(Ipv4Addr::from)
}
fn ip6() -> impl Strategy<Value = Ipv6Addr> + Clone {
    any::<u128>().prop_map(Ipv6Addr::from)
}
fn m<T: core::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + Clone + 'static,
) -> impl Strategy<Value = Masked<T>> + Clone {
    (s.clone(), option::of(s)).prop_map(|(value, mask)| Masked { value, mask })
}

macro_rules! oxm_union {
    ($( $var:ident($s:expr) ),* $(,)?) => {
        vec![$( m($s).prop_map(Oxm::$var).boxed(), )*]
    };
}

pub(crate) fn oxm() -> impl Strategy<Value = Oxm> {
    let mut arms: Vec<BoxedStrategy<Oxm>> = oxm_union![
        InPort(any::<u32>()),
        InPhyPort(any::<u32>()),
        Metadata(any::<u64>()),
        EthDst(mac()),
        EthSrc(mac()),
        EthType(any::<u16>()),
        VlanVid(any::<u16>()),
        VlanPcp(any::<u8>()),
        IpDscp(any::<u8>()),
        IpEcn(any::<u8>()),
        IpProto(any::<u8>()),
        Ipv4Src(ip4()),
        Ipv4Dst(ip4()),
        TcpSrc(any::<u16>()),
        TcpDst(any::<u16>()),
        UdpSrc(any::<u16>()),
        UdpDst(any::<u16>()),
        SctpSrc(any::<u16>()),
        SctpDst(any::<u16>()),
        Icmpv4Type(any::<u8>()),
        Icmpv4Code(any::<u8>()),
        ArpOp(any::<u16>()),
        ArpSpa(ip4()),
        ArpTpa(ip4()),
        ArpSha(mac()),
        ArpTha(mac()),
        Ipv6Src(ip6()),
        Ipv6Dst(ip6()),
        Ipv6Flabel(any::<u32>()),
        Icmpv6Type(any::<u8>()),
        Icmpv6Code(any::<u8>()),
        Ipv6NdTarget(ip6()),
        Ipv6NdSll(mac()),
        Ipv6NdTll(mac()),
        MplsLabel(any::<u32>()),
        MplsTc(any::<u8>()),
        MplsBos(any::<u8>()),
        PbbIsid((0..=Isid::MAX).prop_map(|v| Isid::new(v).unwrap())),
        TunnelId(any::<u64>()),
        Ipv6Exthdr(any::<u16>()),
        TunId(any::<u64>()),
        TunIpv4Src(ip4()),
        TunIpv4Dst(ip4()),
        PktMark(any::<u32>()),
        TunFlags(any::<u16>()),
        CtState(any::<u32>()),
        CtZone(any::<u16>()),
        CtMark(any::<u32>()),
        TunIpv6Src(ip6()),
        TunIpv6Dst(ip6()),
    ];
    arms.push(
        (0u8..16, m(any::<u32>()))
            .prop_map(|(i, v)| Oxm::NxReg(i, v))
            .boxed(),
    );
    arms.push(
        (0u8..128, m(any::<u64>()))
            .prop_map(|(i, v)| Oxm::Xreg(i, v))
            .boxed(),
    );
    arms.push(
        (
            any::<u32>(),
            0u8..128,
            any::<bool>(),
            vec(any::<u8>(), 0..12),
        )
            .prop_map(|(experimenter, field, has_mask, data)| Oxm::Experimenter {
                experimenter,
                field,
                has_mask,
                data,
            })
            .boxed(),
    );
    arms.push(
        (
            prop_oneof![2u16..0x8000, 0x8002u16..0xffff],
            0u8..128,
            any::<bool>(),
            vec(any::<u8>(), 0..12),
        )
            .prop_map(|(class, field, has_mask, data)| Oxm::Unknown {
                class,
                field,
                has_mask,
                data,
            })
            .boxed(),
    );
    Union::new(arms)
}

fn header() -> impl Strategy<Value = OxmHeader> + Clone {
    (0u16..0xffff, 0u8..128, any::<bool>(), any::<u8>()).prop_map(
        |(class, field, has_mask, length)| OxmHeader {
            class,
            field,
            has_mask,
            length,
        },
    )
}

fn nonzero_header() -> impl Strategy<Value = OxmHeader> + Clone {
    header().prop_filter("zone field header must not be 0", |h| h.to_u32() != 0)
}

fn learn_spec() -> impl Strategy<Value = LearnSpec> {
    let dst = prop_oneof![
        (header(), any::<u16>()).prop_map(|(field, ofs)| LearnDst::Match { field, ofs }),
        (header(), any::<u16>()).prop_map(|(field, ofs)| LearnDst::Load { field, ofs }),
        Just(LearnDst::Output),
    ];
    (1u16..1024, any::<bool>(), header(), any::<u16>(), dst).prop_flat_map(
        |(n_bits, imm, field, ofs, dst)| {
            let n = 2 * usize::from(n_bits).div_ceil(16);
            vec(any::<u8>(), n).prop_map(move |v| LearnSpec {
                n_bits,
                src: if imm {
                    LearnSrc::Immediate(v)
                } else {
                    LearnSrc::Field { field, ofs }
                },
                dst,
            })
        },
    )
}

fn nat() -> impl Strategy<Value = NatAction> {
    (
        any::<u16>(),
        option::of(ip4()),
        option::of(ip4()),
        option::of(ip6()),
        option::of(ip6()),
        option::of(any::<u16>()),
        option::of(any::<u16>()),
    )
        .prop_map(
            |(flags, ipv4_min, ipv4_max, ipv6_min, ipv6_max, proto_min, proto_max)| NatAction {
                flags,
                ipv4_min,
                ipv4_max,
                ipv6_min,
                ipv6_max,
                proto_min,
                proto_max,
            },
        )
}

fn simple_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (any::<u32>(), any::<u16>()).prop_map(|(port, max_len)| Action::Output { port, max_len }),
        Just(Action::CopyTtlOut),
        Just(Action::CopyTtlIn),
        any::<u8>().prop_map(Action::SetMplsTtl),
        Just(Action::DecMplsTtl),
        any::<u16>().prop_map(Action::PushVlan),
        Just(Action::PopVlan),
        any::<u16>().prop_map(Action::PushMpls),
        any::<u16>().prop_map(Action::PopMpls),
        any::<u32>().prop_map(Action::SetQueue),
        any::<u32>().prop_map(Action::Group),
        any::<u8>().prop_map(Action::SetNwTtl),
        Just(Action::DecNwTtl),
        oxm().prop_map(Action::SetField),
        any::<u16>().prop_map(Action::PushPbb),
        Just(Action::PopPbb),
        (
            any::<u32>().prop_filter("not Nicira", |e| *e != NX_VENDOR),
            (0usize..3).prop_flat_map(|n| vec(any::<u8>(), n * 8))
        )
            .prop_map(|(experimenter, data)| Action::Experimenter { experimenter, data }),
        (
            28u16..0xffff,
            (0usize..3).prop_flat_map(|n| vec(any::<u8>(), n * 8 + 4))
        )
            .prop_map(|(action_type, data)| Action::Unknown { action_type, data }),
    ]
}

const NX_VENDOR: u32 = crate::action::NX_VENDOR_ID;

fn nx_action() -> impl Strategy<Value = NxAction> {
    let ofs = 0u16..1024;
    let n_bits = 1u8..=64;
    let a = prop_oneof![
        any::<u16>().prop_map(|in_port| NxAction::Resubmit { in_port }),
        (any::<u16>(), any::<u8>())
            .prop_map(|(in_port, table)| NxAction::ResubmitTable { in_port, table }),
        (any::<u16>(), any::<u16>(), any::<u16>(), header(), header()).prop_map(
            |(n_bits, src_ofs, dst_ofs, src, dst)| NxAction::RegMove {
                n_bits,
                src_ofs,
                dst_ofs,
                src,
                dst
            }
        ),
        (header(), ofs.clone(), n_bits.clone(), any::<u64>()).prop_map(
            |(dst, ofs, n_bits, value)| NxAction::RegLoad {
                dst,
                ofs,
                n_bits,
                value
            }
        ),
        oxm().prop_map(NxAction::RegLoad2),
        (vec(any::<u8>(), 0..20), 1u8..=255).prop_map(|(mut v, last)| {
            v.push(last);
            NxAction::Note(v)
        }),
        (header(), ofs.clone(), n_bits.clone(), any::<u16>()).prop_map(
            |(src, ofs, n_bits, max_len)| NxAction::OutputReg {
                src,
                ofs,
                n_bits,
                max_len
            }
        ),
        (
            header(),
            any::<u32>(),
            ofs.clone(),
            n_bits.clone(),
            any::<u16>()
        )
            .prop_map(|(src, e, ofs, n_bits, max_len)| NxAction::OutputReg2 {
                src,
                src_experimenter: (src.class == 0xffff).then_some(e),
                ofs,
                n_bits,
                max_len
            }),
        (
            any::<[u16; 5]>(),
            any::<u64>(),
            any::<u16>(),
            any::<u8>(),
            vec(learn_spec(), 0..4)
        )
            .prop_map(|(t, cookie, flags, table_id, specs)| {
                NxAction::Learn(LearnAction {
                    idle_timeout: t[0],
                    hard_timeout: t[1],
                    priority: t[2],
                    cookie,
                    flags,
                    table_id,
                    fin_idle_timeout: t[3],
                    fin_hard_timeout: t[4],
                    specs,
                })
            }),
        Just(NxAction::DecTtl),
        vec(any::<u16>(), 0..6).prop_map(NxAction::DecTtlCntIds),
        (any::<u8>(), any::<u8>(), any::<u32>()).prop_map(|(clause, n_clauses, id)| {
            NxAction::Conjunction {
                clause,
                n_clauses,
                id,
            }
        }),
        nat().prop_map(NxAction::Nat),
        Just(NxAction::CtClear),
    ];
    let zone = prop_oneof![
        any::<u16>().prop_map(CtZone::Immediate),
        (nonzero_header(), ofs, n_bits).prop_map(|(field, ofs, n_bits)| CtZone::Field {
            field,
            ofs,
            n_bits
        }),
    ];
    let inner = prop_oneof![
        nat().prop_map(|n| Action::Nicira(NxAction::Nat(n))),
        oxm().prop_map(Action::SetField),
        Just(Action::Nicira(NxAction::CtClear)),
    ];
    prop_oneof![
        4 => a,
        1 => (any::<u16>(), zone, any::<u8>(), any::<u16>(), vec(inner, 0..3)).prop_map(
            |(flags, zone, recirc_table, alg, actions)| NxAction::Ct(CtAction {
                flags,
                zone,
                recirc_table,
                alg,
                actions
            })
        ),
    ]
}

pub(crate) fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => simple_action(),
        1 => nx_action().prop_map(Action::Nicira),
    ]
}

pub(crate) fn instruction() -> impl Strategy<Value = Instruction> {
    prop_oneof![
        any::<u8>().prop_map(Instruction::GotoTable),
        (any::<u64>(), any::<u64>())
            .prop_map(|(metadata, mask)| Instruction::WriteMetadata { metadata, mask }),
        vec(action(), 0..4).prop_map(Instruction::WriteActions),
        vec(action(), 0..4).prop_map(Instruction::ApplyActions),
        Just(Instruction::ClearActions),
        any::<u32>().prop_map(Instruction::Meter),
        (
            any::<u32>(),
            (0usize..3).prop_flat_map(|n| vec(any::<u8>(), n * 8))
        )
            .prop_map(|(experimenter, data)| Instruction::Experimenter { experimenter, data }),
        (
            7u16..0xffff,
            (0usize..3).prop_flat_map(|n| vec(any::<u8>(), n * 8 + 4))
        )
            .prop_map(|(instruction_type, data)| Instruction::Unknown {
                instruction_type,
                data
            }),
    ]
}

fn ofmatch() -> impl Strategy<Value = Match> {
    vec(oxm(), 0..5).prop_map(|fields| Match { fields })
}

fn hello() -> impl Strategy<Value = Hello> {
    let e = prop_oneof![
        vec(any::<u32>(), 0..3).prop_map(HelloElement::VersionBitmap),
        (2u16..=0xffff, vec(any::<u8>(), 0..12))
            .prop_map(|(element_type, data)| HelloElement::Unknown { element_type, data }),
    ];
    vec(e, 0..3).prop_map(|elements| Hello { elements })
}

fn error_msg() -> impl Strategy<Value = ErrorMsg> {
    (
        any::<u16>(),
        any::<u16>(),
        any::<u32>(),
        vec(any::<u8>(), 0..16),
    )
        .prop_map(|(t, code, experimenter, data)| {
            let mut kind = ErrorKind::from_type_code(t, code);
            if let ErrorKind::Experimenter {
                experimenter: e, ..
            } = &mut kind
            {
                *e = experimenter;
            }
            ErrorMsg { kind, data }
        })
}

fn port() -> impl Strategy<Value = Port> {
    (any::<u32>(), mac(), any::<[u8; 16]>(), any::<[u32; 8]>()).prop_map(
        |(port_no, hw_addr, name, v)| Port {
            port_no,
            hw_addr,
            name,
            config: v[0],
            state: v[1],
            curr: v[2],
            advertised: v[3],
            supported: v[4],
            peer: v[5],
            curr_speed: v[6],
            max_speed: v[7],
        },
    )
}

fn bucket() -> impl Strategy<Value = Bucket> {
    (
        any::<u16>(),
        any::<u32>(),
        any::<u32>(),
        vec(action(), 0..3),
    )
        .prop_map(|(weight, watch_port, watch_group, actions)| Bucket {
            weight,
            watch_port,
            watch_group,
            actions,
        })
}

fn band() -> impl Strategy<Value = MeterBand> {
    prop_oneof![
        (any::<u32>(), any::<u32>())
            .prop_map(|(rate, burst_size)| MeterBand::Drop { rate, burst_size }),
        (any::<u32>(), any::<u32>(), any::<u8>()).prop_map(|(rate, burst_size, prec_level)| {
            MeterBand::DscpRemark {
                rate,
                burst_size,
                prec_level,
            }
        }),
        (
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            vec(any::<u8>(), 0..8)
        )
            .prop_map(
                |(rate, burst_size, experimenter, data)| MeterBand::Experimenter {
                    rate,
                    burst_size,
                    experimenter,
                    data
                }
            ),
        (
            3u16..0xffff,
            any::<u32>(),
            any::<u32>(),
            vec(any::<u8>(), 0..8)
        )
            .prop_map(|(band_type, rate, burst_size, data)| MeterBand::Unknown {
                band_type,
                rate,
                burst_size,
                data
            }),
    ]
}

fn queue() -> impl Strategy<Value = PacketQueue> {
    let prop = prop_oneof![
        any::<u16>().prop_map(QueueProperty::MinRate),
        any::<u16>().prop_map(QueueProperty::MaxRate),
        (any::<u32>(), vec(any::<u8>(), 0..8))
            .prop_map(|(experimenter, data)| QueueProperty::Experimenter { experimenter, data }),
        (3u16..0xffff, vec(any::<u8>(), 0..8))
            .prop_map(|(property, data)| QueueProperty::Unknown { property, data }),
    ];
    (any::<u32>(), any::<u32>(), vec(prop, 0..3)).prop_map(|(queue_id, port, properties)| {
        PacketQueue {
            queue_id,
            port,
            properties,
        }
    })
}

fn flow_mod() -> impl Strategy<Value = FlowMod> {
    (
        any::<(u64, u64, u8, u8, u16, u16, u16)>(),
        any::<(u32, u32, u32, u16)>(),
        ofmatch(),
        vec(instruction(), 0..4),
    )
        .prop_map(|(a, b, m, instructions)| FlowMod {
            cookie: a.0,
            cookie_mask: a.1,
            table_id: a.2,
            command: a.3,
            idle_timeout: a.4,
            hard_timeout: a.5,
            priority: a.6,
            buffer_id: b.0,
            out_port: b.1,
            out_group: b.2,
            flags: b.3,
            r#match: m,
            instructions,
        })
}

fn body_v13() -> impl Strategy<Value = Body> {
    let bytes = || vec(any::<u8>(), 0..24);
    let cfg = || {
        any::<(u16, u16)>().prop_map(|(flags, miss_send_len)| SwitchConfig {
            flags,
            miss_send_len,
        })
    };
    let role = || {
        any::<(u32, u64)>().prop_map(|(role, generation_id)| Role {
            role,
            generation_id,
        })
    };
    let asy = || {
        any::<[u32; 6]>().prop_map(|v| AsyncConfig {
            packet_in_mask: [v[0], v[1]],
            port_status_mask: [v[2], v[3]],
            flow_removed_mask: [v[4], v[5]],
        })
    };
    let mp = || {
        (any::<u16>(), any::<u16>(), vec(any::<u8>(), 0..24)).prop_map(|(mp_type, flags, body)| {
            Multipart {
                mp_type,
                flags,
                body,
            }
        })
    };
    Union::new(vec![
        hello().prop_map(Body::Hello).boxed(),
        error_msg().prop_map(Body::Error).boxed(),
        bytes().prop_map(Body::EchoRequest).boxed(),
        bytes().prop_map(Body::EchoReply).boxed(),
        (any::<u32>(), any::<u32>(), bytes())
            .prop_map(|(experimenter, exp_type, data)| {
                Body::Experimenter(ExperimenterMsg {
                    experimenter,
                    exp_type,
                    data,
                })
            })
            .boxed(),
        Just(Body::FeaturesRequest).boxed(),
        any::<(u64, u32, u8, u8, u32, u32)>()
            .prop_map(|v| {
                Body::FeaturesReply(FeaturesReply {
                    datapath_id: v.0,
                    n_buffers: v.1,
                    n_tables: v.2,
                    auxiliary_id: v.3,
                    capabilities: v.4,
                    reserved: v.5,
                })
            })
            .boxed(),
        Just(Body::GetConfigRequest).boxed(),
        cfg().prop_map(Body::GetConfigReply).boxed(),
        cfg().prop_map(Body::SetConfig).boxed(),
        (any::<(u32, u16, u8, u8, u64)>(), ofmatch(), bytes())
            .prop_map(|(v, m, data)| {
                Body::PacketIn(PacketIn {
                    buffer_id: v.0,
                    total_len: v.1,
                    reason: v.2,
                    table_id: v.3,
                    cookie: v.4,
                    r#match: m,
                    data,
                })
            })
            .boxed(),
        (
            any::<(u64, u16, u8, u8, u32, u32)>(),
            any::<(u16, u16, u64, u64)>(),
            ofmatch(),
        )
            .prop_map(|(a, b, m)| {
                Body::FlowRemoved(FlowRemoved {
                    cookie: a.0,
                    priority: a.1,
                    reason: a.2,
                    table_id: a.3,
                    duration_sec: a.4,
                    duration_nsec: a.5,
                    idle_timeout: b.0,
                    hard_timeout: b.1,
                    packet_count: b.2,
                    byte_count: b.3,
                    r#match: m,
                })
            })
            .boxed(),
        (any::<u8>(), port())
            .prop_map(|(reason, desc)| Body::PortStatus(PortStatus { reason, desc }))
            .boxed(),
        (any::<u32>(), any::<u32>(), vec(action(), 0..4), bytes())
            .prop_map(|(buffer_id, in_port, actions, data)| {
                Body::PacketOut(PacketOut {
                    buffer_id,
                    in_port,
                    actions,
                    data,
                })
            })
            .boxed(),
        flow_mod().prop_map(Body::FlowMod).boxed(),
        (any::<u16>(), any::<u8>(), any::<u32>(), vec(bucket(), 0..3))
            .prop_map(|(command, group_type, group_id, buckets)| {
                Body::GroupMod(GroupMod {
                    command,
                    group_type,
                    group_id,
                    buckets,
                })
            })
            .boxed(),
        (any::<u32>(), mac(), any::<(u32, u32, u32)>())
            .prop_map(|(port_no, hw_addr, v)| {
                Body::PortMod(PortMod {
                    port_no,
                    hw_addr,
                    config: v.0,
                    mask: v.1,
                    advertise: v.2,
                })
            })
            .boxed(),
        any::<(u8, u32)>()
            .prop_map(|(table_id, config)| Body::TableMod(TableMod { table_id, config }))
            .boxed(),
        mp().prop_map(Body::MultipartRequest).boxed(),
        mp().prop_map(Body::MultipartReply).boxed(),
        Just(Body::BarrierRequest).boxed(),
        Just(Body::BarrierReply).boxed(),
        any::<u32>()
            .prop_map(|port| Body::QueueGetConfigRequest { port })
            .boxed(),
        (any::<u32>(), vec(queue(), 0..3))
            .prop_map(|(port, queues)| {
                Body::QueueGetConfigReply(QueueGetConfigReply { port, queues })
            })
            .boxed(),
        role().prop_map(Body::RoleRequest).boxed(),
        role().prop_map(Body::RoleReply).boxed(),
        Just(Body::GetAsyncRequest).boxed(),
        asy().prop_map(Body::GetAsyncReply).boxed(),
        asy().prop_map(Body::SetAsync).boxed(),
        (any::<u16>(), any::<u16>(), any::<u32>(), vec(band(), 0..3))
            .prop_map(|(command, flags, meter_id, bands)| {
                Body::MeterMod(MeterMod {
                    command,
                    flags,
                    meter_id,
                    bands,
                })
            })
            .boxed(),
        (30u8..=255, bytes())
            .prop_map(|(msg_type, data)| Body::Raw { msg_type, data })
            .boxed(),
    ])
}

pub(crate) fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        8 => (any::<u32>(), body_v13()).prop_map(|(xid, body)| Message::new(xid, body)),
        1 => (prop_oneof![1u8..4, 5u8..=255], any::<u32>(), hello())
            .prop_map(|(version, xid, h)| Message { version, xid, body: Body::Hello(h) }),
        1 => (prop_oneof![1u8..4, 5u8..=255], any::<u32>(), 1u8..=255, vec(any::<u8>(), 0..24))
            .prop_map(|(version, xid, msg_type, data)| Message { version, xid, body: Body::Raw { msg_type, data } }),
    ]
}

/// Round trip, exact length, 0xA5 prefill, and (when `truncations`) every
/// strict prefix an error.
macro_rules! round_trip {
    ($t:ty, $x:expr, $truncations:expr) => {{
        let x: &$t = $x;
        let bytes = x.to_bytes().unwrap();
        prop_assert_eq!(bytes.len(), x.encoded_len());
        let mut buf = vec![0xa5u8; bytes.len() + 7];
        let n = x.encode(&mut &mut buf[..]).unwrap();
        prop_assert_eq!(n, bytes.len());
        prop_assert_eq!(&buf[..n], &bytes[..]);
        prop_assert!(buf[n..].iter().all(|b| *b == 0xa5));
        let mut small = vec![0xa5u8; bytes.len().saturating_sub(1)];
        if !bytes.is_empty() {
            let too_small = matches!(
                x.encode(&mut &mut small[..]),
                Err(Error::BufferTooSmall { .. })
            );
            prop_assert!(too_small, "encode into a short buffer");
        }
        prop_assert_eq!(&<$t>::decode(&bytes).unwrap(), x);
        if $truncations {
            for cut in 0..bytes.len() {
                prop_assert!(
                    <$t>::decode(&bytes[..cut]).is_err(),
                    "prefix {} decoded",
                    cut
                );
            }
        }
    }};
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn oxm_round_trip(x in oxm()) {
        round_trip!(Oxm, &x, true);
    }

    #[test]
    fn match_round_trip(x in ofmatch()) {
        round_trip!(Match, &x, true);
    }

    #[test]
    fn action_round_trip(x in action()) {
        round_trip!(Action, &x, true);
    }

    #[test]
    fn instruction_round_trip(x in instruction()) {
        round_trip!(Instruction, &x, true);
    }

    #[test]
    fn hello_round_trip(x in hello()) {
        // A HELLO body has no length of its own: a prefix can be whole.
        round_trip!(Hello, &x, false);
    }

    #[test]
    fn message_round_trip(x in message()) {
        round_trip!(Message, &x, true);
    }

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        let _ = Message::decode(&bytes);
        let _ = Match::decode(&bytes);
        let _ = Oxm::decode(&bytes);
        let _ = Action::decode(&bytes);
        let _ = Action::decode_list(&bytes);
        let _ = Instruction::decode(&bytes);
        let _ = Hello::decode(&bytes);
        let mut f = Framer::new();
        f.feed(&bytes);
        for _ in 0..64 {
            match f.next_message() {
                Ok(Framed::NeedMore(_)) | Err(Error::BadLength { what: "OpenFlow message", .. }) => break,
                _ => {}
            }
        }
    }

    #[test]
    fn random_bodies_never_panic(t in any::<u8>(), body in vec(any::<u8>(), 0..200)) {
        // Valid header, random body of every message type.
        let mut bytes = vec![4, t, 0, 0, 0, 0, 0, 1];
        bytes.extend_from_slice(&body);
        let len = bytes.len() as u16;
        bytes[2..4].copy_from_slice(&len.to_be_bytes());
        if let Ok(m) = Message::decode(&bytes) {
            // Whatever decodes re-encodes to something that decodes the same.
            let again = m.to_bytes().unwrap();
            prop_assert_eq!(Message::decode(&again).unwrap(), m);
        }
    }
}
