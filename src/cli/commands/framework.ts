import { writeFile as fsWriteFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { diffFrameworks, formatDiff } from '../../core/framework/diff';
import { exportAkomaNtoso } from '../../core/framework/export/akoma-ntoso';
import { exportDocx } from '../../core/framework/export/docx';
import { exportMarkdown } from '../../core/framework/export/markdown';
import { hashFramework } from '../../core/framework/hash';
import { frameworkJsonSchema, type Framework } from '../../core/framework/model';
import { validateFramework, type Problem } from '../../core/framework/validate';

/**
 * `entente framework …`: a thin adapter from the command line to core/framework. Reading and writing
 * files is the only thing it adds; every decision is the core's.
 */

export interface FrameworkIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** Defaults to the file system; tests pass their own. */
  writeFile?(path: string, data: string | Uint8Array): Promise<void>;
  /** A version recorded in the journal, by number (`3` or `v3`), when a store was named. */
  loadStored?(ref: string): Promise<Framework | null>;
}

const USAGE = `usage:
  entente framework validate FILE [--strict]
  entente framework hash FILE
  entente framework diff A B [--json]           (files, or version numbers with --data DIR | --db URL)
  entente framework export FILE --format md|docx|akn [--languages en,uk] [--out PATH]
  entente framework schema`;

export async function frameworkCommand(argv: string[], io: FrameworkIo): Promise<number> {
  const [sub, ...rest] = argv;
  let args: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    args = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        strict: { type: 'boolean' },
        json: { type: 'boolean' },
        format: { type: 'string' },
        languages: { type: 'string' },
        out: { type: 'string' },
      },
    });
  } catch (e) {
    return usage(io, (e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = args;
  switch (sub) {
    case 'validate':
      if (positionals.length !== 1) return usage(io, 'validate takes one FILE');
      return validate(positionals[0]!, values.strict === true, io);
    case 'hash':
      if (positionals.length !== 1) return usage(io, 'hash takes one FILE');
      return hash(positionals[0]!, io);
    case 'diff':
      if (positionals.length !== 2) return usage(io, 'diff takes two files or stored versions, A and B');
      return diff(positionals[0]!, positionals[1]!, values.json === true, io);
    case 'export': {
      if (positionals.length !== 1) return usage(io, 'export takes one FILE');
      const format = values.format;
      if (format !== 'md' && format !== 'docx' && format !== 'akn') return usage(io, '--format must be md, docx or akn');
      const languages =
        typeof values.languages === 'string'
          ? values.languages
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
      return exportFile(positionals[0]!, format, languages, typeof values.out === 'string' ? values.out : undefined, io);
    }
    case 'schema':
      io.stdout(JSON.stringify(frameworkJsonSchema(), null, 2) + '\n');
      return 0;
    case undefined:
    case 'help':
    case '--help':
      io.stdout(USAGE + '\n');
      return sub === undefined ? 2 : 0;
    default:
      return usage(io, `unknown subcommand "${sub}"`);
  }
}

function usage(io: FrameworkIo, message: string): number {
  io.stderr(`entente framework: ${message}\n${USAGE}\n`);
  return 2;
}

function line(file: string, p: Problem): string {
  return `${file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`;
}

async function read(file: string, io: FrameworkIo): Promise<string | null> {
  try {
    return await io.readFile(file);
  } catch (e) {
    io.stderr(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return null;
  }
}

/** Reads and validates; on errors prints them (to stderr) and returns null. */
async function load(file: string, io: FrameworkIo): Promise<Framework | null> {
  const text = await read(file, io);
  if (text === null) return null;
  const report = validateFramework(text, file);
  if (!report.document) {
    const errors = report.problems.filter((p) => p.severity === 'error');
    io.stderr(
      errors.map((p) => line(file, p)).join('\n') + `\n${file}: ${errors.length} error(s); run "entente framework validate ${file}"\n`,
    );
    return null;
  }
  return report.document;
}

async function validate(file: string, strict: boolean, io: FrameworkIo): Promise<number> {
  const text = await read(file, io);
  if (text === null) return 1;
  const report = validateFramework(text, file, { strict });
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const warnings = report.problems.length - errors;
  if (report.problems.length > 0) io.stdout(report.problems.map((p) => line(file, p)).join('\n') + '\n');
  io.stdout(`${file}: ${errors === 0 ? 'valid' : 'invalid'}, ${errors} error(s), ${warnings} warning(s)\n`);
  return errors === 0 ? 0 : 1;
}

async function hash(file: string, io: FrameworkIo): Promise<number> {
  const doc = await load(file, io);
  if (!doc) return 1;
  const h = hashFramework(doc);
  io.stdout([`sha256 ${h.sha256}`, ...Object.entries(h.languages).map(([lang, hex]) => `${lang} ${hex}`)].join('\n') + '\n');
  return 0;
}

async function diff(fileA: string, fileB: string, json: boolean, io: FrameworkIo): Promise<number> {
  const pick = async (ref: string) => {
    if (io.loadStored && /^v?\d+$/.test(ref)) {
      const doc = await io.loadStored(ref.replace(/^v/, ''));
      if (!doc) io.stderr(`there is no stored version ${ref}\n`);
      return doc;
    }
    return load(ref, io);
  };
  const a = await pick(fileA);
  const b = await pick(fileB);
  if (!a || !b) return 1;
  const d = diffFrameworks(a, b);
  io.stdout(json ? JSON.stringify(d, null, 2) + '\n' : formatDiff(d));
  return 0;
}

async function exportFile(
  file: string,
  format: 'md' | 'docx' | 'akn',
  languages: string[] | undefined,
  out: string | undefined,
  io: FrameworkIo,
): Promise<number> {
  const doc = await load(file, io);
  if (!doc) return 1;
  const unknown = (languages ?? []).filter((l) => !doc.process.languages.includes(l));
  if (unknown.length > 0) {
    io.stderr(
      `${file}: ${unknown.join(', ')} is not a working language of this framework (declared: ${doc.process.languages.join(', ')})\n`,
    );
    return 1;
  }
  let data: string | Uint8Array;
  if (format === 'md') data = exportMarkdown(doc, { languages });
  else if (format === 'akn') {
    if (languages && languages.length > 1) io.stderr(`Akoma Ntoso holds one language per document: exporting ${languages[0]}\n`);
    data = exportAkomaNtoso(doc, { language: languages?.[0] });
  } else data = await exportDocx(doc, { languages });

  if (out === undefined) {
    if (typeof data !== 'string') return usage(io, 'DOCX is binary: give --out PATH');
    io.stdout(data);
    return 0;
  }
  const write = io.writeFile ? io.writeFile.bind(io) : (p: string, d: string | Uint8Array) => fsWriteFile(p, d);
  try {
    await write(out, data);
  } catch (e) {
    io.stderr(`${out}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  io.stderr(`wrote ${out} (${typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength} bytes)\n`);
  return 0;
}
