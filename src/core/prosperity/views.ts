import { sumOf } from './commands';
import { DAY_MS, evaluateTranche, type ConditionFacts, type TrancheEvaluation } from './conditions';
import { convert, formatAmount, REPORTING_CURRENCY, type CurrencyCode } from './money';
import type { Pledge, ProsperityState, Tranche } from './state';

/**
 * What the package looks like to a donor, an investor or the public: money by stage, instrument,
 * sector, oblast and donor in one reporting currency, and what the ceasefire would unlock if it held.
 * Each pledge is converted at the rate of its own date (the rate it was pledged at), so that its
 * stages add up to exactly what was pledged.
 */

export const MONEY_STAGES = ['uncommitted', 'unscheduled', 'locked', 'releasable', 'released', 'disbursed', 'spent'] as const;
export type MoneyStage = (typeof MONEY_STAGES)[number];

export interface MoneyRow {
  readonly key: string;
  readonly stages: Record<MoneyStage, string>;
  readonly total: string;
}

export interface MoneySummary {
  readonly currency: CurrencyCode;
  readonly stages: Record<MoneyStage, string>;
  readonly total: string;
  readonly byInstrument: readonly MoneyRow[];
  readonly bySector: readonly MoneyRow[];
  readonly byOblast: readonly MoneyRow[];
  readonly byDonor: readonly MoneyRow[];
  /** Pledges left out of the totals because no rate to the reporting currency is recorded by their date. */
  readonly unconverted: readonly {
    readonly pledge: string;
    readonly currency: CurrencyCode;
    readonly amount: string;
    readonly on: string;
  }[];
}

export type TrancheStage = 'locked' | 'releasable' | 'released' | 'disbursed' | 'spent';

export function trancheStage(t: Tranche, evaluation: TrancheEvaluation): TrancheStage {
  if (!t.release) return evaluation.releasable ? 'releasable' : 'locked';
  const amount = sumOf([t.amount], t.currency);
  const spent = sumOf(
    t.expenditures.map((e) => e.amount),
    t.currency,
  );
  const disbursed = sumOf(
    t.disbursements.map((d) => d.amount),
    t.currency,
  );
  if (spent > 0n && spent === amount) return 'spent';
  if (disbursed > 0n) return 'disbursed';
  return 'released';
}

/** Evaluates every tranche not yet released at t (ms); released ones keep the record of their release. */
export function evaluateAll(state: ProsperityState, facts: ConditionFacts, t: number): Map<string, TrancheEvaluation> {
  const out = new Map<string, TrancheEvaluation>();
  for (const tr of state.tranches.values()) out.set(tr.id, evaluateTranche(tr.conditions, facts, t));
  return out;
}

type Buckets = Map<string, Record<MoneyStage, bigint>>;

const emptyStages = (): Record<MoneyStage, bigint> => ({
  uncommitted: 0n,
  unscheduled: 0n,
  locked: 0n,
  releasable: 0n,
  released: 0n,
  disbursed: 0n,
  spent: 0n,
});

function add(buckets: Buckets, key: string, stage: MoneyStage, minor: bigint): void {
  let row = buckets.get(key);
  if (!row) buckets.set(key, (row = emptyStages()));
  row[stage] += minor;
}

function rows(buckets: Buckets): MoneyRow[] {
  const out = [...buckets].map(([key, stages]) => {
    const total = MONEY_STAGES.reduce((s, k) => s + stages[k], 0n);
    return { key, total, stages };
  });
  out.sort((a, b) => (b.total > a.total ? 1 : b.total < a.total ? -1 : a.key.localeCompare(b.key)));
  return out.map((r) => ({ key: r.key, total: formatAmount(r.total, REPORTING_CURRENCY), stages: formatStages(r.stages) }));
}

function formatStages(s: Record<MoneyStage, bigint>): Record<MoneyStage, string> {
  return Object.fromEntries(MONEY_STAGES.map((k) => [k, formatAmount(s[k], REPORTING_CURRENCY)])) as Record<MoneyStage, string>;
}

