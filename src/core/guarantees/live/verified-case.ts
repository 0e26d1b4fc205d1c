import type { FrameworkState } from '../../framework/versions';
import { inForceAt } from '../../framework/versions';
import { inForceHistory } from '../../framework/in-force';
import { classifyPoint, zoneIndexFor, type Classification } from '../../geo/zones';
import { DOMAINS, REPORT_TYPES, SOURCES } from '../../operations/model';
import type { CaseRecord, Finding, OperationsState } from '../../operations/state';
import { guaranteeTexts, resolveGuarantees, type GuaranteeText } from '../commitments';
import type { CeasefirePeriod, VerifiedCase } from '../trigger';

/**
 * From a verified case of operations to the trigger engine's `VerifiedCase`, read from the memory
 * image only (no journal reads), so that every node derives the same case from the same state.
 *
 * - occurredAt: the earliest report of the case (a breach happens when it is first seen);
 * - type and domain: the most frequent among the case's reports (observations first; ties go to the
 *   first report), since a case groups reports of one incident;
 * - zones: each report's exact point classified under the framework IN FORCE at the case's occurredAt
 *   (buffer zones, corridors, airspace areas, violated withdrawal lines; the contact line when the point
 *   lies within CONTACT_LINE_REACH_M of it) by `addCaseZones`, the rule the coverage check predicts;
 * - severity: the finding's, when the mechanism gave one; otherwise DEFAULT_SEVERITY from casualties
 *   (killed → 4, injured → 3, none → 2) — a documented default, never silently 0;
 * - independent sources: distinct (reporter party, source kind) pairs among observations (claims by a
 *   party are not independent evidence);
 * - verifier: the party that recorded the finding.
 */

/** How close to the contact line a point must be for the breach to count "at the contact line". */
export const CONTACT_LINE_REACH_M = 15_000;

/** Severity when the finding gives none, from the casualties the reports record. */
export function defaultSeverity(killed: number, injured: number): number {
  if (killed > 0) return 4;
  if (injured > 0) return 3;
  return 2;
}

/** The finding a verified case stands on: the latest one recorded. */
export function latestFinding(kase: CaseRecord): Finding | null {
  return kase.findings.length ? kase.findings[kase.findings.length - 1]! : null;
}

export type Unverifiable = { readonly ok: false; readonly reason: string };
export type Derived = { readonly ok: true; readonly kase: VerifiedCase; readonly reportIds: readonly string[] };

export function verifiedCaseOf(
  ops: OperationsState,
  framework: FrameworkState,
  caseId: string,
  verifiedAt: string,
): Derived | Unverifiable {
  const kase = ops.cases.get(caseId);
  if (!kase) return { ok: false, reason: `no case ${caseId}` };
  if (kase.status !== 'verified') return { ok: false, reason: `case ${kase.number} is ${kase.status}` };
  const finding = latestFinding(kase);
  if (!finding) return { ok: false, reason: `case ${kase.number} has no finding` };
  if (finding.attribution.party === null) return { ok: false, reason: `case ${kase.number} could not be attributed` };
  if (!finding.party) return { ok: false, reason: `the finding on case ${kase.number} was recorded for no party` };
  const cols = ops.columns;
  const rows = kase.reportIds.map((id) => ops.reports.get(id)).filter((r) => r !== undefined);
  if (rows.length === 0) return { ok: false, reason: `case ${kase.number} has no reports` };
  // Observations decide type and domain; claims only when there is nothing else.
  const observations = rows.filter((r) => r.kind === 'observation');
  const basis = observations.length ? observations : rows;
  const { occurredAt, killed, injured, zones } = caseFacts(ops, framework, rows);
  const type = mostFrequent(basis.map((r) => REPORT_TYPES[cols.type[r.row]!]!));
  const domain = mostFrequent(basis.map((r) => DOMAINS[cols.domain[r.row]!]!));
  const sources = new Set(observations.map((r) => `${r.party ?? ''}|${SOURCES[cols.source[r.row]!]}`));
  return {
    ok: true,
    reportIds: rows.map((r) => r.id),
    kase: {
      id: kase.id,
      occurredAt,
      verifiedAt,
      type,
      domain,
      zones: [...zones].sort().slice(0, 64),
      severity: finding.severity ?? defaultSeverity(killed, injured),
      attribution: { party: finding.attribution.party, confidence: finding.attribution.confidence },
      independentSources: sources.size,
      verifier: finding.party,
    },
  };
}

