import { z } from 'zod';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import type { JournalEvent } from '../../core/journal/envelope';
import { CorrelationRules } from '../../core/operations/correlation';
import { dailyReport, DailyReportOut, dailyRows } from '../../core/operations/daily-report';
import type { ReportPayload } from '../../core/operations/events';
import { casesCsv, casesGeoJson, reportsCsv, reportsGeoJson } from '../../core/operations/export';
import { CASE_STATUSES, DOMAINS, REPORT_TYPES, SOURCES } from '../../core/operations/model';
import {
  accessDenialOut,
  type CaseFilter,
  caseDetail,
  caseSummary,
  eventPositionFor,
  mapIncidents,
  publicCases,
  type ReportFilter,
  reportOut,
  selectCases,
  selectRows,
} from '../../core/operations/queries';
import {
  AccessDenialOut,
  CaseDetailOut,
  CaseSummaryOut,
  MapIncidentsOut,
  PublicCaseOut,
  ReportOut,
} from '../../core/operations/read-model';
import type { OperationsState, ReportRecord } from '../../core/operations/state';
import {
  type CaseDecision,
  changeStatus,
  DissentCommand,
  FindingCommand,
  LockCommand,
  lockCase,
  mergeCases,
  MergeCommand,
  recordDissent,
  recordFinding,
  splitCase,
  SplitCommand,
  StatusCommand,
  UnlockCommand,
  unlockCase,
} from '../../core/operations/verification';
import { Instant } from '../../core/framework/in-force';
import { oblastOf } from '../oblasts';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs, newId } from './identity';

/**
 * The operations read API and the case commands. Every coordinate in every answer passes through
 * core/operations/queries.ts, which gives exact places only to those with need to know.
 */

// ---------------------------------------------------------------------------------------------------
// Query parameters

const listOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z
    .string()
    .max(2000)
    .transform((s) => s.split(',').filter((x) => x !== ''))
    .pipe(z.array(z.enum(values, { message: `one or more ${what}, separated by commas` })))
    .optional();

const BBox = z
  .string()
  .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'bbox is west,south,east,north in degrees')
  .transform((s) => s.split(',').map(Number) as [number, number, number, number])
  .refine(
    ([w, s, e, n]) => Math.abs(w) <= 180 && Math.abs(e) <= 180 && Math.abs(s) <= 90 && Math.abs(n) <= 90 && s <= n,
    'bbox is west,south,east,north in degrees',
  )
  .optional();

const Party = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a party id')
  .optional();

const commonFilters = {
  type: listOf(REPORT_TYPES, 'report types'),
  domain: listOf(DOMAINS, 'domains'),
  status: listOf(CASE_STATUSES, 'case statuses'),
  party: Party,
  attributedTo: Party,
  from: Instant.optional(),
  to: Instant.optional(),
  bbox: BBox,
  zone: z.enum(['buffer', 'withdrawal', 'corridor', 'airspace']).optional(),
};

const ReportQuery = z
  .object({
    ...commonFilters,
    source: listOf(SOURCES, 'sources'),
    kind: z.enum(['observation', 'claim']).optional(),
    caseId: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(0).optional(),
  })
  .strict();
type ReportQuery = z.infer<typeof ReportQuery>;

