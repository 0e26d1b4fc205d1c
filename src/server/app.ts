import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import pino, { type Logger } from 'pino';
import { fail } from '../core/errors';
import type { Journal } from '../runtime/journal';
import { ChainMonitor } from '../runtime/chain-monitor';
import { TreeLog, type TreeLogOptions } from '../runtime/tree-log';
import type { TreeHeadSigner } from '../core/journal/tree-head';
import type { JournalStore } from '../store/contract';
import { Auth } from './auth';
import { sendProblem } from './problem';
import { registerRoute } from './route';
import { ROUTES } from './routes';
import { evidenceUploads } from './routes/evidence-uploads';
import { EvidenceFiles } from '../runtime/evidence/files';
import type { Services } from './services';

export interface AppOptions {
  readonly journal: Journal;
  readonly store: JournalStore;
  readonly logger?: Logger;
  readonly webRoot?: string | undefined;
  readonly tls?: { cert: string; key: string } | undefined;
  readonly bodyLimit?: number;
  readonly checkResponses?: boolean;
  readonly trustedKeys?: ReadonlySet<string> | undefined;
  readonly now?: () => Date;
  /** The node's data directory (evidence files live under it); a temporary one when not given (tests). */
  readonly dataDir?: string;
  /** Largest evidence file accepted, in bytes. */
  readonly evidenceMaxBytes?: number;
  /** The node key that signs tree heads (none: proofs are served, no heads signed here). */
  readonly signer?: TreeHeadSigner | null;
  /** Time-stamping authorities and the signing interval of tree heads (no timer unless given). */
  readonly treeLog?: Omit<TreeLogOptions, 'signer'>;
}

/** Paths of secrets that must never reach a log line. */
export const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.csrfToken',
];

export function makeLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'entente' } }, destination as pino.DestinationStream | undefined);
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; services: Services }> {
  const log = options.logger ?? makeLogger('silent');
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // Per-request lines are left out: refused API requests are logged below, without bodies.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    ...(options.tls ? { https: { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) } } : {}),
  }) as unknown as FastifyInstance;

  const services: Services = {
    journal: options.journal,
    store: options.store,
    auth: new Auth(options.store, () => options.journal.image.identity, () => now().getTime()),
    chain: new ChainMonitor(options.store, options.trustedKeys, (message) => {
      log.error({ fault: message }, 'the stored journal chain is broken: checkpoint signing stopped; run entente journal verify');
      options.journal.suspendSigning(message);
    }),
    treeLog: new TreeLog(options.journal, options.store, {
      signer: options.signer ?? null,
      intervalMs: 0,
      now,
      onWarning: (message) => log.warn(message),
      ...options.treeLog,
    }),
    log,
    now,
    checkResponses: options.checkResponses ?? true,
    secureCookies: !!options.tls,
    liveStreams: new Set(),
    evidence: new EvidenceFiles({
      dataDir: options.dataDir,
      store: options.store,
      ...(options.evidenceMaxBytes ? { maxBytes: options.evidenceMaxBytes } : {}),
    }),
  };
  await services.treeLog.open();
  app.addHook('onClose', async () => services.treeLog.close());
  app.addHook('preClose', async () => {
    for (const res of services.liveStreams) res.end();
    services.liveStreams.clear();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('content-security-policy', CSP);
    void reply.header('cross-origin-opener-policy', 'same-origin');
    if (options.tls) void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/api/') && reply.statusCode >= 400) {
      request.log.info({ method: request.method, url: request.url.split('?')[0], status: reply.statusCode }, 'request refused');
    }
  });

  // Only JSON bodies: anything else is refused with a clear 415, never half-read.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/merge-patch+json'], { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string, (key, value: unknown) => (key === '__proto__' ? undefined : value)));
    } catch (error) {
      const e = new Error(`the body is not valid JSON: ${(error as Error).message}`) as Error & { statusCode: number; entente: 'malformed_json' };
      e.statusCode = 400;
      e.entente = 'malformed_json';
      done(e, undefined);
    }
  });
  app.addContentTypeParser('*', (_req, _payload, done) => {
    const e = new Error('send the body as application/json') as Error & { statusCode: number; entente: 'unsupported_media_type' };
    e.statusCode = 415;
    e.entente = 'unsupported_media_type';
    done(e, undefined);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; entente?: string }, request, reply) => {
    if (error.entente === 'malformed_json') return sendProblem(reply, fail('malformed_json', error.message, ''));
    if (error.entente === 'unsupported_media_type') return sendProblem(reply, fail('unsupported_media_type', error.message));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(reply, fail('payload_too_large', `the body is larger than ${request.routeOptions.bodyLimit ?? options.bodyLimit ?? 1_048_576} bytes`));
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, fail('malformed_json', error.message));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, fail('validation_failed', error.message));
    }
    request.log.error({ err: { message: error.message, stack: error.stack } }, 'unhandled error');
    return sendProblem(reply, fail('internal', `internal error; quote request ${request.id} to the operator`));
  });

  for (const route of ROUTES) registerRoute(app, route, services);
  // Resumable evidence uploads speak tus, not JSON: their own content types, in their own scope.
  await app.register(evidenceUploads(services));

  const webRoot = options.webRoot ? resolve(options.webRoot) : null;
  const hasWeb = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    // wildcard: files are looked up on each request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    // A missing asset is a 404, not the index page (a browser would refuse HTML as a script).
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/') || !hasWeb || request.method !== 'GET') {
      return sendProblem(reply, fail('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
    }
    // The web app routes on the client: every other GET gets its index page.
    return reply.type('text/html').sendFile('index.html');
  });

  void services.chain.check().catch((error: unknown) => log.error({ err: String(error) }, 'chain check failed'));
  // Rows verified once may be altered later on disk: re-verify the whole chain now and then.
  const recheck = setInterval(() => void services.chain.recheck().catch(() => undefined), 15 * 60_000).unref();
  app.addHook('onClose', async () => clearInterval(recheck));
  return { app, services };
}
