import { z } from 'zod';
import { Attribution, CaseStatus, Casualty, Domain, EvidenceRef, ReportType, Source, TIME_PRECISIONS } from './model';

/**
 * The payloads operations writes into the journal, as schemas (the projection trusts its own events and
 * does not re-parse them; tests and readers of the journal API can). Streams and visibility: model.ts.
 */

const ZoneSource = z.object({
  zone: z.string(),
  clause: z.string(),
  alternative: z.string().nullable(),
  provisional: z.boolean(),
  illustrative: z.boolean(),
});

export const ClassificationPayload = z.object({
  contactLine: ZoneSource.extend({ distance_m: z.number(), side: z.enum(['left', 'right', 'on']) }).nullable(),
  bufferZones: z.array(ZoneSource),
  withdrawal: z.array(
    ZoneSource.extend({
      weaponClass: z.string(),
      covered: z.string(),
      from: z.string(),
      required_m: z.number(),
      distance_m: z.number(),
      violated: z.boolean(),
      appliesTo: z.array(z.string()),
    }),
  ),
  corridors: z.array(ZoneSource.extend({ part: z.enum(['fairway', 'buffer']), distance_m: z.number() })),
  airspace: z.array(ZoneSource),
});
export type ClassificationPayload = z.infer<typeof ClassificationPayload>;

export const IntakeWarning = z.object({
  code: z.enum(['swapped-coordinates', 'outside-framework-area', 'recorded-as-claim', 'no-framework-in-force']),
  message: z.string(),
  pointer: z.string(),
});
export type IntakeWarning = z.infer<typeof IntakeWarning>;

const Point = z.object({ lon: z.number(), lat: z.number() });

export const ReportPayload = z.object({
  id: z.string(),
  occurredAt: z.string(),
  /** The offset the reporter wrote the time in (instants are stored in UTC with it). */
  enteredOffset: z.string(),
  occurredPrecision: z.enum(TIME_PRECISIONS),
  location: z.union([
    z.object({ type: z.literal('point'), lon: z.number(), lat: z.number(), precision_m: z.number() }),
    z.object({ type: z.literal('area'), polygon: z.array(z.array(z.tuple([z.number(), z.number()]))), precision_m: z.number() }),
  ]),
  /** The point that stands for the report (the area's centroid); what zones and the map use. */
  point: Point,
  /** Whether `location` and `point` are exact (report.filed) or at public precision (report.recorded). */
  precision: z.enum(['exact', 'public']),
  publicPrecision_m: z.number(),
  domain: Domain,
  type: ReportType,
  weaponClass: z.string().nullable(),
  casualties: z.array(Casualty),
  source: Source,
  kind: z.enum(['observation', 'claim']),
  evidence: z.array(EvidenceRef),
  narrative: z.string(),
  externalRef: z.string().nullable(),
  signature: z
    .object({ keyId: z.string(), verified: z.literal(true), publicKey: z.string().optional(), signature: z.string().optional() })
    .nullable(),
  reportedBy: z.string(),
  /** The framework version in force at occurredAt, whose zones classified the report. */
  framework: z.object({ number: z.number().int(), hash: z.string() }).nullable(),
  classification: ClassificationPayload.nullable(),
  warnings: z.array(IntakeWarning),
});
export type ReportPayload = z.infer<typeof ReportPayload>;

export const CaseOpenedPayload = z.object({
  caseId: z.string(),
  reportIds: z.array(z.string()),
  explanation: z.string(),
  splitFrom: z.string().nullable(),
});
export const CaseReportAddedPayload = z.object({
  caseId: z.string(),
  reportId: z.string(),
  matchedReport: z.string(),
  rule: z.string(),
  distance_m: z.number(),
  minutes: z.number(),
  explanation: z.string(),
});
export const CaseMergedPayload = z.union([
  z.object({ caseId: z.string(), absorbed: z.array(z.string()), reportIds: z.array(z.string()), reason: z.string() }),
  z.object({ caseId: z.string(), into: z.string(), reason: z.string() }),
]);
export const CaseSplitPayload = z.object({ caseId: z.string(), newCaseId: z.string(), reportIds: z.array(z.string()), reason: z.string() });
export const CaseLockedPayload = z.object({ caseId: z.string(), by: z.string(), until: z.string() });
export const CaseUnlockedPayload = z.object({ caseId: z.string(), by: z.string() });
export const CaseStatusChangedPayload = z.object({ caseId: z.string(), from: CaseStatus, to: CaseStatus, reason: z.string() });
export const FindingPayload = z.object({
  caseId: z.string(),
  findingId: z.string(),
  attribution: Attribution,
  summary: z.string(),
  severity: z.number().int().min(1).max(5).nullable(),
});
export const DissentPayload = z.object({
  caseId: z.string(),
  dissentId: z.string(),
  party: z.string().nullable(),
  text: z.string(),
  findingId: z.string().nullable(),
});

export const AccessDenialPayload = z.object({
  id: z.string(),
  occurredAt: z.string(),
  location: z.object({ type: z.literal('point'), lon: z.number(), lat: z.number(), precision_m: z.number() }),
  precision: z.enum(['exact', 'public']),
  deniedBy: z.string().nullable(),
  place: z.string(),
  durationMinutes: z.number().nullable(),
  caseId: z.string().nullable(),
  narrative: z.string(),
  reportedBy: z.string(),
});
export type AccessDenialPayload = z.infer<typeof AccessDenialPayload>;
