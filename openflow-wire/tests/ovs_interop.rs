//! Interop with a real Open vSwitch: `ovs-vswitchd --enable-dummy=override
//! --disable-system` (no kernel module, no root needed for OVS itself) with
//! its own `ovsdb-server`, both with every file under a temp dir.
//!
//! A test-only controller (std `TcpStream` + this crate's [`Framer`]) talks
//! OpenFlow 1.3 to the bridge's passive listener `ptcp:PORT:127.0.0.1` and
//! checks, against OVS itself, `ovs-ofctl` and `tshark`:
//!
//! * HELLO with a version bitmap, [`negotiate_version`] gives 1.3 with the
//!   bitmap OVS sends (its `protocols=OpenFlow13` setting); a HELLO offering
//!   only 1.0 is refused by OVS with HELLO_FAILED/INCOMPATIBLE and
//!   `negotiate_version` says `None` too;
//! * FEATURES_REPLY carries the datapath id we configured; PORT_DESC lists
//!   the dummy ports and the VXLAN port with the numbers `ovs-vsctl` reports;
//! * VXLAN tunnel flows from [`TunnelFlow::flow_mod`] (IPv4 and IPv6 remote
//!   VTEPs), decap flows (tunnel_id + eth_dst -> local port), a flood group
//!   from [`vtep_flood_group`], a METER_MOD with a drop band and a flow using
//!   it, PACKET_OUTs from [`packet_out`], BARRIER: no ERROR comes back;
//! * FLOW, PORT_STATS, GROUP, GROUP_DESC, METER_CONFIG and METER
//!   statistics (typed MULTIPART replies, parts joined by the crate's
//!   `Reassembler`) show exactly the installed state and the packet-outs'
//!   counters;
//! * bad requests (FLOW_MOD ADD to table 255, a flow using a group or a
//!   meter that does not exist, a GROUP_MOD ADD of an existing group) give
//!   ERRORs that decode to the right type/code names, with our request's
//!   xid and first bytes;
//! * `ovs-ofctl dump-flows/dump-groups/dump-meters` show exactly the
//!   intended state (match fields, `set_field:...->tun_dst`,
//!   `set_field:...->tun_id`, `output:N`, buckets, bands);
//! * every message we send is decoded by `ovs-ofctl ofp-print` without
//!   error; every message received re-encodes byte-identical;
//! * a dumpcap capture of the session (loopback, filtered on the port) holds
//!   exactly the bytes both sides exchanged, and tshark decodes every
//!   message the same as this crate (direction, type, xid, multipart type,
//!   error type/code; for FLOW_MOD table, priority, cookie and the number of
//!   match fields and instructions).
//!
//! Run (as root, for dumpcap on `lo`; needs openvswitch-switch and tshark):
//!
//! ```text
//! cargo test -p openflow-wire --test ovs_interop -- --ignored --test-threads=1
//! ```
//!
//! `WRITE_SAMPLE=path` also writes the checked capture there (the session
//! then uses port 6653, the IANA OpenFlow port, so tools decode it without
//! a "decode as"); see `samples/README.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use macaddr::MacAddr6;
use openflow_wire::action::{Action, ports};
use openflow_wire::builder::{TunnelFlow, TunnelKey, packet_out, vtep_flood_group};
use openflow_wire::header::OFP_VERSION_1_3;
use openflow_wire::message::{
    BadActionCode, ErrorKind, FlowMod, FlowModFailedCode, FlowStatsRequest, GroupDesc, GroupMod,
    GroupModFailedCode, HelloFailedCode, MeterBand, MeterConfig, MeterMod, MeterModFailedCode,
    MultipartReply, MultipartReplyBody as Reply, MultipartRequest, MultipartRequestBody as Request,
    OFP_NO_BUFFER, OFPM_ALL, Reassembler, mp_types, msg_types,
};
use openflow_wire::oxm::{Match, Oxm};
use openflow_wire::{Body, Frame, Framer, Hello, Instruction, Message, negotiate_version};
use testkit::{
    Capture, Daemon, Preflight, TempDir, free_tcp_port, pcapng_frames, run, run_status,
    tcp_port_filter, tcp_segment,
};

// ---------------------------------------------------------------------------
// The intended switch state
// ---------------------------------------------------------------------------

const DPID: u64 = 0x0000_00de_ad00_beef;
const VNI: u32 = 5000;
const FLOOD_GROUP: u32 = 1;
/// `OFPG_ALL`: every group, in a GROUP stats request.
const OFPG_ALL: u32 = 0xffff_fffc;
const METER: u32 = 1;
/// `OFPMF_KBPS | OFPMF_BURST | OFPMF_STATS`.
const METER_FLAGS: u16 = 0x1 | 0x4 | 0x8;
const METER_RATE_KBPS: u32 = 10_000;
const METER_BURST_KB: u32 = 2_000;
/// Dummy ports and the OpenFlow port numbers we ask OVS for.
const DUMMY_PORTS: [(&str, u32); 3] = [("p1", 1), ("p2", 2), ("p3", 3)];
const VXLAN_PORT_NAME: &str = "vxlan0";

const LOCAL_A: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0a];
const LOCAL_B: [u8; 6] = [0x02, 0, 0, 0, 0, 0x0b];
const REMOTE_1: [u8; 6] = [0x02, 0, 0, 0, 0x01, 0x01];
const REMOTE_2: [u8; 6] = [0x02, 0, 0, 0, 0x01, 0x02];
const BROADCAST: [u8; 6] = [0xff; 6];
const VTEP_1: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 11);
const VTEP_2: Ipv6Addr = Ipv6Addr::new(0xfd00, 5, 0, 0, 0, 0, 0, 0x12);
const FLOOD_VTEPS: [Ipv4Addr; 3] = [
    Ipv4Addr::new(192, 0, 2, 11),
    Ipv4Addr::new(192, 0, 2, 12),
    Ipv4Addr::new(192, 0, 2, 13),
];

/// Port numbers as OVS reports them.
#[derive(Debug, Clone, Copy)]
struct Ports {
    p1: u32,
    p2: u32,
    vxlan: u32,
}

/// The flows we install, each with what `ovs-ofctl --no-names dump-flows`
/// must print for it.
struct Intended {
    flow: FlowMod,
    ovs_match: BTreeSet<String>,
    ovs_actions: String,
}

