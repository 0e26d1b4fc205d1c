import type { AppendRequest } from '../../journal/envelope';
import type { ImageView, Reactor } from '../../reaction';
import { missingAcknowledgements, type NoticeRecord } from './notice';
import { DECONFLICTION, type DeconflictionState, type PendingStrike } from './projection';

/** The actor of what deconfliction does by itself (not a valid username, so it never collides with one). */
export const DECONFLICTION_ACTOR = 'reactor:deconfliction';

/**
 * What deconfliction does by itself:
 * - a notified site or movement struck: `site.struck` at once, for each hit the fold found. Its
 *   idempotency key names the report and the notice, so two nodes (or a retry) append it once;
 * - an acknowledgement deadline passed with parties silent: `notice.escalated`;
 * - the end of a notice's validity: `notice.expired`.
 * The last two state the notice stream's version they decided on: when two nodes fire together, one
 * append wins and the other is refused as a conflict, so each fires exactly once.
 */
export const deconflictionReactor: Reactor = {
  name: DECONFLICTION,
  react(events, image) {
    const state = stateOf(image);
    if (state.pending.size === 0) return [];
    const positions = new Set(events.filter((e) => e.type === 'report.filed').map((e) => e.position));
    if (positions.size === 0) return [];
    return [...state.pending.values()].filter((p) => positions.has(p.payload.reportPosition)).map(strikeRequest);
  },
  due(image, now) {
    const state = stateOf(image);
    const proposals: AppendRequest[] = [];
    const t = now.getTime();
    // due() runs after every batch of appends: skip the scan of open notices until the next deadline.
    const known = nextDeadline.get(state);
    if (!known || known.version !== state.dueVersion || t >= known.at) {
      let next = Infinity;
      for (const id of state.open) {
        const n = state.notices.get(id)!;
        const p = deadlineProposal(n, t);
        if (p) proposals.push(p);
        else next = Math.min(next, upcoming(n));
      }
      // With proposals in flight the state changes (and the version with it); until then, scan again.
      nextDeadline.set(state, { version: state.dueVersion, at: proposals.length > 0 ? t : next });
    }
    // A strike the fold found but nobody appended yet (a crash between report and reaction).
    for (const p of state.pending.values()) proposals.push(strikeRequest(p));
    return proposals;
  },
};

/** Memo of the earliest future deadline per state, valid while the state's dueVersion is unchanged. */
const nextDeadline = new WeakMap<DeconflictionState, { version: number; at: number }>();

/** The next instant this notice needs the reactor: its escalation (if still possible) or its expiry. */
function upcoming(n: NoticeRecord): number {
  const until = Date.parse(n.until);
  if (n.escalation || missingAcknowledgements(n).length === 0) return until;
  return Math.min(until, Date.parse(n.acknowledgement.deadline));
}

function stateOf(image: ImageView): DeconflictionState {
  return image.state<DeconflictionState>(DECONFLICTION);
}

function deadlineProposal(n: NoticeRecord, t: number): AppendRequest | null {
  if (n.expiredAt || n.withdrawal) return null;
  const expected = { [n.stream]: n.version };
  if (Date.parse(n.until) <= t) {
    return {
      drafts: [{ stream: n.stream, type: 'notice.expired', payload: { noticeId: n.id, at: n.until }, visibility: ['process'] }],
      expected,
      actor: DECONFLICTION_ACTOR,
      party: null,
    };
  }
  const missing = missingAcknowledgements(n);
  if (!n.escalation && missing.length > 0 && Date.parse(n.acknowledgement.deadline) <= t) {
    return {
      drafts: [
        {
          stream: n.stream,
          type: 'notice.escalated',
          payload: { noticeId: n.id, missing, deadline: n.acknowledgement.deadline, name: n.name, organisation: n.organisation },
          visibility: ['process'],
        },
      ],
      expected,
      actor: DECONFLICTION_ACTOR,
      party: null,
    };
  }
  return null;
}

function strikeRequest(p: PendingStrike): AppendRequest {
  return {
    drafts: [{ stream: `notice/${p.payload.noticeId}`, type: 'site.struck', payload: { ...p.payload }, visibility: p.visibility }],
    actor: DECONFLICTION_ACTOR,
    party: null,
    idempotencyKey: p.key,
  };
}
