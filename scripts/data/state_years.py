#!/usr/bin/env python3
"""Derive Entente's democracy and UN ideal-point tables (COW state-years) from
the shared copies, keeping only the columns the engine uses.

  democracy/isard_cw_democracy_1816_2025.csv -> data/democracy/isard_democracy_euds_vdem_1816_2025.csv
      ccode, year, euds (extended UDS, Marquez 2016 re-estimated by isard;
      rounded to 4 decimals), v2x_polyarchy (V-Dem v16, 3 decimals as in the
      source). Polity5's polity2 is left out: it ends in 2018 and the engine
      does not use it. Rows with neither value are dropped (counted below).
  unga/voeten_idealpoints_yearly_jul2025.csv -> data/unga/voeten_idealpoints_fp_1946_2024.csv
      ccode, year, idealpointfp (final-passage ideal point, Bailey, Strezhnev
      & Voeten, calendar-year release of July 2025, as printed). Rows without
      an idealpointfp are dropped (counted below).

Usage: scripts/data/state_years.py [SHARED_DATA_DIR]
"""
import csv
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SHARED = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"


def derive(src, out, cols, fmt):
    rows = list(csv.DictReader(open(os.path.join(SHARED, src), newline="")))
    kept, dropped = [], 0
    for r in rows:
        vals = [r[c] for c in cols]
        if all(v in ("", "NA") for v in vals):
            dropped += 1
            continue
        kept.append((int(r["ccode"]), int(r["year"]), [fmt.get(c, str)(v) if v not in ("", "NA") else "" for c, v in zip(cols, vals)]))
    kept.sort(key=lambda k: (k[0], k[1]))
    keys = [(c, y) for c, y, _ in kept]
    if len(set(keys)) != len(keys):
        sys.exit(f"{src}: duplicate state-years")
    path = os.path.join(ROOT, "data", out)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ccode", "year"] + cols)
        for c, y, v in kept:
            w.writerow([c, y] + v)
    print(f"wrote data/{out}: {len(kept)} state-years ({dropped} without a value dropped) from {src}")


def main():
    derive("democracy/isard_cw_democracy_1816_2025.csv",
           "democracy/isard_democracy_euds_vdem_1816_2025.csv",
           ["euds", "v2x_polyarchy"], {"euds": lambda v: f"{float(v):.4f}"})
    derive("unga/voeten_idealpoints_yearly_jul2025.csv",
           "unga/voeten_idealpoints_fp_1946_2024.csv", ["idealpointfp"], {})


if __name__ == "__main__":
    main()
