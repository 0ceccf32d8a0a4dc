//! Joining the parts of multipart transactions.
//!
//! Feed every received [`Message`] to a [`Reassembler`]: messages that are
//! not multipart, and single-part multiparts, come straight back; parts
//! with the MORE flag are held per (xid, direction) until the last part
//! arrives, which returns one message holding the whole list. Transactions
//! of different xids may interleave. Memory is bounded by a maximum number
//! of open transactions and of buffered bytes.

use std::collections::BTreeMap;

use super::{MultipartReply, MultipartReplyBody as R, MultipartRequest, MultipartRequestBody as Q};
use crate::Error;
use crate::message::{Body, Message};

/// Reassembles multipart transactions split with the MORE flag.
#[derive(Debug, Clone)]
pub struct Reassembler {
    max_transactions: usize,
    max_bytes: usize,
    buffered: usize,
    pending: BTreeMap<(u32, bool), Pending>,
}

#[derive(Debug, Clone)]
struct Pending {
    version: u8,
    bytes: usize,
    body: Body,
}

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler::new(64, 16 * 1024 * 1024)
    }
}

fn mismatch(xid: u32, expected: u16, found: u16) -> Error {
    Error::MultipartMismatch {
        xid,
        expected,
        found,
    }
}

/// Appends `next` to `acc` (same type), or says why it cannot.
fn append_reply(xid: u32, acc: &mut MultipartReply, next: MultipartReply) -> Result<(), Error> {
    let (t0, t1) = (acc.body.mp_type(), next.body.mp_type());
    match (&mut acc.body, next.body) {
        (R::Flow(a), R::Flow(b)) => a.extend(b),
        (R::Table(a), R::Table(b)) => a.extend(b),
        (R::PortStats(a), R::PortStats(b)) => a.extend(b),
        (R::Queue(a), R::Queue(b)) => a.extend(b),
        (R::Group(a), R::Group(b)) => a.extend(b),
        (R::GroupDesc(a), R::GroupDesc(b)) => a.extend(b),
        (R::Meter(a), R::Meter(b)) => a.extend(b),
        (R::MeterConfig(a), R::MeterConfig(b)) => a.extend(b),
        (R::TableFeatures(a), R::TableFeatures(b)) => a.extend(b),
        (R::PortDesc(a), R::PortDesc(b)) => a.extend(b),
        (R::Experimenter(a), R::Experimenter(b))
            if a.experimenter == b.experimenter && a.exp_type == b.exp_type =>
        {
            a.data.extend(b.data)
        }
        (R::Unknown { data: a, .. }, R::Unknown { data: b, .. }) if t0 == t1 => a.extend(b),
        _ => return Err(mismatch(xid, t0, t1)),
    }
    acc.flags = next.flags;
    Ok(())
}

fn append_request(
    xid: u32,
    acc: &mut MultipartRequest,
    next: MultipartRequest,
) -> Result<(), Error> {
    let (t0, t1) = (acc.body.mp_type(), next.body.mp_type());
    match (&mut acc.body, next.body) {
        (Q::TableFeatures(a), Q::TableFeatures(b)) => a.extend(b),
        (Q::Experimenter(a), Q::Experimenter(b))
            if a.experimenter == b.experimenter && a.exp_type == b.exp_type =>
        {
            a.data.extend(b.data)
        }
        (Q::Unknown { data: a, .. }, Q::Unknown { data: b, .. }) if t0 == t1 => a.extend(b),
        _ => return Err(mismatch(xid, t0, t1)),
    }
    acc.flags = next.flags;
    Ok(())
}

impl Reassembler {
    /// A reassembler holding at most `max_transactions` open transactions
    /// and `max_bytes` bytes of parts (counted as their encoded size).
    pub fn new(max_transactions: usize, max_bytes: usize) -> Reassembler {
        Reassembler {
            max_transactions,
            max_bytes,
            buffered: 0,
            pending: BTreeMap::new(),
        }
    }

    /// Number of open (incomplete) transactions.
    pub fn open_transactions(&self) -> usize {
        self.pending.len()
    }

