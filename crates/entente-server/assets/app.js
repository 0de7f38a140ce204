// Entente dashboard: plain ES module, no build step, no framework.
// d3 (v7 UMD) and topojson-client are loaded by classic <script> tags before this module.
// The API is described in docs/api.md.

const d3 = window.d3;
const topojson = window.topojson;

const FLAGSHIP = 'nato-ip4';
const CHINA = 710;
// Option colours (the same palette as the static report's fan charts).
const OPTION_COLORS = ['#4c72b0', '#dd8452', '#55a868', '#c44e52', '#8172b3', '#937860', '#da8bc3', '#8c8c8c'];
const NO_DATA = '#c3c8cf';
const NOT_ACTOR = '#e6e8eb';

// ---------------------------------------------------------------------------
// State: everything the views draw from. Change it, then call the render
// functions; nothing else holds view state.
const state = {
  scenarios: [],
  runs: [],
  runId: null,
  summary: null,
  mapJoin: null,
  topo: null,
  option: null, // option id
  metric: 'milex',
  // Which ties the network draws: most pairs share a non-aggression treaty
  // (ASEAN's Treaty of Amity), which would hide the alliances.
  ties: 'security',
  year: null,
  ccode: null, // selected state
  loadToken: 0,
  job: null,
};

// Derived indices of the loaded run (rebuilt by prepareRun).
let idx = null;

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function api(path, init) {
  let res;
  try {
    res = await fetch(path, { headers: { Accept: 'application/json' }, ...init });
  } catch (e) {
    throw new ApiError(0, `cannot reach the server (${path}): ${e.message}`);
  }
  let body = null;
  const text = await res.text();
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    const msg = body && body.message ? body.message : `${res.status} ${res.statusText} (${path})`;
    throw new ApiError(res.status, msg, body);
  }
  return body;
}

const cache = { maps: new Map(), topo: new Map() };

function getMapJoin(year) {
  if (!cache.maps.has(year)) {
    const p = api(`/api/map?year=${encodeURIComponent(year)}`);
    p.catch(() => cache.maps.delete(year));
    cache.maps.set(year, p);
  }
  return cache.maps.get(year);
}

function getTopology(url) {
  if (!cache.topo.has(url)) {
    const p = d3.json(url);
    p.catch(() => cache.topo.delete(url));
    cache.topo.set(url, p);
  }
  return cache.topo.get(url);
}

// ---------------------------------------------------------------------------
// Small helpers

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v; // CSSOM, allowed under a strict CSP
    else if (k === 'text') e.textContent = v;
    else if (k === 'html') e.innerHTML = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const attrNum = (v) => (isNum(v) ? String(+v.toPrecision(8)) : '');

function fmtBn(v) {
  if (!isNum(v)) return 'no data';
  const a = Math.abs(v);
  const f = a >= 100 ? d3.format(',.0f') : a >= 10 ? d3.format('.1f') : d3.format('.2f');
  return `US$ ${f(v)} bn`;
}
const fmtPct = (v) => (isNum(v) ? `${d3.format('+.1f')(v)}%` : 'no data');
const fmtShare = (v) => (isNum(v) ? d3.format('.0%')(v) : 'no data');
const fmtProb = (v) => (isNum(v) ? d3.format('.1%')(v) : 'no data');
const fmtP = (v) => (isNum(v) ? d3.format('.0%')(v) : '–');

function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

function showAppError(msg) {
  const b = $('app-error');
  if (!msg) {
    b.hidden = true;
    b.textContent = '';
    return;
  }
  b.textContent = msg;
  b.hidden = false;
}

// Tooltip (one for the page).
const tooltip = {
  show(content, ev) {
    const t = $('tooltip');
    if (content instanceof Node) t.replaceChildren(content);
    else t.innerHTML = content;
    t.hidden = false;
    this.move(ev);
  },
  move(ev) {
    const t = $('tooltip');
    if (t.hidden || !ev) return;
    const pad = 14;
    const r = t.getBoundingClientRect();
    let x = ev.clientX + pad;
    let y = ev.clientY + pad;
    if (x + r.width > window.innerWidth - 4) x = ev.clientX - r.width - pad;
    if (y + r.height > window.innerHeight - 4) y = ev.clientY - r.height - pad;
    t.style.left = `${Math.max(4, x)}px`;
    t.style.top = `${Math.max(4, y)}px`;
  },
  hide() {
    $('tooltip').hidden = true;
  },
};

// ---------------------------------------------------------------------------
// Metrics of the map

