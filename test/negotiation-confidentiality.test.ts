import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/core/access/roles';
import { createUser } from '../src/core/identity/identity';
import { hashPassword } from '../src/server/auth';
import { ROUTES } from '../src/server/routes';
import { TEST_PASSWORD, testNode, type TestNode } from './factories';
import { seedFrameworks } from './operations-fixtures';
import { subscribe } from './sse';

/**
 * The negotiating workspace's confidentiality, proved from the outside (issue 6). Party `ua` plants
 * distinctive reasons, red lines, comments and a draft, and a distinctive hidden gradient pattern
 * (a block and a serious disagreement on clauses where another party has said where it stands), with
 * sharing `own` and `mediator`. Then every GET route of the route table under /api/v1/negotiation,
 * the journal API and the live stream are read as the other parties' people and the mediator:
 * - no other party sees any of it: not the texts, and not in numbers — every negotiation answer is
 *   byte for byte what it was before ua planted anything;
 * - the mediator sees the mediator-shared ones and never the `own` ones;
 * - errors about the hidden draft read like errors about a draft that never existed.
 */

const OWN = ['OWNSECRET-quince-4417', 'OWNREDLINE-larch-9023', 'OWNCOMMENT-heron-5512', 'OWNDRAFT-otter-7781'];
const MED = ['MEDSECRET-plover-3391', 'MEDREDLINE-aspen-6620', 'MEDCOMMENT-finch-2284'];
const OWN_CLAUSE = 'c-commit-land';
const MED_CLAUSE = 'c-mechanism-means';

let node: TestNode;
let url: string;
const as: Record<string, { cookie: string; headers: Record<string, string> }> = {};
/** Readers other than ua: other parties' delegates, a guarantor of us, the mechanism's monitor. */
const OTHERS = ['ru', 'us', 'guarantor', 'monitor'] as const;
const READERS = [...OTHERS, 'mediator'] as const;
let hiddenDraft = '';

/** A problem's `instance` names the request: it differs between any two requests, so it is not compared. */
const sameness = (body: string) => body.replace(/"instance":"req-[^"]*"/g, '"instance":"…"');
const get = async (who: string, path: string) => {
  const res = await node.app.inject({ method: 'GET', url: path, headers: as[who]!.headers });
  return { status: res.statusCode, body: sameness(res.body) };
};
const post = async (who: string, path: string, payload: Record<string, unknown>) => {
  const res = await node.app.inject({ method: 'POST', url: path, headers: as[who]!.headers, payload });
  expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300);
  return res.json() as Record<string, unknown>;
};

/** Every GET of the route table under /api/v1/negotiation, without a query and for the planted clauses. */
const negotiationUrls = () => {
  const urls: string[] = [];
  for (const r of ROUTES.filter((x) => x.method === 'GET' && x.url.startsWith('/api/v1/negotiation'))) {
    urls.push(r.url);
    if (r.url.endsWith('/positions') || r.url.endsWith('/positions.csv') || r.url.endsWith('/comments') || r.url.endsWith('/proposals')) {
      urls.push(`${r.url}?clause=${OWN_CLAUSE}`, `${r.url}?clause=${MED_CLAUSE}`);
    }
  }
  return urls;
};

async function readAll(who: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const u of negotiationUrls()) {
    const r = await get(who, u);
    out.set(u, `${r.status} ${r.body}`);
  }
  return out;
}

async function journalText(who: string): Promise<string> {
  const parts: string[] = [];
  for (const order of ['asc', 'desc']) parts.push((await get(who, `/api/v1/journal?limit=500&order=${order}`)).body);
  parts.push((await get(who, '/api/v1/journal/status')).body);
  return parts.join('\n');
}

const before = new Map<string, Map<string, string>>();
const streams: { who: string; s: ReturnType<typeof subscribe> }[] = [];

