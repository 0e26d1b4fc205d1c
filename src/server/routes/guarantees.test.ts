import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth';
import { TEST_PASSWORD, testNode, type TestNode } from '../../../test/factories';
import { createParty, createUser } from '../../core/identity/identity';
import { validateFramework } from '../../core/framework/validate';
import { recordForce, recordVersion, requiredSignatories, signVersion } from '../../core/framework/versions';
import type { EventDraft } from '../../core/journal/envelope';
import type { Result } from '../../core/errors';
import { EXAMPLE_FRAMEWORK } from '../../runtime/demo';
import { Reactions } from '../../runtime/reactions';
import { polygonClosed } from '../../core/guarantees/cap';
import { REACTORS } from '../../runtime/reactors';

/**
 * The guarantees API on a node whose reactors run: a verified case attributed to ru opens an
 * escalation; the mediator and the guarantors see it with its clock and why, ru does not; the owner of
 * the current rung acts on it, others are refused.
 */

let node: TestNode;
let reactions: Reactions;
const H: Record<string, Record<string, string>> = {};

async function append(drafts: Result<EventDraft[]>, actor = 'test', party: string | null = null): Promise<void> {
  if (!drafts.ok) throw new Error(drafts.message);
  const r = await node.journal.append({ drafts: drafts.value, actor, party });
  if (!r.ok) throw new Error(r.message);
}

beforeAll(async () => {
  node = await testNode({ now: () => new Date('2026-01-10T09:00:00Z') });
  const j = node.journal;
  const doc = validateFramework(readFileSync(EXAMPLE_FRAMEWORK, 'utf8'), EXAMPLE_FRAMEWORK).document!;
  const recorded = recordVersion(j.image.framework, doc, 'test');
  if (!recorded.ok) throw new Error(recorded.message);
  await append({ ok: true, value: recorded.value.drafts });
  for (const party of requiredSignatories(doc))
    await append(signVersion(j.image.framework, { party, hash: recorded.value.hash, signer: party, signedAt: '2026-01-06T00:00:00Z' }));
  await append(recordForce(j.image.framework, { kind: 'entry-into-force', hash: recorded.value.hash, at: '2026-01-07T00:00:00+02:00' }));
  // A delegate of the party the breach is attributed to.
  await node.store.putSecret('credential', 'ru-delegate', await hashPassword(TEST_PASSWORD));
  await append(
    createUser(j.image.identity, { username: 'ru-delegate', displayName: 'ru', party: 'ru', roles: ['delegate'] }, 'id-ru-delegate'),
  );
  // The lead responder of the land commitment (the factory's guarantor acts for us, not a guarantor of it).
  await append(createParty(j.image.identity, { id: 'gb', name: 'GB', kind: 'state' }));
  await node.store.putSecret('credential', 'gb-guarantor', await hashPassword(TEST_PASSWORD));
  await append(
    createUser(j.image.identity, { username: 'gb-guarantor', displayName: 'gb', party: 'gb', roles: ['guarantor'] }, 'id-gb-guarantor'),
  );
  reactions = new Reactions(j, REACTORS, pino({ level: 'silent' }), () => new Date('2026-01-10T09:00:00Z'), 3_600_000);
  reactions.start();
  for (const [i, source] of ['patrol-saw', 'fixed-camera'].entries()) {
    const id = `r${i}`;
    await append(
      {
        ok: true,
        value: [
          {
            stream: `report/${id}`,
            type: 'report.filed',
            payload: {
              id,
              occurredAt: '2026-01-10T03:00:00Z',
              location: { type: 'point', lon: 35.55, lat: 47.52, precision_m: 50 },
              point: { lon: 35.55, lat: 47.52 },
              domain: 'land',
              type: 'shelling-impact',
              source,
            },
            visibility: ['party:mechanism'],
          },
        ],
      },
      'monitor-user',
      'mechanism',
    );
  }
  const ev = (type: string, payload: Record<string, unknown>): EventDraft => ({
    stream: 'case/c1',
    type,
    payload: { caseId: 'c1', ...payload },
    visibility: ['process'],
  });
  await append(
    { ok: true, value: [ev('case.opened', { reportIds: ['r0', 'r1'], explanation: 'same place', splitFrom: null })] },
    'monitor-user',
    'mechanism',
  );
  await append(
    { ok: true, value: [ev('case.status-changed', { from: 'reported', to: 'under-investigation', reason: '' })] },
    'monitor-user',
    'mechanism',
  );
  await append(
    {
      ok: true,
      value: [
        ev('case.finding-recorded', {
          findingId: 'f1',
          attribution: { party: 'ru', confidence: 'high' },
          summary: 'artillery',
          severity: 4,
        }),
      ],
    },
    'monitor-user',
    'mechanism',
  );
  await append(
    { ok: true, value: [ev('case.status-changed', { from: 'under-investigation', to: 'verified', reason: 'two sources' })] },
    'monitor-user',
    'mechanism',
  );
  await reactions.tick();
  for (const u of ['mediator-user', 'guarantor-user', 'gb-guarantor', 'observer-user', 'monitor-user', 'delegate-user', 'ru-delegate'])
    H[u] = (await node.signIn(u)).headers;
});

