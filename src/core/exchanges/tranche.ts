import type { Principal } from '../access/roles';
import { fail, ok, type Result } from '../errors';
import type { EventDraft } from '../journal/envelope';
import { checkTranche, eligible, type FormulaCheck, type FormulaOption } from './formula';
import {
  exchangeStream,
  type AttestationInput,
  type DeclaredPerson,
  type ListKind,
  type PersonReport,
  type PersonState,
  type TrancheInput,
  type VerificationInput,
} from './model';
import { stagedCounts, type ExchangesState, type PersonRecord, type TrancheRecord } from './state';

/**
 * Commands of the exchanges module, decided into event drafts. Who may call them is the policy's
 * business; what a caller may touch (its own side's records, its own attestation) is decided here.
 */

const sideVisibility = (side: string) => [`party:${side}`, 'intermediary'];
const trancheVisibility = (t: Pick<TrancheRecord, 'sides'>) => ['intermediary', ...t.sides.map((s) => `party:${s}`)];

/** A bureau declares persons of its own side; the identities arrive already sealed, the names hashed. */
export function decideDeclare(
  side: string,
  list: ListKind,
  intermediary: string,
  persons: readonly DeclaredPerson[],
): Result<EventDraft[]> {
  if (persons.length === 0) return fail('validation_failed', 'declare at least one person', '/persons');
  return ok([
    {
      stream: exchangeStream.list(side, list),
      type: 'exchange.persons-declared',
      payload: { side, list, intermediary, persons: persons as unknown as Record<string, unknown>[] },
      visibility: sideVisibility(side),
    },
  ]);
}

/** A bureau reports one of its records dead or released; the intermediary may report any. */
export function decideReport(state: ExchangesState, reader: Principal, personId: string, status: PersonReport): Result<EventDraft[]> {
  const person = state.persons.get(personId);
  if (!person || !mayTouch(reader, person)) return fail('not_found', `no person ${personId} on your lists`, '/params/id');
  if (person.report === status) return fail('conflict', `person ${personId} is already reported ${status}`);
  if (person.exchanged) return fail('invalid_transition', `person ${personId} was exchanged; nothing more to report`);
  return ok([
    {
      stream: exchangeStream.list(person.side, person.list),
      type: 'exchange.person-reported',
      payload: { person: personId, status },
      visibility: sideVisibility(person.side),
    },
  ]);
}

function mayTouch(reader: Principal, person: PersonRecord): boolean {
  if (reader.roles.includes('intermediary')) return reader.party === person.intermediary;
  return reader.roles.includes('bureau') && reader.party === person.side;
}

/** Resolves the proposal's person ids against the lists: every failure points at the offending id. */
export function tranchePersons(
  state: ExchangesState,
  option: FormulaOption,
  input: TrancheInput,
  tranche: string | null = null,
): Result<Record<string, PersonRecord[]>> {
  const sides = option.formula.sides;
  const chosen: Record<string, PersonRecord[]> = Object.fromEntries(sides.map((s) => [s, []]));
  const seen = new Set<string>();
  for (const [side, ids] of Object.entries(input.persons)) {
    if (!sides.includes(side))
      return fail(
        'validation_failed',
        `${side} is not a side of formula ${option.formula.id} (sides: ${sides.join(', ')})`,
        `/persons/${side}`,
      );
    for (const [i, id] of ids.entries()) {
      const where = `/persons/${side}/${i}`;
      const p = state.persons.get(id);
      if (!p || p.list !== 'held' || p.side !== side)
        return fail('validation_failed', `${id} is not on the list of persons held by ${side}`, where);
      if (seen.has(id)) return fail('validation_failed', `${id} is listed twice`, where);
      seen.add(id);
      if (!eligible(p, tranche)) {
        const why = p.report
          ? `reported ${p.report}`
          : p.exchanged
            ? 'already exchanged'
            : p.refused
              ? 'refused repatriation'
              : `already in tranche ${p.tranche}`;
        return fail('validation_failed', `${id} cannot be released: ${why}`, where);
      }
      chosen[side]!.push(p);
    }
  }
  return ok(chosen);
}

