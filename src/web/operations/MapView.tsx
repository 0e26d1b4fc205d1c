import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { POLICY } from '../../core/access/policy';
import type { ApiProblem, Report } from '../api';
import { formatInstant } from '../format';
import { label, useLanguage, useT } from '../i18n';
import { useConnectionState, useJournalEvents, useLiveEpoch } from '../live';
import { useApi, useUser } from '../session';
import { IncidentDetails } from './IncidentDetails';
import { noticeFeatures, useNotices, type MapAlert } from './notices';
import { Legend } from './Legend';
import { Filters, filterOf, NO_CHOICES, Timeline, type Choices, type TimeState } from './MapControls';
import { IncidentMap, type LonLat } from './map/IncidentMap';
import { mergeReport, reportFromEvent } from './report-event';
import { OutboxCount } from './OutboxPanel';
import { ReportFeed } from './ReportFeed';
import { ReportForm } from './ReportForm';
import { useIncidents, useZonesInForce } from './use-incidents';

/*
 * The live map: incidents (clustered, filtered, in a time window) over the oblasts and the zones of
 * the framework in force; beside it the latest reports and the form to file one, whose place can be
 * picked on this same map.
 */

const FRESH_MS = 2_500;
const FEED_SIZE = 30;
const FILING_ROLES: readonly string[] = POLICY['report.file'].roles;

export function MapView() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const user = useUser();
  const incidents = useIncidents(api);
  const zones = useZonesInForce(api);
  const notices = useNotices(api);
  const noticeLayer = useMemo(() => (notices.available ? noticeFeatures(notices.notices, notices.alerts) : null), [notices]);
  const [choices, setChoices] = useState<Choices>(NO_CHOICES);
  const [time, setTime] = useState<TimeState>({ window: 'all', until: null });
  const [selected, setSelected] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [place, setPlace] = useState<LonLat | null>(null);
  const mayFile = user.roles.some((role) => FILING_ROLES.includes(role));

  useEffect(() => {
    performance.mark('ops:map:start');
  }, []);

  const { set, version } = incidents;
  const range = useMemo(() => set.timeRange(), [set, version]);
  const filter = useMemo(() => filterOf(choices, time, range ? range[1] : null), [choices, time, range]);
  const view = useMemo(() => {
    const indices = set.select(filter);
    performance.mark('ops:incidents:selected');
    return { set, version, indices };
  }, [set, version, filter]);
  const parties = useMemo(() => [...set.parties].sort(), [set, version]);

  const selectedIndex = selected === null ? undefined : set.indexOf(selected);
  const selectedRow = selectedIndex === undefined ? null : set.row(selectedIndex);

  const onFirstRender = useCallback(() => {
    performance.mark('ops:map:first-render');
    try {
      performance.measure('ops:map:first-render', 'ops:map:start', 'ops:map:first-render');
    } catch {
      // The start mark is missing when the page was already open; the mark alone still tells the time.
    }
  }, []);

  // Esc stops picking a place.
  useEffect(() => {
    if (!picking) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setPicking(false);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [picking]);

  // Picking happens on the map above the form: bring the map into view.
  useEffect(() => {
    if (picking) document.querySelector('.map-frame')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [picking]);

  const onPick = useCallback((at: LonLat) => {
    setPlace(at);
    setPicking(false);
  }, []);

  return (
    <div className="ops-map-layout">
      <section className="ops-map-main" aria-labelledby="map-title">
        <h2 id="map-title" className="visually-hidden">
          {t.live.views.map}
        </h2>
        <div className="map-status" role="status">
          {incidents.loading && set.size === 0 ? (
            <span>{t.live.map.loading}</span>
          ) : (
            <span className="map-count" data-shown={view.indices.length} data-total={set.size}>
              {t.live.map.shown(view.indices.length, set.size)}
            </span>
          )}
          {zones.zones && (
            <span className="map-zones-note">
              {t.live.map.zonesOf(zones.zones.version, formatInstant(zones.zones.since, t.meta.locale))}
              {zones.zones.features.some((f) => f.properties.illustrative) && ` ${t.live.map.illustrative}`}
            </span>
          )}
          {!zones.loading && !zones.zones && !zones.problem && <span>{t.live.map.noFramework}</span>}
        </div>
        {incidents.problem && <Problem text={t.live.map.loadFailed} problem={incidents.problem} onRetry={incidents.reload} />}
        {zones.problem && <Problem text={t.live.map.zonesFailed} problem={zones.problem} />}
        {notices.alerts.length > 0 && <StruckAlerts alerts={notices.alerts} />}
        <div className={`map-frame${picking ? ' map-picking' : ''}`}>
          <IncidentMap
            label={t.live.map.label}
            attribution={t.live.map.attribution}
            language={language === 'uk' ? 'uk' : 'en'}
            incidents={view}
            zones={zones.zones?.features ?? []}
            notices={noticeLayer}
            selected={selectedRow}
            onSelect={(i) => setSelected(set.ids[i] ?? null)}
            onPick={picking ? onPick : null}
            picked={place}
            onFirstRender={onFirstRender}
          />
          {picking && <p className="map-pick-banner">{t.live.form.picking}</p>}
        </div>
        <Timeline range={range} time={time} onChange={setTime} />
        {selectedRow && <IncidentDetails row={selectedRow} onClose={() => setSelected(null)} />}
        <div className="ops-below-map">
          <LiveFeed />
          <section className={`panel panel-form${mayFile ? ' panel-form-active' : ''}`} aria-labelledby="form-title">
            <h2 id="form-title">{t.operations.formTitle}</h2>
            <OutboxCount />
            {mayFile ? (
              <>
                <p className="section-intro">{t.operations.formIntro}</p>
                <ReportForm picked={place} onPlace={setPlace} picking={picking} onPickingChange={setPicking} />
              </>
            ) : (
              <p className="notice notice-info">{t.operations.cannotFile}</p>
            )}
          </section>
        </div>
      </section>
      <aside className="ops-side">
        <Filters choices={choices} parties={parties} onChange={setChoices} />
        <Legend zones={zones.zones} notices={notices.available} />
      </aside>
    </div>
  );
}

const ALERTS_SHOWN = 3;

/** The latest alerts of notified places struck, above the map: what must not be missed. */
function StruckAlerts({ alerts }: { readonly alerts: readonly MapAlert[] }) {
  const t = useT();
  return (
    <section className="notice notice-error struck-alerts" aria-labelledby="struck-title" data-alerts={alerts.length}>
      <h3 id="struck-title">{t.live.notices.alertsTitle}</h3>
      <ul>
        {alerts.slice(0, ALERTS_SHOWN).map((a) => (
          <li key={a.position}>
            {t.live.notices.alert(
              a.name,
              a.organisation,
              a.report.type ? label(t.reportTypes, a.report.type) : '—',
              a.distance_m,
              formatInstant(a.report.occurredAt, t.meta.locale),
            )}
          </li>
        ))}
      </ul>
      {alerts.length > ALERTS_SHOWN && <p>{t.live.notices.more(alerts.length - ALERTS_SHOWN)}</p>}
    </section>
  );
}

function Problem({ text, problem, onRetry }: { readonly text: string; readonly problem: ApiProblem; readonly onRetry?: () => void }) {
  const t = useT();
  return (
    <div className="notice notice-error" role="alert">
      <p>
        {text} {problem.code === 'network' ? t.errors.network : problem.detail}
      </p>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          {t.app.retry}
        </button>
      )}
    </div>
  );
}

