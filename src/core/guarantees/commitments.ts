import { canonicalize } from '../journal/canonical';
import { fail, ok, type Result } from '../errors';
import type { Commitment, EscalationRung, Framework, Part, Party, Zone } from '../framework/model';
import { alternativeLabel } from '../framework/normalise';
import { clauseSites, type ClauseSite } from '../framework/traverse';
import { nominalMs } from './duration';

/**
 * The commitments of a framework version, with their bracketed alternatives resolved.
 *
 * A framework under negotiation is several possible texts at once: each bracketed clause may end as
 * alternative A or B. For guarantees only some brackets matter — those whose alternatives differ in a
 * commitment, a ladder, or which zones exist. `variants(doc)` enumerates the texts those brackets can
 * produce; `resolveGuarantees(doc, choice)` gives one of them as plain, normalised data that the
 * coverage check and the trigger engine read. Every element keeps its clause (and alternative) and a
 * JSON pointer, so that every finding can point to the words it is about.
 */

/** Where a part comes from in the text. */
export interface PartSource {
  readonly clause: string;
  /** The alternative the part belongs to, when it comes from a bracketed choice. */
  readonly alternative: string | null;
  /** Its label (A, B, …), with `alternative`. */
  readonly label: string | null;
  /** RFC 6901 pointer to the part in the document (stable under normalisation: parts and rungs are ordered lists). */
  readonly pointer: string;
  /** The clause is not agreed (open or bracketed): the part is a proposal, not yet the text. */
  readonly provisional: boolean;
}

export interface ZoneEntry {
  readonly id: string;
  readonly type: Zone['type'];
  /** For a buffer zone: the zone it surrounds. */
  readonly along: string | null;
  readonly source: PartSource;
}

/** A rung of a commitment's ladder, flattened through `escalatesTo`, with `next` as an index. */
export interface ResolvedRung {
  /** `ladder/rung`, unique in the flattened ladder. */
  readonly key: string;
  readonly id: string;
  /** The ladder id, or `inline` for rungs written in the commitment. */
  readonly ladder: string;
  readonly action: string;
  /** A party id, or lead-responder, backup-responder, guarantors. */
  readonly owner: string;
  readonly deadline: string | null;
  /** Index of the rung that opens when the deadline passes; null on a terminal rung. */
  readonly nextIndex: number | null;
  /** Pointer to the rung in the document. */
  readonly pointer: string;
}

export interface LadderEntry {
  readonly id: string;
  readonly rungs: readonly EscalationRung[];
  readonly escalatesTo: string | null;
  readonly source: PartSource;
}

export interface ResolvedLadder {
  /** The ladder named by the commitment, or null for inline rungs. */
  readonly id: string | null;
  readonly rungs: readonly ResolvedRung[];
  /** A ladder id that the commitment (or an `escalatesTo`) names but this text does not contain. */
  readonly missing: string | null;
}

export interface ResolvedTrigger {
  readonly minSeverity: number;
  readonly count: number;
  readonly window: string | null;
  /** Nominal window length; null when count is 1 and no window is given. */
  readonly windowMs: number | null;
  readonly attributionConfidence: 'low' | 'medium' | 'high';
}

export interface ResolvedCommitment {
  readonly id: string;
  readonly source: PartSource;
  readonly guarantors: readonly string[];
  /** The guarantors with coalitions replaced by their member parties. */
  readonly guarantorMembers: readonly string[];
  readonly domain: Commitment['domain'];
  readonly breachTypes: readonly string[];
  /** Empty: not tied to a zone (it covers its domain everywhere). */
  readonly zones: readonly string[];
  readonly activation: Commitment['activation'];
  readonly trigger: ResolvedTrigger;
  readonly evidence: Commitment['evidence'];
  readonly decision: Commitment['decision'];
  readonly consultationPeriod: string | null;
  readonly leadResponder: string | null;
  readonly backupResponder: string | null;
  readonly ladder: ResolvedLadder;
  readonly constitutionalDelays: Commitment['constitutionalDelays'];
  readonly reviewDate: string | null;
}

/** A bracketed clause whose alternatives make different guarantees. */
export interface BranchingClause {
  readonly clause: string;
  readonly pointer: string;
  readonly alternatives: readonly { readonly id: string; readonly label: string }[];
}

/** Clause id → the chosen alternative (its id, or its label such as "B"). */
export type AlternativeChoice = Readonly<Record<string, string>>;

