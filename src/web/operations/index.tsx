import { lazy, Suspense, useEffect, useState } from 'react';
import { useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { MapView } from './MapView';
import { OutboxPanel } from './OutboxPanel';
import { useNoticeMessages } from './notices/messages-hook';
import { useViewState, viewHref, VIEWS } from './view-state';
import './operations.css';

/*
 * Operations: the live picture. Three views in one module — the live map (with the feed and the report
 * form), the incident queue with the verification workflow, and the daily report — chosen in the
 * address, so each can be bookmarked. Reports written offline wait in the outbox shown above them all.
 */

const QueueView = lazy(() => import('./QueueView'));
const DailyView = lazy(() => import('./DailyView'));
const NoticesView = lazy(() => import('./notices/NoticesView'));

/** The notices tab lives beside the three views; `view=notices` is read here so view-state stays untouched. */
function useNoticesTab(): boolean {
  const [open, setOpen] = useState(() => noticesInHash());
  useEffect(() => {
    const onChange = () => setOpen(noticesInHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return open;
}

function noticesInHash(): boolean {
  const hash = window.location.hash;
  const q = hash.indexOf('?');
  return q >= 0 && new URLSearchParams(hash.slice(q + 1)).get('view') === 'notices';
}

export default function OperationsPage() {
  const t = useT();
  const state = useViewState();
  const notices = useNoticesTab();
  const n = useNoticeMessages();
  return (
    <article className="page page-wide ops-page">
      <PageHeader title={t.operations.title} lead={t.live.lead} />
      <nav className="ops-tabs" aria-label={t.live.views.label}>
        {VIEWS.map((view) => (
          <a key={view} href={viewHref(view)} className="ops-tab" aria-current={!notices && state.view === view ? 'page' : undefined}>
            {t.live.views[view]}
          </a>
        ))}
        <a href="#/operations?view=notices" className="ops-tab" aria-current={notices ? 'page' : undefined}>
          {n.tab}
        </a>
      </nav>
      <OutboxPanel />
      <Suspense fallback={<p className="loading">{t.app.loading}</p>}>
        {notices && <NoticesView />}
        {!notices && state.view === 'map' && <MapView />}
        {!notices && state.view === 'queue' && <QueueView caseId={state.caseId} />}
        {!notices && state.view === 'daily' && <DailyView cutoff={state.cutoff} />}
      </Suspense>
    </article>
  );
}
