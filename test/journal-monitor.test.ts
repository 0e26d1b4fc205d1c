import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import type { CliIo } from '../src/cli/io';
import { Journal } from '../src/runtime/journal';
import { monitorLog } from '../src/runtime/tree-log-monitor';
import { loadOrCreateNodeKey } from '../src/runtime/node-key';
import { buildApp } from '../src/server/app';
import type { Services } from '../src/server/services';
import { openStore } from '../src/store/open';
import type { JournalStore } from '../src/store/contract';
import { tempDir } from './factories';
import { runCli, startServer } from './process';
import { startLocalAuthority, type LocalAuthority } from './tree-log-tsa';

/** A node on its own data directory, listening on a real port (the monitor speaks HTTP). */
interface LiveNode {
  readonly url: string;
  readonly port: number;
  readonly services: Services;
  append(n: number, tag: string): Promise<void>;
  close(): Promise<void>;
}

async function liveNode(dir: string, authorities: string[], port = 0): Promise<LiveNode> {
  const store: JournalStore = await openStore({ data: dir });
  await store.migrate();
  const signer = loadOrCreateNodeKey(dir);
  const journal = new Journal(store, signer, { checkpointIntervalMs: 60_000 });
  await journal.open();
  const { app, services }: { app: FastifyInstance; services: Services } = await buildApp({
    journal,
    store,
    signer,
    treeLog: { authorities },
  });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    services,
    async append(n, tag) {
      for (let i = 0; i < n; i++) {
        const r = await journal.append({
          drafts: [{ stream: `test/${tag}`, type: 'test.happened', payload: { tag, i }, visibility: ['public'] }],
          actor: 'test',
          party: null,
        });
        if (!r.ok) throw new Error(r.message);
      }
      const signed = await services.treeLog.signHead();
      if (!signed.ok) throw new Error(signed.message);
    },
    async close() {
      await app.close();
      await journal.close();
      await store.close();
    },
  };
}

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), readFile: async () => '', readStdin: async () => '' };
}

