import { fail, ok, type Result } from '../errors';
import type { Framework } from '../framework/model';
import type { FrameworkState, VersionSummary } from '../framework/versions';
import type { MilestoneFacts } from '../milestones';
import { CeasefireRecord, type Breach } from '../prosperity/ceasefire';
import { nominalMs } from '../guarantees/duration';
import { fundingConditions, milestoneLabel, trancheTiming, type ConditionFacts } from '../prosperity/conditions';
import type { ConditionInput } from '../prosperity/model';
import { checkCurrency, formatAmount, parseAmount, type CurrencyCode } from '../prosperity/money';
import type { Attestation } from '../prosperity/state';
import { assumedFacts, type Scenario } from './scenario';

/**
 * "Days of ceasefire held and the money that unlocks": the tranches a scenario names, with their
 * conditions, judged by the prosperity module's own rules (`trancheTiming`) against each run's
 * verified breaches. The text under test is taken to enter into force at the scenario's start, with
 * the alternatives of the run chosen, so a framework funding condition reads the chosen alternative.
 * A tranche unlocks at the first instant its conditions hold with the breaches verified by then — the
 * moment its approver could release it live. Amounts stay exact: bigint minor units, decimal strings out.
 */

const DAY = 86_400_000;

export interface TrackedTranche {
  readonly id: string;
  readonly label: string;
  readonly currency: CurrencyCode;
  /** minor units */
  readonly amount: bigint;
  readonly conditions: readonly ConditionInput[];
}

/** A breach of one run as the ceasefire record reads it, and when the monitors verified it. */
export interface SimulatedBreach extends Breach {
  readonly verifiedAt: number;
}

export interface MoneyModel {
  readonly tranches: readonly TrackedTranche[];
  /** Tranches that wait on a milestone the stress test neither simulates nor is told to assume. */
  readonly waiting: readonly { readonly tranche: string; readonly milestone: string }[];
  /** For one run: the day (after the start) each tranche unlocks, or null when it does not within the scenario. */
  unlocks(breaches: readonly SimulatedBreach[]): (number | null)[];
}

/**
 * The chosen text: every clause with alternatives reads as its chosen alternative, so the prosperity
 * module's funding conditions see one text (not the provisional union of the brackets).
 */
export function chosenText(doc: Framework, choice: Readonly<Record<string, string>>): Framework {
  return {
    ...doc,
    chapters: doc.chapters.map((ch) => ({
      ...ch,
      articles: ch.articles.map((a) => ({
        ...a,
        clauses: a.clauses.map((c) => {
          const alt = c.alternatives.find((x) => x.id === choice[c.id]);
          if (!alt) return c;
          return { ...c, status: 'agreed' as const, part: alt.part ?? c.part, alternatives: [] };
        }),
      })),
    })),
  };
}

/** A framework record in which the chosen text is in force from `start` on: what the conditions are read against. */
function inForceFrom(doc: Framework, start: string): FrameworkState {
  const hash = `stress-${doc.process.id}`;
  const version: VersionSummary = { hash, number: 1, recordedAt: start, languages: {}, recordedBy: 'stress test', note: '', title: '' };
  return {
    processId: doc.process.id,
    versions: [version],
    documents: new Map([[hash, doc]]),
    signatures: [],
    force: [{ kind: 'entry-into-force', hash, at: start }],
  };
}

