//! A test-only BGP speaker over a plain TCP stream, shared by the interop
//! tests (GoBGP, FRR): every message it sends is built and encoded by this
//! crate, every message it receives is framed and decoded by it.
#![allow(dead_code)]

pub mod routes;

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use bgp_evpn_wire::message::{
    Capability, DecodingContext, Frame, Framer, Message, Open, OptionalParameter,
};
use bgp_evpn_wire::types::AfiSafi;

/// One end of a BGP session, established.
pub struct Speaker {
    stream: TcpStream,
    framer: Framer,
    /// The session's decoding context, from the two OPENs.
    pub ctx: DecodingContext,
    /// Every message received, in order.
    pub received: Vec<Message>,
    /// The peer's name in panic messages ("gobgpd", "FRR bgpd").
    peer_name: &'static str,
}

/// The OPEN our speakers send: L2VPN EVPN, route refresh, 4-octet AS.
pub fn evpn_open(asn: u32, router_id: Ipv4Addr) -> Open {
    Open::new(asn, 90, router_id).with_parameter(OptionalParameter::Capabilities(vec![
        Capability::multiprotocol(AfiSafi::EVPN),
        Capability::RouteRefresh,
        Capability::FourOctetAs(asn),
    ]))
}

impl Speaker {
    /// Waits (up to 60 s) for the peer's connection from `peer` on
    /// `listener`, then exchanges OPEN (ours is `open`; the peer's must
    /// offer L2VPN EVPN and have AS `peer_as`) and KEEPALIVE. `log` gives
    /// the peer's log for the panic message when it never connects.
    pub fn accept(
        listener: &TcpListener,
        peer: Ipv4Addr,
        open: Open,
        peer_as: u32,
        peer_name: &'static str,
        log: impl Fn() -> String,
    ) -> Speaker {
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let deadline = Instant::now() + Duration::from_secs(60);
        let stream = loop {
            match listener.accept() {
                Ok((s, from)) => {
                    assert_eq!(
                        from.ip(),
                        IpAddr::V4(peer),
                        "connection from an unexpected peer"
                    );
                    break s;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    assert!(
                        Instant::now() < deadline,
                        "{peer_name} did not connect to our speaker; log:\n{}",
                        log()
                    );
                    thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!("accept: {e}"),
            }
        };
        stream.set_nonblocking(false).expect("blocking stream");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("read timeout");
        let mut s = Speaker {
            stream,
            framer: Framer::new(),
            ctx: DecodingContext::new(),
            received: Vec::new(),
            peer_name,
        };
        s.send(&Message::Open(open.clone()));
        let peer_open = match s.next_message(Duration::from_secs(10)) {
            Message::Open(o) => o,
            other => panic!("expected OPEN from {peer_name}, got {other:?}"),
        };
        assert!(
            peer_open.multiprotocol().any(|f| f == AfiSafi::EVPN),
            "{peer_name} did not offer L2VPN EVPN: {peer_open:?}"
        );
        assert_eq!(peer_open.asn(), peer_as);
        s.ctx = DecodingContext::from_opens(&open, &peer_open);
        assert!(s.ctx.four_octet_as, "4-octet AS negotiated");
        s.send(&Message::Keepalive);
        match s.next_message(Duration::from_secs(10)) {
            Message::Keepalive => {}
            other => panic!("expected KEEPALIVE from {peer_name}, got {other:?}"),
        }
        s
    }

    /// Sends one message (its encoded length must be what `encoded_len`
    /// says).
    pub fn send(&mut self, msg: &Message) {
        let bytes = msg.to_bytes(&self.ctx);
        assert_eq!(bytes.len(), msg.encoded_len(&self.ctx));
        self.stream
            .write_all(&bytes)
            .unwrap_or_else(|e| panic!("send to {}: {e}", self.peer_name));
    }

    /// The next message from the peer within `timeout`, if any
    /// (NOTIFICATIONs fail the test).
    pub fn try_next(&mut self, timeout: Duration) -> Option<Message> {
        let deadline = Instant::now() + timeout;
        let name = self.peer_name;
        loop {
            if let Frame::Message(raw) = self
                .framer
                .poll()
                .unwrap_or_else(|e| panic!("framing {name}'s stream: {e}"))
            {
                let msg = Message::decode(&raw, &self.ctx)
                    .unwrap_or_else(|e| panic!("decoding {name}'s message: {e}: {raw:02x?}"));
                if let Message::Notification(n) = &msg {
                    panic!("{name} sent NOTIFICATION {} ({n:?})", n.name());
                }
                self.received.push(msg.clone());
                return Some(msg);
            }
            if Instant::now() >= deadline {
                return None;
            }
            let mut buf = [0u8; 4096];
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("{name} closed the session"),
                Ok(n) => self.framer.push(&buf[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("read from {name}: {e}"),
            }
        }
    }

    /// The next message from the peer within `timeout`.
    pub fn next_message(&mut self, timeout: Duration) -> Message {
        self.try_next(timeout)
            .unwrap_or_else(|| panic!("no message from {} in {timeout:?}", self.peer_name))
    }

    /// Reads what the peer sends until it is quiet for `quiet`.
    pub fn drain(&mut self, quiet: Duration) {
        while self.try_next(quiet).is_some() {}
    }
}
