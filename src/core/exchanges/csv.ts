import { AGE_BANDS, MEDICAL_PRIORITIES, PERSON_CATEGORIES, PersonInput } from './model';
import { normaliseDate } from './normalise';

/**
 * CSV import of a bureau's list: a header row, then one person a row (RFC 4180 quoting, comma or
 * semicolon). Every problem is reported with its line and column and never with the cell's value:
 * a value may be a name. Either every row is good or nothing is stored.
 */

export interface CsvProblem {
  readonly line: number;
  readonly column: number;
  readonly field: string;
  readonly message: string;
}

export type CsvResult = { ok: true; persons: PersonInput[] } | { ok: false; problems: CsvProblem[] };

const FIELDS = [
  'familyName',
  'givenName',
  'patronymic',
  'rank',
  'serialNumber',
  'dateOfBirth',
  'nextOfKin',
  'category',
  'medicalPriority',
  'ageBand',
  'homeState',
] as const;
type Field = (typeof FIELDS)[number];
const REQUIRED: readonly Field[] = ['familyName', 'givenName', 'category', 'homeState'];

const ALIASES: Record<string, Field> = {
  surname: 'familyName',
  lastname: 'familyName',
  familyname: 'familyName',
  givenname: 'givenName',
  firstname: 'givenName',
  patronymic: 'patronymic',
  rank: 'rank',
  serial: 'serialNumber',
  serialnumber: 'serialNumber',
  servicenumber: 'serialNumber',
  dob: 'dateOfBirth',
  dateofbirth: 'dateOfBirth',
  birthdate: 'dateOfBirth',
  nextofkin: 'nextOfKin',
  category: 'category',
  medicalpriority: 'medicalPriority',
  medical: 'medicalPriority',
  ageband: 'ageBand',
  homestate: 'homeState',
};

const MAX_PROBLEMS = 50;

/** Splits CSV text into rows of cells, remembering the line each row starts on. */
export function csvRows(text: string, delimiter: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  cells.push(cell);
  if (cells.some((c) => c.trim() !== '')) rows.push({ line: rowLine, cells });
  return rows;
}

function enumProblem(value: string, allowed: readonly string[]): string | null {
  return allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;
}

export function parsePersonsCsv(raw: string): CsvResult {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows = csvRows(text, delimiter);
  const problems: CsvProblem[] = [];
  const header = rows[0];
  if (!header)
    return {
      ok: false,
      problems: [{ line: 1, column: 1, field: '', message: 'the file is empty: a header row and one row per person are expected' }],
    };

  const columns: (Field | null)[] = header.cells.map(
    (h) =>
      ALIASES[
        h
          .trim()
          .toLowerCase()
          .replace(/[^a-z]/g, '')
      ] ?? null,
  );
  // An unknown header is not quoted back: a list pasted without its header row has a name there.
  columns.forEach((c, i) => {
    if (c === null)
      problems.push({
        line: header.line,
        column: i + 1,
        field: '',
        message: `column ${i + 1} of the header is not a known column (expected: ${FIELDS.join(', ')})`,
      });
  });
  for (const f of REQUIRED) {
    if (!columns.includes(f))
      problems.push({ line: header.line, column: header.cells.length + 1, field: f, message: `the column ${f} is missing` });
  }
  if (problems.length) return { ok: false, problems };
  if (rows.length === 1)
    return { ok: false, problems: [{ line: header.line + 1, column: 1, field: '', message: 'no persons below the header' }] };

  const persons: PersonInput[] = [];
  for (const row of rows.slice(1)) {
    const at = (column: number, field: string, message: string) => problems.push({ line: row.line, column, field, message });
    if (row.cells.length !== columns.length) {
      at(Math.min(row.cells.length, columns.length) + 1, '', `${row.cells.length} cells where the header has ${columns.length}`);
      if (problems.length >= MAX_PROBLEMS) break;
      continue;
    }
    const v: Partial<Record<Field, string>> = {};
    columns.forEach((f, i) => {
      const cell = row.cells[i]!.trim();
      if (cell !== '') v[f!] = cell;
    });
    const col = (f: Field) => columns.indexOf(f) + 1;
    for (const f of REQUIRED) if (v[f] === undefined) at(col(f), f, `${f} is required`);
    const checks: [Field, string | null][] = [
      ['category', v.category !== undefined ? enumProblem(v.category, PERSON_CATEGORIES) : null],
      ['medicalPriority', v.medicalPriority !== undefined ? enumProblem(v.medicalPriority, MEDICAL_PRIORITIES) : null],
      ['ageBand', v.ageBand !== undefined ? enumProblem(v.ageBand, AGE_BANDS) : null],
      ['homeState', v.homeState !== undefined && !/^[a-z]{2}$/.test(v.homeState) ? 'must be a two-letter code such as ua or ru' : null],
      [
        'dateOfBirth',
        v.dateOfBirth !== undefined && normaliseDate(v.dateOfBirth) === null
          ? 'not a date we can read (write 1994-03-12, 12.03.1994 or 12 March 1994)'
          : null,
      ],
    ];
    for (const [f, message] of checks) if (message) at(col(f), f, message);
    if (problems.length >= MAX_PROBLEMS) break;
    if (problems.length) continue;
    const parsed = PersonInput.safeParse({
      category: v.category,
      medicalPriority: v.medicalPriority,
      ageBand: v.ageBand,
      homeState: v.homeState,
      identity: {
        familyName: v.familyName,
        givenName: v.givenName,
        patronymic: v.patronymic,
        rank: v.rank,
        serialNumber: v.serialNumber,
        dateOfBirth: v.dateOfBirth,
        nextOfKin: v.nextOfKin,
      },
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[issue.path.length - 1] ?? '') as Field;
      // zod's own message could quote the value; say what is wrong in our words.
      at(col(field) || 1, field, `${field} is not acceptable (too long or empty)`);
      continue;
    }
    persons.push(parsed.data);
  }
  return problems.length ? { ok: false, problems: problems.slice(0, MAX_PROBLEMS) } : { ok: true, persons };
}
