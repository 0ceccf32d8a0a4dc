#!/usr/bin/env bash
# Linux-kernel VXLAN interop test (vxlan-wire/tests/kernel_interop.rs).
#
#   scripts/interop-vxlan-kernel.sh                      run the interop tests
#   scripts/interop-vxlan-kernel.sh --make-sample FILE   ... and (re)write the
#                                                        sample capture FILE,
#                                                        e.g. samples/vxlan-kernel.pcapng
#
# Needs root (network namespaces), iproute2, iputils-ping, tshark (dumpcap)
# and python3. All traffic stays inside two namespaces the test creates and
# deletes again.
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
cargo test -p vxlan-wire --test kernel_interop -- --ignored --test-threads=1 --nocapture
if [[ -n $sample ]]; then
    ls -l -- "$sample"
    echo "kernel: $(uname -r), date: $(date -u +%Y-%m-%d); update samples/README.md if they changed"
fi
