import { z } from 'zod';
import { sha256Hex } from '../../journal/chain';
import { canonicalize } from '../../journal/canonical';
import { fail, ok, pointerFrom, type Result } from '../../errors';
import { Casualty, Domain, ReportInput, ReportType, Source, TIME_PRECISIONS, WeaponClass } from '../model';
import {
  compileFormat,
  DayOrderEvidence,
  isTimeZone,
  parseDate,
  toInstant,
  type DateParse,
  type DayOrder,
  type LocalDateTime,
} from './dates';
import { describeIssue, type ImportRow } from './rows';
import { textDamage } from './text';

/**
 * A column mapping: which column (or GeoJSON property) feeds which field of a report, how its
 * dates are written, how its words translate to ours, and defaults for what the file lacks.
 *
 * ```json
 * { "columns": { "Date": { "field": "occurredAt", "format": "DD/MM/YYYY HH:mm" }, "Lat": "lat", "Lon": "lon",
 *                "Kind": { "field": "type", "values": { "Shelling": "shelling-impact" } }, "Notes": "narrative", "Ref": "externalRef" },
 *   "defaults": { "domain": "land", "source": "patrol-heard" }, "timeZone": "Europe/Kyiv", "externalRefPrefix": "osce:" }
 * ```
 */

const CASUALTY_FIELDS = Casualty.shape.category.options.flatMap((c) =>
  Casualty.shape.outcome.options.map((o) => `casualties.${c}.${o}` as const),
);

export const MAPPABLE_FIELDS = [
  'occurredAt',
  'occurredTime',
  'occurredPrecision',
  'lon',
  'lat',
  'precision_m',
  'domain',
  'type',
  'weaponClass',
  'source',
  'narrative',
  'externalRef',
  'casualties',
  ...CASUALTY_FIELDS,
] as const;
export const MappableField = z.enum(MAPPABLE_FIELDS);
export type MappableField = z.infer<typeof MappableField>;

export const ColumnRule = z.union([
  MappableField,
  z.strictObject({
    field: MappableField,
    /** For occurredAt/occurredTime: e.g. `DD/MM/YYYY HH:mm`; without it ISO and slash dates are recognised. */
    format: z.string().min(1).max(60).optional(),
    /** Translation of the file's words to ours, e.g. {"Shelling": "shelling-impact"} (case and spacing ignored). */
    values: z.record(z.string(), z.string()).optional(),
    /** For narrative columns: the label written before the value (default: the column's name). */
    label: z.string().max(100).optional(),
  }),
]);
export type ColumnRule = z.infer<typeof ColumnRule>;

export const ColumnMapping = z.strictObject({
  columns: z.record(z.string().min(1), ColumnRule),
  defaults: z
    .strictObject({
      occurredPrecision: z.enum(TIME_PRECISIONS).optional(),
      precision_m: z.number().int().min(1).max(500_000).optional(),
      domain: Domain.optional(),
      type: ReportType.optional(),
      weaponClass: WeaponClass.optional(),
      source: Source.optional(),
      narrative: z.string().max(2000).optional(),
    })
    .default({}),
  /** The default format of date columns (a column's own `format` wins). */
  dateFormat: z.string().min(1).max(60).optional(),
  /** For slash dates the file cannot settle by itself: `05/02/2014` is 5 February (dmy) or 2 May (mdy). */
  dayOrder: z.enum(['dmy', 'mdy']).optional(),
  /** Where local times were written; times with an offset or Z keep theirs. */
  timeZone: z
    .string()
    .default('Europe/Kyiv')
    .refine((zone) => isTimeZone(zone), { message: 'not an IANA time zone (e.g. Europe/Kyiv, UTC)' }),
  /** Prefixed to the externalRef column's values, naming the outside system, e.g. `osce-smm:`. */
  externalRefPrefix: z.string().max(60).default(''),
  /** Written at the end of every narrative: the licence or source the data must carry. */
  attribution: z.string().max(1000).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).default(','),
  encoding: z.enum(['auto', 'utf-8', 'windows-1252']).default('auto'),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export function parseMapping(value: unknown): Result<ColumnMapping> {
  const parsed = ColumnMapping.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = pointerFrom(issue.path);
    return fail('validation_failed', `the mapping ${where || '/'}: ${issue.message}`, '/mapping' + where);
  }
  const m = parsed.data;
  for (const [column, rule] of Object.entries(m.columns)) {
    const format = typeof rule === 'string' ? undefined : rule.format;
    if (format) {
      const f = compileFormat(format);
      if (!f.ok) return fail('validation_failed', `the mapping of column "${column}": ${f.reason}`, `/mapping/columns/${column}/format`);
    }
  }
  if (m.dateFormat) {
    const f = compileFormat(m.dateFormat);
    if (!f.ok) return fail('validation_failed', `the mapping: ${f.reason}`, '/mapping/dateFormat');
  }
  const fields = Object.values(m.columns).map(fieldOf);
  for (const single of MAPPABLE_FIELDS.filter((f) => f !== 'narrative')) {
    if (fields.filter((f) => f === single).length > 1)
      return fail('validation_failed', `the mapping sends two columns to ${single}`, '/mapping/columns');
  }
  return ok(m);
}

