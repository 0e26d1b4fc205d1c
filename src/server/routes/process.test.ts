import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInEach, testNode, type TestNode } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';

let node: TestNode;
const as: Record<string, Record<string, string>> = {};
const NOW = '2026-01-10T12:00:00.000Z';

beforeAll(async () => {
  node = await testNode({ now: () => new Date(NOW) });
  await seedFrameworks(node.journal);
  Object.assign(
    as,
    await signInEach(node, {
      mediator: 'mediator-user',
      delegate: 'delegate-user',
      guarantor: 'guarantor-user',
      observer: 'observer-user',
    }),
  );
});
afterAll(async () => {
  await node.close();
});

const send = (who: string, method: 'POST' | 'PUT', url: string, payload: unknown) =>
  node.app.inject({ method, url, headers: as[who], payload: payload as Record<string, unknown> });
const post = (who: string, url: string, payload: unknown) => send(who, 'POST', url, payload);
const get = (who: string | null, url: string) => node.app.inject({ method: 'GET', url, headers: who ? as[who] : {} });

const meeting = (over: Record<string, unknown> = {}) => ({
  code: 'security-advisers-kyiv-2026-01-03',
  title: 'National security advisers',
  track: 'advisers',
  venue: { name: 'Kyiv, Presidential Office', zone: 'Europe/Kyiv' },
  start: '2026-01-03T10:00',
  end: '2026-01-03T16:00',
  format: 'hybrid',
  videoLink: 'https://video.example.org/kyiv-advisers',
  participants: [
    { name: 'UA adviser', person: 'delegate-user', party: 'ua', zone: 'Europe/Kyiv', mode: 'in-person', role: 'chair' },
    { name: 'US adviser', person: 'guarantor-user', party: 'us', zone: 'America/New_York', mode: 'video', role: 'delegate' },
  ],
  ...over,
});

type Seq = {
  meetings: { id: string; blocked: boolean; critical: boolean; prerequisites: { source: string; met: boolean; detail: string }[] }[];
  criticalPath: string[];
  edges: unknown[];
};

