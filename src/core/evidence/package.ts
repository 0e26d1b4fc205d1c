import { recomputeHash } from '../journal/chain';
import { JournalEvent } from '../journal/envelope';
import { fromHex, leafDataOf, verifyInclusion } from '../journal/merkle';
import { SignedTreeHead, verifyTreeHead } from '../journal/tree-head';
import { packageDigest } from './custody';
import { streamOf } from './model';

/**
 * The self-verifying evidence package: a BagIt bag (RFC 8493) whose payload holds, per item, the file,
 * its metadata, its whole custody log as journal events, and an inclusion proof of every one of those
 * events in a signed tree head of the journal (with the heads' RFC 3161 tokens). Everything here is
 * pure text handling and checking; reading and writing the files is the runtime's.
 *
 * Layout of data/:
 *   items/<id>/<sha256>.<ext>   the original or derivative, byte for byte
 *   items/<id>/item.json        the item as the system knows it (file facts, capture, records)
 *   items/<id>/custody.jsonl    every event of stream evidence/<id>, one JSON envelope a line
 *   items/<id>/proofs.json      { position: inclusion proof } against tree-heads.json
 *   tree-heads.json             the signed tree heads the proofs are against
 *   timestamps/<size>-<n>.tsr   each head's RFC 3161 tokens, DER, for `openssl ts -verify`
 */

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
}

/** RFC 8493 §2.1.3: "<checksum> <path>" a line, paths with / and percent-encoded CR, LF and %. */
export function manifestText(entries: readonly ManifestEntry[]): string {
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.sha256}  ${encodePath(e.path)}\n`)
    .join('');
}

const encodePath = (p: string): string => p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const decodePath = (p: string): string => p.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export function parseManifest(name: string, text: string): Parsed<Map<string, string>> {
  const out = new Map<string, string>();
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line === '' && i === lines.length - 1) continue;
    const m = /^([0-9a-fA-F]{64})[ \t]+(.+)$/.exec(line.replace(/\r$/, ''));
    if (!m) return { ok: false, problem: `${name} line ${i + 1} is not "<sha256> <path>"` };
    const path = decodePath(m[2]!.trim());
    if (path.startsWith('/') || path.split('/').includes('..'))
      return { ok: false, problem: `${name} line ${i + 1} names a path outside the bag: ${path}` };
    out.set(path, m[1]!.toLowerCase());
  }
  return { ok: true, value: out };
}

/** bag-info.txt: "Label: value" lines (no folding needed for what we write). */
export function bagInfoText(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}: ${v.replace(/\n/g, ' ')}\n`)
    .join('');
}

export function parseBagInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

export interface PackagedProof {
  readonly position: number;
  readonly size: number;
  readonly leafData: string;
  readonly proof: readonly string[];
  readonly root: string;
}

export interface PackagedItem {
  readonly id: string;
  /** What item.json says (the subset the check needs). */
  readonly meta: {
    id: string;
    kind: string;
    file: { sha256: string; filename: string; bytes: number };
    version: number;
    custodyEvents?: number;
  };
  readonly fileSha256: string | null;
  readonly filePath: string | null;
  readonly custodyLines: readonly string[];
  readonly proofs: Readonly<Record<string, PackagedProof>> | null;
}

/**
 * Checks one item's custody log: each event is a well-formed envelope whose hash recomputes, the
 * stream versions run 1..n without a gap, the first event captured the very bytes in the package, and
 * the last is this package's export (so a log cut short is seen too). Answers the problems found.
 */
