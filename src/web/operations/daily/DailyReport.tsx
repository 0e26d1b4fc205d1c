import type { ReactNode } from 'react';
import { formatInstant, utcTitle } from '../../format';
import { label, useT, type Messages } from '../../i18n';
import type { DailyReportOut } from '../api';

/*
 * The daily report as a document, in the manner of the OSCE SMM's daily reports: the period, a summary
 * in words, counts by type, area and source, the notable incidents, and the restrictions of the
 * monitors' freedom of movement. The same component serves the participants' page, the public page
 * and the printed (PDF) edition.
 */

export interface DailyReportLabels {
  readonly party: (id: string) => string;
  readonly area: (name: string) => string;
}

export function reasonLabel(t: Messages, reason: string): string {
  return Object.prototype.hasOwnProperty.call(t.live.daily.reasons, reason) ? t.live.daily.reasons[reason]! : reason;
}

function CountTable({
  caption,
  head,
  rows,
  wide,
}: {
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly ReactNode[])[];
  readonly wide?: boolean;
}) {
  return (
    <table className={`daily-table${wide ? ' daily-table-wide' : ''}`}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} scope="col" className={i > 0 ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((cells, r) => (
          <tr key={r}>
            {cells.map((c, i) =>
              i === 0 ? (
                <th key={i} scope="row">
                  {c}
                </th>
              ) : (
                <td key={i} className="num">
                  {c}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DailyReport({
  report,
  labels,
  precision_m,
}: {
  readonly report: DailyReportOut;
  readonly labels: DailyReportLabels;
  readonly precision_m: number | null;
}) {
  const t = useT();
  const d = t.live.daily;
  const locale = t.meta.locale;
  const at = (iso: string) => (
    <time dateTime={iso} title={utcTitle(iso)}>
      {formatInstant(iso, locale)}
    </time>
  );
  const zoneRows = (Object.keys(report.zones) as (keyof typeof report.zones)[]).filter((k) => report.zones[k] > 0);
  return (
    <article className="daily-report" data-cutoff={report.cutoff} data-audience={report.audience}>
      <header className="daily-head">
        <p className="daily-kicker">{d.audience[report.audience]}</p>
        <h2>{d.reportTitle}</h2>
        <p className="daily-period">
          {d.subtitle(formatInstant(report.from, locale), formatInstant(report.cutoff, locale))}
          <span className="muted">
            {' '}
            ({utcTitle(report.from)} – {utcTitle(report.cutoff)})
          </span>
        </p>
      </header>

      <section className="daily-summary" aria-labelledby="daily-summary-title">
        <h3 id="daily-summary-title">{d.summary}</h3>
        <p data-testid="daily-total">{d.summaryLine(report.totals)}</p>
      </section>

      <div className="daily-grid">
        <CountTable
          wide
          caption={d.byType}
          head={[t.live.filters.type, d.count, d.observations, d.claims]}
          rows={report.byType.map((r) => [label(t.reportTypes, r.type), r.count, r.observations, r.claims])}
        />
        <CountTable caption={d.byArea} head={[d.area, d.count]} rows={report.byArea.map((r) => [labels.area(r.area), r.count])} />
        <CountTable
          caption={d.bySource}
          head={[t.operations.source, d.count]}
          rows={report.bySource.map((r) => [label(t.reportSources, r.source), r.count])}
        />
        {report.byStatus.length > 0 && (
          <CountTable
            caption={d.byStatus}
            head={[t.live.filters.status, d.count]}
            rows={report.byStatus.map((r) => [label(t.live.statuses, r.status), r.count])}
          />
        )}
        <CountTable
          caption={d.casualties}
          head={[t.live.form.category, d.count]}
          rows={
            report.casualties.length === 0
              ? [[d.noCasualties, '']]
              : report.casualties.map((c) => [
                  `${label(t.live.form.categories, c.category)} — ${label(t.live.form.outcomes, c.outcome)}`,
                  c.count,
                ])
          }
        />
        {zoneRows.length > 0 && (
          <CountTable caption={d.zonesTitle} head={['', d.count]} rows={zoneRows.map((k) => [d.zones[k], report.zones[k]])} />
        )}
      </div>

      <section aria-labelledby="daily-notable-title">
        <h3 id="daily-notable-title">{d.notable}</h3>
        {report.notable.length === 0 ? (
          <p className="empty">{d.noNotable}</p>
        ) : (
          <ol className="daily-notable">
            {report.notable.map((n) => (
              <li key={n.caseId} data-case={n.caseId}>
                <p className="daily-notable-head">
                  <strong>{d.caseLabel(n.caseNumber)}</strong> · {n.types.map((x) => label(t.reportTypes, x)).join(', ')} ·{' '}
                  {labels.area(n.area)} · {at(n.occurredAt)} ·{' '}
                  <span className={`status status-${n.status}`}>{label(t.live.statuses, n.status)}</span>
                </p>
                {n.narrative && <p>{n.narrative}</p>}
                <p className="muted">
                  {n.reasons.map((r) => reasonLabel(t, r)).join('; ')}
                  {(n.casualties.killed > 0 || n.casualties.injured > 0) &&
                    ` · ${d.killedInjured(n.casualties.killed, n.casualties.injured)}`}
                  {n.attribution &&
                    ` · ${n.attribution.party === null ? t.live.caseView.couldNotAttribute : t.live.caseView.attributedTo(labels.party(n.attribution.party), t.live.caseView.confidences[n.attribution.confidence])}`}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="daily-restrictions-title">
        <h3 id="daily-restrictions-title">{d.restrictions}</h3>
        {report.accessRestrictions.denials.length === 0 ? (
          <p className="empty">{d.noRestrictions}</p>
        ) : (
          <ul className="daily-restrictions">
            {report.accessRestrictions.denials.map((a) => (
              <li key={a.id}>
                {at(a.occurredAt)} · <strong>{a.place}</strong> ({labels.area(a.area)})
                {a.deniedBy && ` · ${d.deniedBy(labels.party(a.deniedBy))}`}
                {a.durationMinutes !== null && ` · ${d.minutes(a.durationMinutes)}`}
                {a.caseNumber !== null && ` · ${d.caseLabel(a.caseNumber)}`}
              </li>
            ))}
          </ul>
        )}
        {report.accessRestrictions.movementRestrictionReports > 0 && (
          <p>{d.restrictionsFromReports(report.accessRestrictions.movementRestrictionReports)}</p>
        )}
      </section>

      <footer className="daily-foot">
        {precision_m !== null && <p>{d.precisionNote(precision_m)}</p>}
        <p>{d.boundaryNote}</p>
      </footer>
    </article>
  );
}
