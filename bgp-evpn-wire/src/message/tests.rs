//! Whole-message tests: hand-written messages, property round trips of
//! every message and attribute, and random input.

use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;

use super::*;
use crate::attribute::as_path::tests::arb as arb_as_path;
use crate::attribute::tests::check_attr;
use crate::attribute::{
    Aggregator, AttributeFlags, AttributeValue, Community, LargeCommunity, MpNextHop, MpNlri,
    MpReach, MpUnreach, Origin, OtherNlri, PathAttribute, PmsiTunnel, PmsiTunnelIdentifier,
    RawTunnelIdentifier, UnknownAttribute, type_code,
};
use crate::evpn::EvpnNlri;
use crate::evpn::tests::arb_route as arb_evpn_route;
use crate::extcomm::ipv6_specific::Ipv6ExtendedCommunity;
use crate::extcomm::{ExtendedCommunity, validate_evpn_communities};
use crate::message::open::tests::arb as arb_open;
use crate::prefix::tests::{arb_v4, arb_v6};
use crate::test_util::hex;
use crate::types::{Afi, AfiSafi, LabelField, RouteDistinguisher, Safi};

fn arb_ctx() -> impl Strategy<Value = DecodingContext> {
    (any::<bool>(), any::<bool>()).prop_map(|(four, ap)| {
        let mut c = DecodingContext::new()
            .with_four_octet_as(four)
            .with_extended_message(true);
        if ap {
            c = c
                .with_add_path(AfiSafi::EVPN)
                .with_add_path(AfiSafi::IPV4_UNICAST)
                .with_add_path(AfiSafi::IPV6_UNICAST);
        }
        c
    })
}

fn arb_nlri(ctx: &DecodingContext) -> BoxedStrategy<MpNlri> {
    let ap_evpn = ctx.receives_path_id(AfiSafi::EVPN);
    let ap4 = ctx.receives_path_id(AfiSafi::IPV4_UNICAST);
    let ap6 = ctx.receives_path_id(AfiSafi::IPV6_UNICAST);
    prop_oneof![
        proptest::collection::vec(
            (any::<u32>(), arb_evpn_route()).prop_map(move |(id, route)| EvpnNlri {
                path_id: ap_evpn.then_some(id),
                route
            }),
            0..4
        )
        .prop_map(MpNlri::Evpn),
        proptest::collection::vec(arb_v4(ap4), 0..4).prop_map(MpNlri::Ipv4Unicast),
        proptest::collection::vec(arb_v6(ap6), 0..4).prop_map(MpNlri::Ipv6Unicast),
        (
            any::<u16>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..20)
        )
            .prop_filter_map("typed family", |(a, s, b)| {
                OtherNlri::new(AfiSafi::new(Afi(a), Safi(s)), b).ok()
            })
            .prop_map(MpNlri::Other),
    ]
    .boxed()
}

fn arb_next_hop(typed: bool) -> impl Strategy<Value = MpNextHop> {
    let lens: Vec<usize> = if typed {
        vec![4, 12, 16, 24, 32, 48]
    } else {
        vec![0, 3, 4, 12, 16, 24, 32, 48, 7]
    };
    (proptest::sample::select(lens), any::<[u8; 48]>())
        .prop_map(|(len, b)| MpNextHop::decode(&b[..len]))
        // A zero RD type keeps the typed RD forms re-encodable.
        .prop_filter("rd", |nh| match nh {
            MpNextHop::VpnIpv4 { rd, .. } | MpNextHop::VpnIpv6 { rd, .. } => {
                RouteDistinguisher::from_bytes(rd.to_bytes()) == *rd
            }
            _ => true,
        })
}