/** The pieces of one pledge by stage, in the pledge's currency, with the project each sits in (null: not yet committed). */
export function pledgePieces(
  state: ProsperityState,
  pledge: Pledge,
  evaluations: ReadonlyMap<string, TrancheEvaluation>,
): { stage: MoneyStage; project: string | null; minor: bigint }[] {
  const cur = pledge.currency;
  const pieces: { stage: MoneyStage; project: string | null; minor: bigint }[] = [];
  let committed = 0n;
  for (const cid of pledge.commitments) {
    const c = state.commitments.get(cid)!;
    const cMinor = sumOf([c.amount], cur);
    committed += cMinor;
    let scheduled = 0n;
    for (const tid of c.tranches) {
      const t = state.tranches.get(tid)!;
      const amount = sumOf([t.amount], cur);
      scheduled += amount;
      if (!t.release) {
        pieces.push({ stage: evaluations.get(t.id)?.releasable ? 'releasable' : 'locked', project: c.project, minor: amount });
        continue;
      }
      const disbursed = sumOf(
        t.disbursements.map((d) => d.amount),
        cur,
      );
      const spent = sumOf(
        t.expenditures.map((e) => e.amount),
        cur,
      );
      pieces.push({ stage: 'released', project: c.project, minor: amount - disbursed });
      pieces.push({ stage: 'disbursed', project: c.project, minor: disbursed - spent });
      pieces.push({ stage: 'spent', project: c.project, minor: spent });
    }
    pieces.push({ stage: 'unscheduled', project: c.project, minor: cMinor - scheduled });
  }
  pieces.push({ stage: 'uncommitted', project: null, minor: sumOf([pledge.amount], cur) - committed });
  return pieces.filter((p) => p.minor !== 0n);
}

export function moneySummary(state: ProsperityState, evaluations: ReadonlyMap<string, TrancheEvaluation>): MoneySummary {
  const total = emptyStages();
  const byInstrument: Buckets = new Map();
  const bySector: Buckets = new Map();
  const byOblast: Buckets = new Map();
  const byDonor: Buckets = new Map();
  const unconverted: { pledge: string; currency: CurrencyCode; amount: string; on: string }[] = [];
  for (const pledge of state.pledges.values()) {
    const rate = state.rates.lookup(pledge.currency, REPORTING_CURRENCY, pledge.on);
    if (!rate) {
      unconverted.push({ pledge: pledge.id, currency: pledge.currency, amount: pledge.amount, on: pledge.on });
      continue;
    }
    for (const piece of pledgePieces(state, pledge, evaluations)) {
      const eur = convert(piece.minor, pledge.currency, REPORTING_CURRENCY, rate.rate);
      const project = piece.project ? state.projects.get(piece.project) : undefined;
      total[piece.stage] += eur;
      add(byInstrument, pledge.instrument, piece.stage, eur);
      add(byDonor, pledge.donor, piece.stage, eur);
      add(bySector, project?.sector ?? 'unallocated', piece.stage, eur);
      add(byOblast, project?.oblast ?? 'unallocated', piece.stage, eur);
    }
  }
  return {
    currency: REPORTING_CURRENCY,
    stages: formatStages(total),
    total: formatAmount(
      MONEY_STAGES.reduce((s, k) => s + total[k], 0n),
      REPORTING_CURRENCY,
    ),
    byInstrument: rows(byInstrument),
    bySector: rows(bySector),
    byOblast: rows(byOblast),
    byDonor: rows(byDonor),
    unconverted,
  };
}

export interface Unlock {
  readonly tranche: string;
  readonly label: string;
  readonly pledge: string;
  readonly donor: string;
  readonly instrument: string;
  readonly amount: string;
  readonly currency: CurrencyCode;
  /** in the reporting currency; null without a rate */
  readonly reportingAmount: string | null;
  readonly unlocksAt: string;
}

/**
 * "What unlocks if the ceasefire holds N more days": the tranches locked now that would be
 * releasable at now + N days if no further breach were verified — the record as it stands, with
 * time moved on. Tranches waiting for an exchange, a meeting or an attestation stay locked.
 */
export function whatUnlocks(
  state: ProsperityState,
  facts: ConditionFacts,
  now: number,
  days: number,
): { unlocks: Unlock[]; total: string; currency: CurrencyCode; horizon: string } {
  const horizon = now + days * DAY_MS;
  const unlocks: Unlock[] = [];
  let total = 0n;
  for (const t of state.tranches.values()) {
    if (t.release) continue;
    if (evaluateTranche(t.conditions, facts, now).releasable) continue;
    const later = evaluateTranche(t.conditions, facts, horizon);
    if (!later.releasable) continue;
    const pledge = state.pledges.get(t.pledge)!;
    const rate = state.rates.lookup(t.currency, REPORTING_CURRENCY, pledge.on);
    const reporting = rate ? convert(sumOf([t.amount], t.currency), t.currency, REPORTING_CURRENCY, rate.rate) : null;
    if (reporting !== null) total += reporting;
    unlocks.push({
      tranche: t.id,
      label: t.label,
      pledge: pledge.id,
      donor: pledge.donor,
      instrument: pledge.instrument,
      amount: t.amount,
      currency: t.currency,
      reportingAmount: reporting === null ? null : formatAmount(reporting, REPORTING_CURRENCY),
      unlocksAt: later.since ?? new Date(horizon).toISOString(),
    });
  }
  unlocks.sort((a, b) => a.unlocksAt.localeCompare(b.unlocksAt));
  return {
    unlocks,
    total: formatAmount(total, REPORTING_CURRENCY),
    currency: REPORTING_CURRENCY,
    horizon: new Date(horizon).toISOString(),
  };
}
