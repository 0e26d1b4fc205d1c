import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFramework } from '../../core/framework/validate';
import { checkCoverage } from '../../core/guarantees/coverage';
import { REPORT_TYPES } from '../../core/operations/model';
import { blockingCounts, cellKey, cellStatus, clauseHref, domainGrids, findingCellKeys, findingsOf, sortFindings } from './heatmap';

const file = join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml');
const validation = validateFramework(readFileSync(file, 'utf8'), file);
if (!validation.document) throw new Error('the example framework does not validate');
const report = checkCoverage(validation.document, { breachTypeVocabulary: REPORT_TYPES });
const seaB = report.matrices.find((m) => m.variant.includes('c-commit-sea B'))!;
const seaA = report.matrices.find((m) => m.variant.includes('c-commit-sea A'))!;

describe('coverage heatmap of the example framework', () => {
  it('colours corridor-buffer × sea as a gap under alternative B of the sea clause, and as covered under A', () => {
    const sea = domainGrids(seaB).find((g) => g.domain === 'sea')!;
    const column = sea.zones.indexOf('corridor-buffer');
    expect(column).toBeGreaterThanOrEqual(0);
    const statuses = sea.cells.map((row) => (row[column] ? cellStatus(row[column]) : null));
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 'gap')).toBe(true);

    const seaUnderA = domainGrids(seaA).find((g) => g.domain === 'sea')!;
    const columnA = seaUnderA.zones.indexOf('corridor-buffer');
    expect(seaUnderA.cells.every((row) => row[columnA] && cellStatus(row[columnA]) !== 'gap')).toBe(true);
  });

  it('lists the gap among the findings of alternative B only, errors first, with its cells and its clause', () => {
    const underB = sortFindings(findingsOf(report, seaB.variant));
    expect(underB[0]?.code).toBe('gap');
    expect(underB[0]?.clauses[0]).toBe('c-commit-sea');
    expect([...findingCellKeys(underB[0]!)]).toContain(cellKey({ domain: 'sea', zone: 'corridor-buffer', breachType: 'naval' }));
    expect(findingsOf(report, seaA.variant).some((f) => f.code === 'gap')).toBe(false);
    const counts = blockingCounts(report);
    expect(counts.get(seaB.variant)).toBe(1);
    expect(counts.get(seaA.variant)).toBe(0);
  });

  it('lays each domain out in land, air, sea, cyber order with every relevant cell placed once', () => {
    const grids = domainGrids(seaA);
    const order = ['land', 'air', 'sea', 'cyber'].filter((d) => grids.some((g) => g.domain === d));
    expect(grids.map((g) => g.domain)).toEqual(order);
    const placed = grids.flatMap((g) => g.cells.flat().filter((c) => c !== null));
    expect(placed.length).toBe(seaA.cells.length);
  });

  it('ranks a cell with two leads as an overlap and one without a backup as missing it', () => {
    const p = { party: 'gb', commitment: 'x', clause: 'c' };
    expect(cellStatus({ leads: [p, { ...p, party: 'fr' }], backups: [p] })).toBe('overlap');
    expect(cellStatus({ leads: [p], backups: [] })).toBe('missing-backup');
    expect(cellStatus({ leads: [p], backups: [p] })).toBe('covered');
    expect(cellStatus({ leads: [], backups: [p] })).toBe('gap');
  });

  it('links a clause to the framework text view, naming the version only when asked', () => {
    expect(clauseHref('c-commit-sea', null)).toBe('#/framework?clause=c-commit-sea');
    expect(clauseHref('c-commit-sea', 2)).toBe('#/framework?v=2&clause=c-commit-sea');
  });
});
