import type { Geometry } from './model';

/**
 * Validity of GeoJSON geometry in our own code (no service, identical answers everywhere):
 * lines have length and do not cross themselves; polygon rings are closed, have at least four
 * positions and an area, do not cross themselves or each other. Ranges of longitude and latitude are
 * checked by the schema. Computation is planar in lon/lat, which is what "crosses itself" means for
 * GeoJSON (RFC 7946 draws straight lines in lon/lat space).
 */

export interface GeometryIssue {
  /** Pointer relative to the geometry object, e.g. `/coordinates/0/12`. */
  readonly pointer: string;
  readonly message: string;
}

type Pos = readonly number[];

export function checkGeometry(g: Geometry): GeometryIssue[] {
  const issues: GeometryIssue[] = [];
  switch (g.type) {
    case 'LineString':
      checkLine(g.coordinates, '/coordinates', issues);
      break;
    case 'MultiLineString':
      if (g.coordinates.length === 0) issues.push({ pointer: '/coordinates', message: 'a MultiLineString needs at least one line' });
      g.coordinates.forEach((line, i) => checkLine(line, `/coordinates/${i}`, issues));
      break;
    case 'Polygon':
      checkPolygon(g.coordinates, '/coordinates', issues);
      break;
    case 'MultiPolygon':
      if (g.coordinates.length === 0) issues.push({ pointer: '/coordinates', message: 'a MultiPolygon needs at least one polygon' });
      g.coordinates.forEach((poly, i) => checkPolygon(poly, `/coordinates/${i}`, issues));
      break;
  }
  return issues;
}

function checkLine(line: readonly Pos[], pointer: string, issues: GeometryIssue[]): void {
  if (line.length < 2) {
    issues.push({ pointer, message: `a line needs at least 2 positions; it has ${line.length}` });
    return;
  }
  if (line.every((p) => samePoint(p, line[0]!))) {
    issues.push({ pointer, message: 'the line has no length: all its positions are the same point' });
    return;
  }
  const crossing = firstSelfIntersection([line], false);
  if (crossing)
    issues.push({
      pointer: `${pointer}/${crossing.b}`,
      message: `the line crosses itself: the segment ending at position ${crossing.b} meets the segment ending at position ${crossing.a}`,
    });
}

function checkPolygon(rings: readonly (readonly Pos[])[], pointer: string, issues: GeometryIssue[]): void {
  if (rings.length === 0) {
    issues.push({ pointer, message: 'a polygon needs an outer ring' });
    return;
  }
  let ringsOk = true;
  rings.forEach((ring, r) => {
    const at = `${pointer}/${r}`;
    const name = r === 0 ? 'the outer ring' : `hole ${r}`;
    if (ring.length < 4) {
      issues.push({
        pointer: at,
        message: `${name} needs at least 4 positions (a triangle plus the closing position); it has ${ring.length}`,
      });
      ringsOk = false;
      return;
    }
    if (!samePoint(ring[0]!, ring[ring.length - 1]!)) {
      issues.push({
        pointer: `${at}/${ring.length - 1}`,
        message: `${name} is not closed: its last position must repeat the first, [${fmt(ring[0]!)}]`,
      });
      ringsOk = false;
      return;
    }
    if (Math.abs(signedArea(ring)) === 0) {
      issues.push({ pointer: at, message: `${name} has no area (its positions lie on one line)` });
      ringsOk = false;
    }
  });
  if (!ringsOk) return;
  const crossing = firstSelfIntersection(rings, true);
  if (crossing) {
    const where =
      crossing.ringA === crossing.ringB
        ? `${crossing.ringA === 0 ? 'the outer ring' : `hole ${crossing.ringA}`} crosses itself`
        : `hole ${crossing.ringB} crosses ${crossing.ringA === 0 ? 'the outer ring' : `hole ${crossing.ringA}`}`;
    issues.push({
      pointer: `${pointer}/${crossing.ringB}/${crossing.b}`,
      message: `${where}: the segment ending at position ${crossing.b} meets the segment ending at position ${crossing.a}${crossing.ringA !== crossing.ringB ? ` of ring ${crossing.ringA}` : ''}`,
    });
  }
}

