import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../api';
import type { ReportFiled, ReportSubmission } from './api';
import { flushOutbox, memoryStorage, Outbox, type OutboxEntry } from './outbox';

const report = (narrative: string): ReportSubmission => ({
  occurredAt: '2026-01-12T07:00:00.000Z',
  location: { type: 'point', lon: 37.6, lat: 48.1, precision_m: 100 },
  domain: 'land',
  type: 'shelling-impact',
  source: 'patrol-heard',
  narrative,
});

const entry = (key: string, owner = 'monitor', narrative = key): OutboxEntry => ({
  key,
  owner,
  report: report(narrative),
  writtenAt: '2026-01-12T07:01:00.000Z',
  attempts: 0,
  refused: null,
});

/** A server as the outbox sees it: answers by idempotency key, so a repeated key files nothing new. */
function server(behaviour: (key: string) => 'ok' | 'offline' | 'refuse' = () => 'ok') {
  const filed = new Map<string, ReportFiled>();
  const send = async (_: ReportSubmission, key: string): Promise<ApiResult<ReportFiled>> => {
    const b = behaviour(key);
    if (b === 'offline')
      return { ok: false, problem: { status: 0, code: 'network', title: 'Network error', detail: 'Failed to fetch', type: 'about:blank' } };
    if (b === 'refuse')
      return {
        ok: false,
        problem: {
          status: 400,
          code: 'validation_failed',
          title: 'Bad',
          detail: 'occurredAt is in the future',
          type: 'about:blank',
          pointer: '/occurredAt',
        },
      };
    if (!filed.has(key)) filed.set(key, { id: `R-${filed.size + 1}`, position: filed.size + 10 });
    return { ok: true, value: filed.get(key)! };
  };
  return { filed, send };
}

describe('the outbox', () => {
  it('keeps reports across a reload of the page (the same storage, a new Outbox)', () => {
    const storage = memoryStorage();
    new Outbox(storage).add(entry('k1'));
    new Outbox(storage).add(entry('k2'));
    expect(new Outbox(storage).entries().map((e) => e.key)).toEqual(['k1', 'k2']);
  });

  it('sends each waiting report once with its own key, and empties', async () => {
    const outbox = new Outbox(memoryStorage());
    outbox.add(entry('k1'));
    outbox.add(entry('k2'));
    const { filed, send } = server();
    const outcome = await flushOutbox(outbox, 'monitor', send);
    expect(outcome.sent.map((s) => s.key)).toEqual(['k1', 'k2']);
    expect([...filed.keys()]).toEqual(['k1', 'k2']);
    expect(outbox.entries()).toEqual([]);
  });

  it('stops at the first network failure and keeps the rest for later; a resend after a lost answer files nothing twice', async () => {
    const outbox = new Outbox(memoryStorage());
    outbox.add(entry('k1'));
    outbox.add(entry('k2'));
    let online = false;
    const { filed, send } = server(() => (online ? 'ok' : 'offline'));
    const first = await flushOutbox(outbox, 'monitor', send);
    expect(first.interrupted).toBe(true);
    expect(outbox.entries().map((e) => [e.key, e.attempts])).toEqual([
      ['k1', 1],
      ['k2', 0],
    ]);
    // The server got k1 but the answer was lost: the entry is still here and goes again with the same key.
    online = true;
    await send(report('k1'), 'k1');
    await flushOutbox(outbox, 'monitor', send);
    expect(filed.size).toBe(2);
    expect(outbox.entries()).toEqual([]);
  });

  it('keeps a refused report with the server’s reason, and sends only the signed-in writer’s reports', async () => {
    const outbox = new Outbox(memoryStorage());
    outbox.add(entry('bad'));
    outbox.add(entry('theirs', 'ua-delegate'));
    outbox.add(entry('good'));
    const { filed, send } = server((key) => (key === 'bad' ? 'refuse' : 'ok'));
    const outcome = await flushOutbox(outbox, 'monitor', send);
    expect(outcome.refused).toBe(1);
    expect([...filed.keys()]).toEqual(['good']);
    expect(outbox.entries().map((e) => [e.key, e.refused?.pointer ?? null])).toEqual([
      ['bad', '/occurredAt'],
      ['theirs', null],
    ]);
  });

  it('adding the same key twice keeps one entry', () => {
    const outbox = new Outbox(memoryStorage());
    outbox.add(entry('k1'));
    outbox.add(entry('k1'));
    expect(outbox.entries()).toHaveLength(1);
  });
});
