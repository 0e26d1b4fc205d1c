/**
 * `npm run bench -- negotiation`: the gap map of 2,000 clauses × 15 parties after one position
 * changes (target ≤ 50 ms). The projection keeps per-clause aggregates, so one new position
 * recomputes one clause; the map a reader asks for is then assembled from them. Beside it, the cost
 * of folding all 30,000 positions from scratch, which is what the aggregates save.
 *
 * `npm run bench -- negotiation --browser` also renders that map in Chromium (target ≤ 1 s): the real
 * page of a demo server, signed in as a delegate, with the gap-map answer replaced by a synthetic
 * 2,000 × 15 map (the server's own answer for the demo, 36 clauses × 7 parties, is the comparison).
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Principal } from '../src/core/access/roles';
import type { JournalEvent } from '../src/core/journal/envelope';
import { GRADIENT, SHARINGS, sharingVisibility } from '../src/core/negotiation/model';
import { negotiationProjection } from '../src/core/negotiation/state';
import { gapMap, type ClauseInfo } from '../src/core/negotiation/workspace';
import { launchBrowser, DEMO_PASSWORD, ensureWebBuilt, screenshot, startServer } from '../test/e2e/harness';
import { median, percentile, rng, table } from './lib';

const CLAUSES = 2000;
const PARTIES = 15;
const CHANGES = 200;

const parties = Array.from({ length: PARTIES }, (_, i) => `p${i}`);
const clauses: ClauseInfo[] = Array.from({ length: CLAUSES }, (_, i) => ({
  id: `c-${i}`,
  title: `Clause ${i}`,
  status: i % 3 ? 'open' : 'bracketed',
  alternatives: i % 3 ? [] : [`c-${i}-a`, `c-${i}-b`],
}));

function positionEvent(n: number, random: () => number): JournalEvent {
  const clause = clauses[Math.floor(random() * CLAUSES)]!;
  const party = parties[Math.floor(random() * PARTIES)]!;
  const sharing = SHARINGS[Math.floor(random() * 3)]!;
  const alternative =
    clause.alternatives.length && random() < 0.5 ? clause.alternatives[Math.floor(random() * clause.alternatives.length)]! : null;
  return {
    position: n,
    stream: `position/${party}/${clause.id}`,
    streamVersion: 1,
    type: 'position.recorded',
    payload: { clause: clause.id, alternative, gradient: GRADIENT[Math.floor(random() * 8)], reason: 'r', redLine: null, sharing, party },
    actor: `${party}-delegate`,
    party,
    visibility: sharingVisibility(sharing, party),
    recordedAt: '2026-01-10T10:00:00.000Z',
    idempotencyKey: null,
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  };
}

const reader = (party: string | null, mediator = false): Principal => ({
  kind: 'user',
  id: 'x',
  username: 'x',
  party,
  roles: [mediator ? 'mediator' : 'delegate'],
  grants: [],
  scopes: null,
});

export async function run(args: string[] = []): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  const random = rng(42);
  // Every (clause, party) gets a position, so the map is full: 30,000 positions.
  const events: JournalEvent[] = [];
  let n = 0;
  for (const c of clauses) {
    for (const p of parties) {
      const sharing = SHARINGS[(n * 7) % 3]!;
      const e = positionEvent(++n, random);
      e.payload = { ...e.payload, clause: c.id, party: p, sharing, alternative: null };
      e.visibility = sharingVisibility(sharing, p);
      events.push(e);
    }
  }
  const t0 = performance.now();
  const state = negotiationProjection.init();
  for (const e of events) negotiationProjection.apply(state, e);
  const fold = performance.now() - t0;

  const delegate = reader('p3');
  const mediator = reader(null, true);
  const applyTimes: number[] = [];
  const partyMap: number[] = [];
  const mediatorMap: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const e = positionEvent(++n, random);
    let t = performance.now();
    negotiationProjection.apply(state, e);
    applyTimes.push(performance.now() - t);
    t = performance.now();
    gapMap(state, i % 2 ? delegate : mediator, clauses, parties);
    (i % 2 ? partyMap : mediatorMap).push(performance.now() - t);
  }
  const total = applyTimes.map((a, i) => a + (i % 2 ? partyMap[i >> 1]! : mediatorMap[i >> 1]!));
  table(
    `gap map, ${CLAUSES.toLocaleString('en-US')} clauses × ${PARTIES} parties (${events.length.toLocaleString('en-US')} positions), ${CHANGES} changes`,
    ['measure', 'median ms', 'p95 ms', 'target'],
    [
      ['apply one position (incremental aggregates)', median(applyTimes), percentile(applyTimes, 95), ''],
      ['gap map for a party delegate', median(partyMap), percentile(partyMap, 95), ''],
      ['gap map for the mediator', median(mediatorMap), percentile(mediatorMap, 95), ''],
      ['one change → fresh map (apply + map)', median(total), percentile(total, 95), '≤ 50'],
      ['fold all positions from scratch (comparison)', fold, fold, ''],
    ],
  );
  if (args.includes('--browser')) await browserRender(Number(args[args.indexOf('--runs') + 1]) || 7);
}

/** The map a reader would receive for `clauses` × `parties`, every cell filled, some on alternatives. */
function syntheticGapMap(random: () => number) {
  return {
    parties,
    clauses: clauses.map((c) => {
      const cells: Record<string, { gradient: string; alternative: string | null; sharing: string } | null> = {};
      const points: number[] = [];
      for (const p of parties) {
        if (random() < 0.1) {
          cells[p] = null;
          continue;
        }
        const g = Math.floor(random() * 8);
        points.push(g + 1);
        cells[p] = {
          gradient: GRADIENT[g]!,
          alternative: c.alternatives.length && random() < 0.3 ? c.alternatives[0]! : null,
          sharing: 'all',
        };
      }
      const open = points.filter((x) => x < 8);
      return {
        clause: c.id,
        title: c.title,
        status: c.status,
        openBrackets: c.alternatives.length,
        cells,
        gap: {
          spread: open.length ? Math.max(...open) - Math.min(...open) : 0,
          blocks: points.length - open.length,
          shared: points.length,
        },
      };
    }),
    alignment: parties.flatMap((a, i) => parties.slice(i + 1).map((b) => ({ a, b, score: Math.round(random() * 1000) / 1000 }))),
  };
}

