import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import type { ApiClient, ApiResult } from '../api';
import { useJournalEvents, useLiveEpoch } from '../live';

/*
 * Humanitarian notices on the map: notified sites and movements (as the reader may see them: exact for
 * those who must know, a grid cell for the rest) and the alerts of a notified place struck. Read from
 * the deconfliction API (docs/deconfliction-api.md); only the fields the map shows are checked, so
 * the notice module can grow without breaking the map.
 */

const Line = z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) });

export const MapNotice = z.looseObject({
  id: z.string(),
  kind: z.enum(['site', 'movement']),
  siteKind: z.string().nullable(),
  name: z.string(),
  organisation: z.string(),
  status: z.string(),
  precision: z.string(),
  location: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  route: Line.nullable(),
  from: z.string(),
  until: z.string(),
  strikes: z.number().int(),
});
export type MapNotice = z.infer<typeof MapNotice>;

export const MapAlert = z.looseObject({
  position: z.number().int(),
  detectedAt: z.string(),
  noticeId: z.string(),
  name: z.string(),
  organisation: z.string(),
  siteKind: z.string().nullable(),
  location: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  report: z.looseObject({ id: z.string(), occurredAt: z.string(), type: z.string().nullable() }),
  distance_m: z.number(),
});
export type MapAlert = z.infer<typeof MapAlert>;

const NOTICE_EVENT = /^(site\.|movement\.|notice\.)/;

export async function loadNotices(api: ApiClient): Promise<ApiResult<{ notices: MapNotice[]; alerts: MapAlert[] }>> {
  const [notices, alerts] = await Promise.all([
    api.request(
      'GET',
      '/api/v1/notices?status=pending-acknowledgement,acknowledged,escalated&limit=500',
      z.object({ notices: z.array(MapNotice) }),
    ),
    api.request('GET', '/api/v1/alerts?limit=100', z.object({ alerts: z.array(MapAlert) })),
  ]);
  if (!notices.ok) return notices;
  if (!alerts.ok) return alerts;
  return { ok: true, value: { notices: notices.value.notices, alerts: alerts.value.alerts } };
}

export interface NoticesState {
  readonly notices: readonly MapNotice[];
  readonly alerts: readonly MapAlert[];
  /** False when the server has no deconfliction API (or refuses it): the layer is simply not shown. */
  readonly available: boolean;
}

/** Notices and alerts, reloaded when the journal says a notice changed or a notified place was struck. */
export function useNotices(api: ApiClient): NoticesState {
  const epoch = useLiveEpoch();
  const [state, setState] = useState<NoticesState>({ notices: [], alerts: [], available: false });
  const [refresh, setRefresh] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  useEffect(() => {
    let cancelled = false;
    void loadNotices(api).then((result) => {
      if (cancelled) return;
      setState(result.ok ? { ...result.value, available: true } : { notices: [], alerts: [], available: false });
    });
    return () => {
      cancelled = true;
    };
  }, [api, epoch, refresh]);
  useJournalEvents((event) => {
    if (!NOTICE_EVENT.test(event.type) || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setRefresh((n) => n + 1);
    }, 250);
  });
  return state;
}

/** GeoJSON for the map's notice layers: sites as points, movements as their routes, struck places ringed. */
export function noticeFeatures(notices: readonly MapNotice[], alerts: readonly MapAlert[]) {
  const features: {
    type: 'Feature';
    geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'LineString'; coordinates: [number, number][] };
    properties: Record<string, string | number>;
  }[] = [];
  for (const n of notices) {
    const properties = { id: n.id, kind: n.kind, status: n.status, name: n.name, struck: n.strikes };
    if (n.kind === 'movement' && n.route)
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: n.route.coordinates }, properties });
    else if (n.location)
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [n.location.lon, n.location.lat] }, properties });
  }
  for (const a of alerts) {
    if (a.location)
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [a.location.lon, a.location.lat] },
        properties: { id: a.noticeId, kind: 'struck', status: 'struck', name: a.name, struck: 1 },
      });
  }
  return { type: 'FeatureCollection' as const, features };
}
