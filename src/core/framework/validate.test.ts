import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkFramework, validateFramework, type Problem } from './validate';

const EXAMPLE_PATH = join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml');
const EXAMPLE = readFileSync(EXAMPLE_PATH, 'utf8');

/** Line and column (1-based) where `needle` starts in `text`. */
function positionOf(text: string, needle: string, skip = 0): { line: number; col: number } {
  const found = text.indexOf(needle);
  if (found < 0) throw new Error(`not in the text: ${needle}`);
  const offset = found + skip;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`not in the example: ${from}`);
  return text.replace(from, to);
}

function errors(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** A small valid framework to break one thing at a time. */
function minimal(): Record<string, unknown> {
  return {
    format: 'entente.framework/1',
    process: { id: 'p', title: { en: 'T', uk: 'Т' }, languages: ['en', 'uk'] },
    parties: [
      { id: 'ua', name: { en: 'Ukraine', uk: 'Україна' }, roles: ['party-to-conflict'] },
      { id: 'ru', name: { en: 'Russia', uk: 'Росія' }, roles: ['party-to-conflict'] },
      { id: 'tr', name: { en: 'Türkiye', uk: 'Туреччина' }, roles: ['guarantor', 'intermediary'] },
      { id: 'mech', kind: 'mechanism', name: { en: 'Mechanism', uk: 'Механізм' }, roles: ['monitor'] },
    ],
    chapters: [
      {
        id: 'ch',
        title: { en: 'C', uk: 'Р' },
        articles: [
          {
            id: 'art',
            title: { en: 'A', uk: 'С' },
            clauses: [
              {
                id: 'c-line',
                status: 'agreed',
                text: { en: 'Line.', uk: 'Лінія.' },
                part: {
                  kind: 'zone',
                  type: 'contact-line',
                  id: 'line',
                  geometry: {
                    type: 'LineString',
                    coordinates: [
                      [35, 47],
                      [36, 48],
                      [37, 48.5],
                    ],
                  },
                },
              },
              {
                id: 'c-ladder',
                status: 'agreed',
                text: { en: 'Ladder.', uk: 'Драбина.' },
                part: {
                  kind: 'escalation-ladder',
                  id: 'ladder',
                  rungs: [
                    { id: 'r1', action: 'verify', owner: 'mech', deadline: 'PT24H', next: 'r2' },
                    { id: 'r2', action: 'respond', owner: 'lead-responder' },
                  ],
                },
              },
              {
                id: 'c-commit',
                status: 'agreed',
                text: { en: 'Commitment.', uk: "Зобов'язання." },
                part: {
                  kind: 'commitment',
                  id: 'commit',
                  guarantors: ['tr'],
                  domain: 'sea',
                  breachTypes: ['naval-attack'],
                  zones: ['line'],
                  activation: { when: 'ceasefire-in-force' },
                  trigger: { minSeverity: 2, attributionConfidence: 'medium' },
                  evidence: { independentSources: 2, verifier: 'mech' },
                  decision: { rule: 'one', decider: 'tr' },
                  leadResponder: 'tr',
                  ladder: 'ladder',
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

type Doc = ReturnType<typeof minimal>;
// Test-only access into the plain object, by path.
function at(doc: Doc, ...path: Array<string | number>): Record<string, unknown> {
  let node: unknown = doc;
  for (const p of path) node = (node as Record<string | number, unknown>)[p];
  return node as Record<string, unknown>;
}
const clause = (doc: Doc, i: number): Record<string, unknown> => at(doc, 'chapters', 0, 'articles', 0, 'clauses', i);
const part = (doc: Doc, i: number): Record<string, unknown> => at(doc, 'chapters', 0, 'articles', 0, 'clauses', i, 'part');

function check(doc: Doc, strict = false): { errors: string[]; warnings: string[]; pointers: string[] } {
  const r = checkFramework(doc, { strict });
  return {
    errors: r.findings.filter((f) => f.severity === 'error').map((f) => f.message),
    warnings: r.findings.filter((f) => f.severity === 'warning').map((f) => f.message),
    pointers: r.findings.map((f) => f.pointer),
  };
}

describe('the Kyiv 2026 example', () => {
  it('validates with no errors and no warnings, even under --strict', () => {
    const report = validateFramework(EXAMPLE, 'framework.yaml', { strict: true });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.document?.process.languages).toEqual(['en', 'uk']);
  });

  it('has at least six bracketed clauses with real alternatives, in English and Ukrainian', () => {
    const doc = validateFramework(EXAMPLE, 'framework.yaml').document!;
    const clauses = doc.chapters.flatMap((c) => c.articles.flatMap((a) => a.clauses));
    const bracketed = clauses.filter((c) => c.status === 'bracketed' && c.alternatives.length >= 2);
    expect(bracketed.length).toBeGreaterThanOrEqual(6);
    for (const c of clauses.filter((c) => c.part || c.alternatives.length > 0)) {
      expect(c.text.en, c.id).toBeTruthy();
      expect(c.text.uk, c.id).toMatch(/[а-яіїєґ]/i);
      for (const alt of c.alternatives) expect(alt.text.uk, alt.id).toMatch(/[а-яіїєґ]/i);
    }
  });

  it('plants a coverage gap: sea alternative B names no backup and leaves the corridor buffer uncovered', () => {
    const doc = validateFramework(EXAMPLE, 'framework.yaml').document!;
    const sea = doc.chapters.flatMap((c) => c.articles.flatMap((a) => a.clauses)).find((c) => c.id === 'c-commit-sea')!;
    const [a, b] = sea.alternatives.map((alt) => alt.part);
    expect(a?.kind === 'commitment' && a.leadResponder).toBe('tr');
    expect(a?.kind === 'commitment' && a.zones).toContain('corridor-buffer');
    expect(b?.kind === 'commitment' && b.backupResponder).toBeUndefined();
    expect(b?.kind === 'commitment' && b.zones).not.toContain('corridor-buffer');
  });

  it('a broken copy yields positioned errors, each at the line and column of the mistake', () => {
    let broken = replaceOnce(EXAMPLE, 'width_m: 15000', 'widht_m: 15000');
    broken = replaceOnce(broken, 'leadResponder: fr', 'leadResponder: fra');
    broken = replaceOnce(broken, 'next: collective }', 'next: verify }');
    broken = replaceOnce(broken, '[38.05, 48.8], [37.95, 49.05]', '[38.05, 48.8], [35.3, 47.3]');
    broken = replaceOnce(
      broken,
      'uk: Гаранти переглядають гарантії безпеки до 6 січня 2027 року.',
      'de: Die Garanten überprüfen die Garantien.',
    );
    const report = validateFramework(broken, 'broken.yaml');
    expect(report.ok).toBe(false);
    expect(report.document).toBeNull();
    const errs = errors(report.problems);
    // Schema errors stop the deeper checks; the misspelt key comes first.
    expect(errs.find((p) => /unknown field "widht_m"; did you mean "width_m"/.test(p.message))).toMatchObject(
      positionOf(broken, 'widht_m'),
    );

    const fixedKey = broken.replace('widht_m', 'width_m');
    const deeper = errors(validateFramework(fixedKey, 'broken.yaml').problems);
    const find = (re: RegExp): Problem => {
      const p = deeper.find((x) => re.test(x.message));
      if (!p) throw new Error(`no problem matching ${re}: ${deeper.map((x) => x.message).join('\n')}`);
      return p;
    };
    expect(find(/lead responder "fra" is not a party/)).toMatchObject(positionOf(fixedKey, 'leadResponder: fra', 'leadResponder: '.length));
    expect(find(/verify → consult → respond → verify form a cycle/)).toMatchObject(positionOf(fixedKey, 'next: verify }', 'next: '.length));
    expect(find(/crosses itself/)).toMatchObject(positionOf(fixedKey, '[35.3, 47.3]'));
    expect(find(/text in "de", which is not a working language/)).toMatchObject(positionOf(fixedKey, 'de: Die Garanten'));
    expect(find(/c-review: text: the clause has no Ukrainian \(uk\) text/).line).toBe(
      positionOf(fixedKey, 'en: The guarantors review').line,
    );
    expect(find(/c-review/).message).toMatch(/article art-entry-into-force, clause c-review/);
  });

  it('reads the same document from JSON, with positions in the JSON text', () => {
    const yamlDoc = validateFramework(EXAMPLE, 'framework.yaml').document!;
    const json = JSON.stringify(yamlDoc, null, 2);
    const report = validateFramework(json, 'framework.json');
    expect(report.format).toBe('json');
    expect(report.document).toEqual(yamlDoc);
    const broken = json.replace('"minSeverity": 3', '"minSeverity": 9');
    const problem = errors(validateFramework(broken, 'framework.json').problems)[0]!;
    expect(problem.message).toMatch(/minSeverity: severity runs from 1 to 5/);
    expect(problem).toMatchObject(positionOf(broken, '"minSeverity": 9', '"minSeverity": '.length));
  });
});

describe('schema problems', () => {
  it('names the clause, the field, what was expected and what was found', () => {
    const doc = minimal();
    clause(doc, 0).status = 'agred';
    const [msg] = check(doc).errors;
    expect(msg).toBe('article art, clause c-line: status: must be one of "open", "bracketed", "agreed", "deleted"; found "agred"');
  });

  it('reports a missing field by name, and an unknown part kind with the kinds allowed', () => {
    const doc = minimal();
    delete part(doc, 2).evidence;
    part(doc, 0).kind = 'zones';
    const { errors: errs } = check(doc);
    expect(errs).toContain('clause c-commit, commitment commit: "evidence" is required');
    expect(errs.some((m) => /kind "zones" is not known; it must be one of: zone, commitment, escalation-ladder/.test(m))).toBe(true);
  });

  it('explains a union that fits no shape (a ladder is an id or a list of rungs)', () => {
    const doc = minimal();
    part(doc, 2).ladder = 7;
    expect(check(doc).errors[0]).toMatch(/ladder: expected string or object, found number 7/);
    part(doc, 2).ladder = { rungs: [{ id: 'x', action: 'act', owner: 'tr', deadline: 'two days' }] };
    expect(check(doc).errors[0]).toMatch(/deadline: a duration is ISO 8601/);
  });

  it('refuses a document whose root is not a mapping, with a message that says what a framework looks like', () => {
    for (const text of ['', '- a\n- b\n', 'just text', '42']) {
      const r = validateFramework(text, 'x.yaml');
      expect(r.ok).toBe(false);
      expect(r.problems[0]).toMatchObject({ line: 1, col: 1 });
      expect(r.problems[0]!.message).toMatch(/format: entente.framework\/1/);
    }
  });

  it('asks for the format line', () => {
    const doc = minimal();
    doc.format = 'entente/2';
    expect(check(doc).errors).toEqual(['the document must start with "format: entente.framework/1" (found "entente/2")']);
  });
});

describe('ids', () => {
  it('refuses duplicate ids across clauses, articles and parts, naming the first use', () => {
    const doc = minimal();
    clause(doc, 1).id = 'c-line';
    part(doc, 1).id = 'line';
    const { errors: errs } = check(doc);
    expect(errs.some((m) => /duplicate id "c-line": already used by a clause/.test(m))).toBe(true);
    expect(errs.some((m) => /duplicate id "line": already used by a zone in clause c-line/.test(m))).toBe(true);
  });

  it('lets the alternatives of one clause share a part id, but not change its kind', () => {
    const doc = minimal();
    const c = clause(doc, 0);
    c.status = 'bracketed';
    const zone = c.part as Record<string, unknown>;
    delete c.part;
    c.alternatives = [
      { id: 'alt-a', proposedBy: ['ua'], text: { en: 'a', uk: 'а' }, part: zone },
      {
        id: 'alt-b',
        proposedBy: ['ru'],
        text: { en: 'b', uk: 'б' },
        part: {
          ...zone,
          geometry: {
            type: 'LineString',
            coordinates: [
              [35, 47],
              [36, 47.5],
            ],
          },
        },
      },
    ];
    expect(check(doc).errors).toEqual([]);
    (c.alternatives as Array<Record<string, unknown>>)[1]!.part = {
      kind: 'exchange-formula',
      id: 'line',
      sides: ['ua', 'ru'],
      intermediary: 'tr',
      basis: 'all-for-all',
    };
    expect(check(doc).errors.join('\n')).toMatch(/"line" is a zone \(contact-line\) in another option of this clause/);
  });

  it('never reuses a retired id', () => {
    const doc = minimal();
    doc.retiredIds = ['c-ladder'];
    expect(check(doc).errors).toEqual([
      'article art, clause c-ladder: id: clause id "c-ladder" was retired by an earlier version; ids are never reused: choose a new one',
    ]);
  });

  it('refuses a party id reserved for ladder owners and duplicate short names', () => {
    const doc = minimal();
    at(doc, 'parties', 0).id = 'guarantors';
    at(doc, 'parties', 1).short = 'TR';
    const errs = check(doc).errors.join('\n');
    expect(errs).toMatch(/"guarantors" is reserved for ladder owners/);
    expect(errs).toMatch(/short name "TR" is also used by party ru/);
  });
});

describe('references', () => {
  it('names the missing party, zone and ladder, and says what a wrong-kind reference is', () => {
    const doc = minimal();
    const p = part(doc, 2);
    p.guarantors = ['tr', 'xx'];
    p.zones = ['line', 'commit', 'nowhere'];
    p.ladder = 'line';
    const errs = check(doc).errors;
    expect(errs).toContain(
      'clause c-commit, commitment commit: guarantors[1]: guarantor "xx" is not a party of this framework (parties: ua, ru, tr, mech)',
    );
    expect(errs).toContain('clause c-commit, commitment commit: zones[1]: zone "commit" is a commitment, not a zone');
    expect(errs).toContain('clause c-commit, commitment commit: zones[2]: zone "nowhere" does not exist (known: line)');
    expect(errs).toContain('clause c-commit, commitment commit: ladder: ladder "line" is a zone (contact-line), not a escalation-ladder');
  });

  it('checks rung owners and next rungs, and clause references of meeting prerequisites', () => {
    const doc = minimal();
    const rungs = part(doc, 1).rungs as Array<Record<string, unknown>>;
    rungs[0]!.next = 'r9';
    rungs[1]!.owner = 'somebody';
    clause(doc, 2).part = {
      kind: 'meeting-prerequisite',
      id: 'm',
      meeting: 'leaders',
      requires: [{ type: 'clauses-agreed', clauses: ['c-line', 'c-gone'] }],
    };
    const errs = check(doc).errors.join('\n');
    expect(errs).toMatch(/next rung "r9" does not exist in ladder ladder \(rungs: r1, r2\)/);
    expect(errs).toMatch(/owner "somebody" is neither a party nor one of lead-responder, backup-responder, guarantors/);
    expect(errs).toMatch(/clause "c-gone" does not exist/);
  });
});

describe('cycles', () => {
  it('finds ladders that escalate in a circle', () => {
    const doc = minimal();
    part(doc, 1).escalatesTo = 'ladder2';
    clause(doc, 0).part = {
      kind: 'escalation-ladder',
      id: 'ladder2',
      escalatesTo: 'ladder',
      rungs: [{ id: 'x', action: 'act', owner: 'tr' }],
    };
    part(doc, 2).zones = [];
    expect(check(doc).errors.join('\n')).toMatch(/ladders (ladder → ladder2 → ladder|ladder2 → ladder → ladder2) escalate in a circle/);
  });

  it('finds commitments that can only activate each other, and meetings that require each other', () => {
    const doc = minimal();
    part(doc, 2).activation = { when: 'commitment-triggered', commitment: 'commit2' };
    const second = structuredClone(part(doc, 2));
    second.id = 'commit2';
    second.activation = { when: 'commitment-triggered', commitment: 'commit' };
    clause(doc, 1).part = second;
    part(doc, 2).ladder = { rungs: [{ id: 'x', action: 'act', owner: 'tr' }] };
    second.ladder = { rungs: [{ id: 'x', action: 'act', owner: 'tr' }] };
    expect(check(doc).errors.join('\n')).toMatch(/commitments .* activate each other in a circle/);

    const m = minimal();
    const articles = at(m, 'chapters', 0).articles as Array<Record<string, unknown>>;
    articles.push({
      id: 'art-m',
      title: { en: 'M', uk: 'З' },
      clauses: [
        {
          id: 'c-m1',
          status: 'agreed',
          text: { en: 'm', uk: 'з' },
          part: { kind: 'meeting-prerequisite', id: 'pm1', meeting: 'alpha', requires: [{ type: 'meeting-held', meeting: 'beta' }] },
        },
        {
          id: 'c-m2',
          status: 'agreed',
          text: { en: 'm', uk: 'з' },
          part: { kind: 'meeting-prerequisite', id: 'pm2', meeting: 'beta', requires: [{ type: 'meeting-held', meeting: 'alpha' }] },
        },
      ],
    });
    expect(check(m).errors.join('\n')).toMatch(/meetings (alpha → beta → alpha|beta → alpha → beta) require each other in a circle/);
  });
});

describe('languages', () => {
  it('refuses an unknown working language and suggests the right tag for a country code', () => {
    const doc = minimal();
    at(doc, 'process').languages = ['en', 'ua'];
    expect(check(doc).errors[0]).toBe('process.languages[1]: unknown language "ua": that is a country code; did you mean uk (Ukrainian)?');
  });

  it('requires every clause in every language, unless marked untranslated', () => {
    const doc = minimal();
    delete (clause(doc, 0).text as Record<string, string>).uk;
    expect(check(doc).errors).toEqual([
      'article art, clause c-line: text: the clause has no Ukrainian (uk) text: add it, or mark it "untranslated: [uk]"',
    ]);
    clause(doc, 0).untranslated = ['uk'];
    expect(check(doc).errors).toEqual([]);
  });

  it('refuses prose in a language that is not declared', () => {
    const doc = minimal();
    (clause(doc, 0).text as Record<string, string>).fr = 'Ligne.';
    expect(check(doc).errors[0]).toMatch(/text in "fr", which is not a working language of this process \(declared: en, uk\)/);
  });
});

describe('geometry and distances', () => {
  it('points at the vertex where a ring is not closed or crosses itself', () => {
    const doc = minimal();
    clause(doc, 0).part = {
      kind: 'zone',
      type: 'buffer-zone',
      id: 'line',
      width_m: 1000,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [35, 47],
            [37, 47],
            [35, 48],
            [36, 48.5],
            [35, 47],
          ],
        ],
      },
    };
    expect(check(doc).errors.join('\n')).toMatch(/the outer ring crosses itself/);
    (clause(doc, 0).part as Record<string, unknown>).geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [35, 47],
          [36, 47],
          [36, 48],
          [35, 48],
        ],
      ],
    };
    const r = checkFramework(doc);
    expect(r.findings[0]).toMatchObject({ pointer: '/chapters/0/articles/0/clauses/0/part/geometry/coordinates/0/3' });
    expect(r.findings[0]!.message).toMatch(/the outer ring is not closed: its last position must repeat the first, \[35, 47\]/);
  });

  it('refuses longitude out of range and non-positive widths', () => {
    const doc = minimal();
    clause(doc, 0).part = {
      kind: 'zone',
      type: 'buffer-zone',
      id: 'line',
      width_m: 0,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [35, 47],
            [236, 47],
            [36, 48],
            [35, 47],
          ],
        ],
      },
    };
    const errs = check(doc).errors.join('\n');
    expect(errs).toMatch(/width_m: a distance must be greater than 0 metres/);
    expect(errs).toMatch(/geometry.coordinates\[0\]\[1\]\[0\]: longitude must be between -180 and 180/);
  });
});

