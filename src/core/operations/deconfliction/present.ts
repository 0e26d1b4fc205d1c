import { canRead } from '../../access/policy';
import type { Reader } from '../../access/roles';
import { ACKNOWLEDGEMENT_MEANING, missingAcknowledgements, type NoticeRecord, noticeStatus, type NoticeStatus } from './notice';
import type { StrikeRecord } from './projection';

/**
 * Notices and alerts as one reader may see them. The exact place goes only to readers entitled to it
 * (the notifying organisation, the parties that acknowledge, holders of the exact-location grant);
 * everyone else gets the coarse cell, and is told which they got.
 */

export type PartyAcknowledgementState = 'acknowledged' | 'awaiting' | 'overdue';

export function mayKnowExactPlace(reader: Reader, notice: Pick<NoticeRecord, 'exactVisibility'>): boolean {
  return canRead(reader, notice.exactVisibility);
}

function placeOf(reader: Reader, n: NoticeRecord) {
  if (mayKnowExactPlace(reader, n)) {
    return {
      precision: 'exact' as const,
      precision_m: null,
      location: n.location ? { lon: n.location.lon, lat: n.location.lat } : null,
      route: n.route ? { type: 'LineString' as const, coordinates: n.route.map((p) => [p[0], p[1]] as [number, number]) } : null,
    };
  }
  return {
    precision: 'coarse' as const,
    precision_m: n.coarse.precision_m,
    location: n.coarse.location ? { lon: n.coarse.location.lon, lat: n.coarse.location.lat } : null,
    route: n.coarse.route
      ? { type: 'LineString' as const, coordinates: n.coarse.route.map((p) => [p[0], p[1]] as [number, number]) }
      : null,
  };
}

export function noticeView(n: NoticeRecord, reader: Reader, now: Date) {
  const overdue = now.getTime() > Date.parse(n.acknowledgement.deadline);
  const status: NoticeStatus = noticeStatus(n);
  return {
    id: n.id,
    kind: n.kind,
    activity: n.activity,
    siteKind: n.siteKind,
    name: n.name,
    organisation: n.organisation,
    party: n.party,
    status,
    ...placeOf(reader, n),
    from: n.from,
    until: n.until,
    vehicles: n.vehicles.map((v) => ({ ...v })),
    personnel: n.personnel,
    description: n.description,
    contact: n.contact,
    rule: { ...n.rule },
    acknowledgement: {
      deadline: n.acknowledgement.deadline,
      by: [...n.acknowledgement.by],
      missing: missingAcknowledgements(n),
      meaning: { ...ACKNOWLEDGEMENT_MEANING },
      parties: n.acknowledgement.by.map((party) => {
        const a = n.acknowledgements[party];
        const state: PartyAcknowledgementState = a
          ? 'acknowledged'
          : overdue && status !== 'expired' && status !== 'withdrawn'
            ? 'overdue'
            : 'awaiting';
        return { party, state, at: a?.at ?? null, by: a?.by ?? null, late: a?.late ?? false, note: a?.note ?? '' };
      }),
    },
    escalation: n.escalation ? { at: n.escalation.at, missing: [...n.escalation.missing] } : null,
    expiredAt: n.expiredAt,
    withdrawal: n.withdrawal ? { ...n.withdrawal } : null,
    strikes: n.strikes,
    notifiedBy: n.notifiedBy,
    notifiedAt: n.notifiedAt,
    version: n.version,
  };
}
export type NoticeView = ReturnType<typeof noticeView>;

export function alertView(s: StrikeRecord, notice: NoticeRecord, reader: Reader) {
  const p = s.payload;
  const place = placeOf(reader, notice);
  return {
    position: s.position,
    detectedAt: s.recordedAt,
    kind: 'site-struck' as const,
    noticeId: p.noticeId,
    noticeKind: p.noticeKind,
    activity: p.activity,
    siteKind: p.siteKind,
    name: p.name,
    organisation: p.organisation,
    party: p.party,
    precision: place.precision,
    precision_m: place.precision_m,
    location: place.location,
    route: place.route,
    report: { id: p.reportId, occurredAt: p.occurredAt, type: p.reportType, domain: p.reportDomain, source: p.reportSource },
    distance_m: p.distance_m,
    buffer_m: p.buffer_m,
    rule: p.rule ? { ...p.rule } : null,
    acknowledgedBy: [...p.acknowledgedBy],
    acknowledgementBy: [...p.acknowledgementBy],
  };
}
export type AlertView = ReturnType<typeof alertView>;
