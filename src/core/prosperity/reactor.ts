import type { AppendRequest, JournalEvent } from '../journal/envelope';
import type { FrameworkState } from '../framework/versions';
import type { MilestoneFacts } from '../milestones';
import type { OperationsState } from '../operations/state';
import type { ImageView, Reactor } from '../reaction';
import { ConditionBoard } from './board';
import { breachOf, CeasefireRecord, ceasefireRecordOf, type Breach } from './ceasefire';
import { evaluateTranche, explainEvaluation, trancheTiming, type ConditionFacts, type TrancheEvaluation } from './conditions';
import { evaluationRecord } from './commands';
import { PROSPERITY_VISIBILITY, trancheStatusStream } from './model';
import { PROSPERITY_PROJECTION, type ProsperityState, type Tranche } from './state';

/**
 * Re-evaluation, live. When something a condition reads changes (a case verified or re-judged, the
 * text's force, a tranche planned, an attestation, a meeting or an exchange), and when a locked
 * tranche's ceasefire count reaches its day, the node evaluates the tranches not yet released and
 * journals each flip as `tranche.conditions-changed`: when it became releasable or locked again,
 * and the evidence. Each append states the tranche-status stream's version, so across nodes a flip
 * is recorded once. The live stream carries it to every open page.
 */

export const PROSPERITY_ACTOR = 'system:prosperity';
export const PROSPERITY_REACTOR = 'prosperity.conditions';

/** Milestone facts of the node (meetings, exchanges), given by the runtime. */
export type MilestoneSource = (image: ImageView) => MilestoneFacts;

const TOUCHES =
  /^(case\.|framework\.force-changed|framework\.version-recorded|tranche\.planned|milestone\.attested|meeting\.|exchange\.|process\.attested)/;

export function conditionFacts(image: ImageView, milestones: MilestoneSource): ConditionFacts | null {
  const ops = image.state<OperationsState | undefined>('operations');
  const framework = image.state<FrameworkState | undefined>('framework');
  const prosperity = image.state<ProsperityState | undefined>(PROSPERITY_PROJECTION);
  if (!ops || !framework || !prosperity) return null;
  return { framework, ceasefire: ceasefireRecordOf(ops, framework), milestones: milestones(image), attestations: prosperity.attestations };
}

function flipRequest(t: Tranche, e: TrancheEvaluation): AppendRequest {
  const stream = trancheStatusStream(t.id);
  const since = e.releasable
    ? e.since
    : (e.conditions
        .filter((c) => !c.holds)
        .map((c) => c.since)
        .find((s) => s !== null) ?? null);
  return {
    drafts: [
      {
        stream,
        type: 'tranche.conditions-changed',
        payload: {
          tranche: t.id,
          pledge: t.pledge,
          releasable: e.releasable,
          since,
          unlocksAt: e.unlocksAt,
          reason: explainEvaluation(e),
          evidence: evaluationRecord(e).conditions,
        },
        visibility: PROSPERITY_VISIBILITY,
      },
    ],
    expected: { [stream]: t.history.length === 0 ? 'new' : t.history.length },
    actor: PROSPERITY_ACTOR,
    party: null,
  };
}

/** Proposals for every unreleased tranche whose evaluation at `now` differs from what was last journaled. */
export function flips(image: ImageView, milestones: MilestoneSource, now: Date, only?: (t: Tranche) => boolean): AppendRequest[] {
  const prosperity = image.state<ProsperityState | undefined>(PROSPERITY_PROJECTION);
  if (!prosperity || prosperity.tranches.size === 0) return [];
  const candidates = [...prosperity.tranches.values()].filter((t) => !t.release && (!only || only(t)));
  if (candidates.length === 0) return [];
  const facts = conditionFacts(image, milestones);
  if (!facts) return [];
  const out: AppendRequest[] = [];
  for (const t of candidates) {
    // Timings first (cheap); the evaluation with its evidence only for a tranche that flips.
    if (t.recorded && t.recorded.releasable === trancheTiming(t.conditions, facts, now.getTime()).holds) continue;
    out.push(flipRequest(t, evaluateTranche(t.conditions, facts, now.getTime())));
  }
  return out;
}

/**
 * The node's condition board, kept beside the memory image between batches. A batch whose only
 * relevant events are cases newly verified adds their breaches to it and re-evaluates only the
 * tranches they can touch (what bench/prosperity.ts measures). Anything else — a tranche planned,
 * the text's force, an attestation, a case already counted as a breach that changed, a merge or a
 * split — re-evaluates every tranche and rebuilds the board.
 */
