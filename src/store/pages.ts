import type { JournalEvent } from '../core/journal/envelope';

/**
 * Every event after `after`, in keyset pages, each its own short read: memory stays at one page and no
 * transaction, cursor or WAL snapshot is held open while the consumer works. Both stores iterate so.
 */
export async function* iteratePages(read: (after: number, limit: number) => Promise<JournalEvent[]>, after: number, pageSize: number): AsyncIterable<JournalEvent> {
  let cursor = after;
  for (;;) {
    const page = await read(cursor, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    cursor = page[page.length - 1]!.position;
  }
}
