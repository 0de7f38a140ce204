#!/usr/bin/env python3
"""Reliability (calibration) plot of `entente hazard backtest --format json`.

Reads the JSON on stdin (or a file) and writes an SVG: each bin's mean forecast
against its observed onset rate, with 95% Wilson intervals, for the refit and
Miller's (2022) published coefficients, on log-log axes with the diagonal.

Usage: entente hazard backtest --fit-until 1995 --until 2014 --format json \
         | scripts/plot-reliability.py > docs/img/hazard-reliability-1995.svg
"""
import json
import math
import sys

v = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
W, H, L, R, T, B = 520, 440, 70, 20, 40, 60
lo, hi = 5e-4, 0.3


def x(p):
    return L + (math.log10(max(p, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (W - L - R)


def y(p):
    return H - B - (math.log10(max(p, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (H - T - B)


out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{W / 2}" y="20" text-anchor="middle" font-size="14">Dispute onsets {v["held_out"]["first_year"]}-{v["held_out"]["last_year"]}, fit to {v["fit_until"]}: reliability</text>']
for t in [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]:
    out.append(f'<line x1="{x(t):.1f}" y1="{T}" x2="{x(t):.1f}" y2="{H - B}" stroke="#eee"/>')
    out.append(f'<line x1="{L}" y1="{y(t):.1f}" x2="{W - R}" y2="{y(t):.1f}" stroke="#eee"/>')
    out.append(f'<text x="{x(t):.1f}" y="{H - B + 16}" text-anchor="middle">{t:g}</text>')
    out.append(f'<text x="{L - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t:g}</text>')
out.append(f'<line x1="{x(lo):.1f}" y1="{y(lo):.1f}" x2="{x(hi):.1f}" y2="{y(hi):.1f}" stroke="#999" stroke-dasharray="4 3"/>')
out.append(f'<text x="{W / 2}" y="{H - 20}" text-anchor="middle">mean forecast probability (bin of equal count)</text>')
out.append(f'<text x="18" y="{(H - B + T) / 2}" text-anchor="middle" transform="rotate(-90 18 {(H - B + T) / 2})">observed onset rate (95% Wilson interval)</text>')
for key, colour, dx, label in [("reliability", "#1f77b4", -2, "refit"), ("miller2022_reliability", "#d62728", 2, "Miller (2022) as published")]:
    pts = []
    for b in v[key]:
        cx, cy = x(b["mean_forecast"]) + dx, y(b["observed"])
        out.append(f'<line x1="{cx:.1f}" y1="{y(b["observed_lo"]):.1f}" x2="{cx:.1f}" y2="{y(b["observed_hi"]):.1f}" stroke="{colour}"/>')
        pts.append(f"{cx:.1f},{cy:.1f}")
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>')
    out.append(f'<polyline points="{" ".join(pts)}" fill="none" stroke="{colour}" stroke-width="1"/>')
ly = T + 14
for colour, label in [("#1f77b4", f'refit (AUROC {v["refit"]["auroc"]:.3f}, Brier skill {v["brier_skill"]:.3f})'),
                      ("#d62728", f'Miller 2022 (AUROC {v["miller2022"]["auroc"]:.3f}, Brier skill {v["miller2022_brier_skill"]:.3f})')]:
    out.append(f'<circle cx="{L + 12}" cy="{ly - 4}" r="3.5" fill="{colour}"/><text x="{L + 22}" y="{ly}">{label}</text>')
    ly += 16
out.append(f'<text x="{L + 12}" y="{ly}" fill="#666">bins at an observed rate of 0 are drawn at the axis floor</text>')
out.append("</svg>")
print("\n".join(out))
