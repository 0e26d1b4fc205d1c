import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Principal } from '../core/access/roles';
import type { Identity, User } from '../core/identity/identity';
import { fail, ok, type Result } from '../core/errors';
import type { JournalStore } from '../store/contract';

export const SESSION_COOKIE = 'entente_session';
const SESSION_TTL_MS = 12 * 3600_000;
const FAILURES_PER_USERNAME = 5;
// An address may front a whole office (NAT): it gets more room than one username.
const FAILURES_PER_ADDRESS = 30;
const FAILURE_WINDOW_MS = 15 * 60_000;

// argon2id, OWASP's second recommended setting (19 MiB, 2 passes).
const ARGON = { memoryCost: 19_456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

export async function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON);
}

export function checkPasswordStrength(password: string): string | null {
  if (password.length < 12) return 'a password needs at least 12 characters';
  if (password.length > 1024) return 'a password has at most 1024 characters';
  return null;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

interface SessionRecord {
  username: string;
  csrf: string;
}

/**
 * Sign-in (argon2id), browser sessions (random id in an HttpOnly cookie; only its hash is stored),
 * CSRF tokens, scoped API tokens, and sign-in rate limiting. Secrets live in the store's secret
 * table, never in the journal.
 */
export class Auth {
  private readonly failures = new Map<string, number[]>();
  private readonly sessionCache = new Map<string, SessionRecord & { expiresAt: number }>();
  /** token id → hash of its secret; revocation and expiry are read from the projection each time. */
  private readonly tokenHashes = new Map<string, Buffer>();
  // A dummy hash so that an unknown username costs as much as a wrong password.
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly store: JournalStore,
    private readonly identity: () => Identity,
    private readonly now: () => number = Date.now,
  ) {}

  async setPassword(username: string, password: string): Promise<void> {
    await this.store.putSecret('credential', username, await hashPassword(password));
  }

  /** Checks a password; on success opens a session. Rate-limited per username and per address. */
  async signIn(username: string, password: string, address: string): Promise<Result<{ sessionId: string; csrfToken: string; user: User }>> {
    const limited = this.rateLimited(`u:${username}`, FAILURES_PER_USERNAME) ?? this.rateLimited(`a:${address}`, FAILURES_PER_ADDRESS);
    if (limited) return limited;
    const user = this.identity().users.get(username);
    const stored = await this.store.getSecret('credential', username);
    let good = false;
    if (user && stored) {
      good = await argonVerify(stored.value, password).catch(() => false);
    } else {
      this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await argonVerify(await this.dummyHash, password).catch(() => false);
    }
    if (!good || !user) {
      this.noteFailure(`u:${username}`);
      this.noteFailure(`a:${address}`);
      return fail('unauthenticated', 'unknown username or wrong password', '/password');
    }
    this.failures.delete(`u:${username}`);
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = this.now() + SESSION_TTL_MS;
    await this.store.putSecret('session', sha256(sessionId), JSON.stringify({ username, csrf: csrfToken } satisfies SessionRecord), expiresAt);
    this.sessionCache.set(sha256(sessionId), { username, csrf: csrfToken, expiresAt });
    return ok({ sessionId, csrfToken, user });
  }

  async session(sessionId: string): Promise<(SessionRecord & { principal: Principal }) | null> {
    const key = sha256(sessionId);
    let record = this.sessionCache.get(key);
    if (!record) {
      const stored = await this.store.getSecret('session', key);
      if (!stored) return null;
      record = { ...(JSON.parse(stored.value) as SessionRecord), expiresAt: stored.expiresAt ?? 0 };
      this.sessionCache.set(key, record);
    }
    if (record.expiresAt <= this.now()) {
      this.sessionCache.delete(key);
      return null;
    }
    const user = this.identity().users.get(record.username);
    if (!user) return null;
    return { username: record.username, csrf: record.csrf, principal: principalOf(user) };
  }

  async signOut(sessionId: string): Promise<void> {
    const key = sha256(sessionId);
    this.sessionCache.delete(key);
    await this.store.deleteSecret('session', key);
  }

  /** Issues an API token `ent_<id>_<secret>`; only a hash of the secret is kept. */
  async issueToken(id: string): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    await this.store.putSecret('token', id, sha256(secret));
    return `ent_${id}_${secret}`;
  }

  async tokenPrincipal(bearer: string): Promise<Principal | null> {
    const m = /^ent_([A-Za-z0-9-]{8,64})_([A-Za-z0-9_-]{43})$/.exec(bearer);
    if (!m) return null;
    const [, id, secret] = m as unknown as [string, string, string];
    const info = this.identity().tokens.get(id);
    if (!info || info.revoked) return null;
    if (info.expiresAt !== null && Date.parse(info.expiresAt) <= this.now()) return null;
    let a = this.tokenHashes.get(id);
    if (!a) {
      const stored = await this.store.getSecret('token', id);
      if (!stored) return null;
      a = Buffer.from(stored.value, 'hex');
      this.tokenHashes.set(id, a);
    }
    const b = Buffer.from(sha256(secret), 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
    const user = this.identity().users.get(info.username);
    if (!user) return null;
    return { ...principalOf(user), kind: 'token', id: info.id, scopes: info.scopes };
  }

  private rateLimited(key: string, allowed: number): ReturnType<typeof fail> | null {
    const now = this.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => t > now - FAILURE_WINDOW_MS);
    this.failures.set(key, recent);
    if (recent.length < allowed) return null;
    const retryAfterSeconds = Math.ceil((recent[0]! + FAILURE_WINDOW_MS - now) / 1000);
    return fail('rate_limited', `too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes`, undefined, { retryAfterSeconds });
  }

  private noteFailure(key: string): void {
    const list = this.failures.get(key) ?? [];
    list.push(this.now());
    this.failures.set(key, list);
  }
}

export function principalOf(user: User): Principal {
  return { kind: 'user', id: user.id, username: user.username, party: user.party, roles: user.roles, grants: user.grants, scopes: null };
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
