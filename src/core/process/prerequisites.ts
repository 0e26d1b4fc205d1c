import type { Framework } from '../framework/model';
import { inForceAt, type FrameworkState } from '../framework/versions';
import type { MilestoneFacts } from '../milestones';
import { analyse, type Analysis, type SequenceGraph } from './graph';
import type { Requirement } from './model';
import { meetingHeldAt, type Meeting, type ProcessState } from './state';
import type { Result } from '../errors';

/**
 * Prerequisites come from two places: the framework's `meeting-prerequisite` parts (the text the
 * parties agreed says "leaders meet once the chiefs have met") and requirements recorded through the
 * API. Both are read together, so the text is never copied and never drifts from the sequence.
 */
export interface SourcedRequirement {
  readonly id: string;
  readonly source: 'framework' | 'recorded';
  /** the clause of the framework that states it, for framework requirements */
  readonly clause: string | null;
  readonly requirement: Requirement;
}

/** The framework's prerequisites per meeting code (only clause parts: a bracketed alternative is not agreed text). */
export function frameworkRequirements(doc: Framework | null): Map<string, SourcedRequirement[]> {
  const out = new Map<string, SourcedRequirement[]>();
  if (!doc) return out;
  for (const ch of doc.chapters) {
    for (const a of ch.articles) {
      for (const c of a.clauses) {
        const part = c.part;
        if (!part || part.kind !== 'meeting-prerequisite' || c.status === 'deleted') continue;
        const list = out.get(part.meeting) ?? [];
        part.requires.forEach((r, i) => {
          const requirement: Requirement =
            r.type === 'clauses-agreed' ? { type: 'clauses-at-status', clauses: r.clauses, status: 'agreed' } : r;
          list.push({ id: `${part.id}#${i + 1}`, source: 'framework', clause: c.id, requirement });
        });
        out.set(part.meeting, list);
      }
    }
  }
  return out;
}

export function requirementsOf(meeting: Meeting, fromText: Map<string, SourcedRequirement[]>): SourcedRequirement[] {
  return [
    ...(fromText.get(meeting.id) ?? []),
    ...meeting.prerequisites.map((p) => ({ id: p.id, source: 'recorded' as const, clause: null, requirement: p.requirement })),
  ];
}

export interface Sequence {
  readonly meetings: readonly Meeting[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly graph: SequenceGraph;
  /** every requirement of a meeting, from the text and recorded (built when asked: most reads need few) */
  requirementsOf(meeting: string): SourcedRequirement[];
}

/** The graph of the meetings that still count (cancelled ones drop out), with an optional extra edge to try. */
export function buildSequence(state: ProcessState, doc: Framework | null, extra?: { meeting: string; requirement: Requirement }): Sequence {
  // Instants parsed once by the projection; ids break ties so the order (and the critical path) is stable.
  const byStart = (a: Meeting, b: Meeting) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const meetings = [...state.meetings.values()].filter((m) => m.status !== 'cancelled').sort(byStart);
  const indexOf = new Map<string, number>();
  meetings.forEach((m, i) => indexOf.set(m.id, i));
  const fromText = frameworkRequirements(doc);
  const edges: [number, number][] = [];
  const edgeTo = (to: number, r: Requirement) => {
    if (r.type !== 'meeting-held') return;
    const from = indexOf.get(r.meeting);
    if (from !== undefined) edges.push([from, to]);
  };
  for (let i = 0; i < meetings.length; i++) {
    const m = meetings[i]!;
    for (const r of fromText.get(m.id) ?? []) edgeTo(i, r.requirement);
    for (const p of m.prerequisites) edgeTo(i, p.requirement);
    if (extra && extra.meeting === m.id) edgeTo(i, extra.requirement);
  }
  const nodes = meetings.map((m) => ({
    id: m.id,
    start: m.startMs,
    end: m.endMs,
    hardDate: m.hardDate,
    held: m.status === 'held' || m.status === 'closed',
  }));
  const cache = new Map<string, SourcedRequirement[]>();
  const requirementsFor = (id: string): SourcedRequirement[] => {
    let reqs = cache.get(id);
    if (!reqs) {
      const m = state.meetings.get(id);
      reqs = m ? requirementsOf(m, fromText) : [];
      if (extra && extra.meeting === id) reqs.push({ id: 'new', source: 'recorded', clause: null, requirement: extra.requirement });
      cache.set(id, reqs);
    }
    return reqs;
  };
  return { meetings, indexOf, graph: { nodes, edges }, requirementsOf: requirementsFor };
}

export function analyseSequence(seq: Sequence): Result<Analysis> {
  return analyse(seq.graph);
}

// ---------------------------------------------------------------------------------------------------
// What blocks a meeting now

export interface Context {
  readonly process: ProcessState;
  readonly framework: FrameworkState;
  readonly facts: MilestoneFacts;
  /** ISO instant: "now", injected */
  readonly now: string;
}

export interface Check {
  readonly requirement: SourcedRequirement;
  readonly met: boolean;
  /** what the requirement waits for, or what satisfied it, in words */
  readonly detail: string;
}

const list = (xs: readonly string[]) => xs.join(', ');

function clauseStatuses(doc: Framework): Map<string, string> {
  const out = new Map<string, string>();
  for (const ch of doc.chapters) for (const a of ch.articles) for (const c of a.clauses) out.set(c.id, c.status);
  return out;
}

function checkSigned(ctx: Context, parties: readonly string[], clauses: readonly string[]): { met: boolean; detail: string } {
  const { versions, documents, signatures } = ctx.framework;
  let best: { number: number; missing: string[] } | null = null;
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i]!;
    const doc = documents.get(v.hash);
    if (!doc) continue;
    const statuses = clauseStatuses(doc);
    if (clauses.some((c) => statuses.get(c) !== 'agreed')) continue;
    const signed = new Set(signatures.filter((s) => s.hash === v.hash).map((s) => s.party));
    const missing = parties.filter((p) => !signed.has(p));
    if (missing.length === 0) return { met: true, detail: `version ${v.number} is signed by ${list(parties)}` };
    if (!best || missing.length < best.missing.length) best = { number: v.number, missing };
  }
  const what = clauses.length > 0 ? `a version holding ${list(clauses)} as agreed` : 'a version';
  if (!best) return { met: false, detail: `no recorded version holds ${list(clauses)} as agreed yet` };
  return { met: false, detail: `${what} signed by ${list(parties)}: version ${best.number} still lacks ${list(best.missing)}` };
}

