import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { fail, ok, type Result } from '../../core/errors';
import { decideExport } from '../../core/evidence/custody';
import { extensionOf } from '../../core/evidence/sniff';
import type { EvidenceItem } from '../../core/evidence/state';
import {
  BAGIT_TXT,
  bagInfoText,
  checkCustody,
  checkHeadSignatures,
  checkProofs,
  manifestText,
  parseBagInfo,
  parseHeads,
  parseManifest,
  type ManifestEntry,
  type PackagedItem,
  type PackagedProof,
} from '../../core/evidence/package';
import { canonicalize } from '../../core/journal/canonical';
import type { JournalEvent } from '../../core/journal/envelope';
import { treeHeadMessage, type SignedTreeHead } from '../../core/journal/tree-head';
import { verifyTimestampToken } from '../../core/journal/timestamp';
import type { JournalStore } from '../../store/contract';
import type { Journal } from '../journal';
import type { BlobStore } from './blob-store';

/** What the export needs of the journal's Merkle tree (src/runtime/tree-log.ts). */
export interface ProvingLog {
  signHead(): Promise<Result<SignedTreeHead>>;
  inclusion(position: number, size?: number): { position: number; size: number; leafData: string; proof: string[]; root: string };
}

export interface ExportOptions {
  readonly journal: Journal;
  readonly store: JournalStore;
  readonly blobs: BlobStore;
  readonly log: ProvingLog;
  readonly items: readonly string[];
  readonly out: string;
  readonly actor: string;
  readonly party: string | null;
  readonly purpose: string;
  readonly now: Date;
}

export interface ExportSummary {
  readonly exportId: string;
  readonly items: number;
  readonly files: number;
  readonly bytes: number;
  readonly head: SignedTreeHead;
}

/** A case's items and each one's derivatives (a derivative of a derivative too). */
export function itemsFor(items: ReadonlyMap<string, EvidenceItem>, caseId: string | null): string[] {
  const chosen = [...items.values()].filter((i) => caseId === null || i.caseId === caseId).map((i) => i.id);
  const seen = new Set(chosen);
  for (let k = 0; k < chosen.length; k++) {
    for (const d of items.get(chosen[k]!)!.derivatives) {
      if (!seen.has(d)) {
        seen.add(d);
        chosen.push(d);
      }
    }
  }
  return chosen;
}

class HashingWriter {
  readonly entries: ManifestEntry[] = [];
  bytes = 0;
  constructor(readonly root: string) {}

