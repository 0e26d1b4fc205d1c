import { z } from 'zod';
import type { Principal } from '../../core/access/roles';
import { fail, ok, type Result } from '../../core/errors';
import { aggregatesFor, decidePublish } from '../../core/exchanges/aggregates';
import { parsePersonsCsv } from '../../core/exchanges/csv';
import { checkTranche, exchangeFormulas, resolveFormula, type FormulaOption } from '../../core/exchanges/formula';
import {
  AGE_BANDS,
  AttestationInput,
  CsvImportInput,
  Identity,
  ListInput,
  MEDICAL_PRIORITIES,
  PERSON_CATEGORIES,
  PERSON_STATES,
  StageInput,
  StatusInput,
  TRANCHE_STATES,
  TrancheInput,
  VerificationInput,
  type ListKind,
  type PersonInput,
} from '../../core/exchanges/model';
import { normaliseDate } from '../../core/exchanges/normalise';
import { discrepancyCounts, reconciliationFor } from '../../core/exchanges/reconcile';
import type { ExchangesState, PersonRecord, TrancheRecord } from '../../core/exchanges/state';
import {
  decideAttest,
  decideKeysDestroyed,
  decideConfirm,
  decideDeclare,
  decidePropose,
  decideReport,
  decideStage,
  decideVerify,
  tranchePersons,
} from '../../core/exchanges/tranche';
import { currentDocument, inForceAt } from '../../core/framework/versions';
import { ExchangeKeys, openIdentity, SealedIdentityError, sealDeclaration } from '../../runtime/exchanges/sealed';
import { defineRoute } from '../route';
import type { Services } from '../services';
import { appendAs, newId } from './identity';

/*
 * Prisoner exchanges over HTTP. Identities go in sealed (the route seals them before anything is
 * appended) and come out only to their holders; every other answer is pseudonymous, and counts that
 * leave the intermediary are suppressed below 5. Refusals never quote a submitted value.
 */

const Appended = z.object({ position: z.number().int(), hash: z.string() });
const Count = z.union([z.number().int(), z.literal('<5')]);
const IdParams = z.object({ id: z.string().min(1).max(100) }).strict();

const FormulaOut = z.object({
  id: z.string(),
  clause: z.string(),
  alternative: z.string().nullable(),
  sides: z.array(z.string()),
  intermediary: z.string(),
  basis: z.string(),
  ratio: z.array(z.number().int()).nullable(),
  trancheSize: z.number().int().nullable(),
  categoryRules: z.array(z.object({ category: z.string(), rule: z.string(), order: z.number().int() })),
});
const PersonOut = z.object({
  id: z.string(),
  side: z.string(),
  list: z.enum(['held', 'requested']),
  category: z.enum(PERSON_CATEGORIES),
  medicalPriority: z.enum(MEDICAL_PRIORITIES),
  ageBand: z.enum(AGE_BANDS),
  homeState: z.string(),
  report: z.enum(['dead', 'released']).nullable(),
  tranche: z.string().nullable(),
  exchanged: z.boolean(),
  refused: z.boolean(),
  declaredAt: z.string(),
});
const personOut = (p: PersonRecord): z.infer<typeof PersonOut> => ({
  id: p.id,
  side: p.side,
  list: p.list,
  category: p.category,
  medicalPriority: p.medicalPriority,
  ageBand: p.ageBand,
  homeState: p.homeState,
  report: p.report,
  tranche: p.tranche,
  exchanged: p.exchanged,
  refused: p.refused,
  declaredAt: p.declaredAt,
});
const CheckOut = z.object({
  passes: z.boolean(),
  problems: z.array(z.object({ rule: z.string(), message: z.string() })),
  counts: z.record(z.string(), z.object({ total: z.number().int(), byCategory: z.record(z.string(), z.number().int()) })),
});
const TrancheOut = z.object({
  id: z.string(),
  title: z.string(),
  formula: z.string(),
  alternative: z.string().nullable(),
  clause: z.string(),
  sides: z.array(z.string()),
  intermediary: z.string(),
  state: z.enum(TRANCHE_STATES),
  proposedAt: z.string(),
  completedAt: z.string().nullable(),
  published: z.boolean(),
  countsDiffer: z.boolean(),
  persons: z.array(
    z.object({
      id: z.string(),
      side: z.string(),
      state: z.enum(PERSON_STATES),
      category: z.string(),
      medicalPriority: z.string(),
      ageBand: z.string(),
    }),
  ),
  attestations: z.array(z.object({ party: z.string(), by: z.string(), at: z.string(), released: z.record(z.string(), z.number().int()) })),
  staged: z.record(z.string(), z.number().int()),
  check: CheckOut.nullable(),
});
const DiscrepancyOut = z.object({
  kind: z.string(),
  side: z.string(),
  persons: z.array(z.string()),
  tranche: z.string().nullable(),
  detail: z.string(),
});
const CountRecord = z.record(z.string(), Count);
const AggregatesOut = z.object({
  exact: z.boolean(),
  lists: z.array(z.object({ side: z.string(), held: Count, requested: Count, heldByCategory: CountRecord })),
  tranches: z.array(
    z.object({
      tranche: z.string(),
      title: z.string(),
      formula: z.string(),
      state: z.string(),
      proposedAt: z.string(),
      completedAt: z.string().nullable(),
      planned: CountRecord,
      released: CountRecord,
      refused: Count,
      byCategory: CountRecord,
    }),
  ),
  discrepancies: CountRecord,
});
const PublishedOut = z.object({
  published: z.array(
    z.object({
      tranche: z.string(),
      title: z.string(),
      formula: z.string(),
      publishedAt: z.string(),
      released: CountRecord,
      byCategory: CountRecord,
    }),
  ),
});

