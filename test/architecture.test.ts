import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CORE = join(ROOT, 'src/core');

// Node modules that reach outside the process: files, network, processes, threads, the clock of the OS.
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|http2|dgram|dns|tls|child_process|cluster|worker_threads|os|process|readline|repl|vm|inspector|v8|perf_hooks|timers|timers\/promises)$/;
const OTHER_LAYERS = /(^|\/)(store|server|cli|web|runtime)(\/|$)/;
const IO_PACKAGES = /^(pg|better-sqlite3|fastify|@fastify\/.*|pino|@node-rs\/argon2|playwright-core|react|react-dom)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const found: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of source.matchAll(re)) found.push((m[1] ?? m[2] ?? m[3])!);
  return found;
}

export function coreViolations(): string[] {
  const violations: string[] = [];
  for (const file of files(CORE)) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const where = relative(ROOT, file);
      if (IO_MODULES.test(spec)) violations.push(`${where} imports the I/O module ${spec}`);
      else if (IO_PACKAGES.test(spec)) violations.push(`${where} imports ${spec}, which does I/O`);
      else if (spec.startsWith('.')) {
        const target = relative(CORE, join(file, '..', spec));
        if (target.startsWith('..') && OTHER_LAYERS.test(relative(join(ROOT, 'src'), join(file, '..', spec)))) {
          violations.push(`${where} imports ${spec}, another layer`);
        }
      }
    }
  }
  return violations;
}

describe('architecture', () => {
  it('src/core imports no I/O module and no other layer', () => {
    expect(coreViolations()).toEqual([]);
  });

  it('the check catches a violation', () => {
    expect(importsOf("import { readFileSync } from 'node:fs';\nimport x from '../../store/open';")).toEqual(['node:fs', '../../store/open']);
    expect(IO_MODULES.test('node:fs')).toBe(true);
    expect(IO_MODULES.test('node:crypto')).toBe(false);
    expect(OTHER_LAYERS.test('store/open')).toBe(true);
  });
});
