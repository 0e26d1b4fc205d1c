import { z } from 'zod';
import { fail, ok, type Failure, type Result } from '../errors';
import type { EventDraft, ExpectedVersion } from '../journal/envelope';
import { Attribution, type CaseStatus, CaseStatus as CaseStatusSchema, caseStream } from './model';
import { type CaseRecord, type OperationsState } from './state';

/**
 * Verification: the case's life as an explicit transition table, the reviewer lock, findings with
 * attribution, and dissent. Every command states the case version it was decided on; a case that
 * changed meanwhile is a conflict, never a silent overwrite.
 */

/** From each status, where a case may go. A closed case is reopened by investigating it again. */
export const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  reported: ['under-investigation'],
  'under-investigation': ['verified', 'not-verified', 'unfounded'],
  verified: ['under-investigation'],
  'not-verified': ['under-investigation'],
  unfounded: ['under-investigation'],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const DEFAULT_LOCK_MINUTES = 30;
export const MAX_LOCK_MINUTES = 8 * 60;

const Version = z.number().int().min(1, 'the case version you decided on (from the case you read)');
const Id = z.string().min(1).max(64);

export const LockCommand = z.strictObject({
  version: Version,
  minutes: z.number().int().min(1).max(MAX_LOCK_MINUTES).default(DEFAULT_LOCK_MINUTES),
});
export const UnlockCommand = z.strictObject({ version: Version });
export const StatusCommand = z.strictObject({ version: Version, to: CaseStatusSchema, reason: z.string().max(4000).default('') });
export const FindingCommand = z.strictObject({
  version: Version,
  attribution: Attribution,
  summary: z.string().min(1, 'say what the mechanism found').max(10_000),
  severity: z.number().int().min(1).max(5).optional(),
});
export const DissentCommand = z.strictObject({
  version: Version,
  text: z.string().min(1, 'state the dissent').max(10_000),
  findingId: Id.optional(),
});
export const MergeCommand = z.strictObject({
  version: Version,
  cases: z
    .array(z.strictObject({ id: Id, version: Version }))
    .min(1)
    .max(50),
  reason: z.string().min(1, 'say why these are one incident').max(4000),
});
export const SplitCommand = z.strictObject({
  version: Version,
  reportIds: z.array(Id).min(1).max(500),
  reason: z.string().min(1, 'say why these reports are another incident').max(4000),
});

export interface Actor {
  readonly username: string;
  readonly party: string | null;
}

export interface CaseCommandContext {
  readonly now: Date;
  readonly actor: Actor;
}

export interface CaseDecision {
  readonly drafts: EventDraft[];
  readonly expected: Record<string, ExpectedVersion>;
}

const VISIBILITY = ['process'];

function label(kase: CaseRecord): string {
  return `case ${kase.number}`;
}

/** The case a command addresses, at the version the command decided on. */
export function caseAt(state: OperationsState, caseId: string, version: number, pointer = '/version'): Result<CaseRecord> {
  const kase = state.cases.get(caseId);
  if (!kase) return fail('not_found', `there is no case ${caseId}`, '/params/id');
  if (kase.mergedInto) {
    const into = state.cases.get(kase.mergedInto);
    return fail(
      'invalid_transition',
      `${label(kase)} was merged into case ${into?.number ?? kase.mergedInto}; act on that one`,
      '/params/id',
      { mergedInto: kase.mergedInto },
    );
  }
  if (kase.version !== version) {
    return fail(
      'conflict',
      `${label(kase)} has changed since you read it: you decided on version ${version}, it is now at version ${kase.version}; reload and try again`,
      pointer,
      {
        expected: version,
        actual: kase.version,
      },
    );
  }
  return ok(kase);
}

/** A lock held by someone else and not yet expired blocks investigative commands. */
export function lockedByOther(kase: CaseRecord, actor: Actor, now: Date): Failure | null {
  if (!kase.lock || kase.lock.by === actor.username || Date.parse(kase.lock.until) <= now.getTime()) return null;
  return fail('conflict', `${label(kase)} is locked for review by ${kase.lock.by} until ${kase.lock.until}`, undefined, {
    lockedBy: kase.lock.by,
    lockedUntil: kase.lock.until,
  });
}

function decision(kase: CaseRecord, drafts: EventDraft[]): Result<CaseDecision> {
  return ok({ drafts, expected: { [caseStream(kase.id)]: kase.version } });
}

