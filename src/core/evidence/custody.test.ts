import { describe, expect, it } from 'vitest';
import type { Principal } from '../access/roles';
import type { Result } from '../errors';
import type { EventDraft, JournalEvent } from '../journal/envelope';
import {
  decideAccess,
  decideCapture,
  decideChallenge,
  decidePublish,
  decideRead,
  decideTransfer,
  decideUnseal,
  decideVerification,
  decideDerivative,
  mayRead,
} from './custody';
import { evidenceProjection, type EvidenceState } from './state';

const person = (username: string, party: string | null, roles: Principal['roles']): Principal => ({
  kind: 'user',
  id: username,
  username,
  party,
  roles,
  grants: [],
  scopes: null,
});
const monitor = person('monitor', 'mechanism', ['monitor']);
const ua = person('ua-delegate', 'ua', ['delegate']);
const ru = person('ru-delegate', 'ru', ['delegate']);
const mediator = person('mediator', 'secretariat', ['mediator']);
const SHA = 'a'.repeat(64);
const ID = '00000000-0000-4000-8000-000000000001';
const DERIVED = '00000000-0000-4000-8000-000000000002';

/** Folds decided drafts into the projection as the journal would (positions, stream versions). */
function journal() {
  const state = evidenceProjection.init();
  const versions = new Map<string, number>();
  let position = 0;
  const events: JournalEvent[] = [];
  return {
    state,
    events,
    apply(drafts: Result<EventDraft[]>, by: Principal): void {
      if (!drafts.ok) throw new Error(drafts.message);
      for (const d of drafts.value) {
        const v = (versions.get(d.stream) ?? 0) + 1;
        versions.set(d.stream, v);
        const event: JournalEvent = {
          ...d,
          position: ++position,
          streamVersion: v,
          actor: by.username,
          party: by.party,
          recordedAt: `2026-01-07T10:00:${String(position).padStart(2, '0')}Z`,
          idempotencyKey: null,
          prevHash: '0'.repeat(64),
          hash: '1'.repeat(64),
        };
        events.push(event);
        evidenceProjection.apply(state, event);
      }
    },
  };
}

function captured(j: ReturnType<typeof journal>, sha = SHA, clientSha = SHA): Result<EventDraft[]> {
  return decideCapture(
    j.state,
    ua,
    {
      upload: 'upload-0001',
      sha256: clientSha,
      filename: 'strike.jpg',
      mediaType: 'image/jpeg',
      caseId: 'case-1',
      deviceTime: '2026-01-07T05:41:00+02:00',
      position: { lon: 35.93, lat: 47.47, accuracy_m: 12 },
      purpose: 'report of a shelling impact',
      note: '',
    },
    { id: ID, sha256: sha, bytes: 1234, mediaType: 'image/jpeg', exif: null, receivedAt: '2026-01-07T09:00:00Z', reporter: null },
  );
}

