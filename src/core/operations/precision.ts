import type { Framework } from '../framework/model';
import { partSites } from '../framework/traverse';

/**
 * Need-to-know precision. Exact coordinates are for holders of the `exact-location` grant and for the
 * reporter's own party; everyone else reads coordinates snapped to a grid whose cells are the
 * framework's public precision wide (5 km by default). Snapping to a fixed grid (rather than adding
 * noise or rounding decimals) gives the same coarse point for every report in a cell, so many reports
 * cannot be averaged back to the exact place.
 */

export const DEFAULT_PUBLIC_PRECISION_M = 5000;
const M_PER_DEG_LAT = 111_320;

// Documents are immutable once recorded: the answer is kept per document.
const precisionOfDoc = new WeakMap<Framework, number>();

/** The public precision of a framework: the coarsest any deconfliction rule asks for (safest). */
export function publicPrecisionOf(doc: Framework | null | undefined): number {
  if (!doc) return DEFAULT_PUBLIC_PRECISION_M;
  const known = precisionOfDoc.get(doc);
  if (known !== undefined) return known;
  let p = 0;
  for (const site of partSites(doc)) {
    if (site.part.kind === 'deconfliction-rule' && site.clause.status !== 'deleted') p = Math.max(p, site.part.publicPrecision_m);
  }
  const result = p > 0 ? p : DEFAULT_PUBLIC_PRECISION_M;
  precisionOfDoc.set(doc, result);
  return result;
}

/**
 * The centre of the grid cell holding the point. Rows are `precision_m` tall; the columns of a row are
 * `precision_m` wide at that row's centre latitude. Rounded to 4 decimals (about 10 m), far below the
 * cell size, so the output carries no digits of the input.
 */
export function snapToGrid(lon: number, lat: number, precision_m: number): { lon: number; lat: number } {
  const dLat = precision_m / M_PER_DEG_LAT;
  const row = Math.floor((lat + 90) / dLat);
  const cLat = Math.min(90, -90 + (row + 0.5) * dLat);
  const cos = Math.max(0.01, Math.cos((cLat * Math.PI) / 180));
  const dLon = Math.min(360, precision_m / (M_PER_DEG_LAT * cos));
  const col = Math.floor((lon + 180) / dLon);
  let cLon = -180 + (col + 0.5) * dLon;
  if (cLon > 180) cLon -= 360;
  return { lon: round4(cLon), lat: round4(cLat) };
}

/** A distance as the coarse record gives it: to the nearest multiple of the public precision. */
export function coarseDistance(distance_m: number, precision_m: number): number {
  return Math.round(distance_m / precision_m) * precision_m;
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
