import { type Failure, fail } from '../errors';
import { seal } from './chain';
import type { AppendRequest, EventDraft, JournalEvent } from './envelope';
import { extendFingerprint, idempotencyScope, type JournalIndex } from './journal-index';

export type AppendOutcome =
  | { readonly kind: 'appended'; readonly events: readonly JournalEvent[] }
  /** The same idempotency key was seen before with the same content: the first result stands. */
  | { readonly kind: 'duplicate'; readonly first: number; readonly last: number }
  | Failure;

export interface BatchPlan {
  readonly events: JournalEvent[];
  readonly outcomes: AppendOutcome[];
}

/**
 * Decides one group-commit batch against the index, without changing it (the write may still fail):
 * checks idempotency keys and expected stream versions, then assigns positions, stream versions and
 * the hash chain. Requests are independent: one that conflicts is refused alone.
 */
export function planBatch(
  index: Readonly<JournalIndex>,
  requests: readonly AppendRequest[],
  recordedAt: string,
  checkpoint?: (upTo: number, headHash: string) => EventDraft,
): BatchPlan {
  const events: JournalEvent[] = [];
  const outcomes: AppendOutcome[] = [];
  const streams = new Map<string, number>();
  const keys = new Map<string, { first: number; last: number; fingerprint: string }>();
  let head = index.head;
  let headHash = index.headHash;

  const versionOf = (stream: string) => streams.get(stream) ?? index.streams.get(stream) ?? 0;

  for (const request of requests) {
    const scope = request.idempotencyKey ? idempotencyScope(request.actor, request.idempotencyKey) : null;
    let fingerprint = '';
    if (scope) {
      for (const d of request.drafts) fingerprint = extendFingerprint(fingerprint, d);
      const seen = keys.get(scope) ?? index.idempotency.get(scope);
      if (seen) {
        outcomes.push(
          seen.fingerprint === fingerprint
            ? { kind: 'duplicate', first: seen.first, last: seen.last }
            : fail('idempotency_mismatch', 'this idempotency key was already used for a different request', undefined, { firstPosition: seen.first }),
        );
        continue;
      }
    }

    const conflict = checkExpected(request, versionOf);
    if (conflict) {
      outcomes.push(conflict);
      continue;
    }
    if (request.drafts.length === 0) {
      outcomes.push(fail('validation_failed', 'nothing to append'));
      continue;
    }

    const appended: JournalEvent[] = [];
    for (const draft of request.drafts) {
      const streamVersion = versionOf(draft.stream) + 1;
      streams.set(draft.stream, streamVersion);
      const event = seal({
        position: head + 1,
        stream: draft.stream,
        streamVersion,
        type: draft.type,
        payload: draft.payload,
        actor: request.actor,
        party: request.party,
        visibility: [...draft.visibility],
        recordedAt,
        idempotencyKey: request.idempotencyKey ?? null,
        prevHash: headHash,
      });
      head = event.position;
      headHash = event.hash;
      appended.push(event);
      events.push(event);
    }
    if (scope) keys.set(scope, { first: appended[0]!.position, last: head, fingerprint });
    outcomes.push({ kind: 'appended', events: appended });
  }

  if (checkpoint && head > index.lastCheckpoint) {
    const draft = checkpoint(head, headHash);
    const event = seal({
      position: head + 1,
      stream: draft.stream,
      streamVersion: versionOf(draft.stream) + 1,
      type: draft.type,
      payload: draft.payload,
      actor: 'system',
      party: null,
      visibility: [...draft.visibility],
      recordedAt,
      idempotencyKey: null,
      prevHash: headHash,
    });
    events.push(event);
  }
  return { events, outcomes };
}

function checkExpected(request: AppendRequest, versionOf: (stream: string) => number): Failure | null {
  if (!request.expected) return null;
  for (const [stream, expected] of Object.entries(request.expected)) {
    if (expected === 'any') continue;
    const actual = versionOf(stream);
    if (expected === 'new' ? actual !== 0 : actual !== expected) {
      const wanted = expected === 'new' ? 'a new stream' : `version ${expected}`;
      return fail('conflict', `${stream} has changed: you decided on ${wanted}, it is now at version ${actual}; reload and try again`, undefined, {
        stream,
        expected,
        actual,
      });
    }
  }
  return null;
}
