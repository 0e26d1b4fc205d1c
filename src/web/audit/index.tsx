import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiProblem, JournalEvent, JournalStatus } from '../api';
import { useT } from '../i18n';
import { useConnectionState, useJournalEvents, useLiveEpoch } from '../live';
import { useApi } from '../session';
import { PageHeader } from '../shell/PageHeader';
import { ChainStatus } from './ChainStatus';
import { JournalTable } from './JournalTable';
import { TreeLog, type CheckRequest } from './TreeLog';
import { findHead, PAGE_SIZE, prependNew, readBackwards, readForwards } from './load-journal';

/** How long a live arrival stays highlighted. */
const FRESH_MS = 2_500;
/** While following live, the list keeps at most this many rows. */
const LIVE_CAP = PAGE_SIZE * 4;
/** The chain status is re-read this long after the last live event (not on every one). */
const STATUS_DEBOUNCE_MS = 3_000;

export default function AuditPage() {
  const t = useT();
  const api = useApi();
  const epoch = useLiveEpoch();
  const connection = useConnectionState();

  const [status, setStatus] = useState<JournalStatus | null>(null);
  const [statusProblem, setStatusProblem] = useState<ApiProblem | null>(null);
  const [checking, setChecking] = useState(true);

  const [events, setEvents] = useState<readonly JournalEvent[]>([]);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [following, setFollowing] = useState(true);
  const [atStart, setAtStart] = useState(true);
  const [pendingNew, setPendingNew] = useState(0);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const [checkRequest, setCheckRequest] = useState<CheckRequest | null>(null);

  const followingRef = useRef(true);
  followingRef.current = following;
  const statusTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const freshTimers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const request = useRef(0);

  useEffect(() => {
    const timers = freshTimers.current;
    return () => {
      clearTimeout(statusTimer.current);
      for (const timer of timers) clearTimeout(timer);
    };
  }, []);

  const loadStatus = useCallback(
    async (quiet: boolean): Promise<JournalStatus | null> => {
      if (!quiet) setChecking(true);
      const result = await api.journalStatus();
      setChecking(false);
      if (result.ok) {
        setStatus(result.value);
        setStatusProblem(null);
        return result.value;
      }
      if (!quiet) setStatusProblem(result.problem);
      return null;
    },
    [api],
  );

  /** Shows the newest page and follows the live stream from there. */
  const showLatest = useCallback(async () => {
    const ticket = ++request.current;
    setLoading(true);
    const current = await loadStatus(false);
    const head = await findHead(api, current?.count ?? 0);
    const result = head.ok ? await readBackwards(api, head.value) : head;
    if (ticket !== request.current) return;
    setLoading(false);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    setProblem(null);
    const upTo = head.ok ? head.value : 0;
    // Keep what arrived live while this page was loading.
    setEvents((shown) =>
      prependNew(
        result.value.events,
        shown.filter((e) => e.position > upTo),
        LIVE_CAP,
      ),
    );
    setAtStart(result.value.atStart);
    setFollowing(true);
    setPendingNew(0);
  }, [api, loadStatus]);

  const showOlder = async () => {
    const oldest = events.at(-1);
    if (!oldest) return;
    const ticket = ++request.current;
    setLoading(true);
    const result = await readBackwards(api, oldest.position - 1);
    if (ticket !== request.current) return;
    setLoading(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setEvents(result.value.events);
    setAtStart(result.value.atStart);
    setFollowing(false);
  };

  const showNewer = async () => {
    const newest = events[0];
    if (!newest) return void showLatest();
    const ticket = ++request.current;
    setLoading(true);
    const result = await readForwards(api, newest.position);
    if (ticket !== request.current) return;
    setLoading(false);
    if (!result.ok) return setProblem(result.problem);
    if (result.value.atEnd) return void showLatest();
    setProblem(null);
    setEvents(result.value.events);
    setAtStart(false);
  };

  // First load, and again whenever the live stream may have missed events.
  useEffect(() => {
    void showLatest();
  }, [showLatest, epoch]);

  useJournalEvents((event) => {
    if (followingRef.current) {
      setEvents((shown) => prependNew(shown, [event], LIVE_CAP));
      setFresh((current) => new Set(current).add(event.position));
      const timer = setTimeout(() => {
        freshTimers.current.delete(timer);
        setFresh((current) => {
          const next = new Set(current);
          next.delete(event.position);
          return next;
        });
      }, FRESH_MS);
      freshTimers.current.add(timer);
    } else {
      setPendingNew((n) => n + 1);
    }
    clearTimeout(statusTimer.current);
    statusTimer.current = setTimeout(() => void loadStatus(true), STATUS_DEBOUNCE_MS);
  });

  const newest = events[0]?.position;
  const oldest = events.at(-1)?.position;

  return (
    <article className="page page-wide">
      <PageHeader title={t.audit.title} lead={t.audit.intro} />
      <ChainStatus status={status} problem={statusProblem} checking={checking} onCheck={() => void loadStatus(false)} />
      <TreeLog request={checkRequest} />

      <section className="journal" aria-labelledby="journal-title" aria-busy={loading || undefined}>
        <div className="section-head">
          <div>
            <h2 id="journal-title">
              {t.audit.journalTitle}
              {following && (
                // Only "live" while events can actually arrive; otherwise say why the list may be behind.
                <span className="live-badge" data-state={connection}>
                  <span className="live-dot" aria-hidden="true" />
                  {connection === 'connected' ? t.audit.live : t.connection[connection]}
                </span>
              )}
            </h2>
            <p className="section-intro">{t.audit.journalIntro}</p>
          </div>
          <div className="pager" role="group" aria-label={t.audit.journalTitle}>
            {newest !== undefined && oldest !== undefined && <span className="pager-range">{t.audit.showing(oldest, newest)}</span>}
            <button type="button" className="button button-small" onClick={() => void showNewer()} disabled={following || loading}>
              {t.audit.newer}
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => void showOlder()}
              disabled={atStart || loading || events.length === 0}
            >
              {t.audit.older}
            </button>
            <button type="button" className="button button-small" onClick={() => void showLatest()} disabled={following || loading}>
              {t.audit.latest}
            </button>
          </div>
        </div>

        {!following && pendingNew > 0 && (
          <button type="button" className="new-events" onClick={() => void showLatest()}>
            {t.audit.newSince(pendingNew)}
          </button>
        )}
        {problem && (
          <div className="notice notice-error" role="alert">
            <p>
              {t.audit.loadFailed} {problem.code === 'network' ? t.errors.network : problem.detail}
            </p>
            <button type="button" className="button button-small" onClick={() => void showLatest()}>
              {t.app.retry}
            </button>
          </div>
        )}
        {loading && events.length === 0 && !problem && <p className="loading">{t.app.loading}</p>}
        {!loading && !problem && events.length === 0 && <p className="empty">{t.audit.empty}</p>}
        {events.length > 0 && (
          <JournalTable
            events={events}
            fresh={fresh}
            faultAt={status?.fault?.position}
            onCheckInclusion={(position) => setCheckRequest((r) => ({ position, ticket: (r?.ticket ?? 0) + 1 }))}
          />
        )}
      </section>
    </article>
  );
}
