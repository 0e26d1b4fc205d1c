import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MemoryImage } from './image';
import { planBatch } from '../core/journal/plan';
import type { AppendRequest, EventDraft, JournalEvent } from '../core/journal/envelope';
import { REPORT_TYPES, DOMAINS } from '../core/operations/report';

const partyIds = ['ua', 'ru', 'us', 'tr'];

const draftArb: fc.Arbitrary<EventDraft> = fc.oneof(
  fc.record({ id: fc.constantFrom(...partyIds), name: fc.string({ minLength: 1, maxLength: 12 }) }).map((p) => ({
    stream: `party/${p.id}`,
    type: 'party.created',
    payload: { id: p.id, name: p.name, kind: 'state' },
    visibility: ['public'],
  })),
  fc.record({ u: fc.constantFrom('alice', 'bob', 'carol'), party: fc.constantFrom(...partyIds) }).map((p) => ({
    stream: `user/${p.u}`,
    type: 'user.created',
    payload: { id: `id-${p.u}`, username: p.u, displayName: p.u, party: p.party, roles: ['delegate'] },
    visibility: ['admin'],
  })),
  fc.record({ u: fc.constantFrom('alice', 'bob'), g: fc.constantFrom('exact-coordinates', 'sealed') }).map((p) => ({
    stream: `user/${p.u}`,
    type: 'user.grant-given',
    payload: { username: p.u, grant: p.g },
    visibility: ['admin'],
  })),
  fc
    .record({
      t: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
      lon: fc.double({ min: 22, max: 40, noNaN: true }),
      lat: fc.double({ min: 44, max: 52, noNaN: true }),
      type: fc.constantFrom(...REPORT_TYPES),
      domain: fc.constantFrom(...DOMAINS),
    })
    .map((r) => ({
      stream: 'report-intake/mechanism',
      type: 'report.filed',
      payload: { occurredAt: new Date(r.t).toISOString(), location: { lon: r.lon, lat: r.lat }, type: r.type, domain: r.domain, source: 'sensor', narrative: '' },
      visibility: ['process'],
    })),
);

const requestArb: fc.Arbitrary<AppendRequest> = fc.record({
  drafts: fc.array(draftArb, { minLength: 1, maxLength: 3 }),
  actor: fc.constantFrom('alice', 'bob'),
  party: fc.constant(null),
  idempotencyKey: fc.option(fc.constantFrom('k-000001', 'k-000002', 'k-000003'), { nil: null }),
});

/** Turns random requests into a real chained journal, the way the writer does. */
function journalOf(requests: AppendRequest[]): JournalEvent[] {
  const image = new MemoryImage();
  const all: JournalEvent[] = [];
  for (const r of requests) {
    for (const e of planBatch(image.index, [r], '2026-01-03T10:00:00.000Z').events) {
      image.apply(e);
      all.push(e);
    }
  }
  return all;
}

describe('memory image', () => {
  it('rebuilt from a snapshot plus the tail equals the image built event by event', () => {
    fc.assert(
      fc.property(fc.array(requestArb, { minLength: 1, maxLength: 40 }), fc.nat(), (requests, cut) => {
        const events = journalOf(requests);
        const live = new MemoryImage();
        for (const e of events) live.apply(e);

        const k = events.length === 0 ? 0 : cut % (events.length + 1);
        const before = new MemoryImage();
        for (const e of events.slice(0, k)) before.apply(e);
        const rebuilt = new MemoryImage();
        expect(rebuilt.restore(before.snapshot())).toBe(true);
        for (const e of events.slice(k)) rebuilt.apply(e);

        expect(new TextDecoder().decode(rebuilt.snapshot())).toBe(new TextDecoder().decode(live.snapshot()));
        expect(rebuilt.incidents.size).toBe(events.filter((e) => e.type === 'report.filed').length);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses to apply an event out of order', () => {
    const events = journalOf([{ drafts: [{ stream: 'a/1', type: 'x.y', payload: {}, visibility: ['process'] }], actor: 'a', party: null }]);
    const image = new MemoryImage();
    expect(() => image.apply({ ...events[0]!, position: 2 })).toThrow(/cannot apply position 2/);
  });

  it('ignores a snapshot made by another projection version', () => {
    const image = new MemoryImage();
    const snap = JSON.parse(new TextDecoder().decode(image.snapshot())) as { versions: Record<string, number> };
    snap.versions['identity'] = 999;
    expect(new MemoryImage().restore(new TextEncoder().encode(JSON.stringify(snap)))).toBe(false);
  });
});
