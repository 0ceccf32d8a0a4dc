//! Interoperability with the Linux kernel's VXLAN implementation.
//!
//! Two network namespaces are joined by a veth pair that carries an IPv4 and an
//! IPv6 underlay. Each namespace gets three kernel `vxlan` devices with static
//! remotes: one over IPv4 (VNI 4242), one over IPv6 (VNI 4243) and one with the
//! Group Based Policy extension (`gbp`, VNI 4244, its own UDP port).
//!
//! * `kernel_frames_decode_like_tshark`: pings through every tunnel (IPv4 and
//!   IPv6 inner, so ARP and neighbour discovery cross the tunnel too; the GBP
//!   pings carry a socket mark that the kernel turns into the group policy ID),
//!   captures the underlay with dumpcap, and checks that our `decapsulate`
//!   agrees with tshark on every frame and that re-encoding is byte-exact.
//! * `kernel_accepts_our_encapsulation`: injects ICMP echo requests that we
//!   encapsulated ourselves with a raw `AF_PACKET` socket and checks that the
//!   kernel decapsulates them and answers through the tunnel.
//!
//! These tests need root, `ip` (iproute2), `ping` (iputils), `dumpcap` and
//! `tshark` (Wireshark), `ethtool` and `python3`; they are `#[ignore]`d so that a plain
//! `cargo test` skips them. CI runs them with
//! `cargo test -p vxlan-wire --test kernel_interop -- --ignored --test-threads=1`.
//!
//! With `WRITE_SAMPLE=/path/to/file.pcapng` the first test also records the
//! sample capture shipped in `samples/` (GBP device on UDP port 8472 there, so
//! that every VXLAN frame in it is on a port tools decode by default).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use testkit::{Capture, Preflight, TempDir, command, pcapng_frames, run, unique_id};
use vxlan_wire::{Decap, DecapConfig, EncapParams, GbpParams, HeaderFlavour, Vni, VxlanHeader};

// ---------------------------------------------------------------------------
// Topology constants
// ---------------------------------------------------------------------------

/// Underlay addresses of namespace "a" (index 0) and "b" (index 1).
const UNDERLAY_V4: [Ipv4Addr; 2] = [Ipv4Addr::new(10, 200, 0, 1), Ipv4Addr::new(10, 200, 0, 2)];
const UNDERLAY_V6: [Ipv6Addr; 2] = [
    Ipv6Addr::new(0xfd00, 0x200, 0, 0, 0, 0, 0, 1),
    Ipv6Addr::new(0xfd00, 0x200, 0, 0, 0, 0, 0, 2),
];
/// Names of the veth ends (each lives in its own namespace).
const VETH: [&str; 2] = ["vetha", "vethb"];

/// The IANA VXLAN port, used by the IPv4 and IPv6 underlay devices.
const VXLAN_PORT: u16 = 4789;
/// UDP port of the GBP device in the test (GBP and non-GBP devices cannot share a port).
const GBP_PORT_TEST: u16 = 4791;
/// UDP port of the GBP device in the sample capture: a port that wire-inspect and
/// tshark-with-`-d` treat as VXLAN by default (its GBP bits then read as reserved bits).
const GBP_PORT_SAMPLE: u16 = 8472;

/// `ping -m` value for the GBP pings: bits 0..16 are the group policy ID, bit 22
/// is "Don't Learn" and bit 19 is "Policy Applied" (the kernel's
/// `VXLAN_GBP_DONT_LEARN` / `VXLAN_GBP_POLICY_APPLIED` in the mark).
const GBP_MARK: u32 = 0x0040_0000 | 0x0008_0000 | 0x1234;
const GBP_POLICY: u16 = 0x1234;

/// Number of echo requests per ping run.
const PINGS: u32 = 3;
const PINGS_SAMPLE: u32 = 2;

#[derive(Clone, Copy, Debug)]
struct TunnelSpec {
    dev: &'static str,
    vni: u32,
    v6_underlay: bool,
    gbp: bool,
    /// Inner subnets: 192.168.`net`.0/24 and fd42:`net`::/64.
    net: u16,
}

const TUNNELS: [TunnelSpec; 3] = [
    TunnelSpec {
        dev: "vx4",
        vni: 4242,
        v6_underlay: false,
        gbp: false,
        net: 0x42,
    },
    TunnelSpec {
        dev: "vx6",
        vni: 4243,
        v6_underlay: true,
        gbp: false,
        net: 0x43,
    },
    TunnelSpec {
        dev: "vxg",
        vni: 4244,
        v6_underlay: false,
        gbp: true,
        net: 0x44,
    },
];

impl TunnelSpec {
    fn port(&self, gbp_port: u16) -> u16 {
        if self.gbp { gbp_port } else { VXLAN_PORT }
    }

    fn underlay(&self, side: usize) -> IpAddr {
        if self.v6_underlay {
            IpAddr::V6(UNDERLAY_V6[side])
        } else {
            IpAddr::V4(UNDERLAY_V4[side])
        }
    }

    fn inner_v4(&self, side: usize) -> Ipv4Addr {
        // `net` is written in hex for the IPv6 prefix; use the same digits in decimal.
        let third = u8::try_from(hex_digits_as_decimal(self.net)).expect("small net");
        Ipv4Addr::new(192, 168, third, side as u8 + 1)
    }

