// DOM helpers shared by the views: element lookup and creation, the page's one
// tooltip, the error banner and the placeholder.

export const $ = (id) => document.getElementById(id);

export function h(tag, attrs = {}, ...children) {
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

export function showAppError(msg) {
  const b = $('app-error');
  if (!msg) {
    b.hidden = true;
    b.textContent = '';
    return;
  }
  b.textContent = msg;
  b.hidden = false;
}

export function setPlaceholder(text) {
  $('run-placeholder').hidden = false;
  $('run-placeholder-text').textContent = text;
}

/** The width available to a chart: its parent's, or `fallback` before layout. */
export function cardWidth(id, fallback) {
  const w = $(id).parentElement.clientWidth;
  return w > 50 ? Math.round(w) : fallback;
}

// Tooltip (one for the page).
export const tooltip = {
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
