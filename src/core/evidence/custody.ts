import { canRead } from '../access/policy';
import type { Principal, Reader } from '../access/roles';
import { fail, ok, type Result } from '../errors';
import { sha256Hex } from '../journal/chain';
import { VisibilityLabel, type EventDraft } from '../journal/envelope';
import { findDiscrepancies } from './discrepancies';
import {
  MECHANISM_PARTY,
  streamOf,
  type CaptureFacts,
  type CaptureInput,
  type ChallengeInput,
  type DerivativeInput,
  type ExifFacts,
  type FileFacts,
  type SealedEnvelope,
  type VerificationInput,
} from './model';
import type { EvidenceItem, EvidenceState } from './state';

/**
 * Decisions on evidence items: each command becomes the events that record it on the item's stream,
 * with the actor's stated purpose. Reads are commands too (a view or a download is a custody event),
 * so nobody touches an item without leaving a trace. Nothing here edits an item: a correction, a
 * challenge or a redaction is a new record that points at what it concerns.
 */

/** Readers of a new item: the mechanism and the mediator, and the party that brought it in. */
export function initialReaders(party: string | null): string[] {
  return [...new Set(['mediator', `party:${MECHANISM_PARTY}`, ...(party ? [`party:${party}`] : [])])];
}

export function mayRead(reader: Reader, item: EvidenceItem): boolean {
  return canRead(reader, item.readers);
}

/** An item the reader may see; one they may not is "not found", so its existence is not revealed. */
export function readableItem(state: EvidenceState, reader: Reader, id: string): Result<EvidenceItem> {
  const item = state.items.get(id);
  if (!item || !mayRead(reader, item)) return fail('not_found', `no evidence item ${id}`, '/params/id');
  return ok(item);
}

const custodyVisibility = (item: EvidenceItem): string[] => [...item.readers];

/** What the ingest measured and read, handed to the decision (the I/O happened before). */
export interface Ingested {
  readonly id: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly mediaType: string;
  readonly exif: ExifFacts | null;
  readonly receivedAt: string;
  /** The reporter identity, already sealed for the mechanism (null when none was given). */
  readonly reporter: SealedEnvelope | null;
}

function checkHashes(clientSha256: string, serverSha256: string, bytes: number): Result<void> {
  if (clientSha256 !== serverSha256) {
    return fail(
      'validation_failed',
      `hash mismatch: the device computed sha256 ${clientSha256} but the ${bytes} bytes received hash to ${serverSha256}; the file changed in transit or the hash is of another file — nothing was stored`,
      '/sha256',
    );
  }
  return ok(undefined);
}

export function decideCapture(state: EvidenceState, reader: Principal, input: CaptureInput, got: Ingested): Result<EventDraft[]> {
  const same = checkHashes(input.sha256, got.sha256, got.bytes);
  if (!same.ok) return same;
  if (state.items.has(got.id)) return fail('conflict', `evidence item ${got.id} exists already`);
  const file: FileFacts = {
    sha256: got.sha256,
    clientSha256: input.sha256,
    bytes: got.bytes,
    mediaType: got.mediaType,
    declaredType: input.mediaType,
    filename: input.filename,
  };
  const capture: CaptureFacts = { deviceTime: input.deviceTime, position: input.position, receivedAt: got.receivedAt, exif: got.exif };
  const readers = initialReaders(reader.party);
  const drafts: EventDraft[] = [
    {
      stream: streamOf(got.id),
      type: 'evidence.captured',
      payload: {
        item: got.id,
        file,
        capture,
        discrepancies: findDiscrepancies(capture),
        caseId: input.caseId,
        custodian: reader.party,
        readers,
        purpose: input.purpose,
        note: input.note,
      },
      visibility: readers,
    },
  ];
  if (got.reporter) {
    drafts.push({
      stream: streamOf(got.id),
      type: 'evidence.reporter-sealed',
      payload: { item: got.id, purpose: 'reporter identity kept sealed', envelope: got.reporter },
      visibility: [`party:${MECHANISM_PARTY}`],
    });
  }
  return ok(drafts);
}

