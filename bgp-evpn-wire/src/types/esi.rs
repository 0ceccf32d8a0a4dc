//! Ethernet Segment Identifier (RFC 7432 section 5): 10 octets, a 1-octet
//! type and a 9-octet value.
//!
//! ```text
//! type 0 | 9 octets set by the operator                             |
//! type 1 | CE LACP system MAC (6)  | port key (2) | reserved (1)    |
//! type 2 | root bridge MAC (6)     | priority (2) | reserved (1)    |
//! type 3 | system MAC (6)          | local discriminator (3)        |
//! type 4 | router ID (4) | local discriminator (4) | reserved (1)   |
//! type 5 | AS number (4) | local discriminator (4) | reserved (1)   |
//! ```

use core::fmt;
use core::net::Ipv4Addr;

use bytes::BufMut;
use macaddr::MacAddr6;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;

/// A 24-bit local discriminator (ESI type 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u32", into = "u32"))]
pub struct Discriminator24(u32);

impl Discriminator24 {
    /// Largest value (24 bits).
    pub const MAX: u32 = (1 << 24) - 1;

    /// Validates a 24-bit value.
    pub fn new(v: u32) -> Result<Self> {
        if v > Self::MAX {
            Err(Error::OutOfRange {
                what: "ESI local discriminator",
                value: v.into(),
                max: Self::MAX.into(),
            })
        } else {
            Ok(Discriminator24(v))
        }
    }

    /// The value.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Discriminator24 {
    type Error = Error;
    fn try_from(v: u32) -> Result<Self> {
        Discriminator24::new(v)
    }
}

impl From<Discriminator24> for u32 {
    fn from(v: Discriminator24) -> u32 {
        v.0
    }
}

/// An Ethernet Segment Identifier. Types 0 to 5 are typed; other types are
/// kept raw. Reserved octets are preserved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Esi {
    /// Type 0: arbitrary 9 octets configured by the operator. All zeros is
    /// the single-homed ESI ([`Esi::ZERO`]); all ones is MAX-ESI.
    Arbitrary([u8; 9]),
    /// Type 1: auto-generated from IEEE 802.1AX LACP.
    Lacp {
        /// CE LACP system MAC address.
        system_mac: MacAddr6,
        /// CE LACP port key.
        port_key: u16,
        /// Last octet, zero on send, preserved on receive.
        reserved: u8,
    },
    /// Type 2: auto-generated from the L2 bridge protocol root bridge.
    L2Bridge {
        /// Root bridge MAC address.
        root_bridge_mac: MacAddr6,
        /// Root bridge priority.
        priority: u16,
        /// Last octet, zero on send, preserved on receive.
        reserved: u8,
    },
    /// Type 3: MAC-based.
    MacBased {
        /// System MAC address.
        system_mac: MacAddr6,
        /// Local discriminator (3 octets).
        local_discriminator: Discriminator24,
    },
    /// Type 4: router ID based.
    RouterId {
        /// Router ID.
        router_id: Ipv4Addr,
        /// Local discriminator.
        local_discriminator: u32,
        /// Last octet, zero on send, preserved on receive.
        reserved: u8,
    },
    /// Type 5: AS number based.
    As {
        /// AS number.
        asn: u32,
        /// Local discriminator.
        local_discriminator: u32,
        /// Last octet, zero on send, preserved on receive.
        reserved: u8,
    },
    /// Any other type (6..=255), kept raw.
    Unknown {
        /// The type octet.
        esi_type: u8,
        /// The 9 value octets.
        value: [u8; 9],
    },
}

impl Default for Esi {
    fn default() -> Self {
        Esi::ZERO
    }
}

impl Esi {
    /// The all-zero ESI of single-homed sites.
    pub const ZERO: Esi = Esi::Arbitrary([0; 9]);
    /// MAX-ESI: type 0 with all value octets 0xFF.
    pub const MAX: Esi = Esi::Arbitrary([0xFF; 9]);
    /// Encoded length: always 10.
    pub const LEN: usize = 10;

    /// Whether this is the all-zero ESI (single-homed).
    pub fn is_zero(&self) -> bool {
        *self == Esi::ZERO
    }

    /// The type octet.
    pub fn esi_type(&self) -> u8 {
        match self {
            Esi::Arbitrary(_) => 0,
            Esi::Lacp { .. } => 1,
            Esi::L2Bridge { .. } => 2,
            Esi::MacBased { .. } => 3,
            Esi::RouterId { .. } => 4,
            Esi::As { .. } => 5,
            Esi::Unknown { esi_type, .. } => *esi_type,
        }
    }

