import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { chmod, copyFile, constants, link, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Originals and derivatives, content-addressed: a file's path is its SHA-256, written once and made
 * read-only. Nothing in the code path of any route replaces or deletes a stored blob; the one removal
 * is of a blob written a moment ago whose journal append then failed (so nothing refers to it).
 *
 * Layout: `<data>/evidence/blobs/ab/cd/<sha256>`. With several nodes on one PostgreSQL each node has
 * its own data directory; see docs/evidence-api.md for how to share the blobs between them.
 */
export class BlobStore {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError(`not a sha256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /**
   * Stores the file at `source` under its hash without ever overwriting: a hard link (or an exclusive
   * copy across file systems) fails when the blob exists, and then the existing bytes stay. Answers
   * whether this call stored it ('stored') or the same bytes were there already ('present').
   */
  async put(source: string, sha256: string): Promise<'stored' | 'present'> {
    const target = this.pathOf(sha256);
    mkdirSync(join(target, '..'), { recursive: true });
    try {
      await link(source, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return 'present';
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
      try {
        await copyFile(source, target, constants.COPYFILE_EXCL);
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return 'present';
        throw copyError;
      }
    }
    await chmod(target, 0o444);
    return 'stored';
  }

  /** Undoes a `put` that this request made when its journal append failed (never for a referenced blob). */
  async discard(sha256: string): Promise<void> {
    await unlink(this.pathOf(sha256)).catch(() => undefined);
  }

  open(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(sha256), range);
  }

  async size(sha256: string): Promise<number> {
    return (await stat(this.pathOf(sha256))).size;
  }
}

/** SHA-256 of a file, streamed (constant memory whatever the size). */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
