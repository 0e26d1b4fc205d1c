import { mkdtempSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import type { Upload } from '@tus/utils';
import { fail, ok, type Result } from '../../core/errors';
import { DEFAULT_MAX_BYTES, type ExifFacts } from '../../core/evidence/model';
import { checkFileType, SNIFF_BYTES } from '../../core/evidence/sniff';
import type { JournalStore } from '../../store/contract';
import { BlobStore, hashFile } from './blob-store';
import { readExif } from './exif';
import { ReporterSeal } from './seal';

/**
 * An unfinished or never-submitted upload is dropped after this long (a device offline for days resumes
 * within it; a retried submission that was already stored leaves its second upload to expire).
 */
export const UPLOAD_EXPIRY_MS = 7 * 24 * 3_600_000;

/** Metadata key tus keeps with an upload: who created it (set by the server, never by the client). */
export const OWNER_KEY = 'entente-owner';

/** What the ingest measured on a finished upload, before anything is stored. */
export interface MeasuredUpload {
  readonly uploadId: string;
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly mediaType: string;
  readonly exif: ExifFacts | null;
}

export interface EvidenceFilesOptions {
  /** The node's data directory; without one (tests), a temporary directory made on first use. */
  readonly dataDir?: string | undefined;
  readonly store: JournalStore;
  readonly maxBytes?: number;
}

/**
 * The node's evidence files: resumable uploads in progress (tus, `<data>/evidence/uploads`), the
 * write-once blob store, and the reporter seal. An upload is measured (type, size, hash, EXIF) before
 * anything is kept; it becomes a blob only together with its journal event.
 */
export class EvidenceFiles {
  readonly seal: ReporterSeal;
  readonly maxBytes: number;
  private root: string | null;
  private files: { uploads: FileStore; blobs: BlobStore } | null = null;
  /** Captures between blob write and journal append, per hash. */
  private readonly inFlight = new Map<string, number>();

  constructor(options: EvidenceFilesOptions) {
    this.root = options.dataDir ? join(options.dataDir, 'evidence') : null;
    this.seal = new ReporterSeal(options.store);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  // Directories are made on first use, so a node that never sees evidence leaves nothing behind.
  private open(): { uploads: FileStore; blobs: BlobStore } {
    this.root ??= join(mkdtempSync(join(tmpdir(), 'entente-')), 'evidence');
    this.files ??= {
      uploads: new FileStore({ directory: join(this.root, 'uploads'), expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS }),
      blobs: new BlobStore(join(this.root, 'blobs')),
    };
    return this.files;
  }

  get uploads(): FileStore {
    return this.open().uploads;
  }

  get blobs(): BlobStore {
    return this.open().blobs;
  }

  get uploadDir(): string {
    return this.open().uploads.directory;
  }

  /** The upload if it exists and belongs to `owner`; another person's upload reads as missing. */
  async uploadOf(uploadId: string, owner: string): Promise<Upload | null> {
    try {
      const upload = await this.uploads.getUpload(uploadId);
      return upload.metadata?.[OWNER_KEY] === owner ? upload : null;
    } catch {
      return null;
    }
  }

  /**
   * Checks a finished upload and measures it: complete (not truncated), within the size limit, of a
   * type its bytes prove (and not lying about it), then its SHA-256 and EXIF. Nothing is stored here.
   */
  async measure(uploadId: string, owner: string, declaredType: string, filename: string): Promise<Result<MeasuredUpload>> {
    const upload = await this.uploadOf(uploadId, owner);
    if (!upload)
      return fail('not_found', `no upload ${uploadId} of yours: create it with a tus POST to /api/v1/evidence/uploads first`, '/upload');
    if (upload.size === undefined)
      return fail('validation_failed', `upload ${uploadId} never declared its length (Upload-Length)`, '/upload');
    if (upload.size > this.maxBytes)
      return fail('payload_too_large', `the file is ${upload.size} bytes; the limit is ${this.maxBytes} bytes`, '/upload');
    if (upload.offset < upload.size) {
      return fail(
        'validation_failed',
        `truncated upload: ${upload.offset} of ${upload.size} bytes received; resume it (tus HEAD then PATCH from offset ${upload.offset}) before submitting — nothing was stored`,
        '/upload',
      );
    }
    const path = join(this.uploadDir, uploadId);
    const head = await readHead(path);
    const type = checkFileType(head, declaredType, filename);
    if (!type.ok) return type;
    const { sha256, bytes } = await hashFile(path);
    if (bytes !== upload.size) {
      return fail(
        'validation_failed',
        `truncated upload: the stored file has ${bytes} of the ${upload.size} bytes declared — nothing was stored`,
        '/upload',
      );
    }
    const exif = await readExif(path, type.value);
    return ok({ uploadId, path, sha256, bytes, mediaType: type.value, exif });
  }

  /**
   * Moves the measured file into the blob store for the time of its journal append (the upload is
   * consumed either way). `release(appended)` after the
   * append: when it failed, a blob this call stored goes again — unless an item refers to the same bytes
   * or another capture of them is in flight (two people may send the same photo at once).
   */
  async hold(
    path: string,
    sha256: string,
  ): Promise<{ release(appended: boolean, referenced: (sha256: string) => boolean): Promise<void> }> {
    this.inFlight.set(sha256, (this.inFlight.get(sha256) ?? 0) + 1);
    const stored = await this.blobs.put(path, sha256);
    // The upload's own name goes at once: the blob is then the file's only link, and nothing that
    // still knows the upload (tus) can write into the original.
    await unlink(path).catch(() => undefined);
    return {
      release: async (appended, referenced) => {
        const left = (this.inFlight.get(sha256) ?? 1) - 1;
        if (left === 0) this.inFlight.delete(sha256);
        else this.inFlight.set(sha256, left);
        if (!appended && stored === 'stored' && left === 0 && !referenced(sha256)) await this.blobs.discard(sha256);
      },
    };
  }

  /** Forgets an upload (after it became an item, or after it was refused for good). */
  async dropUpload(uploadId: string): Promise<void> {
    await this.uploads.remove(uploadId).catch(() => undefined);
    // The bytes may have become a blob already; tus's own record of the upload goes too.
    await unlink(join(this.uploadDir, uploadId)).catch(() => undefined);
    await unlink(join(this.uploadDir, `${uploadId}.json`)).catch(() => undefined);
  }
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return new Uint8Array(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
