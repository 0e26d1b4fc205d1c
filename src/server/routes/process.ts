import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { canRead } from '../../core/access/policy';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import { currentDocument, inForceAt } from '../../core/framework/versions';
import type { Analysis } from '../../core/process/graph';
import { slip } from '../../core/process/graph';
import {
  decideAttendance,
  decideAttestation,
  decideMinutes,
  decideOutcome,
  decidePlan,
  decidePrerequisite,
  decideRevision,
  decideStatus,
} from '../../core/process/commands';
import { calendarOf } from '../../core/process/ics';
import {
  AttendanceInput,
  AttestationInput,
  DEFAULT_HOURS,
  MeetingInput,
  MeetingRevisionInput,
  MinutesInput,
  OutcomeInput,
  PrerequisiteInput,
  SlotQuery,
  STATUSES,
  StatusInput,
  TRACKS,
} from '../../core/process/model';
import { analyseSequence, buildSequence, checksOf, type Context, type Sequence } from '../../core/process/prerequisites';
import { findSlots, localView } from '../../core/process/slots';
import type { Meeting } from '../../core/process/state';
import { localIso, offsetLabel, offsetMinutes } from '../../core/process/time';
import { principalOf } from '../auth';
import { milestoneFacts } from '../../runtime/milestones';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs } from './identity';
import { Appended } from './schemas';

const DAY = 86_400_000;
const FEED_SECRET = 'calendar-feed';

// ---------------------------------------------------------------------------------------------------
// Responses

const LocalTimeOut = z.object({ zone: z.string(), start: z.string(), end: z.string(), offset: z.string() });
const CheckOut = z.object({
  id: z.string(),
  source: z.enum(['framework', 'recorded']),
  clause: z.string().nullable(),
  requirement: z.record(z.string(), z.unknown()),
  met: z.boolean(),
  detail: z.string(),
});
const ParticipantOut = z.object({
  name: z.string(),
  person: z.string().nullable(),
  party: z.string().nullable(),
  zone: z.string(),
  mode: z.enum(['in-person', 'video']),
  role: z.string(),
  response: z.string(),
  /** kept so that a revision can send the participant back unchanged */
  email: z.string().nullable(),
  hours: z.object({ start: z.string(), end: z.string(), days: z.array(z.number().int()) }).nullable(),
  local: LocalTimeOut,
});
const MeetingOut = z.object({
  id: z.string(),
  title: z.string(),
  track: z.enum(TRACKS),
  venue: z.object({ name: z.string(), zone: z.string() }),
  start: z.string(),
  end: z.string(),
  local: LocalTimeOut,
  format: z.enum(['in-person', 'virtual', 'hybrid']),
  /** only for a participant who joins by video, and for the planners */
  videoLink: z.string().nullable(),
  status: z.enum(STATUSES),
  sequence: z.number().int(),
  hardDate: z.boolean(),
  heldAt: z.string().nullable(),
  participants: z.array(ParticipantOut),
  agenda: z.array(z.object({ title: z.string(), clauses: z.array(z.string()) })),
  prerequisites: z.array(CheckOut),
  blocked: z.boolean(),
  /** when its prerequisites allow it to start at the earliest (equal to `start` unless they push it) */
  earliestStart: z.string().nullable(),
  /** days it can slip before the end of the whole sequence moves */
  floatDays: z.number().nullable(),
  critical: z.boolean(),
});
type MeetingOut = z.infer<typeof MeetingOut>;

const DetailOut = MeetingOut.extend({
  outcomes: z.array(
    z.object({
      decision: z.string(),
      clauses: z.array(z.string()),
      versionHash: z.string().nullable(),
      recordedBy: z.string(),
      recordedAt: z.string(),
    }),
  ),
  attendance: z.array(z.object({ participant: z.string(), present: z.boolean(), mode: z.string().nullable() })),
  minutes: z.array(z.object({ text: z.string(), visibility: z.array(z.string()), actor: z.string(), recordedAt: z.string() })),
  history: z.array(
    z.object({ status: z.string(), at: z.string(), actor: z.string(), reason: z.string(), overridden: z.array(z.string()) }),
  ),
});

