/**
 * `npm run bench -- journal [options]`: the journal's performance, measured in one run (issue 2, "Performance").
 *
 *  1. Durable appends over HTTP, load from wrk (64 connections, ~400-byte bodies, bench/wrk/journal-post.lua):
 *     the Entente server on SQLite and on PostgreSQL against a bare `node:http` server answering the same
 *     requests, with and without an Idempotency-Key per request. Every 201 is checked against the journal.
 *  2. Rebuild of the memory image from 1,000,000 stored events (real hash chain, realistic report.filed
 *     events with idempotency keys and a signed checkpoint every 1,000): plain, with the chain check, and
 *     from a snapshot.
 *  3. Memory per incident in the map projection (IncidentColumns) against one plain object per record.
 *
 * Options: --duration S (10) --warmup S (2) --connections N (64) --threads N (1, wrk threads)
 *          --events N (1000000) --rows N (1000000) --skip http,sqlite,pg,bare,rebuild,memory --pg URL
 *          --server-flags="--cpu-prof --cpu-prof-dir=DIR" (node flags for the Entente servers, to profile them)
 * Temp dirs, child processes and PostgreSQL schemas are removed at the end, on failure and on Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import type { AppendRequest, EventDraft, JournalEvent } from '../src/core/journal/envelope';
import { checkpointDraft } from '../src/core/journal/checkpoint';
import { journalIndexProjection } from '../src/core/journal/journal-index';
import { planBatch } from '../src/core/journal/plan';
import { IncidentColumns, incidentProjection } from '../src/core/operations/incident-columns';
import { DOMAINS, fileReport, REPORT_TYPES, type ReportInput, SOURCES } from '../src/core/operations/report';
import { Journal } from '../src/runtime/journal';
import { loadOrCreateNodeKey } from '../src/runtime/node-key';
import { openStore } from '../src/store/open';
import type { WriterReply, WriterRequest } from './journal-writer';
import { fmt, table } from './lib';

const ROOT = resolve(import.meta.dirname, '..');
const LUA = join(import.meta.dirname, 'wrk', 'journal-post.lua');
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';

const TARGET = {
  sqliteEventsPerSecond: 10_000,
  sqliteP99Ms: 50,
  sqliteShareOfBare: 0.5,
  postgresEventsPerSecond: 8_000,
  rebuildMs: 5_000,
  rebuildVerifiedMs: 8_000,
  bytesPerIncident: 64,
};

// ---------------------------------------------------------------------------------------------- cleanup

/** Every child process started by this run (servers, wrk, the CLI), until it exits. */
const CHILDREN = new Set<ChildProcess>();

/** Everything the run created, removed in `finally`, on SIGINT/SIGTERM, and (what can be done synchronously) at exit. */
class Cleanup {
  readonly dirs = new Set<string>();
  readonly children = CHILDREN;
  readonly schemas = new Map<string, string>();

  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), `entente-bench-${prefix}-`));
    this.dirs.add(dir);
    return dir;
  }

  removeDir(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
    this.dirs.delete(dir);
  }

  async all(): Promise<void> {
    await Promise.all([...this.children].map((c) => stopChild(c, 5_000)));
    for (const [schema, url] of this.schemas) {
      await dropSchema(url, schema).catch((error: unknown) =>
        console.error(`could not drop PostgreSQL schema ${schema}: ${String(error)}`),
      );
    }
    this.schemas.clear();
    for (const dir of [...this.dirs]) this.removeDir(dir);
  }

  /** At exit only synchronous work is possible: kill what is left, remove the directories. */
  atExit = (): void => {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  };
}

