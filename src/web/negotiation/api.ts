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

export const Console = z.object({
  next: z.array(z.object({ clause: z.string(), spread: z.number() })),
  blocked: z.array(z.object({ clause: z.string(), parties: z.array(z.string()) })),
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

/** Journal events after which the page reloads what it shows. */
export function isNegotiationEvent(type: string): boolean {
  return type.startsWith('position.') || type.startsWith('proposal.') || type.startsWith('comment.');
}
