import { useEffect, useRef, useState, type FormEvent } from 'react';
import { newIdempotencyKey, problemAt, type ApiProblem } from '../api';
import { formatInstant, utcTitle } from '../format';
import { label, useLanguage, useT } from '../i18n';
import { useApi, useSession, useUser, partyName } from '../session';
import { Field } from '../shell/Field';
import { PageHeader } from '../shell/PageHeader';
import { GAP_MAP_SVG, POSITIONS_CSV, getPositions, recordPosition, type GapMap, type Position, type PositionList } from './api';
import { GRADIENT, SHARING, cellTone, gradientPoint, trendGeometry, type Sharing } from './gradient';
import { useNegotiationT, type NegotiationMessages } from './messages';
import { CommentThread, MergePanel, ProposalsPanel } from './proposals';
import { ROW_PX, VIEWPORT_PX, visibleRows } from './rows';
import { TestedClauses } from './tested';
import { useNegotiation } from './use-negotiation';
import { ClauseComparison } from '../stress/ClauseComparison';
import './negotiation.css';

type Clause = import('../../core/framework/model').Clause;
type Localised = Readonly<Record<string, string>>;

function pick(text: Localised | undefined, language: string): string {
  if (!text) return '';
  return text[language] ?? text.en ?? Object.values(text)[0] ?? '';
}

/**
 * The negotiating workspace: the gap map (clause × party, coloured by the gradient of agreement, with
 * the gap and the open brackets), a clause's alternatives side by side with the positions the reader
 * may see and the form to record the reader's own, the weekly trend, and for the mediator the zone of
 * possible agreement and the console. Every number comes from the server, which computes it only from
 * positions this reader may see.
 */
export default function NegotiationPage() {
  const t = useT();
  const n = useNegotiationT();
  const user = useUser();
  const isMediator = user.roles.includes('mediator');
  const data = useNegotiation(isMediator);
  const [selected, setSelected] = useState<string | null>(null);

  return (
    <article className="page page-wide ng-page">
      <PageHeader title={t.nav.negotiation} lead={n.lead} />
      {data.problem && (
        <p className="ng-problem" role="alert">
          {n.failed} {data.problem.detail}
        </p>
      )}
      {isMediator && (
        <div className="ng-mediator" aria-label={n.console.title} role="region">
          <ZopaPanel zopa={data.zopa} />
          <ConsolePanel data={data.console} onSelect={setSelected} />
        </div>
      )}
      {isMediator && <MergePanel clauses={data.clauses} generation={data.generation} onMerged={data.reload} onSelect={setSelected} />}
      <GapMapTable gapMap={data.gapMap} selected={selected} onSelect={setSelected} />
      {selected && (
        <ClauseDetail
          key={selected}
          clauseId={selected}
          clause={data.clauses.get(selected) ?? null}
          generation={data.generation}
          onClose={() => setSelected(null)}
          onRecorded={data.reload}
        />
      )}
      <TrendChart weeks={data.trend?.weeks ?? []} />
    </article>
  );
}

/** "c-ceasefire-start-a" on clause "c-ceasefire-start" is shown as "A": the cell is small. */
export function alternativeLabel(clause: string, alternative: string): string {
  return alternative.startsWith(`${clause}-`) ? alternative.slice(clause.length + 1).toUpperCase() : alternative;
}

function usePartyLabel(): (id: string) => string {
  const { parties } = useSession();
  return (id) => partyName(parties, id) ?? id;
}

