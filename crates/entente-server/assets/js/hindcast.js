// Hindcasts (`entente hindcast`, recorded in the run store with kind
// "hindcast"): the list in the sidebar, and the view of one: its scores against
// the two persistence baselines and, per scored state, the forecast fan of
// the `observed` option with the realised spending drawn over it. Everything
// is read from the run's hindcast.json (schema entente.hindcast/1).

import { api } from './api.js';
import { $, h } from './dom.js';
import { fmtTime } from './format.js';
import { state } from './state.js';

const d3 = window.d3;
const W = 300;
const H = 190;
const M = { t: 22, r: 12, b: 26, l: 48 };

export function renderHindcastList(onOpen) {
  const ul = $('hindcast-list');
  ul.replaceChildren();
  const list = state.runs.filter((r) => r.kind === 'hindcast');
  if (!list.length) {
    ul.append(h('li', { class: 'muted', text: 'None yet: entente hindcast --from 2016 records one.' }));
    return;
  }
  for (const r of list) {
    const done = r.status === 'complete';
    ul.append(
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            'data-hindcast-id': r.id,
            disabled: !done,
            title: done ? `Show hindcast ${r.id}` : `${r.status}${r.message ? `: ${r.message}` : ''}`,
            onclick: () => onOpen(r.id),
          },
          h('span', { class: 'name' }, r.scenario, h('span', { class: `badge ${r.status}` }, r.message || 'hindcast')),
          h('span', { class: 'sub' }, [fmtTime(r.started_at), `${r.draws} draws`, `seed ${r.seed}`].join(' · ')),
        ),
      ),
    );
  }
}

const f3 = (v) => (typeof v === 'number' && Number.isFinite(v) ? d3.format('.3f')(v) : 'NA');
const pct = (v) => (typeof v === 'number' && Number.isFinite(v) ? d3.format('.0%')(v) : 'NA');

/** Show hindcast `id` in the main area (the run views are hidden meanwhile). */
export async function showHindcast(id) {
  const hc = await api(`/api/runs/${encodeURIComponent(id)}/files/hindcast.json`);
  $('run-placeholder').hidden = true;
  $('toolbar').hidden = true;
  $('views').hidden = true;
  const view = $('hindcast-view');
  view.hidden = false;
  view.dataset.hindcastId = id;
  const o = hc.overall || {};
  $('hindcast-title').textContent = `Hindcast from ${hc.base_year} to ${hc.last_year}`;
  $('hindcast-note').replaceChildren(
    `${hc.scenario}: ${hc.draws} draws, seed ${hc.seed}; the chain fitted on data up to ${hc.base_year} only, under the ties that really formed (option "${hc.option}"). `,
    `CRPS skill against the random walk with drift: ${f3(o.skill_rw_drift)} overall, ${f3(o.median_skill_rw_drift)} for the median state (${o.states_beating_rw_drift ?? 'NA'} of ${o.states ?? 'NA'} states above 0); `,
    `against the last value: ${f3(o.skill_last_value)}. Realised values inside the 50% / 90% intervals: ${pct(o.inside_50)} / ${pct(o.inside_90)} of ${o.state_years ?? 'NA'} state-years. `,
    h('a', { href: `/api/runs/${encodeURIComponent(id)}/files/hindcast.html`, target: '_blank', rel: 'noopener' }, 'hindcast.html'),
    ' · ',
    h('a', { href: `/api/runs/${encodeURIComponent(id)}/files/forecast.csv` }, 'forecast.csv'),
  );
  const grid = $('hindcast-grid');
  grid.replaceChildren();
  for (const s of hc.states || []) grid.append(fan(s));
  view.setAttribute('data-ready', '1');
}

/** Hide the hindcast view (a run is being shown). */
export function hideHindcast() {
  $('hindcast-view').hidden = true;
}

// One state's fan (US$ bn at 2023 prices) with the realised path over it.
function fan(s) {
  const years = (s.years || []).filter((y) => Number.isFinite(y.q50));
  const fig = h('figure', { class: 'hindcast-fan', 'data-state': s.state });
  const svg = d3
    .create('svg')
    .attr('class', 'hindcast-chart')
    .attr('viewBox', `0 0 ${W} ${H}`)
    .attr('width', '100%')
    .attr('data-state', s.state)
    .attr('data-years', years.length);
  const bn = (v) => v / 1000;
  const vals = years.flatMap((y) => [y.q05, y.q95, y.realised_const2023_usd_m].filter(Number.isFinite)).map(bn);
  const x = d3
    .scaleLinear()
    .domain(d3.extent(years, (y) => y.year))
    .range([M.l, W - M.r]);
  const y = d3
    .scaleLinear()
    .domain([Math.max(0, d3.min(vals) ?? 0), d3.max(vals) ?? 1])
    .nice(4)
    .range([H - M.b, M.t]);
  svg
    .append('g')
    .attr('transform', `translate(0,${H - M.b})`)
    .call(d3.axisBottom(x).ticks(Math.min(years.length, 4)).tickFormat(d3.format('d')));
  svg.append('g').attr('transform', `translate(${M.l},0)`).call(d3.axisLeft(y).ticks(4));
  const area = (lo, hi) =>
    d3
      .area()
      .x((d) => x(d.year))
      .y0((d) => y(bn(d[lo])))
      .y1((d) => y(bn(d[hi])));
  svg.append('path').attr('class', 'band band-90').attr('d', area('q05', 'q95')(years)).attr('fill', '#4c72b0').attr('fill-opacity', 0.12);
  svg.append('path').attr('class', 'band band-50').attr('d', area('q25', 'q75')(years)).attr('fill', '#4c72b0').attr('fill-opacity', 0.25);
  const line = (key) =>
    d3
      .line()
      .x((d) => x(d.year))
      .y((d) => y(bn(d[key])));
  svg.append('path').attr('class', 'median').attr('d', line('q50')(years)).attr('fill', 'none').attr('stroke', '#4c72b0').attr('stroke-width', 2);
  const real = years.filter((d) => Number.isFinite(d.realised_const2023_usd_m));
  svg
    .append('path')
    .attr('class', 'realised')
    .attr('d', line('realised_const2023_usd_m')(real))
    .attr('fill', 'none')
    .attr('stroke', '#111')
    .attr('stroke-width', 1.6)
    .attr('stroke-dasharray', '4 3');
  svg
    .selectAll('circle.realised-point')
    .data(real)
    .join('circle')
    .attr('class', 'realised-point')
    .attr('cx', (d) => x(d.year))
    .attr('cy', (d) => y(bn(d.realised_const2023_usd_m)))
    .attr('r', 2.4)
    .attr('fill', '#111');
  svg
    .append('text')
    .attr('x', M.l)
    .attr('y', 14)
    .attr('class', 'chart-title')
    .text(`${s.state}: skill ${f3(s.skill_rw_drift)} vs RW drift, ${pct(s.inside_90)} in 90%`);
  fig.append(svg.node());
  return fig;
}