const state = (services: Services): ExchangesState => services.journal.image.exchanges;

/** The framework text whose formulas apply now: the version in force, else the current draft. */
function formulaOptions(services: Services): FormulaOption[] {
  const fw = services.journal.image.framework;
  const inForce = inForceAt(fw, services.now().toISOString());
  return exchangeFormulas(inForce?.document ?? currentDocument(fw));
}

/** The intermediary that receives a side's identities: the one its exchange formula names. */
function intermediaryFor(services: Services, side: string): Result<string> {
  const found = formulaOptions(services).find((o) => o.formula.sides.includes(side));
  return found
    ? ok(found.formula.intermediary)
    : fail('refused', `no exchange formula of the framework names ${side} as a side: there is no intermediary to seal identities for`);
}

function visiblePersons(services: Services, reader: Principal): PersonRecord[] {
  const out: PersonRecord[] = [];
  const isIntermediary = reader.roles.includes('intermediary');
  for (const p of state(services).persons.values()) {
    if (isIntermediary ? p.intermediary === reader.party : reader.roles.includes('bureau') && p.side === reader.party) out.push(p);
  }
  return out;
}

/** Dates of birth must be readable, or the person could never be matched. */
function unreadableDate(persons: readonly PersonInput[]): Result<true> {
  for (const [i, p] of persons.entries()) {
    if (p.identity.dateOfBirth !== undefined && normaliseDate(p.identity.dateOfBirth) === null) {
      return fail(
        'validation_failed',
        `/persons/${i}/identity/dateOfBirth: not a date we can read (write 1994-03-12, 12.03.1994 or 12 March 1994)`,
        `/persons/${i}/identity/dateOfBirth`,
      );
    }
  }
  return ok(true);
}

async function declare(
  services: Services,
  reader: Principal,
  list: ListKind,
  persons: readonly PersonInput[],
  idempotencyKey: string | null,
) {
  const side = reader.party;
  if (!side) return fail('forbidden', 'an information bureau acts for its party; this account has none');
  const intermediary = intermediaryFor(services, side);
  if (!intermediary.ok) return intermediary;
  const sealed = await sealDeclaration(new ExchangeKeys(services.store), side, list, intermediary.value, persons);
  const appended = await appendAs(services, reader, decideDeclare(side, list, intermediary.value, sealed), idempotencyKey);
  if (!appended.ok) return appended;
  return ok({ ...appended.value, persons: sealed.map((p) => p.id) });
}

