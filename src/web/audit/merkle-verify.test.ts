import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafDataOf as coreLeafData, MerkleLog, toHex as coreHex } from '../../core/journal/merkle';
import { keyIdOf, signTreeHead, treeHeadMessage as coreMessage, type TreeHeadSigner } from '../../core/journal/tree-head';
import { leafDataOf, toHex, treeHeadMessage, verifyConsistency, verifyHeadSignature, verifyInclusion } from './merkle-verify';

/*
 * The browser's verifier is checked against the node's tree (src/core/journal/merkle.ts, built on
 * node:crypto): every proof the node gives must verify here, and any change to one must not.
 */

/** A chain hash for position p: any 64 hex characters will do as leaf data. */
function chainHash(p: number): string {
  return p.toString(16).padStart(8, '0').repeat(8);
}

function treeOf(size: number): MerkleLog {
  const tree = new MerkleLog();
  for (let p = 1; p <= size; p++) tree.append(coreLeafData(chainHash(p)));
  return tree;
}

const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33];

function flipOneBit(hex: string): string {
  const last = parseInt(hex.at(-1)!, 16) ^ 1;
  return hex.slice(0, -1) + last.toString(16);
}

describe('inclusion proofs, checked in the browser', () => {
  const tree = treeOf(40);

  it('verifies every leaf of trees of many shapes against the node’s root', async () => {
    for (const size of SIZES) {
      const root = coreHex(tree.root(size));
      for (let index = 0; index < size; index++) {
        const proof = tree.inclusionProof(index, size).map(coreHex);
        expect(await verifyInclusion(leafDataOf(chainHash(index + 1)), index, size, proof, root), `leaf ${index} of ${size}`).toBe(true);
      }
    }
  });

  it('refuses another leaf, another position, a changed sibling, a short path or another root', async () => {
    const size = 13;
    const index = 6;
    const root = coreHex(tree.root(size));
    const proof = tree.inclusionProof(index, size).map(coreHex);
    const leaf = leafDataOf(chainHash(index + 1));
    expect(await verifyInclusion(leafDataOf(chainHash(index + 2)), index, size, proof, root)).toBe(false);
    expect(await verifyInclusion(leaf, index + 1, size, proof, root)).toBe(false);
    expect(await verifyInclusion(leaf, index, 2 * size + 1, proof, root)).toBe(false); // the path is too short for that size
    expect(await verifyInclusion(leaf, index, size, [flipOneBit(proof[0]!), ...proof.slice(1)], root)).toBe(false);
    expect(await verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
    expect(await verifyInclusion(leaf, index, size, [...proof, proof[0]!], root)).toBe(false);
    expect(await verifyInclusion(leaf, index, size, proof, coreHex(tree.root(12)))).toBe(false);
    expect(await verifyInclusion(leaf, index, size, ['not a hash', ...proof.slice(1)], root)).toBe(false);
    expect(await verifyInclusion(leaf, size, size, proof, root)).toBe(false);
  });
});

describe('consistency proofs, checked in the browser', () => {
  const tree = treeOf(40);

  it('verifies the node’s proof between every pair of sizes', async () => {
    for (const to of SIZES) {
      for (let from = 0; from <= to; from++) {
        const proof = tree.consistencyProof(from, to).map(coreHex);
        const ok = await verifyConsistency(from, to, coreHex(tree.root(from)), coreHex(tree.root(to)), proof);
        expect(ok, `${from} → ${to}`).toBe(true);
      }
    }
  });

  it('catches a rewritten history: the old head’s root is not a prefix of a journal that changed one event', async () => {
    const honest = treeOf(9);
    const rewritten = new MerkleLog();
    for (let p = 1; p <= 17; p++) rewritten.append(coreLeafData(p === 4 ? chainHash(1000) : chainHash(p)));
    const proof = rewritten.consistencyProof(9, 17).map(coreHex);
    expect(await verifyConsistency(9, 17, coreHex(honest.root(9)), coreHex(rewritten.root(17)), proof)).toBe(false);
  });

  it('refuses a changed proof hash, a wrong size, and two different roots of one size', async () => {
    const proof = tree.consistencyProof(6, 13).map(coreHex);
    const [r6, r13] = [coreHex(tree.root(6)), coreHex(tree.root(13))];
    expect(await verifyConsistency(6, 13, r6, r13, [flipOneBit(proof[0]!), ...proof.slice(1)])).toBe(false);
    expect(await verifyConsistency(7, 13, r6, r13, proof)).toBe(false);
    expect(await verifyConsistency(6, 13, r6, r13, proof.slice(1))).toBe(false);
    expect(await verifyConsistency(13, 13, r13, r13, [])).toBe(true);
    expect(await verifyConsistency(13, 13, r6, r13, [])).toBe(false);
    expect(await verifyConsistency(13, 6, r13, r6, proof)).toBe(false);
  });
});

describe('tree head signatures, checked in the browser', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const signer: TreeHeadSigner = {
    keyId: keyIdOf(raw.toString('base64')),
    publicKey: raw.toString('base64url'),
    sign: (message) => sign(null, message, privateKey).toString('base64url'),
  };
  const tree = treeOf(9);
  const head = signTreeHead(9, coreHex(tree.root()), '2026-11-26T14:05:00.000Z', signer);

  it('signs exactly the message the node signs', () => {
    expect(toHex(treeHeadMessage(9, head.root, head.issuedAt))).toBe(toHex(coreMessage(9, head.root, head.issuedAt)));
  });

  it('accepts the node’s signature and refuses a head whose size, root or key id was changed', async () => {
    expect(await verifyHeadSignature(head)).toBe('valid');
    expect(await verifyHeadSignature({ ...head, size: 10 })).toBe('invalid');
    expect(await verifyHeadSignature({ ...head, root: flipOneBit(head.root) })).toBe('invalid');
    expect(await verifyHeadSignature({ ...head, keyId: '0000000000000000' })).toBe('invalid');
    expect(await verifyHeadSignature({ ...head, signature: 'not base64!' })).toBe('invalid');
  });
});
