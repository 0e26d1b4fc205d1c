import { POLICY } from '../access/policy';
import type { Principal } from '../access/roles';
import { fail, ok, type Result } from '../errors';
import type { EventDraft } from '../journal/envelope';
import { checkConditions, explainEvaluation, type ConditionContext, type TrancheEvaluation } from './conditions';
import {
  PROSPERITY_VISIBILITY,
  pledgeStream,
  type ActorInput,
  type AttestationInput,
  type CommitmentInput,
  type DisbursementInput,
  type ExpenditureInput,
  type PledgeInput,
  type ProjectInput,
  type RateInput,
  type ReleaseInput,
  type TrancheInput,
} from './model';
import { checkCurrency, formatAmount, formatRate, parseAmount, parseRate, type CurrencyCode } from './money';
import type { ProsperityState, Tranche } from './state';

/**
 * The prosperity package's commands, decided into events. Money commands state the version of the
 * pledge's stream they decided on (`expected`), so a sum checked here still holds when appended.
 * Refusals name the field and the figures: "what and where".
 */

export interface Decision {
  readonly drafts: EventDraft[];
  readonly expected: Record<string, number | 'new'>;
}

const decision = (stream: string, type: string, payload: Record<string, unknown>, expected: number | 'new'): Result<Decision> =>
  ok({ drafts: [{ stream, type, payload, visibility: PROSPERITY_VISIBILITY }], expected: { [stream]: expected } });

export function sumOf(amounts: readonly string[], currency: CurrencyCode): bigint {
  let total = 0n;
  for (const a of amounts) {
    const p = parseAmount(a, currency, '');
    if (p.ok) total += p.value;
  }
  return total;
}

function positiveAmount(text: string, currency: CurrencyCode, pointer = '/amount'): Result<bigint> {
  const parsed = parseAmount(text, currency, pointer);
  if (!parsed.ok) return parsed;
  if (parsed.value === 0n) return fail('validation_failed', `${pointer}: an amount must be greater than zero`, pointer);
  return parsed;
}

const money = (minor: bigint, currency: CurrencyCode) => `${formatAmount(minor, currency)} ${currency}`;

export function decideActor(state: ProsperityState, input: ActorInput): Result<Decision> {
  if (state.actors.has(input.id)) return fail('conflict', `there is already an actor ${input.id}`, '/id');
  return decision(`prosperity-actor/${input.id}`, 'prosperity.actor-registered', { ...input }, 'new');
}

export function decideProject(state: ProsperityState, input: ProjectInput): Result<Decision> {
  if (state.projects.has(input.id)) return fail('conflict', `there is already a project ${input.id}`, '/id');
  if (!state.actors.has(input.recipient))
    return fail('validation_failed', `/recipient: there is no actor ${input.recipient}; register the recipient first`, '/recipient');
  return decision(`project/${input.id}`, 'prosperity.project-registered', { ...input }, 'new');
}

export function decideRate(input: RateInput, version: number): Result<Decision> {
  const base = checkCurrency(input.base, '/base');
  if (!base.ok) return base;
  const quote = checkCurrency(input.quote, '/quote');
  if (!quote.ok) return quote;
  if (base.value === quote.value) return fail('validation_failed', '/quote: a rate converts between two different currencies', '/quote');
  const rate = parseRate(input.rate, '/rate');
  if (!rate.ok) return rate;
  const payload = { base: base.value, quote: quote.value, rate: formatRate(rate.value), on: input.on, source: input.source };
  return decision(`rate/${base.value}-${quote.value}`, 'prosperity.rate-recorded', payload, version);
}

export function decidePledge(state: ProsperityState, id: string, input: PledgeInput): Result<Decision> {
  if (state.pledges.has(id)) return fail('conflict', `there is already a pledge ${id}`, '/id');
  const donor = state.actors.get(input.donor);
  if (!donor) return fail('validation_failed', `/donor: there is no actor ${input.donor}; register the donor or investor first`, '/donor');
  if (donor.kind === 'recipient')
    return fail('validation_failed', `/donor: ${donor.name} is registered as a recipient, not a donor, investor or insurer`, '/donor');
  const currency = checkCurrency(input.currency, '/currency');
  if (!currency.ok) return currency;
  const amount = positiveAmount(input.amount, currency.value);
  if (!amount.ok) return amount;
  const payload = { ...input, id, currency: currency.value, amount: formatAmount(amount.value, currency.value) };
  return decision(pledgeStream(id), 'pledge.made', payload, 'new');
}

