import type { AppendRequest, JournalEvent } from './journal/envelope';

/** Read access to the memory image's projections, by projection name. */
export interface ImageView {
  state<S>(name: string): S;
}

/**
 * A reaction: what the system does by itself when something happens (a notified site struck, a
 * commitment triggered) or when a deadline passes (an unacknowledged notice escalates, a rung's
 * clock runs out). Pure: it only proposes appends. Every proposal states the expected version of the
 * stream it writes, so that when several nodes react to the same event or deadline, exactly one
 * append wins and the others are refused as conflicts — the firing is itself the record.
 */
export interface Reactor {
  readonly name: string;
  /** Follow-ups to events just applied to the image (in position order). */
  react?(events: readonly JournalEvent[], image: ImageView, now: Date): AppendRequest[];
  /** Follow-ups whose time has come (deadlines). Called on a clock tick and after each batch. */
  due?(image: ImageView, now: Date): AppendRequest[];
  /**
   * Once when the node starts: follow-ups to events that happened while no node reacted (a crash
   * between an event and its reaction). Must propose nothing for what was already reacted to.
   */
  recover?(image: ImageView, now: Date): AppendRequest[];
}
