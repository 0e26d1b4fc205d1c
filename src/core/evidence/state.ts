import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import type { CaptureFacts, Discrepancy, FileFacts } from './model';

/**
 * The evidence read model: every item with its file facts, capture sources, readers, derivatives,
 * verification records, challenges and custody timeline. The bytes live in the blob store; the record
 * of what happened to them lives here, folded from the journal, live and at rebuild alike.
 */

export interface CustodyEntry {
  readonly position: number;
  readonly streamVersion: number;
  readonly type: string;
  readonly actor: string;
  readonly party: string | null;
  readonly at: string;
  readonly purpose: string;
  readonly summary: string;
  /** The event's labels: a timeline shows each reader only the entries they may read. */
  readonly visibility: readonly string[];
}

export interface VerificationRecord {
  readonly id: string;
  readonly kind: 'source' | 'technical' | 'content';
  readonly analyst: string;
  readonly party: string | null;
  readonly performedOn: string;
  readonly recordedAt: string;
  readonly method: string;
  readonly finding: string;
  readonly conclusion: 'consistent' | 'inconsistent' | 'inconclusive';
  readonly position: number;
}

export interface ChallengeRecord {
  readonly id: string;
  readonly kind: 'challenge' | 'counter-claim';
  readonly refersTo: string | null;
  readonly text: string;
  readonly by: string;
  readonly party: string | null;
  readonly at: string;
  readonly position: number;
}

export interface EvidenceItem {
  readonly id: string;
  readonly kind: 'original' | 'derivative';
  readonly file: FileFacts;
  /** Capture sources of an original (null for a derivative, which inherits its parent's). */
  readonly capture: CaptureFacts | null;
  readonly discrepancies: Discrepancy[];
  readonly caseId: string | null;
  readonly parent: { item: string; sha256: string; action: string; description: string } | null;
  readonly capturedBy: string;
  readonly party: string | null;
  readonly capturedAt: string;
  readonly note: string;
  /** A reporter identity is kept sealed for the mechanism (known only to readers of that event). */
  reporterSealed: boolean;
  /** Visibility labels of whoever may read the item now. */
  readers: string[];
  custodian: string | null;
  derivatives: string[];
  verifications: VerificationRecord[];
  challenges: ChallengeRecord[];
  published: { at: string; by: string; position: number } | null;
  /** The item's stream version: its custody log has exactly this many events. */
  version: number;
  custody: CustodyEntry[];
}

export interface EvidenceState {
  items: Map<string, EvidenceItem>;
  /** case id → item ids, in capture order */
  byCase: Map<string, string[]>;
  /** sha256 → item ids holding those bytes */
  bySha: Map<string, string[]>;
}

export function initEvidence(): EvidenceState {
  return { items: new Map(), byCase: new Map(), bySha: new Map() };
}

type Payload = Record<string, unknown>;
const str = (p: Payload, k: string): string => String(p[k] ?? '');

