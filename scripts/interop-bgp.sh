#!/usr/bin/env bash
# GoBGP interop test (bgp-evpn-wire/tests/gobgp_interop.rs).
#
#   scripts/interop-bgp.sh                      run the interop tests
#   scripts/interop-bgp.sh --make-sample FILE   ... and (re)write the sample
#                                               capture FILE, e.g.
#                                               samples/bgp-evpn-gobgp.pcapng
#
# Needs root (dumpcap on lo), gobgpd/gobgp (Debian package gobgpd) and
# tshark/dumpcap (Debian package tshark). Every daemon runs on 127.0.0.x only.
set -euo pipefail

usage() {
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
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
cargo test -p bgp-evpn-wire --test gobgp_interop -- --ignored --test-threads=1 --nocapture
if [[ -n $sample ]]; then
    ls -l -- "$sample"
    echo "gobgpd: $(gobgpd --version), date: $(date -u +%Y-%m-%d); update samples/README.md if they changed"
fi
