//! The BGP adapter: decoding goes through the `bgp-evpn-wire` crate.
//!
//! # Decoding context
//!
//! How an UPDATE is laid out depends on what the session negotiated in its
//! two OPENs: 2- or 4-octet AS numbers (RFC 6793), Add-Path per family
//! (RFC 7911), Extended Message (RFC 8654). The inspector remembers, per
//! TCP connection, the OPEN sent in each direction ([`Opens`]) and decodes
//! each message with the context of its direction ([`BgpContext::for_direction`]):
//!
//! | OPENs seen | context of a message from *sender* to *receiver* | `"from"` |
//! |---|---|---|
//! | both | [`DecodingContext::from_opens`]`(receiver, sender)`: 4-octet AS and Extended Message if both advertised them, Add-Path for the families where the sender may send and the receiver receive Path Identifiers | `"opens"` |
//! | the sender's only | what the sender advertised, assuming the peer agreed: 4-octet AS and Extended Message if advertised, Add-Path for the families the sender advertised *send* for | `"sender-open"` |
//! | the receiver's only | the same from the receiver's OPEN: Add-Path for the families it advertised *receive* for | `"receiver-open"` |
//! | none (capture started mid-session, `--hex`) | 4-octet AS (most speakers today), or 2-octet with `--bgp-as2`; Extended Message (any length the framing accepts); no Add-Path. If the message does not decode, the other AS width is tried | `"default"`, or `"default-other-as-width"` when the other width was needed |
//!
//! A new SYN on either direction forgets the connection's OPENs. The
//! context used is reported in the decoded value (`"context"`), and
//! `--roundtrip` re-encodes with that same context.
//!
//! # What a line says
//!
//! A message that [`Message::decode`] accepts is decoded:
//! `"decoded": {"context": {..}, "message": {..}}`, the message as
//! `bgp-evpn-wire` serialises it. An UPDATE that is well-formed but lacks a
//! well-known mandatory attribute (the os-ken EVPN captures carry
//! MP_REACH_NLRI alone) decodes too; its RFC 7606 problems are listed in
//! `"decoded"."rfc7606"` (each with its action, treat-as-withdraw).
//!
//! A message that does not decode is an error line. For an UPDATE the
//! `"error"` object carries `"rfc7606"`: `{"update": what could be decoded,
//! "problems": [{"text", "offset", "notification", "action", ..}...]}` from
//! [`UpdateOutcome::decode`]; for other messages, `"notification"`: the
//! `[code, subcode]` a speaker would send.

use std::collections::{BTreeMap, BTreeSet};

use bgp_evpn_wire::Error;
use bgp_evpn_wire::attribute::MpNlri;
use bgp_evpn_wire::message::{
    DecodingContext, Message, Open, UpdateAction, UpdateOutcome, UpdateProblem, message_type,
};
use bgp_evpn_wire::types::AfiSafi;
use serde::Serialize;
use serde_json::{Value, json};

use crate::packet::Flow;
use crate::protocol::{Codec, DecodeError};

/// Where a context came from (the `"from"` field of `"context"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Both OPENs of the connection.
    Opens,
    /// Only the sender's OPEN.
    SenderOpen,
    /// Only the receiver's OPEN.
    ReceiverOpen,
    /// No OPEN: the default.
    Default,
    /// No OPEN: the default did not decode, the other AS width did.
    DefaultOtherAsWidth,
}

/// The context one message of one direction is decoded and re-encoded with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BgpContext {
    /// Symmetric: Add-Path receive and send sets are equal, so the context
    /// decodes what it encodes (the message as it travelled).
    pub ctx: DecodingContext,
    /// Where it came from.
    pub basis: Basis,
}

/// The `"context"` object of a decoded line.
#[derive(Clone, Debug, Serialize)]
struct ContextView {
    from: Basis,
    four_octet_as: bool,
    extended_message: bool,
    /// Families whose NLRI carry Path Identifiers, as `"l2vpn/evpn"`.
    add_path: Vec<String>,
}

impl BgpContext {
    /// The context of a message from `sender` to `receiver`, given the
    /// OPEN each of them sent, if seen (see the module docs).
    /// `two_octet_default` picks 2-octet AS numbers when neither is known.
    pub fn for_direction(
        sender: Option<&Open>,
        receiver: Option<&Open>,
        two_octet_default: bool,
    ) -> BgpContext {
        let (ctx, basis) = match (sender, receiver) {
            (Some(s), Some(r)) => (DecodingContext::from_opens(r, s), Basis::Opens),
            (Some(s), None) => (one_open(s, true), Basis::SenderOpen),
            (None, Some(r)) => (one_open(r, false), Basis::ReceiverOpen),
            (None, None) => (
                DecodingContext::new()
                    .with_four_octet_as(!two_octet_default)
                    .with_extended_message(true),
                Basis::Default,
            ),
        };
        BgpContext {
            ctx: symmetric(ctx),
            basis,
        }
    }