export function checkProposal(state: ExchangesState, option: FormulaOption, input: TrancheInput): Result<FormulaCheck> {
  const chosen = tranchePersons(state, option, input);
  if (!chosen.ok) return chosen;
  return ok(checkTranche(option.formula, state.persons.values(), chosen.value));
}

export function decidePropose(
  state: ExchangesState,
  reader: Principal,
  option: FormulaOption,
  input: TrancheInput,
  id: string,
): Result<EventDraft[]> {
  if (reader.party !== option.formula.intermediary)
    return fail(
      'forbidden',
      `formula ${option.formula.id} names ${option.formula.intermediary} as intermediary, not ${reader.party ?? 'you'}`,
    );
  if (state.tranches.has(id)) return fail('conflict', `tranche ${id} exists`);
  const chosen = tranchePersons(state, option, input);
  if (!chosen.ok) return chosen;
  const check = checkTranche(option.formula, state.persons.values(), chosen.value);
  if (!check.passes) {
    return fail(
      'refused',
      `the tranche does not meet formula ${option.formula.id}: ${check.problems.map((p) => p.message).join('; ')}`,
      '/persons',
      { problems: check.problems },
    );
  }
  const sides = option.formula.sides as unknown as [string, string];
  return ok([
    {
      stream: exchangeStream.tranche(id),
      type: 'exchange.tranche-proposed',
      payload: {
        id,
        title: input.title,
        formula: option.formula.id,
        alternative: option.alternative,
        clause: option.clause,
        sides,
        intermediary: option.formula.intermediary,
        persons: Object.fromEntries(sides.map((s) => [s, chosen.value[s]!.map((p) => p.id)])),
      },
      visibility: trancheVisibility({ sides }),
    },
  ]);
}

function trancheFor(state: ExchangesState, reader: Principal, id: string): Result<TrancheRecord> {
  const t = state.tranches.get(id);
  if (!t || !(t.intermediary === reader.party || t.sides.includes(reader.party ?? '')))
    return fail('not_found', `no tranche ${id}`, '/params/id');
  return ok(t);
}

function asIntermediary(state: ExchangesState, reader: Principal, id: string): Result<TrancheRecord> {
  const t = trancheFor(state, reader, id);
  if (!t.ok) return t;
  if (!reader.roles.includes('intermediary') || reader.party !== t.value.intermediary)
    return fail('forbidden', `only the intermediary (${t.value.intermediary}) runs tranche ${id}`);
  if (t.value.state === 'completed') return fail('invalid_transition', `tranche ${id} is completed`);
  return t;
}

/** The allowed moves of a person within a tranche. */
const PERSON_MOVES: Record<PersonState, readonly PersonState[]> = {
  listed: ['verified', 'refused', 'unconfirmed'],
  verified: ['staged', 'refused'],
  staged: ['handed-over'],
  'handed-over': ['confirmed'],
  confirmed: [],
  refused: [],
  unconfirmed: [],
};

export function decideVerify(state: ExchangesState, reader: Principal, id: string, input: VerificationInput): Result<EventDraft[]> {
  const t = asIntermediary(state, reader, id);
  if (!t.ok) return t;
  const entry = t.value.persons[input.person];
  if (!entry) return fail('validation_failed', `${input.person} is not in tranche ${id}`, '/person');
  const to: PersonState = input.interview === 'refuses' ? 'refused' : input.identityConfirmed ? 'verified' : 'unconfirmed';
  if (!PERSON_MOVES[entry.state].includes(to))
    return fail('invalid_transition', `${input.person} is ${entry.state}; it cannot become ${to}`, '/person');
  return ok([
    {
      stream: exchangeStream.tranche(id),
      type: 'exchange.person-verified',
      payload: { tranche: id, ...input },
      visibility: trancheVisibility(t.value),
    },
  ]);
}

