import { fail, ok, type Result } from '../../errors';
import { ReportInput, type TIME_PRECISIONS } from '../model';
import { parseCsv, problemOnLines } from './csv';
import { dayOf, daysBetween, DayOrderEvidence, parseDate, toInstant, type DayOrder, type LocalDateTime } from './dates';
import { describeIssue, mapPrepared, type ImportRow, type ParsedImport, type PreparedImport } from './rows';
import { decodeBytes, textDamage, unreadableLines, type Encoding } from './text';

/**
 * UCDP Georeferenced Event Dataset (GED) rows as reports. GED records events with at least one
 * death, located and dated with stated precision; it says nothing about weapons, so the type comes
 * from the kind of violence and who died, and the rest (sides, place, sources) goes to the narrative.
 */

export const UCDP_ATTRIBUTION =
  'Source: UCDP Georeferenced Event Dataset (GED), Uppsala Conflict Data Program, licence CC BY 4.0. ' +
  'Sundberg & Melander (2013), "Introducing the UCDP Georeferenced Event Dataset", Journal of Peace Research 50(4); ' +
  'Davies, Pettersson & Öberg (2022), "Organized violence 1989-2021 and drone warfare", Journal of Peace Research 59(4).';

/** GED's events are dated by day in local time: the report is placed at noon there, so the day reads the same in any zone. */
export const UCDP_TIME_ZONE = 'Europe/Kyiv';

const REQUIRED = [
  'id',
  'type_of_violence',
  'latitude',
  'longitude',
  'where_prec',
  'date_prec',
  'date_start',
  'date_end',
  'deaths_a',
  'deaths_b',
  'deaths_civilians',
  'deaths_unknown',
  'best',
] as const;

const VIOLENCE: Record<string, string> = { '1': 'state-based conflict', '2': 'non-state conflict', '3': 'one-sided violence' };

/** GED `where_prec` → how far the true place may be, and what the code means. */
const WHERE: Record<string, { metres: number; text: string }> = {
  '1': { metres: 1_000, text: 'exact location' },
  '2': { metres: 25_000, text: 'within about 25 km of the point' },
  '3': { metres: 50_000, text: 'only the district (second-order division) is known' },
  '4': { metres: 150_000, text: 'only the oblast (first-order division) is known' },
  '5': { metres: 300_000, text: 'a part of the country larger than an oblast, or a line such as a border or river' },
  '6': { metres: 500_000, text: 'only the country is known' },
  '7': { metres: 500_000, text: 'international waters or airspace' },
};

/** GED `date_prec` → the report's time precision, and what the code means. */
const WHEN: Record<string, { precision: (typeof TIME_PRECISIONS)[number]; text: string }> = {
  '1': { precision: 'day', text: 'exact day' },
  '2': { precision: 'week', text: 'within 2–6 days' },
  '3': { precision: 'week', text: 'within a week' },
  '4': { precision: 'month', text: 'within a month' },
  '5': { precision: 'month', text: 'more than a month' },
};

/** Text columns copied into the narrative: each is checked for damage before anything is kept. */
const TEXT_COLUMNS = [
  'conflict_name',
  'dyad_name',
  'side_a',
  'side_b',
  'where_coordinates',
  'where_description',
  'adm_1',
  'adm_2',
  'source_headline',
  'source_office',
] as const;

export interface UcdpOptions {
  readonly encoding?: Encoding | 'auto';
  /** When the file cannot prove whether `05/02/2014` is day- or month-first. */
  readonly dayOrder?: DayOrder;
}

export function readUcdp(bytes: Uint8Array, options: UcdpOptions = {}): Result<ParsedImport> {
  const prepared = prepareUcdp(bytes, options);
  return prepared.ok ? ok(mapPrepared(prepared.value)) : prepared;
}

