import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import type {
  AgeBand,
  DeclaredPerson,
  ListKind,
  MatchKeys,
  MedicalPriority,
  PersonCategory,
  PersonReport,
  PersonState,
  SealedIdentity,
  TrancheState,
} from './model';

/**
 * The exchanges read model: the persons on each side's lists (journal half only: pseudonyms,
 * attributes, keyed hashes, sealed identities) and the tranches with each person's state.
 * `revision` moves whenever a list changes, so the reconciliation can be memoised on it.
 */
export interface PersonRecord {
  readonly id: string;
  /** The bureau's party that declared (and owns) the record. */
  readonly side: string;
  readonly list: ListKind;
  readonly category: PersonCategory;
  readonly medicalPriority: MedicalPriority;
  readonly ageBand: AgeBand;
  readonly homeState: string;
  readonly keys: MatchKeys;
  readonly sealed: SealedIdentity;
  readonly intermediary: string;
  readonly declaredAt: string;
  report: PersonReport | null;
  /** The open (or completing) tranche the person is listed in. */
  tranche: string | null;
  exchanged: boolean;
  refused: boolean;
}

export interface Attestation {
  readonly party: string;
  readonly by: string;
  readonly at: string;
  readonly released: Record<string, number>;
}

export interface TrancheRecord {
  readonly id: string;
  readonly title: string;
  readonly formula: string;
  readonly alternative: string | null;
  readonly clause: string;
  readonly sides: readonly [string, string];
  readonly intermediary: string;
  readonly proposedAt: string;
  /** person id → side releasing them and their state in this tranche */
  readonly persons: Record<string, { side: string; state: PersonState }>;
  state: TrancheState;
  attestations: Record<string, Attestation>;
  countsDiffer: boolean;
  completedAt: string | null;
  published: boolean;
}

export type Count = number | '<5';

export interface PublishedAggregate {
  readonly tranche: string;
  readonly title: string;
  readonly formula: string;
  readonly publishedAt: string;
  readonly released: Record<string, Count>;
  readonly byCategory: Record<string, Count>;
}

export interface ExchangesState {
  persons: Map<string, PersonRecord>;
  tranches: Map<string, TrancheRecord>;
  published: PublishedAggregate[];
  revision: number;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function movePersons(state: ExchangesState, tranche: TrancheRecord, from: PersonState, to: PersonState): void {
  for (const [id, p] of Object.entries(tranche.persons)) {
    if (p.state !== from) continue;
    p.state = to;
    if (to === 'confirmed') {
      const person = state.persons.get(id);
      if (person) person.exchanged = true;
    }
  }
}

/** Once the intermediary and both sides attested, equal counts hand the staged persons over. */
function settleHandover(state: ExchangesState, t: TrancheRecord): void {
  const attesters = [t.intermediary, ...t.sides];
  if (!attesters.every((p) => t.attestations[p])) return;
  const staged = stagedCounts(t);
  const agree = attesters.every((p) => t.sides.every((s) => (t.attestations[p]!.released[s] ?? 0) === staged[s]));
  t.countsDiffer = !agree;
  if (agree) {
    movePersons(state, t, 'staged', 'handed-over');
    t.state = 'handed-over';
  }
}

export function stagedCounts(t: TrancheRecord): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(t.sides.map((s) => [s, 0]));
  for (const p of Object.values(t.persons))
    if (p.state === 'staged' || p.state === 'handed-over' || p.state === 'confirmed') counts[p.side] = (counts[p.side] ?? 0) + 1;
  return counts;
}

