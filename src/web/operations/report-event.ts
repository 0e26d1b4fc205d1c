import { Report, type JournalEvent } from '../api';

export const REPORT_FILED = 'report.filed';
export const REPORT_RECORDED = 'report.recorded';

/**
 * The report carried by a `report.filed` (exact) or `report.recorded` (public precision) journal
 * event. The payload holds the report's fields (directly, or under `report`); what it leaves out
 * comes from the envelope: who filed it, for which party, and its position. The report's id is the
 * payload's `id`; reports filed before ids were written into payloads are named by their position.
 * `point` (the point that stands for a point or an area) is preferred over `location`.
 */
export function reportFromEvent(event: JournalEvent): Report | null {
  if (event.type !== REPORT_FILED && event.type !== REPORT_RECORDED) return null;
  const payload = event.payload;
  const body =
    typeof payload['report'] === 'object' && payload['report'] !== null ? (payload['report'] as Record<string, unknown>) : payload;
  const point = typeof body['point'] === 'object' && body['point'] !== null ? body['point'] : undefined;
  const parsed = Report.safeParse({
    id: typeof body['id'] === 'string' ? body['id'] : `R-${event.position}`,
    reportedBy: event.actor,
    party: event.party,
    ...body,
    ...(point ? { location: point } : {}),
    position: event.position,
  });
  return parsed.success ? parsed.data : null;
}

/** Adds a report to a newest-first list, once per id; the first event of a report keeps its position. */
export function mergeReport(list: readonly Report[], report: Report): readonly Report[] {
  const known = list.find((r) => r.id === report.id);
  if (known) {
    // The exact event comes first in the same append; a later coarse one must not move the point back.
    return list;
  }
  return [report, ...list].sort((a, b) => b.position - a.position);
}
