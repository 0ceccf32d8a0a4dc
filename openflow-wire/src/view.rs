//! Borrowed, validated views of the messages a controller reads most:
//! PACKET_IN, FLOW_MOD and the FLOW statistics reply.
//!
//! [`MessageRef::decode`] checks a message exactly as [`Message::decode`]
//! does (every length, every OXM field, instruction and action, with the
//! same [`Error`] for the same bytes) but keeps the match, the
//! instruction and action lists and the PACKET_IN frame as slices of the
//! input: no allocation, no copy of the frame. The lists are read again,
//! field by field, only when they are iterated ([`MatchRef::iter`],
//! [`InstructionsRef::iter`], [`ActionsRef::iter`]); every other message
//! type is decoded into its owned [`Body`] ([`BodyRef::Owned`]).
//! [`MessageRef::to_message`] gives the owned [`Message`], equal to what
//! [`Message::decode`] returns for the same bytes.
//!
//! ```text
//! PACKET_IN body  | buffer_id | total_len | reason | table_id | cookie |
//!                 | match (MatchRef) | pad (2) | frame (data: &[u8]) ...|
//! FLOW_MOD body   | 40-byte fixed part | match (MatchRef) |
//!                 | instructions (InstructionsRef) ...                 |
//! MULTIPART_REPLY | type = 1 (FLOW) | flags | pad (4) |
//!   (FLOW)        | entry: 48-byte fixed part | match | instructions |..
//! ```
//!
//! ```
//! use openflow_wire::view::{BodyRef, MessageRef};
//! use openflow_wire::message::PacketIn;
//! use openflow_wire::{Body, Match, Message, Oxm};
//!
//! let frame = vec![0xab; 64];
//! let msg = Message::new(7, Body::PacketIn(PacketIn {
//!     buffer_id: u32::MAX,
//!     total_len: 64,
//!     r#match: Match::new().with(Oxm::InPort(3.into())).with(Oxm::TunnelId(5000.into())),
//!     data: frame.clone(),
//!     ..PacketIn::default()
//! }));
//! let bytes = msg.to_bytes().unwrap();
//!
//! let view = MessageRef::decode(&bytes).unwrap();
//! let BodyRef::PacketIn(p) = &view.body else { panic!("a PACKET_IN") };
//! assert_eq!(p.data, &frame[..]); // the frame, not a copy of it
//! assert_eq!(p.r#match.get(0x8000, 0), Some(Oxm::InPort(3.into())));
//! assert_eq!(p.r#match.iter().count(), 2);
//! assert_eq!(view.to_message(), msg);
//! ```

use core::fmt;
use core::iter::FusedIterator;

use crate::action::{Action, types as action_types};
use crate::codec::{Reader, overwrite, pad8};
use crate::header::OFP_VERSION_1_3;
use crate::instruction::Instruction;
use crate::message::{
    Body, FlowMod, FlowStats, MultipartReply, MultipartReplyBody, PacketIn, mp_types, msg_types,
    read_flow_mod_fixed, read_flow_stats_fixed, read_multipart_header, read_packet_in_fixed,
};
use crate::oxm::{Match, Oxm, OxmHeader};
use crate::{Error, Message};

/// A message whose common bodies borrow from the input (see the
/// [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRef<'a> {
    /// Wire version.
    pub version: u8,
    /// Transaction id.
    pub xid: u32,
    /// The body.
    pub body: BodyRef<'a>,
}

