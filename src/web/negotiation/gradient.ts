/*
 * The eight-point gradient of agreement and the small computations the page makes from API answers
 * (colours, the trend chart's geometry). Pure, so they are unit-tested without a browser.
 */

/** Stored codes in order: point 1 is wholehearted endorsement, point 8 a block. */
export const GRADIENT = [
  'endorse',
  'agree-minor',
  'support-reservations',
  'abstain',
  'more-discussion',
  'dislike-but-support',
  'serious-disagreement',
  'block',
] as const;
export type Gradient = (typeof GRADIENT)[number];

export const SHARING = ['own', 'mediator', 'all'] as const;
export type Sharing = (typeof SHARING)[number];

/** The point (1..8) of a code, or null for a code this client does not know (added later by the server). */
export function gradientPoint(code: string): number | null {
  const i = (GRADIENT as readonly string[]).indexOf(code);
  return i < 0 ? null : i + 1;
}

/** Within the zone of possible agreement: rated at or above "support with reservations" (points 1..3). */
export function isAcceptable(code: string): boolean {
  const p = gradientPoint(code);
  return p !== null && p <= 3;
}

/** CSS class of a heatmap cell: green through amber to red; a block is marked apart, not as "very red". */
export function cellTone(code: string | null): string {
  if (code === null) return 'ng-tone-none';
  const p = gradientPoint(code);
  if (p === null) return 'ng-tone-unknown';
  if (p === 8) return 'ng-tone-block';
  return `ng-tone-${p}`;
}

export interface TrendWeek {
  readonly week: string;
  readonly meanSpread: number | null;
  readonly blocks: number;
  readonly clauses: number;
}

export interface TrendGeometry {
  /** SVG path of the mean spread (gaps in the data break the line). */
  readonly path: string;
  readonly points: readonly { readonly x: number; readonly y: number; readonly week: string; readonly value: number }[];
  readonly bars: readonly {
    readonly x: number;
    readonly y: number;
    readonly height: number;
    readonly week: string;
    readonly blocks: number;
  }[];
  readonly maxBlocks: number;
}

/**
 * Places the weeks on a chart of `width` × `height`: the mean spread on a fixed 0..7 scale (the widest
 * possible spread between points 1 and 7), so that weeks compare across readers; blocks as bars scaled
 * to the largest count.
 */
export function trendGeometry(weeks: readonly TrendWeek[], width: number, height: number, pad = 24): TrendGeometry {
  const n = weeks.length;
  const innerW = width - 2 * pad;
  const innerH = height - 2 * pad;
  const x = (i: number) => pad + (n <= 1 ? innerW / 2 : (innerW * i) / (n - 1));
  const y = (v: number) => pad + innerH - (innerH * Math.min(Math.max(v, 0), 7)) / 7;
  const maxBlocks = Math.max(0, ...weeks.map((w) => w.blocks));
  const points: { x: number; y: number; week: string; value: number }[] = [];
  let path = '';
  let pen = false;
  weeks.forEach((w, i) => {
    if (w.meanSpread === null) {
      pen = false;
      return;
    }
    const px = round(x(i));
    const py = round(y(w.meanSpread));
    points.push({ x: px, y: py, week: w.week, value: w.meanSpread });
    path += `${pen ? 'L' : 'M'}${px} ${py}`;
    pen = true;
  });
  const barH = (b: number) => (maxBlocks === 0 ? 0 : round((innerH * 0.4 * b) / maxBlocks));
  const bars = weeks
    .map((w, i) => ({ x: round(x(i)), height: barH(w.blocks), y: round(pad + innerH - barH(w.blocks)), week: w.week, blocks: w.blocks }))
    .filter((b) => b.blocks > 0);
  return { path, points, bars, maxBlocks };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