export const exchangesProjection: Projection<ExchangesState> = {
  name: 'exchanges',
  version: 1,
  init: () => ({ persons: new Map(), tranches: new Map(), published: [], revision: 0 }),
  apply(state, e: JournalEvent) {
    if (!e.type.startsWith('exchange.')) return;
    const p = e.payload;
    switch (e.type) {
      case 'exchange.persons-declared': {
        for (const d of p.persons as DeclaredPerson[]) {
          state.persons.set(d.id, {
            ...d,
            side: str(p.side),
            list: p.list as ListKind,
            intermediary: str(p.intermediary),
            declaredAt: e.recordedAt,
            report: null,
            tranche: null,
            exchanged: false,
            refused: false,
          });
        }
        state.revision++;
        break;
      }
      case 'exchange.person-reported': {
        const person = state.persons.get(str(p.person));
        if (person) person.report = p.status as PersonReport;
        state.revision++;
        break;
      }
      case 'exchange.tranche-proposed': {
        const persons: TrancheRecord['persons'] = {};
        for (const [side, ids] of Object.entries(p.persons as Record<string, string[]>)) {
          for (const id of ids) {
            persons[id] = { side, state: 'listed' };
            const person = state.persons.get(id);
            if (person) person.tranche = str(p.id);
          }
        }
        state.tranches.set(str(p.id), {
          id: str(p.id),
          title: str(p.title),
          formula: str(p.formula),
          alternative: typeof p.alternative === 'string' ? p.alternative : null,
          clause: str(p.clause),
          sides: p.sides as [string, string],
          intermediary: str(p.intermediary),
          proposedAt: e.recordedAt,
          persons,
          state: 'proposed',
          attestations: {},
          countsDiffer: false,
          completedAt: null,
          published: false,
        });
        break;
      }
      case 'exchange.person-verified': {
        const t = state.tranches.get(str(p.tranche));
        const entry = t?.persons[str(p.person)];
        if (!t || !entry) break;
        const person = state.persons.get(str(p.person));
        t.state = 'in-progress';
        if (p.interview === 'refuses') {
          // Nobody is sent back against their will: the person leaves the tranche and stays out.
          entry.state = 'refused';
          if (person) {
            person.refused = true;
            person.tranche = null;
          }
        } else if (p.identityConfirmed !== true) {
          entry.state = 'unconfirmed';
          if (person) person.tranche = null;
        } else entry.state = 'verified';
        break;
      }
      case 'exchange.persons-staged': {
        const t = state.tranches.get(str(p.tranche));
        if (!t) break;
        for (const id of p.persons as string[]) if (t.persons[id]?.state === 'verified') t.persons[id].state = 'staged';
        break;
      }
      case 'exchange.handover-attested': {
        const t = state.tranches.get(str(p.tranche));
        if (!t) break;
        t.attestations[str(p.party)] = {
          party: str(p.party),
          by: e.actor,
          at: e.recordedAt,
          released: p.released as Record<string, number>,
        };
        settleHandover(state, t);
        break;
      }
      case 'exchange.tranche-confirmed': {
        const t = state.tranches.get(str(p.tranche));
        if (!t) break;
        movePersons(state, t, 'handed-over', 'confirmed');
        t.state = 'completed';
        t.completedAt = e.recordedAt;
        for (const id of Object.keys(t.persons)) {
          const person = state.persons.get(id);
          if (person && person.tranche === t.id) person.tranche = null;
        }
        state.revision++;
        break;
      }
      case 'exchange.aggregates-published': {
        const t = state.tranches.get(str(p.tranche));
        if (t) t.published = true;
        state.published.push({ ...(p.aggregate as Omit<PublishedAggregate, 'publishedAt'>), publishedAt: e.recordedAt });
        break;
      }
    }
  },
  toSnapshot: (s) => ({
    persons: [...s.persons.values()],
    tranches: [...s.tranches.values()],
    published: s.published,
    revision: s.revision,
  }),
  fromSnapshot(data) {
    const d = data as { persons: PersonRecord[]; tranches: TrancheRecord[]; published: PublishedAggregate[]; revision: number };
    return {
      persons: new Map(d.persons.map((x) => [x.id, x])),
      tranches: new Map(d.tranches.map((x) => [x.id, x])),
      published: d.published,
      revision: d.revision,
    };
  },
};

/** Completion instants of the tranches run under a formula, oldest first: the prosperity milestone. */
export function tranchesCompleted(state: ExchangesState, formula: string): string[] {
  return [...state.tranches.values()]
    .filter((t) => t.formula === formula && t.completedAt !== null)
    .map((t) => t.completedAt!)
    .sort();
}
