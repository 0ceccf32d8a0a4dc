//! Capabilities (RFC 5492), carried in an OPEN's Capabilities optional
//! parameter (type 2).
//!
//! ```text
//! +------------------------------+
//! | Capability Code (1 octet)    |
//! +------------------------------+
//! | Capability Length (1 octet)  |
//! +------------------------------+
//! | Capability Value (variable)  |
//! +------------------------------+
//! ```
//!
//! Typed: Multiprotocol (1, RFC 4760), Route Refresh (2, RFC 2918),
//! Extended Message (6, RFC 8654), Graceful Restart (64, RFC 4724),
//! 4-octet AS (65, RFC 6793), Add-Path (69, RFC 7911), Enhanced Route
//! Refresh (70, RFC 7313). Everything else (including the pre-standard
//! Cisco route refresh, 128) is kept raw.

use alloc::vec::Vec;

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;
use crate::types::{Afi, AfiSafi, Safi};

/// Add-Path Send/Receive field (RFC 7911 section 4), kept whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AddPathMode(pub u8);

impl AddPathMode {
    /// 1: receive.
    pub const RECEIVE: AddPathMode = AddPathMode(1);
    /// 2: send.
    pub const SEND: AddPathMode = AddPathMode(2);
    /// 3: both.
    pub const BOTH: AddPathMode = AddPathMode(3);

    /// Willing to receive multiple paths.
    pub fn receive(self) -> bool {
        self.0 & 1 != 0
    }

    /// Able to send multiple paths.
    pub fn send(self) -> bool {
        self.0 & 2 != 0
    }
}

/// One family of the Add-Path capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AddPathEntry {
    /// Family.
    pub family: AfiSafi,
    /// Send/Receive.
    pub mode: AddPathMode,
}

/// One family of the Graceful Restart capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GracefulRestartFamily {
    /// Family.
    pub family: AfiSafi,
    /// Flags for Address Family octet (0x80: forwarding state preserved), kept whole.
    pub flags: u8,
}

impl GracefulRestartFamily {
    /// Forwarding state preserved (F bit).
    pub fn forwarding_preserved(&self) -> bool {
        self.flags & 0x80 != 0
    }
}

/// The Graceful Restart capability (RFC 4724 section 3, RFC 8538 N bit).
///
/// ```text
/// | Restart Flags (4 bits) | Restart Time in seconds (12 bits) |
/// | AFI (2) | SAFI (1) | Flags for Address Family (1) | ...     |
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GracefulRestart {
    /// The 4 Restart Flags bits (0x8: Restart State, 0x4: Notification,
    /// RFC 8538); only the low 4 bits of this value are written.
    pub restart_flags: u8,
    /// Restart Time in seconds; only the low 12 bits are written.
    pub restart_time: u16,
    /// Families.
    pub families: Vec<GracefulRestartFamily>,
}

impl GracefulRestart {
    /// Restart State (R) bit.
    pub fn restart_state(&self) -> bool {
        self.restart_flags & 0x8 != 0
    }

    /// Graceful Notification (N) bit (RFC 8538).
    pub fn notification(&self) -> bool {
        self.restart_flags & 0x4 != 0
    }
}

/// A capability of a code this crate does not decode, kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "UnknownRepr"))]
pub struct UnknownCapability {
    code: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct UnknownRepr {
    code: u8,
    value: Vec<u8>,
}

#[cfg(feature = "serde")]
impl TryFrom<UnknownRepr> for UnknownCapability {
    type Error = Error;
    fn try_from(r: UnknownRepr) -> Result<Self> {
        UnknownCapability::new(r.code, r.value)
    }
}

impl UnknownCapability {
    /// A raw capability. Fails for typed codes and values over 255 octets.
    pub fn new(code: u8, value: Vec<u8>) -> Result<Self> {
        if Capability::TYPED.contains(&code) {
            return Err(Error::InvalidValue {
                what: "unknown capability code",
                reason: "this code has a typed variant",
            });
        }
        if value.len() > 255 {
            return Err(Error::OutOfRange {
                what: "capability length",
                value: value.len() as u64,
                max: 255,
            });
        }
        Ok(UnknownCapability { code, value })
    }

    /// The code.
    pub fn code(&self) -> u8 {
        self.code
    }

    /// The value as received.
    pub fn value(&self) -> &[u8] {
        &self.value
    }
}

/// One capability.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Capability {
    /// 1: Multiprotocol Extensions for this family; the reserved octet is kept.
    Multiprotocol {
        /// Family.
        family: AfiSafi,
        /// Reserved octet between AFI and SAFI.
        reserved: u8,
    },
    /// 2: Route Refresh.
    RouteRefresh,
    /// 6: Extended Message.
    ExtendedMessage,
    /// 64: Graceful Restart.
    GracefulRestart(GracefulRestart),
    /// 65: 4-octet AS number, with the speaker's AS.
    FourOctetAs(u32),
    /// 69: Add-Path (at most 63 families fit one capability).
    AddPath(Vec<AddPathEntry>),
    /// 70: Enhanced Route Refresh.
    EnhancedRouteRefresh,
    /// Anything else.
    Unknown(UnknownCapability),
}

