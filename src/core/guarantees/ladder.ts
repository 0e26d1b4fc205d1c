import { z } from 'zod';
import { fail, ok, type Result } from '../errors';
import { PartyId } from '../framework/model';
import { rungDeadline, type EscalationOpening, type RungPlan } from './trigger';

/**
 * An escalation climbs its ladder. Each rung is a small state machine —
 * opened → acknowledged → decided → responded — and its deadline: a rung still short of `responded`
 * when its deadline passes is missed, and the next rung opens at that instant by itself; a missed rung
 * with no next is a dead end, recorded as such. A response ends the escalation, unless the owner hands
 * on (`handOn`: the step is done, open the next rung now — verification done, consultation begins).
 *
 * Everything here is pure: `(escalation, command, now) → events | Failure`, `expire(escalation, now)`
 * for the clock, `applyEscalationEvent` to fold. The same fold runs live and at rebuild.
 */

export const RUNG_STATES = ['opened', 'acknowledged', 'decided', 'responded', 'missed'] as const;
export type RungState = (typeof RUNG_STATES)[number];

export const RUNG_INPUTS = ['acknowledge', 'decide', 'respond', 'deadline'] as const;
export type RungInput = (typeof RUNG_INPUTS)[number];

/** From each state of a rung, what may happen and where it leads. Responded and missed are final. */
export const RUNG_TRANSITIONS: Readonly<Record<RungState, Readonly<Partial<Record<RungInput, RungState>>>>> = {
  opened: { acknowledge: 'acknowledged', deadline: 'missed' },
  acknowledged: { decide: 'decided', deadline: 'missed' },
  decided: { respond: 'responded', deadline: 'missed' },
  responded: {},
  missed: {},
};

export const ESCALATION_STATUSES = ['open', 'responded', 'dead-end', 'closed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export interface RungRecord {
  readonly index: number;
  readonly id: string;
  readonly action: string;
  readonly ownerParties: readonly string[];
  readonly state: RungState;
  readonly openedAt: string;
  readonly openedBecause: 'triggered' | 'deadline-missed' | 'handed-on';
  readonly deadline: string | null;
  readonly acknowledged: { readonly by: string; readonly at: string; readonly note: string } | null;
  readonly decided: { readonly by: string; readonly at: string; readonly decision: 'act' | 'not-act'; readonly note: string } | null;
  readonly responded: { readonly by: string; readonly at: string; readonly note: string } | null;
  readonly missedAt: string | null;
}

export interface Escalation {
  readonly id: string;
  /** Version of the escalation's stream: what appends state as expected. */
  readonly version: number;
  readonly opening: EscalationOpening;
  readonly status: EscalationStatus;
  /** Every rung opened so far, in order; the last is the current one. */
  readonly rungs: readonly RungRecord[];
  /** Case ids: the evidence that opened it, then corroboration. */
  readonly evidence: readonly string[];
  readonly endedAt: string | null;
  readonly closed: { readonly by: string; readonly reason: string } | null;
}

export const escalationStream = (id: string) => `escalation/${id}`;

// ---------------------------------------------------------------------------------------------------
// Events

