import { describe, expect, it } from 'vitest';
import { analyse, slip, type SequenceGraph, type SequenceNode } from './graph';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse('2026-01-03T08:00:00Z');
const node = (id: string, day: number, hours = 4, hardDate = false, held = false): SequenceNode => ({
  id,
  start: T0 + day * D,
  end: T0 + day * D + hours * H,
  hardDate,
  held,
});

// advisers (3 Jan) → chiefs (5 Jan) → leaders (6 Jan, hard) → review (20 Jan); ankara (8 Jan) → review
const nodes = [node('advisers', 0), node('chiefs', 2), node('leaders', 3, 4, true), node('ankara', 5), node('review', 17)];
const edges: [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 4],
  [3, 4],
];

function run(g: SequenceGraph) {
  const r = analyse(g);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('sequence graph', () => {
  it('finds the critical path through the prerequisite that finishes last', () => {
    const a = run({ nodes, edges });
    // Ankara (8 Jan) finishes after the leaders (6 Jan): it is the prerequisite the review waits for.
    expect(a.criticalPath.map((i) => nodes[i]!.id)).toEqual(['ankara', 'review']);
    expect(a.float[2]! > a.float[3]!).toBe(true);
    const early = nodes.map((n) => (n.id === 'ankara' ? node('ankara', 1) : n));
    expect(run({ nodes: early, edges }).criticalPath.map((i) => early[i]!.id)).toEqual(['advisers', 'chiefs', 'leaders', 'review']);
    // ankara can slip until the review would have to move: 12 days minus its 4 hours
    expect(a.float[3]).toBe(12 * D - 4 * H);
    expect(a.float[4]).toBe(0);
    expect(a.end).toBe(T0 + 17 * D + 4 * H);
  });

  it('a planned start earlier than a prerequisite allows is pushed back', () => {
    const tight = [node('a', 0, 30), node('b', 1)];
    const a = run({ nodes: tight, edges: [[0, 1]] });
    expect(a.earliestStart[1]).toBe(T0 + 30 * H);
  });

  it('refuses a cycle and names it in order', () => {
    const a = analyse({ nodes, edges: [...edges, [4, 1]] });
    expect(a.ok).toBe(false);
    if (a.ok) return;
    expect(a.code).toBe('refused');
    expect(a.message).toContain('chiefs → leaders → review → chiefs');
    expect(a.details).toEqual({ cycle: ['chiefs', 'leaders', 'review', 'chiefs'] });
  });

  it('slip: chiefs three days late moves leaders (a hard date: broken) and the review', () => {
    const a = run({ nodes, edges });
    const s = slip(a, 1, 3 * D);
    expect(s.moved.map((m) => [nodes[m.index]!.id, m.by / H])).toEqual([
      ['chiefs', 72],
      ['leaders', 52],
    ]);
    expect(s.broken.map((i) => nodes[i]!.id)).toEqual(['leaders']);
    expect(s.endMovesBy).toBe(0);
    // fifteen days late: the review moves too
    const big = slip(a, 1, 15 * D);
    expect(big.moved.map((m) => nodes[m.index]!.id)).toEqual(['chiefs', 'leaders', 'review']);
    // chiefs end 17 Jan 12:00, leaders 12:00–16:00, the review then starts at 16:00 instead of 08:00
    expect(big.moved.at(-1)!.by).toBe(8 * H);
    expect(big.endMovesBy).toBe(8 * H);
  });

  it('slip of a meeting with float moves nothing else', () => {
    const a = run({ nodes, edges });
    const s = slip(a, 3, 2 * D);
    expect(s.moved.map((m) => nodes[m.index]!.id)).toEqual(['ankara']);
    expect(s.broken).toEqual([]);
  });

  it('held meetings do not move', () => {
    const held = nodes.map((n) => (n.id === 'leaders' ? { ...n, held: true } : n));
    const a = run({ nodes: held, edges });
    expect(slip(a, 1, 3 * D).moved.map((m) => held[m.index]!.id)).toEqual(['chiefs']);
  });
});
