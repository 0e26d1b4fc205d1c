import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { canRead } from '../core/access/policy';
import type { JournalEvent } from '../core/journal/envelope';
import type { Journal } from '../runtime/journal';
import type { JournalStore } from '../store/contract';

/**
 * Webhooks to guarantor systems. Every escalation event a registered party may read is POSTed to its
 * URL, signed with HMAC-SHA256 over `timestamp + "." + body` (headers `Entente-Timestamp`,
 * `Entente-Signature: v1=<hex>`, `Entente-Delivery: <id>` for de-duplication at the receiver).
 *
 * Delivery is off the request path: the journal's `events` feed fills an in-memory queue that a timer
 * drains, each attempt with a timeout, so a target that is down or slow never slows intake. Failures
 * are retried with exponential backoff; after `maxAttempts` the delivery goes to the dead-letter list
 * (kept in the store beside the journal, so it survives a restart) from where it can be replayed.
 * Registrations (URL, secret, party) are kept in the store's secret records, never in the journal.
 */

export interface WebhookRegistration {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
  /** The party whose readable escalation events it receives; null (admin-registered): every escalation event. */
  readonly party: string | null;
  readonly registeredBy: string;
  readonly registeredAt: string;
}

export interface DeadLetter {
  readonly id: string;
  readonly webhook: string;
  readonly url: string;
  readonly party: string | null;
  readonly eventType: string;
  readonly position: number;
  readonly body: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly deadAt: string;
}

interface Delivery {
  readonly id: string;
  readonly webhook: WebhookRegistration;
  readonly eventType: string;
  readonly position: number;
  readonly body: string;
  attempts: number;
  dueAt: number;
  lastError: string;
}

export interface WebhookOptions {
  readonly now?: () => Date;
  /** Per attempt. Default 5 s. */
  readonly timeoutMs?: number;
  /** First retry after this; doubled each time. Default 1 s. */
  readonly backoffMs?: number;
  readonly maxAttempts?: number;
  /** How often the queue is looked at. Default 100 ms. */
  readonly pollMs?: number;
}

const KIND = 'webhook';
const REGISTRY = 'registry';
const DEAD = 'dead-letters';
const MAX_DEAD = 1000;

