/**
 * `npm run bench -- NAME` runs bench/NAME.ts. Each benchmark prints a table measured in one run,
 * with its comparison beside it (the machine is shared and noisy: read ratios and medians).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('lib'))
  .map((f) => f.replace(/\.ts$/, ''));

const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME   (one of: ${available.join(', ')})`);
  process.exit(2);
}
const mod = (await import(join(here, `${name}.ts`))) as { run: (args: string[]) => Promise<void> };
await mod.run(process.argv.slice(3));
