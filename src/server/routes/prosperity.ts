import { z } from 'zod';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import { currentDocument, inForceAt } from '../../core/framework/versions';
import type { JournalEvent } from '../../core/journal/envelope';
import {
  decideActor,
  decideAttestation,
  decideCommitment,
  decideDisbursement,
  decideExpenditure,
  decidePledge,
  decideProject,
  decideRate,
  decideRelease,
  decideTranche,
  type Decision,
} from '../../core/prosperity/commands';
import { evaluateTranche, type ConditionFacts, type TrancheEvaluation } from '../../core/prosperity/conditions';
import { iatiActivities } from '../../core/prosperity/iati';
import {
  ActorInput,
  AttestationInput,
  CommitmentInput,
  DisbursementInput,
  ExpenditureInput,
  OBLASTS,
  PledgeInput,
  ProjectInput,
  RateInput,
  ReleaseInput,
  SECTORS,
  TrancheInput,
  pledgeStream,
} from '../../core/prosperity/model';
import { ocdsReleasePackage } from '../../core/prosperity/ocds';
import { conditionFacts } from '../../core/prosperity/reactor';
import type { Tranche } from '../../core/prosperity/state';
import { evaluateAll, MONEY_STAGES, moneySummary, trancheStage, whatUnlocks } from '../../core/prosperity/views';
import { milestoneFacts } from '../../runtime/milestones';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs, newId } from './identity';

// ---------------------------------------------------------------------------------------------------
// Response schemas

const Evidence = z.object({
  kind: z.string(),
  text: z.string(),
  at: z.string().optional(),
  caseId: z.string().optional(),
  caseNumber: z.number().int().optional(),
  severity: z.number().optional(),
  zones: z.array(z.string()).optional(),
  version: z.number().int().optional(),
  hash: z.string().optional(),
  position: z.number().int().optional(),
});
const MilestoneOut = z.object({
  type: z.string(),
  label: z.string(),
  holds: z.boolean(),
  since: z.string().nullable(),
  unlocksAt: z.string().nullable(),
  progress: z.object({ days: z.number().int(), of: z.number().int() }).nullable(),
  evidence: z.array(Evidence),
});
const ConditionOut = z.object({
  label: z.string(),
  source: z
    .object({ id: z.string(), clauses: z.array(z.string()), version: z.number().int().nullable(), provisional: z.boolean() })
    .nullable(),
  holds: z.boolean(),
  since: z.string().nullable(),
  unlocksAt: z.string().nullable(),
  milestones: z.array(MilestoneOut),
});
const TimelineEntry = z.object({
  releasable: z.boolean(),
  since: z.string().nullable(),
  at: z.string(),
  reason: z.string(),
  position: z.number().int(),
});
const FlowOut = z.object({
  id: z.string(),
  amount: z.string(),
  on: z.string(),
  text: z.string(),
  actor: z.string(),
  recordedAt: z.string(),
});
const TrancheOut = z.object({
  id: z.string(),
  label: z.string(),
  stage: z.enum(['locked', 'releasable', 'released', 'disbursed', 'spent']),
  amount: z.string(),
  currency: z.string(),
  approver: z.string(),
  plannedOn: z.string(),
  pledge: z.string(),
  commitment: z.string(),
  donor: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  instrument: z.string(),
  project: z.object({ id: z.string(), title: z.string(), sector: z.string(), oblast: z.string() }),
  releasable: z.boolean(),
  since: z.string().nullable(),
  unlocksAt: z.string().nullable(),
  conditions: z.array(ConditionOut),
  release: z.object({ by: z.string(), at: z.string(), note: z.string(), position: z.number().int() }).nullable(),
  disbursements: z.array(FlowOut),
  expenditures: z.array(FlowOut),
  timeline: z.array(TimelineEntry),
});
type TrancheOut = z.infer<typeof TrancheOut>;

