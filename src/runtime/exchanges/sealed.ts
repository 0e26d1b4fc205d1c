import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import {
  Identity,
  type DeclaredPerson,
  type ListKind,
  type MatchKeys,
  type PersonInput,
  type SealedIdentity,
} from '../../core/exchanges/model';
import { matchMaterial, type MatchMaterial, type SkeletonMemo } from '../../core/exchanges/normalise';
import type { JournalStore } from '../../store/contract';

/**
 * Sealed identities: envelope encryption with AES-256-GCM. Each person's identity is encrypted under
 * its own data key; the data key is wrapped for the owning bureau and for the intermediary with
 * their key-encryption keys (KEKs). The journal holds only the ciphertext and the wrapped data keys.
 *
 * KEKs and the intermediary's matching key live in the store's secret table, never in the journal:
 * every node of a PostgreSQL cluster reads the same keys (a node's data directory would not be
 * shared), journal exports and the live stream never carry them, and deleting a KEK row shreds
 * every identity sealed for that party — the journal stays intact and its hash chain verifies.
 */

const KEK = 'exchange-kek';
const MATCHING_KEY = 'exchange-matching-key';

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

export class SealedIdentityError extends Error {
  override readonly name = 'SealedIdentityError';
}

export class ExchangeKeys {
  constructor(private readonly store: JournalStore) {}

  /** A party's KEK, created on first use. Re-read after writing, so two nodes settle on one key. */
  async kek(party: string): Promise<Buffer> {
    return this.getOrCreate(KEK, party);
  }

  async existingKek(party: string): Promise<Buffer | null> {
    const stored = await this.store.getSecret(KEK, party);
    return stored ? unb64(stored.value) : null;
  }

  /** The intermediary's key for keyed hashes of normalised identifiers. */
  async matchingKey(intermediary: string): Promise<Buffer> {
    return this.getOrCreate(MATCHING_KEY, intermediary);
  }

  /** Retention: destroys a party's KEK. Identities sealed only for this party can never be read again. */
  async destroy(party: string): Promise<boolean> {
    const had = (await this.store.getSecret(KEK, party)) !== null;
    await this.store.deleteSecret(KEK, party);
    return had;
  }

  private async getOrCreate(kind: string, party: string): Promise<Buffer> {
    const stored = await this.store.getSecret(kind, party);
    if (stored) return unb64(stored.value);
    await this.store.putSecret(kind, party, b64(randomBytes(32)));
    const settled = await this.store.getSecret(kind, party);
    if (!settled) throw new SealedIdentityError(`the ${kind} of ${party} could not be stored`);
    return unb64(settled.value);
  }
}

function gcm(key: Buffer, plain: Buffer, aad: string): { iv: Buffer; data: Buffer; tag: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, data, tag: cipher.getAuthTag() };
}

function ungcm(key: Buffer, iv: Buffer, data: Buffer, tag: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/** Seals one identity for the given holders (party → KEK). The person id is bound in as associated data. */
export function sealIdentity(identity: Identity, personId: string, holders: Record<string, Buffer>): SealedIdentity {
  const dataKey = randomBytes(32);
  const body = gcm(dataKey, Buffer.from(JSON.stringify(identity), 'utf8'), personId);
  const keys: Record<string, string> = {};
  for (const [party, kek] of Object.entries(holders)) {
    const w = gcm(kek, dataKey, `${personId}|${party}`);
    keys[party] = `${b64(w.iv)}.${b64(w.data)}.${b64(w.tag)}`;
  }
  dataKey.fill(0);
  return { iv: b64(body.iv), data: b64(body.data), tag: b64(body.tag), keys };
}

/** Opens an identity with a holder's KEK; throws SealedIdentityError (without any identity data) when it cannot. */
export function openIdentity(sealed: SealedIdentity, personId: string, party: string, kek: Buffer | null): Identity {
  const wrapped = sealed.keys[party];
  if (!wrapped) throw new SealedIdentityError(`the identity of ${personId} is not sealed for ${party}`);
  if (!kek) throw new SealedIdentityError(`the key of ${party} was destroyed: the identity of ${personId} can no longer be read`);
  try {
    const [iv, data, tag] = wrapped.split('.').map(unb64) as [Buffer, Buffer, Buffer];
    const dataKey = ungcm(kek, iv, data, tag, `${personId}|${party}`);
    const plain = ungcm(dataKey, unb64(sealed.iv), unb64(sealed.data), unb64(sealed.tag), personId);
    dataKey.fill(0);
    return Identity.parse(JSON.parse(plain.toString('utf8')));
  } catch {
    throw new SealedIdentityError(`the identity of ${personId} does not open with the current key of ${party}`);
  }
}

/**
 * HMAC-SHA256 under the matching key, 128 bits, of each normalised identifier. `memo` keeps the
 * hashes of names (which repeat) for one batch only.
 */
export function keyedHashes(material: MatchMaterial, matchingKey: Buffer, memo?: Map<string, string>): MatchKeys {
  const h = (s: string) => createHmac('sha256', matchingKey).update(s, 'utf8').digest().subarray(0, 16).toString('base64url');
  let name = memo?.get(material.name);
  if (name === undefined) {
    name = h(material.name);
    memo?.set(material.name, name);
  }
  return {
    serial: material.serial === null ? null : h(material.serial),
    nameDob: material.nameDob === null ? null : h(material.nameDob),
    name,
  };
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A pseudonym that says nothing about the person: side, list and random letters (e.g. UA-H-7K3QF2MX). */
export function pseudonym(side: string, list: ListKind): string {
  const bytes = randomBytes(8);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `${side.toUpperCase()}-${list === 'held' ? 'H' : 'R'}-${s}`;
}

/**
 * Turns a bureau's declared persons into their journal half: pseudonym, keyed hashes, and the
 * identity sealed for the bureau and the intermediary. Nothing in the result is readable without a key.
 */
export async function sealDeclaration(
  keys: ExchangeKeys,
  side: string,
  list: ListKind,
  intermediary: string,
  persons: readonly PersonInput[],
): Promise<DeclaredPerson[]> {
  const holders = { [side]: await keys.kek(side), [intermediary]: await keys.kek(intermediary) };
  const matching = await keys.matchingKey(intermediary);
  const skeletons: SkeletonMemo = new Map();
  const nameHashes = new Map<string, string>();
  return persons.map((p) => {
    const id = pseudonym(side, list);
    return {
      id,
      category: p.category,
      medicalPriority: p.medicalPriority,
      ageBand: p.ageBand,
      homeState: p.homeState,
      keys: keyedHashes(matchMaterial(p.identity, skeletons), matching, nameHashes),
      sealed: sealIdentity(p.identity, id, holders),
    };
  });
}
