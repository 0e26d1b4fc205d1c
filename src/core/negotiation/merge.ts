import { canRead } from '../access/policy';
import type { Principal } from '../access/roles';
import { canonicalize } from '../journal/canonical';
import { fail, ok, type Result } from '../errors';
import type { Alternative, Clause, Framework } from '../framework/model';
import { alternativeLabel } from '../framework/normalise';
import { clauseSites } from '../framework/traverse';
import { checkFramework } from '../framework/validate';
import { currentDocument, recordVersion, type FrameworkState } from '../framework/versions';
import type { EventDraft } from '../journal/envelope';
import type { MergeSelection } from './model';
import type { NegotiationState, Proposal, ProposalBasis } from './state';

/**
 * The next version of the framework from the proposals the mediator accepted: an amendment replaces
 * a clause's words (or one alternative's), a new alternative joins the clause's brackets, and a
 * bracket the parties settled is resolved to one alternative. Pure: the caller records the result
 * through the framework's own `recordVersion`, so the text goes through the same checks as any other.
 *
 * A proposal is merged only into the words it was written against: if the clause is gone or its
 * text changed since, the merge refuses and says what changed, rather than silently overwriting it.
 */

type Localised = Record<string, string>;

export interface AppliedProposal {
  readonly proposal: string;
  readonly clause: string;
  readonly change: 'amended-text' | 'amended-alternative' | 'added-alternative';
  /** The alternative amended, or the id the new alternative received. */
  readonly alternative: string | null;
}

export interface MergedText {
  readonly document: Framework;
  readonly applied: readonly AppliedProposal[];
  readonly resolved: readonly { readonly clause: string; readonly alternative: string }[];
}

/** What a proposal on this clause (or alternative) is written against; kept with the draft. */
export function proposalBasis(doc: Framework | null, clause: string, alternative: string | null): ProposalBasis | null {
  const found = doc ? findClause(doc, clause) : null;
  if (!found) return null;
  const alt = alternative ? found.alternatives.find((a) => a.id === alternative) : undefined;
  return { clause: { ...found.text }, alternative: alt ? { ...alt.text } : null };
}

/** The id a merged alternative receives: stable per proposal, so a preview and the merge agree. */
export function mergedAlternativeId(clause: string, proposal: string): string {
  const suffix = proposal.replace(/[^a-z0-9]/g, '').slice(0, 8) || 'x';
  return `${clause.slice(0, 64 - suffix.length - 3)}-p-${suffix}`;
}

