import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateFramework } from '../framework/validate';
import type { Framework } from '../framework/model';
import {
  buildZoneIndex,
  classifyPoint,
  haversine_m,
  inFrameworkArea,
  pointInRings,
  PolygonIndex,
  SegmentIndex,
  weaponCovered,
} from './zones';

const EXAMPLE = join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml');
function example(): Framework {
  const r = validateFramework(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  if (!r.document) throw new Error('example does not validate');
  return r.document;
}

/** Metres in the same local projection the index uses, by brute force over every segment. */
function bruteNearest(coords: number[], lon: number, lat: number): number {
  const k = (6_371_008.8 * Math.PI) / 180;
  const kx = k * Math.cos((lat * Math.PI) / 180);
  let best = Infinity;
  for (let i = 0; i < coords.length; i += 4) {
    const ax = (coords[i]! - lon) * kx;
    const ay = (coords[i + 1]! - lat) * k;
    const bx = (coords[i + 2]! - lon) * kx;
    const by = (coords[i + 3]! - lat) * k;
    const ex = bx - ax;
    const ey = by - ay;
    const l2 = ex * ex + ey * ey;
    const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * ex + ay * ey) / l2));
    best = Math.min(best, Math.hypot(ax + t * ex, ay + t * ey));
  }
  return best;
}

