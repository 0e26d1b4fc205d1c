import type { Framework, Geometry, Zone } from '../framework/model';
import { partSites } from '../framework/traverse';

/**
 * Classification of a point against the zones of one framework version, in our own code so that every
 * store and every node gives the same answer (PostGIS is only an oracle in tests and benchmarks).
 *
 * Distances are planar per segment in a local equirectangular projection centred on the point
 * (metres east and north of it): exact enough (well under 1 % at 100 km) for a ceasefire's distances,
 * and the same metric is used for the index's lower bounds, so the nearest segment is never missed.
 * Point-in-polygon is even-odd ray casting in lon/lat, which is what RFC 7946 polygons mean.
 * Each geometry gets a spatial index once per framework version (see `zoneIndexFor`).
 */

export const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;
const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function haversine_m(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

// ---------------------------------------------------------------------------------------------------
// Segment index: a uniform grid over the segments' bounding box, searched ring by ring outwards from
// the point's cell until the nearest cell of the next ring is farther than the best segment found.

export interface NearestSegment {
  readonly distance_m: number;
  /** Which side of the segment (in its drawing direction) the point lies on. */
  readonly side: 'left' | 'right' | 'on';
  readonly segment: number;
}

export class SegmentIndex {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;
  private readonly seen: Uint32Array;
  private stamp = 0;

  /** `coords` holds ax, ay, bx, by per segment, in degrees. */
  constructor(private readonly coords: Float64Array) {
    const n = coords.length / 4;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < coords.length; i += 2) {
      minX = Math.min(minX, coords[i]!);
      maxX = Math.max(maxX, coords[i]!);
      minY = Math.min(minY, coords[i + 1]!);
      maxY = Math.max(maxY, coords[i + 1]!);
    }
    if (n === 0) {
      minX = minY = maxX = maxY = 0;
    }
    const width = Math.max(maxX - minX, 1e-9);
    const height = Math.max(maxY - minY, 1e-9);
    // About one cell per segment, shaped like the bounding box.
    const nx = Math.max(1, Math.min(1024, Math.round(Math.sqrt((n * width) / height))));
    const ny = Math.max(1, Math.min(1024, Math.ceil(n / nx)));
    this.minX = minX;
    this.minY = minY;
    this.nx = nx;
    this.ny = ny;
    this.cellW = width / nx;
    this.cellH = height / ny;

    const counts = new Int32Array(nx * ny + 1);
    const each = (i: number, visit: (cell: number) => void) => {
      const ax = coords[4 * i]!;
      const ay = coords[4 * i + 1]!;
      const bx = coords[4 * i + 2]!;
      const by = coords[4 * i + 3]!;
      const i0 = this.col(Math.min(ax, bx));
      const i1 = this.col(Math.max(ax, bx));
      const j0 = this.row(Math.min(ay, by));
      const j1 = this.row(Math.max(ay, by));
      for (let j = j0; j <= j1; j++) for (let k = i0; k <= i1; k++) visit(j * nx + k);
    };
    for (let i = 0; i < n; i++) each(i, (c) => counts[c + 1]!++);
    for (let c = 0; c < nx * ny; c++) counts[c + 1]! += counts[c]!;
    this.cellStart = counts;
    this.cellItems = new Int32Array(counts[nx * ny]!);
    const fill = counts.slice(0, nx * ny);
    for (let i = 0; i < n; i++) each(i, (c) => (this.cellItems[fill[c]!++] = i));
    this.seen = new Uint32Array(n);
  }

  get size(): number {
    return this.coords.length / 4;
  }

  private col(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minX) / this.cellW)));
  }
  private row(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.minY) / this.cellH)));
  }

  /** The nearest segment to a point, or null when the index is empty. */
  nearest(lon: number, lat: number): NearestSegment | null {
    if (this.size === 0) return null;
    const q: Query = {
      lon,
      lat,
      kx: M_PER_DEG * Math.cos(lat * RAD),
      ky: M_PER_DEG,
      best: Infinity,
      bestSeg: -1,
      bestCross: 0,
      ringMin: Infinity,
    };
    const ci = this.col(lon);
    const cj = this.row(lat);
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const maxR = Math.max(ci, this.nx - 1 - ci, cj, this.ny - 1 - cj);
    // Plain loops and a query record, no closures: this runs a million times in the benchmark.
    for (let r = 0; r <= maxR; r++) {
      q.ringMin = Infinity;
      if (r === 0) this.visitCell(q, ci, cj);
      else {
        for (let i = ci - r; i <= ci + r; i++) {
          this.visitCell(q, i, cj - r);
          this.visitCell(q, i, cj + r);
        }
        for (let j = cj - r + 1; j <= cj + r - 1; j++) {
          this.visitCell(q, ci - r, j);
          this.visitCell(q, ci + r, j);
        }
      }
      // Rings only get farther from the point's (clamped) cell: once a whole ring is beyond the best, stop.
      if (q.ringMin > q.best) break;
    }
    const side = q.best < 1e-6 ? 'on' : q.bestCross > 0 ? 'left' : 'right';
    return { distance_m: q.best, side, segment: q.bestSeg };
  }

  private visitCell(q: Query, i: number, j: number): void {
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return;
    const { lon, lat, kx, ky } = q;
    const x0 = this.minX + i * this.cellW;
    const y0 = this.minY + j * this.cellH;
    const dx = Math.max(x0 - lon, 0, lon - (x0 + this.cellW)) * kx;
    const dy = Math.max(y0 - lat, 0, lat - (y0 + this.cellH)) * ky;
    const d = Math.sqrt(dx * dx + dy * dy);
    if (d < q.ringMin) q.ringMin = d;
    if (d > q.best) return;
    const c = j * this.nx + i;
    const end = this.cellStart[c + 1]!;
    for (let k = this.cellStart[c]!; k < end; k++) {
      const s = this.cellItems[k]!;
      if (this.seen[s] === this.stamp) continue;
      this.seen[s] = this.stamp;
      const o = 4 * s;
      const ax = (this.coords[o]! - lon) * kx;
      const ay = (this.coords[o + 1]! - lat) * ky;
      const bx = (this.coords[o + 2]! - lon) * kx;
      const by = (this.coords[o + 3]! - lat) * ky;
      const ex = bx - ax;
      const ey = by - ay;
      const len2 = ex * ex + ey * ey;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * ex + ay * ey) / len2));
      const qx = ax + t * ex;
      const qy = ay + t * ey;
      const dist = Math.sqrt(qx * qx + qy * qy);
      if (dist < q.best) {
        q.best = dist;
        q.bestSeg = s;
        // cross(B - A, P - A) with P at the origin
        q.bestCross = ex * -ay - ey * -ax;
      }
    }
  }
}

