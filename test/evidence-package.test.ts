import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { manifestText, parseManifest } from '../src/core/evidence/package';
import { verifyPackage } from '../src/runtime/evidence/package';
import { captureLines, tempDir, testNode, type TestNode } from './factories';
import { fileOrikhivCase, jpegWithExif, sha256, tusUpload } from './evidence-fixtures';
import { seedFrameworks } from './operations-fixtures';

/**
 * The "done when" of the export: a package written by `entente evidence export` verifies with
 * `entente evidence verify` alone, and each kind of tampering makes it fail naming what failed.
 */

let node: TestNode;
let caseId: string;
let original: string;
const out = tempDir('entente-bag-');

const io = captureLines;

async function verify(dir: string): Promise<{ code: number; text: string }> {
  const cli = io();
  const code = await main(['evidence', 'verify', dir], cli);
  return { code, text: cli.out.join('\n') };
}

/** A copy of the good package to tamper with. */
function copyOf(name: string): string {
  const dir = join(out.path, name);
  cpSync(join(out.path, 'good'), dir, { recursive: true });
  return dir;
}

/** Rewrites the manifests after a change, as someone covering their tracks would. */
function rehash(dir: string, paths: string[]): void {
  const m = parseManifest('m', readFileSync(join(dir, 'manifest-sha256.txt'), 'utf8'));
  if (!m.ok) throw new Error(m.problem);
  for (const p of paths) m.value.set(p, sha256(readFileSync(join(dir, p))));
  writeFileSync(join(dir, 'manifest-sha256.txt'), manifestText([...m.value].map(([path, s]) => ({ path, sha256: s }))));
  const t = parseManifest('t', readFileSync(join(dir, 'tagmanifest-sha256.txt'), 'utf8'));
  if (!t.ok) throw new Error(t.problem);
  for (const p of t.value.keys()) t.value.set(p, sha256(readFileSync(join(dir, p))));
  writeFileSync(join(dir, 'tagmanifest-sha256.txt'), manifestText([...t.value].map(([path, s]) => ({ path, sha256: s }))));
}

