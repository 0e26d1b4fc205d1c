import { z } from 'zod';
import type { Reader } from '../access/roles';
import type { ReportPayload } from './events';
import { ZONE_FLAGS } from './incident-columns';
import { CASE_STATUSES, DOMAINS, REPORT_TYPES, SOURCES } from './model';
import { AttributionOut } from './read-model';
import { caseSummary } from './queries';
import type { OperationsState } from './state';

/**
 * The daily report in the manner of the OSCE SMM: what was reported in the 24 hours to a cut-off time,
 * counted by type, area and source, the incidents worth naming, and the restrictions the monitors met.
 * Counts include claims and unverified observations (each labelled as such), as the SMM's did; the
 * public edition leaves out narratives and gives coarse places only.
 */

export const DailyReportOut = z.object({
  cutoff: z.string(),
  from: z.string(),
  audience: z.enum(['public', 'participants']),
  totals: z.object({
    reports: z.number().int(),
    observations: z.number().int(),
    claims: z.number().int(),
    cases: z.number().int(),
    accessDenials: z.number().int(),
  }),
  byType: z.array(z.object({ type: z.string(), count: z.number().int(), observations: z.number().int(), claims: z.number().int() })),
  byArea: z.array(z.object({ area: z.string(), count: z.number().int() })),
  bySource: z.array(z.object({ source: z.string(), count: z.number().int() })),
  byDomain: z.array(z.object({ domain: z.string(), count: z.number().int() })),
  byStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
  casualties: z.array(z.object({ category: z.string(), outcome: z.string(), count: z.number().int() })),
  zones: z.object({ buffer: z.number().int(), withdrawal: z.number().int(), corridor: z.number().int(), airspace: z.number().int() }),
  notable: z.array(
    z.object({
      caseId: z.string(),
      caseNumber: z.number().int(),
      status: z.string(),
      occurredAt: z.string(),
      types: z.array(z.string()),
      area: z.string(),
      location: z.object({ lon: z.number(), lat: z.number() }).nullable(),
      precision: z.enum(['exact', 'public']),
      reasons: z.array(z.string()),
      casualties: z.object({ killed: z.number().int(), injured: z.number().int() }),
      attribution: AttributionOut.nullable(),
      reportCount: z.number().int(),
      narrative: z.string().nullable(),
    }),
  ),
  accessRestrictions: z.object({
    denials: z.array(
      z.object({
        id: z.string(),
        occurredAt: z.string(),
        place: z.string(),
        area: z.string(),
        deniedBy: z.string().nullable(),
        durationMinutes: z.number().nullable(),
        caseNumber: z.number().int().nullable(),
      }),
    ),
    movementRestrictionReports: z.number().int(),
  }),
});
export type DailyReportOut = z.infer<typeof DailyReportOut>;

export const OUTSIDE_AREAS = 'outside the mapped areas';

export interface DailyReportInput {
  readonly cutoff: Date;
  readonly reader: Reader;
  /** The administrative area (oblast) of a point; loaded outside core. */
  readonly areaOf: (lon: number, lat: number) => string | null;
  /** The coarse (`report.recorded`) payloads of the window's reports, by report id, for casualties and narratives. */
  readonly payloads: ReadonlyMap<string, ReportPayload>;
}

const DAY_MS = 24 * 3600_000;

/** Rows of reports that occurred in the 24 hours to the cut-off (exclusive start, inclusive end). */
export function dailyRows(state: OperationsState, cutoff: Date): number[] {
  const to = cutoff.getTime();
  const from = to - DAY_MS;
  const rows: number[] = [];
  for (let row = 0; row < state.columns.size; row++) {
    const t = state.columns.time[row]!;
    if (t > from && t <= to) rows.push(row);
  }
  return rows;
}

