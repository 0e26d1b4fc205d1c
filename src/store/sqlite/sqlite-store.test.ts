import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../core/journal/verify';
import { StoreError } from '../contract';
import { ChainWriter, collect, defineStoreContract, postgresFactory, sqliteFactory } from '../contract.suite';
import { openSqliteStore, SQLITE_SCHEMA_VERSION } from './sqlite-store';

const sqlite = sqliteFactory();
const pg = process.env.ENTENTE_TEST_PG;
defineStoreContract('SqliteStore', sqlite.makeStore, sqlite.cleanup, { openTwin: sqlite.openTwin, peers: pg ? [postgresFactory(pg)] : [] });

describe('SqliteStore — on disk', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'entente-sqlite-disk-'));
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('creates <dataDir>/journal.db in WAL mode with synchronous=FULL and no index on events', async () => {
    const dir = join(root, 'nested', 'data');
    const store = await openSqliteStore(dir);
    await new ChainWriter('a').append(store, 1);
    expect(existsSync(join(dir, 'journal.db'))).toBe(true);
    const db = new Database(join(dir, 'journal.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").all();
      expect(indexes).toEqual([]);
      expect(db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({
        value: String(SQLITE_SCHEMA_VERSION),
      });
    } finally {
      db.close();
      await store.close();
    }
    // synchronous is per connection: check the store's own.
    const again = await openSqliteStore(dir);
    const own = (again as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await again.close();
  });

  it('refuses a journal whose schema is newer than this code, with a clear message', async () => {
    const dir = join(root, 'newer');
    const store = await openSqliteStore(dir);
    await store.close();
    const db = new Database(join(dir, 'journal.db'));
    db.prepare("UPDATE meta SET value = '999' WHERE key = 'schema_version'").run();
    db.close();
    const error = await openSqliteStore(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/schema version 999, newer than this Entente understands/);
  });

  it('refuses a file that is not a SQLite database', async () => {
    const dir = join(root, 'garbage');
    await openSqliteStore(dir).then((s) => s.close());
    rmSync(join(dir, 'journal.db'));
    writeFileSync(join(dir, 'journal.db'), 'this is not a database, just some text that is long enough to matter '.repeat(20));
    const error = await openSqliteStore(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/journal\.db.*not a database/);
  });

  it('serialises appends from two processes (BEGIN IMMEDIATE, busy timeout) into one valid chain', async () => {
    const dir = join(root, 'two-processes');
    const store = await openSqliteStore(dir);
    const rounds = 60;
    // The other process runs the same writer against the same directory.
    const script = join(root, 'writer.mts');
    writeFileSync(
      script,
      `import { openSqliteStore } from ${JSON.stringify(pathToFileURL(resolve('src/store/sqlite/sqlite-store.ts')).href)};
       import { ChainWriter } from ${JSON.stringify(pathToFileURL(resolve('src/store/contract.suite.ts')).href)};
       const store = await openSqliteStore(${JSON.stringify(dir)});
       const writer = new ChainWriter('child');
       let missed = 0;
       for (let i = 0; i < ${rounds}; i++) missed += (await writer.append(store, 1 + (i % 4))).missed.length;
       await store.close();
       console.log(JSON.stringify({ missed }));`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', done));

    const writer = new ChainWriter('parent');
    let missed = 0;
    // Start once the child has begun writing, so that the two really overlap.
    while ((await store.head()).position === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < rounds; i++) {
      missed += (await writer.append(store, 1 + (i % 4))).missed.length;
      await new Promise((r) => setImmediate(r));
    }
    expect(await exited, stderr).toBe(0);
    const childMissed = (JSON.parse(stdout.trim().split('\n').pop()!) as { missed: number }).missed;
    expect(missed + childMissed).toBeGreaterThan(0);

    const events = await collect(store.iterate());
    const perWriter = rounds * 2.5; // 1+2+3+4 per four rounds
    expect(await verifyChain(events)).toMatchObject({ ok: true, count: perWriter * 2 });
    expect(events.filter((e) => e.stream === 'test/parent')).toHaveLength(perWriter);
    expect(events.filter((e) => e.stream === 'test/child')).toHaveLength(perWriter);
    await store.close();
  });
});
