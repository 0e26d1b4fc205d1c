import { describe, expect, it } from 'vitest';
import { twoVersionState } from '../../../test/operations-fixtures';
import { NO_MILESTONES } from '../milestones';
import { CeasefireRecord } from './ceasefire';
import { prosperityProjection } from './state';
import { samplePackage } from './testing';
import { evaluateAll, moneySummary } from './views';

describe('the prosperity projection', () => {
  it('restores from its snapshot to the same package, rates and sums', () => {
    const framework = twoVersionState();
    const { state } = samplePackage(framework);
    const restored = prosperityProjection.fromSnapshot(JSON.parse(JSON.stringify(prosperityProjection.toSnapshot(state))));
    const facts = { framework, ceasefire: new CeasefireRecord(), milestones: NO_MILESTONES, attestations: [] };
    const t = Date.parse('2026-03-01T00:00:00Z');
    expect(moneySummary(restored, evaluateAll(restored, facts, t))).toEqual(moneySummary(state, evaluateAll(state, facts, t)));
    expect(restored.rates.lookup('GBP', 'EUR', '2026-02-01')).toEqual(state.rates.lookup('GBP', 'EUR', '2026-02-01'));
    expect([...restored.commitments.get('eu-substation')!.tranches]).toEqual(['eu-substation-1', 'eu-substation-2']);
  });

  it('sums every pledge’s stages to exactly what was pledged, converted at the pledge’s date', () => {
    const framework = twoVersionState();
    const { state } = samplePackage(framework);
    const facts = { framework, ceasefire: new CeasefireRecord(), milestones: NO_MILESTONES, attestations: [] };
    const summary = moneySummary(state, evaluateAll(state, facts, Date.parse('2026-03-01T00:00:00Z')));
    // 50M + 12M EUR, 8M USD × 0.9180, 25M GBP × 1.1820
    expect(summary.total).toBe('98894000.00');
    const stages = Object.values(summary.stages).reduce((s, v) => s + BigInt(v.replace('.', '')), 0n);
    expect(stages).toBe(9889400000n);
    expect(summary.byInstrument.map((r) => r.key)).toEqual(['grant', 'war-risk-insurance', 'loan', 'equity']);
  });
});
