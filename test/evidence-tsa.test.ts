import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { manifestText, parseManifest } from '../src/core/evidence/package';
import { treeHeadMessage } from '../src/core/journal/tree-head';
import { captureLines, tempDir, testNode, type TestNode } from './factories';
import { jpegWithExif, sha256, tusUpload } from './evidence-fixtures';
import { opensslVerifyToken, startLocalAuthority, type LocalAuthority } from './tree-log-tsa';

/**
 * The package's time-stamp tokens against a real RFC 3161 authority (`openssl ts` behind a local HTTP
 * server): `entente evidence verify` accepts them with the authority's CA, openssl agrees on the .tsr
 * files (independent code), and a token of another head is named as bad.
 */

let node: TestNode;
let tsa: LocalAuthority;
const out = tempDir('entente-bag-tsa-');

const io = captureLines;

async function exportTo(name: string): Promise<string> {
  const cli = io();
  const dir = join(out.path, name);
  const code = await main(['evidence', 'export', '--all', '--out', dir, '--data', node.dir, '--tsa', tsa.url], cli);
  if (code !== 0) throw new Error(cli.err.join('\n'));
  return dir;
}

beforeAll(async () => {
  tsa = await startLocalAuthority('EvidenceTSA');
  node = await testNode();
  const monitor = (await node.signIn('monitor-user')).headers;
  const bytes = jpegWithExif({ takenAt: '2026:01:07 06:10:00', offset: '+02:00' }, 'stamped');
  const upload = await tusUpload(node.app, monitor, bytes);
  const res = await node.app.inject({
    method: 'POST',
    url: '/api/v1/evidence/items',
    headers: monitor,
    payload: { upload, sha256: sha256(bytes), filename: 'stamped.jpg', purpose: 'field collection' },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  cpSync(node.services.evidence.blobs.root, join(node.dir, 'evidence', 'blobs'), { recursive: true });
}, 120_000);
afterAll(async () => {
  await node.close();
  await tsa.close();
  out.remove();
});

describe('evidence package with RFC 3161 tokens', () => {
  it('verifies the token with the authority certificate, and openssl agrees on the .tsr', async () => {
    const bag = await exportTo('stamped');
    const cli = io();
    const code = await main(['evidence', 'verify', bag, '--tsa-cert', tsa.caFile], cli);
    const text = cli.out.join('\n');
    expect(text).toMatch(/note: time-stamp token 1 of the head of size \d+: .+ at \d{4}-/);
    expect(code).toBe(0);
    const head = (
      JSON.parse(readFileSync(join(bag, 'data/tree-heads.json'), 'utf8')) as { size: number; root: string; issuedAt: string }[]
    )[0]!;
    const tsr = readdirSync(join(bag, 'data/timestamps'))[0]!;
    const verdict = await opensslVerifyToken(
      tsa,
      readFileSync(join(bag, 'data/timestamps', tsr)),
      treeHeadMessage(head.size, head.root, head.issuedAt),
    );
    expect(verdict).toContain('Verification: OK');
  });

  it('names a token that stamps another head (copied from a later package)', async () => {
    const first = await exportTo('first');
    const second = await exportTo('second');
    const headsPath = 'data/tree-heads.json';
    const a = JSON.parse(readFileSync(join(first, headsPath), 'utf8')) as { timestamps: unknown[] }[];
    const b = JSON.parse(readFileSync(join(second, headsPath), 'utf8')) as { timestamps: unknown[] }[];
    a[0]!.timestamps = b[0]!.timestamps;
    writeFileSync(join(first, headsPath), JSON.stringify(a));
    const m = parseManifest('m', readFileSync(join(first, 'manifest-sha256.txt'), 'utf8'));
    if (!m.ok) throw new Error(m.problem);
    m.value.set(headsPath, sha256(readFileSync(join(first, headsPath))));
    writeFileSync(join(first, 'manifest-sha256.txt'), manifestText([...m.value].map(([path, s]) => ({ path, sha256: s }))));
    const cli = io();
    const code = await main(['evidence', 'verify', first, '--tsa-cert', tsa.caFile], cli);
    expect(code).toBe(1);
    expect(cli.out.join('\n')).toMatch(/bad: data\/tree-heads\.json: bad time-stamp token 1 of the head of size \d+/);
  });
});