  write(path: string, content: string | Uint8Array): void {
    const full = join(this.root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    this.entries.push({ path, sha256: createHash('sha256').update(buf).digest('hex') });
    this.bytes += buf.length;
  }

  async copy(path: string, from: NodeJS.ReadableStream): Promise<string> {
    const full = join(this.root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    const hash = createHash('sha256');
    let n = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        n += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(from, tap, createWriteStream(full, { flags: 'wx' }));
    const sha256 = hash.digest('hex');
    this.entries.push({ path, sha256 });
    this.bytes += n;
    return sha256;
  }
}

/**
 * Writes a BagIt package of the chosen items. The export is itself custody: one `evidence.exported`
 * per item is appended first, then a tree head is signed over the journal including them, and every
 * custody event of every item goes in with its inclusion proof against that head.
 */
export async function exportPackage(o: ExportOptions): Promise<Result<ExportSummary>> {
  if (existsSync(o.out) && readdirSync(o.out).length > 0) return fail('refused', `${o.out} is not empty: export into a new directory`);
  if (o.items.length === 0) return fail('not_found', 'there is no evidence item to export');
  const state = o.journal.image.evidence;
  for (const id of o.items) {
    const item = state.items.get(id);
    if (!item) return fail('not_found', `no evidence item ${id}`);
    if (!o.blobs.has(item.file.sha256))
      return fail('unavailable', `the file of item ${id} (sha256 ${item.file.sha256}) is not in this node's blob store`);
  }
  const exportId = randomUUID();
  const drafts = decideExport(state, o.items, exportId, o.purpose);
  if (!drafts.ok) return drafts;
  const appended = await o.journal.append({ drafts: drafts.value, actor: o.actor, party: o.party });
  if (!appended.ok) return appended;
  const head = await o.log.signHead();
  if (!head.ok) return fail(head.code, `the export was recorded but no tree head could be signed for its proofs: ${head.message}`);

  mkdirSync(o.out, { recursive: true });
  const payload = new HashingWriter(o.out);
  for (const id of o.items) {
    const item = state.items.get(id)!;
    const dir = `data/items/${id}`;
    await payload.copy(`${dir}/${item.file.sha256}.${extensionOf(item.file.mediaType)}`, o.blobs.open(item.file.sha256));
    const events = await custodyEvents(o.store, item);
    const { custody: _custody, ...meta } = item;
    payload.write(`${dir}/item.json`, JSON.stringify({ ...meta, custodyEvents: events.length }, null, 2) + '\n');
    payload.write(`${dir}/custody.jsonl`, events.map((e) => canonicalize(e) + '\n').join(''));
    const proofs: Record<string, PackagedProof> = {};
    for (const e of events) {
      const p = o.log.inclusion(e.position, head.value.size);
      proofs[String(e.position)] = { position: p.position, size: p.size, leafData: p.leafData, proof: p.proof, root: p.root };
    }
    payload.write(`${dir}/proofs.json`, JSON.stringify(proofs, null, 2) + '\n');
  }
  payload.write('data/tree-heads.json', JSON.stringify([head.value], null, 2) + '\n');
  head.value.timestamps.forEach((t, n) => payload.write(`data/timestamps/${head.value.size}-${n + 1}.tsr`, Buffer.from(t.token, 'base64')));

  const tag = new HashingWriter(o.out);
  tag.write('bagit.txt', BAGIT_TXT);
  writeFileSync(join(o.out, 'manifest-sha256.txt'), manifestText(payload.entries));
  tag.entries.push({
    path: 'manifest-sha256.txt',
    sha256: createHash('sha256')
      .update(readFileSync(join(o.out, 'manifest-sha256.txt')))
      .digest('hex'),
  });
  tag.write(
    'bag-info.txt',
    bagInfoText({
      'Source-Organization': 'Entente — monitoring and verification of the ceasefire',
      'Bagging-Date': o.now.toISOString().slice(0, 10),
      'Payload-Oxum': `${payload.bytes}.${payload.entries.length}`,
      'External-Description': `Evidence package: ${o.items.length} item(s), their custody logs, inclusion proofs and signed tree heads. Check with: entente evidence verify DIR`,
      'Entente-Export-Id': exportId,
      'Entente-Items': String(o.items.length),
      'Entente-Tree-Size': String(head.value.size),
      'Entente-Tree-Key': head.value.keyId,
      'Entente-Purpose': o.purpose,
    }),
  );
  writeFileSync(join(o.out, 'tagmanifest-sha256.txt'), manifestText(tag.entries));
  return ok({ exportId, items: o.items.length, files: payload.entries.length, bytes: payload.bytes, head: head.value });
}

async function custodyEvents(store: JournalStore, item: EvidenceItem): Promise<JournalEvent[]> {
  const out: JournalEvent[] = [];
  for (const c of item.custody) {
    const [event] = await store.read(c.position - 1, 1);
    if (event) out.push(event);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Verification: with the package alone (no server, no database).

export interface VerifyOptions {
  /** CA certificates (DER) the time-stamping authorities' certificates must chain to. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** Public keys (base64) of nodes whose tree heads are trusted; absent, any valid signature counts and the key is reported. */
  readonly trustedKeys?: readonly string[];
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly problems: string[];
  readonly notes: string[];
  readonly items: number;
  readonly events: number;
  /** Time-stamp tokens checked (and found good, when the report is ok). */
  readonly tokens: number;
}

function walk(root: string, dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    return statSync(join(root, path)).isDirectory() ? walk(root, path) : [path];
  });
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  stream.on('data', (chunk) => hash.update(chunk as Buffer));
  await once(stream, 'end');
  return hash.digest('hex');
}

export async function verifyPackage(root: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: string[] = [];
  const notes: string[] = [];
  let tokens = 0;
  const done = (items = 0, events = 0): VerifyReport => ({ ok: problems.length === 0, problems, notes, items, events, tokens });
  if (!existsSync(join(root, 'bagit.txt'))) {
    problems.push(`${root} is not a BagIt package: bagit.txt is missing`);
    return done();
  }
  if (!/^BagIt-Version: 1\.\d+\r?\nTag-File-Character-Encoding: UTF-8\r?\n?$/.test(readFileSync(join(root, 'bagit.txt'), 'utf8')))
    problems.push('bagit.txt does not declare BagIt-Version and UTF-8');
  for (const name of ['manifest-sha256.txt', 'bag-info.txt', 'tagmanifest-sha256.txt']) {
    if (!existsSync(join(root, name))) problems.push(`${name} is missing`);
  }
  if (problems.length) return done();

  // Payload: every file listed, every listed file present, every hash as listed.
  const manifest = parseManifest('manifest-sha256.txt', readFileSync(join(root, 'manifest-sha256.txt'), 'utf8'));
  if (!manifest.ok) {
    problems.push(manifest.problem);
    return done();
  }
  const present = existsSync(join(root, 'data')) ? walk(root, 'data') : [];
  const actual = new Map<string, string>();
  let bytes = 0;
  for (const path of present) {
    actual.set(path, await sha256File(join(root, path)));
    bytes += statSync(join(root, path)).size;
  }
  for (const [path, sha] of manifest.value) {
    const got = actual.get(path);
    if (got === undefined) problems.push(`${path} is listed in manifest-sha256.txt but missing`);
    else if (got !== sha) problems.push(`${path}: sha256 ${got} differs from the manifest's ${sha} (a changed byte)`);
  }
  for (const path of actual.keys()) if (!manifest.value.has(path)) problems.push(`${path} is not listed in manifest-sha256.txt`);

  const tags = parseManifest('tagmanifest-sha256.txt', readFileSync(join(root, 'tagmanifest-sha256.txt'), 'utf8'));
  if (!tags.ok) problems.push(tags.problem);
  else {
    for (const [path, sha] of tags.value) {
      if (!existsSync(join(root, path))) problems.push(`${path} is listed in tagmanifest-sha256.txt but missing`);
      else if ((await sha256File(join(root, path))) !== sha)
        problems.push(`${path}: its sha256 differs from tagmanifest-sha256.txt (a changed byte)`);
    }
  }
  const info = parseBagInfo(readFileSync(join(root, 'bag-info.txt'), 'utf8'));
  const oxum = info.get('Payload-Oxum');
  if (oxum && oxum !== `${bytes}.${present.length}`)
    problems.push(`bag-info.txt: Payload-Oxum ${oxum} but the payload is ${bytes} bytes in ${present.length} files`);
  const exportId = info.get('Entente-Export-Id') ?? '';
  if (!exportId) problems.push('bag-info.txt names no Entente-Export-Id');

  // Tree heads: signatures, trusted keys, time-stamp tokens.
  let heads: SignedTreeHead[] = [];
  if (!existsSync(join(root, 'data/tree-heads.json')))
    problems.push('data/tree-heads.json is missing: nothing vouches for the custody events');
  else {
    const parsed = parseHeads(readFileSync(join(root, 'data/tree-heads.json'), 'utf8'));
    if (!parsed.ok) problems.push(parsed.problem);
    else heads = parsed.value;
  }
  problems.push(...checkHeadSignatures(heads));
  for (const head of heads) {
    if (options.trustedKeys && !options.trustedKeys.includes(head.publicKey))
      problems.push(
        `data/tree-heads.json: the head of size ${head.size} is signed by key ${head.keyId}, which is not among the trusted keys`,
      );
    else if (!options.trustedKeys)
      notes.push(
        `tree head of size ${head.size} signed by key ${head.keyId} (public key ${head.publicKey}); compare it with the key the operator published`,
      );
    if (head.timestamps.length === 0)
      notes.push(`the tree head of size ${head.size} carries no RFC 3161 time-stamp token (no authority was configured)`);
    for (const [n, stamp] of head.timestamps.entries()) {
      tokens++;
      const check = await verifyTimestampToken(
        new Uint8Array(Buffer.from(stamp.token, 'base64')),
        treeHeadMessage(head.size, head.root, head.issuedAt),
        options.trustAnchors ?? [],
      );
      if (!check.ok)
        problems.push(
          `data/tree-heads.json: bad time-stamp token ${n + 1} of the head of size ${head.size} (${stamp.authority}): ${check.reason}`,
        );
      else
        notes.push(
          `time-stamp token ${n + 1} of the head of size ${head.size}: ${check.authority} at ${check.genTime}${options.trustAnchors?.length ? '' : ' (signature and imprint checked; pass --tsa-cert to check its certificate chain)'}`,
        );
      const tsr = join(root, `data/timestamps/${head.size}-${n + 1}.tsr`);
      if (existsSync(tsr) && !Buffer.from(stamp.token, 'base64').equals(readFileSync(tsr)))
        problems.push(`data/timestamps/${head.size}-${n + 1}.tsr is not the token in data/tree-heads.json`);
    }
  }

  // Items: file, metadata, custody log, proofs.
  const itemsDir = join(root, 'data/items');
  const ids = existsSync(itemsDir) ? readdirSync(itemsDir).filter((n) => statSync(join(itemsDir, n)).isDirectory()) : [];
  const declared = Number(info.get('Entente-Items') ?? NaN);
  if (Number.isFinite(declared) && declared !== ids.length)
    problems.push(`bag-info.txt declares ${declared} items but data/items holds ${ids.length}`);
  let events = 0;
  for (const id of ids) {
    const dir = `data/items/${id}`;
    const metaPath = join(root, dir, 'item.json');
    if (!existsSync(metaPath)) {
      problems.push(`${dir}/item.json is missing`);
      continue;
    }
    let meta: PackagedItem['meta'];
    try {
      meta = JSON.parse(readFileSync(metaPath, 'utf8')) as PackagedItem['meta'];
    } catch {
      problems.push(`${dir}/item.json is not JSON`);
      continue;
    }
    const file = readdirSync(join(root, dir)).find((n) => !['item.json', 'custody.jsonl', 'proofs.json'].includes(n)) ?? null;
    const filePath = file ? `${dir}/${file}` : null;
    const custodyPath = join(root, dir, 'custody.jsonl');
    const proofsPath = join(root, dir, 'proofs.json');
    let proofs: PackagedItem['proofs'] = null;
    try {
      proofs = existsSync(proofsPath) ? (JSON.parse(readFileSync(proofsPath, 'utf8')) as Record<string, PackagedProof>) : null;
    } catch {
      problems.push(`${dir}/proofs.json is not JSON`);
    }
    const packaged: PackagedItem = {
      id,
      meta,
      filePath,
      fileSha256: filePath ? (actual.get(filePath) ?? null) : null,
      custodyLines: existsSync(custodyPath)
        ? readFileSync(custodyPath, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
        : [],
      proofs,
    };
    if (!existsSync(custodyPath)) problems.push(`${dir}/custody.jsonl is missing`);
    const custody = checkCustody(packaged, exportId, ids);
    problems.push(...custody.problems);
    problems.push(...checkProofs(packaged, custody.events, heads));
    events += custody.events.length;
  }
  return done(ids.length, events);
}