describe('evidence custody', () => {
  it('refuses a capture whose device hash differs from the bytes received, naming both hashes', () => {
    const j = journal();
    const r = captured(j, SHA, 'b'.repeat(64));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain(`device computed sha256 ${'b'.repeat(64)}`);
      expect(r.message).toContain(`hash to ${SHA}`);
      expect(r.pointer).toBe('/sha256');
    }
  });

  it('records capture, views and downloads as one gap-free custody log with purposes', () => {
    const j = journal();
    j.apply(captured(j), ua);
    j.apply(decideRead(j.state, monitor, ID, 'viewed', 'triage'), monitor);
    j.apply(decideRead(j.state, monitor, ID, 'downloaded', 'technical analysis'), monitor);
    const item = j.state.items.get(ID)!;
    expect(item.custody.map((c) => [c.streamVersion, c.type, c.actor, c.purpose])).toEqual([
      [1, 'evidence.captured', 'ua-delegate', 'report of a shelling impact'],
      [2, 'evidence.viewed', 'monitor', 'triage'],
      [3, 'evidence.downloaded', 'monitor', 'technical analysis'],
    ]);
    expect(item.version).toBe(3);
    expect(j.state.byCase.get('case-1')).toEqual([ID]);
  });

  it('hides an item from parties that are not its readers until access is granted, and records the grant', () => {
    const j = journal();
    j.apply(captured(j), ua);
    const item = j.state.items.get(ID)!;
    expect(mayRead(ru, item)).toBe(false);
    const refused = decideRead(j.state, ru, ID, 'viewed', 'curiosity');
    expect(refused.ok ? null : refused.code).toBe('not_found');
    j.apply(decideAccess(j.state, monitor, ID, ['party:ru'], [], 'the accused party may answer the evidence'), monitor);
    expect(mayRead(ru, j.state.items.get(ID)!)).toBe(true);
    const keep = decideAccess(j.state, monitor, ID, [], ['party:mechanism'], 'x'.repeat(5));
    expect(keep.ok ? null : keep.message).toContain('party:mechanism cannot lose access');
    const pub = decideAccess(j.state, monitor, ID, ['public'], [], 'publish');
    expect(pub.ok ? null : pub.pointer).toBe('/grant/0');
  });

  it('keeps verification records and challenges as linked records, never edits', () => {
    const j = journal();
    j.apply(captured(j), ua);
    j.apply(decideAccess(j.state, monitor, ID, ['party:ru'], [], 'right of reply'), monitor);
    j.apply(
      decideVerification(
        j.state,
        monitor,
        ID,
        {
          kind: 'technical',
          performedOn: '2026-01-08',
          method: 'ELA and metadata review',
          finding: 'no sign of manipulation',
          conclusion: 'consistent',
          purpose: 'verification',
        },
        'rec-1',
      ),
      monitor,
    );
    const badRef = decideChallenge(j.state, ru, ID, { kind: 'challenge', refersTo: 'rec-9', text: 'staged' }, 'ch-0');
    expect(badRef.ok ? null : badRef.pointer).toBe('/refersTo');
    j.apply(
      decideChallenge(j.state, ru, ID, { kind: 'challenge', refersTo: 'rec-1', text: 'the shadows point the wrong way' }, 'ch-1'),
      ru,
    );
    j.apply(
      decideChallenge(j.state, ua, ID, { kind: 'counter-claim', refersTo: 'ch-1', text: 'sun azimuth at 05:40 matches' }, 'ch-2'),
      ua,
    );
    const item = j.state.items.get(ID)!;
    expect(item.verifications.map((v) => [v.id, v.analyst, v.performedOn, v.conclusion])).toEqual([
      ['rec-1', 'monitor', '2026-01-08', 'consistent'],
    ]);
    expect(item.challenges.map((c) => [c.id, c.refersTo, c.party])).toEqual([
      ['ch-1', 'rec-1', 'ru'],
      ['ch-2', 'ch-1', 'ua'],
    ]);
    expect(item.file.sha256).toBe(SHA);
  });

  it('publishes derivatives only, explicitly, and the public reads only those', () => {
    const j = journal();
    j.apply(captured(j), ua);
    const original = decidePublish(j.state, mediator, ID, 'public report');
    expect(original.ok ? null : original.message).toContain('originals are never published');
    const same = decideDerivative(
      j.state,
      monitor,
      ID,
      {
        upload: 'upload-0002',
        sha256: SHA,
        filename: 'b.jpg',
        mediaType: 'image/jpeg',
        action: 'redaction',
        description: 'faces blurred',
        purpose: 'publication',
      },
      { id: DERIVED, sha256: SHA, bytes: 10, mediaType: 'image/jpeg', receivedAt: '2026-01-08T00:00:00Z' },
    );
    expect(same.ok ? null : same.pointer).toBe('/sha256');
    const other = 'c'.repeat(64);
    j.apply(
      decideDerivative(
        j.state,
        monitor,
        ID,
        {
          upload: 'upload-0002',
          sha256: other,
          filename: 'b.jpg',
          mediaType: 'image/jpeg',
          action: 'redaction',
          description: 'faces blurred',
          purpose: 'publication',
        },
        { id: DERIVED, sha256: other, bytes: 10, mediaType: 'image/jpeg', receivedAt: '2026-01-08T00:00:00Z' },
      ),
      monitor,
    );
    expect(j.state.items.get(ID)!.derivatives).toEqual([DERIVED]);
    expect(j.state.items.get(DERIVED)!.parent).toEqual({ item: ID, sha256: SHA, action: 'redaction', description: 'faces blurred' });
    j.apply(decidePublish(j.state, mediator, DERIVED, 'public report'), mediator);
    expect(j.events.at(-1)!.visibility).toContain('public');
    expect(mayRead(null, j.state.items.get(ID)!)).toBe(false);
  });

  it('lets only the custodian or the mediator transfer, and only the mechanism unseal', () => {
    const j = journal();
    j.apply(captured(j), ua);
    const byRu = decideTransfer(j.state, monitor, ID, 'us', 'commission', () => true);
    expect(byRu.ok ? null : byRu.code).toBe('forbidden');
    j.apply(
      decideTransfer(j.state, ua, ID, 'us', 'handed to the special commission', () => true),
      ua,
    );
    expect(j.state.items.get(ID)!.custodian).toBe('us');
    const unseal = decideUnseal(j.state, mediator, ID, 'follow-up');
    expect(unseal.ok ? null : unseal.code).toBe('forbidden');
    const none = decideUnseal(j.state, monitor, ID, 'follow-up');
    expect(none.ok ? null : none.code).toBe('not_found');
  });

  it('rebuilds the same state from a snapshot', () => {
    const j = journal();
    j.apply(captured(j), ua);
    j.apply(decideRead(j.state, monitor, ID, 'viewed', 'triage'), monitor);
    const copy = evidenceProjection.fromSnapshot(JSON.parse(JSON.stringify(evidenceProjection.toSnapshot(j.state)))) as EvidenceState;
    expect(copy.items.get(ID)).toEqual(j.state.items.get(ID));
    expect(copy.byCase).toEqual(j.state.byCase);
  });
});
