import type { FrameworkState } from '../framework/versions';
import { caseFacts, defaultSeverity, latestFinding } from '../guarantees/live/verified-case';
import type { OperationsState } from '../operations/state';

/**
 * The ceasefire record as the prosperity conditions read it: every verified breach with when it
 * happened, how severe it was and which zones of the text in force it lies in. A breach need not be
 * attributed to count: a missile that "could not be attributed" still broke the ceasefire.
 *
 * Derived from the operations projection the way the guarantees' trigger engine derives a verified
 * case (same occurredAt, severity and zones), so one incident reads the same in both modules.
 */

export interface Breach {
  readonly caseId: string;
  readonly caseNumber: number;
  readonly occurredAt: string;
  /** occurredAt in epoch ms */
  readonly at: number;
  readonly severity: number;
  readonly zones: readonly string[];
}

/** Index of the latest breach by zone; `lastBreach` answers one condition in O(log n) plus low-severity skips. */
export class CeasefireRecord {
  private readonly everywhere: Breach[] = [];
  private readonly byZone = new Map<string, Breach[]>();

  constructor(breaches: Iterable<Breach> = []) {
    // Sorted once and appended: building a record of n breaches is n log n, not n insertions.
    const sorted = [...breaches].sort((a, b) => a.at - b.at);
    for (const b of sorted) {
      this.everywhere.push(b);
      for (const z of b.zones) {
        let list = this.byZone.get(z);
        if (!list) this.byZone.set(z, (list = []));
        list.push(b);
      }
    }
  }

  get size(): number {
    return this.everywhere.length;
  }

  breaches(): readonly Breach[] {
    return this.everywhere;
  }

  add(b: Breach): void {
    insertByTime(this.everywhere, b);
    for (const z of b.zones) {
      let list = this.byZone.get(z);
      if (!list) this.byZone.set(z, (list = []));
      insertByTime(list, b);
    }
  }

  /** The latest breach at or before `t` (ms) more severe than `maxSeverity` in any of `zones` (everywhere when empty). */
  lastBreach(zones: readonly string[], maxSeverity: number, t: number): Breach | null {
    if (zones.length === 0) return latestIn(this.everywhere, maxSeverity, t);
    let best: Breach | null = null;
    for (const z of zones) {
      const found = latestIn(this.byZone.get(z), maxSeverity, t);
      if (found && (!best || found.at > best.at)) best = found;
    }
    return best;
  }

  /** Breaches in these zones (everywhere when empty) more severe than `maxSeverity`, oldest first. */
  breachesIn(zones: readonly string[], maxSeverity: number): Breach[] {
    const pool =
      zones.length === 0 ? this.everywhere : [...new Set(zones.flatMap((z) => this.byZone.get(z) ?? []))].sort((a, b) => a.at - b.at);
    return pool.filter((b) => b.severity > maxSeverity);
  }
}

function insertByTime(list: Breach[], b: Breach): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at <= b.at) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, b);
}

function latestIn(list: readonly Breach[] | undefined, maxSeverity: number, t: number): Breach | null {
  if (!list || list.length === 0) return null;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.at <= t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) if (list[i]!.severity > maxSeverity) return list[i]!;
  return null;
}

/** A verified case as a breach, or null when it is not verified (or was merged into another case). */
export function breachOf(ops: OperationsState, framework: FrameworkState, caseId: string): Breach | null {
  const kase = ops.cases.get(caseId);
  if (!kase || kase.status !== 'verified' || kase.mergedInto) return null;
  const rows = kase.reportIds.map((id) => ops.reports.get(id)).filter((r) => r !== undefined);
  if (rows.length === 0) return null;
  // Time, casualties and zones read exactly as the guarantees' trigger engine reads them.
  const { occurred: at, occurredAt, killed, injured, zones } = caseFacts(ops, framework, rows);
  const finding = latestFinding(kase);
  return {
    caseId: kase.id,
    caseNumber: kase.number,
    occurredAt,
    at,
    severity: finding?.severity ?? defaultSeverity(killed, injured),
    zones: [...zones].sort(),
  };
}

interface CachedBreach {
  readonly version: number;
  readonly forceEntries: number;
  readonly breach: Breach | null;
}
// Classifying a case's reports costs geometry; a case is derived again only when it or the force record changed.
const derived = new WeakMap<OperationsState, Map<string, CachedBreach>>();

/** The ceasefire record of the memory image: every verified breach, derived once per case version. */
export function ceasefireRecordOf(ops: OperationsState, framework: FrameworkState): CeasefireRecord {
  let cache = derived.get(ops);
  if (!cache) derived.set(ops, (cache = new Map()));
  const breaches: Breach[] = [];
  for (const kase of ops.cases.values()) {
    if (kase.status !== 'verified') continue;
    let hit = cache.get(kase.id);
    if (!hit || hit.version !== kase.version || hit.forceEntries !== framework.force.length) {
      hit = { version: kase.version, forceEntries: framework.force.length, breach: breachOf(ops, framework, kase.id) };
      cache.set(kase.id, hit);
    }
    if (hit.breach) breaches.push(hit.breach);
  }
  return new CeasefireRecord(breaches);
}
