import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Meeting, Participant } from './state';
import { localIso, vtimezone, zonedInstant } from './time';

/**
 * iCalendar (RFC 5545) for meetings. Times are written as the venue's wall-clock time with its TZID
 * (computed with Intl from the stored UTC instant) and every TZID used gets a VTIMEZONE listing its
 * clock changes over the years covered, so a reader converts them without a zone database of its own.
 * The UID is the meeting's code (stable across revisions) and SEQUENCE counts its changes.
 */

const ROLE: Record<Participant['role'], ICalAttendeeRole> = {
  chair: ICalAttendeeRole.CHAIR,
  delegate: ICalAttendeeRole.REQ,
  adviser: ICalAttendeeRole.OPT,
  observer: ICalAttendeeRole.NON,
};
const PARTSTAT: Record<Participant['response'], ICalAttendeeStatus> = {
  'needs-action': ICalAttendeeStatus.NEEDSACTION,
  accepted: ICalAttendeeStatus.ACCEPTED,
  tentative: ICalAttendeeStatus.TENTATIVE,
  declined: ICalAttendeeStatus.DECLINED,
};

export const ORGANIZER = { name: 'Entente secretariat', email: 'secretariat@entente.invalid' };

export function uidOf(meeting: Pick<Meeting, 'id'>): string {
  return `${meeting.id}@entente`;
}

/** A participant's address: their own, or a stable placeholder under .invalid (never delivered). */
export function addressOf(p: Participant): string {
  if (p.email) return p.email;
  const local = (p.person ?? p.name)
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
  return `${local || 'participant'}@${p.party ?? 'guest'}.entente.invalid`;
}

function statusOf(m: Meeting): ICalEventStatus {
  if (m.status === 'cancelled') return ICalEventStatus.CANCELLED;
  if (m.status === 'planned' || m.status === 'postponed') return ICalEventStatus.TENTATIVE;
  return ICalEventStatus.CONFIRMED;
}

/** Did this participant attend (after the meeting) or answer (before it)? */
function partstat(m: Meeting, p: Participant): ICalAttendeeStatus {
  const a = m.attendance.find((x) => x.participant === p.name);
  if (a) return a.present ? ICalAttendeeStatus.ACCEPTED : ICalAttendeeStatus.DECLINED;
  return PARTSTAT[p.response];
}

export interface CalendarOptions {
  readonly name: string;
  /** DTSTAMP: when this calendar object was made (injected, never the clock) */
  readonly stamp: string;
  /** The person reading: the video link goes only to a participant who joins by video. */
  readonly viewer: string | null;
}

function description(m: Meeting, link: string | null): string {
  const lines = [`Track: ${m.track}. Format: ${m.format}.`];
  for (const item of m.agenda) lines.push(`- ${item.title}${item.clauses.length ? ` (${item.clauses.join(', ')})` : ''}`);
  if (link) lines.push(`Secure video: ${link}`);
  return lines.join('\n');
}

/**
 * Wall-clock strings under the venue's TZID (ical-generator writes them as they are). A local time
 * shown twice reads as its first occurrence (RFC 5545); when the later one was chosen, the event is
 * written in UTC instead, so no reader can take the wrong hour.
 */
function times(m: Meeting): { start: string | Date; end: string | Date; timezone: string | null } {
  const wall = (iso: string) => {
    const t = Date.parse(iso);
    const local = localIso(t, m.venue.zone);
    const first = zonedInstant(local, m.venue.zone, '', 'earlier');
    return { text: `${local}:00`, exact: first.ok && first.value === t };
  };
  const start = wall(m.start);
  const end = wall(m.end);
  if (start.exact && end.exact) return { start: start.text, end: end.text, timezone: m.venue.zone };
  return { start: new Date(m.start), end: new Date(m.end), timezone: null };
}

export function calendarOf(meetings: readonly Meeting[], options: CalendarOptions): string {
  const years = meetings.flatMap((m) => [Number(m.start.slice(0, 4)), Number(m.end.slice(0, 4))]);
  const from = years.length ? Math.min(...years) : 2026;
  const to = years.length ? Math.max(...years) : 2026;
  const cal = ical({
    name: options.name,
    prodId: { company: 'Entente', product: 'Process sequencing', language: 'EN' },
    method: ICalCalendarMethod.REQUEST,
    timezone: { name: null, generator: (zone) => vtimezone(zone, from, to) },
  });
  for (const m of meetings) {
    const me = options.viewer ? m.participants.find((p) => p.person === options.viewer) : undefined;
    const link = me?.mode === 'video' ? m.videoLink : null;
    const event = cal.createEvent({
      id: uidOf(m),
      sequence: m.sequence,
      stamp: new Date(options.stamp),
      ...times(m),
      summary: m.title,
      location: m.format === 'virtual' ? 'Secure video' : m.venue.name,
      description: description(m, link),
      status: statusOf(m),
      organizer: ORGANIZER,
      ...(link ? { url: link } : {}),
    });
    for (const p of m.participants) {
      event.createAttendee({
        name: p.name,
        email: addressOf(p),
        role: ROLE[p.role],
        status: partstat(m, p),
        rsvp: p.response === 'needs-action',
      });
    }
  }
  return cal.toString();
}