export function checkCustody(
  item: PackagedItem,
  exportId: string,
  packageIds: readonly string[],
): { problems: string[]; events: JournalEvent[] } {
  const problems: string[] = [];
  const events: JournalEvent[] = [];
  const where = `data/items/${item.id}/custody.jsonl`;
  for (const [i, line] of item.custodyLines.entries()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`${where} line ${i + 1} is not JSON`);
      continue;
    }
    const event = JournalEvent.safeParse(parsed);
    if (!event.success) {
      problems.push(`${where} line ${i + 1} is not a journal event`);
      continue;
    }
    if (recomputeHash(event.data) !== event.data.hash) {
      problems.push(
        `${where} line ${i + 1}: custody event at journal position ${event.data.position} was altered (its hash does not recompute)`,
      );
    }
    if (event.data.stream !== streamOf(item.id))
      problems.push(`${where} line ${i + 1}: the event belongs to ${event.data.stream}, not to this item`);
    events.push(event.data);
  }
  const versions = new Set(events.map((e) => e.streamVersion));
  const expected = item.meta.version;
  const last = Math.max(expected, ...versions);
  for (let v = 1; v <= last; v++) {
    if (!versions.has(v)) problems.push(`item ${item.id}: custody event ${v} of ${last} is missing from ${where}`);
  }
  const first = events.find((e) => e.streamVersion === 1);
  if (first) {
    const sha = (first.payload.file as { sha256?: string } | undefined)?.sha256;
    if (first.type !== 'evidence.captured' && first.type !== 'evidence.derived')
      problems.push(`item ${item.id}: its custody log does not begin with its capture`);
    else if (sha !== item.meta.file.sha256)
      problems.push(`item ${item.id}: item.json names sha256 ${item.meta.file.sha256} but the capture event recorded ${sha}`);
  }
  const final = events.find((e) => e.streamVersion === last);
  if (final && !(final.type === 'evidence.exported' && final.payload.export === exportId)) {
    problems.push(`item ${item.id}: the custody log does not end with this package's export (${exportId}); events after it are missing`);
  }
  if (final?.type === 'evidence.exported') {
    const contents = final.payload.package as { items?: number; digest?: string } | undefined;
    if (contents && (contents.items !== packageIds.length || contents.digest !== packageDigest(packageIds))) {
      problems.push(
        `item ${item.id}: its export event names a package of ${contents.items} items, but this package holds ${packageIds.length} (an item was removed or added)`,
      );
    }
  }
  if (item.filePath === null) problems.push(`item ${item.id}: its file ${item.meta.file.filename} is missing from the package`);
  else if (item.fileSha256 !== item.meta.file.sha256) {
    problems.push(
      `${item.filePath}: its sha256 ${item.fileSha256} is not the captured ${item.meta.file.sha256} (a changed or swapped file)`,
    );
  }
  return { problems, events };
}

/** Every custody event must be in a signed tree head, by a proof that recomputes to that head's root. */
export function checkProofs(item: PackagedItem, events: readonly JournalEvent[], heads: readonly SignedTreeHead[]): string[] {
  const problems: string[] = [];
  const where = `data/items/${item.id}/proofs.json`;
  if (!item.proofs) return [`${where} is missing: the custody events cannot be shown to be in the journal`];
  for (const event of events) {
    const p = item.proofs[String(event.position)];
    if (!p) {
      problems.push(`${where}: no inclusion proof for the custody event at position ${event.position}`);
      continue;
    }
    const head = heads.find((h) => h.size === p.size && h.root === p.root);
    if (!head) {
      problems.push(
        `${where}: the proof of position ${event.position} is against a tree (size ${p.size}) no signed head in the package vouches for`,
      );
      continue;
    }
    const path = p.proof.map((h) => fromHex(h));
    const root = fromHex(p.root);
    const good =
      p.leafData === event.hash &&
      root !== null &&
      path.every((x) => x !== null) &&
      verifyInclusion(leafDataOf(event.hash), event.position - 1, p.size, path as Uint8Array[], root);
    if (!good)
      problems.push(
        `${where}: bad inclusion proof for the custody event at position ${event.position} (it does not lead to the signed root of size ${p.size})`,
      );
  }
  return problems;
}

export function parseHeads(text: string): Parsed<SignedTreeHead[]> {
  try {
    const parsed = SignedTreeHead.array().safeParse(JSON.parse(text));
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, problem: 'data/tree-heads.json does not hold signed tree heads' };
  } catch {
    return { ok: false, problem: 'data/tree-heads.json is not JSON' };
  }
}

export function checkHeadSignatures(heads: readonly SignedTreeHead[]): string[] {
  return heads
    .filter((h) => !verifyTreeHead(h))
    .map((h) => `data/tree-heads.json: the head of size ${h.size} has a bad signature (key ${h.keyId})`);
}
