//! The Internet checksum (RFC 1071), accumulated over several pieces so that
//! a header can be checksummed together with a payload that lives elsewhere.

/// One's complement sum accumulator.
///
/// ```
/// use vxlan_wire::checksum::Checksum;
/// // RFC 1071 section 3 example bytes
/// let mut c = Checksum::new();
/// c.add(&[0x00, 0x01, 0xf2]);
/// c.add(&[0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
/// assert_eq!(c.finish(), !0xddf2u16);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checksum {
    sum: u64,
    odd: bool,
}

/// Folds a wide one's complement sum to 16 bits.
#[inline]
const fn fold(mut s: u64) -> u16 {
    s = (s & 0xFFFF_FFFF) + (s >> 32);
    s = (s & 0xFFFF) + (s >> 16);
    s = (s & 0xFFFF) + (s >> 16);
    s = (s & 0xFFFF) + (s >> 16);
    s as u16
}

/// One's complement sum of `data` read as big-endian 16-bit words, a final
/// odd byte padded with zero; returned unfolded (below 2^17, so that many
/// pieces can be added to one accumulator without overflow).
///
/// Eight bytes per step, read in native byte order and split into two u32
/// halves summed into two u64 accumulators: no carries to propagate and no
/// byte swaps, so the loop vectorizes. This is exact because 2^16 = 1
/// (mod 0xFFFF), so a u32 is congruent to the sum of its 16-bit words, and
/// the one's complement sum is byte-order independent (RFC 1071 section
/// 2(B)): the native-order sum, folded, converts with `u16::from_be`.
#[inline]
fn sum_words(data: &[u8]) -> u64 {
    let mut lo = 0u64;
    let mut hi = 0u64;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        lo += w & 0xFFFF_FFFF;
        hi += w >> 32;
    }
    // 0-7 bytes left, starting at an even offset: zero-padding them to a
    // full word pads a final odd byte as RFC 1071 says.
    let rest = chunks.remainder();
    let mut w = [0u8; 8];
    w[..rest.len()].copy_from_slice(rest);
    let w = u64::from_ne_bytes(w);
    // Each accumulator stays below 2^32 * (len / 8 + 1): no overflow for
    // any slice shorter than 2^35 bytes, so fold once at the end.
    let (lo, hi) = (lo + (w & 0xFFFF_FFFF), hi + (w >> 32));
    let (s, carry) = lo.overflowing_add(hi);
    let native = u64::from(fold(s)) + u64::from(carry);
    u64::from(u16::from_be(fold(native)))
}

impl Checksum {
    /// An empty sum.
    pub const fn new() -> Self {
        Checksum { sum: 0, odd: false }
    }

    /// A sum that starts from an unfolded one's complement sum of an even
    /// number of bytes (the caller's header words, summed as integers).
    #[inline]
    pub(crate) const fn with_sum(sum: u64) -> Self {
        Checksum { sum, odd: false }
    }

    /// Adds bytes that follow everything added so far (odd-length pieces are
    /// handled).
    #[inline]
    pub fn add(&mut self, data: &[u8]) {
        let s = sum_words(data);
        if self.odd {
            // This piece starts at an odd offset: its bytes sit in the other
            // half of each 16-bit word, i.e. its folded sum is byte-swapped.
            self.sum += u64::from(fold(s).swap_bytes());
        } else {
            self.sum += s;
        }
        self.odd ^= data.len() % 2 == 1;
    }

    /// Adds a 16-bit word (at an even offset).
    #[inline]
    pub fn add_u16(&mut self, v: u16) {
        self.add(&v.to_be_bytes());
    }

    /// The one's complement sum folded to 16 bits (not inverted).
    pub const fn sum(&self) -> u16 {
        fold(self.sum)
    }

    /// The checksum field value: the inverted folded sum.
    pub const fn finish(&self) -> u16 {
        !fold(self.sum)
    }
}

/// The checksum of one contiguous buffer.
pub fn internet_checksum(data: &[u8]) -> u16 {
    let mut c = Checksum::new();
    c.add(data);
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(data: &[u8]) -> u16 {
        let mut s: u32 = 0;
        for c in data.chunks(2) {
            let w = if c.len() == 2 {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from(c[0]) << 8
            };
            s += u32::from(w);
            s = (s & 0xFFFF) + (s >> 16);
        }
        !(s as u16)
    }

    #[test]
    fn known_ipv4_header() {
        // A textbook IPv4 header with its checksum (0xb861) zeroed.
        let h = [
            0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8,
            0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
        ];
        assert_eq!(internet_checksum(&h), 0xb861);
        let mut with = h;
        with[10..12].copy_from_slice(&0xb861u16.to_be_bytes());
        assert_eq!(internet_checksum(&with), 0);
        assert_eq!(internet_checksum(&[]), 0xFFFF);
    }

    #[test]
    fn carries_and_lengths() {
        // All-ones words make every 64-bit addition carry.
        for len in 0..80 {
            for fill in [0xFFu8, 0xFE, 0x80, 0x01, 0x00] {
                let data = alloc::vec![fill; len];
                assert_eq!(
                    internet_checksum(&data),
                    reference(&data),
                    "{fill:#x} x {len}"
                );
            }
        }
        let big = alloc::vec![0xFFu8; 70_001];
        assert_eq!(internet_checksum(&big), reference(&big));
    }

    proptest! {
        #[test]
        fn pieces_match_reference(data in prop::collection::vec(any::<u8>(), 0..600), cuts in prop::collection::vec(0usize..600, 0..4)) {
            let mut cuts: alloc::vec::Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let mut c = Checksum::new();
            let mut start = 0;
            for cut in cuts {
                c.add(&data[start..cut]);
                start = cut;
            }
            c.add(&data[start..]);
            prop_assert_eq!(c.finish(), reference(&data));
        }
    }
}
