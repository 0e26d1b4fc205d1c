import { describe, expect, it } from 'vitest';
import { checkGeometry } from './geometry';
import type { Geometry } from './model';

type P = [number, number];
const square: P[] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];

describe('checkGeometry', () => {
  it('accepts simple lines and polygons, with holes', () => {
    expect(
      checkGeometry({
        type: 'LineString',
        coordinates: [
          [35, 47],
          [36, 48],
          [37, 48],
        ],
      }),
    ).toEqual([]);
    const hole: P[] = [
      [0.2, 0.2],
      [0.4, 0.2],
      [0.4, 0.4],
      [0.2, 0.2],
    ];
    expect(checkGeometry({ type: 'Polygon', coordinates: [square, hole] })).toEqual([]);
    expect(
      checkGeometry({
        type: 'MultiPolygon',
        coordinates: [
          [square],
          [
            [
              [5, 5],
              [6, 5],
              [6, 6],
              [5, 5],
            ],
          ],
        ],
      }),
    ).toEqual([]);
  });

  it('tolerates a repeated position (it makes no segment)', () => {
    expect(
      checkGeometry({
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
          [1, 1],
          [2, 0],
        ],
      }),
    ).toEqual([]);
  });

  it('finds a line that crosses itself, and one that returns to an earlier vertex', () => {
    const crossing = checkGeometry({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [2, 2],
        [2, 0],
        [0, 2],
      ],
    });
    expect(crossing).toEqual([
      {
        pointer: '/coordinates/3',
        message: 'the line crosses itself: the segment ending at position 3 meets the segment ending at position 1',
      },
    ]);
    const loop = checkGeometry({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
        [-1, 0],
      ],
    });
    expect(loop[0]!.message).toMatch(/crosses itself/);
  });

  it('finds a line that folds back on itself', () => {
    expect(
      checkGeometry({
        type: 'LineString',
        coordinates: [
          [0, 0],
          [2, 0],
          [1, 0],
        ],
      })[0]!.message,
    ).toMatch(/crosses itself/);
  });

  it('refuses a ring that is open, too short, flat, or a bow tie', () => {
    const open = checkGeometry({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    });
    expect(open).toEqual([
      { pointer: '/coordinates/0/3', message: 'the outer ring is not closed: its last position must repeat the first, [0, 0]' },
    ]);
    expect(
      checkGeometry({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      })[0]!.message,
    ).toMatch(/at least 4 positions/);
    expect(
      checkGeometry({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [2, 0],
            [0, 0],
          ],
        ],
      })[0]!.message,
    ).toMatch(/has no area/);
    expect(
      checkGeometry({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 0],
            [0, 1],
            [1, 1.5],
            [0, 0],
          ],
        ],
      })[0]!.message,
    ).toMatch(/the outer ring crosses itself/);
  });

  it('refuses a hole that crosses the outer ring', () => {
    const hole: P[] = [
      [0.5, 0.5],
      [1.5, 0.5],
      [1.5, 0.8],
      [0.5, 0.5],
    ];
    const issues = checkGeometry({ type: 'Polygon', coordinates: [square, hole] });
    expect(issues[0]!.message).toMatch(/hole 1 crosses the outer ring/);
    expect(issues[0]!.pointer).toMatch(/^\/coordinates\/1\//);
  });

  it('finds a crossing among thousands of segments quickly (sweep, not all pairs)', () => {
    const n = 20_000;
    const line: P[] = [];
    for (let i = 0; i < n; i++) line.push([i * 0.001, Math.sin(i) * 0.0001]);
    const ok: Geometry = { type: 'LineString', coordinates: line };
    const start = performance.now();
    expect(checkGeometry(ok)).toEqual([]);
    expect(performance.now() - start).toBeLessThan(1000);
    const bad: Geometry = { type: 'LineString', coordinates: [...line, [5, 1], [5, -1]] };
    expect(checkGeometry(bad)[0]!.message).toMatch(/crosses itself/);
  });
});