const METRICS = {
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
  with_china: {
    perYear: false,
    title: "Share of draws in China's coalition",
    unit: 'share of draws (of the state’s alignment unit)',
    format: fmtShare,
    value(oi, si) {
      const u = state.summary.states[si].unit;
      const v = state.summary.by_option[oi].with_china[u];
      return isNum(v) ? v : null;
    },
    scale() {
      return { color: withChinaScale(), kind: 'diverging', domain: [0, 0.5, 1], tickFormat: d3.format('.0%') };
    },
  },
};

function withChinaScale() {
  return d3.scaleDiverging((t) => d3.interpolateRdBu(1 - t)).domain([0, 0.5, 1]).clamp(true);
}

// ---------------------------------------------------------------------------
// Boot

async function init() {
  wireControls();
  wireRunForm();
  api('/api/health')
    .then((h) => {
      $('version').textContent = `entente ${h.version}`;
    })
    .catch(() => {});

  let scenarios = [];
  let runs = [];
  try {
    [scenarios, runs] = await Promise.all([
      api('/api/scenarios').then((b) => b.scenarios || []),
      api('/api/runs').then((b) => b.runs || []),
    ]);
  } catch (e) {
    showAppError(`Cannot load the scenarios and runs: ${e.message}`);
    setPlaceholder('The server did not answer.');
    return;
  }
  state.scenarios = scenarios;
  state.runs = runs;
  renderScenarioList();
  renderRunList();
  fillRunScenarios();

  const fromHash = new URLSearchParams(location.hash.slice(1)).get('run');
  const viewable = (r) => r.status === 'complete' && r.has_summary;
  const pick =
    (fromHash && runs.find((r) => r.id === fromHash && viewable(r))) ||
    runs.find((r) => viewable(r) && r.scenario === FLAGSHIP) ||
    runs.find(viewable);
  if (pick) {
    await loadRun(pick.id);
    return;
  }
  // No run to show: follow a running job, if this server has one.
  try {
    const { jobs } = await api('/api/jobs');
    const job = (jobs || []).find((j) => j.state === 'running' || j.state === 'queued');
    if (job) {
      setPlaceholder(`No finished run yet. Waiting for ${job.id} (${job.scenario}); the run is shown when it completes.`);
      $('placeholder-progress').hidden = false;
      trackJob(job);
      return;
    }
  } catch (e) {
    showAppError(`Cannot load the jobs: ${e.message}`);
  }
  setPlaceholder('No finished run yet. Start one with the form on the left.');
}

function setPlaceholder(text) {
  $('run-placeholder').hidden = false;
  $('run-placeholder-text').textContent = text;
}

// ---------------------------------------------------------------------------
// Lists

function renderScenarioList() {
  const ul = $('scenario-list');
  ul.replaceChildren();
  if (!state.scenarios.length) {
    ul.append(h('li', { class: 'muted', text: 'No scenarios.' }));
    return;
  }
  for (const s of state.scenarios) {
    const k = (s.params || []).filter((p) => p.uncertain).length;
    ul.append(
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            'data-scenario': s.name,
            title: `${s.title}\nUse it in the run form`,
            onclick: () => {
              $('run-scenario').value = s.name;
              onRunScenarioChange();
              $('run-base-samples').focus();
            },
          },
          h('span', { class: 'name' }, s.name),
          h('span', { class: 'sub' }, s.title),
          h(
            'span',
            { class: 'sub' },
            `${s.actors} actors · ${(s.options || []).length} options · ${k} uncertain parameters · ${s.base_year}–${s.base_year + s.horizon_years}`,
          ),
        ),
      ),
    );
  }
}

function renderRunList() {
  const ul = $('run-list');
  ul.replaceChildren();
  if (!state.runs.length) {
    ul.append(h('li', { class: 'muted', text: 'No runs yet.' }));
    return;
  }
  for (const r of state.runs) {
    const viewable = r.status === 'complete' && r.has_summary;
    const why = viewable
      ? `Show run ${r.id}`
      : r.status !== 'complete'
        ? `${r.status}${r.message ? `: ${r.message}` : ''}`
        : r.shard
          ? 'a shard part: no summary of its own'
          : 'no summary';
    const facts = [fmtTime(r.started_at), `${r.draws} draws`, `seed ${r.seed}`];
    if (r.shard) facts.push(`shard ${r.shard}`);
    ul.append(
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            'data-run-id': r.id,
            'aria-current': r.id === state.runId ? 'true' : 'false',
            disabled: !viewable,
            title: why,
            onclick: () => loadRun(r.id),
          },
          h('span', { class: 'name' }, r.scenario, h('span', { class: `badge ${r.status}` }, r.status)),
          h('span', { class: 'sub' }, facts.join(' · ')),
          h('span', { class: 'sub' }, h('code', {}, r.id)),
        ),
      ),
    );
  }
}

