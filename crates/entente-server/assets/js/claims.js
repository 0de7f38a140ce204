// The claims table: each claim's probability with its 95% interval, and its
// top drivers (Sobol total indices); claims the models cannot speak to say why.

import { $, h } from './dom.js';
import { fmtP, isNum } from './format.js';
import { state } from './state.js';

const d3 = window.d3;

export function renderClaims() {
  const s = state.summary;
  const body = $('claims-body');
  body.replaceChildren();
  const nModelled = (s.claims || []).filter((c) => isNum(c.probability)).length;
  $('claims-note').textContent = `${nModelled} of ${(s.claims || []).length} claims modelled; probability over ${s.experiment.draws} paired draws`;
  for (const c of s.claims || []) {
    const modelled = isNum(c.probability);
    const tr = h('tr', {
      class: 'claim',
      'data-claim': c.id,
      'data-probability': modelled ? String(c.probability) : '',
      'data-lo': isNum(c.lo) ? String(c.lo) : '',
      'data-hi': isNum(c.hi) ? String(c.hi) : '',
      'data-treatment': c.treatment || '',
      'data-status': c.status || '',
    });
    const meta = [h('code', {}, c.id)];
    if (c.metric) {
      const thr = isNum(c.threshold) ? d3.format('~g')(c.threshold) : c.threshold ?? '';
      meta.push(
        h('span', { class: 'sep' }, '·'),
        h('code', {}, c.treatment || '–'),
        ' vs ',
        h('code', {}, c.baseline || '–'),
        h('span', { class: 'sep' }, '·'),
        `${c.metric} ${c.direction === 'below' ? 'below' : 'above'} ${thr}`,
      );
    }
    tr.append(
      h(
        'td',
        { class: 'claim-text' },
        h('div', { title: c.source || '' }, c.text),
        h('div', { class: 'claim-meta', title: c.source || '' }, meta),
        !modelled && c.why_not ? h('div', { class: 'why-not' }, c.why_not) : null,
      ),
    );
    const probCell = h('td', {});
    // A structural verdict is no probability: say so instead of drawing 1.00.
    if (c.status === 'structural') {
      probCell.append(h('span', { class: 'status status-structural', title: c.status_text || '' }, 'structural'));
    } else if (modelled) {
      probCell.append(probabilityBar(c));
      if (c.status && c.status !== 'empirical') {
        probCell.append(h('div', { class: 'status status-' + c.status, title: c.status_text || '' }, c.status.replace('_', ' ')));
      }
    }
    else {
      probCell.append(h('span', { class: 'not-modelled', title: c.why_not || '' }, 'not modelled'));
    }
    tr.append(probCell);

    const drv = h('td', {});
    const ranked = (c.drivers || []).filter((d) => isNum(d.st)).sort((a, b) => b.st - a.st).slice(0, 3);
    if (ranked.length) {
      const ul = h('ul', { class: 'drivers' });
      for (const d of ranked) {
        const w = Math.max(0, Math.min(1, d.st));
        ul.append(
          h(
            'li',
            { title: `${d.param}: total index S_T ${d3.format('.3f')(d.st)}, first-order S1 ${isNum(d.s1) ? d3.format('.3f')(d.s1) : 'n/a'}` },
            h('code', {}, d.param),
            h('span', { class: 'bar' }, h('span', { style: `width:${(w * 100).toFixed(1)}%` })),
            h('span', { class: 'num' }, d3.format('.2f')(d.st)),
          ),
        );
      }
      drv.append(ul);
    } else drv.append(h('span', { class: 'muted' }, '–'));
    tr.append(drv);
    body.append(tr);
  }
  renderClaimsOption();
}

export function renderClaimsOption() {
  for (const tr of document.querySelectorAll('#claims-body tr.claim')) {
    tr.classList.toggle('current-option', tr.dataset.treatment === state.option);
  }
}

function probabilityBar(c) {
  const W = 170;
  const H = 18;
  const x = d3.scaleLinear().domain([0, 1]).range([1, W - 1]);
  const svg = d3
    .create('svg')
    .attr('viewBox', `0 0 ${W} ${H}`)
    .attr('width', W)
    .attr('height', H)
    .attr('role', 'img');
  svg.append('title').text(`Probability ${fmtP(c.probability)}, 95% interval ${fmtP(c.lo)} to ${fmtP(c.hi)}`);
  svg.append('rect').attr('x', x(0)).attr('y', 4).attr('width', x(1) - x(0)).attr('height', 10).attr('rx', 2).attr('fill', '#eef0f3');
  svg.append('line').attr('x1', x(0.5)).attr('x2', x(0.5)).attr('y1', 2).attr('y2', 16).attr('stroke', '#c5cad3').attr('stroke-dasharray', '2 2');
  svg
    .append('rect')
    .attr('x', x(0))
    .attr('y', 4)
    .attr('width', x(c.probability) - x(0))
    .attr('height', 10)
    .attr('rx', 2)
    .attr('fill', '#7ea6d8');
  if (isNum(c.lo) && isNum(c.hi)) {
    svg.append('line').attr('x1', x(c.lo)).attr('x2', x(c.hi)).attr('y1', 9).attr('y2', 9).attr('stroke', '#17233a').attr('stroke-width', 1.5);
    for (const v of [c.lo, c.hi]) svg.append('line').attr('x1', x(v)).attr('x2', x(v)).attr('y1', 5).attr('y2', 13).attr('stroke', '#17233a').attr('stroke-width', 1.5);
  }
  svg.append('circle').attr('cx', x(c.probability)).attr('cy', 9).attr('r', 3.2).attr('fill', '#17233a');
  return h(
    'div',
    { class: 'prob' },
    svg.node(),
    h(
      'span',
      { class: 'value' },
      fmtP(c.probability),
      ' ',
      h('span', { class: 'interval' }, isNum(c.lo) && isNum(c.hi) ? `(${fmtP(c.lo)}–${fmtP(c.hi)})` : ''),
    ),
  );
}
