/**
 * RFC 4180 CSV, as real exports write it: quoted fields with commas, semicolons, line breaks and
 * doubled quotes; LF or CRLF. Every record knows the line it starts on, so a bad row can be named.
 */

export interface CsvRecord {
  /** 1-based line of the file where the record starts (a quoted field may span several lines). */
  readonly line: number;
  readonly fields: string[];
}

/** A row that cannot be read as it stands: reported with its line, never guessed at. */
export interface RowProblem {
  readonly line: number;
  readonly reason: string;
}

export interface CsvTable {
  readonly header: string[];
  readonly records: CsvRecord[];
  readonly problems: RowProblem[];
  /** Set when the file cannot be read past some point: nothing of it should be trusted. */
  readonly fatal: RowProblem | null;
}

export function parseCsv(text: string, delimiter = ','): CsvTable {
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  const rows: { line: number; fields: string[]; problem: string | null }[] = [];
  let fatal: RowProblem | null = null;

  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let problem: string | null = null;
    // One record: fields until an unquoted line end.
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        let value = '';
        let from = ++i;
        let closed = false;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              value += text.slice(from, i + 1);
              i += 2;
              from = i;
              continue;
            }
            value += text.slice(from, i);
            i++;
            closed = true;
            break;
          }
          if (c === LF) line++;
          i++;
        }
        if (!closed) {
          fatal = {
            line: openLine,
            reason: `the quoted field ${fields.length + 1} opened on line ${openLine} is never closed: the rest of the file cannot be read`,
          };
          break;
        }
        // After the closing quote only a delimiter or the line end may follow.
        const after = i;
        while (i < n && text.charCodeAt(i) !== d && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        if (i > after && problem === null) {
          problem = `field ${fields.length + 1} has text after its closing quote ("${text.slice(after, Math.min(i, after + 20))}")`;
        }
        fields.push(value);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === LF || c === CR) break;
          j++;
        }
        fields.push(text.slice(i, j));
        i = j;
      }
      if (fatal) break;
      const c = text.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      // line end (CRLF, LF or a lone CR) or the end of the text
      if (c === CR) i++;
      if (text.charCodeAt(i) === LF) {
        i++;
        line++;
      }
      break;
    }
    if (fatal) break;
    // A blank line is not a record (files often end with one).
    if (fields.length === 1 && fields[0] === '') continue;
    rows.push({ line: startLine, fields, problem });
  }

  const first = rows.shift();
  const header = first ? first.fields.map((h, k) => (k === 0 ? h.replace(/^\uFEFF/, '') : h).trim()) : [];
  const records: CsvRecord[] = [];
  const problems: RowProblem[] = [];
  for (const r of rows) {
    if (r.problem) problems.push({ line: r.line, reason: r.problem });
    else if (r.fields.length !== header.length) {
      problems.push({
        line: r.line,
        reason: `${r.fields.length} field${r.fields.length === 1 ? '' : 's'} where the header has ${header.length}`,
      });
    } else records.push({ line: r.line, fields: r.fields });
  }
  return { header, records, problems, fatal };
}

/** The reason a record must be refused because one of the lines it spans holds an unreadable byte. */
export function problemOnLines(record: CsvRecord, bad: ReadonlyMap<number, string>): string | null {
  if (bad.size === 0) return null;
  let lines = 1;
  for (const f of record.fields) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) lines++;
  for (let l = record.line; l < record.line + lines; l++) {
    const reason = bad.get(l);
    if (reason) return reason;
  }
  return null;
}
