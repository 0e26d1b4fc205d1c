import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, verifyConsistency } from '../src/core/journal/merkle';
import { Journal } from '../src/runtime/journal';
import { loadOrCreateNodeKey } from '../src/runtime/node-key';
import { TreeLog } from '../src/runtime/tree-log';
import { openStore } from '../src/store/open';
import type { JournalStore } from '../src/store/contract';
import { tempDir } from './factories';

const PG = process.env.ENTENTE_TEST_PG ?? '';
const schema = `entente_tree_log_${process.pid}`;

interface PgNode {
  readonly journal: Journal;
  readonly tree: TreeLog;
  readonly store: JournalStore;
}

async function pgNode(): Promise<PgNode> {
  const dir = tempDir('entente-tree-pg-');
  const store = await openStore({ db: PG, schema });
  await store.migrate();
  const signer = loadOrCreateNodeKey(dir.path);
  const journal = new Journal(store, signer, { checkpointIntervalMs: 60_000, pollMs: 50 });
  await journal.open();
  const tree = new TreeLog(journal, store, { signer });
  await tree.open();
  return { journal, tree, store };
}

describe.skipIf(!PG)('two nodes on PostgreSQL', () => {
  let a: PgNode;
  let b: PgNode;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    a = await pgNode();
    b = await pgNode();
  });
  afterAll(async () => {
    for (const n of [a, b]) {
      if (!n) continue;
      n.tree.close();
      await n.journal.close();
      await n.store.close();
    }
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('agree on every root, and each takes the other’s signed heads', async () => {
    const append = (n: PgNode, i: number) =>
      n.journal.append({
        drafts: [{ stream: `t/${i}`, type: 'test.happened', payload: { i }, visibility: ['process'] }],
        actor: 'test',
        party: null,
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(i % 2 ? a : b, i)));
    const fromA = await a.tree.signHead();
    await Promise.all(Array.from({ length: 10 }, (_, i) => append(i % 2 ? b : a, 100 + i)));
    const fromB = await b.tree.signHead();
    if (!fromA.ok || !fromB.ok) throw new Error('a node could not sign');
    await a.journal.catchUp();
    await b.journal.catchUp();
    expect(a.tree.size).toBe(b.tree.size);
    for (let size = 1; size <= a.tree.size; size++) expect(a.tree.root(size), `size ${size}`).toBe(b.tree.root(size));
    // Both heads, from two keys, are known to both nodes, and B's proves A's a prefix.
    expect(a.tree.heads().map((h) => h.keyId)).toEqual([fromA.value.keyId, fromB.value.keyId]);
    expect(b.tree.heads()).toEqual(a.tree.heads());
    const c = a.tree.consistency(fromA.value.size, fromB.value.size);
    expect(
      verifyConsistency(
        c.fromSize,
        c.toSize,
        fromHex(fromA.value.root)!,
        fromHex(fromB.value.root)!,
        c.proof.map((h) => fromHex(h)!),
      ),
    ).toBe(true);
  });
});
