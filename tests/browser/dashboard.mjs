// Browser test of the Entente dashboard (`entente serve`).
//
//   ENTENTE_URL=http://127.0.0.1:8080 [SCREENSHOTS=dir] [CHROMIUM=/usr/bin/chromium] node dashboard.mjs
//
// Needs a server whose store holds a complete run with a summary (the
// flagship, nato-ip4, with Japan among its actors), or one that is running its
// first flagship job (the page follows it; step 1 then waits up to 6 minutes
// instead of 1). Uses the system's
// Chromium through playwright-core; it never downloads a browser. Prints one
// line per step; exits 0 when every step passes, 1 on the first failure.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BASE = (process.env.ENTENTE_URL || '').replace(/\/+$/, '');
const SHOTS = process.env.SCREENSHOTS || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

class Failure extends Error {}

function check(cond, message) {
  if (!cond) throw new Failure(message);
}

function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`${what}: timed out after ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

let stepNo = 0;
async function step(name, ms, fn) {
  stepNo += 1;
  const label = `step ${stepNo}: ${name}`;
  const t0 = Date.now();
  try {
    const note = await withTimeout(fn(), ms, label);
    console.log(`ok   ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)${note ? ` - ${note}` : ''}`);
  } catch (e) {
    const msg = e instanceof Failure ? e.message : `${e.name || 'Error'}: ${e.message}`;
    throw new Failure(`${label}: ${msg.split('\n')[0]}`);
  }
}

async function getJson(request, url) {
  const res = await request.get(url);
  check(res.ok(), `GET ${url} answered ${res.status()}`);
  return res.json();
}

// A point inside a map path that a real click would hit (the centre of a
// country's bounding box is often sea: Japan's is).
async function clickablePoint(page, selector) {
  return page.evaluate((sel) => {
    for (const p of document.querySelectorAll(sel)) {
      const bb = p.getBBox();
      const m = p.getScreenCTM();
      if (!m || !bb.width || !bb.height) continue;
      const n = 24;
      for (let i = 1; i < n; i++) {
        for (let j = 1; j < n; j++) {
          const x = bb.x + (bb.width * i) / n;
          const y = bb.y + (bb.height * j) / n;
          if (!p.isPointInFill(new DOMPoint(x, y))) continue;
          const s = new DOMPoint(x, y).matrixTransform(m);
          if (document.elementFromPoint(s.x, s.y) === p) return { x: s.x, y: s.y };
        }
      }
    }
    return null;
  }, selector);
}

async function main() {
  if (!BASE) {
    console.error('FAIL: set ENTENTE_URL to the server, e.g. http://127.0.0.1:8080');
    return 1;
  }
  console.log(`dashboard test against ${BASE} (chromium ${CHROMIUM})`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  const pageErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`     (browser console error: ${m.text()})`);
    });

    let runId = null;
    let summary = null;

    await step('open / and wait for the run view', 380_000, async () => {
      const res = await page.goto(`${BASE}/`, { timeout: 30_000 });
      check(res && res.ok(), `GET / answered ${res ? res.status() : 'nothing'}`);
      const ready = 'body[data-ready="true"]';
      let note = '';
      try {
        await page.waitForSelector(ready, { state: 'attached', timeout: 60_000 });
      } catch {
        // A server that started with an empty store runs the flagship first and
        // the page follows that job (data-last-job queued/running): give the
        // job up to 5 more minutes, as long as the page is following it.
        const following = await page.evaluate(() => ['queued', 'running'].includes(document.body.dataset.lastJob));
        const err = (await page.locator('#app-error').textContent().catch(() => '')).trim();
        if (!following) {
          throw new Failure(`body[data-ready="true"] did not appear within 60 s${err ? ` (page says: ${err})` : ''}`);
        }
        console.log("     the page is following the server's first job; waiting up to 300 s more");
        await page.waitForSelector(ready, { state: 'attached', timeout: 300_000 }).catch(async () => {
          const d = await page.evaluate(() => ({
            job: document.body.dataset.lastJob,
            progress: document.getElementById('run-progress-text')?.textContent,
            error: document.getElementById('run-error')?.textContent,
          }));
          throw new Failure(
            `body[data-ready="true"] did not appear within 360 s (job ${d.job}, progress ${d.progress || '?'}${d.error ? `, ${d.error}` : ''})`,
          );
        });
        note = " after the server's first job";
      }
      runId = await page.evaluate(() => document.body.dataset.runId);
      check(runId, 'body has no data-run-id');
      return `run ${runId}${note}`;
    });

    await step('map, network, fan chart and claims match the summary', 30_000, async () => {
      summary = await getJson(page.request, `${BASE}/api/runs/${encodeURIComponent(runId)}/summary`);
      const got = await page.evaluate(() => {
        const num = (v) => v !== '' && v !== undefined && Number.isFinite(Number(v));
        const paths = [...document.querySelectorAll('#map path.country')];
        return {
          paths: paths.length,
          withValue: paths.filter((p) => p.dataset.ccode && num(p.dataset.value)).length,
          valued: paths.filter((p) => p.dataset.ccode).map((p) => ({ ccode: p.dataset.ccode, value: p.dataset.value ?? '' })),
          metric: document.querySelector('#metric')?.value,
          option: document.querySelector('#option')?.value,
          year: document.querySelector('#year')?.value,
          nodes: document.querySelectorAll('#network circle.node').length,
          edges: document.querySelectorAll('#network line.edge').length,
          series: [...document.querySelectorAll('#fan path.series')].map((p) => ({ option: p.dataset.option, state: p.dataset.state })),
          claims: [...document.querySelectorAll('tr.claim')].map((r) => ({
            id: r.dataset.claim,
            p: r.dataset.probability,
            lo: r.dataset.lo,
            hi: r.dataset.hi,
            status: r.dataset.status,
            text: r.textContent,
          })),
        };
      });
      check(got.paths >= 150, `map has ${got.paths} path.country, expected >= 150`);
      // Every map value is the summary's: the default metric is the median spending of the
      // chosen option and year (US$ bn); states without data (or outside the scenario) have none.
      check(got.metric === 'milex', `the map opens on metric "${got.metric}", expected "milex"`);
      const oi = summary.by_option.findIndex((o) => o.option === got.option);
      const t = summary.years.indexOf(Number(got.year));
      check(oi >= 0 && t >= 0, `the map's option "${got.option}" or year "${got.year}" is not in the summary`);
      const want = new Map();
      summary.states.forEach((st, si) => {
        const f = summary.by_option[oi].milex_const2023_usd_m[si];
        want.set(String(st.ccode), f && typeof f.q50[t] === 'number' ? f.q50[t] / 1000 : null);
      });
      let matched = 0;
      for (const p of got.valued) {
        const w = want.get(p.ccode);
        if (w === undefined || w === null) {
          check(p.value === '', `map path of ccode ${p.ccode} has data-value "${p.value}", the summary has no value`);
        } else {
          check(Math.abs(Number(p.value) - w) <= 1e-6 * Math.max(1, Math.abs(w)), `map path of ccode ${p.ccode}: data-value ${p.value}, the summary says ${w}`);
          matched += 1;
        }
      }
      // States too small for the 1:110m map (Singapore) have no feature to colour.
      const join = await getJson(page.request, `${BASE}/api/map?year=${summary.scenario.base_year}`);
      const onMap = new Set(join.features.filter((f) => f.ccode !== null).map((f) => String(f.ccode)));
      const expected = [...want].filter(([c, v]) => v !== null && onMap.has(c)).length;
      check(matched === expected, `${matched} map paths carry the summary's values, expected ${expected} (every state with spending data on the map)`);
      check(expected >= 20, `only ${expected} states have spending data in the summary`);
      check(got.nodes >= 10, `network has ${got.nodes} circle.node, expected >= 10`);
      check(got.edges >= 1, `network has ${got.edges} line.edge, expected >= 1`);
      const optionIds = summary.options.map((o) => o.id);
      check(
        got.series.length === optionIds.length,
        `fan chart has ${got.series.length} path.series, expected one per option (${optionIds.length}: ${optionIds.join(', ')})`,
      );
      const seriesOptions = got.series.map((s) => s.option).sort();
      check(
        JSON.stringify(seriesOptions) === JSON.stringify([...optionIds].sort()),
        `fan chart series are for options [${seriesOptions}], expected [${optionIds}]`,
      );
      check(
        got.claims.length === summary.claims.length,
        `claims table has ${got.claims.length} tr.claim rows, the summary has ${summary.claims.length} claims`,
      );
      let modelled = 0;
      for (const c of summary.claims) {
        const row = got.claims.find((r) => r.id === c.id);
        check(row, `no tr.claim with data-claim="${c.id}"`);
        check(row.status === c.status, `claim ${c.id}: data-status "${row.status}", the summary says "${c.status}"`);
        if (c.status === 'structural') check(/structural/.test(row.text), `claim ${c.id} is structural but its row does not say so`);
        if (typeof c.probability === 'number') {
          modelled += 1;
          const p = Number(row.p);
          check(row.p !== '' && Number.isFinite(p), `claim ${c.id}: data-probability "${row.p}" is not a number`);
          check(p >= 0 && p <= 1, `claim ${c.id}: data-probability ${p} is outside [0, 1]`);
          check(Math.abs(p - c.probability) <= 1e-12, `claim ${c.id}: data-probability ${p}, the summary says ${c.probability}`);
        } else {
          check(row.p === '', `claim ${c.id} is not modelled but its row has data-probability "${row.p}"`);
          check(/not modelled/i.test(row.text), `claim ${c.id} is not modelled but its row does not say so`);
        }
      }
      return `${got.paths} map paths (${got.withValue} with values), ${got.nodes} nodes, ${got.edges} edges, ${got.series.length} series, ${got.claims.length} claims (${modelled} modelled)`;
    });

    await step('every actor is drawn whole inside the map', 10_000, async () => {
      const r = await page.evaluate(() => {
        const svg = document.querySelector('#map');
        const vb = svg.viewBox.baseVal;
        const out = [];
        let n = 0;
        for (const p of svg.querySelectorAll('path.country.actor')) {
          n += 1;
          const b = p.getBBox();
          const m = 4;
          if (b.x < vb.x + m || b.y < vb.y + m || b.x + b.width > vb.x + vb.width - m || b.y + b.height > vb.y + vb.height - m) {
            out.push(`${p.getAttribute('aria-label')} [${Math.round(b.x)}, ${Math.round(b.y)}, ${Math.round(b.x + b.width)}, ${Math.round(b.y + b.height)}]`);
          }
        }
        return { n, out, vb: `${vb.width}x${vb.height}` };
      });
      check(r.n >= 20, `only ${r.n} actor paths on the map`);
      check(r.out.length === 0, `actors reach the edge of the ${r.vb} map: ${r.out.join('; ')}`);
      return `${r.n} actors inside the ${r.vb} map`;
    });

    await step('click Japan on the map selects it everywhere', 20_000, async () => {
      const sel = '#map path.country[data-ccode="740"]';
      check((await page.locator(sel).count()) > 0, 'the map has no path with data-ccode="740" (Japan)');
      await page.locator('#map').scrollIntoViewIfNeeded();
      const pt = await clickablePoint(page, sel);
      check(pt, 'found no visible point inside the map path of Japan to click');
      await page.mouse.click(pt.x, pt.y);
      try {
        await page.waitForSelector(`${sel}.selected`, { state: 'attached', timeout: 5_000 });
      } catch {
        throw new Failure(`after clicking Japan at (${Math.round(pt.x)}, ${Math.round(pt.y)}) its map path has no class "selected"`);
      }
      const states = await page.$$eval('#fan path.series', (ps) => ps.map((p) => p.dataset.state));
      check(states.length > 0, 'the fan chart shows no series for Japan');
      check(
        states.every((s) => s === '740'),
        `fan chart series carry data-state [${[...new Set(states)]}], expected "740"`,
      );
      const node = await page.$$eval('#network circle.node.selected', (ns) => ns.map((n) => n.dataset.label));
      return `fan chart shows ${states.length} series of Japan; selected node ${node.join(', ') || '(none)'}`;
    });

    await step('move the year scrubber to the last year', 20_000, async () => {
      await page.selectOption('#metric', 'milex');
      const scrubber = page.locator('input#year');
      await scrubber.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {
        throw new Failure('the year scrubber input#year is not visible for the per-year metric "milex"');
      });
      const values = () =>
        page.$$eval('#map path.country', (ps) => ps.map((p) => `${p.dataset.index}=${p.dataset.value}`));
      const before = await values();
      const last = String(summary.years[summary.years.length - 1]);
      const max = await scrubber.getAttribute('max');
      check(max === last, `input#year max is ${max}, the summary's last year is ${last}`);
      await scrubber.fill(last);
      const now = await scrubber.inputValue();
      check(now === last, `input#year value is ${now} after moving it to ${last}`);
      const after = await values();
      const changed = after.filter((v, i) => v !== before[i]).length;
      check(changed > 0, `no map path's data-value changed between ${summary.years[0]} and ${last}`);
      return `${changed} map values changed (${summary.years[0]} -> ${last})`;
    });

    await step('the network draws the ties the summary has, filtered by kind', 20_000, async () => {
      const option = await page.$eval('#option', (el) => el.value);
      const edges = summary.by_option.find((o) => o.option === option).edges;
      const weak = new Set(['nonaggression', 'cooperation']);
      const security = edges.filter((e) => e.added || e.removed || !weak.has(e.obligation)).length;
      const count = () => page.$$eval('#network line.edge', (ls) => ls.length);
      check((await page.$eval('#ties', (el) => el.value)) === 'security', 'the network does not open on security ties');
      const a = await count();
      check(a === security, `${a} line.edge drawn, the summary has ${security} security ties for ${option}`);
      await page.selectOption('#ties', 'all');
      const b = await count();
      check(b === edges.length, `${b} line.edge drawn with all ties, the summary has ${edges.length}`);
      const added = await page.$$eval('#network line.edge[data-added="true"]', (ls) => ls.length);
      check(added === edges.filter((e) => e.added).length, `${added} added edges drawn, the summary has ${edges.filter((e) => e.added).length}`);
      await page.selectOption('#ties', 'security');
      return `${a} security ties, ${b} in all, ${added} added by ${option}`;
    });

    await step("the run's files are offered for download", 30_000, async () => {
      const listed = await getJson(page.request, `${BASE}/api/runs/${encodeURIComponent(runId)}/files`);
      const want = listed.files.map((f) => f.name);
      for (const name of ['report.html', 'claims.csv', 'draws.parquet', 'summary.json', 'run.json']) {
        check(want.includes(name), `GET /api/runs/${runId}/files does not list ${name}: [${want}]`);
      }
      await page.waitForFunction((n) => document.querySelectorAll('#run-files a[data-file]').length === n, want.length, { timeout: 10_000 }).catch(() => {
        throw new Failure(`#run-files does not show ${want.length} links (${want.join(', ')})`);
      });
      const links = await page.$$eval('#run-files a[data-file]', (as) => as.map((a) => ({ name: a.dataset.file, href: a.getAttribute('href'), download: a.hasAttribute('download') })));
      check(JSON.stringify(links.map((l) => l.name)) === JSON.stringify(want), `the page lists [${links.map((l) => l.name)}], the API [${want}]`);
      for (const l of links) {
        const f = listed.files.find((x) => x.name === l.name);
        check(l.href === f.url, `link ${l.name} points at ${l.href}, the API says ${f.url}`);
        check(l.download, `link ${l.name} has no download attribute`);
      }
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.click('#run-files a[data-file="claims.csv"]')]);
      const suggested = download.suggestedFilename();
      check(suggested === `${runId}-claims.csv`, `the download is named ${suggested}, expected ${runId}-claims.csv`);
      const file = await download.path();
      const { readFile } = await import('node:fs/promises');
      const got = await readFile(file, 'utf8');
      const direct = await page.request.get(`${BASE}${listed.files.find((x) => x.name === 'claims.csv').url}`);
      check(direct.ok(), `GET claims.csv answered ${direct.status()}`);
      check(got === (await direct.text()), 'the downloaded claims.csv differs from the API\'s');
      check(got.split('\n')[0].startsWith('claim,'), `claims.csv starts with "${got.split('\n')[0]}"`);
      const bad = await page.request.get(`${BASE}/api/runs/${encodeURIComponent(runId)}/files/..%2Frun.json`);
      check(bad.status() === 404, `a traversal name answered ${bad.status()}, expected 404`);
      return `${links.length} links; downloaded ${suggested} (${got.length} bytes)`;
    });

    if (SHOTS) {
      await step(`screenshots into ${SHOTS}`, 60_000, async () => {
        await mkdir(SHOTS, { recursive: true });
        await page.mouse.move(0, 0);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(SHOTS, 'dashboard-overview.png'), fullPage: true });
        const parts = [
          ['dashboard-map.png', '#map-card'],
          ['dashboard-network.png', '#network-card'],
          ['dashboard-fans.png', '#fan-card'],
          ['dashboard-claims.png', '#claims-card'],
          ['dashboard-files.png', '#files-card'],
        ];
        for (const [file, sel] of parts) await page.locator(sel).screenshot({ path: path.join(SHOTS, file) });
        return `${parts.length + 1} files`;
      });
    }

    await step('start a run from the form (base samples 2, seed 11) and show it', 320_000, async () => {
      const before = runId;
      const scenario = summary.scenario.name;
      const has = await page.$$eval('#run-scenario option', (os, name) => os.some((o) => o.value === name), scenario);
      check(has, `#run-scenario has no option for scenario ${scenario}`);
      await page.selectOption('#run-scenario', scenario);
      await page.selectOption('#run-prior-param', '');
      await page.fill('#run-base-samples', '2');
      await page.fill('#run-seed', '11');
      await page.click('#run-submit');
      const handle = await page
        .waitForFunction(
          (prev) => {
            const b = document.body.dataset;
            const err = document.getElementById('run-error');
            if (b.lastJob === 'failed') return { failed: err ? err.textContent : '' };
            if (err && !err.hidden && err.textContent && !b.lastJob) return { rejected: err.textContent };
            if (b.lastJob === 'complete' && b.ready === 'true' && b.runId && b.runId !== prev) return { runId: b.runId };
            return false;
          },
          before,
          { timeout: 300_000, polling: 500 },
        )
        .catch(async () => {
          const d = await page.evaluate(() => ({ ...document.body.dataset, progress: document.getElementById('run-progress-text')?.textContent }));
          throw new Failure(
            `no new run within 300 s (data-last-job=${d.lastJob}, data-ready=${d.ready}, data-run-id=${d.runId}, progress ${d.progress || '?'})`,
          );
        });
      const r = await handle.jsonValue();
      check(!r.rejected, `the server refused the run: ${r.rejected}`);
      check(!('failed' in r), `the job failed: ${r.failed || '(no message)'}`);
      runId = r.runId;
      const fresh = await getJson(page.request, `${BASE}/api/runs/${encodeURIComponent(runId)}/summary`);
      const rows = await page.locator('tr.claim').count();
      check(rows > 0, 'the claims table is empty after the new run loaded');
      check(rows === fresh.claims.length, `claims table has ${rows} rows, the new run's summary has ${fresh.claims.length}`);
      const inList = await page.locator(`#run-list [data-run-id="${runId}"]`).count();
      check(inList > 0, `the past-runs list does not show the new run ${runId}`);
      return `new run ${runId} with ${rows} claims`;
    });

    await step('POST /api/runs with base_samples 100000 is refused with 422', 20_000, async () => {
      const res = await page.request.post(`${BASE}/api/runs`, {
        data: { scenario: summary.scenario.name, base_samples: 100000 },
        headers: { 'Content-Type': 'application/json' },
      });
      check(res.status() === 422, `status ${res.status()}, expected 422`);
      let body;
      try {
        body = await res.json();
      } catch {
        throw new Failure(`the 422 answer is not JSON: ${(await res.text()).slice(0, 200)}`);
      }
      check(typeof body.message === 'string' && body.message.length > 0, `the 422 answer has no "message": ${JSON.stringify(body)}`);
      return `message: ${body.message}`;
    });

    if (process.env.EXPECT_HINDCAST) {
      await step('a hindcast shows each state\'s fan with the realised path', 30_000, async () => {
        const { runs } = await getJson(page.request, `${BASE}/api/runs`);
        const hc = runs.find((r) => r.kind === 'hindcast' && r.status === 'complete');
        check(hc, 'the store lists no complete hindcast');
        const json = await getJson(page.request, `${BASE}/api/runs/${encodeURIComponent(hc.id)}/files/hindcast.json`);
        check(json.schema === 'entente.hindcast/1', `hindcast.json schema ${json.schema}`);
        await page.click(`#hindcast-list button[data-hindcast-id="${hc.id}"]`);
        await page.waitForSelector('#hindcast-view[data-ready="1"]', { timeout: 15_000 });
        const got = await page.evaluate(() => ({
          views: document.getElementById('views').hidden,
          figs: [...document.querySelectorAll('#hindcast-grid svg.hindcast-chart')].map((s) => ({
            state: s.dataset.state,
            years: Number(s.dataset.years),
            points: s.querySelectorAll('circle.realised-point').length,
            bands: s.querySelectorAll('path.band').length,
            median: !!s.querySelector('path.median'),
          })),
          note: document.getElementById('hindcast-note').textContent,
        }));
        check(got.views, 'the run views stay visible beside the hindcast');
        check(got.figs.length === json.states.length, `${got.figs.length} fans, hindcast.json has ${json.states.length} states`);
        for (const s of json.states) {
          const f = got.figs.find((x) => x.state === s.state);
          check(f, `no fan for ${s.state}`);
          const realised = s.years.filter((y) => Number.isFinite(y.realised_const2023_usd_m) && Number.isFinite(y.q50)).length;
          check(f.points === realised, `${s.state}: ${f.points} realised points, hindcast.json has ${realised}`);
          check(f.bands === 2 && f.median, `${s.state}: ${f.bands} bands, median ${f.median}`);
        }
        const skill = json.overall.skill_rw_drift.toFixed(3);
        check(got.note.includes(skill), `the note does not give the overall skill ${skill}: ${got.note}`);
        if (SHOTS) await page.locator('#hindcast-view').screenshot({ path: path.join(SHOTS, 'dashboard-hindcast.png') });
        return `${got.figs.length} fans, overall skill ${skill}`;
      });
    }

    await step('no uncaught errors in the page', 5_000, async () => {
      check(pageErrors.length === 0, `${pageErrors.length} uncaught error(s): ${pageErrors.slice(0, 3).join(' | ')}`);
    });
    console.log('PASS: all steps');
    return 0;
  } catch (e) {
    console.error(`FAIL ${e instanceof Failure ? e.message : e.stack || e}`);
    if (pageErrors.length) console.error(`     uncaught page errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    return 1;
  } finally {
    await browser.close().catch(() => {});
  }
}

const guard = setTimeout(() => {
  console.error('FAIL: the whole test took over 10 minutes');
  process.exit(1);
}, 600_000);
guard.unref();

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`FAIL ${e.stack || e}`);
    process.exit(1);
  },
);
