import { z } from 'zod';

/**
 * Evidence items (issue 11): originals captured with their hashes and independent sources of place and
 * time, derivatives that name their parent, and the chain of custody as journal events.
 *
 * Every event of an item lives in stream `evidence/<item>`, so the stream versions 1..n are the item's
 * whole custody log without gaps (an exported package is checked for that):
 * - `evidence.captured` — an original: both hashes, the sniffed type, capture metadata, flagged discrepancies.
 * - `evidence.derived` — a derivative (thumbnail, redaction, transcode, excerpt): a new item naming its
 *   parent's hash and the action taken. The parent's stream gets `evidence.derivative-made`.
 * - `evidence.viewed`, `evidence.downloaded`, `evidence.exported` — reads, each with a stated purpose.
 * - `evidence.transferred` — the custodian changes; `evidence.access-changed` — who may read it.
 * - `evidence.analysed` — a verification record (source, technical or content analysis).
 * - `evidence.challenged` — a challenge or counter-claim, linked to the item or to one of its records.
 * - `evidence.published` — a derivative made public, explicitly.
 * - `evidence.reporter-sealed` (visible to the mechanism only) and `evidence.reporter-unsealed`.
 */

export const EVIDENCE_EVENT_TYPES = [
  'evidence.captured',
  'evidence.derived',
  'evidence.derivative-made',
  'evidence.viewed',
  'evidence.downloaded',
  'evidence.exported',
  'evidence.transferred',
  'evidence.access-changed',
  'evidence.analysed',
  'evidence.challenged',
  'evidence.published',
  'evidence.reporter-sealed',
  'evidence.reporter-unsealed',
] as const;
export type EvidenceEventType = (typeof EVIDENCE_EVENT_TYPES)[number];

export const streamOf = (item: string): string => `evidence/${item}`;

/** The party whose monitors hold sealed reporter identities and run the verification. */
export const MECHANISM_PARTY = 'mechanism';

/** Originals larger than this are refused (the operator may lower it; tus refuses at creation). */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 as 64 lower-case hex characters');
export const ItemId = z.string().regex(/^[0-9a-f-]{36}$/, 'an evidence item id (a UUID)');
const Instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 instant with a zone, e.g. 2026-01-07T05:40:00+02:00' });
export const Purpose = z.string().trim().min(3, 'state the purpose (at least 3 characters): it is recorded in the custody log').max(500);

export const Position = z.strictObject({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** Radius in metres within which the device placed itself (GNSS accuracy). */
  accuracy_m: z.number().min(0).max(1_000_000),
});
export type Position = z.infer<typeof Position>;

/** What the capturing device says, sent with the upload (never changed afterwards). */
export const CaptureInput = z.strictObject({
  /** The tus upload that holds the bytes. */
  upload: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'the id of a finished upload'),
  /** SHA-256 the device computed over the original bytes before upload. */
  sha256: Sha256Hex,
  filename: z.string().min(1).max(255),
  /** The media type the device declares (the browser's File.type); checked against the bytes. */
  mediaType: z.string().max(100).default(''),
  caseId: z.string().min(1).max(100).nullable().default(null),
  /** The device clock at capture. */
  deviceTime: Instant.nullable().default(null),
  position: Position.nullable().default(null),
  purpose: Purpose,
  note: z.string().max(5000).default(''),
  /** Who reported it, if they agreed to be known: sealed for the mechanism, never stored in clear. */
  reporter: z.strictObject({ name: z.string().min(1).max(200), contact: z.string().max(500).default('') }).optional(),
});
export type CaptureInput = z.infer<typeof CaptureInput>;

export const DERIVATIVE_ACTIONS = ['thumbnail', 'redaction', 'transcode', 'excerpt', 'translation'] as const;
export const DerivativeAction = z.enum(DERIVATIVE_ACTIONS);

