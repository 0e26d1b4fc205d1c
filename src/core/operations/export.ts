import type { CaseSummaryOut, ReportOut } from './read-model';

/**
 * Exports of what a reader may see: GeoJSON (RFC 7946: a FeatureCollection, longitude first, WGS 84,
 * no `crs`) and CSV (RFC 4180). They are built from the same per-reader presentations as the API
 * answers, so an export can never hold more than its reader could read.
 */

type Properties = Record<string, string | number | boolean | null>;
interface Feature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] } | { type: 'Polygon'; coordinates: [number, number][][] } | null;
  properties: Properties;
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

function reportProperties(r: ReportOut): Properties {
  let killed = 0;
  let injured = 0;
  for (const c of r.casualties) {
    if (c.outcome === 'killed') killed += c.count;
    else injured += c.count;
  }
  return {
    id: r.id,
    occurredAt: r.occurredAt,
    occurredPrecision: r.occurredPrecision,
    type: r.type,
    domain: r.domain,
    source: r.source,
    kind: r.kind,
    weaponClass: r.weaponClass,
    precision: r.precision,
    precision_m: r.location.precision_m,
    caseId: r.caseId,
    caseNumber: r.caseNumber,
    status: r.status,
    killed,
    injured,
    inBufferZone: r.classification ? r.classification.bufferZones.length > 0 : null,
    withdrawalBreached: r.classification ? r.classification.withdrawal.some((w) => w.violated) : null,
    contactLineDistance_m: r.classification?.contactLine ? Math.round(r.classification.contactLine.distance_m) : null,
    reportedBy: r.reportedBy,
    party: r.party,
    externalRef: r.externalRef,
    recordedAt: r.recordedAt,
    narrative: r.narrative,
  };
}

export function reportsGeoJson(reports: readonly ReportOut[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: reports.map((r) => ({
      type: 'Feature',
      id: r.id,
      geometry:
        r.location.type === 'area' && r.location.polygon
          ? { type: 'Polygon', coordinates: r.location.polygon }
          : { type: 'Point', coordinates: [r.location.lon, r.location.lat] },
      properties: reportProperties(r),
    })),
  };
}

function caseProperties(c: CaseSummaryOut): Properties {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    firstOccurredAt: c.firstOccurredAt,
    lastOccurredAt: c.lastOccurredAt,
    types: c.types.join(' '),
    domains: c.domains.join(' '),
    precision: c.precision,
    reportCount: c.reportCount,
    observationCount: c.observationCount,
    claimCount: c.claimCount,
    parties: c.parties.join(' '),
    attributedTo: c.attribution ? (c.attribution.party ?? 'could not be attributed') : null,
    confidence: c.attribution && c.attribution.party !== null ? c.attribution.confidence : null,
    severity: c.severity,
    killed: c.casualties.killed,
    injured: c.casualties.injured,
    inBufferZone: c.zones.buffer,
    withdrawalBreached: c.zones.withdrawal,
    openedAt: c.openedAt,
    statusChangedAt: c.statusChangedAt,
  };
}

export function casesGeoJson(cases: readonly CaseSummaryOut[]): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: cases.map((c) => ({
      type: 'Feature',
      id: c.id,
      geometry: c.location ? { type: 'Point', coordinates: [c.location.lon, c.location.lat] } : null,
      properties: caseProperties(c),
    })),
  };
}

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) is
 * prefixed with an apostrophe: a narrative is untrusted input, an export is opened in Excel.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(rows: readonly Properties[], columns: readonly string[]): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c] ?? null)).join(','));
  return lines.join('\r\n') + '\r\n';
}

const REPORT_COLUMNS = [
  'id',
  'occurredAt',
  'occurredPrecision',
  'type',
  'domain',
  'source',
  'kind',
  'weaponClass',
  'lon',
  'lat',
  'precision',
  'precision_m',
  'caseNumber',
  'status',
  'killed',
  'injured',
  'inBufferZone',
  'withdrawalBreached',
  'contactLineDistance_m',
  'reportedBy',
  'party',
  'externalRef',
  'recordedAt',
  'narrative',
];

export function reportsCsv(reports: readonly ReportOut[]): string {
  return csv(
    reports.map((r) => ({ ...reportProperties(r), lon: r.location.lon, lat: r.location.lat })),
    REPORT_COLUMNS,
  );
}

const CASE_COLUMNS = [
  'id',
  'number',
  'status',
  'firstOccurredAt',
  'lastOccurredAt',
  'types',
  'domains',
  'lon',
  'lat',
  'precision',
  'reportCount',
  'observationCount',
  'claimCount',
  'parties',
  'attributedTo',
  'confidence',
  'severity',
  'killed',
  'injured',
  'inBufferZone',
  'withdrawalBreached',
  'openedAt',
  'statusChangedAt',
];

export function casesCsv(cases: readonly CaseSummaryOut[]): string {
  return csv(
    cases.map((c) => ({ ...caseProperties(c), lon: c.location?.lon ?? null, lat: c.location?.lat ?? null })),
    CASE_COLUMNS,
  );
}
