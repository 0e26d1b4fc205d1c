import { fail, ok, type Result } from '../../errors';
import { ColumnMapping, defaultMapping, planMapping, type SourceRow } from './mapping';
import { mapPrepared, type ImportRow, type ParsedImport, type PreparedImport } from './rows';
import { decodeBytes, lineAt, lineStarts, unreadableLines } from './text';

/**
 * A GeoJSON FeatureCollection (RFC 7946): Point features become point reports, Polygon features
 * area reports; properties are mapped like CSV columns. Each feature is named by its number and
 * the line it starts on, so a bad one can be found in the file.
 */
export function readGeojson(bytes: Uint8Array, mapping: ColumnMapping | null): Result<ParsedImport> {
  const prepared = prepareGeojson(bytes, mapping);
  return prepared.ok ? ok(mapPrepared(prepared.value)) : prepared;
}

export function prepareGeojson(bytes: Uint8Array, mapping: ColumnMapping | null): Result<PreparedImport> {
  const decoded = decodeBytes(bytes, 'utf-8');
  // RFC 7946 §6: GeoJSON is UTF-8. Bytes that are not are refused rather than guessed.
  const bad = unreadableLines(decoded);
  if (bad.size > 0) {
    const [line, reason] = [...bad][0]!;
    return fail('validation_failed', `line ${line}: ${reason}; GeoJSON must be UTF-8 (RFC 7946), nothing was imported`, '/content');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(decoded.text);
  } catch (error) {
    return fail('validation_failed', `the file is not JSON: ${jsonError(decoded.text, error)}; nothing was imported`, '/content');
  }
  const root = doc as { type?: unknown; features?: unknown };
  let features: unknown[];
  if (root && typeof root === 'object' && root.type === 'FeatureCollection' && Array.isArray(root.features)) features = root.features;
  else if (root && typeof root === 'object' && root.type === 'Feature') features = [root];
  else
    return fail(
      'validation_failed',
      'the file is not a GeoJSON FeatureCollection (an object with "type": "FeatureCollection" and "features": [...])',
      '/content',
    );

  const starts = lineStarts(decoded.text);
  const offsets = root.type === 'Feature' ? [decoded.text.indexOf('{')] : featureOffsets(decoded.text);
  const lineOf = (i: number) => lineAt(starts, offsets[i] ?? 0);

  const early: ImportRow[] = [];
  const sources: SourceRow[] = [];
  const featureOf: number[] = [];
  const columns = new Set<string>();
  features.forEach((f, i) => {
    const line = lineOf(i);
    const named = (reason: string) => ({ line, problem: `feature ${i + 1}: ${reason}` });
    if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') {
      early.push(named('is not a GeoJSON Feature'));
      return;
    }
    const feature = f as { id?: unknown; geometry?: unknown; properties?: unknown };
    const properties =
      feature.properties && typeof feature.properties === 'object' && !Array.isArray(feature.properties)
        ? (feature.properties as Record<string, unknown>)
        : {};
    const values: Record<string, unknown> = { ...properties };
    if (feature.id !== undefined && !('id' in values)) values.id = feature.id;
    for (const k of Object.keys(values)) columns.add(k);
    const geometry = geometryOf(feature.geometry);
    if (typeof geometry === 'string') {
      early.push(named(geometry));
      return;
    }
    sources.push(geometry ? { line, values, geometry } : { line, values });
    featureOf.push(i);
  });

  const effective = mapping ?? defaultMapping([...columns]);
  const plan = planMapping(effective, [...columns], sources, 'geojson');
  if (!plan.ok)
    return mapping
      ? plan
      : fail(plan.code, `${plan.message}; give a mapping (--mapping FILE) that says which property is which`, '/mapping');
  const mapRow = plan.value.mapRow;
  return ok({
    format: 'geojson',
    encoding: null,
    early,
    pending: sources.map((s, k) => ({
      line: s.line,
      map() {
        const row = mapRow(s);
        return 'problem' in row ? { line: row.line, problem: `feature ${featureOf[k]! + 1}: ${row.problem}` } : row;
      },
    })),
    attribution: effective.attribution ?? null,
    notes: mapping
      ? []
      : [`no mapping given: properties named like report fields were used (${Object.keys(effective.columns).join(', ') || 'none'})`],
  });
}

type Geometry = SourceRow['geometry'];

/** The feature's geometry as a location, null when it has none (the mapping may give lon/lat), or why it cannot be used. */
function geometryOf(g: unknown): Geometry | null | string {
  if (g === null || g === undefined) return null;
  const geometry = g as { type?: unknown; coordinates?: unknown };
  const isPosition = (p: unknown): p is number[] =>
    Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n));
  if (geometry.type === 'Point') {
    if (!isPosition(geometry.coordinates)) return 'its Point has no [longitude, latitude] coordinates';
    const [lon, lat] = geometry.coordinates as [number, number];
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return `its Point [${lon}, ${lat}] is not [longitude, latitude] on the Earth`;
    return { type: 'point', lon, lat };
  }
  if (geometry.type === 'Polygon') {
    const rings = geometry.coordinates;
    if (!Array.isArray(rings) || rings.length === 0 || !rings.every((r) => Array.isArray(r) && r.every(isPosition)))
      return 'its Polygon coordinates are not rings of [longitude, latitude]';
    return { type: 'area', polygon: (rings as number[][][]).map((r) => r.map((p) => [p[0]!, p[1]!] as [number, number])) };
  }
  return `its geometry is a ${String(geometry.type)}; reports are Points or Polygons`;
}

/** JSON.parse's message names a character position; people need a line and column. */
function jsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const offset = Number(m[1]);
  const starts = lineStarts(text);
  const line = lineAt(starts, offset);
  return `${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')} at line ${line}, column ${offset - starts[line - 1]! + 1}`;
}

/**
 * The character offset where each element of the top-level "features" array starts, found by a
 * scan that only tracks strings and nesting (JSON.parse does not say where things are).
 */
export function featureOffsets(text: string): number[] {
  const offsets: number[] = [];
  const stack: number[] = [];
  let featuresDepth = -1;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    const atElement = featuresDepth === stack.length && expectValue;
    if (atElement && c !== 0x5d /* ] */) {
      offsets.push(i);
      expectValue = false;
    }
    if (c === 0x22 /* " */) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      if (stack.length === 1 && stack[0] === 0x7b && featuresDepth < 0) {
        // A key of the root object: is it "features"?
        let j = i + 1;
        while (j < text.length && /\s/.test(text[j]!)) j++;
        if (text[j] === ':' && text.slice(start + 1, i) === 'features') {
          for (j++; j < text.length && /\s/.test(text[j]!); j++);
          if (text[j] === '[') featuresDepth = -2;
        }
      }
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      stack.push(c);
      if (c === 0x5b && featuresDepth === -2 && stack.length === 2) {
        featuresDepth = 2;
        expectValue = true;
      }
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (c === 0x5d && featuresDepth === stack.length) featuresDepth = -3;
      stack.pop();
      continue;
    }
    if (c === 0x2c /* , */ && featuresDepth === stack.length) expectValue = true;
  }
  return offsets;
}
