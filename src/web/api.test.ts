import { describe, expect, it } from 'vitest';
import { ApiClient, newIdempotencyKey, problemAt } from './api';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that answers from a list and records what it was asked. */
function fakeFetch(...answers: Array<Response | Error>): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type, ...headers } });

const session = {
  user: { id: 'u1', username: 'mediator', displayName: 'Chief mediator', party: 'secretariat', roles: ['mediator'], grants: [] },
  csrfToken: 'tok',
};
const draft = {
  occurredAt: '2026-01-05T10:00:00.000Z',
  location: { lon: 37.5, lat: 47.1 },
  domain: 'land',
  type: 'drone',
  source: 'sensor',
  narrative: 'x',
} as const;

describe('ApiClient', () => {
  it('sends the CSRF token on unsafe requests and an idempotency key on POSTs, never on GETs', async () => {
    const { fetch, calls } = fakeFetch(
      json(200, session),
      json(201, { id: 'R-9', position: 9 }),
      json(200, { reports: [] }),
      new Response(null, { status: 204 }),
    );
    const api = new ApiClient({ fetch });
    const signedIn = await api.signIn('mediator', 'pw');
    expect(signedIn.ok).toBe(true);
    api.setCsrfToken('tok');
    const filed = await api.fileReport(draft, 'key-1');
    expect(filed).toEqual({ ok: true, value: { id: 'R-9', position: 9 } });
    await api.listReports();
    await api.signOut();

    const headers = calls.map((c) => c.init.headers as Record<string, string>);
    expect(headers[0]!['X-CSRF-Token']).toBeUndefined(); // no session yet
    expect(headers[0]!['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers[1]).toMatchObject({ 'X-CSRF-Token': 'tok', 'Idempotency-Key': 'key-1', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual(draft);
    expect(headers[2]!['X-CSRF-Token']).toBeUndefined();
    expect(headers[2]!['Idempotency-Key']).toBeUndefined();
    expect(calls[3]!.init.method).toBe('DELETE');
    expect(headers[3]!['X-CSRF-Token']).toBe('tok');
    expect(headers[3]!['Idempotency-Key']).toBeUndefined();
  });

  it('turns a problem+json answer into a typed value with its pointer', async () => {
    const { fetch } = fakeFetch(
      json(
        401,
        {
          type: 'about:blank',
          title: 'Not signed in',
          status: 401,
          detail: 'unknown username or wrong password',
          code: 'unauthenticated',
          pointer: '/password',
        },
        'application/problem+json',
      ),
    );
    const result = await new ApiClient({ fetch }).signIn('mediator', 'nope');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({
      status: 401,
      code: 'unauthenticated',
      detail: 'unknown username or wrong password',
      pointer: '/password',
    });
    expect(problemAt(result.problem, '/password')).toBe(true);
    expect(problemAt(result.problem, '/username')).toBe(false);
  });

  it('reads Retry-After on 429, and names network failures and answers that break the contract', async () => {
    const { fetch } = fakeFetch(
      json(429, { title: 'Too many', status: 429, detail: 'slow down', code: 'rate_limited' }, 'application/problem+json', {
        'Retry-After': '30',
      }),
      new TypeError('Failed to fetch'),
      json(200, { user: { id: 1 }, csrfToken: 'x' }),
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const api = new ApiClient({ fetch });
    const limited = await api.signIn('a', 'b');
    expect(!limited.ok && limited.problem).toMatchObject({ code: 'rate_limited', retryAfter: 30 });
    const offline = await api.getSession();
    expect(!offline.ok && offline.problem).toMatchObject({ status: 0, code: 'network' });
    const wrongShape = await api.getSession();
    expect(!wrongShape.ok && wrongShape.problem.code).toBe('bad_response');
    expect(!wrongShape.ok && wrongShape.problem.detail).toMatch(/\/user\/id/);
    const proxy = await api.listReports();
    expect(!proxy.ok && proxy.problem).toMatchObject({ status: 502, code: 'internal', detail: 'Bad Gateway' });
  });

  it('reports the end of a session on a 401 from an ordinary request, not from sign-in or the session probe', async () => {
    let ended = 0;
    const problem = () =>
      json(401, { title: 'Not signed in', status: 401, detail: 'sign in first', code: 'unauthenticated' }, 'application/problem+json');
    const { fetch } = fakeFetch(problem(), problem(), problem());
    const api = new ApiClient({ fetch, onSessionEnded: () => (ended += 1) });
    await api.getSession();
    await api.signIn('a', 'b');
    expect(ended).toBe(0);
    await api.journalStatus();
    expect(ended).toBe(1);
  });
});

describe('newIdempotencyKey', () => {
  it('makes distinct version-4 UUIDs without crypto.randomUUID (absent outside secure contexts)', () => {
    const keys = new Set(Array.from({ length: 200 }, newIdempotencyKey));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
