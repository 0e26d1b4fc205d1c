import Flatbush from 'flatbush';
import * as geographiclib from 'geographiclib-geodesic';
import KDBush from 'kdbush';

/**
 * Spatial indexes for humanitarian deconfliction: notified sites (points, kdbush) and notified routes
 * (segments, flatbush), each answering "what lies within r metres of this incident?".
 *
 * Distances are WGS84 ellipsoidal geodesics, the same measure as PostGIS `ST_DWithin` on geography
 * (Karney's algorithm through GeographicLib), so that a hit here is a hit there. For short distances
 * a local ellipsoidal formula decides (relative error < 2e-8 below 3 km, measured in the tests); only
 * candidates within a millimetre-scale band of the threshold pay for the exact geodesic.
 *
 * Both indexes are static trees that grow by the logarithmic method: new items wait in a small
 * buffer that queries scan; a full buffer becomes a tree, and trees of similar size merge. So adding
 * one notice costs amortised O(log n) and never rebuilds everything at once.
 */

// GeographicLib ships a UMD bundle: under Node's ESM loader its API sits on the default export.
const geodesicLib = (geographiclib as unknown as { default?: typeof geographiclib }).default ?? geographiclib;
const WGS84 = geodesicLib.Geodesic.WGS84;
const DISTANCE_ONLY = geodesicLib.Geodesic.DISTANCE;

const A = 6378137;
const FLATTENING = 1 / 298.257223563;
const E2 = FLATTENING * (2 - FLATTENING);
const DEG = Math.PI / 180;
/** Beyond this the local formula is not trusted at all. */
const LOCAL_FORMULA_MAX_M = 20_000;

/** Metres per radian of latitude (M) and of longitude (N·cos φ) at latitude φ (degrees). */
function radiiAt(latDeg: number): { m: number; n: number } {
  const s = Math.sin(latDeg * DEG);
  const w = 1 - E2 * s * s;
  const n = A / Math.sqrt(w);
  return { m: (A * (1 - E2)) / (w * Math.sqrt(w)), n };
}

function wrapDegrees(d: number): number {
  return d > 180 ? d - 360 : d < -180 ? d + 360 : d;
}

/** Geodesic distance on the WGS84 ellipsoid, in metres (what PostGIS geography measures). */
export function geodesicDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return WGS84.Inverse(lat1, lon1, lat2, lon2, DISTANCE_ONLY).s12!;
}

/** Distance by the local ellipsoidal (mid-latitude) formula: fast, accurate for short distances. */
export function localDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const mid = (lat1 + lat2) / 2;
  const { m, n } = radiiAt(mid);
  const dx = n * Math.cos(mid * DEG) * wrapDegrees(lon2 - lon1) * DEG;
  const dy = m * (lat2 - lat1) * DEG;
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * The distance when it is within `radius`, else -1. Decides like `geodesicDistance(...) <= radius`,
 * but computes the geodesic only near the threshold.
 */
export function distanceWithin(lon1: number, lat1: number, lon2: number, lat2: number, radius: number): number {
  if (radius > LOCAL_FORMULA_MAX_M) {
    const d = geodesicDistance(lon1, lat1, lon2, lat2);
    return d <= radius ? d : -1;
  }
  const approx = localDistance(lon1, lat1, lon2, lat2);
  const band = 1e-5 * radius + 1e-3;
  if (approx < radius - band) return approx;
  if (approx > radius + band) return -1;
  const exact = geodesicDistance(lon1, lat1, lon2, lat2);
  return exact <= radius ? exact : -1;
}

/** A longitude/latitude box that surely holds every point within `radius` metres of (lon, lat). */
export function searchBox(lon: number, lat: number, radius: number): [number, number, number, number] {
  // 1 % slack covers the change of the radii of curvature across the box.
  const dLat = ((radius / radiiAt(lat).m) * 1.01) / DEG + 1e-9;
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const widest = Math.max(Math.abs(minLat), Math.abs(maxLat));
  if (widest >= 89.9) return [-180, minLat, 180, maxLat];
  const { n } = radiiAt(widest);
  const dLon = ((radius / (n * Math.cos(widest * DEG))) * 1.01) / DEG + 1e-9;
  if (dLon >= 180) return [-180, minLat, 180, maxLat];
  return [lon - dLon, minLat, lon + dLon, maxLat];
}

// ---------------------------------------------------------------------------------------------------

