import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFramework } from '../framework/validate';
import { guaranteeTexts, membersOf, resolveGuarantees, variants } from './commitments';
import { addDuration, formatDuration, nominalMs } from './duration';
import { clause, commitment, framework } from './testing';

const EXAMPLE_PATH = join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml');
const example = () => validateFramework(readFileSync(EXAMPLE_PATH, 'utf8'), EXAMPLE_PATH).document!;

describe('variants', () => {
  it('enumerates the example: land and sea branch, the buffer zone (same zone in A and B) and the exchange formula do not', () => {
    const v = variants(example());
    expect(v.branching.map((b) => b.clause)).toEqual(['c-commit-land', 'c-commit-sea']);
    expect(v.variants.map((x) => x.label)).toEqual([
      'c-commit-land A, c-commit-sea A',
      'c-commit-land A, c-commit-sea B',
      'c-commit-land B, c-commit-sea A',
      'c-commit-land B, c-commit-sea B',
    ]);
    expect(v).toMatchObject({ combinations: 4, complete: true });
  });

  it('beyond the limit, tries each alternative against the first alternatives of the others', () => {
    const clauses = Array.from({ length: 8 }, (_, i) =>
      clause(`c-${i}`, undefined, [
        { id: `c-${i}-a`, part: commitment({ id: `k${i}`, leadResponder: 'tr' }) },
        { id: `c-${i}-b`, part: commitment({ id: `k${i}`, leadResponder: 'gb' }) },
      ]),
    );
    const v = variants(framework(clauses), { limit: 64 });
    expect(v.combinations).toBe(256);
    expect(v.complete).toBe(false);
    expect(v.variants).toHaveLength(9);
    expect(v.variants[0]!.label).toBe('c-0 A, c-1 A, c-2 A, c-3 A, c-4 A, c-5 A, c-6 A, c-7 A');
    expect(v.variants[3]!.choice['c-2']).toBe('c-2-b');
    expect(Object.values(v.variants[3]!.choice).filter((x) => x.endsWith('-b'))).toHaveLength(1);
  });

  it('a text without brackets is one variant', () => {
    const v = variants(framework([clause('c-sea', commitment({ id: 'sea' }))]));
    expect(v.variants).toEqual([{ choice: {}, label: 'the text as written' }]);
  });
});

