/**
 * The audit page's own proof check (src/web/audit/merkle-verify.ts: Web Crypto, one async SHA-256 per
 * node) against the node's verifier (src/core/journal/merkle.ts: node:crypto, synchronous), on the same
 * proofs of a large journal, measured in one run. Target: a check a person clicks stays interactive —
 * well under 50 ms for an inclusion or consistency proof, signature included.
 *
 *   npm run bench -- audit-verify [--events N]     (default 1,000,000)
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  leafDataOf as coreLeafData,
  MerkleLog,
  toHex,
  verifyConsistency as coreConsistency,
  verifyInclusion as coreInclusion,
} from '../src/core/journal/merkle';
import { keyIdOf, signTreeHead } from '../src/core/journal/tree-head';
import { leafDataOf, verifyConsistency, verifyHeadSignature, verifyInclusion } from '../src/web/audit/merkle-verify';
import { median, percentile, table } from './lib';

function chainHash(i: number): string {
  return createHash('sha256').update(`event ${i}`).digest('hex');
}

/** A deterministic spread of indexes (no Math.random: runs compare). */
function spread(n: number, count: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  });
}

async function timeEach<T>(items: readonly T[], fn: (item: T) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) {
    const t = performance.now();
    if ((await fn(item)) !== true) throw new Error(`a proof did not verify (${String(item)})`);
    out.push(performance.now() - t);
  }
  return out;
}

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf('--events');
  const n = i >= 0 ? Number(args[i + 1]) : 1_000_000;
  if (!Number.isInteger(n) || n < 2) throw new Error('--events takes a whole number of at least 2');

  const tree = new MerkleLog();
  for (let p = 0; p < n; p++) tree.append(coreLeafData(chainHash(p)));
  const root = tree.root();
  const rootHex = toHex(root);

  const indexes = spread(n, 300, 7);
  const proofs = new Map(indexes.map((m) => [m, tree.inclusionProof(m)]));
  const hexProofs = new Map(indexes.map((m) => [m, proofs.get(m)!.map(toHex)]));
  const olds = spread(n, 300, 11).map((s) => Math.max(1, s));
  const consistency = new Map(olds.map((m) => [m, tree.consistencyProof(m)]));
  const hexConsistency = new Map(olds.map((m) => [m, consistency.get(m)!.map(toHex)]));
  const oldRoots = new Map(olds.map((m) => [m, tree.root(m)]));

  // Warm both paths before measuring (JIT, Web Crypto's first use).
  await verifyInclusion(leafDataOf(chainHash(indexes[0]!)), indexes[0]!, n, hexProofs.get(indexes[0]!)!, rootHex);

  const coreIncl = await timeEach(indexes, (m) => coreInclusion(coreLeafData(chainHash(m)), m, n, proofs.get(m)!, root));
  const webIncl = await timeEach(indexes, (m) => verifyInclusion(leafDataOf(chainHash(m)), m, n, hexProofs.get(m)!, rootHex));
  const coreCons = await timeEach(olds, (m) => coreConsistency(m, n, oldRoots.get(m)!, root, consistency.get(m)!));
  const webCons = await timeEach(olds, (m) => verifyConsistency(m, n, toHex(oldRoots.get(m)!), rootHex, hexConsistency.get(m)!));

  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const head = signTreeHead(n, rootHex, new Date(0).toISOString(), {
    keyId: keyIdOf(raw.toString('base64')),
    publicKey: raw.toString('base64url'),
    sign: (message) => sign(null, message, privateKey).toString('base64url'),
  });
  const signature = await timeEach(
    Array.from({ length: 100 }, (_, k) => k),
    async () => (await verifyHeadSignature(head)) === 'valid',
  );

  const row = (what: string, web: number[], core: number[] | null) => [
    what,
    median(web),
    percentile(web, 99),
    '< 50 ms',
    core ? `node:crypto verifier ${median(core).toFixed(4)} ms (${(median(web) / median(core)).toFixed(1)}× faster)` : '',
  ];
  table(
    `The audit page's verifier (Web Crypto) on a journal of ${n.toLocaleString('en-US')} events, medians on a shared machine (ms)`,
    ['measure', 'median', 'p99', 'target', 'comparison'],
    [
      row(`inclusion proof (${proofs.get(indexes[0]!)!.length} hashes), 300 random positions`, webIncl, coreIncl),
      row('consistency proof to the head, 300 random older sizes', webCons, coreCons),
      row('head signature (Ed25519) and key id', signature, null),
    ],
  );
}
