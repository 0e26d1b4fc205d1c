import { z } from 'zod';
import { Instant } from '../framework/in-force';
import { ATTRIBUTION_CONFIDENCE, DOMAINS, PartyId, type Party } from '../framework/model';
import { membersOf, rungOwners, type GuaranteeText, type ResolvedCommitment } from './commitments';
import { addDuration, formatDuration, nominalMs } from './duration';

/**
 * The trigger engine, pure: given the commitments in force and verified, attributed cases in the order
 * they were verified, it decides which commitments trigger, and opens each escalation with its answer
 * to "who pulls the trigger, and why": the commitment and its clause, the rule that matched in words,
 * the evidence (case ids), the lead responder, and the first rung with its deadline — the guarantor's
 * constitutional delay added as the text states it.
 *
 * Incremental and indexed: commitments are looked up by domain → breach type → zone, and each
 * commitment keeps a sliding window of qualifying breaches per attributed party (three breaches in
 * 24 hours means three by the same party; two sides' breaches do not add up against either).
 * One open escalation per commitment and party absorbs further qualifying cases as corroboration,
 * until the escalation ends (`escalationEnded`); breaches that completed a trigger are used up.
 */

export const VerifiedCase = z.strictObject({
  id: z.string().min(1).max(64),
  /** When the breach happened: windows and activation are judged at this instant. */
  occurredAt: Instant,
  /** When the mechanism verified it: an escalation opens at this instant. */
  verifiedAt: Instant,
  /** The breach type (the type the case was filed and verified under). */
  type: z.string().min(1).max(64),
  domain: z.enum(DOMAINS),
  /** Zones the case lies in (from the zone classification of operations). */
  zones: z.array(z.string().min(1).max(64)).max(64),
  severity: z.number().int().min(0).max(5),
  attribution: z.strictObject({ party: PartyId, confidence: z.enum(ATTRIBUTION_CONFIDENCE) }).nullable(),
  independentSources: z.number().int().min(0),
  /** The party that verified it (the monitoring mechanism). */
  verifier: PartyId,
});
export type VerifiedCase = z.infer<typeof VerifiedCase>;

export interface CeasefirePeriod {
  /** When the ceasefire took effect; null while it has not. */
  readonly from: string | null;
  readonly until?: string | null;
}

export interface TriggerEngineOptions {
  readonly ceasefire?: CeasefirePeriod;
  /** How far behind the newest breach a late-verified breach may still join a window. Default P30D. */
  readonly lateness?: string;
}

/** A constitutional procedure that delays an owner's deadline (data from the commitment). */
export interface DelayEntry {
  readonly party: string;
  readonly delay: string;
  readonly procedure: string;
}

/** A rung as the escalation will run it: owners resolved, delays chosen, next as an index. */
export interface RungPlan {
  readonly index: number;
  readonly id: string;
  readonly ladder: string;
  readonly action: string;
  /** As written: a party, or lead-responder, backup-responder, guarantors. */
  readonly owner: string;
  /** The parties that own it. */
  readonly ownerParties: readonly string[];
  /** Who may acknowledge, decide and respond for it: the owners and their coalitions' members. */
  readonly actors: readonly string[];
  readonly deadline: string | null;
  /** The constitutional delay added to the deadline, and the procedure(s) that cause it. */
  readonly delay: string | null;
  readonly delays: readonly DelayEntry[];
  readonly nextIndex: number | null;
}

export interface CaseEvidence {
  readonly id: string;
  readonly occurredAt: string;
  readonly verifiedAt: string;
  readonly type: string;
  readonly zones: readonly string[];
  readonly severity: number;
  readonly confidence: 'low' | 'medium' | 'high';
  readonly independentSources: number;
  readonly verifier: string;
}

/** "Who pulls the trigger, and why": everything an escalation starts from. */
export interface EscalationOpening {
  /** Deterministic: the commitment and the case that completed the trigger. */
  readonly id: string;
  readonly commitment: string;
  readonly clause: string;
  readonly alternative: string | null;
  readonly domain: ResolvedCommitment['domain'];
  /** The party the breaches are attributed to. */
  readonly against: string;
  readonly openedAt: string;
  readonly guarantors: readonly string[];
  readonly leadResponder: string | null;
  readonly backupResponder: string | null;
  readonly decision: ResolvedCommitment['decision'];
  readonly consultationPeriod: string | null;
  readonly rule: {
    readonly text: string;
    readonly minSeverity: number;
    readonly count: number;
    readonly window: string | null;
    readonly attributionConfidence: 'low' | 'medium' | 'high';
    readonly independentSources: number;
    readonly verifier: string;
  };
  readonly evidence: readonly CaseEvidence[];
  readonly ladder: readonly RungPlan[];
  /** The first rung, opened now. */
  readonly firstRung: { readonly index: number; readonly openedAt: string; readonly deadline: string | null };
  readonly explanation: string;
}

