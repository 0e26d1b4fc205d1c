import { randomUUID } from 'node:crypto';
import { armMetrics, compareArms, type Comparison, type ComparisonArm } from '../../core/stress/compare';
import type { StressResult } from '../../core/stress/metrics';
import { runStress, type PoolOptions, type StressSpec } from './pool';

/**
 * Stress runs of one node: launched through the API, followed by polling, cancellable. A job is
 * either one run (a text) or a comparison (the same scenario and seed against each alternative of
 * one clause, one after another). Jobs live in memory — their results are reproducible from the seed;
 * what must last (a comparison attached to a clause) goes to the journal.
 */

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface StressJob {
  readonly id: string;
  readonly owner: string;
  readonly kind: 'run' | 'compare';
  readonly clause: string | null;
  readonly scenario: { readonly id: string; readonly title: string };
  readonly seed: number;
  readonly runs: number;
  readonly version: number | null;
  state: JobState;
  done: number;
  readonly total: number;
  message: string;
  readonly createdAt: string;
  finishedAt: string | null;
  /** One result per arm (one for a plain run). */
  results: { readonly alternative: string | null; readonly label: string | null; readonly result: StressResult }[];
  comparison: Comparison | null;
  attached: { readonly position: number; readonly at: string } | null;
  readonly controller: AbortController;
}

export interface JobRequest {
  readonly owner: string;
  readonly spec: StressSpec;
  readonly version: number | null;
  /** For a comparison: the clause and its alternatives, in order. */
  readonly compare: { readonly clause: string; readonly alternatives: readonly { id: string; label: string }[] } | null;
  readonly now: string;
}

export class StressJobs {
  readonly jobs = new Map<string, StressJob>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: Omit<PoolOptions, 'signal' | 'onProgress'> = {},
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(request: JobRequest): StressJob {
    const arms = request.compare ? request.compare.alternatives.length : 1;
    const job: StressJob = {
      id: randomUUID(),
      owner: request.owner,
      kind: request.compare ? 'compare' : 'run',
      clause: request.compare?.clause ?? null,
      scenario: { id: request.spec.scenario.id, title: request.spec.scenario.title },
      seed: request.spec.seed,
      runs: request.spec.runs,
      version: request.version,
      state: 'queued',
      done: 0,
      total: request.spec.runs * arms,
      message: 'waiting for the runs before it to finish',
      createdAt: request.now,
      finishedAt: null,
      results: [],
      comparison: null,
      attached: null,
      controller: new AbortController(),
    };
    this.prune();
    this.jobs.set(job.id, job);
    // One job at a time per node: two would only share the same cores.
    this.queue = this.queue.then(() => this.execute(job, request));
    return job;
  }

  cancel(job: StressJob): boolean {
    if (job.state !== 'queued' && job.state !== 'running') return false;
    job.controller.abort();
    if (job.state === 'queued') this.end(job, 'cancelled', 'cancelled before it started');
    return true;
  }

  /** Finished jobs beyond the newest 50 are forgotten. */
  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.finishedAt !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - 50))) this.jobs.delete(j.id);
  }

  private end(job: StressJob, state: JobState, message: string): void {
    job.state = state;
    job.message = message;
    job.finishedAt = this.clock().toISOString();
  }

  private async execute(job: StressJob, request: JobRequest): Promise<void> {
    if (job.state !== 'queued') return;
    job.state = 'running';
    const arms = request.compare
      ? request.compare.alternatives.map((a) => ({ alternative: a.id, label: a.label }))
      : [{ alternative: null, label: null }];
    try {
      for (const [i, arm] of arms.entries()) {
        job.message = arm.label ? `running alternative ${arm.label} of ${request.compare!.clause}` : 'running';
        const spec: StressSpec = arm.alternative
          ? { ...request.spec, choice: { ...request.spec.choice, [request.compare!.clause]: arm.alternative } }
          : request.spec;
        const outcome = await runStress(spec, {
          ...this.options,
          signal: job.controller.signal,
          onProgress: (done) => (job.done = i * request.spec.runs + done),
        });
        if (!outcome.ok) {
          const state = 'code' in outcome && outcome.code === 'cancelled' ? 'cancelled' : 'failed';
          return this.end(job, state, outcome.message);
        }
        job.results.push({ ...arm, result: outcome.value });
      }
      if (request.compare) job.comparison = comparisonOf(job, request);
      this.end(job, 'done', `${job.total.toLocaleString('en')} runs done`);
    } catch (e) {
      this.end(job, 'failed', `the run failed: ${(e as Error).message}`);
    }
  }
}

function comparisonOf(job: StressJob, request: JobRequest): Comparison {
  const clause = request.compare!.clause;
  const arms: ComparisonArm[] = job.results.map((r) => ({
    alternative: r.alternative!,
    label: r.label!,
    variant: r.result.framework.variant,
    metrics: armMetrics(r.result, clause),
  }));
  const first = job.results[0]!.result;
  return {
    id: job.id,
    clause,
    scenario: { id: first.scenario.id, title: first.scenario.title, hash: first.scenario.hash },
    seed: job.seed,
    runs: job.runs,
    framework: { hash: request.spec.frameworkHash, version: request.version },
    arms,
    findings: compareArms(arms),
  };
}
