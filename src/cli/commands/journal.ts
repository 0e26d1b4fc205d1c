import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
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
  throw new UsageError('journal verify | journal export');
}
