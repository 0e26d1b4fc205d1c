import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../api';
import { applyLiveEvent } from './live-incidents';
import { IncidentSet } from './map/incidents';

let position = 100;
const event = (type: string, payload: Record<string, unknown>, party: string | null = 'mechanism'): JournalEvent => ({
  position: ++position,
  stream: 'report/x',
  streamVersion: 1,
  type,
  payload,
  actor: 'monitor',
  party,
  visibility: ['process'],
  recordedAt: '2026-01-12T07:05:00.000Z',
  idempotencyKey: null,
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

const report = (id: string, lon: number, precision: 'exact' | 'public') => ({
  id,
  occurredAt: '2026-01-12T07:00:00.000Z',
  point: { lon, lat: 48.1 },
  location: { type: 'point', lon, lat: 48.1, precision_m: 100 },
  precision,
  type: 'shelling-impact',
  domain: 'land',
  source: 'patrol-heard',
});

describe('applyLiveEvent', () => {
  it('adds a report once although both its exact and its coarse event arrive, keeping the exact point', () => {
    const set = new IncidentSet();
    const exact = new Set<string>();
    expect(applyLiveEvent(set, exact, event('report.filed', report('r1', 37.61234, 'exact'))).kind).toBe('added');
    expect(applyLiveEvent(set, exact, event('report.recorded', report('r1', 37.6, 'public'))).kind).toBe('none');
    expect(set.size).toBe(1);
    expect(set.row(0).lon).toBe(37.61234);
  });

  it('groups incidents into their case and recolours them when the case changes status', () => {
    const set = new IncidentSet();
    const exact = new Set<string>();
    applyLiveEvent(set, exact, event('report.recorded', report('r1', 37.6, 'public')));
    applyLiveEvent(set, exact, event('report.recorded', report('r2', 37.7, 'public')));
    expect(applyLiveEvent(set, exact, event('case.opened', { caseId: 'c1', reportIds: ['r1'] })).kind).toBe('changed');
    expect(applyLiveEvent(set, exact, event('case.report-added', { caseId: 'c1', reportId: 'r2' })).kind).toBe('changed');
    expect(
      applyLiveEvent(set, exact, event('case.status-changed', { caseId: 'c1', from: 'reported', to: 'under-investigation' })).kind,
    ).toBe('changed');
    expect([set.row(0).status, set.row(1).status]).toEqual(['under-investigation', 'under-investigation']);
  });

  it('asks to resolve a case it knows only by number, and to reload after a merge or split', () => {
    const set = IncidentSet.from([
      { ...report('r1', 37.6, 'public'), lon: 37.6, lat: 48.1, time: 0, status: 'reported', party: null, caseKey: '#3' },
    ]);
    expect(applyLiveEvent(set, new Set(), event('case.status-changed', { caseId: 'c9', to: 'verified' }))).toEqual({
      kind: 'resolve',
      caseId: 'c9',
      status: 'verified',
    });
    expect(applyLiveEvent(set, new Set(), event('case.merged', { caseId: 'c9', into: 'c1', reason: 'same' })).kind).toBe('reload');
    expect(applyLiveEvent(set, new Set(), event('framework.version-recorded', {})).kind).toBe('none');
  });
});