fn mac_str(m: [u8; 6]) -> String {
    m.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn set_of(items: &[String]) -> BTreeSet<String> {
    items.iter().cloned().collect()
}

fn intended_flows(p: Ports) -> Vec<Intended> {
    let tun_id = format!("tun_id={VNI:#x}");
    let tunnel_actions = |dst: &str, field: &str| {
        format!(
            "set_field:{dst}->{field},set_field:{VNI:#x}->tun_id,output:{}",
            p.vxlan
        )
    };
    // Decap: tunnel_id + eth_dst -> local port (built by hand: the builder
    // only makes the encap direction).
    let decap = |cookie: u64, mac: [u8; 6], port: u32| Intended {
        flow: FlowMod {
            cookie,
            table_id: 0,
            priority: 200,
            r#match: Match::new()
                .with(Oxm::TunnelId(u64::from(VNI).into()))
                .with(Oxm::EthDst(MacAddr6::from(mac).into())),
            instructions: vec![Instruction::ApplyActions(vec![Action::output(port)])],
            ..FlowMod::default()
        },
        ovs_match: set_of(&[
            "priority=200".into(),
            tun_id.clone(),
            format!("dl_dst={}", mac_str(mac)),
        ]),
        ovs_actions: format!("output:{port}"),
    };
    let encap = |cookie: u64, in_port: u32, mac: [u8; 6], vtep: IpAddr| {
        let flow = TunnelFlow {
            key: TunnelKey::InPort(in_port),
            eth_dst: mac.into(),
            remote_vtep: vtep,
            vni: VNI,
            vxlan_port: p.vxlan,
            table_id: 0,
            priority: 100,
            cookie,
        }
        .flow_mod()
        .expect("tunnel flow");
        let field = if vtep.is_ipv4() {
            "tun_dst"
        } else {
            "tun_ipv6_dst"
        };
        Intended {
            flow,
            ovs_match: set_of(&[
                "priority=100".into(),
                format!("in_port={in_port}"),
                format!("dl_dst={}", mac_str(mac)),
            ]),
            ovs_actions: tunnel_actions(&vtep.to_string(), field),
        }
    };
    let bum = |cookie: u64, in_port: u32, local: u32, meter: bool| {
        let mut instructions = Vec::new();
        if meter {
            instructions.push(Instruction::Meter(METER));
        }
        instructions.push(Instruction::ApplyActions(vec![
            Action::Group(FLOOD_GROUP),
            Action::output(local),
        ]));
        Intended {
            flow: FlowMod {
                cookie,
                table_id: 0,
                priority: 50,
                r#match: Match::new()
                    .with(Oxm::InPort(in_port.into()))
                    .with(Oxm::EthDst(MacAddr6::from(BROADCAST).into())),
                instructions,
                ..FlowMod::default()
            },
            ovs_match: set_of(&[
                "priority=50".into(),
                format!("in_port={in_port}"),
                format!("dl_dst={}", mac_str(BROADCAST)),
            ]),
            ovs_actions: format!(
                "{}group:{FLOOD_GROUP},output:{local}",
                if meter {
                    format!("meter:{METER},")
                } else {
                    String::new()
                }
            ),
        }
    };
    vec![
        decap(0x11, LOCAL_A, p.p1),
        decap(0x12, LOCAL_B, p.p2),
        encap(0x21, p.p1, REMOTE_1, IpAddr::V4(VTEP_1)),
        encap(0x22, p.p2, REMOTE_2, IpAddr::V6(VTEP_2)),
        bum(0x31, p.p1, p.p2, false),
        bum(0x32, p.p2, p.p1, true),
    ]
}

fn flood_group(p: Ports) -> GroupMod {
    let vteps: Vec<IpAddr> = FLOOD_VTEPS.iter().map(|a| IpAddr::V4(*a)).collect();
    vtep_flood_group(FLOOD_GROUP, VNI, &vteps, p.vxlan).expect("flood group")
}

fn meter_mod() -> MeterMod {
    MeterMod {
        command: 0, // OFPMC_ADD
        flags: METER_FLAGS,
        meter_id: METER,
        bands: vec![MeterBand::Drop {
            rate: METER_RATE_KBPS,
            burst_size: METER_BURST_KB,
        }],
    }
}

/// A 60-byte Ethernet frame (an IPv4 EtherType with a zero payload).
fn frame(dst: [u8; 6], src: [u8; 6]) -> Vec<u8> {
    let mut f = Vec::with_capacity(60);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    f.extend_from_slice(&[0x08, 0x00]);
    f.resize(60, 0);
    f
}

// ---------------------------------------------------------------------------
// Preconditions and commands
// ---------------------------------------------------------------------------

const SCHEMA: &str = "/usr/share/openvswitch/vswitch.ovsschema";

/// Fails loudly (never skips) when the environment cannot run the test.
fn preflight() {
    Preflight::new("Open vSwitch interop test")
        .root("so dumpcap may capture on `lo`")
        .tools(&[
            ("ovsdb-tool", "openvswitch-common"),
            ("ovsdb-server", "openvswitch-switch"),
            ("ovs-vswitchd", "openvswitch-switch"),
            ("ovs-vsctl", "openvswitch-switch"),
            ("ovs-ofctl", "openvswitch-common"),
            ("ovs-appctl", "openvswitch-common"),
            ("dumpcap", "tshark (wireshark-common)"),
            ("tshark", "tshark"),
        ])
        .file(SCHEMA, "openvswitch-common")
        .check();
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------
// Our own ovsdb-server and ovs-vswitchd
// ---------------------------------------------------------------------------

/// An OVS daemon we started (in the foreground, so it is our child): asked
/// to exit through its unixctl socket on stop and drop, killed if it does
/// not.
struct OvsDaemon {
    daemon: Daemon,
    ctl: PathBuf,
}

impl OvsDaemon {
    /// Starts `cmd`; its stdout and stderr go to `dir/NAME.stderr`.
    fn spawn(name: &'static str, cmd: &mut Command, dir: &Path) -> OvsDaemon {
        OvsDaemon {
            daemon: Daemon::spawn(name, cmd, &dir.join(format!("{name}.stderr"))),
            ctl: dir.join(format!("{name}.ctl")),
        }
    }

    fn pid(&self) -> Option<u32> {
        self.daemon.pid()
    }

    /// Panics if the daemon has already exited.
    fn check_running(&mut self, dir: &Path) {
        let name = self.daemon.name().to_owned();
        assert!(self.daemon.pid().is_some(), "{name} not started");
        if let Some(status) = self.daemon.exited() {
            let log = std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default();
            let stderr =
                std::fs::read_to_string(dir.join(format!("{name}.stderr"))).unwrap_or_default();
            panic!("{name} exited ({status}):\n{stderr}\n{log}");
        }
    }

    fn stop(&mut self) {
        let ctl = &self.ctl;
        self.daemon.stop_with(|_| {
            let _ = Command::new("ovs-appctl")
                .arg("--timeout=5")
                .arg("-t")
                .arg(ctl)
                .arg("exit")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        });
    }
}

impl Drop for OvsDaemon {
    fn drop(&mut self) {
        self.stop();
    }
}

/// ovsdb-server + ovs-vswitchd (dummy datapath) with bridge `br0`: dummy
/// ports p1..p3, a flow-based VXLAN port, OpenFlow 1.3 only, fail-mode
/// secure (no flows but ours), listening for a controller on
/// `ptcp:port:127.0.0.1`. Field order is drop order: vswitchd stops first,
/// the directory goes last.
struct Ovs {
    vswitchd: OvsDaemon,
    ovsdb: OvsDaemon,
    port: u16,
    dir: TempDir,
}

impl Ovs {
    fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn env(cmd: &mut Command, dir: &Path) {
        for var in ["OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR", "OVS_SYSCONFDIR"] {
            cmd.env(var, dir);
        }
    }

    fn db_remote(dir: &Path) -> String {
        format!("unix:{}", dir.join("db.sock").display())
    }

    fn vsctl_cmd(dir: &Path) -> Command {
        let mut c = Command::new("ovs-vsctl");
        Ovs::env(&mut c, dir);
        c.arg(format!("--db={}", Ovs::db_remote(dir)))
            .arg("--timeout=20");
        c
    }

    fn vsctl(&self, args: &[&str]) -> String {
        run(Ovs::vsctl_cmd(self.dir()).args(args))
    }

    /// `ovs-ofctl -O OpenFlow13 --no-names ARGS` (br0 is found through
    /// `$OVS_RUNDIR/br0.mgmt`).
    fn ofctl(&self, args: &[&str]) -> String {
        let mut c = Command::new("ovs-ofctl");
        Ovs::env(&mut c, self.dir());
        run(c.args(["-O", "OpenFlow13", "--no-names"]).args(args))
    }

    fn start(port: u16) -> Ovs {
        // Short: unix socket paths must stay below 108 bytes.
        let dir = TempDir::new("ovs-of");
        let d = dir.path().to_owned();
        let db = d.join("conf.db");
        run(Command::new("ovsdb-tool")
            .arg("create")
            .arg(&db)
            .arg(SCHEMA));

        let mut cmd = Command::new("ovsdb-server");
        Ovs::env(&mut cmd, &d);
        cmd.arg(&db)
            .arg(format!("--remote=punix:{}", d.join("db.sock").display()))
            .arg(format!(
                "--unixctl={}",
                d.join("ovsdb-server.ctl").display()
            ))
            .arg(format!(
                "--pidfile={}",
                d.join("ovsdb-server.pid").display()
            ))
            .arg(format!(
                "--log-file={}",
                d.join("ovsdb-server.log").display()
            ))
            .arg("-vconsole:off");
        let mut ovsdb = OvsDaemon::spawn("ovsdb-server", &mut cmd, &d);

        // Ready once ovs-vsctl can initialise the database through the socket.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            ovsdb.check_running(&d);
            let ran = run_status(Ovs::vsctl_cmd(&d).args(["--no-wait", "init"]));
            if ran.success() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "ovsdb-server did not come up: {}",
                ran.stderr
            );
            thread::sleep(Duration::from_millis(50));
        }

        let mut cmd = Command::new("ovs-vswitchd");
        Ovs::env(&mut cmd, &d);
        cmd.arg(Ovs::db_remote(&d))
            .arg("--enable-dummy=override")
            .arg("--disable-system")
            .arg(format!(
                "--unixctl={}",
                d.join("ovs-vswitchd.ctl").display()
            ))
            .arg(format!(
                "--pidfile={}",
                d.join("ovs-vswitchd.pid").display()
            ))
            .arg(format!(
                "--log-file={}",
                d.join("ovs-vswitchd.log").display()
            ))
            .arg("-vconsole:off");
        let vswitchd = OvsDaemon::spawn("ovs-vswitchd", &mut cmd, &d);

        let mut ovs = Ovs {
            vswitchd,
            ovsdb,
            port,
            dir,
        };
        // Without --no-wait, ovs-vsctl returns once ovs-vswitchd has applied
        // the change (so the listener is bound).
        let mut script = format!(
            "add-br br0 -- set bridge br0 datapath_type=dummy protocols=OpenFlow13 \
             fail-mode=secure other-config:datapath-id={DPID:016x} \
             other-config:disable-in-band=true \
             -- add-port br0 {VXLAN_PORT_NAME} -- set interface {VXLAN_PORT_NAME} \
             type=vxlan options:remote_ip=flow options:key=flow"
        );
        for (name, number) in DUMMY_PORTS {
            script += &format!(
                " -- add-port br0 {name} -- set interface {name} type=dummy \
                 ofport_request={number}"
            );
        }
        script += &format!(" -- set-controller br0 ptcp:{port}:127.0.0.1");
        let args: Vec<&str> = script.split_whitespace().collect();
        ovs.vswitchd.check_running(ovs.dir.path());
        ovs.vsctl(&args);
        ovs.vswitchd.check_running(ovs.dir.path());
        ovs
    }

    fn connect(&mut self) -> TcpStream {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match TcpStream::connect(("127.0.0.1", self.port)) {
                Ok(s) => return s,
                Err(e) => {
                    self.vswitchd.check_running(self.dir.path());
                    assert!(
                        Instant::now() < deadline,
                        "bridge br0 does not listen on 127.0.0.1:{}: {e}",
                        self.port
                    );
                    thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }

    /// The OpenFlow port number OVS gave an interface.
    fn ofport(&self, name: &str) -> u32 {
        let out = self.vsctl(&["get", "Interface", name, "ofport"]);
        out.trim()
            .parse()
            .unwrap_or_else(|e| panic!("ofport of {name}: {out:?}: {e}"))
    }

    fn stop(mut self) {
        let pids: Vec<u32> = [self.vswitchd.pid(), self.ovsdb.pid()]
            .into_iter()
            .flatten()
            .collect();
        self.vswitchd.stop();
        self.ovsdb.stop();
        for pid in pids {
            assert!(
                !Path::new(&format!("/proc/{pid}")).exists(),
                "OVS daemon {pid} still exists after stop"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The test controller
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dir {
    ToSwitch,
    FromSwitch,
}

#[derive(Debug, Clone)]
struct Logged {
    dir: Dir,
    bytes: Vec<u8>,
    msg: Message,
}

struct Controller {
    stream: TcpStream,
    framer: Framer,
    log: Vec<Logged>,
    next_xid: u32,
    /// Messages from the switch that answered nothing we waited for.
    unsolicited: Vec<Message>,
    /// Deliberately bad requests that `ovs-ofctl ofp-print` itself rejects:
    /// xid -> the error name it prints.
    print_errors: BTreeMap<u32, &'static str>,
}

impl Controller {
    fn new(stream: TcpStream) -> Controller {
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("read timeout");
        stream.set_nodelay(true).expect("nodelay");
        Controller {
            stream,
            framer: Framer::new(),
            log: Vec::new(),
            next_xid: 0x100,
            unsolicited: Vec::new(),
            print_errors: BTreeMap::new(),
        }
    }

    fn send_msg(&mut self, msg: Message) {
        let bytes = msg.to_bytes().expect("encode");
        assert_eq!(bytes.len(), msg.encoded_len());
        self.stream.write_all(&bytes).expect("send to OVS");
        self.log.push(Logged {
            dir: Dir::ToSwitch,
            bytes,
            msg,
        });
    }

    /// Sends `body` with a fresh xid; returns the xid.
    fn send(&mut self, body: Body) -> u32 {
        let xid = self.next_xid;
        self.next_xid += 1;
        self.send_msg(Message::new(xid, body));
        xid
    }

    /// The next message from the switch; ECHO_REQUESTs are answered here.
    /// `None` when the switch closed the connection.
    fn recv_or_eof(&mut self) -> Option<Message> {
        loop {
            match self.framer.next_frame().expect("OVS's stream frames") {
                Frame::Message(bytes) => {
                    let msg = Message::decode(&bytes).unwrap_or_else(|e| {
                        panic!(
                            "our decoder rejects a message from OVS: {e}\n{}",
                            hex(&bytes)
                        )
                    });
                    assert_eq!(
                        msg.to_bytes().expect("re-encode"),
                        bytes,
                        "message from OVS does not re-encode byte-identical: {msg:?}"
                    );
                    // The borrowed view reads OVS's messages (its PACKET_INs
                    // and FLOW replies included) as the owned decoder does.
                    let view = openflow_wire::MessageRef::decode(&bytes)
                        .expect("the view of a message from OVS");
                    assert_eq!(view.to_message(), msg, "the view disagrees");
                    self.log.push(Logged {
                        dir: Dir::FromSwitch,
                        bytes,
                        msg: msg.clone(),
                    });
                    if let Body::EchoRequest(data) = &msg.body {
                        let reply = Message::new(msg.xid, Body::EchoReply(data.clone()));
                        self.send_msg(reply);
                        continue;
                    }
                    return Some(msg);
                }
                Frame::NeedMore(_) => {
                    let mut buf = [0u8; 65536];
                    match self.stream.read(&mut buf) {
                        Ok(0) => return None,
                        Ok(n) => self.framer.feed(&buf[..n]),
                        Err(e) if e.kind() == IoErrorKind::Interrupted => {}
                        Err(e) => panic!("reading from OVS: {e}"),
                    }
                }
            }
        }
    }

    fn recv(&mut self) -> Message {
        self.recv_or_eof().expect("OVS closed the connection")
    }

    /// Waits for the answer(s) to `xid`: one message, or every part of a
    /// multipart reply.
    fn answers(&mut self, xid: u32) -> Vec<Message> {
        let mut out = Vec::new();
        loop {
            let m = self.recv();
            if m.xid != xid {
                self.unsolicited.push(m);
                continue;
            }
            let more = matches!(&m.body, Body::MultipartReply(mp) if mp.more());
            out.push(m);
            if !more {
                return out;
            }
        }
    }

    fn request(&mut self, body: Body) -> Vec<Message> {
        let xid = self.send(body);
        self.answers(xid)
    }

    /// A multipart request; the reply, its parts joined by this crate's
    /// [`Reassembler`].
    fn multipart(&mut self, body: Request) -> Reply {
        let mp_type = body.mp_type();
        let answers = self.request(Body::MultipartRequest(MultipartRequest::new(body)));
        let mut reassembler = Reassembler::default();
        let mut whole = None;
        for m in answers {
            assert!(whole.is_none(), "a part after the last one");
            whole = reassembler.feed(m).expect("multipart parts join");
        }
        match whole.map(|m| m.body) {
            Some(Body::MultipartReply(MultipartReply { flags: 0, body })) => {
                assert_eq!(body.mp_type(), mp_type, "reply of another multipart type");
                body
            }
            other => panic!("multipart {mp_type} answered with {other:?}"),
        }
    }

    /// Sends a BARRIER_REQUEST and waits for its reply; panics if any
    /// ERROR arrives before it.
    fn barrier(&mut self) {
        let xid = self.send(Body::BarrierRequest);
        loop {
            let m = self.recv();
            match &m.body {
                Body::BarrierReply if m.xid == xid => return,
                Body::Error(e) => panic!(
                    "OVS rejected request xid {:#x} with {:?}: {}",
                    m.xid,
                    e.kind,
                    self.describe_xid(m.xid)
                ),
                _ => self.unsolicited.push(m),
            }
        }
    }

    fn describe_xid(&self, xid: u32) -> String {
        self.log
            .iter()
            .find(|l| l.dir == Dir::ToSwitch && l.msg.xid == xid)
            .map(|l| format!("{:?}", l.msg))
            .unwrap_or_else(|| "unknown request".into())
    }

    fn sent(&self, xid: u32) -> &[u8] {
        &self
            .log
            .iter()
            .find(|l| l.dir == Dir::ToSwitch && l.msg.xid == xid)
            .expect("sent message")
            .bytes
    }
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes(b[at..at + 2].try_into().expect("2 bytes"))
}

// ---------------------------------------------------------------------------
// ovs-ofctl's view
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct OvsFlow {
    cookie: u64,
    table: u8,
    n_packets: u64,
    /// Match fields and priority as `key=value`.
    matches: BTreeSet<String>,
    actions: String,
}

fn parse_hex_u64(s: &str) -> u64 {
    u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn parse_dump_flows(text: &str) -> Vec<OvsFlow> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with("OFPST_FLOW reply") {
            continue;
        }
        let (left, actions) = line
            .split_once(" actions=")
            .unwrap_or_else(|| panic!("dump-flows line without actions: {line}"));
        let mut flow = OvsFlow {
            cookie: 0,
            table: 0,
            n_packets: 0,
            matches: BTreeSet::new(),
            actions: actions.to_owned(),
        };
        for tok in left.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (k, v) = tok.split_once('=').unwrap_or((tok, ""));
            match k {
                "cookie" => flow.cookie = parse_hex_u64(v),
                "table" => flow.table = v.parse().expect("table"),
                "n_packets" => flow.n_packets = v.parse().expect("n_packets"),
                "duration" | "n_bytes" | "idle_age" | "hard_age" => {}
                _ => {
                    flow.matches.insert(tok.to_owned());
                }
            }
        }
        out.push(flow);
    }
    out
}

/// `group_id=N,type=T,bucket=actions=...,bucket=actions=...` lines.
fn parse_dump_groups(text: &str) -> BTreeMap<u32, (String, Vec<String>)> {
    let mut out = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("group_id=") else {
            continue;
        };
        let mut parts = rest.split(",bucket=");
        let head = parts.next().expect("head");
        let (id, ty) = head.split_once(",type=").expect("group type");
        let buckets = parts
            .map(|b| b.strip_prefix("actions=").unwrap_or(b).to_owned())
            .collect();
        out.insert(id.parse().expect("group id"), (ty.to_owned(), buckets));
    }
    out
}

fn squash_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The name `ovs-ofctl ofp-print` gives a message we send.
fn ovs_type_name(msg: &Message) -> String {
    use msg_types::*;
    let t = msg.body.msg_type();
    let name = match t {
        HELLO => "OFPT_HELLO",
        ECHO_REPLY => "OFPT_ECHO_REPLY",
        FEATURES_REQUEST => "OFPT_FEATURES_REQUEST",
        PACKET_OUT => "OFPT_PACKET_OUT",
        FLOW_MOD => "OFPT_FLOW_MOD",
        GROUP_MOD => "OFPT_GROUP_MOD",
        METER_MOD => "OFPT_METER_MOD",
        BARRIER_REQUEST => "OFPT_BARRIER_REQUEST",
        GET_ASYNC_REQUEST => "OFPT_GET_ASYNC_REQUEST",
        SET_ASYNC => "OFPT_SET_ASYNC",
        MULTIPART_REQUEST => {
            let Body::MultipartRequest(m) = &msg.body else {
                unreachable!()
            };
            match m.body.mp_type() {
                mp_types::FLOW => "OFPST_FLOW request",
                mp_types::PORT_STATS => "OFPST_PORT request",
                mp_types::GROUP => "OFPST_GROUP request",
                mp_types::GROUP_DESC => "OFPST_GROUP_DESC request",
                mp_types::METER => "OFPST_METER request",
                mp_types::METER_CONFIG => "OFPST_METER_CONFIG request",
                mp_types::PORT_DESC => "OFPST_PORT_DESC request",
                other => panic!("no ofp-print name for multipart type {other}"),
            }
        }
        other => panic!("no ofp-print name for message type {other}"),
    };
    name.to_owned()
}

/// `ovs-ofctl ofp-print` decodes `bytes` cleanly (or, for a deliberately
/// bad request, fails with exactly `print_error`), names the message type
/// and the xid; returns its text.
fn ofp_print(msg: &Message, bytes: &[u8], print_error: Option<&str>) -> String {
    let ran = run_status(Command::new("ovs-ofctl").args(["ofp-print", &hex(bytes)]));
    let (ok, out, err) = (ran.success(), ran.stdout, ran.stderr);
    let what = format!(
        "ovs-ofctl ofp-print of our {msg:?}\n{}\nstdout: {out}\nstderr: {err}",
        hex(bytes)
    );
    assert!(ok, "failed: {what}");
    match print_error {
        None => assert!(
            !out.contains("***") && !out.to_ascii_lowercase().contains("error"),
            "decode error in {what}"
        ),
        Some(name) => assert!(
            out.lines()
                .next()
                .unwrap_or_default()
                .ends_with(&format!("***decode error: {name}***")),
            "expected exactly the decode error {name} in {what}"
        ),
    }
    assert!(err.trim().is_empty(), "warnings in {what}");
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&ovs_type_name(msg)) && first.contains("(OF1.3)"),
        "type name {} missing in {what}",
        ovs_type_name(msg)
    );
    assert!(
        first.contains(&format!("(xid={:#x})", msg.xid)),
        "xid missing in {what}"
    );
    out
}

// ---------------------------------------------------------------------------
// The capture and tshark's view
// ---------------------------------------------------------------------------

/// The two directions of the one controller connection in a capture, as
/// byte streams (TCP reassembled by sequence number).
fn tcp_streams(capture: &[u8], port: u16) -> BTreeMap<Dir, Vec<u8>> {
    let mut next_seq: BTreeMap<Dir, u32> = BTreeMap::new();
    let mut streams: BTreeMap<Dir, Vec<u8>> = BTreeMap::new();
    let mut peer_port = None;
    for data in pcapng_frames(capture) {
        // Ethernet (zero MACs on lo) / IPv4 / TCP.
        let segment = tcp_segment(&data).unwrap_or_else(|| panic!("not IPv4/TCP: {}", hex(&data)));
        let (src, dst) = (segment.src.port(), segment.dst.port());
        let (seq, payload) = (segment.seq, segment.payload);
        let (dir, other) = if src == port {
            (Dir::FromSwitch, dst)
        } else {
            assert_eq!(dst, port, "segment of another connection");
            (Dir::ToSwitch, src)
        };
        assert_eq!(
            *peer_port.get_or_insert(other),
            other,
            "more than one controller connection in the capture"
        );
        if segment.syn() {
            next_seq.insert(dir, seq.wrapping_add(1));
            continue;
        }
        let next = next_seq
            .get_mut(&dir)
            .expect("capture starts before the connection (SYN seen)");
        let stream = streams.entry(dir).or_default();
        // Skip bytes already seen (retransmissions); a gap is a lost frame.
        let behind = next.wrapping_sub(seq) as usize;
        assert!(
            behind <= payload.len() || payload.is_empty(),
            "capture lost TCP data ({dir:?}: expected seq {next}, got {seq})"
        );
        if behind < payload.len() {
            stream.extend_from_slice(&payload[behind..]);
            *next = next.wrapping_add((payload.len() - behind) as u32);
        }
    }
    streams
}

/// What tshark and we both say about one message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Summary {
    dir: Dir,
    msg_type: u8,
    xid: u32,
    /// Multipart type, or the error type and code.
    sub: Option<(u16, u16)>,
    /// FLOW_MOD: table, priority, cookie, match fields, instructions.
    flow_mod: Option<(u8, u16, u64, usize, usize)>,
}

