import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../access/roles';
import type { JournalEvent } from '../journal/envelope';
import type { EventDraft } from '../journal/envelope';
import { NO_MILESTONES } from '../milestones';
import { frameworkProjection } from '../framework/versions';
import { decidePlan, decidePrerequisite, decideRevision, decideStatus, decideMinutes } from './commands';
import { calendarOf } from './ics';
import { MeetingInput, SlotQuery } from './model';
import { analyseSequence, buildSequence, checksNow, checksOf } from './prerequisites';
import { findSlots } from './slots';
import { processProjection, type ProcessState } from './state';

const mediator: Principal = { kind: 'user', id: 'm', username: 'mediator', party: null, roles: ['mediator'], grants: [], scopes: null };

let position = 0;
function apply(state: ProcessState, drafts: { ok: boolean; value?: EventDraft[]; message?: string }, at = '2026-01-01T00:00:00.000Z') {
  if (!drafts.ok) throw new Error(drafts.message);
  for (const d of drafts.value!) {
    const e = { ...d, position: ++position, recordedAt: at, actor: 'mediator', party: null } as unknown as JournalEvent;
    processProjection.apply(state, e);
  }
}

const meeting = (over: Record<string, unknown> = {}) =>
  MeetingInput.parse({
    code: 'advisers-kyiv',
    title: 'National security advisers',
    track: 'advisers',
    venue: { name: 'Kyiv', zone: 'Europe/Kyiv' },
    start: '2026-01-03T10:00',
    end: '2026-01-03T16:00',
    format: 'hybrid',
    videoLink: 'https://video.example.org/advisers',
    participants: [
      { name: 'Rustem Umerov', person: 'ua-delegate', party: 'ua', zone: 'Europe/Kyiv', mode: 'in-person', role: 'chair' },
      {
        name: 'US adviser',
        person: 'us-guarantor',
        party: 'us',
        zone: 'America/New_York',
        mode: 'video',
        role: 'delegate',
        response: 'accepted',
      },
    ],
    ...over,
  });

function fresh(): ProcessState {
  const s = processProjection.init();
  apply(s, decidePlan(s, meeting(), null));
  apply(
    s,
    decidePlan(
      s,
      meeting({ code: 'chiefs', title: 'Chiefs of staff', track: 'military', start: '2026-01-05T10:00', end: '2026-01-05T15:00' }),
      null,
    ),
  );
  apply(
    s,
    decidePlan(
      s,
      meeting({
        code: 'leaders',
        title: 'Leaders',
        track: 'leaders',
        venue: { name: 'Paris', zone: 'Europe/Paris' },
        start: '2026-01-06T14:00',
        end: '2026-01-06T18:00',
        hardDate: true,
      }),
      null,
    ),
  );
  return s;
}

