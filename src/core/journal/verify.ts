import { hashEvent, recomputeHash } from './chain';
import { CHECKPOINT_TYPE, type CheckpointPayload, verifyCheckpointSignature } from './checkpoint';
import { GENESIS_HASH, type JournalEvent } from './envelope';

/** How far (in positions, either way) a row found out of place is looked for at its original position. */
const MOVE_SEARCH_WINDOW = 4096;

export type ChainFault = 'altered' | 'missing' | 'reordered' | 'inserted' | 'bad signature';

export interface ChainOk {
  readonly ok: true;
  readonly count: number;
  readonly head: string;
  readonly checkpoints: number;
}

export interface ChainBroken {
  readonly ok: false;
  readonly position: number;
  readonly fault: ChainFault;
  readonly message: string;
  /** Events checked and found good before the fault. */
  readonly count: number;
}

export type ChainReport = ChainOk | ChainBroken;

export interface VerifyOptions {
  /** Public keys (base64url) whose checkpoint signatures are trusted; absent means any valid signature. */
  readonly trustedKeys?: ReadonlySet<string>;
}

/**
 * Checks the hash chain one event at a time, in position order, keeping only the last two events,
 * so that a journal of any length verifies in constant memory. The fault is classified from the
 * neighbourhood: a row whose hash is right for another position was moved (reordered); a row whose
 * successor links past it was inserted; a row whose content no longer matches was altered.
 */
export class ChainVerifier {
  private prev: JournalEvent | null = null;
  private prevPrev: JournalEvent | null = null;
  private count = 0;
  private checkpoints = 0;
  private fault: ChainBroken | null = null;

  constructor(private readonly options: VerifyOptions = {}) {}

  /** Feeds the next event; returns false once a fault has been found (further input is ignored). */
  push(event: JournalEvent): boolean {
    if (this.fault) return false;
    const expected = (this.prev?.position ?? 0) + 1;
    const prevHash = this.prev?.hash ?? GENESIS_HASH;

    if (event.position > expected) {
      return this.broken(expected, 'missing', `position ${expected} is missing: the next event found is ${event.position}`);
    }
    if (event.position < expected) {
      return this.broken(event.position, 'reordered', `position ${event.position} appears after position ${expected - 1}`);
    }

    // The hash the previous event replaced: had `prev` been slipped in, the next event links to this.
    // Genesis when `prev` is the first event, so a row forged in front of the journal reads as inserted too.
    const beforePrev = this.prev ? (this.prevPrev?.hash ?? GENESIS_HASH) : null;

    const selfConsistent = recomputeHash(event) === event.hash;
    if (!selfConsistent) {
      const movedFrom = this.originalPosition(event);
      if (movedFrom !== null) {
        if (movedFrom === event.position - 1 && this.prev && event.prevHash === beforePrev) {
          return this.broken(
            this.prev.position,
            'inserted',
            `position ${this.prev.position} was inserted: the event after it was written at position ${movedFrom} and links to ${this.prev.position - 1}`,
          );
        }
        return this.broken(event.position, 'reordered', `the event at position ${event.position} was written at position ${movedFrom}`);
      }
      return this.broken(event.position, 'altered', `the event at position ${event.position} does not match its hash`);
    }

    if (event.prevHash !== prevHash) {
      if (this.prev && event.prevHash === beforePrev) {
        return this.broken(
          this.prev.position,
          'inserted',
          `position ${this.prev.position} was inserted: the next event links to position ${this.prev.position - 1}`,
        );
      }
      if (this.prev) {
        return this.broken(
          this.prev.position,
          'altered',
          `the event at position ${this.prev.position} was altered and rehashed: position ${event.position} still links to its original hash`,
        );
      }
      return this.broken(event.position, 'altered', `the first event does not start from the genesis hash`);
    }

    if (event.type === CHECKPOINT_TYPE) {
      const problem = this.checkCheckpoint(event);
      if (problem) return this.broken(event.position, 'bad signature', problem);
      this.checkpoints++;
    }

    this.prevPrev = this.prev;
    this.prev = event;
    this.count++;
    return true;
  }

  report(): ChainReport {
    if (this.fault) return this.fault;
    return { ok: true, count: this.count, head: this.prev?.hash ?? GENESIS_HASH, checkpoints: this.checkpoints };
  }

  private checkCheckpoint(event: JournalEvent): string | null {
    const p = event.payload as Partial<CheckpointPayload>;
    if (
      typeof p.upTo !== 'number' ||
      typeof p.headHash !== 'string' ||
      typeof p.publicKey !== 'string' ||
      typeof p.signature !== 'string' ||
      typeof p.keyId !== 'string'
    ) {
      return `checkpoint at position ${event.position} is malformed`;
    }
    if (!verifyCheckpointSignature(p as CheckpointPayload)) {
      return `checkpoint at position ${event.position} has a signature that does not verify`;
    }
    if (this.options.trustedKeys && !this.options.trustedKeys.has(p.publicKey)) {
      return `checkpoint at position ${event.position} is signed by key ${p.keyId}, which is not trusted`;
    }
    if (p.upTo !== event.position - 1 || p.headHash !== event.prevHash) {
      return `checkpoint at position ${event.position} signed head ${p.headHash.slice(0, 12)}… at ${p.upTo}, but the chain there is ${event.prevHash.slice(0, 12)}…: history before it was rewritten`;
    }
    return null;
  }

  /**
   * Finds the position this row's stored hash was computed for, nearest first. Only runs once, on the
   * fault path (the verifier stops at the first fault), so the window can be wide: 4,096 rows either side
   * cost some 8,000 hashes, tens of milliseconds. Beyond it a moved row reads as altered.
   */
  private originalPosition(event: JournalEvent): number | null {
    for (let d = 1; d <= MOVE_SEARCH_WINDOW; d++) {
      for (const candidate of [event.position - d, event.position + d]) {
        if (candidate < 1) continue;
        if (hashEvent({ ...event, position: candidate }) === event.hash) return candidate;
      }
    }
    return null;
  }

  private broken(position: number, fault: ChainFault, message: string): false {
    this.fault = { ok: false, position, fault, message, count: this.count };
    return false;
  }
}

export async function verifyChain(
  events: AsyncIterable<JournalEvent> | Iterable<JournalEvent>,
  options?: VerifyOptions,
): Promise<ChainReport> {
  const verifier = new ChainVerifier(options);
  for await (const event of events) {
    if (!verifier.push(event)) break;
  }
  return verifier.report();
}
