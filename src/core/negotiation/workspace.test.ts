import { describe, expect, it } from 'vitest';
import type { Principal } from '../access/roles';
import type { JournalEvent } from '../journal/envelope';
import { sharingVisibility, type Gradient, type Sharing } from './model';
import { negotiationProjection } from './state';
import { consoleView, gapMap, isoWeek, zopa, type ClauseInfo, type StressEvidence } from './workspace';

const clauses: ClauseInfo[] = [{ id: 'c-1', title: 'One', status: 'bracketed', alternatives: ['c-1-a', 'c-1-b'] }];
let n = 0;
const event = (party: string, gradient: Gradient, sharing: Sharing, alternative: string | null = null): JournalEvent => ({
  position: ++n,
  stream: `position/${party}/c-1`,
  streamVersion: 1,
  type: 'position.recorded',
  payload: { clause: 'c-1', alternative, gradient, reason: '', redLine: null, sharing, party },
  actor: party,
  party,
  visibility: sharingVisibility(sharing, party),
  recordedAt: '2026-01-10T00:00:00.000Z',
  idempotencyKey: null,
  prevHash: '0'.repeat(64),
  hash: '0'.repeat(64),
});
const reader = (party: string | null, roles: Principal['roles'] = ['delegate']): Principal => ({
  kind: 'user',
  id: 'x',
  username: 'x',
  party,
  roles,
  grants: [],
  scopes: null,
});

describe('the negotiation projection', () => {
  const events = [
    event('ua', 'endorse', 'all', 'c-1-a'),
    event('ru', 'block', 'own'),
    event('ru', 'serious-disagreement', 'mediator'),
    event('us', 'agree-minor', 'all'),
  ];

  it('a snapshot restores the same views for every kind of reader', () => {
    const live = negotiationProjection.init();
    for (const e of events) negotiationProjection.apply(live, e);
    const restored = negotiationProjection.fromSnapshot(JSON.parse(JSON.stringify(negotiationProjection.toSnapshot(live))));
    for (const r of [reader('ua'), reader('ru'), reader(null, ['mediator']), reader(null, ['observer'])]) {
      expect(gapMap(restored, r, clauses, ['ua', 'ru', 'us'])).toEqual(gapMap(live, r, clauses, ['ua', 'ru', 'us']));
    }
  });

  it('each reader’s gap counts only what it may see', () => {
    const s = negotiationProjection.init();
    for (const e of events) negotiationProjection.apply(s, e);
    const gap = (r: Principal) => gapMap(s, r, clauses, ['ua', 'ru', 'us']).clauses[0]!.gap;
    expect(gap(reader('ua'))).toEqual({ spread: 1, blocks: 0, shared: 2 });
    expect(gap(reader(null, ['mediator']))).toEqual({ spread: 6, blocks: 0, shared: 3 });
    // ru's own latest is the mediator-shared one (the block was superseded).
    expect(gap(reader('ru'))).toEqual({ spread: 6, blocks: 0, shared: 3 });
    expect(zopa(s, reader(null, ['mediator']), clauses)).toEqual([{ clause: 'c-1', acceptable: [], blockedBy: [] }]);
  });
});

describe('ISO weeks', () => {
  it('numbers weeks from the week holding the first Thursday', () => {
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2025-12-29')).toBe('2026-W01');
    expect(isoWeek('2026-01-05')).toBe('2026-W02');
    expect(isoWeek('2026-01-18')).toBe('2026-W03');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
  });
});

describe('the console: clauses with stress-test results attached', () => {
  const evidence = (over: Partial<StressEvidence> & Pick<StressEvidence, 'id' | 'clause' | 'position'>): StressEvidence => ({
    scenario: { title: 'Reheating' },
    runs: 16,
    seed: 2026,
    attachedAt: '2026-01-12T09:00:00.000Z',
    arms: [
      { alternative: `${over.clause}-a`, label: 'A', metrics: { gapBreachesPerRun: 0, gapShare: 0, reachedShare: 0.9 } },
      { alternative: `${over.clause}-b`, label: 'B', metrics: { gapBreachesPerRun: 3.5, gapShare: 0.1, reachedShare: 0.8 } },
    ],
    findings: ['Under alternative B, 3.5 breaches a run (10.0%) fall in a coverage gap; none under A.', 'A: 90.0%, B: 80.0% reach.'],
    ...over,
  });
  const two: ClauseInfo[] = [
    { id: 'c-2', title: 'Two', status: 'agreed', alternatives: [] },
    ...clauses,
    { id: 'c-3', title: 'Three', status: 'bracketed', alternatives: ['c-3-a', 'c-3-b'] },
  ];
  const state = () => {
    const s = negotiationProjection.init();
    negotiationProjection.apply(s, event('ua', 'endorse', 'all'));
    negotiationProjection.apply(s, event('ru', 'block', 'mediator'));
    return s;
  };
  const mediator = reader(null, ['mediator']);

  it('lists each clause with comparisons in the framework’s order, its alternatives’ gap breaches and the headline finding', () => {
    const s = state();
    const map = gapMap(s, mediator, two, ['ua', 'ru']);
    const view = consoleView(map, two, [
      evidence({ id: 'x3', clause: 'c-3', position: 5 }),
      evidence({ id: 'x1-old', clause: 'c-1', position: 7, findings: [] }),
      evidence({ id: 'x1-new', clause: 'c-1', position: 9, scenario: { title: 'Quiet' } }),
    ]);
    expect(view.tested.map((t) => t.clause)).toEqual(['c-1', 'c-3']);
    const c1 = view.tested[0]!;
    expect(c1).toMatchObject({ title: 'One', gap: { spread: 0, blocks: 1, shared: 2 } });
    expect(c1.comparisons.map((c) => c.id)).toEqual(['x1-new', 'x1-old']);
    expect(c1.comparisons[0]).toMatchObject({
      scenario: 'Quiet',
      runs: 16,
      headline: 'Under alternative B, 3.5 breaches a run (10.0%) fall in a coverage gap; none under A.',
    });
    expect(c1.comparisons[0]!.arms).toEqual([
      { alternative: 'c-1-a', label: 'A', gapBreachesPerRun: 0, gapShare: 0, reachedShare: 0.9, open: true },
      { alternative: 'c-1-b', label: 'B', gapBreachesPerRun: 3.5, gapShare: 0.1, reachedShare: 0.8, open: true },
    ]);
    // Alternatives that behaved alike have no finding to headline.
    expect(c1.comparisons[1]!.headline).toBeNull();
    // A clause nobody has taken a position on still shows its evidence, without a gap.
    expect(view.tested[1]).toMatchObject({ clause: 'c-3', gap: null });
    // The rest of the console is unchanged by the evidence.
    expect(view.blocked).toEqual([{ clause: 'c-1', parties: ['ru'] }]);
    expect(consoleView(map, two, []).tested).toEqual([]);
  });

  it('leaves out a clause the current version lacks, and marks alternatives no longer in brackets', () => {
    const resolved: ClauseInfo[] = [{ id: 'c-1', title: 'One', status: 'agreed', alternatives: [] }];
    const map = gapMap(state(), mediator, resolved, ['ua', 'ru']);
    const view = consoleView(map, resolved, [
      evidence({ id: 'gone', clause: 'c-9', position: 3 }),
      evidence({ id: 'kept', clause: 'c-1', position: 4 }),
    ]);
    expect(view.tested.map((t) => [t.clause, t.comparisons.map((c) => c.id)])).toEqual([['c-1', ['kept']]]);
    expect(view.tested[0]!.comparisons[0]!.arms.map((a) => a.open)).toEqual([false, false]);
  });
});