describe('meetings and their prerequisites', () => {
  it('stores UTC instants beside the venue zone; bad input names the field', () => {
    const s = fresh();
    const m = s.meetings.get('advisers-kyiv')!;
    expect([m.start, m.end, m.venue.zone]).toEqual(['2026-01-03T08:00:00.000Z', '2026-01-03T14:00:00.000Z', 'Europe/Kyiv']);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ code: 'x1', end: '2026-01-03T09:00' }, '/end', 'ends (2026-01-03T09:00) before it starts'],
      [{ code: 'x2', venue: { name: 'K', zone: 'Europe/Kiyv' } }, '/venue/zone', 'unknown time zone'],
      [
        { code: 'x3', venue: { name: 'Paris', zone: 'Europe/Paris' }, start: '2026-03-29T02:30', end: '2026-03-29T05:00' },
        '/start',
        'does not exist',
      ],
      [
        { code: 'x4', venue: { name: 'Paris', zone: 'Europe/Paris' }, start: '2026-10-25T01:00', end: '2026-10-25T02:30' },
        '/end',
        'happens twice',
      ],
      [{ code: 'x5', format: 'in-person' }, '/participants/1/mode', 'make it hybrid'],
      [{ code: 'x6', videoLink: null }, '/videoLink', 'secure video link'],
    ];
    for (const [over, pointer, text] of cases) {
      const r = decidePlan(s, meeting(over), null);
      expect(r.ok, pointer).toBe(false);
      if (!r.ok) {
        expect(r.pointer).toBe(pointer);
        expect(r.message).toContain(text);
      }
    }
    expect(() => meeting({ participants: [{ name: 'No zone', mode: 'video', role: 'observer' }] })).toThrow(/time zone/);
    const dup = decidePlan(s, meeting(), null);
    expect(!dup.ok && dup.code).toBe('conflict');
  });

  it('refuses a prerequisite that closes a cycle, naming it; blockers say what is missing', () => {
    const s = fresh();
    apply(s, decidePrerequisite(s, 'chiefs', { requirement: { type: 'meeting-held', meeting: 'advisers-kyiv' }, note: '' }, null));
    apply(s, decidePrerequisite(s, 'leaders', { requirement: { type: 'meeting-held', meeting: 'chiefs' }, note: '' }, null));
    const cyc = decidePrerequisite(s, 'advisers-kyiv', { requirement: { type: 'meeting-held', meeting: 'leaders' }, note: '' }, null);
    expect(cyc.ok).toBe(false);
    if (!cyc.ok) expect(cyc.message).toContain('advisers-kyiv → chiefs → leaders → advisers-kyiv');
    apply(s, decidePrerequisite(s, 'leaders', { requirement: { type: 'attested', by: 'tr', what: 'Lists received' }, note: '' }, null));

    const ctx = { process: s, framework: frameworkProjection.init(), facts: NO_MILESTONES, now: '2026-01-04T00:00:00.000Z' };
    const seq = buildSequence(s, null);
    const a = analyseSequence(seq);
    expect(a.ok && a.value.criticalPath.map((i) => seq.meetings[i]!.id)).toEqual(['advisers-kyiv', 'chiefs', 'leaders']);
    expect(checksOf(ctx, seq, 'leaders').map((c) => [c.met, c.detail])).toEqual([
      [false, 'chiefs has not been held (planned, planned 2026-01-05T08:00:00.000Z)'],
      [false, 'tr has not attested: Lists received'],
    ]);
    const refused = decideStatus(
      s,
      'leaders',
      { status: 'held', reason: '', override: false },
      '2026-01-06T20:00:00.000Z',
      checksOf(ctx, seq, 'leaders'),
    );
    expect(!refused.ok && [refused.code, refused.pointer, refused.message]).toEqual([
      'refused',
      '/status',
      'leaders cannot be recorded as held: 2 prerequisites are still unmet — chiefs has not been held (planned, planned 2026-01-05T08:00:00.000Z); tr has not attested: Lists received. The mediator may record it held anyway with a reason (override).',
    ]);
    apply(
      s,
      decideStatus(
        s,
        'chiefs',
        { status: 'held', at: '2026-01-05T13:00:00Z', reason: '', override: false },
        '2026-01-05T14:00:00.000Z',
        [],
      ),
    );
    expect(checksOf(ctx, buildSequence(s, null), 'leaders')[0]!.met).toBe(true);
  });

  it('walks the lifecycle and refuses what does not follow', () => {
    const s = fresh();
    const bad = decideStatus(s, 'leaders', { status: 'closed', reason: '', override: false }, '2026-01-07T00:00:00.000Z', []);
    expect(!bad.ok && bad.message).toBe('a planned meeting cannot become closed; it can become confirmed, held, postponed, cancelled');
    const early = decideStatus(s, 'leaders', { status: 'held', reason: '', override: false }, '2026-01-05T00:00:00.000Z', []);
    expect(!early.ok && early.pointer).toBe('/at');
    apply(s, decideStatus(s, 'leaders', { status: 'confirmed', reason: '', override: false }, '2026-01-05T00:00:00.000Z', []));
    expect(s.meetings.get('leaders')!.sequence).toBe(1);
    const minutesTooSoon = decideMinutes(s, mediator, 'leaders', { text: 'x', visibility: ['mediator'] });
    expect(!minutesTooSoon.ok && minutesTooSoon.code).toBe('invalid_transition');
  });

  it('records a meeting held over unmet prerequisites only when the mediator overrides with a reason', () => {
    const s = fresh();
    apply(s, decidePrerequisite(s, 'leaders', { requirement: { type: 'meeting-held', meeting: 'chiefs' }, note: '' }, null));
    const ctx = { process: s, framework: frameworkProjection.init(), facts: NO_MILESTONES, now: '2026-01-06T20:00:00.000Z' };
    const held = (override: boolean, reason: string) =>
      decideStatus(s, 'leaders', { status: 'held', reason, override }, ctx.now, checksNow(ctx, null, 'leaders'));

    const refused = held(false, '');
    expect(!refused.ok && refused.details).toEqual({ unmet: ['chiefs has not been held (planned, planned 2026-01-05T08:00:00.000Z)'] });
    expect(!refused.ok && refused.message).toContain('one prerequisite is still unmet — chiefs has not been held');
    const noReason = held(true, '  ');
    expect(!noReason.ok && [noReason.code, noReason.pointer]).toEqual(['validation_failed', '/reason']);
    // Postponing or confirming is not held: prerequisites are not asked for.
    expect(
      decideStatus(s, 'leaders', { status: 'confirmed', reason: '', override: false }, ctx.now, checksNow(ctx, null, 'leaders')).ok,
    ).toBe(true);

    apply(s, held(true, 'The chiefs met informally on the margins; the leaders could not wait.'));
    const last = s.meetings.get('leaders')!.history.at(-1)!;
    expect(last).toMatchObject({
      status: 'held',
      reason: 'The chiefs met informally on the margins; the leaders could not wait.',
      overridden: ['chiefs has not been held (planned, planned 2026-01-05T08:00:00.000Z)'],
    });

    // Once what it waits for is met, no override is needed and none is journaled.
    const t = fresh();
    apply(t, decidePrerequisite(t, 'leaders', { requirement: { type: 'meeting-held', meeting: 'chiefs' }, note: '' }, null));
    apply(t, decideStatus(t, 'chiefs', { status: 'held', at: '2026-01-05T13:00:00Z', reason: '', override: false }, ctx.now, []));
    const tctx = { ...ctx, process: t };
    apply(t, decideStatus(t, 'leaders', { status: 'held', reason: '', override: true }, ctx.now, checksNow(tctx, null, 'leaders')));
    expect(t.meetings.get('leaders')!.history.at(-1)!.overridden).toEqual([]);
  });
});

