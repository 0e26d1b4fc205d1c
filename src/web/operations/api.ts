import { z } from 'zod';
import type { ReportInput } from '../../core/operations/model';
import { DailyReportOut } from '../../core/operations/daily-report';
import { CaseDetailOut, CaseSummaryOut, MapIncidentsOut, PublicCaseOut, ReportOut } from '../../core/operations/read-model';

export type { CaseDetailOut, CaseSummaryOut, DailyReportOut, PublicCaseOut, ReportOut };
import { getFramework, getFrameworkVersion, type ApiClient, type ApiResult } from '../api';
import type { IncidentRow } from './map/incidents';
import { zonesOf, type FrameworkZones } from './map/zones';

/*
 * The operations API as the live picture uses it. Answers are parsed with zod at the edge; enumerations
 * are read as plain strings, so a value the server adds later shows up by its code instead of hiding a
 * whole list. Functions over the shared client (like the framework's), so this module owns its calls.
 */

/** What the report form sends: the intake schema's input (defaults filled in by the server). */
export type ReportSubmission = z.input<typeof ReportInput>;

export const ReportFiled = z.looseObject({
  id: z.string(),
  /** Position of the report's `report.filed` event. */
  position: z.number().int(),
  caseId: z.string().nullable().optional(),
  warnings: z.array(z.looseObject({ code: z.string(), message: z.string(), pointer: z.string().optional() })).optional(),
});
export type ReportFiled = z.infer<typeof ReportFiled>;

export function fileReport(api: ApiClient, body: ReportSubmission, idempotencyKey: string): Promise<ApiResult<ReportFiled>> {
  return api.request('POST', '/api/v1/reports', ReportFiled, body, { idempotencyKey });
}

// --- the map --------------------------------------------------------------------------------------

export interface IncidentLoad {
  readonly rows: IncidentRow[];
  /** Whether every coordinate is exact (a grant holder), every one coarse, or some of each. */
  readonly precision: 'exact' | 'public' | 'mixed';
  /** Matching incidents before the server's limit (more than `rows` when truncated). */
  readonly total: number;
}

/** `GET /api/v1/map/incidents`: compact columns, codes into dictionaries, time in epoch seconds. */
export async function loadIncidents(api: ApiClient): Promise<ApiResult<IncidentLoad>> {
  const answer = await api.request('GET', '/api/v1/map/incidents', MapIncidentsOut);
  if (!answer.ok) return answer;
  const { columns: c, dictionaries: d } = answer.value;
  const rows: IncidentRow[] = new Array(c.id.length);
  let precise = 0;
  for (let i = 0; i < c.id.length; i++) {
    const party = c.party[i]!;
    const caseNumber = c.caseNumber[i]!;
    precise += c.precise[i]! ? 1 : 0;
    rows[i] = {
      id: c.id[i]!,
      lon: c.lon[i]!,
      lat: c.lat[i]!,
      time: c.time[i]! * 1000,
      type: d.type[c.type[i]!] ?? 'other',
      domain: d.domain[c.domain[i]!] ?? 'other',
      status: d.status[c.status[i]!] ?? 'reported',
      source: d.source[c.source[i]!] ?? 'other',
      party: party < 0 ? null : (d.party[party] ?? null),
      caseKey: caseNumber > 0 ? `#${caseNumber}` : null,
    };
  }
  const precision = precise === rows.length ? 'exact' : precise === 0 ? 'public' : 'mixed';
  return { ok: true, value: { rows, precision, total: answer.value.total } };
}

/** One report with its case (what a click on the map opens). */
export function getReport(api: ApiClient, id: string): Promise<ApiResult<{ report: ReportOut; case: CaseSummaryOut | null }>> {
  return api.request('GET', `/api/v1/reports/${encodeURIComponent(id)}`, z.object({ report: ReportOut, case: CaseSummaryOut.nullable() }));
}

// --- cases and the verification workflow --------------------------------------------------------

export interface CaseQuery {
  readonly status?: readonly string[];
  readonly limit?: number;
  readonly before?: number;
}

const CaseList = z.object({ cases: z.array(CaseSummaryOut), total: z.number().int(), next: z.number().int().nullable() });
export type CaseList = z.infer<typeof CaseList>;

export function listCases(api: ApiClient, query: CaseQuery = {}): Promise<ApiResult<CaseList>> {
  const params = new URLSearchParams();
  if (query.status && query.status.length > 0) params.set('status', query.status.join(','));
  params.set('limit', String(query.limit ?? 100));
  if (query.before !== undefined) params.set('before', String(query.before));
  return api.request('GET', `/api/v1/cases?${params.toString()}`, CaseList);
}

export async function getCase(api: ApiClient, id: string): Promise<ApiResult<CaseDetailOut>> {
  const r = await api.request('GET', `/api/v1/cases/${encodeURIComponent(id)}`, z.object({ case: CaseDetailOut }));
  return r.ok ? { ok: true, value: r.value.case } : r;
}

const CaseChanged = z.looseObject({ caseId: z.string(), version: z.number().int(), position: z.number().int() });
export type CaseChanged = z.infer<typeof CaseChanged>;

/** The case commands. Each states the case version the reader decided on: a stale one is a 409. */
export type CaseCommand =
  | { readonly kind: 'lock'; readonly body: { version: number; minutes?: number } }
  | { readonly kind: 'unlock'; readonly body: { version: number } }
  | { readonly kind: 'status'; readonly body: { version: number; to: string; reason: string } }
  | {
      readonly kind: 'findings';
      readonly body: {
        version: number;
        attribution: { party: string; confidence: 'low' | 'medium' | 'high' } | { party: null; couldNotAttribute: true; reason: string };
        summary: string;
        severity?: number;
      };
    }
  | { readonly kind: 'dissents'; readonly body: { version: number; text: string; findingId?: string } };

export function sendCaseCommand(
  api: ApiClient,
  caseId: string,
  command: CaseCommand,
  idempotencyKey: string,
): Promise<ApiResult<CaseChanged>> {
  return api.request('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/${command.kind}`, CaseChanged, command.body, { idempotencyKey });
}

// --- the daily report and the public page -----------------------------------------------------------

export function getDailyReport(api: ApiClient, cutoff: string | null): Promise<ApiResult<DailyReportOut>> {
  return api.request('GET', `/api/v1/daily-report${cutoff ? `?cutoff=${encodeURIComponent(cutoff)}` : ''}`, DailyReportOut);
}

export async function getPublicCases(api: ApiClient): Promise<ApiResult<readonly PublicCaseOut[]>> {
  const r = await api.request('GET', '/api/v1/public/cases?limit=5000', z.object({ cases: z.array(PublicCaseOut) }));
  return r.ok ? { ok: true, value: r.value.cases } : r;
}

// --- zones of the framework in force ----------------------------------------------------------------

export interface ZonesInForce extends FrameworkZones {
  readonly version: number;
  readonly since: string;
}

/** The zones of the framework in force now (null when none is), from the framework API. */
export async function loadZonesInForce(api: ApiClient): Promise<ApiResult<ZonesInForce | null>> {
  const overview = await getFramework(api);
  if (!overview.ok) return overview;
  const inForce = overview.value.inForce;
  if (!inForce) return { ok: true, value: null };
  const version = await getFrameworkVersion(api, inForce.number);
  if (!version.ok) return version;
  return { ok: true, value: { ...zonesOf(version.value.document), version: inForce.number, since: inForce.since } };
}
