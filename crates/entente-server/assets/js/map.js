// The choropleth: Natural Earth 1:110m countries (world-atlas topology), cut
// where no actor is and fitted to the scenario's states; coloured by the
// chosen metric, option and year.

import { NO_DATA, NOT_ACTOR } from './config.js';
import { $, h, tooltip } from './dom.js';
import { attrNum, esc, isNum } from './format.js';
import { METRICS, colourBar } from './metrics.js';
import { renderSelection } from './selection.js';
import { emit, idx, optionIdx, state, yearIdx } from './state.js';

const d3 = window.d3;
const topojson = window.topojson;

// Longitude to put in the middle of the map: the middle of the widest
// stretch of longitudes that no actor's polygon covers, so the map is cut
// there. Tiny polygons (under 1% of their feature's largest) do not count.
export function bestCentre(features) {
  const iv = [];
  const add = (geom) => {
    const [[w], [e]] = d3.geoBounds(geom);
    if (!isNum(w) || !isNum(e)) return;
    if (w <= e) iv.push([w, e]);
    else {
      iv.push([w, 180]);
      iv.push([-180, e]);
    }
  };
  for (const f of features) {
    const g = f.geometry || f;
    if (g.type === 'MultiPolygon') {
      const areas = g.coordinates.map((c) => d3.geoArea({ type: 'Polygon', coordinates: c }));
      const max = d3.max(areas);
      g.coordinates.forEach((c, i) => {
        if (areas[i] >= 0.01 * max) add({ type: 'Polygon', coordinates: c });
      });
    } else add(g);
  }
  if (!iv.length) return 0;
  iv.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [a, b] of iv) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  let best = { gap: -1, mid: 180 };
  for (let i = 0; i < merged.length; i++) {
    const end = merged[i][1];
    const next = i + 1 < merged.length ? merged[i + 1][0] : merged[0][0] + 360;
    const gap = next - end;
    if (gap > best.gap) best = { gap, mid: end + gap / 2 };
  }
  if (best.gap <= 0) return 0;
  let cut = best.mid;
  if (cut > 180) cut -= 360;
  let centre = cut + 180;
  if (centre > 180) centre -= 360;
  return centre;
}

// Miller's cylindrical projection (the static report draws the same one):
// meridians stay straight and evenly spaced out to the map's edges, so the
// states next to the cut (western Europe when the map is cut in the Atlantic)
// are not sheared into the corner as on a curved-edge world projection.
export function millerRaw(lambda, phi) {
  return [lambda, 1.25 * Math.log(Math.tan(Math.PI / 4 + 0.4 * phi))];
}
millerRaw.invert = (x, y) => [x, 2.5 * Math.atan(Math.exp(0.8 * y)) - 0.625 * Math.PI];

/** The map's projection, centred on `centre` (degrees east). */
export function mapProjection(centre) {
  return d3.geoProjection(millerRaw).rotate([-centre, 0]);
}

export function buildMap() {
  const s = state.summary;
  const topo = state.topo;
  const objName = state.mapJoin.object || 'countries';
  const fc = topojson.feature(topo, topo.objects[objName]);
  const join = new Map(state.mapJoin.features.map((f) => [f.index, f]));
  const feats = fc.features.map((f, i) => {
    const j = join.get(i) || {};
    const ccode = j.ccode ?? null;
    const si = ccode === null ? undefined : idx.stateByCcode.get(ccode);
    return {
      f,
      index: i,
      id: j.id ?? f.id ?? null,
      name: j.name || f.properties?.name || '',
      ccode,
      matchedBy: j.matched_by ?? null,
      si,
    };
  });
  const actors = feats.filter((d) => d.si !== undefined).map((d) => d.f);

  // The fit takes every polygon of every actor (islands and overseas parts
  // too), with a margin, so each actor is drawn whole and clear of the edges.
  const W = 960;
  const pad = 18;
  const centre = bestCentre(actors);
  idx.centre = centre;
  const projection = mapProjection(centre);
  const target = actors.length ? { type: 'FeatureCollection', features: actors } : { type: 'Sphere' };
  projection.fitWidth(W - 2 * pad, target);
  const b0 = d3.geoPath(projection).bounds(target);
  const H = Math.round(Math.max(320, Math.min(620, b0[1][1] - b0[0][1] + 2 * pad)));
  projection.fitExtent(
    [
      [pad, pad],
      [W - pad, H - pad],
    ],
    target,
  );
  const path = d3.geoPath(projection);

  const svg = d3.select('#map').attr('viewBox', `0 0 ${W} ${H}`);
  svg.selectAll('g, path, rect').remove();
  $('map-title').textContent = `Map of the scenario's ${s.states.length} states`;
  svg.append('path').attr('class', 'sphere').attr('d', path({ type: 'Sphere' }));
  svg.append('path').attr('class', 'graticule').attr('d', path(d3.geoGraticule10()));
  const g = svg.append('g').attr('class', 'countries');
  const select = (d) => {
    if (d.si !== undefined) emit('select-state', s.states[d.si].ccode);
  };
  g.selectAll('path.country')
    .data(feats)
    .join('path')
    .attr('class', (d) => (d.si !== undefined ? 'country actor' : 'country'))
    .attr('d', (d) => path(d.f) || '')
    .attr('data-index', (d) => d.index)
    .attr('data-feature-id', (d) => d.id ?? '')
    .attr('data-ccode', (d) => ((d.ccode ?? '') === '' ? '' : String(d.ccode)))
    .attr('data-matched-by', (d) => d.matchedBy ?? '')
    .attr('data-value', '')
    .attr('tabindex', (d) => (d.si !== undefined ? 0 : null))
    .attr('role', (d) => (d.si !== undefined ? 'button' : null))
    .attr('aria-label', (d) => (d.si !== undefined ? s.states[d.si].name : null))
    .on('mouseenter mousemove', (ev, d) => tooltip.show(mapTooltip(d), ev))
    .on('mouseleave', () => tooltip.hide())
    .on('click', (ev, d) => select(d))
    .on('keydown', (ev, d) => {
      if ((ev.key === 'Enter' || ev.key === ' ') && d.si !== undefined) {
        ev.preventDefault();
        select(d);
      }
    });
}

