import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { decide } from '../../core/access/policy';
import type { Principal } from '../../core/access/roles';
import { importSink } from '../../core/operations/import/journal-sink';
import { parseMapping, type ColumnMapping } from '../../core/operations/import/mapping';
import { readImport } from '../../core/operations/import/read-import';
import type { Reporter } from '../../core/operations/report';
import { IMPORT_FORMATS, type ImportFormat } from '../../core/operations/import/rows';
import { ON_ERROR, runImport, type ImportProgress, type OnError, type ReportSink } from '../../core/operations/import/run-import';
import { Journal } from '../../runtime/journal';
import { loadOrCreateNodeKey } from '../../runtime/node-key';
import { Reactions } from '../../runtime/reactions';
import { REACTORS } from '../../runtime/reactors';
import { makeLogger } from '../../server/app';
import { intakeAccess } from '../../server/routes/imports';
import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';
import { withStore } from './journal';

export const IMPORT_USAGE =
  'import ucdp|csv|geojson FILE [--mapping MAPPING.json] [--on-error stop|skip] [--as USERNAME] [--dry-run] [--data DIR | --db URL]';

/**
 * `entente import FORMAT FILE`: reads the file, shows progress on the terminal, and hands every row
 * to intake through this node's journal (a running server on the same store sees the reports at once).
 */
export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      ...STORE_OPTIONS,
      mapping: { type: 'string' },
      'on-error': { type: 'string' },
      encoding: { type: 'string' },
      'date-order': { type: 'string' },
      as: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'batch-size': { type: 'string' },
    },
    true,
  );
  const [format, file, ...extra] = positionals;
  if (!format || !(IMPORT_FORMATS as readonly string[]).includes(format) || !file || extra.length > 0) throw new UsageError(IMPORT_USAGE);
  const onError = (values['on-error'] ?? 'stop') as OnError;
  if (!(ON_ERROR as readonly string[]).includes(onError))
    throw new UsageError('--on-error is stop (store nothing when a row is bad) or skip (import the rest, list the bad lines)');
  const encoding = values.encoding ?? 'auto';
  if (!['auto', 'utf-8', 'windows-1252'].includes(encoding)) throw new UsageError('--encoding is auto, utf-8 or windows-1252');
  const dayOrder = values['date-order'];
  if (dayOrder !== undefined && dayOrder !== 'dmy' && dayOrder !== 'mdy')
    throw new UsageError('--date-order is dmy (31/01/2015) or mdy (01/31/2015)');
  const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new UsageError('--batch-size is a whole number from 1 to 10000');
  if (format === 'ucdp' && values.mapping) throw new UsageError('a UCDP GED file needs no --mapping: its columns are fixed');

  let mapping: ColumnMapping | null = null;
  if (values.mapping) {
    let json: unknown;
    try {
      json = JSON.parse(await io.readFile(values.mapping));
    } catch (error) {
      throw new UsageError(
        `--mapping ${values.mapping}: ${error instanceof SyntaxError ? `not JSON: ${error.message}` : (error as Error).message}`,
      );
    }
    // Options given on the command line win over the mapping file's.
    const withFlags =
      json && typeof json === 'object' ? { ...json, ...(values.encoding ? { encoding } : {}), ...(dayOrder ? { dayOrder } : {}) } : json;
    const parsed = parseMapping(withFlags);
    if (!parsed.ok) throw new UsageError(`--mapping ${values.mapping}: ${parsed.message}`);
    mapping = parsed.value;
  } else if (format === 'csv' && (values.encoding || dayOrder)) {
    throw new UsageError('for csv, --encoding and --date-order go in the mapping file ("encoding", "dayOrder")');
  }

  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  const started = performance.now();
  const parsed = readImport(format as ImportFormat, bytes, {
    mapping,
    ...(format === 'ucdp' ? { encoding: encoding as 'auto' | 'utf-8' | 'windows-1252' } : {}),
    ...(dayOrder ? { dayOrder: dayOrder as 'dmy' | 'mdy' } : {}),
  });
  if (!parsed.ok) {
    io.stderr(`entente import: ${basename(file)}: ${parsed.message}`);
    return 1;
  }
  const contents = parsed.value;
  io.stderr(
    `${basename(file)}: ${contents.rows.length} row${contents.rows.length === 1 ? '' : 's'}${contents.encoding ? `, ${contents.encoding}` : ''}`,
  );
  for (const note of contents.notes.filter((n) => !n.startsWith('read as'))) io.stderr(`note: ${note}`);

  const target = storeTarget(values);
  mkdirSync(target.data, { recursive: true });
  return withStore(target, async (store) => {
    const journal = new Journal(store, loadOrCreateNodeKey(target.data));
    await journal.open();
    const log = makeLogger(process.env.ENTENTE_LOG_LEVEL ?? 'warn', process.stderr);
    // Imported reports are incidents like any other: deconfliction and triggers react to them here too.
    const reactions = new Reactions(journal, REACTORS, log);
    reactions.start();
    let result: ImportProgress;
    try {
      const reporter = whoImports(journal, values.as);
      const stored = importSink(intakeAccess({ journal, now: () => new Date() }), reporter);
      const sink: ReportSink = values['dry-run'] ? (inputs) => stored(inputs, { dryRun: true }) : stored;
      const progress = terminalProgress(process.stderr);
      result = await runImport(contents, sink, { onError, batchSize, onProgress: progress.update });
      progress.end();
    } finally {
      await reactions.stop();
      // Closing signs the last checkpoint: the head printed below is the one the store keeps.
      await journal.close();
    }
    printSummary(io, result, {
      dryRun: values['dry-run'] ?? false,
      seconds: (performance.now() - started) / 1000,
      attribution: contents.attribution,
      head: journal.head,
    });
    return result.state === 'done' ? 0 : 1;
  });
}

