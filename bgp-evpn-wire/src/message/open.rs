//! OPEN (RFC 4271 section 4.2) with optional parameters (RFC 5492) and the
//! extended optional parameters length (RFC 9072).
//!
//! ```text
//! +---------+-----------+---------------+--------------------+
//! | Version | My AS (2) | Hold Time (2) | BGP Identifier (4) |
//! +---------+-----------+---------------+--------------------+
//! | Opt Parm Len (1) | Optional Parameters: Type (1) Len (1) Value ...
//! +------------------+----------------------------------------
//! RFC 9072: Opt Parm Len 255, then Non-Ext OP Type 255, an Extended Opt.
//! Parm. Length (2), and parameters with 2-octet lengths.
//! ```

use alloc::vec::Vec;
use core::net::Ipv4Addr;

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::message::capability::{AddPathEntry, Capability};
use crate::parse::Cursor;
use crate::types::AfiSafi;

/// An optional parameter type this crate does not decode, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "UnknownRepr"))]
pub struct UnknownParameter {
    param_type: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct UnknownRepr {
    param_type: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<UnknownRepr> for UnknownParameter {
    type Error = Error;
    fn try_from(r: UnknownRepr) -> Result<Self> {
        UnknownParameter::new(r.param_type, r.value)
    }
}

impl UnknownParameter {
    /// A raw parameter. Fails for type 2 (Capabilities), 255 (the RFC 9072
    /// marker) and values over 65535 octets.
    pub fn new(param_type: u8, value: Vec<u8>) -> Result<Self> {
        if param_type == 2 || param_type == 255 {
            return Err(Error::InvalidValue {
                what: "optional parameter type",
                reason: "2 is Capabilities, 255 marks extended lengths",
            });
        }
        if value.len() > 65535 {
            return Err(Error::OutOfRange {
                what: "optional parameter length",
                value: value.len() as u64,
                max: 65535,
            });
        }
        Ok(UnknownParameter { param_type, value })
    }

    /// The parameter type.
    pub fn param_type(&self) -> u8 {
        self.param_type
    }

    /// The value as received.
    pub fn value(&self) -> &[u8] {
        &self.value
    }
}

/// One optional parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum OptionalParameter {
    /// Type 2: one or more capabilities, grouping kept as received.
    Capabilities(Vec<Capability>),
    /// Any other type (e.g. the deprecated Authentication, 1).
    Unknown(UnknownParameter),
}

impl OptionalParameter {
    fn value_len(&self) -> usize {
        match self {
            OptionalParameter::Capabilities(c) => c.iter().map(Capability::encoded_len).sum(),
            OptionalParameter::Unknown(u) => u.value.len(),
        }
    }

    fn param_type(&self) -> u8 {
        match self {
            OptionalParameter::Capabilities(_) => 2,
            OptionalParameter::Unknown(u) => u.param_type,
        }
    }
}

/// An OPEN message body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Open {
    /// Version: decoding accepts only 4.
    pub version: u8,
    /// My Autonomous System (AS_TRANS, 23456, when the AS needs 4 octets).
    pub my_as: u16,
    /// Hold Time in seconds (0, or at least 3).
    pub hold_time: u16,
    /// BGP Identifier.
    pub bgp_id: Ipv4Addr,
    /// Optional parameters in wire order.
    pub params: Vec<OptionalParameter>,
    /// The parameters use the RFC 9072 extended format. Set on decode when
    /// the peer used it; encoding uses it when set or when the parameters
    /// do not fit 255 octets.
    pub extended_params: bool,
}

impl Open {
    /// Minimum body length (no parameters).
    pub const MIN_BODY_LEN: usize = 10;

    /// An OPEN without parameters. An AS above 65535 is written as AS_TRANS
    /// (add [`Capability::FourOctetAs`] with the real AS).
    pub fn new(asn: u32, hold_time: u16, bgp_id: Ipv4Addr) -> Self {
        Open {
            version: 4,
            my_as: u16::try_from(asn).unwrap_or(crate::attribute::as_path::AS_TRANS),
            hold_time,
            bgp_id,
            params: Vec::new(),
            extended_params: false,
        }
    }

    /// The same OPEN with one more optional parameter.
    #[must_use]
    pub fn with_parameter(mut self, p: OptionalParameter) -> Self {
        self.params.push(p);
        self
    }

    /// Every capability, across all Capabilities parameters.
    pub fn capabilities(&self) -> impl Iterator<Item = &Capability> {
        self.params
            .iter()
            .filter_map(|p| match p {
                OptionalParameter::Capabilities(c) => Some(c.iter()),
                OptionalParameter::Unknown(_) => None,
            })
            .flatten()
    }

