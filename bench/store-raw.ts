import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { seal } from '../src/core/journal/chain';
import { GENESIS_HASH, type JournalEvent } from '../src/core/journal/envelope';
import type { JournalStore } from '../src/store/contract';
import { describeError, openPostgresStore, redactUrl } from '../src/store/postgres/postgres-store';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store';

/**
 * Raw append throughput of the two journal stores, measured in one run on the same disk: each batch is
 * one `append` (lock, read missed, insert, durable commit). Events are sealed with real hashes beforehand,
 * so the figures are the store's cost alone; the sealing cost is printed on its own line.
 *
 *   node --import tsx bench/store-raw.ts        (PostgreSQL from ENTENTE_BENCH_PG, default below)
 */
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';
const BATCHES: readonly { readonly size: number; readonly count: number }[] = [
  { size: 1, count: 400 },
  { size: 64, count: 125 },
  { size: 512, count: 30 },
];
const WARMUP_BATCHES = 5;
/** Each kind's batches are measured in this many slices, the kinds taking turns. */
const ROUNDS = 5;

interface Measurement {
  readonly eventsPerSecond: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

export async function run(): Promise<void> {
  const pgUrl = process.env.ENTENTE_BENCH_PG ?? DEFAULT_PG;
  const dir = mkdtempSync(join(tmpdir(), 'entente-bench-store-'));
  const schemas: string[] = [];
  const kinds: { name: string; open: () => Promise<JournalStore> }[] = [
    { name: 'SQLite', open: () => openSqliteStore(join(dir, `s${Math.random().toString(36).slice(2)}`)) },
  ];
  const pgProblem = await reachable(pgUrl);
  if (pgProblem === null) {
    kinds.push({
      name: 'PostgreSQL',
      open: () => {
        const schema = `bench_${process.pid}_${schemas.length + 1}`;
        schemas.push(schema);
        return openPostgresStore(pgUrl, { schema });
      },
    });
  }

  console.log(`store-raw: append throughput, ~${payloadBytes()} B payloads, events sealed in advance`);
  console.log(`  SQLite: ${dir} (WAL, synchronous=FULL)`);
  console.log(`  PostgreSQL: ${pgProblem === null ? redactUrl(pgUrl) : `skipped (${pgProblem})`}`);
  console.log(`  sealing alone (canonical JSON + sha256): ${Math.round(sealRate()).toLocaleString('en')} events/s on one core`);

  const results = new Map<string, Measurement>();
  try {
    for (const batch of BATCHES) {
      const runs = await Promise.all(kinds.map(async (kind) => ({ kind, run: new BatchRun(await kind.open(), batch.size, batch.count) })));
      try {
        for (const { run } of runs) await run.warmUp();
        // The kinds take turns, a slice of batches each, so that both see the same background load
        // (this machine is shared): the ratio is fair even when the absolute figures wander.
        for (let slice = 0; slice < ROUNDS; slice++) {
          for (const { run } of runs) await run.measure(batch.count / ROUNDS);
        }
        for (const { kind, run } of runs) results.set(`${kind.name}/${batch.size}`, run.result());
      } finally {
        for (const { run } of runs) await run.store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (schemas.length > 0) await dropSchemas(pgUrl, schemas);
  }

  const rows = BATCHES.map(({ size, count }) => {
    const s = results.get(`SQLite/${size}`)!;
    const p = results.get(`PostgreSQL/${size}`);
    return {
      'batch (events)': size,
      batches: count,
      'SQLite events/s': fmt(s.eventsPerSecond),
      'SQLite p50 ms': s.medianMs.toFixed(2),
      'SQLite p95 ms': s.p95Ms.toFixed(2),
      'PostgreSQL events/s': p ? fmt(p.eventsPerSecond) : '—',
      'PostgreSQL p50 ms': p ? p.medianMs.toFixed(2) : '—',
      'PostgreSQL p95 ms': p ? p.p95Ms.toFixed(2) : '—',
      'SQLite ÷ PostgreSQL': p ? `${(s.eventsPerSecond / p.eventsPerSecond).toFixed(2)}x` : '—',
    };
  });
  console.table(rows);
}

/** Appends a pre-sealed chain to one store, batch by batch, recording each batch's latency. */
class BatchRun {
  private readonly chain: JournalEvent[];
  private head = 0;
  private readonly latencies: number[] = [];
  private elapsedMs = 0;

  constructor(
    readonly store: JournalStore,
    private readonly size: number,
    count: number,
  ) {
    this.chain = sealChain((WARMUP_BATCHES + count) * size);
  }

  async warmUp(): Promise<void> {
    for (let i = 0; i < WARMUP_BATCHES; i++) await this.appendBatch();
  }

  async measure(batches: number): Promise<void> {
    for (let i = 0; i < batches; i++) {
      const t = performance.now();
      await this.appendBatch();
      const ms = performance.now() - t;
      this.latencies.push(ms);
      this.elapsedMs += ms;
    }
  }

  result(): Measurement {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      eventsPerSecond: (sorted.length * this.size) / (this.elapsedMs / 1000),
      medianMs: sorted[Math.floor(sorted.length / 2)]!,
      p95Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!,
    };
  }

  private async appendBatch(): Promise<void> {
    const events = this.chain.slice(this.head, this.head + this.size);
    await this.store.append(this.head, (missed) => {
      if (missed.length > 0) throw new Error('another writer appended during the benchmark');
      return { events, result: null };
    });
    this.head += this.size;
  }
}

function payload(position: number): Record<string, unknown> {
  return {
    reportId: `rep-${position.toString(36).padStart(8, '0')}`,
    kind: 'shelling',
    summary:
      'Artillery fire reported near the line of contact; two impacts observed by the monitoring team, no casualties reported at the time of filing.',
    location: { type: 'Point', coordinates: [37.8023 + (position % 100) / 1e4, 48.0159] },
    observedAt: '2026-03-01T08:15:00+02:00',
    zone: 'Europe/Kyiv',
    sources: ['monitor', 'delegate'],
    confidence: 0.75,
    sequence: position,
  };
}

function payloadBytes(): number {
  return Buffer.byteLength(JSON.stringify(payload(12345)));
}

function sealChain(count: number): JournalEvent[] {
  const events: JournalEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let position = 1; position <= count; position++) {
    const event = seal({
      position,
      stream: `report/r-${position}`,
      streamVersion: 1,
      type: 'report.filed',
      payload: payload(position),
      actor: 'user:monitor-7',
      party: 'mechanism',
      visibility: ['process'],
      recordedAt: new Date(Date.UTC(2026, 2, 1) + position).toISOString(),
      idempotencyKey: `idem-${position}`,
      prevHash,
    });
    events.push(event);
    prevHash = event.hash;
  }
  return events;
}

function sealRate(): number {
  const n = 5000;
  const t = performance.now();
  sealChain(n);
  return n / ((performance.now() - t) / 1000);
}

async function reachable(url: string): Promise<string | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return null;
  } catch (error) {
    await client.end().catch(() => undefined);
    return describeError(error);
  }
}

async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
