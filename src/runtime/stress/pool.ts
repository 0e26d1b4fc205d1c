import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ok, type Result } from '../../core/errors';
import type { Framework } from '../../core/framework/model';
import { summarise, type StressResult } from '../../core/stress/metrics';
import { runSeed } from '../../core/stress/random';
import type { Scenario } from '../../core/stress/scenario';
import { prepareSimulation, type ReplayEvent } from '../../core/stress/setup';
import { simulateRun, type RunOutcome } from '../../core/stress/simulate';

/**
 * Monte Carlo over worker threads, bounded: a time limit (the whole run is stopped and refused past
 * it), a heap limit per worker (a worker that runs out is stopped and the run refused with a message
 * saying so), and cancellation through an AbortSignal. Outcomes are folded in the order of their run
 * index, so the result does not depend on how many workers ran it.
 */

export interface StressSpec {
  readonly framework: Framework;
  readonly frameworkHash: string | null;
  readonly scenario: Scenario;
  readonly choice: Readonly<Record<string, string>>;
  readonly replay: readonly ReplayEvent[];
  readonly seed: number;
  readonly runs: number;
}

export interface PoolOptions {
  /** 0 runs in this thread (yielding between runs); default: the cores available, at most 2. */
  readonly workers?: number;
  readonly timeLimitMs?: number;
  readonly memoryLimitMb?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_TIME_LIMIT_MS = 5 * 60_000;
export const DEFAULT_MEMORY_LIMIT_MB = 512;
/** Runs × days above this are refused before anything starts: the outcomes alone would not fit. */
export const MAX_RUN_DAYS = 5_000_000;
export const MAX_RUNS = 20_000;

export type StressFailure = {
  readonly ok: false;
  readonly code: 'cancelled' | 'time-limit' | 'memory-limit' | 'invalid';
  readonly message: string;
};

export function checkSize(runs: number, days: number): string | null {
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS)
    return `runs must be a whole number from 1 to ${MAX_RUNS.toLocaleString('en')}`;
  if (runs * days > MAX_RUN_DAYS)
    return `${runs.toLocaleString('en')} runs of ${days} days is more than ${MAX_RUN_DAYS.toLocaleString('en')} simulated days: fewer runs or a shorter scenario`;
  return null;
}

export async function runStress(spec: StressSpec, options: PoolOptions = {}): Promise<Result<StressResult> | StressFailure> {
  const size = checkSize(spec.runs, spec.scenario.days);
  if (size) return { ok: false, code: 'invalid', message: size };
  const prepared = prepareSimulation(spec.framework, spec.scenario, { choice: spec.choice, replay: spec.replay });
  if (!prepared.ok) return prepared;
  const workers = Math.min(options.workers ?? 2, spec.runs);
  const outcomes: (RunOutcome | undefined)[] = new Array(spec.runs);
  const collected =
    workers <= 0 ? await inThread(spec, prepared.value, outcomes, options) : await inWorkers(spec, workers, outcomes, options);
  if (!collected.ok) return collected;
  return ok(summarise(prepared.value, spec.seed, outcomes as RunOutcome[], spec.frameworkHash));
}

type Collected = { readonly ok: true } | StressFailure;

const timeLimitMessage = (ms: number) =>
  `the run was stopped at its time limit of ${+(ms / 1000).toFixed(1)} s; ask for fewer runs or a shorter scenario`;

async function inThread(
  spec: StressSpec,
  setup: Parameters<typeof simulateRun>[0],
  outcomes: (RunOutcome | undefined)[],
  options: PoolOptions,
): Promise<Collected> {
  const limit = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const started = performance.now();
  for (let i = 0; i < spec.runs; i++) {
    if (options.signal?.aborted) return { ok: false, code: 'cancelled', message: 'the run was cancelled' };
    if (performance.now() - started > limit) return { ok: false, code: 'time-limit', message: timeLimitMessage(limit) };
    outcomes[i] = simulateRun(setup, runSeed(spec.seed, i));
    options.onProgress?.(i + 1, spec.runs);
    // Let the node answer other requests between runs.
    if (i % 4 === 3) await new Promise<void>((r) => setImmediate(r));
  }
  return { ok: true };
}

const WORKER_FILE = join(import.meta.dirname, 'worker.ts');
const ROOT_PACKAGE = join(import.meta.dirname, '..', '..', '..', 'package.json');

let bundled: string | null | undefined;

/**
 * The worker and everything it imports as one CommonJS script, built once per process with esbuild
 * (installed with tsx and vite). Loading the sources through tsx costs each worker ~0.3–0.6 s of
 * resolving and transpiling (more on a loaded machine); the bundle costs one build (~0.3 s), then
 * ~0.15 s per worker to compile one script. Null when esbuild cannot be
 * loaded or the build fails: the workers then load the sources through tsx, as before.
 */
export function workerBundle(): string | null {
  if (bundled !== undefined) return bundled;
  try {
    const esbuild = createRequire(ROOT_PACKAGE)('esbuild') as typeof import('esbuild');
    const built = esbuild.buildSync({
      entryPoints: [WORKER_FILE],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    bundled = built.outputFiles[0]?.text ?? null;
  } catch {
    bundled = null;
  }
  return bundled;
}

function startWorker(spec: StressSpec, memoryLimitMb: number): Worker {
  const options = { eval: true, workerData: { stressSpec: spec }, resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb } };
  const bundle = workerBundle();
  if (bundle !== null) return new Worker(bundle, options);
  // The worker loads the TypeScript sources through tsx's require hook, registered in its own thread.
  return new Worker(
    `const { createRequire } = require('node:module');
     const req = createRequire(${JSON.stringify(ROOT_PACKAGE)});
     req('tsx/cjs/api').register();
     req(${JSON.stringify(WORKER_FILE)});`,
    options,
  );
}

function inWorkers(spec: StressSpec, count: number, outcomes: (RunOutcome | undefined)[], options: PoolOptions): Promise<Collected> {
  const limit = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const memory = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const slice = Math.max(1, Math.min(25, Math.ceil(spec.runs / (count * 8))));
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  return new Promise<Collected>((resolve) => {
    let settled = false;
    const settle = (r: Collected) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      resolve(r);
    };
    const timer = setTimeout(() => settle({ ok: false, code: 'time-limit', message: timeLimitMessage(limit) }), limit);
    const onAbort = () => settle({ ok: false, code: 'cancelled', message: 'the run was cancelled' });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    const feed = (w: Worker) => {
      if (next >= spec.runs) return;
      const from = next;
      next = Math.min(spec.runs, next + slice);
      w.postMessage({ from, to: next });
    };
    for (let i = 0; i < count; i++) {
      const w = startWorker(spec, memory);
      pool.push(w);
      w.on('message', (m: { type: string; index?: number; outcome?: RunOutcome; message?: string }) => {
        if (m.type === 'ready' || m.type === 'idle') feed(w);
        else if (m.type === 'failed') settle({ ok: false, code: 'invalid', message: m.message ?? 'the simulation could not be prepared' });
        else if (m.type === 'run') {
          outcomes[m.index!] = m.outcome!;
          done++;
          options.onProgress?.(done, spec.runs);
          if (done === spec.runs) settle({ ok: true });
        }
      });
      w.on('error', (e: Error & { code?: string }) => {
        settle(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? {
                ok: false,
                code: 'memory-limit',
                message: `a worker ran out of its ${memory} MB memory limit; ask for fewer runs or a shorter scenario`,
              }
            : { ok: false, code: 'invalid', message: `a worker failed: ${e.message}` },
        );
      });
    }
  });
}