    /// The default context (no OPEN known).
    pub fn default_context(two_octet_default: bool) -> BgpContext {
        BgpContext::for_direction(None, None, two_octet_default)
    }

    fn view(&self) -> ContextView {
        ContextView {
            from: self.basis,
            four_octet_as: self.ctx.four_octet_as,
            extended_message: self.ctx.extended_message,
            add_path: self
                .ctx
                .add_path_receive
                .iter()
                .map(AfiSafi::to_string)
                .collect(),
        }
    }
}

/// The context when only one OPEN is known: the peer is assumed to agree
/// with everything it advertised. `is_sender`: the OPEN is the sender's
/// (Add-Path where it may send), else the receiver's (where it may receive).
fn one_open(open: &Open, is_sender: bool) -> DecodingContext {
    let mut ctx = DecodingContext::new()
        .with_four_octet_as(open.four_octet_asn().is_some())
        .with_extended_message(open.supports_extended_message());
    // The last entry for a family wins, as in `from_opens`.
    let mut modes = BTreeMap::new();
    for e in open.add_path() {
        modes.insert(e.family, e.mode);
    }
    for (family, mode) in modes {
        if (is_sender && mode.send()) || (!is_sender && mode.receive()) {
            ctx = ctx.with_add_path(family);
        }
    }
    ctx
}

/// The same context with the send side equal to the receive side.
fn symmetric(mut ctx: DecodingContext) -> DecodingContext {
    ctx.add_path_send = ctx.add_path_receive.clone();
    ctx
}

/// The OPENs seen on the BGP connections of one capture, by the direction
/// (flow) they were sent on.
#[derive(Clone, Debug, Default)]
pub struct Opens {
    sent: BTreeMap<Flow, Open>,
    two_octet_default: bool,
}

impl Opens {
    /// No OPEN seen yet; `two_octet_default` as for [`BgpContext::for_direction`].
    pub fn new(two_octet_default: bool) -> Opens {
        Opens {
            sent: BTreeMap::new(),
            two_octet_default,
        }
    }

    /// The context of the next message sent on `flow`.
    pub fn context(&self, flow: &Flow) -> BgpContext {
        BgpContext::for_direction(
            self.sent.get(flow),
            self.sent.get(&flow.reverse()),
            self.two_octet_default,
        )
    }

    /// Looks at a framed message sent on `flow`: an OPEN that decodes is
    /// remembered (a later OPEN on the same direction replaces it).
    pub fn observe(&mut self, flow: Flow, msg: &[u8]) {
        if let Some(open) = open_of(msg) {
            self.sent.insert(flow, open);
        }
    }

    /// The connection of `flow` restarted (new SYN): both OPENs are forgotten.
    pub fn forget(&mut self, flow: &Flow) {
        self.sent.remove(flow);
        self.sent.remove(&flow.reverse());
    }

    /// Flows whose OPEN is known.
    pub fn flows(&self) -> BTreeSet<Flow> {
        self.sent.keys().copied().collect()
    }
}

/// The OPEN a framed message holds, if it is one that decodes.
pub fn open_of(msg: &[u8]) -> Option<Open> {
    if msg.get(18) != Some(&message_type::OPEN) {
        return None;
    }
    // OPEN does not depend on the context.
    match Message::decode(msg, &DecodingContext::new()) {
        Ok(Message::Open(o)) => Some(o),
        _ => None,
    }
}

/// A decoded BGP message with the context it was decoded with.
#[derive(Clone, Debug, Serialize)]
pub struct BgpDecoded {
    context: ContextView,
    /// The message.
    pub message: Message,
    /// RFC 7606 problems of a decoded UPDATE (only missing well-known
    /// attributes can be left once [`Message::decode`] accepted it).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rfc7606: Vec<Value>,
    #[serde(skip)]
    ctx: DecodingContext,
}

/// [`Codec`] for BGP messages of one direction, over `bgp-evpn-wire`.
#[derive(Clone, Copy, Debug)]
pub struct BgpCodec<'a> {
    ctx: &'a BgpContext,
}

impl<'a> BgpCodec<'a> {
    /// A codec decoding with `ctx`.
    pub fn new(ctx: &'a BgpContext) -> BgpCodec<'a> {
        BgpCodec { ctx }
    }
}

impl Codec for BgpCodec<'_> {
    type Message = BgpDecoded;

