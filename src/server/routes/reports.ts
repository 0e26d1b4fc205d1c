import { z } from 'zod';
import { ok } from '../../core/errors';
import { recordAccessDenial } from '../../core/operations/access-denial';
import { ClassificationPayload, IntakeWarning } from '../../core/operations/events';
import { filedFrom, ReportIntake } from '../../core/operations/intake';
import { AccessDenialInput } from '../../core/operations/model';
import { ReportInput } from '../../core/operations/report';
import type { Journal } from '../../runtime/journal';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs, newId } from './identity';

/**
 * Intake over HTTP: monitor devices and party systems (scoped tokens), the web form, and scripts. The
 * report's events are decided in core (report.ts) and appended by the node's one ReportIntake, which
 * also serves imports and the demo.
 */

const intakes = new WeakMap<Journal, ReportIntake>();

/** The node's intake (one per journal, so concurrent reports of one incident see each other). */
export function intakeOf(services: Pick<Services, 'journal' | 'now'>): ReportIntake {
  let intake = intakes.get(services.journal);
  if (!intake) {
    const journal = services.journal;
    intake = new ReportIntake({
      view: () => ({
        operations: journal.image.operations,
        framework: journal.image.framework,
        streamVersion: (s) => journal.image.index.streams.get(s) ?? 0,
      }),
      append: (request) => journal.append(request),
      now: () => services.now(),
      defer: (run) => setImmediate(run),
    });
    intakes.set(journal, intake);
  }
  return intake;
}

export const FiledOut = z.object({
  id: z.string(),
  /** Position and hash of the `report.filed` event (the exact one, which the filer may read). */
  position: z.number().int(),
  hash: z.string(),
  caseId: z.string().nullable(),
  /** The same externalRef was filed before: this is the first report's answer; nothing was added. */
  duplicate: z.boolean(),
  warnings: z.array(IntakeWarning),
  framework: z.object({ number: z.number().int(), hash: z.string() }).nullable(),
  classification: ClassificationPayload.nullable(),
});

export const reportRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/reports',
    summary:
      'File a report of an incident (monitor devices and party systems use scoped tokens); classified against the zones in force when it happened and grouped into a case',
    tag: 'operations',
    action: 'report.file',
    body: ReportInput,
    status: 201,
    response: FiledOut,
    async handler({ body, reader, services, idempotencyKey, request }) {
      const filed = await intakeOf(services).submit(
        body,
        { username: reader!.username, party: reader!.party, roles: reader!.roles },
        { id: newId(reader, idempotencyKey), idempotencyKey, raw: request.body },
      );
      if (!filed.ok) return filed;
      const f = filed.value;
      let hash = f.hash;
      if (f.duplicate) hash = (await services.store.read(f.position - 1, 1))[0]?.hash ?? '';
      return ok({ ...f, hash, warnings: [...f.warnings] });
    },
    replay: (events) => {
      const f = filedFrom(events);
      return ok({ ...f, warnings: [...f.warnings] });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/access-denials',
    summary: "Record that monitors were denied access (a restriction of the mechanism's freedom of movement)",
    tag: 'operations',
    action: 'access-denial.record',
    body: AccessDenialInput,
    status: 201,
    response: z.object({ id: z.string(), position: z.number().int(), hash: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      const id = newId(reader, idempotencyKey);
      const image = services.journal.image;
      const decided = recordAccessDenial(image.operations, image.framework, body, {
        now: services.now(),
        id,
        reporter: { username: reader!.username, party: reader!.party },
      });
      if (!decided.ok) return decided;
      const appended = await appendAs(services, reader, ok(decided.value.drafts), idempotencyKey, decided.value.expected);
      if (!appended.ok) return appended;
      return ok({ id, ...appended.value });
    },
    replay: (events) => {
      const last = events[events.length - 1]!;
      return ok({ id: last.payload.id as string, position: last.position, hash: last.hash });
    },
  }),
];
