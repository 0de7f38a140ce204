// The selected state, highlighted in every view (map, network, state lists).

import { $ } from './dom.js';
import { state, stateIdx } from './state.js';

const d3 = window.d3;

export function renderSelection() {
  if (!state.summary) return;
  const s = state.summary;
  const si = stateIdx();
  const unit = si === undefined ? -1 : s.states[si].unit;
  d3.select('#map')
    .selectAll('path.country')
    .classed('selected', (d) => d.ccode === state.ccode && d.si !== undefined)
    .filter((d) => d.ccode === state.ccode && d.si !== undefined)
    .raise();
  d3.select('#network')
    .selectAll('circle.node')
    .classed('selected', (d) => d.i === unit)
    .attr('aria-pressed', (d) => (d.i === unit ? 'true' : 'false'));
  d3.select('#network')
    .selectAll('text.label')
    .classed('selected', (d) => d.i === unit);
  $('state').value = String(state.ccode);
  $('fan-state').value = String(state.ccode);
}
