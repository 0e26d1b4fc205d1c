import type { SignedTreeHead } from './api';

/*
 * The tree heads this browser has seen, kept in localStorage so that a later visit can ask the node to
 * prove that today's journal still extends them. This is what makes a rewritten history visible to
 * the reader and not only to the operator: the node cannot take back a head the reader already holds.
 */

/** A head as remembered: its claim and signature (time-stamp tokens are left out to keep the store small). */
export type SeenHead = Omit<SignedTreeHead, 'timestamps'>;

export const SEEN_HEADS_KEY = 'entente.audit.seen-heads.v1';
/** The oldest head is always kept (it anchors the furthest back); after it, the newest ones. */
export const SEEN_HEADS_CAP = 60;

export function sameHead(a: SeenHead, b: SeenHead): boolean {
  return a.size === b.size && a.root === b.root;
}

function remembered(head: SignedTreeHead | SeenHead): SeenHead {
  const { size, root, issuedAt, keyId, publicKey, signature } = head;
  return { size, root, issuedAt, keyId, publicKey, signature };
}

/** Adds heads not seen before; sorted by size, then issue time; bounded by `cap`. */
export function mergeSeen(seen: readonly SeenHead[], incoming: readonly (SignedTreeHead | SeenHead)[], cap = SEEN_HEADS_CAP): SeenHead[] {
  const out = [...seen];
  for (const head of incoming) if (!out.some((s) => sameHead(s, head))) out.push(remembered(head));
  out.sort((a, b) => a.size - b.size || a.issuedAt.localeCompare(b.issuedAt));
  if (out.length <= cap) return out;
  // Two heads of one size with different roots are the evidence of a fork: never drop one of them.
  const forked = new Set(conflicts(out).flatMap(([a, b]) => [a, b]));
  const keep = new Set<SeenHead>([out[0]!, ...forked]);
  for (let i = out.length - 1; i >= 0 && keep.size < cap; i--) keep.add(out[i]!);
  return out.filter((h) => keep.has(h));
}

/** Pairs of heads of the same size with different roots: proof on its face that two histories exist. */
export function conflicts(seen: readonly SeenHead[]): [SeenHead, SeenHead][] {
  const pairs: [SeenHead, SeenHead][] = [];
  for (let i = 0; i < seen.length; i++)
    for (let j = i + 1; j < seen.length; j++)
      if (seen[i]!.size === seen[j]!.size && seen[i]!.root !== seen[j]!.root) pairs.push([seen[i]!, seen[j]!]);
  return pairs;
}

/** The largest head seen, other than `except` (to check a new head against what came before it). */
export function largestBefore(seen: readonly SeenHead[], except: SeenHead): SeenHead | null {
  let best: SeenHead | null = null;
  for (const h of seen) if (!sameHead(h, except) && h.size <= except.size && (!best || h.size > best.size)) best = h;
  return best;
}

/**
 * The kept heads to prove against a new latest head: the largest one before it (every earlier head was
 * proved against that one when it was new), every kept head the node no longer lists (a rewritten
 * history drops the heads that described the old one), and every kept head larger than the latest (a
 * node whose log shrank). An honest node answers with one check on most visits.
 */
export function headsToRecheck(kept: readonly SeenHead[], latest: SeenHead, listed: readonly SeenHead[]): SeenHead[] {
  const before = largestBefore(kept, latest);
  return kept.filter((h) => !sameHead(h, latest) && (h === before || h.size > latest.size || !listed.some((l) => sameHead(l, h))));
}

const StoredHead = {
  check(value: unknown): value is SeenHead {
    if (!value || typeof value !== 'object') return false;
    const h = value as Record<string, unknown>;
    return (
      Number.isInteger(h.size) &&
      typeof h.root === 'string' &&
      /^[0-9a-f]{64}$/.test(h.root) &&
      typeof h.issuedAt === 'string' &&
      typeof h.keyId === 'string' &&
      typeof h.publicKey === 'string' &&
      typeof h.signature === 'string'
    );
  },
};

/** What the browser remembers; an unreadable store counts as nothing seen (it is never trusted blindly). */
export function loadSeen(storage: Pick<Storage, 'getItem'> | undefined): SeenHead[] {
  try {
    const raw = storage?.getItem(SEEN_HEADS_KEY);
    if (!raw) return [];
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? mergeSeen(
          [],
          parsed.filter((h) => StoredHead.check(h)),
        )
      : [];
  } catch {
    return [];
  }
}

/** Saves what was seen; false when the browser refuses (private mode, full storage). */
export function saveSeen(storage: Pick<Storage, 'setItem'> | undefined, seen: readonly SeenHead[]): boolean {
  try {
    if (!storage) return false;
    storage.setItem(SEEN_HEADS_KEY, JSON.stringify(seen));
    return true;
  } catch {
    return false;
  }
}
