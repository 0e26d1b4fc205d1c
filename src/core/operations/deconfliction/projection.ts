import { RouteIndex, SiteIndex } from '../../geo/site-index';
import type { Framework } from '../../framework/model';
import { type ForceEntry, rulesInForceAt } from '../../framework/in-force';
import type { JournalEvent } from '../../journal/envelope';
import type { Projection } from '../../projection';
import { activeUntil, exactLabels, type NoticeNotified, type NoticeRecord, type NoticeRecorded, noticeStream } from './notice';
import { bufferOf, DEFAULT_BUFFER_M, type RuleContext, ruleContext } from './rules';

/**
 * The deconfliction read model: every notice with its acknowledgements, the site and route indexes,
 * and the struck check. Each `report.filed` is checked here, in the fold, against the notices known
 * at that point of the journal and active at the incident's time, within the buffer of the rule in
 * force when it happened. A hit becomes a pending strike that the reactor appends as `site.struck`
 * (once, by idempotency key); replaying the journal finds the same hits, so a strike missed by a
 * crash is appended at the next start.
 */

/** What `site.struck` carries. No exact coordinates: its readers are not all entitled to them. */
export interface StruckPayload {
  readonly noticeId: string;
  readonly noticeKind: 'site' | 'movement';
  readonly activity: NoticeNotified['activity'];
  readonly siteKind: NoticeNotified['siteKind'];
  readonly name: string;
  readonly organisation: string;
  readonly party: string;
  readonly reportId: string;
  readonly reportPosition: number;
  readonly occurredAt: string;
  readonly reportType: string | null;
  readonly reportDomain: string | null;
  readonly reportSource: string | null;
  readonly distance_m: number;
  readonly buffer_m: number;
  /** The rule the incident is judged by: in force when it happened (else the notice's own). */
  readonly rule: { readonly id: string; readonly frameworkVersion: number } | null;
  readonly acknowledgedBy: string[];
  readonly acknowledgementBy: string[];
  readonly coarseLocation: { lon: number; lat: number; precision_m: number } | null;
}

export interface PendingStrike {
  readonly key: string;
  readonly payload: StruckPayload;
  readonly visibility: string[];
}

export interface StrikeRecord {
  readonly position: number;
  readonly recordedAt: string;
  readonly payload: StruckPayload;
  readonly visibility: string[];
}

export interface DeconflictionState {
  notices: Map<string, NoticeRecord>;
  /** Notices neither expired nor withdrawn: what the deadline reactor looks at. */
  open: Set<string>;
  /** Bumped whenever a deadline may have moved (a notice added, acknowledged, escalated, closed). */
  dueVersion: number;
  siteSlots: string[];
  routeSlots: string[];
  sites: SiteIndex;
  routes: RouteIndex;
  /** The largest buffer any notice was given under (the query radius when no rule is in force). */
  maxBuffer_m: number;
  contexts: Map<string, RuleContext>;
  force: ForceEntry[];
  strikes: StrikeRecord[];
  pending: Map<string, PendingStrike>;
}

export const DECONFLICTION = 'deconfliction';

export const strikeKey = (reportId: string, noticeId: string) => `site-struck:${reportId}:${noticeId}`;

function init(): DeconflictionState {
  return {
    notices: new Map(),
    open: new Set(),
    dueVersion: 0,
    siteSlots: [],
    routeSlots: [],
    sites: new SiteIndex(),
    routes: new RouteIndex(),
    maxBuffer_m: DEFAULT_BUFFER_M,
    contexts: new Map(),
    force: [],
    strikes: [],
    pending: new Map(),
  };
}

function addNotice(state: DeconflictionState, n: NoticeNotified, recorded: NoticeRecorded | null, version: number): NoticeRecord {
  const slot = n.kind === 'site' ? state.siteSlots.length : state.routeSlots.length;
  const precision = n.rule.publicPrecision_m;
  const record: NoticeRecord = {
    ...n,
    stream: noticeStream(n.id),
    version,
    slot,
    exactVisibility: exactLabels(n.party, n.acknowledgement.by),
    coarse: recorded
      ? { location: recorded.location, route: recorded.route, precision_m: recorded.precision_m }
      : { location: null, route: null, precision_m: precision },
    acknowledgements: {},
    escalation: null,
    expiredAt: null,
    withdrawal: null,
    strikes: 0,
  };
  index(state, record);
  state.notices.set(n.id, record);
  state.open.add(n.id);
  state.dueVersion++;
  state.maxBuffer_m = Math.max(state.maxBuffer_m, n.rule.buffer_m);
  return record;
}