const CaseQuery = z
  .object({
    ...commonFilters,
    includeMerged: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();
type CaseQuery = z.infer<typeof CaseQuery>;

const MapQuery = z
  .object({
    ...commonFilters,
    source: listOf(SOURCES, 'sources'),
    kind: z.enum(['observation', 'claim']).optional(),
    limit: z.coerce.number().int().min(1).max(100_000).default(100_000),
  })
  .strict();

const ExportQuery = z
  .object({
    ...commonFilters,
    source: listOf(SOURCES, 'sources'),
    kind: z.enum(['observation', 'claim']).optional(),
    limit: z.coerce.number().int().min(1).max(100_000).default(100_000),
  })
  .strict();

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

function reportFilter(q: Partial<ReportQuery>): ReportFilter {
  return {
    ...(q.type ? { types: q.type } : {}),
    ...(q.domain ? { domains: q.domain } : {}),
    ...(q.source ? { sources: q.source } : {}),
    ...(q.status ? { statuses: q.status } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.party ? { party: q.party } : {}),
    ...(q.attributedTo ? { attributedTo: q.attributedTo } : {}),
    ...(q.from ? { from: Date.parse(q.from) } : {}),
    ...(q.to ? { to: Date.parse(q.to) } : {}),
    ...(q.bbox ? { bbox: q.bbox } : {}),
    ...(q.caseId ? { caseId: q.caseId } : {}),
    ...(q.zone ? { zone: q.zone } : {}),
  };
}

function caseFilter(q: Partial<CaseQuery>): CaseFilter {
  return {
    ...(q.type ? { types: q.type } : {}),
    ...(q.domain ? { domains: q.domain } : {}),
    ...(q.status ? { statuses: q.status } : {}),
    ...(q.party ? { party: q.party } : {}),
    ...(q.attributedTo ? { attributedTo: q.attributedTo } : {}),
    ...(q.from ? { from: Date.parse(q.from) } : {}),
    ...(q.to ? { to: Date.parse(q.to) } : {}),
    ...(q.bbox ? { bbox: q.bbox } : {}),
    ...(q.zone ? { zone: q.zone } : {}),
    ...(q.includeMerged === 'true' ? { includeMerged: true } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading reports' events: each reader reads the event meant for them (exact or coarse)

/** Reads events by position, in runs of neighbouring positions (a report's two events are adjacent). */
async function readPositions(services: Services, positions: readonly number[]): Promise<Map<number, JournalEvent>> {
  const sorted = [...new Set(positions)].sort((a, b) => a - b);
  const out = new Map<number, JournalEvent>();
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! - sorted[j]! <= 8 && sorted[j + 1]! - sorted[i]! < 1000) j++;
    const from = sorted[i]!;
    const events = await services.store.read(from - 1, sorted[j]! - from + 1);
    for (const e of events) out.set(e.position, e);
    i = j + 1;
  }
  return out;
}

export async function presentReports(services: Services, reader: Principal | null, records: readonly ReportRecord[]): Promise<ReportOut[]> {
  const state = services.journal.image.operations;
  const positions = records.map((r) => eventPositionFor(reader, r));
  const events = await readPositions(services, positions);
  return records.map((r, i) => reportOut(state, reader, r, events.get(positions[i]!)!));
}

function recordsOfRows(state: OperationsState, rows: readonly number[]): ReportRecord[] {
  return rows.map((row) => state.reports.get(state.rowIds[row]!)!);
}

// ---------------------------------------------------------------------------------------------------
// Case commands: decide in core, append with the versions decided on, answer with the new version

const CaseChanged = z.object({ caseId: z.string(), version: z.number().int(), position: z.number().int(), hash: z.string() });

async function appendCase(
  services: Services,
  reader: Principal | null,
  caseId: string,
  decided: Result<CaseDecision>,
  idempotencyKey: string | null,
) {
  if (!decided.ok) return decided;
  const appended = await appendAs(services, reader, ok(decided.value.drafts), idempotencyKey, decided.value.expected);
  if (!appended.ok) return appended;
  const kase = services.journal.image.operations.cases.get(caseId)!;
  return ok({ caseId, version: kase.version, ...appended.value });
}

/** A retried command answers from the events it appended: the case's version is its stream version. */
function caseReplay(events: readonly JournalEvent[]) {
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const mine = events.filter((e) => e.stream === first.stream);
  return ok({
    caseId: first.payload.caseId as string,
    version: mine[mine.length - 1]!.streamVersion,
    position: last.position,
    hash: last.hash,
  });
}

function actorOf(reader: Principal | null) {
  return { username: reader!.username, party: reader!.party };
}

// ---------------------------------------------------------------------------------------------------

export const operationsRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports',
    summary: 'Reports the reader may see, newest filing first, with filters; coordinates exact only with need to know',
    tag: 'operations',
    action: 'report.list',
    query: ReportQuery,
    response: z.object({ reports: z.array(ReportOut), total: z.number().int(), next: z.number().int().nullable() }),
    async handler({ query, reader, services }) {
      const state = services.journal.image.operations;
      const page = selectRows(state, reader, reportFilter(query), {
        limit: query.limit,
        ...(query.before !== undefined ? { before: query.before } : {}),
      });
      return ok({ reports: await presentReports(services, reader, recordsOfRows(state, page.rows)), total: page.total, next: page.next });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/:id',
    summary: 'One report, with its case',
    tag: 'operations',
    action: 'report.list',
    params: IdParams,
    response: z.object({ report: ReportOut, case: CaseSummaryOut.nullable() }),
    async handler({ params, reader, services }) {
      const state = services.journal.image.operations;
      const record = state.reports.get(params.id);
      if (!record) return fail('not_found', `there is no report ${params.id}`, '/params/id');
      const [report] = await presentReports(services, reader, [record]);
      const kase = record.caseId ? state.cases.get(record.caseId) : undefined;
      return ok({ report: report!, case: kase ? caseSummary(state, reader, kase, services.now()) : null });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/cases',
    summary: 'Cases (reports grouped as one incident), newest first, with filters',
    tag: 'operations',
    action: 'case.list',
    query: CaseQuery,
    response: z.object({ cases: z.array(CaseSummaryOut), total: z.number().int(), next: z.number().int().nullable() }),
    async handler({ query, reader, services }) {
      const state = services.journal.image.operations;
      return ok(
        selectCases(
          state,
          reader,
          caseFilter(query),
          { limit: query.limit, ...(query.before !== undefined ? { before: query.before } : {}) },
          services.now(),
        ),
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/cases/:id',
    summary: 'One case: observations and claims apart, findings, dissent, grouping explanations, history',
    tag: 'operations',
    action: 'case.list',
    params: IdParams,
    response: z.object({ case: CaseDetailOut }),
    async handler({ params, reader, services }) {
      const state = services.journal.image.operations;
      const kase = state.cases.get(params.id);
      if (!kase) return fail('not_found', `there is no case ${params.id}`, '/params/id');
      const records = kase.reportIds.map((id) => state.reports.get(id)).filter((r): r is ReportRecord => !!r);
      const reports = await presentReports(services, reader, records);
      return ok({ case: caseDetail(state, reader, kase, reports, services.now()) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:id/lock',
    summary: 'Take the reviewer lock (with an expiry) so that two investigators do not collide',
    tag: 'operations',
    action: 'case.lock',
    params: IdParams,
    body: LockCommand,
    status: 201,
    response: CaseChanged,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const decided = lockCase(services.journal.image.operations, params.id, body, { now: services.now(), actor: actorOf(reader) });
      return appendCase(services, reader, params.id, decided, idempotencyKey);
    },
    replay: caseReplay,
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:id/unlock',
    summary: 'Release the reviewer lock',
    tag: 'operations',
    action: 'case.lock',
    params: IdParams,
    body: UnlockCommand,
    status: 201,
    response: CaseChanged,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const decided = unlockCase(services.journal.image.operations, params.id, body, { now: services.now(), actor: actorOf(reader) });
      return appendCase(services, reader, params.id, decided, idempotencyKey);
    },
    replay: caseReplay,
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:id/status',
    summary: 'Move a case through verification: reported → under-investigation → verified | not-verified | unfounded',
    tag: 'operations',
    action: 'case.change-status',
    params: IdParams,
    body: StatusCommand,
    status: 201,
    response: CaseChanged,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const decided = changeStatus(services.journal.image.operations, params.id, body, { now: services.now(), actor: actorOf(reader) });
      return appendCase(services, reader, params.id, decided, idempotencyKey);
    },
    replay: caseReplay,
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:id/findings',
    summary: 'Record a finding: attribution to a party with confidence, or "could not be attributed"',
    tag: 'operations',
    action: 'case.record-finding',
    params: IdParams,
    body: FindingCommand,
    status: 201,
    response: CaseChanged.extend({ findingId: z.string() }),
    async handler({ params, body, reader, services, idempotencyKey }) {
      const findingId = newId(reader, idempotencyKey);
      const knownParties = new Set(services.journal.image.identity.parties.keys());
      const decided = recordFinding(services.journal.image.operations, params.id, body, {
        now: services.now(),
        actor: actorOf(reader),
        findingId,
        knownParties,
      });
      const r = await appendCase(services, reader, params.id, decided, idempotencyKey);
      return r.ok ? ok({ ...r.value, findingId }) : r;
    },
    replay: (events) => {
      const r = caseReplay(events);
      return ok({ ...r.value, findingId: events[0]!.payload.findingId as string });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:id/dissents',
    summary: "Record a party's dissent from a case or a finding (its own record; the finding stands)",
    tag: 'operations',
    action: 'case.dissent',
    params: IdParams,
    body: DissentCommand,
    status: 201,
    response: CaseChanged.extend({ dissentId: z.string() }),
    async handler({ params, body, reader, services, idempotencyKey }) {
      const dissentId = newId(reader, idempotencyKey);
      const decided = recordDissent(services.journal.image.operations, params.id, body, {
        now: services.now(),
        actor: actorOf(reader),
        dissentId,
      });
      const r = await appendCase(services, reader, params.id, decided, idempotencyKey);
      return r.ok ? ok({ ...r.value, dissentId }) : r;
    },
    replay: (events) => {
      const r = caseReplay(events);
      return ok({ ...r.value, dissentId: events[0]!.payload.dissentId as string });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:id/merge',
    summary: 'Merge other cases into this one (the mediator judges them one incident)',
    tag: 'operations',
    action: 'case.regroup',
    params: IdParams,
    body: MergeCommand,
    status: 201,
    response: CaseChanged,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const decided = mergeCases(services.journal.image.operations, params.id, body, { now: services.now(), actor: actorOf(reader) });
      return appendCase(services, reader, params.id, decided, idempotencyKey);
    },
    replay: caseReplay,
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/cases/:id/split',
    summary: 'Split reports off into a new case (the mediator judges them another incident)',
    tag: 'operations',
    action: 'case.regroup',
    params: IdParams,
    body: SplitCommand,
    status: 201,
    response: CaseChanged.extend({ newCaseId: z.string() }),
    async handler({ params, body, reader, services, idempotencyKey }) {
      const newCaseId = newId(reader, idempotencyKey);
      const decided = splitCase(services.journal.image.operations, params.id, body, {
        now: services.now(),
        actor: actorOf(reader),
        newCaseId,
      });
      if (!decided.ok) return decided;
      const r = await appendCase(services, reader, params.id, decided, idempotencyKey);
      return r.ok ? ok({ ...r.value, newCaseId }) : r;
    },
    replay: (events) => {
      const r = caseReplay(events);
      return ok({ ...r.value, newCaseId: events[0]!.payload.newCaseId as string });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/access-denials',
    summary: "Monitors' access denials (restrictions of the mechanism's freedom of movement), newest first",
    tag: 'operations',
    action: 'access-denial.list',
    query: z
      .object({
        from: Instant.optional(),
        to: Instant.optional(),
        caseId: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    response: z.object({ accessDenials: z.array(AccessDenialOut), total: z.number().int() }),
    async handler({ query, reader, services }) {
      const state = services.journal.image.operations;
      const from = query.from ? Date.parse(query.from) : -Infinity;
      const to = query.to ? Date.parse(query.to) : Infinity;
      const all = [...state.accessDenials.values()].filter(
        (a) => a.time >= from && a.time <= to && (query.caseId === undefined || a.caseId === query.caseId),
      );
      all.sort((a, b) => b.time - a.time);
      return ok({ accessDenials: all.slice(0, query.limit).map((a) => accessDenialOut(state, reader, a)), total: all.length });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/correlation-rules',
    summary: 'The rules that group reports into cases (space-time window and compatible types)',
    tag: 'operations',
    action: 'correlation.read',
    response: z.object({ rules: CorrelationRules, setBy: z.string().nullable(), setAt: z.string().nullable() }),
    async handler({ services }) {
      const r = services.journal.image.operations.rules;
      return ok({ rules: r.rules, setBy: r.setBy, setAt: r.setAt });
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/correlation-rules',
    summary: 'Replace the correlation rules (they apply to reports filed from now on; earlier groupings keep their explanations)',
    tag: 'operations',
    action: 'correlation.configure',
    body: z.strictObject({ rules: CorrelationRules }),
    status: 201,
    response: z.object({ position: z.number().int(), hash: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      return appendAs(
        services,
        reader,
        ok([{ stream: 'correlation/rules', type: 'correlation.rules-set', payload: { rules: body.rules }, visibility: ['process'] }]),
        idempotencyKey,
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/map/incidents',
    summary: 'Incidents for the map as compact columns (up to 100,000), coarse unless the reader may read a row exactly',
    tag: 'operations',
    action: 'operations.map',
    query: MapQuery,
    response: MapIncidentsOut,
    async handler({ query, reader, services }) {
      return ok(mapIncidents(services.journal.image.operations, reader, reportFilter(query), query.limit));
    },
  }),
  ...(['geojson', 'csv'] as const).flatMap((format) => [
    defineRoute({
      method: 'GET',
      url: `/api/v1/exports/reports.${format}`,
      summary:
        format === 'geojson'
          ? 'Reports as GeoJSON (RFC 7946), as the reader may see them'
          : 'Reports as CSV (RFC 4180), as the reader may see them',
      tag: 'operations',
      action: 'operations.export',
      query: ExportQuery,
      response: z.string(),
      async handler({ query, reader, services, reply }) {
        const state = services.journal.image.operations;
        const page = selectRows(state, reader, reportFilter(query), { limit: query.limit });
        const reports = await presentReports(services, reader, recordsOfRows(state, page.rows));
        return ok(exportBody(reply, format, 'reports', format === 'geojson' ? reportsGeoJson(reports) : reportsCsv(reports)));
      },
    }),
    defineRoute({
      method: 'GET',
      url: `/api/v1/exports/cases.${format}`,
      summary:
        format === 'geojson'
          ? 'Cases as GeoJSON (RFC 7946), as the reader may see them'
          : 'Cases as CSV (RFC 4180), as the reader may see them',
      tag: 'operations',
      action: 'operations.export',
      query: CaseQuery.omit({ before: true }).extend({ limit: z.coerce.number().int().min(1).max(100_000).default(100_000) }),
      response: z.string(),
      async handler({ query, reader, services, reply }) {
        const state = services.journal.image.operations;
        const { cases } = selectCases(state, reader, caseFilter(query), { limit: query.limit }, services.now());
        return ok(exportBody(reply, format, 'cases', format === 'geojson' ? casesGeoJson(cases) : casesCsv(cases)));
      },
    }),
  ]),
  defineRoute({
    method: 'GET',
    url: '/api/v1/public/cases',
    summary: 'Verified cases for the public: the day, the types, a place at public precision, the attribution',
    tag: 'operations',
    action: 'operations.public',
    query: z
      .object({ from: Instant.optional(), to: Instant.optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) })
      .strict(),
    response: z.object({ cases: z.array(PublicCaseOut) }),
    async handler({ query, services }) {
      return ok({
        cases: publicCases(
          services.journal.image.operations,
          {
            limit: query.limit,
            ...(query.from ? { from: Date.parse(query.from) } : {}),
            ...(query.to ? { to: Date.parse(query.to) } : {}),
          },
          services.now(),
        ),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/daily-report',
    summary:
      'The daily report (OSCE style) for the 24 hours to a cut-off: counts by type, area and source, notable incidents, access restrictions',
    tag: 'operations',
    action: 'daily-report.read',
    query: z.object({ cutoff: Instant.optional() }).strict(),
    response: DailyReportOut,
    async handler({ query, reader, services }) {
      const state = services.journal.image.operations;
      const cutoff = query.cutoff ? new Date(query.cutoff) : services.now();
      // The coarse twins carry casualties and narratives; every participant may read them.
      const records = dailyRows(state, cutoff).map((row) => state.reports.get(state.rowIds[row]!)!);
      const events = await readPositions(
        services,
        records.map((r) => r.recorded || r.filed),
      );
      const payloads = new Map<string, ReportPayload>();
      for (const r of records) {
        const e = events.get(r.recorded || r.filed);
        if (e) payloads.set(r.id, e.payload as unknown as ReportPayload);
      }
      return ok(dailyReport(state, { cutoff, reader, areaOf: oblastOf, payloads }));
    },
  }),
];

function exportBody(
  reply: { type(t: string): unknown; header(k: string, v: string): unknown },
  format: 'geojson' | 'csv',
  what: string,
  body: unknown,
): string {
  void reply.type(format === 'geojson' ? 'application/geo+json; charset=utf-8' : 'text/csv; charset=utf-8');
  void reply.header('content-disposition', `attachment; filename="entente-${what}.${format}"`);
  return typeof body === 'string' ? body : JSON.stringify(body);
}
