//! OpenFlow 1.3 (wire version 0x04) on the wire, sans-IO: a streaming
//! framer, HELLO version negotiation, OXM matches (OpenFlow-basic and the
//! Nicira fields an OVS VTEP needs), every OpenFlow 1.3 action and
//! instruction, the Nicira actions a VXLAN/conntrack pipeline uses, the
//! controller-to-switch and asynchronous messages, typed multipart
//! statistics with splitting and reassembly, and builders for VXLAN
//! tunnel flows and BUM flood groups.
//!
//! ```text
//! Message header (every version)
//!  0        1        2                 4                                 8
//! +--------+--------+--------+--------+--------+--------+--------+--------+
//! |version |  type  |  length (all)   |               xid                 |
//! +--------+--------+--------+--------+--------+--------+--------+--------+
//!
//! OXM match (ofp_match, type 1)
//! +-----------------+-----------------+---------------------+-------------+
//! |  type = 1 (2)   |  length (2)     | OXM TLVs ...        | pad to 8    |
//! +-----------------+-----------------+---------------------+-------------+
//!   length counts type, length and the TLVs, not the padding
//!
//! OXM TLV
//! +-----------------+-------------+---+----------+------------------------+
//! |  oxm_class (2)  | field (7)   |HM | len (1)  | value [mask]           |
//! +-----------------+-------------+---+----------+------------------------+
//!   class 0x8000 OpenFlow basic, 0x0001 Nicira NXM_1, 0x8001 packet regs,
//!   0xffff experimenter (value starts with a 4-byte experimenter id)
//! ```
//!
//! Conventions: the public types hold meaning, not derived bytes (lengths
//! and padding are computed on encode and `encoded_len()` is exact); what
//! this crate does not know (message types, OXM classes and fields,
//! actions, instructions, experimenter data, Nicira subtypes, messages of
//! other versions) is kept raw and re-encoded unchanged; decoding is total
//! (no panic, every length checked, a zero length is an error) and errors
//! carry the byte offset ([`Error`]). Every OpenFlow 1.3 MULTIPART body is
//! typed ([`message::MultipartRequestBody`], [`message::MultipartReplyBody`],
//! table features with all their properties); long replies are cut under a
//! maximum message size with the MORE flag ([`message::MultipartReply::split`])
//! and joined again per xid ([`message::Reassembler`]).
//!
//! Two ways to decode: [`Message::decode`] gives owned values; the
//! borrowed views of [`view`] ([`MessageRef::decode`],
//! [`Framer::next_message_ref`]) check the same bytes the same way but
//! keep a PACKET_IN's frame, a FLOW_MOD's match and instructions and a
//! FLOW reply's entries as slices of the input, decoded when iterated: no
//! allocation, half the time of the owned decode or less when a few
//! fields are read (the in_port and frame of a PACKET_IN, the counters of
//! flow statistics), more when every field is read through the view (see
//! `benches/README.md`).
//!
//! # Example
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use openflow_wire::builder::{TunnelFlow, TunnelKey};
//! use openflow_wire::{Body, Framed, Framer, Message};
//!
//! // Send frames for 02:00:00:00:00:0a, arriving on port 1, to the remote
//! // VTEP 198.51.100.2 with VNI 5000 through the VXLAN port 10.
//! let flow = TunnelFlow {
//!     key: TunnelKey::InPort(1),
//!     eth_dst: [0x02, 0, 0, 0, 0, 0x0a].into(),
//!     remote_vtep: IpAddr::V4(Ipv4Addr::new(198, 51, 100, 2)),
//!     vni: 5000,
//!     vxlan_port: 10,
//!     table_id: 0,
//!     priority: 100,
//!     cookie: 0x1,
//! };
//! let msg = Message::new(42, Body::FlowMod(flow.flow_mod().unwrap()));
//! let bytes = msg.to_bytes().unwrap();
//! assert_eq!(bytes.len(), msg.encoded_len());
//! assert_eq!(Message::decode(&bytes).unwrap(), msg);
//!
//! // The same bytes through the streaming framer, fed in two pieces.
//! let mut framer = Framer::new();
//! framer.feed(&bytes[..10]);
//! assert_eq!(framer.next_message().unwrap(), Framed::NeedMore(bytes.len() - 10));
//! framer.feed(&bytes[10..]);
//! assert_eq!(framer.next_message().unwrap(), Framed::Message(msg));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod action;
pub mod builder;
mod codec;
mod error;
pub mod framer;
pub mod header;
pub mod hello;
pub mod instruction;
pub mod message;
pub mod oxm;
#[cfg(test)]
mod proptests;
pub mod view;

pub use action::{Action, NxAction};
pub use error::Error;
pub use framer::{Frame, Framed, FramedRef, Framer};
pub use header::Header;
pub use hello::{Hello, HelloElement, negotiate_version};
pub use instruction::Instruction;
pub use message::{Body, Message};
pub use oxm::{Masked, Match, Oxm};
pub use view::{BodyRef, MessageRef};