export function decideCommitment(state: ProsperityState, id: string, input: CommitmentInput, version: number): Result<Decision> {
  if (state.commitments.has(id)) return fail('conflict', `there is already a commitment ${id}`, '/id');
  const pledge = state.pledges.get(input.pledge);
  if (!pledge) return fail('validation_failed', `/pledge: there is no pledge ${input.pledge}`, '/pledge');
  if (!state.projects.has(input.project)) return fail('validation_failed', `/project: there is no project ${input.project}`, '/project');
  const amount = positiveAmount(input.amount, pledge.currency);
  if (!amount.ok) return amount;
  const pledged = sumOf([pledge.amount], pledge.currency);
  const committed = sumOf(
    pledge.commitments.map((c) => state.commitments.get(c)!.amount),
    pledge.currency,
  );
  if (committed + amount.value > pledged) {
    return fail(
      'refused',
      `/amount: ${money(amount.value, pledge.currency)} is more than the ${money(pledged - committed, pledge.currency)} of pledge ${pledge.id} not yet committed (pledged ${money(pledged, pledge.currency)}, committed ${money(committed, pledge.currency)})`,
      '/amount',
    );
  }
  const payload = { ...input, id, amount: formatAmount(amount.value, pledge.currency), currency: pledge.currency };
  return decision(pledgeStream(pledge.id), 'commitment.made', payload, version);
}

export function decideTranche(
  state: ProsperityState,
  id: string,
  input: TrancheInput,
  version: number,
  ctx: ConditionContext & { readonly users: ReadonlyMap<string, readonly string[]> },
): Result<Decision> {
  if (state.tranches.has(id)) return fail('conflict', `there is already a tranche ${id}`, '/id');
  const commitment = state.commitments.get(input.commitment);
  if (!commitment) return fail('validation_failed', `/commitment: there is no commitment ${input.commitment}`, '/commitment');
  const pledge = state.pledges.get(commitment.pledge)!;
  const approverRoles = ctx.users.get(input.approver);
  if (!approverRoles) return fail('validation_failed', `/approver: there is no user ${input.approver} to approve the release`, '/approver');
  const releasers: readonly string[] = POLICY['prosperity.release'].roles;
  if (!approverRoles.some((r) => releasers.includes(r))) {
    return fail(
      'validation_failed',
      `/approver: ${input.approver} cannot release tranches (it needs the role ${releasers.join(' or ')})`,
      '/approver',
    );
  }
  const amount = positiveAmount(input.amount, pledge.currency);
  if (!amount.ok) return amount;
  const committed = sumOf([commitment.amount], pledge.currency);
  const planned = sumOf(
    commitment.tranches.map((t) => state.tranches.get(t)!.amount),
    pledge.currency,
  );
  if (planned + amount.value > committed) {
    return fail(
      'refused',
      `/amount: ${money(amount.value, pledge.currency)} is more than the ${money(committed - planned, pledge.currency)} of commitment ${commitment.id} not yet in tranches (committed ${money(committed, pledge.currency)})`,
      '/amount',
    );
  }
  const checked = checkConditions(input.conditions, ctx);
  if (!checked.ok) return checked;
  const payload = { ...input, id, pledge: pledge.id, amount: formatAmount(amount.value, pledge.currency), currency: pledge.currency };
  return decision(pledgeStream(pledge.id), 'tranche.planned', payload, version);
}

/** What a release or a status change keeps of an evaluation: the conditions, their state and evidence. */
export function evaluationRecord(e: TrancheEvaluation) {
  return {
    releasable: e.releasable,
    since: e.since,
    unlocksAt: e.unlocksAt,
    conditions: e.conditions.map((c) => ({
      label: c.label,
      holds: c.holds,
      since: c.since,
      unlocksAt: c.unlocksAt,
      milestones: c.milestones.map((m) => ({ label: m.label, holds: m.holds, since: m.since, evidence: m.evidence })),
    })),
  };
}

