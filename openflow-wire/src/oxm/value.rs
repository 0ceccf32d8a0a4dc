//! Value types of OXM fields and the `Masked` wrapper.

use core::net::{Ipv4Addr, Ipv6Addr};

use bytes::BufMut;
use macaddr::MacAddr6;

/// A field value with an optional mask (`None` = exact match / no mask on
/// the wire). A bit set in the mask means the value bit must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Masked<T> {
    /// The value.
    pub value: T,
    /// The mask, when the field is sent with one.
    pub mask: Option<T>,
}

impl<T> Masked<T> {
    /// An exact match on `value`.
    pub const fn exact(value: T) -> Self {
        Masked { value, mask: None }
    }

    /// `value` under `mask`.
    pub const fn with_mask(value: T, mask: T) -> Self {
        Masked {
            value,
            mask: Some(mask),
        }
    }
}

impl<T> From<T> for Masked<T> {
    fn from(value: T) -> Self {
        Masked::exact(value)
    }
}

/// A PBB I-SID: a 24-bit value (3 bytes on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "u32", into = "u32"))]
pub struct Isid(u32);

impl Isid {
    /// The largest I-SID.
    pub const MAX: u32 = 0xff_ffff;

    /// `value` as an I-SID, or `None` above 24 bits.
    pub const fn new(value: u32) -> Option<Isid> {
        if value <= Self::MAX {
            Some(Isid(value))
        } else {
            None
        }
    }

    /// The value.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Isid {
    type Error = crate::Error;
    fn try_from(v: u32) -> Result<Self, Self::Error> {
        Isid::new(v).ok_or(crate::Error::OutOfRange {
            field: "pbb_isid",
            value: v.into(),
            max: Isid::MAX.into(),
        })
    }
}

impl From<Isid> for u32 {
    fn from(v: Isid) -> u32 {
        v.0
    }
}

/// A fixed-size field value (crate-internal).
pub(crate) trait OxmValue: Sized + Copy {
    const LEN: usize;
    /// `b` is exactly `LEN` bytes.
    fn read(b: &[u8]) -> Self;
    /// Value and mask: `b` is exactly `2 * LEN` bytes.
    #[inline]
    fn read_pair(b: &[u8]) -> (Self, Self) {
        let (v, m) = b.split_at(Self::LEN);
        (Self::read(v), Self::read(m))
    }
    fn write<B: BufMut>(&self, b: &mut B);
    /// Writes the value into `out`, exactly `LEN` bytes.
    fn put_to(&self, out: &mut [u8]);
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl OxmValue for $t {
            const LEN: usize = core::mem::size_of::<$t>();
            #[inline]
            fn read(b: &[u8]) -> Self {
                let mut a = [0u8; core::mem::size_of::<$t>()];
                a.copy_from_slice(b);
                <$t>::from_be_bytes(a)
            }
            fn write<B: BufMut>(&self, b: &mut B) {
                b.put_slice(&self.to_be_bytes());
            }
            #[inline(always)]
            fn put_to(&self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_be_bytes());
            }
        }
    )*};
}
int_value!(u8, u16, u32, u64, u128);

/// The MAC address in the low 48 bits of `w`.
#[inline]
fn mac_from_u64(w: u64) -> MacAddr6 {
    let w = w.to_be_bytes();
    MacAddr6::new(w[2], w[3], w[4], w[5], w[6], w[7])
}

impl OxmValue for MacAddr6 {
    const LEN: usize = 6;
    #[inline]
    fn read(b: &[u8]) -> Self {
        // Through a register: copying the 6 bytes through a stack array
        // made two overlapping 4-byte stores read back across both (a
        // store-forwarding stall in the OXM decode profile).
        let hi = u16::from_be_bytes([b[0], b[1]]);
        let lo = u32::from_be_bytes([b[2], b[3], b[4], b[5]]);
        mac_from_u64(u64::from(hi) << 32 | u64::from(lo))
    }
    fn write<B: BufMut>(&self, b: &mut B) {
        b.put_slice(self.as_bytes());
    }
    #[inline(always)]
    fn put_to(&self, out: &mut [u8]) {
        out.copy_from_slice(self.as_bytes());
    }
}

impl OxmValue for Ipv4Addr {
    const LEN: usize = 4;
    fn read(b: &[u8]) -> Self {
        Ipv4Addr::from(u32::read(b))
    }
    fn write<B: BufMut>(&self, b: &mut B) {
        b.put_slice(&self.octets());
    }
    #[inline(always)]
    fn put_to(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.octets());
    }
}

impl OxmValue for Ipv6Addr {
    const LEN: usize = 16;
    fn read(b: &[u8]) -> Self {
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        Ipv6Addr::from(a)
    }
    fn write<B: BufMut>(&self, b: &mut B) {
        b.put_slice(&self.octets());
    }
    #[inline(always)]
    fn put_to(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.octets());
    }
}

impl OxmValue for Isid {
    const LEN: usize = 3;
    fn read(b: &[u8]) -> Self {
        Isid(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
    fn write<B: BufMut>(&self, b: &mut B) {
        b.put_slice(&self.0.to_be_bytes()[1..]);
    }
    #[inline(always)]
    fn put_to(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.0.to_be_bytes()[1..]);
    }
}
