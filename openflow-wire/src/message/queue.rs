//! QUEUE_GET_CONFIG_REQUEST (type 22) / QUEUE_GET_CONFIG_REPLY (type 23).
//!
//! ```text
//! request: | port (4) | pad (4) |
//! reply:   | port (4) | pad (4) | queues ... |
//! queue:   | queue_id (4) | port (4) | len (2) | pad (6) | properties ... |
//! property:| type (2) | len (2) | pad (4) | body |
//!   MIN_RATE (1) / MAX_RATE (2): | rate (2) | pad (6) |            16 bytes
//!   EXPERIMENTER (0xffff): | experimenter (4) | pad (4) | data |
//! ```

use bytes::BufMut;

use crate::Error;
use crate::codec::{Reader, len16};

/// One queue property.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum QueueProperty {
    /// Minimum rate, 1/10 of a percent (> 1000 = disabled).
    MinRate(u16),
    /// Maximum rate, 1/10 of a percent (> 1000 = disabled).
    MaxRate(u16),
    /// An experimenter property, kept raw.
    Experimenter {
        /// Experimenter id.
        experimenter: u32,
        /// Bytes after the 16-byte property header.
        data: Vec<u8>,
    },
    /// An unknown property, kept raw.
    Unknown {
        /// Property type.
        property: u16,
        /// Bytes after the 8-byte property header.
        data: Vec<u8>,
    },
}

impl QueueProperty {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        match self {
            QueueProperty::MinRate(_) | QueueProperty::MaxRate(_) => 16,
            QueueProperty::Experimenter { data, .. } => 16 + data.len(),
            QueueProperty::Unknown { data, .. } => 8 + data.len(),
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let offset = r.offset();
        let mut p = r.tlv(2, 8, "queue property", "at least 8")?;
        let property = p.u16("queue property type")?;
        let len = usize::from(p.u16("queue property len")?);
        p.skip(4, "queue property pad")?;
        Ok(match property {
            1 | 2 => {
                if len != 16 {
                    return Err(Error::BadLength {
                        what: "queue rate property",
                        offset,
                        length: len,
                        expected: "16",
                    });
                }
                let rate = p.u16("queue rate")?;
                if property == 1 {
                    QueueProperty::MinRate(rate)
                } else {
                    QueueProperty::MaxRate(rate)
                }
            }
            0xffff => {
                let experimenter = p.u32("queue property experimenter")?;
                p.skip(4, "queue property pad")?;
                QueueProperty::Experimenter {
                    experimenter,
                    data: p.rest().to_vec(),
                }
            }
            _ => QueueProperty::Unknown {
                property,
                data: p.rest().to_vec(),
            },
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        let len = len16(self.encoded_len(), "queue property")?;
        match self {
            QueueProperty::MinRate(rate) | QueueProperty::MaxRate(rate) => {
                b.put_u16(if matches!(self, QueueProperty::MinRate(_)) {
                    1
                } else {
                    2
                });
                b.put_u16(len);
                b.put_u32(0);
                b.put_u16(*rate);
                b.put_bytes(0, 6);
            }
            QueueProperty::Experimenter { experimenter, data } => {
                b.put_u16(0xffff);
                b.put_u16(len);
                b.put_u32(0);
                b.put_u32(*experimenter);
                b.put_u32(0);
                b.put_slice(data);
            }
            QueueProperty::Unknown { property, data } => {
                b.put_u16(*property);
                b.put_u16(len);
                b.put_u32(0);
                b.put_slice(data);
            }
        }
        Ok(())
    }
}

/// One queue of a port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PacketQueue {
    /// Queue id.
    pub queue_id: u32,
    /// Port it is attached to.
    pub port: u32,
    /// Its properties.
    pub properties: Vec<QueueProperty>,
}

impl PacketQueue {
    /// Encoded length.
    pub fn encoded_len(&self) -> usize {
        16 + self
            .properties
            .iter()
            .map(QueueProperty::encoded_len)
            .sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut q = r.tlv(8, 16, "packet queue", "at least 16")?;
        let queue_id = q.u32("queue_id")?;
        let port = q.u32("queue port")?;
        q.skip(8, "queue len and pad")?;
        let mut properties = Vec::new();
        while !q.is_empty() {
            properties.push(QueueProperty::read(&mut q)?);
        }
        Ok(PacketQueue {
            queue_id,
            port,
            properties,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.queue_id);
        b.put_u32(self.port);
        b.put_u16(len16(self.encoded_len(), "packet queue")?);
        b.put_bytes(0, 6);
        for p in &self.properties {
            p.write(b)?;
        }
        Ok(())
    }
}

/// QUEUE_GET_CONFIG_REPLY body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct QueueGetConfigReply {
    /// Port queried.
    pub port: u32,
    /// Its queues.
    pub queues: Vec<PacketQueue>,
}

impl QueueGetConfigReply {
    /// Body length.
    pub fn encoded_len(&self) -> usize {
        8 + self
            .queues
            .iter()
            .map(PacketQueue::encoded_len)
            .sum::<usize>()
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let port = r.u32("queue port")?;
        r.skip(4, "queue_get_config pad")?;
        let mut queues = Vec::new();
        while !r.is_empty() {
            queues.push(PacketQueue::read(r)?);
        }
        Ok(QueueGetConfigReply { port, queues })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        b.put_u32(self.port);
        b.put_u32(0);
        for q in &self.queues {
            q.write(b)?;
        }
        Ok(())
    }
}
