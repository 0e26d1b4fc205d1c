import { describe, expect, it } from 'vitest';
import type { ReportInput } from '../model';
import type { ImportRow } from './rows';
import { readUcdp, UCDP_ATTRIBUTION } from './ucdp';

const HEADER =
  'id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob';

/** A GED row: the values of a real event (UCDP 264620, Stanytsia Luhanska, 2018), changed where a test says. */
function row(over: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    id: '264620',
    relid: 'UKR-2018-1-14093-141',
    year: '2018',
    active_year: 'True',
    code_status: 'Clear',
    type_of_violence: '1',
    conflict_name: 'Ukraine: Donetsk',
    dyad_name: 'Government of Ukraine - LPR',
    side_a: 'Government of Ukraine',
    side_b: 'LPR',
    number_of_sources: '2',
    source_office: 'Ukrinform;Interfax',
    source_headline: 'Two soldiers wounded, one killed near Stanytsia; "Ceasefire violated", says JFO',
    where_prec: '1',
    where_coordinates: 'Stanytsia Luhanska town',
    where_description: 'Stanytsia Luhanska (смт Станиця)',
    adm_1: 'Luhansk oblast',
    adm_2: 'Stanychno-Luhanskyi raion',
    latitude: '48.65',
    longitude: '39.48',
    country: 'Ukraine',
    date_prec: '1',
    date_start: '2018-07-14',
    date_end: '2018-07-14',
    deaths_a: '1',
    deaths_b: '0',
    deaths_civilians: '0',
    deaths_unknown: '0',
    best: '1',
    high: '1',
    low: '1',
    ...over,
  };
  return HEADER.split(',')
    .map((c) => base[c] ?? '')
    .map((v) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
    .join(',');
}

const file = (...rows: string[]) => Buffer.from([HEADER, ...rows, ''].join('\n'), 'utf8');

function inputs(rows: readonly ImportRow[]): ReportInput[] {
  return rows.flatMap((r) => ('input' in r ? [r.input] : []));
}

