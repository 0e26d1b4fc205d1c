import { describe, expect, it } from 'vitest';
import { decideSignature, signOffStatus, type FrameworkVersion, type Signature } from './sign-off';

const h = (c: string): string => c.repeat(64);
const V1: FrameworkVersion = { hash: h('a'), recordedAt: '2026-01-03T10:00:00Z' };
const V2: FrameworkVersion = { hash: h('b'), recordedAt: '2026-01-05T10:00:00Z' };
const PARTIES = ['ua', 'ru', 'us'];
const sig = (party: string, hash: string, at = '2026-01-06T09:00:00Z'): Signature => ({
  party,
  hash,
  signer: `${party}-signer`,
  signedAt: at,
});

describe('signOffStatus', () => {
  it('is "same script" only when every required party signed the current hash', () => {
    const all = [sig('ua', V2.hash), sig('ru', V2.hash), sig('us', V2.hash)];
    expect(signOffStatus([V1, V2], all, PARTIES).sameScript).toBe(true);
    const status = signOffStatus([V1, V2], [sig('ua', V2.hash), sig('ru', V1.hash)], PARTIES);
    expect(status.sameScript).toBe(false);
    expect(status.currentHash).toBe(V2.hash);
    expect(status.currentVersion).toBe(2);
    expect(status.parties).toEqual([
      { party: 'ua', state: 'current', signedHash: V2.hash, signedVersion: 2, signer: 'ua-signer', signedAt: '2026-01-06T09:00:00Z' },
      { party: 'ru', state: 'outdated', signedHash: V1.hash, signedVersion: 1, signer: 'ru-signer', signedAt: '2026-01-06T09:00:00Z' },
      { party: 'us', state: 'unsigned', signedHash: null, signedVersion: null, signer: null, signedAt: null },
    ]);
    expect(status.missing).toEqual(['ru', 'us']);
  });

  it('turns red again when a new version is recorded after everyone signed', () => {
    const all = [sig('ua', V1.hash), sig('ru', V1.hash), sig('us', V1.hash)];
    expect(signOffStatus([V1], all, PARTIES).sameScript).toBe(true);
    expect(signOffStatus([V1, V2], all, PARTIES).sameScript).toBe(false);
  });

  it("uses each party's latest signature", () => {
    const status = signOffStatus([V1, V2], [sig('ua', V2.hash), sig('ua', V1.hash)], ['ua']);
    expect(status.parties[0]!.state).toBe('outdated');
  });

  it('is never "same script" with no version or no required party', () => {
    expect(signOffStatus([], [], PARTIES).sameScript).toBe(false);
    expect(signOffStatus([V1], [], []).sameScript).toBe(false);
  });
});

describe('decideSignature', () => {
  const request = (party: string, hash: string) => ({ party, hash, signer: `${party}-signer`, signedAt: '2026-01-06T09:00:00Z' });

  it('accepts a signature on the current version', () => {
    const r = decideSignature([V1, V2], [], PARTIES, request('ua', V2.hash));
    expect(r).toEqual({ ok: true, value: sig('ua', V2.hash) });
  });

  it('refuses a signature on an older version, naming both hashes', () => {
    const r = decideSignature([V1, V2], [], PARTIES, request('ua', V1.hash));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('refused');
    expect(r.message).toContain(V1.hash);
    expect(r.message).toContain(V2.hash);
    expect(r.pointer).toBe('/hash');
    expect(r.details).toEqual({ signedHash: V1.hash, currentHash: V2.hash });
  });

  it('refuses unknown hashes, non-signatories, repeated signatures, and signing before any version', () => {
    expect(decideSignature([V1], [], PARTIES, request('ua', h('c')))).toMatchObject({ ok: false, code: 'not_found' });
    expect(decideSignature([V1], [], PARTIES, request('nato', V1.hash))).toMatchObject({ ok: false, code: 'refused', pointer: '/party' });
    expect(decideSignature([V1], [sig('ua', V1.hash)], PARTIES, request('ua', V1.hash))).toMatchObject({ ok: false, code: 'conflict' });
    expect(decideSignature([], [], PARTIES, request('ua', V1.hash))).toMatchObject({ ok: false, code: 'not_found' });
    expect(decideSignature([V1], [], PARTIES, request('ua', 'not-a-hash'))).toMatchObject({ ok: false, code: 'validation_failed' });
  });

  it('lets a party sign again once a new version supersedes the one it signed', () => {
    expect(decideSignature([V1, V2], [sig('ua', V1.hash)], PARTIES, request('ua', V2.hash)).ok).toBe(true);
  });
});
