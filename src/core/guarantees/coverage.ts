import type { Framework, Party } from '../framework/model';
import { partSites } from '../framework/traverse';
import {
  guaranteeTexts,
  membersOf,
  rungOwners,
  type GuaranteeText,
  type ResolvedCommitment,
  type Variants,
  type ZoneEntry,
} from './commitments';
import { formatDuration } from './duration';

/**
 * The coverage check, run before anyone signs: who responds to which breach, where — and where nobody
 * does. It builds the matrix breach type × domain × zone → lead and backup responders for every text
 * the brackets can produce, and reports what would fail on the ground.
 *
 * Relevance — which cells must have a responder — is defined from the document, not from one variant,
 * so that a choice that drops a zone or a breach type shows up as a gap:
 * - a zone belongs to a domain when its type is that domain's (airspace area → air, maritime corridor →
 *   sea, contact line → land), when a commitment of that domain names it in any alternative, or when it
 *   is a buffer zone along a zone that belongs to the domain (the corridor's buffer is protected at sea);
 *   withdrawal lines are distance rules measured from another zone and are judged in that zone;
 * - the breach types of a domain are those that any commitment of the domain names in any alternative;
 * - a cell (type, domain, zone) is relevant in a text when its zone exists in that text; a domain with a
 *   commitment tied to no zone (e.g. cyber) also has the cell (type, domain, anywhere).
 * A commitment covers its breach types in its zones; one tied to no zone covers its domain everywhere.
 * Live, a case lies in the zones `addCaseZones` (live/verified-case.ts) gives it: a point in a corridor's
 * protected distance lies in the buffer zone drawn along the corridor, not in the corridor, so a gap
 * found here for that buffer zone is a breach that reaches nobody on the ground.
 */