const Stages = z.object(Object.fromEntries(MONEY_STAGES.map((s) => [s, z.string()])) as Record<(typeof MONEY_STAGES)[number], z.ZodString>);
const MoneyRow = z.object({ key: z.string(), stages: Stages, total: z.string() });
const OverviewOut = z.object({
  asOf: z.string(),
  currency: z.string(),
  total: z.string(),
  stages: Stages,
  byInstrument: z.array(MoneyRow),
  bySector: z.array(MoneyRow.extend({ label: z.object({ en: z.string(), uk: z.string() }) })),
  byOblast: z.array(MoneyRow.extend({ label: z.object({ en: z.string(), uk: z.string() }) })),
  byDonor: z.array(MoneyRow.extend({ name: z.string() })),
  unconverted: z.array(z.object({ pledge: z.string(), currency: z.string(), amount: z.string(), on: z.string() })),
  counts: z.object({
    pledges: z.number().int(),
    tranches: z.number().int(),
    locked: z.number().int(),
    releasable: z.number().int(),
    released: z.number().int(),
  }),
});
const UnlocksOut = z.object({
  asOf: z.string(),
  days: z.number().int(),
  horizon: z.string(),
  currency: z.string(),
  total: z.string(),
  unlocks: z.array(
    z.object({
      tranche: z.string(),
      label: z.string(),
      pledge: z.string(),
      donor: z.string(),
      instrument: z.string(),
      amount: z.string(),
      currency: z.string(),
      reportingAmount: z.string().nullable(),
      unlocksAt: z.string(),
    }),
  ),
});
const PackageOut = z.object({
  actors: z.array(
    z.object({ id: z.string(), name: z.string(), kind: z.string(), party: z.string().nullable(), country: z.string().nullable() }),
  ),
  projects: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      sector: z.string(),
      oblast: z.string(),
      recipient: z.string(),
      dreamId: z.string().nullable(),
      ocid: z.string().nullable(),
    }),
  ),
  pledges: z.array(
    z.object({
      id: z.string(),
      donor: z.string(),
      instrument: z.string(),
      currency: z.string(),
      amount: z.string(),
      on: z.string(),
      title: z.string(),
      commitments: z.array(
        z.object({ id: z.string(), project: z.string(), amount: z.string(), on: z.string(), tranches: z.array(z.string()) }),
      ),
    }),
  ),
  rates: z.array(z.object({ base: z.string(), quote: z.string(), rate: z.string(), on: z.string(), source: z.string() })),
  attestations: z.array(z.object({ party: z.string(), what: z.string(), by: z.string(), at: z.string() })),
});
const Appended = z.object({ position: z.number().int(), hash: z.string(), id: z.string() });
const IdParams = z.object({ id: z.string().min(1).max(100) }).strict();
const AsOfQuery = z
  .object({ asOf: z.iso.datetime({ offset: true, message: 'asOf is an ISO 8601 instant, e.g. 2026-02-10T00:00:00Z' }).optional() })
  .strict();
