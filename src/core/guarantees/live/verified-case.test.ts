import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Framework } from '../../framework/model';
import { validateFramework } from '../../framework/validate';
import { buildZoneIndex, classifyPoint, type ZoneIndex } from '../../geo/zones';
import { guaranteeTexts, type GuaranteeText } from '../commitments';
import { checkCoverage, type MatrixCell } from '../coverage';
import { clause, commitment, framework } from '../testing';
import { TriggerEngine, type VerifiedCase } from '../trigger';
import { addCaseZones } from './verified-case';

/**
 * The live case-zone rule and the coverage check read the zones the same way: wherever a breach
 * happens, the commitments that open live are exactly those the coverage matrix names for the case's
 * zones. The example plants a gap on purpose — alternative B of c-commit-sea protects "the corridor
 * itself", so the corridor's buffer has no responder — and a breach there must reach nobody.
 */

const EXAMPLE = join(import.meta.dirname, '../../../../examples/kyiv-2026/framework.yaml');
function example(): Framework {
  const r = validateFramework(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
  if (!r.document) throw new Error('example does not validate');
  return r.document;
}

const doc = example();
const index = buildZoneIndex(doc);
const { texts } = guaranteeTexts(doc);
const coverage = checkCoverage(doc);

/** A point `km` kilometres east of the corridor's centre-line vertex at 30.35 E, 45.55 N. */
function eastOfCorridor(km: number): { lon: number; lat: number } {
  return { lon: 30.35 + (km * 1000) / (111_195 * Math.cos((45.55 * Math.PI) / 180)), lat: 45.55 };
}

function zonesAt(zoneIndex: ZoneIndex, p: { lon: number; lat: number }): string[] {
  const zones = new Set<string>();
  addCaseZones(classifyPoint(zoneIndex, p.lon, p.lat), zones);
  return [...zones].sort();
}

let n = 0;
/** A breach that meets every evidence rule of the example's sea commitment: only its place decides. */
function seaBreach(type: string, zones: string[]): VerifiedCase {
  return {
    id: `case-${++n}`,
    occurredAt: '2026-02-01T03:00:00Z',
    verifiedAt: '2026-02-01T09:00:00Z',
    type,
    domain: 'sea',
    zones,
    severity: 5,
    attribution: { party: 'ru', confidence: 'high' },
    independentSources: 3,
    verifier: 'mechanism',
  };
}

/** The commitments a fresh engine for `text` opens on one case. */
function opened(text: GuaranteeText, kase: VerifiedCase): { commitment: string; lead: string | null }[] {
  const engine = new TriggerEngine(text, { ceasefire: { from: '2026-01-07T00:00:00Z' } });
  return engine
    .evaluate(kase)
    .flatMap((o) => (o.kind === 'opened' ? [{ commitment: o.opening.commitment, lead: o.opening.leadResponder }] : []));
}

/** The commitments the coverage matrix names as lead for the case's cells (its zones, and "anywhere"). */
function predicted(matrix: readonly MatrixCell[], kase: VerifiedCase): string[] {
  const cells = matrix.filter(
    (c) => c.breachType === kase.type && c.domain === kase.domain && (c.zone === null || kase.zones.includes(c.zone)),
  );
  return [...new Set(cells.flatMap((c) => c.leads.map((l) => l.commitment)))].sort();
}

function textUnder(alternative: string): GuaranteeText {
  const text = texts.find((t) => t.variant.choice['c-commit-sea'] === alternative);
  if (!text) throw new Error(`no variant with ${alternative}`);
  return text;
}

describe('where a breach at sea lies, live and in the coverage check', () => {
  const inBuffer = eastOfCorridor(8); // outside the 5.6 km fairway, inside the drawn corridor buffer

  it('puts a point in the corridor buffer but outside the corridor itself in corridor-buffer only', () => {
    expect(classifyPoint(index, inBuffer.lon, inBuffer.lat).corridors.map((c) => c.part)).toEqual(['buffer']);
    expect(zonesAt(index, inBuffer)).toEqual(['corridor-buffer']);
    // On the centre line the breach is in the corridor, which its drawn buffer also surrounds.
    expect(zonesAt(index, eastOfCorridor(0))).toEqual(['black-sea-corridor', 'corridor-buffer']);
  });

  it('under alternative B, a verified naval breach in the corridor buffer reaches no guarantor, as the coverage gap says', () => {
    const kase = seaBreach('naval', zonesAt(index, inBuffer));
    expect(opened(textUnder('c-commit-sea-b'), kase)).toEqual([]);
    const gap = coverage.findings.find(
      (f) => f.code === 'gap' && f.cells.some((c) => c.zone === 'corridor-buffer' && c.breachType === 'naval'),
    );
    expect(gap?.condition).toBe('under alternative B of clause c-commit-sea');
    // In the corridor itself the coalition leads under B.
    expect(opened(textUnder('c-commit-sea-b'), seaBreach('naval', zonesAt(index, eastOfCorridor(1))))).toEqual([
      { commitment: 'commit-sea', lead: 'coalition' },
    ]);
  });

  it('under alternative A, the same breach in the buffer reaches Türkiye', () => {
    expect(opened(textUnder('c-commit-sea-a'), seaBreach('naval', zonesAt(index, inBuffer)))).toEqual([
      { commitment: 'commit-sea', lead: 'tr' },
    ]);
  });

  it('opens, for the zones a breach lies in, exactly what the coverage matrix names, in every variant and across the corridor', () => {
    const across = [-25, -13, -11, -8, -4, -2, 0, 1, 2.5, 3, 5, 8, 10, 11.5, 12.5, 14, 25].map(eastOfCorridor);
    let compared = 0;
    let reached = 0;
    for (const [v, text] of texts.entries()) {
      const matrix = coverage.matrices[v]!;
      expect(matrix.variant).toBe(text.variant.label);
      for (const p of across)
        for (const type of ['naval', 'missile', 'drone']) {
          const kase = seaBreach(type, zonesAt(index, p));
          const live = opened(text, kase)
            .map((o) => o.commitment)
            .sort();
          expect(live, `${type} at ${p.lon.toFixed(3)} E under ${text.variant.label}`).toEqual(predicted(matrix.cells, kase));
          compared++;
          if (live.length) reached++;
        }
    }
    // Both outcomes occur, so the comparison says something.
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(compared);
  });
});

describe('a corridor without a buffer zone drawn along it', () => {
  const sea = commitment({ id: 'sea', zones: ['corridor'] });
  const withBuffer = framework([clause('c-sea', sea)]);
  const withoutBuffer = structuredClone(withBuffer);
  const zoneArticle = withoutBuffer.chapters[0]!.articles[0]!;
  zoneArticle.clauses = zoneArticle.clauses.filter((c) => c.id !== 'c-corridor-buffer');
  // About 5 km east of the corridor's centre line at 44° N: inside its 9 km buffer.
  const p = { lon: 29.9 + 5000 / (111_195 * Math.cos((44 * Math.PI) / 180)), lat: 44 };

  it('keeps its own buffer_m: a breach there is in the corridor', () => {
    expect(zonesAt(buildZoneIndex(withoutBuffer), p)).toEqual(['corridor']);
  });

  it('with a buffer zone drawn along it, the same point is in that zone instead', () => {
    expect(zonesAt(buildZoneIndex(withBuffer), p)).toEqual(['corridor-buffer']);
  });
});