/** The signature a receiver recomputes: hex HMAC-SHA256 of `timestamp.body` with the shared secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export class Webhooks {
  private readonly queue: Delivery[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private registry: WebhookRegistration[] | null = null;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly maxAttempts: number;
  private readonly pollMs: number;
  private readonly onEvents = (events: readonly JournalEvent[]) => void this.enqueueEvents(events);
  /** Serialises writes of the dead-letter list and registry. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly journal: Journal,
    private readonly store: JournalStore,
    private readonly log: Logger,
    options: WebhookOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.backoffMs = options.backoffMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.pollMs = options.pollMs ?? 100;
  }

  start(): void {
    if (this.timer) return;
    this.journal.on('events', this.onEvents);
    this.timer = setInterval(() => this.drain(), this.pollMs).unref();
  }

  async stop(): Promise<void> {
    this.journal.off('events', this.onEvents);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.writes;
  }

  /** Deliveries waiting or in flight (for tests and health). */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  async list(): Promise<WebhookRegistration[]> {
    if (this.registry === null) {
      const r = await this.store.getSecret(KIND, REGISTRY);
      this.registry = r ? (JSON.parse(r.value) as WebhookRegistration[]) : [];
    }
    return this.registry;
  }

  async register(input: { url: string; secret: string; party: string | null; registeredBy: string }): Promise<WebhookRegistration> {
    const list = await this.list();
    const reg: WebhookRegistration = { id: randomUUID(), ...input, registeredAt: this.now().toISOString() };
    this.registry = [...list, reg];
    await this.persist(REGISTRY, this.registry);
    return reg;
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const r = await this.store.getSecret(KIND, DEAD);
    return r ? (JSON.parse(r.value) as DeadLetter[]) : [];
  }

  /** Puts a dead letter back on the queue (a fresh round of attempts); false when there is no such letter. */
  async replay(id: string): Promise<DeadLetter | null> {
    const letters = await this.deadLetters();
    const letter = letters.find((d) => d.id === id);
    if (!letter) return null;
    const webhook = (await this.list()).find((w) => w.id === letter.webhook);
    if (!webhook) return null;
    await this.persist(
      DEAD,
      letters.filter((d) => d.id !== id),
    );
    this.queue.push({
      id: letter.id,
      webhook,
      eventType: letter.eventType,
      position: letter.position,
      body: letter.body,
      attempts: 0,
      dueAt: 0,
      lastError: '',
    });
    this.drain();
    return letter;
  }

  private async enqueueEvents(events: readonly JournalEvent[]): Promise<void> {
    const relevant = events.filter((e) => e.type.startsWith('escalation.'));
    if (relevant.length === 0) return;
    const hooks = await this.list();
    for (const e of relevant) {
      for (const w of hooks) {
        // A party's system receives what its people may read; the party an escalation is against reads none of it.
        if (
          w.party !== null &&
          !canRead(
            { kind: 'token', id: w.id, username: `webhook:${w.id}`, party: w.party, roles: ['guarantor'], grants: [], scopes: null },
            e.visibility,
          )
        )
          continue;
        const body = JSON.stringify({
          id: `${e.position}:${w.id}`,
          type: e.type,
          stream: e.stream,
          position: e.position,
          recordedAt: e.recordedAt,
          payload: e.payload,
        });
        this.queue.push({
          id: `${e.position}:${w.id}`,
          webhook: w,
          eventType: e.type,
          position: e.position,
          body,
          attempts: 0,
          dueAt: 0,
          lastError: '',
        });
      }
    }
    this.drain();
  }

  private drain(): void {
    const t = Date.now();
    for (let i = 0; i < this.queue.length;) {
      const d = this.queue[i]!;
      if (d.dueAt > t) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.inFlight++;
      void this.attempt(d).finally(() => this.inFlight--);
    }
  }

  private async attempt(d: Delivery): Promise<void> {
    d.attempts++;
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    try {
      const res = await fetch(d.webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'entente-timestamp': timestamp,
          'entente-signature': `v1=${signature(d.webhook.secret, timestamp, d.body)}`,
          'entente-delivery': d.id,
        },
        body: d.body,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
      await res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return;
      d.lastError = `HTTP ${res.status}`;
    } catch (error) {
      d.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (d.attempts >= this.maxAttempts) {
      this.log.warn({ webhook: d.webhook.id, delivery: d.id, error: d.lastError }, 'webhook delivery dead-lettered');
      const letter: DeadLetter = {
        id: d.id,
        webhook: d.webhook.id,
        url: d.webhook.url,
        party: d.webhook.party,
        eventType: d.eventType,
        position: d.position,
        body: d.body,
        attempts: d.attempts,
        lastError: d.lastError,
        deadAt: this.now().toISOString(),
      };
      this.writes = this.writes.then(async () => {
        const letters = (await this.deadLetters()).filter((x) => x.id !== letter.id);
        await this.store.putSecret(KIND, DEAD, JSON.stringify([...letters, letter].slice(-MAX_DEAD)));
      });
      await this.writes;
      return;
    }
    d.dueAt = Date.now() + this.backoffMs * 2 ** (d.attempts - 1);
    this.queue.push(d);
  }

  private async persist(key: string, value: unknown): Promise<void> {
    this.writes = this.writes.then(() => this.store.putSecret(KIND, key, JSON.stringify(value)));
    await this.writes;
  }
}

/** One dispatcher per node (per journal), created and started on first use. */
const dispatchers = new WeakMap<Journal, Webhooks>();
export function webhooksFor(
  services: { journal: Journal; store: JournalStore; log: Logger; now: () => Date },
  options: WebhookOptions = {},
): Webhooks {
  let w = dispatchers.get(services.journal);
  if (!w) {
    w = new Webhooks(services.journal, services.store, services.log, { now: services.now, ...options });
    dispatchers.set(services.journal, w);
    w.start();
  }
  return w;
}
