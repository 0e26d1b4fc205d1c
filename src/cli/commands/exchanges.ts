import { decideKeysDestroyed } from '../../core/exchanges/tranche';
import { ExchangeKeys } from '../../runtime/exchanges/sealed';
import { Journal } from '../../runtime/journal';
import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';
import { withStore } from './journal';

/**
 * `entente exchanges destroy-keys --party ID`: retention, offline. Destroys the party's
 * key-encryption key in the store's secret table, so every identity sealed for that party can never
 * be read again, and records the destruction in the journal (the journal itself is untouched).
 */
export async function exchangesCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'destroy-keys') throw new UsageError('exchanges destroy-keys --party ID [--data DIR | --db URL]');
  const { values } = parse(rest, { ...STORE_OPTIONS, party: { type: 'string' } });
  const party = values.party;
  if (typeof party !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(party))
    throw new UsageError('--party is required: a party id such as ua');
  return withStore(storeTarget(values), async (store) => {
    const journal = new Journal(store, null);
    await journal.open();
    try {
      const existed = await new ExchangeKeys(store).destroy(party);
      const drafts = decideKeysDestroyed(party, existed);
      if (!drafts.ok) throw new Error(drafts.message);
      const r = await journal.append({ drafts: drafts.value, actor: 'admin-cli', party: null });
      if (!r.ok) throw new Error(r.message);
      io.stdout(
        existed
          ? `the key of ${party} is destroyed: identities sealed for ${party} can no longer be read`
          : `${party} had no key: nothing was sealed for it`,
      );
      return 0;
    } finally {
      await journal.close();
    }
  });
}
