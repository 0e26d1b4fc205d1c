import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import { GENESIS_HASH, JournalEvent } from '../core/journal/envelope';
import { ChainVerifier } from '../core/journal/verify';
import { StoreError } from './contract';

/**
 * The one backup format both stores write and read, so that a SQLite backup restores into PostgreSQL
 * and back. Gzipped JSON lines: a header, the events in position order, the latest snapshot, the live
 * secrets, and an end line with the counts. The end line and the head stated in the header catch a
 * truncated file, which would otherwise restore as a shorter journal whose chain still verifies.
 * Plain (uncompressed) JSON lines are accepted on restore too, so a file can be inspected and edited.
 */
export const BACKUP_FORMAT = 'entente-backup';
export const BACKUP_VERSION = 1;

const Hash = z.string().regex(/^[0-9a-f]{64}$/);
const Position = z.number().int().nonnegative();

export const BackupHeader = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int().positive(),
  createdAt: z.string(),
  source: z.enum(['sqlite', 'postgres']),
  head: z.object({ position: Position, hash: Hash }),
});
export type BackupHeader = z.infer<typeof BackupHeader>;

const SnapshotLine = z.object({ position: Position, data: z.string() });
export const SecretRow = z.object({ kind: z.string(), key: z.string(), value: z.string(), expiresAt: z.number().int().nullable() });
export type SecretRow = z.infer<typeof SecretRow>;

const BackupLine = z.discriminatedUnion('record', [
  z.object({ record: z.literal('event'), event: JournalEvent }),
  z.object({ record: z.literal('snapshot'), snapshot: SnapshotLine }),
  z.object({ record: z.literal('secret'), secret: SecretRow }),
  z.object({ record: z.literal('end'), end: z.object({ events: Position, snapshots: Position, secrets: Position }) }),
]);

/** What a store hands the writer: one consistent instant (head, snapshot, secrets) plus a paged reader. */
export interface BackupSource {
  readonly kind: 'sqlite' | 'postgres';
  readonly head: { readonly position: number; readonly hash: string };
  /** The latest snapshot at or before `head.position`, or null. */
  readonly snapshot: { readonly position: number; readonly data: Uint8Array } | null;
  /** Unexpired secrets. */
  readonly secrets: readonly SecretRow[];
  read(after: number, limit: number): Promise<readonly JournalEvent[]>;
}

const PAGE = 1000;

/**
 * Writes the backup. The journal is append-only, so "every event up to the head read at the start" is a
 * consistent copy even while writers keep appending, without holding a transaction open for the whole
 * copy. The file appears under its name only once complete (written beside it, synced, renamed).
 */
export async function writeBackup(file: string, source: BackupSource): Promise<{ events: number }> {
  const partial = `${file}.partial`;
  let events = 0;
  async function* lines(): AsyncGenerator<string> {
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      source: source.kind,
      head: { ...source.head },
    };
    yield JSON.stringify(header) + '\n';
    let after = 0;
    while (after < source.head.position) {
      const page = await source.read(after, Math.min(PAGE, source.head.position - after));
      if (page.length === 0) break;
      let chunk = '';
      for (const event of page) chunk += JSON.stringify({ record: 'event', event }) + '\n';
      events += page.length;
      after = page[page.length - 1]!.position;
      yield chunk;
    }
    if (source.snapshot) {
      yield (
        JSON.stringify({
          record: 'snapshot',
          snapshot: { position: source.snapshot.position, data: Buffer.from(source.snapshot.data).toString('base64') },
        }) + '\n'
      );
    }
    for (const secret of source.secrets) yield JSON.stringify({ record: 'secret', secret }) + '\n';
    yield JSON.stringify({ record: 'end', end: { events, snapshots: source.snapshot ? 1 : 0, secrets: source.secrets.length } }) + '\n';
  }
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(partial));
    const handle = await open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw new StoreError(`backup to ${file} failed: ${messageOf(error)}`, { cause: error });
  }
  return { events };
}

