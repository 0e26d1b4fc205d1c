import type { AppendRequest, JournalEvent } from '../../journal/envelope';
import type { FrameworkState } from '../../framework/versions';
import type { OperationsState } from '../../operations/state';
import type { ImageView, Reactor } from '../../reaction';
import { ESCALATIONS_PROJECTION, escalationRequest, GUARANTEES_ACTOR, openEscalationRequest, type EscalationsState } from '../clock';
import { decideEscalation } from '../ladder';
import { TriggerEngine, type EscalationOpening, type VerifiedCase } from '../trigger';
import { guaranteesInForceAt, latestFinding, verifiedCaseOf } from './verified-case';

/**
 * The trigger engine, live. A case is judged when it becomes verified (`case.status-changed` to
 * verified) and again when a finding is recorded on an already verified case. Its commitments are those
 * IN FORCE at the case's occurredAt (an incident is judged by the rules of its own day), and each
 * escalation it opens is appended with expected stream version 'new': its id is the commitment and
 * the case that completed the trigger, so two nodes reacting to the same event append it once.
 *
 * The engine itself is rebuilt for each judgement from the memory image, so that every node reaches
 * the same verdict from the same state: the escalations still open are marked open (a further case
 * corroborates them: `escalation.evidence-added`, at the escalation's version), and for count-within-a-
 * window triggers the earlier verified cases against the same party that are not yet evidence of any
 * escalation are replayed in the order they were verified. Only openings the judged case takes part in
 * are proposed.
 */

export const TRIGGER_REACTOR = 'guarantees.trigger';

export interface Judgement {
  readonly opened: readonly EscalationOpening[];
  /** Escalation ids this case is further evidence of. */
  readonly corroborates: readonly string[];
  /** Why nothing was judged (not attributed, no framework in force…), for the logs and tests. */
  readonly skipped: string | null;
}

/** Judges one verified case against the commitments in force at its occurredAt. Pure. */
export function judgeCase(
  ops: OperationsState,
  framework: FrameworkState,
  escalations: EscalationsState,
  caseId: string,
  verifiedAt: string,
): Judgement {
  const derived = verifiedCaseOf(ops, framework, caseId, verifiedAt);
  if (!derived.ok) return { opened: [], corroborates: [], skipped: derived.reason };
  const kase = derived.kase;
  const inForce = guaranteesInForceAt(framework, kase.occurredAt);
  if (!inForce) return { opened: [], corroborates: [], skipped: `no framework was in force at ${kase.occurredAt}` };
  const engine = new TriggerEngine(inForce.text, { ceasefire: inForce.ceasefire });
  const used = new Set<string>();
  for (const e of escalations.escalations.values()) {
    for (const c of e.evidence) used.add(c);
    if (e.status === 'open') engine.escalationOpen(e.opening.commitment, e.opening.against, e.id);
  }
  if (used.has(kase.id)) return { opened: [], corroborates: [], skipped: `case ${kase.id} is already evidence of an escalation` };
  const against = kase.attribution!.party;
  // Earlier breaches by the same party that may complete a count-within-a-window trigger with this one.
  const earlier: VerifiedCase[] = [];
  // Only count-within-a-window triggers need the history; most commitments trigger on one breach.
  const needsHistory = inForce.text.commitments.some((c) => c.trigger.count > 1);
  for (const other of needsHistory ? ops.cases.values() : []) {
    if (other.id === kase.id || other.status !== 'verified' || used.has(other.id)) continue;
    const f = latestFinding(other);
    if (!f || f.attribution.party !== against) continue;
    const d = verifiedCaseOf(ops, framework, other.id, other.statusChangedAt);
    if (d.ok) earlier.push(d.kase);
  }
  earlier.sort((a, b) => Date.parse(a.verifiedAt) - Date.parse(b.verifiedAt));
  engine.evaluateAll(earlier);
  const opened: EscalationOpening[] = [];
  const corroborates = new Set<string>();
  for (const o of engine.evaluate(kase)) {
    if (o.kind === 'opened') {
      if (o.opening.evidence.some((x) => x.id === kase.id)) opened.push(o.opening);
    } else for (const id of o.escalations) corroborates.add(id);
  }
  return { opened, corroborates: [...corroborates].sort(), skipped: null };
}

/** The cases an event asks to judge, with the instant they count as verified. */
function casesToJudge(events: readonly JournalEvent[], ops: OperationsState): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of events) {
    const caseId = e.payload.caseId;
    if (typeof caseId !== 'string') continue;
    if (e.type === 'case.status-changed' && e.payload.to === 'verified') out.set(caseId, e.recordedAt);
    else if (e.type === 'case.finding-recorded' && ops.cases.get(caseId)?.status === 'verified') out.set(caseId, e.recordedAt);
  }
  return out;
}

export function triggerProposals(events: readonly JournalEvent[], image: ImageView, now: Date): AppendRequest[] {
  const ops = image.state<OperationsState | undefined>('operations');
  const framework = image.state<FrameworkState | undefined>('framework');
  const escalations = image.state<EscalationsState | undefined>(ESCALATIONS_PROJECTION);
  if (!ops || !framework || !escalations) return [];
  const proposals: AppendRequest[] = [];
  for (const [caseId, verifiedAt] of casesToJudge(events, ops)) {
    const j = judgeCase(ops, framework, escalations, caseId, verifiedAt);
    for (const opening of j.opened) proposals.push(openEscalationRequest(opening));
    for (const id of j.corroborates) {
      const e = escalations.escalations.get(id);
      if (!e) continue;
      const decided = decideEscalation(e, { type: 'add-evidence', caseIds: [caseId] }, now);
      if (decided.ok) proposals.push(escalationRequest(e, decided.value, GUARANTEES_ACTOR, null));
    }
  }
  return proposals;
}

/**
 * At start: judge again every verified case that is not yet evidence of any escalation, so that an
 * opening lost in a crash between the verification and the reaction is made now (judgeCase skips cases
 * already used; a case that triggers nothing proposes nothing).
 */
export function recoverProposals(image: ImageView, now: Date): AppendRequest[] {
  const ops = image.state<OperationsState | undefined>('operations');
  if (!ops) return [];
  const pseudo: JournalEvent[] = [];
  for (const c of ops.cases.values()) {
    if (c.status !== 'verified') continue;
    pseudo.push({ type: 'case.status-changed', payload: { caseId: c.id, to: 'verified' }, recordedAt: c.statusChangedAt } as unknown as JournalEvent);
  }
  return pseudo.length === 0 ? [] : triggerProposals(pseudo, image, now);
}

export const triggerReactor: Reactor = {
  name: TRIGGER_REACTOR,
  react: triggerProposals,
  recover: recoverProposals,
};
