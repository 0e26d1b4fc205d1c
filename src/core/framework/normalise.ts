import { canonicalize } from '../journal/canonical';
import type { Alternative, Clause, Commitment, Framework, Milestone, Part, Party } from './model';

/**
 * The normalised document: what the parties sign. Two sources that mean the same thing normalise to
 * the same value, so they hash the same:
 * - defaults are filled (zod did that), alternative labels and party short names are made explicit;
 * - prose is Unicode NFC with whitespace collapsed (a folded YAML block and a quoted string carry the
 *   same words; a clause is one paragraph, so line breaks inside it carry no meaning);
 * - lists that are sets (roles, guarantors, zones covered, proposing parties…) are sorted and
 *   de-duplicated, because "proposed by UA, FR" and "proposed by FR, UA" are the same proposal.
 * Ordered lists (chapters, articles, clauses, alternatives, rungs, coordinates) keep their order.
 */
export function normaliseFramework(doc: Framework): Framework {
  return {
    format: doc.format,
    process: { ...doc.process, title: prose(doc.process.title) },
    parties: doc.parties.map(normaliseParty),
    definitions: doc.definitions.map((d) => ({ ...d, term: prose(d.term), text: prose(d.text), untranslated: set(d.untranslated) })),
    chapters: doc.chapters.map((ch) => ({
      ...ch,
      title: prose(ch.title),
      articles: ch.articles.map((a) => ({ ...a, title: prose(a.title), clauses: a.clauses.map(normaliseClause) })),
    })),
    retiredIds: set(doc.retiredIds),
  };
}

export function normaliseText(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function prose(t: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [lang, s] of Object.entries(t)) out[lang] = normaliseText(s);
  return out;
}

function set<T extends string>(xs: readonly T[]): T[] {
  return [...new Set(xs)].sort();
}

function byKey<T>(xs: readonly T[], key: (x: T) => string): T[] {
  return [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function normaliseParty(p: Party): Party {
  return { ...p, name: prose(p.name), short: p.short ?? p.id.toUpperCase(), roles: set(p.roles), members: set(p.members) };
}

/** A, B, …, Z, AA, AB, … */
export function alternativeLabel(index: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return index < 26 ? letters[index]! : letters[Math.floor(index / 26) - 1]! + letters[index % 26]!;
}

function normaliseClause(c: Clause): Clause {
  const out: Clause = {
    ...c,
    text: prose(c.text),
    untranslated: set(c.untranslated),
    alternatives: c.alternatives.map((a, i) => normaliseAlternative(a, i)),
  };
  if (c.title) out.title = prose(c.title);
  if (c.part) out.part = normalisePart(c.part);
  return out;
}

function normaliseAlternative(a: Alternative, index: number): Alternative {
  const out: Alternative = {
    ...a,
    label: a.label ?? alternativeLabel(index),
    proposedBy: set(a.proposedBy),
    text: prose(a.text),
    untranslated: set(a.untranslated),
  };
  if (a.part) out.part = normalisePart(a.part);
  return out;
}

export function normalisePart(p: Part): Part {
  switch (p.kind) {
    case 'zone':
      if (p.type === 'withdrawal-line')
        return { ...p, appliesTo: set(p.appliesTo), withdrawals: byKey(p.withdrawals, (w) => w.weaponClass) };
      return p;
    case 'commitment':
      return normaliseCommitment(p);
    case 'escalation-ladder':
      return p;
    case 'deconfliction-rule':
      return {
        ...p,
        zones: set(p.zones),
        leadTimes: byKey(p.leadTimes, (l) => l.activity),
        bufferDistances: byKey(p.bufferDistances, (b) => b.activity),
        acknowledgement: { ...p.acknowledgement, by: set(p.acknowledgement.by) },
      };
    case 'exchange-formula':
      // `sides` is ordered: a parity ratio is read in the order of the sides.
      return { ...p, categoryRules: byKey(p.categoryRules, (r) => `${String(r.order).padStart(6, '0')}:${r.category}`) };
    case 'funding-condition':
      return { ...p, requires: byKey(p.requires.map(normaliseMilestone), (m) => canonicalize(m)) };
    case 'meeting-prerequisite':
      return {
        ...p,
        requires: byKey(
          p.requires.map((r) => (r.type === 'clauses-agreed' ? { ...r, clauses: set(r.clauses) } : r)),
          (r) => canonicalize(r),
        ),
      };
  }
}

function normaliseCommitment(c: Commitment): Commitment {
  return {
    ...c,
    guarantors: set(c.guarantors),
    breachTypes: set(c.breachTypes),
    zones: set(c.zones),
    decision: { ...c.decision, vetoHolders: set(c.decision.vetoHolders) },
    constitutionalDelays: byKey(c.constitutionalDelays, (d) => d.party),
  };
}

function normaliseMilestone(m: Milestone): Milestone {
  return m.type === 'ceasefire-held' ? { ...m, zones: set(m.zones) } : m;
}
