import { describe, expect, it } from 'vitest';
import { IncidentSet, NO_FILTER, type IncidentRow } from './incidents';

const row = (id: string, over: Partial<IncidentRow> = {}): IncidentRow => ({
  id,
  lon: 37.5,
  lat: 48,
  time: Date.parse('2026-01-10T10:00:00Z'),
  type: 'shelling-impact',
  domain: 'land',
  status: 'reported',
  source: 'patrol-saw',
  party: 'mechanism',
  caseKey: null,
  ...over,
});

describe('IncidentSet', () => {
  it('keeps one row per incident: the same id again updates it in place', () => {
    const set = new IncidentSet(2);
    expect(set.upsert(row('a'))).toBe('added');
    expect(set.upsert(row('b'))).toBe('added');
    expect(set.upsert(row('c'))).toBe('added'); // grows past its first capacity
    expect(set.upsert(row('a', { lon: 36.1 }))).toBe('updated');
    expect(set.size).toBe(3);
    expect(set.row(set.indexOf('a')!).lon).toBe(36.1);
  });

  it('filters by type, domain, status, party and time; an empty choice means any', () => {
    const day = 86_400_000;
    const t0 = Date.parse('2026-01-10T00:00:00Z');
    const set = IncidentSet.from([
      row('shell', { time: t0 }),
      row('drone', { type: 'drone', domain: 'air', time: t0 + day, party: 'ru' }),
      row('naval', { type: 'naval', domain: 'sea', status: 'verified', time: t0 + 2 * day, party: null }),
      row('odd', { type: 'a-type-added-later', time: t0 + 3 * day }),
    ]);
    const ids = (f: Partial<typeof NO_FILTER>) => [...set.select({ ...NO_FILTER, ...f })].map((i) => set.ids[i]);
    expect(ids({})).toEqual(['shell', 'drone', 'naval', 'odd']);
    expect(ids({ types: new Set(['drone', 'naval']) })).toEqual(['drone', 'naval']);
    // A type this client does not know is shown as "other", not dropped.
    expect(ids({ types: new Set(['other']) })).toEqual(['odd']);
    expect(ids({ domains: new Set(['sea']) })).toEqual(['naval']);
    expect(ids({ statuses: new Set(['verified']) })).toEqual(['naval']);
    expect(ids({ parties: new Set(['ru']) })).toEqual(['drone']);
    expect(ids({ parties: new Set(['']) })).toEqual(['naval']);
    expect(ids({ from: t0 + day, until: t0 + 2 * day })).toEqual(['drone', 'naval']);
  });

  it('recolours a case: its incidents take its status, also after the case is renamed from its number to its id', () => {
    const set = IncidentSet.from([row('a', { caseKey: '#4' }), row('b', { caseKey: '#4' }), row('c', { caseKey: '#5' })]);
    set.renameCase('#4', 'case-uuid');
    expect(set.hasCase('case-uuid')).toBe(true);
    expect(set.setCaseStatus('case-uuid', 'under-investigation')).toBe(2);
    expect(['a', 'b', 'c'].map((id) => set.row(set.indexOf(id)!).status)).toEqual([
      'under-investigation',
      'under-investigation',
      'reported',
    ]);
  });

  it('filters 100,000 incidents (the scale the map is built for)', () => {
    const set = new IncidentSet(100_000);
    for (let i = 0; i < 100_000; i++) set.upsert(row(`r${i}`, { time: i * 60_000, type: i % 3 ? 'drone' : 'naval' }));
    const chosen = set.select({ ...NO_FILTER, types: new Set(['naval']), from: 0, until: 50_000 * 60_000 });
    expect(chosen.length).toBe(16_667);
  });
});
