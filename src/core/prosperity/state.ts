import type { JournalEvent } from '../journal/envelope';
import type { Projection } from '../projection';
import type { ActorKind, ConditionInput, Instrument, Oblast, Sector } from './model';
import { RateTable, type CurrencyCode, type RateRecord } from './money';

/**
 * The prosperity package as a read model: actors, projects, dated exchange rates, and each pledge's
 * money down to the last expenditure. Amounts stay canonical decimal strings here (snapshots are
 * JSON); sums are taken as bigint where they are needed.
 */

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly kind: ActorKind;
  readonly party: string | null;
  readonly country: string | null;
}

export interface Project {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly sector: Sector;
  readonly oblast: Oblast;
  readonly recipient: string;
  readonly dreamId: string | null;
  readonly ocid: string | null;
  readonly registeredAt: string;
}

export interface Flow {
  readonly id: string;
  readonly amount: string;
  readonly on: string;
  readonly text: string;
  readonly actor: string;
  readonly recordedAt: string;
  readonly position: number;
}

export interface Pledge {
  readonly id: string;
  readonly donor: string;
  readonly instrument: Instrument;
  readonly currency: CurrencyCode;
  readonly amount: string;
  readonly on: string;
  readonly title: string;
  readonly actor: string;
  readonly recordedAt: string;
  readonly position: number;
  readonly commitments: string[];
}

export interface Commitment {
  readonly id: string;
  readonly pledge: string;
  readonly project: string;
  readonly amount: string;
  readonly on: string;
  readonly recordedAt: string;
  readonly position: number;
  readonly tranches: string[];
}

/** What the conditions said when a tranche was released: the record the release stands on. */
export interface ReleaseRecord {
  readonly by: string;
  readonly party: string | null;
  readonly at: string;
  readonly note: string;
  readonly position: number;
  readonly evaluation: unknown;
}

/** The last releasability the node journaled for a tranche (tranche.conditions-changed). */
export interface RecordedStatus {
  readonly releasable: boolean;
  /** the instant the conditions started (or stopped) holding */
  readonly since: string | null;
  /** locked: when the conditions would hold by time alone (the node re-evaluates then) */
  readonly unlocksAt: string | null;
  readonly reason: string;
  readonly at: string;
  readonly position: number;
  readonly evidence: unknown;
}

export interface Tranche {
  readonly id: string;
  readonly pledge: string;
  readonly commitment: string;
  readonly label: string;
  readonly amount: string;
  readonly currency: CurrencyCode;
  readonly approver: string;
  readonly conditions: readonly ConditionInput[];
  readonly plannedOn: string;
  readonly plannedAt: string;
  readonly position: number;
  release: ReleaseRecord | null;
  readonly disbursements: Flow[];
  readonly expenditures: Flow[];
  recorded: RecordedStatus | null;
  /** every tranche.conditions-changed, oldest first: the tranche's timeline */
  readonly history: RecordedStatus[];
}

export interface Attestation {
  readonly party: string;
  readonly what: string;
  readonly by: string;
  readonly at: string;
  readonly position: number;
}

export interface ProsperityState {
  actors: Map<string, Actor>;
  projects: Map<string, Project>;
  pledges: Map<string, Pledge>;
  commitments: Map<string, Commitment>;
  tranches: Map<string, Tranche>;
  rates: RateTable;
  attestations: Attestation[];
}

export const PROSPERITY_PROJECTION = 'prosperity';

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function strOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function flow(e: JournalEvent, text: string): Flow {
  const p = e.payload;
  return { id: str(p.id), amount: str(p.amount), on: str(p.on), text, actor: e.actor, recordedAt: e.recordedAt, position: e.position };
}

