import { createHash } from 'node:crypto';
import { canonicalize } from './canonical';
import type { JournalEvent, UnhashedEvent } from './envelope';

export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** hash = sha256(canonical(event without hash)). */
export function hashEvent(event: UnhashedEvent): string {
  return sha256Hex(canonicalize(envelopeForHash(event)));
}

function envelopeForHash(event: UnhashedEvent | JournalEvent): UnhashedEvent {
  return {
    position: event.position,
    stream: event.stream,
    streamVersion: event.streamVersion,
    type: event.type,
    payload: event.payload,
    actor: event.actor,
    party: event.party,
    visibility: event.visibility,
    recordedAt: event.recordedAt,
    idempotencyKey: event.idempotencyKey,
    prevHash: event.prevHash,
  };
}

export function seal(event: UnhashedEvent): JournalEvent {
  return { ...event, hash: hashEvent(event) };
}

export function recomputeHash(event: JournalEvent): string {
  return hashEvent(envelopeForHash(event));
}