function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------------------------------------ entry

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  threads: number;
  events: number;
  rows: number;
  skip: Set<string>;
  pg: string;
  /** Extra node flags for the Entente servers, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
  serverFlags: string[];
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '64' },
      threads: { type: 'string', default: '1' },
      events: { type: 'string', default: '1000000' },
      rows: { type: 'string', default: '1000000' },
      skip: { type: 'string', default: '' },
      pg: { type: 'string', default: process.env.ENTENTE_BENCH_PG ?? DEFAULT_PG },
      'server-flags': { type: 'string', default: '' },
    },
  });
  const opts: Options = {
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    connections: Number(values.connections),
    threads: Number(values.threads),
    events: Number(values.events),
    rows: Number(values.rows),
    skip: new Set(values.skip.split(',').filter(Boolean)),
    pg: values.pg,
    serverFlags: values['server-flags'].split(' ').filter(Boolean),
  };

  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup.all().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', cleanup.atExit);
  const started = performance.now();
  try {
    await printMachine(opts);
    if (!opts.skip.has('http')) await httpSection(opts, cleanup);
    if (!opts.skip.has('rebuild')) await rebuildSection(opts, cleanup);
    if (!opts.skip.has('memory')) memorySection(opts);
    console.log(
      `\nload average (1, 5, 15 min) at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}; whole run ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    await cleanup.all();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', cleanup.atExit);
  }
}

async function printMachine(opts: Options): Promise<void> {
  const wrkVersion = await capture('wrk', ['-v']).then(
    (r) =>
      r.stdout
        .split('\n')[0]!
        .replace(/Copyright.*$/, '')
        .trim(),
    () => 'not installed',
  );
  let pgVersion = 'skipped';
  if (!opts.skip.has('http') && !opts.skip.has('pg')) {
    const client = new pg.Client({ connectionString: opts.pg });
    try {
      await client.connect();
      pgVersion = String((await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version);
    } catch (error) {
      pgVersion = `unreachable (${(error as Error).message}); PostgreSQL rows will be skipped`;
      opts.skip.add('pg');
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  table(
    'Machine',
    ['', ''],
    [
      ['cores', `${availableParallelism()} (${cpus()[0]?.model ?? 'unknown CPU'})`],
      ['Node.js', process.version],
      [
        'load average (1, 5, 15 min)',
        loadavg()
          .map((l) => l.toFixed(2))
          .join(', '),
      ],
      ['wrk', wrkVersion],
      ['PostgreSQL', pgVersion],
    ],
  );
}

// ------------------------------------------------------------------------------------------------- HTTP

interface WrkResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  statuses: Record<string, number>;
}

interface Measured {
  label: string;
  key: boolean;
  wrk: WrkResult;
  /** Journal positions before and after the measured window (report.filed events counted between). */
  range?: { from: number; to: number };
  journal?: { reports: number; commits: number; events: number };
}

