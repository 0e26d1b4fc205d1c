import { useEffect, useMemo, useState } from 'react';
import type { ApiProblem } from '../api';
import { formatInstant } from '../format';
import { label, useLanguage, useT } from '../i18n';
import { LiveProvider } from '../live';
import { useApi } from '../session';
import { Brand } from '../shell/Brand';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { getPublicCases, type PublicCaseOut } from '../operations/api';
import { useAreaName } from '../operations/daily/areas';
import { DailyReport, type DailyReportLabels } from '../operations/daily/DailyReport';
import { cutoffOf, DailyActions, useDailyReport } from '../operations/DailyView';
import { useViewState } from '../operations/view-state';
import { IncidentMap } from '../operations/map/IncidentMap';
import { IncidentSet, NO_FILTER, type IncidentRow } from '../operations/map/incidents';
import '../operations/operations.css';

/*
 * The public page: no sign-in. Verified cases only, each at public precision (the server never sends
 * more), on the map and in a list, and the public edition of the daily report. Parties are named by
 * their ids here: the list of parties is for participants.
 */

export const PUBLIC_PATH = '/public';

/** A public case as a map row: the day it happened, its first type, verified. */
export function publicRow(c: PublicCaseOut): IncidentRow | null {
  if (!c.location) return null;
  return {
    id: c.id,
    lon: c.location.lon,
    lat: c.location.lat,
    time: c.occurredOn ? Date.parse(c.occurredOn) : Date.parse(c.verifiedAt),
    type: c.types[0] ?? 'other',
    domain: c.domains[0] ?? 'land',
    status: 'verified',
    source: 'other',
    party: c.attribution?.party ?? null,
    caseKey: c.id,
  };
}

const partyLabel = (id: string) => id.toUpperCase();
const DAY_MS = 24 * 3600_000;

export default function PublicPage() {
  return (
    // The public page listens to no stream (it has no session); the provider only satisfies the hooks it shares.
    <LiveProvider enabled={false}>
      <PublicContent />
    </LiveProvider>
  );
}

function PublicContent() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const [cases, setCases] = useState<readonly PublicCaseOut[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const cutoff = cutoffOf(useViewState().cutoff);
  const daily = useDailyReport(cutoff);
  const area = useAreaName(language, t.live.daily.outsideAreas);
  const labels: DailyReportLabels = { party: partyLabel, area };

  useEffect(() => {
    document.title = `${t.live.public.title} · ${t.app.name}`;
  }, [t]);

  useEffect(() => {
    let cancelled = false;
    void getPublicCases(api).then((result) => {
      if (cancelled) return;
      if (result.ok) setCases(result.value);
      else setProblem(result.problem);
    });
    return () => {
      cancelled = true;
    };
  }, [api]);

  const set = useMemo(() => IncidentSet.from((cases ?? []).flatMap((c) => publicRow(c) ?? [])), [cases]);
  const view = useMemo(() => ({ set, version: 0, indices: set.select(NO_FILTER) }), [set]);
  const precision = cases?.[0]?.precision_m ?? 5000;
  const chosen = selected ? set.indexOf(selected) : undefined;

  return (
    <div className="public-page">
      <header className="public-header">
        <Brand withTagline />
        <div className="public-header-tools">
          <LanguageSwitch />
          <a className="button button-small" href="#/">
            {t.live.public.signIn}
          </a>
        </div>
      </header>
      <main id="main" className="public-main">
        <div className="page-header">
          <h1>{t.live.public.title}</h1>
          <p className="lead">{t.live.public.lead}</p>
        </div>
        <section className="public-map-section" aria-labelledby="public-map-title">
          <h2 id="public-map-title">
            {t.live.public.mapTitle}{' '}
            {cases && (
              <span className="badge badge-count" data-testid="verified-count">
                {t.live.public.verifiedCount(cases.length)}
              </span>
            )}
          </h2>
          <p className="field-hint">{t.live.public.note(precision)}</p>
          {problem && (
            <div className="notice notice-error" role="alert">
              {t.live.public.loadFailed} {problem.detail}
            </div>
          )}
          <IncidentMap
            label={t.live.map.label}
            attribution={t.live.map.attribution}
            language={language === 'uk' ? 'uk' : 'en'}
            incidents={view}
            zones={[]}
            selected={chosen === undefined ? null : set.row(chosen)}
            onSelect={(i) => setSelected(set.ids[i] ?? null)}
            className="public-map"
          />
        </section>
        <section className="public-list panel" aria-labelledby="public-list-title">
          <h2 id="public-list-title">{t.live.public.listTitle}</h2>
          {cases && cases.length === 0 && <p className="empty">{t.live.public.none}</p>}
          {cases && cases.length > 0 && (
            <div className="table-scroll">
              <table className="queue-table public-cases">
                <thead>
                  <tr>
                    <th scope="col">{t.live.queue.columns.id}</th>
                    <th scope="col">{t.live.queue.columns.occurred}</th>
                    <th scope="col">{t.live.queue.columns.type}</th>
                    <th scope="col">{t.operations.location}</th>
                    <th scope="col">{t.live.caseView.attribution}</th>
                    <th scope="col">{t.live.form.casualties}</th>
                  </tr>
                </thead>
                <tbody>
                  {cases.map((c) => (
                    <tr key={c.id} data-case={c.id} aria-selected={selected === c.id || undefined} onClick={() => setSelected(c.id)}>
                      <th scope="row">#{c.number}</th>
                      <td>{c.occurredOn ? formatInstant(c.occurredOn, t.meta.locale).replace(/,?\s*\d{1,2}:\d{2}(:\d{2})?$/, '') : '—'}</td>
                      <td>{c.types.map((x) => label(t.reportTypes, x)).join(', ')}</td>
                      <td className="coords">{c.location ? `${c.location.lat.toFixed(2)}° N, ${c.location.lon.toFixed(2)}° E` : '—'}</td>
                      <td>
                        {c.attribution
                          ? c.attribution.party === null
                            ? t.live.caseView.couldNotAttribute
                            : t.live.caseView.attributedTo(
                                partyLabel(c.attribution.party),
                                t.live.caseView.confidences[c.attribution.confidence],
                              )
                          : '—'}
                      </td>
                      <td>
                        {c.casualties.killed > 0 || c.casualties.injured > 0
                          ? t.live.daily.killedInjured(c.casualties.killed, c.casualties.injured)
                          : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section className="public-daily" aria-labelledby="public-daily-title">
          <div className="public-daily-head">
            <h2 id="public-daily-title">{t.live.daily.title}</h2>
            <div className="daily-buttons">
              <a
                className="button button-small"
                href={`#${PUBLIC_PATH}?cutoff=${encodeURIComponent(new Date(cutoff.getTime() - DAY_MS).toISOString())}`}
              >
                ← {t.live.daily.previousDay}
              </a>
              <a
                className="button button-small"
                href={`#${PUBLIC_PATH}?cutoff=${encodeURIComponent(new Date(cutoff.getTime() + DAY_MS).toISOString())}`}
              >
                {t.live.daily.nextDay} →
              </a>
            </div>
            <DailyActions report={daily.report} labels={labels} precision_m={precision} />
          </div>
          {daily.problem && (
            <div className="notice notice-error" role="alert">
              {t.live.daily.loadFailed} {daily.problem.detail}
            </div>
          )}
          {daily.report && <DailyReport report={daily.report} labels={labels} precision_m={precision} />}
        </section>
      </main>
    </div>
  );
}
