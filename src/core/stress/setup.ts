import { fail, ok, type Result } from '../errors';
import type { Framework, Zone } from '../framework/model';
import { clauseSites } from '../framework/traverse';
import { buildZoneIndex, classifyPoint, pointInRings, type ZoneIndex } from '../geo/zones';
import { branchingClauses, resolveGuarantees, type AlternativeChoice, type GuaranteeText } from '../guarantees/commitments';
import { checkCoverage } from '../guarantees/coverage';
import { addCaseZones } from '../guarantees/live/verified-case';
import { DEFAULT_CORRELATION_RULES, widestWindow, type CorrelationRule } from '../operations/correlation';
import { moneyModelOf, type MoneyModel } from './money';
import type { Scenario } from './scenario';

/**
 * Everything a run needs that does not depend on its seed, prepared once per Monte Carlo (and once
 * per worker): the text of the chosen alternatives as the trigger engine reads it, the zone index the
 * live classification uses, the coverage check's gap cells for that text, a sampler per zone, and
 * the tranches whose unlocking is followed (src/core/stress/money.ts).
 */

/** A historical event placed on the scenario's clock (from a UCDP import). */
export interface ReplayEvent {
  /** ms after the scenario's start */
  readonly offsetMs: number;
  readonly lon: number;
  readonly lat: number;
  readonly type: string;
  readonly domain: string;
  readonly killed: number;
}

export interface SimulationSetup {
  readonly scenario: Scenario;
  readonly text: GuaranteeText;
  /** Clause id → the alternative chosen (every branching clause). */
  readonly choice: Readonly<Record<string, string>>;
  readonly variantLabel: string;
  readonly zones: ZoneIndex;
  /** `type|domain|zone` → the clauses the coverage check names for that gap (where the fix goes first). */
  readonly gapCells: ReadonlyMap<string, readonly string[]>;
  readonly samplers: ReadonlyMap<string, ZoneSampler>;
  readonly rules: readonly CorrelationRule[];
  readonly correlationWindowMs: number;
  readonly replay: readonly ReplayEvent[];
  readonly money: MoneyModel | null;
  /** Parties that breach (the `by` of the base rates): the sides reheating plays between. */
  readonly sides: readonly string[];
}

export const cellKey = (type: string, domain: string, zone: string) => `${type}|${domain}|${zone}`;

/** Draws a point in a zone. */
export type ZoneSampler = (u: () => number) => { lon: number; lat: number };

export interface SetupOptions {
  readonly choice?: AlternativeChoice;
  readonly replay?: readonly ReplayEvent[];
  readonly rules?: readonly CorrelationRule[];
}

/** Completes a partial choice with the first alternative of every other branching clause (as a text in force is judged live). */
export function completeChoice(doc: Framework, choice: AlternativeChoice = {}): Record<string, string> {
  const full: Record<string, string> = {};
  for (const b of branchingClauses(doc)) {
    const wanted = choice[b.clause];
    const alt = wanted === undefined ? b.alternatives[0]! : b.alternatives.find((a) => a.id === wanted || a.label === wanted);
    full[b.clause] = alt ? alt.id : wanted!;
  }
  for (const [k, v] of Object.entries(choice)) if (!(k in full)) full[k] = v;
  return full;
}

export function prepareSimulation(doc: Framework, scenario: Scenario, options: SetupOptions = {}): Result<SimulationSetup> {
  const choice = completeChoice(doc, options.choice);
  const resolved = resolveGuarantees(doc, choice);
  if (!resolved.ok) return resolved;
  const text = resolved.value;
  const zones = buildZoneIndex(doc);
  const samplers = new Map<string, ZoneSampler>();
  for (const site of clauseSites(doc)) {
    const parts = [
      site.clause.part,
      ...site.clause.alternatives.filter((a) => a.id === choice[site.clause.id] || !(site.clause.id in choice)).map((a) => a.part),
    ];
    for (const part of parts) if (part?.kind === 'zone' && !samplers.has(part.id)) samplers.set(part.id, samplerOf(part, zones));
  }
  const named = [
    ...scenario.breaches.map((b) => b.zone),
    ...scenario.provocations.map((p) => p.zone),
    ...scenario.falseClaims.map((f) => f.zone),
  ];
  for (const z of named)
    if (!samplers.has(z))
      return fail('validation_failed', `zone "${z}" is not in the framework (or has no geometry to place breaches in)`, '/scenario');

  const gapCells = new Map<string, string[]>();
  const coverage = checkCoverage(doc);
  for (const f of coverage.findings) {
    if (f.code !== 'gap' || !f.variants.includes(text.variant.label)) continue;
    for (const c of f.cells) if (c.zone !== null) gapCells.set(cellKey(c.breachType, c.domain, c.zone), [...f.clauses]);
  }
  const rules = options.rules ?? DEFAULT_CORRELATION_RULES;
  // The tranches the scenario follows, judged by the prosperity module's conditions against this text.
  const money = moneyModelOf(doc, scenario, choice);
  if (!money.ok) return money;
  return ok({
    scenario,
    text,
    choice,
    variantLabel: text.variant.label,
    zones,
    gapCells,
    samplers,
    rules,
    correlationWindowMs: widestWindow(rules).minutes * 60_000,
    replay: options.replay ?? [],
    money: money.value,
    sides: [...new Set(scenario.breaches.map((b) => b.by))].sort(),
  });
}

