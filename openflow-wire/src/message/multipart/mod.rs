//! MULTIPART_REQUEST (type 18) / MULTIPART_REPLY (type 19) with a typed body
//! for every OpenFlow 1.3 multipart type; experimenter bodies keep their two
//! ids and raw data, unknown types are kept raw.
//!
//! ```text
//! | type (2) | flags (2) | pad (4) | body ... |
//! ```
//!
//! Long replies (and TABLE_FEATURES requests) span several messages of one
//! xid, all but the last with the MORE flag: [`MultipartReply::split`] cuts
//! a list under a maximum message size and [`Reassembler`] joins the parts.

mod desc;
mod flow_stats;
mod group_stats;
mod meter_stats;
mod port_stats;
mod queue_stats;
mod reassembly;
mod table_features;
mod table_stats;

pub use desc::Desc;
pub(crate) use flow_stats::read_flow_stats_fixed;
pub use flow_stats::{AggregateStats, FlowStats, FlowStatsRequest, OFPTT_ALL};
pub use group_stats::{BucketCounter, GroupDesc, GroupFeatures, GroupStats};
pub use meter_stats::{MeterBandStats, MeterConfig, MeterFeatures, MeterStats, OFPM_ALL};
pub use port_stats::PortStats;
pub use queue_stats::{OFPQ_ALL, QueueStats};
pub use reassembly::Reassembler;
pub use table_features::{ItemId, OxmId, TableFeatureProp, TableFeatures};
pub use table_stats::TableStats;

use bytes::BufMut;

use super::{ExperimenterMsg, Port};
use crate::Error;
use crate::codec::Reader;

/// `OFPMPF_REQ_MORE`: more request parts follow.
pub const OFPMPF_REQ_MORE: u16 = 1;
/// `OFPMPF_REPLY_MORE`: more reply parts follow.
pub const OFPMPF_REPLY_MORE: u16 = 1;

/// `OFPMP_*` multipart types.
pub mod mp_types {
    /// Switch description.
    pub const DESC: u16 = 0;
    /// Individual flow statistics.
    pub const FLOW: u16 = 1;
    /// Aggregate flow statistics.
    pub const AGGREGATE: u16 = 2;
    /// Flow table statistics.
    pub const TABLE: u16 = 3;
    /// Port statistics.
    pub const PORT_STATS: u16 = 4;
    /// Queue statistics.
    pub const QUEUE: u16 = 5;
    /// Group counters.
    pub const GROUP: u16 = 6;
    /// Group descriptions.
    pub const GROUP_DESC: u16 = 7;
    /// Group features.
    pub const GROUP_FEATURES: u16 = 8;
    /// Meter statistics.
    pub const METER: u16 = 9;
    /// Meter configuration.
    pub const METER_CONFIG: u16 = 10;
    /// Meter features.
    pub const METER_FEATURES: u16 = 11;
    /// Table features.
    pub const TABLE_FEATURES: u16 = 12;
    /// Port descriptions.
    pub const PORT_DESC: u16 = 13;
    /// Experimenter extension.
    pub const EXPERIMENTER: u16 = 0xffff;
}

/// The body of a MULTIPART_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MultipartRequestBody {
    /// DESC (empty body).
    Desc,
    /// FLOW.
    Flow(FlowStatsRequest),
    /// AGGREGATE.
    Aggregate(FlowStatsRequest),
    /// TABLE (empty body).
    Table,
    /// PORT_STATS for a port (`OFPP_ANY` = all).
    PortStats {
        /// Port.
        port_no: u32,
    },
    /// QUEUE.
    Queue {
        /// Port (`OFPP_ANY` = all).
        port_no: u32,
        /// Queue ([`OFPQ_ALL`] = all).
        queue_id: u32,
    },
    /// GROUP for a group (`OFPG_ALL` = all).
    Group {
        /// Group id.
        group_id: u32,
    },
    /// GROUP_DESC (empty body).
    GroupDesc,
    /// GROUP_FEATURES (empty body).
    GroupFeatures,
    /// METER for a meter ([`OFPM_ALL`] = all).
    Meter {
        /// Meter id.
        meter_id: u32,
    },
    /// METER_CONFIG for a meter ([`OFPM_ALL`] = all).
    MeterConfig {
        /// Meter id.
        meter_id: u32,
    },
    /// METER_FEATURES (empty body).
    MeterFeatures,
    /// TABLE_FEATURES: empty to query, tables to configure.
    TableFeatures(Vec<TableFeatures>),
    /// PORT_DESC (empty body).
    PortDesc,
    /// EXPERIMENTER: the two ids and the raw data.
    Experimenter(ExperimenterMsg),
    /// A multipart type this crate does not know, kept raw.
    Unknown {
        /// Multipart type.
        mp_type: u16,
        /// The raw body.
        data: Vec<u8>,
    },
}

