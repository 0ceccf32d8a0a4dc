//! RFC 7606 ("Revised Error Handling for BGP UPDATE Messages") applied to
//! an UPDATE: everything that could be decoded, and for each problem the
//! action the RFCs prescribe, so a controller acts without parsing twice.
//!
//! | problem | action |
//! |---|---|
//! | withdrawn routes / total attribute length overrun the message | session reset 3/1 |
//! | an attribute overruns the attribute field (section 4) | treat-as-withdraw if MP_REACH/MP_UNREACH was already found, else session reset 3/1 (the NLRI cannot be located) |
//! | MP_REACH_NLRI / MP_UNREACH_NLRI twice (3.g) | session reset 3/1 |
//! | any other attribute twice (3.g) | discard all but the first |
//! | flags conflicting with the type (3.c) | the attribute's own action |
//! | malformed ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES, ORIGINATOR_ID, CLUSTER_LIST, EXTENDED COMMUNITIES, PMSI_TUNNEL, IPv6 ext. communities, LARGE_COMMUNITY (section 7) | treat-as-withdraw |
//! | malformed ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR | attribute discard |
//! | malformed MP_REACH_NLRI / MP_UNREACH_NLRI (7.11, 5.3) | AFI/SAFI disable; session reset 3/9 when the AFI/SAFI is unreadable |
//! | malformed prefix in the withdrawn routes or NLRI fields (5.3) | AFI/SAFI disable of IPv4 unicast |
//! | well-known mandatory attribute missing while routes are advertised (3.d) | treat-as-withdraw |
//! | EVPN: MAC Mobility communities with different sequence numbers (RFC 7432bis 7.14) | treat-as-withdraw |
//!
//! Unknown EVPN route types are kept raw ([`EvpnRoute::Unknown`](crate::evpn::EvpnRoute)),
//! never an error. LOCAL_PREF's eBGP rule (discard) needs the session type
//! and is left to the caller.

use alloc::vec::Vec;

use crate::attribute::mp_reach::peek_family;
use crate::attribute::{MpNlri, RawAttribute, type_code};
use crate::error::{Error, Result, Rfc7606Action, Section};
use crate::extcomm::validate_evpn_communities;
use crate::message::context::DecodingContext;
use crate::message::header::{Header, message_type};
use crate::message::update::Update;
use crate::parse::Cursor;
use crate::prefix::{Ipv4Prefix, read_ipv4_prefixes};
use crate::types::AfiSafi;

/// What to do about one problem.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum UpdateAction {
    /// Send this NOTIFICATION and close the session.
    SessionReset {
        /// Error code.
        code: u8,
        /// Error subcode.
        subcode: u8,
        /// NOTIFICATION data (the erroneous attribute, or the missing type).
        data: Vec<u8>,
    },
    /// Stop using this family on the session (RFC 4760 section 7).
    AfiSafiDisable {
        /// The family.
        family: AfiSafi,
    },
    /// Treat the UPDATE's routes as withdrawn.
    TreatAsWithdraw {
        /// IPv4 unicast routes of the NLRI field.
        nlri: Vec<Ipv4Prefix>,
        /// Routes of MP_REACH_NLRI, when it was decoded.
        mp_reach_nlri: Option<MpNlri>,
    },
    /// The attribute was dropped; the rest of the UPDATE stands.
    AttributeDiscard {
        /// Its type code.
        type_code: u8,
    },
}

impl UpdateAction {
    fn severity(&self) -> u8 {
        match self {
            UpdateAction::SessionReset { .. } => 3,
            UpdateAction::AfiSafiDisable { .. } => 2,
            UpdateAction::TreatAsWithdraw { .. } => 1,
            UpdateAction::AttributeDiscard { .. } => 0,
        }
    }
}

/// One problem and its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateProblem {
    /// What was found, with its offset.
    pub error: Error,
    /// What to do.
    pub action: UpdateAction,
}

/// The RFC 7606 decode of an UPDATE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOutcome {
    /// What could be decoded: malformed and discarded attributes are left out.
    pub update: Update,
    /// Problems in the order found; empty for a well-formed UPDATE.
    pub problems: Vec<UpdateProblem>,
}

/// Reads a 2-octet length and the block it announces, which must fit.
fn take_block<'a>(cur: &mut Cursor<'a>, what: &'static str) -> Result<(usize, &'a [u8])> {
    let at = cur.offset();
    let len = usize::from(cur.u16(what)?);
    if len > cur.remaining() {
        return Err(Error::MalformedAttributeList {
            offset: at,
            reason: what,
        });
    }
    let start = cur.offset();
    Ok((start, cur.take(len, what)?))
}

#[derive(Debug)]
enum Pending {
    Reset(u8, u8, Vec<u8>),
    Disable(AfiSafi),
    Withdraw,
    Discard(u8),
}

