//! UPDATE (RFC 4271 section 4.3).
//!
//! ```text
//! +-----------------------------------------------------+
//! |   Withdrawn Routes Length (2 octets)                |
//! +-----------------------------------------------------+
//! |   Withdrawn Routes (variable): IPv4 prefixes        |
//! +-----------------------------------------------------+
//! |   Total Path Attribute Length (2 octets)            |
//! +-----------------------------------------------------+
//! |   Path Attributes (variable)                        |
//! +-----------------------------------------------------+
//! |   Network Layer Reachability Information (variable) |
//! +-----------------------------------------------------+
//! ```
//!
//! Other families travel in MP_REACH_NLRI / MP_UNREACH_NLRI. With Add-Path
//! for IPv4 unicast, withdrawn routes and NLRI carry Path Identifiers.
//! [`Update::decode`] fails on the first wire-format problem; the RFC 7606
//! decode, [`UpdateOutcome::decode`](crate::message::UpdateOutcome::decode),
//! returns what could be decoded and the action for each problem.
//!
//! A missing well-known mandatory attribute (ORIGIN, AS_PATH, NEXT_HOP) is
//! a semantic problem, not a wire-format one: [`Update::decode`] (and so
//! [`Message::decode`](crate::message::Message::decode)) accepts such an
//! UPDATE, because every byte of it is understood and re-encodes exactly.
//! [`UpdateOutcome::decode`](crate::message::UpdateOutcome::decode) still
//! reports it with its RFC 7606 action (treat-as-withdraw), so a speaker
//! deciding what to install asks the outcome.

use alloc::vec::Vec;
use core::net::Ipv4Addr;

use bytes::BufMut;

use crate::attribute::{
    AS_TRANS, AsPath, AttributeValue, Community, MpReach, MpUnreach, Origin, PathAttribute,
    type_code,
};
use crate::error::{Error, Result};
use crate::extcomm::ExtendedCommunity;
use crate::message::context::DecodingContext;
use crate::message::header::{Header, message_type};
use crate::message::outcome::UpdateOutcome;
use crate::prefix::{Ipv4Prefix, encode_ipv4_prefixes, ipv4_prefixes_len};
use crate::types::AfiSafi;

/// An UPDATE body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Update {
    /// Withdrawn IPv4 unicast routes.
    pub withdrawn: Vec<Ipv4Prefix>,
    /// Path attributes in wire order.
    pub attributes: Vec<PathAttribute>,
    /// Reachable IPv4 unicast routes.
    pub nlri: Vec<Ipv4Prefix>,
}

impl Update {
    /// An UPDATE with these attributes (flags as a speaker sends them) and
    /// no IPv4 routes.
    pub fn with_attributes(values: impl IntoIterator<Item = AttributeValue>) -> Self {
        Update {
            attributes: values.into_iter().map(PathAttribute::new).collect(),
            ..Update::default()
        }
    }

    /// The first attribute of a type.
    pub fn attribute(&self, type_code: u8) -> Option<&AttributeValue> {
        self.attributes
            .iter()
            .find(|a| a.type_code() == type_code)
            .map(|a| &a.value)
    }

    /// ORIGIN.
    pub fn origin(&self) -> Option<Origin> {
        match self.attribute(type_code::ORIGIN)? {
            AttributeValue::Origin(o) => Some(*o),
            _ => None,
        }
    }

    /// AS_PATH.
    pub fn as_path(&self) -> Option<&AsPath> {
        match self.attribute(type_code::AS_PATH)? {
            AttributeValue::AsPath(p) => Some(p),
            _ => None,
        }
    }