interface LiveBoard {
  readonly board: ConditionBoard;
  /** breaches the board counts, by case */
  readonly known: Map<string, Breach>;
  readonly tranches: number;
  readonly force: number;
  readonly versions: number;
}
const boards = new WeakMap<ProsperityState, LiveBoard>();

function buildBoard(prosperity: ProsperityState, facts: ConditionFacts, now: number): LiveBoard {
  // The board's own copy of the record: breaches are added to it one by one after this.
  const board = new ConditionBoard({ ...facts, ceasefire: new CeasefireRecord(facts.ceasefire.breaches()) });
  for (const t of prosperity.tranches.values()) if (!t.release) board.put(t.id, t.conditions, now);
  const framework = facts.framework;
  return {
    board,
    known: new Map(facts.ceasefire.breaches().map((b) => [b.caseId, b])),
    tranches: prosperity.tranches.size,
    force: framework.force.length,
    versions: framework.versions.length,
  };
}

/** Flips from the board for a batch of case events only, or null when the whole board must be re-evaluated. */
function incrementalFlips(
  events: readonly JournalEvent[],
  image: ImageView,
  milestones: MilestoneSource,
  now: Date,
): AppendRequest[] | null {
  const prosperity = image.state<ProsperityState | undefined>(PROSPERITY_PROJECTION);
  const ops = image.state<OperationsState | undefined>('operations');
  const framework = image.state<FrameworkState | undefined>('framework');
  if (!prosperity || !ops || !framework) return null;
  const live = boards.get(prosperity);
  if (
    !live ||
    live.tranches !== prosperity.tranches.size ||
    live.force !== framework.force.length ||
    live.versions !== framework.versions.length
  )
    return null;
  const relevant = events.filter((e) => TOUCHES.test(e.type));
  if (relevant.some((e) => !e.type.startsWith('case.') || e.type === 'case.merged' || e.type === 'case.split')) return null;
  const added: Breach[] = [];
  for (const caseId of new Set(relevant.map((e) => e.payload.caseId).filter((c): c is string => typeof c === 'string'))) {
    const current = breachOf(ops, framework, caseId);
    if (live.known.has(caseId)) {
      const before = live.known.get(caseId)!;
      // A counted breach that moved, changed severity or stopped counting: only a full pass is right.
      if (!current || JSON.stringify(current) !== JSON.stringify(before)) return null;
      continue;
    }
    if (current) added.push(current);
  }
  const t = now.getTime();
  const touched = new Set<string>();
  for (const b of added) {
    live.known.set(b.caseId, b);
    for (const id of live.board.addBreach(b, t).touched) touched.add(id);
  }
  if (touched.size === 0) return [];
  const facts = conditionFacts(image, milestones);
  if (!facts) return null;
  const out: AppendRequest[] = [];
  for (const id of touched) {
    const tranche = prosperity.tranches.get(id);
    const timing = live.board.timing(id);
    if (!tranche || tranche.release || !timing) continue;
    if (tranche.recorded && tranche.recorded.releasable === timing.holds) continue;
    out.push(flipRequest(tranche, evaluateTranche(tranche.conditions, facts, t)));
  }
  return out;
}

/** A locked tranche whose journaled unlock instant has come (its ceasefire count reached the day). */
function unlockDue(now: Date) {
  return (t: Tranche) =>
    t.recorded !== null && !t.recorded.releasable && t.recorded.unlocksAt !== null && Date.parse(t.recorded.unlocksAt) <= now.getTime();
}

export function prosperityReactor(milestones: MilestoneSource): Reactor {
  return {
    name: PROSPERITY_REACTOR,
    react(events: readonly JournalEvent[], image, now) {
      if (!events.some((e) => TOUCHES.test(e.type))) return [];
      const quick = incrementalFlips(events, image, milestones, now);
      if (quick) return quick;
      const prosperity = image.state<ProsperityState | undefined>(PROSPERITY_PROJECTION);
      const out = flips(image, milestones, now);
      const facts = prosperity && prosperity.tranches.size > 0 ? conditionFacts(image, milestones) : null;
      if (prosperity && facts) boards.set(prosperity, buildBoard(prosperity, facts, now.getTime()));
      return out;
    },
    due(image, now) {
      return flips(image, milestones, now, unlockDue(now));
    },
    recover(image, now) {
      return flips(image, milestones, now);
    },
  };
}
