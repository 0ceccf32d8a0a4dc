//! BGP for the interop tests: a test-only BGP speaker over a plain TCP
//! stream (every message it sends is built and encoded by `bgp-evpn-wire`,
//! every message it receives is framed and decoded by it), and FRR `bgpd`
//! run without zebra on the loopback.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::{Daemon, free_tcp_port};

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

/// FRR `bgpd` in the foreground, stopped on drop.
pub struct Frr {
    dir: PathBuf,
    daemon: Daemon,
}

/// Where FRR's `bgpd` binary is (Debian package `frr`).
pub const FRR_BGPD: &str = "/usr/lib/frr/bgpd";

/// One eBGP neighbor of [`Frr`]: a test speaker listening on `addr:port`
/// that FRR connects to, activated for L2VPN EVPN.
#[derive(Debug, Clone, Copy)]
pub struct FrrNeighbor {
    /// The speaker's address (127.0.0.x).
    pub addr: Ipv4Addr,
    /// Its AS.
    pub asn: u32,
    /// Its listening port.
    pub port: u16,
}

impl Frr {
    /// Starts bgpd (AS `asn`, listening on a free port of 127.0.0.1, vty
    /// socket and files in `dir`) with eBGP `neighbors` over L2VPN EVPN,
    /// which it connects to from 127.0.0.1.
    pub fn start(dir: &Path, asn: u32, neighbors: &[FrrNeighbor]) -> Frr {
        let bgp_port = free_tcp_port(Ipv4Addr::LOCALHOST);
        let mut conf = format!(
            "hostname frr-interop\n\
             log file {}\n\
             router bgp {asn}\n \
             bgp router-id 192.0.2.10\n \
             no bgp ebgp-requires-policy\n \
             no bgp default ipv4-unicast\n",
            dir.join("bgpd.log").display()
        );
        for FrrNeighbor { addr, asn, port } in neighbors {
            conf += &format!(
                " neighbor {addr} remote-as {asn}\n \
                 neighbor {addr} port {port}\n \
                 neighbor {addr} update-source 127.0.0.1\n \
                 neighbor {addr} timers connect 1\n"
            );
        }
        conf += " address-family l2vpn evpn\n";
        for n in neighbors {
            conf += &format!("  neighbor {} activate\n", n.addr);
        }
        conf += " exit-address-family\n";
        std::fs::write(dir.join("bgpd.conf"), conf).expect("write bgpd.conf");
        let mut cmd = Command::new(FRR_BGPD);
        cmd.arg("--config_file")
            .arg(dir.join("bgpd.conf"))
            .arg("--pid_file")
            .arg(dir.join("bgpd.pid"))
            .arg("--socket")
            .arg(dir.join("zserv.api"))
            .arg("--vty_socket")
            .arg(dir)
            // No zebra, no capability/user change, no TCP vty; BGP only on
            // the loopback address.
            .args(["--no_zebra", "--skip_runas", "--vty_port", "0"])
            .args(["--listenon", "127.0.0.1", "--bgp_port"])
            .arg(bgp_port.to_string());
        let daemon = Daemon::spawn("FRR bgpd", &mut cmd, &dir.join("bgpd.out"));
        Frr {
            dir: dir.to_owned(),
            daemon,
        }
    }

    /// bgpd's output and log.
    pub fn log_text(&self) -> String {
        let read = |f: &str| std::fs::read_to_string(self.dir.join(f)).unwrap_or_default();
        format!("{}{}", read("bgpd.out"), read("bgpd.log"))
    }

    /// `vtysh -c CMD` against this bgpd (panics on failure).
    pub fn vtysh(&self, cmd: &str) -> String {
        let out = Command::new("vtysh")
            .arg("--vty_socket")
            .arg(&self.dir)
            .args(["-d", "bgpd", "-c", cmd])
            .stdin(Stdio::null())
            .output()
            .expect("run vtysh");
        assert!(
            out.status.success(),
            "vtysh -c '{cmd}' failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Panics (with the log) if bgpd has exited.
    pub fn assert_running(&mut self) {
        assert!(
            self.daemon.exited().is_none(),
            "bgpd exited:\n{}",
            self.log_text()
        );
    }
}