afterAll(async () => {
  await reactions.stop();
  await node.close();
});

const get = (url: string, who: string) => node.app.inject({ method: 'GET', url, headers: H[who] });
const post = (url: string, who: string, payload: unknown) =>
  node.app.inject({ method: 'POST', url, headers: H[who], payload: payload as Record<string, unknown> });

describe('guarantees API', () => {
  it('coverage of a recorded version shows the planted gap with its clause', async () => {
    const res = await get('/api/v1/guarantees/coverage?version=1', 'delegate-user');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.blocking).toBe(true);
    const gap = body.findings.find((f: { code: string }) => f.code === 'gap');
    expect(gap.clauses[0]).toMatch(/c-commit-sea/);
    expect(body.matrices.length).toBeGreaterThan(0);
    expect((await get('/api/v1/guarantees/coverage?version=9', 'delegate-user')).statusCode).toBe(404);
    expect((await get('/api/v1/guarantees/coverage?version=abc', 'delegate-user')).statusCode).toBe(400);
  });

  it('the mediator and the guarantors see the escalation with its clock and why; the party it is against does not', async () => {
    const res = await get('/api/v1/guarantees/escalations', 'mediator-user');
    expect(res.statusCode).toBe(200);
    const [e] = res.json().escalations;
    expect(e.commitment).toBe('commit-land');
    expect(e.against).toBe('ru');
    expect(e.clock).toMatchObject({ rung: 'verify', owners: ['mechanism'], state: 'opened' });
    // The mechanism's verification rung is due 24 hours after the case was verified.
    expect(Date.parse(e.clock.deadline) - Date.parse(e.openedAt)).toBe(24 * 3_600_000);
    expect(e.why.leadResponder).toBe('gb');
    expect(e.why.evidence[0].id).toBe('c1');
    expect(e.opening.explanation).toBe(e.why.explanation);
    expect((await get('/api/v1/guarantees/escalations', 'gb-guarantor')).json().escalations).toHaveLength(1);
    // A guarantor of other commitments only (us) does not read this one either.
    expect((await get('/api/v1/guarantees/escalations', 'guarantor-user')).json().escalations).toHaveLength(0);
    expect((await get('/api/v1/guarantees/escalations', 'ru-delegate')).json().escalations).toHaveLength(0);
    expect((await get(`/api/v1/guarantees/escalations/${encodeURIComponent(e.id)}`, 'ru-delegate')).statusCode).toBe(404);
    expect((await get(`/api/v1/guarantees/escalations/${encodeURIComponent(e.id)}`, 'gb-guarantor')).json().id).toBe(e.id);
  });

  it('only the owner of the current rung acts on it, at the version it read', async () => {
    const [e] = (await get('/api/v1/guarantees/escalations', 'mediator-user')).json().escalations;
    const url = `/api/v1/guarantees/escalations/${encodeURIComponent(e.id)}`;
    const refused = await post(`${url}/acknowledge`, 'gb-guarantor', { note: 'seen' });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().code).toBe('refused');
    const stale = await post(`${url}/acknowledge`, 'monitor-user', { version: e.version + 5 });
    expect(stale.statusCode).toBe(409);
    const acked = await post(`${url}/acknowledge`, 'monitor-user', { version: e.version, note: 'verifying' });
    expect(acked.statusCode).toBe(200);
    expect(acked.json().clock.state).toBe('acknowledged');
    const outOfOrder = await post(`${url}/respond`, 'monitor-user', { note: 'done' });
    expect(outOfOrder.statusCode).toBe(409);
    const bad = await post(`${url}/decide`, 'monitor-user', { decision: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().pointer).toBe('/decision');
    // A retried decision with the same Idempotency-Key is answered from the first, not decided twice.
    const decide = () =>
      node.app.inject({
        method: 'POST',
        url: `${url}/decide`,
        headers: { ...H['monitor-user'], 'idempotency-key': 'decide-once-001' },
        payload: { decision: 'act' },
      });
    expect((await decide()).statusCode).toBe(200);
    const retry = await decide();
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replay']).toBe('true');
    const after = (await get(url, 'mediator-user')).json();
    expect(after.rungs[0].state).toBe('decided');
    expect(after.version).toBe(e.version + 2);
  });

  it('on the hook: per party, the commitments where it leads, backs up or owns a rung', async () => {
    const res = await get('/api/v1/guarantees/on-the-hook?party=gb', 'observer-user');
    expect(res.statusCode).toBe(200);
    const [gb] = res.json().parties;
    expect(gb.party).toBe('gb');
    const land = gb.commitments.find((c: { commitment: string }) => c.commitment === 'commit-land');
    expect(land.as).toEqual(expect.arrayContaining(['guarantor', 'lead', 'rung-owner']));
  });

  it('CAP: a verified case with casualties is published as a valid CAP 1.2 alert and in the feed; it also corroborates the open escalation', async () => {
    const ev = (type: string, payload: Record<string, unknown>): EventDraft => ({
      stream: 'case/c2',
      type,
      payload: { caseId: 'c2', ...payload },
      visibility: ['process'],
    });
    const report: EventDraft = {
      stream: 'report/r9',
      type: 'report.filed',
      payload: {
        id: 'r9',
        occurredAt: '2026-01-10T05:00:00Z',
        location: { type: 'point', lon: 35.56, lat: 47.52, precision_m: 50 },
        point: { lon: 35.56, lat: 47.52 },
        domain: 'land',
        type: 'shelling-impact',
        source: 'patrol-saw',
        casualties: [{ outcome: 'killed', count: 1 }],
      },
      visibility: ['party:mechanism'],
    };
    // A second, independent source: the commitment's evidence standard asks for two.
    const second: EventDraft = {
      ...report,
      stream: 'report/r10',
      payload: { ...report.payload, id: 'r10', source: 'drone', casualties: [] },
    };
    await append({ ok: true, value: [report] }, 'monitor-user', 'mechanism');
    await append({ ok: true, value: [second] }, 'monitor-user', 'mechanism');
    expect((await get('/api/v1/alerts/cap/c2.xml', 'anonymous')).statusCode).toBe(404);
    await append(
      { ok: true, value: [ev('case.opened', { reportIds: ['r9', 'r10'], explanation: 'x', splitFrom: null })] },
      'monitor-user',
      'mechanism',
    );
    await append(
      { ok: true, value: [ev('case.status-changed', { from: 'reported', to: 'under-investigation', reason: '' })] },
      'monitor-user',
      'mechanism',
    );
    await append(
      {
        ok: true,
        value: [
          ev('case.finding-recorded', { findingId: 'f2', attribution: { party: 'ru', confidence: 'high' }, summary: 'shell', severity: 4 }),
        ],
      },
      'monitor-user',
      'mechanism',
    );
    // Not verified yet: nothing public.
    expect((await get('/api/v1/alerts/cap/c2.xml', 'anonymous')).statusCode).toBe(404);
    await append(
      { ok: true, value: [ev('case.status-changed', { from: 'under-investigation', to: 'verified', reason: 'seen' })] },
      'monitor-user',
      'mechanism',
    );
    await reactions.tick();
    const res = await node.app.inject({ method: 'GET', url: '/api/v1/alerts/cap/c2.xml' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/cap\+xml/);
    const xsd = readFileSync('/work/shared/schemas/cap/CAP-v1.2.xsd', 'utf8');
    const feed = await node.app.inject({ method: 'GET', url: '/api/v1/alerts/cap.xml' });
    expect(feed.statusCode).toBe(200);
    const links = [...feed.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toEqual(['/api/v1/alerts/cap/c2.xml']);
    for (const url of links) {
      const doc = (await node.app.inject({ method: 'GET', url })).body;
      const v = await validateXML({ xml: [{ fileName: 'a.xml', contents: doc }], schema: [{ fileName: 'CAP-v1.2.xsd', contents: xsd }] });
      expect(v.errors.map((e) => e.rawMessage)).toEqual([]);
      for (const m of doc.matchAll(/<polygon>([^<]*)<\/polygon>/g)) expect(polygonClosed(m[1]!)).toBe(true);
      expect(doc).not.toContain('35.56,'); // the exact point is not published
    }
    // The same party, the same commitment, its escalation open: further evidence, not a second escalation.
    const list = (await get('/api/v1/guarantees/escalations', 'mediator-user')).json().escalations;
    expect(list).toHaveLength(1);
    expect(list[0].evidence).toEqual(['c1', 'c2']);
  });
});