/// The body of a [`MessageRef`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BodyRef<'a> {
    /// PACKET_IN (OpenFlow 1.3).
    PacketIn(PacketInRef<'a>),
    /// FLOW_MOD (OpenFlow 1.3).
    FlowMod(FlowModRef<'a>),
    /// MULTIPART_REPLY of type FLOW (OpenFlow 1.3).
    FlowStatsReply(FlowStatsReplyRef<'a>),
    /// Any other message, decoded into its owned body.
    Owned(Body),
}

impl<'a> MessageRef<'a> {
    /// Decodes exactly one message filling `buf`, with the same checks
    /// and errors as [`Message::decode`].
    pub fn decode(buf: &'a [u8]) -> Result<MessageRef<'a>, Error> {
        let mut r = Reader::new(buf);
        if let Some(h) = buf.get(2..4)
            && usize::from(u16::from_be_bytes([h[0], h[1]])) == buf.len()
        {
            // The message fills `buf`: nothing can trail it, so the result
            // is returned as decoded (not moved again behind the check).
            return MessageRef::read(&mut r);
        }
        let m = MessageRef::read(&mut r)?;
        r.finish("OpenFlow message")?;
        Ok(m)
    }

    /// Reads one message, decoded straight into the value returned: a
    /// finished message copied into the result (or a body returned, then
    /// moved into the enum) was read back across the partly overlapping
    /// stores of the fields just written, a store-forwarding stall in the
    /// profile.
    #[inline(always)]
    pub(crate) fn read(r: &mut Reader<'a>) -> Result<MessageRef<'a>, Error> {
        let mut out = Ok(MessageRef {
            version: 0,
            xid: 0,
            body: BodyRef::Owned(Body::BarrierReply),
        });
        if let Ok(msg) = &mut out
            && let Err(e) = MessageRef::read_into(r, msg)
        {
            out = Err(e);
        }
        out
    }

    /// Reads one message into `msg`, the borrowed bodies field by field
    /// in place.
    #[inline(always)]
    fn read_into(r: &mut Reader<'a>, msg: &mut MessageRef<'a>) -> Result<(), Error> {
        let (header, mut body) = Message::read_frame(r)?;
        msg.version = header.version;
        msg.xid = header.xid;
        let typed = header.version == OFP_VERSION_1_3;
        match header.msg_type {
            msg_types::PACKET_IN if typed => {
                overwrite(&mut msg.body, BodyRef::PacketIn(PacketInRef::EMPTY));
                if let BodyRef::PacketIn(p) = &mut msg.body {
                    PacketInRef::read_to(&mut body, p)?;
                }
            }
            msg_types::FLOW_MOD if typed => {
                overwrite(&mut msg.body, BodyRef::FlowMod(FlowModRef::EMPTY));
                if let BodyRef::FlowMod(f) = &mut msg.body {
                    FlowModRef::read_to(&mut body, f)?;
                }
            }
            msg_types::MULTIPART_REPLY if typed => {
                let (mp_type, flags) = read_multipart_header(&mut body)?;
                msg.body = if mp_type == mp_types::FLOW {
                    BodyRef::FlowStatsReply(FlowStatsReplyRef {
                        flags,
                        entries: FlowStatsEntries::read(&mut body)?,
                    })
                } else {
                    BodyRef::Owned(Body::MultipartReply(MultipartReply {
                        flags,
                        body: MultipartReplyBody::read(&mut body, mp_type)?,
                    }))
                };
            }
            t => msg.body = BodyRef::Owned(Body::read(&mut body, header.version, t)?),
        }
        body.finish("message body")
    }

    /// The `OFPT_*` type.
    pub fn msg_type(&self) -> u8 {
        self.body.msg_type()
    }

    /// The owned message (what [`Message::decode`] gives for the bytes).
    pub fn to_message(&self) -> Message {
        Message {
            version: self.version,
            xid: self.xid,
            body: self.body.to_body(),
        }
    }
}

impl BodyRef<'_> {
    /// The `OFPT_*` type.
    pub fn msg_type(&self) -> u8 {
        match self {
            BodyRef::PacketIn(_) => msg_types::PACKET_IN,
            BodyRef::FlowMod(_) => msg_types::FLOW_MOD,
            BodyRef::FlowStatsReply(_) => msg_types::MULTIPART_REPLY,
            BodyRef::Owned(b) => b.msg_type(),
        }
    }

    /// The owned body.
    pub fn to_body(&self) -> Body {
        match self {
            BodyRef::PacketIn(p) => Body::PacketIn(p.to_packet_in()),
            BodyRef::FlowMod(f) => Body::FlowMod(f.to_flow_mod()),
            BodyRef::FlowStatsReply(s) => Body::MultipartReply(MultipartReply {
                flags: s.flags,
                body: MultipartReplyBody::Flow(s.entries.to_vec()),
            }),
            BodyRef::Owned(b) => b.clone(),
        }
    }
}

/// The error the field-by-field decoder `read` gives for a fixed part
/// shorter than its fields (the fast paths take the fixed part in one
/// piece and fall back to this for the precise error).
fn short_fixed<'a, T>(
    r: &mut Reader<'a>,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, Error>,
    what: &'static str,
    needed: usize,
) -> Error {
    let (offset, available) = (r.offset(), r.remaining());
    match read(r) {
        Err(e) => e,
        // Not reached: the fields need more bytes than were there.
        Ok(_) => Error::Truncated {
            what,
            offset,
            needed,
            available,
        },
    }
}

/// A PACKET_IN whose match and frame borrow from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct PacketInRef<'a> {
    /// Buffer id ([`crate::message::OFP_NO_BUFFER`] = not buffered).
    pub buffer_id: u32,
    /// Full length of the frame.
    pub total_len: u16,
    /// `OFPR_*` reason.
    pub reason: u8,
    /// Table the packet was looked up in.
    pub table_id: u8,
    /// Cookie of the flow entry that sent it.
    pub cookie: u64,
    /// The pipeline fields.
    pub r#match: MatchRef<'a>,
    /// The frame (or its first bytes).
    pub data: &'a [u8],
}

impl<'a> PacketInRef<'a> {
    const EMPTY: PacketInRef<'static> = PacketInRef {
        buffer_id: 0,
        total_len: 0,
        reason: 0,
        table_id: 0,
        cookie: 0,
        r#match: MatchRef {
            bytes: &[],
            base: 0,
        },
        data: &[],
    };

    /// Reads the body into `p`, field by field in place.
    #[inline(always)]
    fn read_to(r: &mut Reader<'a>, p: &mut PacketInRef<'a>) -> Result<(), Error> {
        let Some(b) = r.take_array::<16>() else {
            return Err(short_fixed(r, PacketIn::read, "packet_in", 16));
        };
        read_packet_in_fixed!(&mut *p, b);
        p.r#match = MatchRef::read(r)?;
        r.skip(2, "packet_in pad")?;
        p.data = r.rest();
        Ok(())
    }

    /// The owned PACKET_IN.
    pub fn to_packet_in(&self) -> PacketIn {
        PacketIn {
            buffer_id: self.buffer_id,
            total_len: self.total_len,
            reason: self.reason,
            table_id: self.table_id,
            cookie: self.cookie,
            r#match: self.r#match.to_match(),
            data: self.data.to_vec(),
        }
    }
}

