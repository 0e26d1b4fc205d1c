import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafDataOf, MerkleLog, toHex } from '../../core/journal/merkle';
import { keyIdOf, signTreeHead, type TreeHeadSigner } from '../../core/journal/tree-head';
import type { ApiResult } from '../api';
import type { ConsistencyProof, InclusionProof } from './api';
import { conflicts, headsToRecheck, largestBefore, loadSeen, mergeSeen, saveSeen, SEEN_HEADS_KEY, type SeenHead } from './seen-heads';
import { checkConsistency, checkInclusion, type TreeReader } from './tree-checks';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
const signer: TreeHeadSigner = {
  keyId: keyIdOf(raw.toString('base64')),
  publicKey: raw.toString('base64url'),
  sign: (message) => sign(null, message, privateKey).toString('base64url'),
};

const chainHash = (p: number, variant = 0) => (p + variant * 1000).toString(16).padStart(8, '0').repeat(8);

/** A node answering like the journal routes, over a journal whose event `rewrite` (if any) was changed. */
function node(size: number, rewrite?: number): TreeReader & { tree: MerkleLog; head(n: number): SeenHead } {
  const hashes = Array.from({ length: size }, (_, i) => chainHash(i + 1, i + 1 === rewrite ? 1 : 0));
  const tree = new MerkleLog();
  for (const h of hashes) tree.append(leafDataOf(h));
  const notFound = {
    ok: false as const,
    problem: { status: 404, code: 'not_found', type: 'about:blank', title: 'Not found', detail: 'no such size' },
  };
  return {
    tree,
    head: (n) => signTreeHead(n, toHex(tree.root(n)), `2026-11-26T14:${String(n).padStart(2, '0')}:00.000Z`, signer),
    async inclusion(position, n): Promise<ApiResult<InclusionProof>> {
      if (position > n || n > size) return notFound;
      const proof = tree.inclusionProof(position - 1, n).map(toHex);
      return { ok: true, value: { position, size: n, leafData: hashes[position - 1]!, proof, root: toHex(tree.root(n)), head: null } };
    },
    async consistency(from, to): Promise<ApiResult<ConsistencyProof>> {
      if (to > size) return notFound;
      const proof = tree.consistencyProof(from, to).map(toHex);
      return { ok: true, value: { fromSize: from, toSize: to, proof, fromRoot: toHex(tree.root(from)), toRoot: toHex(tree.root(to)) } };
    },
    async eventHash(position) {
      return { ok: true, value: hashes[position - 1] ?? null };
    },
  };
}

describe('checking an event against a signed head', () => {
  it('finds the event in the tree and the head’s signature good', async () => {
    const honest = node(21);
    const result = await checkInclusion(honest, 7, honest.head(20));
    expect(result).toMatchObject({ outcome: 'included', position: 7, size: 20, leaf: chainHash(7), signature: 'valid' });
  });

  it('fails when the journal shows another hash for the event than the tree holds', async () => {
    const honest = node(21);
    const lying: TreeReader = { ...honest, eventHash: async () => ({ ok: true, value: chainHash(99) }) };
    expect(await checkInclusion(lying, 7, honest.head(20))).toMatchObject({ outcome: 'failed', reason: 'leaf' });
  });

  it('fails when the node’s tree is not the one it signed, or the head was altered', async () => {
    const signedEarlier = node(21).head(20);
    const rewritten = node(21, 3);
    expect(await checkInclusion(rewritten, 7, signedEarlier)).toMatchObject({ outcome: 'failed', reason: 'root' });
    expect(await checkInclusion(node(21), 7, { ...signedEarlier, size: 19 })).toMatchObject({ outcome: 'failed', reason: 'signature' });
  });

  it('fails when a proof hash was changed', async () => {
    const honest = node(21);
    const tampered: TreeReader = {
      ...honest,
      async inclusion(position, n) {
        const r = await honest.inclusion(position, n);
        if (r.ok) r.value.proof[1] = 'f'.repeat(64);
        return r;
      },
    };
    expect(await checkInclusion(tampered, 7, honest.head(20))).toMatchObject({ outcome: 'failed', reason: 'proof' });
  });

  it('passes the node’s refusal on as a problem', async () => {
    const honest = node(21);
    expect(await checkInclusion(honest, 25, honest.head(21))).toMatchObject({ outcome: 'problem', problem: { status: 404 } });
  });
});