export function decideStage(
  state: ExchangesState,
  reader: Principal,
  id: string,
  persons: readonly string[] | undefined,
): Result<EventDraft[]> {
  const t = asIntermediary(state, reader, id);
  if (!t.ok) return t;
  const verified = Object.entries(t.value.persons)
    .filter(([, p]) => p.state === 'verified')
    .map(([pid]) => pid);
  const chosen = persons ?? verified;
  for (const [i, pid] of chosen.entries()) {
    const entry = t.value.persons[pid];
    if (!entry) return fail('validation_failed', `${pid} is not in tranche ${id}`, `/persons/${i}`);
    if (entry.state !== 'verified')
      return fail('invalid_transition', `${pid} is ${entry.state}; only verified persons are staged`, `/persons/${i}`);
  }
  if (chosen.length === 0) return fail('invalid_transition', `nobody in tranche ${id} is verified and waiting to be staged`);
  return ok([
    {
      stream: exchangeStream.tranche(id),
      type: 'exchange.persons-staged',
      payload: { tranche: id, persons: chosen },
      visibility: trancheVisibility(t.value),
    },
  ]);
}

/** The intermediary and each side attest the counts they saw handed over; one attestation each (the latest counts). */
export function decideAttest(state: ExchangesState, reader: Principal, id: string, input: AttestationInput): Result<EventDraft[]> {
  const t = trancheFor(state, reader, id);
  if (!t.ok) return t;
  const tranche = t.value;
  const party = reader.party!;
  const role = party === tranche.intermediary ? 'intermediary' : 'bureau';
  if (!reader.roles.includes(role))
    return fail('forbidden', `handover counts are attested by the intermediary and the sides' information bureaus`);
  if (tranche.state === 'completed') return fail('invalid_transition', `tranche ${id} is completed`);
  const staged = stagedCounts(tranche);
  if (Object.values(staged).every((n) => n === 0)) return fail('invalid_transition', `nobody in tranche ${id} is staged for handover yet`);
  for (const side of tranche.sides)
    if (input.released[side] === undefined) return fail('validation_failed', `give the count released by ${side}`, `/released/${side}`);
  for (const side of Object.keys(input.released))
    if (!tranche.sides.includes(side)) return fail('validation_failed', `${side} is not a side of tranche ${id}`, `/released/${side}`);
  return ok([
    {
      stream: exchangeStream.tranche(id),
      type: 'exchange.handover-attested',
      payload: { tranche: id, party, released: input.released },
      visibility: trancheVisibility(tranche),
    },
  ]);
}

export function decideConfirm(state: ExchangesState, reader: Principal, id: string): Result<EventDraft[]> {
  const t = asIntermediary(state, reader, id);
  if (!t.ok) return t;
  if (t.value.state !== 'handed-over') {
    const missing = [t.value.intermediary, ...t.value.sides].filter((p) => !t.value.attestations[p]);
    const why = t.value.countsDiffer
      ? 'the attested counts differ'
      : missing.length
        ? `waiting for the attestation of ${missing.join(', ')}`
        : 'nothing has been handed over';
    return fail('invalid_transition', `tranche ${id} cannot be confirmed: ${why}`);
  }
  return ok([
    {
      stream: exchangeStream.tranche(id),
      type: 'exchange.tranche-confirmed',
      payload: { tranche: id },
      visibility: trancheVisibility(t.value),
    },
  ]);
}

/** Retention: the record that a party's key-encryption key was destroyed (who and when; never the key). */
export function decideKeysDestroyed(party: string, existed: boolean): Result<EventDraft[]> {
  return ok([{ stream: `exchange-keys/${party}`, type: 'exchange.keys-destroyed', payload: { party, existed }, visibility: ['process'] }]);
}
