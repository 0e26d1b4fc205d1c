import { fail, ok, type Result } from '../../errors';
import type { Framework } from '../../framework/model';
import type { EventDraft } from '../../journal/envelope';
import { coarsenLine, coarsenPoint } from './coarsen';
import {
  exactLabels,
  MAX_VALIDITY_DAYS,
  type MovementNoticeInput,
  noticeStream,
  type NoticeNotified,
  type NoticeRecorded,
  type SiteNoticeInput,
} from './notice';
import { ACTIVITY_NAMES, type Activity, addDuration, bufferOf, describeDuration, leadTimeOf, ruleContext } from './rules';

export interface NotifyContext {
  readonly now: Date;
  /** The framework in force now (`inForceAt(state, now)`): its rule decides lead time and deadline. */
  readonly inForce: { readonly hash: string; readonly number: number; readonly document: Framework } | null;
  readonly notifier: { readonly username: string; readonly party: string | null; readonly partyName: string | null };
  /** The new notice's id (derived from the idempotency key when there is one). */
  readonly id: string;
}

export interface Notified {
  readonly drafts: EventDraft[];
  readonly notice: NoticeNotified;
}

/** A static site: protection starts no earlier than the rule's lead time from now. */
export function notifySite(input: SiteNoticeInput, ctx: NotifyContext): Result<Notified> {
  return notify(
    ctx,
    'static-site',
    { from: input.validFrom ?? null, until: input.validUntil, fromPointer: '/validFrom', untilPointer: '/validUntil' },
    (base) => ({
      ...base,
      kind: 'site',
      name: input.name,
      siteKind: input.kind,
      location: { lon: input.location.lon, lat: input.location.lat },
      route: null,
      vehicles: [],
      personnel: null,
      description: input.description,
      contact: input.contact ?? null,
      organisation: input.organisation ?? base.organisation,
    }),
  );
}

/** A movement: its window starts no earlier than the rule's lead time for its activity. */
export function notifyMovement(input: MovementNoticeInput, ctx: NotifyContext): Result<Notified> {
  const line = input.route.coordinates;
  if (line.every((p) => p[0] === line[0]![0] && p[1] === line[0]![1])) {
    return fail(
      'validation_failed',
      '/route/coordinates: the route has no length: all its positions are the same point',
      '/route/coordinates',
    );
  }
  return notify(
    ctx,
    input.activity,
    { from: input.window.from, until: input.window.until, fromPointer: '/window/from', untilPointer: '/window/until' },
    (base) => ({
      ...base,
      kind: 'movement',
      name: input.name,
      siteKind: null,
      location: null,
      route: line.map((p) => [p[0], p[1]] as [number, number]),
      vehicles: input.vehicles,
      personnel: input.personnel ?? null,
      description: input.description,
      contact: input.contact ?? null,
      organisation: input.organisation ?? base.organisation,
    }),
  );
}

type Base = Pick<
  NoticeNotified,
  'id' | 'activity' | 'party' | 'organisation' | 'from' | 'until' | 'rule' | 'acknowledgement' | 'notifiedBy' | 'notifiedAt'
>;

function notify(
  ctx: NotifyContext,
  activity: Activity,
  when: { from: string | null; until: string; fromPointer: string; untilPointer: string },
  complete: (base: Base) => NoticeNotified,
): Result<Notified> {
  const party = ctx.notifier.party;
  if (!party)
    return fail(
      'refused',
      'a notice is given on behalf of an organisation, and this account acts for none; ask an administrator to set its party',
    );
  if (!ctx.inForce) return fail('refused', 'no framework is in force now, so there is no deconfliction rule to notify under');
  const context = ruleContext(ctx.inForce.document, ctx.inForce.hash, ctx.inForce.number);
  const rule = context.rule;
  if (!rule)
    return fail(
      'refused',
      `the framework in force (version ${ctx.inForce.number}) has no deconfliction rule, so there is nothing to notify under`,
    );
  const leadTime = leadTimeOf(rule, activity);
  if (!leadTime) {
    return fail(
      'refused',
      `the deconfliction rule in force (${rule.id}, framework version ${ctx.inForce.number}) sets no lead time for ${ACTIVITY_NAMES[activity]}: the parties have not agreed to deconflict it`,
      '/activity',
    );
  }

  const now = ctx.now.getTime();
  const earliest = addDuration(now, leadTime);
  const from = when.from === null ? earliest : Date.parse(when.from);
  if (from < earliest) {
    const earliestText = inOffsetOf(earliest, when.from!);
    return fail(
      'refused',
      `${capitalise(ACTIVITY_NAMES[activity])} must be notified at least ${describeDuration(leadTime)} (${leadTime}) before it starts, under rule ${rule.id} of the framework in force (version ${ctx.inForce.number}). This one starts at ${when.from}; the earliest it could start is ${earliestText}.`,
      when.fromPointer,
      { earliestStart: new Date(earliest).toISOString(), leadTime, rule: rule.id, frameworkVersion: ctx.inForce.number },
    );
  }
  const until = Date.parse(when.until);
  if (until <= from) {
    return fail('validation_failed', `${when.untilPointer}: must be after the start (${new Date(from).toISOString()})`, when.untilPointer);
  }
  if (until - from > MAX_VALIDITY_DAYS * 86_400_000) {
    return fail(
      'validation_failed',
      `${when.untilPointer}: a notice is valid for at most ${MAX_VALIDITY_DAYS} days; notify again to renew it`,
      when.untilPointer,
    );
  }

  const notice = complete({
    id: ctx.id,
    activity,
    party,
    organisation: ctx.notifier.partyName ?? party,
    from: new Date(from).toISOString(),
    until: new Date(until).toISOString(),
    rule: {
      id: rule.id,
      frameworkVersion: ctx.inForce.number,
      frameworkHash: ctx.inForce.hash,
      leadTime,
      buffer_m: bufferOf(rule, activity),
      publicPrecision_m: rule.publicPrecision_m,
    },
    acknowledgement: {
      by: [...rule.acknowledgement.by],
      deadline: new Date(addDuration(now, rule.acknowledgement.deadline)).toISOString(),
    },
    notifiedBy: ctx.notifier.username,
    notifiedAt: ctx.now.toISOString(),
  });
  const precision = rule.publicPrecision_m;
  const recorded: NoticeRecorded = {
    ...notice,
    location: notice.location ? coarsenPoint(notice.location.lon, notice.location.lat, precision) : null,
    route: notice.route ? coarsenLine(notice.route, precision) : null,
    precision_m: precision,
  };
  const stream = noticeStream(notice.id);
  const type = notice.kind === 'site' ? 'site.notified' : 'movement.notified';
  return ok({
    notice,
    drafts: [
      { stream, type, payload: { ...notice }, visibility: exactLabels(party, notice.acknowledgement.by) },
      { stream, type: 'notice.recorded', payload: { ...recorded }, visibility: ['process'] },
    ],
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** An instant written with the same UTC offset as `like` (so the answer reads in the asker's time). */
export function inOffsetOf(ms: number, like: string): string {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(like);
  if (!m) return new Date(ms).toISOString().replace('.000Z', 'Z');
  const offset = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const local = new Date(ms + offset * 60_000).toISOString().replace(/(\.000)?Z$/, '');
  return `${local}${m[1]}${m[2]}:${m[3]}`;
}
