import { describe, expect, it } from 'vitest';
import type { Principal } from '../access/roles';
import { exampleFramework } from '../../../test/operations-fixtures';
import { diffFrameworks } from '../framework/diff';
import type { Framework } from '../framework/model';
import { frameworkProjection, recordVersion, type FrameworkState } from '../framework/versions';
import type { EventDraft } from '../journal/envelope';
import { decideMerge, mergedAlternativeId, mergeProposals, proposalBasis } from './merge';
import { MergeSelection } from './model';
import { negotiationProjection, type Proposal } from './state';

function proposal(doc: Framework, over: Partial<Proposal> & Pick<Proposal, 'id' | 'clause' | 'kind'>): Proposal {
  return {
    alternative: null,
    text: { en: 'New words for the clause.', uk: 'Нові слова для пункту.' },
    note: '',
    party: 'ua',
    author: 'ua-delegate',
    state: 'accepted',
    visibility: ['process'],
    updatedAt: '2026-01-10T00:00:00.000Z',
    draftedAt: '2026-01-09T00:00:00.000Z',
    merged: null,
    basis: proposalBasis(doc, over.clause, over.alternative ?? null),
    ...over,
  };
}
const pick = (proposals: string[], resolve: { clause: string; alternative: string }[] = []) => MergeSelection.parse({ proposals, resolve });
const mediator: Principal = { kind: 'user', id: 'm', username: 'm', party: null, roles: ['mediator'], grants: [], scopes: null };
const byId = (...ps: Proposal[]) => new Map(ps.map((p) => [p.id, p]));
function clause(doc: Framework, id: string) {
  for (const ch of doc.chapters) for (const a of ch.articles) for (const c of a.clauses) if (c.id === id) return c;
  throw new Error(`no clause ${id}`);
}

