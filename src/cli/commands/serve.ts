import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServerConfig } from '../../server/config';
import { makeLogger } from '../../server/app';
import { serve } from '../../server/serve';
import { parseAuthorities } from '../../runtime/timestamp-client';
import { DEMO_PASSWORD } from '../../../examples/kyiv-2026/demo';
import type { CliIo } from '../io';
import { UsageError } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    ...STORE_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    demo: { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'log-level': { type: 'string' },
    'web-root': { type: 'string' },
    tsa: { type: 'string', multiple: true },
    'tree-head-interval': { type: 'string' },
  });
  const target = storeTarget(values);
  const parsed = ServerConfig.safeParse({
    ...target,
    port: values.port ?? process.env.ENTENTE_PORT ?? 8080,
    host: values.host ?? process.env.ENTENTE_HOST ?? '127.0.0.1',
    demo: values.demo ?? false,
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    logLevel: values['log-level'] ?? process.env.ENTENTE_LOG_LEVEL ?? 'info',
    webRoot: values['web-root'] ?? join(REPO_ROOT, 'dist/web'),
    tsa: parseAuthorities(values.tsa ?? process.env.ENTENTE_TSA),
    treeHeadIntervalMs: values['tree-head-interval'] ?? process.env.ENTENTE_TREE_HEAD_INTERVAL ?? 60_000,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${issue.message}`);
  }
  const config = parsed.data;
  const log = makeLogger(config.logLevel, process.stderr);
  const server = await serve(config, log);
  io.stdout(`Entente listening on ${server.url}`);
  if (!existsSync(join(config.webRoot ?? '', 'index.html'))) io.stdout('(the web app is not built: run npm run build:web; the API is served)');
  if (server.demoUsers.length > 0) {
    io.stdout(`Demo sign-ins (password for all: ${DEMO_PASSWORD}): ${server.demoUsers.join(', ')}`);
  } else if (config.demo) {
    io.stdout(`Demo data was loaded earlier; sign in as mediator, ua-delegate, monitor, … with password ${DEMO_PASSWORD}`);
  }
  await new Promise<void>((resolveStop) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down: draining requests and closing the store');
      server.close().then(
        () => resolveStop(),
        (error: unknown) => {
          log.error({ err: String(error) }, 'shutdown failed');
          resolveStop();
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