function trancheOut(services: Services, t: TrancheRecord): z.infer<typeof TrancheOut> {
  const s = state(services);
  const staged: Record<string, number> = Object.fromEntries(t.sides.map((x) => [x, 0]));
  const persons = Object.entries(t.persons).map(([id, entry]) => {
    const p = s.persons.get(id);
    if (entry.state === 'staged' || entry.state === 'handed-over' || entry.state === 'confirmed')
      staged[entry.side] = (staged[entry.side] ?? 0) + 1;
    return {
      id,
      side: entry.side,
      state: entry.state,
      category: p?.category ?? 'prisoner-of-war',
      medicalPriority: p?.medicalPriority ?? 'none',
      ageBand: p?.ageBand ?? 'unknown',
    };
  });
  // The formula check of who is still travelling: a refusal can unbalance a tranche, and the builder shows it.
  const option = formulaOptions(services).find((o) => o.formula.id === t.formula && o.alternative === t.alternative);
  let check = null;
  if (option && t.state !== 'completed') {
    const chosen: Record<string, PersonRecord[]> = Object.fromEntries(t.sides.map((x) => [x, []]));
    for (const [id, entry] of Object.entries(t.persons)) {
      if (entry.state === 'refused' || entry.state === 'unconfirmed') continue;
      const p = s.persons.get(id);
      if (p) chosen[entry.side]!.push(p);
    }
    check = checkTranche(option.formula, s.persons.values(), chosen, t.id);
  }
  return {
    id: t.id,
    title: t.title,
    formula: t.formula,
    alternative: t.alternative,
    clause: t.clause,
    sides: [...t.sides],
    intermediary: t.intermediary,
    state: t.state,
    proposedAt: t.proposedAt,
    completedAt: t.completedAt,
    published: t.published,
    countsDiffer: t.countsDiffer,
    persons,
    attestations: Object.values(t.attestations).map((a) => ({ party: a.party, by: a.by, at: a.at, released: a.released })),
    staged,
    check,
  };
}

function visibleTranches(services: Services, reader: Principal): TrancheRecord[] {
  return [...state(services).tranches.values()].filter((t) =>
    reader.roles.includes('intermediary') ? t.intermediary === reader.party : t.sides.includes(reader.party ?? ''),
  );
}

function trancheStep<B>(
  url: string,
  summary: string,
  action: 'exchange.tranche' | 'exchange.attest' | 'exchange.publish',
  body: z.ZodType<B> | undefined,
  decide: (s: ExchangesState, reader: Principal, id: string, body: B) => ReturnType<typeof decideConfirm>,
) {
  return defineRoute({
    method: 'POST',
    url: `/api/v1/exchanges/tranches/:id/${url}`,
    summary,
    tag: 'exchanges',
    action,
    params: IdParams,
    ...(body ? { body } : {}),
    status: 201,
    response: Appended,
    async handler({ params, body: input, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decide(state(services), reader!, params.id, input as B), idempotencyKey);
    },
  });
}

