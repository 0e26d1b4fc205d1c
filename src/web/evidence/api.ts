import { z } from 'zod';
import * as tus from 'tus-js-client';
import type { ApiClient, ApiResult } from '../api';

/*
 * Typed calls of the evidence API (docs/evidence-api.md), the browser's SHA-256 of the original bytes
 * (Web Crypto, before any byte leaves the device) and the resumable upload (tus).
 */

const FileFacts = z.object({
  sha256: z.string(),
  clientSha256: z.string(),
  bytes: z.number(),
  mediaType: z.string(),
  declaredType: z.string(),
  filename: z.string(),
});
export const ItemSummary = z.object({
  id: z.string(),
  kind: z.string(),
  file: FileFacts,
  caseId: z.string().nullable(),
  parent: z.object({ item: z.string(), sha256: z.string(), action: z.string(), description: z.string() }).nullable(),
  capturedBy: z.string(),
  party: z.string().nullable(),
  capturedAt: z.string(),
  discrepancies: z.number(),
  verifications: z.number(),
  challenges: z.number(),
  derivatives: z.number(),
  published: z.boolean(),
  custodyEvents: z.number(),
});
export type ItemSummary = z.infer<typeof ItemSummary>;

const Position = z.object({ lon: z.number(), lat: z.number(), accuracy_m: z.number() });
export const ItemDetail = ItemSummary.extend({
  capture: z
    .object({
      deviceTime: z.string().nullable(),
      position: Position.nullable(),
      receivedAt: z.string(),
      exif: z
        .object({
          takenAt: z.string().nullable(),
          offset: z.string().nullable(),
          position: z.object({ lon: z.number(), lat: z.number() }).nullable(),
          make: z.string().nullable(),
          model: z.string().nullable(),
          software: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
  flags: z.array(z.object({ code: z.string(), message: z.string() })),
  note: z.string(),
  readers: z.array(z.string()),
  custodian: z.string().nullable(),
  derivativeItems: z.array(ItemSummary),
  verificationRecords: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      analyst: z.string(),
      party: z.string().nullable(),
      performedOn: z.string(),
      recordedAt: z.string(),
      method: z.string(),
      finding: z.string(),
      conclusion: z.string(),
    }),
  ),
  challengeRecords: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      refersTo: z.string().nullable(),
      text: z.string(),
      by: z.string(),
      party: z.string().nullable(),
      at: z.string(),
    }),
  ),
  publishedAt: z.string().nullable(),
  reporterSealed: z.boolean().nullable(),
  custody: z.array(
    z.object({
      position: z.number(),
      version: z.number(),
      type: z.string(),
      actor: z.string(),
      party: z.string().nullable(),
      at: z.string(),
      purpose: z.string(),
      summary: z.string(),
    }),
  ),
});
export type ItemDetail = z.infer<typeof ItemDetail>;

export const Captured = z.object({
  id: z.string(),
  sha256: z.string(),
  clientSha256: z.string(),
  hashesMatch: z.boolean(),
  mediaType: z.string(),
  bytes: z.number(),
  flags: z.array(z.object({ code: z.string(), message: z.string() })),
});
export type Captured = z.infer<typeof Captured>;

export const Limits = z.object({ maxBytes: z.number(), acceptedTypes: z.array(z.string()), uploads: z.string() });
export type Limits = z.infer<typeof Limits>;

const CaseList = z.object({
  cases: z.array(
    z.looseObject({
      id: z.string(),
      number: z.number(),
      status: z.string(),
      types: z.array(z.string()),
      firstOccurredAt: z.string().nullable(),
    }),
  ),
});
export type CaseChoice = z.infer<typeof CaseList>['cases'][number];
const Appended = z.looseObject({ position: z.number() });

export interface CaptureMeta {
  readonly filename: string;
  readonly mediaType: string;
  readonly caseId: string | null;
  readonly deviceTime: string | null;
  readonly position: { lon: number; lat: number; accuracy_m: number } | null;
  readonly purpose: string;
  readonly note: string;
  readonly reporter?: { name: string; contact: string };
}