    fn inner_v6(&self, side: usize) -> Ipv6Addr {
        Ipv6Addr::new(0xfd42, self.net, 0, 0, 0, 0, 0, side as u16 + 1)
    }
}

fn hex_digits_as_decimal(v: u16) -> u16 {
    format!("{v:x}").parse().expect("hex digits only")
}

// ---------------------------------------------------------------------------
// Preconditions
// ---------------------------------------------------------------------------

/// Fails loudly (never skips) when the environment cannot run the test.
fn preflight() {
    Preflight::new("kernel VXLAN interop test")
        .root("to create network namespaces")
        .tools(&[
            ("ip", "iproute2"),
            ("ping", "iputils-ping"),
            ("dumpcap", "tshark (wireshark-common)"),
            ("tshark", "tshark"),
            ("python3", "python3"),
            ("ethtool", "ethtool"),
        ])
        .check();
}

// ---------------------------------------------------------------------------
// Running commands
// ---------------------------------------------------------------------------

fn ip(args: &[&str]) -> String {
    run(Command::new("ip").args(args))
}

fn ns_cmd(ns: &str, program: &str) -> Command {
    command(Some(ns), program)
}

// ---------------------------------------------------------------------------
// Namespaces, topology and cleanup
// ---------------------------------------------------------------------------

/// A network namespace that is deleted (with every device in it) on drop.
struct Netns {
    name: String,
}

impl Netns {
    fn create(name: String) -> Netns {
        ip(&["netns", "add", &name]);
        Netns { name }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let ok = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("warning: could not delete network namespace {}", self.name);
        }
    }
}

/// MAC addresses of one namespace's devices.
#[derive(Clone, Debug, Default)]
struct Macs {
    veth: [u8; 6],
    vxlan: HashMap<&'static str, [u8; 6]>,
}

/// Two namespaces "a" (index 0) and "b" (index 1), a veth pair and the three
/// VXLAN devices in each. Field order matters: nothing else outlives it.
struct Topology {
    ns: [Netns; 2],
    gbp_port: u16,
    macs: [Macs; 2],
}

impl Topology {
    fn new(gbp_port: u16) -> Topology {
        let id = format!("{}x{}", std::process::id(), unique_id());
        let a = Netns::create(format!("vxki{id}a"));
        let b = Netns::create(format!("vxki{id}b"));
        let mut topo = Topology {
            ns: [a, b],
            gbp_port,
            macs: Default::default(),
        };
        topo.build();
        topo.warm_up();
        topo
    }

    /// Waits until the underlay works both ways (IPv4 and IPv6), so that the
    /// captures start on a settled link and contain no underlay ARP/ND.
    fn warm_up(&self) {
        for dst in [IpAddr::V4(UNDERLAY_V4[1]), IpAddr::V6(UNDERLAY_V6[1])] {
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let ok = ns_cmd(self.name(0), "ping")
                    .args(["-n", "-q", "-c", "1", "-W", "1", &dst.to_string()])
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if ok {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "underlay ping to {dst} does not work"
                );
                thread::sleep(Duration::from_millis(100));
            }
        }
    }

    fn name(&self, side: usize) -> &str {
        &self.ns[side].name
    }

    fn sh(&self, side: usize, script: &str) {
        run(ns_cmd(self.name(side), "sh").args(["-c", script]));
    }

    fn build(&mut self) {
        let (a, b) = (self.name(0).to_owned(), self.name(1).to_owned());
        ip(&[
            "link", "add", VETH[0], "netns", &a, "type", "veth", "peer", "name", VETH[1], "netns",
            &b,
        ]);
        for side in 0..2 {
            let ns = self.name(side).to_owned();
            let n = |args: &[&str]| {
                let mut all = vec!["-n", ns.as_str()];
                all.extend_from_slice(args);
                ip(&all)
            };
            // fwmark_reflect: echo replies carry the request's mark, so the GBP
            // device puts the policy ID into replies too. No router
            // solicitations from the VXLAN devices (less noise in the sample).
            self.sh(
                side,
                "echo 1 > /proc/sys/net/ipv4/fwmark_reflect && \
                 echo 1 > /proc/sys/net/ipv6/fwmark_reflect && \
                 echo 0 > /proc/sys/net/ipv6/conf/default/router_solicitations",
            );
            n(&["link", "set", "lo", "up"]);
            let v4 = format!("{}/24", UNDERLAY_V4[side]);
            let v6 = format!("{}/64", UNDERLAY_V6[side]);
            n(&["addr", "add", &v4, "dev", VETH[side]]);
            n(&["addr", "add", &v6, "dev", VETH[side], "nodad"]);
            n(&["link", "set", VETH[side], "up"]);
            // No transmit checksum offload on the underlay: otherwise the
            // capture holds the kernel's partial (pseudo-header only) UDP
            // checksums instead of what a real wire carries, and those cannot
            // round-trip through an encoder that computes checksums.
            run(ns_cmd(&ns, "ethtool").args(["-K", VETH[side], "tx", "off"]));
            let other = 1 - side;
            for t in TUNNELS {
                let vni = t.vni.to_string();
                let port = t.port(self.gbp_port).to_string();
                let local = t.underlay(side).to_string();
                let remote = t.underlay(other).to_string();
                let mut args = vec![
                    "link", "add", t.dev, "type", "vxlan", "id", &vni, "local", &local, "remote",
                    &remote, "dstport", &port, "dev", VETH[side],
                ];
                if t.gbp {
                    args.push("gbp");
                }
                n(&args);
                let in4 = format!("{}/24", t.inner_v4(side));
                let in6 = format!("{}/64", t.inner_v6(side));
                n(&["addr", "add", &in4, "dev", t.dev]);
                n(&["addr", "add", &in6, "dev", t.dev, "nodad"]);
                n(&["link", "set", t.dev, "up"]);
            }
        }
        self.macs = [0, 1].map(|side| Macs {
            veth: self.mac(side, VETH[side]),
            vxlan: TUNNELS
                .iter()
                .map(|t| (t.dev, self.mac(side, t.dev)))
                .collect(),
        });
    }

    /// Reads a device's MAC address inside its namespace.
    fn mac(&self, side: usize, dev: &str) -> [u8; 6] {
        let path = format!("/sys/class/net/{dev}/address");
        let text = run(ns_cmd(self.name(side), "cat").arg(&path));
        parse_mac(text.trim()).unwrap_or_else(|| panic!("bad MAC {text:?} for {dev}"))
    }

    fn ping(&self, side: usize, dst: IpAddr, count: u32, mark: Option<u32>) {
        let mut cmd = ns_cmd(self.name(side), "ping");
        cmd.args(["-n", "-c", &count.to_string(), "-i", "0.2", "-W", "2"]);
        if let Some(m) = mark {
            // iputils wants the mark in decimal.
            cmd.args(["-m", &m.to_string()]);
        }
        cmd.arg(dst.to_string());
        run(&mut cmd);
    }
}

