import { z } from 'zod';

export const ROLES = ['mediator', 'delegate', 'signer', 'guarantor', 'monitor', 'intermediary', 'humanitarian', 'donor', 'observer', 'admin', 'bureau'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const PartyId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a party id is lower-case letters, digits and dashes');

/** Who is asking: a signed-in person, or a machine holding a scoped API token. */
export interface Principal {
  readonly kind: 'user' | 'token';
  /** user id, or token id for machines */
  readonly id: string;
  readonly username: string;
  readonly party: string | null;
  readonly roles: readonly Role[];
  /** need-to-know grants held (names, without the `grant:` prefix) */
  readonly grants: readonly string[];
  /** For tokens: the scopes the token carries; users hold every scope their roles allow. */
  readonly scopes: readonly string[] | null;
}

export const ANONYMOUS = null;
export type Reader = Principal | null;