/** Without a mapping, columns named like the report's fields map to them (our own exports read back). */
export function defaultMapping(columns: readonly string[]): ColumnMapping {
  const aliases: Record<string, MappableField> = { latitude: 'lat', longitude: 'lon', lng: 'lon', id: 'externalRef' };
  const mapped: Record<string, MappableField> = {};
  const taken = new Set<string>();
  for (const c of columns) {
    const field = (MAPPABLE_FIELDS as readonly string[]).includes(c) ? (c as MappableField) : aliases[c.toLowerCase()];
    if (field && !taken.has(field)) {
      mapped[c] = field;
      taken.add(field);
    }
  }
  return ColumnMapping.parse({ columns: mapped });
}

function fieldOf(rule: ColumnRule): MappableField {
  return typeof rule === 'string' ? rule : rule.field;
}

/** One row to map: its line, its values by column (or property) name, and a geometry when it has one. */
export interface SourceRow {
  readonly line: number;
  readonly values: Readonly<Record<string, unknown>>;
  readonly geometry?:
    | { readonly type: 'point'; readonly lon: number; readonly lat: number }
    | { readonly type: 'area'; readonly polygon: [number, number][][] };
}

export interface MappingPlan {
  readonly mapRow: (row: SourceRow) => ImportRow;
  readonly notes: string[];
}

/**
 * Prepares a mapping for a file: checks its columns against the file's, settles the day order of
 * slash dates on the whole file, and returns the per-row function. A mapping naming a column the
 * file does not have is refused before any row is read.
 */
export function planMapping(
  mapping: ColumnMapping,
  columns: readonly string[],
  rows: readonly SourceRow[],
  kind: 'csv' | 'geojson',
): Result<MappingPlan> {
  const present = new Set(columns);
  const absent = Object.keys(mapping.columns).filter((c) => !present.has(c));
  if (absent.length > 0 && kind === 'csv') {
    return fail(
      'validation_failed',
      `the mapping names column${absent.length > 1 ? 's' : ''} ${absent.map((c) => `"${c}"`).join(', ')} that the file does not have (its columns: ${columns.join(', ')})`,
      `/mapping/columns/${absent[0]}`,
    );
  }
  type Rule = { format?: string | undefined; values?: Record<string, string> | undefined; label?: string | undefined };
  const rules = Object.entries(mapping.columns).map(([column, rule]) => ({
    column,
    field: fieldOf(rule),
    rule: (typeof rule === 'string' ? {} : rule) as Rule,
  }));
  const targets = new Set(rules.map((r) => r.field));
  const d = mapping.defaults;
  const hasPlace = kind === 'geojson' || (targets.has('lon') && targets.has('lat'));
  const lacking = [
    !targets.has('occurredAt') ? 'occurredAt' : null,
    !hasPlace ? 'lon and lat' : null,
    !targets.has('domain') && !d.domain ? 'domain' : null,
    !targets.has('type') && !d.type ? 'type' : null,
    !targets.has('source') && !d.source ? 'source' : null,
  ].filter((x): x is string => x !== null);
  if (lacking.length > 0) {
    return fail(
      'validation_failed',
      `nothing in the mapping gives ${lacking.join(', ')}: map a column to ${lacking.length > 1 ? 'them' : 'it'}${lacking.some((l) => ['domain', 'type', 'source'].includes(l)) ? ' or set a default' : ''} (columns of the file: ${columns.join(', ') || 'none'})`,
      '/mapping/columns',
    );
  }

  // Date columns without an explicit format: their slash dates' day order comes from the whole file.
  const dateRules = rules.filter((r) => r.field === 'occurredAt' && !r.rule.format && !mapping.dateFormat);
  const evidence = new DayOrderEvidence();
  for (const row of rows) for (const r of dateRules) evidence.note(r.column, text(row.values[r.column]), row.line);
  const orders = evidence.resolve((mapping.dayOrder as DayOrder | undefined) ?? null);
  if (!orders.ok)
    return fail(
      'validation_failed',
      `${orders.reason} (set "dayOrder" or "dateFormat" in the mapping); nothing was imported`,
      '/mapping/dayOrder',
    );

  const parsers = new Map<string, (t: string) => DateParse>();
  for (const r of rules) {
    if (r.field !== 'occurredAt' && r.field !== 'occurredTime') continue;
    const format = r.rule.format ?? (r.field === 'occurredAt' ? mapping.dateFormat : undefined);
    if (format) {
      const f = compileFormat(format);
      if (f.ok) parsers.set(r.column, f.parse);
    } else if (r.field === 'occurredAt') {
      parsers.set(r.column, (t) => parseDate(t, orders.order(r.column, t)));
    } else {
      parsers.set(r.column, parseTimeOfDay);
    }
  }

  const notes: string[] = [];
  const unused = columns.filter((c) => !(c in mapping.columns));
  if (unused.length > 0 && kind === 'csv') notes.push(`columns not imported: ${unused.join(', ')}`);

  const mapRow = (row: SourceRow): ImportRow => {
    const r = mapOne(row, rules, mapping, parsers);
    return r.ok ? { line: row.line, input: r.value } : { line: row.line, problem: r.message };
  };
  return ok({ mapRow, notes });
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function parseTimeOfDay(t: string): DateParse {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([AaPp])\.?[Mm]\.?)?$/.exec(t.trim());
  if (!m) return { ok: false, reason: `"${t}" is not a time of day (e.g. 14:20 or 2:20 PM)` };
  let hour = +m[1]!;
  if (m[4]) {
    if (hour < 1 || hour > 12) return { ok: false, reason: `"${t}" has hour ${hour} with AM/PM` };
    hour = (hour % 12) + (m[4].toUpperCase() === 'P' ? 12 : 0);
  }
  if (hour > 23 || +m[2]! > 59 || +(m[3] ?? 0) > 59) return { ok: false, reason: `"${t}" is not a time of day` };
  return { ok: true, value: { year: 1970, month: 1, day: 1, hour, minute: +m[2]!, second: +(m[3] ?? 0), offset: null, hasTime: true } };
}

