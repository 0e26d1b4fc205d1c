import type { JournalEvent } from './journal/envelope';

/**
 * A read model folded from the journal. The same `apply` runs live and at rebuild, so both give the
 * same state (a property test checks it). `apply` mutates the state in place for speed; snapshots
 * are plain JSON values.
 */
export interface Projection<S> {
  readonly name: string;
  /** Bumped when the state's shape changes: an old snapshot is then ignored and the image rebuilt. */
  readonly version: number;
  init(): S;
  apply(state: S, event: JournalEvent): void;
  toSnapshot(state: S): unknown;
  fromSnapshot(data: unknown): S;
}

// The registry erases each projection's state type; the image keeps state and projection together.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProjection = Projection<any>;
