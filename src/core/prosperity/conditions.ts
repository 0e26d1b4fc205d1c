import { fail, ok, type Result } from '../errors';
import { inForceHistory } from '../framework/in-force';
import type { Framework, Milestone } from '../framework/model';
import { partSites } from '../framework/traverse';
import { currentDocument, type FrameworkState } from '../framework/versions';
import type { MilestoneFacts } from '../milestones';
import type { CeasefireRecord } from './ceasefire';
import type { ConditionInput } from './model';
import type { Attestation } from './state';

/**
 * Conditions on tranches, checked against milestones computed from Entente's own record: the text
 * in force, the verified breaches, exchanges completed, meetings held, attestations by named
 * parties. Every answer says whether it holds, since when, when it would hold by time alone, and the
 * evidence (case ids, versions, events) behind it — every number traceable to its source.
 */

export const DAY_MS = 86_400_000;

export interface Evidence {
  readonly kind: 'framework-in-force' | 'breach' | 'quiet' | 'exchange-tranche' | 'meeting' | 'attestation' | 'missing';
  readonly text: string;
  readonly at?: string;
  readonly caseId?: string;
  readonly caseNumber?: number;
  readonly severity?: number;
  readonly zones?: readonly string[];
  readonly version?: number;
  readonly hash?: string;
  readonly position?: number;
}

export interface MilestoneStatus {
  readonly milestone: Milestone;
  readonly label: string;
  readonly holds: boolean;
  /** holding: the instant it started holding; not holding: since when it has not (null when never held) */
  readonly since: string | null;
  /** when it will hold if nothing else happens (time-driven milestones only), else null */
  readonly unlocksAt: string | null;
  /** ceasefire milestones: days held so far of the days required */
  readonly progress: { readonly days: number; readonly of: number } | null;
  readonly evidence: readonly Evidence[];
}

export interface ConditionStatus {
  readonly condition: ConditionInput;
  readonly label: string;
  /** For a framework funding condition: where the text says it, and whether a bracket leaves it open. */
  readonly source: {
    readonly id: string;
    readonly clauses: readonly string[];
    readonly version: number | null;
    readonly provisional: boolean;
  } | null;
  readonly holds: boolean;
  readonly since: string | null;
  readonly unlocksAt: string | null;
  readonly milestones: readonly MilestoneStatus[];
}

export interface TrancheEvaluation {
  readonly releasable: boolean;
  readonly since: string | null;
  readonly unlocksAt: string | null;
  readonly conditions: readonly ConditionStatus[];
}

export interface ConditionFacts {
  readonly framework: FrameworkState;
  readonly ceasefire: CeasefireRecord;
  readonly milestones: MilestoneFacts;
  readonly attestations: readonly Attestation[];
}

const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------------
// The framework's funding conditions

interface FundingSource {
  readonly milestones: readonly Milestone[];
  readonly clauses: readonly string[];
  readonly provisional: boolean;
}
const fundingCache = new WeakMap<Framework, Map<string, FundingSource>>();

/**
 * The framework's funding conditions by id. A condition stated in a bracketed clause (one per
 * alternative) is provisional, and judged by the milestones of every alternative together: money is
 * not released on the strength of a bracket.
 */
export function fundingConditions(doc: Framework): Map<string, FundingSource> {
  let found = fundingCache.get(doc);
  if (found) return found;
  const collected = new Map<string, { milestones: Milestone[]; clauses: Set<string>; provisional: boolean; seen: Set<string> }>();
  for (const site of partSites(doc)) {
    if (site.part.kind !== 'funding-condition') continue;
    let entry = collected.get(site.part.id);
    if (!entry) collected.set(site.part.id, (entry = { milestones: [], clauses: new Set(), provisional: false, seen: new Set() }));
    entry.clauses.add(site.clause.id);
    if (site.alternative && site.clause.status === 'bracketed') entry.provisional = true;
    for (const m of site.part.requires) {
      const key = JSON.stringify(m);
      if (entry.seen.has(key)) continue;
      entry.seen.add(key);
      entry.milestones.push(m);
    }
  }
  found = new Map([...collected].map(([id, e]) => [id, { milestones: e.milestones, clauses: [...e.clauses], provisional: e.provisional }]));
  fundingCache.set(doc, found);
  return found;
}

