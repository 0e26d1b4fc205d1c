import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Framework } from '../framework/model';
import { parseFrameworkSource } from '../framework/parse';
import { armMetrics, compareArms } from './compare';
import { Random, runSeed } from './random';
import { readScenarioFor, parseScenario, type Scenario } from './scenario';
import { prepareSimulation } from './setup';
import { resultJson, stressTest } from './run';

const FRAMEWORK = Framework.parse(parseFrameworkSource(readFileSync('examples/kyiv-2026/framework.yaml', 'utf8'), 'framework.yaml').value);
const QUIET = readFileSync('examples/kyiv-2026/scenarios/quiet.yaml', 'utf8');
const REHEATING = readFileSync('examples/kyiv-2026/scenarios/reheating.yaml', 'utf8');

function scenario(text: string): Scenario {
  const r = readScenarioFor(text, 'scenario.yaml', FRAMEWORK);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function setupFor(s: Scenario, choice: Record<string, string> = {}) {
  const r = prepareSimulation(FRAMEWORK, s, { choice });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('seeded randomness', () => {
  it('gives the same draws for the same seed and different draws for another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(runSeed(1, 0)).not.toBe(runSeed(1, 1));
  });

  it('draws Poisson counts with the asked mean', () => {
    const r = new Random(5);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.poisson(2.5);
    expect(sum / 20_000).toBeCloseTo(2.5, 1);
  });
});

describe('scenarios', () => {
  it('read the example scenarios', () => {
    expect(scenario(QUIET).id).toBe('quiet');
    expect(scenario(REHEATING).reheating?.factor).toBeGreaterThan(1);
  });

  it('give positioned messages for bad fields', () => {
    const bad = QUIET.replace('perDay: 0.6', 'perDay: -1').replace('title: A quiet ceasefire', 'titel: A quiet ceasefire');
    const r = parseScenario(bad, 'quiet.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const rate = r.problems.find((p) => p.pointer === '/breaches/0/perDay');
    expect(rate?.message).toMatch(/negative/);
    expect(rate?.line).toBe(QUIET.split('\n').findIndex((l) => l.includes('perDay: 0.6')) + 1);
    expect(r.problems.some((p) => /unknown field "titel"/.test(p.message) && p.line > 1)).toBe(true);
  });

  it('name the zone the framework lacks, with its line', () => {
    const bad = QUIET.replace('zone: black-sea-corridor', 'zone: azov-corridor');
    const r = readScenarioFor(bad, 'quiet.yaml', FRAMEWORK);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.message).toMatch(/zone "azov-corridor" is not in the framework/);
    expect(r.problems[0]!.line).toBe(bad.split('\n').findIndex((l) => l.includes('azov-corridor')) + 1);
  });

  it('refuse YAML that is not a scenario, with a position', () => {
    const r = parseScenario('format: [unclosed', 's.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.line).toBeGreaterThan(0);
  });
});

describe('the simulator', () => {
  it('gives the same JSON byte for byte for the same seed, and another for another seed', () => {
    const setup = setupFor(scenario(QUIET));
    const a = resultJson(stressTest(setup, 7, 6));
    const b = resultJson(stressTest(setupFor(scenario(QUIET)), 7, 6));
    const c = resultJson(stressTest(setup, 8, 6));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('surfaces the planted gap of alternative B of the sea clause in the reheating scenario', () => {
    const s = scenario(REHEATING);
    const a = stressTest(setupFor(s, { 'c-commit-sea': 'A' }), 11, 3);
    const b = stressTest(setupFor(s, { 'c-commit-sea': 'B' }), 11, 3);
    expect(a.metrics.gapBreaches.perRun).toBe(0);
    expect(b.metrics.gapBreaches.perRun).toBeGreaterThan(0);
    expect(b.metrics.gapBreaches.cells.map((c) => c.cell)).toContain('naval|sea|corridor-buffer');
    expect(b.clauses[0]!.clause).toBe('c-commit-sea');
    const findings = compareArms([
      { alternative: 'c-commit-sea-a', label: 'A', variant: a.framework.variant, metrics: armMetrics(a, 'c-commit-sea') },
      { alternative: 'c-commit-sea-b', label: 'B', variant: b.framework.variant, metrics: armMetrics(b, 'c-commit-sea') },
    ]);
    expect(findings[0]).toMatch(/^Under alternative B, .* fall in a coverage gap .*corridor-buffer.*; none under A\.$/);
  });

  it('counts the quiet ceasefire as mostly held and the reheating one as mostly broken', () => {
    const quiet = stressTest(setupFor(scenario(QUIET)), 3, 4);
    const hot = stressTest(setupFor(scenario(REHEATING)), 3, 4);
    expect(quiet.metrics.daysHeld.mean).toBeGreaterThan(hot.metrics.daysHeld.mean);
    expect(hot.metrics.breachesPerRun.mean).toBeGreaterThan(quiet.metrics.breachesPerRun.mean * 2);
    const shares = Object.values(hot.metrics.fates).reduce((x, y) => x + y, 0);
    expect(shares).toBeCloseTo(1, 3);
  });

  it('drives escalations through the live ladder: absent guarantors miss rungs, vetoes leave escalations stuck', () => {
    const s = scenario(QUIET);
    const reliable = stressTest(setupFor(s), 5, 4);
    const blocking = stressTest(
      setupFor({ ...s, guarantors: { default: { latency: { median: 'PT10H', p90: 'PT30H' }, absence: 0, veto: 1 }, parties: {} } }),
      5,
      4,
    );
    const absent = stressTest(
      setupFor({ ...s, guarantors: { default: { latency: { median: 'PT10H', p90: 'PT30H' }, absence: 1, veto: 0 }, parties: {} } }),
      5,
      4,
    );
    expect(reliable.metrics.firstResponse.samples).toBeGreaterThan(0);
    expect(blocking.metrics.escalationsPerRun.veto).toBeGreaterThan(0);
    expect(blocking.metrics.firstResponse.samples).toBe(0);
    expect(absent.metrics.firstResponse.samples).toBe(0);
    expect(absent.clauses.reduce((a, c) => a + c.missedRungs, 0)).toBeGreaterThan(reliable.clauses.reduce((a, c) => a + c.missedRungs, 0));
  });

  it('counts a false claim the monitors wrongly verify as a false trigger', () => {
    const s = scenario(QUIET);
    const liar = stressTest(
      setupFor({
        ...s,
        breaches: [],
        falseClaims: [{ by: 'ua', against: 'ru', zone: 'black-sea-corridor', domain: 'sea', type: 'naval', perDay: 1, verifiedWrongly: 1 }],
      }),
      9,
      2,
    );
    expect(liar.metrics.breachesPerRun.mean).toBe(0);
    expect(liar.metrics.falseTriggersPerRun).toBeGreaterThan(0);
  });
});