export type EscalationEvent =
  | { readonly type: 'escalation.opened'; readonly payload: { readonly id: string; readonly opening: EscalationOpening } }
  | {
      readonly type: 'escalation.acknowledged';
      readonly payload: { readonly id: string; readonly rung: number; readonly by: string; readonly at: string; readonly note: string };
    }
  | {
      readonly type: 'escalation.decided';
      readonly payload: {
        readonly id: string;
        readonly rung: number;
        readonly by: string;
        readonly at: string;
        readonly decision: 'act' | 'not-act';
        readonly note: string;
      };
    }
  | {
      readonly type: 'escalation.responded';
      readonly payload: {
        readonly id: string;
        readonly rung: number;
        readonly by: string;
        readonly at: string;
        readonly note: string;
        readonly handOn: boolean;
      };
    }
  | { readonly type: 'escalation.rung-missed'; readonly payload: { readonly id: string; readonly rung: number; readonly at: string } }
  | {
      readonly type: 'escalation.rung-opened';
      readonly payload: {
        readonly id: string;
        readonly rung: number;
        readonly at: string;
        readonly deadline: string | null;
        readonly because: 'deadline-missed' | 'handed-on';
      };
    }
  | { readonly type: 'escalation.dead-ended'; readonly payload: { readonly id: string; readonly rung: number | null; readonly at: string } }
  | {
      readonly type: 'escalation.closed';
      readonly payload: { readonly id: string; readonly by: string; readonly at: string; readonly reason: string };
    }
  | {
      readonly type: 'escalation.evidence-added';
      readonly payload: { readonly id: string; readonly caseIds: readonly string[]; readonly at: string };
    };

export type EscalationEventType = EscalationEvent['type'];
export const ESCALATION_EVENT_TYPES: readonly EscalationEventType[] = [
  'escalation.opened',
  'escalation.acknowledged',
  'escalation.decided',
  'escalation.responded',
  'escalation.rung-missed',
  'escalation.rung-opened',
  'escalation.dead-ended',
  'escalation.closed',
  'escalation.evidence-added',
];

// ---------------------------------------------------------------------------------------------------
// Commands

const Note = z.string().max(4000).default('');
export const EscalationCommand = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('acknowledge'), by: PartyId, note: Note }),
  z.strictObject({ type: z.literal('decide'), by: PartyId, decision: z.enum(['act', 'not-act']), note: Note }),
  z.strictObject({
    type: z.literal('respond'),
    by: PartyId,
    note: z.string().min(1, 'say what was done').max(4000),
    handOn: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.literal('close'),
    by: z.string().min(1).max(64),
    reason: z.string().min(1, 'say why the escalation is closed').max(4000),
  }),
  z.strictObject({ type: z.literal('add-evidence'), caseIds: z.array(z.string().min(1).max(64)).min(1).max(100) }),
]);
export type EscalationCommand = z.infer<typeof EscalationCommand>;

const iso = (ms: number) => new Date(ms).toISOString();

/** The events that open an escalation (with no rungs at all, it is a dead end at once). */
export function openEscalation(opening: EscalationOpening): EscalationEvent[] {
  const events: EscalationEvent[] = [{ type: 'escalation.opened', payload: { id: opening.id, opening } }];
  if (opening.ladder.length === 0)
    events.push({ type: 'escalation.dead-ended', payload: { id: opening.id, rung: null, at: opening.openedAt } });
  return events;
}

/** The rung the escalation is on, when it is open. */
export function currentRung(e: Escalation): RungRecord | null {
  return e.status === 'open' ? (e.rungs[e.rungs.length - 1] ?? null) : null;
}

/** The instant the clock must act next for this escalation, or null when nothing is pending. */
export function nextDeadline(e: Escalation): string | null {
  const rung = currentRung(e);
  if (!rung || rung.state === 'responded' || rung.state === 'missed') return null;
  return rung.deadline;
}

