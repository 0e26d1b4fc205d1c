import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import { importSink, type IntakeAccess } from '../../core/operations/import/journal-sink';
import { ColumnMapping, parseMapping } from '../../core/operations/import/mapping';
import { prepareImport } from '../../core/operations/import/read-import';
import { IMPORT_FORMATS, mapPreparedInSlices, rowCount, type ImportFormat } from '../../core/operations/import/rows';
import { IMPORT_STATES, ON_ERROR, runImport, type ImportProgress } from '../../core/operations/import/run-import';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { intakeOf } from './reports';

/**
 * Bulk import through the API: the file travels in the JSON body (text, or base64 for files that are
 * not UTF-8), is read at once — a file that cannot be read at all is refused there and then — and is
 * imported in the background; the caller follows it with GET /api/v1/imports/:id.
 */

/** Whole files travel in the body: allow more than the ordinary limit, but not without bound. */
export const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

const ImportRequest = z.strictObject({
  format: z.enum(IMPORT_FORMATS),
  /** The file: its text, or its bytes in base64 when it is not UTF-8 (e.g. a Windows-1252 export). */
  content: z.string().min(1, 'the file is empty'),
  contentEncoding: z.enum(['text', 'base64']).default('text'),
  /** The file's name, shown in the import's status. */
  name: z.string().max(200).optional(),
  mapping: ColumnMapping.optional(),
  onError: z.enum(ON_ERROR).default('stop'),
  /** UCDP: force the encoding instead of detecting it. */
  encoding: z.enum(['auto', 'utf-8', 'windows-1252']).optional(),
  /** UCDP: the order of slash dates when the file cannot prove it. */
  dayOrder: z.enum(['dmy', 'mdy']).optional(),
});

const RowProblemOut = z.object({ line: z.number().int(), reason: z.string() });

const ImportOut = z.object({
  id: z.string(),
  format: z.enum(IMPORT_FORMATS),
  name: z.string().nullable(),
  state: z.enum(IMPORT_STATES),
  total: z.number().int(),
  done: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  skipped: z.array(RowProblemOut),
  errors: z.array(RowProblemOut),
  message: z.string(),
  onError: z.enum(ON_ERROR),
  encoding: z.string().nullable(),
  notes: z.array(z.string()),
  attribution: z.string().nullable(),
  startedBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
type ImportOut = z.infer<typeof ImportOut>;

interface ImportJob {
  view: ImportOut;
  readonly owner: string;
}

/** Import jobs live in the node's memory: the reports they store are in the journal, the job is only progress. */
class ImportJobs {
  readonly jobs = new Map<string, ImportJob>();
  /** `${username}\u0000${idempotency key}` → job id, so a retried POST does not start the file again. */
  readonly keys = new Map<string, string>();
  /** One import at a time per node: they would only compete for the same group commits. */
  private queue: Promise<void> = Promise.resolve();

  enqueue(run: () => Promise<void>): void {
    this.queue = this.queue.then(run, run);
  }

  /** Finished jobs beyond the newest 100 are forgotten. */
  prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.finishedAt !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - 100))) this.jobs.delete(j.view.id);
  }

  /** The owner and mediators may follow an import; to anyone else it does not exist. */
  visible(reader: Principal | null, job: ImportJob): boolean {
    return reader !== null && (reader.username === job.owner || reader.roles.includes('mediator'));
  }
}

const registries = new WeakMap<Services, ImportJobs>();
function jobsOf(services: Services): ImportJobs {
  let jobs = registries.get(services);
  if (!jobs) {
    jobs = new ImportJobs();
    registries.set(services, jobs);
  }
  return jobs;
}

/** The node's intake as imports use it (the CLI, opening a store itself, passes its own journal). */
export function intakeAccess(services: Pick<Services, 'journal' | 'now'>): IntakeAccess {
  const journal = services.journal;
  return {
    intake: intakeOf(services),
    view: () => ({
      operations: journal.image.operations,
      framework: journal.image.framework,
      streamVersion: (s) => journal.image.index.streams.get(s) ?? 0,
    }),
    now: services.now,
  };
}

function bytesOf(content: string, encoding: 'text' | 'base64'): Result<Uint8Array> {
  if (encoding === 'text') return ok(Buffer.from(content, 'utf8'));
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    return fail('validation_failed', 'content is not base64 (contentEncoding is "base64")', '/content');
  }
  return ok(Buffer.from(compact, 'base64'));
}