describe('lints', () => {
  it('warns about a commitment without a responder and a rung without a deadline; --strict makes them errors', () => {
    const doc = minimal();
    delete part(doc, 2).leadResponder;
    delete (part(doc, 1).rungs as Array<Record<string, unknown>>)[0]!.deadline;
    const lenient = check(doc);
    expect(lenient.errors).toEqual([]);
    expect(lenient.warnings).toEqual([
      'escalation-ladder ladder, rung r1: rung r1 has no deadline: the ladder cannot move on to r2',
      'clause c-commit, commitment commit: no lead responder is named: nobody is bound to act when it triggers',
    ]);
    const strict = check(doc, true);
    expect(strict.warnings).toEqual([]);
    expect(strict.errors).toHaveLength(2);
    expect(strict.errors[0]).toMatch(/\(an error under --strict\)$/);
    expect(checkFramework(doc, { strict: true }).document).toBeNull();
    expect(checkFramework(doc).document).not.toBeNull();
  });

  it('lets a terminal rung go without a deadline (it is the last action, not a step to move on from)', () => {
    expect(check(minimal()).warnings).toEqual([]);
  });
});

describe('YAML authoring', () => {
  it('accepts the same document written in any YAML style', () => {
    const doc = minimal();
    const block = stringify(doc);
    const flow = stringify(doc, { collectionStyle: 'flow' });
    const a = validateFramework(block, 'a.yaml');
    const b = validateFramework(flow, 'b.yaml');
    expect(a.problems).toEqual([]);
    expect(b.document).toEqual(a.document);
  });
});

describe('regressions found by fuzzing', () => {
  it('treats a malformed language key ("e n") as an unknown language instead of throwing', () => {
    const doc = minimal();
    (clause(doc, 0).text as Record<string, string>)['e n'] = 'x';
    expect(check(doc).errors[0]).toMatch(/text in "e n", which is not a working language/);
  });
});
