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

use crate::action::{
    Controller2Prop, CtAction, CtZone, LearnAction, LearnDst, LearnSpec, LearnSrc, NatAction,
    SampleAction, StackAction,
};
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
        CtLabel(any::<u128>()),
        ConjId(any::<u32>()),
        NxArpSha(mac()),
        NxArpTha(mac()),
        NxIpv6Src(ip6()),
        NxIpv6Dst(ip6()),
        NxIcmpv6Type(any::<u8>()),
        NxIcmpv6Code(any::<u8>()),
        NxNdTarget(ip6()),
        NxNdSll(mac()),
        NxNdTll(mac()),
        NxIpFrag(any::<u8>()),
        NxIpv6Label(any::<u32>()),
        NxIpEcn(any::<u8>()),
        NxIpTtl(any::<u8>()),
        NxTcpFlags(any::<u16>()),
        NxDpHash(any::<u32>()),
        NxRecircId(any::<u32>()),
        NxTunGbpId(any::<u16>()),
        NxTunGbpFlags(any::<u8>()),
        NxmInPort(any::<u16>()),
        NxmEthDst(mac()),
        NxmEthSrc(mac()),
        NxmEthType(any::<u16>()),
        NxmVlanTci(any::<u16>()),
        NxmIpTos(any::<u8>()),
        NxmIpProto(any::<u8>()),
        NxmIpSrc(ip4()),
        NxmIpDst(ip4()),
        NxmTcpSrc(any::<u16>()),
        NxmTcpDst(any::<u16>()),
        NxmUdpSrc(any::<u16>()),
        NxmUdpDst(any::<u16>()),
        NxmIcmpType(any::<u8>()),
        NxmIcmpCode(any::<u8>()),
        NxmArpOp(any::<u16>()),
        NxmArpSpa(ip4()),
        NxmArpTpa(ip4()),
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

fn controller2_prop() -> impl Strategy<Value = Controller2Prop> {
    prop_oneof![
        any::<u16>().prop_map(Controller2Prop::MaxLen),
        any::<u16>().prop_map(Controller2Prop::ControllerId),
        any::<u8>().prop_map(Controller2Prop::Reason),
        vec(any::<u8>(), 0..12).prop_map(Controller2Prop::Userdata),
        Just(Controller2Prop::Pause),
        any::<u32>().prop_map(Controller2Prop::MeterId),
        // Known types with another size, and unknown types, stay raw.
        (0u16..6, vec(any::<u8>(), 5..7))
            .prop_filter("not USERDATA", |(t, _)| *t != 3)
            .prop_map(|(prop_type, data)| Controller2Prop::Unknown { prop_type, data }),
        (6u16..=0xffff, vec(any::<u8>(), 0..12))
            .prop_map(|(prop_type, data)| Controller2Prop::Unknown { prop_type, data }),
    ]
}

fn stack() -> impl Strategy<Value = StackAction> {
    (header(), any::<u32>(), any::<u16>(), any::<u16>()).prop_map(|(field, e, offset, n_bits)| {
        StackAction {
            field,
            experimenter: (field.class == 0xffff).then_some(e),
            offset,
            n_bits,
        }
    })
}

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
    let b = prop_oneof![
        (any::<u16>(), any::<u16>()).prop_map(|(fin_idle_timeout, fin_hard_timeout)| {
            NxAction::FinTimeout {
                fin_idle_timeout,
                fin_hard_timeout,
            }
        }),
        (any::<u16>(), any::<u16>(), any::<u8>()).prop_map(|(max_len, controller_id, reason)| {
            NxAction::Controller {
                max_len,
                controller_id,
                reason,
            }
        }),
        vec(controller2_prop(), 0..4).prop_map(NxAction::Controller2),
        (any::<bool>(), stack()).prop_map(|(push, s)| if push {
            NxAction::StackPush(s)
        } else {
            NxAction::StackPop(s)
        }),
        (0u8..3, any::<(u16, u32, u32, u32, u16, u8)>()).prop_map(|(k, v)| {
            let mut s = SampleAction {
                probability: v.0,
                collector_set_id: v.1,
                obs_domain_id: v.2,
                obs_point_id: v.3,
                sampling_port: v.4,
                direction: v.5,
            };
            match k {
                0 => {
                    s.sampling_port = 0;
                    s.direction = 0;
                    NxAction::Sample(s)
                }
                1 => {
                    s.direction = 0;
                    NxAction::Sample2(s)
                }
                _ => NxAction::Sample3(s),
            }
        }),
        (any::<u16>(), any::<u8>())
            .prop_map(|(in_port, table)| NxAction::ResubmitTableCt { in_port, table }),
        (any::<u16>(), any::<u32>())
            .prop_map(|(port, max_len)| NxAction::OutputTrunc { port, max_len }),
    ];
    let a = prop_oneof![3 => a, 2 => b];
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