export function mergeProposals(
  current: Framework,
  proposals: ReadonlyMap<string, Proposal>,
  selection: MergeSelection,
): Result<MergedText> {
  if (selection.proposals.length === 0 && selection.resolve.length === 0) {
    return fail('validation_failed', 'pick at least one accepted proposal or one bracket to resolve', '/proposals');
  }
  const doc = structuredClone(current) as Framework;
  const applied: AppliedProposal[] = [];
  const touched = new Map<string, string>();
  const newAlternatives = new Map<string, { clause: string; id: string }>();

  // Every proposal is judged against the text as it stands, before any of them changes it.
  const picked: Proposal[] = [];
  for (const [i, id] of selection.proposals.entries()) {
    const at = `/proposals/${i}`;
    const p = proposals.get(id);
    if (!p) return fail('not_found', `there is no proposal ${id}`, at);
    if (selection.proposals.indexOf(id) !== i) return fail('validation_failed', `proposal ${id} is picked twice`, at);
    if (p.merged) return fail('conflict', `proposal ${id} is already part of framework version ${p.merged.number}`, at);
    if (p.state !== 'accepted') return fail('invalid_transition', `proposal ${id} is ${p.state}: only accepted proposals are merged`, at);
    const clause = findClause(current, p.clause);
    if (!clause) return fail('refused', `proposal ${id} no longer applies: clause ${p.clause} is not in the current text`, at);
    const changed = basisChange(clause, p);
    if (changed) return fail('refused', `proposal ${id} no longer applies: ${changed}; table it again against the current text`, at);
    const target = p.kind === 'amendment' ? (p.alternative ?? `${p.clause}#text`) : null;
    if (target !== null) {
      const other = touched.get(target);
      if (other) {
        const what = p.alternative ? `alternative ${p.alternative}` : `the text of clause ${p.clause}`;
        return fail(
          'refused',
          `proposals ${other} and ${id} both replace ${what}: merge one, then table the other against the new text`,
          at,
        );
      }
      touched.set(target, id);
    }
    picked.push(p);
  }
  for (const [i, p] of picked.entries()) {
    const result = applyProposal(doc, findClause(doc, p.clause)!, p);
    if (!result.ok) return fail(result.code, result.message, `/proposals/${i}`);
    applied.push(result.value);
    if (result.value.change === 'added-alternative') newAlternatives.set(p.id, { clause: p.clause, id: result.value.alternative! });
  }

  const resolved: { clause: string; alternative: string }[] = [];
  for (const [i, r] of selection.resolve.entries()) {
    const clause = findClause(doc, r.clause);
    if (!clause) return fail('validation_failed', `there is no clause ${r.clause} in the current text`, `/resolve/${i}/clause`);
    if (resolved.some((x) => x.clause === r.clause))
      return fail('validation_failed', `clause ${r.clause} is resolved twice`, `/resolve/${i}/clause`);
    const fromProposal = newAlternatives.get(r.alternative);
    const altId = fromProposal && fromProposal.clause === r.clause ? fromProposal.id : r.alternative;
    const alt = clause.alternatives.find((a) => a.id === altId);
    if (!alt) {
      const options = clause.alternatives.map((a) => a.id).join(', ') || 'none';
      return fail(
        'validation_failed',
        `clause ${r.clause} has no alternative ${r.alternative} (its alternatives: ${options})`,
        `/resolve/${i}/alternative`,
      );
    }
    resolveBracket(doc, clause, alt);
    resolved.push({ clause: r.clause, alternative: altId });
  }

  // The merged text passes the same checks as a text typed by hand, or it is not offered at all.
  const checked = checkFramework(doc);
  if (!checked.document) {
    const first = checked.findings.find((f) => f.severity === 'error');
    return fail(
      'refused',
      `the merged text would not be a valid framework: ${first?.message ?? 'unknown problem'} (at ${first?.pointer || '/'})`,
    );
  }
  return ok({ document: checked.document, applied, resolved });
}

function findClause(doc: Framework, id: string): Clause | null {
  for (const site of clauseSites(doc)) if (site.clause.id === id) return site.clause;
  return null;
}

const same = (a: Readonly<Localised>, b: Readonly<Localised>) => canonicalize(a) === canonicalize(b);

function excerpt(text: Readonly<Localised>): string {
  const words = text.en ?? Object.values(text)[0] ?? '';
  return `“${words.length > 80 ? `${words.slice(0, 77)}…` : words}”`;
}

/** Why the words a proposal was written against are no longer there, or null when they are. */
function basisChange(clause: Clause, p: Proposal): string | null {
  if (p.kind === 'amendment' && p.alternative) {
    const alt = clause.alternatives.find((a) => a.id === p.alternative);
    if (!alt) return `alternative ${p.alternative} of clause ${p.clause} is gone`;
    if (p.basis?.alternative && !same(p.basis.alternative, alt.text))
      return `alternative ${p.alternative} changed since it was drafted (then ${excerpt(p.basis.alternative)}, now ${excerpt(alt.text)})`;
    return null;
  }
  if (p.basis && !same(p.basis.clause, clause.text))
    return `the text of clause ${p.clause} changed since it was drafted (then ${excerpt(p.basis.clause)}, now ${excerpt(clause.text)})`;
  return null;
}

/** The proposal's words in the framework's working languages; a language left empty is marked untranslated. */
function wordsFor(doc: Framework, text: Readonly<Localised>): { text: Localised; untranslated: string[] } {
  const out: Localised = {};
  const untranslated: string[] = [];
  for (const lang of doc.process.languages) {
    const words = text[lang]?.trim();
    if (words) out[lang] = words;
    else untranslated.push(lang);
  }
  return { text: out, untranslated };
}

