import { z } from 'zod';
import type { ApiClient, ApiResult } from '../api';

/*
 * Typed calls of the stress-test API (docs/stress-api.md). The result is read loosely where the page
 * only draws it, so that a figure the server adds later does not break the page.
 */

const Spread = z.object({ mean: z.number(), p10: z.number(), p50: z.number(), p90: z.number() });
const Histogram = z.object({ edges: z.array(z.number()), counts: z.array(z.number()), unit: z.string() });

/** Amounts are exact decimal strings (as prosperity keeps them); numbers only size the charts. */
const MoneyMetrics = z.object({
  currencies: z.array(
    z.object({
      currency: z.string(),
      planned: z.string(),
      expected: z.string(),
      p10: z.string(),
      p50: z.string(),
      p90: z.string(),
      byDay: z.array(z.string()),
    }),
  ),
  tranches: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      currency: z.string(),
      amount: z.string(),
      unlockedShare: z.number(),
      day: z.object({ p10: z.number(), p50: z.number(), p90: z.number() }).nullable(),
      expected: z.string(),
    }),
  ),
});

export const StressResult = z.object({
  scenario: z.object({ id: z.string(), title: z.string(), hash: z.string(), days: z.number(), start: z.string() }),
  framework: z.object({ hash: z.string().nullable(), variant: z.string(), choice: z.record(z.string(), z.string()) }),
  seed: z.number(),
  runs: z.number(),
  metrics: z.object({
    breachesPerRun: Spread,
    reportsPerRun: z.number(),
    reachedShare: z.number(),
    fates: z.record(z.string(), z.number()),
    firstResponse: z.object({ samples: z.number(), p50Hours: z.number().nullable(), p90Hours: z.number().nullable() }),
    gapBreaches: z.object({ perRun: z.number(), share: z.number(), cells: z.array(z.object({ cell: z.string(), perRun: z.number() })) }),
    escalationsPerRun: z.object({
      opened: z.number(),
      responded: z.number(),
      deadEnd: z.number(),
      veto: z.number(),
      unresolved: z.number(),
    }),
    falseTriggersPerRun: z.number(),
    daysHeld: Spread.extend({ of: z.number() }),
    money: MoneyMetrics.nullable(),
  }),
  distributions: z.object({ firstResponseHours: Histogram, breachesPerRun: Histogram, daysHeld: Histogram }),
  series: z.object({ breaches: z.array(z.number()), escalations: z.array(z.number()) }),
  clauses: z.array(
    z.object({
      clause: z.string(),
      gap: z.number(),
      deadEnd: z.number(),
      veto: z.number(),
      missedRungs: z.number(),
      falseTriggers: z.number(),
      perRun: z.number(),
    }),
  ),
  notes: z.array(z.string()),
});
export type StressResult = z.infer<typeof StressResult>;
export type MoneyMetrics = z.infer<typeof MoneyMetrics>;
export type Histogram = z.infer<typeof Histogram>;

export const ArmMetrics = z.object({
  reachedShare: z.number(),
  gapBreachesPerRun: z.number(),
  gapShare: z.number(),
  gapCells: z.array(z.string()),
  firstResponseP50Hours: z.number().nullable(),
  firstResponseP90Hours: z.number().nullable(),
  moneyUnlocked: z.array(z.object({ currency: z.string(), expected: z.string(), planned: z.string() })).optional(),
  escalationsPerRun: z.number(),
  deadEndPerRun: z.number(),
  vetoPerRun: z.number(),
  falseTriggersPerRun: z.number(),
  daysHeldMean: z.number(),
  clauseFailuresPerRun: z.number(),
});
export type ArmMetrics = z.infer<typeof ArmMetrics>;

export const Comparison = z.object({
  id: z.string(),
  clause: z.string(),
  scenario: z.object({ id: z.string(), title: z.string(), hash: z.string() }),
  seed: z.number(),
  runs: z.number(),
  framework: z.object({ hash: z.string().nullable(), version: z.number().nullable() }),
  arms: z.array(z.object({ alternative: z.string(), label: z.string(), variant: z.string(), metrics: ArmMetrics })),
  findings: z.array(z.string()),
});
export type Comparison = z.infer<typeof Comparison>;
export const AttachedComparison = Comparison.extend({ attachedAt: z.string(), attachedBy: z.string(), position: z.number() });
export type AttachedComparison = z.infer<typeof AttachedComparison>;

export const RunSummary = z.object({
  id: z.string(),
  kind: z.string(),
  clause: z.string().nullable(),
  scenario: z.object({ id: z.string(), title: z.string() }),
  seed: z.number(),
  runs: z.number(),
  version: z.number().nullable(),
  state: z.string(),
  done: z.number(),
  total: z.number(),
  message: z.string(),
  owner: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  attached: z.object({ position: z.number(), at: z.string() }).nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;
export const Run = RunSummary.extend({
  results: z.array(z.object({ alternative: z.string().nullable(), label: z.string().nullable(), result: StressResult })),
  comparison: Comparison.nullable(),
});
export type Run = z.infer<typeof Run>;

export const FINISHED = ['done', 'failed', 'cancelled'];

export interface RunRequest {
  readonly scenario?: string;
  readonly example?: string;
  readonly runs: number;
  readonly seed: number;
  readonly compare?: string;
  readonly version?: number;
}

export function getScenarios(api: ApiClient): Promise<ApiResult<{ scenarios: { name: string; text: string }[] }>> {
  return api.request('GET', '/api/v1/stress/scenarios', z.object({ scenarios: z.array(z.object({ name: z.string(), text: z.string() })) }));
}
export function listRuns(api: ApiClient): Promise<ApiResult<{ runs: RunSummary[] }>> {
  return api.request('GET', '/api/v1/stress/runs', z.object({ runs: z.array(RunSummary) }));
}
export function startRun(api: ApiClient, request: RunRequest): Promise<ApiResult<RunSummary>> {
  return api.request('POST', '/api/v1/stress/runs', RunSummary, request);
}
export function getRun(api: ApiClient, id: string): Promise<ApiResult<Run>> {
  return api.request('GET', `/api/v1/stress/runs/${encodeURIComponent(id)}`, Run);
}
export function cancelRun(api: ApiClient, id: string): Promise<ApiResult<RunSummary>> {
  return api.request('DELETE', `/api/v1/stress/runs/${encodeURIComponent(id)}`, RunSummary);
}
export function attachRun(api: ApiClient, id: string, idempotencyKey: string): Promise<ApiResult<{ position: number; clause: string }>> {
  return api.request(
    'POST',
    `/api/v1/stress/runs/${encodeURIComponent(id)}/attach`,
    z.object({ position: z.number(), hash: z.string(), clause: z.string() }),
    undefined,
    {
      idempotencyKey,
    },
  );
}
export function getComparisons(api: ApiClient, clause: string): Promise<ApiResult<{ comparisons: AttachedComparison[] }>> {
  return api.request(
    'GET',
    `/api/v1/stress/comparisons?clause=${encodeURIComponent(clause)}`,
    z.object({ comparisons: z.array(AttachedComparison) }),
  );
}
export const isStressEvent = (type: string) => type.startsWith('stress.');
