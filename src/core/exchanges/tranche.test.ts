import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../access/roles';
import type { Result } from '../errors';
import type { ExchangeFormula } from '../framework/model';
import type { EventDraft, JournalEvent } from '../journal/envelope';
import { aggregatesFor, decidePublish } from './aggregates';
import type { FormulaOption } from './formula';
import type { DeclaredPerson, MedicalPriority } from './model';
import { reconciliationFor } from './reconcile';
import { exchangesProjection, tranchesCompleted, type ExchangesState } from './state';
import { decideAttest, decideConfirm, decideDeclare, decidePropose, decideReport, decideStage, decideVerify } from './tranche';

const who = (party: string, role: Role): Principal => ({
  kind: 'user',
  id: `${party}-${role}`,
  username: `${party}-${role}`,
  party,
  roles: [role],
  grants: [],
  scopes: null,
});
const intermediary = who('tr', 'intermediary');
const uaBureau = who('ua', 'bureau');
const ruBureau = who('ru', 'bureau');

let position = 0;
function fold(state: ExchangesState, drafts: Result<EventDraft[]>, actor = 'test'): void {
  if (!drafts.ok) throw new Error(drafts.message);
  for (const d of drafts.value) {
    const e = {
      ...d,
      position: ++position,
      streamVersion: 1,
      actor,
      party: null,
      recordedAt: `2026-02-0${Math.min(9, 1 + (position % 9))}T10:00:00.000Z`,
      idempotencyKey: null,
      prevHash: '',
      hash: '',
    } as JournalEvent;
    exchangesProjection.apply(state, e);
  }
}

function person(id: string, medicalPriority: MedicalPriority = 'none', key = id): DeclaredPerson {
  return {
    id,
    category: 'prisoner-of-war',
    medicalPriority,
    ageBand: '26-35',
    homeState: id.startsWith('ua') ? 'ru' : 'ua',
    keys: { serial: null, nameDob: `nd-${key}`, name: `n-${key}` },
    sealed: { iv: '', data: '', tag: '', keys: {} },
  };
}

const parity: ExchangeFormula = {
  kind: 'exchange-formula',
  id: 'exchange-main',
  sides: ['ua', 'ru'],
  intermediary: 'tr',
  basis: 'parity',
  ratio: [1, 1],
  trancheSize: 1000,
  categoryRules: [{ category: 'seriously-wounded', rule: 'parity', order: 1 }],
};
const allWounded: ExchangeFormula = {
  ...parity,
  basis: 'all-for-all',
  categoryRules: [{ category: 'seriously-wounded', rule: 'all', order: 1 }],
};
const option = (formula: ExchangeFormula): FormulaOption => ({ formula, clause: 'c-exchange-formula', alternative: null });

function lists(): ExchangesState {
  const s = exchangesProjection.init();
  // ua holds five (two seriously wounded), ru holds four (one seriously wounded, one held twice)
  fold(
    s,
    decideDeclare('ua', 'held', 'tr', [
      person('ua-1', 'seriously-wounded'),
      person('ua-2', 'seriously-wounded'),
      person('ua-3'),
      person('ua-4'),
      person('ua-5'),
    ]),
  );
  fold(
    s,
    decideDeclare('ru', 'held', 'tr', [
      person('ru-1', 'seriously-wounded'),
      person('ru-2'),
      person('ru-3'),
      person('ru-4', 'none', 'ru-3'),
    ]),
  );
  // ua requests its people held by ru: one of them ru does not declare
  fold(
    s,
    decideDeclare('ua', 'requested', 'tr', [
      person('ua-r1', 'none', 'ru-1'),
      person('ua-r2', 'none', 'ru-2'),
      person('ua-r9', 'none', 'nobody'),
    ]),
  );
  return s;
}