export function lockCase(
  state: OperationsState,
  caseId: string,
  cmd: z.infer<typeof LockCommand>,
  ctx: CaseCommandContext,
): Result<CaseDecision> {
  const found = caseAt(state, caseId, cmd.version);
  if (!found.ok) return found;
  const kase = found.value;
  const held = lockedByOther(kase, ctx.actor, ctx.now);
  if (held) return held;
  const until = new Date(ctx.now.getTime() + cmd.minutes * 60_000).toISOString();
  return decision(kase, [
    {
      stream: caseStream(kase.id),
      type: 'case.locked',
      payload: { caseId: kase.id, by: ctx.actor.username, until },
      visibility: VISIBILITY,
    },
  ]);
}

export function unlockCase(
  state: OperationsState,
  caseId: string,
  cmd: z.infer<typeof UnlockCommand>,
  ctx: CaseCommandContext,
): Result<CaseDecision> {
  const found = caseAt(state, caseId, cmd.version);
  if (!found.ok) return found;
  const kase = found.value;
  if (!kase.lock || Date.parse(kase.lock.until) <= ctx.now.getTime()) return fail('invalid_transition', `${label(kase)} is not locked`);
  const held = lockedByOther(kase, ctx.actor, ctx.now);
  if (held) return held;
  return decision(kase, [
    { stream: caseStream(kase.id), type: 'case.unlocked', payload: { caseId: kase.id, by: ctx.actor.username }, visibility: VISIBILITY },
  ]);
}

export function changeStatus(
  state: OperationsState,
  caseId: string,
  cmd: z.infer<typeof StatusCommand>,
  ctx: CaseCommandContext,
): Result<CaseDecision> {
  const found = caseAt(state, caseId, cmd.version);
  if (!found.ok) return found;
  const kase = found.value;
  const held = lockedByOther(kase, ctx.actor, ctx.now);
  if (held) return held;
  if (!canTransition(kase.status, cmd.to)) {
    const allowed = TRANSITIONS[kase.status];
    return fail('invalid_transition', `${label(kase)} is ${kase.status}: it can go to ${allowed.join(' or ')}, not ${cmd.to}`, '/to', {
      caseStatus: kase.status,
      allowed,
    });
  }
  if (cmd.to === 'verified' && kase.findings.length === 0) {
    return fail(
      'invalid_transition',
      `${label(kase)} cannot be verified without a finding: record what the mechanism found (attribution, or "could not be attributed") first`,
      '/to',
    );
  }
  if ((cmd.to === 'not-verified' || cmd.to === 'unfounded') && cmd.reason.trim() === '') {
    return fail('validation_failed', `say why ${label(kase)} is ${cmd.to}`, '/reason');
  }
  return decision(kase, [
    {
      stream: caseStream(kase.id),
      type: 'case.status-changed',
      payload: { caseId: kase.id, from: kase.status, to: cmd.to, reason: cmd.reason },
      visibility: VISIBILITY,
    },
  ]);
}

export function recordFinding(
  state: OperationsState,
  caseId: string,
  cmd: z.infer<typeof FindingCommand>,
  ctx: CaseCommandContext & { readonly findingId: string; readonly knownParties: ReadonlySet<string> },
): Result<CaseDecision> {
  const found = caseAt(state, caseId, cmd.version);
  if (!found.ok) return found;
  const kase = found.value;
  const held = lockedByOther(kase, ctx.actor, ctx.now);
  if (held) return held;
  if (kase.status !== 'under-investigation' && kase.status !== 'verified') {
    return fail(
      'invalid_transition',
      `${label(kase)} is ${kase.status}: findings are recorded while it is under investigation (or verified)`,
      '/version',
      { caseStatus: kase.status },
    );
  }
  if (cmd.attribution.party !== null && !ctx.knownParties.has(cmd.attribution.party)) {
    return fail('validation_failed', `there is no party ${cmd.attribution.party}`, '/attribution/party');
  }
  return decision(kase, [
    {
      stream: caseStream(kase.id),
      type: 'case.finding-recorded',
      payload: {
        caseId: kase.id,
        findingId: ctx.findingId,
        attribution: cmd.attribution,
        summary: cmd.summary,
        severity: cmd.severity ?? null,
      },
      visibility: VISIBILITY,
    },
  ]);
}

export function recordDissent(
  state: OperationsState,
  caseId: string,
  cmd: z.infer<typeof DissentCommand>,
  ctx: CaseCommandContext & { readonly dissentId: string },
): Result<CaseDecision> {
  const found = caseAt(state, caseId, cmd.version);
  if (!found.ok) return found;
  const kase = found.value;
  if (!ctx.actor.party) return fail('refused', 'a dissent is recorded for a party; this account acts for none');
  if (cmd.findingId !== undefined && !kase.findings.some((f) => f.id === cmd.findingId)) {
    return fail('not_found', `${label(kase)} has no finding ${cmd.findingId}`, '/findingId');
  }
  return decision(kase, [
    {
      stream: caseStream(kase.id),
      type: 'case.dissent-recorded',
      payload: { caseId: kase.id, dissentId: ctx.dissentId, party: ctx.actor.party, text: cmd.text, findingId: cmd.findingId ?? null },
      visibility: VISIBILITY,
    },
  ]);
}

