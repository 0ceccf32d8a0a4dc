//! The OpenFlow bench messages: `openflow-wire` round-trips them,
//! `rovs-openflow` writes the same fixed part and match but other actions
//! (Nicira reg_load instead of SET_FIELD) and loses actions when decoding,
//! both see the same PACKET_IN, stats entries and stream counts, and the
//! allocation counts of the README (counted with `allocation-counter`,
//! whose global allocator this test binary gets by naming the crate).

use benches::openflow::{
    ETH_TYPE, FLOW_STATS_ENTRIES, IN_PORT, PACKET_IN_FRAME, STREAM_MESSAGES, STREAM_STATS_ENTRIES,
    VLAN, VNI, VXLAN_PORT, decode_ours, decode_ours_read_all, decode_rovs_flow_mod,
    decode_rovs_flow_stats, decode_rovs_packet_in, decode_view, decode_view_read_all, encode_ours,
    encode_rovs, flow_mod, flow_mod_message, flow_stats_message, frame, mac, mixed_stream,
    packet_in_message, rovs_flow, stream_ours_framer, stream_ours_slices, stream_rovs,
    stream_view_framer, stream_view_slices, to_bytes,
};
use bytes::Bytes;
use openflow_wire::instruction::Instruction;
use openflow_wire::oxm::Oxm;
use openflow_wire::{Action, Body};
use rovs_openflow::{Action as RovsAction, Instruction as RovsInstruction, OutputPort};

/// The actions of the first (only) APPLY_ACTIONS of a rovs instruction list.
fn rovs_actions(list: &rovs_openflow::InstructionList) -> Vec<RovsAction> {
    assert_eq!(list.len(), 1);
    let RovsInstruction::ApplyActions(a) = &list.instructions()[0] else {
        panic!("not apply_actions: {list:?}")
    };
    a.actions().to_vec()
}