/** Decides a command against the escalation as it is at `now`. */
export function decideEscalation(e: Escalation, command: EscalationCommand, now: Date): Result<EscalationEvent[]> {
  const at = now.toISOString();
  const id = e.id;
  if (e.status !== 'open') return fail('invalid_transition', `escalation ${id} is ${e.status}: nothing more can be recorded on it`);
  if (command.type === 'close') return ok([{ type: 'escalation.closed', payload: { id, by: command.by, at, reason: command.reason } }]);
  if (command.type === 'add-evidence') {
    const fresh = command.caseIds.filter((c) => !e.evidence.includes(c));
    if (fresh.length === 0)
      return fail('conflict', `the cases ${command.caseIds.join(', ')} are already evidence of escalation ${id}`, '/caseIds');
    return ok([{ type: 'escalation.evidence-added', payload: { id, caseIds: fresh, at } }]);
  }
  const rung = currentRung(e)!;
  if (rung.deadline !== null && now.getTime() >= Date.parse(rung.deadline)) {
    return fail(
      'invalid_transition',
      `the deadline of rung ${rung.id} passed at ${rung.deadline}: the rung is missed, and the escalation moves on by itself`,
    );
  }
  const plan = e.opening.ladder[rung.index]!;
  if (!plan.actors.includes(command.by)) {
    const owners = plan.ownerParties.length ? plan.ownerParties.join(', ') : `the ${plan.owner.replace(/-/g, ' ')} (none named)`;
    return fail('refused', `rung ${rung.id} (${rung.action}) is owned by ${owners}; ${command.by} cannot ${command.type} it`, '/by');
  }
  const to = RUNG_TRANSITIONS[rung.state][command.type];
  if (!to) {
    const allowed = Object.keys(RUNG_TRANSITIONS[rung.state]).filter((k) => k !== 'deadline');
    return fail(
      'invalid_transition',
      `rung ${rung.id} is ${rung.state}: it can be ${allowed.length ? allowed.map(pastTense).join(' or ') : 'nothing'} next, not ${pastTense(command.type)}`,
      '/type',
      { state: rung.state, allowed },
    );
  }
  switch (command.type) {
    case 'acknowledge':
      return ok([{ type: 'escalation.acknowledged', payload: { id, rung: rung.index, by: command.by, at, note: command.note } }]);
    case 'decide':
      return ok([
        {
          type: 'escalation.decided',
          payload: { id, rung: rung.index, by: command.by, at, decision: command.decision, note: command.note },
        },
      ]);
    case 'respond': {
      const events: EscalationEvent[] = [
        { type: 'escalation.responded', payload: { id, rung: rung.index, by: command.by, at, note: command.note, handOn: command.handOn } },
      ];
      if (command.handOn && plan.nextIndex !== null) events.push(rungOpened(e, plan.nextIndex, now.getTime(), 'handed-on'));
      return ok(events);
    }
  }
}

function pastTense(input: string): string {
  return input === 'acknowledge' ? 'acknowledged' : input === 'decide' ? 'decided' : input === 'respond' ? 'responded' : input;
}

function rungOpened(e: Escalation, index: number, at: number, because: 'deadline-missed' | 'handed-on'): EscalationEvent {
  const deadline = rungDeadline(e.opening.ladder[index]!, at);
  return {
    type: 'escalation.rung-opened',
    payload: { id: e.id, rung: index, at: iso(at), deadline: deadline === null ? null : iso(deadline), because },
  };
}

/**
 * What the clock records at `now`: every deadline that has passed, in order. A rung opened by a missed
 * deadline opens at that deadline, not at `now`, so a node that was down catches up to the same
 * instants as one that was not.
 */
export function expireEscalation(e: Escalation, now: Date): EscalationEvent[] {
  const events: EscalationEvent[] = [];
  let cur = e;
  for (let guard = 0; guard <= cur.opening.ladder.length; guard++) {
    const deadline = nextDeadline(cur);
    if (deadline === null || Date.parse(deadline) > now.getTime()) break;
    const rung = currentRung(cur)!;
    const plan = cur.opening.ladder[rung.index]!;
    const step: EscalationEvent[] = [{ type: 'escalation.rung-missed', payload: { id: cur.id, rung: rung.index, at: deadline } }];
    if (plan.nextIndex !== null) step.push(rungOpened(cur, plan.nextIndex, Date.parse(deadline), 'deadline-missed'));
    else step.push({ type: 'escalation.dead-ended', payload: { id: cur.id, rung: rung.index, at: deadline } });
    for (const ev of step) cur = applyEscalationEvent(cur, ev, cur.version + 1);
    events.push(...step);
  }
  return events;
}

// ---------------------------------------------------------------------------------------------------
// Fold

