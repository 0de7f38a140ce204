// Browser test of a run's static report (report.html, crates/entente-report).
//
//   REPORT=out/<run>/report.html [SCREENSHOTS=dir] [CHROMIUM=/usr/bin/chromium] node report.mjs
//
// Opens the file in the system's Chromium (playwright-core, no browser
// download) at two viewport widths and checks every chart (`svg.chart`): it
// fills its container's width, the tick labels of each axis (`g.axis
// text.tick`) are the same pixel step apart, and no text leaves the SVG's box.
// Every claim with paired differences has a histogram with a threshold line
// whose counts give the claim's probability; the map draws every actor inside
// its frame; the page loads nothing but itself. Prints one line per step; exits
// 0 when every step passes, 1 on the first failure.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const REPORT = process.env.REPORT || process.argv[2] || '';
const SHOTS = process.env.SCREENSHOTS || '';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WIDTHS = [1400, 820];

class Failure extends Error {}

function check(cond, message) {
  if (!cond) throw new Failure(message);
}

let stepNo = 0;
async function step(name, fn) {
  stepNo += 1;
  const label = `step ${stepNo}: ${name}`;
  const t0 = Date.now();
  try {
    const note = await fn();
    console.log(`ok   ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)${note ? ` - ${note}` : ''}`);
  } catch (e) {
    const msg = e instanceof Failure ? e.message : `${e.name || 'Error'}: ${e.message}`;
    throw new Failure(`${label}: ${msg.split('\n')[0]}`);
  }
}

// Measured in the page: every chart's width against its container's, its
// axes' tick positions, and the boxes of its texts against its own.
function measure() {
  const charts = [...document.querySelectorAll('svg.chart')];
  return charts.map((svg, i) => {
    const box = svg.getBoundingClientRect();
    const parent = svg.parentElement;
    const cs = getComputedStyle(parent);
    const inner = parent.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - parseFloat(cs.borderLeftWidth) - parseFloat(cs.borderRightWidth);
    const axes = [...svg.querySelectorAll('g.axis')].map((g) => {
      const horizontal = g.dataset.axis !== 'y';
      const pos = [...g.querySelectorAll('text.tick')].map((t) => {
        const r = t.getBoundingClientRect();
        return horizontal ? r.left + r.width / 2 : r.top + r.height / 2;
      });
      return { cls: g.getAttribute('class'), horizontal, pos, labels: [...g.querySelectorAll('text.tick')].map((t) => t.textContent) };
    });
    const outside = [];
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (!r.width) continue;
      const tol = 0.5;
      if (r.left < box.left - tol || r.right > box.right + tol || r.top < box.top - tol || r.bottom > box.bottom + tol) {
        outside.push(`"${t.textContent}" [${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)}]`);
      }
    }
    return {
      i,
      cls: svg.getAttribute('class'),
      id: svg.dataset.claim || svg.dataset.state || '',
      width: box.width,
      container: inner,
      axes,
      outside,
    };
  });
}

