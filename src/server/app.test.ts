import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aReport, testNode, type TestNode } from '../../test/factories';
import { ROUTES } from './routes';

let node: TestNode;
beforeAll(async () => {
  node = await testNode();
});
afterAll(async () => {
  await node.close();
});

describe('sign-in and sessions', () => {
  it('signs in, sets an HttpOnly SameSite=Strict cookie and returns the CSRF token', async () => {
    const res = await node.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'mediator-user', password: 'correct horse battery staple' } });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/^entente_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
    expect(res.json()).toMatchObject({ user: { username: 'mediator-user', roles: ['mediator'] }, csrfToken: expect.any(String) });
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const again = await node.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
    expect(again.json()).toMatchObject({ user: { username: 'mediator-user' }, csrfToken: res.json().csrfToken });
  });

  it('refuses a wrong password with a problem that points at the password', async () => {
    const res = await node.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'donor-user', password: 'wrong wrong wrong' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthenticated', pointer: '/password', detail: 'unknown username or wrong password' });
  });

  it('rate-limits repeated failures for one username', async () => {
    let last = 0;
    for (let i = 0; i < 6; i++) {
      last = (await node.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'observer-user', password: `nope-${i}` } })).statusCode;
    }
    expect(last).toBe(429);
    const res = await node.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'observer-user', password: 'correct horse battery staple' } });
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('signs out', async () => {
    const s = await node.signIn('donor-user');
    expect((await node.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: s.headers })).statusCode).toBe(204);
    expect((await node.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });
});

