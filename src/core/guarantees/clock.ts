import type { AppendRequest, EventDraft, JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import type { ImageView, Reactor } from '../reaction';
import {
  applyEscalationEvent,
  ESCALATION_EVENT_TYPES,
  escalationStream,
  expireEscalation,
  nextDeadline,
  openEscalation,
  type Escalation,
  type EscalationEvent,
} from './ladder';
import type { EscalationOpening } from './trigger';

/**
 * Durable escalation clocks. The deadlines are data in the journal (each rung's `deadline`); this
 * projection folds the escalations, and the reactor's `due` proposes, for every deadline that has
 * passed, the events that record it — stating the escalation stream's version, so that when two nodes
 * (or a tick and a restart) see the same deadline, one append wins and the other is refused as a
 * conflict. A deadline therefore fires exactly once, and a restart loses none: they are recomputed
 * from the fold.
 *
 * Not registered yet: the live wiring adds `escalationsProjection` to the memory image and
 * `escalationClock` to runtime/reactors.ts.
 */

export const ESCALATIONS_PROJECTION = 'guarantees.escalations';
export const GUARANTEES_ACTOR = 'system:guarantees';

export interface EscalationsState {
  escalations: Map<string, Escalation>;
  /** Ids of escalations still open (the clock only looks at these). */
  open: Set<string>;
}

const TYPES = new Set<string>(ESCALATION_EVENT_TYPES);

export const escalationsProjection: Projection<EscalationsState> = {
  name: ESCALATIONS_PROJECTION,
  version: 1,
  init: () => ({ escalations: new Map(), open: new Set() }),
  apply(state, event: JournalEvent) {
    if (!TYPES.has(event.type)) return;
    // Our own events, written by decideEscalation / openEscalation: their shape is the EscalationEvent union.
    const ev = { type: event.type, payload: event.payload } as unknown as EscalationEvent;
    const id = ev.payload.id;
    const next = applyEscalationEvent(state.escalations.get(id) ?? null, ev, event.streamVersion);
    state.escalations.set(id, next);
    if (next.status === 'open') state.open.add(id);
    else state.open.delete(id);
  },
  toSnapshot: (state) => [...state.escalations.values()],
  fromSnapshot(data) {
    const list = data as Escalation[];
    return { escalations: new Map(list.map((e) => [e.id, e])), open: new Set(list.filter((e) => e.status === 'open').map((e) => e.id)) };
  },
};

/**
 * Who may read an escalation: the mediator, the guarantors (and their coalitions' members), the
 * responders and the verifier — not the parties to the conflict, whose breach it is about.
 */
export function escalationVisibility(o: EscalationOpening): string[] {
  const parties = new Set<string>([...o.guarantors, ...o.ladder.flatMap((r) => r.actors)]);
  if (o.leadResponder) parties.add(o.leadResponder);
  if (o.backupResponder) parties.add(o.backupResponder);
  parties.add(o.rule.verifier);
  parties.delete(o.against);
  // A visibility list holds at most 16 labels; the mediator always reads.
  return [
    'mediator',
    ...[...parties]
      .sort()
      .slice(0, 15)
      .map((p) => `party:${p}`),
  ];
}

export function escalationDrafts(opening: EscalationOpening, events: readonly EscalationEvent[]): EventDraft[] {
  const visibility = escalationVisibility(opening);
  return events.map((ev) => ({
    stream: escalationStream(opening.id),
    type: ev.type,
    payload: ev.payload as unknown as Record<string, unknown>,
    visibility,
  }));
}

/** The append that opens an escalation: expected `new`, so that a second node triggering the same opening is refused. */
export function openEscalationRequest(opening: EscalationOpening, actor = GUARANTEES_ACTOR): AppendRequest {
  return {
    drafts: escalationDrafts(opening, openEscalation(opening)),
    expected: { [escalationStream(opening.id)]: 'new' },
    actor,
    party: null,
  };
}

/** The append recording events decided on `escalation` at its current version. */
export function escalationRequest(
  escalation: Escalation,
  events: readonly EscalationEvent[],
  actor: string,
  party: string | null,
): AppendRequest {
  return {
    drafts: escalationDrafts(escalation.opening, events),
    expected: { [escalationStream(escalation.id)]: escalation.version },
    actor,
    party,
  };
}

/** Every open clock, soonest first (the mediator's view of what is pending). */
export function openClocks(state: EscalationsState): { escalation: Escalation; deadline: string | null }[] {
  return [...state.open]
    .map((id) => state.escalations.get(id)!)
    .map((escalation) => ({ escalation, deadline: nextDeadline(escalation) }))
    .sort((a, b) => (a.deadline === null ? 1 : b.deadline === null ? -1 : Date.parse(a.deadline) - Date.parse(b.deadline)));
}

/** The proposals for every deadline passed at `now`. */
export function dueEscalations(state: EscalationsState, now: Date): AppendRequest[] {
  const out: AppendRequest[] = [];
  for (const id of state.open) {
    const e = state.escalations.get(id)!;
    const deadline = nextDeadline(e);
    if (deadline === null || Date.parse(deadline) > now.getTime()) continue;
    const events = expireEscalation(e, now);
    if (events.length > 0) out.push(escalationRequest(e, events, GUARANTEES_ACTOR, null));
  }
  return out;
}

export const escalationClock: Reactor = {
  name: 'guarantees.escalation-clock',
  due(image: ImageView, now: Date): AppendRequest[] {
    const state = image.state<EscalationsState | undefined>(ESCALATIONS_PROJECTION);
    return state ? dueEscalations(state, now) : [];
  },
};
