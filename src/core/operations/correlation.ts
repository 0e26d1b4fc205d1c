import { z } from 'zod';
import { haversine_m } from '../geo/zones';
import { REPORT_TYPES, ReportType } from './model';

/**
 * Correlation: reports of the same incident, from several sources, are grouped into one case. Each rule
 * is data — a window in space and time and the types it treats as one incident — so the mechanism can
 * tune them without a release; the rule that grouped two reports is named in the case's explanation.
 */

export const CorrelationRule = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'a rule id is up to 32 letters, digits, _ or -'),
  label: z.string().max(200).optional(),
  maxDistance_m: z.number().positive().max(100_000, 'at most 100 km'),
  maxMinutes: z
    .number()
    .positive()
    .max(7 * 24 * 60, 'at most 7 days'),
  /** Groups of types that describe one incident (a type is always compatible with itself). */
  compatible: z.array(z.array(ReportType).min(1)).min(1),
});
export type CorrelationRule = z.infer<typeof CorrelationRule>;

export const CorrelationRules = z
  .array(CorrelationRule)
  .max(50)
  .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique');

/** The mechanism's starting rules; `PUT /api/v1/correlation-rules` replaces them. */
export const DEFAULT_CORRELATION_RULES: CorrelationRule[] = [
  {
    id: 'R1',
    label: 'indirect fire and its effects',
    maxDistance_m: 2000,
    maxMinutes: 30,
    compatible: [['shelling-impact', 'airburst', 'infrastructure-damage', 'civilian-casualty']],
  },
  { id: 'R2', label: 'small-arms exchange', maxDistance_m: 1000, maxMinutes: 20, compatible: [['small-arms', 'civilian-casualty']] },
  {
    id: 'R3',
    label: 'air strike or incursion',
    maxDistance_m: 10_000,
    maxMinutes: 15,
    compatible: [
      ['drone', 'missile', 'air-incursion'],
      ['drone', 'missile', 'infrastructure-damage', 'civilian-casualty'],
    ],
  },
  { id: 'R4', label: 'naval incident', maxDistance_m: 10_000, maxMinutes: 60, compatible: [['naval']] },
  { id: 'R5', label: 'restriction of the monitors', maxDistance_m: 1000, maxMinutes: 240, compatible: [['movement-restriction']] },
  { id: 'R6', label: 'heavy weapon sighting', maxDistance_m: 3000, maxMinutes: 720, compatible: [['weapon-beyond-withdrawal-line']] },
];

/** Only reports timed to the minute or hour are grouped automatically: a day is too wide a window. */
export const GROUPABLE_PRECISIONS: readonly string[] = ['minute', 'hour'];

export interface Sighting {
  readonly lon: number;
  readonly lat: number;
  /** epoch ms */
  readonly time: number;
  readonly type: string;
}

export interface RuleMatch {
  readonly rule: CorrelationRule;
  readonly distance_m: number;
  readonly minutes: number;
}

export function compatible(rule: CorrelationRule, a: string, b: string): boolean {
  if (!rule.compatible.some((g) => (g as readonly string[]).includes(a))) return false;
  return a === b || rule.compatible.some((g) => (g as readonly string[]).includes(a) && (g as readonly string[]).includes(b));
}

/** The first rule (in order) that groups the two sightings, or null. */
export function matchRules(rules: readonly CorrelationRule[], a: Sighting, b: Sighting): RuleMatch | null {
  const minutes = Math.abs(a.time - b.time) / 60_000;
  let distance: number | null = null;
  for (const rule of rules) {
    if (minutes > rule.maxMinutes || !compatible(rule, a.type, b.type)) continue;
    distance ??= haversine_m(a.lon, a.lat, b.lon, b.lat);
    if (distance <= rule.maxDistance_m) return { rule, distance_m: distance, minutes };
  }
  return null;
}

/** How close a match is, relative to its rule's window: 0 is the same place and instant. */
export function closeness(m: RuleMatch): number {
  return m.distance_m / m.rule.maxDistance_m + m.minutes / m.rule.maxMinutes;
}

/** The widest window any rule opens, for the index lookup. */
export function widestWindow(rules: readonly CorrelationRule[]): { distance_m: number; minutes: number } {
  return rules.reduce((w, r) => ({ distance_m: Math.max(w.distance_m, r.maxDistance_m), minutes: Math.max(w.minutes, r.maxMinutes) }), {
    distance_m: 0,
    minutes: 0,
  });
}

export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
}

/** "grouped by rule R1: 1.2 km, 14 min apart, both shelling-impact". */
export function explainMatch(m: RuleMatch, newType: string, otherType: string): string {
  const what = newType === otherType ? `both ${newType}` : `${newType} and ${otherType}`;
  return `grouped by rule ${m.rule.id}: ${formatDistance(m.distance_m)}, ${Math.round(m.minutes)} min apart, ${what}`;
}

/** Types a rule set never groups (each such report stands alone until a mediator merges it). */
export function ungroupedTypes(rules: readonly CorrelationRule[]): string[] {
  return REPORT_TYPES.filter((t) => !rules.some((r) => r.compatible.some((g) => (g as readonly string[]).includes(t))));
}
