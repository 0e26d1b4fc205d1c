import { describe, expect, it } from 'vitest';
import { ForceEntry, inForceHistory, rulesInForceAt, type ForceEntry as Entry } from './in-force';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

const entries: Entry[] = [
  { kind: 'entry-into-force', hash: A, at: '2026-01-07T00:00:00+02:00' },
  { kind: 'entry-into-force', hash: B, at: '2026-03-01T00:00:00Z' },
];

describe('rulesInForceAt', () => {
  it('answers with the version in force at the instant asked, comparing instants across zones', () => {
    expect(rulesInForceAt(entries, '2026-01-06T21:59:59Z')).toBeNull();
    expect(rulesInForceAt(entries, '2026-01-06T22:00:00Z')).toEqual({ hash: A, since: '2026-01-07T00:00:00+02:00' });
    expect(rulesInForceAt(entries, '2026-02-15T12:00:00Z')?.hash).toBe(A);
    expect(rulesInForceAt(entries, '2026-03-01T00:00:00Z')?.hash).toBe(B);
  });

  it('judges a past incident by the rules of its own day, even after a later version entered into force', () => {
    expect(rulesInForceAt(entries, '2026-02-01T08:30:00+02:00')?.hash).toBe(A);
  });

  it('does not depend on the order entries were recorded in, except for equal instants (later wins)', () => {
    expect(rulesInForceAt([...entries].reverse(), '2026-02-15T00:00:00Z')?.hash).toBe(A);
    const same: Entry[] = [
      { kind: 'entry-into-force', hash: A, at: '2026-01-07T00:00:00Z' },
      { kind: 'entry-into-force', hash: B, at: '2026-01-07T00:00:00Z' },
    ];
    expect(rulesInForceAt(same, '2026-01-08T00:00:00Z')?.hash).toBe(B);
  });

  it('returns nothing during a suspension, and nothing ever after a termination', () => {
    const withStops: Entry[] = [
      ...entries,
      { kind: 'suspension', at: '2026-02-01T00:00:00Z', reason: 'mass-casualty breach under review' },
      { kind: 'entry-into-force', hash: A, at: '2026-02-10T00:00:00Z' },
      { kind: 'termination', at: '2026-06-01T00:00:00Z' },
      { kind: 'entry-into-force', hash: B, at: '2026-07-01T00:00:00Z' },
    ];
    expect(rulesInForceAt(withStops, '2026-02-05T00:00:00Z')).toBeNull();
    expect(rulesInForceAt(withStops, '2026-02-11T00:00:00Z')?.hash).toBe(A);
    expect(rulesInForceAt(withStops, '2026-06-02T00:00:00Z')).toBeNull();
    expect(rulesInForceAt(withStops, '2026-08-01T00:00:00Z')).toBeNull();
  });

  it('lists the periods each version was in force', () => {
    expect(inForceHistory([...entries, { kind: 'suspension', at: '2026-04-01T00:00:00Z' }])).toEqual([
      { hash: A, from: '2026-01-07T00:00:00+02:00', until: '2026-03-01T00:00:00Z' },
      { hash: B, from: '2026-03-01T00:00:00Z', until: '2026-04-01T00:00:00Z' },
    ]);
  });

  it('refuses instants without a zone offset in its schema', () => {
    expect(ForceEntry.safeParse({ kind: 'entry-into-force', hash: A, at: '2026-01-07T00:00:00' }).success).toBe(false);
    expect(ForceEntry.safeParse({ kind: 'entry-into-force', hash: A, at: '2026-01-07T00:00:00Z' }).success).toBe(true);
  });
});