function newestFirst(a: Report, b: Report): number {
  return b.position - a.position;
}

/** The latest reports with their narratives, live. */
function LiveFeed() {
  const t = useT();
  const api = useApi();
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
    setReports((live) => {
      const listed = new Set(result.value.map((r) => r.id));
      return [...result.value, ...live.filter((r) => !listed.has(r.id))].sort(newestFirst).slice(0, FEED_SIZE);
    });
  }, [api]);

  useEffect(() => {
    void load();
  }, [load, epoch]);

  // What was filed while the stream was down shows after a reload: reload when it comes back.
  const wasConnected = useRef(true);
  useEffect(() => {
    if (connection === 'connected' && !wasConnected.current) void load();
    wasConnected.current = connection === 'connected';
  }, [connection, load]);

  useJournalEvents((event) => {
    const report = reportFromEvent(event);
    if (!report) return;
    setReports((current) => mergeReport(current, report).slice(0, FEED_SIZE));
    setFresh((current) => new Set(current).add(report.position));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setFresh((current) => {
        const next = new Set(current);
        next.delete(report.position);
        return next;
      });
    }, FRESH_MS);
    timers.current.add(timer);
  });

  return (
    <section className="panel feed-panel" aria-labelledby="feed-title" aria-busy={loading || undefined}>
      <h2 id="feed-title">{t.live.feed.title}</h2>
      <p className="section-intro">{t.live.feed.intro}</p>
      {problem && <Problem text={t.operations.feedFailed} problem={problem} onRetry={() => void load()} />}
      {loading && reports.length === 0 && <p className="loading">{t.app.loading}</p>}
      {!loading && !problem && reports.length === 0 && <p className="empty">{t.operations.feedEmpty}</p>}
      <ReportFeed reports={reports} fresh={fresh} />
    </section>
  );
}