function summaryOf(event: JournalEvent, item: EvidenceItem | undefined): string {
  const p = event.payload;
  switch (event.type) {
    case 'evidence.captured':
      return `captured ${str(p, 'filename') || (p.file as FileFacts).filename} (sha256 ${(p.file as FileFacts).sha256.slice(0, 12)}…, client and server hashes match)`;
    case 'evidence.derived':
      return `derived by ${str(p, 'action')} from ${(p.parent as { sha256: string }).sha256.slice(0, 12)}…: ${str(p, 'description')}`;
    case 'evidence.derivative-made':
      return `${str(p, 'action')} made: item ${str(p, 'derivative')}`;
    case 'evidence.viewed':
      return '';
    case 'evidence.downloaded':
      return `downloaded ${item?.file.filename ?? ''}`.trim();
    case 'evidence.exported':
      return `exported in package ${str(p, 'export')}`;
    case 'evidence.transferred':
      return `custody transferred from ${str(p, 'from') || 'nobody'} to ${str(p, 'to')}`;
    case 'evidence.access-changed': {
      const g = (p.granted as string[]) ?? [];
      const r = (p.revoked as string[]) ?? [];
      return [g.length ? `access granted to ${g.join(', ')}` : '', r.length ? `access revoked from ${r.join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
    }
    case 'evidence.analysed':
      return `${str(p, 'kind')} analysis: ${str(p, 'conclusion')}`;
    case 'evidence.challenged':
      return `${str(p, 'kind')}${p.refersTo ? ` of ${str(p, 'refersTo')}` : ''} by ${event.party ?? event.actor}`;
    case 'evidence.published':
      return 'published';
    case 'evidence.reporter-sealed':
      return 'reporter identity sealed for the mechanism';
    case 'evidence.reporter-unsealed':
      return 'reporter identity opened by the mechanism';
    default:
      return event.type;
  }
}

function index(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}

function createItem(state: EvidenceState, event: JournalEvent): EvidenceItem {
  const p = event.payload;
  const parent = event.type === 'evidence.derived' ? (p.parent as { item: string; sha256: string }) : null;
  const item: EvidenceItem = {
    id: str(p, 'item'),
    kind: event.type === 'evidence.derived' ? 'derivative' : 'original',
    file: p.file as FileFacts,
    capture: (p.capture as CaptureFacts | undefined) ?? null,
    discrepancies: (p.discrepancies as Discrepancy[] | undefined) ?? [],
    caseId: (p.caseId as string | null) ?? null,
    parent: parent ? { item: parent.item, sha256: parent.sha256, action: str(p, 'action'), description: str(p, 'description') } : null,
    capturedBy: event.actor,
    party: event.party,
    capturedAt: event.recordedAt,
    note: str(p, 'note'),
    reporterSealed: false,
    readers: [...(p.readers as string[])],
    custodian: (p.custodian as string | null) ?? null,
    derivatives: [],
    verifications: [],
    challenges: [],
    published: null,
    version: 0,
    custody: [],
  };
  state.items.set(item.id, item);
  if (item.caseId) index(state.byCase, item.caseId, item.id);
  index(state.bySha, item.file.sha256, item.id);
  return item;
}

export function applyEvidence(state: EvidenceState, event: JournalEvent): void {
  if (!event.type.startsWith('evidence.')) return;
  const p = event.payload;
  const item =
    event.type === 'evidence.captured' || event.type === 'evidence.derived' ? createItem(state, event) : state.items.get(str(p, 'item'));
  if (!item) return;
  item.version = event.streamVersion;
  item.custody.push({
    position: event.position,
    streamVersion: event.streamVersion,
    type: event.type,
    actor: event.actor,
    party: event.party,
    at: event.recordedAt,
    purpose: str(p, 'purpose'),
    summary: summaryOf(event, item),
    visibility: event.visibility,
  });
  switch (event.type) {
    case 'evidence.derivative-made':
      item.derivatives.push(str(p, 'derivative'));
      break;
    case 'evidence.transferred':
      item.custodian = str(p, 'to');
      item.readers = [...(p.readers as string[])];
      break;
    case 'evidence.access-changed':
      item.readers = [...(p.readers as string[])];
      break;
    case 'evidence.analysed':
      item.verifications.push({
        id: str(p, 'record'),
        kind: p.kind as VerificationRecord['kind'],
        analyst: event.actor,
        party: event.party,
        performedOn: str(p, 'performedOn'),
        recordedAt: event.recordedAt,
        method: str(p, 'method'),
        finding: str(p, 'finding'),
        conclusion: p.conclusion as VerificationRecord['conclusion'],
        position: event.position,
      });
      break;
    case 'evidence.challenged':
      item.challenges.push({
        id: str(p, 'record'),
        kind: p.kind as ChallengeRecord['kind'],
        refersTo: (p.refersTo as string | null) ?? null,
        text: str(p, 'text'),
        by: event.actor,
        party: event.party,
        at: event.recordedAt,
        position: event.position,
      });
      break;
    case 'evidence.reporter-sealed':
      item.reporterSealed = true;
      break;
    case 'evidence.published':
      item.published = { at: event.recordedAt, by: event.actor, position: event.position };
      break;
  }
}

export const EVIDENCE_PROJECTION = 'evidence';

export const evidenceProjection: Projection<EvidenceState> = {
  name: EVIDENCE_PROJECTION,
  version: 1,
  init: initEvidence,
  apply: applyEvidence,
  toSnapshot: (state) => [...state.items.values()],
  fromSnapshot(data) {
    const state = initEvidence();
    for (const item of data as EvidenceItem[]) {
      state.items.set(item.id, item);
      if (item.caseId) index(state.byCase, item.caseId, item.id);
      index(state.bySha, item.file.sha256, item.id);
    }
    return state;
  },
};
