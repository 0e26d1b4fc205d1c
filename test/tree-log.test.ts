import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leafDataOf, fromHex, verifyConsistency, verifyInclusion } from '../src/core/journal/merkle';
import { certificatesFromPem, verifyTimestampToken } from '../src/core/journal/timestamp';
import { TREE_HEAD_TYPE, treeHeadMessage, verifyTreeHead, type SignedTreeHead } from '../src/core/journal/tree-head';
import { loadOrCreateNodeKey } from '../src/runtime/node-key';
import { TreeLog } from '../src/runtime/tree-log';
import { testNode, type TestNode } from './factories';
import { opensslVerifyToken, startLocalAuthority, type LocalAuthority } from './tree-log-tsa';

let node: TestNode;
let authority: LocalAuthority;
let stranger: LocalAuthority;

const bytes = (hex: string) => fromHex(hex)!;
const tokenOf = (head: SignedTreeHead, i = 0) => new Uint8Array(Buffer.from(head.timestamps[i]!.token, 'base64'));
const messageOf = (head: SignedTreeHead) => treeHeadMessage(head.size, head.root, head.issuedAt);

async function appendSome(n: number, visibility = ['process']): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await node.journal.append({
      drafts: [{ stream: `test/${i}`, type: 'test.happened', payload: { i }, visibility }],
      actor: 'test',
      party: null,
    });
    if (!r.ok) throw new Error(r.message);
  }
}

beforeAll(async () => {
  [node, authority, stranger] = await Promise.all([testNode(), startLocalAuthority('Entente'), startLocalAuthority('Stranger')]);
});
afterAll(async () => {
  await Promise.all([node.close(), authority.close(), stranger.close()]);
});