export function applyProsperity(state: ProsperityState, e: JournalEvent): void {
  const p = e.payload;
  switch (e.type) {
    case 'prosperity.actor-registered':
      state.actors.set(str(p.id), {
        id: str(p.id),
        name: str(p.name),
        kind: p.kind as ActorKind,
        party: strOrNull(p.party),
        country: strOrNull(p.country),
      });
      break;
    case 'prosperity.project-registered':
      state.projects.set(str(p.id), {
        id: str(p.id),
        title: str(p.title),
        description: str(p.description),
        sector: p.sector as Sector,
        oblast: p.oblast as Oblast,
        recipient: str(p.recipient),
        dreamId: strOrNull(p.dreamId),
        ocid: strOrNull(p.ocid),
        registeredAt: e.recordedAt,
      });
      break;
    case 'prosperity.rate-recorded':
      state.rates.add({
        base: p.base as CurrencyCode,
        quote: p.quote as CurrencyCode,
        rate: str(p.rate),
        on: str(p.on),
        source: str(p.source),
        position: e.position,
      });
      break;
    case 'pledge.made':
      state.pledges.set(str(p.id), {
        id: str(p.id),
        donor: str(p.donor),
        instrument: p.instrument as Instrument,
        currency: p.currency as CurrencyCode,
        amount: str(p.amount),
        on: str(p.on),
        title: str(p.title),
        actor: e.actor,
        recordedAt: e.recordedAt,
        position: e.position,
        commitments: [],
      });
      break;
    case 'commitment.made': {
      const c: Commitment = {
        id: str(p.id),
        pledge: str(p.pledge),
        project: str(p.project),
        amount: str(p.amount),
        on: str(p.on),
        recordedAt: e.recordedAt,
        position: e.position,
        tranches: [],
      };
      state.commitments.set(c.id, c);
      state.pledges.get(c.pledge)?.commitments.push(c.id);
      break;
    }
    case 'tranche.planned': {
      const t: Tranche = {
        id: str(p.id),
        pledge: str(p.pledge),
        commitment: str(p.commitment),
        label: str(p.label),
        amount: str(p.amount),
        currency: p.currency as CurrencyCode,
        approver: str(p.approver),
        conditions: (p.conditions as ConditionInput[]) ?? [],
        plannedOn: str(p.plannedOn),
        plannedAt: e.recordedAt,
        position: e.position,
        release: null,
        disbursements: [],
        expenditures: [],
        recorded: null,
        history: [],
      };
      state.tranches.set(t.id, t);
      state.commitments.get(t.commitment)?.tranches.push(t.id);
      break;
    }
    case 'tranche.released': {
      const t = state.tranches.get(str(p.tranche));
      if (t)
        t.release = { by: e.actor, party: e.party, at: e.recordedAt, note: str(p.note), position: e.position, evaluation: p.evaluation };
      break;
    }
    case 'disbursement.made':
      state.tranches.get(str(p.tranche))?.disbursements.push(flow(e, str(p.note)));
      break;
    case 'expenditure.recorded':
      state.tranches.get(str(p.tranche))?.expenditures.push(flow(e, str(p.description)));
      break;
    case 'milestone.attested':
      state.attestations.push({ party: str(p.party), what: str(p.what), by: e.actor, at: e.recordedAt, position: e.position });
      break;
    case 'tranche.conditions-changed': {
      const t = state.tranches.get(str(p.tranche));
      if (!t) break;
      const s: RecordedStatus = {
        releasable: p.releasable === true,
        since: strOrNull(p.since),
        unlocksAt: strOrNull(p.unlocksAt),
        reason: str(p.reason),
        at: e.recordedAt,
        position: e.position,
        evidence: p.evidence,
      };
      t.recorded = s;
      t.history.push(s);
      break;
    }
  }
}

interface Snapshot {
  actors: Actor[];
  projects: Project[];
  pledges: Pledge[];
  commitments: Commitment[];
  tranches: Tranche[];
  rates: RateRecord[];
  attestations: Attestation[];
}

export function initProsperity(): ProsperityState {
  return {
    actors: new Map(),
    projects: new Map(),
    pledges: new Map(),
    commitments: new Map(),
    tranches: new Map(),
    rates: new RateTable(),
    attestations: [],
  };
}

export const prosperityProjection: Projection<ProsperityState> = {
  name: PROSPERITY_PROJECTION,
  version: 1,
  init: initProsperity,
  apply: applyProsperity,
  toSnapshot: (s): Snapshot => ({
    actors: [...s.actors.values()],
    projects: [...s.projects.values()],
    pledges: [...s.pledges.values()],
    commitments: [...s.commitments.values()],
    tranches: [...s.tranches.values()],
    rates: s.rates.all(),
    attestations: s.attestations,
  }),
  fromSnapshot(data) {
    const d = data as Snapshot;
    const s = initProsperity();
    for (const a of d.actors) s.actors.set(a.id, a);
    for (const p of d.projects) s.projects.set(p.id, p);
    for (const p of d.pledges) s.pledges.set(p.id, p);
    for (const c of d.commitments) s.commitments.set(c.id, c);
    for (const t of d.tranches) s.tranches.set(t.id, t);
    for (const r of d.rates) s.rates.add(r);
    s.attestations = d.attestations;
    return s;
  },
};
