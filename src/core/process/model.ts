import { z } from 'zod';
import { PartyId } from '../access/roles';

/**
 * Process sequencing (issue 7): tracks, meetings, their prerequisites and the people in them.
 *
 * Events (stream `meeting/<id>`, visibility `process` unless said otherwise):
 * - `meeting.planned`, `meeting.revised`: the whole meeting as planned (instants in UTC, the venue's
 *   zone and the local times the planner typed). A revision raises the calendar SEQUENCE.
 * - `meeting.video-link`: the secure video link, apart, visible to the mediator and the parties of
 *   those who join by video only.
 * - `meeting.status-changed`: planned → confirmed → held → closed, or postponed / cancelled.
 * - `meeting.prerequisite-added`: a requirement recorded through the API (the framework's
 *   `meeting-prerequisite` parts are read from the text itself, not copied into the journal).
 * - `meeting.minutes-recorded`: minutes, with the visibility labels their author chose.
 * - `meeting.attendance-recorded`, `meeting.outcome-recorded`.
 * - `process.attested` (stream `attestations/<party>`): a party attests a fact a meeting waits for.
 */

export const TRACKS = ['advisers', 'military', 'leaders', 'humanitarian', 'economic'] as const;
export const Track = z.enum(TRACKS);
export type Track = z.infer<typeof Track>;

export const FORMATS = ['in-person', 'virtual', 'hybrid'] as const;
export const Format = z.enum(FORMATS);
export type Format = z.infer<typeof Format>;

export const MODES = ['in-person', 'video'] as const;
export const Mode = z.enum(MODES);
export type Mode = z.infer<typeof Mode>;

export const PARTICIPANT_ROLES = ['chair', 'delegate', 'adviser', 'observer'] as const;
export const ParticipantRole = z.enum(PARTICIPANT_ROLES);

export const RESPONSES = ['needs-action', 'accepted', 'tentative', 'declined'] as const;

export const STATUSES = ['planned', 'confirmed', 'held', 'closed', 'postponed', 'cancelled'] as const;
export type MeetingStatus = (typeof STATUSES)[number];

/** Which status may follow which: the lifecycle as data. */
export const TRANSITIONS: Readonly<Record<MeetingStatus, readonly MeetingStatus[]>> = {
  planned: ['confirmed', 'held', 'postponed', 'cancelled'],
  confirmed: ['held', 'postponed', 'cancelled'],
  held: ['closed'],
  closed: [],
  postponed: ['planned', 'confirmed', 'cancelled'],
  cancelled: [],
};

/** A meeting code: the framework names meetings this way (e.g. leaders-paris-2026-01-06). */
export const MeetingCode = z.string().regex(/^[a-z0-9][a-z0-9-]{1,95}$/, 'a meeting code is lower-case letters, digits and dashes');
const ClauseId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a clause id is lower-case letters, digits and dashes');
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day, HH:mm');
const LocalTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'a local date and time, YYYY-MM-DDTHH:mm');
const Zone = z.string({ error: 'give the IANA time zone, e.g. Europe/Kyiv' }).min(1, 'give the IANA time zone, e.g. Europe/Kyiv').max(64);
const Choice = z.enum(['earlier', 'later']);

export const WorkingHours = z.strictObject({
  start: HourMinute,
  end: HourMinute,
  /** ISO weekdays, 1 = Monday */
  days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
});
export type WorkingHours = z.infer<typeof WorkingHours>;
export const DEFAULT_HOURS: WorkingHours = { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] };

export const ParticipantInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** the user this participant is, when they have an account (their calendar feed shows the meeting) */
  person: z.string().max(64).nullable().default(null),
  party: PartyId.nullable().default(null),
  zone: z.string({ error: 'each participant needs a time zone (IANA name, e.g. America/New_York)' }).min(1).max(64),
  mode: Mode,
  role: ParticipantRole,
  email: z.email().nullable().default(null),
  response: z.enum(RESPONSES).default('needs-action'),
  hours: WorkingHours.optional(),
});
export type ParticipantInput = z.infer<typeof ParticipantInput>;

export const AgendaItem = z.strictObject({ title: z.string().trim().min(1).max(500), clauses: z.array(ClauseId).max(50).default([]) });

