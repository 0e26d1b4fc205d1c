import { canRead } from '../../core/access/policy';
import { fail, ok } from '../../core/errors';
import type { JournalEvent } from '../../core/journal/envelope';
import { defineRoute } from '../route';

const HEARTBEAT_MS = 15_000;
const MAX_REPLAY = 10_000;
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

function frame(event: JournalEvent): string {
  return `id: ${event.position}\nevent: journal\ndata: ${JSON.stringify(event)}\n\n`;
}

export const streamRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/stream',
    summary: 'Live journal events as Server-Sent Events, filtered by what the reader may see; resumes from Last-Event-ID',
    tag: 'journal',
    action: 'stream.subscribe',
    response: null,
    raw: true,
    async handler({ request, reply, reader, services }) {
      const lastIdHeader = request.headers['last-event-id'];
      const lastId = typeof lastIdHeader === 'string' && /^\d+$/.test(lastIdHeader) ? Number(lastIdHeader) : null;
      if (lastIdHeader !== undefined && lastId === null) {
        return fail('validation_failed', 'Last-Event-ID must be a journal position', '/headers/last-event-id');
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'content-security-policy': "default-src 'none'",
        'x-content-type-options': 'nosniff',
      });
      res.write(`retry: 2000\n: connected at position ${services.journal.head}\n\n`);

      let sentUpTo = services.journal.head;
      const pending: JournalEvent[] = [];
      let replaying = lastId !== null && lastId < sentUpTo;
      const send = (events: readonly JournalEvent[]) => {
        for (const e of events) {
          if (e.position <= sentUpTo) continue;
          sentUpTo = e.position;
          if (canRead(reader, e.visibility)) res.write(frame(e));
        }
        // A subscriber that does not read is dropped rather than buffered without bound.
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      };
      const onEvents = (events: readonly JournalEvent[]) => {
        if (replaying) pending.push(...events);
        else send(events);
      };
      services.journal.on('events', onEvents);
      const heartbeat = setInterval(() => res.write(`event: heartbeat\ndata: ${services.journal.head}\n\n`), HEARTBEAT_MS);
      services.liveStreams.add(res);
      const close = () => {
        clearInterval(heartbeat);
        services.journal.off('events', onEvents);
        services.liveStreams.delete(res);
      };
      request.raw.on('close', close);
      res.on('error', close);

      if (replaying && lastId !== null) {
        // Resume: what the reader missed since its last event, then what arrived meanwhile.
        sentUpTo = lastId;
        let cursor = lastId;
        let count = 0;
        while (count < MAX_REPLAY) {
          const page = await services.store.read(cursor, 1000);
          if (page.length === 0) break;
          send(page);
          cursor = page[page.length - 1]!.position;
          count += page.length;
        }
        replaying = false;
        send(pending.splice(0));
      }
      return ok(undefined);
    },
  }),
];
