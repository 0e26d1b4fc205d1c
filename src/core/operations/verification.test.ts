import { describe, expect, it } from 'vitest';
import { memoryJournal } from '../../../test/operations-fixtures';
import type { Result } from '../errors';
import { ReportIntake } from './intake';
import { CASE_STATUSES, type CaseStatus, ReportInput } from './model';
import {
  type CaseDecision,
  changeStatus,
  lockCase,
  mergeCases,
  recordDissent,
  recordFinding,
  splitCase,
  TRANSITIONS,
  unlockCase,
} from './verification';

const T = '2026-03-01T10:00:00Z';
const alice = { username: 'monitor-alice', party: 'mechanism' };
const bob = { username: 'monitor-bob', party: 'mechanism' };
const parties = new Set(['ua', 'ru', 'mechanism']);

async function setup() {
  const j = memoryJournal();
  let n = 0;
  const intake = new ReportIntake({ view: j.view, append: j.append, now: () => new Date(T) });
  const file = async (lon: number, minutes = 0) => {
    const input = ReportInput.parse({
      occurredAt: new Date(Date.parse('2026-01-20T03:40:00Z') + minutes * 60_000).toISOString(),
      location: { lon, lat: 47.47 },
      domain: 'land',
      type: 'shelling-impact',
      source: 'patrol-saw',
    });
    const r = await intake.submit(input, { ...alice, roles: ['monitor'] }, { id: `r${++n}` });
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  const apply = async (decided: Result<CaseDecision>, actor = alice) => {
    if (!decided.ok) return decided;
    return j.append({ drafts: decided.value.drafts, expected: decided.value.expected, actor: actor.username, party: actor.party });
  };
  const ops = () => j.image.operations;
  return { ...j, file, apply, ops };
}

const at = (iso: string) => ({ now: new Date(iso) });

describe('verification', () => {
  it('follows the transition table exactly: every other move is refused and names the allowed ones', async () => {
    const { file, apply, ops } = await setup();
    let place = 0;
    for (const from of CASE_STATUSES) {
      for (const to of CASE_STATUSES) {
        // A fresh case each time: reports 50 km apart are never grouped.
        const r = await file(22 + 0.7 * place++);
        // Bring a fresh case to `from` along allowed moves (with a finding where verification needs one).
        const path: Record<CaseStatus, CaseStatus[]> = {
          reported: [],
          'under-investigation': ['under-investigation'],
          verified: ['under-investigation', 'verified'],
          'not-verified': ['under-investigation', 'not-verified'],
          unfounded: ['under-investigation', 'unfounded'],
        };
        for (const step of path[from]) {
          if (step === 'verified') {
            const kase = ops().cases.get(r.caseId!)!;
            await apply(
              recordFinding(
                ops(),
                kase.id,
                { version: kase.version, attribution: { party: 'ru', confidence: 'high' }, summary: 'craters' },
                { ...at(T), actor: alice, findingId: `f-${r.id}`, knownParties: parties },
              ),
            );
          }
          const kase = ops().cases.get(r.caseId!)!;
          const moved = await apply(
            changeStatus(ops(), kase.id, { version: kase.version, to: step, reason: 'because' }, { ...at(T), actor: alice }),
          );
          expect(moved.ok, `${kase.status} → ${step}`).toBe(true);
        }
        const kase = ops().cases.get(r.caseId!)!;
        expect(kase.status).toBe(from);
        if (to === 'verified' && from === 'under-investigation') {
          await apply(
            recordFinding(
              ops(),
              kase.id,
              { version: kase.version, attribution: { party: null, couldNotAttribute: true, reason: 'no access' }, summary: 's' },
              { ...at(T), actor: alice, findingId: `g-${r.id}`, knownParties: parties },
            ),
          );
        }
        const k2 = ops().cases.get(r.caseId!)!;
        const decided = changeStatus(ops(), k2.id, { version: k2.version, to, reason: 'because' }, { ...at(T), actor: alice });
        expect(decided.ok, `${from} → ${to}`).toBe(TRANSITIONS[from].includes(to));
        if (!decided.ok) {
          expect(decided.code).toBe('invalid_transition');
          expect(decided.message).toContain(TRANSITIONS[from].join(' or '));
        }
      }
    }
  });

  it('verifies only with a finding, and needs a reason to call a case unfounded', async () => {
    const { file, apply, ops } = await setup();
    const r = await file(35.9);
    let k = ops().cases.get(r.caseId!)!;
    await apply(changeStatus(ops(), k.id, { version: k.version, to: 'under-investigation', reason: '' }, { ...at(T), actor: alice }));
    k = ops().cases.get(r.caseId!)!;
    const noFinding = changeStatus(ops(), k.id, { version: k.version, to: 'verified', reason: '' }, { ...at(T), actor: alice });
    expect(!noFinding.ok && noFinding.message).toMatch(/without a finding/);
    const noReason = changeStatus(ops(), k.id, { version: k.version, to: 'unfounded', reason: ' ' }, { ...at(T), actor: alice });
    expect(!noReason.ok && noReason.pointer).toBe('/reason');
  });

  it('gives a second investigator a conflict naming who holds the lock until when; the lock expires', async () => {
    const { file, apply, ops } = await setup();
    const r = await file(35.9);
    const k = ops().cases.get(r.caseId!)!;
    expect((await apply(lockCase(ops(), k.id, { version: k.version, minutes: 30 }, { ...at(T), actor: alice }))).ok).toBe(true);
    const k2 = ops().cases.get(r.caseId!)!;
    expect(k2.lock).toEqual({ by: 'monitor-alice', until: '2026-03-01T10:30:00.000Z' });

    const second = lockCase(ops(), k2.id, { version: k2.version, minutes: 30 }, { ...at('2026-03-01T10:10:00Z'), actor: bob });
    expect(second.ok).toBe(false);
    expect(!second.ok && second.code).toBe('conflict');
    expect(!second.ok && second.message).toBe(`case ${k2.number} is locked for review by monitor-alice until 2026-03-01T10:30:00.000Z`);
    const move = changeStatus(
      ops(),
      k2.id,
      { version: k2.version, to: 'under-investigation', reason: '' },
      { ...at('2026-03-01T10:10:00Z'), actor: bob },
    );
    expect(!move.ok && move.code).toBe('conflict');
    // The holder may work; after the expiry anyone may take the lock.
    expect(
      changeStatus(
        ops(),
        k2.id,
        { version: k2.version, to: 'under-investigation', reason: '' },
        { ...at('2026-03-01T10:10:00Z'), actor: alice },
      ).ok,
    ).toBe(true);
    expect(lockCase(ops(), k2.id, { version: k2.version, minutes: 30 }, { ...at('2026-03-01T10:31:00Z'), actor: bob }).ok).toBe(true);
    expect(!unlockCase(ops(), k2.id, { version: k2.version }, { ...at('2026-03-01T10:10:00Z'), actor: bob }).ok).toBe(true);
  });

  it('refuses a command decided on an old version of the case', async () => {
    const { file, apply, ops } = await setup();
    const r = await file(35.9);
    const k = ops().cases.get(r.caseId!)!;
    const v = k.version;
    await apply(lockCase(ops(), k.id, { version: v, minutes: 5 }, { ...at(T), actor: alice }));
    const stale = changeStatus(ops(), k.id, { version: v, to: 'under-investigation', reason: '' }, { ...at(T), actor: alice });
    expect(!stale.ok && stale.code).toBe('conflict');
    expect(!stale.ok && stale.details).toEqual({ expected: v, actual: v + 1 });
  });

  it('records findings and dissent as records of their own; the finding stands', async () => {
    const { file, apply, ops } = await setup();
    const r = await file(35.9);
    let k = ops().cases.get(r.caseId!)!;
    await apply(changeStatus(ops(), k.id, { version: k.version, to: 'under-investigation', reason: '' }, { ...at(T), actor: alice }));
    k = ops().cases.get(r.caseId!)!;
    expect(
      !recordFinding(
        ops(),
        k.id,
        { version: k.version, attribution: { party: 'xx', confidence: 'low' }, summary: 's' },
        { ...at(T), actor: alice, findingId: 'f0', knownParties: parties },
      ).ok,
    ).toBe(true);
    await apply(
      recordFinding(
        ops(),
        k.id,
        {
          version: k.version,
          attribution: { party: 'ru', confidence: 'medium' },
          summary: 'Crater analysis points north-east.',
          severity: 3,
        },
        { ...at(T), actor: alice, findingId: 'f1', knownParties: parties },
      ),
    );
    k = ops().cases.get(r.caseId!)!;
    const ru = { username: 'ru-delegate', party: 'ru' };
    await apply(
      recordDissent(
        ops(),
        k.id,
        { version: k.version, text: 'The Russian Federation rejects this attribution.', findingId: 'f1' },
        { ...at(T), actor: ru, dissentId: 'd1' },
      ),
      ru,
    );
    k = ops().cases.get(r.caseId!)!;
    expect(k.findings.map((f) => [f.id, f.attribution])).toEqual([['f1', { party: 'ru', confidence: 'medium' }]]);
    expect(k.dissents.map((d) => [d.party, d.findingId, d.text])).toEqual([
      ['ru', 'f1', 'The Russian Federation rejects this attribution.'],
    ]);
    expect(
      !recordDissent(
        ops(),
        k.id,
        { version: k.version, text: 'x' },
        { ...at(T), actor: { username: 'observer', party: null }, dissentId: 'd2' },
      ).ok,
    ).toBe(true);
  });

  it('merges cases into one and splits reports back off, with the history of both', async () => {
    const { file, apply, ops } = await setup();
    const a = await file(35.0);
    const b = await file(36.0);
    expect(a.caseId).not.toBe(b.caseId);
    const ka = ops().cases.get(a.caseId!)!;
    const kb = ops().cases.get(b.caseId!)!;
    const mediator = { username: 'mediator', party: 'secretariat' };
    const merged = await apply(
      mergeCases(
        ops(),
        ka.id,
        { version: ka.version, cases: [{ id: kb.id, version: kb.version }], reason: 'one barrage' },
        { ...at(T), actor: mediator },
      ),
      mediator,
    );
    expect(merged.ok).toBe(true);
    expect(ops().cases.get(ka.id)!.reportIds).toEqual([a.id, b.id]);
    expect(ops().cases.get(kb.id)!.mergedInto).toBe(ka.id);
    expect(ops().reports.get(b.id)!.caseId).toBe(ka.id);
    // A command on the merged case is pointed at the case that absorbed it.
    const onMerged = lockCase(ops(), kb.id, { version: ops().cases.get(kb.id)!.version, minutes: 5 }, { ...at(T), actor: alice });
    expect(!onMerged.ok && onMerged.code).toBe('invalid_transition');

    const k = ops().cases.get(ka.id)!;
    const split = splitCase(
      ops(),
      k.id,
      { version: k.version, reportIds: [b.id], reason: 'different barrage' },
      { ...at(T), actor: mediator, newCaseId: 'split-1' },
    );
    expect((await apply(split, mediator)).ok).toBe(true);
    expect(ops().cases.get(ka.id)!.reportIds).toEqual([a.id]);
    expect(ops().cases.get('split-1')!.reportIds).toEqual([b.id]);
    expect(ops().cases.get('split-1')!.splitFrom).toBe(ka.id);
    expect(
      ops()
        .cases.get(ka.id)!
        .history.map((h) => h.type),
    ).toEqual(['case.opened', 'case.merged', 'case.split']);
    const k2 = ops().cases.get(ka.id)!;
    const all = splitCase(
      ops(),
      k2.id,
      { version: k2.version, reportIds: [a.id], reason: 'x' },
      { ...at(T), actor: mediator, newCaseId: 'split-2' },
    );
    expect(!all.ok && all.message).toMatch(/at least one report/);
  });
});
