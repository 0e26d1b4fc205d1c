import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNode, type TestNode } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';

let node: TestNode;
const as: Record<string, Record<string, string>> = {};
const QUIET = readFileSync('examples/kyiv-2026/scenarios/quiet.yaml', 'utf8');

beforeAll(async () => {
  // In this thread: worker threads would spend longer starting than these few runs take.
  process.env.ENTENTE_STRESS_WORKERS = '0';
  node = await testNode();
  await seedFrameworks(node.journal);
  for (const role of ['mediator', 'delegate', 'observer', 'guarantor']) as[role] = (await node.signIn(`${role}-user`)).headers;
});
afterAll(async () => {
  await node.close();
});

async function post(url: string, who: string, payload?: Record<string, unknown>) {
  return node.app.inject({ method: 'POST', url, headers: as[who]!, ...(payload === undefined ? {} : { payload }) });
}

async function finished(id: string, who = 'delegate') {
  for (let i = 0; i < 600; i++) {
    const res = await node.app.inject({ method: 'GET', url: `/api/v1/stress/runs/${id}`, headers: as[who]! });
    const body = res.json();
    if (body.state !== 'queued' && body.state !== 'running') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run did not finish');
}

describe('stress runs over HTTP', () => {
  it('lists the example scenarios', async () => {
    const res = await node.app.inject({ method: 'GET', url: '/api/v1/stress/scenarios', headers: as.observer! });
    expect(res.statusCode).toBe(200);
    expect(res.json().scenarios.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['quiet', 'reheating']));
  });

  it('runs a scenario and answers the same result for the same seed', async () => {
    const a = await post('/api/v1/stress/runs', 'delegate', { scenario: QUIET, runs: 3, seed: 5 });
    expect(a.statusCode).toBe(202);
    const b = await post('/api/v1/stress/runs', 'delegate', { scenario: QUIET, runs: 3, seed: 5 });
    const ra = await finished(a.json().id);
    const rb = await finished(b.json().id);
    expect(ra.state).toBe('done');
    expect(ra.results[0].result.runs).toBe(3);
    expect(JSON.stringify(ra.results[0].result)).toBe(JSON.stringify(rb.results[0].result));
  });

  it('follows the money a held ceasefire unlocks, and compares a bracketed funding condition', async () => {
    const res = await post('/api/v1/stress/runs', 'delegate', { scenario: QUIET, runs: 4, seed: 5, compare: 'c-war-risk' });
    expect(res.statusCode).toBe(202);
    const run = await finished(res.json().id);
    expect(run.state).toBe('done');
    const [a, b] = run.results.map((r: { result: { metrics: { money: { tranches: { id: string; day: unknown }[] } } } }) =>
      r.result.metrics.money.tranches.find((t) => t.id === 'bsm-odesa-1'),
    );
    // Alternative A: cover once the text is in force (day 0); B: after 30 days held.
    expect(a.day).toEqual({ p10: 0, p50: 0, p90: 0 });
    expect(b.day.p10).toBeGreaterThanOrEqual(30);
    expect(run.comparison.arms[0].metrics.moneyUnlocked).toEqual(
      expect.arrayContaining([expect.objectContaining({ currency: 'USD', planned: '144000000.00' })]),
    );
    expect(run.comparison.findings.join(' ')).toMatch(/Money unlocked a run, mean: A .*USD \d+\.\d\d.*; B /);

    const bad = QUIET.replace("amount: '18000000.00'", 'amount: 18000000');
    const refused = await post('/api/v1/stress/runs', 'delegate', { scenario: bad, runs: 2, seed: 1 });
    expect(refused.statusCode).toBe(400);
    const line = bad.split('\n').findIndex((l) => l.trimEnd().endsWith('amount: 18000000')) + 1;
    expect(refused.json().detail).toMatch(new RegExp(`^scenario\\.yaml:${line}:\\d+: .*amount: must be a string, found number 18000000`));
  });

  it('refuses a bad scenario with the line and column of the problem, storing nothing', async () => {
    const head = node.journal.head;
    const bad = QUIET.replace('perDay: 0.6', 'perDay: lots');
    const res = await post('/api/v1/stress/runs', 'delegate', { scenario: bad, runs: 3, seed: 5 });
    expect(res.statusCode).toBe(400);
    const line = bad.split('\n').findIndex((l) => l.includes('perDay: lots')) + 1;
    expect(res.json().detail).toMatch(new RegExp(`^scenario\\.yaml:${line}:\\d+: `));
    expect(res.json().pointer).toBe('/scenario');
    expect(res.json().problems[0].line).toBe(line);
    expect(node.journal.head).toBe(head);
  });

  it('refuses too many runs and a clause without alternatives, with pointers', async () => {
    const many = await post('/api/v1/stress/runs', 'delegate', { scenario: QUIET, runs: 100_000, seed: 1 });
    expect(many.statusCode).toBe(400);
    expect(many.json().pointer).toBe('/runs');
    const agreed = await post('/api/v1/stress/runs', 'delegate', { scenario: QUIET, runs: 2, seed: 1, compare: 'c-commit-air' });
    expect(agreed.statusCode).toBe(400);
    expect(agreed.json().pointer).toBe('/compare');
    expect(agreed.json().detail).toMatch(/no alternatives that change the guarantees/);
  });

  it('cancels a running run', async () => {
    const res = await post('/api/v1/stress/runs', 'delegate', { example: 'reheating', runs: 400, seed: 1 });
    expect(res.statusCode).toBe(202);
    const cancel = await node.app.inject({ method: 'DELETE', url: `/api/v1/stress/runs/${res.json().id}`, headers: as.delegate! });
    expect(cancel.statusCode).toBe(200);
    const done = await finished(res.json().id);
    expect(done.state).toBe('cancelled');
    expect(done.done).toBeLessThan(400);
  });

  it("keeps one person's runs from another, and lets the mediator see them", async () => {
    const res = await post('/api/v1/stress/runs', 'delegate', { scenario: QUIET, runs: 1, seed: 2 });
    const id = res.json().id;
    expect((await node.app.inject({ method: 'GET', url: `/api/v1/stress/runs/${id}`, headers: as.observer! })).statusCode).toBe(404);
    expect((await node.app.inject({ method: 'GET', url: `/api/v1/stress/runs/${id}`, headers: as.mediator! })).statusCode).toBe(200);
    await finished(id);
  });

  it('compares the alternatives of the sea clause and attaches the comparison to it', async () => {
    const res = await post('/api/v1/stress/runs', 'delegate', { example: 'reheating', runs: 2, seed: 9, compare: 'c-commit-sea' });
    expect(res.statusCode).toBe(202);
    const done = await finished(res.json().id);
    expect(done.state).toBe('done');
    expect(done.comparison.arms.map((a: { label: string }) => a.label)).toEqual(['A', 'B']);
    expect(done.comparison.findings[0]).toMatch(/Under alternative B, .* coverage gap/);

    const early = await post(`/api/v1/stress/runs/${res.json().id}/attach`, 'observer');
    expect(early.statusCode).toBe(403);
    const attached = await post(`/api/v1/stress/runs/${res.json().id}/attach`, 'delegate');
    expect(attached.statusCode).toBe(201);
    expect(attached.json().clause).toBe('c-commit-sea');
    const again = await post(`/api/v1/stress/runs/${res.json().id}/attach`, 'delegate');
    expect(again.statusCode).toBe(409);

    const read = await node.app.inject({ method: 'GET', url: '/api/v1/stress/comparisons?clause=c-commit-sea', headers: as.observer! });
    expect(read.statusCode).toBe(200);
    const [c] = read.json().comparisons;
    expect(c.clause).toBe('c-commit-sea');
    expect(c.attachedBy).toBe('delegate-user');
    expect(c.arms[1].metrics.gapBreachesPerRun).toBeGreaterThan(0);
    expect(c.arms[0].metrics.gapBreachesPerRun).toBe(0);
    const other = await node.app.inject({ method: 'GET', url: '/api/v1/stress/comparisons?clause=c-commit-land', headers: as.observer! });
    expect(other.json().comparisons).toEqual([]);
  });
});
