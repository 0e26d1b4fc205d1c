import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Journal } from '../runtime/journal';
import type { ChainMonitor } from '../runtime/chain-monitor';
import type { JournalStore } from '../store/contract';
import type { Auth } from './auth';

/** What route handlers may use. Built once per server in app.ts. */
export interface Services {
  readonly journal: Journal;
  readonly store: JournalStore;
  readonly auth: Auth;
  readonly chain: ChainMonitor;
  readonly log: Logger;
  readonly now: () => Date;
  /** Validate every response against its schema (on in tests and by default). */
  readonly checkResponses: boolean;
  readonly secureCookies: boolean;
  /** Open live-stream responses, ended when the server shuts down so it can drain. */
  readonly liveStreams: Set<ServerResponse>;
}
