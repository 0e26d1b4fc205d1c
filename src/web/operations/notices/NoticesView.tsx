import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { newIdempotencyKey, problemAt, type ApiProblem } from '../../api';
import { formatInstant, utcTitle } from '../../format';
import { label, useLanguage, useT } from '../../i18n';
import { useJournalEvents, useLiveEpoch } from '../../live';
import { partyName, useApi, useSession, useUser } from '../../session';
import { Field } from '../../shell/Field';
import type { NoticeMessages } from './messages';
import { useNoticeMessages } from './messages-hook';
import { acknowledgeNotice, listAlerts, listNotices, notifyMovement, notifySite, type AlertOut, type NoticeOut } from './notices-api';
import { PickMap, type PickTarget } from './PickMap';
import { toInstant } from './time';
import type { LonLat } from '../map/IncidentMap';
import './notices.css';

/*
 * Humanitarian notices: organisations notify sites and movements, party delegates acknowledge receipt
 * (never approval), everyone signed in follows the list. It follows the journal: any notice event or a
 * notified place struck reloads the lists (once per burst), so an acknowledgement shows within a second.
 */

const NOTICE_EVENT = /^(site\.|movement\.|notice\.)/;
const REFRESH_MS = 150;
const SITE_KINDS = ['hospital', 'school', 'water', 'shelter', 'warehouse', 'distribution-point', 'office', 'other'] as const;
const ACTIVITIES = ['land-movement', 'sea-movement', 'air-movement'] as const;

interface Loaded {
  readonly notices: readonly NoticeOut[];
  readonly awaiting: readonly NoticeOut[];
  readonly alerts: readonly AlertOut[];
  readonly problem: ApiProblem | null;
}

function useNoticeLists(party: string | null, delegate: boolean): Loaded {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [refresh, setRefresh] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>({ notices: [], awaiting: [], alerts: [], problem: null });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  useEffect(() => {
    let cancelled = false;
    void Promise.all([
      listNotices(api),
      delegate && party ? listNotices(api, { awaiting: party }) : Promise.resolve(null),
      listAlerts(api),
    ]).then(([all, awaiting, alerts]) => {
      if (cancelled) return;
      if (!all.ok) return setLoaded((l) => ({ ...l, problem: all.problem }));
      setLoaded({
        notices: all.value.notices,
        awaiting: awaiting?.ok ? awaiting.value.notices : [],
        alerts: alerts.ok ? alerts.value : [],
        problem: null,
      });
    });
    return () => {
      cancelled = true;
    };
  }, [api, party, delegate, epoch, refresh]);
  useJournalEvents((event) => {
    if (!NOTICE_EVENT.test(event.type) || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      setRefresh((k) => k + 1);
    }, REFRESH_MS);
  });
  return loaded;
}

/** The current time, once a second: deadlines count down. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

export default function NoticesView() {
  const t = useNoticeMessages();
  const user = useUser();
  const humanitarian = user.roles.includes('humanitarian');
  const delegate = user.roles.includes('delegate');
  const { notices, awaiting, alerts, problem } = useNoticeLists(user.party, delegate);
  return (
    <div className="hn-view">
      {humanitarian && <Compose t={t} />}
      {delegate && user.party && <Awaiting t={t} notices={awaiting} />}
      {alerts.length > 0 && (
        <section className="hn-alerts" aria-labelledby="hn-alerts-title" data-testid="notice-alerts">
          <h2 id="hn-alerts-title">{t.alertsTitle}</h2>
          <ul>
            {alerts.map((a) => (
              <AlertLine key={a.position} t={t} alert={a} />
            ))}
          </ul>
        </section>
      )}
      <NoticeList t={t} notices={notices} problem={problem} />
    </div>
  );
}

/** The two notification forms beside one map, which fills whichever form is picking. */
function Compose({ t }: { readonly t: NoticeMessages }) {
  const [target, setTarget] = useState<PickTarget>(null);
  const [sitePlace, setSitePlace] = useState<LonLat | null>(null);
  const [routePoint, setRoutePoint] = useState<RoutePoint | null>(null);
  const onPick = useCallback(
    (place: LonLat) => {
      if (target === 'site') setSitePlace(place);
      else if (target === 'route') setRoutePoint((p) => ({ n: (p?.n ?? 0) + 1, ...place }));
    },
    [target],
  );
  const toggle = (which: Exclude<PickTarget, null>) => setTarget((current) => (current === which ? null : which));
  return (
    <div className="hn-compose">
      <div className="hn-compose-forms">
        <SiteForm t={t} picked={sitePlace} picking={target === 'site'} onPicking={() => toggle('site')} />
        <MovementForm t={t} routePoint={routePoint} drawing={target === 'route'} onDrawing={() => toggle('route')} />
      </div>
      <div className="hn-compose-map">
        <PickMap t={t} target={target} onPick={onPick} picked={target === 'site' ? sitePlace : null} />
      </div>
    </div>
  );
}

