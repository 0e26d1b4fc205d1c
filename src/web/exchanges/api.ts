import { z } from 'zod';
import type { ApiClient, ApiResult } from '../api';

/*
 * Typed calls of the exchanges API (docs/exchanges-api.md). Codes are read as plain strings so that
 * a state or kind the server adds later shows by its code instead of failing the whole answer.
 */

const Count = z.union([z.number(), z.literal('<5')]);
export type Count = z.infer<typeof Count>;
const Counts = z.record(z.string(), Count);

export const Formula = z.object({
  id: z.string(),
  clause: z.string(),
  alternative: z.string().nullable(),
  sides: z.array(z.string()),
  intermediary: z.string(),
  basis: z.string(),
  ratio: z.array(z.number()).nullable(),
  trancheSize: z.number().nullable(),
  categoryRules: z.array(z.object({ category: z.string(), rule: z.string(), order: z.number() })),
});
export type Formula = z.infer<typeof Formula>;

export const Person = z.object({
  id: z.string(),
  side: z.string(),
  list: z.string(),
  category: z.string(),
  medicalPriority: z.string(),
  ageBand: z.string(),
  homeState: z.string(),
  report: z.string().nullable(),
  tranche: z.string().nullable(),
  exchanged: z.boolean(),
  refused: z.boolean(),
  declaredAt: z.string(),
});
export type Person = z.infer<typeof Person>;

export const Identity = z.object({
  familyName: z.string(),
  givenName: z.string(),
  patronymic: z.string().optional(),
  rank: z.string().optional(),
  serialNumber: z.string().optional(),
  dateOfBirth: z.string().optional(),
  nextOfKin: z.string().optional(),
});
export type Identity = z.infer<typeof Identity>;

export const Check = z.object({
  passes: z.boolean(),
  problems: z.array(z.object({ rule: z.string(), message: z.string() })),
  counts: z.record(z.string(), z.object({ total: z.number(), byCategory: z.record(z.string(), z.number()) })),
});
export type Check = z.infer<typeof Check>;

export const Tranche = z.object({
  id: z.string(),
  title: z.string(),
  formula: z.string(),
  alternative: z.string().nullable(),
  sides: z.array(z.string()),
  intermediary: z.string(),
  state: z.string(),
  proposedAt: z.string(),
  completedAt: z.string().nullable(),
  published: z.boolean(),
  countsDiffer: z.boolean(),
  persons: z.array(
    z.object({
      id: z.string(),
      side: z.string(),
      state: z.string(),
      category: z.string(),
      medicalPriority: z.string(),
      ageBand: z.string(),
    }),
  ),
  attestations: z.array(z.object({ party: z.string(), by: z.string(), at: z.string(), released: z.record(z.string(), z.number()) })),
  staged: z.record(z.string(), z.number()),
  check: Check.nullable(),
});
export type Tranche = z.infer<typeof Tranche>;

export const Discrepancy = z.object({
  kind: z.string(),
  side: z.string(),
  persons: z.array(z.string()),
  tranche: z.string().nullable(),
  detail: z.string(),
});
export type Discrepancy = z.infer<typeof Discrepancy>;
export const Reconciliation = z.object({
  sides: z.array(z.string()),
  matches: z.array(z.object({ requested: z.string(), held: z.string(), basis: z.string(), requestedBy: z.string() })),
  discrepancies: z.array(Discrepancy),
});
export type Reconciliation = z.infer<typeof Reconciliation>;

export const Aggregates = z.object({
  exact: z.boolean(),
  lists: z.array(z.object({ side: z.string(), held: Count, requested: Count, heldByCategory: Counts })),
  tranches: z.array(
    z.object({
      tranche: z.string(),
      title: z.string(),
      formula: z.string(),
      state: z.string(),
      proposedAt: z.string(),
      completedAt: z.string().nullable(),
      planned: Counts,
      released: Counts,
      refused: Count,
      byCategory: Counts,
    }),
  ),
  discrepancies: Counts,
});
export type Aggregates = z.infer<typeof Aggregates>;