    /// Applies RFC 6793 (section 4.2.3) to a received UPDATE, so that it
    /// holds the route's real AS_PATH and AGGREGATOR and no AS4_PATH or
    /// AS4_AGGREGATOR:
    ///
    /// * on a session with 4-octet AS numbers (`four_octet_as`, both
    ///   speakers "NEW") AS4_PATH and AS4_AGGREGATOR are discarded;
    /// * otherwise, if the AGGREGATOR names an AS other than AS_TRANS,
    ///   both are discarded (a 2-octet speaker formed the aggregate, so
    ///   the AS4 attributes no longer describe the route); if it names
    ///   AS_TRANS and an AS4_AGGREGATOR is there, the AGGREGATOR takes the
    ///   AS4_AGGREGATOR's AS and address;
    /// * then, if an AS4_PATH is still there, the AS_PATH becomes
    ///   [`AsPath::merge_as4`] of the two.
    ///
    /// Returns whether anything changed. The speaker that relays the route
    /// to a 2-octet peer writes AS4_PATH/AS4_AGGREGATOR again itself.
    pub fn reconcile_as4(&mut self, four_octet_as: bool) -> bool {
        let as4_path = self.attributes.iter().find_map(|a| match &a.value {
            AttributeValue::As4Path(p) => Some(p.clone()),
            _ => None,
        });
        let as4_aggregator = self.attributes.iter().find_map(|a| match &a.value {
            AttributeValue::As4Aggregator(g) => Some(*g),
            _ => None,
        });
        if as4_path.is_none() && as4_aggregator.is_none() {
            return false;
        }
        self.attributes.retain(|a| {
            !matches!(
                a.value,
                AttributeValue::As4Path(_) | AttributeValue::As4Aggregator(_)
            )
        });
        if four_octet_as {
            return true;
        }
        let aggregator = self.attributes.iter_mut().find_map(|a| match &mut a.value {
            AttributeValue::Aggregator(g) => Some(g),
            _ => None,
        });
        match aggregator {
            Some(g) if g.asn != u32::from(AS_TRANS) => return true,
            Some(g) => {
                if let Some(as4) = as4_aggregator {
                    *g = as4;
                }
            }
            None => {}
        }
        if let Some(as4) = as4_path {
            for a in &mut self.attributes {
                if let AttributeValue::AsPath(p) = &mut a.value {
                    *p = p.merge_as4(&as4);
                }
            }
        }
        true
    }

    /// NEXT_HOP.
    pub fn next_hop(&self) -> Option<Ipv4Addr> {
        match self.attribute(type_code::NEXT_HOP)? {
            AttributeValue::NextHop(a) => Some(*a),
            _ => None,
        }
    }

    /// MP_REACH_NLRI.
    pub fn mp_reach(&self) -> Option<&MpReach> {
        match self.attribute(type_code::MP_REACH_NLRI)? {
            AttributeValue::MpReach(m) => Some(m),
            _ => None,
        }
    }

    /// MP_UNREACH_NLRI.
    pub fn mp_unreach(&self) -> Option<&MpUnreach> {
        match self.attribute(type_code::MP_UNREACH_NLRI)? {
            AttributeValue::MpUnreach(m) => Some(m),
            _ => None,
        }
    }

    /// COMMUNITIES.
    pub fn communities(&self) -> Option<&[Community]> {
        match self.attribute(type_code::COMMUNITIES)? {
            AttributeValue::Communities(c) => Some(c),
            _ => None,
        }
    }

    /// EXTENDED COMMUNITIES (use the
    /// [`ExtendedCommunities`](crate::ExtendedCommunities) readers on it).
    pub fn extended_communities(&self) -> Option<&[ExtendedCommunity]> {
        match self.attribute(type_code::EXTENDED_COMMUNITIES)? {
            AttributeValue::ExtendedCommunities(c) => Some(c),
            _ => None,
        }
    }

    /// The family whose End-of-RIB marker this is (RFC 4724 section 2): an
    /// empty UPDATE for IPv4 unicast, or one holding only an empty
    /// MP_UNREACH_NLRI.
    pub fn end_of_rib(&self) -> Option<AfiSafi> {
        if !self.withdrawn.is_empty() || !self.nlri.is_empty() {
            return None;
        }
        match self.attributes.as_slice() {
            [] => Some(AfiSafi::IPV4_UNICAST),
            [a] => match &a.value {
                AttributeValue::MpUnreach(m) if m.is_end_of_rib() => Some(m.family()),
                _ => None,
            },
            _ => None,
        }
    }

    fn attributes_len(&self, ctx: &DecodingContext) -> usize {
        let dir = ctx.tx();
        self.attributes.iter().map(|a| a.len_dir(dir)).sum()
    }

    /// Bytes of the body written by [`Self::encode`].
    pub fn encoded_len(&self, ctx: &DecodingContext) -> usize {
        let ap = ctx.sends_path_id(AfiSafi::IPV4_UNICAST);
        4 + ipv4_prefixes_len(&self.withdrawn, ap)
            + self.attributes_len(ctx)
            + ipv4_prefixes_len(&self.nlri, ap)
    }

    /// Writes the body as sent on a session with context `ctx`.
    pub fn encode<B: BufMut>(&self, ctx: &DecodingContext, buf: &mut B) {
        let ap = ctx.sends_path_id(AfiSafi::IPV4_UNICAST);
        buf.put_u16(ipv4_prefixes_len(&self.withdrawn, ap) as u16);
        encode_ipv4_prefixes(&self.withdrawn, ap, buf);
        buf.put_u16(self.attributes_len(ctx) as u16);
        let dir = ctx.tx();
        for a in &self.attributes {
            a.encode_dir(dir, buf);
        }
        encode_ipv4_prefixes(&self.nlri, ap, buf);
    }