// ---------------------------------------------------------------------------
// tshark's view
// ---------------------------------------------------------------------------

const TSHARK_FIELDS: [&str; 15] = [
    "frame.number",
    "frame.protocols",
    "vxlan.vni",
    "vxlan.flag_g",
    "vxlan.flag_d",
    "vxlan.flag_a",
    "vxlan.gbp",
    "udp.srcport",
    "udp.dstport",
    "eth.src",
    "eth.dst",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
];

#[derive(Debug)]
struct TsharkVxlan {
    vni: u32,
    flag_g: bool,
    flag_d: bool,
    flag_a: bool,
    gbp: Option<u16>,
    outer_src: IpAddr,
    outer_dst: IpAddr,
    udp_src: u16,
    udp_dst: u16,
    outer_eth_src: String,
    outer_eth_dst: String,
    inner_eth_src: String,
    inner_eth_dst: String,
    /// Inner IP source/destination when the inner payload is IPv4/IPv6.
    inner_ip: Option<(IpAddr, IpAddr)>,
}

/// tshark's decode of every frame: `None` when tshark does not see VXLAN.
fn tshark_view(file: &Path, vxlan_ports: &[u16]) -> BTreeMap<usize, Option<TsharkVxlan>> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r").arg(file).arg("-n");
    for p in vxlan_ports {
        cmd.args(["-d", &format!("udp.port=={p},vxlan")]);
    }
    cmd.args([
        "-T",
        "fields",
        "-E",
        "separator=/t",
        "-E",
        "occurrence=a",
        "-E",
        "aggregator=,",
    ]);
    for f in TSHARK_FIELDS {
        cmd.args(["-e", f]);
    }
    let text = run(&mut cmd);
    let mut rows = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            TSHARK_FIELDS.len(),
            "unexpected tshark line {line:?}"
        );
        let get = |name: &str| -> Vec<&str> {
            let i = TSHARK_FIELDS
                .iter()
                .position(|f| *f == name)
                .expect("known field");
            cols[i].split(',').filter(|s| !s.is_empty()).collect()
        };
        let number: usize = cols[0].parse().expect("frame number");
        let row = if get("vxlan.vni").is_empty() {
            None
        } else {
            Some(parse_tshark_vxlan(cols[1], &get))
        };
        rows.insert(number, row);
    }
    rows
}

fn parse_tshark_vxlan<'a>(protocols: &str, get: &dyn Fn(&str) -> Vec<&'a str>) -> TsharkVxlan {
    let layers: Vec<&str> = protocols.split(':').collect();
    let vx = layers
        .iter()
        .position(|l| *l == "vxlan")
        .expect("vxlan layer");
    let outer_v6 = match layers[..vx].iter().find(|l| **l == "ip" || **l == "ipv6") {
        Some(&"ipv6") => true,
        Some(_) => false,
        None => panic!("no outer IP layer in {protocols}"),
    };
    // After "vxlan": "eth", "ethertype", then the inner network layer.
    let inner_l3 = layers[vx + 1..]
        .iter()
        .find(|l| !matches!(**l, "eth" | "ethertype" | "vlan"))
        .copied()
        .unwrap_or("");
    let ips = |v6: bool, dir: &str| -> Vec<IpAddr> {
        let field = format!("{}.{dir}", if v6 { "ipv6" } else { "ip" });
        get(&field)
            .iter()
            .map(|s| {
                s.parse()
                    .unwrap_or_else(|_| panic!("bad address {s} in {field}"))
            })
            .collect()
    };
    let (src_o, dst_o) = (ips(outer_v6, "src"), ips(outer_v6, "dst"));
    let inner_ip = match inner_l3 {
        "ip" | "ipv6" => {
            let v6 = inner_l3 == "ipv6";
            // Same family as the outer header: second occurrence, otherwise first.
            let idx = usize::from(v6 == outer_v6);
            let (s, d) = (ips(v6, "src"), ips(v6, "dst"));
            Some((s[idx], d[idx]))
        }
        _ => None,
    };
    let boolean = |name: &str| match get(name).first().copied() {
        Some("1") | Some("True") | Some("true") => true,
        Some("0") | Some("False") | Some("false") | None => false,
        Some(other) => panic!("unexpected boolean {other:?} for {name}"),
    };
    let eth_src = get("eth.src");
    let eth_dst = get("eth.dst");
    TsharkVxlan {
        vni: get("vxlan.vni")[0].parse().expect("vni"),
        flag_g: boolean("vxlan.flag_g"),
        flag_d: boolean("vxlan.flag_d"),
        flag_a: boolean("vxlan.flag_a"),
        gbp: get("vxlan.gbp").first().map(|s| s.parse().expect("gbp")),
        outer_src: src_o[0],
        outer_dst: dst_o[0],
        udp_src: get("udp.srcport")[0].parse().expect("udp port"),
        udp_dst: get("udp.dstport")[0].parse().expect("udp port"),
        outer_eth_src: eth_src[0].to_owned(),
        outer_eth_dst: eth_dst[0].to_owned(),
        inner_eth_src: eth_src[1].to_owned(),
        inner_eth_dst: eth_dst[1].to_owned(),
        inner_ip,
    }
}