export function findTranche(state: ProsperityState, id: string): Result<Tranche> {
  const t = state.tranches.get(id);
  return t ? ok(t) : fail('not_found', `there is no tranche ${id}`, '/params/id');
}

export function decideRelease(
  state: ProsperityState,
  trancheId: string,
  reader: Principal,
  input: ReleaseInput,
  evaluation: TrancheEvaluation,
  version: number,
): Result<Decision> {
  const found = findTranche(state, trancheId);
  if (!found.ok) return found;
  const t = found.value;
  if (t.release)
    return fail('invalid_transition', `tranche ${t.id} was already released by ${t.release.by} on ${t.release.at}`, '/params/id');
  if (reader.username !== t.approver)
    return fail('forbidden', `only ${t.approver}, the tranche's named approver, can release tranche ${t.id}`);
  if (!evaluation.releasable) {
    return fail('refused', `tranche ${t.id} cannot be released yet: ${explainEvaluation(evaluation)}`, '/params/id', {
      unlocksAt: evaluation.unlocksAt,
    });
  }
  const payload = { tranche: t.id, pledge: t.pledge, note: input.note, evaluation: evaluationRecord(evaluation) };
  return decision(pledgeStream(t.pledge), 'tranche.released', payload, version);
}

export function decideDisbursement(
  state: ProsperityState,
  trancheId: string,
  id: string,
  input: DisbursementInput,
  version: number,
): Result<Decision> {
  const found = findTranche(state, trancheId);
  if (!found.ok) return found;
  const t = found.value;
  if (!t.release) return fail('refused', `tranche ${t.id} is not released: nothing can be disbursed from it yet`, '/params/id');
  const amount = positiveAmount(input.amount, t.currency);
  if (!amount.ok) return amount;
  const released = sumOf([t.amount], t.currency);
  const disbursed = sumOf(
    t.disbursements.map((d) => d.amount),
    t.currency,
  );
  if (disbursed + amount.value > released) {
    return fail(
      'refused',
      `/amount: ${money(amount.value, t.currency)} is above what commitment ${t.commitment} has left in tranche ${t.id}: ${money(released - disbursed, t.currency)} (tranche ${money(released, t.currency)}, disbursed ${money(disbursed, t.currency)})`,
      '/amount',
    );
  }
  // The tranches of a commitment never exceed it (checked when planned), so neither can its disbursements.
  const payload = {
    id,
    tranche: t.id,
    pledge: t.pledge,
    commitment: t.commitment,
    amount: formatAmount(amount.value, t.currency),
    currency: t.currency,
    on: input.on,
    note: input.note,
  };
  return decision(pledgeStream(t.pledge), 'disbursement.made', payload, version);
}

export function decideExpenditure(
  state: ProsperityState,
  trancheId: string,
  id: string,
  input: ExpenditureInput,
  version: number,
): Result<Decision> {
  const found = findTranche(state, trancheId);
  if (!found.ok) return found;
  const t = found.value;
  const amount = positiveAmount(input.amount, t.currency);
  if (!amount.ok) return amount;
  const disbursed = sumOf(
    t.disbursements.map((d) => d.amount),
    t.currency,
  );
  const spent = sumOf(
    t.expenditures.map((d) => d.amount),
    t.currency,
  );
  if (spent + amount.value > disbursed) {
    return fail(
      'refused',
      `/amount: ${money(amount.value, t.currency)} is more than the ${money(disbursed - spent, t.currency)} disbursed from tranche ${t.id} and not yet spent`,
      '/amount',
    );
  }
  const payload = {
    id,
    tranche: t.id,
    pledge: t.pledge,
    amount: formatAmount(amount.value, t.currency),
    currency: t.currency,
    on: input.on,
    description: input.description,
  };
  return decision(pledgeStream(t.pledge), 'expenditure.recorded', payload, version);
}

export function decideAttestation(reader: Principal, input: AttestationInput, version: number): Result<Decision> {
  if (!reader.party) return fail('refused', 'a milestone is attested for a party; this account acts for none');
  return decision(`attestation/${reader.party}`, 'milestone.attested', { party: reader.party, what: input.what }, version);
}
