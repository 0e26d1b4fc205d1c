import { fail, ok, type Result } from '../errors';
import type { FrameworkState } from '../framework/versions';
import { inForceAt } from '../framework/versions';
import type { EventDraft, ExpectedVersion } from '../journal/envelope';
import type { AccessDenialPayload } from './events';
import type { AccessDenialInput } from './model';
import { publicPrecisionOf, snapToGrid } from './precision';
import { exactVisibility, MAX_CLOCK_SKEW_MS } from './report';
import type { OperationsState } from './state';

/**
 * A monitors' access denial is its own record (not a report of a breach): the OSCE and CTSAMVM
 * reports count restrictions of freedom of movement separately, because a mechanism that cannot
 * reach a place cannot verify what happened there. Written exact + coarse in one append, like a report.
 */
export function recordAccessDenial(
  ops: OperationsState,
  framework: FrameworkState,
  input: AccessDenialInput,
  ctx: { readonly now: Date; readonly id: string; readonly reporter: { readonly username: string; readonly party: string | null } },
): Result<{ drafts: EventDraft[]; expected: Record<string, ExpectedVersion> }> {
  const occurred = Date.parse(input.occurredAt);
  if (occurred > ctx.now.getTime() + MAX_CLOCK_SKEW_MS) {
    return fail(
      'validation_failed',
      `occurredAt ${input.occurredAt} is in the future (more than 5 minutes ahead of the server clock)`,
      '/occurredAt',
    );
  }
  if (input.caseId !== undefined && !ops.cases.has(input.caseId)) return fail('not_found', `there is no case ${input.caseId}`, '/caseId');
  const occurredAt = new Date(occurred).toISOString();
  const precision = publicPrecisionOf(inForceAt(framework, occurredAt)?.document);
  const coarse = snapToGrid(input.location.lon, input.location.lat, precision);
  const common = {
    id: ctx.id,
    occurredAt,
    deniedBy: input.deniedBy,
    place: input.place,
    durationMinutes: input.durationMinutes ?? null,
    caseId: input.caseId ?? null,
    narrative: input.narrative,
    reportedBy: ctx.reporter.username,
  };
  const exact: AccessDenialPayload = { ...common, location: { ...input.location }, precision: 'exact' };
  const public_: AccessDenialPayload = {
    ...common,
    location: { type: 'point', lon: coarse.lon, lat: coarse.lat, precision_m: Math.max(precision, input.location.precision_m) },
    precision: 'public',
  };
  const stream = `access/${ctx.id}`;
  return ok({
    drafts: [
      {
        stream,
        type: 'monitor.access-denial-located',
        payload: exact as unknown as Record<string, unknown>,
        visibility: exactVisibility(ctx.reporter.party),
      },
      { stream, type: 'monitor.access-denied', payload: public_ as unknown as Record<string, unknown>, visibility: ['process'] },
    ],
    expected: { [stream]: 'new' },
  });
}
