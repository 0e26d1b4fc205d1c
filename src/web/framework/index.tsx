import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useLanguage, useT } from '../i18n';
import { PageHeader } from '../shell/PageHeader';
import { ContentsTree } from './ContentsTree';
import { DiffView } from './DiffView';
import { anchorId, autonym, fitLanguages, languageChoices } from './document';
import { ExportLinks } from './ExportLinks';
import { SignOffPanel } from './SignOffPanel';
import { TextView } from './TextView';
import { documentOf, problemOf, useFrameworkOverview, useVersionDocuments } from './use-framework';
import { VersionPicker } from './VersionPicker';
import { parseViewState, replaceViewState, viewStateHash, type FrameworkView, type ViewState } from './view-state';
import './framework.css';

/** How long a clause reached from the contents or a link stays marked. */
const HIGHLIGHT_MS = 2_000;

/**
 * The framework: the one text the parties negotiate and sign. Sign-off ("same script") on top, then
 * the text of a chosen version in one language or two side by side with its contents, or the changes
 * between two versions.
 */
export default function FrameworkPage() {
  const t = useT();
  const { language: readerLanguage } = useLanguage();
  const { overview, problem, loading, reload } = useFrameworkOverview();
  const { entries, request } = useVersionDocuments();
  const [view, setView] = useState<ViewState>(() => parseViewState(window.location.hash));
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const [spy, setSpy] = useState<string | null>(null);
  const highlightTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const scrolledTo = useRef<string | null>(null);
  const [toolbar, setToolbar] = useState<HTMLDivElement | null>(null);

  // The contents and clause anchors stop below the sticky toolbar, whose height depends on what wraps.
  useEffect(() => {
    const page = toolbar?.closest<HTMLElement>('.fw-page');
    if (!toolbar || !page) return;
    const observer = new ResizeObserver(() => page.style.setProperty('--fw-toolbar-height', `${toolbar.offsetHeight}px`));
    observer.observe(toolbar);
    return () => observer.disconnect();
  }, [toolbar]);

  // The address follows what is shown; a link (a clause anchor, the back button) changes what is shown.
  useEffect(() => {
    replaceViewState(view);
  }, [view]);
  useEffect(() => {
    const onHash = () => {
      if (!window.location.hash.startsWith('#/framework')) return;
      const next = parseViewState(window.location.hash);
      scrolledTo.current = null;
      setView(next);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => () => clearTimeout(highlightTimer.current), []);

  const versions = overview?.versions ?? [];
  const current = overview?.signOff.currentVersion ?? versions.at(-1)?.number ?? null;
  const shown = view.version !== null && versions.some((v) => v.number === view.version) ? view.version : current;

  useEffect(() => {
    if (shown !== null) request(shown);
    if (current !== null) request(current);
  }, [shown, current, request]);

  const shownEntry = shown !== null ? entries.get(shown) : undefined;
  const shownDoc = documentOf(shownEntry);
  const currentDoc = current !== null ? (documentOf(entries.get(current))?.document ?? null) : null;
  const declared = shownDoc?.document.process.languages ?? currentDoc?.process.languages ?? [];
  const languages = fitLanguages(view.languages, declared, readerLanguage);

  const update = useCallback((patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch })), []);

  const bringIntoView = useCallback((id: string, anchor: string) => {
    const element = document.getElementById(anchor);
    if (!element) return false;
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    element.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'start' });
    setHighlighted(id);
    setSpy(id);
    clearTimeout(highlightTimer.current);
    highlightTimer.current = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return true;
  }, []);

  const navigate = useCallback(
    (id: string, anchor: string) => {
      if (bringIntoView(id, anchor)) {
        scrolledTo.current = id;
        update({ clause: id });
      }
    },
    [bringIntoView, update],
  );

  // A clause named in the address (a shared link, a clause anchor): bring it into view once its text is on screen.
  useEffect(() => {
    const id = view.clause;
    if (!id || view.view !== 'text' || !shownDoc || scrolledTo.current === id) return;
    const anchor = [anchorId.clause(id), anchorId.article(id), anchorId.chapter(id)].find((a) => document.getElementById(a));
    if (anchor && bringIntoView(id, anchor)) scrolledTo.current = id;
  }, [view.clause, view.view, shownDoc, bringIntoView]);

  // Where the reader is in the text, for the contents: the last clause, article or chapter whose top has passed the toolbar.
  const layout = languages.join(',');
  useEffect(() => {
    if (view.view !== 'text' || !shownDoc) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      const line = (document.querySelector('.fw-toolbar')?.getBoundingClientRect().bottom ?? 120) + 24;
      let found: string | null = null;
      for (const element of document.querySelectorAll<HTMLElement>('[data-spy]')) {
        if (element.getBoundingClientRect().top <= line) found = element.dataset.spy ?? null;
        else break;
      }
      setSpy(found);
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll, { passive: true });
    // The text's height changes with its languages: measure again without waiting for a scroll.
    onScroll();
    return () => {
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
      cancelAnimationFrame(frame);
    };
  }, [view.view, shownDoc, layout]);

  const chooseView = (next: FrameworkView) => update({ view: next });
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight' && event.key !== 'Home' && event.key !== 'End') return;
    event.preventDefault();
    const next: FrameworkView = event.key === 'Home' ? 'text' : event.key === 'End' ? 'diff' : view.view === 'text' ? 'diff' : 'text';
    chooseView(next);
    document.getElementById(`fw-tab-${next}`)?.focus();
  };

  const header = <PageHeader title={t.framework.title} lead={t.modules.framework.summary} />;

  if (!overview) {
    return (
      <article className="page page-wide fw-page">
        {header}
        {loading && !problem && <p className="loading">{t.app.loading}</p>}
        {problem && (
          <div className="notice notice-error" role="alert">
            <p>
              {t.framework.loadFailed} {problem.code === 'network' ? t.errors.network : problem.detail}
            </p>
            <button type="button" className="button button-small" onClick={reload}>
              {t.app.retry}
            </button>
          </div>
        )}
      </article>
    );
  }

  if (current === null || shown === null) {
    return (
      <article className="page page-wide fw-page">
        {header}
        <p className="notice notice-info">{t.framework.noVersion}</p>
      </article>
    );
  }

  const inForce = overview.inForce;
  const defaultTo = view.to !== null && versions.some((v) => v.number === view.to) ? view.to : current;
  const defaultFrom =
    view.from !== null && versions.some((v) => v.number === view.from)
      ? view.from
      : inForce && inForce.number < defaultTo
        ? inForce.number
        : Math.max(1, defaultTo - 1);
  const choices = languageChoices(declared);
  const shownProblem = problemOf(shownEntry);

  return (
    <article className="page page-wide fw-page">
      {header}
      <SignOffPanel overview={overview} currentDocument={currentDoc} reading={view.view === 'text' ? shown : null} onSigned={reload} />

      <div className="fw-toolbar" role="group" aria-label={t.framework.toolbar} ref={setToolbar}>
        <div className="fw-tabs" role="tablist" aria-label={t.framework.views} onKeyDown={onTabKey}>
          {(['text', 'diff'] as const).map((v) => (
            <button
              key={v}
              id={`fw-tab-${v}`}
              type="button"
              role="tab"
              className="fw-tab"
              aria-selected={view.view === v}
              aria-controls="fw-panel"
              tabIndex={view.view === v ? 0 : -1}
              onClick={() => chooseView(v)}
            >
              {v === 'text' ? t.framework.viewText : t.framework.viewDiff}
            </button>
          ))}
        </div>
        {view.view === 'text' && (
          <VersionPicker overview={overview} shown={shown} onChoose={(n) => update({ version: n === current ? null : n, clause: null })} />
        )}
        {choices.length > 1 && (
          <div className="fw-segmented" role="group" aria-labelledby="fw-languages-label">
            <span className="visually-hidden" id="fw-languages-label">
              {t.framework.languages.label}
            </span>
            {choices.map((choice) => {
              const pressed = choice.length === languages.length && choice.every((l, i) => l === languages[i]);
              const text =
                choice.length === 1
                  ? autonym(choice[0]!)
                  : declared.length === 2
                    ? t.framework.languages.sideBySide
                    : t.framework.languages.pair(autonym(choice[0]!), autonym(choice[1]!));
              return (
                <button
                  key={choice.join(',')}
                  type="button"
                  aria-pressed={pressed}
                  lang={choice.length === 1 ? choice[0] : undefined}
                  title={choice.length > 1 ? choice.map(autonym).join(' | ') : undefined}
                  onClick={() => update({ languages: choice })}
                >
                  {text}
                </button>
              );
            })}
          </div>
        )}
      </div>

      <div id="fw-panel" role="tabpanel" aria-labelledby={`fw-tab-${view.view}`} className="fw-panel">
        {view.view === 'diff' ? (
          <DiffView
            overview={overview}
            from={defaultFrom}
            to={defaultTo}
            onChange={(from, to) => update({ from, to })}
            languages={languages}
            documents={entries}
            requestDocument={request}
          />
        ) : (
          <>
            {shown !== current && (
              <div className="notice notice-info fw-older">
                <p>{t.framework.versions.readingOlder(shown, current)}</p>
                <button type="button" className="button button-small" onClick={() => update({ version: null })}>
                  {t.framework.versions.readCurrent(current)}
                </button>
              </div>
            )}
            {shownProblem && (
              <div className="notice notice-error" role="alert">
                <p>
                  {t.framework.versionFailed(shown)} {shownProblem.code === 'network' ? t.errors.network : shownProblem.detail}
                </p>
                <button type="button" className="button button-small" onClick={() => request(shown)}>
                  {t.app.retry}
                </button>
              </div>
            )}
            {!shownDoc && !shownProblem && <p className="loading">{t.app.loading}</p>}
            {shownDoc && (
              <div className="fw-reader" data-columns={languages.length}>
                <ContentsTree doc={shownDoc.document} language={languages[0]!} current={spy} onNavigate={navigate} />
                <div className="fw-main">
                  <ExportLinks version={shown} languages={languages} />
                  <TextView
                    doc={shownDoc.document}
                    languages={languages}
                    highlighted={highlighted}
                    clauseHref={(id) => viewStateHash({ ...view, clause: id })}
                  />
                </div>
              </div>
            )}
          </>
        )}
      </div>
    </article>
  );
}