const BUFFER_SIZE = 64;
/** Trees merge while the newest is at most this many times the size of what joins it: few trees to query. */
const MERGE_FACTOR = 8;

/** Growable typed arrays of coordinates, indexed by the caller's id. */
class Coordinates {
  x = new Float64Array(1024);
  y = new Float64Array(1024);
  removed = new Uint8Array(1024);

  set(id: number, x: number, y: number): void {
    if (id >= this.x.length) this.grow(Math.max(id + 1, this.x.length * 2));
    this.x[id] = x;
    this.y[id] = y;
    this.removed[id] = 0;
  }

  private grow(capacity: number): void {
    const x = new Float64Array(capacity);
    x.set(this.x);
    const y = new Float64Array(capacity);
    y.set(this.y);
    const removed = new Uint8Array(capacity);
    removed.set(this.removed);
    this.x = x;
    this.y = y;
    this.removed = removed;
  }
}

interface PointLevel {
  readonly tree: KDBush;
  /** tree item → caller's id */
  readonly ids: Uint32Array;
}

/** One query's constants: its box and the metres per degree at its latitude. */
interface Query {
  lon: number;
  lat: number;
  radius: number;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  kx: number;
  ky: number;
  /** Squared distance (at the query's scale) beyond which a candidate is surely out; Infinity disables. */
  reject2: number;
  visit: (id: number, distance: number) => void;
}

// Shared traversal stack (queries run one at a time): a kd-tree over 2^32 items is 33 levels deep,
// and each level leaves at most one pending range of three numbers.
const STACK = new Int32Array(128);

/**
 * Notified sites as points. Ids are the caller's small integers (a slot per notice), dense from 0,
 * never reused. Removal marks a tombstone; merges drop tombstoned points.
 */