    /// The AS of the 4-octet AS capability, if advertised.
    pub fn four_octet_asn(&self) -> Option<u32> {
        self.capabilities().find_map(|c| match c {
            Capability::FourOctetAs(a) => Some(*a),
            _ => None,
        })
    }

    /// The speaker's AS: from the 4-octet AS capability, else My AS.
    pub fn asn(&self) -> u32 {
        self.four_octet_asn().unwrap_or(u32::from(self.my_as))
    }

    /// Whether Extended Message is advertised.
    pub fn supports_extended_message(&self) -> bool {
        self.capabilities()
            .any(|c| matches!(c, Capability::ExtendedMessage))
    }

    /// Families of the Multiprotocol capabilities.
    pub fn multiprotocol(&self) -> impl Iterator<Item = AfiSafi> + '_ {
        self.capabilities().filter_map(|c| match c {
            Capability::Multiprotocol { family, .. } => Some(*family),
            _ => None,
        })
    }

    /// Add-Path entries advertised.
    pub fn add_path(&self) -> impl Iterator<Item = &AddPathEntry> {
        self.capabilities()
            .filter_map(|c| match c {
                Capability::AddPath(v) => Some(v.iter()),
                _ => None,
            })
            .flatten()
    }

    fn params_len(&self) -> usize {
        self.params
            .iter()
            .map(OptionalParameter::value_len)
            .sum::<usize>()
            + self.params.len() * 2
    }

    fn uses_extended(&self) -> bool {
        self.extended_params || self.params_len() > 255
    }

    /// Bytes of the body written by [`Self::encode`].
    pub fn encoded_len(&self) -> usize {
        if self.uses_extended() {
            Self::MIN_BODY_LEN + 3 + self.params_len() + self.params.len()
        } else {
            Self::MIN_BODY_LEN + self.params_len()
        }
    }

    /// Writes the body (after the header).
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.version);
        buf.put_u16(self.my_as);
        buf.put_u16(self.hold_time);
        buf.put_slice(&self.bgp_id.octets());
        let ext = self.uses_extended();
        if ext {
            buf.put_u8(255);
            buf.put_u8(255);
            buf.put_u16((self.params_len() + self.params.len()) as u16);
        } else {
            buf.put_u8(self.params_len() as u8);
        }
        for p in &self.params {
            buf.put_u8(p.param_type());
            let len = p.value_len();
            if ext {
                buf.put_u16(len as u16);
            } else {
                buf.put_u8(len as u8);
            }
            match p {
                OptionalParameter::Capabilities(caps) => caps.iter().for_each(|c| c.encode(buf)),
                OptionalParameter::Unknown(u) => buf.put_slice(&u.value),
            }
        }
    }

    /// Decodes a body (after the header); offsets relative to `body`.
    pub fn decode(body: &[u8]) -> Result<Self> {
        Self::decode_at(body, 0)
    }

    pub(crate) fn decode_at(body: &[u8], base: usize) -> Result<Self> {
        let mut cur = Cursor::new(body, base, Section::Open);
        let at = cur.offset();
        let version = cur.u8("version")?;
        if version != 4 {
            return Err(Error::UnsupportedVersion {
                offset: at,
                version,
            });
        }
        let my_as = cur.u16("my AS")?;
        let at = cur.offset();
        let hold_time = cur.u16("hold time")?;
        if hold_time == 1 || hold_time == 2 {
            return Err(Error::UnacceptableHoldTime {
                offset: at,
                hold_time,
            });
        }
        let bgp_id = cur.ipv4("BGP identifier")?;
        let short_len = cur.u8("optional parameters length")?;
        let extended_params = short_len == 255 && cur.rest().first() == Some(&255);
        let len = if extended_params {
            cur.u8("non-ext OP type")?;
            usize::from(cur.u16("extended optional parameters length")?)
        } else {
            usize::from(short_len)
        };
        let at = cur.offset();
        let block = cur.take(len, "optional parameters")?;
        cur.finish("OPEN")?;
        let mut pc = Cursor::new(block, at, Section::Open);
        let mut params = Vec::new();
        while pc.remaining() > 0 {
            let ptype = pc.u8("parameter type")?;
            let plen = if extended_params {
                usize::from(pc.u16("parameter length")?)
            } else {
                usize::from(pc.u8("parameter length")?)
            };
            let vat = pc.offset();
            let value = pc.take(plen, "parameter value")?;
            params.push(if ptype == 2 {
                let mut cc = Cursor::new(value, vat, Section::Capability);
                let mut caps = Vec::new();
                while cc.remaining() > 0 {
                    caps.push(Capability::read(&mut cc)?);
                }
                OptionalParameter::Capabilities(caps)
            } else {
                OptionalParameter::Unknown(UnknownParameter {
                    param_type: ptype,
                    value: value.to_vec(),
                })
            });
        }
        Ok(Open {
            version,
            my_as,
            hold_time,
            bgp_id,
            params,
            extended_params,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::message::capability::tests::arb as arb_cap;
    use crate::test_util::hex;
    use proptest::prelude::*;

    pub(crate) fn arb() -> impl Strategy<Value = Open> {
        let param = prop_oneof![
            proptest::collection::vec(arb_cap(), 0..4).prop_map(OptionalParameter::Capabilities),
            (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..8))
                .prop_filter_map("typed", |(t, v)| UnknownParameter::new(t, v).ok())
                .prop_map(OptionalParameter::Unknown),
        ];
        (
            any::<u16>(),
            any::<u16>().prop_filter("1 or 2", |h| *h != 1 && *h != 2),
            any::<[u8; 4]>(),
            proptest::collection::vec(param, 0..4),
            any::<bool>(),
        )
            .prop_map(|(my_as, hold_time, id, params, ext)| {
                let mut o = Open {
                    version: 4,
                    my_as,
                    hold_time,
                    bgp_id: Ipv4Addr::from(id),
                    params,
                    extended_params: ext,
                };
                o.extended_params |= o.params_len() > 255;
                o
            })
    }

    #[test]
    fn rfc5492_layout() {
        // AS 65001, hold 90, id 192.0.2.1; one Capabilities parameter with
        // MP EVPN, Route Refresh, 4-octet AS 65001.
        let b = hex("04 fde9 005a c0000201 10 02 0e 01040019 0046 0200 4104 0000fde9");
        let o = Open::decode(&b).unwrap();
        assert_eq!(o.asn(), 65001);
        assert_eq!(o.hold_time, 90);
        assert_eq!(o.multiprotocol().collect::<Vec<_>>(), [AfiSafi::EVPN]);
        assert!(!o.extended_params);
        let mut out = Vec::new();
        o.encode(&mut out);
        assert_eq!(out, b);
        assert_eq!(o.encoded_len(), b.len());
    }

    #[test]
    fn rfc9072_extended_lengths() {
        let b = hex("04 fde9 005a c0000201 ff ff 0005 02 0002 0200");
        let o = Open::decode(&b).unwrap();
        assert!(o.extended_params);
        assert_eq!(
            o.capabilities().collect::<Vec<_>>(),
            [&Capability::RouteRefresh]
        );
        let mut out = Vec::new();
        o.encode(&mut out);
        assert_eq!(out, b);
        // Forced when the parameters exceed 255 octets.
        let big = Open::new(65001, 90, Ipv4Addr::LOCALHOST).with_parameter(
            OptionalParameter::Unknown(UnknownParameter::new(9, vec![0; 300]).unwrap()),
        );
        let mut out = Vec::new();
        big.encode(&mut out);
        assert_eq!(out.len(), big.encoded_len());
        let back = Open::decode(&out).unwrap();
        assert!(back.extended_params);
        assert_eq!(back.params, big.params);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            Open::decode(&hex("03 fde9 005a c0000201 00")),
            Err(Error::UnsupportedVersion {
                offset: 0,
                version: 3
            })
        ));
        assert!(matches!(
            Open::decode(&hex("04 fde9 0002 c0000201 00")),
            Err(Error::UnacceptableHoldTime {
                offset: 3,
                hold_time: 2
            })
        ));
        assert!(Open::decode(&hex("04 fde9 005a c0000201 03 02 02 02")).is_err());
        assert!(Open::decode(&hex("04 fde9 005a c0000201 00 00")).is_err());
        assert_eq!(
            Open::new(4_200_000_000, 0, Ipv4Addr::LOCALHOST).my_as,
            23456
        );
    }

    proptest! {
        #[test]
        fn roundtrip(o in arb()) {
            let len = o.encoded_len();
            let mut v = vec![0xA5u8; len];
            {
                let mut s = &mut v[..];
                o.encode(&mut s);
                prop_assert!(s.is_empty());
            }
            prop_assert_eq!(Open::decode(&v).unwrap(), o);
            for cut in 0..len {
                prop_assert!(Open::decode(&v[..cut]).is_err());
            }
        }
    }
}