/** Mediator-side merge: the other cases' reports move into this one; they remain, marked as merged. */
export function mergeCases(
  state: OperationsState,
  caseId: string,
  cmd: z.infer<typeof MergeCommand>,
  ctx: CaseCommandContext,
): Result<CaseDecision> {
  const found = caseAt(state, caseId, cmd.version);
  if (!found.ok) return found;
  const target = found.value;
  const held = lockedByOther(target, ctx.actor, ctx.now);
  if (held) return held;
  const absorbed: CaseRecord[] = [];
  for (let i = 0; i < cmd.cases.length; i++) {
    const ref = cmd.cases[i]!;
    if (ref.id === target.id) return fail('validation_failed', 'a case cannot be merged into itself', `/cases/${i}/id`);
    if (absorbed.some((a) => a.id === ref.id)) return fail('validation_failed', `case ${ref.id} is listed twice`, `/cases/${i}/id`);
    const other = state.cases.get(ref.id);
    if (!other) return fail('not_found', `there is no case ${ref.id}`, `/cases/${i}/id`);
    const at = caseAt(state, ref.id, ref.version, `/cases/${i}/version`);
    if (!at.ok) return { ...at, pointer: at.pointer === '/params/id' ? `/cases/${i}/id` : at.pointer };
    const otherHeld = lockedByOther(other, ctx.actor, ctx.now);
    if (otherHeld) return otherHeld;
    absorbed.push(other);
  }
  const reportIds = absorbed.flatMap((a) => a.reportIds);
  const drafts: EventDraft[] = [
    {
      stream: caseStream(target.id),
      type: 'case.merged',
      payload: { caseId: target.id, absorbed: absorbed.map((a) => a.id), reportIds, reason: cmd.reason },
      visibility: VISIBILITY,
    },
    ...absorbed.map((a) => ({
      stream: caseStream(a.id),
      type: 'case.merged',
      payload: { caseId: a.id, into: target.id, reason: cmd.reason },
      visibility: VISIBILITY,
    })),
  ];
  const expected: Record<string, ExpectedVersion> = { [caseStream(target.id)]: target.version };
  for (const a of absorbed) expected[caseStream(a.id)] = a.version;
  return ok({ drafts, expected });
}

/** Mediator-side split: some reports are another incident and open a case of their own. */
export function splitCase(
  state: OperationsState,
  caseId: string,
  cmd: z.infer<typeof SplitCommand>,
  ctx: CaseCommandContext & { readonly newCaseId: string },
): Result<CaseDecision & { newCaseId: string }> {
  const found = caseAt(state, caseId, cmd.version);
  if (!found.ok) return found;
  const kase = found.value;
  const held = lockedByOther(kase, ctx.actor, ctx.now);
  if (held) return held;
  const moving = new Set<string>();
  for (let i = 0; i < cmd.reportIds.length; i++) {
    const id = cmd.reportIds[i]!;
    if (!kase.reportIds.includes(id)) return fail('validation_failed', `report ${id} is not in ${label(kase)}`, `/reportIds/${i}`);
    moving.add(id);
  }
  if (moving.size === kase.reportIds.length)
    return fail('validation_failed', `a split must leave at least one report in ${label(kase)}`, '/reportIds');
  if (state.cases.has(ctx.newCaseId)) return fail('conflict', 'the new case id is taken; retry');
  const reportIds = kase.reportIds.filter((r) => moving.has(r));
  const explanation = `split from case ${kase.number} by ${ctx.actor.username}: ${cmd.reason}`;
  return ok({
    newCaseId: ctx.newCaseId,
    drafts: [
      {
        stream: caseStream(kase.id),
        type: 'case.split',
        payload: { caseId: kase.id, newCaseId: ctx.newCaseId, reportIds, reason: cmd.reason },
        visibility: VISIBILITY,
      },
      {
        stream: caseStream(ctx.newCaseId),
        type: 'case.opened',
        payload: { caseId: ctx.newCaseId, reportIds, explanation, splitFrom: kase.id },
        visibility: VISIBILITY,
      },
    ],
    expected: { [caseStream(kase.id)]: kase.version, [caseStream(ctx.newCaseId)]: 'new' },
  });
}
