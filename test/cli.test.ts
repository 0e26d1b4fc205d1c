import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { runCli, signInOver, startServer } from './process';
import { tempDir } from './factories';

describe('entente CLI', () => {
  it('creates a party, a user (password from stdin) and a token offline, and the server honours them', async () => {
    const dir = tempDir();
    try {
      expect((await runCli(['admin', 'create-party', '--data', dir.path, '--id', 'ua', '--name', 'Ukraine', '--kind', 'state'])).code).toBe(0);
      const user = await runCli(['admin', 'create-user', '--data', dir.path, '--party', 'ua', '--role', 'delegate', '--role', 'signer', '--username', 'olena'], {
        input: 'a long enough passphrase\n',
      });
      expect(user.stderr).toBe('');
      expect(user.stdout).toMatch(/user olena created/);
      const weak = await runCli(['admin', 'create-user', '--data', dir.path, '--party', 'ua', '--role', 'delegate', '--username', 'petro'], { input: 'short\n' });
      expect(weak.code).toBe(2);
      expect(weak.stderr).toMatch(/at least 12 characters/);
      const badRole = await runCli(['admin', 'create-user', '--data', dir.path, '--party', 'ua', '--role', 'king', '--username', 'petro'], { input: 'a long enough passphrase\n' });
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toMatch(/--role king: roles are mediator, delegate/);
      const token = await runCli(['admin', 'create-token', '--data', dir.path, '--username', 'olena', '--scope', 'read']);
      expect(token.stdout.trim()).toMatch(/^ent_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);

      const server = await startServer(['--data', dir.path]);
      try {
        const headers = await signInOver(server.url, 'olena', 'a long enough passphrase');
        const session = await (await fetch(`${server.url}/api/v1/session`, { headers })).json();
        expect(session).toMatchObject({ user: { username: 'olena', party: 'ua', roles: ['delegate', 'signer'] } });
        const viaToken = await fetch(`${server.url}/api/v1/parties`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
        expect(viaToken.status).toBe(200);
      } finally {
        await server.stop();
      }
    } finally {
      dir.remove();
    }
  }, 120_000);

  it('journal verify passes on a good journal and names the first bad position on a tampered one', async () => {
    const dir = tempDir();
    try {
      for (const id of ['ua', 'ru', 'us', 'tr', 'fr']) {
        await runCli(['admin', 'create-party', '--data', dir.path, '--id', id, '--name', id.toUpperCase(), '--kind', 'state']);
      }
      const good = await runCli(['journal', 'verify', '--data', dir.path]);
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/^ok 5 events, head [0-9a-f]{64}\n$/);

      const db = new Database(join(dir.path, 'journal.db'));
      db.prepare(`UPDATE events SET payload = replace(payload, '"TR"', '"XX"') WHERE position = 4`).run();
      db.close();
      const bad = await runCli(['journal', 'verify', '--data', dir.path]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/^bad position 4: altered: /);
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('backs up while serving and restores into an empty data directory', async () => {
    const dir = tempDir();
    const restored = tempDir();
    try {
      const server = await startServer(['--data', dir.path, '--demo']);
      const headers = await signInOver(server.url, 'monitor', 'entente-demo-2026');
      const load = Array.from({ length: 30 }, (_, i) =>
        fetch(`${server.url}/api/v1/reports`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ occurredAt: '2026-01-07T05:40:00Z', location: { lon: 35.9, lat: 47.4 }, domain: 'land', type: 'drone', source: 'sensor', narrative: `n${i}` }),
        }),
      );
      const file = join(restored.path, 'backup.entente');
      const backup = await runCli(['backup', '--data', dir.path, '--out', file]);
      await Promise.all(load);
      await server.stop();
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/backup of \d+ events written/);

      const target = join(restored.path, 'data');
      const restore = await runCli(['restore', '--data', target, '--from', file]);
      expect(restore.stderr).toBe('');
      expect(restore.code).toBe(0);
      const verify = await runCli(['journal', 'verify', '--data', target]);
      expect(verify.code).toBe(0);
      // The demo's recorded framework versions can be compared by number.
      const diff = await runCli(['framework', 'diff', '2', '3', '--data', target]);
      expect(diff.code).toBe(0);
      expect(diff.stdout).toMatch(/~ c-thanks/);
      const again = await runCli(['restore', '--data', target, '--from', file]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/not empty|empty/);
    } finally {
      dir.remove();
      restored.remove();
    }
  }, 120_000);

  it('says clearly what is wrong with how it was called', async () => {
    const port = await runCli(['serve', '--port', 'abc', '--data', '/tmp/nowhere-entente']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port/);
    const unknown = await runCli(['journal', 'verify', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/bogus/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const db = await runCli(['journal', 'verify', '--db', 'postgres://someone:s3cret@127.0.0.1:1/nothing']);
    expect(db.code).toBe(1);
    expect(db.stderr).not.toMatch(/s3cret/);
  }, 60_000);
});
