//! OpenFlow 1.3 actions and the Nicira (Open vSwitch) extension actions.
//!
//! ```text
//! | type (2) | length (2) | body ... |     length counts all, multiple of 8
//! OUTPUT:    | 0 | 16 | port (4) | max_len (2) | pad (6) |
//! SET_FIELD: | 25 | len | OXM TLV | pad to 8 |
//! EXPERIMENTER: | 0xffff | len | experimenter (4) | data |
//! Nicira:    | 0xffff | len | 0x00002320 | subtype (2) | body | pad |
//! ```

mod nicira;

pub use nicira::{
    Controller2Prop, CtAction, CtZone, LearnAction, LearnDst, LearnSpec, LearnSrc, NX_VENDOR_ID,
    NatAction, NxAction, SampleAction, StackAction,
};

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, Scratch, impl_codec, len16, overwrite, pad8};
use crate::oxm::Oxm;

/// Deepest nesting of actions inside actions (Nicira `ct`) that is decoded.
pub const MAX_ACTION_DEPTH: usize = 4;

/// `OFPAT_*` action type numbers of OpenFlow 1.3.
pub mod types {
    /// OUTPUT.
    pub const OUTPUT: u16 = 0;
    /// COPY_TTL_OUT.
    pub const COPY_TTL_OUT: u16 = 11;
    /// COPY_TTL_IN.
    pub const COPY_TTL_IN: u16 = 12;
    /// SET_MPLS_TTL.
    pub const SET_MPLS_TTL: u16 = 15;
    /// DEC_MPLS_TTL.
    pub const DEC_MPLS_TTL: u16 = 16;
    /// PUSH_VLAN.
    pub const PUSH_VLAN: u16 = 17;
    /// POP_VLAN.
    pub const POP_VLAN: u16 = 18;
    /// PUSH_MPLS.
    pub const PUSH_MPLS: u16 = 19;
    /// POP_MPLS.
    pub const POP_MPLS: u16 = 20;
    /// SET_QUEUE.
    pub const SET_QUEUE: u16 = 21;
    /// GROUP.
    pub const GROUP: u16 = 22;
    /// SET_NW_TTL.
    pub const SET_NW_TTL: u16 = 23;
    /// DEC_NW_TTL.
    pub const DEC_NW_TTL: u16 = 24;
    /// SET_FIELD.
    pub const SET_FIELD: u16 = 25;
    /// PUSH_PBB.
    pub const PUSH_PBB: u16 = 26;
    /// POP_PBB.
    pub const POP_PBB: u16 = 27;
    /// EXPERIMENTER.
    pub const EXPERIMENTER: u16 = 0xffff;
}

/// Reserved port numbers (`OFPP_*`).
pub mod ports {
    /// Highest physical port number.
    pub const MAX: u32 = 0xffff_ff00;
    /// Back out the input port.
    pub const IN_PORT: u32 = 0xffff_fff8;
    /// Submit to the first flow table.
    pub const TABLE: u32 = 0xffff_fff9;
    /// Forward using the non-OpenFlow pipeline.
    pub const NORMAL: u32 = 0xffff_fffa;
    /// Flood using the non-OpenFlow pipeline.
    pub const FLOOD: u32 = 0xffff_fffb;
    /// All ports except the input port.
    pub const ALL: u32 = 0xffff_fffc;
    /// Send to the controller.
    pub const CONTROLLER: u32 = 0xffff_fffd;
    /// The local OpenFlow port.
    pub const LOCAL: u32 = 0xffff_fffe;
    /// Wildcard / no port.
    pub const ANY: u32 = 0xffff_ffff;
}

/// `OFPCML_NO_BUFFER`: send the whole packet to the controller.
pub const OFPCML_NO_BUFFER: u16 = 0xffff;

