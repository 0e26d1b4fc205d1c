import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, isAction, POLICY } from '../core/access/policy';
import { ROLES, type Role } from '../core/access/roles';
import { testNode, USER_OF_ROLE, type TestNode } from '../../test/factories';
import { ROUTES } from './routes';

let node: TestNode;
const sessions = new Map<Role, Record<string, string>>();

beforeAll(async () => {
  node = await testNode();
  for (const role of ROLES) sessions.set(role, (await node.signIn(USER_OF_ROLE[role].username)).headers);
});
afterAll(async () => {
  await node.close();
});

const concrete = (url: string) => url.replace(/:([A-Za-z]+)/g, 'x');

describe('every route × every role is decided by the access policy', () => {
  it('every route names an action that has a policy', () => {
    for (const route of ROUTES) {
      expect(route.action === 'sign-in' || isAction(route.action), `${route.method} ${route.url} has no policy`).toBe(true);
    }
    // Each policy row is used by some route or reserved for a later module; none is a typo.
    expect(Object.keys(POLICY).length).toBeGreaterThan(0);
  });

  for (const route of ROUTES.filter((r) => r.action !== 'sign-in' && !r.raw)) {
    for (const role of [...ROLES, 'anonymous'] as const) {
      it(`${route.method} ${route.url} as ${role}`, async () => {
        const headers = role === 'anonymous' ? {} : sessions.get(role)!;
        const reader = role === 'anonymous' ? null : { kind: 'user' as const, id: 'x', username: 'x', party: null, roles: [role], grants: [], scopes: null };
        const expected = decide(reader, route.action as keyof typeof POLICY);
        const head = node.journal.head;
        const res = await node.app.inject({ method: route.method, url: concrete(route.url), headers, ...(route.method === 'GET' ? {} : { payload: {} }) });
        if (route.method === 'DELETE' && route.url === '/api/v1/session' && role !== 'anonymous') {
          sessions.set(role, (await node.signIn(USER_OF_ROLE[role].username)).headers);
        }
        if (expected.allowed) {
          expect([401, 403], `${role} should pass the policy of ${route.url}: ${res.body}`).not.toContain(res.statusCode);
        } else {
          expect(res.statusCode).toBe(expected.reason === 'unauthenticated' ? 401 : 403);
          expect(node.journal.head).toBe(head);
        }
      });
    }
  }
});
