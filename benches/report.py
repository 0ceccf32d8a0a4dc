#!/usr/bin/env python3
"""Prints the medians of the last `cargo bench -p benches` run as Markdown.

Reads criterion's target/criterion/**/new/{benchmark,estimates}.json and
prints, per group, each function's median and its ratio to the group's
`vxlan_wire` entry (decap), `vxlan_wire/vec` entry (encap) or
`bgp_evpn_wire` entry (BGP; `bgp_evpn_wire/framer` for the stream).

    python3 benches/report.py [CRITERION_DIR]   (default target/criterion)
"""
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
groups = {}
for bench in sorted(root.glob("**/new/benchmark.json")):
    meta = json.loads(bench.read_text())
    est = json.loads((bench.parent / "estimates.json").read_text())
    name = meta["function_id"] or ""
    if meta.get("value_str"):
        name = f"{name}/{meta['value_str']}" if name else meta["value_str"]
    groups.setdefault(meta["group_id"], []).append((name, est["median"]["point_estimate"]))

def fmt(ns):
    return f"{ns:.1f} ns" if ns < 1000 else f"{ns / 1000:.2f} µs"

print("| group | function | median | ratio to ours |")
print("|---|---|---:|---:|")
for group, rows in groups.items():
    d = dict(rows)
    ref = (d.get("vxlan_wire") or d.get("vxlan_wire/vec") or d.get("bgp_evpn_wire")
           or d.get("bgp_evpn_wire/framer"))
    for name, median in rows:
        ratio = f"{median / ref:.2f}×" if ref else ""
        print(f"| {group} | {name} | {fmt(median)} | {ratio} |")
