import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ApiClient, ApiProblem, ApiResult } from '../api';
import { formatInstant } from '../format';
import { useLanguage, useT } from '../i18n';
import { partyName, useApi, useSession, useUser } from '../session';
import { PageHeader } from '../shell/PageHeader';
import {
  attestHandover,
  checkTranche,
  confirmTranche,
  declarePersons,
  getIdentity,
  importCsv,
  proposeTranche,
  publishTranche,
  reportPerson,
  stageVerified,
  verifyPerson,
  type Aggregates,
  type Check,
  type Count,
  type Formula,
  type Identity,
  type Person,
  type Published,
  type Reconciliation,
  type Tranche,
} from './api';
import { parsePersonsCsv, type CsvProblem } from '../../core/exchanges/csv';
import { useExchangesT } from './messages';
import { useExchanges } from './use-exchanges';
import './exchanges.css';

/**
 * Prisoner exchanges. The intermediary builds tranches against the formula, reconciles the lists and
 * runs each handover; a bureau keeps its own lists (identities sealed, opened one at a time) and
 * attests handovers; the mediator sees aggregates; everyone else the published counts.
 */
export default function ExchangesPage() {
  const t = useT();
  const x = useExchangesT();
  const user = useUser();
  const view = {
    bureau: user.roles.includes('bureau'),
    intermediary: user.roles.includes('intermediary'),
    mediator: user.roles.includes('mediator'),
  };
  const data = useExchanges(view);
  const formulas = data.formulas.filter((f) => (view.intermediary ? f.intermediary === user.party : f.sides.includes(user.party ?? '')));

  return (
    <article className="page page-wide ex-page">
      <PageHeader title={t.nav.exchanges} lead={x.lead} />
      {data.problem && (
        <p className="ex-problem" role="alert">
          {x.failed} {data.problem.detail}
        </p>
      )}
      {(view.bureau || view.intermediary) && <p className="ex-sealed">{x.sealedNote}</p>}
      {data.aggregates && <Overview aggregates={data.aggregates} />}
      {view.intermediary && <TrancheBuilder formulas={formulas} persons={data.persons} onProposed={data.reload} />}
      {(view.bureau || view.intermediary) && data.reconciliation && <ReconciliationView data={data.reconciliation} />}
      {(view.bureau || view.intermediary) && (
        <Handover tranches={data.tranches} intermediary={view.intermediary} party={user.party} onChanged={data.reload} />
      )}
      {view.bureau && <Lists persons={data.persons} tranches={data.tranches} onChanged={data.reload} />}
      {view.bureau && <Declare side={user.party ?? ''} onDeclared={data.reload} />}
      {!view.bureau && !view.intermediary && <PublishedView published={data.published} />}
    </article>
  );
}

function usePartyLabel(): (id: string) => string {
  const { parties } = useSession();
  return (id) => partyName(parties, id) ?? id;
}

const asNumber = (c: Count | undefined): number => (c === undefined ? 0 : c === '<5' ? 2.5 : c);
const shown = (c: Count | undefined): string => (c === undefined ? '0' : String(c));

/** Runs a command, then reloads; the server's refusal is shown where the command was given. */
function useCommand(onDone: () => void): {
  busy: boolean;
  problem: ApiProblem | null;
  run: (call: (api: ApiClient) => Promise<ApiResult<unknown>>) => Promise<boolean>;
} {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const run = async (call: (api: ApiClient) => Promise<ApiResult<unknown>>) => {
    setBusy(true);
    const r = await call(api);
    setBusy(false);
    setProblem(r.ok ? null : r.problem);
    if (r.ok) onDone();
    return r.ok;
  };
  return { busy, problem, run };
}

// --- at a glance -----------------------------------------------------------------------------------

