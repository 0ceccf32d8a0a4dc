//! OFPMP_GROUP (6), OFPMP_GROUP_DESC (7) and OFPMP_GROUP_FEATURES (8) replies.
//!
//! ```text
//! group stats: | length (2) | pad (2) | group_id (4) | ref_count (4) | pad (4)
//!   | packet_count (8) | byte_count (8) | duration_sec (4) | duration_nsec (4)
//!   | bucket counters: | packet_count (8) | byte_count (8) | ... |
//! group desc:  | length (2) | type (1) | pad (1) | group_id (4) | buckets ... |
//! features:    | types (4) | capabilities (4) | max_groups (4 x 4) | actions (4 x 4) |  40
//! ```
//! The GROUP request is `| group_id (4) | pad (4) |`.

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, len16};
use crate::message::Bucket;

/// Counters of one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BucketCounter {
    /// Packets processed by the bucket.
    pub packet_count: u64,
    /// Bytes processed by the bucket.
    pub byte_count: u64,
}

/// Counters of one group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupStats {
    /// Group id.
    pub group_id: u32,
    /// Flows or groups that forward to this group.
    pub ref_count: u32,
    /// Packets processed.
    pub packet_count: u64,
    /// Bytes processed.
    pub byte_count: u64,
    /// Seconds the group has been alive.
    pub duration_sec: u32,
    /// Nanoseconds beyond `duration_sec`.
    pub duration_nsec: u32,
    /// One counter per bucket.
    pub bucket_stats: Vec<BucketCounter>,
}

impl GroupStats {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        40 + 16 * self.bucket_stats.len()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let offset = r.offset();
        let mut e = r.tlv(0, 40, "group stats", "at least 40")?;
        let len = e.u16("group stats length")?;
        if (len - 40) % 16 != 0 {
            return Err(Error::BadLength {
                what: "group stats",
                offset,
                length: len.into(),
                expected: "40 plus 16 per bucket",
            });
        }
        e.skip(2, "group stats pad")?;
        let group_id = e.u32("group_id")?;
        let ref_count = e.u32("ref_count")?;
        e.skip(4, "group stats pad")?;
        let mut g = GroupStats {
            group_id,
            ref_count,
            packet_count: e.u64("packet_count")?,
            byte_count: e.u64("byte_count")?,
            duration_sec: e.u32("duration_sec")?,
            duration_nsec: e.u32("duration_nsec")?,
            bucket_stats: Vec::with_capacity(e.remaining() / 16),
        };
        while !e.is_empty() {
            g.bucket_stats.push(BucketCounter {
                packet_count: e.u64("bucket packet_count")?,
                byte_count: e.u64("bucket byte_count")?,
            });
        }
        Ok(g)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(len16(self.encoded_len(), "group stats")?);
        b.put_u16(0);
        b.put_u32(self.group_id);
        b.put_u32(self.ref_count);
        b.put_u32(0);
        b.put_u64(self.packet_count);
        b.put_u64(self.byte_count);
        b.put_u32(self.duration_sec);
        b.put_u32(self.duration_nsec);
        for c in &self.bucket_stats {
            b.put_u64(c.packet_count);
            b.put_u64(c.byte_count);
        }
        Ok(())
    }
}

/// One group of a GROUP_DESC reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupDesc {
    /// `OFPGT_*` group type.
    pub group_type: u8,
    /// Group id.
    pub group_id: u32,
    /// The buckets.
    pub buckets: Vec<Bucket>,
}

impl GroupDesc {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        8 + self.buckets.iter().map(Bucket::encoded_len).sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut e = r.tlv(0, 8, "group desc", "at least 8")?;
        e.skip(2, "group desc length")?;
        let group_type = e.u8("group desc type")?;
        e.skip(1, "group desc pad")?;
        let group_id = e.u32("group desc group_id")?;
        let mut buckets = Vec::new();
        while !e.is_empty() {
            buckets.push(Bucket::read(&mut e)?);
        }
        Ok(GroupDesc {
            group_type,
            group_id,
            buckets,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(len16(self.encoded_len(), "group desc")?);
        b.put_u8(self.group_type);
        b.put_u8(0);
        b.put_u32(self.group_id);
        for bucket in &self.buckets {
            bucket.write(b)?;
        }
        Ok(())
    }
}

/// The GROUP_FEATURES reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupFeatures {
    /// Bitmap of supported `OFPGT_*` types.
    pub types: u32,
    /// `OFPGFC_*` capability bits.
    pub capabilities: u32,
    /// Maximum number of groups of each type.
    pub max_groups: [u32; 4],
    /// Bitmaps of `OFPAT_*` actions supported by each type.
    pub actions: [u32; 4],
}

impl GroupFeatures {
    /// Encoded length.
    pub const LEN: usize = 40;

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.need(Self::LEN, "group features")?;
        let mut g = GroupFeatures {
            types: r.u32("group features types")?,
            capabilities: r.u32("group features capabilities")?,
            ..GroupFeatures::default()
        };
        for v in &mut g.max_groups {
            *v = r.u32("max_groups")?;
        }
        for v in &mut g.actions {
            *v = r.u32("group actions")?;
        }
        Ok(g)
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.types);
        b.put_u32(self.capabilities);
        for v in self.max_groups.iter().chain(&self.actions) {
            b.put_u32(*v);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;

    #[test]
    fn group_stats_with_bucket_counters() {
        let g = GroupStats {
            group_id: 1,
            ref_count: 2,
            packet_count: 123,
            byte_count: 12345,
            duration_sec: 9,
            duration_nsec: 609_036_000,
            bucket_stats: vec![BucketCounter {
                packet_count: 234,
                byte_count: 2345,
            }],
        };
        let mut v = Vec::new();
        g.write(&mut v).unwrap();
        assert_eq!(v.len(), 56);
        assert_eq!(&v[..8], [0, 56, 0, 0, 0, 0, 0, 1]);
        assert_eq!(GroupStats::read(&mut Reader::new(&v)).unwrap(), g);
        // A length that leaves half a bucket counter.
        v[1] = 48;
        assert!(matches!(
            GroupStats::read(&mut Reader::new(&v)),
            Err(Error::BadLength { length: 48, .. })
        ));
    }

    #[test]
    fn group_desc_and_features() {
        let d = GroupDesc {
            group_type: 0,
            group_id: 7,
            buckets: vec![Bucket::new(vec![Action::output(2)])],
        };
        let mut v = Vec::new();
        d.write(&mut v).unwrap();
        assert_eq!(v.len(), d.encoded_len());
        assert_eq!(&v[..8], [0, 40, 0, 0, 0, 0, 0, 7]);
        assert_eq!(GroupDesc::read(&mut Reader::new(&v)).unwrap(), d);
        let f = GroupFeatures {
            types: 0xf,
            capabilities: 5,
            max_groups: [1, 2, 3, 4],
            actions: [5, 6, 7, 8],
        };
        let mut v = Vec::new();
        f.write(&mut v).unwrap();
        assert_eq!(v.len(), GroupFeatures::LEN);
        assert_eq!(&v[36..], [0, 0, 0, 8]);
        assert_eq!(GroupFeatures::read(&mut Reader::new(&v)).unwrap(), f);
    }
}
