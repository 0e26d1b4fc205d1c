import { describe, expect, it } from 'vitest';
import { csvCell, reportsCsv, reportsGeoJson } from './export';
import type { ReportOut } from './read-model';

const report = (over: Partial<ReportOut> = {}): ReportOut => ({
  id: 'r1',
  position: 7,
  occurredAt: '2026-01-20T03:40:00.000Z',
  occurredPrecision: 'minute',
  enteredOffset: '+02:00',
  location: { type: 'point', lon: 35.93, lat: 47.47, precision_m: 100 },
  precision: 'exact',
  domain: 'land',
  type: 'shelling-impact',
  weaponClass: null,
  casualties: [{ category: 'civilian', outcome: 'injured', count: 2 }],
  source: 'patrol-heard',
  kind: 'observation',
  evidence: [],
  narrative: 'Impacts, "heavy", near the school',
  externalRef: null,
  signature: null,
  reportedBy: 'monitor',
  party: 'mechanism',
  recordedAt: '2026-01-20T03:41:00.000Z',
  caseId: 'c1',
  caseNumber: 1,
  status: 'reported',
  framework: null,
  classification: null,
  ...over,
});

describe('exports', () => {
  it('writes RFC 7946 features with longitude first, areas as polygons', () => {
    const square: [number, number][] = [
      [35.9, 47.45],
      [36, 47.45],
      [36, 47.5],
      [35.9, 47.45],
    ];
    const fc = reportsGeoJson([
      report(),
      report({ id: 'r2', location: { type: 'area', lon: 35.95, lat: 47.47, precision_m: 1000, polygon: [square] } }),
    ]);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features[0]!.geometry).toEqual({ type: 'Point', coordinates: [35.93, 47.47] });
    expect(fc.features[1]!.geometry).toEqual({ type: 'Polygon', coordinates: [square] });
    expect(fc.features[0]!.properties.injured).toBe(2);
    expect('crs' in fc).toBe(false);
  });

  it('quotes CSV per RFC 4180 and disarms cells a spreadsheet would run as formulas', () => {
    expect(csvCell('Impacts, "heavy"')).toBe('"Impacts, ""heavy"""');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-35.5)).toBe('-35.5');
    expect(csvCell(null)).toBe('');
    const text = reportsCsv([report()]);
    const [header, row, end] = text.split('\r\n');
    expect(header!.split(',')).toContain('narrative');
    expect(row).toContain('35.93,47.47,exact,100');
    expect(end).toBe('');
  });
});
