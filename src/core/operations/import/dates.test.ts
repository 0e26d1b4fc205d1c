import { describe, expect, it } from 'vitest';
import { compileFormat, dayOf, DayOrderEvidence, parseDate, toInstant } from './dates';

const day = (text: string, order: 'dmy' | 'mdy' | null = null) => {
  const r = parseDate(text, order);
  return r.ok ? dayOf(r.value) : r.reason;
};

describe('the three date forms of the raw UCDP export', () => {
  it('reads each into the right day', () => {
    expect(day('2015-01-01')).toBe('2015-01-01');
    expect(day('05/02/2014 00:00', 'mdy')).toBe('2014-05-02');
    expect(day('05/02/2014 00:00', 'dmy')).toBe('2014-02-05');
    expect(day('9/30/2022 12:00:00 AM', 'mdy')).toBe('2022-09-30');
    expect(day('10/13/2014 12:00:00 AM', 'mdy')).toBe('2014-10-13');
  });

  it('reads 12-hour times: 12 AM is midnight, 12 PM noon', () => {
    const at = (t: string) => {
      const r = parseDate(t, 'mdy');
      return r.ok ? `${r.value.hour}:${r.value.minute}` : r.reason;
    };
    expect(at('9/30/2022 12:00:00 AM')).toBe('0:0');
    expect(at('9/30/2022 12:30:00 PM')).toBe('12:30');
    expect(at('9/30/2022 1:05:00 PM')).toBe('13:5');
  });

  it('refuses what is not a day', () => {
    expect(day('02/30/2015 00:00', 'mdy')).toMatch(/2015-02 has no day 30/);
    expect(day('13/13/2015', 'mdy')).toMatch(/no month 13/);
    expect(day('yesterday')).toMatch(/is not a date/);
    expect(day('05/02/2014')).toMatch(/could be day\/month or month\/day/);
  });
});

describe('the day order is proven by the file, per column and form', () => {
  it('a day after the 12th proves month-first for the whole column', () => {
    const e = new DayOrderEvidence();
    e.note('date_start', '05/02/2014 00:00', 2);
    e.note('date_start', '10/13/2014 00:00', 3);
    e.note('date_start', '1/22/2014 12:00:00 AM', 4);
    const r = e.resolve(null);
    expect(r.ok && r.order('date_start', '05/02/2014 00:00')).toBe('mdy');
    expect(r.ok && r.order('date_start', '5/2/2014 12:00:00 AM')).toBe('mdy');
  });

  it('two forms in one column may prove different orders (two tools wrote the file)', () => {
    const e = new DayOrderEvidence();
    e.note('d', '27/01/2014', 2);
    e.note('d', '1/22/2014 12:00:00 AM', 3);
    const r = e.resolve(null);
    expect(r.ok && r.order('d', '05/02/2014')).toBe('dmy');
    expect(r.ok && r.order('d', '5/2/2014 12:00:00 AM')).toBe('mdy');
  });

  it('one form proving both orders is refused with both lines', () => {
    const e = new DayOrderEvidence();
    e.note('date_start', '27/01/2014 00:00', 7);
    e.note('date_start', '01/27/2014 00:00', 9);
    const r = e.resolve(null);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(
      /column date_start mixes day-first and month-first dates .*line 7: 27\/01\/2014 00:00; line 9: 01\/27\/2014 00:00/,
    );
  });

  it('a column that proves nothing needs the order stated', () => {
    const e = new DayOrderEvidence();
    e.note('date_start', '05/02/2014 00:00', 2);
    e.note('date_start', '06/03/2014 00:00', 3);
    const r = e.resolve(null);
    expect(!r.ok && r.reason).toMatch(/2 dates .* could be day\/month or month\/day.*state the order/);
    const declared = e.resolve('dmy');
    expect(declared.ok && declared.order('date_start', '05/02/2014 00:00')).toBe('dmy');
  });
});

describe('explicit formats and time zones', () => {
  it('compiles a mapping format', () => {
    const f = compileFormat('DD.MM.YYYY HH:mm');
    expect(f.ok).toBe(true);
    const r = f.ok ? f.parse('07.01.2026 05:40') : null;
    expect(r).toMatchObject({ ok: true, value: { year: 2026, month: 1, day: 7, hour: 5, minute: 40 } });
    const us = compileFormat('M/D/YYYY h:mm A');
    expect(us.ok && us.parse('1/7/2026 5:40 PM')).toMatchObject({ ok: true, value: { hour: 17 } });
    expect(compileFormat('DD/MM HH:mm')).toMatchObject({ ok: false, reason: expect.stringMatching(/no year/) });
    expect(compileFormat('DD/MM/YYYY hh:mm')).toMatchObject({ ok: false, reason: expect.stringMatching(/12-hour hour/) });
  });

  it('places local times in their zone, daylight saving included', () => {
    const local = (s: string) => {
      const r = parseDate(s, null);
      if (!r.ok) throw new Error(r.reason);
      return r.value;
    };
    expect(toInstant(local('2016-07-01 12:00'), 'Europe/Kyiv')).toBe('2016-07-01T12:00:00+03:00');
    expect(toInstant(local('2016-01-15 12:00'), 'Europe/Kyiv')).toBe('2016-01-15T12:00:00+02:00');
    // the night of the spring change (03:00 → 04:00 local on 27 March 2016)
    expect(toInstant(local('2016-03-27 02:30'), 'Europe/Kyiv')).toBe('2016-03-27T02:30:00+02:00');
    expect(toInstant(local('2016-03-27 05:00'), 'Europe/Kyiv')).toBe('2016-03-27T05:00:00+03:00');
    expect(toInstant(local('2016-07-01T12:00:00Z'), 'Europe/Kyiv')).toBe('2016-07-01T12:00:00+00:00');
    expect(toInstant(local('2026-01-07 05:40'), 'UTC')).toBe('2026-01-07T05:40:00+00:00');
  });
});
