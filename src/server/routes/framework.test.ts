import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParty, createUser } from '../../core/identity/identity';
import { hashPassword } from '../auth';
import { TEST_PASSWORD, testNode, type TestNode } from '../../../test/factories';

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml'), 'utf8');
const SIGNATORIES = ['ua', 'ru', 'us', 'gb', 'fr', 'de', 'tr'];

let node: TestNode;
const signers = new Map<string, Record<string, string>>();
let mediator: Record<string, string>;

beforeAll(async () => {
  node = await testNode();
  const hash = await hashPassword(TEST_PASSWORD);
  for (const party of SIGNATORIES) {
    if (!node.journal.image.identity.parties.has(party)) {
      const d = createParty(node.journal.image.identity, { id: party, name: party, kind: 'state' });
      if (d.ok) await node.journal.append({ drafts: d.value, actor: 'test', party: null });
    }
    const username = `${party}-signer`;
    await node.store.putSecret('credential', username, hash);
    const d = createUser(node.journal.image.identity, { username, displayName: username, party, roles: ['signer'] }, `id-${username}`);
    if (d.ok) await node.journal.append({ drafts: d.value, actor: 'test', party: null });
    signers.set(party, (await node.signIn(username)).headers);
  }
  mediator = (await node.signIn('mediator-user')).headers;
});
afterAll(async () => {
  await node.close();
});

const record = (source: string, note = '') => node.app.inject({ method: 'POST', url: '/api/v1/framework/versions', headers: mediator, payload: { source, note } });
const sign = (party: string, hash: string) => node.app.inject({ method: 'POST', url: '/api/v1/framework/signatures', headers: signers.get(party)!, payload: { hash } });
const status = async () => (await node.app.inject({ method: 'GET', url: '/api/v1/framework', headers: mediator })).json();

describe('framework versions, sign-off and entry into force', () => {
  it('refuses a broken text with every problem positioned, and stores nothing', async () => {
    const head = node.journal.head;
    const broken = EXAMPLE.replace('status: bracketed', 'status: maybe').replace('roles: [party-to-conflict]', 'roles: [spectator]');
    const res = await record(broken);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ code: 'validation_failed', pointer: '/source' });
    expect(body.errors.length).toBeGreaterThanOrEqual(2);
    expect(body.errors[0]).toMatchObject({ line: expect.any(Number), col: expect.any(Number) });
    expect(body.detail).toMatch(/^line \d+, column \d+: /);
    expect(node.journal.head).toBe(head);
  });

  it('records versions; signing an old hash is refused naming both; same script only when all signed the current', async () => {
    const v1 = await record(EXAMPLE, 'Kyiv draft');
    expect(v1.statusCode).toBe(201);
    const h1 = v1.json().hash as string;
    expect((await record(EXAMPLE)).json()).toMatchObject({ code: 'conflict' });

    for (const p of SIGNATORIES.slice(0, 3)) expect((await sign(p, h1)).statusCode).toBe(201);
    const v2 = await record(EXAMPLE.replace('security advisers in Kyiv on 3 January 2026.', 'security advisers in Kyiv on 3 January 2026, and in Paris.'), 'Paris');
    const h2 = v2.json().hash as string;
    expect(v2.json().number).toBe(2);

    const stale = await sign('tr', h1);
    expect(stale.statusCode).toBe(422);
    expect(stale.json().detail).toContain(h1);
    expect(stale.json().detail).toContain(h2);

    let s = await status();
    expect(s.signOff.sameScript).toBe(false);
    expect(s.signOff.parties.find((p: { party: string }) => p.party === 'ua')).toMatchObject({ state: 'outdated', signedVersion: 1 });
    expect(s.signOff.parties.find((p: { party: string }) => p.party === 'tr')).toMatchObject({ state: 'unsigned' });

    // Not everyone has signed: it cannot enter into force.
    const early = await node.app.inject({ method: 'POST', url: '/api/v1/framework/force', headers: mediator, payload: { kind: 'entry-into-force', hash: h2, at: '2026-01-07T00:00:00+02:00' } });
    expect(early.statusCode).toBe(422);
    expect(early.json().detail).toMatch(/not yet signed by/);

    for (const p of SIGNATORIES) expect((await sign(p, h2)).statusCode).toBe(201);
    s = await status();
    expect(s.signOff).toMatchObject({ sameScript: true, missing: [], currentVersion: 2 });

    const force = await node.app.inject({ method: 'POST', url: '/api/v1/framework/force', headers: mediator, payload: { kind: 'entry-into-force', hash: h2, at: '2026-01-07T00:00:00+02:00' } });
    expect(force.statusCode).toBe(201);
    const at = async (t: string) => (await node.app.inject({ method: 'GET', url: `/api/v1/framework/in-force?at=${encodeURIComponent(t)}`, headers: mediator })).json().inForce;
    expect(await at('2026-01-06T12:00:00Z')).toBeNull();
    expect(await at('2026-01-08T00:00:00+02:00')).toMatchObject({ hash: h2, number: 2 });
  });

  it('only a signer signs, only for its own party', async () => {
    const s = await status();
    const res = await node.app.inject({ method: 'POST', url: '/api/v1/framework/signatures', headers: mediator, payload: { hash: s.signOff.currentHash } });
    expect(res.statusCode).toBe(403);
  });

  it('diffs stored versions clause by clause', async () => {
    const diff = (await node.app.inject({ method: 'GET', url: '/api/v1/framework/diff?from=1&to=2', headers: mediator })).json();
    expect(diff.summary).toMatchObject({ changed: 1, added: 0, removed: 0 });
    expect(diff.clauses[0]).toMatchObject({ clause: 'c-thanks', change: 'changed' });
    const missing = await node.app.inject({ method: 'GET', url: '/api/v1/framework/diff?from=1&to=9', headers: mediator });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().pointer).toBe('/query/to');
  });

  it('exports a version as Markdown with diplomatic brackets, DOCX that opens, and well-formed Akoma Ntoso', async () => {
    const md = await node.app.inject({ method: 'GET', url: '/api/v1/framework/versions/2/export?format=md&languages=en,uk', headers: mediator });
    expect(md.statusCode).toBe(200);
    expect(md.body).toMatch(/\[\*\*A:\*\* .*_\(proposed by [A-Z]+/);
    const docx = await node.app.inject({ method: 'GET', url: '/api/v1/framework/versions/2/export?format=docx', headers: mediator });
    const zip = await JSZip.loadAsync(docx.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('Paris');
    const akn = await node.app.inject({ method: 'GET', url: '/api/v1/framework/versions/2/export?format=akn', headers: mediator });
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(akn.body) as Record<string, unknown>;
    expect(parsed['akomaNtoso']).toBeDefined();
    const bad = await node.app.inject({ method: 'GET', url: '/api/v1/framework/versions/2/export?format=md&languages=fr', headers: mediator });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/fr is not a working language/);
  });
});
