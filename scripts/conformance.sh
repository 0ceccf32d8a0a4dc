#!/usr/bin/env bash
# Conformance against test vectors written by other projects.
# The vectors are not part of this repository: they are read from
# $EVPN_VECTORS_DIR, or from ../shared/vectors beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
vectors=${EVPN_VECTORS_DIR:-$(pwd)/../shared/vectors}
if [ ! -d "$vectors" ]; then
    echo "conformance: vector folder $vectors not found (set EVPN_VECTORS_DIR)" >&2
    exit 1
fi
export EVPN_VECTORS_DIR=$(cd "$vectors" && pwd)
echo "conformance: vectors from $EVPN_VECTORS_DIR"

# Golden decodes and byte-exact re-encodes, checked against the expected
# values that sit beside the vectors (upstream's own and tshark's).
cargo test -p vxlan-wire --test conformance -- --ignored
cargo test -p bgp-evpn-wire --test conformance -- --ignored
cargo test -p openflow-wire --test conformance -- --ignored

# The same captures through wire-inspect: every VXLAN frame decodes and
# re-encodes byte-identical (exit status 1 otherwise).
cargo run --release -q -p wire-inspect -- --roundtrip \
    "$EVPN_VECTORS_DIR"/zeek/vxlan/*.pcap \
    "$EVPN_VECTORS_DIR"/gopacket/vxlan/*.pcap >/dev/null
cargo run --release -q -p wire-inspect -- --roundtrip "$EVPN_VECTORS_DIR"/os-ken/bgp/pcap/*.pcap >/dev/null
cargo run --release -q -p wire-inspect -- --roundtrip "$EVPN_VECTORS_DIR"/os-ken/openflow/pcap/*.pcap >/dev/null
