import type { IncidentSet } from './incidents';

/*
 * Clustering on the main thread, on the columns themselves: incidents are binned into screen-sized
 * cells of the Web Mercator grid at the map's zoom, and only the view's cells become map features. A
 * pass over 100,000 incidents takes a few milliseconds, so the map stays responsive while filters and
 * the time window change, and MapLibre's worker only ever draws a few hundred features. (MapLibre's
 * own clustering ships every point to its worker first: seconds for 100,000.)
 */

/** Map tiles are 512 px: the world is 512 · 2^zoom pixels wide. */
const TILE = 512;

/** Web Mercator x, y in [0, 1] of every incident of the set (computed once per change of the set). */
export interface Projected {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export function project(set: IncidentSet): Projected {
  const x = new Float64Array(set.size);
  const y = new Float64Array(set.size);
  for (let i = 0; i < set.size; i++) {
    x[i] = mercatorX(set.lon[i]!);
    y[i] = mercatorY(set.lat[i]!);
  }
  return { x, y };
}

export function mercatorX(lon: number): number {
  return (lon + 180) / 360;
}

export function mercatorY(lat: number): number {
  const clamped = Math.max(-85.05112878, Math.min(85.05112878, lat));
  const s = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
}

function lonOf(x: number): number {
  return x * 360 - 180;
}

function latOf(y: number): number {
  return (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;
}

export interface ClusterOptions {
  /** Cell size in screen pixels. */
  readonly radiusPx: number;
  /** Above this zoom every incident is drawn on its own. */
  readonly maxZoom: number;
  /** The status code counted as "verified" in a cluster's properties. */
  readonly verifiedCode: number;
}

export type ClusterFeature =
  | {
      readonly type: 'Feature';
      readonly geometry: { readonly type: 'Point'; readonly coordinates: [number, number] };
      readonly properties: { readonly i: number; readonly s: number; readonly k: number };
    }
  | {
      readonly type: 'Feature';
      readonly geometry: { readonly type: 'Point'; readonly coordinates: [number, number] };
      readonly properties: {
        readonly cluster: true;
        readonly point_count: number;
        readonly point_count_abbreviated: string;
        readonly verified: number;
        /** The zoom at which this cluster's cell splits (what a click zooms to). */
        readonly expansion_zoom: number;
      };
    };

export function abbreviate(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(Math.floor(n / 100) / 10).toString()}k`;
  return `${Math.floor(n / 1000)}k`;
}

/**
 * The features to draw for the chosen incidents at a zoom, within a view [west, south, east, north]
 * (extended by one cell, so that clusters at the edge do not jump while panning).
 */
export function clusterView(
  set: IncidentSet,
  projected: Projected,
  indices: Uint32Array,
  zoom: number,
  view: readonly [number, number, number, number],
  options: ClusterOptions,
): ClusterFeature[] {
  const z = Math.max(0, Math.floor(zoom));
  const cells = (TILE * 2 ** z) / options.radiusPx;
  const pad = 1 / cells;
  const x0 = mercatorX(view[0]) - pad;
  const x1 = mercatorX(view[2]) + pad;
  const y0 = mercatorY(view[3]) - pad;
  const y1 = mercatorY(view[1]) + pad;
  const { x, y } = projected;
  const features: ClusterFeature[] = [];

  if (z > options.maxZoom) {
    for (let n = 0; n < indices.length; n++) {
      const i = indices[n]!;
      const px = x[i]!;
      const py = y[i]!;
      if (px < x0 || px > x1 || py < y0 || py > y1) continue;
      features.push(point(set, i));
    }
    return features;
  }

  // Cell → [count, sum x, sum y, verified, first index, cx, cy]; keys are cx * rows + cy (exact in a double).
  const rows = Math.ceil(cells) + 2;
  const bins = new Map<number, number[]>();
  for (let n = 0; n < indices.length; n++) {
    const i = indices[n]!;
    const px = x[i]!;
    const py = y[i]!;
    if (px < x0 || px > x1 || py < y0 || py > y1) continue;
    const cx = Math.floor(px * cells);
    const cy = Math.floor(py * cells);
    const key = cx * rows + cy;
    const bin = bins.get(key);
    const verified = set.status[i] === options.verifiedCode ? 1 : 0;
    if (bin) {
      bin[0]!++;
      bin[1]! += px;
      bin[2]! += py;
      bin[3]! += verified;
    } else bins.set(key, [1, px, py, verified, i, cx, cy]);
  }
  // Incidents close together may fall either side of a cell's edge: a cell takes in a neighbouring
  // cell whose centre of mass lies within one cell of its own, largest cells first.
  const order = [...bins.entries()].sort((a, b) => b[1][0]! - a[1][0]!);
  const absorbed = new Set<number>();
  for (const [key, bin] of order) {
    if (absorbed.has(key)) continue;
    const [, , , , , cx, cy] = bin as [number, number, number, number, number, number, number];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        const other = (cx + dx) * rows + (cy + dy);
        if (other === key || absorbed.has(other)) continue;
        const near = bins.get(other);
        if (!near) continue;
        const distance = Math.hypot(bin[1]! / bin[0]! - near[1]! / near[0]!, bin[2]! / bin[0]! - near[2]! / near[0]!) * cells;
        if (distance >= 1) continue;
        bin[0]! += near[0]!;
        bin[1]! += near[1]!;
        bin[2]! += near[2]!;
        bin[3]! += near[3]!;
        absorbed.add(other);
      }
  }
  for (const [key, [count, sx, sy, verified, first]] of bins) {
    if (absorbed.has(key)) continue;
    if (count === 1) {
      features.push(point(set, first!));
      continue;
    }
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lonOf(sx! / count!), latOf(sy! / count!)] },
      properties: {
        cluster: true,
        point_count: count!,
        point_count_abbreviated: abbreviate(count!),
        verified: verified!,
        expansion_zoom: Math.min(z + 2, options.maxZoom + 1),
      },
    });
  }
  return features;
}

function point(set: IncidentSet, i: number): ClusterFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [set.lon[i]!, set.lat[i]!] },
    properties: { i, s: set.status[i]!, k: set.type[i]! },
  };
}
