import { fail, ok, type Result } from '../errors';
import type { ExchangeFormula, Framework } from '../framework/model';
import type { PersonRecord } from './state';

/**
 * The exchange formulas of a framework text and the check of a proposed tranche against one of
 * them. A bracketed clause carries one formula per alternative (often under the same id), so a
 * formula is found by its id and, when that is ambiguous, by the alternative.
 */

export interface FormulaOption {
  readonly formula: ExchangeFormula;
  readonly clause: string;
  readonly alternative: string | null;
}

export function exchangeFormulas(doc: Framework | null): FormulaOption[] {
  if (!doc) return [];
  const out: FormulaOption[] = [];
  for (const chapter of doc.chapters)
    for (const article of chapter.articles)
      for (const clause of article.clauses) {
        if (clause.part?.kind === 'exchange-formula') out.push({ formula: clause.part, clause: clause.id, alternative: null });
        for (const alt of clause.alternatives) {
          if (alt.part?.kind === 'exchange-formula') out.push({ formula: alt.part, clause: clause.id, alternative: alt.id });
        }
      }
  return out;
}

export function resolveFormula(options: readonly FormulaOption[], id: string, alternative: string | undefined): Result<FormulaOption> {
  const byId = options.filter((o) => o.formula.id === id);
  if (byId.length === 0) {
    const known = [...new Set(options.map((o) => o.formula.id))];
    return fail(
      'validation_failed',
      `no exchange formula "${id}" in the framework${known.length ? ` (it has: ${known.join(', ')})` : ''}`,
      '/formula',
    );
  }
  if (alternative !== undefined) {
    const chosen = byId.find((o) => o.alternative === alternative);
    return chosen
      ? ok(chosen)
      : fail(
          'validation_failed',
          `formula ${id} has no alternative ${alternative} (choose ${byId.map((o) => o.alternative ?? 'the clause').join(' or ')})`,
          '/alternative',
        );
  }
  if (byId.length > 1) {
    return fail(
      'validation_failed',
      `formula ${id} is bracketed: name the alternative (${byId.map((o) => o.alternative).join(' or ')})`,
      '/alternative',
    );
  }
  return ok(byId[0]!);
}

type Category = ExchangeFormula['categoryRules'][number]['category'];

export function inCategory(p: Pick<PersonRecord, 'category' | 'medicalPriority' | 'ageBand'>, category: Category): boolean {
  switch (category) {
    case 'seriously-wounded':
    case 'seriously-sick':
      return p.medicalPriority === category;
    case 'aged-25-and-under':
      return p.ageBand === 'under-18' || p.ageBand === '18-25';
    case 'civilian-detainee':
    case 'prisoner-of-war':
      return p.category === category;
  }
}

const CATEGORY_WORDS: Record<Category, [string, string]> = {
  'seriously-wounded': ['all seriously wounded', 'seriously-wounded'],
  'seriously-sick': ['all seriously sick', 'seriously-sick'],
  'aged-25-and-under': ['all aged 25 and under', 'aged-25-and-under'],
  'civilian-detainee': ['all civilian detainees', 'civilian-detainee'],
  'prisoner-of-war': ['all prisoners of war', 'prisoner-of-war'],
};

const persons = (n: number) => `${n} person${n === 1 ? '' : 's'}`;

export interface FormulaProblem {
  readonly rule: string;
  readonly message: string;
}

export interface FormulaCheck {
  readonly passes: boolean;
  readonly problems: FormulaProblem[];
  /** side → persons it releases in the tranche, in total and per category of the formula's rules */
  readonly counts: Record<string, { total: number; byCategory: Record<string, number> }>;
}

/** A person a side could release now: held, alive, not released, not refused, in no other tranche. */
export function eligible(p: PersonRecord, tranche: string | null = null): boolean {
  return p.list === 'held' && p.report === null && !p.exchanged && !p.refused && (p.tranche === null || p.tranche === tranche);
}

/** What `ratio` asks of counts a and b: the missing persons, named by side, or null when balanced. */
function parityShortfall(
  ratio: readonly [number, number],
  sides: readonly [string, string],
  a: number,
  b: number,
): { side: string; missing: number } | null {
  const [ra, rb] = ratio;
  if (a * rb === b * ra) return null;
  if (a * rb > b * ra) return { side: sides[1], missing: Math.ceil((a * rb) / ra) - b };
  return { side: sides[0], missing: Math.ceil((b * ra) / rb) - a };
}

