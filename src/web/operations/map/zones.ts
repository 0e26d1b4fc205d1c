import type { Framework, Geometry, Zone } from '../../../core/framework/model';

/*
 * The zones a framework draws on the map. A clause's own part is the rule in force; a bracketed
 * clause's alternatives are proposals, drawn apart (dashed) so nobody mistakes a proposal for a line
 * the parties agreed. Withdrawal lines are rules of distance and often have no geometry: they are
 * listed beside the legend instead of drawn.
 */

export type ZoneKind = 'contact-line' | 'buffer-zone' | 'corridor-buffer' | 'withdrawal-line' | 'maritime-corridor' | 'airspace-area';
export const ZONE_KINDS: readonly ZoneKind[] = [
  'contact-line',
  'buffer-zone',
  'corridor-buffer',
  'maritime-corridor',
  'airspace-area',
  'withdrawal-line',
];

export interface ZoneFeatureProperties {
  readonly id: string;
  readonly kind: ZoneKind;
  readonly clause: string;
  /** `agreed` is the clause's own part; `proposed` an alternative of a bracketed clause. */
  readonly standing: 'agreed' | 'proposed';
  /** The alternative's id, for a proposal. */
  readonly alternative: string | null;
  readonly proposedBy: string;
  readonly illustrative: boolean;
  /** Width in metres, where the zone states one (buffers, corridors). */
  readonly width_m: number | null;
}

export interface ZoneFeature {
  readonly type: 'Feature';
  readonly geometry: Geometry;
  readonly properties: ZoneFeatureProperties;
}

export interface WithdrawalRule {
  readonly id: string;
  readonly clause: string;
  readonly from: string;
  readonly appliesTo: readonly string[];
  readonly withdrawals: readonly { readonly weaponClass: string; readonly distance_m: number }[];
}

export interface FrameworkZones {
  readonly features: ZoneFeature[];
  readonly withdrawals: WithdrawalRule[];
  /** The rounding the framework sets for what the public sees, in metres (null when it sets none). */
  readonly publicPrecision_m: number | null;
}

function kindOf(zone: Zone, corridors: ReadonlySet<string>): ZoneKind {
  if (zone.type === 'buffer-zone' && zone.along !== undefined && corridors.has(zone.along)) return 'corridor-buffer';
  return zone.type;
}

export function zonesOf(document: Framework): FrameworkZones {
  const features: ZoneFeature[] = [];
  const withdrawals: WithdrawalRule[] = [];
  let publicPrecision: number | null = null;
  const clauses = document.chapters.flatMap((chapter) => chapter.articles.flatMap((article) => article.clauses));

  // A buffer "along" a corridor protects shipping, not a front line: it gets the corridor's colour.
  const corridors = new Set<string>();
  for (const clause of clauses) {
    for (const part of [clause.part, ...clause.alternatives.map((a) => a.part)]) {
      if (part?.kind === 'zone' && part.type === 'maritime-corridor') corridors.add(part.id);
    }
  }

  const add = (zone: Zone, clause: string, standing: 'agreed' | 'proposed', alternative: string | null, proposedBy: readonly string[]) => {
    if (zone.type === 'withdrawal-line') {
      if (standing === 'agreed')
        withdrawals.push({ id: zone.id, clause, from: zone.from, appliesTo: zone.appliesTo, withdrawals: zone.withdrawals });
      if (!zone.geometry) return;
    }
    const geometry = zone.geometry;
    if (!geometry) return;
    const width = zone.type === 'buffer-zone' ? zone.width_m : zone.type === 'maritime-corridor' ? (zone.width_m ?? null) : null;
    features.push({
      type: 'Feature',
      geometry,
      properties: {
        id: zone.id,
        kind: kindOf(zone, corridors),
        clause,
        standing,
        alternative,
        proposedBy: proposedBy.join(', '),
        illustrative: zone.illustrative,
        width_m: width,
      },
    });
  };

  for (const clause of clauses) {
    if (clause.status === 'deleted') continue;
    const part = clause.part;
    if (part?.kind === 'zone') add(part, clause.id, clause.status === 'bracketed' ? 'proposed' : 'agreed', null, []);
    if (part?.kind === 'deconfliction-rule')
      publicPrecision = publicPrecision === null ? part.publicPrecision_m : Math.max(publicPrecision, part.publicPrecision_m);
    for (const alternative of clause.alternatives) {
      if (alternative.part?.kind === 'zone') add(alternative.part, clause.id, 'proposed', alternative.id, alternative.proposedBy);
    }
  }
  // Areas first, lines last, so lines are drawn over the areas they cross.
  const order = (f: ZoneFeature) => (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon' ? 0 : 1);
  features.sort((a, b) => order(a) - order(b));
  return { features, withdrawals, publicPrecision_m: publicPrecision };
}
