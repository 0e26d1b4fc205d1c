import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testNode } from '../../test/factories';
import { Journal } from '../runtime/journal';
import { openStore } from '../store/open';
import type { JournalStore } from '../store/contract';
import { Webhooks } from './webhooks';

/**
 * Webhooks against a real HTTP server on 127.0.0.1 that fails, is slow, is down, then recovers. The
 * signatures are checked here with node:crypto directly, not with the code under test.
 */

const log = pino({ level: 'silent' });
const SECRET = 'a-shared-secret-of-the-guarantor';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

/** A target whose answer to the n-th request is given by `plan(n)`: a status, or 'slow' (answers after 2 s). */
async function target(
  plan: (n: number) => number | 'slow',
  port = 0,
): Promise<{ url: string; received: Received[]; server: Server; port: number }> {
  const received: Received[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const what = plan(n++);
      const body = Buffer.concat(chunks).toString('utf8');
      if (what === 'slow') {
        const t = setTimeout(() => {
          received.push({ headers: req.headers, body, status: 200 });
          res.writeHead(200).end();
        }, 2000);
        res.on('close', () => clearTimeout(t));
        return;
      }
      received.push({ headers: req.headers, body, status: what });
      res.writeHead(what).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  const actual = (server.address() as AddressInfo).port;
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  server.closeAllConnections?.();
  return { url: `http://127.0.0.1:${actual}/hook`, received, server, port: actual };
}

async function journal(): Promise<{ journal: Journal; store: JournalStore }> {
  const dir = tempDir();
  const store = await openStore({ data: dir.path });
  await store.migrate();
  const j = new Journal(store, null, {});
  await j.open();
  cleanups.push(async () => {
    await j.close();
    await store.close();
    dir.remove();
  });
  return { journal: j, store };
}

/** An escalation opening as the trigger reactor appends it (a minimal one: no ladder, no evidence). */
function escalationEvent(id: string, visibility = ['mediator', 'party:gb']) {
  const opening = {
    id,
    commitment: 'c',
    against: 'ru',
    openedAt: '2026-01-10T00:00:00Z',
    guarantors: ['gb'],
    ladder: [],
    evidence: [],
    firstRung: { index: 0, openedAt: '2026-01-10T00:00:00Z', deadline: null },
    explanation: 'test',
  };
  return {
    drafts: [{ stream: `escalation/${id}`, type: 'escalation.opened', payload: { id, opening }, visibility }],
    actor: 'test',
    party: null,
    expected: { [`escalation/${id}`]: 'new' as const },
  };
}

function verify(r: Received): boolean {
  const ts = String(r.headers['entente-timestamp']);
  const sig = String(r.headers['entente-signature']);
  const expected = `v1=${createHmac('sha256', SECRET).update(`${ts}.${r.body}`).digest('hex')}`;
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

async function until(check: () => boolean | Promise<boolean>, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('webhooks', () => {
  it('a failing, then slow target loses nothing, does not slow intake, and gets a signature it can verify', async () => {
    // 500, 503, then slow (beyond the 300 ms timeout), then fine.
    const t = await target((n) => (n === 0 ? 500 : n === 1 ? 503 : n === 2 ? 'slow' : 200));
    const { journal: j, store } = await journal();
    const hooks = new Webhooks(j, store, log, { timeoutMs: 300, backoffMs: 40, maxAttempts: 6, pollMs: 10 });
    hooks.start();
    cleanups.push(() => hooks.stop());
    await hooks.register({ url: t.url, secret: SECRET, party: null, registeredBy: 'admin' });
    const started = performance.now();
    const r = await j.append(escalationEvent('e1'));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(performance.now() - started).toBeLessThan(250);
    await until(() => t.received.some((x) => x.status === 200));
    const delivered = t.received.filter((x) => x.status === 200);
    expect(delivered).toHaveLength(1);
    expect(verify(delivered[0]!)).toBe(true);
    // Tampering is detectable with the same independent check.
    expect(verify({ ...delivered[0]!, body: delivered[0]!.body.replace('"e1"', '"e9"') })).toBe(false);
    const body = JSON.parse(delivered[0]!.body) as { type: string; payload: { id: string } };
    expect(body.type).toBe('escalation.opened');
    expect(body.payload.id).toBe('e1');
    // Every attempt names the same delivery, so the receiver can de-duplicate.
    expect(new Set(t.received.map((x) => x.headers['entente-delivery'])).size).toBe(1);
    expect(await hooks.deadLetters()).toEqual([]);
  });

  it('a target that stays down ends in the dead-letter list; replayed once it is back, it is delivered', async () => {
    const probe = await target(() => 200);
    const port = probe.port;
    await new Promise<void>((r) => probe.server.close(() => r()));
    const { journal: j, store } = await journal();
    const hooks = new Webhooks(j, store, log, { timeoutMs: 300, backoffMs: 20, maxAttempts: 3, pollMs: 10 });
    hooks.start();
    cleanups.push(() => hooks.stop());
    await hooks.register({ url: `http://127.0.0.1:${port}/hook`, secret: SECRET, party: 'gb', registeredBy: 'gb-user' });
    await j.append(escalationEvent('e2'));
    await until(async () => (await hooks.deadLetters()).length === 1);
    const [letter] = await hooks.deadLetters();
    expect(letter!.attempts).toBe(3);
    expect(letter!.eventType).toBe('escalation.opened');
    // The dead-letter list survives a new dispatcher on the same store (a restart).
    const again = new Webhooks(j, store, log, { timeoutMs: 300, backoffMs: 20, maxAttempts: 3, pollMs: 10 });
    again.start();
    cleanups.push(() => again.stop());
    expect(await again.deadLetters()).toHaveLength(1);
    const back = await target(() => 200, port);
    expect(await again.replay(letter!.id)).not.toBeNull();
    await until(() => back.received.length === 1);
    expect(verify(back.received[0]!)).toBe(true);
    await until(async () => (await again.deadLetters()).length === 0);
  });

  it("a party's system receives only the escalation events its party may read", async () => {
    const t = await target(() => 200);
    const { journal: j, store } = await journal();
    const hooks = new Webhooks(j, store, log, { timeoutMs: 300, backoffMs: 20, maxAttempts: 2, pollMs: 10 });
    hooks.start();
    cleanups.push(() => hooks.stop());
    await hooks.register({ url: t.url, secret: SECRET, party: 'ru', registeredBy: 'ru-user' });
    await j.append(escalationEvent('against-ru', ['mediator', 'party:gb']));
    await j.append(escalationEvent('for-ru', ['mediator', 'party:ru']));
    await until(() => t.received.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.received.map((x) => (JSON.parse(x.body) as { payload: { id: string } }).payload.id)).toEqual(['for-ru']);
  });

  it('the API: a guarantor registers for its own party only, with an http(s) URL and a real secret', async () => {
    const node = await testNode();
    cleanups.push(() => node.close());
    const g = (await node.signIn('guarantor-user')).headers;
    const post = (payload: Record<string, unknown>) => node.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: g, payload });
    const created = await post({ url: 'http://127.0.0.1:9/hook', secret: SECRET });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ party: 'us', url: 'http://127.0.0.1:9/hook' });
    expect(created.body).not.toContain(SECRET);
    expect((await post({ url: 'http://127.0.0.1:9/hook', secret: SECRET, party: 'gb' })).statusCode).toBe(422);
    const bad = await post({ url: 'ftp://x/y', secret: SECRET });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().pointer).toBe('/url');
    expect((await post({ url: 'http://127.0.0.1:9/hook', secret: 'short' })).json().pointer).toBe('/secret');
    const letters = await node.app.inject({ method: 'GET', url: '/api/v1/webhooks/dead-letters', headers: g });
    expect(letters.json()).toEqual({ deadLetters: [] });
    expect(
      (await node.app.inject({ method: 'POST', url: '/api/v1/webhooks/dead-letters/nope/replay', headers: g, payload: {} })).statusCode,
    ).toBe(404);
  });
});
