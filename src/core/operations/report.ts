import { z } from 'zod';
import { fail, ok, type Result } from '../errors';
import type { EventDraft } from '../journal/envelope';

export const DOMAINS = ['land', 'air', 'sea', 'cyber'] as const;
export const REPORT_TYPES = [
  'shelling-impact',
  'airburst',
  'small-arms',
  'drone',
  'missile',
  'air-incursion',
  'naval',
  'weapon-beyond-withdrawal-line',
  'movement-restriction',
  'civilian-casualty',
  'infrastructure-damage',
  'other',
] as const;
export const SOURCES = ['patrol-saw', 'patrol-heard', 'fixed-camera', 'drone', 'sensor', 'party-claim', 'open-source'] as const;

export const Point = z
  .object({
    lon: z.number().min(-180, 'longitude must be between -180 and 180').max(180, 'longitude must be between -180 and 180'),
    lat: z.number().min(-90, 'latitude must be between -90 and 90').max(90, 'latitude must be between -90 and 90'),
  })
  .strict();

export const ReportInput = z
  .object({
    occurredAt: z.iso.datetime({ offset: true, message: 'an ISO 8601 instant with a zone, e.g. 2026-01-03T14:20:00+02:00' }),
    location: Point,
    domain: z.enum(DOMAINS),
    type: z.enum(REPORT_TYPES),
    source: z.enum(SOURCES),
    narrative: z.string().max(10_000).default(''),
  })
  .strict();
export type ReportInput = z.infer<typeof ReportInput>;

/** Clock skew tolerated for reports timed in the future (device clocks drift). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function fileReport(input: ReportInput, now: Date, reporter: { username: string; party: string | null }): Result<EventDraft[]> {
  const occurred = Date.parse(input.occurredAt);
  if (occurred > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return fail('validation_failed', `occurredAt ${input.occurredAt} is in the future (more than 5 minutes ahead of the server clock)`, '/occurredAt');
  }
  const payload = {
    occurredAt: new Date(occurred).toISOString(),
    location: input.location,
    domain: input.domain,
    type: input.type,
    source: input.source,
    narrative: input.narrative,
    reportedBy: reporter.username,
  };
  // Operations will give each report its own case stream; the intake stream is one per reporter party.
  return ok([{ stream: `report-intake/${reporter.party ?? 'mechanism'}`, type: 'report.filed', payload, visibility: ['process'] }]);
}