describe('UCDP GED rows as reports', () => {
  it('maps a GED event: noon on its day in Kyiv, precision from its codes, deaths by category, and everything else in the narrative', () => {
    const r = readUcdp(file(row()));
    expect(r.ok).toBe(true);
    const [input] = inputs(r.ok ? r.value.rows : []);
    expect(input).toMatchObject({
      occurredAt: '2018-07-14T12:00:00+03:00',
      occurredPrecision: 'day',
      location: { type: 'point', lon: 39.48, lat: 48.65, precision_m: 1000 },
      domain: 'land',
      type: 'other',
      casualties: [{ category: 'military', outcome: 'killed', count: 1 }],
      source: 'open-source',
      externalRef: 'ucdp-ged:264620',
    });
    expect(input!.narrative).toContain(
      'UCDP GED event 264620: state-based conflict, Government of Ukraine - LPR (conflict: Ukraine: Donetsk).',
    );
    expect(input!.narrative).toContain('Side A: Government of Ukraine. Side B: LPR.');
    expect(input!.narrative).toContain('Stanytsia Luhanska (смт Станиця)');
    expect(input!.narrative).toContain('Luhansk oblast');
    expect(input!.narrative).toContain('Two soldiers wounded, one killed near Stanytsia; "Ceasefire violated", says JFO');
    expect(input!.narrative.endsWith(UCDP_ATTRIBUTION)).toBe(true);
    expect(r.ok && r.value.attribution).toMatch(/CC BY 4\.0.*Sundberg & Melander \(2013\).*Davies, Pettersson & Öberg \(2022\)/);
  });

  it('one-sided violence and civilian-only deaths are civilian casualties; a date range widens the precision', () => {
    const r = readUcdp(
      file(
        row({ id: '1', type_of_violence: '3', deaths_a: '0', deaths_civilians: '4', best: '4', high: '4', low: '4' }),
        row({
          id: '2',
          deaths_a: '0',
          deaths_civilians: '2',
          deaths_unknown: '3',
          best: '5',
          high: '5',
          low: '5',
          date_prec: '2',
          date_start: '2018-07-12',
          date_end: '2018-07-15',
        }),
        row({ id: '3', date_prec: '4', where_prec: '4', date_start: '2018-07-01', date_end: '2018-07-31' }),
      ),
    );
    const [a, b, c] = inputs(r.ok ? r.value.rows : []);
    expect(a).toMatchObject({ type: 'civilian-casualty', casualties: [{ category: 'civilian', outcome: 'killed', count: 4 }] });
    expect(b).toMatchObject({
      type: 'civilian-casualty',
      occurredPrecision: 'week',
      occurredAt: '2018-07-12T12:00:00+03:00',
      casualties: [
        { category: 'civilian', outcome: 'killed', count: 2 },
        { category: 'unknown', outcome: 'killed', count: 3 },
      ],
    });
    expect(b!.narrative).toContain('Date: between 2018-07-12 and 2018-07-15 (within 2–6 days).');
    expect(c).toMatchObject({ occurredPrecision: 'month', location: { precision_m: 150_000 } });
  });

  it('keeps rows where low ≤ best ≤ high does not hold, saying so', () => {
    const r = readUcdp(file(row({ best: '0', low: '0', high: '50', deaths_a: '0' }), row({ id: '9', best: '12', low: '14', high: '10' })));
    const rows = r.ok ? r.value.rows : [];
    expect(inputs(rows)).toHaveLength(2);
    expect(inputs(rows)[1]!.narrative).toContain(
      'best estimate 12 (low 14, high 10; as published, low and high do not bracket the best estimate)',
    );
  });

  it('reports each bad row with its line and reason, and reads the others', () => {
    const r = readUcdp(
      file(
        row({ id: '10' }),
        row({ id: '11', latitude: 'north' }),
        row({ id: '12', date_start: '2018-07-20', date_end: '2018-07-14' }),
        row({ id: '13', where_description: 'Stanytsia Luhanska (??? ???????)' }),
        '14,too,few,fields',
        row({ id: '15', date_start: '2018-02-30', date_end: '2018-02-30' }),
        row({ id: '16', year: '2017' }),
        row({ id: '17' }),
      ),
    );
    expect(r.ok).toBe(true);
    const rows = r.ok ? r.value.rows : [];
    expect(inputs(rows).map((i) => i.externalRef)).toEqual(['ucdp-ged:10', 'ucdp-ged:17']);
    expect(rows.filter((x) => 'problem' in x)).toEqual([
      { line: 3, problem: 'latitude "north" is not a number' },
      { line: 4, problem: 'date_end 2018-07-14 is before date_start 2018-07-20' },
      {
        line: 5,
        problem: expect.stringMatching(
          /^where_description has "…a Luhanska \(\?\?\? \?\?\?\?\?\?\?\)": question marks stand where characters were/,
        ),
      },
      { line: 6, problem: '4 fields where the header has 49' },
      { line: 7, problem: 'date_start "2018-02-30": 2018-02 has no day 30' },
      { line: 8, problem: "date_start 2018-07-14 is not in the row's year 2017: the date was misread or the row is corrupt" },
    ]);
  });

  it('refuses a file that is not GED, and one whose slash dates cannot be told apart', () => {
    const notGed = readUcdp(Buffer.from('date,lat,lon\n2018-07-14,48.6,39.5\n'));
    expect(notGed).toMatchObject({ ok: false, code: 'validation_failed', pointer: '/content' });
    expect(!notGed.ok && notGed.message).toMatch(/not a UCDP GED file: it has no column id, type_of_violence/);

    const ambiguous = file(row({ date_start: '07/05/2018 00:00', date_end: '07/06/2018 00:00' }));
    const refused = readUcdp(ambiguous);
    expect(!refused.ok && refused.message).toMatch(
      /could be day\/month or month\/day.*nothing was imported \(give the order with --date-order dmy\|mdy\)/,
    );
    const told = readUcdp(ambiguous, { dayOrder: 'dmy' });
    expect(told.ok && inputs(told.value.rows)[0]!.occurredAt).toBe('2018-05-07T12:00:00+03:00');
  });

  it('reads a Windows-1252 export with Excel dates correctly', () => {
    const text = [
      HEADER,
      row({
        id: '20',
        date_start: '9/30/2022 12:00:00 AM',
        date_end: '9/30/2022 12:00:00 AM',
        year: '2022',
        where_description: 'Donetsk’s Kirov district — west',
        source_headline: '',
      }),
      row({
        id: '21',
        date_start: '05/02/2014 00:00',
        date_end: '05/03/2014 00:00',
        year: '2014',
        date_prec: '2',
        where_description: 'Sloviansk',
        source_headline: '',
      }),
      row({
        id: '22',
        date_start: '10/13/2014 00:00',
        date_end: '10/13/2014 00:00',
        year: '2014',
        where_description: 'Debaltseve',
        source_headline: '',
      }),
      '',
    ].join('\r\n');
    // Windows-1252: ’ is 0x92, — is 0x97; the Cyrillic of the base row cannot be written, so none is left.
    const bytes = Buffer.from(
      [...text.replace('Stanytsia Luhanska (смт Станиця)', 'x')].map((ch) => (ch === '’' ? 0x92 : ch === '—' ? 0x97 : ch.charCodeAt(0))),
    );
    const r = readUcdp(bytes);
    expect(r.ok && r.value.encoding).toMatch(/^Windows-1252/);
    const [a, b, c] = inputs(r.ok ? r.value.rows : []);
    expect(a!.occurredAt).toBe('2022-09-30T12:00:00+03:00');
    expect(a!.narrative).toContain('Donetsk’s Kirov district — west');
    expect(b!.occurredAt).toBe('2014-05-02T12:00:00+03:00');
    expect(c!.occurredAt).toBe('2014-10-13T12:00:00+03:00');
  });
});
