import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leafDataOf, leafHash, MerkleLog, toHex, verifyConsistency, verifyInclusion } from './merkle';

// The reference: RFC 9162 §2.1 written as literally as possible, over plain arrays, recomputing everything.
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(new Uint8Array([0]), d[0]!);
  const s = k(d.length);
  return sha(new Uint8Array([1]), mth(d.slice(0, s)), mth(d.slice(s)));
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))] : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}
const proof = (m: number, d: Uint8Array[]) => (m === 0 || m === d.length ? [] : subproof(m, d, true));

const leaf = (i: number) => leafDataOf(createHash('sha256').update(`event ${i}`).digest('hex'));
const hex = (xs: Uint8Array[]) => xs.map(toHex);

describe('MerkleLog (RFC 9162 §2.1)', () => {
  const N = 64;
  const data = Array.from({ length: N }, (_, i) => leaf(i));
  const log = new MerkleLog();
  for (const d of data) log.append(d);

  it('matches the known roots of the Certificate Transparency test leaves', () => {
    const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const t = new MerkleLog();
    for (const l of leaves) t.append(new Uint8Array(Buffer.from(l, 'hex')));
    expect(toHex(t.root(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(t.root(1))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(toHex(t.root(5))).toBe('4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4');
    expect(toHex(t.root(7))).toBe('ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c');
    expect(toHex(t.root(8))).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('hashes a leaf as openssl does over 0x00 || the chain hash', () => {
    const chainHash = createHash('sha256').update('position 1').digest('hex');
    const out = execFileSync('/usr/bin/openssl', ['dgst', '-sha256', '-r'], {
      input: Buffer.concat([Buffer.from([0]), Buffer.from(chainHash, 'utf8')]),
    });
    expect(toHex(leafHash(leafDataOf(chainHash)))).toBe(out.toString().split(' ')[0]);
  });

  it('gives the reference root for every size up to 64', () => {
    for (let n = 0; n <= N; n++) expect(toHex(log.root(n)), `size ${n}`).toBe(toHex(mth(data.slice(0, n))));
  });

  it('gives the reference inclusion proof for every leaf of every size, and each verifies', () => {
    for (let n = 1; n <= N; n++) {
      const root = log.root(n);
      for (let m = 0; m < n; m++) {
        const p = log.inclusionProof(m, n);
        expect(hex(p), `leaf ${m} of ${n}`).toEqual(hex(path(m, data.slice(0, n))));
        expect(verifyInclusion(data[m]!, m, n, p, root), `leaf ${m} of ${n}`).toBe(true);
      }
    }
  });

  it('gives the reference consistency proof for every pair of sizes, and each verifies', () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 1; m <= n; m++) {
        const p = log.consistencyProof(m, n);
        expect(hex(p), `${m} → ${n}`).toEqual(hex(proof(m, data.slice(0, n))));
        expect(verifyConsistency(m, n, log.root(m), log.root(n), p), `${m} → ${n}`).toBe(true);
      }
    }
  });

  it('refuses an inclusion proof with any leaf, index, size, sibling or root changed', () => {
    const n = 45;
    const root = log.root(n);
    const p = log.inclusionProof(20, n);
    expect(verifyInclusion(data[21]!, 20, n, p, root)).toBe(false);
    expect(verifyInclusion(data[20]!, 21, n, p, root)).toBe(false);
    expect(verifyInclusion(data[20]!, 20, n + 1, p, log.root(n + 1))).toBe(false);
    expect(verifyInclusion(data[20]!, 20, 16, p, root)).toBe(false);
    expect(verifyInclusion(data[20]!, 20, n, p, log.root(n - 1))).toBe(false);
    expect(verifyInclusion(data[20]!, 20, n, p.slice(1), root)).toBe(false);
    expect(verifyInclusion(data[20]!, 20, n, [...p, p[0]!], root)).toBe(false);
    for (let i = 0; i < p.length; i++) {
      const bent = p.map((x) => x.slice());
      bent[i]![0]! ^= 1;
      expect(verifyInclusion(data[20]!, 20, n, bent, root), `sibling ${i}`).toBe(false);
    }
  });

  it('refuses a consistency proof against a rewritten history', () => {
    const rewritten = new MerkleLog();
    data.forEach((d, i) => rewritten.append(i === 10 ? leaf(1000) : d));
    // The old head (size 20) was signed before the rewrite; the new tree disagrees about position 11.
    const p = rewritten.consistencyProof(20, 40);
    expect(verifyConsistency(20, 40, log.root(20), rewritten.root(40), p)).toBe(false);
    expect(verifyConsistency(20, 40, log.root(20), log.root(40), log.consistencyProof(20, 40))).toBe(true);
    expect(verifyConsistency(20, 40, log.root(20), log.root(40), log.consistencyProof(20, 40).slice(1))).toBe(false);
    expect(verifyConsistency(20, 20, log.root(20), rewritten.root(20), [])).toBe(false);
  });

  it('names the bad size or index', () => {
    expect(() => log.root(65)).toThrow('the tree has 64 leaves; a size of 65 is not one of its versions');
    expect(() => log.inclusionProof(10, 10)).toThrow('leaf index 10 is not in a tree of 10 leaves');
    expect(() => log.consistencyProof(11, 10)).toThrow('the older size must be a whole number from 0 to 10, not 11');
  });
});
