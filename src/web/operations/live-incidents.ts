import type { JournalEvent } from '../api';
import type { IncidentRow, IncidentSet } from './map/incidents';

/*
 * Journal events as the map needs them. A reader entitled to exact coordinates receives
 * `report.filed` and `report.recorded` of the same report (exact and coarse); everyone else only the
 * coarse one. Both carry the report's id, so the map keeps one row per report and prefers the exact
 * one: a coarse event arriving after the exact one does not move the point.
 */

interface ReportLike {
  id?: unknown;
  occurredAt?: unknown;
  point?: { lon?: unknown; lat?: unknown };
  location?: { lon?: unknown; lat?: unknown };
  type?: unknown;
  domain?: unknown;
  source?: unknown;
  precision?: unknown;
}

const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const str = (x: unknown): x is string => typeof x === 'string';

export function incidentFromEvent(event: JournalEvent): (IncidentRow & { readonly exact: boolean }) | null {
  if (event.type !== 'report.filed' && event.type !== 'report.recorded') return null;
  const p = event.payload as ReportLike;
  const at = p.point ?? p.location;
  if (!at || !num(at.lon) || !num(at.lat) || !str(p.occurredAt) || !str(p.type) || !str(p.domain)) return null;
  const time = Date.parse(p.occurredAt);
  if (Number.isNaN(time)) return null;
  return {
    // Reports filed before ids were written into the payload are named by their position.
    id: str(p.id) ? p.id : `R-${event.position}`,
    lon: at.lon,
    lat: at.lat,
    time,
    type: p.type,
    domain: p.domain,
    status: 'reported',
    source: str(p.source) ? p.source : 'other',
    party: event.party,
    caseKey: null,
    exact: event.type === 'report.filed' && p.precision !== 'public',
  };
}

export type LiveChange =
  | { readonly kind: 'added' | 'changed' | 'none' | 'reload' }
  /** A case the set knows only by number changed status: look its number up, then apply. */
  | { readonly kind: 'resolve'; readonly caseId: string; readonly status: string };

/**
 * Folds a live event into the set and says what changed: `added` (a new incident), `changed` (a row
 * moved, joined a case or changed status), `resolve` (a case known here only by its number changed
 * status), `reload` (a merge or split regrouped reports: the server knows best), or `none`.
 */
export function applyLiveEvent(set: IncidentSet, exactIds: Set<string>, event: JournalEvent): LiveChange {
  const incident = incidentFromEvent(event);
  if (incident) {
    const known = set.indexOf(incident.id);
    if (known !== undefined) {
      // Keep the case and status the row already has; take the exact point over a coarse one.
      if (exactIds.has(incident.id) && !incident.exact) return { kind: 'none' };
      const row = set.row(known);
      set.upsert({ ...incident, status: row.status, caseKey: row.caseKey, party: row.party ?? incident.party });
      if (incident.exact) exactIds.add(incident.id);
      return { kind: 'changed' };
    }
    set.upsert(incident);
    if (incident.exact) exactIds.add(incident.id);
    return { kind: 'added' };
  }
  const p = event.payload as { caseId?: unknown; reportIds?: unknown; reportId?: unknown; to?: unknown };
  switch (event.type) {
    case 'case.opened':
    case 'case.report-added': {
      if (!str(p.caseId)) return { kind: 'none' };
      const ids = Array.isArray(p.reportIds) ? p.reportIds.filter(str) : str(p.reportId) ? [p.reportId] : [];
      let changed = false;
      for (const id of ids) {
        const i = set.indexOf(id);
        if (i === undefined) continue;
        set.upsert({ ...set.row(i), caseKey: p.caseId });
        changed = true;
      }
      return { kind: changed ? 'changed' : 'none' };
    }
    case 'case.status-changed':
      if (!str(p.caseId) || !str(p.to)) return { kind: 'none' };
      if (set.hasCase(p.caseId)) return { kind: set.setCaseStatus(p.caseId, p.to) > 0 ? 'changed' : 'none' };
      return { kind: 'resolve', caseId: p.caseId, status: p.to };
    case 'case.merged':
    case 'case.split':
      return { kind: 'reload' };
    default:
      return { kind: 'none' };
  }
}