fn arb_value(ctx: &DecodingContext) -> BoxedStrategy<AttributeValue> {
    let four = ctx.four_octet_as;
    let asn = if four {
        any::<u32>().boxed()
    } else {
        any::<u16>().prop_map(u32::from).boxed()
    };
    let v4 = any::<[u8; 4]>().prop_map(Ipv4Addr::from);
    let nlri = arb_nlri(ctx);
    prop_oneof![
        prop_oneof![
            Just(Origin::Igp),
            Just(Origin::Egp),
            Just(Origin::Incomplete)
        ]
        .prop_map(AttributeValue::Origin),
        arb_as_path(four).prop_map(AttributeValue::AsPath),
        arb_as_path(true).prop_map(AttributeValue::As4Path),
        v4.clone().prop_map(AttributeValue::NextHop),
        any::<u32>().prop_map(AttributeValue::MultiExitDisc),
        any::<u32>().prop_map(AttributeValue::LocalPref),
        Just(AttributeValue::AtomicAggregate),
        (asn, v4.clone())
            .prop_map(|(asn, address)| AttributeValue::Aggregator(Aggregator { asn, address })),
        (any::<u32>(), v4.clone())
            .prop_map(|(asn, address)| AttributeValue::As4Aggregator(Aggregator { asn, address })),
        proptest::collection::vec(any::<u32>().prop_map(Community), 0..80)
            .prop_map(AttributeValue::Communities),
        v4.clone().prop_map(AttributeValue::OriginatorId),
        proptest::collection::vec(v4, 0..4).prop_map(AttributeValue::ClusterList),
        nlri.clone()
            .prop_flat_map(|n| {
                let typed = MpNlri::is_typed(n.family());
                (Just(n), arb_next_hop(typed), any::<u8>())
            })
            .prop_map(
                |(nlri, next_hop, reserved)| AttributeValue::MpReach(MpReach {
                    next_hop,
                    reserved,
                    nlri
                })
            ),
        nlri.prop_map(|nlri| AttributeValue::MpUnreach(MpUnreach { nlri })),
        proptest::collection::vec(
            any::<[u8; 8]>().prop_map(ExtendedCommunity::from_bytes),
            0..5
        )
        .prop_filter("MAC Mobility conflict", |c| validate_evpn_communities(c)
            .is_ok())
        .prop_map(AttributeValue::ExtendedCommunities),
        proptest::collection::vec(
            any::<[u8; 20]>().prop_map(Ipv6ExtendedCommunity::from_bytes),
            0..3
        )
        .prop_map(AttributeValue::Ipv6ExtendedCommunities),
        proptest::collection::vec(
            any::<(u32, u32, u32)>().prop_map(|(g, a, b)| LargeCommunity {
                global_admin: g,
                local_data1: a,
                local_data2: b
            }),
            1..4
        )
        .prop_map(AttributeValue::LargeCommunities),
        (
            any::<u8>(),
            any::<[u8; 3]>(),
            prop_oneof![
                any::<[u8; 4]>().prop_map(|a| PmsiTunnelIdentifier::IngressReplication(
                    IpAddr::V4(Ipv4Addr::from(a))
                )),
                any::<[u8; 16]>().prop_map(|a| PmsiTunnelIdentifier::IngressReplication(
                    IpAddr::V6(Ipv6Addr::from(a))
                )),
                (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..12))
                    .prop_filter_map("IR", |(t, id)| RawTunnelIdentifier::new(t, id).ok())
                    .prop_map(PmsiTunnelIdentifier::Other),
            ]
        )
            .prop_map(
                |(flags, label, tunnel)| AttributeValue::PmsiTunnel(PmsiTunnel {
                    flags,
                    label: LabelField(label),
                    tunnel
                })
            ),
        (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..300))
            .prop_filter_map("known", |(t, v)| UnknownAttribute::new(t, v).ok())
            .prop_map(AttributeValue::Unknown),
    ]
    .boxed()
}

/// An attribute with flags a peer may send: the type's Optional and
/// Transitive bits, Partial where allowed, any Extended Length and unused bits.
fn arb_attribute(ctx: DecodingContext) -> impl Strategy<Value = PathAttribute> {
    (arb_value(&ctx), any::<u8>()).prop_map(move |(value, extra)| {
        let code = value.type_code();
        let base = AttributeFlags::default_for(code).0;
        let mut flags = base | (extra & 0x1f);
        if !AttributeFlags(flags).valid_for(code) {
            flags &= !AttributeFlags::PARTIAL;
        }
        if value.value_len(ctx.tx()) > 255 {
            flags |= AttributeFlags::EXTENDED_LENGTH;
        }
        PathAttribute {
            flags: AttributeFlags(flags),
            value,
        }
    })
}

