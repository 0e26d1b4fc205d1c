import { z } from 'zod';

/**
 * Ceasefire operations: the shared vocabulary of reports, cases, findings and humanitarian notices.
 * Every module of operations (intake, correlation, verification, zones, deconfliction, imports, the
 * live picture) speaks these types. Events are listed at the bottom with the stream each lives in.
 */

export const DOMAINS = ['land', 'air', 'sea', 'cyber'] as const;
export const Domain = z.enum(DOMAINS);

export const REPORT_TYPES = [
  'shelling-impact',
  'airburst',
  'small-arms',
  'drone',
  'missile',
  'air-incursion',
  'naval',
  'weapon-beyond-withdrawal-line',
  'movement-restriction',
  'civilian-casualty',
  'infrastructure-damage',
  'other',
] as const;
export const ReportType = z.enum(REPORT_TYPES);

/** Where the report came from. `party-claim` makes it a claim; the rest are observations. */
export const SOURCES = ['patrol-saw', 'patrol-heard', 'fixed-camera', 'drone', 'sensor', 'party-claim', 'open-source'] as const;
export const Source = z.enum(SOURCES);

export const WEAPON_CLASSES = [
  'small-arms',
  'light-weapons',
  'mortar',
  'artillery-under-100mm',
  'artillery-100mm-plus',
  'mlrs',
  'tanks',
  'drone',
  'missile',
  'aircraft',
  'naval',
  'unknown',
] as const;
export const WeaponClass = z.enum(WEAPON_CLASSES);

export const TIME_PRECISIONS = ['minute', 'hour', 'day', 'week', 'month'] as const;

export const Longitude = z.number().min(-180, 'longitude must be between -180 and 180').max(180, 'longitude must be between -180 and 180');
export const Latitude = z.number().min(-90, 'latitude must be between -90 and 90').max(90, 'latitude must be between -90 and 90');

export const PointLocation = z.strictObject({
  type: z.literal('point').default('point'),
  lon: Longitude,
  lat: Latitude,
  /** How far the true place may be from this point. */
  precision_m: z.number().int().min(1).max(500_000).default(100),
});

export const AreaLocation = z.strictObject({
  type: z.literal('area'),
  /** GeoJSON Polygon ring(s), lon/lat; the area's centroid is used where a point is needed. */
  polygon: z.array(z.array(z.tuple([Longitude, Latitude])).min(4)).min(1),
  precision_m: z.number().int().min(1).max(500_000).default(1000),
});

/** `type` may be left out for a point (`{lon, lat}`): the discriminated union then reports errors at the field. */
export const ReportLocation = z.discriminatedUnion('type', [PointLocation, AreaLocation]);

export const Casualty = z.strictObject({
  category: z.enum(['civilian', 'military', 'unknown']),
  outcome: z.enum(['killed', 'injured']),
  count: z.number().int().min(1).max(100_000),
});

/** A content-addressed evidence file, uploaded separately; the report names it by its hash. */
export const EvidenceRef = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 of the file, 64 lower-case hex characters'),
  mediaType: z.string().min(3).max(100),
  bytes: z.number().int().min(0),
});

/** An optional Ed25519 signature of the device that wrote the report, over its canonical JSON. */
export const DeviceSignature = z.strictObject({
  keyId: z.string().min(1).max(100),
  /** raw 32-byte Ed25519 public key, base64url */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** signature over canonicalize(report without `signature`), base64url */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
});

export const ReportInput = z.strictObject({
  occurredAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 instant with a zone, e.g. 2026-01-03T14:20:00+02:00' }),
  occurredPrecision: z.enum(TIME_PRECISIONS).default('minute'),
  location: ReportLocation,
  domain: Domain,
  type: ReportType,
  weaponClass: WeaponClass.optional(),
  casualties: z.array(Casualty).max(20).default([]),
  source: Source,
  evidence: z.array(EvidenceRef).max(50).default([]),
  narrative: z.string().max(10_000).default(''),
  /** An identifier in an outside system (e.g. `ucdp-ged:123456`): importing the same record twice adds nothing. */
  externalRef: z.string().min(1).max(200).optional(),
  signature: DeviceSignature.optional(),
});
export type ReportInput = z.infer<typeof ReportInput>;

