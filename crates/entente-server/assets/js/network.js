// The alignment network: one node per alignment unit at its members'
// capitals, sized by CINC and coloured by the share of draws on the side of the scenario's east anchor; lines
// are the strongest obligation between two units, with the option's changes.

import { NO_DATA } from './config.js';
import { $, cardWidth, h, tooltip } from './dom.js';
import { attrNum, esc, fmtShare, isNum } from './format.js';
import { mapProjection } from './map.js';
import { colourBar, eastLabel, withEastScale } from './metrics.js';
import { renderSelection } from './selection.js';
import { emit, idx, optionIdx, state } from './state.js';

const d3 = window.d3;

const OBLIGATIONS = {
  defence: { w: 2.6, c: '#2f3b52', label: 'defence' },
  offence: { w: 2.2, c: '#5b3a63', label: 'offence' },
  neutrality: { w: 1.6, c: '#5f6b7d', label: 'neutrality' },
  nonaggression: { w: 1.2, c: '#8c96a5', label: 'non-aggression' },
  consultation: { w: 1.4, c: '#4f8a8b', label: 'consultation' },
  cooperation: { w: 1.0, c: '#aab2be', label: 'cooperation' },
};
const obligationStyle = (o) => OBLIGATIONS[o] || { w: 1, c: '#999', label: o };

// Deterministic layout: nodes start at their members' capitals (projected like
// the map), then a force simulation runs a fixed number of ticks (seeded, no
// animation). The layout, in its own coordinates, serves every option; the
// render scales it to the card's width.
export function buildNetworkLayout() {
  const s = state.summary;
  const W0 = 600;
  const H0 = 440;
  const maxCinc = d3.max(s.units, (u) => (isNum(u.cinc) ? u.cinc : 0)) || 1;
  const r = d3.scaleSqrt().domain([0, maxCinc]).range([4, 24]);
  const anchors = s.units.map((u) => {
    const pts = u.members
      .map((c) => s.states[idx.stateByCcode.get(c)])
      .filter((st) => st && isNum(st.lat) && isNum(st.lon));
    if (!pts.length) return null;
    // Mean direction on the sphere (safe across the antimeridian).
    let x = 0;
    let y = 0;
    let z = 0;
    for (const p of pts) {
      const la = (p.lat * Math.PI) / 180;
      const lo = (p.lon * Math.PI) / 180;
      x += Math.cos(la) * Math.cos(lo);
      y += Math.cos(la) * Math.sin(lo);
      z += Math.sin(la);
    }
    return [(Math.atan2(y, x) * 180) / Math.PI, (Math.atan2(z, Math.hypot(x, y)) * 180) / Math.PI];
  });
  const known = anchors.filter(Boolean);
  const distinct = new Set(known.map((p) => p.join(','))).size;
  const ring = (i) => [W0 / 2 + 150 * Math.cos((2 * Math.PI * i) / s.units.length), H0 / 2 + 150 * Math.sin((2 * Math.PI * i) / s.units.length)];
  let place = ring;
  if (distinct >= 2) {
    const proj = mapProjection(idx.centre ?? 0).fitExtent(
      [
        [40, 40],
        [W0 - 40, H0 - 40],
      ],
      { type: 'MultiPoint', coordinates: known },
    );
    place = (i) => (anchors[i] ? proj(anchors[i]) : ring(i));
  }
  const nodes = s.units.map((u, i) => {
    const [x, y] = place(i);
    return { i, x, y, ax: x, ay: y, r: r(isNum(u.cinc) ? u.cinc : 0) };
  });
  const seen = new Set();
  const links = [];
  for (const b of s.by_option) {
    for (const e of b.edges || []) {
      const k = `${Math.min(e.a, e.b)}-${Math.max(e.a, e.b)}`;
      if (seen.has(k) || !nodes[e.a] || !nodes[e.b] || e.a === e.b) continue;
      seen.add(k);
      links.push({ source: e.a, target: e.b });
    }
  }
  const sim = d3
    .forceSimulation(nodes)
    .randomSource(d3.randomLcg(0.42))
    .force('x', d3.forceX((d) => d.ax).strength(0.08))
    .force('y', d3.forceY((d) => d.ay).strength(0.08))
    .force('link', d3.forceLink(links).distance(55).strength(0.12))
    .force('charge', d3.forceManyBody().strength(-90))
    .force('collide', d3.forceCollide((d) => d.r + 13).iterations(3))
    .stop();
  for (let k = 0; k < 300; k++) sim.tick();
  const x0 = d3.min(nodes, (n) => n.x - n.r);
  const x1 = d3.max(nodes, (n) => n.x + n.r);
  const y0 = d3.min(nodes, (n) => n.y - n.r);
  const y1 = d3.max(nodes, (n) => n.y + n.r);
  for (const n of nodes) {
    n.u = x1 > x0 ? (n.x - x0) / (x1 - x0) : 0.5;
    n.v = y1 > y0 ? (n.y - y0) / (y1 - y0) : 0.5;
  }
  idx.netNodes = nodes;
}

