import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../model';
import { parseMapping, type ColumnMapping } from './mapping';
import { readCsv } from './read-csv';
import type { ImportRow } from './rows';

const mapping = (m: unknown): ColumnMapping => {
  const r = parseMapping(m);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

const inputs = (rows: readonly ImportRow[]): ReportInput[] => rows.flatMap((r) => ('input' in r ? [r.input] : []));
const problems = (rows: readonly ImportRow[]) => rows.filter((r) => 'problem' in r);

/** A patrol log as a field office keeps it: day-first dates, local time, its own words for types. */
const PATROL_LOG = [
  'Ref,Date,Time,Latitude,Longitude,Kind,Weapon,Killed (civ),Injured (civ),Where,Notes',
  'P-101,07/01/2026,05:40,47.47,35.93,Shelling,artillery-100mm-plus,0,2,Orikhiv,"Four impacts, heard from the ""north"" checkpoint"',
  'P-102,14/01/2026,23:10,47.61,35.21,Drone strike,drone,1,0,Stepnohirsk,',
  '',
].join('\n');

const PATROL_MAPPING = {
  columns: {
    Ref: 'externalRef',
    Date: { field: 'occurredAt', format: 'DD/MM/YYYY' },
    Time: 'occurredTime',
    Latitude: 'lat',
    Longitude: 'lon',
    Kind: { field: 'type', values: { Shelling: 'shelling-impact', 'Drone strike': 'drone' } },
    Weapon: 'weaponClass',
    'Killed (civ)': 'casualties.civilian.killed',
    'Injured (civ)': 'casualties.civilian.injured',
    Where: { field: 'narrative', label: 'Place' },
    Notes: 'narrative',
  },
  defaults: { domain: 'land', source: 'patrol-heard', precision_m: 500 },
  timeZone: 'Europe/Kyiv',
  externalRefPrefix: 'smm-log:',
  attribution: 'Patrol log of the monitoring mechanism',
};

describe('CSV through a column mapping', () => {
  it('maps columns to report fields: a day-first date and a local time, translated words, casualty counts, labelled narrative', () => {
    const r = readCsv(Buffer.from(PATROL_LOG), mapping(PATROL_MAPPING));
    expect(r.ok).toBe(true);
    const rows = r.ok ? r.value.rows : [];
    expect(problems(rows)).toEqual([]);
    const [a, b] = inputs(rows);
    expect(a).toMatchObject({
      occurredAt: '2026-01-07T05:40:00+02:00',
      occurredPrecision: 'minute',
      location: { type: 'point', lon: 35.93, lat: 47.47, precision_m: 500 },
      domain: 'land',
      type: 'shelling-impact',
      weaponClass: 'artillery-100mm-plus',
      source: 'patrol-heard',
      casualties: [{ category: 'civilian', outcome: 'injured', count: 2 }],
      externalRef: 'smm-log:P-101',
      narrative: 'Place: Orikhiv\nNotes: Four impacts, heard from the "north" checkpoint\nPatrol log of the monitoring mechanism',
    });
    expect(b).toMatchObject({
      occurredAt: '2026-01-14T23:10:00+02:00',
      type: 'drone',
      casualties: [{ category: 'civilian', outcome: 'killed', count: 1 }],
    });
    expect(r.ok && r.value.notes).toContain('read as UTF-8 (plain ASCII)');
  });

  it('reports a bad row by its line with a reason a person can act on, and maps the others', () => {
    const log = [
      PATROL_LOG.trimEnd(),
      'P-103,31/02/2026,10:00,47.5,35.9,Shelling,,0,0,Orikhiv,',
      'P-104,15/01/2026,10:00,47.5,east,Shelling,,0,0,Orikhiv,',
      'P-105,15/01/2026,10:00,47.5,35.9,Rumour,,0,0,Orikhiv,',
      'P-106,15/01/2026,10:00,147.5,35.9,Shelling,,0,0,Orikhiv,',
      'P-107,15/01/2026,10:00,47.5,35.9,Shelling,,0,0,Orikhiv',
      'P-108,16/01/2026,10:00,47.5,35.9,Shelling,,0,0,Orikhiv,ok',
      '',
    ].join('\n');
    const r = readCsv(Buffer.from(log), mapping(PATROL_MAPPING));
    const rows = r.ok ? r.value.rows : [];
    expect(inputs(rows).map((i) => i.externalRef)).toEqual(['smm-log:P-101', 'smm-log:P-102', 'smm-log:P-108']);
    expect(problems(rows)).toEqual([
      { line: 4, problem: 'Date "31/02/2026": 2026-02 has no day 31' },
      { line: 5, problem: 'Longitude "east" is not a number' },
      {
        line: 6,
        problem: expect.stringMatching(
          /^Kind "Rumour" is not a type of ours \(shelling-impact, airburst, .*\); translate the file's words with "values" in the mapping$/,
        ),
      },
      { line: 7, problem: 'Latitude → location.lat: latitude must be between -90 and 90' },
      { line: 8, problem: '10 fields where the header has 11' },
    ]);
  });

  it('refuses a mapping that names a column the file does not have, or leaves a field without a source', () => {
    const unknown = readCsv(
      Buffer.from(PATROL_LOG),
      mapping({ ...PATROL_MAPPING, columns: { ...PATROL_MAPPING.columns, Timestamp: 'occurredTime', Time: 'narrative' } }),
    );
    expect(unknown).toMatchObject({ ok: false, code: 'validation_failed', pointer: '/mapping/columns/Timestamp' });
    expect(!unknown.ok && unknown.message).toMatch(/names column "Timestamp" that the file does not have \(its columns: Ref, Date, Time/);
    const lacking = readCsv(Buffer.from(PATROL_LOG), mapping({ columns: { Date: 'occurredAt', Latitude: 'lat', Longitude: 'lon' } }));
    expect(!lacking.ok && lacking.message).toMatch(
      /nothing in the mapping gives domain, type, source: map a column to them or set a default/,
    );
    expect(parseMapping({ columns: { Date: 'when' } })).toMatchObject({ ok: false, pointer: '/mapping/columns/Date' });
    expect(parseMapping({ columns: { Date: { field: 'occurredAt', format: 'DD/MM' } } })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/has no year/),
    });
    expect(parseMapping({ columns: {}, timeZone: 'Europe/Atlantis' })).toMatchObject({ ok: false, pointer: '/mapping/timeZone' });
  });

  it('without an id column, the same rows get the same externalRef, so importing the file twice adds nothing', () => {
    const noRef = { ...PATROL_MAPPING, columns: { ...PATROL_MAPPING.columns, Ref: { field: 'narrative', label: 'Log' } } };
    const once = readCsv(Buffer.from(PATROL_LOG), mapping(noRef));
    const twice = readCsv(Buffer.from(PATROL_LOG), mapping(noRef));
    const refs = inputs(once.ok ? once.value.rows : []).map((i) => i.externalRef);
    expect(refs[0]).toMatch(/^smm-log:sha256:[0-9a-f]{32}$/);
    expect(new Set(refs).size).toBe(2);
    expect(inputs(twice.ok ? twice.value.rows : []).map((i) => i.externalRef)).toEqual(refs);
  });

  it('reads a semicolon file with decimal commas in Windows-1252, and settles day-first dates from the file itself', () => {
    const text =
      'Datum;Breite;Länge;Art;Ort\r\n07.01.2026 05:40;47,47;35,93;shelling-impact;Orikhiv\r\n13/01/2026 08:00;47,1;35,2;airburst;Mala Tokmachka\r\n05/01/2026 08:00;47,1;35,2;airburst;Polohy\r\n';
    const bytes = Buffer.from([...text].map((c) => c.charCodeAt(0)));
    const r = readCsv(
      bytes,
      mapping({
        columns: { Datum: 'occurredAt', Breite: 'lat', Länge: 'lon', Art: 'type', Ort: 'narrative' },
        defaults: { domain: 'land', source: 'patrol-saw' },
        delimiter: ';',
      }),
    );
    expect(r.ok && r.value.encoding).toMatch(/^Windows-1252/);
    expect(inputs(r.ok ? r.value.rows : []).map((i) => [i.occurredAt, i.location.type === 'point' && i.location.lat])).toEqual([
      ['2026-01-07T05:40:00+02:00', 47.47],
      ['2026-01-13T08:00:00+02:00', 47.1],
      ['2026-01-05T08:00:00+02:00', 47.1],
    ]);
  });

  it('without a mapping, reads columns named like report fields (our own exports read back)', () => {
    const csv =
      'occurredAt,lat,lon,domain,type,source,narrative,externalRef\n2026-01-07T05:40:00+02:00,47.47,35.93,land,shelling-impact,patrol-heard,Four impacts,smm:1\n';
    const r = readCsv(Buffer.from(csv), null);
    expect(inputs(r.ok ? r.value.rows : [])).toEqual([
      expect.objectContaining({ occurredAt: '2026-01-07T05:40:00+02:00', externalRef: 'smm:1', narrative: 'Four impacts' }),
    ]);
    const foreign = readCsv(Buffer.from('Datum,Ort\n2026-01-07,Orikhiv\n'), null);
    expect(!foreign.ok && foreign.message).toMatch(
      /nothing in the mapping gives occurredAt, lon and lat, domain, type, source.*give a mapping \(--mapping FILE\)/,
    );
  });
});
