import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../model';
import { parseMapping } from './mapping';
import { featureOffsets, readGeojson } from './read-geojson';
import type { ImportRow } from './rows';

const inputs = (rows: readonly ImportRow[]): ReportInput[] => rows.flatMap((r) => ('input' in r ? [r.input] : []));

const collection = `{
  "type": "FeatureCollection",
  "name": "drone sightings, \\"January\\" [draft]",
  "features": [
    {
      "type": "Feature", "id": "S-1",
      "geometry": { "type": "Point", "coordinates": [35.93, 47.47] },
      "properties": { "seen": "2026-01-07 05:40", "what": "Shahed", "note": "heard, then seen" }
    },
    {
      "type": "Feature", "id": "S-2",
      "geometry": { "type": "LineString", "coordinates": [[35.9, 47.4], [36.0, 47.5]] },
      "properties": { "seen": "2026-01-07 06:00", "what": "Shahed" }
    },
    {
      "type": "Feature", "id": "S-3",
      "geometry": { "type": "Polygon", "coordinates": [[[35.1, 47.1], [35.2, 47.1], [35.2, 47.2], [35.1, 47.1]]] },
      "properties": { "seen": "2026-01-08 21:15", "what": "Orlan", "note": "over the area" }
    },
    {
      "type": "Feature", "id": "S-4",
      "geometry": { "type": "Point", "coordinates": [35.5, 47.3] },
      "properties": { "seen": "yesterday", "what": "Orlan" }
    }
  ]
}`;

const sightings = parseMapping({
  columns: {
    id: 'externalRef',
    seen: 'occurredAt',
    what: { field: 'type', values: { Shahed: 'drone', Orlan: 'drone' }, label: 'Kind' },
    note: 'narrative',
  },
  defaults: { domain: 'air', source: 'sensor', precision_m: 2000 },
  externalRefPrefix: 'sightings:',
});

describe('GeoJSON features as reports', () => {
  it('maps Point and Polygon features through the same mapping as CSV; other geometries and bad rows are named by feature and line', () => {
    if (!sightings.ok) throw new Error(sightings.message);
    const r = readGeojson(Buffer.from(collection), sightings.value);
    expect(r.ok).toBe(true);
    const rows = r.ok ? r.value.rows : [];
    expect(inputs(rows)).toEqual([
      expect.objectContaining({
        occurredAt: '2026-01-07T05:40:00+02:00',
        location: { type: 'point', lon: 35.93, lat: 47.47, precision_m: 2000 },
        domain: 'air',
        type: 'drone',
        source: 'sensor',
        narrative: 'heard, then seen',
        externalRef: 'sightings:S-1',
      }),
      expect.objectContaining({
        location: {
          type: 'area',
          polygon: [
            [
              [35.1, 47.1],
              [35.2, 47.1],
              [35.2, 47.2],
              [35.1, 47.1],
            ],
          ],
          precision_m: 2000,
        },
        externalRef: 'sightings:S-3',
      }),
    ]);
    expect(rows.filter((x) => 'problem' in x)).toEqual([
      { line: 10, problem: 'feature 2: its geometry is a LineString; reports are Points or Polygons' },
      {
        line: 20,
        problem: 'feature 4: seen "yesterday" is not a date (expected e.g. 2015-01-31, 01/31/2015 00:00 or 1/31/2015 12:00:00 AM)',
      },
    ]);
  });

  it('refuses a file that is not JSON, saying where, and one that is not a FeatureCollection', () => {
    const broken = readGeojson(Buffer.from('{\n  "type": "FeatureCollection",\n  "features": [\n    { "type": "Feature", }\n  ]\n}'), null);
    expect(broken).toMatchObject({ ok: false, pointer: '/content' });
    expect(!broken.ok && broken.message).toMatch(/^the file is not JSON: .* at line 4, column \d+; nothing was imported$/);
    expect(readGeojson(Buffer.from('{"type":"Point","coordinates":[1,2]}'), null)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a GeoJSON FeatureCollection/),
    });
  });

  it('without a mapping, reads properties named like report fields', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [35.93, 47.47] },
          properties: {
            occurredAt: '2026-01-07T05:40:00+02:00',
            domain: 'land',
            type: 'shelling-impact',
            source: 'patrol-heard',
            casualties: [{ category: 'civilian', outcome: 'injured', count: 2 }],
            externalRef: 'x:1',
          },
        },
      ],
    };
    const r = readGeojson(Buffer.from(JSON.stringify(fc)), null);
    expect(inputs(r.ok ? r.value.rows : [])).toEqual([
      expect.objectContaining({ externalRef: 'x:1', casualties: [{ category: 'civilian', outcome: 'injured', count: 2 }] }),
    ]);
  });

  it('finds where each feature starts, whatever strings and nesting come before', () => {
    const text = '{"bbox":[1,2,3,4],"x":{"features":[9]},"s":"],[{","features":[ {"a":[1,{"b":"}"}]} ,\n{"c":1}]}';
    const offsets = featureOffsets(text);
    expect(offsets.map((o) => text.slice(o, o + 5))).toEqual(['{"a":', '{"c":']);
  });
});
