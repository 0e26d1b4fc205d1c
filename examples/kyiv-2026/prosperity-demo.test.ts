import { describe, expect, it } from 'vitest';
import { evaluateTranche } from '../../src/core/prosperity/conditions';
import { ceasefireRecordOf } from '../../src/core/prosperity/ceasefire';
import { conditionFacts } from '../../src/core/prosperity/reactor';
import { ReportIntake } from '../../src/core/operations/intake';
import { ReportInput } from '../../src/core/operations/model';
import { changeStatus, recordFinding, type CaseDecision } from '../../src/core/operations/verification';
import type { Result } from '../../src/core/errors';
import { milestoneFacts } from '../../src/runtime/milestones';
import { DEMO_BREACH_DAYS_AGO } from './prosperity-demo';
import { seededDemoNode } from './demo-node';

const DAY = 86_400_000;
const now = Date.now();

const demo = seededDemoNode();

const facts = () => conditionFacts(demo.journal.image, () => milestoneFacts(demo.journal.image))!;
const releasableAt = (id: string, t: number) =>
  evaluateTranche(demo.journal.image.prosperity.tranches.get(id)!.conditions, facts(), t).releasable;

describe('the prosperity demo', () => {
  it('has several donors and investors, every instrument including a war-risk cover, in EUR, GBP and USD', () => {
    const s = demo.journal.image.prosperity;
    const kinds = new Set([...s.pledges.values()].map((p) => s.actors.get(p.donor)!.kind));
    expect([...kinds].sort()).toEqual(['development-bank', 'donor-state', 'insurer', 'multilateral', 'private-investor']);
    expect(new Set([...s.pledges.values()].map((p) => p.instrument))).toEqual(
      new Set(['grant', 'loan', 'equity', 'guarantee', 'war-risk-insurance']),
    );
    expect(new Set([...s.pledges.values()].map((p) => p.currency))).toEqual(new Set(['EUR', 'GBP', 'USD']));
  });

  it('its recent breaches are verified in the buffer and in the corridor', () => {
    const record = ceasefireRecordOf(demo.journal.image.operations, demo.journal.image.framework);
    const recent = record.breaches().filter((b) => b.at > now - 60 * DAY);
    expect(recent.map((b) => b.zones.includes('contact-line-buffer') || b.zones.includes('black-sea-corridor'))).toEqual([true, true]);
  });

  it('locks and unlocks tranches by the ceasefire record', () => {
    const s = demo.journal.image.prosperity;
    // The shelling 12 days ago restarted the 30-day count of the first tranche and of the war-risk cover.
    expect(releasableAt('eu-zp-substation-1', now)).toBe(false);
    expect(releasableAt('bsm-odesa-1', now)).toBe(false);
    const first = evaluateTranche(s.tranches.get('eu-zp-substation-1')!.conditions, facts(), now);
    expect(Date.parse(first.unlocksAt!)).toBeGreaterThan(now + (30 - DEMO_BREACH_DAYS_AGO.buffer - 1) * DAY);
    expect(Date.parse(first.unlocksAt!)).toBeLessThan(now + (30 - DEMO_BREACH_DAYS_AGO.buffer + 1) * DAY);
    // 30 more quiet days unlock them; the housing (60 days) and the port equity (90 in the corridor) stay locked.
    expect(releasableAt('eu-zp-substation-1', now + 30 * DAY)).toBe(true);
    expect(releasableAt('bsm-odesa-1', now + 30 * DAY)).toBe(true);
    expect(releasableAt('eu-orikhiv-1', now + 30 * DAY)).toBe(false);
    expect(releasableAt('dnipro-odesa-1', now + 30 * DAY)).toBe(false);
    // Money moved where conditions held: released, disbursed, partly spent.
    expect(s.tranches.get('uk-kharkiv-1')!.release).not.toBeNull();
    expect(s.tranches.get('kfw-mykolaiv-1')!.expenditures).toHaveLength(2);
    expect(releasableAt('us-kyiv-demining-1', now)).toBe(true);
    expect(releasableAt('kfw-mykolaiv-2', now)).toBe(false);
  });

  it('conditions flip when the demo ceasefire record changes', async () => {
    const later = now + 20 * DAY;
    expect(releasableAt('eu-zp-substation-1', later)).toBe(true);
    expect(releasableAt('uk-kharkiv-1', later)).toBe(true);
    // A new shelling in the buffer today, verified with severity 4.
    const intake = new ReportIntake({
      view: () => ({
        operations: demo.journal.image.operations,
        framework: demo.journal.image.framework,
        streamVersion: (s) => demo.journal.image.index.streams.get(s) ?? 0,
      }),
      append: (request) => demo.journal.append(request),
      now: () => new Date(now),
    });
    const filed = await intake.submit(
      ReportInput.parse({
        occurredAt: new Date(now - 3_600_000).toISOString(),
        location: { lon: 37.5, lat: 48.38 },
        domain: 'land',
        type: 'shelling-impact',
        source: 'patrol-saw',
        narrative: 'Impacts south of Kostiantynivka.',
      }),
      { username: 'monitor', party: 'mechanism', roles: ['monitor'] },
      { id: 'flip-test-report' },
    );
    if (!filed.ok) throw new Error(filed.message);
    const caseId = filed.value.caseId!;
    const monitor = { username: 'monitor', party: 'mechanism' };
    const v = () => demo.journal.image.operations.cases.get(caseId)!.version;
    const act = async (d: Result<CaseDecision>) => {
      if (!d.ok) throw new Error(d.message);
      const r = await demo.journal.append({ drafts: d.value.drafts, actor: 'monitor', party: 'mechanism', expected: d.value.expected });
      if (!r.ok) throw new Error(r.message);
    };
    await act(
      changeStatus(
        demo.journal.image.operations,
        caseId,
        { version: v(), to: 'under-investigation', reason: '' },
        { now: new Date(now), actor: monitor },
      ),
    );
    await act(
      recordFinding(
        demo.journal.image.operations,
        caseId,
        { version: v(), attribution: { party: null, couldNotAttribute: true, reason: 'unknown' }, summary: 'confirmed', severity: 4 },
        {
          now: new Date(now),
          actor: monitor,
          findingId: 'flip-test-finding',
          knownParties: new Set(demo.journal.image.identity.parties.keys()),
        },
      ),
    );
    await act(
      changeStatus(
        demo.journal.image.operations,
        caseId,
        { version: v(), to: 'verified', reason: 'seen' },
        { now: new Date(now), actor: monitor },
      ),
    );
    expect(releasableAt('eu-zp-substation-1', later)).toBe(false);
    expect(releasableAt('bsm-odesa-1', later)).toBe(false);
    // Severity 4 is above the schools' ceiling of 3, everywhere: their condition flips too.
    expect(evaluateTranche(demo.journal.image.prosperity.tranches.get('uk-kharkiv-1')!.conditions, facts(), later).releasable).toBe(false);
  });
});
