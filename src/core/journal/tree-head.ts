import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { z } from 'zod';
import { canonicalize } from './canonical';
import type { EventDraft } from './envelope';

export const TREE_HEAD_TYPE = 'journal.tree-head';
export const TREE_HEAD_STREAM = 'journal/tree-heads';

/** One RFC 3161 time-stamp token over the head's message, from the named authority. */
export const TreeHeadTimestamp = z.object({
  /** The authority's URL (or name) as configured on the node that asked it. */
  authority: z.string().min(1).max(500),
  /** The TimeStampToken (a CMS ContentInfo), DER, base64. */
  token: z.string().min(1),
});
export type TreeHeadTimestamp = z.infer<typeof TreeHeadTimestamp>;

/**
 * A signed tree head: the node states that the first `size` journal events form a Merkle tree with
 * this root. Anyone holding two heads can ask for a consistency proof between them.
 */
export const SignedTreeHead = z.object({
  size: z.number().int().min(0),
  root: z.string().regex(/^[0-9a-f]{64}$/, 'a root is 64 lowercase hex characters'),
  issuedAt: z.string().min(1),
  keyId: z.string().min(1).max(64),
  /** Ed25519 public key, raw 32 bytes, base64. */
  publicKey: z.string().min(1),
  /** Ed25519 signature over treeHeadMessage(size, root, issuedAt), base64. */
  signature: z.string().min(1),
  timestamps: z.array(TreeHeadTimestamp),
});
export type SignedTreeHead = z.infer<typeof SignedTreeHead>;

export interface TreeHeadSigner {
  readonly keyId: string;
  /** Raw Ed25519 public key, base64url (as the node key gives it). */
  readonly publicKey: string;
  /** Signs and answers base64url. */
  sign(message: Uint8Array): string;
}

/**
 * What is signed and what time-stamping authorities stamp: canonical JSON of the head's claim. The
 * `log` field keeps a tree-head signature from ever being read as another kind of signed statement.
 */
export function treeHeadMessage(size: number, root: string, issuedAt: string): Uint8Array {
  return new TextEncoder().encode(canonicalize({ log: 'entente/tree-head/v1', size, root, issuedAt }));
}

/** SHA-256 of the head's message: the message imprint of its RFC 3161 tokens. */
export function treeHeadImprint(head: Pick<SignedTreeHead, 'size' | 'root' | 'issuedAt'>): Uint8Array {
  const d = createHash('sha256')
    .update(treeHeadMessage(head.size, head.root, head.issuedAt))
    .digest();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

export function signTreeHead(size: number, root: string, issuedAt: string, signer: TreeHeadSigner): SignedTreeHead {
  return {
    size,
    root,
    issuedAt,
    keyId: signer.keyId,
    publicKey: Buffer.from(signer.publicKey, 'base64url').toString('base64'),
    signature: Buffer.from(signer.sign(treeHeadMessage(size, root, issuedAt)), 'base64url').toString('base64'),
    timestamps: [],
  };
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Checks the Ed25519 signature of a head with the key it names (whether that key is trusted is the caller's call). */
export function verifyTreeHead(head: SignedTreeHead): boolean {
  try {
    const raw = Buffer.from(head.publicKey, 'base64');
    if (raw.length !== 32) return false;
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    return verifySignature(null, treeHeadMessage(head.size, head.root, head.issuedAt), key, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

/** The key id a node derives from its public key (first 16 hex of SHA-256 of the raw key), as node-key does. */
export function keyIdOf(publicKeyBase64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 16);
}

/** The journal event that stores a head (public: every party may hold and check it). */
export function treeHeadDraft(head: SignedTreeHead): EventDraft {
  return { stream: TREE_HEAD_STREAM, type: TREE_HEAD_TYPE, payload: { ...head }, visibility: ['public'] };
}

export function isTreeHeadEvent(event: { type: string }): boolean {
  return event.type === TREE_HEAD_TYPE;
}
