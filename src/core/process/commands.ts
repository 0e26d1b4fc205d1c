import { canRead } from '../access/policy';
import type { Principal } from '../access/roles';
import { fail, ok, type Result } from '../errors';
import type { Framework } from '../framework/model';
import type { EventDraft } from '../journal/envelope';
import {
  meetingStream,
  TRANSITIONS,
  type AttendanceInput,
  type MeetingInput,
  type MeetingRevision,
  type MinutesInput,
  type OutcomeInput,
  type PrerequisiteInput,
  type StatusInput,
} from './model';
import { analyseSequence, buildSequence, type Check } from './prerequisites';
import type { Meeting, MeetingPlan, ProcessState } from './state';
import { isZone, zonedInstant } from './time';

/** Commands of the process module: each decides event drafts from the state, or a failure. */

const PROCESS = ['process'];

function clauseIds(doc: Framework | null): Set<string> | null {
  if (!doc) return null;
  const ids = new Set<string>();
  for (const ch of doc.chapters) for (const a of ch.articles) for (const c of a.clauses) ids.add(c.id);
  return ids;
}

/** Turns the planner's local times into instants and checks the meeting hangs together. */
export function planOf(id: string, input: MeetingRevision, doc: Framework | null): Result<MeetingPlan> {
  if (!isZone(input.venue.zone))
    return fail('validation_failed', `unknown time zone "${input.venue.zone}": use an IANA name such as Europe/Kyiv`, '/venue/zone');
  for (const [i, p] of input.participants.entries()) {
    if (!isZone(p.zone))
      return fail(
        'validation_failed',
        `${p.name}: unknown time zone "${p.zone}": use an IANA name such as America/New_York`,
        `/participants/${i}/zone`,
      );
    if (p.hours && p.hours.start >= p.hours.end)
      return fail(
        'validation_failed',
        `${p.name}: working hours end (${p.hours.end}) before they start (${p.hours.start})`,
        `/participants/${i}/hours/end`,
      );
    if (input.format === 'in-person' && p.mode === 'video') {
      return fail('validation_failed', `${p.name} joins by video, but the meeting is in person: make it hybrid`, `/participants/${i}/mode`);
    }
    if (input.format === 'virtual' && p.mode === 'in-person') {
      return fail('validation_failed', `${p.name} is in person, but the meeting is virtual: make it hybrid`, `/participants/${i}/mode`);
    }
  }
  const names = new Set<string>();
  for (const [i, p] of input.participants.entries()) {
    if (names.has(p.name)) return fail('validation_failed', `${p.name} is listed twice`, `/participants/${i}/name`);
    names.add(p.name);
  }
  const onVideo = input.format !== 'in-person' && (input.format === 'virtual' || input.participants.some((p) => p.mode === 'video'));
  if (onVideo && !input.videoLink) return fail('validation_failed', 'participants join by video: give the secure video link', '/videoLink');
  const start = zonedInstant(input.start, input.venue.zone, '/start', input.startChoice);
  if (!start.ok) return start;
  const end = zonedInstant(input.end, input.venue.zone, '/end', input.endChoice);
  if (!end.ok) return end;
  if (end.value <= start.value) {
    return fail('validation_failed', `the meeting ends (${input.end}) before it starts (${input.start}) in ${input.venue.zone}`, '/end');
  }
  const known = clauseIds(doc);
  if (known) {
    for (const [i, item] of input.agenda.entries()) {
      const j = item.clauses.findIndex((c) => !known.has(c));
      if (j >= 0)
        return fail('validation_failed', `there is no clause ${item.clauses[j]} in the current framework`, `/agenda/${i}/clauses/${j}`);
    }
  }
  return ok({
    id,
    title: input.title,
    track: input.track,
    venue: input.venue,
    start: new Date(start.value).toISOString(),
    end: new Date(end.value).toISOString(),
    localStart: input.start,
    localEnd: input.end,
    format: input.format,
    videoLink: input.videoLink,
    participants: input.participants.map((p) => ({ ...p, ...(p.hours ? { hours: p.hours } : {}) })),
    agenda: input.agenda,
    hardDate: input.hardDate,
  });
}

