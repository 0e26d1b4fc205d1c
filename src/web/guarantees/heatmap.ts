import type { CoverageFinding, CoverageMatrix, CoverageReport, MatrixCell } from '../../core/guarantees/coverage';

/*
 * The coverage heatmap as data: the matrix breach type × domain × zone of one text laid out as one
 * table per domain (rows: breach types, columns: zones), each cell with the status it is coloured by,
 * and the findings of that text with the cells they are about. Pure, so it is tested without a browser.
 */

export const CELL_STATUSES = ['covered', 'missing-backup', 'gap', 'overlap'] as const;
export type CellStatus = (typeof CELL_STATUSES)[number];

/** A gap outranks everything (nobody acts); two leads (who acts?) outrank a missing backup. */
export function cellStatus(cell: Pick<MatrixCell, 'leads' | 'backups'>): CellStatus {
  if (cell.leads.length === 0) return 'gap';
  if (cell.leads.length > 1) return 'overlap';
  if (cell.backups.length === 0) return 'missing-backup';
  return 'covered';
}

export function cellKey(cell: { readonly domain: string; readonly zone: string | null; readonly breachType: string }): string {
  return `${cell.domain}|${cell.zone ?? ''}|${cell.breachType}`;
}

export interface DomainGrid {
  readonly domain: string;
  /** Column heads; null is "anywhere" (a commitment tied to no zone). */
  readonly zones: readonly (string | null)[];
  readonly breachTypes: readonly string[];
  /** Row-major: `cells[row][column]`, null where the cell is not relevant in this text. */
  readonly cells: readonly (readonly (MatrixCell | null)[])[];
}

const DOMAIN_ORDER = ['land', 'air', 'sea', 'cyber'];

/** One grid per domain, in the order land, air, sea, cyber; zones and breach types in first-seen order. */
export function domainGrids(matrix: CoverageMatrix): DomainGrid[] {
  const byDomain = new Map<string, MatrixCell[]>();
  for (const cell of matrix.cells) byDomain.set(cell.domain, [...(byDomain.get(cell.domain) ?? []), cell]);
  const rank = (d: string) => (DOMAIN_ORDER.includes(d) ? DOMAIN_ORDER.indexOf(d) : DOMAIN_ORDER.length);
  return [...byDomain.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([domain, cells]) => {
      const zones = [...new Set(cells.map((c) => c.zone))];
      const breachTypes = [...new Set(cells.map((c) => c.breachType))].sort();
      const index = new Map(cells.map((c) => [cellKey(c), c]));
      return {
        domain,
        zones,
        breachTypes,
        cells: breachTypes.map((breachType) => zones.map((zone) => index.get(cellKey({ domain, zone, breachType })) ?? null)),
      };
    });
}

/** A finding holds in a text when its variants name it (a finding without variants holds everywhere). */
export function findingsOf(report: Pick<CoverageReport, 'findings'>, variant: string): CoverageFinding[] {
  return report.findings.filter((f) => f.variants.length === 0 || f.variants.includes(variant));
}

const SEVERITY_RANK = { error: 0, warning: 1 } as const;

/** Errors first, then by code, keeping the report's order within. */
export function sortFindings(findings: readonly CoverageFinding[]): CoverageFinding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i)
    .map(({ f }) => f);
}

/** The keys of the cells a finding is about, for highlighting them in the matrix. */
export function findingCellKeys(finding: CoverageFinding): Set<string> {
  return new Set(finding.cells.map(cellKey));
}

/** How many blocking findings (gaps, dead ends) each text has: the picker shows it beside each text. */
export function blockingCounts(report: CoverageReport): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of report.matrices) counts.set(m.variant, findingsOf(report, m.variant).filter((f) => f.severity === 'error').length);
  return counts;
}

/** The address of a clause in the framework's text view. */
export function clauseHref(clause: string, version: number | null): string {
  const params = new URLSearchParams();
  if (version !== null) params.set('v', String(version));
  params.set('clause', clause);
  return `#/framework?${params.toString()}`;
}