/** The zones an incident at this point lies in, by the same rule as a live verified case. */
export function zonesAt(setup: SimulationSetup, lon: number, lat: number): string[] {
  const zones = new Set<string>();
  addCaseZones(classifyPoint(setup.zones, lon, lat), zones);
  return [...zones].sort();
}

// ---------------------------------------------------------------------------------------------------
// Placing incidents in a zone

const M_PER_DEG = 111_320;

function samplerOf(zone: Zone, index: ZoneIndex): ZoneSampler {
  switch (zone.type) {
    case 'buffer-zone':
    case 'airspace-area':
      if (zone.geometry) return inArea(zone.geometry.type === 'Polygon' ? [zone.geometry.coordinates] : zone.geometry.coordinates);
      break;
    case 'contact-line':
      // Along the line, within the reach at which a case counts "at the contact line".
      if (zone.geometry) return nearLine(lines(zone.geometry), 12_000);
      break;
    case 'maritime-corridor':
      if (zone.geometry && (zone.geometry.type === 'LineString' || zone.geometry.type === 'MultiLineString'))
        return nearLine(lines(zone.geometry), (zone.width_m ?? 2000) / 2);
      if (zone.geometry && (zone.geometry.type === 'Polygon' || zone.geometry.type === 'MultiPolygon'))
        return inArea(zone.geometry.type === 'Polygon' ? [zone.geometry.coordinates] : zone.geometry.coordinates);
      break;
    case 'withdrawal-line': {
      // Beyond the line of contact but inside the withdrawal distance: where a heavy weapon is seen.
      const from = index.contactLines.find((c) => c.source.zone === zone.from)?.zone.geometry;
      if (from) return nearLine(lines(from), Math.min(...zone.withdrawals.map((w) => w.distance_m)));
      break;
    }
  }
  const box = index.bbox ?? [30, 45, 40, 50];
  return (u) => ({ lon: box[0] + u() * (box[2] - box[0]), lat: box[1] + u() * (box[3] - box[1]) });
}

type Ring = readonly (readonly number[])[];

function lines(g: NonNullable<Zone['geometry']>): Ring[] {
  if (g.type === 'LineString') return [g.coordinates];
  if (g.type === 'MultiLineString') return g.coordinates;
  if (g.type === 'Polygon') return [g.coordinates[0]!];
  return g.coordinates.map((p) => p[0]!);
}

function inArea(polygons: readonly (readonly Ring[])[]): ZoneSampler {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const poly of polygons)
    for (const p of poly[0]!) {
      minLon = Math.min(minLon, p[0]!);
      maxLon = Math.max(maxLon, p[0]!);
      minLat = Math.min(minLat, p[1]!);
      maxLat = Math.max(maxLat, p[1]!);
    }
  return (u) => {
    // Rejection sampling in the bounding box; thin shapes may need a few hundred tries.
    for (let i = 0; i < 1000; i++) {
      const lon = minLon + u() * (maxLon - minLon);
      const lat = minLat + u() * (maxLat - minLat);
      if (polygons.some((poly) => pointInRings(lon, lat, poly))) return { lon, lat };
    }
    const first = polygons[0]![0]![0]!;
    return { lon: first[0]!, lat: first[1]! };
  };
}

function nearLine(parts: readonly Ring[], halfWidth_m: number): ZoneSampler {
  const segments: { lon: number; lat: number; dlon: number; dlat: number; length: number }[] = [];
  let total = 0;
  for (const line of parts)
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1]!;
      const b = line[i]!;
      const length = Math.hypot((b[0]! - a[0]!) * Math.cos((a[1]! * Math.PI) / 180), b[1]! - a[1]!);
      segments.push({ lon: a[0]!, lat: a[1]!, dlon: b[0]! - a[0]!, dlat: b[1]! - a[1]!, length });
      total += length;
    }
  return (u) => {
    let at = u() * total;
    let s = segments[segments.length - 1]!;
    for (const seg of segments) {
      if (at <= seg.length) {
        s = seg;
        break;
      }
      at -= seg.length;
    }
    const t = s.length > 0 ? at / s.length : 0;
    const lon0 = s.lon + t * s.dlon;
    const lat0 = s.lat + t * s.dlat;
    // A perpendicular offset, so that the point stays within the reach of the line.
    const cos = Math.cos((lat0 * Math.PI) / 180);
    const nx = -s.dlat;
    const ny = s.dlon * cos;
    const norm = Math.hypot(nx, ny) || 1;
    const off = ((u() * 2 - 1) * halfWidth_m) / M_PER_DEG;
    return { lon: lon0 + ((nx / norm) * off) / cos, lat: lat0 + (ny / norm) * off };
  };
}