export function renderNetwork() {
  const s = state.summary;
  const oi = optionIdx();
  const bo = s.by_option[oi];
  const W = cardWidth('network', 600);
  const H = Math.round(Math.max(360, Math.min(540, W * 0.82)));
  const pad = 30;
  const nodes = idx.netNodes;
  for (const n of nodes) {
    n.x = pad + n.u * (W - 2 * pad);
    n.y = pad - 6 + n.v * (H - 2 * pad - 4);
  }
  const colour = withEastScale();
  const svg = d3.select('#network').attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H);
  svg.selectAll('g').remove();
  $('network-heading').textContent = `Alignment network: ${state.option}`;
  $('network-title').textContent = `Alignment network under option ${state.option}`;
  $('network-desc').textContent =
    `${s.units.length} alignment units; circle area follows CINC, colour the share of draws on the side of ${eastLabel()}; lines are the strongest obligation between two units.`;

  const order = (e) => (e.removed ? 0 : e.added ? 3 : obligationStyle(e.obligation).w);
  const weak = new Set(['nonaggression', 'cooperation']);
  const shown = (e) => state.ties === 'all' || e.added || e.removed || !weak.has(e.obligation);
  const edges = (bo.edges || [])
    .filter((e) => nodes[e.a] && nodes[e.b] && shown(e))
    .sort((a, b) => order(a) - order(b));
  svg
    .append('g')
    .attr('class', 'edges')
    .selectAll('line')
    .data(edges)
    .join('line')
    .attr('class', (e) => `edge${e.added ? ' added' : ''}${e.removed ? ' removed' : ''}`)
    .attr('data-obligation', (e) => e.obligation)
    .attr('data-added', (e) => String(!!e.added))
    .attr('data-removed', (e) => String(!!e.removed))
    .attr('data-a', (e) => e.a)
    .attr('data-b', (e) => e.b)
    .attr('x1', (e) => nodes[e.a].x)
    .attr('y1', (e) => nodes[e.a].y)
    .attr('x2', (e) => nodes[e.b].x)
    .attr('y2', (e) => nodes[e.b].y)
    .attr('stroke', (e) => (e.added || e.removed ? null : obligationStyle(e.obligation).c))
    .attr('stroke-width', (e) => (e.added ? obligationStyle(e.obligation).w + 0.6 : obligationStyle(e.obligation).w))
    .attr('stroke-dasharray', (e) => (e.added ? '7 4' : null))
    .attr('stroke-opacity', (e) => (e.added || e.removed ? 0.95 : 0.7))
    .on('mouseenter mousemove', (ev, e) => {
      const what = e.removed ? 'removed by this option' : e.added ? 'added by this option' : 'in the base world';
      tooltip.show(
        `<strong>${esc(s.units[e.a].label)} – ${esc(s.units[e.b].label)}</strong><div>${esc(obligationStyle(e.obligation).label)} (${what})</div>`,
        ev,
      );
    })
    .on('mouseleave', () => tooltip.hide());

  const gNodes = svg.append('g').attr('class', 'nodes');
  gNodes
    .selectAll('circle')
    .data(nodes)
    .join('circle')
    .attr('class', 'node')
    .attr('data-unit', (d) => d.i)
    .attr('data-label', (d) => s.units[d.i].label)
    .attr('data-with-east', (d) => attrNum(bo.with_east[d.i]))
    .attr('cx', (d) => +d.x.toFixed(2))
    .attr('cy', (d) => +d.y.toFixed(2))
    .attr('r', (d) => +d.r.toFixed(2))
    .attr('fill', (d) => (isNum(bo.with_east[d.i]) ? colour(bo.with_east[d.i]) : NO_DATA))
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (d) => `${s.units[d.i].label}: with ${eastLabel()} in ${fmtShare(bo.with_east[d.i])} of draws`)
    .on('mouseenter mousemove', (ev, d) => tooltip.show(nodeTooltip(d.i, bo), ev))
    .on('mouseleave', () => tooltip.hide())
    .on('click', (ev, d) => selectUnit(d.i))
    .on('keydown', (ev, d) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        selectUnit(d.i);
      }
    });
  gNodes
    .selectAll('text')
    .data(nodes)
    .join('text')
    .attr('class', 'label')
    .attr('x', (d) => d.x)
    .attr('y', (d) => d.y + d.r + 10)
    .attr('text-anchor', 'middle')
    .text((d) => s.units[d.i].label);

  renderNetworkLegend(edges);
  renderSelection();
}

