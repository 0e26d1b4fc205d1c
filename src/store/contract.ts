import type { JournalEvent } from '../core/journal/envelope';

/**
 * What every journal store offers. SQLite (embedded, default) and PostgreSQL (many nodes) implement it;
 * one contract test suite (contract.suite.ts) runs unchanged against both.
 *
 * The journal is only appended to and read sequentially; queries are answered from the memory image.
 * Secrets (password hashes, token hashes, sessions) live beside the journal, never in it.
 */
export interface JournalStore {
  readonly kind: 'sqlite' | 'postgres';
  /** A description safe to log (no passwords). */
  readonly description: string;

  /** Creates or upgrades the schema. Idempotent. */
  migrate(): Promise<void>;

  /**
   * Appends under the store's single global write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
   * transaction-level advisory lock). Inside the lock the store reads every event after `knownHead`
   * that another writer appended (`missed`), calls `build(missed)`, and writes the events it returns
   * in the same transaction. The caller hears back only after the transaction committed durably.
   * If `build` throws, nothing is written and the error propagates.
   */
  append<T>(knownHead: number, build: (missed: readonly JournalEvent[]) => AppendPlan<T>): Promise<AppendOutcome<T>>;

  /** Events with position > after, ascending, at most `limit`. */
  read(after: number, limit: number): Promise<JournalEvent[]>;

  /** Every event with position > after, ascending, in pages; constant memory. */
  iterate(after?: number, pageSize?: number): AsyncIterable<JournalEvent>;

  /** Position and hash of the last event (0 and the genesis hash when empty). */
  head(): Promise<{ position: number; hash: string }>;

  /** Snapshots of the memory image: opaque bytes at a position. Only the latest is needed. */
  saveSnapshot(position: number, data: Uint8Array): Promise<void>;
  latestSnapshot(): Promise<{ position: number; data: Uint8Array } | null>;

  /** Small secret records kept outside the journal (kind: 'credential' | 'token' | 'session' | …). */
  getSecret(kind: string, key: string): Promise<SecretRecord | null>;
  putSecret(kind: string, key: string, value: string, expiresAt?: number | null): Promise<void>;
  deleteSecret(kind: string, key: string): Promise<void>;

  /**
   * Calls `listener` soon after any writer (this process or another) appended. PostgreSQL uses
   * LISTEN/NOTIFY; SQLite polls the head. Callers still poll as a safety net.
   */
  watch(listener: () => void): () => void;

  /**
   * Writes a consistent copy of everything (journal, snapshots, secrets) to `file` while the store
   * stays in use. `restore` loads such a file into an empty store.
   */
  backup(file: string): Promise<{ events: number }>;
  restore(file: string): Promise<{ events: number }>;

  close(): Promise<void>;
}

export interface AppendPlan<T> {
  readonly events: readonly JournalEvent[];
  readonly result: T;
}

export interface AppendOutcome<T> {
  readonly missed: readonly JournalEvent[];
  readonly written: readonly JournalEvent[];
  readonly result: T;
}

export interface SecretRecord {
  readonly value: string;
  readonly expiresAt: number | null;
}

/** Thrown (not returned) by stores for faults of the store itself: it cannot be opened, it is corrupt. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}