describe('geometry', () => {
  it('measures great-circle distance (Kyiv to Kharkiv is about 410 km)', () => {
    const d = haversine_m(30.5234, 50.4501, 36.2304, 49.9935);
    expect(d).toBeGreaterThan(405_000);
    expect(d).toBeLessThan(412_000);
  });

  it('finds the same nearest distance as a scan of every segment, wherever the point is', () => {
    const lonLat = fc.tuple(fc.double({ min: 20, max: 42, noNaN: true }), fc.double({ min: 40, max: 55, noNaN: true }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lonLat, lonLat), { minLength: 1, maxLength: 60 }),
        fc.array(lonLat, { minLength: 1, maxLength: 20 }),
        (segs, points) => {
          const coords = segs.flatMap(([a, b]) => [a[0], a[1], b[0], b[1]]);
          const index = new SegmentIndex(Float64Array.from(coords));
          for (const [lon, lat] of points) {
            const got = index.nearest(lon, lat)!.distance_m;
            expect(got).toBeCloseTo(bruteNearest(coords, lon, lat), 3);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds points far outside the indexed area too', () => {
    const index = new SegmentIndex(Float64Array.from([36, 48, 37, 48, 37, 48, 37, 49]));
    expect(index.nearest(10, 10)!.distance_m).toBeCloseTo(bruteNearest([36, 48, 37, 48, 37, 48, 37, 49], 10, 10), 3);
  });

  it('says on which side of a line a point lies, 1 km away', () => {
    // A line drawn west to east: north of it is on the left.
    const index = new SegmentIndex(Float64Array.from([36, 48, 37, 48]));
    const north = index.nearest(36.5, 48 + 1000 / 111_195)!;
    expect(north.distance_m).toBeCloseTo(1000, 0);
    expect(north.side).toBe('left');
    expect(index.nearest(36.5, 48 - 1000 / 111_195)!.side).toBe('right');
  });

  it('answers point-in-polygon like a plain ray cast, holes included', () => {
    const ring = fc.array(fc.tuple(fc.double({ min: 30, max: 31, noNaN: true }), fc.double({ min: 45, max: 46, noNaN: true })), {
      minLength: 3,
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        ring,
        ring,
        fc.array(fc.tuple(fc.double({ min: 29.9, max: 31.1, noNaN: true }), fc.double({ min: 44.9, max: 46.1, noNaN: true })), {
          maxLength: 30,
        }),
        (a, b, points) => {
          const rings = [
            [...a, a[0]!],
            [...b, b[0]!],
          ];
          const index = new PolygonIndex([rings]);
          for (const [lon, lat] of points) expect(index.contains(lon, lat)).toBe(pointInRings(lon, lat, rings));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('zones of the Kyiv 2026 example', () => {
  const index = buildZoneIndex(example());

  it('puts a point near Orikhiv inside the 15 km buffer (alternative A) and gives its distance to the contact line', () => {
    const c = classifyPoint(index, 35.93, 47.47);
    expect(c.contactLine?.zone).toBe('contact-line');
    expect(c.contactLine!.distance_m).toBeGreaterThan(5_000);
    expect(c.contactLine!.distance_m).toBeLessThan(15_000);
    // Bracketed clause: each alternative is classified on its own, and marked provisional.
    const alternatives = c.bufferZones.map((b) => b.alternative);
    expect(alternatives).toContain('c-buffer-zone-a');
    expect(alternatives).not.toContain('c-buffer-zone-b');
    expect(c.bufferZones.every((b) => b.provisional && b.illustrative)).toBe(true);
  });

  it('finds a tank 10 km from the line in breach of the 15 km withdrawal, artillery 60 km away not', () => {
    // 10 km south of the contact line's segment near 36.1,47.62 → 36.45,47.72.
    const tank = classifyPoint(index, 36.2, 47.56, 'tanks');
    const w = tank.withdrawal.find((x) => x.covered === 'tanks')!;
    expect(w.required_m).toBe(15_000);
    expect(w.distance_m).toBeLessThan(15_000);
    expect(w.violated).toBe(true);
    const gun = classifyPoint(index, 36.0, 47.0, 'artillery-100mm-plus');
    const g = gun.withdrawal.find((x) => x.covered === 'artillery-100mm-plus')!;
    expect(g.distance_m).toBeGreaterThan(50_000);
    expect(g.violated).toBe(false);
    // A mortar is covered by the framework's "mortars-up-to-120mm"; a class not listed is not judged.
    expect(classifyPoint(index, 36.2, 47.56, 'mortar').withdrawal[0]?.covered).toBe('mortars-up-to-120mm');
    expect(classifyPoint(index, 36.2, 47.56, 'small-arms').withdrawal).toEqual([]);
  });

  it('places a ship on the corridor centre line in the fairway, 8 km off it in the buffer, 30 km off nowhere', () => {
    expect(classifyPoint(index, 30.35, 45.55).corridors.map((c) => c.part)).toEqual(['fairway']);
    const eightKmEast = 30.35 + 8000 / (111_195 * Math.cos((45.55 * Math.PI) / 180));
    expect(classifyPoint(index, eightKmEast, 45.55).corridors.map((c) => c.part)).toEqual(['buffer']);
    expect(classifyPoint(index, 30.35 + 0.4, 45.55).corridors).toEqual([]);
  });

  it('knows that the corridor has its buffer drawn as a zone of its own, and the contact line is no corridor', () => {
    expect([...index.corridorsWithBufferZone]).toEqual(['black-sea-corridor']);
    expect(classifyPoint(index, 30.35, 45.55).corridorsWithBufferZone.has('black-sea-corridor')).toBe(true);
  });

  it('puts Kyiv in the air-policing area and Kharkiv outside it', () => {
    expect(classifyPoint(index, 30.52, 50.45).airspace.map((a) => a.zone)).toEqual(['air-policing-area']);
    expect(classifyPoint(index, 36.23, 49.99).airspace).toEqual([]);
  });

  it('knows the area it covers, so swapped coordinates stand out', () => {
    expect(inFrameworkArea(index, 35.93, 47.47)).toBe(true);
    expect(inFrameworkArea(index, 47.47, 35.93)).toBe(false);
  });

  it('matches weapon codes that narrow a class, not broader ones', () => {
    expect(weaponCovered('mortars-up-to-120mm', 'mortar')).toBe(true);
    expect(weaponCovered('tanks', 'tanks')).toBe(true);
    expect(weaponCovered('heavy-mlrs', 'mlrs')).toBe(false);
  });
});
