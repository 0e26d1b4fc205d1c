import { lazy, Suspense } from 'react';
import { useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { MapView } from './MapView';
import { OutboxPanel } from './OutboxPanel';
import { useViewState, viewHref, VIEWS } from './view-state';
import './operations.css';

/*
 * Operations: the live picture. Three views in one module — the live map (with the feed and the report
 * form), the incident queue with the verification workflow, and the daily report — chosen in the
 * address, so each can be bookmarked. Reports written offline wait in the outbox shown above them all.
 */

const QueueView = lazy(() => import('./QueueView'));
const DailyView = lazy(() => import('./DailyView'));

export default function OperationsPage() {
  const t = useT();
  const state = useViewState();
  return (
    <article className="page page-wide ops-page">
      <PageHeader title={t.operations.title} lead={t.live.lead} />
      <nav className="ops-tabs" aria-label={t.live.views.label}>
        {VIEWS.map((view) => (
          <a key={view} href={viewHref(view)} className="ops-tab" aria-current={state.view === view ? 'page' : undefined}>
            {t.live.views[view]}
          </a>
        ))}
      </nav>
      <OutboxPanel />
      <Suspense fallback={<p className="loading">{t.app.loading}</p>}>
        {state.view === 'map' && <MapView />}
        {state.view === 'queue' && <QueueView caseId={state.caseId} />}
        {state.view === 'daily' && <DailyView cutoff={state.cutoff} />}
      </Suspense>
    </article>
  );
}