/// A FLOW_MOD whose match and instructions borrow from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowModRef<'a> {
    /// Cookie.
    pub cookie: u64,
    /// Cookie bits that must match (modify/delete).
    pub cookie_mask: u64,
    /// Table id.
    pub table_id: u8,
    /// One of [`crate::message::commands`].
    pub command: u8,
    /// Idle timeout, seconds.
    pub idle_timeout: u16,
    /// Hard timeout, seconds.
    pub hard_timeout: u16,
    /// Priority.
    pub priority: u16,
    /// Buffered packet to apply to.
    pub buffer_id: u32,
    /// Output port filter for deletes.
    pub out_port: u32,
    /// Output group filter for deletes.
    pub out_group: u32,
    /// `OFPFF_*` flags.
    pub flags: u16,
    /// The match.
    pub r#match: MatchRef<'a>,
    /// The instructions.
    pub instructions: InstructionsRef<'a>,
}

impl<'a> FlowModRef<'a> {
    const EMPTY: FlowModRef<'static> = FlowModRef {
        cookie: 0,
        cookie_mask: 0,
        table_id: 0,
        command: 0,
        idle_timeout: 0,
        hard_timeout: 0,
        priority: 0,
        buffer_id: 0,
        out_port: 0,
        out_group: 0,
        flags: 0,
        r#match: MatchRef {
            bytes: &[],
            base: 0,
        },
        instructions: InstructionsRef {
            bytes: &[],
            base: 0,
        },
    };

    /// Reads the body into `f`, field by field in place.
    fn read_to(r: &mut Reader<'a>, f: &mut FlowModRef<'a>) -> Result<(), Error> {
        let Some(b) = r.take_array::<40>() else {
            return Err(short_fixed(r, FlowMod::read_fields, "flow_mod", 40));
        };
        read_flow_mod_fixed!(&mut *f, b);
        f.r#match = MatchRef::read(r)?;
        f.instructions = InstructionsRef::read(r)?;
        Ok(())
    }

    /// The owned FLOW_MOD.
    pub fn to_flow_mod(&self) -> FlowMod {
        FlowMod {
            cookie: self.cookie,
            cookie_mask: self.cookie_mask,
            table_id: self.table_id,
            command: self.command,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            priority: self.priority,
            buffer_id: self.buffer_id,
            out_port: self.out_port,
            out_group: self.out_group,
            flags: self.flags,
            r#match: self.r#match.to_match(),
            instructions: self.instructions.to_vec(),
        }
    }
}

