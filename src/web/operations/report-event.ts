import { Report, type JournalEvent } from '../api';

export const REPORT_FILED = 'report.filed';

/**
 * The report carried by a `report.filed` journal event. The payload holds the report's fields
 * (directly, or under `report`); what it leaves out comes from the envelope: who filed it, for which
 * party, and its position. The server names a report by its position (`R-<position>`) and does not
 * put the id in the payload, so the position is what identifies a report in the feed.
 */
export function reportFromEvent(event: JournalEvent): Report | null {
  if (event.type !== REPORT_FILED) return null;
  const payload = event.payload;
  const body =
    typeof payload['report'] === 'object' && payload['report'] !== null ? (payload['report'] as Record<string, unknown>) : payload;
  const parsed = Report.safeParse({
    id: `R-${event.position}`,
    reportedBy: event.actor,
    party: event.party,
    ...body,
    position: event.position,
  });
  return parsed.success ? parsed.data : null;
}