fn flow_stats_request() -> impl Strategy<Value = FlowStatsRequest> {
    (any::<(u8, u32, u32, u64, u64)>(), ofmatch()).prop_map(|(v, m)| FlowStatsRequest {
        table_id: v.0,
        out_port: v.1,
        out_group: v.2,
        cookie: v.3,
        cookie_mask: v.4,
        r#match: m,
    })
}

fn flow_stats() -> impl Strategy<Value = FlowStats> {
    (
        any::<(u8, u32, u32, u16, u16, u16, u16)>(),
        any::<(u64, u64, u64)>(),
        ofmatch(),
        vec(instruction(), 0..3),
    )
        .prop_map(|(a, b, m, instructions)| FlowStats {
            table_id: a.0,
            duration_sec: a.1,
            duration_nsec: a.2,
            priority: a.3,
            idle_timeout: a.4,
            hard_timeout: a.5,
            flags: a.6,
            cookie: b.0,
            packet_count: b.1,
            byte_count: b.2,
            r#match: m,
            instructions,
        })
}

fn desc() -> impl Strategy<Value = Desc> {
    // Trailing NULs are padding: a field never ends with one.
    let s = |n: usize| {
        vec(any::<u8>(), 0..=n).prop_map(|mut v| {
            while v.last() == Some(&0) {
                v.pop();
            }
            v
        })
    };
    (s(256), s(256), s(256), s(32), s(256)).prop_map(|(a, b, c, d, e)| Desc {
        mfr_desc: a,
        hw_desc: b,
        sw_desc: c,
        serial_num: d,
        dp_desc: e,
    })
}

fn port_stats() -> impl Strategy<Value = PortStats> {
    (any::<u32>(), any::<[u64; 12]>(), any::<(u32, u32)>()).prop_map(|(port_no, c, d)| PortStats {
        port_no,
        rx_packets: c[0],
        tx_packets: c[1],
        rx_bytes: c[2],
        tx_bytes: c[3],
        rx_dropped: c[4],
        tx_dropped: c[5],
        rx_errors: c[6],
        tx_errors: c[7],
        rx_frame_err: c[8],
        rx_over_err: c[9],
        rx_crc_err: c[10],
        collisions: c[11],
        duration_sec: d.0,
        duration_nsec: d.1,
    })
}

fn item_id() -> impl Strategy<Value = ItemId> {
    (any::<u16>(), vec(any::<u8>(), 0..9)).prop_map(|(item_type, data)| ItemId { item_type, data })
}

fn oxm_id() -> impl Strategy<Value = OxmId> {
    (header(), any::<u32>()).prop_map(|(header, e)| OxmId {
        header,
        experimenter: (header.class == 0xffff).then_some(e),
    })
}

fn table_feature_prop() -> impl Strategy<Value = TableFeatureProp> {
    use TableFeatureProp as P;
    prop_oneof![
        (any::<bool>(), vec(item_id(), 0..4)).prop_map(|(miss, ids)| P::Instructions { miss, ids }),
        (any::<bool>(), vec(any::<u8>(), 0..20))
            .prop_map(|(miss, tables)| P::NextTables { miss, tables }),
        (any::<bool>(), vec(item_id(), 0..4)).prop_map(|(miss, ids)| P::WriteActions { miss, ids }),
        (any::<bool>(), vec(item_id(), 0..4)).prop_map(|(miss, ids)| P::ApplyActions { miss, ids }),
        vec(oxm_id(), 0..5).prop_map(P::Match),
        vec(oxm_id(), 0..5).prop_map(P::Wildcards),
        (any::<bool>(), vec(oxm_id(), 0..5))
            .prop_map(|(miss, fields)| P::WriteSetfield { miss, fields }),
        (any::<bool>(), vec(oxm_id(), 0..5))
            .prop_map(|(miss, fields)| P::ApplySetfield { miss, fields }),
        (any::<(bool, u32, u32)>(), vec(any::<u8>(), 0..12)).prop_map(|(v, data)| {
            P::Experimenter {
                miss: v.0,
                experimenter: v.1,
                exp_type: v.2,
                data,
            }
        }),
        (
            prop_oneof![Just(9u16), Just(11u16), 16u16..0xfffe],
            vec(any::<u8>(), 0..12)
        )
            .prop_map(|(prop_type, data)| P::Unknown { prop_type, data }),
    ]
}

