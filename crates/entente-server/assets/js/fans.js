// Spending fan charts of the selected state: each option's 5-95% and 25-75%
// bands and median over draws, and the table of the state at the horizon.

import { optionColour } from './config.js';
import { $, cardWidth, h, tooltip } from './dom.js';
import { fmtBn, fmtPct, fmtProb, fmtShare, isNum } from './format.js';
import { METRICS, eastLabel } from './metrics.js';
import { idx, optionIdx, state, stateIdx } from './state.js';

const d3 = window.d3;

const FAN = { m: { t: 14, r: 18, b: 40, l: 62 } };
let fanScales = null;

export function renderFans() {
  if (!state.summary) return;
  const s = state.summary;
  const si = stateIdx();
  const st = si === undefined ? null : s.states[si];
  const { m } = FAN;
  const W = cardWidth('fan', 640);
  const H = Math.round(Math.max(260, Math.min(340, W * 0.55)));
  const svg = d3.select('#fan').attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H);
  svg.selectAll('g, text, rect, line').remove();
  $('fan-state').value = String(state.ccode);
  fanScales = null;

  const series = s.options
    .map((o, oi) => ({ o, oi, f: si === undefined ? null : s.by_option[oi].milex_const2023_usd_m[si] }))
    .filter((d) => d.f && d.f.q50);
  $('fan-title').textContent = st ? `Military spending of ${st.name}, US$ bn at 2023 prices, by option` : 'Military spending';
  $('fan-desc').textContent =
    'Median line per option with the 25–75% and 5–95% ranges over draws.';

  if (!series.length) {
    svg
      .append('text')
      .attr('class', 'nodata')
      .attr('x', W / 2)
      .attr('y', H / 2)
      .attr('text-anchor', 'middle')
      .text(st ? `No spending data for ${st.name}.` : 'No state selected.');
    renderFanLegend([]);
    renderHorizonTable(si);
    return;
  }
  const years = s.years;
  const bn = (v) => (isNum(v) ? v / 1000 : null);
  const all = series.flatMap((d) => [...d.f.q05, ...d.f.q95, ...d.f.q50].map(bn)).filter(isNum);
  let lo = d3.min(all);
  let hi = d3.max(all);
  if (lo === hi) {
    lo *= 0.9;
    hi = hi * 1.1 || 1;
  }
  const padY = (hi - lo) * 0.08;
  const x = d3.scaleLinear().domain([years[0], years[years.length - 1]]).range([m.l, W - m.r]);
  const y = d3
    .scaleLinear()
    .domain([Math.max(0, lo - padY), hi + padY])
    .nice()
    .range([H - m.b, m.t]);
  fanScales = { x, y };

  svg
    .append('g')
    .attr('class', 'grid')
    .attr('transform', `translate(${m.l},0)`)
    .call(d3.axisLeft(y).ticks(6).tickSize(-(W - m.l - m.r)).tickFormat(''));
  svg
    .append('g')
    .attr('class', 'axis axis-x')
    .attr('transform', `translate(0,${H - m.b})`)
    .call(d3.axisBottom(x).ticks(Math.min(years.length, 11)).tickFormat(d3.format('d')));
  svg
    .append('g')
    .attr('class', 'axis axis-y')
    .attr('transform', `translate(${m.l},0)`)
    .call(d3.axisLeft(y).ticks(6).tickFormat(d3.format(',~g')));
  svg
    .append('text')
    .attr('class', 'axis-title')
    .attr('transform', `translate(14,${(m.t + H - m.b) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text('US$ bn, 2023 prices');
  svg
    .append('text')
    .attr('class', 'axis-title')
    .attr('x', (m.l + W - m.r) / 2)
    .attr('y', H - 6)
    .attr('text-anchor', 'middle')
    .text('year');

  const cur = optionIdx();
  const ordered = series.slice().sort((a, b) => (a.oi === cur) - (b.oi === cur));
  const area = (loK, hiK) =>
    d3
      .area()
      .defined((t) => isNum(t.lo) && isNum(t.hi))
      .x((t) => x(t.year))
      .y0((t) => y(t.lo))
      .y1((t) => y(t.hi));
  const gBands = svg.append('g').attr('class', 'bands');
  const gLines = svg.append('g').attr('class', 'lines');
  for (const d of ordered) {
    const c = optionColour(d.oi);
    const pts = (loK, hiK) => years.map((yr, t) => ({ year: yr, lo: bn(d.f[loK][t]), hi: bn(d.f[hiK][t]) }));
    const isCur = d.oi === cur;
    gBands
      .append('path')
      .attr('class', 'band')
      .attr('data-option', d.o.id)
      .attr('data-band', '90')
      .attr('fill', c)
      .attr('fill-opacity', isCur ? 0.14 : 0.07)
      .attr('d', area()(pts('q05', 'q95')));
    gBands
      .append('path')
      .attr('class', 'band')
      .attr('data-option', d.o.id)
      .attr('data-band', '50')
      .attr('fill', c)
      .attr('fill-opacity', isCur ? 0.28 : 0.13)
      .attr('d', area()(pts('q25', 'q75')));
    const line = d3
      .line()
      .defined((t) => isNum(t.v))
      .x((t) => x(t.year))
      .y((t) => y(t.v));
    gLines
      .append('path')
      .attr('class', `series${isCur ? ' current' : ''}`)
      .attr('data-option', d.o.id)
      .attr('data-state', String(st.ccode))
      .attr('stroke', c)
      .attr('d', line(years.map((yr, t) => ({ year: yr, v: bn(d.f.q50[t]) }))));
  }

  svg.append('g').attr('class', 'marker');
  renderFanYearMarker();

  // Hover: a rule at the nearest year and every option's median.
  const rule = svg.append('line').attr('class', 'hover-rule').attr('y1', m.t).attr('y2', H - m.b).attr('visibility', 'hidden');
  svg
    .append('rect')
    .attr('class', 'hover-target')
    .attr('x', m.l)
    .attr('y', m.t)
    .attr('width', W - m.l - m.r)
    .attr('height', H - m.t - m.b)
    .attr('fill', 'transparent')
    .on('mousemove', (ev) => {
      const [px] = d3.pointer(ev);
      const yr = Math.round(x.invert(px));
      const t = Math.max(0, Math.min(years.length - 1, years.indexOf(yr)));
      rule.attr('x1', x(years[t])).attr('x2', x(years[t])).attr('visibility', 'visible');
      const box = h(
        'div',
        {},
        h('strong', {}, `${st.name}, ${years[t]}`),
        series.map((d) =>
          h(
            'div',
            { class: 'row' },
            h('span', {}, h('span', { class: 'dot', style: `background:${optionColour(d.oi)}` }), d.o.id),
            h('b', {}, fmtBn(bn(d.f.q50[t]))),
          ),
        ),
        h('div', { class: 'muted' }, 'median of draws'),
      );
      tooltip.show(box, ev);
    })
    .on('mouseleave', () => {
      rule.attr('visibility', 'hidden');
      tooltip.hide();
    });

  renderFanLegend(series);
  renderHorizonTable(si);
}

// The selected state at the horizon, one row per option.
function renderHorizonTable(si) {
  const s = state.summary;
  const t = s.years.length - 1;
  const last = s.years[t];
  const table = $('fan-table');
  table.replaceChildren();
  if (si === undefined) {
    $('state-heading').textContent = 'At the horizon';
    $('state-note').textContent = '';
    return;
  }
  const st = s.states[si];
  const bi = idx.baselineIndex;
  const cur = optionIdx();
  const f = d3.format(',.1f');
  $('state-heading').textContent = `${st.name} at the horizon, ${last}`;
  $('state-note').textContent = `Medians over draws; spending in US$ bn at 2023 prices (5–95% of draws in brackets). Threat is the annual probability of being the target of a militarised dispute; with ${eastLabel()}, the share of draws in which ${st.name}'s alignment unit (${s.units[st.unit]?.label ?? '?'}) sits on the side of ${eastLabel()}.`;
  table.append(
    h('caption', { class: 'visually-hidden' }, `${st.name} at the horizon (${last}), by option`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Option'),
        h('th', { scope: 'col' }, 'Spending', h('br'), 'US$ bn'),
        h('th', { scope: 'col' }, 'vs', h('br'), 'baseline'),
        h('th', { scope: 'col' }, 'Threat'),
        h('th', { scope: 'col' }, 'With', h('br'), eastLabel()),
      ),
    ),
  );
  const tb = h('tbody');
  s.options.forEach((o, oi) => {
    const fan = s.by_option[oi].milex_const2023_usd_m[si];
    const q = (k) => (fan && fan[k] && isNum(fan[k][t]) ? fan[k][t] / 1000 : null);
    const spend = isNum(q('q50'))
      ? [f(q('q50')), h('span', { class: 'range' }, `${isNum(q('q05')) ? f(q('q05')) : '–'}–${isNum(q('q95')) ? f(q('q95')) : '–'}`)]
      : 'no data';
    const vs = oi === bi ? 'baseline' : fmtPct(METRICS.milex_vs_baseline.value(oi, si, t));
    tb.append(
      h(
        'tr',
        { class: oi === cur ? 'current' : null, 'data-option': o.id },
        h('td', {}, h('span', { class: 'swatch', style: `background:${optionColour(oi)}` }), o.id),
        h('td', {}, spend),
        h('td', {}, vs),
        h('td', {}, fmtProb(METRICS.threat.value(oi, si))),
        h('td', {}, fmtShare(METRICS.with_east.value(oi, si))),
      ),
    );
  });
  table.append(tb);
}

