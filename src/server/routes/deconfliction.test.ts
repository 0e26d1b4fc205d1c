import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../core/access/roles';
import type { Result } from '../../core/errors';
import { validateFramework } from '../../core/framework/validate';
import { recordForce, recordVersion, requiredSignatories, signVersion } from '../../core/framework/versions';
import { createParty, createUser, giveGrant } from '../../core/identity/identity';
import type { EventDraft, JournalEvent } from '../../core/journal/envelope';
import { deconflictionReactor } from '../../core/operations/deconfliction/reactor';
import { EXAMPLE_FRAMEWORK } from '../../runtime/demo';
import { Reactions } from '../../runtime/reactions';
import { testNode, TEST_PASSWORD, type TestNode } from '../../../test/factories';
import { hashPassword } from '../auth';

/**
 * Humanitarian deconfliction through the API, on one January 2026 timeline: the Paris text is in force
 * from 7 January; the ICRC notifies a hospital in Zaporizhzhia and a convoy to Orikhiv on the 10th; the
 * parties acknowledge (or not); the reactor, on a fixed clock, escalates, detects strikes and expires.
 */

let node: TestNode;
let clock = new Date('2026-01-10T08:00:00Z');
let reactions: Reactions;
const headers = new Map<string, Record<string, string>>();

const HOSPITAL = { lon: 35.1396, lat: 47.8388 };
// From the ICRC warehouse on the eastern edge of the city (3 km from the hospital) to Orikhiv.
const ROUTE: [number, number][] = [
  [35.18, 47.86],
  [35.4, 47.7],
  [35.78, 47.56],
  [35.93, 47.47],
];

async function append(drafts: Result<EventDraft[]>, actor = 'test', party: string | null = null): Promise<void> {
  if (!drafts.ok) throw new Error(drafts.message);
  const r = await node.journal.append({ drafts: drafts.value, actor, party });
  if (!r.ok) throw new Error(r.message);
}

/** The example framework, signed by every required party, in force from 7 January 2026. */
async function frameworkInForce(): Promise<void> {
  const doc = validateFramework(readFileSync(EXAMPLE_FRAMEWORK, 'utf8'), EXAMPLE_FRAMEWORK).document!;
  const recorded = recordVersion(node.journal.image.framework, doc, 'test');
  if (!recorded.ok) throw new Error(recorded.message);
  await append({ ok: true, value: recorded.value.drafts });
  for (const party of requiredSignatories(doc)) {
    await append(
      signVersion(node.journal.image.framework, {
        party,
        hash: recorded.value.hash,
        signer: `${party}-signer`,
        signedAt: '2026-01-06T18:00:00Z',
      }),
    );
  }
  await append(
    recordForce(node.journal.image.framework, { kind: 'entry-into-force', hash: recorded.value.hash, at: '2026-01-07T00:00:00+02:00' }),
  );
}

async function addUser(username: string, party: string | null, roles: Role[], grants: string[] = []): Promise<void> {
  await node.store.putSecret('credential', username, await hashPassword(TEST_PASSWORD));
  await append(createUser(node.journal.image.identity, { username, displayName: username, party, roles }, `id-${username}`));
  for (const g of grants) await append(giveGrant(node.journal.image.identity, username, g));
  headers.set(username, (await node.signIn(username)).headers);
}

/** Moves the fixed clock; sessions end after hours, so everyone signs in again at the new time. */
async function setClock(iso: string): Promise<void> {
  clock = new Date(iso);
  for (const username of headers.keys()) headers.set(username, (await node.signIn(username)).headers);
}

const as = (username: string) => {
  const h = headers.get(username);
  if (!h) throw new Error(`no session for ${username}`);
  return h;
};

async function post(username: string, url: string, payload: unknown, extra: Record<string, string> = {}) {
  return node.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: { ...as(username), ...extra } });
}

async function get(username: string, url: string) {
  return node.app.inject({ method: 'GET', url, headers: as(username) });
}

const hospital = (over: Record<string, unknown> = {}) => ({
  kind: 'hospital',
  name: 'Zaporizhzhia Regional Hospital',
  location: HOSPITAL,
  validUntil: '2026-06-30T00:00:00+03:00',
  contact: '+380 61 000 0000',
  ...over,
});

const convoy = (over: Record<string, unknown> = {}) => ({
  name: 'Convoy Zaporizhzhia–Orikhiv',
  route: { type: 'LineString', coordinates: ROUTE },
  window: { from: '2026-01-12T12:00:00+02:00', until: '2026-01-12T20:00:00+02:00' },
  vehicles: [{ kind: 'truck', count: 6, markings: 'ICRC emblem' }],
  personnel: 14,
  ...over,
});