function Overview({ aggregates }: { aggregates: Aggregates }) {
  const x = useExchangesT();
  const partyLabel = usePartyLabel();
  const open = Object.entries(aggregates.discrepancies).filter(([, n]) => n !== 0);
  return (
    <section className="ex-section" aria-labelledby="ex-overview">
      <h2 id="ex-overview">{x.overview.title}</h2>
      <div className="ex-cards">
        {aggregates.lists.map((l) => (
          <div className="ex-card" key={l.side}>
            <strong className="ex-big">{shown(l.held)}</strong>
            <span>{x.overview.held(partyLabel(l.side))}</span>
            <span className="ex-muted">
              {shown(l.requested)} {x.overview.requested(partyLabel(l.side))}
            </span>
          </div>
        ))}
        <div className="ex-card">
          <strong className="ex-big">{aggregates.tranches.length}</strong>
          <span>{x.overview.tranches}</span>
        </div>
        <div className={`ex-card${open.length ? ' ex-card-warn' : ''}`}>
          <strong className="ex-big">{open.length}</strong>
          <span>{x.overview.discrepancies}</span>
          <ul className="ex-mini">
            {open.map(([kind, n]) => (
              <li key={kind}>
                {x.discrepancy[kind] ?? kind}: {shown(n)}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <TrancheChart aggregates={aggregates} />
    </section>
  );
}

/** Bars per tranche and releasing side: the pale bar is planned, the solid one handed over; "<5" is hatched. */
function TrancheChart({ aggregates }: { aggregates: Aggregates }) {
  const x = useExchangesT();
  const partyLabel = usePartyLabel();
  const sides = [...new Set(aggregates.tranches.flatMap((t) => Object.keys(t.planned)))];
  if (aggregates.tranches.length === 0) return <p className="ex-muted">{x.overview.empty}</p>;
  const max = Math.max(5, ...aggregates.tranches.flatMap((t) => sides.map((s) => asNumber(t.planned[s]))));
  const rowH = 18;
  const left = 150;
  const width = 640;
  const head = 20;
  const scale = (n: number) => (n / max) * (width - left - 70);
  const height = aggregates.tranches.length * (head + sides.length * rowH + 12) + 28;
  let y = 8;
  return (
    <figure className="ex-chart">
      <figcaption>{x.overview.chart}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={x.overview.chart}>
        <defs>
          <pattern id="ex-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#c9d6e6" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#1f5188" strokeWidth="2" />
          </pattern>
        </defs>
        {aggregates.tranches.map((t) => {
          const top = y;
          y += head + sides.length * rowH + 12;
          return (
            <g key={t.tranche}>
              {/* the title on its own line, the state beside it; the bars below */}
              <text x={0} y={top + 13} className="ex-chart-title">
                {t.title}
                <tspan className="ex-chart-sub" dx={8}>
                  {x.trancheState[t.state] ?? t.state}
                </tspan>
              </text>
              {sides.map((s, i) => {
                const by = top + head + i * rowH;
                const planned = t.planned[s];
                const released = t.released[s];
                return (
                  <g key={s}>
                    <text x={left - 8} y={by + 12} textAnchor="end" className="ex-chart-side">
                      {partyLabel(s)}
                    </text>
                    <rect x={left} y={by + 2} width={scale(asNumber(planned))} height={rowH - 6} className="ex-bar-planned" />
                    <rect
                      x={left}
                      y={by + 2}
                      width={scale(asNumber(released))}
                      height={rowH - 6}
                      className={released === '<5' ? 'ex-bar-suppressed' : 'ex-bar-released'}
                    />
                    <text x={left + scale(asNumber(planned)) + 6} y={by + 12} className="ex-chart-value">
                      {shown(released)} / {shown(planned)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
        <g transform={`translate(${left}, ${height - 12})`}>
          <rect width="12" height="10" className="ex-bar-planned" />
          <text x="16" y="9" className="ex-chart-sub">
            {x.overview.planned}
          </text>
          <rect x="110" width="12" height="10" className="ex-bar-released" />
          <text x="126" y="9" className="ex-chart-sub">
            {x.overview.released}
          </text>
          <rect x="240" width="12" height="10" className="ex-bar-suppressed" />
          <text x="256" y="9" className="ex-chart-sub">
            {x.overview.suppressed}
          </text>
        </g>
      </svg>
    </figure>
  );
}

// --- the tranche builder ---------------------------------------------------------------------------

function formulaLabel(f: Formula): string {
  const alt = f.alternative ? ` (${f.alternative.slice(f.clause.length + 1).toUpperCase() || f.alternative})` : '';
  const ratio = f.ratio ? ` ${f.ratio.join(':')}` : '';
  return `${f.id}${alt} — ${f.basis}${ratio}${f.trancheSize ? `, ≤ ${f.trancheSize}` : ''}`;
}

const formulaKey = (f: Formula) => `${f.id}|${f.alternative ?? ''}`;

function TrancheBuilder({ formulas, persons, onProposed }: { formulas: Formula[]; persons: Person[]; onProposed: () => void }) {
  const x = useExchangesT();
  const api = useApi();
  const partyLabel = usePartyLabel();
  const [key, setKey] = useState('');
  const formula = formulas.find((f) => formulaKey(f) === key) ?? formulas[formulas.length - 1] ?? null;
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState<Record<string, string[]>>({});
  const [check, setCheck] = useState<Check | null>(null);
  const [done, setDone] = useState(false);
  const command = useCommand(() => {
    setChosen({});
    setDone(true);
    onProposed();
  });
  const eligible = useMemo(() => {
    const by: Record<string, Person[]> = {};
    for (const p of persons) {
      if (p.list !== 'held' || p.report || p.exchanged || p.refused || p.tranche) continue;
      (by[p.side] ??= []).push(p);
    }
    // the formula's ordered categories first, so "wounded first" is the first thing one sees
    for (const list of Object.values(by)) list.sort((a, b) => Number(b.medicalPriority !== 'none') - Number(a.medicalPriority !== 'none'));
    return by;
  }, [persons]);

  const draft = formula
    ? {
        formula: formula.id,
        ...(formula.alternative ? { alternative: formula.alternative } : {}),
        title: title || 'draft',
        persons: Object.fromEntries(formula.sides.map((s) => [s, chosen[s] ?? []])),
      }
    : null;
  const draftKey = JSON.stringify(draft);
  useEffect(() => {
    if (!draft) return;
    let live = true;
    const timer = setTimeout(() => {
      void checkTranche(api, draft).then((r) => live && setCheck(r.ok ? r.value : null));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // the draft is compared by its JSON, not by identity
  }, [api, draftKey]);

  if (!formula)
    return (
      <section className="ex-section">
        <h2>{x.builder.title}</h2>
        <p>{x.builder.noFormula}</p>
      </section>
    );
  const toggle = (side: string, id: string) =>
    setChosen((c) => ({ ...c, [side]: (c[side] ?? []).includes(id) ? c[side]!.filter((y) => y !== id) : [...(c[side] ?? []), id] }));
  const take = (side: string, n: number) => setChosen((c) => ({ ...c, [side]: (eligible[side] ?? []).slice(0, n).map((p) => p.id) }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (draft) await command.run((a) => proposeTranche(a, { ...draft, title: title.trim() }));
  };
  const total = Math.max(1, ...formula.sides.map((s) => check?.counts[s]?.total ?? 0));
  return (
    <section className="ex-section" aria-labelledby="ex-builder">
      <h2 id="ex-builder">{x.builder.title}</h2>
      <form className="ex-builder" onSubmit={(e) => void submit(e)}>
        <div className="ex-row">
          <label>
            {x.builder.formula}{' '}
            <select value={formulaKey(formula)} onChange={(e) => setKey(e.target.value)}>
              {formulas.map((f) => (
                <option key={formulaKey(f)} value={formulaKey(f)}>
                  {formulaLabel(f)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {x.builder.trancheTitle} <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
          </label>
        </div>
        {formula.categoryRules.length > 0 && (
          <p className="ex-muted">
            {x.builder.rules}:{' '}
            {formula.categoryRules.map((r) => `${x.category[r.category] ?? r.category} (${r.rule}, ${r.order})`).join('; ')}
          </p>
        )}
        <div className="ex-sides">
          {formula.sides.map((side) => (
            <fieldset key={side} className="ex-side">
              <legend>{x.builder.releasedBy(partyLabel(side))}</legend>
              <div className="ex-side-head">
                <span>{x.builder.eligible((eligible[side] ?? []).length)}</span>
                <strong data-testid={`chosen-${side}`}>{x.builder.chosen((chosen[side] ?? []).length)}</strong>
                {[5, 10].map((n) => (
                  <button key={n} type="button" className="button button-small" onClick={() => take(side, n)}>
                    {x.builder.firstN(n)}
                  </button>
                ))}
                <button type="button" className="button button-small" onClick={() => setChosen((c) => ({ ...c, [side]: [] }))}>
                  {x.builder.clear}
                </button>
              </div>
              <ul className="ex-pick">
                {(eligible[side] ?? []).map((p) => (
                  <li key={p.id}>
                    <label>
                      <input type="checkbox" checked={(chosen[side] ?? []).includes(p.id)} onChange={() => toggle(side, p.id)} />{' '}
                      <code>{p.id}</code> <span className="chip">{x.category[p.category] ?? p.category}</span>
                      {p.medicalPriority !== 'none' && (
                        <span className="ex-tag-med">{x.category[p.medicalPriority] ?? p.medicalPriority}</span>
                      )}
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
        </div>
        <div className={`ex-check ${check?.passes ? 'ex-check-ok' : 'ex-check-bad'}`} aria-live="polite" data-testid="formula-check">
          <div className="ex-balance" aria-hidden="true">
            {formula.sides.map((s) => (
              <div key={s} className="ex-balance-row">
                <span>{partyLabel(s)}</span>
                <span className="ex-balance-bar" style={{ width: `${((check?.counts[s]?.total ?? 0) / total) * 100}%` }} />
                <span>{check?.counts[s]?.total ?? 0}</span>
              </div>
            ))}
          </div>
          <strong>{check?.passes ? x.builder.passes : x.builder.fails}</strong>
          <ul>
            {check?.problems.map((p) => (
              <li key={p.rule + p.message}>{p.message}</li>
            ))}
          </ul>
        </div>
        {command.problem && (
          <p className="ex-problem" role="alert">
            {command.problem.detail}
          </p>
        )}
        {done && !command.problem && <p className="ex-ok">{x.builder.proposed}</p>}
        <button className="button button-primary" type="submit" disabled={command.busy || !title.trim()}>
          {x.builder.propose}
        </button>
      </form>
    </section>
  );
}

// --- reconciliation --------------------------------------------------------------------------------

function ReconciliationView({ data }: { data: Reconciliation }) {
  const x = useExchangesT();
  const partyLabel = usePartyLabel();
  const byBasis = new Map<string, number>();
  for (const m of data.matches) byBasis.set(m.basis, (byBasis.get(m.basis) ?? 0) + 1);
  return (
    <section className="ex-section" aria-labelledby="ex-reconciliation">
      <h2 id="ex-reconciliation">{x.reconciliation.title}</h2>
      <p>
        {x.reconciliation.matched(data.matches.length)}
        {byBasis.size > 0 && ` (${[...byBasis].map(([b, n]) => `${x.reconciliation.basis[b] ?? b}: ${n}`).join(', ')})`}
      </p>
      {data.discrepancies.length === 0 ? (
        <p className="ex-muted">{x.reconciliation.none}</p>
      ) : (
        <table className="ex-table" data-testid="discrepancies">
          <thead>
            <tr>
              <th>{x.reconciliation.kind}</th>
              <th>{x.reconciliation.side}</th>
              <th>{x.reconciliation.persons}</th>
              <th>{x.reconciliation.detail}</th>
            </tr>
          </thead>
          <tbody>
            {data.discrepancies.map((d, i) => (
              <tr key={`${d.kind}-${i}`}>
                <td>
                  <span className={`ex-kind ex-kind-${d.kind}`}>{x.discrepancy[d.kind] ?? d.kind}</span>
                </td>
                <td>{partyLabel(d.side)}</td>
                <td>
                  {d.persons.map((p) => (
                    <code key={p}>{p} </code>
                  ))}
                  {d.tranche && <span className="ex-muted">{d.tranche}</span>}
                </td>
                <td>{d.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

// --- the handover checklist ------------------------------------------------------------------------

const STEP_STATES = ['listed', 'verified', 'staged', 'handed-over', 'confirmed'];

function Handover({
  tranches,
  intermediary,
  party,
  onChanged,
}: {
  tranches: Tranche[];
  intermediary: boolean;
  party: string | null;
  onChanged: () => void;
}) {
  const x = useExchangesT();
  const ordered = [...tranches].sort(
    (a, b) => Number(a.state === 'completed') - Number(b.state === 'completed') || b.proposedAt.localeCompare(a.proposedAt),
  );
  return (
    <section className="ex-section" aria-labelledby="ex-handover">
      <h2 id="ex-handover">{x.handover.title}</h2>
      {ordered.length === 0 && <p className="ex-muted">{x.handover.none}</p>}
      {ordered.map((t, i) => (
        <TrancheCard
          key={t.id}
          tranche={t}
          initiallyOpen={i === 0 && t.state !== 'completed'}
          intermediary={intermediary}
          party={party}
          onChanged={onChanged}
        />
      ))}
    </section>
  );
}

function TrancheCard({
  tranche: t,
  initiallyOpen,
  intermediary,
  party,
  onChanged,
}: {
  tranche: Tranche;
  initiallyOpen: boolean;
  intermediary: boolean;
  party: string | null;
  onChanged: () => void;
}) {
  const x = useExchangesT();
  const { language } = useLanguage();
  const partyLabel = usePartyLabel();
  const command = useCommand(onChanged);
  const [counts, setCounts] = useState<Record<string, string>>({});
  // The newest open tranche is unfolded; the others show their step counts until opened.
  const [open, setOpen] = useState(initiallyOpen);
  const reached = (state: string) => t.persons.filter((p) => STEP_STATES.indexOf(p.state) >= STEP_STATES.indexOf(state)).length;
  const removed = t.persons.filter((p) => p.state === 'refused' || p.state === 'unconfirmed').length;
  const attesters = [t.intermediary, ...t.sides];
  const waiting = attesters.filter((p) => !t.attestations.some((a) => a.party === p));
  const mine = t.attestations.find((a) => a.party === party);
  const canAttest = t.state !== 'completed' && Object.values(t.staged).some((n) => n > 0);
  const attest = async (e: FormEvent) => {
    e.preventDefault();
    await command.run((a) => attestHandover(a, t.id, Object.fromEntries(t.sides.map((s) => [s, Number(counts[s] ?? t.staged[s] ?? 0)]))));
  };
  return (
    <div className={`ex-tranche ex-tranche-${t.state}${t.countsDiffer ? ' ex-tranche-differ' : ''}`} data-testid={`tranche-${t.title}`}>
      <header className="ex-tranche-head">
        <button type="button" className="ex-disclose" aria-expanded={open} onClick={() => setOpen(!open)}>
          <strong>{t.title}</strong>
        </button>
        <span className="chip">{x.trancheState[t.state] ?? t.state}</span>
        <span className="ex-muted">
          {t.formula}
          {t.alternative ? ` · ${t.alternative}` : ''} · {formatInstant(t.proposedAt, language)}
        </span>
      </header>
      <ol className="ex-steps" aria-label={x.handover.title}>
        {STEP_STATES.map((s, i) => (
          <li key={s} className={reached(s) > 0 ? 'ex-step-on' : ''}>
            <span className="ex-step-n">{reached(s)}</span> {x.handover.steps[i]}
          </li>
        ))}
        {removed > 0 && (
          <li className="ex-step-removed">
            <span className="ex-step-n">{removed}</span> {x.personState.refused}
          </li>
        )}
      </ol>
      {t.countsDiffer && (
        <p className="ex-problem" role="alert">
          {x.handover.countsDiffer}
        </p>
      )}
      {open && (
        <>
          {t.check && !t.check.passes && (
            <div className="ex-check ex-check-bad">
              <strong>{x.handover.check}</strong>
              <ul>
                {t.check.problems.map((p) => (
                  <li key={p.message}>{p.message}</li>
                ))}
              </ul>
            </div>
          )}
          <table className="ex-table ex-persons">
            <thead>
              <tr>
                <th>{x.handover.person}</th>
                <th>{x.lists.category}</th>
                <th>{x.handover.state}</th>
                {intermediary && t.state !== 'completed' && <th>{x.handover.actions}</th>}
              </tr>
            </thead>
            <tbody>
              {t.persons.map((p) => (
                <tr key={p.id} data-person={p.id}>
                  <td>
                    <code>{p.id}</code> <span className="ex-muted">{partyLabel(p.side)}</span>
                  </td>
                  <td>
                    {x.category[p.category] ?? p.category}
                    {p.medicalPriority !== 'none' && (
                      <span className="ex-tag-med">{x.category[p.medicalPriority] ?? p.medicalPriority}</span>
                    )}
                  </td>
                  <td>
                    <span className={`ex-state ex-state-${p.state}`}>{x.personState[p.state] ?? p.state}</span>
                  </td>
                  {intermediary && t.state !== 'completed' && (
                    <td className="ex-actions">
                      {p.state === 'listed' && (
                        <>
                          <button
                            type="button"
                            className="button button-small"
                            disabled={command.busy}
                            onClick={() => void command.run((a) => verifyPerson(a, t.id, p.id, true, 'consents'))}
                          >
                            {x.handover.consents}
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            disabled={command.busy}
                            onClick={() => void command.run((a) => verifyPerson(a, t.id, p.id, true, 'refuses'))}
                          >
                            {x.handover.refuses}
                          </button>
                          <button
                            type="button"
                            className="button button-small"
                            disabled={command.busy}
                            onClick={() => void command.run((a) => verifyPerson(a, t.id, p.id, false, 'consents'))}
                          >
                            {x.handover.notConfirmed}
                          </button>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="ex-attestations">
            {t.attestations.map((a) => (
              <li key={a.party}>
                {x.handover.attested(partyLabel(a.party), t.sides.map((s) => `${partyLabel(s)} ${a.released[s] ?? 0}`).join(', '))}
              </li>
            ))}
            {waiting.length > 0 && t.state !== 'completed' && (
              <li className="ex-muted">{x.handover.waiting(waiting.map(partyLabel).join(', '))}</li>
            )}
          </ul>
          <div className="ex-row">
            {intermediary && t.state !== 'completed' && t.persons.some((p) => p.state === 'verified') && (
              <button
                type="button"
                className="button"
                disabled={command.busy}
                onClick={() => void command.run((a) => stageVerified(a, t.id))}
              >
                {x.handover.stage}
              </button>
            )}
            {canAttest && (
              <form className="ex-attest" onSubmit={(e) => void attest(e)}>
                {t.sides.map((s) => (
                  <label key={s}>
                    {partyLabel(s)}{' '}
                    <input
                      type="number"
                      min={0}
                      value={counts[s] ?? String(mine?.released[s] ?? t.staged[s] ?? 0)}
                      onChange={(e) => setCounts((c) => ({ ...c, [s]: e.target.value }))}
                    />
                  </label>
                ))}
                <button type="submit" className="button" disabled={command.busy}>
                  {x.handover.attest}
                </button>
              </form>
            )}
            {intermediary && t.state === 'handed-over' && (
              <button
                type="button"
                className="button button-primary"
                disabled={command.busy}
                onClick={() => void command.run((a) => confirmTranche(a, t.id))}
              >
                {x.handover.confirm}
              </button>
            )}
            {intermediary && t.state === 'completed' && !t.published && (
              <button
                type="button"
                className="button"
                disabled={command.busy}
                onClick={() => void command.run((a) => publishTranche(a, t.id))}
              >
                {x.handover.publish}
              </button>
            )}
            {t.published && <span className="chip">{x.handover.published}</span>}
          </div>
          {command.problem && (
            <p className="ex-problem" role="alert">
              {command.problem.detail}
            </p>
          )}
        </>
      )}
    </div>
  );
}

// --- a bureau's own lists --------------------------------------------------------------------------

const ROWS_SHOWN = 40;

function Lists({ persons, tranches, onChanged }: { persons: Person[]; tranches: Tranche[]; onChanged: () => void }) {
  const titles = new Map(tranches.map((t) => [t.id, t.title]));
  const x = useExchangesT();
  const [list, setList] = useState<'held' | 'requested'>('held');
  const rows = persons.filter((p) => p.list === list);
  return (
    <section className="ex-section" aria-labelledby="ex-lists">
      <div className="ex-section-head">
        <h2 id="ex-lists">{x.lists.title}</h2>
        <div role="tablist" className="ex-tabs">
          {(['held', 'requested'] as const).map((l) => (
            <button
              key={l}
              type="button"
              role="tab"
              aria-selected={list === l}
              className={`button button-small${list === l ? ' button-primary' : ''}`}
              onClick={() => setList(l)}
            >
              {x.lists[l]} ({persons.filter((p) => p.list === l).length})
            </button>
          ))}
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="ex-muted">{x.lists.empty}</p>
      ) : (
        <table className="ex-table">
          <thead>
            <tr>
              <th>{x.lists.pseudonym}</th>
              <th>{x.lists.category}</th>
              <th>{x.lists.medical}</th>
              <th>{x.lists.age}</th>
              <th>{x.lists.status}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, ROWS_SHOWN).map((p) => (
              <PersonRow
                key={p.id}
                person={p}
                trancheTitle={p.tranche ? (titles.get(p.tranche) ?? p.tranche) : null}
                onChanged={onChanged}
              />
            ))}
          </tbody>
        </table>
      )}
      {rows.length > ROWS_SHOWN && <p className="ex-muted">{x.lists.more(rows.length - ROWS_SHOWN)}</p>}
    </section>
  );
}

function PersonRow({ person: p, trancheTitle, onChanged }: { person: Person; trancheTitle: string | null; onChanged: () => void }) {
  const x = useExchangesT();
  const api = useApi();
  const command = useCommand(onChanged);
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const status = p.exchanged
    ? x.lists.exchanged
    : p.refused
      ? x.lists.refused
      : p.report
        ? x.lists.reported(p.report)
        : p.tranche
          ? x.lists.inTranche(trancheTitle ?? p.tranche)
          : '';
  const reveal = async () => {
    if (identity) return setIdentity(null);
    const r = await getIdentity(api, p.id);
    setIdentity(r.ok ? r.value.identity : null);
    setProblem(r.ok ? null : r.problem.detail);
  };
  return (
    <tr data-person={p.id}>
      <td>
        <code>{p.id}</code>
        {identity && (
          <div className="ex-identity" data-testid="identity">
            {identity.familyName} {identity.givenName} {identity.patronymic ?? ''}
            <span className="ex-muted">
              {' '}
              {identity.dateOfBirth ?? ''} {identity.rank ?? ''} {identity.serialNumber ?? ''}
            </span>
          </div>
        )}
        {problem && <div className="ex-problem">{problem}</div>}
      </td>
      <td>{x.category[p.category] ?? p.category}</td>
      <td>{p.medicalPriority !== 'none' ? <span className="ex-tag-med">{x.category[p.medicalPriority]}</span> : '—'}</td>
      <td>{p.ageBand}</td>
      <td>{status}</td>
      <td className="ex-actions">
        <button type="button" className="button button-small" onClick={() => void reveal()}>
          {identity ? x.lists.hide : x.lists.open}
        </button>
        {p.list === 'held' && !p.report && !p.exchanged && (
          <button
            type="button"
            className="button button-small"
            disabled={command.busy}
            onClick={() => void command.run((a) => reportPerson(a, p.id, 'dead'))}
          >
            {x.lists.reportDead}
          </button>
        )}
      </td>
    </tr>
  );
}

function Declare({ side, onDeclared }: { side: string; onDeclared: () => void }) {
  const x = useExchangesT();
  const [list, setList] = useState<'held' | 'requested'>('held');
  const [form, setForm] = useState({
    familyName: '',
    givenName: '',
    dateOfBirth: '',
    serialNumber: '',
    category: 'prisoner-of-war',
    medicalPriority: 'none',
    ageBand: 'unknown',
    homeState: side === 'ua' ? 'ru' : 'ua',
  });
  const [declared, setDeclared] = useState<string | null>(null);
  const [csv, setCsv] = useState('');
  const [imported, setImported] = useState<number | null>(null);
  const one = useCommand(onDeclared);
  const many = useCommand(onDeclared);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const identity: Record<string, string> = { familyName: form.familyName, givenName: form.givenName };
    if (form.dateOfBirth) identity.dateOfBirth = form.dateOfBirth;
    if (form.serialNumber) identity.serialNumber = form.serialNumber;
    let id: string | null = null;
    const ok = await one.run(async (a) => {
      const r = await declarePersons(a, list, [
        { category: form.category, medicalPriority: form.medicalPriority, ageBand: form.ageBand, homeState: form.homeState, identity },
      ]);
      if (r.ok) id = r.value.persons[0] ?? null;
      return r;
    });
    if (ok) {
      setDeclared(id);
      setForm((f) => ({ ...f, familyName: '', givenName: '', dateOfBirth: '', serialNumber: '' }));
    }
  };
  const [problems, setProblems] = useState<CsvProblem[]>([]);
  const upload = async (e: FormEvent) => {
    e.preventDefault();
    // The same parser as the server's: every positioned problem at once, before anything is sent.
    const local = parsePersonsCsv(csv);
    setProblems(local.ok ? [] : local.problems);
    if (!local.ok) return;
    let n = 0;
    const ok = await many.run(async (a) => {
      const r = await importCsv(a, list, csv);
      if (r.ok) n = r.value.persons.length;
      return r;
    });
    if (ok) {
      setImported(n);
      setCsv('');
    }
  };
  return (
    <section className="ex-section ex-declare" aria-labelledby="ex-declare">
      <div className="ex-section-head">
        <h2 id="ex-declare">{x.declare.title}</h2>
        <label>
          {x.declare.list}{' '}
          <select value={list} onChange={(e) => setList(e.target.value as 'held' | 'requested')}>
            <option value="held">{x.lists.held}</option>
            <option value="requested">{x.lists.requested}</option>
          </select>
        </label>
      </div>
      <div className="ex-two">
        <form onSubmit={(e) => void submit(e)} className="ex-form" autoComplete="off">
          <label>
            {x.declare.familyName}
            <input value={form.familyName} onChange={set('familyName')} required />
          </label>
          <label>
            {x.declare.givenName}
            <input value={form.givenName} onChange={set('givenName')} required />
          </label>
          <label>
            {x.declare.dateOfBirth}
            <input value={form.dateOfBirth} onChange={set('dateOfBirth')} placeholder="1994-03-12" />
          </label>
          <label>
            {x.declare.serialNumber}
            <input value={form.serialNumber} onChange={set('serialNumber')} />
          </label>
          <label>
            {x.declare.category}
            <select value={form.category} onChange={set('category')}>
              <option value="prisoner-of-war">{x.category['prisoner-of-war']}</option>
              <option value="civilian-detainee">{x.category['civilian-detainee']}</option>
            </select>
          </label>
          <label>
            {x.declare.medical}
            <select value={form.medicalPriority} onChange={set('medicalPriority')}>
              <option value="none">—</option>
              <option value="seriously-wounded">{x.category['seriously-wounded']}</option>
              <option value="seriously-sick">{x.category['seriously-sick']}</option>
            </select>
          </label>
          <label>
            {x.declare.ageBand}
            <select value={form.ageBand} onChange={set('ageBand')}>
              {['unknown', 'under-18', '18-25', '26-35', '36-45', '46-60', 'over-60'].map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </label>
          <label>
            {x.declare.homeState}
            <input value={form.homeState} onChange={set('homeState')} required pattern="[a-z]{2}" />
          </label>
          {one.problem && (
            <p className="ex-problem" role="alert">
              {one.problem.detail}
            </p>
          )}
          {declared && !one.problem && <p className="ex-ok">{x.declare.done(declared)}</p>}
          <button type="submit" className="button button-primary" disabled={one.busy}>
            {x.declare.submit}
          </button>
        </form>
        <form onSubmit={(e) => void upload(e)} className="ex-form">
          <h3>{x.declare.csvTitle}</h3>
          <p className="ex-muted">{x.declare.csvHelp}</p>
          <textarea value={csv} onChange={(e) => setCsv(e.target.value)} rows={8} aria-label={x.declare.csvTitle} spellCheck={false} />
          {(problems.length > 0 || many.problem) && (
            <div className="ex-problem" role="alert" data-testid="csv-problems">
              {problems.length ? (
                <ul>
                  {problems.map((p) => (
                    <li key={`${p.line}-${p.column}-${p.message}`}>{x.declare.csvProblem(p.line, p.column, p.message)}</li>
                  ))}
                </ul>
              ) : (
                many.problem?.detail
              )}
            </div>
          )}
          {imported !== null && !many.problem && problems.length === 0 && <p className="ex-ok">{x.declare.csvDone(imported)}</p>}
          <button type="submit" className="button" disabled={many.busy || !csv.trim()}>
            {x.declare.csvSubmit}
          </button>
        </form>
      </div>
    </section>
  );
}

// --- published counts ------------------------------------------------------------------------------

function PublishedView({ published }: { published: Published | null }) {
  const x = useExchangesT();
  const { language } = useLanguage();
  const partyLabel = usePartyLabel();
  return (
    <section className="ex-section" aria-labelledby="ex-published">
      <h2 id="ex-published">{x.published.title}</h2>
      {!published || published.published.length === 0 ? (
        <p className="ex-muted">{x.published.none}</p>
      ) : (
        <ul className="ex-published">
          {published.published.map((p) => (
            <li key={p.tranche}>
              <strong>{p.title}</strong> <span className="ex-muted">{formatInstant(p.publishedAt, language)}</span>
              <div>
                {Object.entries(p.released).map(([side, n]) => (
                  <span key={side} className="ex-pub-count">
                    <strong>{shown(n)}</strong> {x.published.releasedBy(partyLabel(side))}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
