//! Decodes arbitrary bytes as one OpenFlow message, and as a body behind a
//! valid OpenFlow 1.3 header made here (first byte: message type), so the
//! fuzzer spends its time inside the bodies.
//!
//! Invariants:
//! - `Message::decode` never panics; an error's offset lies in the input;
//! - when it decodes, `encoded_len` is exact (`to_bytes` and `encode` into a
//!   buffer pre-filled with 0xA5 write the same bytes), the header fields
//!   are the input's, and the re-encoding decodes to the same message;
//! - the re-encoding is the input, except the documented normalisations:
//!   padding and reserved bytes are written as zero (same length; every
//!   differing byte is zero), and a HELLO's elements are re-padded to 8;
//! - only messages of another version than 1.3 (not HELLO) or of a type
//!   1.3 does not define are kept raw;
//! - the borrowed view (`MessageRef::decode`) gives the same message
//!   (`to_message`) or the same error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openflow_wire::header::OFP_VERSION_1_3;
use openflow_wire::{Body, Header, Message, MessageRef};

mod openflow_common;
use openflow_common::{assert_same_but_zeroed, check_error};

fn check(msg: &[u8]) {
    let decoded = Message::decode(msg);
    assert_eq!(
        MessageRef::decode(msg).map(|v| v.to_message()),
        decoded,
        "the view disagrees"
    );
    let m = match decoded {
        Ok(m) => m,
        Err(e) => return check_error(&e, msg.len()),
    };
    let hello = matches!(m.body, Body::Hello(_));
    let out = match m.to_bytes() {
        Ok(out) => out,
        // Re-padding HELLO elements can only overflow the 16-bit length.
        Err(e) => {
            assert!(hello && m.encoded_len() > 65535, "{e}: {m:?}");
            return;
        }
    };
    assert_eq!(out.len(), m.encoded_len());
    let mut buf = vec![0xa5u8; out.len()];
    assert_eq!(m.encode(&mut &mut buf[..]), Ok(out.len()));
    assert_eq!(buf, out);

    let h = Header::decode(msg).expect("a decoded message has a header");
    assert_eq!(
        (h.version, h.msg_type, h.xid),
        (m.version, m.body.msg_type(), m.xid)
    );
    assert_eq!(m.header(), Header::decode(&out).expect("re-encoded header"));
    assert_eq!(
        Message::decode(&out).as_ref(),
        Ok(&m),
        "re-encoding decodes differently"
    );

    if hello {
        assert!(out.len() >= msg.len());
    } else {
        assert_same_but_zeroed(msg, &out, "message");
    }
    if let Body::Raw { msg_type, .. } = m.body {
        assert!(
            (m.version != OFP_VERSION_1_3 && msg_type != 0) || msg_type > 29,
            "a known OpenFlow 1.3 type kept raw: {msg_type}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    if let Some((&msg_type, body)) = data.split_first()
        && let Ok(len) = u16::try_from(8 + body.len())
    {
        let mut msg = vec![OFP_VERSION_1_3, msg_type];
        msg.extend_from_slice(&len.to_be_bytes());
        msg.extend_from_slice(&[0, 0, 0, 1]);
        msg.extend_from_slice(body);
        check(&msg);
    }
});
