import { describe, expect, it } from 'vitest';
import type { Principal } from '../src/core/access/roles';
import { reconciliationFor } from '../src/core/exchanges/reconcile';
import { milestoneFacts } from '../src/runtime/milestones';
import { ExchangeKeys, openIdentity } from '../src/runtime/exchanges/sealed';
import { seededDemoNode } from '../examples/kyiv-2026/demo-node';

/** The exchanges demo as `npm start` seeds it: what the intermediary, each bureau and the milestones see. */

const intermediary: Principal = {
  kind: 'user',
  id: 'i',
  username: 'intermediary',
  party: 'tr',
  roles: ['intermediary'],
  grants: [],
  scopes: null,
};
const uaBureau: Principal = { ...intermediary, username: 'ua-bureau', party: 'ua', roles: ['bureau'] };

const demo = seededDemoNode({ prefix: 'entente-exchanges-demo-', signed: true });

describe('exchanges demo', () => {
  it('has a completed and published tranche, one with differing counts, one in progress', () => {
    const s = demo.journal.image.exchanges;
    const tranches = [...s.tranches.values()].map((t) => [t.title, t.state, t.countsDiffer, t.published]);
    expect(tranches).toEqual([
      ['Tranche 1 — Ankara, wounded first', 'completed', false, true],
      ['Tranche 2 — counts disputed', 'in-progress', true, false],
      ['Tranche 3 — in preparation', 'in-progress', false, false],
    ]);
    expect(s.published[0]!.released).toEqual({ ua: 10, ru: 10 });
    expect(milestoneFacts(demo.journal.image).exchangeTranchesCompleted('exchange-main')).toHaveLength(1);
  });

  it('matches the two bureaus’ spellings of the same people, and types every kind of discrepancy but one', () => {
    const r = reconciliationFor(demo.journal.image.exchanges, intermediary);
    // ua asks for 27 held people plus one not held; ru for 24 plus one
    expect(r.matches.filter((m) => m.requestedBy === 'ua')).toHaveLength(27);
    expect(r.matches.filter((m) => m.requestedBy === 'ru')).toHaveLength(24);
    expect(new Set(r.discrepancies.map((d) => d.kind))).toEqual(
      new Set(['requested-not-held', 'held-twice', 'reported-dead', 'counts-differ']),
    );
    const ua = reconciliationFor(demo.journal.image.exchanges, uaBureau);
    expect(ua.discrepancies.every((d) => d.persons.every((p) => p.startsWith('UA-')))).toBe(true);
  });

  it('seals the identities in each bureau’s own script', async () => {
    const held = [...demo.journal.image.exchanges.persons.values()].find((p) => p.side === 'ru' && p.list === 'held')!;
    const identity = openIdentity(held.sealed, held.id, 'ru', await new ExchangeKeys(demo.store).existingKek('ru'));
    expect(identity.familyName).toMatch(/^[А-Яа-яЁё]+$/);
    expect(identity.dateOfBirth).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
  });
});