/// A MULTIPART_REPLY of type FLOW whose entries borrow from the input.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowStatsReplyRef<'a> {
    /// `OFPMPF_*` flags ([`crate::message::OFPMPF_REPLY_MORE`]).
    pub flags: u16,
    /// The flow entries.
    pub entries: FlowStatsEntries<'a>,
}

/// One flow entry of a FLOW reply, its match and instructions borrowed.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowStatsRef<'a> {
    /// Table of the flow.
    pub table_id: u8,
    /// Seconds the flow has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// Priority.
    pub priority: u16,
    /// Idle timeout, seconds.
    pub idle_timeout: u16,
    /// Hard timeout, seconds.
    pub hard_timeout: u16,
    /// `OFPFF_*` flags.
    pub flags: u16,
    /// Cookie.
    pub cookie: u64,
    /// Packets matched.
    pub packet_count: u64,
    /// Bytes matched.
    pub byte_count: u64,
    /// The flow's match.
    pub r#match: MatchRef<'a>,
    /// The flow's instructions.
    pub instructions: InstructionsRef<'a>,
}

impl<'a> FlowStatsRef<'a> {
    const EMPTY: FlowStatsRef<'static> = FlowStatsRef {
        table_id: 0,
        duration_sec: 0,
        duration_nsec: 0,
        priority: 0,
        idle_timeout: 0,
        hard_timeout: 0,
        flags: 0,
        cookie: 0,
        packet_count: 0,
        byte_count: 0,
        r#match: MatchRef {
            bytes: &[],
            base: 0,
        },
        instructions: InstructionsRef {
            bytes: &[],
            base: 0,
        },
    };

    /// One entry (what `FlowStats::read_to` checks, in the same order).
    fn read(r: &mut Reader<'a>) -> Result<FlowStatsRef<'a>, Error> {
        let mut e = r.tlv(0, 56, "flow stats entry", "at least 56")?;
        let Some(b) = e.take_array::<48>() else {
            return Err(short_fixed(
                &mut e,
                |e| FlowStats::read_entry(e.clone()),
                "flow stats entry",
                48,
            ));
        };
        let mut s = FlowStatsRef {
            r#match: MatchRef::read(&mut e)?,
            instructions: InstructionsRef::read(&mut e)?,
            ..FlowStatsRef::EMPTY
        };
        read_flow_stats_fixed!(&mut s, b);
        Ok(s)
    }

    /// The owned entry.
    pub fn to_flow_stats(&self) -> FlowStats {
        FlowStats {
            table_id: self.table_id,
            duration_sec: self.duration_sec,
            duration_nsec: self.duration_nsec,
            priority: self.priority,
            idle_timeout: self.idle_timeout,
            hard_timeout: self.hard_timeout,
            flags: self.flags,
            cookie: self.cookie,
            packet_count: self.packet_count,
            byte_count: self.byte_count,
            r#match: self.r#match.to_match(),
            instructions: self.instructions.to_vec(),
        }
    }
}

/// Where a list item says its length.
#[derive(Clone, Copy)]
enum LenAt {
    /// An OXM TLV: 4-byte header, payload length in its last byte.
    Oxm,
    /// A 16-bit length of the whole item at this offset.
    U16(usize),
}

/// The length of the item at the start of `b`, if it has a nonzero one.
#[inline]
fn item_len(b: &[u8], at: LenAt) -> Option<usize> {
    let len = match at {
        LenAt::Oxm => 4 + usize::from(*b.get(3)?),
        LenAt::U16(i) => usize::from(u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?])),
    };
    (len > 0).then_some(len)
}

