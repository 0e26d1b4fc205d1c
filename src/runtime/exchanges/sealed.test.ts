import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { matchMaterial } from '../../core/exchanges/normalise';
import { keyedHashes, openIdentity, sealIdentity, SealedIdentityError } from './sealed';

const identity = { familyName: 'Коваленко', givenName: 'Олександр', dateOfBirth: '12.03.1994', nextOfKin: 'Марія Коваленко' };

describe('sealed identities', () => {
  it('open for each holder, and for nobody else', () => {
    const ua = randomBytes(32);
    const tr = randomBytes(32);
    const sealed = sealIdentity(identity, 'UA-H-AAAA2222', { ua, tr });
    expect(JSON.stringify(sealed)).not.toContain('Коваленко');
    expect(openIdentity(sealed, 'UA-H-AAAA2222', 'ua', ua)).toEqual(identity);
    expect(openIdentity(sealed, 'UA-H-AAAA2222', 'tr', tr)).toEqual(identity);
    expect(() => openIdentity(sealed, 'UA-H-AAAA2222', 'ru', randomBytes(32))).toThrow('is not sealed for ru');
    // the tr-wrapped key does not open with another key, and the person id is bound in
    expect(() => openIdentity(sealed, 'UA-H-AAAA2222', 'tr', ua)).toThrow(SealedIdentityError);
    expect(() => openIdentity(sealed, 'UA-H-BBBB3333', 'ua', ua)).toThrow(SealedIdentityError);
  });

  it('a destroyed key leaves the identity unreadable, and the error says nothing of it', () => {
    const sealed = sealIdentity(identity, 'P1', { ua: randomBytes(32) });
    try {
      openIdentity(sealed, 'P1', 'ua', null);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('the key of ua was destroyed: the identity of P1 can no longer be read');
    }
  });

  it('tampered ciphertext does not open', () => {
    const ua = randomBytes(32);
    const sealed = sealIdentity(identity, 'P1', { ua });
    const data = Buffer.from(sealed.data, 'base64url');
    data[0] = data[0]! ^ 1;
    expect(() => openIdentity({ ...sealed, data: data.toString('base64url') }, 'P1', 'ua', ua)).toThrow(SealedIdentityError);
  });

  it('keyed hashes depend on the key and agree with and without the batch memo', () => {
    const k1 = randomBytes(32);
    const m = matchMaterial(identity);
    const memo = new Map<string, string>();
    expect(keyedHashes(m, k1, memo)).toEqual(keyedHashes(m, k1));
    expect(keyedHashes(m, k1, memo)).toEqual(
      keyedHashes(matchMaterial({ familyName: 'Kovalenko', givenName: 'Aleksandr', dateOfBirth: '1994-03-12' }), k1),
    );
    expect(keyedHashes(m, randomBytes(32)).name).not.toBe(keyedHashes(m, k1).name);
  });
});
