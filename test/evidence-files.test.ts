import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvidenceFiles } from '../src/runtime/evidence/files';
import type { JournalStore } from '../src/store/contract';
import { sha256 } from './evidence-fixtures';
import { tempDir } from './factories';

/** The blob store's write-once rule and the undo of a capture whose journal append failed. */

const dir = tempDir('entente-evidence-files-');
const files = new EvidenceFiles({ dataDir: dir.path, store: {} as JournalStore });
afterAll(() => dir.remove());

function file(name: string, text: string): { path: string; sha: string } {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return { path, sha: sha256(Buffer.from(text)) };
}

describe('evidence blob store', () => {
  it('stores a blob once, read-only, and never overwrites it', async () => {
    const a = file('a', 'original bytes');
    await (await files.hold(a.path, a.sha)).release(true, () => true);
    expect(statSync(files.blobs.pathOf(a.sha)).mode & 0o777).toBe(0o444);
    const forged = file('b', 'other bytes under the same name');
    expect(await files.blobs.put(forged.path, a.sha)).toBe('present');
    // The blob is its own file: writing to where the upload was changes nothing.
    writeFileSync(a.path, 'rewritten upload');
    expect(
      sha256(
        await new Promise<Buffer>((resolve) => {
          const chunks: Buffer[] = [];
          files.blobs
            .open(a.sha)
            .on('data', (c) => chunks.push(c as Buffer))
            .on('end', () => resolve(Buffer.concat(chunks)));
        }),
      ),
    ).toBe(a.sha);
  });

  it('removes a blob it stored when the append failed, keeps it when it succeeded or is referenced', async () => {
    const failed = file('c', 'append failed');
    await (await files.hold(failed.path, failed.sha)).release(false, () => false);
    expect(files.blobs.has(failed.sha)).toBe(false);
    const kept = file('d', 'append succeeded');
    await (await files.hold(kept.path, kept.sha)).release(true, () => false);
    expect(files.blobs.has(kept.sha)).toBe(true);
    const shared = file('e', 'another item holds these bytes');
    await (await files.hold(shared.path, shared.sha)).release(false, () => true);
    expect(files.blobs.has(shared.sha)).toBe(true);
  });

  it('keeps a blob while another capture of the same bytes is in flight', async () => {
    const same = file('f', 'sent by two people at once');
    const first = await files.hold(same.path, same.sha);
    const again = file('g', 'sent by two people at once');
    const second = await files.hold(again.path, again.sha);
    await first.release(false, () => false);
    expect(files.blobs.has(same.sha)).toBe(true);
    await second.release(true, () => true);
    expect(files.blobs.has(same.sha)).toBe(true);
  });
});