/// The common part of the borrowed lists: the checked bytes of the list
/// (their reader keeps the absolute offsets) and, from them, an iterator
/// that decodes one item per step.
macro_rules! list_view {
    ($(#[$doc:meta])* $name:ident, $iter:ident, $item:ty, $owned:ty, $to_owned:ident, $len_at:expr, $read_item:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            /// The list's bytes.
            bytes: &'a [u8],
            /// Their absolute offset in the message.
            base: usize,
        }

        impl<'a> $name<'a> {
            /// The rest of `r` as the list (not checked here).
            fn of(r: &Reader<'a>) -> Self {
                $name {
                    bytes: r.peek_rest(),
                    base: r.offset(),
                }
            }

            /// A reader over the list, at its offsets.
            pub(crate) fn reader(&self) -> Reader<'a> {
                Reader::at(self.bytes, self.base)
            }

            /// The items, decoded one per step.
            pub fn iter(&self) -> $iter<'a> {
                $iter {
                    list: self.reader(),
                }
            }

            /// How many items there are (their lengths walked, nothing
            /// decoded).
            pub fn len(&self) -> usize {
                self.items().count()
            }

            /// Each item's bytes, cut by its length field (the list was
            /// checked, so every length is in bounds and advances).
            fn items(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
                let mut rest = self.bytes;
                core::iter::from_fn(move || {
                    let len = item_len(rest, $len_at)?;
                    let (item, tail) = rest.split_at_checked(len)?;
                    rest = tail;
                    Some(item)
                })
            }

            /// Whether there are none.
            pub fn is_empty(&self) -> bool {
                self.bytes.is_empty()
            }

            /// The items' bytes as on the wire.
            pub fn as_bytes(&self) -> &'a [u8] {
                self.bytes
            }

            /// The owned items.
            pub fn $to_owned(&self) -> $owned {
                self.iter().map(|x| x.into()).collect()
            }
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        /// Equal when the decoded items are.
        impl PartialEq for $name<'_> {
            fn eq(&self, other: &Self) -> bool {
                self.iter().eq(other.iter())
            }
        }

        impl<'a> IntoIterator for &$name<'a> {
            type Item = $item;
            type IntoIter = $iter<'a>;
            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }

        #[doc = concat!("The items of a [`", stringify!($name), "`], decoded one per step.")]
        #[derive(Debug, Clone)]
        pub struct $iter<'a> {
            list: Reader<'a>,
        }

        impl<'a> Iterator for $iter<'a> {
            type Item = $item;
            fn next(&mut self) -> Option<$item> {
                if self.list.is_empty() {
                    return None;
                }
                let read: fn(&mut Reader<'a>) -> Result<$item, Error> = $read_item;
                match read(&mut self.list) {
                    Ok(x) => Some(x),
                    // Not reached on a checked list; ends the iteration.
                    Err(_) => {
                        self.list.rest();
                        None
                    }
                }
            }
        }

        impl FusedIterator for $iter<'_> {}
    };
}

list_view!(
    /// The OXM fields of a match, checked, borrowed from the input.
    MatchRef,
    OxmIter,
    Oxm,
    Match,
    to_match,
    LenAt::Oxm,
    Oxm::read
);

list_view!(
    /// An instruction list, checked, borrowed from the input.
    InstructionsRef,
    InstructionIter,
    InstructionRef<'a>,
    Vec<Instruction>,
    to_vec,
    LenAt::U16(2),
    InstructionRef::read_head
);

list_view!(
    /// An action list, checked, borrowed from the input.
    ActionsRef,
    ActionIter,
    Action,
    Vec<Action>,
    to_vec,
    LenAt::U16(2),
    |r| {
        let mut a = Action::PLACEHOLDER;
        Action::read_to(r, 0, &mut a).map(|()| a)
    }
);

list_view!(
    /// The entries of a FLOW reply, checked, borrowed from the input.
    FlowStatsEntries,
    FlowStatsIter,
    FlowStatsRef<'a>,
    Vec<FlowStats>,
    to_vec,
    LenAt::U16(0),
    FlowStatsRef::read
);

