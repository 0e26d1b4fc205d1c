import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Server as TusServer } from '@tus/server';
import { decide } from '../../core/access/policy';
import { fail } from '../../core/errors';
import { OWNER_KEY } from '../../runtime/evidence/files';
import { safeEqual } from '../auth';
import { sendProblem } from '../problem';
import { readerOf } from '../route';
import type { Services } from '../services';

export const UPLOADS_PATH = '/api/v1/evidence/uploads';
/** Who is creating each upload, as the server authenticated them (never a value the client sends). */
const owners = new WeakMap<IncomingMessage, string>();

/**
 * Resumable uploads of evidence files (the tus 1.0 protocol: POST creates, HEAD tells the offset,
 * PATCH appends from it, DELETE abandons). The same sign-in, CSRF and policy as every route; an
 * upload belongs to its creator. tus keeps only the bytes, their length and the owner's username —
 * never the sender's network address. Reading an upload back (tus GET) is refused: files are read as
 * evidence items, with a stated purpose.
 */
export function evidenceUploads(services: Services): FastifyPluginAsync {
  // Made on the first upload request, so the upload directory exists only on nodes that take uploads.
  let server: TusServer | null = null;
  const tus = (): TusServer =>
    (server ??= new TusServer({
      path: UPLOADS_PATH,
      datastore: services.evidence.uploads,
      relativeLocation: true,
      maxSize: services.evidence.maxBytes,
      disableTerminationForFinishedUploads: false,
      async onUploadCreate(req, upload) {
        const raw = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
        const owner = raw ? owners.get(raw) : undefined;
        if (!owner) throw { status_code: 401, body: 'sign in first\n' };
        return { metadata: { ...upload.metadata, [OWNER_KEY]: owner } };
      },
      onResponseError(_req, err) {
        // tus answers plain text; keep its status, say it in our words where it is ours to say.
        if ('status_code' in err && err.status_code === 413) {
          return { status_code: 413, body: `the file is larger than the limit of ${services.evidence.maxBytes} bytes\n` };
        }
        return undefined;
      },
    }));

  return async (scope: FastifyInstance) => {
    const sweep = setInterval(() => void (server?.cleanUpExpiredUploads() ?? Promise.resolve()).catch(() => undefined), 3_600_000).unref();
    scope.addHook('onClose', async () => clearInterval(sweep));
    // tus bodies are raw bytes (application/offset+octet-stream): leave the stream for tus to read.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handler = (request: FastifyRequest, reply: FastifyReply) => handle(request, reply, services, tus);
    scope.all(UPLOADS_PATH, handler);
    scope.all(`${UPLOADS_PATH}/*`, handler);
  };
}

async function handle(request: FastifyRequest, reply: FastifyReply, services: Services, tus: () => TusServer): Promise<unknown> {
  const who = await readerOf(request, services);
  if (!who.ok) return sendProblem(reply, who);
  const { reader, viaCookie, csrf } = who.value;
  const decision = decide(reader, 'evidence.submit');
  if (!decision.allowed) return sendProblem(reply, fail(decision.reason, decision.message));
  const method = request.method;
  if (method === 'GET')
    return sendProblem(reply, fail('refused', 'uploads are not read back; read the evidence item, stating your purpose'));
  if (viaCookie && ['POST', 'PATCH', 'DELETE'].includes(method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !csrf || !safeEqual(sent, csrf))
      return sendProblem(reply, fail('csrf_failed', 'send the X-CSRF-Token header you received at sign-in'));
  }
  const id = request.url.split('?')[0]!.slice(UPLOADS_PATH.length + 1);
  if (method === 'POST') {
    if (id !== '') return sendProblem(reply, fail('not_found', `no route POST ${request.url}`));
    const length = request.headers['upload-length'];
    if (typeof length !== 'string' || !/^\d+$/.test(length)) {
      return sendProblem(
        reply,
        fail(
          'validation_failed',
          'send the file size in the Upload-Length header (deferred lengths are not accepted)',
          '/headers/upload-length',
        ),
      );
    }
    if (Number(length) > services.evidence.maxBytes) {
      return sendProblem(
        reply,
        fail(
          'payload_too_large',
          `the file is ${length} bytes; the limit is ${services.evidence.maxBytes} bytes`,
          '/headers/upload-length',
        ),
      );
    }
    owners.set(request.raw, reader!.username);
  } else if (method !== 'OPTIONS') {
    if (!/^[A-Za-z0-9_-]{8,128}$/.test(id) || !(await services.evidence.uploadOf(id, reader!.username))) {
      return sendProblem(reply, fail('not_found', `no upload ${id} of yours`));
    }
  }
  reply.hijack();
  await tus().handle(request.raw, reply.raw);
  return reply;
}
