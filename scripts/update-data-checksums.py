#!/usr/bin/env python3
"""Rewrite the sha256 column of data/SOURCES.md from the files on disk.

Run after a reviewed change to a data file. Files missing from the table are
reported (add a row with provenance by hand first): checksums are not provenance.
"""
import hashlib, os, re, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
path = os.path.join(root, "SOURCES.md")
lines = open(path, encoding="utf-8").read().split("\n")
listed = set()
for i, line in enumerate(lines):
    m = re.match(r"\| `([^`]+)` \|", line)
    if not m:
        continue
    rel = m.group(1)
    listed.add(rel)
    digest = hashlib.sha256(open(os.path.join(root, rel), "rb").read()).hexdigest()
    lines[i] = re.sub(r"\| `[0-9a-f]{64}` \|$", f"| `{digest}` |", line)
open(path, "w", encoding="utf-8").write("\n".join(lines))
missing = [
    os.path.relpath(os.path.join(d, f), root)
    for d, _, fs in os.walk(root) for f in fs
    if f != "SOURCES.md" and os.path.relpath(os.path.join(d, f), root) not in listed
]
if missing:
    sys.exit("not in data/SOURCES.md (add a row with provenance): " + ", ".join(sorted(missing)))
