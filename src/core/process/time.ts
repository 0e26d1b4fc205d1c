import { fail, ok, type Result } from '../errors';

/**
 * Wall-clock time in IANA zones, computed with Intl only. An instant is stored in UTC beside the
 * zone it was planned in; a local time is turned into an instant here and nowhere else, so the
 * "plain Date on a UTC server" mistake (Kyiv times shifted by three hours) has one place to hide and
 * is tested there. A local time that a clock skips (spring forward) is refused; one it shows twice
 * (fall back) needs the caller to say which.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Is this a time zone Intl knows (IANA name, e.g. Europe/Kyiv)? */
export function isZone(zone: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday */
  readonly weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function wallTime(epochMs: number, zone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(epochMs)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday!] ?? 0,
  };
}

/** The zone's offset from UTC at this instant, in minutes (Kyiv in January: +120). */
export function offsetMinutes(zone: string, epochMs: number): number {
  const w = wallTime(epochMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / MINUTE);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DDTHH:mm` of an instant in a zone. */
export function localIso(epochMs: number, zone: string): string {
  const w = wallTime(epochMs, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** `+02:00` style offset. */
export function offsetLabel(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

export type Disambiguation = 'earlier' | 'later';

/**
 * The instant at which a zone's clocks show this local time. Fails (with the pointer given) when the
 * local time is malformed, skipped by a clock change, or shown twice and no choice was made.
 */
export function zonedInstant(local: string, zone: string, pointer: string, choose?: Disambiguation): Result<number> {
  const m = LOCAL.exec(local);
  if (!m) return fail('validation_failed', `"${local}" is not a local time: write YYYY-MM-DDTHH:mm`, pointer);
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wallAsUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return fail('validation_failed', `${local} is not a date and time of the calendar`, pointer);
  }
  if (!isZone(zone)) return fail('validation_failed', `unknown time zone "${zone}": use an IANA name such as Europe/Kyiv`, pointer);
  // The offsets a day before and after cover both sides of any clock change near this local time.
  const offsets = new Set([offsetMinutes(zone, wallAsUtc - DAY), offsetMinutes(zone, wallAsUtc), offsetMinutes(zone, wallAsUtc + DAY)]);
  const candidates = [...offsets]
    .map((o) => wallAsUtc - o * MINUTE)
    .filter((t) => localIso(t, zone) === local.slice(0, 16) && wallTime(t, zone).second === second)
    .sort((a, b) => a - b);
  const unique = [...new Set(candidates)];
  if (unique.length === 0) {
    const before = offsetMinutes(zone, wallAsUtc - DAY);
    const after = offsetMinutes(zone, wallAsUtc + DAY);
    return fail(
      'validation_failed',
      `${local.slice(0, 16)} does not exist in ${zone}: the clocks move from UTC${offsetLabel(before)} to UTC${offsetLabel(after)} that night and skip it; choose a time outside the gap`,
      pointer,
      { zone, local, offsetBefore: before, offsetAfter: after },
    );
  }
  if (unique.length > 1) {
    if (!choose) {
      const [earlier, later] = unique as [number, number];
      return fail(
        'validation_failed',
        `${local.slice(0, 16)} happens twice in ${zone} (the clocks go back): say "earlier" (UTC${offsetLabel(offsetMinutes(zone, earlier))}, ${new Date(earlier).toISOString()}) or "later" (UTC${offsetLabel(offsetMinutes(zone, later))}, ${new Date(later).toISOString()})`,
        pointer,
        { zone, local, earlier: new Date(earlier).toISOString(), later: new Date(later).toISOString() },
      );
    }
    return ok(choose === 'earlier' ? unique[0]! : unique[unique.length - 1]!);
  }
  return ok(unique[0]!);
}

export interface Transition {
  /** the instant of the change (ms) */
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

/** The zone's offset changes between two instants, each found to the minute. */
export function transitions(zone: string, fromMs: number, toMs: number): Transition[] {
  const out: Transition[] = [];
  const STEP = 6 * 3_600_000;
  let t = fromMs;
  let o = offsetMinutes(zone, t);
  while (t < toMs) {
    const next = Math.min(t + STEP, toMs);
    const on = offsetMinutes(zone, next);
    if (on !== o) {
      let lo = t;
      let hi = next;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetMinutes(zone, mid) === o) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, from: o, to: on });
      o = on;
    }
    t = next;
  }
  return out;
}

function icsLocal(epochMs: number, offset: number): string {
  const d = new Date(epochMs + offset * MINUTE);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

const icsOffset = (m: number) => offsetLabel(m).replace(':', '');

/**
 * An RFC 5545 VTIMEZONE for a zone over whole years, built from the transitions Intl knows: one
 * observance from the first instant covered, then one per clock change. No rules (RRULE) are
 * guessed: every change in the years covered is listed, which any reader can follow.
 */
export function vtimezone(zone: string, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Date.UTC(toYear + 1, 0, 1);
  const first = offsetMinutes(zone, start);
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', at: number, from: number, to: number) => {
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${icsLocal(at, from)}`,
      `TZOFFSETFROM:${icsOffset(from)}`,
      `TZOFFSETTO:${icsOffset(to)}`,
      `END:${kind}`,
    );
  };
  const changes = transitions(zone, start, end);
  observance('STANDARD', start, first, first);
  for (const c of changes) observance(c.to > c.from ? 'DAYLIGHT' : 'STANDARD', c.at, c.from, c.to);
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}
