import { z } from 'zod';
import { fromHex, verifyConsistency } from '../core/journal/merkle';
import { SignedTreeHead, treeHeadMessage, verifyTreeHead } from '../core/journal/tree-head';
import { verifyTimestampToken } from '../core/journal/timestamp';

/**
 * A party's own check of a node's log, as a Certificate Transparency monitor does: fetch the signed
 * tree heads, verify each signature and time-stamp token, and prove with consistency proofs that every
 * head seen before is a prefix of the largest head now. What was seen is kept in a state file, so a
 * rewrite between two runs is caught even if the node no longer serves the old heads.
 */

export const MonitorState = z.object({
  url: z.string(),
  /** Heads already verified, oldest first; all are prefixes of the largest. */
  heads: z.array(SignedTreeHead),
});
export type MonitorState = z.infer<typeof MonitorState>;

export interface MonitorOptions {
  /** CA certificates (DER) that time-stamping authorities must chain to; none: chains are not checked. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** Signing keys (base64 raw Ed25519) the node may use; none: any key, new ones reported. */
  readonly keys?: readonly string[];
  readonly fetch?: typeof fetch;
}

export interface MonitorReport {
  readonly ok: boolean;
  /** One line per head checked, then the verdict. */
  readonly lines: string[];
  /** Why the check failed, naming the heads concerned; null when it passed. */
  readonly failure: string | null;
  readonly state: MonitorState;
}

class MonitorFailure extends Error {}

export function describeHead(h: SignedTreeHead): string {
  return `size ${h.size} root ${h.root.slice(0, 16)}… issued ${h.issuedAt} by key ${h.keyId}`;
}

export async function monitorLog(url: string, previous: MonitorState | null, options: MonitorOptions = {}): Promise<MonitorReport> {
  const base = url.replace(/\/+$/, '');
  const get = options.fetch ?? fetch;
  const lines: string[] = [];
  const seen = previous && previous.url === base ? previous.heads : [];
  try {
    const fetched = await fetchHeads(base, get, seen);
    const knownKeys = new Set([...(options.keys ?? []), ...seen.map((h) => h.publicKey)]);
    const fresh = fetched.filter((h, i) => !seen.some((s) => sameHead(s, h)) && fetched.findIndex((o) => sameHead(o, h)) === i);
    for (const head of fresh) lines.push(await checkHead(head, knownKeys, options));
    const all = [...seen, ...fresh];
    if (all.length === 0)
      return { ok: true, lines: ['the node has signed no tree head yet'], failure: null, state: { url: base, heads: [] } };
    checkSameSizes(all);
    const largest = all.reduce((a, b) => (b.size > a.size ? b : a));
    // Every earlier head was proved a prefix of the previous largest; proving that one and each new head
    // against the largest now covers all of them (prefixes of a prefix).
    const previousLargest = seen.length > 0 ? seen.reduce((a, b) => (b.size > a.size ? b : a)) : null;
    const toProve = [...(previousLargest ? [previousLargest] : []), ...fresh].filter((h) => h.size < largest.size);
    for (const head of toProve) await proveConsistent(base, get, head, largest);
    lines.push(`consistent: ${all.length} head${all.length === 1 ? '' : 's'} checked, the largest ${describeHead(largest)}`);
    return { ok: true, lines, failure: null, state: { url: base, heads: all } };
  } catch (error) {
    if (!(error instanceof MonitorFailure)) throw error;
    // The state is not advanced past a failure: the next run checks the same heads again.
    return { ok: false, lines, failure: error.message, state: { url: base, heads: [...seen] } };
  }
}

async function fetchJson(get: typeof fetch, url: string): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await get(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Error(`cannot reach ${url}: ${(error as Error).message}`);
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Error(`${url} answered HTTP ${res.status} with something that is not JSON`);
  }
}

const HeadsPage = z.object({ heads: z.array(z.unknown()), next: z.number().int().nullable() });