export const exchangesRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/formulas',
    summary: 'The exchange formulas of the framework in force (else the current text), one per clause or alternative',
    tag: 'exchanges',
    action: 'exchange.formulas',
    response: z.object({ formulas: z.array(FormulaOut) }),
    async handler({ services }) {
      return ok({
        formulas: formulaOptions(services).map((o) => ({
          id: o.formula.id,
          clause: o.clause,
          alternative: o.alternative,
          sides: o.formula.sides,
          intermediary: o.formula.intermediary,
          basis: o.formula.basis,
          ratio: o.formula.ratio ?? null,
          trancheSize: o.formula.trancheSize ?? null,
          categoryRules: o.formula.categoryRules,
        })),
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exchanges/persons',
    summary: "Declare persons on the bureau's held or requested list; identities are sealed before anything is stored",
    tag: 'exchanges',
    action: 'exchange.declare',
    body: ListInput,
    status: 201,
    response: Appended.extend({ persons: z.array(z.string()) }),
    async handler({ body, reader, services, idempotencyKey }) {
      const dates = unreadableDate(body.persons);
      if (!dates.ok) return dates;
      return declare(services, reader!, body.list, body.persons, idempotencyKey);
    },
    replay: (events) => {
      const last = events[events.length - 1]!;
      return ok({ position: last.position, hash: last.hash, persons: (last.payload.persons as { id: string }[]).map((p) => p.id) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exchanges/imports',
    summary: "Import the bureau's list from CSV: every problem with its line and column, and nothing stored unless every row is good",
    tag: 'exchanges',
    action: 'exchange.declare',
    body: CsvImportInput,
    bodyLimit: 25 * 1024 * 1024,
    status: 201,
    response: Appended.extend({ persons: z.array(z.string()) }),
    async handler({ body, reader, services, idempotencyKey }) {
      const parsed = parsePersonsCsv(body.csv);
      if (!parsed.ok) {
        const first = parsed.problems[0]!;
        const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : '';
        return fail(
          'validation_failed',
          `line ${first.line}, column ${first.column}${first.field ? ` (${first.field})` : ''}: ${first.message}${more}`,
          '/csv',
          { problems: parsed.problems },
        );
      }
      return declare(services, reader!, body.list, parsed.persons, idempotencyKey);
    },
    replay: (events) => {
      const last = events[events.length - 1]!;
      return ok({ position: last.position, hash: last.hash, persons: (last.payload.persons as { id: string }[]).map((p) => p.id) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/persons',
    summary: "Pseudonymous records the reader holds: a bureau its own side's lists, the intermediary both sides'",
    tag: 'exchanges',
    action: 'exchange.lists',
    query: z.object({ side: z.string().max(63).optional(), list: z.enum(['held', 'requested']).optional() }).strict(),
    response: z.object({ persons: z.array(PersonOut) }),
    async handler({ query, reader, services }) {
      const persons = visiblePersons(services, reader!).filter(
        (p) => (query.side === undefined || p.side === query.side) && (query.list === undefined || p.list === query.list),
      );
      return ok({ persons: persons.map(personOut) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/persons/:id/identity',
    summary: 'Open a sealed identity: only for the owning bureau and the intermediary',
    tag: 'exchanges',
    action: 'exchange.identity',
    params: IdParams,
    response: z.object({ id: z.string(), identity: Identity }),
    async handler({ params, reader, services }) {
      const person = visiblePersons(services, reader!).find((p) => p.id === params.id);
      // Another side's record answers exactly like a record that does not exist.
      if (!person) return fail('not_found', `no person ${params.id} on your lists`, '/params/id');
      const keys = new ExchangeKeys(services.store);
      try {
        return ok({
          id: person.id,
          identity: openIdentity(person.sealed, person.id, reader!.party!, await keys.existingKek(reader!.party!)),
        });
      } catch (error) {
        if (error instanceof SealedIdentityError) return fail('refused', error.message, '/params/id');
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exchanges/persons/:id/status',
    summary: 'Report a person dead or released (a typed discrepancy for the intermediary)',
    tag: 'exchanges',
    action: 'exchange.report',
    params: IdParams,
    body: StatusInput,
    status: 201,
    response: Appended,
    async handler({ params, body, reader, services, idempotencyKey }) {
      return appendAs(services, reader, decideReport(state(services), reader!, params.id, body.status), idempotencyKey);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/reconciliation',
    summary:
      "Requested against held by keyed hashes, and the typed discrepancies: the intermediary's in full, a bureau's about its own records",
    tag: 'exchanges',
    action: 'exchange.reconcile',
    response: z.object({
      sides: z.array(z.string()),
      matches: z.array(z.object({ requested: z.string(), held: z.string(), basis: z.string(), requestedBy: z.string() })),
      discrepancies: z.array(DiscrepancyOut),
    }),
    async handler({ reader, services }) {
      return ok(reconciliationFor(state(services), reader!));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exchanges/tranches/check',
    summary: 'Check a tranche against its formula without proposing it (the tranche builder)',
    tag: 'exchanges',
    action: 'exchange.tranche',
    body: TrancheInput,
    response: CheckOut,
    async handler({ body, services }) {
      const option = resolveFormula(formulaOptions(services), body.formula, body.alternative);
      if (!option.ok) return option;
      const chosen = tranchePersons(state(services), option.value, body);
      if (!chosen.ok) return chosen;
      return ok(checkTranche(option.value.formula, state(services).persons.values(), chosen.value));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exchanges/tranches',
    summary: 'Propose a tranche; refused with what is missing when it does not meet the formula',
    tag: 'exchanges',
    action: 'exchange.tranche',
    body: TrancheInput,
    status: 201,
    response: Appended.extend({ id: z.string() }),
    async handler({ body, reader, services, idempotencyKey }) {
      const option = resolveFormula(formulaOptions(services), body.formula, body.alternative);
      if (!option.ok) return option;
      const id = newId(reader, idempotencyKey);
      const appended = await appendAs(services, reader, decidePropose(state(services), reader!, option.value, body, id), idempotencyKey);
      return appended.ok ? ok({ ...appended.value, id }) : appended;
    },
    replay: (events) => {
      const last = events[events.length - 1]!;
      return ok({ position: last.position, hash: last.hash, id: String(last.payload.id) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/tranches',
    summary: 'Tranches the reader takes part in, with each person’s state, the attestations and the formula check',
    tag: 'exchanges',
    action: 'exchange.tranches',
    response: z.object({ tranches: z.array(TrancheOut) }),
    async handler({ reader, services }) {
      return ok({ tranches: visibleTranches(services, reader!).map((t) => trancheOut(services, t)) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/tranches/:id',
    summary: 'One tranche',
    tag: 'exchanges',
    action: 'exchange.tranches',
    params: IdParams,
    response: TrancheOut,
    async handler({ params, reader, services }) {
      const t = visibleTranches(services, reader!).find((x) => x.id === params.id);
      return t ? ok(trancheOut(services, t)) : fail('not_found', `no tranche ${params.id}`, '/params/id');
    },
  }),
  trancheStep(
    'verifications',
    "The intermediary's verification of one person: identity confirmed, and the private interview's outcome only",
    'exchange.tranche',
    VerificationInput,
    decideVerify,
  ),
  trancheStep(
    'stage',
    'Stage verified persons for handover (all verified ones when no list is given)',
    'exchange.tranche',
    StageInput,
    (s, r, id, b: z.infer<typeof StageInput>) => decideStage(s, r, id, b.persons),
  ),
  trancheStep(
    'attestations',
    'Attest the counts handed over by each side (the intermediary and both bureaus)',
    'exchange.attest',
    AttestationInput,
    decideAttest,
  ),
  trancheStep('confirm', 'Confirm a handed-over tranche: it is completed', 'exchange.tranche', undefined, (s, r, id) =>
    decideConfirm(s, r, id),
  ),
  trancheStep(
    'publish',
    'Publish the counts of a completed tranche ("<5" below five) for the public',
    'exchange.publish',
    undefined,
    (s, r, id) => decidePublish(s, r, id),
  ),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/aggregates',
    summary:
      'Counts by side, category and tranche, and discrepancies by kind: exact for the intermediary, "<5" below five for everyone else',
    tag: 'exchanges',
    action: 'exchange.aggregates',
    response: AggregatesOut,
    async handler({ reader, services }) {
      const a = aggregatesFor(state(services), reader!);
      return ok({ ...a, discrepancies: discrepancyCounts(state(services), a.exact) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/exchanges/published',
    summary: 'Published tranche counts (public)',
    tag: 'exchanges',
    action: 'exchange.published',
    response: PublishedOut,
    async handler({ services }) {
      return ok({ published: state(services).published });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/exchanges/keys/:party/destroy',
    summary: "Retention: destroy a party's key-encryption key; identities sealed for it can never be read again",
    tag: 'exchanges',
    action: 'exchange.retire-keys',
    params: z.object({ party: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }).strict(),
    status: 201,
    response: Appended.extend({ destroyed: z.boolean() }),
    async handler({ params, reader, services, idempotencyKey }) {
      const destroyed = await new ExchangeKeys(services.store).destroy(params.party);
      // The destruction itself is on the record (who, when, whose key), never the key.
      const appended = await appendAs(services, reader, decideKeysDestroyed(params.party, destroyed), idempotencyKey);
      return appended.ok ? ok({ ...appended.value, destroyed }) : appended;
    },
  }),
];