function mapTooltip(d) {
  const s = state.summary;
  const m = METRICS[state.metric];
  if (d.si === undefined) {
    return `<strong>${esc(d.name)}</strong><span class="muted">not an actor of this scenario</span>`;
  }
  const st = s.states[d.si];
  const v = m.value(optionIdx(), d.si, yearIdx());
  const when = m.perYear ? `, ${state.year}` : '';
  const unit = s.units[st.unit];
  const bloc = unit && unit.members.length > 1 ? `<div>alignment unit: ${esc(unit.label)}</div>` : '';
  return `<strong>${esc(st.name)} (${esc(st.label)})</strong>
    <div>${esc(m.title)}${esc(when)}: <b>${esc(m.format(v))}</b></div>
    <div>option: ${esc(state.option)}</div>${bloc}`;
}

function metricValues(m) {
  // The colour scale spans every option (and year) so that switching keeps colours comparable.
  const s = state.summary;
  const vals = [];
  for (let oi = 0; oi < s.options.length; oi++) {
    for (let si = 0; si < s.states.length; si++) {
      if (m.perYear) {
        for (let t = 0; t < s.years.length; t++) {
          const v = m.value(oi, si, t);
          if (isNum(v)) vals.push(v);
        }
      } else {
        const v = m.value(oi, si, 0);
        if (isNum(v)) vals.push(v);
      }
    }
  }
  return vals;
}

export function renderMapColours() {
  const s = state.summary;
  const m = METRICS[state.metric];
  const sc = m.scale(metricValues(m));
  const oi = optionIdx();
  const t = yearIdx();
  const values = s.states.map((_, si) => m.value(oi, si, t));
  d3.select('#map')
    .selectAll('path.country')
    .each(function (d) {
      const v = d.si !== undefined ? values[d.si] : null;
      this.setAttribute('data-value', attrNum(v));
      this.setAttribute('fill', d.si === undefined ? NOT_ACTOR : isNum(v) ? sc.color(v) : NO_DATA);
    });
  $('year-field').hidden = !m.perYear;
  $('year').value = state.year;
  $('year-label').textContent = state.year;
  $('map-heading').textContent = m.perYear ? `${m.title}, ${state.year}` : m.title;
  $('map-desc').textContent = `${m.title} (${m.unit}) by state under option ${state.option}${m.perYear ? ` in ${state.year}` : ''}.`;
  renderMapLegend(m, sc);
  renderSelection();
}

function renderMapLegend(m, sc) {
  const box = $('map-legend');
  box.replaceChildren();
  box.append(h('span', { class: 'item scale-title' }, m.unit));
  box.append(colourBar(sc));
  box.append(h('span', { class: 'item' }, h('span', { class: 'swatch', style: `background:${NO_DATA}` }), 'no data'));
  box.append(h('span', { class: 'item' }, h('span', { class: 'swatch', style: `background:${NOT_ACTOR}` }), 'not an actor'));
}
