import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import { gradientPoint, type Gradient, type Sharing } from './model';

/**
 * The negotiating workspace as a read model. Positions are kept per clause and party in three
 * tiers of visibility, which nest: what everyone may see (`all`), what the mediator may see as well
 * (`med`: mediator- and all-shared), and what the party itself sees (`own`: everything it recorded).
 * Each clause keeps the gap of the `all` and `med` tiers, so one new position recomputes one clause
 * (15 parties), never the whole map.
 */
export interface PositionRecord {
  readonly position: number;
  readonly party: string;
  readonly clause: string;
  readonly alternative: string | null;
  readonly gradient: Gradient;
  readonly reason: string;
  readonly redLine: string | null;
  readonly sharing: Sharing;
  readonly recordedAt: string;
  readonly actor: string;
  /** The date the stance was taken (payload `asOf`), else the recording date: what the trend groups by. */
  readonly asOf: string;
  readonly visibility: readonly string[];
}

export type Tier = 'own' | 'med' | 'all';
export interface Slots {
  own: PositionRecord | null;
  med: PositionRecord | null;
  all: PositionRecord | null;
}
export interface Gap {
  readonly spread: number;
  readonly blocks: number;
  readonly shared: number;
}
export interface ClauseAggregate {
  /** party → alternative (or `*` for the clause as a whole) → the latest position of each tier */
  readonly parties: Map<string, Map<string, Slots>>;
  gapAll: Gap | null;
  gapMed: Gap | null;
}

/** The words a proposal was written against, kept so a merge can tell when they have changed since. */
export interface ProposalBasis {
  readonly clause: Readonly<Record<string, string>>;
  readonly alternative: Readonly<Record<string, string>> | null;
}

export interface Proposal {
  readonly id: string;
  readonly clause: string;
  /** A rejected amendment re-tabled as an alternative changes kind. */
  kind: 'alternative' | 'amendment';
  /** For an amendment of an alternative: that alternative's id. */
  alternative: string | null;
  readonly text: { en: string; uk: string };
  readonly basis: ProposalBasis | null;
  /** The framework version it was merged into, once it is. */
  merged: { readonly number: number; readonly hash: string } | null;
  readonly note: string;
  readonly party: string;
  readonly author: string;
  state: 'draft' | 'tabled' | 'accepted' | 'rejected' | 'withdrawn';
  visibility: string[];
  updatedAt: string;
  readonly draftedAt: string;
}

export interface CommentRecord {
  readonly position: number;
  readonly clause: string;
  readonly text: string;
  readonly sharing: Sharing;
  readonly party: string | null;
  readonly actor: string;
  readonly recordedAt: string;
  readonly visibility: readonly string[];
}

export interface NegotiationState {
  history: PositionRecord[];
  clauses: Map<string, ClauseAggregate>;
  proposals: Map<string, Proposal>;
  comments: CommentRecord[];
}

const ANY_ALTERNATIVE = '*';

/** The latest of a party's positions on a clause in one tier (across its alternatives). */
export function cellOf(alternatives: Map<string, Slots> | undefined, tier: Tier): PositionRecord | null {
  if (!alternatives) return null;
  let best: PositionRecord | null = null;
  for (const slots of alternatives.values()) {
    const r = slots[tier];
    if (r && (!best || r.position > best.position)) best = r;
  }
  return best;
}

/** Spread of the shared gradient points (blocks counted apart, not in the spread). */
export function gapOf(cells: Iterable<PositionRecord | null>): Gap | null {
  let min = Infinity;
  let max = -Infinity;
  let blocks = 0;
  let shared = 0;
  for (const c of cells) {
    if (!c) continue;
    shared++;
    if (c.gradient === 'block') {
      blocks++;
      continue;
    }
    const p = gradientPoint(c.gradient);
    if (p < min) min = p;
    if (p > max) max = p;
  }
  if (shared === 0) return null;
  return { spread: max >= min ? max - min : 0, blocks, shared };
}

function tierCells(agg: ClauseAggregate, tier: Tier): (PositionRecord | null)[] {
  return [...agg.parties.values()].map((alts) => cellOf(alts, tier));
}