export interface Variant {
  /** Clause id → chosen alternative id, for every branching clause. */
  readonly choice: Readonly<Record<string, string>>;
  /** "c-commit-land A, c-commit-sea B"; "the text as written" without branching clauses. */
  readonly label: string;
}

export interface Variants {
  readonly branching: readonly BranchingClause[];
  readonly variants: readonly Variant[];
  /** How many texts the brackets can produce. */
  readonly combinations: number;
  /** False when there were more combinations than the limit: then each alternative is checked against the first alternatives of the others. */
  readonly complete: boolean;
}

/** One possible text, as the guarantees module reads it. */
export interface GuaranteeText {
  readonly variant: Variant;
  readonly parties: ReadonlyMap<string, Party>;
  readonly zones: ReadonlyMap<string, ZoneEntry>;
  readonly ladders: ReadonlyMap<string, LadderEntry>;
  readonly commitments: readonly ResolvedCommitment[];
}

export const DEFAULT_VARIANT_LIMIT = 64;

// ---------------------------------------------------------------------------------------------------
// Variants

interface Option {
  readonly id: string;
  readonly label: string;
  readonly part: Part | undefined;
  readonly pointer: string;
  readonly alternativeIndex: number | null;
}

function optionsOf(site: ClauseSite): Option[] {
  const c = site.clause;
  if (c.alternatives.length === 0) return [{ id: c.id, label: '', part: c.part, pointer: `${site.pointer}/part`, alternativeIndex: null }];
  // An alternative's part replaces the clause's part when it is chosen; without one, the clause's stays.
  return c.alternatives.map((alt, i) => ({
    id: alt.id,
    label: alt.label ?? alternativeLabel(i),
    part: alt.part ?? c.part,
    pointer: alt.part ? `${site.pointer}/alternatives/${i}/part` : `${site.pointer}/part`,
    alternativeIndex: alt.part ? i : null,
  }));
}

/** What of a part matters to guarantees: whole commitments and ladders; for a zone, which zone it is. */
function guaranteeSignature(part: Part | undefined): string {
  if (!part) return '';
  switch (part.kind) {
    case 'commitment':
    case 'escalation-ladder':
      return canonicalize(part);
    case 'zone':
      return canonicalize({ id: part.id, type: part.type, along: part.type === 'buffer-zone' ? (part.along ?? null) : null });
    default:
      return '';
  }
}

function liveClauses(doc: Framework): ClauseSite[] {
  return [...clauseSites(doc)].filter((s) => s.clause.status !== 'deleted');
}

/** The bracketed clauses whose alternatives differ for guarantees, in document order. */
export function branchingClauses(doc: Framework): BranchingClause[] {
  const out: BranchingClause[] = [];
  for (const site of liveClauses(doc)) {
    const options = optionsOf(site);
    if (options.length < 2) continue;
    if (new Set(options.map((o) => guaranteeSignature(o.part))).size < 2) continue;
    out.push({ clause: site.clause.id, pointer: site.pointer, alternatives: options.map((o) => ({ id: o.id, label: o.label })) });
  }
  return out;
}

function variantOf(branching: readonly BranchingClause[], picks: readonly number[]): Variant {
  const choice: Record<string, string> = {};
  const label: string[] = [];
  branching.forEach((b, i) => {
    const alt = b.alternatives[picks[i]!]!;
    choice[b.clause] = alt.id;
    label.push(`${b.clause} ${alt.label}`);
  });
  return { choice, label: label.length ? label.join(', ') : 'the text as written' };
}

/**
 * The texts that choosing A or B in each branching clause would produce. Up to `limit` combinations
 * are all enumerated; beyond that (brackets multiply), the first alternatives are taken as the
 * baseline and each other alternative is tried alone against it, which finds every finding that one
 * choice causes by itself.
 */
export function variants(doc: Framework, options: { limit?: number } = {}): Variants {
  const limit = Math.max(1, options.limit ?? DEFAULT_VARIANT_LIMIT);
  const branching = branchingClauses(doc);
  let combinations = 1;
  for (const b of branching) combinations = Math.min(Number.MAX_SAFE_INTEGER, combinations * b.alternatives.length);
  const out: Variant[] = [];
  if (combinations <= limit) {
    const picks = branching.map(() => 0);
    for (;;) {
      out.push(variantOf(branching, picks));
      let i = picks.length - 1;
      while (i >= 0 && ++picks[i]! === branching[i]!.alternatives.length) picks[i--] = 0;
      if (i < 0) break;
    }
    return { branching, variants: out, combinations, complete: true };
  }
  const base = branching.map(() => 0);
  out.push(variantOf(branching, base));
  branching.forEach((b, i) => {
    for (let a = 1; a < b.alternatives.length; a++) {
      const picks = [...base];
      picks[i] = a;
      out.push(variantOf(branching, picks));
    }
  });
  return { branching, variants: out, combinations, complete: false };
}