describe('checking two heads against each other', () => {
  it('confirms an older head is a prefix of a newer one, in either order', async () => {
    const honest = node(30);
    expect(await checkConsistency(honest, honest.head(11), honest.head(30))).toMatchObject({ outcome: 'consistent' });
    expect(await checkConsistency(honest, honest.head(30), honest.head(11))).toMatchObject({ outcome: 'consistent' });
  });

  it('catches a rewritten history: a head seen before does not fit the rewritten journal', async () => {
    const seenBefore = node(11).head(11);
    const rewritten = node(30, 4);
    const result = await checkConsistency(rewritten, seenBefore, rewritten.head(30));
    expect(result).toMatchObject({ outcome: 'inconsistent', reason: 'proof', older: { size: 11 }, newer: { size: 30 } });
  });

  it('catches two roots of one size, and a journal cut short below a head', async () => {
    expect(await checkConsistency(node(12), node(12).head(12), node(12, 2).head(12))).toMatchObject({
      outcome: 'inconsistent',
      reason: 'same-size',
    });
    const seen = node(30).head(30);
    expect(await checkConsistency(node(20), node(20).head(10), seen)).toMatchObject({ outcome: 'inconsistent', reason: 'truncated' });
  });
});

describe('the heads this browser remembers', () => {
  const heads = node(40);
  const head = (n: number) => heads.head(n);

  it('keeps each head once, sorted by size, within a cap that never drops the oldest', () => {
    const seen = mergeSeen(mergeSeen([], [head(9), head(3)]), [head(3), head(20)]);
    expect(seen.map((h) => h.size)).toEqual([3, 9, 20]);
    expect(seen[0]).not.toHaveProperty('timestamps');
    const capped = mergeSeen([], [1, 2, 3, 4, 5, 6].map(head), 4);
    expect(capped.map((h) => h.size)).toEqual([1, 4, 5, 6]);
  });

  it('finds forks and the head to check a new one against', () => {
    const forked = mergeSeen([], [head(5), node(5, 2).head(5), head(9)]);
    expect(conflicts(forked)).toHaveLength(1);
    expect(largestBefore(forked, head(12))?.size).toBe(9);
    expect(largestBefore([head(12)], head(12))).toBeNull();
  });

  it('rechecks the largest head kept before, heads the node stopped listing, and heads larger than its latest', () => {
    const kept = mergeSeen([], [head(3), head(9), head(14)]);
    const sizes = (list: SeenHead[]) => list.map((h) => h.size);
    // An honest node lists every head: one check, against the largest kept before the new one.
    expect(sizes(headsToRecheck(kept, head(20), [head(3), head(9), head(14), head(20)]))).toEqual([14]);
    // A node that rewrote its history no longer lists the heads of the old one.
    expect(sizes(headsToRecheck(kept, head(20), [head(14), head(20)]))).toEqual([3, 9, 14]);
    // A node whose latest head is smaller than one kept has lost events.
    expect(sizes(headsToRecheck(kept, head(9), [head(3), head(9), head(14)]))).toEqual([3, 14]);
    expect(headsToRecheck([head(20)], head(20), [head(20)])).toEqual([]);
  });

  it('survives a store that is missing, unreadable or tampered with', () => {
    const memory = new Map<string, string>();
    const storage = { getItem: (k: string) => memory.get(k) ?? null, setItem: (k: string, v: string) => void memory.set(k, v) };
    expect(saveSeen(storage, [head(4)])).toBe(true);
    expect(loadSeen(storage).map((h) => h.size)).toEqual([4]);
    memory.set(SEEN_HEADS_KEY, '{not json');
    expect(loadSeen(storage)).toEqual([]);
    memory.set(SEEN_HEADS_KEY, JSON.stringify([{ size: 'x' }, head(7)]));
    expect(loadSeen(storage).map((h) => h.size)).toEqual([7]);
    expect(loadSeen(undefined)).toEqual([]);
    const full = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(saveSeen(full, [head(4)])).toBe(false);
  });
});
