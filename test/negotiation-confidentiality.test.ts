import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLogger } from '../src/server/app';
import { ROUTES } from '../src/server/routes';
import { addTestUsers, testNode, type TestNode } from './factories';
import { seedFrameworks } from './operations-fixtures';
import { subscribe } from './sse';

/**
 * The negotiating workspace's confidentiality, proved from the outside (issue 6). Party `ua` plants
 * distinctive reasons, red lines, comments and a draft, and a distinctive hidden gradient pattern
 * (a block and a serious disagreement on clauses where another party has said where it stands), with
 * sharing `own` and `mediator`; then `ru` does the same on two other clauses (the other direction).
 * Then every GET route of the route table under /api/v1/negotiation, the journal API, the live stream
 * and the server's own log are read as the other parties' people and the mediator:
 * - no other party sees any of it: not the texts, and not in numbers — every negotiation answer is
 *   byte for byte what it was before the planting party acted;
 * - the mediator sees the mediator-shared ones and never the `own` ones;
 * - errors about the hidden draft read like errors about a draft that never existed;
 * - the server's log (at trace level, as an operator might run it) holds none of the planted words.
 */

interface Planter {
  readonly party: 'ua' | 'ru';
  /** Kept to the party: reason, red line, comment, draft. */
  readonly own: readonly string[];
  /** Shared with the mediator: reason, red line, comment. */
  readonly med: readonly string[];
  readonly ownClause: string;
  readonly medClause: string;
  /** The readers who must learn nothing of this party's planting. */
  readonly others: readonly Who[];
}
type Who = 'ua' | 'ru' | 'us' | 'guarantor' | 'monitor' | 'mediator';
const PLANTERS: readonly Planter[] = [
  {
    party: 'ua',
    own: ['OWNSECRET-quince-4417', 'OWNREDLINE-larch-9023', 'OWNCOMMENT-heron-5512', 'OWNDRAFT-otter-7781'],
    med: ['MEDSECRET-plover-3391', 'MEDREDLINE-aspen-6620', 'MEDCOMMENT-finch-2284'],
    ownClause: 'c-commit-land',
    medClause: 'c-mechanism-means',
    others: ['ru', 'us', 'guarantor', 'monitor'],
  },
  {
    party: 'ru',
    own: ['RUOWNSECRET-walnut-1859', 'RUOWNREDLINE-sorrel-6043', 'RUOWNCOMMENT-ibis-7730', 'RUOWNDRAFT-marten-2291'],
    med: ['RUMEDSECRET-alder-4468', 'RUMEDREDLINE-tansy-8152', 'RUMEDCOMMENT-wren-3307'],
    ownClause: 'c-war-risk',
    medClause: 'c-exchange-formula',
    others: ['ua', 'us', 'guarantor', 'monitor'],
  },
];
const PLANTED = PLANTERS.flatMap((p) => [...p.own, ...p.med]);
const OWN_CLAUSES = PLANTERS.flatMap((p) => [p.ownClause, p.medClause]);

let node: TestNode;
let url: string;
const as: Record<string, { cookie: string; headers: Record<string, string> }> = {};
/** Other parties' delegates, a guarantor of us, the mechanism's monitor, and the mediator. */
const READERS: readonly Who[] = ['ua', 'ru', 'us', 'guarantor', 'monitor', 'mediator'];
const hiddenDraft: Record<string, string> = {};
const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

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
      for (const clause of OWN_CLAUSES) urls.push(`${r.url}?clause=${clause}`);
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

/** Every reader's answers before anyone planted, and after each party planted (in PLANTERS' order). */
const snapshots: Map<string, Map<string, string>>[] = [];
const before = (who: string, round: number) => snapshots[round]!.get(who)!;
const streams: { who: string; s: ReturnType<typeof subscribe> }[] = [];

beforeAll(async () => {
  node = await testNode({ logger: makeLogger('trace', sink) });
  url = await node.app.listen({ port: 0, host: '127.0.0.1' });
  await seedFrameworks(node.journal);
  await addTestUsers(node, [
    ['ru-delegate', 'ru', 'delegate'],
    ['us-delegate', 'us', 'delegate'],
    ['un-mediator', null, 'mediator'],
  ]);
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

  // The other parties have said where they stand on the planted clauses, in the open: a hidden stance
  // would change these clauses' gaps if it were counted.
  for (const planter of PLANTERS) {
    for (const who of ['ua', 'ru', 'us'].filter((p) => p !== planter.party)) {
      for (const clause of [planter.ownClause, planter.medClause])
        await post(who, '/api/v1/negotiation/positions', { clause, gradient: 'endorse', reason: 'fine', sharing: 'all' });
    }
  }
  const snapshot = async () => {
    const round = new Map<string, Map<string, string>>();
    for (const who of READERS) round.set(who, await readAll(who));
    snapshots.push(round);
  };
  await snapshot();
  for (const who of READERS) streams.push({ who, s: subscribe(`${url}/api/v1/stream`, { cookie: as[who]!.cookie }) });
  await new Promise((r) => setTimeout(r, 200));

  for (const planter of PLANTERS) {
    const p = planter.party;
    await post(p, '/api/v1/negotiation/positions', {
      clause: planter.ownClause,
      gradient: 'block',
      reason: planter.own[0],
      redLine: planter.own[1],
      sharing: 'own',
    });
    await post(p, '/api/v1/negotiation/positions', {
      clause: planter.medClause,
      gradient: 'serious-disagreement',
      reason: planter.med[0],
      redLine: planter.med[1],
      sharing: 'mediator',
    });
    await post(p, '/api/v1/negotiation/comments', { clause: planter.ownClause, text: planter.own[2], sharing: 'own' });
    await post(p, '/api/v1/negotiation/comments', { clause: planter.medClause, text: planter.med[2], sharing: 'mediator' });
    const draft = { clause: planter.ownClause, kind: 'amendment', text: { en: planter.own[3], uk: planter.own[3] }, note: planter.own[3] };
    hiddenDraft[p] = String((await post(p, '/api/v1/negotiation/proposals', draft)).id);
    // A public marker after the secrets: once a stream has it, it has had its chance to leak them.
    const marker = `MARKER-public-${p}`;
    await post('us', '/api/v1/negotiation/comments', { clause: planter.ownClause, text: marker, sharing: 'all' });
    for (const { s } of streams) await s.waitFor((e) => e.data.includes(marker), 5000);
    await snapshot();
  }
  const last = `MARKER-public-${PLANTERS.at(-1)!.party}`;
  for (const who of READERS) streams.push({ who, s: subscribe(`${url}/api/v1/stream`, { cookie: as[who]!.cookie, 'last-event-id': '0' }) });
  for (const { s } of streams.slice(READERS.length)) await s.waitFor((e) => e.data.includes(last), 5000);
  // Provoke the error paths with the hidden drafts too (as everyone but their party, which could table
  // them), so the log has had every chance to name them.
  for (const p of PLANTERS)
    for (const who of p.others)
      await node.app.inject({
        method: 'POST',
        url: `/api/v1/negotiation/proposals/${hiddenDraft[p.party]}/table`,
        headers: as[who]!.headers,
        payload: {},
      });
});