/// One action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Action {
    /// OUTPUT to `port`; `max_len` bytes go to the controller.
    Output {
        /// Output port (or a reserved `ports::*` value).
        port: u32,
        /// Bytes sent to the controller when `port` is CONTROLLER.
        max_len: u16,
    },
    /// COPY_TTL_OUT.
    CopyTtlOut,
    /// COPY_TTL_IN.
    CopyTtlIn,
    /// SET_MPLS_TTL.
    SetMplsTtl(u8),
    /// DEC_MPLS_TTL.
    DecMplsTtl,
    /// PUSH_VLAN with this EtherType (0x8100 / 0x88a8).
    PushVlan(u16),
    /// POP_VLAN.
    PopVlan,
    /// PUSH_MPLS with this EtherType (0x8847 / 0x8848).
    PushMpls(u16),
    /// POP_MPLS, the payload's EtherType.
    PopMpls(u16),
    /// SET_QUEUE.
    SetQueue(u32),
    /// GROUP.
    Group(u32),
    /// SET_NW_TTL.
    SetNwTtl(u8),
    /// DEC_NW_TTL.
    DecNwTtl,
    /// SET_FIELD with one OXM (no mask in OpenFlow 1.3).
    SetField(Oxm),
    /// PUSH_PBB with this EtherType (0x88e7).
    PushPbb(u16),
    /// POP_PBB.
    PopPbb,
    /// A Nicira extension action this crate decodes.
    Nicira(NxAction),
    /// An experimenter action this crate does not decode, kept raw
    /// (including Nicira subtypes not in [`NxAction`]).
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Bytes after the experimenter id (for Nicira: subtype first).
        data: Vec<u8>,
    },
    /// An action type this crate does not know, kept raw.
    Unknown {
        /// Action type.
        action_type: u16,
        /// Bytes after the 4-byte header.
        data: Vec<u8>,
    },
}

impl_codec!(Action, "action");

