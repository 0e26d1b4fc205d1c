import { createPublicKey, verify } from 'node:crypto';
import type { z } from 'zod';
import { fail, ok, type Result } from '../errors';
import type { Framework } from '../framework/model';
import { currentDocument, type FrameworkState, inForceAt } from '../framework/versions';
import { type Classification, classifyPoint, inFrameworkArea, ringCentroid, zoneIndexFor, type ZoneIndex } from '../geo/zones';
import { canonicalize } from '../journal/canonical';
import { sha256Hex } from '../journal/chain';
import type { EventDraft, ExpectedVersion } from '../journal/envelope';
import { closeness, explainMatch, GROUPABLE_PRECISIONS, matchRules, type RuleMatch, type Sighting, widestWindow } from './correlation';
import type { ClassificationPayload, IntakeWarning, ReportPayload } from './events';
import { CASE_STATUSES, EXACT_LOCATION_GRANT, REPORT_TYPES, ReportInput as ReportInputSchema, type ReportKind } from './model';
import { coarseDistance, publicPrecisionOf, snapToGrid } from './precision';
import { currentCase, initOperations, nearbyRows, type OperationsState } from './state';

export { DOMAINS, REPORT_TYPES, SOURCES } from './model';

/**
 * Intake: a report as sent (by a device, a party's system, a form or an import) becomes two events in
 * one append — `report.filed` with the exact location (need-to-know) and `report.recorded` at public
 * precision (every participant) — plus the case it joins. Everything that depends on the rules is
 * decided here, at intake, against the framework in force when the incident happened: the zones it
 * falls in, the public precision, the case. Both stores and every node then give identical answers.
 */

/** The intake schema (model.ts): a point may be sent as `{lon, lat}`, precision then defaults. */
export const ReportInput = ReportInputSchema;
/** What a sender writes (defaults may be left out). */
export type ReportInput = z.input<typeof ReportInputSchema>;
export type ParsedReport = z.output<typeof ReportInputSchema>;

/** Clock skew tolerated for reports timed in the future (device clocks drift). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface Reporter {
  readonly username: string;
  readonly party: string | null;
  readonly roles: readonly string[];
}

/** What intake reads: the memory image's operations and framework, and the journal's stream versions. */
export interface IntakeView {
  readonly operations: OperationsState;
  readonly framework: FrameworkState;
  streamVersion(stream: string): number;
}

/**
 * A report decided but not yet appended (another request's). A report of the same incident joins its
 * case right away, stating the case version that append will leave: both land in order, or the second
 * is refused as a conflict and decided again.
 */
export interface PendingSighting extends Sighting {
  readonly id: string;
  readonly caseId: string;
}

export type ReportDecision =
  | {
      readonly kind: 'new';
      readonly id: string;
      readonly caseId: string;
      readonly drafts: EventDraft[];
      readonly expected: Record<string, ExpectedVersion>;
      readonly warnings: IntakeWarning[];
      readonly sighting: PendingSighting | null;
    }
  /** The same `externalRef` was filed before: nothing to add. */
  | { readonly kind: 'duplicate'; readonly id: string; readonly caseId: string | null; readonly position: number };

export interface IntakeContext {
  readonly now: Date;
  readonly reporter: Reporter;
  /** The id for a new report (random, or derived from the idempotency key); unused with an externalRef. */
  readonly id: string;
  /** The body exactly as sent, for the device signature (signed before defaults were applied). */
  readonly raw?: unknown;
  readonly pending?: readonly PendingSighting[];
}