    /// Bytes held by open transactions.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered
    }

    /// Drops the open transaction of `xid` (both directions), e.g. after an
    /// ERROR reply or a timeout the caller tracks.
    pub fn abort(&mut self, xid: u32) {
        for dir in [false, true] {
            if let Some(p) = self.pending.remove(&(xid, dir)) {
                self.buffered -= p.bytes;
            }
        }
    }

    /// Feeds one received message. Returns the message when it is complete
    /// (any non-multipart message, a multipart without MORE, or the last
    /// part of a transaction, then holding every part's entries with the
    /// MORE flag clear), `None` while parts are missing.
    ///
    /// Errors (the transaction is dropped): a part whose multipart type
    /// differs from the first part's, a MORE flag on a single-valued body
    /// (DESC, AGGREGATE, features), or a limit exceeded.
    pub fn feed(&mut self, msg: Message) -> Result<Option<Message>, Error> {
        let (is_reply, more) = match &msg.body {
            Body::MultipartReply(m) => (true, m.more()),
            Body::MultipartRequest(m) => (false, m.more()),
            _ => return Ok(Some(msg)),
        };
        let key = (msg.xid, is_reply);
        let bytes = msg.encoded_len();
        let Some(mut pending) = self.pending.remove(&key) else {
            if !more {
                return Ok(Some(msg));
            }
            self.check_mergeable(&msg)?;
            if self.pending.len() >= self.max_transactions {
                return Err(Error::ReassemblyLimit {
                    xid: msg.xid,
                    what: "open multipart transactions",
                    limit: self.max_transactions,
                });
            }
            self.reserve(msg.xid, bytes)?;
            self.pending.insert(
                key,
                Pending {
                    version: msg.version,
                    bytes,
                    body: msg.body,
                },
            );
            return Ok(None);
        };
        self.buffered -= pending.bytes;
        let merged = match (&mut pending.body, msg.body) {
            (Body::MultipartReply(acc), Body::MultipartReply(next)) => {
                append_reply(msg.xid, acc, next)
            }
            (Body::MultipartRequest(acc), Body::MultipartRequest(next)) => {
                append_request(msg.xid, acc, next)
            }
            _ => Err(mismatch(msg.xid, 0, 0)),
        };
        merged?;
        if !more {
            return Ok(Some(Message {
                version: pending.version,
                xid: msg.xid,
                body: pending.body,
            }));
        }
        pending.bytes += bytes;
        self.reserve(msg.xid, pending.bytes)?;
        self.pending.insert(key, pending);
        Ok(None)
    }

    fn reserve(&mut self, xid: u32, bytes: usize) -> Result<(), Error> {
        if self.buffered + bytes > self.max_bytes {
            return Err(Error::ReassemblyLimit {
                xid,
                what: "buffered multipart bytes",
                limit: self.max_bytes,
            });
        }
        self.buffered += bytes;
        Ok(())
    }

    fn check_mergeable(&self, msg: &Message) -> Result<(), Error> {
        let (ok, t) = match &msg.body {
            Body::MultipartReply(m) => (
                !matches!(
                    m.body,
                    R::Desc(_) | R::Aggregate(_) | R::GroupFeatures(_) | R::MeterFeatures(_)
                ),
                m.body.mp_type(),
            ),
            Body::MultipartRequest(m) => (
                matches!(
                    m.body,
                    Q::TableFeatures(_) | Q::Experimenter(_) | Q::Unknown { .. }
                ),
                m.body.mp_type(),
            ),
            _ => (true, 0),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::MultipartMismatch {
                xid: msg.xid,
                expected: t,
                found: t,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::multipart::{FlowStats, TableStats};
    use crate::message::{AggregateStats, Port};

    fn reply_msg(xid: u32, r: MultipartReply) -> Message {
        Message::new(xid, Body::MultipartReply(r))
    }

    #[test]
    fn interleaved_transactions_are_joined() {
        let flows: Vec<FlowStats> = (0..7)
            .map(|i| FlowStats {
                priority: i,
                ..FlowStats::default()
            })
            .collect();
        let ports: Vec<Port> = (0..5)
            .map(|i| Port {
                port_no: i,
                ..Port::default()
            })
            .collect();
        let a = MultipartReply::new(R::Flow(flows.clone()))
            .split(200)
            .unwrap();
        let b = MultipartReply::new(R::PortDesc(ports.clone()))
            .split(150)
            .unwrap();
        assert!(a.len() > 2 && b.len() > 2);
        let mut re = Reassembler::default();
        let mut done = Vec::new();
        let (mut ia, mut ib) = (a.into_iter(), b.into_iter());
        loop {
            let (x, y) = (ia.next(), ib.next());
            if x.is_none() && y.is_none() {
                break;
            }
            for (xid, part) in [(1, x), (2, y)] {
                if let Some(p) = part
                    && let Some(m) = re.feed(reply_msg(xid, p)).unwrap()
                {
                    done.push(m);
                }
            }
        }
        assert_eq!(re.open_transactions(), 0);
        assert_eq!(re.buffered_bytes(), 0);
        assert_eq!(done.len(), 2);
        assert_eq!(done[0], reply_msg(1, MultipartReply::new(R::Flow(flows))));
        assert_eq!(
            done[1],
            reply_msg(2, MultipartReply::new(R::PortDesc(ports)))
        );
    }

    #[test]
    fn pass_through_and_errors() {
        let mut re = Reassembler::new(1, 10_000);
        let barrier = Message::new(3, Body::BarrierReply);
        assert_eq!(re.feed(barrier.clone()).unwrap(), Some(barrier));
        let single = reply_msg(4, MultipartReply::new(R::Table(vec![])));
        assert_eq!(re.feed(single.clone()).unwrap(), Some(single));
        let more = |xid, body| reply_msg(xid, MultipartReply { flags: 1, body });
        // MORE on a single-valued body.
        assert!(matches!(
            re.feed(more(5, R::Aggregate(AggregateStats::default()))),
            Err(Error::MultipartMismatch { xid: 5, .. })
        ));
        // Type change inside a transaction drops it.
        assert_eq!(
            re.feed(more(6, R::Table(vec![TableStats::default()])))
                .unwrap(),
            None
        );
        assert!(matches!(
            re.feed(more(6, R::Flow(vec![]))),
            Err(Error::MultipartMismatch {
                xid: 6,
                expected: 3,
                found: 1
            })
        ));
        assert_eq!(re.open_transactions(), 0);
        assert_eq!(re.buffered_bytes(), 0);
        // Transaction limit.
        assert_eq!(re.feed(more(7, R::Table(vec![]))).unwrap(), None);
        assert!(matches!(
            re.feed(more(8, R::Table(vec![]))),
            Err(Error::ReassemblyLimit { xid: 8, .. })
        ));
        re.abort(7);
        assert_eq!(re.open_transactions(), 0);
        // Byte limit.
        let mut small = Reassembler::new(4, 100);
        let big = more(9, R::PortDesc(vec![Port::default(); 2]));
        assert!(matches!(
            small.feed(big),
            Err(Error::ReassemblyLimit { limit: 100, .. })
        ));
        assert_eq!(small.buffered_bytes(), 0);
    }
}
