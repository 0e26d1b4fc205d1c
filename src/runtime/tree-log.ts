import type { JournalEvent } from '../core/journal/envelope';
import { fail, ok, type Result } from '../core/errors';
import { isCheckpoint } from '../core/journal/checkpoint';
import { leafDataOf, MerkleLog, toHex } from '../core/journal/merkle';
import {
  isTreeHeadEvent,
  SignedTreeHead,
  signTreeHead,
  treeHeadDraft,
  treeHeadImprint,
  verifyTreeHead,
  type TreeHeadSigner,
} from '../core/journal/tree-head';
import type { JournalStore } from '../store/contract';
import type { Journal } from './journal';
import { timestampClient, type AskAuthority } from './timestamp-client';

export interface TreeLogOptions {
  /** The node key; without it the node serves proofs and other nodes' heads but signs none. */
  readonly signer: TreeHeadSigner | null;
  /** RFC 3161 time-stamping authorities asked to stamp every head (URLs). */
  readonly authorities?: readonly string[];
  /** Sign a head this often when something other than tree heads was appended since the last one. */
  readonly intervalMs?: number;
  readonly now?: () => Date;
  readonly askAuthority?: AskAuthority;
  readonly onWarning?: (message: string) => void;
}

export interface InclusionProof {
  readonly position: number;
  readonly size: number;
  /** The leaf data: the event's chain hash (its UTF-8 bytes are hashed into the leaf). */
  readonly leafData: string;
  readonly proof: string[];
  readonly root: string;
  /** The signed head of this size, when one exists. */
  readonly head: SignedTreeHead | null;
}

export interface ConsistencyProof {
  readonly fromSize: number;
  readonly toSize: number;
  readonly proof: string[];
  readonly fromRoot: string;
  readonly toRoot: string;
}

/**
 * The journal's Merkle tree, kept in step with the node's journal: every event becomes a leaf (leaf
 * index = position − 1) as it is applied, and the tree is rebuilt from the store at start. Signed tree
 * heads are journal events themselves (`journal.tree-head`, public), so every node and every backup
 * holds them, and each head is covered by the next one.
 */
export class TreeLog {
  private readonly tree = new MerkleLog();
  /** The chain hash of every event (the leaf data), packed: proofs name the leaf they prove. */
  private readonly chainHashes = new PackedHashes();
  private readonly signedHeads: SignedTreeHead[] = [];
  private readonly headBySize = new Map<number, SignedTreeHead>();
  /** The last position that is not a tree head or checkpoint: a head is due only when this passes the latest. */
  private lastSubstantive = 0;
  private suspended: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private signing: Promise<Result<SignedTreeHead>> | null = null;
  private readonly onEvents = (events: readonly JournalEvent[]) => this.absorb(events);
  private readonly onSuspended = (reason: string) => {
    this.suspended = reason;
  };

  constructor(
    /** null: a tree read once from the store (the CLI), not followed and not signed. */
    private readonly journal: Journal | null,
    private readonly store: JournalStore,
    private readonly options: TreeLogOptions,
  ) {}

  /** Builds the tree from the whole store, then follows the journal; starts the signing timer. */
  async open(): Promise<{ leaves: number; ms: number }> {
    const started = performance.now();
    this.journal?.on('events', this.onEvents);
    this.journal?.on('signing-suspended', this.onSuspended);
    for await (const event of this.store.iterate(this.tree.size, 5000)) this.absorb([event]);
    // Anything the journal applied while the store was read, but past what the store gave.
    const head = this.journal?.head ?? 0;
    if (this.tree.size < head) this.absorb(await this.store.read(this.tree.size, head - this.tree.size));
    if (this.journal && this.options.signer && (this.options.intervalMs ?? 60_000) > 0) {
      this.timer = setInterval(() => void this.signIfDue(), this.options.intervalMs ?? 60_000).unref();
    }
    return { leaves: this.tree.size, ms: performance.now() - started };
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.journal?.off('events', this.onEvents);
    this.journal?.off('signing-suspended', this.onSuspended);
  }

  get size(): number {
    return this.tree.size;
  }

  /** The current root (not necessarily signed yet). */
  root(size = this.tree.size): string {
    return toHex(this.tree.root(size));
  }

  private absorb(events: readonly JournalEvent[]): void {
    for (const event of events) {
      if (event.position <= this.tree.size) continue;
      if (event.position !== this.tree.size + 1) {
        // A gap means events were applied that this tree never saw: fill it from the store first.
        void this.fillGap().then(() => this.absorb(events));
        return;
      }
      this.tree.append(leafDataOf(event.hash));
      this.chainHashes.push(event.hash);
      if (isTreeHeadEvent(event)) this.recordHead(event);
      // A checkpoint follows a head when nothing else happened; counting it would make the two chase each other.
      else if (!isCheckpoint(event)) this.lastSubstantive = event.position;
    }
  }

  private async fillGap(): Promise<void> {
    const missing = await this.store.read(this.tree.size, 10_000);
    this.absorb(missing);
  }

  private recordHead(event: JournalEvent): void {
    const parsed = SignedTreeHead.safeParse(event.payload);
    if (!parsed.success || !verifyTreeHead(parsed.data)) {
      this.options.onWarning?.(`the tree head at position ${event.position} does not verify; it is ignored`);
      return;
    }
    const head = parsed.data;
    // A head must describe this journal: a root that differs from ours for its size is a fork.
    if (head.size > this.tree.size || toHex(this.tree.root(head.size)) !== head.root) {
      this.options.onWarning?.(
        `the tree head at position ${event.position} (size ${head.size}) does not match this journal's tree; it is ignored`,
      );
      return;
    }
    this.signedHeads.push(head);
    if (!this.headBySize.has(head.size)) this.headBySize.set(head.size, head);
  }

