import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachComparison, type Comparison } from '../../core/stress/compare';
import { addTestUsers, signInEach, testNode, type TestNode } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';

let node: TestNode;
const as: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  node = await testNode();
  await seedFrameworks(node.journal);
  await addTestUsers(node, [
    ['ru-delegate', 'ru', 'delegate'],
    ['us-delegate', 'us', 'delegate'],
    ['un-mediator', null, 'mediator'],
  ]);
  Object.assign(
    as,
    await signInEach(node, {
      ua: 'delegate-user',
      ru: 'ru-delegate',
      us: 'us-delegate',
      mediator: 'un-mediator',
      monitor: 'monitor-user',
      observer: 'observer-user',
    }),
  );
});
afterAll(async () => {
  await node.close();
});

const post = (who: string, url: string, payload: unknown) =>
  node.app.inject({ method: 'POST', url, headers: as[who], payload: payload as Record<string, unknown> });
const get = (who: string, url: string) => node.app.inject({ method: 'GET', url, headers: as[who] });
const position = (over: Record<string, unknown> = {}) => ({
  clause: 'c-commit-sea',
  alternative: 'c-commit-sea-a',
  gradient: 'support-reservations',
  reason: 'workable',
  sharing: 'all',
  ...over,
});

type MapRow = {
  clause: string;
  openBrackets: number;
  status: string;
  cells: Record<string, { gradient: string } | null>;
  gap: { spread: number; blocks: number; shared: number } | null;
};
const row = async (who: string, clause: string): Promise<MapRow> =>
  ((await get(who, '/api/v1/negotiation/gap-map')).json().clauses as MapRow[]).find((r) => r.clause === clause)!;

describe('positions', () => {
  it('a delegate records a stance; bad input is refused at its field and nothing is appended', async () => {
    const res = await post('ua', '/api/v1/negotiation/positions', position({ gradient: 'endorse' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const head = node.journal.head;
    for (const [payload, pointer] of [
      [position({ clause: 'c-nowhere' }), '/clause'],
      [position({ alternative: 'c-war-risk-a' }), '/alternative'],
      [position({ gradient: 'maybe' }), '/gradient'],
      [position({ sharing: 'friends' }), '/sharing'],
      [position({ asOf: '2026-13-01' }), '/asOf'],
    ] as const) {
      const bad = await post('ua', '/api/v1/negotiation/positions', payload);
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'validation_failed', pointer });
    }
    expect((await post('monitor', '/api/v1/negotiation/positions', position())).statusCode).toBe(403);
    expect(node.journal.head).toBe(head);
  });

  it('lists the latest stance per party and keeps the older one in the history', async () => {
    await post('ru', '/api/v1/negotiation/positions', position({ gradient: 'serious-disagreement', reason: 'first thoughts' }));
    await post(
      'ru',
      '/api/v1/negotiation/positions',
      position({ gradient: 'dislike-but-support', reason: 'after the break', redLine: 'no foreign ships in Azov' }),
    );
    const body = (await get('us', '/api/v1/negotiation/positions?clause=c-commit-sea')).json();
    const ru = body.positions.filter((p: { party: string }) => p.party === 'ru');
    expect(ru).toEqual([
      expect.objectContaining({
        gradient: 'dislike-but-support',
        reason: 'after the break',
        redLine: 'no foreign ships in Azov',
        actor: 'ru-delegate',
      }),
    ]);
    expect(body.history).toEqual([expect.objectContaining({ party: 'ru', gradient: 'serious-disagreement' })]);
  });

  it('exports the visible positions as CSV', async () => {
    const res = await get('us', '/api/v1/negotiation/positions.csv?clause=c-commit-sea');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.split('\r\n')[0]).toBe('party,clause,alternative,gradient,reason,redLine,sharing,asOf,recordedAt,actor,latest');
    expect(res.body).toContain('ru,c-commit-sea,c-commit-sea-a,dislike-but-support,after the break,no foreign ships in Azov,all');
  });
});

