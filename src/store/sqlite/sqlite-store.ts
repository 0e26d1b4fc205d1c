import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { GENESIS_HASH, type JournalEvent } from '../../core/journal/envelope';
import { assertKnownHead, assertPlanContinues } from '../append-guard';
import { messageOf, readBackup, type SecretRow, writeBackup } from '../backup';
import { type AppendOutcome, type AppendPlan, type JournalStore, type SecretRecord, StoreError } from '../contract';
import { iteratePages } from '../pages';

type Db = Database.Database;

/** Waits this long for another process's write transaction before giving up with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;
/** How often watch() looks for appends made by other processes. */
const WATCH_INTERVAL_MS = 200;
/** Snapshots kept: the latest is all a restart needs; two more survive a snapshot written badly. */
const SNAPSHOTS_KEPT = 3;
const DEFAULT_PAGE = 1000;

/**
 * Ordered, append-only: a migration once released is never edited, a change is a new entry. All pending
 * ones run in one transaction, so a store is never left half-upgraded.
 * The events table has no secondary index on purpose: the stream index and the idempotency map live in
 * the memory image, and every extra index turns each sequential append into random writes.
 */
const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        position INTEGER PRIMARY KEY,
        stream TEXT NOT NULL,
        stream_version INTEGER NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        actor TEXT NOT NULL,
        party TEXT,
        visibility TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        idempotency_key TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE TABLE snapshots (position INTEGER PRIMARY KEY, data BLOB NOT NULL, saved_at TEXT NOT NULL) STRICT;
      CREATE TABLE secrets (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (kind, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX secrets_expiry ON secrets (expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
];
export const SQLITE_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

interface EventRow {
  position: number;
  stream: string;
  stream_version: number;
  type: string;
  payload: string;
  actor: string;
  party: string | null;
  visibility: string;
  recorded_at: string;
  idempotency_key: string | null;
  prev_hash: string;
  hash: string;
}

type EventParams = [number, string, number, string, string, string, string | null, string, string, string | null, string, string];

const EVENT_COLUMNS =
  'position, stream, stream_version, type, payload, actor, party, visibility, recorded_at, idempotency_key, prev_hash, hash';
const INSERT_EVENT = `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The embedded journal store: one SQLite file in the data directory, WAL, fsync on every commit.
 * better-sqlite3 is synchronous, so each append (lock, read missed, build, insert, commit) runs without
 * yielding; concurrency only arises between processes, where BEGIN IMMEDIATE serialises writers.
 */
export class SqliteStore implements JournalStore {
  readonly kind = 'sqlite' as const;
  readonly description: string;
  private readonly listeners = new Set<() => void>();
  private watchTimer: NodeJS.Timeout | null = null;
  private seenHead = 0;
  private closed = false;
  private statements: Statements | null = null;

  private constructor(
    private readonly db: Db,
    /** The journal file, `<dataDir>/journal.db`. */
    readonly file: string,
  ) {
    this.description = `sqlite:${file}`;
  }

  static open(dataDir: string): SqliteStore {
    const dir = resolve(dataDir);
    const file = join(dir, 'journal.db');
    let db: Db;
    try {
      mkdirSync(dir, { recursive: true });
      db = new Database(file);
    } catch (error) {
      throw new StoreError(`cannot open the SQLite journal at ${file}: ${messageOf(error)}`, { cause: error });
    }
    try {
      configure(db);
    } catch (error) {
      db.close();
      throw new StoreError(`cannot use the SQLite journal at ${file}: ${messageOf(error)}`, { cause: error });
    }
    return new SqliteStore(db, file);
  }

  async migrate(): Promise<void> {
    this.assertOpen();
    migrateDb(this.db, this.file);
    this.statements ??= prepareStatements(this.db);
  }

  async append<T>(knownHead: number, build: (missed: readonly JournalEvent[]) => AppendPlan<T>): Promise<AppendOutcome<T>> {
    const s = this.ready();
    // The build's own error must reach the caller unchanged; only the store's faults become StoreError.
    let buildFailure: { readonly error: unknown } | null = null;
    let outcome: AppendOutcome<T>;
    try {
      outcome = this.db
        .transaction((): AppendOutcome<T> => {
          const head = s.head.get() ?? { position: 0, hash: GENESIS_HASH };
          assertKnownHead(knownHead, head.position);
          const missed = head.position > knownHead ? s.after.all(knownHead, head.position - knownHead).map(toEvent) : [];
          let plan: AppendPlan<T>;
          try {
            plan = build(missed);
          } catch (error) {
            buildFailure = { error };
            throw error;
          }
          assertPlanContinues(head, plan.events);
          for (const event of plan.events) s.insert.run(...toParams(event));
          return { missed, written: plan.events, result: plan.result };
        })
        .immediate();
    } catch (error) {
      if (buildFailure) throw (buildFailure as { readonly error: unknown }).error;
      throw this.fault('append', error);
    }
    if (outcome.written.length > 0) this.heard(outcome.written[outcome.written.length - 1]!.position);
    return outcome;
  }

  async read(after: number, limit: number): Promise<JournalEvent[]> {
    const s = this.ready();
    if (limit <= 0) return [];
    return this.guard('read', () => s.after.all(after, limit).map(toEvent));
  }

  iterate(after = 0, pageSize = DEFAULT_PAGE): AsyncIterable<JournalEvent> {
    return iteratePages((a, n) => this.read(a, n), after, pageSize);
  }


  async head(): Promise<{ position: number; hash: string }> {
    const s = this.ready();
    return this.guard('head', () => s.head.get() ?? { position: 0, hash: GENESIS_HASH });
  }

  async saveSnapshot(position: number, data: Uint8Array): Promise<void> {
    const s = this.ready();
    this.guard('saveSnapshot', () =>
      this.db.transaction(() => {
        s.putSnapshot.run(position, Buffer.from(data.buffer, data.byteOffset, data.byteLength), new Date().toISOString());
        s.pruneSnapshots.run(SNAPSHOTS_KEPT);
      })(),
    );
  }

  async latestSnapshot(): Promise<{ position: number; data: Uint8Array } | null> {
    const s = this.ready();
    const row = this.guard('latestSnapshot', () => s.latestSnapshot.get(Number.MAX_SAFE_INTEGER));
    return row ? { position: row.position, data: new Uint8Array(row.data) } : null;
  }

  async getSecret(kind: string, key: string): Promise<SecretRecord | null> {
    const s = this.ready();
    const row = this.guard('getSecret', () => s.getSecret.get(kind, key, Date.now()));
    return row ? { value: row.value, expiresAt: row.expires_at } : null;
  }

  async putSecret(kind: string, key: string, value: string, expiresAt: number | null = null): Promise<void> {
    const s = this.ready();
    this.guard('putSecret', () =>
      this.db.transaction(() => {
        s.purgeSecrets.run(Date.now());
        s.putSecret.run(kind, key, value, expiresAt);
      })(),
    );
  }

  async deleteSecret(kind: string, key: string): Promise<void> {
    const s = this.ready();
    this.guard('deleteSecret', () => s.deleteSecret.run(kind, key));
  }

  watch(listener: () => void): () => void {
    const s = this.ready();
    this.listeners.add(listener);
    if (this.watchTimer === null) {
      this.seenHead = s.maxPosition.get()?.position ?? 0;
      this.watchTimer = setInterval(() => this.poll(), WATCH_INTERVAL_MS);
      // A watcher must never keep a CLI command or a test process alive.
      this.watchTimer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.watchTimer !== null) {
        clearInterval(this.watchTimer);
        this.watchTimer = null;
      }
    };
  }

  async backup(file: string): Promise<{ events: number }> {
    const s = this.ready();
    // Head, snapshot and secrets from one read transaction: one instant. Events up to that head are then
    // read page by page while writers go on; the journal is append-only, so that prefix cannot change.
    const instant = this.guard('backup', () =>
      this.db.transaction(() => {
        const head = s.head.get() ?? { position: 0, hash: GENESIS_HASH };
        const snapshot = s.latestSnapshot.get(head.position);
        const secrets = s.liveSecrets
          .all(Date.now())
          .map((r): SecretRow => ({ kind: r.kind, key: r.key, value: r.value, expiresAt: r.expires_at }));
        return { head, snapshot: snapshot ? { position: snapshot.position, data: new Uint8Array(snapshot.data) } : null, secrets };
      })(),
    );
    return writeBackup(file, { kind: this.kind, ...instant, read: (after, limit) => this.read(after, limit) });
  }

  async restore(file: string): Promise<{ events: number }> {
    this.ready();
    // A connection of its own: the restore reads the file asynchronously inside one write transaction,
    // which must not capture this handle's statements in the meantime.
    const conn = this.guard('restore', () => new Database(this.file));
    try {
      configure(conn);
      conn.exec('BEGIN IMMEDIATE');
      const count = (table: string): number => conn.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
      const present = { events: count('events'), snapshots: count('snapshots'), secrets: count('secrets') };
      if (present.events + present.snapshots + present.secrets > 0) {
        throw new StoreError(
          `restore refused: the store at ${this.file} is not empty (${present.events} events, ${present.snapshots} snapshots, ${present.secrets} secrets); restore into a new data directory`,
        );
      }
      const insertEvent = conn.prepare<EventParams>(INSERT_EVENT);
      const insertSnapshot = conn.prepare<[number, Buffer, string]>('INSERT INTO snapshots (position, data, saved_at) VALUES (?, ?, ?)');
      const insertSecret = conn.prepare<[string, string, string, number | null]>(
        'INSERT INTO secrets (kind, key, value, expires_at) VALUES (?, ?, ?, ?)',
      );
      const { events } = await readBackup(file, {
        event: (event) => void insertEvent.run(...toParams(event)),
        snapshot: (position, data) => void insertSnapshot.run(position, Buffer.from(data), new Date().toISOString()),
        secret: (secret) => void insertSecret.run(secret.kind, secret.key, secret.value, secret.expiresAt),
      });
      conn.exec('COMMIT');
      if (events > 0) this.heard(events);
      return { events };
    } catch (error) {
      if (conn.inTransaction) conn.exec('ROLLBACK');
      if (error instanceof StoreError) throw error;
      throw new StoreError(`restore into ${this.file} failed: ${messageOf(error)}`, { cause: error });
    } finally {
      conn.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.watchTimer !== null) clearInterval(this.watchTimer);
    this.watchTimer = null;
    this.listeners.clear();
    this.db.close();
  }

  private poll(): void {
    if (this.closed || !this.statements) return;
    try {
      const position = this.statements.maxPosition.get()?.position ?? 0;
      if (position !== this.seenHead) this.heard(position);
    } catch {
      // A busy or briefly locked file: the next tick tries again, and callers poll as well.
    }
  }

  /** Records the head as seen and tells the watchers; fired at once after our own appends. */
  private heard(position: number): void {
    this.seenHead = position;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        process.emitWarning(`a journal watcher threw: ${messageOf(error)}`);
      }
    }
  }

  private ready(): Statements {
    this.assertOpen();
    if (!this.statements) throw new StoreError(`the SQLite journal at ${this.file} is not migrated: call migrate() first`);
    return this.statements;
  }

  /** SQLite's own failures (busy past the timeout, disk full, a damaged file) become StoreError. */
  private guard<R>(what: string, work: () => R): R {
    try {
      return work();
    } catch (error) {
      throw this.fault(what, error);
    }
  }

  private fault(what: string, error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    return new StoreError(`SQLite ${what} failed on ${this.file}: ${messageOf(error)}`, { cause: error });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError(`the SQLite journal at ${this.file} is closed`);
  }
}

/** Opens (creating if needed) `<dataDir>/journal.db` and brings its schema up to date. */
export async function openSqliteStore(dataDir: string): Promise<SqliteStore> {
  const store = SqliteStore.open(dataDir);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Prepared once per handle: the hot path (append, read) never re-parses SQL. */
function prepareStatements(db: Db) {
  return {
    head: db.prepare<[], { position: number; hash: string }>('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1'),
    maxPosition: db.prepare<[], { position: number }>('SELECT max(position) AS position FROM events'),
    after: db.prepare<[number, number], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`),
    insert: db.prepare<EventParams>(INSERT_EVENT),
    putSnapshot: db.prepare<[number, Buffer, string]>(
      'INSERT INTO snapshots (position, data, saved_at) VALUES (?, ?, ?) ON CONFLICT (position) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at',
    ),
    pruneSnapshots: db.prepare<[number]>(
      'DELETE FROM snapshots WHERE position NOT IN (SELECT position FROM snapshots ORDER BY position DESC LIMIT ?)',
    ),
    latestSnapshot: db.prepare<[number], { position: number; data: Buffer }>(
      'SELECT position, data FROM snapshots WHERE position <= ? ORDER BY position DESC LIMIT 1',
    ),
    getSecret: db.prepare<[string, string, number], { value: string; expires_at: number | null }>(
      'SELECT value, expires_at FROM secrets WHERE kind = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)',
    ),
    liveSecrets: db.prepare<[number], { kind: string; key: string; value: string; expires_at: number | null }>(
      'SELECT kind, key, value, expires_at FROM secrets WHERE expires_at IS NULL OR expires_at > ? ORDER BY kind, key',
    ),
    putSecret: db.prepare<[string, string, string, number | null]>(
      'INSERT INTO secrets (kind, key, value, expires_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
    ),
    purgeSecrets: db.prepare<[number]>('DELETE FROM secrets WHERE expires_at IS NOT NULL AND expires_at <= ?'),
    deleteSecret: db.prepare<[string, string]>('DELETE FROM secrets WHERE kind = ? AND key = ?'),
  };
}
type Statements = ReturnType<typeof prepareStatements>;