describe('merging accepted proposals into the next text', () => {
  it('an amendment replaces the clause’s words; the diff shows exactly that clause changed', () => {
    const doc = exampleFramework();
    const p = proposal(doc, { id: 'p1', clause: 'c-ceasefire-scope', kind: 'amendment' });
    const r = mergeProposals(doc, byId(p), pick(['p1']));
    if (!r.ok) throw new Error(r.message);
    expect(clause(r.value.document, 'c-ceasefire-scope').text).toEqual({ en: 'New words for the clause.', uk: 'Нові слова для пункту.' });
    expect(r.value.applied).toEqual([{ proposal: 'p1', clause: 'c-ceasefire-scope', change: 'amended-text', alternative: null }]);
    const diff = diffFrameworks(doc, r.value.document);
    expect(diff.clauses.map((c) => [c.clause, c.change])).toEqual([['c-ceasefire-scope', 'changed']]);
    // The input document is untouched: a preview must not change the current version.
    expect(clause(doc, 'c-ceasefire-scope').text.en).toMatch(/applies on land/);
  });

  it('an amendment of one alternative replaces that alternative only; a missing language is marked untranslated', () => {
    const doc = exampleFramework();
    const p = proposal(doc, {
      id: 'p2',
      clause: 'c-commit-sea',
      kind: 'amendment',
      alternative: 'c-commit-sea-b',
      text: { en: 'by consensus of the coalition within 24 hours.', uk: '' },
    });
    const r = mergeProposals(doc, byId(p), pick(['p2']));
    if (!r.ok) throw new Error(r.message);
    const sea = clause(r.value.document, 'c-commit-sea');
    const b = sea.alternatives.find((a) => a.id === 'c-commit-sea-b')!;
    expect(b.text).toEqual({ en: 'by consensus of the coalition within 24 hours.' });
    expect(b.untranslated).toEqual(['uk']);
    expect(sea.alternatives.find((a) => a.id === 'c-commit-sea-a')!.text).toEqual(clause(doc, 'c-commit-sea').alternatives[0]!.text);
  });

  it('a new alternative joins the brackets with the next label and its party as proposer; resolving it closes the bracket', () => {
    const doc = exampleFramework();
    const p = proposal(doc, {
      id: 'abc12345-0000',
      clause: 'c-ceasefire-start',
      kind: 'alternative',
      party: 'tr',
      text: {
        en: 'at 00:00 Kyiv time on the third day after the last signature.',
        uk: 'о 00:00 за київським часом на третій день після останнього підписання.',
      },
    });
    const added = mergeProposals(doc, byId(p), pick([p.id]));
    if (!added.ok) throw new Error(added.message);
    const start = clause(added.value.document, 'c-ceasefire-start');
    const id = mergedAlternativeId('c-ceasefire-start', p.id);
    expect(start.alternatives.map((a) => [a.id, a.label, a.proposedBy])).toEqual([
      ['c-ceasefire-start-a', 'A', ['ua', 'us']],
      ['c-ceasefire-start-b', 'B', ['ru']],
      [id, 'C', ['tr']],
    ]);
    expect(start.status).toBe('bracketed');

    const resolved = mergeProposals(doc, byId(p), pick([p.id], [{ clause: 'c-ceasefire-start', alternative: p.id }]));
    if (!resolved.ok) throw new Error(resolved.message);
    const agreed = clause(resolved.value.document, 'c-ceasefire-start');
    expect(agreed.status).toBe('agreed');
    expect(agreed.alternatives).toEqual([]);
    expect(agreed.text.en).toBe(
      'A complete and comprehensive ceasefire takes effect at 00:00 Kyiv time on the third day after the last signature.',
    );
    expect(resolved.value.document.retiredIds).toEqual(expect.arrayContaining(['c-ceasefire-start-a', 'c-ceasefire-start-b', id]));
  });

  it('resolving a bracket to an existing alternative takes its machine-readable part', () => {
    const doc = exampleFramework();
    const r = mergeProposals(doc, new Map(), pick([], [{ clause: 'c-buffer-zone', alternative: 'c-buffer-zone-b' }]));
    if (!r.ok) throw new Error(r.message);
    const buffer = clause(r.value.document, 'c-buffer-zone');
    expect(buffer.part).toMatchObject({ kind: 'zone', type: 'buffer-zone', width_m: 5000 });
    expect(buffer.text.uk).toMatch(/на відстань 5 кілометрів/);
  });

  it('refuses, at the proposal, what no longer applies or is not accepted', () => {
    const doc = exampleFramework();
    const stale = proposal(doc, { id: 'stale', clause: 'c-ceasefire-scope', kind: 'amendment' });
    const changed = exampleFramework();
    clause(changed, 'c-ceasefire-scope').text = { en: 'The ceasefire applies everywhere.', uk: 'Припинення вогню застосовується всюди.' };
    const cases: [Framework, Proposal[], string[], string, RegExp][] = [
      [
        changed,
        [stale],
        ['stale'],
        'refused',
        /proposal stale no longer applies: the text of clause c-ceasefire-scope changed since it was drafted \(then “The ceasefire applies on land.*now “The ceasefire applies everywhere\.”\)/,
      ],
      [
        doc,
        [proposal(doc, { id: 'gone', clause: 'c-vanished', kind: 'amendment' })],
        ['gone'],
        'refused',
        /clause c-vanished is not in the current text/,
      ],
      [
        doc,
        [proposal(doc, { id: 'tabled', clause: 'c-ceasefire-scope', kind: 'amendment', state: 'tabled' })],
        ['tabled'],
        'invalid_transition',
        /tabled: only accepted proposals are merged/,
      ],
      [
        doc,
        [proposal(doc, { id: 'done', clause: 'c-ceasefire-scope', kind: 'amendment', merged: { number: 4, hash: 'h' } })],
        ['done'],
        'conflict',
        /already part of framework version 4/,
      ],
      [doc, [], ['nobody'], 'not_found', /there is no proposal nobody/],
      [
        doc,
        [
          proposal(doc, { id: 'x1', clause: 'c-purpose', kind: 'amendment' }),
          proposal(doc, { id: 'x2', clause: 'c-purpose', kind: 'amendment' }),
        ],
        ['x1', 'x2'],
        'refused',
        /proposals x1 and x2 both replace the text of clause c-purpose/,
      ],
      [
        doc,
        [proposal(doc, { id: 'alt', clause: 'c-purpose', kind: 'alternative' })],
        ['alt'],
        'refused',
        /clause c-purpose has no brackets/,
      ],
      [doc, [], [], 'validation_failed', /pick at least one/],
    ];
    for (const [text, ps, ids, code, message] of cases) {
      const r = mergeProposals(text, byId(...ps), pick(ids));
      expect(r.ok, ids.join()).toBe(false);
      if (r.ok) continue;
      expect(r.code, ids.join()).toBe(code);
      expect(r.message).toMatch(message);
      if (ids.length > 0) expect(r.pointer).toBe(`/proposals/${ids.length - 1}`);
    }
  });

  it('an amended alternative that is gone, or a bracket to an unknown alternative, is named', () => {
    const doc = exampleFramework();
    const p = proposal(doc, { id: 'p', clause: 'c-commit-sea', kind: 'amendment', alternative: 'c-commit-sea-b' });
    const without = exampleFramework();
    clause(without, 'c-commit-sea').alternatives.pop();
    const gone = mergeProposals(without, byId(p), pick(['p']));
    expect(gone).toMatchObject({
      ok: false,
      code: 'refused',
      message: expect.stringMatching(/alternative c-commit-sea-b of clause c-commit-sea is gone/),
    });
    const unknown = mergeProposals(doc, new Map(), pick([], [{ clause: 'c-commit-sea', alternative: 'c-commit-sea-z' }]));
    expect(unknown).toMatchObject({
      ok: false,
      code: 'validation_failed',
      pointer: '/resolve/0/alternative',
      message: 'clause c-commit-sea has no alternative c-commit-sea-z (its alternatives: c-commit-sea-a, c-commit-sea-b)',
    });
  });

  it('decideMerge records the version through recordVersion and names the proposals and the new hash in the same append', () => {
    const framework = frameworkProjection.init();
    const negotiation = negotiationProjection.init();
    const doc = exampleFramework();
    let position = 0;
    const fold = (state: FrameworkState, drafts: EventDraft[]) => {
      for (const d of drafts) {
        const e = {
          position: ++position,
          streamVersion: position,
          actor: 'm',
          party: null,
          recordedAt: '2026-01-10T00:00:00.000Z',
          idempotencyKey: null,
          prevHash: '',
          hash: '',
          ...d,
        };
        frameworkProjection.apply(state, e);
        negotiationProjection.apply(negotiation, e);
      }
    };
    const first = recordVersion(framework, doc, 'v1');
    if (!first.ok) throw new Error(first.message);
    fold(framework, first.value.drafts);
    negotiation.proposals.set('p1', proposal(doc, { id: 'p1', clause: 'c-ceasefire-scope', kind: 'amendment' }));

    const decided = decideMerge(framework, negotiation, mediator, pick(['p1']));
    if (!decided.ok) throw new Error(decided.message);
    expect(decided.value.drafts.map((d) => d.type)).toEqual(['framework.version-recorded', 'negotiation.proposals-merged']);
    expect(decided.value.drafts[1]!.payload).toMatchObject({
      proposals: ['p1'],
      number: 2,
      hash: decided.value.hash,
      previous: { number: 1 },
    });
    expect(decided.value.drafts[0]!.payload).toMatchObject({
      number: 2,
      hash: decided.value.hash,
      note: 'merged 1 accepted proposal (c-ceasefire-scope)',
    });
    fold(framework, decided.value.drafts);
    expect(framework.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(negotiation.proposals.get('p1')!.merged).toEqual({ number: 2, hash: decided.value.hash });
    // Merged once: a second merge of the same proposal is refused.
    expect(decideMerge(framework, negotiation, mediator, pick(['p1']))).toMatchObject({ ok: false, code: 'conflict' });
  });
});
