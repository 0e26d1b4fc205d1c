import { describe, expect, it } from 'vitest';
import { GRADIENT, cellTone, gradientPoint, isAcceptable, trendGeometry } from './gradient';

describe('the gradient of agreement', () => {
  it('numbers the eight codes from endorsement (1) to block (8)', () => {
    expect(GRADIENT).toHaveLength(8);
    expect(gradientPoint('endorse')).toBe(1);
    expect(gradientPoint('support-reservations')).toBe(3);
    expect(gradientPoint('block')).toBe(8);
    expect(gradientPoint('something-new')).toBeNull();
  });

  it('counts only points 1..3 as acceptable', () => {
    expect(['endorse', 'agree-minor', 'support-reservations'].every(isAcceptable)).toBe(true);
    expect(['abstain', 'dislike-but-support', 'block', 'unknown'].some(isAcceptable)).toBe(false);
  });

  it('colours a block apart from the scale and an empty cell as none', () => {
    expect(cellTone('block')).toBe('ng-tone-block');
    expect(cellTone('endorse')).toBe('ng-tone-1');
    expect(cellTone(null)).toBe('ng-tone-none');
    expect(cellTone('later-code')).toBe('ng-tone-unknown');
  });
});

describe('the trend chart', () => {
  it('draws a falling spread as a line going down the chart, with a bar for each week that had blocks', () => {
    const g = trendGeometry(
      [
        { week: '2026-W45', meanSpread: 6, blocks: 2, clauses: 3 },
        { week: '2026-W46', meanSpread: 3, blocks: 1, clauses: 3 },
        { week: '2026-W47', meanSpread: 0, blocks: 0, clauses: 3 },
      ],
      300,
      150,
    );
    expect(g.points.map((p) => p.week)).toEqual(['2026-W45', '2026-W46', '2026-W47']);
    // y grows downwards in SVG: a narrowing gap moves the points towards the bottom.
    expect(g.points[0]!.y).toBeLessThan(g.points[1]!.y);
    expect(g.points[1]!.y).toBeLessThan(g.points[2]!.y);
    expect(g.path.startsWith('M')).toBe(true);
    expect(g.path.match(/L/g)).toHaveLength(2);
    expect(g.bars.map((b) => b.blocks)).toEqual([2, 1]);
    expect(g.bars[0]!.height).toBeGreaterThan(g.bars[1]!.height);
  });

  it('breaks the line across a week without a shared spread', () => {
    const g = trendGeometry(
      [
        { week: 'a', meanSpread: 2, blocks: 0, clauses: 1 },
        { week: 'b', meanSpread: null, blocks: 0, clauses: 0 },
        { week: 'c', meanSpread: 4, blocks: 0, clauses: 1 },
      ],
      200,
      100,
    );
    expect(g.path.match(/M/g)).toHaveLength(2);
    expect(g.path).not.toContain('L');
  });
});