export type TriggerOutcome =
  | { readonly kind: 'opened'; readonly opening: EscalationOpening }
  /** A qualifying case while escalations for the same commitments and party are open: it is further evidence of them. */
  | { readonly kind: 'corroborated'; readonly caseId: string; readonly escalations: readonly string[] };

const CONFIDENCE_RANK: Readonly<Record<'low' | 'medium' | 'high', number>> = { low: 1, medium: 2, high: 3 };

// ---------------------------------------------------------------------------------------------------
// Ladder plans (pure helpers; the state machine in ladder.ts runs them)

/** The delay that binds a group under the decision rule: all must pass (consensus), a majority, or the decider. */
function bindingDelay(c: ResolvedCommitment, group: readonly string[]): DelayEntry[] {
  const entries = group.map((p) => {
    const d = c.constitutionalDelays.find((x) => x.party === p);
    return { party: p, entry: d ? { party: p, delay: d.delay, procedure: d.procedure } : null, ms: d ? nominalMs(d.delay) : 0 };
  });
  if (entries.length === 0) return [];
  let chosen: (typeof entries)[number];
  const sorted = [...entries].sort((a, b) => a.ms - b.ms);
  if (group.length === 1) chosen = entries[0]!;
  else if (c.decision.rule === 'majority') chosen = sorted[Math.floor(sorted.length / 2)]!;
  else if (c.decision.rule === 'one' && c.decision.decider && group.includes(c.decision.decider))
    chosen = entries.find((e) => e.party === c.decision.decider)!;
  else chosen = sorted[sorted.length - 1]!;
  return chosen.entry ? [chosen.entry] : [];
}

export function planLadder(c: ResolvedCommitment, parties: ReadonlyMap<string, Party>): RungPlan[] {
  return c.ladder.rungs.map((r, index) => {
    const ownerParties = rungOwners(c, r.owner);
    const members = [...new Set(ownerParties.flatMap((p) => membersOf(parties, p)))];
    // One owner party: its own procedure (a coalition's members under the decision rule); several: the rule over all.
    const delays = bindingDelay(c, ownerParties.length === 1 && !parties.get(ownerParties[0]!)?.members.length ? ownerParties : members);
    return {
      index,
      id: r.id,
      ladder: r.ladder,
      action: r.action,
      owner: r.owner,
      ownerParties,
      actors: [...new Set([...ownerParties, ...members])],
      deadline: r.deadline,
      delay: delays[0]?.delay ?? null,
      delays,
      nextIndex: r.nextIndex,
    };
  });
}

/** When a rung opened at `openedAt` (epoch ms) is due: its deadline plus the constitutional delay. */
export function rungDeadline(rung: RungPlan, openedAt: number): number | null {
  if (rung.deadline === null) return null;
  const base = addDuration(openedAt, rung.deadline);
  return rung.delay ? addDuration(base, rung.delay) : base;
}

// ---------------------------------------------------------------------------------------------------
// Words

