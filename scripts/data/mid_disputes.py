#!/usr/bin/env python3
"""Derive Entente's compact dispute table from COW MID 5.0, and check that it
rebuilds the full non-directed onset frame.

Input (default: the shared data folder):
  mid/cow_mid_5.0_ddydisps_directed.csv   peacesciencer's cow_mid_ddydisps: one
      row per directed dyad-year with a dispute (COW MID 5.0, whittled to one
      dispute per dyad-year), symmetric.
  mid/mid_onset_ndy_cow_1946_2014.csv     the full non-directed dyad-year frame
      1946-2014 (798,140 rows) with onset, ongoing and peace years, used only to
      check the rebuild below.
Output:
  data/mid/cow_mid5_dispute_years_ndy.csv  the ccode1 < ccode2 half of the
      directed file (5,117 dispute-years): ccode1, ccode2, year, onset, ongoing,
      hostlev, fatality, dispnum. Every row is an ongoing dispute-year; every
      dyad-year absent from it (with both states in the COW system) is a year
      without a dispute.

The check: the frame rebuilt from the output and the bundled COW state list
(data/cow/states2016_from_peacesciencer.csv) - every non-directed dyad-year
with both states in the system on a common day of the year, onset and ongoing 0 unless the table has the
row, peace years counted like stevemisc::ps_btscs on `ongoing` over each
dyad's system years from 1816 - must equal the shared frame's onset, ongoing
and peaceyrs (and hostlev, fatality, dispnum) on every one of its rows, with
no row missing or extra. The script exits non-zero otherwise.

Usage: scripts/data/mid_disputes.py [SHARED_DATA_DIR]
"""
import csv
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SHARED = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
OUT = os.path.join(ROOT, "data", "mid", "cow_mid5_dispute_years_ndy.csv")
STATES = os.path.join(ROOT, "data", "cow", "states2016_from_peacesciencer.csv")
FIRST, LAST = 1816, 2014  # COW MID 5.0's years
CHECK_FIRST = 1946  # the shared frame's first year


def derive():
    src = os.path.join(SHARED, "mid", "cow_mid_5.0_ddydisps_directed.csv")
    rows = list(csv.DictReader(open(src, newline="")))
    by_key = {(int(r["ccode1"]), int(r["ccode2"]), int(r["year"])): r for r in rows}
    out = []
    for (a, b, y), r in by_key.items():
        if a >= b:
            continue
        mirror = by_key.get((b, a, y))
        fields = ("dispnum", "cowmidonset", "cowmidongoing", "hostlev", "fatality")
        if mirror is None or any(mirror[f] != r[f] for f in fields):
            sys.exit(f"{src}: {a}-{b} {y} has no identical mirror row")
        out.append((a, b, y, int(r["cowmidonset"]), int(r["cowmidongoing"]),
                    int(r["hostlev"]), int(r["fatality"]), int(r["dispnum"])))
    out.sort()
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ccode1", "ccode2", "year", "onset", "ongoing", "hostlev", "fatality", "dispnum"])
        w.writerows(out)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(out)} dispute-years from {len(rows)} directed rows")
    return out


def spells_by_state():
    """COW membership spells as (start, end) dates, by state."""
    out = {}
    for r in csv.DictReader(open(STATES, newline="")):
        start = (int(r["styear"]), int(r["stmonth"]), int(r["stday"]))
        end = (int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
        out.setdefault(int(r["ccode"]), []).append((start, end))
    return out


def in_year(spell, y):
    """A spell clipped to calendar year y, or None."""
    lo, hi = max(spell[0], (y, 1, 1)), min(spell[1], (y, 12, 31))
    return (lo, hi) if lo <= hi else None


def together(sa, sb, y):
    """Were both states in the system on some common day of year y? (A state
    leaving in May and another entering in June make no dyad-year.)"""
    for a in sa:
        for b in sb:
            ca, cb = in_year(a, y), in_year(b, y)
            if ca and cb and max(ca[0], cb[0]) <= min(ca[1], cb[1]):
                return True
    return False


def spells(x):
    """stevemisc::ps_btscs's spell counter (from DAMisc), as the shared frame used."""
    tmp = [0] * len(x)
    run = 0
    for j in range(1, len(x)):
        if x[j] == 0 and x[j - 1] == 0:
            run += 1
            tmp[j] = run
        if x[j] != 0 and x[j - 1] == 0:
            tmp[j] = run + 1
            run = 0
        if x[j] == 0 and x[j - 1] != 0:
            tmp[j] = 0
            run = 0
    return tmp


def rebuild(disputes):
    events = {(a, b, y): (on, og, h, f, d) for a, b, y, on, og, h, f, d in disputes}
    spells_of = spells_by_state()
    members = {y: {c for c, sp in spells_of.items() if any(in_year(x, y) for x in sp)}
               for y in range(FIRST, LAST + 1)}
    dyads = {}
    for y in range(FIRST, LAST + 1):
        ms = sorted(members[y])
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                if together(spells_of[a], spells_of[b], y):
                    dyads.setdefault((a, b), []).append(y)
    frame = {}
    outside = [k for k in events if k[2] not in dyads.get(k[:2], ())]
    for (a, b), ys in dyads.items():
        ongoing = [events[(a, b, y)][1] if (a, b, y) in events else 0 for y in ys]
        for y, og, t in zip(ys, ongoing, spells(ongoing)):
            if y >= CHECK_FIRST:
                e = events.get((a, b, y))
                frame[(a, b, y)] = (e[0], og, t, e[2], e[3], e[4]) if e else (0, 0, t, None, None, None)
    return frame, outside


def check(frame):
    path = os.path.join(SHARED, "mid", "mid_onset_ndy_cow_1946_2014.csv")
    opt = lambda v: None if v == "" else int(v)
    seen, bad = 0, []
    for r in csv.DictReader(open(path, newline="")):
        k = (int(r["ccode1"]), int(r["ccode2"]), int(r["year"]))
        want = (int(r["cow_onset"]), int(r["cow_ongoing"]), int(r["cow_peaceyrs"]),
                opt(r["cow_hostlev"]), opt(r["cow_fatality"]), opt(r["cow_dispnum"]))
        got = frame.get(k)
        seen += 1
        if got != want:
            bad.append((k, want, got))
    extra = len(frame) - (seen - sum(1 for _, _, g in bad if g is None))
    return seen, bad, extra


def main():
    disputes = derive()
    frame, outside = rebuild(disputes)
    seen, bad, extra = check(frame)
    print(f"rebuilt {len(frame)} dyad-years {CHECK_FIRST}-{LAST}; shared frame has {seen}")
    print(f"dispute-years outside the state system (dropped, as in the shared frame): {sorted(outside)}")
    onsets = sum(v[0] for v in frame.values())
    ongoing = sum(v[1] for v in frame.values())
    print(f"onsets {onsets}, ongoing {ongoing} (the shared frame: 2,283 and 3,187)")
    if bad or extra:
        for k, want, got in bad[:20]:
            print(f"  {k}: shared {want}, rebuilt {got}")
        sys.exit(f"rebuild differs: {len(bad)} rows differ or are missing, {extra} extra")
    print("check passed: onset, ongoing, peaceyrs, hostlev, fatality and dispnum agree on every row")


if __name__ == "__main__":
    main()
