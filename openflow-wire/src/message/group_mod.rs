//! GROUP_MOD (type 15) and its buckets.
//!
//! ```text
//! | command (2) | type (1) | pad (1) | group_id (4) | buckets ... |
//! bucket: | len (2) | weight (2) | watch_port (4) | watch_group (4) | pad (4) | actions |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::action::{self, Action};
use crate::codec::{Reader, len16};

/// `OFPGC_*` commands.
pub mod group_commands {
    /// Add a group.
    pub const ADD: u16 = 0;
    /// Modify a group.
    pub const MODIFY: u16 = 1;
    /// Delete a group.
    pub const DELETE: u16 = 2;
}

/// `OFPGT_*` group types.
pub mod group_types {
    /// Every bucket (multicast / flooding).
    pub const ALL: u8 = 0;
    /// One bucket (load sharing).
    pub const SELECT: u8 = 1;
    /// The single bucket.
    pub const INDIRECT: u8 = 2;
    /// The first live bucket.
    pub const FAST_FAILOVER: u8 = 3;
}

/// One bucket of a group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bucket {
    /// Relative weight (SELECT groups).
    pub weight: u16,
    /// Port whose liveness matters (FAST_FAILOVER).
    pub watch_port: u32,
    /// Group whose liveness matters (FAST_FAILOVER).
    pub watch_group: u32,
    /// The bucket's actions.
    pub actions: Vec<Action>,
}

impl Bucket {
    /// A bucket with these actions, no weight, no watch.
    pub fn new(actions: Vec<Action>) -> Bucket {
        Bucket {
            weight: 0,
            watch_port: crate::action::ports::ANY,
            watch_group: crate::message::OFPG_ANY,
            actions,
        }
    }

    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        16 + action::list_len(&self.actions)
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut b = r.tlv(0, 16, "bucket", "at least 16")?;
        b.skip(2, "bucket len")?;
        let weight = b.u16("bucket weight")?;
        let watch_port = b.u32("watch_port")?;
        let watch_group = b.u32("watch_group")?;
        b.skip(4, "bucket pad")?;
        Ok(Bucket {
            weight,
            watch_port,
            watch_group,
            actions: Action::read_list(&mut b, 0)?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(len16(self.encoded_len(), "bucket")?);
        b.put_u16(self.weight);
        b.put_u32(self.watch_port);
        b.put_u32(self.watch_group);
        b.put_u32(0);
        action::write_list(&self.actions, b)
    }
}

/// Add, change or delete a group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupMod {
    /// One of [`group_commands`].
    pub command: u16,
    /// One of [`group_types`].
    pub group_type: u8,
    /// Group id.
    pub group_id: u32,
    /// The buckets.
    pub buckets: Vec<Bucket>,
}

impl GroupMod {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        8 + self.buckets.iter().map(Bucket::encoded_len).sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let command = r.u16("group command")?;
        let group_type = r.u8("group type")?;
        r.skip(1, "group_mod pad")?;
        let group_id = r.u32("group_id")?;
        let mut buckets = Vec::new();
        while !r.is_empty() {
            buckets.push(Bucket::read(r)?);
        }
        Ok(GroupMod {
            command,
            group_type,
            group_id,
            buckets,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u16(self.command);
        b.put_u8(self.group_type);
        b.put_u8(0);
        b.put_u32(self.group_id);
        for bucket in &self.buckets {
            bucket.write(b)?;
        }
        Ok(())
    }
}
