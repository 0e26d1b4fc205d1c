import type { JournalEvent } from '../core/journal/envelope';
import { journalIndexProjection, type JournalIndex } from '../core/journal/journal-index';
import type { AnyProjection } from '../core/projection';
import { identityProjection, type Identity } from '../core/identity/identity';
import type { IncidentColumns } from '../core/operations/incident-columns';
import { operationsProjection, type OperationsState } from '../core/operations/state';
import { frameworkProjection, type FrameworkState } from '../core/framework/versions';
import { deconflictionProjection, type DeconflictionState } from '../core/operations/deconfliction/projection';
import { escalationsProjection, type EscalationsState } from '../core/guarantees/clock';
import { negotiationProjection, type NegotiationState } from '../core/negotiation/state';
import { evidenceProjection, type EvidenceState } from '../core/evidence/state';
import { exchangesProjection, type ExchangesState } from '../core/exchanges/state';
import { processProjection, type ProcessState } from '../core/process/state';
import { prosperityProjection, type ProsperityState } from '../core/prosperity/state';
import { stressProjection, type StressState } from '../core/stress/compare';

/**
 * The memory image: every projection's state, folded from the journal. Modules register their
 * projections in PROJECTIONS; queries read `image.get(projection)`.
 */
export const PROJECTIONS: readonly AnyProjection[] = [journalIndexProjection, identityProjection, operationsProjection, frameworkProjection, deconflictionProjection, escalationsProjection, negotiationProjection, evidenceProjection, exchangesProjection, processProjection, prosperityProjection, stressProjection];

export class MemoryImage {
  private readonly states = new Map<string, unknown>();

  constructor(private readonly projections: readonly AnyProjection[] = PROJECTIONS) {
    for (const p of projections) this.states.set(p.name, p.init());
  }

  get index(): JournalIndex {
    return this.states.get(journalIndexProjection.name) as JournalIndex;
  }
  get identity(): Identity {
    return this.states.get(identityProjection.name) as Identity;
  }
  /** The incidents as columns (kept inside the operations projection). */
  get incidents(): IncidentColumns {
    return this.operations.columns;
  }
  get operations(): OperationsState {
    return this.states.get(operationsProjection.name) as OperationsState;
  }

  get framework(): FrameworkState {
    return this.states.get(frameworkProjection.name) as FrameworkState;
  }

  /** Humanitarian notices, their acknowledgements, the site and route indexes, strikes. */
  get deconfliction(): DeconflictionState {
    return this.states.get(deconflictionProjection.name) as DeconflictionState;
  }

  /** Security-guarantee escalations and their clocks. */
  get escalations(): EscalationsState {
    return this.states.get(escalationsProjection.name) as EscalationsState;
  }

  /** The negotiating workspace: positions in their visibility tiers, proposals, comments. */
  get negotiation(): NegotiationState {
    return this.states.get(negotiationProjection.name) as NegotiationState;
  }

  /** Stress-test comparisons attached to clauses. */
  get stress(): StressState {
    return this.states.get(stressProjection.name) as StressState;
  }

  /** The process sequence: meetings, their prerequisites, minutes and attestations. */
  get process(): ProcessState {
    return this.states.get(processProjection.name) as ProcessState;
  }

  /** Evidence items, their custody logs, verification records and challenges. */
  get evidence(): EvidenceState {
    return this.states.get(evidenceProjection.name) as EvidenceState;
  }

  /** Prisoner exchanges: pseudonymous lists (identities sealed), tranches and their persons. */
  get exchanges(): ExchangesState {
    return this.states.get(exchangesProjection.name) as ExchangesState;
  }

  /** The prosperity package: actors, projects, rates, pledges down to expenditures, attestations. */
  get prosperity(): ProsperityState {
    return this.states.get(prosperityProjection.name) as ProsperityState;
  }

  state<S>(name: string): S {
    return this.states.get(name) as S;
  }

  apply(event: JournalEvent): void {
    if (event.position !== this.index.head + 1) {
      throw new Error(`memory image at ${this.index.head} cannot apply position ${event.position}`);
    }
    for (const p of this.projections) p.apply(this.states.get(p.name), event);
  }

  snapshot(): Uint8Array {
    const body = {
      position: this.index.head,
      versions: Object.fromEntries(this.projections.map((p) => [p.name, p.version])),
      states: Object.fromEntries(this.projections.map((p) => [p.name, p.toSnapshot(this.states.get(p.name))])),
    };
    return new TextEncoder().encode(JSON.stringify(body));
  }

  /** Loads a snapshot; false (and the image left empty) when it was made by other projection versions. */
  restore(data: Uint8Array): boolean {
    const body = JSON.parse(new TextDecoder().decode(data)) as { versions: Record<string, number>; states: Record<string, unknown> };
    for (const p of this.projections) {
      if (body.versions[p.name] !== p.version || !(p.name in body.states)) return false;
    }
    for (const p of this.projections) this.states.set(p.name, p.fromSnapshot(body.states[p.name]));
    return true;
  }
}
