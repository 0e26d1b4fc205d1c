import { canRead } from '../access/policy';
import type { Principal } from '../access/roles';
import { fail, ok, type Result } from '../errors';
import type { Framework } from '../framework/model';
import type { EventDraft } from '../journal/envelope';
import { ACCEPTABLE_UP_TO, gradientPoint, sharingVisibility, type CommentInput, type PositionInput, type ProposalInput } from './model';
import { cellOf, gapOf, type Gap, type NegotiationState, type PositionRecord, type Proposal, type ProposalBasis, type Tier } from './state';

/** A clause of the current framework, as the workspace needs it. */
export interface ClauseInfo {
  readonly id: string;
  readonly title: string;
  readonly status: string;
  readonly alternatives: readonly string[];
}

export function clausesOf(doc: Framework | null): ClauseInfo[] {
  if (!doc) return [];
  const out: ClauseInfo[] = [];
  for (const ch of doc.chapters) {
    for (const a of ch.articles) {
      for (const c of a.clauses) {
        const title = c.title ?? a.title;
        out.push({
          id: c.id,
          title: title.en ?? Object.values(title)[0] ?? c.id,
          status: c.status,
          alternatives: c.alternatives.map((x) => x.id),
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Commands

function needParty(reader: Principal): Result<string> {
  return reader.party ? ok(reader.party) : fail('refused', 'only a person of a party can record a stance for it');
}

function findClause(clauses: readonly ClauseInfo[], id: string): Result<ClauseInfo> {
  const c = clauses.find((x) => x.id === id);
  return c ? ok(c) : fail('validation_failed', `there is no clause ${id} in the current framework`, '/clause');
}

export function decidePosition(clauses: readonly ClauseInfo[], reader: Principal, input: PositionInput): Result<EventDraft[]> {
  const party = needParty(reader);
  if (!party.ok) return party;
  const clause = findClause(clauses, input.clause);
  if (!clause.ok) return clause;
  if (input.alternative !== null && !clause.value.alternatives.includes(input.alternative)) {
    return fail('validation_failed', `clause ${input.clause} has no alternative ${input.alternative}`, '/alternative');
  }
  const payload: Record<string, unknown> = {
    clause: input.clause,
    alternative: input.alternative,
    gradient: input.gradient,
    reason: input.reason,
    redLine: input.redLine,
    sharing: input.sharing,
    party: party.value,
    ...(input.asOf ? { asOf: input.asOf } : {}),
  };
  return ok([
    {
      stream: `position/${party.value}/${input.clause}`,
      type: 'position.recorded',
      payload,
      visibility: sharingVisibility(input.sharing, party.value),
    },
  ]);
}

export function decideComment(clauses: readonly ClauseInfo[], reader: Principal, input: CommentInput): Result<EventDraft[]> {
  const clause = findClause(clauses, input.clause);
  if (!clause.ok) return clause;
  if (input.sharing !== 'all' && !reader.party)
    return fail('validation_failed', 'a comment kept to a party needs a party: share it with all', '/sharing');
  const visibility = input.sharing === 'all' ? ['process'] : sharingVisibility(input.sharing, reader.party!);
  return ok([
    {
      stream: `comments/${input.clause}`,
      type: 'comment.posted',
      payload: { clause: input.clause, text: input.text, sharing: input.sharing, party: reader.party },
      visibility,
    },
  ]);
}

export function decideDraft(
  clauses: readonly ClauseInfo[],
  reader: Principal,
  id: string,
  input: ProposalInput,
  basis: ProposalBasis | null = null,
): Result<EventDraft[]> {
  const party = needParty(reader);
  if (!party.ok) return party;
  const clause = findClause(clauses, input.clause);
  if (!clause.ok) return clause;
  if (input.kind === 'alternative' && input.alternative !== null) {
    return fail(
      'validation_failed',
      'a new alternative stands beside the others: leave "alternative" empty, or propose an amendment',
      '/alternative',
    );
  }
  if (input.kind === 'alternative' && clause.value.alternatives.length === 0) {
    return fail('validation_failed', `clause ${input.clause} has no brackets: propose an amendment of its text instead`, '/kind');
  }
  if (input.alternative !== null && !clause.value.alternatives.includes(input.alternative)) {
    return fail('validation_failed', `clause ${input.clause} has no alternative ${input.alternative}`, '/alternative');
  }
  return ok([
    {
      stream: `proposal/${id}`,
      type: 'proposal.drafted',
      payload: { id, ...input, party: party.value, ...(basis ? { basis } : {}) },
      visibility: [`party:${party.value}`],
    },
  ]);
}

export type ProposalStep = 'table' | 'withdraw' | 'retable' | 'accepted' | 'rejected';
const STEPS: Record<ProposalStep, { from: readonly Proposal['state'][]; type: string; byParty: boolean }> = {
  table: { from: ['draft'], type: 'proposal.tabled', byParty: true },
  withdraw: { from: ['draft', 'tabled'], type: 'proposal.withdrawn', byParty: true },
  retable: { from: ['withdrawn', 'rejected'], type: 'proposal.retabled', byParty: true },
  accepted: { from: ['tabled'], type: 'proposal.accepted', byParty: false },
  rejected: { from: ['tabled'], type: 'proposal.rejected', byParty: false },
};

export function decideProposalStep(state: NegotiationState, reader: Principal, id: string, step: ProposalStep): Result<EventDraft[]> {
  const p = state.proposals.get(id);
  // A draft another party cannot see answers as if it did not exist: its existence is private too.
  if (!p || !canRead(reader, p.visibility)) return fail('not_found', `there is no proposal ${id}`, '/params/id');
  const rule = STEPS[step];
  if (rule.byParty && reader.party !== p.party) return fail('forbidden', `only ${p.party} can ${step} its proposal`);
  if (!rule.from.includes(p.state))
    return fail('invalid_transition', `a proposal that is ${p.state} cannot be ${step === 'table' ? 'tabled' : step}`, '/params/id');
  // A withdrawn draft never tabled stays with its party; everything else is before the table.
  const visibility = step === 'withdraw' && p.state === 'draft' ? [`party:${p.party}`] : ['process'];
  // A rejected proposal comes back as one more alternative in the clause's brackets, not as the same amendment.
  const asAlternative = step === 'retable' && p.state === 'rejected';
  const payload = {
    id,
    clause: p.clause,
    kind: asAlternative ? 'alternative' : p.kind,
    alternative: asAlternative ? null : p.alternative,
    text: p.text,
    note: p.note,
    party: p.party,
    ...(p.basis ? { basis: p.basis } : {}),
  };
  return ok([{ stream: `proposal/${id}`, type: rule.type, payload, visibility }]);
}

// ---------------------------------------------------------------------------------------------------
// Reads: every number below is computed from positions the reader may see, and from nothing else.

/** Which tier of a party's positions this reader sees (the tiers nest exactly as canRead decides). */
export function tierFor(reader: Principal, party: string): Tier {
  if (reader.party === party) return 'own';
  return reader.roles.includes('mediator') ? 'med' : 'all';
}

function uniformTier(reader: Principal): Tier {
  return reader.roles.includes('mediator') ? 'med' : 'all';
}

export function visiblePositions(
  state: NegotiationState,
  reader: Principal,
  clause?: string,
): { latest: PositionRecord[]; older: PositionRecord[] } {
  const visible = state.history.filter((r) => (clause === undefined || r.clause === clause) && canRead(reader, r.visibility));
  const seen = new Set<string>();
  const latest: PositionRecord[] = [];
  const older: PositionRecord[] = [];
  for (let i = visible.length - 1; i >= 0; i--) {
    const r = visible[i]!;
    const key = `${r.party}\u0000${r.clause}\u0000${r.alternative ?? '*'}`;
    if (seen.has(key)) older.push(r);
    else {
      seen.add(key);
      latest.push(r);
    }
  }
  return { latest: latest.reverse(), older: older.reverse() };
}

export interface GapMapCell {
  readonly gradient: string;
  readonly alternative: string | null;
  readonly sharing: string;
}
export interface GapMap {
  parties: string[];
  clauses: {
    clause: string;
    title: string;
    status: string;
    openBrackets: number;
    cells: Record<string, GapMapCell | null>;
    gap: Gap | null;
  }[];
  alignment: { a: string; b: string; score: number }[];
}

export function gapMap(state: NegotiationState, reader: Principal, clauses: readonly ClauseInfo[], parties: readonly string[]): GapMap {
  const uniform = uniformTier(reader);
  const own = reader.party;
  const points = new Map<string, (number | null)[]>(parties.map((p) => [p, []]));
  const rows = clauses.map((c) => {
    const agg = state.clauses.get(c.id);
    const cells: Record<string, GapMapCell | null> = {};
    const records: (PositionRecord | null)[] = [];
    for (const p of parties) {
      const r = cellOf(agg?.parties.get(p), tierFor(reader, p));
      records.push(r);
      cells[p] = r ? { gradient: r.gradient, alternative: r.alternative, sharing: r.sharing } : null;
      points.get(p)!.push(r ? gradientPoint(r.gradient) : null);
    }
    let gap: Gap | null = null;
    if (agg) {
      // The cached gap of the tier is the reader's unless the reader's own party sees more of itself.
      const cached = uniform === 'med' ? agg.gapMed : agg.gapAll;
      const ownDiffers =
        own !== null && agg.parties.has(own) && cellOf(agg.parties.get(own), 'own') !== cellOf(agg.parties.get(own), uniform);
      const outside = [...agg.parties.keys()].some((p) => !parties.includes(p));
      gap = ownDiffers || outside ? gapOf(records) : cached;
    }
    return {
      clause: c.id,
      title: c.title,
      status: c.status,
      openBrackets: c.status === 'bracketed' ? c.alternatives.length : 0,
      cells,
      gap,
    };
  });
  const alignment: GapMap['alignment'] = [];
  for (let i = 0; i < parties.length; i++) {
    for (let j = i + 1; j < parties.length; j++) {
      const a = points.get(parties[i]!)!;
      const b = points.get(parties[j]!)!;
      let sum = 0;
      let n = 0;
      for (let k = 0; k < a.length; k++) {
        const x = a[k];
        const y = b[k];
        if (x == null || y == null) continue;
        sum += Math.abs(x - y);
        n++;
      }
      if (n > 0) alignment.push({ a: parties[i]!, b: parties[j]!, score: Math.round((1 - sum / n / 7) * 1000) / 1000 });
    }
  }
  return { parties: [...parties], clauses: rows, alignment };
}

/** ISO 8601 week of a date, `YYYY-Www`. */
export function isoWeek(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  const day = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - day + 3);
  const year = d.getUTCFullYear();
  // d is now the Thursday of the week; the week's number counts Thursdays since the first of January.
  const week = 1 + Math.floor((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The gap week by week, replaying only the positions this reader may see, in the order they were taken. */
export function trend(state: NegotiationState, reader: Principal): { week: string; meanSpread: number; blocks: number; clauses: number }[] {
  const visible = state.history
    .filter((r) => canRead(reader, r.visibility))
    .sort((x, y) => (x.asOf < y.asOf ? -1 : x.asOf > y.asOf ? 1 : x.position - y.position));
  const latest = new Map<string, Map<string, PositionRecord>>();
  const out: { week: string; meanSpread: number; blocks: number; clauses: number }[] = [];
  const close = (week: string) => {
    let spreads = 0;
    let n = 0;
    let blocks = 0;
    for (const byParty of latest.values()) {
      const g = gapOf(byParty.values());
      if (!g) continue;
      n++;
      spreads += g.spread;
      blocks += g.blocks;
    }
    out.push({ week, meanSpread: n ? Math.round((spreads / n) * 100) / 100 : 0, blocks, clauses: n });
  };
  let current: string | null = null;
  for (const r of visible) {
    const w = isoWeek(r.asOf);
    if (current !== null && w !== current) close(current);
    current = w;
    let byParty = latest.get(r.clause);
    if (!byParty) latest.set(r.clause, (byParty = new Map()));
    byParty.set(r.party, r);
  }
  if (current !== null) close(current);
  return out;
}

/** Mediator only: per clause, the alternatives inside the zone of possible agreement, and who blocks. */
export function zopa(
  state: NegotiationState,
  reader: Principal,
  clauses: readonly ClauseInfo[],
): { clause: string; acceptable: string[]; blockedBy: string[] }[] {
  return clauses
    .filter((c) => state.clauses.has(c.id))
    .map((c) => {
      const agg = state.clauses.get(c.id)!;
      const blockedBy: string[] = [];
      const ratings: { party: string; perAlt: Map<string, number> }[] = [];
      for (const [party, alts] of agg.parties) {
        const tier = tierFor(reader, party);
        const perAlt = new Map<string, number>();
        let any = false;
        for (const [key, slots] of alts) {
          const r = slots[tier];
          if (!r) continue;
          any = true;
          perAlt.set(key, gradientPoint(r.gradient));
          if (r.gradient === 'block' && !blockedBy.includes(party)) blockedBy.push(party);
        }
        if (any) ratings.push({ party, perAlt });
      }
      const acceptable =
        ratings.length === 0
          ? []
          : c.alternatives.filter((alt) =>
              ratings.every(({ perAlt }) => {
                const point = perAlt.get(alt) ?? perAlt.get('*');
                return point !== undefined && point <= ACCEPTABLE_UP_TO;
              }),
            );
      return { clause: c.id, acceptable, blockedBy: blockedBy.sort() };
    });
}

/**
 * A stress-test comparison attached to a clause, as the console needs it. The stress module journals
 * them (`stress.comparison-attached`); the caller passes in those the reader may read, so this module
 * neither runs nor reads the stress test.
 */
export interface StressEvidence {
  readonly id: string;
  readonly clause: string;
  readonly scenario: { readonly title: string };
  readonly runs: number;
  readonly seed: number;
  readonly attachedAt: string;
  readonly position: number;
  readonly arms: readonly {
    readonly alternative: string;
    readonly label: string;
    readonly metrics: { readonly gapBreachesPerRun: number; readonly gapShare: number; readonly reachedShare: number };
  }[];
  /** Sentences on what differs, the most telling first. */
  readonly findings: readonly string[];
}

export interface TestedArm {
  alternative: string;
  label: string;
  gapBreachesPerRun: number;
  gapShare: number;
  reachedShare: number;
  /** Whether the alternative is still in the clause's brackets (a merge may have resolved them since). */
  open: boolean;
}
export interface TestedClause {
  clause: string;
  title: string;
  gap: Gap | null;
  /** Newest first. */
  comparisons: {
    id: string;
    scenario: string;
    runs: number;
    seed: number;
    attachedAt: string;
    /** The most telling finding, or null when the alternatives behaved alike. */
    headline: string | null;
    arms: TestedArm[];
  }[];
}

export interface ConsoleView {
  next: { clause: string; spread: number }[];
  blocked: { clause: string; parties: string[] }[];
  tested: TestedClause[];
}

/**
 * The mediator's worklist: the smallest non-zero gaps first, the blocked clauses and who blocks, and the
 * clauses whose alternatives have stress-test results attached (in the framework's order, so that the
 * evidence sits beside the clause's gap). Comparisons on a clause the current version no longer has are
 * left out: there is no clause to open.
 */
export function consoleView(map: GapMap, clauses: readonly ClauseInfo[] = [], comparisons: readonly StressEvidence[] = []): ConsoleView {
  const next = map.clauses
    .filter((r) => r.gap && r.gap.spread > 0)
    .map((r) => ({ clause: r.clause, spread: r.gap!.spread }))
    .sort((a, b) => a.spread - b.spread || a.clause.localeCompare(b.clause));
  const blocked = map.clauses
    .map((r) => ({
      clause: r.clause,
      parties: Object.entries(r.cells)
        .filter(([, c]) => c?.gradient === 'block')
        .map(([p]) => p),
    }))
    .filter((b) => b.parties.length > 0);
  return { next, blocked, tested: testedClauses(map, clauses, comparisons) };
}

function testedClauses(map: GapMap, clauses: readonly ClauseInfo[], comparisons: readonly StressEvidence[]): TestedClause[] {
  const byClause = new Map<string, StressEvidence[]>();
  for (const c of comparisons) byClause.set(c.clause, [...(byClause.get(c.clause) ?? []), c]);
  const gaps = new Map(map.clauses.map((r) => [r.clause, r.gap]));
  return clauses
    .filter((c) => byClause.has(c.id))
    .map((c) => ({
      clause: c.id,
      title: c.title,
      gap: gaps.get(c.id) ?? null,
      comparisons: byClause
        .get(c.id)!
        .sort((a, b) => b.position - a.position)
        .map((x) => ({
          id: x.id,
          scenario: x.scenario.title,
          runs: x.runs,
          seed: x.seed,
          attachedAt: x.attachedAt,
          headline: x.findings[0] ?? null,
          arms: x.arms.map((a) => ({
            alternative: a.alternative,
            label: a.label,
            gapBreachesPerRun: a.metrics.gapBreachesPerRun,
            gapShare: a.metrics.gapShare,
            reachedShare: a.metrics.reachedShare,
            open: c.alternatives.includes(a.alternative),
          })),
        })),
    }));
}

/** The parties at the table: states negotiating, mediating or guaranteeing (not coalitions, mechanisms or observers). */
export function negotiatingParties(doc: Framework | null): string[] {
  if (!doc) return [];
  return doc.parties
    .filter((p) => p.kind === 'state' && p.roles.some((r) => r === 'party-to-conflict' || r === 'mediator' || r === 'guarantor'))
    .map((p) => p.id);
}

/** The table's parties, and any other party whose position this reader may see (never one known only from hidden positions). */
export function partiesFor(state: NegotiationState, reader: Principal, doc: Framework | null): string[] {
  const out = negotiatingParties(doc);
  for (const agg of state.clauses.values()) {
    for (const [party, alts] of agg.parties) {
      if (!out.includes(party) && cellOf(alts, tierFor(reader, party))) out.push(party);
    }
  }
  return out;
}