  latestHead(): SignedTreeHead | null {
    let latest: SignedTreeHead | null = null;
    for (const h of this.signedHeads) if (!latest || h.size >= latest.size) latest = h;
    return latest;
  }

  /** Every head stored in the journal, oldest first (optionally only those larger than `afterSize`). */
  heads(afterSize = -1): SignedTreeHead[] {
    return this.signedHeads.filter((h) => h.size > afterSize);
  }

  headOfSize(size: number): SignedTreeHead | null {
    return this.headBySize.get(size) ?? null;
  }

  /** The size a proof is given for when the caller names none: the latest signed head's, if it covers. */
  private defaultSize(atLeast: number): number {
    const latest = this.latestHead();
    return latest && latest.size >= atLeast ? latest.size : this.tree.size;
  }

  /** Inclusion proof of the event at `position` (1-based) in the tree of `size` leaves. Throws RangeError for positions or sizes the tree does not have. */
  inclusion(position: number, size?: number): InclusionProof {
    const treeSize = size ?? this.defaultSize(position);
    if (!Number.isInteger(position) || position < 1 || position > this.tree.size) {
      throw new RangeError(`position ${position} is not in the journal (positions 1–${this.tree.size})`);
    }
    if (!Number.isInteger(treeSize) || treeSize < position || treeSize > this.tree.size) {
      throw new RangeError(`a tree of size ${treeSize} does not hold position ${position} (sizes ${position}–${this.tree.size} do)`);
    }
    return {
      position,
      size: treeSize,
      leafData: this.chainHashes.at(position - 1),
      proof: this.tree.inclusionProof(position - 1, treeSize).map(toHex),
      root: toHex(this.tree.root(treeSize)),
      head: this.headOfSize(treeSize),
    };
  }

  /** Consistency proof from the tree of `fromSize` leaves to the tree of `toSize`. Throws RangeError for sizes the tree does not have. */
  consistency(fromSize: number, toSize?: number): ConsistencyProof {
    const to = toSize ?? this.defaultSize(fromSize);
    if (!Number.isInteger(to) || to < 0 || to > this.tree.size)
      throw new RangeError(`the journal's tree has sizes 0–${this.tree.size}, not ${to}`);
    if (!Number.isInteger(fromSize) || fromSize < 0 || fromSize > to)
      throw new RangeError(`the older size must be 0–${to}, not ${fromSize}`);
    return {
      fromSize,
      toSize: to,
      proof: this.tree.consistencyProof(fromSize, to).map(toHex),
      fromRoot: toHex(this.tree.root(fromSize)),
      toRoot: toHex(this.tree.root(to)),
    };
  }

  /** Signs a head now if anything but tree heads was appended since the latest head. */
  async signIfDue(): Promise<Result<SignedTreeHead> | null> {
    const latest = this.latestHead();
    if (this.lastSubstantive === 0 || (latest && latest.size >= this.lastSubstantive)) return null;
    return this.signHead();
  }

  /** Signs a head over the whole tree, has it time-stamped, and stores it in the journal. */
  signHead(): Promise<Result<SignedTreeHead>> {
    this.signing ??= this.signNow().finally(() => {
      this.signing = null;
    });
    return this.signing;
  }

  private async signNow(): Promise<Result<SignedTreeHead>> {
    const signer = this.options.signer;
    if (!signer || !this.journal) return fail('unavailable', 'this node has no signing key, so it signs no tree heads');
    if (this.suspended) return fail('unavailable', `tree-head signing is stopped: ${this.suspended}`);
    if (this.tree.size === 0) return fail('refused', 'the journal is empty; there is no tree to sign');
    const size = this.tree.size;
    const issuedAt = (this.options.now ?? (() => new Date()))().toISOString();
    const head = signTreeHead(size, toHex(this.tree.root(size)), issuedAt, signer);
    head.timestamps = await this.stamp(head);
    const appended = await this.journal.append({ drafts: [treeHeadDraft(head)], actor: 'system', party: null });
    if (!appended.ok) return appended;
    return ok(head);
  }

  /** Tokens from every configured authority; one that fails is reported and skipped, not fatal. */
  private async stamp(head: SignedTreeHead): Promise<SignedTreeHead['timestamps']> {
    const authorities = this.options.authorities ?? [];
    if (authorities.length === 0) return [];
    const ask = this.options.askAuthority ?? timestampClient();
    const imprint = treeHeadImprint(head);
    const answers = await Promise.allSettled(authorities.map((url) => ask(url, imprint)));
    const stamps: SignedTreeHead['timestamps'] = [];
    answers.forEach((answer, i) => {
      const authority = authorities[i]!;
      if (answer.status === 'fulfilled') stamps.push({ authority, token: Buffer.from(answer.value).toString('base64') });
      else
        this.options.onWarning?.(
          `the time-stamping authority ${authority} gave no token for the head of size ${head.size}: ${String((answer.reason as Error)?.message ?? answer.reason)}`,
        );
    });
    return stamps;
  }
}

/** 64-hex-character hashes kept as 32 bytes each in one growing buffer. */
class PackedHashes {
  private bytes = new Uint8Array(32 * 1024);
  private length = 0;

  push(hex: string): void {
    if ((this.length + 1) * 32 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(Buffer.from(hex, 'hex'), this.length * 32);
    this.length++;
  }

  at(i: number): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset + i * 32, 32).toString('hex');
  }
}