impl Action {
    /// OUTPUT to `port` with `max_len` [`OFPCML_NO_BUFFER`].
    pub fn output(port: u32) -> Action {
        Action::Output {
            port,
            max_len: OFPCML_NO_BUFFER,
        }
    }

    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        match self {
            Action::Output { .. } => 16,
            Action::SetField(oxm) => pad8(4 + oxm.encoded_len()),
            Action::Nicira(nx) => nx.encoded_len(),
            Action::Experimenter { data, .. } => 8 + data.len(),
            Action::Unknown { data, .. } => 4 + data.len(),
            _ => 8,
        }
    }

    /// The action type on the wire.
    pub fn action_type(&self) -> u16 {
        use types::*;
        match self {
            Action::Output { .. } => OUTPUT,
            Action::CopyTtlOut => COPY_TTL_OUT,
            Action::CopyTtlIn => COPY_TTL_IN,
            Action::SetMplsTtl(_) => SET_MPLS_TTL,
            Action::DecMplsTtl => DEC_MPLS_TTL,
            Action::PushVlan(_) => PUSH_VLAN,
            Action::PopVlan => POP_VLAN,
            Action::PushMpls(_) => PUSH_MPLS,
            Action::PopMpls(_) => POP_MPLS,
            Action::SetQueue(_) => SET_QUEUE,
            Action::Group(_) => GROUP,
            Action::SetNwTtl(_) => SET_NW_TTL,
            Action::DecNwTtl => DEC_NW_TTL,
            Action::SetField(_) => SET_FIELD,
            Action::PushPbb(_) => PUSH_PBB,
            Action::PopPbb => POP_PBB,
            Action::Nicira(_) | Action::Experimenter { .. } => EXPERIMENTER,
            Action::Unknown { action_type, .. } => *action_type,
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Action, Error> {
        Self::read_depth(r, 0)
    }

    pub(crate) fn read_depth(r: &mut Reader<'_>, depth: usize) -> Result<Action, Error> {
        use types::*;
        let offset = r.offset();
        let len = usize::from(r.peek_u16(2, "action header")?);
        if len < 8 || !len.is_multiple_of(8) {
            return Err(Error::BadLength {
                what: "action",
                offset,
                length: len,
                expected: "a multiple of 8, at least 8",
            });
        }
        let mut a = r.sub(len, "action")?;
        let action_type = a.u16("action type")?;
        a.skip(2, "action length")?;
        let exact = |want: usize| {
            if len == want {
                Ok(())
            } else {
                Err(Error::BadLength {
                    what: "action",
                    offset,
                    length: len,
                    expected: if want == 16 { "16" } else { "8" },
                })
            }
        };
        let action = match action_type {
            OUTPUT => {
                exact(16)?;
                Action::Output {
                    port: a.u32("output port")?,
                    max_len: a.u16("output max_len")?,
                }
            }
            COPY_TTL_OUT => exact(8).map(|_| Action::CopyTtlOut)?,
            COPY_TTL_IN => exact(8).map(|_| Action::CopyTtlIn)?,
            SET_MPLS_TTL => {
                exact(8)?;
                Action::SetMplsTtl(a.u8("mpls_ttl")?)
            }
            DEC_MPLS_TTL => exact(8).map(|_| Action::DecMplsTtl)?,
            PUSH_VLAN => {
                exact(8)?;
                Action::PushVlan(a.u16("ethertype")?)
            }
            POP_VLAN => exact(8).map(|_| Action::PopVlan)?,
            PUSH_MPLS => {
                exact(8)?;
                Action::PushMpls(a.u16("ethertype")?)
            }
            POP_MPLS => {
                exact(8)?;
                Action::PopMpls(a.u16("ethertype")?)
            }
            SET_QUEUE => {
                exact(8)?;
                Action::SetQueue(a.u32("queue_id")?)
            }
            GROUP => {
                exact(8)?;
                Action::Group(a.u32("group_id")?)
            }
            SET_NW_TTL => {
                exact(8)?;
                Action::SetNwTtl(a.u8("nw_ttl")?)
            }
            DEC_NW_TTL => exact(8).map(|_| Action::DecNwTtl)?,
            SET_FIELD => {
                let oxm = Oxm::read(&mut a)?;
                if len != pad8(4 + oxm.encoded_len()) {
                    return Err(Error::BadLength {
                        what: "SET_FIELD action",
                        offset,
                        length: len,
                        expected: "4 plus the OXM TLV, padded to 8",
                    });
                }
                Action::SetField(oxm)
            }
            PUSH_PBB => {
                exact(8)?;
                Action::PushPbb(a.u16("ethertype")?)
            }
            POP_PBB => exact(8).map(|_| Action::PopPbb)?,
            EXPERIMENTER => {
                let experimenter = a.u32("action experimenter id")?;
                match NxAction::read(&mut a, experimenter, offset, depth)? {
                    Some(nx) => Action::Nicira(nx),
                    None => Action::Experimenter {
                        experimenter,
                        data: a.rest().to_vec(),
                    },
                }
            }
            _ => Action::Unknown {
                action_type,
                data: a.rest().to_vec(),
            },
        };
        Ok(action)
    }

    /// The fast path of [`Action::write`] (see [`Scratch`]): the
    /// OpenFlow actions, always a multiple of 8; `None` for Nicira,
    /// experimenter and unknown actions (which take the checked general
    /// path), a SET_FIELD of an OXM without a fast path, or a full `s`.
    #[inline]
    pub(crate) fn write_scratch<const N: usize>(&self, s: &mut Scratch<N>) -> Option<()> {
        let t = self.action_type().to_be_bytes();
        match self {
            Action::Output { port, max_len } => {
                let p = port.to_be_bytes();
                let m = max_len.to_be_bytes();
                s.put([0, 0, 0, 16, p[0], p[1], p[2], p[3], m[0], m[1]])?;
                s.skip(6)
            }
            Action::SetField(oxm) => {
                let start = s.pos();
                s.put([0, types::SET_FIELD as u8, 0, 0])?;
                oxm.write_scratch(s)?;
                s.pad8_from(start)?;
                s.patch_len(start, 2).map(|_| ())
            }
            Action::SetMplsTtl(v) | Action::SetNwTtl(v) => s.put([t[0], t[1], 0, 8, *v, 0, 0, 0]),
            Action::PushVlan(e) | Action::PushMpls(e) | Action::PopMpls(e) | Action::PushPbb(e) => {
                let e = e.to_be_bytes();
                s.put([t[0], t[1], 0, 8, e[0], e[1], 0, 0])
            }
            Action::SetQueue(v) | Action::Group(v) => {
                let v = v.to_be_bytes();
                s.put([t[0], t[1], 0, 8, v[0], v[1], v[2], v[3]])
            }
            Action::CopyTtlOut
            | Action::CopyTtlIn
            | Action::DecMplsTtl
            | Action::PopVlan
            | Action::DecNwTtl
            | Action::PopPbb => s.put([t[0], t[1], 0, 8, 0, 0, 0, 0]),
            Action::Nicira(_) | Action::Experimenter { .. } | Action::Unknown { .. } => None,
        }
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = self.encoded_len();
        if !len.is_multiple_of(8) {
            return Err(Error::Unaligned {
                what: "action",
                len,
            });
        }
        match self {
            Action::Nicira(nx) => return nx.write(b),
            // The common ones in one dispatch.
            Action::Output { port, max_len } => {
                let mut a = [0u8; 16];
                a[3] = 16;
                a[4..8].copy_from_slice(&port.to_be_bytes());
                a[8..10].copy_from_slice(&max_len.to_be_bytes());
                b.put_slice(&a);
                return Ok(());
            }
            Action::SetField(oxm) => {
                let oxm_len = oxm.encoded_len();
                b.put_u16(types::SET_FIELD);
                b.put_u16(len16(len, "action")?);
                oxm.write(b)?;
                b.put_bytes(0, len - 4 - oxm_len);
                return Ok(());
            }
            _ => {}
        }
        b.put_u16(self.action_type());
        b.put_u16(len16(len, "action")?);
        match self {
            Action::Output { port, max_len } => {
                b.put_u32(*port);
                b.put_u16(*max_len);
                b.put_bytes(0, 6);
            }
            Action::SetMplsTtl(v) | Action::SetNwTtl(v) => {
                b.put_u8(*v);
                b.put_bytes(0, 3);
            }
            Action::PushVlan(e) | Action::PushMpls(e) | Action::PopMpls(e) | Action::PushPbb(e) => {
                b.put_u16(*e);
                b.put_bytes(0, 2);
            }
            Action::SetQueue(v) | Action::Group(v) => b.put_u32(*v),
            Action::SetField(oxm) => {
                oxm.write(b)?;
                b.put_bytes(0, len - 4 - oxm.encoded_len());
            }
            Action::Experimenter { experimenter, data } => {
                b.put_u32(*experimenter);
                b.put_slice(data);
            }
            Action::Unknown { data, .. } => b.put_slice(data),
            _ => b.put_bytes(0, 4),
        }
        Ok(())
    }

    /// Decodes a whole action list filling `buf`.
    pub fn decode_list(buf: &[u8]) -> Result<Vec<Action>, Error> {
        Self::read_list(&mut Reader::new(buf), 0)
    }

    /// Encodes an action list.
    pub fn encode_list<B: BufMut>(actions: &[Action], buf: &mut B) -> Result<usize, Error> {
        let needed = list_len(actions);
        if buf.remaining_mut() < needed {
            return Err(Error::BufferTooSmall {
                needed,
                available: buf.remaining_mut(),
            });
        }
        write_list(actions, buf)?;
        Ok(needed)
    }

    pub(crate) fn read_list(r: &mut Reader<'_>, depth: usize) -> Result<Vec<Action>, Error> {
        // Sized and filled with cheap placeholders first, then each action
        // decoded over its slot: building an action on the stack and
        // pushing it costs a store-forwarding stall per action.
        let n = r.count_tlvs(2);
        let mut out: Vec<Action> = (0..n).map(|_| Action::PLACEHOLDER).collect();
        let mut i = 0;
        while !r.is_empty() {
            if i == out.len() {
                out.push(Action::PLACEHOLDER);
            }
            Action::read_to(r, depth, &mut out[i])?;
            i += 1;
        }
        out.truncate(i);
        Ok(out)
    }

    /// A cheap value to decode over (no heap data to drop); a SET_FIELD,
    /// so that a SET_FIELD decodes its OXM straight into it.
    pub(crate) const PLACEHOLDER: Action = Action::SetField(Oxm::PLACEHOLDER);

    /// Reads one action into `slot`, a placeholder (overwritten, not
    /// dropped). OUTPUT and SET_FIELD (the common
    /// ones) are decoded in place; the rest go through
    /// [`Action::read_depth`].
    #[inline]
    pub(crate) fn read_to(
        r: &mut Reader<'_>,
        depth: usize,
        slot: &mut Action,
    ) -> Result<(), Error> {
        debug_assert!(
            matches!(slot, Action::SetField(o) if o.is_heap_free()),
            "decoding over {slot:?}"
        );
        if let Some(h) = r.peek_array::<8>() {
            let action_type = u16::from_be_bytes([h[0], h[1]]);
            let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
            if action_type == types::OUTPUT && len == 16 {
                if let Some(a) = r.take_array::<16>() {
                    overwrite(
                        slot,
                        Action::Output {
                            port: u32::from_be_bytes([a[4], a[5], a[6], a[7]]),
                            max_len: u16::from_be_bytes([a[8], a[9]]),
                        },
                    );
                    return Ok(());
                }
            } else if action_type == types::SET_FIELD
                && len >= 8
                && len.is_multiple_of(8)
                && len == pad8(8 + usize::from(h[7]))
                && r.remaining() >= len
            {
                // The OXM fills the action up to its padding, so its
                // header and payload are in the action and the length
                // check of the slow path holds; the OXM's own errors are
                // the same either way.
                let mut a = r.sub(len, "action")?;
                a.skip(4, "action header")?;
                if !matches!(slot, Action::SetField(_)) {
                    overwrite(slot, Action::SetField(Oxm::PLACEHOLDER));
                }
                let Action::SetField(o) = slot else {
                    unreachable!("slot was just made a SET_FIELD");
                };
                return Oxm::read_to(&mut a, o);
            }
        }
        Action::read_to_general(r, depth, slot)
    }

    /// The general path of [`Action::read_to`], out of line: inlined, the
    /// decoder of every action type (Nicira's included) made the list
    /// loop 16 KiB of code that kept its reader on the stack.
    #[inline(never)]
    fn read_to_general(r: &mut Reader<'_>, depth: usize, slot: &mut Action) -> Result<(), Error> {
        overwrite(slot, Action::read_depth(r, depth)?);
        Ok(())
    }
}

/// Encoded length of an action list.
pub(crate) fn list_len(actions: &[Action]) -> usize {
    actions.iter().map(Action::encoded_len).sum()
}

pub(crate) fn write_list<B: BufMut>(actions: &[Action], b: &mut B) -> Result<(), Error> {
    for a in actions {
        a.write(b)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::Ipv4Addr;

    #[test]
    fn output_from_spec_layout() {
        let b = [0, 0, 0, 16, 0, 0, 0, 2, 0xff, 0xe5, 0, 0, 0, 0, 0, 0];
        let a = Action::decode(&b).unwrap();
        assert_eq!(
            a,
            Action::Output {
                port: 2,
                max_len: 0xffe5
            }
        );
        assert_eq!(a.to_bytes().unwrap(), b);
    }

    #[test]
    fn fixed_actions() {
        for (a, b) in [
            (Action::CopyTtlOut, vec![0, 11, 0, 8, 0, 0, 0, 0]),
            (Action::CopyTtlIn, vec![0, 12, 0, 8, 0, 0, 0, 0]),
            (Action::SetMplsTtl(9), vec![0, 15, 0, 8, 9, 0, 0, 0]),
            (Action::DecMplsTtl, vec![0, 16, 0, 8, 0, 0, 0, 0]),
            (Action::PushVlan(0x8100), vec![0, 17, 0, 8, 0x81, 0, 0, 0]),
            (Action::PopVlan, vec![0, 18, 0, 8, 0, 0, 0, 0]),
            (
                Action::PushMpls(0x8847),
                vec![0, 19, 0, 8, 0x88, 0x47, 0, 0],
            ),
            (Action::PopMpls(0x0800), vec![0, 20, 0, 8, 8, 0, 0, 0]),
            (Action::SetQueue(3), vec![0, 21, 0, 8, 0, 0, 0, 3]),
            (Action::Group(7), vec![0, 22, 0, 8, 0, 0, 0, 7]),
            (Action::SetNwTtl(64), vec![0, 23, 0, 8, 64, 0, 0, 0]),
            (Action::DecNwTtl, vec![0, 24, 0, 8, 0, 0, 0, 0]),
            (Action::PushPbb(0x88e7), vec![0, 26, 0, 8, 0x88, 0xe7, 0, 0]),
            (Action::PopPbb, vec![0, 27, 0, 8, 0, 0, 0, 0]),
        ] {
            assert_eq!(a.to_bytes().unwrap(), b, "{a:?}");
            assert_eq!(Action::decode(&b).unwrap(), a);
        }
    }

    #[test]
    fn set_field_tun_dst() {
        let a = Action::SetField(Oxm::TunIpv4Dst(Ipv4Addr::new(192, 0, 2, 7).into()));
        let b = a.to_bytes().unwrap();
        assert_eq!(
            b,
            [
                0, 25, 0, 16, 0x00, 0x01, 0x40, 0x04, 192, 0, 2, 7, 0, 0, 0, 0
            ]
        );
        assert_eq!(Action::decode(&b).unwrap(), a);
    }

    #[test]
    fn unknown_and_experimenter_kept() {
        let b = [0, 99, 0, 8, 1, 2, 3, 4];
        let a = Action::decode(&b).unwrap();
        assert_eq!(
            a,
            Action::Unknown {
                action_type: 99,
                data: vec![1, 2, 3, 4]
            }
        );
        assert_eq!(a.to_bytes().unwrap(), b);
        let b = [0xff, 0xff, 0, 16, 0, 0, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8];
        let a = Action::decode(&b).unwrap();
        assert!(matches!(
            a,
            Action::Experimenter {
                experimenter: 0x1234,
                ..
            }
        ));
        assert_eq!(a.to_bytes().unwrap(), b);
    }

    #[test]
    fn bad_action_lengths() {
        assert!(matches!(
            Action::decode(&[0, 0, 0, 0]),
            Err(Error::BadLength { length: 0, .. })
        ));
        assert!(matches!(
            Action::decode(&[0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0]),
            Err(Error::BadLength { length: 12, .. })
        ));
        assert!(matches!(
            Action::decode(&[0, 0, 0, 8, 0, 0, 0, 0]),
            Err(Error::BadLength { length: 8, .. })
        ));
        assert!(matches!(
            Action::decode(&[0, 0, 0, 16, 0, 0, 0, 0]),
            Err(Error::Truncated { .. })
        ));
        assert!(matches!(
            Action::Unknown {
                action_type: 99,
                data: vec![1]
            }
            .to_bytes(),
            Err(Error::Unaligned { len: 5, .. })
        ));
    }
}
