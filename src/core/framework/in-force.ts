import { z } from 'zod';

/**
 * Entry into force. A signed version enters into force at an instant; later versions supersede it; the
 * whole may be suspended or terminated. History is kept, and every other module asks one question:
 * which rules were in force at time t — so that an incident is judged by the rules of its own day,
 * not by today's.
 */

/** An instant with its offset (Z or ±hh:mm): without one, "when" depends on the reader's zone. */
export const Instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'an instant is ISO 8601 with a zone offset, e.g. 2026-01-07T00:00:00+02:00',
  )
  .refine((s) => !Number.isNaN(Date.parse(s)), 'this instant does not exist');

export const ForceEntry = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('entry-into-force'), hash: z.string().regex(/^[0-9a-f]{64}$/), at: Instant }),
  z.strictObject({ kind: z.literal('suspension'), at: Instant, reason: z.string().max(500).optional() }),
  z.strictObject({ kind: z.literal('termination'), at: Instant, reason: z.string().max(500).optional() }),
]);
export type ForceEntry = z.infer<typeof ForceEntry>;

export interface InForce {
  readonly hash: string;
  readonly since: string;
}

/**
 * The version in force at `t`, or null (none yet, suspended, or terminated). Entries are in journal
 * order; their instants may lie in the past or the future (an entry into force scheduled for "the day
 * after the last signature"). The entry with the latest instant not after t decides; at equal
 * instants the one recorded later wins. A termination is final: nothing after it revives the text.
 */
export function rulesInForceAt(entries: readonly ForceEntry[], t: string): InForce | null {
  const when = Date.parse(t);
  if (Number.isNaN(when)) return null;
  let best: { entry: ForceEntry; ms: number } | null = null;
  let terminatedAt = Infinity;
  for (const entry of entries) {
    const ms = Date.parse(entry.at);
    if (entry.kind === 'termination') terminatedAt = Math.min(terminatedAt, ms);
    if (ms > when) continue;
    if (!best || ms >= best.ms) best = { entry, ms };
  }
  if (when >= terminatedAt) return null;
  if (!best || best.entry.kind !== 'entry-into-force') return null;
  return { hash: best.entry.hash, since: best.entry.at };
}

export interface ForcePeriod {
  readonly hash: string;
  readonly from: string;
  /** null while still in force */
  readonly until: string | null;
}

/** The periods in which each version was in force, in time order (for timelines and audits). */
export function inForceHistory(entries: readonly ForceEntry[]): ForcePeriod[] {
  const ordered = entries.map((e, i) => ({ e, i, ms: Date.parse(e.at) })).sort((a, b) => a.ms - b.ms || a.i - b.i);
  const periods: ForcePeriod[] = [];
  let open: { hash: string; from: string } | null = null;
  for (const { e } of ordered) {
    if (open) {
      periods.push({ hash: open.hash, from: open.from, until: e.at });
      open = null;
    }
    if (e.kind === 'entry-into-force') open = { hash: e.hash, from: e.at };
    if (e.kind === 'termination') break;
  }
  if (open) periods.push({ hash: open.hash, from: open.from, until: null });
  return periods.filter((p) => p.until === null || Date.parse(p.until) > Date.parse(p.from));
}