/**
 * The plan for everyone in the process, and the secure video link apart: only the mediator and the
 * parties of those who join by video can read it (in the journal, the live stream and the API alike).
 */
function planDrafts(type: 'meeting.planned' | 'meeting.revised', plan: MeetingPlan): EventDraft[] {
  const { videoLink, ...shared } = plan;
  const onVideo = [...new Set(plan.participants.filter((p) => p.mode === 'video' && p.party).map((p) => `party:${p.party}`))];
  return [
    { stream: meetingStream(plan.id), type, payload: { ...shared }, visibility: PROCESS },
    {
      stream: meetingStream(plan.id),
      type: 'meeting.video-link',
      payload: { id: plan.id, videoLink },
      visibility: ['mediator', ...onVideo],
    },
  ];
}

export function decidePlan(state: ProcessState, input: MeetingInput, doc: Framework | null): Result<EventDraft[]> {
  if (state.meetings.has(input.code)) return fail('conflict', `a meeting with the code ${input.code} is already planned`, '/code');
  const { code, ...rest } = input;
  const plan = planOf(code, rest, doc);
  if (!plan.ok) return plan;
  return ok(planDrafts('meeting.planned', plan.value));
}

function find(state: ProcessState, id: string): Result<Meeting> {
  const m = state.meetings.get(id);
  return m ? ok(m) : fail('not_found', `there is no meeting ${id}`, '/params/id');
}

export function decideRevision(state: ProcessState, id: string, input: MeetingRevision, doc: Framework | null): Result<EventDraft[]> {
  const m = find(state, id);
  if (!m.ok) return m;
  if (m.value.status === 'closed' || m.value.status === 'cancelled')
    return fail('invalid_transition', `meeting ${id} is ${m.value.status}: it cannot change any more`, '/params/id');
  const plan = planOf(id, input, doc);
  if (!plan.ok) return plan;
  return ok(planDrafts('meeting.revised', plan.value));
}

/** What a held meeting waited for and did not get, in words (the journal keeps these with an override). */
function unmetOf(checks: readonly Check[]): string[] {
  return checks.filter((c) => !c.met).map((c) => (c.requirement.clause ? `${c.detail} (clause ${c.requirement.clause})` : c.detail));
}

/**
 * Moves a meeting along its lifecycle. `checks` are its prerequisites as they stand now: a meeting
 * is recorded as held only once they are all met, unless the mediator overrides with a reason —
 * the sequence is advice, the room decides, but the journal says who decided against it and why.
 */
export function decideStatus(
  state: ProcessState,
  id: string,
  input: StatusInput,
  now: string,
  checks: readonly Check[],
): Result<EventDraft[]> {
  const m = find(state, id);
  if (!m.ok) return m;
  const from = m.value.status;
  if (!TRANSITIONS[from].includes(input.status)) {
    const allowed = TRANSITIONS[from];
    return fail(
      'invalid_transition',
      `a ${from} meeting cannot become ${input.status}${allowed.length ? `; it can become ${allowed.join(', ')}` : ''}`,
      '/status',
    );
  }
  const at = input.at ? new Date(input.at).toISOString() : now;
  if (input.status === 'held' && at < m.value.start)
    return fail('validation_failed', `a meeting cannot be held (${at}) before it starts (${m.value.start})`, '/at');
  if (at > now && input.status === 'held')
    return fail('validation_failed', `${at} is in the future: record a meeting as held once it has been`, '/at');
  const unmet = input.status === 'held' ? unmetOf(checks) : [];
  if (unmet.length > 0 && !input.override) {
    return fail(
      'refused',
      `${id} cannot be recorded as held: ${unmet.length === 1 ? 'one prerequisite is' : `${unmet.length} prerequisites are`} still unmet — ${unmet.join('; ')}. The mediator may record it held anyway with a reason (override).`,
      '/status',
      { unmet },
    );
  }
  if (unmet.length > 0 && input.reason.trim() === '')
    return fail(
      'validation_failed',
      `say why ${id} is recorded as held with prerequisites unmet: the reason is kept in the journal`,
      '/reason',
    );
  return ok([
    {
      stream: meetingStream(id),
      type: 'meeting.status-changed',
      payload: { id, status: input.status, at, reason: input.reason.trim(), ...(unmet.length > 0 ? { overridden: unmet } : {}) },
      visibility: PROCESS,
    },
  ]);
}

