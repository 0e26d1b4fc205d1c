import { describe, expect, it } from 'vitest';
import type { ApiResult, JournalEvent, JournalPage } from '../api';
import { findHead, prependNew, readBackwards, readForwards, type JournalReader } from './load-journal';

function event(position: number): JournalEvent {
  return {
    position,
    stream: `s/${position}`,
    streamVersion: 1,
    type: 'test.happened',
    payload: {},
    actor: 'a',
    party: null,
    visibility: ['process'],
    recordedAt: '2026-01-03T10:00:00.000Z',
    idempotencyKey: null,
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  };
}

/** A journal of `head` events of which the reader may see those `visible` admits; answers like the server. */
function journal(
  head: number,
  visible: (position: number) => boolean = () => true,
  statesHead = false,
): JournalReader & { requests: number } {
  const reader = {
    requests: 0,
    async journalPage(after: number, limit: number): Promise<ApiResult<JournalPage>> {
      reader.requests += 1;
      const events: JournalEvent[] = [];
      let p = after + 1;
      for (; p <= head && events.length < limit; p++) if (visible(p)) events.push(event(p));
      const last = events.at(-1)?.position ?? head;
      return { ok: true, value: { events, next: p <= head ? last : null, ...(statesHead ? { head } : {}) } };
    },
  };
  return reader;
}

const positions = (events: readonly JournalEvent[]) => events.map((e) => e.position);

describe('reading the journal newest first', () => {
  it('gives the latest page, newest first, and knows whether older events remain', async () => {
    const latest = await readBackwards(journal(120), 120, 50);
    expect(latest.ok && positions(latest.value.events)).toEqual(Array.from({ length: 50 }, (_, i) => 120 - i));
    expect(latest.ok && latest.value.atStart).toBe(false);
    const oldest = await readBackwards(journal(120), 20, 50);
    expect(oldest.ok && positions(oldest.value.events)).toEqual(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(oldest.ok && oldest.value.atStart).toBe(true);
  });

  it('fills a page for a reader who may see only every 37th event, in a handful of requests', async () => {
    const reader = journal(10_000, (p) => p % 37 === 0);
    const page = await readBackwards(reader, 10_000, 50);
    expect(page.ok && page.value.events.length).toBe(50);
    expect(page.ok && page.value.events[0]!.position).toBe(9990);
    expect(page.ok && page.value.events.every((e) => e.position % 37 === 0)).toBe(true);
    expect(reader.requests).toBeLessThanOrEqual(12);
  });

  it('pages forward and says when the end is reached', async () => {
    const forward = await readForwards(journal(70), 10, 50);
    expect(forward.ok && positions(forward.value.events)[0]).toBe(60);
    expect(forward.ok && forward.value.atEnd).toBe(false);
    const end = await readForwards(journal(70), 60, 50);
    expect(end.ok && end.value.atEnd).toBe(true);
  });

  it('finds the real head past a hint (a broken chain counts only what it verified)', async () => {
    const told = journal(5_000, () => true, true);
    expect(await findHead(told, 4)).toEqual({ ok: true, value: 5_000 });
    expect(told.requests).toBe(1);
    const walked = journal(1_700, (p) => p % 3 === 0);
    expect(await findHead(walked, 4)).toEqual({ ok: true, value: 1_698 });
    expect(await findHead(journal(30), 30)).toEqual({ ok: true, value: 30 });
  });

  it('prepends live events once each, in order, up to a cap', () => {
    const shown = [event(5), event(4), event(3)];
    expect(positions(prependNew(shown, [event(6), event(5), event(7)], 10))).toEqual([7, 6, 5, 4, 3]);
    expect(positions(prependNew(shown, [event(6)], 3))).toEqual([6, 5, 4]);
    expect(prependNew(shown, [event(4)], 10)).toBe(shown);
  });
});