describe('formula check', () => {
  it('refuses an unbalanced parity tranche and says how many are missing from whom', () => {
    const s = lists();
    const r = decidePropose(
      s,
      intermediary,
      option(parity),
      { formula: 'exchange-main', title: 'T1', persons: { ua: ['ua-1', 'ua-3', 'ua-4', 'ua-5'], ru: ['ru-1'] } },
      't1',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('refused');
    expect(r.message).toContain('parity 1:1 needs 3 more persons from ru');
    expect(r.message).toContain('seriously-wounded first: 1 seriously-wounded person held by ua is left out');
  });

  it('names the wounded left out under an "all seriously wounded" rule', () => {
    const s = lists();
    const r = decidePropose(
      s,
      intermediary,
      option(allWounded),
      { formula: 'exchange-main', title: 'T1', persons: { ua: ['ua-1'], ru: ['ru-1'] } },
      't1',
    );
    expect(!r.ok && r.message).toContain('all seriously wounded: 1 listed seriously-wounded person held by ua is not in the tranche');
  });

  it('accepts a balanced tranche with the wounded first, and no other intermediary may propose it', () => {
    const s = lists();
    const input = { formula: 'exchange-main', title: 'T1', persons: { ua: ['ua-1', 'ua-3'], ru: ['ru-1', 'ru-2'] } };
    expect(decidePropose(s, who('us', 'intermediary'), option(parity), input, 't1').ok).toBe(false);
    // ua's second wounded person is left out while others travel: refused until ru has a wounded person to match
    expect(decidePropose(s, intermediary, option(parity), input, 't1').ok).toBe(false);
    const balanced = { ...input, persons: { ua: ['ua-1'], ru: ['ru-1'] } };
    const r = decidePropose(s, intermediary, option(parity), balanced, 't1');
    expect(r.ok).toBe(true);
  });
});

describe('tranche workflow', () => {
  it('runs listed → verified → staged → handed over → confirmed, and a refusal removes the person', () => {
    const s = lists();
    const formula = { ...parity, categoryRules: [] };
    fold(
      s,
      decidePropose(
        s,
        intermediary,
        option(formula),
        { formula: 'exchange-main', title: 'T1', persons: { ua: ['ua-3', 'ua-4'], ru: ['ru-2', 'ru-3'] } },
        't1',
      ),
    );
    expect(
      decidePropose(
        s,
        intermediary,
        option(formula),
        { formula: 'exchange-main', title: 'T2', persons: { ua: ['ua-3'], ru: ['ru-2'] } },
        't2',
      ),
    ).toMatchObject({ ok: false, pointer: '/persons/ua/0' });
    for (const p of ['ua-3', 'ru-2', 'ru-3'])
      fold(s, decideVerify(s, intermediary, 't1', { person: p, identityConfirmed: true, interview: 'consents' }));
    fold(s, decideVerify(s, intermediary, 't1', { person: 'ua-4', identityConfirmed: true, interview: 'refuses' }));
    expect(s.persons.get('ua-4')).toMatchObject({ refused: true, tranche: null });
    expect(decideVerify(s, intermediary, 't1', { person: 'ua-4', identityConfirmed: true, interview: 'consents' })).toMatchObject({
      ok: false,
      code: 'invalid_transition',
    });
    fold(s, decideStage(s, intermediary, 't1', undefined));
    // the counts differ: ru's bureau counted one person fewer
    fold(s, decideAttest(s, intermediary, 't1', { released: { ua: 1, ru: 2 } }));
    fold(s, decideAttest(s, uaBureau, 't1', { released: { ua: 1, ru: 2 } }));
    fold(s, decideAttest(s, ruBureau, 't1', { released: { ua: 1, ru: 1 } }));
    expect(s.tranches.get('t1')!.countsDiffer).toBe(true);
    expect(decideConfirm(s, intermediary, 't1')).toMatchObject({
      ok: false,
      message: 'tranche t1 cannot be confirmed: the attested counts differ',
    });
    const seen = reconciliationFor(s, ruBureau).discrepancies.find((d) => d.kind === 'counts-differ');
    expect(seen?.detail).toBe('handover counts differ (tr: ua 1, ru 2; ua: ua 1, ru 2; ru: ua 1, ru 1)');
    fold(s, decideAttest(s, ruBureau, 't1', { released: { ua: 1, ru: 2 } }));
    expect(s.tranches.get('t1')!.state).toBe('handed-over');
    expect(tranchesCompleted(s, 'exchange-main')).toEqual([]);
    fold(s, decideConfirm(s, intermediary, 't1'));
    expect(s.tranches.get('t1')!.state).toBe('completed');
    expect(tranchesCompleted(s, 'exchange-main')).toHaveLength(1);
    expect(s.persons.get('ru-2')!.exchanged).toBe(true);

    // aggregates: exact for the intermediary, "<5" for everyone else; published counts suppressed too
    expect(aggregatesFor(s, intermediary).tranches[0]!.released).toEqual({ ua: 1, ru: 2 });
    expect(aggregatesFor(s, who('secretariat', 'mediator')).tranches[0]!.released).toEqual({ ua: '<5', ru: '<5' });
    fold(s, decidePublish(s, intermediary, 't1'));
    expect(s.published[0]!.released).toEqual({ ua: '<5', ru: '<5' });
  });
});

describe('reconciliation', () => {
  it('types the discrepancies and shows each bureau only its own records', () => {
    const s = lists();
    fold(s, decideReport(s, ruBureau, 'ru-2', 'dead'));
    expect(decideReport(s, ruBureau, 'ua-1', 'dead')).toMatchObject({ ok: false, code: 'not_found' });
    const all = reconciliationFor(s, intermediary);
    expect(all.discrepancies.map((d) => `${d.kind} ${d.persons.join(' ')}`).sort()).toEqual([
      'held-twice ru-3 ru-4',
      'reported-dead ru-2 ua-r2',
      'requested-not-held ua-r9',
    ]);
    const ua = reconciliationFor(s, uaBureau);
    expect(ua.discrepancies.map((d) => `${d.kind} ${d.persons.join(' ')}`).sort()).toEqual([
      'reported-dead ua-r2',
      'requested-not-held ua-r9',
    ]);
    expect(reconciliationFor(s, who('secretariat', 'mediator')).discrepancies).toEqual([]);
  });
});
