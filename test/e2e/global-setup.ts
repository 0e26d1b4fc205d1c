import { existsSync } from 'node:fs';
import { CHROMIUM, ensureWebBuilt } from './build';

/** Builds the web app once before the browser suites (they also check, so this only saves the wait). */
export default function setup(): void {
  if (existsSync(CHROMIUM) || process.env.CI) ensureWebBuilt();
}
