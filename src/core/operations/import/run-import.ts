import type { ReportInput } from '../model';
import type { RowProblem } from './csv';
import type { ParsedImport } from './rows';

/**
 * Running an import: the parsed rows go to intake in batches, with progress after each batch.
 * Intake is reached through a `ReportSink`, so the same run serves the CLI (a store opened on disk)
 * and the server (its live journal).
 */

/** What intake made of one report. */
export type SinkOutcome =
  | { readonly kind: 'imported'; readonly id: string }
  /** A report with the same externalRef is already stored (by an earlier import or another node). */
  | { readonly kind: 'duplicate'; readonly id: string | null }
  /** Intake refused this report (its reason is shown with the row's line). */
  | { readonly kind: 'refused'; readonly reason: string }
  /** The journal could not be written: the import cannot go on. */
  | { readonly kind: 'unavailable'; readonly reason: string };

/**
 * Hands reports to intake, one outcome per input in the same order. Each report is stored whole or
 * not at all. With `dryRun` nothing is stored: the outcomes say what would happen.
 */
export type ReportSink = (inputs: readonly ReportInput[], options: { readonly dryRun: boolean }) => Promise<SinkOutcome[]>;

export const ON_ERROR = ['stop', 'skip'] as const;
export type OnError = (typeof ON_ERROR)[number];

/** queued → reading (rows mapped; servers only) → checking (under stop: intake asked first) → importing → done | stopped | failed */
export const IMPORT_STATES = ['queued', 'reading', 'checking', 'importing', 'done', 'stopped', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export interface ImportProgress {
  state: ImportState;
  /** Rows in the file (records after the header, or features). */
  total: number;
  /** Rows dealt with so far: imported, duplicate or skipped. */
  done: number;
  imported: number;
  duplicates: number;
  /** Rows left out under `--on-error skip`, with their line and reason. */
  skipped: RowProblem[];
  /** Every bad row found (under `stop`, the reason nothing was stored). */
  errors: RowProblem[];
  /** One sentence for the person who started the import. */
  message: string;
}

export interface RunOptions {
  readonly onError: OnError;
  /** Reports handed to intake at once (they share group commits). */
  readonly batchSize?: number;
  readonly onProgress?: (progress: Readonly<ImportProgress>) => void;
  /** Called between batches; a server yields to its event loop there (deciding a batch is synchronous work). */
  readonly pause?: () => Promise<void>;
}

/** The most bad rows kept in a progress record: a hopeless file should not fill the memory. */
export const MAX_LISTED_ROWS = 1000;

export async function runImport(parsed: ParsedImport, sink: ReportSink, options: RunOptions): Promise<ImportProgress> {
  const batchSize = options.batchSize ?? 500;
  const p: ImportProgress = {
    state: 'checking',
    total: parsed.rows.length,
    done: 0,
    imported: 0,
    duplicates: 0,
    skipped: [],
    errors: [],
    message: '',
  };
  const report = () => options.onProgress?.({ ...p, skipped: [...p.skipped], errors: [...p.errors] });
  const listError = (e: RowProblem) => {
    if (p.errors.length < MAX_LISTED_ROWS) p.errors.push(e);
  };

  // The same record twice in one file is one report: later copies count as duplicates.
  const seen = new Set<string>();
  const entries: ({ line: number; input: ReportInput; copy: boolean } | { line: number; problem: string })[] = parsed.rows.map((row) => {
    if ('problem' in row) return row;
    const ref = row.input.externalRef;
    const copy = ref !== undefined && seen.has(ref);
    if (ref !== undefined) seen.add(ref);
    return { line: row.line, input: row.input, copy };
  });
  let badRows = 0;
  for (const e of entries) {
    if ('problem' in e) {
      badRows++;
      listError({ line: e.line, reason: e.problem });
    }
  }
  report();

  if (options.onError === 'stop') {
    if (badRows > 0)
      return finish(
        'stopped',
        `${badRows} row${badRows === 1 ? '' : 's'} cannot be imported (first: line ${p.errors[0]!.line}); nothing was stored`,
      );
    // Intake may refuse what parsed well (a time in the future…): ask it first, so that `stop` stores nothing.
    const fresh = entries.filter((e): e is { line: number; input: ReportInput; copy: boolean } => 'input' in e && !e.copy);
    for (let i = 0; i < fresh.length; i += batchSize) {
      const slice = fresh.slice(i, i + batchSize);
      const outcomes = await sink(
        slice.map((e) => e.input),
        { dryRun: true },
      );
      outcomes.forEach((o, k) => {
        if (o.kind === 'refused') {
          badRows++;
          listError({ line: slice[k]!.line, reason: o.reason });
        }
      });
      await options.pause?.();
      const unavailable = outcomes.find((o) => o.kind === 'unavailable');
      if (unavailable && unavailable.kind === 'unavailable') return finish('failed', `${unavailable.reason}; nothing was stored`);
    }
    if (badRows > 0)
      return finish(
        'stopped',
        `intake refused ${badRows} row${badRows === 1 ? '' : 's'} (first: line ${p.errors[0]!.line}); nothing was stored`,
      );
  }

  p.state = 'importing';
  report();
  for (let i = 0; i < entries.length; i += batchSize) {
    const slice = entries.slice(i, i + batchSize);
    const toStore = slice.filter((e): e is { line: number; input: ReportInput; copy: boolean } => 'input' in e && !e.copy);
    const outcomes =
      toStore.length > 0
        ? await sink(
            toStore.map((e) => e.input),
            { dryRun: false },
          )
        : [];
    for (const e of slice) {
      if ('problem' in e) {
        if (p.skipped.length < MAX_LISTED_ROWS) p.skipped.push({ line: e.line, reason: e.problem });
        p.done++;
      } else if (e.copy) {
        p.duplicates++;
        p.done++;
      }
    }
    for (let k = 0; k < toStore.length; k++) {
      const o = outcomes[k]!;
      const line = toStore[k]!.line;
      if (o.kind === 'imported') p.imported++;
      else if (o.kind === 'duplicate') p.duplicates++;
      else if (o.kind === 'unavailable') {
        return finish(
          'failed',
          `${o.reason}; stopped at line ${line} with ${p.imported} report${p.imported === 1 ? '' : 's'} stored (importing the file again adds only the rest)`,
        );
      } else {
        listError({ line, reason: o.reason });
        if (options.onError === 'stop') {
          return finish(
            'stopped',
            `intake refused line ${line}: ${o.reason}; ${p.imported} report${p.imported === 1 ? ' was' : 's were'} stored before it (importing the file again adds only the rest)`,
          );
        }
        if (p.skipped.length < MAX_LISTED_ROWS) p.skipped.push({ line, reason: o.reason });
      }
      p.done++;
    }
    report();
    await options.pause?.();
  }
  const skipped = p.done - p.imported - p.duplicates;
  return finish(
    'done',
    `${p.imported} report${p.imported === 1 ? '' : 's'} imported, ${p.duplicates} already there${skipped > 0 ? `, ${skipped} row${skipped === 1 ? '' : 's'} skipped` : ''}`,
  );

  function finish(state: ImportState, message: string): ImportProgress {
    p.state = state;
    p.message = message;
    p.skipped.sort((a, b) => a.line - b.line);
    p.errors.sort((a, b) => a.line - b.line);
    report();
    return p;
  }
}
