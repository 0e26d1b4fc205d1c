import { z } from 'zod';
import type { ApiClient, ApiResult } from '../api';

/*
 * Typed calls of the journal's tree-log routes (docs/journal-proofs.md). Everything here is hashes and
 * signatures: the browser checks them itself (merkle-verify.ts) rather than taking the node's word.
 */

const Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const SignedTreeHead = z.object({
  size: z.number().int().min(0),
  root: Hex,
  issuedAt: z.string(),
  keyId: z.string(),
  publicKey: z.string(),
  signature: z.string(),
  timestamps: z.array(z.object({ authority: z.string(), token: z.string() })),
});
export type SignedTreeHead = z.infer<typeof SignedTreeHead>;

const TreeHeads = z.object({ heads: z.array(SignedTreeHead), next: z.number().int().nullable(), size: z.number().int() });

export const InclusionProof = z.object({
  position: z.number().int(),
  size: z.number().int(),
  leafData: Hex,
  proof: z.array(Hex),
  root: Hex,
  head: SignedTreeHead.nullable(),
});
export type InclusionProof = z.infer<typeof InclusionProof>;

export const ConsistencyProof = z.object({
  fromSize: z.number().int(),
  toSize: z.number().int(),
  proof: z.array(Hex),
  fromRoot: Hex,
  toRoot: Hex,
});
export type ConsistencyProof = z.infer<typeof ConsistencyProof>;

/** The latest signed head; a 404 (`not_found`) means none has been signed yet. */
export function getLatestHead(api: ApiClient): Promise<ApiResult<SignedTreeHead>> {
  return api.request('GET', '/api/v1/journal/tree-head', SignedTreeHead);
}

/** Heads oldest first; pages through at most `maxPages` pages (a head a minute is ~500 a working day). */
export async function getHeads(api: ApiClient, maxPages = 20): Promise<ApiResult<SignedTreeHead[]>> {
  const heads: SignedTreeHead[] = [];
  let after = -1;
  for (let page = 0; page < maxPages; page++) {
    const r = await api.request('GET', `/api/v1/journal/tree-heads?after=${after}&limit=1000`, TreeHeads);
    if (!r.ok) return r;
    heads.push(...r.value.heads);
    if (r.value.next === null) break;
    after = r.value.next;
  }
  return { ok: true, value: heads };
}

export function getInclusionProof(api: ApiClient, position: number, size: number): Promise<ApiResult<InclusionProof>> {
  return api.request('GET', `/api/v1/journal/proof?position=${position}&size=${size}`, InclusionProof);
}

export function getConsistencyProof(api: ApiClient, from: number, to: number): Promise<ApiResult<ConsistencyProof>> {
  return api.request('GET', `/api/v1/journal/consistency?from=${from}&to=${to}`, ConsistencyProof);
}

/** Admins: sign (and time-stamp) a head over the whole journal now. */
export function signHeadNow(api: ApiClient): Promise<ApiResult<SignedTreeHead>> {
  return api.request('POST', '/api/v1/journal/tree-head', SignedTreeHead);
}