describe('resolveGuarantees', () => {
  it('resolves the chosen alternative, by id or by label, with its clause, alternative and pointer', () => {
    const doc = example();
    const r = resolveGuarantees(doc, { 'c-commit-land': 'A', 'c-commit-sea': 'c-commit-sea-b' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sea = r.value.commitments.find((c) => c.id === 'commit-sea')!;
    expect(sea.source).toMatchObject({ clause: 'c-commit-sea', alternative: 'c-commit-sea-b', label: 'B', provisional: true });
    expect(sea.source.pointer).toMatch(/\/alternatives\/1\/part$/);
    expect(sea.leadResponder).toBe('coalition');
    expect(sea.backupResponder).toBeNull();
    expect(sea.guarantorMembers).toEqual(['de', 'fr', 'gb', 'tr']);
    const air = r.value.commitments.find((c) => c.id === 'commit-air')!;
    expect(air.source).toMatchObject({ clause: 'c-commit-air', alternative: null, provisional: false });
    // The shared ladder, flattened with next as indexes; the terminal rung has no deadline.
    expect(air.ladder.rungs.map((x) => [x.id, x.deadline, x.nextIndex])).toEqual([
      ['verify', 'PT24H', 1],
      ['consult', 'PT48H', 2],
      ['respond', 'PT72H', 3],
      ['collective', null, null],
    ]);
    expect(r.value.zones.get('corridor-buffer')).toMatchObject({ type: 'buffer-zone', along: 'black-sea-corridor' });
    expect(air.trigger).toMatchObject({ minSeverity: 3, count: 1, window: null, windowMs: null });
  });

  it('refuses an open bracket, an unknown clause and an unknown alternative, naming the choices', () => {
    const doc = example();
    const open = resolveGuarantees(doc, { 'c-commit-land': 'A' });
    expect(open).toMatchObject({ ok: false, code: 'validation_failed' });
    if (!open.ok)
      expect(open.message).toBe('choose an alternative of every bracketed clause that changes the guarantees: c-commit-sea (A or B)');
    const unknown = resolveGuarantees(doc, { 'c-commit-land': 'A', 'c-commit-sea': 'C' });
    if (!unknown.ok)
      expect(unknown.message).toBe('clause c-commit-sea has no alternative "C" (alternatives: A (c-commit-sea-a), B (c-commit-sea-b))');
    else expect.fail('an unknown alternative must be refused');
    const noClause = resolveGuarantees(doc, { 'c-nope': 'A' });
    expect(noClause).toMatchObject({ ok: false, pointer: '/choice/c-nope' });
  });

  it('flattens a ladder that escalates to another, and reports a ladder missing from the text', () => {
    const doc = framework(
      [
        clause('c-second', { kind: 'escalation-ladder', id: 'second', rungs: [{ id: 'summit', action: 'summit', owner: 'guarantors' }] }),
        clause('c-first', {
          kind: 'escalation-ladder',
          id: 'first',
          escalatesTo: 'second',
          rungs: [{ id: 'consult', action: 'consult', owner: 'lead-responder', deadline: 'PT12H' }],
        }),
        clause('c-a', commitment({ id: 'a', ladder: 'first' })),
        clause('c-b', commitment({ id: 'b', ladder: 'nowhere' })),
      ],
      { ladder: null },
    );
    const r = resolveGuarantees(doc);
    if (!r.ok) return expect.fail(r.message);
    const a = r.value.commitments.find((c) => c.id === 'a')!;
    expect(a.ladder.rungs.map((x) => [x.key, x.nextIndex])).toEqual([
      ['first/consult', 1],
      ['second/summit', null],
    ]);
    expect(r.value.commitments.find((c) => c.id === 'b')!.ladder).toMatchObject({ missing: 'nowhere', rungs: [] });
  });

  it('guaranteeTexts gives one resolved text per variant', () => {
    const { texts } = guaranteeTexts(example());
    expect(texts).toHaveLength(4);
    expect(texts.map((x) => x.commitments.find((c) => c.id === 'commit-sea')!.leadResponder)).toEqual([
      'tr',
      'coalition',
      'tr',
      'coalition',
    ]);
  });

  it('membersOf resolves nested coalitions and survives a cycle', () => {
    const parties = new Map(
      [
        { id: 'outer', kind: 'coalition' as const, members: ['inner', 'gb'] },
        { id: 'inner', kind: 'coalition' as const, members: ['fr', 'outer'] },
      ].map((p) => [p.id, { ...p, name: { en: p.id }, roles: ['guarantor' as const] }]),
    );
    expect(membersOf(parties, 'outer').sort()).toEqual(['fr', 'gb']);
    expect(membersOf(parties, 'tr')).toEqual(['tr']);
  });
});

describe('durations', () => {
  it('adds on the UTC calendar, measures nominally and reads well', () => {
    const jan31 = Date.parse('2026-01-31T12:00:00Z');
    expect(new Date(addDuration(jan31, 'P1M')).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(new Date(addDuration(jan31, 'PT36H')).toISOString()).toBe('2026-02-02T00:00:00.000Z');
    expect(nominalMs('PT24H')).toBe(86_400_000);
    expect(nominalMs('P1W')).toBe(7 * 86_400_000);
    expect(nominalMs('nonsense')).toBeNaN();
    expect(formatDuration('PT12H30M')).toBe('12 hours 30 minutes');
    expect(formatDuration('P1D')).toBe('1 day');
  });
});
