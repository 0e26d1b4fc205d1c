import { fail, ok, type Result } from '../errors';
import type { EventDraft, JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import { hashFramework } from './hash';
import { type ForceEntry, rulesInForceAt, type InForce } from './in-force';
import type { Framework } from './model';
import { decideSignature, type FrameworkVersion, type Signature, signOffStatus, type SignOffStatus } from './sign-off';

/**
 * Framework versions as they live in the journal: each recorded version is immutable and named by
 * its hash; signatures and entries into force refer to hashes. One stream per process.
 */
export interface VersionSummary extends FrameworkVersion {
  readonly number: number;
  readonly languages: Readonly<Record<string, string>>;
  readonly recordedBy: string;
  readonly note: string;
  readonly title: string;
}

export interface FrameworkState {
  processId: string | null;
  versions: VersionSummary[];
  documents: Map<string, Framework>;
  signatures: Signature[];
  force: ForceEntry[];
}

export const frameworkStream = (processId: string) => `framework/${processId}`;
const VISIBILITY = ['process'];

/** Parties whose signature makes "same script": the parties to the conflict, mediators and guarantors. */
export function requiredSignatories(doc: Framework): string[] {
  return doc.parties
    .filter((p) => p.kind !== 'coalition' && p.kind !== 'mechanism' && p.roles.some((r) => r === 'party-to-conflict' || r === 'mediator' || r === 'guarantor'))
    .map((p) => p.id);
}

export function currentDocument(state: FrameworkState): Framework | null {
  const v = state.versions[state.versions.length - 1];
  return v ? (state.documents.get(v.hash) ?? null) : null;
}

export function recordVersion(state: FrameworkState, doc: Framework, note: string): Result<{ drafts: EventDraft[]; hash: string; number: number }> {
  if (state.processId !== null && doc.process.id !== state.processId) {
    return fail('refused', `this journal holds the framework of process ${state.processId}; the document is for ${doc.process.id}`, '/process/id');
  }
  const hashes = hashFramework(doc);
  if (state.versions.some((v) => v.hash === hashes.sha256)) {
    const same = state.versions.find((v) => v.hash === hashes.sha256)!;
    return fail('conflict', `this text is already version ${same.number} (${hashes.sha256}); nothing changed`);
  }
  const previous = currentDocument(state);
  if (previous) {
    const retired = new Set([...previous.retiredIds, ...allIds(previous)]);
    const now = new Set(allIds(doc));
    for (const id of retired) {
      if (!now.has(id) && !doc.retiredIds.includes(id)) {
        return fail('validation_failed', `id ${id} of the previous version is gone: list it under retiredIds so that it is never reused`, '/retiredIds');
      }
    }
    for (const id of doc.retiredIds) {
      if (now.has(id)) return fail('validation_failed', `id ${id} is retired and cannot be used again`, '/retiredIds');
    }
  }
  const number = state.versions.length + 1;
  const payload = { number, hash: hashes.sha256, languages: hashes.languages, note, document: doc };
  return ok({ drafts: [{ stream: frameworkStream(doc.process.id), type: 'framework.version-recorded', payload, visibility: VISIBILITY }], hash: hashes.sha256, number });
}

function allIds(doc: Framework): string[] {
  const ids: string[] = [];
  for (const ch of doc.chapters) {
    ids.push(ch.id);
    for (const a of ch.articles) {
      ids.push(a.id);
      for (const c of a.clauses) ids.push(c.id, ...c.alternatives.map((x) => x.id));
    }
  }
  return ids;
}

export function signVersion(state: FrameworkState, request: { party: string | null; hash: string; signer: string; signedAt: string }): Result<EventDraft[]> {
  const doc = currentDocument(state);
  if (!doc || !state.processId) return fail('not_found', 'there is no framework version to sign yet', '/hash');
  if (!request.party) return fail('refused', 'a signature is given for a party; this account acts for none', '/hash');
  const decided = decideSignature(state.versions, state.signatures, requiredSignatories(doc), { ...request, party: request.party });
  if (!decided.ok) return decided;
  return ok([{ stream: frameworkStream(state.processId), type: 'framework.signed', payload: { ...decided.value }, visibility: VISIBILITY }]);
}

export function recordForce(state: FrameworkState, entry: ForceEntry): Result<EventDraft[]> {
  if (!state.processId) return fail('not_found', 'there is no framework yet', '/hash');
  if (entry.kind === 'entry-into-force') {
    if (!state.versions.some((v) => v.hash === entry.hash)) return fail('not_found', `no version has the hash ${entry.hash}`, '/hash');
    const doc = state.documents.get(entry.hash)!;
    const status = signOffStatus(state.versions.filter((v) => v.hash === entry.hash), state.signatures, requiredSignatories(doc));
    if (!status.sameScript) {
      return fail('refused', `version ${entry.hash.slice(0, 12)}… cannot enter into force: not yet signed by ${status.missing.join(', ')}`, '/hash', {
        missing: status.missing,
      });
    }
  }
  return ok([{ stream: frameworkStream(state.processId), type: 'framework.force-changed', payload: { ...entry }, visibility: VISIBILITY }]);
}

export function signOff(state: FrameworkState): SignOffStatus {
  const doc = currentDocument(state);
  return signOffStatus(state.versions, state.signatures, doc ? requiredSignatories(doc) : []);
}

/** The rules in force at an instant: the version and its document, or null. */
export function inForceAt(state: FrameworkState, t: string): (InForce & { number: number; document: Framework }) | null {
  const r = rulesInForceAt(state.force, t);
  if (!r) return null;
  const v = state.versions.find((x) => x.hash === r.hash)!;
  return { ...r, number: v.number, document: state.documents.get(r.hash)! };
}

export const frameworkProjection: Projection<FrameworkState> = {
  name: 'framework',
  version: 1,
  init: () => ({ processId: null, versions: [], documents: new Map(), signatures: [], force: [] }),
  apply(state, event: JournalEvent) {
    const p = event.payload;
    switch (event.type) {
      case 'framework.version-recorded': {
        const doc = p.document as Framework;
        state.processId = doc.process.id;
        state.documents.set(p.hash as string, doc);
        state.versions.push({
          number: p.number as number,
          hash: p.hash as string,
          languages: p.languages as Record<string, string>,
          recordedAt: event.recordedAt,
          recordedBy: event.actor,
          note: (p.note as string) ?? '',
          title: doc.process.title[doc.process.languages[0]!] ?? doc.process.id,
        });
        break;
      }
      case 'framework.signed':
        state.signatures.push({ party: p.party as string, hash: p.hash as string, signer: p.signer as string, signedAt: p.signedAt as string });
        break;
      case 'framework.force-changed':
        state.force.push(p as unknown as ForceEntry);
        break;
    }
  },
  toSnapshot: (s) => ({ processId: s.processId, versions: s.versions, documents: [...s.documents], signatures: s.signatures, force: s.force }),
  fromSnapshot(data) {
    const d = data as { processId: string | null; versions: VersionSummary[]; documents: [string, Framework][]; signatures: Signature[]; force: ForceEntry[] };
    return { processId: d.processId, versions: d.versions, documents: new Map(d.documents), signatures: d.signatures, force: d.force };
  },
};