const q = encodeURIComponent;

export const getLimits = (api: ApiClient): Promise<ApiResult<Limits>> => api.request('GET', '/api/v1/evidence/limits', Limits);
export const listItems = (api: ApiClient): Promise<ApiResult<{ items: ItemSummary[] }>> =>
  api.request('GET', '/api/v1/evidence/items', z.object({ items: z.array(ItemSummary) }));
export const listCases = (api: ApiClient): Promise<ApiResult<z.infer<typeof CaseList>>> =>
  api.request('GET', '/api/v1/cases?limit=200', CaseList);
/** Opening an item is a custody event: the server records who, when and why before answering. */
export const openItem = (api: ApiClient, id: string, purpose: string): Promise<ApiResult<ItemDetail>> =>
  api.request('GET', `/api/v1/evidence/items/${q(id)}?purpose=${q(purpose)}`, ItemDetail);
export const contentUrl = (id: string, purpose: string): string => `/api/v1/evidence/items/${q(id)}/content?purpose=${q(purpose)}`;
export const submitCapture = (
  api: ApiClient,
  upload: string,
  sha256: string,
  meta: CaptureMeta,
  key: string,
): Promise<ApiResult<Captured>> =>
  api.request('POST', '/api/v1/evidence/items', Captured, { upload, sha256, ...meta }, { idempotencyKey: key });
export const submitDerivative = (
  api: ApiClient,
  parent: string,
  body: { upload: string; sha256: string; filename: string; mediaType: string; action: string; description: string; purpose: string },
): Promise<ApiResult<Captured>> => api.request('POST', `/api/v1/evidence/items/${q(parent)}/derivatives`, Captured, body);
export const recordVerification = (
  api: ApiClient,
  id: string,
  body: { kind: string; performedOn: string; method: string; finding: string; conclusion: string },
): Promise<ApiResult<unknown>> => api.request('POST', `/api/v1/evidence/items/${q(id)}/verifications`, Appended, body);
export const recordChallenge = (
  api: ApiClient,
  id: string,
  body: { kind: string; refersTo: string | null; text: string },
): Promise<ApiResult<unknown>> => api.request('POST', `/api/v1/evidence/items/${q(id)}/challenges`, Appended, body);
export const changeAccess = (
  api: ApiClient,
  id: string,
  body: { grant: string[]; revoke: string[]; purpose: string },
): Promise<ApiResult<unknown>> => api.request('POST', `/api/v1/evidence/items/${q(id)}/access`, Appended, body);
export const transferCustody = (api: ApiClient, id: string, body: { to: string; purpose: string }): Promise<ApiResult<unknown>> =>
  api.request('POST', `/api/v1/evidence/items/${q(id)}/transfer`, Appended, body);
export const publishItem = (api: ApiClient, id: string, purpose: string): Promise<ApiResult<unknown>> =>
  api.request('POST', `/api/v1/evidence/items/${q(id)}/publish`, Appended, { purpose });

export { sha256Of } from './sha256';

/**
 * Uploads the file with tus: in chunks, resumable after a broken connection or a closed tab (tus-js-client
 * remembers the upload URL by the file's fingerprint), with progress. Answers the upload id.
 */
export function uploadFile(
  file: Blob,
  name: string,
  csrf: string | null,
  onProgress: (sent: number, total: number) => void,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(file, {
      endpoint: '/api/v1/evidence/uploads',
      chunkSize: 4 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000],
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      metadata: { filename: name },
      headers: csrf ? { 'X-CSRF-Token': csrf } : {},
      onProgress: (sent, total) => onProgress(sent, total),
      onError: (error) => reject(error),
      onSuccess: () => resolve(upload.url!.split('/').pop()!),
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]!);
      upload.start();
    });
  });
}