const SequenceOut = z.object({
  meetings: z.array(MeetingOut),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
  criticalPath: z.array(z.string()),
  end: z.string().nullable(),
  now: z.string(),
});

const SlipOut = z.object({
  meeting: z.string(),
  days: z.number(),
  moved: z.array(z.object({ id: z.string(), title: z.string(), from: z.string(), to: z.string(), byHours: z.number() })),
  broken: z.array(z.object({ id: z.string(), title: z.string(), plannedStart: z.string(), newStart: z.string() })),
  endMovesByHours: z.number(),
});

const SlotOut = z.object({
  start: z.string(),
  end: z.string(),
  inside: z.number().int(),
  of: z.number().int(),
  participants: z.array(
    z.object({ name: z.string(), zone: z.string(), start: z.string(), end: z.string(), offset: z.string(), inside: z.boolean() }),
  ),
});

const IdParams = z.object({ id: z.string().min(1).max(100) }).strict();

// ---------------------------------------------------------------------------------------------------
// Reading the sequence

/** The framework text whose prerequisites count: the version in force now, else the latest recorded. */
function textFor(services: Services, now: string) {
  const state = services.journal.image.framework;
  return inForceAt(state, now)?.document ?? currentDocument(state);
}

interface Picture {
  readonly seq: Sequence;
  readonly analysis: Analysis | null;
  readonly ctx: Context;
}

// The sequence changes only with the journal (and "in force now" with the clock): one build per head and minute.
const pictures = new WeakMap<Services, { key: string; picture: Picture }>();

function picture(services: Services): Picture {
  const now = services.now().toISOString();
  const key = `${services.journal.head}@${now.slice(0, 16)}`;
  const cached = pictures.get(services);
  if (cached?.key === key) return cached.picture;
  const image = services.journal.image;
  const seq = buildSequence(image.process, textFor(services, now));
  const analysed = analyseSequence(seq);
  const built: Picture = {
    seq,
    analysis: analysed.ok ? analysed.value : null,
    ctx: { process: image.process, framework: image.framework, facts: milestoneFacts(image), now },
  };
  pictures.set(services, { key, picture: built });
  return built;
}

const local = (startIso: string, endIso: string, zone: string) => ({
  zone,
  start: localIso(Date.parse(startIso), zone),
  end: localIso(Date.parse(endIso), zone),
  offset: offsetLabel(offsetMinutes(zone, Date.parse(startIso))),
});

function mayHaveLink(m: Meeting, reader: Principal | null): boolean {
  if (!reader) return false;
  if (reader.roles.includes('mediator')) return true;
  return m.participants.some((p) => p.person === reader.username && p.mode === 'video');
}

function meetingOut(m: Meeting, p: Picture, reader: Principal | null): MeetingOut {
  const checks = checksOf(p.ctx, p.seq, m.id);
  const i = p.seq.indexOf.get(m.id);
  const a = p.analysis;
  return {
    id: m.id,
    title: m.title,
    track: m.track,
    venue: m.venue,
    start: m.start,
    end: m.end,
    local: local(m.start, m.end, m.venue.zone),
    format: m.format,
    videoLink: mayHaveLink(m, reader) ? m.videoLink : null,
    status: m.status,
    sequence: m.sequence,
    hardDate: m.hardDate,
    heldAt: m.heldAt,
    participants: m.participants.map((x) => ({
      name: x.name,
      person: x.person,
      party: x.party,
      zone: x.zone,
      mode: x.mode,
      role: x.role,
      response: x.response,
      email: x.email,
      hours: x.hours ? { ...x.hours, days: [...x.hours.days] } : null,
      local: local(m.start, m.end, x.zone),
    })),
    agenda: m.agenda.map((x) => ({ title: x.title, clauses: [...x.clauses] })),
    prerequisites: checks.map((c) => ({
      id: c.requirement.id,
      source: c.requirement.source,
      clause: c.requirement.clause,
      requirement: { ...c.requirement.requirement },
      met: c.met,
      detail: c.detail,
    })),
    blocked: checks.some((c) => !c.met) && m.status !== 'held' && m.status !== 'closed',
    earliestStart: a && i !== undefined ? new Date(a.earliestStart[i]!).toISOString() : null,
    floatDays: a && i !== undefined ? Math.round((a.float[i]! / DAY) * 100) / 100 : null,
    critical: a !== null && i !== undefined && a.criticalPath.includes(i),
  };
}

