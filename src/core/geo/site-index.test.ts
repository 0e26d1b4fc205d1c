import * as geographiclib from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { distanceWithin, geodesicDistance, localDistance, RouteIndex, SiteIndex } from './site-index';

const lib = (geographiclib as unknown as { default?: typeof geographiclib }).default ?? geographiclib;

/** Deterministic numbers (mulberry32) so that every run tests the same places. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The point `metres` from (lon, lat) at an azimuth, on the WGS84 ellipsoid. */
function moved(lon: number, lat: number, azimuth: number, metres: number): [number, number] {
  const r = lib.Geodesic.WGS84.Direct(lat, lon, azimuth, metres);
  return [r.lon2!, r.lat2!];
}

describe('distances', () => {
  it('measures a known geodesic: Kyiv to Zaporizhzhia is about 440 km', () => {
    const d = geodesicDistance(30.5234, 50.4501, 35.1396, 47.8388);
    expect(d).toBeGreaterThan(430_000);
    expect(d).toBeLessThan(450_000);
  });

  it('the local formula stays within 2e-8 of the geodesic up to 3 km over Ukraine', () => {
    const r = rng(7);
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      const lon = 22 + r() * 18;
      const lat = 44.4 + r() * 8;
      const metres = 1 + r() * 3000;
      const [lon2, lat2] = moved(lon, lat, r() * 360, metres);
      worst = Math.max(worst, Math.abs(localDistance(lon, lat, lon2, lat2) - metres) / metres);
    }
    expect(worst).toBeLessThan(2e-8);
  });

  it('decides "within" exactly like the geodesic, also a millimetre either side of the threshold', () => {
    const r = rng(11);
    for (let i = 0; i < 2000; i++) {
      const lon = 22 + r() * 18;
      const lat = 44.4 + r() * 8;
      const metres = 500 + (r() - 0.5) * 0.004;
      const [lon2, lat2] = moved(lon, lat, r() * 360, metres);
      const exact = geodesicDistance(lon, lat, lon2, lat2);
      expect(distanceWithin(lon, lat, lon2, lat2, 500) >= 0).toBe(exact <= 500);
    }
  });
});

describe('SiteIndex', () => {
  it('finds exactly the sites a brute-force geodesic scan finds, while sites keep arriving', () => {
    const r = rng(3);
    const index = new SiteIndex();
    const sites: [number, number][] = [];
    const checkAgainstBruteForce = () => {
      for (let q = 0; q < 200; q++) {
        // Queries near existing sites, so that there are hits and near-misses.
        const base = sites[Math.floor(r() * sites.length)]!;
        const [lon, lat] = moved(base[0], base[1], r() * 360, r() * 900);
        const found = new Map<number, number>();
        index.within(lon, lat, 500, (id, d) => found.set(id, d));
        const expected = new Set<number>();
        sites.forEach(([x, y], id) => {
          // A crude degree box (0.01° is over 700 m here) only saves time; the geodesic decides.
          if (Math.abs(x - lon) < 0.01 && Math.abs(y - lat) < 0.01 && geodesicDistance(lon, lat, x, y) <= 500) expected.add(id);
        });
        expect(new Set(found.keys())).toEqual(expected);
        for (const [id, d] of found) expect(d).toBeCloseTo(geodesicDistance(lon, lat, sites[id]![0], sites[id]![1]), 3);
      }
    };
    // 3,000 sites in a 0.5° square (dense), added one by one: they pass through buffer, small trees and merges.
    for (let i = 0; i < 3000; i++) {
      const site: [number, number] = [35 + r() * 0.5, 47.6 + r() * 0.5];
      index.add(sites.length, site[0], site[1]);
      sites.push(site);
      if (i === 100 || i === 1500) checkAgainstBruteForce();
    }
    checkAgainstBruteForce();
    index.compact();
    checkAgainstBruteForce();
    expect(index.size).toBe(3000);
  });

  it('keeps exact answers far north, with a larger radius (where the scale changes fastest across the box)', () => {
    const r = rng(9);
    const index = new SiteIndex();
    const sites: [number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const site: [number, number] = [20 + r() * 2, 78 + r() * 0.6];
      index.add(i, site[0], site[1]);
      sites.push(site);
    }
    for (let q = 0; q < 100; q++) {
      const base = sites[Math.floor(r() * sites.length)]!;
      const [lon, lat] = moved(base[0], base[1], r() * 360, r() * 6000);
      const found = new Set<number>();
      index.within(lon, lat, 5000, (id) => found.add(id));
      const expected = new Set<number>();
      sites.forEach(([x, y], id) => {
        if (geodesicDistance(lon, lat, x, y) <= 5000) expected.add(id);
      });
      expect(found).toEqual(expected);
    }
  });

  it('forgets a removed site', () => {
    const index = new SiteIndex();
    index.add(0, 35.14, 47.84);
    index.add(1, 35.141, 47.84);
    index.remove(0);
    const found: number[] = [];
    index.within(35.14, 47.84, 500, (id) => found.push(id));
    expect(found).toEqual([1]);
    expect(index.size).toBe(1);
  });

  it('measures across the antimeridian', () => {
    const index = new SiteIndex();
    index.add(0, 179.9999, 10);
    const found: number[] = [];
    index.within(-179.9999, 10, 500, (id) => found.push(id));
    expect(found).toEqual([0]);
  });
});

