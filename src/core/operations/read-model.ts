import { z } from 'zod';
import { ClassificationPayload } from './events';

/**
 * What the operations API answers, as schemas (they validate responses and feed OpenAPI; the web
 * client can parse with them). `precision` says whether coordinates are exact or at public precision.
 */

const Precision = z.enum(['exact', 'public']);
const Located = z.object({ lon: z.number(), lat: z.number() });

export const ReportOut = z.object({
  id: z.string(),
  /** The journal position of the report's event this reader may read (`report.filed` if exact, else `report.recorded`). */
  position: z.number().int(),
  occurredAt: z.string(),
  occurredPrecision: z.string(),
  enteredOffset: z.string(),
  /** Always has lon/lat (an area's centroid); `polygon` only for an area read exactly. */
  location: z.object({
    type: z.enum(['point', 'area']),
    lon: z.number(),
    lat: z.number(),
    precision_m: z.number(),
    polygon: z.array(z.array(z.tuple([z.number(), z.number()]))).optional(),
  }),
  precision: Precision,
  domain: z.string(),
  type: z.string(),
  weaponClass: z.string().nullable(),
  casualties: z.array(z.object({ category: z.string(), outcome: z.string(), count: z.number().int() })),
  source: z.string(),
  kind: z.enum(['observation', 'claim']),
  evidence: z.array(z.object({ sha256: z.string(), mediaType: z.string(), bytes: z.number().int() })),
  narrative: z.string(),
  externalRef: z.string().nullable(),
  signature: z.object({ keyId: z.string(), verified: z.boolean() }).nullable(),
  reportedBy: z.string(),
  party: z.string().nullable(),
  recordedAt: z.string(),
  caseId: z.string().nullable(),
  caseNumber: z.number().int().nullable(),
  status: z.string().nullable(),
  framework: z.object({ number: z.number().int(), hash: z.string() }).nullable(),
  classification: ClassificationPayload.nullable(),
});
export type ReportOut = z.infer<typeof ReportOut>;

export const AttributionOut = z.union([
  z.object({ party: z.string(), confidence: z.enum(['low', 'medium', 'high']) }),
  z.object({ party: z.null(), couldNotAttribute: z.literal(true), reason: z.string() }),
]);

export const CaseSummaryOut = z.object({
  id: z.string(),
  number: z.number().int(),
  status: z.string(),
  version: z.number().int(),
  openedAt: z.string(),
  statusChangedAt: z.string(),
  firstOccurredAt: z.string().nullable(),
  lastOccurredAt: z.string().nullable(),
  location: Located.nullable(),
  precision: Precision,
  types: z.array(z.string()),
  domains: z.array(z.string()),
  reportCount: z.number().int(),
  observationCount: z.number().int(),
  claimCount: z.number().int(),
  parties: z.array(z.string()),
  attribution: AttributionOut.nullable(),
  severity: z.number().int().nullable(),
  lock: z.object({ by: z.string(), until: z.string() }).nullable(),
  zones: z.object({ buffer: z.boolean(), withdrawal: z.boolean(), corridor: z.boolean(), airspace: z.boolean() }),
  casualties: z.object({ killed: z.number().int(), injured: z.number().int() }),
  mergedInto: z.string().nullable(),
  splitFrom: z.string().nullable(),
});
export type CaseSummaryOut = z.infer<typeof CaseSummaryOut>;

export const FindingOut = z.object({
  id: z.string(),
  attribution: AttributionOut,
  summary: z.string(),
  severity: z.number().int().nullable(),
  by: z.string(),
  party: z.string().nullable(),
  at: z.string(),
});
export const DissentOut = z.object({
  id: z.string(),
  party: z.string().nullable(),
  by: z.string(),
  text: z.string(),
  findingId: z.string().nullable(),
  at: z.string(),
});

export const AccessDenialOut = z.object({
  id: z.string(),
  occurredAt: z.string(),
  location: z.object({ lon: z.number(), lat: z.number(), precision_m: z.number() }),
  precision: Precision,
  deniedBy: z.string().nullable(),
  place: z.string(),
  durationMinutes: z.number().nullable(),
  caseId: z.string().nullable(),
  caseNumber: z.number().int().nullable(),
  narrative: z.string(),
  reportedBy: z.string(),
  party: z.string().nullable(),
});
export type AccessDenialOut = z.infer<typeof AccessDenialOut>;

export const CaseDetailOut = CaseSummaryOut.extend({
  observations: z.array(ReportOut),
  claims: z.array(ReportOut),
  findings: z.array(FindingOut),
  dissents: z.array(DissentOut),
  explanations: z.array(z.object({ reportId: z.string(), text: z.string(), rule: z.string().nullable() })),
  history: z.array(
    z.object({
      position: z.number().int(),
      type: z.string(),
      actor: z.string(),
      party: z.string().nullable(),
      at: z.string(),
      summary: z.string(),
    }),
  ),
  absorbed: z.array(z.object({ id: z.string(), number: z.number().int() })),
  accessDenials: z.array(AccessDenialOut),
  /** Where the case may go next (the transition table), for the reader's buttons. */
  transitions: z.array(z.string()),
});
export type CaseDetailOut = z.infer<typeof CaseDetailOut>;

export const MapIncidentsOut = z.object({
  count: z.number().int(),
  /** Matching rows before the limit. */
  total: z.number().int(),
  truncated: z.boolean(),
  dictionaries: z.object({
    type: z.array(z.string()),
    domain: z.array(z.string()),
    status: z.array(z.string()),
    source: z.array(z.string()),
    kind: z.array(z.string()),
    party: z.array(z.string()),
  }),
  columns: z.object({
    id: z.array(z.string()),
    lon: z.array(z.number()),
    lat: z.array(z.number()),
    /** occurredAt, epoch seconds */
    time: z.array(z.number()),
    type: z.array(z.number().int()),
    domain: z.array(z.number().int()),
    status: z.array(z.number().int()),
    source: z.array(z.number().int()),
    kind: z.array(z.number().int()),
    /** index into dictionaries.party, -1 for none */
    party: z.array(z.number().int()),
    caseNumber: z.array(z.number().int()),
    /** 1: exact coordinates, 0: public precision */
    precise: z.array(z.number().int()),
    /** bit 1 buffer zone, 2 withdrawal breached, 4 corridor, 8 airspace */
    zones: z.array(z.number().int()),
  }),
});
export type MapIncidentsOut = z.infer<typeof MapIncidentsOut>;

export const PublicCaseOut = z.object({
  id: z.string(),
  number: z.number().int(),
  status: z.literal('verified'),
  verifiedAt: z.string(),
  /** The day of the incident (UTC); the public does not get the minute. */
  occurredOn: z.string().nullable(),
  types: z.array(z.string()),
  domains: z.array(z.string()),
  location: Located.nullable(),
  precision_m: z.number(),
  attribution: AttributionOut.nullable(),
  severity: z.number().int().nullable(),
  casualties: z.object({ killed: z.number().int(), injured: z.number().int() }),
});
export type PublicCaseOut = z.infer<typeof PublicCaseOut>;