/** The same requests answered by a bare node:http server: read the body, JSON.parse, 201 with a small JSON. */
const BARE_SERVER = `
import { createServer } from 'node:http';
let n = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try { JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { res.writeHead(400).end(); return; }
    n++;
    const body = JSON.stringify({ id: 'R-' + n, position: n, hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function httpSection(opts: Options, cleanup: Cleanup): Promise<void> {
  const salt = `b${process.pid.toString(36)}${Date.now().toString(36)}`;
  const rows: Measured[] = [];
  let runNo = 0;
  const measure = async (url: string, token: string, label: string, key: boolean, head?: () => Promise<number>): Promise<Measured> => {
    // Requests still in flight from the run before (up to one per connection) land first, so that they
    // are counted in neither window.
    const from = head ? await settledHead(head) : (await sleep(300), 0);
    const result = await runWrk(url, opts, { token, key, salt: `${salt}r${++runNo}`, seconds: opts.duration });
    const to = head ? await settledHead(head) : 0;
    return { label, key, wrk: result, ...(head ? { range: { from, to } } : {}) };
  };

  // (c) bare node:http, first (and again at the end, to bracket the noise of a shared machine).
  const bareRuns: Measured[] = [];
  const runBare = async (label: string): Promise<void> => {
    const child = spawnTracked(cleanup, process.execPath, ['--input-type=module', '-e', BARE_SERVER], { cwd: ROOT });
    const url = (await waitForLine(child, /listening on (http:\/\/\S+)/, 15_000))[1]!;
    await runWrk(url, opts, { token: 'none', key: true, salt: `${salt}w${++runNo}`, seconds: opts.warmup });
    bareRuns.push(await measure(url, 'none', label, true));
    await stopChild(child, 5_000);
    cleanup.children.delete(child);
  };
  if (!opts.skip.has('bare')) await runBare('bare node:http (before)');

  // (a) SQLite, (b) PostgreSQL.
  for (const kind of ['sqlite', 'postgres'] as const) {
    if (kind === 'postgres' && opts.skip.has('pg')) continue;
    if (kind === 'sqlite' && opts.skip.has('sqlite')) continue;
    const server = await startEntente(kind, opts, cleanup);
    const head = () => healthHead(server.url);
    const label = `Entente, ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`;
    await runWrk(server.url, opts, { token: server.token, key: true, salt: `${salt}w${++runNo}`, seconds: opts.warmup });
    const measured = [
      await measure(server.url, server.token, label, true, head),
      await measure(server.url, server.token, label, false, head),
    ];
    await stopChild(server.child, 30_000);
    cleanup.children.delete(server.child);
    await countJournal(server.target, measured);
    rows.push(...measured);
    if (server.schema) {
      await dropSchema(opts.pg, server.schema);
      cleanup.schemas.delete(server.schema);
    }
    cleanup.removeDir(server.dir);
  }

  if (!opts.skip.has('bare')) await runBare('bare node:http (after)');

  const bare = bareRuns.length > 0 ? bareRuns.reduce((s, r) => s + rate(r.wrk), 0) / bareRuns.length : NaN;
  const ms = (us: number) => us / 1000;
  const problems = (w: WrkResult) => {
    const non2xx = Object.entries(w.statuses).filter(([s]) => Number(s) >= 300);
    const socket = w.errors.connect + w.errors.read + w.errors.write + w.errors.timeout;
    const parts = non2xx.map(([s, n]) => `${n}×${s}`);
    if (socket > 0) parts.push(`${socket} socket (c${w.errors.connect}/r${w.errors.read}/w${w.errors.write}/t${w.errors.timeout})`);
    return parts.length > 0 ? parts.join(', ') : 'none';
  };
  const check = (r: Measured) => {
    if (!r.journal || !r.range) return '–';
    const created = r.wrk.statuses['201'] ?? 0;
    const extra = r.journal.reports - created;
    // wrk stops with up to one request per connection unanswered; those may still have been appended.
    const ok = extra >= 0 && extra <= opts.connections;
    return `${ok ? 'ok' : 'MISMATCH'}: ${fmt(r.journal.reports)} in journal (${extra >= 0 ? '+' : ''}${extra} in flight at stop)`;
  };
  table(
    `1. Durable appends over HTTP: POST /api/v1/reports, wrk -t${opts.threads} -c${opts.connections}, ~400-byte bodies, ${opts.duration} s after a ${opts.warmup} s warm-up (bearer token)`,
    [
      'server',
      'Idempotency-Key',
      'appends/s (201s)',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'of bare',
      'appends/commit',
      'events/append',
      'non-2xx / errors',
      '201s vs journal',
    ],
    [...bareRuns.slice(0, 1), ...rows, ...bareRuns.slice(1)].map((r) => [
      r.label,
      r.key ? 'unique per request' : 'none',
      Math.round(rate(r.wrk)),
      ms(r.wrk.p50Us),
      ms(r.wrk.p90Us),
      ms(r.wrk.p99Us),
      ms(r.wrk.maxUs),
      r.label.startsWith('bare') ? '–' : pct(rate(r.wrk) / bare),
      r.journal && r.journal.commits > 0 ? r.journal.reports / r.journal.commits : '–',
      r.journal && r.journal.reports > 0 ? r.journal.events / r.journal.reports : '–',
      problems(r.wrk),
      check(r),
    ]),
  );
  console.log(
    'appends/s: acknowledged POSTs (201) per second, each one durable append of one report. appends/commit: report.filed events per\n' +
      'distinct recordedAt, i.e. per group-commit transaction (two within one millisecond merge). events/append: journal events\n' +
      'each report wrote (checkpoints excluded).',
  );

  const find = (prefix: string, key: boolean) => rows.find((r) => r.label === prefix && r.key === key);
  const targets: (string | number)[][] = [];
  for (const key of [true, false]) {
    const s = find('Entente, SQLite', key);
    const keyNote = key ? 'with key' : 'no key';
    if (s) {
      targets.push([
        `SQLite appends/s (${keyNote})`,
        Math.round(rate(s.wrk)),
        `≥ ${fmt(TARGET.sqliteEventsPerSecond)}`,
        met(rate(s.wrk) >= TARGET.sqliteEventsPerSecond),
      ]);
      targets.push([`SQLite p99 ms (${keyNote})`, ms(s.wrk.p99Us), `≤ ${TARGET.sqliteP99Ms}`, met(ms(s.wrk.p99Us) <= TARGET.sqliteP99Ms)]);
      if (Number.isFinite(bare))
        targets.push([
          `SQLite share of bare (${keyNote})`,
          pct(rate(s.wrk) / bare),
          `≥ ${pct(TARGET.sqliteShareOfBare)}`,
          met(rate(s.wrk) / bare >= TARGET.sqliteShareOfBare),
        ]);
    }
    const p = find('Entente, PostgreSQL', key);
    if (p) {
      targets.push([
        `PostgreSQL appends/s (${keyNote})`,
        Math.round(rate(p.wrk)),
        `≥ ${fmt(TARGET.postgresEventsPerSecond)}`,
        met(rate(p.wrk) >= TARGET.postgresEventsPerSecond),
      ]);
      if (Number.isFinite(bare)) targets.push([`PostgreSQL share of bare (${keyNote})`, pct(rate(p.wrk) / bare), '–', '']);
    }
  }
  if (Number.isFinite(bare)) targets.push(['bare node:http answers/s (mean of runs)', Math.round(bare), '(reference)', '']);
  table('1b. HTTP targets (issue 2)', ['figure', 'measured', 'target', ''], targets);
}

function rate(w: WrkResult): number {
  return (w.statuses['201'] ?? 0) / (w.durationUs / 1e6);
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : '–';
}

function met(ok: boolean): string {
  return ok ? 'met' : 'NOT MET';
}

interface RunningEntente {
  url: string;
  token: string;
  child: ChildProcess;
  dir: string;
  schema: string | null;
  target: { data: string } | { db: string; schema: string };
}

async function startEntente(kind: 'sqlite' | 'postgres', opts: Options, cleanup: Cleanup): Promise<RunningEntente> {
  const dir = cleanup.tempDir(kind);
  const schema = kind === 'postgres' ? `bench_journal_${process.pid}_${Date.now().toString(36)}` : null;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.ENTENTE_DB;
  const storeArgs = ['--data', dir];
  if (schema) {
    cleanup.schemas.set(schema, opts.pg);
    env.ENTENTE_DB_SCHEMA = schema;
    storeArgs.push('--db', opts.pg);
  }
  const child = spawnTracked(
    cleanup,
    process.execPath,
    [...opts.serverFlags, 'bin/entente.js', 'serve', ...storeArgs, '--port', '0', '--demo', '--log-level', 'warn'],
    { cwd: ROOT, env },
  );
  const url = (await waitForLine(child, /Entente listening on (http:\/\/\S+)/, 60_000))[1]!;
  // The token is created offline against the same store while the server runs (as an operator would);
  // the server picks the token event up by tailing the journal.
  const before = await healthHead(url);
  const created = await capture(
    process.execPath,
    ['bin/entente.js', 'admin', 'create-token', ...storeArgs, '--username', 'monitor', '--scope', 'reports:write'],
    { cwd: ROOT, env },
  );
  const token = created.stdout.trim().split('\n').pop() ?? '';
  if (created.code !== 0 || !token.startsWith('ent_'))
    throw new Error(`entente admin create-token failed: ${created.stderr || created.stdout}`);
  const deadline = Date.now() + 15_000;
  while ((await healthHead(url)) <= before) {
    if (Date.now() > deadline) throw new Error('the server did not pick up the new API token within 15 s');
    await sleep(100);
  }
  return { url, token, child, dir, schema, target: schema ? { db: opts.pg, schema } : { data: dir } };
}

/** The journal head once it has stopped moving for half a second (the appends in flight have landed). */
async function settledHead(head: () => Promise<number>): Promise<number> {
  const deadline = Date.now() + 30_000;
  let last = await head();
  let stable = 0;
  while (stable < 2 && Date.now() < deadline) {
    await sleep(250);
    const now = await head();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

async function healthHead(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/health`);
  if (!res.ok) throw new Error(`GET /api/v1/health answered ${res.status}`);
  return ((await res.json()) as { head: number }).head;
}