fn arb_update(ctx: DecodingContext) -> impl Strategy<Value = Update> {
    let ap4 = ctx.receives_path_id(AfiSafi::IPV4_UNICAST);
    (
        proptest::collection::vec(arb_v4(ap4), 0..4),
        proptest::collection::vec(arb_attribute(ctx), 0..6),
        proptest::collection::vec(arb_v4(ap4), 0..4),
    )
        .prop_map(|(withdrawn, attrs, nlri)| {
            let mut u = Update {
                withdrawn,
                attributes: Vec::new(),
                nlri,
            };
            for a in attrs {
                if u.attribute(a.type_code()).is_none() {
                    u.attributes.push(a);
                }
            }
            let reach = !u.nlri.is_empty() || u.mp_reach().is_some();
            let mut needed = vec![
                AttributeValue::Origin(Origin::Igp),
                AttributeValue::AsPath(crate::attribute::AsPath::sequence([65001])),
            ];
            if !u.nlri.is_empty() {
                needed.push(AttributeValue::NextHop(Ipv4Addr::new(192, 0, 2, 1)));
            }
            for v in needed.into_iter().filter(|_| reach) {
                if u.attribute(v.type_code()).is_none() {
                    u.attributes.push(PathAttribute::new(v));
                }
            }
            u
        })
}

fn arb_message(ctx: DecodingContext) -> impl Strategy<Value = Message> {
    prop_oneof![
        arb_open().prop_map(Message::Open),
        arb_update(ctx).prop_map(Message::Update),
        (
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..16)
        )
            .prop_map(|(c, s, d)| Message::Notification(Notification::new(c, s, d))),
        Just(Message::Keepalive),
        (any::<u16>(), any::<u8>(), any::<u8>()).prop_map(|(a, t, s)| Message::RouteRefresh(
            RouteRefresh {
                family: AfiSafi::new(Afi(a), Safi(s)),
                subtype: t
            }
        )),
        (6u8..=255, proptest::collection::vec(any::<u8>(), 0..16))
            .prop_map(|(t, b)| Message::Unknown(UnknownMessage::new(t, b).unwrap())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn attribute_roundtrip((ctx, attr) in arb_ctx().prop_flat_map(|c| (Just(c.clone()), arb_attribute(c)))) {
        check_attr(&attr, &ctx)?;
    }

    #[test]
    fn message_roundtrip((ctx, msg) in arb_ctx().prop_flat_map(|c| (Just(c.clone()), arb_message(c)))) {
        let len = msg.encoded_len(&ctx);
        let mut storage = vec![0xA5u8; len + 8];
        {
            let mut s = &mut storage[..len];
            msg.encode(&ctx, &mut s);
            prop_assert!(s.is_empty(), "encode wrote less than encoded_len()");
        }
        prop_assert_eq!(&storage[len..], &[0xA5u8; 8][..]);
        let bytes = &storage[..len];
        prop_assert_eq!(msg.to_bytes(&ctx), bytes.to_vec());
        prop_assert_eq!(Message::decode(bytes, &ctx), Ok(msg.clone()));
        for cut in 0..len {
            prop_assert!(Message::decode(&bytes[..cut], &ctx).is_err());
        }
        if let Message::Update(u) = &msg {
            let o = UpdateOutcome::decode(bytes, &ctx).unwrap();
            prop_assert!(o.is_clean());
            prop_assert_eq!(&o.update, u);
            // Every truncation of the body behind a fixed-up header is a
            // problem, never a panic.
            for cut in Header::LEN..len {
                let mut m = bytes[..cut].to_vec();
                m[16..18].copy_from_slice(&(cut as u16).to_be_bytes());
                if cut >= 23 {
                    let o = UpdateOutcome::decode(&m, &ctx).unwrap();
                    prop_assert!(!o.is_clean() || Message::decode(&m, &ctx).is_ok());
                }
            }
        }
    }

    #[test]
    fn update_message_encode_matches_header_and_body((ctx, u) in arb_ctx().prop_flat_map(|c| (Just(c.clone()), arb_update(c))),
                                                     extra in 0usize..12) {
        // More attributes than `Update::encode_message` keeps lengths of.
        let mut u = u;
        for i in 0..extra {
            let v = vec![i as u8; i * 40];
            u.attributes.push(PathAttribute::new(AttributeValue::Unknown(
                UnknownAttribute::new(200 + i as u8, v).unwrap(),
            )));
        }
        let msg = Message::Update(u.clone());
        let mut want = Vec::new();
        Header { length: msg.encoded_len(&ctx) as u16, msg_type: 2 }.encode(&mut want);
        u.encode(&ctx, &mut want);
        prop_assert_eq!(want.len(), msg.encoded_len(&ctx));
        let mut got = Vec::new();
        msg.encode(&ctx, &mut got);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn random_bodies_never_panic(body in proptest::collection::vec(any::<u8>(), 0..120), t in 1u8..=6, ctx in arb_ctx()) {
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&((body.len() + 19) as u16).to_be_bytes());
        m.push(t);
        m.extend_from_slice(&body);
        if let Ok(msg) = Message::decode(&m, &ctx) {
            prop_assert_eq!(msg.to_bytes(&ctx), m.clone());
        }
        if t == 2 && body.len() >= 4 {
            let o = UpdateOutcome::decode(&m, &ctx).unwrap();
            let _ = o.worst_action();
        }
    }

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..80), ctx in arb_ctx()) {
        let _ = Message::decode(&data, &ctx);
        let _ = UpdateOutcome::decode(&data, &ctx);
        let _ = PathAttribute::decode(&data, &ctx);
        let _ = Open::decode(&data);
    }
}

