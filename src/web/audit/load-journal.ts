import type { ApiResult, JournalEvent, JournalPage } from '../api';

/*
 * The journal API reads forward (`after`, `limit`) and returns only the events the reader may see.
 * People read it backwards, newest first. These functions turn one into the other, walking back in
 * growing windows so that a reader who may see few events still gets a full page in a few requests.
 */

export interface JournalReader {
  journalPage(after: number, limit: number): Promise<ApiResult<JournalPage>>;
}

export const PAGE_SIZE = 50;
/** Windows grow ×4 per step: 50, 200, 800 … positions; bounded so one page costs a few requests at most. */
const MAX_STEPS = 6;
const MAX_REQUESTS_PER_WINDOW = 20;

/** Visible events with after < position ≤ upTo, oldest first. */
async function readRange(reader: JournalReader, after: number, upTo: number, limit: number): Promise<ApiResult<JournalEvent[]>> {
  const out: JournalEvent[] = [];
  let cursor = after;
  for (let i = 0; i < MAX_REQUESTS_PER_WINDOW; i++) {
    const page = await reader.journalPage(cursor, limit);
    if (!page.ok) return page;
    for (const event of page.value.events) if (event.position > after && event.position <= upTo) out.push(event);
    const last = page.value.events.at(-1);
    if (page.value.next === null || !last || last.position >= upTo || page.value.next <= cursor) break;
    cursor = page.value.next;
  }
  return { ok: true, value: out };
}

export interface JournalSlice {
  /** Newest first. */
  readonly events: readonly JournalEvent[];
  /** No visible event lies before the oldest one here. */
  readonly atStart: boolean;
  /** No visible event lies after the newest one here. */
  readonly atEnd: boolean;
}

/** Up to `want` visible events at or before `upTo`, newest first. */
export async function readBackwards(
  reader: JournalReader,
  upTo: number,
  want = PAGE_SIZE,
): Promise<ApiResult<Omit<JournalSlice, 'atEnd'>>> {
  let upper = Math.max(0, upTo);
  let span = want;
  let collected: JournalEvent[] = [];
  for (let step = 0; step < MAX_STEPS && upper > 0 && collected.length < want; step++) {
    const lower = Math.max(0, upper - span);
    const range = await readRange(reader, lower, upper, Math.min(Math.max(want, 50), 200));
    if (!range.ok) return range;
    collected = range.value.concat(collected);
    upper = lower;
    span *= 4;
  }
  const newestFirst = collected.slice(-want).reverse();
  return { ok: true, value: { events: newestFirst, atStart: upper === 0 && collected.length <= want } };
}

/**
 * The journal's last position. The chain status counts only events verified before a fault, so it is
 * a hint, not the head: ask the journal, from the hint onwards, where it ends.
 */
export async function findHead(reader: JournalReader, hint: number): Promise<ApiResult<number>> {
  let cursor = Math.max(0, hint);
  let head = cursor;
  for (let i = 0; i < MAX_REQUESTS_PER_WINDOW; i++) {
    // A one-event probe first: a server that states its head answers in one small request.
    const page = await reader.journalPage(cursor, i === 0 ? 1 : 500);
    if (!page.ok) return page;
    if (page.value.head !== undefined) return { ok: true, value: Math.max(page.value.head, head) };
    head = Math.max(head, page.value.events.at(-1)?.position ?? head);
    if (page.value.next === null || page.value.next <= cursor) return { ok: true, value: head };
    cursor = page.value.next;
    head = Math.max(head, cursor);
  }
  return { ok: true, value: head };
}

/** Up to `want` visible events after `after`, newest first. */
export async function readForwards(
  reader: JournalReader,
  after: number,
  want = PAGE_SIZE,
): Promise<ApiResult<Omit<JournalSlice, 'atStart'>>> {
  const page = await reader.journalPage(after, want);
  if (!page.ok) return page;
  return { ok: true, value: { events: [...page.value.events].reverse(), atEnd: page.value.next === null } };
}

/** Merges live events into a newest-first list, once each, keeping at most `cap`. */
export function prependNew(list: readonly JournalEvent[], arrivals: readonly JournalEvent[], cap: number): JournalEvent[] {
  const known = new Set(list.map((e) => e.position));
  const fresh = arrivals.filter((e) => !known.has(e.position));
  if (fresh.length === 0) return list as JournalEvent[];
  return [...fresh, ...list].sort((a, b) => b.position - a.position).slice(0, cap);
}
