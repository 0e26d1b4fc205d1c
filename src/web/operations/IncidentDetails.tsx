import { useEffect, useState } from 'react';
import type { ApiProblem } from '../api';
import { formatDegrees, formatInstant, utcTitle } from '../format';
import { label, useT } from '../i18n';
import { partyName, useApi, useSession } from '../session';
import { getReport, type CaseSummaryOut, type ReportOut } from './api';
import type { IncidentRow } from './map/incidents';
import { caseHref } from './view-state';

/** The incident a click on the map selected: what the map row says at once, the report's own words once loaded. */
export function IncidentDetails({ row, onClose }: { readonly row: IncidentRow; readonly onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const { parties } = useSession();
  const [detail, setDetail] = useState<{ report: ReportOut; case: CaseSummaryOut | null } | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const locale = t.meta.locale;

  useEffect(() => {
    let cancelled = false;
    setDetail(null);
    setProblem(null);
    void getReport(api, row.id).then((result) => {
      if (cancelled) return;
      if (result.ok) setDetail(result.value);
      else setProblem(result.problem);
    });
    return () => {
      cancelled = true;
    };
  }, [api, row.id]);

  const when = new Date(row.time).toISOString();
  const report = detail?.report;
  const kase = detail?.case ?? null;
  return (
    <section className="incident-details panel" aria-labelledby="incident-details-title" data-incident={row.id}>
      <div className="incident-details-head">
        <h3 id="incident-details-title">{label(t.reportTypes, row.type)}</h3>
        <button type="button" className="button button-small button-quiet" onClick={onClose}>
          {t.live.map.closeSelected}
        </button>
      </div>
      {report?.narrative && <p className="report-narrative">{report.narrative}</p>}
      <dl className="report-meta">
        <div>
          <dt>{t.operations.occurred}</dt>
          <dd>
            <time dateTime={when} title={utcTitle(when)}>
              {formatInstant(when, locale)}
            </time>
          </dd>
        </div>
        <div>
          <dt>{t.live.filters.status}</dt>
          <dd className={`status status-${row.status}`}>{label(t.live.statuses, kase?.status ?? row.status)}</dd>
        </div>
        <div>
          <dt>{t.operations.source}</dt>
          <dd>{label(t.reportSources, row.source)}</dd>
        </div>
        <div>
          <dt>{t.live.filters.domain}</dt>
          <dd>{label(t.reportDomains, row.domain)}</dd>
        </div>
        {report && (
          <div>
            <dt>{t.operations.location}</dt>
            <dd>
              {t.operations.latitudeValue(formatDegrees(report.location.lat, locale), report.location.lat >= 0)},{' '}
              {t.operations.longitudeValue(formatDegrees(report.location.lon, locale), report.location.lon >= 0)}
            </dd>
          </div>
        )}
        {report && (
          <div>
            <dt>{t.live.caseView.reportedByLabel}</dt>
            <dd>{t.live.caseView.reportedBy(report.reportedBy, partyName(parties, report.party))}</dd>
          </div>
        )}
      </dl>
      {report && (
        <p className="field-hint">
          {report.precision === 'exact' ? t.live.map.precisionExact : t.live.map.precisionCoarse(report.location.precision_m)}
        </p>
      )}
      {problem && <p className="field-error">{problem.detail}</p>}
      {kase && (
        <a className="button button-small" href={caseHref(kase.id)}>
          {t.live.map.openCase(`#${kase.number}`)}
        </a>
      )}
    </section>
  );
}
