import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createParty, createToken, createUser, giveGrant, GrantName, NewParty, NewUser, TokenScope, Username } from '../../core/identity/identity';
import { fail, ok, type Result } from '../../core/errors';
import type { EventDraft } from '../../core/journal/envelope';
import type { Principal } from '../../core/access/roles';
import { checkPasswordStrength } from '../auth';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { Appended, UserOut, userOut } from './schemas';

const PartyOut = z.object({ id: z.string(), name: z.string(), kind: z.string() });

/** Appends a command's events as the reader; answers with the last event's position and hash. */
export async function appendAs(
  services: Services,
  reader: Principal | null,
  drafts: Result<EventDraft[]>,
  idempotencyKey: string | null,
  expected?: Record<string, number | 'new' | 'any'>,
): Promise<Result<{ position: number; hash: string }>> {
  if (!drafts.ok) return drafts;
  const appended = await services.journal.append({
    drafts: drafts.value,
    actor: reader ? reader.username : 'system',
    party: reader?.party ?? null,
    idempotencyKey,
    ...(expected ? { expected } : {}),
  });
  if (!appended.ok) return appended;
  const last = appended.value[appended.value.length - 1]!;
  return ok({ position: last.position, hash: last.hash });
}

/** A new record's id: derived from the idempotency key when there is one, so a retry decides the same. */
export function newId(reader: Principal | null, idempotencyKey: string | null): string {
  if (!idempotencyKey) return randomUUID();
  const h = createHash('sha256').update(`${reader?.username ?? ''}\u0000${idempotencyKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const identityRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/parties',
    summary: 'Parties to the process (states and organisations)',
    tag: 'identity',
    action: 'party.list',
    response: z.object({ parties: z.array(PartyOut) }),
    async handler({ services }) {
      return ok({ parties: [...services.journal.image.identity.parties.values()].map((p) => ({ id: p.id, name: p.name, kind: p.kind })) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/parties',
    summary: 'Register a party',
    tag: 'identity',
    action: 'party.create',
    body: NewParty,
    status: 201,
    response: Appended,
    async handler({ body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, createParty(services.journal.image.identity, body), idempotencyKey, { [`party/${body.id}`]: 'new' });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/users',
    summary: 'People with access, their party, roles and grants',
    tag: 'identity',
    action: 'user.list',
    response: z.object({ users: z.array(UserOut) }),
    async handler({ services }) {
      return ok({ users: [...services.journal.image.identity.users.values()].map(userOut) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/users',
    summary: 'Create a person with a password',
    tag: 'identity',
    action: 'user.create',
    body: NewUser.extend({ password: z.string() }).strict(),
    status: 201,
    response: Appended,
    async handler({ body, reader, services, idempotencyKey }) {
      const weak = checkPasswordStrength(body.password);
      if (weak) return fail('validation_failed', weak, '/password');
      const { password, ...user } = body;
      const drafts = createUser(services.journal.image.identity, user, newId(reader, idempotencyKey));
      if (!drafts.ok) return drafts;
      // The credential is written before the event: a user never exists without a way to sign in.
      await services.auth.setPassword(user.username, password);
      return appendAs(services, reader, drafts, idempotencyKey, { [`user/${user.username}`]: 'new' });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tokens',
    summary: 'Issue a scoped API token for a machine (monitor device, guarantor system); the token is shown once',
    tag: 'identity',
    action: 'token.create',
    body: z
      .object({ username: Username, scopes: z.array(TokenScope).min(1), label: z.string().min(1).max(200), expiresInDays: z.number().int().min(1).max(3650).optional() })
      .strict(),
    status: 201,
    response: z.object({ id: z.string(), token: z.string(), position: z.number().int() }),
    async handler({ body, reader, services, idempotencyKey }) {
      const id = newId(reader, idempotencyKey);
      const { expiresInDays, ...rest } = body;
      const expiresAt = expiresInDays ? new Date(services.now().getTime() + expiresInDays * 86_400_000).toISOString() : null;
      const drafts = createToken(services.journal.image.identity, { id, ...rest, expiresAt });
      if (!drafts.ok) return drafts;
      const token = await services.auth.issueToken(id);
      const appended = await appendAs(services, reader, drafts, idempotencyKey);
      if (!appended.ok) return appended;
      return ok({ id, token, position: appended.value.position });
    },
    replay: () => fail('conflict', 'a token was already issued for this idempotency key; its secret was shown once — issue a new token'),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/grants',
    summary: 'Give a person a need-to-know grant (e.g. exact coordinates)',
    tag: 'identity',
    action: 'grant.give',
    body: z.object({ username: Username, grant: GrantName }).strict(),
    status: 201,
    response: Appended,
    async handler({ body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, giveGrant(services.journal.image.identity, body.username, body.grant), idempotencyKey);
    },
  }),
];
