// The run around the views: the scenario and run lists of the sidebar, the
// header's facts, the option and state pickers, and the run's files.

import { getRunFiles } from './api.js';
import { $, h } from './dom.js';
import { fmtBytes, fmtTime, isNum } from './format.js';
import { onRunScenarioChange } from './jobs.js';
import { emit, idx, optionIdx, state } from './state.js';

const d3 = window.d3;

export function renderScenarioList() {
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

export function renderRunList() {
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
            onclick: () => emit('load-run', r.id),
          },
          h('span', { class: 'name' }, r.scenario, h('span', { class: `badge ${r.status}` }, r.status)),
          h('span', { class: 'sub' }, facts.join(' · ')),
          h('span', { class: 'sub' }, h('code', {}, r.id)),
        ),
      ),
    );
  }
}

export function renderHeader() {
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

export function renderToolbar() {
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

export function renderOptionDescription() {
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

// What each file of a run holds (the server lists the ones the folder has).
const FILE_NOTES = {
  'report.html': 'the report, self-contained (open in a browser)',
  'report.md': 'the report as Markdown',
  'claims.csv': 'one row per claim: probability, interval, top driver',
  'draws.parquet': 'every draw, option, year, state and metric (tidy)',
  'draws.csv': 'the same table as CSV',
  'codebook.csv': 'what each metric of the draws means, with its unit',
  'summary.json': 'what this page draws (schema entente.run-summary/1)',
  'run.json': 'run id, scenario hash, seed, draws, version, start time',
};

// Download links for the run's files, served by run id (GET /api/runs/{id}/files/{name}).
export async function renderFiles(id) {
  const ul = $('run-files');
  ul.replaceChildren(h('li', { class: 'muted' }, 'Loading…'));
  let files;
  try {
    files = await getRunFiles(id);
  } catch (e) {
    if (state.runId === id) ul.replaceChildren(h('li', { class: 'error' }, `Cannot list the files: ${e.message}`));
    return;
  }
  if (state.runId !== id) return;
  ul.replaceChildren();
  if (!files.length) ul.append(h('li', { class: 'muted' }, 'The run folder has no files to offer.'));
  for (const f of files) {
    ul.append(
      h(
        'li',
        {},
        h('a', { href: f.url, download: f.name, 'data-file': f.name, 'data-bytes': isNum(f.bytes) ? String(f.bytes) : '' }, f.name),
        h('span', { class: 'size' }, fmtBytes(f.bytes)),
        h('span', { class: 'muted' }, FILE_NOTES[f.name] || ''),
      ),
    );
  }
  $('files-note').textContent = `in the run's folder on the server, by run id ${id}`;
}