describe('RouteIndex', () => {
  const convoy: [number, number][] = [
    [35.1396, 47.8388],
    [35.4, 47.7],
    [35.78, 47.56],
    [35.93, 47.47],
  ];

  it('finds a route within the buffer of an incident beside one of its edges, not one farther away', () => {
    const index = new RouteIndex();
    index.add(7, convoy);
    // The middle of the second edge, then 300 m and 700 m to its side.
    const mid: [number, number] = [(35.4 + 35.78) / 2, (47.7 + 47.56) / 2];
    const near = moved(mid[0], mid[1], 20, 300);
    const far = moved(mid[0], mid[1], 20, 700);
    const hits = (p: [number, number]) => {
      const out: [number, number][] = [];
      index.within(p[0], p[1], 500, (id, d) => out.push([id, d]));
      return out;
    };
    expect(hits(near).map(([id]) => id)).toEqual([7]);
    expect(hits(near)[0]![1]).toBeGreaterThan(250);
    expect(hits(near)[0]![1]).toBeLessThan(310);
    expect(hits(far)).toEqual([]);
  });

  it('agrees with a dense sampling of the route, reporting each route once with its nearest distance', () => {
    const r = rng(5);
    const index = new RouteIndex();
    const routes: [number, number][][] = [];
    for (let k = 0; k < 300; k++) {
      const start: [number, number] = [35 + r() * 0.5, 47.5 + r() * 0.5];
      const line: [number, number][] = [start];
      for (let j = 0; j < 4; j++) line.push(moved(line[j]![0], line[j]![1], r() * 360, 500 + r() * 3000));
      routes.push(line);
      index.add(k, line);
    }
    for (let q = 0; q < 40; q++) {
      // Half the queries start from a vertex, so that there are hits as well as misses.
      const from = q % 2 ? routes[q]![2]! : ([35 + r() * 0.5, 47.5 + r() * 0.5] as [number, number]);
      const [lon, lat] = q % 2 ? moved(from[0], from[1], r() * 360, r() * 800) : from;
      const found = new Map<number, number>();
      index.within(lon, lat, 500, (id, d) => {
        expect(found.has(id)).toBe(false);
        found.set(id, d);
      });
      routes.forEach((line, id) => {
        // Sampled every ~4 m along each edge (lon/lat straight): the minimum is the route's distance.
        let best = Infinity;
        for (let j = 1; j < line.length; j++) {
          const [a, b] = [line[j - 1]!, line[j]!];
          const length = geodesicDistance(a[0], a[1], b[0], b[1]);
          // An edge whose nearer end is farther than its length + 600 m cannot come within 500 m.
          if (Math.min(geodesicDistance(lon, lat, a[0], a[1]), geodesicDistance(lon, lat, b[0], b[1])) > length + 600) continue;
          const steps = Math.ceil(length / 4);
          for (let s = 0; s <= steps; s++) {
            const t = s / steps;
            best = Math.min(best, geodesicDistance(lon, lat, a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])));
          }
        }
        if (best <= 498) expect(found.get(id), `route ${id} at ${best} m`).toBeDefined();
        if (best > 502) expect(found.has(id), `route ${id} at ${best} m`).toBe(false);
        if (found.has(id)) expect(Math.abs(found.get(id)! - best)).toBeLessThan(2.5);
      });
    }
  });

  it('forgets a removed route', () => {
    const index = new RouteIndex();
    index.add(1, convoy);
    index.remove(1);
    const found: number[] = [];
    index.within(35.1396, 47.8388, 500, (id) => found.push(id));
    expect(found).toEqual([]);
  });
});