impl Capability {
    const TYPED: [u8; 7] = [1, 2, 6, 64, 65, 69, 70];

    /// Multiprotocol capability for a family.
    pub fn multiprotocol(family: AfiSafi) -> Self {
        Capability::Multiprotocol {
            family,
            reserved: 0,
        }
    }

    /// The capability code.
    pub fn code(&self) -> u8 {
        match self {
            Capability::Multiprotocol { .. } => 1,
            Capability::RouteRefresh => 2,
            Capability::ExtendedMessage => 6,
            Capability::GracefulRestart(_) => 64,
            Capability::FourOctetAs(_) => 65,
            Capability::AddPath(_) => 69,
            Capability::EnhancedRouteRefresh => 70,
            Capability::Unknown(u) => u.code,
        }
    }

    fn value_len(&self) -> usize {
        match self {
            Capability::Multiprotocol { .. } | Capability::FourOctetAs(_) => 4,
            Capability::RouteRefresh
            | Capability::ExtendedMessage
            | Capability::EnhancedRouteRefresh => 0,
            Capability::GracefulRestart(g) => 2 + 4 * g.families.len(),
            Capability::AddPath(v) => 4 * v.len(),
            Capability::Unknown(u) => u.value.len(),
        }
    }

    /// Bytes written by [`Self::encode`].
    pub fn encoded_len(&self) -> usize {
        2 + self.value_len()
    }

