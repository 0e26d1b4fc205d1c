import { z } from 'zod';
import { PartyId, Role } from '../access/roles';
import { POLICY } from '../access/policy';
import type { EventDraft, JournalEvent } from '../journal/envelope';
import { fail, ok, type Result } from '../errors';
import type { Projection } from '../projection';

export const PartyKind = z.enum(['state', 'organisation', 'mechanism']);

export const NewParty = z
  .object({
    id: PartyId,
    name: z.string().trim().min(1).max(200),
    kind: PartyKind,
  })
  .strict();
export type NewParty = z.infer<typeof NewParty>;
export type Party = NewParty;

export const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a username is 2–64 lower-case letters, digits, dots, dashes or underscores');
export const GrantName = z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,126}$/, 'a grant name is lower-case letters, digits and : . _ -');

export const NewUser = z
  .object({
    username: Username,
    displayName: z.string().trim().min(1).max(200),
    party: PartyId.nullable(),
    roles: z.array(Role).min(1).max(10),
  })
  .strict();
export type NewUser = z.infer<typeof NewUser>;

export interface User extends NewUser {
  readonly id: string;
  grants: string[];
}

export interface TokenInfo {
  readonly id: string;
  readonly username: string;
  readonly scopes: readonly string[];
  readonly label: string;
  /** ISO instant after which the token is refused; null: until revoked. */
  readonly expiresAt: string | null;
  revoked: boolean;
}

export interface Identity {
  parties: Map<string, Party>;
  users: Map<string, User>;
  tokens: Map<string, TokenInfo>;
}

/** Every scope some action of the policy asks for: a token can carry exactly these. */
export const TOKEN_SCOPES: readonly string[] = [...new Set(Object.values(POLICY).map((rule) => rule.scope))].sort();
export const TokenScope = z.string().refine((s) => TOKEN_SCOPES.includes(s), { message: `unknown scope; scopes are ${TOKEN_SCOPES.join(', ')}` });

const IDENTITY_VISIBILITY = ['admin'];

export function createParty(state: Identity, input: NewParty): Result<EventDraft[]> {
  if (state.parties.has(input.id)) return fail('conflict', `party ${input.id} exists already`, '/id');
  return ok([{ stream: `party/${input.id}`, type: 'party.created', payload: { ...input }, visibility: ['public'] }]);
}

export function createUser(state: Identity, input: NewUser, id: string): Result<EventDraft[]> {
  if (state.users.has(input.username)) return fail('conflict', `user ${input.username} exists already`, '/username');
  if (input.party !== null && !state.parties.has(input.party)) return fail('validation_failed', `no party ${input.party}`, '/party');
  return ok([{ stream: `user/${input.username}`, type: 'user.created', payload: { id, ...input }, visibility: IDENTITY_VISIBILITY }]);
}

export function giveGrant(state: Identity, username: string, grant: string): Result<EventDraft[]> {
  const user = state.users.get(username);
  if (!user) return fail('not_found', `no user ${username}`, '/username');
  if (user.grants.includes(grant)) return fail('conflict', `${username} holds ${grant} already`, '/grant');
  return ok([{ stream: `user/${username}`, type: 'user.grant-given', payload: { username, grant }, visibility: IDENTITY_VISIBILITY }]);
}

export function createToken(state: Identity, input: { id: string; username: string; scopes: string[]; label: string; expiresAt?: string | null }): Result<EventDraft[]> {
  if (!state.users.has(input.username)) return fail('not_found', `no user ${input.username}`, '/username');
  for (const [i, s] of input.scopes.entries()) {
    if (!TokenScope.safeParse(s).success) return fail('validation_failed', `unknown scope ${s}; scopes are ${TOKEN_SCOPES.join(', ')}`, `/scopes/${i}`);
  }
  // The token's secret never enters the journal: only its id, owner and scopes.
  return ok([{ stream: `token/${input.id}`, type: 'token.created', payload: { ...input, expiresAt: input.expiresAt ?? null }, visibility: IDENTITY_VISIBILITY }]);
}

export const identityProjection: Projection<Identity> = {
  name: 'identity',
  version: 1,
  init: () => ({ parties: new Map(), users: new Map(), tokens: new Map() }),
  apply(state, event: JournalEvent) {
    const p = event.payload;
    switch (event.type) {
      case 'party.created':
        state.parties.set(p.id as string, { id: p.id as string, name: p.name as string, kind: p.kind as Party['kind'] });
        break;
      case 'user.created':
        state.users.set(p.username as string, {
          id: p.id as string,
          username: p.username as string,
          displayName: p.displayName as string,
          party: (p.party as string | null) ?? null,
          roles: p.roles as User['roles'],
          grants: [],
        });
        break;
      case 'user.grant-given':
        state.users.get(p.username as string)?.grants.push(p.grant as string);
        break;
      case 'token.created':
        state.tokens.set(p.id as string, {
          id: p.id as string,
          username: p.username as string,
          scopes: p.scopes as string[],
          label: p.label as string,
          expiresAt: (p.expiresAt as string | null | undefined) ?? null,
          revoked: false,
        });
        break;
      case 'token.revoked': {
        const t = state.tokens.get(p.id as string);
        if (t) t.revoked = true;
        break;
      }
    }
  },
  toSnapshot: (s) => ({ parties: [...s.parties.values()], users: [...s.users.values()], tokens: [...s.tokens.values()] }),
  fromSnapshot(data) {
    const d = data as { parties: Party[]; users: User[]; tokens: TokenInfo[] };
    return {
      parties: new Map(d.parties.map((x) => [x.id, x])),
      users: new Map(d.users.map((x) => [x.username, x])),
      tokens: new Map(d.tokens.map((x) => [x.id, x])),
    };
  },
};
