#!/usr/bin/env bash
# Interop tests against real implementations, one suite at a time.
#
#   scripts/interop.sh SUITE                      run the suite's tests
#   scripts/interop.sh SUITE --make-sample FILE   ... and (re)write its sample
#                                                 capture FILE (samples/)
#
# SUITE is one of:
#   vxlan  Linux-kernel VXLAN (vxlan-wire/tests/kernel_interop.rs). Needs root
#          (network namespaces), iproute2, iputils-ping, ethtool, tshark and
#          python3; all traffic stays inside two namespaces the test creates
#          and deletes. Sample: samples/vxlan-kernel.pcapng
#   bgp    GoBGP (bgp-evpn-wire/tests/gobgp_interop.rs). Needs root (dumpcap
#          on lo), gobgpd and tshark; every daemon runs on 127.0.0.x only.
#          Sample: samples/bgp-evpn-gobgp.pcapng
#   frr    FRR bgpd (bgp-evpn-wire/tests/frr_interop.rs). Needs root and frr;
#          one bgpd without zebra on 127.0.0.1, our speakers on 127.0.0.3/4.
#          No sample.
#   rib    three evpn-rib RIBs migrating VMs through FRR bgpd or gobgpd
#          (evpn-rib/tests/migration_interop.rs). Needs root, frr, gobgpd;
#          the transit on 127.0.0.1, our speakers on 127.0.0.11-13. No sample.
#   ovs    Open vSwitch (openflow-wire/tests/ovs_interop.rs). Needs root
#          (dumpcap on lo), openvswitch-switch and tshark. The test runs its
#          own ovsdb-server and ovs-vswitchd (dummy datapath) with all state
#          in a temp dir, on 127.0.0.1 only; a system Open vSwitch is neither
#          used nor touched. Sample: samples/openflow-ovs.pcapng
# The tests stop everything they start, also on failure.
set -euo pipefail

usage() {
    sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in
    vxlan) tests=vxlan-wire:kernel_interop version_cmd='echo "kernel: $(uname -r)"' ;;
    bgp) tests=bgp-evpn-wire:gobgp_interop version_cmd='echo "gobgpd: $(gobgpd --version)"' ;;
    frr) tests=bgp-evpn-wire:frr_interop version_cmd='/usr/lib/frr/bgpd --version | head -1' ;;
    rib) tests=evpn-rib:migration_interop version_cmd='/usr/lib/frr/bgpd --version | head -1; gobgpd --version' ;;
    ovs) tests=openflow-wire:ovs_interop version_cmd='ovs-vswitchd --version | head -1' ;;
    *) usage ;;
esac
shift
sample=
case "${1:-}" in
    "") ;;
    --make-sample)
        [[ $# -eq 2 ]] || usage
        [[ $tests != *frr_interop && $tests != *migration_interop ]] ||
            { echo "this suite writes no sample" >&2; exit 2; }
        sample=$(realpath -m -- "$2")
        ;;
    *) usage ;;
esac

cd "$root"
if [[ -n $sample ]]; then
    export WRITE_SAMPLE="$sample"
fi
for t in $tests; do
    cargo test -p "${t%%:*}" --test "${t#*:}" -- --ignored --test-threads=1 --nocapture
done
if [[ -n $sample ]]; then
    ls -l -- "$sample"
    echo "$(eval "$version_cmd"), date: $(date -u +%Y-%m-%d); update samples/README.md if they changed"
fi
