//! The 3-octet label field of EVPN routes and of the ESI Label community.
//!
//! With MPLS it carries a 20-bit label, 3 bits of traffic class and the
//! bottom-of-stack bit (RFC 3032 layout, RFC 7432 section 7). With VXLAN,
//! NVGRE and VXLAN-GPE all 24 bits are the VNI/VSID (RFC 8365 section 5.1.3):
//!
//! ```text
//!  MPLS:  | label (20 bits)                       | TC  |S|
//!  VXLAN: | VNI (24 bits)                                 |
//! ```
//!
//! The bytes are kept exactly as received: several peers get the VNI wrong by
//! shifting it by 4 (GoBGP issue 2134, FRR issue 4047); this type never does.

use core::fmt;

use bytes::BufMut;

use crate::error::{Error, Result, Section};
use crate::parse::Cursor;

/// The 3-octet label field, kept exactly as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct LabelField(pub [u8; 3]);

/// How to read a [`LabelField`]: decided by the BGP Encapsulation extended
/// community of the route (RFC 8365 section 5.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum LabelMeaning {
    /// All 24 bits are a VNI (VXLAN, VXLAN-GPE) or VSID (NVGRE).
    Vni,
    /// The high 20 bits are an MPLS label (MPLS, MPLS-in-GRE, no encapsulation community).
    MplsLabel,
}

impl LabelField {
    /// Largest MPLS label (20 bits).
    pub const MAX_MPLS_LABEL: u32 = (1 << 20) - 1;
    /// Largest VNI (24 bits).
    pub const MAX_VNI: u32 = (1 << 24) - 1;
    /// Encoded length: always 3.
    pub const LEN: usize = 3;

    /// A field holding an MPLS label in its 20 high bits, TC 0, and the
    /// bottom-of-stack bit.
    pub fn from_mpls_label(label: u32, bottom_of_stack: bool) -> Result<Self> {
        if label > Self::MAX_MPLS_LABEL {
            return Err(Error::OutOfRange {
                what: "MPLS label",
                value: label.into(),
                max: Self::MAX_MPLS_LABEL.into(),
            });
        }
        let v = (label << 4) | u32::from(bottom_of_stack);
        Ok(Self::from_u24(v))
    }

    /// A field holding a 24-bit VNI in all its bits (RFC 8365 section 5.1.3).
    pub fn from_vni(vni: u32) -> Result<Self> {
        if vni > Self::MAX_VNI {
            return Err(Error::OutOfRange {
                what: "VNI",
                value: vni.into(),
                max: Self::MAX_VNI.into(),
            });
        }
        Ok(Self::from_u24(vni))
    }

    fn from_u24(v: u32) -> Self {
        let b = v.to_be_bytes();
        LabelField([b[1], b[2], b[3]])
    }

    fn as_u24(self) -> u32 {
        u32::from_be_bytes([0, self.0[0], self.0[1], self.0[2]])
    }

    /// The MPLS label: the 20 high bits.
    pub fn mpls_label(self) -> u32 {
        self.as_u24() >> 4
    }

    /// The bottom-of-stack bit (lowest bit).
    pub fn bottom_of_stack(self) -> bool {
        self.0[2] & 1 == 1
    }

    /// The VNI: all 24 bits, never shifted.
    pub fn vni(self) -> u32 {
        self.as_u24()
    }

    /// The value under `meaning`: the VNI or the MPLS label.
    pub fn value(self, meaning: LabelMeaning) -> u32 {
        match meaning {
            LabelMeaning::Vni => self.vni(),
            LabelMeaning::MplsLabel => self.mpls_label(),
        }
    }

    /// The 3 bytes.
    pub fn to_bytes(self) -> [u8; 3] {
        self.0
    }

    /// Decodes exactly 3 bytes.
    pub fn decode(buf: &[u8]) -> Result<Self> {
        let mut cur = Cursor::new(buf, 0, Section::Nlri);
        let label = Self::read(&mut cur)?;
        cur.finish("label")?;
        Ok(label)
    }

    pub(crate) fn read(cur: &mut Cursor<'_>) -> Result<Self> {
        Ok(LabelField(cur.array("label")?))
    }

    /// Encoded length: always 3.
    pub fn encoded_len(&self) -> usize {
        Self::LEN
    }

    /// Writes the 3 bytes unchanged.
    pub fn encode<B: BufMut>(&self, buf: &mut B) {
        buf.put_slice(&self.0);
    }
}

impl fmt::Display for LabelField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02x}{:02x}{:02x}", self.0[0], self.0[1], self.0[2])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{check_roundtrip, hex};
    use proptest::prelude::*;

    #[test]
    fn vni_is_never_shifted() {
        // VNI 10100 = 0x002774 in all 24 bits.
        let l = LabelField::decode(&hex("002774")).unwrap();
        assert_eq!(l.vni(), 10100);
        assert_eq!(l.value(LabelMeaning::Vni), 10100);
        assert_eq!(LabelField::from_vni(10100).unwrap(), l);
        // VNI 0xABCDEF keeps its low 4 bits.
        assert_eq!(
            LabelField::from_vni(0xABCDEF).unwrap().0,
            [0xAB, 0xCD, 0xEF]
        );
        assert!(LabelField::from_vni(1 << 24).is_err());
    }

    #[test]
    fn mpls_label_layout() {
        // Label 20 with bottom of stack: 20 << 4 | 1 = 0x000141.
        let l = LabelField::decode(&hex("000141")).unwrap();
        assert_eq!(l.mpls_label(), 20);
        assert!(l.bottom_of_stack());
        assert_eq!(LabelField::from_mpls_label(20, true).unwrap(), l);
        assert_eq!(
            LabelField::from_mpls_label(0xFFFFF, false).unwrap().0,
            [0xff, 0xff, 0xf0]
        );
        assert!(LabelField::from_mpls_label(1 << 20, true).is_err());
        assert!(LabelField::decode(&hex("0001")).is_err());
    }

    proptest! {
        #[test]
        fn roundtrip(b in any::<[u8; 3]>()) {
            check_roundtrip(&LabelField(b))?;
        }

        #[test]
        fn constructors_agree_with_accessors(vni in 0u32..=LabelField::MAX_VNI,
                                             label in 0u32..=LabelField::MAX_MPLS_LABEL,
                                             bos in any::<bool>()) {
            prop_assert_eq!(LabelField::from_vni(vni).unwrap().vni(), vni);
            let l = LabelField::from_mpls_label(label, bos).unwrap();
            prop_assert_eq!(l.mpls_label(), label);
            prop_assert_eq!(l.bottom_of_stack(), bos);
        }
    }
}
