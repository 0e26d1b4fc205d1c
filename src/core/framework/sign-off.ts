import { fail, ok, type Result } from '../errors';

/**
 * Sign-off: "everyone is reading from the same script" as a fact the system checks. A party's
 * authorised signer signs a version by its hash; the status shows, per party, which hash it signed and
 * whether that is the current one. Pure functions over the versions and signatures the journal holds.
 */

export interface FrameworkVersion {
  /** sha256 of the normalised document (hash.ts) */
  readonly hash: string;
  readonly recordedAt: string;
}

export interface Signature {
  readonly party: string;
  readonly hash: string;
  /** the signer's user id */
  readonly signer: string;
  readonly signedAt: string;
}

export type PartySignOffState = 'current' | 'outdated' | 'unsigned';

export interface PartySignOff {
  readonly party: string;
  readonly state: PartySignOffState;
  /** The hash this party's latest signature is on, if any. */
  readonly signedHash: string | null;
  /** 1-based number of that version in the sequence, if it is one of ours. */
  readonly signedVersion: number | null;
  readonly signer: string | null;
  readonly signedAt: string | null;
}

export interface SignOffStatus {
  readonly currentHash: string | null;
  readonly currentVersion: number | null;
  /** True only when there is a current version and every required party signed exactly it. */
  readonly sameScript: boolean;
  readonly parties: readonly PartySignOff[];
  /** Required parties whose latest signature is not on the current version. */
  readonly missing: readonly string[];
}

/**
 * @param versions in the order they were recorded; the last is current
 * @param signatures in journal order; a party's later signature replaces its earlier one
 */
export function signOffStatus(
  versions: readonly FrameworkVersion[],
  signatures: readonly Signature[],
  requiredParties: readonly string[],
): SignOffStatus {
  const current = versions.length > 0 ? versions[versions.length - 1]! : null;
  const numberOf = new Map<string, number>();
  versions.forEach((v, i) => numberOf.set(v.hash, i + 1));
  const latest = new Map<string, Signature>();
  for (const s of signatures) latest.set(s.party, s);

  const parties: PartySignOff[] = [...new Set(requiredParties)].map((party) => {
    const s = latest.get(party);
    if (!s) return { party, state: 'unsigned', signedHash: null, signedVersion: null, signer: null, signedAt: null };
    return {
      party,
      state: current && s.hash === current.hash ? 'current' : 'outdated',
      signedHash: s.hash,
      signedVersion: numberOf.get(s.hash) ?? null,
      signer: s.signer,
      signedAt: s.signedAt,
    };
  });
  const missing = parties.filter((p) => p.state !== 'current').map((p) => p.party);
  return {
    currentHash: current?.hash ?? null,
    currentVersion: current ? versions.length : null,
    sameScript: current !== null && parties.length > 0 && missing.length === 0,
    parties,
    missing,
  };
}

export interface SignRequest {
  readonly party: string;
  readonly hash: string;
  readonly signer: string;
  readonly signedAt: string;
}

/**
 * Decides whether a signature may be recorded. Signing anything but the current version is refused
 * with both hashes named, so that the signer sees at once that they read an old text.
 */
export function decideSignature(
  versions: readonly FrameworkVersion[],
  signatures: readonly Signature[],
  requiredParties: readonly string[],
  request: SignRequest,
): Result<Signature> {
  const current = versions[versions.length - 1];
  if (!current) return fail('not_found', 'there is no framework version to sign yet', '/hash');
  if (!/^[0-9a-f]{64}$/.test(request.hash))
    return fail('validation_failed', 'a version hash is 64 lower-case hexadecimal characters (sha256)', '/hash');
  if (!requiredParties.includes(request.party)) {
    return fail('refused', `party ${request.party} is not among the signatories (${requiredParties.join(', ')})`, '/party');
  }
  if (!versions.some((v) => v.hash === request.hash)) {
    return fail('not_found', `no version has the hash ${request.hash}; the current version is ${current.hash}`, '/hash', {
      currentHash: current.hash,
    });
  }
  if (request.hash !== current.hash) {
    return fail(
      'refused',
      `version ${request.hash} is not the current version: the current version is ${current.hash}. Read the current text and sign its hash.`,
      '/hash',
      { signedHash: request.hash, currentHash: current.hash },
    );
  }
  const latest = [...signatures].reverse().find((s) => s.party === request.party);
  if (latest && latest.hash === request.hash) {
    return fail('conflict', `party ${request.party} already signed ${request.hash} (signer ${latest.signer}, ${latest.signedAt})`, '/hash');
  }
  return ok({ party: request.party, hash: request.hash, signer: request.signer, signedAt: request.signedAt });
}
