import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import { type CorrelationRule, DEFAULT_CORRELATION_RULES, GROUPABLE_PRECISIONS } from './correlation';
import type { AccessDenialPayload, ClassificationPayload, ReportPayload } from './events';
import { codeOf, IncidentColumns, ZONE_FLAGS } from './incident-columns';
import { CASE_STATUSES, type CaseStatus, DOMAINS, REPORT_TYPES, type ReportKind, SOURCES, TIME_PRECISIONS } from './model';
import { DEFAULT_PUBLIC_PRECISION_M, snapToGrid } from './precision';

/**
 * The operations read model: reports (metadata in memory, columns for scans; narratives and the rest
 * stay in the journal and are read from the store by position), cases with their history, access
 * denials, and the correlation rules. Folded the same way live and at rebuild.
 */

export interface ReportRecord {
  readonly id: string;
  readonly row: number;
  /** Position of `report.filed` (exact) and of `report.recorded` (coarse; 0 for a legacy report). */
  readonly filed: number;
  recorded: number;
  readonly reportedBy: string;
  readonly party: string | null;
  readonly kind: ReportKind;
  caseId: string | null;
  readonly externalRef: string | null;
  readonly recordedAt: string;
}

export interface CaseEntry {
  readonly position: number;
  readonly type: string;
  readonly actor: string;
  readonly party: string | null;
  readonly at: string;
  readonly summary: string;
}

export interface Explanation {
  readonly reportId: string;
  readonly text: string;
  readonly rule: string | null;
  readonly position: number;
}

export interface Finding {
  readonly id: string;
  readonly attribution: { party: string; confidence: 'low' | 'medium' | 'high' } | { party: null; couldNotAttribute: true; reason: string };
  readonly summary: string;
  readonly severity: number | null;
  readonly by: string;
  readonly party: string | null;
  readonly at: string;
  readonly position: number;
}

export interface Dissent {
  readonly id: string;
  readonly party: string | null;
  readonly by: string;
  readonly text: string;
  readonly findingId: string | null;
  readonly at: string;
  readonly position: number;
}

export interface CaseRecord {
  readonly id: string;
  readonly number: number;
  status: CaseStatus;
  /** The case stream's version: commands state the version they decided on. */
  version: number;
  reportIds: string[];
  explanations: Explanation[];
  findings: Finding[];
  dissents: Dissent[];
  lock: { by: string; until: string } | null;
  mergedInto: string | null;
  absorbed: string[];
  splitFrom: string | null;
  readonly openedAt: string;
  statusChangedAt: string;
  accessDenials: string[];
  history: CaseEntry[];
}

export interface AccessDenialRecord {
  readonly id: string;
  readonly time: number;
  readonly occurredAt: string;
  readonly exact: { lon: number; lat: number; precision_m: number };
  coarse: { lon: number; lat: number; precision_m: number };
  readonly filed: number;
  recorded: number;
  readonly reportedBy: string;
  readonly party: string | null;
  readonly deniedBy: string | null;
  readonly place: string;
  readonly durationMinutes: number | null;
  readonly caseId: string | null;
  readonly narrative: string;
}

export interface OperationsState {
  reports: Map<string, ReportRecord>;
  /** row → report id */
  rowIds: string[];
  columns: IncidentColumns;
  externalRefs: Map<string, string>;
  cases: Map<string, CaseRecord>;
  /** case number - 1 → case id */
  caseIds: string[];
  accessDenials: Map<string, AccessDenialRecord>;
  /** party id dictionary for the party column; index 0 is "no party" */
  parties: string[];
  rules: { rules: CorrelationRule[]; setBy: string | null; setAt: string | null; position: number };
  /** Space-time buckets of groupable rows (rebuilt, not snapshotted). */
  grid: Map<number, number[]>;
}

export const OPERATIONS_PROJECTION = 'operations';

