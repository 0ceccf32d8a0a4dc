#!/usr/bin/env bash
# Bounded fuzzing of every cargo-fuzz target in fuzz/.
#
#   bash scripts/fuzz.sh [SECONDS]     (default 20 seconds per target)
#
# Builds the targets with `cargo +nightly fuzz build`, then runs each target
# listed by `cargo +nightly fuzz list` for SECONDS. Corpus directories, in the
# order libFuzzer gets them (new inputs are written to the first one only):
#   fuzz/corpus/<target>/   working corpus (git-ignored)
#   fuzz/seeds/<target>/    committed seeds, built by the project itself
#                           (`cargo run -p evpn-wire-fuzz-seedgen --bin make_seeds`)
#   $tmp/<target>/          frames extracted at run time from the VXLAN pcaps
#                           under ${EVPN_VECTORS_DIR:-../shared/vectors}; never
#                           committed, deleted on exit
# Exits non-zero if any target finds a crash (the reproducer is left in
# fuzz/artifacts/<target>/), or if the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
secs=${1:-20}
case $secs in
    '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vxlan-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "fuzz: building targets"
cargo +nightly fuzz build --fuzz-dir fuzz

# Run-time seeds from other projects' captures (optional: skipped when the
# vector folder is absent). Extracted into $tmp, never into the repository.
vectors=${EVPN_VECTORS_DIR:-$root/../shared/vectors}
pcaps=()
for p in "$vectors"/zeek/vxlan/*.pcap "$vectors"/gopacket/vxlan/*.pcap; do
    [ -f "$p" ] && pcaps+=("$p")
done
if [ ${#pcaps[@]} -gt 0 ]; then
    echo "fuzz: extracting run-time seeds from ${#pcaps[@]} capture(s) under $vectors"
    cargo +nightly run -q --release --manifest-path fuzz/Cargo.toml \
        -p evpn-wire-fuzz-seedgen --bin pcap_seeds -- "$tmp" "${pcaps[@]}"
else
    echo "fuzz: no VXLAN captures under $vectors; committed seeds only"
fi

mapfile -t targets < <(cargo +nightly fuzz list --fuzz-dir fuzz)
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz: no targets found" >&2
    exit 1
fi

failed=()
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/seeds/$t" "$tmp/$t"
    echo "fuzz: $t for ${secs}s"
    if ! cargo +nightly fuzz run --fuzz-dir fuzz "$t" \
        "fuzz/corpus/$t" "fuzz/seeds/$t" "$tmp/$t" -- \
        -max_total_time="$secs" -rss_limit_mb=2048 -max_len=4096 \
        -timeout=10 -print_final_stats=1; then
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (reproducers in fuzz/artifacts/)" >&2
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${secs}s without a crash"