// ---------------------------------------------------------------------------------------------------
// Validation: a condition naming something the record cannot know is refused when it is planned.

export interface ConditionContext {
  /** The text the condition is read against: the one in force, else the latest recorded. */
  readonly document: Framework | null;
  readonly parties: ReadonlySet<string>;
  readonly milestones: MilestoneFacts;
}

function namesOf(doc: Framework | null) {
  const zones = new Set<string>();
  const formulas = new Set<string>();
  const meetings = new Set<string>();
  if (doc) {
    for (const { part } of partSites(doc)) {
      if (part.kind === 'zone') zones.add(part.id);
      else if (part.kind === 'exchange-formula') formulas.add(part.id);
      else if (part.kind === 'meeting-prerequisite') {
        meetings.add(part.meeting);
        for (const r of part.requires) if (r.type === 'meeting-held') meetings.add(r.meeting);
      }
    }
  }
  return { zones, formulas, meetings };
}

const list = (names: Iterable<string>) => [...names].sort().join(', ') || 'none';

/** Refuses a condition that names an unknown milestone, with a pointer to the field that does. */
export function checkConditions(conditions: readonly ConditionInput[], ctx: ConditionContext, base = '/conditions'): Result<true> {
  const names = namesOf(ctx.document);
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i]!;
    const at = `${base}/${i}`;
    switch (c.type) {
      case 'framework': {
        if (!ctx.document)
          return fail(
            'validation_failed',
            `${at}/condition: there is no framework yet, so it has no funding condition ${c.condition}`,
            `${at}/condition`,
          );
        const known = fundingConditions(ctx.document);
        if (!known.has(c.condition)) {
          return fail(
            'validation_failed',
            `${at}/condition: the framework has no funding condition "${c.condition}"; it has: ${list(known.keys())}`,
            `${at}/condition`,
          );
        }
        break;
      }
      case 'ceasefire-held':
        for (let z = 0; z < c.zones.length; z++) {
          if (!names.zones.has(c.zones[z]!)) {
            return fail(
              'validation_failed',
              `${at}/zones/${z}: the framework has no zone "${c.zones[z]}"; it has: ${list(names.zones)}`,
              `${at}/zones/${z}`,
            );
          }
        }
        break;
      case 'exchange-completed':
        if (!names.formulas.has(c.formula)) {
          return fail(
            'validation_failed',
            `${at}/formula: the framework has no exchange formula "${c.formula}"; it has: ${list(names.formulas)}`,
            `${at}/formula`,
          );
        }
        break;
      case 'meeting-held':
        if (!names.meetings.has(c.meeting) && ctx.milestones.meetingHeld(c.meeting) === null) {
          return fail(
            'validation_failed',
            `${at}/meeting: no meeting "${c.meeting}" is known to the framework or the process; known: ${list(names.meetings)}`,
            `${at}/meeting`,
          );
        }
        break;
      case 'attested':
        if (!ctx.parties.has(c.by)) return fail('validation_failed', `${at}/by: there is no party "${c.by}" to attest it`, `${at}/by`);
        break;
      case 'framework-in-force':
        break;
    }
  }
  return ok(true);
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

interface ForceRun {
  readonly from: number;
  readonly until: number;
  /** start of the unbroken run of periods this one belongs to */
  readonly runFrom: number;
  readonly runFromIso: string;
  readonly version: number;
  readonly hash: string;
}
// Every condition asks "since when has a text been in force?"; the periods are computed once per force record.
const runsCache = new WeakMap<FrameworkState, { entries: number; versions: number; runs: ForceRun[] }>();

function forceRuns(framework: FrameworkState): ForceRun[] {
  const hit = runsCache.get(framework);
  if (hit && hit.entries === framework.force.length && hit.versions === framework.versions.length) return hit.runs;
  const runs: ForceRun[] = [];
  let runFrom = -Infinity;
  let lastUntil = -Infinity;
  for (const p of inForceHistory(framework.force)) {
    const from = Date.parse(p.from);
    const until = p.until === null ? Infinity : Date.parse(p.until);
    if (lastUntil < from) runFrom = from;
    lastUntil = until;
    const version = framework.versions.find((v) => v.hash === p.hash)?.number ?? 0;
    runs.push({ from, until, runFrom, runFromIso: iso(runFrom), version, hash: p.hash });
  }
  runsCache.set(framework, { entries: framework.force.length, versions: framework.versions.length, runs });
  return runs;
}

