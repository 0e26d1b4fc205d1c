import { canonicalize } from '../../core/journal/canonical';

/*
 * The browser's own check of the journal's Merkle tree (RFC 9162 §2.1), with Web Crypto only, so a
 * reader trusts the arithmetic in their own browser rather than the node that serves the page's data:
 * leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right). The same rules as
 * src/core/journal/merkle.ts, which is built on node:crypto and cannot run here.
 */

const HASH_BYTES = 32;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  // Web Crypto exists only in secure contexts (https or localhost): say so instead of failing obscurely.
  if (!s) throw new Error('this browser offers no Web Crypto here (it needs https or localhost)');
  return s;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

function prefixed(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let at = 1;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function leafHash(data: Uint8Array): Promise<Uint8Array> {
  return sha256(prefixed(0x00, data));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(prefixed(0x01, left, right));
}

/** The leaf data of a journal event: the UTF-8 bytes of its chain hash. */
export function leafDataOf(chainHash: string): Uint8Array {
  return new TextEncoder().encode(chainHash);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** 64 lowercase hex characters as 32 bytes; null when the text is not a hash. */
export function fromHex(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/.test(hex)) return null;
  const out = new Uint8Array(HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Every hash of a proof, or null when one is not a hash (a malformed proof is a failed proof). */
function hashes(list: readonly string[]): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  for (const h of list) {
    const bytes = fromHex(h);
    if (!bytes) return null;
    out.push(bytes);
  }
  return out;
}

/** While the index is a right child … walk up; RFC 9162's "right-shift until LSB(fn) is set". */
function climbWhileEven(fn: number, sn: number): [number, number] {
  while (fn % 2 === 0 && fn !== 0) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return [fn, sn];
}

/**
 * RFC 9162 §2.1.3.2: recomputes the root from a leaf and its audit path and compares it with `root`.
 * `index` is 0-based (journal position − 1).
 */
export async function verifyInclusion(
  leafData: Uint8Array,
  index: number,
  size: number,
  proof: readonly string[],
  root: string,
): Promise<boolean> {
  const expected = fromHex(root);
  const path = hashes(proof);
  if (!expected || !path || !Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = await leafHash(leafData);
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) [fn, sn] = climbWhileEven(fn, sn);
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(r, expected);
}

/** RFC 9162 §2.1.4.2: is the tree of `oldSize` leaves with `oldRoot` a prefix of the newer one? */
export async function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: string,
  newRoot: string,
  proof: readonly string[],
): Promise<boolean> {
  const first = fromHex(oldRoot);
  const second = fromHex(newRoot);
  const given = hashes(proof);
  if (!first || !second || !given) return false;
  if (!Number.isInteger(oldSize) || !Number.isInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return given.length === 0 && sameBytes(first, second);
  if (oldSize === 0) return given.length === 0;
  if (given.length === 0) return false;
  // A power-of-two old tree is itself a node of the new one, so the proof leaves it out.
  const path = (oldSize & (oldSize - 1)) === 0 ? [first, ...given] : given;
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
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) [fn, sn] = climbWhileEven(fn, sn);
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(fr, first) && sameBytes(sr, second);
}

/** What a tree head's Ed25519 signature covers (docs/journal-proofs.md): canonical JSON of its claim. */
export function treeHeadMessage(size: number, root: string, issuedAt: string): Uint8Array {
  return new TextEncoder().encode(canonicalize({ log: 'entente/tree-head/v1', size, root, issuedAt }));
}

export interface HeadClaim {
  readonly size: number;
  readonly root: string;
  readonly issuedAt: string;
  readonly keyId: string;
  /** Raw 32-byte Ed25519 key, base64. */
  readonly publicKey: string;
  /** base64. */
  readonly signature: string;
}

/** `unsupported`: this browser's Web Crypto has no Ed25519, so only the server checked the signature. */
export type SignatureCheck = 'valid' | 'invalid' | 'unsupported';

/**
 * Checks a head's Ed25519 signature with the key it names, and that the key id is the one that key
 * gives (first 16 hex of SHA-256 of the raw key). Whether the key is the node's is for the reader to
 * compare with what the operator published.
 */
export async function verifyHeadSignature(head: HeadClaim): Promise<SignatureCheck> {
  const key = fromBase64(head.publicKey);
  const signature = fromBase64(head.signature);
  if (!key || key.length !== 32 || !signature || signature.length !== 64) return 'invalid';
  if (toHex(await sha256(key)).slice(0, 16) !== head.keyId) return 'invalid';
  let imported: CryptoKey;
  try {
    imported = await subtle().importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  try {
    const message = treeHeadMessage(head.size, head.root, head.issuedAt);
    const valid = await subtle().verify(
      { name: 'Ed25519' },
      imported,
      signature as Uint8Array<ArrayBuffer>,
      message as Uint8Array<ArrayBuffer>,
    );
    return valid ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}