// ---------------------------------------------------------------------------
// Inner frame helpers (the test's own minimal parser and builder)
// ---------------------------------------------------------------------------

fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut parts = s.split(':');
    for b in &mut mac {
        *b = u8::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(mac)
}

fn fmt_mac(m: &[u8; 6]) -> String {
    let mut s = String::new();
    for (i, b) in m.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// What the test needs to know about an inner Ethernet frame.
#[derive(Debug, Clone, PartialEq, Eq)]
enum InnerKind {
    Arp,
    Icmp4 { ty: u8, id: u16, seq: u16 },
    Icmp6 { ty: u8 },
    OtherIp,
    Other(u16),
}

#[derive(Debug, Clone)]
struct Inner {
    dst: [u8; 6],
    src: [u8; 6],
    ip: Option<(IpAddr, IpAddr)>,
    kind: InnerKind,
}

fn parse_inner(frame: &[u8]) -> Inner {
    assert!(frame.len() >= 14, "inner frame too short: {}", frame.len());
    let dst: [u8; 6] = frame[0..6].try_into().expect("6 bytes");
    let src: [u8; 6] = frame[6..12].try_into().expect("6 bytes");
    let mut ethertype = u16::from_be_bytes([frame[12], frame[13]]);
    let mut off = 14;
    while ethertype == 0x8100 || ethertype == 0x88a8 {
        ethertype = u16::from_be_bytes([frame[off + 2], frame[off + 3]]);
        off += 4;
    }
    let l3 = &frame[off..];
    let (ip, kind) = match ethertype {
        0x0806 => (None, InnerKind::Arp),
        0x0800 => {
            let ihl = usize::from(l3[0] & 0x0f) * 4;
            let s = Ipv4Addr::new(l3[12], l3[13], l3[14], l3[15]);
            let d = Ipv4Addr::new(l3[16], l3[17], l3[18], l3[19]);
            let kind = if l3[9] == 1 {
                let icmp = &l3[ihl..];
                InnerKind::Icmp4 {
                    ty: icmp[0],
                    id: u16::from_be_bytes([icmp[4], icmp[5]]),
                    seq: u16::from_be_bytes([icmp[6], icmp[7]]),
                }
            } else {
                InnerKind::OtherIp
            };
            (Some((IpAddr::V4(s), IpAddr::V4(d))), kind)
        }
        0x86dd => {
            let s: [u8; 16] = l3[8..24].try_into().expect("16 bytes");
            let d: [u8; 16] = l3[24..40].try_into().expect("16 bytes");
            let mut next = l3[6];
            let mut pos = 40;
            // Skip hop-by-hop, routing and destination options headers (MLD uses hop-by-hop).
            while matches!(next, 0 | 43 | 60) {
                next = l3[pos];
                pos += (usize::from(l3[pos + 1]) + 1) * 8;
            }
            let kind = if next == 58 {
                InnerKind::Icmp6 { ty: l3[pos] }
            } else {
                InnerKind::OtherIp
            };
            (
                Some((IpAddr::V6(Ipv6Addr::from(s)), IpAddr::V6(Ipv6Addr::from(d)))),
                kind,
            )
        }
        other => (None, InnerKind::Other(other)),
    };
    Inner { dst, src, ip, kind }
}

/// RFC 1071 Internet checksum.
fn internet_checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for chunk in data.chunks(2) {
        let word = u16::from_be_bytes([chunk[0], *chunk.get(1).unwrap_or(&0)]);
        sum += u32::from(word);
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// Ethernet + IPv4 + ICMP echo request with correct checksums.
fn build_echo_request(
    dst_mac: [u8; 6],
    src_mac: [u8; 6],
    src: Ipv4Addr,
    dst: Ipv4Addr,
    id: u16,
    seq: u16,
) -> Vec<u8> {
    let payload: Vec<u8> = (0u8..48).map(|i| i.wrapping_mul(7) ^ 0x5a).collect();
    let mut icmp = vec![8, 0, 0, 0];
    icmp.extend_from_slice(&id.to_be_bytes());
    icmp.extend_from_slice(&seq.to_be_bytes());
    icmp.extend_from_slice(&payload);
    let c = internet_checksum(&icmp);
    icmp[2..4].copy_from_slice(&c.to_be_bytes());

    let total = u16::try_from(20 + icmp.len()).expect("small packet");
    let mut ipv4 = vec![0x45, 0];
    ipv4.extend_from_slice(&total.to_be_bytes());
    ipv4.extend_from_slice(&id.wrapping_add(seq).to_be_bytes()); // identification
    ipv4.extend_from_slice(&[0x40, 0]); // DF
    ipv4.extend_from_slice(&[64, 1, 0, 0]); // TTL, ICMP, checksum placeholder
    ipv4.extend_from_slice(&src.octets());
    ipv4.extend_from_slice(&dst.octets());
    let c = internet_checksum(&ipv4);
    ipv4[10..12].copy_from_slice(&c.to_be_bytes());

    let mut frame = Vec::with_capacity(14 + ipv4.len() + icmp.len());
    frame.extend_from_slice(&dst_mac);
    frame.extend_from_slice(&src_mac);
    frame.extend_from_slice(&0x0800u16.to_be_bytes());
    frame.extend_from_slice(&ipv4);
    frame.extend_from_slice(&icmp);
    frame
}

// ---------------------------------------------------------------------------
// Our view (vxlan-wire)
// ---------------------------------------------------------------------------

/// The decapsulation config the test uses: the defaults plus the GBP port.
fn decap_config(gbp_port: u16) -> DecapConfig {
    DecapConfig::default().with_port(gbp_port, HeaderFlavour::Gbp)
}

#[derive(Debug)]
struct OurVxlan {
    vni: u32,
    /// G, D, A and the group policy ID field, whatever the flavour.
    gbp_bits: (bool, bool, bool, u16),
    /// (D, A, group policy ID) of a GBP header with G set.
    gbp: Option<(bool, bool, u16)>,
    outer_src_mac: [u8; 6],
    outer_dst_mac: [u8; 6],
    outer_src: IpAddr,
    outer_dst: IpAddr,
    udp_src: u16,
    udp_dst: u16,
    inner: Inner,
}

/// Decapsulates with vxlan-wire and checks the byte-exact round trip.
fn our_view(frame: &[u8], cfg: &DecapConfig, what: &str) -> Option<OurVxlan> {
    our_view_with(frame, cfg, what, true)
}

/// [`our_view`]; `roundtrip: false` for a frame we broke on purpose (its UDP
/// checksum is wrong, and re-encoding computes the right one).
fn our_view_with(frame: &[u8], cfg: &DecapConfig, what: &str, roundtrip: bool) -> Option<OurVxlan> {
    let decap = vxlan_wire::decapsulate(frame, cfg)
        .unwrap_or_else(|e| panic!("{what}: decapsulate failed: {e}"));
    let d = match decap {
        Decap::Vxlan(d) => d,
        Decap::NotVxlan(_) => return None,
    };
    if roundtrip {
        let mut re = Vec::with_capacity(frame.len());
        d.to_owned().encode(&mut re);
        assert_eq!(re, frame, "{what}: re-encoding is not byte-exact");
    }
    // The GBP bits as tshark reads them (it does so on any port): from the GBP
    // fields for a GBP header, from the preserved reserved bits otherwise.
    let (gbp_bits, gbp) = match d.header() {
        VxlanHeader::Gbp(g) => (
            (
                g.group_policy_present,
                g.dont_learn,
                g.policy_applied,
                g.group_policy_id,
            ),
            g.group_policy_present
                .then_some((g.dont_learn, g.policy_applied, g.group_policy_id)),
        ),
        VxlanHeader::Standard(h) => (
            (
                h.reserved_flags & 0x80 != 0,
                h.reserved1[0] & 0x40 != 0,
                h.reserved1[0] & 0x08 != 0,
                u16::from_be_bytes([h.reserved1[1], h.reserved1[2]]),
            ),
            None,
        ),
        other => panic!("{what}: unexpected header flavour {other:?}"),
    };
    Some(OurVxlan {
        vni: d.vni().get(),
        gbp_bits,
        gbp,
        outer_src_mac: d.outer_src_mac().expect("outer Ethernet").into_array(),
        outer_dst_mac: d.outer_dst_mac().expect("outer Ethernet").into_array(),
        outer_src: d.outer_src_ip(),
        outer_dst: d.outer_dst_ip(),
        udp_src: d.udp_src_port(),
        udp_dst: d.udp_dst_port(),
        inner: parse_inner(d.inner()),
    })
}

/// Encapsulates `inner` for tunnel `t` from side 0 to side 1 with vxlan-wire.
fn our_encapsulation(
    topo: &Topology,
    t: &TunnelSpec,
    inner: &[u8],
    gbp: Option<GbpParams>,
    src_port: u16,
) -> Vec<u8> {
    let mut params = EncapParams::new(
        topo.macs[0].veth.into(),
        topo.macs[1].veth.into(),
        t.underlay(0),
        t.underlay(1),
        Vni::new(t.vni).expect("24-bit VNI"),
    );
    params.dst_port = t.port(topo.gbp_port);
    params.src_port = Some(src_port);
    params.gbp = gbp;
    // Over IPv4 the kernel sends a zero UDP checksum and verifies a non-zero
    // one: send one through the GBP tunnel, none through the standard one.
    params.ipv4_udp_checksum = t.gbp;
    let mut out = Vec::new();
    let n = vxlan_wire::encapsulate(inner, &params, &mut out).expect("encapsulate");
    assert_eq!(n, out.len(), "encapsulate's length matches what it wrote");
    assert_eq!(n, params.encoded_len(inner.len()), "encoded_len is exact");
    out
}

// ---------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------

/// Per-tunnel counts of what crossed it, from our decode.
#[derive(Debug, Default)]
struct Seen {
    arp: usize,
    echo4_req: usize,
    echo4_rep: usize,
    echo6_req: usize,
    echo6_rep: usize,
    nd_ns: usize,
    nd_na: usize,
    /// Echo requests/replies with G set and the expected policy, D and A.
    gbp_marked_echo: usize,
}

/// Decodes every frame of `bytes` both ways, asserts agreement, and returns
/// what crossed each tunnel plus the number of frames that are not VXLAN.
/// `corrupted` is a frame we broke on purpose: it is compared but not round-tripped.
fn compare_with_tshark(
    topo: &Topology,
    file: &Path,
    bytes: &[u8],
    corrupted: Option<&[u8]>,
) -> (BTreeMap<u32, Seen>, usize) {
    let topo_gbp_port = topo.gbp_port;
    let frames = pcapng_frames(bytes);
    let tshark = tshark_view(file, &[topo_gbp_port]);
    assert_eq!(
        tshark.len(),
        frames.len(),
        "tshark and pcap-parser see a different number of frames"
    );
    let cfg = decap_config(topo_gbp_port);
    let mut seen: BTreeMap<u32, Seen> = BTreeMap::new();
    let mut not_vxlan = 0;
    for (i, frame) in frames.iter().enumerate() {
        let number = i + 1;
        let what = format!("{} frame {number}", file.display());
        let theirs = tshark
            .get(&number)
            .unwrap_or_else(|| panic!("{what}: tshark printed no line"));
        let ours = our_view_with(frame, &cfg, &what, corrupted != Some(frame.as_slice()));
        let (ours, theirs) = match (ours, theirs) {
            (None, None) => {
                not_vxlan += 1;
                continue;
            }
            (Some(o), Some(t)) => (o, t),
            (o, t) => panic!("{what}: VXLAN or not? ours: {o:?}, tshark: {t:?}"),
        };
        assert_eq!(ours.vni, theirs.vni, "{what}: VNI");
        assert_eq!(ours.outer_src, theirs.outer_src, "{what}: outer source IP");
        assert_eq!(
            ours.outer_dst, theirs.outer_dst,
            "{what}: outer destination IP"
        );
        assert_eq!(ours.udp_src, theirs.udp_src, "{what}: UDP source port");
        assert_eq!(ours.udp_dst, theirs.udp_dst, "{what}: UDP destination port");
        assert_eq!(
            fmt_mac(&ours.outer_src_mac),
            theirs.outer_eth_src,
            "{what}: outer src MAC"
        );
        assert_eq!(
            fmt_mac(&ours.outer_dst_mac),
            theirs.outer_eth_dst,
            "{what}: outer dst MAC"
        );
        assert_eq!(
            fmt_mac(&ours.inner.src),
            theirs.inner_eth_src,
            "{what}: inner source MAC"
        );
        assert_eq!(
            fmt_mac(&ours.inner.dst),
            theirs.inner_eth_dst,
            "{what}: inner dest MAC"
        );
        assert_eq!(ours.inner.ip, theirs.inner_ip, "{what}: inner IP addresses");
        // tshark decodes G, D, A and the group policy ID on every VXLAN header.
        let (g, dl, pa, policy) = ours.gbp_bits;
        assert_eq!(g, theirs.flag_g, "{what}: G flag");
        assert_eq!(dl, theirs.flag_d, "{what}: D flag");
        assert_eq!(pa, theirs.flag_a, "{what}: A flag");
        assert_eq!(Some(policy), theirs.gbp, "{what}: group policy ID");

        // Which tunnel is it? Check it against the topology while counting.
        let t = TUNNELS
            .iter()
            .find(|t| t.vni == ours.vni)
            .unwrap_or_else(|| panic!("{what}: unexpected VNI {}", ours.vni));
        assert_eq!(
            ours.udp_dst,
            t.port(topo_gbp_port),
            "{what}: port of {}",
            t.dev
        );
        let ends = [t.underlay(0), t.underlay(1)];
        assert!(
            (ours.outer_src, ours.outer_dst) == (ends[0], ends[1])
                || (ours.outer_src, ours.outer_dst) == (ends[1], ends[0]),
            "{what}: outer addresses of {}",
            t.dev
        );
        let from = usize::from(ours.outer_src != ends[0]);
        assert_eq!(
            ours.outer_src_mac, topo.macs[from].veth,
            "{what}: outer src MAC"
        );
        assert_eq!(
            ours.outer_dst_mac,
            topo.macs[1 - from].veth,
            "{what}: outer dst MAC"
        );
        let s = seen.entry(t.vni).or_default();
        let echo = match ours.inner.kind {
            InnerKind::Arp => {
                s.arp += 1;
                false
            }
            InnerKind::Icmp4 { ty: 8, .. } => {
                s.echo4_req += 1;
                true
            }
            InnerKind::Icmp4 { ty: 0, .. } => {
                s.echo4_rep += 1;
                true
            }
            InnerKind::Icmp6 { ty: 128 } => {
                s.echo6_req += 1;
                true
            }
            InnerKind::Icmp6 { ty: 129 } => {
                s.echo6_rep += 1;
                true
            }
            InnerKind::Icmp6 { ty: 135 } => {
                s.nd_ns += 1;
                false
            }
            InnerKind::Icmp6 { ty: 136 } => {
                s.nd_na += 1;
                false
            }
            _ => false,
        };
        if echo && ours.gbp == Some((true, true, GBP_POLICY)) {
            s.gbp_marked_echo += 1;
        }
    }
    (seen, not_vxlan)
}

/// Asserts that every tunnel carried ARP, ND and echo traffic both ways, so
/// that the comparison above cannot pass on an empty or partial capture.
fn check_seen(seen: &BTreeMap<u32, Seen>, pings: u32) {
    let pings = pings as usize;
    for t in TUNNELS {
        let s = seen
            .get(&t.vni)
            .unwrap_or_else(|| panic!("no VXLAN frame at all for {} (VNI {})", t.dev, t.vni));
        let ok = s.arp >= 2
            && s.echo4_req >= pings
            && s.echo4_rep >= pings
            && s.echo6_req >= pings
            && s.echo6_rep >= pings
            && s.nd_ns >= 1
            && s.nd_na >= 1;
        assert!(
            ok,
            "too little traffic through {} (VNI {}): {s:?}",
            t.dev, t.vni
        );
        if t.gbp {
            // Requests carry the ping socket's mark; replies carry it back
            // because fwmark_reflect is on in both namespaces.
            assert!(
                s.gbp_marked_echo >= 4 * pings,
                "the kernel did not put mark {GBP_MARK:#x} into the GBP header of {}: {s:?}",
                t.dev
            );
        } else {
            assert_eq!(
                s.gbp_marked_echo, 0,
                "GBP fields on non-GBP device {}",
                t.dev
            );
        }
    }
}

/// Builds a topology, captures pings through every tunnel, and compares.
/// Returns the capture's bytes.
fn ping_all_and_compare(dir: &TempDir, name: &str, gbp_port: u16, pings: u32) -> Vec<u8> {
    let topo = Topology::new(gbp_port);
    let file = dir.path().join(name);
    let cap = Capture::start(Some(topo.name(0)), VETH[0], None, &file);
    for t in TUNNELS {
        let mark = t.gbp.then_some(GBP_MARK);
        topo.ping(0, IpAddr::V4(t.inner_v4(1)), pings, mark);
        topo.ping(0, IpAddr::V6(t.inner_v6(1)), pings, mark);
    }
    let bytes = cap.stop();
    let (seen, not_vxlan) = compare_with_tshark(&topo, &file, &bytes, None);
    eprintln!(
        "{name}: {} frames, {not_vxlan} not VXLAN; per VNI: {seen:?}",
        pcapng_frames(&bytes).len()
    );
    check_seen(&seen, pings);
    bytes
}

#[test]
#[ignore = "needs root, network namespaces, tshark; run by .ci/run"]
fn kernel_frames_decode_like_tshark() {
    preflight();
    let dir = TempDir::new("vxlan-kernel-interop-decode");
    ping_all_and_compare(&dir, "kernel.pcapng", GBP_PORT_TEST, PINGS);

    if let Some(out) = std::env::var_os("WRITE_SAMPLE") {
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(out);
        let bytes = ping_all_and_compare(&dir, "sample.pcapng", GBP_PORT_SAMPLE, PINGS_SAMPLE);
        // With the default configuration (what `wire-inspect` uses) every VXLAN
        // frame of the sample is recognised and re-encodes byte for byte.
        let default_cfg = DecapConfig::default();
        let frames = pcapng_frames(&bytes);
        let vxlan = frames
            .iter()
            .enumerate()
            .filter_map(|(i, f)| our_view(f, &default_cfg, &format!("sample frame {}", i + 1)))
            .count();
        let strict = frames
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                our_view(
                    f,
                    &decap_config(GBP_PORT_SAMPLE),
                    &format!("sample frame {}", i + 1),
                )
            })
            .count();
        assert_eq!(
            vxlan, strict,
            "default config misses VXLAN frames of the sample"
        );
        assert!(
            bytes.len() < 20_000,
            "sample capture is {} bytes, more than 20 KB",
            bytes.len()
        );
        std::fs::write(&out, &bytes)
            .unwrap_or_else(|e| panic!("cannot write sample to {}: {e}", out.display()));
        eprintln!(
            "sample written to {} ({} bytes)",
            out.display(),
            bytes.len()
        );
    }
}