async function refreshRuns() {
  try {
    const { runs } = await api('/api/runs');
    state.runs = runs || [];
    renderRunList();
  } catch (e) {
    showAppError(`Cannot refresh the runs: ${e.message}`);
  }
}

// ---------------------------------------------------------------------------
// Loading a run

async function loadRun(id) {
  const token = ++state.loadToken;
  document.body.dataset.ready = 'false';
  $('run-view').setAttribute('aria-busy', 'true');
  $('views').style.opacity = state.summary ? '0.55' : '';
  showAppError(null);
  try {
    const summary = await api(`/api/runs/${encodeURIComponent(id)}/summary`);
    const mapJoin = await getMapJoin(summary.scenario.base_year);
    const topo = await getTopology(mapJoin.topology);
    if (token !== state.loadToken) return;
    state.runId = id;
    state.summary = summary;
    state.mapJoin = mapJoin;
    state.topo = topo;
    prepareRun();
    renderAll();
    $('views').style.opacity = '';
    $('run-view').setAttribute('aria-busy', 'false');
    renderRunList();
    if (history.replaceState) history.replaceState(null, '', `#run=${encodeURIComponent(id)}`);
    document.body.dataset.runId = id;
    document.body.dataset.ready = 'true';
  } catch (e) {
    if (token !== state.loadToken) return;
    $('views').style.opacity = '';
    $('run-view').setAttribute('aria-busy', 'false');
    showAppError(`Cannot load run ${id}: ${e.message}`);
    if (!state.summary) setPlaceholder('The run could not be loaded.');
  }
}

// Indices and defaults of a newly loaded run. Keeps the user's option, state,
// metric and year when the new run has them.
function prepareRun() {
  const s = state.summary;
  const stateByCcode = new Map(s.states.map((st, i) => [st.ccode, i]));
  const optionIndex = new Map(s.options.map((o, i) => [o.id, i]));
  // by_option is matched by its `option` id, falling back to position.
  const byOption = s.options.map((o, i) => s.by_option.find((b) => b.option === o.id) || s.by_option[i]);
  s.by_option = byOption;
  const hasMilex = s.states.map((_, i) => byOption.some((b) => b && b.milex_const2023_usd_m[i]));
  idx = {
    stateByCcode,
    optionIndex,
    baselineIndex: optionIndex.has(s.baseline) ? optionIndex.get(s.baseline) : 0,
    hasMilex,
  };

  if (!optionIndex.has(state.option)) {
    const firstTreatment = (s.claims || []).find((c) => c.metric && optionIndex.has(c.treatment));
    const nonBaseline = s.options.find((o) => o.id !== s.baseline);
    state.option = firstTreatment ? firstTreatment.treatment : (nonBaseline || s.options[0]).id;
  }
  if (!stateByCcode.has(state.ccode) || !hasMilex[stateByCcode.get(state.ccode)]) {
    if (stateByCcode.has(CHINA) && hasMilex[stateByCcode.get(CHINA)]) state.ccode = CHINA;
    else {
      const i = hasMilex.findIndex(Boolean);
      state.ccode = s.states[i >= 0 ? i : 0]?.ccode ?? null;
    }
  }
  if (!s.years.includes(state.year)) state.year = s.years[0];
}

function optionIdx() {
  return idx.optionIndex.get(state.option) ?? 0;
}
function yearIdx() {
  const t = state.summary.years.indexOf(state.year);
  return t < 0 ? 0 : t;
}
function stateIdx() {
  return idx.stateByCcode.get(state.ccode);
}

// ---------------------------------------------------------------------------
// Controls

function wireControls() {
  $('option').addEventListener('change', (e) => {
    state.option = e.target.value;
    renderOptionDependent();
  });
  for (const id of ['state', 'fan-state']) {
    $(id).addEventListener('change', (e) => selectState(Number(e.target.value)));
  }
  $('metric').addEventListener('change', (e) => {
    state.metric = e.target.value;
    renderMapColours();
    renderFans();
  });
  $('year').addEventListener('input', (e) => {
    state.year = Number(e.target.value);
    renderMapColours();
    renderFanYearMarker();
  });
  $('ties').addEventListener('change', (e) => {
    state.ties = e.target.value;
    renderNetwork();
  });
}

