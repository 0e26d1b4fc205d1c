import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signInOver, startServer } from './process';
import { aReport, tempDir, testNode } from './factories';
import { subscribe } from './sse';

describe('shutdown and a broken chain', () => {
  it('SIGTERM ends open live streams and exits promptly', async () => {
    const dir = tempDir();
    try {
      const server = await startServer(['--data', dir.path, '--demo']);
      const { cookie } = await signInOver(server.url, 'mediator', 'entente-demo-2026');
      const live = subscribe(`${server.url}/api/v1/stream`, { cookie });
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      const code = await server.stop();
      expect(code).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
      live.close();
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('stops signing checkpoints once the stored chain is found broken', async () => {
    const node = await testNode();
    try {
      const db = new Database(join(node.dir, 'journal.db'));
      db.prepare(`UPDATE events SET payload = replace(payload, '"UA"', '"XX"') WHERE position = 1`).run();
      db.close();
      await node.services.chain.recheck();
      expect(node.services.chain.status().report).toMatchObject({ ok: false, position: 1, fault: 'altered' });
      const s = await node.signIn('monitor-user');
      await node.app.inject({ method: 'POST', url: '/api/v1/reports', headers: s.headers, payload: aReport() });
      const before = node.journal.image.index.lastCheckpoint;
      await node.journal.close();
      expect(node.journal.image.index.lastCheckpoint).toBe(before);
    } finally {
      await node.app.close();
      await node.store.close();
    }
  });
});
