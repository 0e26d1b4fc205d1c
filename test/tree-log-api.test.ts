import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, leafDataOf, verifyConsistency, verifyInclusion } from '../src/core/journal/merkle';
import { verifyTreeHead, type SignedTreeHead } from '../src/core/journal/tree-head';
import { testNode, type TestNode } from './factories';

let node: TestNode;
let admin: Record<string, string>;
let uaDelegate: Record<string, string>;
let ruOnly: number;
let publicEvent: number;

const bytes = (hex: string) => fromHex(hex)!;

beforeAll(async () => {
  node = await testNode();
  admin = (await node.signIn('admin-user')).headers;
  uaDelegate = (await node.signIn('delegate-user')).headers;
  const append = async (visibility: string[]) => {
    const r = await node.journal.append({
      drafts: [{ stream: 'test/x', type: 'test.happened', payload: { secret: 'ru only' }, visibility }],
      actor: 'test',
      party: null,
    });
    if (!r.ok) throw new Error(r.message);
    return r.value[0]!.position;
  };
  ruOnly = await append(['party:ru']);
  publicEvent = await append(['public']);
});
afterAll(async () => {
  await node.close();
});

const get = (url: string, headers: Record<string, string> = {}) => node.app.inject({ method: 'GET', url, headers });

describe('GET/POST /api/v1/journal/tree-head', () => {
  it('answers 404 until a head is signed', async () => {
    const res = await get('/api/v1/journal/tree-head');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ detail: 'no tree head has been signed yet' });
  });

  it('lets an admin sign one now, and anyone read it', async () => {
    const signed = await node.app.inject({ method: 'POST', url: '/api/v1/journal/tree-head', headers: admin, payload: {} });
    expect(signed.statusCode).toBe(201);
    const head = signed.json() as SignedTreeHead;
    expect(head.size).toBe(node.journal.head - 1);
    const res = await get('/api/v1/journal/tree-head');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(head);
    expect(verifyTreeHead(head)).toBe(true);
    const refused = await node.app.inject({ method: 'POST', url: '/api/v1/journal/tree-head', headers: uaDelegate, payload: {} });
    expect(refused.statusCode).toBe(403);
  });

  it('lists heads after a size', async () => {
    await node.app.inject({ method: 'POST', url: '/api/v1/journal/tree-head', headers: admin, payload: {} });
    const all = (await get('/api/v1/journal/tree-heads')).json() as { heads: SignedTreeHead[]; next: number | null };
    expect(all.heads).toHaveLength(2);
    const later = (await get(`/api/v1/journal/tree-heads?after=${all.heads[0]!.size}`)).json() as { heads: SignedTreeHead[] };
    expect(later.heads.map((h) => h.size)).toEqual([all.heads[1]!.size]);
    const paged = (await get('/api/v1/journal/tree-heads?limit=1')).json() as { heads: SignedTreeHead[]; next: number | null };
    expect(paged).toMatchObject({ heads: [all.heads[0]], next: all.heads[0]!.size });
  });
});

describe('GET /api/v1/journal/proof', () => {
  it('gives anyone a proof of a public event that verifies against the signed head', async () => {
    const res = await get(`/api/v1/journal/proof?position=${publicEvent}`);
    expect(res.statusCode).toBe(200);
    const p = res.json() as { position: number; size: number; leafData: string; proof: string[]; root: string; head: SignedTreeHead };
    const latest = (await get('/api/v1/journal/tree-head')).json() as SignedTreeHead;
    expect(p.size).toBe(latest.size);
    expect(p.head).toEqual(latest);
    expect(verifyInclusion(leafDataOf(p.leafData), publicEvent - 1, p.size, p.proof.map(bytes), bytes(latest.root))).toBe(true);
  });

  it('answers a hidden event exactly like a position that does not exist', async () => {
    const hidden = await get(`/api/v1/journal/proof?position=${ruOnly}`, uaDelegate);
    const missing = await get(`/api/v1/journal/proof?position=999999`, uaDelegate);
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ detail: `no event at position ${ruOnly} that you may read` });
    expect(missing.json()).toMatchObject({ detail: 'no event at position 999999 that you may read' });
    expect(hidden.body).not.toContain('ru only');
  });

  it('names the bad query parameter', async () => {
    const zero = await get('/api/v1/journal/proof?position=0');
    expect(zero.statusCode).toBe(400);
    expect(zero.json()).toMatchObject({ pointer: '/query/position' });
    const word = await get('/api/v1/journal/proof?position=abc');
    expect(word.statusCode).toBe(400);
    const small = await get(`/api/v1/journal/proof?position=${publicEvent}&size=${publicEvent - 1}`);
    expect(small.statusCode).toBe(400);
    expect(small.json()).toMatchObject({ pointer: '/query/size' });
    const extra = await get(`/api/v1/journal/proof?position=1&root=x`);
    expect(extra.statusCode).toBe(400);
  });
});

describe('GET /api/v1/journal/consistency', () => {
  it('proves an older head a prefix of the latest', async () => {
    const { heads } = (await get('/api/v1/journal/tree-heads')).json() as { heads: SignedTreeHead[] };
    const [older, newer] = heads as [SignedTreeHead, SignedTreeHead];
    const res = await get(`/api/v1/journal/consistency?from=${older.size}`);
    expect(res.statusCode).toBe(200);
    const c = res.json() as { fromSize: number; toSize: number; proof: string[]; fromRoot: string; toRoot: string };
    expect(c).toMatchObject({ fromSize: older.size, toSize: newer.size, fromRoot: older.root, toRoot: newer.root });
    expect(verifyConsistency(older.size, newer.size, bytes(older.root), bytes(newer.root), c.proof.map(bytes))).toBe(true);
  });

  it('refuses sizes the log does not have, naming them', async () => {
    const beyond = await get('/api/v1/journal/consistency?from=1&to=100000');
    expect(beyond.statusCode).toBe(404);
    expect(beyond.json()).toMatchObject({ pointer: '/query/to' });
    const backwards = await get('/api/v1/journal/consistency?from=5&to=3');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ pointer: '/query/from' });
  });
});
