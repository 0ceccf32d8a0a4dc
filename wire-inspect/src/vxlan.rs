//! The VXLAN adapter: decoding goes through the `vxlan-wire` crate.
//!
//! A UDP datagram on a VXLAN port is handed to [`vxlan_wire::decapsulate`]
//! with the whole link-layer frame (Ethernet captures) or to
//! [`vxlan_wire::decapsulate_ip`] with the IP packet (all other link types).
//! Only the outermost VXLAN layer of a frame is decoded: a VXLAN frame nested
//! inside another one (VXLAN-in-VXLAN) shows up as the inner frame of the
//! outer layer, not as a message of its own. UDP tunnels other than VXLAN
//! (Geneve on 6081, for example) are not opened, so VXLAN carried inside
//! them is not seen unless its port is configured.

use vxlan_wire::{Decap, DecapConfig, VxlanFrame};

use crate::protocol::{Codec, DecodeError};

/// What the bytes handed to [`VxlanCodec`] start with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VxlanInput {
    /// An Ethernet II frame (outer MAC header first).
    Ethernet,
    /// An IPv4 or IPv6 packet.
    Ip,
}

impl VxlanInput {
    /// The value of the `"input"` field of a JSON line.
    pub fn name(self) -> &'static str {
        match self {
            VxlanInput::Ethernet => "ethernet",
            VxlanInput::Ip => "ip",
        }
    }
}

/// [`Codec`] for VXLAN frames, over `vxlan-wire`.
#[derive(Clone, Copy, Debug)]
pub struct VxlanCodec<'a> {
    cfg: &'a DecapConfig,
    input: VxlanInput,
}

impl<'a> VxlanCodec<'a> {
    /// A codec with the given ports, for Ethernet or IP input.
    pub fn new(cfg: &'a DecapConfig, input: VxlanInput) -> VxlanCodec<'a> {
        VxlanCodec { cfg, input }
    }
}

impl Codec for VxlanCodec<'_> {
    type Message = VxlanFrame;

    fn decode(&self, bytes: &[u8]) -> Result<VxlanFrame, DecodeError> {
        let decap = match self.input {
            VxlanInput::Ethernet => vxlan_wire::decapsulate(bytes, self.cfg),
            VxlanInput::Ip => vxlan_wire::decapsulate_ip(bytes, self.cfg),
        };
        match decap {
            Ok(Decap::Vxlan(d)) => Ok(d.to_owned()),
            Ok(Decap::NotVxlan(why)) => Err(DecodeError {
                text: format!("not a VXLAN frame: {why:?}"),
                offset: None,
                detail: serde_json::to_value(why).ok().map(|v| ("not_vxlan", v)),
            }),
            Err(e) => Err(DecodeError::new(e.to_string(), e.offset())),
        }
    }

    fn encode(&self, msg: &VxlanFrame) -> Vec<u8> {
        let mut out = Vec::with_capacity(msg.encoded_len());
        msg.encode(&mut out);
        out
    }
}
