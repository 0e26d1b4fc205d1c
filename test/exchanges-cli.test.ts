import { afterAll, describe, expect, it } from 'vitest';
import { ExchangeKeys, openIdentity, sealIdentity } from '../src/runtime/exchanges/sealed';
import { openStore } from '../src/store/open';
import { tempDir } from './factories';
import { runCli } from './process';

const dir = tempDir('entente-exchanges-cli-');
afterAll(() => dir.remove());

describe('entente exchanges destroy-keys', () => {
  it('shreds a party’s identities offline and records it; the journal still verifies', async () => {
    let store = await openStore({ data: dir.path });
    await store.migrate();
    const sealed = sealIdentity({ familyName: 'Коваленко', givenName: 'Олександр' }, 'UA-H-TEST2345', {
      ua: await new ExchangeKeys(store).kek('ua'),
    });
    await store.close();

    const usage = await runCli(['exchanges', 'destroy-keys', '--data', dir.path]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--party is required');

    const r = await runCli(['exchanges', 'destroy-keys', '--party', 'ua', '--data', dir.path]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('the key of ua is destroyed: identities sealed for ua can no longer be read');
    const again = await runCli(['exchanges', 'destroy-keys', '--party', 'ua', '--data', dir.path]);
    expect(again.stdout.trim()).toBe('ua had no key: nothing was sealed for it');

    store = await openStore({ data: dir.path });
    const kek = await new ExchangeKeys(store).existingKek('ua');
    expect(kek).toBeNull();
    expect(() => openIdentity(sealed, 'UA-H-TEST2345', 'ua', kek)).toThrow('the key of ua was destroyed');
    const events = await store.read(0, 10);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      ['exchange.keys-destroyed', { party: 'ua', existed: true }],
      ['exchange.keys-destroyed', { party: 'ua', existed: false }],
    ]);
    await store.close();
    const verify = await runCli(['journal', 'verify', '--data', dir.path]);
    expect(verify.stdout).toMatch(/^ok 2 events/);
  }, 60_000);
});
