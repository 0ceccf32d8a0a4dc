//! The crate's single error type.
//!
//! Every variant caused by input bytes carries the byte `offset` of the
//! offending structure, relative to the start of the buffer handed to the
//! public function that failed, and says what was expected there.

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input ended before a structure was complete.
    #[error("truncated {what} at byte {offset}: need {needed} bytes, {available} available")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Where the structure starts.
        offset: usize,
        /// How many bytes the structure needs from `offset`.
        needed: usize,
        /// How many bytes the input has from `offset`.
        available: usize,
    },
    /// A length field is impossible (too small to advance, not the size
    /// the structure has, not a multiple of 8, ...).
    #[error("{what} at byte {offset} has length {length}, expected {expected}")]
    BadLength {
        /// The structure whose length field is wrong.
        what: &'static str,
        /// Where the structure starts.
        offset: usize,
        /// The length found.
        length: usize,
        /// What lengths are allowed.
        expected: &'static str,
    },
    /// A field holds a value this structure cannot carry.
    #[error("{what} at byte {offset} is {value:#x}, expected {expected}")]
    BadValue {
        /// The field.
        what: &'static str,
        /// Where the field is.
        offset: usize,
        /// The value found.
        value: u64,
        /// What was expected.
        expected: &'static str,
    },
    /// Bytes left over after a structure that must fill its buffer.
    #[error("{count} trailing bytes at byte {offset} after {what}")]
    TrailingBytes {
        /// The structure that was decoded.
        what: &'static str,
        /// Where the leftover bytes start.
        offset: usize,
        /// How many bytes are left.
        count: usize,
    },
    /// The framer met a message longer than its configured maximum.
    #[error("message at byte {offset} has length {length}, more than the maximum {max}")]
    MessageTooLong {
        /// Offset of the message in the framer's stream.
        offset: u64,
        /// The header's length field.
        length: usize,
        /// The framer's maximum.
        max: usize,
    },
    /// On encode: a structure is too long for its length field.
    #[error("{what} would be {len} bytes, its length field carries at most {max}")]
    TooLarge {
        /// The structure.
        what: &'static str,
        /// The length it would need.
        len: usize,
        /// The largest its length field can say.
        max: usize,
    },
    /// On encode: a structure whose length must be a multiple of 8 is not.
    #[error("{what} would be {len} bytes, expected a multiple of 8")]
    Unaligned {
        /// The structure.
        what: &'static str,
        /// Its length.
        len: usize,
    },
    /// Nested structures (Nicira `ct` actions inside `ct`) go deeper than
    /// this crate follows.
    #[error("{what} at byte {offset} is nested deeper than {max} levels")]
    TooDeep {
        /// The structure.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// The deepest nesting accepted.
        max: usize,
    },
    /// On encode: a value does not fit the width of its field.
    #[error("{field} value {value:#x} is out of range, expected at most {max:#x}")]
    OutOfRange {
        /// Field name.
        field: &'static str,
        /// Value given.
        value: u64,
        /// Largest allowed value.
        max: u64,
    },
    /// On encode: the output buffer cannot hold the encoding.
    #[error("output buffer has room for {available} bytes, expected {needed}")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available in the `BufMut`.
        available: usize,
    },
    /// Reassembly: a part of a multipart transaction does not continue it
    /// (another multipart type, or MORE on a body that cannot be split).
    #[error(
        "multipart transaction xid {xid:#x}: part of type {found} does not continue type {expected}"
    )]
    MultipartMismatch {
        /// Transaction id.
        xid: u32,
        /// The transaction's multipart type.
        expected: u16,
        /// The part's multipart type.
        found: u16,
    },
    /// Reassembly: holding this part would exceed a configured limit.
    #[error("multipart transaction xid {xid:#x}: {what} would exceed {limit}")]
    ReassemblyLimit {
        /// Transaction id.
        xid: u32,
        /// Which limit.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
}