export const Published = z.object({
  published: z.array(
    z.object({
      tranche: z.string(),
      title: z.string(),
      formula: z.string(),
      publishedAt: z.string(),
      released: Counts,
      byCategory: Counts,
    }),
  ),
});
export type Published = z.infer<typeof Published>;

const Appended = z.looseObject({ position: z.number() });
const Declared = z.looseObject({ persons: z.array(z.string()) });
const Proposed = z.looseObject({ id: z.string() });

export interface TrancheDraft {
  readonly formula: string;
  readonly alternative?: string;
  readonly title: string;
  readonly persons: Record<string, string[]>;
}
export interface PersonDraft {
  readonly category: string;
  readonly medicalPriority: string;
  readonly ageBand: string;
  readonly homeState: string;
  readonly identity: Record<string, string>;
}

const BASE = '/api/v1/exchanges';
const trancheUrl = (id: string) => `${BASE}/tranches/${encodeURIComponent(id)}`;

export const getFormulas = (api: ApiClient) => api.request('GET', `${BASE}/formulas`, z.object({ formulas: z.array(Formula) }));
export const getPersons = (api: ApiClient) => api.request('GET', `${BASE}/persons`, z.object({ persons: z.array(Person) }));
export const getIdentity = (api: ApiClient, id: string) =>
  api.request('GET', `${BASE}/persons/${encodeURIComponent(id)}/identity`, z.object({ id: z.string(), identity: Identity }));
export const getReconciliation = (api: ApiClient) => api.request('GET', `${BASE}/reconciliation`, Reconciliation);
export const getTranches = (api: ApiClient) => api.request('GET', `${BASE}/tranches`, z.object({ tranches: z.array(Tranche) }));
export const getAggregates = (api: ApiClient) => api.request('GET', `${BASE}/aggregates`, Aggregates);
export const getPublished = (api: ApiClient) => api.request('GET', `${BASE}/published`, Published);

export function declarePersons(
  api: ApiClient,
  list: string,
  persons: PersonDraft[],
  idempotencyKey?: string,
): Promise<ApiResult<z.infer<typeof Declared>>> {
  return api.request('POST', `${BASE}/persons`, Declared, { list, persons }, idempotencyKey ? { idempotencyKey } : {});
}
export function importCsv(api: ApiClient, list: string, csv: string): Promise<ApiResult<z.infer<typeof Declared>>> {
  return api.request('POST', `${BASE}/imports`, Declared, { list, csv });
}
export function reportPerson(api: ApiClient, id: string, status: 'dead' | 'released') {
  return api.request('POST', `${BASE}/persons/${encodeURIComponent(id)}/status`, Appended, { status });
}
export function checkTranche(api: ApiClient, draft: TrancheDraft): Promise<ApiResult<Check>> {
  return api.request('POST', `${BASE}/tranches/check`, Check, draft);
}
export function proposeTranche(api: ApiClient, draft: TrancheDraft): Promise<ApiResult<z.infer<typeof Proposed>>> {
  return api.request('POST', `${BASE}/tranches`, Proposed, draft);
}
export function verifyPerson(
  api: ApiClient,
  tranche: string,
  person: string,
  identityConfirmed: boolean,
  interview: 'consents' | 'refuses',
) {
  return api.request('POST', `${trancheUrl(tranche)}/verifications`, Appended, { person, identityConfirmed, interview });
}
export const stageVerified = (api: ApiClient, tranche: string) => api.request('POST', `${trancheUrl(tranche)}/stage`, Appended, {});
export const attestHandover = (api: ApiClient, tranche: string, released: Record<string, number>) =>
  api.request('POST', `${trancheUrl(tranche)}/attestations`, Appended, { released });
export const confirmTranche = (api: ApiClient, tranche: string) => api.request('POST', `${trancheUrl(tranche)}/confirm`, Appended, {});
export const publishTranche = (api: ApiClient, tranche: string) => api.request('POST', `${trancheUrl(tranche)}/publish`, Appended, {});

/** Journal events after which the page reloads what it shows. */
export const isExchangeEvent = (type: string): boolean => type.startsWith('exchange.');
