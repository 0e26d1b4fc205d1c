import { fail, ok, type Result } from '../errors';
import type { SlotQuery, WorkingHours } from './model';
import { isZone, localIso, offsetLabel, offsetMinutes, wallTime } from './time';

/**
 * The slot finder: candidate start instants across the days asked, each scored by how many
 * participants would be inside their own working hours for the whole meeting, in their own zone at
 * that instant. Wall times come from Intl at each instant, so a clock change between two candidate
 * days (Europe on 29 March 2026, the US on 8 March 2026) moves the local times as it should.
 */

export interface LocalView {
  readonly name: string;
  readonly zone: string;
  /** YYYY-MM-DDTHH:mm at the start and end, in the participant's zone */
  readonly start: string;
  readonly end: string;
  /** e.g. +02:00, at the start */
  readonly offset: string;
  readonly inside: boolean;
}

export interface Slot {
  readonly start: string;
  readonly end: string;
  readonly inside: number;
  readonly of: number;
  readonly participants: readonly LocalView[];
}

const MINUTE = 60_000;
const minutesOf = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

/** Is [start, end) inside this person's working hours, on one working day of theirs? */
export function withinHours(startMs: number, endMs: number, zone: string, hours: WorkingHours): boolean {
  const a = wallTime(startMs, zone);
  if (!hours.days.includes(a.weekday)) return false;
  const lastMinute = wallTime(endMs - MINUTE, zone);
  if (lastMinute.day !== a.day || lastMinute.month !== a.month) return false;
  const from = a.hour * 60 + a.minute;
  const to = lastMinute.hour * 60 + lastMinute.minute + 1;
  return from >= minutesOf(hours.start) && to <= minutesOf(hours.end);
}

export function localView(name: string, zone: string, startMs: number, endMs: number, inside: boolean): LocalView {
  return {
    name,
    zone,
    start: localIso(startMs, zone),
    end: localIso(endMs, zone),
    offset: offsetLabel(offsetMinutes(zone, startMs)),
    inside,
  };
}

export function findSlots(q: SlotQuery): Result<Slot[]> {
  for (const [i, p] of q.participants.entries()) {
    if (!isZone(p.zone))
      return fail(
        'validation_failed',
        `${p.name}: unknown time zone "${p.zone}": use an IANA name such as Europe/London`,
        `/participants/${i}/zone`,
      );
    if (p.hours.start >= p.hours.end)
      return fail(
        'validation_failed',
        `${p.name}: working hours end (${p.hours.end}) before they start (${p.hours.start})`,
        `/participants/${i}/hours/end`,
      );
  }
  const from = Date.parse(`${q.from}T00:00:00Z`);
  const to = Date.parse(`${q.to}T00:00:00Z`) + 86_400_000;
  if (to <= from) return fail('validation_failed', `the search ends (${q.to}) before it starts (${q.from})`, '/to');
  if (to - from > 31 * 86_400_000) return fail('validation_failed', 'search at most 31 days at a time', '/to');
  const duration = q.durationMinutes * MINUTE;
  const scored: { start: number; inside: boolean[]; count: number }[] = [];
  for (let t = from; t + duration <= to; t += q.stepMinutes * MINUTE) {
    const inside = q.participants.map((p) => withinHours(t, t + duration, p.zone, p.hours));
    const count = inside.filter(Boolean).length;
    if (count > 0) scored.push({ start: t, inside, count });
  }
  scored.sort((a, b) => b.count - a.count || a.start - b.start);
  return ok(
    scored.slice(0, q.limit).map((s) => ({
      start: new Date(s.start).toISOString(),
      end: new Date(s.start + duration).toISOString(),
      inside: s.count,
      of: q.participants.length,
      participants: q.participants.map((p, i) => localView(p.name, p.zone, s.start, s.start + duration, s.inside[i]!)),
    })),
  );
}
