import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedEnvelope } from '../../core/evidence/model';
import type { JournalStore } from '../../store/contract';

/**
 * Reporter identities in an AES-256-GCM envelope: each identity has its own data key, and the data key
 * is wrapped with the mechanism's key. The journal holds only the envelope; the mechanism's key lives in
 * the store's secret table (beside the journal, not in it, and shared by every node of a PostgreSQL
 * deployment), so shredding that key makes every sealed identity unreadable while the chain stays intact.
 */

const SECRET_KIND = 'evidence-seal-key';
const KEY_ID = 'mechanism-1';

export class ReporterSeal {
  private key: Buffer | null = null;

  constructor(private readonly store: JournalStore) {}

  private async mechanismKey(): Promise<Buffer> {
    if (this.key) return this.key;
    const found = await this.store.getSecret(SECRET_KIND, KEY_ID);
    if (found) {
      this.key = Buffer.from(found.value, 'base64');
      return this.key;
    }
    const fresh = randomBytes(32);
    await this.store.putSecret(SECRET_KIND, KEY_ID, fresh.toString('base64'));
    // Two nodes may race to create it: read back whichever was stored.
    const stored = await this.store.getSecret(SECRET_KIND, KEY_ID);
    this.key = Buffer.from(stored!.value, 'base64');
    return this.key;
  }

  async seal(identity: unknown): Promise<SealedEnvelope> {
    const dataKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    const wrapIv = randomBytes(12);
    const wrap = createCipheriv('aes-256-gcm', await this.mechanismKey(), wrapIv);
    const wrappedKey = Buffer.concat([wrap.update(dataKey), wrap.final()]);
    return {
      alg: 'A256GCM',
      keyId: KEY_ID,
      wrappedKey: wrappedKey.toString('base64'),
      wrapIv: wrapIv.toString('base64'),
      wrapTag: wrap.getAuthTag().toString('base64'),
      iv: iv.toString('base64'),
      tag: tag.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  async open(envelope: SealedEnvelope): Promise<unknown> {
    const unwrap = createDecipheriv('aes-256-gcm', await this.mechanismKey(), Buffer.from(envelope.wrapIv, 'base64'));
    unwrap.setAuthTag(Buffer.from(envelope.wrapTag, 'base64'));
    const dataKey = Buffer.concat([unwrap.update(Buffer.from(envelope.wrappedKey, 'base64')), unwrap.final()]);
    const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(envelope.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  }
}
