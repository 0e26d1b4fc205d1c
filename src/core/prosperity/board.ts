import type { Milestone } from '../framework/model';
import { currentDocument } from '../framework/versions';
import type { Breach } from './ceasefire';
import { fundingConditions, trancheTiming, type ConditionFacts, type Timing } from './conditions';
import type { ConditionInput } from './model';

/**
 * The conditions of many tranches, kept evaluated. A new verified breach re-evaluates only the
 * tranches it can touch: those with a ceasefire milestone in one of the breach's zones (or
 * everywhere) whose severity ceiling the breach exceeds. The rest cannot have changed, since a
 * breach only ever restarts ceasefire counts. The board keeps timings (releasable, since, unlocks at);
 * the full evaluation with its evidence is made for the tranches that flip.
 */

const EVERYWHERE = '*';

interface Entry {
  readonly conditions: readonly ConditionInput[];
  /** the ceasefire milestones among the conditions (framework ones resolved), for the breach filter */
  readonly ceasefire: readonly Extract<Milestone, { type: 'ceasefire-held' }>[];
  timing: Timing;
}

export class ConditionBoard {
  private readonly entries = new Map<string, Entry>();
  private readonly byZone = new Map<string, Set<string>>();

  constructor(private readonly facts: ConditionFacts) {}

  get size(): number {
    return this.entries.size;
  }

  /** Adds or replaces a tranche's conditions and evaluates them at t (ms). */
  put(id: string, conditions: readonly ConditionInput[], t: number): Timing {
    const ceasefire = this.ceasefireMilestones(conditions);
    const timing = trancheTiming(conditions, this.facts, t);
    this.entries.set(id, { conditions, ceasefire, timing });
    for (const m of ceasefire) {
      for (const zone of m.zones.length ? m.zones : [EVERYWHERE]) {
        let ids = this.byZone.get(zone);
        if (!ids) this.byZone.set(zone, (ids = new Set()));
        ids.add(id);
      }
    }
    return timing;
  }

  timing(id: string): Timing | undefined {
    return this.entries.get(id)?.timing;
  }

  /** Full recomputation: every tranche evaluated again at t. */
  reevaluateAll(t: number): number {
    for (const e of this.entries.values()) e.timing = trancheTiming(e.conditions, this.facts, t);
    return this.entries.size;
  }

  /**
   * Records a new verified breach and re-evaluates the tranches it can affect at t. Returns the ids
   * re-evaluated (`touched`), those whose releasability flipped, and how many were looked at.
   */
  addBreach(b: Breach, t: number): { touched: string[]; flipped: string[]; reevaluated: number } {
    this.facts.ceasefire.add(b);
    const candidates = new Set<string>(this.byZone.get(EVERYWHERE) ?? []);
    for (const z of b.zones) for (const id of this.byZone.get(z) ?? []) candidates.add(id);
    const flipped: string[] = [];
    const touched: string[] = [];
    if (b.at > t) return { touched, flipped, reevaluated: 0 };
    for (const id of candidates) {
      const e = this.entries.get(id)!;
      if (!e.ceasefire.some((m) => m.maxSeverity < b.severity && (m.zones.length === 0 || m.zones.some((z) => b.zones.includes(z)))))
        continue;
      const before = e.timing.holds;
      e.timing = trancheTiming(e.conditions, this.facts, t);
      touched.push(id);
      if (e.timing.holds !== before) flipped.push(id);
    }
    return { touched, flipped, reevaluated: touched.length };
  }

  private ceasefireMilestones(conditions: readonly ConditionInput[]): Extract<Milestone, { type: 'ceasefire-held' }>[] {
    const out: Extract<Milestone, { type: 'ceasefire-held' }>[] = [];
    const doc = currentDocument(this.facts.framework);
    for (const c of conditions) {
      if (c.type === 'ceasefire-held') out.push(c);
      else if (c.type === 'framework' && doc) {
        for (const m of fundingConditions(doc).get(c.condition)?.milestones ?? []) if (m.type === 'ceasefire-held') out.push(m);
      }
    }
    return out;
  }
}