export const FINDING_CODES = [
  'gap',
  'dead-end',
  'missing-backup',
  'overlap',
  'conflict-party-veto',
  'ambiguous-trigger',
  'unreachable-trigger',
  'circular-activation',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

/** Codes that block signing: `entente coverage` exits 1 when one of these is found. */
export const BLOCKING_CODES: readonly FindingCode[] = ['gap', 'dead-end'];

export type CoverageSeverity = 'error' | 'warning';

export interface Cell {
  readonly breachType: string;
  readonly domain: ResolvedCommitment['domain'];
  /** null: not tied to a zone (the domain anywhere). */
  readonly zone: string | null;
}

export interface CoverageFinding {
  readonly code: FindingCode;
  readonly severity: CoverageSeverity;
  /** One sentence; starts with the condition ("under alternative B of clause c-commit-sea: …") when it has one. */
  readonly message: string;
  /** Clause ids the finding is about, the most useful (where the fix goes) first. */
  readonly clauses: readonly string[];
  /** JSON pointers into the document, in the same order (for positions in the source). */
  readonly pointers: readonly string[];
  readonly cells: readonly Cell[];
  readonly commitments: readonly string[];
  /** Labels of the variants in which it holds. */
  readonly variants: readonly string[];
  /** null when it holds in every variant; otherwise "under alternative B of clause c-commit-sea". */
  readonly condition: string | null;
}

export interface MatrixResponder {
  readonly party: string;
  readonly commitment: string;
  readonly clause: string;
}

export interface MatrixCell extends Cell {
  readonly leads: readonly MatrixResponder[];
  readonly backups: readonly MatrixResponder[];
}

export interface CoverageMatrix {
  readonly variant: string;
  readonly cells: readonly MatrixCell[];
}

export interface CoverageReport {
  readonly variants: Variants;
  readonly findings: readonly CoverageFinding[];
  /** One matrix per variant, relevant cells only (what the heatmap draws). */
  readonly matrices: readonly CoverageMatrix[];
  /** A gap or dead end exists in some variant. */
  readonly blocking: boolean;
}

export interface CoverageOptions {
  /** Most variants enumerated in full (see `variants`). */
  readonly variantLimit?: number;
  /** The types that verified cases carry (e.g. the report types of operations); null: not checked. */
  readonly breachTypeVocabulary?: readonly string[] | null;
  /**
   * Most verified, attributed breaches the verifier can establish per day for one commitment: a
   * trigger that needs more within its window cannot be met. Default 24.
   */
  readonly maxVerifiedPerDay?: number;
  /** Top of the severity scale. Default 5. */
  readonly maxSeverity?: number;
  /** Zones each verifier can reach (from access agreements or denials); a verifier not listed is not checked. */
  readonly verifierAccess?: Readonly<Record<string, readonly string[]>>;
}

const DAY_MS = 86_400_000;
const CONFIDENCE_RANK = { low: 1, medium: 2, high: 3 } as const;

// ---------------------------------------------------------------------------------------------------

export function checkCoverage(doc: Framework, options: CoverageOptions = {}): CoverageReport {
  const { variants, texts } = guaranteeTexts(doc, options.variantLimit === undefined ? {} : { limit: options.variantLimit });
  const relevance = relevanceOf(doc);
  const clauseOrder = new Map<string, number>();
  let n = 0;
  for (const ch of doc.chapters) for (const a of ch.articles) for (const c of a.clauses) clauseOrder.set(c.id, n++);

  // Ambiguity compares pairs of commitments, the costly part. When the brackets leave the zones alone
  // (the usual case), it runs once over every distinct commitment of every variant, each pair judged
  // for the variants that hold both, instead of once per variant.
  const sameZones = texts.every((t) => zoneSignature(t) === zoneSignature(texts[0]!));
  const analyses = texts.map((t) => analyse(t, relevance, options, !sameZones));
  const merged = new Map<string, { raw: RawFinding; variants: Set<number>; cells: Map<string, Cell> }>();
  const add = (raw: RawFinding, vs: Iterable<number>) => {
    const m = merged.get(raw.key);
    if (m) {
      for (const v of vs) m.variants.add(v);
      for (const c of raw.cells) m.cells.set(cellKey(c), c);
    } else merged.set(raw.key, { raw, variants: new Set(vs), cells: new Map(raw.cells.map((c) => [cellKey(c), c])) });
  };
  analyses.forEach((a, v) => a.findings.forEach((raw) => add(raw, [v])));
  if (sameZones && texts.length > 0) {
    const distinct = new Map<string, { c: ResolvedCommitment; variants: number[]; cells: Cell[] }>();
    analyses.forEach((a, v) => {
      for (const c of texts[v]!.commitments) {
        const d = distinct.get(c.source.pointer);
        if (d) d.variants.push(v);
        else distinct.set(c.source.pointer, { c, variants: [v], cells: a.cellsOf.get(c) ?? [] });
      }
    });
    const list = [...distinct.values()];
    const found = ambiguities(
      list.map((d) => d.c),
      texts[0]!,
      new Map(list.map((d) => [d.c, d.cells])),
      list.map((d) => d.variants),
    );
    for (const { raw, variants: vs } of found) add(raw, vs);
  }

  const describe = (set: ReadonlySet<number>) => describeVariants(variants, set);
  const findings: CoverageFinding[] = [];
  // Cell findings (gaps, missing backups) are grouped per zone, domain and the variants they hold in.
  const groups = new Map<string, { raws: RawFinding[]; variants: Set<number> }>();
  for (const m of merged.values()) {
    const { raw } = m;
    if (raw.cellGroup) {
      const key = `${raw.cellGroup}|${[...m.variants].sort((a, b) => a - b).join(',')}`;
      const g = groups.get(key) ?? { raws: [], variants: m.variants };
      g.raws.push(raw);
      groups.set(key, g);
      continue;
    }
    const condition = describe(m.variants);
    findings.push(finish(raw, [...m.cells.values()], m.variants, condition, variants));
  }
  for (const g of groups.values()) {
    const first = g.raws[0]!;
    const cells = g.raws.flatMap((r) => r.cells);
    const types = [...new Set(cells.map((c) => c.breachType))].sort();
    const elsewhere = coveredElsewhere(first, cells, analyses, g.variants, describe);
    const raw: RawFinding = {
      ...first,
      message: first.cellMessage!(types, elsewhere),
      commitments: [...new Set(g.raws.flatMap((r) => r.commitments))],
    };
    findings.push(finish(raw, cells, g.variants, describe(g.variants), variants));
  }

  const codeRank = new Map(FINDING_CODES.map((c, i) => [c, i]));
  findings.sort(
    (a, b) =>
      codeRank.get(a.code)! - codeRank.get(b.code)! ||
      (clauseOrder.get(a.clauses[0] ?? '') ?? 0) - (clauseOrder.get(b.clauses[0] ?? '') ?? 0) ||
      a.message.localeCompare(b.message),
  );
  return {
    variants,
    findings,
    matrices: analyses.map((a, v) => ({ variant: variants.variants[v]!.label, cells: a.matrix })),
    blocking: findings.some((f) => BLOCKING_CODES.includes(f.code)),
  };
}

function finish(raw: RawFinding, cells: Cell[], set: ReadonlySet<number>, condition: string | null, variants: Variants): CoverageFinding {
  const message = condition ? `${condition}: ${raw.message}` : raw.message;
  const clauses: string[] = [];
  const pointers: string[] = [];
  raw.places.forEach((p) => {
    if (!pointers.includes(p.pointer)) {
      pointers.push(p.pointer);
      if (!clauses.includes(p.clause)) clauses.push(p.clause);
    }
  });
  return {
    code: raw.code,
    severity: BLOCKING_CODES.includes(raw.code) ? 'error' : 'warning',
    message,
    clauses,
    pointers,
    cells: cells.sort(compareCells),
    commitments: raw.commitments,
    variants: [...set].sort((a, b) => a - b).map((i) => variants.variants[i]!.label),
    condition,
  };
}

function compareCells(a: Cell, b: Cell): number {
  return a.domain.localeCompare(b.domain) || (a.zone ?? '').localeCompare(b.zone ?? '') || a.breachType.localeCompare(b.breachType);
}

function cellKey(c: Cell): string {
  return `${c.domain}\u0000${c.zone ?? ''}\u0000${c.breachType}`;
}

/**
 * "under alternative B of clause c-commit-sea" — the smallest set of choices that makes a finding
 * hold, when the variants it holds in are exactly those choices; otherwise the variants one by one.
 */
export function describeVariants(variants: Variants, set: ReadonlySet<number>): string | null {
  const all = variants.variants;
  if (set.size === all.length) return null;
  const chosen = [...set].map((i) => all[i]!);
  const parts: string[] = [];
  const constraints: { clause: string; allowed: Set<string> }[] = [];
  for (const b of variants.branching) {
    const allowed = new Set(chosen.map((v) => v.choice[b.clause]!));
    if (allowed.size === b.alternatives.length) continue;
    constraints.push({ clause: b.clause, allowed });
    const labels = b.alternatives.filter((a) => allowed.has(a.id)).map((a) => a.label);
    parts.push(`alternative${labels.length > 1 ? 's' : ''} ${labels.join(' or ')} of clause ${b.clause}`);
  }
  const matching = all.filter((v) => constraints.every((c) => c.allowed.has(v.choice[c.clause]!))).length;
  if (parts.length > 0 && matching === set.size) return `under ${parts.join(' and ')}`;
  return `under ${chosen.map((v) => `(${v.label})`).join(' or ')}`;
}

// ---------------------------------------------------------------------------------------------------
// Relevance, from the whole document

interface Relevance {
  readonly namedBy: ReadonlyMap<string, ReadonlySet<Cell['domain']>>;
  readonly types: ReadonlyMap<Cell['domain'], readonly string[]>;
  readonly zoneLess: ReadonlySet<Cell['domain']>;
}

const NATURAL_DOMAIN: Partial<Record<ZoneEntry['type'], Cell['domain']>> = {
  'airspace-area': 'air',
  'maritime-corridor': 'sea',
  'contact-line': 'land',
};

function relevanceOf(doc: Framework): Relevance {
  const namedBy = new Map<string, Set<Cell['domain']>>();
  const types = new Map<Cell['domain'], Set<string>>();
  const zoneLess = new Set<Cell['domain']>();
  for (const site of partSites(doc)) {
    const part = site.part;
    if (part.kind !== 'commitment' || site.clause.status === 'deleted') continue;
    const t = types.get(part.domain) ?? new Set<string>();
    part.breachTypes.forEach((b) => t.add(b));
    types.set(part.domain, t);
    if (part.zones.length === 0) zoneLess.add(part.domain);
    for (const z of part.zones) {
      const s = namedBy.get(z) ?? new Set<Cell['domain']>();
      s.add(part.domain);
      namedBy.set(z, s);
    }
  }
  return { namedBy, types: new Map([...types].map(([d, s]) => [d, [...s].sort()])), zoneLess };
}

function domainsOfZone(zone: ZoneEntry, text: GuaranteeText, relevance: Relevance): Set<Cell['domain']> {
  const out = new Set<Cell['domain']>();
  const seen = new Set<string>();
  let z: ZoneEntry | undefined = zone;
  while (z && !seen.has(z.id)) {
    seen.add(z.id);
    const natural = NATURAL_DOMAIN[z.type];
    if (natural) out.add(natural);
    relevance.namedBy.get(z.id)?.forEach((d) => out.add(d));
    z = z.along ? text.zones.get(z.along) : undefined;
  }
  return out;
}

/** Zones `id` lies inside or along (itself, and the zones it is a buffer along). */
function zoneChain(id: string, text: GuaranteeText): string[] {
  const out: string[] = [];
  let z = text.zones.get(id);
  while (z && !out.includes(z.id)) {
    out.push(z.id);
    z = z.along ? text.zones.get(z.along) : undefined;
  }
  return out.length ? out : [id];
}

// ---------------------------------------------------------------------------------------------------
// One text

interface Place {
  readonly clause: string;
  readonly pointer: string;
}

interface RawFinding {
  readonly key: string;
  readonly code: FindingCode;
  readonly message: string;
  readonly places: readonly Place[];
  readonly cells: readonly Cell[];
  readonly commitments: readonly string[];
  /** Set for cell findings: grouped by this key, with the message rebuilt from the grouped types. */
  readonly cellGroup?: string;
  readonly cellMessage?: (types: readonly string[], elsewhere: string | null) => string;
}

interface Analysis {
  readonly findings: RawFinding[];
  readonly matrix: MatrixCell[];
  readonly cover: ReadonlyMap<string, readonly ResolvedCommitment[]>;
  readonly cellsOf: ReadonlyMap<ResolvedCommitment, Cell[]>;
}

function zoneSignature(text: GuaranteeText): string {
  return [...text.zones.values()]
    .map((z) => `${z.id}:${z.type}:${z.along ?? ''}`)
    .sort()
    .join('|');
}

const place = (c: ResolvedCommitment): Place => ({ clause: c.source.clause, pointer: c.source.pointer });
const zonePlace = (z: ZoneEntry): Place => ({ clause: z.source.clause, pointer: z.source.pointer });

function partyName(parties: ReadonlyMap<string, Party>, id: string): string {
  return parties.get(id)?.name['en'] ? `${id} (${parties.get(id)!.name['en']})` : id;
}

function zoneLabel(text: GuaranteeText, zone: string | null): string {
  if (zone === null) return 'anywhere (no zone)';
  const z = text.zones.get(zone);
  if (!z) return `zone ${zone}`;
  const kind = z.type.replace(/-/g, ' ');
  return z.along ? `zone ${zone} (${kind} along ${z.along})` : `zone ${zone} (${kind})`;
}

function hasRole(parties: ReadonlyMap<string, Party>, id: string, role: Party['roles'][number]): boolean {
  const p = parties.get(id);
  if (p?.roles.includes(role)) return true;
  for (const q of parties.values()) if (q.kind === 'coalition' && q.members.includes(id) && q.roles.includes(role)) return true;
  return false;
}

function analyse(text: GuaranteeText, relevance: Relevance, options: CoverageOptions, withAmbiguities: boolean): Analysis {
  const findings: RawFinding[] = [];
  const { parties } = text;

  // -- the matrix ---------------------------------------------------------------------------------
  const zonesOfDomain = new Map<Cell['domain'], string[]>();
  for (const zone of text.zones.values()) {
    for (const d of domainsOfZone(zone, text, relevance)) {
      const list = zonesOfDomain.get(d) ?? [];
      list.push(zone.id);
      zonesOfDomain.set(d, list);
    }
  }
  const relevant = new Map<string, Cell>();
  for (const [domain, types] of relevance.types) {
    const zones: (string | null)[] = [...(zonesOfDomain.get(domain) ?? [])];
    if (relevance.zoneLess.has(domain)) zones.push(null);
    for (const zone of zones)
      for (const breachType of types) {
        const cell = { breachType, domain, zone };
        relevant.set(cellKey(cell), cell);
      }
  }
  const cover = new Map<string, ResolvedCommitment[]>();
  const cellsOf = new Map<ResolvedCommitment, Cell[]>();
  for (const c of text.commitments) {
    const zones: (string | null)[] = c.zones.length
      ? c.zones.filter((z) => text.zones.has(z))
      : [null, ...(zonesOfDomain.get(c.domain) ?? [])];
    const cells: Cell[] = [];
    for (const zone of zones)
      for (const breachType of c.breachTypes) {
        const cell = { breachType, domain: c.domain, zone };
        cells.push(cell);
        const key = cellKey(cell);
        const list = cover.get(key) ?? [];
        list.push(c);
        cover.set(key, list);
      }
    cellsOf.set(c, cells);
  }
  const matrix: MatrixCell[] = [];
  for (const [key, cell] of relevant) {
    const commitments = cover.get(key) ?? [];
    const leads = commitments
      .filter((c) => c.leadResponder)
      .map((c) => ({ party: c.leadResponder!, commitment: c.id, clause: c.source.clause }));
    const backups = commitments
      .filter((c) => c.backupResponder && c.backupResponder !== c.leadResponder)
      .map((c) => ({ party: c.backupResponder!, commitment: c.id, clause: c.source.clause }));
    matrix.push({ ...cell, leads, backups });
    const zone = cell.zone === null ? null : (text.zones.get(cell.zone) ?? null);
    const group = `${cell.domain}|${cell.zone ?? ''}`;
    if (leads.length === 0) {
      const without = commitments.map((c) => c.id);
      findings.push({
        key: `gap|${key}`,
        code: 'gap',
        message: '',
        places: [
          ...(commitments.length ? commitments : text.commitments.filter((c) => c.domain === cell.domain)).map(place),
          ...(zone ? [zonePlace(zone)] : []),
        ],
        cells: [cell],
        commitments: without,
        cellGroup: `gap|${group}`,
        cellMessage: (types, elsewhere) =>
          `no lead responder for ${cell.domain} breaches ${types.join(', ')} in ${zoneLabel(text, cell.zone)}: ` +
          (without.length
            ? `${without.join(', ')} cover${without.length === 1 ? 's' : ''} it but name${without.length === 1 ? 's' : ''} no lead responder`
            : 'no commitment covers it') +
          (elsewhere ? `; ${elsewhere}` : ''),
      });
    } else if (backups.length === 0) {
      const leading = commitments.filter((c) => c.leadResponder);
      findings.push({
        key: `missing-backup|${key}`,
        code: 'missing-backup',
        message: '',
        places: leading.map(place),
        cells: [cell],
        commitments: leading.map((c) => c.id),
        cellGroup: `missing-backup|${group}`,
        cellMessage: (types) =>
          `no backup responder for ${cell.domain} breaches ${types.join(', ')} in ${zoneLabel(text, cell.zone)}: ` +
          `if ${leads.map((l) => l.party).join(' and ')} cannot act, nobody is bound to (${leading.map((c) => c.id).join(', ')})`,
      });
    }
  }

  // -- overlaps: two leads or more on one cell, grouped by the commitments that lead there -------------
  const overlaps = new Map<string, { leading: ResolvedCommitment[]; cells: Cell[] }>();
  for (const [key, list] of cover) {
    const leading = list.filter((c) => c.leadResponder);
    if (leading.length < 2) continue;
    leading.sort((x, y) => x.id.localeCompare(y.id));
    const ok = leading.map((c) => `${c.id}:${c.leadResponder}`).join('|');
    const o = overlaps.get(ok) ?? { leading, cells: [] };
    o.cells.push(relevant.get(key) ?? cellFromKey(key));
    overlaps.set(ok, o);
  }
  for (const [ok, { leading, cells }] of overlaps) {
    const where = summariseCells(cells, text);
    const leads = [...new Set(leading.map((c) => c.leadResponder!))];
    const both = leading.length === 2 ? 'both' : 'all';
    const listed = (xs: string[]) =>
      xs.length === 2 ? `${xs[0]} and ${xs[1]}` : `${xs.slice(0, 6).join(', ')}${xs.length > 6 ? ` and ${xs.length - 6} more` : ''}`;
    findings.push({
      key: `overlap|${ok}`,
      code: 'overlap',
      message:
        leads.length === 1
          ? `${listed(leading.map((c) => c.id))} ${both} cover ${where}, ${both} led by ${leads[0]}: one breach would open ${leading.length} escalations`
          : `${listed(leading.map((c) => `${c.id} (lead ${c.leadResponder})`))} ${both} lead on ${where}: one breach would have ${leads.length} leads`,
      places: leading.map(place),
      cells,
      commitments: leading.map((c) => c.id),
    });
  }

  // -- per commitment: vetoes, reachability --------------------------------------------------------
  const byId = new Map(text.commitments.map((c) => [c.id, c]));
  const maxSeverity = options.maxSeverity ?? 5;
  const perDay = options.maxVerifiedPerDay ?? 24;
  const vocabulary = options.breachTypeVocabulary ? new Set(options.breachTypeVocabulary) : null;
  for (const c of text.commitments) {
    const cells = cellsOf.get(c) ?? [];
    for (const holder of c.decision.vetoHolders) {
      const conflict = [holder, ...membersOf(parties, holder)].filter(
        (p, i, all) => all.indexOf(p) === i && parties.get(p)?.roles.includes('party-to-conflict'),
      );
      if (conflict.length === 0) continue;
      const via = conflict.includes(holder) ? '' : ` through its member${conflict.length > 1 ? 's' : ''} ${conflict.join(', ')}`;
      findings.push({
        key: `conflict-party-veto|${c.id}|${holder}`,
        code: 'conflict-party-veto',
        message: `${c.id}: ${partyName(parties, holder)} holds a veto over the decision${via}, and is a party to the conflict: it can stop the response to its own breach`,
        places: [place(c)],
        cells,
        commitments: [c.id],
      });
    }
    if (c.decision.rule === 'one' && c.decision.decider && parties.get(c.decision.decider)?.roles.includes('party-to-conflict')) {
      findings.push({
        key: `conflict-party-veto|${c.id}|decider`,
        code: 'conflict-party-veto',
        message: `${c.id}: ${partyName(parties, c.decision.decider)} decides alone whether to respond, and is a party to the conflict: a decision not to act is a veto`,
        places: [place(c)],
        cells,
        commitments: [c.id],
      });
    }

    const v = c.evidence.verifier;
    if (!hasRole(parties, v, 'monitor')) {
      findings.push({
        key: `unreachable-trigger|verifier|${c.id}`,
        code: 'unreachable-trigger',
        message: `${c.id}: the evidence must be verified by ${partyName(parties, v)}, which is not a monitor of the process: no verified case will come from it`,
        places: [place(c)],
        cells,
        commitments: [c.id],
      });
    }
    const access = options.verifierAccess?.[v];
    if (access) {
      for (const z of c.zones.filter((z) => text.zones.has(z) && !access.includes(z))) {
        findings.push({
          key: `unreachable-trigger|access|${c.id}|${z}`,
          code: 'unreachable-trigger',
          message: `${c.id}: the verifier ${v} has no access to ${zoneLabel(text, z)}: a breach there cannot be verified, so it cannot trigger`,
          places: [place(c), ...(text.zones.get(z) ? [zonePlace(text.zones.get(z)!)] : [])],
          cells: cells.filter((cell) => cell.zone === z),
          commitments: [c.id],
        });
      }
    }
    if (c.trigger.minSeverity > maxSeverity) {
      findings.push({
        key: `unreachable-trigger|severity|${c.id}`,
        code: 'unreachable-trigger',
        message: `${c.id}: the trigger needs severity ${c.trigger.minSeverity}, above the top of the scale (${maxSeverity})`,
        places: [place(c)],
        cells,
        commitments: [c.id],
      });
    }
    if (c.trigger.count > 1) {
      if (c.trigger.windowMs === null || !(c.trigger.windowMs > 0)) {
        findings.push({
          key: `unreachable-trigger|window|${c.id}`,
          code: 'unreachable-trigger',
          message: `${c.id}: the trigger needs ${c.trigger.count} breaches but gives no window for them`,
          places: [place(c)],
          cells,
          commitments: [c.id],
        });
      } else {
        const possible = Math.max(1, Math.floor((perDay * c.trigger.windowMs) / DAY_MS));
        if (c.trigger.count > possible) {
          findings.push({
            key: `unreachable-trigger|rate|${c.id}`,
            code: 'unreachable-trigger',
            message:
              `${c.id}: the trigger needs ${c.trigger.count} verified breaches within ${formatDuration(c.trigger.window!)}, ` +
              `but at most ${possible} can be verified in that time (at ${perDay} a day)`,
            places: [place(c)],
            cells,
            commitments: [c.id],
          });
        }
      }
    }
    if (vocabulary) {
      const unknown = c.breachTypes.filter((t) => !vocabulary.has(t));
      if (unknown.length > 0) {
        const known = [...vocabulary].join(', ');
        findings.push({
          key: `unreachable-trigger|type|${c.id}|${unknown.join(',')}`,
          code: 'unreachable-trigger',
          message:
            `${c.id}: breach type${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not among the types ` +
            `verified cases carry (${known}): no case can match ${unknown.length > 1 ? 'them' : 'it'}`,
          places: [place(c)],
          cells: cells.filter((cell) => unknown.includes(cell.breachType)),
          commitments: [c.id],
        });
      }
    }
    for (const z of c.zones.filter((z) => !text.zones.has(z))) {
      findings.push({
        key: `unreachable-trigger|zone|${c.id}|${z}`,
        code: 'unreachable-trigger',
        message: `${c.id}: zone ${z} does not exist in this text, so nothing there can trigger the commitment`,
        places: [place(c)],
        cells: [],
        commitments: [c.id],
      });
    }
    if (c.activation.when === 'commitment-triggered' && !byId.has(c.activation.commitment)) {
      findings.push({
        key: `unreachable-trigger|activation|${c.id}`,
        code: 'unreachable-trigger',
        message: `${c.id}: it is activated by commitment ${c.activation.commitment}, which this text does not contain: it can never activate`,
        places: [place(c)],
        cells,
        commitments: [c.id],
      });
    }
  }

  // -- dead ends --------------------------------------------------------------------------------------
  const ladderUsers = new Map<string, ResolvedCommitment[]>();
  for (const c of text.commitments)
    for (const l of new Set(c.ladder.rungs.map((r) => r.ladder))) {
      if (l === 'inline') continue;
      const list = ladderUsers.get(l) ?? [];
      list.push(c);
      ladderUsers.set(l, list);
    }
  for (const ladder of text.ladders.values()) {
    const handsOver = ladder.escalatesTo !== null && text.ladders.has(ladder.escalatesTo);
    const users = ladderUsers.get(ladder.id) ?? [];
    ladder.rungs.forEach((r, i) => {
      if (!r.deadline || r.next !== undefined || handsOver) return;
      const beyond = ladder.escalatesTo ? ` and ladder ${ladder.escalatesTo}, which it escalates to, is not in this text` : '';
      findings.push({
        key: `dead-end|${ladder.id}|${r.id}`,
        code: 'dead-end',
        message:
          `ladder ${ladder.id}: rung ${r.id} (${r.action}) has a deadline of ${formatDuration(r.deadline)} but no next rung${beyond}: ` +
          `when it passes, nothing happens${users.length ? ` (used by ${users.map((u) => u.id).join(', ')})` : ''}`,
        places: [{ clause: ladder.source.clause, pointer: `${ladder.source.pointer}/rungs/${i}` }, ...users.map(place)],
        cells: users.flatMap((u) => cellsOf.get(u) ?? []),
        commitments: users.map((u) => u.id),
      });
    });
  }
  for (const c of text.commitments) {
    const cells = cellsOf.get(c) ?? [];
    if (c.ladder.missing && c.ladder.rungs.length === 0) {
      findings.push({
        key: `dead-end|missing|${c.id}|${c.ladder.missing}`,
        code: 'dead-end',
        message: `${c.id}: its ladder ${c.ladder.missing} is not in this text: when it triggers, no rung opens`,
        places: [place(c)],
        cells,
        commitments: [c.id],
      });
    }
    c.ladder.rungs.forEach((r) => {
      if (r.ladder === 'inline' && r.deadline && r.nextIndex === null) {
        findings.push({
          key: `dead-end|${c.id}|inline|${r.id}`,
          code: 'dead-end',
          message: `${c.id}: rung ${r.id} (${r.action}) has a deadline of ${formatDuration(r.deadline)} but no next rung: when it passes, nothing happens`,
          places: [{ clause: c.source.clause, pointer: r.pointer }],
          cells,
          commitments: [c.id],
        });
      }
      if (rungOwners(c, r.owner).length === 0) {
        findings.push({
          key: `dead-end|owner|${c.id}|${r.key}`,
          code: 'dead-end',
          message: `${c.id}: rung ${r.id} of ladder ${r.ladder} is owned by the ${r.owner.replace(/-/g, ' ')}, but ${c.id} names none: the ladder stalls there`,
          places: [place(c), { clause: c.source.clause, pointer: r.pointer }],
          cells,
          commitments: [c.id],
        });
      }
    });
  }

  // -- circular activation ------------------------------------------------------------------------------
  for (const cycle of activationCycles(text.commitments)) {
    const members = cycle.slice(0, -1).map((id) => byId.get(id)!);
    findings.push({
      key: `circular-activation|${[...new Set(cycle)].sort().join(',')}`,
      code: 'circular-activation',
      message: `commitments ${cycle.join(' → ')} are each activated by the next one's trigger: none of them can ever activate`,
      places: members.map(place),
      cells: members.flatMap((m) => cellsOf.get(m) ?? []),
      commitments: members.map((m) => m.id),
    });
  }

  // -- ambiguous triggers -----------------------------------------------------------------------------
  if (withAmbiguities) for (const a of ambiguities(text.commitments, text, cellsOf, null)) findings.push(a.raw);

  return { findings, matrix, cover, cellsOf };
}

function cellFromKey(key: string): Cell {
  const [domain, zone, breachType] = key.split('\u0000') as [Cell['domain'], string, string];
  return { domain, zone: zone === '' ? null : zone, breachType };
}

/** "land breaches artillery-fire, ground-assault in contact-line, contact-line-buffer" */
function summariseCells(cells: readonly Cell[], text: GuaranteeText): string {
  const domains = [...new Set(cells.map((c) => c.domain))];
  const types = [...new Set(cells.map((c) => c.breachType))].sort();
  const zones = [...new Set(cells.map((c) => c.zone))];
  const zoneText = zones.length === 1 ? zoneLabel(text, zones[0]!) : `zones ${zones.map((z) => z ?? 'anywhere').join(', ')}`;
  return `${domains.join('/')} breaches ${types.join(', ')} in ${zoneText}`;
}

/** "covered by commit-sea (lead tr) under alternative A of clause c-commit-sea" for a gap that other texts close. */
function coveredElsewhere(
  first: RawFinding,
  cells: readonly Cell[],
  analyses: readonly Analysis[],
  set: ReadonlySet<number>,
  describe: (s: ReadonlySet<number>) => string | null,
): string | null {
  if (first.code !== 'gap') return null;
  const others = new Set<number>();
  const leads = new Set<string>();
  analyses.forEach((a, v) => {
    if (set.has(v)) return;
    for (const cell of cells) {
      for (const c of a.cover.get(cellKey(cell)) ?? []) {
        if (!c.leadResponder) continue;
        others.add(v);
        leads.add(`${c.id} (lead ${c.leadResponder}${c.backupResponder ? `, backup ${c.backupResponder}` : ''})`);
      }
    }
  });
  if (others.size === 0) return null;
  const when = describe(others);
  return `${[...leads].join(' and ')} cover${leads.size === 1 ? 's' : ''} it${when ? ` ${when}` : ''}`;
}

function activationCycles(commitments: readonly ResolvedCommitment[]): string[][] {
  const next = new Map<string, string>();
  for (const c of commitments) if (c.activation.when === 'commitment-triggered') next.set(c.id, c.activation.commitment);
  const cycles: string[][] = [];
  const done = new Set<string>();
  // Each commitment has at most one activating commitment: follow the chain, stop at a repeat.
  for (const start of next.keys()) {
    if (done.has(start)) continue;
    const path: string[] = [];
    let cur: string | undefined = start;
    while (cur !== undefined && !done.has(cur) && !path.includes(cur)) {
      path.push(cur);
      cur = next.get(cur);
    }
    if (cur !== undefined && path.includes(cur)) cycles.push([...path.slice(path.indexOf(cur)), cur]);
    path.forEach((p) => done.add(p));
  }
  return cycles;
}

// ---------------------------------------------------------------------------------------------------
// Ambiguity: two commitments that the same case can reach, with different verdicts or different leads

function ruleOf(c: ResolvedCommitment): string {
  return JSON.stringify([
    c.trigger.minSeverity,
    c.trigger.count,
    c.trigger.windowMs,
    c.trigger.attributionConfidence,
    c.evidence.independentSources,
    c.evidence.verifier,
    c.activation,
  ]);
}

/** Pairs reported one by one; beyond this, a count (a generated text can have thousands). */
const MAX_AMBIGUITIES = 200;

/**
 * Pairs of commitments (of one text, or of several when `variantsOf` says in which variants each
 * exists: a pair is judged where both exist) that one case can reach with different verdicts or leads.
 */
function ambiguities(
  commitments: readonly ResolvedCommitment[],
  text: GuaranteeText,
  cellsOf: ReadonlyMap<ResolvedCommitment, Cell[]>,
  variantsOf: readonly (readonly number[])[] | null,
): { raw: RawFinding; variants: number[] }[] {
  const out: { raw: RawFinding; variants: number[] }[] = [];
  const n = commitments.length;
  // Zones as bits: a commitment's own zones, and the zones a case in them can also lie in (its buffers, what it buffers).
  const zoneIds = [...text.zones.keys()];
  const bit = new Map(zoneIds.map((z, i) => [z, i]));
  const words = Math.max(1, Math.ceil(zoneIds.length / 32));
  const own = new Uint32Array(n * words);
  const reach = new Uint32Array(n * words);
  const set = (arr: Uint32Array, c: number, z: string) => {
    const i = bit.get(z);
    if (i !== undefined) arr[c * words + (i >> 5)]! |= 1 << (i & 31);
  };
  const related = new Map<string, string[]>();
  for (const z of zoneIds) {
    const chain = zoneChain(z, text);
    for (const y of chain) {
      related.set(z, [...(related.get(z) ?? []), y]);
      related.set(y, [...(related.get(y) ?? []), z]);
    }
  }
  const ruleIds = new Map<string, number>();
  const rule = new Int32Array(n);
  const anywhere = new Uint8Array(n);
  commitments.forEach((c, i) => {
    const r = ruleOf(c);
    if (!ruleIds.has(r)) ruleIds.set(r, ruleIds.size);
    rule[i] = ruleIds.get(r)!;
    anywhere[i] = c.zones.length === 0 ? 1 : 0;
    for (const z of c.zones) {
      set(own, i, z);
      for (const y of related.get(z) ?? [z]) set(reach, i, y);
    }
  });
  const intersects = (a: Uint32Array, i: number, b: Uint32Array, j: number) => {
    for (let w = 0; w < words; w++) if ((a[i * words + w]! & b[j * words + w]!) !== 0) return true;
    return false;
  };

  // Groups of commitments by (domain, breach type); a pair sharing several types is judged in its first.
  const groupIds = new Map<string, number>();
  const typesOf: number[][] = commitments.map((c) => {
    const ids = c.breachTypes.map((t) => {
      const key = `${c.domain}|${t}`;
      if (!groupIds.has(key)) groupIds.set(key, groupIds.size);
      return groupIds.get(key)!;
    });
    return ids.sort((a, b) => a - b);
  });
  const groups: number[][] = Array.from({ length: groupIds.size }, () => []);
  typesOf.forEach((ids, i) => ids.forEach((g) => groups[g]!.push(i)));
  const firstShared = (i: number, j: number) => {
    const a = typesOf[i]!;
    const b = typesOf[j]!;
    let x = 0;
    let y = 0;
    while (x < a.length && y < b.length) {
      if (a[x] === b[y]) return a[x]!;
      if (a[x]! < b[y]!) x++;
      else y++;
    }
    return -1;
  };
  // Variants as bits when there are few (the usual case), so that "both exist" is one AND.
  const masks =
    variantsOf && variantsOf.every((vs) => vs.every((v) => v < 31)) ? variantsOf.map((vs) => vs.reduce((m, v) => m | (1 << v), 0)) : null;
  let more = 0;
  for (let g = 0; g < groups.length; g++) {
    const list = groups[g]!;
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const i = list[x]!;
        const j = list[y]!;
        const differentRules = rule[i] !== rule[j];
        const a0 = commitments[i]!;
        const b0 = commitments[j]!;
        if (!differentRules && a0.leadResponder === b0.leadResponder) continue;
        if (masks && (masks[i]! & masks[j]!) === 0) continue; // alternatives of one another never meet
        if ((typesOf[i]!.length > 1 || typesOf[j]!.length > 1) && firstShared(i, j) !== g) continue;
        const sharesCell = anywhere[i] === 1 || anywhere[j] === 1 || intersects(own, i, own, j);
        if (!sharesCell && !intersects(own, i, reach, j)) continue;
        // Same rule on a shared cell: both trigger together, which the overlap finding reports.
        if (!differentRules && sharesCell) continue;
        if (!masks && variantsOf && !variantsOf[i]!.some((v) => variantsOf[j]!.includes(v))) continue;
        if (out.length >= MAX_AMBIGUITIES) {
          more++;
          continue;
        }
        const together = variantsOf ? variantsOf[i]!.filter((v) => variantsOf[j]!.includes(v)) : [];
        const [a, b] = a0.id < b0.id ? [a0, b0] : [b0, a0];
        const where = sharedPlaces(a, b, text, related);
        const types = a.breachTypes.filter((t) => b.breachTypes.includes(t));
        const verdict = differentRules
          ? witness(a, b)
          : `the same evidence triggers both, with different leads (${a.leadResponder ?? 'none'} and ${b.leadResponder ?? 'none'})`;
        const cells = [...(cellsOf.get(a) ?? []), ...(cellsOf.get(b) ?? [])].filter((c) => types.includes(c.breachType));
        out.push({
          raw: {
            key: `ambiguous-trigger|${a.id}|${b.id}`,
            code: 'ambiguous-trigger',
            message: `${a.id} and ${b.id} judge the same ${a.domain} breaches (${types.join(', ')}) in ${where}: ${verdict}`,
            places: [place(a), place(b)],
            cells,
            commitments: [a.id, b.id],
          },
          variants: together,
        });
      }
  }
  if (more > 0)
    out.push({
      raw: {
        key: 'ambiguous-trigger|more',
        code: 'ambiguous-trigger',
        message: `and ${more} more pairs of commitments judge the same evidence differently (only the first ${MAX_AMBIGUITIES} are listed)`,
        places: [],
        cells: [],
        commitments: [],
      },
      variants: variantsOf ? [...new Set(variantsOf.flat())] : [],
    });
  return out;
}

