import { z } from 'zod';
import type { ApiClient, ApiResult } from '../api';

/*
 * Typed calls of the process API (issue 7). Codes (tracks, statuses, requirement types) are read as
 * plain strings, so one the server adds later shows by its code instead of failing the whole answer.
 */

const LocalTime = z.object({ zone: z.string(), start: z.string(), end: z.string(), offset: z.string() });
export const Check = z.object({
  id: z.string(),
  source: z.string(),
  clause: z.string().nullable(),
  requirement: z.looseObject({ type: z.string() }),
  met: z.boolean(),
  detail: z.string(),
});
export type Check = z.infer<typeof Check>;

export const Meeting = z.object({
  id: z.string(),
  title: z.string(),
  track: z.string(),
  venue: z.object({ name: z.string(), zone: z.string() }),
  start: z.string(),
  end: z.string(),
  local: LocalTime,
  format: z.string(),
  videoLink: z.string().nullable(),
  status: z.string(),
  sequence: z.number(),
  hardDate: z.boolean(),
  heldAt: z.string().nullable(),
  participants: z.array(
    z.object({
      name: z.string(),
      person: z.string().nullable(),
      party: z.string().nullable(),
      zone: z.string(),
      mode: z.string(),
      role: z.string(),
      response: z.string(),
      email: z.string().nullable().default(null),
      hours: z
        .object({ start: z.string(), end: z.string(), days: z.array(z.number()) })
        .nullable()
        .default(null),
      local: LocalTime,
    }),
  ),
  agenda: z.array(z.object({ title: z.string(), clauses: z.array(z.string()) })),
  prerequisites: z.array(Check),
  blocked: z.boolean(),
  earliestStart: z.string().nullable(),
  floatDays: z.number().nullable(),
  critical: z.boolean(),
});
export type Meeting = z.infer<typeof Meeting>;

export const MeetingDetail = Meeting.extend({
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
    z.object({ status: z.string(), at: z.string(), actor: z.string(), reason: z.string(), overridden: z.array(z.string()).default([]) }),
  ),
});
export type MeetingDetail = z.infer<typeof MeetingDetail>;

export const Sequence = z.object({
  meetings: z.array(Meeting),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
  criticalPath: z.array(z.string()),
  end: z.string().nullable(),
  now: z.string(),
});
export type Sequence = z.infer<typeof Sequence>;

export const SlipResult = z.object({
  meeting: z.string(),
  days: z.number(),
  moved: z.array(z.object({ id: z.string(), title: z.string(), from: z.string(), to: z.string(), byHours: z.number() })),
  broken: z.array(z.object({ id: z.string(), title: z.string(), plannedStart: z.string(), newStart: z.string() })),
  endMovesByHours: z.number(),
});
export type SlipResult = z.infer<typeof SlipResult>;

const Appended = z.looseObject({ position: z.number(), hash: z.string() });

export interface ParticipantDraft {
  readonly name: string;
  readonly person?: string | null;
  readonly party?: string | null;
  /** carried through unchanged when a meeting is revised */
  readonly email?: string | null;
  readonly response?: string;
  readonly hours?: { readonly start: string; readonly end: string; readonly days: readonly number[] };
  readonly zone: string;
  readonly mode: 'in-person' | 'video';
  readonly role: 'chair' | 'delegate' | 'adviser' | 'observer';
}
export interface MeetingDraft {
  readonly code: string;
  readonly title: string;
  readonly track: string;
  readonly venue: { readonly name: string; readonly zone: string };
  readonly start: string;
  readonly end: string;
  readonly startChoice?: 'earlier' | 'later';
  readonly format: 'in-person' | 'virtual' | 'hybrid';
  readonly videoLink: string | null;
  readonly participants: readonly ParticipantDraft[];
  readonly agenda?: readonly { readonly title: string; readonly clauses: readonly string[] }[];
  readonly hardDate: boolean;
}