const INJECT_PY: &str = "import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
frame = bytes.fromhex(sys.argv[2])
assert s.send(frame) == len(frame)
";

/// Sends a complete Ethernet frame out of side's veth with an AF_PACKET socket.
fn inject(topo: &Topology, side: usize, frame: &[u8]) {
    let hex: String = frame.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    run(ns_cmd(topo.name(side), "python3").args(["-c", INJECT_PY, VETH[side], &hex]));
}

/// Injects `frame` at side 0 while capturing there; returns the captured frames.
/// `corrupted`: the frame was broken on purpose (see [`our_view_with`]).
fn inject_and_capture(
    topo: &Topology,
    dir: &TempDir,
    name: &str,
    frame: &[u8],
    corrupted: bool,
) -> Vec<Vec<u8>> {
    let file = dir.path().join(name);
    let cap = Capture::start(Some(topo.name(0)), VETH[0], None, &file);
    inject(topo, 0, frame);
    // ARP across the tunnel (the far side does not know us yet) and the reply.
    thread::sleep(Duration::from_millis(700));
    let bytes = cap.stop();
    let frames = pcapng_frames(&bytes);
    assert!(
        frames.iter().any(|f| f == frame),
        "{name}: the injected frame is not in the capture"
    );
    // Everything on the wire, the kernel's answers included, decodes like tshark says.
    compare_with_tshark(topo, &file, &bytes, corrupted.then_some(frame));
    frames
}

