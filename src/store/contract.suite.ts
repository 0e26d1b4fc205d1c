import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recomputeHash, seal } from '../core/journal/chain';
import { GENESIS_HASH, type JournalEvent } from '../core/journal/envelope';
import { verifyChain } from '../core/journal/verify';
import { type AppendOutcome, type JournalStore, StoreError } from './contract';
import { openPostgresStore, PostgresStore } from './postgres/postgres-store';
import { openSqliteStore, SqliteStore } from './sqlite/sqlite-store';

/**
 * The one contract every journal store passes, run unchanged against SQLite and PostgreSQL (after
 * hono's router/common.case.test.ts). A test file calls `defineStoreContract` with a factory of fresh,
 * empty stores; `openTwin` opens a second handle on the same database, as another process or node would.
 * `peers` are other kinds of store: backups must restore across kinds.
 */
export interface StoreFactory {
  readonly name: string;
  /** A new, empty, migrated store with a database of its own. */
  makeStore(): Promise<JournalStore>;
  /** Another handle on the database behind `store`. */
  openTwin(store: JournalStore): Promise<JournalStore>;
  /** Removes everything the factory created (directories, schemas). */
  cleanup(): Promise<void>;
}

export function defineStoreContract(
  name: string,
  makeStore: StoreFactory['makeStore'],
  cleanup: StoreFactory['cleanup'],
  options: { readonly openTwin: StoreFactory['openTwin']; readonly peers?: readonly StoreFactory[] },
): void {
  describe(`${name} — journal store contract`, () => {
    const opened: JournalStore[] = [];
    let files = '';
    const open = async (): Promise<JournalStore> => track(await makeStore());
    const twinOf = async (store: JournalStore): Promise<JournalStore> => track(await options.openTwin(store));
    function track(store: JournalStore): JournalStore {
      opened.push(store);
      return store;
    }

    // Made in beforeAll, not at collection: a run filtered to other tests must leave nothing behind.
    beforeAll(() => {
      files = mkdtempSync(join(tmpdir(), 'entente-contract-'));
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });
    afterAll(async () => {
      if (files) rmSync(files, { recursive: true, force: true });
      await cleanup();
      for (const peer of options.peers ?? []) await peer.cleanup();
    });

    describe('appending and reading', () => {
      it('starts empty, at the genesis hash', async () => {
        const store = await open();
        expect(await store.head()).toEqual({ position: 0, hash: GENESIS_HASH });
        expect(await store.read(0, 10)).toEqual([]);
        expect(await collect(store.iterate())).toEqual([]);
        expect(await store.latestSnapshot()).toBeNull();
        expect(store.description).not.toBe('');
      });

      it('stores exactly the events build returned; read and iterate give them back identical, hashes recompute', async () => {
        const store = await open();
        const writer = new ChainWriter('a');
        const first = await writer.append(store, 7);
        expect(first.missed).toEqual([]);
        expect(first.result).toBe('a wrote 7');
        const second = await writer.append(store, 5);
        const written = [...first.written, ...second.written];
        expect(written.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

        const read = await store.read(0, 100);
        expect(read).toEqual(written);
        for (const event of read) expect(recomputeHash(event)).toBe(event.hash);
        expect(await collect(store.iterate())).toEqual(written);
        expect(await store.read(3, 2)).toEqual(written.slice(3, 5));
        expect(await store.read(12, 10)).toEqual([]);
        expect(await store.head()).toEqual({ position: 12, hash: written[11]!.hash });
        expect(await verifyChain(store.iterate())).toMatchObject({ ok: true, count: 12 });
      });

      it('keeps awkward JSON values exactly: numbers, unicode, separators, nulls, empty containers', async () => {
        const store = await open();
        const payload = {
          numbers: [0, -1, 0.1, 1e21, 1e-7, 1.5e300, -273.15, Number.MAX_SAFE_INTEGER, 5e-324],
          text: 'Київ — “quoted” \\ back\nslash\ttab \u2028\u2029 \u0000 🕊️ \ud800',
          nested: { z: { y: [true, false, null, {}, []] }, a: '' },
          '': 'empty key',
          'key with "quotes"': 1,
        };
        const event = seal({
          position: 1,
          stream: 'case/x-1',
          streamVersion: 1,
          type: 'case.opened',
          payload,
          actor: 'user:мирослава',
          party: null,
          visibility: ['public', 'party:ua'],
          recordedAt: '2026-02-24T04:00:00.000Z',
          idempotencyKey: null,
          prevHash: GENESIS_HASH,
        });
        await store.append(0, () => ({ events: [event], result: null }));
        const [back] = await store.read(0, 1);
        expect(back).toEqual(event);
        expect(recomputeHash(back!)).toBe(event.hash);
      });

      it('hands build the events another handle appended since knownHead, and links after them', async () => {
        const store = await open();
        const twin = await twinOf(store);
        const a = new ChainWriter('a');
        const b = new ChainWriter('b');
        const byA = await a.append(store, 3);
        const byB = await b.append(twin, 2); // b still believes the journal is empty
        expect(byB.missed).toEqual(byA.written);
        expect(byB.written[0]).toMatchObject({ position: 4, prevHash: byA.written[2]!.hash });
        const again = await a.append(store, 1);
        expect(again.missed).toEqual(byB.written);
        expect(await verifyChain(twin.iterate())).toMatchObject({ ok: true, count: 6 });
      });

      it('writes nothing when build throws, passes the error on unchanged, and releases the lock', async () => {
        const store = await open();
        const twin = await twinOf(store);
        const writer = new ChainWriter('a');
        await writer.append(store, 2);
        const boom = new Error('the command was refused');
        await expect(
          store.append(2, (missed) => {
            expect(missed).toEqual([]);
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await store.head()).toEqual(writer.head);
        // The lock is free again, for this handle and for the other.
        await writer.append(twin, 1);
        await writer.append(store, 1);
        expect((await store.head()).position).toBe(4);
      });

      it('refuses a plan that does not continue the chain, writing nothing', async () => {
        const store = await open();
        const writer = new ChainWriter('a');
        await writer.append(store, 3);
        const gap = sealedAfter({ position: 4, hash: writer.head.hash }, 1, 'a'); // skips position 4
        expect(await failure(store.append(3, () => ({ events: gap, result: null })))).toMatch(/position 5 does not follow position 3/);
        const badLink = sealedAfter({ position: 3, hash: GENESIS_HASH }, 1, 'a');
        expect(await failure(store.append(3, () => ({ events: badLink, result: null })))).toMatch(/does not link/);
        expect(await failure(store.append(9, () => ({ events: [], result: null })))).toMatch(/knownHead 9 is beyond the journal head 3/);
        expect(await failure(store.append(1.5, () => ({ events: [], result: null })))).toMatch(/knownHead 1.5 is not a position/);
        expect(await store.head()).toEqual(writer.head);
      });

      it('serialises concurrent appends from two handles into one valid chain', async () => {
        const store = await open();
        const twin = await twinOf(store);
        const a = new ChainWriter('a');
        const b = new ChainWriter('b');
        let sawMissed = 0;
        const run = async (writer: ChainWriter, handle: JournalStore): Promise<number> => {
          let total = 0;
          for (let i = 0; i < 20; i++) {
            const outcome = await writer.append(handle, 1 + (i % 3));
            if (outcome.missed.length > 0) sawMissed++;
            total += outcome.written.length;
          }
          return total;
        };
        const [byA, byB] = await Promise.all([run(a, store), run(b, twin)]);
        expect(sawMissed).toBeGreaterThan(0); // the writers really did interleave
        const events = await collect(store.iterate());
        expect(await verifyChain(events)).toMatchObject({ ok: true, count: byA + byB });
        expect(events.filter((e) => e.stream === 'test/a')).toHaveLength(byA);
        expect(events.filter((e) => e.stream === 'test/b')).toHaveLength(byB);
      });

      it('iterates in pages, lazily: events appended while iterating are still reached', async () => {
        const store = await open();
        const writer = new ChainWriter('a');
        await writer.append(store, 25);
        const seen: number[] = [];
        for await (const event of store.iterate(0, 10)) {
          seen.push(event.position);
          // A store that loaded the whole journal up front would never see these.
          if (event.position === 1) await writer.append(store, 5);
        }
        expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        expect((await collect(store.iterate(26, 3))).map((e) => e.position)).toEqual([27, 28, 29, 30]);
      });

      it('migrates idempotently and refuses use after close', async () => {
        const store = await open();
        const writer = new ChainWriter('a');
        await writer.append(store, 2);
        await store.migrate();
        await store.migrate();
        const twin = await twinOf(store); // migrates again on open
        expect(await twin.head()).toEqual(writer.head);
        await twin.close();
        expect(await failure(twin.head())).toMatch(/closed/);
      });
    });

    describe('snapshots and secrets', () => {
      it('returns the latest snapshot by position, bytes intact', async () => {
        const store = await open();
        await store.saveSnapshot(5, bytes(5, 40));
        await store.saveSnapshot(10, bytes(10, 3000));
        await store.saveSnapshot(7, bytes(7, 10));
        expect(await store.latestSnapshot()).toEqual({ position: 10, data: bytes(10, 3000) });
        await store.saveSnapshot(10, new Uint8Array(0)); // the same position again replaces it
        expect(await store.latestSnapshot()).toEqual({ position: 10, data: new Uint8Array(0) });
        for (let p = 11; p <= 20; p++) await store.saveSnapshot(p, bytes(p, 8));
        expect(await store.latestSnapshot()).toEqual({ position: 20, data: bytes(20, 8) });
      });

      it('puts, gets, replaces and deletes secrets; expired ones read as absent', async () => {
        const store = await open();
        const now = Date.now();
        expect(await store.getSecret('credential', 'ada')).toBeNull();
        await store.putSecret('credential', 'ada', 'hash-1');
        await store.putSecret('session', 'ada', 'not the credential', now + 60_000);
        expect(await store.getSecret('credential', 'ada')).toEqual({ value: 'hash-1', expiresAt: null });
        expect(await store.getSecret('session', 'ada')).toEqual({ value: 'not the credential', expiresAt: now + 60_000 });
        await store.putSecret('credential', 'ada', 'hash-2');
        expect(await store.getSecret('credential', 'ada')).toEqual({ value: 'hash-2', expiresAt: null });
        await store.putSecret('session', 'old', 'x', now - 1);
        expect(await store.getSecret('session', 'old')).toBeNull();
        await store.deleteSecret('credential', 'ada');
        await store.deleteSecret('credential', 'nobody'); // deleting what is absent is no error
        expect(await store.getSecret('credential', 'ada')).toBeNull();
        expect(await store.getSecret('session', 'ada')).not.toBeNull();
      });

      it('lets a secret expire while stored', async () => {
        const store = await open();
        await store.putSecret('session', 's', 'v', Date.now() + 800);
        expect(await store.getSecret('session', 's')).not.toBeNull();
        await sleep(900);
        expect(await store.getSecret('session', 's')).toBeNull();
      });
    });

    describe('watch', () => {
      it("fires soon after another handle's append, and stops when unsubscribed", async () => {
        const store = await open();
        const twin = await twinOf(store);
        const writer = new ChainWriter('b');
        let fired = 0;
        const stop = store.watch(() => fired++);
        await sleep(500); // let the watcher settle (a listening connection may wake it once)
        fired = 0;
        await writer.append(twin, 1);
        await waitFor(() => fired > 0, 3000, 'the watcher did not fire after another handle appended');
        stop();
        await sleep(50);
        fired = 0;
        await writer.append(twin, 1);
        await sleep(700);
        expect(fired).toBe(0);
      });

      it("fires after the handle's own append", async () => {
        const store = await open();
        let fired = 0;
        const stop = store.watch(() => fired++);
        await sleep(300);
        fired = 0;
        await new ChainWriter('a').append(store, 1);
        await waitFor(() => fired > 0, 3000, 'the watcher did not fire after an append on the same handle');
        stop();
      });
    });

    describe('backup and restore', () => {
      it('backs up consistently while another handle appends; the file restores with the same head', async () => {
        const store = await open();
        const twin = await twinOf(store);
        const writer = new ChainWriter('a');
        for (let i = 0; i < 10; i++) await writer.append(store, 250); // several backup pages
        await store.putSecret('credential', 'ada', 'argon2id$…');
        await store.putSecret('session', 'gone', 'x', Date.now() - 1);
        await store.saveSnapshot(2000, bytes(1, 5000));
        const other = new ChainWriter('b');
        const appending = (async () => {
          for (let i = 0; i < 40; i++) await other.append(twin, 5);
        })();
        const file = join(files, `while-appending-${name}.backup`);
        const { events } = await store.backup(file);
        await appending;
        expect(events).toBeGreaterThanOrEqual(2500);
        expect((await store.head()).position).toBeGreaterThan(events); // appends went on during the backup

        const restored = await open();
        expect(await restored.restore(file)).toEqual({ events });
        await expectSameJournal(restored, store, events);
        expect(await restored.getSecret('credential', 'ada')).toEqual({ value: 'argon2id$…', expiresAt: null });
        expect(await restored.getSecret('session', 'gone')).toBeNull();
        expect(await restored.latestSnapshot()).toEqual({ position: 2000, data: bytes(1, 5000) });
        // The restored store is a working journal: appends continue its chain.
        await new ChainWriter('c', { position: events, hash: (await restored.head()).hash }).append(restored, 3);
        expect(await verifyChain(restored.iterate())).toMatchObject({ ok: true, count: events + 3 });
      });

      for (const peer of options.peers ?? []) {
        it(`restores a ${name} backup into an empty ${peer.name} store with the same head hash`, async () => {
          const store = await open();
          const writer = new ChainWriter('a');
          for (let i = 0; i < 3; i++) await writer.append(store, 400);
          await store.putSecret('token', 't1', 'abc', Date.now() + 3_600_000);
          await store.saveSnapshot(1200, bytes(9, 100));
          const file = join(files, `to-${peer.name}.backup`);
          const { events } = await store.backup(file);

          const target = track(await peer.makeStore());
          expect(target.kind).not.toBe(store.kind);
          expect(await target.restore(file)).toEqual({ events: 1200 });
          await expectSameJournal(target, store, events);
          expect(await target.getSecret('token', 't1')).toMatchObject({ value: 'abc' });
          expect(await target.latestSnapshot()).toEqual({ position: 1200, data: bytes(9, 100) });

          // And back again: the other kind's backup restores here.
          const back = join(files, `from-${peer.name}.backup`);
          expect(await target.backup(back)).toEqual({ events: 1200 });
          const roundTrip = await open();
          expect(await roundTrip.restore(back)).toEqual({ events: 1200 });
          await expectSameJournal(roundTrip, store, events);
        });
      }

      it('refuses to restore into a store that is not empty', async () => {
        const source = await open();
        await new ChainWriter('a').append(source, 10);
        const file = join(files, `nonempty-${name}.backup`);
        await source.backup(file);
        const target = await open();
        await new ChainWriter('t').append(target, 2);
        const before = await target.head();
        const error = await rejection(target.restore(file));
        expect(error).toBeInstanceOf(StoreError);
        expect(error.message).toMatch(/restore refused: .* is not empty \(2 events/);
        expect(await target.head()).toEqual(before);
      });

      it('refuses a tampered backup and leaves the store empty (nothing half-restored)', async () => {
        const source = await open();
        await new ChainWriter('a').append(source, 30);
        await source.putSecret('credential', 'ada', 'h');
        const file = join(files, `tampered-${name}.backup`);
        await source.backup(file);

        // Edited as plain JSON lines (restore reads those as well as gzip).
        const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
        const at = lines.findIndex((l) => l.includes('"position":12,'));
        const record = JSON.parse(lines[at]!) as { event: JournalEvent };
        record.event.payload = { ...record.event.payload, count: 999 };
        lines[at] = JSON.stringify(record);
        const tampered = join(files, `tampered-${name}.jsonl`);
        writeFileSync(tampered, lines.join('\n'));

        const target = await open();
        const error = await rejection(target.restore(tampered));
        expect(error).toBeInstanceOf(StoreError);
        expect(error.message).toMatch(/does not verify: altered at position 12/);
        expect(await target.head()).toEqual({ position: 0, hash: GENESIS_HASH });
        expect(await target.getSecret('credential', 'ada')).toBeNull();

        // Unaltered, the same lines restore.
        writeFileSync(tampered, gunzipSync(readFileSync(file)));
        expect(await target.restore(tampered)).toEqual({ events: 30 });
      });

      it('refuses a truncated backup and a file that is not a backup', async () => {
        const source = await open();
        await new ChainWriter('a').append(source, 20);
        const file = join(files, `truncated-${name}.backup`);
        await source.backup(file);
        const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
        const cut = join(files, `truncated-${name}.jsonl`);
        writeFileSync(cut, lines.slice(0, 16).join('\n') + '\n'); // header and 15 events, a chain that verifies
        const target = await open();
        expect((await rejection(target.restore(cut))).message).toMatch(
          /is truncated: its header states head 20, the file ends at position 15/,
        );
        writeFileSync(cut, lines.slice(0, -1).join('\n') + '\n'); // everything but the end line
        expect((await rejection(target.restore(cut))).message).toMatch(/truncated: it has no end line/);
        const gzip = readFileSync(file);
        writeFileSync(cut, gzip.subarray(0, Math.floor(gzip.length / 2))); // a copy cut short
        expect((await rejection(target.restore(cut))).message).toMatch(/is damaged or unreadable: unexpected end of file/);
        const flipped = Buffer.from(gzip);
        flipped[Math.floor(gzip.length / 2)]! ^= 0xff; // one bad byte
        writeFileSync(cut, flipped);
        // Where the flip lands decides which check fires first (inflate, JSON, record schema, chain, CRC).
        expect((await rejection(target.restore(cut))).message).toMatch(/restore refused: .*(damaged|malformed|does not verify)/);
        writeFileSync(cut, '{"hello":"world"}\n');
        expect((await rejection(target.restore(cut))).message).toMatch(/is not an Entente backup/);
        expect((await rejection(target.restore(join(files, 'absent.backup')))).message).toMatch(/cannot read|ENOENT/);
        expect(await target.head()).toEqual({ position: 0, hash: GENESIS_HASH });
      });
    });
  });
}

// ---- factories for the two kinds of store

export function sqliteFactory(): StoreFactory {
  let root: string | null = null;
  let n = 0;
  return {
    name: 'SQLite',
    makeStore: () => {
      root ??= mkdtempSync(join(tmpdir(), 'entente-sqlite-'));
      return openSqliteStore(join(root, `store-${++n}`));
    },
    openTwin: (store) => {
      if (!(store instanceof SqliteStore)) throw new Error('openTwin: not a SqliteStore');
      return openSqliteStore(dirname(store.file));
    },
    cleanup: async () => {
      if (root) rmSync(root, { recursive: true, force: true });
      root = null;
    },
  };
}

/** A schema per store, dropped at cleanup, so test files and tests never see each other's journals. */
export function postgresFactory(url: string): StoreFactory {
  const schemas: string[] = [];
  const prefix = `t_${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  return {
    name: 'PostgreSQL',
    makeStore: () => {
      const schema = `${prefix}_${schemas.length + 1}`;
      schemas.push(schema);
      return openPostgresStore(url, { schema });
    },
    openTwin: (store) => {
      if (!(store instanceof PostgresStore)) throw new Error('openTwin: not a PostgresStore');
      return openPostgresStore(url, { schema: store.schema });
    },
    cleanup: async () => {
      if (schemas.length === 0) return;
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

// ---- building valid chains

/**
 * A writer as the runtime is one: it remembers the head it last saw, and inside the store's lock folds
 * in what it missed before sealing its own events on top.
 */
export class ChainWriter {
  private version = 0;
  constructor(
    readonly label: string,
    public head: { position: number; hash: string } = { position: 0, hash: GENESIS_HASH },
  ) {}

  async append(store: JournalStore, count: number): Promise<AppendOutcome<string>> {
    const outcome = await store.append(this.head.position, (missed) => {
      const last = missed[missed.length - 1];
      const base = last ? { position: last.position, hash: last.hash } : this.head;
      const events = sealedAfter(base, count, this.label, this.version);
      return { events, result: `${this.label} wrote ${count}` };
    });
    this.version += outcome.written.length;
    const tail = outcome.written[outcome.written.length - 1] ?? outcome.missed[outcome.missed.length - 1];
    if (tail) this.head = { position: tail.position, hash: tail.hash };
    return outcome;
  }
}

/** `count` sealed events continuing the chain after `base`, with payloads of ~400 bytes. */
export function sealedAfter(base: { position: number; hash: string }, count: number, label: string, versionBefore = 0): JournalEvent[] {
  const events: JournalEvent[] = [];
  let prevHash = base.hash;
  for (let i = 1; i <= count; i++) {
    const position = base.position + i;
    const event = seal({
      position,
      stream: `test/${label}`,
      streamVersion: versionBefore + i,
      type: 'test.recorded',
      payload: {
        count: position,
        note: `report ${position} from ${label}: shelling reported near the line of contact, Київ — “quoted”`,
        location: { type: 'Point', coordinates: [36.2304 + position / 1e5, 49.9935] },
        observed: { at: '2026-03-01T08:15:00+02:00', zone: 'Europe/Kyiv' },
        tags: ['ceasefire', 'verification', position % 2 === 0 ? 'even' : 'odd'],
        ratio: position / 7,
      },
      actor: `user:${label}`,
      party: position % 3 === 0 ? null : 'ua',
      visibility: position % 2 === 0 ? ['process'] : ['mediator', 'party:ua'],
      recordedAt: new Date(Date.UTC(2026, 2, 1, 8, 0, 0, position)).toISOString(),
      idempotencyKey: position % 4 === 0 ? `key-${label}-${position}` : null,
      prevHash,
    });
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

// ---- small helpers

async function expectSameJournal(restored: JournalStore, original: JournalStore, events: number): Promise<void> {
  const [last] = await original.read(events - 1, 1);
  expect(await restored.head()).toEqual({ position: events, hash: last!.hash });
  expect(await collect(restored.iterate())).toEqual(await original.read(0, events));
  expect(await verifyChain(restored.iterate())).toMatchObject({ ok: true, count: events, head: last!.hash });
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function bytes(seed: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) % 256);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-error: ${String(error)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(StoreError);
  return error.message;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(message);
    await sleep(20);
  }
}