interface Query {
  readonly lon: number;
  readonly lat: number;
  readonly kx: number;
  readonly ky: number;
  best: number;
  bestSeg: number;
  bestCross: number;
  ringMin: number;
}

// ---------------------------------------------------------------------------------------------------
// Polygon index: edges bucketed into horizontal strips, so a ray cast only meets the edges of one strip.

export class PolygonIndex {
  private readonly minX: number;
  private readonly maxX: number;
  private readonly minY: number;
  private readonly maxY: number;
  private readonly stripH: number;
  private readonly strips: number;
  private readonly stripStart: Int32Array;
  private readonly stripItems: Int32Array;
  private readonly edges: Float64Array;

  /** Polygons as GeoJSON rings (outer ring first, then holes); even-odd over all rings. */
  constructor(polygons: readonly (readonly (readonly (readonly number[])[])[])[]) {
    const list: number[] = [];
    for (const rings of polygons)
      for (const ring of rings)
        for (let i = 1; i < ring.length; i++) {
          const a = ring[i - 1]!;
          const b = ring[i]!;
          if (a[1] === b[1] && a[0] === b[0]) continue;
          list.push(a[0]!, a[1]!, b[0]!, b[1]!);
        }
    this.edges = Float64Array.from(list);
    const n = this.edges.length / 4;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < this.edges.length; i += 2) {
      minX = Math.min(minX, this.edges[i]!);
      maxX = Math.max(maxX, this.edges[i]!);
      minY = Math.min(minY, this.edges[i + 1]!);
      maxY = Math.max(maxY, this.edges[i + 1]!);
    }
    this.minX = minX;
    this.maxX = maxX;
    this.minY = minY;
    this.maxY = maxY;
    this.strips = Math.max(1, Math.min(4096, Math.ceil(n / 2)));
    this.stripH = Math.max(maxY - minY, 1e-9) / this.strips;
    const counts = new Int32Array(this.strips + 1);
    const range = (i: number): [number, number] => {
      const ay = this.edges[4 * i + 1]!;
      const by = this.edges[4 * i + 3]!;
      return [this.strip(Math.min(ay, by)), this.strip(Math.max(ay, by))];
    };
    for (let i = 0; i < n; i++) {
      const [s0, s1] = range(i);
      for (let s = s0; s <= s1; s++) counts[s + 1]!++;
    }
    for (let s = 0; s < this.strips; s++) counts[s + 1]! += counts[s]!;
    this.stripStart = counts;
    this.stripItems = new Int32Array(counts[this.strips]!);
    const fill = counts.slice(0, this.strips);
    for (let i = 0; i < n; i++) {
      const [s0, s1] = range(i);
      for (let s = s0; s <= s1; s++) this.stripItems[fill[s]!++] = i;
    }
  }

  private strip(y: number): number {
    return Math.min(this.strips - 1, Math.max(0, Math.floor((y - this.minY) / this.stripH)));
  }

  /** Bounding box [minLon, minLat, maxLon, maxLat]. */
  get bbox(): [number, number, number, number] {
    return [this.minX, this.minY, this.maxX, this.maxY];
  }

  contains(lon: number, lat: number): boolean {
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return false;
    const s = this.strip(lat);
    let inside = false;
    for (let k = this.stripStart[s]!; k < this.stripStart[s + 1]!; k++) {
      const o = 4 * this.stripItems[k]!;
      const ax = this.edges[o]!;
      const ay = this.edges[o + 1]!;
      const bx = this.edges[o + 2]!;
      const by = this.edges[o + 3]!;
      if (ay > lat !== by > lat && lon < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
    }
    return inside;
  }
}