#[test]
fn flow_mod_has_4_fields_3_actions_and_roundtrips() {
    let msg = flow_mod_message(3);
    let bytes = to_bytes(&msg);
    // header 8 + fixed 40 + match (4 + 8 + 10 + 6 + 6 = 34 -> 40)
    // + apply_actions (8 + 16 + 16 + 16)
    assert_eq!(bytes.len(), 144);
    assert_eq!(decode_ours(&bytes), msg);
    let fm = flow_mod(3);
    assert_eq!(fm.r#match.fields.len(), 4);
    assert_eq!(fm.r#match.validate(), vec![]);
    let [Instruction::ApplyActions(actions)] = &fm.instructions[..] else {
        panic!("one apply_actions")
    };
    assert_eq!(actions.len(), 3);
    let mut out = Vec::new();
    encode_ours(&msg, &mut out);
    assert_eq!(out, bytes);
}

#[test]
fn rovs_writes_the_same_match_but_other_actions() {
    let ours = to_bytes(&flow_mod_message(3));
    let theirs = encode_rovs(&rovs_flow(3), 3);
    // Same header but the length, same fixed part, same match.
    assert_eq!(ours[..2], theirs[..2]);
    assert_eq!(ours[4..88], theirs[4..88]);
    // Then the same flow in other bytes: rovs has no SET_FIELD of tun_dst
    // or tunnel_id, so it uses Nicira reg_load (tun_dst) and reg_load2
    // (NXM_NX_TUN_ID): 24 bytes each instead of 16.
    assert_eq!(theirs.len(), 160);
    assert_ne!(ours[..], theirs[..]);
    assert_eq!(theirs[96..98], [0xff, 0xff], "experimenter action");
    assert_eq!(theirs[100..104], [0, 0, 0x23, 0x20], "Nicira");
    assert_eq!(theirs[104..106], [0, 7], "NXAST_REG_LOAD");
    assert_eq!(theirs[120..122], [0xff, 0xff]);
    assert_eq!(theirs[128..130], [0, 33], "NXAST_REG_LOAD2");
    assert_eq!(ours[96..98], [0, 25], "OFPAT_SET_FIELD");
}

#[test]
fn rovs_loses_actions_when_decoding() {
    // Our FLOW_MOD: both SET_FIELDs (tun_dst, tunnel_id) come back as
    // rovs' `Action::Drop` placeholder, which its action list skips.
    let ours = decode_rovs_flow_mod(Bytes::from(to_bytes(&flow_mod_message(3)))).unwrap();
    assert_eq!(ours.r#match.in_port, Some(IN_PORT));
    assert_eq!(ours.r#match.eth_dst, Some(mac(3)));
    assert_eq!(ours.r#match.eth_type, Some(ETH_TYPE));
    assert_eq!(ours.r#match.vlan_vid, Some(VLAN));
    assert_eq!((ours.cookie, ours.priority), (3, 100));
    let actions = rovs_actions(&ours.instructions);
    assert!(
        matches!(
            actions[..],
            [RovsAction::Output(OutputPort::Port(VXLAN_PORT))]
        ),
        "rovs keeps only the output of our 3 actions: {actions:?}"
    );
    // Its own FLOW_MOD: the reg_load of tun_dst is dropped too (it decodes
    // reg_load2 of tun_id only), so the tunnel destination is lost.
    let own = decode_rovs_flow_mod(encode_rovs(&rovs_flow(3), 3).freeze()).unwrap();
    let actions = rovs_actions(&own.instructions);
    assert!(
        matches!(
            actions[..],
            [
                RovsAction::SetTunnelId(5000),
                RovsAction::Output(OutputPort::Port(VXLAN_PORT))
            ]
        ),
        "rovs drops its own tun_dst reg_load: {actions:?}"
    );
    // openflow-wire keeps all three, from our bytes and from rovs' bytes.
    let Body::FlowMod(fm) = decode_ours(&encode_rovs(&rovs_flow(3), 3)).body else {
        panic!("flow_mod")
    };
    let [Instruction::ApplyActions(a)] = &fm.instructions[..] else {
        panic!("one apply_actions")
    };
    assert_eq!(a.len(), 3);
    assert!(matches!(a[0], Action::Nicira(_)), "{:?}", a[0]);
    assert!(matches!(a[1], Action::Nicira(_)), "{:?}", a[1]);
    assert_eq!(a[2], Action::output(VXLAN_PORT));
}

#[test]
fn packet_in_agrees() {
    let msg = packet_in_message(9);
    let bytes = to_bytes(&msg);
    assert_eq!(decode_ours(&bytes), msg);
    let p = decode_rovs_packet_in(Bytes::from(bytes.clone())).unwrap();
    assert_eq!(p.data, frame());
    assert_eq!(p.data.len(), PACKET_IN_FRAME);
    assert_eq!(p.in_port(), IN_PORT);
    assert_eq!(usize::from(p.total_len), PACKET_IN_FRAME);
    assert_eq!(p.cookie, 7);
    assert!(!p.is_buffered());
}

#[test]
fn flow_stats_agree() {
    let msg = flow_stats_message(5, FLOW_STATS_ENTRIES);
    let bytes = to_bytes(&msg);
    assert_eq!(bytes.len(), 16 + FLOW_STATS_ENTRIES * 144);
    assert_eq!(decode_ours(&bytes), msg);
    let (entries, actions) = decode_rovs_flow_stats(Bytes::from(bytes.clone()), true).unwrap();
    assert_eq!(entries.len(), FLOW_STATS_ENTRIES);
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.cookie, i as u64);
        assert_eq!(e.packet_count, 1000 * i as u64);
        assert_eq!(e.match_fields.eth_dst, Some(mac(i)));
        assert_eq!(e.instructions.len(), 56);
    }
    // Of 3 actions per flow, rovs keeps the output only.
    assert_eq!(actions, FLOW_STATS_ENTRIES);
    let Body::MultipartReply(r) = decode_ours(&bytes).body else {
        panic!("multipart reply")
    };
    let openflow_wire::message::MultipartReplyBody::Flow(flows) = r.body else {
        panic!("flow reply")
    };
    assert!(flows.iter().all(|f| matches!(
        &f.instructions[..],
        [Instruction::ApplyActions(a)] if a.len() == 3
            && a[1] == Action::SetField(Oxm::TunnelId(u64::from(VNI).into()))
    )));
}

#[test]
fn stream_counts_agree() {
    let stream = mixed_stream();
    let t = stream_ours_framer(&stream);
    assert_eq!(t.messages(), STREAM_MESSAGES);
    assert_eq!(t.packet_in, STREAM_MESSAGES / 2);
    assert_eq!(t.flow_mod, STREAM_MESSAGES / 5);
    assert_eq!(t.flow_stats, STREAM_MESSAGES / 10);
    assert_eq!(t.other, STREAM_MESSAGES / 5);
    assert_eq!(t.frame_bytes, PACKET_IN_FRAME * STREAM_MESSAGES / 2);
    assert_eq!(t.flows, STREAM_STATS_ENTRIES * STREAM_MESSAGES / 10);
    assert_eq!(stream_ours_slices(&stream), t);
    assert_eq!(stream_rovs(&stream), t);
    assert_eq!(stream_view_framer(&stream), t);
    assert_eq!(stream_view_slices(&stream), t);
}

/// The borrowed views of the bench messages: the same messages, no
/// allocation, and what `view_read_all` reads.
#[test]
fn views_agree_and_do_not_allocate() {
    for msg in [
        flow_mod_message(3),
        packet_in_message(9),
        flow_stats_message(5, FLOW_STATS_ENTRIES),
    ] {
        let bytes = to_bytes(&msg);
        assert_eq!(decode_view(&bytes).to_message(), msg);
        let n = allocations(|| {
            std::hint::black_box(decode_view(&bytes));
        });
        assert_eq!(n, 0, "{:?}", msg.body.msg_type());
    }
    // The owned decode reads the same.
    for msg in [
        flow_mod_message(3),
        packet_in_message(9),
        flow_stats_message(5, FLOW_STATS_ENTRIES),
    ] {
        let bytes = to_bytes(&msg);
        assert_eq!(decode_ours_read_all(&bytes), decode_view_read_all(&bytes));
    }
    // Match fields in_port 0 + eth_dst 3 + eth_type 5 + vlan_vid 6, actions
    // set_field 25 + set_field 25 + output 0.
    assert_eq!(decode_view_read_all(&to_bytes(&flow_mod_message(3))), 64);
    // in_port 0 + tunnel_id 38, and the frame's length.
    assert_eq!(
        decode_view_read_all(&to_bytes(&packet_in_message(9))),
        38 + PACKET_IN_FRAME
    );
}

fn allocations(f: impl FnOnce()) -> u64 {
    allocation_counter::measure(f).count_total
}

/// The allocation counts quoted in `benches/README.md` (OpenFlow).
#[test]
fn flow_mod_allocations() {
    let msg = flow_mod_message(3);
    let bytes = to_bytes(&msg);
    let flow = rovs_flow(3);
    let rovs_bytes = encode_rovs(&flow, 3).freeze();

    let mut out = Vec::with_capacity(msg.encoded_len());
    let ours_into = allocations(|| encode_ours(&msg, &mut out));
    let mut v = None;
    let ours_to_bytes = allocations(|| v = Some(to_bytes(&msg)));
    drop(v);
    let mut m = None;
    let ours_decode = allocations(|| m = Some(decode_ours(&bytes)));
    drop(m);
    let mut e = None;
    let rovs_encode = allocations(|| e = Some(encode_rovs(&flow, 3)));
    drop(e);
    let mut d = None;
    let rovs_decode = allocations(|| d = Some(decode_rovs_flow_mod(rovs_bytes.clone())));
    drop(d);
    println!(
        "FLOW_MOD allocations: openflow-wire encode into a reserved Vec {ours_into}, \
         to_bytes {ours_to_bytes}, decode {ours_decode}; rovs-openflow encode {rovs_encode}, \
         decode of the parts {rovs_decode}"
    );
    assert_eq!(ours_into, 0);
    assert_eq!(ours_to_bytes, 1);
    assert_eq!(ours_decode, 3, "match fields, instructions, actions");
    // rovs: a Vec per OXM field, per action, for the match, the action
    // list, the instruction and the body, then the Bytes and BytesMut.
    assert!(rovs_encode >= 10 * ours_to_bytes, "{rovs_encode}");
    // Its decode allocates as often (instruction and action lists, and
    // it keeps less).
    assert_eq!(rovs_decode, 3);
}
