// What the map can be coloured by, each metric's value per option, state and
// year, its colour scale, and the colour bar the legends draw.

import { fmtBn, fmtPct, fmtProb, fmtShare, isNum } from './format.js';
import { idx, state } from './state.js';

const d3 = window.d3;

/** The scenario's `east` anchor as the page names it (or a neutral word). */
export function eastLabel() {
  return state.summary?.framing?.east ?? 'the east side';
}

export function withEastScale() {
  return d3.scaleDiverging((t) => d3.interpolateRdBu(1 - t)).domain([0, 0.5, 1]).clamp(true);
}

export const METRICS = {
  milex: {
    perYear: true,
    title: 'Military spending, median',
    unit: 'US$ bn, 2023 prices',
    format: fmtBn,
    value(oi, si, t) {
      const f = state.summary.by_option[oi].milex_const2023_usd_m[si];
      const v = f && f.q50 ? f.q50[t] : null;
      return isNum(v) ? v / 1000 : null;
    },
    scale(values) {
      const pos = values.filter((v) => v > 0);
      const lo = d3.min(pos) ?? 0.1;
      let hi = d3.max(pos) ?? 1;
      if (hi <= lo) hi = lo * 10;
      const s = d3.scaleSequentialLog((t) => d3.interpolateYlGnBu(0.12 + 0.88 * t)).domain([lo, hi]).clamp(true);
      return { color: s, kind: 'log', domain: [lo, hi], tickFormat: d3.format(',~g') };
    },
  },
  milex_vs_baseline: {
    perYear: true,
    title: 'Spending vs the baseline option',
    unit: '% above (red) or below (blue) the baseline median',
    format: fmtPct,
    value(oi, si, t) {
      const bi = idx.baselineIndex;
      if (bi < 0) return null;
      const f = state.summary.by_option[oi].milex_const2023_usd_m[si];
      const b = state.summary.by_option[bi].milex_const2023_usd_m[si];
      const v = f && f.q50 ? f.q50[t] : null;
      const w = b && b.q50 ? b.q50[t] : null;
      if (!isNum(v) || !isNum(w) || w === 0) return null;
      return (v / w - 1) * 100;
    },
    scale(values) {
      // A robust extent: the 98th percentile of |change|; outliers saturate.
      const m0 = d3.quantile(values.map(Math.abs).sort(d3.ascending), 0.98) ?? 0;
      const m = Math.max(0.5, m0);
      const s = d3.scaleDiverging((t) => d3.interpolateRdBu(1 - t)).domain([-m, 0, m]).clamp(true);
      return { color: s, kind: 'diverging', domain: [-m, 0, m], tickFormat: (v) => `${d3.format('+.1~f')(v)}%` };
    },
  },
  threat: {
    perYear: false,
    title: 'Threat: annual probability of being the target of a militarised dispute (median)',
    unit: 'probability a year',
    format: fmtProb,
    value(oi, si) {
      const b = state.summary.by_option[oi].threat[si];
      return b && isNum(b.q50) ? b.q50 : null;
    },
    scale(values) {
      const hi = Math.max(1e-6, d3.max(values) ?? 0.1);
      const s = d3.scaleSequential((t) => d3.interpolateOrRd(0.08 + 0.92 * t)).domain([0, hi]).clamp(true);
      return { color: s, kind: 'linear', domain: [0, hi], tickFormat: d3.format('.0%') };
    },
  },
  with_east: {
    perYear: false,
    get title() {
      return `Share of draws on the side of ${eastLabel()}`;
    },
    unit: 'share of draws (of the state’s alignment unit)',
    format: fmtShare,
    value(oi, si) {
      const u = state.summary.states[si].unit;
      const v = state.summary.by_option[oi].with_east[u];
      return isNum(v) ? v : null;
    },
    scale() {
      return { color: withEastScale(), kind: 'diverging', domain: [0, 0.5, 1], tickFormat: d3.format('.0%') };
    },
  },
};

// A colour bar with ticks for a sequential/diverging scale.
export function colourBar(sc, width = 280) {
  const H = 34;
  const mL = 8;
  const mR = 14;
  const w = width - mL - mR;
  let axis;
  if (sc.kind === 'log') axis = d3.scaleLog().domain(sc.domain).range([0, w]);
  else if (sc.kind === 'diverging') axis = d3.scaleLinear().domain(sc.domain).range([0, w / 2, w]);
  else axis = d3.scaleLinear().domain(sc.domain).range([0, w]);
  const id = `grad-${Math.random().toString(36).slice(2, 9)}`;
  const svg = d3
    .create('svg')
    .attr('width', width)
    .attr('height', H)
    .attr('viewBox', `0 0 ${width} ${H}`)
    .attr('role', 'img')
    .attr('aria-label', 'colour scale');
  const grad = svg.append('defs').append('linearGradient').attr('id', id);
  for (let k = 0; k <= 24; k++) {
    grad
      .append('stop')
      .attr('offset', `${(k / 24) * 100}%`)
      .attr('stop-color', sc.color(axis.invert((k / 24) * w)));
  }
  const g = svg.append('g').attr('transform', `translate(${mL},2)`);
  g.append('rect').attr('width', w).attr('height', 10).attr('fill', `url(#${id})`).attr('stroke', '#bbb').attr('stroke-width', 0.5);
  let ticks = axis.ticks(sc.kind === 'log' ? 4 : 5);
  if (sc.kind === 'log') {
    const pow = ticks.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
    ticks = pow.length >= 2 ? pow : ticks.filter((_, i) => i % 2 === 0);
  }
  const ax = g
    .append('g')
    .attr('transform', 'translate(0,10)')
    .call(d3.axisBottom(axis).tickValues(ticks).tickFormat(sc.tickFormat).tickSize(4));
  ax.select('.domain').remove();
  ax.selectAll('text').attr('font-size', 10).attr('fill', '#4b5563');
  ax.selectAll('line').attr('stroke', '#888');
  return svg.node();
}
