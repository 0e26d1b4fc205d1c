/**
 * `npm run bench -- negotiation`: the gap map of 2,000 clauses × 15 parties after one position
 * changes (target ≤ 50 ms). The projection keeps per-clause aggregates, so one new position
 * recomputes one clause; the map a reader asks for is then assembled from them. Beside it, the cost
 * of folding all 30,000 positions from scratch, which is what the aggregates save.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { Principal } from '../src/core/access/roles';
import type { JournalEvent } from '../src/core/journal/envelope';
import { GRADIENT, SHARINGS, sharingVisibility } from '../src/core/negotiation/model';
import { negotiationProjection } from '../src/core/negotiation/state';
import { gapMap, type ClauseInfo } from '../src/core/negotiation/workspace';
import { median, percentile, table } from './lib';

const CLAUSES = 2000;
const PARTIES = 15;
const CHANGES = 200;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const parties = Array.from({ length: PARTIES }, (_, i) => `p${i}`);
const clauses: ClauseInfo[] = Array.from({ length: CLAUSES }, (_, i) => ({
  id: `c-${i}`,
  title: `Clause ${i}`,
  status: i % 3 ? 'open' : 'bracketed',
  alternatives: i % 3 ? [] : [`c-${i}-a`, `c-${i}-b`],
}));

function positionEvent(n: number, random: () => number): JournalEvent {
  const clause = clauses[Math.floor(random() * CLAUSES)]!;
  const party = parties[Math.floor(random() * PARTIES)]!;
  const sharing = SHARINGS[Math.floor(random() * 3)]!;
  const alternative =
    clause.alternatives.length && random() < 0.5 ? clause.alternatives[Math.floor(random() * clause.alternatives.length)]! : null;
  return {
    position: n,
    stream: `position/${party}/${clause.id}`,
    streamVersion: 1,
    type: 'position.recorded',
    payload: { clause: clause.id, alternative, gradient: GRADIENT[Math.floor(random() * 8)], reason: 'r', redLine: null, sharing, party },
    actor: `${party}-delegate`,
    party,
    visibility: sharingVisibility(sharing, party),
    recordedAt: '2026-01-10T10:00:00.000Z',
    idempotencyKey: null,
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  };
}

const reader = (party: string | null, mediator = false): Principal => ({
  kind: 'user',
  id: 'x',
  username: 'x',
  party,
  roles: [mediator ? 'mediator' : 'delegate'],
  grants: [],
  scopes: null,
});

export async function run(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${availableParallelism()} cores`,
  );
  const random = rng(42);
  // Every (clause, party) gets a position, so the map is full: 30,000 positions.
  const events: JournalEvent[] = [];
  let n = 0;
  for (const c of clauses) {
    for (const p of parties) {
      const sharing = SHARINGS[(n * 7) % 3]!;
      const e = positionEvent(++n, random);
      e.payload = { ...e.payload, clause: c.id, party: p, sharing, alternative: null };
      e.visibility = sharingVisibility(sharing, p);
      events.push(e);
    }
  }
  const t0 = performance.now();
  const state = negotiationProjection.init();
  for (const e of events) negotiationProjection.apply(state, e);
  const fold = performance.now() - t0;

  const delegate = reader('p3');
  const mediator = reader(null, true);
  const applyTimes: number[] = [];
  const partyMap: number[] = [];
  const mediatorMap: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const e = positionEvent(++n, random);
    let t = performance.now();
    negotiationProjection.apply(state, e);
    applyTimes.push(performance.now() - t);
    t = performance.now();
    gapMap(state, i % 2 ? delegate : mediator, clauses, parties);
    (i % 2 ? partyMap : mediatorMap).push(performance.now() - t);
  }
  const total = applyTimes.map((a, i) => a + (i % 2 ? partyMap[i >> 1]! : mediatorMap[i >> 1]!));
  table(
    `gap map, ${CLAUSES.toLocaleString('en-US')} clauses × ${PARTIES} parties (${events.length.toLocaleString('en-US')} positions), ${CHANGES} changes`,
    ['measure', 'median ms', 'p95 ms', 'target'],
    [
      ['apply one position (incremental aggregates)', median(applyTimes), percentile(applyTimes, 95), ''],
      ['gap map for a party delegate', median(partyMap), percentile(partyMap, 95), ''],
      ['gap map for the mediator', median(mediatorMap), percentile(mediatorMap, 95), ''],
      ['one change → fresh map (apply + map)', median(total), percentile(total, 95), '≤ 50'],
      ['fold all positions from scratch (comparison)', fold, fold, ''],
    ],
  );
}
