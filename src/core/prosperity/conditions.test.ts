import { describe, expect, it } from 'vitest';
import { twoVersionState, V1_IN_FORCE, exampleFramework } from '../../../test/operations-fixtures';
import type { MilestoneFacts } from '../milestones';
import { NO_MILESTONES } from '../milestones';
import { ConditionBoard } from './board';
import { CeasefireRecord, type Breach } from './ceasefire';
import { checkConditions, evaluateCondition, evaluateTranche, trancheTiming, type ConditionFacts } from './conditions';
import type { ConditionInput } from './model';

const DAY = 86_400_000;
const START = Date.parse(V1_IN_FORCE);
const day = (n: number) => START + n * DAY;

function breach(n: number, atDay: number, severity: number, zones: string[]): Breach {
  return { caseId: `case-${n}`, caseNumber: n, occurredAt: new Date(day(atDay)).toISOString(), at: day(atDay), severity, zones };
}

function facts(breaches: Breach[] = [], milestones: MilestoneFacts = NO_MILESTONES): ConditionFacts {
  return { framework: twoVersionState(), ceasefire: new CeasefireRecord(breaches), milestones, attestations: [] };
}

const held30: ConditionInput = { type: 'ceasefire-held', days: 30, zones: ['contact-line-buffer'], maxSeverity: 2 };

describe('ceasefire-held', () => {
  it('holds 30 days after entry into force when nothing severe happened, and says since when', () => {
    const f = facts();
    const before = evaluateCondition(held30, f, day(29));
    expect(before.holds).toBe(false);
    expect(before.unlocksAt).toBe(new Date(day(30)).toISOString());
    expect(before.milestones[0]!.progress).toEqual({ days: 29, of: 30 });
    const after = evaluateCondition(held30, f, day(31));
    expect(after.holds).toBe(true);
    expect(after.since).toBe(new Date(day(30)).toISOString());
    expect(after.milestones[0]!.evidence[0]!.kind).toBe('framework-in-force');
  });

  it('restarts the count at a verified breach above the severity in the zones, and names the case', () => {
    const f = facts([breach(7, 10, 3, ['contact-line-buffer'])]);
    const s = evaluateCondition(held30, f, day(35));
    expect(s.holds).toBe(false);
    expect(s.unlocksAt).toBe(new Date(day(40)).toISOString());
    const ev = s.milestones[0]!.evidence.find((e) => e.kind === 'breach')!;
    expect(ev.caseId).toBe('case-7');
    expect(ev.severity).toBe(3);
  });

  it('ignores breaches at or below the severity, elsewhere, or after the instant judged', () => {
    const f = facts([
      breach(1, 10, 2, ['contact-line-buffer']),
      breach(2, 12, 5, ['black-sea-corridor']),
      breach(3, 40, 4, ['contact-line-buffer']),
    ]);
    expect(evaluateCondition(held30, f, day(35)).holds).toBe(true);
    expect(evaluateCondition(held30, f, day(45)).holds).toBe(false);
    expect(evaluateCondition({ ...held30, zones: [] }, f, day(35)).holds).toBe(false);
  });

  it('does not hold before any text is in force', () => {
    const s = evaluateCondition(held30, facts(), START - DAY);
    expect(s.holds).toBe(false);
    expect(s.milestones[0]!.evidence[0]!.text).toMatch(/no framework version is in force/);
  });
});

describe('the framework’s funding conditions and other milestones', () => {
  it('reads funding-first from the text in force: in force and 30 quiet days in the buffer', () => {
    const s = evaluateCondition({ type: 'framework', condition: 'funding-first' }, facts(), day(31));
    expect(s.holds).toBe(true);
    expect(s.source).toMatchObject({ id: 'funding-first', clauses: ['c-funding-first'], provisional: false });
    expect(s.milestones.map((m) => m.milestone.type).sort()).toEqual(['ceasefire-held', 'framework-in-force']);
  });

  it('a bracketed condition is provisional and judged by every alternative together', () => {
    const s = evaluateCondition(
      { type: 'framework', condition: 'war-risk-cover' },
      facts([breach(4, 5, 3, ['black-sea-corridor'])]),
      day(31),
    );
    expect(s.source!.provisional).toBe(true);
    // Alternative B asks 30 quiet days in the buffer and the corridor; the corridor breach on day 5 keeps it locked until day 35.
    expect(s.holds).toBe(false);
    expect(s.unlocksAt).toBe(new Date(day(35)).toISOString());
  });

  it('exchange, meeting and attestation milestones hold from their own facts, with evidence', () => {
    const m: MilestoneFacts = {
      meetingHeld: (code) => (code === 'chiefs-of-staff-2026-01-05' ? '2026-01-05T09:00:00.000Z' : null),
      exchangeTranchesCompleted: (formula) => (formula === 'exchange-main' ? ['2026-01-20T10:00:00.000Z'] : []),
    };
    const f = {
      ...facts([], m),
      attestations: [{ party: 'eu', what: 'grid audit done', by: 'donor', at: '2026-01-10T00:00:00.000Z', position: 9 }],
    };
    const second = evaluateCondition({ type: 'framework', condition: 'funding-second' }, f, day(100));
    expect(second.holds).toBe(true);
    expect(second.since).toBe(new Date(day(90)).toISOString());
    expect(evaluateCondition({ type: 'exchange-completed', formula: 'exchange-main', tranches: 2 }, f, day(100)).holds).toBe(false);
    expect(evaluateCondition({ type: 'meeting-held', meeting: 'chiefs-of-staff-2026-01-05' }, f, day(1)).holds).toBe(true);
    const att = evaluateCondition({ type: 'attested', by: 'eu', what: 'grid audit done' }, f, day(5));
    expect(att.holds).toBe(true);
    expect(att.milestones[0]!.evidence[0]!.position).toBe(9);
    expect(evaluateCondition({ type: 'attested', by: 'us', what: 'grid audit done' }, f, day(5)).holds).toBe(false);
  });

  it('a tranche is releasable when all its conditions hold, unlocking at the latest of them', () => {
    const e = evaluateTranche([{ type: 'framework-in-force' }, held30, { ...held30, days: 60 }], facts(), day(45));
    expect(e.releasable).toBe(false);
    expect(e.unlocksAt).toBe(new Date(day(60)).toISOString());
  });
});

