import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { processIo, UsageError, type CliIo } from './io';
import { serveCommand } from './commands/serve';
import { journalCommand } from './commands/journal';
import { adminCommand } from './commands/admin';
import { backupCommand, restoreCommand } from './commands/backup';

const HELP = `entente — the working system of a peace process

usage:
  entente serve [--data DIR | --db URL] [--port N] [--host H] [--demo] [--tls-cert F --tls-key F]
      [--tsa URL…] [--tree-head-interval MS]   (RFC 3161 authorities that stamp every signed tree head; default every 60 s)
  entente journal verify [--data DIR | --db URL]
  entente journal export [--data DIR | --db URL] [--out FILE]
  entente journal prove --position N [--size S] [--url URL [--token T] | --data DIR | --db URL]   (inclusion proof, checked)
  entente journal consistency --from SIZE [--to SIZE] [--url URL | --data DIR | --db URL]        (consistency proof, checked)
  entente journal monitor URL [--state FILE] [--tsa-ca CA.pem…] [--key PUBLIC-KEY…]
      (checks every signed tree head and that each is a prefix of the next; exits 1 naming the heads on a rewrite)
  entente admin create-party --id ID --name NAME --kind state|organisation|mechanism [--data DIR | --db URL]
  entente admin create-user --party ID --role ROLE [--role ROLE…] --username NAME [--display-name TEXT]   (password on stdin)
  entente admin create-token --username NAME [--scope S…] [--label TEXT]   (prints the token once)
  entente admin grant --username NAME --grant NAME
  entente backup --out FILE [--data DIR | --db URL]      (consistent while serving)
  entente restore --from FILE [--data DIR | --db URL]    (into an empty store)
  entente framework validate|hash|diff|export|schema …
  entente coverage FILE [--json] [--strict]   (who responds to which breach, where; exits 1 on a gap or dead end)
  entente stress FRAMEWORK --scenario FILE --runs N --seed K [--out DIR] [--compare CLAUSE]   (simulated breaches against the rules; see docs/stress-api.md)
  entente evidence export (--case ID | --all) --out DIR [--purpose TEXT] [--as USERNAME] [--tsa URL…]   (a self-verifying BagIt package)
  entente evidence verify DIR [--tsa-cert PEM] [--trust-key BASE64…]   (no server, no database; names what fails)
  entente process sequence|slip MEETING --days N|ics MEETING [--out FILE] [--data DIR | --db URL]   (critical path, what blocks, slips, iCalendar)
  entente prosperity status|export iati|ocds [--out FILE] [--at INSTANT] [--data DIR | --db URL]   (tranches and why they wait; IATI 2.03 / OCDS 1.1 open data)
  entente exchanges destroy-keys --party ID [--data DIR | --db URL]   (retention: identities sealed for the party become unreadable)
  entente import ucdp|csv|geojson FILE [--mapping MAPPING.json] [--on-error stop|skip] [--as USERNAME] [--dry-run] [--data DIR | --db URL]
      (--encoding auto|utf-8|windows-1252 and --date-order dmy|mdy when the file cannot tell; see docs/operations-api.md)

Every command that takes --data DIR also takes --db URL (or the ENTENTE_DB environment variable);
with --db, --data names the directory that holds this node's signing key.
`;

export type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  journal: journalCommand,
  admin: adminCommand,
  backup: backupCommand,
  restore: restoreCommand,
  import: async (args, io) => (await import('./commands/import')).importCommand(args, io),
  coverage: async (args, io) => (await import('./commands/coverage')).coverageCommand(args, io),
  stress: async (args, io) => (await import('./commands/stress')).stressCommand(args, io),
  evidence: async (args, io) => (await import('./commands/evidence')).evidenceCommand(args, io),
  process: async (args, io) => (await import('./commands/process')).processCommand(args, io),
  prosperity: async (args, io) => (await import('./commands/prosperity')).prosperityCommand(args, io),
  exchanges: async (args, io) => (await import('./commands/exchanges')).exchangesCommand(args, io),
  framework: async (args, io) => {
    const { frameworkCommand } = await import('./commands/framework');
    // --data/--db name a store whose recorded versions `diff` may compare by number.
    const storeArgs: { data?: string; db?: string } = {};
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if ((a === '--data' || a === '--db') && i + 1 < args.length) storeArgs[a === '--data' ? 'data' : 'db'] = args[++i]!;
      else rest.push(a);
    }
    if (!storeArgs.data && !storeArgs.db) return frameworkCommand(rest, io);
    const { withStore } = await import('./commands/journal');
    const { Journal } = await import('../runtime/journal');
    return withStore(storeTarget(storeArgs), async (store) => {
      const journal = new Journal(store, null);
      await journal.open();
      try {
        return await frameworkCommand(rest, {
          ...io,
          loadStored: async (ref) => {
            const v = journal.image.framework.versions[Number(ref) - 1];
            return v ? (journal.image.framework.documents.get(v.hash) ?? null) : null;
          },
        });
      } finally {
        await journal.close();
      }
    });
  },
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`entente: unknown command "${name}"; run entente --help`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`entente ${name}: ${error.message}`);
      return 2;
    }
    // Operator-facing: one line, no stack trace (set ENTENTE_DEBUG=1 to see it).
    io.stderr(`entente ${name}: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.ENTENTE_DEBUG && error instanceof Error && error.stack) io.stderr(error.stack);
    return 1;
  }
}

/** parseArgs with our usage errors, and --data/--db resolved the same way everywhere. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

export const STORE_OPTIONS = {
  data: { type: 'string' },
  db: { type: 'string' },
} as const;

export function storeTarget(values: { data?: string | undefined; db?: string | undefined }): { data: string; db?: string } {
  // With --db, --data still names where this node keeps its key (checkpoint signatures).
  const db = values.db ?? (values.data ? undefined : process.env.ENTENTE_DB);
  const data = resolve(values.data ?? process.env.ENTENTE_DATA ?? './entente-data');
  return db ? { data, db } : { data };
}