export class SiteIndex {
  private readonly coords = new Coordinates();
  private levels: PointLevel[] = [];
  private buffer: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(id: number, lon: number, lat: number): void {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`a site id is a non-negative integer, not ${id}`);
    this.coords.set(id, lon, lat);
    this.buffer.push(id);
    this.count++;
    if (this.buffer.length >= BUFFER_SIZE) this.flush();
  }

  remove(id: number): void {
    if (id < this.coords.removed.length && this.coords.removed[id] === 0) {
      this.coords.removed[id] = 1;
      this.count--;
    }
  }

  /** Merges everything into one tree (after a bulk load): the fastest shape for queries. */
  compact(): void {
    const all: number[] = [...this.buffer];
    for (const level of this.levels) for (const id of level.ids) all.push(id);
    this.buffer = [];
    this.levels = [];
    const live = all.filter((id) => this.coords.removed[id] === 0);
    if (live.length > 0) this.levels.push(this.build(live));
  }

  /** Calls `visit(id, metres)` for every site within `radius` metres of (lon, lat). */
  within(lon: number, lat: number, radius: number, visit: (id: number, distance: number) => void): void {
    // The search box as in searchBox(), with one sine and one cosine: this runs for every report.
    const sin = Math.sin(lat * DEG);
    const cos = Math.cos(lat * DEG);
    const w = 1 - E2 * sin * sin;
    const sw = Math.sqrt(w);
    const n = A / sw;
    const ky = ((A * (1 - E2)) / (w * sw)) * DEG;
    const kx = n * cos * DEG;
    const dLat = (radius * 1.01) / ky + 1e-9;
    const minY = Math.max(-90, lat - dLat);
    const maxY = Math.min(90, lat + dLat);
    // cos at the box's edge farthest from the equator, bounded from below (cos(a+d) ≥ cos a − d sin a − d²).
    const dRad = dLat * DEG;
    const cosEdge = cos - Math.abs(sin) * dRad - dRad * dRad;
    let minX = -180;
    let maxX = 180;
    if (Math.abs(lat) + dLat < 89.9 && cosEdge > 0.001) {
      const dLon = (radius * 1.01) / (n * cosEdge * DEG) + 1e-9;
      if (dLon < 180) {
        minX = lon - dLon;
        maxX = lon + dLon;
      }
    }
    // A cheap first test at the query's own scale; the margin covers the change of scale across the
    // box (relative ~ tan φ · Δφ), so it never rejects a site the geodesic would keep.
    const tan = Math.abs(sin / cos);
    const margin = radius <= LOCAL_FORMULA_MAX_M && Math.abs(lat) < 80 ? 1 + 3 * (radius / 6_300_000) * Math.max(1, tan) + 1e-6 : Infinity;
    const q: Query = {
      lon,
      lat,
      radius,
      minX,
      minY,
      maxX,
      maxY,
      kx,
      ky,
      reject2: margin === Infinity ? Infinity : (radius * margin + 1e-3) ** 2,
      visit,
    };
    if (minX < -180) {
      this.scanLevels(q, minX + 360, 180);
      this.scanLevels(q, -180, maxX);
    } else if (maxX > 180) {
      this.scanLevels(q, minX, 180);
      this.scanLevels(q, -180, maxX - 360);
    } else {
      this.scanLevels(q, minX, maxX);
    }
    const { x, y } = this.coords;
    for (const id of this.buffer) {
      const px = x[id]!;
      const py = y[id]!;
      if (py >= minY && py <= maxY && inLonRange(px, minX, maxX)) this.consider(id, px, py, q);
    }
  }

  private scanLevels(q: Query, minX: number, maxX: number): void {
    q.minX = minX;
    q.maxX = maxX;
    for (const level of this.levels) this.scan(level, q);
  }

  private consider(id: number, px: number, py: number, q: Query): void {
    if (this.coords.removed[id] === 1) return;
    const dx = wrapDegrees(px - q.lon) * q.kx;
    const dy = (py - q.lat) * q.ky;
    if (dx * dx + dy * dy > q.reject2) return;
    const d = distanceWithin(q.lon, q.lat, px, py, q.radius);
    if (d >= 0) q.visit(id, d);
  }

  /** kdbush's range search over its sorted arrays, without allocating a result array per query. */
  private scan(level: PointLevel, q: Query): void {
    const { ids, coords, nodeSize } = level.tree;
    const { minX, minY, maxX, maxY } = q;
    const map = level.ids;
    STACK[0] = 0;
    STACK[1] = ids.length - 1;
    STACK[2] = 0;
    let sp = 3;
    while (sp > 0) {
      const axis = STACK[--sp]!;
      const right = STACK[--sp]!;
      const left = STACK[--sp]!;
      if (right - left <= nodeSize) {
        for (let i = left; i <= right; i++) {
          const x = coords[2 * i]!;
          const y = coords[2 * i + 1]!;
          if (x >= minX && x <= maxX && y >= minY && y <= maxY) this.consider(map[ids[i]!]!, x, y, q);
        }
        continue;
      }
      const mid = (left + right) >> 1;
      const x = coords[2 * mid]!;
      const y = coords[2 * mid + 1]!;
      if (x >= minX && x <= maxX && y >= minY && y <= maxY) this.consider(map[ids[mid]!]!, x, y, q);
      if (axis === 0 ? minX <= x : minY <= y) {
        STACK[sp++] = left;
        STACK[sp++] = mid - 1;
        STACK[sp++] = 1 - axis;
      }
      if (axis === 0 ? maxX >= x : maxY >= y) {
        STACK[sp++] = mid + 1;
        STACK[sp++] = right;
        STACK[sp++] = 1 - axis;
      }
    }
  }

  private flush(): void {
    let ids = this.buffer;
    this.buffer = [];
    // Logarithmic method: merge with the newest trees while they are not much larger than what is merged.
    while (this.levels.length > 0 && this.levels[this.levels.length - 1]!.ids.length <= MERGE_FACTOR * ids.length) {
      const last = this.levels.pop()!;
      ids = ids.concat(Array.from(last.ids));
    }
    const live = ids.filter((id) => this.coords.removed[id] === 0);
    if (live.length > 0) this.levels.push(this.build(live));
  }

  private build(ids: number[]): PointLevel {
    const tree = new KDBush(ids.length, 16, Float64Array);
    for (const id of ids) tree.add(this.coords.x[id]!, this.coords.y[id]!);
    tree.finish();
    return { tree, ids: Uint32Array.from(ids) };
  }
}

function inLonRange(x: number, minX: number, maxX: number): boolean {
  if (minX < -180) return x >= minX + 360 || x <= maxX;
  if (maxX > 180) return x >= minX || x <= maxX - 360;
  return x >= minX && x <= maxX;
}

// ---------------------------------------------------------------------------------------------------

interface SegmentLevel {
  readonly tree: Flatbush;
  /** tree item → segment number */
  readonly segments: Uint32Array;
}