async function fetchHeads(base: string, get: typeof fetch, seen: readonly SignedTreeHead[]): Promise<SignedTreeHead[]> {
  const heads: SignedTreeHead[] = [];
  const largestSeen = seen.reduce((m, h) => Math.max(m, h.size), -1);
  // Heads of the largest size seen so far are fetched again: a different root of that size is a fork.
  let after = Math.max(-1, largestSeen - 1);
  for (;;) {
    const { status, body } = await fetchJson(get, `${base}/api/v1/journal/tree-heads?after=${after}&limit=1000`);
    if (status !== 200) throw new Error(`${base}/api/v1/journal/tree-heads answered HTTP ${status}`);
    const page = HeadsPage.safeParse(body);
    if (!page.success) throw new Error(`${base}/api/v1/journal/tree-heads did not answer a list of heads`);
    for (const raw of page.data.heads) {
      const head = SignedTreeHead.safeParse(raw);
      if (!head.success) throw new MonitorFailure(`the node served a malformed tree head: ${head.error.issues[0]!.message}`);
      heads.push(head.data);
    }
    if (page.data.next === null) break;
    after = page.data.next;
  }
  // The latest head as well, even if smaller than what was seen: a log cut short must show here.
  const latest = await fetchJson(get, `${base}/api/v1/journal/tree-head`);
  if (latest.status === 200) {
    const head = SignedTreeHead.safeParse(latest.body);
    if (!head.success) throw new MonitorFailure(`the node served a malformed tree head: ${head.error.issues[0]!.message}`);
    heads.push(head.data);
  } else if (latest.status === 404 && seen.length > 0) {
    throw new MonitorFailure(
      `the node now has no signed tree head, but it signed the head of ${describeHead(seen[seen.length - 1]!)} before`,
    );
  }
  return heads;
}

async function checkHead(head: SignedTreeHead, knownKeys: Set<string>, options: MonitorOptions): Promise<string> {
  if (!verifyTreeHead(head)) throw new MonitorFailure(`bad signature on the tree head of ${describeHead(head)}`);
  if (!knownKeys.has(head.publicKey)) {
    if (options.keys && options.keys.length > 0)
      throw new MonitorFailure(`the tree head of ${describeHead(head)} is signed by a key you did not list (${head.publicKey})`);
    knownKeys.add(head.publicKey);
  }
  const message = treeHeadMessage(head.size, head.root, head.issuedAt);
  const anchors = options.trustAnchors ?? [];
  const stamped: string[] = [];
  for (const stamp of head.timestamps) {
    const check = await verifyTimestampToken(new Uint8Array(Buffer.from(stamp.token, 'base64')), message, anchors);
    if (!check.ok)
      throw new MonitorFailure(`bad time-stamp token from ${stamp.authority} on the tree head of ${describeHead(head)}: ${check.reason}`);
    stamped.push(`${stamp.authority} at ${check.genTime}${anchors.length === 0 ? ' (CA chain not checked: pass --tsa-ca)' : ''}`);
  }
  return `ok ${describeHead(head)}; ${stamped.length > 0 ? `time-stamped by ${stamped.join(', ')}` : 'no time-stamp token'}`;
}

function sameHead(a: SignedTreeHead, b: SignedTreeHead): boolean {
  return a.size === b.size && a.root === b.root && a.issuedAt === b.issuedAt && a.signature === b.signature;
}

function checkSameSizes(heads: readonly SignedTreeHead[]): void {
  const bySize = new Map<number, SignedTreeHead>();
  for (const h of heads) {
    const other = bySize.get(h.size);
    if (other && other.root !== h.root) {
      throw new MonitorFailure(
        `history was rewritten: two signed heads of the same size disagree: ${describeHead(other)} and ${describeHead(h)}`,
      );
    }
    bySize.set(h.size, h);
  }
}

const ConsistencyAnswer = z.object({
  fromSize: z.number(),
  toSize: z.number(),
  proof: z.array(z.string()),
  fromRoot: z.string(),
  toRoot: z.string(),
});

async function proveConsistent(base: string, get: typeof fetch, older: SignedTreeHead, newer: SignedTreeHead): Promise<void> {
  const rewritten = `history was rewritten: the head of ${describeHead(older)} is not a prefix of the head of ${describeHead(newer)}`;
  const { status, body } = await fetchJson(get, `${base}/api/v1/journal/consistency?from=${older.size}&to=${newer.size}`);
  if (status === 404) throw new MonitorFailure(`${rewritten} (the node's log no longer reaches size ${newer.size}: truncated)`);
  if (status !== 200) throw new Error(`${base}/api/v1/journal/consistency answered HTTP ${status}`);
  const answer = ConsistencyAnswer.safeParse(body);
  if (!answer.success) throw new Error(`${base}/api/v1/journal/consistency did not answer a consistency proof`);
  const proof = answer.data.proof.map(fromHex);
  const oldRoot = fromHex(older.root);
  const newRoot = fromHex(newer.root);
  if (proof.some((p) => p === null) || !oldRoot || !newRoot) throw new MonitorFailure(`${rewritten} (the proof is malformed)`);
  if (!verifyConsistency(older.size, newer.size, oldRoot, newRoot, proof as Uint8Array[])) throw new MonitorFailure(rewritten);
}
