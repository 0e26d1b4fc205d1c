/* Building the web app for the browser tests: once, and only when the sources changed. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CHROMIUM = '/usr/bin/chromium';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}

/** Builds dist/web when it is missing or older than its sources (src/web, and src/core which it imports). */
export function ensureWebBuilt(): void {
  const built = join(ROOT, 'dist', 'web', 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'src', 'web')), newestMtime(join(ROOT, 'src', 'core')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  // One build at a time, even when several suites start together: mkdir is atomic.
  const lock = join(ROOT, 'dist', '.web-build.lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} is held for too long; remove it if no build is running`);
      spawnSync('sleep', ['0.5']);
    }
  }
  try {
    if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'src/web/vite.config.ts', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        // Vitest sets NODE_ENV=test, which would make Vite emit React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (result.status !== 0) throw new Error(`npm run build:web failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
