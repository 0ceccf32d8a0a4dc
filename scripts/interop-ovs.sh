#!/usr/bin/env bash
# Open vSwitch interop test (openflow-wire/tests/ovs_interop.rs).
#
#   scripts/interop-ovs.sh                      run the interop test
#   scripts/interop-ovs.sh --make-sample FILE   ... and (re)write the sample
#                                               capture FILE, e.g.
#                                               samples/openflow-ovs.pcapng
#
# Needs root (dumpcap on lo), openvswitch-switch and tshark. The test starts
# its own ovsdb-server and ovs-vswitchd (dummy datapath, no kernel module)
# with all state in a temp dir, talks OpenFlow on 127.0.0.1 only, and stops
# both daemons again, also on failure. A system Open vSwitch, if any, is
# neither used nor touched.
set -euo pipefail

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
sample=
case "${1:-}" in
    "") ;;
    --make-sample)
        [[ $# -eq 2 ]] || usage
        sample=$(realpath -m -- "$2")
        ;;
    *) usage ;;
esac

cd "$root"
if [[ -n $sample ]]; then
    export WRITE_SAMPLE="$sample"
fi
cargo test -p openflow-wire --test ovs_interop -- --ignored --test-threads=1 --nocapture
if [[ -n $sample ]]; then
    ls -l -- "$sample"
    echo "$(ovs-vswitchd --version | head -1), date: $(date -u +%Y-%m-%d); update samples/README.md if they changed"
fi
