import { z } from 'zod';
import type { ApiClient, ApiResult } from '../api';

/*
 * Typed calls of the prosperity API (issue 9). Codes (stages, instruments, sectors) are read as plain
 * strings, so a value the server adds later shows by its code instead of failing the whole answer.
 * Amounts stay decimal strings end to end; the page only turns them into numbers to size bars.
 */

const Stages = z.record(z.string(), z.string());
const MoneyRow = z.object({ key: z.string(), stages: Stages, total: z.string() });
const Label = z.object({ en: z.string(), uk: z.string() });

export const Overview = z.object({
  asOf: z.string(),
  currency: z.string(),
  total: z.string(),
  stages: Stages,
  byInstrument: z.array(MoneyRow),
  bySector: z.array(MoneyRow.extend({ label: Label })),
  byOblast: z.array(MoneyRow.extend({ label: Label })),
  byDonor: z.array(MoneyRow.extend({ name: z.string() })),
  unconverted: z.array(z.object({ pledge: z.string(), currency: z.string(), amount: z.string(), on: z.string() })),
  counts: z.object({ pledges: z.number(), tranches: z.number(), locked: z.number(), releasable: z.number(), released: z.number() }),
});
export type Overview = z.infer<typeof Overview>;
export type MoneyRow = z.infer<typeof MoneyRow>;

export const Evidence = z.object({
  kind: z.string(),
  text: z.string(),
  at: z.string().optional(),
  caseId: z.string().optional(),
  caseNumber: z.number().optional(),
  severity: z.number().optional(),
  zones: z.array(z.string()).optional(),
  version: z.number().optional(),
  hash: z.string().optional(),
  position: z.number().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Milestone = z.object({
  type: z.string(),
  label: z.string(),
  holds: z.boolean(),
  since: z.string().nullable(),
  unlocksAt: z.string().nullable(),
  progress: z.object({ days: z.number(), of: z.number() }).nullable(),
  evidence: z.array(Evidence),
});
export type Milestone = z.infer<typeof Milestone>;

export const Condition = z.object({
  label: z.string(),
  source: z.object({ id: z.string(), clauses: z.array(z.string()), version: z.number().nullable(), provisional: z.boolean() }).nullable(),
  holds: z.boolean(),
  since: z.string().nullable(),
  unlocksAt: z.string().nullable(),
  milestones: z.array(Milestone),
});
export type Condition = z.infer<typeof Condition>;

const Flow = z.object({ id: z.string(), amount: z.string(), on: z.string(), text: z.string(), actor: z.string(), recordedAt: z.string() });

export const Tranche = z.object({
  id: z.string(),
  label: z.string(),
  stage: z.string(),
  amount: z.string(),
  currency: z.string(),
  approver: z.string(),
  plannedOn: z.string(),
  pledge: z.string(),
  commitment: z.string(),
  donor: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  instrument: z.string(),
  project: z.object({ id: z.string(), title: z.string(), sector: z.string(), oblast: z.string() }),
  releasable: z.boolean(),
  since: z.string().nullable(),
  unlocksAt: z.string().nullable(),
  conditions: z.array(Condition),
  release: z.object({ by: z.string(), at: z.string(), note: z.string(), position: z.number() }).nullable(),
  disbursements: z.array(Flow),
  expenditures: z.array(Flow),
  timeline: z.array(
    z.object({ releasable: z.boolean(), since: z.string().nullable(), at: z.string(), reason: z.string(), position: z.number() }),
  ),
});
export type Tranche = z.infer<typeof Tranche>;
const TrancheList = z.object({ asOf: z.string(), tranches: z.array(Tranche) });

export const Unlocks = z.object({
  asOf: z.string(),
  days: z.number(),
  horizon: z.string(),
  currency: z.string(),
  total: z.string(),
  unlocks: z.array(
    z.object({
      tranche: z.string(),
      label: z.string(),
      pledge: z.string(),
      donor: z.string(),
      instrument: z.string(),
      amount: z.string(),
      currency: z.string(),
      reportingAmount: z.string().nullable(),
      unlocksAt: z.string(),
    }),
  ),
});
export type Unlocks = z.infer<typeof Unlocks>;

const Appended = z.looseObject({ position: z.number(), id: z.string() });

export function getOverview(api: ApiClient): Promise<ApiResult<Overview>> {
  return api.request('GET', '/api/v1/prosperity/overview', Overview);
}
export function getTranches(api: ApiClient): Promise<ApiResult<z.infer<typeof TrancheList>>> {
  return api.request('GET', '/api/v1/prosperity/tranches', TrancheList);
}
export function getUnlocks(api: ApiClient, days: number): Promise<ApiResult<Unlocks>> {
  return api.request('GET', `/api/v1/prosperity/unlocks?days=${days}`, Unlocks);
}
export function releaseTranche(api: ApiClient, id: string, note: string, idempotencyKey: string) {
  return api.request('POST', `/api/v1/prosperity/tranches/${encodeURIComponent(id)}/release`, Appended, { note }, { idempotencyKey });
}
export function attest(api: ApiClient, what: string, idempotencyKey: string) {
  return api.request('POST', '/api/v1/prosperity/attestations', Appended, { what }, { idempotencyKey });
}

export const IATI_XML = '/api/v1/prosperity/iati.xml';
export const OCDS_JSON = '/api/v1/prosperity/ocds.json';
export const BOUNDARIES_URL = '/geo/ukraine-boundaries.geojson';

/** Journal events after which the page reloads what it shows (money, flips, and what conditions read). */
export function isProsperityEvent(type: string): boolean {
  return (
    /^(prosperity\.|pledge\.|commitment\.|tranche\.|disbursement\.|expenditure\.|milestone\.attested)/.test(type) ||
    type === 'case.status-changed' ||
    type === 'case.finding-recorded' ||
    type === 'framework.force-changed'
  );
}

/** A decimal string as a number, only to size a bar or shade a map (figures shown stay the strings). */
export function magnitude(decimal: string): number {
  const n = Number(decimal);
  return Number.isFinite(n) ? n : 0;
}