export const MeetingInput = z.strictObject({
  code: MeetingCode,
  title: z.string().trim().min(1).max(300),
  track: Track,
  venue: z.strictObject({ name: z.string().trim().min(1).max(200), zone: Zone }),
  /** local times at the venue */
  start: LocalTime,
  end: LocalTime,
  /** which of two instants, when a local time happens twice (the night clocks go back) */
  startChoice: Choice.optional(),
  endChoice: Choice.optional(),
  format: Format,
  videoLink: z
    .url({ protocol: /^https$/, message: 'a secure video link starts with https://' })
    .nullable()
    .default(null),
  participants: z.array(ParticipantInput).max(200).default([]),
  agenda: z.array(AgendaItem).max(100).default([]),
  /** a date that must not move (a summit, a signing): slip analysis reports it broken if it would */
  hardDate: z.boolean().default(false),
});
export type MeetingInput = z.infer<typeof MeetingInput>;
export type MeetingRevision = Omit<MeetingInput, 'code'>;
export const MeetingRevisionInput = MeetingInput.omit({ code: true });

export const Requirement = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('meeting-held'), meeting: MeetingCode }),
  z.strictObject({
    type: z.literal('clauses-at-status'),
    clauses: z.array(ClauseId).min(1),
    status: z.enum(['open', 'bracketed', 'agreed']),
  }),
  z.strictObject({
    type: z.literal('version-signed'),
    parties: z.array(PartyId).min(1, 'name the parties whose signature is needed'),
    clauses: z.array(ClauseId).default([]).describe('clauses the signed version must hold as agreed'),
  }),
  z.strictObject({ type: z.literal('exchange-completed'), formula: ClauseId, tranches: z.number().int().min(1).default(1) }),
  z.strictObject({ type: z.literal('framework-in-force') }),
  z.strictObject({ type: z.literal('attested'), by: PartyId, what: z.string().trim().min(1).max(500) }),
]);
export type Requirement = z.infer<typeof Requirement>;

export const PrerequisiteInput = z.strictObject({ requirement: Requirement, note: z.string().max(1000).default('') });
export type PrerequisiteInput = z.infer<typeof PrerequisiteInput>;

export const StatusInput = z.strictObject({
  status: z.enum(STATUSES),
  /** when it happened (held at …); absent, when it was recorded */
  at: z.iso.datetime({ offset: true, message: 'an ISO 8601 instant' }).optional(),
  reason: z.string().max(1000).default(''),
  /**
   * Record a meeting as held although some of its prerequisites are unmet: the mediator's explicit
   * decision, journaled with the reason and the list of what was unmet at the time.
   */
  override: z.boolean().default(false),
});
export type StatusInput = z.infer<typeof StatusInput>;

const Label = z
  .string()
  .regex(
    /^(public|process|mediator|intermediary|party:[a-z0-9][a-z0-9-]{0,62}|grant:[a-z0-9][a-z0-9:._-]{0,126})$/,
    'a visibility label: process, mediator, intermediary, party:<id> or grant:<name>',
  );
export const MinutesInput = z.strictObject({
  text: z.string().trim().min(1).max(50_000),
  visibility: z.array(Label).min(1, 'say who may read the minutes'),
});
export type MinutesInput = z.infer<typeof MinutesInput>;

export const AttendanceInput = z.strictObject({
  attendance: z.array(z.strictObject({ participant: z.string().min(1).max(200), present: z.boolean(), mode: Mode.optional() })).min(1),
});
export type AttendanceInput = z.infer<typeof AttendanceInput>;

export const OutcomeInput = z.strictObject({
  decision: z.string().trim().min(1).max(5000),
  clauses: z.array(ClauseId).max(50).default([]),
  versionHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a framework version hash (64 hex digits)')
    .nullable()
    .default(null),
});
export type OutcomeInput = z.infer<typeof OutcomeInput>;

export const AttestationInput = z.strictObject({ what: z.string().trim().min(1).max(500) });

export const SlotQuery = z.strictObject({
  participants: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(200),
        zone: z.string({ error: 'each participant needs a time zone (IANA name, e.g. Europe/London)' }).min(1).max(64),
        hours: WorkingHours.default(DEFAULT_HOURS),
      }),
    )
    .min(1)
    .max(200),
  from: z.iso.date({ message: 'a calendar date, YYYY-MM-DD' }),
  to: z.iso.date({ message: 'a calendar date, YYYY-MM-DD' }),
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(24 * 60)
    .default(120),
  stepMinutes: z.number().int().min(15).max(240).default(30),
  limit: z.number().int().min(1).max(100).default(10),
});
export type SlotQuery = z.infer<typeof SlotQuery>;

export const PROCESS_EVENT_TYPES = [
  'meeting.planned',
  'meeting.revised',
  'meeting.video-link',
  'meeting.status-changed',
  'meeting.prerequisite-added',
  'meeting.minutes-recorded',
  'meeting.attendance-recorded',
  'meeting.outcome-recorded',
  'process.attested',
] as const;

export const meetingStream = (id: string) => `meeting/${id}`;