async function main() {
  if (!REPORT) {
    console.error('FAIL: set REPORT to a report.html (or pass it as the argument)');
    return 1;
  }
  const url = pathToFileURL(path.resolve(REPORT)).href;
  console.log(`report test of ${REPORT} (chromium ${CHROMIUM})`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  const errors = [];
  const requests = [];
  try {
    const page = await browser.newPage({ viewport: { width: WIDTHS[0], height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));

    await step('open the report', async () => {
      const res = await page.goto(url, { timeout: 30_000 });
      check(res && res.ok(), `opening ${url} failed`);
      const n = await page.locator('svg.chart').count();
      check(n >= 10, `the report has ${n} svg.chart, expected at least 10`);
      return `${n} charts`;
    });

    for (const w of WIDTHS) {
      await step(`at ${w} px: every chart fills its container, ticks are even, no text is clipped`, async () => {
        await page.setViewportSize({ width: w, height: 900 });
        await page.waitForTimeout(100);
        const charts = await page.evaluate(measure);
        let axes = 0;
        for (const c of charts) {
          const what = `${c.cls}${c.id ? ` (${c.id})` : ''}`;
          check(c.width > 150, `${what} is ${c.width.toFixed(1)} px wide`);
          check(Math.abs(c.width - c.container) <= 3, `${what} is ${c.width.toFixed(1)} px wide in a ${c.container.toFixed(1)} px container`);
          check(c.outside.length === 0, `${what}: text outside the chart: ${c.outside.slice(0, 3).join('; ')}`);
          for (const a of c.axes) {
            if (a.pos.length < 3) continue;
            axes += 1;
            const steps = a.pos.slice(1).map((p, k) => p - a.pos[k]);
            const lo = Math.min(...steps);
            const hi = Math.max(...steps);
            check(lo > 0 || !a.horizontal, `${what}: ${a.cls} labels are not left to right: ${a.labels.join(', ')}`);
            check(hi - lo <= 1, `${what}: ${a.cls} labels [${a.labels.join(', ')}] are ${steps.map((s) => s.toFixed(1)).join(', ')} px apart`);
          }
        }
        return `${charts.length} charts, ${axes} axes checked`;
      });
    }

    await step('every claim with differences has a histogram with its threshold', async () => {
      const r = await page.evaluate(() => {
        const rows = [...document.querySelectorAll('tr.claim')].map((tr) => ({
          id: tr.dataset.claim,
          n: Number(tr.dataset.differences || 0),
          p: tr.dataset.probability,
        }));
        const hists = [...document.querySelectorAll('svg.chart.histogram')].map((s) => ({
          id: s.dataset.claim,
          n: Number(s.dataset.n),
          holds: Number(s.dataset.holds),
          threshold: s.dataset.threshold,
          lines: [...s.querySelectorAll('line.threshold')].map((l) => ({ t: l.dataset.threshold, x: Number(l.getAttribute('x1')) })),
          bars: [...s.querySelectorAll('rect.bar')].map((b) => ({ count: Number(b.dataset.count), holds: b.dataset.holds === 'true' })),
          drivers: !!document.querySelector(`svg.chart.drivers[data-claim="${CSS.escape(s.dataset.claim)}"]`),
        }));
        return { rows, hists };
      });
      const withDiffs = r.rows.filter((x) => x.n > 0);
      check(withDiffs.length >= 1, 'no claim row has data-differences > 0');
      for (const row of withDiffs) {
        const hs = r.hists.filter((x) => x.id === row.id);
        check(hs.length === 1, `claim ${row.id}: ${hs.length} histograms, expected 1`);
        const hist = hs[0];
        check(hist.lines.length === 1, `claim ${row.id}: ${hist.lines.length} threshold lines, expected 1`);
        check(hist.lines[0].t === hist.threshold, `claim ${row.id}: the threshold line is at ${hist.lines[0].t}, the claim's is ${hist.threshold}`);
        check(hist.n === row.n, `claim ${row.id}: the histogram counts ${hist.n} draws, the table ${row.n}`);
        const total = hist.bars.reduce((a, b) => a + b.count, 0);
        const holding = hist.bars.filter((b) => b.holds).reduce((a, b) => a + b.count, 0);
        check(total === hist.n, `claim ${row.id}: the bars hold ${total} draws of ${hist.n}`);
        check(holding === hist.holds, `claim ${row.id}: the holding bars hold ${holding} draws, the claim ${hist.holds}`);
        check(Math.abs(holding / hist.n - Number(row.p)) < 1e-9, `claim ${row.id}: ${holding}/${hist.n} draws hold, the table says ${row.p}`);
      }
      const noDrivers = r.hists.filter((h) => !h.drivers).map((h) => h.id);
      return `${withDiffs.length} histograms with threshold lines; driver charts for ${r.hists.length - noDrivers.length}${noDrivers.length ? ` (none for ${noDrivers.join(', ')})` : ''}`;
    });

    await step('the map draws every actor inside its frame', async () => {
      const r = await page.evaluate(() => {
        const svg = document.querySelector('svg.chart.map');
        if (!svg) return null;
        const box = svg.getBoundingClientRect();
        const actors = [...svg.querySelectorAll('path.actor')];
        const out = actors
          .filter((p) => {
            const b = p.getBoundingClientRect();
            return b.left < box.left || b.right > box.right || b.top < box.top || b.bottom > box.bottom;
          })
          .map((p) => p.dataset.state);
        return { actors: actors.length, valued: actors.filter((p) => p.dataset.value !== '').length, out };
      });
      check(r, 'the report has no svg.chart.map');
      check(r.actors >= 20, `the map draws ${r.actors} actors`);
      check(r.out.length === 0, `actors outside the map: ${r.out.join(', ')}`);
      return `${r.actors} actors (${r.valued} with spending data)`;
    });

    await step('the page is self-contained', async () => {
      const others = requests.filter((u) => u !== url && !u.startsWith('data:'));
      check(others.length === 0, `the report loaded ${others.length} other resources: ${others.slice(0, 3).join(', ')}`);
      check((await page.locator('script').count()) === 0, 'the report has a script');
      check(errors.length === 0, `uncaught errors: ${errors.slice(0, 3).join(' | ')}`);
    });

    if (SHOTS) {
      await step(`screenshots into ${SHOTS}`, async () => {
        await mkdir(SHOTS, { recursive: true });
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.waitForTimeout(100);
        const parts = [
          ['report-map.png', 'svg.chart.map'],
          ['report-claim.png', 'section.claim-card'],
          ['report-fans.png', 'div.grid.fans'],
          ['report-threat.png', 'svg.chart.threat-levels'],
          ['report-threat-change.png', 'svg.chart.threat-change'],
        ];
        for (const [file, sel] of parts) await page.locator(sel).first().screenshot({ path: path.join(SHOTS, file) });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(SHOTS, 'report.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1600 } });
        return `${parts.length + 1} files`;
      });
    }
    console.log('PASS: all steps');
    return 0;
  } catch (e) {
    console.error(`FAIL ${e instanceof Failure ? e.message : e.stack || e}`);
    return 1;
  } finally {
    await browser.close().catch(() => {});
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`FAIL ${e.stack || e}`);
    process.exit(1);
  },
);