impl<'a> MatchRef<'a> {
    /// Checks a match (header, every field, padding) as the decoder of
    /// [`Match`] does and keeps its TLVs.
    #[inline(always)]
    pub(crate) fn read(r: &mut Reader<'a>) -> Result<MatchRef<'a>, Error> {
        let (mut m, len) = Match::read_head(r)?;
        let list = MatchRef::of(&m);
        while !m.is_empty() {
            Oxm::check(&mut m)?;
        }
        Match::skip_padding(r, len)?;
        Ok(list)
    }

    /// The first field with this class and field number.
    /// Only that field is decoded: the others are passed over by their
    /// headers.
    pub fn get(&self, class: u16, field: u8) -> Option<Oxm> {
        let header = self.items().find(|t| {
            let h = OxmHeader::from_u32(u32::from_be_bytes([t[0], t[1], t[2], t[3]]));
            h.class == class && h.field == field
        })?;
        Oxm::decode(header).ok()
    }
}

impl<'a> ActionsRef<'a> {
    /// Checks the actions filling `list` as [`Action`]'s list decoder does.
    fn read(self) -> Result<ActionsRef<'a>, Error> {
        let mut r = self.reader();
        while !r.is_empty() {
            ActionsRef::check(&mut r)?;
        }
        Ok(self)
    }

    /// Checks one action and skips it, with the decoder's error for the
    /// same bytes. OUTPUT and SET_FIELD, the common ones, are checked
    /// without building them (under the conditions of the decoder's own
    /// fast path for them); the rest are decoded and dropped.
    pub(crate) fn check(r: &mut Reader<'a>) -> Result<(), Error> {
        if let Some(h) = r.peek_array::<8>() {
            let action_type = u16::from_be_bytes([h[0], h[1]]);
            let len = usize::from(u16::from_be_bytes([h[2], h[3]]));
            if action_type == action_types::OUTPUT && len == 16 && r.remaining() >= 16 {
                return r.skip(16, "action");
            }
            if action_type == action_types::SET_FIELD
                && len >= 8
                && len.is_multiple_of(8)
                && len == pad8(8 + usize::from(h[7]))
                && r.remaining() >= len
            {
                let mut a = r.sub(len, "action")?;
                a.skip(4, "action header")?;
                return Oxm::check(&mut a);
            }
        }
        let mut slot = Action::PLACEHOLDER;
        Action::read_to(r, 0, &mut slot)
    }
}

impl<'a> InstructionsRef<'a> {
    /// Checks the instructions filling the rest of `r` and takes them.
    fn read(r: &mut Reader<'a>) -> Result<InstructionsRef<'a>, Error> {
        let list = InstructionsRef::of(r);
        while !r.is_empty() {
            InstructionRef::read(r)?;
        }
        Ok(list)
    }
}

impl<'a> FlowStatsEntries<'a> {
    /// Checks the entries filling the rest of `r` and takes them.
    fn read(r: &mut Reader<'a>) -> Result<FlowStatsEntries<'a>, Error> {
        let list = FlowStatsEntries::of(r);
        while !r.is_empty() {
            FlowStatsRef::read(r)?;
        }
        Ok(list)
    }
}

impl From<FlowStatsRef<'_>> for FlowStats {
    fn from(s: FlowStatsRef<'_>) -> FlowStats {
        s.to_flow_stats()
    }
}

impl From<InstructionRef<'_>> for Instruction {
    fn from(i: InstructionRef<'_>) -> Instruction {
        i.to_instruction()
    }
}

/// One instruction, its action list borrowed from the input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InstructionRef<'a> {
    /// Go to this table next.
    GotoTable(u8),
    /// Write `metadata` under `mask`.
    WriteMetadata {
        /// The value.
        metadata: u64,
        /// Bits to write.
        mask: u64,
    },
    /// Merge these actions into the action set.
    WriteActions(ActionsRef<'a>),
    /// Apply these actions now.
    ApplyActions(ActionsRef<'a>),
    /// Clear the action set.
    ClearActions,
    /// Send through this meter.
    Meter(u32),
    /// An experimenter instruction.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Its data after the id.
        data: &'a [u8],
    },
    /// An instruction type this crate does not know.
    Unknown {
        /// The type.
        instruction_type: u16,
        /// Everything after the 4-byte header.
        data: &'a [u8],
    },
}

