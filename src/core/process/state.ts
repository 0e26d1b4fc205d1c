import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import type { Format, MeetingStatus, Mode, Requirement, Track, WorkingHours } from './model';

/** The process sequence as a read model: meetings by code, minutes, attestations. */
export interface Participant {
  readonly name: string;
  readonly person: string | null;
  readonly party: string | null;
  readonly zone: string;
  readonly mode: Mode;
  readonly role: 'chair' | 'delegate' | 'adviser' | 'observer';
  readonly email: string | null;
  readonly response: 'needs-action' | 'accepted' | 'tentative' | 'declined';
  readonly hours?: WorkingHours;
}

/** The part of a meeting a planner sets (what `meeting.planned` and `meeting.revised` carry). */
export interface MeetingPlan {
  readonly id: string;
  readonly title: string;
  readonly track: Track;
  readonly venue: { readonly name: string; readonly zone: string };
  /** UTC instants */
  readonly start: string;
  readonly end: string;
  /** the local times at the venue, as planned */
  readonly localStart: string;
  readonly localEnd: string;
  readonly format: Format;
  readonly videoLink: string | null;
  readonly participants: readonly Participant[];
  readonly agenda: readonly { readonly title: string; readonly clauses: readonly string[] }[];
  readonly hardDate: boolean;
}

export interface PrerequisiteRecord {
  readonly id: string;
  readonly requirement: Requirement;
  readonly note: string;
  readonly addedBy: string;
  readonly addedAt: string;
}

export interface Meeting extends MeetingPlan {
  /** set by `meeting.video-link`, which fewer people may read than the plan */
  videoLink: string | null;
  /** start and end in ms since the epoch, parsed once when folded (the graph is rebuilt often) */
  startMs: number;
  endMs: number;
  status: MeetingStatus;
  /** raised on every change a calendar must learn of (revision, status) */
  sequence: number;
  heldAt: string | null;
  prerequisites: PrerequisiteRecord[];
  attendance: { participant: string; present: boolean; mode: Mode | null }[];
  outcomes: { decision: string; clauses: string[]; versionHash: string | null; recordedBy: string; recordedAt: string }[];
  /** `overridden`: the prerequisites still unmet when the mediator recorded it held anyway */
  history: { status: MeetingStatus; at: string; actor: string; reason: string; overridden: string[] }[];
  readonly plannedBy: string;
  readonly plannedAt: string;
  updatedAt: string;
}

export interface MinutesRecord {
  readonly position: number;
  readonly meeting: string;
  readonly text: string;
  readonly visibility: readonly string[];
  readonly actor: string;
  readonly recordedAt: string;
}

export interface Attestation {
  readonly party: string;
  readonly what: string;
  readonly actor: string;
  readonly at: string;
}

export interface ProcessState {
  meetings: Map<string, Meeting>;
  minutes: MinutesRecord[];
  attestations: Attestation[];
}

function applyEvent(state: ProcessState, e: JournalEvent): void {
  const p = e.payload;
  if (e.type === 'meeting.planned') {
    const plan = p as unknown as MeetingPlan;
    state.meetings.set(plan.id, {
      ...plan,
      // the link arrives in its own event (`meeting.video-link`), readable by fewer people
      videoLink: null,
      startMs: Date.parse(plan.start),
      endMs: Date.parse(plan.end),
      status: 'planned',
      sequence: 0,
      heldAt: null,
      prerequisites: [],
      attendance: [],
      outcomes: [],
      history: [{ status: 'planned', at: e.recordedAt, actor: e.actor, reason: '', overridden: [] }],
      plannedBy: e.actor,
      plannedAt: e.recordedAt,
      updatedAt: e.recordedAt,
    });
    return;
  }
  if (e.type === 'process.attested') {
    state.attestations.push({ party: String(p.party), what: String(p.what), actor: e.actor, at: e.recordedAt });
    return;
  }
  if (!e.type.startsWith('meeting.')) return;
  const m = state.meetings.get(String(p.id ?? p.meeting));
  if (!m) return;
  m.updatedAt = e.recordedAt;
  switch (e.type) {
    case 'meeting.revised': {
      const { videoLink: _link, ...plan } = p as unknown as MeetingPlan;
      Object.assign(m, { ...plan, id: m.id });
      m.startMs = Date.parse(m.start);
      m.endMs = Date.parse(m.end);
      m.sequence++;
      break;
    }
    case 'meeting.video-link':
      m.videoLink = typeof p.videoLink === 'string' ? p.videoLink : null;
      break;
    case 'meeting.status-changed': {
      const status = p.status as MeetingStatus;
      const at = typeof p.at === 'string' ? p.at : e.recordedAt;
      m.status = status;
      m.sequence++;
      if (status === 'held') m.heldAt = at;
      if (status === 'postponed' || status === 'cancelled' || status === 'planned') m.heldAt = null;
      const overridden = Array.isArray(p.overridden) ? p.overridden.map(String) : [];
      m.history.push({ status, at, actor: e.actor, reason: typeof p.reason === 'string' ? p.reason : '', overridden });
      break;
    }
    case 'meeting.prerequisite-added':
      m.prerequisites.push({
        id: String(p.prerequisite),
        requirement: p.requirement as Requirement,
        note: String(p.note ?? ''),
        addedBy: e.actor,
        addedAt: e.recordedAt,
      });
      break;
    case 'meeting.minutes-recorded':
      state.minutes.push({
        position: e.position,
        meeting: m.id,
        text: String(p.text),
        visibility: e.visibility,
        actor: e.actor,
        recordedAt: e.recordedAt,
      });
      break;
    case 'meeting.attendance-recorded':
      m.attendance = (p.attendance as Meeting['attendance']).map((a) => ({
        participant: a.participant,
        present: a.present,
        mode: a.mode ?? null,
      }));
      break;
    case 'meeting.outcome-recorded':
      m.outcomes.push({
        decision: String(p.decision),
        clauses: (p.clauses as string[]) ?? [],
        versionHash: typeof p.versionHash === 'string' ? p.versionHash : null,
        recordedBy: e.actor,
        recordedAt: e.recordedAt,
      });
      break;
  }
}

export const processProjection: Projection<ProcessState> = {
  name: 'process',
  version: 1,
  init: () => ({ meetings: new Map(), minutes: [], attestations: [] }),
  apply: applyEvent,
  toSnapshot: (s) => ({ meetings: [...s.meetings.values()], minutes: s.minutes, attestations: s.attestations }),
  fromSnapshot(data) {
    const d = data as { meetings: Meeting[]; minutes: MinutesRecord[]; attestations: Attestation[] };
    return { meetings: new Map(d.meetings.map((m) => [m.id, m])), minutes: d.minutes, attestations: d.attestations };
  },
};

/** When the meeting with this code was held, for other modules' milestones (null: not held). */
export function meetingHeldAt(state: ProcessState, code: string): string | null {
  const m = state.meetings.get(code);
  return m && (m.status === 'held' || m.status === 'closed') ? m.heldAt : null;
}
