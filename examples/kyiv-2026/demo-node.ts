import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from '../../test/factories';
import { seedDemo } from '../../src/runtime/demo';
import { Journal } from '../../src/runtime/journal';
import { loadOrCreateNodeKey } from '../../src/runtime/node-key';
import { openStore } from '../../src/store/open';
import type { JournalStore } from '../../src/store/contract';

/** A node in a temporary directory holding the Kyiv demo, as the demo tests read it. */
export interface DemoNode {
  /** The node's data directory (evidence blobs live under it when seeded with files). */
  readonly dir: string;
  readonly store: JournalStore;
  readonly journal: Journal;
}

export interface DemoNodeOptions {
  /** Prefix of the temporary directory's name. */
  readonly prefix?: string;
  /** Sign checkpoints with the node's key, as `npm start` does (the exchanges and evidence demos need it). */
  readonly signed?: boolean;
  /** Give the demo the data directory, so it stores the evidence files and signs a tree head. */
  readonly files?: boolean;
}

/**
 * Opens a fresh node and seeds the demo into it before the file's tests, and closes and removes it after
 * them. Call at the top of a test file; read the returned node's fields inside the tests (they are set
 * once the seeding is done).
 */
export function seededDemoNode(options: DemoNodeOptions = {}): DemoNode {
  let opened: { dir: ReturnType<typeof tempDir>; store: JournalStore; journal: Journal } | undefined;
  const current = () => {
    if (!opened) throw new Error('the demo node is read before it was seeded: read it inside a test');
    return opened;
  };
  beforeAll(async () => {
    const dir = tempDir(options.prefix);
    const store = await openStore({ data: dir.path });
    await store.migrate();
    const journal = options.signed
      ? new Journal(store, loadOrCreateNodeKey(dir.path), { checkpointIntervalMs: 60_000 })
      : new Journal(store, null);
    await journal.open();
    opened = { dir, store, journal };
    await seedDemo(journal, store, pino({ level: 'silent' }), options.files ? dir.path : undefined);
  });
  afterAll(async () => {
    if (!opened) return;
    await opened.journal.close();
    await opened.store.close();
    opened.dir.remove();
  });
  return {
    get dir() {
      return current().dir.path;
    },
    get store() {
      return current().store;
    },
    get journal() {
      return current().journal;
    },
  };
}
