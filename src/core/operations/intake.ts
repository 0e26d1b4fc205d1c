import { fail, ok, type Result } from '../errors';
import type { AppendRequest, JournalEvent } from '../journal/envelope';
import type { ClassificationPayload, IntakeWarning, ReportPayload } from './events';
import { decideReport, type IntakeView, type ParsedReport, type PendingSighting, type Reporter } from './report';

/**
 * Files reports through the journal: decide against the memory image, append, and decide again when
 * the append lost a race (a case changed meanwhile). Reports being appended right now are visible to
 * the next decision (`pending`), with the case versions their appends will leave: two reports of one
 * incident arriving together join one case without waiting for each other (appends keep their order;
 * if the first fails, the second conflicts and is decided again). The API, imports and the demo all
 * file through here.
 */

export interface IntakeDeps {
  view(): IntakeView;
  append(request: AppendRequest): Promise<Result<readonly JournalEvent[]>>;
  now(): Date;
  /**
   * Runs a function after the current turn of the event loop (e.g. `setImmediate`). When given, reports
   * that arrive in one turn are decided and appended together, so the journal commits them as one
   * batch even when each arrives through its own HTTP request.
   */
  defer?(run: () => void): void;
}

export interface Filed {
  readonly id: string;
  /** Position and hash of the `report.filed` event. */
  readonly position: number;
  readonly hash: string;
  readonly caseId: string | null;
  /** True when the same externalRef was filed before: this is the first report, nothing was added. */
  readonly duplicate: boolean;
  readonly warnings: readonly IntakeWarning[];
  readonly classification: ClassificationPayload | null;
  readonly framework: { number: number; hash: string } | null;
}

export interface SubmitOptions {
  readonly id: string;
  readonly idempotencyKey?: string | null;
  readonly raw?: unknown;
}

const MAX_ATTEMPTS = 8;

export class ReportIntake {
  private readonly pending = new Map<string, PendingSighting>();
  /** Stream versions that appends in flight will leave, with how many appends count on each. */
  private readonly inFlight = new Map<string, { version: number; appends: number }>();

  constructor(private readonly deps: IntakeDeps) {}

  private readonly waiting: (() => void)[] = [];

  /** Resolves at the next flush (or at once without `defer`). */
  private turn(): Promise<void> {
    const defer = this.deps.defer;
    if (!defer) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length === 1) defer(() => this.waiting.splice(0).forEach((r) => r()));
    });
  }

  private view(): IntakeView {
    const image = this.deps.view();
    return { ...image, streamVersion: (s) => this.inFlight.get(s)?.version ?? image.streamVersion(s) };
  }

  async submit(input: ParsedReport, reporter: Reporter, options: SubmitOptions): Promise<Result<Filed>> {
    for (let attempt = 1; ; attempt++) {
      await this.turn();
      const decided = decideReport(this.view(), input, {
        now: this.deps.now(),
        reporter,
        id: options.id,
        raw: options.raw,
        pending: [...this.pending.values()],
      });
      if (!decided.ok) return decided;
      const d = decided.value;
      if (d.kind === 'duplicate') {
        // The hash of the first filing is in the store, not the image: the caller may read it by position.
        return ok({
          id: d.id,
          position: d.position,
          hash: '',
          caseId: d.caseId,
          duplicate: true,
          warnings: [],
          classification: null,
          framework: null,
        });
      }
      if (d.sighting) this.pending.set(d.id, d.sighting);
      const streams = this.track(d.drafts, d.expected);
      let appended: Result<readonly JournalEvent[]>;
      try {
        // Called without awaiting anything since the decision: appends are queued in decision order.
        appended = await this.deps.append({
          drafts: d.drafts,
          expected: d.expected,
          actor: reporter.username,
          party: reporter.party,
          idempotencyKey: options.idempotencyKey ?? null,
        });
      } finally {
        this.pending.delete(d.id);
        this.untrack(streams);
      }
      if (appended.ok) return ok(filedFrom(appended.value));
      if (appended.code === 'conflict' && attempt < MAX_ATTEMPTS) continue;
      if (appended.code === 'conflict')
        return fail('conflict', `the report could not be filed: its case kept changing (${attempt} attempts); try again`);
      return appended;
    }
  }

  private track(drafts: readonly { stream: string }[], expected: Readonly<Record<string, number | 'new' | 'any'>>): string[] {
    const streams = [...new Set(drafts.map((d) => d.stream))];
    for (const stream of streams) {
      const e = expected[stream];
      const before =
        typeof e === 'number' ? e : e === 'new' ? 0 : (this.inFlight.get(stream)?.version ?? this.deps.view().streamVersion(stream));
      const after = before + drafts.filter((d) => d.stream === stream).length;
      const entry = this.inFlight.get(stream);
      this.inFlight.set(stream, { version: Math.max(after, entry?.version ?? 0), appends: (entry?.appends ?? 0) + 1 });
    }
    return streams;
  }

  private untrack(streams: readonly string[]): void {
    for (const stream of streams) {
      const entry = this.inFlight.get(stream)!;
      if (--entry.appends === 0) this.inFlight.delete(stream);
    }
  }

  /** Files many reports at once (imports): appended concurrently, so the journal groups them into few commits. */
  submitMany(items: readonly { input: ParsedReport; options: SubmitOptions }[], reporter: Reporter): Promise<Result<Filed>[]> {
    return Promise.all(items.map((item) => this.submit(item.input, reporter, item.options)));
  }
}

/** The answer for a filed report, from its events (also for an idempotent retry, from the stored ones). */
export function filedFrom(events: readonly JournalEvent[]): Filed {
  const filed = events.find((e) => e.type === 'report.filed')!;
  const p = filed.payload as unknown as ReportPayload;
  const kase = events.find((e) => e.type === 'case.opened' || e.type === 'case.report-added');
  return {
    id: p.id,
    position: filed.position,
    hash: filed.hash,
    caseId: kase ? (kase.payload.caseId as string) : null,
    duplicate: false,
    warnings: p.warnings ?? [],
    classification: p.classification ?? null,
    framework: p.framework ?? null,
  };
}