function selectUnit(u) {
  const first = state.summary.units[u]?.members?.[0];
  if (first !== undefined) emit('select-state', first);
}

function nodeTooltip(u, bo) {
  const s = state.summary;
  const unit = s.units[u];
  const names = unit.members.map((c) => s.states[idx.stateByCcode.get(c)]?.name ?? String(c));
  const who = unit.members.length === 1 ? names[0] : `${unit.members.length} states: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`;
  return `<strong>${esc(unit.label)}</strong><div>${esc(who)}</div>
    <div class="row"><span>with ${esc(eastLabel())}</span><b>${esc(fmtShare(bo.with_east[u]))} of draws</b></div>
    <div class="row"><span>CINC</span><b>${isNum(unit.cinc) ? unit.cinc.toFixed(3) : 'no data'}</b></div>`;
}

function renderNetworkLegend(edges) {
  const box = $('network-legend');
  box.replaceChildren();
  box.append(h('span', { class: 'item scale-title' }, `with ${eastLabel()}`));
  box.append(colourBar({ color: withEastScale(), kind: 'diverging', domain: [0, 0.5, 1], tickFormat: d3.format('.0%') }, 180));
  const present = new Set(edges.filter((e) => !e.added && !e.removed).map((e) => e.obligation));
  for (const [k, st] of Object.entries(OBLIGATIONS)) {
    if (!present.has(k)) continue;
    box.append(
      h('span', { class: 'item' }, h('span', { class: 'line-swatch', style: `border-top:${st.w}px solid ${st.c}` }), st.label),
    );
  }
  if (edges.some((e) => e.added)) {
    box.append(h('span', { class: 'item' }, h('span', { class: 'line-swatch', style: 'border-top:3px dashed #e07b00' }), 'added by the option'));
  }
  if (edges.some((e) => e.removed)) {
    box.append(h('span', { class: 'item' }, h('span', { class: 'line-swatch', style: 'border-top:2px dotted #a0a7b2' }), 'removed by the option'));
  }
  box.append(h('span', { class: 'item muted' }, 'circle area ∝ CINC'));
}
