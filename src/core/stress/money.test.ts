import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Framework } from '../framework/model';
import { parseFrameworkSource } from '../framework/parse';
import { moneyModelOf, type SimulatedBreach } from './money';
import { parseScenario, readScenarioFor, type Scenario } from './scenario';
import { prepareSimulation } from './setup';
import { resultJson, stressTest } from './run';

const FRAMEWORK = Framework.parse(parseFrameworkSource(readFileSync('examples/kyiv-2026/framework.yaml', 'utf8'), 'framework.yaml').value);
const QUIET = readFileSync('examples/kyiv-2026/scenarios/quiet.yaml', 'utf8');
const REHEATING = readFileSync('examples/kyiv-2026/scenarios/reheating.yaml', 'utf8');
const DAY = 86_400_000;

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

/** A scenario of `days` days following the given tranches, with nothing breaching. */
function tracking(
  tranches: NonNullable<Scenario['money']>['tranches'],
  days = 120,
  assume?: NonNullable<Scenario['money']>['assume'],
): Scenario {
  return {
    ...scenario(QUIET),
    days,
    money: { tranches, assume: assume ?? { exchanges: {}, meetings: {}, attestations: [] } },
  };
}

const FIRST = {
  id: 'first',
  label: 'first tranche',
  currency: 'EUR',
  amount: '25000000.00',
  conditions: [{ type: 'framework' as const, condition: 'funding-first' }],
};

const START = Date.parse('2026-02-01T00:00:00Z');
const breach = (day: number, verifiedDay: number, severity: number, zones: string[]): SimulatedBreach => ({
  caseId: `c${day}`,
  caseNumber: day,
  occurredAt: new Date(START + day * DAY).toISOString(),
  at: START + day * DAY,
  severity,
  zones,
  verifiedAt: START + verifiedDay * DAY,
});

function model(s: Scenario, choice: Record<string, string> = {}) {
  const m = moneyModelOf(FRAMEWORK, s, choice);
  if (!m.ok || !m.value) throw new Error(m.ok ? 'no money followed' : m.message);
  return m.value;
}

