import { lazy, Suspense, useEffect, useRef, useState, type MouseEvent } from 'react';
import { LanguageProvider, useT } from '../i18n';
import { LiveProvider } from '../live';
import { moduleAt } from '../modules';
import { usePath } from '../router';
import { SessionProvider, useSession } from '../session';
import { Header } from './Header';
import { Nav } from './Nav';
import { NotFound } from './NotFound';
import { OverviewPage } from './OverviewPage';
import { PageBoundary } from './PageBoundary';
import { SignInPage } from './SignInPage';

export function App() {
  return (
    <LanguageProvider>
      <SessionProvider>
        <Root />
      </SessionProvider>
    </LanguageProvider>
  );
}

/** The public picture of the ceasefire (verified incidents, the daily report): for anyone, signed in or not. */
const PublicPage = lazy(() => import('../public-page/index'));
const PUBLIC_PATH = '/public';

function Root() {
  const { state } = useSession();
  const t = useT();
  const path = usePath();
  if (path === PUBLIC_PATH) {
    return (
      <Suspense fallback={<div className="splash">{t.app.loading}</div>}>
        <PublicPage />
      </Suspense>
    );
  }
  if (state.status === 'loading') {
    return (
      <div className="splash" role="status">
        {t.app.loading}
      </div>
    );
  }
  if (state.status === 'signed-out') return <SignInPage state={state} />;
  return (
    <LiveProvider enabled>
      <Shell />
    </LiveProvider>
  );
}

function Shell() {
  const t = useT();
  const path = usePath();
  const entry = moduleAt(path);
  const mainRef = useRef<HTMLElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const shownPath = useRef(path);

  // After navigation (not on first load), start at the top of the new page, with focus there for keyboard and screen-reader users.
  useEffect(() => {
    if (shownPath.current === path) return;
    shownPath.current = path;
    setMenuOpen(false);
    window.scrollTo(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [path]);

  // The phone menu hangs under the sticky top bar, whose height depends on what wraps.
  useEffect(() => {
    const topbar = document.querySelector<HTMLElement>('.topbar');
    if (!topbar) return;
    const observer = new ResizeObserver(() => document.documentElement.style.setProperty('--topbar-height', `${topbar.offsetHeight}px`));
    observer.observe(topbar);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpen(false);
      document.querySelector<HTMLElement>('.menu-toggle')?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const title = path === '/' ? t.overview.title : entry ? t.nav[entry.id] : t.errors.notFoundTitle;
  useEffect(() => {
    document.title = `${title} · ${t.app.name}`;
  }, [title, t]);

  const skipToMain = (event: MouseEvent<HTMLAnchorElement>) => {
    // The hash is the router's; the skip link moves focus without navigating.
    event.preventDefault();
    mainRef.current?.focus();
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={skipToMain}>
        {t.app.skipToContent}
      </a>
      <Header menuOpen={menuOpen} onToggleMenu={() => setMenuOpen((open) => !open)} />
      <div className="shell-body">
        <Nav open={menuOpen} />
        {menuOpen && <div className="nav-backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
        <main id="main" ref={mainRef} tabIndex={-1} className="main">
          <PageBoundary
            key={path}
            fallback={(retry) => (
              <div className="notice notice-error" role="alert">
                <p>{t.app.pageLoadFailed}</p>
                <button type="button" className="button button-small" onClick={() => (entry ? window.location.reload() : retry())}>
                  {t.app.retry}
                </button>
              </div>
            )}
          >
            <Suspense fallback={<p className="loading">{t.app.loading}</p>}>
              {path === '/' ? <OverviewPage /> : entry ? <entry.Page /> : <NotFound />}
            </Suspense>
          </PageBoundary>
        </main>
      </div>
    </div>
  );
}
