import { z } from 'zod';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import {
  decideAccess,
  decideCapture,
  decideChallenge,
  decideDerivative,
  decidePublish,
  decideRead,
  decideTransfer,
  decideUnseal,
  decideVerification,
  itemsOfCase,
  mayRead,
  publishedItems,
  readableItem,
  type ReadKind,
} from '../../core/evidence/custody';
import {
  AccessInput,
  CaptureInput,
  ChallengeInput,
  DerivativeInput,
  MECHANISM_PARTY,
  PurposeInput,
  SealedEnvelope,
  TransferInput,
  VerificationInput,
} from '../../core/evidence/model';
import { ACCEPTED_TYPES } from '../../core/evidence/sniff';
import type { EvidenceItem } from '../../core/evidence/state';
import { canRead } from '../../core/access/policy';
import { currentCase } from '../../core/operations/state';
import type { EventDraft, JournalEvent } from '../../core/journal/envelope';
import type { ExifFacts } from '../../core/evidence/model';
import type { FastifyReply } from 'fastify';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs, newId } from './identity';
import { UPLOADS_PATH } from './evidence-uploads';

/**
 * Evidence over HTTP: capture from a finished tus upload (hash checked against the device's, type
 * sniffed, EXIF read, discrepancies flagged), items per case, item detail with its custody timeline
 * (opening it is a custody event with a purpose), downloads (the same), derivatives, verification
 * records, challenges, transfers, access changes, explicit publication, and the sealed reporter
 * identity for the mechanism. No route changes or deletes an original.
 */

const FileOut = z.object({
  sha256: z.string(),
  clientSha256: z.string(),
  bytes: z.number().int(),
  mediaType: z.string(),
  declaredType: z.string(),
  filename: z.string(),
});
const Summary = z.object({
  id: z.string(),
  kind: z.enum(['original', 'derivative']),
  file: FileOut,
  caseId: z.string().nullable(),
  parent: z.object({ item: z.string(), sha256: z.string(), action: z.string(), description: z.string() }).nullable(),
  capturedBy: z.string(),
  party: z.string().nullable(),
  capturedAt: z.string(),
  discrepancies: z.number().int(),
  verifications: z.number().int(),
  challenges: z.number().int(),
  derivatives: z.number().int(),
  published: z.boolean(),
  custodyEvents: z.number().int(),
});
const Detail = Summary.extend({
  capture: z
    .object({
      deviceTime: z.string().nullable(),
      position: z.object({ lon: z.number(), lat: z.number(), accuracy_m: z.number() }).nullable(),
      receivedAt: z.string(),
      exif: z.record(z.string(), z.unknown()).nullable(),
    })
    .nullable(),
  flags: z.array(z.object({ code: z.string(), message: z.string() })),
  note: z.string(),
  readers: z.array(z.string()),
  custodian: z.string().nullable(),
  derivativeItems: z.array(Summary),
  verificationRecords: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['source', 'technical', 'content']),
      analyst: z.string(),
      party: z.string().nullable(),
      performedOn: z.string(),
      recordedAt: z.string(),
      method: z.string(),
      finding: z.string(),
      conclusion: z.enum(['consistent', 'inconsistent', 'inconclusive']),
    }),
  ),
  challengeRecords: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['challenge', 'counter-claim']),
      refersTo: z.string().nullable(),
      text: z.string(),
      by: z.string(),
      party: z.string().nullable(),
      at: z.string(),
    }),
  ),
  publishedAt: z.string().nullable(),
  /** Known only to the mechanism: whether a sealed reporter identity is kept. */
  reporterSealed: z.boolean().nullable(),
  custody: z.array(
    z.object({
      position: z.number().int(),
      version: z.number().int(),
      type: z.string(),
      actor: z.string(),
      party: z.string().nullable(),
      at: z.string(),
      purpose: z.string(),
      summary: z.string(),
    }),
  ),
});
type Summary = z.infer<typeof Summary>;
type Detail = z.infer<typeof Detail>;

