import { describe, expect, it } from 'vitest';
import { MAX_FRAMEWORK_BYTES, MAX_NESTING, parseFrameworkSource } from './parse';
import { validateFramework } from './validate';

/** Runs fn and fails if it took longer than `ms`: hostile input must not hang the validator. */
function within<T>(ms: number, fn: () => T): T {
  const start = performance.now();
  const result = fn();
  expect(performance.now() - start).toBeLessThan(ms);
  return result;
}

describe('reading YAML', () => {
  it('maps pointers to the line and column of values and keys', () => {
    const src = 'format: x\nprocess:\n  id: p\n  languages: [en, uk]\n';
    const parsed = parseFrameworkSource(src, 'f.yaml');
    expect(parsed.locate('/process/id')).toEqual({ line: 3, col: 7 });
    expect(parsed.locate('/process/id', 'key')).toEqual({ line: 3, col: 3 });
    expect(parsed.locate('/process/languages/1')).toEqual({ line: 4, col: 19 });
    // A field that is not there points at the object that lacks it.
    expect(parsed.locate('/process/title')).toEqual({ line: 3, col: 3 });
  });

  it('reports syntax errors and duplicate keys with their position', () => {
    const dup = validateFramework('format: a\nformat: b\n', 'f.yaml');
    expect(dup.problems[0]).toMatchObject({ severity: 'error', line: 2, col: 1, message: 'Map keys must be unique' });
    const bad = validateFramework('process:\n  id: [unclosed\n', 'f.yaml');
    expect(bad.ok).toBe(false);
    expect(bad.problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses several documents in one file', () => {
    const r = validateFramework('a: 1\n---\nb: 2\n', 'f.yaml');
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.message).toMatch(/multiple documents/);
  });

  it('stops an alias bomb quickly, with a message that says what it is', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const r = within(2000, () => validateFramework(lines.join('\n') + '\n', 'bomb.yaml'));
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.message).toMatch(/alias bomb/);
    expect(r.problems[0]!.line).toBe(2);
  });

  it('refuses a document over the size limit, saying the limit', () => {
    const big = 'x'.repeat(MAX_FRAMEWORK_BYTES + 1);
    const r = within(2000, () => validateFramework(big, 'big.yaml'));
    expect(r.problems).toEqual([
      {
        severity: 'error',
        line: 1,
        col: 1,
        pointer: '',
        message: expect.stringMatching(/larger than the limit of 5 MB \(5,242,880 bytes\)/),
      },
    ]);
    // Multi-byte text is measured in bytes, not characters.
    const cyrillic = 'ї'.repeat(MAX_FRAMEWORK_BYTES / 2 + 1);
    expect(validateFramework(cyrillic, 'big.yaml').problems[0]!.message).toMatch(/5 MB/);
  });

  it('refuses deep nesting before the YAML composer sees it (which would take seconds or run out of memory)', () => {
    for (const text of ['['.repeat(1_000_000), '{'.repeat(1_000_000), 'a: ' + '{a: '.repeat(200_000)]) {
      const r = within(3000, () => validateFramework(text, 'deep.yaml'));
      expect(r.ok).toBe(false);
      expect(r.problems[0]!.message).toBe(`nesting deeper than ${MAX_NESTING} levels; a framework never needs that many`);
      expect(r.problems[0]!.line).toBe(1);
    }
    // Brackets inside quoted strings are text, not nesting.
    const quoted = `format: "${'['.repeat(500)}"\n`;
    expect(validateFramework(quoted, 'q.yaml').problems[0]!.message).not.toMatch(/nesting/);
  });
});

describe('reading JSON', () => {
  it('maps pointers into the JSON text only when a problem needs a position', () => {
    const src = '{\n  "format": "x",\n  "process": {\n    "id": 5\n  }\n}\n';
    const parsed = parseFrameworkSource(src, 'f.json');
    expect(parsed.format).toBe('json');
    expect(parsed.value).toEqual({ format: 'x', process: { id: 5 } });
    expect(parsed.locate('/process/id')).toEqual({ line: 4, col: 11 });
  });

  it('positions a syntax error, which JSON.parse on Node 20 does not', () => {
    const r = validateFramework('{\n  "a": 1,\n  "b": }\n', 'f.json');
    expect(r.problems[0]).toMatchObject({ severity: 'error', line: 3, col: 8 });
    expect(r.problems[0]!.message).toMatch(/^invalid JSON: expected a value/);
    expect(validateFramework('{"a": 1,}', 'f.json').problems[0]).toMatchObject({
      line: 1,
      col: 9,
      message: expect.stringMatching(/expected a string key/),
    });
    expect(validateFramework('{"a": "\\q"}', 'f.json').problems[0]).toMatchObject({
      line: 1,
      col: 8,
      message: expect.stringMatching(/invalid escape/),
    });
    expect(validateFramework('{"a": 1} x', 'f.json').problems[0]).toMatchObject({
      line: 1,
      col: 10,
      message: expect.stringMatching(/after the end/),
    });
  });

  it('refuses duplicate keys, which JSON.parse would silently resolve', () => {
    const r = validateFramework('{"format": "a",\n "process": {"id": "p", "id": "q"}}', 'f.json');
    expect(r.problems[0]).toMatchObject({
      line: 2,
      col: 25,
      message: 'key "id" appears twice in the same object; JSON readers disagree on which one counts',
    });
    // Escaped spellings of the same key are the same key.
    expect(validateFramework('{"id": 1, "\\u0069d": 2}', 'f.json').problems[0]!.message).toMatch(/"id" appears twice/);
  });

  it('refuses deep nesting and non-object roots', () => {
    expect(within(2000, () => validateFramework('['.repeat(2_000_000), 'f.json')).problems[0]!.message).toMatch(/nesting deeper/);
    expect(validateFramework('[1, 2]', 'f.json').problems[0]!.message).toMatch(/the document is a list/);
    expect(validateFramework('null', 'f.json').problems[0]!.message).toMatch(/the document is empty/);
  });
});
