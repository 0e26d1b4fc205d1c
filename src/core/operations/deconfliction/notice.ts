import { z } from 'zod';
import { Instant } from '../../framework/in-force';
import { EXACT_LOCATION_GRANT, Latitude, Longitude, SITE_KINDS } from '../model';
import type { Activity } from './rules';

/**
 * Humanitarian notices: a static site (a hospital, a water station) or a movement (a convoy on a
 * route in a time window) that a humanitarian organisation notifies under the framework's
 * deconfliction rule, and that each named party acknowledges.
 *
 * An acknowledgement says "we received this notice"; it is not an approval, an authorisation or a
 * guarantee of safety, and it does not move responsibility from the parties. The API says so.
 */

export const NOTICE_STATUSES = ['pending-acknowledgement', 'acknowledged', 'escalated', 'expired', 'withdrawn'] as const;
export const NoticeStatus = z.enum(NOTICE_STATUSES);
export type NoticeStatus = z.infer<typeof NoticeStatus>;

export const MOVEMENT_ACTIVITIES = ['land-movement', 'sea-movement', 'air-movement'] as const;

export const SiteKind = z.enum(SITE_KINDS);
export type SiteKind = z.infer<typeof SiteKind>;

/** A notice is valid for at most a year: notify again to renew, so stale sites do not pile up. */
export const MAX_VALIDITY_DAYS = 366;

const Point = z.strictObject({ lon: Longitude, lat: Latitude });
const Text = (max: number) => z.string().trim().max(max);

export const SiteNoticeInput = z.strictObject({
  kind: SiteKind,
  name: Text(200).min(1, 'name the site, e.g. "Regional Hospital No. 5"'),
  location: Point,
  /** When protection starts; by default the earliest the lead time allows. */
  validFrom: Instant.optional(),
  validUntil: Instant,
  /** How the organisation is named to the parties; by default the party's name. */
  organisation: Text(200).min(1).optional(),
  description: Text(2000).default(''),
  /** A hotline the parties can call about this site. */
  contact: Text(200).min(1).optional(),
});
export type SiteNoticeInput = z.infer<typeof SiteNoticeInput>;

export const Vehicle = z.strictObject({
  kind: Text(100).min(1, 'say what kind of vehicle, e.g. "truck" or "ambulance"'),
  count: z.number().int().min(1).max(1000),
  markings: Text(200).optional(),
});
export type Vehicle = z.infer<typeof Vehicle>;

export const RouteLine = z.strictObject({
  type: z.literal('LineString'),
  coordinates: z
    .array(z.tuple([Longitude, Latitude]))
    .min(2, 'a route needs at least 2 positions')
    .max(10_000, 'a route has at most 10,000 positions'),
});

export const MovementNoticeInput = z.strictObject({
  activity: z.enum(MOVEMENT_ACTIVITIES).default('land-movement'),
  name: Text(200).min(1, 'name the movement, e.g. "Convoy Zaporizhzhia–Orikhiv 14"'),
  route: RouteLine,
  window: z.strictObject({ from: Instant, until: Instant }),
  vehicles: z.array(Vehicle).min(1, 'list the vehicles').max(100),
  personnel: z.number().int().min(0).max(10_000).optional(),
  organisation: Text(200).min(1).optional(),
  description: Text(2000).default(''),
  contact: Text(200).min(1).optional(),
});
export type MovementNoticeInput = z.infer<typeof MovementNoticeInput>;

export const AcknowledgementInput = z.strictObject({ note: Text(2000).default('') });
export type AcknowledgementInput = z.infer<typeof AcknowledgementInput>;

export const WithdrawalInput = z.strictObject({ reason: Text(2000).min(1, 'say why the notice is withdrawn') });
export type WithdrawalInput = z.infer<typeof WithdrawalInput>;

/** The rule a notice was given under, as it stood then. */
export interface NoticeRule {
  readonly id: string;
  readonly frameworkVersion: number;
  readonly frameworkHash: string;
  readonly leadTime: string;
  readonly buffer_m: number;
  readonly publicPrecision_m: number;
}

/** The payload of `site.notified` and `movement.notified`: exact places, need-to-know. */
export interface NoticeNotified {
  readonly id: string;
  readonly kind: 'site' | 'movement';
  readonly activity: Activity;
  readonly name: string;
  readonly organisation: string;
  readonly party: string;
  readonly siteKind: SiteKind | null;
  readonly location: { lon: number; lat: number } | null;
  readonly route: [number, number][] | null;
  /** Validity of a site, or the window of a movement. */
  readonly from: string;
  readonly until: string;
  readonly vehicles: Vehicle[];
  readonly personnel: number | null;
  readonly description: string;
  readonly contact: string | null;
  readonly rule: NoticeRule;
  readonly acknowledgement: { readonly by: string[]; readonly deadline: string };
  readonly notifiedBy: string;
  readonly notifiedAt: string;
}

/** The payload of `notice.recorded`: the same notice with its place coarsened, for every participant. */
export type NoticeRecorded = Omit<NoticeNotified, 'location' | 'route'> & {
  readonly location: { lon: number; lat: number; precision_m: number } | null;
  readonly route: [number, number][] | null;
  readonly precision_m: number;
};

export interface Acknowledgement {
  readonly party: string;
  readonly by: string;
  readonly at: string;
  readonly late: boolean;
  readonly note: string;
}

/** A notice as the memory image holds it. */
export interface NoticeRecord extends NoticeNotified {
  readonly stream: string;
  version: number;
  /** Its number in the site or route index. */
  readonly slot: number;
  readonly exactVisibility: string[];
  coarse: Pick<NoticeRecorded, 'location' | 'route' | 'precision_m'>;
  acknowledgements: Record<string, Acknowledgement>;
  escalation: { at: string; missing: string[] } | null;
  expiredAt: string | null;
  withdrawal: { at: string; by: string; reason: string } | null;
  strikes: number;
}

export const noticeStream = (id: string) => `notice/${id}`;

/** Who may know where a notified site or route is exactly: the organisation, the parties that acknowledge, grant holders. */
export function exactLabels(party: string, acknowledgers: readonly string[]): string[] {
  return [...new Set([`party:${party}`, ...acknowledgers.map((p) => `party:${p}`), `grant:${EXACT_LOCATION_GRANT}`])];
}

export function missingAcknowledgements(n: Pick<NoticeRecord, 'acknowledgement' | 'acknowledgements'>): string[] {
  return n.acknowledgement.by.filter((p) => !n.acknowledgements[p]);
}

export function noticeStatus(n: NoticeRecord): NoticeStatus {
  if (n.withdrawal) return 'withdrawn';
  if (n.expiredAt) return 'expired';
  if (missingAcknowledgements(n).length === 0) return 'acknowledged';
  if (n.escalation) return 'escalated';
  return 'pending-acknowledgement';
}

/** The instant protection ends: the end of validity, or the withdrawal if earlier. */
export function activeUntil(n: NoticeRecord): number {
  const until = Date.parse(n.until);
  return n.withdrawal ? Math.min(until, Date.parse(n.withdrawal.at)) : until;
}

/** What an acknowledgement means, in the words the API returns beside every notice. */
export const ACKNOWLEDGEMENT_MEANING = {
  en: 'Acknowledged means the party confirms it has received this notice. It is not an approval or an authorisation of the activity, nor a guarantee of safety, and it does not relieve any party of its obligations.',
  uk: '«Підтверджено» означає, що сторона підтверджує отримання цього повідомлення. Це не погодження і не дозвіл на діяльність, не гарантія безпеки, і воно не звільняє жодну сторону від її зобов’язань.',
} as const;