/** Counts report.filed events, and distinct recordedAt (one per group commit), in each measured window. */
async function countJournal(target: RunRangeTarget, measured: Measured[]): Promise<void> {
  const withRange = measured.filter((m) => m.range);
  if (withRange.length === 0) return;
  const from = Math.min(...withRange.map((m) => m.range!.from));
  const to = Math.max(...withRange.map((m) => m.range!.to));
  const store = await openStore(target);
  try {
    const tallies = withRange.map(() => ({ reports: 0, events: 0, batches: new Set<string>() }));
    for await (const e of store.iterate(from, 5000)) {
      if (e.position > to) break;
      if (e.type === 'journal.checkpoint') continue;
      withRange.forEach((m, i) => {
        if (e.position > m.range!.from && e.position <= m.range!.to) {
          tallies[i]!.events++;
          if (e.type !== 'report.filed') return;
          tallies[i]!.reports++;
          tallies[i]!.batches.add(e.recordedAt);
        }
      });
    }
    withRange.forEach(
      (m, i) => (m.journal = { reports: tallies[i]!.reports, commits: tallies[i]!.batches.size, events: tallies[i]!.events }),
    );
  } finally {
    await store.close();
  }
}
type RunRangeTarget = { data: string } | { db: string; schema: string };

async function runWrk(url: string, opts: Options, run: { token: string; key: boolean; salt: string; seconds: number }): Promise<WrkResult> {
  const out = await capture(
    'wrk',
    ['-t', String(opts.threads), '-c', String(opts.connections), '-d', `${run.seconds}s`, '--timeout', '10s', '--latency', '-s', LUA, url],
    {
      env: {
        ...process.env,
        ENTENTE_TOKEN: run.token,
        ENTENTE_IDEMPOTENCY: run.key ? '1' : '0',
        ENTENTE_SALT: run.salt,
        ENTENTE_BODY_BYTES: '400',
      },
    },
  );
  const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (out.code !== 0 || !line) throw new Error(`wrk failed (exit ${out.code}): ${out.stderr || out.stdout}`);
  return JSON.parse(line.slice('RESULT '.length)) as WrkResult;
}