/** Even-odd point-in-polygon without an index (for one-off checks such as a report's own area). */
export function pointInRings(lon: number, lat: number, rings: readonly (readonly (readonly number[])[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const ax = ring[j]![0]!;
      const ay = ring[j]![1]!;
      const bx = ring[i]![0]!;
      const by = ring[i]![1]!;
      if (ay > lat !== by > lat && lon < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
    }
  }
  return inside;
}

/** Area-weighted centroid of a polygon's outer ring (the point used where a report gives an area). */
export function ringCentroid(ring: readonly (readonly number[])[]): { lon: number; lat: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const x0 = ring[j]![0]!;
    const y0 = ring[j]![1]!;
    const x1 = ring[i]![0]!;
    const y1 = ring[i]![1]!;
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (a === 0) {
    const n = Math.max(1, ring.length);
    return { lon: ring.reduce((s, p) => s + p[0]!, 0) / n, lat: ring.reduce((s, p) => s + p[1]!, 0) / n };
  }
  return { lon: cx / (3 * a), lat: cy / (3 * a) };
}

// ---------------------------------------------------------------------------------------------------
// Prepared geometry: lines and polygon boundaries for distances, polygons for containment.

export class PreparedGeometry {
  readonly segments: SegmentIndex;
  readonly areas: PolygonIndex | null;
  private readonly box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];

  constructor(geometry: Geometry) {
    const segs: number[] = [];
    const addLine = (line: readonly (readonly number[])[]) => {
      for (let i = 1; i < line.length; i++) segs.push(line[i - 1]![0]!, line[i - 1]![1]!, line[i]![0]!, line[i]![1]!);
    };
    let polygons: (readonly (readonly (readonly number[])[])[])[] = [];
    switch (geometry.type) {
      case 'LineString':
        addLine(geometry.coordinates);
        break;
      case 'MultiLineString':
        geometry.coordinates.forEach(addLine);
        break;
      case 'Polygon':
        polygons = [geometry.coordinates];
        break;
      case 'MultiPolygon':
        polygons = geometry.coordinates;
        break;
    }
    for (const rings of polygons) rings.forEach(addLine);
    for (let i = 0; i < segs.length; i += 2) {
      this.box[0] = Math.min(this.box[0], segs[i]!);
      this.box[1] = Math.min(this.box[1], segs[i + 1]!);
      this.box[2] = Math.max(this.box[2], segs[i]!);
      this.box[3] = Math.max(this.box[3], segs[i + 1]!);
    }
    this.segments = new SegmentIndex(Float64Array.from(segs));
    this.areas = polygons.length > 0 ? new PolygonIndex(polygons) : null;
  }

  contains(lon: number, lat: number): boolean {
    return this.areas !== null && this.areas.contains(lon, lat);
  }

  /** Whether the point may lie within `distance_m` of the geometry (its bounding box, widened). */
  near(lon: number, lat: number, distance_m: number): boolean {
    const dLat = distance_m / M_PER_DEG;
    const dLon = distance_m / (M_PER_DEG * Math.max(0.01, Math.cos((Math.min(89, Math.abs(lat) + dLat) * Math.PI) / 180)));
    return lon >= this.box[0] - dLon && lon <= this.box[2] + dLon && lat >= this.box[1] - dLat && lat <= this.box[3] + dLat;
  }

  /** Distance to the geometry: 0 inside an area, else to the nearest line or boundary. */
  distance_m(lon: number, lat: number): number {
    if (this.contains(lon, lat)) return 0;
    return this.segments.nearest(lon, lat)?.distance_m ?? Infinity;
  }
}

