import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { hashFramework } from './hash';
import type { Framework } from './model';
import { validateFramework } from './validate';

const DIR = join(import.meta.dirname, '../../../examples/kyiv-2026');
const EXAMPLE = readFileSync(join(DIR, 'framework.yaml'), 'utf8');
const REFORMATTED = readFileSync(join(DIR, 'framework.reformatted.yaml'), 'utf8');

function load(text: string, name = 'f.yaml'): Framework {
  const r = validateFramework(text, name);
  if (!r.document) throw new Error(r.problems.map((p) => `${p.line}:${p.col} ${p.message}`).join('\n'));
  return r.document;
}

const base = load(EXAMPLE);
const baseHash = hashFramework(base);

describe('hashFramework', () => {
  it('is the same for the reformatted example (key order, flow style, quoting, comments, a default left out, a set reordered)', () => {
    expect(REFORMATTED).not.toBe(EXAMPLE);
    expect(hashFramework(load(REFORMATTED))).toEqual(baseHash);
  });

  it('is the same for the normalised document written back as JSON or as YAML', () => {
    expect(hashFramework(load(JSON.stringify(base), 'f.json'))).toEqual(baseHash);
    expect(hashFramework(load(stringify(base, { collectionStyle: 'flow' })))).toEqual(baseHash);
  });

  it('ignores line breaks and runs of spaces inside prose, but not the words', () => {
    const refolded = EXAMPLE.replace(
      'The Parties establish a durable ceasefire, security guarantees',
      'The Parties establish   a durable ceasefire,\n                security guarantees',
    );
    expect(hashFramework(load(refolded)).sha256).toBe(baseHash.sha256);
    const reworded = EXAMPLE.replace('The Parties establish a durable ceasefire', 'The Parties establish a lasting ceasefire');
    expect(hashFramework(load(reworded)).sha256).not.toBe(baseHash.sha256);
  });

  it('changes with any change of meaning: a number, a status, a reference, an order of clauses', () => {
    const edits: Array<[string, string]> = [
      ['width_m: 15000', 'width_m: 15001'],
      ['id: c-languages\n            status: agreed', 'id: c-languages\n            status: open'],
      ['backupResponder: gb\n              ladder', 'backupResponder: us\n              ladder'],
      ['- id: def-ceasefire\n', '- id: def-cease-fire\n'],
      ['[35.2, 47.45]', '[35.2, 47.46]'],
      ['proposedBy: [ua, us]', 'proposedBy: [ua]'],
      ['illustrative: true\n              # Zaporizhzhia', 'illustrative: false\n              # Zaporizhzhia'],
    ];
    for (const [from, to] of edits) {
      expect(EXAMPLE.includes(from), `the example no longer contains ${from}`).toBe(true);
      expect(hashFramework(load(EXAMPLE.replace(from, to))).sha256, `${from} → ${to}`).not.toBe(baseHash.sha256);
    }

    const swapped = structuredClone(base);
    const clauses = swapped.chapters[0]!.articles[0]!.clauses;
    [clauses[0], clauses[1]] = [clauses[1]!, clauses[0]!];
    expect(hashFramework(swapped).sha256).not.toBe(baseHash.sha256);
  });

  it('changes for any random edit of a clause text (property)', () => {
    const texts: Array<[number, number, number]> = [];
    base.chapters.forEach((ch, c) => ch.articles.forEach((a, k) => a.clauses.forEach((_, i) => texts.push([c, k, i]))));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: texts.length - 1 }),
        fc.constantFrom('en', 'uk'),
        fc.string({ minLength: 1, maxLength: 5 }),
        (index, lang, suffix) => {
          const [c, k, i] = texts[index]!;
          const edited = structuredClone(base);
          const clause = edited.chapters[c]!.articles[k]!.clauses[i]!;
          const old = clause.text[lang];
          fc.pre(old !== undefined && suffix.trim().length > 0);
          clause.text[lang] = `${old} ${suffix.trim()}`;
          expect(hashFramework(edited).sha256).not.toBe(baseHash.sha256);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('gives one hash per language: English edits leave the Ukrainian hash alone, a part edit changes both', () => {
    expect(Object.keys(baseHash.languages)).toEqual(['en', 'uk']);
    expect(baseHash.languages.en).not.toBe(baseHash.languages.uk);
    const english = hashFramework(
      load(EXAMPLE.replace('The Parties establish a durable ceasefire', 'The Parties establish a lasting ceasefire')),
    );
    expect(english.languages.en).not.toBe(baseHash.languages.en);
    expect(english.languages.uk).toBe(baseHash.languages.uk);
    const part = hashFramework(load(EXAMPLE.replace('width_m: 15000', 'width_m: 16000')));
    expect(part.languages.en).not.toBe(baseHash.languages.en);
    expect(part.languages.uk).not.toBe(baseHash.languages.uk);
  });
});
