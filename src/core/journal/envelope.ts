import { z } from 'zod';

/**
 * Visibility labels. A reader may read a record when any one of its labels admits them
 * (see core/access). `grant:<name>` is a need-to-know grant given to named people.
 */
export const VisibilityLabel = z
  .string()
  .regex(/^(public|process|mediator|intermediary|admin|party:[a-z0-9][a-z0-9-]{0,62}|grant:[a-z0-9][a-z0-9:._-]{0,126})$/, 'not a visibility label');
export type VisibilityLabel = z.infer<typeof VisibilityLabel>;

export const Visibility = z.array(VisibilityLabel).min(1).max(16);
export type Visibility = z.infer<typeof Visibility>;

export const StreamName = z.string().regex(/^[a-z][a-z0-9-]*(\/[A-Za-z0-9._:-]{1,128}){0,3}$/, 'not a stream name');

export const EventType = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'not an event type');

/** What a command decides: the part of an event that domain code writes. */
export const EventDraft = z.object({
  stream: StreamName,
  type: EventType,
  payload: z.record(z.string(), z.unknown()),
  visibility: Visibility,
});
export type EventDraft = z.infer<typeof EventDraft>;

/** The envelope of a journal event, as the architecture fixes it. */
export const JournalEvent = z.object({
  position: z.number().int().positive(),
  stream: z.string(),
  streamVersion: z.number().int().positive(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  actor: z.string(),
  party: z.string().nullable(),
  visibility: z.array(z.string()),
  recordedAt: z.string(),
  idempotencyKey: z.string().nullable(),
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type JournalEvent = z.infer<typeof JournalEvent>;

export type UnhashedEvent = Omit<JournalEvent, 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);

/** Expected version of a stream, stated by a command: a number, 'new' (must not exist) or 'any'. */
export type ExpectedVersion = number | 'new' | 'any';

/** One command's worth of events: appended atomically, all or none. */
export interface AppendRequest {
  readonly drafts: readonly EventDraft[];
  readonly expected?: Readonly<Record<string, ExpectedVersion>>;
  readonly actor: string;
  readonly party: string | null;
  /** A client's idempotency key: a retry with the same key returns the first result. */
  readonly idempotencyKey?: string | null;
}