// ---------------------------------------------------------------------------------------------------
// Zones of a framework version

/** Where a zone comes from in the text: its clause, and the alternative when the clause is bracketed. */
export interface ZoneSource {
  readonly zone: string;
  readonly clause: string;
  /** Set when the zone is one option of a bracketed clause. */
  readonly alternative: string | null;
  /** The clause is not agreed (bracketed or open): the zone binds nobody yet. */
  readonly provisional: boolean;
  /** Drawn for discussion only (the framework says so). */
  readonly illustrative: boolean;
}

export interface ContactLineHit extends ZoneSource {
  readonly distance_m: number;
  readonly side: 'left' | 'right' | 'on';
}
export interface WithdrawalHit extends ZoneSource {
  /** The weapon class as the report names it, and the framework's code that covers it. */
  readonly weaponClass: string;
  readonly covered: string;
  readonly from: string;
  readonly required_m: number;
  readonly distance_m: number;
  /** The weapon is closer to the reference line than the withdrawal distance. */
  readonly violated: boolean;
  readonly appliesTo: readonly string[];
}
export interface CorridorHit extends ZoneSource {
  readonly part: 'fairway' | 'buffer';
  readonly distance_m: number;
}

/** What a report's point means under one framework version. */
export interface Classification {
  /** The nearest contact line (when the framework draws one). */
  readonly contactLine: ContactLineHit | null;
  readonly bufferZones: readonly ZoneSource[];
  readonly withdrawal: readonly WithdrawalHit[];
  readonly corridors: readonly CorridorHit[];
  readonly airspace: readonly ZoneSource[];
  /** The corridors whose buffer the framework draws as a zone of its own (the index's set, see ZoneIndex). */
  readonly corridorsWithBufferZone: ReadonlySet<string>;
}

interface Prepared<Z extends Zone> {
  readonly source: ZoneSource;
  readonly zone: Z;
  readonly geometry: PreparedGeometry | null;
}

