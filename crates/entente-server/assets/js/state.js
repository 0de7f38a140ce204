// Everything the views draw from. Change it, then call the render functions;
// nothing else holds view state.

export const state = {
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

/** Derived indices of the loaded run (rebuilt by `prepareRun` in main.js). */
export let idx = null;
export function setIdx(v) {
  idx = v;
}

export function optionIdx() {
  return idx.optionIndex.get(state.option) ?? 0;
}
export function yearIdx() {
  const t = state.summary.years.indexOf(state.year);
  return t < 0 ? 0 : t;
}
export function stateIdx() {
  return idx.stateByCcode.get(state.ccode);
}

// Views announce what the user did (`select-state` with a COW code); main.js
// decides what to re-render. Views never import main.js.
const bus = new EventTarget();
export function emit(name, detail) {
  bus.dispatchEvent(new CustomEvent(name, { detail }));
}
export function on(name, fn) {
  bus.addEventListener(name, (e) => fn(e.detail));
}
