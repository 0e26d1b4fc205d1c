import { useState } from 'react';
import { newIdempotencyKey, type ApiProblem } from '../api';
import { formatInstant, utcTitle } from '../format';
import { useLanguage, useT } from '../i18n';
import { useApi, useUser } from '../session';
import { PageHeader } from '../shell/PageHeader';
import {
  IATI_XML,
  OCDS_JSON,
  attest,
  magnitude,
  releaseTranche,
  type Condition,
  type Milestone,
  type MoneyRow,
  type Tranche,
  type Unlocks,
} from './api';
import { useProsperityT } from './messages';
import { OblastMap } from './OblastMap';
import { useProsperity } from './use-prosperity';
import './prosperity.css';

/** Stage order and colours: cold (money waiting) to warm (money working). */
const STAGES = ['uncommitted', 'unscheduled', 'locked', 'releasable', 'released', 'disbursed', 'spent'] as const;
const STAGE_COLOURS: Record<string, string> = {
  uncommitted: '#cfd5dd',
  unscheduled: '#a9b4c2',
  locked: '#c0392b',
  releasable: '#e0a526',
  released: '#6aa3d9',
  disbursed: '#2f6fb0',
  spent: '#1f6e45',
};

/** Exact grouping of a decimal string's integer part (BigInt keeps every digit). */
export function groupDecimal(decimal: string, locale: string): string {
  const [whole = '0', fraction] = decimal.split('.');
  const grouped = new Intl.NumberFormat(locale).format(BigInt(whole));
  return fraction && !/^0+$/.test(fraction) ? `${grouped}${locale.startsWith('uk') ? ',' : '.'}${fraction}` : grouped;
}

/** Millions with one decimal, for charts (the exact figure stays in the tooltip). */
function compact(decimal: string, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(magnitude(decimal));
}

