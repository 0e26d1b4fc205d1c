/**
 * `npm run bench -- process`: critical path and slip analysis for 5,000 meetings and 20,000
 * prerequisites (target ≤ 100 ms). The graph code orders the meetings once (topological order) and
 * passes forward and back; a slip visits only the dependents of the meeting that slips. Beside it, in
 * the same run, the naive way: relax every prerequisite again and again until nothing moves (what a
 * spreadsheet of "starts after" formulas does), and redo that whole schedule for a slip.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { JournalEvent } from '../src/core/journal/envelope';
import { analyse, slip, type SequenceGraph } from '../src/core/process/graph';
import { analyseSequence, buildSequence } from '../src/core/process/prerequisites';
import { processProjection } from '../src/core/process/state';
import { median, rng, table } from './lib';

const MEETINGS = 5000;
const PREREQUISITES = 20000;
const RUNS = 9;
/** Runs first thrown away, for both ways alike: the JIT compiles the hot loops on them. */
const WARMUP = 3;
const H = 3_600_000;
const DAY = 24 * H;
const T0 = Date.parse('2026-01-01T08:00:00Z');

/** Meetings spread over two years (a few a day), each waiting for up to a few earlier ones nearby. */
function generate(): SequenceGraph {
  const random = rng(7);
  const nodes = Array.from({ length: MEETINGS }, (_, i) => {
    const start = T0 + Math.floor((i / MEETINGS) * 730 * DAY) + Math.floor(random() * 8) * H;
    return { id: `m-${i}`, start, end: start + (2 + Math.floor(random() * 6)) * H, hardDate: random() < 0.05, held: false };
  });
  const seen = new Set<string>();
  const edges: [number, number][] = [];
  while (edges.length < PREREQUISITES) {
    const to = 1 + Math.floor(random() * (MEETINGS - 1));
    const from = Math.max(0, to - 1 - Math.floor(random() * 60));
    const key = `${from}>${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push([from, to]);
  }
  return { nodes, edges };
}

/** The naive schedule: relax every edge until a whole pass changes nothing; float the same way backwards. */
function naiveSchedule(g: SequenceGraph, floors: readonly number[]) {
  const n = g.nodes.length;
  const es = Float64Array.from(floors);
  const dur = g.nodes.map((x) => x.end - x.start);
  let passes = 0;
  for (let changed = true; changed; passes++) {
    changed = false;
    for (const [a, b] of g.edges) {
      const ef = es[a]! + dur[a]!;
      if (ef > es[b]!) {
        es[b] = ef;
        changed = true;
      }
    }
  }
  let end = -Infinity;
  for (let i = 0; i < n; i++) end = Math.max(end, es[i]! + dur[i]!);
  const hasSucc = new Uint8Array(n);
  for (const [a] of g.edges) hasSucc[a] = 1;
  const float = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) if (!hasSucc[i]) float[i] = end - es[i]! - dur[i]!;
  for (let changed = true; changed;) {
    changed = false;
    for (const [a, b] of g.edges) {
      const f = es[b]! - es[a]! - dur[a]! + float[b]!;
      if (f < float[a]!) {
        float[a] = f;
        changed = true;
      }
    }
  }
  return { es, float, end, passes };
}

function naiveSlip(g: SequenceGraph, index: number, by: number) {
  const before = naiveSchedule(
    g,
    g.nodes.map((x) => x.start),
  );
  const floors = g.nodes.map((x) => x.start);
  floors[index] = before.es[index]! + by;
  const after = naiveSchedule(g, floors);
  let moved = 0;
  for (let i = 0; i < g.nodes.length; i++) if (after.es[i]! > before.es[i]!) moved++;
  return moved;
}

export async function run(): Promise<void> {
  const g = generate();
  const fast: number[] = [];
  const fastSlip: number[] = [];
  const naive: number[] = [];
  const naiveSlipTimes: number[] = [];
  let moved = 0;
  let naiveMoved = 0;
  let path = 0;
  let passes = 0;
  const slipAt = 100;
  for (let r = 0; r < WARMUP; r++) {
    const a = analyse(g);
    if (a.ok) slip(a.value, 100, 3 * DAY);
    naiveSlip(g, 100, 3 * DAY);
  }
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    const a = analyse(g);
    if (!a.ok) throw new Error(a.message);
    path = a.value.criticalPath.length;
    fast.push(performance.now() - t);
    t = performance.now();
    moved = slip(a.value, slipAt, 3 * DAY).moved.length;
    fastSlip.push(performance.now() - t);

    t = performance.now();
    passes = naiveSchedule(
      g,
      g.nodes.map((x) => x.start),
    ).passes;
    naive.push(performance.now() - t);
    t = performance.now();
    naiveMoved = naiveSlip(g, slipAt, 3 * DAY);
    naiveSlipTimes.push(performance.now() - t);
  }
  if (moved !== naiveMoved) throw new Error(`the two ways disagree: ${moved} meetings move vs ${naiveMoved} naively`);

  // The path the API takes: meetings and prerequisites as the projection holds them → graph → analysis.
  const state = processProjection.init();
  let position = 0;
  const event = (type: string, payload: Record<string, unknown>): JournalEvent =>
    ({
      position: ++position,
      type,
      payload,
      stream: 'bench',
      visibility: ['process'],
      actor: 'bench',
      party: null,
      recordedAt: '2026-01-01T00:00:00.000Z',
    }) as unknown as JournalEvent;
  for (const n of g.nodes) {
    const start = new Date(n.start).toISOString();
    const end = new Date(n.end).toISOString();
    processProjection.apply(
      state,
      event('meeting.planned', {
        id: n.id,
        title: n.id,
        track: 'advisers',
        venue: { name: 'Kyiv', zone: 'Europe/Kyiv' },
        start,
        end,
        localStart: start,
        localEnd: end,
        format: 'in-person',
        videoLink: null,
        participants: [],
        agenda: [],
        hardDate: n.hardDate,
      }),
    );
  }
  for (const [k, [a, b]] of g.edges.entries()) {
    processProjection.apply(
      state,
      event('meeting.prerequisite-added', {
        meeting: g.nodes[b]!.id,
        prerequisite: `p${k}`,
        requirement: { type: 'meeting-held', meeting: g.nodes[a]!.id },
        note: '',
      }),
    );
  }
  const endToEnd: number[] = [];
  const buildOnly: number[] = [];
  for (let r = 0; r < WARMUP; r++) buildSequence(state, null);
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const seq = buildSequence(state, null);
    buildOnly.push(performance.now() - t);
    const a = analyseSequence(seq);
    if (!a.ok) throw new Error(a.message);
    slip(a.value, slipAt, 3 * DAY);
    endToEnd.push(performance.now() - t);
  }

  const target = (ms: number) => (ms <= 100 ? 'met' : 'NOT met');
  table(
    `Process sequencing: ${MEETINGS.toLocaleString('en-US')} meetings, ${PREREQUISITES.toLocaleString('en-US')} prerequisites (median of ${RUNS} after ${WARMUP} warm-up runs; load ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
    ['step', 'ms (median)', 'naive ms (median)', 'naive / ours', 'target ≤ 100 ms'],
    [
      [
        `critical path + float (path of ${path} meetings; naive: ${passes} passes)`,
        median(fast),
        median(naive),
        median(naive) / median(fast),
        target(median(fast)),
      ],
      [
        `slip of one meeting by 3 days (${moved} meetings move)`,
        median(fastSlip),
        median(naiveSlipTimes),
        median(naiveSlipTimes) / median(fastSlip),
        target(median(fastSlip)),
      ],
      ['  of which: building the graph from the projection', median(buildOnly), '', '', ''],
      ['both, from the projection (build graph + analyse + slip)', median(endToEnd), '', '', target(median(endToEnd))],
    ],
  );
}
