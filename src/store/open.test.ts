import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from './contract';
import { openStore } from './open';
import { redactUrl } from './postgres/postgres-store';

async function openError(target: Parameters<typeof openStore>[0]): Promise<StoreError> {
  const error: unknown = await openStore(target).then(
    async (store) => {
      await store.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe('openStore', () => {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'entente-open-'));
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('opens SQLite in the data directory when no database URL is given', async () => {
    const store = await openStore({ data: join(root, 'data') });
    expect(store.kind).toBe('sqlite');
    expect(existsSync(join(root, 'data', 'journal.db'))).toBe(true);
    await store.close();
  });

  it('refuses a URL that is not PostgreSQL, without echoing its password', async () => {
    const error = await openError({ db: 'mysql://admin:s3cret-pw@db.example:3306/entente' });
    expect(error.message).toMatch(/is not a PostgreSQL URL/);
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.message).toContain('admin:***@');
  });

  it('refuses something that is not a URL at all', async () => {
    const error = await openError({ db: 'db.example:5432' });
    expect(error.message).toMatch(/not a valid URL|not a PostgreSQL URL/);
  });

  it('reports an unreachable server in one line, password redacted', async () => {
    const error = await openError({ db: 'postgres://entente:s3cret-pw@127.0.0.1:1/entente' });
    expect(error.message).toMatch(
      /^cannot open the PostgreSQL journal at postgres:\/\/entente:\*\*\*@127\.0\.0\.1:1\/entente: .*ECONNREFUSED/,
    );
    expect(error.message).not.toContain('s3cret-pw');
    expect(error.message).not.toContain('\n');
  });

  it('redacts the password in URLs, including a password= parameter', () => {
    expect(redactUrl('postgresql://u:p%40ss@h:5432/d?sslmode=require')).toBe('postgresql://u:***@h:5432/d?sslmode=require');
    expect(redactUrl('postgres://h/d?user=u&password=pw')).toBe('postgres://h/d?user=u&password=***');
    expect(redactUrl('postgres://u@h/d')).toBe('postgres://u@h/d');
  });

  const pg = process.env.ENTENTE_TEST_PG;
  it.runIf(pg)('opens PostgreSQL from a postgres:// URL and describes it without the password', async () => {
    const url = new URL(pg!);
    url.password = 'hunter2-pw'; // the test server trusts local connections, so any password works
    const store = await openStore({ db: url.toString(), schema: `t_open_${process.pid}` });
    try {
      expect(store.kind).toBe('postgres');
      expect(store.description).toContain(':***@');
      expect(store.description).not.toContain('hunter2-pw');
    } finally {
      await store.close();
      const { Client } = await import('pg');
      const client = new Client({ connectionString: pg });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "t_open_${process.pid}" CASCADE`);
      await client.end();
    }
  });

  it.runIf(pg)('names a database that does not exist', async () => {
    const url = new URL(pg!);
    url.pathname = '/no_such_database_entente';
    const error = await openError({ db: url.toString() });
    expect(error.message).toMatch(/database "no_such_database_entente" does not exist/);
  });
});
