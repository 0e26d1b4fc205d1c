import { z } from 'zod';
import type { ApiClient, ApiResult } from '../api';
import type { Sharing } from './gradient';

/*
 * Typed calls of the negotiation API (issue 6 contract). Codes are read as plain strings, so a
 * gradient or status the server adds later shows by its code instead of failing the whole answer.
 */

export const Position = z.object({
  party: z.string(),
  clause: z.string(),
  alternative: z.string().nullable(),
  gradient: z.string(),
  reason: z.string(),
  redLine: z.string().nullable(),
  sharing: z.string(),
  recordedAt: z.string(),
  /** The date the position speaks for (a past round entered later), when the server says it. */
  asOf: z.string().optional(),
  actor: z.string(),
});
export type Position = z.infer<typeof Position>;
export const PositionList = z.object({ positions: z.array(Position), history: z.array(Position) });
export type PositionList = z.infer<typeof PositionList>;

const Cell = z.object({ gradient: z.string(), alternative: z.string().nullable(), sharing: z.string() }).nullable();
export const GapMap = z.object({
  parties: z.array(z.string()),
  clauses: z.array(
    z.object({
      clause: z.string(),
      title: z.string(),
      status: z.string(),
      openBrackets: z.number().int().nonnegative(),
      cells: z.record(z.string(), Cell),
      gap: z.object({ spread: z.number(), blocks: z.number().int(), shared: z.number().int() }).nullable(),
    }),
  ),
  alignment: z.array(z.object({ a: z.string(), b: z.string(), score: z.number() })),
});
export type GapMap = z.infer<typeof GapMap>;

export const Trend = z.object({
  weeks: z.array(z.object({ week: z.string(), meanSpread: z.number().nullable(), blocks: z.number().int(), clauses: z.number().int() })),
});
export type Trend = z.infer<typeof Trend>;

export const Zopa = z.object({
  clauses: z.array(z.object({ clause: z.string(), acceptable: z.array(z.string()), blockedBy: z.array(z.string()) })),
});
export type Zopa = z.infer<typeof Zopa>;

export const TestedClause = z.object({
  clause: z.string(),
  title: z.string(),
  gap: z.object({ spread: z.number(), blocks: z.number().int(), shared: z.number().int() }).nullable(),
  comparisons: z.array(
    z.object({
      id: z.string(),
      scenario: z.string(),
      runs: z.number().int(),
      seed: z.number().int(),
      attachedAt: z.string(),
      headline: z.string().nullable(),
      arms: z.array(
        z.object({
          alternative: z.string(),
          label: z.string(),
          gapBreachesPerRun: z.number(),
          gapShare: z.number(),
          reachedShare: z.number(),
          open: z.boolean(),
        }),
      ),
    }),
  ),
});
export type TestedClause = z.infer<typeof TestedClause>;

export const Console = z.object({
  next: z.array(z.object({ clause: z.string(), spread: z.number() })),
  blocked: z.array(z.object({ clause: z.string(), parties: z.array(z.string()) })),
  /** Clauses whose alternatives have stress-test results attached. */
  tested: z.array(TestedClause),
});
export type Console = z.infer<typeof Console>;

export interface PositionDraft {
  readonly clause: string;
  readonly alternative?: string;
  readonly gradient: string;
  readonly reason: string;
  readonly redLine?: string;
  readonly sharing: Sharing;
}
const PositionRecorded = z.looseObject({ hash: z.string() });

export function getGapMap(api: ApiClient): Promise<ApiResult<GapMap>> {
  return api.request('GET', '/api/v1/negotiation/gap-map', GapMap);
}
export function getPositions(api: ApiClient, clause: string): Promise<ApiResult<PositionList>> {
  return api.request('GET', `/api/v1/negotiation/positions?clause=${encodeURIComponent(clause)}`, PositionList);
}
export function getTrend(api: ApiClient): Promise<ApiResult<Trend>> {
  return api.request('GET', '/api/v1/negotiation/trend', Trend);
}
export function getZopa(api: ApiClient): Promise<ApiResult<Zopa>> {
  return api.request('GET', '/api/v1/negotiation/zopa', Zopa);
}
export function getConsole(api: ApiClient): Promise<ApiResult<Console>> {
  return api.request('GET', '/api/v1/negotiation/console', Console);
}
export function recordPosition(
  api: ApiClient,
  draft: PositionDraft,
  idempotencyKey: string,
): Promise<ApiResult<z.infer<typeof PositionRecorded>>> {
  return api.request('POST', '/api/v1/negotiation/positions', PositionRecorded, draft, { idempotencyKey });
}
export const POSITIONS_CSV = '/api/v1/negotiation/positions.csv';
export const GAP_MAP_SVG = '/api/v1/negotiation/gap-map.svg';

/** Journal events after which the page reloads what it shows (an attached stress comparison joins the console). */
export function isNegotiationEvent(type: string): boolean {
  return (
    type.startsWith('position.') ||
    type.startsWith('proposal.') ||
    type.startsWith('comment.') ||
    type.startsWith('negotiation.') ||
    type === 'stress.comparison-attached'
  );
}