/// The body of a MULTIPART_REPLY.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum MultipartReplyBody {
    /// DESC.
    Desc(Box<Desc>),
    /// FLOW: one entry per flow.
    Flow(Vec<FlowStats>),
    /// AGGREGATE.
    Aggregate(AggregateStats),
    /// TABLE: one entry per table.
    Table(Vec<TableStats>),
    /// PORT_STATS: one entry per port.
    PortStats(Vec<PortStats>),
    /// QUEUE: one entry per queue.
    Queue(Vec<QueueStats>),
    /// GROUP: one entry per group.
    Group(Vec<GroupStats>),
    /// GROUP_DESC: one entry per group.
    GroupDesc(Vec<GroupDesc>),
    /// GROUP_FEATURES.
    GroupFeatures(GroupFeatures),
    /// METER: one entry per meter.
    Meter(Vec<MeterStats>),
    /// METER_CONFIG: one entry per meter.
    MeterConfig(Vec<MeterConfig>),
    /// METER_FEATURES.
    MeterFeatures(MeterFeatures),
    /// TABLE_FEATURES: one entry per table.
    TableFeatures(Vec<TableFeatures>),
    /// PORT_DESC: one entry per port.
    PortDesc(Vec<Port>),
    /// EXPERIMENTER: the two ids and the raw data.
    Experimenter(ExperimenterMsg),
    /// A multipart type this crate does not know, kept raw.
    Unknown {
        /// Multipart type.
        mp_type: u16,
        /// The raw body.
        data: Vec<u8>,
    },
}

/// A MULTIPART_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MultipartRequest {
    /// `OFPMPF_*` flags ([`OFPMPF_REQ_MORE`]).
    pub flags: u16,
    /// The typed body.
    pub body: MultipartRequestBody,
}

/// A MULTIPART_REPLY.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MultipartReply {
    /// `OFPMPF_*` flags ([`OFPMPF_REPLY_MORE`]).
    pub flags: u16,
    /// The typed body.
    pub body: MultipartReplyBody,
}

fn list_len<T>(items: &[T], len: impl Fn(&T) -> usize) -> usize {
    items.iter().map(len).sum()
}

fn read_list<T>(
    r: &mut Reader<'_>,
    read: impl Fn(&mut Reader<'_>) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(read(r)?);
    }
    Ok(out)
}

fn write_list<T, B: BufMut>(
    items: &[T],
    b: &mut B,
    write: impl Fn(&T, &mut B) -> Result<(), Error>,
) -> Result<(), Error> {
    for i in items {
        write(i, b)?;
    }
    Ok(())
}

fn id_and_pad<B: BufMut>(b: &mut B, id: u32) {
    b.put_u32(id);
    b.put_u32(0);
}

fn read_id_pad(r: &mut Reader<'_>, what: &'static str) -> Result<u32, Error> {
    let id = r.u32(what)?;
    r.skip(4, "multipart request pad")?;
    Ok(id)
}

impl MultipartRequestBody {
    /// The `OFPMP_*` type.
    pub fn mp_type(&self) -> u16 {
        use MultipartRequestBody::*;
        use mp_types::*;
        match self {
            Desc => DESC,
            Flow(_) => FLOW,
            Aggregate(_) => AGGREGATE,
            Table => TABLE,
            PortStats { .. } => PORT_STATS,
            Queue { .. } => QUEUE,
            Group { .. } => GROUP,
            GroupDesc => GROUP_DESC,
            GroupFeatures => GROUP_FEATURES,
            Meter { .. } => METER,
            MeterConfig { .. } => METER_CONFIG,
            MeterFeatures => METER_FEATURES,
            TableFeatures(_) => TABLE_FEATURES,
            PortDesc => PORT_DESC,
            Experimenter(_) => EXPERIMENTER,
            Unknown { mp_type, .. } => *mp_type,
        }
    }