export const CASE_STATUSES = ['reported', 'under-investigation', 'verified', 'not-verified', 'unfounded'] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const CONFIDENCE = ['low', 'medium', 'high'] as const;
export const Attribution = z.union([
  z.strictObject({ party: z.string(), confidence: z.enum(CONFIDENCE) }),
  z.strictObject({ party: z.null(), couldNotAttribute: z.literal(true), reason: z.string().max(2000) }),
]);

export const SITE_KINDS = ['hospital', 'school', 'water', 'shelter', 'warehouse', 'distribution-point', 'office', 'other'] as const;

/** Visibility labels operations uses (besides `process`, `public`, `party:<id>`). */
export const EXACT_LOCATION_GRANT = 'exact-location';

/**
 * Event types of operations, with their stream:
 * - `report.filed` (stream `report/<id>`): the report as filed, exact location; visible to
 *   `grant:exact-location`, `party:<reporter's party>`.
 * - `report.recorded` (same stream, same append): the same report with the location coarsened to the
 *   framework's public precision; visible to `process`. Everything not entitled to exact coordinates
 *   reads this one.
 * - `case.opened`, `case.report-added`, `case.merged`, `case.split`, `case.locked`, `case.unlocked`,
 *   `case.status-changed`, `case.finding-recorded`, `case.dissent-recorded` (stream `case/<id>`).
 * - `monitor.access-denial-located` (exact, need-to-know) then `monitor.access-denied` (coarse, `process`),
 *   one append (stream `access/<id>`).
 * - `correlation.rules-set` (stream `correlation/rules`): the rules that group reports into cases.
 * - `site.notified`, `movement.notified`, `notice.acknowledged`, `notice.escalated`, `notice.expired`,
 *   `notice.withdrawn` (stream `notice/<id>`); `site.struck` (stream `notice/<id>`).
 * - `notice.recorded` (stream `notice/<id>`, same append as `site.notified` / `movement.notified`):
 *   the notice with its place coarsened to the public precision; visible to `process`. The notified
 *   event itself, with the exact place, is visible to the notifying organisation's party, the parties
 *   that acknowledge, and `grant:exact-location`.
 */
export const OPERATIONS_EVENT_TYPES = [
  'report.filed',
  'report.recorded',
  'case.opened',
  'case.report-added',
  'case.merged',
  'case.split',
  'case.locked',
  'case.unlocked',
  'case.status-changed',
  'case.finding-recorded',
  'case.dissent-recorded',
  'monitor.access-denied',
  'site.notified',
  'movement.notified',
  'notice.acknowledged',
  'notice.escalated',
  'notice.expired',
  'notice.withdrawn',
  'site.struck',
  'notice.recorded',
  'monitor.access-denial-located',
  'correlation.rules-set',
] as const;

/** Reports that are the reporter's party's own account, not an observation of the mechanism. */
export const REPORT_KINDS = ['observation', 'claim'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * A monitors' access denial (freedom-of-movement restriction), as filed. Like a report it is written
 * twice in one append: `monitor.access-denial-located` (exact, need-to-know) and `monitor.access-denied`
 * (stream `access/<id>`, coarse location, `process`).
 */
export const AccessDenialInput = z.strictObject({
  occurredAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 instant with a zone, e.g. 2026-01-03T14:20:00+02:00' }),
  location: PointLocation,
  /** The party whose forces (or authorities) denied access, when known. */
  deniedBy: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a party id')
    .nullable()
    .default(null),
  /** Where: a checkpoint, a road, a village (free text, shown to every participant). */
  place: z.string().min(1).max(200),
  durationMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .optional(),
  /** The case the patrol was investigating, when the denial kept it from one. */
  caseId: z.string().min(1).max(64).optional(),
  narrative: z.string().max(10_000).default(''),
});
export type AccessDenialInput = z.infer<typeof AccessDenialInput>;

/** The journal streams of a report and of a case (here, not in report.ts, so the browser can use them without the hashing code). */
export const reportStream = (id: string) => `report/${id}`;
export const caseStream = (id: string) => `case/${id}`;
