import { type JournalStore, StoreError } from './contract';
import { openPostgresStore, type PostgresStoreOptions, redactUrl } from './postgres/postgres-store';
import { openSqliteStore } from './sqlite/sqlite-store';

export const DEFAULT_DATA_DIR = './entente-data';

export interface StoreTarget {
  /** Data directory for the embedded SQLite journal; default `./entente-data`. */
  readonly data?: string;
  /** A `postgres://` or `postgresql://` URL; when given, it wins over `data`. */
  readonly db?: string;
  /** PostgreSQL only: the schema holding Entente's tables (default `public`). */
  readonly schema?: PostgresStoreOptions['schema'];
}

/**
 * Opens the journal store the operator chose: PostgreSQL when a database URL is given, otherwise SQLite
 * in the data directory. The store comes back migrated. Any failure is a StoreError whose one-line
 * message never contains the database password.
 */
export async function openStore(target: StoreTarget = {}): Promise<JournalStore> {
  if (target.db !== undefined && target.db !== '') {
    const url = target.db;
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      throw new StoreError(`the database URL ${redactUrl(url)} is not a valid URL: expected postgres://user:password@host:5432/database`);
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      throw new StoreError(
        `the database URL ${redactUrl(url)} is not a PostgreSQL URL: expected postgres://… or postgresql://… (leave it out to use SQLite in the data directory)`,
      );
    }
    return openPostgresStore(url, target.schema === undefined ? {} : { schema: target.schema });
  }
  return openSqliteStore(target.data ?? DEFAULT_DATA_DIR);
}