fn our_summary(dir: Dir, m: &Message) -> Summary {
    Summary {
        dir,
        msg_type: m.body.msg_type(),
        xid: m.xid,
        sub: match &m.body {
            Body::MultipartRequest(mp) => Some((mp.body.mp_type(), 0)),
            Body::MultipartReply(mp) => Some((mp.body.mp_type(), 0)),
            Body::Error(e) => Some((e.kind.err_type(), e.kind.code())),
            _ => None,
        },
        flow_mod: match &m.body {
            Body::FlowMod(f) => Some((
                f.table_id,
                f.priority,
                f.cookie,
                f.r#match.fields.len(),
                f.instructions.len(),
            )),
            _ => None,
        },
    }
}

/// One JSON value or an array of them (tshark's `--no-duplicate-keys`
/// merges repeated keys into arrays) as a list.
fn as_list(v: Option<&serde_json::Value>) -> Vec<&serde_json::Value> {
    match v {
        None => Vec::new(),
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        Some(other) => vec![other],
    }
}

fn json_num(v: &serde_json::Value, key: &str) -> u64 {
    let s = v
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_else(|| panic!("tshark gives no {key} in {v}"));
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse(),
    }
    .unwrap_or_else(|e| panic!("{key}={s}: {e}"))
}

fn tshark_view(file: &Path, port: u16) -> Vec<Summary> {
    let out = run(Command::new("tshark")
        .arg("-r")
        .arg(file)
        .args(["-d", &format!("tcp.port=={port},openflow")])
        .args(["-o", "tcp.desegment_tcp_streams:TRUE"])
        .args(["-T", "json", "--no-duplicate-keys", "-J", "tcp openflow_v4"]));
    assert!(
        !out.contains("_ws.malformed"),
        "tshark finds malformed packets:\n{out}"
    );
    let packets: serde_json::Value = serde_json::from_str(&out).expect("tshark JSON");
    let mut view = Vec::new();
    for p in packets.as_array().expect("packet list") {
        let layers = &p["_source"]["layers"];
        let msgs = as_list(layers.get("openflow_v4"));
        if msgs.is_empty() {
            continue;
        }
        let dir = if json_num(&layers["tcp"], "tcp.srcport") == u64::from(port) {
            Dir::FromSwitch
        } else {
            Dir::ToSwitch
        };
        for m in msgs {
            let msg_type = json_num(m, "openflow_v4.type") as u8;
            let sub = match msg_type {
                msg_types::MULTIPART_REQUEST => {
                    Some((json_num(m, "openflow_v4.multipart_request.type") as u16, 0))
                }
                msg_types::MULTIPART_REPLY => {
                    Some((json_num(m, "openflow_v4.multipart_reply.type") as u16, 0))
                }
                msg_types::ERROR => Some((
                    json_num(m, "openflow_v4.error.type") as u16,
                    json_num(m, "openflow_v4.error.code") as u16,
                )),
                _ => None,
            };
            let flow_mod = (msg_type == msg_types::FLOW_MOD).then(|| {
                (
                    json_num(m, "openflow_v4.flowmod.table_id") as u8,
                    json_num(m, "openflow_v4.flowmod.priority") as u16,
                    json_num(m, "openflow_v4.flowmod.cookie"),
                    as_list(m["Match"].get("OXM field")).len(),
                    as_list(m.get("Instruction")).len(),
                )
            });
            view.push(Summary {
                dir,
                msg_type,
                xid: json_num(m, "openflow_v4.xid") as u32,
                sub,
                flow_mod,
            });
        }
    }
    view
}