    /// Writes the whole message, header included (what
    /// [`Message::encode`](crate::message::Message::encode) does for an
    /// UPDATE), computing each length once: one pass over the attributes
    /// for the value lengths (kept for the first [`Self::CACHED_LENS`]),
    /// then one pass writing.
    pub(crate) fn encode_message<B: BufMut>(&self, ctx: &DecodingContext, buf: &mut B) {
        let ap = ctx.sends_path_id(AfiSafi::IPV4_UNICAST);
        let dir = ctx.tx();
        let withdrawn_len = ipv4_prefixes_len(&self.withdrawn, ap);
        let nlri_len = ipv4_prefixes_len(&self.nlri, ap);
        let mut value_lens = [0usize; Self::CACHED_LENS];
        let mut attributes_len = 0;
        for (i, a) in self.attributes.iter().enumerate() {
            let v = a.value.value_len(dir);
            if let Some(slot) = value_lens.get_mut(i) {
                *slot = v;
            }
            attributes_len += a.header_len(v) + v;
        }
        let len = Header::LEN + 4 + withdrawn_len + attributes_len + nlri_len;
        Header {
            length: u16::try_from(len).unwrap_or(u16::MAX),
            msg_type: message_type::UPDATE,
        }
        .encode(buf);
        buf.put_u16(withdrawn_len as u16);
        encode_ipv4_prefixes(&self.withdrawn, ap, buf);
        buf.put_u16(attributes_len as u16);
        for (i, a) in self.attributes.iter().enumerate() {
            let v = match value_lens.get(i) {
                Some(&v) => v,
                None => a.value.value_len(dir),
            };
            a.encode_with_value_len(v, dir, buf);
        }
        encode_ipv4_prefixes(&self.nlri, ap, buf);
    }

    /// Attributes whose value lengths [`Self::encode_message`] keeps on
    /// the stack (later ones are computed twice).
    const CACHED_LENS: usize = 8;

    /// Decodes a body (after the header) as received on a session with
    /// context `ctx`, failing on the first wire-format problem RFC 4271 /
    /// RFC 7606 name. Missing well-known mandatory attributes are not one
    /// (see the module docs): [`UpdateOutcome::decode`] reports them.
    pub fn decode(body: &[u8], ctx: &DecodingContext) -> Result<Self> {
        Self::decode_at(body, 0, ctx)
    }

