import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import { ok } from '../../core/errors';
import { fileReport, ReportInput } from '../../core/operations/report';
import { defineRoute } from '../route';
import { appendAs } from './identity';

const ReportOut = z.object({
  id: z.string(),
  position: z.number().int(),
  occurredAt: z.string(),
  location: z.object({ lon: z.number(), lat: z.number() }),
  domain: z.string(),
  type: z.string(),
  source: z.string(),
  narrative: z.string(),
  reportedBy: z.string(),
  party: z.string().nullable(),
  recordedAt: z.string(),
});

export const reportRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/reports',
    summary: 'File a report of an incident (monitor devices and party systems use scoped tokens)',
    tag: 'operations',
    action: 'report.file',
    body: ReportInput,
    status: 201,
    response: z.object({ id: z.string(), position: z.number().int(), hash: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      const drafts = fileReport(body, services.now(), { username: reader!.username, party: reader!.party });
      const appended = await appendAs(services, reader, drafts, idempotencyKey);
      if (!appended.ok) return appended;
      return ok({ id: `R-${appended.value.position}`, ...appended.value });
    },
    replay: (events) => {
      const last = events[events.length - 1]!;
      return ok({ id: `R-${last.position}`, position: last.position, hash: last.hash });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports',
    summary: 'Recent reports the reader may see, newest first',
    tag: 'operations',
    action: 'report.list',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict(),
    response: z.object({ reports: z.array(ReportOut), total: z.number().int() }),
    async handler({ query, reader, services }) {
      const columns = services.journal.image.incidents;
      const reports: z.infer<typeof ReportOut>[] = [];
      for (let i = columns.size - 1; i >= 0 && reports.length < query.limit; i--) {
        const position = columns.position[i]!;
        const [event] = await services.store.read(position - 1, 1);
        if (!event || !canRead(reader, event.visibility)) continue;
        const p = event.payload as Omit<z.infer<typeof ReportOut>, 'id' | 'position' | 'party' | 'recordedAt'>;
        reports.push({ id: `R-${position}`, position, ...p, party: event.party, recordedAt: event.recordedAt });
      }
      return ok({ reports, total: columns.size });
    },
  }),
];