describe('gap map, ZOPA and the console', () => {
  it('shows each party’s gradient and the spread of the clause, blocks apart', async () => {
    // ua 1 (endorse), ru 6 (dislike-but-support): spread 5.
    expect(await row('us', 'c-commit-sea')).toMatchObject({
      status: 'bracketed',
      openBrackets: 2,
      gap: { spread: 5, blocks: 0, shared: 2 },
      cells: { ua: { gradient: 'endorse' }, ru: { gradient: 'dislike-but-support' }, us: null },
    });
    await post('us', '/api/v1/negotiation/positions', position({ gradient: 'block', alternative: null }));
    expect((await row('observer', 'c-commit-sea')).gap).toEqual({ spread: 5, blocks: 1, shared: 3 });
    const map = (await get('observer', '/api/v1/negotiation/gap-map')).json();
    expect(map.parties).toEqual(['ua', 'ru', 'us', 'gb', 'fr', 'de', 'tr']);
    const uaRu = map.alignment.find((x: { a: string; b: string }) => x.a === 'ua' && x.b === 'ru');
    expect(uaRu.score).toBeCloseTo(1 - 5 / 7, 3);
  });

  it('ZOPA: alternatives every party rates 1–3 and none blocks; the console puts small gaps first', async () => {
    await post(
      'ua',
      '/api/v1/negotiation/positions',
      position({ clause: 'c-war-risk', alternative: 'c-war-risk-b', gradient: 'agree-minor' }),
    );
    await post(
      'ru',
      '/api/v1/negotiation/positions',
      position({ clause: 'c-war-risk', alternative: null, gradient: 'support-reservations' }),
    );
    await post('ua', '/api/v1/negotiation/positions', position({ clause: 'c-exchange-formula', alternative: null, gradient: 'endorse' }));
    await post('ru', '/api/v1/negotiation/positions', position({ clause: 'c-exchange-formula', alternative: null, gradient: 'abstain' }));
    const zopa = (await get('mediator', '/api/v1/negotiation/zopa')).json().clauses;
    expect(zopa.find((c: { clause: string }) => c.clause === 'c-war-risk')).toEqual({
      clause: 'c-war-risk',
      acceptable: ['c-war-risk-b'],
      blockedBy: [],
    });
    expect(zopa.find((c: { clause: string }) => c.clause === 'c-commit-sea')).toEqual({
      clause: 'c-commit-sea',
      acceptable: [],
      blockedBy: ['us'],
    });
    const console = (await get('mediator', '/api/v1/negotiation/console')).json();
    expect(console.next.map((n: { clause: string }) => n.clause)).toEqual(['c-war-risk', 'c-exchange-formula', 'c-commit-sea']);
    expect(console.blocked).toEqual([{ clause: 'c-commit-sea', parties: ['us'] }]);
    expect((await get('ua', '/api/v1/negotiation/zopa')).statusCode).toBe(403);
    expect((await get('ua', '/api/v1/negotiation/console')).statusCode).toBe(403);
  });

  it('the console lists the clauses whose alternatives have stress-test results attached, with the headline finding', async () => {
    expect((await get('mediator', '/api/v1/negotiation/console')).json().tested).toEqual([]);
    const metrics = (gapBreachesPerRun: number, gapShare: number, reachedShare: number) => ({
      reachedShare,
      gapBreachesPerRun,
      gapShare,
      gapCells: gapBreachesPerRun ? ['naval|sea|corridor-buffer'] : [],
      firstResponseP50Hours: 5,
      firstResponseP90Hours: 20,
      escalationsPerRun: 2,
      deadEndPerRun: 0,
      vetoPerRun: 0,
      falseTriggersPerRun: 0,
      daysHeldMean: 80,
      clauseFailuresPerRun: gapBreachesPerRun,
    });
    const headline =
      'Under alternative B, 4.25 breaches a run (9.8%) fall in a coverage gap (naval at sea in corridor-buffer); none under A.';
    const comparison: Comparison = {
      id: 'cmp-sea',
      clause: 'c-commit-sea',
      scenario: { id: 'reheating', title: 'Reheating after a quiet month', hash: 'f'.repeat(64) },
      seed: 7,
      runs: 12,
      framework: { hash: null, version: null },
      arms: [
        { alternative: 'c-commit-sea-a', label: 'A', variant: 'a', metrics: metrics(0, 0, 0.93) },
        { alternative: 'c-commit-sea-b', label: 'B', variant: 'b', metrics: metrics(4.25, 0.098, 0.88) },
      ],
      findings: [headline, 'A: 93.0%, B: 88.0% of breaches reach a responsible guarantor.'],
    };
    const drafts = attachComparison(comparison);
    if (!drafts.ok) throw new Error(drafts.message);
    const appended = await node.journal.append({ drafts: drafts.value, actor: 'un-mediator', party: null });
    if (!appended.ok) throw new Error(appended.message);

    const res = await get('mediator', '/api/v1/negotiation/console');
    expect(res.statusCode).toBe(200);
    const tested = res.json().tested;
    expect(tested).toHaveLength(1);
    expect(tested[0]).toMatchObject({ clause: 'c-commit-sea', gap: { blocks: 1 } });
    expect(tested[0].comparisons).toEqual([
      {
        id: 'cmp-sea',
        scenario: 'Reheating after a quiet month',
        runs: 12,
        seed: 7,
        attachedAt: expect.any(String),
        headline,
        arms: [
          { alternative: 'c-commit-sea-a', label: 'A', gapBreachesPerRun: 0, gapShare: 0, reachedShare: 0.93, open: true },
          { alternative: 'c-commit-sea-b', label: 'B', gapBreachesPerRun: 4.25, gapShare: 0.098, reachedShare: 0.88, open: true },
        ],
      },
    ]);
    // Still the mediator's alone.
    for (const who of ['ua', 'observer', 'monitor']) expect((await get(who, '/api/v1/negotiation/console')).statusCode).toBe(403);
  });

  it('draws the map as SVG', async () => {
    const res = await get('us', '/api/v1/negotiation/gap-map.svg');
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.body).toMatch(/^<svg /);
    expect(res.body).toContain('ru · c-commit-sea: dislike-but-support');
  });
});

