//! Crate-internal reading and writing helpers: a bounds-checked reader that
//! knows its absolute offset, and the length checks shared by every TLV.

use crate::Error;

/// A bounds-checked cursor over a byte slice that reports absolute offsets.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over the whole of `data`, offsets starting at 0.
    #[inline]
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Reader {
            data,
            pos: 0,
            base: 0,
        }
    }

    /// A reader over `data`, whose first byte is at absolute offset `base`.
    #[inline]
    pub(crate) fn at(data: &'a [u8], base: usize) -> Self {
        Reader { data, pos: 0, base }
    }

    /// Absolute offset of the next byte.
    #[inline]
    pub(crate) fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Bytes left.
    #[inline]
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Whether every byte has been read.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// Errors unless `n` bytes are left.
    #[inline]
    pub(crate) fn need(&self, n: usize, what: &'static str) -> Result<(), Error> {
        if self.remaining() < n {
            Err(Error::Truncated {
                what,
                offset: self.offset(),
                needed: n,
                available: self.remaining(),
            })
        } else {
            Ok(())
        }
    }

    /// The next `N` bytes without advancing, if there are that many.
    #[inline(always)]
    pub(crate) fn peek_array<const N: usize>(&self) -> Option<&'a [u8; N]> {
        self.data[self.pos..].first_chunk::<N>()
    }

    /// Takes the next `N` bytes, if there are that many (always inlined:
    /// an out-of-line copy showed up in the decode profile, called from
    /// the OXM fast path).
    #[inline(always)]
    pub(crate) fn take_array<const N: usize>(&mut self) -> Option<&'a [u8; N]> {
        let out = self.data[self.pos..].first_chunk::<N>()?;
        self.pos += N;
        Some(out)
    }

    /// Takes `n` bytes.
    #[inline]
    pub(crate) fn bytes(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], Error> {
        self.need(n, what)?;
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    /// Takes `N` bytes as an array.
    #[inline]
    pub(crate) fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], Error> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N, what)?);
        Ok(out)
    }

    /// Skips `n` bytes.
    #[inline]
    pub(crate) fn skip(&mut self, n: usize, what: &'static str) -> Result<(), Error> {
        self.bytes(n, what).map(|_| ())
    }

    #[inline]
    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, Error> {
        Ok(self.array::<1>(what)?[0])
    }

    #[inline]
    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, Error> {
        Ok(u16::from_be_bytes(self.array(what)?))
    }

    #[inline]
    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.array(what)?))
    }

    #[inline]
    pub(crate) fn u64(&mut self, what: &'static str) -> Result<u64, Error> {
        Ok(u64::from_be_bytes(self.array(what)?))
    }

    /// Peeks a big-endian u16 `at` bytes ahead without advancing.
    #[inline]
    pub(crate) fn peek_u16(&self, at: usize, what: &'static str) -> Result<u16, Error> {
        self.need(at + 2, what)?;
        Ok(u16::from_be_bytes([
            self.data[self.pos + at],
            self.data[self.pos + at + 1],
        ]))
    }

    /// Peeks a big-endian u32 `at` bytes ahead without advancing.
    #[inline]
    pub(crate) fn peek_u32(&self, at: usize, what: &'static str) -> Result<u32, Error> {
        self.need(at + 4, what)?;
        let p = self.pos + at;
        Ok(u32::from_be_bytes([
            self.data[p],
            self.data[p + 1],
            self.data[p + 2],
            self.data[p + 3],
        ]))
    }

    /// Everything left, without advancing.
    #[inline]
    pub(crate) fn peek_rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }

    /// Takes everything left.
    #[inline]
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let out = &self.data[self.pos..];
        self.pos = self.data.len();
        out
    }

    /// Splits off the next `n` bytes as a reader of their own (same offsets).
    #[inline]
    pub(crate) fn sub(&mut self, n: usize, what: &'static str) -> Result<Reader<'a>, Error> {
        let base = self.offset();
        let data = self.bytes(n, what)?;
        Ok(Reader { data, pos: 0, base })
    }

    /// Reads a TLV whose 16-bit length sits `len_at` bytes into it and
    /// counts the whole TLV: checks `min <= len` (so every TLV advances) and
    /// that it fits, then returns the TLV as a sub-reader.
    #[inline]
    pub(crate) fn tlv(
        &mut self,
        len_at: usize,
        min: usize,
        what: &'static str,
        expected: &'static str,
    ) -> Result<Reader<'a>, Error> {
        let len = usize::from(self.peek_u16(len_at, what)?);
        if len < min.max(1) {
            return Err(Error::BadLength {
                what,
                offset: self.offset(),
                length: len,
                expected,
            });
        }
        self.sub(len, what)
    }

    /// How many TLVs with a 16-bit length (counting the whole TLV) at
    /// `len_at` the rest holds, for sizing a vector: counts up to the
    /// first TLV that is too short or does not fit (the decode then
    /// reports it), at most 64.
    #[inline]
    pub(crate) fn count_tlvs(&self, len_at: usize) -> usize {
        let mut rest = &self.data[self.pos..];
        let mut n = 0;
        while n < 64 {
            let Some(l) = rest.get(len_at..len_at + 2) else {
                break;
            };
            let len = usize::from(u16::from_be_bytes([l[0], l[1]]));
            if len < len_at + 2 || len > rest.len() {
                break;
            }
            rest = &rest[len..];
            n += 1;
        }
        n
    }

    /// How many TLVs of at least `min` bytes (`min` > `len_at + 1`) with
    /// a 16-bit length at `len_at` the rest holds, as
    /// [`Reader::count_tlvs`] but not capped: at most `remaining / min`,
    /// so a vector of that many is a bounded multiple of the input.
    #[inline]
    pub(crate) fn count_tlvs_min(&self, len_at: usize, min: usize) -> usize {
        let mut rest = &self.data[self.pos..];
        let mut n = 0;
        while let Some(l) = rest.get(len_at..len_at + 2) {
            let len = usize::from(u16::from_be_bytes([l[0], l[1]]));
            if len < min.max(len_at + 2) || len > rest.len() {
                break;
            }
            rest = &rest[len..];
            n += 1;
        }
        n
    }

    /// How many OXM TLVs (4-byte header, payload length in its last byte)
    /// the rest holds, as [`Reader::count_tlvs`].
    #[inline]
    pub(crate) fn count_oxms(&self) -> usize {
        let mut rest = &self.data[self.pos..];
        let mut n = 0;
        while n < 64 {
            let Some(h) = rest.get(..4) else {
                break;
            };
            let len = 4 + usize::from(h[3]);
            if len > rest.len() {
                break;
            }
            rest = &rest[len..];
            n += 1;
        }
        n
    }

    /// Errors if bytes are left.
    #[inline]
    pub(crate) fn finish(&self, what: &'static str) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::TrailingBytes {
                what,
                offset: self.offset(),
                count: self.remaining(),
            })
        }
    }
}