describe('bad input: a 4xx problem and nothing appended', () => {
  const cases: [string, Record<string, unknown>, number, string, string?][] = [
    ['malformed JSON', { payload: '{"occurredAt": ', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
    ['a wrong type', { payload: aReport({ location: { lon: 'east', lat: 47 } }) }, 400, 'validation_failed', '/location/lon'],
    ['an unknown field', { payload: { ...aReport(), colour: 'red' } }, 400, 'validation_failed', '/colour'],
    ['latitude out of range', { payload: aReport({ location: { lon: 35, lat: 147 } }) }, 400, 'validation_failed', '/location/lat'],
    ['a time far in the future', { payload: aReport({ occurredAt: '2099-01-01T00:00:00Z' }) }, 400, 'validation_failed', '/occurredAt'],
    ['an unknown type', { payload: aReport({ type: 'rumour' }) }, 400, 'validation_failed', '/type'],
    ['an oversize body', { payload: aReport({ narrative: 'x'.repeat(1_100_000) }) }, 413, 'payload_too_large'],
    ['a body that is not JSON', { payload: 'type=drone', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
    ['a bad idempotency key', { payload: aReport(), headers: { 'idempotency-key': 'x' } }, 400, 'validation_failed', '/headers/idempotency-key'],
  ];
  for (const [name, request, status, code, pointer] of cases) {
    it(name, async () => {
      const s = await node.signIn('monitor-user');
      const head = node.journal.head;
      const res = await node.app.inject({ method: 'POST', url: '/api/v1/reports', ...request, headers: { ...s.headers, ...((request.headers as object) ?? {}) } });
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code, status, ...(pointer ? { pointer } : {}) });
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
      expect(node.journal.head).toBe(head);
    });
  }

  it('a missing CSRF token is refused and appends nothing', async () => {
    const s = await node.signIn('monitor-user');
    const head = node.journal.head;
    const res = await node.app.inject({ method: 'POST', url: '/api/v1/reports', payload: aReport(), headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'csrf_failed' });
    const wrong = await node.app.inject({ method: 'POST', url: '/api/v1/reports', payload: aReport(), headers: { cookie: s.cookie, 'x-csrf-token': 'forged' } });
    expect(wrong.statusCode).toBe(403);
    expect(node.journal.head).toBe(head);
  });

  it('a bad bearer token is refused', async () => {
    const res = await node.app.inject({ method: 'POST', url: '/api/v1/reports', payload: aReport(), headers: { authorization: 'Bearer ent_00000000-0000-4000-8000-000000000000_' + 'A'.repeat(43) } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('an unknown API route is a 404 problem', async () => {
    const res = await node.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('appending', () => {
  it('files a report with a token scoped for it; a retry with the same key returns the first result', async () => {
    const auth = await node.token('monitor-user', ['reports:write']);
    const headers = { ...auth, 'idempotency-key': 'device-7-report-0001' };
    const first = await node.app.inject({ method: 'POST', url: '/api/v1/reports', payload: aReport(), headers });
    expect(first.statusCode).toBe(201);
    const head = node.journal.head;
    const retry = await node.app.inject({ method: 'POST', url: '/api/v1/reports', payload: aReport(), headers });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(node.journal.head).toBe(head);
  });

  it('a token without the scope cannot file', async () => {
    const auth = await node.token('monitor-user', ['read']);
    const res = await node.app.inject({ method: 'POST', url: '/api/v1/reports', payload: aReport(), headers: auth });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/reports:write/);
  });

  it('concurrent appends share transactions and keep one chain', async () => {
    const s = await node.signIn('monitor-user');
    const before = node.journal.head;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => node.app.inject({ method: 'POST', url: '/api/v1/reports', payload: aReport({ narrative: `burst ${i}` }), headers: s.headers })),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const positions = results.map((r) => (r.json() as { position: number }).position).sort((a, b) => a - b);
    expect(new Set(positions).size).toBe(50);
    expect(node.journal.head).toBeGreaterThanOrEqual(before + 50);
    const status = await node.app.inject({ method: 'GET', url: '/api/v1/journal/status', headers: { cookie: s.cookie } });
    expect(status.json()).toMatchObject({ ok: true });
  });
});

describe('reading by visibility', () => {
  it('the journal page shows a reader only what it may see', async () => {
    const admin = await node.signIn('admin-user');
    const delegate = await node.signIn('delegate-user');
    const all = (await node.app.inject({ method: 'GET', url: '/api/v1/journal?limit=500', headers: { cookie: admin.cookie } })).json() as { events: { type: string; visibility: string[] }[] };
    const mine = (await node.app.inject({ method: 'GET', url: '/api/v1/journal?limit=500', headers: { cookie: delegate.cookie } })).json() as { events: { type: string; visibility: string[] }[] };
    expect(all.events.some((e) => e.type === 'user.created')).toBe(true);
    expect(mine.events.some((e) => e.type === 'user.created')).toBe(false);
    expect(mine.events.every((e) => e.visibility.some((v) => ['public', 'process', 'party:ua'].includes(v)))).toBe(true);
    const newest = (await node.app.inject({ method: 'GET', url: '/api/v1/journal?order=desc&limit=3', headers: { cookie: admin.cookie } })).json() as { events: { position: number }[] };
    expect(newest.events.map((e) => e.position)).toEqual([...newest.events.map((e) => e.position)].sort((a, b) => b - a));
  });

  it('anonymous readers get nothing but public routes', async () => {
    expect((await node.app.inject({ method: 'GET', url: '/api/v1/journal' })).statusCode).toBe(401);
    expect((await node.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });
});

describe('the API description', () => {
  it('OpenAPI 3.1 lists every route with its schemas', async () => {
    const doc = (await node.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of ROUTES) expect(doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()]).toBeDefined();
    expect(doc.paths['/api/v1/reports']!.post!.requestBody).toBeDefined();
  });

  it('sends security headers', async () => {
    const res = await node.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('token expiry', () => {
  it('refuses a token after it expires', async () => {
    let now = Date.parse('2026-01-03T10:00:00Z');
    const { testNode: make } = await import('../../test/factories');
    const timed = await make({ now: () => new Date(now) });
    try {
      const admin = await timed.signIn('admin-user');
      const created = await timed.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin.headers, payload: { username: 'monitor-user', scopes: ['reports:write'], label: 'device 7', expiresInDays: 1 } });
      expect(created.statusCode).toBe(201);
      const bearer = { authorization: `Bearer ${(created.json() as { token: string }).token}` };
      expect((await timed.app.inject({ method: 'GET', url: '/api/v1/parties', headers: bearer })).statusCode).toBe(200);
      now += 2 * 86_400_000;
      const expired = await timed.app.inject({ method: 'GET', url: '/api/v1/parties', headers: bearer });
      expect(expired.statusCode).toBe(401);
      expect(expired.json()).toMatchObject({ code: 'unauthenticated' });
    } finally {
      await timed.close();
    }
  });
});