export function initOperations(): OperationsState {
  return {
    reports: new Map(),
    rowIds: [],
    columns: new IncidentColumns(),
    externalRefs: new Map(),
    cases: new Map(),
    caseIds: [],
    accessDenials: new Map(),
    parties: [''],
    rules: { rules: DEFAULT_CORRELATION_RULES, setBy: null, setAt: null, position: 0 },
    grid: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------------
// The space-time grid: 0.1° cells and 6-hour buckets. A lookup visits the cells and buckets a window
// can reach, so intake stays fast however many reports the journal holds.

export const GRID_DEG = 0.1;
export const GRID_BUCKET_MS = 6 * 3600_000;

export function gridKey(cx: number, cy: number, tb: number): number {
  return cx + 3601 * (cy + 1801 * tb);
}

export function gridCell(lon: number, lat: number, time: number): [number, number, number] {
  return [Math.floor((lon + 180) / GRID_DEG), Math.floor((lat + 90) / GRID_DEG), Math.floor(time / GRID_BUCKET_MS)];
}

function indexRow(state: OperationsState, row: number): void {
  const c = state.columns;
  if (!GROUPABLE_PRECISIONS.includes(TIME_PRECISIONS[c.timePrecision[row]!]!)) return;
  const [cx, cy, tb] = gridCell(c.lon[row]!, c.lat[row]!, c.time[row]!);
  const key = gridKey(cx, cy, tb);
  const list = state.grid.get(key);
  if (list) list.push(row);
  else state.grid.set(key, [row]);
}

/** Rows whose point may lie within `distance_m` and `minutes` of a sighting (a superset; callers measure). */
export function nearbyRows(state: OperationsState, lon: number, lat: number, time: number, distance_m: number, minutes: number): number[] {
  const dy = Math.ceil(distance_m / (111_320 * GRID_DEG));
  const cos = Math.max(0.05, Math.cos(((Math.abs(lat) + (dy + 1) * GRID_DEG) * Math.PI) / 180));
  const dx = Math.ceil(distance_m / (111_320 * cos * GRID_DEG));
  const [cx, cy] = gridCell(lon, lat, time);
  const t0 = Math.floor((time - minutes * 60_000) / GRID_BUCKET_MS);
  const t1 = Math.floor((time + minutes * 60_000) / GRID_BUCKET_MS);
  const out: number[] = [];
  for (let tb = t0; tb <= t1; tb++)
    for (let y = cy - dy; y <= cy + dy; y++)
      for (let x = cx - dx; x <= cx + dx; x++) {
        const list = state.grid.get(gridKey(x, y, tb));
        if (list) out.push(...list);
      }
  return out;
}

// ---------------------------------------------------------------------------------------------------

function flagsOf(c: ClassificationPayload | null): number {
  if (!c) return 0;
  return (
    (c.bufferZones.length > 0 ? ZONE_FLAGS.buffer : 0) |
    (c.withdrawal.some((w) => w.violated) ? ZONE_FLAGS.withdrawal : 0) |
    (c.corridors.length > 0 ? ZONE_FLAGS.corridor : 0) |
    (c.airspace.length > 0 ? ZONE_FLAGS.airspace : 0)
  );
}

function partyCode(state: OperationsState, party: string | null): number {
  if (!party) return 0;
  let i = state.parties.indexOf(party);
  if (i < 0) {
    state.parties.push(party);
    i = state.parties.length - 1;
  }
  return i;
}

function setCaseOfRows(state: OperationsState, kase: CaseRecord): void {
  const status = CASE_STATUSES.indexOf(kase.status);
  for (const id of kase.reportIds) {
    const r = state.reports.get(id);
    if (!r) continue;
    r.caseId = kase.id;
    state.columns.status[r.row] = status;
    state.columns.caseNo[r.row] = kase.number;
  }
}

function entry(event: JournalEvent, summary: string): CaseEntry {
  return { position: event.position, type: event.type, actor: event.actor, party: event.party, at: event.recordedAt, summary };
}

function applyReportFiled(state: OperationsState, event: JournalEvent): void {
  const p = event.payload as Partial<ReportPayload> & { location?: { lon?: number; lat?: number } };
  // Reports filed before intake wrote ids and coarse twins: named by position, coarsened on the fly.
  const legacy = typeof p.id !== 'string';
  const id = legacy ? `R-${event.position}` : p.id!;
  if (state.reports.has(id)) return;
  const point = p.point ?? { lon: Number(p.location?.lon ?? 0), lat: Number(p.location?.lat ?? 0) };
  const coarse = snapToGrid(point.lon, point.lat, p.publicPrecision_m ?? DEFAULT_PUBLIC_PRECISION_M);
  let killed = 0;
  let injured = 0;
  for (const c of p.casualties ?? []) {
    if (c.outcome === 'killed') killed += c.count;
    else injured += c.count;
  }
  const kind: ReportKind = p.kind ?? (p.source === 'party-claim' ? 'claim' : 'observation');
  const row = state.columns.push({
    time: Date.parse(String(p.occurredAt)),
    lon: point.lon,
    lat: point.lat,
    clon: coarse.lon,
    clat: coarse.lat,
    position: event.position,
    type: codeOf(REPORT_TYPES, p.type),
    domain: codeOf(DOMAINS, p.domain),
    source: codeOf(SOURCES, p.source),
    status: 0,
    kind: kind === 'claim' ? 1 : 0,
    party: partyCode(state, event.party),
    flags: flagsOf(p.classification ?? null),
    timePrecision: codeOf(TIME_PRECISIONS, p.occurredPrecision ?? 'minute'),
    contact: p.classification?.contactLine?.distance_m ?? NaN,
    killed: Math.min(65_535, killed),
    injured: Math.min(65_535, injured),
    cell: p.publicPrecision_m ?? DEFAULT_PUBLIC_PRECISION_M,
  });
  state.rowIds.push(id);
  state.reports.set(id, {
    id,
    row,
    filed: event.position,
    recorded: 0,
    reportedBy: p.reportedBy ?? event.actor,
    party: event.party,
    kind,
    caseId: null,
    externalRef: p.externalRef ?? null,
    recordedAt: event.recordedAt,
  });
  if (p.externalRef) state.externalRefs.set(p.externalRef, id);
  indexRow(state, row);
}

export const operationsProjection: Projection<OperationsState> = {
  name: OPERATIONS_PROJECTION,
  version: 1,
  init: initOperations,
  apply(state, event) {
    const p = event.payload as Record<string, unknown>;
    switch (event.type) {
      case 'report.filed':
        applyReportFiled(state, event);
        return;
      case 'report.recorded': {
        const r = state.reports.get(p.id as string);
        if (!r) return;
        r.recorded = event.position;
        const at = (p as unknown as ReportPayload).point;
        state.columns.clon[r.row] = at.lon;
        state.columns.clat[r.row] = at.lat;
        return;
      }
      case 'case.opened': {
        const kase: CaseRecord = {
          id: p.caseId as string,
          number: state.caseIds.length + 1,
          status: 'reported',
          version: event.streamVersion,
          reportIds: [...(p.reportIds as string[])],
          explanations: (p.reportIds as string[]).map((reportId) => ({
            reportId,
            text: p.explanation as string,
            rule: null,
            position: event.position,
          })),
          findings: [],
          dissents: [],
          lock: null,
          mergedInto: null,
          absorbed: [],
          splitFrom: (p.splitFrom as string | null) ?? null,
          openedAt: event.recordedAt,
          statusChangedAt: event.recordedAt,
          accessDenials: [],
          history: [entry(event, p.explanation as string)],
        };
        state.cases.set(kase.id, kase);
        state.caseIds.push(kase.id);
        setCaseOfRows(state, kase);
        return;
      }
    }
    if (!event.type.startsWith('case.') && !event.type.startsWith('monitor.') && event.type !== 'correlation.rules-set') return;
    if (event.type === 'correlation.rules-set') {
      state.rules = { rules: p.rules as CorrelationRule[], setBy: event.actor, setAt: event.recordedAt, position: event.position };
      return;
    }
    if (event.type === 'monitor.access-denial-located' || event.type === 'monitor.access-denied') {
      applyAccessDenial(state, event);
      return;
    }
    const kase = state.cases.get(p.caseId as string);
    if (!kase) return;
    kase.version = event.streamVersion;
    switch (event.type) {
      case 'case.report-added': {
        const reportId = p.reportId as string;
        if (!kase.reportIds.includes(reportId)) kase.reportIds.push(reportId);
        kase.explanations.push({ reportId, text: p.explanation as string, rule: p.rule as string, position: event.position });
        kase.history.push(entry(event, p.explanation as string));
        setCaseOfRows(state, kase);
        break;
      }
      case 'case.merged': {
        if (typeof p.into === 'string') {
          kase.mergedInto = p.into;
          kase.reportIds = [];
          kase.lock = null;
          kase.history.push(entry(event, `merged into case ${state.cases.get(p.into)?.number ?? p.into}: ${String(p.reason)}`));
        } else {
          const absorbed = p.absorbed as string[];
          for (const id of p.reportIds as string[]) if (!kase.reportIds.includes(id)) kase.reportIds.push(id);
          kase.absorbed.push(...absorbed);
          for (const other of absorbed) {
            const o = state.cases.get(other);
            if (!o) continue;
            kase.explanations.push(...o.explanations);
            kase.findings.push(...o.findings);
            kase.dissents.push(...o.dissents);
            kase.accessDenials.push(...o.accessDenials);
          }
          const numbers = absorbed.map((a) => state.cases.get(a)?.number ?? a).join(', ');
          kase.history.push(entry(event, `case${absorbed.length > 1 ? 's' : ''} ${numbers} merged into this one: ${String(p.reason)}`));
          setCaseOfRows(state, kase);
        }
        break;
      }
      case 'case.split': {
        const moved = new Set(p.reportIds as string[]);
        kase.reportIds = kase.reportIds.filter((r) => !moved.has(r));
        kase.explanations = kase.explanations.filter((e) => !moved.has(e.reportId));
        kase.history.push(
          entry(event, `${moved.size} report${moved.size === 1 ? '' : 's'} split off into a new case: ${String(p.reason)}`),
        );
        break;
      }
      case 'case.locked':
        kase.lock = { by: p.by as string, until: p.until as string };
        kase.history.push(entry(event, `locked for review by ${String(p.by)} until ${String(p.until)}`));
        break;
      case 'case.unlocked':
        kase.lock = null;
        kase.history.push(entry(event, `unlocked by ${String(p.by)}`));
        break;
      case 'case.status-changed':
        kase.status = p.to as CaseStatus;
        kase.statusChangedAt = event.recordedAt;
        kase.history.push(entry(event, `${String(p.from)} → ${String(p.to)}${p.reason ? `: ${String(p.reason)}` : ''}`));
        setCaseOfRows(state, kase);
        break;
      case 'case.finding-recorded': {
        const a = p.attribution as Finding['attribution'];
        kase.findings.push({
          id: p.findingId as string,
          attribution: a,
          summary: p.summary as string,
          severity: (p.severity as number | null) ?? null,
          by: event.actor,
          party: event.party,
          at: event.recordedAt,
          position: event.position,
        });
        kase.history.push(
          entry(
            event,
            a.party === null ? 'finding: could not be attributed' : `finding: attributed to ${a.party} (${a.confidence} confidence)`,
          ),
        );
        break;
      }
      case 'case.dissent-recorded':
        kase.dissents.push({
          id: p.dissentId as string,
          party: (p.party as string | null) ?? null,
          by: event.actor,
          text: p.text as string,
          findingId: (p.findingId as string | null) ?? null,
          at: event.recordedAt,
          position: event.position,
        });
        kase.history.push(entry(event, `dissent recorded by ${event.party ?? event.actor}`));
        break;
    }
  },
  toSnapshot: (s) => ({
    reports: [...s.reports.values()],
    rowIds: s.rowIds,
    columns: s.columns.toSnapshot(),
    externalRefs: [...s.externalRefs],
    cases: [...s.cases.values()],
    caseIds: s.caseIds,
    accessDenials: [...s.accessDenials.values()],
    parties: s.parties,
    rules: s.rules,
  }),
  fromSnapshot(data) {
    const d = data as {
      reports: ReportRecord[];
      rowIds: string[];
      columns: unknown;
      externalRefs: [string, string][];
      cases: CaseRecord[];
      caseIds: string[];
      accessDenials: AccessDenialRecord[];
      parties: string[];
      rules: OperationsState['rules'];
    };
    const state: OperationsState = {
      reports: new Map(d.reports.map((r) => [r.id, r])),
      rowIds: d.rowIds,
      columns: IncidentColumns.fromSnapshot(d.columns),
      externalRefs: new Map(d.externalRefs),
      cases: new Map(d.cases.map((c) => [c.id, c])),
      caseIds: d.caseIds,
      accessDenials: new Map(d.accessDenials.map((a) => [a.id, a])),
      parties: d.parties,
      rules: d.rules,
      grid: new Map(),
    };
    for (let row = 0; row < state.columns.size; row++) indexRow(state, row);
    return state;
  },
};

function applyAccessDenial(state: OperationsState, event: JournalEvent): void {
  const p = event.payload as unknown as AccessDenialPayload;
  const existing = state.accessDenials.get(p.id);
  const where = { lon: p.location.lon, lat: p.location.lat, precision_m: p.location.precision_m };
  if (existing) {
    if (event.type === 'monitor.access-denied') {
      existing.coarse = where;
      existing.recorded = event.position;
    }
    return;
  }
  const record: AccessDenialRecord = {
    id: p.id,
    time: Date.parse(p.occurredAt),
    occurredAt: p.occurredAt,
    exact: where,
    coarse: where,
    filed: event.position,
    recorded: event.type === 'monitor.access-denied' ? event.position : 0,
    reportedBy: p.reportedBy,
    party: event.party,
    deniedBy: p.deniedBy,
    place: p.place,
    durationMinutes: p.durationMinutes,
    caseId: p.caseId,
    narrative: p.narrative,
  };
  state.accessDenials.set(p.id, record);
  if (p.caseId) {
    const kase = state.cases.get(p.caseId);
    if (kase) {
      kase.accessDenials.push(p.id);
      kase.history.push(entry(event, `monitors denied access at ${p.place}`));
    }
  }
}

/** The case a case id stands for now: merged cases lead to the case that absorbed them. */
export function currentCase(state: OperationsState, caseId: string): CaseRecord | undefined {
  let kase = state.cases.get(caseId);
  for (let hops = 0; kase?.mergedInto && hops < 100; hops++) kase = state.cases.get(kase.mergedInto);
  return kase;
}