/** A new requirement: refused when it would close a cycle, naming the meetings in it. */
export function decidePrerequisite(state: ProcessState, id: string, input: PrerequisiteInput, doc: Framework | null): Result<EventDraft[]> {
  const m = find(state, id);
  if (!m.ok) return m;
  const r = input.requirement;
  if (r.type === 'meeting-held' && r.meeting === id) return fail('refused', `meeting ${id} cannot wait for itself`, '/requirement/meeting');
  const seq = buildSequence(state, doc, { meeting: id, requirement: r });
  const analysed = analyseSequence(seq);
  if (!analysed.ok) return { ...analysed, pointer: '/requirement' };
  const prerequisite = `${id}/${m.value.prerequisites.length + 1}`;
  return ok([
    {
      stream: meetingStream(id),
      type: 'meeting.prerequisite-added',
      payload: { meeting: id, prerequisite, requirement: r, note: input.note },
      visibility: PROCESS,
    },
  ]);
}

export function decideMinutes(state: ProcessState, reader: Principal, id: string, input: MinutesInput): Result<EventDraft[]> {
  const m = find(state, id);
  if (!m.ok) return m;
  if (m.value.status !== 'held' && m.value.status !== 'closed')
    return fail('invalid_transition', `meeting ${id} is ${m.value.status}: minutes are kept once it has been held`, '/params/id');
  // Whoever writes minutes must be able to read them: otherwise they would vanish for their author.
  if (!canRead(reader, input.visibility))
    return fail('validation_failed', 'you could not read minutes with these labels yourself: include one you hold', '/visibility');
  return ok([
    {
      stream: meetingStream(id),
      type: 'meeting.minutes-recorded',
      payload: { meeting: id, text: input.text },
      visibility: [...new Set(input.visibility)],
    },
  ]);
}

export function decideAttendance(state: ProcessState, id: string, input: AttendanceInput): Result<EventDraft[]> {
  const m = find(state, id);
  if (!m.ok) return m;
  if (m.value.status !== 'held' && m.value.status !== 'closed')
    return fail('invalid_transition', `meeting ${id} is ${m.value.status}: attendance is recorded once it has been held`, '/params/id');
  const names = new Set(m.value.participants.map((p) => p.name));
  const i = input.attendance.findIndex((a) => !names.has(a.participant));
  if (i >= 0)
    return fail('validation_failed', `${input.attendance[i]!.participant} is not a participant of ${id}`, `/attendance/${i}/participant`);
  return ok([
    {
      stream: meetingStream(id),
      type: 'meeting.attendance-recorded',
      payload: { meeting: id, attendance: input.attendance },
      visibility: PROCESS,
    },
  ]);
}

export function decideOutcome(
  state: ProcessState,
  id: string,
  input: OutcomeInput,
  doc: Framework | null,
  versionHashes: readonly string[],
): Result<EventDraft[]> {
  const m = find(state, id);
  if (!m.ok) return m;
  if (m.value.status !== 'held' && m.value.status !== 'closed')
    return fail('invalid_transition', `meeting ${id} is ${m.value.status}: outcomes are recorded once it has been held`, '/params/id');
  const known = clauseIds(doc);
  const j = known ? input.clauses.findIndex((c) => !known.has(c)) : -1;
  if (j >= 0) return fail('validation_failed', `there is no clause ${input.clauses[j]} in the current framework`, `/clauses/${j}`);
  if (input.versionHash && !versionHashes.includes(input.versionHash))
    return fail('validation_failed', `no framework version has the hash ${input.versionHash}`, '/versionHash');
  return ok([{ stream: meetingStream(id), type: 'meeting.outcome-recorded', payload: { meeting: id, ...input }, visibility: PROCESS }]);
}

export function decideAttestation(reader: Principal, what: string): Result<EventDraft[]> {
  if (!reader.party) return fail('refused', 'an attestation is given for a party; this account acts for none');
  return ok([
    { stream: `attestations/${reader.party}`, type: 'process.attested', payload: { party: reader.party, what }, visibility: PROCESS },
  ]);
}
