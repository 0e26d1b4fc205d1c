import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, sha256Of } from './sha256';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('streaming SHA-256 of the page', () => {
  it('agrees with node:crypto on the standard vectors and on random data at every block boundary', () => {
    expect(new Sha256().update(new TextEncoder().encode('abc')).hex()).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(new Sha256().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003]) {
      const data = randomBytes(n);
      expect(new Sha256().update(data).hex()).toBe(node(data));
    }
  });

  it('gives the same hash however the bytes are sliced', () => {
    const data = randomBytes(10_000);
    const h = new Sha256();
    for (let at = 0; at < data.length; at += 777) h.update(data.subarray(at, at + 777));
    expect(h.hex()).toBe(node(data));
  });

  it('hashes a Blob through Web Crypto when small', async () => {
    const data = randomBytes(5000);
    expect(await sha256Of(new Blob([data]))).toBe(node(data));
  });
});
