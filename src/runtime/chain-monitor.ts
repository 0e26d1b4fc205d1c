import { ChainVerifier, type ChainReport } from '../core/journal/verify';
import type { JournalStore } from '../store/contract';

export interface ChainStatus {
  readonly report: ChainReport;
  readonly checkedAt: string;
  readonly verifying: boolean;
}

/**
 * Verifies the stored chain from the first event at start, then incrementally as it grows, reading
 * the store (not the memory image), so the audit page shows what is really on disk.
 */
export class ChainMonitor {
  private verifier: ChainVerifier;
  private verified = 0;
  private running: Promise<void> | null = null;
  private checkedAt = new Date(0).toISOString();

  constructor(
    private readonly store: JournalStore,
    private readonly trustedKeys?: ReadonlySet<string>,
    private readonly onFault?: (message: string) => void,
  ) {
    this.verifier = new ChainVerifier(trustedKeys ? { trustedKeys } : {});
  }

  /** Verifies whatever was appended since the last check. Concurrent calls share one pass. */
  check(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Verifies the whole stored chain again from the first event (rows already checked may have been altered since). */
  async recheck(): Promise<void> {
    await this.running;
    this.verifier = new ChainVerifier(this.trustedKeys ? { trustedKeys: this.trustedKeys } : {});
    this.verified = 0;
    await this.check();
  }

  status(): ChainStatus {
    return { report: this.verifier.report(), checkedAt: this.checkedAt, verifying: this.running !== null };
  }

  private async pass(): Promise<void> {
    if (!this.verifier.report().ok) return;
    for await (const event of this.store.iterate(this.verified, 5000)) {
      if (!this.verifier.push(event)) {
        const r = this.verifier.report();
        if (!r.ok) this.onFault?.(`position ${r.position}: ${r.fault}: ${r.message}`);
        break;
      }
      this.verified = event.position;
    }
    this.checkedAt = new Date().toISOString();
  }
}
