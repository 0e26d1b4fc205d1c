import { snapToGrid } from '../precision';

/**
 * Need-to-know precision for notices: everyone not entitled to a site's exact place sees the centre of
 * the grid cell it lies in — the same grid reports are coarsened to (operations/precision.ts), so a
 * site and the incidents around it line up on every map, and asking again never narrows it down.
 */

export interface CoarsePoint {
  readonly lon: number;
  readonly lat: number;
  readonly precision_m: number;
}

export function coarsenPoint(lon: number, lat: number, precision: number): CoarsePoint {
  return { ...snapToGrid(lon, lat, precision), precision_m: precision };
}

/** A route coarsened vertex by vertex, consecutive repeats dropped (a short route may become one cell). */
export function coarsenLine(line: readonly (readonly number[])[], precision: number): [number, number][] {
  const out: [number, number][] = [];
  for (const p of line) {
    const c = snapToGrid(p[0]!, p[1]!, precision);
    const last = out[out.length - 1];
    if (!last || last[0] !== c.lon || last[1] !== c.lat) out.push([c.lon, c.lat]);
  }
  return out;
}