    /// Decodes exactly 10 bytes.
    pub fn decode(buf: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::Nlri);
        let esi = Self::read(&mut cur)?;
        cur.finish("ESI")?;
        Ok(esi)
    }

    pub(crate) fn read(cur: &mut Cursor<'_>) -> Result<Self> {
        Ok(Self::from_bytes(cur.array("ESI")?))
    }

    /// Interprets 10 bytes (never fails: unknown types are kept raw).
    #[inline]
    pub fn from_bytes(raw: [u8; 10]) -> Self {
        Self::from_array_ref(&raw)
    }

    /// [`Self::from_bytes`] reading in place (no copy of the 10 bytes
    /// first: the decoders pass a view of the message).
    #[inline(always)]
    pub(crate) fn from_array_ref(raw: &[u8; 10]) -> Self {
        let [esi_type, v @ ..] = raw;
        if *esi_type == 0 {
            return Esi::Arbitrary(*v);
        }
        let mac = || MacAddr6::new(v[0], v[1], v[2], v[3], v[4], v[5]);
        let u32_at = |i: usize| u32::from_be_bytes([v[i], v[i + 1], v[i + 2], v[i + 3]]);
        match raw[0] {
            0 => {
                let mut value = [0u8; 9];
                value.copy_from_slice(v);
                Esi::Arbitrary(value)
            }
            1 => Esi::Lacp {
                system_mac: mac(),
                port_key: u16::from_be_bytes([v[6], v[7]]),
                reserved: v[8],
            },
            2 => Esi::L2Bridge {
                root_bridge_mac: mac(),
                priority: u16::from_be_bytes([v[6], v[7]]),
                reserved: v[8],
            },
            3 => Esi::MacBased {
                system_mac: mac(),
                local_discriminator: Discriminator24(u32::from_be_bytes([0, v[6], v[7], v[8]])),
            },
            4 => Esi::RouterId {
                router_id: Ipv4Addr::new(v[0], v[1], v[2], v[3]),
                local_discriminator: u32_at(4),
                reserved: v[8],
            },
            5 => Esi::As {
                asn: u32_at(0),
                local_discriminator: u32_at(4),
                reserved: v[8],
            },
            esi_type => {
                let mut value = [0u8; 9];
                value.copy_from_slice(v);
                Esi::Unknown { esi_type, value }
            }
        }
    }

    /// The 10 bytes on the wire, written at fixed offsets.
    #[inline]
    pub fn to_bytes(&self) -> [u8; 10] {
        let mut out = [0u8; 10];
        self.write_to(&mut out);
        out
    }

    /// Writes the 10 bytes into `out` at fixed offsets (the route encoders
    /// fill their stack arrays with it).
    #[inline(always)]
    pub(crate) fn write_to(&self, out: &mut [u8; 10]) {
        let [esi_type, v @ ..] = out;
        *esi_type = self.esi_type();
        match self {
            Esi::Arbitrary(value) | Esi::Unknown { value, .. } => *v = *value,
            Esi::Lacp {
                system_mac: mac,
                port_key: n,
                reserved,
            }
            | Esi::L2Bridge {
                root_bridge_mac: mac,
                priority: n,
                reserved,
            } => {
                v[..6].copy_from_slice(mac.as_bytes());
                v[6..8].copy_from_slice(&n.to_be_bytes());
                v[8] = *reserved;
            }
            Esi::MacBased {
                system_mac,
                local_discriminator,
            } => {
                v[..6].copy_from_slice(system_mac.as_bytes());
                v[6..].copy_from_slice(&local_discriminator.0.to_be_bytes()[1..]);
            }
            Esi::RouterId {
                router_id: a,
                local_discriminator: d,
                reserved,
            } => {
                v[..4].copy_from_slice(&a.octets());
                v[4..8].copy_from_slice(&d.to_be_bytes());
                v[8] = *reserved;
            }
            Esi::As {
                asn: a,
                local_discriminator: d,
                reserved,
            } => {
                v[..4].copy_from_slice(&a.to_be_bytes());
                v[4..8].copy_from_slice(&d.to_be_bytes());
                v[8] = *reserved;
            }
        }
    }

    /// The 10 bytes as the low 80 bits of a big-endian word, computed from
    /// the fields (the route encoders shift it into place; nothing is
    /// written to memory and read back).
    #[inline(always)]
    pub(crate) fn wire_bits(&self) -> u128 {
        let t = u128::from(self.esi_type()) << 72;
        let mac48 = |m: &MacAddr6| {
            let b = m.as_bytes();
            u128::from(u64::from_be_bytes([
                0, 0, b[0], b[1], b[2], b[3], b[4], b[5],
            ]))
        };
        match self {
            Esi::Arbitrary(v) | Esi::Unknown { value: v, .. } => {
                let [v0, rest @ ..] = v;
                t | (u128::from(*v0) << 64) | u128::from(u64::from_be_bytes(*rest))
            }
            Esi::Lacp {
                system_mac: mac,
                port_key: n,
                reserved,
            }
            | Esi::L2Bridge {
                root_bridge_mac: mac,
                priority: n,
                reserved,
            } => t | (mac48(mac) << 24) | (u128::from(*n) << 8) | u128::from(*reserved),
            Esi::MacBased {
                system_mac,
                local_discriminator,
            } => t | (mac48(system_mac) << 24) | u128::from(local_discriminator.0),
            Esi::RouterId {
                router_id,
                local_discriminator,
                reserved,
            } => {
                t | (u128::from(router_id.to_bits()) << 40)
                    | (u128::from(*local_discriminator) << 8)
                    | u128::from(*reserved)
            }
            Esi::As {
                asn,
                local_discriminator,
                reserved,
            } => {
                t | (u128::from(*asn) << 40)
                    | (u128::from(*local_discriminator) << 8)
                    | u128::from(*reserved)
            }
        }
    }

    /// Encoded length: always 10.
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the 10 bytes.
    #[inline]
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(&self.to_bytes());
    }
}

