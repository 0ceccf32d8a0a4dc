//! Decodes arbitrary bytes as an action list, one action, one instruction,
//! and as the instruction list of a FLOW_MOD made here.
//!
//! Invariants:
//! - `Action::decode_list`, `Action::decode`, `Instruction::decode` and
//!   `Message::decode` never panic; error offsets lie in the input;
//! - what decodes has an exact encoded length (the sum of the actions'
//!   `encoded_len` for a list), re-encodes to the input except padding
//!   written as zero, and decodes again to the same value;
//! - the instruction list of the FLOW_MOD re-encodes the same way, and each
//!   of its instructions decodes alone to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openflow_wire::message::FlowMod;
use openflow_wire::{Action, Body, Instruction, Message};

mod openflow_common;
use openflow_common::{assert_same_but_zeroed, check_error};

fn check_list(bytes: &[u8]) {
    let list = match Action::decode_list(bytes) {
        Ok(l) => l,
        Err(e) => return check_error(&e, bytes.len()),
    };
    let mut out = Vec::new();
    let n = Action::encode_list(&list, &mut out).expect("a decoded list encodes");
    assert_eq!(n, out.len());
    assert_eq!(
        out.len(),
        list.iter().map(Action::encoded_len).sum::<usize>()
    );
    assert_same_but_zeroed(bytes, &out, "action list");
    assert_eq!(Action::decode_list(&out).as_ref(), Ok(&list));
    assert!(
        list.len() <= bytes.len() / 4,
        "an action is at least 4 bytes"
    );
}

fn check_action(bytes: &[u8]) {
    let a = match Action::decode(bytes) {
        Ok(a) => a,
        Err(e) => return check_error(&e, bytes.len()),
    };
    let out = a.to_bytes().expect("a decoded action encodes");
    assert_eq!(out.len(), a.encoded_len());
    assert_same_but_zeroed(bytes, &out, "action");
    assert_eq!(Action::decode(&out).as_ref(), Ok(&a));
    let _ = a.action_type();
}

fn check_instruction(bytes: &[u8]) {
    let i = match Instruction::decode(bytes) {
        Ok(i) => i,
        Err(e) => return check_error(&e, bytes.len()),
    };
    let out = i.to_bytes().expect("a decoded instruction encodes");
    assert_eq!(out.len(), i.encoded_len());
    assert_same_but_zeroed(bytes, &out, "instruction");
    assert_eq!(Instruction::decode(&out).as_ref(), Ok(&i));
    let _ = i.instruction_type();
}

fn check_flow_mod_instructions(bytes: &[u8]) {
    let mut msg = Message::new(1, Body::FlowMod(FlowMod::default()))
        .to_bytes()
        .expect("empty FLOW_MOD");
    let Ok(len) = u16::try_from(msg.len() + bytes.len()) else {
        return;
    };
    msg[2..4].copy_from_slice(&len.to_be_bytes());
    msg.extend_from_slice(bytes);
    let m = match Message::decode(&msg) {
        Ok(m) => m,
        Err(e) => return check_error(&e, msg.len()),
    };
    let Body::FlowMod(f) = &m.body else {
        panic!("a FLOW_MOD decodes as another message: {m:?}")
    };
    let out = m.to_bytes().expect("a decoded FLOW_MOD encodes");
    assert_same_but_zeroed(&msg, &out, "FLOW_MOD");
    assert_eq!(Message::decode(&out).as_ref(), Ok(&m));
    for i in &f.instructions {
        let b = i.to_bytes().expect("instruction encodes");
        assert_eq!(Instruction::decode(&b).as_ref(), Ok(i));
    }
}

fuzz_target!(|data: &[u8]| {
    check_list(data);
    check_action(data);
    check_instruction(data);
    check_flow_mod_instructions(data);
});