async function monitor(url: string, state: string, authority: LocalAuthority) {
  const io = captureIo();
  const code = await main(['journal', 'monitor', url, '--state', state, '--tsa-ca', authority.caFile], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

let authority: LocalAuthority;
const dirs: { path: string; remove: () => void }[] = [];
const fresh = () => {
  const d = tempDir('entente-monitor-');
  dirs.push(d);
  return d.path;
};

beforeAll(async () => {
  authority = await startLocalAuthority();
});
afterAll(async () => {
  await authority.close();
  for (const d of dirs) d.remove();
});

describe('entente journal monitor', () => {
  it('accepts a log that only grows, checking signatures and time-stamp tokens', async () => {
    const state = join(fresh(), 'state.json');
    const node = await liveNode(fresh(), [authority.url]);
    try {
      await node.append(5, 'a');
      const first = await monitor(node.url, state, authority);
      expect(first.err).toBe('');
      expect(first.code).toBe(0);
      expect(first.out).toMatch(
        /^ok size 5 root [0-9a-f]{16}… issued .* by key [0-9a-f]{16}; time-stamped by http:\/\/127\.0\.0\.1:\d+\/tsa at /,
      );
      await node.append(4, 'b');
      const second = await monitor(node.url, state, authority);
      expect(second.code).toBe(0);
      expect(second.out).toContain('consistent: 2 heads checked, the largest size 10');
      expect(JSON.parse(readFileSync(state, 'utf8')).heads).toHaveLength(2);
    } finally {
      await node.close();
    }
  });

  it('fails, naming both heads, when the operator serves a rewritten history under the same key', async () => {
    const state = join(fresh(), 'state.json');
    const dirA = fresh();
    const a = await liveNode(dirA, [authority.url]);
    await a.append(6, 'original');
    expect((await monitor(a.url, state, authority)).code).toBe(0);
    const port = a.port;
    await a.close();
    // Another history, signed with the same node key, served at the same address.
    const dirB = fresh();
    cpSync(join(dirA, 'keys'), join(dirB, 'keys'), { recursive: true });
    const b = await liveNode(dirB, [authority.url], port);
    try {
      await b.append(9, 'rewritten');
      const run = await monitor(b.url, state, authority);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /history was rewritten: the head of size 6 root [0-9a-f]{16}… issued \S+ by key \S+ is not a prefix of the head of size 9 root/,
      );
      // The state is not advanced past the failure: the next run fails the same way.
      expect(JSON.parse(readFileSync(state, 'utf8')).heads.map((h: { size: number }) => h.size)).toEqual([6]);
      expect((await monitor(b.url, state, authority)).code).toBe(1);
    } finally {
      await b.close();
    }
  });

  it('fails when the store is truncated below a head it saw', async () => {
    const state = join(fresh(), 'state.json');
    const dir = fresh();
    const node = await liveNode(dir, []);
    await node.append(8, 'kept');
    expect((await monitor(node.url, state, authority)).code).toBe(0);
    const port = node.port;
    await node.close();
    // Cut the tail (the head event and some before it) directly in the store, as someone with disk access could.
    const file = join(dir, 'journal.db');
    expect(existsSync(file)).toBe(true);
    const db = new Database(file);
    db.prepare('DELETE FROM events WHERE position > 5').run();
    db.prepare('DELETE FROM snapshots').run();
    db.close();
    const again = await liveNode(dir, [], port);
    try {
      await again.append(1, 'after');
      const run = await monitor(again.url, state, authority);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /history was rewritten: the head of size 6 .* is not a prefix of the head of size 8 .*\(the node's log no longer reaches size 8: truncated\)/,
      );
    } finally {
      await again.close();
    }
  });

  it('fails on a head whose signature or time-stamp token does not verify', async () => {
    const node = await liveNode(fresh(), [authority.url]);
    try {
      await node.append(3, 'c');
      const tampering =
        (change: (head: Record<string, unknown>) => void): typeof fetch =>
        async (input, init) => {
          const res = await fetch(input, init);
          if (!String(input).includes('/tree-head')) return res;
          const body = (await res.json()) as { heads?: Record<string, unknown>[] } & Record<string, unknown>;
          for (const head of body.heads ?? [body]) change(head);
          return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
        };
      const resized = await monitorLog(node.url, null, { fetch: tampering((h) => (h.size = 2)) });
      expect(resized.failure).toMatch(/^bad signature on the tree head of size 2 /);
      const otherToken = (await monitorLog(node.url, null, {})).state.heads[0]!.timestamps[0]!.token;
      await node.append(1, 'd');
      const swapped = await monitorLog(node.url, null, {
        fetch: tampering((h) => ((h.timestamps as { token: string }[])[0]!.token = otherToken)),
      });
      expect(swapped.failure).toMatch(
        /bad time-stamp token from http:.* on the tree head of size 5 .*: the token stamps a different message \(imprint mismatch\)/,
      );
      const pinned = await monitorLog(node.url, null, { keys: ['AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFake='] });
      expect(pinned.failure).toMatch(/is signed by a key you did not list/);
    } finally {
      await node.close();
    }
  });

  it('says what is wrong with how it was called', async () => {
    const io = captureIo();
    expect(await main(['journal', 'monitor'], io)).toBe(2);
    expect(io.err.join('\n')).toContain('journal monitor URL [--state FILE]');
  });
});

describe('entente journal prove / consistency', () => {
  it('prints an inclusion proof from the store and from a node, and checks it', async () => {
    const dir = fresh();
    const node = await liveNode(dir, []);
    try {
      await node.append(12, 'p');
      for (const where of [
        ['--data', dir],
        ['--url', node.url],
      ]) {
        const io = captureIo();
        expect(await main(['journal', 'prove', '--position', '7', ...where], io), io.err.join('\n')).toBe(0);
        const out = io.out.join('\n');
        expect(out).toContain('position 7 (leaf index 6) in the tree of size 12');
        expect(out).toMatch(/signed head size 12 root .* signature ok, root matches/);
        expect(out).toContain('verified: the proof recomputes the root');
        expect(out.match(/^ {2}[0-9a-f]{64}$/gm)).toHaveLength(4);
      }
      const io = captureIo();
      expect(await main(['journal', 'prove', '--position', '99', '--data', dir], io)).toBe(1);
      expect(io.err.join('\n')).toContain('position 99 is not in the journal (positions 1–13)');
      expect(await main(['journal', 'prove', '--position', 'x', '--data', dir], captureIo())).toBe(2);
    } finally {
      await node.close();
    }
  });

  it('prints a consistency proof between two sizes, and checks it', async () => {
    const dir = fresh();
    const node = await liveNode(dir, []);
    try {
      await node.append(5, 'q');
      await node.append(6, 'r');
      for (const where of [
        ['--data', dir],
        ['--url', node.url],
      ]) {
        const io = captureIo();
        expect(await main(['journal', 'consistency', '--from', '5', '--to', '12', ...where], io), io.err.join('\n')).toBe(0);
        const out = io.out.join('\n');
        expect(out).toMatch(/from size 5, root [0-9a-f]{64}/);
        expect(out).toMatch(/signed head size 5 .* signature ok, root matches/);
        expect(out).toMatch(/signed head size 12 .* signature ok, root matches/);
        expect(out).toContain('verified: the tree of size 5 is a prefix of the tree of size 12');
      }
      const io = captureIo();
      expect(await main(['journal', 'consistency', '--from', '9', '--to', '4', '--data', dir], io)).toBe(1);
      expect(io.err.join('\n')).toContain('--from must be at most --to');
    } finally {
      await node.close();
    }
  });
});

describe('entente serve --tsa, as processes', () => {
  it('signs heads at its interval, stamped by the authority, and a monitor process accepts them', async () => {
    const dir = fresh();
    const created = await runCli(['admin', 'create-party', '--id', 'ua', '--name', 'Ukraine', '--kind', 'state', '--data', dir]);
    expect(created.code, created.stderr).toBe(0);
    const server = await startServer(['--data', dir, '--tsa', authority.url, '--tree-head-interval', '200']);
    try {
      let head: { size: number; timestamps: unknown[] } | null = null;
      for (let i = 0; i < 50 && !head; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const res = await fetch(`${server.url}/api/v1/journal/tree-head`);
        if (res.status === 200) head = (await res.json()) as { size: number; timestamps: unknown[] };
      }
      expect(head?.size).toBe(1);
      expect(head?.timestamps).toHaveLength(1);
      const state = join(fresh(), 'state.json');
      const run = await runCli(['journal', 'monitor', server.url, '--state', state, '--tsa-ca', authority.caFile]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('time-stamped by ' + authority.url);
    } finally {
      await server.stop();
    }
  });
});
