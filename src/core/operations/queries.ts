import { hasGrant } from '../access/policy';
import type { Reader } from '../access/roles';
import type { JournalEvent } from '../journal/envelope';
import type { ReportPayload } from './events';
import { ZONE_FLAGS } from './incident-columns';
import { CASE_STATUSES, DOMAINS, EXACT_LOCATION_GRANT, REPORT_KINDS, REPORT_TYPES, SOURCES } from './model';
import { snapToGrid } from './precision';
import type { AccessDenialOut, CaseDetailOut, CaseSummaryOut, MapIncidentsOut, PublicCaseOut, ReportOut } from './read-model';
import type { AccessDenialRecord, CaseRecord, OperationsState, ReportRecord } from './state';
import { TRANSITIONS } from './verification';

/**
 * Reads of operations, per reader. The one rule of need-to-know precision lives here: a reader gets
 * exact coordinates only with the `exact-location` grant or for their own party's reports; for
 * everyone else every coordinate — and every filter on coordinates, so a shrinking bbox cannot probe
 * an exact place — is the public-precision one.
 */

export function mayReadExactly(reader: Reader, party: string | null): boolean {
  return hasGrant(reader, EXACT_LOCATION_GRANT) || (reader !== null && reader.party !== null && party !== null && reader.party === party);
}

export interface ReportFilter {
  readonly types?: readonly string[];
  readonly domains?: readonly string[];
  readonly sources?: readonly string[];
  readonly kind?: 'observation' | 'claim';
  readonly statuses?: readonly string[];
  /** The reporter's party. */
  readonly party?: string;
  /** The party the latest finding of the report's case attributes it to. */
  readonly attributedTo?: string;
  /** epoch ms, occurredAt within [from, to] */
  readonly from?: number;
  readonly to?: number;
  /** [west, south, east, north] */
  readonly bbox?: readonly [number, number, number, number];
  readonly caseId?: string;
  readonly zone?: keyof typeof ZONE_FLAGS;
}

const codes = (list: readonly string[], values: readonly string[] | undefined): Set<number> | null =>
  values && values.length > 0 ? new Set(values.map((v) => list.indexOf(v)).filter((i) => i >= 0)) : null;