/** Where a restore puts what it reads. Calls arrive in file order; the store writes them in one transaction. */
export interface RestoreSink {
  event(event: JournalEvent): void | Promise<void>;
  snapshot(position: number, data: Uint8Array): void | Promise<void>;
  secret(secret: SecretRow): void | Promise<void>;
}

/**
 * Reads and checks a backup, feeding the sink as it goes; throws StoreError at the first problem (not a
 * backup, a newer version, a chain that does not verify, a truncated file). The caller runs this inside
 * a transaction and rolls back on any throw, so nothing is ever half-restored.
 */
export async function readBackup(file: string, sink: RestoreSink): Promise<{ events: number; header: BackupHeader }> {
  function refuse(reason: string): never {
    throw new StoreError(`restore refused: ${file} ${reason}`);
  }
  let gzipped: boolean;
  try {
    gzipped = await isGzip(file);
  } catch (error) {
    throw new StoreError(`restore refused: cannot read ${file}: ${messageOf(error)}`, { cause: error });
  }
  const source = createReadStream(file);
  const input: Readable = gzipped ? source.pipe(createGunzip()) : source;
  // pipe() does not forward a read error; without this a failing disk would end the file quietly early.
  if (input !== source) source.on('error', (error) => input.destroy(error));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: BackupHeader | null = null;
  let ended = false;
  let lineNo = 0;
  let snapshots = 0;
  let secrets = 0;
  let last: { position: number; hash: string } = { position: 0, hash: GENESIS_HASH };
  const verifier = new ChainVerifier();
  try {
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      if (ended) refuse(`has content after its end line (line ${lineNo})`);
      const json = parseJson(text);
      if (json === undefined) refuse(`is damaged: line ${lineNo} is not JSON`);
      if (header === null) {
        const parsed = BackupHeader.safeParse(json);
        if (!parsed.success) refuse(`is not an Entente backup (the first line is not a ${BACKUP_FORMAT} header)`);
        header = parsed.data;
        if (header.version > BACKUP_VERSION)
          refuse(`is backup format version ${header.version}; this Entente reads up to version ${BACKUP_VERSION}`);
        continue;
      }
      const parsed = BackupLine.safeParse(json);
      if (!parsed.success) refuse(`has a malformed record at line ${lineNo}: ${parsed.error.issues[0]?.message ?? 'unknown record'}`);
      const line = parsed.data;
      switch (line.record) {
        case 'event': {
          if (!verifier.push(line.event)) {
            const report = verifier.report();
            if (!report.ok) refuse(`does not verify: ${report.fault} at position ${report.position} (${report.message})`);
          }
          last = { position: line.event.position, hash: line.event.hash };
          await sink.event(line.event);
          break;
        }
        case 'snapshot':
          snapshots++;
          await sink.snapshot(line.snapshot.position, new Uint8Array(Buffer.from(line.snapshot.data, 'base64')));
          break;
        case 'secret':
          secrets++;
          await sink.secret(line.secret);
          break;
        case 'end': {
          const report = verifier.report();
          if (line.end.events !== report.count || line.end.snapshots !== snapshots || line.end.secrets !== secrets) {
            refuse(
              `is inconsistent: its end line counts ${line.end.events} events, ${line.end.snapshots} snapshots and ${line.end.secrets} secrets, the file holds ${report.count}, ${snapshots} and ${secrets}`,
            );
          }
          ended = true;
          break;
        }
      }
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`restore refused: ${file} is damaged or unreadable: ${messageOf(error)}`, { cause: error });
  } finally {
    // Stop reading. The gunzip stream may still report a bad checksum after we gave up on the file;
    // nobody is listening by then, and an unheard 'error' would bring the whole process down.
    lines.on('error', () => undefined);
    input.on('error', () => undefined);
    lines.close();
    input.destroy();
    source.destroy();
  }
  if (header === null) refuse('is empty');
  if (last.position !== header.head.position || last.hash !== header.head.hash) {
    refuse(`is truncated: its header states head ${header.head.position}, the file ends at position ${last.position}`);
  }
  if (!ended) refuse('is truncated: it has no end line');
  return { events: last.position, header };
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
