import type { MatchKeys } from './model';

/**
 * Blind matching: one side's requested persons against the other side's held persons, by keyed
 * hashes only. Nothing here ever sees a name. Strongest evidence first: serial number, then name
 * with date of birth, then name alone when one of the two records has no readable date of birth
 * and the name is unique on the held list.
 */

export interface Keyed {
  readonly id: string;
  readonly keys: MatchKeys;
}

export type MatchBasis = 'serial-number' | 'name-and-date-of-birth' | 'name-only';

export interface Match {
  readonly requested: string;
  readonly held: string;
  readonly basis: MatchBasis;
}

export interface MatchResult {
  readonly matches: Match[];
  /** requested persons with no held record on the other side */
  readonly unmatched: string[];
  /** held records that share a serial number or name and date of birth: one person declared twice */
  readonly heldTwice: string[][];
}

function indexBy(held: readonly Keyed[], key: (k: MatchKeys) => string | null): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const h of held) {
    const k = key(h.keys);
    if (k === null) continue;
    const ids = index.get(k);
    if (ids) ids.push(h.id);
    else index.set(k, [h.id]);
  }
  return index;
}

export function matchLists(requested: readonly Keyed[], held: readonly Keyed[]): MatchResult {
  const bySerial = indexBy(held, (k) => k.serial);
  const byNameDob = indexBy(held, (k) => k.nameDob);
  const byName = indexBy(held, (k) => k.name);
  const withDob = new Set<string>();
  for (const h of held) if (h.keys.nameDob !== null) withDob.add(h.id);

  const matches: Match[] = [];
  const unmatched: string[] = [];
  const taken = new Set<string>();
  for (const r of requested) {
    let found: Match | null = null;
    const serial = r.keys.serial ? bySerial.get(r.keys.serial) : undefined;
    if (serial) found = { requested: r.id, held: serial[0]!, basis: 'serial-number' };
    if (!found && r.keys.nameDob) {
      const hit = byNameDob.get(r.keys.nameDob);
      if (hit) found = { requested: r.id, held: hit[0]!, basis: 'name-and-date-of-birth' };
    }
    if (!found) {
      const hit = byName.get(r.keys.name);
      // A name alone is evidence only when it is unique and a date of birth is missing on one side.
      if (hit && hit.length === 1 && (r.keys.nameDob === null || !withDob.has(hit[0]!))) {
        found = { requested: r.id, held: hit[0]!, basis: 'name-only' };
      }
    }
    if (found && !taken.has(found.held)) {
      taken.add(found.held);
      matches.push(found);
    } else unmatched.push(r.id);
  }
  return { matches, unmatched, heldTwice: duplicates(held) };
}

/** Groups of held records of one side that describe the same person (same serial, or same name and date). */
export function duplicates(held: readonly Keyed[]): string[][] {
  const groups: string[][] = [];
  const seen = new Set<string>();
  for (const index of [indexBy(held, (k) => k.serial), indexBy(held, (k) => k.nameDob)]) {
    for (const ids of index.values()) {
      if (ids.length < 2) continue;
      if (ids.every((id) => seen.has(id))) continue;
      ids.forEach((id) => seen.add(id));
      groups.push(ids);
    }
  }
  return groups;
}