function selectState(ccode) {
  if (!idx || !idx.stateByCcode.has(ccode)) return;
  state.ccode = ccode;
  renderSelection();
  renderFans();
}

function renderAll() {
  const s = state.summary;
  $('run-placeholder').hidden = true;
  $('toolbar').hidden = false;
  $('views').hidden = false;
  renderHeader();
  renderToolbar();
  // Year scrubber over the run's years.
  const yr = $('year');
  yr.min = s.years[0];
  yr.max = s.years[s.years.length - 1];
  yr.value = state.year;
  $('metric').value = state.metric;
  buildMap();
  buildNetworkLayout();
  renderOptionDependent();
  renderClaims();
}

function renderOptionDependent() {
  $('option').value = state.option;
  renderOptionDescription();
  renderMapColours();
  renderNetwork();
  renderFans();
  renderClaimsOption();
}

function renderHeader() {
  const s = state.summary;
  const run = state.runs.find((r) => r.id === state.runId);
  const facts = [
    h('span', {}, h('code', {}, s.run_id || state.runId)),
    h('span', {}, `${s.experiment.draws} draws (base samples ${s.experiment.base_samples})`),
    h('span', {}, `seed ${s.experiment.seed}`),
    h('span', {}, `${s.years[0]}–${s.years[s.years.length - 1]}`),
  ];
  if (run && run.finished_at) facts.push(h('span', {}, `finished ${fmtTime(run.finished_at)}`));
  $('run-meta').replaceChildren(
    h('span', { class: 'title' }, `${s.scenario.title} `, h('span', { class: 'badge' }, s.scenario.name)),
    h('span', { class: 'facts' }, facts),
  );
}

function renderToolbar() {
  const s = state.summary;
  const sel = $('option');
  sel.replaceChildren(
    ...s.options.map((o) => h('option', { value: o.id }, o.id === s.baseline ? `${o.id} (baseline)` : o.id)),
  );
  sel.value = state.option;

  const stateOptions = () =>
    s.states
      .map((st, i) => ({ st, i }))
      .sort((a, b) => a.st.name.localeCompare(b.st.name))
      .map(({ st, i }) =>
        h('option', { value: st.ccode }, `${st.name} (${st.label})${idx.hasMilex[i] ? '' : ' – no spending data'}`),
      );
  $('state').replaceChildren(...stateOptions());
  $('fan-state').replaceChildren(...stateOptions());
}

