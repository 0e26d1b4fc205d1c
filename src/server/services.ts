import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Journal } from '../runtime/journal';
import type { ChainMonitor } from '../runtime/chain-monitor';
import type { TreeLog } from '../runtime/tree-log';
import type { JournalStore } from '../store/contract';
import type { Auth } from './auth';
import type { EvidenceFiles } from '../runtime/evidence/files';

/** What route handlers may use. Built once per server in app.ts. */
export interface Services {
  readonly journal: Journal;
  readonly store: JournalStore;
  readonly auth: Auth;
  readonly chain: ChainMonitor;
  /** The journal's Merkle tree: signed tree heads, inclusion and consistency proofs. */
  readonly treeLog: TreeLog;
  readonly log: Logger;
  readonly now: () => Date;
  /** Validate every response against its schema (on in tests and by default). */
  readonly checkResponses: boolean;
  readonly secureCookies: boolean;
  /** Open live-stream responses, ended when the server shuts down so it can drain. */
  readonly liveStreams: Set<ServerResponse>;
  /** Evidence files: resumable uploads, the write-once blob store, the reporter seal (issue 11). */
  readonly evidence: EvidenceFiles;
}
