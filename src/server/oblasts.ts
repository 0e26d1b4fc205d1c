import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolygonIndex } from '../core/geo/zones';

/**
 * Ukraine's first-level areas (oblasts, Crimea, Kyiv and Sevastopol cities) for the daily report's
 * "by area" counts. Source: Ministry for Development of Communities and Territories of Ukraine
 * (© Мінрегіон), CC BY-SA; names in Ukrainian (property ADMIN_1). Loaded once, on first use.
 */

export const OBLASTS_ATTRIBUTION =
  'Oblast boundaries © Мінрегіон (Ministry for Development of Communities and Territories of Ukraine), CC BY-SA';

const DEFAULT_PATH = join(import.meta.dirname, '../../../shared/data/boundaries/ukraine-oblasts.geojson');

interface Area {
  readonly name: string;
  readonly index: PolygonIndex;
  readonly bbox: readonly [number, number, number, number];
}

type Geometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

let loaded: Area[] | null = null;

function load(path: string): Area[] {
  if (!existsSync(path)) return [];
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { features: { properties: Record<string, unknown>; geometry: Geometry | null }[] };
  const areas: Area[] = [];
  for (const f of doc.features) {
    if (!f.geometry) continue;
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const index = new PolygonIndex(polygons);
    areas.push({ name: String(f.properties.ADMIN_1 ?? 'unnamed area'), index, bbox: index.bbox });
  }
  return areas;
}

/** The oblast a point lies in, or null (at sea, abroad, or boundaries not installed). */
export function oblastOf(lon: number, lat: number): string | null {
  loaded ??= load(process.env.ENTENTE_BOUNDARIES ?? DEFAULT_PATH);
  for (const a of loaded) {
    const [w, s, e, n] = a.bbox;
    if (lon < w || lon > e || lat < s || lat > n) continue;
    if (a.index.contains(lon, lat)) return a.name;
  }
  return null;
}