function withRung(e: Escalation, index: number, change: (r: RungRecord) => RungRecord): RungRecord[] {
  const rungs = [...e.rungs];
  for (let i = rungs.length - 1; i >= 0; i--) {
    if (rungs[i]!.index === index) {
      rungs[i] = change(rungs[i]!);
      break;
    }
  }
  return rungs;
}

function newRung(plan: RungPlan, openedAt: string, deadline: string | null, because: RungRecord['openedBecause']): RungRecord {
  return {
    index: plan.index,
    id: plan.id,
    action: plan.action,
    ownerParties: plan.ownerParties,
    state: 'opened',
    openedAt,
    openedBecause: because,
    deadline,
    acknowledged: null,
    decided: null,
    responded: null,
    missedAt: null,
  };
}

/** Applies one event; `version` is the stream version the event has (or will have). */
export function applyEscalationEvent(e: Escalation | null, event: EscalationEvent, version: number): Escalation {
  if (event.type === 'escalation.opened') {
    const o = event.payload.opening;
    const first = o.ladder[0];
    return {
      id: o.id,
      version,
      opening: o,
      status: 'open',
      rungs: first ? [newRung(first, o.firstRung.openedAt, o.firstRung.deadline, 'triggered')] : [],
      evidence: o.evidence.map((c) => c.id),
      endedAt: null,
      closed: null,
    };
  }
  if (!e) throw new Error(`${event.type} for escalation ${event.payload.id}, which was never opened`);
  const p = event.payload;
  switch (event.type) {
    case 'escalation.acknowledged':
      return {
        ...e,
        version,
        rungs: withRung(e, event.payload.rung, (r) => ({
          ...r,
          state: 'acknowledged',
          acknowledged: { by: event.payload.by, at: event.payload.at, note: event.payload.note },
        })),
      };
    case 'escalation.decided': {
      const d = event.payload;
      return {
        ...e,
        version,
        rungs: withRung(e, d.rung, (r) => ({
          ...r,
          state: 'decided',
          decided: { by: d.by, at: d.at, decision: d.decision, note: d.note },
        })),
      };
    }
    case 'escalation.responded': {
      const d = event.payload;
      const rungs = withRung(e, d.rung, (r) => ({ ...r, state: 'responded', responded: { by: d.by, at: d.at, note: d.note } }));
      const handsOn = d.handOn && e.opening.ladder[d.rung]?.nextIndex !== null;
      return handsOn ? { ...e, version, rungs } : { ...e, version, rungs, status: 'responded', endedAt: d.at };
    }
    case 'escalation.rung-missed': {
      const d = event.payload;
      return { ...e, version, rungs: withRung(e, d.rung, (r) => ({ ...r, state: 'missed', missedAt: d.at })) };
    }
    case 'escalation.rung-opened': {
      const d = event.payload;
      return { ...e, version, rungs: [...e.rungs, newRung(e.opening.ladder[d.rung]!, d.at, d.deadline, d.because)] };
    }
    case 'escalation.dead-ended':
      return { ...e, version, status: 'dead-end', endedAt: event.payload.at };
    case 'escalation.closed':
      return { ...e, version, status: 'closed', endedAt: event.payload.at, closed: { by: event.payload.by, reason: event.payload.reason } };
    case 'escalation.evidence-added':
      return { ...e, version, evidence: [...e.evidence, ...event.payload.caseIds.filter((c) => !e.evidence.includes(c))] };
    default:
      return assertNever(event, p);
  }
}

function assertNever(event: never, payload: unknown): never {
  throw new Error(`unknown escalation event ${JSON.stringify(event)} ${JSON.stringify(payload)}`);
}

/** Folds a whole history (stream versions 1, 2, …). */
export function foldEscalation(events: readonly EscalationEvent[]): Escalation | null {
  let e: Escalation | null = null;
  events.forEach((ev, i) => (e = applyEscalationEvent(e, ev, i + 1)));
  return e;
}