/// The fast encode path's output: a zeroed stack buffer written front to
/// back, then copied to the caller's `BufMut` in one `put_slice`. Every
/// write is bounds-checked and returns `None` when the buffer is full (the
/// caller then takes the general path); lengths are patched in once their
/// contents are written (nothing is walked twice), and padding is skipped
/// over, not written, since the buffer starts zeroed.
pub(crate) struct Scratch<const N: usize> {
    buf: [u8; N],
    pos: usize,
}

impl<const N: usize> Scratch<N> {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        Scratch {
            buf: [0; N],
            pos: 0,
        }
    }

    /// Bytes written.
    #[inline(always)]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The bytes written.
    #[inline(always)]
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf[..self.pos]
    }

    /// The next `n` bytes (zero), to be filled in.
    #[inline(always)]
    pub(crate) fn take(&mut self, n: usize) -> Option<&mut [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.buf.get_mut(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    /// The next `K` bytes (zero), to be filled in.
    #[inline(always)]
    pub(crate) fn take_array<const K: usize>(&mut self) -> Option<&mut [u8; K]> {
        let out = self.buf.get_mut(self.pos..)?.first_chunk_mut::<K>()?;
        self.pos += K;
        Some(out)
    }

    #[inline(always)]
    pub(crate) fn put<const K: usize>(&mut self, a: [u8; K]) -> Option<()> {
        *self.take_array::<K>()? = a;
        Some(())
    }

    /// Skips `n` bytes (left zero).
    #[inline(always)]
    pub(crate) fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    /// Skips to the next multiple of 8 bytes after `start`.
    #[inline(always)]
    pub(crate) fn pad8_from(&mut self, start: usize) -> Option<()> {
        let len = self.pos - start;
        self.skip(pad8(len) - len)
    }

    /// Writes the length of what was written since `start` as a big-endian
    /// u16 at `start + at` (`None` if it does not fit in 16 bits).
    #[inline(always)]
    pub(crate) fn patch_len(&mut self, start: usize, at: usize) -> Option<usize> {
        let len = self.pos - start;
        self.patch_u16(start + at, u16::try_from(len).ok()?)?;
        Some(len)
    }

    /// Writes `v` big-endian at `at` (already written).
    #[inline(always)]
    pub(crate) fn patch_u16(&mut self, at: usize, v: u16) -> Option<()> {
        *self.buf.get_mut(at..self.pos)?.first_chunk_mut::<2>()? = v.to_be_bytes();
        Some(())
    }
}

/// Writes `v` over `slot` without dropping what was there: for decoding
/// over the heap-free placeholders of a freshly sized list, where a plain
/// assignment calls the drop glue of the old value (a call per field in
/// the decode profile). A slot holding heap data would leak it, never
/// worse; callers pass placeholders only (checked in debug builds).
#[inline(always)]
pub(crate) fn overwrite<T>(slot: &mut T, v: T) {
    core::mem::forget(core::mem::replace(slot, v));
}

/// Big-endian 16/32/64-bit words at fixed offsets of a fixed part read in
/// one bounds check (the offsets are constants, so the indexing cannot
/// fail for the array sizes the callers use).
#[derive(Clone, Copy)]
pub(crate) struct Fixed<'a>(pub(crate) &'a [u8]);