/// Checks the capture against the session log and tshark against us.
fn check_capture(file: &Path, capture: &[u8], port: u16, log: &[Logged]) -> usize {
    let streams = tcp_streams(capture, port);
    let mut ours = Vec::new();
    for dir in [Dir::ToSwitch, Dir::FromSwitch] {
        let expected: Vec<u8> = log
            .iter()
            .filter(|l| l.dir == dir)
            .flat_map(|l| l.bytes.iter().copied())
            .collect();
        let got = streams.get(&dir).cloned().unwrap_or_default();
        assert_eq!(
            got.len(),
            expected.len(),
            "{dir:?}: the capture holds {} bytes, the session {}",
            got.len(),
            expected.len()
        );
        assert!(
            got == expected,
            "{dir:?}: captured bytes differ from the session's"
        );
        // Our decode of the captured stream.
        let mut framer = Framer::new();
        framer.feed(&got);
        while let Frame::Message(bytes) = framer.next_frame().expect("captured stream frames") {
            let m = Message::decode(&bytes).expect("captured message decodes");
            ours.push(our_summary(dir, &m));
        }
        assert_eq!(
            framer.buffered(),
            0,
            "{dir:?}: a partial message at the end"
        );
    }
    let theirs = tshark_view(file, port);
    let sort = |v: &mut Vec<Summary>| v.sort_by_key(|s| s.dir); // stable: keeps order per direction
    let mut theirs_sorted = theirs.clone();
    sort(&mut theirs_sorted);
    assert_eq!(
        theirs_sorted.len(),
        ours.len(),
        "tshark sees {} OpenFlow messages, we {}",
        theirs_sorted.len(),
        ours.len()
    );
    for (t, o) in theirs_sorted.iter().zip(&ours) {
        assert_eq!(t, o, "tshark and openflow-wire disagree");
    }
    ours.len()
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

/// Sends a bad request; OVS must answer with ERROR `want`. `print_error`:
/// the error `ovs-ofctl ofp-print` already finds in the request itself.
fn expect_error(
    c: &mut Controller,
    body: Body,
    want: ErrorKind,
    print_error: Option<&'static str>,
) {
    let xid = c.send(body);
    if let Some(name) = print_error {
        c.print_errors.insert(xid, name);
    }
    let answers = c.answers(xid);
    assert_eq!(answers.len(), 1);
    let Body::Error(e) = &answers[0].body else {
        panic!(
            "expected {want:?} for xid {xid:#x}, got {:?}",
            answers[0].body
        )
    };
    assert_eq!(e.kind, want, "for {}", c.describe_xid(xid));
    // The ERROR carries (at least the first 64 bytes of) our request.
    let sent = c.sent(xid);
    assert!(
        e.data.len() >= sent.len().min(64) && sent.starts_with(&e.data),
        "ERROR data is not our request's start:\n  sent {}\n  data {}",
        hex(sent),
        hex(&e.data)
    );
    // A barrier after it: nothing else failed, the connection stays up.
    c.barrier();
}

/// OVS refuses a HELLO offering only OpenFlow 1.0 (the bridge speaks 1.3
/// only), and negotiate_version agrees there is no common version.
fn incompatible_hello(ovs: &mut Ovs) {
    let mut c = Controller::new(ovs.connect());
    let ours = Hello::with_versions(&[1]);
    c.send_msg(Message {
        version: 1,
        xid: 1,
        body: Body::Hello(ours.clone()),
    });
    let theirs = c.recv();
    let Body::Hello(their_hello) = &theirs.body else {
        panic!("OVS did not start with HELLO: {theirs:?}")
    };
    assert_eq!(
        negotiate_version(1, &ours, theirs.version, their_hello),
        None
    );
    // OVS then says why, in a version-1 ERROR (kept raw by this crate: not
    // 1.3), and closes.
    let err = c.recv();
    let Body::Raw { msg_type, data } = &err.body else {
        panic!("expected a raw (OpenFlow 1.0) ERROR, got {err:?}")
    };
    assert_eq!((err.version, *msg_type), (1, msg_types::ERROR));
    let kind = ErrorKind::from_type_code(be16(data, 0), be16(data, 2));
    assert_eq!(kind, ErrorKind::HelloFailed(HelloFailedCode::Incompatible));
    let text = String::from_utf8_lossy(&data[4..]);
    assert!(text.contains("version"), "HELLO_FAILED text: {text}");
    assert!(c.recv_or_eof().is_none(), "OVS keeps the connection open");
}

/// The whole controller session; returns the controller (with its log)
/// and the flows it installed.
fn session(ovs: &mut Ovs) -> (Controller, Vec<Intended>) {
    let mut c = Controller::new(ovs.connect());

    // HELLO: we offer 1.0 and 1.3 with a bitmap, OVS (protocols=OpenFlow13)
    // offers 1.3 only.
    let ours = Hello::with_versions(&[1, OFP_VERSION_1_3]);
    c.send(Body::Hello(ours.clone()));
    let theirs = c.recv();
    let Body::Hello(their_hello) = &theirs.body else {
        panic!("OVS did not start with HELLO: {theirs:?}")
    };
    assert_eq!(their_hello.versions(), Some(vec![OFP_VERSION_1_3]));
    assert_eq!(
        negotiate_version(OFP_VERSION_1_3, &ours, theirs.version, their_hello),
        Some(OFP_VERSION_1_3)
    );

    // FEATURES.
    let answers = c.request(Body::FeaturesRequest);
    let Body::FeaturesReply(features) = &answers[0].body else {
        panic!("expected FEATURES_REPLY, got {answers:?}")
    };
    assert_eq!(features.datapath_id, DPID);
    assert!(features.n_tables >= 1);

    // PORT_DESC: every port, numbered as ovs-vsctl says.
    let Reply::PortDesc(descs) = c.multipart(Request::PortDesc) else {
        panic!("PORT_DESC reply expected")
    };
    let by_name: BTreeMap<&str, u32> = descs
        .iter()
        .map(|d| (d.name_str().expect("UTF-8 port name"), d.port_no))
        .collect();
    let mut names: Vec<&str> = by_name.keys().copied().collect();
    names.sort_unstable();
    assert_eq!(names, ["br0", "p1", "p2", "p3", VXLAN_PORT_NAME]);
    assert_eq!(by_name["br0"], ports::LOCAL);
    for (name, number) in DUMMY_PORTS {
        assert_eq!(by_name[name], number, "{name}");
        assert_eq!(ovs.ofport(name), number, "{name}");
    }
    let p = Ports {
        p1: by_name["p1"],
        p2: by_name["p2"],
        vxlan: by_name[VXLAN_PORT_NAME],
    };
    assert_eq!(p.vxlan, ovs.ofport(VXLAN_PORT_NAME));

    // The state: meter, flood group, flows, then a barrier (which fails on
    // any ERROR before it).
    c.send(Body::MeterMod(meter_mod()));
    c.send(Body::GroupMod(flood_group(p)));
    let intended = intended_flows(p);
    for f in &intended {
        c.send(Body::FlowMod(f.flow.clone()));
    }
    c.barrier();

    // Packet-outs: one straight to p1, one through the table (matching
    // the encap flow for REMOTE_1 from p1).
    c.send(Body::PacketOut(packet_out(
        frame(LOCAL_A, LOCAL_B),
        None,
        vec![Action::output(p.p1)],
    )));
    c.send(Body::PacketOut(packet_out(
        frame(REMOTE_1, LOCAL_A),
        Some(p.p1),
        vec![Action::output(ports::TABLE)],
    )));
    c.barrier();

    // Bad requests and the errors OVS answers with.
    let mut bad = intended[0].flow.clone();
    bad.table_id = 0xff;
    expect_error(
        &mut c,
        Body::FlowMod(bad),
        ErrorKind::FlowModFailed(FlowModFailedCode::BadTableId),
        Some("OFPFMFC_BAD_TABLE_ID"),
    );
    let mut bad = intended[4].flow.clone();
    bad.cookie = 0xbad;
    bad.instructions = vec![Instruction::ApplyActions(vec![Action::Group(99)])];
    expect_error(
        &mut c,
        Body::FlowMod(bad),
        ErrorKind::BadAction(BadActionCode::BadOutGroup),
        None,
    );
    let mut bad = intended[5].flow.clone();
    bad.cookie = 0xbad;
    bad.instructions[0] = Instruction::Meter(77);
    // OVS answers a flow using an undefined meter with INVALID_METER
    // (ofproto.c, `ofproto_check_ofpacts`), not UNKNOWN_METER (which the
    // spec describes for METER_MOD MODIFY of a missing meter).
    expect_error(
        &mut c,
        Body::FlowMod(bad),
        ErrorKind::MeterModFailed(MeterModFailedCode::InvalidMeter),
        None,
    );
    expect_error(
        &mut c,
        Body::GroupMod(flood_group(p)),
        ErrorKind::GroupModFailed(GroupModFailedCode::GroupExists),
        None,
    );

    // Statistics.
    let Reply::Flow(mut stats) = c.multipart(Request::Flow(FlowStatsRequest::default())) else {
        panic!("FLOW reply expected")
    };
    stats.sort_by_key(|s| s.cookie);
    assert_eq!(
        stats.iter().map(|s| s.cookie).collect::<Vec<_>>(),
        intended.iter().map(|f| f.flow.cookie).collect::<Vec<_>>(),
        "OVS has other flows than ours"
    );
    for (s, f) in stats.iter().zip(&intended) {
        let f = &f.flow;
        assert_eq!((s.table_id, s.priority), (f.table_id, f.priority));
        assert_eq!((s.idle_timeout, s.hard_timeout, s.flags), (0, 0, 0));
        // OVS orders match fields its own way: compare as sets.
        let key = |m: &Match| {
            let mut v: Vec<Vec<u8>> = m
                .fields
                .iter()
                .map(|o| o.to_bytes().expect("oxm"))
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            key(&s.r#match),
            key(&f.r#match),
            "match of cookie {:#x}",
            f.cookie
        );
        assert_eq!(
            s.instructions, f.instructions,
            "instructions of cookie {:#x}",
            f.cookie
        );
        // Only the encap flow for REMOTE_1 saw a packet (the packet-out
        // through the table), a 60-byte one.
        let hit = f.cookie == 0x21;
        assert_eq!(
            (s.packet_count, s.byte_count),
            (u64::from(hit), 60 * u64::from(hit)),
            "counters of cookie {:#x}",
            f.cookie
        );
    }

    let Reply::PortStats(port_stats) = c.multipart(Request::PortStats {
        port_no: ports::ANY,
    }) else {
        panic!("PORT_STATS reply expected")
    };
    let tx: BTreeMap<u32, (u64, u64)> = port_stats
        .iter()
        .map(|s| (s.port_no, (s.tx_packets, s.tx_bytes)))
        .collect();
    assert_eq!(
        tx.keys().copied().collect::<BTreeSet<_>>(),
        descs.iter().map(|d| d.port_no).collect::<BTreeSet<_>>(),
        "port stats cover other ports than PORT_DESC"
    );
    assert_eq!(tx[&p.p1], (1, 60), "the packet-out to p1");
    assert_eq!(tx[&p.p2], (0, 0));

    let Reply::GroupDesc(groups) = c.multipart(Request::GroupDesc) else {
        panic!("GROUP_DESC reply expected")
    };
    let g = flood_group(p);
    assert_eq!(
        groups,
        [GroupDesc {
            group_type: g.group_type,
            group_id: g.group_id,
            buckets: g.buckets.clone(),
        }]
    );
    let Reply::Group(gstats) = c.multipart(Request::Group { group_id: OFPG_ALL }) else {
        panic!("GROUP reply expected")
    };
    // Referenced by the two BUM flows; one counter per bucket.
    assert_eq!(gstats.len(), 1);
    assert_eq!(
        (
            gstats[0].group_id,
            gstats[0].ref_count,
            gstats[0].bucket_stats.len()
        ),
        (FLOOD_GROUP, 2, FLOOD_VTEPS.len())
    );

    let Reply::MeterConfig(meters) = c.multipart(Request::MeterConfig { meter_id: OFPM_ALL })
    else {
        panic!("METER_CONFIG reply expected")
    };
    let m = meter_mod();
    assert_eq!(
        meters,
        [MeterConfig {
            flags: m.flags,
            meter_id: m.meter_id,
            bands: m.bands,
        }]
    );
    let Reply::Meter(mstats) = c.multipart(Request::Meter { meter_id: OFPM_ALL }) else {
        panic!("METER reply expected")
    };
    // Used by one flow; one counter per band.
    assert_eq!(mstats.len(), 1);
    assert_eq!(
        (
            mstats[0].meter_id,
            mstats[0].flow_count,
            mstats[0].band_stats.len()
        ),
        (METER, 1, 1)
    );

    // A packet-out to the controller comes back as a PACKET_IN (xid 0),
    // read by the owned decoder and the borrowed view alike (recv checks
    // that they agree).
    // The bridge's ptcp listener makes ours a "service" connection, to
    // which OVS sends no PACKET_IN until the controller asks for them:
    // GET_ASYNC, then SET_ASYNC with OFPR_ACTION added for the master and
    // equal roles.
    let answers = c.request(Body::GetAsyncRequest);
    let Body::GetAsyncReply(mut async_config) = answers[0].body else {
        panic!("GET_ASYNC answered with {:?}", answers[0])
    };
    async_config.packet_in_mask[0] |= 1 << 1;
    c.send(Body::SetAsync(async_config));
    c.barrier();
    let answers = c.request(Body::GetAsyncRequest);
    assert_eq!(
        answers[0].body,
        Body::GetAsyncReply(async_config),
        "SET_ASYNC took"
    );
    let sent = frame(LOCAL_B, REMOTE_1);
    c.send(Body::PacketOut(packet_out(
        sent.clone(),
        Some(p.p2),
        vec![Action::Output {
            port: ports::CONTROLLER,
            max_len: 0xffff,
        }],
    )));
    c.barrier();
    let deadline = Instant::now() + Duration::from_secs(10);
    let packet_in = loop {
        assert!(
            Instant::now() < deadline,
            "no PACKET_IN from OVS within 10 s"
        );
        if let Some(i) = c
            .unsolicited
            .iter()
            .position(|m| matches!(m.body, Body::PacketIn(_)))
        {
            break c.unsolicited.remove(i);
        }
        let m = c.recv();
        c.unsolicited.push(m);
    };
    let Body::PacketIn(pi) = &packet_in.body else {
        unreachable!()
    };
    assert_eq!(pi.data, sent, "the frame of the PACKET_IN");
    assert_eq!(usize::from(pi.total_len), sent.len());
    assert_eq!(pi.buffer_id, OFP_NO_BUFFER);
    assert_eq!(pi.r#match.get(0x8000, 0), Some(&Oxm::InPort(p.p2.into())));
    assert_eq!(pi.reason, 1, "OFPR_ACTION");
    let bytes = packet_in.to_bytes().expect("re-encode");
    let openflow_wire::view::BodyRef::PacketIn(view) = openflow_wire::MessageRef::decode(&bytes)
        .expect("view")
        .body
    else {
        panic!("not a PACKET_IN view")
    };
    assert_eq!(view.data, &sent[..]);
    assert_eq!(view.r#match.get(0x8000, 0), Some(Oxm::InPort(p.p2.into())));

    // What the switch sent on its own (e.g. PORT_STATUS) must not be an error.
    for m in &c.unsolicited {
        assert!(!matches!(m.body, Body::Error(_)), "unexpected {m:?}");
    }
    check_ofctl(ovs, p, &intended);
    (c, intended)
}

/// `ovs-ofctl dump-flows/dump-groups/dump-meters` show exactly our state.
fn check_ofctl(ovs: &Ovs, p: Ports, intended: &[Intended]) {
    let mut flows = parse_dump_flows(&ovs.ofctl(&["dump-flows", "br0"]));
    flows.sort_by_key(|f| f.cookie);
    assert_eq!(flows.len(), intended.len(), "dump-flows: {flows:#?}");
    for (got, want) in flows.iter().zip(intended) {
        assert_eq!(got.cookie, want.flow.cookie);
        assert_eq!(got.table, want.flow.table_id);
        assert_eq!(
            got.matches, want.ovs_match,
            "match of cookie {:#x}",
            got.cookie
        );
        assert_eq!(
            got.actions, want.ovs_actions,
            "actions of cookie {:#x}",
            got.cookie
        );
        assert_eq!(got.n_packets, u64::from(got.cookie == 0x21));
    }

    let groups = parse_dump_groups(&ovs.ofctl(&["dump-groups", "br0"]));
    let buckets: Vec<String> = FLOOD_VTEPS
        .iter()
        .map(|v| {
            format!(
                "set_field:{v}->tun_dst,set_field:{VNI:#x}->tun_id,output:{}",
                p.vxlan
            )
        })
        .collect();
    assert_eq!(
        groups,
        BTreeMap::from([(FLOOD_GROUP, ("all".to_owned(), buckets))])
    );

    let meters = ovs.ofctl(&["dump-meters", "br0"]);
    let body = meters
        .split_once('\n')
        .map(|(head, rest)| {
            assert!(head.starts_with("OFPST_METER_CONFIG reply"), "{meters}");
            rest
        })
        .unwrap_or_default();
    assert_eq!(
        squash_ws(body),
        format!(
            "meter={METER} kbps burst stats bands= type=drop rate={METER_RATE_KBPS} burst_size={METER_BURST_KB}"
        )
    );
}

/// Every message we sent is decoded by `ovs-ofctl ofp-print`, FLOW_MODs
/// with the actions dump-flows shows.
fn check_ofp_print(
    log: &[Logged],
    intended: &[Intended],
    print_errors: &BTreeMap<u32, &'static str>,
) -> usize {
    let mut n = 0;
    for l in log.iter().filter(|l| l.dir == Dir::ToSwitch) {
        let text = ofp_print(&l.msg, &l.bytes, print_errors.get(&l.msg.xid).copied());
        if let Body::FlowMod(f) = &l.msg.body
            && let Some(want) = intended.iter().find(|i| i.flow == *f)
        {
            assert!(
                text.contains(&format!("actions={}", want.ovs_actions)),
                "ofp-print shows other actions: {text}"
            );
        }
        n += 1;
    }
    n
}

#[test]
#[ignore = "needs openvswitch-switch, tshark; run by .ci/run"]
fn ovs_accepts_our_messages_and_agrees_on_state() {
    preflight();
    let sample = std::env::var_os("WRITE_SAMPLE").map(PathBuf::from);
    // The sample uses the IANA OpenFlow port so that tools decode it as is.
    let port = if sample.is_some() {
        6653
    } else {
        free_tcp_port(Ipv4Addr::LOCALHOST)
    };
    let mut ovs = Ovs::start(port);

    incompatible_hello(&mut ovs);

    let cap_path = ovs.dir().join("session.pcapng");
    let capture = Capture::start(None, "lo", Some(&tcp_port_filter(&[port])), &cap_path);
    let (mut c, intended) = session(&mut ovs);
    // Close our side and read until OVS closes its side, so the capture
    // ends with both FINs.
    c.stream.shutdown(Shutdown::Write).expect("shutdown");
    while let Some(m) = c.recv_or_eof() {
        assert!(!matches!(m.body, Body::Error(_)), "unexpected {m:?}");
    }
    let log = std::mem::take(&mut c.log);
    let print_errors = std::mem::take(&mut c.print_errors);
    drop(c);
    let bytes = capture.stop();

    let n_sent = check_ofp_print(&log, &intended, &print_errors);
    let n = check_capture(&cap_path, &bytes, port, &log);
    eprintln!(
        "OVS session: {n} OpenFlow messages ({n_sent} sent) agree with tshark; capture {} bytes",
        bytes.len()
    );

    if let Some(path) = sample {
        assert!(
            bytes.len() < 40 * 1024,
            "capture is {} bytes, more than 40 KB",
            bytes.len()
        );
        std::fs::write(&path, &bytes)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("wrote {}", path.display());
    }
    ovs.stop();
}