/** The start of the unbroken run of entries into force that contains t (ms), or null when no text is in force at t. */
export function ceasefireStart(
  framework: FrameworkState,
  t: number,
): { from: number; fromIso: string; version: number; hash: string } | null {
  for (const r of forceRuns(framework)) {
    if (r.from <= t && t < r.until) return { from: r.runFrom, fromIso: r.runFromIso, version: r.version, hash: r.hash };
  }
  return null;
}

const labels = new WeakMap<Milestone, string>();

export function milestoneLabel(m: Milestone): string {
  let label = labels.get(m);
  if (label === undefined) labels.set(m, (label = describeMilestone(m)));
  return label;
}

function describeMilestone(m: Milestone): string {
  switch (m.type) {
    case 'ceasefire-held':
      return `ceasefire held ${m.days} days${m.zones.length ? ` in ${m.zones.join(', ')}` : ' everywhere'} (no verified breach above severity ${m.maxSeverity})`;
    case 'exchange-completed':
      return `${m.tranches} exchange tranche${m.tranches === 1 ? '' : 's'} completed under ${m.formula}`;
    case 'framework-in-force':
      return 'framework in force';
    case 'meeting-held':
      return `meeting ${m.meeting} held`;
    case 'attested':
      return `attested by ${m.by}: ${m.what}`;
  }
}

export function evaluateMilestone(m: Milestone, facts: ConditionFacts, t: number): MilestoneStatus {
  const label = milestoneLabel(m);
  const base = { milestone: m, label, progress: null, unlocksAt: null };
  switch (m.type) {
    case 'framework-in-force': {
      const run = ceasefireStart(facts.framework, t);
      if (!run) return { ...base, holds: false, since: null, evidence: [{ kind: 'missing', text: 'no framework version is in force' }] };
      return {
        ...base,
        holds: true,
        since: run.fromIso,
        evidence: [
          {
            kind: 'framework-in-force',
            text: `framework version ${run.version} in force`,
            at: run.fromIso,
            version: run.version,
            hash: run.hash,
          },
        ],
      };
    }
    case 'ceasefire-held': {
      const run = ceasefireStart(facts.framework, t);
      if (!run)
        return {
          ...base,
          holds: false,
          since: null,
          progress: { days: 0, of: m.days },
          evidence: [{ kind: 'missing', text: 'no ceasefire: no framework version is in force' }],
        };
      const breach = facts.ceasefire.lastBreach(m.zones, m.maxSeverity, t);
      const from = breach ? Math.max(run.from, breach.at) : run.from;
      const due = from + m.days * DAY_MS;
      const evidence: Evidence[] = [
        {
          kind: 'framework-in-force',
          text: `ceasefire in force under framework version ${run.version}`,
          at: run.fromIso,
          version: run.version,
          hash: run.hash,
        },
      ];
      if (breach && breach.at >= run.from) {
        evidence.push({
          kind: 'breach',
          text: `verified breach of severity ${breach.severity}${breach.zones.length ? ` in ${breach.zones.join(', ')}` : ''}: the count restarted`,
          at: breach.occurredAt,
          caseId: breach.caseId,
          caseNumber: breach.caseNumber,
          severity: breach.severity,
          zones: breach.zones,
        });
      } else {
        evidence.push({
          kind: 'quiet',
          text: `no verified breach above severity ${m.maxSeverity} in these zones since the ceasefire began`,
        });
      }
      const days = Math.max(0, Math.floor((t - from) / DAY_MS));
      const progress = { days: Math.min(days, m.days), of: m.days };
      return due <= t
        ? { ...base, holds: true, since: iso(due), progress, evidence }
        : { ...base, holds: false, since: iso(from), unlocksAt: iso(due), progress, evidence };
    }
    case 'exchange-completed': {
      const done = facts.milestones.exchangeTranchesCompleted(m.formula).filter((at) => Date.parse(at) <= t);
      const evidence: Evidence[] = done.map((at, i) => ({
        kind: 'exchange-tranche',
        text: `exchange tranche ${i + 1} under ${m.formula} completed`,
        at,
      }));
      if (done.length >= m.tranches) return { ...base, holds: true, since: done[m.tranches - 1]!, evidence };
      evidence.push({ kind: 'missing', text: `${done.length} of ${m.tranches} tranche${m.tranches === 1 ? '' : 's'} completed` });
      return { ...base, holds: false, since: null, evidence };
    }
    case 'meeting-held': {
      const at = facts.milestones.meetingHeld(m.meeting);
      if (at !== null && Date.parse(at) <= t)
        return { ...base, holds: true, since: at, evidence: [{ kind: 'meeting', text: `meeting ${m.meeting} held`, at }] };
      return { ...base, holds: false, since: null, evidence: [{ kind: 'missing', text: `meeting ${m.meeting} not yet held` }] };
    }
    case 'attested': {
      const a = facts.attestations.find((x) => x.party === m.by && x.what === m.what && Date.parse(x.at) <= t);
      if (a) {
        return {
          ...base,
          holds: true,
          since: a.at,
          evidence: [{ kind: 'attestation', text: `attested by ${a.by} for ${a.party}`, at: a.at, position: a.position }],
        };
      }
      return { ...base, holds: false, since: null, evidence: [{ kind: 'missing', text: `not yet attested by ${m.by}` }] };
    }
  }
}