export function dailyReport(state: OperationsState, input: DailyReportInput): DailyReportOut {
  const c = state.columns;
  const rows = dailyRows(state, input.cutoff);
  const inDay = new Set(rows);
  const participants = input.reader !== null;
  const count = <K extends string>(map: Map<K, number>, key: K, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
  const byType = new Map<string, { count: number; observations: number; claims: number }>();
  const byArea = new Map<string, number>();
  const bySource = new Map<string, number>();
  const byDomain = new Map<string, number>();
  const zones = { buffer: 0, withdrawal: 0, corridor: 0, airspace: 0 };
  const caseIds = new Set<string>();
  const areaOfRow = new Map<number, string>();
  let observations = 0;
  let claims = 0;
  let restrictions = 0;
  // Casualties: per case the largest account of each category and outcome, from observations (claims are
  // a party's word); summed over cases.
  const perCase = new Map<string, Map<string, number>>();

  for (const row of rows) {
    const id = state.rowIds[row]!;
    const record = state.reports.get(id)!;
    const type = REPORT_TYPES[c.type[row]!]!;
    const t = byType.get(type) ?? { count: 0, observations: 0, claims: 0 };
    t.count++;
    if (record.kind === 'claim') {
      t.claims++;
      claims++;
    } else {
      t.observations++;
      observations++;
    }
    byType.set(type, t);
    // The area is taken from the exact point: an oblast is far coarser than the public grid.
    const area = input.areaOf(c.lon[row]!, c.lat[row]!) ?? OUTSIDE_AREAS;
    areaOfRow.set(row, area);
    count(byArea, area);
    count(bySource, SOURCES[c.source[row]!]!);
    count(byDomain, DOMAINS[c.domain[row]!]!);
    const f = c.flags[row]!;
    if (f & ZONE_FLAGS.buffer) zones.buffer++;
    if (f & ZONE_FLAGS.withdrawal) zones.withdrawal++;
    if (f & ZONE_FLAGS.corridor) zones.corridor++;
    if (f & ZONE_FLAGS.airspace) zones.airspace++;
    if (type === 'movement-restriction') restrictions++;
    if (record.caseId) caseIds.add(record.caseId);
    const payload = input.payloads.get(id);
    if (payload && record.kind === 'observation' && record.caseId) {
      const m = perCase.get(record.caseId) ?? new Map<string, number>();
      const here = new Map<string, number>();
      for (const k of payload.casualties) count(here, `${k.category}|${k.outcome}`, k.count);
      for (const [k, n] of here) m.set(k, Math.max(m.get(k) ?? 0, n));
      perCase.set(record.caseId, m);
    }
  }

  const casualties = new Map<string, number>();
  for (const m of perCase.values()) for (const [k, n] of m) count(casualties, k, n);

  const byStatus = new Map<string, number>();
  const notable: DailyReportOut['notable'] = [];
  const now = input.cutoff;
  for (const caseId of caseIds) {
    const kase = state.cases.get(caseId);
    if (!kase) continue;
    count(byStatus, kase.status);
    const s = caseSummary(state, input.reader, kase, now);
    const inWindow = kase.reportIds.map((id) => state.reports.get(id)!).filter((r) => inDay.has(r.row));
    const reasons: string[] = [];
    if (s.casualties.killed > 0 || s.casualties.injured > 0) reasons.push('casualties');
    if (s.types.includes('missile')) reasons.push('missile');
    if (s.types.includes('infrastructure-damage')) reasons.push('damage to infrastructure');
    if (s.zones.buffer) reasons.push('inside the buffer zone');
    if (s.zones.withdrawal) reasons.push('heavy weapon closer than its withdrawal distance');
    if (s.zones.corridor) reasons.push('in the maritime corridor or its buffer');
    if (s.status === 'verified') reasons.push('verified');
    if (s.observationCount > 0 && s.claimCount > 0) reasons.push('claims and observations');
    if (reasons.length === 0) continue;
    const firstRow = inWindow.reduce((a, r) => (c.time[r.row]! < c.time[a.row]! ? r : a), inWindow[0]!);
    const observation = inWindow.find((r) => r.kind === 'observation') ?? inWindow[0]!;
    notable.push({
      caseId: kase.id,
      caseNumber: kase.number,
      status: kase.status,
      occurredAt: new Date(c.time[firstRow.row]!).toISOString(),
      types: s.types,
      area: areaOfRow.get(firstRow.row) ?? OUTSIDE_AREAS,
      location: s.location,
      precision: s.precision,
      reasons,
      casualties: s.casualties,
      attribution: s.attribution,
      reportCount: s.reportCount,
      narrative: participants ? (input.payloads.get(observation.id)?.narrative ?? null) : null,
    });
  }
  notable.sort((a, b) => b.reasons.length - a.reasons.length || a.occurredAt.localeCompare(b.occurredAt));

  const from = new Date(input.cutoff.getTime() - DAY_MS);
  const denials = [...state.accessDenials.values()].filter((a) => a.time > from.getTime() && a.time <= input.cutoff.getTime());
  return {
    cutoff: input.cutoff.toISOString(),
    from: from.toISOString(),
    audience: participants ? 'participants' : 'public',
    totals: { reports: rows.length, observations, claims, cases: caseIds.size, accessDenials: denials.length },
    byType: REPORT_TYPES.filter((t) => byType.has(t)).map((t) => ({ type: t, ...byType.get(t)! })),
    byArea: [...byArea].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([area, n]) => ({ area, count: n })),
    bySource: SOURCES.filter((s) => bySource.has(s)).map((s) => ({ source: s, count: bySource.get(s)! })),
    byDomain: DOMAINS.filter((d) => byDomain.has(d)).map((d) => ({ domain: d, count: byDomain.get(d)! })),
    byStatus: CASE_STATUSES.filter((s) => byStatus.has(s)).map((s) => ({ status: s, count: byStatus.get(s)! })),
    casualties: [...casualties].sort().map(([k, n]) => {
      const [category, outcome] = k.split('|') as [string, string];
      return { category, outcome, count: n };
    }),
    zones,
    notable: notable.slice(0, 50),
    accessRestrictions: {
      denials: denials
        .sort((a, b) => a.time - b.time)
        .map((a) => ({
          id: a.id,
          occurredAt: a.occurredAt,
          place: a.place,
          area: input.areaOf(a.exact.lon, a.exact.lat) ?? OUTSIDE_AREAS,
          deniedBy: a.deniedBy,
          durationMinutes: a.durationMinutes,
          caseNumber: a.caseId ? (state.cases.get(a.caseId)?.number ?? null) : null,
        })),
      movementRestrictionReports: restrictions,
    },
  };
}
