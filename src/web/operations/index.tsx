import { useCallback, useEffect, useRef, useState } from 'react';
import { POLICY } from '../../core/access/policy';
import type { ApiProblem, Report } from '../api';
import { useT } from '../i18n';
import { useConnectionState, useJournalEvents, useLiveEpoch } from '../live';
import { useApi, useUser } from '../session';
import { PageHeader } from '../shell/PageHeader';
import { reportFromEvent } from './report-event';
import { ReportFeed } from './ReportFeed';
import { ReportForm } from './ReportForm';

/*
 * Operations, for now: the live feed of reports and a form to file one. The full module (map,
 * verification, zones, deconfliction) replaces this page; the feed and form can move into it.
 */

const FRESH_MS = 2_500;
const FILING_ROLES: readonly string[] = POLICY['report.file'].roles;

function newestFirst(a: Report, b: Report): number {
  return b.position - a.position;
}

export default function OperationsPage() {
  const t = useT();
  const api = useApi();
  const user = useUser();
  const epoch = useLiveEpoch();
  const connection = useConnectionState();
  const [reports, setReports] = useState<readonly Report[]>([]);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
    };
  }, []);

  const load = useCallback(async () => {
    setLoading(true);
    const result = await api.listReports();
    setLoading(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    // Keep anything that arrived live while the list was loading.
    setReports((live) => {
      const listed = new Set(result.value.map((r) => r.position));
      return [...result.value, ...live.filter((r) => !listed.has(r.position))].sort(newestFirst);
    });
  }, [api]);

  useEffect(() => {
    void load();
  }, [load, epoch]);

  const highlight = (position: number) => {
    setFresh((current) => new Set(current).add(position));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setFresh((current) => {
        const next = new Set(current);
        next.delete(position);
        return next;
      });
    }, FRESH_MS);
    timers.current.add(timer);
  };

  useJournalEvents((event) => {
    const report = reportFromEvent(event);
    if (!report) return;
    setReports((current) => (current.some((r) => r.position === report.position) ? current : [report, ...current].sort(newestFirst)));
    highlight(report.position);
  });

  const mayFile = user.roles.some((role) => FILING_ROLES.includes(role));

  return (
    <article className="page page-wide">
      <PageHeader title={t.operations.title} lead={t.modules.operations.coming} />
      <div className="operations-layout">
        <section className="panel" aria-labelledby="feed-title" aria-busy={loading || undefined}>
          <h2 id="feed-title">{t.operations.feedTitle}</h2>
          <p className="section-intro">{t.operations.feedIntro}</p>
          {problem && (
            <div className="notice notice-error" role="alert">
              <p>
                {t.operations.feedFailed} {problem.code === 'network' ? t.errors.network : problem.detail}
              </p>
              <button type="button" className="button button-small" onClick={() => void load()}>
                {t.app.retry}
              </button>
            </div>
          )}
          {loading && reports.length === 0 && <p className="loading">{t.app.loading}</p>}
          {!loading && !problem && reports.length === 0 && <p className="empty">{t.operations.feedEmpty}</p>}
          <ReportFeed reports={reports} fresh={fresh} />
        </section>
        <section className={`panel panel-form${mayFile ? ' panel-form-active' : ''}`} aria-labelledby="form-title">
          <h2 id="form-title">{t.operations.formTitle}</h2>
          {mayFile ? (
            <>
              <p className="section-intro">{t.operations.formIntro}</p>
              {/* While connected the stream brings the new report; otherwise read the list again. */}
              <ReportForm onFiled={() => (connection === 'connected' ? undefined : void load())} />
            </>
          ) : (
            <p className="notice notice-info">{t.operations.cannotFile}</p>
          )}
        </section>
      </div>
    </article>
  );
}
