import { useEffect, useState } from 'react';
import type { ApiProblem } from '../api';
import { formatInstant } from '../format';
import { useLanguage } from '../i18n';
import { useJournalEvents } from '../live';
import { useApi } from '../session';
import { getComparisons, isStressEvent, type AttachedComparison, type Comparison } from './api';
import { pct } from './charts';
import { useStressT, type StressMessages } from './messages';
import { grouped } from './MoneyView';
import './stress.css';

/**
 * Stress-test evidence on a clause of the negotiating workspace: each comparison attached to it, its
 * findings in sentences and its alternatives side by side. Refreshes when a comparison is attached
 * (the live stream carries the event to every participant).
 */
export function ClauseComparison({ clause }: { readonly clause: string }) {
  const api = useApi();
  const t = useStressT();
  const { language } = useLanguage();
  const [list, setList] = useState<AttachedComparison[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [generation, setGeneration] = useState(0);
  useJournalEvents((e) => {
    if (isStressEvent(e.type)) setGeneration((g) => g + 1);
  });
  useEffect(() => {
    let live = true;
    void getComparisons(api, clause).then((r) => {
      if (!live) return;
      if (r.ok) setList(r.value.comparisons);
      else setProblem(r.problem);
    });
    return () => {
      live = false;
    };
  }, [api, clause, generation]);

  if (problem) return <p role="alert">{problem.detail}</p>;
  if (!list) return null;
  return (
    <section className="st-clause" data-testid="clause-comparison" aria-label={t.comparison.title(clause)}>
      <h3>{t.comparison.title(clause)}</h3>
      {list.length === 0 && <p className="muted">{t.comparison.none}</p>}
      {[...list].reverse().map((c) => (
        <div key={c.id} className="st-clause-item">
          <p className="muted">
            {t.comparison.runs(c.runs, c.scenario.title, c.seed)} · {t.comparison.by(c.attachedBy, formatInstant(c.attachedAt, language))}
          </p>
          <ComparisonTable comparison={c} />
        </div>
      ))}
    </section>
  );
}

/** Findings first, then the alternatives side by side, the better figure of each row marked. */
export function ComparisonTable({ comparison: c }: { readonly comparison: Comparison }) {
  const t = useStressT();
  const rows = [...comparisonRows(t), ...moneyRows(c, t)];
  return (
    <>
      <ul className="st-findings">
        {c.findings.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <table className="st-compare">
        <thead>
          <tr>
            <th>{t.comparison.metric}</th>
            {c.arms.map((a) => (
              <th key={a.alternative} data-alternative={a.alternative}>
                {a.label} <span className="muted">({a.alternative})</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const values = c.arms.map((a) => row.value(a.metrics));
            const best = row.better === 'higher' ? Math.max(...values) : Math.min(...values);
            const differ = new Set(values).size > 1;
            return (
              <tr key={row.label}>
                <th>{row.label}</th>
                {c.arms.map((a, i) => (
                  <td key={a.alternative} className={differ ? (values[i] === best ? 'st-better' : 'st-worse') : undefined}>
                    {row.show(a.metrics)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

type Metrics = Comparison['arms'][number]['metrics'];
function comparisonRows(
  t: StressMessages,
): { label: string; better: 'higher' | 'lower'; value: (m: Metrics) => number; show: (m: Metrics) => string }[] {
  return [
    { label: t.result.reached, better: 'higher', value: (m) => m.reachedShare, show: (m) => pct(m.reachedShare) },
    {
      label: t.result.gaps,
      better: 'lower',
      value: (m) => m.gapBreachesPerRun,
      show: (m) => `${m.gapBreachesPerRun} (${pct(m.gapShare)})`,
    },
    {
      label: t.result.response,
      better: 'lower',
      value: (m) => m.firstResponseP50Hours ?? Infinity,
      show: (m) => `${t.hours(m.firstResponseP50Hours)} / ${t.hours(m.firstResponseP90Hours)}`,
    },
    {
      label: t.result.stuck,
      better: 'lower',
      value: (m) => m.deadEndPerRun + m.vetoPerRun,
      show: (m) => `${m.deadEndPerRun} / ${m.vetoPerRun}`,
    },
    { label: t.result.falseTriggers, better: 'lower', value: (m) => m.falseTriggersPerRun, show: (m) => `${m.falseTriggersPerRun}` },
  ];
}

/** One row per currency the tranches are in: the mean unlocked a run (exact string shown; the number only marks the better). */
function moneyRows(c: Comparison, t: StressMessages): ReturnType<typeof comparisonRows> {
  const currencies = [...new Set(c.arms.flatMap((a) => (a.metrics.moneyUnlocked ?? []).map((m) => m.currency)))].sort();
  const expected = (m: Metrics, currency: string) => m.moneyUnlocked?.find((x) => x.currency === currency)?.expected ?? '0';
  return currencies.map((currency) => ({
    label: `${t.result.money} (${currency})`,
    better: 'higher' as const,
    value: (m: Metrics) => Number(expected(m, currency)),
    show: (m: Metrics) => `${currency} ${grouped(expected(m, currency))}`,
  }));
}
