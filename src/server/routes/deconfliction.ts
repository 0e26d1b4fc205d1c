import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import { Instant } from '../../core/framework/in-force';
import { inForceAt } from '../../core/framework/versions';
import type { EventDraft, JournalEvent } from '../../core/journal/envelope';
import { acknowledgeNotice } from '../../core/operations/deconfliction/acknowledge-notice';
import {
  ACKNOWLEDGEMENT_MEANING,
  AcknowledgementInput,
  activeUntil,
  missingAcknowledgements,
  MOVEMENT_ACTIVITIES,
  MovementNoticeInput,
  NOTICE_STATUSES,
  type NoticeNotified,
  type NoticeRecord,
  noticeStatus,
  noticeStream,
  SiteKind,
  SiteNoticeInput,
  WithdrawalInput,
} from '../../core/operations/deconfliction/notice';
import { notifyMovement, notifySite, type Notified, type NotifyContext } from '../../core/operations/deconfliction/notify';
import { alertView, noticeView } from '../../core/operations/deconfliction/present';
import { withdrawNotice } from '../../core/operations/deconfliction/withdraw-notice';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs, newId } from './identity';

/**
 * Humanitarian deconfliction over HTTP: organisations notify sites and movements under the rule in
 * force, the parties acknowledge ("acknowledged", never "approved"), everyone entitled reads notices
 * (exact places per need-to-know) and alerts of notified sites struck. Decisions are in
 * core/operations/deconfliction; escalation, expiry and strikes are appended by its reactor.
 */

const Meaning = z.object({ en: z.string(), uk: z.string() });
const Line = z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) });
const Place = {
  /** `exact` for the notifying organisation, the parties that acknowledge and grant holders; else `coarse`. */
  precision: z.enum(['exact', 'coarse']),
  /** The grid cell size when coarse. */
  precision_m: z.number().nullable(),
  location: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  route: Line.nullable(),
};
const RuleOut = z.object({
  id: z.string(),
  frameworkVersion: z.number().int(),
  frameworkHash: z.string(),
  leadTime: z.string(),
  buffer_m: z.number(),
  publicPrecision_m: z.number(),
});

export const NoticeOut = z.object({
  id: z.string(),
  kind: z.enum(['site', 'movement']),
  activity: z.string(),
  siteKind: SiteKind.nullable(),
  name: z.string(),
  organisation: z.string(),
  party: z.string(),
  status: z.enum(NOTICE_STATUSES),
  ...Place,
  from: z.string(),
  until: z.string(),
  vehicles: z.array(z.object({ kind: z.string(), count: z.number().int(), markings: z.string().optional() })),
  personnel: z.number().int().nullable(),
  description: z.string(),
  contact: z.string().nullable(),
  rule: RuleOut,
  acknowledgement: z.object({
    deadline: z.string(),
    by: z.array(z.string()),
    missing: z.array(z.string()),
    /** What "acknowledged" means — and does not: receipt, not approval. */
    meaning: Meaning,
    parties: z.array(
      z.object({
        party: z.string(),
        state: z.enum(['acknowledged', 'awaiting', 'overdue']),
        at: z.string().nullable(),
        by: z.string().nullable(),
        late: z.boolean(),
        note: z.string(),
      }),
    ),
  }),
  escalation: z.object({ at: z.string(), missing: z.array(z.string()) }).nullable(),
  expiredAt: z.string().nullable(),
  withdrawal: z.object({ at: z.string(), by: z.string(), reason: z.string() }).nullable(),
  strikes: z.number().int(),
  notifiedBy: z.string(),
  notifiedAt: z.string(),
  version: z.number().int(),
});

const NotifiedOut = z.object({
  id: z.string(),
  kind: z.enum(['site', 'movement']),
  status: z.literal('pending-acknowledgement'),
  from: z.string(),
  until: z.string(),
  acknowledgement: z.object({ by: z.array(z.string()), deadline: z.string(), meaning: Meaning }),
  rule: RuleOut,
  position: z.number().int(),
  hash: z.string(),
});

const AcknowledgedOut = z.object({
  noticeId: z.string(),
  party: z.string(),
  /** Always "acknowledged": receipt of the notice, not approval of the activity. */
  state: z.literal('acknowledged'),
  by: z.string(),
  at: z.string(),
  late: z.boolean(),
  meaning: Meaning,
  position: z.number().int(),
  hash: z.string(),
});

const WithdrawnOut = z.object({
  noticeId: z.string(),
  status: z.literal('withdrawn'),
  at: z.string(),
  position: z.number().int(),
  hash: z.string(),
});

export const AlertOut = z.object({
  position: z.number().int(),
  detectedAt: z.string(),
  kind: z.literal('site-struck'),
  noticeId: z.string(),
  noticeKind: z.enum(['site', 'movement']),
  activity: z.string(),
  siteKind: SiteKind.nullable(),
  name: z.string(),
  organisation: z.string(),
  party: z.string(),
  ...Place,
  report: z.object({
    id: z.string(),
    occurredAt: z.string(),
    type: z.string().nullable(),
    domain: z.string().nullable(),
    source: z.string().nullable(),
  }),
  distance_m: z.number(),
  buffer_m: z.number(),
  rule: z.object({ id: z.string(), frameworkVersion: z.number().int() }).nullable(),
  /** The parties that had acknowledged the notice when the incident was checked. */
  acknowledgedBy: z.array(z.string()),
  acknowledgementBy: z.array(z.string()),
});