/**
 * Installed before the page's scripts: notes when the map is in the DOM, and the frame after
 * (painted). A string, not a function: the TypeScript loader would wrap a function's inner
 * names in helpers that do not exist in the page.
 */
const WATCH_ROWS = `(() => {
  // The number of rows to wait for survives the reload in the tab's session storage.
  const expected = Number(sessionStorage.getItem('ngRows') || 0);
  function tick() {
    // A large map draws only the rows in view: it is there once the table holds all clauses and shows rows.
    const table = document.querySelector('[data-testid="gap-map"]');
    const drawn = table && Number(table.getAttribute('data-rows')) >= expected && table.querySelector('tbody tr[data-clause]');
    if (expected > 0 && drawn) {
      window.__ngRendered = performance.now();
      requestAnimationFrame(function () { window.__ngPainted = performance.now(); });
      return;
    }
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})();`;

/** Scrolls the map's box to `top` and resolves, in ms, when the row there is drawn and painted. */
const SCROLL_TO = `async (top) => {
  const box = document.querySelector('[data-testid="gap-map-scroll"]');
  const t0 = performance.now();
  box.scrollTop = top;
  const want = top > 0 ? 'c-${CLAUSES - 1}' : 'c-0';
  await new Promise((resolve) => {
    const check = () => (document.querySelector('[data-clause="' + want + '"]') ? requestAnimationFrame(() => resolve()) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  });
  return performance.now() - t0;
}`;

async function browserRender(runs: number): Promise<void> {
  ensureWebBuilt();
  const server = await startServer();
  const browser = await launchBrowser({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByLabel('Username').fill('ua-delegate');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('acting-for').waitFor();
    await page.addInitScript({ content: WATCH_ROWS });
    await page.goto(`${server.url}/#/negotiation`);
    await page.getByTestId('gap-map').waitFor();

    const measure = async (rows: number) => {
      const out: { total: number; render: number }[] = [];
      for (let i = 0; i < runs; i++) {
        await page.evaluate((n) => sessionStorage.setItem('ngRows', String(n)), rows);
        await page.reload();
        await page.waitForFunction(() => (window as unknown as { __ngPainted?: number }).__ngPainted !== undefined, null, {
          timeout: 120_000,
        });
        const t = await page.evaluate(() => {
          const w = window as unknown as { __ngPainted: number };
          const answer = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/negotiation/gap-map')) as
            PerformanceResourceTiming | undefined;
          return { painted: w.__ngPainted, answered: answer?.responseEnd ?? 0 };
        });
        out.push({ total: t.painted, render: t.painted - t.answered });
      }
      return out;
    };

    const demo = await measure(await demoRows(page, server.url));
    const body = JSON.stringify(syntheticGapMap(rng(7)));
    await page.route('**/api/v1/negotiation/gap-map', (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
    const big = await measure(CLAUSES);
    await screenshot(page, 'negotiation-bench-2000-clauses');
    // Then the reader scrolls to the last clause: the time until it is drawn.
    const scrolls: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.evaluate(`(${SCROLL_TO})(0)`);
      scrolls.push(await page.evaluate<number>(`(${SCROLL_TO})(1e9)`));
    }
    const col = (xs: { total: number; render: number }[], k: 'total' | 'render') => xs.map((x) => x[k]);
    table(
      `gap map in Chromium (headless, no GPU), ${runs} page loads each, signed in as a delegate`,
      ['map', 'answer → painted, median ms', 'p95 ms', 'page load → painted, median ms', 'target'],
      [
        [
          `${CLAUSES.toLocaleString('en-US')} clauses × ${PARTIES} parties (synthetic, ${(body.length / 1e6).toFixed(1)} MB JSON)`,
          median(col(big, 'render')),
          percentile(col(big, 'render'), 95),
          median(col(big, 'total')),
          '≤ 1,000',
        ],
        ['2,000 × 15: scroll to the last clause → drawn', median(scrolls), percentile(scrolls, 95), '', ''],
        ['the demo map (comparison)', median(col(demo, 'render')), percentile(col(demo, 'render'), 95), median(col(demo, 'total')), ''],
      ],
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function demoRows(page: import('playwright-core').Page, url: string): Promise<number> {
  const answer = await page.evaluate(async (u) => (await fetch(`${u}/api/v1/negotiation/gap-map`, { credentials: 'include' })).json(), url);
  return (answer as { clauses: unknown[] }).clauses.length;
}