export function moneyModelOf(doc: Framework, scenario: Scenario, choice: Readonly<Record<string, string>>): Result<MoneyModel | null> {
  const plan = scenario.money;
  if (!plan) return ok(null);
  const tranches: TrackedTranche[] = [];
  for (const [i, t] of plan.tranches.entries()) {
    const currency = checkCurrency(t.currency, `/money/tranches/${i}/currency`);
    if (!currency.ok) return currency;
    const amount = parseAmount(t.amount, currency.value, `/money/tranches/${i}/amount`);
    if (!amount.ok) return amount;
    tranches.push({ id: t.id, label: t.label, currency: currency.value, amount: amount.value, conditions: t.conditions });
  }
  const ids = new Set<string>();
  for (const [i, t] of tranches.entries()) {
    if (ids.has(t.id)) return fail('validation_failed', `tranche "${t.id}" is named twice`, `/money/tranches/${i}/id`);
    ids.add(t.id);
  }
  const start = Date.parse(scenario.start);
  const end = start + scenario.days * DAY;
  const chosen = chosenText(doc, choice);
  const framework = inForceFrom(chosen, new Date(start).toISOString());
  const milestones = assumedFacts(scenario);
  const attestations: Attestation[] = plan.assume.attestations.map((a, position) => ({
    party: a.by,
    by: a.by,
    what: a.what,
    at: new Date(start + nominalMs(a.after)).toISOString(),
    position,
  }));
  // Instants at which an assumed milestone arrives: the only times, besides a count reaching its day, a tranche can unlock.
  const arrivals = [
    ...Object.values(plan.assume.exchanges).flatMap((list) => list.map((d) => start + nominalMs(d))),
    ...Object.values(plan.assume.meetings).map((d) => start + nominalMs(d)),
    ...attestations.map((a) => Date.parse(a.at)),
  ].sort((a, b) => a - b);

  const waiting = tranches.flatMap((t) =>
    unassumed(t, chosen, milestones, attestations).map((milestone) => ({ tranche: t.id, milestone })),
  );

  return ok({
    tranches,
    waiting,
    unlocks(breaches) {
      const known = [...breaches].sort((a, b) => a.verifiedAt - b.verifiedAt || a.at - b.at);
      return tranches.map((t) => {
        const at = unlockInstant(t.conditions, known, { framework, milestones, attestations }, arrivals, start, end);
        return at === null ? null : Math.floor((at - start) / DAY);
      });
    },
  });
}

/**
 * The first instant in [start, end) at which the conditions hold, judged with the breaches verified by
 * then. Between instants nothing can make them hold but a count reaching its day (`unlocksAt`) or an
 * assumed milestone arriving; a newly verified breach can only push the day later, and is read at the
 * next instant looked at.
 */
function unlockInstant(
  conditions: readonly ConditionInput[],
  breaches: readonly SimulatedBreach[],
  base: Omit<ConditionFacts, 'ceasefire'>,
  arrivals: readonly number[],
  start: number,
  end: number,
): number | null {
  const record = new CeasefireRecord();
  const facts: ConditionFacts = { ...base, ceasefire: record };
  let k = 0;
  for (let t = start; t < end;) {
    while (k < breaches.length && breaches[k]!.verifiedAt <= t) record.add(breaches[k++]!);
    const timing = trancheTiming(conditions, facts, t);
    if (timing.holds) return t;
    let next = timing.unlocksAt ?? Infinity;
    for (const a of arrivals)
      if (a > t) {
        next = Math.min(next, a);
        break;
      }
    if (!(next > t)) return null;
    t = next;
  }
  return null;
}

/** Milestones of a tranche that nothing in the stress test will ever make hold (exchanges, meetings, attestations not assumed). */
function unassumed(t: TrackedTranche, doc: Framework, milestones: MilestoneFacts, attestations: readonly Attestation[]): string[] {
  const out: string[] = [];
  const look = (m: Exclude<ConditionInput, { type: 'framework' }>) => {
    if (m.type === 'exchange-completed' && milestones.exchangeTranchesCompleted(m.formula).length < m.tranches) out.push(milestoneLabel(m));
    if (m.type === 'meeting-held' && milestones.meetingHeld(m.meeting) === null) out.push(milestoneLabel(m));
    if (m.type === 'attested' && !attestations.some((a) => a.party === m.by && a.what === m.what)) out.push(milestoneLabel(m));
  };
  for (const c of t.conditions) {
    if (c.type !== 'framework') look(c);
    else for (const m of fundingMilestones(doc, c.condition)) look(m);
  }
  return out;
}

