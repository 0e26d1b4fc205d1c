import { describe, expect, it } from 'vitest';
import { isZone, localIso, offsetMinutes, transitions, vtimezone, zonedInstant } from './time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned times', () => {
  it('a Kyiv local time is two hours ahead of UTC in January, three in July (not the server zone)', () => {
    const jan = zonedInstant('2026-01-03T10:00', 'Europe/Kyiv', '/start');
    const jul = zonedInstant('2026-07-03T10:00', 'Europe/Kyiv', '/start');
    expect(jan.ok && iso(jan.value)).toBe('2026-01-03T08:00:00.000Z');
    expect(jul.ok && iso(jul.value)).toBe('2026-07-03T07:00:00.000Z');
    expect(localIso(Date.parse('2026-01-03T08:00:00Z'), 'Europe/Kyiv')).toBe('2026-01-03T10:00');
  });

  it('refuses a time skipped when Europe springs forward on 29 March 2026', () => {
    const r = zonedInstant('2026-03-29T03:30', 'Europe/Kyiv', '/start');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.pointer).toBe('/start');
      expect(r.message).toContain('does not exist in Europe/Kyiv');
      expect(r.message).toContain('UTC+02:00 to UTC+03:00');
    }
    const paris = zonedInstant('2026-03-29T02:15', 'Europe/Paris', '/start');
    expect(paris.ok).toBe(false);
    // the minute before the gap and the first minute after it exist
    const before = zonedInstant('2026-03-29T01:59', 'Europe/Paris', '/start');
    const after = zonedInstant('2026-03-29T03:00', 'Europe/Paris', '/start');
    expect(before.ok && iso(before.value)).toBe('2026-03-29T00:59:00.000Z');
    expect(after.ok && iso(after.value)).toBe('2026-03-29T01:00:00.000Z');
  });

  it('refuses a time skipped when the US springs forward on 8 March 2026', () => {
    const r = zonedInstant('2026-03-08T02:30', 'America/New_York', '/start');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('does not exist in America/New_York');
    const ok = zonedInstant('2026-03-08T03:30', 'America/New_York', '/start');
    expect(ok.ok && iso(ok.value)).toBe('2026-03-08T07:30:00.000Z');
    // Europe has not changed yet that day: London is four hours ahead of Washington for three weeks
    expect(
      offsetMinutes('America/New_York', Date.parse('2026-03-10T12:00:00Z')) -
        offsetMinutes('Europe/London', Date.parse('2026-03-10T12:00:00Z')),
    ).toBe(-240);
  });

  it('asks which of two when the clocks go back, and takes the choice', () => {
    const r = zonedInstant('2026-10-25T03:30', 'Europe/Kyiv', '/end');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('happens twice in Europe/Kyiv');
      expect(r.message).toContain('"earlier"');
      expect(r.pointer).toBe('/end');
    }
    const earlier = zonedInstant('2026-10-25T03:30', 'Europe/Kyiv', '/end', 'earlier');
    const later = zonedInstant('2026-10-25T03:30', 'Europe/Kyiv', '/end', 'later');
    expect(earlier.ok && iso(earlier.value)).toBe('2026-10-25T00:30:00.000Z');
    expect(later.ok && iso(later.value)).toBe('2026-10-25T01:30:00.000Z');
    const ny = zonedInstant('2026-11-01T01:30', 'America/New_York', '/start');
    expect(ny.ok).toBe(false);
  });

  it('refuses unknown zones and impossible dates with the pointer', () => {
    const z = zonedInstant('2026-01-03T10:00', 'Europe/Kiyv', '/venue/zone');
    expect(z.ok || z.message).toContain('unknown time zone "Europe/Kiyv"');
    expect(isZone('Europe/Kyiv')).toBe(true);
    expect(isZone('Mars/Olympus')).toBe(false);
    const d = zonedInstant('2026-02-30T10:00', 'Europe/Kyiv', '/start');
    expect(d.ok || d.message).toContain('is not a date and time of the calendar');
  });

  it('finds the clock changes of a year to the minute', () => {
    const t = transitions('Europe/Berlin', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    expect(t.map((x) => [iso(x.at), x.from, x.to])).toEqual([
      ['2026-03-29T01:00:00.000Z', 60, 120],
      ['2026-10-25T01:00:00.000Z', 120, 60],
    ]);
    expect(transitions('Europe/Istanbul', Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))).toEqual([]);
    const vt = vtimezone('America/New_York', 2026, 2026);
    expect(vt).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400');
    expect(vt).toContain('BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500');
  });
});
