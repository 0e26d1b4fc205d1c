import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../src/core/journal/envelope';
import { openStore } from '../src/store/open';
import { tempDir } from './factories';
import { ROOT, runCli } from './process';

const UCDP = join(ROOT, '../shared/data/ucdp-ukraine');
const CLEAN = join(UCDP, 'ucdp-ged-ukraine-2014-2022.csv');
const RAW = join(UCDP, 'ucdp-ged-ukraine-2014-2022-raw-export.csv');

/** What the store holds after the CLI has exited: its head and the reports filed, by externalRef. */
async function stored(dir: string): Promise<{ head: number; reports: Map<string, Record<string, unknown>>; events: JournalEvent[] }> {
  const store = await openStore({ data: dir });
  try {
    const events: JournalEvent[] = [];
    for await (const e of store.iterate(0, 5000)) events.push(e);
    const reports = new Map(events.filter((e) => e.type === 'report.filed').map((e) => [String(e.payload.externalRef), e.payload]));
    return { head: (await store.head()).position, reports, events };
  } finally {
    await store.close();
  }
}

describe('entente import (the real CLI in a child process)', () => {
  it('imports the whole UCDP GED file — 3,077 events, Cyrillic intact, attribution printed — and a second run adds nothing', async () => {
    const dir = tempDir();
    try {
      const first = await runCli(['import', 'ucdp', CLEAN, '--data', dir.path]);
      expect(first.stderr).toMatch(/^ucdp-ged-ukraine-2014-2022\.csv: 3077 rows, UTF-8$/m);
      expect(first.stderr).toMatch(/^progress: 100% 3077\/3077 rows, 3077 imported, 0 already there$/m);
      expect(first.stdout).toMatch(/^3077 reports imported, 0 already there in [\d.]+ s, \d+ rows\/s; journal head \d+$/m);
      expect(first.stdout).toMatch(/^Source: UCDP Georeferenced Event Dataset \(GED\).*CC BY 4\.0/m);
      expect(first.code).toBe(0);

      const after = await stored(dir.path);
      expect(after.reports.size).toBe(3077);
      const stanytsia = after.reports.get('ucdp-ged:264620')!;
      expect(stanytsia.narrative).toContain('Stanytsia Luhanska (смт Станиця)');
      expect(stanytsia.narrative).toContain('CC BY 4.0');
      const maidan = after.reports.get('ucdp-ged:147997')!;
      expect(maidan).toMatchObject({
        occurredAt: '2014-01-22T10:00:00.000Z',
        enteredOffset: '+02:00',
        occurredPrecision: 'day',
        source: 'open-source',
      });
      expect(maidan.location).toEqual({ type: 'point', lon: 30.52333, lat: 50.45, precision_m: 1000 });
      expect(maidan.casualties).toEqual([{ category: 'military', outcome: 'killed', count: 5 }]);

      const second = await runCli(['import', 'ucdp', CLEAN, '--data', dir.path]);
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/^0 reports imported, 3077 already there/m);
      expect((await stored(dir.path)).head).toBe(after.head);
    } finally {
      dir.remove();
    }
  }, 120_000);

  it('the raw Windows-1252 export: refused whole by default, naming the rows whose text was lost; with --on-error skip, imported with the right text and days', async () => {
    const dir = tempDir();
    try {
      const refused = await runCli(['import', 'ucdp', RAW, '--data', dir.path]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/3883 rows, Windows-1252/);
      expect(refused.stdout).toMatch(/^import stopped: 176 rows cannot be imported \(first: line 73\); nothing was stored$/m);
      expect(refused.stdout).toMatch(
        /^ {2}line 152: where_description has "…of the mine \?29": question marks stand where characters were/m,
      );
      expect(refused.stdout).toMatch(/run again with --on-error skip/);
      expect((await stored(dir.path)).reports.size).toBe(0);

      const skipped = await runCli(['import', 'ucdp', RAW, '--data', dir.path, '--on-error', 'skip']);
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toMatch(/^3707 reports imported, 0 already there, 176 rows skipped/m);
      expect(skipped.stdout).toMatch(/^skipped lines \(176\):\n {2}line 73: /m);
      const { reports } = await stored(dir.path);
      expect(reports.size).toBe(3707);
      // Rows checked by hand against the file's bytes (line: id, date as written, text bytes).
      const day = (id: string) => String(reports.get(`ucdp-ged:${id}`)!.occurredAt).slice(0, 10);
      const narrative = (id: string) => String(reports.get(`ucdp-ged:${id}`)!.narrative);
      expect(day('153027')).toBe('2014-05-02'); // line 14: "05/02/2014 00:00" is 2 May (the column proves month-first)
      expect(day('396640')).toBe('2021-04-01'); // line 1390: "04/01/2021 00:00"
      expect(day('448959')).toBe('2022-09-30'); // line 3609: "9/30/2022 12:00:00 AM"
      expect(day('233458')).toBe('2016-08-21'); // line 607: "8/21/2016 12:00:00 AM"
      expect(narrative('396640')).toContain('‘Donetsk people’s republic’'); // 0x91 … 0x92 … 0x92
      expect(narrative('417538')).toContain('checkpoint on the Gorlovka — Artemovsk highway'); // 0x97
      expect(narrative('233458')).toContain('Donetsk’s Kirov district'); // 0x92
      expect(narrative('448959')).toContain('Avtorynok car scrapyard market, Zaporizhzhia');
      // line 3609: deaths_a 0, deaths_b 1, deaths_civilians 31, deaths_unknown 0; latitude 47.787938, longitude 35.272466
      expect(reports.get('ucdp-ged:448959')).toMatchObject({
        casualties: [
          { category: 'military', outcome: 'killed', count: 1 },
          { category: 'civilian', outcome: 'killed', count: 31 },
        ],
        location: { type: 'point', lon: 35.272466, lat: 47.787938, precision_m: 1000 },
      });
      for (const r of reports.values()) expect(String(r.narrative)).not.toMatch(/[\u0080-\u009f\uFFFD]|\?\?/);
    } finally {
      dir.remove();
    }
  }, 120_000);

  it('a CSV with a mapping file: a planted bad row is named by its line; --on-error stop stores nothing, skip stores the rest; GeoJSON too', async () => {
    const dir = tempDir();
    try {
      const csv = join(dir.path, 'patrol-log.csv');
      writeFileSync(
        csv,
        [
          'Ref,Date,Lat,Lon,Kind,Notes',
          'P-1,07/01/2026 05:40,47.47,35.93,Shelling,"Four impacts, heard from the north"',
          'P-2,07/01/2026 06:15,47.48,35.95,Shelling,"two',
          'lines of notes"',
          'P-3,07/01/2026 07:00,47.49,north,Shelling,planted bad row',
          'P-4,08/01/2026 09:30,47.50,35.97,Drone strike,',
          '',
        ].join('\n'),
      );
      const mappingFile = join(dir.path, 'mapping.json');
      writeFileSync(
        mappingFile,
        JSON.stringify({
          columns: {
            Ref: 'externalRef',
            Date: { field: 'occurredAt', format: 'DD/MM/YYYY HH:mm' },
            Lat: 'lat',
            Lon: 'lon',
            Kind: { field: 'type', values: { Shelling: 'shelling-impact', 'Drone strike': 'drone' } },
            Notes: 'narrative',
          },
          defaults: { domain: 'land', source: 'patrol-heard' },
          externalRefPrefix: 'patrol:',
        }),
      );
      const data = join(dir.path, 'data');
      const stop = await runCli(['import', 'csv', csv, '--mapping', mappingFile, '--data', data]);
      expect(stop.code).toBe(1);
      expect(stop.stdout).toMatch(
        /^import stopped: 1 row cannot be imported \(first: line 5\); nothing was stored\nbad lines \(1\):\n {2}line 5: Lon "north" is not a number$/m,
      );
      expect((await stored(data)).reports.size).toBe(0);

      const skip = await runCli(['import', 'csv', csv, '--mapping', mappingFile, '--data', data, '--on-error', 'skip']);
      expect(skip.code).toBe(0);
      expect(skip.stdout).toMatch(
        /^3 reports imported, 0 already there, 1 row skipped.*\nskipped lines \(1\):\n {2}line 5: Lon "north" is not a number$/m,
      );
      const { reports } = await stored(data);
      expect([...reports.keys()].sort()).toEqual(['patrol:P-1', 'patrol:P-2', 'patrol:P-4']);
      expect(reports.get('patrol:P-2')).toMatchObject({
        occurredAt: '2026-01-07T04:15:00.000Z',
        narrative: 'two\nlines of notes',
        type: 'shelling-impact',
      });
      expect(reports.get('patrol:P-4')).toMatchObject({ type: 'drone', occurredAt: '2026-01-08T07:30:00.000Z' });

      const geojson = join(dir.path, 'sightings.geojson');
      writeFileSync(
        geojson,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              geometry: { type: 'Point', coordinates: [35.21, 47.61] },
              properties: {
                occurredAt: '2026-01-09T21:15:00+02:00',
                domain: 'air',
                type: 'drone',
                source: 'sensor',
                externalRef: 'radar:77',
              },
            },
          ],
        }),
      );
      const geo = await runCli(['import', 'geojson', geojson, '--data', data]);
      expect(geo.code).toBe(0);
      expect(geo.stdout).toMatch(/^1 report imported, 0 already there/m);
      expect((await stored(data)).reports.get('radar:77')).toMatchObject({
        domain: 'air',
        location: { type: 'point', lon: 35.21, lat: 47.61 },
      });

      const usage = await runCli(['import', 'xlsx', csv]);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toMatch(/import ucdp\|csv\|geojson FILE/);
    } finally {
      dir.remove();
    }
  }, 120_000);
});
