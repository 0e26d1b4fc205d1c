import { useCallback, useEffect, useRef, useState } from 'react';
import { CASE_STATUSES } from '../../core/operations/model';
import type { ApiProblem } from '../api';
import { formatInstant, utcTitle } from '../format';
import { label, useT } from '../i18n';
import { useJournalEvents, useLiveEpoch } from '../live';
import { partyName, useApi, useSession } from '../session';
import { listCases, type CaseSummaryOut } from './api';
import { CaseView } from './CaseView';
import { AccessDenialForm } from './notices/AccessDenialForm';
import { caseHref } from './view-state';

/*
 * The incident queue: cases to investigate, newest first, filtered by status. It follows the journal:
 * a new report, a case opened or moved refreshes it (once per burst). Opening a case shows it in full.
 */

const OPEN: readonly string[] = ['reported', 'under-investigation'];
const REFRESH_MS = 300;

export default function QueueView({ caseId }: { readonly caseId: string | null }) {
  if (caseId) return <CaseView caseId={caseId} />;
  return (
    <>
      <Queue />
      <AccessDenialForm />
    </>
  );
}

function Queue() {
  const t = useT();
  const api = useApi();
  const { parties } = useSession();
  const epoch = useLiveEpoch();
  const [statuses, setStatuses] = useState<ReadonlySet<string>>(new Set(OPEN));
  const [cases, setCases] = useState<readonly CaseSummaryOut[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [refresh, setRefresh] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    void listCases(api, { status: [...statuses], limit: 200 }).then((result) => {
      if (cancelled) return;
      setLoading(false);
      if (!result.ok) return setProblem(result.problem);
      setProblem(null);
      setCases(result.value.cases);
      setTotal(result.value.total);
    });
    return () => {
      cancelled = true;
    };
  }, [api, statuses, epoch, refresh]);

  const soon = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setRefresh((n) => n + 1);
    }, REFRESH_MS);
  }, []);

  useJournalEvents((event) => {
    if (event.type.startsWith('case.') || event.type === 'monitor.access-denied') soon();
  });

  const toggle = (status: string) =>
    setStatuses((current) => {
      const next = new Set(current);
      if (next.has(status)) next.delete(status);
      else next.add(status);
      return next;
    });

  return (
    <section className="panel queue" aria-labelledby="queue-title" aria-busy={loading || undefined}>
      <h2 id="queue-title">{t.live.queue.title}</h2>
      <p className="section-intro">{t.live.queue.intro}</p>
      <fieldset className="chip-group">
        <legend>{t.live.queue.statusFilter}</legend>
        {CASE_STATUSES.map((status) => (
          <button
            key={status}
            type="button"
            className="chip"
            aria-pressed={statuses.has(status)}
            data-value={status}
            onClick={() => toggle(status)}
          >
            {label(t.live.statuses, status)}
          </button>
        ))}
      </fieldset>
      {problem && (
        <div className="notice notice-error" role="alert">
          {t.live.queue.loadFailed} {problem.detail}
        </div>
      )}
      {!loading && !problem && cases.length === 0 && <p className="empty">{t.live.queue.empty}</p>}
      {cases.length > 0 && (
        <div className="table-scroll">
          <table className="queue-table">
            <thead>
              <tr>
                <th scope="col">{t.live.queue.columns.id}</th>
                <th scope="col">{t.live.queue.columns.status}</th>
                <th scope="col">{t.live.queue.columns.type}</th>
                <th scope="col">{t.live.queue.columns.reports}</th>
                <th scope="col">{t.live.queue.columns.occurred}</th>
                <th scope="col">{t.live.caseView.attribution}</th>
                <th scope="col">{t.live.queue.columns.lock}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id} data-case={c.id} data-status={c.status}>
                  <th scope="row">
                    <a href={caseHref(c.id)}>#{c.number}</a>
                  </th>
                  <td>
                    <span className={`status-pill status status-${c.status}`}>{label(t.live.statuses, c.status)}</span>
                  </td>
                  <td>{c.types.map((x) => label(t.reportTypes, x)).join(', ')}</td>
                  <td>
                    {t.live.queue.reportsCount(c.reportCount)}
                    {c.claimCount > 0 && <span className="muted"> ({t.live.queue.claims(c.observationCount, c.claimCount)})</span>}
                  </td>
                  <td>
                    {c.firstOccurredAt && (
                      <time dateTime={c.firstOccurredAt} title={utcTitle(c.firstOccurredAt)}>
                        {formatInstant(c.firstOccurredAt, t.meta.locale)}
                      </time>
                    )}
                  </td>
                  <td>
                    {c.attribution
                      ? c.attribution.party === null
                        ? t.live.caseView.couldNotAttribute
                        : t.live.caseView.attributedTo(
                            partyName(parties, c.attribution.party) ?? c.attribution.party,
                            t.live.caseView.confidences[c.attribution.confidence],
                          )
                      : '—'}
                  </td>
                  <td>{c.lock ? t.live.queue.lockedBy(c.lock.by, formatInstant(c.lock.until, t.meta.locale)) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > cases.length && <p className="field-hint">{t.live.queue.more(cases.length, total)}</p>}
        </div>
      )}
    </section>
  );
}
