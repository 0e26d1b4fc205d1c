import { z } from 'zod';
import type { ApiClient, ApiResult } from '../../api';

/*
 * The deconfliction API as the notices view uses it (docs/deconfliction-api.md). Statuses and kinds are
 * read as plain strings, so a value the server adds later shows by its code instead of hiding the list.
 */

const Meaning = z.looseObject({ en: z.string(), uk: z.string() });

export const NoticeOut = z.looseObject({
  id: z.string(),
  kind: z.string(),
  activity: z.string(),
  siteKind: z.string().nullable(),
  name: z.string(),
  organisation: z.string(),
  party: z.string(),
  status: z.string(),
  precision: z.string(),
  location: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  from: z.string(),
  until: z.string(),
  acknowledgement: z.looseObject({
    deadline: z.string(),
    by: z.array(z.string()),
    missing: z.array(z.string()),
    meaning: Meaning,
    parties: z.array(
      z.looseObject({ party: z.string(), state: z.string(), at: z.string().nullable(), by: z.string().nullable(), late: z.boolean() }),
    ),
  }),
  strikes: z.number().int(),
});
export type NoticeOut = z.infer<typeof NoticeOut>;

const NoticeList = z.looseObject({ notices: z.array(NoticeOut), total: z.number().int() });

export function listNotices(api: ApiClient, query: { awaiting?: string } = {}): Promise<ApiResult<z.infer<typeof NoticeList>>> {
  const params = new URLSearchParams({ limit: '200' });
  if (query.awaiting) params.set('awaiting', query.awaiting);
  return api.request('GET', `/api/v1/notices?${params.toString()}`, NoticeList);
}

export const AlertOut = z.looseObject({
  position: z.number().int(),
  detectedAt: z.string(),
  noticeId: z.string(),
  name: z.string(),
  report: z.looseObject({ id: z.string(), occurredAt: z.string(), type: z.string().nullable() }),
  distance_m: z.number(),
});
export type AlertOut = z.infer<typeof AlertOut>;

export async function listAlerts(api: ApiClient): Promise<ApiResult<readonly AlertOut[]>> {
  const r = await api.request('GET', '/api/v1/alerts?limit=50', z.looseObject({ alerts: z.array(AlertOut) }));
  return r.ok ? { ok: true, value: r.value.alerts } : r;
}

const Notified = z.looseObject({ id: z.string(), status: z.string(), position: z.number().int() });
export type Notified = z.infer<typeof Notified>;

export interface SiteNotice {
  kind: string;
  name: string;
  location: { lon: number; lat: number };
  validFrom?: string;
  validUntil: string;
  contact?: string;
}

export interface MovementNotice {
  activity: string;
  name: string;
  route: { type: 'LineString'; coordinates: [number, number][] };
  window: { from: string; until: string };
  vehicles: { kind: string; count: number; markings?: string }[];
}

export function notifySite(api: ApiClient, body: SiteNotice, idempotencyKey: string): Promise<ApiResult<Notified>> {
  return api.request('POST', '/api/v1/notices/sites', Notified, body, { idempotencyKey });
}

export function notifyMovement(api: ApiClient, body: MovementNotice, idempotencyKey: string): Promise<ApiResult<Notified>> {
  return api.request('POST', '/api/v1/notices/movements', Notified, body, { idempotencyKey });
}

const Acknowledged = z.looseObject({ noticeId: z.string(), party: z.string(), late: z.boolean(), position: z.number().int() });

export function acknowledgeNotice(api: ApiClient, id: string, idempotencyKey: string): Promise<ApiResult<z.infer<typeof Acknowledged>>> {
  return api.request('POST', `/api/v1/notices/${encodeURIComponent(id)}/acknowledgements`, Acknowledged, {}, { idempotencyKey });
}
