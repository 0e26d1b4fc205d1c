import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import type { Framework } from '../../core/framework/model';
import {
  attachComparison,
  Comparison,
  comparableAlternatives,
  comparisonStream,
  STRESS_PROJECTION,
  type StressState,
} from '../../core/stress/compare';
import { readScenarioFor, type Scenario } from '../../core/stress/scenario';
import { JOB_STATES, StressJobs, type StressJob } from '../../runtime/stress/jobs';
import { checkSize, MAX_RUNS } from '../../runtime/stress/pool';
import { loadReplay } from '../../runtime/stress/replay';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs } from './identity';

/**
 * Stress tests over HTTP: launch a run (or a comparison of the alternatives of one clause) of a
 * scenario against a recorded framework version, follow it by polling, cancel it, read its result,
 * and attach a finished comparison to its clause (a journaled event every participant reads in the
 * negotiating workspace). The simulation itself is core/stress; the workers and bounds runtime/stress.
 */

const SCENARIO_DIR = join(import.meta.dirname, '..', '..', '..', 'examples', 'kyiv-2026', 'scenarios');

interface ExampleScenario {
  readonly name: string;
  readonly text: string;
}

/** The example's scenarios, read once: what the page offers to start from. */
function exampleScenarios(): readonly ExampleScenario[] {
  try {
    return readdirSync(SCENARIO_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ name: f.replace(/\.yaml$/, ''), text: readFileSync(join(SCENARIO_DIR, f), 'utf8') }));
  } catch {
    return [];
  }
}
let examples: readonly ExampleScenario[] | null = null;
const examplesOnce = () => (examples ??= exampleScenarios());

const RunRequest = z
  .strictObject({
    /** The scenario as YAML text… */
    scenario: z
      .string()
      .min(1, 'the scenario is empty')
      .max(256 * 1024)
      .optional(),
    /** …or the name of one of the example's scenarios (GET /api/v1/stress/scenarios). */
    example: z.string().max(64).optional(),
    /** A recorded framework version; default the latest. */
    version: z.number().int().min(1).optional(),
    /** Alternatives chosen for bracketed clauses (clause id → alternative id or label); the rest take their first. */
    choice: z.record(z.string(), z.string()).default({}),
    /** Run the scenario against each alternative of this clause and compare. */
    compare: z.string().min(1).max(64).optional(),
    runs: z.number().int().min(1).max(MAX_RUNS),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1),
  })
  .refine((b) => (b.scenario === undefined) !== (b.example === undefined), {
    message: 'give either a scenario (YAML text) or an example name',
    path: ['scenario'],
  });

const Summary = z.object({
  id: z.string(),
  kind: z.enum(['run', 'compare']),
  clause: z.string().nullable(),
  scenario: z.object({ id: z.string(), title: z.string() }),
  seed: z.number().int(),
  runs: z.number().int(),
  version: z.number().int().nullable(),
  state: z.enum(JOB_STATES),
  done: z.number().int(),
  total: z.number().int(),
  message: z.string(),
  owner: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  attached: z.object({ position: z.number().int(), at: z.string() }).nullable(),
});
const JobOut = Summary.extend({
  /** core/stress `StressResult` per arm (the JSON the CLI writes). */
  results: z.array(
    z.object({ alternative: z.string().nullable(), label: z.string().nullable(), result: z.record(z.string(), z.unknown()) }),
  ),
  comparison: Comparison.nullable(),
});

const AttachedOut = Comparison.extend({ attachedAt: z.string(), attachedBy: z.string(), position: z.number().int() });

function summary(j: StressJob): z.infer<typeof Summary> {
  return {
    id: j.id,
    kind: j.kind,
    clause: j.clause,
    scenario: j.scenario,
    seed: j.seed,
    runs: j.runs,
    version: j.version,
    state: j.state,
    done: j.done,
    total: j.total,
    message: j.message,
    owner: j.owner,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
    attached: j.attached,
  };
}