/** When a case happened, its casualties, and the zones its reports lie in under the text then in force. */
export interface CaseFacts {
  /** Epoch milliseconds of the earliest report. */
  readonly occurred: number;
  readonly occurredAt: string;
  readonly killed: number;
  readonly injured: number;
  readonly zones: Set<string>;
}

/** The facts of a case's reports that every reader of verified cases (triggers, funding conditions) needs. */
export function caseFacts(ops: OperationsState, framework: FrameworkState, rows: readonly { readonly row: number }[]): CaseFacts {
  const cols = ops.columns;
  let occurred = Infinity;
  let killed = 0;
  let injured = 0;
  for (const r of rows) {
    occurred = Math.min(occurred, cols.time[r.row]!);
    killed += cols.killed[r.row]!;
    injured += cols.injured[r.row]!;
  }
  const occurredAt = new Date(occurred).toISOString();
  const zones = new Set<string>();
  const force = inForceAt(framework, occurredAt);
  if (force) {
    const index = zoneIndexFor(force.hash, force.document);
    for (const r of rows) addCaseZones(classifyPoint(index, cols.lon[r.row]!, cols.lat[r.row]!), zones);
  }
  return { occurred, occurredAt, killed, injured, zones };
}

/** The zones a report's classification puts its case in (the stress simulator reads them the same way). */
export function addCaseZones(c: Classification, zones: Set<string>): void {
  if (c.contactLine && c.contactLine.distance_m <= CONTACT_LINE_REACH_M) zones.add(c.contactLine.zone);
  for (const z of c.bufferZones) zones.add(z.zone);
  // A corridor's zone is its fairway, and its `buffer_m` too unless a buffer zone is drawn along it: then
  // the buffer is that zone, which a commitment may leave out ("in the corridor itself"). The coverage
  // check reads zones the same way, so a breach there reaches exactly whom it predicts.
  for (const z of c.corridors) if (z.part === 'fairway' || !c.corridorsWithBufferZone.has(z.zone)) zones.add(z.zone);
  for (const z of c.airspace) zones.add(z.zone);
  for (const z of c.withdrawal) if (z.violated) zones.add(z.zone);
}

export function mostFrequent<T extends string>(values: readonly T[]): T {
  const counts = new Map<T, number>();
  let best = values[0]!;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > (counts.get(best) ?? 0)) best = v;
  }
  return best;
}

/** The commitments of the text in force at `t`, with the ceasefire period they activate in; null when none is in force. */
export function guaranteesInForceAt(
  framework: FrameworkState,
  t: string,
): { readonly hash: string; readonly number: number; readonly text: GuaranteeText; readonly ceasefire: CeasefirePeriod } | null {
  const force = inForceAt(framework, t);
  if (!force) return null;
  const resolved = resolveGuarantees(force.document);
  // A text in force with brackets still open is judged by the first alternative of each (the coverage
  // check flags such a text before signing); better a named rule than none.
  const text = resolved.ok ? resolved.value : (guaranteeTexts(force.document, { limit: 1 }).texts[0] ?? null);
  if (!text) return null;
  // The ceasefire is in force while a framework is: from the first entry into force of the unbroken
  // run of periods that contains t.
  const periods = inForceHistory(framework.force);
  const ms = Date.parse(t);
  let from: string | null = null;
  let until: string | null = null;
  for (const p of periods) {
    const start = Date.parse(p.from);
    const end = p.until === null ? Infinity : Date.parse(p.until);
    if (start > ms) break;
    if (from === null || (until !== null && Date.parse(until) < start)) from = p.from;
    until = p.until;
    if (end > ms) break;
  }
  return { hash: force.hash, number: force.number, text, ceasefire: { from: from ?? force.since, until: null } };
}