describe('the tree log', () => {
  it('keeps one leaf per journal event, and every position proves into the root', async () => {
    await appendSome(7);
    const tree = node.services.treeLog;
    expect(tree.size).toBe(node.journal.head);
    const root = bytes(tree.root());
    const events = await node.store.read(0, tree.size);
    for (const e of events) {
      const p = tree.inclusion(e.position, tree.size);
      expect(p.leafData).toBe(e.hash);
      expect(verifyInclusion(leafDataOf(e.hash), e.position - 1, tree.size, p.proof.map(bytes), root), `position ${e.position}`).toBe(true);
    }
  });

  it('rebuilds the same root from the store alone', async () => {
    const rebuilt = new TreeLog(null, node.store, { signer: null });
    await rebuilt.open();
    expect(rebuilt.size).toBe(node.services.treeLog.size);
    expect(rebuilt.root()).toBe(node.services.treeLog.root());
  });

  it('signs a head, has the local authority stamp it, and stores it in the journal as a public event', async () => {
    const tree = new TreeLog(node.journal, node.store, { signer: loadOrCreateNodeKey(node.dir), authorities: [authority.url] });
    await tree.open();
    const size = tree.size;
    const signed = await tree.signHead();
    tree.close();
    if (!signed.ok) throw new Error(signed.message);
    const head = signed.value;
    expect(head.size).toBe(size);
    expect(head.timestamps).toHaveLength(1);
    expect(verifyTreeHead(head)).toBe(true);
    const [stored] = await node.store.read(node.journal.head - 1, 1);
    expect(stored!.type).toBe(TREE_HEAD_TYPE);
    expect(stored!.visibility).toEqual(['public']);
    // The node's own tree log saw the head arrive through the journal.
    expect(node.services.treeLog.latestHead()).toEqual(head);
  });

  it('stores a token that verifies offline: pkijs against the CA, and openssl ts -verify', async () => {
    const head = node.services.treeLog.latestHead()!;
    const check = await verifyTimestampToken(tokenOf(head), messageOf(head), certificatesFromPem(authority.caPem));
    expect(check).toMatchObject({ ok: true, authority: 'CN=Entente Test TSA' });
    expect(await opensslVerifyToken(authority, tokenOf(head), messageOf(head))).toContain('Verification: OK');
  });

  it('refuses a token for a changed head, from an untrusted CA, or with a flipped byte', async () => {
    const head = node.services.treeLog.latestHead()!;
    const anchors = certificatesFromPem(authority.caPem);
    const changed = treeHeadMessage(head.size + 1, head.root, head.issuedAt);
    expect(await verifyTimestampToken(tokenOf(head), changed, anchors)).toEqual({
      ok: false,
      reason: 'the token stamps a different message (imprint mismatch)',
    });
    expect(await opensslVerifyToken(authority, tokenOf(head), changed)).not.toContain('Verification: OK');
    const foreign = await verifyTimestampToken(tokenOf(head), messageOf(head), certificatesFromPem(stranger.caPem));
    expect(foreign.ok).toBe(false);
    expect(foreign.ok ? '' : foreign.reason).toMatch(/certificate/i);
    const flipped = tokenOf(head);
    flipped[flipped.length - 10]! ^= 0xff;
    expect((await verifyTimestampToken(flipped, messageOf(head), anchors)).ok).toBe(false);
    expect(verifyTreeHead({ ...head, root: head.root.replace(/^./, (c) => (c === '0' ? '1' : '0')) })).toBe(false);
  });

  it('stores the head without a token when an authority fails, and says which', async () => {
    const warnings: string[] = [];
    const tree = new TreeLog(node.journal, node.store, {
      signer: loadOrCreateNodeKey(node.dir),
      authorities: ['http://127.0.0.1:9/tsa', authority.url],
      onWarning: (m) => warnings.push(m),
    });
    await tree.open();
    await appendSome(1);
    const signed = await tree.signHead();
    tree.close();
    expect(signed.ok && signed.value.timestamps.map((t) => t.authority)).toEqual([authority.url]);
    expect(warnings.join('\n')).toContain('the time-stamping authority http://127.0.0.1:9/tsa gave no token');
  });

  it('signs at an interval only when something other than tree heads was appended', async () => {
    const tree = new TreeLog(node.journal, node.store, { signer: loadOrCreateNodeKey(node.dir) });
    await tree.open();
    expect(await tree.signIfDue()).toBeNull();
    await appendSome(2);
    const due = await tree.signIfDue();
    expect(due?.ok && due.value.size).toBe(node.journal.head - 1);
    expect(await tree.signIfDue()).toBeNull();
    tree.close();
  });

  it('does not sign again for a checkpoint alone (the two would chase each other)', async () => {
    const other = await testNode();
    try {
      const signed = await other.services.treeLog.signHead();
      expect(signed.ok).toBe(true);
      // Closing the journal signs a final checkpoint over the head event.
      await other.journal.close();
      const [last] = await other.store.read(other.journal.head - 1, 1);
      expect(last!.type).toBe('journal.checkpoint');
      expect(other.services.treeLog.size).toBe(other.journal.head);
      expect(await other.services.treeLog.signIfDue()).toBeNull();
    } finally {
      await other.close();
    }
  });

  it('proves every earlier head consistent with the latest', () => {
    const tree = node.services.treeLog;
    const heads = tree.heads();
    expect(heads.length).toBeGreaterThanOrEqual(3);
    const latest = tree.latestHead()!;
    for (const h of heads) {
      const c = tree.consistency(h.size, latest.size);
      expect(c.fromRoot).toBe(h.root);
      expect(verifyConsistency(h.size, latest.size, bytes(h.root), bytes(latest.root), c.proof.map(bytes))).toBe(true);
    }
  });

  it('names the position or size it does not have', () => {
    const tree = node.services.treeLog;
    expect(() => tree.inclusion(tree.size + 1)).toThrow(`position ${tree.size + 1} is not in the journal (positions 1–${tree.size})`);
    expect(() => tree.inclusion(5, 4)).toThrow('a tree of size 4 does not hold position 5');
    expect(() => tree.consistency(3, tree.size + 1)).toThrow(`the journal's tree has sizes 0–${tree.size}`);
  });
});
