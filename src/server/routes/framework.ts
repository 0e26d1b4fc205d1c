import { z } from 'zod';
import { fail, ok } from '../../core/errors';
import { diffFrameworks } from '../../core/framework/diff';
import { exportAkomaNtoso } from '../../core/framework/export/akoma-ntoso';
import { exportDocx } from '../../core/framework/export/docx';
import { exportMarkdown } from '../../core/framework/export/markdown';
import { ForceEntry, Instant } from '../../core/framework/in-force';
import { validateFramework } from '../../core/framework/validate';
import { inForceAt, recordForce, recordVersion, signOff, signVersion, type FrameworkState } from '../../core/framework/versions';
import { defineRoute } from '../route';
import { appendAs } from './identity';

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a version hash is 64 lower-case hexadecimal characters');

const VersionOut = z.object({
  number: z.number().int(),
  hash: z.string(),
  languages: z.record(z.string(), z.string()),
  recordedAt: z.string(),
  recordedBy: z.string(),
  note: z.string(),
  title: z.string(),
});

const SignOffOut = z.object({
  currentHash: z.string().nullable(),
  currentVersion: z.number().int().nullable(),
  sameScript: z.boolean(),
  missing: z.array(z.string()),
  parties: z.array(
    z.object({
      party: z.string(),
      state: z.enum(['current', 'outdated', 'unsigned']),
      signedHash: z.string().nullable(),
      signedVersion: z.number().int().nullable(),
      signer: z.string().nullable(),
      signedAt: z.string().nullable(),
    }),
  ),
});

const InForceOut = z.object({ hash: z.string(), since: z.string(), number: z.number().int() }).nullable();

const VersionParams = z.object({ number: z.coerce.number().int().min(1) }).strict();

function versionOf(state: FrameworkState, number: number) {
  const v = state.versions[number - 1];
  return v ? { summary: v, document: state.documents.get(v.hash)! } : null;
}

