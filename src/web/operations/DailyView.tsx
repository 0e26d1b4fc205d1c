import { useEffect, useState } from 'react';
import type { ApiProblem } from '../api';
import { toDateTimeLocal } from '../format';
import { useLanguage, useT } from '../i18n';
import { useJournalEvents, useLiveEpoch } from '../live';
import { partyName, useApi, useSession } from '../session';
import { Field } from '../shell/Field';
import { getDailyReport, type DailyReportOut } from './api';
import { useAreaName } from './daily/areas';
import { DailyReport, type DailyReportLabels } from './daily/DailyReport';
import { useZonesInForce } from './use-incidents';
import { viewHref } from './view-state';

/*
 * The daily report for the 24 hours to a cut-off, as a page; "Print / save as PDF" prints just the
 * report (the print stylesheet hides the rest), and "Download PDF" makes a real PDF in the browser.
 */

const DAY_MS = 24 * 3600_000;

/** The cut-off in the address, else the last full hour. */
export function cutoffOf(param: string | null, now = new Date()): Date {
  const given = param ? new Date(param) : null;
  if (given && !Number.isNaN(given.getTime())) return given;
  const d = new Date(now);
  d.setMinutes(0, 0, 0);
  return d;
}

export function useDailyReport(cutoff: Date): { report: DailyReportOut | null; problem: ApiProblem | null; loading: boolean } {
  const api = useApi();
  const epoch = useLiveEpoch();
  const [state, setState] = useState<{ report: DailyReportOut | null; problem: ApiProblem | null; loading: boolean }>({
    report: null,
    problem: null,
    loading: true,
  });
  const [refresh, setRefresh] = useState(0);
  const iso = cutoff.toISOString();
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    void getDailyReport(api, iso).then((result) => {
      if (cancelled) return;
      setState(
        result.ok ? { report: result.value, problem: null, loading: false } : { report: null, problem: result.problem, loading: false },
      );
    });
    return () => {
      cancelled = true;
    };
  }, [api, iso, epoch, refresh]);
  // A report filed into the window, or a case moving, changes the report.
  useJournalEvents((event) => {
    if (event.type.startsWith('case.') || event.type.startsWith('report.') || event.type.startsWith('monitor.')) setRefresh((n) => n + 1);
  });
  return state;
}

export async function downloadPdf(make: () => Promise<Uint8Array>, filename: string): Promise<void> {
  const bytes = await make();
  const blob = new Blob([bytes.slice().buffer], { type: 'application/pdf' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function DailyActions({
  report,
  labels,
  precision_m,
}: {
  readonly report: DailyReportOut | null;
  readonly labels: DailyReportLabels;
  readonly precision_m: number | null;
}) {
  const t = useT();
  const [making, setMaking] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <div className="daily-actions">
      <button type="button" className="button" onClick={() => window.print()} disabled={!report}>
        {t.live.daily.print}
      </button>
      <button
        type="button"
        className="button"
        disabled={!report || making}
        aria-busy={making || undefined}
        onClick={() => {
          if (!report) return;
          setMaking(true);
          setFailed(null);
          void downloadPdf(
            async () => (await import('./daily/pdf')).dailyReportPdf(report, t, labels, precision_m),
            `entente-daily-report-${report.cutoff.slice(0, 16).replace(/[:T]/g, '-')}.pdf`,
          )
            .catch((error: unknown) => setFailed(`${t.live.daily.pdfFailed} ${error instanceof Error ? error.message : String(error)}`))
            .finally(() => setMaking(false));
        }}
      >
        {making ? t.live.daily.downloading : t.live.daily.download}
      </button>
      {failed && (
        <p className="field-error" role="alert">
          {failed}
        </p>
      )}
    </div>
  );
}

export default function DailyView({ cutoff: param }: { readonly cutoff: string | null }) {
  const t = useT();
  const { language } = useLanguage();
  const { parties } = useSession();
  const api = useApi();
  const cutoff = cutoffOf(param);
  const [typed, setTyped] = useState(toDateTimeLocal(cutoff));
  const { report, problem, loading } = useDailyReport(cutoff);
  const zones = useZonesInForce(api);
  const area = useAreaName(language, t.live.daily.outsideAreas);
  const labels: DailyReportLabels = { party: (id) => partyName(parties, id) ?? id, area };

  const cutoffMs = cutoff.getTime();
  useEffect(() => setTyped(toDateTimeLocal(new Date(cutoffMs))), [cutoffMs]);

  const go = (d: Date) => {
    window.location.hash = viewHref('daily', { cutoff: d.toISOString() }).slice(1);
  };

  return (
    <section className="daily-view" aria-busy={loading || undefined}>
      <form
        className="daily-controls panel"
        onSubmit={(e) => {
          e.preventDefault();
          const d = new Date(typed);
          if (!Number.isNaN(d.getTime())) go(d);
        }}
      >
        <Field id="daily-cutoff" label={t.live.daily.cutoff} hint={t.live.daily.cutoffHint}>
          {(p) => <input {...p} type="datetime-local" value={typed} onChange={(e) => setTyped(e.target.value)} />}
        </Field>
        <div className="daily-buttons">
          <button type="submit" className="button button-primary">
            {t.live.daily.show}
          </button>
          <button type="button" className="button" onClick={() => go(new Date(cutoff.getTime() - DAY_MS))}>
            ← {t.live.daily.previousDay}
          </button>
          <button type="button" className="button" onClick={() => go(new Date(cutoff.getTime() + DAY_MS))}>
            {t.live.daily.nextDay} →
          </button>
        </div>
        <DailyActions report={report} labels={labels} precision_m={zones.zones?.publicPrecision_m ?? null} />
      </form>
      {problem && (
        <div className="notice notice-error" role="alert">
          {t.live.daily.loadFailed} {problem.detail}
        </div>
      )}
      {report && <DailyReport report={report} labels={labels} precision_m={zones.zones?.publicPrecision_m ?? null} />}
    </section>
  );
}