export interface ZoneIndex {
  readonly contactLines: readonly Prepared<Extract<Zone, { type: 'contact-line' }>>[];
  readonly bufferZones: readonly Prepared<Extract<Zone, { type: 'buffer-zone' }>>[];
  readonly withdrawalLines: readonly (Prepared<Extract<Zone, { type: 'withdrawal-line' }>> & {
    readonly reference: PreparedGeometry | null;
  })[];
  readonly corridors: readonly Prepared<Extract<Zone, { type: 'maritime-corridor' }>>[];
  readonly airspace: readonly Prepared<Extract<Zone, { type: 'airspace-area' }>>[];
  /**
   * Corridors that a buffer zone is drawn along (`along: <corridor>`). Their protected distance is then
   * that buffer zone, which commitments name on its own ("in the corridor itself" leaves it out), so a
   * point there lies in the buffer zone and not in the corridor; the corridor keeps its fairway.
   */
  readonly corridorsWithBufferZone: ReadonlySet<string>;
  /** Bounding box of every zone's geometry, [minLon, minLat, maxLon, maxLat]; null without geometry. */
  readonly bbox: readonly [number, number, number, number] | null;
  readonly zoneCount: number;
}

export function buildZoneIndex(doc: Framework): ZoneIndex {
  const contactLines: ZoneIndex['contactLines'][number][] = [];
  const bufferZones: ZoneIndex['bufferZones'][number][] = [];
  const withdrawal: { source: ZoneSource; zone: Extract<Zone, { type: 'withdrawal-line' }> }[] = [];
  const corridors: ZoneIndex['corridors'][number][] = [];
  const airspace: ZoneIndex['airspace'][number][] = [];
  const geometries = new Map<string, PreparedGeometry>();
  const bbox = [Infinity, Infinity, -Infinity, -Infinity] as [number, number, number, number];
  let count = 0;

  for (const site of partSites(doc)) {
    if (site.part.kind !== 'zone' || site.clause.status === 'deleted') continue;
    const zone = site.part;
    const source: ZoneSource = {
      zone: zone.id,
      clause: site.clause.id,
      alternative: site.alternative?.id ?? null,
      provisional: site.clause.status !== 'agreed',
      illustrative: zone.illustrative,
    };
    const geometry = zone.geometry ? new PreparedGeometry(zone.geometry) : null;
    if (zone.geometry) extendBox(bbox, zone.geometry);
    // The first (agreed clause before alternatives, in document order) is the reference for `from`.
    if (geometry && !geometries.has(zone.id)) geometries.set(zone.id, geometry);
    count++;
    switch (zone.type) {
      case 'contact-line':
        contactLines.push({ source, zone, geometry });
        break;
      case 'buffer-zone':
        bufferZones.push({ source, zone, geometry });
        break;
      case 'withdrawal-line':
        withdrawal.push({ source, zone });
        break;
      case 'maritime-corridor':
        corridors.push({ source, zone, geometry });
        break;
      case 'airspace-area':
        airspace.push({ source, zone, geometry });
        break;
    }
  }
  const corridorIds = new Set(corridors.map((c) => c.zone.id));
  const corridorsWithBufferZone = new Set(
    bufferZones.map((b) => b.zone.along).filter((along): along is string => along !== undefined && corridorIds.has(along)),
  );
  return {
    contactLines,
    bufferZones,
    withdrawalLines: withdrawal.map((w) => ({ ...w, geometry: null, reference: geometries.get(w.zone.from) ?? null })),
    corridors,
    airspace,
    corridorsWithBufferZone,
    bbox: bbox[0] === Infinity ? null : bbox,
    zoneCount: count,
  };
}

function extendBox(box: [number, number, number, number], g: Geometry): void {
  const visit = (p: readonly number[]) => {
    box[0] = Math.min(box[0], p[0]!);
    box[1] = Math.min(box[1], p[1]!);
    box[2] = Math.max(box[2], p[0]!);
    box[3] = Math.max(box[3], p[1]!);
  };
  switch (g.type) {
    case 'LineString':
      g.coordinates.forEach(visit);
      break;
    case 'MultiLineString':
    case 'Polygon':
      g.coordinates.forEach((l) => l.forEach(visit));
      break;
    case 'MultiPolygon':
      g.coordinates.forEach((p) => p.forEach((l) => l.forEach(visit)));
      break;
  }
}