export const frameworkRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/framework',
    summary: 'The framework: its versions, the current one, sign-off ("same script") and what is in force now',
    tag: 'framework',
    action: 'framework.read',
    response: z.object({ processId: z.string().nullable(), versions: z.array(VersionOut), signOff: SignOffOut, inForce: InForceOut }),
    async handler({ services }) {
      const state = services.journal.image.framework;
      const now = inForceAt(state, services.now().toISOString());
      return ok({
        processId: state.processId,
        versions: state.versions.map((v) => ({ ...v, languages: { ...v.languages } })),
        signOff: signOff(state) as z.infer<typeof SignOffOut>,
        inForce: now ? { hash: now.hash, since: now.since, number: now.number } : null,
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/framework/versions/:number',
    summary: 'One recorded version with its whole document',
    tag: 'framework',
    action: 'framework.read',
    params: VersionParams,
    response: z.object({ version: VersionOut, document: z.record(z.string(), z.unknown()) }),
    async handler({ params, services }) {
      const found = versionOf(services.journal.image.framework, params.number);
      if (!found) return fail('not_found', `there is no version ${params.number}`, '/params/number');
      return ok({ version: { ...found.summary, languages: { ...found.summary.languages } }, document: found.document as unknown as Record<string, unknown> });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/framework/versions',
    summary: 'Record a new version from its YAML or JSON source; every problem is returned with its line and column',
    tag: 'framework',
    action: 'framework.record',
    body: z.object({ source: z.string().min(1).max(5 * 1024 * 1024), format: z.enum(['yaml', 'json']).default('yaml'), note: z.string().max(2000).default('') }).strict(),
    status: 201,
    response: z.object({ number: z.number().int(), hash: z.string(), position: z.number().int() }),
    async handler({ body, reader, services, idempotencyKey }) {
      const report = validateFramework(body.source, body.format === 'json' ? 'framework.json' : 'framework.yaml');
      if (!report.ok || !report.document) {
        const errors = report.problems.filter((p) => p.severity === 'error');
        const first = errors[0]!;
        return fail('validation_failed', `line ${first.line}, column ${first.col}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, '/source', {
          errors: errors.slice(0, 100).map((p) => ({ line: p.line, col: p.col, pointer: p.pointer, message: p.message })),
        });
      }
      const state = services.journal.image.framework;
      const decided = recordVersion(state, report.document, body.note);
      if (!decided.ok) return decided;
      const stream = `framework/${report.document.process.id}`;
      // Decided on the stream as it is now: a version or signature recorded meanwhile is a conflict.
      const appended = await appendAs(services, reader, ok(decided.value.drafts), idempotencyKey, { [stream]: services.journal.image.index.streams.get(stream) ?? 'new' });
      if (!appended.ok) return appended;
      return ok({ number: decided.value.number, hash: decided.value.hash, position: appended.value.position });
    },
    replay: (events) => {
      const e = events[events.length - 1]!;
      return ok({ number: e.payload.number as number, hash: e.payload.hash as string, position: e.position });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/framework/diff',
    summary: 'Clause-level difference between two recorded versions',
    tag: 'framework',
    action: 'framework.read',
    query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }).strict(),
    response: z.record(z.string(), z.unknown()),
    async handler({ query, services }) {
      const state = services.journal.image.framework;
      const a = versionOf(state, query.from);
      if (!a) return fail('not_found', `there is no version ${query.from}`, '/query/from');
      const b = versionOf(state, query.to);
      if (!b) return fail('not_found', `there is no version ${query.to}`, '/query/to');
      return ok(diffFrameworks(a.document, b.document) as unknown as Record<string, unknown>);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/framework/signatures',
    summary: "Sign the current version by its hash, for the signer's party; a hash that is not current is refused naming both",
    tag: 'framework',
    action: 'framework.sign',
    body: z.object({ hash: Hash }).strict(),
    status: 201,
    response: z.object({ position: z.number().int(), hash: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      const state = services.journal.image.framework;
      const drafts = signVersion(state, { party: reader!.party, hash: body.hash, signer: reader!.username, signedAt: services.now().toISOString() });
      return appendAs(services, reader, drafts, idempotencyKey);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/framework/force',
    summary: 'Record that a signed version enters into force at an instant (or a suspension, or the termination)',
    tag: 'framework',
    action: 'framework.force',
    body: ForceEntry,
    status: 201,
    response: z.object({ position: z.number().int(), hash: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, recordForce(services.journal.image.framework, body), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/framework/in-force',
    summary: 'Which version was in force at an instant (an incident is judged by the rules of its own day)',
    tag: 'framework',
    action: 'framework.read',
    query: z.object({ at: Instant }).strict(),
    response: z.object({ inForce: InForceOut }),
    async handler({ query, services }) {
      const r = inForceAt(services.journal.image.framework, query.at);
      return ok({ inForce: r ? { hash: r.hash, since: r.since, number: r.number } : null });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/framework/versions/:number/export',
    summary: 'A version as Markdown, DOCX or Akoma Ntoso XML, brackets rendered as diplomats read them',
    tag: 'framework',
    action: 'framework.read',
    params: VersionParams,
    query: z
      .object({
        format: z.enum(['md', 'docx', 'akn']),
        languages: z
          .string()
          .regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*(,[a-z]{2,3}(-[A-Za-z0-9]+)*)?$/, 'one language, or two separated by a comma (side by side)')
          .optional(),
      })
      .strict(),
    response: null,
    raw: true,
    async handler({ params, query, services, reply }) {
      const found = versionOf(services.journal.image.framework, params.number);
      if (!found) return fail('not_found', `there is no version ${params.number}`, '/params/number');
      const languages = query.languages?.split(',');
      const declared = found.document.process.languages;
      const unknown = languages?.find((l) => !declared.includes(l));
      if (unknown) return fail('validation_failed', `${unknown} is not a working language of this framework (${declared.join(', ')})`, '/query/languages');
      const name = `${found.document.process.id}-v${params.number}`;
      const options = languages ? { languages } : {};
      if (query.format === 'md') {
        await reply.type('text/markdown; charset=utf-8').header('content-disposition', `attachment; filename="${name}.md"`).send(exportMarkdown(found.document, options));
      } else if (query.format === 'docx') {
        const bytes = await exportDocx(found.document, options);
        await reply
          .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
          .header('content-disposition', `attachment; filename="${name}.docx"`)
          .send(Buffer.from(bytes));
      } else {
        await reply.type('application/akn+xml; charset=utf-8').header('content-disposition', `attachment; filename="${name}.akn.xml"`).send(exportAkomaNtoso(found.document));
      }
      return ok(undefined);
    },
  }),
];