const NoticeParams = z.object({ id: z.string().min(1).max(128) }).strict();
const PartyParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a party id');
const StatusList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.enum(NOTICE_STATUSES, { message: `a status is one of ${NOTICE_STATUSES.join(', ')}` })));

const ListQuery = z
  .object({
    status: StatusList.optional(),
    kind: z.enum(['site', 'movement']).optional(),
    activity: z.enum(['static-site', ...MOVEMENT_ACTIVITIES]).optional(),
    siteKind: SiteKind.optional(),
    party: PartyParam.optional(),
    /** Notices still waiting for this party's acknowledgement. */
    awaiting: PartyParam.optional(),
    /** Notices protecting at this instant (validity or movement window). */
    activeAt: Instant.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const AlertQuery = z
  .object({
    since: Instant.optional(),
    noticeId: z.string().min(1).max(128).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

function notifyContext(services: Services, reader: Principal, id: string): NotifyContext {
  const now = services.now();
  const inForce = inForceAt(services.journal.image.framework, now.toISOString());
  const party = reader.party;
  return {
    now,
    inForce: inForce ? { hash: inForce.hash, number: inForce.number, document: inForce.document } : null,
    notifier: {
      username: reader.username,
      party,
      partyName: party ? (services.journal.image.identity.parties.get(party)?.name ?? null) : null,
    },
    id,
  };
}

async function appendNotice(services: Services, reader: Principal, decided: Result<Notified>, idempotencyKey: string | null) {
  if (!decided.ok) return decided;
  const n = decided.value.notice;
  const appended = await appendAs(services, reader, ok(decided.value.drafts), idempotencyKey, { [noticeStream(n.id)]: 'new' });
  if (!appended.ok) return appended;
  return ok(notifiedOut(n, appended.value.position, appended.value.hash));
}

function notifiedOut(n: NoticeNotified, position: number, hash: string): z.infer<typeof NotifiedOut> {
  return {
    id: n.id,
    kind: n.kind,
    status: 'pending-acknowledgement',
    from: n.from,
    until: n.until,
    acknowledgement: { by: [...n.acknowledgement.by], deadline: n.acknowledgement.deadline, meaning: { ...ACKNOWLEDGEMENT_MEANING } },
    rule: { ...n.rule },
    position,
    hash,
  };
}

/** Answers a retried notification from the events the first one appended. */
function replayNotified(events: readonly JournalEvent[]): Result<z.infer<typeof NotifiedOut>> {
  const last = events[events.length - 1]!;
  return ok(notifiedOut(events[0]!.payload as unknown as NoticeNotified, last.position, last.hash));
}

function findNotice(services: Services, id: string): Result<NoticeRecord> {
  const n = services.journal.image.deconfliction.notices.get(id);
  return n ? ok(n) : fail('not_found', `there is no notice ${id}`, '/params/id');
}

/**
 * Decides against the notice as it is and appends with its version; when something else was appended
 * to it meanwhile (a strike, another party's acknowledgement), decides again on the fresh state.
 */
async function onNotice(
  services: Services,
  reader: Principal,
  id: string,
  idempotencyKey: string | null,
  decide: (n: NoticeRecord) => Result<EventDraft[]>,
): Promise<Result<readonly JournalEvent[]>> {
  for (let attempt = 0; ; attempt++) {
    const found = findNotice(services, id);
    if (!found.ok) return found;
    const drafts = decide(found.value);
    if (!drafts.ok) return drafts;
    const appended = await services.journal.append({
      drafts: drafts.value,
      actor: reader.username,
      party: reader.party,
      idempotencyKey,
      expected: { [found.value.stream]: found.value.version },
    });
    if (appended.ok || appended.code !== 'conflict' || attempt >= 2) return appended;
  }
}

function acknowledgedOut(e: JournalEvent): z.infer<typeof AcknowledgedOut> {
  const p = e.payload;
  return {
    noticeId: p.noticeId as string,
    party: p.party as string,
    state: 'acknowledged',
    by: p.by as string,
    at: p.at as string,
    late: p.late === true,
    meaning: { ...ACKNOWLEDGEMENT_MEANING },
    position: e.position,
    hash: e.hash,
  };
}

export const deconflictionRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/notices/sites',
    summary:
      'Notify a static humanitarian site (hospital, school, water…) under the deconfliction rule in force; refused inside its lead time',
    tag: 'deconfliction',
    action: 'notice.notify',
    body: SiteNoticeInput,
    status: 201,
    response: NotifiedOut,
    async handler({ body, reader, services, idempotencyKey }) {
      const ctx = notifyContext(services, reader!, newId(reader, idempotencyKey));
      return appendNotice(services, reader!, notifySite(body, ctx), idempotencyKey);
    },
    replay: replayNotified,
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/notices/movements',
    summary: 'Notify a humanitarian movement (a GeoJSON LineString route, a time window, vehicles); refused inside its lead time',
    tag: 'deconfliction',
    action: 'notice.notify',
    body: MovementNoticeInput,
    status: 201,
    response: NotifiedOut,
    async handler({ body, reader, services, idempotencyKey }) {
      const ctx = notifyContext(services, reader!, newId(reader, idempotencyKey));
      return appendNotice(services, reader!, notifyMovement(body, ctx), idempotencyKey);
    },
    replay: replayNotified,
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/notices',
    summary: 'Notices, newest first, with each party’s acknowledgement and the deadline; exact places only for those entitled',
    tag: 'deconfliction',
    action: 'notice.read',
    query: ListQuery,
    response: z.object({ notices: z.array(NoticeOut), total: z.number().int(), counts: z.record(z.string(), z.number().int()) }),
    async handler({ query, reader, services }) {
      const now = services.now();
      const activeAt = query.activeAt ? Date.parse(query.activeAt) : null;
      const counts: Record<string, number> = Object.fromEntries(NOTICE_STATUSES.map((s) => [s, 0]));
      const matching: NoticeRecord[] = [];
      for (const n of services.journal.image.deconfliction.notices.values()) {
        if (query.kind && n.kind !== query.kind) continue;
        if (query.activity && n.activity !== query.activity) continue;
        if (query.siteKind && n.siteKind !== query.siteKind) continue;
        if (query.party && n.party !== query.party) continue;
        const status = noticeStatus(n);
        if (query.awaiting && (status === 'expired' || status === 'withdrawn' || !missingAcknowledgements(n).includes(query.awaiting)))
          continue;
        if (activeAt !== null && (activeAt < Date.parse(n.from) || activeAt >= activeUntil(n))) continue;
        counts[status]!++;
        if (query.status && !query.status.includes(status)) continue;
        matching.push(n);
      }
      matching.reverse();
      const page = matching.slice(query.offset, query.offset + query.limit);
      return ok({ notices: page.map((n) => noticeView(n, reader, now)), total: matching.length, counts });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/notices/:id',
    summary: 'One notice: its place (exact or coarse), validity or window, each party’s acknowledgement, escalation, strikes',
    tag: 'deconfliction',
    action: 'notice.read',
    params: NoticeParams,
    response: NoticeOut,
    async handler({ params, reader, services }) {
      const found = findNotice(services, params.id);
      return found.ok ? ok(noticeView(found.value, reader, services.now())) : found;
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/notices/:id/acknowledgements',
    summary: 'Acknowledge a notice for your party: confirms receipt — it is not an approval',
    tag: 'deconfliction',
    action: 'notice.acknowledge',
    params: NoticeParams,
    body: AcknowledgementInput,
    status: 201,
    response: AcknowledgedOut,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const appended = await onNotice(services, reader!, params.id, idempotencyKey, (n) =>
        acknowledgeNotice(n, body, { username: reader!.username, party: reader!.party }, services.now()),
      );
      return appended.ok ? ok(acknowledgedOut(appended.value[0]!)) : appended;
    },
    replay: (events) => ok(acknowledgedOut(events[0]!)),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/notices/:id/withdrawal',
    summary: 'Withdraw a notice (the organisation that notified it): the site closed, the movement was cancelled',
    tag: 'deconfliction',
    action: 'notice.withdraw',
    params: NoticeParams,
    body: WithdrawalInput,
    response: WithdrawnOut,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const appended = await onNotice(services, reader!, params.id, idempotencyKey, (n) =>
        withdrawNotice(n, body, { username: reader!.username, party: reader!.party }, services.now()),
      );
      if (!appended.ok) return appended;
      const e = appended.value[0]!;
      return ok({ noticeId: params.id, status: 'withdrawn' as const, at: e.payload.at as string, position: e.position, hash: e.hash });
    },
    replay: (events) => {
      const e = events[0]!;
      return ok({
        noticeId: e.payload.noticeId as string,
        status: 'withdrawn' as const,
        at: e.payload.at as string,
        position: e.position,
        hash: e.hash,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/alerts',
    summary:
      'Notified sites and movements struck: each incident within the buffer of an active notice, newest first, for those who must know',
    tag: 'deconfliction',
    action: 'alert.read',
    query: AlertQuery,
    response: z.object({ alerts: z.array(AlertOut), total: z.number().int() }),
    async handler({ query, reader, services }) {
      const state = services.journal.image.deconfliction;
      const since = query.since ? Date.parse(query.since) : null;
      const visible = state.strikes.filter(
        (s) =>
          canRead(reader, s.visibility) &&
          (!query.noticeId || s.payload.noticeId === query.noticeId) &&
          (since === null || Date.parse(s.recordedAt) >= since),
      );
      visible.reverse();
      const page = visible.slice(query.offset, query.offset + query.limit);
      return ok({ alerts: page.map((s) => alertView(s, state.notices.get(s.payload.noticeId)!, reader)), total: visible.length });
    },
  }),
];