describe('trend', () => {
  it('groups by the date the stance was taken and shows the gap narrowing', async () => {
    const clause = { clause: 'c-ceasefire-start', alternative: null };
    await post('ua', '/api/v1/negotiation/positions', position({ ...clause, gradient: 'endorse', asOf: '2026-01-05' }));
    await post('ru', '/api/v1/negotiation/positions', position({ ...clause, gradient: 'serious-disagreement', asOf: '2026-01-06' }));
    await post('ru', '/api/v1/negotiation/positions', position({ ...clause, gradient: 'abstain', asOf: '2026-01-14' }));
    await post('ru', '/api/v1/negotiation/positions', position({ ...clause, gradient: 'agree-minor', asOf: '2026-01-20' }));
    const weeks = (await get('observer', '/api/v1/negotiation/trend')).json().weeks as { week: string; meanSpread: number }[];
    const jan = weeks.filter((w) => w.week >= '2026-W02' && w.week <= '2026-W04');
    expect(jan.map((w) => w.week)).toEqual(['2026-W02', '2026-W03', '2026-W04']);
    expect(jan[0]!.meanSpread).toBeGreaterThan(jan[1]!.meanSpread);
    expect(jan[1]!.meanSpread).toBeGreaterThan(jan[2]!.meanSpread);
  });
});

describe('proposals', () => {
  const text = {
    en: 'Ships of third states may transit under notification.',
    uk: 'Судна третіх держав можуть проходити за повідомленням.',
  };
  it('a draft is the party’s own until tabled; the mediator decides; wrong steps are refused', async () => {
    const drafted = await post('ua', '/api/v1/negotiation/proposals', {
      clause: 'c-commit-sea',
      kind: 'alternative',
      text,
      note: 'compromise',
    });
    expect(drafted.statusCode).toBe(201);
    const id = drafted.json().id as string;
    const ids = async (who: string) =>
      ((await get(who, '/api/v1/negotiation/proposals')).json().proposals as { id: string; state: string }[]).filter((p) => p.id === id);
    expect(await ids('ua')).toEqual([expect.objectContaining({ state: 'draft' })]);
    expect(await ids('ru')).toEqual([]);
    expect(await ids('mediator')).toEqual([]);
    // Another party cannot even learn the draft exists.
    const foreign = await post('ru', `/api/v1/negotiation/proposals/${id}/table`, {});
    expect(foreign.statusCode).toBe(404);
    expect((await post('mediator', `/api/v1/negotiation/proposals/${id}/decision`, { decision: 'accepted' })).statusCode).toBe(404);

    expect((await post('ua', `/api/v1/negotiation/proposals/${id}/table`, {})).statusCode).toBe(201);
    expect(await ids('ru')).toEqual([expect.objectContaining({ state: 'tabled', text, party: 'ua' })]);
    expect((await post('ru', `/api/v1/negotiation/proposals/${id}/withdraw`, {})).statusCode).toBe(403);
    expect((await post('ua', `/api/v1/negotiation/proposals/${id}/withdraw`, {})).statusCode).toBe(201);
    const head = node.journal.head;
    const early = await post('mediator', `/api/v1/negotiation/proposals/${id}/decision`, { decision: 'accepted' });
    expect(early.json()).toMatchObject({ code: 'invalid_transition' });
    expect(node.journal.head).toBe(head);
    expect((await post('ua', `/api/v1/negotiation/proposals/${id}/retable`, {})).statusCode).toBe(201);
    expect((await post('mediator', `/api/v1/negotiation/proposals/${id}/decision`, { decision: 'rejected' })).statusCode).toBe(201);
    expect(await ids('observer')).toEqual([expect.objectContaining({ state: 'rejected' })]);
  });
});

