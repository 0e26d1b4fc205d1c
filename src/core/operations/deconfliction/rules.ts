import type { DeconflictionRule, Framework } from '../../framework/model';
import { clauseSites } from '../../framework/traverse';

/**
 * What deconfliction takes from a framework version: its deconfliction rule and who must hear of a
 * notified site struck (the guarantors and the monitoring mechanism named in the same text).
 */
export interface RuleContext {
  readonly hash: string;
  readonly frameworkVersion: number;
  readonly rule: DeconflictionRule | null;
  readonly guarantors: readonly string[];
  readonly mechanisms: readonly string[];
}

export type Activity = DeconflictionRule['leadTimes'][number]['activity'];

/** When the rule names no buffer for an activity. */
export const DEFAULT_BUFFER_M = 500;

/**
 * The deconfliction rule of a document. Only clauses' own parts count (an alternative is an option
 * still under negotiation, not a rule) and deleted clauses do not. Several rules: one that applies
 * everywhere wins over zone-bound ones, then the first in the text.
 */
export function ruleContext(doc: Framework, hash: string, frameworkVersion: number): RuleContext {
  const rules: DeconflictionRule[] = [];
  for (const site of clauseSites(doc)) {
    if (site.clause.status !== 'deleted' && site.clause.part?.kind === 'deconfliction-rule') rules.push(site.clause.part);
  }
  const rule = rules.find((r) => r.zones.length === 0) ?? rules[0] ?? null;
  return {
    hash,
    frameworkVersion,
    rule,
    guarantors: doc.parties.filter((p) => p.roles.includes('guarantor')).map((p) => p.id),
    mechanisms: doc.parties.filter((p) => p.kind === 'mechanism').map((p) => p.id),
  };
}

export function leadTimeOf(rule: DeconflictionRule, activity: Activity): string | null {
  return rule.leadTimes.find((l) => l.activity === activity)?.leadTime ?? null;
}

export function bufferOf(rule: DeconflictionRule | null, activity: Activity): number {
  return rule?.bufferDistances.find((b) => b.activity === activity)?.distance_m ?? DEFAULT_BUFFER_M;
}

const DURATION = /^P(?:(\d+)W|(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?)$/;

/**
 * `instant + duration` in milliseconds. Years and months are calendar steps in UTC; a day is 24 hours
 * (lead times and deadlines are elapsed time: "48 hours' notice" does not stretch over a DST change).
 */
export function addDuration(ms: number, iso: string): number {
  const m = DURATION.exec(iso);
  if (!m) throw new RangeError(`not an ISO 8601 duration: ${iso}`);
  const [, weeks, years, months, days, hours, minutes, seconds] = m;
  let t = ms;
  if (years || months) {
    const d = new Date(t);
    d.setUTCMonth(d.getUTCMonth() + Number(months ?? 0) + 12 * Number(years ?? 0));
    t = d.getTime();
  }
  const n = (s: string | undefined) => Number(s ?? 0);
  return t + (n(weeks) * 7 * 24 + n(days) * 24 + n(hours)) * 3_600_000 + n(minutes) * 60_000 + n(seconds) * 1000;
}

/** "48 hours", "2 days", "1 day 6 hours": how a refusal names a lead time. */
export function describeDuration(iso: string): string {
  const m = DURATION.exec(iso);
  if (!m) return iso;
  const [, weeks, years, months, days, hours, minutes, seconds] = m;
  const parts: string[] = [];
  const add = (v: string | undefined, unit: string) => {
    if (v && Number(v) !== 0) parts.push(`${Number(v)} ${unit}${Number(v) === 1 ? '' : 's'}`);
  };
  add(weeks, 'week');
  add(years, 'year');
  add(months, 'month');
  add(days, 'day');
  add(hours, 'hour');
  add(minutes, 'minute');
  add(seconds, 'second');
  return parts.length > 0 ? parts.join(' ') : 'no time';
}

export const ACTIVITY_NAMES: Record<Activity, string> = {
  'static-site': 'a static site',
  'land-movement': 'a land movement',
  'sea-movement': 'a sea movement',
  'air-movement': 'an air movement',
};
