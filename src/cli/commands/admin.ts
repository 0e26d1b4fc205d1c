import { randomUUID } from 'node:crypto';
import { Role } from '../../core/access/roles';
import { createParty, createToken, createUser, giveGrant, NewParty, NewUser, TOKEN_SCOPES } from '../../core/identity/identity';
import type { Result } from '../../core/errors';
import type { EventDraft } from '../../core/journal/envelope';
import { Journal } from '../../runtime/journal';
import { Auth, checkPasswordStrength } from '../../server/auth';
import { UsageError, type CliIo } from '../io';
import { parse, STORE_OPTIONS, storeTarget } from '../main';
import { withStore } from './journal';

/** Runs an administrative command offline on a data directory or database (no server needed). */
export async function adminCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parse(rest, {
    ...STORE_OPTIONS,
    id: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    party: { type: 'string' },
    role: { type: 'string', multiple: true },
    username: { type: 'string' },
    'display-name': { type: 'string' },
    scope: { type: 'string', multiple: true },
    label: { type: 'string' },
    grant: { type: 'string' },
    'expires-in-days': { type: 'string' },
  });
  const target = storeTarget(values);
  const need = (name: keyof typeof values): string => {
    const v = values[name];
    if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
    return v;
  };

  return withStore(target, async (store) => {
    const journal = new Journal(store, null);
    await journal.open();
    const identity = () => journal.image.identity;
    const append = async (drafts: Result<EventDraft[]>): Promise<number> => {
      if (!drafts.ok) throw new Error(drafts.message + (drafts.pointer ? ` (${drafts.pointer.slice(1)})` : ''));
      const r = await journal.append({ drafts: drafts.value, actor: 'admin-cli', party: null });
      if (!r.ok) throw new Error(r.message);
      return r.value[r.value.length - 1]!.position;
    };
    try {
      switch (sub) {
        case 'create-party': {
          const input = NewParty.safeParse({ id: need('id'), name: need('name'), kind: need('kind') });
          if (!input.success) throw new UsageError(input.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
          const position = await append(createParty(identity(), input.data));
          io.stdout(`party ${input.data.id} created (journal position ${position})`);
          return 0;
        }
        case 'create-user': {
          const roles = (values.role ?? []).map((r) => {
            const parsed = Role.safeParse(r);
            if (!parsed.success) throw new UsageError(`--role ${r}: roles are ${Role.options.join(', ')}`);
            return parsed.data;
          });
          if (roles.length === 0) throw new UsageError('--role is required (repeat it for several roles)');
          const username = need('username');
          const input = NewUser.safeParse({ username, displayName: values['display-name'] ?? username, party: need('party'), roles });
          if (!input.success) throw new UsageError(input.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
          const password = (await io.readStdin()).replace(/\r?\n$/, '');
          const weak = checkPasswordStrength(password);
          if (weak) throw new UsageError(`the password on standard input: ${weak}`);
          const drafts = createUser(identity(), input.data, randomUUID());
          if (!drafts.ok) throw new Error(drafts.message);
          await new Auth(store, identity).setPassword(username, password);
          const position = await append(drafts);
          io.stdout(`user ${username} created (journal position ${position})`);
          return 0;
        }
        case 'create-token': {
          const username = need('username');
          const scopes = values.scope ?? ['read'];
          for (const s of scopes) if (!(TOKEN_SCOPES as readonly string[]).includes(s)) throw new UsageError(`--scope ${s}: scopes are ${TOKEN_SCOPES.join(', ')}`);
          const id = randomUUID();
          const days = values['expires-in-days'] === undefined ? null : Number(values['expires-in-days']);
          if (days !== null && (!Number.isInteger(days) || days < 1)) throw new UsageError('--expires-in-days takes a whole number of days, 1 or more');
          const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString();
          const drafts = createToken(identity(), { id, username, scopes, label: values.label ?? `token for ${username}`, expiresAt });
          if (!drafts.ok) throw new Error(drafts.message);
          const token = await new Auth(store, identity).issueToken(id);
          await append(drafts);
          io.stdout(token);
          io.stderr(`token ${id} for ${username} (scopes: ${scopes.join(', ')}); it is shown this once`);
          return 0;
        }
        case 'grant': {
          const position = await append(giveGrant(identity(), need('username'), need('grant')));
          io.stdout(`granted (journal position ${position})`);
          return 0;
        }
        default:
          throw new UsageError('admin create-party | create-user | create-token | grant');
      }
    } finally {
      await journal.close();
    }
  });
}
