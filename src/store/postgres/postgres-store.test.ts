import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../contract';
import { ChainWriter, defineStoreContract, postgresFactory, sleep, sqliteFactory, waitFor } from '../contract.suite';
import { type PostgresStore, POSTGRES_SCHEMA_VERSION } from './postgres-store';

const url = process.env.ENTENTE_TEST_PG;

if (url) {
  const postgres = postgresFactory(url);
  defineStoreContract('PostgresStore', postgres.makeStore, postgres.cleanup, { openTwin: postgres.openTwin, peers: [sqliteFactory()] });

  describe('PostgresStore — on the server', () => {
    const own = postgresFactory(url);
    const admin = new Client({ connectionString: url });
    beforeAll(() => admin.connect());
    afterAll(async () => {
      await admin.end();
      await own.cleanup();
    });

    it('listens again after its LISTEN connection is killed, and wakes the watcher', async () => {
      const store = (await own.makeStore()) as PostgresStore;
      const twin = await own.openTwin(store);
      try {
        let fired = 0;
        const stop = store.watch(() => fired++);
        const listenerPid = (): Promise<number | undefined> =>
          admin
            .query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE query = $1 AND state = 'idle'", [`LISTEN "${store.channel}"`])
            .then((r) => r.rows[0]?.pid);
        const first = await eventually(listenerPid, (pid) => pid !== undefined, 'no LISTEN connection appeared');
        await admin.query('SELECT pg_terminate_backend($1)', [first]);
        await eventually(listenerPid, (pid) => pid !== undefined && pid !== first, 'the LISTEN connection did not come back');
        await sleep(200);
        fired = 0;
        await new ChainWriter('b').append(twin, 1);
        await waitFor(() => fired > 0, 3000, 'the watcher did not fire after the LISTEN connection came back');
        stop();
      } finally {
        await twin.close();
        await store.close();
      }
    });

    it('refuses a schema newer than this code', async () => {
      const store = (await own.makeStore()) as PostgresStore;
      await store.close();
      await admin.query(`UPDATE "${store.schema}".meta SET value = '999' WHERE key = 'schema_version'`);
      const error = await own.openTwin(store).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect((error as Error).message).toMatch(
        new RegExp(`schema version 999, newer than this Entente understands \\(${POSTGRES_SCHEMA_VERSION}\\)`),
      );
    });

    it('keeps positions as numbers and the JSON text exactly as written', async () => {
      const store = (await own.makeStore()) as PostgresStore;
      try {
        const { written } = await new ChainWriter('a').append(store, 2);
        const row = (await admin.query<{ payload: string }>(`SELECT payload FROM "${store.schema}".events WHERE position = 2`)).rows[0];
        expect(row?.payload).toBe(JSON.stringify(written[1]!.payload));
        const [back] = await store.read(1, 1);
        expect(typeof back!.position).toBe('number');
        expect(typeof back!.streamVersion).toBe('number');
      } finally {
        await store.close();
      }
    });
  });
} else {
  describe.skip('PostgresStore — journal store contract', () => {
    it('runs only when ENTENTE_TEST_PG holds a PostgreSQL URL (e.g. postgres://postgres@127.0.0.1:5432/test)', () => undefined);
  });
}

async function eventually<T>(probe: () => Promise<T>, good: (value: T) => boolean, message: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (good(value)) return value;
    if (Date.now() > deadline) throw new Error(message);
    await sleep(50);
  }
}
