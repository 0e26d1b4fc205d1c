import { z } from 'zod';
import { createWriteStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { fromHex, leafDataOf, leafHash, toHex, verifyConsistency, verifyInclusion } from '../../core/journal/merkle';
import { SignedTreeHead, verifyTreeHead } from '../../core/journal/tree-head';
import { certificatesFromPem } from '../../core/journal/timestamp';
import { TreeLog } from '../../runtime/tree-log';
import { describeHead, MonitorState, monitorLog } from '../../runtime/tree-log-monitor';
import { verifyChain } from '../../core/journal/verify';
import { trustedKeys } from '../../runtime/node-key';
import { openStore } from '../../store/open';
import type { JournalStore } from '../../store/contract';
import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';

export async function withStore<T>(target: { data: string; db?: string }, fn: (store: JournalStore) => Promise<T>): Promise<T> {
  const store = await openStore(target.db ? { db: target.db, ...(process.env.ENTENTE_DB_SCHEMA ? { schema: process.env.ENTENTE_DB_SCHEMA } : {}) } : { data: target.data });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function journalCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = parse(rest, { ...STORE_OPTIONS });
    const target = storeTarget(values);
    const keys = target.db ? undefined : trustedKeys(target.data);
    const report = await withStore(target, (store) => verifyChain(store.iterate(0, 5000), keys ? { trustedKeys: keys } : {}));
    if (report.ok) {
      io.stdout(`ok ${report.count} events, head ${report.head}`);
      return 0;
    }
    io.stdout(`bad position ${report.position}: ${report.fault}: ${report.message}`);
    return 1;
  }
  if (sub === 'export') {
    const { values } = parse(rest, { ...STORE_OPTIONS, out: { type: 'string' } });
    const target = storeTarget(values);
    return withStore(target, async (store) => {
      const out = values.out ? createWriteStream(values.out) : null;
      let n = 0;
      for await (const event of store.iterate(0, 5000)) {
        const line = JSON.stringify(event) + '\n';
        if (out) {
          if (!out.write(line)) await once(out, 'drain');
        } else {
          process.stdout.write(line);
        }
        n++;
      }
      if (out) {
        out.end();
        await once(out, 'finish');
        io.stderr(`exported ${n} events to ${values.out}`);
      }
      return 0;
    });
  }
  if (sub === 'prove') return proveCommand(rest, io);
  if (sub === 'consistency') return consistencyCommand(rest, io);
  if (sub === 'monitor') return monitorCommand(rest, io);
  throw new UsageError('journal verify | export | prove | consistency | monitor');
}

// ── The log every party can check (RFC 9162): proofs from a local store or a node's API, always re-verified here.

// Spread where used, not here: cli/main imports this module, so STORE_OPTIONS is not set yet at load.
const NODE_OPTIONS = { url: { type: 'string' }, token: { type: 'string' } } as const;

function wholeNumber(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${flag} takes a whole number of at least ${min}, not "${value}"`);
  return Number(value);
}

/** Reads the tree from the store, once: the CLI does not follow the journal. */
async function withTree<T>(target: { data: string; db?: string }, fn: (tree: TreeLog) => T): Promise<T> {
  return withStore(target, async (store) => {
    const tree = new TreeLog(null, store, { signer: null });
    await tree.open();
    return fn(tree);
  });
}

async function fromNode(url: string, path: string, token: string | undefined): Promise<unknown> {
  const res = await fetch(`${url.replace(/\/+$/, '')}${path}`, {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  const body = (await res.json().catch(() => null)) as { detail?: string } | null;
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}${body?.detail ? `: ${body.detail}` : ''}`);
  return body;
}

function printHead(io: CliIo, head: SignedTreeHead | null, root: string): boolean {
  if (!head) {
    io.stdout("signed head none of this size (the root is the node's own, unsigned)");
    return true;
  }
  const good = verifyTreeHead(head) && head.root === root;
  io.stdout(
    `signed head ${describeHead(head)}, ${head.timestamps.length} time-stamp token(s): ${good ? 'signature ok, root matches' : 'DOES NOT VERIFY against this root'}`,
  );
  return good;
}

async function proveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...STORE_OPTIONS, ...NODE_OPTIONS, position: { type: 'string' }, size: { type: 'string' } });
  const position = wholeNumber(values.position, '--position', 1);
  if (position === undefined) throw new UsageError('journal prove --position N [--size S] [--url URL [--token T] | --data DIR | --db URL]');
  const size = wholeNumber(values.size, '--size', 1);
  const answer = values.url
    ? InclusionAnswer.parse(
        await fromNode(
          values.url,
          `/api/v1/journal/proof?position=${position}${size ? `&size=${size}` : ''}`,
          values.token ?? process.env.ENTENTE_TOKEN,
        ),
      )
    : await withTree(storeTarget(values), (tree) => {
        if (position > tree.size) throw new Error(`position ${position} is not in the journal (positions 1–${tree.size})`);
        return tree.inclusion(position, size);
      });
  const leafData = leafDataOf(answer.leafData);
  const proof = answer.proof.map((h) => fromHex(h) ?? new Uint8Array());
  const root = fromHex(answer.root) ?? new Uint8Array();
  io.stdout(`position ${answer.position} (leaf index ${answer.position - 1}) in the tree of size ${answer.size}`);
  io.stdout(`leaf data  ${answer.leafData}  (the event's chain hash)`);
  io.stdout(`leaf hash  ${toHex(leafHash(leafData))}`);
  io.stdout(`proof      ${answer.proof.length} hash${answer.proof.length === 1 ? '' : 'es'}`);
  for (const h of answer.proof) io.stdout(`  ${h}`);
  io.stdout(`root       ${answer.root}`);
  const headOk = printHead(io, answer.head, answer.root);
  const good = verifyInclusion(leafData, answer.position - 1, answer.size, proof, root);
  io.stdout(good && headOk ? 'verified: the proof recomputes the root' : 'NOT VERIFIED: the proof does not recompute the root');
  return good && headOk ? 0 : 1;
}