/** Holding: since the last milestone started holding. Not: when the last time-driven one would hold, if all can by time alone. */
function combine(statuses: readonly Pick<MilestoneStatus, 'holds' | 'since' | 'unlocksAt'>[]): {
  holds: boolean;
  since: string | null;
  unlocksAt: string | null;
} {
  // Instants from other modules may carry offsets: compare them as times, not as text.
  const latest = (values: (string | null)[]) =>
    values.reduce<string | null>((acc, v) => (v !== null && (acc === null || Date.parse(v) > Date.parse(acc)) ? v : acc), null);
  if (statuses.every((s) => s.holds)) return { holds: true, since: latest(statuses.map((s) => s.since)), unlocksAt: null };
  const failing = statuses.filter((s) => !s.holds);
  const byTime = failing.every((s) => s.unlocksAt !== null);
  return { holds: false, since: latest(failing.map((s) => s.since)), unlocksAt: byTime ? latest(failing.map((s) => s.unlocksAt)) : null };
}

export function evaluateCondition(c: ConditionInput, facts: ConditionFacts, t: number): ConditionStatus {
  if (c.type !== 'framework') {
    const s = evaluateMilestone(c, facts, t);
    return { condition: c, label: s.label, source: null, holds: s.holds, since: s.since, unlocksAt: s.unlocksAt, milestones: [s] };
  }
  const force = ceasefireStart(facts.framework, t);
  const doc = (force && facts.framework.documents.get(force.hash)) ?? currentDocument(facts.framework);
  const found = doc ? fundingConditions(doc).get(c.condition) : undefined;
  if (!found) {
    const missing: MilestoneStatus = {
      milestone: { type: 'framework-in-force' },
      label: `funding condition ${c.condition}`,
      holds: false,
      since: null,
      unlocksAt: null,
      progress: null,
      evidence: [{ kind: 'missing', text: `the text ${force ? 'in force' : 'recorded'} has no funding condition ${c.condition}` }],
    };
    return {
      condition: c,
      label: `funding condition ${c.condition}`,
      source: null,
      holds: false,
      since: null,
      unlocksAt: null,
      milestones: [missing],
    };
  }
  const milestones = found.milestones.map((m) => evaluateMilestone(m, facts, t));
  // Without a text in force no funding condition binds anyone, whatever its milestones say.
  if (!force && !found.milestones.some((m) => m.type === 'framework-in-force')) {
    milestones.unshift(evaluateMilestone({ type: 'framework-in-force' }, facts, t));
  }
  const combined = combine(milestones);
  return {
    condition: c,
    label: `funding condition ${c.condition}`,
    source: { id: c.condition, clauses: found.clauses, version: force?.version ?? null, provisional: found.provisional },
    ...combined,
    milestones,
  };
}

export function evaluateTranche(conditions: readonly ConditionInput[], facts: ConditionFacts, t: number): TrancheEvaluation {
  const statuses = conditions.map((c) => evaluateCondition(c, facts, t));
  if (statuses.length === 0) return { releasable: true, since: null, unlocksAt: null, conditions: [] };
  const c = combine(statuses);
  return { releasable: c.holds, since: c.since, unlocksAt: c.unlocksAt, conditions: statuses };
}