/** Where one case can be under both: "zone corridor (maritime corridor)", "corridor and corridor-buffer", "anywhere". */
function sharedPlaces(
  a: ResolvedCommitment,
  b: ResolvedCommitment,
  text: GuaranteeText,
  related: ReadonlyMap<string, readonly string[]>,
): string {
  if (a.zones.length === 0 && b.zones.length === 0) return 'anywhere';
  if (a.zones.length === 0 || b.zones.length === 0) return `${[...a.zones, ...b.zones].join(', ')} (one of them applies anywhere)`;
  const places = new Map<string, string>();
  for (const za of a.zones)
    for (const zb of b.zones) {
      if (za === zb) places.set(za, zoneLabel(text, za));
      else if ((related.get(za) ?? []).includes(zb)) places.set([za, zb].sort().join('|'), `${za} and ${zb}`);
    }
  const list = [...places.values()];
  return list.slice(0, 3).join('; ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
}

/** The first rule on which the two differ, as a case that one counts and the other does not. */
function witness(a: ResolvedCommitment, b: ResolvedCommitment): string {
  const only = (lower: ResolvedCommitment, higher: ResolvedCommitment, what: string) => `${what} triggers ${lower.id} but not ${higher.id}`;
  const [ta, tb] = [a.trigger, b.trigger];
  if (ta.minSeverity !== tb.minSeverity) {
    const [lo, hi] = ta.minSeverity < tb.minSeverity ? [a, b] : [b, a];
    return only(lo, hi, `a verified breach of severity ${lo.trigger.minSeverity}`);
  }
  if (ta.attributionConfidence !== tb.attributionConfidence) {
    const [lo, hi] = CONFIDENCE_RANK[ta.attributionConfidence] < CONFIDENCE_RANK[tb.attributionConfidence] ? [a, b] : [b, a];
    return only(lo, hi, `a breach attributed with ${lo.trigger.attributionConfidence} confidence`);
  }
  if (a.evidence.independentSources !== b.evidence.independentSources) {
    const [lo, hi] = a.evidence.independentSources < b.evidence.independentSources ? [a, b] : [b, a];
    const n = lo.evidence.independentSources;
    return only(lo, hi, `evidence from ${n} independent source${n === 1 ? '' : 's'}`);
  }
  if (a.evidence.verifier !== b.evidence.verifier) {
    return `a case verified by ${a.evidence.verifier} triggers ${a.id} but not ${b.id}, and one verified by ${b.evidence.verifier} the reverse`;
  }
  if (ta.count !== tb.count) {
    const [lo, hi] = ta.count < tb.count ? [a, b] : [b, a];
    const n = lo.trigger.count;
    return only(
      lo,
      hi,
      `${n} verified breach${n === 1 ? '' : 'es'}${lo.trigger.window ? ` within ${formatDuration(lo.trigger.window)}` : ''}`,
    );
  }
  if (ta.windowMs !== tb.windowMs) {
    const [wide, narrow] = (ta.windowMs ?? 0) > (tb.windowMs ?? 0) ? [a, b] : [b, a];
    return only(wide, narrow, `${ta.count} verified breaches spread over ${formatDuration(wide.trigger.window ?? 'PT0S')}`);
  }
  const act = (c: ResolvedCommitment) =>
    c.activation.when === 'commitment-triggered'
      ? `once ${c.activation.commitment} has triggered`
      : `while the ${c.activation.when.replace(/-/g, ' ')}`;
  return `${a.id} applies ${act(a)} and ${b.id} ${act(b)}: between the two, one counts a breach the other does not`;
}
