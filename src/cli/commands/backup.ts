import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';
import { withStore } from './journal';

export async function backupCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...STORE_OPTIONS, out: { type: 'string' } });
  if (!values.out) throw new UsageError('--out FILE is required');
  const out = values.out;
  const { events } = await withStore(storeTarget(values), (store) => store.backup(out));
  io.stdout(`backup of ${events} events written to ${out}`);
  return 0;
}

export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...STORE_OPTIONS, from: { type: 'string' } });
  if (!values.from) throw new UsageError('--from FILE is required');
  const from = values.from;
  const { events } = await withStore(storeTarget(values), (store) => store.restore(from));
  io.stdout(`restored ${events} events from ${from}; run entente journal verify to check`);
  return 0;
}