function applyProposal(doc: Framework, clause: Clause, p: Proposal): Result<AppliedProposal> {
  const words = wordsFor(doc, p.text);
  if (Object.keys(words.text).length === 0) {
    return fail('refused', `proposal ${p.id} has no text in the framework's languages (${doc.process.languages.join(', ')})`);
  }
  if (p.kind === 'amendment' && p.alternative) {
    const alt = clause.alternatives.find((a) => a.id === p.alternative)!;
    alt.text = words.text;
    alt.untranslated = words.untranslated;
    return ok({ proposal: p.id, clause: clause.id, change: 'amended-alternative', alternative: alt.id });
  }
  if (p.kind === 'amendment') {
    clause.text = words.text;
    clause.untranslated = words.untranslated;
    return ok({ proposal: p.id, clause: clause.id, change: 'amended-text', alternative: null });
  }
  if (clause.alternatives.length === 0) {
    return fail('refused', `proposal ${p.id} is a new alternative, but clause ${clause.id} has no brackets any more`);
  }
  const id = mergedAlternativeId(clause.id, p.id);
  const used = new Set(clause.alternatives.map((a) => a.label));
  let index = clause.alternatives.length;
  while (used.has(alternativeLabel(index))) index++;
  const alternative: Alternative = {
    id,
    label: alternativeLabel(index),
    proposedBy: [p.party],
    text: words.text,
    untranslated: words.untranslated,
  };
  clause.alternatives.push(alternative);
  clause.status = 'bracketed';
  return ok({ proposal: p.id, clause: clause.id, change: 'added-alternative', alternative: id });
}

/**
 * A bracketed clause's text is the stem its alternatives complete ("… takes effect" + "at 00:00 …"):
 * resolving keeps stem and chosen words as one text, takes the alternative's part if it has one, and
 * retires the alternatives' ids so that they are never reused.
 */
function resolveBracket(doc: Framework, clause: Clause, chosen: Alternative): void {
  const text: Localised = {};
  const untranslated = new Set<string>([...clause.untranslated, ...chosen.untranslated]);
  for (const lang of doc.process.languages) {
    const stem = clause.text[lang];
    const words = chosen.text[lang];
    if (stem && words) text[lang] = `${stem} ${words}`;
    else untranslated.add(lang);
  }
  clause.text = text;
  clause.untranslated = [...untranslated].filter((l) => !text[l]);
  if (chosen.part) clause.part = chosen.part;
  doc.retiredIds = [...doc.retiredIds, ...clause.alternatives.map((a) => a.id).filter((id) => !doc.retiredIds.includes(id))];
  clause.alternatives = [];
  clause.status = 'agreed';
}

export interface DecidedMerge extends MergedText {
  readonly drafts: EventDraft[];
  readonly number: number;
  readonly hash: string;
  readonly previous: { readonly number: number; readonly hash: string };
}

/**
 * The merge as one append: the new framework version, recorded by the framework's own rules
 * (`recordVersion`: same process, ids never lost or reused, not a copy of an earlier version), and
 * the negotiation event naming the proposals and the hash they became.
 */
export function decideMerge(
  framework: FrameworkState,
  negotiation: NegotiationState,
  reader: Principal,
  selection: MergeSelection,
): Result<DecidedMerge> {
  const current = currentDocument(framework);
  const previous = framework.versions[framework.versions.length - 1];
  if (!current || !previous) return fail('not_found', 'there is no framework version to merge into yet');
  // A draft the reader may not see answers as a proposal that does not exist: its existence is private.
  const visible = new Map([...negotiation.proposals].filter(([, p]) => canRead(reader, p.visibility)));
  const merged = mergeProposals(current, visible, selection);
  if (!merged.ok) return merged;
  const note = selection.note || mergeNote(merged.value);
  const recorded = recordVersion(framework, merged.value.document, note);
  if (!recorded.ok) return recorded;
  const event: EventDraft = {
    stream: `negotiation-merges/${current.process.id}`,
    type: 'negotiation.proposals-merged',
    payload: {
      proposals: merged.value.applied.map((a) => a.proposal),
      applied: merged.value.applied.map((a) => ({ ...a })),
      resolved: merged.value.resolved.map((r) => ({ ...r })),
      number: recorded.value.number,
      hash: recorded.value.hash,
      previous: { number: previous.number, hash: previous.hash },
    },
    visibility: ['process'],
  };
  return ok({
    ...merged.value,
    drafts: [...recorded.value.drafts, event],
    number: recorded.value.number,
    hash: recorded.value.hash,
    previous: { number: previous.number, hash: previous.hash },
  });
}

function mergeNote(m: MergedText): string {
  const parts = [
    m.applied.length
      ? `merged ${m.applied.length} accepted proposal${m.applied.length === 1 ? '' : 's'} (${m.applied.map((a) => a.clause).join(', ')})`
      : '',
    m.resolved.length ? `resolved ${m.resolved.map((r) => `${r.clause} → ${r.alternative}`).join(', ')}` : '',
  ];
  return parts.filter(Boolean).join('; ');
}
