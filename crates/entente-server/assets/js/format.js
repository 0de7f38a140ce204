// Formatting of numbers, times and HTML text. Missing values are NA ("no
// data", "–"), never 0.

const d3 = window.d3;

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
/** A number for a data-* attribute (8 significant digits), '' when missing. */
export const attrNum = (v) => (isNum(v) ? String(+v.toPrecision(8)) : '');

export function fmtBn(v) {
  if (!isNum(v)) return 'no data';
  const a = Math.abs(v);
  const f = a >= 100 ? d3.format(',.0f') : a >= 10 ? d3.format('.1f') : d3.format('.2f');
  return `US$ ${f(v)} bn`;
}
export const fmtPct = (v) => (isNum(v) ? `${d3.format('+.1f')(v)}%` : 'no data');
export const fmtShare = (v) => (isNum(v) ? d3.format('.0%')(v) : 'no data');
export const fmtProb = (v) => (isNum(v) ? d3.format('.1%')(v) : 'no data');
export const fmtP = (v) => (isNum(v) ? d3.format('.0%')(v) : '–');

export function fmtBytes(n) {
  if (!isNum(n)) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

export function describePrior(p) {
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