    pub(crate) fn decode_at(body: &[u8], base: usize, ctx: &DecodingContext) -> Result<Self> {
        let outcome = UpdateOutcome::decode_body(body, base, ctx);
        if outcome.problems.is_empty() {
            return Ok(outcome.update);
        }
        match outcome
            .problems
            .into_iter()
            .find(|p| !matches!(p.error, Error::MissingWellKnownAttribute { .. }))
        {
            None => Ok(outcome.update),
            Some(p) => Err(p.error),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::hex;

    #[test]
    fn reconcile_as4_on_a_2_octet_session() {
        use crate::attribute::{Aggregator, AsPath};
        let real = AsPath::sequence([65001, 4_200_000_001, 65010]);
        let agg = Aggregator {
            asn: 4_200_000_001,
            address: Ipv4Addr::new(192, 0, 2, 9),
        };
        let sent = Update::with_attributes([
            AttributeValue::Origin(Origin::Igp),
            AttributeValue::AsPath(real.clone()),
            AttributeValue::Aggregator(agg),
            AttributeValue::As4Path(AsPath::sequence([4_200_000_001, 65010])),
            AttributeValue::As4Aggregator(agg),
        ]);
        // Through a session without 4-octet AS numbers: AS_TRANS on the wire.
        let two = DecodingContext::new().with_four_octet_as(false);
        let mut bytes = Vec::new();
        sent.encode(&two, &mut bytes);
        let mut got = Update::decode(&bytes, &two).unwrap();
        assert_eq!(
            got.as_path(),
            Some(&AsPath::sequence([65001, u32::from(AS_TRANS), 65010]))
        );
        let mut again = got.clone();
        assert!(got.reconcile_as4(false));
        assert_eq!(got.as_path(), Some(&real));
        assert_eq!(
            got.attribute(type_code::AGGREGATOR),
            Some(&AttributeValue::Aggregator(agg))
        );
        assert_eq!(got.attribute(type_code::AS4_PATH), None);
        assert_eq!(got.attribute(type_code::AS4_AGGREGATOR), None);
        assert!(!got.reconcile_as4(false), "nothing left to do");
        // As if from a 4-octet session: the AS4 attributes are dropped only.
        let before = again.as_path().cloned();
        assert!(again.reconcile_as4(true));
        assert_eq!(again.as_path().cloned(), before);
        assert_eq!(again.attribute(type_code::AS4_PATH), None);
    }

    #[test]
    fn reconcile_as4_ignores_as4_after_a_2_octet_aggregator() {
        use crate::attribute::{Aggregator, AsPath};
        let as_path = AsPath::sequence([65001, u32::from(AS_TRANS)]);
        let mut u = Update::with_attributes([
            AttributeValue::AsPath(as_path.clone()),
            AttributeValue::Aggregator(Aggregator {
                asn: 65001,
                address: Ipv4Addr::new(192, 0, 2, 1),
            }),
            AttributeValue::As4Path(AsPath::sequence([4_200_000_001])),
        ]);
        assert!(u.reconcile_as4(false));
        assert_eq!(u.as_path(), Some(&as_path));
        assert_eq!(u.attribute(type_code::AS4_PATH), None);
        assert!(matches!(
            u.attribute(type_code::AGGREGATOR),
            Some(AttributeValue::Aggregator(Aggregator { asn: 65001, .. }))
        ));
    }

    #[test]
    fn rfc4271_ipv4_update() {
        // Withdraw 10.1.0.0/16; ORIGIN IGP, AS_PATH 65001, NEXT_HOP 192.0.2.1,
        // MED 0; NLRI 10.2.0.0/16 and 10.3.3.0/24.
        let b = hex("0003 10 0a01 \
             0019 4001 01 00  4002 04 0201 fde9  4003 04 c0000201  8004 04 00000000 \
             10 0a02 18 0a0303");
        let ctx = DecodingContext::new();
        let u = Update::decode(&b, &ctx).unwrap();
        assert_eq!(u.withdrawn.len(), 1);
        assert_eq!(u.nlri.len(), 2);
        assert_eq!(u.origin(), Some(Origin::Igp));
        assert_eq!(u.as_path().unwrap().origin_asn(), Some(65001));
        assert_eq!(u.next_hop(), Some(Ipv4Addr::new(192, 0, 2, 1)));
        let mut out = Vec::new();
        u.encode(&ctx, &mut out);
        assert_eq!(out, b);
        assert_eq!(u.encoded_len(&ctx), b.len());
    }

    #[test]
    fn end_of_rib() {
        let ctx = DecodingContext::new();
        assert_eq!(
            Update::decode(&hex("0000 0000"), &ctx)
                .unwrap()
                .end_of_rib(),
            Some(AfiSafi::IPV4_UNICAST)
        );
        let u = Update::decode(&hex("0000 0006 800f 03 0019 46"), &ctx).unwrap();
        assert_eq!(u.end_of_rib(), Some(AfiSafi::EVPN));
    }

    #[test]
    fn strict_errors() {
        let ctx = DecodingContext::new();
        // Withdrawn length overruns.
        assert!(matches!(
            Update::decode(&hex("0006 10 0a01 0000"), &ctx),
            Err(Error::MalformedAttributeList { .. })
        ));
        // A malformed attribute is still an error when mandatory ones are
        // missing too (ORIGIN of value 7, no AS_PATH, no NEXT_HOP).
        assert!(matches!(
            Update::decode(&hex("0000 0004 4001 01 07 08 0a"), &ctx),
            Err(Error::InvalidOrigin { value: 7, .. })
        ));
    }

    #[test]
    fn missing_mandatory_attributes_decode_and_are_reported_by_the_outcome() {
        use crate::message::UpdateAction;
        let ctx = DecodingContext::new();
        // NLRI without NEXT_HOP: well-formed, decodes, re-encodes exactly.
        let b = hex("0000 000b 4001 01 00 4002 04 0201 fde9 08 0a");
        let u = Update::decode(&b, &ctx).unwrap();
        assert_eq!(u.next_hop(), None);
        assert_eq!(u.nlri.len(), 1);
        let mut out = Vec::new();
        u.encode(&ctx, &mut out);
        assert_eq!(out, b);
        let o = UpdateOutcome::decode_body(&b, 0, &ctx);
        assert_eq!(o.update, u);
        assert_eq!(o.problems.len(), 1);
        assert_eq!(
            o.problems[0].error,
            Error::MissingWellKnownAttribute { type_code: 3 }
        );
        assert!(matches!(
            o.problems[0].action,
            UpdateAction::TreatAsWithdraw { .. }
        ));
        // EVPN MP_REACH_NLRI alone (as os-ken sends it): no ORIGIN, no AS_PATH.
        let b = hex(
            "0000 001f 800e 1c 0019 46 04 c0000201 00 03 11 0000 0001 00000001 00000000 20 c0000201",
        );
        let u = Update::decode(&b, &ctx).unwrap();
        assert_eq!(u.mp_reach().unwrap().family(), AfiSafi::EVPN);
        let o = UpdateOutcome::decode_body(&b, 0, &ctx);
        let missing: Vec<_> = o.problems.iter().map(|p| p.error.clone()).collect();
        assert_eq!(
            missing,
            [
                Error::MissingWellKnownAttribute { type_code: 1 },
                Error::MissingWellKnownAttribute { type_code: 2 },
            ]
        );
    }
}