/**
 * Does a framework weapon code cover the weapon class a report names? Equal codes, or a framework code
 * that narrows the class ("mortars-up-to-120mm" covers "mortar"). A broader class is not assumed to
 * be covered by a narrower rule ("mlrs" does not match "heavy-mlrs": the report cannot say which).
 */
export function weaponCovered(frameworkCode: string, weaponClass: string): boolean {
  if (frameworkCode === weaponClass) return true;
  return frameworkCode.startsWith(weaponClass + '-') || frameworkCode.startsWith(weaponClass + 's-') || frameworkCode === weaponClass + 's';
}

const NONE: Classification = Object.freeze({
  contactLine: null,
  bufferZones: [],
  withdrawal: [],
  corridors: [],
  airspace: [],
  corridorsWithBufferZone: new Set<string>(),
});

/** Classifies one point (and, when given, the weapon class seen there) against a version's zones. */
export function classifyPoint(index: ZoneIndex, lon: number, lat: number, weaponClass?: string | null): Classification {
  if (index.zoneCount === 0) return NONE;
  let contactLine: ContactLineHit | null = null;
  for (const c of index.contactLines) {
    const hit = c.geometry?.segments.nearest(lon, lat);
    if (hit && (!contactLine || hit.distance_m < contactLine.distance_m))
      contactLine = { ...c.source, distance_m: hit.distance_m, side: hit.side };
  }
  const bufferZones: ZoneSource[] = [];
  for (const b of index.bufferZones) if (b.geometry?.contains(lon, lat)) bufferZones.push(b.source);
  const airspace: ZoneSource[] = [];
  for (const a of index.airspace) if (a.geometry?.contains(lon, lat)) airspace.push(a.source);
  const corridors: CorridorHit[] = [];
  for (const c of index.corridors) {
    if (!c.geometry) continue;
    const half = c.geometry.areas ? 0 : (c.zone.width_m ?? 0) / 2;
    // Far outside the corridor's box (buffer included) there is nothing to measure.
    if (!c.geometry.near(lon, lat, half + c.zone.buffer_m)) continue;
    const d = c.geometry.distance_m(lon, lat);
    if (d <= half) corridors.push({ ...c.source, part: 'fairway', distance_m: d });
    else if (d <= half + c.zone.buffer_m) corridors.push({ ...c.source, part: 'buffer', distance_m: d });
  }
  const withdrawal: WithdrawalHit[] = [];
  if (weaponClass) {
    for (const w of index.withdrawalLines) {
      if (!w.reference) continue;
      for (const rule of w.zone.withdrawals) {
        if (!weaponCovered(rule.weaponClass, weaponClass)) continue;
        const d = w.reference.distance_m(lon, lat);
        withdrawal.push({
          ...w.source,
          weaponClass,
          covered: rule.weaponClass,
          from: w.zone.from,
          required_m: rule.distance_m,
          distance_m: d,
          violated: d < rule.distance_m,
          appliesTo: w.zone.appliesTo,
        });
      }
    }
  }
  return { contactLine, bufferZones, withdrawal, corridors, airspace, corridorsWithBufferZone: index.corridorsWithBufferZone };
}

/** Whether the point lies in the area the framework's zones cover, widened by a margin. */
export function inFrameworkArea(index: ZoneIndex, lon: number, lat: number, margin_deg = 2): boolean {
  const b = index.bbox;
  if (!b) return true;
  return lon >= b[0] - margin_deg && lon <= b[2] + margin_deg && lat >= b[1] - margin_deg && lat <= b[3] + margin_deg;
}

// One index per framework version, built on first use: versions are immutable and named by hash.
const cache = new Map<string, ZoneIndex>();

export function zoneIndexFor(hash: string, doc: Framework): ZoneIndex {
  let index = cache.get(hash);
  if (!index) {
    index = buildZoneIndex(doc);
    cache.set(hash, index);
  }
  return index;
}
