import { FATES, type ClauseFailures, type Fate, type RunOutcome } from './simulate';
import { scenarioHash } from './scenario';
import { summariseMoney, type MoneyMetrics } from './money';
import type { SimulationSetup } from './setup';

/**
 * From N runs to the numbers a negotiator reads: the share of breaches that reach a responsible
 * guarantor (and why the others did not), time to first response (p50, p90), breaches in coverage
 * gaps, escalations stuck at a veto or a dead end, false triggers, days held, and the clauses that
 * fail most often — with the distributions and the daily series the report plots.
 *
 * Runs are folded in the order of their index, and every figure is rounded to a fixed precision, so
 * that the same seed gives the same JSON byte for byte whichever workers ran which runs.
 */

export const RESULT_FORMAT = 'entente.stress-result/1' as const;

export interface Spread {
  readonly mean: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface Histogram {
  /** Lower edge of each bin; the last bin is open-ended. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
  readonly unit: string;
}

export interface ClauseFailureRow extends ClauseFailures {
  readonly clause: string;
  /** Failures per run, all kinds together: the order of the list. */
  readonly perRun: number;
}

export interface StressMetrics {
  readonly breachesPerRun: Spread;
  readonly reportsPerRun: number;
  /** Share of real breaches that became evidence of an escalation with a lead responder. */
  readonly reachedShare: number;
  /** Share of breaches per fate (they add up to 1). */
  readonly fates: Readonly<Record<Fate, number>>;
  readonly firstResponse: {
    readonly samples: number;
    readonly p50Hours: number | null;
    readonly p90Hours: number | null;
  };
  readonly gapBreaches: { readonly perRun: number; readonly share: number; readonly cells: readonly { cell: string; perRun: number }[] };
  readonly escalationsPerRun: {
    readonly opened: number;
    readonly responded: number;
    readonly deadEnd: number;
    readonly veto: number;
    readonly unresolved: number;
  };
  readonly falseTriggersPerRun: number;
  readonly daysHeld: Spread & { readonly of: number };
  /** The tranches the scenario follows and when they unlock (null when it names none): see money.ts. */
  readonly money: MoneyMetrics | null;
}

export interface StressResult {
  readonly format: typeof RESULT_FORMAT;
  readonly scenario: { readonly id: string; readonly title: string; readonly hash: string; readonly days: number; readonly start: string };
  readonly framework: { readonly hash: string | null; readonly variant: string; readonly choice: Readonly<Record<string, string>> };
  readonly seed: number;
  readonly runs: number;
  readonly metrics: StressMetrics;
  readonly distributions: {
    readonly firstResponseHours: Histogram;
    readonly breachesPerRun: Histogram;
    readonly daysHeld: Histogram;
  };
  /** Mean per day over the runs. */
  readonly series: { readonly breaches: readonly number[]; readonly escalations: readonly number[] };
  /** Most failures first. */
  readonly clauses: readonly ClauseFailureRow[];
  readonly notes: readonly string[];
}

const round = (x: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { mean: round(mean, 2), p10: quantile(sorted, 0.1), p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

function histogram(values: readonly number[], edges: readonly number[], unit: string): Histogram {
  const counts = edges.map(() => 0);
  for (const v of values) {
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]!) i--;
    counts[i]!++;
  }
  return { edges, counts, unit };
}

/** Edges for a count that may be anywhere: ten bins from the smallest to the largest value. */
function evenEdges(values: readonly number[]): number[] {
  if (values.length === 0) return [0];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const step = Math.max(1, Math.ceil((hi - lo + 1) / 10));
  return Array.from({ length: 10 }, (_, i) => lo + i * step);
}

const RESPONSE_EDGES_H = [0, 6, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336];

export function summarise(
  setup: SimulationSetup,
  seed: number,
  outcomes: readonly RunOutcome[],
  frameworkHash: string | null = null,
): StressResult {
  const s = setup.scenario;
  const n = Math.max(1, outcomes.length);
  const breaches = outcomes.map((o) => o.breaches);
  const totalBreaches = breaches.reduce((a, b) => a + b, 0);
  const fates = Object.fromEntries(FATES.map((f) => [f, 0])) as Record<Fate, number>;
  for (const o of outcomes) for (const f of FATES) fates[f] += o.fates[f];
  const fateShares = Object.fromEntries(FATES.map((f) => [f, round(fates[f] / Math.max(1, totalBreaches))])) as Record<Fate, number>;

  const responses = outcomes.flatMap((o) => o.firstResponseMs.map((ms) => ms / 3_600_000)).sort((a, b) => a - b);
  const gapCells = new Map<string, number>();
  for (const o of outcomes) for (const [k, v] of Object.entries(o.gapCells)) gapCells.set(k, (gapCells.get(k) ?? 0) + v);
  const gapTotal = outcomes.reduce((a, o) => a + o.gapBreaches, 0);
  const esc = { opened: 0, responded: 0, deadEnd: 0, veto: 0, unresolved: 0 };
  for (const o of outcomes) for (const k of Object.keys(esc) as (keyof typeof esc)[]) esc[k] += o.escalations[k];
  const held = outcomes.map((o) => o.heldDays.filter(Boolean).length);

  const clauses = new Map<string, ClauseFailures>();
  for (const o of outcomes)
    for (const [clause, f] of Object.entries(o.clauses)) {
      const c = clauses.get(clause) ?? { gap: 0, deadEnd: 0, veto: 0, missedRungs: 0, falseTriggers: 0 };
      c.gap += f.gap;
      c.deadEnd += f.deadEnd;
      c.veto += f.veto;
      c.missedRungs += f.missedRungs;
      c.falseTriggers += f.falseTriggers;
      clauses.set(clause, c);
    }
  const clauseRows: ClauseFailureRow[] = [...clauses]
    .map(([clause, f]) => ({
      clause,
      gap: round(f.gap / n, 2),
      deadEnd: round(f.deadEnd / n, 2),
      veto: round(f.veto / n, 2),
      missedRungs: round(f.missedRungs / n, 2),
      falseTriggers: round(f.falseTriggers / n, 2),
      perRun: round((f.gap + f.deadEnd + f.veto + f.missedRungs + f.falseTriggers) / n, 2),
    }))
    .sort((a, b) => b.perRun - a.perRun || a.clause.localeCompare(b.clause));

  const perDay = (pick: (o: RunOutcome) => readonly number[]) =>
    Array.from({ length: s.days }, (_, d) => round(outcomes.reduce((a, o) => a + (pick(o)[d] ?? 0), 0) / n, 3));

  const money = setup.money
    ? summariseMoney(
        setup.money,
        outcomes.map((o) => o.money ?? []),
        s.days,
      )
    : null;
  const notes: string[] = [];
  if (money === null) notes.push('Money that unlocks is not followed: the scenario names no tranches (see `money` in docs/stress-api.md).');
  for (const w of setup.money?.waiting ?? [])
    notes.push(
      `Tranche ${w.tranche} waits for "${w.milestone}", which the stress test does not simulate and the scenario does not assume: it never unlocks here.`,
    );
  notes.push('Deconfliction (strikes on notified sites) is not simulated: scenarios place no humanitarian notices.');

  return {
    format: RESULT_FORMAT,
    scenario: { id: s.id, title: s.title, hash: scenarioHash(s), days: s.days, start: s.start },
    framework: { hash: frameworkHash, variant: setup.variantLabel, choice: setup.choice },
    seed,
    runs: outcomes.length,
    metrics: {
      breachesPerRun: spread(breaches),
      reportsPerRun: round(outcomes.reduce((a, o) => a + o.reports, 0) / n, 1),
      reachedShare: fateShares.reached,
      fates: fateShares,
      firstResponse: {
        samples: responses.length,
        p50Hours: responses.length ? round(quantile(responses, 0.5), 1) : null,
        p90Hours: responses.length ? round(quantile(responses, 0.9), 1) : null,
      },
      gapBreaches: {
        perRun: round(gapTotal / n, 2),
        share: round(gapTotal / Math.max(1, totalBreaches)),
        cells: [...gapCells]
          .map(([cell, v]) => ({ cell, perRun: round(v / n, 2) }))
          .sort((a, b) => b.perRun - a.perRun || a.cell.localeCompare(b.cell)),
      },
      escalationsPerRun: {
        opened: round(esc.opened / n, 2),
        responded: round(esc.responded / n, 2),
        deadEnd: round(esc.deadEnd / n, 2),
        veto: round(esc.veto / n, 2),
        unresolved: round(esc.unresolved / n, 2),
      },
      falseTriggersPerRun: round(outcomes.reduce((a, o) => a + o.falseTriggers, 0) / n, 2),
      daysHeld: { ...spread(held), of: s.days },
      money,
    },
    distributions: {
      firstResponseHours: histogram(responses, RESPONSE_EDGES_H, 'hours'),
      breachesPerRun: histogram(breaches, evenEdges(breaches), 'breaches'),
      daysHeld: histogram(held, evenEdges(held), 'days'),
    },
    series: { breaches: perDay((o) => o.perDay.breaches), escalations: perDay((o) => o.perDay.escalations) },
    clauses: clauseRows,
    notes,
  };
}