impl Fixed<'_> {
    #[inline(always)]
    pub(crate) fn u16_at(self, i: usize) -> u16 {
        u16::from_be_bytes([self.0[i], self.0[i + 1]])
    }

    #[inline(always)]
    pub(crate) fn u32_at(self, i: usize) -> u32 {
        u32::from_be_bytes([self.0[i], self.0[i + 1], self.0[i + 2], self.0[i + 3]])
    }

    #[inline(always)]
    pub(crate) fn u64_at(self, i: usize) -> u64 {
        let mut a = [0u8; 8];
        a.copy_from_slice(&self.0[i..i + 8]);
        u64::from_be_bytes(a)
    }
}

/// `n` rounded up to a multiple of 8.
pub(crate) const fn pad8(n: usize) -> usize {
    (n + 7) & !7
}

/// A length as a `u16` length field, or [`Error::TooLarge`].
pub(crate) fn len16(len: usize, what: &'static str) -> Result<u16, Error> {
    u16::try_from(len).map_err(|_| Error::TooLarge {
        what,
        len,
        max: usize::from(u16::MAX),
    })
}

/// Generates the public `decode` / `encode` / `to_bytes` of a type from its
/// crate-internal `read` / `write` / `encoded_len`.
macro_rules! impl_codec {
    ($t:ty, $what:literal) => {
        impl $t {
            #[doc = concat!("Decodes exactly one ", $what, " filling `buf`.")]
            pub fn decode(buf: &[u8]) -> Result<Self, $crate::Error> {
                let mut r = $crate::codec::Reader::new(buf);
                let v = Self::read(&mut r)?;
                r.finish($what)?;
                Ok(v)
            }

            #[doc = concat!("Encodes the ", $what, " into `buf`, returning the bytes written (always [`Self::encoded_len`]).")]
            pub fn encode<B: bytes::BufMut>(&self, buf: &mut B) -> Result<usize, $crate::Error> {
                let needed = self.encoded_len();
                if buf.remaining_mut() < needed {
                    return Err($crate::Error::BufferTooSmall {
                        needed,
                        available: buf.remaining_mut(),
                    });
                }
                self.write(buf)?;
                Ok(needed)
            }

            #[doc = concat!("Encodes the ", $what, " into a new vector.")]
            pub fn to_bytes(&self) -> Result<Vec<u8>, $crate::Error> {
                let mut out = Vec::with_capacity(self.encoded_len());
                self.encode(&mut out)?;
                Ok(out)
            }
        }
    };
}
pub(crate) use impl_codec;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_offsets_and_truncation() {
        let data = [1u8, 2, 3, 4, 5, 6];
        let mut r = Reader::new(&data);
        assert_eq!(r.u16("a").unwrap(), 0x0102);
        let mut s = r.sub(3, "sub").unwrap();
        assert_eq!(s.offset(), 2);
        assert_eq!(s.u8("b").unwrap(), 3);
        assert_eq!(
            s.u32("c"),
            Err(Error::Truncated {
                what: "c",
                offset: 3,
                needed: 4,
                available: 2
            })
        );
        assert_eq!(r.remaining(), 1);
        assert!(r.finish("x").is_err());
    }

    #[test]
    fn zero_length_tlv_is_an_error() {
        let data = [0u8, 0, 0, 0];
        let mut r = Reader::new(&data);
        assert!(matches!(
            r.tlv(2, 4, "t", ">= 4"),
            Err(Error::BadLength { length: 0, .. })
        ));
        assert_eq!(pad8(0), 0);
        assert_eq!(pad8(9), 16);
        assert!(len16(70000, "x").is_err());
    }
}
