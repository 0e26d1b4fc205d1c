import type { Report } from '../api';
import { formatDegrees, formatInstant, utcTitle } from '../format';
import { label, useT } from '../i18n';
import { partyName, useSession } from '../session';

export function ReportFeed({ reports, fresh }: { readonly reports: readonly Report[]; readonly fresh: ReadonlySet<number> }) {
  const t = useT();
  const { parties } = useSession();
  const locale = t.meta.locale;
  return (
    <ol className="report-feed">
      {reports.map((r) => (
        <li
          key={r.position}
          className={`report${fresh.has(r.position) ? ' report-new' : ''}`}
          data-report-id={r.id}
          data-position={r.position}
        >
          <div className="report-head">
            <span className={`domain domain-${r.domain}`}>{label(t.reportDomains, r.domain)}</span>
            <h3 className="report-type">{label(t.reportTypes, r.type)}</h3>
            <time dateTime={r.occurredAt} title={utcTitle(r.occurredAt)}>
              {formatInstant(r.occurredAt, locale)}
            </time>
          </div>
          <p className="report-narrative">{r.narrative}</p>
          <dl className="report-meta">
            <div>
              <dt>{t.operations.location}</dt>
              <dd>
                {t.operations.latitudeValue(formatDegrees(r.location.lat, locale), r.location.lat >= 0)},{' '}
                {t.operations.longitudeValue(formatDegrees(r.location.lon, locale), r.location.lon >= 0)}
              </dd>
            </div>
            <div>
              <dt>{t.operations.source}</dt>
              <dd>{label(t.reportSources, r.source)}</dd>
            </div>
          </dl>
          <p className="report-foot">
            {t.operations.reportedBy(r.reportedBy, partyName(parties, r.party))} · {t.operations.position(r.position)}
          </p>
        </li>
      ))}
    </ol>
  );
}
