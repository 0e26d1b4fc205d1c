import { fail, ok, type Result } from '../errors';

/**
 * The sequence as a graph: meetings are nodes, "meeting A must have been held" is an edge A → B.
 * A planned start is a "not earlier than" date: a meeting starts at its planned time, or when its
 * last prerequisite ends if that is later. Everything here is linear in meetings + prerequisites
 * (topological order, one pass forward, one back), which is what makes 5,000 meetings cheap.
 */
export interface SequenceNode {
  readonly id: string;
  /** planned start and end, ms since the epoch (UTC) */
  readonly start: number;
  readonly end: number;
  /** must not move: slip analysis reports it broken when it would */
  readonly hardDate: boolean;
  /** already held: it does not move any more */
  readonly held: boolean;
}

export interface SequenceGraph {
  readonly nodes: readonly SequenceNode[];
  /** [prerequisite index, dependent index] */
  readonly edges: readonly (readonly [number, number])[];
}

export interface Analysis {
  readonly graph: SequenceGraph;
  /** node indices in an order where every prerequisite comes first */
  readonly order: Int32Array;
  readonly rank: Int32Array;
  readonly earliestStart: Float64Array;
  readonly earliestFinish: Float64Array;
  /** ms the meeting can slip before the end of the whole sequence moves */
  readonly float: Float64Array;
  /** the chain that decides when the sequence ends: each step the prerequisite that finishes last */
  readonly criticalPath: readonly number[];
  readonly end: number;
  readonly preds: Adjacency;
  readonly succs: Adjacency;
}

/** Compressed adjacency lists: neighbours of i are list[offset[i] .. offset[i+1]). */
export interface Adjacency {
  readonly offset: Int32Array;
  readonly list: Int32Array;
}

function adjacency(n: number, edges: readonly (readonly [number, number])[], forward: boolean): Adjacency {
  const offset = new Int32Array(n + 1);
  for (const [a, b] of edges) offset[(forward ? a : b) + 1]!++;
  for (let i = 0; i < n; i++) offset[i + 1]! += offset[i]!;
  const fill = offset.slice(0, n);
  const list = new Int32Array(edges.length);
  for (const [a, b] of edges) {
    const from = forward ? a : b;
    list[fill[from]!++] = forward ? b : a;
  }
  return { offset, list };
}

/** A cycle as node indices, first repeated at the end (a → b → a), found among nodes left unordered. */
function cycleAmong(remaining: Uint8Array, preds: Adjacency): number[] {
  let v = remaining.indexOf(1);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  while (!seenAt.has(v)) {
    seenAt.set(v, walk.length);
    walk.push(v);
    let next = -1;
    for (let k = preds.offset[v]!; k < preds.offset[v + 1]!; k++) {
      if (remaining[preds.list[k]!]) {
        next = preds.list[k]!;
        break;
      }
    }
    v = next;
  }
  // We walked backwards along prerequisites; reverse to read "a must come before b".
  const cycle = walk.slice(seenAt.get(v)!).reverse();
  // Start the telling at the first node of the graph (the earliest meeting), whichever node the walk met first.
  const first = cycle.indexOf(Math.min(...cycle));
  const told = [...cycle.slice(first), ...cycle.slice(0, first)];
  return [...told, told[0]!];
}

