import { useEffect, useState, type KeyboardEvent } from 'react';
import { useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { CoverageView } from './CoverageView';
import { EscalationBoard } from './EscalationBoard';
import { OnTheHook } from './OnTheHook';
import './guarantees.css';

const VIEWS = ['coverage', 'escalations', 'hook'] as const;
type GuaranteesView = (typeof VIEWS)[number];

/** The view lives in the address (`#/guarantees?view=escalations`), so an operations centre can bookmark its board. */
function viewFromHash(hash: string): GuaranteesView {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const v = new URLSearchParams(query).get('view');
  return (VIEWS as readonly string[]).includes(v ?? '') ? (v as GuaranteesView) : 'coverage';
}

/**
 * Security guarantees: before signing, the coverage heatmap (who responds to which breach, where, and
 * the holes); once in force, the escalation board (every open clock, why it runs, who must act) and,
 * for the reader's party, what it is on the hook for.
 */
export default function GuaranteesPage() {
  const t = useT();
  const [view, setView] = useState<GuaranteesView>(() => viewFromHash(window.location.hash));

  useEffect(() => {
    const hash = view === 'coverage' ? '#/guarantees' : `#/guarantees?view=${view}`;
    if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
  }, [view]);
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash.startsWith('#/guarantees')) setView(viewFromHash(window.location.hash));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const i = VIEWS.indexOf(view);
    const next =
      event.key === 'ArrowRight'
        ? VIEWS[(i + 1) % VIEWS.length]
        : event.key === 'ArrowLeft'
          ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length]
          : event.key === 'Home'
            ? VIEWS[0]
            : event.key === 'End'
              ? VIEWS[VIEWS.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    setView(next);
    document.getElementById(`gu-tab-${next}`)?.focus();
  };

  return (
    <article className="page page-wide gu-page">
      <PageHeader title={t.nav.guarantees} lead={t.guarantees.lead} />
      <div className="gu-tabs" role="tablist" aria-label={t.guarantees.views.label} onKeyDown={onTabKey}>
        {VIEWS.map((v) => (
          <button
            key={v}
            id={`gu-tab-${v}`}
            type="button"
            role="tab"
            className="gu-tab"
            aria-selected={view === v}
            aria-controls="gu-panel"
            tabIndex={view === v ? 0 : -1}
            onClick={() => setView(v)}
          >
            {t.guarantees.views[v]}
          </button>
        ))}
      </div>
      <div id="gu-panel" role="tabpanel" aria-labelledby={`gu-tab-${view}`} className="gu-panel">
        {view === 'coverage' && <CoverageView />}
        {view === 'escalations' && <EscalationBoard />}
        {view === 'hook' && <OnTheHook />}
      </div>
    </article>
  );
}