export function check(ctx: Context, r: SourcedRequirement): Check {
  const q = r.requirement;
  const at = (met: boolean, detail: string): Check => ({ requirement: r, met, detail });
  switch (q.type) {
    case 'meeting-held': {
      const held = meetingHeldAt(ctx.process, q.meeting) ?? ctx.facts.meetingHeld(q.meeting);
      if (held) return at(true, `${q.meeting} was held ${held}`);
      const m = ctx.process.meetings.get(q.meeting);
      if (!m) return at(false, `${q.meeting} is not planned yet`);
      return at(false, `${q.meeting} has not been held (${m.status}, planned ${m.start})`);
    }
    case 'clauses-at-status': {
      const doc = ctx.framework.versions.length > 0 ? ctx.framework.documents.get(ctx.framework.versions.at(-1)!.hash) : undefined;
      if (!doc) return at(false, 'there is no framework text yet');
      const statuses = clauseStatuses(doc);
      const off = q.clauses.filter((c) => statuses.get(c) !== q.status);
      if (off.length === 0) return at(true, `${list(q.clauses)} ${q.clauses.length > 1 ? 'are' : 'is'} ${q.status} in the current version`);
      return at(false, off.map((c) => `${c} is ${statuses.get(c) ?? 'not in the text'}`).join('; ') + `, needs ${q.status}`);
    }
    case 'version-signed': {
      const s = checkSigned(ctx, q.parties, q.clauses);
      return at(s.met, s.detail);
    }
    case 'exchange-completed': {
      const done = ctx.facts.exchangeTranchesCompleted(q.formula);
      return done.length >= q.tranches
        ? at(true, `${done.length} tranche(s) of ${q.formula} completed`)
        : at(false, `${done.length} of ${q.tranches} tranche(s) of ${q.formula} completed`);
    }
    case 'framework-in-force': {
      const f = inForceAt(ctx.framework, ctx.now);
      return f ? at(true, `version ${f.number} is in force`) : at(false, 'no framework version is in force');
    }
    case 'attested': {
      const want = q.what.trim().toLowerCase();
      const a = ctx.process.attestations.find((x) => x.party === q.by && x.what.trim().toLowerCase() === want);
      return a ? at(true, `${q.by} attested it on ${a.at}`) : at(false, `${q.by} has not attested: ${q.what}`);
    }
  }
}

/** Every requirement of a meeting with whether it is met now; the unmet ones are what blocks it. */
export function checksOf(ctx: Context, seq: Sequence, meeting: string): Check[] {
  return seq.requirementsOf(meeting).map((r) => check(ctx, r));
}

/** The same, building the sequence first: for a single decision (a status change), not for a page of reads. */
export function checksNow(ctx: Context, doc: Framework | null, meeting: string): Check[] {
  return checksOf(ctx, buildSequence(ctx.process, doc), meeting);
}
