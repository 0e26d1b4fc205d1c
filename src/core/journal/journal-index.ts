import { canonicalize } from './canonical';
import { sha256Hex } from './chain';
import { type EventDraft, GENESIS_HASH, type JournalEvent } from './envelope';
import type { Projection } from '../projection';

/**
 * What the writer needs to decide an append without touching the store: the head, every stream's
 * version, and the idempotency keys seen. Kept in memory (no random index writes on disk).
 */
export interface JournalIndex {
  head: number;
  headHash: string;
  lastCheckpoint: number;
  lastCheckpointAt: string | null;
  streams: Map<string, number>;
  /** `${actor}\u0000${key}` → the events one request appended, and a fingerprint of their content. */
  idempotency: Map<string, IdempotencyEntry>;
}

export interface IdempotencyEntry {
  first: number;
  last: number;
  fingerprint: string;
}

export function idempotencyScope(actor: string, key: string): string {
  return `${actor}\u0000${key}`;
}

/** Chains the content of one request's events, so a retry can be compared with the original. */
export function extendFingerprint(previous: string, draft: Pick<EventDraft, 'stream' | 'type' | 'payload' | 'visibility'>): string {
  return sha256Hex(previous + canonicalize({ stream: draft.stream, type: draft.type, payload: draft.payload, visibility: draft.visibility }));
}

export const journalIndexProjection: Projection<JournalIndex> = {
  name: 'journal-index',
  version: 1,
  init: () => ({ head: 0, headHash: GENESIS_HASH, lastCheckpoint: 0, lastCheckpointAt: null, streams: new Map(), idempotency: new Map() }),
  apply(state, event: JournalEvent) {
    state.head = event.position;
    state.headHash = event.hash;
    state.streams.set(event.stream, event.streamVersion);
    if (event.type === 'journal.checkpoint') {
      state.lastCheckpoint = event.position;
      state.lastCheckpointAt = event.recordedAt;
    }
    if (event.idempotencyKey) {
      const scope = idempotencyScope(event.actor, event.idempotencyKey);
      const entry = state.idempotency.get(scope);
      if (entry && entry.last === event.position - 1) {
        entry.last = event.position;
        entry.fingerprint = extendFingerprint(entry.fingerprint, event);
      } else {
        state.idempotency.set(scope, { first: event.position, last: event.position, fingerprint: extendFingerprint('', event) });
      }
    }
  },
  toSnapshot: (s) => ({
    head: s.head,
    headHash: s.headHash,
    lastCheckpoint: s.lastCheckpoint,
    lastCheckpointAt: s.lastCheckpointAt,
    streams: [...s.streams],
    idempotency: [...s.idempotency],
  }),
  fromSnapshot(data) {
    const d = data as {
      head: number;
      headHash: string;
      lastCheckpoint: number;
      lastCheckpointAt: string | null;
      streams: [string, number][];
      idempotency: [string, IdempotencyEntry][];
    };
    return {
      head: d.head,
      headHash: d.headHash,
      lastCheckpoint: d.lastCheckpoint,
      lastCheckpointAt: d.lastCheckpointAt,
      streams: new Map(d.streams),
      idempotency: new Map(d.idempotency),
    };
  },
};
