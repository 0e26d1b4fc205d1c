/**
 * Dates as exports write them: ISO (`2015-01-01`), day or month first with a 24-hour time
 * (`01/01/2015 00:00`), or Excel's US form (`9/30/2022 12:00:00 AM`). Whether `05/02/2014` is
 * 5 February or 2 May is decided from the file itself (a value with 13 or more in one place settles
 * it for its column), never assumed; when the file cannot settle it, the import is refused.
 */

export type DayOrder = 'dmy' | 'mdy';

export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Minutes east of UTC when the text carried an offset (`Z`, `+02:00`); otherwise local time. */
  readonly offset: number | null;
  /** The text had a time of day (not just a date). */
  readonly hasTime: boolean;
}

export type DateParse = { readonly ok: true; readonly value: LocalDateTime } | { readonly ok: false; readonly reason: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const SLASH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AP])\.?M\.?)?)?$/i;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** The form of a slash date, so that each form's day order is settled on its own evidence. */
export function slashShape(text: string): string | null {
  const m = SLASH.exec(text.trim());
  if (!m) return null;
  return m[7] ? 'm/d/y h:mm AM' : m[4] ? 'dd/dd/yyyy hh:mm' : 'dd/dd/yyyy';
}

/** Parses one date; slash dates need the day order of their column (see DayOrderEvidence). */
export function parseDate(text: string, order: DayOrder | null): DateParse {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'is empty' };
  let m = ISO.exec(t);
  if (m) {
    const offset = m[7] === undefined ? null : parseOffset(m[7]);
    return check(t, +m[1]!, +m[2]!, +m[3]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, offset, m[4] !== undefined);
  }
  m = SLASH.exec(t);
  if (m) {
    if (!order) return { ok: false, reason: `"${t}" could be day/month or month/day` };
    const [a, b] = [+m[1]!, +m[2]!];
    const [month, day] = order === 'mdy' ? [a, b] : [b, a];
    let hour = m[4] ? +m[4] : 0;
    if (m[7]) {
      if (hour < 1 || hour > 12) return { ok: false, reason: `"${t}" has hour ${hour} with AM/PM` };
      const pm = m[7].toUpperCase() === 'P';
      hour = (hour % 12) + (pm ? 12 : 0);
    }
    return check(t, +m[3]!, month, day, hour, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, null, m[4] !== undefined);
  }
  m = DOTTED.exec(t);
  if (m) return check(t, +m[3]!, +m[2]!, +m[1]!, m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, null, m[4] !== undefined);
  return { ok: false, reason: `"${clip(t)}" is not a date (expected e.g. 2015-01-31, 01/31/2015 00:00 or 1/31/2015 12:00:00 AM)` };
}

