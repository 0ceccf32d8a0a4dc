//! What a session negotiated that changes how its messages are encoded:
//! 4-octet AS numbers (RFC 6793), Extended Message (RFC 8654) and Add-Path
//! (RFC 7911) per AFI/SAFI and direction.

use alloc::collections::BTreeSet;

use crate::message::capability::{AddPathMode, Capability};
use crate::message::open::Open;
use crate::types::AfiSafi;

/// The session state a decoder and an encoder need.
///
/// Decoding a received message uses the receive side (`add_path_receive`),
/// encoding a message to send uses the send side (`add_path_send`); a
/// context whose two sets are equal decodes what it encodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DecodingContext {
    /// AS numbers are 4 octets in AS_PATH and AGGREGATOR (both speakers
    /// advertised the 4-octet AS capability).
    pub four_octet_as: bool,
    /// Messages other than OPEN and KEEPALIVE may be up to 65535 octets
    /// (both speakers advertised Extended Message).
    pub extended_message: bool,
    /// Families whose received NLRI carry a Path Identifier.
    pub add_path_receive: BTreeSet<AfiSafi>,
    /// Families whose sent NLRI carry a Path Identifier.
    pub add_path_send: BTreeSet<AfiSafi>,
}

/// One direction of a context, as the attribute codecs see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dir<'a> {
    pub(crate) four_octet_as: bool,
    pub(crate) add_path: &'a BTreeSet<AfiSafi>,
}

impl Dir<'_> {
    pub(crate) fn add_path(&self, af: AfiSafi) -> bool {
        self.add_path.contains(&af)
    }
}

impl DecodingContext {
    /// Largest message of RFC 4271.
    pub const MAX_MESSAGE_LEN: u16 = 4096;
    /// Largest message with Extended Message (RFC 8654).
    pub const MAX_EXTENDED_MESSAGE_LEN: u16 = 65535;

    /// The context before OPENs are exchanged (RFC 4271 defaults: 2-octet
    /// AS numbers, 4096-octet messages, no Add-Path).
    pub fn new() -> Self {
        DecodingContext::default()
    }

    /// The same context with 4-octet AS numbers.
    #[must_use]
    pub fn with_four_octet_as(mut self, on: bool) -> Self {
        self.four_octet_as = on;
        self
    }

    /// The same context with Extended Message.
    #[must_use]
    pub fn with_extended_message(mut self, on: bool) -> Self {
        self.extended_message = on;
        self
    }

    /// The same context with Add-Path for `af` in both directions.
    #[must_use]
    pub fn with_add_path(mut self, af: AfiSafi) -> Self {
        self.add_path_receive.insert(af);
        self.add_path_send.insert(af);
        self
    }

    /// The largest message the session accepts (UPDATE, NOTIFICATION,
    /// ROUTE-REFRESH; OPEN and KEEPALIVE stay within 4096).
    pub fn max_message_len(&self) -> u16 {
        if self.extended_message {
            Self::MAX_EXTENDED_MESSAGE_LEN
        } else {
            Self::MAX_MESSAGE_LEN
        }
    }

    /// Whether received NLRI of `af` carry a Path Identifier.
    pub fn receives_path_id(&self, af: AfiSafi) -> bool {
        self.add_path_receive.contains(&af)
    }

    /// Whether sent NLRI of `af` carry a Path Identifier.
    pub fn sends_path_id(&self, af: AfiSafi) -> bool {
        self.add_path_send.contains(&af)
    }

    /// The peer's view of the same session (receive and send swapped).
    #[must_use]
    pub fn reversed(&self) -> Self {
        DecodingContext {
            four_octet_as: self.four_octet_as,
            extended_message: self.extended_message,
            add_path_receive: self.add_path_send.clone(),
            add_path_send: self.add_path_receive.clone(),
        }
    }

    pub(crate) fn rx(&self) -> Dir<'_> {
        Dir {
            four_octet_as: self.four_octet_as,
            add_path: &self.add_path_receive,
        }
    }

    pub(crate) fn tx(&self) -> Dir<'_> {
        Dir {
            four_octet_as: self.four_octet_as,
            add_path: &self.add_path_send,
        }
    }

    /// The context of a session from the OPEN we sent (`local`) and the one
    /// we received (`peer`):
    ///
    /// * 4-octet AS if both advertise the capability (RFC 6793);
    /// * Extended Message if both advertise it (RFC 8654);
    /// * Add-Path receive for a family if we advertised receive and the peer
    ///   send; Add-Path send if we advertised send and the peer receive
    ///   (RFC 7911 section 5).
    pub fn from_opens(local: &Open, peer: &Open) -> Self {
        let mut ctx = DecodingContext {
            four_octet_as: local.four_octet_asn().is_some() && peer.four_octet_asn().is_some(),
            extended_message: local.supports_extended_message() && peer.supports_extended_message(),
            ..DecodingContext::default()
        };
        let modes = |open: &Open| {
            open.capabilities()
                .filter_map(|c| match c {
                    Capability::AddPath(list) => Some(list.iter()),
                    _ => None,
                })
                .flatten()
                .map(|e| (e.family, e.mode))
                .collect::<alloc::vec::Vec<_>>()
        };
        let ours = modes(local);
        let theirs = modes(peer);
        for (af, mode) in &ours {
            let peer_mode = theirs
                .iter()
                .rev()
                .find(|(f, _)| f == af)
                .map_or(AddPathMode(0), |(_, m)| *m);
            if mode.receive() && peer_mode.send() {
                ctx.add_path_receive.insert(*af);
            }
            if mode.send() && peer_mode.receive() {
                ctx.add_path_send.insert(*af);
            }
        }
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::capability::AddPathEntry;
    use crate::message::open::OptionalParameter;
    use core::net::Ipv4Addr;

    fn open(caps: alloc::vec::Vec<Capability>) -> Open {
        Open::new(65001, 90, Ipv4Addr::new(192, 0, 2, 1))
            .with_parameter(OptionalParameter::Capabilities(caps))
    }

    #[test]
    fn negotiation() {
        let evpn = AfiSafi::EVPN;
        let v4 = AfiSafi::IPV4_UNICAST;
        let local = open(alloc::vec![
            Capability::FourOctetAs(65001),
            Capability::ExtendedMessage,
            Capability::AddPath(alloc::vec![
                AddPathEntry {
                    family: evpn,
                    mode: AddPathMode::BOTH
                },
                AddPathEntry {
                    family: v4,
                    mode: AddPathMode::RECEIVE
                },
            ]),
        ]);
        let peer = open(alloc::vec![
            Capability::FourOctetAs(4_200_000_000),
            Capability::AddPath(alloc::vec![
                AddPathEntry {
                    family: evpn,
                    mode: AddPathMode::SEND
                },
                AddPathEntry {
                    family: v4,
                    mode: AddPathMode::RECEIVE
                },
            ]),
        ]);
        let ctx = DecodingContext::from_opens(&local, &peer);
        assert!(ctx.four_octet_as);
        assert!(!ctx.extended_message);
        assert_eq!(ctx.max_message_len(), 4096);
        assert!(ctx.receives_path_id(evpn));
        assert!(!ctx.sends_path_id(evpn));
        assert!(!ctx.receives_path_id(v4));
        assert!(!ctx.sends_path_id(v4));
        let back = DecodingContext::from_opens(&peer, &local);
        assert_eq!(back, ctx.reversed());
        let plain = DecodingContext::from_opens(&open(alloc::vec![]), &peer);
        assert_eq!(plain, DecodingContext::new());
    }
}
