import { hash } from 'node:crypto';

/**
 * The journal as a Merkle tree in the manner of RFC 9162 (Certificate Transparency 2.0), §2.1:
 * leaf = SHA-256(0x00 || data), node = SHA-256(0x01 || left || right), and a tree of n leaves splits at
 * the largest power of two below n. The leaf data of journal position p is the UTF-8 bytes of that
 * event's chain `hash` (64 lowercase hex characters); leaf index = p − 1 (positions start at 1).
 *
 * Complete, aligned subtrees are cached per level (level k holds the hashes of subtrees of 2^k leaves),
 * so a root or a proof for any size touches O(log n) cached hashes and hashes at most O(log n) nodes.
 */

const HASH_BYTES = 32;
const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

export function leafHash(data: Uint8Array): Uint8Array {
  return sha256(Buffer.concat([LEAF_PREFIX, data]));
}

// One scratch buffer for interior nodes: hashing is synchronous, so it is never shared mid-use.
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput.set(NODE_PREFIX, 0);

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return sha256(nodeInput);
}

/** One-shot SHA-256 (crypto.hash is about twice as fast as createHash for 32–65-byte inputs). */
function sha256(input: Uint8Array): Uint8Array {
  const b = hash('sha256', input, 'buffer');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export function emptyRoot(): Uint8Array {
  return sha256(new Uint8Array(0));
}

/** The leaf data of a journal event: the UTF-8 bytes of its chain hash. */
export function leafDataOf(chainHash: string): Uint8Array {
  return new TextEncoder().encode(chainHash);
}

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** One level of cached subtree hashes, packed into one growing buffer (no object per hash). */
class HashLevel {
  private bytes = new Uint8Array(HASH_BYTES * 16);
  length = 0;

  push(hash: Uint8Array): void {
    if ((this.length + 1) * HASH_BYTES > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(hash, this.length * HASH_BYTES);
    this.length++;
  }

  at(i: number): Uint8Array {
    return this.bytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}

export class MerkleLog {
  /** levels[k].at(i) = hash of leaves [i·2^k, (i+1)·2^k). */
  private readonly levels: HashLevel[] = [new HashLevel()];

  get size(): number {
    return this.levels[0]!.length;
  }

  append(leafData: Uint8Array): void {
    this.appendLeafHash(leafHash(leafData));
  }

  /** Appends a leaf whose hash is already known (rebuilding from stored leaf hashes). */
  appendLeafHash(hash: Uint8Array): void {
    if (hash.length !== HASH_BYTES) throw new RangeError(`a leaf hash has ${HASH_BYTES} bytes, not ${hash.length}`);
    this.levels[0]!.push(hash);
    // Every time a run of 2^k leaves completes, its subtree hash is cached one level up.
    let index = this.size - 1;
    for (let k = 0; index % 2 === 1; k++, index = (index - 1) / 2) {
      const level = this.levels[k]!;
      const parent = (this.levels[k + 1] ??= new HashLevel());
      parent.push(nodeHash(level.at(index - 1), level.at(index)));
    }
  }

  /** The hash of leaf `index` (0-based). */
  leafHashAt(index: number): Uint8Array {
    this.checkIndex(index, this.size);
    return this.levels[0]!.at(index).slice();
  }

  /** MTH of the first `size` leaves (default: all). */
  root(size = this.size): Uint8Array {
    this.checkSize(size);
    if (size === 0) return emptyRoot();
    return this.subtree(0, size).slice();
  }

  /** RFC 9162 §2.1.3.1 PATH(m, D[0:size]): the audit path of leaf `index`, leaf side first. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.checkSize(size);
    this.checkIndex(index, size);
    const proof: Uint8Array[] = [];
    this.path(index, 0, size, proof);
    return proof;
  }

  /** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]): shows the tree of `oldSize` leaves is a prefix of `newSize`. */
  consistencyProof(oldSize: number, newSize = this.size): Uint8Array[] {
    this.checkSize(newSize);
    if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize) {
      throw new RangeError(`the older size must be a whole number from 0 to ${newSize}, not ${oldSize}`);
    }
    const proof: Uint8Array[] = [];
    if (oldSize === 0 || oldSize === newSize) return proof;
    this.subproof(oldSize, 0, newSize, true, proof);
    return proof;
  }

  /** MTH(D[lo:hi]); a complete aligned range is read from the cache, any other is split. */
  private subtree(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (isPowerOfTwo(n) && lo % n === 0) return this.levels[Math.log2(n)]!.at(lo / n);
    const k = splitPoint(n);
    return nodeHash(this.subtree(lo, lo + k), this.subtree(lo + k, hi));
  }

  private path(m: number, lo: number, hi: number, out: Uint8Array[]): void {
    const n = hi - lo;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.path(m, lo, lo + k, out);
      out.push(this.subtree(lo + k, hi).slice());
    } else {
      this.path(m - k, lo + k, hi, out);
      out.push(this.subtree(lo, lo + k).slice());
    }
  }

  private subproof(m: number, lo: number, hi: number, completeSoFar: boolean, out: Uint8Array[]): void {
    const n = hi - lo;
    if (m === n) {
      if (!completeSoFar) out.push(this.subtree(lo, hi).slice());
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      this.subproof(m, lo, lo + k, completeSoFar, out);
      out.push(this.subtree(lo + k, hi).slice());
    } else {
      this.subproof(m - k, lo + k, hi, false, out);
      out.push(this.subtree(lo, lo + k).slice());
    }
  }

  private checkSize(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.size) {
      throw new RangeError(`the tree has ${this.size} leaves; a size of ${size} is not one of its versions`);
    }
  }

  private checkIndex(index: number, size: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`leaf index ${index} is not in a tree of ${size} leaves`);
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** RFC 9162 §2.1.3.2: recompute the root from a leaf and its audit path. */
export function verifyInclusion(
  leafData: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size || root.length !== HASH_BYTES) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(leafData);
  for (const p of proof) {
    if (p.length !== HASH_BYTES || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(r, root);
}

/** RFC 9162 §2.1.4.2: check that the tree of `oldSize` leaves with `oldRoot` is a prefix of the newer one. */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isInteger(oldSize) || !Number.isInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldRoot.length !== HASH_BYTES || newRoot.length !== HASH_BYTES) return false;
  if (oldSize === newSize) return proof.length === 0 && sameBytes(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0 || proof.some((p) => p.length !== HASH_BYTES)) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sameBytes(fr, oldRoot) && sameBytes(sr, newRoot) && sn === 0;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses 64 hex characters into a hash; null when it is not one. */
export function fromHex(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/.test(hex)) return null;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