describe('iCalendar', () => {
  function parse(text: string) {
    const root = new ICAL.Component(ICAL.parse(text));
    ICAL.TimezoneService.reset();
    for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
    return root;
  }

  it('round-trips through ical.js with the right instants, SEQUENCE raised on each change', () => {
    const s = fresh();
    apply(
      s,
      decideRevision(
        s,
        'chiefs',
        { ...meeting({ code: 'chiefs', title: 'Chiefs of staff', track: 'military', start: '2026-01-05T11:00', end: '2026-01-05T15:00' }) },
        null,
      ),
    );
    const text = calendarOf([...s.meetings.values()], { name: 'January', stamp: '2026-01-01T00:00:00.000Z', viewer: 'us-guarantor' });
    const root = parse(text);
    expect(root.getFirstPropertyValue('method')).toBe('REQUEST');
    const tzids = root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
    expect(tzids.sort()).toEqual(['Europe/Kyiv', 'Europe/Paris']);
    const events = root.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const byUid = new Map(events.map((e) => [e.uid, e]));
    for (const m of s.meetings.values()) {
      const e = byUid.get(`${m.id}@entente`)!;
      expect(e.startDate.toJSDate().toISOString()).toBe(m.start);
      expect(e.endDate.toJSDate().toISOString()).toBe(m.end);
      expect(e.sequence).toBe(m.sequence);
    }
    expect(byUid.get('chiefs@entente')!.sequence).toBe(1);
    const attendees = byUid.get('advisers-kyiv@entente')!.attendees;
    expect(attendees.map((a) => [a.getParameter('cn'), a.getParameter('role'), a.getParameter('partstat')])).toEqual([
      ['Rustem Umerov', 'CHAIR', 'NEEDS-ACTION'],
      ['US adviser', 'REQ-PARTICIPANT', 'ACCEPTED'],
    ]);
    // the US adviser joins by video and sees the link; the chair in the room does not
    expect(text).toContain('https://video.example.org/advisers');
    const chair = calendarOf([...s.meetings.values()], { name: 'January', stamp: '2026-01-01T00:00:00.000Z', viewer: 'ua-delegate' });
    expect(chair).not.toContain('video.example.org');
  });

  it('keeps instants right across the March 2026 clock changes in Europe and the US', () => {
    const s = processProjection.init();
    const plans = [
      ['ny-before', 'America/New_York', '2026-03-07T09:00', '2026-03-07T10:00'],
      ['ny-after', 'America/New_York', '2026-03-09T09:00', '2026-03-09T10:00'],
      ['kyiv-before', 'Europe/Kyiv', '2026-03-28T10:00', '2026-03-28T11:00'],
      ['kyiv-after', 'Europe/Kyiv', '2026-03-30T10:00', '2026-03-30T11:00'],
      ['london-night', 'Europe/London', '2026-03-29T00:30', '2026-03-29T03:30'],
    ] as const;
    for (const [code, zone, start, end] of plans) {
      apply(
        s,
        decidePlan(
          s,
          meeting({ code, venue: { name: code, zone }, start, end, format: 'in-person', participants: [], videoLink: null }),
          null,
        ),
      );
    }
    // the second 02:30 of the night Paris goes back: written in UTC so that no reader takes the first
    const twice = {
      code: 'paris-twice',
      venue: { name: 'Paris', zone: 'Europe/Paris' },
      start: '2026-10-25T02:30',
      end: '2026-10-25T04:00',
    };
    apply(s, decidePlan(s, meeting({ ...twice, startChoice: 'later', format: 'in-person', participants: [], videoLink: null }), null));
    const expected: Record<string, [string, string]> = {
      'ny-before': ['2026-03-07T14:00:00.000Z', '2026-03-07T15:00:00.000Z'],
      'ny-after': ['2026-03-09T13:00:00.000Z', '2026-03-09T14:00:00.000Z'],
      'kyiv-before': ['2026-03-28T08:00:00.000Z', '2026-03-28T09:00:00.000Z'],
      'kyiv-after': ['2026-03-30T07:00:00.000Z', '2026-03-30T08:00:00.000Z'],
      // 00:30 GMT to 03:30 BST: two hours, not three
      'london-night': ['2026-03-29T00:30:00.000Z', '2026-03-29T02:30:00.000Z'],
      'paris-twice': ['2026-10-25T01:30:00.000Z', '2026-10-25T03:00:00.000Z'],
    };
    const root = parse(calendarOf([...s.meetings.values()], { name: 'March', stamp: '2026-03-01T00:00:00.000Z', viewer: null }));
    for (const v of root.getAllSubcomponents('vevent')) {
      const e = new ICAL.Event(v);
      const want = expected[e.uid.replace('@entente', '')]!;
      expect([e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()], e.uid).toEqual(want);
    }
  });
});