afterAll(async () => {
  for (const { s } of streams) s.close();
  await node.close();
});

for (const [round, planter] of PLANTERS.entries()) {
  const secrets = [...planter.own, ...planter.med];
  describe(`what ${planter.party} planted privately never reaches the other parties`, () => {
    for (const who of planter.others) {
      it(`${who}: every negotiation answer is exactly what it was before ${planter.party} acted (no text, no number from hidden positions)`, async () => {
        const after = snapshots[round + 1]!.get(who)!;
        for (const [u, body] of before(who, round)) {
          // The public marker comment is the one thing that happened in the open.
          if (u.includes('/comments')) continue;
          expect(after.get(u), u).toBe(body);
        }
        for (const [u, body] of await readAll(who)) for (const s of secrets) expect(body, `${u} shows ${s}`).not.toContain(s);
      });

      it(`${who}: not in the journal API nor the live stream (live and replayed)`, async () => {
        const text = await journalText(who);
        const live = streams
          .filter((x) => x.who === who)
          .flatMap((x) => x.s.events.map((e) => e.data))
          .join('\n');
        expect(live).toContain(`MARKER-public-${planter.party}`);
        for (const s of secrets) {
          expect(text).not.toContain(s);
          expect(live).not.toContain(s);
        }
      });

      it(`${who}: an error about ${planter.party}'s hidden draft reads like one about a draft that never was`, async () => {
        const id = hiddenDraft[planter.party]!;
        for (const step of ['table', 'withdraw', 'retable']) {
          const hidden = await node.app.inject({
            method: 'POST',
            url: `/api/v1/negotiation/proposals/${id}/${step}`,
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
          expect(sameness(hidden.body).replaceAll(id, 'ID')).toBe(sameness(none.body).replaceAll('never-was', 'ID'));
          for (const s of planter.own) expect(hidden.body).not.toContain(s);
        }
      });
    }
  });

  describe(`the mediator sees what ${planter.party} shared with the mediator, never what it kept to itself`, () => {
    it('texts: the mediator-shared ones, not the own ones, in any route, the journal or the stream', async () => {
      const all =
        [...(await readAll('mediator')).values()].join('\n') +
        (await journalText('mediator')) +
        streams
          .filter((x) => x.who === 'mediator')
          .flatMap((x) => x.s.events.map((e) => e.data))
          .join('\n');
      for (const s of planter.med) expect(all).toContain(s);
      for (const s of planter.own) expect(all).not.toContain(s);
    });

    it('numbers: the gap of the mediator-shared clause counts the party; the own clause is as before', async () => {
      const map = (b: string) => JSON.parse(b.slice(4)) as { clauses: { clause: string; gap: unknown; cells: Record<string, unknown> }[] };
      const was = map(before('mediator', round).get('/api/v1/negotiation/gap-map')!);
      const now = map(snapshots[round + 1]!.get('mediator')!.get('/api/v1/negotiation/gap-map')!);
      const rowOf = (m: typeof was, c: string) => m.clauses.find((r) => r.clause === c)!;
      expect(rowOf(now, planter.ownClause)).toEqual(rowOf(was, planter.ownClause));
      expect(rowOf(now, planter.medClause).gap).toEqual({ spread: 6, blocks: 0, shared: 3 });
      expect(rowOf(now, planter.ownClause).cells[planter.party]).toBeNull();
    });

    it(`${planter.party} itself sees all of its own`, async () => {
      const all = [...(await readAll(planter.party)).values()].join('\n');
      for (const s of secrets) expect(all).toContain(s);
    });
  });
}

describe("the server's log", () => {
  it('was written (at trace level) and holds none of the planted words, of either party', () => {
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(1000);
    // The log does name the refused requests about the hidden drafts: it is their content that must stay out.
    for (const p of PLANTERS) expect(log).toContain(hiddenDraft[p.party]);
    for (const s of PLANTED) expect(log, `the log contains ${s}`).not.toContain(s);
  });
});