    fn decode(&self, bytes: &[u8]) -> Result<BgpDecoded, DecodeError> {
        let first = match decoded(bytes, self.ctx) {
            Ok(d) => return Ok(d),
            Err(e) => e,
        };
        if self.ctx.basis == Basis::Default {
            let other = BgpContext {
                ctx: self
                    .ctx
                    .ctx
                    .clone()
                    .with_four_octet_as(!self.ctx.ctx.four_octet_as),
                basis: Basis::DefaultOtherAsWidth,
            };
            if let Ok(d) = decoded(bytes, &other) {
                return Ok(d);
            }
        }
        Err(error(bytes, &self.ctx.ctx, &first))
    }

    fn encode(&self, msg: &BgpDecoded) -> Vec<u8> {
        msg.message.to_bytes(&msg.ctx)
    }
}

fn decoded(bytes: &[u8], ctx: &BgpContext) -> Result<BgpDecoded, Error> {
    let message = Message::decode(bytes, &ctx.ctx)?;
    let rfc7606 = match &message {
        Message::Update(_) => UpdateOutcome::decode(bytes, &ctx.ctx)
            .map(|o| o.problems.iter().map(problem_json).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(BgpDecoded {
        context: ctx.view(),
        message,
        rfc7606,
        ctx: ctx.ctx.clone(),
    })
}

/// One RFC 7606 problem: the error's `text`, `offset` and `notification`
/// code/subcode, and the `action`, named in kebab case, with its parameters:
/// `session-reset` (`send`: the NOTIFICATION code/subcode, `data` in hex),
/// `afi-safi-disable` (`family`), `treat-as-withdraw` (`routes`: how many
/// routes of the UPDATE that is, `null` for a family kept raw; they are
/// the UPDATE's own), or
/// `attribute-discard` (`type_code`).
fn problem_json(p: &UpdateProblem) -> Value {
    let mut v = json!({
        "text": p.error.to_string(),
        "offset": p.error.offset(),
        "notification": p.error.notification_code().map(|(c, s)| [c, s]),
    });
    if let (Some(obj), Value::Object(action)) = (v.as_object_mut(), action_json(&p.action)) {
        obj.extend(action);
    }
    v
}

fn action_json(a: &UpdateAction) -> Value {
    match a {
        UpdateAction::SessionReset {
            code,
            subcode,
            data,
        } => json!({
            "action": "session-reset",
            "send": [code, subcode],
            "data": crate::report::hex(data),
        }),
        UpdateAction::AfiSafiDisable { family } => json!({
            "action": "afi-safi-disable",
            "family": family.to_string(),
        }),
        UpdateAction::TreatAsWithdraw {
            nlri,
            mp_reach_nlri,
        } => {
            // Routes of a family kept raw cannot be counted: `null`.
            let mp = match mp_reach_nlri {
                None => Some(0),
                Some(MpNlri::Evpn(r)) => Some(r.len()),
                Some(MpNlri::Ipv4Unicast(r)) => Some(r.len()),
                Some(MpNlri::Ipv6Unicast(r)) => Some(r.len()),
                Some(_) => None,
            };
            json!({ "action": "treat-as-withdraw", "routes": mp.map(|n| n + nlri.len()) })
        }
        UpdateAction::AttributeDiscard { type_code } => json!({
            "action": "attribute-discard",
            "type_code": type_code,
        }),
        // A variant added later: as bgp-evpn-wire serialises it.
        other => json!({ "action": serde_json::to_value(other).unwrap_or(Value::Null) }),
    }
}

/// The error line of a message `Message::decode` rejected.
fn error(bytes: &[u8], ctx: &DecodingContext, e: &Error) -> DecodeError {
    let mut err = DecodeError::new(e.to_string(), e.offset());
    if bytes.get(18) == Some(&message_type::UPDATE)
        && let Ok(o) = UpdateOutcome::decode(bytes, ctx)
    {
        let problems: Vec<Value> = o.problems.iter().map(problem_json).collect();
        let update = serde_json::to_value(&o.update).unwrap_or(Value::Null);
        err.detail = Some(("rfc7606", json!({ "update": update, "problems": problems })));
    } else if let Some((c, s)) = e.notification_code() {
        err.detail = Some(("notification", json!([c, s])));
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use bgp_evpn_wire::message::{AddPathEntry, AddPathMode, Capability, OptionalParameter};
    use std::net::Ipv4Addr;

    fn open(caps: Vec<Capability>) -> Open {
        Open::new(65001, 90, Ipv4Addr::new(192, 0, 2, 1))
            .with_parameter(OptionalParameter::Capabilities(caps))
    }

    fn add_path(mode: AddPathMode) -> Capability {
        Capability::AddPath(vec![AddPathEntry {
            family: AfiSafi::EVPN,
            mode,
        }])
    }

    #[test]
    fn context_from_zero_one_or_two_opens() {
        let s = open(vec![
            Capability::FourOctetAs(65001),
            add_path(AddPathMode::SEND),
        ]);
        let r = open(vec![
            Capability::FourOctetAs(65002),
            add_path(AddPathMode::RECEIVE),
        ]);
        let both = BgpContext::for_direction(Some(&s), Some(&r), false);
        assert_eq!(both.basis, Basis::Opens);
        assert!(both.ctx.four_octet_as && !both.ctx.extended_message);
        assert!(both.ctx.receives_path_id(AfiSafi::EVPN));
        assert!(both.ctx.sends_path_id(AfiSafi::EVPN));
        // The other direction: r may not send Path Identifiers.
        let back = BgpContext::for_direction(Some(&r), Some(&s), false);
        assert!(!back.ctx.receives_path_id(AfiSafi::EVPN));

        let sender_only = BgpContext::for_direction(Some(&s), None, false);
        assert_eq!(sender_only.basis, Basis::SenderOpen);
        assert!(sender_only.ctx.receives_path_id(AfiSafi::EVPN));
        let receiver_only = BgpContext::for_direction(None, Some(&s), false);
        assert_eq!(receiver_only.basis, Basis::ReceiverOpen);
        assert!(!receiver_only.ctx.receives_path_id(AfiSafi::EVPN));
        assert!(receiver_only.ctx.four_octet_as);

        let plain = open(vec![]);
        assert!(
            !BgpContext::for_direction(Some(&plain), None, false)
                .ctx
                .four_octet_as
        );
        let none = BgpContext::default_context(false);
        assert!(none.ctx.four_octet_as && none.ctx.extended_message);
        assert!(!BgpContext::default_context(true).ctx.four_octet_as);
    }

    #[test]
    fn opens_are_remembered_per_direction_and_forgotten_on_restart() {
        let flow = Flow {
            src: "192.0.2.1:40000".parse().unwrap(),
            dst: "192.0.2.2:179".parse().unwrap(),
        };
        let mut opens = Opens::new(false);
        let o = open(vec![Capability::FourOctetAs(65001)]);
        let bytes = Message::Open(o.clone()).to_bytes(&DecodingContext::new());
        opens.observe(flow, &bytes);
        assert_eq!(opens.context(&flow).basis, Basis::SenderOpen);
        assert_eq!(opens.context(&flow.reverse()).basis, Basis::ReceiverOpen);
        opens.observe(flow.reverse(), &bytes);
        assert_eq!(opens.context(&flow).basis, Basis::Opens);
        assert_eq!(opens.flows().len(), 2);
        opens.forget(&flow.reverse());
        assert!(opens.flows().is_empty());
        // A KEEPALIVE or a broken OPEN is not remembered.
        opens.observe(flow, &Message::Keepalive.to_bytes(&DecodingContext::new()));
        opens.observe(flow, &bytes[..bytes.len() - 1]);
        assert!(opens.flows().is_empty());
    }

    #[test]
    fn default_context_falls_back_to_two_octet_as() {
        // ORIGIN IGP, AS_PATH [65001] with 2-octet AS, NEXT_HOP, NLRI 10/8.
        let body = [
            0u8, 0, 0, 0x12, 0x40, 1, 1, 0, 0x40, 2, 4, 2, 1, 0xfd, 0xe9, 0x40, 3, 4, 192, 0, 2, 1,
            8, 10,
        ];
        let mut msg = vec![0xff; 16];
        msg.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
        msg.push(2);
        msg.extend_from_slice(&body);
        let ctx = BgpContext::default_context(false);
        let d = BgpCodec::new(&ctx).decode(&msg).unwrap();
        assert_eq!(d.context.from, Basis::DefaultOtherAsWidth);
        assert!(!d.context.four_octet_as);
        assert_eq!(BgpCodec::new(&ctx).encode(&d), msg);
        // With the sender's OPEN saying 4-octet AS, there is no fallback:
        // the error carries the RFC 7606 outcome.
        let s = open(vec![Capability::FourOctetAs(65001)]);
        let ctx = BgpContext::for_direction(Some(&s), None, false);
        let e = BgpCodec::new(&ctx).decode(&msg).unwrap_err();
        let (key, v) = e.detail.unwrap();
        assert_eq!(key, "rfc7606");
        assert!(!v["problems"].as_array().unwrap().is_empty());
        assert_eq!(v["problems"][0]["action"], "treat-as-withdraw");
        assert_eq!(v["problems"][0]["routes"], 1);
    }
}
