import { describe, expect, it } from 'vitest';
import { memoryJournal } from '../../../test/operations-fixtures';
import type { AppendRequest } from '../journal/envelope';
import { compatible, DEFAULT_CORRELATION_RULES, explainMatch, matchRules } from './correlation';
import { ReportIntake } from './intake';
import { ReportInput } from './model';
import type { ParsedReport } from './report';

const monitor = { username: 'monitor-user', party: 'mechanism', roles: ['monitor'] };
const T0 = Date.parse('2026-01-20T03:40:00Z');
/** Metres north of the base point, in degrees of latitude. */
const north = (m: number) => 47.47 + m / 111_195;

function at(minutes: number, metresNorth: number, type = 'shelling-impact', over: Record<string, unknown> = {}): ParsedReport {
  return ReportInput.parse({
    occurredAt: new Date(T0 + minutes * 60_000).toISOString(),
    location: { lon: 35.93, lat: north(metresNorth) },
    domain: 'land',
    type,
    source: 'patrol-heard',
    ...over,
  });
}

function setup(delayMs = 0) {
  const j = memoryJournal();
  let n = 0;
  const append = async (r: AppendRequest) => {
    if (delayMs) await new Promise((res) => setTimeout(res, delayMs));
    return j.append(r);
  };
  const intake = new ReportIntake({ view: j.view, append, now: () => new Date('2026-03-01T00:00:00Z') });
  const file = async (input: ParsedReport) => {
    const r = await intake.submit(input, monitor, { id: `r${++n}` });
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  const caseOf = (id: string) => j.image.operations.cases.get(j.image.operations.reports.get(id)!.caseId!)!;
  return { ...j, file, caseOf };
}

describe('correlation rules', () => {
  it('groups two impacts 1.2 km and 14 minutes apart, and says so', async () => {
    const { file, caseOf } = setup();
    const a = await file(at(0, 0));
    const b = await file(at(14, 1200));
    expect(b.caseId).toBe(a.caseId);
    const kase = caseOf(b.id);
    expect(kase.reportIds).toEqual([a.id, b.id]);
    expect(kase.explanations.find((e) => e.reportId === b.id)!.text).toBe('grouped by rule R1: 1.2 km, 14 min apart, both shelling-impact');
    expect(kase.explanations.find((e) => e.reportId === a.id)!.text).toMatch(/^opened for this report/);
  });

  it('groups compatible types (an airburst with shelling) and names both', async () => {
    const { file, caseOf } = setup();
    const a = await file(at(0, 0));
    const b = await file(at(5, 300, 'airburst'));
    expect(b.caseId).toBe(a.caseId);
    expect(caseOf(b.id).explanations.at(-1)!.text).toBe('grouped by rule R1: 300 m, 5 min apart, airburst and shelling-impact');
  });

  it('keeps apart what is too far, too late, or of another kind', async () => {
    const { file } = setup();
    const a = await file(at(0, 0));
    expect((await file(at(10, 2600))).caseId).not.toBe(a.caseId);
    expect((await file(at(45, 100))).caseId).not.toBe(a.caseId);
    expect((await file(at(2, 100, 'movement-restriction'))).caseId).not.toBe(a.caseId);
  });

  it('does not group reports timed only to the day', async () => {
    const { file } = setup();
    const a = await file(at(0, 0, 'shelling-impact', { occurredPrecision: 'day' }));
    const b = await file(at(0, 10, 'shelling-impact', { occurredPrecision: 'day' }));
    expect(b.caseId).not.toBe(a.caseId);
  });

  it('does not add a report to a closed case', async () => {
    const { file, append, image } = setup();
    const a = await file(at(0, 0));
    const kase = image.operations.cases.get(a.caseId!)!;
    const stream = `case/${kase.id}`;
    for (const to of ['under-investigation', 'unfounded'] as const) {
      const from = image.operations.cases.get(a.caseId!)!.status;
      await append({
        drafts: [{ stream, type: 'case.status-changed', payload: { caseId: kase.id, from, to, reason: 'test' }, visibility: ['process'] }],
        actor: 'monitor-user',
        party: 'mechanism',
      });
    }
    expect((await file(at(3, 50))).caseId).not.toBe(a.caseId);
  });

  it('applies rules set as data (a wider window) to reports filed afterwards', async () => {
    const { file, append } = setup();
    const a = await file(at(0, 0));
    expect((await file(at(10, 2600))).caseId).not.toBe(a.caseId);
    const rules = [{ id: 'W1', maxDistance_m: 5000, maxMinutes: 60, compatible: [['shelling-impact']] }];
    await append({
      drafts: [{ stream: 'correlation/rules', type: 'correlation.rules-set', payload: { rules }, visibility: ['process'] }],
      actor: 'mediator-user',
      party: 'ua',
    });
    // The same geometry elsewhere, now under the wider rule.
    const c = await file(at(0, 0, 'shelling-impact', { location: { lon: 36.5, lat: north(0) } }));
    const d = await file(at(10, 0, 'shelling-impact', { location: { lon: 36.5, lat: north(2600) } }));
    expect(d.caseId).toBe(c.caseId);
  });

  it('groups two reports of one incident that arrive at the same moment', async () => {
    const { file } = setup(20);
    const [a, b] = await Promise.all([file(at(0, 0)), file(at(1, 200))]);
    expect(b.caseId).toBe(a.caseId);
  });

  it('matches the first rule in order, by distance and time, and treats a type as compatible with itself', () => {
    const s = { lon: 35.93, lat: 47.47, time: T0, type: 'drone' };
    const m = matchRules(DEFAULT_CORRELATION_RULES, s, { ...s, lat: north(8000), time: T0 + 10 * 60_000, type: 'missile' });
    expect(m?.rule.id).toBe('R3');
    expect(explainMatch(m!, 'drone', 'missile')).toBe('grouped by rule R3: 8.0 km, 10 min apart, drone and missile');
    expect(compatible(DEFAULT_CORRELATION_RULES[0]!, 'shelling-impact', 'shelling-impact')).toBe(true);
    expect(compatible(DEFAULT_CORRELATION_RULES[0]!, 'shelling-impact', 'naval')).toBe(false);
  });
});