export function decideDerivative(
  state: EvidenceState,
  reader: Principal,
  parentId: string,
  input: DerivativeInput,
  got: Omit<Ingested, 'exif' | 'reporter'>,
): Result<EventDraft[]> {
  const parent = readableItem(state, reader, parentId);
  if (!parent.ok) return parent;
  const same = checkHashes(input.sha256, got.sha256, got.bytes);
  if (!same.ok) return same;
  if (got.sha256 === parent.value.file.sha256) {
    return fail(
      'validation_failed',
      `the derivative has the same bytes as its parent (sha256 ${got.sha256}); a derivative must be a changed copy`,
      '/sha256',
    );
  }
  const file: FileFacts = {
    sha256: got.sha256,
    clientSha256: input.sha256,
    bytes: got.bytes,
    mediaType: got.mediaType,
    declaredType: input.mediaType,
    filename: input.filename,
  };
  const readers = [...parent.value.readers.filter((l) => l !== 'public')];
  return ok([
    {
      stream: streamOf(got.id),
      type: 'evidence.derived',
      payload: {
        item: got.id,
        file,
        parent: { item: parent.value.id, sha256: parent.value.file.sha256 },
        action: input.action,
        description: input.description,
        caseId: parent.value.caseId,
        custodian: parent.value.custodian,
        readers,
        purpose: input.purpose,
      },
      visibility: readers,
    },
    {
      stream: streamOf(parent.value.id),
      type: 'evidence.derivative-made',
      payload: { item: parent.value.id, derivative: got.id, sha256: got.sha256, action: input.action, purpose: input.purpose },
      visibility: custodyVisibility(parent.value),
    },
  ]);
}

export type ReadKind = 'viewed' | 'downloaded';

/** A view or a download, recorded before the bytes or the details are handed over. */
export function decideRead(state: EvidenceState, reader: Principal, id: string, kind: ReadKind, purpose: string): Result<EventDraft[]> {
  const item = readableItem(state, reader, id);
  if (!item.ok) return item;
  return ok([
    { stream: streamOf(id), type: `evidence.${kind}`, payload: { item: id, purpose }, visibility: custodyVisibility(item.value) },
  ]);
}

/** One `evidence.exported` per item of a package: the last event of each exported custody log. */
export function decideExport(state: EvidenceState, ids: readonly string[], exportId: string, purpose: string): Result<EventDraft[]> {
  const drafts: EventDraft[] = [];
  // Each export event names the whole package (count and digest of its item ids), so an item dropped
  // from a package is caught by the events of the items that remain.
  const contents = { items: ids.length, digest: packageDigest(ids) };
  for (const id of ids) {
    const item = state.items.get(id);
    if (!item) return fail('not_found', `no evidence item ${id}`);
    drafts.push({
      stream: streamOf(id),
      type: 'evidence.exported',
      payload: { item: id, export: exportId, package: contents, purpose },
      visibility: custodyVisibility(item),
    });
  }
  return ok(drafts);
}

/** SHA-256 over the sorted item ids of a package, one a line. */
export function packageDigest(ids: readonly string[]): string {
  return sha256Hex([...ids].sort().join('\n'));
}

export function decideTransfer(
  state: EvidenceState,
  reader: Principal,
  id: string,
  to: string,
  purpose: string,
  knownParty: (p: string) => boolean,
): Result<EventDraft[]> {
  const item = readableItem(state, reader, id);
  if (!item.ok) return item;
  if (!knownParty(to)) return fail('validation_failed', `no party ${to}`, '/to');
  if (item.value.custodian === to) return fail('refused', `${to} holds custody of this item already`, '/to');
  const holds = reader.roles.includes('mediator') || (reader.party !== null && reader.party === item.value.custodian);
  if (!holds) return fail('forbidden', `only the custodian (${item.value.custodian ?? 'none'}) or the mediator may transfer custody`);
  const readers = [...new Set([...item.value.readers, `party:${to}`])];
  return ok([
    {
      stream: streamOf(id),
      type: 'evidence.transferred',
      payload: { item: id, from: item.value.custodian, to, readers, purpose },
      visibility: readers,
    },
  ]);
}

