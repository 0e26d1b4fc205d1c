import { z } from 'zod';
import { fail, ok, type Result } from '../errors';
import type { Framework } from '../framework/model';
import type { EventDraft, JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import { branchingClauses } from '../guarantees/commitments';
import type { StressResult } from './metrics';

/**
 * "Negotiate with evidence": the same scenarios run against the alternatives of one bracketed clause,
 * side by side, and the comparison attached to that clause as a journaled event (visibility `process`:
 * every participant of the process reads it in the negotiating workspace).
 */

export const COMPARISON_ATTACHED = 'stress.comparison-attached';
export const STRESS_PROJECTION = 'stress';
export const comparisonStream = (id: string) => `stress-comparison/${id}`;

export const ArmMetrics = z.object({
  reachedShare: z.number(),
  gapBreachesPerRun: z.number(),
  gapShare: z.number(),
  gapCells: z.array(z.string()),
  firstResponseP50Hours: z.number().nullable(),
  firstResponseP90Hours: z.number().nullable(),
  escalationsPerRun: z.number(),
  deadEndPerRun: z.number(),
  vetoPerRun: z.number(),
  falseTriggersPerRun: z.number(),
  daysHeldMean: z.number(),
  /** Failures of the compared clause itself, per run (gap, dead end, veto, missed rungs, false triggers). */
  clauseFailuresPerRun: z.number(),
  /** Mean money unlocked a run per currency (exact decimals), when the scenario follows tranches. */
  moneyUnlocked: z.array(z.object({ currency: z.string(), expected: z.string(), planned: z.string() })).optional(),
});
export type ArmMetrics = z.infer<typeof ArmMetrics>;

export const ComparisonArm = z.object({
  alternative: z.string(),
  label: z.string(),
  variant: z.string(),
  metrics: ArmMetrics,
});
export type ComparisonArm = z.infer<typeof ComparisonArm>;

export const Comparison = z.object({
  id: z.string(),
  clause: z.string(),
  scenario: z.object({ id: z.string(), title: z.string(), hash: z.string() }),
  seed: z.number().int(),
  runs: z.number().int(),
  framework: z.object({ hash: z.string().nullable(), version: z.number().int().nullable() }),
  arms: z.array(ComparisonArm).min(2),
  /** What differs, in sentences, the largest difference first. */
  findings: z.array(z.string()),
});
export type Comparison = z.infer<typeof Comparison>;

export interface AttachedComparison extends Comparison {
  readonly attachedAt: string;
  readonly attachedBy: string;
  readonly position: number;
}

/** The alternatives of a bracketed clause that changes the guarantees or a funding condition, as the runner needs them. */
export function comparableAlternatives(doc: Framework, clause: string): Result<{ id: string; label: string }[]> {
  const b = branchingClauses(doc).find((x) => x.clause === clause);
  if (b) return ok(b.alternatives.map((a) => ({ ...a })));
  // A bracket that only changes a funding condition changes the money a held ceasefire unlocks.
  const funding = fundingAlternatives(doc, clause);
  if (funding) return ok(funding);
  const exists = doc.chapters.some((ch) => ch.articles.some((a) => a.clauses.some((c) => c.id === clause)));
  if (!exists) return fail('not_found', `clause "${clause}" is not in this framework version`, '/clause');
  return fail(
    'validation_failed',
    `clause ${clause} has no alternatives that change the guarantees: the stress test would give the same answer for each`,
    '/clause',
  );
}

function fundingAlternatives(doc: Framework, clause: string): { id: string; label: string }[] | null {
  for (const ch of doc.chapters)
    for (const a of ch.articles)
      for (const c of a.clauses)
        if (c.id === clause && c.alternatives.length >= 2 && c.alternatives.some((x) => x.part?.kind === 'funding-condition'))
          return c.alternatives.map((x, i) => ({ id: x.id, label: x.label ?? String.fromCharCode(65 + i) }));
  return null;
}

export function armMetrics(result: StressResult, clause: string): ArmMetrics {
  const m = result.metrics;
  return {
    reachedShare: m.reachedShare,
    gapBreachesPerRun: m.gapBreaches.perRun,
    gapShare: m.gapBreaches.share,
    gapCells: m.gapBreaches.cells.map((c) => c.cell),
    firstResponseP50Hours: m.firstResponse.p50Hours,
    firstResponseP90Hours: m.firstResponse.p90Hours,
    escalationsPerRun: m.escalationsPerRun.opened,
    deadEndPerRun: m.escalationsPerRun.deadEnd,
    vetoPerRun: m.escalationsPerRun.veto,
    falseTriggersPerRun: m.falseTriggersPerRun,
    daysHeldMean: m.daysHeld.mean,
    clauseFailuresPerRun: result.clauses.find((c) => c.clause === clause)?.perRun ?? 0,
    ...(m.money
      ? { moneyUnlocked: m.money.currencies.map((c) => ({ currency: c.currency, expected: c.expected, planned: c.planned })) }
      : {}),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cellWords = (cell: string) => {
  const [type, domain, zone] = cell.split('|');
  return `${type} at ${domain === 'sea' ? 'sea' : domain} in ${zone}`;
};

/** Sentences on what differs between the arms, the most telling first. */
export function compareArms(arms: readonly ComparisonArm[]): string[] {
  const out: { weight: number; text: string }[] = [];
  const best = (pick: (a: ComparisonArm) => number, higherIsBetter: boolean) =>
    [...arms].sort((a, b) => (higherIsBetter ? pick(b) - pick(a) : pick(a) - pick(b)) || a.label.localeCompare(b.label));
  for (const a of arms) {
    if (a.metrics.gapBreachesPerRun <= 0) continue;
    const others = arms.filter((o) => o !== a);
    const clean = others.filter((o) => o.metrics.gapBreachesPerRun === 0);
    out.push({
      weight: 100 + a.metrics.gapShare,
      text:
        `Under alternative ${a.label}, ${a.metrics.gapBreachesPerRun} breaches a run (${pct(a.metrics.gapShare)}) fall in a coverage gap` +
        ` (${a.metrics.gapCells.map(cellWords).join('; ')})` +
        (clean.length ? `; none under ${clean.map((o) => o.label).join(', ')}.` : '.'),
    });
  }
  const reach = best((a) => a.metrics.reachedShare, true);
  if (reach.length >= 2 && reach[0]!.metrics.reachedShare !== reach[reach.length - 1]!.metrics.reachedShare)
    out.push({
      weight: Math.abs(reach[0]!.metrics.reachedShare - reach[reach.length - 1]!.metrics.reachedShare) * 50,
      text: `${reach.map((a) => `${a.label}: ${pct(a.metrics.reachedShare)}`).join(', ')} of breaches reach a responsible guarantor.`,
    });
  const withP50 = arms.filter((a) => a.metrics.firstResponseP50Hours !== null);
  if (withP50.length >= 2)
    out.push({
      weight: 10,
      text: `Time to first response, p50 / p90: ${withP50.map((a) => `${a.label} ${a.metrics.firstResponseP50Hours} h / ${a.metrics.firstResponseP90Hours} h`).join('; ')}.`,
    });
  const stuck = arms.filter((a) => a.metrics.deadEndPerRun + a.metrics.vetoPerRun > 0);
  if (stuck.length)
    out.push({
      weight: 20,
      text: `Escalations stuck a run (dead end / veto): ${arms.map((a) => `${a.label} ${a.metrics.deadEndPerRun} / ${a.metrics.vetoPerRun}`).join('; ')}.`,
    });
  const money = (a: ComparisonArm) => (a.metrics.moneyUnlocked ?? []).map((c) => `${c.currency} ${c.expected}`).join(', ');
  if (arms.some((a) => a.metrics.moneyUnlocked?.length) && new Set(arms.map(money)).size > 1)
    out.push({
      weight: 30,
      text: `Money unlocked a run, mean: ${arms.map((a) => `${a.label} ${money(a) || 'none'}`).join('; ')}.`,
    });
  if (arms.some((a) => a.metrics.falseTriggersPerRun > 0))
    out.push({ weight: 5, text: `False triggers a run: ${arms.map((a) => `${a.label} ${a.metrics.falseTriggersPerRun}`).join('; ')}.` });
  return out.sort((a, b) => b.weight - a.weight).map((x) => x.text);
}

export function attachComparison(c: Comparison): Result<EventDraft[]> {
  const parsed = Comparison.safeParse(c);
  if (!parsed.success) return fail('validation_failed', 'the comparison is incomplete', '/');
  return ok([{ stream: comparisonStream(c.id), type: COMPARISON_ATTACHED, payload: { ...parsed.data }, visibility: ['process'] }]);
}

// ---------------------------------------------------------------------------------------------------
// Projection: comparisons per clause

export interface StressState {
  readonly comparisons: Map<string, AttachedComparison>;
  /** clause → comparison ids, oldest first */
  readonly byClause: Map<string, string[]>;
}

export const stressProjection: Projection<StressState> = {
  name: STRESS_PROJECTION,
  version: 1,
  init: () => ({ comparisons: new Map(), byClause: new Map() }),
  apply(state, event: JournalEvent) {
    if (event.type !== COMPARISON_ATTACHED) return;
    const parsed = Comparison.safeParse(event.payload);
    if (!parsed.success) return;
    const c: AttachedComparison = { ...parsed.data, attachedAt: event.recordedAt, attachedBy: event.actor, position: event.position };
    state.comparisons.set(c.id, c);
    const list = state.byClause.get(c.clause) ?? [];
    if (!list.includes(c.id)) list.push(c.id);
    state.byClause.set(c.clause, list);
  },
  toSnapshot: (state) => ({ comparisons: [...state.comparisons.values()] }),
  fromSnapshot(data) {
    const state: StressState = { comparisons: new Map(), byClause: new Map() };
    for (const c of (data as { comparisons: AttachedComparison[] }).comparisons) {
      state.comparisons.set(c.id, c);
      const list = state.byClause.get(c.clause) ?? [];
      list.push(c.id);
      state.byClause.set(c.clause, list);
    }
    return state;
  },
};