/**
 * Checks the persons a tranche would release against the formula. `pool` is every held person of
 * the two sides; `chosen` maps side → the persons it releases. Every refusal names what is missing.
 */
export function checkTranche(
  formula: ExchangeFormula,
  pool: Iterable<PersonRecord>,
  chosen: Record<string, readonly PersonRecord[]>,
  tranche: string | null = null,
): FormulaCheck {
  const sides = formula.sides as unknown as [string, string];
  const problems: FormulaProblem[] = [];
  const inTranche = new Set<string>();
  for (const side of sides) for (const p of chosen[side] ?? []) inTranche.add(p.id);
  const leftOut: Record<string, PersonRecord[]> = Object.fromEntries(sides.map((s) => [s, []]));
  for (const p of pool) if (sides.includes(p.side) && eligible(p, tranche) && !inTranche.has(p.id)) leftOut[p.side]!.push(p);

  const counts: FormulaCheck['counts'] = {};
  for (const side of sides) {
    const byCategory: Record<string, number> = {};
    for (const rule of formula.categoryRules)
      byCategory[rule.category] = (chosen[side] ?? []).filter((p) => inCategory(p, rule.category)).length;
    counts[side] = { total: (chosen[side] ?? []).length, byCategory };
  }
  const [a, b] = sides;

  if (counts[a]!.total + counts[b]!.total === 0) problems.push({ rule: 'non-empty', message: 'the tranche releases nobody' });

  if (formula.trancheSize !== undefined) {
    for (const side of sides) {
      if (counts[side]!.total > formula.trancheSize) {
        problems.push({
          rule: 'tranche-size',
          message: `tranches of at most ${formula.trancheSize} per side: ${side} would release ${counts[side]!.total}, ${counts[side]!.total - formula.trancheSize} too many`,
        });
      }
    }
  }

  if (formula.basis === 'parity') {
    const ratio = formula.ratio ?? [1, 1];
    const short = parityShortfall(ratio, sides, counts[a]!.total, counts[b]!.total);
    if (short)
      problems.push({
        rule: 'parity',
        message: `parity ${ratio[0]}:${ratio[1]} needs ${short.missing} more ${short.missing === 1 ? 'person' : 'persons'} from ${short.side}`,
      });
  }

  if (formula.basis === 'all-for-all' && formula.trancheSize === undefined) {
    for (const side of sides) {
      const n = leftOut[side]!.length;
      if (n > 0)
        problems.push({
          rule: 'all-for-all',
          message: `all for all: ${persons(n)} held by ${side} ${n === 1 ? 'is' : 'are'} not in the tranche`,
        });
    }
  }

  const rules = [...formula.categoryRules].sort((x, y) => x.order - y.order);
  for (const rule of rules) {
    const [label, adjective] = CATEGORY_WORDS[rule.category];
    if (rule.rule === 'all') {
      for (const side of sides) {
        const n = leftOut[side]!.filter((p) => inCategory(p, rule.category)).length;
        if (n > 0)
          problems.push({
            rule: `category:${rule.category}`,
            message: `${label}: ${n} listed ${adjective} ${n === 1 ? 'person' : 'persons'} held by ${side} ${n === 1 ? 'is' : 'are'} not in the tranche`,
          });
      }
    } else {
      const ratio = formula.ratio ?? [1, 1];
      const short = parityShortfall(ratio, sides, counts[a]!.byCategory[rule.category]!, counts[b]!.byCategory[rule.category]!);
      if (short)
        problems.push({
          rule: `category:${rule.category}`,
          message: `${adjective} parity ${ratio[0]}:${ratio[1]} needs ${short.missing} more ${adjective} ${short.missing === 1 ? 'person' : 'persons'} from ${short.side}`,
        });
    }
    // "first": nobody of a later order travels while persons of this category are left behind.
    const later = sides.reduce(
      (n, side) => n + (chosen[side] ?? []).filter((p) => !rules.some((r) => r.order <= rule.order && inCategory(p, r.category))).length,
      0,
    );
    if (later > 0 && rule.rule !== 'all') {
      for (const side of sides) {
        const n = leftOut[side]!.filter((p) => inCategory(p, rule.category)).length;
        if (n > 0)
          problems.push({
            rule: `order:${rule.category}`,
            message: `${adjective} first: ${n} ${adjective} ${n === 1 ? 'person' : 'persons'} held by ${side} ${n === 1 ? 'is' : 'are'} left out while ${persons(later)} of later order ${later === 1 ? 'is' : 'are'} in the tranche`,
          });
      }
    }
  }
  return { passes: problems.length === 0, problems, counts };
}
