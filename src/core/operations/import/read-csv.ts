import { fail, ok, type Result } from '../../errors';
import { parseCsv, problemOnLines } from './csv';
import { ColumnMapping, defaultMapping, planMapping, type SourceRow } from './mapping';
import { mapPrepared, type ImportRow, type ParsedImport, type PreparedImport } from './rows';
import { decodeBytes, unreadableLines } from './text';

/** A CSV file through a column mapping (or, without one, columns named like the report's fields). */
export function readCsv(bytes: Uint8Array, mapping: ColumnMapping | null): Result<ParsedImport> {
  const prepared = prepareCsv(bytes, mapping);
  return prepared.ok ? ok(mapPrepared(prepared.value)) : prepared;
}

export function prepareCsv(bytes: Uint8Array, mapping: ColumnMapping | null): Result<PreparedImport> {
  const decoded = decodeBytes(bytes, mapping?.encoding ?? 'auto');
  const delimiter = mapping?.delimiter ?? guessDelimiter(decoded.text);
  const table = parseCsv(decoded.text, delimiter);
  if (table.fatal) return fail('validation_failed', `line ${table.fatal.line}: ${table.fatal.reason}; nothing was imported`, '/content');
  if (table.header.length === 0) return fail('validation_failed', 'the file is empty: the first line must name the columns', '/content');
  const duplicate = table.header.find((h, i) => table.header.indexOf(h) !== i);
  if (duplicate) return fail('validation_failed', `line 1 names the column "${duplicate}" twice`, '/content');

  const effective = mapping ?? defaultMapping(table.header);
  const bad = unreadableLines(decoded);
  const early: ImportRow[] = table.problems.map((p) => ({ line: p.line, problem: p.reason }));
  const sources: SourceRow[] = [];
  for (const r of table.records) {
    const problem = problemOnLines(r, bad);
    if (problem) {
      early.push({ line: r.line, problem });
      continue;
    }
    sources.push({ line: r.line, values: Object.fromEntries(table.header.map((h, i) => [h, r.fields[i]])) });
  }
  const plan = planMapping(effective, table.header, sources, 'csv');
  if (!plan.ok)
    return mapping ? plan : fail(plan.code, `${plan.message}; give a mapping (--mapping FILE) that says which column is which`, '/mapping');
  const mapRow = plan.value.mapRow;
  return ok({
    format: 'csv',
    encoding: decoded.detected,
    early,
    pending: sources.map((s) => ({ line: s.line, map: () => mapRow(s) })),
    attribution: effective.attribution ?? null,
    notes: [
      `read as ${decoded.detected}`,
      ...(mapping ? [] : [`no mapping given: columns named like report fields were used (${Object.keys(effective.columns).join(', ')})`]),
      ...plan.value.notes,
    ],
  });
}

/** Without a mapping, the delimiter is the one the header line uses most. */
function guessDelimiter(text: string): ',' | ';' | '\t' | '|' {
  const first = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  let best: ',' | ';' | '\t' | '|' = ',';
  let most = 0;
  for (const d of [',', ';', '\t', '|'] as const) {
    const n = first.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}