function fundingMilestones(doc: Framework, id: string) {
  return fundingConditions(doc).get(id)?.milestones ?? [];
}

// ---------------------------------------------------------------------------------------------------
// Over the runs

export interface TrancheUnlock {
  readonly id: string;
  readonly label: string;
  readonly currency: string;
  readonly amount: string;
  /** Share of runs in which it unlocks within the scenario. */
  readonly unlockedShare: number;
  /** Day it unlocks, over the runs in which it does (null when it never does). */
  readonly day: { readonly p10: number; readonly p50: number; readonly p90: number } | null;
  /** Mean amount unlocked per run, rounded to the currency's minor unit. */
  readonly expected: string;
}

export interface CurrencyUnlock {
  readonly currency: string;
  /** Every tracked tranche in this currency together. */
  readonly planned: string;
  /** Mean per run, rounded half away from zero to the minor unit. */
  readonly expected: string;
  readonly p10: string;
  readonly p50: string;
  readonly p90: string;
  /** Mean amount unlocked by the end of each day. */
  readonly byDay: readonly string[];
}

export interface MoneyMetrics {
  readonly currencies: readonly CurrencyUnlock[];
  readonly tranches: readonly TrancheUnlock[];
}

const share = (x: number, n: number) => Math.round((x / Math.max(1, n)) * 10_000) / 10_000;

function pick<T>(sorted: readonly T[], q: number): T {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** n / d rounded half away from zero (amounts are never negative). */
function meanOf(total: bigint, runs: number): bigint {
  const d = BigInt(Math.max(1, runs));
  const q = total / d;
  return (total % d) * 2n >= d ? q + 1n : q;
}

/** Runs' unlock days (one list per run, in tranche order) → the figures of the result. */
export function summariseMoney(model: MoneyModel, runs: readonly (readonly (number | null)[])[], days: number): MoneyMetrics {
  const n = runs.length;
  const tranches = model.tranches.map((t, i) => {
    const unlockDays = runs.map((r) => r[i] ?? null).filter((d): d is number => d !== null);
    const sorted = [...unlockDays].sort((a, b) => a - b);
    return {
      id: t.id,
      label: t.label,
      currency: t.currency,
      amount: formatAmount(t.amount, t.currency),
      unlockedShare: share(unlockDays.length, n),
      day: sorted.length ? { p10: pick(sorted, 0.1), p50: pick(sorted, 0.5), p90: pick(sorted, 0.9) } : null,
      expected: formatAmount(meanOf(t.amount * BigInt(unlockDays.length), n), t.currency),
    };
  });
  const codes = [...new Set(model.tranches.map((t) => t.currency))].sort();
  const currencies = codes.map((currency) => {
    const mine = model.tranches.map((t, i) => ({ t, i })).filter((x) => x.t.currency === currency);
    const totals = runs.map((r) => mine.reduce((sum, { t, i }) => (r[i] !== null && r[i] !== undefined ? sum + t.amount : sum), 0n));
    const sorted = [...totals].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const byDay = Array.from({ length: days }, (_, d) => {
      let total = 0n;
      for (const r of runs) for (const { t, i } of mine) if (r[i] !== null && r[i] !== undefined && r[i]! <= d) total += t.amount;
      return formatAmount(meanOf(total, n), currency);
    });
    const fmt = (x: bigint | undefined) => formatAmount(x ?? 0n, currency);
    return {
      currency,
      planned: fmt(mine.reduce((s, { t }) => s + t.amount, 0n)),
      expected: fmt(
        meanOf(
          totals.reduce((a, b) => a + b, 0n),
          n,
        ),
      ),
      p10: fmt(sorted.length ? pick(sorted, 0.1) : 0n),
      p50: fmt(sorted.length ? pick(sorted, 0.5) : 0n),
      p90: fmt(sorted.length ? pick(sorted, 0.9) : 0n),
      byDay,
    };
  });
  return { currencies, tranches };
}
