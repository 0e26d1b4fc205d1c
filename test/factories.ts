import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { CliIo } from '../src/cli/io';
import { ROLES, type Role } from '../src/core/access/roles';
import { createParty, createUser, createToken } from '../src/core/identity/identity';
import type { Result } from '../src/core/errors';
import type { EventDraft } from '../src/core/journal/envelope';
import { Journal } from '../src/runtime/journal';
import { loadOrCreateNodeKey } from '../src/runtime/node-key';
import { buildApp } from '../src/server/app';
import { hashPassword } from '../src/server/auth';
import type { Services } from '../src/server/services';
import { openStore } from '../src/store/open';
import type { JournalStore } from '../src/store/contract';

export const TEST_PASSWORD = 'correct horse battery staple';

export function tempDir(prefix = 'entente-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestNode {
  readonly dir: string;
  readonly store: JournalStore;
  readonly journal: Journal;
  readonly app: FastifyInstance;
  readonly services: Services;
  /** Signs in through the API; returns the headers a browser would send. */
  signIn(username: string): Promise<{ cookie: string; csrf: string; headers: Record<string, string> }>;
  /** Creates an API token for the user with these scopes; returns the bearer header. */
  token(username: string, scopes: string[]): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** One user per role, named after it (`mediator`, `monitor`, …), each in party `ua` except the mechanism's. */
export const USER_OF_ROLE: Record<Role, { username: string; party: string }> = Object.fromEntries(
  ROLES.map((r) => [r, { username: `${r}-user`, party: r === 'monitor' ? 'mechanism' : r === 'guarantor' ? 'us' : 'ua' }]),
) as Record<Role, { username: string; party: string }>;

export async function testNode(options: { now?: () => Date; logger?: import('pino').Logger } = {}): Promise<TestNode> {
  const dir = tempDir();
  const store = await openStore({ data: dir.path });
  await store.migrate();
  const signer = loadOrCreateNodeKey(dir.path);
  const journal = new Journal(store, signer, { checkpointIntervalMs: 60_000 });
  await journal.open();
  const append = async (d: Result<EventDraft[]>) => {
    if (!d.ok) throw new Error(d.message);
    const r = await journal.append({ drafts: d.value, actor: 'test', party: null });
    if (!r.ok) throw new Error(r.message);
  };
  for (const [id, kind] of [['ua', 'state'], ['ru', 'state'], ['us', 'state'], ['mechanism', 'mechanism']] as const) {
    await append(createParty(journal.image.identity, { id, name: id.toUpperCase(), kind }));
  }
  const hash = await hashPassword(TEST_PASSWORD);
  for (const role of ROLES) {
    const { username, party } = USER_OF_ROLE[role];
    await store.putSecret('credential', username, hash);
    await append(createUser(journal.image.identity, { username, displayName: username, party, roles: [role] }, `id-${username}`));
  }
  const { app, services } = await buildApp({ journal, store, signer, ...(options.now ? { now: options.now } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  let tokens = 0;
  return {
    dir: dir.path,
    store,
    journal,
    app,
    services,
    async signIn(username) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password: TEST_PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.body}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      const csrf = (res.json() as { csrfToken: string }).csrfToken;
      return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
    },
    async token(username, scopes) {
      const id = `00000000-0000-4000-8000-${String(++tokens).padStart(12, '0')}`;
      await append(createToken(journal.image.identity, { id, username, scopes, label: 'test' }));
      const token = await services.auth.issueToken(id);
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await journal.close();
      await store.close();
      dir.remove();
    },
  };
}

export const aReport = (over: Record<string, unknown> = {}) => ({
  occurredAt: '2026-01-07T05:40:00+02:00',
  location: { lon: 35.93, lat: 47.47 },
  domain: 'land',
  type: 'shelling-impact',
  source: 'patrol-heard',
  narrative: 'Four impacts heard south-east of Orikhiv.',
  ...over,
});

/** Adds users beyond the one-per-role set, each with TEST_PASSWORD so that `node.signIn` works for them. */
export async function addTestUsers(
  node: TestNode,
  users: readonly (readonly [username: string, party: string | null, role: Role])[],
): Promise<void> {
  const hash = await hashPassword(TEST_PASSWORD);
  for (const [username, party, role] of users) {
    await node.store.putSecret('credential', username, hash);
    const drafts = createUser(node.journal.image.identity, { username, displayName: username, party, roles: [role] }, `id-${username}`);
    if (!drafts.ok) throw new Error(drafts.message);
    const r = await node.journal.append({ drafts: drafts.value, actor: 'test', party: null });
    if (!r.ok) throw new Error(r.message);
  }
}

/** Signs each user in; returns the headers under the name the test calls them by (`{ ua: 'delegate-user' }`). */
export async function signInEach<Who extends string>(
  node: TestNode,
  users: Readonly<Record<Who, string>>,
): Promise<Record<Who, Record<string, string>>> {
  const headers = {} as Record<Who, Record<string, string>>;
  for (const [who, username] of Object.entries(users) as [Who, string][]) headers[who] = (await node.signIn(username)).headers;
  return headers;
}

/** A CLI's output as lines, for commands that also read files the test names. */
export function captureLines(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (p) => readFileSync(p, 'utf8'),
    readStdin: async () => '',
  };
}

/** A CLI's output as one text each, for commands that read no files. */
export function captureText(): CliIo & { out: string; err: string } {
  const o = { out: '', err: '' };
  return Object.assign(o, {
    stdout: (t: string) => void (o.out += t + '\n'),
    stderr: (t: string) => void (o.err += t + '\n'),
    readFile: async () => '',
    readStdin: async () => '',
  });
}

/**
 * A data directory holding a journal that `seed` has filled, closed again so that a CLI command can open
 * it as an operator would.
 */
export async function seededDataDir(seed: (journal: Journal) => Promise<void>): Promise<ReturnType<typeof tempDir>> {
  const dir = tempDir();
  const store = await openStore({ data: dir.path });
  await store.migrate();
  const journal = new Journal(store, null);
  await journal.open();
  try {
    await seed(journal);
  } finally {
    await journal.close();
    await store.close();
  }
  return dir;
}
