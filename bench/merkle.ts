/**
 * The journal's Merkle tree (RFC 9162) at scale: building it for N events, then inclusion and
 * consistency proofs for random positions and sizes, against a naive recompute of the same proof from
 * the leaf hashes (no cached subtrees) measured in the same run. Targets (issue 11): inclusion proof
 * ≤ 1 ms, consistency proof ≤ 5 ms.
 *
 *   npm run bench -- merkle [--events N]     (default 1,000,000)
 */
import { createHash } from 'node:crypto';
import { leafDataOf, MerkleLog, nodeHash, verifyConsistency, verifyInclusion } from '../src/core/journal/merkle';
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

/** RFC 9162 PATH(m, D[lo:hi]) over plain leaf hashes, recomputing every subtree it needs. */
function naiveRoot(leaves: MerkleLog, lo: number, hi: number): Uint8Array {
  if (hi - lo === 1) return leaves.leafHashAt(lo);
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return nodeHash(naiveRoot(leaves, lo, lo + k), naiveRoot(leaves, lo + k, hi));
}
function naivePath(leaves: MerkleLog, m: number, lo: number, hi: number, out: Uint8Array[]): void {
  if (hi - lo <= 1) return;
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  if (m < lo + k) {
    naivePath(leaves, m, lo, lo + k, out);
    out.push(naiveRoot(leaves, lo + k, hi));
  } else {
    naivePath(leaves, m, lo + k, hi, out);
    out.push(naiveRoot(leaves, lo, lo + k));
  }
}

function timeEach<T>(items: readonly T[], fn: (item: T) => unknown): number[] {
  return items.map((item) => {
    const t = performance.now();
    fn(item);
    return performance.now() - t;
  });
}

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf('--events');
  const n = i >= 0 ? Number(args[i + 1]) : 1_000_000;
  if (!Number.isInteger(n) || n < 2) throw new Error('--events takes a whole number of at least 2');

  const leafData = (p: number) => leafDataOf(chainHash(p));
  const heapBefore = process.memoryUsage().arrayBuffers;
  const tree = new MerkleLog();
  const tBuild = performance.now();
  for (let p = 0; p < n; p++) tree.append(leafData(p));
  const buildMs = performance.now() - tBuild;
  const bytesPerLeaf = (process.memoryUsage().arrayBuffers - heapBefore) / n;
  // The baseline: making the same leaf data alone (one SHA-256 each), which the build includes.
  const tData = performance.now();
  for (let p = 0; p < n; p++) leafData(p);
  const dataMs = performance.now() - tData;

  const tRoot = performance.now();
  const root = tree.root();
  const rootMs = performance.now() - tRoot;

  const indexes = spread(n, 1000, 7);
  const inclusion = timeEach(indexes, (m) => tree.inclusionProof(m));
  const verifyIncl = timeEach(indexes.slice(0, 200), (m) => {
    if (!verifyInclusion(leafData(m), m, n, tree.inclusionProof(m), root)) throw new Error(`inclusion proof of ${m} does not verify`);
  });
  const olds = spread(n, 1000, 11).map((s) => Math.max(1, s));
  const consistency = timeEach(olds, (m) => tree.consistencyProof(m));
  const verifyCons = timeEach(olds.slice(0, 200), (m) => {
    if (!verifyConsistency(m, n, tree.root(m), root, tree.consistencyProof(m)))
      throw new Error(`consistency proof from ${m} does not verify`);
  });
  // The naive recompute hashes ~n nodes per proof: a handful of samples is enough for a median.
  const naive = timeEach(indexes.slice(0, 3), (m) => naivePath(tree, m, 0, n, []));
  const naiveCheck: Uint8Array[] = [];
  naivePath(tree, indexes[0]!, 0, n, naiveCheck);
  const same = Buffer.concat(naiveCheck).equals(Buffer.concat(tree.inclusionProof(indexes[0]!)));

  table(
    `Merkle tree of ${n.toLocaleString('en-US')} journal events (RFC 9162), medians on a shared machine`,
    ['measure', 'median', 'p99', 'target', 'comparison'],
    [
      [
        'build: append every leaf (ms total)',
        buildMs,
        '',
        '',
        `${((buildMs * 1000) / n).toFixed(2)} µs a leaf, ${bytesPerLeaf.toFixed(0)} bytes a leaf`,
      ],
      [
        '  of which making the leaf data (one SHA-256 each, ms)',
        dataMs,
        '',
        '',
        `tree work alone: ${(((buildMs - dataMs) * 1000) / n).toFixed(2)} µs a leaf`,
      ],
      ['root of the whole tree (ms)', rootMs, '', '', ''],
      [
        'inclusion proof (ms), 1000 random positions',
        median(inclusion),
        percentile(inclusion, 99),
        '≤ 1 ms',
        `naive recompute: ${median(naive).toFixed(0)} ms (${(median(naive) / median(inclusion)).toFixed(0)}× slower), same proof: ${same}`,
      ],
      ['inclusion proof + verify (ms)', median(verifyIncl), percentile(verifyIncl, 99), '', ''],
      ['consistency proof to the head (ms), 1000 random older sizes', median(consistency), percentile(consistency, 99), '≤ 5 ms', ''],
      ['consistency proof + both roots + verify (ms)', median(verifyCons), percentile(verifyCons, 99), '', ''],
    ],
  );
}