/** A report imported from an outside system gets an id derived from its reference, so re-import is a no-op. */
export function reportIdForExternalRef(ref: string): string {
  const h = sha256Hex(`external-ref\u0000${ref}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

import { caseStream, reportStream } from './model';
export { caseStream, reportStream };

/** Who reads a report's exact location: holders of the grant, and the reporter's own party. */
export function exactVisibility(party: string | null): string[] {
  return [`grant:${EXACT_LOCATION_GRANT}`, ...(party ? [`party:${party}`] : [])];
}

/** Reports of a party's delegation are that party's account: claims, whatever source they name. */
export function kindOf(source: string, reporter: Reporter): ReportKind {
  return source === 'party-claim' || reporter.roles.includes('delegate') ? 'claim' : 'observation';
}

export function decideReport(view: IntakeView, input: ParsedReport, ctx: IntakeContext): Result<ReportDecision> {
  const ops = view.operations;
  if (input.externalRef !== undefined) {
    const first = ops.externalRefs.get(input.externalRef);
    if (first) {
      const r = ops.reports.get(first)!;
      return ok({ kind: 'duplicate', id: first, caseId: r.caseId, position: r.filed });
    }
  }
  const occurred = Date.parse(input.occurredAt);
  if (occurred > ctx.now.getTime() + MAX_CLOCK_SKEW_MS) {
    return fail(
      'validation_failed',
      `occurredAt ${input.occurredAt} is in the future (more than 5 minutes ahead of the server clock)`,
      '/occurredAt',
    );
  }
  if (input.signature) {
    const raw = ctx.raw ?? input;
    const checked = verifyDeviceSignature(raw, input.signature);
    if (!checked.ok) return checked;
  }
  let point: { lon: number; lat: number };
  if (input.location.type === 'area') {
    const problem = checkRings(input.location.polygon);
    if (problem) return problem;
    point = ringCentroid(input.location.polygon[0]!);
  } else {
    point = { lon: input.location.lon, lat: input.location.lat };
  }

  const id = input.externalRef !== undefined ? reportIdForExternalRef(input.externalRef) : ctx.id;
  const occurredAt = new Date(occurred).toISOString();
  const warnings: IntakeWarning[] = [];

  // The rules of the incident's own day: the version in force at occurredAt.
  const inForce = inForceAt(view.framework, occurredAt);
  const doc: Framework | null = inForce?.document ?? null;
  const zones: ZoneIndex | null = inForce ? zoneIndexFor(inForce.hash, inForce.document) : null;
  const precision = publicPrecisionOf(doc);
  const classification = zones ? classifyPoint(zones, point.lon, point.lat, input.weaponClass ?? null) : null;
  if (!inForce && view.framework.processId !== null) {
    warnings.push({
      code: 'no-framework-in-force',
      message: 'no version of the framework was in force when this happened: the report is not classified against any zones',
      pointer: '/occurredAt',
    });
  }
  // Swapped coordinates are judged against the zones in force, else the latest text.
  const areaZones = zones ?? latestZones(view.framework);
  if (areaZones && !inFrameworkArea(areaZones, point.lon, point.lat)) {
    if (inFrameworkArea(areaZones, point.lat, point.lon) && Math.abs(point.lon) <= 90) {
      warnings.push({
        code: 'swapped-coordinates',
        message:
          'latitude and longitude look swapped: the point lies outside the area of the framework, and with the two exchanged it would lie inside (GeoJSON and this API put longitude first). The report was recorded as sent.',
        pointer: '/location',
      });
    } else {
      warnings.push({
        code: 'outside-framework-area',
        message: 'the point lies outside the area the framework’s zones cover; check the coordinates',
        pointer: '/location',
      });
    }
  }
  const kind = kindOf(input.source, ctx.reporter);
  if (kind === 'claim' && input.source !== 'party-claim') {
    warnings.push({
      code: 'recorded-as-claim',
      message: `reports filed by a party's delegation are recorded as that party's claims; the source "${input.source}" is kept`,
      pointer: '/source',
    });
  }

  const coarse = snapToGrid(point.lon, point.lat, precision);
  const enteredOffset = /(Z|[+-]\d{2}:\d{2})$/.exec(input.occurredAt)?.[1] ?? 'Z';
  const framework = inForce ? { number: inForce.number, hash: inForce.hash } : null;
  const common = {
    id,
    occurredAt,
    enteredOffset,
    occurredPrecision: input.occurredPrecision,
    publicPrecision_m: precision,
    domain: input.domain,
    type: input.type,
    weaponClass: input.weaponClass ?? null,
    casualties: input.casualties,
    source: input.source,
    kind,
    evidence: input.evidence,
    narrative: input.narrative,
    externalRef: input.externalRef ?? null,
    reportedBy: ctx.reporter.username,
    framework,
    warnings,
  };
  const filed: ReportPayload = {
    ...common,
    location: input.location.type === 'area' ? { ...input.location } : { ...input.location },
    point,
    precision: 'exact',
    signature: input.signature ? { ...input.signature, verified: true } : null,
    classification: classification ? toPayload(classification) : null,
  };
  const recorded: ReportPayload = {
    ...common,
    location: { type: 'point', lon: coarse.lon, lat: coarse.lat, precision_m: Math.max(precision, input.location.precision_m) },
    point: coarse,
    precision: 'public',
    signature: input.signature ? { keyId: input.signature.keyId, verified: true } : null,
    classification: classification ? coarseClassification(toPayload(classification), precision) : null,
  };

  const sighting: Sighting = { lon: point.lon, lat: point.lat, time: occurred, type: input.type };
  const groupable = GROUPABLE_PRECISIONS.includes(input.occurredPrecision);
  const match = groupable ? correlate(ops, sighting, ctx.pending ?? []) : null;

  const drafts: EventDraft[] = [
    {
      stream: reportStream(id),
      type: 'report.filed',
      payload: filed as unknown as Record<string, unknown>,
      visibility: exactVisibility(ctx.reporter.party),
    },
    { stream: reportStream(id), type: 'report.recorded', payload: recorded as unknown as Record<string, unknown>, visibility: ['process'] },
  ];
  const expected: Record<string, ExpectedVersion> = { [reportStream(id)]: 'new' };
  let caseId: string;
  if (match) {
    caseId = match.caseId;
    const explanation = explainMatch(match.match, input.type, match.type);
    drafts.push({
      stream: caseStream(caseId),
      type: 'case.report-added',
      payload: {
        caseId,
        reportId: id,
        matchedReport: match.reportId,
        rule: match.match.rule.id,
        // Rounded: the gap between two reports must not let anyone recover an exact place.
        distance_m: Math.round(match.match.distance_m / 100) * 100,
        minutes: Math.round(match.match.minutes),
        explanation,
      },
      visibility: ['process'],
    });
    expected[caseStream(caseId)] = view.streamVersion(caseStream(caseId));
  } else {
    caseId = id;
    drafts.push({
      stream: caseStream(caseId),
      type: 'case.opened',
      payload: { caseId, reportIds: [id], explanation: openingExplanation(groupable, input.type, ops), splitFrom: null },
      visibility: ['process'],
    });
    expected[caseStream(caseId)] = 'new';
  }
  return ok({ kind: 'new', id, caseId, drafts, expected, warnings, sighting: groupable ? { ...sighting, id, caseId } : null });
}

function openingExplanation(groupable: boolean, type: string, ops: OperationsState): string {
  if (!groupable) return 'opened for this report: it is timed to the day or coarser, too wide to group automatically';
  if (!ops.rules.rules.some((r) => r.compatible.some((g) => (g as readonly string[]).includes(type))))
    return `opened for this report: no correlation rule groups ${type} reports`;
  return 'opened for this report: no open case had a report of a compatible type close enough in space and time';
}

function correlate(
  ops: OperationsState,
  s: Sighting,
  pending: readonly PendingSighting[],
): { caseId: string; reportId: string; type: string; match: RuleMatch } | null {
  const rules = ops.rules.rules;
  if (rules.length === 0) return null;
  const window = widestWindow(rules);
  const c = ops.columns;
  let best: { caseId: string; reportId: string; type: string; match: RuleMatch; score: number; order: number } | null = null;
  const consider = (caseId: string, reportId: string, type: string, m: RuleMatch, order: number) => {
    const score = closeness(m);
    // Ties go to the earlier report, so every node decides the same.
    if (!best || score < best.score || (score === best.score && order < best.order))
      best = { caseId, reportId, type, match: m, score, order };
  };
  for (const row of nearbyRows(ops, s.lon, s.lat, s.time, window.distance_m, window.minutes)) {
    const status = CASE_STATUSES[c.status[row]!];
    if (status !== 'reported' && status !== 'under-investigation') continue;
    const reportId = ops.rowIds[row]!;
    const record = ops.reports.get(reportId);
    if (!record?.caseId) continue;
    const type = REPORT_TYPES[c.type[row]!]!;
    const m = matchRules(rules, s, { lon: c.lon[row]!, lat: c.lat[row]!, time: c.time[row]!, type });
    if (!m) continue;
    const kase = currentCase(ops, record.caseId);
    if (!kase || (kase.status !== 'reported' && kase.status !== 'under-investigation')) continue;
    consider(kase.id, reportId, type, m, record.filed);
  }
  // Reports being appended right now come after every stored one.
  pending.forEach((p, i) => {
    const m = matchRules(rules, s, p);
    if (m) consider(p.caseId, p.id, p.type, m, Number.MAX_SAFE_INTEGER - pending.length + i);
  });
  return best;
}

function latestZones(state: FrameworkState): ZoneIndex | null {
  const doc = currentDocument(state);
  const v = state.versions[state.versions.length - 1];
  return doc && v ? zoneIndexFor(v.hash, doc) : null;
}

/** The classification as a payload: fresh plain objects (classifyPoint builds them per call). */
function toPayload(c: Classification): ClassificationPayload {
  return {
    contactLine: c.contactLine ? { ...c.contactLine } : null,
    bufferZones: c.bufferZones.map((z) => ({ ...z })),
    withdrawal: c.withdrawal.map((w) => ({ ...w, appliesTo: [...w.appliesTo] })),
    corridors: c.corridors.map((x) => ({ ...x })),
    airspace: c.airspace.map((z) => ({ ...z })),
  };
}

/** The classification as the coarse record holds it: zone memberships, distances to the public precision. */
export function coarseClassification(c: ClassificationPayload, precision_m: number): ClassificationPayload {
  return {
    // Which side of the line a point lies on is told only when the rounded distance is not 0: within half
    // a cell of the line, the side would say more than the cell does.
    contactLine: c.contactLine ? coarseContact(c.contactLine, precision_m) : null,
    bufferZones: c.bufferZones,
    withdrawal: c.withdrawal.map((w) => ({ ...w, distance_m: coarseDistance(w.distance_m, precision_m) })),
    corridors: c.corridors.map((x) => ({ ...x, distance_m: coarseDistance(x.distance_m, precision_m) })),
    airspace: c.airspace,
  };
}

function coarseContact(
  c: NonNullable<ClassificationPayload['contactLine']>,
  precision_m: number,
): NonNullable<ClassificationPayload['contactLine']> {
  const distance_m = coarseDistance(c.distance_m, precision_m);
  return { ...c, distance_m, side: distance_m === 0 ? 'on' : c.side };
}

function checkRings(polygon: readonly (readonly (readonly number[])[])[]): ReturnType<typeof fail> | null {
  for (let r = 0; r < polygon.length; r++) {
    const ring = polygon[r]!;
    const a = ring[0]!;
    const b = ring[ring.length - 1]!;
    if (a[0] !== b[0] || a[1] !== b[1]) {
      return fail(
        'validation_failed',
        `ring ${r} of the area is not closed: its last position must repeat the first`,
        `/location/polygon/${r}/${ring.length - 1}`,
      );
    }
  }
  return null;
}

/**
 * Verifies a device's Ed25519 signature over the canonical JSON (RFC 8785) of the report as sent,
 * without its `signature` member. The key travels with the report; whether the key belongs to a
 * registered device is for the mechanism to judge (the key id is recorded with the report).
 */
export function verifyDeviceSignature(raw: unknown, sig: { keyId: string; publicKey: string; signature: string }): Result<true> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('validation_failed', 'the signed report must be a JSON object', '/signature');
  const { signature: _omit, ...signed } = raw as Record<string, unknown>;
  void _omit;
  let good = false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: sig.publicKey }, format: 'jwk' });
    good = verify(null, Buffer.from(canonicalize(signed), 'utf8'), key, Buffer.from(sig.signature, 'base64url'));
  } catch {
    return fail('validation_failed', `the device key ${sig.keyId} is not a valid Ed25519 public key`, '/signature/publicKey');
  }
  if (!good) {
    return fail(
      'validation_failed',
      `the device signature (key ${sig.keyId}) does not verify: it must be an Ed25519 signature over the RFC 8785 canonical JSON of the report as sent, without "signature"; the report was altered or signed with another key`,
      '/signature/signature',
    );
  }
  return ok(true);
}

/**
 * The drafts of one report without a framework, correlation or case (for benchmarks and old callers):
 * the id is derived from the content, so the same report decided twice is the same report.
 */
export function fileReport(input: ReportInput, now: Date, reporter: { username: string; party: string | null }): Result<EventDraft[]> {
  const parsed = ReportInputSchema.safeParse(input);
  if (!parsed.success) return fail('validation_failed', parsed.error.issues[0]?.message ?? 'not a report', '/');
  const id = reportIdForExternalRef(`content:${reporter.username}:${canonicalize(parsed.data)}`);
  const view: IntakeView = {
    operations: { ...initOperations(), rules: { rules: [], setBy: null, setAt: null, position: 0 } },
    framework: { processId: null, versions: [], documents: new Map(), signatures: [], force: [] },
    streamVersion: () => 0,
  };
  const decided = decideReport(view, parsed.data, { now, reporter: { ...reporter, roles: [] }, id });
  if (!decided.ok) return decided;
  if (decided.value.kind !== 'new') return fail('conflict', 'this report was filed before');
  return ok(decided.value.drafts.slice(0, 2));
}
