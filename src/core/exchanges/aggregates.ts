import { fail, ok, type Result } from '../errors';
import type { EventDraft } from '../journal/envelope';
import type { Principal } from '../access/roles';
import { inCategory } from './formula';
import { exchangeStream } from './model';
import type { Count, ExchangesState, PersonRecord, PublishedAggregate, TrancheRecord } from './state';

export type { Count } from './state';

/**
 * Counts by category and tranche. Small numbers identify people (two wounded officers from one
 * town), so any count from 1 to 4 that leaves the intermediary is shown as "<5". Zero stays zero:
 * it names nobody.
 */
export function count(n: number, exact: boolean): Count {
  return exact || n === 0 || n >= 5 ? n : '<5';
}

export const CATEGORY_COUNTED = [
  'prisoner-of-war',
  'civilian-detainee',
  'seriously-wounded',
  'seriously-sick',
  'aged-25-and-under',
] as const;

function byCategory(
  persons: readonly Pick<PersonRecord, 'category' | 'medicalPriority' | 'ageBand'>[],
  exact: boolean,
): Record<string, Count> {
  return Object.fromEntries(CATEGORY_COUNTED.map((c) => [c, count(persons.filter((p) => inCategory(p, c)).length, exact)]));
}

export interface ListAggregate {
  readonly side: string;
  readonly held: Count;
  readonly requested: Count;
  readonly heldByCategory: Record<string, Count>;
}

export interface TrancheAggregate {
  readonly tranche: string;
  readonly title: string;
  readonly formula: string;
  readonly state: TrancheRecord['state'];
  readonly proposedAt: string;
  readonly completedAt: string | null;
  /** persons still in the tranche (not refused, not unconfirmed), per releasing side */
  readonly planned: Record<string, Count>;
  /** persons handed over or confirmed, per releasing side */
  readonly released: Record<string, Count>;
  readonly refused: Count;
  readonly byCategory: Record<string, Count>;
}

export interface Aggregates {
  readonly exact: boolean;
  readonly lists: ListAggregate[];
  readonly tranches: TrancheAggregate[];
}

function trancheAggregate(state: ExchangesState, t: TrancheRecord, exact: boolean): TrancheAggregate {
  const planned: Record<string, number> = Object.fromEntries(t.sides.map((s) => [s, 0]));
  const released: Record<string, number> = Object.fromEntries(t.sides.map((s) => [s, 0]));
  const travelling: PersonRecord[] = [];
  let refused = 0;
  for (const [id, p] of Object.entries(t.persons)) {
    if (p.state === 'refused') refused++;
    if (p.state === 'refused' || p.state === 'unconfirmed') continue;
    planned[p.side] = (planned[p.side] ?? 0) + 1;
    if (p.state === 'handed-over' || p.state === 'confirmed') released[p.side] = (released[p.side] ?? 0) + 1;
    const person = state.persons.get(id);
    if (person) travelling.push(person);
  }
  const counted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, n]) => [k, count(n, exact)]));
  return {
    tranche: t.id,
    title: t.title,
    formula: t.formula,
    state: t.state,
    proposedAt: t.proposedAt,
    completedAt: t.completedAt,
    planned: counted(planned),
    released: counted(released),
    refused: count(refused, exact),
    byCategory: byCategory(travelling, exact),
  };
}

/** Aggregates for a reader: exact for the intermediary, "<5" for everyone else. */
export function aggregatesFor(state: ExchangesState, reader: Principal): Aggregates {
  const exact = reader.roles.includes('intermediary');
  const sides = [...new Set([...state.persons.values()].map((p) => p.side))].sort();
  const lists = sides.map((side) => {
    const held = [...state.persons.values()].filter((p) => p.side === side && p.list === 'held' && !p.exchanged && p.report === null);
    const requested = [...state.persons.values()].filter((p) => p.side === side && p.list === 'requested' && p.report === null);
    return { side, held: count(held.length, exact), requested: count(requested.length, exact), heldByCategory: byCategory(held, exact) };
  });
  const tranches = [...state.tranches.values()].map((t) => trancheAggregate(state, t, exact));
  return { exact, lists, tranches };
}

/** The intermediary publishes a completed tranche's counts (suppressed) for the public. */
export function decidePublish(state: ExchangesState, reader: Principal, id: string): Result<EventDraft[]> {
  const t = state.tranches.get(id);
  if (!t || t.intermediary !== reader.party) return fail('not_found', `no tranche ${id}`, '/params/id');
  if (t.state !== 'completed') return fail('invalid_transition', `tranche ${id} is ${t.state}; only completed tranches are published`);
  if (t.published) return fail('conflict', `tranche ${id} is already published`);
  const a = trancheAggregate(state, t, false);
  const aggregate: Omit<PublishedAggregate, 'publishedAt'> = {
    tranche: t.id,
    title: t.title,
    formula: t.formula,
    released: a.released,
    byCategory: a.byCategory,
  };
  return ok([
    {
      stream: exchangeStream.published(),
      type: 'exchange.aggregates-published',
      payload: { tranche: id, aggregate },
      visibility: ['public'],
    },
  ]);
}
