import type { DeconflictionState } from '../operations/deconfliction/projection';
import { REPORT_TYPES } from '../operations/model';
import type { CaseRecord, OperationsState } from '../operations/state';
import { latestFinding } from './live/verified-case';

/**
 * CAP 1.2 (OASIS Common Alerting Protocol) alerts for verified public events, so that humanitarian
 * and public warning systems can take them in unchanged. Only what is public leaves: a case must be
 * VERIFIED (never a mere report or claim), and its place is the public grid cell (the coarse
 * coordinates every reader already sees), drawn as a closed polygon — never the exact point.
 *
 * Public events:
 * - a verified case with civilian casualties (type `civilian-casualty`, or casualties recorded);
 * - a verified case one of whose reports struck a notified humanitarian site or movement.
 * Attribution is stated only as the mechanism's finding says it, with its confidence.
 *
 * Pure: the caller passes the state; `sender` names this installation.
 */

export interface CapArea {
  readonly description: string;
  /** Closed ring of [lat, lon] pairs (CAP order), first equals last. */
  readonly polygon: readonly (readonly [number, number])[];
}

export interface CapAlert {
  readonly identifier: string;
  readonly sender: string;
  readonly sent: string;
  readonly caseId: string;
  readonly event: string;
  readonly headline: string;
  readonly description: string;
  readonly severity: 'Extreme' | 'Severe' | 'Moderate' | 'Minor';
  readonly onset: string;
  readonly area: CapArea;
}

const M_PER_DEG_LAT = 111_320;

