// The JSON API (docs/api.md): one fetch wrapper whose errors carry the
// server's message, and the map join and topology, fetched once per year/URL.

const d3 = window.d3;

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export async function api(path, init) {
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

export function getMapJoin(year) {
  if (!cache.maps.has(year)) {
    const p = api(`/api/map?year=${encodeURIComponent(year)}`);
    p.catch(() => cache.maps.delete(year));
    cache.maps.set(year, p);
  }
  return cache.maps.get(year);
}

export function getTopology(url) {
  if (!cache.topo.has(url)) {
    const p = d3.json(url);
    p.catch(() => cache.topo.delete(url));
    cache.topo.set(url, p);
  }
  return cache.topo.get(url);
}

/** The files of a run the server offers for download (name, bytes, media type, url). */
export function getRunFiles(id) {
  return api(`/api/runs/${encodeURIComponent(id)}/files`).then((b) => b.files || []);
}