    /// Body length (after the 8-byte multipart header).
    pub fn encoded_len(&self) -> usize {
        use MultipartRequestBody::*;
        match self {
            Desc | Table | GroupDesc | GroupFeatures | MeterFeatures | PortDesc => 0,
            Flow(f) | Aggregate(f) => f.encoded_len(),
            PortStats { .. } | Queue { .. } | Group { .. } | Meter { .. } | MeterConfig { .. } => 8,
            TableFeatures(t) => list_len(t, self::TableFeatures::encoded_len),
            Experimenter(e) => e.encoded_len(),
            Unknown { data, .. } => data.len(),
        }
    }

    fn read(r: &mut Reader<'_>, mp_type: u16) -> Result<Self, Error> {
        use MultipartRequestBody::*;
        use mp_types::*;
        Ok(match mp_type {
            DESC => Desc,
            FLOW => Flow(FlowStatsRequest::read(r)?),
            AGGREGATE => Aggregate(FlowStatsRequest::read(r)?),
            TABLE => Table,
            PORT_STATS => PortStats {
                port_no: read_id_pad(r, "port stats port_no")?,
            },
            QUEUE => Queue {
                port_no: r.u32("queue stats port_no")?,
                queue_id: r.u32("queue stats queue_id")?,
            },
            GROUP => Group {
                group_id: read_id_pad(r, "group stats group_id")?,
            },
            GROUP_DESC => GroupDesc,
            GROUP_FEATURES => GroupFeatures,
            METER => Meter {
                meter_id: read_id_pad(r, "meter stats meter_id")?,
            },
            METER_CONFIG => MeterConfig {
                meter_id: read_id_pad(r, "meter config meter_id")?,
            },
            METER_FEATURES => MeterFeatures,
            TABLE_FEATURES => TableFeatures(read_list(r, self::TableFeatures::read)?),
            PORT_DESC => PortDesc,
            EXPERIMENTER => Experimenter(ExperimenterMsg::read(r)?),
            _ => Unknown {
                mp_type,
                data: r.rest().to_vec(),
            },
        })
    }

    fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        use MultipartRequestBody::*;
        match self {
            Desc | Table | GroupDesc | GroupFeatures | MeterFeatures | PortDesc => Ok(()),
            Flow(f) | Aggregate(f) => f.write(b),
            PortStats { port_no: id }
            | Group { group_id: id }
            | Meter { meter_id: id }
            | MeterConfig { meter_id: id } => {
                id_and_pad(b, *id);
                Ok(())
            }
            Queue { port_no, queue_id } => {
                b.put_u32(*port_no);
                b.put_u32(*queue_id);
                Ok(())
            }
            TableFeatures(t) => write_list(t, b, |x, b| x.write(b)),
            Experimenter(e) => e.write(b),
            Unknown { data, .. } => {
                b.put_slice(data);
                Ok(())
            }
        }
    }
}

impl MultipartReplyBody {
    /// The `OFPMP_*` type.
    pub fn mp_type(&self) -> u16 {
        use MultipartReplyBody::*;
        use mp_types::*;
        match self {
            Desc(_) => DESC,
            Flow(_) => FLOW,
            Aggregate(_) => AGGREGATE,
            Table(_) => TABLE,
            PortStats(_) => PORT_STATS,
            Queue(_) => QUEUE,
            Group(_) => GROUP,
            GroupDesc(_) => GROUP_DESC,
            GroupFeatures(_) => GROUP_FEATURES,
            Meter(_) => METER,
            MeterConfig(_) => METER_CONFIG,
            MeterFeatures(_) => METER_FEATURES,
            TableFeatures(_) => TABLE_FEATURES,
            PortDesc(_) => PORT_DESC,
            Experimenter(_) => EXPERIMENTER,
            Unknown { mp_type, .. } => *mp_type,
        }
    }

    /// Body length (after the 8-byte multipart header).
    pub fn encoded_len(&self) -> usize {
        use MultipartReplyBody::*;
        match self {
            Desc(_) => self::Desc::LEN,
            Flow(v) => list_len(v, FlowStats::encoded_len),
            Aggregate(_) => AggregateStats::LEN,
            Table(v) => TableStats::LEN * v.len(),
            PortStats(v) => self::PortStats::LEN * v.len(),
            Queue(v) => QueueStats::LEN * v.len(),
            Group(v) => list_len(v, GroupStats::encoded_len),
            GroupDesc(v) => list_len(v, self::GroupDesc::encoded_len),
            GroupFeatures(_) => self::GroupFeatures::LEN,
            Meter(v) => list_len(v, MeterStats::encoded_len),
            MeterConfig(v) => list_len(v, self::MeterConfig::encoded_len),
            MeterFeatures(_) => self::MeterFeatures::LEN,
            TableFeatures(v) => list_len(v, self::TableFeatures::encoded_len),
            PortDesc(v) => Port::LEN * v.len(),
            Experimenter(e) => e.encoded_len(),
            Unknown { data, .. } => data.len(),
        }
    }

