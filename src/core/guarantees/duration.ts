/**
 * ISO 8601 durations as the framework writes them (PT24H, P7D, P1M). Deadlines are added on the
 * calendar in UTC (P1M from 31 January is the end of February, as a lawyer counts), so that every node
 * computes the same instant. Windows and comparisons use a nominal length (a month is 30 days, a year
 * 365), which is exact for the hours and days that triggers use in practice.
 */

export interface DurationParts {
  readonly years: number;
  readonly months: number;
  readonly weeks: number;
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
}

const PATTERN = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The parts of a duration, or null when it is not ISO 8601 (the framework schema has checked it already). */
export function parseDuration(iso: string): DurationParts | null {
  const m = PATTERN.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return null;
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** Nominal length in milliseconds (month = 30 days, year = 365 days); NaN when not a duration. */
export function nominalMs(iso: string): number {
  const d = parseDuration(iso);
  if (!d) return NaN;
  return (d.years * 365 + d.months * 30 + d.weeks * 7 + d.days) * DAY + d.hours * HOUR + d.minutes * 60_000 + Math.round(d.seconds * 1000);
}

/** `at` (epoch ms) plus the duration, on the UTC calendar; NaN when not a duration. */
export function addDuration(at: number, iso: string): number {
  const d = parseDuration(iso);
  if (!d) return NaN;
  let t = at;
  if (d.years || d.months) {
    const date = new Date(at);
    const day = date.getUTCDate();
    const target = new Date(at);
    target.setUTCDate(1);
    target.setUTCFullYear(date.getUTCFullYear() + d.years, date.getUTCMonth() + d.months, 1);
    // Clamp to the last day of the target month (31 January + P1M = 28 or 29 February).
    const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(day, last));
    t = target.getTime();
  }
  return t + (d.weeks * 7 + d.days) * DAY + d.hours * HOUR + d.minutes * 60_000 + Math.round(d.seconds * 1000);
}

/** "24 hours", "7 days", "12 hours 30 minutes": for explanations people read. */
export function formatDuration(iso: string): string {
  const d = parseDuration(iso);
  if (!d) return iso;
  const parts: string[] = [];
  const add = (n: number, unit: string) => {
    if (n) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  };
  add(d.years, 'year');
  add(d.months, 'month');
  add(d.weeks, 'week');
  add(d.days, 'day');
  add(d.hours, 'hour');
  add(d.minutes, 'minute');
  add(d.seconds, 'second');
  return parts.length ? parts.join(' ') : 'no time';
}