/**
 * Notified routes as segments. A route is a polyline in lon/lat (RFC 7946 draws its edges straight in
 * lon/lat); the distance from an incident to a route is the geodesic distance to the nearest point
 * of the nearest edge, that point found in a local plane around the incident (exact within the few
 * kilometres a buffer spans).
 */
export class RouteIndex {
  private readonly owner: number[] = [];
  private readonly ends: number[] = [];
  private readonly removedRoutes = new Set<number>();
  private levels: SegmentLevel[] = [];
  private buffer: number[] = [];

  /** Adds route `id` (one per movement) as its consecutive segments. */
  add(id: number, line: readonly (readonly number[])[]): void {
    if (!Number.isInteger(id) || id < 0) throw new RangeError(`a route id is a non-negative integer, not ${id}`);
    this.removedRoutes.delete(id);
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1]!;
      const b = line[i]!;
      const segment = this.owner.length;
      this.owner.push(id);
      this.ends.push(a[0]!, a[1]!, b[0]!, b[1]!);
      this.buffer.push(segment);
    }
    if (this.buffer.length >= BUFFER_SIZE) this.flush();
  }

  remove(id: number): void {
    this.removedRoutes.add(id);
  }

  /** Calls `visit(id, metres)` once per route passing within `radius` metres of (lon, lat), with its nearest distance. */
  within(lon: number, lat: number, radius: number, visit: (id: number, distance: number) => void): void {
    const [minX, minY, maxX, maxY] = searchBox(lon, lat, radius);
    const nearest = new Map<number, number>();
    const check = (segment: number) => {
      const id = this.owner[segment]!;
      if (this.removedRoutes.has(id)) return;
      const d = this.segmentDistance(segment, lon, lat, radius);
      if (d < 0) return;
      const before = nearest.get(id);
      if (before === undefined || d < before) nearest.set(id, d);
    };
    for (const level of this.levels) {
      for (const i of level.tree.search(minX, minY, maxX, maxY)) check(level.segments[i]!);
    }
    for (const segment of this.buffer) {
      const e = this.ends;
      const k = segment * 4;
      if (
        Math.max(e[k]!, e[k + 2]!) >= minX &&
        Math.min(e[k]!, e[k + 2]!) <= maxX &&
        Math.max(e[k + 1]!, e[k + 3]!) >= minY &&
        Math.min(e[k + 1]!, e[k + 3]!) <= maxY
      ) {
        check(segment);
      }
    }
    for (const [id, d] of nearest) visit(id, d);
  }

  private segmentDistance(segment: number, lon: number, lat: number, radius: number): number {
    const k = segment * 4;
    const e = this.ends;
    const { m, n } = radiiAt(lat);
    const kx = n * Math.cos(lat * DEG) * DEG;
    const ky = m * DEG;
    // The incident is the origin of a local plane; the edge's end points in metres.
    const ax = wrapDegrees(e[k]! - lon) * kx;
    const ay = (e[k + 1]! - lat) * ky;
    const bx = wrapDegrees(e[k + 2]! - lon) * kx;
    const by = (e[k + 3]! - lat) * ky;
    const vx = bx - ax;
    const vy = by - ay;
    const len2 = vx * vx + vy * vy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * vx + ay * vy) / len2));
    const nearLon = e[k]! + t * wrapDegrees(e[k + 2]! - e[k]!);
    const nearLat = e[k + 1]! + t * (e[k + 3]! - e[k + 1]!);
    return distanceWithin(lon, lat, wrapDegrees(nearLon), nearLat, radius);
  }

  private flush(): void {
    let segments = this.buffer;
    this.buffer = [];
    while (this.levels.length > 0 && this.levels[this.levels.length - 1]!.segments.length <= segments.length) {
      segments = segments.concat(Array.from(this.levels.pop()!.segments));
    }
    const live = segments.filter((s) => !this.removedRoutes.has(this.owner[s]!));
    if (live.length === 0) return;
    const tree = new Flatbush(live.length);
    const e = this.ends;
    for (const s of live) {
      const k = s * 4;
      tree.add(Math.min(e[k]!, e[k + 2]!), Math.min(e[k + 1]!, e[k + 3]!), Math.max(e[k]!, e[k + 2]!), Math.max(e[k + 1]!, e[k + 3]!));
    }
    tree.finish();
    this.levels.push({ tree, segments: Uint32Array.from(live) });
  }
}