function index(state: DeconflictionState, n: NoticeRecord): void {
  if (n.kind === 'site' && n.location) {
    state.siteSlots[n.slot] = n.id;
    state.sites.add(n.slot, n.location.lon, n.location.lat);
  } else if (n.route) {
    state.routeSlots[n.slot] = n.id;
    state.routes.add(n.slot, n.route);
  }
}

/** The point a report is checked at: its location, or the centroid of its area. */
export function reportPoint(payload: Record<string, unknown>): { lon: number; lat: number } | null {
  // Intake writes the point that stands for the report (an area's centroid) beside its location.
  const point = payload.point as { lon?: unknown; lat?: unknown } | undefined;
  if (point && typeof point.lon === 'number' && typeof point.lat === 'number') return { lon: point.lon, lat: point.lat };
  const loc = payload.location as { lon?: unknown; lat?: unknown; polygon?: unknown } | undefined;
  if (!loc || typeof loc !== 'object') return null;
  if (typeof loc.lon === 'number' && typeof loc.lat === 'number') return { lon: loc.lon, lat: loc.lat };
  if (Array.isArray(loc.polygon) && Array.isArray(loc.polygon[0])) {
    const ring = loc.polygon[0] as unknown[];
    const points = ring
      .slice(0, ring.length > 1 ? -1 : undefined)
      .filter((p): p is [number, number] => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number');
    if (points.length === 0) return null;
    return { lon: points.reduce((s, p) => s + p[0], 0) / points.length, lat: points.reduce((s, p) => s + p[1], 0) / points.length };
  }
  return null;
}

/** A report's id: `report/<id>` streams name it; older intake streams are named by position. */
export function reportIdOf(event: Pick<JournalEvent, 'stream' | 'position'>): string {
  return event.stream.startsWith('report/') ? event.stream.slice('report/'.length) : `R-${event.position}`;
}

function contextAt(state: DeconflictionState, t: string): RuleContext | null {
  const inForce = rulesInForceAt(state.force, t);
  return inForce ? (state.contexts.get(inForce.hash) ?? null) : null;
}

/** Who hears of a strike: the organisation, the mediator, the mechanism and the guarantors. */
function strikeVisibility(party: string, context: RuleContext | null): string[] {
  const mechanisms = context && context.mechanisms.length > 0 ? context.mechanisms : ['mechanism'];
  const labels = [
    ...new Set([
      `party:${party}`,
      'mediator',
      ...mechanisms.map((p) => `party:${p}`),
      ...(context?.guarantors ?? []).map((p) => `party:${p}`),
    ]),
  ];
  // More readers than a label list holds: every participant, rather than someone left out.
  return labels.length <= 16 ? labels : ['process'];
}

function checkReport(state: DeconflictionState, event: JournalEvent): void {
  const point = reportPoint(event.payload);
  const occurredAt = event.payload.occurredAt;
  if (!point || typeof occurredAt !== 'string') return;
  const t = Date.parse(occurredAt);
  if (Number.isNaN(t)) return;
  const inForce = contextAt(state, occurredAt);
  const rule = inForce?.rule ?? null;
  const hits: { notice: NoticeRecord; distance: number; buffer: number }[] = [];
  const consider = (id: string | undefined, distance: number) => {
    const notice = id === undefined ? undefined : state.notices.get(id);
    if (!notice) return;
    if (t < Date.parse(notice.from) || t >= activeUntil(notice)) return;
    const buffer = rule ? bufferOf(rule, notice.activity) : notice.rule.buffer_m;
    if (distance <= buffer) hits.push({ notice, distance, buffer });
  };
  const siteRadius = rule ? bufferOf(rule, 'static-site') : state.maxBuffer_m;
  if (state.siteSlots.length > 0) state.sites.within(point.lon, point.lat, siteRadius, (slot, d) => consider(state.siteSlots[slot], d));
  if (state.routeSlots.length > 0) {
    const routeRadius = rule
      ? Math.max(bufferOf(rule, 'land-movement'), bufferOf(rule, 'sea-movement'), bufferOf(rule, 'air-movement'))
      : state.maxBuffer_m;
    state.routes.within(point.lon, point.lat, routeRadius, (slot, d) => consider(state.routeSlots[slot], d));
  }
  if (hits.length === 0) return;
  const reportId = reportIdOf(event);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  for (const { notice, distance, buffer } of hits) {
    const context = inForce ?? state.contexts.get(notice.rule.frameworkHash) ?? null;
    const key = strikeKey(reportId, notice.id);
    state.pending.set(key, {
      key,
      visibility: strikeVisibility(notice.party, context),
      payload: {
        noticeId: notice.id,
        noticeKind: notice.kind,
        activity: notice.activity,
        siteKind: notice.siteKind,
        name: notice.name,
        organisation: notice.organisation,
        party: notice.party,
        reportId,
        reportPosition: event.position,
        occurredAt: new Date(t).toISOString(),
        reportType: str(event.payload.type),
        reportDomain: str(event.payload.domain),
        reportSource: str(event.payload.source),
        distance_m: Math.round(distance),
        buffer_m: buffer,
        rule:
          rule && inForce
            ? { id: rule.id, frameworkVersion: inForce.frameworkVersion }
            : { id: notice.rule.id, frameworkVersion: notice.rule.frameworkVersion },
        acknowledgedBy: Object.keys(notice.acknowledgements).sort(),
        acknowledgementBy: [...notice.acknowledgement.by],
        coarseLocation: notice.coarse.location,
      },
    });
  }
}

export const deconflictionProjection: Projection<DeconflictionState> = {
  name: DECONFLICTION,
  version: 1,
  init,
  apply(state, event) {
    const p = event.payload;
    if (event.stream.startsWith('notice/')) {
      const n = state.notices.get(event.stream.slice('notice/'.length));
      if (n) n.version = event.streamVersion;
    }
    switch (event.type) {
      case 'framework.version-recorded':
        state.contexts.set(p.hash as string, ruleContext(p.document as Framework, p.hash as string, p.number as number));
        return;
      case 'framework.force-changed':
        state.force.push(p as unknown as ForceEntry);
        return;
      case 'report.filed':
        checkReport(state, event);
        return;
      case 'site.notified':
      case 'movement.notified':
        addNotice(state, p as unknown as NoticeNotified, null, event.streamVersion);
        return;
      case 'notice.recorded': {
        const n = state.notices.get(p.id as string);
        const r = p as unknown as NoticeRecorded;
        if (n) n.coarse = { location: r.location, route: r.route, precision_m: r.precision_m };
        return;
      }
    }
    const n = typeof p.noticeId === 'string' ? state.notices.get(p.noticeId) : undefined;
    if (!n) return;
    if (event.type !== 'site.struck') state.dueVersion++;
    switch (event.type) {
      case 'notice.acknowledged':
        n.acknowledgements[p.party as string] = {
          party: p.party as string,
          by: p.by as string,
          at: p.at as string,
          late: p.late === true,
          note: (p.note as string) ?? '',
        };
        return;
      case 'notice.escalated':
        n.escalation = { at: event.recordedAt, missing: p.missing as string[] };
        return;
      case 'notice.expired':
        n.expiredAt = p.at as string;
        state.open.delete(n.id);
        return;
      case 'notice.withdrawn':
        n.withdrawal = { at: p.at as string, by: p.by as string, reason: p.reason as string };
        state.open.delete(n.id);
        return;
      case 'site.struck': {
        const payload = p as unknown as StruckPayload;
        state.pending.delete(strikeKey(payload.reportId, payload.noticeId));
        state.strikes.push({ position: event.position, recordedAt: event.recordedAt, payload, visibility: event.visibility });
        n.strikes++;
        return;
      }
    }
  },
  toSnapshot: (s) => ({
    notices: [...s.notices.values()],
    open: [...s.open],
    contexts: [...s.contexts.values()],
    force: s.force,
    strikes: s.strikes,
    pending: [...s.pending.values()],
  }),
  fromSnapshot(data) {
    const d = data as {
      notices: NoticeRecord[];
      open: string[];
      contexts: RuleContext[];
      force: ForceEntry[];
      strikes: StrikeRecord[];
      pending: PendingStrike[];
    };
    const s = init();
    for (const n of d.notices) {
      s.notices.set(n.id, n);
      index(s, n);
      s.maxBuffer_m = Math.max(s.maxBuffer_m, n.rule.buffer_m);
    }
    s.sites.compact();
    s.open = new Set(d.open);
    s.contexts = new Map(d.contexts.map((c) => [c.hash, c]));
    s.force = d.force;
    s.strikes = d.strikes;
    s.pending = new Map(d.pending.map((x) => [x.key, x]));
    return s;
  },
};
