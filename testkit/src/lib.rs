//! Test-only support for the workspace's interop tests against real
//! implementations: `vxlan-wire/tests/kernel_interop.rs` (Linux kernel
//! VXLAN in network namespaces), `bgp-evpn-wire/tests/gobgp_interop.rs`
//! (GoBGP) and `frr_interop.rs` (FRR), `evpn-rib/tests/migration_interop.rs`
//! (three RIBs migrating VMs through FRR and GoBGP) and
//! `openflow-wire/tests/ovs_interop.rs` (Open vSwitch).
//!
//! It is not published and nothing but those tests (as a dev-dependency)
//! may depend on it. It holds the machinery they share, in one version:
//!
//! * [`Preflight`]: fail loudly (never skip) when a tool is missing or the
//!   test is not root;
//! * [`run`], [`run_status`], [`command`] (optionally inside a network
//!   namespace), [`signal`] and [`reap`]: running commands and child
//!   processes;
//! * [`Daemon`]: a long-running child that is stopped on drop, also when a
//!   test fails;
//! * [`Capture`]: dumpcap, started and stopped so that the file is complete;
//! * [`pcapng_frames`] and [`tcp_segment`]: reading what dumpcap wrote;
//! * [`TempDir`], [`free_tcp_port`] and [`unique_id`]: scratch space, ports
//!   and names;
//! * [`bgp`]: a BGP speaker built on `bgp-evpn-wire`, and FRR `bgpd` run
//!   without zebra.
//!
//! Everything here panics with a precise message instead of returning
//! errors: it is meant for tests only.

pub mod bgp;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Preconditions
// ---------------------------------------------------------------------------

/// The full path of `tool` if it is a file in one of the `PATH` directories.
pub fn find_in_path(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}

/// This process's effective user id, from `/proc/self/status`.
pub fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|rest| rest.split_whitespace().nth(1))
        .and_then(|euid| euid.parse().ok())
}

/// What an interop test needs from its environment, checked all at once so
/// that one run lists every problem. [`Preflight::check`] fails the test
/// (it never skips it) when anything is missing.
#[derive(Debug)]
#[must_use = "nothing is checked before `check`"]
pub struct Preflight {
    what: String,
    problems: Vec<String>,
    note: String,
}

impl Preflight {
    /// Starts the checks for `what` (named in the failure message, e.g.
    /// "GoBGP interop test").
    pub fn new(what: &str) -> Preflight {
        Preflight {
            what: what.to_owned(),
            problems: Vec::new(),
            note: "These tests are #[ignore]d for that reason; CI runs them via `.ci/run`."
                .to_owned(),
        }
    }

    /// Requires an effective uid of 0; `why` completes "must run as root
    /// (effective uid is N) ...", e.g. "to create network namespaces".
    pub fn root(mut self, why: &str) -> Preflight {
        let euid = effective_uid();
        if euid != Some(0) {
            let euid = euid.map_or_else(|| "unknown".to_owned(), |u| u.to_string());
            self.problems
                .push(format!("must run as root (effective uid is {euid}) {why}"));
        }
        self
    }

    /// Requires every `(tool, Debian package)` to be found in `PATH`.
    pub fn tools(mut self, tools: &[(&str, &str)]) -> Preflight {
        for (tool, package) in tools {
            if find_in_path(tool).is_none() {
                self.problems.push(format!(
                    "`{tool}` not found in PATH (Debian package: {package})"
                ));
            }
        }
        self
    }

    /// Requires the file `path` (shipped by the Debian package `package`).
    pub fn file(mut self, path: &str, package: &str) -> Preflight {
        if !Path::new(path).is_file() {
            self.problems
                .push(format!("{path} missing (Debian package: {package})"));
        }
        self
    }

    /// Replaces the last line of the failure message (by default: the tests
    /// are `#[ignore]`d for that reason and CI runs them via `.ci/run`).
    pub fn note(mut self, note: &str) -> Preflight {
        note.clone_into(&mut self.note);
        self
    }

    /// Panics with every problem found, if any.
    pub fn check(self) {
        assert!(
            self.problems.is_empty(),
            "{} cannot run here:\n  - {}\n{}",
            self.what,
            self.problems.join("\n  - "),
            self.note
        );
    }
}

// ---------------------------------------------------------------------------
// Commands and children
// ---------------------------------------------------------------------------

