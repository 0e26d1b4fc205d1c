import { describe, expect, it } from 'vitest';
import { abbreviate, clusterView, mercatorX, mercatorY, project } from './cluster';
import { IncidentSet, NO_FILTER, type IncidentRow } from './incidents';

const row = (id: string, lon: number, lat: number, status = 'reported'): IncidentRow => ({
  id,
  lon,
  lat,
  time: 0,
  type: 'drone',
  domain: 'air',
  status,
  source: 'sensor',
  party: null,
  caseKey: null,
});

const UKRAINE = [22, 44, 40.5, 52.5] as const;
const OPTIONS = { radiusPx: 56, maxZoom: 11, verifiedCode: 2 };

describe('clusterView', () => {
  // Three incidents within a kilometre near Donetsk, one in Lviv.
  const set = IncidentSet.from([
    row('a', 37.8, 48.0),
    row('b', 37.805, 48.003, 'verified'),
    row('c', 37.79, 47.998),
    row('lviv', 24.03, 49.84),
  ]);
  const projected = project(set);
  const all = set.select(NO_FILTER);

  it('groups incidents close on screen into one cluster with their count and how many are verified; a lone one stays itself', () => {
    const features = clusterView(set, projected, all, 5.4, UKRAINE, OPTIONS);
    expect(features).toHaveLength(2);
    const cluster = features.find((f) => 'cluster' in f.properties)!;
    expect(cluster.properties).toMatchObject({
      cluster: true,
      point_count: 3,
      point_count_abbreviated: '3',
      verified: 1,
      expansion_zoom: 7,
    });
    const [lon, lat] = cluster.geometry.coordinates;
    expect(lon).toBeCloseTo(37.798, 2);
    expect(lat).toBeCloseTo(48.0, 2);
    const single = features.find((f) => !('cluster' in f.properties))!;
    expect(single.properties).toEqual({ i: 3, s: 0, k: 3 });
  });

  it('draws every incident on its own beyond the cluster zoom, and only those in view', () => {
    const close = clusterView(set, projected, all, 12.5, [37.7, 47.9, 37.9, 48.1], OPTIONS);
    expect(close.map((f) => ('i' in f.properties ? set.ids[f.properties.i] : 'cluster')).sort()).toEqual(['a', 'b', 'c']);
  });

  it('clusters only the incidents that passed the filters', () => {
    const verified = set.select({ ...NO_FILTER, statuses: new Set(['verified']) });
    expect(clusterView(set, projected, verified, 5, UKRAINE, OPTIONS).map((f) => f.properties)).toEqual([{ i: 1, s: 2, k: 3 }]);
  });

  it('clusters 100,000 incidents for a view of the whole country into a few screenfuls of features, losing none', () => {
    const big = new IncidentSet(100_000);
    for (let i = 0; i < 100_000; i++) big.upsert(row(`r${i}`, 35 + ((i * 7919) % 3500) / 1000, 47 + ((i * 104_729) % 3000) / 1000));
    const p = project(big);
    const indices = big.select(NO_FILTER);
    const features = clusterView(big, p, indices, 5.5, UKRAINE, OPTIONS);
    expect(features.reduce((n, f) => n + ('point_count' in f.properties ? f.properties.point_count : 1), 0)).toBe(100_000);
    expect(features.length).toBeLessThan(200);
  });
});

describe('Web Mercator and counts', () => {
  it('projects lon/lat to the unit square and abbreviates counts as the map shows them', () => {
    expect(mercatorX(-180)).toBe(0);
    expect(mercatorX(0)).toBe(0.5);
    expect(mercatorY(0)).toBeCloseTo(0.5, 12);
    expect(mercatorY(50)).toBeLessThan(0.5);
    expect([abbreviate(999), abbreviate(1234), abbreviate(51_234)]).toEqual(['999', '1.2k', '51k']);
  });
});