/** The CLI acts for an operator; `--as` names the monitor or mediator the reports are filed by. */
function whoImports(journal: Journal, username: string | undefined): Reporter {
  if (username === undefined) return { username: 'import-cli', party: null, roles: [] };
  const user = journal.image.identity.users.get(username);
  if (!user) throw new UsageError(`--as ${username}: no such user`);
  const principal: Principal = {
    kind: 'user',
    id: user.id,
    username,
    party: user.party,
    roles: user.roles,
    grants: user.grants,
    scopes: null,
  };
  const decision = decide(principal, 'report.import');
  if (!decision.allowed) throw new UsageError(`--as ${username}: ${decision.message}`);
  return { username, party: user.party, roles: user.roles };
}

function printSummary(
  io: CliIo,
  p: ImportProgress,
  f: { dryRun: boolean; seconds: number; attribution: string | null; head: number },
): void {
  const rate = p.done > 0 && f.seconds > 0 ? `, ${Math.round(p.done / f.seconds)} rows/s` : '';
  if (p.state === 'done') {
    io.stdout(`${f.dryRun ? '(dry run: nothing stored) ' : ''}${p.message} in ${f.seconds.toFixed(1)} s${rate}; journal head ${f.head}`);
  } else {
    io.stdout(`import ${p.state}: ${p.message}`);
  }
  const listed = p.state === 'done' ? p.skipped : p.errors;
  if (listed.length > 0) {
    io.stdout(
      p.state === 'done' ? `skipped lines (${listed.length}):` : `bad lines (${listed.length}${listed.length >= 1000 ? '+' : ''}):`,
    );
    for (const s of listed) io.stdout(`  line ${s.line}: ${s.reason}`);
    if (p.state === 'stopped' && p.imported === 0) io.stdout('run again with --on-error skip to import the other rows and leave these out');
  }
  if (f.attribution) io.stdout(f.attribution);
}

/**
 * A bar redrawn in place on a terminal; elsewhere (logs, CI, a test's pipe) one line every ~2 s or
 * 10 %, so the output stays readable.
 */
function terminalProgress(out: NodeJS.WriteStream): { update: (p: Readonly<ImportProgress>) => void; end: () => void } {
  const tty = out.isTTY === true;
  let lastLine = 0;
  let lastShare = 0;
  let lastDone = 0;
  let drawn = false;
  return {
    update(p) {
      if (p.total === 0 || p.state === 'checking') return;
      const share = p.done / p.total;
      const counts = `${p.done}/${p.total} rows, ${p.imported} imported, ${p.duplicates} already there${p.skipped.length ? `, ${p.skipped.length} skipped` : ''}`;
      if (tty) {
        const width = 30;
        const full = Math.round(share * width);
        out.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.floor(share * 100)).padStart(3)}% ${counts}\x1b[K`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (p.done === lastDone) return;
      if (p.done === p.total || now - lastLine >= 2000 || share - lastShare >= 0.1) {
        lastDone = p.done;
        out.write(`progress: ${Math.floor(share * 100)}% ${counts}\n`);
        lastLine = now;
        lastShare = share;
      }
    },
    end() {
      if (tty && drawn) out.write('\n');
    },
  };
}
