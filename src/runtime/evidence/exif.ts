import { open } from 'node:fs/promises';
import exifr from 'exifr';
import type { ExifFacts } from '../../core/evidence/model';

/** EXIF sits near the start of the file in every format exifr reads; more is not needed. */
const EXIF_WINDOW = 512 * 1024;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * Reads the camera's own statements at ingest: capture time as written (no reinterpretation in the
 * server's zone), its zone offset when present, GPS position, make, model and software. A file
 * without EXIF, or with EXIF that cannot be parsed, gives null: absence is a fact, not an error.
 */
export async function readExif(path: string, mediaType: string): Promise<ExifFacts | null> {
  if (!/^image\/(jpeg|tiff|heic|png|webp)$/.test(mediaType)) return null;
  const handle = await open(path, 'r');
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(EXIF_WINDOW);
    const { bytesRead } = await handle.read(buffer, 0, EXIF_WINDOW, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  try {
    const raw = (await exifr.parse(head, { reviveValues: false, gps: true, tiff: true, exif: true, mergeOutput: true })) as
      Record<string, unknown> | undefined;
    if (!raw) return null;
    const gps = (await exifr.gps(head).catch(() => undefined)) as { latitude?: number; longitude?: number } | undefined;
    const position =
      gps && Number.isFinite(gps.latitude) && Number.isFinite(gps.longitude) ? { lon: gps.longitude!, lat: gps.latitude! } : null;
    const facts: ExifFacts = {
      takenAt: text(raw.DateTimeOriginal) ?? text(raw.CreateDate) ?? text(raw.ModifyDate),
      offset: text(raw.OffsetTimeOriginal) ?? text(raw.OffsetTime),
      position,
      make: text(raw.Make),
      model: text(raw.Model),
      software: text(raw.Software),
    };
    return Object.values(facts).every((v) => v === null) ? null : facts;
  } catch {
    return null;
  }
}
