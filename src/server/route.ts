import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { decide, type Action } from '../core/access/policy';
import type { Principal } from '../core/access/roles';
import type { JournalEvent } from '../core/journal/envelope';
import { idempotencyScope } from '../core/journal/journal-index';
import { fail, pointerFrom, type Failure, type Result } from '../core/errors';
import type { Services } from './services';
import { sendProblem } from './problem';
import { SESSION_COOKIE, safeEqual } from './auth';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerContext<B, Q, P> {
  readonly reader: Principal | null;
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly idempotencyKey: string | null;
  readonly services: Services;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/**
 * One API route: its schemas (which feed validation and OpenAPI), the action the access policy
 * decides, and a handler that calls core and returns a Result. Authorisation happens before the
 * body is even parsed, so a refused caller learns nothing about the body's shape.
 */
export interface Route<B = unknown, Q = unknown, P = unknown, R = unknown> {
  readonly method: Method;
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  /** The policy action; 'sign-in' is the one route open to anyone that creates a session. */
  readonly action: Action | 'sign-in';
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  readonly status?: number;
  /** null: the route answers 204, or writes the reply itself (`raw`). */
  readonly response: z.ZodType<R> | null;
  /** The handler writes the reply itself (live stream). */
  readonly raw?: boolean;
  /** A larger body than the server's limit, for the few routes that take whole files (imports). */
  readonly bodyLimit?: number;
  handler(ctx: HandlerContext<B, Q, P>): Promise<Result<R>>;
  /**
   * A retry with an idempotency key already used answers from the events the first request
   * appended; the default answers `{position, hash}` of the last of them.
   */
  replay?(events: readonly JournalEvent[]): Result<R>;
}

// Routes of different shapes live in one table; each is type-checked where it is defined.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = Route<any, any, any, any>;

export function defineRoute<B = undefined, Q = undefined, P = undefined, R = unknown>(route: Route<B, Q, P, R>): Route<B, Q, P, R> {
  return route;
}

const UNSAFE = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): Result<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return zodFailure(parsed.error, where);
}

export function zodFailure(error: z.ZodError, where = ''): Failure {
  const issue = error.issues[0]!;
  let path = issue.path;
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...issue.path, issue.keys[0]!];
    message = `unknown field "${issue.keys[0]}"`;
  }
  const pointer = where + pointerFrom(path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return fail('validation_failed', `${pointer || '/'}: ${message}${more}`, pointer, {
    errors: error.issues.slice(0, 20).map((i) => ({ pointer: where + pointerFrom(i.path), message: i.message })),
  });
}

export async function readerOf(request: FastifyRequest, services: Services): Promise<Result<{ reader: Principal | null; viaCookie: string | null; csrf: string | null }>> {
  const authz = request.headers.authorization;
  if (authz !== undefined) {
    const m = /^Bearer (.+)$/.exec(authz);
    const principal = m ? await services.auth.tokenPrincipal(m[1]!) : null;
    if (!principal) return fail('unauthenticated', 'the API token is not valid, expired or revoked');
    return { ok: true, value: { reader: principal, viaCookie: null, csrf: null } };
  }
  const cookie = parseCookies(request.headers.cookie)[SESSION_COOKIE];
  if (cookie) {
    const session = await services.auth.session(cookie);
    if (session) return { ok: true, value: { reader: session.principal, viaCookie: cookie, csrf: session.csrf } };
  }
  return { ok: true, value: { reader: null, viaCookie: null, csrf: null } };
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function registerRoute(app: FastifyInstance, route: AnyRoute, services: Services): void {
  app.route({
    method: route.method,
    url: route.url,
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    handler: async (request, reply) => {
      const who = await readerOf(request, services);
      if (!who.ok) return sendProblem(reply, who);
      const { reader, viaCookie, csrf } = who.value;

      if (route.action !== 'sign-in') {
        const decision = decide(reader, route.action);
        if (!decision.allowed) return sendProblem(reply, fail(decision.reason, decision.message));
      }
      if (UNSAFE.has(route.method) && viaCookie && route.action !== 'sign-in') {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !csrf || !safeEqual(sent, csrf)) {
          return sendProblem(reply, fail('csrf_failed', 'send the X-CSRF-Token header you received at sign-in'));
        }
      }

      let idempotencyKey: string | null = null;
      const rawKey = request.headers['idempotency-key'];
      if (rawKey !== undefined) {
        if (typeof rawKey !== 'string' || !IDEMPOTENCY_KEY.test(rawKey)) {
          return sendProblem(reply, fail('validation_failed', 'Idempotency-Key must be 8–128 characters of letters, digits and _ . : -', '/headers/idempotency-key'));
        }
        idempotencyKey = rawKey;
      }

      if (idempotencyKey && reader && UNSAFE.has(route.method)) {
        const seen = services.journal.image.index.idempotency.get(idempotencyScope(reader.username, idempotencyKey));
        if (seen) {
          const events = await services.store.read(seen.first - 1, seen.last - seen.first + 1);
          const last = events[events.length - 1]!;
          const replayed = route.replay ? route.replay(events) : ({ ok: true, value: { position: last.position, hash: last.hash } } as Result<unknown>);
          if (!replayed.ok) return sendProblem(reply, replayed);
          void reply.header('idempotent-replay', 'true');
          return reply.code(route.status ?? 200).send(replayed.value);
        }
      }

      const params = route.params ? parseWith(route.params, request.params, '/params') : { ok: true as const, value: undefined };
      if (!params.ok) return sendProblem(reply, params);
      const query = route.query ? parseWith(route.query, request.query ?? {}, '/query') : { ok: true as const, value: undefined };
      if (!query.ok) return sendProblem(reply, query);
      let body: Result<unknown> = { ok: true, value: undefined };
      if (route.body) {
        if (request.body === undefined) return sendProblem(reply, fail('validation_failed', 'a JSON body is required', ''));
        body = parseWith(route.body, request.body, '');
        if (!body.ok) return sendProblem(reply, body);
      }

      const result = await route.handler({
        reader,
        body: body.value,
        query: query.value,
        params: params.value,
        idempotencyKey,
        services,
        request,
        reply,
      });
      if (!result.ok) return sendProblem(reply, result);
      if (route.raw) return reply;
      if (route.response === null) return reply.code(204).send();
      if (services.checkResponses) {
        const checked = route.response.safeParse(result.value);
        if (!checked.success) {
          request.log.error({ route: route.url, issues: checked.error.issues.slice(0, 5) }, 'response does not match its schema');
          return sendProblem(reply, fail('internal', `internal error (request ${request.id})`));
        }
      }
      return reply.code(route.status ?? 200).send(result.value);
    },
  });
}
