import type { Result } from '../errors';
import type { JournalEvent } from '../journal/envelope';
import { NO_MILESTONES } from '../milestones';
import type { FrameworkState } from '../framework/versions';
import { currentDocument } from '../framework/versions';
import type { Decision } from './commands';
import { decideActor, decideCommitment, decidePledge, decideProject, decideRate, decideTranche } from './commands';
import type { ConditionInput } from './model';
import { ActorInput, CommitmentInput, PledgeInput, ProjectInput, RateInput, TrancheInput } from './model';
import { applyProsperity, initProsperity, type ProsperityState } from './state';

/**
 * A prosperity state built through the real commands, without a journal: for core tests, the export
 * tests and the benchmark. Each decision is applied as the event the journal would record.
 */
export class PackageBuilder {
  readonly state: ProsperityState = initProsperity();
  private position = 0;
  private readonly versions = new Map<string, number>();

  constructor(
    readonly framework: FrameworkState,
    private readonly recordedAt = '2026-01-10T00:00:00.000Z',
  ) {}

  apply(decided: Result<Decision>, actor = 'donor', party: string | null = 'eu'): void {
    if (!decided.ok) throw new Error(decided.message);
    for (const d of decided.value.drafts) {
      const v = (this.versions.get(d.stream) ?? 0) + 1;
      this.versions.set(d.stream, v);
      const event: JournalEvent = {
        position: ++this.position,
        stream: d.stream,
        streamVersion: v,
        type: d.type,
        payload: d.payload,
        actor,
        party,
        visibility: d.visibility,
        recordedAt: this.recordedAt,
        idempotencyKey: null,
        prevHash: '0'.repeat(64),
        hash: '0'.repeat(64),
      } as JournalEvent;
      applyProsperity(this.state, event);
    }
  }

  version(stream: string): number {
    return this.versions.get(stream) ?? 0;
  }

  actor(input: Record<string, unknown>) {
    this.apply(decideActor(this.state, ActorInput.parse(input)));
    return this;
  }
  project(input: Record<string, unknown>) {
    this.apply(decideProject(this.state, ProjectInput.parse(input)));
    return this;
  }
  rate(input: Record<string, unknown>) {
    const r = RateInput.parse(input);
    this.apply(decideRate(r, this.version(`rate/${r.base}-${r.quote}`)));
    return this;
  }
  pledge(id: string, input: Record<string, unknown>) {
    this.apply(decidePledge(this.state, id, PledgeInput.parse(input)));
    return this;
  }
  commitment(id: string, input: Record<string, unknown>) {
    const c = CommitmentInput.parse(input);
    this.apply(decideCommitment(this.state, id, c, this.version(`pledge/${c.pledge}`)));
    return this;
  }
  tranche(
    id: string,
    input: Omit<Record<string, unknown>, 'conditions'> & { conditions?: ConditionInput[] },
    users = ['donor', 'mediator'],
  ) {
    const t = TrancheInput.parse(input);
    const pledge = this.state.commitments.get(t.commitment)?.pledge ?? '';
    this.apply(
      decideTranche(this.state, id, t, this.version(`pledge/${pledge}`), {
        document: currentDocument(this.framework),
        parties: new Set(['ua', 'eu', 'us', 'de']),
        milestones: NO_MILESTONES,
        users: new Map(users.map((u) => [u, [u]] as const)),
      }),
    );
    return this;
  }
}