/// A command line as text, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// `program`, run inside the network namespace `ns` (through
/// `ip netns exec`) or, with `None`, on the host.
pub fn command(ns: Option<&str>, program: &str) -> Command {
    match ns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns, program]);
            c
        }
        None => Command::new(program),
    }
}

/// What a finished command did, from [`run_status`].
#[derive(Debug, Clone)]
pub struct Ran {
    /// How it exited.
    pub status: ExitStatus,
    /// Its standard output (lossy UTF-8).
    pub stdout: String,
    /// Its standard error (lossy UTF-8).
    pub stderr: String,
}

impl Ran {
    /// Whether it exited with status 0.
    pub fn success(&self) -> bool {
        self.status.success()
    }
}

/// Runs a command to completion with no input; panics only when it cannot
/// be started.
pub fn run_status(cmd: &mut Command) -> Ran {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", describe(cmd)));
    Ran {
        status: out.status,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs a command to completion with no input and returns its standard
/// output; panics with its status and output if it fails.
pub fn run(cmd: &mut Command) -> String {
    let ran = run_status(cmd);
    assert!(
        ran.success(),
        "`{}` failed ({}):\nstdout: {}\nstderr: {}",
        describe(cmd),
        ran.status,
        ran.stdout,
        ran.stderr
    );
    ran.stdout
}

/// Sends signal `sig` (a name such as `"INT"` or `"TERM"`) to one of our
/// own children with the shell's builtin `kill` (no procps needed).
/// Returns whether `kill` succeeded (it fails when the child is gone).
pub fn signal(child: &Child, sig: &str) -> bool {
    Command::new("sh")
        .args([
            "-c",
            "kill -s \"$1\" \"$2\"",
            "sh",
            sig,
            &child.id().to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Waits up to `grace` for a child to exit and returns its status; kills
/// and reaps it after that and returns `None`.
pub fn reap(child: &mut Child, grace: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + grace;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// How long a [`Daemon`] gets to exit on request before it is killed.
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// A long-running child process (a daemon run in the foreground, so that it
/// stays our child). Dropping it stops it: SIGTERM, then SIGKILL after
/// [`STOP_GRACE`]; [`Daemon::stop_with`] asks it to exit another way first.
#[derive(Debug)]
pub struct Daemon {
    name: String,
    child: Option<Child>,
}

impl Daemon {
    /// Starts `cmd` with no input and its standard output and error going
    /// to the file `log` (created or truncated). `name` is for messages.
    pub fn spawn(name: &str, cmd: &mut Command, log: &Path) -> Daemon {
        let out =
            File::create(log).unwrap_or_else(|e| panic!("cannot create {}: {e}", log.display()));
        let err = out.try_clone().expect("clone log file handle");
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", describe(cmd)));
        Daemon {
            name: name.to_owned(),
            child: Some(child),
        }
    }

    /// The name given to [`Daemon::spawn`].
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The process id, while it has not been stopped.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Its exit status if it has exited on its own (`None` while it runs
    /// and after it has been stopped).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten())
    }

    /// Stops it: `ask` is called with the child to request an exit (a
    /// signal, a control command), then it gets [`STOP_GRACE`] before it is
    /// killed. Returns whether it exited on request; does nothing (and
    /// returns `true`) when it was stopped already.
    pub fn stop_with(&mut self, ask: impl FnOnce(&Child)) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        ask(&child);
        let exited = reap(&mut child, STOP_GRACE).is_some();
        if !exited {
            eprintln!(
                "warning: {} did not exit on request within {STOP_GRACE:?}; killed",
                self.name
            );
        }
        exited
    }

    /// [`Daemon::stop_with`] SIGTERM.
    pub fn terminate(&mut self) -> bool {
        self.stop_with(|child| {
            signal(child, "TERM");
        })
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.terminate();
    }
}

// ---------------------------------------------------------------------------
// Scratch space, ports, names
// ---------------------------------------------------------------------------

/// A number not returned before in this process (for names of temporary
/// directories, namespaces and the like).
pub fn unique_id() -> usize {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// A scratch directory, removed on drop unless the test is failing: then the
/// configs, logs and captures in it stay for inspection and its path is
/// printed.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `$TMPDIR/{prefix}-{pid}-{n}`. Keep `prefix` short where unix
    /// socket paths go inside (they must stay below 108 bytes).
    pub fn new(prefix: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("{prefix}-{}-{}", std::process::id(), unique_id()));
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        TempDir { path }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if thread::panicking() {
            eprintln!(
                "test files (configs, logs, captures) kept in {}",
                self.path.display()
            );
        } else {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// A free TCP port on `ip`: bound and released, so another process may take
/// it in between (a small race that makes the test fail loudly, never pass
/// silently).
pub fn free_tcp_port(ip: Ipv4Addr) -> u16 {
    TcpListener::bind((ip, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("cannot bind an ephemeral port on {ip}: {e}"))
}

// ---------------------------------------------------------------------------
// Capturing with dumpcap
// ---------------------------------------------------------------------------

/// A capture filter for TCP traffic on any of `ports`.
pub fn tcp_port_filter(ports: &[u16]) -> String {
    ports
        .iter()
        .map(|p| format!("tcp port {p}"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// A running dumpcap writing a pcapng file. [`Capture::stop`] ends it so
/// that the file is complete; dropping it without `stop` kills it.
#[derive(Debug)]
pub struct Capture {
    child: Option<Child>,
    path: PathBuf,
    stderr: Arc<Mutex<String>>,
}

impl Capture {
    /// Starts dumpcap on `iface` (inside the network namespace `ns`, or on
    /// the host with `None`), with an optional capture `filter`, writing to
    /// `path`; returns once dumpcap reports that it captures.
    pub fn start(ns: Option<&str>, iface: &str, filter: Option<&str>, path: &Path) -> Capture {
        let mut cmd = command(ns, "dumpcap");
        cmd.args(["-q", "-n", "-i", iface]);
        if let Some(f) = filter {
            cmd.args(["-f", f]);
        }
        let mut child = cmd
            .arg("-w")
            .arg(path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{}`: {e}", describe(&cmd)));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        let pipe = child.stderr.take().expect("piped stderr");
        let log = Arc::clone(&stderr);
        thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if line.starts_with("Capturing on") {
                    let _ = tx.send(());
                }
                let mut l = log.lock().expect("log lock");
                l.push_str(&line);
                l.push('\n');
            }
        });
        let mut cap = Capture {
            child: Some(child),
            path: path.to_owned(),
            stderr,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if rx.recv_timeout(Duration::from_millis(50)).is_ok() {
                break;
            }
            let exited = cap.child.as_mut().and_then(|c| c.try_wait().ok().flatten());
            assert!(
                exited.is_none() && Instant::now() < deadline,
                "dumpcap did not start capturing on {iface} in {} (exit: {exited:?}): {}",
                ns.unwrap_or("the host"),
                cap.stderr.lock().expect("log lock")
            );
        }
        // The capture is live once dumpcap says so; a short grace period
        // absorbs scheduling jitter on slow CI machines.
        thread::sleep(Duration::from_millis(200));
        cap
    }

    /// The file dumpcap writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops dumpcap with SIGINT (so that it finishes the file), checks that
    /// it exited successfully and returns the file's bytes.
    pub fn stop(mut self) -> Vec<u8> {
        // Let the last answers arrive before stopping.
        thread::sleep(Duration::from_millis(300));
        let mut child = self.child.take().expect("running capture");
        signal(&child, "INT");
        let status = reap(&mut child, Duration::from_secs(15)).unwrap_or_else(|| {
            panic!(
                "dumpcap did not stop on SIGINT (killed): {}",
                self.stderr.lock().expect("log lock")
            )
        });
        assert!(
            status.success(),
            "dumpcap failed ({status}): {}",
            self.stderr.lock().expect("log lock")
        );
        std::fs::read(&self.path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", self.path.display()))
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

// ---------------------------------------------------------------------------
// Reading captures
// ---------------------------------------------------------------------------

/// The Ethernet frames of a pcapng file, in order (index 0 is tshark's
/// frame 1). Panics on a malformed or truncated file (trailing bytes
/// included), on a frame that is not Ethernet or was cut short by the
/// capture, and on simple packet blocks (dumpcap does not write them).
pub fn pcapng_frames(bytes: &[u8]) -> Vec<Vec<u8>> {
    use pcap_parser::{Block, Linktype, PcapBlockOwned, PcapNGSlice};
    let mut frames = Vec::new();
    let mut linktypes = Vec::new();
    let slice = PcapNGSlice::from_slice(bytes).expect("capture is a pcapng file");
    for block in slice {
        match block.expect("well-formed pcapng block") {
            PcapBlockOwned::NG(Block::SectionHeader(_)) => linktypes.clear(),
            PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => linktypes.push(idb.linktype),
            PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                assert_eq!(
                    linktypes.get(epb.if_id as usize),
                    Some(&Linktype::ETHERNET),
                    "capture interface is not Ethernet"
                );
                assert_eq!(epb.caplen, epb.origlen, "frame truncated by the capture");
                frames.push(epb.data[..epb.caplen as usize].to_vec());
            }
            PcapBlockOwned::NG(Block::SimplePacket(_)) => {
                panic!("dumpcap wrote a simple packet block; not expected")
            }
            _ => {}
        }
    }
    frames
}

/// One TCP segment of an Ethernet/IPv4 frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpSegment<'a> {
    /// Source address and port.
    pub src: SocketAddr,
    /// Destination address and port.
    pub dst: SocketAddr,
    /// Sequence number.
    pub seq: u32,
    /// The flags octet (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10).
    pub flags: u8,
    /// The payload, without IP padding.
    pub payload: &'a [u8],
}

impl TcpSegment<'_> {
    /// Whether SYN is set.
    pub fn syn(&self) -> bool {
        self.flags & 0x02 != 0
    }
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

/// The TCP segment of an Ethernet (untagged) / IPv4 / TCP frame; `None`
/// for any other frame and for one whose headers do not fit in it.
pub fn tcp_segment(frame: &[u8]) -> Option<TcpSegment<'_>> {
    if frame.len() < 14 + 20 || be16(frame, 12) != 0x0800 {
        return None;
    }
    let ip = &frame[14..];
    let ihl = usize::from(ip[0] & 0x0f) * 4;
    let total = usize::from(be16(ip, 2));
    if ip[0] >> 4 != 4 || ip[9] != 6 || ihl < 20 || total > ip.len() || ihl + 20 > total {
        return None;
    }
    let src = Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]);
    let dst = Ipv4Addr::new(ip[16], ip[17], ip[18], ip[19]);
    let tcp = &ip[ihl..total];
    let off = usize::from(tcp[12] >> 4) * 4;
    if off < 20 || off > tcp.len() {
        return None;
    }
    Some(TcpSegment {
        src: SocketAddr::new(IpAddr::V4(src), be16(tcp, 0)),
        dst: SocketAddr::new(IpAddr::V4(dst), be16(tcp, 2)),
        seq: u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]),
        flags: tcp[13],
        payload: &tcp[off..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_segment_of_a_hand_built_frame() {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00]);
        // IPv4: 20-byte header, total 20 + 20 + 3, TCP.
        f.extend_from_slice(&[0x45, 0, 0, 43, 0, 0, 0x40, 0, 64, 6, 0, 0]);
        f.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 2]);
        // TCP: 179 -> 50000, seq 7, data offset 5, SYN|ACK.
        f.extend_from_slice(&[0, 179, 0xc3, 0x50, 0, 0, 0, 7, 0, 0, 0, 0, 0x50, 0x12]);
        f.extend_from_slice(&[0; 6]);
        f.extend_from_slice(b"abc");
        f.extend_from_slice(&[0; 3]); // Ethernet padding
        let s = tcp_segment(&f).expect("a TCP segment");
        assert_eq!(s.src, "127.0.0.1:179".parse().unwrap());
        assert_eq!(s.dst, "127.0.0.2:50000".parse().unwrap());
        assert_eq!(s.seq, 7);
        assert!(s.syn());
        assert_eq!(s.payload, b"abc");
        f[14 + 9] = 17; // UDP
        assert_eq!(tcp_segment(&f), None);
        assert_eq!(tcp_segment(&f[..30]), None);
    }

    #[test]
    fn filters_and_commands() {
        assert_eq!(tcp_port_filter(&[179]), "tcp port 179");
        assert_eq!(tcp_port_filter(&[1, 2]), "tcp port 1 or tcp port 2");
        assert_eq!(describe(&command(None, "true")), "true");
        assert_eq!(
            describe(command(Some("x"), "ping").arg("-c1")),
            "ip netns exec x ping -c1"
        );
    }
}
