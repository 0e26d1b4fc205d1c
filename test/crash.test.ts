import { describe, expect, it } from 'vitest';
import { runCli, signInOver, startServer } from './process';
import { tempDir } from './factories';

const ROUNDS = Number(process.env.ENTENTE_CRASH_ROUNDS ?? 20);

interface Attempt {
  key: string;
  narrative: string;
  acknowledged: number | null;
}

describe('durability under SIGKILL', () => {
  it(`every acknowledged append survives ${ROUNDS} kills mid-load, exactly once`, async () => {
    const dir = tempDir('entente-crash-');
    const attempts: Attempt[] = [];
    try {
      let server = await startServer(['--data', dir.path, '--demo']);
      for (let round = 0; round < ROUNDS; round++) {
        const headers = await signInOver(server.url, 'monitor', 'entente-demo-2026');
        const url = server.url;
        // A steady load of concurrent appends, each with its own idempotency key…
        let stop = false;
        const writers = Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; !stop; i++) {
            const attempt: Attempt = { key: `crash-r${round}-w${w}-${i}`, narrative: `round ${round} writer ${w} #${i}`, acknowledged: null };
            attempts.push(attempt);
            try {
              const res = await fetch(`${url}/api/v1/reports`, {
                method: 'POST',
                headers: { ...headers, 'idempotency-key': attempt.key },
                body: JSON.stringify({ occurredAt: '2026-01-07T05:40:00Z', location: { lon: 35.9, lat: 47.4 }, domain: 'land', type: 'drone', source: 'sensor', narrative: attempt.narrative }),
              });
              if (res.status === 201) attempt.acknowledged = ((await res.json()) as { position: number }).position;
            } catch {
              return; // the server died under us: this attempt was never acknowledged
            }
          }
        });
        // …killed at a random moment in the middle of it.
        await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 350)));
        await server.kill();
        stop = true;
        await Promise.all(writers);
        server = await startServer(['--data', dir.path]);
      }

      // Retry every attempt with its key: acknowledged ones must come back with their first position.
      const headers = await signInOver(server.url, 'monitor', 'entente-demo-2026');
      for (const attempt of attempts) {
        const res = await fetch(`${server.url}/api/v1/reports`, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': attempt.key },
          body: JSON.stringify({ occurredAt: '2026-01-07T05:40:00Z', location: { lon: 35.9, lat: 47.4 }, domain: 'land', type: 'drone', source: 'sensor', narrative: attempt.narrative }),
        });
        expect(res.status).toBe(201);
        const position = ((await res.json()) as { position: number }).position;
        if (attempt.acknowledged !== null) expect(position).toBe(attempt.acknowledged);
      }
      await server.stop();

      // Every attempt is now in the journal exactly once.
      const exported = await runCli(['journal', 'export', '--data', dir.path]);
      const narratives = exported.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; payload: { narrative?: string } })
        .filter((e) => e.type === 'report.filed')
        .map((e) => e.payload.narrative!);
      const counts = new Map<string, number>();
      for (const n of narratives) counts.set(n, (counts.get(n) ?? 0) + 1);
      const acknowledged = attempts.filter((a) => a.acknowledged !== null);
      expect(acknowledged.length).toBeGreaterThan(ROUNDS);
      for (const a of attempts) expect(counts.get(a.narrative), a.narrative).toBe(1);

      const verify = await runCli(['journal', 'verify', '--data', dir.path]);
      expect(verify.stdout).toMatch(/^ok \d+ events, head [0-9a-f]{64}/);
      expect(verify.code).toBe(0);
    } finally {
      dir.remove();
    }
  }, 600_000);
});
