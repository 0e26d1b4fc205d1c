import { describe, expect, it } from 'vitest';
import type { Principal } from '../access/roles';
import type { JournalEvent } from '../journal/envelope';
import { sharingVisibility, type Gradient, type Sharing } from './model';
import { negotiationProjection } from './state';
import { gapMap, isoWeek, zopa, type ClauseInfo } from './workspace';

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