const Captured = z.object({
  id: z.string(),
  sha256: z.string(),
  clientSha256: z.string(),
  hashesMatch: z.literal(true),
  mediaType: z.string(),
  bytes: z.number().int(),
  flags: z.array(z.object({ code: z.string(), message: z.string() })),
  position: z.number().int(),
  hash: z.string(),
});
const Appended = z.object({ position: z.number().int(), hash: z.string() });
const IdParams = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/, 'an evidence item id (a UUID)') }).strict();
const PurposeQuery = z
  .object({
    purpose: z
      .string({ message: 'state the purpose in ?purpose=…: it is recorded in the custody log' })
      .trim()
      .min(3, 'state the purpose (at least 3 characters): it is recorded in the custody log')
      .max(500),
  })
  .strict();

function summary(item: EvidenceItem): Summary {
  return {
    id: item.id,
    kind: item.kind,
    file: { ...item.file },
    caseId: item.caseId,
    parent: item.parent ? { ...item.parent } : null,
    capturedBy: item.capturedBy,
    party: item.party,
    capturedAt: item.capturedAt,
    discrepancies: item.discrepancies.length,
    verifications: item.verifications.length,
    challenges: item.challenges.length,
    derivatives: item.derivatives.length,
    published: item.published !== null,
    custodyEvents: item.version,
  };
}

function detail(services: Services, reader: Principal | null, item: EvidenceItem): Detail {
  const items = services.journal.image.evidence.items;
  const mechanism = reader?.party === MECHANISM_PARTY;
  return {
    ...summary(item),
    capture: item.capture ? { ...item.capture, exif: item.capture.exif ? { ...item.capture.exif } : null } : null,
    flags: item.discrepancies.map((d) => ({ ...d })),
    note: item.note,
    readers: [...item.readers],
    custodian: item.custodian,
    derivativeItems: item.derivatives
      .map((id) => items.get(id))
      .filter((d): d is EvidenceItem => d !== undefined && mayRead(reader, d))
      .map(summary),
    verificationRecords: item.verifications.map(({ position: _p, ...v }) => ({ ...v })),
    challengeRecords: item.challenges.map(({ position: _p, ...c }) => ({ ...c })),
    publishedAt: item.published?.at ?? null,
    reporterSealed: mechanism ? item.reporterSealed : null,
    custody: item.custody
      .filter((c) => canRead(reader, c.visibility))
      .map((c) => ({
        position: c.position,
        version: c.streamVersion,
        type: c.type,
        actor: c.actor,
        party: c.party,
        at: c.at,
        purpose: c.purpose,
        summary: c.summary,
      })),
  };
}

/** Appends the custody event of a read, then hands back the item as it is after it. */
async function recordRead(
  services: Services,
  reader: Principal,
  id: string,
  kind: ReadKind,
  purpose: string,
): Promise<Result<EvidenceItem>> {
  const appended = await appendAs(services, reader, decideRead(services.journal.image.evidence, reader, id, kind, purpose), null);
  if (!appended.ok) return appended;
  return ok(services.journal.image.evidence.items.get(id)!);
}

function caseExists(services: Services, caseId: string): boolean {
  return currentCase(services.journal.image.operations, caseId) !== undefined;
}

/**
 * Turns a finished upload into a stored file and its events, or into nothing at all: the blob is kept
 * only when the journal append succeeds, and the upload is forgotten once it is an item or refused.
 */