    /// Writes code, length and value.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_u8(self.code());
        buf.put_u8(self.value_len() as u8);
        match self {
            Capability::Multiprotocol { family, reserved } => {
                buf.put_u16(family.afi.0);
                buf.put_u8(*reserved);
                buf.put_u8(family.safi.0);
            }
            Capability::RouteRefresh
            | Capability::ExtendedMessage
            | Capability::EnhancedRouteRefresh => {}
            Capability::GracefulRestart(g) => {
                buf.put_u16(u16::from(g.restart_flags & 0xf) << 12 | (g.restart_time & 0x0fff));
                for f in &g.families {
                    buf.put_u16(f.family.afi.0);
                    buf.put_u8(f.family.safi.0);
                    buf.put_u8(f.flags);
                }
            }
            Capability::FourOctetAs(asn) => buf.put_u32(*asn),
            Capability::AddPath(v) => {
                for e in v {
                    buf.put_u16(e.family.afi.0);
                    buf.put_u8(e.family.safi.0);
                    buf.put_u8(e.mode.0);
                }
            }
            Capability::Unknown(u) => buf.put_slice(&u.value),
        }
    }

    /// Decodes exactly one capability.
    pub fn decode(buf: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::Capability);
        let c = Self::read(&mut cur)?;
        cur.finish("capability")?;
        Ok(c)
    }

    pub(crate) fn read(cur: &mut Cursor<'_>) -> Result<Self> {
        let offset = cur.offset();
        let code = cur.u8("capability code")?;
        let len = usize::from(cur.u8("capability length")?);
        let v = cur.take(len, "capability value")?;
        let bad = |expected| Error::InvalidCapabilityLength {
            offset,
            code,
            len,
            expected,
        };
        let family = |b: &[u8]| AfiSafi::new(Afi(u16::from_be_bytes([b[0], b[1]])), Safi(b[2]));
        Ok(match code {
            1 => {
                if len != 4 {
                    return Err(bad("4"));
                }
                Capability::Multiprotocol {
                    family: AfiSafi::new(Afi(u16::from_be_bytes([v[0], v[1]])), Safi(v[3])),
                    reserved: v[2],
                }
            }
            2 | 6 | 70 => {
                if len != 0 {
                    return Err(bad("0"));
                }
                match code {
                    2 => Capability::RouteRefresh,
                    6 => Capability::ExtendedMessage,
                    _ => Capability::EnhancedRouteRefresh,
                }
            }
            64 => {
                if len < 2 || (len - 2) % 4 != 0 {
                    return Err(bad("2 + 4n"));
                }
                let hdr = u16::from_be_bytes([v[0], v[1]]);
                Capability::GracefulRestart(GracefulRestart {
                    restart_flags: (hdr >> 12) as u8,
                    restart_time: hdr & 0x0fff,
                    families: v[2..]
                        .chunks_exact(4)
                        .map(|c| GracefulRestartFamily {
                            family: family(c),
                            flags: c[3],
                        })
                        .collect(),
                })
            }
            65 => {
                if len != 4 {
                    return Err(bad("4"));
                }
                Capability::FourOctetAs(u32::from_be_bytes([v[0], v[1], v[2], v[3]]))
            }
            69 => {
                if len % 4 != 0 {
                    return Err(bad("4n"));
                }
                Capability::AddPath(
                    v.chunks_exact(4)
                        .map(|c| AddPathEntry {
                            family: family(c),
                            mode: AddPathMode(c[3]),
                        })
                        .collect(),
                )
            }
            _ => Capability::Unknown(UnknownCapability {
                code,
                value: v.to_vec(),
            }),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::hex;
    use proptest::prelude::*;

    fn arb_family() -> impl Strategy<Value = AfiSafi> {
        (any::<u16>(), any::<u8>()).prop_map(|(a, s)| AfiSafi::new(Afi(a), Safi(s)))
    }

    pub(crate) fn arb() -> impl Strategy<Value = Capability> {
        prop_oneof![
            (arb_family(), any::<u8>())
                .prop_map(|(family, reserved)| Capability::Multiprotocol { family, reserved }),
            Just(Capability::RouteRefresh),
            Just(Capability::ExtendedMessage),
            Just(Capability::EnhancedRouteRefresh),
            any::<u32>().prop_map(Capability::FourOctetAs),
            proptest::collection::vec(
                (arb_family(), any::<u8>()).prop_map(|(family, m)| AddPathEntry {
                    family,
                    mode: AddPathMode(m)
                }),
                0..5
            )
            .prop_map(Capability::AddPath),
            (
                0u8..16,
                0u16..4096,
                proptest::collection::vec((arb_family(), any::<u8>()), 0..4)
            )
                .prop_map(|(restart_flags, restart_time, f)| {
                    Capability::GracefulRestart(GracefulRestart {
                        restart_flags,
                        restart_time,
                        families: f
                            .into_iter()
                            .map(|(family, flags)| GracefulRestartFamily { family, flags })
                            .collect(),
                    })
                }),
            (any::<u8>(), proptest::collection::vec(any::<u8>(), 0..10))
                .prop_filter_map("typed", |(c, v)| UnknownCapability::new(c, v).ok())
                .prop_map(Capability::Unknown),
        ]
    }

    #[test]
    fn rfc_layouts() {
        let cases: [(&str, Capability); 6] = [
            ("01 04 0019 00 46", Capability::multiprotocol(AfiSafi::EVPN)),
            ("02 00", Capability::RouteRefresh),
            ("41 04 fa56ea00", Capability::FourOctetAs(4_200_000_000)),
            (
                "45 04 0019 46 03",
                Capability::AddPath(vec![AddPathEntry {
                    family: AfiSafi::EVPN,
                    mode: AddPathMode::BOTH,
                }]),
            ),
            ("46 00", Capability::EnhancedRouteRefresh),
            (
                "40 06 8078 0001 01 80",
                Capability::GracefulRestart(GracefulRestart {
                    restart_flags: 8,
                    restart_time: 120,
                    families: vec![GracefulRestartFamily {
                        family: AfiSafi::IPV4_UNICAST,
                        flags: 0x80,
                    }],
                }),
            ),
        ];
        for (h, cap) in cases {
            let b = hex(h);
            assert_eq!(Capability::decode(&b).unwrap(), cap, "{h}");
            let mut out = Vec::new();
            cap.encode(&mut out);
            assert_eq!(out, b);
        }
        let Capability::GracefulRestart(g) = Capability::decode(&hex("40 02 c000")).unwrap() else {
            panic!()
        };
        assert!(g.restart_state() && g.notification());
        // Cisco route refresh kept raw.
        let c = Capability::decode(&hex("80 00")).unwrap();
        assert_eq!(c.code(), 128);
        assert!(matches!(c, Capability::Unknown(_)));
        assert!(matches!(
            Capability::decode(&hex("41 02 fde9")),
            Err(Error::InvalidCapabilityLength {
                code: 65,
                len: 2,
                ..
            })
        ));
        assert!(Capability::decode(&hex("45 05 0019460300")).is_err());
        assert!(Capability::decode(&hex("02 01 00")).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(cap in arb()) {
            let mut v = vec![0xA5u8; cap.encoded_len()];
            {
                let mut s = &mut v[..];
                cap.encode(&mut s);
                prop_assert!(s.is_empty());
            }
            prop_assert_eq!(Capability::decode(&v).unwrap(), cap);
            for cut in 0..v.len() {
                prop_assert!(Capability::decode(&v[..cut]).is_err());
            }
        }
    }
}