// ---------------------------------------------------------------------------------------------------
// Resolution

/** Parties a party stands for: a coalition's members (through nested coalitions), otherwise itself. */
export function membersOf(parties: ReadonlyMap<string, Party>, id: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const party = parties.get(p);
    if (party && party.kind === 'coalition' && party.members.length > 0) party.members.forEach(visit);
    else out.push(p);
  };
  visit(id);
  return out;
}

/** The parties that own a rung of this commitment's ladder (empty when the role is not filled). */
export function rungOwners(c: ResolvedCommitment, owner: string): string[] {
  switch (owner) {
    case 'lead-responder':
      return c.leadResponder ? [c.leadResponder] : [];
    case 'backup-responder':
      return c.backupResponder ? [c.backupResponder] : [];
    case 'guarantors':
      return [...c.guarantors];
    default:
      return [owner];
  }
}

/**
 * One text: every branching clause must be chosen (an alternative id or label). Clauses with
 * alternatives that make no difference to guarantees take their first alternative.
 */
export function resolveGuarantees(doc: Framework, choice: AlternativeChoice = {}, cache?: ResolutionCache): Result<GuaranteeText> {
  const sites = liveClauses(doc);
  const byId = new Map(sites.map((s) => [s.clause.id, s]));
  const picked = new Map<string, Option>();
  for (const [clauseId, wanted] of Object.entries(choice)) {
    const site = byId.get(clauseId);
    const pointer = `/choice/${clauseId}`;
    if (!site)
      return fail(
        'validation_failed',
        `clause "${clauseId}" does not exist (or is deleted), so no alternative of it can be chosen`,
        pointer,
      );
    const options = optionsOf(site);
    if (site.clause.alternatives.length === 0)
      return fail('validation_failed', `clause ${clauseId} has no alternatives to choose from`, pointer);
    const option = options.find((o) => o.id === wanted || o.label === wanted);
    if (!option) {
      const known = options.map((o) => `${o.label} (${o.id})`).join(', ');
      return fail('validation_failed', `clause ${clauseId} has no alternative "${wanted}" (alternatives: ${known})`, pointer);
    }
    picked.set(clauseId, option);
  }
  const branching = branchingClauses(doc);
  const open = branching.filter((b) => !picked.has(b.clause));
  if (open.length > 0) {
    const list = open.map((b) => `${b.clause} (${b.alternatives.map((a) => a.label).join(' or ')})`).join(', ');
    return fail('validation_failed', `choose an alternative of every bracketed clause that changes the guarantees: ${list}`, '/choice', {
      open: open.map((b) => b.clause),
    });
  }
  const variant = variantOf(
    branching,
    branching.map((b) => b.alternatives.findIndex((a) => a.id === picked.get(b.clause)!.id)),
  );

  const parties = new Map(doc.parties.map((p) => [p.id, p]));
  const zones = new Map<string, ZoneEntry>();
  const ladders = new Map<string, LadderEntry>();
  const commitments: { part: Commitment; source: PartSource }[] = [];
  for (const site of sites) {
    const option = picked.get(site.clause.id) ?? optionsOf(site)[0]!;
    const part = option.part;
    if (!part) continue;
    const source: PartSource = {
      clause: site.clause.id,
      alternative: option.alternativeIndex === null ? null : option.id,
      label: option.alternativeIndex === null ? null : option.label,
      pointer: option.pointer,
      provisional: site.clause.status !== 'agreed',
    };
    if (part.kind === 'zone' && !zones.has(part.id))
      zones.set(part.id, { id: part.id, type: part.type, along: part.type === 'buffer-zone' ? (part.along ?? null) : null, source });
    else if (part.kind === 'escalation-ladder' && !ladders.has(part.id))
      ladders.set(part.id, { id: part.id, rungs: part.rungs, escalatesTo: part.escalatesTo ?? null, source });
    else if (part.kind === 'commitment') commitments.push({ part, source });
  }
  return ok({
    variant,
    parties,
    zones,
    ladders,
    commitments: commitments.map(({ part, source }) => {
      // Variants share most parts: a commitment resolves once, as long as its ladders are the same.
      const hit = cache?.get(part);
      const missing = hit?.resolved.ladder.missing;
      if (hit && hit.ladders.every((l) => ladders.get(l.id) === l) && !(missing && ladders.has(missing))) return hit.resolved;
      const resolved = resolveCommitment(part, source, parties, ladders);
      cache?.set(part, {
        resolved,
        ladders: [...new Set(resolved.ladder.rungs.map((r) => r.ladder))].filter((l) => l !== 'inline').map((l) => ladders.get(l)!),
      });
      return resolved;
    }),
  });
}