interface Segment {
  readonly ring: number;
  /** index of the segment's end position in its ring/line */
  readonly end: number;
  /** index among the ring's segments (repeated positions make no segment) */
  readonly seq: number;
  readonly ax: number;
  readonly ay: number;
  readonly bx: number;
  readonly by: number;
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

interface Crossing {
  readonly ringA: number;
  readonly a: number;
  readonly ringB: number;
  readonly b: number;
}

/**
 * Sweep over x: segments sorted by their left end, compared only with segments whose x-range is still
 * open. Near-linear for real borders and front lines, which are long and thin.
 */
function firstSelfIntersection(parts: readonly (readonly Pos[])[], closed: boolean): Crossing | null {
  const segments: Segment[] = [];
  const counts: number[] = [];
  parts.forEach((pts, ring) => {
    let n = 0;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      if (samePoint(a, b)) continue; // a repeated position is harmless; it has no segment
      const ax = a[0]!;
      const ay = a[1]!;
      const bx = b[0]!;
      const by = b[1]!;
      segments.push({
        ring,
        end: i,
        seq: n,
        ax,
        ay,
        bx,
        by,
        minX: Math.min(ax, bx),
        maxX: Math.max(ax, bx),
        minY: Math.min(ay, by),
        maxY: Math.max(ay, by),
      });
      n++;
    }
    counts[ring] = n;
  });
  const order = segments.map((_, i) => i).sort((i, j) => segments[i]!.minX - segments[j]!.minX);
  let active: number[] = [];
  let best: Crossing | null = null;
  for (const i of order) {
    const s = segments[i]!;
    active = active.filter((j) => segments[j]!.maxX >= s.minX);
    for (const j of active) {
      const t = segments[j]!;
      if (t.maxY < s.minY || t.minY > s.maxY) continue;
      if (!conflict(s, t, closed, counts[s.ring]!)) continue;
      const [first, second] = t.ring < s.ring || (t.ring === s.ring && t.end < s.end) ? [t, s] : [s, t];
      const c: Crossing = { ringA: first.ring, a: first.end, ringB: second.ring, b: second.end };
      // Report the crossing that comes first in the text, so the message is stable.
      if (!best || c.ringB < best.ringB || (c.ringB === best.ringB && c.b < best.b)) best = c;
    }
    active.push(i);
  }
  return best;
}

function conflict(s: Segment, t: Segment, closed: boolean, ringSegments: number): boolean {
  if (s.ring === t.ring && adjacent(s.seq, t.seq, closed, ringSegments)) {
    // Neighbours share a vertex by construction; they conflict only if they fold back onto each other.
    return collinearOverlap(s, t);
  }
  return intersects(s, t);
}

/** Neighbours in a ring or line; in a ring the last segment also neighbours the first. */
function adjacent(a: number, b: number, closed: boolean, n: number): boolean {
  if (Math.abs(a - b) === 1) return true;
  return closed && n > 2 && ((a === 0 && b === n - 1) || (b === 0 && a === n - 1));
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
}

function intersects(s: Segment, t: Segment): boolean {
  const o1 = orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const o2 = orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  const o3 = orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const o4 = orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(s.ax, s.ay, s.bx, s.by, t.ax, t.ay)) return true;
  if (o2 === 0 && onSegment(s.ax, s.ay, s.bx, s.by, t.bx, t.by)) return true;
  if (o3 === 0 && onSegment(t.ax, t.ay, t.bx, t.by, s.ax, s.ay)) return true;
  if (o4 === 0 && onSegment(t.ax, t.ay, t.bx, t.by, s.bx, s.by)) return true;
  return false;
}

/** Two segments sharing a vertex that lie on one line and point the same way from it (a spike). */
function collinearOverlap(s: Segment, t: Segment): boolean {
  if (orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay) !== 0 || orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by) !== 0) return false;
  // Find the shared vertex and the two far ends; they overlap when the far ends lie on the same side.
  const [shx, shy, sfx, sfy] = s.bx === t.ax && s.by === t.ay ? [s.bx, s.by, s.ax, s.ay] : [s.ax, s.ay, s.bx, s.by];
  const [tfx, tfy] = s.bx === t.ax && s.by === t.ay ? [t.bx, t.by] : [t.ax, t.ay];
  return (sfx - shx) * (tfx - shx) + (sfy - shy) * (tfy - shy) > 0;
}

function signedArea(ring: readonly Pos[]): number {
  let sum = 0;
  for (let i = 1; i < ring.length; i++) {
    const a = ring[i - 1]!;
    const b = ring[i]!;
    sum += a[0]! * b[1]! - b[0]! * a[1]!;
  }
  return sum / 2;
}

function samePoint(a: Pos, b: Pos): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function fmt(p: Pos): string {
  return `${p[0]}, ${p[1]}`;
}
