import { describe, expect, it } from 'vitest';
import type { AppendRequest, JournalEvent } from '../journal/envelope';
import type { ImageView } from '../reaction';
import { resolveGuarantees } from './commitments';
import {
  dueEscalations,
  escalationClock,
  escalationsProjection,
  escalationVisibility,
  openClocks,
  openEscalationRequest,
  ESCALATIONS_PROJECTION,
  type EscalationsState,
} from './clock';
import {
  decideEscalation,
  expireEscalation,
  foldEscalation,
  nextDeadline,
  openEscalation,
  RUNG_STATES,
  RUNG_TRANSITIONS,
  type Escalation,
  type EscalationCommand,
  type EscalationEvent,
} from './ladder';
import { clause, commitment, framework } from './testing';
import { TriggerEngine, type EscalationOpening, type VerifiedCase } from './trigger';

const T0 = Date.parse('2026-02-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000);
const iso = (hours: number) => at(hours).toISOString();

/** An opening from the real engine: a naval attack at hour 0, verified at hour 2. */
function opening(ladder?: Parameters<typeof commitment>[0]['ladder']): EscalationOpening {
  const r = resolveGuarantees(
    framework([clause('c-sea', commitment({ id: 'sea', zones: ['corridor', 'corridor-buffer'], ...(ladder ? { ladder } : {}) }))]),
  );
  if (!r.ok) throw new Error(r.message);
  const c: VerifiedCase = {
    id: 'case-1',
    occurredAt: iso(0),
    verifiedAt: iso(2),
    type: 'naval',
    domain: 'sea',
    zones: ['corridor'],
    severity: 4,
    attribution: { party: 'ru', confidence: 'high' },
    independentSources: 2,
    verifier: 'mech',
  };
  const [o] = new TriggerEngine(r.value).evaluate(c);
  if (o?.kind !== 'opened') throw new Error('expected an opening');
  return o.opening;
}

function opened(o = opening()): Escalation {
  return foldEscalation(openEscalation(o))!;
}

// Each escalation value remembers the events that made it, so tests can fold on.
const history = new WeakMap<Escalation, EscalationEvent[]>();
function track(events: EscalationEvent[]): Escalation {
  const e = foldEscalation(events)!;
  history.set(e, events);
  return e;
}
function step(e: Escalation, events: readonly EscalationEvent[]): Escalation {
  return track([...history.get(e)!, ...events]);
}
function act(e: Escalation, command: EscalationCommand, hours: number): Escalation {
  const r = decideEscalation(e, command, at(hours));
  if (!r.ok) throw new Error(r.message);
  return step(e, r.value);
}

describe('the transition table', () => {
  it('every state short of responded or missed can miss its deadline; responded and missed are final', () => {
    for (const s of RUNG_STATES) {
      const final = s === 'responded' || s === 'missed';
      expect(Object.keys(RUNG_TRANSITIONS[s]).length === 0).toBe(final);
      if (!final) expect(RUNG_TRANSITIONS[s].deadline).toBe('missed');
    }
    expect(RUNG_TRANSITIONS.opened).toEqual({ acknowledge: 'acknowledged', deadline: 'missed' });
    expect(RUNG_TRANSITIONS.acknowledged).toEqual({ decide: 'decided', deadline: 'missed' });
    expect(RUNG_TRANSITIONS.decided).toEqual({ respond: 'responded', deadline: 'missed' });
  });
});

describe('an escalation on its ladder', () => {
  it('opens on the first rung with its deadline; acknowledged, decided and responded ends it', () => {
    let e = track(openEscalation(opening()));
    expect(e).toMatchObject({ id: 'sea:case-1', status: 'open', version: 1, evidence: ['case-1'] });
    expect(e.rungs).toMatchObject([{ id: 'verify', state: 'opened', openedAt: iso(2), deadline: iso(26), openedBecause: 'triggered' }]);
    expect(nextDeadline(e)).toBe(iso(26));
    e = act(e, { type: 'acknowledge', by: 'mech', note: '' }, 3);
    e = act(e, { type: 'decide', by: 'mech', decision: 'act', note: 'a team is on its way' }, 4);
    e = act(e, { type: 'respond', by: 'mech', note: 'verified and attributed', handOn: false }, 5);
    expect(e).toMatchObject({ status: 'responded', endedAt: iso(5), version: 4 });
    expect(e.rungs[0]).toMatchObject({
      state: 'responded',
      acknowledged: { by: 'mech', at: iso(3) },
      decided: { decision: 'act' },
      responded: { note: 'verified and attributed' },
    });
    expect(nextDeadline(e)).toBeNull();
    const again = decideEscalation(e, { type: 'acknowledge', by: 'mech', note: '' }, at(6));
    expect(again).toMatchObject({
      ok: false,
      code: 'invalid_transition',
      message: 'escalation sea:case-1 is responded: nothing more can be recorded on it',
    });
  });

  it('refuses steps out of order, naming what may come next', () => {
    const e = track(openEscalation(opening()));
    const r = decideEscalation(e, { type: 'decide', by: 'mech', decision: 'act', note: '' }, at(3));
    expect(r).toMatchObject({
      ok: false,
      code: 'invalid_transition',
      message: 'rung verify is opened: it can be acknowledged next, not decided',
      pointer: '/type',
    });
  });

  it('refuses a party that does not own the rung', () => {
    const e = track(openEscalation(opening()));
    const r = decideEscalation(e, { type: 'acknowledge', by: 'tr', note: '' }, at(3));
    expect(r).toMatchObject({
      ok: false,
      code: 'refused',
      message: 'rung verify (verify) is owned by mech; tr cannot acknowledge it',
      pointer: '/by',
    });
  });

  it('a missed deadline opens the next rung at that deadline, by itself; the clock catches up several at once', () => {
    const e = track(openEscalation(opening()));
    expect(expireEscalation(e, at(25))).toEqual([]);
    const events = expireEscalation(e, at(26));
    expect(events).toEqual([
      { type: 'escalation.rung-missed', payload: { id: 'sea:case-1', rung: 0, at: iso(26) } },
      {
        type: 'escalation.rung-opened',
        payload: { id: 'sea:case-1', rung: 1, at: iso(26), deadline: iso(26 + 48), because: 'deadline-missed' },
      },
    ]);
    // A node that was down for a week catches up to the same instants: consult missed at 74 h, respond at 146 h.
    const later = step(e, expireEscalation(e, at(24 * 7)));
    expect(later.rungs.map((r) => [r.id, r.state, r.openedAt])).toEqual([
      ['verify', 'missed', iso(2)],
      ['consult', 'missed', iso(26)],
      ['respond', 'missed', iso(74)],
      ['collective', 'opened', iso(146)],
    ]);
    expect(later.rungs[3]!.ownerParties).toEqual(['gb', 'tr']);
    // The terminal rung has no deadline: it stays open, and no clock runs.
    expect(later.status).toBe('open');
    expect(nextDeadline(later)).toBeNull();
    expect(expireEscalation(later, at(24 * 365))).toEqual([]);
  });

  it('the last rung missed is a dead end, recorded', () => {
    const o = opening({ rungs: [{ id: 'respond', action: 'respond', owner: 'lead-responder', deadline: 'PT72H' }] });
    const e = track(openEscalation(o));
    const events = expireEscalation(e, at(100));
    expect(events.map((x) => x.type)).toEqual(['escalation.rung-missed', 'escalation.dead-ended']);
    const dead = step(e, events);
    expect(dead).toMatchObject({ status: 'dead-end', endedAt: iso(74) });
    expect(nextDeadline(dead)).toBeNull();
  });

  it('a command after the deadline is refused: the rung is missed even before the clock records it', () => {
    const e = track(openEscalation(opening()));
    const r = decideEscalation(e, { type: 'acknowledge', by: 'mech', note: '' }, at(26));
    expect(r).toMatchObject({ ok: false, code: 'invalid_transition' });
    if (!r.ok)
      expect(r.message).toBe(`the deadline of rung verify passed at ${iso(26)}: the rung is missed, and the escalation moves on by itself`);
  });

  it('handing on completes a step early and opens the next rung now', () => {
    let e = track(openEscalation(opening()));
    e = act(e, { type: 'acknowledge', by: 'mech', note: '' }, 3);
    e = act(e, { type: 'decide', by: 'mech', decision: 'act', note: '' }, 4);
    e = act(e, { type: 'respond', by: 'mech', note: 'verified', handOn: true }, 6);
    expect(e.status).toBe('open');
    expect(e.rungs.map((r) => [r.id, r.state, r.openedAt, r.deadline])).toEqual([
      ['verify', 'responded', iso(2), iso(26)],
      ['consult', 'opened', iso(6), iso(54)],
    ]);
    // The consult rung is the lead responder's: Türkiye acknowledges.
    e = act(e, { type: 'acknowledge', by: 'tr', note: 'consultations called' }, 7);
    expect(e.rungs[1]!.state).toBe('acknowledged');
  });

  it('close and add-evidence', () => {
    let e = track(openEscalation(opening()));
    e = act(e, { type: 'add-evidence', caseIds: ['case-2', 'case-1'] }, 3);
    expect(e.evidence).toEqual(['case-1', 'case-2']);
    expect(decideEscalation(e, { type: 'add-evidence', caseIds: ['case-2'] }, at(4))).toMatchObject({ ok: false, code: 'conflict' });
    e = act(e, { type: 'close', by: 'mediator:anna', reason: 'the finding was withdrawn after review' }, 5);
    expect(e).toMatchObject({ status: 'closed', closed: { by: 'mediator:anna' } });
    expect(nextDeadline(e)).toBeNull();
  });

  it('an opening without a ladder is a dead end at once', () => {
    const o = { ...opening(), ladder: [] };
    expect(openEscalation(o).map((x) => x.type)).toEqual(['escalation.opened', 'escalation.dead-ended']);
    expect(foldEscalation(openEscalation(o))).toMatchObject({ status: 'dead-end', rungs: [] });
  });
});

// ---------------------------------------------------------------------------------------------------
// The clock as the runtime will run it: a journal that checks expected versions, two nodes, a restart.

class MiniJournal {
  readonly events: JournalEvent[] = [];
  private readonly versions = new Map<string, number>();
  append(req: AppendRequest): { ok: true } | { ok: false; code: 'conflict' } {
    for (const [stream, expected] of Object.entries(req.expected ?? {})) {
      const v = this.versions.get(stream) ?? 0;
      if ((expected === 'new' && v !== 0) || (typeof expected === 'number' && expected !== v)) return { ok: false, code: 'conflict' };
    }
    for (const d of req.drafts) {
      const v = (this.versions.get(d.stream) ?? 0) + 1;
      this.versions.set(d.stream, v);
      this.events.push({
        position: this.events.length + 1,
        stream: d.stream,
        streamVersion: v,
        type: d.type,
        payload: JSON.parse(JSON.stringify(d.payload)) as Record<string, unknown>,
        actor: req.actor,
        party: req.party,
        visibility: [...d.visibility],
        recordedAt: iso(0),
        idempotencyKey: null,
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      });
    }
    return { ok: true };
  }
  /** A node's image, folded from the journal (as at a restart). */
  image(): { view: ImageView; state: EscalationsState } {
    const state = escalationsProjection.init();
    for (const e of this.events) escalationsProjection.apply(state, e);
    const view: ImageView = { state: <S>(name: string) => (name === ESCALATIONS_PROJECTION ? state : undefined) as S };
    return { view, state };
  }
}

describe('the escalation clock (reactor)', () => {
  it('fires each deadline exactly once across two nodes and a restart', () => {
    const journal = new MiniJournal();
    const o = opening();
    expect(journal.append(openEscalationRequest(o))).toEqual({ ok: true });
    // A second node triggered on the same case: its opening is refused.
    expect(journal.append(openEscalationRequest(o))).toEqual({ ok: false, code: 'conflict' });

    // Before the deadline, nothing is due.
    expect(escalationClock.due!(journal.image().view, at(25))).toEqual([]);
    // At the deadline both nodes propose the same events at the same expected version: one wins.
    const nodeA = escalationClock.due!(journal.image().view, at(26));
    const nodeB = escalationClock.due!(journal.image().view, at(26));
    expect(nodeA).toHaveLength(1);
    expect(nodeA[0]!.expected).toEqual({ 'escalation/sea:case-1': 1 });
    expect(journal.append(nodeA[0]!)).toEqual({ ok: true });
    expect(journal.append(nodeB[0]!)).toEqual({ ok: false, code: 'conflict' });
    // After a restart (a fresh fold of the journal) the fired deadline is not due again; the next one is.
    const restarted = journal.image();
    expect(dueEscalations(restarted.state, at(30))).toEqual([]);
    expect(openClocks(restarted.state).map((c) => [c.escalation.id, c.deadline])).toEqual([['sea:case-1', iso(74)]]);
    expect(journal.events.filter((e) => e.type === 'escalation.rung-missed')).toHaveLength(1);
    expect(restarted.state.escalations.get('sea:case-1')).toMatchObject({
      version: 3,
      rungs: [
        { id: 'verify', state: 'missed' },
        { id: 'consult', state: 'opened' },
      ],
    });
  });

  it('the escalation is read by the mediator, the guarantors, the responders and the verifier — not by the party it is against', () => {
    const o = opening();
    expect(escalationVisibility(o)).toEqual(['mediator', 'party:gb', 'party:mech', 'party:tr']);
    const snapshot = escalationsProjection.toSnapshot({ escalations: new Map([[o.id, opened(o)]]), open: new Set([o.id]) });
    expect(escalationsProjection.fromSnapshot(JSON.parse(JSON.stringify(snapshot)))).toMatchObject({ open: new Set([o.id]) });
  });
});