function day(iso: string, locale: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/**
 * The prosperity package: money by stage, instrument, sector, donor and oblast; what the ceasefire
 * would unlock in N more days; every tranche with its conditions (holding or not, since when, the
 * evidence — case numbers, the version in force), a condition timeline, and the release button for
 * its named approver. Updates live: a verified breach or a day reached flips a tranche on screen.
 */
export default function ProsperityPage() {
  const t = useT();
  const p = useProsperityT();
  const { language } = useLanguage();
  const locale = language === 'uk' ? 'uk-UA' : 'en-GB';
  const [days, setDays] = useState(30);
  const data = useProsperity(days);

  return (
    <article className="page page-wide pr-page">
      <PageHeader title={t.nav.prosperity} lead={p.lead}>
        <p className="pr-exports">
          <span>{p.exports.title}:</span>
          <a href={IATI_XML} download>
            {p.exports.iati}
          </a>
          <a href={OCDS_JSON} download>
            {p.exports.ocds}
          </a>
        </p>
      </PageHeader>
      {data.problem && (
        <p className="pr-problem" role="alert">
          {p.failed} {data.problem.detail}
        </p>
      )}
      {!data.overview ? (
        <p className="muted">{p.loading}</p>
      ) : (
        <>
          <Kpis overview={data.overview} locale={locale} />
          <div className="pr-grid">
            <section className="pr-section" aria-labelledby="pr-map-title">
              <h2 id="pr-map-title">{p.map.title}</h2>
              <p className="muted pr-caption">{p.map.caption}</p>
              <OblastMap rows={data.overview.byOblast} language={language === 'uk' ? 'uk' : 'en'} format={(d) => compact(d, locale)} />
            </section>
            <UnlocksPanel unlocks={data.unlocks} days={days} onDays={setDays} locale={locale} />
          </div>
          <Breakdown overview={data.overview} locale={locale} />
        </>
      )}
      <section className="pr-section" aria-labelledby="pr-tranches-title">
        <h2 id="pr-tranches-title">{p.tranches.title}</h2>
        <p className="muted pr-caption">{p.tranches.caption}</p>
        <div className="pr-tranches" data-testid="tranches">
          {(data.tranches ?? []).map((tr) => (
            <TrancheCard key={tr.id} tranche={tr} locale={locale} onChanged={data.reload} />
          ))}
        </div>
      </section>
    </article>
  );
}

function Kpis({ overview, locale }: { overview: NonNullable<ReturnType<typeof useProsperity>['overview']>; locale: string }) {
  const p = useProsperityT();
  const sum = (keys: string[]) => keys.reduce((s, k) => s + magnitude(overview.stages[k] ?? '0'), 0);
  const tiles: [string, number, string, string][] = [
    [p.kpi.pledged, magnitude(overview.total), '', 'pledged'],
    [p.kpi.moved, sum(['released', 'disbursed', 'spent']), p.kpi.tranches(overview.counts.released), 'moved'],
    [p.kpi.releasable, sum(['releasable']), p.kpi.tranches(overview.counts.releasable), 'releasable'],
    [p.kpi.locked, sum(['locked']), p.kpi.tranches(overview.counts.locked), 'locked'],
  ];
  return (
    <>
      <p className="muted pr-asof">{p.asOf(formatInstant(overview.asOf, locale))}</p>
      <div className="pr-kpis">
        {tiles.map(([label, value, note, key]) => (
          <div key={key} className={`pr-kpi pr-kpi-${key}`} data-testid={`kpi-${key}`}>
            <span className="pr-kpi-label">{label}</span>
            <strong title={`${groupDecimal(String(Math.round(value)), locale)} EUR`}>€{compact(String(value), locale)}</strong>
            {note && <span className="pr-kpi-note">{note}</span>}
          </div>
        ))}
      </div>
      <StageBar stages={overview.stages} total={magnitude(overview.total)} height={22} />
      <StageLegend />
      {overview.unconverted.length > 0 && <p className="muted">{p.unconverted(overview.unconverted.length)}</p>}
    </>
  );
}

function StageBar({ stages, total, height = 14 }: { stages: Record<string, string>; total: number; height?: number }) {
  const p = useProsperityT();
  let x = 0;
  return (
    <svg
      className="pr-stagebar"
      viewBox={`0 0 1000 ${height}`}
      preserveAspectRatio="none"
      height={height}
      role="img"
      aria-label={STAGES.map((s) => `${p.stages[s]}: ${stages[s] ?? '0'}`).join('; ')}
    >
      {STAGES.map((s) => {
        const w = total > 0 ? (magnitude(stages[s] ?? '0') / total) * 1000 : 0;
        const rect =
          w > 0 ? (
            <rect key={s} x={x} y={0} width={w} height={height} fill={STAGE_COLOURS[s]} data-stage={s}>
              <title>{`${p.stages[s]}: ${stages[s]} EUR`}</title>
            </rect>
          ) : null;
        x += w;
        return rect;
      })}
    </svg>
  );
}

function StageLegend() {
  const p = useProsperityT();
  return (
    <ul className="pr-legend">
      {STAGES.map((s) => (
        <li key={s}>
          <span className="pr-swatch" style={{ background: STAGE_COLOURS[s] }} />
          {p.stages[s]}
        </li>
      ))}
    </ul>
  );
}

function Breakdown({ overview, locale }: { overview: NonNullable<ReturnType<typeof useProsperity>['overview']>; locale: string }) {
  const p = useProsperityT();
  const { language } = useLanguage();
  const max = Math.max(
    1,
    ...overview.byDonor.map((r) => magnitude(r.total)),
    ...overview.byInstrument.map((r) => magnitude(r.total)),
    ...overview.bySector.map((r) => magnitude(r.total)),
  );
  const group = (title: string, rows: readonly MoneyRow[], name: (r: MoneyRow) => string, testId: string) => (
    <div className="pr-breakdown-group" data-testid={testId}>
      <h3>{title}</h3>
      <table className="pr-bars">
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{name(r)}</th>
              <td className="pr-bar-cell">
                <div style={{ width: `${Math.max(2, (magnitude(r.total) / max) * 100)}%` }}>
                  <StageBar stages={r.stages} total={magnitude(r.total)} />
                </div>
              </td>
              <td className="pr-num" title={`${groupDecimal(r.total, locale)} EUR`}>
                €{compact(r.total, locale)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section className="pr-section" aria-labelledby="pr-breakdown-title">
      <h2 id="pr-breakdown-title">{p.breakdown.title}</h2>
      <p className="muted pr-caption">{p.breakdown.caption}</p>
      <div className="pr-breakdown">
        {group(p.breakdown.byInstrument, overview.byInstrument, (r) => p.instruments[r.key] ?? r.key, 'by-instrument')}
        {group(
          p.breakdown.bySector,
          overview.bySector,
          (r) =>
            r.key === 'unallocated'
              ? p.breakdown.unallocated
              : ((r as MoneyRow & { label: { en: string; uk: string } }).label[language === 'uk' ? 'uk' : 'en'] ?? r.key),
          'by-sector',
        )}
        {group(p.breakdown.byDonor, overview.byDonor, (r) => (r as MoneyRow & { name: string }).name, 'by-donor')}
      </div>
    </section>
  );
}

function UnlocksPanel({
  unlocks,
  days,
  onDays,
  locale,
}: {
  unlocks: Unlocks | null;
  days: number;
  onDays: (d: number) => void;
  locale: string;
}) {
  const p = useProsperityT();
  return (
    <section className="pr-section pr-unlocks" aria-labelledby="pr-unlocks-title" data-testid="unlocks">
      <h2 id="pr-unlocks-title">{p.unlocks.title}</h2>
      <label className="pr-days">
        <span>{p.unlocks.days}</span>
        <input
          type="range"
          min={1}
          max={180}
          step={1}
          value={days}
          onChange={(e) => onDays(Number(e.target.value))}
          aria-valuetext={String(days)}
        />
        <output>{days}</output>
      </label>
      <p className="muted pr-caption">{p.unlocks.caption(days)}</p>
      {unlocks && (
        <>
          <p className="pr-unlock-total">{p.unlocks.total(groupDecimal(unlocks.total, locale))}</p>
          {unlocks.unlocks.length === 0 ? (
            <p className="muted">{p.unlocks.none}</p>
          ) : (
            <ol className="pr-unlock-list">
              {unlocks.unlocks.map((u) => (
                <li key={u.tranche} data-tranche={u.tranche}>
                  <span className="pr-unlock-when" title={utcTitle(u.unlocksAt)}>
                    {day(u.unlocksAt, locale)}
                  </span>
                  <span className="pr-unlock-what">
                    <strong>{u.label}</strong>
                    <small>
                      {p.instruments[u.instrument] ?? u.instrument} · {groupDecimal(u.amount, locale)} {u.currency}
                    </small>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function TrancheCard({ tranche: tr, locale, onChanged }: { tranche: Tranche; locale: string; onChanged: () => void }) {
  const p = useProsperityT();
  const api = useApi();
  const user = useUser();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const canRelease = tr.stage === 'releasable' && user.username === tr.approver;
  const status =
    tr.release !== null
      ? p.tranches.released(tr.release.by, day(tr.release.at, locale))
      : tr.releasable
        ? p.tranches.releasableSince(tr.since ? day(tr.since, locale) : '—')
        : tr.unlocksAt
          ? p.tranches.lockedUntil(day(tr.unlocksAt, locale))
          : p.tranches.locked;

  const release = async () => {
    setBusy(true);
    const r = await releaseTranche(api, tr.id, '', newIdempotencyKey());
    setBusy(false);
    setProblem(r.ok ? null : r.problem);
    if (r.ok) onChanged();
  };
  const disbursed = tr.disbursements.reduce((s, d) => s + magnitude(d.amount), 0);
  const spent = tr.expenditures.reduce((s, d) => s + magnitude(d.amount), 0);

  return (
    <article className={`pr-tranche pr-stage-${tr.stage}`} data-tranche={tr.id} data-stage={tr.stage}>
      <header>
        <span className="pr-badge" style={{ background: STAGE_COLOURS[tr.stage] }} data-testid="stage">
          {p.stages[tr.stage] ?? tr.stage}
        </span>
        <h3>{tr.label}</h3>
        <span className="pr-amount">
          {groupDecimal(tr.amount, locale)} {tr.currency}
        </span>
      </header>
      <p className="pr-meta">
        {tr.donor.name} · {p.instruments[tr.instrument] ?? tr.instrument} · {tr.project.title} ·{' '}
        {p.tranches.planned(day(tr.plannedOn, locale))} · {p.tranches.approver(tr.approver)}
      </p>
      <p className="pr-status" data-testid="status">
        {status}
      </p>
      {tr.conditions.length === 0 ? (
        <p className="muted">{p.tranches.noConditions}</p>
      ) : (
        <ul className="pr-conditions">
          {tr.conditions.map((c, i) => (
            <ConditionView key={i} condition={c} locale={locale} onChanged={onChanged} />
          ))}
        </ul>
      )}
      {(disbursed > 0 || spent > 0) && (
        <p className="pr-flows">
          {p.tranches.disbursed(`${groupDecimal(String(disbursed), locale)} ${tr.currency}`)} ·{' '}
          {p.tranches.spent(`${groupDecimal(String(spent), locale)} ${tr.currency}`)}
        </p>
      )}
      {tr.timeline.length > 0 && (
        <p className="pr-flips" aria-label={p.tranches.timeline}>
          {tr.timeline.map((h) => (
            <span key={h.position} className={h.releasable ? 'pr-flip-open' : 'pr-flip-locked'} title={h.reason}>
              {day(h.since ?? h.at, locale)} {h.releasable ? p.tranches.flipReleasable : p.tranches.flipLocked}
            </span>
          ))}
        </p>
      )}
      {canRelease && (
        <button type="button" className="button primary" disabled={busy} onClick={() => void release()}>
          {busy ? p.tranches.releasing : p.tranches.release}
        </button>
      )}
      {problem && (
        <p className="pr-problem" role="alert">
          {problem.detail}
        </p>
      )}
    </article>
  );
}

function ConditionView({ condition: c, locale, onChanged }: { condition: Condition; locale: string; onChanged: () => void }) {
  const p = useProsperityT();
  return (
    <li className={c.holds ? 'pr-holds' : 'pr-waits'}>
      <span className="pr-check" aria-hidden="true">
        {c.holds ? '✓' : '○'}
      </span>
      <span className="pr-condition-label">
        {c.label}
        {c.source && (
          <small>
            {' '}
            ({p.tranches.clause(c.source.clauses.join(', '))}
            {c.source.provisional ? `; ${p.tranches.provisional}` : ''})
          </small>
        )}
      </span>
      <ul className="pr-milestones">
        {c.milestones.map((m, i) => (
          <MilestoneView key={i} milestone={m} locale={locale} onChanged={onChanged} />
        ))}
      </ul>
    </li>
  );
}

function MilestoneView({ milestone: m, locale, onChanged }: { milestone: Milestone; locale: string; onChanged: () => void }) {
  const p = useProsperityT();
  const api = useApi();
  const user = useUser();
  const [busy, setBusy] = useState(false);
  const attested = m.type === 'attested' ? /^attested by ([a-z0-9-]+): (.*)$/.exec(m.label) : null;
  const mayAttest = !m.holds && attested !== null && user.party === attested[1];
  return (
    <li className={m.holds ? 'pr-holds' : 'pr-waits'} data-milestone={m.type}>
      <span className="pr-milestone-head">
        <span className={`pr-pill ${m.holds ? 'pr-pill-ok' : 'pr-pill-wait'}`}>{m.holds ? p.tranches.holds : p.tranches.waits}</span>
        {m.label}
        {m.since && (
          <small title={utcTitle(m.since)}>
            {' '}
            · {m.holds ? p.tranches.since(day(m.since, locale)) : m.progress ? p.tranches.countFrom(day(m.since, locale)) : ''}
          </small>
        )}
      </span>
      {m.progress && <CeasefireTimeline milestone={m} locale={locale} />}
      <span className="pr-evidence">
        {m.evidence.map((e, i) => (
          <span key={i} className={`pr-ev pr-ev-${e.kind}`} title={e.at ? utcTitle(e.at) : undefined}>
            {e.caseNumber !== undefined ? (
              <a href={`/operations?case=${encodeURIComponent(e.caseId ?? '')}`}>{p.tranches.caseLink(e.caseNumber)}</a>
            ) : null}{' '}
            {e.text}
            {e.at ? ` (${day(e.at, locale)})` : ''}
          </span>
        ))}
      </span>
      {mayAttest && (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void attest(api, attested![2]!, newIdempotencyKey()).then((r) => {
              setBusy(false);
              if (r.ok) onChanged();
            });
          }}
        >
          {busy ? p.tranches.attesting : p.tranches.attest}
        </button>
      )}
    </li>
  );
}

/**
 * One ceasefire count as a strip: from the start of the count (entry into force, or the breach that
 * restarted it, marked red) through today to the day it holds (a flag); days behind are solid,
 * days ahead dashed.
 */
function CeasefireTimeline({ milestone: m, locale }: { milestone: Milestone; locale: string }) {
  const p = useProsperityT();
  const progress = m.progress!;
  const W = 420;
  const H = 26;
  const fraction = Math.min(1, progress.days / Math.max(1, progress.of));
  const breach = m.evidence.find((e) => e.kind === 'breach');
  const done = m.holds;
  return (
    <span className="pr-timeline">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={p.tranches.progress(progress.days, progress.of)}
        data-testid="ceasefire-timeline"
      >
        <line x1={8} y1={13} x2={W - 8} y2={13} stroke="#c3cad3" strokeWidth={4} strokeDasharray="6 4" />
        <line
          x1={8}
          y1={13}
          x2={8 + (W - 16) * fraction}
          y2={13}
          stroke={done ? '#1f6e45' : '#e0a526'}
          strokeWidth={6}
          strokeLinecap="round"
        />
        <circle cx={8} cy={13} r={6} fill={breach ? '#c0392b' : '#1f5188'}>
          <title>{breach ? `${breach.text} (${breach.at ? day(breach.at, locale) : ''})` : (m.evidence[0]?.text ?? '')}</title>
        </circle>
        <path
          d={`M${W - 10},4 L${W - 10},22 M${W - 10},4 L${W - 2},8 L${W - 10},12`}
          stroke={done ? '#1f6e45' : '#4b5663'}
          strokeWidth={2}
          fill={done ? '#1f6e45' : 'none'}
        />
      </svg>
      <small>
        {p.tranches.progress(progress.days, progress.of)}
        {m.unlocksAt ? ` · ${p.unlocks.on(day(m.unlocksAt, locale))}` : ''}
      </small>
    </span>
  );
}