    pub(crate) fn read(r: &mut Reader<'_>, mp_type: u16) -> Result<Self, Error> {
        use MultipartReplyBody::*;
        use mp_types::*;
        Ok(match mp_type {
            DESC => Desc(Box::new(self::Desc::read(r)?)),
            FLOW => Flow(FlowStats::read_list(r)?),
            AGGREGATE => Aggregate(AggregateStats::read(r)?),
            TABLE => Table(read_list(r, TableStats::read)?),
            PORT_STATS => PortStats(read_list(r, self::PortStats::read)?),
            QUEUE => Queue(read_list(r, QueueStats::read)?),
            GROUP => Group(read_list(r, GroupStats::read)?),
            GROUP_DESC => GroupDesc(read_list(r, self::GroupDesc::read)?),
            GROUP_FEATURES => GroupFeatures(self::GroupFeatures::read(r)?),
            METER => Meter(read_list(r, MeterStats::read)?),
            METER_CONFIG => MeterConfig(read_list(r, self::MeterConfig::read)?),
            METER_FEATURES => MeterFeatures(self::MeterFeatures::read(r)?),
            TABLE_FEATURES => TableFeatures(read_list(r, self::TableFeatures::read)?),
            PORT_DESC => PortDesc(read_list(r, Port::read)?),
            EXPERIMENTER => Experimenter(ExperimenterMsg::read(r)?),
            _ => Unknown {
                mp_type,
                data: r.rest().to_vec(),
            },
        })
    }

    fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        use MultipartReplyBody::*;
        match self {
            Desc(d) => {
                d.check()?;
                d.write(b)
            }
            Flow(v) => write_list(v, b, |x, b| x.write(b)),
            Aggregate(a) => a.write(b),
            Table(v) => write_list(v, b, |x, b| x.write(b)),
            PortStats(v) => write_list(v, b, |x, b| x.write(b)),
            Queue(v) => write_list(v, b, |x, b| x.write(b)),
            Group(v) => write_list(v, b, |x, b| x.write(b)),
            GroupDesc(v) => write_list(v, b, |x, b| x.write(b)),
            GroupFeatures(g) => g.write(b),
            Meter(v) => write_list(v, b, |x, b| x.write(b)),
            MeterConfig(v) => write_list(v, b, |x, b| x.write(b)),
            MeterFeatures(m) => m.write(b),
            TableFeatures(v) => write_list(v, b, |x, b| x.write(b)),
            PortDesc(v) => write_list(v, b, |x, b| x.write(b)),
            Experimenter(e) => e.write(b),
            Unknown { data, .. } => {
                b.put_slice(data);
                Ok(())
            }
        }
    }
}

pub(crate) fn read_header(r: &mut Reader<'_>) -> Result<(u16, u16), Error> {
    let mp_type = r.u16("multipart type")?;
    let flags = r.u16("multipart flags")?;
    r.skip(4, "multipart pad")?;
    Ok((mp_type, flags))
}

fn write_header<B: BufMut>(b: &mut B, mp_type: u16, flags: u16) {
    b.put_u16(mp_type);
    b.put_u16(flags);
    b.put_u32(0);
}

/// Greedy packing of `items` into chunks whose encoded size is at most
/// `room` each (at least one chunk, possibly empty).
fn pack<T: Clone>(
    items: &[T],
    len: impl Fn(&T) -> usize,
    room: usize,
    what: &'static str,
) -> Result<Vec<Vec<T>>, Error> {
    let mut out: Vec<Vec<T>> = vec![Vec::new()];
    let mut used = 0;
    for item in items {
        let n = len(item);
        if n > room {
            return Err(Error::TooLarge {
                what,
                len: n,
                max: room,
            });
        }
        if used + n > room {
            out.push(Vec::new());
            used = 0;
        }
        used += n;
        if let Some(last) = out.last_mut() {
            last.push(item.clone());
        }
    }
    Ok(out)
}