const ENUMS = {
  occurredPrecision: TIME_PRECISIONS,
  domain: Domain.options,
  type: ReportType.options,
  weaponClass: WeaponClass.options,
  source: Source.options,
} as const;

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');

function translate(value: string, rule: { values?: Record<string, string> | undefined }): string {
  if (!rule.values) return value;
  for (const [from, to] of Object.entries(rule.values)) if (norm(from) === norm(value)) return to;
  return value;
}

/** A number as files write it: `47.5`, or `47,5` in files whose columns are not comma-separated. */
function number(value: string, delimiter: string): number {
  const v = delimiter !== ',' && /^-?\d+,\d+$/.test(value) ? value.replace(',', '.') : value;
  return v === '' ? NaN : Number(v);
}

function mapOne(
  row: SourceRow,
  rules: readonly {
    column: string;
    field: MappableField;
    rule: { format?: string | undefined; values?: Record<string, string> | undefined; label?: string | undefined };
  }[],
  mapping: ColumnMapping,
  parsers: ReadonlyMap<string, (t: string) => DateParse>,
): Result<ReportInput> {
  const d = mapping.defaults;
  const out: Record<string, unknown> = {};
  const narrative: string[] = [];
  const casualties: z.infer<typeof Casualty>[] = [];
  let date: LocalDateTime | null = null;
  let time: LocalDateTime | null = null;
  let lon: number | null = null;
  let lat: number | null = null;
  const narrativeColumns = rules.filter((r) => r.field === 'narrative').length;

  for (const { column, field, rule } of rules) {
    const raw = row.values[column];
    if (field === 'casualties' && Array.isArray(raw)) {
      const list = z.array(Casualty).safeParse(raw);
      if (!list.success) return fail('validation_failed', `${column}: ${describeIssue(list.error.issues[0]!)}`);
      casualties.push(...list.data);
      continue;
    }
    const value = text(raw);
    if (value === '') continue;
    const damage = textDamage(value);
    if (damage) return fail('validation_failed', `${column} ${damage}`);
    switch (field) {
      case 'occurredAt':
      case 'occurredTime': {
        const parsed = parsers.get(column)!(value);
        if (!parsed.ok) return fail('validation_failed', `${column} ${parsed.reason}`);
        if (field === 'occurredAt') date = parsed.value;
        else time = parsed.value;
        break;
      }
      case 'lon':
      case 'lat': {
        const n = number(value, mapping.delimiter);
        if (!Number.isFinite(n)) return fail('validation_failed', `${column} "${value}" is not a number`);
        if (field === 'lon') lon = n;
        else lat = n;
        break;
      }
      case 'precision_m': {
        const n = number(value, mapping.delimiter);
        if (!Number.isFinite(n)) return fail('validation_failed', `${column} "${value}" is not a number of metres`);
        out.precision_m = Math.round(n);
        break;
      }
      case 'narrative':
        narrative.push(narrativeColumns > 1 || rule.label !== undefined ? `${rule.label ?? column}: ${value}` : value);
        break;
      case 'externalRef':
        out.externalRef = mapping.externalRefPrefix + value;
        break;
      case 'casualties': {
        let list: unknown;
        try {
          list = JSON.parse(value);
        } catch {
          return fail('validation_failed', `${column} is not a JSON list of casualties`);
        }
        const parsed = z.array(Casualty).safeParse(list);
        if (!parsed.success) return fail('validation_failed', `${column}: ${describeIssue(parsed.error.issues[0]!)}`);
        casualties.push(...parsed.data);
        break;
      }
      case 'occurredPrecision':
      case 'domain':
      case 'type':
      case 'weaponClass':
      case 'source': {
        const word = translate(value, rule);
        const allowed: readonly string[] = ENUMS[field];
        if (!allowed.includes(word)) {
          return fail(
            'validation_failed',
            `${column} "${value}" is not a ${field} of ours (${allowed.join(', ')}); translate the file's words with "values" in the mapping`,
          );
        }
        out[field] = word;
        break;
      }
      default: {
        // casualties.<category>.<outcome>
        const [, category, outcome] = field.split('.') as [string, 'civilian' | 'military' | 'unknown', 'killed' | 'injured'];
        if (!/^\d+$/.test(value)) return fail('validation_failed', `${column} "${value}" is not a whole number`);
        if (Number(value) > 0) casualties.push({ category, outcome, count: Number(value) });
      }
    }
  }

  if (!date) return fail('validation_failed', `no date: the column mapped to occurredAt is empty`);
  let when: LocalDateTime = date;
  if (time && !date.hasTime) when = { ...date, hour: time.hour, minute: time.minute, second: time.second, hasTime: true };
  // A date without a time of day is known to the day, unless the mapping says otherwise.
  const precision = out.occurredPrecision ?? d.occurredPrecision ?? (when.hasTime ? 'minute' : 'day');
  if (!when.hasTime) when = { ...when, hour: 12 };

  let location: unknown;
  if (row.geometry?.type === 'area') {
    location = {
      type: 'area',
      polygon: row.geometry.polygon,
      ...((out.precision_m ?? d.precision_m) ? { precision_m: out.precision_m ?? d.precision_m } : {}),
    };
  } else {
    const x = row.geometry?.type === 'point' ? row.geometry.lon : lon;
    const y = row.geometry?.type === 'point' ? row.geometry.lat : lat;
    if (x === null || y === null) return fail('validation_failed', `no location: ${x === null ? 'lon' : 'lat'} is empty`);
    location = { type: 'point', lon: x, lat: y, precision_m: out.precision_m ?? d.precision_m ?? 100 };
  }

  const narrativeText = [...narrative, ...(d.narrative ? [d.narrative] : []), ...(mapping.attribution ? [mapping.attribution] : [])].join(
    '\n',
  );
  const input: Record<string, unknown> = {
    occurredAt: toInstant(when, mapping.timeZone),
    occurredPrecision: precision,
    location,
    domain: out.domain ?? d.domain,
    type: out.type ?? d.type,
    ...((out.weaponClass ?? d.weaponClass) ? { weaponClass: out.weaponClass ?? d.weaponClass } : {}),
    casualties,
    source: out.source ?? d.source,
    narrative: narrativeText,
  };
  if (out.externalRef) input.externalRef = out.externalRef;
  const parsed = ReportInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    const column = rules.find(
      (r) => r.field === field || (field === 'location' && (r.field === 'lon' || r.field === 'lat' || r.field === 'precision_m')),
    )?.column;
    return fail('validation_failed', `${column ? `${column} → ` : ''}${describeIssue(issue)}`);
  }
  // Without an id from the file, the report's own content names it, so the same file imports once.
  if (!parsed.data.externalRef)
    parsed.data.externalRef = `${mapping.externalRefPrefix || 'row:'}sha256:${sha256Hex(canonicalize(parsed.data)).slice(0, 32)}`;
  return ok(parsed.data);
}
