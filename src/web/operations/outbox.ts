import type { ApiProblem, ApiResult } from '../api';
import type { ReportFiled, ReportSubmission } from './api';

/*
 * Reports written in the field, kept in the browser until the server has them. Every report is
 * written here first, with the idempotency key it gets at that moment, and leaves only when the
 * server has answered for it: sent again after a lost answer, a closed tab or a day without a
 * network, it is still filed once, because the server answers a repeated key with the first filing.
 *
 * localStorage rather than IndexedDB: the entries are small, writes are synchronous (nothing is lost
 * between "written" and "stored"), and every browser a field team may carry has it.
 */

export interface OutboxEntry {
  /** The Idempotency-Key, fixed when the report was written. */
  readonly key: string;
  /** Who wrote it: only their session may send it. */
  readonly owner: string;
  readonly report: ReportSubmission;
  readonly writtenAt: string;
  readonly attempts: number;
  /** Set when the server refused the report: it waits for the writer to fix or discard it. */
  readonly refused: { readonly code: string; readonly detail: string; readonly pointer?: string } | null;
}

export type OutboxStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const OUTBOX_KEY = 'entente.outbox.v1';

export class Outbox {
  private readonly listeners = new Set<() => void>();
  private cache: readonly OutboxEntry[] | null = null;

  constructor(
    private readonly storage: OutboxStorage,
    private readonly key = OUTBOX_KEY,
  ) {}

  entries(): readonly OutboxEntry[] {
    if (this.cache) return this.cache;
    let parsed: unknown = [];
    try {
      parsed = JSON.parse(this.storage.getItem(this.key) ?? '[]');
    } catch {
      parsed = [];
    }
    this.cache = Array.isArray(parsed) ? (parsed.filter(isEntry) as OutboxEntry[]) : [];
    return this.cache;
  }

  add(entry: OutboxEntry): void {
    if (this.entries().some((e) => e.key === entry.key)) return;
    this.write([...this.entries(), entry]);
  }

  remove(key: string): void {
    this.write(this.entries().filter((e) => e.key !== key));
  }

  update(key: string, change: (entry: OutboxEntry) => OutboxEntry): void {
    this.write(this.entries().map((e) => (e.key === key ? change(e) : e)));
  }

  /** Another tab changed the stored list (the `storage` event): forget the cached copy. */
  reload(): void {
    this.cache = null;
    this.notify();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private write(entries: readonly OutboxEntry[]): void {
    // Throws when storage is full or disabled: the caller must know the report was not kept.
    this.storage.setItem(this.key, JSON.stringify(entries));
    this.cache = entries;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

function isEntry(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e['key'] === 'string' && typeof e['owner'] === 'string' && typeof e['report'] === 'object' && e['report'] !== null;
}

/** Problems that mean "try again later" rather than "this report is wrong". */
export function isTransient(problem: ApiProblem): boolean {
  return (
    problem.code === 'network' ||
    problem.status === 0 ||
    problem.status === 401 ||
    problem.status === 408 ||
    problem.status === 429 ||
    problem.status >= 500
  );
}

export type Send = (report: ReportSubmission, key: string) => Promise<ApiResult<ReportFiled>>;

export interface FlushOutcome {
  readonly sent: { readonly key: string; readonly filed: ReportFiled }[];
  readonly refused: number;
  /** True when sending stopped on a transient problem (offline, server away): the rest waits. */
  readonly interrupted: boolean;
}

/**
 * Sends the owner's waiting reports, oldest first, each with its own key. Stops at the first transient
 * failure (the connection is gone again); a refusal is kept with the server's reason for the writer.
 */
export async function flushOutbox(outbox: Outbox, owner: string, send: Send): Promise<FlushOutcome> {
  const sent: { key: string; filed: ReportFiled }[] = [];
  let refused = 0;
  for (const entry of outbox.entries()) {
    if (entry.owner !== owner || entry.refused) continue;
    const result = await send(entry.report, entry.key);
    if (result.ok) {
      outbox.remove(entry.key);
      sent.push({ key: entry.key, filed: result.value });
      continue;
    }
    if (isTransient(result.problem)) {
      outbox.update(entry.key, (e) => ({ ...e, attempts: e.attempts + 1 }));
      return { sent, refused, interrupted: true };
    }
    refused++;
    const { code, detail, pointer } = result.problem;
    outbox.update(entry.key, (e) => ({ ...e, attempts: e.attempts + 1, refused: { code, detail, ...(pointer ? { pointer } : {}) } }));
  }
  return { sent, refused, interrupted: false };
}

/** A storage that forgets on reload: used when the browser refuses localStorage. */
export function memoryStorage(): OutboxStorage {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}