export function analyse(graph: SequenceGraph): Result<Analysis> {
  const n = graph.nodes.length;
  const preds = adjacency(n, graph.edges, false);
  const succs = adjacency(n, graph.edges, true);
  const indegree = new Int32Array(n);
  for (let i = 0; i < n; i++) indegree[i] = preds.offset[i + 1]! - preds.offset[i]!;
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) if (indegree[i] === 0) order[tail++] = i;
  while (head < tail) {
    const v = order[head++]!;
    for (let k = succs.offset[v]!; k < succs.offset[v + 1]!; k++) {
      const w = succs.list[k]!;
      if (--indegree[w]! === 0) order[tail++] = w;
    }
  }
  if (tail < n) {
    const remaining = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (indegree[i]! > 0) remaining[i] = 1;
    const cycle = cycleAmong(remaining, preds).map((i) => graph.nodes[i]!.id);
    return fail('refused', `the prerequisites form a cycle: ${cycle.join(' → ')}; no meeting in it could ever be held first`, undefined, {
      cycle,
    });
  }
  const rank = new Int32Array(n);
  order.forEach((v, i) => (rank[v] = i));

  const es = new Float64Array(n);
  const ef = new Float64Array(n);
  let end = -Infinity;
  let last = -1;
  for (const v of order) {
    const node = graph.nodes[v]!;
    let start = node.start;
    if (!node.held) {
      for (let k = preds.offset[v]!; k < preds.offset[v + 1]!; k++) start = Math.max(start, ef[preds.list[k]!]!);
    }
    es[v] = start;
    ef[v] = start + (node.end - node.start);
    if (ef[v]! > end) {
      end = ef[v]!;
      last = v;
    }
  }

  // Float: slipping v by d moves a dependent w by d − (gap between them); the sequence's end moves
  // once that exceeds w's own float. So float(v) = min over dependents of gap + float(w).
  const float = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const v = order[i]!;
    let f = end - ef[v]!;
    if (succs.offset[v + 1]! > succs.offset[v]!) {
      f = Infinity;
      for (let k = succs.offset[v]!; k < succs.offset[v + 1]!; k++) {
        const w = succs.list[k]!;
        f = Math.min(f, es[w]! - ef[v]! + float[w]!);
      }
    }
    float[v] = f;
  }

  const criticalPath: number[] = [];
  for (let v = last; v >= 0;) {
    criticalPath.push(v);
    let driver = -1;
    for (let k = preds.offset[v]!; k < preds.offset[v + 1]!; k++) {
      const u = preds.list[k]!;
      if (driver < 0 || ef[u]! > ef[driver]!) driver = u;
    }
    v = driver;
  }
  criticalPath.reverse();
  return ok({ graph, order, rank, earliestStart: es, earliestFinish: ef, float, criticalPath, end: n > 0 ? end : 0, preds, succs });
}

export interface Slip {
  /** meetings that move, with their new earliest start (ms) and by how much */
  readonly moved: readonly { index: number; from: number; to: number; by: number }[];
  /** hard dates that would break */
  readonly broken: readonly number[];
  /** how much later the whole sequence would end */
  readonly endMovesBy: number;
}

/** What moves if one meeting slips by `by` ms: only its dependents are visited, in order. */
export function slip(a: Analysis, index: number, by: number): Slip {
  const { graph, order, rank, earliestStart: es, earliestFinish: ef, preds, succs } = a;
  const newEs = new Map<number, number>([[index, es[index]! + by]]);
  const newEf = (v: number) => (newEs.has(v) ? newEs.get(v)! + (ef[v]! - es[v]!) : ef[v]!);
  // Dependents are discovered as we go; visiting them by topological rank keeps each visit final.
  const queued = new Set<number>();
  const frontier = new MinHeap();
  const push = (v: number) => {
    for (let k = succs.offset[v]!; k < succs.offset[v + 1]!; k++) {
      const w = succs.list[k]!;
      if (!queued.has(w) && !graph.nodes[w]!.held) {
        queued.add(w);
        frontier.push(rank[w]!);
      }
    }
  };
  push(index);
  while (frontier.size > 0) {
    const w = order[frontier.pop()]!;
    let start = graph.nodes[w]!.start;
    for (let k = preds.offset[w]!; k < preds.offset[w + 1]!; k++) start = Math.max(start, newEf(preds.list[k]!));
    if (start > es[w]!) {
      newEs.set(w, start);
      push(w);
    }
  }
  const moved = [...newEs].map(([v, to]) => ({ index: v, from: es[v]!, to, by: to - es[v]! })).filter((m) => m.by > 0);
  moved.sort((x, y) => rank[x.index]! - rank[y.index]!);
  let end = a.end;
  for (const m of moved) end = Math.max(end, newEf(m.index));
  return { moved, broken: moved.filter((m) => graph.nodes[m.index]!.hardDate).map((m) => m.index), endMovesBy: end - a.end };
}

/** A binary min-heap of integers (topological ranks). */
class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= x) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const x = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= a.length) break;
        if (c + 1 < a.length && a[c + 1]! < a[c]!) c++;
        if (a[c]! >= x) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = x;
    }
    return top;
  }
}