export function decideAccess(
  state: EvidenceState,
  reader: Principal,
  id: string,
  grant: readonly string[],
  revoke: readonly string[],
  purpose: string,
): Result<EventDraft[]> {
  const item = readableItem(state, reader, id);
  if (!item.ok) return item;
  for (const [list, name] of [
    [grant, 'grant'],
    [revoke, 'revoke'],
  ] as const) {
    for (const [i, label] of list.entries()) {
      if (!VisibilityLabel.safeParse(label).success || label === 'public') {
        return fail(
          'validation_failed',
          `"${label}" is not a reader label (party:<id>, grant:<name>, mediator, intermediary, process); publication is its own step`,
          `/${name}/${i}`,
        );
      }
    }
  }
  const keep = new Set(['mediator', `party:${MECHANISM_PARTY}`, ...(item.value.custodian ? [`party:${item.value.custodian}`] : [])]);
  const kept = revoke.find((l) => keep.has(l));
  if (kept)
    return fail('refused', `${kept} cannot lose access: the mechanism, the mediator and the custodian always read the item`, '/revoke');
  const readers = [...new Set([...item.value.readers.filter((l) => !revoke.includes(l)), ...grant])];
  if (grant.length === 0 && revoke.length === 0) return fail('validation_failed', 'grant or revoke at least one reader', '/grant');
  // Both the old and the new readers see the change: who lost access learns it.
  const visibility = [...new Set([...item.value.readers, ...readers])];
  return ok([
    {
      stream: streamOf(id),
      type: 'evidence.access-changed',
      payload: { item: id, granted: [...grant], revoked: [...revoke], readers, purpose },
      visibility,
    },
  ]);
}

export function decideVerification(
  state: EvidenceState,
  reader: Principal,
  id: string,
  input: VerificationInput,
  recordId: string,
): Result<EventDraft[]> {
  const item = readableItem(state, reader, id);
  if (!item.ok) return item;
  return ok([
    {
      stream: streamOf(id),
      type: 'evidence.analysed',
      payload: { item: id, record: recordId, ...input },
      visibility: custodyVisibility(item.value),
    },
  ]);
}

export function decideChallenge(
  state: EvidenceState,
  reader: Principal,
  id: string,
  input: ChallengeInput,
  recordId: string,
): Result<EventDraft[]> {
  const item = readableItem(state, reader, id);
  if (!item.ok) return item;
  if (input.refersTo !== null) {
    const known =
      item.value.verifications.some((v) => v.id === input.refersTo) || item.value.challenges.some((c) => c.id === input.refersTo);
    if (!known) return fail('validation_failed', `item ${id} has no verification record or challenge ${input.refersTo}`, '/refersTo');
  }
  return ok([
    {
      stream: streamOf(id),
      type: 'evidence.challenged',
      payload: { item: id, record: recordId, ...input, purpose: input.kind },
      visibility: custodyVisibility(item.value),
    },
  ]);
}

export function decidePublish(state: EvidenceState, reader: Principal, id: string, purpose: string): Result<EventDraft[]> {
  const item = readableItem(state, reader, id);
  if (!item.ok) return item;
  if (item.value.kind === 'original') {
    return fail(
      'refused',
      'originals are never published: publish a derivative of it (for example a redaction with faces and plates blurred)',
      '/params/id',
    );
  }
  if (item.value.published) return fail('refused', `item ${id} was published already on ${item.value.published.at}`);
  return ok([
    {
      stream: streamOf(id),
      type: 'evidence.published',
      payload: { item: id, purpose },
      visibility: ['public', ...custodyVisibility(item.value)],
    },
  ]);
}

/** Only the mechanism opens a sealed reporter identity, and the opening is itself recorded. */
export function decideUnseal(state: EvidenceState, reader: Principal, id: string, purpose: string): Result<EventDraft[]> {
  const item = readableItem(state, reader, id);
  if (!item.ok) return item;
  if (reader.party !== MECHANISM_PARTY) return fail('forbidden', 'reporter identities are open to the monitoring mechanism only');
  if (!item.value.reporterSealed) return fail('not_found', `item ${id} has no reporter identity: none was given`);
  return ok([
    { stream: streamOf(id), type: 'evidence.reporter-unsealed', payload: { item: id, purpose }, visibility: [`party:${MECHANISM_PARTY}`] },
  ]);
}

/** Items of a case the reader may see, originals first in capture order, each followed by its derivatives. */
export function itemsOfCase(state: EvidenceState, reader: Reader, caseId: string): EvidenceItem[] {
  return (state.byCase.get(caseId) ?? []).map((id) => state.items.get(id)!).filter((i) => mayRead(reader, i));
}

export function publishedItems(state: EvidenceState): EvidenceItem[] {
  return [...state.items.values()].filter((i) => i.published !== null);
}
