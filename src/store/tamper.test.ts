import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { seal } from '../core/journal/chain';
import { checkpointDraft, type CheckpointSigner } from '../core/journal/checkpoint';
import { GENESIS_HASH, type JournalEvent } from '../core/journal/envelope';
import { type VerifyOptions, verifyChain } from '../core/journal/verify';
import type { JournalStore } from './contract';
import { postgresFactory, sealedAfter, sqliteFactory, type StoreFactory } from './contract.suite';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite/sqlite-store';

/**
 * Someone with write access to the database edits the journal behind Entente's back. The chain verifier,
 * reading through the store as `entente journal verify` does, must name what was done and where.
 * Journal: 30 events, with signed checkpoints at 11 (covering 1–10) and 21 (covering 1–20).
 */

/** Raw SQL on the store's database, bypassing the store. `?` placeholders on both kinds. */
interface RawJournal {
  run(sql: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

async function rawJournal(store: JournalStore): Promise<RawJournal> {
  if (store instanceof SqliteStore) {
    const db = new Database(store.file);
    return {
      run: async (sql, ...params) => void db.prepare(sql).run(...params),
      close: async () => {
        db.close();
      },
    };
  }
  if (store instanceof PostgresStore) {
    const client = new Client({ connectionString: process.env.ENTENTE_TEST_PG });
    await client.connect();
    await client.query(`SET search_path TO "${store.schema}"`);
    return {
      run: async (sql, ...params) => {
        let n = 0;
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        );
      },
      close: () => client.end(),
    };
  }
  throw new Error(`no raw access to a ${store.kind} store`);
}

function ed25519Signer(keyId: string): CheckpointSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    keyId,
    // The raw key is the last 32 bytes of the SPKI DER encoding.
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url'),
    sign: (message) => signWith(privateKey, message),
  };
}

function signWith(key: KeyObject, message: Uint8Array): string {
  return sign(null, message, key).toString('base64url');
}

function checkpointAfter(prev: JournalEvent, signer: CheckpointSigner, streamVersion: number): JournalEvent {
  const draft = checkpointDraft(prev.position, prev.hash, signer);
  return seal({
    position: prev.position + 1,
    stream: draft.stream,
    streamVersion,
    type: draft.type,
    payload: draft.payload,
    actor: 'node:test',
    party: null,
    visibility: draft.visibility,
    recordedAt: '2026-03-01T09:00:00.000Z',
    idempotencyKey: null,
    prevHash: prev.hash,
  });
}

/** Writes the 30-event journal through the store, in the batches a node would append. */
async function writeJournal(store: JournalStore, signer: CheckpointSigner): Promise<JournalEvent[]> {
  const all: JournalEvent[] = [];
  const batch = async (plan: (last: { position: number; hash: string }) => JournalEvent[]): Promise<void> => {
    const head = await store.head();
    const outcome = await store.append(head.position, () => ({ events: plan(head), result: null }));
    all.push(...outcome.written);
  };
  await batch((last) => sealedAfter(last, 10, 'a'));
  await batch(() => [checkpointAfter(all[9]!, signer, 1)]);
  await batch((last) => sealedAfter(last, 9, 'a', 10));
  await batch(() => [checkpointAfter(all[19]!, signer, 2)]);
  await batch((last) => sealedAfter(last, 9, 'a', 19));
  return all;
}