/// Room for a multipart body under `max_message_len`.
fn body_room(max_message_len: usize, what: &'static str) -> Result<usize, Error> {
    let max = max_message_len.min(usize::from(u16::MAX));
    max.checked_sub(16)
        .ok_or(Error::TooLarge { what, len: 16, max })
}

/// Sets or clears the MORE bit of each part (all but the last).
fn flag_parts<T>(parts: &mut [T], flags: u16, set: impl Fn(&mut T, u16)) {
    let n = parts.len();
    for (i, p) in parts.iter_mut().enumerate() {
        let more = if i + 1 < n { 1 } else { 0 };
        set(p, (flags & !1) | more);
    }
}

impl MultipartRequest {
    /// A request with no flags.
    pub fn new(body: MultipartRequestBody) -> MultipartRequest {
        MultipartRequest { flags: 0, body }
    }

    /// Body length (multipart header included).
    pub fn encoded_len(&self) -> usize {
        8 + self.body.encoded_len()
    }

    /// Whether [`OFPMPF_REQ_MORE`] is set.
    pub fn more(&self) -> bool {
        self.flags & OFPMPF_REQ_MORE != 0
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mp_type, flags) = read_header(r)?;
        Ok(MultipartRequest {
            flags,
            body: MultipartRequestBody::read(r, mp_type)?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        write_header(b, self.body.mp_type(), self.flags);
        self.body.write(b)
    }

    /// Splits the request into parts whose whole messages (header included)
    /// are at most `max_message_len` bytes: TABLE_FEATURES requests are cut
    /// between tables, every other body must fit in one part. All parts but
    /// the last carry [`OFPMPF_REQ_MORE`].
    pub fn split(&self, max_message_len: usize) -> Result<Vec<MultipartRequest>, Error> {
        let room = body_room(max_message_len, "multipart request part")?;
        let mut parts: Vec<MultipartRequest> = match &self.body {
            MultipartRequestBody::TableFeatures(v) => {
                pack(v, TableFeatures::encoded_len, room, "table features")?
                    .into_iter()
                    .map(|c| MultipartRequest::new(MultipartRequestBody::TableFeatures(c)))
                    .collect()
            }
            body => {
                if body.encoded_len() > room {
                    return Err(Error::TooLarge {
                        what: "multipart request body",
                        len: body.encoded_len(),
                        max: room,
                    });
                }
                vec![self.clone()]
            }
        };
        flag_parts(&mut parts, self.flags, |p, f| p.flags = f);
        Ok(parts)
    }
}

impl MultipartReply {
    /// A reply with no flags.
    pub fn new(body: MultipartReplyBody) -> MultipartReply {
        MultipartReply { flags: 0, body }
    }

    /// Body length (multipart header included).
    pub fn encoded_len(&self) -> usize {
        8 + self.body.encoded_len()
    }

    /// Whether [`OFPMPF_REPLY_MORE`] is set.
    pub fn more(&self) -> bool {
        self.flags & OFPMPF_REPLY_MORE != 0
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let (mp_type, flags) = read_header(r)?;
        Ok(MultipartReply {
            flags,
            body: MultipartReplyBody::read(r, mp_type)?,
        })
    }

    pub(crate) fn write<B: BufMut>(&self, b: &mut B) -> Result<(), Error> {
        write_header(b, self.body.mp_type(), self.flags);
        self.body.write(b)
    }

