import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, sign } from 'node:crypto';
import { planBatch } from './plan';
import { journalIndexProjection } from './journal-index';
import type { AppendRequest, EventDraft } from './envelope';
import { verifyChain } from './verify';
import { checkpointDraft, type CheckpointSigner } from './checkpoint';

const draft = (stream: string, n = 1): EventDraft => ({ stream, type: 'test.happened', payload: { n }, visibility: ['process'] });
const req = (drafts: EventDraft[], extra: Partial<AppendRequest> = {}): AppendRequest => ({ drafts, actor: 'alice', party: 'ua', ...extra });

function signer(): CheckpointSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url');
  return { keyId: 'k1', publicKey: raw, sign: (m) => sign(null, m, privateKey).toString('base64url') };
}

describe('planBatch', () => {
  it('assigns positions, stream versions and one hash chain across requests', async () => {
    const index = journalIndexProjection.init();
    const plan = planBatch(index, [req([draft('case/1'), draft('case/2')]), req([draft('case/1', 2)])], '2026-01-03T10:00:00.000Z');
    expect(plan.events.map((e) => [e.position, e.stream, e.streamVersion])).toEqual([
      [1, 'case/1', 1],
      [2, 'case/2', 1],
      [3, 'case/1', 2],
    ]);
    expect(await verifyChain(plan.events)).toMatchObject({ ok: true, count: 3 });
  });

  it('refuses a stale expected version as a conflict, alone', () => {
    const index = journalIndexProjection.init();
    for (const e of planBatch(index, [req([draft('case/1')])], 't').events) journalIndexProjection.apply(index, e);
    const plan = planBatch(index, [req([draft('case/1')], { expected: { 'case/1': 0 } }), req([draft('case/2')], { expected: { 'case/2': 'new' } })], 't');
    expect(plan.outcomes[0]).toMatchObject({ ok: false, code: 'conflict', details: { stream: 'case/1', expected: 0, actual: 1 } });
    expect(plan.outcomes[1]).toMatchObject({ kind: 'appended' });
    expect(plan.events).toHaveLength(1);
  });

  it('answers a retried idempotency key with the first result, and refuses the key for other content', () => {
    const index = journalIndexProjection.init();
    const first = planBatch(index, [req([draft('case/1')], { idempotencyKey: 'key-00001' })], 't');
    for (const e of first.events) journalIndexProjection.apply(index, e);
    const retry = planBatch(index, [req([draft('case/1')], { idempotencyKey: 'key-00001' }), req([draft('case/1', 9)], { idempotencyKey: 'key-00001' })], 't');
    expect(retry.outcomes[0]).toEqual({ kind: 'duplicate', first: 1, last: 1 });
    expect(retry.outcomes[1]).toMatchObject({ ok: false, code: 'idempotency_mismatch' });
    expect(retry.events).toHaveLength(0);
    // Another actor's key is another key.
    const other = planBatch(index, [req([draft('case/1')], { idempotencyKey: 'key-00001', actor: 'bob' })], 't');
    expect(other.outcomes[0]).toMatchObject({ kind: 'appended' });
  });

  it('deduplicates the same key twice within one batch', () => {
    const index = journalIndexProjection.init();
    const plan = planBatch(index, [req([draft('a/1')], { idempotencyKey: 'same-key-1' }), req([draft('a/1')], { idempotencyKey: 'same-key-1' })], 't');
    expect(plan.outcomes[1]).toEqual({ kind: 'duplicate', first: 1, last: 1 });
    expect(plan.events).toHaveLength(1);
  });

  it('signs a checkpoint over the head when asked, and the verifier accepts it', async () => {
    const s = signer();
    const index = journalIndexProjection.init();
    const plan = planBatch(index, [req([draft('a/1'), draft('a/2')])], 't', (upTo, head) => checkpointDraft(upTo, head, s));
    expect(plan.events).toHaveLength(3);
    expect(plan.events[2]).toMatchObject({ type: 'journal.checkpoint', payload: { upTo: 2, headHash: plan.events[1]!.hash } });
    expect(await verifyChain(plan.events, { trustedKeys: new Set([s.publicKey]) })).toMatchObject({ ok: true, checkpoints: 1 });
    expect(await verifyChain(plan.events, { trustedKeys: new Set(['someone-else']) })).toMatchObject({ ok: false, fault: 'bad signature', position: 3 });
  });
});