function parseOffset(z: string): number {
  if (z.toUpperCase() === 'Z') return 0;
  const sign = z.startsWith('-') ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function check(
  t: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offset: number | null,
  hasTime: boolean,
): DateParse {
  if (month < 1 || month > 12) return { ok: false, reason: `"${t}" has no month ${month}` };
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return { ok: false, reason: `"${t}": ${year}-${pad(month)} has no day ${day}` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: `"${t}" is not a time of day` };
  return { ok: true, value: { year, month, day, hour, minute, second, offset, hasTime } };
}

/**
 * Collects, per column and per form, which day order the slash dates prove. `05/02/2014` proves
 * nothing; `1/22/2014` proves month first; `27/01/2014` proves day first.
 */
export class DayOrderEvidence {
  private readonly seen = new Map<
    string,
    { dmy: { line: number; text: string } | null; mdy: { line: number; text: string } | null; count: number }
  >();

  note(column: string, text: string, line: number): void {
    const shape = slashShape(text);
    if (!shape) return;
    const m = SLASH.exec(text.trim())!;
    const key = `${column}\u0000${shape}`;
    const e = this.seen.get(key) ?? { dmy: null, mdy: null, count: 0 };
    e.count++;
    const [a, b] = [+m[1]!, +m[2]!];
    if (a > 12 && b <= 12 && !e.dmy) e.dmy = { line, text: text.trim() };
    if (b > 12 && a <= 12 && !e.mdy) e.mdy = { line, text: text.trim() };
    this.seen.set(key, e);
  }

  /**
   * The order for each column's slash dates: proven by the column (any form of it), or `declared`.
   * A column whose forms prove different orders is legal (two tools wrote the file) as long as each
   * form is consistent; a form proving both, or a column proving nothing with nothing declared, is refused.
   */
  resolve(
    declared: DayOrder | null,
  ): { ok: true; order: (column: string, text: string) => DayOrder | null } | { ok: false; reason: string } {
    const byKey = new Map<string, DayOrder>();
    const byColumn = new Map<string, Set<DayOrder>>();
    for (const [key, e] of this.seen) {
      const [column, shape] = key.split('\u0000') as [string, string];
      if (e.dmy && e.mdy) {
        return {
          ok: false,
          reason: `column ${column} mixes day-first and month-first dates of the form ${shape} (line ${e.dmy.line}: ${e.dmy.text}; line ${e.mdy.line}: ${e.mdy.text}): the other dates cannot be told apart`,
        };
      }
      const proven: DayOrder | null = e.dmy ? 'dmy' : e.mdy ? 'mdy' : null;
      if (proven) {
        byKey.set(key, proven);
        byColumn.set(column, (byColumn.get(column) ?? new Set()).add(proven));
      }
    }
    for (const [key, e] of this.seen) {
      if (byKey.has(key)) continue;
      const [column, shape] = key.split('\u0000') as [string, string];
      const fromColumn = byColumn.get(column);
      const order = fromColumn && fromColumn.size === 1 ? [...fromColumn][0]! : declared;
      if (!order) {
        return {
          ok: false,
          reason: `the ${e.count} dates of the form ${shape} in column ${column} could be day/month or month/day, and none of them has a day after the 12th; state the order (dmy or mdy)`,
        };
      }
      byKey.set(key, order);
    }
    return {
      ok: true,
      order: (column, text) => {
        const shape = slashShape(text);
        return shape ? (byKey.get(`${column}\u0000${shape}`) ?? declared) : null;
      },
    };
  }
}

/**
 * An explicit format from a column mapping: `DD/MM/YYYY HH:mm`, `M/D/YYYY h:mm:ss A`, `YYYY-MM-DD`…
 * Tokens: YYYY, MM, M, DD, D, HH, H, hh, h, mm, ss, A (AM/PM); anything else is literal.
 */
export function compileFormat(format: string): { ok: true; parse: (text: string) => DateParse } | { ok: false; reason: string } {
  const tokens = /YYYY|MM|M|DD|D|HH|H|hh|h|mm|ss|A/g;
  const order: string[] = [];
  let source = '';
  let last = 0;
  for (const m of format.matchAll(tokens)) {
    source += escape(format.slice(last, m.index));
    const t = m[0];
    order.push(t);
    source += t === 'YYYY' ? '(\\d{4})' : t === 'A' ? '([AaPp])\\.?[Mm]\\.?' : t.length === 2 ? '(\\d{2})' : '(\\d{1,2})';
    last = m.index + t.length;
  }
  source += escape(format.slice(last));
  const has = (t: string) => order.includes(t);
  if (!has('YYYY')) return { ok: false, reason: `the date format "${format}" has no year (YYYY)` };
  if (!has('MM') && !has('M')) return { ok: false, reason: `the date format "${format}" has no month (MM or M)` };
  if (!has('DD') && !has('D')) return { ok: false, reason: `the date format "${format}" has no day (DD or D)` };
  if ((has('hh') || has('h')) !== has('A'))
    return { ok: false, reason: `the date format "${format}": a 12-hour hour (hh, h) goes with A (AM/PM), a 24-hour one is HH or H` };
  const re = new RegExp(`^${source}$`);
  return {
    ok: true,
    parse(text) {
      const t = text.trim();
      if (t === '') return { ok: false, reason: 'is empty' };
      const m = re.exec(t);
      if (!m) return { ok: false, reason: `"${clip(t)}" does not match the date format ${format}` };
      const v: Record<string, number> = {};
      let pm: boolean | null = null;
      order.forEach((tok, k) => {
        const g = m[k + 1]!;
        if (tok === 'A') pm = g.toUpperCase() === 'P';
        else v[tok.charAt(0)] = Number(g);
      });
      let hour = v.H ?? v.h ?? 0;
      if (pm !== null) {
        if (hour < 1 || hour > 12) return { ok: false, reason: `"${t}" has hour ${hour} with AM/PM` };
        hour = (hour % 12) + (pm ? 12 : 0);
      }
      return check(t, v.Y!, v.M!, v.D!, hour, v.m ?? 0, v.s ?? 0, null, has('H') || has('HH') || has('h') || has('hh'));
    },
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function clip(t: string): string {
  return t.length > 40 ? t.slice(0, 40) + '…' : t;
}

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

/** `+02:00` for 120 minutes. */
export function formatOffset(minutes: number): string {
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    formatIn(zone);
    return true;
  } catch {
    return false;
  }
}

function formatIn(zone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(zone, f);
  }
  return f;
}

/** Minutes east of UTC in `zone` at the instant `utcMs`, asked of the runtime's time-zone data. */
function askOffset(zone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatIn(zone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * Each zone-year's offset changes, found once (a sample a month, then a binary search to the minute
 * around each change): asking Intl for every row costs ~30 µs, which a million-row import notices.
 */
const yearTables = new Map<string, { from: number; offset: number }[]>();

function offsetAt(zone: string, utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const key = `${zone}\u0000${year}`;
  let table = yearTables.get(key);
  if (!table) {
    table = [];
    let prevAt = Date.UTC(year, 0, 1);
    let prev = askOffset(zone, prevAt);
    table.push({ from: prevAt, offset: prev });
    for (let m = 1; m <= 12; m++) {
      const at = Date.UTC(year, m, 1);
      const offset = askOffset(zone, at);
      if (offset !== prev) {
        let [lo, hi] = [prevAt, at];
        while (hi - lo > 60_000) {
          const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
          if (askOffset(zone, mid) === prev) lo = mid;
          else hi = mid;
        }
        table.push({ from: hi, offset });
      }
      prevAt = at;
      prev = offset;
    }
    yearTables.set(key, table);
  }
  let offset = table[0]!.offset;
  for (const t of table) if (t.from <= utcMs) offset = t.offset;
  return offset;
}

/**
 * The instant as ISO 8601 with the offset it had where it was entered: a local time is placed in
 * `zone` (daylight saving included), so `2016-07-01 12:00` in Europe/Kyiv is `…T12:00:00+03:00`.
 */
export function toInstant(t: LocalDateTime, zone: string): string {
  const local = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  let offset = t.offset;
  if (offset === null) {
    offset = offsetAt(zone, local - offsetAt(zone, local) * 60_000);
  }
  const wall = new Date(local);
  return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${formatOffset(offset)}`;
}

/** The calendar day of a parsed date, `2015-01-31`. */
export function dayOf(t: LocalDateTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}

/** Whole days from a to b. */
export function daysBetween(a: LocalDateTime, b: LocalDateTime): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}
