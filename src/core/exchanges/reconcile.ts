import type { Principal } from '../access/roles';
import { duplicates, matchLists, type Match } from './matching';
import type { DiscrepancyKind } from './model';
import { count, type Count } from './aggregates';
import type { ExchangesState, PersonRecord } from './state';

/**
 * Reconciliation: each side's requested list against the other side's held list, and the typed
 * discrepancies. The intermediary sees everything; a bureau sees what concerns its own records
 * (and learns of the other side's record only the pseudonym it matched); nobody else sees any of it.
 */

export interface Discrepancy {
  readonly kind: DiscrepancyKind;
  /** the side whose records it concerns */
  readonly side: string;
  readonly persons: string[];
  readonly tranche: string | null;
  readonly detail: string;
}

export interface Reconciliation {
  readonly sides: string[];
  readonly matches: (Match & { requestedBy: string })[];
  readonly discrepancies: Discrepancy[];
}

const memo = new WeakMap<ExchangesState, { revision: number; trancheKey: string; result: Reconciliation }>();

function listOf(state: ExchangesState, side: string, list: 'held' | 'requested'): PersonRecord[] {
  const out: PersonRecord[] = [];
  for (const p of state.persons.values()) if (p.side === side && p.list === list) out.push(p);
  return out;
}

/** The full reconciliation (intermediary's view), recomputed only when a list or a tranche changed. */
export function reconcile(state: ExchangesState): Reconciliation {
  const trancheKey = [...state.tranches.values()].map((t) => `${t.id}:${t.countsDiffer}`).join(',');
  const cached = memo.get(state);
  if (cached && cached.revision === state.revision && cached.trancheKey === trancheKey) return cached.result;

  const sides = [...new Set([...state.persons.values()].map((p) => p.side))].sort();
  const matches: Reconciliation['matches'] = [];
  const discrepancies: Discrepancy[] = [];
  for (const side of sides) {
    const held = listOf(state, side, 'held');
    for (const group of duplicates(held)) {
      discrepancies.push({
        kind: 'held-twice',
        side,
        persons: group,
        tranche: null,
        detail: `${group.length} held records of ${side} describe one person`,
      });
    }
    for (const other of sides) {
      if (other === side) continue;
      const requested = listOf(state, side, 'requested').filter((p) => p.report === null);
      const result = matchLists(requested, listOf(state, other, 'held'));
      for (const m of result.matches) matches.push({ ...m, requestedBy: side });
      for (const id of result.unmatched) {
        discrepancies.push({
          kind: 'requested-not-held',
          side,
          persons: [id],
          tranche: null,
          detail: `requested by ${side}, not declared held by ${other}`,
        });
      }
    }
  }
  for (const p of state.persons.values()) {
    if (p.report === null) continue;
    const kind = p.report === 'dead' ? 'reported-dead' : 'reported-released';
    const linked = p.list === 'held' ? matches.filter((m) => m.held === p.id).map((m) => m.requested) : [];
    discrepancies.push({
      kind,
      side: p.side,
      persons: [p.id, ...linked],
      tranche: p.tranche,
      detail: `${p.list} record of ${p.side} reported ${p.report}`,
    });
  }
  for (const t of state.tranches.values()) {
    if (!t.countsDiffer) continue;
    const said = Object.values(t.attestations)
      .map((a) => `${a.party}: ${t.sides.map((s) => `${s} ${a.released[s] ?? 0}`).join(', ')}`)
      .join('; ');
    for (const side of t.sides)
      discrepancies.push({ kind: 'counts-differ', side, persons: [], tranche: t.id, detail: `handover counts differ (${said})` });
  }
  const result = { sides, matches, discrepancies };
  memo.set(state, { revision: state.revision, trancheKey, result });
  return result;
}

/** What this reader may see of the reconciliation. */
export function reconciliationFor(state: ExchangesState, reader: Principal): Reconciliation {
  const full = reconcile(state);
  if (reader.roles.includes('intermediary')) return full;
  const side = reader.party;
  if (!reader.roles.includes('bureau') || !side) return { sides: full.sides, matches: [], discrepancies: [] };
  const own = (id: string) => state.persons.get(id)?.side === side;
  return {
    sides: full.sides,
    matches: full.matches.filter((m) => own(m.requested) || own(m.held)),
    discrepancies: full.discrepancies
      .filter((d) => d.side === side || d.persons.some(own))
      .map((d) => ({ ...d, persons: d.persons.filter(own) })),
  };
}

/** Discrepancy counts by kind, for the mediator's aggregate view. */
export function discrepancyCounts(state: ExchangesState, exact: boolean): Record<DiscrepancyKind, Count> {
  const counts: Record<string, number> = {
    'requested-not-held': 0,
    'held-twice': 0,
    'counts-differ': 0,
    'reported-dead': 0,
    'reported-released': 0,
  };
  for (const d of reconcile(state).discrepancies) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, count(n, exact)])) as Record<DiscrepancyKind, Count>;
}
