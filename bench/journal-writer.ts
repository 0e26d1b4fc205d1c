/**
 * Worker thread for bench/journal.ts: writes planned batches through the SQLite store's `append` while the
 * main thread plans the next batch (planning and writing overlap; the order stays the main thread's).
 * Not a benchmark of its own: `npm run bench -- journal-writer` only explains that.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { JournalEvent } from '../src/core/journal/envelope';
import { openStore } from '../src/store/open';

export interface WriterRequest {
  readonly knownHead: number;
  readonly events: readonly JournalEvent[];
}
export type WriterReply = { readonly ok: true; readonly head: number } | { readonly ok: false; readonly error: string };

export async function run(): Promise<void> {
  console.log('bench/journal-writer.ts is the worker thread of `npm run bench -- journal`, not a benchmark of its own.');
}

if (parentPort && (workerData as { journalWriter?: string } | null)?.journalWriter)
  void serve((workerData as { journalWriter: string }).journalWriter);

async function serve(dir: string): Promise<void> {
  const port = parentPort!;
  const store = await openStore({ data: dir });
  let chain = Promise.resolve();
  port.on('message', (message: WriterRequest | 'close') => {
    chain = chain.then(async () => {
      if (message === 'close') {
        await store.close();
        port.postMessage({ ok: true, head: -1 } satisfies WriterReply);
        port.close();
        return;
      }
      try {
        const { written } = await store.append(message.knownHead, () => ({ events: message.events, result: null }));
        port.postMessage({ ok: true, head: written[written.length - 1]?.position ?? message.knownHead } satisfies WriterReply);
      } catch (error) {
        port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies WriterReply);
      }
    });
  });
}
