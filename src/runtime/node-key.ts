import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointSigner } from '../core/journal/checkpoint';
import { sha256Hex } from '../core/journal/chain';

/**
 * The node's Ed25519 key, kept in `<dir>/keys/node.key` (0600). Checkpoints are signed with it;
 * `<dir>/keys/*.pub` hold the public keys `journal verify` trusts.
 */
export function loadOrCreateNodeKey(dataDir: string): CheckpointSigner {
  const keysDir = join(dataDir, 'keys');
  const keyFile = join(keysDir, 'node.key');
  let privateKey: KeyObject;
  if (existsSync(keyFile)) {
    privateKey = createPrivateKey(readFileSync(keyFile));
  } else {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    privateKey = generateKeyPairSync('ed25519').privateKey;
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const keyId = sha256Hex(Buffer.from(publicKey, 'base64url')).slice(0, 16);
  const pubFile = join(keysDir, `${keyId}.pub`);
  if (!existsSync(pubFile)) writeFileSync(pubFile, publicKey + '\n');
  return {
    keyId,
    publicKey,
    sign: (message) => sign(null, message, privateKey).toString('base64url'),
  };
}

function rawPublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64url');
}

/** Public keys trusted for checkpoint signatures: every `*.pub` in `<dir>/keys`. */
export function trustedKeys(dataDir: string): Set<string> | undefined {
  const keysDir = join(dataDir, 'keys');
  if (!existsSync(keysDir)) return undefined;
  const keys = readdirSync(keysDir)
    .filter((f) => f.endsWith('.pub'))
    .map((f) => readFileSync(join(keysDir, f), 'utf8').trim());
  return keys.length > 0 ? new Set(keys) : undefined;
}
