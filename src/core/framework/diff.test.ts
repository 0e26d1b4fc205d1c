import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepDiff, diffFrameworks, formatDiff, renderWords, wordDiff, type ClauseChange } from './diff';
import type { Framework } from './model';
import { validateFramework } from './validate';

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml'), 'utf8');
const base = load(EXAMPLE);

function load(text: string): Framework {
  const r = validateFramework(text, 'f.yaml');
  if (!r.document) throw new Error(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  return r.document;
}

function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`not in the example: ${from}`);
  return text.replace(from, to);
}

function change(clauses: readonly ClauseChange[], id: string): ClauseChange {
  const c = clauses.find((x) => x.clause === id);
  if (!c) throw new Error(`no change for ${id}: ${clauses.map((x) => x.clause).join(', ')}`);
  return c;
}

describe('diffFrameworks', () => {
  it('finds nothing between a version and itself', () => {
    const d = diffFrameworks(base, structuredClone(base));
    expect(d.identical).toBe(true);
    expect(d.clauses).toEqual([]);
    expect(d.document).toEqual([]);
    expect(formatDiff(d)).toMatch(/identical/);
  });

  it('reports prose word by word, per language', () => {
    const b = load(edit(EXAMPLE, 'to a distance of 15 kilometres on each side', 'to a distance of 30 kilometres on each side'));
    const d = diffFrameworks(base, b);
    const c = change(d.clauses, 'c-buffer-zone');
    expect(c.change).toBe('changed');
    const alt = c.alternatives.find((a) => a.id === 'c-buffer-zone-a')!;
    expect(alt.change).toBe('changed');
    expect(alt.prose).toHaveLength(1);
    expect(alt.prose[0]!.language).toBe('en');
    expect(renderWords(alt.prose[0]!.words)).toBe(
      'to a distance of [-15-] {+30+} kilometres on each side of the line (ILLUSTRATIVE geometry).',
    );
  });

  it('reports status changes, withdrawn alternatives and part fields with JSON pointers', () => {
    let text = edit(EXAMPLE, 'id: c-commission\n            status: bracketed', 'id: c-commission\n            status: agreed');
    text = edit(
      text,
      `              - id: c-commission-b
                proposedBy: [us, tr]
                text: { en: by consensus of its members., uk: консенсусом своїх членів. }
`,
      '',
    );
    text = edit(text, 'deadline: PT12H, by: [ru, ua]', 'deadline: PT6H, by: [ru, ua]');
    const d = diffFrameworks(base, load(text));
    const commission = change(d.clauses, 'c-commission');
    expect(commission.status).toEqual({ before: 'bracketed', after: 'agreed' });
    expect(commission.alternatives).toEqual([
      expect.objectContaining({ change: 'withdrawn', id: 'c-commission-b', label: 'B', proposedBy: ['tr', 'us'] }),
    ]);
    const deconfliction = change(d.clauses, 'c-deconfliction');
    expect(deconfliction.part).toEqual([{ path: '/acknowledgement/deadline', before: 'PT12H', after: 'PT6H' }]);
    expect(deconfliction.prose).toEqual([]);
  });

  it('reports a moved clause as a move, and does not call the clauses after an insertion "moved"', () => {
    const b = structuredClone(base);
    const purpose = b.chapters[0]!.articles[0]!;
    const moved = purpose.clauses.splice(0, 1)[0]!; // c-purpose leaves article 1 ...
    b.chapters[1]!.articles[0]!.clauses.push(moved); // ... for the ceasefire article
    b.chapters[2]!.articles[0]!.clauses.unshift({
      id: 'c-new',
      status: 'open',
      text: { en: 'New.', uk: 'Нове.' },
      untranslated: [],
      alternatives: [],
    });
    const d = diffFrameworks(base, b);
    expect(d.summary).toEqual({ added: 1, removed: 0, moved: 1, changed: 0 });
    const m = change(d.clauses, 'c-purpose');
    expect(m.moved).toBe(true);
    expect(m.before).toMatchObject({ article: 'art-purpose', position: 1 });
    expect(m.after).toMatchObject({ article: 'art-ceasefire', position: 3 });
    expect(change(d.clauses, 'c-new').change).toBe('added');
    // c-mechanism now sits second in its article, yet it kept its order relative to the others.
    expect(d.clauses.find((c) => c.clause === 'c-mechanism')).toBeUndefined();
  });

  it('reports a reorder within an article as one move', () => {
    const b = structuredClone(base);
    const clauses = b.chapters[0]!.articles[0]!.clauses;
    clauses.push(clauses.shift()!); // c-purpose to the end
    const d = diffFrameworks(base, b);
    expect(d.clauses.map((c) => c.clause)).toEqual(['c-purpose']);
  });

  it('reports removals, additions of alternatives and succession problems with ids', () => {
    const b = structuredClone(base);
    const art = b.chapters[0]!.articles[0]!;
    art.clauses = art.clauses.filter((c) => c.id !== 'c-thanks');
    const sea = b.chapters.flatMap((c) => c.articles.flatMap((a) => a.clauses)).find((c) => c.id === 'c-commit-sea')!;
    sea.alternatives.push({
      id: 'c-commit-sea-c',
      label: 'C',
      proposedBy: ['de'],
      text: { en: 'by Germany.', uk: 'Німеччина.' },
      untranslated: [],
    });
    b.retiredIds = b.retiredIds.filter((id) => id !== 'c-osce-monitoring');
    const d = diffFrameworks(base, b);
    expect(change(d.clauses, 'c-thanks').change).toBe('removed');
    expect(change(d.clauses, 'c-commit-sea').alternatives).toEqual([expect.objectContaining({ change: 'added', id: 'c-commit-sea-c' })]);
    expect(d.warnings).toContain(
      '"c-thanks" was removed but is not listed in retiredIds of the newer version, so it could be reused by mistake',
    );
    expect(d.warnings).toContain('"c-osce-monitoring" was retired but is no longer listed in retiredIds');
    expect(d.document).toEqual([
      { path: '/retiredIds', before: ['c-ceasefire-freeze', 'c-osce-monitoring'], after: ['c-ceasefire-freeze'] },
    ]);
    const text = formatDiff(d);
    expect(text).toMatch(/- c-thanks: removed from Article 1 \(art-purpose\), paragraph 3/);
    expect(text).toMatch(/\+ alternative C c-commit-sea-c \(proposed by DE\)/);
  });

  it('compares a part field by field, lists of rungs by id', () => {
    const b = structuredClone(base);
    const ladder = b.chapters.flatMap((c) => c.articles.flatMap((a) => a.clauses)).find((c) => c.id === 'c-ladder')!.part!;
    if (ladder.kind !== 'escalation-ladder') throw new Error('not a ladder');
    ladder.rungs[1]!.deadline = 'PT36H';
    ladder.rungs.splice(1, 0, { id: 'notify', action: 'notify-parties', owner: 'mechanism', deadline: 'PT6H', next: 'consult' });
    ladder.rungs[0]!.next = 'notify';
    const d = diffFrameworks(base, b);
    // The new rung is an addition; the rungs after it kept their order, so none of them "moved".
    expect(change(d.clauses, 'c-ladder').part).toEqual([
      { path: '/rungs/0/next', before: 'consult', after: 'notify' },
      { path: '/rungs/1', before: undefined, after: expect.objectContaining({ id: 'notify' }) },
      { path: '/rungs/2/deadline', before: 'PT48H', after: 'PT36H' },
    ]);
  });
});