/** Where a row lies for this reader, and whether that is exact. */
export function rowPoint(state: OperationsState, reader: Reader, row: number): { lon: number; lat: number; exact: boolean } {
  const c = state.columns;
  const party = state.parties[c.party[row]!] || null;
  if (mayReadExactly(reader, party)) return { lon: c.lon[row]!, lat: c.lat[row]!, exact: true };
  return { lon: round4(c.clon[row]!), lat: round4(c.clat[row]!), exact: false };
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** A predicate over rows for a filter, evaluated on what the reader may see. */
export function rowFilter(state: OperationsState, reader: Reader, f: ReportFilter): (row: number) => boolean {
  const c = state.columns;
  const types = codes(REPORT_TYPES, f.types);
  const domains = codes(DOMAINS, f.domains);
  const sources = codes(SOURCES, f.sources);
  const statuses = codes(CASE_STATUSES, f.statuses);
  const kind = f.kind === undefined ? null : REPORT_KINDS.indexOf(f.kind);
  const party = f.party === undefined ? null : state.parties.indexOf(f.party);
  const flag = f.zone ? ZONE_FLAGS[f.zone] : 0;
  let caseRows: Set<string> | null = null;
  if (f.caseId !== undefined) caseRows = new Set(state.cases.get(f.caseId)?.reportIds ?? []);
  let attributed: Set<number> | null = null;
  if (f.attributedTo !== undefined) {
    attributed = new Set();
    for (const kase of state.cases.values()) {
      const last = kase.findings[kase.findings.length - 1];
      if (last && last.attribution.party === f.attributedTo) attributed.add(kase.number);
    }
  }
  return (row) => {
    if (types && !types.has(c.type[row]!)) return false;
    if (domains && !domains.has(c.domain[row]!)) return false;
    if (sources && !sources.has(c.source[row]!)) return false;
    if (statuses && !statuses.has(c.status[row]!)) return false;
    if (kind !== null && c.kind[row] !== kind) return false;
    if (party !== null && c.party[row] !== party) return false;
    if (flag && !(c.flags[row]! & flag)) return false;
    if (f.from !== undefined && c.time[row]! < f.from) return false;
    if (f.to !== undefined && c.time[row]! > f.to) return false;
    if (attributed && !attributed.has(c.caseNo[row]!)) return false;
    if (caseRows && !caseRows.has(state.rowIds[row]!)) return false;
    if (f.bbox) {
      const p = rowPoint(state, reader, row);
      const [w, s, e, n] = f.bbox;
      if (p.lat < s || p.lat > n) return false;
      if (w <= e ? p.lon < w || p.lon > e : p.lon < w && p.lon > e) return false;
    }
    return true;
  };
}

/** Rows matching a filter, newest filing first, after a cursor (a row number); with the total. */
export function selectRows(
  state: OperationsState,
  reader: Reader,
  filter: ReportFilter,
  page: { limit: number; before?: number },
): { rows: number[]; total: number; next: number | null } {
  const match = rowFilter(state, reader, filter);
  const rows: number[] = [];
  let total = 0;
  let next: number | null = null;
  const start = Math.min(state.columns.size, page.before ?? state.columns.size);
  for (let row = state.columns.size - 1; row >= 0; row--) {
    if (!match(row)) continue;
    total++;
    if (row >= start) continue;
    if (rows.length < page.limit) rows.push(row);
    else if (next === null) next = rows[rows.length - 1]!;
  }
  return { rows, total, next };
}

/** Which event of a report this reader reads: exact (`report.filed`) or coarse (`report.recorded`). */
export function eventPositionFor(reader: Reader, record: ReportRecord): number {
  return mayReadExactly(reader, record.party) || record.recorded === 0 ? record.filed : record.recorded;
}

/**
 * A report as this reader may see it, from the event `eventPositionFor` named. The event's own
 * visibility is checked again: a wrong event never turns into exact coordinates for the wrong reader.
 */
export function reportOut(state: OperationsState, reader: Reader, record: ReportRecord, event: JournalEvent): ReportOut {
  const exact = mayReadExactly(reader, record.party);
  const p = event.payload as Partial<ReportPayload> & Record<string, unknown>;
  const payloadExact = p.precision === 'exact' || p.precision === undefined;
  if (payloadExact && !exact && event.type === 'report.filed' && record.recorded !== 0) {
    throw new Error(`refusing to present the exact event of report ${record.id} to a reader without need to know`);
  }
  const row = record.row;
  const c = state.columns;
  const kase = record.caseId ? state.cases.get(record.caseId) : undefined;
  let location: ReportOut['location'];
  if (exact && p.location && (p.location as { type?: string }).type === 'area') {
    const area = p.location as { polygon: [number, number][][]; precision_m: number };
    location = { type: 'area', lon: c.lon[row]!, lat: c.lat[row]!, precision_m: area.precision_m, polygon: area.polygon };
  } else if (exact || !payloadExact) {
    const l = (p.location ?? {}) as { lon?: number; lat?: number; precision_m?: number };
    const at = p.point ?? { lon: Number(l.lon), lat: Number(l.lat) };
    location = { type: 'point', lon: at.lon, lat: at.lat, precision_m: Number(l.precision_m ?? 100) };
  } else {
    // A legacy report (filed before coarse twins existed): coarsen here.
    const at = rowPoint(state, reader, row);
    location = { type: 'point', lon: at.lon, lat: at.lat, precision_m: c.cell[row]! };
  }
  return {
    id: record.id,
    position: event.position,
    occurredAt: String(p.occurredAt),
    occurredPrecision: p.occurredPrecision ?? 'minute',
    enteredOffset: p.enteredOffset ?? 'Z',
    location,
    precision: exact ? 'exact' : 'public',
    domain: String(p.domain),
    type: String(p.type),
    weaponClass: p.weaponClass ?? null,
    casualties: p.casualties ?? [],
    source: String(p.source),
    kind: record.kind,
    evidence: p.evidence ?? [],
    narrative: typeof p.narrative === 'string' ? p.narrative : '',
    externalRef: record.externalRef,
    signature: p.signature ? { keyId: p.signature.keyId, verified: p.signature.verified } : null,
    reportedBy: record.reportedBy,
    party: record.party,
    recordedAt: record.recordedAt,
    caseId: kase ? kase.id : null,
    caseNumber: kase ? kase.number : null,
    status: kase ? kase.status : null,
    framework: p.framework ?? null,
    classification: exact || !payloadExact ? (p.classification ?? null) : null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Cases

export interface CaseFilter {
  readonly statuses?: readonly string[];
  readonly types?: readonly string[];
  readonly domains?: readonly string[];
  /** A reporting party, or the party the case is attributed to. */
  readonly party?: string;
  readonly attributedTo?: string;
  readonly from?: number;
  readonly to?: number;
  readonly bbox?: readonly [number, number, number, number];
  readonly zone?: keyof typeof ZONE_FLAGS;
  readonly includeMerged?: boolean;
}

export function caseSummary(state: OperationsState, reader: Reader, kase: CaseRecord, now: Date): CaseSummaryOut {
  const c = state.columns;
  const types = new Set<string>();
  const domains = new Set<string>();
  const parties = new Set<string>();
  let first = Infinity;
  let last = -Infinity;
  let observations = 0;
  let claims = 0;
  let flags = 0;
  let killed = 0;
  let injured = 0;
  let allExact = kase.reportIds.length > 0;
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (const id of kase.reportIds) {
    const r = state.reports.get(id);
    if (!r) continue;
    const row = r.row;
    types.add(REPORT_TYPES[c.type[row]!]!);
    domains.add(DOMAINS[c.domain[row]!]!);
    if (r.party) parties.add(r.party);
    first = Math.min(first, c.time[row]!);
    last = Math.max(last, c.time[row]!);
    if (r.kind === 'claim') claims++;
    else observations++;
    flags |= c.flags[row]!;
    // Reports of one incident count the same people: the case shows the largest account, not the sum.
    killed = Math.max(killed, c.killed[row]!);
    injured = Math.max(injured, c.injured[row]!);
    if (!mayReadExactly(reader, r.party)) allExact = false;
  }
  for (const id of kase.reportIds) {
    const r = state.reports.get(id);
    if (!r) continue;
    sx += allExact ? c.lon[r.row]! : c.clon[r.row]!;
    sy += allExact ? c.lat[r.row]! : c.clat[r.row]!;
    n++;
  }
  let location: { lon: number; lat: number } | null = null;
  if (n > 0) {
    location = { lon: sx / n, lat: sy / n };
    // The mean of coarse cells is snapped again, so it stays a cell centre.
    if (!allExact) location = snapToGrid(location.lon, location.lat, coarsestPrecision(state, kase));
  }
  const finding = kase.findings[kase.findings.length - 1];
  const lock = kase.lock && Date.parse(kase.lock.until) > now.getTime() ? { ...kase.lock } : null;
  return {
    id: kase.id,
    number: kase.number,
    status: kase.status,
    version: kase.version,
    openedAt: kase.openedAt,
    statusChangedAt: kase.statusChangedAt,
    firstOccurredAt: n > 0 ? new Date(first).toISOString() : null,
    lastOccurredAt: n > 0 ? new Date(last).toISOString() : null,
    location,
    precision: allExact ? 'exact' : 'public',
    types: [...types].sort(),
    domains: [...domains].sort(),
    reportCount: n,
    observationCount: observations,
    claimCount: claims,
    parties: [...parties].sort(),
    attribution: finding ? finding.attribution : null,
    severity: finding ? finding.severity : null,
    lock,
    zones: {
      buffer: (flags & ZONE_FLAGS.buffer) !== 0,
      withdrawal: (flags & ZONE_FLAGS.withdrawal) !== 0,
      corridor: (flags & ZONE_FLAGS.corridor) !== 0,
      airspace: (flags & ZONE_FLAGS.airspace) !== 0,
    },
    casualties: { killed, injured },
    mergedInto: kase.mergedInto,
    splitFrom: kase.splitFrom,
  };
}

/** The coarsest grid among a case's reports (versions in force may differ in public precision). */
export function coarsestPrecision(state: OperationsState, kase: CaseRecord): number {
  let p = 0;
  for (const id of kase.reportIds) {
    const r = state.reports.get(id);
    if (r) p = Math.max(p, state.columns.cell[r.row]!);
  }
  return p || 5000;
}

export function caseMatches(kase: CaseRecord, s: CaseSummaryOut, f: CaseFilter): boolean {
  if (kase.mergedInto && !f.includeMerged) return false;
  if (f.statuses && f.statuses.length > 0 && !f.statuses.includes(s.status)) return false;
  if (f.types && f.types.length > 0 && !s.types.some((t) => f.types!.includes(t))) return false;
  if (f.domains && f.domains.length > 0 && !s.domains.some((d) => f.domains!.includes(d))) return false;
  if (f.party !== undefined && !s.parties.includes(f.party) && s.attribution?.party !== f.party) return false;
  if (f.attributedTo !== undefined && s.attribution?.party !== f.attributedTo) return false;
  if (f.zone && !s.zones[f.zone]) return false;
  if (f.from !== undefined && (s.lastOccurredAt === null || Date.parse(s.lastOccurredAt) < f.from)) return false;
  if (f.to !== undefined && (s.firstOccurredAt === null || Date.parse(s.firstOccurredAt) > f.to)) return false;
  if (f.bbox) {
    if (!s.location) return false;
    const [w, so, e, n] = f.bbox;
    if (s.location.lat < so || s.location.lat > n || s.location.lon < w || s.location.lon > e) return false;
  }
  return true;
}

export function selectCases(
  state: OperationsState,
  reader: Reader,
  filter: CaseFilter,
  page: { limit: number; before?: number },
  now: Date,
): { cases: CaseSummaryOut[]; total: number; next: number | null } {
  const out: CaseSummaryOut[] = [];
  let total = 0;
  let next: number | null = null;
  for (let i = state.caseIds.length - 1; i >= 0; i--) {
    const kase = state.cases.get(state.caseIds[i]!)!;
    if (kase.mergedInto && !filter.includeMerged) continue;
    const s = caseSummary(state, reader, kase, now);
    if (!caseMatches(kase, s, filter)) continue;
    total++;
    if (page.before !== undefined && kase.number >= page.before) continue;
    if (out.length < page.limit) out.push(s);
    else if (next === null) next = out[out.length - 1]!.number;
  }
  return { cases: out, total, next };
}

export function accessDenialOut(state: OperationsState, reader: Reader, a: AccessDenialRecord): AccessDenialOut {
  const exact = mayReadExactly(reader, a.party);
  const where = exact ? a.exact : a.coarse;
  const kase = a.caseId ? state.cases.get(a.caseId) : undefined;
  return {
    id: a.id,
    occurredAt: a.occurredAt,
    location: { lon: where.lon, lat: where.lat, precision_m: where.precision_m },
    precision: exact ? 'exact' : 'public',
    deniedBy: a.deniedBy,
    place: a.place,
    durationMinutes: a.durationMinutes,
    caseId: a.caseId,
    caseNumber: kase ? kase.number : null,
    narrative: a.narrative,
    reportedBy: a.reportedBy,
    party: a.party,
  };
}

/** The case in full: its reports (claims and observations apart, as this reader may see them) and its record. */
export function caseDetail(
  state: OperationsState,
  reader: Reader,
  kase: CaseRecord,
  reports: readonly ReportOut[],
  now: Date,
): CaseDetailOut {
  return {
    ...caseSummary(state, reader, kase, now),
    observations: reports.filter((r) => r.kind === 'observation'),
    claims: reports.filter((r) => r.kind === 'claim'),
    findings: kase.findings.map((f) => ({
      id: f.id,
      attribution: f.attribution,
      summary: f.summary,
      severity: f.severity,
      by: f.by,
      party: f.party,
      at: f.at,
    })),
    dissents: kase.dissents.map((d) => ({ id: d.id, party: d.party, by: d.by, text: d.text, findingId: d.findingId, at: d.at })),
    explanations: kase.explanations
      .filter((e) => kase.reportIds.includes(e.reportId))
      .map((e) => ({ reportId: e.reportId, text: e.text, rule: e.rule })),
    history: kase.history.map((h) => ({ ...h })),
    absorbed: kase.absorbed.map((id) => ({ id, number: state.cases.get(id)?.number ?? 0 })),
    accessDenials: kase.accessDenials
      .map((id) => state.accessDenials.get(id))
      .filter((a): a is AccessDenialRecord => !!a)
      .map((a) => accessDenialOut(state, reader, a)),
    transitions: kase.mergedInto ? [] : [...TRANSITIONS[kase.status]],
  };
}

// ---------------------------------------------------------------------------------------------------
// The map: compact columns, coarse unless the reader may read a row exactly.

export function mapIncidents(state: OperationsState, reader: Reader, filter: ReportFilter, limit: number): MapIncidentsOut {
  const c = state.columns;
  const match = rowFilter(state, reader, filter);
  const cols: MapIncidentsOut['columns'] = {
    id: [],
    lon: [],
    lat: [],
    time: [],
    type: [],
    domain: [],
    status: [],
    source: [],
    kind: [],
    party: [],
    caseNumber: [],
    precise: [],
    zones: [],
  };
  let total = 0;
  for (let row = c.size - 1; row >= 0; row--) {
    if (!match(row)) continue;
    total++;
    if (cols.id.length >= limit) continue;
    const p = rowPoint(state, reader, row);
    cols.id.push(state.rowIds[row]!);
    cols.lon.push(p.lon);
    cols.lat.push(p.lat);
    cols.time.push(Math.floor(c.time[row]! / 1000));
    cols.type.push(c.type[row]!);
    cols.domain.push(c.domain[row]!);
    cols.status.push(c.status[row]!);
    cols.source.push(c.source[row]!);
    cols.kind.push(c.kind[row]!);
    cols.party.push(c.party[row]! - 1);
    cols.caseNumber.push(c.caseNo[row]!);
    cols.precise.push(p.exact ? 1 : 0);
    cols.zones.push(c.flags[row]!);
  }
  return {
    count: cols.id.length,
    total,
    truncated: total > cols.id.length,
    dictionaries: {
      type: [...REPORT_TYPES],
      domain: [...DOMAINS],
      status: [...CASE_STATUSES],
      source: [...SOURCES],
      kind: [...REPORT_KINDS],
      party: state.parties.slice(1),
    },
    columns: cols,
  };
}

// ---------------------------------------------------------------------------------------------------
// The public: verified cases only, at public precision, with the day but not the minute.

export function publicCases(state: OperationsState, filter: { from?: number; to?: number; limit: number }, now: Date): PublicCaseOut[] {
  const out: PublicCaseOut[] = [];
  for (let i = state.caseIds.length - 1; i >= 0 && out.length < filter.limit; i--) {
    const kase = state.cases.get(state.caseIds[i]!)!;
    if (kase.status !== 'verified' || kase.mergedInto) continue;
    const s = caseSummary(state, null, kase, now);
    if (filter.from !== undefined && (s.lastOccurredAt === null || Date.parse(s.lastOccurredAt) < filter.from)) continue;
    if (filter.to !== undefined && (s.firstOccurredAt === null || Date.parse(s.firstOccurredAt) > filter.to)) continue;
    out.push({
      id: s.id,
      number: s.number,
      status: 'verified',
      verifiedAt: kase.statusChangedAt,
      occurredOn: s.firstOccurredAt ? s.firstOccurredAt.slice(0, 10) : null,
      types: s.types,
      domains: s.domains,
      location: s.location,
      precision_m: coarsestPrecision(state, kase),
      attribution: s.attribution,
      severity: s.severity,
      casualties: s.casualties,
    });
  }
  return out;
}