async function ingest(
  services: Services,
  reader: Principal,
  input: { upload: string; mediaType: string; filename: string },
  decideEvents: (measured: {
    sha256: string;
    bytes: number;
    mediaType: string;
    exif: ExifFacts | null;
    receivedAt: string;
  }) => Promise<Result<EventDraft[]>>,
  idempotencyKey: string | null,
): Promise<Result<{ position: number; hash: string; sha256: string; bytes: number; mediaType: string }>> {
  const files = services.evidence;
  const receivedAt = services.now().toISOString();
  const measured = await files.measure(input.upload, reader.username, input.mediaType, input.filename);
  if (!measured.ok) {
    // A truncated upload can still be resumed; a missing one is not ours to drop; the rest is refused for good.
    if (measured.code !== 'not_found' && !measured.message.startsWith('truncated')) await files.dropUpload(input.upload);
    return measured;
  }
  const drafts = await decideEvents({ ...measured.value, receivedAt });
  if (!drafts.ok) {
    await files.dropUpload(input.upload);
    return drafts;
  }
  const held = await files.hold(measured.value.path, measured.value.sha256);
  const appended = await appendAs(services, reader, drafts, idempotencyKey);
  await held.release(appended.ok, (sha) => services.journal.image.evidence.bySha.has(sha));
  await files.dropUpload(input.upload);
  if (!appended.ok) return appended;
  return ok({ ...appended.value, sha256: measured.value.sha256, bytes: measured.value.bytes, mediaType: measured.value.mediaType });
}

function capturedOut(services: Services, id: string, appended: { position: number; hash: string }): z.infer<typeof Captured> {
  const item = services.journal.image.evidence.items.get(id)!;
  return {
    id,
    sha256: item.file.sha256,
    clientSha256: item.file.clientSha256,
    hashesMatch: true,
    mediaType: item.file.mediaType,
    bytes: item.file.bytes,
    flags: item.discrepancies.map((d) => ({ ...d })),
    position: appended.position,
    hash: appended.hash,
  };
}

function replayCaptured(events: readonly JournalEvent[]): Result<z.infer<typeof Captured>> {
  const first = events[0]!;
  const p = first.payload as {
    item: string;
    file: { sha256: string; clientSha256: string; mediaType: string; bytes: number };
    discrepancies?: { code: string; message: string }[];
  };
  const last = events[events.length - 1]!;
  return ok({
    id: p.item,
    sha256: p.file.sha256,
    clientSha256: p.file.clientSha256,
    hashesMatch: true as const,
    mediaType: p.file.mediaType,
    bytes: p.file.bytes,
    flags: p.discrepancies ?? [],
    position: last.position,
    hash: last.hash,
  });
}

async function sendBlob(services: Services, reply: FastifyReply, item: EvidenceItem): Promise<void> {
  const name = item.file.filename.replace(/[^\w.\- ]/g, '_');
  await reply
    .type(item.file.mediaType)
    .header('content-length', item.file.bytes)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('x-content-sha256', item.file.sha256)
    .send(services.evidence.blobs.open(item.file.sha256));
}

function actionRoute<B>(
  url: string,
  summaryText: string,
  action: Parameters<typeof defineRoute>[0]['action'],
  body: z.ZodType<B>,
  decideFor: (services: Services, reader: Principal, id: string, body: B, idempotencyKey: string | null) => Result<EventDraft[]>,
) {
  return defineRoute({
    method: 'POST',
    url: `/api/v1/evidence/items/:id/${url}`,
    summary: summaryText,
    tag: 'evidence',
    action,
    params: IdParams,
    body,
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decideFor(services, reader!, params.id, body, idempotencyKey), idempotencyKey);
    },
  });
}

