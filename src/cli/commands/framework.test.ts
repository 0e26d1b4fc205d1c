import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { frameworkCommand, type FrameworkIo } from './framework';

const EXAMPLE = join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml');
const REFORMATTED = join(import.meta.dirname, '../../../examples/kyiv-2026/framework.reformatted.yaml');

/** A fake terminal and file system: real example files are read from disk, anything else from `files`. */
function fakeIo(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const written = new Map<string, string | Uint8Array>();
  const io: FrameworkIo = {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    readFile: async (p) => (p in files ? files[p]! : readFile(p, 'utf8')),
    writeFile: async (p, d) => void written.set(p, d),
  };
  return { io, out: () => out.join(''), err: () => err.join(''), written };
}

describe('entente framework', () => {
  it('validate: exits 0 on the example and says it is valid', async () => {
    const t = fakeIo();
    expect(await frameworkCommand(['validate', EXAMPLE, '--strict'], t.io)).toBe(0);
    expect(t.out()).toBe(`${EXAMPLE}: valid, 0 error(s), 0 warning(s)\n`);
  });

  it('validate: prints FILE:LINE:COL: severity: message for every problem and exits 1', async () => {
    const text = (await readFile(EXAMPLE, 'utf8'))
      .replace('leadResponder: fr', 'leadResponder: fra')
      .replace('verifier: mechanism }', 'verifier: mechanizm }');
    const t = fakeIo({ 'broken.yaml': text });
    expect(await frameworkCommand(['validate', 'broken.yaml'], t.io)).toBe(1);
    const lines = t.out().trim().split('\n');
    expect(lines[0]).toMatch(
      /^broken\.yaml:\d+:\d+: error: clause c-commit-air, commitment commit-air: evidence\.verifier: verifier "mechanizm" is not a party/,
    );
    expect(lines).toContainEqual(expect.stringMatching(/^broken\.yaml:\d+:30: error: .*lead responder "fra" is not a party/));
    expect(lines[lines.length - 1]).toBe('broken.yaml: invalid, 2 error(s), 0 warning(s)');
  });

  it('validate --strict turns lint warnings into errors', async () => {
    const text = (await readFile(EXAMPLE, 'utf8')).replace('leadResponder: fr\n', '\n');
    const lenient = fakeIo({ 'lint.yaml': text });
    expect(await frameworkCommand(['validate', 'lint.yaml'], lenient.io)).toBe(0);
    expect(lenient.out()).toMatch(/warning: .*no lead responder is named/);
    const strict = fakeIo({ 'lint.yaml': text });
    expect(await frameworkCommand(['validate', 'lint.yaml', '--strict'], strict.io)).toBe(1);
    expect(strict.out()).toMatch(/error: .*no lead responder is named.*\(an error under --strict\)/);
  });

  it('hash: prints the document hash and one hash per language; the reformatted file prints the same', async () => {
    const a = fakeIo();
    expect(await frameworkCommand(['hash', EXAMPLE], a.io)).toBe(0);
    expect(a.out()).toMatch(/^sha256 [0-9a-f]{64}\nen [0-9a-f]{64}\nuk [0-9a-f]{64}\n$/);
    const b = fakeIo();
    await frameworkCommand(['hash', REFORMATTED], b.io);
    expect(b.out()).toBe(a.out());
  });

  it('hash: refuses an invalid document with its errors on stderr', async () => {
    const t = fakeIo({ 'bad.yaml': 'format: entente.framework/1\n' });
    expect(await frameworkCommand(['hash', 'bad.yaml'], t.io)).toBe(1);
    expect(t.err()).toMatch(/bad\.yaml:1:1: error: "process" is required/);
    expect(t.out()).toBe('');
  });

  it('diff: prints a clause-level diff, or JSON', async () => {
    const text = (await readFile(EXAMPLE, 'utf8'))
      .replace('to a distance of 15 kilometres', 'to a distance of 20 kilometres')
      .replace('width_m: 15000', 'width_m: 20000');
    const t = fakeIo({ 'b.yaml': text });
    expect(await frameworkCommand(['diff', EXAMPLE, 'b.yaml'], t.io)).toBe(0);
    expect(t.out()).toMatch(/0 added, 0 removed, 0 moved, 1 changed clause\(s\)/);
    expect(t.out()).toMatch(/~ c-buffer-zone: Article 5 \(art-buffer\), paragraph 1/);
    expect(t.out()).toMatch(/en: to a distance of \[-15-\] \{\+20\+\} kilometres/);
    expect(t.out()).toMatch(/part\/width_m: 15000 → 20000/);
    const j = fakeIo({ 'b.yaml': text });
    expect(await frameworkCommand(['diff', EXAMPLE, 'b.yaml', '--json'], j.io)).toBe(0);
    const parsed = JSON.parse(j.out()) as { clauses: Array<{ clause: string }>; identical: boolean };
    expect(parsed.identical).toBe(false);
    expect(parsed.clauses.map((c) => c.clause)).toEqual(['c-buffer-zone']);
  });

  it('export: Markdown to stdout, DOCX and Akoma Ntoso to a file', async () => {
    const md = fakeIo();
    expect(await frameworkCommand(['export', EXAMPLE, '--format', 'md', '--languages', 'en,uk'], md.io)).toBe(0);
    expect(md.out()).toContain('| 1. <a id="c-ceasefire-start"></a> | A complete and comprehensive ceasefire takes effect [**A:**');

    const docx = fakeIo();
    expect(await frameworkCommand(['export', EXAMPLE, '--format', 'docx', '--out', 'out.docx'], docx.io)).toBe(0);
    const bytes = docx.written.get('out.docx');
    expect(bytes).toBeInstanceOf(Uint8Array);
    const xml = await (await JSZip.loadAsync(bytes as Uint8Array)).file('word/document.xml')!.async('string');
    expect(xml).toContain('The response at sea is led');

    const akn = fakeIo();
    expect(await frameworkCommand(['export', EXAMPLE, '--format', 'akn', '--languages', 'uk', '--out', 'out.xml'], akn.io)).toBe(0);
    expect(String(akn.written.get('out.xml'))).toContain('<FRBRlanguage language="ukr"/>');
  });

  it('export: refuses DOCX to a terminal and a language the framework does not have', async () => {
    const t = fakeIo();
    expect(await frameworkCommand(['export', EXAMPLE, '--format', 'docx'], t.io)).toBe(2);
    expect(t.err()).toMatch(/DOCX is binary: give --out PATH/);
    const u = fakeIo();
    expect(await frameworkCommand(['export', EXAMPLE, '--format', 'md', '--languages', 'fr'], u.io)).toBe(1);
    expect(u.err()).toMatch(/fr is not a working language of this framework \(declared: en, uk\)/);
  });

  it('schema: prints the JSON Schema', async () => {
    const t = fakeIo();
    expect(await frameworkCommand(['schema'], t.io)).toBe(0);
    expect((JSON.parse(t.out()) as { title: string }).title).toBe('Entente framework document');
  });

  it('answers usage mistakes with exit 2 and the usage', async () => {
    for (const argv of [['validate'], ['frobnicate'], ['export', EXAMPLE, '--format', 'pdf'], ['validate', EXAMPLE, '--nope']]) {
      const t = fakeIo();
      expect(await frameworkCommand(argv, t.io), argv.join(' ')).toBe(2);
      expect(t.err()).toMatch(/usage:/);
    }
    const missing = fakeIo();
    expect(await frameworkCommand(['validate', '/nonexistent/framework.yaml'], missing.io)).toBe(1);
    expect(missing.err()).toMatch(/cannot read: ENOENT/);
  });
});
