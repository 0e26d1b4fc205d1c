/**
 * The one closed list of failure codes. Core functions return failures as values; the server maps
 * each code to an HTTP status in one table (src/server/problem.ts) and a problem+json body.
 */
export const FAILURE_CODES = [
  'malformed_json',
  'validation_failed',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
  'rate_limited',
  'not_found',
  'conflict',
  'idempotency_mismatch',
  'invalid_transition',
  'refused',
  'unavailable',
  'internal',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

export interface Failure {
  readonly ok: false;
  readonly code: FailureCode;
  readonly message: string;
  /** RFC 6901 JSON pointer to the offending field of the request, when there is one. */
  readonly pointer?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface Success<T> {
  readonly ok: true;
  readonly value: T;
}

export type Result<T> = Success<T> | Failure;

export function ok<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function fail(code: FailureCode, message: string, pointer?: string, details?: Record<string, unknown>): Failure {
  return pointer === undefined && details === undefined
    ? { ok: false, code, message }
    : { ok: false, code, message, ...(pointer !== undefined ? { pointer } : {}), ...(details ? { details } : {}) };
}

/** Builds an RFC 6901 pointer from path segments (as zod reports them). */
export function pointerFrom(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