describe('conditions naming unknown milestones are refused', () => {
  const ctx = { document: exampleFramework(), parties: new Set(['ua', 'eu']), milestones: NO_MILESTONES };
  const refused = (c: ConditionInput) => {
    const r = checkConditions([{ type: 'framework-in-force' }, c], ctx);
    if (r.ok) throw new Error('accepted');
    return r;
  };
  it('names the field and what is known', () => {
    expect(refused({ type: 'framework', condition: 'funding-third' })).toMatchObject({ pointer: '/conditions/1/condition' });
    expect(refused({ type: 'framework', condition: 'funding-third' }).message).toMatch(
      /no funding condition "funding-third"; it has: funding-first, funding-second, war-risk-cover/,
    );
    expect(refused({ type: 'exchange-completed', formula: 'exchange-x', tranches: 1 }).pointer).toBe('/conditions/1/formula');
    expect(refused({ ...held30, zones: ['contact-line-buffer', 'moon'] }).pointer).toBe('/conditions/1/zones/1');
    expect(refused({ type: 'meeting-held', meeting: 'tea-party' }).message).toMatch(/no meeting "tea-party"/);
    expect(refused({ type: 'attested', by: 'xx', what: 'x' }).pointer).toBe('/conditions/1/by');
  });
  it('accepts what the framework knows', () => {
    expect(
      checkConditions(
        [{ type: 'framework', condition: 'funding-second' }, held30, { type: 'meeting-held', meeting: 'chiefs-of-staff-2026-01-05' }],
        ctx,
      ).ok,
    ).toBe(true);
  });
});

describe('the condition board', () => {
  it('re-evaluates only the tranches a new breach can touch, with the same result as a full recomputation', () => {
    const f = facts();
    const board = new ConditionBoard(f);
    board.put('buffer-30', [held30], day(50));
    board.put('corridor-30', [{ ...held30, zones: ['black-sea-corridor'] }], day(50));
    board.put('buffer-lenient', [{ ...held30, maxSeverity: 4 }], day(50));
    board.put('framework-first', [{ type: 'framework', condition: 'funding-first' }], day(50));
    expect(board.timing('buffer-30')!.holds).toBe(true);
    const r = board.addBreach(breach(11, 45, 3, ['contact-line-buffer']), day(50));
    expect(r.flipped.sort()).toEqual(['buffer-30', 'framework-first']);
    expect(r.reevaluated).toBe(2);
    expect(board.timing('corridor-30')!.holds).toBe(true);
    const incremental = ['buffer-30', 'corridor-30', 'buffer-lenient', 'framework-first'].map((id) => board.timing(id)!.holds);
    board.reevaluateAll(day(50));
    expect(['buffer-30', 'corridor-30', 'buffer-lenient', 'framework-first'].map((id) => board.timing(id)!.holds)).toEqual(incremental);
  });
});

describe('timing and full evaluation agree', () => {
  it('on random conditions against a random ceasefire record', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const zones = ['contact-line-buffer', 'black-sea-corridor', 'contact-line'];
    const breaches = Array.from({ length: 40 }, (_, i) =>
      breach(i + 1, Math.floor(random() * 200) - 5, 1 + Math.floor(random() * 5), [zones[Math.floor(random() * 3)]!]),
    );
    const m: MilestoneFacts = {
      meetingHeld: () => '2026-01-05T09:00:00.000Z',
      exchangeTranchesCompleted: () => ['2026-03-20T10:00:00+02:00'],
    };
    const f = facts(breaches, m);
    const pool: ConditionInput[] = [
      { type: 'framework', condition: 'funding-first' },
      { type: 'framework', condition: 'funding-second' },
      { type: 'framework', condition: 'war-risk-cover' },
      { type: 'framework-in-force' },
      { type: 'exchange-completed', formula: 'exchange-main', tranches: 1 },
      { type: 'meeting-held', meeting: 'chiefs-of-staff-2026-01-05' },
    ];
    for (let i = 0; i < 400; i++) {
      const conditions: ConditionInput[] = [];
      const n = 1 + Math.floor(random() * 3);
      for (let k = 0; k < n; k++) {
        conditions.push(
          random() < 0.5
            ? {
                type: 'ceasefire-held',
                days: 5 + Math.floor(random() * 120),
                zones: random() < 0.2 ? [] : [zones[Math.floor(random() * 3)]!],
                maxSeverity: Math.floor(random() * 5),
              }
            : pool[Math.floor(random() * pool.length)]!,
        );
      }
      const t = day(Math.floor(random() * 260) - 10);
      const full = evaluateTranche(conditions, f, t);
      const timing = trancheTiming(conditions, f, t);
      const asIso = (v: number | null) => (v === null ? null : new Date(v).toISOString());
      expect({ holds: timing.holds, since: asIso(timing.since), unlocksAt: asIso(timing.unlocksAt) }).toEqual({
        holds: full.releasable,
        since: full.since === null ? null : new Date(full.since).toISOString(),
        unlocksAt: full.unlocksAt,
      });
    }
  });
});
