import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/core/access/roles';
import { makeLogger } from '../src/server/app';
import { ROUTES } from '../src/server/routes';
import { TEST_PASSWORD, testNode, USER_OF_ROLE, type TestNode } from './factories';
import { seedFrameworks } from './operations-fixtures';
import { subscribe } from './sse';

/**
 * Need-to-know precision, proved from the outside: reports, an area and an access denial are filed at
 * distinctive exact coordinates; then every role without the `exact-location` grant (and not of the
 * reporter's party), and anonymous visitors, read every GET route of the route table with realistic
 * parameters, the live stream (live and replayed), the exports, and errors provoked about the report.
 * The distinctive digits must appear nowhere — nor in the server's log. A grant holder sees them.
 */

// Every exact coordinate below carries one of these digit runs; coarse cells never do.
const DIGITS = ['2345678', '8765432'];
const POINT = { lon: 36.12345678, lat: 47.98765432 };
const NOW = new Date('2026-01-21T12:00:00Z');

let node: TestNode;
let url: string;
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

/** Hashes and ids are long hexadecimal runs that may contain any digits: they are not coordinates. */
function leaks(text: string): string[] {
  const scrubbed = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '').replace(/[0-9a-f]{32,}/gi, '');
  return DIGITS.filter((d) => scrubbed.includes(d));
}

const sessions = new Map<Role | 'anonymous', Record<string, string>>();
const ids = { point: '', area: '', second: '', caseId: '', otherCase: '', denial: '', position: 0 };
const streams: { who: string; s: ReturnType<typeof subscribe> }[] = [];
const readers = [...ROLES.filter((r) => r !== 'monitor'), 'anonymous'] as const;

async function call(method: 'GET' | 'POST' | 'PUT', path: string, who: Record<string, string>, payload?: unknown) {
  const res = await node.app.inject({
    method,
    url: path,
    headers: who,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
  return { status: res.statusCode, text: res.body, json: () => res.json() as Record<string, unknown> };
}

beforeAll(async () => {
  node = await testNode({ now: () => NOW, logger: makeLogger('trace', sink) });
  url = await node.app.listen({ port: 0, host: '127.0.0.1' });
  await seedFrameworks(node.journal);
  for (const role of ROLES) sessions.set(role, (await node.signIn(USER_OF_ROLE[role].username)).headers);
  sessions.set('anonymous', {});
  const admin = sessions.get('admin')!;
  expect(
    (
      await call('POST', '/api/v1/users', admin, {
        username: 'analyst',
        displayName: 'Analyst with need to know',
        party: 'us',
        roles: ['observer'],
        password: TEST_PASSWORD,
      })
    ).status,
  ).toBe(201);
  expect((await call('POST', '/api/v1/grants', admin, { username: 'analyst', grant: 'exact-location' })).status).toBe(201);

  // Live subscribers, connected before anything is filed.
  for (const who of readers) streams.push({ who, s: subscribe(`${url}/api/v1/stream`, { cookie: sessions.get(who)!.cookie ?? '' }) });
  await new Promise((r) => setTimeout(r, 200));

  const monitor = sessions.get('monitor')!;
  const file = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/api/v1/reports', monitor, {
      occurredAt: '2026-01-20T05:40:00+02:00',
      domain: 'land',
      type: 'shelling-impact',
      source: 'patrol-saw',
      narrative: 'Impacts observed near the crossroads.',
      ...body,
    });
    expect(res.status, res.text).toBe(201);
    return res.json() as { id: string; caseId: string; position: number };
  };
  const a = await file({
    location: POINT,
    casualties: [{ category: 'civilian', outcome: 'injured', count: 1 }],
    externalRef: 'leak-test:1',
  });
  ids.point = a.id;
  ids.caseId = a.caseId;
  const b = await file({
    location: { lon: 36.13345678, lat: 47.98865432 },
    occurredAt: '2026-01-20T05:50:00+02:00',
    narrative: 'Second team heard the same.',
  });
  ids.second = b.id;
  expect(b.caseId).toBe(a.caseId);
  const area = await file({
    location: {
      type: 'area',
      polygon: [
        [
          [36.22345678, 47.88765432],
          [36.32345678, 47.88765432],
          [36.32345678, 47.78765432],
          [36.22345678, 47.88765432],
        ],
      ],
    },
    type: 'weapon-beyond-withdrawal-line',
    weaponClass: 'tanks',
    occurredAt: '2026-01-20T08:00:00+02:00',
  });
  ids.area = area.id;
  ids.otherCase = area.caseId;
  const denial = await call('POST', '/api/v1/access-denials', monitor, {
    occurredAt: '2026-01-20T11:00:00+02:00',
    location: { lon: 36.42345678, lat: 47.68765432 },
    place: 'checkpoint on the T-0803',
    deniedBy: 'ru',
    caseId: ids.caseId,
  });
  expect(denial.status, denial.text).toBe(201);
  ids.denial = (denial.json() as { id: string }).id;
  ids.position = (denial.json() as { position: number }).position;

  // Through verification, so the case reaches the public page too.
  const version = async () => ((await call('GET', `/api/v1/cases/${ids.caseId}`, monitor)).json().case as { version: number }).version;
  for (const [path, body] of [
    ['lock', { minutes: 10 }],
    ['status', { to: 'under-investigation' }],
    ['findings', { attribution: { party: 'ru', confidence: 'high' }, summary: 'Craters examined.' }],
    ['status', { to: 'verified', reason: 'two teams' }],
  ] as const) {
    const r = await call('POST', `/api/v1/cases/${ids.caseId}/${path}`, monitor, { version: await version(), ...body });
    expect(r.status, r.text).toBe(201);
  }
});