export const evidenceRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/evidence/limits',
    summary: 'What an evidence upload may be: the size limit, the accepted kinds of file, where to upload (tus)',
    tag: 'evidence',
    action: 'evidence.read',
    response: z.object({ maxBytes: z.number().int(), acceptedTypes: z.array(z.string()), uploads: z.string() }),
    async handler({ services }) {
      return ok({ maxBytes: services.evidence.maxBytes, acceptedTypes: [...ACCEPTED_TYPES], uploads: UPLOADS_PATH });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/evidence/items',
    summary:
      'Capture an original from a finished upload: the device hash is checked against the bytes, the type sniffed, EXIF read, discrepancies flagged',
    tag: 'evidence',
    action: 'evidence.submit',
    body: CaptureInput,
    status: 201,
    response: Captured,
    replay: replayCaptured,
    async handler({ body, reader, services, idempotencyKey }) {
      if (body.caseId !== null && !caseExists(services, body.caseId)) return fail('validation_failed', `no case ${body.caseId}`, '/caseId');
      const id = newId(reader, idempotencyKey);
      const done = await ingest(
        services,
        reader!,
        body,
        async (m) => {
          const reporter = body.reporter ? await services.evidence.seal.seal(body.reporter) : null;
          return decideCapture(services.journal.image.evidence, reader!, body, {
            id,
            sha256: m.sha256,
            bytes: m.bytes,
            mediaType: m.mediaType,
            exif: m.exif,
            receivedAt: m.receivedAt,
            reporter,
          });
        },
        idempotencyKey,
      );
      if (!done.ok) return done;
      return ok(capturedOut(services, id, done.value));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/evidence/items',
    summary: 'Evidence items the reader may see, optionally of one case (listing records no custody event; opening an item does)',
    tag: 'evidence',
    action: 'evidence.read',
    query: z.object({ case: z.string().min(1).max(100).optional() }).strict(),
    response: z.object({ items: z.array(Summary) }),
    async handler({ query, reader, services }) {
      const state = services.journal.image.evidence;
      const items = query.case ? itemsOfCase(state, reader, query.case) : [...state.items.values()].filter((i) => mayRead(reader, i));
      return ok({ items: items.map(summary) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/evidence/items/:id',
    summary:
      'Open an item (recorded as `evidence.viewed` with the stated purpose): file facts, capture sources, flags, custody timeline, verification records, challenges, derivatives',
    tag: 'evidence',
    action: 'evidence.read',
    params: IdParams,
    query: PurposeQuery,
    response: Detail,
    async handler({ params, query, reader, services }) {
      const item = await recordRead(services, reader!, params.id, 'viewed', query.purpose);
      return item.ok ? ok(detail(services, reader, item.value)) : item;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/evidence/items/:id/content',
    summary:
      'Download the file (recorded as `evidence.downloaded` with the stated purpose before a byte is sent); X-Content-SHA256 names its hash',
    tag: 'evidence',
    action: 'evidence.read',
    params: IdParams,
    query: PurposeQuery,
    response: null,
    raw: true,
    async handler({ params, query, reader, services, reply }) {
      const found = readableItem(services.journal.image.evidence, reader, params.id);
      if (!found.ok) return found;
      if (!services.evidence.blobs.has(found.value.file.sha256)) {
        return fail(
          'unavailable',
          `the file of item ${params.id} is not in this node's blob store (sha256 ${found.value.file.sha256}); see docs/evidence-api.md on sharing blobs between nodes`,
        );
      }
      const item = await recordRead(services, reader!, params.id, 'downloaded', query.purpose);
      if (!item.ok) return item;
      await sendBlob(services, reply, item.value);
      return ok(undefined);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/evidence/items/:id/derivatives',
    summary:
      "Add a derivative (thumbnail, redaction, transcode, excerpt, translation) from a finished upload: a new item naming its parent's hash and the action taken",
    tag: 'evidence',
    action: 'evidence.derive',
    params: IdParams,
    body: DerivativeInput,
    status: 201,
    response: Captured,
    replay: replayCaptured,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const parent = readableItem(services.journal.image.evidence, reader, params.id);
      if (!parent.ok) return parent;
      const id = newId(reader, idempotencyKey);
      const done = await ingest(
        services,
        reader!,
        body,
        async (m) =>
          decideDerivative(services.journal.image.evidence, reader!, params.id, body, {
            id,
            sha256: m.sha256,
            bytes: m.bytes,
            mediaType: m.mediaType,
            receivedAt: m.receivedAt,
          }),
        idempotencyKey,
      );
      if (!done.ok) return done;
      return ok(capturedOut(services, id, done.value));
    },
  }),
  actionRoute(
    'verifications',
    'Record a verification (source, technical or content analysis) with the analyst and the date it was done',
    'evidence.analyse',
    VerificationInput,
    (services, reader, id, body, key) => decideVerification(services.journal.image.evidence, reader, id, body, newId(reader, key)),
  ),
  actionRoute(
    'challenges',
    'Challenge the item or one of its records, or make a counter-claim: a linked record, never an edit',
    'evidence.challenge',
    ChallengeInput,
    (services, reader, id, body, key) => decideChallenge(services.journal.image.evidence, reader, id, body, newId(reader, key)),
  ),
  actionRoute(
    'transfer',
    'Transfer custody to another party (the custodian or the mediator)',
    'evidence.transfer',
    TransferInput,
    (services, reader, id, body) =>
      decideTransfer(services.journal.image.evidence, reader, id, body.to, body.purpose, (p) =>
        services.journal.image.identity.parties.has(p),
      ),
  ),
  actionRoute(
    'access',
    'Grant or revoke readers (party:<id>, grant:<name>, …); the mechanism, the mediator and the custodian always keep access',
    'evidence.access',
    AccessInput,
    (services, reader, id, body) => decideAccess(services.journal.image.evidence, reader, id, body.grant, body.revoke, body.purpose),
  ),
  actionRoute(
    'publish',
    'Publish a derivative to the public (originals are never published)',
    'evidence.publish',
    PurposeInput,
    (services, reader, id, body) => decidePublish(services.journal.image.evidence, reader, id, body.purpose),
  ),
  defineRoute({
    method: 'POST',
    url: '/api/v1/evidence/items/:id/reporter',
    summary: 'Open the sealed reporter identity (the monitoring mechanism only; the opening is a custody event with its purpose)',
    tag: 'evidence',
    action: 'evidence.reporter',
    params: IdParams,
    body: PurposeInput,
    response: z.object({ reporter: z.object({ name: z.string(), contact: z.string() }) }),
    async handler({ params, body, reader, services }) {
      const state = services.journal.image.evidence;
      const drafts = decideUnseal(state, reader!, params.id, body.purpose);
      if (!drafts.ok) return drafts;
      const sealedAt = state.items.get(params.id)!.custody.find((c) => c.type === 'evidence.reporter-sealed')!.position;
      const [event] = await services.store.read(sealedAt - 1, 1);
      const envelope = SealedEnvelope.safeParse(event?.payload.envelope);
      if (!envelope.success) return fail('internal', `the sealed identity of item ${params.id} cannot be read`);
      const appended = await appendAs(services, reader, drafts, null);
      if (!appended.ok) return appended;
      const identity = (await services.evidence.seal.open(envelope.data)) as { name: string; contact: string };
      return ok({ reporter: { name: identity.name, contact: identity.contact } });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/evidence/public',
    summary: 'Published derivatives: what the public may see of the evidence',
    tag: 'evidence',
    action: 'evidence.public',
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          caseId: z.string().nullable(),
          action: z.string(),
          description: z.string(),
          mediaType: z.string(),
          bytes: z.number().int(),
          sha256: z.string(),
          publishedAt: z.string(),
        }),
      ),
    }),
    async handler({ services }) {
      return ok({
        items: publishedItems(services.journal.image.evidence).map((i) => ({
          id: i.id,
          caseId: i.caseId,
          action: i.parent?.action ?? '',
          description: i.parent?.description ?? '',
          mediaType: i.file.mediaType,
          bytes: i.file.bytes,
          sha256: i.file.sha256,
          publishedAt: i.published!.at,
        })),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/evidence/public/:id/content',
    summary: 'The file of a published derivative (public; not a custody event, since it is public)',
    tag: 'evidence',
    action: 'evidence.public',
    params: IdParams,
    response: null,
    raw: true,
    async handler({ params, services, reply }) {
      const item = services.journal.image.evidence.items.get(params.id);
      if (!item || !item.published || !services.evidence.blobs.has(item.file.sha256))
        return fail('not_found', `no published evidence ${params.id}`, '/params/id');
      await sendBlob(services, reply, item);
      return ok(undefined);
    },
  }),
];