/** CAP dateTime: seconds precision and an explicit offset (the schema refuses "Z" and fractions). */
export function capDateTime(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The public grid cell around a coarse point, as a closed polygon (CAP: "lat,lon" pairs). */
export function cellPolygon(lon: number, lat: number, cell_m: number): (readonly [number, number])[] {
  const dLat = cell_m / 2 / M_PER_DEG_LAT;
  const dLon = cell_m / 2 / (M_PER_DEG_LAT * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  const r = (x: number) => Math.round(x * 1e5) / 1e5;
  const ring: (readonly [number, number])[] = [
    [r(lat - dLat), r(lon - dLon)],
    [r(lat - dLat), r(lon + dLon)],
    [r(lat + dLat), r(lon + dLon)],
    [r(lat + dLat), r(lon - dLon)],
  ];
  ring.push(ring[0]!);
  return ring;
}

/** A polygon is closed when it has at least four pairs and its first pair equals its last (CAP 1.2 §3.3.2.2). */
export function polygonClosed(polygon: string): boolean {
  const pairs = polygon.trim().split(/\s+/);
  return pairs.length >= 4 && pairs[0] === pairs[pairs.length - 1] && pairs.every((p) => /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(p));
}

function isPublicCase(
  ops: OperationsState,
  deconfliction: DeconflictionState | undefined,
  kase: CaseRecord,
): { killed: number; injured: number; struck: string[] } | null {
  if (kase.status !== 'verified' || kase.mergedInto) return null;
  let killed = 0;
  let injured = 0;
  let civilianType = false;
  for (const id of kase.reportIds) {
    const r = ops.reports.get(id);
    if (!r) continue;
    killed += ops.columns.killed[r.row]!;
    injured += ops.columns.injured[r.row]!;
    if (REPORT_TYPES[ops.columns.type[r.row]!] === 'civilian-casualty') civilianType = true;
  }
  const reports = new Set(kase.reportIds);
  const struck = (deconfliction?.strikes ?? [])
    .filter((s) => reports.has(s.payload.reportId))
    .map((s) => s.payload.siteKind ?? s.payload.activity);
  if (killed + injured === 0 && !civilianType && struck.length === 0) return null;
  return { killed, injured, struck };
}

/** The CAP alert for a case, or null when the case is not a verified public event. */
export function capAlertOf(
  ops: OperationsState,
  deconfliction: DeconflictionState | undefined,
  caseId: string,
  sender: string,
): CapAlert | null {
  const kase = ops.cases.get(caseId);
  if (!kase) return null;
  const pub = isPublicCase(ops, deconfliction, kase);
  if (!pub) return null;
  const rows = kase.reportIds.map((id) => ops.reports.get(id)).filter((r) => r !== undefined);
  if (rows.length === 0) return null;
  const first = rows.reduce((a, b) => (ops.columns.time[b.row]! < ops.columns.time[a.row]! ? b : a));
  const c = ops.columns;
  const lon = c.clon[first.row]!;
  const lat = c.clat[first.row]!;
  const cell = c.cell[first.row]!;
  const finding = latestFinding(kase);
  const by =
    finding && finding.attribution.party !== null
      ? `The mechanism attributes it to ${finding.attribution.party} (${finding.attribution.confidence} confidence).`
      : 'The mechanism could not attribute it.';
  const casualties =
    pub.killed + pub.injured > 0
      ? [pub.killed ? `${pub.killed} killed` : '', pub.injured ? `${pub.injured} injured` : ''].filter(Boolean).join(', ')
      : 'civilian harm';
  const event = pub.struck.length ? 'Notified humanitarian site struck' : 'Civilian casualties';
  const what = pub.struck.length ? `a notified humanitarian ${pub.struck.join(', ')} was struck` : casualties;
  return {
    identifier: `entente-case-${kase.id}`.replace(/[^A-Za-z0-9._:-]/g, '-'),
    sender,
    sent: capDateTime(kase.statusChangedAt),
    caseId: kase.id,
    event,
    headline: `Verified: ${what} (case ${kase.number})`.slice(0, 160),
    description: `Case ${kase.number}, verified by the monitoring mechanism: ${what}${pub.struck.length && pub.killed + pub.injured > 0 ? `; ${casualties}` : ''}. ${by} The area is the public grid cell of ${Math.round(cell)} m; exact positions are not published.`,
    severity: pub.killed > 0 ? 'Severe' : 'Moderate',
    onset: capDateTime(new Date(c.time[first.row]!).toISOString()),
    area: {
      description: `grid cell of ${Math.round(cell)} m around ${lat.toFixed(4)}, ${lon.toFixed(4)}`,
      polygon: cellPolygon(lon, lat, cell),
    },
  };
}

/** Every verified public event, newest verification first. */
export function capAlerts(ops: OperationsState, deconfliction: DeconflictionState | undefined, sender: string): CapAlert[] {
  const out: CapAlert[] = [];
  for (const id of ops.cases.keys()) {
    const a = capAlertOf(ops, deconfliction, id, sender);
    if (a) out.push(a);
  }
  return out.sort((a, b) => b.sent.localeCompare(a.sent));
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** The CAP 1.2 document (elements in the order the schema requires). */
export function capXml(a: CapAlert): string {
  const polygon = a.area.polygon.map(([la, lo]) => `${la},${lo}`).join(' ');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
    `  <identifier>${escapeXml(a.identifier)}</identifier>`,
    `  <sender>${escapeXml(a.sender)}</sender>`,
    `  <sent>${a.sent}</sent>`,
    '  <status>Actual</status>',
    '  <msgType>Alert</msgType>',
    '  <scope>Public</scope>',
    '  <info>',
    '    <language>en</language>',
    '    <category>Safety</category>',
    `    <event>${escapeXml(a.event)}</event>`,
    '    <urgency>Past</urgency>',
    `    <severity>${a.severity}</severity>`,
    '    <certainty>Observed</certainty>',
    `    <onset>${a.onset}</onset>`,
    '    <senderName>Entente ceasefire monitoring mechanism</senderName>',
    `    <headline>${escapeXml(a.headline)}</headline>`,
    `    <description>${escapeXml(a.description)}</description>`,
    '    <parameter>',
    '      <valueName>entente:case</valueName>',
    `      <value>${escapeXml(a.caseId)}</value>`,
    '    </parameter>',
    '    <area>',
    `      <areaDesc>${escapeXml(a.area.description)}</areaDesc>`,
    `      <polygon>${polygon}</polygon>`,
    '    </area>',
    '  </info>',
    '</alert>',
    '',
  ].join('\n');
}

/** An Atom feed of the alerts, each entry linking to its CAP document (the usual CAP feed form). */
export function capFeed(alerts: readonly CapAlert[], base: string, updated: string): string {
  const entries = alerts.map(
    (a) =>
      `  <entry>\n    <id>urn:entente:cap:${escapeXml(a.identifier)}</id>\n    <title>${escapeXml(a.headline)}</title>\n    <updated>${a.sent}</updated>\n    <link rel="alternate" type="application/cap+xml" href="${escapeXml(`${base}/${encodeURIComponent(a.caseId)}.xml`)}"/>\n    <summary>${escapeXml(a.event)}</summary>\n  </entry>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '  <id>urn:entente:cap</id>',
    '  <title>Entente: verified public events (CAP 1.2)</title>',
    `  <updated>${updated}</updated>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
