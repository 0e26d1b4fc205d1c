import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './process';

const FRAMEWORK = 'examples/kyiv-2026/framework.yaml';
const REHEATING = 'examples/kyiv-2026/scenarios/reheating.yaml';
const dir = mkdtempSync(join(tmpdir(), 'entente-stress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('entente stress', () => {
  it('writes the same JSON for the same seed, a report with plots, and shows progress on stderr', async () => {
    const args = (out: string) => [
      'stress',
      FRAMEWORK,
      '--scenario',
      REHEATING,
      '--runs',
      '3',
      '--seed',
      '11',
      '--compare',
      'c-commit-sea',
      '--workers',
      '0',
      '--out',
      join(dir, out),
    ];
    const a = await runCli(args('a'));
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('alternative B [##############################] 100% 3/3 runs');
    expect(a.stdout).toMatch(/Under alternative B, .* coverage gap .*corridor-buffer.*none under A/);
    const b = await runCli(args('b'));
    expect(b.code).toBe(0);
    const json = readFileSync(join(dir, 'a', 'result.json'), 'utf8');
    expect(readFileSync(join(dir, 'b', 'result.json'), 'utf8')).toBe(json);
    const parsed = JSON.parse(json) as { comparison: { clause: string }; results: { result: { runs: number } }[] };
    expect(parsed.comparison.clause).toBe('c-commit-sea');
    expect(parsed.results.map((r) => r.result.runs)).toEqual([3, 3]);
    const html = readFileSync(join(dir, 'a', 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });

  it('refuses a scenario naming a zone the framework lacks, with file, line and column', async () => {
    const text = readFileSync(join(ROOT, REHEATING), 'utf8').replace('zone: corridor-buffer', 'zone: azov-buffer');
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const r = await runCli(['stress', FRAMEWORK, '--scenario', file, '--runs', '2', '--seed', '1']);
    expect(r.code).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('azov-buffer')) + 1;
    expect(r.stderr).toMatch(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+: error: zone "azov-buffer" is not in the framework`),
    );
  });

  it('explains a usage mistake and exits 2', async () => {
    const r = await runCli(['stress', FRAMEWORK, '--scenario', REHEATING, '--runs', 'many', '--seed', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--runs is a whole number');
  });
});