export function recordPosition(state: NegotiationState, r: PositionRecord): void {
  state.history.push(r);
  let agg = state.clauses.get(r.clause);
  if (!agg) {
    agg = { parties: new Map(), gapAll: null, gapMed: null };
    state.clauses.set(r.clause, agg);
  }
  let alts = agg.parties.get(r.party);
  if (!alts) {
    alts = new Map();
    agg.parties.set(r.party, alts);
  }
  const key = r.alternative ?? ANY_ALTERNATIVE;
  let slots = alts.get(key);
  if (!slots) {
    slots = { own: null, med: null, all: null };
    alts.set(key, slots);
  }
  slots.own = r;
  if (r.sharing !== 'own') slots.med = r;
  if (r.sharing === 'all') slots.all = r;
  agg.gapAll = gapOf(tierCells(agg, 'all'));
  agg.gapMed = gapOf(tierCells(agg, 'med'));
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export const negotiationProjection: Projection<NegotiationState> = {
  name: 'negotiation',
  version: 2,
  init: () => ({ history: [], clauses: new Map(), proposals: new Map(), comments: [] }),
  apply(state, e: JournalEvent) {
    const p = e.payload;
    if (e.type === 'position.recorded') {
      recordPosition(state, {
        position: e.position,
        party: str(p.party),
        clause: str(p.clause),
        alternative: typeof p.alternative === 'string' ? p.alternative : null,
        gradient: p.gradient as Gradient,
        reason: str(p.reason),
        redLine: typeof p.redLine === 'string' ? p.redLine : null,
        sharing: p.sharing as Sharing,
        recordedAt: e.recordedAt,
        actor: e.actor,
        asOf: typeof p.asOf === 'string' ? p.asOf : e.recordedAt.slice(0, 10),
        visibility: e.visibility,
      });
    } else if (e.type === 'comment.posted') {
      state.comments.push({
        position: e.position,
        clause: str(p.clause),
        text: str(p.text),
        sharing: p.sharing as Sharing,
        party: typeof p.party === 'string' ? p.party : null,
        actor: e.actor,
        recordedAt: e.recordedAt,
        visibility: e.visibility,
      });
    } else if (e.type === 'proposal.drafted') {
      const id = str(p.id);
      state.proposals.set(id, {
        id,
        clause: str(p.clause),
        kind: p.kind as Proposal['kind'],
        alternative: typeof p.alternative === 'string' ? p.alternative : null,
        text: p.text as Proposal['text'],
        basis: (p.basis as ProposalBasis | undefined) ?? null,
        merged: null,
        note: str(p.note),
        party: str(p.party),
        author: e.actor,
        state: 'draft',
        visibility: [...e.visibility],
        updatedAt: e.recordedAt,
        draftedAt: e.recordedAt,
      });
    } else if (e.type === 'negotiation.proposals-merged') {
      const ids = Array.isArray(p.proposals) ? (p.proposals as unknown[]) : [];
      for (const id of ids) {
        const found = state.proposals.get(str(id));
        if (found) found.merged = { number: Number(p.number), hash: str(p.hash) };
      }
    } else if (e.type.startsWith('proposal.')) {
      const found = state.proposals.get(str(p.id));
      if (!found) return;
      found.state = e.type === 'proposal.retabled' ? 'tabled' : (e.type.slice('proposal.'.length) as Proposal['state']);
      if (p.kind === 'alternative' || p.kind === 'amendment') found.kind = p.kind;
      if (p.alternative === null || typeof p.alternative === 'string') found.alternative = p.alternative;
      found.visibility = [...e.visibility];
      found.updatedAt = e.recordedAt;
    }
  },
  toSnapshot: (state) => ({ history: state.history, proposals: [...state.proposals.values()], comments: state.comments }),
  fromSnapshot(data) {
    const d = data as { history: PositionRecord[]; proposals: Proposal[]; comments: CommentRecord[] };
    const state = negotiationProjection.init();
    for (const r of d.history) recordPosition(state, r);
    // Snapshots written before merges existed lack the newer fields.
    for (const pr of d.proposals)
      state.proposals.set(pr.id, { ...pr, alternative: pr.alternative ?? null, basis: pr.basis ?? null, merged: pr.merged ?? null });
    state.comments = d.comments;
    return state;
  },
};