// ---------------------------------------------------------------------------------------------- rebuild

async function rebuildSection(opts: Options, cleanup: Cleanup): Promise<void> {
  const dir = cleanup.tempDir('rebuild');
  const n = opts.events;
  const gen = await generateJournal(dir, n);
  const fileBytes = statSync(join(dir, 'journal.db')).size + fileSizeOr0(join(dir, 'journal.db-wal'));

  const rows: (string | number)[][] = [
    [
      `generate ${fmt(n)} events (reports decided by fileReport, varied past the first 512; planBatch chain; store append on a writer thread, ${fmt(gen.batches)} transactions)`,
      fmt(gen.events),
      gen.ms,
      Math.round(gen.events / (gen.ms / 1000)),
      '–',
      '',
      `${(fileBytes / gen.events).toFixed(0)} B/event on disk`,
    ],
  ];

  const rebuild = async (verifyOnStart: boolean) => {
    const store = await openStore({ data: dir });
    const journal = new Journal(store, null, { verifyOnStart });
    const heapBefore = usedMemory(true);
    try {
      const stats = await journal.open();
      const heap = usedMemory(true) - heapBefore;
      const image = journal.image;
      return { stats, heap, idempotencyEntries: image.index.idempotency.size, journal, store };
    } catch (error) {
      await journal.close().catch(() => undefined);
      await store.close();
      throw error;
    }
  };

  // Plain rebuild (no snapshot yet), with the memory the image holds.
  const plain = await rebuild(false);
  const idemEntries = plain.idempotencyEntries;
  const beforeDrop = usedMemory(true);
  plain.journal.image.index.idempotency.clear();
  const idemBytes = beforeDrop - usedMemory(true);
  await plain.journal.close();
  await plain.store.close();
  rows.push([
    'rebuild memory image from the store, no snapshot',
    fmt(plain.stats.replayed),
    plain.stats.ms,
    Math.round(plain.stats.replayed / (plain.stats.ms / 1000)),
    `≤ ${fmt(TARGET.rebuildMs)} ms`,
    met(plain.stats.ms <= TARGET.rebuildMs),
    `image ${(plain.heap / plain.stats.replayed).toFixed(0)} B/event (idempotency map ${(idemBytes / Math.max(1, idemEntries)).toFixed(0)} B/key)`,
  ]);

  // With the chain check; the image it built then saves the snapshot the last rebuild starts from.
  const verified = await rebuild(true);
  rows.push([
    'rebuild with the chain check (verifyOnStart)',
    fmt(verified.stats.replayed),
    verified.stats.ms,
    Math.round(verified.stats.replayed / (verified.stats.ms / 1000)),
    `≤ ${fmt(TARGET.rebuildVerifiedMs)} ms`,
    met(verified.stats.ms <= TARGET.rebuildVerifiedMs),
    '',
  ]);
  const t = performance.now();
  await verified.journal.saveSnapshot();
  const saveMs = performance.now() - t;
  const snap = await verified.store.latestSnapshot();
  await verified.journal.close();
  await verified.store.close();
  rows.push([
    'save a snapshot of the image (journal.saveSnapshot)',
    '–',
    saveMs,
    '–',
    '–',
    '',
    `${((snap?.data.byteLength ?? 0) / 1e6).toFixed(1)} MB`,
  ]);

  const again = await rebuild(false);
  await again.journal.close();
  await again.store.close();
  rows.push([
    'rebuild from the snapshot (+ tail)',
    `${fmt(again.stats.fromSnapshot)} + ${fmt(again.stats.replayed)}`,
    again.stats.ms,
    '–',
    `≤ ${fmt(TARGET.rebuildMs)} ms`,
    met(again.stats.ms <= TARGET.rebuildMs),
    `image ${(again.heap / Math.max(1, again.stats.fromSnapshot + again.stats.replayed)).toFixed(0)} B/event`,
  ]);
  cleanup.removeDir(dir);

  table(
    `2. Rebuild of ${fmt(gen.events)} events on SQLite, planned as the server plans them (${[...gen.types]
      .sort((a, b) => b[1] - a[1])
      .map(([type, count]) => `${fmt(count)} ${type}`)
      .join(', ')}; every report with an idempotency key)`,
    ['step', 'events', 'ms', 'events/s', 'target', '', 'notes'],
    rows,
  );
}

