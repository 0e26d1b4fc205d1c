import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testNode, type TestNode } from '../../../../test/factories';
import { intakeAccess } from '../../../server/routes/imports';
import { importSink } from './journal-sink';
import { parseMapping } from './mapping';
import { readCsv } from './read-csv';
import type { ParsedImport } from './rows';
import { runImport, type ImportProgress } from './run-import';

let node: TestNode;
beforeEach(async () => {
  node = await testNode();
});
afterEach(async () => {
  await node.close();
});

const mapping = parseMapping({
  columns: { ref: 'externalRef', at: 'occurredAt', lat: 'lat', lon: 'lon', note: 'narrative' },
  defaults: { domain: 'land', type: 'shelling-impact', source: 'patrol-heard' },
  externalRefPrefix: 'log:',
});

function log(lines: string[]): ParsedImport {
  if (!mapping.ok) throw new Error(mapping.message);
  const r = readCsv(Buffer.from(['ref,at,lat,lon,note', ...lines, ''].join('\n')), mapping.value);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

const good = (n: number) => `${n},2026-01-07T05:${String(n % 60).padStart(2, '0')}:00+02:00,47.${n},35.9,impact ${n}`;
const reporter = { username: 'monitor-user', party: 'mechanism', roles: ['monitor'] };

async function filedRefs(): Promise<string[]> {
  const events = await node.store.read(0, 100_000);
  return events.filter((e) => e.type === 'report.filed').map((e) => String(e.payload.externalRef));
}

describe('running an import into the journal', () => {
  it('stores every row as its own report (exact and public twins), and a second run adds nothing: the head stays', async () => {
    const file = log([1, 2, 3, 4, 5].map(good));
    const seen: ImportProgress[] = [];
    const first = await runImport(file, importSink(intakeAccess(node.services), reporter), {
      onError: 'stop',
      batchSize: 2,
      onProgress: (p) => seen.push({ ...p }),
    });
    expect(first).toMatchObject({
      state: 'done',
      total: 5,
      done: 5,
      imported: 5,
      duplicates: 0,
      skipped: [],
      message: '5 reports imported, 0 already there',
    });
    expect(seen.filter((p) => p.state === 'importing').map((p) => p.done)).toEqual([0, 2, 4, 5]);
    expect((await filedRefs()).sort()).toEqual(['log:1', 'log:2', 'log:3', 'log:4', 'log:5']);
    const events = await node.store.read(0, 100_000);
    const recorded = events.filter((e) => e.type === 'report.recorded');
    expect(recorded).toHaveLength(5);
    expect(recorded[0]!.visibility).toEqual(['process']);
    expect(events.find((e) => e.type === 'report.filed')!.visibility).toEqual(['grant:exact-location', 'party:mechanism']);
    expect(recorded[0]!.payload).toMatchObject({ precision: 'public', publicPrecision_m: 5000 });

    const head = node.journal.head;
    const second = await runImport(file, importSink(intakeAccess(node.services), reporter), { onError: 'stop' });
    expect(second).toMatchObject({ state: 'done', imported: 0, duplicates: 5, message: '0 reports imported, 5 already there' });
    expect(node.journal.head).toBe(head);
  });

  it('--on-error stop: one bad row and nothing of the file is stored; the bad row is named by its line', async () => {
    const head = node.journal.head;
    const result = await runImport(
      log([good(1), good(2), '3,2026-01-07T05:00:00+02:00,north,35.9,bad', good(4)]),
      importSink(intakeAccess(node.services), reporter),
      { onError: 'stop' },
    );
    expect(result).toMatchObject({
      state: 'stopped',
      imported: 0,
      errors: [{ line: 4, reason: 'lat "north" is not a number' }],
      message: '1 row cannot be imported (first: line 4); nothing was stored',
    });
    expect(node.journal.head).toBe(head);
  });

  it('--on-error skip: the rest is stored and the skipped lines are listed', async () => {
    const result = await runImport(
      log([good(1), '2,not a date,47.2,35.9,bad', good(3), good(3)]),
      importSink(intakeAccess(node.services), reporter),
      { onError: 'skip' },
    );
    expect(result).toMatchObject({
      state: 'done',
      total: 4,
      done: 4,
      imported: 2,
      duplicates: 1,
      skipped: [{ line: 3, reason: expect.stringMatching(/^at "not a date" is not a date/) }],
      message: '2 reports imported, 1 already there, 1 row skipped',
    });
    expect((await filedRefs()).sort()).toEqual(['log:1', 'log:3']);
  });

  it('what intake refuses (a time in the future) is found before anything is stored under stop, and skipped with its line under skip', async () => {
    const file = log([good(1), '2,2099-01-01T00:00:00+02:00,47.2,35.9,from the future', good(3)]);
    const head = node.journal.head;
    const stopped = await runImport(file, importSink(intakeAccess(node.services), reporter), { onError: 'stop' });
    expect(stopped).toMatchObject({
      state: 'stopped',
      imported: 0,
      errors: [{ line: 3, reason: expect.stringMatching(/occurredAt 2099-01-01T00:00:00\+02:00 is in the future/) }],
    });
    expect(node.journal.head).toBe(head);
    const skipped = await runImport(file, importSink(intakeAccess(node.services), reporter), { onError: 'skip' });
    expect(skipped).toMatchObject({
      state: 'done',
      imported: 2,
      skipped: [{ line: 3, reason: expect.stringMatching(/is in the future/) }],
    });
  });

  it('two imports of the same file at once store each record once', async () => {
    const file = log(Array.from({ length: 40 }, (_, i) => good(i + 1)));
    const [a, b] = await Promise.all([
      runImport(file, importSink(intakeAccess(node.services), reporter), { onError: 'skip', batchSize: 7 }),
      runImport(file, importSink(intakeAccess(node.services), { username: 'mediator-user', party: 'ua', roles: ['mediator'] }), {
        onError: 'skip',
        batchSize: 5,
      }),
    ]);
    expect(a.imported + b.imported).toBe(40);
    expect(a.duplicates + b.duplicates).toBe(40);
    expect(await filedRefs()).toHaveLength(40);
  });
});