export function prepareUcdp(bytes: Uint8Array, options: UcdpOptions = {}): Result<PreparedImport> {
  const decoded = decodeBytes(bytes, options.encoding ?? 'auto');
  const table = parseCsv(decoded.text);
  if (table.fatal) return fail('validation_failed', `line ${table.fatal.line}: ${table.fatal.reason}; nothing was imported`, '/content');
  const missing = REQUIRED.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    return fail(
      'validation_failed',
      `this is not a UCDP GED file: it has no column ${missing.join(', ')} (the first line must be GED's header: id,relid,year,…)`,
      '/content',
      { missing },
    );
  }
  const col = new Map(table.header.map((h, i) => [h, i]));
  const cell = (fields: readonly string[], name: string): string => {
    const i = col.get(name);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };

  const badLines = unreadableLines(decoded);

  const evidence = new DayOrderEvidence();
  for (const r of table.records) {
    evidence.note('date_start', cell(r.fields, 'date_start'), r.line);
    evidence.note('date_end', cell(r.fields, 'date_end'), r.line);
  }
  const orders = evidence.resolve(options.dayOrder ?? null);
  if (!orders.ok)
    return fail('validation_failed', `${orders.reason}; nothing was imported (give the order with --date-order dmy|mdy)`, '/content');

  const early: ImportRow[] = table.problems.map((p) => ({ line: p.line, problem: p.reason }));
  const pending: PreparedImport['pending'][number][] = [];
  for (const r of table.records) {
    const lineProblem = problemOnLines(r, badLines);
    if (lineProblem) {
      early.push({ line: r.line, problem: lineProblem });
      continue;
    }
    pending.push({
      line: r.line,
      map() {
        const mapped = mapRow((name) => cell(r.fields, name), orders.order);
        return mapped.ok ? { line: r.line, input: mapped.value } : { line: r.line, problem: mapped.message };
      },
    });
  }
  const notes = [`read as ${decoded.detected}`];
  return ok({ format: 'ucdp', encoding: decoded.detected, early, pending, attribution: UCDP_ATTRIBUTION, notes });
}

type Cell = (name: string) => string;

function count(cell: Cell, name: string): Result<number> {
  const v = cell(name);
  if (v === '') return ok(0);
  if (!/^\d+$/.test(v)) return fail('validation_failed', `${name} "${v}" is not a whole number of deaths`);
  return ok(Number(v));
}

function coordinate(cell: Cell, name: 'latitude' | 'longitude'): Result<number> {
  const v = cell(name);
  const n = Number(v);
  if (v === '' || !Number.isFinite(n)) return fail('validation_failed', `${name} "${v}" is not a number`);
  const limit = name === 'latitude' ? 90 : 180;
  if (Math.abs(n) > limit) return fail('validation_failed', `${name} ${v} is outside −${limit}…${limit}`);
  return ok(n);
}