impl UpdateOutcome {
    /// Decodes a whole UPDATE message (header included). Errors only for a
    /// bad header or a message that is not an UPDATE; everything inside
    /// the body becomes a problem with its action.
    pub fn decode(msg: &[u8], ctx: &DecodingContext) -> Result<Self> {
        let h = Header::decode(msg, ctx.max_message_len())?;
        if h.msg_type != message_type::UPDATE {
            return Err(Error::BadMessageType {
                offset: 18,
                msg_type: h.msg_type,
            });
        }
        check_length(msg, h)?;
        Ok(Self::decode_body(&msg[Header::LEN..], Header::LEN, ctx))
    }

    /// Whether the UPDATE was well-formed.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// The most severe action (session reset > AFI/SAFI disable >
    /// treat-as-withdraw > attribute discard).
    pub fn worst_action(&self) -> Option<&UpdateAction> {
        self.problems
            .iter()
            .map(|p| &p.action)
            .max_by_key(|a| a.severity())
    }

    /// Whether the session must be reset.
    pub fn session_reset(&self) -> Option<&UpdateAction> {
        self.problems
            .iter()
            .map(|p| &p.action)
            .find(|a| matches!(a, UpdateAction::SessionReset { .. }))
    }

    /// Whether the UPDATE's routes must be treated as withdrawn.
    pub fn treat_as_withdraw(&self) -> bool {
        self.problems
            .iter()
            .any(|p| matches!(p.action, UpdateAction::TreatAsWithdraw { .. }))
    }

    pub(crate) fn decode_body(body: &[u8], base: usize, ctx: &DecodingContext) -> Self {
        let mut update = Update::default();
        let mut pending: Vec<(Error, Pending)> = Vec::new();
        let reset_list = |e: Error| (e, Pending::Reset(3, 1, Vec::new()));
        let mut cur = Cursor::new(body, base, Section::Update);
        let ap4 = ctx.receives_path_id(AfiSafi::IPV4_UNICAST);

        // Fixed layout: two lengths that must fit the message.
        let (w_at, withdrawn) = match take_block(&mut cur, "withdrawn routes length") {
            Ok(v) => v,
            Err(e) => return Self::finish(update, alloc::vec![reset_list(e)]),
        };
        let (a_at, attrs) = match take_block(&mut cur, "total path attribute length") {
            Ok(v) => v,
            Err(e) => return Self::finish(update, alloc::vec![reset_list(e)]),
        };
        let n_at = cur.offset();
        let nlri = cur.rest();

        // (Empty lists, the rule with MP-BGP, skip the call: its Result
        // came back through memory and was copied with a wide load.)
        if !withdrawn.is_empty() {
            match read_ipv4_prefixes(withdrawn, w_at, ap4, Section::Update) {
                Ok(w) => update.withdrawn = w,
                Err(e) => pending.push((e, Pending::Disable(AfiSafi::IPV4_UNICAST))),
            }
        }

        let rx = ctx.rx();
        // Type codes seen, one bit each (32 octets to clear, not 256).
        let mut seen = [0u64; 4];
        let seen_bit = |code: u8| (usize::from(code >> 6), 1u64 << (code & 63));
        let mut mp_found = false;
        let mut ext_offset = 0;
        let mut acur = Cursor::new(attrs, a_at, Section::Update);
        while acur.remaining() > 0 {
            let raw = match RawAttribute::read(&mut acur) {
                Ok(r) => r,
                Err(e) => {
                    let p = if mp_found {
                        Pending::Withdraw
                    } else {
                        Pending::Reset(3, 1, Vec::new())
                    };
                    pending.push((e, p));
                    break;
                }
            };
            let code = raw.type_code;
            let is_mp = code == type_code::MP_REACH_NLRI || code == type_code::MP_UNREACH_NLRI;
            let (word, bit) = seen_bit(code);
            if seen[word] & bit != 0 {
                let e = Error::DuplicateAttribute {
                    offset: raw.offset,
                    type_code: code,
                };
                let p = if is_mp {
                    Pending::Reset(3, 1, Vec::new())
                } else {
                    Pending::Discard(code)
                };
                pending.push((e, p));
                continue;
            }
            seen[word] |= bit;
            mp_found |= is_mp;
            match raw.decode_into(rx, &mut update.attributes) {
                Ok(()) => {
                    if code == type_code::EXTENDED_COMMUNITIES {
                        ext_offset = raw.value_offset;
                    }
                }
                Err(e) => {
                    let p = if is_mp {
                        match peek_family(raw.value) {
                            Some(af) => Pending::Disable(af),
                            None => Pending::Reset(3, 9, raw.bytes.to_vec()),
                        }
                    } else {
                        match Rfc7606Action::for_attribute(code) {
                            Rfc7606Action::AttributeDiscard => Pending::Discard(code),
                            _ => Pending::Withdraw,
                        }
                    };
                    pending.push((e, p));
                }
            }
        }

        if !nlri.is_empty() {
            match read_ipv4_prefixes(nlri, n_at, ap4, Section::Update) {
                Ok(n) => update.nlri = n,
                Err(e) => pending.push((e, Pending::Disable(AfiSafi::IPV4_UNICAST))),
            }
        }

        // EVPN: conflicting MAC Mobility sequence numbers.
        let evpn_reach = update
            .mp_reach()
            .is_some_and(|m| m.family() == AfiSafi::EVPN);
        if evpn_reach
            && let Some(ext) = update.extended_communities()
            && let Err(e) = validate_evpn_communities(ext)
        {
            pending.push((e.shifted(ext_offset), Pending::Withdraw));
        }

        // Well-known mandatory attributes (RFC 4271 5.1, RFC 4760 3, RFC 7606 3.d).
        if !update.nlri.is_empty() || update.mp_reach().is_some() {
            let required: &[u8] = if update.nlri.is_empty() {
                &[type_code::ORIGIN, type_code::AS_PATH]
            } else {
                &[type_code::ORIGIN, type_code::AS_PATH, type_code::NEXT_HOP]
            };
            for &code in required {
                let (word, bit) = seen_bit(code);
                if seen[word] & bit == 0 {
                    pending.push((
                        Error::MissingWellKnownAttribute { type_code: code },
                        Pending::Withdraw,
                    ));
                }
            }
        }
        Self::finish(update, pending)
    }