export const importRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/imports',
    summary: 'Import a file of reports (UCDP GED CSV, CSV with a column mapping, GeoJSON); follow it at /api/v1/imports/{id}',
    tag: 'operations',
    action: 'report.import',
    body: ImportRequest,
    bodyLimit: IMPORT_BODY_LIMIT,
    status: 202,
    response: z.object({ id: z.string(), total: z.number().int(), state: z.enum(IMPORT_STATES) }),
    async handler({ body, reader, services, idempotencyKey }) {
      const jobs = jobsOf(services);
      const key = idempotencyKey && reader ? `${reader.username}\u0000${idempotencyKey}` : null;
      const seen = key ? jobs.jobs.get(jobs.keys.get(key) ?? '') : undefined;
      if (seen) return ok({ id: seen.view.id, total: seen.view.total, state: seen.view.state });

      if (body.format === 'ucdp' && body.mapping)
        return fail('validation_failed', 'a UCDP GED file needs no mapping: its columns are fixed', '/mapping');
      if (body.format !== 'ucdp' && (body.encoding || body.dayOrder)) {
        return fail(
          'validation_failed',
          `for ${body.format}, the encoding and the day order go in the mapping`,
          body.encoding ? '/encoding' : '/dayOrder',
        );
      }
      let mapping: ColumnMapping | null = null;
      if (body.mapping) {
        const checked = parseMapping(body.mapping);
        if (!checked.ok) return checked;
        mapping = checked.value;
      }
      const bytes = bytesOf(body.content, body.contentEncoding);
      if (!bytes.ok) return bytes;
      // Whole-file checks now, so that a file that cannot be read is refused in the answer; rows are mapped in the job.
      const prepared = prepareImport(body.format as ImportFormat, bytes.value, {
        mapping,
        ...(body.encoding ? { encoding: body.encoding } : {}),
        ...(body.dayOrder ? { dayOrder: body.dayOrder } : {}),
      });
      if (!prepared.ok) return prepared;

      const principal = reader!;
      const job: ImportJob = {
        owner: principal.username,
        view: {
          id: randomUUID(),
          format: body.format,
          name: body.name ?? null,
          state: 'queued',
          total: rowCount(prepared.value),
          done: 0,
          imported: 0,
          duplicates: 0,
          skipped: [],
          errors: [],
          message: 'waiting for the import before it to finish',
          onError: body.onError,
          encoding: prepared.value.encoding,
          notes: [...prepared.value.notes],
          attribution: prepared.value.attribution,
          startedBy: principal.username,
          createdAt: services.now().toISOString(),
          finishedAt: null,
        },
      };
      jobs.prune();
      jobs.jobs.set(job.view.id, job);
      if (key) jobs.keys.set(key, job.view.id);
      const update = (p: Readonly<ImportProgress>) => {
        job.view = { ...job.view, ...p, skipped: [...p.skipped], errors: [...p.errors] };
      };
      jobs.enqueue(async () => {
        try {
          job.view = { ...job.view, state: 'reading', message: 'reading the rows' };
          // Rows are read and decided in slices with a turn of the event loop between them: a large file must not stall the node.
          const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
          const parsed = await mapPreparedInSlices(prepared.value, (n) => {
            job.view = { ...job.view, message: `reading the rows: ${n} of ${job.view.total}` };
            return yieldToOthers();
          });
          const sink = importSink(intakeAccess(services), { username: principal.username, party: principal.party, roles: principal.roles });
          const result = await runImport(parsed, sink, { onError: body.onError, onProgress: update, pause: yieldToOthers, batchSize: 250 });
          update(result);
        } catch (error) {
          services.log.error({ err: String(error), importId: job.view.id }, 'import failed');
          job.view = {
            ...job.view,
            state: 'failed',
            message: `the import failed (quote import ${job.view.id} to the operator); importing the file again adds only what is missing`,
          };
        }
        job.view = { ...job.view, finishedAt: services.now().toISOString() };
      });
      return ok({ id: job.view.id, total: job.view.total, state: job.view.state });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/imports/:id',
    summary: 'Progress and outcome of an import: rows done, imported, already there, skipped (with line and reason)',
    tag: 'operations',
    action: 'report.import-status',
    params: z.object({ id: z.string().max(100) }),
    response: ImportOut,
    async handler({ params, reader, services }) {
      const jobs = jobsOf(services);
      const job = jobs.jobs.get(params.id);
      if (!job || !jobs.visible(reader, job)) return fail('not_found', `no import ${params.id} on this node`, '/params/id');
      return ok(job.view);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/imports',
    summary: 'Imports on this node the reader may follow (their own; every one for a mediator), newest first',
    tag: 'operations',
    action: 'report.import-status',
    response: z.object({ imports: z.array(ImportOut) }),
    async handler({ reader, services }) {
      const jobs = jobsOf(services);
      const list = [...jobs.jobs.values()].filter((j) => jobs.visible(reader, j)).map((j) => j.view);
      return ok({ imports: list.reverse() });
    },
  }),
];