function mapRow(cell: Cell, order: (column: string, text: string) => DayOrder | null): Result<ReportInput> {
  const id = cell('id');
  if (!/^\d+$/.test(id)) return fail('validation_failed', `id "${id}" is not a UCDP event id`);

  for (const name of TEXT_COLUMNS) {
    const damage = textDamage(cell(name));
    if (damage) return fail('validation_failed', `${name} ${damage}; import the UTF-8 export instead, or skip this row`);
  }

  const violence = VIOLENCE[cell('type_of_violence')];
  if (!violence) return fail('validation_failed', `type_of_violence "${cell('type_of_violence')}" is not 1, 2 or 3`);
  const where = WHERE[cell('where_prec')];
  if (!where) return fail('validation_failed', `where_prec "${cell('where_prec')}" is not a GED location precision (1–7)`);
  const when = WHEN[cell('date_prec')];
  if (!when) return fail('validation_failed', `date_prec "${cell('date_prec')}" is not a GED date precision (1–5)`);

  const lat = coordinate(cell, 'latitude');
  if (!lat.ok) return lat;
  const lon = coordinate(cell, 'longitude');
  if (!lon.ok) return lon;

  const dates: LocalDateTime[] = [];
  for (const name of ['date_start', 'date_end'] as const) {
    const text = cell(name);
    const parsed = parseDate(text, order(name, text));
    if (!parsed.ok) return fail('validation_failed', `${name} ${parsed.reason}`);
    dates.push(parsed.value);
  }
  const [start, end] = dates as [LocalDateTime, LocalDateTime];
  const span = daysBetween(start, end);
  if (span < 0) return fail('validation_failed', `date_end ${dayOf(end)} is before date_start ${dayOf(start)}`);
  const year = cell('year');
  if (/^\d{4}$/.test(year) && Number(year) !== start.year) {
    return fail(
      'validation_failed',
      `date_start ${dayOf(start)} is not in the row's year ${year}: the date was misread or the row is corrupt`,
    );
  }

  const deaths: Record<string, number> = {};
  for (const name of ['deaths_a', 'deaths_b', 'deaths_civilians', 'deaths_unknown', 'best', 'low', 'high']) {
    const n = count(cell, name);
    if (!n.ok) return n;
    deaths[name] = n.value;
  }
  const military = deaths.deaths_a! + deaths.deaths_b!;
  const civilians = deaths.deaths_civilians!;
  const casualties = [
    ...(military > 0 ? [{ category: 'military' as const, outcome: 'killed' as const, count: military }] : []),
    ...(civilians > 0 ? [{ category: 'civilian' as const, outcome: 'killed' as const, count: civilians }] : []),
    ...(deaths.deaths_unknown! > 0 ? [{ category: 'unknown' as const, outcome: 'killed' as const, count: deaths.deaths_unknown! }] : []),
  ];
  // One-sided violence is violence against civilians; so is an event whose only dead are civilians.
  const type = cell('type_of_violence') === '3' || (civilians > 0 && military === 0) ? 'civilian-casualty' : 'other';

  // A span wider than GED's code says (it happens) widens the precision rather than hiding it.
  const precision = span > 6 ? 'month' : span > 0 && when.precision === 'day' ? 'week' : when.precision;
  const noon = { ...start, hour: 12, minute: 0, second: 0, offset: null, hasTime: true };

  const input = {
    occurredAt: toInstant(noon, UCDP_TIME_ZONE),
    occurredPrecision: precision,
    location: { type: 'point', lon: lon.value, lat: lat.value, precision_m: where.metres },
    domain: 'land',
    type,
    casualties,
    source: 'open-source',
    narrative: narrative(cell, { violence, where: where.text, when: when.text, start, end, deaths }),
    externalRef: `ucdp-ged:${id}`,
  };
  const parsed = ReportInput.safeParse(input);
  if (!parsed.success) return fail('validation_failed', describeIssue(parsed.error.issues[0]!));
  return ok(parsed.data);
}

const NARRATIVE_MAX = 10_000;

function narrative(
  cell: Cell,
  f: { violence: string; where: string; when: string; start: LocalDateTime; end: LocalDateTime; deaths: Record<string, number> },
): string {
  const join = (parts: string[], sep: string) => parts.filter((p) => p !== '').join(sep);
  const d = f.deaths;
  const bracketed = d.low! <= d.best! && d.best! <= d.high!;
  const lines = [
    `UCDP GED event ${cell('id')}: ${f.violence}${cell('dyad_name') ? `, ${cell('dyad_name')}` : ''}${cell('conflict_name') ? ` (conflict: ${cell('conflict_name')})` : ''}.`,
    join([cell('side_a') ? `Side A: ${cell('side_a')}.` : '', cell('side_b') ? `Side B: ${cell('side_b')}.` : ''], ' '),
    `Place: ${join([cell('where_coordinates'), cell('where_description') !== cell('where_coordinates') ? cell('where_description') : '', cell('adm_2'), cell('adm_1')], '; ')} (${f.where}).`,
    `Date: ${dayOf(f.start) === dayOf(f.end) ? dayOf(f.start) : `between ${dayOf(f.start)} and ${dayOf(f.end)}`} (${f.when}).`,
    `Deaths: best estimate ${d.best} (low ${d.low}, high ${d.high}${bracketed ? '' : '; as published, low and high do not bracket the best estimate'}); side A ${d.deaths_a}, side B ${d.deaths_b}, civilians ${d.deaths_civilians}, unknown ${d.deaths_unknown}.`,
  ].filter((l) => l !== '');
  const tail = UCDP_ATTRIBUTION;
  const offices = cell('source_office');
  const headlines = cell('source_headline');
  const sources = `Reported by ${cell('number_of_sources') || 'unknown number of'} source(s)${offices ? ` (${offices})` : ''}${headlines ? `: ${headlines}` : ''}`;
  const room = NARRATIVE_MAX - lines.join('\n').length - tail.length - 4;
  lines.push(sources.length > room ? sources.slice(0, room - 1) + '…' : sources, tail);
  return lines.join('\n');
}