    fn finish(update: Update, pending: Vec<(Error, Pending)>) -> Self {
        if pending.is_empty() {
            return UpdateOutcome {
                update,
                problems: Vec::new(),
            };
        }
        let problems = pending
            .into_iter()
            .map(|(error, p)| {
                let action = match p {
                    Pending::Reset(code, subcode, data) => UpdateAction::SessionReset {
                        code,
                        subcode,
                        data,
                    },
                    Pending::Disable(family) => UpdateAction::AfiSafiDisable { family },
                    Pending::Withdraw => UpdateAction::TreatAsWithdraw {
                        nlri: update.nlri.clone(),
                        mp_reach_nlri: update.mp_reach().map(|m| m.nlri.clone()),
                    },
                    Pending::Discard(type_code) => UpdateAction::AttributeDiscard { type_code },
                };
                UpdateProblem { error, action }
            })
            .collect();
        UpdateOutcome { update, problems }
    }
}

/// The header's length must be the message's.
pub(crate) fn check_length(msg: &[u8], h: Header) -> Result<()> {
    let len = usize::from(h.length);
    if msg.len() < len {
        return Err(Error::Truncated {
            section: Section::Header,
            offset: msg.len(),
            what: "message",
            needed: len,
            available: msg.len(),
        });
    }
    if msg.len() > len {
        return Err(Error::TrailingBytes {
            section: Section::Header,
            offset: len,
            what: "message",
            count: msg.len() - len,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::hex;

    fn body(attrs: &str, nlri: &str) -> Vec<u8> {
        let a = hex(attrs);
        let mut b = vec![0, 0];
        b.extend_from_slice(&(a.len() as u16).to_be_bytes());
        b.extend_from_slice(&a);
        b.extend_from_slice(&hex(nlri));
        b
    }

    const ORIGIN: &str = "4001 01 00";
    const AS_PATH: &str = "4002 04 0201 fde9";
    const NEXT_HOP: &str = "4003 04 c0000201";
    const EVPN_REACH: &str =
        "800e 1c 0019 46 04 c0000201 00 03 11 0000 0001 00000001 00000000 20 c0000201";

    fn outcome(attrs: &str, nlri: &str) -> UpdateOutcome {
        UpdateOutcome::decode_body(&body(attrs, nlri), 0, &DecodingContext::new())
    }

    #[test]
    fn clean() {
        let o = outcome(&format!("{ORIGIN} {AS_PATH} {NEXT_HOP}"), "08 0a");
        assert!(o.is_clean(), "{o:?}");
        assert_eq!(o.worst_action(), None);
    }

    #[test]
    fn treat_as_withdraw_per_attribute() {
        // Bad ORIGIN value, MED of 3 octets, COMMUNITIES of 5.
        for bad in [
            "4001 01 07",
            "8004 03 000000",
            "c008 05 0000000000",
            "8009 03 000000",
        ] {
            let o = outcome(&format!("{bad} {ORIGIN} {AS_PATH} {NEXT_HOP}"), "08 0a");
            let UpdateAction::TreatAsWithdraw { nlri, .. } = &o.problems[0].action else {
                panic!("{bad}: {o:?}")
            };
            assert_eq!(nlri.len(), 1);
        }
        // Flags error on NEXT_HOP (optional bit).
        let o = outcome(&format!("{ORIGIN} {AS_PATH} 8003 04 c0000201"), "08 0a");
        assert!(matches!(
            o.problems[0].error,
            Error::AttributeFlags { type_code: 3, .. }
        ));
        assert!(o.treat_as_withdraw());
    }

    #[test]
    fn attribute_discard() {
        // AGGREGATOR of 5 octets, ATOMIC_AGGREGATE with a value.
        let o = outcome(
            &format!("{ORIGIN} {AS_PATH} {NEXT_HOP} c007 05 0000000000 4006 01 00"),
            "08 0a",
        );
        assert_eq!(o.problems.len(), 2);
        assert_eq!(
            o.problems[0].action,
            UpdateAction::AttributeDiscard { type_code: 7 }
        );
        assert_eq!(
            o.problems[1].action,
            UpdateAction::AttributeDiscard { type_code: 6 }
        );
        assert_eq!(o.update.attributes.len(), 3);
        assert!(!o.treat_as_withdraw());
    }

    #[test]
    fn duplicates() {
        let o = outcome(&format!("{ORIGIN} {ORIGIN} {AS_PATH} {NEXT_HOP}"), "08 0a");
        assert_eq!(
            o.problems[0].action,
            UpdateAction::AttributeDiscard { type_code: 1 }
        );
        let o = outcome(&format!("{ORIGIN} {AS_PATH} {EVPN_REACH} {EVPN_REACH}"), "");
        assert!(matches!(
            o.session_reset(),
            Some(UpdateAction::SessionReset {
                code: 3,
                subcode: 1,
                ..
            })
        ));
    }

    #[test]
    fn mp_reach_malformed() {
        // EVPN NLRI of a bad length: AFI/SAFI disable.
        let o = outcome(
            &format!("{ORIGIN} {AS_PATH} 800e 0b 0019 46 04 c0000201 00 02 01 00"),
            "",
        );
        assert_eq!(
            o.problems[0].action,
            UpdateAction::AfiSafiDisable {
                family: AfiSafi::EVPN
            }
        );
        // AFI/SAFI unreadable: session reset 3/9 with the attribute as data.
        let o = outcome(&format!("{ORIGIN} {AS_PATH} 800e 02 0019"), "");
        assert_eq!(
            o.problems[0].action,
            UpdateAction::SessionReset {
                code: 3,
                subcode: 9,
                data: hex("800e 02 0019")
            }
        );
    }

    #[test]
    fn overruns() {
        // Attribute overrun before any MP attribute: session reset.
        let o = outcome(&format!("{ORIGIN} {AS_PATH} 4003 09 c0000201"), "");
        assert!(matches!(
            o.session_reset(),
            Some(UpdateAction::SessionReset {
                code: 3,
                subcode: 1,
                ..
            })
        ));
        // After MP_REACH: treat-as-withdraw of the MP routes.
        let o = outcome(&format!("{EVPN_REACH} {ORIGIN} {AS_PATH} 40"), "");
        let UpdateAction::TreatAsWithdraw {
            mp_reach_nlri: Some(MpNlri::Evpn(r)),
            ..
        } = &o.problems[0].action
        else {
            panic!("{o:?}")
        };
        assert_eq!(r.len(), 1);
        // Total attribute length overrun.
        let o =
            UpdateOutcome::decode_body(&hex("0000 0010 4001 01 00"), 19, &DecodingContext::new());
        assert!(matches!(
            o.problems[0].error,
            Error::MalformedAttributeList { offset: 21, .. }
        ));
    }

    #[test]
    fn missing_mandatory_and_evpn() {
        let o = outcome(&format!("{ORIGIN} {EVPN_REACH}"), "");
        assert_eq!(o.problems.len(), 1);
        assert_eq!(
            o.problems[0].error,
            Error::MissingWellKnownAttribute { type_code: 2 }
        );
        // Two MAC Mobility communities with different sequence numbers.
        let ext = "c010 10 0600000000000001 0600000000000002";
        let o = outcome(&format!("{ORIGIN} {AS_PATH} {EVPN_REACH} {ext}"), "");
        assert!(
            matches!(o.problems[0].error, Error::ConflictingMacMobility { offset, .. } if offset > 0)
        );
        assert!(o.treat_as_withdraw());
        // Withdraw-only UPDATE needs no attributes.
        assert!(outcome("800f 03 0019 46", "").is_clean());
    }

    #[test]
    fn bad_nlri_field() {
        let o = outcome(&format!("{ORIGIN} {AS_PATH} {NEXT_HOP}"), "21 0a000000 00");
        assert_eq!(
            o.problems[0].action,
            UpdateAction::AfiSafiDisable {
                family: AfiSafi::IPV4_UNICAST
            }
        );
    }
}