describe('slot finder', () => {
  const seven = [
    ['Kyiv', 'Europe/Kyiv'],
    ['Washington', 'America/New_York'],
    ['London', 'Europe/London'],
    ['Paris', 'Europe/Paris'],
    ['Berlin', 'Europe/Berlin'],
    ['Ankara', 'Europe/Istanbul'],
    ['Brussels', 'Europe/Brussels'],
  ].map(([name, zone]) => ({ name, zone }));

  it('ranks slots by participants inside their hours and shows each local time', () => {
    const r = findSlots(SlotQuery.parse({ participants: seven, from: '2026-01-12', to: '2026-01-12', durationMinutes: 60 }));
    if (!r.ok) throw new Error(r.message);
    const best = r.value[0]!;
    // 09:00 in Washington is 14:00 UTC = 16:00 Kyiv and Ankara 17:00: all seven inside 09:00–18:00
    expect(best.start).toBe('2026-01-12T14:00:00.000Z');
    expect(best.inside).toBe(7);
    expect(best.participants.map((p) => p.start.slice(11))).toEqual(['16:00', '09:00', '14:00', '15:00', '15:00', '17:00', '15:00']);
  });

  it('follows the US change on 8 March 2026 and the European one on 29 March', () => {
    const pair = [seven[1]!, seven[0]!];
    const day = (d: string) => {
      const r = findSlots(SlotQuery.parse({ participants: pair, from: d, to: d, durationMinutes: 60 }));
      if (!r.ok) throw new Error(r.message);
      return r.value.filter((s) => s.inside === 2).map((s) => s.start.slice(11, 16));
    };
    // Before 8 March: Washington UTC−5, Kyiv UTC+2 → overlap 14:00–16:00 UTC (09–11 NY, 16–18 Kyiv)
    expect(day('2026-03-06')).toEqual(['14:00', '14:30', '15:00']);
    // Between the changes: Washington UTC−4, Kyiv UTC+2 → one more hour: 13:00–16:00 UTC
    expect(day('2026-03-10')).toEqual(['13:00', '13:30', '14:00', '14:30', '15:00']);
    // After 29 March: Kyiv UTC+3 → back to 13:00–15:00 UTC
    expect(day('2026-03-30')).toEqual(['13:00', '13:30', '14:00']);
  });

  it('names the participant with an unknown zone', () => {
    const r = findSlots(
      SlotQuery.parse({ participants: [{ name: 'Ankara desk', zone: 'Asia/Ankara' }], from: '2026-01-12', to: '2026-01-12' }),
    );
    expect(!r.ok && [r.pointer, r.message]).toEqual([
      '/participants/0/zone',
      'Ankara desk: unknown time zone "Asia/Ankara": use an IANA name such as Europe/London',
    ]);
  });
});