function renderOptionDescription() {
  const s = state.summary;
  const o = s.options[optionIdx()];
  const b = s.by_option[optionIdx()]?.bargaining_median;
  const parts = [o ? o.description : ''];
  if (b && isNum(b.q50)) {
    const issue = s.scenario.issue ? ` (${s.scenario.issue})` : '';
    parts.push(
      `Bargaining forecast${issue}: ${d3.format('.0f')(b.q50)} [${d3.format('.0f')(b.q05)}–${d3.format('.0f')(b.q95)}].`,
    );
  }
  $('option-description').textContent = parts.filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------
// Map

// Longitude to put in the middle of the map: the middle of the widest
// stretch of longitudes that no actor's polygon covers, so the map is cut
// there. Tiny polygons (under 1% of their feature's largest) do not count.
function bestCentre(features) {
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

// A feature without its small outlying polygons (Hawaii, French Guiana's
// neighbours, islands): what the centre and the fit of the map look at.
function mainland(f) {
  const g = f.geometry;
  if (!g || g.type !== 'MultiPolygon') return f;
  const areas = g.coordinates.map((c) => d3.geoArea({ type: 'Polygon', coordinates: c }));
  const max = d3.max(areas);
  const keep = g.coordinates.filter((_, i) => areas[i] >= 0.1 * max);
  return { type: 'Feature', properties: f.properties, geometry: { type: 'MultiPolygon', coordinates: keep } };
}

function buildMap() {
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
  const actorFeats = actors.map(mainland);

  const W = 960;
  const pad = 12;
  const centre = bestCentre(actors);
  idx.centre = centre;
  const projection = d3.geoNaturalEarth1().rotate([-centre, 0]);
  const target = actorFeats.length ? { type: 'FeatureCollection', features: actorFeats } : { type: 'Sphere' };
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
  g.selectAll('path.country')
    .data(feats)
    .join('path')
    .attr('class', (d) => (d.si !== undefined ? 'country actor' : 'country'))
    .attr('d', (d) => path(d.f) || '')
    .attr('data-index', (d) => d.index)
    .attr('data-feature-id', (d) => d.id ?? '')
    .attr('data-ccode', (d) => (d.ccode ?? '') === '' ? '' : String(d.ccode))
    .attr('data-matched-by', (d) => d.matchedBy ?? '')
    .attr('data-value', '')
    .attr('tabindex', (d) => (d.si !== undefined ? 0 : null))
    .attr('role', (d) => (d.si !== undefined ? 'button' : null))
    .attr('aria-label', (d) => (d.si !== undefined ? s.states[d.si].name : null))
    .on('mouseenter mousemove', (ev, d) => tooltip.show(mapTooltip(d), ev))
    .on('mouseleave', () => tooltip.hide())
    .on('click', (ev, d) => {
      if (d.si !== undefined) selectState(s.states[d.si].ccode);
    })
    .on('keydown', (ev, d) => {
      if ((ev.key === 'Enter' || ev.key === ' ') && d.si !== undefined) {
        ev.preventDefault();
        selectState(s.states[d.si].ccode);
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

function renderMapColours() {
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

// A colour bar with ticks for a sequential/diverging scale.
function colourBar(sc, width = 280) {
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

// Classes of the selected state in every view.
function renderSelection() {
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

// ---------------------------------------------------------------------------
// Alignment network

const OBLIGATIONS = {
  defence: { w: 2.6, c: '#2f3b52', label: 'defence' },
  offence: { w: 2.2, c: '#5b3a63', label: 'offence' },
  neutrality: { w: 1.6, c: '#5f6b7d', label: 'neutrality' },
  nonaggression: { w: 1.2, c: '#8c96a5', label: 'non-aggression' },
  consultation: { w: 1.4, c: '#4f8a8b', label: 'consultation' },
  cooperation: { w: 1.0, c: '#aab2be', label: 'cooperation' },
};
const obligationStyle = (o) => OBLIGATIONS[o] || { w: 1, c: '#999', label: o };
const NET = { W: 600, H: 440 };

// Deterministic layout: nodes start at their members' capitals (projected like
// the map), then a force simulation runs a fixed number of ticks (seeded, no
// animation). The layout, in its own coordinates, serves every option; the
// render scales it to the card's width.
function buildNetworkLayout() {
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
    const proj = d3
      .geoNaturalEarth1()
      .rotate([-(idx.centre ?? 0), 0])
      .fitExtent(
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

function cardWidth(id, fallback) {
  const w = $(id).parentElement.clientWidth;
  return w > 50 ? Math.round(w) : fallback;
}

function renderNetwork() {
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
  const colour = withChinaScale();
  const svg = d3.select('#network').attr('viewBox', `0 0 ${W} ${H}`).attr('width', W).attr('height', H);
  svg.selectAll('g').remove();
  $('network-heading').textContent = `Alignment network: ${state.option}`;
  $('network-title').textContent = `Alignment network under option ${state.option}`;
  $('network-desc').textContent =
    `${s.units.length} alignment units; circle area follows CINC, colour the share of draws in China's coalition; lines are the strongest obligation between two units.`;

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
    .attr('data-with-china', (d) => attrNum(bo.with_china[d.i]))
    .attr('cx', (d) => +d.x.toFixed(2))
    .attr('cy', (d) => +d.y.toFixed(2))
    .attr('r', (d) => +d.r.toFixed(2))
    .attr('fill', (d) => (isNum(bo.with_china[d.i]) ? colour(bo.with_china[d.i]) : NO_DATA))
    .attr('tabindex', 0)
    .attr('role', 'button')
    .attr('aria-label', (d) => `${s.units[d.i].label}: with China in ${fmtShare(bo.with_china[d.i])} of draws`)
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
  if (first !== undefined) selectState(first);
}

function nodeTooltip(u, bo) {
  const s = state.summary;
  const unit = s.units[u];
  const names = unit.members.map((c) => s.states[idx.stateByCcode.get(c)]?.name ?? String(c));
  const who = unit.members.length === 1 ? names[0] : `${unit.members.length} states: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`;
  return `<strong>${esc(unit.label)}</strong><div>${esc(who)}</div>
    <div class="row"><span>with China</span><b>${esc(fmtShare(bo.with_china[u]))} of draws</b></div>
    <div class="row"><span>CINC</span><b>${isNum(unit.cinc) ? unit.cinc.toFixed(3) : 'no data'}</b></div>`;
}

function renderNetworkLegend(edges) {
  const box = $('network-legend');
  box.replaceChildren();
  box.append(h('span', { class: 'item scale-title' }, 'with China'));
  box.append(colourBar({ color: withChinaScale(), kind: 'diverging', domain: [0, 0.5, 1], tickFormat: d3.format('.0%') }, 180));
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

// ---------------------------------------------------------------------------
// Fan chart

const FAN = { m: { t: 14, r: 18, b: 40, l: 62 } };
let fanScales = null;

function optionColour(oi) {
  return OPTION_COLORS[oi % OPTION_COLORS.length];
}

function renderFans() {
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
  $('state-note').textContent = `Medians over draws; spending in US$ bn at 2023 prices (5–95% of draws in brackets). Threat is the annual probability of being the target of a militarised dispute; with China, the share of draws in which ${st.name}'s alignment unit (${s.units[st.unit]?.label ?? '?'}) sits in China's coalition.`;
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
        h('th', { scope: 'col' }, 'With', h('br'), 'China'),
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
        h('td', {}, fmtShare(METRICS.with_china.value(oi, si))),
      ),
    );
  });
  table.append(tb);
}

function renderFanYearMarker() {
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

// ---------------------------------------------------------------------------
// Claims

function renderClaims() {
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
    if (modelled) probCell.append(probabilityBar(c));
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

function renderClaimsOption() {
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

// ---------------------------------------------------------------------------
// Run form

const DIST_FIELDS = {
  uniform: ['lo', 'hi'],
  normal: ['mean', 'sd', 'lo', 'hi'],
  triangular: ['lo', 'mode', 'hi'],
  lognormal: ['median', 'sigma'],
  fixed: ['value'],
};

function formScenario() {
  return state.scenarios.find((s) => s.name === $('run-scenario').value);
}

function fillRunScenarios() {
  const sel = $('run-scenario');
  sel.replaceChildren(...state.scenarios.map((s) => h('option', { value: s.name }, s.name)));
  const prefer = state.scenarios.find((s) => s.name === FLAGSHIP) || state.scenarios[0];
  if (prefer) sel.value = prefer.name;
  onRunScenarioChange();
}

function onRunScenarioChange() {
  const sc = formScenario();
  const sel = $('run-prior-param');
  sel.replaceChildren(h('option', { value: '' }, 'keep priors'));
  if (sc) {
    const params = sc.params || [];
    const group = (label, list) => {
      if (!list.length) return;
      const og = h('optgroup', { label });
      for (const p of list) og.append(h('option', { value: p.name }, `${p.name} (${describePrior(p.prior)})`));
      sel.append(og);
    };
    group('uncertain', params.filter((p) => p.uncertain));
    group('fixed', params.filter((p) => !p.uncertain));
    $('run-seed').placeholder = sc.experiment ? String(sc.experiment.seed) : "scenario's";
    $('run-seed-hint').textContent = sc.experiment ? `Blank seed: the scenario's (${sc.experiment.seed}).` : "Blank seed: the scenario's.";
  }
  onPriorParamChange();
}

function describePrior(p) {
  if (!p) return '?';
  const f = d3.format('~g');
  switch (p.dist) {
    case 'fixed':
      return `fixed ${f(p.value)}`;
    case 'uniform':
      return `uniform ${f(p.lo)}–${f(p.hi)}`;
    case 'normal':
      return `normal ${f(p.mean)} ± ${f(p.sd)} in ${f(p.lo)}–${f(p.hi)}`;
    case 'lognormal':
      return `lognormal median ${f(p.median)}, σ ${f(p.sigma)}`;
    case 'triangular':
      return `triangular ${f(p.lo)}, ${f(p.mode)}, ${f(p.hi)}`;
    default:
      return p.dist;
  }
}

function currentParam() {
  const sc = formScenario();
  const name = $('run-prior-param').value;
  return sc && name ? (sc.params || []).find((p) => p.name === name) : null;
}

function onPriorParamChange() {
  const p = currentParam();
  $('run-prior-fields').hidden = !p;
  if (p) {
    const dist = DIST_FIELDS[p.prior?.dist] ? p.prior.dist : 'uniform';
    $('run-prior-dist').value = dist;
    fillPriorNumbers(p.prior || {}, true);
    $('run-prior-current').textContent = `Current prior: ${describePrior(p.prior)}`;
  }
  onPriorDistChange();
}

// Fill the number inputs from a prior; derive lo/hi etc. when the prior has another shape.
function fillPriorNumbers(prior, overwrite) {
  const v = { ...prior };
  const f = (x) => (isNum(x) ? +x.toPrecision(6) : undefined);
  if (!isNum(v.lo) || !isNum(v.hi)) {
    if (isNum(v.mean) && isNum(v.sd)) [v.lo, v.hi] = [v.mean - 2 * v.sd, v.mean + 2 * v.sd];
    else if (isNum(v.median) && isNum(v.sigma)) [v.lo, v.hi] = [v.median * Math.exp(-2 * v.sigma), v.median * Math.exp(2 * v.sigma)];
    else if (isNum(v.value)) [v.lo, v.hi] = [v.value * 0.8, v.value * 1.2];
  }
  if (!isNum(v.mean)) v.mean = isNum(v.mode) ? v.mode : isNum(v.median) ? v.median : isNum(v.value) ? v.value : isNum(v.lo) && isNum(v.hi) ? (v.lo + v.hi) / 2 : undefined;
  if (!isNum(v.sd) && isNum(v.lo) && isNum(v.hi)) v.sd = (v.hi - v.lo) / 4;
  if (!isNum(v.mode)) v.mode = v.mean;
  if (!isNum(v.median)) v.median = isNum(v.mean) && v.mean > 0 ? v.mean : undefined;
  if (!isNum(v.sigma)) v.sigma = 0.3;
  if (!isNum(v.value)) v.value = v.mean;
  for (const k of ['lo', 'hi', 'mean', 'sd', 'mode', 'median', 'sigma', 'value']) {
    const input = $(`run-prior-${k}`);
    if (overwrite || input.value === '') input.value = f(v[k]) ?? '';
  }
}

function onPriorDistChange() {
  const dist = $('run-prior-dist').value;
  const shown = DIST_FIELDS[dist] || [];
  for (const div of document.querySelectorAll('#run-prior-fields [data-for]')) {
    div.hidden = !div.dataset.for.split(' ').includes(dist);
  }
  for (const k of shown) $(`run-prior-${k}`).required = true;
  updateDrawsHint();
}

function updateDrawsHint() {
  const sc = formScenario();
  if (!sc) {
    $('run-draws-hint').textContent = '';
    return;
  }
  let k = (sc.params || []).filter((p) => p.uncertain).length;
  const p = currentParam();
  if (p) {
    const nowUncertain = $('run-prior-dist').value !== 'fixed';
    k += (nowUncertain ? 1 : 0) - (p.uncertain ? 1 : 0);
  }
  const n = Number($('run-base-samples').value);
  $('run-draws-hint').textContent =
    Number.isInteger(n) && n > 0 ? `${n} × (${k} + 2) = ${n * (k + 2)} draws (base samples 2–64)` : 'base samples: 2–64';
}

function wireRunForm() {
  $('run-scenario').addEventListener('change', onRunScenarioChange);
  $('run-prior-param').addEventListener('change', onPriorParamChange);
  $('run-prior-dist').addEventListener('change', () => {
    const p = currentParam();
    fillPriorNumbers(p?.prior || {}, false);
    onPriorDistChange();
  });
  $('run-base-samples').addEventListener('input', updateDrawsHint);
  $('run-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    submitRun();
  });
}

function setRunError(msg) {
  const e = $('run-error');
  e.textContent = msg || '';
  e.hidden = !msg;
}

// The request body. Integers are written with their digits as typed, so a
// seed above 2^53 survives JSON.
function runRequestBody() {
  const raw = {};
  const body = { scenario: $('run-scenario').value };
  const bs = $('run-base-samples').value.trim();
  if (bs !== '') {
    body.base_samples = /^-?\d+$/.test(bs) ? `@@base_samples@@` : Number(bs);
    raw.base_samples = bs;
  }
  const seed = $('run-seed').value.trim();
  if (seed !== '') {
    body.seed = /^\d+$/.test(seed) ? '@@seed@@' : Number(seed);
    raw.seed = seed;
  }
  const p = currentParam();
  if (p) {
    const dist = $('run-prior-dist').value;
    const prior = { param: p.name, dist };
    for (const k of DIST_FIELDS[dist] || []) {
      const v = $(`run-prior-${k}`).value.trim();
      prior[k] = v === '' ? null : Number(v);
    }
    body.prior = prior;
  }
  let json = JSON.stringify(body);
  for (const [k, v] of Object.entries(raw)) json = json.replace(`"@@${k}@@"`, v);
  return json;
}

async function submitRun() {
  setRunError(null);
  const btn = $('run-submit');
  btn.disabled = true;
  let res;
  try {
    res = await fetch('/api/runs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: runRequestBody(),
    });
  } catch (e) {
    setRunError(`Cannot reach the server: ${e.message}`);
    btn.disabled = false;
    return;
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (res.status !== 202 || !body) {
    let msg = body && body.message ? body.message : `The server answered ${res.status} ${res.statusText}.`;
    if (res.status === 429) {
      const after = res.headers.get('Retry-After');
      msg += after ? ` Try again in ${after} s.` : ' Try again later.';
    }
    setRunError(msg);
    btn.disabled = false;
    return;
  }
  trackJob(body);
}

// Follow a job through its server-sent events (polling as a fallback).
function trackJob(job) {
  if (state.job && state.job.source) state.job.source.close();
  if (state.job && state.job.timer) clearInterval(state.job.timer);
  const j = { id: job.id, done: false, source: null, timer: null };
  state.job = j;
  document.body.dataset.lastJob = job.state;
  $('run-submit').disabled = true;
  $('run-status').hidden = false;
  $('run-progress-label').textContent = `${job.id} (${job.scenario}): ${job.state}`;
  showProgress(job.done ?? 0, job.total ?? 0);

  const finish = async (kind, data) => {
    if (j.done) return;
    j.done = true;
    if (j.source) j.source.close();
    if (j.timer) clearInterval(j.timer);
    $('run-submit').disabled = false;
    document.body.dataset.lastJob = kind;
    if (kind === 'complete') {
      const p = $('run-progress');
      p.value = p.max;
      $('run-progress-label').textContent = `${job.id}: complete`;
      await refreshRuns();
      if (data && data.run_id) await loadRun(data.run_id);
    } else {
      $('run-progress-label').textContent = `${job.id}: failed`;
      setRunError(data && data.message ? data.message : 'The run failed.');
      await refreshRuns();
      if (!state.summary) setPlaceholder('The run failed. Start another with the form on the left.');
    }
  };

  const poll = () => {
    if (j.timer) return;
    j.timer = setInterval(async () => {
      try {
        const cur = await api(`/api/jobs/${encodeURIComponent(job.id)}`);
        showProgress(cur.done, cur.total);
        if (cur.state === 'complete') finish('complete', { run_id: cur.run_id });
        else if (cur.state === 'failed') finish('failed', { message: cur.message });
      } catch {
        /* keep polling */
      }
    }, 1500);
  };

  if (typeof EventSource === 'undefined' || !job.events) {
    poll();
    return;
  }
  const es = new EventSource(job.events);
  j.source = es;
  es.addEventListener('progress', (e) => {
    try {
      const d = JSON.parse(e.data);
      const st = d.state === 'queued' || d.state === 'running' ? d.state : 'running';
      showProgress(d.done, d.total);
      $('run-progress-label').textContent = `${job.id} (${job.scenario}): ${st}`;
      document.body.dataset.lastJob = st;
    } catch {
      /* ignore a malformed event */
    }
  });
  es.addEventListener('complete', (e) => {
    let d = {};
    try {
      d = JSON.parse(e.data);
    } catch {
      /* handled below */
    }
    finish('complete', d);
  });
  es.addEventListener('failed', (e) => {
    let d = {};
    try {
      d = JSON.parse(e.data);
    } catch {
      /* handled below */
    }
    finish('failed', d);
  });
  es.onerror = () => {
    // The browser reconnects by itself unless the stream is closed for good.
    if (!j.done && es.readyState === EventSource.CLOSED) poll();
  };
}

function showProgress(done, total) {
  for (const p of [$('run-progress'), $('placeholder-progress')]) {
    if (isNum(total) && total > 0) {
      p.max = total;
      p.value = Math.min(done ?? 0, total);
    } else p.removeAttribute('value');
  }
  $('run-progress-text').textContent = isNum(total) && total > 0 ? `${done ?? 0} / ${total}` : '';
}

// Re-draw the width-dependent charts when their cards change width.
const widths = { network: 0, fan: 0 };
if (typeof ResizeObserver !== 'undefined') {
  new ResizeObserver(() => {
    if (!state.summary || !idx || !idx.netNodes) return;
    const wn = cardWidth('network', 0);
    const wf = cardWidth('fan', 0);
    if (Math.abs(wn - widths.network) > 2) {
      widths.network = wn;
      renderNetwork();
    }
    if (Math.abs(wf - widths.fan) > 2) {
      widths.fan = wf;
      renderFans();
    }
  }).observe($('views'));
}

init();