/** Resolved commitments by their part, shared between the variants of one document. */
export type ResolutionCache = Map<Commitment, { resolved: ResolvedCommitment; ladders: LadderEntry[] }>;

/** Every text the brackets can produce (or the one chosen), resolved. */
export function guaranteeTexts(doc: Framework, options: { limit?: number } = {}): { variants: Variants; texts: GuaranteeText[] } {
  const all = variants(doc, options);
  const cache: ResolutionCache = new Map();
  const texts = all.variants.map((v) => {
    const r = resolveGuarantees(doc, v.choice, cache);
    // The choice comes from the document itself, so it always resolves.
    if (!r.ok) throw new Error(`internal: variant ${v.label} did not resolve: ${r.message}`);
    return r.value;
  });
  return { variants: all, texts };
}

function resolveCommitment(
  c: Commitment,
  source: PartSource,
  parties: ReadonlyMap<string, Party>,
  ladders: ReadonlyMap<string, LadderEntry>,
): ResolvedCommitment {
  const guarantorMembers = [...new Set(c.guarantors.flatMap((g) => membersOf(parties, g)))].sort();
  const window = c.trigger.window ?? null;
  return {
    id: c.id,
    source,
    guarantors: [...new Set(c.guarantors)].sort(),
    guarantorMembers,
    domain: c.domain,
    breachTypes: [...new Set(c.breachTypes)].sort(),
    zones: [...new Set(c.zones)].sort(),
    activation: c.activation,
    trigger: {
      minSeverity: c.trigger.minSeverity,
      count: c.trigger.count,
      window,
      windowMs: window === null ? null : nominalMs(window),
      attributionConfidence: c.trigger.attributionConfidence,
    },
    evidence: c.evidence,
    decision: c.decision,
    consultationPeriod: c.consultationPeriod ?? null,
    leadResponder: c.leadResponder ?? null,
    backupResponder: c.backupResponder ?? null,
    ladder: resolveLadder(c, source, ladders),
    constitutionalDelays: c.constitutionalDelays,
    reviewDate: c.reviewDate ?? null,
  };
}

/** Flattens the commitment's ladder and the ladders it escalates to into one list of rungs. */
function resolveLadder(c: Commitment, source: PartSource, ladders: ReadonlyMap<string, LadderEntry>): ResolvedLadder {
  const segments: { ladder: string; rungs: readonly EscalationRung[]; pointer: string }[] = [];
  let missing: string | null = null;
  if (typeof c.ladder === 'string') {
    const seen = new Set<string>();
    let id: string | null = c.ladder;
    while (id !== null && !seen.has(id)) {
      seen.add(id);
      const entry = ladders.get(id);
      if (!entry) {
        missing = id;
        break;
      }
      segments.push({ ladder: id, rungs: entry.rungs, pointer: `${entry.source.pointer}/rungs` });
      id = entry.escalatesTo;
    }
  } else {
    segments.push({ ladder: 'inline', rungs: c.ladder.rungs, pointer: `${source.pointer}/ladder/rungs` });
  }
  const rungs: ResolvedRung[] = [];
  let offset = 0;
  segments.forEach((seg, s) => {
    const index = new Map(seg.rungs.map((r, i) => [r.id, offset + i]));
    const nextSegmentStart = s + 1 < segments.length ? offset + seg.rungs.length : null;
    seg.rungs.forEach((r, i) => {
      // A terminal rung hands over to the ladder this one escalates to.
      const nextIndex = r.next !== undefined ? (index.get(r.next) ?? null) : nextSegmentStart;
      rungs.push({
        key: `${seg.ladder}/${r.id}`,
        id: r.id,
        ladder: seg.ladder,
        action: r.action,
        owner: r.owner,
        deadline: r.deadline ?? null,
        nextIndex,
        pointer: `${seg.pointer}/${i}`,
      });
    });
    offset += seg.rungs.length;
  });
  return { id: typeof c.ladder === 'string' ? c.ladder : null, rungs, missing };
}
