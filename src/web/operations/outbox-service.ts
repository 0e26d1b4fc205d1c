import { useEffect, useSyncExternalStore } from 'react';
import type { ApiClient, ApiProblem } from '../api';
import { fileReport, type ReportFiled, type ReportSubmission } from './api';
import { flushOutbox, isTransient, memoryStorage, Outbox, type FlushOutcome, type OutboxEntry, type OutboxStorage } from './outbox';

/*
 * The one outbox of this browser tab, and the sending of it. Started by the operations page; once
 * started it keeps listening for the connection to come back even when the reader moves to another
 * page, so a report written offline goes out as soon as it can. Sends are serialised (one at a time):
 * a report is never sent twice at once by this tab, and a repeat from another tab is harmless
 * because the server answers a repeated key with the first filing.
 */

export type SubmitOutcome =
  | { readonly status: 'filed'; readonly filed: ReportFiled }
  | { readonly status: 'queued' }
  | { readonly status: 'refused'; readonly problem: ApiProblem };

const RETRY_MS = 15_000;

function browserStorage(): OutboxStorage {
  try {
    const probe = '__entente_probe__';
    localStorage.setItem(probe, probe);
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    return memoryStorage();
  }
}

class OutboxService {
  readonly outbox = new Outbox(browserStorage());
  private api: ApiClient | null = null;
  private owner: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private sendingCount = 0;
  private readonly listeners = new Set<() => void>();
  private started = false;
  private lastOutcome: FlushOutcome | null = null;

  start(api: ApiClient, owner: string): void {
    this.api = api;
    this.owner = owner;
    if (!this.started) {
      this.started = true;
      window.addEventListener('online', () => void this.flush());
      window.addEventListener('storage', (event) => {
        if (event.key === null || event.key === this.outboxKey()) this.outbox.reload();
      });
      setInterval(() => {
        if (navigator.onLine && this.waiting().length > 0) void this.flush();
      }, RETRY_MS);
    }
    void this.flush();
  }

  /** Forget who may send (sign-out): the entries stay for their writer's next session. */
  stop(): void {
    this.owner = null;
  }

  /** Entries the signed-in writer can still send (not refused). */
  waiting(): readonly OutboxEntry[] {
    return this.outbox.entries().filter((e) => e.owner === this.owner && !e.refused);
  }

  get sending(): boolean {
    return this.sendingCount > 0;
  }

  get last(): FlushOutcome | null {
    return this.lastOutcome;
  }

  /** Keeps the report in the outbox, then tries to send it at once. */
  submit(report: ReportSubmission, key: string): Promise<SubmitOutcome> {
    const owner = this.owner;
    const api = this.api;
    if (!owner || !api)
      return Promise.resolve({
        status: 'refused',
        problem: { status: 401, code: 'unauthenticated', title: 'Not signed in', detail: 'Sign in first.', type: 'about:blank' },
      });
    this.outbox.add({ key, owner, report, writtenAt: new Date().toISOString(), attempts: 0, refused: null });
    if (!navigator.onLine) return Promise.resolve({ status: 'queued' });
    return this.serialised(async () => {
      // A flush that ran while this one waited may have sent it already.
      if (!this.outbox.entries().some((e) => e.key === key)) return { status: 'queued' } as const;
      const result = await fileReport(api, report, key);
      if (result.ok) {
        this.outbox.remove(key);
        return { status: 'filed', filed: result.value } as const;
      }
      if (isTransient(result.problem)) {
        this.outbox.update(key, (e) => ({ ...e, attempts: e.attempts + 1 }));
        return { status: 'queued' } as const;
      }
      // Refused while the writer is still at the form: they fix it there, so it leaves the outbox.
      this.outbox.remove(key);
      return { status: 'refused', problem: result.problem } as const;
    });
  }

  flush(): Promise<FlushOutcome> {
    return this.serialised(async () => {
      const owner = this.owner;
      const api = this.api;
      if (!owner || !api) return { sent: [], refused: 0, interrupted: false };
      const outcome = await flushOutbox(this.outbox, owner, (report, key) => fileReport(api, report, key));
      if (outcome.sent.length > 0 || outcome.refused > 0) this.lastOutcome = outcome;
      return outcome;
    });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    const off = this.outbox.subscribe(listener);
    return () => {
      this.listeners.delete(listener);
      off();
    };
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(async () => {
      this.sendingCount++;
      this.notify();
      try {
        return await work();
      } finally {
        this.sendingCount--;
        this.notify();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private outboxKey(): string {
    return 'entente.outbox.v1';
  }
}

export const outboxService = new OutboxService();

interface OutboxView {
  readonly entries: readonly OutboxEntry[];
  readonly sending: boolean;
  readonly last: FlushOutcome | null;
}

let snapshot: OutboxView | null = null;
function currentView(): OutboxView {
  const entries = outboxService.outbox.entries();
  const sending = outboxService.sending;
  const last = outboxService.last;
  if (!snapshot || snapshot.entries !== entries || snapshot.sending !== sending || snapshot.last !== last)
    snapshot = { entries, sending, last };
  return snapshot;
}

/** The outbox as React state; starts the service for this writer. */
export function useOutbox(api: ApiClient, owner: string): OutboxView {
  useEffect(() => {
    outboxService.start(api, owner);
  }, [api, owner]);
  return useSyncExternalStore((listener) => outboxService.subscribe(listener), currentView);
}