describe('process API', () => {
  it('plans meetings; bad input is refused at its field and nothing is stored; only the mediator plans', async () => {
    expect((await post('mediator', '/api/v1/process/meetings', meeting())).statusCode).toBe(201);
    const head = node.journal.head;
    for (const [over, pointer, text] of [
      [{ code: 'm-1', end: '2026-01-03T09:00' }, '/end', 'before it starts'],
      [{ code: 'm-2', venue: { name: 'Kyiv', zone: 'Europe/Kiev-Town' } }, '/venue/zone', 'unknown time zone'],
      [
        { code: 'm-3', venue: { name: 'Paris', zone: 'Europe/Paris' }, start: '2026-03-29T02:30', end: '2026-03-29T06:00' },
        '/start',
        'does not exist in Europe/Paris',
      ],
      [
        { code: 'm-4', venue: { name: 'Paris', zone: 'Europe/Paris' }, start: '2026-10-25T02:30', end: '2026-10-25T06:00' },
        '/start',
        'happens twice',
      ],
      [{ code: 'm-5', participants: [{ name: 'No zone', mode: 'video', role: 'observer' }] }, '/participants/0/zone', 'time zone'],
      [{ code: 'm-6', agenda: [{ title: 'x', clauses: ['c-nowhere'] }] }, '/agenda/0/clauses/0', 'no clause c-nowhere'],
    ] as const) {
      const r = await post('mediator', '/api/v1/process/meetings', meeting(over));
      expect(r.statusCode, pointer).toBe(400);
      expect(r.json()).toMatchObject({ code: 'validation_failed', pointer });
      expect(r.json().detail ?? r.json().title).toBeTruthy();
      expect(JSON.stringify(r.json())).toContain(text);
    }
    expect(node.journal.head).toBe(head);
    expect((await post('delegate', '/api/v1/process/meetings', meeting({ code: 'm-7' }))).statusCode).toBe(403);
  });

  it('reads the framework prerequisites, computes the critical path, refuses a cycle with its name', async () => {
    await post(
      'mediator',
      '/api/v1/process/meetings',
      meeting({
        code: 'chiefs-of-staff-2026-01-05',
        title: 'Chiefs of staff',
        track: 'military',
        start: '2026-01-05T10:00',
        end: '2026-01-05T16:00',
      }),
    );
    await post(
      'mediator',
      '/api/v1/process/meetings',
      meeting({
        code: 'leaders-paris-2026-01-06',
        title: 'Leaders',
        track: 'leaders',
        venue: { name: 'Élysée', zone: 'Europe/Paris' },
        start: '2026-01-06T15:00',
        end: '2026-01-06T19:00',
        hardDate: true,
        format: 'in-person',
        videoLink: null,
        participants: [],
      }),
    );
    const r = await get('observer', '/api/v1/process/sequence');
    expect(r.statusCode).toBe(200);
    const seq = r.json() as Seq;
    expect(seq.criticalPath).toEqual(['security-advisers-kyiv-2026-01-03', 'chiefs-of-staff-2026-01-05', 'leaders-paris-2026-01-06']);
    const leaders = seq.meetings.find((m) => m.id === 'leaders-paris-2026-01-06')!;
    expect(leaders.blocked).toBe(true);
    expect(leaders.prerequisites.map((p) => p.source)).toEqual(['framework', 'framework']);
    expect(leaders.prerequisites.map((p) => p.detail)).toContainEqual(
      expect.stringContaining('chiefs-of-staff-2026-01-05 has not been held'),
    );

    const cycle = await post('mediator', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03/prerequisites', {
      requirement: { type: 'meeting-held', meeting: 'leaders-paris-2026-01-06' },
    });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().detail).toContain(
      'security-advisers-kyiv-2026-01-03 → chiefs-of-staff-2026-01-05 → leaders-paris-2026-01-06 → security-advisers-kyiv-2026-01-03',
    );

    const signed = await post('mediator', '/api/v1/process/meetings/leaders-paris-2026-01-06/prerequisites', {
      requirement: { type: 'version-signed', parties: ['ua', 'us'], clauses: ['c-commit-air'] },
    });
    expect(signed.statusCode).toBe(201);
    const detail = (await get('delegate', '/api/v1/process/meetings/leaders-paris-2026-01-06')).json();
    expect(detail.prerequisites).toHaveLength(3);
    expect(detail.prerequisites[2]).toMatchObject({ source: 'recorded', met: expect.any(Boolean) });
  });

  it('slip analysis names what moves and the hard dates that break', async () => {
    const r = await get('observer', '/api/v1/process/slip?meeting=chiefs-of-staff-2026-01-05&days=2');
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s.moved.map((m: { id: string }) => m.id)).toEqual(['chiefs-of-staff-2026-01-05', 'leaders-paris-2026-01-06']);
    expect(s.broken.map((b: { id: string }) => b.id)).toEqual(['leaders-paris-2026-01-06']);
    expect((await get('observer', '/api/v1/process/slip?meeting=nowhere&days=2')).json()).toMatchObject({ pointer: '/meeting' });
  });

  it('lifecycle, minutes per label, attendance; the held meeting unblocks its dependent', async () => {
    const held = await post('mediator', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03/status', {
      status: 'held',
      at: '2026-01-03T14:00:00Z',
    });
    expect(held.statusCode).toBe(201);
    const again = await post('mediator', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03/status', { status: 'confirmed' });
    expect(again.statusCode).toBe(409);
    expect(
      await post('mediator', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03/minutes', {
        text: 'Mediator notes: sea lead still open',
        visibility: ['mediator'],
      }),
    ).toMatchObject({ statusCode: 201 });
    expect(
      await post('delegate', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03/minutes', {
        text: 'Shared understanding reached',
        visibility: ['process'],
      }),
    ).toMatchObject({ statusCode: 201 });
    const own = await post('delegate', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03/minutes', {
      text: 'x',
      visibility: ['party:ru'],
    });
    expect(own.json()).toMatchObject({ pointer: '/visibility' });
    const att = await post('mediator', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03/attendance', {
      attendance: [
        { participant: 'UA adviser', present: true },
        { participant: 'Nobody', present: true },
      ],
    });
    expect(att.json()).toMatchObject({ pointer: '/attendance/1/participant' });
    const forDelegate = (await get('delegate', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03')).json();
    const forMediator = (await get('mediator', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03')).json();
    expect(forDelegate.minutes.map((m: { text: string }) => m.text)).toEqual(['Shared understanding reached']);
    expect(forMediator.minutes).toHaveLength(2);
    // the chair is in the room: no video link; the US adviser is on video: the link
    expect(forDelegate.videoLink).toBeNull();
    expect((await get('guarantor', '/api/v1/process/meetings/security-advisers-kyiv-2026-01-03')).json().videoLink).toBe(
      'https://video.example.org/kyiv-advisers',
    );
    // nor does the journal give it away: the link is its own event, for the mediator and the parties on video
    const journal = async (who: string) => (await get(who, '/api/v1/journal?after=0&limit=500')).body;
    expect(await journal('observer')).toContain('security-advisers-kyiv-2026-01-03');
    expect(await journal('observer')).not.toContain('video.example.org');
    expect(await journal('delegate')).not.toContain('video.example.org');
    expect(await journal('guarantor')).toContain('video.example.org');
    const chiefs = (await get('observer', '/api/v1/process/meetings/chiefs-of-staff-2026-01-05')).json();
    expect(chiefs.prerequisites).toEqual([expect.objectContaining({ source: 'framework', met: true })]);
    expect(chiefs.participants[1].local).toEqual({
      zone: 'America/New_York',
      start: '2026-01-05T03:00',
      end: '2026-01-05T09:00',
      offset: '-05:00',
    });
  });

  it('refuses to record a meeting held while its prerequisites are unmet, unless the mediator overrides with a reason', async () => {
    const url = '/api/v1/process/meetings/leaders-paris-2026-01-06/status';
    const head = node.journal.head;
    const refused = await post('mediator', url, { status: 'held', at: '2026-01-06T18:00:00Z' });
    expect(refused.statusCode).toBe(422);
    const problem = refused.json();
    expect(problem.pointer).toBe('/status');
    expect(problem.detail).toMatch(/^leaders-paris-2026-01-06 cannot be recorded as held: 2 prerequisites are still unmet — /);
    expect(problem.unmet).toEqual([
      'chiefs-of-staff-2026-01-05 has not been held (planned, planned 2026-01-05T08:00:00.000Z) (clause c-meeting-leaders)',
      'a version holding c-commit-air as agreed signed by ua, us: version 2 still lacks ua, us',
    ]);
    expect(problem.detail).toContain('anyway with a reason (override)');
    const noReason = await post('mediator', url, { status: 'held', at: '2026-01-06T18:00:00Z', override: true });
    expect([noReason.statusCode, noReason.json().pointer]).toEqual([400, '/reason']);
    expect(node.journal.head).toBe(head);
    // only the mediator decides a meeting's status, override or not
    expect((await post('delegate', url, { status: 'held', override: true, reason: 'we met' })).statusCode).toBe(403);

    const reason = 'Leaders met as planned; the guarantors sign the text next week.';
    expect((await post('mediator', url, { status: 'held', at: '2026-01-06T18:00:00Z', override: true, reason })).statusCode).toBe(201);
    const detail = (await get('observer', '/api/v1/process/meetings/leaders-paris-2026-01-06')).json();
    expect(detail.status).toBe('held');
    expect(detail.history.at(-1)).toMatchObject({ status: 'held', reason, actor: 'mediator-user', overridden: problem.unmet });
  });

  it('serves iCalendar that ical.js reads back at the right instants; the feed lives at a secret address', async () => {
    await send('mediator', 'PUT', '/api/v1/process/meetings/chiefs-of-staff-2026-01-05', {
      ...meeting(),
      code: undefined,
      title: 'Chiefs of staff',
      track: 'military',
      start: '2026-01-05T11:00',
      end: '2026-01-05T16:00',
    });
    const ics = await get('guarantor', '/api/v1/process/meetings/chiefs-of-staff-2026-01-05/ics');
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toContain('text/calendar');
    const root = new ICAL.Component(ICAL.parse(ics.body));
    ICAL.TimezoneService.reset();
    for (const tz of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
    const e = new ICAL.Event(root.getFirstSubcomponent('vevent')!);
    expect([e.uid, e.sequence, e.startDate.toJSDate().toISOString()]).toEqual([
      'chiefs-of-staff-2026-01-05@entente',
      1,
      '2026-01-05T09:00:00.000Z',
    ]);
    expect(ics.body).toContain('video.example.org');

    const feed = await post('delegate', '/api/v1/process/feed', {});
    expect(feed.statusCode).toBe(201);
    const url = feed.json().url as string;
    const body = await get(null, url);
    expect(body.statusCode).toBe(200);
    const events = new ICAL.Component(ICAL.parse(body.body)).getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('uid'));
    expect(events.sort()).toEqual(['chiefs-of-staff-2026-01-05@entente', 'security-advisers-kyiv-2026-01-03@entente']);
    expect(body.body).not.toContain('video.example.org');
    // a new address replaces the old one
    await post('delegate', '/api/v1/process/feed', {});
    expect((await get(null, url)).statusCode).toBe(404);
    expect(JSON.stringify(node.journal.image.process)).not.toContain(url.split('/').pop()!.replace('.ics', ''));
  });

  it('finds slots across seven capitals', async () => {
    const zones = [
      'Europe/Kyiv',
      'America/New_York',
      'Europe/London',
      'Europe/Paris',
      'Europe/Berlin',
      'Europe/Istanbul',
      'Europe/Brussels',
    ];
    const r = await post('observer', '/api/v1/process/slots', {
      participants: zones.map((zone, i) => ({ name: `p${i}`, zone })),
      from: '2026-03-30',
      to: '2026-03-30',
      durationMinutes: 60,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().slots[0]).toMatchObject({ start: '2026-03-30T13:00:00.000Z', inside: 7 });
    const bad = await post('observer', '/api/v1/process/slots', {
      participants: [{ name: 'x', zone: 'Nowhere/City' }],
      from: '2026-03-30',
      to: '2026-03-30',
    });
    expect(bad.json()).toMatchObject({ pointer: '/participants/0/zone' });
  });
});