/** A point `metres` north of (lon, lat) (1° of latitude is about 111.2 km here). */
const north = (p: { lon: number; lat: number }, metres: number) => ({ lon: p.lon, lat: p.lat + metres / 111_200 });

async function fileReport(at: string, location: { lon: number; lat: number }): Promise<string> {
  const res = await post('monitor-user', '/api/v1/reports', {
    occurredAt: at,
    location,
    domain: 'land',
    type: 'shelling-impact',
    source: 'patrol-saw',
    narrative: 'Impacts observed.',
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

async function eventsOfType(type: string): Promise<JournalEvent[]> {
  const out: JournalEvent[] = [];
  for await (const e of node.store.iterate(0)) if (e.type === type) out.push(e);
  return out;
}

/** The reactor reacts "at once": within a second of the report, the strike is in the journal. */
async function strikesSettle(expected: number): Promise<void> {
  const deadline = Date.now() + 3000;
  while (node.journal.image.deconfliction.strikes.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(node.journal.image.deconfliction.strikes.length).toBe(expected);
}

let siteId = '';
let movementId = '';

beforeAll(async () => {
  node = await testNode({ now: () => clock });
  await frameworkInForce();
  for (const [id, kind] of [
    ['icrc', 'organisation'],
    ['msf', 'organisation'],
    ['secretariat', 'organisation'],
    ['gb', 'state'],
  ] as const) {
    await append(
      createParty(node.journal.image.identity, {
        id,
        name: id === 'icrc' ? 'International Committee of the Red Cross' : id.toUpperCase(),
        kind,
      }),
    );
  }
  await addUser('icrc-liaison', 'icrc', ['humanitarian']);
  await addUser('msf-liaison', 'msf', ['humanitarian']);
  await addUser('ru-del', 'ru', ['delegate']);
  await addUser('ua-del', 'ua', ['delegate']);
  await addUser('gb-del', 'gb', ['delegate']);
  await addUser('med', 'secretariat', ['mediator']);
  await addUser('med-granted', 'secretariat', ['mediator'], ['exact-location']);
  await addUser('obs', null, ['observer']);
  headers.set('monitor-user', (await node.signIn('monitor-user')).headers);
  headers.set('guarantor-user', (await node.signIn('guarantor-user')).headers);
  reactions = new Reactions(node.journal, [deconflictionReactor], pino({ level: 'silent' }), () => clock, 3_600_000);
  reactions.start();
});

afterAll(async () => {
  await reactions.stop();
  await node.close();
});

describe('notifying', () => {
  it('refuses a site inside its lead time, says when it could start at the earliest, and appends nothing', async () => {
    const head = node.journal.head;
    const res = await post('icrc-liaison', '/api/v1/notices/sites', hospital({ validFrom: '2026-01-11T10:00:00+02:00' }));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'refused', pointer: '/validFrom' });
    expect(res.json().detail).toContain('the earliest it could start is 2026-01-12T10:00:00+02:00');
    expect(node.journal.head).toBe(head);
  });

  it('notifies a site: protection from the end of the lead time, acknowledgement due from ru and ua within 12 hours', async () => {
    const res = await post('icrc-liaison', '/api/v1/notices/sites', hospital(), { 'idempotency-key': 'icrc-hospital-zp-1' });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      kind: 'site',
      status: 'pending-acknowledgement',
      from: '2026-01-12T08:00:00.000Z',
      acknowledgement: { by: ['ru', 'ua'], deadline: '2026-01-10T20:00:00.000Z' },
      rule: { id: 'humanitarian-notification', frameworkVersion: 1, buffer_m: 1000 },
    });
    expect(body.acknowledgement.meaning.en).toMatch(/not an approval/);
    siteId = body.id;
    // A retry with the same key answers the first notice and adds nothing.
    const head = node.journal.head;
    const again = await post('icrc-liaison', '/api/v1/notices/sites', hospital(), { 'idempotency-key': 'icrc-hospital-zp-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json().id).toBe(siteId);
    expect(node.journal.head).toBe(head);
  });

  it('refuses a convoy inside the 48-hour lead time, pointing at the window start', async () => {
    const res = await post(
      'icrc-liaison',
      '/api/v1/notices/movements',
      convoy({ window: { from: '2026-01-11T08:00:00+02:00', until: '2026-01-11T18:00:00+02:00' } }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'refused', pointer: '/window/from' });
    expect(res.json().detail).toContain('the earliest it could start is 2026-01-12T10:00:00+02:00');
  });

  it('notifies a convoy on its route and window', async () => {
    const res = await post('icrc-liaison', '/api/v1/notices/movements', convoy());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      kind: 'movement',
      from: '2026-01-12T10:00:00.000Z',
      until: '2026-01-12T18:00:00.000Z',
      rule: { buffer_m: 500 },
    });
    movementId = res.json().id;
  });

  const bad: [string, string, Record<string, unknown>, string][] = [
    ['an unknown site kind', '/api/v1/notices/sites', hospital({ kind: 'castle' }), '/kind'],
    ['a latitude out of range', '/api/v1/notices/sites', hospital({ location: { lon: 35, lat: 147 } }), '/location/lat'],
    ['an instant without a zone', '/api/v1/notices/sites', hospital({ validUntil: '2026-06-30T00:00:00' }), '/validUntil'],
    ['an unknown field', '/api/v1/notices/sites', { ...hospital(), colour: 'red' }, '/colour'],
    [
      'an end before the start',
      '/api/v1/notices/movements',
      convoy({ window: { from: '2026-01-13T12:00:00Z', until: '2026-01-13T11:00:00Z' } }),
      '/window/until',
    ],
    [
      'a route of one position',
      '/api/v1/notices/movements',
      convoy({ route: { type: 'LineString', coordinates: [[35, 47]] } }),
      '/route/coordinates',
    ],
    ['no vehicles', '/api/v1/notices/movements', convoy({ vehicles: [] }), '/vehicles'],
  ];
  for (const [name, url, payload, pointer] of bad) {
    it(`refuses ${name} with a pointer, appending nothing`, async () => {
      const head = node.journal.head;
      const res = await post('icrc-liaison', url, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation_failed', pointer });
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
      expect(node.journal.head).toBe(head);
    });
  }

  it('is described in the OpenAPI document', async () => {
    const doc = (await node.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/v1/notices/{id}/acknowledgements']!)).toEqual(['post']);
    expect(doc.paths['/api/v1/notices']!.get).toMatchObject({ 'x-entente-action': 'notice.read' });
    expect(doc.paths['/api/v1/alerts']!.get).toBeDefined();
  });

  it('lets only humanitarian organisations notify', async () => {
    expect((await post('ru-del', '/api/v1/notices/sites', hospital())).statusCode).toBe(403);
    expect((await post('med', '/api/v1/notices/sites', hospital())).statusCode).toBe(403);
  });
});

describe('need-to-know precision', () => {
  const exactText = ['35.1396', '47.8388'];

  it('shows the exact place to the organisation, the parties that acknowledge and grant holders', async () => {
    for (const who of ['icrc-liaison', 'ru-del', 'ua-del', 'med-granted']) {
      const res = await get(who, `/api/v1/notices/${siteId}`);
      expect(res.statusCode).toBe(200);
      expect(res.json(), who).toMatchObject({ precision: 'exact', location: HOSPITAL, precision_m: null });
    }
    const route = (await get('ru-del', `/api/v1/notices/${movementId}`)).json().route;
    expect(route.coordinates).toEqual(ROUTE);
  });

  it('shows everyone else the 5 km cell, and never the exact digits — not in notices, lists or the journal', async () => {
    for (const who of ['med', 'obs', 'monitor-user', 'guarantor-user', 'gb-del', 'msf-liaison']) {
      const one = await get(who, `/api/v1/notices/${siteId}`);
      expect(one.json(), who).toMatchObject({ precision: 'coarse', precision_m: 5000 });
      const { lon, lat } = one.json().location;
      expect(Math.abs(lon - HOSPITAL.lon) + Math.abs(lat - HOSPITAL.lat)).toBeGreaterThan(0);
      expect(Math.abs(lat - HOSPITAL.lat)).toBeLessThan(0.03);
      const list = await get(who, '/api/v1/notices?limit=500');
      const journal = await get(who, '/api/v1/journal?limit=500');
      for (const res of [one, list, journal])
        for (const digits of exactText) expect(res.body, `${who} ${res.raw.req.url}`).not.toContain(digits);
      const types = (journal.json().events as { type: string }[]).map((e) => e.type);
      expect(types).toContain('notice.recorded');
      expect(types).not.toContain('site.notified');
      expect(types).not.toContain('movement.notified');
    }
  });
});

describe('acknowledgements', () => {
  it('records "acknowledged" for the party of the delegate — receipt, not approval', async () => {
    const res = await post('ru-del', `/api/v1/notices/${siteId}/acknowledgements`, { note: 'Received by the operations desk.' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ noticeId: siteId, party: 'ru', state: 'acknowledged', by: 'ru-del', late: false });
    expect(res.json().meaning.en).toContain('It is not an approval');
    expect(JSON.stringify(res.json())).not.toMatch(/approved/i);
    const notice = (await get('obs', `/api/v1/notices/${siteId}`)).json();
    expect(notice.status).toBe('pending-acknowledgement');
    expect(notice.acknowledgement.parties).toEqual([
      expect.objectContaining({ party: 'ru', state: 'acknowledged', by: 'ru-del', note: 'Received by the operations desk.' }),
      expect.objectContaining({ party: 'ua', state: 'awaiting', at: null }),
    ]);
    expect(notice.acknowledgement.missing).toEqual(['ua']);
  });

  it('refuses a second acknowledgement by the same party, one by a party the rule does not name, and one for a notice that does not exist', async () => {
    const again = await post('ru-del', `/api/v1/notices/${siteId}/acknowledgements`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('ru acknowledged this notice already');
    const gb = await post('gb-del', `/api/v1/notices/${siteId}/acknowledgements`, {});
    expect(gb.statusCode).toBe(403);
    expect(gb.json().detail).toContain('ru, ua');
    expect((await post('ru-del', '/api/v1/notices/nope/acknowledgements', {})).statusCode).toBe(404);
    expect((await post('icrc-liaison', `/api/v1/notices/${siteId}/acknowledgements`, {})).statusCode).toBe(403);
  });

  it('lists notices awaiting a party, and filters by status and kind', async () => {
    const awaitingUa = (await get('ua-del', '/api/v1/notices?awaiting=ua')).json();
    expect(awaitingUa.notices.map((n: { id: string }) => n.id).sort()).toEqual([siteId, movementId].sort());
    const awaitingRu = (await get('ru-del', '/api/v1/notices?awaiting=ru')).json();
    expect(awaitingRu.notices.map((n: { id: string }) => n.id)).toEqual([movementId]);
    const sites = (await get('obs', '/api/v1/notices?kind=site&status=pending-acknowledgement,escalated')).json();
    expect(sites.notices.map((n: { id: string }) => n.id)).toEqual([siteId]);
    expect((await get('obs', '/api/v1/notices?status=approved')).statusCode).toBe(400);
  });
});

describe('escalation when the deadline passes', () => {
  it('escalates an unacknowledged notice once, naming the silent party; a late acknowledgement still counts, marked late', async () => {
    await setClock('2026-01-10T19:59:00Z');
    await reactions.tick();
    expect(await eventsOfType('notice.escalated')).toHaveLength(0);

    await setClock('2026-01-10T20:00:01Z');
    await reactions.tick();
    await reactions.tick();
    const escalations = await eventsOfType('notice.escalated');
    // Both notices had ua (and the convoy also ru) silent: one escalation each, never two.
    expect(escalations.map((e) => e.payload.noticeId).sort()).toEqual([siteId, movementId].sort());
    expect(escalations.find((e) => e.payload.noticeId === siteId)!.payload.missing).toEqual(['ua']);

    const site = (await get('obs', `/api/v1/notices/${siteId}`)).json();
    expect(site.status).toBe('escalated');
    expect(site.acknowledgement.parties[1]).toMatchObject({ party: 'ua', state: 'overdue' });
    expect((await get('obs', '/api/v1/notices?status=escalated')).json().total).toBe(2);

    const late = await post('ua-del', `/api/v1/notices/${siteId}/acknowledgements`, {});
    expect(late.json()).toMatchObject({ party: 'ua', late: true, state: 'acknowledged' });
    const after = (await get('obs', `/api/v1/notices/${siteId}`)).json();
    expect(after.status).toBe('acknowledged');
    expect(after.escalation).toMatchObject({ missing: ['ua'] });
    await post('ru-del', `/api/v1/notices/${movementId}/acknowledgements`, {});
  });
});

describe('notified site struck', () => {
  it('raises an alert at once for an incident within the buffer of an active site, to those who must know', async () => {
    await setClock('2026-01-12T12:00:00Z');
    await fileReport('2026-01-12T13:50:00+02:00', north(HOSPITAL, 300));
    await strikesSettle(1);
    const [strike] = await eventsOfType('site.struck');
    expect(strike!.payload).toMatchObject({
      noticeId: siteId,
      distance_m: 300,
      buffer_m: 1000,
      acknowledgedBy: ['ru', 'ua'],
      rule: { id: 'humanitarian-notification' },
    });
    expect(strike!.visibility).toEqual(expect.arrayContaining(['party:icrc', 'mediator', 'party:mechanism', 'party:us', 'party:gb']));

    const forIcrc = (await get('icrc-liaison', '/api/v1/alerts')).json();
    expect(forIcrc.alerts).toHaveLength(1);
    expect(forIcrc.alerts[0]).toMatchObject({
      kind: 'site-struck',
      noticeId: siteId,
      precision: 'exact',
      location: HOSPITAL,
      distance_m: 300,
    });
    for (const who of ['med', 'monitor-user', 'guarantor-user', 'gb-del']) {
      const res = await get(who, '/api/v1/alerts');
      expect(res.json().alerts, who).toHaveLength(1);
      expect(res.json().alerts[0].precision).toBe('coarse');
      expect(res.body).not.toContain('35.1396');
    }
    // Not addressed to observers or to other organisations.
    expect((await get('obs', '/api/v1/alerts')).json().alerts).toEqual([]);
    expect((await get('msf-liaison', '/api/v1/alerts')).json().alerts).toEqual([]);
    expect((await get('obs', `/api/v1/notices/${siteId}`)).json().strikes).toBe(1);
  });

  it('does not alert for an incident beyond the buffer, or before the site was protected', async () => {
    await fileReport('2026-01-12T13:51:00+02:00', north(HOSPITAL, 1500));
    await fileReport('2026-01-11T12:00:00+02:00', north(HOSPITAL, 100));
    await reactions.tick();
    expect(node.journal.image.deconfliction.pending.size).toBe(0);
    expect(await eventsOfType('site.struck')).toHaveLength(1);
  });

  it('alerts for an incident beside the convoy route during its window, not outside it', async () => {
    const mid = { lon: (ROUTE[1]![0] + ROUTE[2]![0]) / 2, lat: (ROUTE[1]![1] + ROUTE[2]![1]) / 2 };
    await fileReport('2026-01-12T09:00:00+02:00', mid);
    await fileReport('2026-01-12T13:55:00+02:00', north(mid, 200));
    await strikesSettle(2);
    const strikes = await eventsOfType('site.struck');
    expect(strikes[1]!.payload).toMatchObject({ noticeId: movementId, noticeKind: 'movement', buffer_m: 500 });
    expect(strikes[1]!.payload.distance_m).toBeLessThan(200);
  });
});

describe('withdrawal and expiry', () => {
  it('lets only the notifying organisation withdraw; then nothing more is acknowledged or struck', async () => {
    await setClock('2026-01-12T13:00:00Z');
    expect((await post('msf-liaison', `/api/v1/notices/${siteId}/withdrawal`, { reason: 'not ours' })).statusCode).toBe(403);
    expect((await post('ru-del', `/api/v1/notices/${siteId}/withdrawal`, { reason: 'x' })).statusCode).toBe(403);
    expect((await post('icrc-liaison', `/api/v1/notices/${siteId}/withdrawal`, {})).json()).toMatchObject({
      code: 'validation_failed',
      pointer: '/reason',
    });
    const res = await post('icrc-liaison', `/api/v1/notices/${siteId}/withdrawal`, { reason: 'Hospital evacuated to Dnipro.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'withdrawn' });
    expect((await get('obs', `/api/v1/notices/${siteId}`)).json()).toMatchObject({
      status: 'withdrawn',
      withdrawal: { reason: 'Hospital evacuated to Dnipro.' },
    });
    expect((await post('icrc-liaison', `/api/v1/notices/${siteId}/withdrawal`, { reason: 'again' })).statusCode).toBe(409);

    await setClock('2026-01-12T14:00:00Z');
    await fileReport('2026-01-12T15:30:00+02:00', north(HOSPITAL, 100));
    await reactions.tick();
    expect(await eventsOfType('site.struck')).toHaveLength(2);
  });

  it('expires a movement at the end of its window, once', async () => {
    await setClock('2026-01-12T18:00:01Z');
    await reactions.tick();
    await reactions.tick();
    const expired = await eventsOfType('notice.expired');
    expect(expired.map((e) => e.payload.noticeId)).toEqual([movementId]);
    expect((await get('obs', `/api/v1/notices/${movementId}`)).json().status).toBe('expired');
    expect((await get('obs', '/api/v1/notices?status=expired')).json().total).toBe(1);
    const ack = await post('ua-del', `/api/v1/notices/${movementId}/acknowledgements`, {});
    expect(ack.statusCode).toBe(409);
    expect(ack.json().code).toBe('invalid_transition');
  });
});
