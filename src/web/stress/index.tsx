import { useEffect, useRef, useState, type FormEvent } from 'react';
import { getFramework, getFrameworkVersion, newIdempotencyKey, problemAt, type ApiProblem } from '../api';
import { useApi, useUser } from '../session';
import { PageHeader } from '../shell/PageHeader';
import { attachRun, cancelRun, FINISHED, getRun, getScenarios, startRun, type Run, type StressResult } from './api';
import { Bars, FateBar, pct, Series } from './charts';
import { ComparisonTable } from './ClauseComparison';
import { useStressT } from './messages';
import { grouped, MoneyView } from './MoneyView';
import './stress.css';

/**
 * The stress-test page: pick a scenario (the example's, or your own YAML), the runs and the seed,
 * optionally a bracketed clause whose alternatives to compare; watch the runs progress (polled every
 * half second), read the result as figures and charts, and attach a comparison to its clause.
 */
export default function StressTestPage() {
  const t = useStressT();
  const api = useApi();
  const user = useUser();
  const [scenarios, setScenarios] = useState<{ name: string; text: string }[]>([]);
  const [example, setExample] = useState('reheating');
  const [yaml, setYaml] = useState('');
  const [runs, setRuns] = useState(100);
  const [seed, setSeed] = useState(2026);
  const [clauses, setClauses] = useState<string[]>([]);
  const [compare, setCompare] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const poll = useRef<number | null>(null);
  const canRun = ['mediator', 'delegate', 'signer', 'guarantor', 'monitor'].some((r) => user.roles.includes(r as never));
  const canAttach = ['mediator', 'delegate', 'signer'].some((r) => user.roles.includes(r as never));

  useEffect(() => {
    void getScenarios(api).then((r) => {
      if (!r.ok) return setProblem(r.problem);
      setScenarios(r.value.scenarios);
      const first = r.value.scenarios.find((s) => s.name === 'reheating') ?? r.value.scenarios[0];
      if (first) {
        setExample(first.name);
        setYaml(first.text);
      }
    });
    // The bracketed clauses of the latest text: what a comparison can be asked of.
    void getFramework(api).then(async (r) => {
      if (!r.ok || r.value.versions.length === 0) return;
      const latest = r.value.versions[r.value.versions.length - 1]!;
      const doc = await getFrameworkVersion(api, latest.number);
      if (!doc.ok) return;
      const ids: string[] = [];
      for (const ch of doc.value.document.chapters)
        for (const a of ch.articles) for (const c of a.clauses) if (c.status === 'bracketed') ids.push(c.id);
      setClauses(ids);
    });
  }, [api]);

  useEffect(() => () => stopPolling(), []);

  function stopPolling() {
    if (poll.current !== null) window.clearInterval(poll.current);
    poll.current = null;
  }

  function follow(id: string) {
    stopPolling();
    poll.current = window.setInterval(() => {
      void getRun(api, id).then((r) => {
        if (!r.ok) return;
        setRun(r.value);
        if (FINISHED.includes(r.value.state)) stopPolling();
      });
    }, 500);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    const chosen = scenarios.find((s) => s.name === example);
    // An unedited example goes by name (examples may replay a file the server holds).
    const source = chosen && chosen.text === yaml ? { example } : { scenario: yaml };
    const r = await startRun(api, { ...source, runs, seed, ...(compare ? { compare } : {}) });
    setBusy(false);
    if (!r.ok) return setProblem(r.problem);
    setRun({ ...r.value, results: [], comparison: null });
    follow(r.value.id);
  }

  async function cancel() {
    if (!run) return;
    const r = await cancelRun(api, run.id);
    if (!r.ok) setProblem(r.problem);
  }

  async function attach() {
    if (!run) return;
    const r = await attachRun(api, run.id, newIdempotencyKey());
    if (!r.ok) return setProblem(r.problem);
    const fresh = await getRun(api, run.id);
    if (fresh.ok) setRun(fresh.value);
  }

  const running = run !== null && !FINISHED.includes(run.state);
  return (
    <div className="st-page">
      <PageHeader title={t.title} lead={t.lead} />
      <div className="st-top">
        <form className="st-section st-launch" onSubmit={(e) => void submit(e)} aria-labelledby="st-launch-title">
          <h2 id="st-launch-title">{t.launch.title}</h2>
          <div className="st-row">
            <div className="field">
              <label htmlFor="st-example">{t.launch.scenario}</label>
              <select
                id="st-example"
                value={example}
                onChange={(e) => {
                  setExample(e.target.value);
                  const s = scenarios.find((x) => x.name === e.target.value);
                  if (s) setYaml(s.text);
                }}
              >
                {scenarios.map((s) => (
                  <option key={s.name} value={s.name}>
                    {titleOf(s.text) ?? s.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="st-runs">{t.launch.runs}</label>
              <input
                id="st-runs"
                type="number"
                min={1}
                max={20000}
                value={runs}
                onChange={(e) => setRuns(Number(e.target.value))}
                aria-invalid={problemAt(problem, '/runs')}
              />
            </div>
            <div className="field">
              <label htmlFor="st-seed">{t.launch.seed}</label>
              <input id="st-seed" type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
            </div>
            <div className="field">
              <label htmlFor="st-compare">{t.launch.compare}</label>
              <select
                id="st-compare"
                value={compare}
                onChange={(e) => setCompare(e.target.value)}
                aria-invalid={problemAt(problem, '/compare')}
              >
                <option value="">{t.launch.noCompare}</option>
                {clauses.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <details className="st-yaml">
            <summary>{t.launch.yaml}</summary>
            <textarea
              id="st-yaml"
              aria-label={t.launch.yaml}
              value={yaml}
              spellCheck={false}
              rows={16}
              onChange={(e) => setYaml(e.target.value)}
              aria-invalid={problemAt(problem, '/scenario')}
            />
          </details>
          {problem && (
            <p role="alert" className="st-problem">
              {problem.detail}
            </p>
          )}
          <div className="st-actions">
            <button type="submit" className="button button-primary" disabled={busy || running || !canRun}>
              {busy ? t.launch.starting : t.launch.start}
            </button>
            <span className="muted">{t.launch.sameSeed}</span>
          </div>
        </form>
        {run && (
          <section className="st-section st-progress" aria-labelledby="st-progress-title" data-testid="stress-progress">
            <h2 id="st-progress-title">{t.progress.title}</h2>
            <p>
              <strong data-testid="stress-state">{t.progress.states[run.state] ?? run.state}</strong> · {run.scenario.title}
              {run.clause ? ` · ${run.clause}` : ''}
            </p>
            <progress max={run.total} value={run.done} aria-label={t.progress.runs(run.done, run.total)} />
            <p className="muted">
              {t.progress.runs(run.done, run.total)} · {run.message}
            </p>
            {running && (
              <button type="button" className="button button-small" onClick={() => void cancel()}>
                {t.progress.cancel}
              </button>
            )}
          </section>
        )}
      </div>
      {run?.comparison && (
        <section className="st-section" data-testid="stress-comparison" aria-label={t.comparison.title(run.comparison.clause)}>
          <div className="st-section-head">
            <h2>{t.comparison.title(run.comparison.clause)}</h2>
            {run.attached ? (
              <span className="st-attached">{t.comparison.attached}</span>
            ) : (
              canAttach && (
                <button type="button" className="button button-primary button-small" onClick={() => void attach()}>
                  {t.comparison.attach}
                </button>
              )
            )}
          </div>
          <ComparisonTable comparison={run.comparison} />
        </section>
      )}
      {run && run.results.length > 0 && (
        <div className={run.results.length > 1 ? 'st-arms st-arms-2' : 'st-arms'}>
          {run.results.map((r) => (
            <ResultView key={r.alternative ?? 'text'} label={r.label} result={r.result} />
          ))}
        </div>
      )}
    </div>
  );
}

function titleOf(yaml: string): string | null {
  return /^title:\s*(.+)$/m.exec(yaml)?.[1]?.trim() ?? null;
}

function ResultView({ label, result }: { readonly label: string | null; readonly result: StressResult }) {
  const t = useStressT();
  const m = result.metrics;
  const cards: [string, string, boolean, boolean?][] = [
    [pct(m.reachedShare), t.result.reached, false],
    [`${t.hours(m.firstResponse.p50Hours)} / ${t.hours(m.firstResponse.p90Hours)}`, t.result.response, false],
    [`${m.gapBreaches.perRun}`, t.result.gaps, m.gapBreaches.perRun > 0],
    [
      `${m.escalationsPerRun.deadEnd} / ${m.escalationsPerRun.veto}`,
      t.result.stuck,
      m.escalationsPerRun.deadEnd + m.escalationsPerRun.veto > 0,
    ],
    [`${m.falseTriggersPerRun}`, t.result.falseTriggers, m.falseTriggersPerRun > 0],
    [`${m.daysHeld.mean}`, t.result.held(m.daysHeld.of), false],
  ];
  if (!m.money) cards.push([t.result.notModelled, t.result.money, false, true]);
  const maxClause = Math.max(1, ...result.clauses.map((c) => c.perRun));
  return (
    <section className="st-section st-result" data-testid="stress-result" aria-label={t.result.title(label)}>
      <h2>
        {t.result.title(label)} <span className="muted st-variant">{result.framework.variant}</span>
      </h2>
      <div className="st-cards">
        {cards.map(([value, words, alarm, note]) => (
          <div key={words} className={`st-card${alarm ? ' st-alarm' : ''}${note ? ' st-note' : ''}`}>
            <b>{value}</b>
            <span>{words}</span>
          </div>
        ))}
        {m.money && (
          <div className="st-card st-card-money" data-testid="stress-money-card">
            {m.money.currencies.map((c) => (
              <b key={c.currency}>
                {c.currency} {grouped(c.expected)}
              </b>
            ))}
            <span>{t.result.money}</span>
          </div>
        )}
      </div>
      {m.gapBreaches.cells.length > 0 && (
        <p className="st-gap" data-testid="stress-gaps">
          {t.result.gapCells}: {m.gapBreaches.cells.map((c) => `${c.cell.split('|').join(' × ')} (${c.perRun})`).join('; ')}
        </p>
      )}
      <h3>{t.result.fates}</h3>
      <FateBar fates={m.fates} words={t.fates} />
      <div className="st-charts">
        <figure>
          <figcaption>{t.result.responseHist}</figcaption>
          <Bars histogram={result.distributions.firstResponseHours} colour="#1f5188" label={t.result.responseHist} />
        </figure>
        <figure>
          <figcaption>{t.result.series}</figcaption>
          <Series a={result.series.breaches} b={result.series.escalations} labels={[t.result.breaches, t.result.escalations]} />
        </figure>
      </div>
      {m.money && <MoneyView money={m.money} days={result.scenario.days} />}
      <h3>{t.result.clauses}</h3>
      {result.clauses.length === 0 ? (
        <p className="muted">{t.result.noClauses}</p>
      ) : (
        <ul className="st-clauses">
          {result.clauses.map((c) => (
            <li key={c.clause}>
              <span className="st-clause-id">{c.clause}</span>
              <svg width="100%" height="12" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true">
                <rect width={(c.perRun / maxClause) * 100} height={12} fill="#ab2317" />
              </svg>
              <span>
                {c.perRun}{' '}
                <span className="muted">
                  (
                  {(['gap', 'deadEnd', 'veto', 'missedRungs', 'falseTriggers'] as const)
                    .filter((k) => c[k] > 0)
                    .map((k) => `${t.result.kinds[k]} ${c[k]}`)
                    .join(', ')}
                  )
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
