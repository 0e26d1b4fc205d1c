import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { canonicalize } from './canonical';
import type { EventDraft, JournalEvent } from './envelope';

export const CHECKPOINT_TYPE = 'journal.checkpoint';
export const CHECKPOINT_STREAM = 'journal/checkpoints';

export interface CheckpointPayload {
  /** The last position the signature covers; the checkpoint itself is the next event. */
  readonly upTo: number;
  readonly headHash: string;
  readonly keyId: string;
  /** Ed25519 public key, raw 32 bytes, base64url. */
  readonly publicKey: string;
  /** Ed25519 signature over the canonical JSON of {upTo, headHash, keyId}, base64url. */
  readonly signature: string;
}

export interface CheckpointSigner {
  readonly keyId: string;
  readonly publicKey: string;
  sign(message: Uint8Array): string;
}

export function checkpointMessage(upTo: number, headHash: string, keyId: string): Uint8Array {
  return new TextEncoder().encode(canonicalize({ upTo, headHash, keyId }));
}

export function checkpointDraft(upTo: number, headHash: string, signer: CheckpointSigner): EventDraft {
  const payload: CheckpointPayload = {
    upTo,
    headHash,
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    signature: signer.sign(checkpointMessage(upTo, headHash, signer.keyId)),
  };
  return { stream: CHECKPOINT_STREAM, type: CHECKPOINT_TYPE, payload: { ...payload }, visibility: ['process'] };
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function verifyCheckpointSignature(payload: CheckpointPayload): boolean {
  try {
    const raw = Buffer.from(payload.publicKey, 'base64url');
    if (raw.length !== 32) return false;
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    return verifySignature(null, checkpointMessage(payload.upTo, payload.headHash, payload.keyId), key, Buffer.from(payload.signature, 'base64url'));
  } catch {
    return false;
  }
}

export function isCheckpoint(event: Pick<JournalEvent, 'type'>): boolean {
  return event.type === CHECKPOINT_TYPE;
}
