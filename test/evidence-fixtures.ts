import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export { jpegWithExif, type ExifSpec } from '../examples/kyiv-2026/evidence-files';

/**
 * Files and uploads for the evidence tests: JPEGs with EXIF we write ourselves (examples/kyiv-2026/
 * evidence-files.ts), a PDF, and a tus client over app.inject.
 */

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

/** Creates a tus upload and sends `bytes` (or only the first `send` of them). Answers the upload id. */
export async function tusUpload(
  app: FastifyInstance,
  headers: Record<string, string>,
  bytes: Uint8Array,
  options: { send?: number; length?: number; remoteAddress?: string; extra?: Record<string, string> } = {},
): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/evidence/uploads',
    headers: { ...headers, 'tus-resumable': '1.0.0', 'upload-length': String(options.length ?? bytes.length), ...(options.extra ?? {}) },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
  if (created.statusCode !== 201) throw new Error(`tus POST answered ${created.statusCode}: ${created.body}`);
  const id = String(created.headers.location).split('/').pop()!;
  const part = Buffer.from(bytes.subarray(0, options.send ?? bytes.length));
  if (part.length > 0) {
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/evidence/uploads/${id}`,
      headers: {
        ...headers,
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        ...(options.extra ?? {}),
      },
      payload: part,
      ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
    });
    if (patched.statusCode !== 204) throw new Error(`tus PATCH answered ${patched.statusCode}: ${patched.body}`);
  }
  return id;
}

/** A monitor files a report of the Orikhiv shelling; answers the case it opened, which the evidence goes on. */
export async function fileOrikhivCase(app: FastifyInstance, monitor: Record<string, string>): Promise<string> {
  const filed = await app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: monitor,
    payload: {
      occurredAt: '2026-01-07T05:40:00+02:00',
      location: { lon: 35.93, lat: 47.47 },
      domain: 'land',
      type: 'shelling-impact',
      source: 'patrol-saw',
    },
  });
  if (filed.statusCode !== 201) throw new Error(`filing the report answered ${filed.statusCode}: ${filed.body}`);
  return (filed.json() as { caseId: string }).caseId;
}
