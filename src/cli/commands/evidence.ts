import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { certificatesFromPem } from '../../core/journal/timestamp';
import { Journal } from '../../runtime/journal';
import { loadOrCreateNodeKey } from '../../runtime/node-key';
import { TreeLog } from '../../runtime/tree-log';
import { parseAuthorities } from '../../runtime/timestamp-client';
import { BlobStore } from '../../runtime/evidence/blob-store';
import { exportPackage, itemsFor, verifyPackage } from '../../runtime/evidence/package';
import { join } from 'node:path';
import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';
import { withStore } from './journal';

const USAGE =
  'evidence export (--case ID | --all) --out DIR [--purpose TEXT] [--as USERNAME] [--tsa URL…] [--data DIR | --db URL]  |  evidence verify DIR [--tsa-cert PEM] [--trust-key BASE64…]';

/**
 * `entente evidence export` writes a self-verifying BagIt package of a case's evidence (or all of it);
 * `entente evidence verify` checks one with nothing but the package: no server, no database.
 */
export async function evidenceCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'export') return exportCommand(rest, io);
  if (sub === 'verify') return verifyCommand(rest, io);
  throw new UsageError(USAGE);
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    ...STORE_OPTIONS,
    case: { type: 'string' },
    all: { type: 'boolean' },
    out: { type: 'string' },
    purpose: { type: 'string' },
    as: { type: 'string' },
    tsa: { type: 'string', multiple: true },
  });
  if (!values.out) throw new UsageError(`--out DIR is required; ${USAGE}`);
  if ((values.case === undefined) === !values.all) throw new UsageError(`give either --case ID or --all; ${USAGE}`);
  const purpose = values.purpose ?? 'evidence package for independent verification';
  if (purpose.trim().length < 3)
    throw new UsageError("--purpose must say why (at least 3 characters): it is recorded in each item's custody log");
  const target = storeTarget(values);
  return withStore(target, async (store) => {
    const signer = loadOrCreateNodeKey(target.data);
    const journal = new Journal(store, signer);
    await journal.open();
    const tree = new TreeLog(journal, store, {
      signer,
      authorities: parseAuthorities(values.tsa ?? process.env.ENTENTE_TSA),
      intervalMs: 0,
      onWarning: (m) => io.stderr(m),
    });
    try {
      await tree.open();
      const ids = itemsFor(journal.image.evidence.items, values.all ? null : values.case!);
      if (ids.length === 0) {
        io.stderr(values.all ? 'there is no evidence to export' : `case ${values.case} has no evidence items`);
        return 1;
      }
      const user = values.as ? journal.image.identity.users.get(values.as) : undefined;
      if (values.as && !user) throw new UsageError(`no user ${values.as}`);
      const result = await exportPackage({
        journal,
        store,
        blobs: new BlobStore(join(target.data, 'evidence', 'blobs')),
        log: tree,
        items: ids,
        out: resolve(values.out!),
        actor: user?.username ?? 'operator (entente evidence export)',
        party: user?.party ?? null,
        purpose,
        now: new Date(),
      });
      if (!result.ok) {
        io.stderr(`entente evidence export: ${result.message}`);
        return 1;
      }
      const r = result.value;
      io.stdout(`exported ${r.items} item(s), ${r.files} files, ${r.bytes} bytes to ${values.out}`);
      io.stdout(
        `export ${r.exportId}; proofs against the tree head of size ${r.head.size} (root ${r.head.root}, key ${r.head.keyId}, ${r.head.timestamps.length} time-stamp token(s))`,
      );
      return 0;
    } finally {
      tree.close();
      await journal.close();
    }
  });
}

async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { 'tsa-cert': { type: 'string', multiple: true }, 'trust-key': { type: 'string', multiple: true } },
    true,
  );
  if (positionals.length !== 1) throw new UsageError(`name one package directory; ${USAGE}`);
  const anchors = (values['tsa-cert'] ?? []).flatMap((f) => certificatesFromPem(readFileSync(f, 'utf8')));
  const report = await verifyPackage(resolve(positionals[0]!), {
    trustAnchors: anchors,
    ...(values['trust-key'] ? { trustedKeys: values['trust-key'] } : {}),
  });
  for (const note of report.notes) io.stdout(`note: ${note}`);
  if (report.ok) {
    const tokens = report.tokens > 0 ? `, ${report.tokens} time-stamp token(s)` : '';
    io.stdout(
      `ok ${report.items} item(s), ${report.events} custody events: every file, hash, custody log and inclusion proof checks${tokens}`,
    );
    return 0;
  }
  for (const problem of report.problems) io.stdout(`bad: ${problem}`);
  io.stdout(`${report.problems.length} problem(s) found`);
  return 1;
}