afterAll(async () => {
  for (const { s } of streams) s.close();
  await node.close();
});

describe('exact coordinates never reach anyone without need to know', () => {
  it('are visible to a holder of the grant and to the reporter’s own party (the test can see a leak)', async () => {
    const analyst = (await node.signIn('analyst')).headers;
    for (const who of [analyst, sessions.get('monitor')!]) {
      const res = await call('GET', `/api/v1/reports/${ids.point}`, who);
      expect(leaks(res.text)).toEqual(DIGITS);
      const area = await call('GET', `/api/v1/reports/${ids.area}`, who);
      expect(leaks(area.text).length).toBeGreaterThan(0);
      expect(leaks((await call('GET', '/api/v1/journal?limit=500', who)).text)).toEqual(DIGITS);
    }
  });

  it('through every GET route of the route table, with realistic parameters and queries, for every other role', async () => {
    const params: Record<string, string[]> = { id: [ids.point, ids.area, ids.caseId, ids.otherCase, ids.denial, 'x'], number: ['1', '2'] };
    const queries = [
      '',
      '?limit=500',
      '?bbox=36,47.5,36.6,48.1',
      '?bbox=36.1234,47.9876,36.1235,47.9877',
      '?type=shelling-impact,weapon-beyond-withdrawal-line',
      '?cutoff=2026-01-21T00:00:00Z',
      '?from=2026-01-19T00:00:00Z&to=2026-01-22T00:00:00Z',
      '?order=desc&limit=500',
      `?caseId=${ids.caseId}`,
      '?at=2026-01-20T00:00:00Z',
      '?from=1&to=2',
      '?format=md',
    ];
    const urls: string[] = [];
    for (const route of ROUTES.filter((r) => r.method === 'GET' && !r.raw)) {
      let paths = [route.url];
      for (const [name, values] of Object.entries(params)) {
        if (!route.url.includes(`:${name}`)) continue;
        paths = paths.flatMap((p) => values.map((v) => p.replace(`:${name}`, v)));
      }
      paths = paths.map((p) => p.replace(/:[A-Za-z]+/g, 'x'));
      for (const p of paths) for (const q of queries) urls.push(p + q);
    }
    let read = 0;
    for (const who of readers) {
      for (const path of urls) {
        const res = await call('GET', path, sessions.get(who)!);
        if (res.status === 200) read++;
        expect(leaks(res.text), `${who} GET ${path} → ${res.status}`).toEqual([]);
      }
    }
    // The sweep did read real answers, not only refusals.
    expect(read).toBeGreaterThan(readers.length * 20);
  });

  it('through the live stream, live and replayed from the start', async () => {
    for (const { who, s } of streams) {
      if (who === 'anonymous') continue;
      // Every participant reads the coarse twin and the access denial's public record live.
      await s.waitFor((e) => Number(e.id) >= ids.position, 3000);
    }
    const replayed = readers.map((who) => ({
      who,
      s: subscribe(`${url}/api/v1/stream`, { cookie: sessions.get(who)!.cookie ?? '', 'last-event-id': '0' }),
    }));
    for (const { who, s } of replayed) if (who !== 'anonymous') await s.waitFor((e) => Number(e.id) >= ids.position, 3000);
    await new Promise((r) => setTimeout(r, 200));
    for (const { who, s } of [...streams, ...replayed]) {
      const all = s.events.map((e) => e.data).join('\n');
      expect(leaks(all), `${who} stream`).toEqual([]);
      if (who !== 'anonymous') expect(s.events.some((e) => e.data.includes('"report.recorded"'))).toBe(true);
      expect(s.events.some((e) => e.data.includes('"report.filed"'))).toBe(false);
    }
    for (const { s } of replayed) s.close();
  });

  it('through errors provoked about the report, its case and the denial', async () => {
    const attempts: [string, string, unknown][] = [
      ['POST', `/api/v1/cases/${ids.caseId}/status`, { version: 1, to: 'verified' }],
      ['POST', `/api/v1/cases/${ids.caseId}/lock`, { version: 999 }],
      ['POST', `/api/v1/cases/${ids.caseId}/findings`, { version: 1, attribution: { party: 'nobody', confidence: 'low' }, summary: 'x' }],
      ['POST', `/api/v1/cases/${ids.caseId}/dissents`, { version: 1, text: 'we disagree' }],
      ['POST', `/api/v1/cases/${ids.caseId}/merge`, { version: 1, cases: [{ id: ids.otherCase, version: 1 }], reason: 'x' }],
      ['POST', `/api/v1/cases/${ids.caseId}/split`, { version: 1, reportIds: [ids.point], reason: 'x' }],
      ['POST', `/api/v1/cases/${ids.otherCase}/merge`, { version: 99, cases: [{ id: ids.caseId, version: 99 }], reason: 'x' }],
      // Re-filing the same outside record answers the first report without adding or showing anything.
      [
        'POST',
        '/api/v1/reports',
        {
          occurredAt: '2026-01-20T05:40:00+02:00',
          location: { lon: 30, lat: 50 },
          domain: 'land',
          type: 'other',
          source: 'open-source',
          externalRef: 'leak-test:1',
        },
      ],
      [
        'POST',
        '/api/v1/access-denials',
        { occurredAt: '2026-01-20T11:00:00+02:00', location: { lon: 30, lat: 50 }, place: 'x', caseId: 'no-such-case' },
      ],
      ['GET', `/api/v1/reports/${ids.point}?colour=red`, undefined],
      ['GET', `/api/v1/cases/${ids.caseId}?bbox=nonsense`, undefined],
      ['GET', `/api/v1/map/incidents?bbox=36.1,47.9,36.2`, undefined],
      ['GET', '/api/v1/daily-report?cutoff=yesterday', undefined],
    ];
    let answered = 0;
    for (const who of readers) {
      const headers = sessions.get(who)!;
      for (const [method, path, body] of attempts) {
        const res = await call(method as 'GET' | 'POST', path, headers, body);
        answered++;
        expect(leaks(res.text), `${who} ${method} ${path} → ${res.status}`).toEqual([]);
      }
    }
    expect(answered).toBe(readers.length * attempts.length);
  });

  it('in the server log', () => {
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(1000);
    expect(leaks(log)).toEqual([]);
  });
});