async function consistencyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...STORE_OPTIONS, ...NODE_OPTIONS, from: { type: 'string' }, to: { type: 'string' } });
  const from = wholeNumber(values.from, '--from', 0);
  if (from === undefined) throw new UsageError('journal consistency --from SIZE [--to SIZE] [--url URL | --data DIR | --db URL]');
  const to = wholeNumber(values.to, '--to', 0);
  const { answer, heads } = values.url
    ? await (async () => {
        const path = `/api/v1/journal/consistency?from=${from}${to !== undefined ? `&to=${to}` : ''}`;
        const a = ConsistencyAnswer.parse(await fromNode(values.url!, path, values.token ?? process.env.ENTENTE_TOKEN));
        const list = HeadList.parse(
          await fromNode(values.url!, `/api/v1/journal/tree-heads?after=${a.fromSize - 1}&limit=1000`, undefined),
        ).heads;
        return { answer: a, heads: list };
      })()
    : await withTree(storeTarget(values), (tree) => {
        if ((to ?? 0) > tree.size || from > (to ?? tree.size))
          throw new Error(`the journal's tree has sizes 0–${tree.size}; --from must be at most --to`);
        return { answer: tree.consistency(from, to), heads: tree.heads() };
      });
  io.stdout(`from size ${answer.fromSize}, root ${answer.fromRoot}`);
  io.stdout(`to size   ${answer.toSize}, root ${answer.toRoot}`);
  io.stdout(`proof     ${answer.proof.length} hash${answer.proof.length === 1 ? '' : 'es'}`);
  for (const h of answer.proof) io.stdout(`  ${h}`);
  let headsOk = true;
  for (const size of [answer.fromSize, answer.toSize]) {
    const head = heads.find((h) => h.size === size);
    if (head) headsOk = printHead(io, head, size === answer.fromSize ? answer.fromRoot : answer.toRoot) && headsOk;
  }
  const proof = answer.proof.map((h) => fromHex(h) ?? new Uint8Array());
  const good = verifyConsistency(
    answer.fromSize,
    answer.toSize,
    fromHex(answer.fromRoot) ?? new Uint8Array(),
    fromHex(answer.toRoot) ?? new Uint8Array(),
    proof,
  );
  io.stdout(
    good && headsOk
      ? `verified: the tree of size ${answer.fromSize} is a prefix of the tree of size ${answer.toSize}`
      : 'NOT VERIFIED: the proof does not join the two roots',
  );
  return good && headsOk ? 0 : 1;
}

async function monitorCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    { state: { type: 'string' }, 'tsa-ca': { type: 'string', multiple: true }, key: { type: 'string', multiple: true } },
    true,
  );
  const [url, ...extra] = positionals;
  if (!url || extra.length > 0 || !/^https?:\/\//.test(url))
    throw new UsageError('journal monitor URL [--state FILE] [--tsa-ca CA.pem…] [--key PUBLIC-KEY…]');
  const anchors = (values['tsa-ca'] ?? []).flatMap((file) => {
    const certs = certificatesFromPem(readFileSync(file, 'utf8'));
    if (certs.length === 0) throw new UsageError(`--tsa-ca ${file}: no PEM certificate in it`);
    return certs;
  });
  let previous: MonitorState | null = null;
  if (values.state && existsSync(values.state)) {
    const parsed = MonitorState.safeParse(JSON.parse(readFileSync(values.state, 'utf8')));
    if (!parsed.success) throw new Error(`${values.state} is not a monitor state file (${parsed.error.issues[0]!.message})`);
    previous = parsed.data;
  }
  const report = await monitorLog(url, previous, { trustAnchors: anchors, ...(values.key ? { keys: values.key } : {}) });
  for (const line of report.lines) io.stdout(line);
  if (report.failure) io.stderr(report.failure);
  if (values.state) {
    // Written whole, then renamed: a crash never leaves half a state file.
    writeFileSync(`${values.state}.tmp`, JSON.stringify(report.state, null, 2) + '\n');
    renameSync(`${values.state}.tmp`, values.state);
  }
  return report.ok ? 0 : 1;
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const InclusionAnswer = z.object({
  position: z.number().int().min(1),
  size: z.number().int().min(1),
  leafData: Hex64,
  proof: z.array(Hex64),
  root: Hex64,
  head: SignedTreeHead.nullable(),
});
const ConsistencyAnswer = z.object({
  fromSize: z.number().int(),
  toSize: z.number().int(),
  proof: z.array(Hex64),
  fromRoot: Hex64,
  toRoot: Hex64,
});
const HeadList = z.object({ heads: z.array(SignedTreeHead) });