describe('money that unlocks, by the prosperity module’s conditions', () => {
  it('unlocks a 30-day funding condition on day 30 and restarts the count at a verified breach above the ceiling', () => {
    const m = model(tracking([FIRST]));
    expect(m.unlocks([])).toEqual([30]);
    expect(m.unlocks([breach(10, 11, 3, ['contact-line-buffer'])])).toEqual([40]);
    // At or below the ceiling, or elsewhere, the count goes on.
    expect(m.unlocks([breach(10, 11, 2, ['contact-line-buffer'])])).toEqual([30]);
    expect(m.unlocks([breach(10, 11, 4, ['black-sea-corridor'])])).toEqual([30]);
    // Verified only after the tranche could have been released: it was releasable on day 30.
    expect(m.unlocks([breach(25, 35, 4, ['contact-line-buffer'])])).toEqual([30]);
    // Breaches that keep coming: never within the scenario.
    expect(m.unlocks(Array.from({ length: 12 }, (_, i) => breach(i * 10 + 1, i * 10 + 2, 3, ['contact-line-buffer'])))).toEqual([null]);
  });

  it('reads the chosen alternative of a bracketed funding condition', () => {
    const cover = { ...FIRST, id: 'cover', conditions: [{ type: 'framework' as const, condition: 'war-risk-cover' }] };
    expect(model(tracking([cover]), { 'c-war-risk': 'c-war-risk-a' }).unlocks([])).toEqual([0]);
    expect(model(tracking([cover]), { 'c-war-risk': 'c-war-risk-b' }).unlocks([])).toEqual([30]);
    expect(model(tracking([cover]), { 'c-war-risk': 'c-war-risk-b' }).unlocks([breach(5, 6, 3, ['black-sea-corridor'])])).toEqual([35]);
  });

  it('waits for an exchange the scenario does not assume, and says so; unlocks once it is assumed', () => {
    const second = { ...FIRST, id: 'second', conditions: [{ type: 'framework' as const, condition: 'funding-second' }] };
    const bare = model(tracking([second]));
    expect(bare.unlocks([])).toEqual([null]);
    expect(bare.waiting).toEqual([{ tranche: 'second', milestone: '1 exchange tranche completed under exchange-main' }]);
    const assumed = model(tracking([second], 120, { exchanges: { 'exchange-main': ['P100D'] }, meetings: {}, attestations: [] }));
    expect(assumed.waiting).toEqual([]);
    // 90 days held, but the exchange only on day 100.
    expect(assumed.unlocks([])).toEqual([100]);
  });

  it('unlocks money in the quiet ceasefire and not (or later) in the reheating one, amounts as exact decimals', () => {
    const quiet = stressTest(setupFor(scenario(QUIET), { 'c-war-risk': 'c-war-risk-b' }), 2026, 12);
    const hot = stressTest(setupFor(scenario(REHEATING), { 'c-war-risk': 'c-war-risk-b' }), 2026, 12);
    const eur = (r: typeof quiet) => r.metrics.money!.currencies.find((c) => c.currency === 'EUR')!;
    const first = (r: typeof quiet) => r.metrics.money!.tranches.find((t) => t.id === 'eu-zp-substation-1')!;
    expect(eur(quiet).planned).toBe('78000000.00');
    expect(Number(eur(quiet).expected)).toBeGreaterThan(Number(eur(hot).expected));
    expect(first(quiet).unlockedShare).toBeGreaterThan(first(hot).unlockedShare);
    expect(first(quiet).day!.p10).toBeGreaterThanOrEqual(30);
    if (first(hot).day) expect(first(hot).day!.p50).toBeGreaterThan(first(quiet).day!.p50);
    for (const c of [...quiet.metrics.money!.currencies, ...hot.metrics.money!.currencies]) {
      expect(c.expected).toMatch(/^\d+\.\d{2}$/);
      expect(c.byDay).toHaveLength(90);
      expect(c.byDay.at(-1)).toBe(c.expected);
    }
    // The second EU tranche needs 90 days held: a 90-day scenario never reaches it.
    expect(quiet.metrics.money!.tranches.find((t) => t.id === 'eu-zp-substation-2')!.unlockedShare).toBe(0);
  });

  it('gives the same JSON byte for byte for the same seed, money included', () => {
    const s = setupFor(scenario(REHEATING));
    const a = resultJson(stressTest(s, 77, 3));
    const b = resultJson(stressTest(setupFor(scenario(REHEATING)), 77, 3));
    expect(a).toBe(b);
    expect(a).toContain('"money":{"currencies"');
    const quiet = setupFor(scenario(QUIET));
    expect(resultJson(stressTest(quiet, 5, 3))).not.toBe(resultJson(stressTest(quiet, 6, 3)));
  });

  it('refuses a bad amount or an unknown funding condition at its line and column', () => {
    const badAmount = QUIET.replace("amount: '25000000.00'", "amount: '25000000.005'");
    const r = parseScenario(badAmount, 'quiet.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems[0]!.pointer).toBe('/money/tranches/0/amount');
      expect(r.problems[0]!.message).toBe('EUR has 2 digits after the point; 25000000.005 has 3');
      expect(r.problems[0]!.line).toBe(QUIET.split('\n').findIndex((l) => l.includes("'25000000.00'")) + 1);
    }
    const unknown = readScenarioFor(QUIET.replace('condition: funding-first', 'condition: funding-third'), 'quiet.yaml', FRAMEWORK);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.problems[0]!.pointer).toBe('/money/tranches/0/conditions/0/condition');
      expect(unknown.problems[0]!.message).toMatch(
        /no funding condition "funding-third"; it has: funding-first, funding-second, war-risk-cover/,
      );
    }
  });
});