impl<'a> InstructionRef<'a> {
    /// One instruction, checked (its actions too).
    #[inline(always)]
    fn read(r: &mut Reader<'a>) -> Result<InstructionRef<'a>, Error> {
        Ok(match InstructionRef::read_head(r)? {
            InstructionRef::WriteActions(a) => InstructionRef::WriteActions(a.read()?),
            InstructionRef::ApplyActions(a) => InstructionRef::ApplyActions(a.read()?),
            other => other,
        })
    }

    /// One instruction with its header and fixed body checked; an action
    /// list is taken but not checked (the caller checks or decodes it).
    #[inline(always)]
    pub(crate) fn read_head(r: &mut Reader<'a>) -> Result<InstructionRef<'a>, Error> {
        let offset = r.offset();
        let len = usize::from(r.peek_u16(2, "instruction header")?);
        if len < 8 || !len.is_multiple_of(8) {
            return Err(Error::BadLength {
                what: "instruction",
                offset,
                length: len,
                expected: "a multiple of 8, at least 8",
            });
        }
        let mut i = r.sub(len, "instruction")?;
        let instruction_type = i.u16("instruction type")?;
        i.skip(2, "instruction length")?;
        let exact = |want: usize, expected: &'static str| {
            if len == want {
                Ok(())
            } else {
                Err(Error::BadLength {
                    what: "instruction",
                    offset,
                    length: len,
                    expected,
                })
            }
        };
        Ok(match instruction_type {
            1 => {
                exact(8, "8")?;
                InstructionRef::GotoTable(i.u8("goto table_id")?)
            }
            2 => {
                exact(24, "24")?;
                i.skip(4, "write_metadata pad")?;
                InstructionRef::WriteMetadata {
                    metadata: i.u64("metadata")?,
                    mask: i.u64("metadata mask")?,
                }
            }
            3 | 4 => {
                i.skip(4, "instruction pad")?;
                let list = ActionsRef::of(&i);
                if instruction_type == 3 {
                    InstructionRef::WriteActions(list)
                } else {
                    InstructionRef::ApplyActions(list)
                }
            }
            5 => {
                exact(8, "8")?;
                InstructionRef::ClearActions
            }
            6 => {
                exact(8, "8")?;
                InstructionRef::Meter(i.u32("meter_id")?)
            }
            0xffff => InstructionRef::Experimenter {
                experimenter: i.u32("instruction experimenter id")?,
                data: i.rest(),
            },
            _ => InstructionRef::Unknown {
                instruction_type,
                data: i.rest(),
            },
        })
    }

    /// The owned instruction.
    pub fn to_instruction(&self) -> Instruction {
        match self {
            InstructionRef::GotoTable(t) => Instruction::GotoTable(*t),
            InstructionRef::WriteMetadata { metadata, mask } => Instruction::WriteMetadata {
                metadata: *metadata,
                mask: *mask,
            },
            InstructionRef::WriteActions(a) => Instruction::WriteActions(a.to_vec()),
            InstructionRef::ApplyActions(a) => Instruction::ApplyActions(a.to_vec()),
            InstructionRef::ClearActions => Instruction::ClearActions,
            InstructionRef::Meter(m) => Instruction::Meter(*m),
            InstructionRef::Experimenter { experimenter, data } => Instruction::Experimenter {
                experimenter: *experimenter,
                data: data.to_vec(),
            },
            InstructionRef::Unknown {
                instruction_type,
                data,
            } => Instruction::Unknown {
                instruction_type: *instruction_type,
                data: data.to_vec(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use core::net::{IpAddr, Ipv4Addr};

    use super::*;
    use crate::builder::{TunnelFlow, TunnelKey};
    use crate::framer::{FramedRef, Framer};

    fn tunnel_flow() -> FlowMod {
        TunnelFlow {
            key: TunnelKey::InPort(1),
            eth_dst: [2, 0, 0, 0, 0, 0x0a].into(),
            remote_vtep: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2)),
            vni: 5000,
            vxlan_port: 10,
            table_id: 0,
            priority: 100,
            cookie: 0x1,
        }
        .flow_mod()
        .unwrap()
    }

    #[test]
    fn flow_mod_view_reads_fields_instructions_and_actions() {
        let f = tunnel_flow();
        let bytes = Message::new(9, Body::FlowMod(f.clone()))
            .to_bytes()
            .unwrap();
        let v = MessageRef::decode(&bytes).unwrap();
        assert_eq!(
            (v.version, v.xid, v.msg_type()),
            (4, 9, msg_types::FLOW_MOD)
        );
        let BodyRef::FlowMod(r) = &v.body else {
            panic!("{v:?}")
        };
        assert_eq!((r.priority, r.cookie, r.table_id), (100, 1, 0));
        assert_eq!(r.r#match.to_match(), f.r#match);
        assert_eq!(r.r#match.get(0x8000, 0), Some(Oxm::InPort(1.into())));
        assert_eq!(r.r#match.get(0x8000, 39), None);
        let [InstructionRef::ApplyActions(actions)] =
            &r.instructions.iter().collect::<Vec<_>>()[..]
        else {
            panic!("{:?}", r.instructions)
        };
        let Instruction::ApplyActions(owned) = &f.instructions[0] else {
            panic!("{:?}", f.instructions)
        };
        assert_eq!(&actions.to_vec(), owned);
        assert_eq!(actions.len(), owned.len());
        assert_eq!(r.to_flow_mod(), f);
        // The lists are slices of the input.
        let m = r.r#match.as_bytes();
        assert_eq!(m, &bytes[8 + 40 + 4..8 + 40 + 4 + m.len()]);
        assert!(bytes.ends_with(r.instructions.as_bytes()));
    }

    #[test]
    fn flow_stats_view_iterates_entries() {
        let f = tunnel_flow();
        let entries: Vec<FlowStats> = (0..3)
            .map(|i| FlowStats {
                priority: f.priority,
                cookie: i,
                packet_count: 10 * i,
                byte_count: 1000 * i,
                r#match: f.r#match.clone(),
                instructions: f.instructions.clone(),
                ..FlowStats::default()
            })
            .collect();
        let reply = MultipartReply::new(MultipartReplyBody::Flow(entries.clone()));
        let bytes = Message::new(5, Body::MultipartReply(reply))
            .to_bytes()
            .unwrap();
        let v = MessageRef::decode(&bytes).unwrap();
        let BodyRef::FlowStatsReply(s) = &v.body else {
            panic!("{v:?}")
        };
        assert_eq!(s.entries.len(), 3);
        let counts: Vec<_> = s.entries.iter().map(|e| e.packet_count).collect();
        assert_eq!(counts, [0, 10, 20]);
        assert_eq!(s.entries.to_vec(), entries);
        // Other multipart replies are owned.
        let desc = Message::new(
            6,
            Body::MultipartReply(MultipartReply::new(
                MultipartReplyBody::Desc(Box::default()),
            )),
        );
        let bytes = desc.to_bytes().unwrap();
        let v = MessageRef::decode(&bytes).unwrap();
        assert!(matches!(&v.body, BodyRef::Owned(Body::MultipartReply(_))));
        assert_eq!(v.to_message(), desc);
    }

    #[test]
    fn errors_are_the_owned_decoders() {
        let mut bytes = Message::new(9, Body::FlowMod(tunnel_flow()))
            .to_bytes()
            .unwrap();
        // The OUTPUT action (the last 16 bytes) given length 0.
        let n = bytes.len();
        bytes[n - 14..n - 12].copy_from_slice(&[0, 0]);
        let owned = Message::decode(&bytes).unwrap_err();
        assert!(
            matches!(owned, Error::BadLength { what: "action", .. }),
            "{owned}"
        );
        assert_eq!(MessageRef::decode(&bytes).unwrap_err(), owned);
        // Trailing bytes after a whole message.
        let mut two = Message::new(1, Body::BarrierReply).to_bytes().unwrap();
        two.push(0);
        assert_eq!(
            MessageRef::decode(&two),
            Err(Message::decode(&two).unwrap_err())
        );
    }

    #[test]
    fn framer_gives_views() {
        let frame = vec![7u8; 100];
        let pi = Message::new(
            1,
            Body::PacketIn(PacketIn {
                r#match: Match::new().with(Oxm::InPort(4.into())),
                data: frame.clone(),
                ..PacketIn::default()
            }),
        );
        let mut stream = pi.to_bytes().unwrap();
        Message::new(2, Body::FlowMod(tunnel_flow()))
            .encode(&mut stream)
            .unwrap();
        let mut framer = Framer::new();
        framer.feed(&stream[..50]);
        assert!(matches!(
            framer.next_message_ref(),
            Ok(FramedRef::NeedMore(_))
        ));
        framer.feed(&stream[50..]);
        match framer.next_message_ref().unwrap() {
            FramedRef::Message(MessageRef {
                body: BodyRef::PacketIn(p),
                ..
            }) => assert_eq!(p.data, &frame[..]),
            other => panic!("{other:?}"),
        }
        match framer.next_message_ref().unwrap() {
            FramedRef::Message(m) => assert_eq!(m.xid, 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(framer.buffered(), 0);
    }
}
