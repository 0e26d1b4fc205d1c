import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNode, type TestNode } from '../../../test/factories';

const UCDP = join(import.meta.dirname, '../../../../shared/data/ucdp-ukraine');
const clean = readFileSync(join(UCDP, 'ucdp-ged-ukraine-2014-2022.csv'));
const raw = readFileSync(join(UCDP, 'ucdp-ged-ukraine-2014-2022-raw-export.csv'));

let node: TestNode;
let monitor: Record<string, string>;
beforeAll(async () => {
  node = await testNode();
  monitor = (await node.signIn('monitor-user')).headers;
});
afterAll(async () => {
  await node.close();
});

interface ImportView {
  id: string;
  state: string;
  total: number;
  done: number;
  imported: number;
  duplicates: number;
  skipped: { line: number; reason: string }[];
  errors: { line: number; reason: string }[];
  message: string;
  attribution: string | null;
  encoding: string | null;
}

async function start(body: Record<string, unknown>, headers = monitor): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await node.app.inject({ method: 'POST', url: '/api/v1/imports', headers, payload: body });
  return { status: res.statusCode, json: res.json() };
}

/** Follows an import as a client would, until it has finished; `seen` collects every answer. */
async function follow(id: string, headers = monitor, seen: ImportView[] = []): Promise<ImportView> {
  const until = Date.now() + 60_000;
  for (;;) {
    const res = await node.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers });
    expect(res.statusCode).toBe(200);
    const view = res.json() as ImportView;
    seen.push(view);
    if (['done', 'stopped', 'failed'].includes(view.state)) return view;
    if (Date.now() > until) throw new Error(`import ${id} did not finish: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function reportsFiled(): Promise<number> {
  return (await node.store.read(0, 1_000_000)).filter((e) => e.type === 'report.filed').length;
}

describe('POST /api/v1/imports and GET /api/v1/imports/:id', () => {
  it('imports the whole UCDP GED file (3,077 events) with progress, and importing it again adds nothing', async () => {
    const started = await start({ format: 'ucdp', content: clean.toString('utf8'), name: 'ucdp-ged-ukraine-2014-2022.csv' });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ id: expect.any(String), total: 3077 });
    const seen: ImportView[] = [];
    const done = await follow(started.json.id as string, monitor, seen);
    expect(done).toMatchObject({ state: 'done', total: 3077, done: 3077, imported: 3077, duplicates: 0, skipped: [], encoding: 'UTF-8' });
    // The node answered while it imported, and the answers showed the import moving.
    expect(seen.some((v) => v.state === 'importing' && v.done > 0 && v.done < v.total)).toBe(true);
    expect(done.attribution).toMatch(/UCDP.*CC BY 4\.0/);
    expect(await reportsFiled()).toBe(3077);

    const head = node.journal.head;
    const again = await follow((await start({ format: 'ucdp', content: clean.toString('utf8') })).json.id as string);
    expect(again).toMatchObject({ state: 'done', imported: 0, duplicates: 3077, message: '0 reports imported, 3077 already there' });
    // Nothing but a periodic checkpoint signature may have been written meanwhile.
    const since = await node.store.read(head, 1000);
    expect(since.filter((e) => e.type !== 'journal.checkpoint')).toEqual([]);
    expect(await reportsFiled()).toBe(3077);
  }, 120_000);

  it('the raw Windows-1252 export, sent as base64: stop refuses it whole, naming the lines whose text was lost; skip imports the rest', async () => {
    const before = await reportsFiled();
    const stopped = await follow(
      (await start({ format: 'ucdp', content: raw.toString('base64'), contentEncoding: 'base64', onError: 'stop' })).json.id as string,
    );
    expect(stopped.encoding).toMatch(/^Windows-1252/);
    expect(stopped).toMatchObject({
      state: 'stopped',
      imported: 0,
      message: '176 rows cannot be imported (first: line 73); nothing was stored',
    });
    expect(stopped.errors).toHaveLength(176);
    expect(stopped.errors[0]).toEqual({
      line: 73,
      reason: expect.stringMatching(/^source_headline has ".*\?\?\?.*": question marks stand where characters were/),
    });
    expect(await reportsFiled()).toBe(before);

    const skipped = await follow(
      (await start({ format: 'ucdp', content: raw.toString('base64'), contentEncoding: 'base64', onError: 'skip' })).json.id as string,
    );
    // 3,883 events: 2,880 are already there from the UTF-8 file, 176 have lost text, 827 are new.
    expect(skipped).toMatchObject({ state: 'done', total: 3883, done: 3883, imported: 827, duplicates: 2880 });
    expect(skipped.skipped.map((s) => s.line)).toEqual(stopped.errors.map((e) => e.line));
    expect(await reportsFiled()).toBe(before + 827);
  }, 120_000);

  it('a CSV with a column mapping; a bad row is skipped by its line', async () => {
    const csv =
      'ref,when,lat,lon,what\nA1,07/01/2026 05:40,47.47,35.93,Shelling\nA2,07/01/2026 06:10,47.48,35.95,Shooting\nA3,07/01/2026 06:30,47.49,35.96,Shelling\n';
    const mapping = {
      columns: {
        ref: 'externalRef',
        when: { field: 'occurredAt', format: 'DD/MM/YYYY HH:mm' },
        lat: 'lat',
        lon: 'lon',
        what: { field: 'type', values: { Shelling: 'shelling-impact' } },
      },
      defaults: { domain: 'land', source: 'patrol-heard' },
      externalRefPrefix: 'api-test:',
    };
    const view = await follow((await start({ format: 'csv', content: csv, mapping, onError: 'skip' })).json.id as string);
    expect(view).toMatchObject({
      state: 'done',
      imported: 2,
      skipped: [{ line: 3, reason: expect.stringMatching(/^what "Shooting" is not a type of ours/) }],
    });
  });

  it('a GeoJSON FeatureCollection', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [1, 2].map((n) => ({
        type: 'Feature',
        id: `G${n}`,
        geometry: { type: 'Point', coordinates: [35.9 + n / 100, 47.4] },
        properties: { occurredAt: `2026-01-0${n}T10:00:00+02:00`, domain: 'air', type: 'drone', source: 'sensor' },
      })),
    };
    const view = await follow(
      (
        await start({
          format: 'geojson',
          content: JSON.stringify(fc),
          mapping: {
            columns: { occurredAt: 'occurredAt', domain: 'domain', type: 'type', source: 'source', id: 'externalRef' },
            externalRefPrefix: 'api-geo:',
          },
        })
      ).json.id as string,
    );
    expect(view).toMatchObject({ state: 'done', imported: 2 });
  });

  it('a file that cannot be read at all is refused at once with a pointer, and nothing is stored', async () => {
    const head = node.journal.head;
    const notGed = await start({ format: 'ucdp', content: 'date,place\n2026-01-07,Orikhiv\n' });
    expect(notGed.status).toBe(400);
    expect(notGed.json).toMatchObject({
      code: 'validation_failed',
      pointer: '/content',
      detail: expect.stringMatching(/not a UCDP GED file/),
    });
    const badBase64 = await start({ format: 'ucdp', content: 'not base64!', contentEncoding: 'base64' });
    expect(badBase64.json).toMatchObject({ code: 'validation_failed', pointer: '/content' });
    const badMapping = await start({ format: 'csv', content: 'a,b\n1,2\n', mapping: { columns: { c: 'lat' } } });
    expect(badMapping.status).toBe(400);
    expect(badMapping.json).toMatchObject({ pointer: '/mapping/columns/c' });
    const badFormat = await start({ format: 'xlsx', content: 'x' });
    expect(badFormat.json).toMatchObject({ code: 'validation_failed', pointer: '/format' });
    expect(node.journal.head).toBe(head);
  });

  it('only monitors and mediators import; an import is followed by who started it and by mediators', async () => {
    const delegate = (await node.signIn('delegate-user')).headers;
    const refused = await start({ format: 'ucdp', content: clean.subarray(0, 2000).toString('utf8') }, delegate);
    expect(refused.status).toBe(403);

    const small = clean.toString('utf8').split('\n').slice(0, 3).join('\n') + '\n';
    const started = await start({ format: 'ucdp', content: small });
    const id = started.json.id as string;
    await follow(id);
    const mediator = (await node.signIn('mediator-user')).headers;
    expect((await node.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: mediator })).statusCode).toBe(200);
    expect((await node.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: delegate })).statusCode).toBe(403);
    const list = await node.app.inject({ method: 'GET', url: '/api/v1/imports', headers: monitor });
    expect((list.json() as { imports: { id: string }[] }).imports[0]!.id).toBe(id);
  });

  it('a retried POST with the same Idempotency-Key answers the first import', async () => {
    const small = clean.toString('utf8').split('\n').slice(0, 5).join('\n') + '\n';
    const headers = { ...monitor, 'idempotency-key': 'import-retry-0001' };
    const first = await start({ format: 'ucdp', content: small }, headers);
    const second = await start({ format: 'ucdp', content: small }, headers);
    expect(second.json.id).toBe(first.json.id);
  });
});