beforeAll(async () => {
  node = await testNode();
  await seedFrameworks(node.journal);
  const monitor = (await node.signIn('monitor-user')).headers;
  caseId = await fileOrikhivCase(node.app, monitor);
  for (const [name, body] of [
    ['crater.jpg', 'crater'],
    ['fragments.jpg', 'fragments'],
  ]) {
    const bytes = jpegWithExif({ takenAt: '2026:01:07 06:10:00', offset: '+02:00', make: 'Canon' }, body!);
    const upload = await tusUpload(node.app, monitor, bytes);
    const res = await node.app.inject({
      method: 'POST',
      url: '/api/v1/evidence/items',
      headers: monitor,
      payload: {
        upload,
        sha256: sha256(bytes),
        filename: name,
        mediaType: 'image/jpeg',
        caseId,
        deviceTime: '2026-01-07T06:11:00+02:00',
        purpose: 'field collection',
      },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    original ??= (res.json() as { id: string }).id;
  }
  await node.app.inject({ method: 'GET', url: `/api/v1/evidence/items/${original}?purpose=triage`, headers: monitor });
  // The CLI reads the node's data directory: give it the node's blobs where a served node keeps them.
  cpSync(node.services.evidence.blobs.root, join(node.dir, 'evidence', 'blobs'), { recursive: true });
  const cli = io();
  const code = await main(
    [
      'evidence',
      'export',
      '--case',
      caseId,
      '--out',
      join(out.path, 'good'),
      '--data',
      node.dir,
      '--purpose',
      'file for the special commission',
    ],
    cli,
  );
  if (code !== 0) throw new Error(cli.err.join('\n'));
});
afterAll(async () => {
  await node.close();
  out.remove();
});

describe('entente evidence export and verify', () => {
  it('writes a BagIt package that verifies with the package alone', async () => {
    const bag = join(out.path, 'good');
    expect(readFileSync(join(bag, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const info = readFileSync(join(bag, 'bag-info.txt'), 'utf8');
    expect(info).toMatch(/^Payload-Oxum: \d+\.\d+$/m);
    expect(info).toContain('Entente-Items: 2');
    const { code, text } = await verify(bag);
    expect(text).toContain('ok 2 item(s)');
    expect(code).toBe(0);
    // The export is custody too: each item's log ends with it, with the stated purpose.
    const last = node.journal.image.evidence.items.get(original)!;
    await new Promise((r) => setTimeout(r, 300));
    const custody = readFileSync(join(bag, 'data/items', original, 'custody.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; payload: { purpose: string } });
    expect(custody.map((e) => e.type)).toEqual(['evidence.captured', 'evidence.viewed', 'evidence.exported']);
    expect(custody.at(-1)!.payload.purpose).toBe('file for the special commission');
    expect(last.id).toBe(original);
  });

  it('agrees with sha256sum on every payload file (independent code)', () => {
    const bag = join(out.path, 'good');
    const checked = execFileSync('sha256sum', ['-c', 'manifest-sha256.txt'], { cwd: bag, encoding: 'utf8' });
    expect(
      checked
        .trim()
        .split('\n')
        .every((l) => l.endsWith(': OK')),
    ).toBe(true);
  });

  it('names the file when one byte of it changes', async () => {
    const bag = copyOf('byte');
    const dir = join(bag, 'data/items', original);
    const file = (await import('node:fs')).readdirSync(dir).find((n) => n.endsWith('.jpg'))!;
    const bytes = readFileSync(join(dir, file));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 3) ^ 0x01, bytes.length - 3);
    writeFileSync(join(dir, file), bytes);
    const { code, text } = await verify(bag);
    expect(code).toBe(1);
    expect(text).toContain(`bad: data/items/${original}/${file}: sha256`);
    expect(text).toContain('(a changed byte)');
  });

  it('catches a swapped file even when the manifests were rewritten to match', async () => {
    const bag = copyOf('swap');
    const dir = join(bag, 'data/items', original);
    const file = (await import('node:fs')).readdirSync(dir).find((n) => n.endsWith('.jpg'))!;
    writeFileSync(join(dir, file), jpegWithExif({ takenAt: '2026:01:07 06:10:00', offset: '+02:00', make: 'Canon' }, 'another crater'));
    rehash(bag, [`data/items/${original}/${file}`]);
    const { code, text } = await verify(bag);
    expect(code).toBe(1);
    expect(text).toContain(`bad: data/items/${original}/${file}: its sha256`);
    expect(text).toContain('(a changed or swapped file)');
  });

  it('names a missing custody event', async () => {
    const bag = copyOf('missing');
    const path = `data/items/${original}/custody.jsonl`;
    const lines = readFileSync(join(bag, path), 'utf8').trim().split('\n');
    writeFileSync(join(bag, path), [lines[0], lines[2]].join('\n') + '\n');
    rehash(bag, [path]);
    const { code, text } = await verify(bag);
    expect(code).toBe(1);
    expect(text).toContain(`bad: item ${original}: custody event 2 of 3 is missing from ${path}`);
  });

  it('names an altered custody event and a bad proof', async () => {
    const bag = copyOf('altered');
    const path = `data/items/${original}/custody.jsonl`;
    writeFileSync(join(bag, path), readFileSync(join(bag, path), 'utf8').replace('"triage"', '"routine"'));
    const proofsPath = `data/items/${original}/proofs.json`;
    const proofs = JSON.parse(readFileSync(join(bag, proofsPath), 'utf8')) as Record<string, { proof: string[] }>;
    const first = Object.keys(proofs)[0]!;
    proofs[first]!.proof[0] = proofs[first]!.proof[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(join(bag, proofsPath), JSON.stringify(proofs));
    rehash(bag, [path, proofsPath]);
    const { code, text } = await verify(bag);
    expect(code).toBe(1);
    expect(text).toMatch(/custody event at journal position \d+ was altered/);
    expect(text).toContain(`bad: ${proofsPath}: bad inclusion proof for the custody event at position ${first}`);
  });

  it('names a bad time-stamp token and a forged head', async () => {
    const bag = copyOf('token');
    const headsPath = 'data/tree-heads.json';
    const heads = JSON.parse(readFileSync(join(bag, headsPath), 'utf8')) as {
      size: number;
      root: string;
      timestamps: { authority: string; token: string }[];
    }[];
    heads[0]!.timestamps.push({ authority: 'http://tsa.example', token: Buffer.from('not a token').toString('base64') });
    writeFileSync(join(bag, headsPath), JSON.stringify(heads));
    rehash(bag, [headsPath]);
    const token = await verify(bag);
    expect(token.code).toBe(1);
    expect(token.text).toMatch(/bad: data\/tree-heads\.json: bad time-stamp token 1 of the head of size \d+ \(http:\/\/tsa\.example\)/);

    const forged = copyOf('forged');
    const h = JSON.parse(readFileSync(join(forged, headsPath), 'utf8')) as { root: string }[];
    h[0]!.root = h[0]!.root.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(join(forged, headsPath), JSON.stringify(h));
    rehash(forged, [headsPath]);
    const f = await verify(forged);
    expect(f.code).toBe(1);
    expect(f.text).toMatch(/the head of size \d+ has a bad signature/);
  });

  it('names an item removed from the package', async () => {
    const bag = copyOf('removed');
    const other = (await import('node:fs')).readdirSync(join(bag, 'data/items')).find((n) => n !== original)!;
    rmSync(join(bag, 'data/items', other), { recursive: true });
    const m = parseManifest('m', readFileSync(join(bag, 'manifest-sha256.txt'), 'utf8'));
    if (!m.ok) throw new Error(m.problem);
    writeFileSync(
      join(bag, 'manifest-sha256.txt'),
      manifestText([...m.value].filter(([p]) => !p.includes(other)).map(([path, s]) => ({ path, sha256: s }))),
    );
    writeFileSync(
      join(bag, 'bag-info.txt'),
      readFileSync(join(bag, 'bag-info.txt'), 'utf8')
        .replace('Entente-Items: 2', 'Entente-Items: 1')
        .replace(/Payload-Oxum: .*/, 'Payload-Oxum: 0.0'),
    );
    rehash(bag, []);
    const report = await verifyPackage(bag);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toContain(`item ${original}: its export event names a package of 2 items, but this package holds 1`);
  });

  it('refuses to export into a directory that is not empty', async () => {
    const cli = io();
    const code = await main(['evidence', 'export', '--all', '--out', join(out.path, 'good'), '--data', node.dir], cli);
    expect(code).toBe(1);
    expect(cli.err.join('\n')).toContain('is not empty: export into a new directory');
  });
});