function defineTamperTests(factory: StoreFactory): void {
  describe(`tampering with a ${factory.name} journal`, () => {
    const opened: JournalStore[] = [];
    const raws: RawJournal[] = [];
    afterEach(async () => {
      await Promise.all(raws.splice(0).map((r) => r.close()));
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    afterAll(() => factory.cleanup());

    async function journal(): Promise<{ store: JournalStore; events: JournalEvent[]; raw: RawJournal; signer: CheckpointSigner }> {
      const store = await factory.makeStore();
      opened.push(store);
      const signer = ed25519Signer('node-1');
      const events = await writeJournal(store, signer);
      const raw = await rawJournal(store);
      raws.push(raw);
      return { store, events, raw, signer };
    }

    async function verdict(store: JournalStore, options?: VerifyOptions): Promise<{ fault: string; position: number } | 'ok'> {
      const report = await verifyChain(store.iterate(0, 7), options);
      return report.ok ? 'ok' : { fault: report.fault, position: report.position };
    }

    it('verifies the untouched journal, both checkpoints included', async () => {
      const { store, signer } = await journal();
      const report = await verifyChain(store.iterate(), { trustedKeys: new Set([signer.publicKey]) });
      expect(report).toMatchObject({ ok: true, count: 30, checkpoints: 2 });
    });

    it('names an altered payload', async () => {
      const { store, events, raw } = await journal();
      await raw.run('UPDATE events SET payload = ? WHERE position = ?', JSON.stringify({ ...events[6]!.payload, count: 700 }), 7);
      expect(await verdict(store)).toEqual({ fault: 'altered', position: 7 });
    });

    it('names an event altered and rehashed in place by the one whose link it broke', async () => {
      const { store, events, raw } = await journal();
      const forged = seal({ ...events[6]!, payload: { ...events[6]!.payload, count: 700 } });
      await raw.run('UPDATE events SET payload = ?, hash = ? WHERE position = ?', JSON.stringify(forged.payload), forged.hash, 7);
      expect(await verdict(store)).toEqual({ fault: 'altered', position: 7 });
    });

    it('names a deleted row as missing', async () => {
      const { store, raw } = await journal();
      await raw.run('DELETE FROM events WHERE position = ?', 7);
      expect(await verdict(store)).toEqual({ fault: 'missing', position: 7 });
    });

    it('names two swapped rows as reordered, next to each other or far apart', async () => {
      const near = await journal();
      await swap(near.raw, 7, 8);
      expect(await verdict(near.store)).toEqual({ fault: 'reordered', position: 7 });

      const far = await journal();
      await swap(far.raw, 5, 17);
      expect(await verdict(far.store)).toEqual({ fault: 'reordered', position: 5 });
    });

    it('names a forged, correctly hashed row slipped in (later rows shifted up) as inserted', async () => {
      const { store, events, raw } = await journal();
      await shiftUpFrom(raw, 7);
      const [forged] = sealedAfter({ position: 6, hash: events[5]!.hash }, 1, 'forger');
      await insert(raw, forged!);
      expect(await verdict(store)).toEqual({ fault: 'inserted', position: 7 });
    });

    it('names a forged row slipped in before the first event as inserted', async () => {
      const { store, raw } = await journal();
      await shiftUpFrom(raw, 1);
      const [forged] = sealedAfter({ position: 0, hash: GENESIS_HASH }, 1, 'forger');
      await insert(raw, forged!);
      expect(await verdict(store)).toEqual({ fault: 'inserted', position: 1 });
    });

    it('catches history rewritten with every hash recomputed at the next signed checkpoint', async () => {
      const { store, events, raw } = await journal();
      await rewriteFrom(raw, events, 15, (e) => e);
      expect(await verdict(store)).toEqual({ fault: 'bad signature', position: 21 });
    });

    it('catches a rewrite that also edits the checkpoint to claim the new head', async () => {
      const { store, events, raw } = await journal();
      await rewriteFrom(raw, events, 15, (e, prevHash) =>
        e.position === 21 ? { ...e, payload: { ...e.payload, headHash: prevHash } } : e,
      );
      expect(await verdict(store)).toEqual({ fault: 'bad signature', position: 21 });
    });

    it('catches a rewrite re-signed with a key of the forger, when the node keys are trusted', async () => {
      const { store, events, raw, signer } = await journal();
      const forger = ed25519Signer('node-1');
      await rewriteFrom(raw, events, 15, (e, prevHash) =>
        e.position === 21 ? { ...e, payload: { ...checkpointDraft(20, prevHash, forger).payload } } : e,
      );
      expect(await verdict(store, { trustedKeys: new Set([signer.publicKey]) })).toEqual({ fault: 'bad signature', position: 21 });
      // Without a list of trusted keys any valid signature passes: the operator must pin the node keys.
      expect(await verdict(store)).toBe('ok');
    });
  });
}

async function swap(raw: RawJournal, a: number, b: number): Promise<void> {
  await raw.run('UPDATE events SET position = -1 WHERE position = ?', a);
  await raw.run('UPDATE events SET position = ? WHERE position = ?', a, b);
  await raw.run('UPDATE events SET position = ? WHERE position = -1', b);
}

/** position + 1 for every row from `from` on, in two steps so the primary key never collides. */
async function shiftUpFrom(raw: RawJournal, from: number): Promise<void> {
  await raw.run('UPDATE events SET position = -(position + 1) WHERE position >= ?', from);
  await raw.run('UPDATE events SET position = -position WHERE position < 0');
}

async function insert(raw: RawJournal, e: JournalEvent): Promise<void> {
  await raw.run(
    'INSERT INTO events (position, stream, stream_version, type, payload, actor, party, visibility, recorded_at, idempotency_key, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    e.position,
    e.stream,
    e.streamVersion,
    e.type,
    JSON.stringify(e.payload),
    e.actor,
    e.party,
    JSON.stringify(e.visibility),
    e.recordedAt,
    e.idempotencyKey,
    e.prevHash,
    e.hash,
  );
}

/** Alters the event at `from`, then reseals it and every later event so the chain links again. */
async function rewriteFrom(
  raw: RawJournal,
  events: JournalEvent[],
  from: number,
  edit: (e: JournalEvent, prevHash: string) => JournalEvent,
): Promise<void> {
  let prevHash = events[from - 2]!.hash;
  for (const original of events.slice(from - 1)) {
    let changed = edit(original, prevHash);
    if (original.position === from) changed = { ...changed, payload: { ...changed.payload, count: 1500 } };
    const resealed = seal({ ...changed, prevHash });
    await raw.run(
      'UPDATE events SET payload = ?, prev_hash = ?, hash = ? WHERE position = ?',
      JSON.stringify(resealed.payload),
      resealed.prevHash,
      resealed.hash,
      resealed.position,
    );
    prevHash = resealed.hash;
  }
}

defineTamperTests(sqliteFactory());
const pg = process.env.ENTENTE_TEST_PG;
if (pg) defineTamperTests(postgresFactory(pg));
else describe.skip('tampering with a PostgreSQL journal (set ENTENTE_TEST_PG to run)', () => it('skipped', () => undefined));
