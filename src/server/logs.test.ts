import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { aReport, TEST_PASSWORD, testNode } from '../../test/factories';
import { makeLogger } from './app';

describe('logs', () => {
  it('never contain passwords, cookies, CSRF tokens or API tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const node = await testNode({ logger: makeLogger('trace', sink) });
    try {
      const s = await node.signIn('monitor-user');
      const bad = await node.app.inject({ method: 'POST', url: '/api/v1/session', payload: { username: 'monitor-user', password: 'a-wrong-password-xyz' } });
      expect(bad.statusCode).toBe(401);
      const auth = await node.token('monitor-user', ['reports:write']);
      await node.app.inject({ method: 'POST', url: '/api/v1/reports', headers: auth, payload: aReport() });
      await node.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { cookie: s.cookie }, payload: aReport() });
      // A request that fails deep inside still logs without its secrets.
      await node.app.inject({ method: 'POST', url: '/api/v1/reports', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"broken' });

      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      const secrets = [TEST_PASSWORD, 'a-wrong-password-xyz', s.cookie.split('=')[1]!, s.csrf, auth.authorization!.slice('Bearer '.length)];
      for (const secret of secrets) expect(log).not.toContain(secret);
    } finally {
      await node.close();
    }
  });
});