function list(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function name(parties: ReadonlyMap<string, Party>, id: string): string {
  const n = parties.get(id)?.name['en'];
  return n ? `${n} (${id})` : id;
}

export function ruleText(c: ResolvedCommitment): string {
  const t = c.trigger;
  const what =
    t.count === 1 ? 'one verified breach' : `${t.count} verified breaches by the same party within ${formatDuration(t.window ?? 'PT0S')}`;
  const where = c.zones.length ? `in ${list([...c.zones])}` : 'anywhere';
  const n = c.evidence.independentSources;
  return (
    `${what} of type ${list([...c.breachTypes])} ${where} (${c.domain}), severity ${t.minSeverity} or more, ` +
    `attributed with ${t.attributionConfidence} confidence or higher, on ${n} independent source${n === 1 ? '' : 's'}, verified by ${c.evidence.verifier}`
  );
}

function decisionText(c: ResolvedCommitment, parties: ReadonlyMap<string, Party>): string {
  const d = c.decision;
  const who =
    d.rule === 'one'
      ? `${d.decider ? name(parties, d.decider) : 'one guarantor (not named)'} decides alone`
      : `the guarantors (${list([...c.guarantors])}) decide by ${d.rule}`;
  return d.vetoHolders.length ? `${who}; ${list([...d.vetoHolders])} hold${d.vetoHolders.length === 1 ? 's' : ''} a veto` : who;
}

function explain(
  c: ResolvedCommitment,
  parties: ReadonlyMap<string, Party>,
  against: string,
  evidence: readonly CaseEvidence[],
  first: RungPlan | undefined,
  deadline: number | null,
): string {
  const cases = evidence
    .map(
      (e) =>
        `case ${e.id} (${e.type}, severity ${e.severity}, ${e.zones.length ? `in ${list([...e.zones])}` : 'no zone'}, ${e.occurredAt}, attributed with ${e.confidence} confidence, ${e.independentSources} independent source${e.independentSources === 1 ? '' : 's'}, verified by ${e.verifier})`,
    )
    .join('; ');
  const clause = c.source.alternative ? `clause ${c.source.clause}, alternative ${c.source.label}` : `clause ${c.source.clause}`;
  const lead = c.leadResponder
    ? `${name(parties, c.leadResponder)} pulls the trigger as lead responder${c.backupResponder ? `, ${name(parties, c.backupResponder)} is the backup` : ', with no backup'}`
    : 'nobody is named to lead the response';
  let step = 'no rung opens (the commitment has no ladder)';
  if (first) {
    const owners = first.ownerParties.length
      ? list(first.ownerParties.map((p) => name(parties, p)))
      : `the ${first.owner.replace(/-/g, ' ')} (none named)`;
    const due =
      deadline === null
        ? 'with no deadline'
        : `due ${new Date(deadline).toISOString()} (${formatDuration(first.deadline!)}${first.delays.map((d) => ` + ${formatDuration(d.delay)} for ${d.procedure}, ${d.party}`).join('')})`;
    step = `first step: ${first.action} by ${owners}, ${due}`;
  }
  return (
    `Commitment ${c.id} (${clause}) is triggered against ${name(parties, against)}: ${cases}. ` +
    `Rule: ${ruleText(c)}. ${lead}; ${decisionText(c, parties)}. ${step[0]!.toUpperCase()}${step.slice(1)}.`
  );
}

// ---------------------------------------------------------------------------------------------------
// The engine

interface Window {
  times: number[];
  ids: string[];
  cases: VerifiedCase[];
}

interface Compiled {
  readonly c: ResolvedCommitment;
  readonly plan: RungPlan[];
  readonly minSeverity: number;
  readonly count: number;
  readonly windowMs: number;
  readonly confidence: number;
  readonly sources: number;
  readonly verifiers: ReadonlySet<string>;
  /** 0 framework in force, 1 ceasefire in force, 2 after another commitment triggered. */
  readonly activation: 0 | 1 | 2;
  readonly activatedBy: string | null;
  readonly windows: Map<string, Window>;
  /** attributed party → open escalation id */
  readonly open: Map<string, string>;
  newest: number;
  stamp: number;
}

interface Bucket {
  readonly anywhere: Compiled[];
  readonly byZone: Map<string, Compiled[]>;
}

export class TriggerEngine {
  private readonly index = new Map<string, Map<string, Bucket>>();
  private readonly compiled = new Map<string, Compiled>();
  /** commitment id → epoch ms of its first trigger (for activation by another commitment) */
  private readonly triggeredAt = new Map<string, number>();
  private ceasefireFrom: number;
  private ceasefireUntil: number;
  private readonly latenessMs: number;
  private readonly parties: ReadonlyMap<string, Party>;
  private stamp = 0;

  constructor(text: Pick<GuaranteeText, 'commitments' | 'parties'>, options: TriggerEngineOptions = {}) {
    this.parties = text.parties;
    this.latenessMs = nominalMs(options.lateness ?? 'P30D');
    this.ceasefireFrom = Infinity;
    this.ceasefireUntil = Infinity;
    this.setCeasefire(options.ceasefire ?? { from: null });
    for (const c of text.commitments) {
      const k: Compiled = {
        c,
        plan: planLadder(c, text.parties),
        minSeverity: c.trigger.minSeverity,
        count: c.trigger.count,
        windowMs: c.trigger.windowMs ?? 0,
        confidence: CONFIDENCE_RANK[c.trigger.attributionConfidence],
        sources: c.evidence.independentSources,
        verifiers: new Set([c.evidence.verifier, ...membersOf(text.parties, c.evidence.verifier)]),
        activation: c.activation.when === 'framework-in-force' ? 0 : c.activation.when === 'ceasefire-in-force' ? 1 : 2,
        activatedBy: c.activation.when === 'commitment-triggered' ? c.activation.commitment : null,
        windows: new Map(),
        open: new Map(),
        newest: -Infinity,
        stamp: 0,
      };
      this.compiled.set(c.id, k);
      let byType = this.index.get(c.domain);
      if (!byType) this.index.set(c.domain, (byType = new Map()));
      for (const t of c.breachTypes) {
        let bucket = byType.get(t);
        if (!bucket) byType.set(t, (bucket = { anywhere: [], byZone: new Map() }));
        if (c.zones.length === 0) bucket.anywhere.push(k);
        for (const z of c.zones) {
          const list = bucket.byZone.get(z);
          if (list) list.push(k);
          else bucket.byZone.set(z, [k]);
        }
      }
    }
  }

  /** The ceasefire's period changes (it takes effect, or ends). */
  setCeasefire(period: CeasefirePeriod): void {
    this.ceasefireFrom = period.from ? Date.parse(period.from) : Infinity;
    this.ceasefireUntil = period.until ? Date.parse(period.until) : Infinity;
  }

  /** The escalation for this commitment and party ended (responded, dead end, closed): the next breach counts afresh. */
  escalationEnded(commitment: string, against: string): void {
    this.compiled.get(commitment)?.open.delete(against);
  }

  /** Marks an escalation open (when the engine is rebuilt from the journal). */
  escalationOpen(commitment: string, against: string, escalation: string): void {
    this.compiled.get(commitment)?.open.set(against, escalation);
  }

  /** Evaluates one verified case; cases are given in the order they were verified. */
  evaluate(kase: VerifiedCase): readonly TriggerOutcome[] {
    // Every trigger requires an attribution: a case that could not be attributed triggers nothing.
    if (kase.attribution === null) return NO_OUTCOMES;
    const bucket = this.index.get(kase.domain)?.get(kase.type);
    if (!bucket) return NO_OUTCOMES;
    this.stamp++;
    this.opened = null;
    this.corroborates = null;
    this.occurred = NaN;
    this.visit(bucket.anywhere, kase);
    for (let i = 0; i < kase.zones.length; i++) {
      const list = bucket.byZone.get(kase.zones[i]!);
      if (list) this.visit(list, kase);
    }
    if (this.opened === null && this.corroborates === null) return NO_OUTCOMES;
    const out: TriggerOutcome[] = this.opened ?? [];
    if (this.corroborates) out.push({ kind: 'corroborated', caseId: kase.id, escalations: this.corroborates });
    return out;
  }

  private opened: TriggerOutcome[] | null = null;
  private corroborates: string[] | null = null;
  private occurred = NaN;

  private visit(list: readonly Compiled[], kase: VerifiedCase): void {
    const a = kase.attribution!;
    const confidence = CONFIDENCE_RANK[a.confidence];
    for (let i = 0; i < list.length; i++) {
      const k = list[i]!;
      if (k.stamp === this.stamp) continue;
      k.stamp = this.stamp;
      if (kase.severity < k.minSeverity || confidence < k.confidence || kase.independentSources < k.sources) continue;
      if (!k.verifiers.has(kase.verifier)) continue;
      if (Number.isNaN(this.occurred)) this.occurred = Date.parse(kase.occurredAt);
      if (!this.active(k, this.occurred)) continue;
      const open = k.open.get(a.party);
      if (open !== undefined) (this.corroborates ??= []).push(open);
      else {
        const opening = this.admit(k, kase, a.party, this.occurred);
        if (opening) (this.opened ??= []).push(opening);
      }
    }
  }

  evaluateAll(cases: Iterable<VerifiedCase>): TriggerOutcome[] {
    const out: TriggerOutcome[] = [];
    for (const c of cases) for (const o of this.evaluate(c)) out.push(o);
    return out;
  }

  private active(k: Compiled, occurred: number): boolean {
    if (k.activation === 0) return true;
    if (k.activation === 1) return occurred >= this.ceasefireFrom && occurred < this.ceasefireUntil;
    const at = this.triggeredAt.get(k.activatedBy!);
    return at !== undefined && occurred >= at;
  }

  private admit(k: Compiled, kase: VerifiedCase, against: string, occurred: number): TriggerOutcome | null {
    if (k.count <= 1) return this.open(k, against, [kase]);
    let w = k.windows.get(against);
    if (!w) k.windows.set(against, (w = { times: [], ids: [], cases: [] }));
    // Insert in time order (cases arrive in order of verification, not of occurrence).
    let lo = 0;
    let hi = w.times.length;
    if (hi > 0 && w.times[hi - 1]! <= occurred) lo = hi;
    else
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (w.times[mid]! <= occurred) lo = mid + 1;
        else hi = mid;
      }
    w.times.splice(lo, 0, occurred);
    w.ids.splice(lo, 0, kase.id);
    w.cases.splice(lo, 0, kase);
    if (occurred > k.newest) k.newest = occurred;
    // Is there a run of `count` breaches including this one within the window?
    const n = w.times.length;
    for (let j = Math.max(0, lo - k.count + 1); j <= lo && j + k.count - 1 < n; j++) {
      if (w.times[j + k.count - 1]! - w.times[j]! <= k.windowMs) {
        const used = w.cases.slice(j, j + k.count);
        w.times.splice(j, k.count);
        w.ids.splice(j, k.count);
        w.cases.splice(j, k.count);
        return this.open(k, against, used);
      }
    }
    // Forget breaches too old to join any window with what can still arrive.
    const horizon = k.newest - k.windowMs - this.latenessMs;
    let drop = 0;
    while (drop < w.times.length && w.times[drop]! < horizon) drop++;
    if (drop > 0) {
      w.times.splice(0, drop);
      w.ids.splice(0, drop);
      w.cases.splice(0, drop);
    }
    return null;
  }

  private open(k: Compiled, against: string, cases: readonly VerifiedCase[]): TriggerOutcome {
    const c = k.c;
    const completing = cases.reduce((x, y) => (Date.parse(y.verifiedAt) > Date.parse(x.verifiedAt) ? y : x));
    const openedAt = Date.parse(completing.verifiedAt);
    const id = `${c.id}:${completing.id}`;
    k.open.set(against, id);
    if (!this.triggeredAt.has(c.id)) this.triggeredAt.set(c.id, openedAt);
    const evidence: CaseEvidence[] = cases.map((x) => ({
      id: x.id,
      occurredAt: x.occurredAt,
      verifiedAt: x.verifiedAt,
      type: x.type,
      zones: [...x.zones],
      severity: x.severity,
      confidence: x.attribution!.confidence,
      independentSources: x.independentSources,
      verifier: x.verifier,
    }));
    const first = k.plan[0];
    const deadline = first ? rungDeadline(first, openedAt) : null;
    const opening: EscalationOpening = {
      id,
      commitment: c.id,
      clause: c.source.clause,
      alternative: c.source.alternative,
      domain: c.domain,
      against,
      openedAt: new Date(openedAt).toISOString(),
      guarantors: [...c.guarantors],
      leadResponder: c.leadResponder,
      backupResponder: c.backupResponder,
      decision: c.decision,
      consultationPeriod: c.consultationPeriod,
      rule: {
        text: ruleText(c),
        minSeverity: c.trigger.minSeverity,
        count: c.trigger.count,
        window: c.trigger.window,
        attributionConfidence: c.trigger.attributionConfidence,
        independentSources: c.evidence.independentSources,
        verifier: c.evidence.verifier,
      },
      evidence,
      ladder: k.plan,
      firstRung: {
        index: 0,
        openedAt: new Date(openedAt).toISOString(),
        deadline: deadline === null ? null : new Date(deadline).toISOString(),
      },
      explanation: explain(c, this.parties, against, evidence, first, deadline),
    };
    return { kind: 'opened', opening };
  }
}

const NO_OUTCOMES: readonly TriggerOutcome[] = Object.freeze([]);