const UnlocksQuery = z
  .object({
    days: z.coerce.number().int().min(1, 'days is at least 1').max(3650, 'days is at most 3650').default(30),
    asOf: z.iso.datetime({ offset: true, message: 'asOf is an ISO 8601 instant, e.g. 2026-02-10T00:00:00Z' }).optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------

function factsOf(services: Services): ConditionFacts {
  const image = services.journal.image;
  return conditionFacts(image, () => milestoneFacts(image))!;
}

function instantOf(services: Services, asOf: string | undefined): number {
  return asOf ? Date.parse(asOf) : services.now().getTime();
}

function streamVersion(services: Services, stream: string): number {
  return services.journal.image.index.streams.get(stream) ?? 0;
}

async function appendDecision(services: Services, reader: Principal | null, decided: Result<Decision>, key: string | null, id: string) {
  if (!decided.ok) return decided;
  const r = await appendAs(services, reader, ok(decided.value.drafts), key, decided.value.expected);
  return r.ok ? ok({ ...r.value, id }) : r;
}

function trancheOut(services: Services, t: Tranche, e: TrancheEvaluation): TrancheOut {
  const s = services.journal.image.prosperity;
  const pledge = s.pledges.get(t.pledge)!;
  const donor = s.actors.get(pledge.donor);
  const project = s.projects.get(s.commitments.get(t.commitment)!.project)!;
  const flow = (f: Tranche['disbursements'][number]) => ({
    id: f.id,
    amount: f.amount,
    on: f.on,
    text: f.text,
    actor: f.actor,
    recordedAt: f.recordedAt,
  });
  return {
    id: t.id,
    label: t.label,
    stage: trancheStage(t, e),
    amount: t.amount,
    currency: t.currency,
    approver: t.approver,
    plannedOn: t.plannedOn,
    pledge: t.pledge,
    commitment: t.commitment,
    donor: { id: pledge.donor, name: donor?.name ?? pledge.donor, kind: donor?.kind ?? 'unknown' },
    instrument: pledge.instrument,
    project: { id: project.id, title: project.title, sector: project.sector, oblast: project.oblast },
    releasable: e.releasable,
    since: e.since,
    unlocksAt: e.unlocksAt,
    conditions: e.conditions.map((c) => ({
      label: c.label,
      source: c.source ? { ...c.source, clauses: [...c.source.clauses] } : null,
      holds: c.holds,
      since: c.since,
      unlocksAt: c.unlocksAt,
      milestones: c.milestones.map((m) => ({
        type: m.milestone.type,
        label: m.label,
        holds: m.holds,
        since: m.since,
        unlocksAt: m.unlocksAt,
        progress: m.progress,
        evidence: m.evidence.map(({ zones, ...x }) => ({ ...x, ...(zones ? { zones: [...zones] } : {}) })),
      })),
    })),
    release: t.release ? { by: t.release.by, at: t.release.at, note: t.release.note, position: t.release.position } : null,
    disbursements: t.disbursements.map(flow),
    expenditures: t.expenditures.map(flow),
    timeline: t.history.map((h) => ({ releasable: h.releasable, since: h.since, at: h.at, reason: h.reason, position: h.position })),
  };
}

function conditionContext(services: Services) {
  const image = services.journal.image;
  const force = inForceAt(image.framework, services.now().toISOString());
  return {
    document: force?.document ?? currentDocument(image.framework),
    parties: new Set(image.identity.parties.keys()),
    milestones: milestoneFacts(image),
    users: new Map([...image.identity.users.values()].map((u) => [u.username, u.roles] as const)),
  };
}

/** The id an appended money event stands for (a retried request answers with it too). */
function replayId(events: readonly JournalEvent[]) {
  const last = events[events.length - 1]!;
  const id = last.payload.id ?? last.payload.tranche;
  return ok({ position: last.position, hash: last.hash, id: typeof id === 'string' ? id : '' });
}

const postRoute = <B>(
  url: string,
  summary: string,
  action: 'prosperity.register' | 'prosperity.fund' | 'prosperity.report' | 'prosperity.attest',
  body: z.ZodType<B>,
  decide: (services: Services, body: B, reader: Principal, key: string | null) => { decided: Result<Decision>; id: string },
) =>
  defineRoute({
    method: 'POST',
    url,
    summary,
    tag: 'prosperity',
    action,
    body,
    status: 201,
    response: Appended,
    replay: replayId,
    async handler({ body: input, reader, services, idempotencyKey }) {
      const { decided, id } = decide(services, input, reader!, idempotencyKey);
      return appendDecision(services, reader, decided, idempotencyKey, id);
    },
  });

const trancheRoute = <B>(
  url: string,
  summary: string,
  action: 'prosperity.fund' | 'prosperity.report',
  body: z.ZodType<B>,
  decide: (services: Services, trancheId: string, body: B, id: string) => Result<Decision>,
  idOf: (body: B) => string | undefined,
) =>
  defineRoute({
    method: 'POST',
    url,
    summary,
    tag: 'prosperity',
    action,
    params: IdParams,
    body,
    status: 201,
    response: Appended,
    replay: replayId,
    async handler({ params, body: input, reader, services, idempotencyKey }) {
      const id = idOf(input) ?? newId(reader, idempotencyKey);
      return appendDecision(services, reader, decide(services, params.id, input, id), idempotencyKey, id);
    },
  });

const pledgeVersion = (services: Services, trancheId: string) => {
  const t = services.journal.image.prosperity.tranches.get(trancheId);
  return t ? streamVersion(services, pledgeStream(t.pledge)) : 0;
};

export const prosperityRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/prosperity/overview',
    summary: 'Money of the prosperity package by stage, instrument, sector, oblast and donor, in EUR, as of now (or asOf)',
    tag: 'prosperity',
    action: 'prosperity.read',
    query: AsOfQuery,
    response: OverviewOut,
    async handler({ query, services }) {
      const s = services.journal.image.prosperity;
      const t = instantOf(services, query.asOf);
      const evaluations = evaluateAll(s, factsOf(services), t);
      const summary = moneySummary(s, evaluations);
      const stages = [...s.tranches.values()].map((tr) => trancheStage(tr, evaluations.get(tr.id)!));
      const label = (table: Record<string, { en: string; uk: string }>, key: string) =>
        table[key] ?? { en: key, uk: key === 'unallocated' ? 'не розподілено' : key };
      return ok({
        asOf: new Date(t).toISOString(),
        ...summary,
        byInstrument: [...summary.byInstrument],
        bySector: summary.bySector.map((r) => ({ ...r, label: label(SECTORS, r.key) })),
        byOblast: summary.byOblast.map((r) => ({ ...r, label: label(OBLASTS, r.key) })),
        byDonor: summary.byDonor.map((r) => ({ ...r, name: s.actors.get(r.key)?.name ?? r.key })),
        unconverted: [...summary.unconverted],
        counts: {
          pledges: s.pledges.size,
          tranches: s.tranches.size,
          locked: stages.filter((x) => x === 'locked').length,
          releasable: stages.filter((x) => x === 'releasable').length,
          released: stages.filter((x) => x !== 'locked' && x !== 'releasable').length,
        },
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/prosperity/package',
    summary: 'Actors, projects, pledges with their commitments, exchange rates and attestations',
    tag: 'prosperity',
    action: 'prosperity.read',
    response: PackageOut,
    async handler({ services }) {
      const s = services.journal.image.prosperity;
      return ok({
        actors: [...s.actors.values()],
        projects: [...s.projects.values()].map(({ registeredAt: _r, ...p }) => p),
        pledges: [...s.pledges.values()].map((p) => ({
          id: p.id,
          donor: p.donor,
          instrument: p.instrument,
          currency: p.currency,
          amount: p.amount,
          on: p.on,
          title: p.title,
          commitments: p.commitments.map((id) => {
            const c = s.commitments.get(id)!;
            return { id: c.id, project: c.project, amount: c.amount, on: c.on, tranches: [...c.tranches] };
          }),
        })),
        rates: s.rates.all().map(({ position: _p, ...r }) => r),
        attestations: s.attestations.map(({ position: _p, ...a }) => a),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/prosperity/tranches',
    summary: 'Every tranche with its stage, its conditions (status, since when, evidence) and its timeline, as of now (or asOf)',
    tag: 'prosperity',
    action: 'prosperity.read',
    query: AsOfQuery,
    response: z.object({ asOf: z.string(), tranches: z.array(TrancheOut) }),
    async handler({ query, services }) {
      const s = services.journal.image.prosperity;
      const t = instantOf(services, query.asOf);
      const facts = factsOf(services);
      const tranches = [...s.tranches.values()].map((tr) => trancheOut(services, tr, evaluateTranche(tr.conditions, facts, t)));
      return ok({ asOf: new Date(t).toISOString(), tranches });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/prosperity/tranches/:id',
    summary: 'One tranche: stage, conditions with their evidence, release, disbursements, expenditures, timeline',
    tag: 'prosperity',
    action: 'prosperity.read',
    params: IdParams,
    query: AsOfQuery,
    response: TrancheOut,
    async handler({ params, query, services }) {
      const tr = services.journal.image.prosperity.tranches.get(params.id);
      if (!tr) return fail('not_found', `there is no tranche ${params.id}`, '/params/id');
      return ok(trancheOut(services, tr, evaluateTranche(tr.conditions, factsOf(services), instantOf(services, query.asOf))));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/prosperity/unlocks',
    summary: 'What unlocks if the ceasefire holds N more days (default 30) and no further breach is verified',
    tag: 'prosperity',
    action: 'prosperity.read',
    query: UnlocksQuery,
    response: UnlocksOut,
    async handler({ query, services }) {
      const t = instantOf(services, query.asOf);
      const r = whatUnlocks(services.journal.image.prosperity, factsOf(services), t, query.days);
      return ok({ asOf: new Date(t).toISOString(), days: query.days, ...r });
    },
  }),
  postRoute(
    '/api/v1/prosperity/actors',
    'Register a donor, development bank, investor, insurer or recipient',
    'prosperity.register',
    ActorInput,
    (services, body) => ({
      decided: decideActor(services.journal.image.prosperity, body),
      id: body.id,
    }),
  ),
  postRoute(
    '/api/v1/prosperity/projects',
    'Register a project with its sector, oblast, recipient and optional DREAM id and ocid',
    'prosperity.register',
    ProjectInput,
    (services, body) => ({
      decided: decideProject(services.journal.image.prosperity, body),
      id: body.id,
    }),
  ),
  postRoute(
    '/api/v1/prosperity/rates',
    'Record a dated exchange rate (1 base = rate quote)',
    'prosperity.register',
    RateInput,
    (services, body) => ({
      decided: decideRate(body, streamVersion(services, `rate/${body.base}-${body.quote}`)),
      id: `${body.base}-${body.quote}-${body.on}`,
    }),
  ),
  postRoute(
    '/api/v1/prosperity/pledges',
    'Pledge money under an instrument, in an ISO 4217 currency, as an exact decimal string',
    'prosperity.fund',
    PledgeInput,
    (services, body, reader, key) => {
      const id = body.id ?? newId(reader, key);
      return { decided: decidePledge(services.journal.image.prosperity, id, body), id };
    },
  ),
  postRoute(
    '/api/v1/prosperity/commitments',
    'Commit part of a pledge to a project (never more than is left uncommitted)',
    'prosperity.fund',
    CommitmentInput,
    (services, body, reader, key) => {
      const id = body.id ?? newId(reader, key);
      return {
        decided: decideCommitment(services.journal.image.prosperity, id, body, streamVersion(services, pledgeStream(body.pledge))),
        id,
      };
    },
  ),
  postRoute(
    '/api/v1/prosperity/tranches',
    'Plan a tranche of a commitment with its conditions (framework funding conditions or milestones) and its approver',
    'prosperity.fund',
    TrancheInput,
    (services, body, reader, key) => {
      const id = body.id ?? newId(reader, key);
      const pledge = services.journal.image.prosperity.commitments.get(body.commitment)?.pledge ?? '';
      return {
        decided: decideTranche(
          services.journal.image.prosperity,
          id,
          body,
          streamVersion(services, pledgeStream(pledge)),
          conditionContext(services),
        ),
        id,
      };
    },
  ),
  defineRoute({
    method: 'POST',
    url: '/api/v1/prosperity/tranches/:id/release',
    summary: "Release a tranche: by its named approver, once its conditions hold; the conditions' evidence is journaled with it",
    tag: 'prosperity',
    action: 'prosperity.release',
    params: IdParams,
    body: ReleaseInput,
    status: 201,
    response: Appended,
    replay: replayId,
    async handler({ params, body, reader, services, idempotencyKey }) {
      const s = services.journal.image.prosperity;
      const tr = s.tranches.get(params.id);
      const evaluation = tr
        ? evaluateTranche(tr.conditions, factsOf(services), services.now().getTime())
        : { releasable: false, since: null, unlocksAt: null, conditions: [] };
      return appendDecision(
        services,
        reader,
        decideRelease(s, params.id, reader!, body, evaluation, pledgeVersion(services, params.id)),
        idempotencyKey,
        params.id,
      );
    },
  }),
  trancheRoute(
    '/api/v1/prosperity/tranches/:id/disbursements',
    'Record a disbursement from a released tranche (never above what its commitment has left in it)',
    'prosperity.fund',
    DisbursementInput,
    (services, trancheId, body, id) =>
      decideDisbursement(services.journal.image.prosperity, trancheId, id, body, pledgeVersion(services, trancheId)),
    (b) => b.id,
  ),
  trancheRoute(
    '/api/v1/prosperity/tranches/:id/expenditures',
    'Record what the recipient spent of a disbursed tranche',
    'prosperity.report',
    ExpenditureInput,
    (services, trancheId, body, id) =>
      decideExpenditure(services.journal.image.prosperity, trancheId, id, body, pledgeVersion(services, trancheId)),
    (b) => b.id,
  ),
  postRoute(
    '/api/v1/prosperity/attestations',
    "Attest a milestone for the reader's party (a condition naming that party and text then holds)",
    'prosperity.attest',
    AttestationInput,
    (services, body, reader) => ({
      decided: decideAttestation(reader, body, streamVersion(services, `attestation/${reader.party ?? ''}`)),
      id: `${reader.party ?? ''}`,
    }),
  ),
  defineRoute({
    method: 'GET',
    url: '/api/v1/prosperity/iati.xml',
    summary: 'The package as IATI 2.03 activities (one activity per project), conditions as of now',
    tag: 'prosperity',
    action: 'prosperity.read',
    response: null,
    raw: true,
    async handler({ services, reply }) {
      const now = services.now();
      const xml = iatiActivities(
        services.journal.image.prosperity,
        evaluateAll(services.journal.image.prosperity, factsOf(services), now.getTime()),
        now.toISOString(),
      );
      await reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="entente-iati-activities.xml"')
        .send(xml);
      return ok(undefined);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/prosperity/ocds.json',
    summary: 'The package as an OCDS 1.1 release package (one release per commitment; tranches as financing milestones)',
    tag: 'prosperity',
    action: 'prosperity.read',
    response: null,
    raw: true,
    async handler({ services, reply, request }) {
      const now = services.now();
      const s = services.journal.image.prosperity;
      const uri = `${request.protocol}://${request.hostname}/api/v1/prosperity/ocds.json`;
      const body = ocdsReleasePackage(s, evaluateAll(s, factsOf(services), now.getTime()), now.toISOString(), uri);
      await reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="entente-ocds-release-package.json"')
        .send(body);
      return ok(undefined);
    },
  }),
];