function GapMapTable({ gapMap, selected, onSelect }: { gapMap: GapMap | null; selected: string | null; onSelect: (c: string) => void }) {
  const n = useNegotiationT();
  const partyLabel = usePartyLabel();
  const [scrollTop, setScrollTop] = useState(0);
  const rows = visibleRows(gapMap?.clauses.length ?? 0, scrollTop);
  return (
    <section className="ng-section" aria-labelledby="ng-gap-title">
      <div className="ng-section-head">
        <h2 id="ng-gap-title">{n.gapMap.title}</h2>
        <span className="ng-exports">
          <a href={POSITIONS_CSV} download>
            {n.gapMap.exportCsv}
          </a>
          <a href={GAP_MAP_SVG} download>
            {n.gapMap.exportSvg}
          </a>
        </span>
      </div>
      {!gapMap ? (
        <p className="muted">{n.gapMap.loading}</p>
      ) : gapMap.clauses.length === 0 ? (
        <p className="muted">{n.gapMap.empty}</p>
      ) : (
        <div
          className={`ng-scroll${rows.virtual ? ' ng-virtual' : ''}`}
          style={rows.virtual ? { maxHeight: VIEWPORT_PX } : undefined}
          onScroll={rows.virtual ? (e) => setScrollTop(e.currentTarget.scrollTop) : undefined}
          data-testid="gap-map-scroll"
        >
          <table className="ng-gap-map" data-testid="gap-map" data-rows={gapMap.clauses.length} aria-rowcount={gapMap.clauses.length + 1}>
            <caption>{n.gapMap.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{n.gapMap.clause}</th>
                {gapMap.parties.map((p) => (
                  <th scope="col" key={p} title={partyLabel(p)}>
                    {p.toUpperCase()}
                  </th>
                ))}
                <th scope="col">{n.gapMap.gap}</th>
                <th scope="col">{n.gapMap.brackets}</th>
              </tr>
            </thead>
            <tbody>
              {rows.before > 0 && <tr className="ng-spacer" style={{ height: rows.before * ROW_PX }} aria-hidden="true" />}
              {gapMap.clauses.slice(rows.first, rows.last).map((row, i) => (
                <tr
                  key={row.clause}
                  className={selected === row.clause ? 'ng-row-selected' : undefined}
                  data-clause={row.clause}
                  aria-rowindex={rows.first + i + 2}
                >
                  <th scope="row">
                    <button
                      type="button"
                      className="ng-clause-link"
                      onClick={() => onSelect(row.clause)}
                      aria-label={n.gapMap.select(row.clause)}
                    >
                      <span className="ng-clause-id">{row.clause}</span> <span className="ng-clause-title">{row.title}</span>
                    </button>
                  </th>
                  {gapMap.parties.map((p) => {
                    const cell = row.cells[p] ?? null;
                    const point = cell ? gradientPoint(cell.gradient) : null;
                    const text = cell ? label(n.gradient, cell.gradient) : n.gapMap.noPosition;
                    return (
                      <td
                        key={p}
                        className={`ng-cell ${cellTone(cell?.gradient ?? null)}`}
                        data-cell={`${row.clause}|${p}`}
                        data-gradient={cell?.gradient ?? ''}
                        title={`${partyLabel(p)}: ${text}${cell?.alternative ? ` (${cell.alternative})` : ''}`}
                      >
                        {cell ? (point ?? cell.gradient) : '·'}
                        {cell?.alternative && <span className="ng-cell-alt">{alternativeLabel(row.clause, cell.alternative)}</span>}
                        <span className="visually-hidden">{text}</span>
                      </td>
                    );
                  })}
                  <td className="ng-gap" data-gap={row.clause}>
                    {row.gap ? (
                      <>
                        {n.gapMap.spread(row.gap.spread)}
                        {row.gap.blocks > 0 && <span className="ng-blocks"> · {n.gapMap.blocks(row.gap.blocks)}</span>}
                      </>
                    ) : (
                      n.gapMap.noGap
                    )}
                  </td>
                  <td className="ng-brackets">{row.openBrackets}</td>
                </tr>
              ))}
              {rows.after > 0 && <tr className="ng-spacer" style={{ height: rows.after * ROW_PX }} aria-hidden="true" />}
            </tbody>
          </table>
        </div>
      )}
      {gapMap && gapMap.alignment.length > 0 && (
        <div className="ng-alignment">
          <h3>{n.gapMap.alignment}</h3>
          <ul>
            {gapMap.alignment.map((a) => (
              <li key={`${a.a}-${a.b}`}>
                {a.a.toUpperCase()} ↔ {a.b.toUpperCase()}: <meter min={0} max={1} value={a.score} /> {Math.round(a.score * 100)}%
              </li>
            ))}
          </ul>
        </div>
      )}
      <Legend n={n} />
    </section>
  );
}

function Legend({ n }: { n: NegotiationMessages }) {
  return (
    <ul className="ng-legend" aria-label="Legend">
      {GRADIENT.map((g) => (
        <li key={g}>
          <span className={`ng-swatch ${cellTone(g)}`} aria-hidden="true" />
          {n.gradient[g]}
        </li>
      ))}
    </ul>
  );
}

function ClauseDetail({
  clauseId,
  clause,
  generation,
  onClose,
  onRecorded,
}: {
  clauseId: string;
  clause: Clause | null;
  generation: number;
  onClose: () => void;
  onRecorded: () => void;
}) {
  const n = useNegotiationT();
  const api = useApi();
  const user = useUser();
  const { language } = useLanguage();
  const partyLabel = usePartyLabel();
  const [list, setList] = useState<PositionList | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const canRecord = user.party !== null && (user.roles.includes('delegate') || user.roles.includes('signer'));

  useEffect(() => {
    let live = true;
    void getPositions(api, clauseId).then((r) => {
      if (!live) return;
      if (r.ok) {
        setList(r.value);
        setProblem(null);
      } else setProblem(r.problem);
    });
    return () => {
      live = false;
    };
  }, [api, clauseId, generation]);

  const alternatives = clause?.alternatives ?? [];
  return (
    <section className="ng-section ng-detail" aria-labelledby="ng-detail-title" data-testid="clause-detail">
      <div className="ng-section-head">
        <h2 id="ng-detail-title">{n.detail.title(clauseId)}</h2>
        <button type="button" className="button button-small button-quiet" onClick={onClose}>
          {n.detail.closed}
        </button>
      </div>
      {clause && (
        <div className="ng-texts">
          <div className="ng-text">
            <h3>{n.detail.text}</h3>
            <p>{pick(clause.text, language)}</p>
          </div>
          {alternatives.length > 0 && (
            <div className="ng-alternatives" aria-label={n.detail.alternatives}>
              {alternatives.map((alt) => (
                <div className="ng-alternative" key={alt.id} data-alternative={alt.id}>
                  <h3>
                    {alt.label ?? alt.id} <span className="muted">({alt.id})</span>
                  </h3>
                  <p>{pick(alt.text, language)}</p>
                  <p className="muted">{n.detail.proposedBy(alt.proposedBy.map((p) => p.toUpperCase()).join(', '))}</p>
                </div>
              ))}
            </div>
          )}
        </div>
      )}
      <ClauseComparison clause={clauseId} />
      <h3>{n.detail.positions}</h3>
      {problem && <p role="alert">{problem.detail}</p>}
      {list && list.positions.length === 0 && <p className="muted">{n.detail.none}</p>}
      {list && list.positions.length > 0 && (
        <ul className="ng-positions" data-testid="positions">
          {list.positions.map((p) => (
            <PositionItem key={`${p.party}-${p.alternative ?? ''}-${p.recordedAt}`} position={p} partyLabel={partyLabel} />
          ))}
        </ul>
      )}
      {list && list.history.length > 0 && (
        <details className="ng-history">
          <summary>
            {n.detail.history} ({list.history.length})
          </summary>
          <ul className="ng-positions">
            {list.history.map((p) => (
              <PositionItem key={`${p.party}-${p.alternative ?? ''}-${p.recordedAt}`} position={p} partyLabel={partyLabel} />
            ))}
          </ul>
        </details>
      )}
      {canRecord ? (
        <PositionForm
          clauseId={clauseId}
          alternatives={alternatives.map((a) => ({ id: a.id, label: a.label ?? a.id }))}
          onRecorded={onRecorded}
        />
      ) : (
        user.party !== null && <p className="muted">{n.form.notDelegate}</p>
      )}
      <div className="ng-detail-columns">
        <ProposalsPanel clauseId={clauseId} clause={clause} generation={generation} onChanged={onRecorded} />
        <CommentThread clauseId={clauseId} generation={generation} onPosted={onRecorded} />
      </div>
    </section>
  );
}

function PositionItem({ position: p, partyLabel }: { position: Position; partyLabel: (id: string) => string }) {
  const n = useNegotiationT();
  const { language } = useLanguage();
  return (
    <li className="ng-position" data-party={p.party} data-sharing={p.sharing}>
      <span className={`ng-swatch ${cellTone(p.gradient)}`} aria-hidden="true" />
      <strong>{partyLabel(p.party)}</strong> — {label(n.gradient, p.gradient)} ·{' '}
      {p.alternative ? n.detail.onAlternative(p.alternative) : n.detail.onText}
      <p>{p.reason}</p>
      {p.redLine && (
        <p className="ng-redline">
          {n.detail.redLine}: {p.redLine}
        </p>
      )}
      <p className="muted">
        {n.detail.sharedWith}: {label(n.sharing, p.sharing)} ·{' '}
        <time title={utcTitle(p.recordedAt)}>{formatInstant(p.recordedAt, language)}</time>
        {p.asOf && p.asOf.slice(0, 10) !== p.recordedAt.slice(0, 10) && <> · {n.detail.asOf(p.asOf.slice(0, 10))}</>}
      </p>
    </li>
  );
}

function PositionForm({
  clauseId,
  alternatives,
  onRecorded,
}: {
  clauseId: string;
  alternatives: readonly { id: string; label: string }[];
  onRecorded: () => void;
}) {
  const n = useNegotiationT();
  const api = useApi();
  const [alternative, setAlternative] = useState('');
  const [gradient, setGradient] = useState<string>('support-reservations');
  const [reason, setReason] = useState('');
  const [redLine, setRedLine] = useState('');
  const [sharing, setSharing] = useState<Sharing>('own');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  // One key per intended submission: a retry after a lost answer records once.
  const key = useRef(newIdempotencyKey());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setProblem({
        status: 0,
        code: 'validation_failed',
        title: n.form.reasonRequired,
        detail: n.form.reasonRequired,
        type: 'about:blank',
        pointer: '/reason',
      });
      return;
    }
    setSaving(true);
    setSaved(false);
    void recordPosition(
      api,
      {
        clause: clauseId,
        ...(alternative ? { alternative } : {}),
        gradient,
        reason: reason.trim(),
        ...(redLine.trim() ? { redLine: redLine.trim() } : {}),
        sharing,
      },
      key.current,
    ).then((r) => {
      setSaving(false);
      if (r.ok) {
        key.current = newIdempotencyKey();
        setProblem(null);
        setSaved(true);
        setReason('');
        setRedLine('');
        onRecorded();
      } else setProblem(r.problem);
    });
  };

  const errorAt = (pointer: string) => (problemAt(problem, pointer) ? (problem?.detail ?? null) : null);
  const known = ['/clause', '/alternative', '/gradient', '/reason', '/redLine', '/sharing'];
  const general = problem && !known.some((p) => problemAt(problem, p)) ? problem.detail : null;

  return (
    <form className="ng-form" onSubmit={submit} aria-labelledby="ng-form-title" data-testid="position-form" noValidate>
      <h3 id="ng-form-title">{n.form.title}</h3>
      <div className="field-row">
        <Field id="ng-alternative" label={n.form.alternative} error={errorAt('/alternative') ?? errorAt('/clause')}>
          {(c) => (
            <select {...c} value={alternative} onChange={(e) => setAlternative(e.target.value)}>
              <option value="">{n.detail.onText}</option>
              {alternatives.map((a) => (
                <option key={a.id} value={a.id}>
                  {n.detail.onAlternative(`${a.label} (${a.id})`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="ng-gradient" label={n.form.gradient} error={errorAt('/gradient')}>
          {(c) => (
            <select {...c} value={gradient} onChange={(e) => setGradient(e.target.value)}>
              {GRADIENT.map((g) => (
                <option key={g} value={g}>
                  {n.gradient[g]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field id="ng-reason" label={n.form.reason} hint={n.form.reasonHint} error={errorAt('/reason')}>
        {(c) => <textarea {...c} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <Field id="ng-redline" label={n.form.redLine} hint={n.form.redLineHint} error={errorAt('/redLine')}>
        {(c) => <input {...c} type="text" value={redLine} onChange={(e) => setRedLine(e.target.value)} />}
      </Field>
      <fieldset className="ng-sharing">
        <legend>{n.form.sharing}</legend>
        {SHARING.map((s) => (
          <label key={s}>
            <input type="radio" name="ng-sharing" value={s} checked={sharing === s} onChange={() => setSharing(s)} /> {n.sharing[s]}
          </label>
        ))}
        {errorAt('/sharing') && <p className="field-error">{errorAt('/sharing')}</p>}
      </fieldset>
      {general && (
        <p className="field-error" role="alert">
          {general}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={saving}>
        {saving ? n.form.saving : n.form.submit}
      </button>
      {saved && (
        <p className="ng-saved" role="status">
          {n.form.saved}
        </p>
      )}
    </form>
  );
}

function TrendChart({ weeks }: { weeks: readonly { week: string; meanSpread: number | null; blocks: number; clauses: number }[] }) {
  const n = useNegotiationT();
  const W = 560;
  const H = 180;
  const g = trendGeometry(weeks, W, H);
  return (
    <section className="ng-section" aria-labelledby="ng-trend-title">
      <h2 id="ng-trend-title">{n.trend.title}</h2>
      <p className="muted">{n.trend.caption}</p>
      {weeks.length === 0 ? (
        <p className="muted">{n.trend.none}</p>
      ) : (
        <>
          <svg className="ng-trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={n.trend.title} data-testid="trend">
            <line x1={24} y1={H - 24} x2={W - 24} y2={H - 24} className="ng-axis" />
            {g.bars.map((b) => (
              <rect key={b.week} x={b.x - 6} y={b.y} width={12} height={b.height} className="ng-bar">
                <title>{`${b.week}: ${b.blocks}`}</title>
              </rect>
            ))}
            <path d={g.path} className="ng-line" />
            {g.points.map((p) => (
              <circle key={p.week} cx={p.x} cy={p.y} r={4} className="ng-point">
                <title>{`${p.week}: ${p.value}`}</title>
              </circle>
            ))}
            {g.points.map((p) => (
              <text key={`l-${p.week}`} x={p.x} y={H - 8} textAnchor="middle" className="ng-tick">
                {p.week.slice(5)}
              </text>
            ))}
          </svg>
          <table className="visually-hidden">
            <thead>
              <tr>
                <th>{n.trend.week}</th>
                <th>{n.trend.meanSpread}</th>
                <th>{n.trend.blocks}</th>
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={w.week}>
                  <td>{w.week}</td>
                  <td>{w.meanSpread ?? '—'}</td>
                  <td>{w.blocks}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ZopaPanel({ zopa }: { zopa: import('./api').Zopa | null }) {
  const n = useNegotiationT();
  return (
    <section className="ng-section ng-panel" aria-labelledby="ng-zopa-title" data-testid="zopa">
      <h2 id="ng-zopa-title">{n.zopa.title}</h2>
      <p className="muted">{n.zopa.caption}</p>
      {zopa && (
        <table className="ng-small-table">
          <thead>
            <tr>
              <th scope="col">{n.zopa.clause}</th>
              <th scope="col">{n.zopa.acceptable}</th>
              <th scope="col">{n.zopa.blockedBy}</th>
            </tr>
          </thead>
          <tbody>
            {zopa.clauses.map((c) => (
              <tr key={c.clause} data-zopa={c.clause}>
                <th scope="row">{c.clause}</th>
                <td className="ng-zopa-acceptable">
                  {c.acceptable.length ? c.acceptable.join(', ') : <span className="muted">{n.zopa.none}</span>}
                </td>
                <td className="ng-zopa-blocked">{c.blockedBy.map((p) => p.toUpperCase()).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ConsolePanel({ data, onSelect }: { data: import('./api').Console | null; onSelect: (c: string) => void }) {
  const n = useNegotiationT();
  return (
    <section className="ng-section ng-panel" aria-labelledby="ng-console-title" data-testid="console">
      <h2 id="ng-console-title">{n.console.title}</h2>
      {data && (
        <>
          <h3>{n.console.next}</h3>
          {data.next.length === 0 ? (
            <p className="muted">{n.console.nothing}</p>
          ) : (
            <ol>
              {data.next.map((c) => (
                <li key={c.clause}>
                  <button type="button" className="ng-clause-link" onClick={() => onSelect(c.clause)}>
                    {c.clause}
                  </button>{' '}
                  — {c.spread}
                </li>
              ))}
            </ol>
          )}
          <h3>{n.console.blocked}</h3>
          {data.blocked.length === 0 ? (
            <p className="muted">{n.console.nothing}</p>
          ) : (
            <ul>
              {data.blocked.map((c) => (
                <li key={c.clause}>
                  {c.clause}: {c.parties.map((p) => p.toUpperCase()).join(', ')}
                </li>
              ))}
            </ul>
          )}
          <TestedClauses tested={data.tested} onOpen={(clause) => revealClause(clause, onSelect)} />
        </>
      )}
    </section>
  );
}

/** Opens a clause from the console and brings its detail (below the map) into view. */
function revealClause(clause: string, onSelect: (c: string) => void): void {
  onSelect(clause);
  requestAnimationFrame(() =>
    document.querySelector('[data-testid="clause-detail"]')?.scrollIntoView({ block: 'start', behavior: 'smooth' }),
  );
}