export function renderFanYearMarker() {
  const g = d3.select('#fan g.marker');
  if (g.empty() || !fanScales) return;
  g.selectAll('*').remove();
  if (!METRICS[state.metric].perYear) return;
  const { x, y } = fanScales;
  const [y0, y1] = y.range();
  g.append('line').attr('class', 'year-marker').attr('x1', x(state.year)).attr('x2', x(state.year)).attr('y1', y0).attr('y2', y1);
  const right = x(state.year) > (x.range()[0] + x.range()[1]) / 2;
  g.append('text')
    .attr('x', x(state.year) + (right ? -4 : 4))
    .attr('y', y1 + 10)
    .attr('text-anchor', right ? 'end' : 'start')
    .attr('font-size', 10)
    .attr('fill', '#6b7280')
    .text(`map: ${state.year}`);
}

function renderFanLegend(series) {
  const box = $('fan-legend');
  box.replaceChildren();
  const cur = optionIdx();
  for (const d of series) {
    box.append(
      h(
        'span',
        { class: `item option-item${d.oi === cur ? ' current' : ''}`, title: d.o.description, 'data-option': d.o.id },
        h('span', { class: 'swatch', style: `background:${optionColour(d.oi)}` }),
        d.o.id === state.summary.baseline ? `${d.o.id} (baseline)` : d.o.id,
      ),
    );
  }
  if (series.length) box.append(h('span', { class: 'item muted' }, 'line: median · shading: 25–75% and 5–95% of draws'));
}