/** One line naming what keeps a tranche locked, or what it stands on when releasable. */
export function explainEvaluation(e: TrancheEvaluation): string {
  if (e.releasable)
    return e.conditions.length ? `all ${e.conditions.length} condition${e.conditions.length === 1 ? '' : 's'} hold` : 'no conditions';
  const failing = e.conditions.flatMap((c) => c.milestones.filter((m) => !m.holds).map((m) => m.label));
  return `waiting for: ${failing.join('; ')}`;
}

// ---------------------------------------------------------------------------------------------------
// Timing only: whether a tranche is releasable, since when and when it would unlock, as numbers —
// without labels or evidence. The same rules as above (a test holds the two to the same answers);
// this is what re-evaluation after a breach runs over thousands of tranches, and the full evaluation
// with its evidence is made only for the tranches whose answer changed.

export interface Timing {
  readonly holds: boolean;
  readonly since: number | null;
  readonly unlocksAt: number | null;
}

const NOT_YET: Timing = { holds: false, since: null, unlocksAt: null };

export function milestoneTiming(m: Milestone, facts: ConditionFacts, t: number): Timing {
  switch (m.type) {
    case 'framework-in-force': {
      const run = ceasefireStart(facts.framework, t);
      return run ? { holds: true, since: run.from, unlocksAt: null } : NOT_YET;
    }
    case 'ceasefire-held': {
      const run = ceasefireStart(facts.framework, t);
      if (!run) return NOT_YET;
      const breach = facts.ceasefire.lastBreach(m.zones, m.maxSeverity, t);
      const from = breach ? Math.max(run.from, breach.at) : run.from;
      const due = from + m.days * DAY_MS;
      return due <= t ? { holds: true, since: due, unlocksAt: null } : { holds: false, since: from, unlocksAt: due };
    }
    case 'exchange-completed': {
      const done = facts.milestones.exchangeTranchesCompleted(m.formula).filter((at) => Date.parse(at) <= t);
      return done.length >= m.tranches ? { holds: true, since: Date.parse(done[m.tranches - 1]!), unlocksAt: null } : NOT_YET;
    }
    case 'meeting-held': {
      const at = facts.milestones.meetingHeld(m.meeting);
      return at !== null && Date.parse(at) <= t ? { holds: true, since: Date.parse(at), unlocksAt: null } : NOT_YET;
    }
    case 'attested': {
      const a = facts.attestations.find((x) => x.party === m.by && x.what === m.what && Date.parse(x.at) <= t);
      return a ? { holds: true, since: Date.parse(a.at), unlocksAt: null } : NOT_YET;
    }
  }
}

function combineTiming(list: readonly Timing[]): Timing {
  let allHold = true;
  let since: number | null = null;
  for (const x of list) if (!x.holds) allHold = false;
  if (allHold) {
    for (const x of list) if (x.since !== null && (since === null || x.since > since)) since = x.since;
    return { holds: true, since, unlocksAt: null };
  }
  let unlocksAt: number | null = -Infinity;
  for (const x of list) {
    if (x.holds) continue;
    if (x.since !== null && (since === null || x.since > since)) since = x.since;
    if (x.unlocksAt === null) unlocksAt = null;
    else if (unlocksAt !== null && x.unlocksAt > unlocksAt) unlocksAt = x.unlocksAt;
  }
  return { holds: false, since, unlocksAt };
}

export function conditionTiming(c: ConditionInput, facts: ConditionFacts, t: number): Timing {
  if (c.type !== 'framework') return milestoneTiming(c, facts, t);
  const force = ceasefireStart(facts.framework, t);
  const doc = (force && facts.framework.documents.get(force.hash)) ?? currentDocument(facts.framework);
  const found = doc ? fundingConditions(doc).get(c.condition) : undefined;
  if (!found) return NOT_YET;
  const list = found.milestones.map((m) => milestoneTiming(m, facts, t));
  if (!force && !found.milestones.some((m) => m.type === 'framework-in-force')) list.push(NOT_YET);
  return combineTiming(list);
}

export function trancheTiming(conditions: readonly ConditionInput[], facts: ConditionFacts, t: number): Timing {
  if (conditions.length === 0) return { holds: true, since: null, unlocksAt: null };
  return combineTiming(conditions.map((c) => conditionTiming(c, facts, t)));
}
