import { canonicalize } from '../journal/canonical';
import { runSeed } from './random';
import { summarise, type StressResult } from './metrics';
import { simulateRun, type RunOutcome } from './simulate';
import type { SimulationSetup } from './setup';

/**
 * Runs in one thread: the reference the worker pool must agree with, and what tests and small CLI
 * runs use. Run i always uses `runSeed(seed, i)`.
 */
export function simulateRuns(setup: SimulationSetup, seed: number, runs: number, onRun?: (done: number) => void): RunOutcome[] {
  const out: RunOutcome[] = [];
  for (let i = 0; i < runs; i++) {
    out.push(simulateRun(setup, runSeed(seed, i)));
    onRun?.(i + 1);
  }
  return out;
}

export function stressTest(setup: SimulationSetup, seed: number, runs: number, frameworkHash: string | null = null): StressResult {
  return summarise(setup, seed, simulateRuns(setup, seed, runs), frameworkHash);
}

/** The result as JSON: canonical (RFC 8785), so equal results are equal bytes. */
export function resultJson(result: StressResult): string {
  return canonicalize(result);
}
