import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api';
import { submitCapture, uploadFile, type CaptureMeta, type Captured } from './api';

/*
 * Evidence captured in the field, kept on the device until the server has it — as the operations
 * outbox keeps reports, but in IndexedDB, because files are too large for localStorage. Each entry
 * carries the SHA-256 computed at capture and the idempotency key it got then: sent again after a
 * lost answer, a closed tab or a day offline, it is still stored once.
 */

export interface PendingEvidence {
  readonly key: string;
  readonly owner: string;
  readonly file: Blob;
  readonly sha256: string;
  readonly meta: CaptureMeta;
  readonly writtenAt: string;
  readonly refused: string | null;
}

const DB = 'entente-evidence';
const STORE = 'pending';

function database(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'key' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB is not available'));
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await database();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

export const pendingAll = async (owner: string): Promise<PendingEvidence[]> =>
  ((await run('readonly', (s) => s.getAll())) as PendingEvidence[]).filter((p) => p.owner === owner);
export const pendingPut = (entry: PendingEvidence): Promise<IDBValidKey> => run('readwrite', (s) => s.put(entry));
export const pendingRemove = (key: string): Promise<undefined> => run('readwrite', (s) => s.delete(key));

export type SendOutcome =
  | { readonly kind: 'stored'; readonly captured: Captured }
  | { readonly kind: 'offline'; readonly detail: string }
  | { readonly kind: 'refused'; readonly detail: string };

/** Uploads (resumably) and submits one pending entry; the entry leaves the queue only when the server answered for it. */
export async function sendPending(
  api: ApiClient,
  entry: PendingEvidence,
  onProgress: (sent: number, total: number) => void,
): Promise<SendOutcome> {
  const session = await api.getSession();
  if (!session.ok)
    return session.problem.status === 0
      ? { kind: 'offline', detail: session.problem.detail }
      : { kind: 'refused', detail: session.problem.detail };
  let upload: string;
  try {
    upload = await uploadFile(entry.file, entry.meta.filename, session.value.csrfToken, onProgress);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    // tus-js-client reports the server's answer in its message; a 4xx is a refusal, anything else a connection problem.
    return /response code: 4\d\d/.test(text) ? { kind: 'refused', detail: text } : { kind: 'offline', detail: text };
  }
  const result = await submitCapture(api, upload, entry.sha256, entry.meta, entry.key);
  if (result.ok) {
    await pendingRemove(entry.key);
    return { kind: 'stored', captured: result.value };
  }
  if (result.problem.status === 0 || result.problem.status >= 500) return { kind: 'offline', detail: result.problem.detail };
  await pendingPut({ ...entry, refused: result.problem.detail });
  return { kind: 'refused', detail: result.problem.detail };
}

export interface EvidenceQueue {
  readonly entries: readonly PendingEvidence[];
  readonly progress: { readonly key: string; readonly sent: number; readonly total: number } | null;
  readonly last: SendOutcome | null;
  add(entry: PendingEvidence): Promise<SendOutcome>;
  flush(): Promise<void>;
  discard(key: string): Promise<void>;
}

/** The device's queue of evidence waiting for the server, flushed at start and whenever the browser is back online. */
export function useEvidenceQueue(api: ApiClient, owner: string, onStored: () => void): EvidenceQueue {
  const [entries, setEntries] = useState<readonly PendingEvidence[]>([]);
  const [progress, setProgress] = useState<EvidenceQueue['progress']>(null);
  const [last, setLast] = useState<SendOutcome | null>(null);
  const sending = useRef(false);
  const stored = useRef(onStored);
  stored.current = onStored;

  const reload = useCallback(async () => setEntries(await pendingAll(owner)), [owner]);

  const sendOne = useCallback(
    async (entry: PendingEvidence): Promise<SendOutcome> => {
      const outcome = await sendPending(api, entry, (sent, total) => setProgress({ key: entry.key, sent, total }));
      setProgress(null);
      setLast(outcome);
      if (outcome.kind === 'stored') stored.current();
      return outcome;
    },
    [api],
  );

  const flush = useCallback(async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      for (const entry of await pendingAll(owner)) {
        if (entry.refused) continue;
        const outcome = await sendOne(entry);
        if (outcome.kind === 'offline') break;
      }
    } finally {
      sending.current = false;
      await reload();
    }
  }, [owner, reload, sendOne]);

  const add = useCallback(
    async (entry: PendingEvidence) => {
      await pendingPut(entry);
      await reload();
      if (!navigator.onLine) {
        const outcome: SendOutcome = { kind: 'offline', detail: 'offline' };
        setLast(outcome);
        return outcome;
      }
      sending.current = true;
      try {
        return await sendOne(entry);
      } finally {
        sending.current = false;
        await reload();
      }
    },
    [reload, sendOne],
  );

  const discard = useCallback(
    async (key: string) => {
      await pendingRemove(key);
      await reload();
    },
    [reload],
  );

  useEffect(() => {
    void flush();
    const online = () => void flush();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [flush]);

  return { entries, progress, last, add, flush, discard };
}