describe('comments', () => {
  it('are shared as their author chose', async () => {
    await post('ua', '/api/v1/negotiation/comments', { clause: 'c-commit-sea', text: 'internal: hold firm', sharing: 'own' });
    await post('ua', '/api/v1/negotiation/comments', {
      clause: 'c-commit-sea',
      text: 'to the chair: flexible on notification',
      sharing: 'mediator',
    });
    await post('ua', '/api/v1/negotiation/comments', { clause: 'c-commit-sea', text: 'open to notification regimes', sharing: 'all' });
    const texts = async (who: string) =>
      ((await get(who, '/api/v1/negotiation/comments?clause=c-commit-sea')).json().comments as { text: string }[]).map((c) => c.text);
    expect(await texts('ua')).toEqual(['internal: hold firm', 'to the chair: flexible on notification', 'open to notification regimes']);
    expect(await texts('mediator')).toEqual(['to the chair: flexible on notification', 'open to notification regimes']);
    expect(await texts('ru')).toEqual(['open to notification regimes']);
    const bad = await post('ua', '/api/v1/negotiation/comments', { clause: 'c-nowhere', text: 'x', sharing: 'all' });
    expect(bad.json()).toMatchObject({ code: 'validation_failed', pointer: '/clause' });
  });
});

describe('merging accepted proposals into the next framework version', () => {
  const scope = {
    en: 'The ceasefire applies on land, at sea and in the air.',
    uk: 'Припинення вогню застосовується на суші, на морі та в повітрі.',
  };
  const draftTabled = async (who: string, body: Record<string, unknown>) => {
    const id = (await post(who, '/api/v1/negotiation/proposals', body)).json().id as string;
    expect((await post(who, `/api/v1/negotiation/proposals/${id}/table`, {})).statusCode).toBe(201);
    return id;
  };
  const decide = (id: string, decision: 'accepted' | 'rejected') =>
    post('mediator', `/api/v1/negotiation/proposals/${id}/decision`, { decision });
  type Proposal = { id: string; state: string; kind: string; merged: { number: number; hash: string } | null };
  const proposalOf = async (who: string, id: string) =>
    ((await get(who, '/api/v1/negotiation/proposals')).json().proposals as Proposal[]).find((p) => p.id === id);

  it('previews the diff, records the version in one append, and the version shows in the framework API', async () => {
    const first = await draftTabled('ua', { clause: 'c-ceasefire-scope', kind: 'amendment', text: scope });
    const rival = await draftTabled('us', {
      clause: 'c-ceasefire-scope',
      kind: 'amendment',
      text: { en: 'The ceasefire applies everywhere.' },
    });
    expect((await decide(first, 'accepted')).statusCode).toBe(201);
    expect((await decide(rival, 'accepted')).statusCode).toBe(201);
    const before = (await get('observer', '/api/v1/framework')).json().versions as { number: number }[];

    // Only the mediator previews and merges.
    expect((await post('ua', '/api/v1/negotiation/merge/preview', { proposals: [first] })).statusCode).toBe(403);
    expect((await post('ua', '/api/v1/negotiation/merge', { proposals: [first] })).statusCode).toBe(403);

    const head = node.journal.head;
    const both = await post('mediator', '/api/v1/negotiation/merge', { proposals: [first, rival] });
    expect(both.statusCode).toBe(422);
    expect(both.json()).toMatchObject({
      code: 'refused',
      pointer: '/proposals/1',
      detail: expect.stringContaining('both replace the text of clause c-ceasefire-scope'),
    });
    expect(node.journal.head).toBe(head);

    const preview = await post('mediator', '/api/v1/negotiation/merge/preview', { proposals: [first] });
    expect(preview.statusCode).toBe(200);
    const p = preview.json();
    expect(p.from.number).toBe(before.length);
    expect(p.applied).toEqual([{ proposal: first, clause: 'c-ceasefire-scope', change: 'amended-text', alternative: null }]);
    expect(p.diff.clauses.map((c: { clause: string; change: string }) => [c.clause, c.change])).toEqual([['c-ceasefire-scope', 'changed']]);
    expect(node.journal.head).toBe(head);

    const merged = await node.app.inject({
      method: 'POST',
      url: '/api/v1/negotiation/merge',
      headers: { ...as.mediator, 'idempotency-key': 'merge-scope-1' },
      payload: { proposals: [first] },
    });
    expect(merged.statusCode).toBe(201);
    expect(merged.json()).toMatchObject({ number: before.length + 1, hash: p.hash, proposals: [first] });
    // Both events in one append: the version and, last, the event naming the proposals and the hash.
    const events = await node.store.read(merged.json().position - 2, 2);
    expect(events.map((e) => e.type)).toEqual(['framework.version-recorded', 'negotiation.proposals-merged']);
    expect(events[1]!.payload).toMatchObject({ proposals: [first], hash: p.hash });
    const versions = (await get('observer', '/api/v1/framework')).json().versions as { number: number; hash: string; note: string }[];
    expect(versions.at(-1)).toMatchObject({
      number: before.length + 1,
      hash: p.hash,
      note: 'merged 1 accepted proposal (c-ceasefire-scope)',
    });
    const doc = (await get('ru', `/api/v1/framework/versions/${before.length + 1}`)).json().document;
    const text = JSON.stringify(doc);
    expect(text).toContain(scope.en);
    expect(await proposalOf('ru', first)).toMatchObject({ merged: { number: before.length + 1, hash: p.hash } });

    // A retry with the same key answers the first result; a second merge of the same proposal is refused.
    const retry = await node.app.inject({
      method: 'POST',
      url: '/api/v1/negotiation/merge',
      headers: { ...as.mediator, 'idempotency-key': 'merge-scope-1' },
      payload: { proposals: [first] },
    });
    expect(retry.json()).toEqual(merged.json());
    const headAfter = node.journal.head;
    expect((await post('mediator', '/api/v1/negotiation/merge', { proposals: [first] })).json()).toMatchObject({
      code: 'conflict',
      pointer: '/proposals/0',
    });

    // The rival was written against the old words: it no longer applies, and the refusal says why.
    const stale = await post('mediator', '/api/v1/negotiation/merge/preview', { proposals: [rival] });
    expect(stale.statusCode).toBe(422);
    expect(stale.json().detail).toMatch(
      /no longer applies: the text of clause c-ceasefire-scope changed since it was drafted \(then “The ceasefire applies on land, at sea, in the air and in cyberspace.*now “The ceasefire applies on land, at sea and in the air\.”\)/,
    );
    expect(node.journal.head).toBe(headAfter);
  });

  it('a rejected amendment is re-tabled as an alternative and joins the brackets; a private draft is unknown to the mediator', async () => {
    const id = await draftTabled('ru', {
      clause: 'c-commit-sea',
      kind: 'amendment',
      alternative: 'c-commit-sea-b',
      text: { en: 'by the coalition, after consultation of all parties.', uk: 'коаліцією після консультацій з усіма сторонами.' },
    });
    expect((await decide(id, 'rejected')).statusCode).toBe(201);
    expect((await post('ru', `/api/v1/negotiation/proposals/${id}/retable`, {})).statusCode).toBe(201);
    expect(await proposalOf('observer', id)).toMatchObject({ state: 'tabled', kind: 'alternative' });
    expect((await decide(id, 'accepted')).statusCode).toBe(201);
    const merged = await post('mediator', '/api/v1/negotiation/merge', { proposals: [id] });
    expect(merged.statusCode).toBe(201);
    const doc = (await get('ua', `/api/v1/framework/versions/${merged.json().number}`)).json().document;
    const sea = doc.chapters
      .flatMap((c: { articles: { clauses: unknown[] }[] }) => c.articles.flatMap((a) => a.clauses))
      .find((c: { id: string }) => c.id === 'c-commit-sea') as { alternatives: { proposedBy: string[]; text: { en: string } }[] };
    expect(sea.alternatives.at(-1)).toMatchObject({
      proposedBy: ['ru'],
      text: { en: 'by the coalition, after consultation of all parties.' },
    });

    const draft = (
      await post('ua', '/api/v1/negotiation/proposals', { clause: 'c-purpose', kind: 'amendment', text: { en: 'Private words.' } })
    ).json().id;
    const hidden = (await post('mediator', '/api/v1/negotiation/merge/preview', { proposals: [draft] })).json();
    const missing = (await post('mediator', '/api/v1/negotiation/merge/preview', { proposals: ['no-such-proposal'] })).json();
    expect(hidden.detail.replace(draft, 'X')).toBe(missing.detail.replace('no-such-proposal', 'X'));
    expect(hidden).toMatchObject({ code: 'not_found', pointer: '/proposals/0' });
    const bad = await post('mediator', '/api/v1/negotiation/merge', {
      proposals: [],
      resolve: [{ clause: 'c-commit-sea', alternative: 'c-commit-sea-q' }],
    });
    expect(bad.json()).toMatchObject({ code: 'validation_failed', pointer: '/resolve/0/alternative' });
  });
});
