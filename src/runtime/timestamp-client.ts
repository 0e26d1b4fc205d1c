import { randomBytes } from 'node:crypto';
import { timestampRequest, tokenFromResponse } from '../core/journal/timestamp';

/** Asks one RFC 3161 authority (HTTP POST, application/timestamp-query) to stamp a SHA-256 imprint. */
export type AskAuthority = (url: string, imprint: Uint8Array) => Promise<Uint8Array>;

export function timestampClient(timeoutMs = 10_000): AskAuthority {
  return async (url, imprint) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: timestampRequest(imprint, randomBytes(8)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
    const token = tokenFromResponse(new Uint8Array(await res.arrayBuffer()));
    if (!token.ok) throw new Error(`${url}: ${token.message}`);
    return token.value;
  };
}

/** Parses the `--tsa` option: one or more http(s) URLs, comma-separated. */
export function parseAuthorities(value: string | readonly string[] | undefined): string[] {
  const items = (typeof value === 'string' ? [value] : (value ?? []))
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!/^https?:\/\/[^\s]+$/.test(item)) throw new Error(`--tsa takes http(s) URLs of time-stamping authorities; "${item}" is not one`);
  }
  return items;
}
