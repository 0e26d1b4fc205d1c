import { z } from 'zod';

/**
 * The negotiating workspace's shared vocabulary (issue 6). Both halves of the workspace (core/API
 * and the screens) build to these names; extend by adding, never by renaming.
 *
 * Event types and streams:
 * - `position.recorded` (stream `position/<party>/<clause>`): a party's stance on a clause or on one
 *   of its alternatives. Visibility follows `sharing`: own → [`party:<p>`], mediator →
 *   [`party:<p>`, `mediator`], all → [`process`].
 * - `proposal.drafted` (visible to the drafting party only), `proposal.tabled`, `proposal.accepted`,
 *   `proposal.rejected`, `proposal.withdrawn`, `proposal.retabled` (visible to `process`; they carry
 *   the whole proposal so that readers who never saw the draft learn it when it is tabled), all in
 *   stream `proposal/<id>`.
 * - `comment.posted` (stream `comments/<clause>`), with the same sharing labels as positions.
 * - `negotiation.proposals-merged` (stream `negotiation-merges/<process>`, visible to `process`):
 *   appended with the `framework.version-recorded` it produced, naming the proposals and the hash.
 */

/** The 8-point gradient of agreement, stored as a code; its point is the index + 1. */
export const GRADIENT = [
  'endorse',
  'agree-minor',
  'support-reservations',
  'abstain',
  'more-discussion',
  'dislike-but-support',
  'serious-disagreement',
  'block',
] as const;
export const Gradient = z.enum(GRADIENT);
export type Gradient = z.infer<typeof Gradient>;

export const gradientPoint = (g: Gradient): number => GRADIENT.indexOf(g) + 1;
/** Codes 1–3: a party that rates an alternative this well can live with it (the ZOPA threshold). */
export const ACCEPTABLE_UP_TO = 3;

export const SHARINGS = ['own', 'mediator', 'all'] as const;
export const Sharing = z.enum(SHARINGS);
export type Sharing = z.infer<typeof Sharing>;

export function sharingVisibility(sharing: Sharing, party: string): string[] {
  if (sharing === 'all') return ['process'];
  if (sharing === 'mediator') return [`party:${party}`, 'mediator'];
  return [`party:${party}`];
}

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'an id is lower-case letters, digits and dashes');
const IsoDate = z.iso.date({ message: 'a calendar date, YYYY-MM-DD' });

export const PositionInput = z.strictObject({
  clause: Id,
  alternative: Id.nullable().default(null),
  gradient: Gradient,
  reason: z.string().max(5000).default(''),
  redLine: z.string().min(1).max(2000).nullable().default(null),
  sharing: Sharing,
  /**
   * The date the stance was taken at the table, when it is recorded later (minutes of a meeting
   * typed in afterwards, the demo's January rounds). The trend groups by this date, not by when the
   * event was recorded; absent, the recording date counts.
   */
  asOf: IsoDate.optional(),
});
export type PositionInput = z.infer<typeof PositionInput>;

export const PositionPayload = z.object({
  clause: z.string(),
  alternative: z.string().nullable(),
  gradient: Gradient,
  reason: z.string(),
  redLine: z.string().nullable(),
  sharing: Sharing,
  party: z.string(),
  asOf: z.string().optional(),
});
export type PositionPayload = z.infer<typeof PositionPayload>;

export const PROPOSAL_KINDS = ['alternative', 'amendment'] as const;
export const ProposalInput = z.strictObject({
  clause: Id,
  kind: z.enum(PROPOSAL_KINDS),
  /** For an amendment: the alternative whose words it replaces; null amends the clause's own text. */
  alternative: Id.nullable().default(null),
  text: z.strictObject({ en: z.string().min(1).max(20_000), uk: z.string().max(20_000).default('') }),
  note: z.string().max(5000).default(''),
});
export type ProposalInput = z.infer<typeof ProposalInput>;

export const PROPOSAL_STATES = ['draft', 'tabled', 'accepted', 'rejected', 'withdrawn'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const CommentInput = z.strictObject({ clause: Id, text: z.string().min(1).max(10_000), sharing: Sharing });
export type CommentInput = z.infer<typeof CommentInput>;

export const NEGOTIATION_EVENT_TYPES = [
  'position.recorded',
  'proposal.drafted',
  'proposal.tabled',
  'proposal.accepted',
  'proposal.rejected',
  'proposal.withdrawn',
  'proposal.retabled',
  'comment.posted',
  'negotiation.proposals-merged',
] as const;

/** The mediator's pick for the next version: accepted proposals, and brackets to resolve. */
export const MergeSelection = z.strictObject({
  proposals: z.array(z.string().min(1).max(100)).max(500).default([]),
  /**
   * Brackets to close: the clause keeps the chosen alternative's words (after its stem) and loses
   * the others. `alternative` is an alternative's id, or the id of an accepted proposal of kind
   * alternative merged in the same step.
   */
  resolve: z
    .array(z.strictObject({ clause: Id, alternative: z.string().min(1).max(100) }))
    .max(500)
    .default([]),
  note: z.string().max(2000).default(''),
});
export type MergeSelection = z.infer<typeof MergeSelection>;