export function getSequence(api: ApiClient): Promise<ApiResult<Sequence>> {
  return api.request('GET', '/api/v1/process/sequence', Sequence);
}
export function getMeeting(api: ApiClient, id: string): Promise<ApiResult<MeetingDetail>> {
  return api.request('GET', `/api/v1/process/meetings/${encodeURIComponent(id)}`, MeetingDetail);
}
const LocalView = z.object({
  name: z.string(),
  zone: z.string(),
  start: z.string(),
  end: z.string(),
  offset: z.string(),
  inside: z.boolean(),
});
export const Slots = z.object({
  slots: z.array(z.object({ start: z.string(), end: z.string(), inside: z.number(), of: z.number(), participants: z.array(LocalView) })),
  current: z.array(LocalView),
});
export type Slots = z.infer<typeof Slots>;

export function getSlots(api: ApiClient, id: string, from: string, to: string): Promise<ApiResult<Slots>> {
  return api.request('GET', `/api/v1/process/meetings/${encodeURIComponent(id)}/slots?from=${from}&to=${to}`, Slots);
}
export function getSlip(api: ApiClient, id: string, days: number): Promise<ApiResult<SlipResult>> {
  return api.request('GET', `/api/v1/process/slip?meeting=${encodeURIComponent(id)}&days=${days}`, SlipResult);
}
export function planMeeting(api: ApiClient, draft: MeetingDraft, idempotencyKey: string): Promise<ApiResult<z.infer<typeof Appended>>> {
  return api.request('POST', '/api/v1/process/meetings', Appended, draft, { idempotencyKey });
}
/** A revision: the same body as planning, without the code (the meeting's id). */
export function reviseMeeting(api: ApiClient, id: string, draft: MeetingDraft): Promise<ApiResult<z.infer<typeof Appended>>> {
  const { code: _code, ...body } = draft;
  return api.request('PUT', `/api/v1/process/meetings/${encodeURIComponent(id)}`, Appended, body);
}
/** `override` with a `reason`: record it held although prerequisites are unmet (the mediator's decision, journaled). */
export function changeStatus(
  api: ApiClient,
  id: string,
  status: string,
  idempotencyKey: string,
  override?: { reason: string },
): Promise<ApiResult<z.infer<typeof Appended>>> {
  const body = override ? { status, override: true, reason: override.reason } : { status };
  return api.request('POST', `/api/v1/process/meetings/${encodeURIComponent(id)}/status`, Appended, body, { idempotencyKey });
}
const meetingUrl = (id: string, what: string) => `/api/v1/process/meetings/${encodeURIComponent(id)}/${what}`;
export function recordMinutes(
  api: ApiClient,
  id: string,
  body: { text: string; visibility: string[] },
  idempotencyKey: string,
): Promise<ApiResult<z.infer<typeof Appended>>> {
  return api.request('POST', meetingUrl(id, 'minutes'), Appended, body, { idempotencyKey });
}
export function recordAttendance(
  api: ApiClient,
  id: string,
  attendance: { participant: string; present: boolean; mode?: string }[],
  idempotencyKey: string,
): Promise<ApiResult<z.infer<typeof Appended>>> {
  return api.request('POST', meetingUrl(id, 'attendance'), Appended, { attendance }, { idempotencyKey });
}
export function recordOutcome(
  api: ApiClient,
  id: string,
  body: { decision: string; clauses: string[]; versionHash: string | null },
  idempotencyKey: string,
): Promise<ApiResult<z.infer<typeof Appended>>> {
  return api.request('POST', meetingUrl(id, 'outcomes'), Appended, body, { idempotencyKey });
}
export function createFeed(api: ApiClient): Promise<ApiResult<{ url: string }>> {
  return api.request('POST', '/api/v1/process/feed', z.object({ url: z.string() }), {});
}
export const icsUrl = (id: string) => `/api/v1/process/meetings/${encodeURIComponent(id)}/ics`;

/** Journal events after which the page reloads what it shows. */
export function isProcessEvent(type: string): boolean {
  return type.startsWith('meeting.') || type.startsWith('process.') || type.startsWith('framework.') || type.startsWith('exchange.');
}