const registries = new WeakMap<Services, StressJobs>();
function jobsOf(services: Services): StressJobs {
  let jobs = registries.get(services);
  if (!jobs) {
    const workers = Number(process.env.ENTENTE_STRESS_WORKERS ?? 2);
    jobs = new StressJobs({ workers: Number.isFinite(workers) ? workers : 2 }, services.now);
    registries.set(services, jobs);
  }
  return jobs;
}

/** The owner and mediators follow a run; to anyone else it does not exist. */
function visible(reader: Principal | null, job: StressJob): boolean {
  return reader !== null && (reader.username === job.owner || reader.roles.includes('mediator'));
}

function jobFor(services: Services, reader: Principal | null, id: string): Result<StressJob> {
  const job = jobsOf(services).jobs.get(id);
  if (!job || !visible(reader, job))
    return fail('not_found', `no stress run ${id} (runs live in the memory of the node that ran them)`, '/id');
  return ok(job);
}

function versionOf(services: Services, number: number | undefined): Result<{ doc: Framework; hash: string; number: number }> {
  const state = services.journal.image.framework;
  const v = number === undefined ? state.versions[state.versions.length - 1] : state.versions.find((x) => x.number === number);
  if (!v)
    return fail('not_found', number === undefined ? 'no framework version is recorded yet' : `no framework version ${number}`, '/version');
  const doc = state.documents.get(v.hash);
  if (!doc) return fail('not_found', `framework version ${v.number} is not held by this node`, '/version');
  return ok({ doc, hash: v.hash, number: v.number });
}

function scenarioFrom(text: string, name: string, doc: Framework): Result<Scenario> {
  const read = readScenarioFor(text, name, doc);
  if (read.ok) return ok(read.scenario);
  const first = read.problems[0]!;
  const more = read.problems.length > 1 ? ` (and ${read.problems.length - 1} more)` : '';
  return fail('validation_failed', `${name}:${first.line}:${first.col}: ${first.message}${more}`, '/scenario', { problems: read.problems });
}

