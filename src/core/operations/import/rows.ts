import type { ReportInput } from '../model';

/**
 * What every importer makes of a file: one entry per row, in file order, each either a report
 * ready for intake or the reason it cannot be one. The line is the file's, so the user finds it.
 */
export type ImportRow = { readonly line: number; readonly input: ReportInput } | { readonly line: number; readonly problem: string };

export const IMPORT_FORMATS = ['ucdp', 'csv', 'geojson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ParsedImport {
  readonly format: ImportFormat;
  /** How the bytes were read (e.g. "Windows-1252 (…)"); null for formats that are always UTF-8 JSON. */
  readonly encoding: string | null;
  readonly rows: readonly ImportRow[];
  /** The licence and citation the data must carry wherever it is shown; also written on each report. */
  readonly attribution: string | null;
  /** Things the user should know that are not errors (ignored columns, the day order found…). */
  readonly notes: readonly string[];
}

/**
 * A file read as far as whole-file checks go (encoding, structure, header, day order): what is left
 * is mapping each row, which is independent per row. Servers map in slices and let other requests
 * through between them; the CLI maps at once.
 */
export interface PreparedImport extends Omit<ParsedImport, 'rows'> {
  /** Rows already known to be bad (a wrong number of fields, an unreadable byte). */
  readonly early: readonly ImportRow[];
  /** Rows still to map, in file order. */
  readonly pending: readonly { readonly line: number; map(): ImportRow }[];
}

export function rowCount(p: PreparedImport): number {
  return p.early.length + p.pending.length;
}

/** Maps every pending row. */
export function mapPrepared(p: PreparedImport): ParsedImport {
  return finish(
    p,
    p.pending.map((u) => u.map()),
  );
}

/** Maps every pending row, calling `pause` every `slice` rows (the caller yields to its event loop there). */
export async function mapPreparedInSlices(p: PreparedImport, pause: (done: number) => Promise<void>, slice = 250): Promise<ParsedImport> {
  const mapped: ImportRow[] = [];
  for (let i = 0; i < p.pending.length; i++) {
    mapped.push(p.pending[i]!.map());
    if ((i + 1) % slice === 0) await pause(i + 1);
  }
  return finish(p, mapped);
}

function finish(p: PreparedImport, mapped: ImportRow[]): ParsedImport {
  const rows = [...p.early, ...mapped].sort((a, b) => a.line - b.line);
  return { format: p.format, encoding: p.encoding, attribution: p.attribution, notes: p.notes, rows };
}

/** How the zod path of a ReportInput problem reads to someone looking at a file row. */
export function describeIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