export const DerivativeInput = z.strictObject({
  upload: CaptureInput.shape.upload,
  sha256: Sha256Hex,
  filename: CaptureInput.shape.filename,
  mediaType: CaptureInput.shape.mediaType,
  action: DerivativeAction,
  /** What was done, e.g. "faces and number plates blurred". */
  description: z.string().trim().min(3).max(2000),
  purpose: Purpose,
});
export type DerivativeInput = z.infer<typeof DerivativeInput>;

/** EXIF as read at ingest: raw camera values, kept as the camera wrote them. */
export const ExifFacts = z.object({
  /** DateTimeOriginal as written, "YYYY:MM:DD HH:MM:SS" (camera wall clock). */
  takenAt: z.string().nullable(),
  /** OffsetTimeOriginal, e.g. "+02:00", when the camera wrote one. */
  offset: z.string().nullable(),
  position: z.object({ lon: z.number(), lat: z.number() }).nullable(),
  make: z.string().nullable(),
  model: z.string().nullable(),
  software: z.string().nullable(),
});
export type ExifFacts = z.infer<typeof ExifFacts>;

export const Discrepancy = z.object({
  code: z.enum([
    'device-time-after-receipt',
    'exif-time-differs',
    'exif-position-differs',
    'exif-edited-by-software',
    'no-independent-time',
  ]),
  message: z.string(),
});
export type Discrepancy = z.infer<typeof Discrepancy>;

export const CaptureFacts = z.object({
  deviceTime: z.string().nullable(),
  position: Position.nullable(),
  receivedAt: z.string(),
  exif: ExifFacts.nullable(),
});
export type CaptureFacts = z.infer<typeof CaptureFacts>;

/** The file as the server found it: what the ingest measured, next to what the device claimed. */
export const FileFacts = z.object({
  sha256: Sha256Hex,
  clientSha256: Sha256Hex,
  bytes: z.number().int().min(0),
  mediaType: z.string(),
  declaredType: z.string(),
  filename: z.string(),
});
export type FileFacts = z.infer<typeof FileFacts>;

export const VERIFICATION_KINDS = ['source', 'technical', 'content'] as const;
export const VerificationInput = z.strictObject({
  kind: z.enum(VERIFICATION_KINDS),
  /** The day the analysis was done (may precede its recording). */
  performedOn: z.iso.date({ message: 'a calendar date, YYYY-MM-DD' }),
  method: z.string().trim().min(3).max(2000),
  finding: z.string().trim().min(3).max(10_000),
  conclusion: z.enum(['consistent', 'inconsistent', 'inconclusive']),
  purpose: Purpose.default('verification'),
});
export type VerificationInput = z.infer<typeof VerificationInput>;

export const ChallengeInput = z.strictObject({
  kind: z.enum(['challenge', 'counter-claim']),
  /** A verification record or an earlier challenge this one answers; null for the item itself. */
  refersTo: z.string().min(1).max(100).nullable().default(null),
  text: z.string().trim().min(3).max(10_000),
});
export type ChallengeInput = z.infer<typeof ChallengeInput>;

export const TransferInput = z.strictObject({
  /** The party taking custody (e.g. the special commission's secretariat). */
  to: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a party id'),
  purpose: Purpose,
});

export const AccessInput = z.strictObject({
  grant: z.array(z.string()).max(16).default([]),
  revoke: z.array(z.string()).max(16).default([]),
  purpose: Purpose,
});

export const PurposeInput = z.strictObject({ purpose: Purpose });

/** The AES-256-GCM envelope a reporter identity is kept in (keys outside the journal). */
export const SealedEnvelope = z.object({
  alg: z.literal('A256GCM'),
  keyId: z.string(),
  /** The data key, wrapped with the mechanism's key (AES-256-GCM too), base64. */
  wrappedKey: z.string(),
  wrapIv: z.string(),
  wrapTag: z.string(),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});
export type SealedEnvelope = z.infer<typeof SealedEnvelope>;