fn table_features() -> impl Strategy<Value = TableFeatures> {
    (
        any::<u8>(),
        any::<[u8; 32]>(),
        any::<(u64, u64, u32, u32)>(),
        vec(table_feature_prop(), 0..4),
    )
        .prop_map(|(table_id, name, v, properties)| TableFeatures {
            table_id,
            name,
            metadata_match: v.0,
            metadata_write: v.1,
            config: v.2,
            max_entries: v.3,
            properties,
        })
}

fn experimenter_msg() -> impl Strategy<Value = ExperimenterMsg> {
    (any::<u32>(), any::<u32>(), vec(any::<u8>(), 0..16)).prop_map(
        |(experimenter, exp_type, data)| ExperimenterMsg {
            experimenter,
            exp_type,
            data,
        },
    )
}

pub(crate) fn mp_request() -> impl Strategy<Value = MultipartRequest> {
    use MultipartRequestBody as Q;
    let body = prop_oneof![
        Just(Q::Desc),
        flow_stats_request().prop_map(Q::Flow),
        flow_stats_request().prop_map(Q::Aggregate),
        Just(Q::Table),
        any::<u32>().prop_map(|port_no| Q::PortStats { port_no }),
        any::<(u32, u32)>().prop_map(|(port_no, queue_id)| Q::Queue { port_no, queue_id }),
        any::<u32>().prop_map(|group_id| Q::Group { group_id }),
        Just(Q::GroupDesc),
        Just(Q::GroupFeatures),
        any::<u32>().prop_map(|meter_id| Q::Meter { meter_id }),
        any::<u32>().prop_map(|meter_id| Q::MeterConfig { meter_id }),
        Just(Q::MeterFeatures),
        vec(table_features(), 0..3).prop_map(Q::TableFeatures),
        Just(Q::PortDesc),
        experimenter_msg().prop_map(Q::Experimenter),
        (14u16..0xffff, vec(any::<u8>(), 0..16))
            .prop_map(|(mp_type, data)| Q::Unknown { mp_type, data }),
    ];
    (any::<u16>(), body).prop_map(|(flags, body)| MultipartRequest { flags, body })
}

