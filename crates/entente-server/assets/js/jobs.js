// The run form (scenario, base samples, seed, one prior to replace) and the
// jobs it starts, followed through server-sent events with polling as a fallback.

import { api } from './api.js';
import { $, h, setPlaceholder } from './dom.js';
import { describePrior, isNum } from './format.js';
import { state } from './state.js';

// What a finished job asks of the rest of the page (set by wireRunForm).
let hooks = { refreshRuns: async () => {}, loadRun: async () => {} };

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

export function fillRunScenarios() {
  const sel = $('run-scenario');
  sel.replaceChildren(...state.scenarios.map((s) => h('option', { value: s.name }, s.name)));
  const prefer = state.scenarios.find((s) => s.default) || state.scenarios[0];
  if (prefer) sel.value = prefer.name;
  onRunScenarioChange();
}

export function onRunScenarioChange() {
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

export function wireRunForm(h) {
  hooks = h;
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
export function trackJob(job) {
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
      await hooks.refreshRuns();
      if (data && data.run_id) await hooks.loadRun(data.run_id);
    } else {
      $('run-progress-label').textContent = `${job.id}: failed`;
      setRunError(data && data.message ? data.message : 'The run failed.');
      await hooks.refreshRuns();
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