export const stressRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/stress/scenarios',
    summary: "The example's stress scenarios (YAML) to start from",
    tag: 'stress',
    action: 'stress.read',
    response: z.object({ scenarios: z.array(z.object({ name: z.string(), text: z.string() })) }),
    async handler() {
      return ok({ scenarios: examplesOnce().map((e) => ({ ...e })) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/stress/runs',
    summary: 'Start a stress run (or a comparison of the alternatives of one clause); follow it at /api/v1/stress/runs/{id}',
    tag: 'stress',
    action: 'stress.run',
    body: RunRequest,
    status: 202,
    response: Summary,
    async handler({ body, reader, services }) {
      const version = versionOf(services, body.version);
      if (!version.ok) return version;
      const { doc } = version.value;
      let text: string;
      let name: string;
      let baseDir: string | null = null;
      if (body.example !== undefined) {
        const e = examplesOnce().find((x) => x.name === body.example);
        if (!e)
          return fail(
            'not_found',
            `no example scenario "${body.example}"; there are ${examplesOnce()
              .map((x) => x.name)
              .join(', ')}`,
            '/example',
          );
        text = e.text;
        name = `${e.name}.yaml`;
        baseDir = SCENARIO_DIR;
      } else {
        text = body.scenario!;
        name = 'scenario.yaml';
      }
      const scenario = scenarioFrom(text, name, doc);
      if (!scenario.ok) return scenario;
      // A replay reads a file on the server: only the example scenarios, whose files are known, may.
      if (scenario.value.replay && baseDir === null)
        return fail(
          'validation_failed',
          'a historical replay reads a file on the server: run it with the CLI, or use an example scenario',
          '/scenario',
        );
      const size = checkSize(body.runs, scenario.value.days);
      if (size) return fail('validation_failed', size, '/runs');
      let compare: { clause: string; alternatives: { id: string; label: string }[] } | null = null;
      if (body.compare !== undefined) {
        const alternatives = comparableAlternatives(doc, body.compare);
        if (!alternatives.ok) return { ...alternatives, pointer: '/compare' };
        compare = { clause: body.compare, alternatives: alternatives.value };
      }
      const replay = baseDir ? await loadReplay(scenario.value, baseDir) : ok([]);
      if (!replay.ok) return replay;
      const job = jobsOf(services).start({
        owner: reader!.username,
        spec: {
          framework: doc,
          frameworkHash: version.value.hash,
          scenario: scenario.value,
          choice: body.choice,
          replay: replay.value,
          seed: body.seed,
          runs: body.runs,
        },
        version: version.value.number,
        compare,
        now: services.now().toISOString(),
      });
      return ok(summary(job));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/stress/runs',
    summary: 'Your stress runs (a mediator sees all), newest first',
    tag: 'stress',
    action: 'stress.read',
    response: z.object({ runs: z.array(Summary) }),
    async handler({ reader, services }) {
      const runs = [...jobsOf(services).jobs.values()].filter((j) => visible(reader, j)).reverse();
      return ok({ runs: runs.map(summary) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/stress/runs/:id',
    summary: 'A stress run: progress, and its result when done',
    tag: 'stress',
    action: 'stress.read',
    params: z.object({ id: z.string().max(64) }),
    response: JobOut,
    async handler({ params, reader, services }) {
      const job = jobFor(services, reader, params.id);
      if (!job.ok) return job;
      const j = job.value;
      return ok({
        ...summary(j),
        results: j.results.map((r) => ({
          alternative: r.alternative,
          label: r.label,
          result: r.result as unknown as Record<string, unknown>,
        })),
        comparison: j.comparison,
      });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/stress/runs/:id',
    summary: 'Cancel a stress run that is queued or running',
    tag: 'stress',
    action: 'stress.run',
    params: z.object({ id: z.string().max(64) }),
    response: Summary,
    async handler({ params, reader, services }) {
      const job = jobFor(services, reader, params.id);
      if (!job.ok) return job;
      if (!jobsOf(services).cancel(job.value))
        return fail('invalid_transition', `stress run ${params.id} is ${job.value.state}: there is nothing to cancel`, '/id');
      return ok(summary(job.value));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/stress/runs/:id/attach',
    summary: 'Attach a finished comparison to its clause (journaled, visible to the process)',
    tag: 'stress',
    action: 'stress.attach',
    params: z.object({ id: z.string().max(64) }),
    status: 201,
    response: z.object({ position: z.number().int(), hash: z.string(), clause: z.string() }),
    async handler({ params, reader, services, idempotencyKey }) {
      const job = jobFor(services, reader, params.id);
      if (!job.ok) return job;
      const j = job.value;
      if (j.kind !== 'compare') return fail('invalid_transition', 'only a comparison of alternatives can be attached to a clause', '/id');
      if (j.state !== 'done' || !j.comparison)
        return fail('invalid_transition', `stress run ${j.id} is ${j.state}: attach it once it is done`, '/id');
      const appended = await appendAs(services, reader, attachComparison(j.comparison), idempotencyKey, {
        [comparisonStream(j.comparison.id)]: 'new',
      });
      if (!appended.ok) {
        if (appended.code === 'conflict')
          return fail('conflict', `this comparison is already attached to clause ${j.comparison.clause}`, '/id');
        return appended;
      }
      j.attached = { position: appended.value.position, at: services.now().toISOString() };
      return ok({ ...appended.value, clause: j.comparison.clause });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/stress/comparisons',
    summary: 'Comparisons attached to clauses (one clause with ?clause=), newest last',
    tag: 'stress',
    action: 'stress.read',
    query: z.object({ clause: z.string().max(64).optional() }),
    response: z.object({ comparisons: z.array(AttachedOut) }),
    async handler({ query, reader, services }) {
      // Comparisons are recorded with visibility `process`; the check stays here should that ever change.
      if (!canRead(reader, ['process'])) return ok({ comparisons: [] });
      const state = services.journal.image.state<StressState>(STRESS_PROJECTION);
      const all = [...state.comparisons.values()]
        .filter((c) => query.clause === undefined || c.clause === query.clause)
        .sort((a, b) => a.position - b.position);
      return ok({ comparisons: all.map((c) => ({ ...c })) });
    },
  }),
];