// ---------------------------------------------------------------------------------------------------
// Proposals, comments and the merge into the next framework version

const Localised = z.record(z.string(), z.string());
export const Proposal = z.object({
  id: z.string(),
  clause: z.string(),
  kind: z.string(),
  alternative: z.string().nullable().optional(),
  text: z.object({ en: z.string(), uk: z.string() }),
  basis: z.object({ clause: Localised, alternative: Localised.nullable() }).nullable().optional(),
  merged: z.object({ number: z.number().int(), hash: z.string() }).nullable().optional(),
  note: z.string(),
  party: z.string(),
  author: z.string(),
  state: z.string(),
  draftedAt: z.string(),
  updatedAt: z.string(),
});
export type Proposal = z.infer<typeof Proposal>;
const ProposalList = z.object({ proposals: z.array(Proposal) });

export const Comment = z.object({
  clause: z.string(),
  text: z.string(),
  sharing: z.string(),
  party: z.string().nullable(),
  actor: z.string(),
  recordedAt: z.string(),
});
export type Comment = z.infer<typeof Comment>;
const CommentList = z.object({ comments: z.array(Comment) });

const WordRun = z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() });
const ProseChange = z.object({ language: z.string(), words: z.array(WordRun) });
export const MergePreview = z.object({
  from: z.object({ number: z.number().int(), hash: z.string() }),
  hash: z.string(),
  applied: z.array(z.object({ proposal: z.string(), clause: z.string(), change: z.string(), alternative: z.string().nullable() })),
  resolved: z.array(z.object({ clause: z.string(), alternative: z.string() })),
  diff: z.looseObject({
    clauses: z.array(
      z.looseObject({
        clause: z.string(),
        change: z.string(),
        status: z.object({ before: z.string(), after: z.string() }).nullable(),
        prose: z.array(ProseChange),
        alternatives: z.array(z.looseObject({ change: z.string(), id: z.string(), label: z.string(), prose: z.array(ProseChange) })),
      }),
    ),
  }),
});
export type MergePreview = z.infer<typeof MergePreview>;
const Merged = z.object({ number: z.number().int(), hash: z.string(), position: z.number().int(), proposals: z.array(z.string()) });

export interface ProposalDraft {
  readonly clause: string;
  readonly kind: 'amendment' | 'alternative';
  readonly alternative: string | null;
  readonly text: { readonly en: string; readonly uk: string };
  readonly note: string;
}
export interface MergePick {
  readonly proposals: readonly string[];
  readonly resolve: readonly { readonly clause: string; readonly alternative: string }[];
}
const Created = z.looseObject({ id: z.string() });

export function getProposals(api: ApiClient, clause?: string): Promise<ApiResult<z.infer<typeof ProposalList>>> {
  const query = clause ? `?clause=${encodeURIComponent(clause)}` : '';
  return api.request('GET', `/api/v1/negotiation/proposals${query}`, ProposalList);
}
export function draftProposal(api: ApiClient, draft: ProposalDraft, idempotencyKey: string): Promise<ApiResult<z.infer<typeof Created>>> {
  return api.request('POST', '/api/v1/negotiation/proposals', Created, draft, { idempotencyKey });
}
export type ProposalAction = 'table' | 'withdraw' | 'retable' | 'accepted' | 'rejected';
export function stepProposal(api: ApiClient, id: string, action: ProposalAction, idempotencyKey: string): Promise<ApiResult<unknown>> {
  const path = `/api/v1/negotiation/proposals/${encodeURIComponent(id)}`;
  if (action === 'accepted' || action === 'rejected')
    return api.request('POST', `${path}/decision`, PositionRecorded, { decision: action }, { idempotencyKey });
  return api.request('POST', `${path}/${action}`, PositionRecorded, {}, { idempotencyKey });
}
export function getComments(api: ApiClient, clause: string): Promise<ApiResult<z.infer<typeof CommentList>>> {
  return api.request('GET', `/api/v1/negotiation/comments?clause=${encodeURIComponent(clause)}`, CommentList);
}
export function postComment(
  api: ApiClient,
  comment: { clause: string; text: string; sharing: Sharing },
  idempotencyKey: string,
): Promise<ApiResult<unknown>> {
  return api.request('POST', '/api/v1/negotiation/comments', PositionRecorded, comment, { idempotencyKey });
}
export function previewMerge(api: ApiClient, pick: MergePick): Promise<ApiResult<MergePreview>> {
  return api.request('POST', '/api/v1/negotiation/merge/preview', MergePreview, pick);
}
export function mergeProposals(api: ApiClient, pick: MergePick, idempotencyKey: string): Promise<ApiResult<z.infer<typeof Merged>>> {
  return api.request('POST', '/api/v1/negotiation/merge', Merged, pick, { idempotencyKey });
}
