//! BGP for the interop tests: a test-only BGP speaker over a plain TCP
//! stream (every message it sends is built and encoded by `bgp-evpn-wire`,
//! every message it receives is framed and decoded by it), FRR `bgpd` run
//! without zebra on the loopback, and `gobgpd` driven through its CLI.

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use std::fmt::Write as _;

use serde_json::Value;

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
        if open.four_octet_asn().is_some() {
            assert!(s.ctx.four_octet_as, "4-octet AS negotiated");
        }
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

/// A neighbor stanza of a gobgpd TOML config.
#[derive(Debug, Clone, Copy)]
pub struct GobgpNeighbor {
    /// The neighbor's address.
    pub addr: Ipv4Addr,
    /// Its AS.
    pub peer_as: u32,
    /// gobgpd's address for the session.
    pub local: Ipv4Addr,
    /// Port to connect to; `None`: passive (wait for the peer).
    pub remote_port: Option<u16>,
    /// Route-server client (RFC 7947): gobgpd relays its routes to the
    /// other clients with next hop and AS path unchanged.
    pub route_server_client: bool,
}

/// One gobgpd process, stopped (SIGTERM, then SIGKILL) on drop.
pub struct Gobgpd {
    name: &'static str,
    daemon: Daemon,
    api_port: u16,
    log: PathBuf,
}

impl Gobgpd {
    /// Writes the config and starts gobgpd. `listen`: BGP port on
    /// `router_addr`, or `None` for no listener.
    pub fn start(
        dir: &Path,
        name: &'static str,
        asn: u32,
        router_addr: Ipv4Addr,
        listen: Option<u16>,
        neighbors: &[GobgpNeighbor],
    ) -> Gobgpd {
        let mut conf = String::new();
        let router_id = Ipv4Addr::new(192, 0, 2, router_addr.octets()[3]);
        writeln!(
            conf,
            "[global.config]\n  as = {asn}\n  router-id = \"{router_id}\""
        )
        .unwrap();
        match listen {
            Some(port) => writeln!(
                conf,
                "  port = {port}\n  local-address-list = [\"{router_addr}\"]"
            )
            .unwrap(),
            None => writeln!(conf, "  port = -1").unwrap(),
        }
        for n in neighbors {
            writeln!(
                conf,
                "[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"{}\"\n    peer-as = {}\n  \
                 [neighbors.timers.config]\n    connect-retry = 1\n  \
                 [neighbors.transport.config]\n    local-address = \"{}\"",
                n.addr, n.peer_as, n.local
            )
            .unwrap();
            match n.remote_port {
                Some(p) => writeln!(conf, "    remote-port = {p}").unwrap(),
                None => writeln!(conf, "    passive-mode = true").unwrap(),
            }
            if n.route_server_client {
                writeln!(
                    conf,
                    "  [neighbors.route-server.config]\n    route-server-client = true"
                )
                .unwrap();
            }
            writeln!(
                conf,
                "  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"l2vpn-evpn\""
            )
            .unwrap();
        }
        let conf_path = dir.join(format!("{name}.toml"));
        std::fs::write(&conf_path, conf).expect("write gobgpd config");
        let log = dir.join(format!("{name}.log"));
        let api_port = free_tcp_port(Ipv4Addr::LOCALHOST);
        let daemon = Daemon::spawn(
            &format!("gobgpd {name}"),
            Command::new("gobgpd")
                .arg("-f")
                .arg(&conf_path)
                .arg(format!("--api-hosts=127.0.0.1:{api_port}"))
                .args(["--pprof-disable", "--log-plain", "--log-level=debug"]),
            &log,
        );
        let mut d = Gobgpd {
            name,
            daemon,
            api_port,
            log,
        };
        // Ready once the API answers.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if d.try_cli(&["global"]).is_ok() {
                break;
            }
            let exited = d.daemon.exited();
            assert!(
                exited.is_none() && Instant::now() < deadline,
                "gobgpd {name} did not come up (exit: {exited:?}); log:\n{}",
                d.log_text()
            );
            thread::sleep(Duration::from_millis(100));
        }
        d
    }

    /// Panics (with the log) if gobgpd has exited.
    pub fn assert_running(&mut self) {
        assert!(
            self.daemon.exited().is_none(),
            "gobgpd {} exited:\n{}",
            self.name,
            self.log_text()
        );
    }

    /// gobgpd's log.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Runs `gobgp ARGS` against this daemon.
    pub fn try_cli(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new("gobgp")
            .args(["-u", "127.0.0.1", "-p", &self.api_port.to_string()])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Runs `gobgp ARGS` against this daemon; panics on failure.
    pub fn cli(&self, args: &str) -> String {
        let args: Vec<&str> = args.split_whitespace().collect();
        self.try_cli(&args).unwrap_or_else(|e| {
            panic!(
                "`gobgp {}` on {} failed: {e}\nlog:\n{}",
                args.join(" "),
                self.name,
                self.log_text()
            )
        })
    }

    /// `gobgp global rib -a evpn ARGS` (add/del).
    pub fn evpn(&self, args: &str) {
        self.cli(&format!("global rib -a evpn {args}"));
    }

    /// The EVPN RIB as JSON: every path of every destination.
    pub fn rib(&self) -> Vec<Value> {
        let out = self.cli("global rib -a evpn -j");
        let v: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("gobgp JSON from {}: {e}: {out}", self.name));
        match v {
            Value::Object(m) => m
                .into_values()
                .flat_map(|paths| paths.as_array().cloned().unwrap_or_default())
                .collect(),
            Value::Null => Vec::new(),
            other => panic!("unexpected RIB JSON from {}: {other}", self.name),
        }
    }

    /// Waits until the session with `neighbor` is established.
    pub fn wait_established(&self, neighbor: Ipv4Addr, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let state = self
                .try_cli(&["neighbor", &neighbor.to_string(), "-j"])
                .ok()
                .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                .and_then(|v| v.pointer("/state/session_state").cloned());
            // 6 (or "established") is Established in gobgp's JSON.
            if matches!(&state, Some(Value::Number(n)) if n.as_u64() == Some(6))
                || matches!(&state, Some(Value::String(s)) if s.eq_ignore_ascii_case("established"))
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{}: session with {neighbor} not established in {timeout:?} (state {state:?}); log:\n{}",
                self.name,
                self.log_text()
            );
            thread::sleep(Duration::from_millis(200));
        }
    }

    /// Waits until `pred` holds for the EVPN RIB.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let rib = self.rib();
            if pred(&rib) {
                return rib;
            }
            assert!(
                Instant::now() < deadline,
                "{}: EVPN RIB never showed {what}:\n{}",
                self.name,
                self.cli("global rib -a evpn")
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the EVPN RIB holds `n` paths.
    pub fn wait_rib_len(&self, n: usize, timeout: Duration) -> Vec<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let rib = self.rib();
            if rib.len() == n {
                return rib;
            }
            assert!(
                Instant::now() < deadline,
                "{}: EVPN RIB has {} paths, expected {n}:\n{}",
                self.name,
                rib.len(),
                self.cli("global rib -a evpn")
            );
            thread::sleep(Duration::from_millis(100));
        }
    }
}
