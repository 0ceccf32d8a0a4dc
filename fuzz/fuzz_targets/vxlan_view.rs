//! Decodes arbitrary bytes as a VXLAN header, through the zero-copy
//! `VxlanPacket` view and the owned `VxlanHeader`, in all three flavours.
//!
//! Invariants: nothing panics; the view's getters work on any length; a
//! header decodes exactly when there are 8 bytes with the I flag set; a
//! decoded header re-encodes (to_bytes, encode, emit) to exactly the input's
//! first 8 bytes; the view's setters, fed from its getters, rebuild the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vxlan_wire::header::HEADER_LEN;
use vxlan_wire::{HeaderFlavour, VxlanHeader, VxlanPacket};

const FLAVOURS: [HeaderFlavour; 3] = [
    HeaderFlavour::Standard,
    HeaderFlavour::Gbp,
    HeaderFlavour::Gpe,
];

fuzz_target!(|data: &[u8]| {
    // The unchecked view reads any buffer; missing bytes read as 0.
    let view = VxlanPacket::new_unchecked(data);
    let header_bytes = view.header_bytes();
    for (i, b) in header_bytes.iter().enumerate() {
        assert_eq!(*b, data.get(i).copied().unwrap_or(0));
    }
    let _ = (
        view.vni_flag(),
        view.reserved1(),
        view.gbp_group_policy_present(),
        view.gbp_dont_learn(),
        view.gbp_policy_applied(),
        view.gbp_group_policy_id(),
        view.gpe_version(),
        view.gpe_next_protocol_present(),
        view.gpe_bum(),
        view.gpe_oam(),
        view.gpe_next_protocol(),
    );
    assert_eq!(view.payload(), data.get(HEADER_LEN..).unwrap_or(&[]));
    assert!(view.vni().get() <= 0xff_ffff);

    let valid = data.len() >= HEADER_LEN && data[0] & 0x08 != 0;
    let checked = VxlanPacket::new_checked(data);
    assert_eq!(checked.is_ok(), valid, "new_checked disagrees: {checked:?}");
    if let Err(e) = &checked {
        let _ = e.to_string();
    }

    for flavour in FLAVOURS {
        let decoded = VxlanHeader::decode(data, flavour);
        assert_eq!(decoded.is_ok(), valid, "{flavour:?}: {decoded:?}");
        let h = match decoded {
            Ok(h) => h,
            Err(e) => {
                let _ = e.to_string();
                continue;
            }
        };
        let p = checked.as_ref().expect("valid implies a checked view");
        assert_eq!(h.flavour(), flavour);
        assert_eq!(h.vni(), p.vni());
        assert_eq!(VxlanHeader::parse(p, flavour).as_ref(), Ok(&h));
        assert_eq!(
            VxlanHeader::from_array(header_bytes, flavour).as_ref(),
            Ok(&h)
        );

        // Re-encode: exactly the input's first 8 bytes, by every path.
        assert_eq!(h.to_bytes(), header_bytes);
        let mut out = Vec::new();
        h.encode(&mut out);
        assert_eq!(out.len(), h.encoded_len());
        assert_eq!(out[..], data[..HEADER_LEN]);
        let mut emitted = vec![0xa5; data.len()];
        emitted[HEADER_LEN..].copy_from_slice(&data[HEADER_LEN..]);
        h.emit(&mut VxlanPacket::new_unchecked(&mut emitted[..]));
        assert_eq!(emitted, data);
    }

    // Setters fed from the getters rebuild the input (any length >= 8).
    if data.len() >= HEADER_LEN {
        let mut copy = vec![0xa5; data.len()];
        let mut w = VxlanPacket::new_unchecked(&mut copy[..]);
        w.set_flags(view.flags());
        w.set_reserved1(view.reserved1());
        w.set_vni(view.vni());
        w.set_reserved2(view.reserved2());
        w.payload_mut().copy_from_slice(view.payload());
        assert_eq!(copy, data);

        // Flavour-specific setters agree with the matching getters.
        let mut copy2 = vec![0u8; data.len()];
        let mut w = VxlanPacket::new_unchecked(&mut copy2[..]);
        w.set_flags(view.flags());
        w.set_gbp_dont_learn(view.gbp_dont_learn());
        w.set_gbp_policy_applied(view.gbp_policy_applied());
        w.set_gbp_group_policy_id(view.gbp_group_policy_id());
        w.set_gpe_version(view.gpe_version());
        w.set_gpe_next_protocol_present(view.gpe_next_protocol_present());
        w.set_gpe_bum(view.gpe_bum());
        w.set_gpe_oam(view.gpe_oam());
        let r = VxlanPacket::new_unchecked(&copy2[..]);
        assert_eq!(r.flags(), view.flags());
        assert_eq!(r.gbp_dont_learn(), view.gbp_dont_learn());
        assert_eq!(r.gbp_policy_applied(), view.gbp_policy_applied());
        assert_eq!(r.gbp_group_policy_id(), view.gbp_group_policy_id());
        assert_eq!(r.gpe_next_protocol(), view.gpe_next_protocol());
    } else {
        // Setters on a short buffer write what fits and never panic.
        let mut short = data.to_vec();
        let mut w = VxlanPacket::new_unchecked(&mut short[..]);
        w.set_vni(view.vni());
        w.set_reserved2(0xff);
        w.set_gpe_version(3);
        assert!(w.payload_mut().is_empty());
    }
});