beforeAll(async () => {
  node = await testNode();
  url = await node.app.listen({ port: 0, host: '127.0.0.1' });
  await seedFrameworks(node.journal);
  const hash = await hashPassword(TEST_PASSWORD);
  const users: [string, string | null, Role][] = [
    ['ru-delegate', 'ru', 'delegate'],
    ['us-delegate', 'us', 'delegate'],
    ['un-mediator', null, 'mediator'],
  ];
  for (const [username, party, role] of users) {
    await node.store.putSecret('credential', username, hash);
    const drafts = createUser(node.journal.image.identity, { username, displayName: username, party, roles: [role] }, `id-${username}`);
    if (!drafts.ok) throw new Error(drafts.message);
    const r = await node.journal.append({ drafts: drafts.value, actor: 'test', party: null });
    if (!r.ok) throw new Error(r.message);
  }
  for (const [who, user] of [
    ['ua', 'delegate-user'],
    ['ru', 'ru-delegate'],
    ['us', 'us-delegate'],
    ['mediator', 'un-mediator'],
    ['guarantor', 'guarantor-user'],
    ['monitor', 'monitor-user'],
  ] as const) {
    as[who] = await node.signIn(user);
  }

  // The other parties have said where they stand on both clauses, in the open: a hidden stance of ua
  // would change these clauses' gaps if it were counted.
  for (const who of ['ru', 'us']) {
    for (const clause of [OWN_CLAUSE, MED_CLAUSE])
      await post(who, '/api/v1/negotiation/positions', { clause, gradient: 'endorse', reason: 'fine', sharing: 'all' });
  }
  for (const who of READERS) before.set(who, await readAll(who));
  for (const who of READERS) streams.push({ who, s: subscribe(`${url}/api/v1/stream`, { cookie: as[who]!.cookie }) });
  await new Promise((r) => setTimeout(r, 200));

  // ua plants.
  await post('ua', '/api/v1/negotiation/positions', {
    clause: OWN_CLAUSE,
    gradient: 'block',
    reason: OWN[0],
    redLine: OWN[1],
    sharing: 'own',
  });
  await post('ua', '/api/v1/negotiation/positions', {
    clause: MED_CLAUSE,
    gradient: 'serious-disagreement',
    reason: MED[0],
    redLine: MED[1],
    sharing: 'mediator',
  });
  await post('ua', '/api/v1/negotiation/comments', { clause: OWN_CLAUSE, text: OWN[2], sharing: 'own' });
  await post('ua', '/api/v1/negotiation/comments', { clause: MED_CLAUSE, text: MED[2], sharing: 'mediator' });
  hiddenDraft = String(
    (
      await post('ua', '/api/v1/negotiation/proposals', {
        clause: OWN_CLAUSE,
        kind: 'amendment',
        text: { en: OWN[3], uk: OWN[3] },
        note: OWN[3],
      })
    ).id,
  );
  // A public marker after the secrets: once a stream has it, it has had its chance to leak them.
  await post('us', '/api/v1/negotiation/comments', { clause: OWN_CLAUSE, text: 'MARKER-public', sharing: 'all' });
  for (const { s } of streams) await s.waitFor((e) => e.data.includes('MARKER-public'), 5000);
  for (const who of READERS) streams.push({ who, s: subscribe(`${url}/api/v1/stream`, { cookie: as[who]!.cookie, 'last-event-id': '0' }) });
  for (const { s } of streams.slice(READERS.length)) await s.waitFor((e) => e.data.includes('MARKER-public'), 5000);
});

afterAll(async () => {
  for (const { s } of streams) s.close();
  await node.close();
});

describe('what another party planted privately never reaches the other parties', () => {
  for (const who of OTHERS) {
    it(`${who}: every negotiation answer is exactly what it was before (no text, no number computed from hidden positions)`, async () => {
      const after = await readAll(who);
      for (const [u, body] of before.get(who)!) {
        // The public marker comment is the one thing that happened in the open.
        if (u.includes('/comments')) continue;
        expect(after.get(u), u).toBe(body);
      }
      for (const [u, body] of after) for (const s of [...OWN, ...MED]) expect(body, `${u} shows ${s}`).not.toContain(s);
    });

    it(`${who}: not in the journal API nor the live stream (live and replayed)`, async () => {
      const text = await journalText(who);
      const live = streams
        .filter((x) => x.who === who)
        .flatMap((x) => x.s.events.map((e) => e.data))
        .join('\n');
      expect(live).toContain('MARKER-public');
      for (const s of [...OWN, ...MED]) {
        expect(text).not.toContain(s);
        expect(live).not.toContain(s);
      }
    });

    it(`${who}: an error about the hidden draft reads like one about a draft that never was`, async () => {
      const steps = ['table', 'withdraw', 'retable'];
      for (const step of steps) {
        const hidden = await node.app.inject({
          method: 'POST',
          url: `/api/v1/negotiation/proposals/${hiddenDraft}/${step}`,
          headers: as[who]!.headers,
          payload: {},
        });
        const none = await node.app.inject({
          method: 'POST',
          url: `/api/v1/negotiation/proposals/never-was/${step}`,
          headers: as[who]!.headers,
          payload: {},
        });
        expect(hidden.statusCode).toBe(none.statusCode);
        expect(sameness(hidden.body).replaceAll(hiddenDraft, 'ID')).toBe(sameness(none.body).replaceAll('never-was', 'ID'));
        for (const s of OWN) expect(hidden.body).not.toContain(s);
      }
    });
  }
});

describe('the mediator sees what was shared with the mediator, never what a party kept to itself', () => {
  it('texts: the mediator-shared ones, not the own ones, in any route, the journal or the stream', async () => {
    const after = await readAll('mediator');
    const all =
      [...after.values()].join('\n') +
      (await journalText('mediator')) +
      streams
        .filter((x) => x.who === 'mediator')
        .flatMap((x) => x.s.events.map((e) => e.data))
        .join('\n');
    for (const s of MED) expect(all).toContain(s);
    for (const s of OWN) expect(all).not.toContain(s);
  });

  it('numbers: the gap of the mediator-shared clause counts ua; the own clause is as before', async () => {
    const map = (b: string) => JSON.parse(b.slice(4)) as { clauses: { clause: string; gap: unknown; cells: Record<string, unknown> }[] };
    const was = map(before.get('mediator')!.get('/api/v1/negotiation/gap-map')!);
    const now = map((await readAll('mediator')).get('/api/v1/negotiation/gap-map')!);
    const rowOf = (m: typeof was, c: string) => m.clauses.find((r) => r.clause === c)!;
    expect(rowOf(now, OWN_CLAUSE)).toEqual(rowOf(was, OWN_CLAUSE));
    expect(rowOf(now, MED_CLAUSE).gap).toEqual({ spread: 6, blocks: 0, shared: 3 });
    expect(rowOf(now, OWN_CLAUSE).cells.ua).toBeNull();
  });

  it('ua itself sees all of its own', async () => {
    const all = [...(await readAll('ua')).values()].join('\n');
    for (const s of [...OWN, ...MED]) expect(all).toContain(s);
  });
});
