import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversine_m } from '../geo/zones';
import { exampleFramework } from '../../../test/operations-fixtures';
import { DEFAULT_PUBLIC_PRECISION_M, publicPrecisionOf, snapToGrid } from './precision';

describe('public precision', () => {
  it('snaps every point to the centre of its cell: within the cell size, at most 4 decimals, the same for neighbours', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 20, max: 42, noNaN: true }),
        fc.double({ min: 43, max: 53, noNaN: true }),
        fc.constantFrom(1000, 5000, 10_000),
        (lon, lat, p) => {
          const c = snapToGrid(lon, lat, p);
          expect(haversine_m(lon, lat, c.lon, c.lat)).toBeLessThan(p * 0.75);
          expect(String(c.lon).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(4);
          expect(String(c.lat).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(4);
          // Snapping the centre again changes nothing: the cell is a fixed grid, not a rounding of the input.
          expect(snapToGrid(c.lon, c.lat, p)).toEqual(c);
        },
      ),
    );
  });

  it('gives one point for many reports in one cell, so they cannot be averaged back', () => {
    const a = snapToGrid(35.93101, 47.47101, 5000);
    const b = snapToGrid(35.93899, 47.47399, 5000);
    expect(a).toEqual(b);
  });

  it("takes the framework's public precision, 5 km when none is set", () => {
    expect(publicPrecisionOf(exampleFramework())).toBe(5000);
    expect(publicPrecisionOf(null)).toBe(DEFAULT_PUBLIC_PRECISION_M);
  });
});
