import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './process';

const EXAMPLE = 'examples/kyiv-2026/framework.yaml';
const SOURCE = readFileSync(join(ROOT, EXAMPLE), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'entente-coverage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Line (1-based) of the first occurrence of `needle` after `after`. */
function lineOf(text: string, needle: string, after = ''): number {
  const from = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, from);
  if (from < 0 || i < 0) throw new Error(`not in the example: ${needle}`);
  return text.slice(0, i).split('\n').length;
}

/**
 * The fix a drafter would make to alternative B of the sea clause: cover the corridor's buffer too,
 * and name a backup responder.
 */
function fixed(): string {
  const b = SOURCE.indexOf('- id: c-commit-sea-b');
  const head = SOURCE.slice(0, b);
  const tail = SOURCE.slice(b)
    .replace('zones: [black-sea-corridor]\n', 'zones: [black-sea-corridor, corridor-buffer]\n')
    .replace('leadResponder: coalition\n', 'leadResponder: coalition\n                  backupResponder: tr\n');
  if (tail === SOURCE.slice(b)) throw new Error('the example changed: the fix no longer applies');
  return head + tail;
}

describe('entente coverage', () => {
  it('finds the planted gap under alternative B of the sea clause, at that alternative, and exits 1', async () => {
    const r = await runCli(['coverage', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    // The position of alternative B's commitment (its first key), where the fix goes.
    const line = lineOf(SOURCE, 'kind: commitment', '- id: c-commit-sea-b');
    expect(r.stdout).toContain(
      `Gaps: no lead responder (1)\n  ${EXAMPLE}:${line}:19: error: under alternative B of clause c-commit-sea: no lead responder for sea breaches ` +
        'drone, missile, naval in zone corridor-buffer (buffer zone along black-sea-corridor): no commitment covers it; ' +
        'commit-sea (lead tr, backup gb) covers it under alternative A of clause c-commit-sea [clauses c-commit-sea, c-corridor-buffer]',
    );
    expect(r.stdout).toMatch(/^examples\/kyiv-2026\/framework\.yaml: 4 texts checked \(c-commit-land A\/B × c-commit-sea A\/B\)\n/);
    expect(r.stdout).toMatch(/\nexamples\/kyiv-2026\/framework\.yaml: 1 gap, 0 dead ends, \d+ other findings?: not ready to sign\n$/);
  }, 60_000);

  it('exits 0 on a fixed copy, also under --strict; --json gives positioned findings', async () => {
    const file = join(dir, 'fixed.yaml');
    writeFileSync(file, fixed());
    const ok = await runCli(['coverage', file]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toContain('Gaps');
    expect(ok.stdout).toMatch(/: 0 gaps, 0 dead ends, \d+ other findings?: no gap and no dead end\n$/);
    expect((await runCli(['coverage', file, '--strict'])).code).toBe(0);

    // --strict counts warnings too: the example's missing backup under alternative B is one.
    const strict = await runCli(['coverage', EXAMPLE, '--strict', '--json']);
    expect(strict.code).toBe(1);
    const json = JSON.parse(strict.stdout) as {
      exitCode: number;
      summary: { gaps: number; deadEnds: number; warnings: number };
      findings: { code: string; severity: string; line: number; col: number; clauses: string[] }[];
    };
    expect(json.exitCode).toBe(1);
    expect(json.summary).toMatchObject({ gaps: 1, deadEnds: 0 });
    expect(json.summary.warnings).toBeGreaterThanOrEqual(1);
    expect(json.findings.every((f) => f.line > 1 && f.clauses.length > 0)).toBe(true);
  }, 60_000);

  it('an invalid framework is reported with positions and exits 1; a usage mistake exits 2', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, SOURCE.replace('leadResponder: fr\n', 'leadResponder: fra\n'));
    const broken = await runCli(['coverage', file]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/broken\.yaml:\d+:\d+: error: .*lead responder "fra" is not a party/);
    expect(broken.stderr).toContain('the framework is invalid (1 error(s)), so its coverage cannot be checked');
    const usage = await runCli(['coverage']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: entente coverage FILE [--json] [--strict]');
  }, 60_000);
});