/** A small package: two donors, an investor and an insurer, three projects, conditioned tranches. */
export function samplePackage(framework: FrameworkState): PackageBuilder {
  const b = new PackageBuilder(framework);
  b.actor({ id: 'eu', name: 'European Commission', kind: 'multilateral', party: 'eu', country: null })
    .actor({ id: 'kfw', name: 'KfW Development Bank', kind: 'development-bank', country: 'DE' })
    .actor({ id: 'dnipro-capital', name: 'Dnipro Capital Partners', kind: 'private-investor', country: 'UA' })
    .actor({ id: 'black-sea-mutual', name: 'Black Sea Mutual (war-risk pool)', kind: 'insurer', country: 'GB' })
    .actor({ id: 'ua-grid', name: 'National grid operator of Ukraine', kind: 'recipient', country: 'UA' })
    .actor({ id: 'zp-city', name: 'Zaporizhzhia City Council', kind: 'recipient', country: 'UA' })
    .project({
      id: 'zp-substation',
      title: 'Zaporizhzhia substation rebuild',
      sector: 'energy',
      oblast: 'UA-23',
      recipient: 'ua-grid',
      dreamId: 'DREAM-23-00417',
      ocid: 'ocds-be6bcu-UA-2026-01-12-000417-a',
    })
    .project({ id: 'zp-housing', title: 'Orikhiv housing repairs', sector: 'housing', oblast: 'UA-23', recipient: 'zp-city' })
    .project({ id: 'odesa-port', title: 'Odesa port cranes', sector: 'ports', oblast: 'UA-51', recipient: 'ua-grid' })
    .rate({ base: 'USD', quote: 'EUR', rate: '0.9180', on: '2026-01-02', source: 'ECB reference rate' })
    .rate({ base: 'GBP', quote: 'EUR', rate: '1.1820', on: '2026-01-02', source: 'ECB reference rate' })
    .pledge('eu-facility', {
      donor: 'eu',
      instrument: 'grant',
      currency: 'EUR',
      amount: '50000000.00',
      on: '2026-01-08',
      title: 'Ukraine Facility: recovery window',
    })
    .commitment('eu-substation', { pledge: 'eu-facility', project: 'zp-substation', amount: '30000000.00', on: '2026-01-09' })
    .tranche('eu-substation-1', {
      commitment: 'eu-substation',
      label: 'first tranche',
      amount: '10000000.00',
      approver: 'donor',
      plannedOn: '2026-02-10',
      conditions: [{ type: 'framework', condition: 'funding-first' }],
    })
    .tranche('eu-substation-2', {
      commitment: 'eu-substation',
      label: 'second tranche',
      amount: '20000000.00',
      approver: 'donor',
      plannedOn: '2026-04-10',
      conditions: [{ type: 'framework', condition: 'funding-second' }],
    })
    .pledge('kfw-loan', {
      donor: 'kfw',
      instrument: 'loan',
      currency: 'EUR',
      amount: '12000000.00',
      on: '2026-01-08',
      title: 'Housing reconstruction loan',
    })
    .commitment('kfw-housing', { pledge: 'kfw-loan', project: 'zp-housing', amount: '12000000.00', on: '2026-01-09' })
    .tranche('kfw-housing-1', {
      commitment: 'kfw-housing',
      label: 'works start',
      amount: '4000000.00',
      approver: 'donor',
      plannedOn: '2026-02-01',
      conditions: [{ type: 'ceasefire-held', days: 60, zones: ['contact-line-buffer'], maxSeverity: 3 }],
    })
    .pledge('dnipro-equity', {
      donor: 'dnipro-capital',
      instrument: 'equity',
      currency: 'USD',
      amount: '8000000.00',
      on: '2026-01-09',
      title: 'Port equipment equity',
    })
    .commitment('dnipro-port', { pledge: 'dnipro-equity', project: 'odesa-port', amount: '8000000.00', on: '2026-01-09' })
    .tranche('dnipro-port-1', {
      commitment: 'dnipro-port',
      label: 'cranes ordered',
      amount: '8000000.00',
      approver: 'donor',
      plannedOn: '2026-03-01',
      conditions: [{ type: 'framework', condition: 'war-risk-cover' }],
    })
    .pledge('bsm-cover', {
      donor: 'black-sea-mutual',
      instrument: 'war-risk-insurance',
      currency: 'GBP',
      amount: '25000000.00',
      on: '2026-01-09',
      title: 'War-risk cover for port investment',
    })
    .commitment('bsm-port', { pledge: 'bsm-cover', project: 'odesa-port', amount: '25000000.00', on: '2026-01-09' })
    .tranche('bsm-port-1', {
      commitment: 'bsm-port',
      label: 'cover available',
      amount: '25000000.00',
      approver: 'donor',
      plannedOn: '2026-01-10',
      conditions: [{ type: 'framework-in-force' }],
    });
  return b;
}