describe('deepDiff', () => {
  it('reports nested changes as pointers', () => {
    expect(deepDiff({ a: { b: 1, c: [1, 2] } }, { a: { b: 2, c: [1, 3] }, d: 'x' }, '')).toEqual([
      { path: '/a/b', before: 1, after: 2 },
      { path: '/a/c/1', before: 2, after: 3 },
      { path: '/d', before: undefined, after: 'x' },
    ]);
  });
});

describe('wordDiff', () => {
  it('rebuilds both texts from its runs (property)', () => {
    const words = fc.array(fc.constantFrom('the', 'ceasefire', 'holds', '15', '30', 'km', 'and', 'buffer'), { maxLength: 30 });
    fc.assert(
      fc.property(words, words, (a, b) => {
        const runs = wordDiff(a.join(' '), b.join(' '));
        const before = runs
          .filter((r) => r.op !== 'insert')
          .map((r) => r.text)
          .join(' ');
        const after = runs
          .filter((r) => r.op !== 'delete')
          .map((r) => r.text)
          .join(' ');
        expect(before).toBe(a.join(' '));
        expect(after).toBe(b.join(' '));
        if (a.join(' ') === b.join(' ')) expect(runs.every((r) => r.op === 'equal')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps shared words as equal runs (a minimal diff)', () => {
    expect(wordDiff('a b c d', 'a x c d')).toEqual([
      { op: 'equal', text: 'a' },
      { op: 'delete', text: 'b' },
      { op: 'insert', text: 'x' },
      { op: 'equal', text: 'c d' },
    ]);
  });
});