    /// Splits the reply into parts whose whole messages (header included)
    /// are at most `max_message_len` bytes, cutting list bodies (flows,
    /// tables, ports, queues, groups, meters, table features, port
    /// descriptions) between entries. A single-valued body must fit in one
    /// part, as must every entry. All parts but the last carry
    /// [`OFPMPF_REPLY_MORE`]; an empty list gives one empty part.
    pub fn split(&self, max_message_len: usize) -> Result<Vec<MultipartReply>, Error> {
        use MultipartReplyBody as R;
        let room = body_room(max_message_len, "multipart reply part")?;
        fn wrap<T>(chunks: Vec<Vec<T>>, f: impl Fn(Vec<T>) -> R) -> Vec<MultipartReply> {
            chunks
                .into_iter()
                .map(|c| MultipartReply::new(f(c)))
                .collect()
        }
        let mut parts = match &self.body {
            R::Flow(v) => wrap(
                pack(v, FlowStats::encoded_len, room, "flow stats")?,
                R::Flow,
            ),
            R::Table(v) => wrap(
                pack(v, TableStats::encoded_len, room, "table stats")?,
                R::Table,
            ),
            R::PortStats(v) => wrap(
                pack(v, PortStats::encoded_len, room, "port stats")?,
                R::PortStats,
            ),
            R::Queue(v) => wrap(
                pack(v, QueueStats::encoded_len, room, "queue stats")?,
                R::Queue,
            ),
            R::Group(v) => wrap(
                pack(v, GroupStats::encoded_len, room, "group stats")?,
                R::Group,
            ),
            R::GroupDesc(v) => wrap(
                pack(v, GroupDesc::encoded_len, room, "group desc")?,
                R::GroupDesc,
            ),
            R::Meter(v) => wrap(
                pack(v, MeterStats::encoded_len, room, "meter stats")?,
                R::Meter,
            ),
            R::MeterConfig(v) => wrap(
                pack(v, MeterConfig::encoded_len, room, "meter config")?,
                R::MeterConfig,
            ),
            R::TableFeatures(v) => wrap(
                pack(v, TableFeatures::encoded_len, room, "table features")?,
                R::TableFeatures,
            ),
            R::PortDesc(v) => wrap(pack(v, |_| Port::LEN, room, "port")?, R::PortDesc),
            body => {
                if body.encoded_len() > room {
                    return Err(Error::TooLarge {
                        what: "multipart reply body",
                        len: body.encoded_len(),
                        max: room,
                    });
                }
                vec![self.clone()]
            }
        };
        flag_parts(&mut parts, self.flags, |p, f| p.flags = f);
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Body, Message};

    #[test]
    fn requests_from_spec_layout() {
        for (body, bytes) in [
            (MultipartRequestBody::Desc, vec![0, 0, 0, 0, 0, 0, 0, 0]),
            (
                MultipartRequestBody::PortStats {
                    port_no: 0xffff_ffff,
                },
                vec![0, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0],
            ),
            (
                MultipartRequestBody::Queue {
                    port_no: 1,
                    queue_id: OFPQ_ALL,
                },
                vec![0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff],
            ),
            (
                MultipartRequestBody::Meter { meter_id: 1 },
                vec![0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
            ),
            (
                MultipartRequestBody::Unknown {
                    mp_type: 77,
                    data: vec![1, 2, 3],
                },
                vec![0, 77, 0, 0, 0, 0, 0, 0, 1, 2, 3],
            ),
        ] {
            let m = MultipartRequest::new(body);
            let mut v = Vec::new();
            m.write(&mut v).unwrap();
            assert_eq!(v, bytes, "{m:?}");
            assert_eq!(m.encoded_len(), bytes.len());
            let mut r = Reader::new(&bytes);
            assert_eq!(MultipartRequest::read(&mut r).unwrap(), m);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn empty_request_with_a_body_is_an_error() {
        // DESC request with 4 stray bytes: the message has trailing bytes.
        let bytes = [4, 18, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
        assert!(matches!(
            Message::decode(&bytes),
            Err(Error::TrailingBytes { .. })
        ));
    }

    #[test]
    fn split_port_desc_under_max_size() {
        let ports: Vec<Port> = (1..=10)
            .map(|i| Port {
                port_no: i,
                ..Port::default()
            })
            .collect();
        let reply = MultipartReply::new(MultipartReplyBody::PortDesc(ports.clone()));
        // 16 + 3 * 64 = 208: three ports per part, 4 parts.
        let parts = reply.split(220).unwrap();
        assert_eq!(parts.len(), 4);
        for (i, p) in parts.iter().enumerate() {
            assert_eq!(p.more(), i < 3);
            let msg = Message::new(9, Body::MultipartReply(p.clone()));
            assert!(msg.encoded_len() <= 220);
        }
        let mut joined = Vec::new();
        for p in parts {
            if let MultipartReplyBody::PortDesc(v) = p.body {
                joined.extend(v);
            }
        }
        assert_eq!(joined, ports);
        // Empty list: one part without MORE.
        let empty = MultipartReply::new(MultipartReplyBody::Flow(vec![]));
        assert_eq!(empty.split(100).unwrap(), vec![empty.clone()]);
        // An entry larger than a part, or a room below the headers.
        assert!(matches!(
            reply.split(64),
            Err(Error::TooLarge {
                len: 64,
                max: 48,
                ..
            })
        ));
        assert!(reply.split(10).is_err());
        let desc = MultipartReply::new(MultipartReplyBody::Desc(Box::default()));
        assert!(desc.split(1000).is_err());
        assert_eq!(desc.split(2000).unwrap().len(), 1);
    }
}
