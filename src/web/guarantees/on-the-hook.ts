import {
  guaranteeTexts,
  resolveGuarantees,
  rungOwners,
  type GuaranteeText,
  type ResolvedCommitment,
} from '../../core/guarantees/commitments';
import type { Framework } from '../../core/framework/model';

/*
 * "What am I on the hook for": the commitments of the text in force that bind one party — as lead or
 * backup responder, as a guarantor (itself or through a coalition it belongs to), or as the owner of a
 * rung — with the rungs it owns. Pure; the page feeds it the document in force.
 */

export type HookRole = 'lead' | 'backup' | 'guarantor' | 'owner';

export interface HookRung {
  readonly id: string;
  readonly action: string;
  readonly deadline: string | null;
}

export interface HookEntry {
  readonly commitment: ResolvedCommitment;
  readonly roles: readonly HookRole[];
  readonly rungs: readonly HookRung[];
}

/** The text in force: with brackets still open, the first alternative of each, as the trigger engine judges it. */
export function textInForce(doc: Framework): GuaranteeText | null {
  const resolved = resolveGuarantees(doc);
  return resolved.ok ? resolved.value : (guaranteeTexts(doc, { limit: 1 }).texts[0] ?? null);
}

export function onTheHook(text: GuaranteeText, party: string): HookEntry[] {
  // A party acts for the coalitions it belongs to: a rung owned by the coalition is also its rung.
  const mine = (ids: readonly string[]) => ids.some((id) => id === party || (text.parties.get(id)?.members ?? []).includes(party));
  const out: HookEntry[] = [];
  for (const c of text.commitments) {
    const roles: HookRole[] = [];
    if (c.leadResponder && mine([c.leadResponder])) roles.push('lead');
    if (c.backupResponder && mine([c.backupResponder])) roles.push('backup');
    if (c.guarantorMembers.includes(party) || mine(c.guarantors)) roles.push('guarantor');
    const rungs = c.ladder.rungs
      .filter((r) => mine(rungOwners(c, r.owner)))
      .map((r) => ({ id: r.id, action: r.action, deadline: r.deadline }));
    if (rungs.length > 0 && roles.length === 0) roles.push('owner');
    if (roles.length > 0) out.push({ commitment: c, roles, rungs });
  }
  return out;
}