impl fmt::Display for Esi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.to_bytes().iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::test_util::{arb_mac, check_roundtrip, hex};
    use proptest::prelude::*;

    pub(crate) fn arb_esi() -> impl Strategy<Value = Esi> {
        prop_oneof![
            any::<[u8; 9]>().prop_map(Esi::Arbitrary),
            (arb_mac(), any::<u16>(), any::<u8>()).prop_map(|(system_mac, port_key, reserved)| {
                Esi::Lacp {
                    system_mac,
                    port_key,
                    reserved,
                }
            }),
            (arb_mac(), any::<u16>(), any::<u8>()).prop_map(
                |(root_bridge_mac, priority, reserved)| Esi::L2Bridge {
                    root_bridge_mac,
                    priority,
                    reserved
                }
            ),
            (arb_mac(), 0..=Discriminator24::MAX).prop_map(|(system_mac, d)| Esi::MacBased {
                system_mac,
                local_discriminator: Discriminator24::new(d).unwrap()
            }),
            (any::<[u8; 4]>(), any::<u32>(), any::<u8>()).prop_map(|(r, d, reserved)| {
                Esi::RouterId {
                    router_id: Ipv4Addr::from(r),
                    local_discriminator: d,
                    reserved,
                }
            }),
            (any::<u32>(), any::<u32>(), any::<u8>()).prop_map(|(asn, d, reserved)| Esi::As {
                asn,
                local_discriminator: d,
                reserved
            }),
            (6u8.., any::<[u8; 9]>())
                .prop_map(|(esi_type, value)| Esi::Unknown { esi_type, value }),
        ]
    }

    #[test]
    fn rfc7432_types() {
        assert_eq!(
            Esi::decode(&hex("00000000000000000000")).unwrap(),
            Esi::ZERO
        );
        assert!(Esi::ZERO.is_zero());
        assert_eq!(
            Esi::decode(&hex("01aabbccddeeff123400")).unwrap(),
            Esi::Lacp {
                system_mac: MacAddr6::new(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff),
                port_key: 0x1234,
                reserved: 0
            }
        );
        assert_eq!(
            Esi::decode(&hex("02aabbccddeeff800001")).unwrap(),
            Esi::L2Bridge {
                root_bridge_mac: MacAddr6::new(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff),
                priority: 0x8000,
                reserved: 1
            }
        );
        let esi = Esi::decode(&hex("03aabbccddeeff000102")).unwrap();
        assert_eq!(
            esi,
            Esi::MacBased {
                system_mac: MacAddr6::new(0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff),
                local_discriminator: Discriminator24::new(0x102).unwrap()
            }
        );
        assert_eq!(
            Esi::decode(&hex("04c0000201000000ff00")).unwrap(),
            Esi::RouterId {
                router_id: Ipv4Addr::new(192, 0, 2, 1),
                local_discriminator: 255,
                reserved: 0
            }
        );
        assert_eq!(
            Esi::decode(&hex("050000fde80000000100")).unwrap(),
            Esi::As {
                asn: 65000,
                local_discriminator: 1,
                reserved: 0
            }
        );
        let raw = hex("07010203040506070809");
        let esi = Esi::decode(&raw).unwrap();
        assert_eq!(esi.esi_type(), 7);
        assert_eq!(esi.to_bytes().to_vec(), raw);
        assert_eq!(esi.to_string(), "07:01:02:03:04:05:06:07:08:09");
        assert!(Discriminator24::new(1 << 24).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(esi in arb_esi()) {
            check_roundtrip(&esi)?;
        }
    }
}