function fileSizeOr0(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Writes `total` events the way the server would: report.filed requests from 24 monitor devices (each with
 * an idempotency key), planned with planBatch against the index (positions, stream versions, the hash chain)
 * and a signed checkpoint closing every batch of 1,000 events, each batch one store.append transaction.
 */
async function generateJournal(
  dir: string,
  total: number,
): Promise<{ events: number; types: Map<string, number>; batches: number; ms: number }> {
  const t = performance.now();
  // Created (and migrated) here; a worker thread then appends through its own store handle while this
  // thread plans the next batch, at most two batches ahead.
  await (await openStore({ data: dir })).close();
  const writer = new Worker(
    // The worker loads the TypeScript sources through tsx's require hook, registered in its own thread.
    `const { createRequire } = require('node:module');
     const req = createRequire(${JSON.stringify(join(ROOT, 'package.json'))});
     req('tsx/cjs/api').register();
     req(${JSON.stringify(join(import.meta.dirname, 'journal-writer.ts'))});`,
    { eval: true, workerData: { journalWriter: dir } },
  );
  const waiting: { resolve: (r: WriterReply) => void; reject: (e: Error) => void }[] = [];
  let writerFailed: Error | null = null;
  writer.on('message', (reply: WriterReply) => waiting.shift()?.resolve(reply));
  const failAll = (error: Error) => {
    writerFailed = error;
    for (const w of waiting.splice(0)) w.reject(error);
  };
  writer.on('error', failAll);
  writer.on('exit', (code) => failAll(new Error(`the journal writer thread exited (${code})`)));
  const send = (message: WriterRequest | 'close') =>
    new Promise<WriterReply>((resolve, reject) => {
      if (writerFailed) return reject(writerFailed);
      waiting.push({ resolve, reject });
      writer.postMessage(message);
    });
  const settle = async (reply: Promise<WriterReply>) => {
    const r = await reply;
    if (!r.ok) throw new Error(`append failed while generating the journal: ${r.error}`);
  };

  const signer = loadOrCreateNodeKey(dir);
  const index = journalIndexProjection.init();
  const devices = Array.from({ length: 24 }, (_, i) => ({
    username: `monitor-${String(i + 1).padStart(2, '0')}`,
    party: i % 3 === 0 ? 'mechanism' : i % 3 === 1 ? 'ua' : 'ru',
  }));
  const narrative =
    'Monitors observed an impact north-east of the checkpoint; crater about two metres across, fragments collected, no casualties reported at the time of the visit. Residents heard the approach from the south shortly before.';
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  // The first TEMPLATES reports are exactly what fileReport decides; the rest are distinct reports of the
  // same shapes (new id, stream, time, place and text), because deciding each one costs far more than
  // the journal work measured here.
  const TEMPLATES = 512;
  const templates: { drafts: EventDraft[]; id: string | null; device: (typeof devices)[number] }[] = [];
  const hex = (n: number, width: number) => (n >>> 0).toString(16).padStart(width, '0').slice(-width);
  const place = (k: number) => ({ lon: 32 + ((k * 7919) % 70_000) / 10_000, lat: 46.5 + ((k * 104_729) % 25_000) / 10_000 });
  const reportDrafts = (k: number): { drafts: EventDraft[]; device: (typeof devices)[number] } => {
    const slot = k % TEMPLATES;
    if (!templates[slot]) {
      const device = devices[k % devices.length]!;
      const occurred = t0 + k * 7_000;
      const input: ReportInput = {
        occurredAt: new Date(occurred).toISOString(),
        location: place(k),
        domain: DOMAINS[k % DOMAINS.length]!,
        type: REPORT_TYPES[k % REPORT_TYPES.length]!,
        source: SOURCES[k % SOURCES.length]!,
        narrative: `${narrative} Ref ${k}.`,
      };
      const decided = fileReport(input, new Date(occurred + 60_000), device);
      if (!decided.ok) throw new Error(`fileReport refused a generated report: ${decided.message}`);
      const id = decided.value.map((d) => d.payload.id).find((v): v is string => typeof v === 'string') ?? null;
      templates[slot] = { drafts: decided.value, id, device };
      return { drafts: decided.value, device };
    }
    const t = templates[slot];
    const id = `${hex(Math.imul(k, 2_654_435_761), 8)}-${hex(k >>> 16, 4)}-5${hex(k, 3)}-8${hex(Math.imul(k, 40_503), 3)}-${hex(k, 12)}`;
    const at = place(k);
    const vary = (payload: Record<string, unknown>): Record<string, unknown> => {
      const p = { ...payload };
      const coarse = p.precision === 'public';
      const lon = coarse ? Math.round(at.lon * 20) / 20 : at.lon;
      const lat = coarse ? Math.round(at.lat * 20) / 20 : at.lat;
      if (typeof p.id === 'string') p.id = id;
      if (typeof p.occurredAt === 'string') p.occurredAt = new Date(t0 + k * 7_000).toISOString();
      if (typeof p.narrative === 'string') p.narrative = `${narrative} Ref ${k}.`;
      if (p.location && typeof p.location === 'object') p.location = { ...(p.location as object), lon, lat };
      if (p.point && typeof p.point === 'object') p.point = { lon, lat };
      return p;
    };
    const drafts = t.drafts.map((d) => ({ ...d, stream: t.id ? d.stream.split(t.id).join(id) : d.stream, payload: vary(d.payload) }));
    return { drafts, device: t.device };
  };
  const types = new Map<string, number>();
  let filed = 0;
  let batches = 0;
  const inFlight: Promise<WriterReply>[] = [];
  try {
    while (index.head < total) {
      // One transaction of up to 1,000 events: reports (each one request, one or more events) and a checkpoint.
      const room = total - index.head;
      const budget = room > 1 ? Math.min(999, room - 1) : room;
      const requests: AppendRequest[] = [];
      let planned = 0;
      while (planned < budget) {
        const k = filed++;
        const { drafts, device } = reportDrafts(k);
        if (planned + drafts.length > budget && planned > 0) {
          filed--;
          break;
        }
        planned += drafts.length;
        requests.push({
          drafts,
          actor: device.username,
          party: device.party,
          idempotencyKey: `dev-${k.toString(36)}-${(k * 2_654_435_761) % 4_294_967_296}`,
        });
      }
      const recordedAt = new Date(t0 + index.head * 7_000 + 90_000).toISOString();
      const wantCheckpoint = planned + 1 <= room;
      const plan = planBatch(
        index,
        requests,
        recordedAt,
        wantCheckpoint ? (upTo, headHash) => checkpointDraft(upTo, headHash, signer) : undefined,
      );
      for (const o of plan.outcomes) if ('ok' in o) throw new Error(`planBatch refused a generated report: ${o.message}`);
      inFlight.push(send({ knownHead: index.head, events: plan.events }));
      if (inFlight.length >= 2) await settle(inFlight.shift()!);
      // Advance the writer's index the cheap way (the rebuild recomputes all of it, idempotency map included).
      for (const e of plan.events) {
        index.streams.set(e.stream, e.streamVersion);
        if (e.type === 'journal.checkpoint') index.lastCheckpoint = e.position;
        types.set(e.type, (types.get(e.type) ?? 0) + 1);
      }
      const last = plan.events[plan.events.length - 1]!;
      index.head = last.position;
      index.headHash = last.hash;
      batches++;
    }
    for (const reply of inFlight.splice(0)) await settle(reply);
    await send('close');
  } finally {
    await writer.terminate();
  }
  return { events: index.head, types, batches, ms: performance.now() - t };
}

// ----------------------------------------------------------------------------------------------- memory

let gcFn: (() => void) | null = null;
function gc(): void {
  if (!gcFn) {
    // The runner is plain `node --import tsx`: expose the collector at run time instead of re-spawning.
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
  gcFn();
}

/** Heap in use plus ArrayBuffer backing stores (typed arrays live outside the JS heap). */
function usedMemory(collect: boolean): number {
  if (collect) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function memorySection(opts: Options): void {
  const n = opts.rows;
  // Events are made on the fly (garbage, collected before the measurement): only the rows are counted.
  const base = Date.parse('2026-01-01T00:00:00Z');
  const eventAt = (i: number): JournalEvent => ({
    position: i + 1,
    stream: 'report-intake/mechanism',
    streamVersion: i + 1,
    type: 'report.filed',
    payload: {
      occurredAt: new Date(base + i * 7_000).toISOString(),
      location: { lon: 35 + ((i * 7919) % 10_000) / 5_000, lat: 46.5 + ((i * 104_729) % 10_000) / 6_000 },
      domain: DOMAINS[i % DOMAINS.length]!,
      type: REPORT_TYPES[i % REPORT_TYPES.length]!,
    },
    actor: 'monitor',
    party: 'mechanism',
    visibility: ['process'],
    recordedAt: '',
    idempotencyKey: null,
    prevHash: '',
    hash: '',
  });

  const measure = <T>(build: () => T): { value: T; bytes: number; ms: number } => {
    const before = usedMemory(true);
    const t = performance.now();
    const value = build();
    const ms = performance.now() - t;
    const bytes = usedMemory(true) - before;
    return { value, bytes, ms };
  };

  const columns = measure(() => {
    const c = incidentProjection.init();
    for (let i = 0; i < n; i++) incidentProjection.apply(c, eventAt(i));
    c.trim();
    return c;
  });
  const cols: IncidentColumns = columns.value;

  interface IncidentRow {
    position: number;
    time: number;
    lon: number;
    lat: number;
    type: number;
    domain: number;
    status: number;
  }
  const objects = measure(() => {
    const rows: IncidentRow[] = [];
    for (let i = 0; i < n; i++) {
      const e = eventAt(i);
      const p = e.payload as { occurredAt: string; location: { lon: number; lat: number }; type: string; domain: string };
      rows.push({
        position: e.position,
        time: Date.parse(p.occurredAt),
        lon: p.location.lon,
        lat: p.location.lat,
        type: (REPORT_TYPES as readonly string[]).indexOf(p.type),
        domain: (DOMAINS as readonly string[]).indexOf(p.domain),
        status: 0,
      });
    }
    return rows.slice();
  });

  interface NaturalRow {
    id: string;
    time: number;
    lon: number;
    lat: number;
    type: string;
    domain: string;
    status: string;
  }
  const natural = measure(() => {
    const rows: NaturalRow[] = [];
    for (let i = 0; i < n; i++) {
      const e = eventAt(i);
      const p = e.payload as { occurredAt: string; location: { lon: number; lat: number }; type: string; domain: string };
      rows.push({
        id: `R-${e.position}`,
        time: Date.parse(p.occurredAt),
        lon: p.location.lon,
        lat: p.location.lat,
        type: p.type,
        domain: p.domain,
        status: 'reported',
      });
    }
    return rows.slice();
  });

  // Keep every structure alive until all are measured.
  const alive = cols.size + objects.value.length + natural.value.length;
  if (alive !== 3 * n) throw new Error('memory bench lost rows');
  table(
    `3. Memory per incident in the map projection after ${fmt(n)} reports (heap + ArrayBuffers, after full GC)`,
    ['layout', 'bytesPerRow()', 'measured B/row', 'build ms', 'target', ''],
    [
      [
        'IncidentColumns (typed arrays, after trim())',
        cols.bytesPerRow(),
        columns.bytes / n,
        columns.ms,
        `≤ ${TARGET.bytesPerIncident}`,
        met(columns.bytes / n <= TARGET.bytesPerIncident),
      ],
      ['plain object per record, same 7 numeric fields', '–', objects.bytes / n, objects.ms, '–', ''],
      ['plain object per record, id "R-n" + string enums', '–', natural.bytes / n, natural.ms, '–', ''],
    ],
  );
}

// -------------------------------------------------------------------------------------------- processes

function spawnTracked(cleanup: Cleanup, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null && signal === null)
      console.error(`${command} ${args[0]} exited with ${code}: ${stderr.trim().slice(-1500)}`);
  });
  (child as ChildProcess & { stderrTail: () => string }).stderrTail = () => stderr;
  return child;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((done, failed) => {
    let out = '';
    const timer = setTimeout(
      () => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output: ${out.slice(-1000)}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) finish(null, m);
    };
    const onExit = (code: number | null) => {
      const tail = (child as ChildProcess & { stderrTail?: () => string }).stderrTail?.() ?? '';
      finish(new Error(`the process exited (${code}) before printing ${pattern}: ${(out + tail).slice(-1500)}`));
    };
    const finish = (error: Error | null, m?: RegExpExecArray) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (error) failed(error);
      else done(m!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

function capture(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, failed) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    CHILDREN.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', failed);
    child.on('close', (code) => {
      CHILDREN.delete(child);
      done({ code, stdout, stderr });
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
