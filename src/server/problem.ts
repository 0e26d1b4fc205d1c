import type { FastifyReply } from 'fastify';
import type { Failure, FailureCode } from '../core/errors';

/** Each failure code's HTTP status: the one table. */
export const STATUS_OF: Record<FailureCode, number> = {
  malformed_json: 400,
  validation_failed: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  rate_limited: 429,
  not_found: 404,
  conflict: 409,
  idempotency_mismatch: 422,
  invalid_transition: 409,
  refused: 422,
  unavailable: 503,
  internal: 500,
};

const TITLES: Record<FailureCode, string> = {
  malformed_json: 'The body is not valid JSON',
  validation_failed: 'The request is not valid',
  unsupported_media_type: 'Unsupported media type',
  payload_too_large: 'The body is too large',
  unauthenticated: 'Not signed in',
  forbidden: 'Not allowed',
  csrf_failed: 'Missing or wrong CSRF token',
  rate_limited: 'Too many attempts',
  not_found: 'Not found',
  conflict: 'Conflict',
  idempotency_mismatch: 'Idempotency key reused for another request',
  invalid_transition: 'Not possible in the current state',
  refused: 'Refused',
  unavailable: 'Unavailable',
  internal: 'Internal error',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: FailureCode;
  pointer?: string;
  instance?: string;
  [extra: string]: unknown;
}

export function problemOf(failure: Failure, instance?: string): Problem {
  const status = STATUS_OF[failure.code];
  return {
    type: `https://entente.example/problems/${failure.code.replace(/_/g, '-')}`,
    title: TITLES[failure.code],
    status,
    detail: failure.message,
    code: failure.code,
    ...(failure.pointer !== undefined ? { pointer: failure.pointer } : {}),
    ...(instance ? { instance } : {}),
    ...(failure.details ?? {}),
  };
}

export function sendProblem(reply: FastifyReply, failure: Failure): FastifyReply {
  const body = problemOf(failure, String(reply.request.id));
  if (failure.code === 'rate_limited' && typeof failure.details?.retryAfterSeconds === 'number') {
    void reply.header('retry-after', String(failure.details.retryAfterSeconds));
  }
  return reply.code(body.status).type('application/problem+json').send(body);
}