#[test]
fn keepalive_and_header_errors() {
    let ctx = DecodingContext::new();
    let ka = hex("ffffffffffffffffffffffffffffffff 0013 04");
    assert_eq!(Message::decode(&ka, &ctx), Ok(Message::Keepalive));
    assert_eq!(Message::Keepalive.to_bytes(&ctx), ka);
    let mut long = ka.clone();
    long.push(0);
    assert!(Message::decode(&long, &ctx).is_err());
    let unknown = hex("ffffffffffffffffffffffffffffffff 0014 09 00");
    let Message::Unknown(u) = Message::decode(&unknown, &ctx).unwrap() else {
        panic!()
    };
    assert_eq!(
        Notification::for_error(&u.error()),
        Some(Notification::new(1, 3, vec![9]))
    );
}

#[test]
fn open_message_with_offsets() {
    let ctx = DecodingContext::new();
    let m = hex("ffffffffffffffffffffffffffffffff 001d 01 05 fde9 005a c0000201 00");
    assert_eq!(
        Message::decode(&m, &ctx),
        Err(crate::Error::UnsupportedVersion {
            offset: 19,
            version: 5
        })
    );
    let e = Message::decode(&m, &ctx).unwrap_err();
    assert_eq!(
        Notification::for_error(&e),
        Some(Notification::new(2, 1, vec![0, 4]))
    );
}

#[test]
fn evpn_update_message() {
    // UPDATE: ORIGIN IGP, AS_PATH empty, LOCAL_PREF 100, EXTENDED
    // COMMUNITIES (RT 65001:100, MAC Mobility seq 4 in progress), MP_REACH
    // EVPN next hop 192.0.2.1 with a MAC/IP route (RD 192.0.2.1:100, MAC
    // 52:54:00:12:34:56, IP 10.0.0.5, VNI 10100).
    let body = hex("0000 0054 \
         4001 01 00  4002 00  4005 04 00000064 \
         c010 10 0002fde900000064 0600020000000004 \
         800e 30 0019 46 04 c0000201 00 \
         02 25 0001c0000201 0064 00000000000000000000 00000000 \
         30 525400123456 20 0a000005 002774");
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&((body.len() + 19) as u16).to_be_bytes());
    m.push(2);
    m.extend_from_slice(&body);
    let ctx = DecodingContext::new();
    let Message::Update(u) = Message::decode(&m, &ctx).unwrap() else {
        panic!()
    };
    use crate::ExtendedCommunities;
    let ext = u.extended_communities().unwrap();
    assert!(ext.is_migration_in_progress());
    assert_eq!(ext.sequence(), 4);
    let reach = u.mp_reach().unwrap();
    assert_eq!(
        reach.next_hop.addr(),
        Some(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)))
    );
    assert_eq!(reach.nlri.route_count(), Some(1));
    assert_eq!(
        u.attribute(type_code::LOCAL_PREF),
        Some(&AttributeValue::LocalPref(100))
    );
    assert_eq!(Message::Update(u).to_bytes(&ctx), m);
}
