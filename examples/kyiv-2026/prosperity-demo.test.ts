import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/factories';
import { evaluateTranche } from '../../src/core/prosperity/conditions';
import { ceasefireRecordOf } from '../../src/core/prosperity/ceasefire';
import { conditionFacts } from '../../src/core/prosperity/reactor';
import { ReportIntake } from '../../src/core/operations/intake';
import { ReportInput } from '../../src/core/operations/model';
import { changeStatus, recordFinding, type CaseDecision } from '../../src/core/operations/verification';
import type { Result } from '../../src/core/errors';
import { seedDemo } from '../../src/runtime/demo';
import { Journal } from '../../src/runtime/journal';
import { milestoneFacts } from '../../src/runtime/milestones';
import { openStore } from '../../src/store/open';
import type { JournalStore } from '../../src/store/contract';
import { DEMO_BREACH_DAYS_AGO } from './prosperity-demo';

const DAY = 86_400_000;
let dir: ReturnType<typeof tempDir>;
let store: JournalStore;
let journal: Journal;
const now = Date.now();

beforeAll(async () => {
  dir = tempDir();
  store = await openStore({ data: dir.path });
  await store.migrate();
  journal = new Journal(store, null);
  await journal.open();
  await seedDemo(journal, store, pino({ level: 'silent' }));
}, 120_000);
afterAll(async () => {
  await journal.close();
  await store.close();
  dir.remove();
});

const facts = () => conditionFacts(journal.image, () => milestoneFacts(journal.image))!;
const releasableAt = (id: string, t: number) =>
  evaluateTranche(journal.image.prosperity.tranches.get(id)!.conditions, facts(), t).releasable;

describe('the prosperity demo', () => {
  it('has several donors and investors, every instrument including a war-risk cover, in EUR, GBP and USD', () => {
    const s = journal.image.prosperity;
    const kinds = new Set([...s.pledges.values()].map((p) => s.actors.get(p.donor)!.kind));
    expect([...kinds].sort()).toEqual(['development-bank', 'donor-state', 'insurer', 'multilateral', 'private-investor']);
    expect(new Set([...s.pledges.values()].map((p) => p.instrument))).toEqual(
      new Set(['grant', 'loan', 'equity', 'guarantee', 'war-risk-insurance']),
    );
    expect(new Set([...s.pledges.values()].map((p) => p.currency))).toEqual(new Set(['EUR', 'GBP', 'USD']));
  });

  it('its recent breaches are verified in the buffer and in the corridor', () => {
    const record = ceasefireRecordOf(journal.image.operations, journal.image.framework);
    const recent = record.breaches().filter((b) => b.at > now - 60 * DAY);
    expect(recent.map((b) => b.zones.includes('contact-line-buffer') || b.zones.includes('black-sea-corridor'))).toEqual([true, true]);
  });

  it('locks and unlocks tranches by the ceasefire record', () => {
    const s = journal.image.prosperity;
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
        operations: journal.image.operations,
        framework: journal.image.framework,
        streamVersion: (s) => journal.image.index.streams.get(s) ?? 0,
      }),
      append: (request) => journal.append(request),
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
    const v = () => journal.image.operations.cases.get(caseId)!.version;
    const act = async (d: Result<CaseDecision>) => {
      if (!d.ok) throw new Error(d.message);
      const r = await journal.append({ drafts: d.value.drafts, actor: 'monitor', party: 'mechanism', expected: d.value.expected });
      if (!r.ok) throw new Error(r.message);
    };
    await act(
      changeStatus(
        journal.image.operations,
        caseId,
        { version: v(), to: 'under-investigation', reason: '' },
        { now: new Date(now), actor: monitor },
      ),
    );
    await act(
      recordFinding(
        journal.image.operations,
        caseId,
        { version: v(), attribution: { party: null, couldNotAttribute: true, reason: 'unknown' }, summary: 'confirmed', severity: 4 },
        {
          now: new Date(now),
          actor: monitor,
          findingId: 'flip-test-finding',
          knownParties: new Set(journal.image.identity.parties.keys()),
        },
      ),
    );
    await act(
      changeStatus(
        journal.image.operations,
        caseId,
        { version: v(), to: 'verified', reason: 'seen' },
        { now: new Date(now), actor: monitor },
      ),
    );
    expect(releasableAt('eu-zp-substation-1', later)).toBe(false);
    expect(releasableAt('bsm-odesa-1', later)).toBe(false);
    // Severity 4 is above the schools' ceiling of 3, everywhere: their condition flips too.
    expect(evaluateTranche(journal.image.prosperity.tranches.get('uk-kharkiv-1')!.conditions, facts(), later).releasable).toBe(false);
  });
});
