import type { Logger } from 'pino';
import type { AppendRequest, JournalEvent } from '../core/journal/envelope';
import type { Reactor } from '../core/reaction';
import type { Journal } from './journal';

/**
 * Runs the reactors: after every batch of events (this node's or another's) and on a clock tick.
 * Reactions fire exactly once across nodes because each proposal carries expected stream versions;
 * a conflict means another node (or an earlier tick) already fired it, and is dropped quietly.
 */
export class Reactions {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private readonly onEvents = (events: readonly JournalEvent[]) => this.enqueue(() => this.run(events));
  /** Proposals already sent and not yet settled, so a tick does not send the same one twice. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly journal: Journal,
    private readonly reactors: readonly Reactor[],
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly tickMs = 1000,
  ) {}

  start(): void {
    this.journal.on('events', this.onEvents);
    void this.enqueue(() => this.run([], true));
    this.timer = setInterval(() => this.enqueue(() => this.run([])), this.tickMs).unref();
  }

  async stop(): Promise<void> {
    this.journal.off('events', this.onEvents);
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }

  /** Runs one round now (tests use it with a fixed clock). */
  tick(): Promise<void> {
    return this.enqueue(() => this.run([]));
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    this.busy = this.busy.then(fn, fn).catch((error: unknown) => this.log.error({ err: String(error) }, 'reaction failed'));
    return this.busy;
  }

  private async run(events: readonly JournalEvent[], recovering = false): Promise<void> {
    const now = this.now();
    const image = this.journal.image;
    const proposals: AppendRequest[] = [];
    for (const reactor of this.reactors) {
      try {
        if (recovering && reactor.recover) proposals.push(...reactor.recover(image, now));
        if (events.length > 0 && reactor.react) proposals.push(...reactor.react(events, image, now));
        if (reactor.due) proposals.push(...reactor.due(image, now));
      } catch (error) {
        this.log.error({ reactor: reactor.name, err: String(error) }, 'reactor threw; its proposals are skipped');
      }
    }
    await Promise.all(
      proposals.map(async (p) => {
        const key = JSON.stringify([p.expected, p.drafts.map((d) => [d.stream, d.type])]);
        if (this.inFlight.has(key)) return;
        this.inFlight.add(key);
        try {
          const r = await this.journal.append(p);
          if (!r.ok && r.code !== 'conflict' && r.code !== 'idempotency_mismatch') {
            this.log.warn({ code: r.code, message: r.message }, 'a reaction was refused');
          }
        } finally {
          this.inFlight.delete(key);
        }
      }),
    );
  }
}
