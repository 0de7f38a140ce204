// Entente dashboard: native ES modules, no build step, no framework. d3 (v7
// UMD) and topojson-client are loaded by classic <script> tags before this
// module. The API is described in docs/api.md.
//
// main.js boots the page, loads a run into `state`, wires the toolbar and
// decides what to re-render; the views (map, network, fans, claims) draw
// from `state` and announce clicks on the bus (state.js).

import { api, getMapJoin, getTopology } from './api.js';
import { renderClaims, renderClaimsOption } from './claims.js';
import { $, cardWidth, setPlaceholder, showAppError } from './dom.js';
import { renderFanYearMarker, renderFans } from './fans.js';
import { hideHindcast, renderHindcastList, showHindcast } from './hindcast.js';
import { fillRunScenarios, trackJob, wireRunForm } from './jobs.js';
import { buildMap, renderMapColours } from './map.js';
import { buildNetworkLayout, renderNetwork } from './network.js';
import { renderFiles, renderHeader, renderOptionDescription, renderRunList, renderScenarioList, renderToolbar } from './runs.js';
import { renderSelection } from './selection.js';
import { idx, on, setIdx, state } from './state.js';

async function init() {
  wireControls();
  wireRunForm({ refreshRuns, loadRun });
  on('select-state', selectState);
  on('load-run', loadRun);
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
  renderHindcastList(openHindcast);
  fillRunScenarios();

  const fromHash = new URLSearchParams(location.hash.slice(1)).get('run');
  const viewable = (r) => r.status === 'complete' && r.has_summary;
  const pick =
    (fromHash && runs.find((r) => r.id === fromHash && viewable(r))) ||
    runs.find((r) => viewable(r) && state.scenarios.some((s) => s.default && s.name === r.scenario)) ||
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

async function refreshRuns() {
  try {
    const { runs } = await api('/api/runs');
    state.runs = runs || [];
    renderRunList();
    renderHindcastList(openHindcast);
  } catch (e) {
    showAppError(`Cannot refresh the runs: ${e.message}`);
  }
}

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
  setIdx({
    stateByCcode,
    optionIndex,
    baselineIndex: optionIndex.has(s.baseline) ? optionIndex.get(s.baseline) : 0,
    hasMilex,
  });

  if (!optionIndex.has(state.option)) {
    const firstTreatment = (s.claims || []).find((c) => c.metric && optionIndex.has(c.treatment));
    const nonBaseline = s.options.find((o) => o.id !== s.baseline);
    state.option = firstTreatment ? firstTreatment.treatment : (nonBaseline || s.options[0]).id;
  }
  if (!stateByCcode.has(state.ccode) || !hasMilex[stateByCcode.get(state.ccode)]) {
    // The side's anchor (the scenario's `east`) when it has spending data.
    const east = s.states.findIndex((st) => st.label === s.framing?.east);
    if (east >= 0 && hasMilex[east]) state.ccode = s.states[east].ccode;
    else {
      const i = hasMilex.findIndex(Boolean);
      state.ccode = s.states[i >= 0 ? i : 0]?.ccode ?? null;
    }
  }
  if (!s.years.includes(state.year)) state.year = s.years[0];
}

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

async function openHindcast(id) {
  try {
    await showHindcast(id);
  } catch (e) {
    showAppError(`Cannot load hindcast ${id}: ${e.message}`);
  }
}

function renderAll() {
  const s = state.summary;
  hideHindcast();
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
  renderFiles(state.runId);
}

function renderOptionDependent() {
  $('option').value = state.option;
  renderOptionDescription();
  renderMapColours();
  renderNetwork();
  renderFans();
  renderClaimsOption();
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