/// Echo replies to (id, seq) that came back through tunnel `t` to side 0.
fn echo_replies(
    topo: &Topology,
    t: &TunnelSpec,
    frames: &[Vec<u8>],
    id: u16,
    seq: u16,
) -> Vec<OurVxlan> {
    let cfg = decap_config(topo.gbp_port);
    frames
        .iter()
        .enumerate()
        // Round trips were checked by compare_with_tshark already.
        .filter_map(|(i, f)| our_view_with(f, &cfg, &format!("frame {}", i + 1), false))
        .filter(|v| {
            v.vni == t.vni
                && v.outer_src == t.underlay(1)
                && v.outer_dst == t.underlay(0)
                && v.udp_dst == t.port(topo.gbp_port)
                && v.inner.kind == InnerKind::Icmp4 { ty: 0, id, seq }
        })
        .collect()
}

#[test]
#[ignore = "needs root, network namespaces, tshark; run by .ci/run"]
fn kernel_accepts_our_encapsulation() {
    preflight();
    let dir = TempDir::new("vxlan-kernel-interop-encap");
    let topo = Topology::new(GBP_PORT_TEST);
    let policy: u16 = 0x0bad;
    for (i, t) in TUNNELS.iter().enumerate() {
        let id = 0x4b00 + i as u16;
        let seq = 7;
        let near_mac = topo.macs[0].vxlan[t.dev];
        let far_mac = topo.macs[1].vxlan[t.dev];
        let inner = build_echo_request(far_mac, near_mac, t.inner_v4(0), t.inner_v4(1), id, seq);
        let gbp = t.gbp.then_some(GbpParams {
            dont_learn: false,
            policy_applied: true,
            group_policy_id: policy,
        });
        let frame = our_encapsulation(&topo, t, &inner, gbp, 50_000 + i as u16);

        // Our own decode of what we built, before the kernel sees it.
        let own = our_view(&frame, &decap_config(topo.gbp_port), "our frame")
            .expect("our frame is VXLAN");
        assert_eq!(own.inner.kind, InnerKind::Icmp4 { ty: 8, id, seq });
        assert_eq!(own.gbp, gbp.map(|_| (false, true, policy)));

        let frames = inject_and_capture(
            &topo,
            &dir,
            &format!("inject-{}.pcapng", t.dev),
            &frame,
            false,
        );
        let replies = echo_replies(&topo, t, &frames, id, seq);
        assert_eq!(
            replies.len(),
            1,
            "{}: expected exactly one echo reply from the kernel through VNI {}",
            t.dev,
            t.vni
        );
        let r = &replies[0];
        assert_eq!(r.inner.dst, near_mac, "{}: reply to our inner MAC", t.dev);
        assert_eq!(
            r.inner.src, far_mac,
            "{}: reply from the far VTEP's MAC",
            t.dev
        );
        assert_eq!(
            r.inner.ip,
            Some((IpAddr::V4(t.inner_v4(1)), IpAddr::V4(t.inner_v4(0)))),
            "{}: reply addresses",
            t.dev
        );
        if t.gbp {
            // The kernel put our policy into the reply's skb mark and, with
            // fwmark_reflect, sent it back: proof that it parsed our GBP header.
            assert_eq!(
                r.gbp,
                Some((false, true, policy)),
                "{}: GBP of the reply",
                t.dev
            );
        } else {
            assert_eq!(r.gbp, None, "{}: no GBP on a standard device", t.dev);
        }

        if t.v6_underlay {
            // Negative control: the same frame with a wrong UDP checksum must be
            // dropped, so the answer above really vouches for our checksum.
            let (bad_id, bad_seq) = (id + 0x100, seq + 1);
            let inner = build_echo_request(
                far_mac,
                near_mac,
                t.inner_v4(0),
                t.inner_v4(1),
                bad_id,
                bad_seq,
            );
            let mut bad = our_encapsulation(&topo, t, &inner, None, 50_100);
            let csum = 14 + 40 + 6;
            let good = u16::from_be_bytes([bad[csum], bad[csum + 1]]);
            assert_ne!(good, 0, "UDP checksum over IPv6 must not be zero");
            let wrong = if good == 0xffff {
                0x0001
            } else {
                good.wrapping_add(1)
            };
            bad[csum..csum + 2].copy_from_slice(&wrong.to_be_bytes());
            let frames = inject_and_capture(&topo, &dir, "inject-bad-csum.pcapng", &bad, true);
            assert!(
                echo_replies(&topo, t, &frames, bad_id, bad_seq).is_empty(),
                "the kernel answered a frame with a wrong UDP checksum; the checksum check proves nothing"
            );
        }
    }
}
