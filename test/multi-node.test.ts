import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { runCli, signInOver, startServer } from './process';
import { tempDir } from './factories';
import { subscribe } from './sse';

const PG = process.env.ENTENTE_TEST_PG ?? '';
if (!PG) console.log('ENTENTE_TEST_PG is not set: the two-node test on PostgreSQL is skipped.');

const report = (narrative: string) =>
  JSON.stringify({ occurredAt: '2026-01-07T05:40:00Z', location: { lon: 35.9, lat: 47.4 }, domain: 'land', type: 'drone', source: 'sensor', narrative });

describe.skipIf(!PG)('two nodes on one PostgreSQL', () => {
  it('both accept writes; each sees and streams the other’s within 1 s; one order, one valid chain', async () => {
    const schema = `entente_two_nodes_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const env: Record<string, string> = { ENTENTE_DB_SCHEMA: schema };
    const dirA = tempDir();
    const dirB = tempDir();
    const a = await startServer(['--db', PG, '--data', dirA.path, '--demo'], env);
    const b = await startServer(['--db', PG, '--data', dirB.path], env);
    try {
      const onA = await signInOver(a.url, 'monitor', 'entente-demo-2026');
      // The session lives in the shared store: node B honours node A's cookie.
      const onB = onA;
      const streamB = subscribe(`${b.url}/api/v1/stream`, { cookie: onA.cookie });
      const streamA = subscribe(`${a.url}/api/v1/stream`, { cookie: onA.cookie });
      await new Promise((r) => setTimeout(r, 300));

      const started = Date.now();
      const res = await fetch(`${a.url}/api/v1/reports`, { method: 'POST', headers: onA, body: report('written on A') });
      expect(res.status).toBe(201);
      const { position } = (await res.json()) as { position: number };
      const seen = await streamB.waitFor((e) => e.event === 'journal' && e.id === String(position), 1000);
      expect(JSON.parse(seen.data)).toMatchObject({ type: 'report.filed', payload: { narrative: 'written on A' } });
      expect(Date.now() - started).toBeLessThan(1000);

      // Readable on B (from B's own memory image) within 1 s too.
      const list = (await (await fetch(`${b.url}/api/v1/reports?limit=5`, { headers: { cookie: onA.cookie } })).json()) as { reports: { narrative: string }[] };
      expect(list.reports.map((r) => r.narrative)).toContain('written on A');

      // Concurrent writes on both nodes interleave into one order and one chain.
      const writes = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fetch(`${(i % 2 ? a : b).url}/api/v1/reports`, { method: 'POST', headers: i % 2 ? onA : onB, body: report(`concurrent ${i}`) }).then(async (r) => {
            expect(r.status).toBe(201);
            return ((await r.json()) as { position: number }).position;
          }),
        ),
      );
      expect(new Set(writes).size).toBe(40);
      const last = Math.max(...writes);
      await streamA.waitFor((e) => e.id !== null && Number(e.id) >= last, 2000);
      await streamB.waitFor((e) => e.id !== null && Number(e.id) >= last, 2000);
      const idsA = streamA.events.filter((e) => e.event === 'journal').map((e) => Number(e.id));
      const idsB = streamB.events.filter((e) => e.event === 'journal').map((e) => Number(e.id));
      expect(idsA).toEqual([...idsA].sort((x, y) => x - y));
      expect(idsB.filter((id) => id <= last)).toEqual(idsA.filter((id) => id <= last));
      streamA.close();
      streamB.close();

      const verify = await runCli(['journal', 'verify', '--db', PG], { env });
      expect(verify.stdout).toMatch(/^ok \d+ events/);
      expect(verify.code).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      dirA.remove();
      dirB.remove();
    }
  }, 120_000);
});
