import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import { ok } from '../../core/errors';
import type { JournalEvent } from '../../core/journal/envelope';
import { defineRoute } from '../route';
import { JournalEventOut } from './schemas';

const PAGE_SCAN_LIMIT = 20_000;

export const journalRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/journal',
    summary: 'Journal events the reader may see, after a position, oldest first (positions of others are skipped)',
    tag: 'journal',
    action: 'journal.read',
    query: z
      .object({
        after: z.coerce.number().int().min(0).default(0),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        order: z.enum(['asc', 'desc']).default('asc'),
      })
      .strict(),
    response: z.object({ events: z.array(JournalEventOut), next: z.number().int().nullable(), head: z.number().int() }),
    async handler({ query, reader, services }) {
      const head = services.journal.head;
      const events: JournalEvent[] = [];
      let next: number | null = null;
      if (query.order === 'asc') {
        // Scan forward in pages until the page is full or a scan budget is spent, so a reader who may
        // see little does not make one request read the whole journal.
        let cursor = query.after;
        let scanned = 0;
        while (events.length < query.limit && scanned < PAGE_SCAN_LIMIT) {
          const page = await services.store.read(cursor, 1000);
          if (page.length === 0) break;
          for (const e of page) {
            cursor = e.position;
            scanned++;
            if (canRead(reader, e.visibility)) events.push(e);
            if (events.length === query.limit) break;
          }
        }
        next = cursor < head ? cursor : null;
      } else {
        // Newest first: `after` is read as "before this position" (0 = from the head).
        let cursor = query.after === 0 ? head + 1 : query.after;
        let scanned = 0;
        while (events.length < query.limit && cursor > 1 && scanned < PAGE_SCAN_LIMIT) {
          const from = Math.max(0, cursor - 1 - 1000);
          const page = await services.store.read(from, cursor - 1 - from);
          for (let i = page.length - 1; i >= 0; i--) {
            const e = page[i]!;
            cursor = e.position;
            scanned++;
            if (canRead(reader, e.visibility)) events.push(e);
            if (events.length === query.limit) break;
          }
          if (page.length === 0) break;
        }
        next = cursor > 1 ? cursor : null;
      }
      return ok({ events, next, head });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/journal/status',
    summary: 'The hash chain as stored: verified up to where, the head hash, the last signed checkpoint',
    tag: 'journal',
    action: 'journal.status',
    response: z.object({
      ok: z.boolean(),
      verifying: z.boolean(),
      count: z.number().int(),
      head: z.string(),
      checkpoints: z.number().int(),
      lastCheckpoint: z.object({ position: z.number().int(), recordedAt: z.string() }).nullable(),
      checkedAt: z.string(),
      fault: z.object({ position: z.number().int(), fault: z.string(), message: z.string() }).optional(),
    }),
    async handler({ services }) {
      await services.chain.check();
      const { report, checkedAt, verifying } = services.chain.status();
      const index = services.journal.image.index;
      const lastCheckpoint = index.lastCheckpointAt ? { position: index.lastCheckpoint, recordedAt: index.lastCheckpointAt } : null;
      if (report.ok) {
        return ok({ ok: true, verifying, count: report.count, head: report.head, checkpoints: report.checkpoints, lastCheckpoint, checkedAt });
      }
      return ok({
        ok: false,
        verifying,
        count: report.count,
        head: index.headHash,
        checkpoints: 0,
        lastCheckpoint,
        checkedAt,
        fault: { position: report.position, fault: report.fault, message: report.message },
      });
    },
  }),
];