function findMeeting(services: Services, id: string): Result<Meeting> {
  const m = services.journal.image.process.meetings.get(id);
  return m ? ok(m) : fail('not_found', `there is no meeting ${id}`, '/params/id');
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

async function sendCalendar(reply: import('fastify').FastifyReply, body: string, filename: string) {
  await reply
    .type('text/calendar; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

// ---------------------------------------------------------------------------------------------------
// Routes

export const processRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/process/sequence',
    summary: 'Every meeting with its prerequisites (met or not, and why), the prerequisite edges, float and the critical path',
    tag: 'process',
    action: 'process.read',
    response: SequenceOut,
    async handler({ reader, services }) {
      const p = picture(services);
      const edges = p.seq.graph.edges.map(([a, b]) => ({ from: p.seq.meetings[a]!.id, to: p.seq.meetings[b]!.id }));
      const cancelled = [...services.journal.image.process.meetings.values()].filter((m) => m.status === 'cancelled');
      return ok({
        meetings: [...p.seq.meetings, ...cancelled].map((m) => meetingOut(m, p, reader)),
        edges,
        criticalPath: p.analysis ? p.analysis.criticalPath.map((i) => p.seq.meetings[i]!.id) : [],
        end: p.analysis && p.seq.meetings.length > 0 ? new Date(p.analysis.end).toISOString() : null,
        now: p.ctx.now,
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/meetings',
    summary:
      'Plan a meeting: track, venue and its IANA zone, local start and end there, format, participants each with their zone, mode and role, agenda',
    tag: 'process',
    action: 'process.plan',
    body: MeetingInput,
    status: 201,
    response: Appended,
    async handler({ body, reader, services, idempotencyKey }) {
      const now = services.now().toISOString();
      return appendAs(services, reader, decidePlan(services.journal.image.process, body, textFor(services, now)), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/process/meetings/:id',
    summary:
      'One meeting: local times of the venue and of each participant, what blocks it now, outcomes, attendance, the minutes the reader may see',
    tag: 'process',
    action: 'process.read',
    params: IdParams,
    response: DetailOut,
    async handler({ params, reader, services }) {
      const m = findMeeting(services, params.id);
      if (!m.ok) return m;
      const p = picture(services);
      const minutes = services.journal.image.process.minutes
        .filter((x) => x.meeting === m.value.id && canRead(reader, x.visibility))
        .map((x) => ({ text: x.text, visibility: [...x.visibility], actor: x.actor, recordedAt: x.recordedAt }));
      return ok({
        ...meetingOut(m.value, p, reader),
        outcomes: m.value.outcomes.map((o) => ({ ...o, clauses: [...o.clauses] })),
        attendance: m.value.attendance.map((a) => ({ ...a })),
        minutes,
        history: m.value.history.map((h) => ({ ...h, overridden: [...h.overridden] })),
      });
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/process/meetings/:id',
    summary: 'Revise a meeting (time, venue, participants…): its calendar SEQUENCE rises',
    tag: 'process',
    action: 'process.plan',
    params: IdParams,
    body: MeetingRevisionInput,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const now = services.now().toISOString();
      return appendAs(
        services,
        reader,
        decideRevision(services.journal.image.process, params.id, body, textFor(services, now)),
        idempotencyKey,
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/meetings/:id/status',
    summary:
      'Move a meeting along its lifecycle: planned → confirmed → held → closed, or postponed / cancelled; held only once its prerequisites are met, unless overridden with a reason',
    tag: 'process',
    action: 'process.plan',
    params: IdParams,
    body: StatusInput,
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const p = picture(services);
      return appendAs(
        services,
        reader,
        decideStatus(services.journal.image.process, params.id, body, services.now().toISOString(), checksOf(p.ctx, p.seq, params.id)),
        idempotencyKey,
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/meetings/:id/prerequisites',
    summary:
      'Add a prerequisite: a meeting held, clauses at a status, a version signed by named parties, an exchange tranche, entry into force, an attestation; a cycle is refused and named',
    tag: 'process',
    action: 'process.plan',
    params: IdParams,
    body: PrerequisiteInput,
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const now = services.now().toISOString();
      return appendAs(
        services,
        reader,
        decidePrerequisite(services.journal.image.process, params.id, body, textFor(services, now)),
        idempotencyKey,
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/meetings/:id/minutes',
    summary: 'Record minutes of a held meeting, readable by the labels given (process, mediator, party:<id>, …)',
    tag: 'process',
    action: 'process.minutes',
    params: IdParams,
    body: MinutesInput,
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decideMinutes(services.journal.image.process, reader!, params.id, body), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/meetings/:id/attendance',
    summary: 'Record who attended a held meeting, and how',
    tag: 'process',
    action: 'process.plan',
    params: IdParams,
    body: AttendanceInput,
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decideAttendance(services.journal.image.process, params.id, body), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/meetings/:id/outcomes',
    summary: 'Record a decision of a held meeting, linked to clauses and a framework version',
    tag: 'process',
    action: 'process.plan',
    params: IdParams,
    body: OutcomeInput,
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const fw = services.journal.image.framework;
      const now = services.now().toISOString();
      return appendAs(
        services,
        reader,
        decideOutcome(
          services.journal.image.process,
          params.id,
          body,
          textFor(services, now),
          fw.versions.map((v) => v.hash),
        ),
        idempotencyKey,
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/attestations',
    summary: "Attest, for the reader's party, a fact that a meeting waits for (e.g. lists of both sides received)",
    tag: 'process',
    action: 'process.attest',
    body: AttestationInput,
    status: 201,
    response: Appended,
    async handler({ body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decideAttestation(reader!, body.what), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/process/slip',
    summary: 'What moves if a meeting slips by N days, and which hard dates break',
    tag: 'process',
    action: 'process.read',
    query: z.object({ meeting: z.string().min(1).max(100), days: z.coerce.number().min(-365).max(365) }).strict(),
    response: SlipOut,
    async handler({ query, services }) {
      const p = picture(services);
      const i = p.seq.indexOf.get(query.meeting);
      if (i === undefined) return fail('validation_failed', `there is no meeting ${query.meeting} in the sequence`, '/meeting');
      if (!p.analysis) return fail('refused', 'the sequence has a cycle; fix it first');
      if (p.seq.graph.nodes[i]!.held) return fail('refused', `${query.meeting} has been held: it cannot slip any more`, '/meeting');
      const s = slip(p.analysis, i, query.days * DAY);
      const m = (k: number) => p.seq.meetings[k]!;
      return ok({
        meeting: query.meeting,
        days: query.days,
        moved: s.moved.map((x) => ({
          id: m(x.index).id,
          title: m(x.index).title,
          from: new Date(x.from).toISOString(),
          to: new Date(x.to).toISOString(),
          byHours: x.by / 3_600_000,
        })),
        broken: s.broken.map((k) => ({
          id: m(k).id,
          title: m(k).title,
          plannedStart: m(k).start,
          newStart: new Date(s.moved.find((x) => x.index === k)!.to).toISOString(),
        })),
        endMovesByHours: s.endMovesBy / 3_600_000,
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/slots',
    summary: 'Rank candidate slots by how many participants are inside their own working hours, with each one’s local time',
    tag: 'process',
    action: 'process.read',
    body: SlotQuery,
    response: z.object({ slots: z.array(SlotOut) }),
    async handler({ body }) {
      const r = findSlots(body);
      return r.ok ? ok({ slots: r.value.map((s) => ({ ...s, participants: [...s.participants] })) }) : r;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/process/meetings/:id/slots',
    summary: "Candidate slots for a meeting's participants (their working hours, else 09:00–18:00 on weekdays) between two dates",
    tag: 'process',
    action: 'process.read',
    params: IdParams,
    query: z
      .object({ from: z.iso.date(), to: z.iso.date(), durationMinutes: z.coerce.number().int().min(15).max(1440).optional() })
      .strict(),
    response: z.object({ slots: z.array(SlotOut), current: SlotOut.shape.participants }),
    async handler({ params, query, services }) {
      const m = findMeeting(services, params.id);
      if (!m.ok) return m;
      const duration = query.durationMinutes ?? Math.round((Date.parse(m.value.end) - Date.parse(m.value.start)) / 60_000);
      const participants = m.value.participants.map((p) => ({ name: p.name, zone: p.zone, hours: p.hours ?? DEFAULT_HOURS }));
      if (participants.length === 0) return fail('refused', `meeting ${params.id} has no participants to find a slot for`, '/params/id');
      const r = findSlots({
        participants,
        from: query.from,
        to: query.to,
        durationMinutes: Math.max(15, duration),
        stepMinutes: 30,
        limit: 10,
      });
      if (!r.ok) return r;
      const start = Date.parse(m.value.start);
      const end = Date.parse(m.value.end);
      return ok({
        slots: r.value.map((s) => ({ ...s, participants: [...s.participants] })),
        current: participants.map((p) => localView(p.name, p.zone, start, end, false)),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/process/meetings/:id/ics',
    summary: 'The meeting as iCalendar (METHOD:REQUEST, VTIMEZONE for its zone); the video link only for a participant on video',
    tag: 'process',
    action: 'process.read',
    params: IdParams,
    response: null,
    raw: true,
    async handler({ params, reader, services, reply }) {
      const m = findMeeting(services, params.id);
      if (!m.ok) return m;
      const body = calendarOf([m.value], { name: m.value.title, stamp: m.value.updatedAt, viewer: reader?.username ?? null });
      await sendCalendar(reply, body, `${m.value.id}.ics`);
      return ok(undefined);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/process/feed',
    summary: "Create (or replace) the reader's calendar feed address: a secret URL a calendar application can subscribe to",
    tag: 'process',
    action: 'process.feed',
    status: 201,
    response: z.object({ url: z.string() }),
    async handler({ reader, services }) {
      const previous = await services.store.getSecret(FEED_SECRET, `user:${reader!.username}`);
      if (previous) await services.store.deleteSecret(FEED_SECRET, previous.value);
      const token = randomBytes(24).toString('base64url');
      // Only the token's hash is kept, as for API tokens: a copy of the store does not open anyone's feed.
      await services.store.putSecret(FEED_SECRET, sha256(token), reader!.username);
      await services.store.putSecret(FEED_SECRET, `user:${reader!.username}`, sha256(token));
      return ok({ url: `/api/v1/process/feeds/${token}.ics` });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/process/feeds/:token',
    summary: "A person's meetings as one iCalendar feed, at the secret address from POST /api/v1/process/feed",
    tag: 'process',
    action: 'process.feed-read',
    params: z.object({ token: z.string().min(10).max(100) }).strict(),
    response: null,
    raw: true,
    async handler({ params, services, reply }) {
      const token = params.token.replace(/\.ics$/, '');
      const record = await services.store.getSecret(FEED_SECRET, sha256(token));
      const user = record ? services.journal.image.identity.users.get(record.value) : undefined;
      if (!user) return fail('not_found', 'there is no calendar feed at this address (it may have been replaced)');
      const person = principalOf(user);
      const meetings = [...services.journal.image.process.meetings.values()].filter((m) =>
        m.participants.some((p) => p.person === person.username),
      );
      const stamp = meetings.reduce((s, m) => (m.updatedAt > s ? m.updatedAt : s), '1970-01-01T00:00:00.000Z');
      await sendCalendar(
        reply,
        calendarOf(meetings, { name: `Entente — ${user.displayName}`, stamp, viewer: person.username }),
        'entente.ics',
      );
      return ok(undefined);
    },
  }),
];
