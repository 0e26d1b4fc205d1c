import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashFramework } from './hash';
import { validateFramework, type ValidationReport } from './validate';

/**
 * The parser and validator face text from anyone who can reach the API: whatever they are given,
 * they answer with problems (each positioned) or a valid document, never a throw, never a hang.
 */

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml'), 'utf8');
const EXAMPLE_JSON = JSON.stringify(validateFramework(EXAMPLE, 'f.yaml').document, null, 1);

/** Generous: the machine is shared; a hang or a blow-up is orders of magnitude beyond this. */
const BOUND_MS = 3000;

function validateSafely(text: string, name: string): ValidationReport {
  const start = performance.now();
  const report = validateFramework(text, name);
  expect(performance.now() - start).toBeLessThan(BOUND_MS);
  for (const p of report.problems) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.col).toBeGreaterThanOrEqual(1);
    expect(p.message.length).toBeGreaterThan(0);
  }
  // Whatever validated must hash: no NaN, no Infinity, nothing canonical JSON cannot hold.
  if (report.document) expect(hashFramework(report.document).sha256).toMatch(/^[0-9a-f]{64}$/);
  else expect(report.problems.some((p) => p.severity === 'error')).toBe(true);
  return report;
}

/** Fragments that stress a YAML or JSON reader. */
const NASTY = [
  '&a ',
  '*a',
  '[',
  ']',
  '{',
  '}',
  ': ',
  '- ',
  '\t',
  '"',
  "'",
  '!!binary ',
  '!!set ',
  '<<: *a',
  '~',
  '.nan',
  '-.inf',
  '1e999',
  '0x1F',
  '? ',
  '|',
  '>-',
  '#',
  '%YAML 1.1\n',
  '---\n',
  '...\n',
  '\u0000',
  '\uFEFF',
  '\\u0000',
  'ї',
  '𝕏',
  '\r\n',
];

const mutation = (source: string) =>
  fc.oneof(
    // delete a slice
    fc.tuple(fc.nat(source.length), fc.nat(200)).map(([at, n]) => source.slice(0, at) + source.slice(at + n)),
    // insert a nasty fragment or random text
    fc
      .tuple(fc.nat(source.length), fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 20 })))
      .map(([at, s]) => source.slice(0, at) + s + source.slice(at)),
    // duplicate a slice elsewhere (duplicate keys, ids, clauses)
    fc
      .tuple(fc.nat(source.length), fc.nat(source.length), fc.nat(400))
      .map(([from, to, n]) => source.slice(0, to) + source.slice(from, from + n) + source.slice(to)),
    // change a digit (numbers, coordinates, severities)
    fc.tuple(fc.nat(source.length), fc.constantFrom('0', '9', '-', '.')).map(([at, d]) => {
      const i = source.slice(at).search(/\d/);
      return i < 0 ? source : source.slice(0, at + i) + d + source.slice(at + i + 1);
    }),
  );

describe('fuzzing the parser and validator', () => {
  it('survives arbitrary text as YAML and as JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.array(fc.constantFrom(...NASTY), { maxLength: 60 }).map((xs) => xs.join('')),
        ),
        (text) => {
          validateSafely(text, 'fuzz.yaml');
          validateSafely(text, 'fuzz.json');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('survives random mutations of the example (YAML)', () => {
    fc.assert(
      fc.property(fc.array(mutation(EXAMPLE), { minLength: 1, maxLength: 1 }), ([text]) => {
        validateSafely(text!, 'mutant.yaml');
      }),
      { numRuns: 60 },
    );
  });

  it('survives random mutations of the example (JSON)', () => {
    fc.assert(
      fc.property(mutation(EXAMPLE_JSON), (text) => {
        validateSafely(text, 'mutant.json');
      }),
      { numRuns: 60 },
    );
  });

  it('survives random JSON values as a document', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        validateSafely(JSON.stringify(value), 'value.json');
      }),
      { numRuns: 200 },
    );
  });
});