interface RoutePoint extends LonLat {
  /** Counts the clicks, so the same point clicked twice is still added twice. */
  readonly n: number;
}

function AlertLine({ t, alert }: { readonly t: NoticeMessages; readonly alert: AlertOut }) {
  const common = useT();
  return (
    <li title={utcTitle(alert.report.occurredAt)}>
      {t.alert(
        alert.name,
        alert.report.type ? label(common.reportTypes, alert.report.type) : '—',
        alert.distance_m,
        formatInstant(alert.report.occurredAt, common.meta.locale),
      )}
    </li>
  );
}

function When({ iso }: { readonly iso: string }) {
  const locale = useT().meta.locale;
  return (
    <time dateTime={iso} title={utcTitle(iso)}>
      {formatInstant(iso, locale)}
    </time>
  );
}

function NoticeList({
  t,
  notices,
  problem,
}: {
  readonly t: NoticeMessages;
  readonly notices: readonly NoticeOut[];
  readonly problem: ApiProblem | null;
}) {
  const { parties } = useSession();
  return (
    <section aria-labelledby="hn-list-title" className="hn-list">
      <h2 id="hn-list-title">{t.listTitle}</h2>
      {problem && <p className="notice notice-error">{`${t.loadFailed} ${problem.detail}`}</p>}
      {notices.length === 0 && !problem ? (
        <p className="empty">{t.listEmpty}</p>
      ) : (
        <table className="hn-table">
          <thead>
            <tr>
              <th scope="col">{t.columns.name}</th>
              <th scope="col">{t.columns.status}</th>
              <th scope="col">{t.columns.window}</th>
              <th scope="col">{t.columns.parties}</th>
            </tr>
          </thead>
          <tbody>
            {notices.map((notice) => (
              <tr
                key={notice.id}
                data-notice-id={notice.id}
                data-status={notice.status}
                className={notice.strikes > 0 ? 'hn-row hn-row-struck' : 'hn-row'}
              >
                <td>
                  <strong>{notice.name}</strong>
                  <br />
                  <span className="hn-sub">
                    {notice.kind === 'site'
                      ? (t.siteKinds[notice.siteKind ?? 'other'] ?? notice.siteKind)
                      : (t.activities[notice.activity] ?? notice.activity)}
                    {' · '}
                    {notice.organisation}
                  </span>
                  {notice.strikes > 0 && <p className="hn-struck">{t.struck(notice.strikes)}</p>}
                </td>
                <td>
                  <span className={`hn-status hn-status-${notice.status}`} data-testid="notice-status">
                    {t.statuses[notice.status] ?? notice.status}
                  </span>
                </td>
                <td>
                  <When iso={notice.from} /> – <When iso={notice.until} />
                </td>
                <td>
                  <ul className="hn-parties">
                    {notice.acknowledgement.parties.map((p) => (
                      <li key={p.party} data-party={p.party} data-state={p.state} className={`hn-party hn-party-${p.state}`}>
                        {partyName(parties, p.party) ?? p.party}: {t.partyStates[p.state] ?? p.state}
                        {p.late ? ` (${t.late})` : ''}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Awaiting({ t, notices: awaiting }: { readonly t: NoticeMessages; readonly notices: readonly NoticeOut[] }) {
  const api = useApi();
  const { language } = useLanguage();
  const now = useNow();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ id: string; problem: ApiProblem } | null>(null);
  // Acknowledged here: kept in the list (marked) until the page is left, so the delegate sees what was done
  // even after the live reload has dropped them from "awaiting".
  const [done, setDone] = useState<ReadonlyMap<string, NoticeOut>>(new Map());
  const notices = [...awaiting, ...[...done.values()].filter((d) => !awaiting.some((a) => a.id === d.id))];
  // The server's own words for what an acknowledgement means, so the interface cannot drift from the API.
  const served = notices[0]?.acknowledgement.meaning;
  const meaning = served ? (language === 'uk' ? served.uk : served.en) : t.awaiting.meaning;
  const acknowledge = useCallback(
    async (notice: NoticeOut) => {
      setBusy(notice.id);
      const result = await acknowledgeNotice(api, notice.id, newIdempotencyKey());
      setBusy(null);
      if (!result.ok) return setProblem({ id: notice.id, problem: result.problem });
      setProblem(null);
      setDone((d) => new Map(d).set(notice.id, notice));
    },
    [api],
  );
  return (
    <section className="hn-awaiting" aria-labelledby="hn-awaiting-title" data-testid="notices-awaiting">
      <h2 id="hn-awaiting-title">{t.awaiting.title}</h2>
      <p className="hn-meaning">{meaning}</p>
      {notices.length === 0 ? (
        <p className="empty">{t.awaiting.empty}</p>
      ) : (
        <ul className="hn-awaiting-list">
          {notices.map((notice) => {
            const left = Date.parse(notice.acknowledgement.deadline) - now;
            const acknowledged = done.has(notice.id);
            return (
              <li key={notice.id} data-notice-id={notice.id} className="hn-awaiting-item">
                <div>
                  <strong>{notice.name}</strong> <span className="hn-sub">{notice.organisation}</span>
                  <br />
                  {!acknowledged && (
                    <span
                      className={left < 0 ? 'hn-deadline hn-deadline-overdue' : 'hn-deadline'}
                      title={utcTitle(notice.acknowledgement.deadline)}
                    >
                      {left < 0 ? t.awaiting.overdue(t.duration(-left)) : t.awaiting.dueIn(t.duration(left))}
                    </span>
                  )}
                  {problem?.id === notice.id && <p className="field-error">{`${t.awaiting.failed} ${problem.problem.detail}`}</p>}
                </div>
                {acknowledged ? (
                  <span className="hn-party hn-party-acknowledged">{t.awaiting.acknowledged}</span>
                ) : (
                  <button
                    type="button"
                    className="button button-primary"
                    disabled={busy === notice.id}
                    onClick={() => void acknowledge(notice)}
                  >
                    {t.awaiting.acknowledge}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Outcome({
  t,
  problem,
  notified,
}: {
  readonly t: NoticeMessages;
  readonly problem: ApiProblem | null;
  readonly notified: string | null;
}) {
  if (notified)
    return (
      <p className="notice notice-info" role="status">
        {t.notified(notified)}
      </p>
    );
  // A problem without a field to sit next to is shown under the form.
  if (problem && !problem.pointer) return <p className="notice notice-error" role="alert">{`${t.failed} ${problem.detail}`}</p>;
  return null;
}

function fieldError(problem: ApiProblem | null, ...pointers: string[]): string | null {
  return problem && pointers.some((p) => problemAt(problem, p)) ? problem.detail : null;
}

function SiteForm({
  t,
  picked,
  picking,
  onPicking,
}: {
  readonly t: NoticeMessages;
  readonly picked: LonLat | null;
  readonly picking: boolean;
  readonly onPicking: () => void;
}) {
  const api = useApi();
  const [kind, setKind] = useState<string>('hospital');
  const [name, setName] = useState('');
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [contact, setContact] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [notified, setNotified] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per intended notice: a double click or a retry is answered once.
  const key = useRef(newIdempotencyKey());
  // A place picked on the map fills the coordinates (which stay editable).
  useEffect(() => {
    if (!picked) return;
    setLon(String(picked.lon));
    setLat(String(picked.lat));
  }, [picked]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setNotified(null);
    const from = toInstant(validFrom);
    const result = await notifySite(
      api,
      {
        kind,
        name: name.trim(),
        location: { lon: Number(lon), lat: Number(lat) },
        ...(from ? { validFrom: from } : {}),
        validUntil: toInstant(validUntil) ?? '',
        ...(contact.trim() ? { contact: contact.trim() } : {}),
      },
      key.current,
    );
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotified(name.trim());
    key.current = newIdempotencyKey();
    setName('');
  }

  return (
    <form className="form hn-form" onSubmit={(e) => void submit(e)} aria-labelledby="hn-site-title" noValidate>
      <h2 id="hn-site-title">{t.site.title}</h2>
      <Field id="hn-site-kind" label={t.site.kind} error={fieldError(problem, '/kind')}>
        {(c) => (
          <select {...c} value={kind} onChange={(e) => setKind(e.target.value)}>
            {SITE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t.siteKinds[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="hn-site-name" label={t.site.name} error={fieldError(problem, '/name')}>
        {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <div className="field-row">
        <Field id="hn-site-lon" label={t.site.lon} hint={t.site.locationHint} error={fieldError(problem, '/location/lon', '/location')}>
          {(c) => <input {...c} inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} required />}
        </Field>
        <Field id="hn-site-lat" label={t.site.lat} error={fieldError(problem, '/location/lat')}>
          {(c) => <input {...c} inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} required />}
        </Field>
      </div>
      <button type="button" className="button button-small" aria-pressed={picking} onClick={onPicking}>
        {picking ? t.pick.stop : t.pick.pickSite}
      </button>
      <div className="field-row">
        <Field id="hn-site-from" label={t.site.validFrom} hint={t.site.validFromHint} error={fieldError(problem, '/validFrom')}>
          {(c) => <input {...c} type="datetime-local" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />}
        </Field>
        <Field id="hn-site-until" label={t.site.validUntil} error={fieldError(problem, '/validUntil')}>
          {(c) => <input {...c} type="datetime-local" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} required />}
        </Field>
      </div>
      <Field id="hn-site-contact" label={t.site.contact} error={fieldError(problem, '/contact')}>
        {(c) => <input {...c} value={contact} onChange={(e) => setContact(e.target.value)} />}
      </Field>
      <Outcome t={t} problem={problem} notified={notified} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t.site.submit}
      </button>
    </form>
  );
}

/** "lon, lat" per line (or separated by semicolons) to route coordinates; null when fewer than two valid points. */
export function parseRoute(text: string): [number, number][] | null {
  const points: [number, number][] = [];
  for (const part of text.split(/[\n;]+/)) {
    if (!part.trim()) continue;
    const [a, b, ...rest] = part.split(/[,\s]+/).filter(Boolean);
    const lon = Number(a);
    const lat = Number(b);
    if (rest.length > 0 || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
    points.push([lon, lat]);
  }
  return points.length >= 2 ? points : null;
}

function MovementForm({
  t,
  routePoint,
  drawing,
  onDrawing,
}: {
  readonly t: NoticeMessages;
  readonly routePoint: RoutePoint | null;
  readonly drawing: boolean;
  readonly onDrawing: () => void;
}) {
  const api = useApi();
  const [activity, setActivity] = useState<string>('land-movement');
  const [name, setName] = useState('');
  const [route, setRoute] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [vehicleKind, setVehicleKind] = useState('truck');
  const [count, setCount] = useState('1');
  const [markings, setMarkings] = useState('');
  const [routeError, setRouteError] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [notified, setNotified] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  // Each point clicked on the map is added to the route as a line of the text, which stays editable.
  useEffect(() => {
    if (!routePoint) return;
    setRoute((r) => `${r.trim() ? `${r.trimEnd()}\n` : ''}${routePoint.lon}, ${routePoint.lat}`);
  }, [routePoint]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setNotified(null);
    const coordinates = parseRoute(route);
    if (!coordinates) return setRouteError(t.movement.routeInvalid);
    setRouteError(null);
    setBusy(true);
    const result = await notifyMovement(
      api,
      {
        activity,
        name: name.trim(),
        route: { type: 'LineString', coordinates },
        window: { from: toInstant(from) ?? '', until: toInstant(until) ?? '' },
        vehicles: [
          { kind: vehicleKind.trim() || 'vehicle', count: Number(count) || 1, ...(markings.trim() ? { markings: markings.trim() } : {}) },
        ],
      },
      key.current,
    );
    setBusy(false);
    if (!result.ok) return setProblem(result.problem);
    setProblem(null);
    setNotified(name.trim());
    key.current = newIdempotencyKey();
    setName('');
  }

  return (
    <form className="form hn-form" onSubmit={(e) => void submit(e)} aria-labelledby="hn-move-title" noValidate>
      <h2 id="hn-move-title">{t.movement.title}</h2>
      <Field id="hn-move-activity" label={t.movement.activity} error={fieldError(problem, '/activity')}>
        {(c) => (
          <select {...c} value={activity} onChange={(e) => setActivity(e.target.value)}>
            {ACTIVITIES.map((a) => (
              <option key={a} value={a}>
                {t.activities[a]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="hn-move-name" label={t.movement.name} error={fieldError(problem, '/name')}>
        {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field id="hn-move-route" label={t.movement.route} hint={t.movement.routeHint} error={routeError ?? fieldError(problem, '/route')}>
        {(c) => <textarea {...c} rows={3} value={route} onChange={(e) => setRoute(e.target.value)} required />}
      </Field>
      <div className="hn-buttons">
        <button type="button" className="button button-small" aria-pressed={drawing} onClick={onDrawing}>
          {drawing ? t.pick.stop : t.pick.drawRoute}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => setRoute('')} disabled={route === ''}>
          {t.pick.clearRoute}
        </button>
      </div>
      <div className="field-row">
        <Field id="hn-move-from" label={t.movement.from} error={fieldError(problem, '/window/from', '/window')}>
          {(c) => <input {...c} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />}
        </Field>
        <Field id="hn-move-until" label={t.movement.until} error={fieldError(problem, '/window/until')}>
          {(c) => <input {...c} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} required />}
        </Field>
      </div>
      <div className="field-row">
        <Field id="hn-move-vehicles" label={t.movement.vehicleKind} error={fieldError(problem, '/vehicles')}>
          {(c) => <input {...c} value={vehicleKind} onChange={(e) => setVehicleKind(e.target.value)} />}
        </Field>
        <Field id="hn-move-count" label={t.movement.vehicleCount}>
          {(c) => <input {...c} type="number" min={1} value={count} onChange={(e) => setCount(e.target.value)} />}
        </Field>
        <Field id="hn-move-markings" label={t.movement.markings}>
          {(c) => <input {...c} value={markings} onChange={(e) => setMarkings(e.target.value)} />}
        </Field>
      </div>
      <Outcome t={t} problem={problem} notified={notified} />
      <button type="submit" className="button button-primary" disabled={busy}>
        {t.movement.submit}
      </button>
    </form>
  );
}
