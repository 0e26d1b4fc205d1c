import type { JournalEvent } from '../core/journal/envelope';
import { StoreError } from './contract';

/**
 * Checks, inside the write lock, that the events a `build` returned continue the journal: positions
 * follow the head one by one and each prevHash links to the event before. The hashes themselves were
 * computed by the caller; recomputing them here would cost a canonicalisation per event on the hot
 * path, whereas these comparisons are free and still keep a buggy caller from forking the chain.
 */
export function assertPlanContinues(head: { readonly position: number; readonly hash: string }, events: readonly JournalEvent[]): void {
  let position = head.position;
  let hash = head.hash;
  for (const event of events) {
    if (event.position !== position + 1) {
      throw new StoreError(
        `append refused: the event planned at position ${event.position} does not follow position ${position} (the journal head is ${head.position})`,
      );
    }
    if (event.prevHash !== hash) {
      throw new StoreError(
        `append refused: the event planned at position ${event.position} does not link to the hash of position ${position}`,
      );
    }
    position = event.position;
    hash = event.hash;
  }
}

/** knownHead is a position: 0 (nothing seen yet) or a positive safe integer. */
export function assertIsPosition(knownHead: number): void {
  if (!Number.isSafeInteger(knownHead) || knownHead < 0) throw new StoreError(`append refused: knownHead ${knownHead} is not a position`);
}

/** The knownHead a caller passed must exist: a head beyond the journal means it is reading another journal. */
export function assertKnownHead(knownHead: number, head: number): void {
  assertIsPosition(knownHead);
  if (knownHead > head) throw new StoreError(`append refused: knownHead ${knownHead} is beyond the journal head ${head}`);
}
