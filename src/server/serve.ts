import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { openStore } from '../store/open';
import { Journal } from '../runtime/journal';
import { loadOrCreateNodeKey, trustedKeys } from '../runtime/node-key';
import { buildApp, makeLogger } from './app';
import type { ServerConfig } from './config';
import { seedDemo } from '../runtime/demo';
import { Reactions } from '../runtime/reactions';
import { REACTORS } from '../runtime/reactors';
import { webhooksFor } from './webhooks';

export interface RunningServer {
  readonly url: string;
  readonly journal: Journal;
  /** Demo sign-ins created at this start (empty when the data directory was not new). */
  readonly demoUsers: readonly string[];
  close(): Promise<void>;
}

/** Opens the store, rebuilds the memory image, seeds the demo if asked, and listens. */
export async function serve(config: ServerConfig, log: Logger = makeLogger(config.logLevel)): Promise<RunningServer> {
  const dataDir = resolve(config.data);
  mkdirSync(dataDir, { recursive: true });
  const store = await openStore(config.db ? { db: config.db, ...(process.env.ENTENTE_DB_SCHEMA ? { schema: process.env.ENTENTE_DB_SCHEMA } : {}) } : { data: dataDir });
  await store.migrate();
  const signer = loadOrCreateNodeKey(dataDir);
  const journal = new Journal(store, signer, { checkpointEvery: config.checkpointEvery, checkpointIntervalMs: config.checkpointIntervalMs });
  journal.on('store-error', (error: unknown) => log.error({ err: String(error) }, 'journal write failed'));
  const rebuilt = await journal.open();
  log.info({ store: store.description, head: journal.head, ...rebuilt }, 'memory image rebuilt');

  let demoUsers: string[] = [];
  if (config.demo && journal.head === 0) {
    demoUsers = await seedDemo(journal, store, log, dataDir);
  }

  const { app } = await buildApp({
    journal,
    store,
    logger: log,
    webRoot: config.webRoot,
    tls: config.tlsCert && config.tlsKey ? { cert: config.tlsCert, key: config.tlsKey } : undefined,
    bodyLimit: config.bodyLimit,
    checkResponses: config.checkResponses,
    trustedKeys: config.db ? undefined : trustedKeys(dataDir),
    signer,
    treeLog: { authorities: config.tsa, intervalMs: config.treeHeadIntervalMs },
    dataDir,
  });
  const reactions = new Reactions(journal, REACTORS, log);
  reactions.start();
  // Deliveries to guarantor systems start at boot, so queued and dead-lettered ones are not forgotten.
  const webhooks = webhooksFor({ journal, store, log, now: () => new Date() });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${config.tlsCert ? 'https' : 'http'}://${config.host}:${port}`;

  let closing: Promise<void> | null = null;
  const running: RunningServer = {
    url,
    journal,
    demoUsers,
    close() {
      closing ??= (async () => {
        await app.close();
        await reactions.stop();
        await webhooks.stop();
        await journal.close();
        await store.close();
      })();
      return closing;
    },
  };
  return running;
}