function configure(db: Db): void {
  // busy_timeout first: switching to WAL itself needs a lock another process may hold.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`the file system does not support WAL mode (journal_mode is ${String(mode)})`);
  // FULL: a commit is on disk before the caller hears "accepted" (NORMAL may lose the last commits on power loss).
  db.pragma('synchronous = FULL');
}

function migrateDb(db: Db, file: string): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT');
    const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'schema_version'").get();
    const current = row ? Number(row.value) : 0;
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new StoreError(
        `the SQLite journal at ${file} has schema version ${current}, newer than this Entente understands (${SQLITE_SCHEMA_VERSION}): upgrade Entente`,
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version > current) db.exec(migration.sql);
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      String(SQLITE_SCHEMA_VERSION),
    );
  }).immediate();
}

function toParams(e: JournalEvent): EventParams {
  return [
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
  ];
}

/**
 * Rows were written from validated events, so the JSON columns are parsed without a schema on this hot
 * path; a row altered outside Entente is caught by the chain verifier, or here if it is no longer JSON.
 */
function toEvent(row: EventRow): JournalEvent {
  let payload: Record<string, unknown>;
  let visibility: string[];
  try {
    payload = JSON.parse(row.payload) as Record<string, unknown>;
    visibility = JSON.parse(row.visibility) as string[];
  } catch {
    throw new StoreError(`the journal row at position ${row.position} is unreadable (its JSON is damaged): it was altered outside Entente`);
  }
  return {
    position: row.position,
    stream: row.stream,
    streamVersion: row.stream_version,
    type: row.type,
    payload,
    actor: row.actor,
    party: row.party,
    visibility,
    recordedAt: row.recorded_at,
    idempotencyKey: row.idempotency_key,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