pub(crate) fn mp_reply() -> impl Strategy<Value = MultipartReply> {
    use MultipartReplyBody as R;
    let body = Union::new(vec![
        desc().prop_map(|d| R::Desc(Box::new(d))).boxed(),
        vec(flow_stats(), 0..3).prop_map(R::Flow).boxed(),
        any::<(u64, u64, u32)>()
            .prop_map(|v| {
                R::Aggregate(AggregateStats {
                    packet_count: v.0,
                    byte_count: v.1,
                    flow_count: v.2,
                })
            })
            .boxed(),
        vec(any::<(u8, u32, u64, u64)>(), 0..3)
            .prop_map(|v| {
                R::Table(
                    v.into_iter()
                        .map(|t| TableStats {
                            table_id: t.0,
                            active_count: t.1,
                            lookup_count: t.2,
                            matched_count: t.3,
                        })
                        .collect(),
                )
            })
            .boxed(),
        vec(port_stats(), 0..3).prop_map(R::PortStats).boxed(),
        vec(any::<(u32, u32, u64, u64, u64, u32, u32)>(), 0..3)
            .prop_map(|v| {
                R::Queue(
                    v.into_iter()
                        .map(|q| QueueStats {
                            port_no: q.0,
                            queue_id: q.1,
                            tx_bytes: q.2,
                            tx_packets: q.3,
                            tx_errors: q.4,
                            duration_sec: q.5,
                            duration_nsec: q.6,
                        })
                        .collect(),
                )
            })
            .boxed(),
        vec(
            (
                any::<(u32, u32, u64, u64, u32, u32)>(),
                vec(any::<(u64, u64)>(), 0..3),
            ),
            0..3,
        )
        .prop_map(|v| {
            R::Group(
                v.into_iter()
                    .map(|(g, b)| GroupStats {
                        group_id: g.0,
                        ref_count: g.1,
                        packet_count: g.2,
                        byte_count: g.3,
                        duration_sec: g.4,
                        duration_nsec: g.5,
                        bucket_stats: b
                            .into_iter()
                            .map(|(packet_count, byte_count)| BucketCounter {
                                packet_count,
                                byte_count,
                            })
                            .collect(),
                    })
                    .collect(),
            )
        })
        .boxed(),
        vec((any::<u8>(), any::<u32>(), vec(bucket(), 0..3)), 0..3)
            .prop_map(|v| {
                R::GroupDesc(
                    v.into_iter()
                        .map(|(group_type, group_id, buckets)| GroupDesc {
                            group_type,
                            group_id,
                            buckets,
                        })
                        .collect(),
                )
            })
            .boxed(),
        any::<(u32, u32, [u32; 4], [u32; 4])>()
            .prop_map(|v| {
                R::GroupFeatures(GroupFeatures {
                    types: v.0,
                    capabilities: v.1,
                    max_groups: v.2,
                    actions: v.3,
                })
            })
            .boxed(),
        vec(
            (
                any::<(u32, u32, u64, u64, u32, u32)>(),
                vec(any::<(u64, u64)>(), 0..3),
            ),
            0..3,
        )
        .prop_map(|v| {
            R::Meter(
                v.into_iter()
                    .map(|(m, b)| MeterStats {
                        meter_id: m.0,
                        flow_count: m.1,
                        packet_in_count: m.2,
                        byte_in_count: m.3,
                        duration_sec: m.4,
                        duration_nsec: m.5,
                        band_stats: b
                            .into_iter()
                            .map(|(packet_band_count, byte_band_count)| MeterBandStats {
                                packet_band_count,
                                byte_band_count,
                            })
                            .collect(),
                    })
                    .collect(),
            )
        })
        .boxed(),
        vec((any::<u16>(), any::<u32>(), vec(band(), 0..3)), 0..3)
            .prop_map(|v| {
                R::MeterConfig(
                    v.into_iter()
                        .map(|(flags, meter_id, bands)| MeterConfig {
                            flags,
                            meter_id,
                            bands,
                        })
                        .collect(),
                )
            })
            .boxed(),
        any::<(u32, u32, u32, u8, u8)>()
            .prop_map(|v| {
                R::MeterFeatures(MeterFeatures {
                    max_meter: v.0,
                    band_types: v.1,
                    capabilities: v.2,
                    max_bands: v.3,
                    max_color: v.4,
                })
            })
            .boxed(),
        vec(table_features(), 0..3)
            .prop_map(R::TableFeatures)
            .boxed(),
        vec(port(), 0..3).prop_map(R::PortDesc).boxed(),
        experimenter_msg().prop_map(R::Experimenter).boxed(),
        (14u16..0xffff, vec(any::<u8>(), 0..16))
            .prop_map(|(mp_type, data)| R::Unknown { mp_type, data })
            .boxed(),
    ]);
    (any::<u16>(), body).prop_map(|(flags, body)| MultipartReply { flags, body })
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
        mp_request().prop_map(Body::MultipartRequest).boxed(),
        mp_reply().prop_map(Body::MultipartReply).boxed(),
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

/// The fast encode path of [`Message`] writes what the general one does
/// and fails (if at all) the same way, into a vector, a slice and a short
/// slice.
fn fast_vs_general(x: &Message) -> Result<(), TestCaseError> {
    let mut general = Vec::new();
    let g = x.encode_general(&mut general);
    let mut fast = Vec::new();
    prop_assert_eq!(x.encode(&mut fast), g.clone());
    prop_assert_eq!(&fast, &general);
    match x.to_bytes() {
        Ok(b) => prop_assert_eq!(&b, &general),
        Err(e) => prop_assert_eq!(Err(e), g.clone()),
    }
    for len in [general.len(), general.len().saturating_sub(1), 0] {
        let mut a = vec![0xa5u8; len];
        let mut b = vec![0xa5u8; len];
        prop_assert_eq!(x.encode(&mut &mut a[..]), x.encode_general(&mut &mut b[..]));
        if g.is_ok() && len == general.len() {
            prop_assert_eq!(&a, &b);
        }
    }
    Ok(())
}

/// The borrowed view decodes `bytes` exactly as the owned decoder: the
/// same message (through [`view::MessageRef::to_message`]) or the same
/// error, and its lists iterate to the owned lists.
fn view_is_owned(bytes: &[u8]) -> Result<(), TestCaseError> {
    let owned = Message::decode(bytes);
    let view = view::MessageRef::decode(bytes);
    match (&view, &owned) {
        (Ok(v), Ok(m)) => {
            prop_assert_eq!(&v.to_message(), m);
            prop_assert_eq!(v.msg_type(), m.body.msg_type());
            match (&v.body, &m.body) {
                (view::BodyRef::PacketIn(p), Body::PacketIn(q)) => {
                    prop_assert_eq!(p.data, &q.data[..]);
                    prop_assert_eq!(p.r#match.len(), q.r#match.fields.len());
                    prop_assert!(p.r#match.iter().eq(q.r#match.fields.iter().cloned()));
                    for o in q.r#match.fields.iter().chain([&Oxm::InPort(0.into())]) {
                        let (c, f) = (o.class(), o.field());
                        prop_assert_eq!(p.r#match.get(c, f), q.r#match.get(c, f).cloned());
                    }
                }
                (view::BodyRef::FlowMod(f), Body::FlowMod(g)) => {
                    prop_assert_eq!(f.instructions.len(), g.instructions.len());
                    for (i, j) in f.instructions.iter().zip(&g.instructions) {
                        if let (
                            view::InstructionRef::ApplyActions(a)
                            | view::InstructionRef::WriteActions(a),
                            Instruction::ApplyActions(b) | Instruction::WriteActions(b),
                        ) = (&i, j)
                        {
                            prop_assert!(a.iter().eq(b.iter().cloned()));
                            prop_assert_eq!(a.len(), b.len());
                        }
                        prop_assert_eq!(&i.to_instruction(), j);
                    }
                }
                (view::BodyRef::FlowStatsReply(s), Body::MultipartReply(r)) => {
                    prop_assert_eq!(&MultipartReplyBody::Flow(s.entries.to_vec()), &r.body);
                    prop_assert_eq!(s.flags, r.flags);
                }
                (view::BodyRef::Owned(b), other) => prop_assert_eq!(b, other),
                (v, m) => prop_assert!(false, "view {:?} for {:?}", v, m),
            }
        }
        _ => prop_assert_eq!(view.map(|v| v.to_message()), owned),
    }
    Ok(())
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
    fn multipart_request_round_trip(x in mp_request(), xid in any::<u32>()) {
        round_trip!(Message, &Message::new(xid, Body::MultipartRequest(x)), true);
    }

    #[test]
    fn multipart_reply_round_trip(x in mp_reply(), xid in any::<u32>()) {
        round_trip!(Message, &Message::new(xid, Body::MultipartReply(x)), true);
    }

    #[test]
    fn split_then_reassemble(x in mp_reply(), max in 300usize..3000) {
        let x = MultipartReply { flags: 0, ..x };
        if let Ok(parts) = x.split(max) {
            let mut re = Reassembler::default();
            let n = parts.len();
            for (i, p) in parts.into_iter().enumerate() {
                let msg = Message::new(7, Body::MultipartReply(p));
                prop_assert!(msg.encoded_len() <= max);
                let bytes = msg.to_bytes().unwrap();
                let out = re.feed(Message::decode(&bytes).unwrap()).unwrap();
                if i + 1 < n {
                    prop_assert_eq!(out, None);
                } else {
                    prop_assert_eq!(out, Some(Message::new(7, Body::MultipartReply(x.clone()))));
                }
            }
            prop_assert_eq!(re.buffered_bytes(), 0);
        } else {
            // Only bodies (or entries) too large for one part fail.
            prop_assert!(x.encoded_len() + 8 > max);
        }
    }

    #[test]
    fn fast_encode_is_the_general_encode(x in message()) {
        fast_vs_general(&x)?;
    }

    #[test]
    fn fast_encode_flow_mod(f in flow_mod(), xid in any::<u32>(), version in prop_oneof![4 => Just(4u8), 1 => any::<u8>()]) {
        fast_vs_general(&Message { version, xid, body: Body::FlowMod(f) })?;
    }

    #[test]
    fn fast_encode_packet_in(
        v in any::<(u32, u16, u8, u8, u64)>(),
        m in ofmatch(),
        data in prop_oneof![vec(any::<u8>(), 0..300), vec(any::<u8>(), 65400..65600)],
        xid in any::<u32>(),
    ) {
        let p = PacketIn { buffer_id: v.0, total_len: v.1, reason: v.2, table_id: v.3, cookie: v.4, r#match: m, data };
        fast_vs_general(&Message::new(xid, Body::PacketIn(p)))?;
    }

    #[test]
    fn oxm_check_is_the_decoders_check(
        class in prop_oneof![Just(0x8000u16), Just(0x0000), Just(0x0001), Just(0x8001), Just(0xffff), any::<u16>()],
        field in 0u8..128,
        has_mask in any::<bool>(),
        length in prop_oneof![0u8..40, any::<u8>()],
        payload in vec(any::<u8>(), 0..48),
    ) {
        // Every (class, field, mask, length) the view may meet: the check
        // and the decoder agree on the error and on where they stop.
        let h = OxmHeader { class, field, has_mask, length }.to_u32();
        let mut bytes = h.to_be_bytes().to_vec();
        bytes.extend_from_slice(&payload);
        let mut a = crate::codec::Reader::new(&bytes);
        let mut b = a.clone();
        let mut slot = Oxm::PLACEHOLDER;
        let checked = Oxm::check(&mut a);
        prop_assert_eq!(&checked, &Oxm::read_to(&mut b, &mut slot));
        if checked.is_ok() {
            prop_assert_eq!(a.offset(), b.offset());
        }
    }

    #[test]
    fn action_check_is_the_decoders_check(
        x in action(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
        cut in any::<prop::sample::Index>(),
    ) {
        // An action's bytes, a few changed, cut anywhere: the view's check
        // and the list decoder agree on the error and on where they stop.
        let mut bytes = x.to_bytes().unwrap();
        for (pos, byte) in edits {
            let i = pos.index(bytes.len());
            bytes[i] = byte;
        }
        let bytes = &bytes[..cut.index(bytes.len() + 1)];
        let mut a = crate::codec::Reader::new(bytes);
        let mut b = a.clone();
        let mut slot = Action::PLACEHOLDER;
        let checked = view::ActionsRef::check(&mut a);
        prop_assert_eq!(&checked, &Action::read_to(&mut b, 0, &mut slot));
        if checked.is_ok() {
            prop_assert_eq!(a.offset(), b.offset());
        }
    }

    #[test]
    fn view_decodes_as_the_owned_decoder(x in message(), cut in any::<prop::sample::Index>(), pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let bytes = x.to_bytes().unwrap();
        view_is_owned(&bytes)?;
        prop_assert_eq!(view::MessageRef::decode(&bytes).unwrap().to_message(), x);
        // A prefix, and one byte changed anywhere (lengths, types, fields).
        view_is_owned(&bytes[..cut.index(bytes.len() + 1)])?;
        let mut changed = bytes.clone();
        changed[pos.index(bytes.len())] = byte;
        view_is_owned(&changed)?;
    }

    #[test]
    fn view_of_a_changed_flow_mod_packet_in_or_flow_reply(
        which in 0usize..3,
        f in flow_mod(),
        s in vec(flow_stats(), 0..4),
        m in ofmatch(),
        data in vec(any::<u8>(), 0..64),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let body = match which {
            0 => Body::FlowMod(f),
            1 => Body::PacketIn(PacketIn { r#match: m, data, ..PacketIn::default() }),
            _ => Body::MultipartReply(MultipartReply::new(MultipartReplyBody::Flow(s))),
        };
        let mut bytes = Message::new(3, body).to_bytes().unwrap();
        // Every prefix as a whole message (its length field saying so):
        // the body ends inside each of its structures.
        for cut in 8..bytes.len() {
            let mut prefix = bytes[..cut].to_vec();
            prefix[2..4].copy_from_slice(&(cut as u16).to_be_bytes());
            view_is_owned(&prefix)?;
        }
        for (pos, byte) in edits {
            // Past the header, so that the body's own checks are hit.
            if bytes.len() > 8 {
                let i = 8 + pos.index(bytes.len() - 8);
                bytes[i] = byte;
            }
        }
        view_is_owned(&bytes)?;
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
        view_is_owned(&bytes)?;
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
        view_is_owned(&bytes)?;
        if let Ok(m) = Message::decode(&bytes) {
            // Whatever decodes re-encodes to something that decodes the same.
            let again = m.to_bytes().unwrap();
            prop_assert_eq!(Message::decode(&again).unwrap(), m);
        }
    }
}
